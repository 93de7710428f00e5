//! The `matches` operator: Python `re.search`, as the reference runs it, on the `regex`
//! crate.
//!
//! The reference (`condition_ops.match_operator`) computes `str(operand)`, casefolds it
//! and the field text when `case_insensitive` is truthy, refuses a pattern longer than
//! 1024 code points, truncates the text to its first 8192 code points, and runs
//! `re.search(pattern, text, re.IGNORECASE if case_insensitive else 0)`; a pattern `re`
//! refuses (`re.error`) never matches. This module does the same, with the pattern
//! rewritten into `regex` syntax by [`translate`] (which documents the remaining
//! differences) and compiled once per condition at load time ([`CompiledRegex`]).
//!
//! The `regex` crate matches in linear time, so the reference's ReDoS caps are not
//! needed for safety here; they are kept because they change results. What *is* needed
//! is a bound on compilation: a 1024-character pattern such as `(\w{100}){100}` expands to
//! a huge automaton, so compilation is limited to [`SIZE_LIMIT`] bytes and a pattern over
//! the limit never matches (Python would compile it: a documented divergence, reported
//! as [`RegexRefusal::TooBig`]).

mod classes;
mod flags;
mod scan;
mod translate;

use std::fmt;

use crate::pattern::casefold;
use crate::python::PyValue;

pub use translate::Untranslatable;

/// Patterns longer than this many code points never match (`_MATCHES_PATTERN_CAP`).
pub const PATTERN_CAP: usize = 1024;
/// Only this many leading code points of the text are searched (`_MATCHES_INPUT_CAP`).
pub const INPUT_CAP: usize = 8192;
/// Upper bound on the compiled program, in bytes. Generous for real patterns (the
/// Unicode `\w` class alone is a few kilobytes), small enough that a policy cannot make
/// the loader allocate without bound.
pub const SIZE_LIMIT: usize = 4 << 20;
/// Upper bound on the lazy DFA's cache, in bytes, per search thread.
const DFA_SIZE_LIMIT: usize = 2 << 20;

/// Why a `matches` condition can never match.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RegexRefusal {
    /// Longer than `PATTERN_CAP` (1,024) code points: the reference refuses it too.
    TooLong,
    /// Python refuses or cannot express it, or the `regex` crate lacks a feature.
    Untranslatable(Untranslatable),
    /// The translation exceeds `SIZE_LIMIT` (4 MiB; or another `regex` crate limit).
    TooBig,
}

/// A `matches` operand, ready to search with: the pattern text the reference hands to
/// `re.search` and its compiled form. Equality and `Debug` use the text, so the IR stays
/// comparable and printable.
#[derive(Clone)]
pub struct CompiledRegex {
    /// `str(value)`, casefolded when the condition is case-insensitive.
    source: String,
    case_insensitive: bool,
    program: Result<regex::Regex, RegexRefusal>,
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

    /// Why the condition can never match, if it cannot.
    pub fn refusal(&self) -> Option<RegexRefusal> {
        self.program.as_ref().err().copied()
    }

    /// `re.search(pattern, text[:8192], flags) is not None`, where `text` is the field's
    /// `str()`, already casefolded by the caller when case-insensitive.
    pub fn search(&self, text: &str) -> bool {
        let Ok(program) = &self.program else {
            return false;
        };
        program.is_match(truncate_chars(text, INPUT_CAP))
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

fn build(source: &str, case_insensitive: bool) -> Result<regex::Regex, RegexRefusal> {
    if source.chars().count() > PATTERN_CAP {
        return Err(RegexRefusal::TooLong);
    }
    let rust = translate::translate(source).map_err(RegexRefusal::Untranslatable)?;
    regex::RegexBuilder::new(&rust)
        .case_insensitive(case_insensitive)
        .size_limit(SIZE_LIMIT)
        .dfa_size_limit(DFA_SIZE_LIMIT)
        .build()
        .map_err(|_| RegexRefusal::TooBig)
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
