//! PyYAML's reading of the scalars whose value saphyr cannot give: those whose source
//! holds a line break only YAML 1.1 knows.
//!
//! PyYAML breaks lines at NEL, U+2028 (LS) and U+2029 (PS) as well as at `\n` and `\r`.
//! NEL reads as `\n`, so the prepared text saphyr parses (see [`super::reader`]) gives
//! PyYAML's value for it everywhere but in quoted scalars, where it is a stand-in
//! character. LS and PS are breaks that stay in the value where a `\n` would fold or be
//! kept (`"a<LS>  b"` is `a<LS>b`, where `"a\n  b"` is `a b`; a literal block keeps the
//! LS itself). The few scalars that contain one are read again from their source text
//! here, with PyYAML's scanner rules (`scan_flow_scalar`, `scan_plain`,
//! `scan_block_scalar`). Where the scalar ends and whether it is well-formed is already
//! settled by saphyr.

use super::reader::is_pyyaml_break;

/// The line break PyYAML's `scan_line_break` reads at the start of `chars[at..]`, and
/// how many characters it takes: `\r\n`, `\r`, `\n` and NEL read as `\n`, LS and PS as
/// themselves.
fn line_break_at(chars: &[char], at: usize) -> Option<(char, usize)> {
    let c = *chars.get(at)?;
    if !is_pyyaml_break(c) {
        return None;
    }
    let len = if c == '\r' && chars.get(at + 1) == Some(&'\n') {
        2
    } else {
        1
    };
    Some((
        if matches!(c, '\u{2028}' | '\u{2029}') {
            c
        } else {
            '\n'
        },
        len,
    ))
}

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

    fn line_break(&mut self) -> Option<char> {
        let (c, len) = line_break_at(&self.chars, self.pos)?;
        self.pos += len;
        Some(c)
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

/// The value of the plain scalar `source` (from its first to its last character):
/// lines are stripped of their surrounding blanks and joined as `scan_plain` folds them.
pub(super) fn pyyaml_plain_value(source: &str) -> String {
    let chars: Vec<char> = source.chars().collect();
    // Each line's text and the break that ends it (none for the last).
    let mut lines: Vec<(String, Option<char>)> = Vec::new();
    let mut start = 0;
    let mut at = 0;
    while at < chars.len() {
        if let Some((line_break, len)) = line_break_at(&chars, at) {
            lines.push((
                chars.get(start..at).unwrap_or(&[]).iter().collect(),
                Some(line_break),
            ));
            at += len;
            start = at;
        } else {
            at += 1;
        }
    }
    lines.push((chars.get(start..).unwrap_or(&[]).iter().collect(), None));
    let blank = |c: char| c == ' ' || c == '\t';
    let mut out = String::new();
    let mut index = 0;
    while let Some((text, line_break)) = lines.get(index) {
        let text = if index == 0 {
            text.as_str()
        } else {
            text.trim_start_matches(blank)
        };
        out.push_str(text.trim_end_matches(blank));
        let Some(line_break) = *line_break else {
            break;
        };
        let mut breaks = String::new();
        let mut next = index + 1;
        while let Some((text, Some(empty_break))) = lines.get(next) {
            if !text.trim_matches(blank).is_empty() {
                break;
            }
            breaks.push(*empty_break);
            next += 1;
        }
        if line_break != '\n' {
            out.push(line_break);
        } else if breaks.is_empty() {
            out.push(' ');
        }
        out.push_str(&breaks);
        index = next;
    }
    out
}

/// How a block scalar's final line breaks are kept: `-` strips them, `+` keeps them
/// all, the default ("clip") keeps one.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Chomping {
    Strip,
    Clip,
    Keep,
}

/// The value of a block scalar whose content lines are `body` (the text after its
/// header line), indented by `indent` spaces, as `scan_block_scalar` reads it.
pub(super) fn pyyaml_block_value(
    body: &str,
    indent: usize,
    folded: bool,
    chomping: Chomping,
) -> String {
    let chars: Vec<char> = body.chars().collect();
    let mut block = Block {
        chars: &chars,
        pos: 0,
        column: 0,
        indent,
    };
    let mut out = String::new();
    let mut breaks = block.breaks();
    let mut line_break = None;
    while block.column == indent && block.pos < chars.len() {
        out.push_str(&breaks);
        let leading_non_space = !matches!(block.peek(), Some(' ' | '\t'));
        while block.peek().is_some() && line_break_at(&chars, block.pos).is_none() {
            out.extend(block.peek());
            block.pos += 1;
        }
        line_break = line_break_at(&chars, block.pos).map(|(c, len)| {
            block.pos += len;
            block.column = 0;
            c
        });
        breaks = block.breaks();
        if block.column != indent || block.pos >= chars.len() {
            break;
        }
        let next_is_blank = matches!(block.peek(), Some(' ' | '\t'));
        if folded && line_break == Some('\n') && leading_non_space && !next_is_blank {
            if breaks.is_empty() {
                out.push(' ');
            }
        } else {
            out.extend(line_break);
        }
    }
    if chomping != Chomping::Strip {
        out.extend(line_break);
    }
    if chomping == Chomping::Keep {
        out.push_str(&breaks);
    }
    out
}

