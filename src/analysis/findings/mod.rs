//! The finding table: every analyzer finding, one module each.

mod misplaced_rule_key;

use crate::diagnostics::{CodeInfo, Diagnostic};
use super::Context;

/// A registered finding: its code and the check that produces it.
#[derive(Debug)]
pub struct Finding {
    pub info: &'static CodeInfo,
    pub run: fn(&Context<'_>) -> Vec<Diagnostic>,
}

/// Every finding the analyzer runs, in code order.
pub static FINDINGS: &[&Finding] = &[&misplaced_rule_key::FINDING];
