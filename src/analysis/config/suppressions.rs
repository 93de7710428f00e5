//! Inline suppressions: `# guardc: allow(unreachable-rule, GC0402)` written as a YAML
//! comment on a rule, or at the top of the file for the whole document.
//!
//! Comments are not part of the value tree, so this scans the source text line by line.
//! A `#` only starts a comment at the beginning of a line or after a blank, and only
//! outside quoted and block scalars, which the tree locates: a scan of the lines alone
//! could not tell a `#` in a quoted string from a comment. A suppression is attached to
//! a rule when it is at the end of the rule's first line, or in the block of comment
//! lines just above it; before `rules:` it covers the whole file. Anything else would
//! silently suppress nothing, so it is reported (`GC0490 unknown-suppression`), like an
//! unknown code or a load error named in one (load errors cannot be suppressed: the
//! reference refuses the document whatever the comment says).

use super::levels::{is_load_code, unknown_code};
use crate::analysis::Context;
use crate::diagnostics::codes::comments::UNKNOWN_SUPPRESSION;
use crate::diagnostics::{CodeInfo, Diagnostic};
use crate::policy::LoadResult;
use crate::registry;
use crate::source::Span;
use crate::syntax::{Node, NodeKind, ScalarStyle};

/// The suppressions written in one document.
#[derive(Debug, Clone, Default)]
pub struct Suppressions {
    file: Vec<&'static CodeInfo>,
    rules: Vec<RuleSuppression>,
}

/// Codes suppressed for one rule.
#[derive(Debug, Clone)]
struct RuleSuppression {
    index: usize,
    span: Span,
    codes: Vec<&'static CodeInfo>,
}

/// A `#` comment on one line of the source.
#[derive(Debug, Clone, Copy)]
struct Comment<'a> {
    /// Byte offset of the text after `#`.
    text_start: usize,
    text: &'a str,
    /// Nothing but blanks before the `#`.
    whole_line: bool,
}

impl Comment<'_> {
    /// The comment's text without the blanks around it.
    fn trimmed_span(&self) -> Span {
        let lead = self.text.len() - self.text.trim_start().len();
        let end = self.text.trim_end().len().max(lead);
        Span::new(self.text_start + lead, self.text_start + end)
    }
}

/// A parsed `guardc: allow(...)`: each entry with its span, or why it is malformed.
type Parsed = Result<Vec<(Span, String)>, Span>;

impl Suppressions {
    /// Read the suppression comments of a document; returns them with a diagnostic for
    /// each one that suppresses nothing.
    pub fn scan(loaded: &LoadResult) -> (Self, Vec<Diagnostic>) {
        let source = &loaded.source;
        let mut suppressions = Self::default();
        let mut problems = Vec::new();
        // JSON has no comments: a `#` in a JSON file is inside a string (or a syntax error).
        // Most documents have no directive at all, which one substring search tells.
        if source.extension().as_deref() == Some("json") || !source.text().contains("guardc:") {
            return (suppressions, problems);
        }
        let mut protected = Vec::new();
        if let Some(document) = &loaded.document {
            protected_ranges(source.text(), document, &mut protected);
        }
        protected.sort();
        let comments = line_comments(source.text(), &protected);
        let lines = source.lines();
        let context = Context::new(loaded);
        let rules: Vec<(usize, Span, usize)> = context
            .rule_nodes()
            .iter()
            .enumerate()
            .map(|(index, node)| (index, node.span, lines.line_of(node.span.start)))
            .collect();
        let rules_key_line = context
            .root()
            .and_then(|root| root.entry("rules"))
            .map(|entry| lines.line_of(entry.key.span.start));

        for (line, comment) in comments.iter().enumerate() {
            let Some(comment) = comment else { continue };
            let Some(parsed) = parse_suppression(comment) else {
                continue;
            };
            let entries = match parsed {
                Ok(entries) => entries,
                Err(span) => {
                    problems.push(
                        Diagnostic::new(
                            &UNKNOWN_SUPPRESSION,
                            span,
                            "malformed suppression comment",
                        )
                        .with_label("expected `allow(...)` with codes or names")
                        .with_help("write `# guardc: allow(CODE or name, ...)`"),
                    );
                    continue;
                }
            };
            let codes = resolve_codes(&entries, &mut problems);
            // The rules this comment is on: those starting on its own line, or, for a block
            // of whole-line comments, on the first line after the block.
            let target_line = if comment.whole_line {
                let mut next = line + 1;
                while comments
                    .get(next)
                    .is_some_and(|c| c.is_some_and(|c| c.whole_line))
                {
                    next += 1;
                }
                next
            } else {
                line
            };
            let attached: Vec<_> = rules.iter().filter(|r| r.2 == target_line).collect();
            if !attached.is_empty() {
                for &&(index, span, _) in &attached {
                    suppressions.rules.push(RuleSuppression {
                        index,
                        span,
                        codes: codes.clone(),
                    });
                }
            } else if rules_key_line.is_none_or(|key_line| line <= key_line) {
                suppressions.file.extend(codes);
            } else {
                let span = comment.trimmed_span();
                problems.push(
                    Diagnostic::new(
                        &UNKNOWN_SUPPRESSION,
                        span,
                        "this suppression is not on a rule, so it suppresses nothing",
                    )
                    .with_label("not attached to a rule")
                    .with_help(
                        "write it on the line just above the rule, at the end of the rule's \
                         first line, or before `rules:` for the whole file",
                    ),
                );
            }
        }
        (suppressions, problems)
    }

