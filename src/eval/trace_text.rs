//! The text of a decision trace: one line per rule tried, with its effect, patterns and
//! the gate that stopped it, and a `fail-closed:` line under a rule whose regex could not
//! be evaluated exactly. `guardc eval --explain` and the editor's "Decide a call" show the
//! same trace, so it is written once, here.

use std::fmt::Write as _;

use super::{Gate, RuleTrace};
use crate::policy::Policy;

/// The trace's lines, each ending in a newline (no heading).
pub fn trace_lines(policy: &Policy, steps: &[RuleTrace]) -> String {
    let mut text = String::new();
    for step in steps {
        let Some(rule) = policy.rules.get(step.rule_index) else {
            continue;
        };
        let patterns: Vec<&str> = rule.patterns.iter().map(|p| p.raw.as_str()).collect();
        let verdict = match step.failed_gate {
            None => "decides".to_owned(),
            Some(Gate::Action) => "skipped: no pattern matches the subject".to_owned(),
            Some(gate) => format!("skipped: {} gate failed", gate.as_str()),
        };
        // Writing into a String cannot fail.
        let _ = writeln!(
            text,
            "  rules[{}] line {:<4} {:<5} {:<30} {verdict}",
            rule.index,
            rule.line,
            rule.effect.as_str(),
            patterns.join(", ")
        );
        if let Some(why) = step.fail_closed {
            let decided = if step.failed_gate.is_none() {
                "passed"
            } else {
                "failed"
            };
            let _ = writeln!(
                text,
                "    fail-closed: a `matches` pattern could not be evaluated exactly ({}), so the conditions gate counts as {decided} for this {} rule",
                why.describe(),
                rule.effect.as_str()
            );
        }
    }
    text
}
