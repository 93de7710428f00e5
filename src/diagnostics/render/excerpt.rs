//! The lines a diagnostic's snippet shows, prepared for miette: only the lines around
//! its labels, long lines cut to a window, control characters escaped.
//!
//! miette renders a snippet from whatever text its `SourceCode` returns and positions
//! labels by byte offsets into that text. Handing it the document itself made three
//! problems: it scanned from the first byte on every label (n findings cost n times the
//! document), it printed every line whole (a one-line JSON policy once per label), and
//! it printed raw control characters from the policy. An excerpt is the text miette
//! should see instead: for each group of nearby labels, their lines with one line of
//! margin on each side, each line windowed and escaped, one group after the other in one
//! string. The labels are translated into that string, so the underline sits under the
//! escaped, windowed text; `read_span` answers within one group and reports the group's
//! real line numbers, and the header's column is the document's character column from
//! the line index, the same column every other format reports.
//!
//! Groups are separated by a byte no group contains, so miette cannot join labels from
//! two groups: labels more than a few lines apart get a snippet each instead of one that
//! prints every line between them, and a label over more lines than a snippet should
//! show is drawn on its first line and says where it ends.

use miette::{LabeledSpan, MietteError, MietteSpanContents, SourceCode, SourceSpan, SpanContents};

use super::window::{ELLIPSIS, choose_window};
use crate::diagnostics::escape::{ESCAPE_WIDTH, is_control, push_escaped};
use crate::source::{LineCol, SourceFile, Span};

/// Labels whose lines are at most this far apart share one snippet, with the lines
/// between them shown, as they always have been for the rules of one finding.
const JOIN_LINES: usize = 10;
/// Lines read on each side of a label: miette's one line of context and one of margin,
/// so that its own reader finds the context it expects at either end of a group.
const MARGIN_LINES: usize = 2;

/// How much of the document a snippet may show.
#[derive(Debug, Clone, Copy)]
pub struct ExcerptLimits {
    /// Lines longer than this many characters are shown as a window around the labels.
    pub max_line_chars: usize,
    /// A label over more lines than this is drawn on its first line only.
    pub max_label_lines: usize,
}

/// One label to place: its span in the document, its text (already escaped for
/// display), and whether it is the diagnostic's primary label.
#[derive(Debug, Clone)]
pub struct ExcerptLabel {
    pub span: Span,
    pub text: Option<String>,
    pub primary: bool,
}

/// The text miette reads for one diagnostic, and its labels in that text.
#[derive(Debug)]
pub struct Excerpt {
    name: String,
    text: String,
    groups: Vec<Group>,
    labels: Vec<LabeledSpan>,
    /// Where each label starts in the excerpt, and its line and column in the document.
    starts: Vec<(usize, LineCol)>,
}

/// A run of consecutive document lines in the excerpt.
#[derive(Debug, Clone, Copy)]
struct Group {
    start: usize,
    end: usize,
    first_line: usize,
}

/// One shown line: where its text is in the document and in the excerpt.
#[derive(Debug, Clone)]
struct ShownLine {
    line: usize,
    content_end: usize,
    window: std::ops::Range<usize>,
    /// Excerpt offset of the line, of its first shown character, and of its end.
    at: usize,
    text_at: usize,
    end: usize,
}

/// A label's span clamped to the document and the lines it is drawn on.
#[derive(Debug, Clone)]
struct Placed {
    start: usize,
    end: usize,
    first_line: usize,
    last_line: usize,
    text: Option<String>,
    primary: bool,
}

impl Excerpt {
    pub fn new(source: &SourceFile, labels: &[ExcerptLabel], limits: ExcerptLimits) -> Self {
        let placed: Vec<Placed> = labels
            .iter()
            .map(|label| place(source, label, limits))
            .collect();
        let mut excerpt = Excerpt {
            name: String::new(),
            text: String::new(),
            groups: Vec::new(),
            labels: Vec::new(),
            starts: Vec::new(),
        };
        push_escaped_str(&mut excerpt.name, source.name());
        let mut shown = Vec::new();
        for lines in line_groups(source, &placed) {
            let start = excerpt.text.len();
            for line in lines.clone() {
                shown.push(excerpt.push_line(source, line, &placed, limits));
            }
            excerpt.groups.push(Group {
                start,
                end: excerpt.text.len(),
                first_line: *lines.start(),
            });
            // The separator: no group contains it, so no read spans two groups.
            excerpt.text.push('\n');
        }
        for label in &placed {
            excerpt.place_label(source, label, &shown);
        }
        excerpt
    }

