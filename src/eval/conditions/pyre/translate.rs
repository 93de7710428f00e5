//! Python 3.11 `re` pattern syntax, rewritten in `regex` crate syntax.
//!
//! The reference evaluates `matches` with `re.search`; guardc uses the `regex` crate,
//! whose syntax overlaps Python's but is not the same language. Handing the pattern over
//! verbatim would make `[[:alpha:]]`, `\p{L}`, `\z` or `(?<n>a)` match where Python
//! refuses the pattern (and the reference then never matches), and would refuse `\Z`,
//! `a{,2}` or a bare `{` that Python accepts. So this module re-parses the pattern the way
//! CPython's `re._parser` does (same grammar, same error cases, same order of checks)
//! and writes the equivalent `regex` syntax.
//!
//! Two outcomes have no translation, and both make the condition never match:
//! * [`Untranslatable::Invalid`]: Python refuses the pattern; the reference catches
//!   `re.error` and reports no match.
//! * [`Untranslatable::Unsupported`]: valid Python that the `regex` crate cannot express
//!   (look-around, backreferences, atomic groups, possessive quantifiers, conditional
//!   groups, `\N{...}`, the ASCII and template flags). Never matching is the fail-closed
//!   choice for an allow rule; for a deny rule it is a documented divergence, and the
//!   analyzer can report such a pattern from [`super::RegexRefusal`].
//!
//! Remaining divergences, all narrow:
//! * non-multiline `$`: Python also matches just before a final `\n`. The translation
//!   reproduces this where nothing can be matched after the `$` (the pattern, or every
//!   enclosing group, ends there), which is how `$` is written in practice; elsewhere
//!   `$` means end of text only.
//! * `\b`/`\B` use Rust's definition of a word character (see `classes`).
//! * `(?i)`: both engines use simple case folding, with small table differences.
//! * Unicode versions: Python 3.11 has Unicode 14.0, the `regex` crate a newer one, so
//!   characters assigned since then can differ in `\w`, `\b` and case folding.
//! * a group name is checked with Rust's `is_alphabetic`/`is_alphanumeric`, an
//!   approximation of Python's `str.isidentifier`.

use std::collections::HashMap;

use super::classes::{Category, Member, push_category, push_class, push_literal};
use super::flags::Flags;
use super::scan::only_closers_follow;

/// Why a pattern has no `regex` crate translation.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Untranslatable {
    /// CPython refuses the pattern (`re.error`, or `OverflowError` for a repeat count
    /// of 2**32 - 1 or more).
    Invalid(&'static str),
    /// Valid Python; the named feature does not exist in the `regex` crate.
    Unsupported(&'static str),
}

type Result<T> = std::result::Result<T, Untranslatable>;

use Untranslatable::{Invalid, Unsupported};

/// `_sre.MAXREPEAT`: a repeat bound at or above it is an `OverflowError`.
const MAXREPEAT: u64 = 4_294_967_295;
/// The inline flag letters `re` knows.
const FLAG_LETTERS: &str = "iLmsxatu";

/// Translates a Python pattern (the text `re.search` receives).
pub fn translate(pattern: &str) -> Result<String> {
    let mut translator = Translator {
        chars: pattern.chars().collect(),
        pos: 0,
        out: String::with_capacity(pattern.len() * 2),
        verbose: false,
        multiline: false,
        groups: 0,
        open: Vec::new(),
        names: HashMap::new(),
    };
    translator.alternation(true)?;
    if translator.pos < translator.chars.len() {
        return Err(Invalid("unbalanced parenthesis"));
    }
    Ok(translator.out)
}

struct Translator {
    chars: Vec<char>,
    pos: usize,
    out: String,
    /// `(?x)` in force: whitespace and `#` comments outside classes are skipped here,
    /// so the Rust pattern never needs Rust's own (different) verbose mode.
    verbose: bool,
    /// `(?m)` in force, which decides how `$` is written.
    multiline: bool,
    /// Capture groups opened so far (Python numbers them in order of `(`).
    groups: u32,
    /// Groups not yet closed; a backreference to one is an error in Python.
    open: Vec<u32>,
    names: HashMap<String, u32>,
}

/// What the last item of a branch was, for the quantifier checks.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Last {
    Nothing,
    /// `^`, `$`, `\A`, `\Z`, `\b`, `\B`: "nothing to repeat".
    Assertion,
    /// A quantified item: another quantifier is "multiple repeat".
    Repeat,
    Item,
}

