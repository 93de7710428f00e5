#![allow(clippy::unwrap_used, clippy::expect_used, reason = "scratch")]
use guardc::analysis::regions::*;
use guardc::policy::load;
use guardc::source::SourceFile;

#[test]
fn scratch() {
    let text = std::env::var("POLICY").unwrap_or_else(|_| "version: '1'\nrules:\n  - id: read-repos\n    allow: 'github:get_*'\n  - id: no-deletes\n    deny: 'github:delete_*'\n  - id: repo-ops\n    effect: warn\n    actions: ['github:get_repo*', 'github:delete_repo*']\n".into());
    let text = if text.ends_with(".yaml") { std::fs::read_to_string(&text).unwrap() } else { text };
    let loaded = load(SourceFile::new("p.yaml", text));
    let policy = loaded.policy.as_ref().unwrap();
    let limits = if std::env::var("PER_RULE").is_ok() { AnalysisLimits::PER_RULE } else { AnalysisLimits::DEFAULT };
    let t = std::time::Instant::now();
    let map = RegionMap::compute(policy, &limits);
    eprintln!("time {:?} mode {:?}", t.elapsed(), map.mode());
    let mut counts = std::collections::BTreeMap::new();
    for i in 0..policy.rules.len() {
        let kind = match map.rule(i) { Reach::Unmatchable => "unmatchable", Reach::Unreachable(_) => "unreachable", Reach::Reachable(r) => if r.shadowed.is_empty() {"reachable"} else {"reachable-shadowed"}, Reach::Unknown => "unknown" };
        *counts.entry(kind).or_insert(0) += 1;
        if i < 12 {
        eprintln!("{i}: {:?}", map.rule(i));
        if let Reach::Unreachable(u) = map.rule(i) {
            eprintln!("   {:?}", map.witness(policy, &u.witnesses, |_, _| true));
        }
        if let Reach::Reachable(u) = map.rule(i) {
            eprintln!("   {:?}", map.witness(policy, &u.deciding, |_, _| true));
            eprintln!("   shadow {:?}", map.witness(policy, &u.shadowed, |_, _| true));
        }}
    }
    eprintln!("{counts:?}");
    eprintln!("{:?}", map.incomplete().iter().take(5).collect::<Vec<_>>());
    if policy.rules.len() < 50 { eprintln!("{}", render_approvals(&map.approval_partition(policy))); }
}
