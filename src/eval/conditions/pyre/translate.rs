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
//! * errors Python raises outside `re.error` (a repeat bound of 2**32 - 1 or more is an
//!   `OverflowError`, very deep nesting a `RecursionError`) escape the reference's
//!   `except re.error` and fail the whole evaluation; here they simply never match.

use std::collections::HashMap;

use super::classes::push_literal;
use super::flags::Flags;
use super::scan::only_closers_follow;

mod escapes;

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
        unsupported: None,
    };
    translator.alternation(true)?;
    if translator.pos < translator.chars.len() {
        return Err(Invalid("unbalanced parenthesis"));
    }
    match translator.unsupported {
        Some(feature) => Err(Unsupported(feature)),
        None => Ok(translator.out),
    }
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
    /// The first feature met that Rust lacks. Parsing goes on after it, so that a
    /// pattern Python refuses anyway is reported as invalid rather than unsupported.
    unsupported: Option<&'static str>,
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

    fn note_unsupported(&mut self, feature: &'static str) {
        self.unsupported.get_or_insert(feature);
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
            self.note_unsupported("possessive quantifiers");
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
            '=' | '!' => self.unsupported_group("look-ahead assertions"),
            '<' => match self.bump() {
                Some('=' | '!') => self.unsupported_group("look-behind assertions"),
                _ => Err(Invalid("unknown extension ?<")),
            },
            '(' => Err(Unsupported("conditional groups")),
            '>' => self.unsupported_group("atomic groups"),
            c if c == '-' || FLAG_LETTERS.contains(c) => self.flags(c, at_start),
            _ => Err(Invalid("unknown extension")),
        }
    }

    /// A group Rust cannot express, parsed (as a plain group) only to find out whether
    /// Python would refuse the pattern anyway.
    fn unsupported_group(&mut self, feature: &'static str) -> Result<Option<Last>> {
        self.note_unsupported(feature);
        self.out.push_str("(?:");
        self.body()?;
        Ok(Some(Last::Item))
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
                Some(group) if !self.open.contains(group) => {
                    self.note_unsupported("backreferences");
                    Ok(Last::Item)
                }
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
            self.global_flags(add);
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

    fn global_flags(&mut self, flags: Flags) {
        if flags.a {
            self.note_unsupported("the ASCII flag (?a)");
        }
        if flags.t {
            self.note_unsupported("the template flag (?t)");
        }
        let letters = flags.rust_letters();
        if !letters.is_empty() {
            self.out.push_str(&format!("(?{letters})"));
        }
        self.multiline |= flags.m;
        self.verbose |= flags.x;
    }

    fn scoped_flags(&mut self, add: Flags, remove: Flags) -> Result<Last> {
        if add.a {
            self.note_unsupported("the ASCII flag (?a:...)");
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
