//! `workbook lsp`: a language server for answer files and `workbook.yaml`, over stdio.
//!
//! Diagnostics are `check`'s own: the project is loaded through one [`Tree`](crate::load::tree::Tree)
//! — the working tree with the open documents' unsaved text laid over it ([`OverlayTree`](crate::load::tree::OverlayTree)) — and
//! checked as `workbook check` checks it, so an editor shows exactly what CI will say. Hover,
//! completion and go-to-definition read the framework and the JSON Schema (the doc comments of the
//! types that parse the files). Nothing a client sends makes the server stop: a message it cannot
//! read is logged to stderr and the next one is read.
//!
//! The protocol's types and messages are those of `lsp-types` and `lsp-server`, the crates
//! rust-analyzer is built on.

pub mod completion;
pub mod definition;
pub mod diagnostics;
pub mod document;
pub mod hover;
pub mod schema;
mod server;
pub mod transport;
pub mod yaml;

use lsp_server::{ErrorCode, Message};
use server::{Server, error};
use std::io::{BufRead, Write};
use std::path::Path;

/// Serves one client on `input` and `output` until it sends `exit` or closes the stream. `cwd` is
/// where to look for the project when the client names no folder. Returns the process's exit code:
/// 0 after `shutdown` then `exit`, 1 otherwise (as the protocol asks).
///
/// Messages are read on a thread of their own, so that the edits an editor sends while a check runs
/// are applied together and checked once: diagnostics are computed when no message is waiting.
pub fn serve(mut input: impl BufRead + Send + 'static, output: impl Write, cwd: &Path) -> u8 {
    let (send, frames) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        while let Some(frame) = transport::read(&mut input) {
            let exit =
                matches!(&frame, transport::Frame::Message(Message::Notification(n)) if n.method == "exit");
            if send.send(frame).is_err() || exit {
                return;
            }
        }
    });
    let mut server = Server::new(output, cwd);
    loop {
        let frame = match frames.try_recv() {
            Ok(frame) => frame,
            Err(std::sync::mpsc::TryRecvError::Empty) if server.stale => {
                server.stale = false;
                guarded(|| server.publish());
                continue;
            }
            Err(_) => match frames.recv() {
                Ok(frame) => frame,
                Err(_) => return 1,
            },
        };
        let message = match frame {
            transport::Frame::Message(message) => message,
            transport::Frame::Malformed(why) => {
                log(&format!("skipped a message: {why}"));
                continue;
            }
        };
        let exit = matches!(&message, Message::Notification(n) if n.method == "exit");
        let request = match &message {
            Message::Request(request) => Some(request.id.clone()),
            _ => None,
        };
        if !guarded(|| server.handle(message))
            && let Some(id) = request
        {
            server.respond(error(id, ErrorCode::InternalError, "internal error"));
        }
        if exit {
            return if server.shut_down { 0 } else { 1 };
        }
    }
}

/// Runs `work`, catching a panic: a bug must cost one answer, not the editor's server. False when
/// it panicked.
fn guarded(work: impl FnOnce()) -> bool {
    let done = std::panic::catch_unwind(std::panic::AssertUnwindSafe(work)).is_ok();
    if !done {
        log("a message could not be handled (a bug; please report it)");
    }
    done
}

fn log(message: &str) {
    eprintln!("workbook lsp: {message}");
}
