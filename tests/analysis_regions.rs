//! The reachability and approval findings (`GC02xx`, `GC030x`) and the approval
//! partition: fixtures in both engines, the two acceptance cases, snapshots of
//! the human and JSON reports, and the rule that every reported witness re-checks.
//!
//! Property tests over random policies live in `analysis_regions_props.rs`.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    reason = "tests: a malformed fixture or a missing finding fails the test"
)]

mod regions_common;

use std::path::Path;

use guardc::analysis::regions::{AnalysisLimits, approval_partition};
use guardc::check::{CheckOptions, check_source};
use guardc::diagnostics::Diagnostic;
use guardc::diagnostics::render::{
    FileReport, HumanOptions, approvals_json, json_report, render_approvals, render_human,
};
use guardc::source::SourceFile;
use regions_common::{
    REGION_FINDINGS, assert_witnesses_recheck, findings_with_limits, fixture_files, region_only,
};

fn expectation(path: &Path) -> bool {
    let name = path.file_name().unwrap().to_string_lossy();
    assert!(
        name.starts_with("triggers-") || name.starts_with("clean-"),
        "{name}: must start with triggers- or clean-"
    );
    name.starts_with("triggers-")
}

#[test]
fn fixtures_trigger_exactly_their_finding() {
    let mut failures = Vec::new();
    for &finding in REGION_FINDINGS {
        let files = fixture_files(finding);
        assert!(
            files.iter().any(|f| expectation(f)) && files.iter().any(|f| !expectation(f)),
            "{finding} needs triggering and clean fixtures"
        );
        for file in files {
            let source = SourceFile::new(
                file.display().to_string(),
                std::fs::read_to_string(&file).unwrap(),
            );
            let expected = expectation(&file);
            {
                let (engine, limits) = ("engine", AnalysisLimits::DEFAULT);
                let (policy, diagnostics) = findings_with_limits(&source, limits);
                let found = diagnostics
                    .iter()
                    .filter(|d| d.code.name == finding)
                    .count();
                if (found > 0) != expected {
                    failures.push(format!(
                        "{} ({engine}): expected {finding}: {expected}, found {found}",
                        file.display()
                    ));
                }
                if let Some(policy) = &policy {
                    assert_witnesses_recheck(policy, &diagnostics);
                }
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// Every reachability and approval finding of a fixture in the default run, as
/// `check` reports them.
fn checked(name: &str, text: &str) -> (guardc::check::CheckReport, Vec<Diagnostic>) {
    let report = check_source(SourceFile::new(name, text), &CheckOptions::default());
    let ours = region_only(&report.diagnostics);
    (report, ours)
}

fn related_rules(diagnostic: &Diagnostic) -> Vec<usize> {
    let mut rules: Vec<usize> = diagnostic
        .related
        .iter()
        .filter_map(|r| r.rule_index)
        .collect();
    rules.sort_unstable();
    rules
}

fn render(report: &guardc::check::CheckReport, diagnostics: &[Diagnostic]) -> String {
    render_human(
        &FileReport {
            source: &report.source,
            diagnostics,
        },
        HumanOptions::default(),
    )
}

/// The JSON report, pretty-printed (numbers keep their spelling).
fn json(report: &guardc::check::CheckReport, diagnostics: &[Diagnostic]) -> String {
    serde_json::to_string_pretty(&json_report(&[FileReport {
        source: &report.source,
        diagnostics,
    }]))
    .unwrap()
}

const UNION_OF_TWO: &str = "version: '1'
rules:
  - id: read-repos
    allow: 'github:get_*'
  - id: no-deletes
    deny: 'github:delete_*'
  - id: repo-ops
    effect: warn
    actions: ['github:get_repo*', 'github:delete_repo*']
";

/// Acceptance (a): the third rule is covered only by the union of the first two.
#[test]
fn rule_covered_by_the_union_of_two_rules() {
    {
        let limits = AnalysisLimits::DEFAULT;
        let source = SourceFile::new("union.yaml", UNION_OF_TWO);
        let (policy, diagnostics) = findings_with_limits(&source, limits);
        let unreachable: Vec<&Diagnostic> = diagnostics
            .iter()
            .filter(|d| d.code.name == "unreachable-rule")
            .collect();
        assert_eq!(unreachable.len(), 1, "{diagnostics:#?}");
        let finding = unreachable[0];
        assert_eq!(finding.rule_index, Some(2));
        assert_eq!(
            related_rules(finding),
            vec![0, 1],
            "both blockers are named"
        );
        assert!(!finding.witnesses.is_empty());
        assert_witnesses_recheck(&policy.unwrap(), &diagnostics);
    }
    let (report, ours) = checked("union.yaml", UNION_OF_TWO);
    insta::assert_snapshot!("union_of_two_human", render(&report, &ours));
    insta::assert_snapshot!("union_of_two_json", json(&report, &ours));

    let widened = UNION_OF_TWO.replace(
        "['github:get_repo*', 'github:delete_repo*']",
        "['github:*_repo*']",
    );
    let (_, ours) = checked("widened.yaml", &widened);
    assert!(
        ours.iter()
            .all(|d| !["unreachable-rule", "dead-rule"].contains(&d.code.name)),
        "{ours:#?}"
    );
}

/// Acceptance (b): examples/approval.yaml with `allow: 'Bash:*'` moved first.
#[test]
fn approval_rule_behind_a_broad_allow() {
    let example = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/approval.yaml"),
    )
    .unwrap();
    let (head, allow) = example.split_once("  - allow: 'Bash:*'").unwrap();
    let (preamble, deny) = head.split_once("  - deny:").unwrap();
    let moved = format!("{preamble}  - allow: 'Bash:*'{allow}  - deny:{deny}");
    assert!(moved.contains("escalate_on_deny: true"));

    {
        let limits = AnalysisLimits::DEFAULT;
        let (policy, diagnostics) =
            findings_with_limits(&SourceFile::new("approval.yaml", moved.clone()), limits);
        let policy = policy.unwrap();
        assert!(policy.rules[1].hitl_eligible());
        let never: Vec<&Diagnostic> = diagnostics
            .iter()
            .filter(|d| d.code.name == "approval-never-offered")
            .collect();
        assert_eq!(never.len(), 1, "{diagnostics:#?}");
        assert_eq!(never[0].rule_index, Some(1));
        assert_eq!(related_rules(never[0]), vec![0]);
        assert!(!never[0].witnesses.is_empty());
        assert!(
            diagnostics
                .iter()
                .all(|d| !["unreachable-rule", "dead-rule"].contains(&d.code.name)),
            "reported as approval-never-offered instead"
        );
        assert_witnesses_recheck(&policy, &diagnostics);
    }
    let (report, ours) = checked("approval.yaml", &moved);
    insta::assert_snapshot!("approval_moved_human", render(&report, &ours));
    insta::assert_snapshot!("approval_moved_json", json(&report, &ours));

    let (_, ours) = checked("approval.yaml", &example);
    assert!(
        ours.iter().all(|d| d.code.name != "approval-never-offered"),
        "{ours:#?}"
    );
}

#[test]
fn other_findings_render() {
    let cases = [
        (
            "unmatchable",
            "unmatchable-rule/triggers-reversed-range.yaml",
        ),
        (
            "shadowed",
            "partially-shadowed-rule/triggers-broad-allow-after-deny.yaml",
        ),
        (
            "redundant",
            "redundant-rule/triggers-deny-like-default.yaml",
        ),
        (
            "preempted",
            "approval-preempted/triggers-hard-deny-inside.yaml",
        ),
        ("dead", "dead-rule/triggers-covered-by-two.yaml"),
    ];
    for (name, path) in cases {
        let text = std::fs::read_to_string(
            Path::new(env!("CARGO_MANIFEST_DIR"))
                .join("fixtures/analysis")
                .join(path),
        )
        .unwrap();
        let (report, ours) = checked(path, &text);
        insta::assert_snapshot!(format!("{name}_human"), render(&report, &ours));
        insta::assert_snapshot!(format!("{name}_json"), json(&report, &ours));
    }
}

#[test]
fn approval_partitions() {
    for example in ["approval.yaml", "data-platform.yaml", "coding-agent.yaml"] {
        let text = std::fs::read_to_string(
            Path::new(env!("CARGO_MANIFEST_DIR"))
                .join("examples")
                .join(example),
        )
        .unwrap();
        let loaded = guardc::policy::load(SourceFile::new(example, text));
        let policy = loaded.policy.unwrap();
        let report = approval_partition(&policy, &AnalysisLimits::DEFAULT);
        assert!(
            report.incomplete.is_none(),
            "{example}: {:?}",
            report.incomplete
        );
        for summary in &report.classes {
            for (_, calls) in &summary.examples {
                for call in calls {
                    regions_common::assert_witness_rechecks(&policy, call);
                }
            }
        }
        insta::assert_snapshot!(format!("partition_{example}"), render_approvals(&report));
        insta::assert_snapshot!(
            format!("partition_{example}_json"),
            serde_json::to_string_pretty(&approvals_json(&report)).unwrap()
        );
    }
}

#[test]
fn partition_of_the_approval_example() {
    let policy = guardc::policy::load(SourceFile::new(
        "approval.yaml",
        std::fs::read_to_string(
            Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/approval.yaml"),
        )
        .unwrap(),
    ))
    .policy
    .unwrap();
    let report = approval_partition(&policy, &AnalysisLimits::DEFAULT);
    let class = |name: &str| {
        report
            .classes
            .iter()
            .find(|c| c.class.as_str() == name)
            .unwrap()
    };
    assert_eq!(
        class("approvable")
            .rules
            .iter()
            .map(|r| r.0)
            .collect::<Vec<_>>(),
        vec![0]
    );
    assert_eq!(
        class("auto-allowed")
            .rules
            .iter()
            .map(|r| r.0)
            .collect::<Vec<_>>(),
        vec![1]
    );
    assert!(class("hard-denied").includes_default);
    assert_eq!(class("warned").regions, 0);
    assert_eq!(class("depends-on-conditions").regions, 0);
}
