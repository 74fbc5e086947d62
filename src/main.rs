//! The `workbook` command; everything it does lives in the library.

fn main() -> std::process::ExitCode {
    workbook::cli::main()
}
