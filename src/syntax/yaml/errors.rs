//! Turning YAML problems into diagnostics users can act on.
//!
//! saphyr's messages are written for parser authors ("while parsing a block collection,
//! did not find expected '-' indicator"); the common mistakes in policy files (a tab in
//! the indentation, an unclosed quote or bracket, a bare `*` pattern, a misaligned line)
//! get a plain-language message, a precise position and a fix here. The parser's own
//! text is kept in `compat_message` behind the reference's `YAML parse error: ` prefix,
//! which is the only part of the reference's text that is normative.

use saphyr_parser::ScanError;

use super::offsets::Offsets;
use crate::diagnostics::Diagnostic;
use crate::diagnostics::codes::syntax::{LIMIT_EXCEEDED, YAML_CONSTRUCT, YAML_SYNTAX};
use crate::source::Span;
use crate::syntax::Limits;

/// PyYAML's way of naming a position: `  in "<unicode string>", line 2, column 5`.
pub(super) fn pyyaml_mark(text: &str, offset: usize) -> String {
    let offset = floor_boundary(text, offset.min(text.len()));
    let before = text.get(..offset).unwrap_or("");
    let line = before.matches('\n').count() + 1;
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    let column = before.get(line_start..).map_or(0, |s| s.chars().count()) + 1;
    format!("  in \"<unicode string>\", line {line}, column {column}")
}

fn floor_boundary(text: &str, mut offset: usize) -> usize {
    while offset > 0 && !text.is_char_boundary(offset) {
        offset -= 1;
    }
    offset
}

/// The span of the character at `offset` (empty at the end of the text).
fn char_span(text: &str, offset: usize) -> Span {
    let offset = floor_boundary(text, offset.min(text.len()));
    let len = text
        .get(offset..)
        .and_then(|rest| rest.chars().next())
        .map_or(0, char::len_utf8);
    Span::new(offset, offset + len)
}

/// A value the reference's safe loader refuses to construct (GC0004). `context` is
/// PyYAML's "while ..." line, when it has one.
pub(super) fn construct(
    text: &str,
    span: Span,
    context: Option<(&str, usize)>,
    problem: &str,
) -> Diagnostic {
    let mut compat = String::from("YAML parse error: ");
    if let Some((what, at)) = context {
        compat.push_str(what);
        compat.push('\n');
        compat.push_str(&pyyaml_mark(text, at));
        compat.push('\n');
    }
    compat.push_str(problem);
    compat.push('\n');
    compat.push_str(&pyyaml_mark(text, span.start));
    Diagnostic::new(&YAML_CONSTRUCT, span, problem).with_compat(compat)
}

/// A document past one of the limits (GC0006).
pub(super) fn limit(span: Span, message: String, help: &str) -> Diagnostic {
    Diagnostic::new(&LIMIT_EXCEEDED, span, message).with_help(help)
}

pub(super) fn too_deep(span: Span, limits: &Limits) -> Diagnostic {
    limit(
        span,
        format!("nesting deeper than {} levels", limits.max_depth),
        "flatten the document: a policy needs only a few levels of nesting",
    )
    .with_label("this collection is nested too deeply")
}

/// An open flow collection, for pointing at the bracket an error leaves unclosed.
#[derive(Debug, Clone, Copy)]
pub(super) struct OpenFlow {
    pub(super) mapping: bool,
    pub(super) start: usize,
}

