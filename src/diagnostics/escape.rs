//! Text from a policy made safe to print: control characters shown, never sent.
//!
//! A policy is untrusted input, often from a pull request, and its text reaches the
//! reviewer's terminal through snippets, messages, labels, help, file names and CI logs.
//! Raw control characters there are instructions to the terminal, not text: ESC starts
//! sequences that clear the screen, retitle the window or hide the findings printed
//! before them; BEL rings; a lone carriage return overwrites the line; C1 controls
//! (U+0080 to U+009F) are the same sequences in eight bits; and the bidirectional
//! overrides and isolates (U+202A to U+202E, U+2066 to U+2069) reorder what is displayed,
//! so a pattern can read differently from what it matches. Every human and GitHub
//! rendering passes its text through [`escape_controls`], which writes each such
//! character as `<U+001B>`: visible, unambiguous next to YAML and Python escapes (a
//! policy may well contain a literal `\x1b`), and the same in every format. Tabs and line
//! feeds are layout and stay.
//!
//! The JSON and SARIF reports keep the exact values (a tool reading them must see what
//! the policy says) but are written with [`SafeJsonFormatter`], which `\u`-escapes the
//! characters above that serde_json writes raw (it escapes C0 controls itself, but not
//! DEL, C1 or the bidirectional controls), so a report printed by `cat` is safe too.

use std::borrow::Cow;
use std::io;

use serde::Serialize;
use serde_json::ser::{CompactFormatter, Formatter, PrettyFormatter};

/// Whether a character must not reach a terminal as it is.
pub fn is_control(c: char) -> bool {
    matches!(c,
        '\u{0}'..='\u{8}' | '\u{b}'..='\u{1f}' | '\u{7f}'..='\u{9f}'
        | '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}')
}

/// Characters `<U+XXXX>` takes: every escaped character is at most U+FFFF.
#[cfg(feature = "render")]
pub const ESCAPE_WIDTH: usize = "<U+0000>".len();

/// The text with every control character written as `<U+XXXX>`; borrowed when there is
/// none, which is the common case.
pub fn escape_controls(text: &str) -> Cow<'_, str> {
    if !text.chars().any(is_control) {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 16);
    for c in text.chars() {
        push_escaped(&mut out, c);
    }
    Cow::Owned(out)
}

/// Appends one character, escaped if it is a control character.
pub fn push_escaped(out: &mut String, c: char) {
    if is_control(c) {
        out.push_str(&format!("<U+{:04X}>", u32::from(c)));
    } else {
        out.push(c);
    }
}

/// How many characters a character takes once escaped.
#[cfg(feature = "render")]
pub fn escaped_chars(c: char) -> usize {
    if is_control(c) { ESCAPE_WIDTH } else { 1 }
}

/// The text escaped and cut after `max_chars` characters, with a note of how much was
/// left out: a message quoting a 60 KB pattern stays readable and bounded.
#[cfg(feature = "render")]
pub fn display_text(text: &str, max_chars: usize) -> Cow<'_, str> {
    let cut = text.char_indices().nth(max_chars).map(|(at, _)| at);
    let Some(cut) = cut else {
        return escape_controls(text);
    };
    let (kept, rest) = text.split_at(cut);
    let mut out = escape_controls(kept).into_owned();
    out.push_str(&format!(
        "... ({} more characters; --format json has the whole text)",
        rest.chars().count()
    ));
    Cow::Owned(out)
}

/// A serde_json formatter that also `\u`-escapes DEL, the C1 controls, the
/// bidirectional controls and the line and paragraph separators inside strings; the
/// value read back is unchanged.
#[derive(Debug, Clone)]
pub struct SafeJsonFormatter<F> {
    inner: F,
}

impl SafeJsonFormatter<CompactFormatter> {
    pub fn compact() -> Self {
        Self {
            inner: CompactFormatter,
        }
    }
}

impl SafeJsonFormatter<PrettyFormatter<'static>> {
    pub fn pretty() -> Self {
        Self {
            inner: PrettyFormatter::new(),
        }
    }
}

/// Writes a JSON value, pretty (two-space indents) or on one line, with control
/// characters escaped as [`SafeJsonFormatter`] does.
pub fn write_json(out: impl io::Write, value: &impl Serialize, pretty: bool) -> io::Result<()> {
    if pretty {
        let mut serializer =
            serde_json::Serializer::with_formatter(out, SafeJsonFormatter::pretty());
        value.serialize(&mut serializer).map_err(io::Error::from)
    } else {
        let mut serializer =
            serde_json::Serializer::with_formatter(out, SafeJsonFormatter::compact());
        value.serialize(&mut serializer).map_err(io::Error::from)
    }
}

/// [`write_json`] into a string.
pub fn json_string(value: &impl Serialize, pretty: bool) -> String {
    let mut out = Vec::new();
    // Writing into memory cannot fail, and the formatter writes only UTF-8.
    let _ = write_json(&mut out, value, pretty);
    String::from_utf8(out).unwrap_or_default()
}