/// The value of the block scalar whose source runs from its `|`/`>` header to the end
/// of its content, or `None` for an explicit indentation indicator (its indentation
/// depends on the parent's, which the caller keeps saphyr's value for).
pub(super) fn pyyaml_block_from_source(source: &str) -> Option<String> {
    let mut chars = source.chars();
    let folded = match chars.next()? {
        '|' => false,
        '>' => true,
        _ => return None,
    };
    let header: String = chars
        .take_while(|c| matches!(c, '0'..='9' | '+' | '-'))
        .collect();
    if header.contains(|c: char| c.is_ascii_digit()) {
        return None;
    }
    let chomping = if header.contains('+') {
        Chomping::Keep
    } else if header.contains('-') {
        Chomping::Strip
    } else {
        Chomping::Clip
    };
    let header_end = source.find(is_pyyaml_break)?;
    let after = source.get(header_end..)?;
    let break_len = if after.starts_with("\r\n") {
        2
    } else {
        after.chars().next().map_or(1, char::len_utf8)
    };
    let body = source.get(header_end + break_len..)?;
    // `scan_block_scalar_indentation`: the deepest indentation of the leading empty
    // lines and of the first content line, at least one column.
    let mut indent = 1;
    for line in body.split(is_pyyaml_break) {
        let spaces = line.len() - line.trim_start_matches(' ').len();
        indent = indent.max(spaces);
        if !line.trim_start_matches(' ').is_empty() {
            break;
        }
    }
    Some(pyyaml_block_value(body, indent, folded, chomping))
}

struct Block<'c> {
    chars: &'c [char],
    pos: usize,
    column: usize,
    indent: usize,
}

impl Block<'_> {
    fn peek(&self) -> Option<char> {
        self.chars.get(self.pos).copied()
    }

    /// `scan_block_scalar_breaks`: the indentation up to the block's, and the breaks of
    /// the empty lines there.
    fn breaks(&mut self) -> String {
        let mut breaks = String::new();
        loop {
            while self.column < self.indent && self.peek() == Some(' ') {
                self.pos += 1;
                self.column += 1;
            }
            let Some((line_break, len)) = line_break_at(self.chars, self.pos) else {
                return breaks;
            };
            breaks.push(line_break);
            self.pos += len;
            self.column = 0;
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
    }

    /// Expected values are PyYAML 6.0.4's.
    #[test]
    fn plain_and_block_scalars_fold_like_pyyaml() {
        assert_eq!(pyyaml_plain_value("a\u{2028}      b"), "a\u{2028}b");
        assert_eq!(pyyaml_plain_value("a \n  b\n\n  c"), "a b\nc");
        assert_eq!(pyyaml_plain_value("a\u{2029}\n  b"), "a\u{2029}\nb");
        let body = "      a\u{2028}      b\n";
        assert_eq!(
            pyyaml_block_value(body, 6, false, Chomping::Clip),
            "a\u{2028}b\n"
        );
        assert_eq!(
            pyyaml_block_value(body, 6, true, Chomping::Clip),
            "a\u{2028}b\n"
        );
        let folded = "  a\n  b\n\n  c\n   d\n\n\n";
        assert_eq!(
            pyyaml_block_value(folded, 2, true, Chomping::Clip),
            "a b\nc\n d\n"
        );
        assert_eq!(
            pyyaml_block_value(folded, 2, true, Chomping::Keep),
            "a b\nc\n d\n\n\n"
        );
        assert_eq!(
            pyyaml_block_value(folded, 2, false, Chomping::Strip),
            "a\nb\n\nc\n d"
        );
        assert_eq!(pyyaml_block_value("  x", 2, false, Chomping::Clip), "x");
        assert_eq!(pyyaml_quoted_value("'open"), None);
    }
}
