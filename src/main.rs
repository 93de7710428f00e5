//! The `guardc` binary: a thin shell over the library's CLI module.

fn main() -> std::process::ExitCode {
    guardc::cli::main()
}
