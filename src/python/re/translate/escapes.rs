//! Escapes and character sets of a Python pattern: `_escape` and `_class_escape` of
//! `re._parser`, and the `[...]` parser. They are the part of the grammar where Python and
//! Rust disagree most (octal escapes, `\Z`, `\b` as backspace in a class, `[` as a
//! plain member, `&&` and `~~` without meaning), so each Python rule is reproduced
//! literally here and the result is written in unambiguous Rust syntax by `classes`.

use super::super::classes::{
    Category, Member, push_category, push_class, push_literal, push_word_boundary,
};
use super::Untranslatable::Invalid;
use super::{Item, Result, Translator};

impl Translator {
    /// `_escape`: an escape outside a class (the backslash is consumed).
    pub(super) fn escape(&mut self) -> Result<Item> {
        let c = self.bump().ok_or(Invalid("bad escape (end of pattern)"))?;
        if let Some(category) = Category::of(c) {
            push_category(&mut self.out, category, self.ascii);
            return Ok(Item::char(1000));
        }
        match c {
            'b' | 'B' => {
                push_word_boundary(&mut self.out, c == 'B', self.ascii);
                return Ok(Item::assertion(2000));
            }
            'A' | 'Z' => {
                self.out.push_str(if c == 'A' { r"\A" } else { r"\z" });
                return Ok(Item::assertion(1));
            }
            '1'..='9' => return self.backreference_or_octal(c),
            _ => {}
        }
        let code = if c == '0' {
            self.octal_digits(0, 2)
        } else {
            self.common_escape(c)?
        };
        push_literal(&mut self.out, code);
        Ok(Item::char(1))
    }

    /// The escapes a class and the pattern share: control letters, `\x`, `\u`, `\U`,
    /// `\N`, and an escaped non-alphanumeric character, which is itself.
    pub(super) fn common_escape(&mut self, c: char) -> Result<u32> {
        Ok(match c {
            'a' => 0x07,
            'f' => 0x0C,
            'n' => 0x0A,
            'r' => 0x0D,
            't' => 0x09,
            'v' => 0x0B,
            'x' => self.hex_digits(2)?,
            'u' => self.hex_digits(4)?,
            'U' => {
                let code = self.hex_digits(8)?;
                if code > 0x10FFFF {
                    return Err(Invalid("bad escape \\U"));
                }
                code
            }
            'N' => self.named_character()?,
            c if c.is_ascii_alphanumeric() => return Err(Invalid("bad escape")),
            c => u32::from(c),
        })
    }

    /// `\N{name}`: the character `unicodedata.lookup(name)` gives (see
    /// [`named_character`]).
    pub(super) fn named_character(&mut self) -> Result<u32> {
        if !self.eat('{') {
            return Err(Invalid("missing {"));
        }
        let mut name = String::new();
        loop {
            match self.bump() {
                None => return Err(Invalid("missing }, unterminated name")),
                Some('}') => break,
                Some(c) => name.push(c),
            }
        }
        if name.is_empty() {
            return Err(Invalid("missing character name"));
        }
        match named_character(&name) {
            NamedCharacter::Found(c) => Ok(u32::from(c)),
            NamedCharacter::Undefined => Err(Invalid("undefined character name")),
            NamedCharacter::Unsure => {
                self.note_unsupported("character name aliases (\\N{...})");
                Ok(u32::from(char::REPLACEMENT_CHARACTER))
            }
        }
    }

    /// Exactly `count` hex digits.
    pub(super) fn hex_digits(&mut self, count: usize) -> Result<u32> {
        let mut value = 0;
        for _ in 0..count {
            let digit = self
                .peek()
                .and_then(|c| c.to_digit(16))
                .ok_or(Invalid("incomplete escape"))?;
            self.pos += 1;
            value = value * 16 + digit;
        }
        Ok(value)
    }

    /// Up to `max` further octal digits after a first digit worth `value`.
    pub(super) fn octal_digits(&mut self, mut value: u32, max: usize) -> u32 {
        for _ in 0..max {
            match self.peek().and_then(|c| c.to_digit(8)) {
                Some(digit) => {
                    self.pos += 1;
                    value = value * 8 + digit;
                }
                None => break,
            }
        }
        value
    }

