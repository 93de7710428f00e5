//! Position conversion, in one place: byte offsets (what every layer below uses) to and
//! from LSP positions in the negotiated encoding.
//!
//! The client says which encodings it supports (`general.positionEncodings`); UTF-8 is
//! taken when offered (no conversion at all), else UTF-16, which every client must
//! support. Columns are never counted in characters: that is the bug that makes
//! positions drift after an emoji when two servers share a buffer.

use lsp_types::{ClientCapabilities, Position, PositionEncodingKind, Range};

use crate::source::{LineIndex, Span};

/// The negotiated unit of `Position::character`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Encoding {
    Utf8,
    Utf16,
}

impl Encoding {
    /// UTF-8 when the client offers it, else UTF-16 (the protocol's default).
    pub fn negotiate(capabilities: &ClientCapabilities) -> Encoding {
        let offered = capabilities
            .general
            .as_ref()
            .and_then(|general| general.position_encodings.as_ref());
        match offered {
            Some(kinds) if kinds.contains(&PositionEncodingKind::UTF8) => Encoding::Utf8,
            _ => Encoding::Utf16,
        }
    }

    pub fn kind(self) -> PositionEncodingKind {
        match self {
            Encoding::Utf8 => PositionEncodingKind::UTF8,
            Encoding::Utf16 => PositionEncodingKind::UTF16,
        }
    }
}

/// Conversions over one version of one document.
#[derive(Debug, Clone, Copy)]
pub struct Positions<'a> {
    pub lines: &'a LineIndex,
    pub text: &'a str,
    pub encoding: Encoding,
}

impl Positions<'_> {
    pub fn position(&self, offset: usize) -> Position {
        let offset = self.floor(offset.min(self.text.len()));
        let line = self.lines.line_of(offset);
        let character = match self.encoding {
            Encoding::Utf8 => offset - self.lines.line_start(line),
            Encoding::Utf16 => self.lines.utf16_col(offset),
        };
        Position::new(to_u32(line), to_u32(character))
    }

    pub fn range(&self, span: Span) -> Range {
        Range::new(self.position(span.start), self.position(span.end))
    }

    /// The byte offset of a position; a column past the end of its line is the end of
    /// the line, a line past the end is the end of the text (as the protocol asks).
    pub fn offset(&self, position: Position) -> usize {
        let line = position.line as usize;
        if line >= self.lines.line_count() {
            return self.text.len();
        }
        let character = position.character as usize;
        match self.encoding {
            Encoding::Utf16 => self.lines.offset_of_utf16(line, character),
            Encoding::Utf8 => {
                let start = self.lines.line_start(line);
                let rest = self.text.get(start..).unwrap_or("");
                let line_len = rest.find('\n').unwrap_or(rest.len());
                self.floor(start + character.min(line_len))
            }
        }
    }

    pub fn span(&self, range: Range) -> Span {
        let start = self.offset(range.start);
        Span::new(start, self.offset(range.end).max(start))
    }

    fn floor(&self, mut offset: usize) -> usize {
        while offset > 0 && !self.text.is_char_boundary(offset) {
            offset -= 1;
        }
        offset
    }
}

fn to_u32(value: usize) -> u32 {
    u32::try_from(value).unwrap_or(u32::MAX)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_emoji_is_two_utf16_units_and_four_bytes() {
        let text = "reason: '🚫 no'  # x\n";
        let lines = LineIndex::new(text);
        let x = text.find('x').unwrap_or(0);
        for (encoding, column) in [(Encoding::Utf8, 21), (Encoding::Utf16, 19)] {
            let positions = Positions {
                lines: &lines,
                text,
                encoding,
            };
            assert_eq!(positions.position(x), Position::new(0, column));
            assert_eq!(positions.offset(Position::new(0, column)), x);
        }
    }
}
