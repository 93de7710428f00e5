//! The finding table: every analyzer finding, one module each.
//!
//! A finding's code and documentation are defined in `diagnostics::codes::findings`,
//! below the analysis, where the registry can list them; each module here takes its
//! code from there as `INFO` and registers its check in [`FINDINGS`].

mod misplaced_rule_key;

mod analysis_incomplete;
mod approval_never_offered;
mod approval_preempted;
mod dead_rule;
mod partially_shadowed_rule;
mod reachability;
mod redundant_rule;
mod unmatchable_rule;
mod unreachable_rule;

mod approval_intent_without_flag;
mod broad_escalation;
mod case_variant_patterns;
mod duplicate_key;
mod duplicate_rule_id;
mod escalation_not_boolean;
mod escalation_on_non_deny;
mod fail_open_default;
mod go_glob_portability;
mod go_schema_portability;
mod go_witness;
mod hook_subject_mismatch;
mod non_string_identity;
mod regex_fails_closed;
mod support;
pub mod tool_families;
mod unknown_key;
mod unknown_tool;
mod yaml11_literal;

use super::Context;
use crate::diagnostics::{CodeInfo, Diagnostic};

pub(crate) use redundant_rule::names_itself;

/// The findings that ask the regions more than reachability: the engine answers their
/// questions only when they run.
pub(crate) static OVERLAP_FINDING: &CodeInfo = &partially_shadowed_rule::INFO;
pub(crate) static PREEMPTION_FINDING: &CodeInfo = &approval_preempted::INFO;
pub(crate) static REDUNDANCY_FINDING: &CodeInfo = &redundant_rule::INFO;

/// A registered finding: its code and the check that produces it.
#[derive(Debug)]
pub struct Finding {
    pub info: &'static CodeInfo,
    pub run: fn(&Context<'_>) -> Vec<Diagnostic>,
}

/// The findings about the Go SDK's reading of a policy: reported only when the Go SDK
/// is a declared target (see [`crate::analysis::config::Targets`]).
pub static GO_SDK_FINDINGS: &[&CodeInfo] =
    &[&go_glob_portability::INFO, &go_schema_portability::INFO];

/// Every finding the analyzer runs, in code order.
pub static FINDINGS: &[&Finding] = &[
    &analysis_incomplete::FINDING,
    &unreachable_rule::FINDING,
    &dead_rule::FINDING,
    &unmatchable_rule::FINDING,
    &partially_shadowed_rule::FINDING,
    &redundant_rule::FINDING,
    &approval_never_offered::FINDING,
    &approval_preempted::FINDING,
    &escalation_on_non_deny::FINDING,
    &escalation_not_boolean::FINDING,
    &broad_escalation::FINDING,
    &approval_intent_without_flag::FINDING,
    &misplaced_rule_key::FINDING,
    &duplicate_key::FINDING,
    &unknown_key::FINDING,
    &duplicate_rule_id::FINDING,
    &non_string_identity::FINDING,
    &yaml11_literal::FINDING,
    &fail_open_default::FINDING,
    &hook_subject_mismatch::FINDING,
    &case_variant_patterns::FINDING,
    &go_glob_portability::FINDING,
    &go_schema_portability::FINDING,
    &unknown_tool::FINDING,
    &regex_fails_closed::FINDING,
];

#[cfg(test)]
mod tests {
    use super::FINDINGS;
    use crate::diagnostics::codes::findings::ALL;

    /// The codes are defined below the analysis (`diagnostics::codes::findings`) and the
    /// checks here: both tables list the same findings, in the same order.
    #[test]
    fn every_finding_code_has_its_check() {
        let checked: Vec<&str> = FINDINGS.iter().map(|f| f.info.code).collect();
        let defined: Vec<&str> = ALL.iter().map(|info| info.code).collect();
        assert_eq!(checked, defined);
    }
}
