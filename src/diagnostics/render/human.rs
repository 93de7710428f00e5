//! Human-readable diagnostics, rendered by miette in the style of rustc: the message,
//! the source snippet with the labelled span underlined, related locations, help, and
//! the witness calls that prove a finding.
//!
//! Output is bounded whatever the policy: every text from the policy is escaped and cut
//! to a length ([`escape`](super::escape)), long lines are shown as windows
//! ([`Excerpt`]), and a file shows at most [`HumanOptions::max_per_line`] diagnostics
//! that start on one line and [`HumanOptions::max_per_file`] in all, each limit followed
//! by a line that counts what it left out. The machine formats keep everything. The
//! report is written diagnostic by diagnostic into the caller's writer, so a large
//! report is never one string in memory.

use std::collections::HashMap;
use std::fmt;

use miette::{GraphicalReportHandler, GraphicalTheme, LabeledSpan, Severity};

use super::excerpt::{Excerpt, ExcerptLabel, ExcerptLimits};
use super::{FileReport, witness_line};
use crate::diagnostics::escape::display_text;
use crate::diagnostics::{Diagnostic, Level};

/// How to render for a person, and how much.
#[derive(Debug, Clone, Copy)]
pub struct HumanOptions {
    /// ANSI colours and Unicode box drawing (for terminals); plain ASCII-safe text otherwise.
    pub color: bool,
    /// Wrap width.
    pub width: usize,
    /// Source lines longer than this many characters are shown as a window around the
    /// labels, with `...` where text is left out.
    pub max_line_chars: usize,
    /// A label spanning more lines than this is drawn on its first line.
    pub max_label_lines: usize,
    /// Messages, labels and help longer than this many characters are cut.
    pub max_text_chars: usize,
    /// At most this many diagnostics that start on the same line are shown; then one
    /// line counts the others.
    pub max_per_line: usize,
    /// At most this many diagnostics of a file are shown; then one line counts the
    /// others and points to `--format json`, which has them all.
    pub max_per_file: usize,
}

impl Default for HumanOptions {
    fn default() -> Self {
        Self {
            color: false,
            width: 100,
            max_line_chars: 120,
            max_label_lines: 12,
            max_text_chars: 2_000,
            max_per_line: 10,
            max_per_file: 200,
        }
    }
}

/// Render every diagnostic of a file, one after the other, into a string.
pub fn render_human(file: &FileReport<'_>, options: HumanOptions) -> String {
    let mut out = String::new();
    // Writing into a String cannot fail; a formatting error would only drop text.
    let _ = write_human(&mut out, file, options);
    out
}

/// Write every diagnostic of a file, one after the other, within the limits of
/// `options`. Each diagnostic is written as soon as it is rendered.
pub fn write_human(
    out: &mut impl fmt::Write,
    file: &FileReport<'_>,
    options: HumanOptions,
) -> fmt::Result {
    let theme = if options.color {
        GraphicalTheme::unicode()
    } else {
        GraphicalTheme::unicode_nocolor()
    };
    let handler = GraphicalReportHandler::new_themed(theme)
        .with_width(options.width)
        .with_links(false);
    let plan = plan(file, options);
    for (diagnostic, step) in file.diagnostics.iter().zip(&plan) {
        let Some(more_on_line) = step else {
            continue;
        };
        handler.render_report(out, &MietteView::new(file, diagnostic, options))?;
        if *more_on_line > 0 {
            let line = file.source.lines().line_col(diagnostic.span.start).line;
            writeln!(
                out,
                "  ... and {more_on_line} more diagnostics starting on line {line}, not shown\n"
            )?;
        }
    }
    let hidden: Vec<&Diagnostic> = file
        .diagnostics
        .iter()
        .zip(&plan)
        .filter_map(|(d, step)| step.is_none().then_some(d))
        .collect();
    if !hidden.is_empty() {
        let errors = hidden.iter().filter(|d| d.level == Level::Error).count();
        let warnings = hidden.iter().filter(|d| d.level == Level::Warning).count();
        writeln!(
            out,
            "{}: {} more diagnostics not shown ({errors} error(s), {warnings} warning(s)); \
             --format json lists them all\n",
            display_text(file.source.name(), options.max_text_chars),
            hidden.len()
        )?;
    }
    Ok(())
}

