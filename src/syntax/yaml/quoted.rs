//! PyYAML's reading of a quoted scalar (`scan_flow_scalar`), for the one case where
//! saphyr's value cannot be used: a quoted scalar whose source contains NEL, U+2028 or
//! U+2029.
//!
//! PyYAML breaks lines at those characters: NEL folds like `\n`, while LS and PS stay
//! in the value where they fold (`"a<LS>  b"` is `a<LS>b`, where `"a\n  b"` is `a b`).
//! The prepared text saphyr parses has them as a stand-in character inside quoted
//! scalars (see [`super::reader`]), so the few scalars that contain one are read again
//! from their source text here. Everything else about the scalar (where it ends,
//! whether it is well-formed) is already settled by saphyr.

use super::reader::is_pyyaml_break;

/// The value of the quoted scalar `source` (quotes included), or `None` when it is not
/// one PyYAML could read (the caller then keeps saphyr's value).
pub(super) fn pyyaml_quoted_value(source: &str) -> Option<String> {
    let mut chars = source.chars().peekable();
    let quote = chars.next().filter(|&q| q == '\'' || q == '"')?;
    let double = quote == '"';
    let mut rest: Vec<char> = chars.collect();
    if rest.pop() != Some(quote) {
        return None;
    }
    let mut reader = Reader {
        chars: rest,
        pos: 0,
    };
    let mut out = String::new();
    reader.non_spaces(double, &mut out)?;
    while reader.pos < reader.chars.len() {
        reader.spaces(&mut out);
        reader.non_spaces(double, &mut out)?;
    }
    Some(out)
}

struct Reader {
    chars: Vec<char>,
    pos: usize,
}

impl Reader {
    fn peek(&self, ahead: usize) -> Option<char> {
        self.chars.get(self.pos + ahead).copied()
    }

    /// `scan_line_break`: `\r\n`, `\r`, `\n` and NEL read as `\n`; LS and PS as
    /// themselves.
    fn line_break(&mut self) -> Option<char> {
        let c = self.peek(0)?;
        if !is_pyyaml_break(c) {
            return None;
        }
        self.pos += if c == '\r' && self.peek(1) == Some('\n') {
            2
        } else {
            1
        };
        Some(match c {
            '\u{2028}' | '\u{2029}' => c,
            _ => '\n',
        })
    }

    /// `scan_flow_scalar_non_spaces`: text, quote escapes and backslash escapes up to
    /// the next space or line break.
    fn non_spaces(&mut self, double: bool, out: &mut String) -> Option<()> {
        while let Some(c) = self.peek(0) {
            if c == ' ' || c == '\t' || is_pyyaml_break(c) {
                return Some(());
            }
            self.pos += 1;
            if !double && c == '\'' && self.peek(0) == Some('\'') {
                self.pos += 1;
                out.push('\'');
            } else if double && c == '\\' {
                self.escape(out)?;
            } else {
                out.push(c);
            }
        }
        Some(())
    }

    fn escape(&mut self, out: &mut String) -> Option<()> {
        let c = self.peek(0)?;
        self.pos += 1;
        let simple = match c {
            '0' => '\0',
            'a' => '\u{7}',
            'b' => '\u{8}',
            't' | '\t' => '\t',
            'n' => '\n',
            'v' => '\u{b}',
            'f' => '\u{c}',
            'r' => '\r',
            'e' => '\u{1b}',
            ' ' => ' ',
            '"' => '"',
            '\\' => '\\',
            '/' => '/',
            'N' => '\u{85}',
            '_' => '\u{a0}',
            'L' => '\u{2028}',
            'P' => '\u{2029}',
            'x' | 'u' | 'U' => {
                let len = match c {
                    'x' => 2,
                    'u' => 4,
                    _ => 8,
                };
                let digits: String = self.chars.get(self.pos..self.pos + len)?.iter().collect();
                self.pos += len;
                char::from_u32(u32::from_str_radix(&digits, 16).ok()?)?
            }
            _ if is_pyyaml_break(c) => {
                self.pos -= 1;
                self.line_break()?;
                self.breaks(out);
                return Some(());
            }
            _ => return None,
        };
        out.push(simple);
        Some(())
    }

    /// `scan_flow_scalar_spaces`: blanks, then either a folded line break or the blanks
    /// themselves.
    fn spaces(&mut self, out: &mut String) {
        let start = self.pos;
        while matches!(self.peek(0), Some(' ' | '\t')) {
            self.pos += 1;
        }
        let blanks: String = self
            .chars
            .get(start..self.pos)
            .unwrap_or(&[])
            .iter()
            .collect();
        match self.line_break() {
            Some(line_break) => {
                let mut breaks = String::new();
                self.breaks(&mut breaks);
                if line_break != '\n' {
                    out.push(line_break);
                } else if breaks.is_empty() {
                    out.push(' ');
                }
                out.push_str(&breaks);
            }
            None => out.push_str(&blanks),
        }
    }

    /// `scan_flow_scalar_breaks`: the line breaks of empty lines, their blanks skipped.
    fn breaks(&mut self, out: &mut String) {
        loop {
            while matches!(self.peek(0), Some(' ' | '\t')) {
                self.pos += 1;
            }
            match self.line_break() {
                Some(line_break) => out.push(line_break),
                None => return,
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Expected values are PyYAML 6.0.4's.
    #[test]
    fn folds_like_pyyaml() {
        let cases = [
            ("\"a\u{2028}b\"", "a\u{2028}b"),
            ("\"a \u{2028}   b\"", "a\u{2028}b"),
            ("\"a\u{2028}\nb\"", "a\u{2028}\nb"),
            ("\"a\n\u{2029}b\"", "a\u{2029}b"),
            ("\"a\n  b\"", "a b"),
            ("\"a\n\n  b\"", "a\nb"),
            ("'it''s\u{2028}x'", "it's\u{2028}x"),
            ("\"\\x41\\u00e9\\L\\\n  b\"", "Aé\u{2028}b"),
            ("\"a\\\"b\u{2028}\"", "a\"b\u{2028}"),
        ];
        for (source, expected) in cases {
            assert_eq!(
                pyyaml_quoted_value(source).as_deref(),
                Some(expected),
                "{source:?}"
            );
        }
        assert_eq!(pyyaml_quoted_value("\"\\q\""), None);
        assert_eq!(pyyaml_quoted_value("'open"), None);
    }
}
