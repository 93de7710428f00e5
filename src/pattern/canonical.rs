//! The canonical form of a tool pattern: every rule pattern addresses `tool:method`.
//!
//! A pattern without `:` names a tool and means "any method of it"; the reference
//! appends `:*` once, at load time, and matches the result against `tool:method`
//! subjects. `*` alone is exempt (it already matches every subject). The test is on the
//! raw text, so a `:` inside a bracket expression (`a[:]b`) also counts.

use std::borrow::Cow;

/// `*` stays `*`; a pattern containing `:` is kept; any other `p` becomes `p:*`
/// (`""` becomes `:*`).
pub fn canonicalize(pattern: &str) -> Cow<'_, str> {
    if pattern == "*" || pattern.contains(':') {
        Cow::Borrowed(pattern)
    } else {
        Cow::Owned(format!("{pattern}:*"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn canonical_forms() {
        assert_eq!(canonicalize("*"), "*");
        assert_eq!(canonicalize("**"), "**:*");
        assert_eq!(canonicalize("Bash"), "Bash:*");
        assert_eq!(canonicalize("delete_*"), "delete_*:*");
        assert_eq!(canonicalize(""), ":*");
        assert_eq!(canonicalize("gh:list"), "gh:list");
        assert_eq!(canonicalize("a[:]b"), "a[:]b");
        assert!(matches!(canonicalize("gh:*"), Cow::Borrowed(_)));
    }
}
