//! Bracket expressions: what a closed `[...]` means, computed the way CPython 3.11 does.
//!
//! `fnmatch.translate` does not interpret a bracket expression itself. It rewrites the
//! text between `[` and `]` into a regular-expression class (splitting it at range
//! hyphens, deleting reversed ranges, escaping `\`, `-`, `&`, `~`, `|`, turning a
//! leading `!` into `^`) and lets `re`'s class parser give it meaning. Rewriting and
//! reparsing interact in surprising ways: deleting the reversed range of `[z-a!b]`
//! leaves the text `!b`, which then negates (`[^b]`), and `[z-a!-x]` becomes `[^-x]`.
//! Re-deriving the meaning from first principles would miss such cases, so this module
//! replays both steps literally: [`translate_tokens`] is the rewrite, [`parse_set`] is
//! the part of `sre_parse` that reads a class, over tokens instead of text.

/// What one closed bracket expression matches: always exactly one character, or never.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum ClassMeaning {
    /// The rewrite left nothing (`[z-a]`): translate emits `(?!)`.
    Never,
    /// The rewrite left only `!` (`[!z-a]`): translate emits `.`.
    AnyChar,
    /// A regular class; `ranges` are sorted, non-overlapping and non-adjacent.
    Set {
        negated: bool,
        ranges: Vec<(char, char)>,
    },
}

/// One character of the rewritten class text. `Escaped` characters are the ones
/// translate prefixed with a backslash; only an unescaped `-` can form a range.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Token {
    Plain(char),
    Escaped(char),
}

impl Token {
    fn char(self) -> char {
        match self {
            Token::Plain(c) | Token::Escaped(c) => c,
        }
    }
}

/// The meaning of a bracket expression whose text between `[` and the closing `]` is
/// `inner` (including a leading `!`; never empty for a closed expression).
pub(crate) fn class_meaning(inner: &str) -> ClassMeaning {
    members_only(inner).unwrap_or_else(|| translated_meaning(inner))
}

/// The common bracket of policies, a few letters or digits (`[Ee]`, `[0-9]` is not
/// one): every character is a member, so the replay of translate, which allocates per
/// chunk and per token, is skipped. The unit tests check it against the replay.
fn members_only(inner: &str) -> Option<ClassMeaning> {
    if inner.is_empty()
        || !inner
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'_')
    {
        return None;
    }
    Some(ClassMeaning::Set {
        negated: false,
        ranges: normalize(inner.chars().map(|c| (c, c)).collect()),
    })
}

fn translated_meaning(inner: &str) -> ClassMeaning {
    let tokens = translate_tokens(inner);
    match tokens.as_slice() {
        [] => ClassMeaning::Never,
        [Token::Plain('!')] => ClassMeaning::AnyChar,
        [first, rest @ ..] => {
            // A leading `!` becomes `^`, i.e. negation. translate escapes a leading `^`
            // or `[` instead, so that it stays a member, which is what `parse_set`
            // makes of every token but an unescaped `-` anyway.
            let (negated, members) = match first {
                Token::Plain('!') => (true, rest),
                _ => (false, tokens.as_slice()),
            };
            ClassMeaning::Set {
                negated,
                ranges: normalize(parse_set(members)),
            }
        }
    }
}

/// The first half of `fnmatch.translate`'s bracket branch: split at range hyphens,
/// delete reversed ranges, escape. The result is the class text as `re` will see it.
fn translate_tokens(inner: &str) -> Vec<Token> {
    let chars: Vec<char> = inner.chars().collect();
    let chunks = if chars.contains(&'-') {
        remove_reversed_ranges(split_at_range_hyphens(&chars))
    } else {
        vec![chars]
    };
    let mut tokens = Vec::with_capacity(inner.len() + chunks.len());
    for (index, chunk) in chunks.iter().enumerate() {
        if index > 0 {
            tokens.push(Token::Plain('-'));
        }
        tokens.extend(chunk.iter().map(|&c| match c {
            '\\' | '-' | '&' | '~' | '|' => Token::Escaped(c),
            _ => Token::Plain(c),
        }));
    }
    tokens
}

