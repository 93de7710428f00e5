//! The one table of every diagnostic code users can meet: load codes, analyzer findings,
//! the CI gates' codes and those of guardc's own comments. `guardc explain`, the
//! configuration's code lookup, the SARIF rule list, the documentation test and any
//! editor integration read it.
//!
//! It joins the families defined in `diagnostics::codes` and imports nothing above them,
//! so every layer that reports diagnostics may look codes up here.

use crate::diagnostics::CodeInfo;
use crate::diagnostics::codes::{comments, diff, findings, load_codes, policy_tests};

/// Every registered code, in code order.
pub fn all() -> Vec<&'static CodeInfo> {
    let mut codes: Vec<&'static CodeInfo> = load_codes()
        .chain(findings::ALL)
        .chain(diff::ALL)
        .chain(policy_tests::ALL)
        .chain(comments::ALL)
        .collect();
    codes.sort_by_key(|c| c.code);
    codes
}

/// Look a code up by its code (`GC0113`) or name (`deny-and-allow`), case-insensitively.
pub fn lookup(code_or_name: &str) -> Option<&'static CodeInfo> {
    all().into_iter().find(|c| {
        c.code.eq_ignore_ascii_case(code_or_name) || c.name.eq_ignore_ascii_case(code_or_name)
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashSet;

    #[test]
    fn codes_and_names_are_unique_and_documented() {
        let mut codes = HashSet::new();
        let mut names = HashSet::new();
        for info in all() {
            assert!(codes.insert(info.code), "duplicate code {}", info.code);
            assert!(names.insert(info.name), "duplicate name {}", info.name);
            assert!(
                info.code.starts_with("GC") && info.code.len() == 6,
                "{}",
                info.code
            );
            assert!(
                info.name
                    .chars()
                    .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-'),
                "{} is not kebab-case",
                info.name
            );
            assert!(
                !info.summary.is_empty() && info.doc.len() > 80,
                "{} lacks docs",
                info.code
            );
            assert_eq!(lookup(info.name), Some(info));
        }
    }
}