impl<F: Formatter> Formatter for SafeJsonFormatter<F> {
    fn write_string_fragment<W: ?Sized + io::Write>(
        &mut self,
        writer: &mut W,
        fragment: &str,
    ) -> io::Result<()> {
        let mut rest = fragment;
        // LS and PS are escaped too: a reader that splits JSON lines on every Unicode
        // line break (Python's `str.splitlines`, JavaScript before ES2019) would cut a
        // record in two.
        while let Some((at, c)) = rest
            .char_indices()
            .find(|&(_, c)| is_control(c) || matches!(c, '\u{2028}' | '\u{2029}'))
        {
            writer.write_all(&rest.as_bytes()[..at])?;
            write!(writer, "\\u{:04x}", u32::from(c))?;
            rest = &rest[at + c.len_utf8()..];
        }
        writer.write_all(rest.as_bytes())
    }

    // The layout of arrays and objects is the inner formatter's (the pretty one indents);
    // scalars are written the same way by both.
    fn begin_array<W: ?Sized + io::Write>(&mut self, writer: &mut W) -> io::Result<()> {
        self.inner.begin_array(writer)
    }

    fn end_array<W: ?Sized + io::Write>(&mut self, writer: &mut W) -> io::Result<()> {
        self.inner.end_array(writer)
    }

    fn begin_array_value<W: ?Sized + io::Write>(
        &mut self,
        writer: &mut W,
        first: bool,
    ) -> io::Result<()> {
        self.inner.begin_array_value(writer, first)
    }

    fn end_array_value<W: ?Sized + io::Write>(&mut self, writer: &mut W) -> io::Result<()> {
        self.inner.end_array_value(writer)
    }

    fn begin_object<W: ?Sized + io::Write>(&mut self, writer: &mut W) -> io::Result<()> {
        self.inner.begin_object(writer)
    }

    fn end_object<W: ?Sized + io::Write>(&mut self, writer: &mut W) -> io::Result<()> {
        self.inner.end_object(writer)
    }

    fn begin_object_key<W: ?Sized + io::Write>(
        &mut self,
        writer: &mut W,
        first: bool,
    ) -> io::Result<()> {
        self.inner.begin_object_key(writer, first)
    }

    fn end_object_key<W: ?Sized + io::Write>(&mut self, writer: &mut W) -> io::Result<()> {
        self.inner.end_object_key(writer)
    }

    fn begin_object_value<W: ?Sized + io::Write>(&mut self, writer: &mut W) -> io::Result<()> {
        self.inner.begin_object_value(writer)
    }

    fn end_object_value<W: ?Sized + io::Write>(&mut self, writer: &mut W) -> io::Result<()> {
        self.inner.end_object_value(writer)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn controls_are_shown_and_layout_stays() {
        let text = "a\u{1b}]0;x\u{7}\tb\nc\r\u{7f}\u{9b}\u{202e}\u{2066}é\u{200b}";
        assert_eq!(
            escape_controls(text),
            "a<U+001B>]0;x<U+0007>\tb\nc<U+000D><U+007F><U+009B><U+202E><U+2066>é\u{200b}"
        );
        assert!(matches!(escape_controls("plain ü"), Cow::Borrowed(_)));
    }

    #[cfg(feature = "render")]
    #[test]
    fn escaped_widths_count_every_character() {
        assert_eq!(escaped_chars('\u{1b}'), ESCAPE_WIDTH);
        assert_eq!(escaped_chars('x'), 1);
    }

    #[cfg(feature = "render")]
    #[test]
    fn long_texts_are_cut_with_a_count() {
        assert_eq!(display_text("abc", 3), "abc");
        assert_eq!(
            display_text("ab\u{1b}de", 3),
            "ab<U+001B>... (2 more characters; --format json has the whole text)"
        );
    }

    /// serde_json escapes C0 itself; the formatter adds DEL, C1 and the bidirectional
    /// controls, in keys and values, and the text read back is the original.
    #[test]
    fn json_keeps_values_and_escapes_every_control() {
        let value = json!({"k\u{202e}": ["\u{1b}[2J\u{7}", "\u{7f}\u{85}\u{9b}", "é\u{2069}"]});
        for pretty in [false, true] {
            let text = json_string(&value, pretty);
            assert!(!text.chars().any(is_control), "{text:?}");
            assert!(
                text.contains("\\u001b") && text.contains("\\u202e"),
                "{text}"
            );
            let back: serde_json::Value = serde_json::from_str(&text).unwrap_or_default();
            assert_eq!(back, value);
        }
        assert_eq!(
            json_string(&json!({"a": [1, "b"]}), true),
            serde_json::to_string_pretty(&json!({"a": [1, "b"]})).unwrap_or_default()
        );
        assert_eq!(
            json_string(&json!({"a": [1, "b"]}), false),
            r#"{"a":[1,"b"]}"#
        );
    }
}
