//! Python's `re.search`, as the reference's `matches` condition operator runs it.
//!
//! The reference (`condition_ops.match_operator`) computes `str(operand)`, casefolds it
//! and the field text when `case_insensitive` is truthy, refuses a pattern longer than
//! 1024 code points, truncates the text to its first 8192 code points, and runs
//! `re.search(pattern, text, re.IGNORECASE if case_insensitive else 0)`; a pattern `re`
//! refuses (`re.error`) never matches. This module does the same: `translate` rewrites
//! the pattern into `fancy-regex` syntax (documenting the few remaining differences) and
//! [`CompiledRegex`] compiles it once per condition, at load time.
//!
//! `fancy-regex` backtracks, as Python's engine does, only where the pattern needs it
//! (look-around, backreferences, atomic groups, possessive and large counted repeats);
//! the rest runs on the `regex` crate's linear-time engines. Both kinds of work are
//! bounded, because a policy is untrusted input:
//! * compilation: each linear-time part may use [`SIZE_LIMIT`] bytes, the backtracking
//!   program [`PROGRAM_LIMIT`] instructions;
//! * search: at most [`BACKTRACK_LIMIT`] backtracking steps per search.
//!
//! A pattern Python accepts that guardc cannot honour exactly (an unsupported construct,
//! or a limit hit at compile time) and a search that hits the backtracking limit are
//! **undecided** ([`RegexVerdict::Undecided`]); the evaluator then decides the rule's
//! conditions fail-closed, and the analyzer reports the pattern (`regex-fails-closed`).

mod classes;
mod flags;
mod scan;
mod translate;
mod width;

use std::fmt;

use crate::pattern::casefold;
use crate::python::PyValue;

pub use translate::Untranslatable;
use translate::{RepeatPlacement, Translation, translate};

/// Patterns longer than this many code points never match (`_MATCHES_PATTERN_CAP`).
pub const PATTERN_CAP: usize = 1024;
/// Only this many leading code points of the text are searched (`_MATCHES_INPUT_CAP`).
pub const INPUT_CAP: usize = 8192;
/// Upper bound on each linear-time automaton of a pattern, in bytes. A counted repeat
/// large enough to need more (`\w{100}` alone would take several megabytes) is counted by
/// the backtracking engine instead of being copied, so real patterns stay far below it.
pub const SIZE_LIMIT: usize = 4 << 20;
/// Upper bound on the lazy DFA's cache of each linear-time part, in bytes.
const DFA_SIZE_LIMIT: usize = 2 << 20;
/// Upper bound on the backtracking program, in instructions. The program grows with the
/// pattern's text (repeats are counted, not copied), so a 1024-character pattern stays
/// far below it.
pub const PROGRAM_LIMIT: usize = 100_000;
/// Upper bound on the backtracking steps of one search. CPython has none, so a pattern
/// that needs more (catastrophic backtracking such as `^(a|aa)+\1b` on a long run of `a`)
/// is undecided rather than slow; reaching the bound takes about 0.1-0.2 s.
pub const BACKTRACK_LIMIT: usize = 1_000_000;

/// Why a `matches` pattern has no program.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RegexRefusal {
    /// Longer than [`PATTERN_CAP`] code points: the reference never matches it either.
    TooLong,
    /// Python refuses it (the reference never matches it either), or guardc cannot
    /// reproduce it exactly.
    Untranslatable(Untranslatable),
    /// The engine refused the translation: a size limit ([`SIZE_LIMIT`],
    /// [`PROGRAM_LIMIT`]) or a nesting limit.
    TooBig,
}

impl RegexRefusal {
    /// Whether the pattern is one Python accepts: the condition is then undecided and
    /// fails closed, instead of never matching as the reference's does for the others.
    pub fn fails_closed(self) -> bool {
        matches!(
            self,
            RegexRefusal::TooBig | RegexRefusal::Untranslatable(Untranslatable::Unsupported(_))
        )
    }

    /// Why guardc cannot evaluate the pattern exactly, for a user (a phrase that follows
    /// "because").
    pub fn describe(self) -> String {
        match self {
            RegexRefusal::TooLong => "the pattern is longer than 1024 characters".to_owned(),
            RegexRefusal::Untranslatable(Untranslatable::Invalid(message)) => {
                format!("Python refuses the pattern ({message})")
            }
            RegexRefusal::Untranslatable(Untranslatable::Unsupported(feature)) => {
                format!("guardc does not support {feature}")
            }
            RegexRefusal::TooBig => {
                "the compiled pattern exceeds guardc's regex size or nesting limits".to_owned()
            }
        }
    }
}

/// What one search decided.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RegexVerdict {
    /// `re.search` would find a match.
    Found,
    /// `re.search` would return `None` (also for patterns Python refuses).
    NotFound,
    /// guardc cannot tell: the pattern cannot be honoured, or the search hit
    /// [`BACKTRACK_LIMIT`]. The caller decides fail-closed.
    Undecided(Undecided),
}

/// Why a search is undecided.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Undecided {
    /// The pattern was refused at compile time ([`RegexRefusal::fails_closed`]).
    Refused(RegexRefusal),
    /// The search needed more than [`BACKTRACK_LIMIT`] backtracking steps (or the
    /// engine's stack bound).
    BacktrackLimit,
}

