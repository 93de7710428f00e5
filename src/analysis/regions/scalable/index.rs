//! Which rules a concrete call passes, fast: the per-rule engine asks this for every
//! candidate witness, so it must not walk all the rules like the interpreter does.
//!
//! Every subject an action pattern matches starts with the pattern's leading literal
//! text, so rules are indexed by those literals; a call's candidates are the rules
//! indexed under some prefix of its folded subject. A pattern that starts with a
//! wildcard can only match subjects containing its literal text (`*secret-*` needs
//! `secret-`), so such rules are indexed by that text, all searched at once; the few
//! patterns with no literal text at all are candidates for every call. Each candidate is
//! then checked gate by gate with the evaluator's gate semantics ([`gates_pass`]).

use std::collections::BTreeMap;
use std::ops::Bound;

use std::ops::Range;

use aho_corasick::AhoCorasick;

use crate::analysis::regions::encode::exact_condition;
use crate::analysis::regions::{Call, applies_to_every_tool};
use crate::eval::{Decision, Request, conditions_hold, failed_selector, interpret_among};
use crate::pattern::{Glob, GlobItem, folded_subject};
use crate::policy::{Policy, Rule};

/// Leading texts indexed per pattern, at most: `[Ee]dit:*` is two entries, a pattern
/// whose leading brackets would give more is indexed by the shorter texts before them.
const MAX_LEADING_TEXTS: usize = 16;

/// Rules by the leading literal text of their action patterns.
#[derive(Debug, Clone)]
pub struct MatchIndex {
    by_prefix: BTreeMap<String, Vec<u32>>,
    /// Rules with a pattern that starts with a wildcard and has no literal text at all
    /// (`*`, `?*`): candidates for every call.
    floating: Vec<u32>,
    /// Rules with a pattern that starts with a wildcard, by a literal text the pattern
    /// contains (`*secret-*` by `secret-`): candidates only for subjects containing it.
    needles: Option<Needles>,
    /// Every rule with a pattern that starts with a wildcard, ascending: the rules that
    /// may overlap any rule.
    unanchored: Vec<u32>,
    /// The rules of `unanchored` with some pattern that does not start with `*` (the
    /// others apply to every tool, which some questions never ask about).
    unanchored_specific: Vec<u32>,
}

/// The literal texts of floating patterns, searched all at once. Aho-Corasick's
/// overlapping search stays linear in the subject and the needles: a regex engine
/// searching thousands of literals with overlapping matches falls back to a simulation
/// whose memory grows with the product of both (3,000 `*secret-N-*` rules needed 2 GB).
#[derive(Debug, Clone)]
struct Needles {
    automaton: AhoCorasick,
    /// Pattern id → the rules whose pattern contains that text.
    rules: Vec<Vec<u32>>,
}

impl MatchIndex {
    pub fn new(policy: &Policy) -> MatchIndex {
        let mut by_prefix: BTreeMap<String, Vec<u32>> = BTreeMap::new();
        let mut floating = Vec::new();
        let mut needles: BTreeMap<String, Vec<u32>> = BTreeMap::new();
        for rule in &policy.rules {
            let index = u32::try_from(rule.index).unwrap_or(u32::MAX);
            for pattern in &rule.patterns {
                let texts = pattern.glob.leading_texts(MAX_LEADING_TEXTS);
                if texts.iter().all(|t| !t.is_empty()) {
                    for text in texts {
                        by_prefix.entry(text).or_default().push(index);
                    }
                } else if let Some(needle) = longest_literal(&pattern.glob) {
                    needles.entry(needle.to_owned()).or_default().push(index);
                } else {
                    floating.push(index);
                }
            }
        }
        floating.dedup();
        let mut unanchored: Vec<u32> = floating
            .iter()
            .chain(needles.values().flatten())
            .copied()
            .collect();
        unanchored.sort_unstable();
        unanchored.dedup();
        let unanchored_specific = unanchored
            .iter()
            .copied()
            .filter(|&r| {
                policy
                    .rules
                    .get(r as usize)
                    .is_some_and(|rule| !applies_to_every_tool(rule))
            })
            .collect();
        MatchIndex {
            by_prefix,
            floating,
            needles: Needles::new(needles),
            unanchored,
            unanchored_specific,
        }
    }

