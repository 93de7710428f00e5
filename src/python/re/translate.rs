//! Python 3.11 `re` pattern syntax, rewritten in `fancy-regex` syntax.
//!
//! The reference evaluates `matches` with `re.search`; guardc uses `fancy-regex`, a
//! backtracking engine that hands every part of a pattern that needs no backtracking to
//! the `regex` crate's linear-time engines. Its syntax overlaps Python's but is not the
//! same language: handing the pattern over verbatim would make `[[:alpha:]]`, `\p{L}`,
//! `\z` or `(?<n>a)` match where Python refuses the pattern (and the reference then never
//! matches), and would refuse `\Z`, `a{,2}` or a bare `{` that Python accepts. So this
//! module re-parses the pattern the way CPython's `re._parser` does (same grammar, same
//! error cases, same order of checks, and `getwidth` for the look-behind rule) and writes
//! the equivalent pattern with every construct spelled unambiguously.
//!
//! Two outcomes have no translation:
//! * [`Untranslatable::Invalid`]: Python refuses the pattern; the reference catches
//!   `re.error` and reports no match, and so does guardc.
//! * [`Untranslatable::Unsupported`]: valid Python that guardc cannot reproduce exactly
//!   (a `\N{...}` name that is an alias or loosely spelt, the template flag, the ASCII
//!   flag together with case-insensitive matching, a conditional group named in an
//!   unusual spelling). The condition is then
//!   decided fail-closed (see [`super::RegexVerdict`]) and the analyzer reports it.
//!
//! How the Python constructs are written:
//! * look-around, atomic groups, possessive quantifiers, backreferences (`\1`,
//!   `(?P=name)`) and conditional groups map to the same `fancy-regex` constructs, with
//!   names resolved to group numbers (numbering is the same: every `(` that captures).
//! * non-multiline `$` matches at the end or before a final `\n`: `(?:\n?\z)` where
//!   nothing can be matched after it (so the linear engine keeps the pattern), else the
//!   look-ahead `(?=\n?\z)`.
//! * `\b`/`\B` use Python's word characters, through look-around on Python's `\w`.
//! * a counted repeat whose expansion would be large (`\w{100}`) is pushed onto the
//!   backtracking engine, which counts repetitions instead of copying the body (see
//!   [`RepeatPlacement`]).
//!
//! Remaining divergences, all narrow:
//! * `(?i)`: Python's `re.IGNORECASE` and the `regex` crate's simple case folding differ
//!   on a few characters (the dotless `ı` with `i`, for one); the reference casefolds both
//!   texts first, which makes such characters rare.
//! * Unicode versions: Python 3.11 has Unicode 14.0, the `regex` crate a newer one, so
//!   characters assigned since then can differ in `\w`, `\d` and case folding.
//! * a group name is checked with Rust's `is_alphabetic`/`is_alphanumeric`, an
//!   approximation of Python's `str.isidentifier`.
//! * errors Python raises outside `re.error` (a repeat bound of 2**32 - 1 or more is an
//!   `OverflowError`, very deep nesting a `RecursionError`) escape the reference's
//!   `except re.error` and fail the whole evaluation; here they never match.

use std::collections::HashMap;

use super::classes::push_literal;
use super::scan::only_closers_follow;
use super::width::Width;

mod escapes;
mod groups;

/// Why a pattern has no `fancy-regex` translation.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Untranslatable {
    /// CPython refuses the pattern (`re.error`, or `OverflowError` for a repeat count
    /// of 2**32 - 1 or more).
    Invalid(&'static str),
    /// Valid Python that guardc cannot reproduce exactly; the named feature.
    Unsupported(&'static str),
}

type Result<T> = std::result::Result<T, Untranslatable>;

use Untranslatable::Invalid;

/// `_sre.MAXREPEAT`: a repeat bound at or above it is an `OverflowError`.
const MAXREPEAT: u64 = 4_294_967_295;
/// The inline flag letters `re` knows.
const FLAG_LETTERS: &str = "iLmsxatu";
/// How much expansion one counted repeat may cost before it is run by counting on the
/// backtracking engine: body weight times repetitions, in rough automaton states (a
/// literal is 1, Python's `\w` about a thousand). About a megabyte of automaton.
const DELEGATED_REPEAT_WEIGHT: u64 = 20_000;
/// The look-ahead that matches the empty string: a no-op that makes `fancy-regex` run
/// the enclosing repeat on its backtracking engine instead of expanding it.
const VM_MARKER: &str = "(?=)";

/// Where counted repeats run.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RepeatPlacement {
    /// On the linear-time engine, unless the repeat's expansion would exceed
    /// `DELEGATED_REPEAT_WEIGHT`.
    Balanced,
    /// Every counted repeat on the backtracking engine: the second attempt, for a
    /// pattern whose linear-time automaton outgrew its size limit anyway.
    Backtracking,
}