impl Translator {
    fn peek(&self) -> Option<char> {
        self.chars.get(self.pos).copied()
    }

    fn bump(&mut self) -> Option<char> {
        let c = self.peek()?;
        self.pos += 1;
        Some(c)
    }

    fn eat(&mut self, c: char) -> bool {
        let found = self.peek() == Some(c);
        if found {
            self.pos += 1;
        }
        found
    }

    /// `_parse_sub`: branches separated by `|`. Global flags are allowed only at the
    /// start of the first branch of the whole pattern.
    fn alternation(&mut self, top: bool) -> Result<()> {
        let mut first = top;
        loop {
            self.branch(first)?;
            if !self.eat('|') {
                return Ok(());
            }
            self.out.push('|');
            first = false;
        }
    }

    /// `_parse`: one branch, up to `|`, `)` or the end.
    fn branch(&mut self, first: bool) -> Result<()> {
        let mut last = Last::Nothing;
        while let Some(c) = self.peek() {
            if c == '|' || c == ')' {
                break;
            }
            self.pos += 1;
            if self.verbose && self.skip_verbose(c) {
                continue;
            }
            last = match c {
                '\\' => self.escape()?,
                '[' => self.class()?,
                '*' | '+' | '?' | '{' => self.repeat(c, last)?,
                '.' => {
                    self.out.push('.');
                    Last::Item
                }
                '(' => self.group(first && last == Last::Nothing)?.unwrap_or(last),
                '^' => {
                    self.out.push('^');
                    Last::Assertion
                }
                '$' => self.dollar(),
                other => {
                    push_literal(&mut self.out, u32::from(other));
                    Last::Item
                }
            };
        }
        Ok(())
    }

    /// Verbose mode: skips whitespace and a `#` comment (to the end of the line).
    fn skip_verbose(&mut self, c: char) -> bool {
        if matches!(c, ' ' | '\t' | '\n' | '\r' | '\x0b' | '\x0c') {
            return true;
        }
        if c != '#' {
            return false;
        }
        while let Some(next) = self.bump() {
            if next == '\n' {
                break;
            }
        }
        true
    }

    /// `_escape`: an escape outside a class (the backslash is consumed).
    fn escape(&mut self) -> Result<Last> {
        let c = self.bump().ok_or(Invalid("bad escape (end of pattern)"))?;
        if let Some(category) = Category::of(c) {
            push_category(&mut self.out, category);
            return Ok(Last::Item);
        }
        let assertion = match c {
            'b' => r"\b",
            'B' => r"\B",
            'A' => r"\A",
            'Z' => r"\z",
            '1'..='9' => return self.backreference_or_octal(c),
            _ => "",
        };
        if !assertion.is_empty() {
            self.out.push_str(assertion);
            return Ok(Last::Assertion);
        }
        let code = if c == '0' {
            self.octal_digits(0, 2)
        } else {
            self.common_escape(c)?
        };
        push_literal(&mut self.out, code);
        Ok(Last::Item)
    }