/// Which diagnostics are shown, in order: `None` for one left out, `Some(n)` for one
/// shown, `n` being how many that start on its line are left out (counted after the last
/// one shown there). Within each limit the most severe are kept, errors before warnings
/// before notes, and otherwise the first: a notice never hides an error.
fn plan(file: &FileReport<'_>, options: HumanOptions) -> Vec<Option<usize>> {
    let lines = file.source.lines();
    let severity = |at: &usize| {
        let rank = file.diagnostics.get(*at).map_or(3, |d| match d.level {
            Level::Error => 0,
            Level::Warning => 1,
            Level::Info => 2,
        });
        (rank, *at)
    };
    let mut by_line: HashMap<usize, Vec<usize>> = HashMap::new();
    for (at, diagnostic) in file.diagnostics.iter().enumerate() {
        by_line
            .entry(lines.line_of(diagnostic.span.start))
            .or_default()
            .push(at);
    }
    let mut kept: Vec<usize> = Vec::new();
    for on_line in by_line.values_mut() {
        on_line.sort_by_key(severity);
        kept.extend(on_line.iter().take(options.max_per_line));
    }
    kept.sort_by_key(severity);
    kept.truncate(options.max_per_file);
    kept.sort_unstable();
    let mut plan: Vec<Option<usize>> = vec![None; file.diagnostics.len()];
    for &at in &kept {
        if let Some(step) = plan.get_mut(at) {
            *step = Some(0);
        }
    }
    for on_line in by_line.values() {
        let shown = on_line
            .iter()
            .filter(|&&at| plan.get(at).is_some_and(Option::is_some));
        if let Some(&last) = shown.clone().max() {
            let left_out = on_line.len() - shown.count();
            if let Some(step) = plan.get_mut(last) {
                *step = Some(left_out);
            }
        }
    }
    plan
}

/// A diagnostic seen through miette's trait: its texts escaped and bounded, its labels
/// placed in an excerpt of the document.
struct MietteView {
    code: String,
    level: Level,
    message: String,
    help: Option<String>,
    excerpt: Excerpt,
}

impl MietteView {
    fn new(file: &FileReport<'_>, diagnostic: &Diagnostic, options: HumanOptions) -> Self {
        let text = |t: &str| display_text(t, options.max_text_chars).into_owned();
        let primary = ExcerptLabel {
            span: diagnostic.span,
            text: (!diagnostic.label.is_empty()).then(|| text(&diagnostic.label)),
            primary: true,
        };
        let related = diagnostic.related.iter().map(|r| ExcerptLabel {
            span: r.span,
            text: Some(text(&r.message)),
            primary: false,
        });
        let labels: Vec<ExcerptLabel> = std::iter::once(primary).chain(related).collect();
        let limits = ExcerptLimits {
            max_line_chars: options.max_line_chars,
            max_label_lines: options.max_label_lines,
        };
        Self {
            code: format!("{} {}", diagnostic.code.code, diagnostic.code.name),
            level: diagnostic.level,
            message: text(&diagnostic.message),
            help: help_text(diagnostic).map(|h| text(&h)),
            excerpt: Excerpt::new(file.source, &labels, limits),
        }
    }
}

/// The help line, followed by the witnesses: what to do, then the proof.
fn help_text(diagnostic: &Diagnostic) -> Option<String> {
    let mut lines: Vec<String> = diagnostic.help.iter().cloned().collect();
    lines.extend(diagnostic.witnesses.iter().map(witness_line));
    (!lines.is_empty()).then(|| lines.join("\n"))
}

impl fmt::Debug for MietteView {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("MietteView")
            .field("code", &self.code)
            .finish()
    }
}

impl fmt::Display for MietteView {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for MietteView {}

impl miette::Diagnostic for MietteView {
    fn code<'b>(&'b self) -> Option<Box<dyn fmt::Display + 'b>> {
        Some(Box::new(&self.code))
    }

    fn severity(&self) -> Option<Severity> {
        Some(match self.level {
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
        Some(&self.excerpt)
    }

    fn labels(&self) -> Option<Box<dyn Iterator<Item = LabeledSpan> + '_>> {
        Some(Box::new(self.excerpt.labels()))
    }
}

#[cfg(test)]
mod tests {
    use std::fmt;

    use miette::{GraphicalReportHandler, GraphicalTheme, LabeledSpan, NamedSource};

    use super::{HumanOptions, render_human};
    use crate::diagnostics::render::FileReport;
    use crate::diagnostics::{Diagnostic, Level};
    use crate::registry;
    use crate::source::{SourceFile, Span};

    /// A diagnostic as miette sees it with the whole document as its source: how
    /// snippets were rendered before excerpts, and what they must still look like for
    /// short lines without control characters.
    #[derive(Debug)]
    struct WholeText {
        source: NamedSource<String>,
        labels: Vec<LabeledSpan>,
    }

