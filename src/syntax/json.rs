//! The JSON front-end: a strict RFC 8259 reader producing the same [`Node`] tree as the
//! YAML front-end, typed as Python's `json.loads` types values.
//!
//! Hand-written rather than serde_json because the tree needs a span on every node, the
//! reference's extensions (`NaN`, `Infinity`, `-Infinity`), Python's duplicate-key
//! semantics with every repetition recorded, and errors that point at the exact
//! character with a fix. The parser is a loop over an explicit stack of open
//! containers, so nesting depth costs heap, not call stack, and is checked as each
//! container opens.
//!
//! Diagnostics carry the reference's own text as `compat_message`
//! (`JSON parse error at line 1, column 8: Expecting ',' delimiter`): the reference
//! reads the file with `json.loads` and reports Python's message and position.

use std::collections::HashMap;

use super::{DuplicateKey, Limits, MapEntry, Mapping, Node, NodeKind, Parsed, ScalarStyle};
use crate::diagnostics::Diagnostic;
use crate::diagnostics::codes::syntax::{JSON_SYNTAX, LIMIT_EXCEEDED};
use crate::source::Span;

/// Parse one JSON document within `limits`.
///
/// Whitespace-only text is an error here, unlike in YAML: the reference's `json.loads`
/// raises `Expecting value` on it before its "policy file is empty" check is reached.
pub(super) fn parse(text: &str, limits: &Limits) -> Parsed {
    let result = if text.len() > limits.max_document_bytes {
        Err(Box::new(
            Diagnostic::new(
                &LIMIT_EXCEEDED,
                Span::point(0),
                format!(
                    "the document is {} bytes, more than the limit of {} bytes",
                    text.len(),
                    limits.max_document_bytes
                ),
            )
            .with_help("split the policy into smaller files"),
        ))
    } else {
        Reader {
            text,
            bytes: text.as_bytes(),
            pos: 0,
            limits,
            nodes: 0,
        }
        .document()
    };
    match result {
        Ok(root) => Parsed {
            root: Some(root),
            diagnostics: Vec::new(),
        },
        Err(diagnostic) => Parsed {
            root: None,
            diagnostics: vec![*diagnostic],
        },
    }
}

/// A diagnostic on the error path, boxed to keep the happy path's results small.
type Outcome<T> = Result<T, Box<Diagnostic>>;

/// An open container and what has been read of it.
enum Open {
    Array {
        start: usize,
        items: Vec<Node>,
    },
    Object {
        start: usize,
        entries: Vec<MapEntry>,
        index: HashMap<String, (usize, Span)>,
        duplicates: Vec<DuplicateKey>,
        key: Option<Node>,
    },
}

struct Reader<'t> {
    text: &'t str,
    bytes: &'t [u8],
    pos: usize,
    limits: &'t Limits,
    nodes: usize,
}

