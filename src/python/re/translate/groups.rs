//! Groups of a Python pattern: capturing and named groups, `(?P=name)`, look-around,
//! atomic and conditional groups, comments and inline flags, parsed as `re._parser`
//! parses the `(` branch of `_parse` (and `_parse_flags`), with the same checks.

use super::super::flags::Flags;
use super::super::width::{MAXCODE, Width};
use super::Untranslatable::Invalid;
use super::{FLAG_LETTERS, Item, Last, Result, Sequence, Translator};

/// The four look-around assertions.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum LookAround {
    Ahead { negated: bool },
    Behind { negated: bool },
}

impl Translator {
    /// A group, after its `(`. `None` when it added no item (a comment, global flags).
    pub(super) fn group(&mut self, at_start: bool) -> Result<Option<Item>> {
        if !self.eat('?') {
            return self.capture(None).map(Some);
        }
        match self.bump().ok_or(Invalid("unexpected end of pattern"))? {
            'P' => self.python_group().map(Some),
            ':' => self.plain_group("(?:").map(Some),
            '#' => {
                while self
                    .bump()
                    .ok_or(Invalid("missing ), unterminated comment"))?
                    != ')'
                {}
                Ok(None)
            }
            '=' => self.look_around(LookAround::Ahead { negated: false }),
            '!' => self.look_around(LookAround::Ahead { negated: true }),
            '<' => match self.bump() {
                Some('=') => self.look_around(LookAround::Behind { negated: false }),
                Some('!') => self.look_around(LookAround::Behind { negated: true }),
                None => Err(Invalid("unexpected end of pattern")),
                Some(_) => Err(Invalid("unknown extension ?<")),
            },
            '(' => self.conditional().map(Some),
            '>' => self.plain_group("(?>").map(Some),
            c if c == '-' || FLAG_LETTERS.contains(c) => self.flags(c, at_start),
            _ => Err(Invalid("unknown extension")),
        }
    }

    /// A non-capturing group written with `opening` (`(?:` or the atomic `(?>`).
    fn plain_group(&mut self, opening: &str) -> Result<Item> {
        self.out.push_str(opening);
        let body = self.body()?;
        Ok(Item::new(Last::Item, body.width, body.weight))
    }

    /// `(?=...)`, `(?!...)`, `(?<=...)`, `(?<!...)`, after the opening. A look-behind
    /// must have a fixed width (`_compiler`'s check, made once the body is parsed).
    fn look_around(&mut self, kind: LookAround) -> Result<Option<Item>> {
        self.out.push_str(match kind {
            LookAround::Ahead { negated: false } => "(?=",
            LookAround::Ahead { negated: true } => "(?!",
            LookAround::Behind { negated: false } => "(?<=",
            LookAround::Behind { negated: true } => "(?<!",
        });
        let behind = matches!(kind, LookAround::Behind { .. });
        let outer = self.lookbehind_groups;
        if behind && outer.is_none() {
            self.lookbehind_groups = Some(self.groups);
        }
        let body = self.body()?;
        if behind {
            self.lookbehind_groups = outer;
            if body.width.lo > MAXCODE {
                return Err(Invalid("looks too much behind"));
            }
            if !body.width.is_fixed() {
                return Err(Invalid("look-behind requires fixed-width pattern"));
            }
        }
        Ok(Some(Item::new(Last::Item, Width::ZERO, body.weight)))
    }

    /// `(?P<name>...)` and `(?P=name)`, after the `P`.
    fn python_group(&mut self) -> Result<Item> {
        if self.eat('<') {
            let name = self.group_name('>')?;
            if self.names.contains_key(&name) {
                return Err(Invalid("redefinition of group name"));
            }
            return self.capture(Some(name));
        }
        if self.eat('=') {
            let name = self.group_name(')')?;
            let group = *self.names.get(&name).ok_or(Invalid("unknown group name"))?;
            return self.reference(group);
        }
        Err(Invalid("unknown extension ?P"))
    }

    /// A backreference to a group known to exist (`\1`, `(?P=name)`): Python refuses one
    /// to a group still open, or to a group of the same look-behind.
    pub(super) fn reference(&mut self, group: u32) -> Result<Item> {
        if self.open.contains(&group) {
            return Err(Invalid("cannot refer to an open group"));
        }
        self.check_lookbehind_reference(group)?;
        // In a group of its own, so that a digit after it is not read as part of the
        // number.
        self.out.push_str(&format!("(?:\\{group})"));
        let width = self.widths.get(&group).copied().unwrap_or(Width::ZERO);
        Ok(Item::new(Last::Item, width, width.hi.min(1000) as u64 + 1))
    }

    /// `state.checklookbehindgroup`: inside a look-behind, a reference must be to a
    /// closed group defined before the look-behind.
    fn check_lookbehind_reference(&self, group: u32) -> Result<()> {
        let Some(before) = self.lookbehind_groups else {
            return Ok(());
        };
        if self.open.contains(&group) || group > self.groups {
            return Err(Invalid("cannot refer to an open group"));
        }
        if group > before {
            return Err(Invalid(
                "cannot refer to group defined in the same lookbehind subpattern",
            ));
        }
        Ok(())
    }

