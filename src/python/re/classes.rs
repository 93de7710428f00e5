//! How Python's character vocabulary is spelled in `regex` crate syntax: literals,
//! character classes, and the Unicode categories `\d`, `\s`, `\w`.
//!
//! Python's categories are not Rust's. For `str` patterns CPython 3.11 defines `\d` as
//! the Unicode 14.0 decimal digits, `\s` as `str.isspace()` (which, unlike Unicode
//! White_Space, includes `\x1c`-`\x1f`) and `\w` as `str.isalnum()` or `_` (exactly the
//! categories L* and N*, checked over every code point). Rust's `\w` also takes marks
//! and connector punctuation and leaves out `No` (`½`), and its `\s` misses `\x1c`-`\x1f`,
//! so the translation spells each Python category out as an explicit class instead of
//! reusing Rust's escapes, and Python's word boundary is spelled out with look-around on
//! Python's `\w` ([`push_word_boundary`]).

use std::fmt::Write as _;

use crate::python::PY_DECIMAL_ZEROS;

/// A class that matches nothing. No input can hold a surrogate code point (Rust strings
/// are valid UTF-8), so a Python literal surrogate becomes this.
const NEVER: &str = r"[^\x{0}-\x{10FFFF}]";
/// Every character, for a negated class whose members were all surrogates.
const ANY: &str = r"[\x{0}-\x{10FFFF}]";

/// Python's `str.isspace()` set.
const SPACE_BODY: &str = r"\t-\r\x{1C}-\x{20}\x{85}\x{A0}\x{1680}\x{2000}-\x{200A}\x{2028}\x{2029}\x{202F}\x{205F}\x{3000}";
/// Python's `\w`: letters, numbers (every `N*` category, so `²` and `½` too) and `_`.
const WORD_BODY: &str = r"\p{L}\p{N}_";
/// The same three categories under `(?a)`.
const ASCII_DIGIT_BODY: &str = "0-9";
const ASCII_SPACE_BODY: &str = r"\t-\r\x{20}";
const ASCII_WORD_BODY: &str = "0-9A-Za-z_";

/// One of Python's class escapes, possibly negated (`\D`, `\S`, `\W`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Category {
    Digit { negated: bool },
    Space { negated: bool },
    Word { negated: bool },
}

impl Category {
    /// The category an escape letter names (`d` for `\d`, ...).
    pub fn of(letter: char) -> Option<Category> {
        Some(match letter {
            'd' => Category::Digit { negated: false },
            'D' => Category::Digit { negated: true },
            's' => Category::Space { negated: false },
            'S' => Category::Space { negated: true },
            'w' => Category::Word { negated: false },
            'W' => Category::Word { negated: true },
            _ => return None,
        })
    }
}

/// A member of a Python character set.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Member {
    /// A code point; may be a surrogate (`\ud800` is a valid Python escape).
    Char(u32),
    Range(u32, u32),
    Category(Category),
}

impl Member {
    /// Whether the member spans many code points (and so many automaton states).
    pub fn is_large(&self) -> bool {
        match *self {
            Member::Char(_) => false,
            Member::Range(lo, hi) => hi.saturating_sub(lo) > 0x80,
            Member::Category(_) => true,
        }
    }
}

/// Appends a literal code point outside a class.
pub fn push_literal(out: &mut String, code: u32) {
    match char::from_u32(code) {
        Some(c) if c.is_ascii_alphanumeric() || !c.is_ascii() => out.push(c),
        Some(_) => push_hex(out, code),
        None => out.push_str(NEVER),
    }
}

/// Appends a category as a bracketed class (valid both alone and nested in a class,
/// where Rust reads a nested class as a union); `ascii` is Python's `(?a)`.
pub fn push_category(out: &mut String, category: Category, ascii: bool) {
    let (negated, body): (bool, std::borrow::Cow<'static, str>) = match (category, ascii) {
        (Category::Digit { negated }, false) => (negated, digit_body().into()),
        (Category::Digit { negated }, true) => (negated, ASCII_DIGIT_BODY.into()),
        (Category::Space { negated }, false) => (negated, SPACE_BODY.into()),
        (Category::Space { negated }, true) => (negated, ASCII_SPACE_BODY.into()),
        (Category::Word { negated }, false) => (negated, WORD_BODY.into()),
        (Category::Word { negated }, true) => (negated, ASCII_WORD_BODY.into()),
    };
    out.push('[');
    if negated {
        out.push('^');
    }
    out.push_str(&body);
    out.push(']');
}

