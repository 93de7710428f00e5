//! The reference matcher: deliberately the simplest correct algorithm, against which the
//! compiled automata (built from [`super::Glob::to_hir`]) are tested.
//!
//! CPython compiles `*` to an atomic lazy group (`(?>.*?fixed)`), i.e. each `*` takes
//! the shortest run after which the following fixed-width segment matches, and never
//! reconsiders. That is the same match relation as the textbook glob algorithm used
//! here: remember the last `*`, and on a mismatch let it absorb one more character.
//! Every other atom consumes exactly one character, which is what makes forgetting
//! earlier stars safe and keeps the worst case at `O(atoms × chars)`, never exponential.

use super::class::ranges_contain;

/// One pattern position: a literal run is expanded into one `Exact` per character.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub(crate) enum Atom {
    Star,
    Exact(char),
    Any,
    Class {
        negated: bool,
        ranges: Box<[(char, char)]>,
    },
    Never,
}

impl Atom {
    /// Whether this single-character atom accepts `c` (`Star` is handled by the caller).
    fn accepts(&self, c: char) -> bool {
        match self {
            Atom::Exact(expected) => *expected == c,
            Atom::Any => true,
            Atom::Class { negated, ranges } => ranges_contain(ranges, c) != *negated,
            Atom::Star | Atom::Never => false,
        }
    }
}

fn char_at(subject: &str, offset: usize) -> Option<char> {
    subject.get(offset..).and_then(|tail| tail.chars().next())
}

/// Whether `atoms` match the whole of `subject`, over Unicode scalar values.
pub(crate) fn match_atoms(atoms: &[Atom], subject: &str) -> bool {
    let mut atom_index = 0;
    let mut offset = 0;
    // After the most recent `*`: the atom to resume at, and where the `*`'s run ends.
    let mut resume: Option<(usize, usize)> = None;
    loop {
        let next = char_at(subject, offset);
        match (atoms.get(atom_index), next) {
            (Some(Atom::Star), _) => {
                atom_index += 1;
                resume = Some((atom_index, offset));
                continue;
            }
            (Some(atom), Some(c)) if atom.accepts(c) => {
                atom_index += 1;
                offset += c.len_utf8();
                continue;
            }
            (None, None) => return true,
            _ => {}
        }
        let Some((resume_atom, star_end)) = resume else {
            return false;
        };
        let Some(absorbed) = char_at(subject, star_end) else {
            return false;
        };
        let star_end = star_end + absorbed.len_utf8();
        resume = Some((resume_atom, star_end));
        atom_index = resume_atom;
        offset = star_end;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn atoms(text: &str) -> Vec<Atom> {
        text.chars()
            .map(|c| match c {
                '*' => Atom::Star,
                '?' => Atom::Any,
                '#' => Atom::Never,
                _ => Atom::Exact(c),
            })
            .collect()
    }

    #[test]
    fn stars_backtrack_without_exponential_blowup() {
        assert!(match_atoms(&atoms("*a*b"), "xxaxxb"));
        assert!(!match_atoms(&atoms("*a*b"), "xxaxxbx"));
        assert!(match_atoms(
            &atoms("a*a*a*a*a*a*b"),
            &format!("{}b", "a".repeat(64))
        ));
        assert!(!match_atoms(&atoms("a*a*a*a*a*a*b"), &"a".repeat(10_000)));
    }

    #[test]
    fn edges() {
        assert!(match_atoms(&[], ""));
        assert!(!match_atoms(&[], "a"));
        assert!(match_atoms(&atoms("*"), ""));
        assert!(!match_atoms(&atoms("?"), ""));
        assert!(match_atoms(&atoms("?"), "😀"));
        assert!(!match_atoms(&atoms("*#*"), "abc"));
    }
}