/// A parse error from saphyr, mapped to a diagnostic.
pub(super) fn scan_error(
    text: &str,
    offsets: &Offsets,
    err: &ScanError,
    open_flows: &[OpenFlow],
    limits: &Limits,
) -> Diagnostic {
    let info = err.info();
    let at = offsets.byte(err.marker().index());
    let compat = format!("YAML parse error: {info}\n{}", pyyaml_mark(text, at));
    let here = char_span(text, at);
    let syntax = |span: Span, message: &str, help: &str| {
        Diagnostic::new(&YAML_SYNTAX, span, message)
            .with_help(help)
            .with_compat(compat.clone())
    };

    if info.contains("invalid Unicode character escape code")
        && let Some(diagnostic) = surrogate_escape(text, at)
    {
        return diagnostic;
    }
    if info.contains("recursion limit exceeded") {
        return too_deep(here, limits).with_compat(compat);
    }
    if info.contains("found unknown anchor") {
        let name = name_after_sigil(text, at);
        let message = format!("found undefined alias '{name}'");
        let compat = format!("YAML parse error: {message}\n{}", pyyaml_mark(text, at));
        return Diagnostic::new(&YAML_CONSTRUCT, Span::new(at, at + 1 + name.len()), message)
            .with_label("no anchor of this name is defined above")
            .with_help(format!(
                "define the anchor (`&{name}`) on a value before this alias uses it, or \
                 quote the value if `*` was meant literally"
            ))
            .with_compat(compat);
    }
    // Tabs: saphyr words these errors many ways ("tabs disallowed ...", "':' must be
    // followed by a valid YAML whitespace" for `key:\tvalue`); all are the tab rule.
    let near_tab = [Some(at), at.checked_add(1), at.checked_sub(1)]
        .into_iter()
        .flatten()
        .find(|&p| text.as_bytes().get(p) == Some(&b'\t'));
    let tab = if info.contains("tab") {
        indentation_tab(text, at).or(near_tab)
    } else {
        near_tab
    };
    if let Some(tab) = tab {
        return super::tabs::refused_tab(text, tab).with_compat(compat);
    }
    if info.starts_with("while scanning a quoted scalar, found unexpected") {
        return unclosed_quote(text, at, &compat);
    }
    for (prefix, mapping, close) in [
        ("while parsing a flow sequence", false, ']'),
        ("while parsing a flow mapping", true, '}'),
    ] {
        if info.starts_with(prefix) {
            return unclosed_flow(text, at, mapping, close, open_flows, &compat);
        }
    }
    if info.starts_with("while scanning an anchor or alias") {
        let sigil = text.get(at..).and_then(|s| s.chars().next()).unwrap_or('*');
        let (message, help) = if sigil == '&' {
            (
                "`&` must be followed by an anchor name",
                "quote the value if `&` is part of the text: `deny: '&x'`",
            )
        } else {
            (
                "`*` must be followed by an alias name",
                "a value starting with `*` is an alias in YAML; quote a pattern that starts \
                 with `*`: `deny: '*'`",
            )
        };
        return syntax(here, message, help).with_label("this starts an alias or anchor");
    }
    if info.contains("mapping values are not allowed") {
        return syntax(
            here,
            "unexpected `:` in a value",
            "quote the value if it contains `: ` (for example `deny: 'a: b'`), or fix the \
             indentation of this line",
        );
    }
    if info.contains("did not find expected '-' indicator")
        || info.contains("did not find expected key")
    {
        return syntax(
            here,
            "this line is not aligned with the entries above it",
            "indent the line exactly like its siblings; YAML nests by indentation",
        );
    }
    let message = lowercase_first(info);
    syntax(
        here,
        &message,
        "check the indentation and quoting at this position; quoting a value that \
         contains YAML punctuation usually helps",
    )
}

/// A `\u`/`\U` escape of a UTF-16 surrogate in the double-quoted scalar starting at
/// `quote`. PyYAML's `chr()` builds a string holding the lone surrogate (even a pair of
/// escapes stays two lone halves), which Rust strings cannot hold and no stand-in would
/// match the same requests; guardc refuses the document, where the reference loads it,
/// so there is no compat message.
fn surrogate_escape(text: &str, quote: usize) -> Option<Diagnostic> {
    let scalar = text.get(quote..)?;
    let bytes = scalar.as_bytes();
    let mut i = 1;
    while i < bytes.len() {
        match bytes.get(i) {
            Some(b'"') => return None,
            Some(b'\\') => {
                let len = match bytes.get(i + 1) {
                    Some(b'u') => 4,
                    Some(b'U') => 8,
                    _ => {
                        i += 2;
                        continue;
                    }
                };
                let digits = scalar.get(i + 2..i + 2 + len)?;
                let code = u32::from_str_radix(digits, 16).ok()?;
                if (0xD800..0xE000).contains(&code) {
                    let start = quote + i;
                    let escape = text.get(start..start + 2 + len).unwrap_or("");
                    return Some(
                        Diagnostic::new(
                            &YAML_SYNTAX,
                            Span::new(start, start + 2 + len),
                            format!("the escape `{escape}` is a lone surrogate"),
                        )
                        .with_label("half of a UTF-16 surrogate pair")
                        .with_help(
                            "write the character itself, or `\\U` with its code point \
                             (`\\U0001F600`); the reference keeps a surrogate escape as a \
                             lone surrogate, which guardc cannot represent, so it refuses the \
                             document rather than change what the pattern matches",
                        ),
                    );
                }
                i += 2 + len;
            }
            _ => i += 1,
        }
    }
    None
}