/// Appends Python's `\b` (or `\B`, `negated`) on Python's word characters. The engine's
/// own `\b` uses a different `\w` (it takes combining marks, not `½`), so the boundary is
/// spelled out with look-around. `\B` never matches in an empty text, as in CPython 3.11.
pub fn push_word_boundary(out: &mut String, negated: bool, ascii: bool) {
    let word_class = |negated: bool| {
        let mut class = String::new();
        push_category(&mut class, Category::Word { negated }, ascii);
        class
    };
    let (word, other) = (word_class(false), word_class(true));
    let text = if negated {
        format!("(?:(?<={word})(?={word})|(?<={other})(?!{word})|(?<!{word})(?={other}))")
    } else {
        format!("(?:(?<={word})(?!{word})|(?<!{word})(?={word}))")
    };
    out.push_str(&text);
}

/// Appends a Python character set `[...]`; `ascii` is Python's `(?a)`.
pub fn push_class(out: &mut String, negated: bool, members: &[Member], ascii: bool) {
    let mut body = String::new();
    for member in members {
        match *member {
            Member::Char(code) => {
                if char::from_u32(code).is_some() {
                    push_hex(&mut body, code);
                }
            }
            Member::Range(lo, hi) => push_range(&mut body, lo, hi),
            Member::Category(category) => push_category(&mut body, category, ascii),
        }
    }
    if body.is_empty() {
        out.push_str(if negated { ANY } else { NEVER });
        return;
    }
    out.push('[');
    if negated {
        out.push('^');
    }
    out.push_str(&body);
    out.push(']');
}

/// A range with its surrogate ends pulled in to the nearest scalar values.
fn push_range(body: &mut String, lo: u32, hi: u32) {
    const SURROGATES: std::ops::RangeInclusive<u32> = 0xD800..=0xDFFF;
    let lo = if SURROGATES.contains(&lo) { 0xE000 } else { lo };
    let hi = if SURROGATES.contains(&hi) { 0xD7FF } else { hi };
    if lo <= hi {
        push_hex(body, lo);
        body.push('-');
        push_hex(body, hi);
    }
}

fn push_hex(out: &mut String, code: u32) {
    // Writing to a String cannot fail.
    let _ = write!(out, "\\x{{{code:X}}}");
}

/// `0-9` and every Unicode 14.0 decimal digit block.
fn digit_body() -> String {
    let mut body = String::from("0-9");
    for &zero in PY_DECIMAL_ZEROS {
        push_range(&mut body, zero, zero + 9);
    }
    body
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn literals_are_escaped_unambiguously() {
        let mut out = String::new();
        for c in ['a', '.', 'é', '[', ' '] {
            push_literal(&mut out, u32::from(c));
        }
        assert_eq!(out, r"a\x{2E}é\x{5B}\x{20}");
    }

    #[test]
    fn surrogates_never_match() {
        let mut out = String::new();
        push_literal(&mut out, 0xD800);
        assert_eq!(out, NEVER);
        let mut class = String::new();
        push_class(&mut class, false, &[Member::Char(0xDC00)], false);
        assert_eq!(class, NEVER);
        let mut range = String::new();
        push_class(&mut range, false, &[Member::Range(0xD7FF, 0xDFFF)], false);
        assert_eq!(range, r"[\x{D7FF}-\x{D7FF}]");
    }

    #[test]
    fn categories_compile() {
        for letter in ['d', 'D', 's', 'S', 'w', 'W'] {
            for ascii in [false, true] {
                let mut out = String::new();
                push_category(&mut out, Category::of(letter).unwrap(), ascii);
                assert!(regex::Regex::new(&out).is_ok(), "{out}");
            }
        }
    }
}
