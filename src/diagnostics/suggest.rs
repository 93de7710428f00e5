//! Did-you-mean help, shared by the loader (operators, effects, keys) and the analyzer
//! (unknown keys, tool names): one definition of which word is close enough, so that a
//! misspelling gets the same suggestion whichever diagnostic reports it.

/// The closest known word to `word`, for did-you-mean help.
///
/// Two spellings count as the same word when they differ only in case, `_`, `-` or
/// spaces (`Deny`, `reasonCode`, `escalate-on-deny`): those are how keys copied from
/// other tools or languages usually go wrong, and any edit distance would undercount
/// them. Otherwise the candidate must be within [`max_distance`] edits of the word in
/// lowercase; the nearest wins, the first of equals.
pub fn did_you_mean<'a>(word: &str, candidates: &[&'a str]) -> Option<&'a str> {
    let normalized = normalize(word);
    if let Some(same) = candidates.iter().find(|c| normalize(c) == normalized) {
        return Some(same);
    }
    let lower = word.to_lowercase();
    candidates
        .iter()
        .filter_map(|c| edit_distance_within(&lower, c, max_distance(c)).map(|d| (d, *c)))
        .min_by_key(|&(distance, _)| distance)
        .map(|(_, c)| c)
}

/// The largest edit distance at which `known` is still suggested: one edit for words of
/// five letters or fewer (within two edits of `allow` lie `arrow` and `below`, words of
/// their own, and of `in` every two-letter word), two for longer words.
pub fn max_distance(known: &str) -> usize {
    if known.chars().count() <= 5 { 1 } else { 2 }
}

/// The spelling two words are compared in before any edit is counted.
fn normalize(word: &str) -> String {
    word.chars()
        .filter(|c| !matches!(c, '_' | '-' | ' '))
        .flat_map(char::to_lowercase)
        .collect()
}

/// Optimal string alignment distance (Levenshtein plus adjacent transposition), so that
/// `contaisn` is one edit from `contains`, as a reader would count it.
pub fn edit_distance(a: &str, b: &str) -> usize {
    edit_distance_within(a, b, usize::MAX).unwrap_or(usize::MAX)
}

/// [`edit_distance`] when it is at most `limit`, else `None`, found without finishing
/// the table once it cannot come back under the limit. Suggestions only accept one or
/// two edits, and the analyzer compares every tool of a large policy with every known
/// name, so stopping early matters there.
pub fn edit_distance_within(a: &str, b: &str, limit: usize) -> Option<usize> {
    if letter_count_bound(a, b).is_some_and(|bound| bound > limit) {
        return None;
    }
    let a: Vec<char> = a.chars().collect();
    let b: Vec<char> = b.chars().collect();
    if a.len().abs_diff(b.len()) > limit {
        return None;
    }
    // Out-of-range reads only happen on the unused borders; reading them as "far away"
    // keeps the recurrence free of panicking indexing.
    let far = usize::MAX / 2;
    let at = |row: &[usize], j: usize| row.get(j).copied().unwrap_or(far);
    // Rows for prefixes of `a` of length i-1 and i (and i-2 for transpositions); each
    // holds distances to every prefix of `b`. Three buffers, rotated, so a comparison
    // allocates nothing per row.
    let mut before: Vec<usize> = vec![far; b.len() + 1];
    let mut previous: Vec<usize> = (0..=b.len()).collect();
    let mut current: Vec<usize> = Vec::with_capacity(b.len() + 1);
    let mut previous_min = 0;
    for (i, &ca) in a.iter().enumerate() {
        current.clear();
        current.push(i + 1);
        for (j, &cb) in b.iter().enumerate() {
            let substitute = at(&previous, j) + usize::from(ca != cb);
            let delete = at(&previous, j + 1) + 1;
            let insert = at(&current, j) + 1;
            let mut best = substitute.min(delete).min(insert);
            let swapped = j > 0 && i > 0 && a.get(i - 1) == Some(&cb) && b.get(j - 1) == Some(&ca);
            if swapped {
                best = best.min(at(&before, j - 1) + 1);
            }
            current.push(best);
        }
        // A row's cells come from the two rows above it, so once two consecutive rows
        // are over the limit, every later row is too.
        let current_min = current.iter().copied().min().unwrap_or(far);
        if current_min > limit && previous_min > limit {
            return None;
        }
        previous_min = current_min;
        std::mem::swap(&mut before, &mut previous);
        std::mem::swap(&mut previous, &mut current);
    }
    previous
        .last()
        .copied()
        .filter(|&distance| distance <= limit)
}

