//! Python's inline flags (`(?imsx)`, `(?i-s:...)`) as `re._parser._parse_flags` collects
//! and checks them, kept apart from the translator because the checks (which letters
//! exist, which combine, which may be scoped) are a table of their own.

use super::translate::Untranslatable::{self, Invalid};

/// Inline flags as `_parse_flags` collects them.
#[derive(Debug, Clone, Copy, Default)]
pub struct Flags {
    pub i: bool,
    pub m: bool,
    pub s: bool,
    pub x: bool,
    pub a: bool,
    pub t: bool,
    pub u: bool,
}

impl Flags {
    pub fn set(&mut self, letter: char) -> Result<(), Untranslatable> {
        match letter {
            'i' => self.i = true,
            'm' => self.m = true,
            's' => self.s = true,
            'x' => self.x = true,
            'a' => self.a = true,
            't' => self.t = true,
            'u' => self.u = true,
            _ => return Err(Invalid("cannot use 'L' flag with a str pattern")),
        }
        if self.a && self.u {
            return Err(Invalid("flags 'a', 'u' and 'L' are incompatible"));
        }
        Ok(())
    }

    pub fn overlaps(&self, other: &Flags) -> bool {
        (self.i && other.i) || (self.m && other.m) || (self.s && other.s) || (self.x && other.x)
    }

    /// The letters Rust shares with Python (`x` is handled by the translator itself).
    pub fn rust_letters(&self) -> String {
        [(self.i, 'i'), (self.m, 'm'), (self.s, 's')]
            .into_iter()
            .filter_map(|(on, letter)| on.then_some(letter))
            .collect()
    }
}
