//! The `guardc` binary: a thin shell over the library's CLI module, and the choice of
//! allocator (see `Cargo.toml`), which belongs to the program, not the library.

#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> std::process::ExitCode {
    guardc::cli::main()
}