    /// The escapes a class and the pattern share: control letters, `\x`, `\u`, `\U`,
    /// `\N`, and an escaped non-alphanumeric character, which is itself.
    fn common_escape(&mut self, c: char) -> Result<u32> {
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
            'N' => return Err(Unsupported("named characters \\N{...}")),
            c if c.is_ascii_alphanumeric() => return Err(Invalid("bad escape")),
            c => u32::from(c),
        })
    }

    /// Exactly `count` hex digits.
    fn hex_digits(&mut self, count: usize) -> Result<u32> {
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
    fn octal_digits(&mut self, mut value: u32, max: usize) -> u32 {
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
    fn backreference_or_octal(&mut self, first: char) -> Result<Last> {
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
                return Ok(Last::Item);
            }
            group = group * 10 + second;
        }
        if group > self.groups {
            return Err(Invalid("invalid group reference"));
        }
        if self.open.contains(&group) {
            return Err(Invalid("cannot refer to an open group"));
        }
        Err(Unsupported("backreferences"))
    }

    /// A quantifier (`*`, `+`, `?`, `{m,n}`); a `{` that does not start a valid bound
    /// is a literal.
    fn repeat(&mut self, c: char, last: Last) -> Result<Last> {
        let (min, max) = match c {
            '*' => (0, None),
            '+' => (1, None),
            '?' => (0, Some(1)),
            _ => match self.braces()? {
                Some(bounds) => bounds,
                None => {
                    push_literal(&mut self.out, u32::from('{'));
                    return Ok(Last::Item);
                }
            },
        };
        match last {
            Last::Nothing | Last::Assertion => return Err(Invalid("nothing to repeat")),
            Last::Repeat => return Err(Invalid("multiple repeat")),
            Last::Item => {}
        }
        self.out.push_str(&match (c, min, max) {
            ('*' | '+' | '?', ..) => c.to_string(),
            (_, min, None) => format!("{{{min},}}"),
            (_, min, Some(max)) if min == max => format!("{{{min}}}"),
            (_, min, Some(max)) => format!("{{{min},{max}}}"),
        });
        if self.eat('?') {
            self.out.push('?');
        } else if self.eat('+') {
            return Err(Unsupported("possessive quantifiers"));
        }
        Ok(Last::Repeat)
    }

    /// `{m}`, `{m,}`, `{,n}`, `{m,n}` after the `{`; `None` (nothing consumed) when the
    /// text is not a bound, which makes the `{` literal.
    fn braces(&mut self) -> Result<Option<(u64, Option<u64>)>> {
        if self.peek() == Some('}') {
            return Ok(None);
        }
        let start = self.pos;
        let lo = self.decimal();
        let hi = if self.eat(',') {
            self.decimal()
        } else {
            lo.clone()
        };
        if !self.eat('}') {
            self.pos = start;
            return Ok(None);
        }
        let bound = |digits: &str| match digits.parse::<u64>() {
            Ok(n) if n < MAXREPEAT => Ok(n),
            _ => Err(Invalid("the repetition number is too large")),
        };
        let min = if lo.is_empty() { 0 } else { bound(&lo)? };
        let max = if hi.is_empty() {
            None
        } else {
            Some(bound(&hi)?)
        };
        if max.is_some_and(|max| max < min) {
            return Err(Invalid("min repeat greater than max repeat"));
        }
        Ok(Some((min, max)))
    }

    fn decimal(&mut self) -> String {
        let mut digits = String::new();
        while let Some(c) = self.peek().filter(char::is_ascii_digit) {
            self.pos += 1;
            digits.push(c);
        }
        digits
    }

    /// Non-multiline `$`: end of text, or before a final `\n`. Rust has no look-ahead,
    /// but when nothing can follow the `$`, consuming that `\n` finds the same matches.
    fn dollar(&mut self) -> Last {
        if self.multiline {
            self.out.push('$');
        } else if only_closers_follow(&self.chars, self.pos, self.verbose) {
            self.out.push_str(r"(?:\n?\z)");
        } else {
            self.out.push_str(r"\z");
        }
        Last::Assertion
    }

    /// A character set, after its `[`.
    fn class(&mut self) -> Result<Last> {
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
        push_class(&mut self.out, negated, &members);
        Ok(Last::Item)
    }

    /// `_class_escape` or a plain member.
    fn class_atom(&mut self, c: char) -> Result<Member> {
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

    /// A group, after its `(`. `None` when it added no item (a comment, global flags).
    fn group(&mut self, at_start: bool) -> Result<Option<Last>> {
        if !self.eat('?') {
            self.capture(None)?;
            return Ok(Some(Last::Item));
        }
        match self.bump().ok_or(Invalid("unexpected end of pattern"))? {
            'P' => self.python_group().map(Some),
            ':' => {
                self.out.push_str("(?:");
                self.body()?;
                Ok(Some(Last::Item))
            }
            '#' => {
                while self
                    .bump()
                    .ok_or(Invalid("missing ), unterminated comment"))?
                    != ')'
                {}
                Ok(None)
            }
            '=' | '!' => Err(Unsupported("look-ahead assertions")),
            '<' => match self.bump() {
                Some('=' | '!') => Err(Unsupported("look-behind assertions")),
                _ => Err(Invalid("unknown extension ?<")),
            },
            '(' => Err(Unsupported("conditional groups")),
            '>' => Err(Unsupported("atomic groups")),
            c if c == '-' || FLAG_LETTERS.contains(c) => self.flags(c, at_start),
            _ => Err(Invalid("unknown extension")),
        }
    }

    /// `(?P<name>...)` and `(?P=name)`, after the `P`.
    fn python_group(&mut self) -> Result<Last> {
        if self.eat('<') {
            let name = self.group_name('>')?;
            if self.names.contains_key(&name) {
                return Err(Invalid("redefinition of group name"));
            }
            self.capture(Some(name))?;
            return Ok(Last::Item);
        }
        if self.eat('=') {
            let name = self.group_name(')')?;
            return match self.names.get(&name) {
                Some(group) if !self.open.contains(group) => Err(Unsupported("backreferences")),
                Some(_) => Err(Invalid("cannot refer to an open group")),
                None => Err(Invalid("unknown group name")),
            };
        }
        Err(Invalid("unknown extension ?P"))
    }

    fn group_name(&mut self, terminator: char) -> Result<String> {
        let mut name = String::new();
        loop {
            match self.bump() {
                None => return Err(Invalid("missing group name terminator")),
                Some(c) if c == terminator => break,
                Some(c) => name.push(c),
            }
        }
        let mut chars = name.chars();
        let head_ok = chars.next().is_some_and(|c| c == '_' || c.is_alphabetic());
        if !head_ok || !chars.all(|c| c == '_' || c.is_alphanumeric()) {
            return Err(Invalid("bad character in group name"));
        }
        Ok(name)
    }

    /// A capturing group's body; the name only matters for Python's own checks.
    fn capture(&mut self, name: Option<String>) -> Result<()> {
        self.groups += 1;
        let group = self.groups;
        if let Some(name) = name {
            self.names.insert(name, group);
        }
        self.open.push(group);
        self.out.push('(');
        self.body()?;
        self.open.retain(|&g| g != group);
        Ok(())
    }

    /// The alternation inside a group, then its `)`.
    fn body(&mut self) -> Result<()> {
        self.alternation(false)?;
        if !self.eat(')') {
            return Err(Invalid("missing ), unterminated subpattern"));
        }
        self.out.push(')');
        Ok(())
    }

    /// `_parse_flags`, after the first flag letter (or `-`) was read.
    fn flags(&mut self, first: char, at_start: bool) -> Result<Option<Last>> {
        let mut add = Flags::default();
        let mut c = first;
        if c != '-' {
            loop {
                add.set(c)?;
                c = self.bump().ok_or(Invalid("missing -, : or )"))?;
                if matches!(c, ')' | '-' | ':') {
                    break;
                }
                if !FLAG_LETTERS.contains(c) {
                    return Err(Invalid("unknown flag"));
                }
            }
        }
        if c == ')' {
            if !at_start {
                return Err(Invalid("global flags not at the start of the expression"));
            }
            self.global_flags(add)?;
            return Ok(None);
        }
        if add.t {
            return Err(Invalid("cannot turn on global flag"));
        }
        let mut remove = Flags::default();
        if c == '-' {
            loop {
                c = self.bump().ok_or(Invalid("missing flag"))?;
                if c == ':' && (remove.i || remove.m || remove.s || remove.x) {
                    break;
                }
                match c {
                    'a' | 'u' | 'L' => {
                        return Err(Invalid("cannot turn off flags 'a', 'u' and 'L'"));
                    }
                    't' => return Err(Invalid("cannot turn off global flag")),
                    'i' | 'm' | 's' | 'x' => remove.set(c)?,
                    _ => return Err(Invalid("missing flag or :")),
                }
            }
        }
        if add.overlaps(&remove) {
            return Err(Invalid("flag turned on and off"));
        }
        self.scoped_flags(add, remove).map(Some)
    }

    fn global_flags(&mut self, flags: Flags) -> Result<()> {
        if flags.a {
            return Err(Unsupported("the ASCII flag (?a)"));
        }
        if flags.t {
            return Err(Unsupported("the template flag (?t)"));
        }
        let letters = flags.rust_letters();
        if !letters.is_empty() {
            self.out.push_str(&format!("(?{letters})"));
        }
        self.multiline |= flags.m;
        self.verbose |= flags.x;
        Ok(())
    }

    fn scoped_flags(&mut self, add: Flags, remove: Flags) -> Result<Last> {
        if add.a {
            return Err(Unsupported("the ASCII flag (?a:...)"));
        }
        let saved = (self.verbose, self.multiline);
        self.verbose = (self.verbose || add.x) && !remove.x;
        self.multiline = (self.multiline || add.m) && !remove.m;
        let (on, off) = (add.rust_letters(), remove.rust_letters());
        self.out.push_str("(?");
        self.out.push_str(&on);
        if !off.is_empty() {
            self.out.push('-');
            self.out.push_str(&off);
        }
        self.out.push(':');
        self.body()?;
        (self.verbose, self.multiline) = saved;
        Ok(Last::Item)
    }
}
