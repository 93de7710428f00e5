//! The one table of every diagnostic code users can meet: load codes and analyzer
//! findings. `guardc explain`, the documentation test and any editor integration read it.

use crate::analysis::config::UNKNOWN_SUPPRESSION;
use crate::analysis::findings::FINDINGS;
use crate::diagnostics::CodeInfo;
use crate::diagnostics::codes::load_codes;
use crate::ide::EXPECTATION_MISMATCH;

/// Every registered code, in code order.
pub fn all() -> Vec<&'static CodeInfo> {
    let mut codes: Vec<&'static CodeInfo> = load_codes()
        .chain(FINDINGS.iter().map(|f| f.info))
        .chain(crate::analysis::compare::codes::ALL)
        .chain(crate::analysis::policy_tests::codes::ALL)
        .chain([&UNKNOWN_SUPPRESSION, &EXPECTATION_MISMATCH])
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