    /// The labels, in excerpt offsets, for miette.
    pub fn labels(&self) -> impl Iterator<Item = LabeledSpan> + '_ {
        self.labels.iter().cloned()
    }

    /// Appends one document line, windowed and escaped, and its line break.
    fn push_line(
        &mut self,
        source: &SourceFile,
        line: usize,
        placed: &[Placed],
        limits: ExcerptLimits,
    ) -> ShownLine {
        let index = source.lines();
        let text = source.text();
        let start = index.line_start(line);
        let content_end = index.line_content_end(line);
        let mut parts: Vec<std::ops::Range<usize>> = Vec::new();
        for label in placed
            .iter()
            .filter(|l| (l.first_line..=l.last_line).contains(&line))
        {
            let part = label.start.clamp(start, content_end)..label.end.clamp(start, content_end);
            if label.primary {
                parts.insert(0, part);
            } else {
                parts.push(part);
            }
        }
        let window = choose_window(text, start..content_end, &parts, limits.max_line_chars);
        let at = self.text.len();
        if window.start > start {
            self.text.push_str(ELLIPSIS);
        }
        let text_at = self.text.len();
        push_escaped_str(&mut self.text, text.get(window.clone()).unwrap_or(""));
        if window.end < content_end {
            self.text.push_str(ELLIPSIS);
        }
        let end = self.text.len();
        // The line break as written (`\n` or `\r\n`), which miette reads as one.
        let next = index.line_start(line + 1);
        self.text
            .push_str(text.get(content_end..next).unwrap_or(""));
        ShownLine {
            line,
            content_end,
            window,
            at,
            text_at,
            end,
        }
    }

    /// Translates a label into excerpt offsets. A label that falls wholly outside its
    /// line's window is drawn under the `...` on its side and says its column.
    fn place_label(&mut self, source: &SourceFile, label: &Placed, shown: &[ShownLine]) {
        let position = source.lines().line_col(label.start);
        let mut start = excerpt_offset(source, shown, label.start);
        let mut end = excerpt_offset(source, shown, label.end).max(start);
        let mut text = label.text.clone();
        if label.end > label.start && end == start {
            if let Some(line) = shown_line(source, shown, label.start) {
                if label.start < line.window.start {
                    (start, end) = (line.at, line.text_at);
                } else {
                    (start, end) = (line.end - ELLIPSIS.len().min(line.end - line.at), line.end);
                }
                let note = format!("(column {})", position.col);
                text = Some(match text {
                    Some(text) => format!("{text} {note}"),
                    None => note,
                });
            }
        }
        let span = SourceSpan::new(start.into(), end - start);
        self.labels.push(if label.primary {
            LabeledSpan::new_primary_with_span(text, span)
        } else {
            LabeledSpan::new_with_span(text, span)
        });
        self.starts.push((start, position));
    }

    fn group_of(&self, span: &SourceSpan) -> Option<Group> {
        let end = span.offset().checked_add(span.len())?;
        self.groups
            .iter()
            .find(|g| g.start <= span.offset() && end <= g.end)
            .copied()
    }
}

/// Clamps a label to the document and to `max_label_lines`.
fn place(source: &SourceFile, label: &ExcerptLabel, limits: ExcerptLimits) -> Placed {
    let text = source.text();
    let index = source.lines();
    let start = floor_char_boundary(text, label.span.start.min(text.len()));
    let mut end = floor_char_boundary(text, label.span.end.min(text.len())).max(start);
    let first_line = index.line_of(start);
    // The line miette draws the label's end on: its last byte's.
    let mut last_line = index.line_of(start + (end - start).saturating_sub(1));
    let mut label_text = label.text.clone();
    if last_line - first_line >= limits.max_label_lines.max(1) {
        let note = format!("(through line {})", last_line + 1);
        label_text = Some(match label_text {
            Some(text) => format!("{text} {note}"),
            None => note,
        });
        end = index.line_content_end(first_line).max(start);
        last_line = first_line;
    }
    Placed {
        start,
        end,
        first_line,
        last_line,
        text: label_text,
        primary: label.primary,
    }
}

