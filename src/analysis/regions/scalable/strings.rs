//! The shortest string that several globs all match, within the domain of one request
//! field, found by a breadth-first search over the globs' positions.
//!
//! This is how the per-rule engine builds candidate witnesses without an automaton: a
//! rule's own shortest subject (`github:list_` for `github:list_*`), or a subject two
//! rules share (`github:list_secret-` for `github:list_*` and `*secret-*`). Each glob is
//! a list of one-character atoms and `*`; a search state is, per glob, the set of
//! positions it can be at (a `*` makes it several), plus the state of the field's domain
//! (a subject needs a folded, non-empty tool before its first `:`). The characters tried
//! at each step are the literal characters the globs expect next and a few readable
//! ones (`a` first), so witnesses read well. The search is bounded; a candidate it misses
//! only means the engine falls back to its exact automaton search.

use std::collections::{HashSet, VecDeque};

use crate::analysis::regions::domain::folds_to_itself;
use crate::pattern::{Glob, GlobItem};

/// Search states explored at most per call.
const MAX_STATES: usize = 4_096;

/// What a field may hold.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FieldDomain {
    /// A folded subject `X:Y` (see the domain module).
    Subject,
    /// Any text.
    Text,
    /// Non-empty text (a resource).
    NonEmpty,
}

#[derive(Debug, Clone, PartialEq, Eq)]
enum Atom {
    Char(char),
    Any,
    Class {
        negated: bool,
        ranges: Vec<(char, char)>,
    },
    Star,
    Never,
}

impl Atom {
    fn admits(&self, c: char) -> bool {
        match self {
            Atom::Char(x) => *x == c,
            Atom::Any | Atom::Star => true,
            Atom::Class { negated, ranges } => {
                ranges.iter().any(|&(lo, hi)| lo <= c && c <= hi) != *negated
            }
            Atom::Never => false,
        }
    }
}

fn atoms(glob: &Glob) -> Vec<Atom> {
    let mut out = Vec::new();
    for item in glob.items() {
        match item {
            GlobItem::Literal(text) => out.extend(text.chars().map(Atom::Char)),
            GlobItem::Star => out.push(Atom::Star),
            GlobItem::AnyChar => out.push(Atom::Any),
            GlobItem::Class { negated, ranges } => out.push(Atom::Class {
                negated: *negated,
                ranges: ranges.clone(),
            }),
            GlobItem::Never => out.push(Atom::Never),
        }
    }
    out
}

/// Positions reachable from `positions` without reading (skipping `*`).
fn closure(atoms: &[Atom], positions: &mut Vec<usize>) {
    let mut i = 0;
    while let Some(&p) = positions.get(i) {
        if matches!(atoms.get(p), Some(Atom::Star)) && !positions.contains(&(p + 1)) {
            positions.push(p + 1);
        }
        i += 1;
    }
    positions.sort_unstable();
    positions.dedup();
}

/// Positions after reading `c`.
fn step(atoms: &[Atom], positions: &[usize], c: char) -> Vec<usize> {
    let mut next: Vec<usize> = positions
        .iter()
        .filter_map(|&p| {
            let atom = atoms.get(p)?;
            atom.admits(c)
                .then_some(if *atom == Atom::Star { p } else { p + 1 })
        })
        .collect();
    closure(atoms, &mut next);
    next
}

/// The subject domain as a small automaton: 0 start, 1 in a named tool, 2 in the
/// method (accepting), 3 in a `:`-tool before its second `:`, 4 after it (accepting).
fn domain_step(domain: FieldDomain, state: u8, c: char) -> Option<u8> {
    match (domain, state) {
        (FieldDomain::Subject, 0) if c == ':' => Some(3),
        (FieldDomain::Subject, 0 | 1) if c == ':' => Some(2),
        (FieldDomain::Subject, 0 | 1) => folds_to_itself(c).then_some(1),
        (FieldDomain::Subject, 3) if c == ':' => Some(4),
        (FieldDomain::Subject, s) => Some(s),
        (FieldDomain::NonEmpty, _) => Some(1),
        (FieldDomain::Text, s) => Some(s),
    }
}