impl Reader<'_> {
    fn peek(&self) -> Option<u8> {
        self.bytes.get(self.pos).copied()
    }

    fn skip_ws(&mut self) {
        while matches!(self.peek(), Some(b' ' | b'\t' | b'\n' | b'\r')) {
            self.pos += 1;
        }
    }

    /// Python's `colno`: 1-based, in characters from the last `\n`.
    fn compat(&self, at: usize, python_message: &str) -> String {
        let before = self.text.get(..at).unwrap_or(self.text);
        let line = before.matches('\n').count() + 1;
        let line_start = before.rfind('\n').map_or(0, |i| i + 1);
        let column = before.get(line_start..).map_or(0, |s| s.chars().count()) + 1;
        format!("JSON parse error at line {line}, column {column}: {python_message}")
    }

    /// The span of the character at `at` (empty at the end of the text).
    fn char_span(&self, at: usize) -> Span {
        let len = self
            .text
            .get(at..)
            .and_then(|s| s.chars().next())
            .map_or(0, char::len_utf8);
        Span::new(at, at + len)
    }

    fn diagnostic(
        &self,
        span: Span,
        message: &str,
        help: &str,
        python: (usize, &str),
    ) -> Diagnostic {
        Diagnostic::new(&JSON_SYNTAX, span, message)
            .with_help(help)
            .with_compat(self.compat(python.0, python.1))
    }

    fn error<T>(&self, span: Span, message: &str, help: &str, python: (usize, &str)) -> Outcome<T> {
        Err(Box::new(self.diagnostic(span, message, help, python)))
    }

    /// What stands at the current position, for "found ..." messages.
    fn found(&self) -> String {
        match self.text.get(self.pos..).and_then(|s| s.chars().next()) {
            None => "the end of the document".to_owned(),
            Some(c) if c.is_control() || c.is_whitespace() => format!("U+{:04X}", u32::from(c)),
            Some(c) => format!("`{c}`"),
        }
    }

    fn count_node(&mut self, span: Span) -> Outcome<()> {
        self.nodes += 1;
        if self.nodes > self.limits.max_nodes {
            return Err(Box::new(
                Diagnostic::new(
                    &LIMIT_EXCEEDED,
                    span,
                    format!(
                        "the document holds more than {} values",
                        self.limits.max_nodes
                    ),
                )
                .with_help("split the policy into smaller files"),
            ));
        }
        Ok(())
    }

    fn document(mut self) -> Outcome<Node> {
        if self.text.starts_with('\u{feff}') {
            return self.error(
                Span::new(0, 3),
                "the document starts with a byte-order mark",
                "save the file as UTF-8 without a byte-order mark; the reference's json reader \
                 refuses it",
                (0, "Unexpected UTF-8 BOM (decode using utf-8-sig)"),
            );
        }
        self.skip_ws();
        if self.peek().is_none() {
            return self.error(
                Span::point(self.pos),
                "the document is empty",
                "write the policy as a json object: `{\"rules\": [...]}`",
                (self.pos, "Expecting value"),
            );
        }
        let root = self.value()?;
        self.skip_ws();
        if self.peek().is_some() {
            let at = self.pos;
            let number_tail = matches!(self.peek(), Some(b'0'..=b'9' | b'.' | b'e' | b'E'));
            let (message, help) = if number_tail && root.span.end == at {
                (
                    "invalid number",
                    "json numbers have no leading zeros and need digits after `.`: write `0`, \
                     `10` or `1.0`",
                )
            } else {
                (
                    "unexpected content after the json value",
                    "a json policy is exactly one value; remove the text after it",
                )
            };
            return self.error(self.char_span(at), message, help, (at, "Extra data"));
        }
        Ok(root)
    }

    /// Read one value; containers are read iteratively with `stack`.
    fn value(&mut self) -> Outcome<Node> {
        let mut stack: Vec<Open> = Vec::new();
        'value: loop {
            self.skip_ws();
            let start = self.pos;
            let mut done = match self.peek() {
                Some(open @ (b'[' | b'{')) => {
                    if stack.len() >= self.limits.max_depth {
                        return Err(Box::new(
                            Diagnostic::new(
                                &LIMIT_EXCEEDED,
                                Span::new(start, start + 1),
                                format!("nesting deeper than {} levels", self.limits.max_depth),
                            )
                            .with_label("this container is nested too deeply")
                            .with_help(
                                "flatten the document: a policy needs only a few levels of \
                                 nesting",
                            ),
                        ));
                    }
                    self.pos += 1;
                    self.skip_ws();
                    match (open, self.peek()) {
                        (b'{', Some(b'}')) => {
                            self.pos += 1;
                            self.container(NodeKind::Map(Box::default()), start)?
                        }
                        (b'{', _) => {
                            let key = self.key(start)?;
                            stack.push(Open::Object {
                                start,
                                entries: Vec::new(),
                                index: HashMap::new(),
                                duplicates: Vec::new(),
                                key: Some(key),
                            });
                            continue 'value;
                        }
                        (_, Some(b']')) => {
                            self.pos += 1;
                            self.container(NodeKind::Seq(Vec::new()), start)?
                        }
                        _ => {
                            stack.push(Open::Array {
                                start,
                                items: Vec::new(),
                            });
                            continue 'value;
                        }
                    }
                }
                None if !stack.is_empty() => return self.unclosed(&stack, "Expecting value"),
                _ => self.scalar(stack.is_empty())?,
            };
            // Hand the finished value to its container; close the containers that end here.
            loop {
                let Some(mut open) = stack.pop() else {
                    return Ok(done);
                };
                self.skip_ws();
                let close = match &mut open {
                    Open::Array { items, .. } => {
                        items.push(done);
                        b']'
                    }
                    Open::Object {
                        entries,
                        index,
                        duplicates,
                        key,
                        ..
                    } => {
                        insert(entries, index, duplicates, key.take(), done);
                        b'}'
                    }
                };
                match self.peek() {
                    Some(b',') => {
                        let comma = self.pos;
                        self.pos += 1;
                        self.skip_ws();
                        if self.peek() == Some(close) {
                            return self.trailing_comma(comma, char::from(close));
                        }
                        if let Open::Object { start, key, .. } = &mut open {
                            *key = Some(self.key(*start)?);
                        }
                        stack.push(open);
                        continue 'value;
                    }
                    Some(b) if b == close => self.pos += 1,
                    None => {
                        stack.push(open);
                        return self.unclosed(&stack, "Expecting ',' delimiter");
                    }
                    _ => return self.expected_delimiter(char::from(close)),
                }
                done = match open {
                    Open::Array { start, items } => self.container(NodeKind::Seq(items), start)?,
                    Open::Object {
                        start,
                        entries,
                        duplicates,
                        ..
                    } => self.container(
                        NodeKind::Map(Box::new(Mapping {
                            entries,
                            duplicates,
                        })),
                        start,
                    )?,
                };
            }
        }
    }

    fn container(&mut self, kind: NodeKind, start: usize) -> Outcome<Node> {
        let span = Span::new(start, self.pos);
        self.count_node(span)?;
        Ok(Node::new(kind, span, ScalarStyle::NotScalar))
    }

    fn trailing_comma<T>(&self, comma: usize, close: char) -> Outcome<T> {
        let (help, python) = if close == '}' {
            (
                "remove the comma after the last entry",
                "Expecting property name enclosed in double quotes",
            )
        } else {
            ("remove the comma after the last item", "Expecting value")
        };
        Err(Box::new(
            Diagnostic::new(
                &JSON_SYNTAX,
                Span::new(comma, comma + 1),
                format!("trailing comma before `{close}`"),
            )
            .with_label("json allows no comma here")
            .with_help(help)
            .with_compat(self.compat(self.pos, python)),
        ))
    }

    fn expected_delimiter<T>(&self, close: char) -> Outcome<T> {
        let what = if close == '}' { "entries" } else { "items" };
        self.error(
            self.char_span(self.pos),
            &format!("expected `,` or `{close}`, found {}", self.found()),
            &format!("separate {what} with commas and close with `{close}`"),
            (self.pos, "Expecting ',' delimiter"),
        )
    }

    /// An object key and its `:`, in the object starting at `object`.
    fn key(&mut self, object: usize) -> Outcome<Node> {
        self.skip_ws();
        let python = "Expecting property name enclosed in double quotes";
        match self.peek() {
            Some(b'"') => {}
            Some(b'\'') => {
                return self.error(
                    self.char_span(self.pos),
                    "json strings use double quotes",
                    "replace the single quotes with double quotes",
                    (self.pos, python),
                );
            }
            Some(b'/') => return self.comment(),
            None => return self.unclosed_at(object, '}', python),
            _ => {
                return self.error(
                    self.char_span(self.pos),
                    &format!("expected a double-quoted key, found {}", self.found()),
                    "write the key as a double-quoted string: `\"deny\"`",
                    (self.pos, python),
                );
            }
        }
        let key = self.string()?;
        self.skip_ws();
        if self.peek() != Some(b':') {
            return self.error(
                self.char_span(self.pos),
                &format!("expected `:` after the key, found {}", self.found()),
                "separate the key and its value with `:`",
                (self.pos, "Expecting ':' delimiter"),
            );
        }
        self.pos += 1;
        Ok(key)
    }

    fn comment<T>(&self) -> Outcome<T> {
        self.error(
            self.char_span(self.pos),
            "comments are not allowed in json",
            "remove the comment, or write the policy as YAML, which allows `#` comments",
            (self.pos, "Expecting value"),
        )
    }

    /// The document ended inside the innermost open container.
    fn unclosed<T>(&self, stack: &[Open], python: &str) -> Outcome<T> {
        match stack.last() {
            Some(Open::Array { start, .. }) => self.unclosed_at(*start, ']', python),
            Some(Open::Object { start, .. }) => self.unclosed_at(*start, '}', python),
            None => self.expected_value(true),
        }
    }

    fn unclosed_at<T>(&self, open: usize, close: char, python: &str) -> Outcome<T> {
        let opening = if close == '}' { '{' } else { '[' };
        Err(Box::new(
            self.diagnostic(
                Span::point(self.pos),
                &format!("unclosed `{opening}`"),
                &format!("add the closing `{close}`"),
                (self.pos, python),
            )
            .with_label("the document ends here")
            .with_related(
                Span::new(open, open + 1),
                format!("the `{opening}` opened here"),
            ),
        ))
    }

    fn scalar(&mut self, top: bool) -> Outcome<Node> {
        let start = self.pos;
        let rest = self.text.get(start..).unwrap_or("");
        let literal = [
            ("true", NodeKind::Bool(true)),
            ("false", NodeKind::Bool(false)),
            ("null", NodeKind::Null),
            ("NaN", NodeKind::Float(f64::NAN)),
            ("Infinity", NodeKind::Float(f64::INFINITY)),
            ("-Infinity", NodeKind::Float(f64::NEG_INFINITY)),
        ]
        .into_iter()
        .find(|(word, _)| rest.starts_with(word));
        let kind = match (self.peek(), literal) {
            (_, Some((word, kind))) => {
                self.pos += word.len();
                kind
            }
            (Some(b'"'), None) => return self.string(),
            (Some(b'-' | b'0'..=b'9'), None) => match self.number()? {
                Some(kind) => kind,
                None => return self.expected_value(top),
            },
            (Some(b'/'), None) => return self.comment(),
            (Some(b'\''), None) => {
                return self.error(
                    self.char_span(start),
                    "json strings use double quotes",
                    "replace the single quotes with double quotes",
                    (start, "Expecting value"),
                );
            }
            _ => return self.expected_value(top),
        };
        let span = Span::new(start, self.pos);
        self.count_node(span)?;
        Ok(Node::new(kind, span, ScalarStyle::Json))
    }

    fn expected_value<T>(&self, top: bool) -> Outcome<T> {
        let help = if top {
            "a json policy is an object: `{\"rules\": [...]}`"
        } else {
            "write a value here: a string in double quotes, a number, true, false, null, an \
             object or a list"
        };
        self.error(
            self.char_span(self.pos),
            &format!("expected a json value, found {}", self.found()),
            help,
            (self.pos, "Expecting value"),
        )
    }

    /// A number, as Python's scanner reads it: the longest prefix matching
    /// `-?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][-+]?[0-9]+)?`. Integers become ints (beyond
    /// 128 bits a limit diagnostic), anything with a fraction or exponent a float.
    /// `None` when not even the integer part is there (a lone `-`).
    fn number(&mut self) -> Outcome<Option<NodeKind>> {
        let start = self.pos;
        let digits = |r: &mut Self| {
            let from = r.pos;
            while matches!(r.peek(), Some(b'0'..=b'9')) {
                r.pos += 1;
            }
            r.pos - from
        };
        if self.peek() == Some(b'-') {
            self.pos += 1;
        }
        match self.peek() {
            Some(b'0') => self.pos += 1,
            Some(b'1'..=b'9') => {
                digits(self);
            }
            _ => {
                self.pos = start;
                return Ok(None);
            }
        }
        let mut float = false;
        if self.peek() == Some(b'.') && matches!(self.bytes.get(self.pos + 1), Some(b'0'..=b'9')) {
            self.pos += 1;
            digits(self);
            float = true;
        }
        if matches!(self.peek(), Some(b'e' | b'E')) {
            let save = self.pos;
            self.pos += 1;
            if matches!(self.peek(), Some(b'-' | b'+')) {
                self.pos += 1;
            }
            if digits(self) == 0 {
                self.pos = save;
            } else {
                float = true;
            }
        }
        let token = self.text.get(start..self.pos).unwrap_or("0");
        if float {
            return Ok(Some(NodeKind::Float(token.parse().unwrap_or(f64::NAN))));
        }
        match token.parse::<i128>() {
            Ok(i) => Ok(Some(NodeKind::Int(i))),
            Err(_) => Err(Box::new(
                Diagnostic::new(
                    &LIMIT_EXCEEDED,
                    Span::new(start, self.pos),
                    "integer too large (guardc supports 128-bit integers)",
                )
                .with_label("this integer does not fit in 128 bits")
                .with_help("write the value as a string if it is an identifier"),
            )),
        }
    }

    /// A string at `"`, with its escapes decoded.
    fn string(&mut self) -> Outcome<Node> {
        let start = self.pos;
        self.pos += 1;
        let mut out = String::new();
        loop {
            // Copy the run up to the next quote, backslash or control character at once.
            let run_start = self.pos;
            while matches!(self.peek(), Some(b) if b != b'"' && b != b'\\' && b >= 0x20) {
                self.pos += 1;
            }
            out.push_str(self.text.get(run_start..self.pos).unwrap_or(""));
            match self.peek() {
                Some(b'"') => {
                    self.pos += 1;
                    break;
                }
                Some(b'\\') => self.escape(&mut out)?,
                Some(b) => {
                    return self.error(
                        self.char_span(self.pos),
                        &format!("control character U+{b:04X} inside a string"),
                        "escape it: write \\n for a line break, \\t for a tab, \\u00XX otherwise",
                        (self.pos, "Invalid control character at"),
                    );
                }
                None => {
                    return Err(Box::new(
                        self.diagnostic(
                            Span::point(self.pos),
                            "unterminated string",
                            "close the string with `\"`",
                            (start, "Unterminated string starting at"),
                        )
                        .with_label("the document ends inside the string")
                        .with_related(Span::new(start, start + 1), "the string starts here"),
                    ));
                }
            }
        }
        let span = Span::new(start, self.pos);
        self.count_node(span)?;
        Ok(Node::new(NodeKind::Str(out), span, ScalarStyle::Json))
    }

    /// One escape sequence at `\`.
    fn escape(&mut self, out: &mut String) -> Outcome<()> {
        let backslash = self.pos;
        self.pos += 1;
        let simple = match self.peek() {
            Some(b'"') => Some('"'),
            Some(b'\\') => Some('\\'),
            Some(b'/') => Some('/'),
            Some(b'b') => Some('\u{8}'),
            Some(b'f') => Some('\u{c}'),
            Some(b'n') => Some('\n'),
            Some(b'r') => Some('\r'),
            Some(b't') => Some('\t'),
            Some(b'u') => None,
            _ => {
                let end = self.char_span(self.pos).end;
                return self.error(
                    Span::new(backslash, end),
                    "invalid escape sequence",
                    "valid escapes are \\\" \\\\ \\/ \\b \\f \\n \\r \\t and \\uXXXX; write \\\\ \
                     for a backslash",
                    (backslash, "Invalid \\escape"),
                );
            }
        };
        if let Some(c) = simple {
            self.pos += 1;
            out.push(c);
            return Ok(());
        }
        let unit = self.hex4(backslash)?;
        // A high surrogate followed by a low one is one character. Python keeps a lone
        // surrogate in its string, and a pattern holding one matches only requests that
        // hold the same lone surrogate. Rust strings cannot hold one, and any stand-in
        // (U+FFFD, say) would match requests the reference does not, so the document is
        // refused instead.
        let c = if (0xD800..0xDC00).contains(&unit)
            && self
                .text
                .get(self.pos..)
                .is_some_and(|r| r.starts_with("\\u"))
        {
            let save = self.pos;
            let next_backslash = self.pos;
            self.pos += 1;
            let low = self.hex4(next_backslash)?;
            if (0xDC00..0xE000).contains(&low) {
                char::from_u32(0x10000 + ((unit - 0xD800) << 10) + (low - 0xDC00))
            } else {
                self.pos = save;
                None
            }
        } else {
            char::from_u32(unit)
        };
        match c {
            Some(c) => {
                out.push(c);
                Ok(())
            }
            None => Err(Box::new(lone_surrogate(backslash, unit))),
        }
    }

    /// The four hex digits after `\u` (the position is at the `u`).
    fn hex4(&mut self, backslash: usize) -> Outcome<u32> {
        let digits = self.text.get(self.pos + 1..self.pos + 5);
        match digits.and_then(|d| {
            d.bytes()
                .all(|b| b.is_ascii_hexdigit())
                .then(|| u32::from_str_radix(d, 16).ok())
                .flatten()
        }) {
            Some(unit) => {
                self.pos += 5;
                Ok(unit)
            }
            None => {
                let end = (backslash + 6).min(self.text.len());
                let end = (backslash..=end)
                    .rev()
                    .find(|&i| self.text.is_char_boundary(i))
                    .unwrap_or(backslash);
                self.error(
                    Span::new(backslash, end),
                    "invalid \\u escape",
                    "write exactly four hex digits after \\u, for example \\u00e9",
                    (self.pos, "Invalid \\uXXXX escape"),
                )
            }
        }
    }
}

