//! `partially-shadowed-rule`: a reachable rule some of whose calls are decided earlier
//! with another effect.
//!
//! Overlap is normal in first-match policies (a narrow deny before a broad allow is the
//! idiom), so this is information, not a warning: it shows the author exactly where the
//! rule stops applying, with one call decided earlier and one call the rule still
//! decides, so that an unintended overlap is visible before it ships. Carve-outs that
//! apply to every tool (`*secret*`) are not reported as shadowers: they overlap every
//! later rule by design (see [`crate::analysis::regions::shadows`]).

use super::Finding;
use super::reachability::{
    decided_earlier_witness, deciding_witness, finish, reachable_rules, related, rule_span, verb,
};
use crate::analysis::Context;
use crate::analysis::regions::{rule_label, shadows};
use crate::diagnostics::{CodeInfo, Diagnostic, Level};

pub static INFO: CodeInfo = CodeInfo {
    code: "GC0204",
    name: "partially-shadowed-rule",
    level: Level::Info,
    summary: "some calls a rule matches are decided earlier with another effect",
    doc: "Flags a rule that still decides some calls, while other calls it matches are \
decided by an earlier rule with another effect (first match wins). That is often the \
intent (a narrow deny above a broad allow), but an unintended overlap silently carves \
calls out of the rule. The finding shows one call decided earlier and one the rule still \
decides.\n\n\
```yaml\nrules:\n  - allow: 'github:*_issue'\n  - deny: 'github:delete_*'       # github:delete_issue is allowed above\n```\n\n\
Overlaps with a carve-out that applies to every tool (a pattern starting with `*`, such \
as `*secret*`) are not reported: such rules exist to take their calls out of every later \
rule.\n\n\
Fix: nothing, if the overlap is intended; otherwise move the rule above the earlier one, \
or narrow one of them so that the overlap is explicit.",
};

pub static FINDING: Finding = Finding { info: &INFO, run };

fn run(context: &Context<'_>) -> Vec<Diagnostic> {
    reachable_rules(context)
        .into_iter()
        .filter_map(|(policy, map, rule, reachable)| {
            if reachable.shadowed.is_empty() {
                return None;
            }
            let (earlier, shadower) =
                decided_earlier_witness(policy, map, rule, &reachable.shadowed, |q| {
                    shadows(q, rule)
                })?;
            let still = deciding_witness(policy, map, rule, &reachable.deciding)?;
            let effect = policy.rules.get(shadower)?.effect;
            let diagnostic = Diagnostic::new(
                &INFO,
                rule_span(rule),
                format!(
                    "{} is partly shadowed: {} {} some of its calls first",
                    rule_label(policy, rule.index),
                    rule_label(policy, shadower),
                    verb(effect)
                ),
            )
            .with_label("some of these calls are decided earlier")
            .with_help(format!(
                "if this rule should decide those calls too, move it above {}; otherwise \
                 narrow one of the two rules so that the overlap is explicit",
                rule_label(policy, shadower)
            ));
            let mut diagnostic = finish(diagnostic, rule, vec![earlier, still]);
            diagnostic.related.extend(related(
                policy,
                shadower,
                format!("{} decides part of it first", rule_label(policy, shadower)),
            ));
            Some(diagnostic)
        })
        .collect()
}