fn domain_accepts(domain: FieldDomain, state: u8) -> bool {
    match domain {
        FieldDomain::Subject => state == 2 || state == 4,
        FieldDomain::NonEmpty => state == 1,
        FieldDomain::Text => true,
    }
}

/// Readable characters tried at every step, most readable first.
const READABLE: &str = "abcdefghijklmnopqrstuvwxyz0123456789_-./:";

/// The shortest string in `domain` that every glob matches, if the search finds one.
pub fn common_string(globs: &[&Glob], domain: FieldDomain) -> Option<String> {
    let lists: Vec<Vec<Atom>> = globs.iter().map(|g| atoms(g)).collect();
    let start: Vec<Vec<usize>> = lists
        .iter()
        .map(|atoms| {
            let mut positions = vec![0];
            closure(atoms, &mut positions);
            positions
        })
        .collect();
    let mut seen: HashSet<(Vec<Vec<usize>>, u8)> = HashSet::new();
    let mut queue = VecDeque::from([(start, 0u8, String::new())]);
    while let Some((positions, state, text)) = queue.pop_front() {
        let done = lists
            .iter()
            .zip(&positions)
            .all(|(atoms, p)| p.contains(&atoms.len()));
        if done && domain_accepts(domain, state) {
            return Some(text);
        }
        for c in candidates(&lists, &positions) {
            let Some(next_state) = domain_step(domain, state, c) else {
                continue;
            };
            let next: Vec<Vec<usize>> = lists
                .iter()
                .zip(&positions)
                .map(|(atoms, p)| step(atoms, p, c))
                .collect();
            if next.iter().any(Vec::is_empty) || !seen.insert((next.clone(), next_state)) {
                continue;
            }
            if seen.len() > MAX_STATES {
                return None;
            }
            let mut longer = text.clone();
            longer.push(c);
            queue.push_back((next, next_state, longer));
        }
    }
    None
}

/// The characters worth trying from `positions`: those some glob expects literally,
/// the readable ones, and the first member of every class in play.
fn candidates(lists: &[Vec<Atom>], positions: &[Vec<usize>]) -> Vec<char> {
    let mut out: Vec<char> = Vec::new();
    for (atoms, p) in lists.iter().zip(positions) {
        for atom in p.iter().filter_map(|&i| atoms.get(i)) {
            match atom {
                Atom::Char(c) => out.push(*c),
                Atom::Class {
                    negated: false,
                    ranges,
                } => out.extend(ranges.iter().map(|&(lo, _)| lo)),
                _ => {}
            }
        }
    }
    out.extend(READABLE.chars());
    let mut seen = HashSet::new();
    out.retain(|c| seen.insert(*c));
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn common(patterns: &[&str], domain: FieldDomain) -> Option<String> {
        let globs: Vec<Glob> = patterns.iter().map(|p| Glob::parse(p)).collect();
        let refs: Vec<&Glob> = globs.iter().collect();
        common_string(&refs, domain)
    }

    #[test]
    fn shortest_members() {
        assert_eq!(
            common(&["github:list_*"], FieldDomain::Subject).as_deref(),
            Some("github:list_")
        );
        assert_eq!(common(&["*"], FieldDomain::Subject).as_deref(), Some("a:"));
        assert_eq!(common(&[":*"], FieldDomain::Subject).as_deref(), Some("::"));
        assert_eq!(common(&[":x"], FieldDomain::Subject), None);
        assert_eq!(common(&["x[z-a]"], FieldDomain::Text), None);
        assert_eq!(common(&["*"], FieldDomain::NonEmpty).as_deref(), Some("a"));
        assert_eq!(
            common(&["github:list_*", "*secret-*"], FieldDomain::Subject).as_deref(),
            Some("github:list_secret-")
        );
        assert_eq!(common(&["a*", "*b"], FieldDomain::Text).as_deref(), Some("ab"));
        assert_eq!(common(&["[A-Z]:*"], FieldDomain::Subject), None);
    }
}