/// `chunks` in translate: the pieces between the hyphens that act as range operators.
/// The search for the next hyphen starts two characters past the previous one (and
/// past a leading `!` and the first member), so `[a-b-c]` has the ranges `a-b` and a
/// literal `-`, and every chunk but the first and last has at least two characters.
fn split_at_range_hyphens(chars: &[char]) -> Vec<Vec<char>> {
    let mut chunks: Vec<Vec<char>> = Vec::new();
    let mut start = 0;
    let mut search_from = if chars.first() == Some(&'!') { 2 } else { 1 };
    while let Some(hyphen) = chars
        .get(search_from..)
        .and_then(|tail| tail.iter().position(|&c| c == '-'))
        .map(|offset| offset + search_from)
    {
        chunks.push(chars.get(start..hyphen).unwrap_or_default().to_vec());
        start = hyphen + 1;
        search_from = hyphen + 3;
    }
    let last = chars.get(start..).unwrap_or_default();
    if last.is_empty() {
        // A trailing hyphen (`[a-]`) is a member, not a range operator.
        if let Some(previous) = chunks.last_mut() {
            previous.push('-');
        }
    } else {
        chunks.push(last.to_vec());
    }
    chunks
}

/// translate's "remove empty ranges" loop, right to left: when the range between two
/// chunks is reversed, its two endpoints are deleted and the chunks are glued together.
/// The loop compares each chunk with its right neighbour as already glued, which is why
/// this is a fold from the right rather than a pairwise filter.
fn remove_reversed_ranges(chunks: Vec<Vec<char>>) -> Vec<Vec<char>> {
    let mut finished_reversed: Vec<Vec<char>> = Vec::with_capacity(chunks.len());
    let mut pending = chunks.into_iter().rev();
    let Some(mut current) = pending.next() else {
        return Vec::new();
    };
    for mut previous in pending {
        let reversed =
            matches!((previous.last(), current.first()), (Some(lo), Some(hi)) if lo > hi);
        if reversed {
            previous.pop();
            previous.extend(current.iter().skip(1));
        } else {
            finished_reversed.push(current);
        }
        current = previous;
    }
    finished_reversed.push(current);
    finished_reversed.reverse();
    finished_reversed
}

/// The member loop of `sre_parse`'s class parser (after the optional `^`): a member,
/// optionally followed by an unescaped `-` and a second member, forms a range; a `-`
/// that ends the class is a member.
///
/// Two of `sre_parse`'s branches cannot be reached from translate's output and are
/// resolved here without an error path: an unescaped `]` can only be the first member
/// (translate stops the class at the first `]` after it), where `re` reads it as a
/// member; and a reversed range cannot survive translate's deletion, but would be
/// `re.error` in Python, so it contributes nothing here.
fn parse_set(members: &[Token]) -> Vec<(char, char)> {
    let mut ranges = Vec::with_capacity(members.len());
    let mut iter = members.iter().copied().peekable();
    while let Some(token) = iter.next() {
        let lo = token.char();
        if iter.next_if_eq(&Token::Plain('-')).is_none() {
            ranges.push((lo, lo));
            continue;
        }
        match iter.next() {
            None => {
                ranges.push((lo, lo));
                ranges.push(('-', '-'));
            }
            Some(end) if lo <= end.char() => ranges.push((lo, end.char())),
            Some(_) => {}
        }
    }
    ranges
}

/// Sorts and merges ranges so that equal sets have equal representations.
pub(crate) fn normalize(mut ranges: Vec<(char, char)>) -> Vec<(char, char)> {
    ranges.sort_unstable();
    let mut merged: Vec<(char, char)> = Vec::with_capacity(ranges.len());
    for (lo, hi) in ranges {
        match merged.last_mut() {
            Some((_, last_hi)) if successor(*last_hi).is_none_or(|next| lo <= next) => {
                *last_hi = (*last_hi).max(hi);
            }
            _ => merged.push((lo, hi)),
        }
    }
    merged
}

/// The next Unicode scalar value, skipping the surrogate gap, so that `\u{D7FF}` and
/// `\u{E000}` count as adjacent.
fn successor(c: char) -> Option<char> {
    match c {
        '\u{D7FF}' => Some('\u{E000}'),
        _ => char::from_u32(u32::from(c) + 1),
    }
}

