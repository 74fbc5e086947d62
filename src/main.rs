//! The `workbook` command: argument parsing, the commands, and the preview server. Everything else
//! (loading, checking, planning, rendering, writing) lives in the library.

mod cmd;

/// mimalloc rather than the system's allocator: a build allocates and frees millions of small
/// strings and maps (YAML, Markdown, template values), and glibc's malloc and free were a quarter
/// of a register build's time (perf, benches/register.sh).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> std::process::ExitCode {
    cmd::main()
}
