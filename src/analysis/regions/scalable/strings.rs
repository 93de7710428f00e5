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

/// Positions as a bit set: globs longer than this are not searched.
const MAX_ATOMS: usize = 63;

/// The positions in a set, ascending.
fn members(set: u64) -> impl Iterator<Item = usize> {
    let mut rest = set;
    std::iter::from_fn(move || {
        (rest != 0).then(|| {
            let p = rest.trailing_zeros() as usize;
            rest &= rest - 1;
            p
        })
    })
}

/// `positions` plus every position reachable from them without reading (past `*`).
/// `*` runs are single atoms, so one pass in ascending order suffices.
fn closure(atoms: &[Atom], positions: u64) -> u64 {
    let mut set = positions;
    for p in members(positions) {
        if atoms.get(p) == Some(&Atom::Star) {
            set |= 1 << (p + 1);
        }
    }
    set
}

/// Positions after reading `c`.
fn step(atoms: &[Atom], positions: u64, c: char) -> u64 {
    let mut next = 0u64;
    for p in members(positions) {
        match atoms.get(p) {
            Some(Atom::Star) => next |= 1 << p,
            Some(atom) if atom.admits(c) => next |= 1 << (p + 1),
            _ => {}
        }
    }
    closure(atoms, next)
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

/// Readable characters, most readable first: the first one no glob expects literally
/// stands for "any other character" at each step.
const READABLE: &str = "abcdefghijklmnopqrstuvwxyz0123456789";

/// Globs searched together at most (a rule and one other rule).
const MAX_GLOBS: usize = 2;

/// A search state: each glob's positions and the domain's state.
type State = ([u64; MAX_GLOBS], u8);

/// The shortest string in `domain` that every glob matches, if the search finds one.
pub fn common_string(globs: &[&Glob], domain: FieldDomain) -> Option<String> {
    let lists: Vec<Vec<Atom>> = globs.iter().map(|g| atoms(g)).collect();
    if lists.len() > MAX_GLOBS || lists.iter().any(|atoms| atoms.len() > MAX_ATOMS) {
        return None;
    }
    let mut start = [1u64 << 63; MAX_GLOBS];
    for (slot, atoms) in start.iter_mut().zip(&lists) {
        *slot = closure(atoms, 1);
    }
    // The search tree: each node's state, parent and the character read to reach it.
    let mut nodes: Vec<(State, usize, char)> = vec![((start, 0), 0, '\0')];
    let mut seen: HashSet<State> = HashSet::from([(start, 0)]);
    let mut queue = VecDeque::from([0usize]);
    while let Some(at) = queue.pop_front() {
        let ((positions, state), _, _) = *nodes.get(at)?;
        let done = lists
            .iter()
            .zip(&positions)
            .all(|(atoms, p)| p & (1 << atoms.len()) != 0);
        if done && domain_accepts(domain, state) {
            return Some(text_of(&nodes, at));
        }
        for c in candidates(&lists, &positions) {
            let Some(next_state) = domain_step(domain, state, c) else {
                continue;
            };
            let mut next = positions;
            for (slot, atoms) in next.iter_mut().zip(&lists) {
                *slot = step(atoms, *slot, c);
            }
            if next.contains(&0) || !seen.insert((next, next_state)) {
                continue;
            }
            if seen.len() > MAX_STATES {
                return None;
            }
            nodes.push(((next, next_state), at, c));
            queue.push_back(nodes.len() - 1);
        }
    }
    None
}

/// The characters read on the way from the root to node `at`.
fn text_of(nodes: &[(State, usize, char)], mut at: usize) -> String {
    let mut chars = Vec::new();
    while at != 0 {
        let Some((_, parent, c)) = nodes.get(at) else {
            break;
        };
        chars.push(*c);
        at = *parent;
    }
    chars.iter().rev().collect()
}

/// The characters worth trying from `positions`. Characters only behave differently
/// through the literal characters the globs expect, the classes in play and the
/// subject's `:`, so the candidates are those literals, each class's bounds and their
/// outer neighbours, `:`, and one readable character no glob expects (standing for all
/// the others).
fn candidates(lists: &[Vec<Atom>], positions: &[u64]) -> Vec<char> {
    let mut out: Vec<char> = Vec::new();
    for (atoms, &p) in lists.iter().zip(positions) {
        for atom in members(p).filter_map(|i| atoms.get(i)) {
            match atom {
                Atom::Char(c) => out.push(*c),
                Atom::Class { ranges, .. } => {
                    for &(lo, hi) in ranges {
                        out.extend([lo, hi]);
                        out.extend(char::from_u32(u32::from(hi) + 1));
                        out.extend(u32::from(lo).checked_sub(1).and_then(char::from_u32));
                    }
                }
                _ => {}
            }
        }
    }
    let other = READABLE.chars().find(|c| !out.contains(c));
    out.extend(other);
    out.push(':');
    out.sort_by_key(|c| (!c.is_ascii_alphanumeric(), *c != ':', *c));
    out.dedup();
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
        assert_eq!(
            common(&["a*", "*b"], FieldDomain::Text).as_deref(),
            Some("ab")
        );
        assert_eq!(common(&["[A-Z]:*"], FieldDomain::Subject), None);
    }
}
