//! Tab characters where the reference's YAML reader refuses them.
//!
//! YAML 1.2 (saphyr) treats tabs as ordinary separation whitespace in many places;
//! PyYAML's 1.1 scanner skips only spaces between tokens and stops plain scalars at a
//! tab, so it refuses a tab anywhere except inside a quoted scalar, in block scalar
//! content past its indentation, and in a comment (`key:\tvalue` and `a b\tc` are both
//! errors for it). The reference would refuse such a document, so guardc does too.
//! saphyr still finds the structure; this check then looks at each tab against the
//! regions where PyYAML allows one.

use crate::diagnostics::Diagnostic;
use crate::diagnostics::codes::syntax::YAML_SYNTAX;
use crate::source::Span;

/// The spans (in document order) where a tab may appear.
#[derive(Debug, Default)]
pub(super) struct TabRegions {
    /// Recording is skipped for the common tab-free document.
    pub(super) active: bool,
    quoted: Vec<Span>,
    blocks: Vec<Span>,
}

impl TabRegions {
    pub(super) fn new(text: &str) -> Self {
        Self {
            active: text.contains('\t'),
            ..Self::default()
        }
    }

    pub(super) fn record_quoted(&mut self, span: Span) {
        if self.active {
            self.quoted.push(span);
        }
    }

    pub(super) fn record_block(&mut self, span: Span) {
        if self.active {
            self.blocks.push(span);
        }
    }

    /// The first tab PyYAML would refuse, if any.
    pub(super) fn first_refused_tab(&self, text: &str) -> Option<usize> {
        if !self.active {
            return None;
        }
        text.match_indices('\t').map(|(at, _)| at).find(|&at| {
            if containing(&self.quoted, at).is_some() {
                return false;
            }
            if let Some(block) = containing(&self.blocks, at) {
                return !block_allows(text, block, at);
            }
            !self.in_comment(text, at)
        })
    }

    /// Whether `at` follows a `#` that starts a comment on its line.
    fn in_comment(&self, text: &str, at: usize) -> bool {
        let line_start = text
            .get(..at)
            .and_then(|s| s.rfind('\n'))
            .map_or(0, |i| i + 1);
        let mut pos = line_start;
        let mut previous = None;
        while pos < at {
            if let Some(quoted) = containing(&self.quoted, pos) {
                pos = quoted.end;
                previous = Some('\'');
                continue;
            }
            let Some(c) = text.get(pos..).and_then(|s| s.chars().next()) else {
                return false;
            };
            if c == '#' && previous.is_none_or(|p: char| p == ' ' || p == '\t') {
                return true;
            }
            previous = Some(c);
            pos += c.len_utf8();
        }
        false
    }
}

/// The span of `spans` (sorted by start, not overlapping) that contains `at`.
fn containing(spans: &[Span], at: usize) -> Option<Span> {
    let after = spans.partition_point(|s| s.start <= at);
    spans
        .get(after.checked_sub(1)?)
        .copied()
        .filter(|s| at < s.end)
}

/// A tab in a block scalar is content when it follows the scalar's indentation (or any
/// other character) on a content line; on the header line or inside the indentation
/// PyYAML refuses it.
fn block_allows(text: &str, block: Span, at: usize) -> bool {
    let Some(header_end) = text
        .get(block.start..block.end)
        .and_then(|s| s.find('\n'))
        .map(|i| block.start + i)
    else {
        return false;
    };
    if at < header_end {
        return false;
    }
    let line_start = text
        .get(..at)
        .and_then(|s| s.rfind('\n'))
        .map_or(0, |i| i + 1);
    let before = text.get(line_start..at).unwrap_or("");
    if before.chars().any(|c| c != ' ') {
        return true;
    }
    let indent = text
        .get(header_end + 1..block.end)
        .unwrap_or("")
        .lines()
        .find(|line| !line.trim().is_empty())
        .map_or(0, |line| line.len() - line.trim_start_matches(' ').len());
    before.len() >= indent
}

pub(super) fn refused_tab(text: &str, at: usize) -> Diagnostic {
    let line_start = text
        .get(..at)
        .and_then(|s| s.rfind('\n'))
        .map_or(0, |i| i + 1);
    let indentation = text
        .get(line_start..at)
        .is_some_and(|s| s.chars().all(|c| c == ' ' || c == '\t'));
    let (message, help) = if indentation {
        (
            "tab character used for indentation",
            "indent with spaces; YAML forbids tabs in indentation",
        )
    } else {
        (
            "tab character outside a quoted string",
            "replace the tab with spaces; the reference's YAML reader accepts tabs only inside \
             quoted strings, block scalars and comments",
        )
    };
    Diagnostic::new(&YAML_SYNTAX, Span::new(at, at + 1), message)
        .with_label("this is a tab")
        .with_help(help)
        .with_compat(format!(
            "YAML parse error: while scanning for the next token\nfound character '\\t' that \
             cannot start any token\n{}",
            super::errors::pyyaml_mark(text, at)
        ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_spans_containing_an_offset() {
        let spans = [Span::new(2, 5), Span::new(8, 9)];
        assert_eq!(containing(&spans, 1), None);
        assert_eq!(containing(&spans, 2), Some(Span::new(2, 5)));
        assert_eq!(containing(&spans, 4), Some(Span::new(2, 5)));
        assert_eq!(containing(&spans, 5), None);
        assert_eq!(containing(&spans, 8), Some(Span::new(8, 9)));
        assert_eq!(containing(&spans, 9), None);
    }

    #[test]
    fn block_content_tabs_follow_the_indentation() {
        let text = "a: |\n  x\n  \ty\n\tz\n";
        let block = Span::new(3, text.len() - 1);
        assert!(block_allows(text, block, text.find("\ty").unwrap_or(0)));
        assert!(!block_allows(text, block, text.find("\tz").unwrap_or(0)));
        let header = "a: |\t\n  x\n";
        assert!(!block_allows(header, Span::new(3, header.len()), 4));
    }
}