/// Whether `c` is in the sorted, merged `ranges`.
pub(crate) fn ranges_contain(ranges: &[(char, char)], c: char) -> bool {
    ranges
        .binary_search_by(|&(lo, hi)| {
            if hi < c {
                std::cmp::Ordering::Less
            } else if lo > c {
                std::cmp::Ordering::Greater
            } else {
                std::cmp::Ordering::Equal
            }
        })
        .is_ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn set(negated: bool, ranges: &[(char, char)]) -> ClassMeaning {
        ClassMeaning::Set {
            negated,
            ranges: ranges.to_vec(),
        }
    }

    #[test]
    fn members_only_agrees_with_the_replay_of_translate() {
        for inner in [
            "Ee",
            "a",
            "abc",
            "cba",
            "aab",
            "Z9_",
            "0123456789",
            "zZ",
            "_",
            "bdca",
        ] {
            assert_eq!(
                members_only(inner),
                Some(translated_meaning(inner)),
                "[{inner}]"
            );
        }
        for inner in ["", "!a", "a-c", "^a", "a]", "\\", "é"] {
            assert_eq!(members_only(inner), None, "[{inner}]");
        }
    }

    #[test]
    fn plain_members_and_ranges() {
        assert_eq!(class_meaning("abc"), set(false, &[('a', 'c')]));
        assert_eq!(
            class_meaning("a-cx-z"),
            set(false, &[('a', 'c'), ('x', 'z')])
        );
        assert_eq!(class_meaning("!a-c"), set(true, &[('a', 'c')]));
        assert_eq!(class_meaning("^a"), set(false, &[('^', '^'), ('a', 'a')]));
        assert_eq!(class_meaning("!^a"), set(true, &[('^', '^'), ('a', 'a')]));
    }

    #[test]
    fn hyphens_as_members() {
        assert_eq!(class_meaning("a-"), set(false, &[('-', '-'), ('a', 'a')]));
        assert_eq!(class_meaning("-a"), set(false, &[('-', '-'), ('a', 'a')]));
        assert_eq!(class_meaning("!-"), set(true, &[('-', '-')]));
        assert_eq!(
            class_meaning("a-c-e"),
            set(false, &[('-', '-'), ('a', 'c'), ('e', 'e')])
        );
        assert_eq!(class_meaning("--/"), set(false, &[('-', '/')]));
        assert_eq!(class_meaning("%--"), set(false, &[('%', '-')]));
    }

    #[test]
    fn reversed_ranges_are_deleted() {
        assert_eq!(class_meaning("z-a"), ClassMeaning::Never);
        assert_eq!(class_meaning("a-\\"), ClassMeaning::Never);
        assert_eq!(class_meaning("!z-a"), ClassMeaning::AnyChar);
        assert_eq!(
            class_meaning("c-b-a"),
            set(false, &[('-', '-'), ('a', 'a')])
        );
        assert_eq!(class_meaning("z-a^"), set(false, &[('^', '^')]));
    }

    #[test]
    fn deletion_can_expose_a_negation() {
        assert_eq!(class_meaning("z-a!"), ClassMeaning::AnyChar);
        assert_eq!(class_meaning("z-a!b"), set(true, &[('b', 'b')]));
        assert_eq!(
            class_meaning("z-a!-x"),
            set(true, &[('-', '-'), ('x', 'x')])
        );
    }

    #[test]
    fn brackets_and_backslashes_are_members() {
        assert_eq!(class_meaning("]"), set(false, &[(']', ']')]));
        assert_eq!(class_meaning("!]a"), set(true, &[(']', ']'), ('a', 'a')]));
        assert_eq!(class_meaning("]-a"), set(false, &[(']', 'a')]));
        assert_eq!(class_meaning("\\-a"), set(false, &[('\\', 'a')]));
        assert_eq!(
            class_meaning("[:alpha:"),
            set(
                false,
                &[
                    (':', ':'),
                    ('[', '['),
                    ('a', 'a'),
                    ('h', 'h'),
                    ('l', 'l'),
                    ('p', 'p')
                ]
            )
        );
        assert_eq!(class_meaning("a&&b"), set(false, &[('&', '&'), ('a', 'b')]));
    }

    #[test]
    fn normalize_merges_adjacent_and_overlapping() {
        assert_eq!(
            normalize(vec![('c', 'd'), ('a', 'b'), ('b', 'c')]),
            vec![('a', 'd')]
        );
        assert_eq!(
            normalize(vec![('\u{E000}', '\u{E001}'), ('a', '\u{D7FF}')]),
            vec![('a', '\u{E001}')]
        );
        assert_eq!(
            normalize(vec![('a', 'a'), ('c', 'c')]),
            vec![('a', 'a'), ('c', 'c')]
        );
        assert_eq!(
            normalize(vec![('a', char::MAX), ('b', 'c')]),
            vec![('a', char::MAX)]
        );
    }

    #[test]
    fn membership() {
        let ranges = [('a', 'c'), ('x', 'z')];
        assert!(ranges_contain(&ranges, 'b'));
        assert!(ranges_contain(&ranges, 'x'));
        assert!(!ranges_contain(&ranges, 'd'));
        assert!(!ranges_contain(&[], 'a'));
    }
}
