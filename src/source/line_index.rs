//! Offset → line/column conversion, built once per document.

/// A 1-based line and column. Columns count Unicode scalar values, as editors other than
/// LSP clients do; [`LineIndex::utf16_col`] gives the LSP flavour.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LineCol {
    pub line: usize,
    pub col: usize,
}

/// The byte offsets at which each line starts. Lines end at `\n`; a `\r` before it is
/// part of the previous line's text, which is what YAML and JSON parsers report too.
#[derive(Debug, Clone)]
pub struct LineIndex {
    starts: Vec<usize>,
    text_len: usize,
    // Kept so columns can be counted in characters without the caller passing the text.
    text: String,
}

impl LineIndex {
    pub fn new(text: &str) -> Self {
        let mut starts = Vec::with_capacity(text.len() / 32 + 1);
        starts.push(0);
        starts.extend(memchr::memchr_iter(b'\n', text.as_bytes()).map(|i| i + 1));
        Self {
            starts,
            text_len: text.len(),
            text: text.to_owned(),
        }
    }

    /// 0-based line number containing `offset`.
    pub fn line_of(&self, offset: usize) -> usize {
        let offset = offset.min(self.text_len);
        match self.starts.binary_search(&offset) {
            Ok(line) => line,
            Err(next) => next.saturating_sub(1),
        }
    }

    /// Byte offset at which a 0-based line starts (clamped to the end of the text).
    pub fn line_start(&self, line: usize) -> usize {
        self.starts.get(line).copied().unwrap_or(self.text_len)
    }

    pub fn line_count(&self) -> usize {
        self.starts.len()
    }

    /// Byte offset at which the text of a 0-based line ends: before its `\n`, or before
    /// the `\r` of a `\r\n` (clamped to the end of the text).
    pub fn line_content_end(&self, line: usize) -> usize {
        let start = self.line_start(line);
        let next = self.line_start(line + 1);
        let bytes = self.text.as_bytes();
        let mut end = next;
        if end > start && bytes.get(end - 1) == Some(&b'\n') {
            end -= 1;
            if end > start && bytes.get(end - 1) == Some(&b'\r') {
                end -= 1;
            }
        }
        end
    }

    /// 1-based line and character column of a byte offset: the one column convention of
    /// every report format (human headers, JSON, SARIF, GitHub annotations). An offset
    /// inside a character counts as that character's start.
    pub fn line_col(&self, offset: usize) -> LineCol {
        let offset = self.floor_char_boundary(offset.min(self.text_len));
        let line = self.line_of(offset);
        let start = self.line_start(line);
        let col = self
            .text
            .get(start..offset)
            .map_or(0, |s| s.chars().count());
        LineCol {
            line: line + 1,
            col: col + 1,
        }
    }

    /// 0-based UTF-16 column of a byte offset, as the language server protocol counts.
    pub fn utf16_col(&self, offset: usize) -> usize {
        let offset = self.floor_char_boundary(offset.min(self.text_len));
        let start = self.line_start(self.line_of(offset));
        self.text
            .get(start..offset)
            .map_or(0, |s| s.chars().map(char::len_utf16).sum())
    }

    /// Byte offset of a 0-based line and UTF-16 column (the inverse of `utf16_col`).
    pub fn offset_of_utf16(&self, line: usize, utf16_col: usize) -> usize {
        let start = self.line_start(line);
        let end = self.line_start(line + 1);
        let mut units = 0;
        for (i, c) in self.text.get(start..end).unwrap_or("").char_indices() {
            if units >= utf16_col || c == '\n' {
                return start + i;
            }
            units += c.len_utf16();
        }
        end
    }

    fn floor_char_boundary(&self, mut offset: usize) -> usize {
        while offset > 0 && !self.text.is_char_boundary(offset) {
            offset -= 1;
        }
        offset
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn columns_count_characters_and_utf16_units() {
        let index = LineIndex::new("a: 1\nß: 𝄞x\n");
        assert_eq!(index.line_col(0), LineCol { line: 1, col: 1 });
        let x = "a: 1\nß: 𝄞".len();
        assert_eq!(index.line_col(x), LineCol { line: 2, col: 5 });
        assert_eq!(index.utf16_col(x), 5);
        assert_eq!(index.offset_of_utf16(1, 5), x);
    }

    #[test]
    fn line_content_ends_before_the_line_break() {
        let index = LineIndex::new("ab\r\ncd\n\ne");
        let ends: Vec<usize> = (0..index.line_count())
            .map(|line| index.line_content_end(line))
            .collect();
        assert_eq!(ends, [2, 6, 7, 9]);
        assert_eq!(index.line_content_end(9), 9);
    }
}