    /// Whether a diagnostic is suppressed: its code is allowed for the whole file, or for
    /// the rule it concerns (its rule index, or the rule its span starts in). Load errors
    /// never are.
    pub fn suppresses(&self, diagnostic: &Diagnostic) -> bool {
        let code = diagnostic.code;
        if is_load_code(code) {
            return false;
        }
        let names = |codes: &[&CodeInfo]| codes.iter().any(|c| c.code == code.code);
        names(&self.file)
            || self.rules.iter().any(|rule| {
                let concerns = diagnostic.rule_index == Some(rule.index)
                    || (rule.span.start <= diagnostic.span.start
                        && diagnostic.span.start < rule.span.end);
                concerns && names(&rule.codes)
            })
    }

    pub fn is_empty(&self) -> bool {
        self.file.is_empty() && self.rules.is_empty()
    }
}

/// The registered codes a suppression names; unknown ones and load errors are reported.
fn resolve_codes(
    entries: &[(Span, String)],
    problems: &mut Vec<Diagnostic>,
) -> Vec<&'static CodeInfo> {
    let mut codes = Vec::new();
    for (span, word) in entries {
        match registry::lookup(word) {
            Some(info) if is_load_code(info) => problems.push(
                Diagnostic::new(
                    &UNKNOWN_SUPPRESSION,
                    *span,
                    format!(
                        "`{} {}` is a load error and cannot be suppressed",
                        info.code, info.name
                    ),
                )
                .with_label("a load error")
                .with_help(
                    "the reference refuses a document with this problem, so the policy does \
                     not load whatever the comment says; fix the document instead",
                ),
            ),
            Some(info) => codes.push(info),
            None => {
                let error = unknown_code(word);
                let mut diagnostic = Diagnostic::new(
                    &UNKNOWN_SUPPRESSION,
                    *span,
                    format!("{} in a suppression comment", error.message),
                )
                .with_label("not a registered code or name");
                if let Some(help) = error.help {
                    diagnostic = diagnostic.with_help(help);
                }
                problems.push(diagnostic);
            }
        }
    }
    codes
}

/// `guardc: allow(a, b)` after the `#`: `None` when the comment is not a guardc
/// directive at all, the entries with their spans, or the span of a malformed one.
/// Text after the closing parenthesis is free (room for a reason).
fn parse_suppression(comment: &Comment<'_>) -> Option<Parsed> {
    let text = comment.text;
    let body = text.trim_start().strip_prefix("guardc:")?;
    // `# guardc: expect ...` is an expectation the language server checks, not a
    // suppression.
    if body.trim_start().starts_with("expect") {
        return None;
    }
    let whole = comment.trimmed_span();
    let list = body
        .trim_start()
        .strip_prefix("allow")
        .map(str::trim_start)
        .and_then(|rest| rest.strip_prefix('('));
    let Some((list, inside)) = list.and_then(|list| Some((list, list.get(..list.find(')')?)?)))
    else {
        return Some(Err(whole));
    };
    // `list` is a suffix of `text`, which gives the entries' offsets.
    let mut at = comment.text_start + text.len() - list.len();
    let mut entries = Vec::new();
    for part in inside.split(',') {
        let word = part.trim();
        if word.is_empty() {
            return Some(Err(whole));
        }
        let start = at + (part.len() - part.trim_start().len());
        entries.push((Span::new(start, start + word.len()), word.to_owned()));
        at += part.len() + 1;
    }
    Some(Ok(entries))
}

