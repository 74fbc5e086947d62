//! The `workbook` command: argument parsing, the commands, and the preview server. Everything else
//! (loading, checking, planning, rendering, writing) lives in the library.

mod cmd;

fn main() -> std::process::ExitCode {
    cmd::main()
}
