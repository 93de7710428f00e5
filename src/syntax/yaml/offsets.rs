//! Character index → byte offset conversion for saphyr's markers.
//!
//! saphyr reports positions as character indices, while every span in guardc is a byte
//! range. Pure-ASCII documents (nearly all policies) need no table at all; otherwise a
//! checkpoint every [`STRIDE`] characters keeps the table small for multi-megabyte
//! documents while a lookup walks at most `STRIDE - 1` characters.

const STRIDE: usize = 64;

#[derive(Debug)]
pub(super) struct Offsets<'a> {
    text: &'a str,
    /// Bytes skipped before `text` in the original document (a byte-order mark).
    base: usize,
    /// Byte offset of every `STRIDE`-th character; empty for ASCII text.
    checkpoints: Vec<usize>,
}

impl<'a> Offsets<'a> {
    pub(super) fn new(text: &'a str, base: usize) -> Self {
        let checkpoints = if text.is_ascii() {
            Vec::new()
        } else {
            text.char_indices()
                .step_by(STRIDE)
                .map(|(byte, _)| byte)
                .collect()
        };
        Self {
            text,
            base,
            checkpoints,
        }
    }

    /// The byte offset, in the original document, of the character at `char_index` of
    /// the parsed text (clamped to its end).
    pub(super) fn byte(&self, char_index: usize) -> usize {
        if self.checkpoints.is_empty() {
            return self.base + char_index.min(self.text.len());
        }
        let block = char_index / STRIDE;
        let Some(&start) = self.checkpoints.get(block) else {
            return self.base + self.text.len();
        };
        let rest = char_index % STRIDE;
        let within = self
            .text
            .get(start..)
            .and_then(|tail| tail.char_indices().nth(rest).map(|(i, _)| i))
            .unwrap_or(self.text.len() - start);
        self.base + start + within
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn converts_character_indices_to_bytes() {
        let text = "é: ü\nß: [x]\n".repeat(40);
        let offsets = Offsets::new(&text, 3);
        for (char_index, (byte, _)) in text.char_indices().enumerate() {
            assert_eq!(offsets.byte(char_index), byte + 3);
        }
        assert_eq!(offsets.byte(text.chars().count()), text.len() + 3);
        assert_eq!(offsets.byte(usize::MAX / 2), text.len() + 3);
        let ascii = Offsets::new("abc", 0);
        assert_eq!(ascii.byte(2), 2);
        assert_eq!(ascii.byte(9), 3);
    }
}
