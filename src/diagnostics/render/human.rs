//! Human-readable diagnostics, rendered by miette in the style of rustc: the message,
//! the source snippet with the labelled span underlined, related locations, help, and
//! the witness calls that prove a finding.

use std::fmt;

use miette::{GraphicalReportHandler, GraphicalTheme, LabeledSpan, Severity};

use super::snippet_source::SnippetSource;
use super::{FileReport, witness_line};
use crate::diagnostics::{Diagnostic, Level};

/// How to render for a person.
#[derive(Debug, Clone, Copy)]
pub struct HumanOptions {
    /// ANSI colours and Unicode box drawing (for terminals); plain ASCII-safe text otherwise.
    pub color: bool,
    /// Wrap width.
    pub width: usize,
}

impl Default for HumanOptions {
    fn default() -> Self {
        Self {
            color: false,
            width: 100,
        }
    }
}

/// Render every diagnostic of a file, one after the other.
pub fn render_human(file: &FileReport<'_>, options: HumanOptions) -> String {
    let theme = if options.color {
        GraphicalTheme::unicode()
    } else {
        GraphicalTheme::unicode_nocolor()
    };
    let handler = GraphicalReportHandler::new_themed(theme)
        .with_width(options.width)
        .with_links(false);
    let source = SnippetSource::new(file.source);
    let mut out = String::new();
    for diagnostic in file.diagnostics {
        let view = MietteView {
            diagnostic,
            source: &source,
            help: help_text(diagnostic),
        };
        // Writing into a String cannot fail; a formatting error would only drop text.
        let _ = handler.render_report(&mut out, &view);
    }
    out
}

/// The help line, followed by the witnesses: what to do, then the proof.
fn help_text(diagnostic: &Diagnostic) -> Option<String> {
    let mut lines: Vec<String> = diagnostic.help.iter().cloned().collect();
    lines.extend(diagnostic.witnesses.iter().map(witness_line));
    (!lines.is_empty()).then(|| lines.join("\n"))
}

/// A diagnostic seen through miette's trait, borrowing its source.
struct MietteView<'a> {
    diagnostic: &'a Diagnostic,
    source: &'a SnippetSource<'a>,
    help: Option<String>,
}

impl fmt::Debug for MietteView<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("MietteView")
            .field("code", &self.diagnostic.code.code)
            .finish()
    }
}

impl fmt::Display for MietteView<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.diagnostic.message)
    }
}

impl std::error::Error for MietteView<'_> {}

impl miette::Diagnostic for MietteView<'_> {
    fn code<'b>(&'b self) -> Option<Box<dyn fmt::Display + 'b>> {
        let info = self.diagnostic.code;
        Some(Box::new(format!("{} {}", info.code, info.name)))
    }

    fn severity(&self) -> Option<Severity> {
        Some(match self.diagnostic.level {
            Level::Error => Severity::Error,
            Level::Warning => Severity::Warning,
            Level::Info => Severity::Advice,
        })
    }

    fn help<'b>(&'b self) -> Option<Box<dyn fmt::Display + 'b>> {
        self.help
            .as_ref()
            .map(|h| Box::new(h) as Box<dyn fmt::Display + 'b>)
    }

    fn source_code(&self) -> Option<&dyn miette::SourceCode> {
        Some(self.source)
    }

    fn labels(&self) -> Option<Box<dyn Iterator<Item = LabeledSpan> + '_>> {
        let primary_label =
            (!self.diagnostic.label.is_empty()).then(|| self.diagnostic.label.clone());
        let primary = LabeledSpan::new_primary_with_span(primary_label, self.diagnostic.span);
        let related = self
            .diagnostic
            .related
            .iter()
            .map(|r| LabeledSpan::new_with_span(Some(r.message.clone()), r.span));
        Some(Box::new(std::iter::once(primary).chain(related)))
    }
}
