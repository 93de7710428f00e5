//! `guardc lsp`: the language server, a thin shell over the [`crate::ide`] layer.
//!
//! It holds the open documents (with their versions), converts positions in one place
//! (`position`), reads `guardc.toml` levels (`config`), and dispatches each request
//! to a plain `ide` function; the results are converted to protocol values
//! (`convert`). It runs on `lsp-server`, the synchronous transport of rust-analyzer
//! and ruff: messages are handled in order on one thread, which is what makes the
//! cancellation scheme of `server` simple (see ARCHITECTURE.md).

mod config;
mod convert;
mod position;
mod server;

pub use position::{Encoding, Positions};
pub use server::{DEBOUNCE, serve};

use lsp_server::Connection;

/// Serve over stdin/stdout until the client says `exit`.
pub fn run_stdio() -> Result<(), String> {
    let (connection, io_threads) = Connection::stdio();
    serve(&connection).map_err(|err| err.to_string())?;
    drop(connection);
    io_threads.join().map_err(|err| err.to_string())
}