/// The line ranges to show: each label's lines with their margin, joined when close.
fn line_groups(source: &SourceFile, placed: &[Placed]) -> Vec<std::ops::RangeInclusive<usize>> {
    let last = source.lines().line_count().saturating_sub(1);
    let mut ranges: Vec<(usize, usize)> = placed
        .iter()
        .map(|l| {
            (
                l.first_line.saturating_sub(MARGIN_LINES),
                (l.last_line + MARGIN_LINES).min(last),
            )
        })
        .collect();
    ranges.sort_unstable();
    let mut groups: Vec<(usize, usize)> = Vec::new();
    for (start, end) in ranges {
        match groups.last_mut() {
            Some(group) if start <= group.1 + JOIN_LINES - 2 * MARGIN_LINES => {
                group.1 = group.1.max(end);
            }
            _ => groups.push((start, end)),
        }
    }
    groups.into_iter().map(|(start, end)| start..=end).collect()
}

/// The shown line holding a document offset.
fn shown_line<'a>(
    source: &SourceFile,
    shown: &'a [ShownLine],
    offset: usize,
) -> Option<&'a ShownLine> {
    let line = source.lines().line_of(offset);
    shown
        .binary_search_by_key(&line, |s| s.line)
        .ok()
        .and_then(|at| shown.get(at))
}

/// Where a document offset is in the excerpt: inside the window, at its place in the
/// escaped text; left of it, at the line's start; right of it, at the line's end; on
/// the line break, on the same byte of the break.
fn excerpt_offset(source: &SourceFile, shown: &[ShownLine], offset: usize) -> usize {
    let Some(line) = shown_line(source, shown, offset) else {
        // Every label's lines are shown; an offset elsewhere is at the excerpt's end.
        return shown.last().map_or(0, |s| s.end);
    };
    if offset < line.window.start {
        return line.at;
    }
    if offset > line.content_end {
        return line.end + (offset - line.content_end);
    }
    if offset > line.window.end {
        return line.end;
    }
    let before = source.text().get(line.window.start..offset).unwrap_or("");
    line.text_at + before.chars().map(escaped_len).sum::<usize>()
}

/// Bytes a character takes in the excerpt.
fn escaped_len(c: char) -> usize {
    if is_control(c) {
        ESCAPE_WIDTH
    } else {
        c.len_utf8()
    }
}

fn push_escaped_str(out: &mut String, text: &str) {
    for c in text.chars() {
        push_escaped(out, c);
    }
}

fn floor_char_boundary(text: &str, mut offset: usize) -> usize {
    while offset > 0 && !text.is_char_boundary(offset) {
        offset -= 1;
    }
    offset
}

impl SourceCode for Excerpt {
    fn read_span<'b>(
        &'b self,
        span: &SourceSpan,
        context_lines_before: usize,
        context_lines_after: usize,
    ) -> Result<Box<dyn SpanContents<'b> + 'b>, MietteError> {
        let group = self.group_of(span).ok_or(MietteError::OutOfBounds)?;
        let text = self
            .text
            .get(group.start..group.end)
            .ok_or(MietteError::OutOfBounds)?;
        let relative = SourceSpan::new((span.offset() - group.start).into(), span.len());
        let inner = text.read_span(&relative, context_lines_before, context_lines_after)?;
        let shifted = SourceSpan::new(
            (inner.span().offset() + group.start).into(),
            inner.span().len(),
        );
        // miette puts the line and column of the label it reads without context in the
        // snippet's header; the column is the document's, in characters.
        let column = match self.starts.iter().find(|(at, _)| *at == span.offset()) {
            Some((_, position)) if context_lines_before == 0 => position.col - 1,
            _ => inner.column(),
        };
        Ok(Box::new(MietteSpanContents::new_named(
            self.name.clone(),
            inner.data(),
            shifted,
            inner.line() + group.first_line,
            column,
            inner.line_count() + group.first_line,
        )))
    }
}