/// A pattern in `fancy-regex` syntax.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Translation {
    pub pattern: String,
    /// The fewest characters a match takes (`getwidth`'s low bound). CPython's search
    /// gives up at once on a shorter text, which the backtracking engine does not know.
    pub min_chars: u128,
}

/// Translates a Python pattern (the text `re.search` receives). `ignore_case` is
/// `re.IGNORECASE`, which the caller applies to the compiled program.
pub fn translate(
    pattern: &str,
    ignore_case: bool,
    placement: RepeatPlacement,
) -> Result<Translation> {
    let mut translator = Translator {
        chars: pattern.chars().collect(),
        pos: 0,
        out: String::with_capacity(pattern.len() * 2),
        verbose: false,
        multiline: false,
        ascii: false,
        ignore_case,
        placement,
        groups: 0,
        open: Vec::new(),
        names: HashMap::new(),
        widths: HashMap::new(),
        lookbehind_groups: None,
        condition_refs: 0,
        unsupported: None,
    };
    let whole = translator.alternation(true)?;
    if translator.pos < translator.chars.len() {
        return Err(Invalid("unbalanced parenthesis"));
    }
    if u64::from(translator.groups) < translator.condition_refs {
        return Err(Invalid("invalid group reference"));
    }
    match translator.unsupported {
        Some(feature) => Err(Untranslatable::Unsupported(feature)),
        None => Ok(Translation {
            pattern: translator.out,
            min_chars: whole.width.lo,
        }),
    }
}

struct Translator {
    chars: Vec<char>,
    pos: usize,
    out: String,
    /// `(?x)` in force: whitespace and `#` comments outside classes are skipped here,
    /// so the output never needs the engine's own (different) verbose mode.
    verbose: bool,
    /// `(?m)` in force, which decides how `$` is written.
    multiline: bool,
    /// `(?a)` in force: `\d`, `\s`, `\w`, `\b` are ASCII-only.
    ascii: bool,
    /// `re.IGNORECASE` or `(?i)` seen: with `(?a)` that is ASCII-only case folding,
    /// which the engine cannot express.
    ignore_case: bool,
    placement: RepeatPlacement,
    /// Capture groups opened so far (Python numbers them in order of `(`).
    groups: u32,
    /// Groups not yet closed; a backreference to one is an error in Python.
    open: Vec<u32>,
    names: HashMap<String, u32>,
    /// The width of each closed group, for backreferences inside a look-behind.
    widths: HashMap<u32, Width>,
    /// Inside a look-behind: the number of groups opened before it (Python's
    /// `state.lookbehindgroups`); a reference to a later group is an error.
    lookbehind_groups: Option<u32>,
    /// The highest group number a conditional group refers to; checked against the
    /// final group count, as Python's `grouprefpos` is.
    condition_refs: u64,
    /// The first feature met that guardc cannot reproduce. Parsing goes on after it, so
    /// that a pattern Python refuses anyway is reported as invalid rather than
    /// unsupported.
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

/// One parsed item: its kind, its width (`getwidth`) and its expansion weight.
#[derive(Debug, Clone, Copy)]
struct Item {
    last: Last,
    width: Width,
    weight: u64,
}

impl Item {
    const fn new(last: Last, width: Width, weight: u64) -> Item {
        Item {
            last,
            width,
            weight,
        }
    }

    /// A single character (literal, class, `.`) of the given weight.
    const fn char(weight: u64) -> Item {
        Item::new(Last::Item, Width::ONE, weight)
    }

    /// A zero-width assertion.
    const fn assertion(weight: u64) -> Item {
        Item::new(Last::Assertion, Width::ZERO, weight)
    }
}

/// What a sequence of items (a branch, an alternation) adds up to.
#[derive(Debug, Clone, Copy, Default)]
struct Sequence {
    width: Width,
    weight: u64,
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
    fn alternation(&mut self, top: bool) -> Result<Sequence> {
        let mut first = top;
        let mut total: Option<Sequence> = None;
        loop {
            let branch = self.branch(first)?;
            total = Some(match total {
                None => branch,
                Some(sum) => Sequence {
                    width: sum.width.or(branch.width),
                    weight: sum.weight.saturating_add(branch.weight),
                },
            });
            if !self.eat('|') {
                return Ok(total.unwrap_or_default());
            }
            self.out.push('|');
            first = false;
        }
    }