    impl fmt::Display for WholeText {
        fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            f.write_str("message")
        }
    }

    impl std::error::Error for WholeText {}

    impl miette::Diagnostic for WholeText {
        fn code<'b>(&'b self) -> Option<Box<dyn fmt::Display + 'b>> {
            Some(Box::new("GC0402 duplicate-key"))
        }

        fn severity(&self) -> Option<miette::Severity> {
            Some(miette::Severity::Warning)
        }

        fn source_code(&self) -> Option<&dyn miette::SourceCode> {
            Some(&self.source)
        }

        fn labels(&self) -> Option<Box<dyn Iterator<Item = LabeledSpan> + '_>> {
            Some(Box::new(self.labels.iter().cloned()))
        }
    }

    /// Every primary span of a few short documents, with and without a related label,
    /// renders through the excerpt exactly as through the whole text, but for the
    /// header's column.
    #[test]
    fn excerpts_render_like_the_whole_text() {
        let texts = [
            "version: '1'\nrules:\n  - deny: 'Bash:sudo *'\n    reason: x\n  - allow: '*'\n",
            "a\r\nb\r\n\r\nccc\r\nd",
            "no newline at all",
            "\n\n\nx\n\n",
            "a\nb\nc\nd\ne\nf\ng\nh\n",
        ];
        let handler = GraphicalReportHandler::new_themed(GraphicalTheme::unicode_nocolor())
            .with_width(100)
            .with_links(false);
        let code = registry::lookup("duplicate-key").unwrap();
        for text in texts {
            let source = SourceFile::new("doc.yaml", text);
            for start in 0..=text.len() {
                for end in start..=text.len() {
                    let related = Span::new(text.len() / 2, text.len() / 2 + 1);
                    for with_related in [false, true] {
                        let mut diagnostic =
                            Diagnostic::new(code, Span::new(start, end), "message")
                                .with_label("here");
                        diagnostic.level = Level::Warning;
                        let mut labels = vec![LabeledSpan::new_primary_with_span(
                            Some("here".into()),
                            Span::new(start, end),
                        )];
                        if with_related && related.end <= text.len() {
                            diagnostic = diagnostic.with_related(related, "there");
                            labels.push(LabeledSpan::new_with_span(Some("there".into()), related));
                        }
                        let whole = WholeText {
                            source: NamedSource::new("doc.yaml", text.to_owned()),
                            labels,
                        };
                        let mut expected = String::new();
                        handler.render_report(&mut expected, &whole).unwrap();
                        // The header's column is the line index's, which counts the
                        // `\r` of a `\r\n` as part of the line as every other format does;
                        // miette's own count starts again after it.
                        let position = source.lines().line_col(start);
                        let header = expected
                            .split_once("╭─[")
                            .and_then(|(_, rest)| rest.split_once(']'))
                            .map(|(header, _)| header.to_owned());
                        if let Some(header) = header {
                            let ours = format!("doc.yaml:{}:{}", position.line, position.col);
                            expected = expected.replacen(&header, &ours, 1);
                        }
                        let diagnostics = [diagnostic];
                        let file = FileReport {
                            source: &source,
                            diagnostics: &diagnostics,
                        };
                        let got = render_human(&file, HumanOptions::default());
                        assert_eq!(got, expected, "{text:?} {start}..{end} {with_related}");
                    }
                }
            }
        }
    }

    fn render_one(text: &str, span: Span, options: HumanOptions) -> String {
        let source = SourceFile::new("doc.yaml", text);
        let code = registry::lookup("duplicate-key").unwrap();
        let diagnostics = [Diagnostic::new(code, span, "message").with_label("here")];
        render_human(
            &FileReport {
                source: &source,
                diagnostics: &diagnostics,
            },
            options,
        )
    }

    /// The header's column counts characters, as the JSON and SARIF reports do.
    #[test]
    fn header_columns_count_characters() {
        let text = "é𝄞: 'x'\n";
        let out = render_one(
            text,
            Span::new(text.find('x').unwrap(), text.len() - 2),
            HumanOptions::default(),
        );
        assert!(out.contains("[doc.yaml:1:6]"), "{out}");
    }

    /// A label over more lines than the limit is drawn on its first line and says where
    /// it ends; the lines between are not printed.
    #[test]
    fn long_labels_are_drawn_on_their_first_line() {
        let text: String = (0..30).map(|i| format!("line{i}\n")).collect();
        let start = text.find("line3").unwrap();
        let end = text.find("line25").unwrap() + 6;
        let out = render_one(&text, Span::new(start, end), HumanOptions::default());
        assert!(out.contains("here (through line 26)"), "{out}");
        assert!(!out.contains("line10"), "{out}");
        assert!(out.contains(" 4 │ line3"), "{out}");
    }
}