impl Undecided {
    /// For a user: a phrase that follows "because".
    pub fn describe(self) -> String {
        match self {
            Undecided::Refused(refusal) => refusal.describe(),
            Undecided::BacktrackLimit => {
                format!("the search needed more than {BACKTRACK_LIMIT} backtracking steps")
            }
        }
    }
}

/// A `matches` operand, ready to search with: the pattern text the reference hands to
/// `re.search` and its compiled form. Equality and `Debug` use the text, so the IR stays
/// comparable and printable.
#[derive(Clone)]
pub struct CompiledRegex {
    /// `str(value)`, casefolded when the condition is case-insensitive.
    source: String,
    case_insensitive: bool,
    program: Result<Program, RegexRefusal>,
}

/// A compiled pattern and the shortest text it can match.
#[derive(Clone)]
struct Program {
    regex: fancy_regex::Regex,
    min_chars: usize,
}

impl CompiledRegex {
    /// Compiles the pattern text exactly as the reference would receive it.
    pub fn new(pattern: &str, case_insensitive: bool) -> CompiledRegex {
        let source = if case_insensitive {
            casefold(pattern).into_owned()
        } else {
            pattern.to_owned()
        };
        let program = build(&source, case_insensitive);
        CompiledRegex {
            source,
            case_insensitive,
            program,
        }
    }

    /// The pattern text (after casefolding, when case-insensitive).
    pub fn source(&self) -> &str {
        &self.source
    }

    /// Why there is no program, if there is none.
    pub fn refusal(&self) -> Option<RegexRefusal> {
        self.program.as_ref().err().copied()
    }

    /// `re.search(pattern, text[:8192], flags) is not None`, where `text` is the field's
    /// `str()`, already casefolded by the caller when case-insensitive.
    pub fn search(&self, text: &str) -> RegexVerdict {
        let program = match &self.program {
            Ok(program) => program,
            Err(refusal) if refusal.fails_closed() => {
                return RegexVerdict::Undecided(Undecided::Refused(*refusal));
            }
            Err(_) => return RegexVerdict::NotFound,
        };
        let text = truncate_chars(text, INPUT_CAP);
        if program.min_chars > 0 && text.chars().count() < program.min_chars {
            return RegexVerdict::NotFound;
        }
        match program.regex.is_match(text) {
            Ok(true) => RegexVerdict::Found,
            Ok(false) => RegexVerdict::NotFound,
            Err(_) => RegexVerdict::Undecided(Undecided::BacktrackLimit),
        }
    }

    /// Whether this was compiled for that pattern text (`str(operand)`, casefolded when
    /// case-insensitive) and flag. A mismatch would be a loader bug; the evaluator then
    /// recompiles rather than trust the cache.
    pub fn is_for(&self, source: &str, case_insensitive: bool) -> bool {
        self.case_insensitive == case_insensitive && self.source == source
    }
}

impl fmt::Debug for CompiledRegex {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("CompiledRegex")
            .field("source", &self.source)
            .field("case_insensitive", &self.case_insensitive)
            .field("refusal", &self.refusal())
            .finish()
    }
}

impl PartialEq for CompiledRegex {
    fn eq(&self, other: &Self) -> bool {
        self.source == other.source && self.case_insensitive == other.case_insensitive
    }
}

/// What the loader stores in `ConditionTest::Operator::regex` for a `matches` envelope:
/// the operand compiled once. Always `Some`; the `Option` is the IR slot's type, whose
/// `None` means "not compiled" (the evaluator then compiles on each call).
pub fn compile_condition_regex(value: &PyValue, case_insensitive: bool) -> Option<CompiledRegex> {
    Some(CompiledRegex::new(&value.py_str(), case_insensitive))
}

/// Translates and compiles; when the linear-time parts outgrow their limit, tries once
/// more with every counted repeat on the backtracking engine.
fn build(source: &str, case_insensitive: bool) -> Result<Program, RegexRefusal> {
    if source.chars().count() > PATTERN_CAP {
        return Err(RegexRefusal::TooLong);
    }
    let balanced = translate(source, case_insensitive, RepeatPlacement::Balanced)
        .map_err(RegexRefusal::Untranslatable)?;
    if let Some(program) = compile(&balanced, case_insensitive) {
        return Ok(program);
    }
    let counted = translate(source, case_insensitive, RepeatPlacement::Backtracking)
        .map_err(RegexRefusal::Untranslatable)?;
    if counted == balanced {
        return Err(RegexRefusal::TooBig);
    }
    compile(&counted, case_insensitive).ok_or(RegexRefusal::TooBig)
}

fn compile(translation: &Translation, case_insensitive: bool) -> Option<Program> {
    let regex = fancy_regex::RegexBuilder::new(&translation.pattern)
        .case_insensitive(case_insensitive)
        .delegate_size_limit(SIZE_LIMIT)
        .delegate_dfa_size_limit(DFA_SIZE_LIMIT)
        .max_prog_size(PROGRAM_LIMIT)
        .backtrack_limit(BACKTRACK_LIMIT)
        .build()
        .ok()?;
    Some(Program {
        regex,
        min_chars: usize::try_from(translation.min_chars).unwrap_or(usize::MAX),
    })
}

/// The first `max` code points of `text` (Python `text[:max]`).
fn truncate_chars(text: &str, max: usize) -> &str {
    match text.char_indices().nth(max) {
        Some((end, _)) => text.get(..end).unwrap_or(text),
        None => text,
    }
}

#[cfg(test)]
mod tests;