    /// `_parse`: one branch, up to `|`, `)` or the end.
    fn branch(&mut self, first: bool) -> Result<Sequence> {
        let mut last = Item::new(Last::Nothing, Width::ZERO, 0);
        // The sequence before the last item, and where the last item's text starts, so
        // that a quantifier can replace the item by its repetition.
        let mut before_last = Sequence::default();
        let mut last_start = self.out.len();
        while let Some(c) = self.peek() {
            if c == '|' || c == ')' {
                break;
            }
            self.pos += 1;
            if self.verbose && self.skip_verbose(c) {
                continue;
            }
            let start = self.out.len();
            let item = match c {
                '\\' => self.escape()?,
                '[' => self.class()?,
                '*' | '+' | '?' | '{' => match self.repeat(c, last, last_start)? {
                    Some(repeated) => {
                        last = repeated;
                        continue;
                    }
                    None => Item::char(1),
                },
                '.' => {
                    self.out.push('.');
                    Item::char(50)
                }
                '(' => match self.group(first && last.last == Last::Nothing)? {
                    Some(item) => item,
                    None => continue,
                },
                '^' => {
                    self.out.push('^');
                    Item::assertion(1)
                }
                '$' => self.dollar(),
                other => {
                    push_literal(&mut self.out, u32::from(other));
                    Item::char(1)
                }
            };
            before_last = Sequence {
                width: before_last.width.then(last.width),
                weight: before_last.weight.saturating_add(last.weight),
            };
            last = item;
            last_start = start;
        }
        Ok(Sequence {
            width: before_last.width.then(last.width),
            weight: before_last.weight.saturating_add(last.weight),
        })
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

    /// A quantifier (`*`, `+`, `?`, `{m,n}`) on the item whose text starts at
    /// `item_start`; `None` when a `{` does not start a valid bound, which makes it a
    /// literal (already written).
    fn repeat(&mut self, c: char, last: Item, item_start: usize) -> Result<Option<Item>> {
        let (min, max) = match c {
            '*' => (0, None),
            '+' => (1, None),
            '?' => (0, Some(1)),
            _ => match self.braces()? {
                Some(bounds) => bounds,
                None => {
                    push_literal(&mut self.out, u32::from('{'));
                    return Ok(None);
                }
            },
        };
        match last.last {
            Last::Nothing | Last::Assertion => return Err(Invalid("nothing to repeat")),
            Last::Repeat => return Err(Invalid("multiple repeat")),
            Last::Item => {}
        }
        let copies = max.unwrap_or(min).max(min).saturating_add(1);
        let weight = last.weight.saturating_mul(copies);
        let counted = c == '{' && copies > 2;
        let on_vm = counted
            && (self.placement == RepeatPlacement::Backtracking
                || weight > DELEGATED_REPEAT_WEIGHT);
        if on_vm {
            self.out.insert_str(item_start, &format!("(?:{VM_MARKER}"));
            self.out.push(')');
        }
        self.out.push_str(&match (c, min, max) {
            ('*' | '+' | '?', ..) => c.to_string(),
            (_, min, None) => format!("{{{min},}}"),
            (_, min, Some(max)) if min == max => format!("{{{min}}}"),
            (_, min, Some(max)) => format!("{{{min},{max}}}"),
        });
        // Lazy and possessive suffixes are spelled the same in both syntaxes.
        if self.eat('?') {
            self.out.push('?');
        } else if self.eat('+') {
            self.out.push('+');
        }
        let weight = if on_vm { last.weight } else { weight };
        Ok(Some(Item::new(
            Last::Repeat,
            last.width.repeated(min, max),
            weight,
        )))
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

    /// Non-multiline `$`: end of text, or before a final `\n`. When nothing can follow
    /// the `$`, consuming that `\n` finds the same matches and keeps the pattern on the
    /// linear-time engine; elsewhere it takes a look-ahead.
    fn dollar(&mut self) -> Item {
        if self.multiline {
            self.out.push('$');
        } else if only_closers_follow(&self.chars, self.pos, self.verbose) {
            self.out.push_str(r"(?:\n?\z)");
        } else {
            self.out.push_str(r"(?=\n?\z)");
        }
        Item::assertion(2)
    }
}