    /// `(?(id/name)yes|no)`, after the `(?(`.
    fn conditional(&mut self) -> Result<Item> {
        let mut name = String::new();
        loop {
            match self.bump() {
                None => return Err(Invalid("missing group name terminator")),
                Some(')') => break,
                Some(c) => name.push(c),
            }
        }
        let group = self.condition_group(&name)?;
        self.check_lookbehind_reference(group)?;
        self.out.push_str(&format!("(?({group})"));
        let yes = self.branch(false)?;
        let mut sequence = Sequence {
            width: Width {
                lo: 0,
                hi: yes.width.hi,
            },
            weight: yes.weight,
        };
        if self.eat('|') {
            self.out.push('|');
            let no = self.branch(false)?;
            if self.peek() == Some('|') {
                return Err(Invalid("conditional backref with more than two branches"));
            }
            sequence = Sequence {
                width: yes.width.or(no.width),
                weight: yes.weight.saturating_add(no.weight),
            };
        }
        if !self.eat(')') {
            return Err(Invalid("missing ), unterminated subpattern"));
        }
        self.out.push(')');
        Ok(Item::new(Last::Item, sequence.width, sequence.weight))
    }

    /// The group a conditional refers to: a known group name, or a group number (which
    /// may be a group defined later; the total is checked at the end).
    fn condition_group(&mut self, name: &str) -> Result<u32> {
        if is_identifier(name) {
            return self
                .names
                .get(name)
                .copied()
                .ok_or(Invalid("unknown group name"));
        }
        if name.is_empty() || !name.chars().all(|c| c.is_ascii_digit()) {
            // Python reads the reference with `int()`, which also takes signs, spaces,
            // underscores and non-ASCII digits (with a deprecation warning); such a
            // spelling is not worth reproducing, so it is decided fail-closed.
            if name.chars().any(|c| c.is_numeric()) {
                self.note_unsupported("a conditional group reference not in ASCII digits");
                return Ok(1);
            }
            return Err(Invalid("bad character in group name"));
        }
        let group: u64 = name
            .parse()
            .map_err(|_| Invalid("invalid group reference"))?;
        if group == 0 {
            return Err(Invalid("bad group number"));
        }
        let group = u32::try_from(group).map_err(|_| Invalid("invalid group reference"))?;
        self.condition_refs = self.condition_refs.max(u64::from(group));
        Ok(group)
    }

    pub(super) fn group_name(&mut self, terminator: char) -> Result<String> {
        let mut name = String::new();
        loop {
            match self.bump() {
                None => return Err(Invalid("missing group name terminator")),
                Some(c) if c == terminator => break,
                Some(c) => name.push(c),
            }
        }
        if !is_identifier(&name) {
            return Err(Invalid("bad character in group name"));
        }
        Ok(name)
    }

    /// A capturing group's body; the name only matters for Python's own checks.
    fn capture(&mut self, name: Option<String>) -> Result<Item> {
        self.groups += 1;
        let group = self.groups;
        if let Some(name) = name {
            self.names.insert(name, group);
        }
        self.open.push(group);
        self.out.push('(');
        let body = self.body()?;
        self.open.retain(|&g| g != group);
        self.widths.insert(group, body.width);
        Ok(Item::new(Last::Item, body.width, body.weight))
    }

    /// The alternation inside a group, then its `)`.
    fn body(&mut self) -> Result<Sequence> {
        let body = self.alternation(false)?;
        if !self.eat(')') {
            return Err(Invalid("missing ), unterminated subpattern"));
        }
        self.out.push(')');
        Ok(body)
    }

    /// `_parse_flags`, after the first flag letter (or `-`) was read.
    fn flags(&mut self, first: char, at_start: bool) -> Result<Option<Item>> {
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
        if flags.t {
            self.note_unsupported("the template flag (?t)");
        }
        let letters = flags.rust_letters();
        if !letters.is_empty() {
            self.out.push_str(&format!("(?{letters})"));
        }
        self.multiline |= flags.m;
        self.verbose |= flags.x;
        self.ascii |= flags.a;
        self.ignore_case |= flags.i;
        self.check_ascii_case();
    }

    fn scoped_flags(&mut self, add: Flags, remove: Flags) -> Result<Item> {
        let saved = (self.verbose, self.multiline, self.ascii, self.ignore_case);
        self.verbose = (self.verbose || add.x) && !remove.x;
        self.multiline = (self.multiline || add.m) && !remove.m;
        self.ascii |= add.a;
        self.ignore_case = (self.ignore_case || add.i) && !remove.i;
        self.check_ascii_case();
        let (on, off) = (add.rust_letters(), remove.rust_letters());
        self.out.push_str("(?");
        self.out.push_str(&on);
        if !off.is_empty() {
            self.out.push('-');
            self.out.push_str(&off);
        }
        self.out.push(':');
        let body = self.body()?;
        (self.verbose, self.multiline, self.ascii, self.ignore_case) = saved;
        Ok(Item::new(Last::Item, body.width, body.weight))
    }

    /// ASCII-only case folding (`(?a)` with `(?i)`) has no spelling in the engine.
    fn check_ascii_case(&mut self) {
        if self.ascii && self.ignore_case {
            self.note_unsupported("the ASCII flag (?a) with case-insensitive matching");
        }
    }
}

/// An approximation of Python's `str.isidentifier` (see the module documentation).
fn is_identifier(name: &str) -> bool {
    let mut chars = name.chars();
    chars.next().is_some_and(|c| c == '_' || c.is_alphabetic())
        && chars.all(|c| c == '_' || c.is_alphanumeric())
}
