//! Terminal concerns: colour choice and printing diagnostics to a stream.
//!
//! Everything printed passes through here or through a renderer, and both show control
//! characters from policies, paths and arguments as `<U+001B>` instead of sending them
//! to the terminal (`diagnostics::render::escape_controls`).

use std::fmt;
use std::io::{self, IsTerminal, Write};

use crate::diagnostics::Diagnostic;
use crate::diagnostics::render::{FileReport, HumanOptions, escape_controls, write_human};
use crate::source::SourceFile;

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
        ..HumanOptions::default()
    }
}

/// A `fmt::Write` over an `io::Write`, for renderers that write text: the first IO
/// error (a closed pipe) stops the rendering and is kept for the caller.
#[derive(Debug)]
pub struct TextWriter<W: Write> {
    inner: W,
    error: Option<io::Error>,
}

impl<W: Write> TextWriter<W> {
    pub fn new(inner: W) -> Self {
        Self { inner, error: None }
    }

    /// Flushes, and gives back the first error met.
    pub fn finish(mut self) -> io::Result<()> {
        match self.error.take() {
            Some(err) => Err(err),
            None => self.inner.flush(),
        }
    }
}

impl<W: Write> fmt::Write for TextWriter<W> {
    fn write_str(&mut self, text: &str) -> fmt::Result {
        if self.error.is_some() {
            return Err(fmt::Error);
        }
        self.inner.write_all(text.as_bytes()).map_err(|err| {
            self.error = Some(err);
            fmt::Error
        })
    }
}

/// Print a file's diagnostics, human-readable, on stderr, as they are rendered.
pub fn eprint_diagnostics(report: &FileReport<'_>, color: ColorChoice) {
    let mut out = TextWriter::new(io::BufWriter::new(io::stderr().lock()));
    // Nothing is left to tell the user when stderr itself fails.
    let _ = write_human(&mut out, report, human_options(color, true));
    let _ = out.finish();
}

/// Print only the errors of a document that did not load (the commands that need a
/// policy, not a report, show why they stopped and nothing else).
pub fn eprint_load_errors(loaded: &crate::policy::LoadResult, color: ColorChoice) {
    eprint_errors(&loaded.source, &loaded.diagnostics, color);
}

/// Print only the error-level diagnostics of a document.
pub fn eprint_errors(source: &SourceFile, diagnostics: &[Diagnostic], color: ColorChoice) {
    let errors: Vec<Diagnostic> = diagnostics
        .iter()
        .filter(|d| d.is_error())
        .cloned()
        .collect();
    eprint_diagnostics(
        &FileReport {
            source,
            diagnostics: &errors,
        },
        color,
    );
}

/// Write to stdout, control characters escaped; a closed pipe (`guardc explain … |
/// head`) ends the process quietly with success instead of panicking, as command-line
/// tools are expected to.
pub fn write_stdout_line(args: fmt::Arguments<'_>) {
    let text = args.to_string();
    let mut out = io::stdout().lock();
    let written = out
        .write_all(escape_controls(&text).as_bytes())
        .and_then(|()| out.write_all(b"\n"));
    if written.is_err() {
        std::process::exit(i32::from(super::EXIT_OK));
    }
}

/// Write a line to stderr, control characters escaped (paths and values in error
/// messages come from the user's files).
pub fn write_stderr_line(args: fmt::Arguments<'_>) {
    let text = args.to_string();
    let mut err = io::stderr().lock();
    // Nothing is left to tell the user when stderr itself fails.
    let _ = err
        .write_all(escape_controls(&text).as_bytes())
        .and_then(|()| err.write_all(b"\n"));
}

/// `println!` for the CLI: see [`write_stdout_line`].
macro_rules! outln {
    () => { $crate::cli::output::write_stdout_line(format_args!("")) };
    ($($arg:tt)*) => { $crate::cli::output::write_stdout_line(format_args!($($arg)*)) };
}

pub(crate) use outln;

/// `eprintln!` for the CLI: see [`write_stderr_line`].
macro_rules! errln {
    ($($arg:tt)*) => { $crate::cli::output::write_stderr_line(format_args!($($arg)*)) };
}

pub(crate) use errln;
