//! Inlay hints: after each rule, what it decides (`allow`, `deny, approvable`) or why it
//! never does (`never decides: rules[4]`); after each `# guardc: expect` comment, the
//! decision the call really gets.

use super::{Analysis, expect};
use crate::analysis::regions::{Reach, rule_label};
use crate::policy::Rule;

/// A hint shown at `offset` (the end of a line).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InlayHint {
    pub offset: usize,
    pub label: String,
}

/// Blockers named in a hint at most; the rest are counted.
const BLOCKERS_SHOWN: usize = 3;

/// Every hint of the document, in order.
pub fn inlay_hints(analysis: &Analysis) -> Vec<InlayHint> {
    let mut hints = Vec::new();
    if let Some(policy) = analysis.policy() {
        for rule in &policy.rules {
            let Some(label) = rule_hint(analysis, rule) else {
                continue;
            };
            hints.push(InlayHint {
                offset: end_of_line(analysis.text(), rule.spans.rule.start),
                label,
            });
        }
    }
    hints.extend(expect::hints(analysis));
    hints.sort_by_key(|h| h.offset);
    hints
}

fn rule_hint(analysis: &Analysis, rule: &Rule) -> Option<String> {
    let policy = analysis.policy()?;
    let reach = analysis.regions.as_ref().map(|m| m.rule(rule.index));
    Some(match reach {
        Some(Reach::Unreachable(blocked)) => {
            let mut names: Vec<String> = blocked
                .blockers
                .iter()
                .take(BLOCKERS_SHOWN)
                .map(|&q| rule_label(policy, q))
                .collect();
            let more = blocked.blockers.len().saturating_sub(BLOCKERS_SHOWN);
            if more > 0 {
                names.push(format!("{more} more"));
            }
            format!("never decides: {}", names.join(", "))
        }
        Some(Reach::Unmatchable) => "never decides: matches no call".to_owned(),
        Some(Reach::Unknown) | None => return None,
        Some(Reach::Reachable(reachable)) => {
            let mut label = rule.effect.as_str().to_owned();
            if rule.hitl_eligible() {
                label.push_str(", approvable");
                if !reachable.preempted.is_empty() {
                    label.push_str(" (partly preempted)");
                }
            }
            if reachable.redundant.is_some() {
                label.push_str(" (redundant)");
            }
            label
        }
    })
}

/// The offset of the end of the line containing `offset` (before `\r\n`).
pub(super) fn end_of_line(text: &str, offset: usize) -> usize {
    let rest = text.get(offset..).unwrap_or("");
    let end = rest.find('\n').map_or(text.len(), |i| offset + i);
    if end > 0 && text.as_bytes().get(end - 1) == Some(&b'\r') {
        end - 1
    } else {
        end
    }
}
