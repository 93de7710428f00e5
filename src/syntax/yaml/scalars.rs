//! Scalar events: the value a scalar stands for under its tag and style, as PyYAML's
//! resolver and safe constructor build it, and the span of its source text.
//!
//! Values PyYAML cannot construct (unknown tags, invalid tagged text) become deferred
//! diagnostics with a null placeholder, so the rest of the document is still checked.

use std::borrow::Cow;

use saphyr_parser::ScalarStyle as YamlStyle;

use super::arena::{Raw, RawKind};
use super::builder::{Builder, CORE, Outcome, Special, fail, style_of};
use super::errors;
use super::reader::BOM_STAND_IN;
use super::refold::{pyyaml_block_from_source, pyyaml_plain_value, pyyaml_quoted_value};
use crate::diagnostics::Diagnostic;
use crate::diagnostics::codes::syntax::YAML_SYNTAX;
use crate::source::Span;
use crate::syntax::NodeKind;
use crate::syntax::yaml_scalar::{self, ScalarError};

impl Builder<'_> {
    pub(super) fn scalar(
        &mut self,
        value: &str,
        style: YamlStyle,
        anchor: usize,
        tag: Option<String>,
        mut span: Span,
    ) -> Outcome<()> {
        let mut value = Cow::Borrowed(value);
        match style {
            YamlStyle::Literal | YamlStyle::Folded => {
                let end = span.end;
                span = self.block_scalar_span(span);
                self.tabs.record_block(Span::new(span.start, end));
                let chomped = self.chomp(&value, Span::new(span.start, end)).len();
                if chomped < value.len() {
                    value.to_mut().truncate(chomped);
                }
                if let Some(source) = self.separated(Span::new(span.start, end))
                    && let Some(refolded) = pyyaml_block_from_source(source)
                {
                    value = Cow::Owned(refolded);
                }
            }
            YamlStyle::SingleQuoted | YamlStyle::DoubleQuoted => {
                span = quoted_span(self.text, span, style);
                self.tabs.record_quoted(span);
                if self.joined_lines {
                    self.joinable.push(span);
                }
                let nel = self
                    .text
                    .get(span.start..span.end)
                    .is_some_and(|s| s.contains('\u{85}'));
                if let Some(source) = self
                    .separated(span)
                    .or_else(|| nel.then(|| self.text.get(span.start..span.end)).flatten())
                    && let Some(refolded) = pyyaml_quoted_value(source)
                {
                    value = Cow::Owned(refolded);
                }
            }
            YamlStyle::Plain => {
                if let Some(source) = self.separated(span) {
                    value = Cow::Owned(pyyaml_plain_value(source));
                }
            }
        }
        if self.bom_stand_ins && value.contains(BOM_STAND_IN) {
            value = Cow::Owned(value.replace(BOM_STAND_IN, "\u{feff}"));
        }
        let value: &str = &value;
        if value.is_empty() && style == YamlStyle::Plain && tag.is_none() && anchor == 0 {
            self.check_implicit_empty_key(span)?;
        }
        let (kind, special) = match self.construct_scalar(value, style, tag.as_deref(), span) {
            Ok(resolved) => resolved,
            Err(diagnostic) => {
                self.defer(*diagnostic);
                (NodeKind::Null, Special::None)
            }
        };
        let index = self.arena.push(Raw {
            kind: RawKind::Leaf(kind),
            span,
            style: style_of(style),
            size: 1,
            height: 0,
        });
        self.define_anchor(anchor, span.start)?;
        if anchor != 0 {
            self.anchors.insert(anchor, index);
            self.arena.mark_shared(index);
        }
        self.attach(index, special)
    }

    /// The source text of `span` when saphyr cannot give its value (see
    /// [`super::refold`]): it holds an LS or PS, or any line break when the parsed text
    /// has lines joined.
    fn separated(&self, span: Span) -> Option<&str> {
        let source = self.text.get(span.start..span.end)?;
        let holds = |breaks: &[char]| source.contains(breaks);
        if self.joined_lines && holds(&['\n', '\r', '\u{85}', '\u{2028}', '\u{2029}']) {
            return Some(source);
        }
        (self.line_separators && holds(&['\u{2028}', '\u{2029}'])).then_some(source)
    }

    /// Correct saphyr's trailing line breaks of a block scalar where they differ from
    /// PyYAML's: with the default ("clip") chomping only one final line break is kept,
    /// even when whitespace-only lines end the document, and a document that ends in the
    /// scalar's last line has no final line break to keep at all.
    fn chomp<'v>(&self, value: &'v str, span: Span) -> &'v str {
        let header = self
            .text
            .get(span.start..span.end)
            .and_then(|s| s.find(['|', '>']))
            .and_then(|i| self.text.get(span.start + i + 1..span.end))
            .unwrap_or("");
        let indicators: String = header
            .chars()
            .take_while(|c| c.is_ascii_digit() || *c == '+' || *c == '-')
            .collect();
        let keep = indicators.contains('+');
        let mut value = value;
        if !keep && !indicators.contains('-') {
            let body = value.trim_end_matches('\n');
            value = value
                .get(..(body.len() + 1).min(value.len()))
                .unwrap_or(value);
        }
        // saphyr counts the end of the text as a line break; PyYAML does not.
        if span.end >= self.text.len() && !self.text.ends_with('\n') {
            let last_line = self.text.rsplit('\n').next().unwrap_or("");
            if keep || last_line.len() > self.block_indent(span) {
                value = value.strip_suffix('\n').unwrap_or(value);
            }
        }
        value
    }

    /// The indentation of a block scalar's content: that of its first non-blank line.
    fn block_indent(&self, span: Span) -> usize {
        self.text
            .get(span.start..span.end)
            .unwrap_or("")
            .lines()
            .skip(1)
            .find(|line| !line.trim().is_empty())
            .map_or(usize::MAX, |line| {
                line.len() - line.trim_start_matches(' ').len()
            })
    }

    /// YAML 1.2 allows an implicit empty key (`: value`); PyYAML's 1.1 parser allows an
    /// empty key only after an explicit `?`, and the reference refuses the document.
    pub(super) fn check_implicit_empty_key(&self, span: Span) -> Outcome<()> {
        let in_key_position = self
            .frames
            .last()
            .is_some_and(|f| f.mapping && f.pending_key.is_none());
        let at_colon = span.is_empty()
            && self
                .text
                .get(span.start..)
                .is_some_and(|s| s.starts_with(':'));
        let explicit = self
            .text
            .get(..span.start)
            .and_then(|before| before.trim_end().chars().next_back())
            == Some('?');
        if !in_key_position || !at_colon || explicit {
            return Ok(());
        }
        let message = "expected a mapping key, but found ':'";
        fail(
            Diagnostic::new(
                &YAML_SYNTAX,
                Span::new(span.start, span.start + 1),
                "missing key before `:`",
            )
            .with_label("this `:` has no key before it")
            .with_help(
                "write the key before the colon, or quote the value if the `:` belongs to it",
            )
            .with_compat(format!(
                "YAML parse error: {message}\n{}",
                errors::pyyaml_mark(self.text, span.start)
            )),
        )
    }

    /// saphyr's span of a block scalar covers its content and the blank lines after it;
    /// the node should cover the `|`/`>` header through the last content character.
    pub(super) fn block_scalar_span(&self, span: Span) -> Span {
        let text = self.text;
        let mut start = span.start;
        let starts_with_property = text.get(start..).is_some_and(|s| s.starts_with(['!', '&']));
        if !starts_with_property {
            let mut pos = self.last_event_end.min(start);
            let mut in_comment = false;
            while let Some(c) = text.get(pos..start).and_then(|s| s.chars().next()) {
                match c {
                    '\n' => in_comment = false,
                    _ if in_comment => {}
                    '#' => in_comment = true,
                    '|' | '>' => {
                        start = pos;
                        break;
                    }
                    c if c.is_whitespace() || matches!(c, ':' | '-' | '?' | ',') => {}
                    _ => break,
                }
                pos += c.len_utf8();
            }
        }
        let end = text
            .get(start..span.end)
            .map_or(span.end, |s| start + s.trim_end().len());
        Span::new(start, end.max(start))
    }

    /// The value of a scalar under its tag, as PyYAML's safe constructor builds it.
    pub(super) fn construct_scalar(
        &self,
        value: &str,
        style: YamlStyle,
        tag: Option<&str>,
        span: Span,
    ) -> Outcome<(NodeKind, Special)> {
        let plain = style == YamlStyle::Plain;
        let implicit = |result: Result<NodeKind, ScalarError>| {
            self.scalar_result(result, span, None, value)
                .map(|k| (k, Special::None))
        };
        let Some(tag) = tag else {
            if !plain {
                return Ok((NodeKind::Str(value.to_owned()), Special::None));
            }
            return match value {
                "<<" => Ok((NodeKind::Str(value.to_owned()), Special::Merge)),
                "=" => Ok((NodeKind::Str(value.to_owned()), Special::Value)),
                _ => implicit(yaml_scalar::resolve_plain(value)),
            };
        };
        // The non-specific tag `!`: PyYAML resolves the text as if it were plain,
        // whatever its quoting (`! '12'` is the int 12).
        if tag == "!" {
            return implicit(yaml_scalar::resolve_plain(value));
        }
        let suffix = tag.strip_prefix(CORE);
        let explicit = |result: Result<NodeKind, ScalarError>| {
            self.scalar_result(result, span, Some(tag), value)
                .map(|k| (k, Special::None))
        };
        match suffix {
            Some("str") => Ok((NodeKind::Str(value.to_owned()), Special::None)),
            Some("null") => Ok((NodeKind::Null, Special::None)),
            Some("bool") => explicit(yaml_scalar::construct_bool(value)),
            Some("int") => explicit(yaml_scalar::construct_int(value)),
            Some("float") => explicit(yaml_scalar::construct_float(value)),
            Some("binary") => explicit(yaml_scalar::construct_binary(value)),
            Some("timestamp") => explicit(yaml_scalar::construct_timestamp(value)),
            Some("merge") => Ok((NodeKind::Str(value.to_owned()), Special::Merge)),
            Some("value") => Ok((NodeKind::Str(value.to_owned()), Special::Value)),
            Some("seq" | "omap" | "pairs") => fail(self.kind_mismatch(span, "sequence", "scalar")),
            Some("map" | "set") => fail(self.kind_mismatch(span, "mapping", "scalar")),
            _ => fail(self.unknown_tag(span, tag)),
        }
    }

    pub(super) fn scalar_result(
        &self,
        result: Result<NodeKind, ScalarError>,
        span: Span,
        tag: Option<&str>,
        value: &str,
    ) -> Outcome<NodeKind> {
        match result {
            Ok(kind) => Ok(kind),
            Err(ScalarError::IntTooLarge) => fail(
                errors::limit(
                    span,
                    "integer too large (guardc supports 128-bit integers)".to_owned(),
                    "quote the value if it is an identifier rather than a number",
                )
                .with_label("this integer does not fit in 128 bits"),
            ),
            Err(ScalarError::Invalid(reason)) => {
                let what = tag.map_or_else(
                    || "value".to_owned(),
                    |t| format!("`!!{}` value", t.strip_prefix(CORE).unwrap_or(t)),
                );
                let help = if tag.is_some() {
                    "fix the value or remove the tag".to_owned()
                } else {
                    format!("quote the value if it is meant as text: `'{value}'`")
                };
                fail(
                    errors::construct(self.text, span, None, &format!("invalid {what}: {reason}"))
                        .with_help(help),
                )
            }
        }
    }

    pub(super) fn unknown_tag(&self, span: Span, tag: &str) -> Diagnostic {
        errors::construct(
            self.text,
            span,
            None,
            &format!("could not determine a constructor for the tag '{tag}'"),
        )
        .with_label("the safe loader does not accept this tag")
        .with_help(
            "remove the tag; policies may only use the standard YAML tags (`!!str`, \
             `!!int`, `!!float`, `!!bool`, `!!null`, ...)",
        )
    }

    pub(super) fn kind_mismatch(&self, span: Span, expected: &str, found: &str) -> Diagnostic {
        errors::construct(
            self.text,
            span,
            None,
            &format!("expected a {expected} node, but found {found}"),
        )
        .with_help("remove the tag or change the value to match it")
    }
}

/// The span of a quoted scalar, from its opening quote to its closing one. The parser's
/// span of a quoted scalar can run on over the blanks and the comment after it
/// (`'Bash:*'   # note`), and an underline that covers the comment reads as if the
/// comment were part of the value. The text is scanned from the opening quote with the
/// style's escapes (`''` in single quotes, a backslash in double quotes); a span that
/// does not start at a quote is left as the parser gave it.
pub(super) fn quoted_span(text: &str, span: Span, style: YamlStyle) -> Span {
    let Some(rest) = text.get(span.start..span.end) else {
        return span;
    };
    let quote = if style == YamlStyle::SingleQuoted {
        '\''
    } else {
        '"'
    };
    let mut chars = rest.char_indices();
    if chars.next().map(|(_, c)| c) != Some(quote) {
        return span;
    }
    while let Some((at, c)) = chars.next() {
        if quote == '"' && c == '\\' {
            chars.next();
        } else if c == quote {
            let doubled = quote == '\'' && rest.get(at + 1..).is_some_and(|r| r.starts_with('\''));
            if !doubled {
                return Span::new(span.start, span.start + at + 1);
            }
            chars.next();
        }
    }
    span
}