    /// An index of no rules (a placeholder while the real one is lent out).
    pub fn empty() -> MatchIndex {
        MatchIndex {
            by_prefix: BTreeMap::new(),
            floating: Vec::new(),
            needles: None,
            unanchored: Vec::new(),
            unanchored_specific: Vec::new(),
        }
    }

    /// The rules before `below` that pass every gate for `call`, ascending.
    pub fn matching(&self, policy: &Policy, call: &Call, below: usize) -> Vec<usize> {
        self.matching_in(policy, call, 0..below)
    }

    /// The rules with an index in `range` that pass every gate for `call`, ascending.
    pub fn matching_in(&self, policy: &Policy, call: &Call, range: Range<usize>) -> Vec<usize> {
        let subject = folded_subject(&call.tool, &call.method);
        let request = call.request();
        self.action_candidates(&subject)
            .into_iter()
            .filter(|r| range.contains(r))
            .filter_map(|r| policy.rules.get(r))
            .filter(|rule| gates_pass(rule, &subject, &request))
            .map(|rule| rule.index)
            .collect()
    }

    /// The rules whose action patterns may match the folded `subject`, ascending: every
    /// rule with a pattern that matches it is among them.
    pub fn action_candidates(&self, subject: &str) -> Vec<usize> {
        let mut candidates: Vec<u32> = self.floating.clone();
        for (end, _) in subject.char_indices().skip(1).chain([(subject.len(), ' ')]) {
            if let Some(rules) = subject.get(..end).and_then(|p| self.by_prefix.get(p)) {
                candidates.extend(rules);
            }
        }
        if let Some(needles) = &self.needles {
            needles.candidates(subject, &mut candidates);
        }
        candidates.sort_unstable();
        candidates.dedup();
        candidates.into_iter().map(|r| r as usize).collect()
    }

    /// The interpreter's decision for `call`, walking only the rules whose action
    /// patterns may match it (the others fail their first gate, which changes nothing).
    pub fn decide(&self, policy: &Policy, call: &Call) -> Decision {
        let subject = folded_subject(&call.tool, &call.method);
        interpret_among(policy, &self.action_candidates(&subject), &call.request())
    }

    /// The rules with an index in `range` whose action patterns may match a subject one
    /// of `rule`'s patterns matches, ascending. Every subject a pattern matches starts
    /// with its leading literal text, so two patterns whose leading texts are not
    /// prefixes of one another never meet; a pattern with no leading text may meet any
    /// other.
    pub fn may_overlap_in(
        &self,
        rule: &Rule,
        range: Range<usize>,
    ) -> impl Iterator<Item = usize> + '_ {
        self.overlap_in(rule, range, &self.unanchored)
    }

    /// Whether some subject may match a pattern of `a` and one of `b`: the pairwise form
    /// of [`MatchIndex::may_overlap_in`], by the same test on leading texts.
    pub fn may_meet(&self, a: &Rule, b: &Rule) -> bool {
        let texts = |rule: &Rule| -> Vec<String> {
            rule.patterns
                .iter()
                .flat_map(|p| p.glob.leading_texts(MAX_LEADING_TEXTS))
                .collect()
        };
        let (of_a, of_b) = (texts(a), texts(b));
        of_a.iter().any(|x| {
            of_b.iter()
                .any(|y| x.starts_with(y.as_str()) || y.starts_with(x.as_str()))
        })
    }

    /// [`MatchIndex::may_overlap_in`] without the rules whose every pattern starts with `*`
    /// (unless `rule` itself may meet every rule): an anchored rule after thousands of
    /// floating `*word*` rules does not walk them for a question they cannot answer.
    pub fn may_overlap_specific(&self, rule: &Rule) -> impl Iterator<Item = usize> + '_ {
        self.overlap_in(rule, 0..rule.index, &self.unanchored_specific)
    }

    fn overlap_in<'s>(
        &'s self,
        rule: &Rule,
        range: Range<usize>,
        unanchored: &'s [u32],
    ) -> impl Iterator<Item = usize> + 's {
        let prefixes: Vec<String> = rule
            .patterns
            .iter()
            .flat_map(|p| p.glob.leading_texts(MAX_LEADING_TEXTS))
            .collect();
        let everything = prefixes.iter().any(|p| p.is_empty());
        let mut anchored: Vec<usize> = Vec::new();
        for prefix in prefixes.iter().filter(|_| !everything) {
            for (end, _) in prefix.char_indices().skip(1).chain([(prefix.len(), ' ')]) {
                if let Some(rules) = prefix.get(..end).and_then(|p| self.by_prefix.get(p)) {
                    anchored.extend(rules.iter().map(|&r| r as usize));
                }
            }
            let longer = self
                .by_prefix
                .range::<str, _>((Bound::Excluded(prefix.as_str()), Bound::Unbounded))
                .take_while(|(key, _)| key.starts_with(prefix.as_str()));
            for (_, rules) in longer {
                anchored.extend(rules.iter().map(|&r| r as usize));
            }
        }
        anchored.retain(|r| range.contains(r));
        anchored.sort_unstable();
        anchored.dedup();
        let lo = unanchored.partition_point(|&r| (r as usize) < range.start);
        let hi = unanchored.partition_point(|&r| (r as usize) < range.end);
        let unanchored = unanchored
            .get(lo..hi.max(lo))
            .unwrap_or_default()
            .iter()
            .map(|&r| r as usize);
        let all = everything.then_some(range).into_iter().flatten();
        Merge::new(all.chain(merge_sorted(anchored.into_iter(), unanchored)))
    }
}