/// The comment on each line of the text, if any (index = 0-based line).
fn line_comments<'a>(text: &'a str, protected: &[Span]) -> Vec<Option<Comment<'a>>> {
    let mut comments = Vec::new();
    let mut line_start = 0;
    for line in text.split('\n') {
        let mut previous = None;
        let mut found = None;
        for (i, c) in line.char_indices() {
            let after_blank = previous.is_none_or(|p: char| p == ' ' || p == '\t');
            if c == '#' && after_blank && !inside(protected, line_start + i) {
                let rest = line.get(i + 1..).unwrap_or("");
                found = Some(Comment {
                    text_start: line_start + i + 1,
                    text: rest.strip_suffix('\r').unwrap_or(rest),
                    whole_line: line.get(..i).is_some_and(|before| before.trim().is_empty()),
                });
                break;
            }
            previous = Some(c);
        }
        comments.push(found);
        line_start += line.len() + 1;
    }
    comments
}

/// Whether an offset lies inside one of the sorted protected ranges. Scalars are leaves,
/// so their ranges do not overlap: only the last one starting at or before the offset
/// can contain it.
fn inside(ranges: &[Span], offset: usize) -> bool {
    let after = ranges.partition_point(|s| s.start <= offset);
    after
        .checked_sub(1)
        .and_then(|last| ranges.get(last))
        .is_some_and(|s| offset < s.end)
}

/// The source ranges in which a `#` is scalar text rather than a comment: quoted and
/// block scalars (keys included). Plain scalars cannot contain a `#` after a blank, so
/// they need none. A quoted scalar's range is measured from its opening quote to its
/// closing one in the text, because the parser's span for a quoted scalar that ends a
/// block mapping can run on over a trailing comment.
fn protected_ranges(text: &str, node: &Node, out: &mut Vec<Span>) {
    match &node.kind {
        NodeKind::Seq(items) | NodeKind::Set(items) => {
            items
                .iter()
                .for_each(|item| protected_ranges(text, item, out));
        }
        NodeKind::Map(mapping) => {
            for entry in &mapping.entries {
                protected_ranges(text, &entry.key, out);
                protected_ranges(text, &entry.value, out);
            }
        }
        _ => match node.style {
            ScalarStyle::SingleQuoted | ScalarStyle::DoubleQuoted => {
                out.push(quoted_range(text, node.span));
            }
            ScalarStyle::Literal | ScalarStyle::Folded => out.push(node.span),
            _ => {}
        },
    }
}

/// From the opening quote at `span.start` to just after the closing one: `''` is an
/// escaped quote in single-quoted scalars, a backslash escapes in double-quoted ones.
/// Falls back to the parser's span when the text does not start with a quote (a tagged
/// scalar, say).
fn quoted_range(text: &str, span: Span) -> Span {
    let Some(rest) = text.get(span.start..) else {
        return span;
    };
    let mut chars = rest.char_indices();
    let quote = match chars.next() {
        Some((_, q @ ('\'' | '"'))) => q,
        _ => return span,
    };
    let mut escaped = false;
    let mut previous_quote = false;
    for (i, c) in chars {
        if quote == '"' {
            if escaped {
                escaped = false;
            } else if c == '\\' {
                escaped = true;
            } else if c == '"' {
                return Span::new(span.start, span.start + i + 1);
            }
        } else if previous_quote {
            // The quote before was not doubled: it closed the scalar.
            if c != '\'' {
                return Span::new(span.start, span.start + i);
            }
            previous_quote = false;
        } else if c == '\'' {
            previous_quote = true;
        }
    }
    if previous_quote {
        return Span::new(span.start, text.len());
    }
    span
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quoted_ranges_end_at_the_closing_quote() {
        let text = "a: 'it''s # x'   # c\nb: \"q \\\" # y\"  # d\n";
        let single = text.find('\'').unwrap_or(0);
        let range = quoted_range(text, Span::new(single, text.len()));
        assert_eq!(&text[range.start..range.end], "'it''s # x'");
        let double = text.find('"').unwrap_or(0);
        let range = quoted_range(text, Span::new(double, text.len()));
        assert_eq!(&text[range.start..range.end], "\"q \\\" # y\"");
        // Not at a quote: the parser's span is kept.
        assert_eq!(quoted_range(text, Span::new(0, 1)), Span::new(0, 1));
    }

    #[test]
    fn comments_start_after_blanks_outside_protected_ranges() {
        let text = "a: b#c # one\n  # two\nc: 'd # e'\n";
        let quoted = text.find('\'').unwrap_or(0);
        let comments = line_comments(text, &[Span::new(quoted, quoted + 9)]);
        let found: Vec<_> = comments
            .iter()
            .map(|c| c.map(|c| (c.text, c.whole_line)))
            .collect();
        assert_eq!(
            found,
            [Some((" one", false)), Some((" two", true)), None, None]
        );
    }
}