/// A lower bound of the edit distance of two ASCII strings, from their letter counts:
/// every edit adds at most one letter that the other string lacks on each side, so the
/// larger surplus cannot exceed the distance. It costs no allocation, which is the
/// point: most comparisons of a did-you-mean search end here. `None` for non-ASCII text.
fn letter_count_bound(a: &str, b: &str) -> Option<usize> {
    if !a.is_ascii() || !b.is_ascii() {
        return None;
    }
    let mut counts = [0i32; 128];
    for byte in a.bytes() {
        if let Some(count) = counts.get_mut(usize::from(byte)) {
            *count += 1;
        }
    }
    for byte in b.bytes() {
        if let Some(count) = counts.get_mut(usize::from(byte)) {
            *count -= 1;
        }
    }
    let surplus_a: i32 = counts.iter().filter(|&&c| c > 0).sum();
    let surplus_b: i32 = counts.iter().filter(|&&c| c < 0).map(|&c| -c).sum();
    usize::try_from(surplus_a.max(surplus_b)).ok()
}

#[cfg(test)]
mod tests {
    use super::{did_you_mean, edit_distance, edit_distance_within};

    #[test]
    fn suggestions() {
        let keys = [
            "rules",
            "version",
            "settings",
            "escalate_on_deny",
            "reason_code",
        ];
        assert_eq!(did_you_mean("Rules", &keys), Some("rules"));
        assert_eq!(did_you_mean("rule", &keys), Some("rules"));
        assert_eq!(did_you_mean("tools", &keys), None);
        assert_eq!(did_you_mean("verison", &keys), Some("version"));
        assert_eq!(
            did_you_mean("escalateOnDeny", &keys),
            Some("escalate_on_deny")
        );
        assert_eq!(did_you_mean("reason-code", &keys), Some("reason_code"));
        assert_eq!(did_you_mean("description", &keys), None);
        let ops = ["equals", "in", "not_in"];
        assert_eq!(did_you_mean("EQUALS", &ops), Some("equals"));
        assert_eq!(did_you_mean("equal", &ops), Some("equals"));
        assert_eq!(did_you_mean("regex", &ops), None);
    }

    /// Where the loader and the analyzer once had a suggestion function each, they
    /// disagreed: the loader offered any word within two edits (`in` for `ab`, `allow`
    /// for `arrow`) and only ignored case, the analyzer also ignored `_` and `-`. Both
    /// now call this one function, and the loader's diagnostics say what it says.
    #[test]
    fn loader_and_analyzer_suggest_alike() {
        assert_eq!(did_you_mean("ab", &["equals", "in", "not_in"]), None);
        assert_eq!(did_you_mean("arrow", &["deny", "allow", "effect"]), None);
        assert_eq!(
            did_you_mean("not-in", &["equals", "in", "not_in"]),
            Some("not_in")
        );
        assert_eq!(
            did_you_mean("NotIn", &["equals", "in", "not_in"]),
            Some("not_in")
        );
        for (text, suggested) in [
            ("version: '1'\nrules:\n  - arrow: '*'\n", None),
            ("version: '1'\nrules:\n  - alow: '*'\n", Some("allow")),
        ] {
            let loaded = crate::policy::load(crate::source::SourceFile::new("p.yaml", text));
            let help = loaded
                .diagnostics
                .iter()
                .filter_map(|d| d.help.as_deref())
                .find(|h| h.contains("did you mean"));
            let expected = suggested.map(|word| format!("`{word}`"));
            assert_eq!(
                help.map(|h| expected.as_ref().is_some_and(|w| h.contains(w.as_str()))),
                expected.as_ref().map(|_| true),
                "{text:?}: {help:?}"
            );
        }
    }

    #[test]
    fn edit_distance_counts_transpositions_once() {
        assert_eq!(edit_distance("contaisn", "contains"), 1);
        assert_eq!(edit_distance("greater_then", "greater_than"), 1);
        assert_eq!(edit_distance("reaosn", "reason"), 1);
        assert_eq!(edit_distance("bsh", "bash"), 1);
        assert_eq!(edit_distance("", "abc"), 3);
        assert_eq!(edit_distance("", "ab"), 2);
        assert_eq!(edit_distance("eq", "equals"), 4);
        assert_eq!(edit_distance("below", "allow"), 2);
    }

    #[test]
    fn bounded_distance_agrees_with_the_full_one() {
        let words = [
            "",
            "a",
            "ab",
            "ba",
            "bash",
            "bsh",
            "shell",
            "sehll",
            "file_read",
            "fille_read",
            "contains",
            "contaisn",
            "abcdef",
            "badcfe",
            "Read12",
            "Read",
        ];
        for a in words {
            for b in words {
                let full = edit_distance(a, b);
                for limit in 0..4 {
                    let bounded = edit_distance_within(a, b, limit);
                    assert_eq!(
                        bounded,
                        (full <= limit).then_some(full),
                        "{a:?} {b:?} {limit}"
                    );
                }
            }
        }
    }
}