/// Two ascending sequences merged into one, without duplicates.
fn merge_sorted(
    a: impl Iterator<Item = usize>,
    b: impl Iterator<Item = usize>,
) -> impl Iterator<Item = usize> {
    let mut a = a.peekable();
    let mut b = b.peekable();
    std::iter::from_fn(move || match (a.peek().copied(), b.peek().copied()) {
        (Some(x), Some(y)) if x == y => {
            b.next();
            a.next()
        }
        (Some(x), Some(y)) if x < y => a.next(),
        (Some(_), Some(_)) => b.next(),
        (Some(_), None) => a.next(),
        (None, _) => b.next(),
    })
}

/// An ascending sequence with repeated values dropped.
struct Merge<I: Iterator<Item = usize>> {
    inner: I,
    last: Option<usize>,
}

impl<I: Iterator<Item = usize>> Merge<I> {
    fn new(inner: I) -> Self {
        Merge { inner, last: None }
    }
}

impl<I: Iterator<Item = usize>> Iterator for Merge<I> {
    type Item = usize;

    fn next(&mut self) -> Option<usize> {
        loop {
            let next = self.inner.next()?;
            if self.last.is_none_or(|last| next > last) {
                self.last = Some(next);
                return Some(next);
            }
        }
    }
}

impl Needles {
    fn new(needles: BTreeMap<String, Vec<u32>>) -> Option<Needles> {
        if needles.is_empty() {
            return None;
        }
        let automaton = AhoCorasick::new(needles.keys()).ok()?;
        Some(Needles {
            automaton,
            rules: needles.into_values().collect(),
        })
    }

    /// Adds the rules of every needle `subject` contains.
    fn candidates(&self, subject: &str, out: &mut Vec<u32>) {
        for found in self.automaton.find_overlapping_iter(subject) {
            if let Some(rules) = self.rules.get(found.pattern().as_usize()) {
                out.extend(rules);
            }
        }
    }
}

/// The longest literal run of a glob, if it has one.
fn longest_literal(glob: &Glob) -> Option<&str> {
    glob.items()
        .iter()
        .filter_map(|item| match item {
            GlobItem::Literal(text) => Some(text.as_str()),
            _ => None,
        })
        .max_by_key(|text| text.len())
}

/// Whether `rule` passes every gate (docs/language.md section 4, steps 1-4) for a request whose
/// folded subject is `subject`: the interpreter's own gate checks, after the action.
pub fn gates_pass(rule: &Rule, subject: &str, request: &Request<'_>) -> bool {
    rule.patterns.iter().any(|p| p.matches_subject(subject))
        && failed_selector(rule, request).is_none()
        && conditions_hold(&rule.conditions, rule.effect, request)
}

/// [`gates_pass`] with only the exactly modelled conditions: whether the call is in
/// the rule's encoded language, which for an opaque rule is larger than its real one.
pub fn encoded_gates_pass(rule: &Rule, subject: &str, request: &Request<'_>) -> bool {
    let exact: Vec<_> = rule
        .conditions
        .iter()
        .filter(|c| exact_condition(c).is_some())
        .cloned()
        .collect();
    rule.patterns.iter().any(|p| p.matches_subject(subject))
        && failed_selector(rule, request).is_none()
        && conditions_hold(&exact, rule.effect, request)
}
