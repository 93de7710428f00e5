//! Action-only rules whose pattern is a substring test, decided by one Aho-Corasick
//! automaton instead of a leftmost-first DFA. Two shapes qualify: `*lit*` (the literal
//! occurs anywhere) and `*lit*:*` (it occurs before some later `:`), which is what a
//! bare `*delete*` becomes after canonicalization; and `*`, which matches everything.
//!
//! A leftmost-first DFA over `n` floating substring patterns must remember, for every
//! rule that has matched, the search progress of every rule before it: its size grows
//! with `n` times the trie, and determinizing a few hundred such rules exceeds any
//! sensible limit. Aho-Corasick reports every occurrence of every literal in one pass
//! over the subject with a trie-sized automaton, and the first matching rule is then just
//! the minimum rule index seen. The automaton is rebuilt from the literals when a bundle
//! is loaded (linear in their total length, microseconds for hundreds of literals).

use aho_corasick::{AhoCorasick, AhoCorasickKind, MatchKind};

use crate::pattern::{GlobItem, ToolPattern};

/// The substring rules of the decider.
#[derive(Debug, Clone)]
pub(super) struct SubstringDecider {
    pub(super) literals: Vec<String>,
    pub(super) rule_of_pattern: Vec<u32>,
    /// Per literal: whether a `:` must follow the occurrence (`*lit*:*`).
    pub(super) needs_colon_after: Vec<bool>,
    /// The rules with the pattern `*`, which matches every subject, ascending. All of
    /// them matter for gated rules (an earlier one may fail its other gates).
    pub(super) always: Vec<u32>,
    automaton: Option<AhoCorasick>,
}

impl SubstringDecider {
    /// Whether a pattern is `*` or `*literal*`, and so belongs here.
    pub(super) fn accepts(pattern: &ToolPattern) -> bool {
        Self::literal_of(pattern).is_some() || matches!(pattern.glob.items(), [GlobItem::Star])
    }

    /// The literal of a substring pattern, and whether a `:` must follow it.
    fn literal_of(pattern: &ToolPattern) -> Option<(&str, bool)> {
        match pattern.glob.items() {
            [GlobItem::Star, GlobItem::Literal(text), GlobItem::Star] => Some((text, false)),
            [
                GlobItem::Star,
                GlobItem::Literal(text),
                GlobItem::Star,
                GlobItem::Literal(colon),
                GlobItem::Star,
            ] if colon == ":" => Some((text, true)),
            _ => None,
        }
    }

    /// Build from (rule, pattern) entries that [`Self::accepts`], in rule order.
    pub(super) fn build(entries: &[(usize, &ToolPattern)]) -> Result<SubstringDecider, String> {
        let mut literals = Vec::new();
        let mut rule_of_pattern = Vec::new();
        let mut needs_colon_after = Vec::new();
        let mut always = Vec::new();
        for &(rule, pattern) in entries {
            let rule = u32::try_from(rule).unwrap_or(u32::MAX);
            match Self::literal_of(pattern) {
                Some((text, colon)) => {
                    literals.push(text.to_owned());
                    rule_of_pattern.push(rule);
                    needs_colon_after.push(colon);
                }
                None => always.push(rule),
            }
        }
        always.dedup();
        Self::from_parts(literals, rule_of_pattern, needs_colon_after, always)
    }

    /// Matches nothing.
    pub(super) fn empty() -> SubstringDecider {
        SubstringDecider {
            literals: Vec::new(),
            rule_of_pattern: Vec::new(),
            needs_colon_after: Vec::new(),
            always: Vec::new(),
            automaton: None,
        }
    }

    /// Rebuild the automaton from stored literals (bundle loading).
    pub(super) fn from_parts(
        literals: Vec<String>,
        rule_of_pattern: Vec<u32>,
        needs_colon_after: Vec<bool>,
        always: Vec<u32>,
    ) -> Result<SubstringDecider, String> {
        let automaton = if literals.is_empty() {
            None
        } else {
            Some(
                AhoCorasick::builder()
                    .kind(Some(AhoCorasickKind::DFA))
                    .match_kind(MatchKind::Standard)
                    .build(&literals)
                    .map_err(|e| format!("the substring automaton could not be built ({e})"))?,
            )
        };
        Ok(SubstringDecider {
            literals,
            rule_of_pattern,
            needs_colon_after,
            always,
            automaton,
        })
    }

    /// The lowest rule whose pattern matches the folded subject.
    /// The lowest rule this decider can answer, if any: a caller that already has a match
    /// at or before it need not scan.
    pub(super) fn first_rule(&self) -> Option<usize> {
        let literal = self.rule_of_pattern.iter().min();
        let always = self.always.first();
        literal.into_iter().chain(always).min().map(|&r| r as usize)
    }

    pub(super) fn first_match(&self, subject: &[u8]) -> Option<usize> {
        let mut best: Option<u32> = None;
        self.for_each_match(subject, false, |rule| {
            best = Some(best.map_or(rule, |b| b.min(rule)));
        });
        best.map(|r| r as usize)
    }

    /// Every rule whose pattern matches the folded subject, ascending, without repeats.
    /// Used for gated rules, where every candidate's other gates must be checked.
    pub(super) fn all_matches(&self, subject: &[u8]) -> Vec<u32> {
        let mut rules = Vec::new();
        self.for_each_match(subject, true, |rule| rules.push(rule));
        rules.sort_unstable();
        rules.dedup();
        rules
    }

    /// Calls `found` for each rule whose pattern matches (possibly more than once). With
    /// `every` unset only the lowest rule waiting for a `:` is kept, which is all a
    /// first-match search needs and keeps it allocation-free.
    fn for_each_match(&self, subject: &[u8], every: bool, mut found: impl FnMut(u32)) {
        if every {
            self.always.iter().copied().for_each(&mut found);
        } else if let Some(&rule) = self.always.first() {
            found(rule);
        }
        let Some(automaton) = &self.automaton else {
            return;
        };
        // Overlapping search reports every occurrence of every literal (its prefilter
        // skips the bytes that cannot start one, which a byte-by-byte walk cannot).
        // A `*lit*:*` occurrence also needs a `:` at or after its end.
        for found_at in automaton.find_overlapping_iter(subject) {
            let pattern = found_at.pattern().as_usize();
            let (Some(&rule), Some(&colon)) = (
                self.rule_of_pattern.get(pattern),
                self.needs_colon_after.get(pattern),
            ) else {
                continue;
            };
            let colon_follows = || {
                subject
                    .get(found_at.end()..)
                    .is_some_and(|rest| rest.contains(&b':'))
            };
            if !colon || colon_follows() {
                found(rule);
            }
        }
    }

    pub(super) fn is_empty(&self) -> bool {
        self.always.is_empty() && self.literals.is_empty()
    }

    pub(super) fn memory_usage(&self) -> usize {
        self.automaton.as_ref().map_or(0, |a| a.memory_usage())
            + self.literals.iter().map(String::len).sum::<usize>()
            + self.rule_of_pattern.len() * 4
    }
}
