//! Proofs that one rule covers another read off the patterns, without an automaton:
//! the engine tries them before any search, because the common case of a covered rule is
//! a broad rule above a narrow one (`Bash:*` above `Bash:git *`, `*secret*` above
//! `*secret-key*`), and a product walk to prove it costs a rule DFA and hundreds of
//! states each time.

use crate::pattern::GlobItem;
use crate::policy::Rule;

/// Whether `q` matches every request `rule` matches, decided without an automaton for
/// the common shapes. `q` must be action-only; then each pattern of `rule` must be
/// covered by one pattern of `q`:
///
/// - `P*` (a literal then `*`, or `*` alone) covers a pattern whose leading literal text
///   starts with `P`: every subject it matches starts with `P`;
/// - `*B*` covers a pattern with a literal run containing `B`: every subject it matches
///   contains that run;
/// - `*B*:*` (how `*B*` is written canonically) covers such a pattern when a `:` is
///   also certain after the first `B` of that run (later in the run, or in a later run).
///
/// A pattern's literal runs occur in every subject it matches, in order, so each case is
/// a proof; anything else is left to the automata.
pub fn covers_syntactically(q: &Rule, rule: &Rule) -> bool {
    q.is_action_only()
        && !q.patterns.is_empty()
        && rule.patterns.iter().all(|p| {
            q.patterns
                .iter()
                .any(|outer| pattern_covers(outer.glob.items(), p.glob.items()))
        })
}

fn pattern_covers(outer: &[GlobItem], inner: &[GlobItem]) -> bool {
    let leading = match inner.first() {
        Some(GlobItem::Literal(text)) => text.as_str(),
        _ => "",
    };
    match outer {
        [GlobItem::Star] => true,
        [GlobItem::Literal(prefix), GlobItem::Star] => leading.starts_with(prefix.as_str()),
        [GlobItem::Star, GlobItem::Literal(needle), GlobItem::Star] => {
            literal_runs(inner).any(|run| run.contains(needle.as_str()))
        }
        [
            GlobItem::Star,
            GlobItem::Literal(needle),
            GlobItem::Star,
            GlobItem::Literal(colon),
            GlobItem::Star,
        ] if colon == ":" => {
            let runs: Vec<&str> = literal_runs(inner).collect();
            runs.iter().enumerate().any(|(i, run)| {
                run.find(needle.as_str()).is_some_and(|at| {
                    run.get(at + needle.len()..)
                        .is_some_and(|rest| rest.contains(':'))
                        || runs
                            .get(i + 1..)
                            .is_some_and(|later| later.iter().any(|r| r.contains(':')))
                })
            })
        }
        _ => false,
    }
}

fn literal_runs(items: &[GlobItem]) -> impl Iterator<Item = &str> {
    items.iter().filter_map(|item| match item {
        GlobItem::Literal(text) => Some(text.as_str()),
        _ => None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::pattern::Glob;

    /// Every pattern over a tiny alphabet up to a length, every subject up to a length:
    /// whenever the syntax claims `outer` covers `inner`, every subject `inner` matches,
    /// `outer` matches too.
    #[test]
    fn syntactic_cover_is_sound() {
        let atoms = ["a", "b", ":", "*", "?", "ab", ":a"];
        let mut patterns = vec![String::new()];
        for _ in 0..3 {
            let longer: Vec<String> = patterns
                .iter()
                .flat_map(|p| atoms.iter().map(move |a| format!("{p}{a}")))
                .collect();
            patterns.extend(longer);
        }
        patterns.sort();
        patterns.dedup();
        let mut subjects = vec![String::new()];
        for _ in 0..5 {
            let longer: Vec<String> = subjects
                .iter()
                .flat_map(|s| ["a", "b", ":"].map(|c| format!("{s}{c}")))
                .collect();
            subjects.extend(longer);
        }
        let globs: Vec<Glob> = patterns.iter().map(|p| Glob::parse(p)).collect();
        let mut claims = 0;
        for outer in &globs {
            for inner in &globs {
                if !pattern_covers(outer.items(), inner.items()) {
                    continue;
                }
                claims += 1;
                for subject in &subjects {
                    assert!(
                        !inner.matches(subject) || outer.matches(subject),
                        "{outer:?} claimed to cover {inner:?}, but not on {subject:?}"
                    );
                }
            }
        }
        assert!(claims > 1_000, "only {claims} claims were tested");
    }

    #[test]
    fn floating_literals_cover_longer_ones() {
        let covers = |outer: &str, inner: &str| {
            pattern_covers(Glob::parse(outer).items(), Glob::parse(inner).items())
        };
        assert!(covers("*sec1*:*", "*sec12*:*"));
        assert!(covers("*sec1*", "tool:get_sec12*"));
        assert!(
            !covers("*sec1*:*", "tool:get_sec12*"),
            "no `:` is certain after it"
        );
        assert!(covers("*sec1*:*", "*sec12:*"));
        assert!(!covers("*sec12*:*", "*sec1*:*"));
    }
}