fn lowercase_first(text: &str) -> String {
    let mut chars = text.chars();
    chars.next().map_or_else(String::new, |first| {
        first.to_lowercase().chain(chars).collect()
    })
}

/// The name after a `*` or `&` at `at`, as far as YAML anchor characters go.
pub(super) fn name_after_sigil(text: &str, at: usize) -> &str {
    let rest = text.get(at + 1..).unwrap_or("");
    let end = rest
        .find(|c: char| c.is_whitespace() || ",[]{}".contains(c))
        .unwrap_or(rest.len());
    rest.get(..end).unwrap_or("")
}

/// The first tab in the indentation of the line containing `at` (saphyr reports some
/// indentation tabs just past the tab, or at the end of the indentation).
fn indentation_tab(text: &str, at: usize) -> Option<usize> {
    let at = floor_boundary(text, at.min(text.len()));
    let line_start = text.get(..at)?.rfind('\n').map_or(0, |i| i + 1);
    let line = text.get(line_start..)?;
    let indent_len = line
        .find(|c: char| c != ' ' && c != '\t')
        .unwrap_or(line.len());
    line.get(..indent_len)?.find('\t').map(|i| line_start + i)
}

fn unclosed_quote(text: &str, open: usize, compat: &str) -> Diagnostic {
    let quote = text
        .get(open..)
        .and_then(|s| s.chars().next())
        .unwrap_or('\'');
    // The string runs into a `---`/`...` line or the end of the text.
    let stop = text
        .get(open..)
        .and_then(|rest| {
            rest.match_indices('\n')
                .map(|(i, _)| open + i + 1)
                .find(|&line| {
                    let l = text.get(line..).unwrap_or("");
                    l.starts_with("---") || l.starts_with("...")
                })
        })
        .unwrap_or(text.len());
    Diagnostic::new(
        &YAML_SYNTAX,
        char_span(text, stop),
        "unclosed quoted string",
    )
    .with_label("the string is still open here")
    .with_help(format!(
        "close the string with {quote} on the same value (write {quote}{quote} for a \
             literal {quote} inside a single-quoted string, \\\" inside a double-quoted one)"
    ))
    .with_related(Span::new(open, open + 1), "the string starts here")
    .with_compat(compat)
}

fn unclosed_flow(
    text: &str,
    at: usize,
    mapping: bool,
    close: char,
    open_flows: &[OpenFlow],
    compat: &str,
) -> Diagnostic {
    let open = open_flows.iter().rev().find(|f| f.mapping == mapping);
    let (what, open_char) = if mapping {
        ("mapping", '{')
    } else {
        ("list", '[')
    };
    let at_end = text.get(at..).is_none_or(|rest| rest.trim().is_empty());
    let mut diagnostic = if at_end {
        Diagnostic::new(
            &YAML_SYNTAX,
            char_span(text, text.len()),
            format!("unclosed `{open_char}`"),
        )
        .with_label(format!("the document ends before the `{close}`"))
        .with_help(format!(
            "add the closing `{close}` at the end of the {what}"
        ))
    } else {
        Diagnostic::new(
            &YAML_SYNTAX,
            char_span(text, at),
            format!("expected `,` or `{close}` in a flow {what}"),
        )
        .with_help(format!(
            "separate the entries with commas and close the {what} with `{close}`; quote \
             values that contain `[`, `]`, `{{`, `}}` or `,`"
        ))
    };
    if let Some(open) = open {
        diagnostic = diagnostic.with_related(
            Span::new(open.start, open.start + 1),
            format!("the {what} opened here"),
        );
    }
    diagnostic.with_compat(compat)
}
