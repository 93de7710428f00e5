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