    /// `\1`..`\99` are group references, except three octal digits (`\141`).
    pub(super) fn backreference_or_octal(&mut self, first: char) -> Result<Item> {
        let mut group = first.to_digit(10).unwrap_or_default();
        if let Some(second) = self.peek().and_then(|c| c.to_digit(10)) {
            self.pos += 1;
            let third = self.peek().and_then(|c| c.to_digit(8));
            if let (true, true, Some(third)) = (group < 8, second < 8, third) {
                self.pos += 1;
                let code = group * 64 + second * 8 + third;
                if code > 0o377 {
                    return Err(Invalid("octal escape value outside of range 0-0o377"));
                }
                push_literal(&mut self.out, code);
                return Ok(Item::char(1));
            }
            group = group * 10 + second;
        }
        if group > self.groups {
            return Err(Invalid("invalid group reference"));
        }
        self.reference(group)
    }

    /// A character set, after its `[`.
    pub(super) fn class(&mut self) -> Result<Item> {
        let negated = self.eat('^');
        let mut members = Vec::new();
        loop {
            let c = self.bump().ok_or(Invalid("unterminated character set"))?;
            if c == ']' && !members.is_empty() {
                break;
            }
            let first = self.class_atom(c)?;
            if !self.eat('-') {
                members.push(first);
                continue;
            }
            let after = self.bump().ok_or(Invalid("unterminated character set"))?;
            if after == ']' {
                members.extend([first, Member::Char(u32::from('-'))]);
                break;
            }
            match (first, self.class_atom(after)?) {
                (Member::Char(lo), Member::Char(hi)) if lo <= hi => {
                    members.push(Member::Range(lo, hi));
                }
                _ => return Err(Invalid("bad character range")),
            }
        }
        push_class(&mut self.out, negated, &members, self.ascii);
        let big = negated || members.iter().any(Member::is_large);
        Ok(Item::char(if big {
            1000
        } else {
            1 + members.len() as u64
        }))
    }

    /// `_class_escape` or a plain member.
    pub(super) fn class_atom(&mut self, c: char) -> Result<Member> {
        if c != '\\' {
            return Ok(Member::Char(u32::from(c)));
        }
        let e = self.bump().ok_or(Invalid("bad escape (end of pattern)"))?;
        if let Some(category) = Category::of(e) {
            return Ok(Member::Category(category));
        }
        Ok(Member::Char(match e {
            'b' => 0x08,
            '0'..='7' => {
                let code = self.octal_digits(e.to_digit(8).unwrap_or_default(), 2);
                if code > 0o377 {
                    return Err(Invalid("octal escape value outside of range 0-0o377"));
                }
                code
            }
            '8' | '9' => return Err(Invalid("bad escape")),
            _ => self.common_escape(e)?,
        }))
    }
}

/// What `unicodedata.lookup` (Unicode 14.0, as in CPython 3.11) gives for a name.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum NamedCharacter {
    Found(char),
    /// Python raises "undefined character name".
    Undefined,
    /// A name the table resolves only loosely or as an alias: Python may or may not
    /// accept that spelling, so the pattern is decided fail-closed.
    Unsure,
}

/// Python looks names up case-insensitively and otherwise exactly, among the official
/// names (and aliases) of Unicode 14.0. The table here is a newer Unicode's and matches
/// loosely (spaces, hyphens, underscores), so a name counts as found only when it is the
/// character's official name and the character was assigned by Unicode 14.0; an
/// unknown name is undefined; anything else (an alias, a loose spelling) is unsure.
pub(super) fn named_character(name: &str) -> NamedCharacter {
    let Some(c) = unicode_names2::character(name) else {
        return NamedCharacter::Undefined;
    };
    let official = unicode_names2::name(c).map(|n| n.to_string());
    if !official.is_some_and(|official| official.eq_ignore_ascii_case(name)) {
        return NamedCharacter::Unsure;
    }
    match assigned_by_unicode_14(c) {
        Some(true) => NamedCharacter::Found(c),
        Some(false) => NamedCharacter::Undefined,
        None => NamedCharacter::Unsure,
    }
}

/// Whether `c` was assigned by Unicode 14.0 (`None` if the age table is unavailable).
fn assigned_by_unicode_14(c: char) -> Option<bool> {
    static AGE_14: std::sync::LazyLock<Option<regex::Regex>> =
        std::sync::LazyLock::new(|| regex::Regex::new(r"^\p{Age=14.0}$").ok());
    let mut buffer = [0; 4];
    AGE_14
        .as_ref()
        .map(|age| age.is_match(c.encode_utf8(&mut buffer)))
}
