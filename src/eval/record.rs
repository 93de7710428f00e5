//! The decision as a record: the fields a runtime logs and `guardc eval` prints.
//!
//! Field order and names are part of the output contract (README.md "Output formats (stable)"): `effect,
//! policy_id, reason_code, reason, hitl_eligible, evaluated_rules`, then the deciding
//! rule's `rule_index` and `line` for audit lineage, and, when the caller adds them with
//! [`DecisionRecord::with_lineage`], the policy's `policy_sha256` and `bundle_blake3`.

use std::borrow::Cow;

use serde::Serialize;

use super::decision::RuleSource;
use super::{Decision, Lineage, Request, hex};

#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct DecisionRecord<'p> {
    pub effect: &'static str,
    pub policy_id: Option<&'p str>,
    pub reason_code: &'p str,
    pub reason: Cow<'p, str>,
    pub hitl_eligible: bool,
    pub evaluated_rules: usize,
    /// 0-based index of the deciding rule; `null` when no rule decided.
    pub rule_index: Option<usize>,
    /// 1-based source line of the deciding rule.
    pub line: Option<u32>,
    /// SHA-256 of the policy document (hex), when known.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub policy_sha256: Option<String>,
    /// BLAKE3 of the bundle the policy was read from (hex), if it was.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub bundle_blake3: Option<String>,
    /// Set when the request itself was malformed (batch mode): the decision is then the
    /// fail-closed deny.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub error: Option<String>,
}

impl<'p> DecisionRecord<'p> {
    pub fn new<P: RuleSource + ?Sized>(
        decision: &Decision,
        policy: &'p P,
        request: &Request<'_>,
    ) -> Self {
        let rule = decision.rule(policy);
        Self {
            effect: decision.effect.as_str(),
            policy_id: decision.policy_id(policy),
            reason_code: decision.reason_code(policy),
            reason: decision.reason(policy, request),
            hitl_eligible: decision.hitl_eligible,
            evaluated_rules: decision.evaluated_rules,
            rule_index: decision.rule_index(),
            line: rule.map(|r| r.line),
            policy_sha256: None,
            bundle_blake3: None,
            error: None,
        }
    }

    /// The record with the policy's hashes next to the rule (audit lineage).
    pub fn with_lineage(mut self, lineage: &Lineage) -> Self {
        self.policy_sha256 = lineage.source_sha256.as_ref().map(|h| hex(h));
        self.bundle_blake3 = lineage.bundle_blake3.as_ref().map(|h| hex(h));
        self
    }
}