/// Python `dict` semantics: one entry per key, at the first position, holding the last
/// key and value; every repetition is recorded (with the first occurrence's span) for
/// the analyzer.
fn insert(
    entries: &mut Vec<MapEntry>,
    index: &mut HashMap<String, (usize, Span)>,
    duplicates: &mut Vec<DuplicateKey>,
    key: Option<Node>,
    value: Node,
) {
    let Some(key) = key else { return };
    let NodeKind::Str(text) = &key.kind else {
        return;
    };
    if let Some(&(at, first)) = index.get(text) {
        duplicates.push(DuplicateKey {
            key: text.clone(),
            first,
            last: key.span,
        });
        if let Some(entry) = entries.get_mut(at) {
            *entry = MapEntry { key, value };
        }
    } else {
        index.insert(text.clone(), (entries.len(), key.span));
        entries.push(MapEntry { key, value });
    }
}

/// The refusal of a `\uXXXX` escape that is half of a UTF-16 surrogate pair.
fn lone_surrogate(backslash: usize, unit: u32) -> Diagnostic {
    Diagnostic::new(
        &JSON_SYNTAX,
        Span::new(backslash, backslash + 6),
        format!("the escape `\\u{unit:04x}` is a lone surrogate"),
    )
    .with_label("half of a UTF-16 surrogate pair, without its other half")
    .with_help(
        "write the character itself, or both halves of the pair (`\\ud83d\\ude00` for \
         U+1F600); the reference keeps an unpaired surrogate as it is, which guardc cannot \
         represent, so it refuses the document rather than change what the pattern matches",
    )
}
