//! Content-Length framed JSON-RPC on a byte stream, as the Language Server Protocol sends it.
//!
//! `lsp-server`'s own stdio reader stops at the first message it cannot parse; an editor that sends
//! one bad message must not lose its server, so frames are read here and a bad one is reported and
//! skipped.

use lsp_server::Message;
use std::io::{BufRead, Read, Write};

/// A message body larger than this is read past, not kept: no editor sends a document this large,
/// and a hostile length must not make the server allocate it.
const MAX_BODY_BYTES: usize = 64 * 1024 * 1024;

/// What one frame of the stream held.
#[derive(Debug)]
pub enum Frame {
    /// A JSON-RPC message.
    Message(Message),
    /// A frame whose header or body is not a JSON-RPC message, with why; the stream goes on.
    Malformed(String),
}

/// Reads the next frame; `None` at the end of the stream (or when it can no longer be read).
pub fn read(input: &mut impl BufRead) -> Option<Frame> {
    let mut length: Option<usize> = None;
    let mut bad_header = None;
    let mut read_any = false;
    loop {
        let mut line = Vec::new();
        match input.read_until(b'\n', &mut line) {
            Ok(0) | Err(_) => return None,
            Ok(_) => {}
        }
        let line = String::from_utf8_lossy(&line);
        let line = line.trim_end_matches(['\r', '\n']);
        if line.is_empty() {
            if read_any {
                break;
            }
            // A blank line before any header (left over from a bad frame): read on.
            continue;
        }
        read_any = true;
        match line.split_once(':') {
            Some((name, value)) if name.trim().eq_ignore_ascii_case("content-length") => {
                match value.trim().parse::<usize>() {
                    Ok(n) => length = Some(n),
                    Err(e) => bad_header = Some(format!("Content-Length `{}`: {e}", value.trim())),
                }
            }
            Some(_) => {}
            None => bad_header = Some(format!("a header line without `:`: {line:?}")),
        }
    }
    let Some(length) = length else {
        return Some(Frame::Malformed(
            bad_header.unwrap_or_else(|| String::from("no Content-Length header")),
        ));
    };
    if length > MAX_BODY_BYTES {
        let skipped = std::io::copy(&mut input.take(length as u64), &mut std::io::sink()).ok()?;
        if skipped < length as u64 {
            return None;
        }
        return Some(Frame::Malformed(format!("a message of {length} bytes, over the limit")));
    }
    let mut body = vec![0; length];
    input.read_exact(&mut body).ok()?;
    Some(match serde_json::from_slice::<Message>(&body) {
        Ok(message) => Frame::Message(message),
        Err(e) => Frame::Malformed(format!("not a JSON-RPC message: {e}")),
    })
}

/// Writes one message with its header, and flushes it so the editor sees it at once.
pub fn write(output: &mut impl Write, message: Message) -> std::io::Result<()> {
    message.write(output)?;
    output.flush()
}

#[cfg(test)]
mod tests {
    use super::{Frame, read};

    #[test]
    fn a_bad_frame_is_reported_and_the_next_one_is_read() {
        let good = r#"{"jsonrpc":"2.0","method":"initialized","params":{}}"#;
        let stream = format!(
            "Content-Length: 9\r\n\r\n{{ not it}}Content-Length: x\r\n\r\nContent-Length: {}\r\n\r\n{good}",
            good.len()
        );
        let mut input = stream.as_bytes();
        assert!(matches!(read(&mut input), Some(Frame::Malformed(_))));
        assert!(matches!(read(&mut input), Some(Frame::Malformed(_))));
        assert!(matches!(read(&mut input), Some(Frame::Message(_))));
        assert!(read(&mut input).is_none());
    }

    #[test]
    fn a_length_past_the_end_of_the_stream_ends_it() {
        let mut input = "Content-Length: 100\r\n\r\n{}".as_bytes();
        assert!(read(&mut input).is_none());
    }
}
