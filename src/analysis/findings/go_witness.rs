//! Finding a string that a glob and Go's `path.Match` decide differently: the witness
//! that `go-glob-portability` reports.
//!
//! The search is constructive, not random: it builds one match of the pattern (each
//! item replaced by a filler: literal text as is, `*` by nothing, `?` by `a`, a class by
//! a member), then varies one item at a time with the fillers the two matchers disagree
//! on (`a/b` for `*`, `/` for `?`, `^`, `!`, `\`, `]`, `-` for classes, the
//! Go reading of a backslash escape). Each candidate is decided by both matchers and the
//! shortest disagreement wins. Only a string actually decided differently is ever
//! reported; when none is found the pattern is left alone, even if it looks suspicious.

use crate::pattern::{Glob, GlobItem, go_path_match};

/// A string the two matchers decide differently.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Divergence {
    pub subject: String,
    /// The decision of this SDK's matcher (the reference's `fnmatchcase`).
    pub here: bool,
    /// Go's decision: `None` when Go rejects the pattern (`ErrBadPattern`), which never
    /// matches.
    pub go: Option<bool>,
}

/// Characters the two matchers treat differently inside and around classes.
const CLASS_PROBES: &[char] = &['a', 'z', '0', '_', '^', '!', '\\', ']', '-', '/', ' ', 'A'];

/// Variations tried per item (beyond its default filler) are bounded, and so is the
/// pattern length, so that a hostile pattern cannot make the analyzer slow.
const MAX_ITEMS: usize = 64;

/// The shortest string `accept`ed (for tool patterns: a valid folded subject) that
/// `glob` and Go's `path.Match` of `glob.source()` decide differently.
pub fn find_divergence(glob: &Glob, accept: impl Fn(&str) -> bool) -> Option<Divergence> {
    let text = glob.source();
    if !text.contains(['*', '?', '[', '\\']) || glob.items().len() > MAX_ITEMS {
        return None;
    }
    let mut best: Option<Divergence> = None;
    for candidate in candidates(glob) {
        let Some(subject) = admissible(candidate, &accept) else {
            continue;
        };
        if best
            .as_ref()
            .is_some_and(|b| b.subject.len() <= subject.len())
        {
            continue;
        }
        let here = glob.matches(&subject);
        let go = go_path_match(text, &subject);
        if here != go.unwrap_or(false) {
            best = Some(Divergence { subject, here, go });
        }
    }
    best
}

/// The candidate itself, or (for patterns that start with a wildcard, whose default
/// match may lack a tool) the candidate behind a one-letter tool.
fn admissible(candidate: String, accept: &impl Fn(&str) -> bool) -> Option<String> {
    if accept(&candidate) {
        return Some(candidate);
    }
    let prefixed = format!("t:{candidate}");
    accept(&prefixed).then_some(prefixed)
}

/// Every candidate: the default match, each one-item variation of it, the pattern
/// text itself and its Go reading.
fn candidates(glob: &Glob) -> Vec<String> {
    let fillers: Vec<Vec<String>> = glob.items().iter().map(fillers_of).collect();
    let default: Vec<&str> = fillers
        .iter()
        .map(|options| options.first().map_or("", String::as_str))
        .collect();
    let mut out = vec![default.concat()];
    for (index, options) in fillers.iter().enumerate() {
        for option in options.iter().skip(1) {
            let mut parts = default.clone();
            if let Some(slot) = parts.get_mut(index) {
                *slot = option;
            }
            out.push(parts.concat());
        }
    }
    out.push(glob.source().to_owned());
    out.push(go_unescape(glob.source()));
    out
}

/// The strings one item may stand for, its default first.
fn fillers_of(item: &GlobItem) -> Vec<String> {
    match item {
        GlobItem::Literal(text) => {
            let mut options = vec![text.clone()];
            if text.contains('\\') {
                options.push(go_unescape(text));
            }
            options
        }
        // `a/b` rather than a bare `/`: the witness should read like a path.
        GlobItem::Star => ["", "a/b"].map(str::to_owned).to_vec(),
        GlobItem::AnyChar => vec!["a".to_owned(), "/".to_owned()],
        GlobItem::Class { .. } | GlobItem::Never => class_fillers(item),
    }
}

/// A member first (so that the default candidate matches), then every probe.
fn class_fillers(item: &GlobItem) -> Vec<String> {
    let in_class = |c: char| match item {
        GlobItem::Class { negated, ranges } => {
            ranges.iter().any(|&(lo, hi)| lo <= c && c <= hi) != *negated
        }
        _ => false,
    };
    let first_range = match item {
        GlobItem::Class {
            negated: false,
            ranges,
        } => ranges.first().map(|&(lo, _)| lo),
        _ => None,
    };
    let member = first_range
        .into_iter()
        .chain(CLASS_PROBES.iter().copied())
        .find(|&c| in_class(c));
    member
        .into_iter()
        .chain(CLASS_PROBES.iter().copied())
        .map(String::from)
        .collect()
}

/// What Go's `path.Match` makes of backslashes outside classes: `\x` is the literal
/// `x` (a trailing backslash stays).
fn go_unescape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut chars = text.chars();
    while let Some(c) = chars.next() {
        if c == '\\' {
            out.push(chars.next().unwrap_or('\\'));
        } else {
            out.push(c);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn divergence(pattern: &str) -> Option<Divergence> {
        find_divergence(&Glob::parse(pattern), |s| !s.is_empty())
    }

    #[test]
    fn witnesses() {
        let star = divergence("/etc/*").unwrap();
        assert_eq!(star.subject, "/etc/a/b");
        assert!(star.here && star.go == Some(false));
        let caret = divergence("a[^x]").unwrap();
        assert!(caret.here != caret.go.unwrap_or(false));
        let bang = divergence("a[!x]").unwrap();
        assert!(bang.here != bang.go.unwrap_or(false));
        let escape = divergence("a\\*").unwrap();
        assert!(escape.here != escape.go.unwrap_or(false));
        let bad = divergence("[]a]").unwrap();
        assert_eq!(bad.go, None);
    }

    #[test]
    fn portable_patterns_have_no_witness() {
        for pattern in ["plain", "[abc]x", "[\\\\]"] {
            assert_eq!(divergence(pattern), None, "{pattern}");
        }
    }
}
