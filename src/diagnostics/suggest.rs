//! Edit distance for did-you-mean help, shared by the loader (operators) and the
//! analyzer (keys, tool names). Each caller keeps its own threshold; the distance is one
//! definition so that suggestions agree across diagnostics.

/// Optimal string alignment distance (Levenshtein plus adjacent transposition), so that
/// `contaisn` is one edit from `contains`, as a reader would count it.
pub fn edit_distance(a: &str, b: &str) -> usize {
    let a: Vec<char> = a.chars().collect();
    let b: Vec<char> = b.chars().collect();
    // Out-of-range reads only happen on the unused borders; reading them as "far away"
    // keeps the recurrence free of panicking indexing.
    let at = |row: &[usize], j: usize| row.get(j).copied().unwrap_or(usize::MAX / 2);
    // Rows for prefixes of `a` of length i-1 and i; each holds distances to every prefix
    // of `b`.
    let mut before: Vec<usize> = Vec::new();
    let mut previous: Vec<usize> = (0..=b.len()).collect();
    for (i, &ca) in a.iter().enumerate() {
        let mut current = Vec::with_capacity(b.len() + 1);
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
        before = std::mem::replace(&mut previous, current);
    }
    previous.last().copied().unwrap_or(0)
}

#[cfg(test)]
mod tests {
    use super::edit_distance;

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
}
