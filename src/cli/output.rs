//! Terminal concerns: colour choice and printing diagnostics to a stream.

use std::io::IsTerminal;

use crate::diagnostics::render::{FileReport, HumanOptions, render_human};

/// `--color`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum ColorChoice {
    Auto,
    Always,
    Never,
}

impl ColorChoice {
    /// Whether to colour output going to stderr (diagnostics) or stdout.
    pub fn enabled(self, stream_is_terminal: bool) -> bool {
        match self {
            ColorChoice::Always => true,
            ColorChoice::Never => false,
            ColorChoice::Auto => {
                stream_is_terminal && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty())
            }
        }
    }
}

/// Human rendering options for stdout or stderr.
pub fn human_options(color: ColorChoice, to_stderr: bool) -> HumanOptions {
    let is_terminal = if to_stderr {
        std::io::stderr().is_terminal()
    } else {
        std::io::stdout().is_terminal()
    };
    HumanOptions {
        color: color.enabled(is_terminal),
        width: 100,
    }
}

/// Print a file's diagnostics, human-readable, on stderr.
pub fn eprint_diagnostics(report: &FileReport<'_>, color: ColorChoice) {
    eprint!("{}", render_human(report, human_options(color, true)));
}

/// Write to stdout; a closed pipe (`guardc explain … | head`) ends the process quietly
/// with success instead of panicking, as command-line tools are expected to.
pub fn write_stdout_line(args: std::fmt::Arguments<'_>) {
    use std::io::Write;
    let mut out = std::io::stdout().lock();
    let written = out.write_fmt(args).and_then(|()| out.write_all(b"\n"));
    if written.is_err() {
        std::process::exit(i32::from(super::EXIT_OK));
    }
}

/// `println!` for the CLI: see [`write_stdout_line`].
macro_rules! outln {
    () => { $crate::cli::output::write_stdout_line(format_args!("")) };
    ($($arg:tt)*) => { $crate::cli::output::write_stdout_line(format_args!($($arg)*)) };
}

pub(crate) use outln;
