//! Where the command line writes: every coloured byte goes through anstream, which leaves colour out
//! as clap's own messages do (`NO_COLOR`, `CLICOLOR=0`, `TERM=dumb`, or not a terminal, unless
//! `CLICOLOR_FORCE` is set), and every write to stdout is checked, so that a full disk or a closed
//! pipe is an error with a message rather than a panic or silent loss.

use clap::builder::styling::{AnsiColor, Effects, Style};
use std::io::Write;

/// How `error:` starts a message, as clap styles its own.
const ERROR: Style = AnsiColor::Red.on_default().effects(Effects::BOLD);
/// How `warning:` starts a message.
const WARNING: Style = AnsiColor::Yellow.on_default().effects(Effects::BOLD);

/// Why a command could not finish, other than what it found in the content.
#[derive(Debug)]
pub enum Failure {
    /// A usage error (exit 2): the arguments, or the place they name, cannot be used.
    Usage(String),
    /// Standard output could not be written (exit 1): full, or closed.
    Output(std::io::Error),
}

impl From<String> for Failure {
    fn from(message: String) -> Failure {
        Failure::Usage(message)
    }
}

/// Writes `text` to stdout, all of it, and flushes it: a failure is returned, never ignored.
pub fn stdout(text: &str) -> Result<(), Failure> {
    stdout_bytes(text.as_bytes())
}

/// Writes `bytes` to stdout, all of them, and flushes them.
pub fn stdout_bytes(bytes: &[u8]) -> Result<(), Failure> {
    let mut out = std::io::stdout().lock();
    out.write_all(bytes).and_then(|()| out.flush()).map_err(Failure::Output)
}

/// Writes text that may hold colour (ANSI) to stdout, without the colour where it is not wanted.
pub fn stdout_styled(text: &str) -> Result<(), Failure> {
    let mut out = anstream::stdout().lock();
    out.write_all(text.as_bytes()).and_then(|()| out.flush()).map_err(Failure::Output)
}

/// Writes text that may hold colour (ANSI) to stderr, without the colour where it is not wanted.
/// A failure to write to stderr has nowhere to be reported, and is ignored.
pub fn stderr_styled(text: &str) {
    let mut err = anstream::stderr().lock();
    let _ = err.write_all(text.as_bytes()).and_then(|()| err.flush());
}

/// Prints `error: message` to stderr, `error:` in red where colour is wanted.
pub fn error(message: &str) {
    stderr_styled(&format!("{ERROR}error:{ERROR:#} {message}\n"));
}

/// Prints `warning: message` to stderr, `warning:` in yellow where colour is wanted.
pub fn warning(message: &str) {
    stderr_styled(&format!("{WARNING}warning:{WARNING:#} {message}\n"));
}

/// The message for a stdout that cannot be written.
pub fn output_failed(e: &std::io::Error) -> String {
    format!("cannot write to standard output: {e}")
}
