//! Helpers shared by the reachability tests: running the findings with chosen analysis
//! limits, and re-checking every witness a finding reports with the interpreter.

#![allow(
    dead_code,
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    reason = "test helpers: not every binary uses each one, and a failed check fails the test"
)]

use std::path::{Path, PathBuf};

use guardc::analysis::Context;
use guardc::analysis::findings::FINDINGS;
use guardc::analysis::regions::AnalysisLimits;
use guardc::diagnostics::{Diagnostic, Witness};
use guardc::eval::{Request, interpret};
use guardc::policy::Policy;
use guardc::source::SourceFile;

/// The findings of the reachability engine.
pub const REGION_FINDINGS: &[&str] = &[
    "analysis-incomplete",
    "unreachable-rule",
    "dead-rule",
    "unmatchable-rule",
    "partially-shadowed-rule",
    "redundant-rule",
    "approval-never-offered",
    "approval-preempted",
];

pub fn region_only(diagnostics: &[Diagnostic]) -> Vec<Diagnostic> {
    diagnostics
        .iter()
        .filter(|d| REGION_FINDINGS.contains(&d.code.name))
        .cloned()
        .collect()
}

/// The fixture files of one finding's folder, sorted.
pub fn fixture_files(finding: &str) -> Vec<PathBuf> {
    let folder = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("fixtures/analysis")
        .join(finding);
    let mut files: Vec<PathBuf> = std::fs::read_dir(&folder)
        .unwrap_or_else(|e| panic!("{}: {e}", folder.display()))
        .map(|e| e.unwrap().path())
        .collect();
    files.sort();
    files
}

/// The reachability findings of a document, analyzed with `limits`.
pub fn findings_with_limits(
    source: &SourceFile,
    limits: AnalysisLimits,
) -> (Option<Policy>, Vec<Diagnostic>) {
    let loaded = guardc::policy::load(source.clone());
    let context = Context::with_limits(&loaded, limits);
    let diagnostics: Vec<Diagnostic> = FINDINGS
        .iter()
        .filter(|f| REGION_FINDINGS.contains(&f.info.name))
        .flat_map(|f| (f.run)(&context))
        .collect();
    (loaded.policy.clone(), diagnostics)
}

/// The witness's call, decided by the interpreter, gets exactly the decision reported.
pub fn assert_witness_rechecks(policy: &Policy, witness: &Witness) {
    let request = Request {
        tool: &witness.tool,
        method: &witness.method,
        context: Some(&witness.context),
        args: Some(&witness.args),
    };
    let decision = interpret(policy, &request);
    let reported = &witness.decision;
    assert_eq!(decision.effect.as_str(), reported.effect, "{witness:?}");
    assert_eq!(
        decision.policy_id(policy),
        reported.policy_id.as_deref(),
        "{witness:?}"
    );
    assert_eq!(
        decision.reason_code(policy),
        reported.reason_code,
        "{witness:?}"
    );
    assert_eq!(
        decision.hitl_eligible, reported.hitl_eligible,
        "{witness:?}"
    );
    assert_eq!(
        decision.evaluated_rules, reported.evaluated_rules,
        "{witness:?}"
    );
}

pub fn assert_witnesses_recheck(policy: &Policy, diagnostics: &[Diagnostic]) {
    for diagnostic in diagnostics {
        for witness in &diagnostic.witnesses {
            assert_witness_rechecks(policy, witness);
        }
    }
}
