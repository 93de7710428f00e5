//! Deciding a call in the editor: the "Decide a call…" code lens and command, which
//! show what `guardc eval --explain` prints for the document being edited (unsaved text
//! included).

use std::fmt::Write as _;

use super::Analysis;
use crate::eval::{DecisionRecord, Request, trace};
use crate::policy::{Effect, Policy};
use crate::python::str_repr;
use crate::source::Span;

/// The command the code lens runs; the client asks for the call and sends it back as
/// `guardc.decide` (see the `lsp` shell).
pub const DECIDE_COMMAND: &str = "guardc.decideCall";

/// A code lens: a clickable line above `span`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CodeLens {
    pub span: Span,
    pub title: String,
    pub command: &'static str,
}

/// The decision of one call, as text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DecideOutcome {
    pub effect: Effect,
    pub rule_index: Option<usize>,
    pub hitl_eligible: bool,
    /// The summary and the trace, as `guardc eval --explain` prints them.
    pub text: String,
}

/// Split `Bash:sudo ls` into the tool and the method a hook integration would send
/// (`Bash`, `sudo ls`); a call without `:` has the method `*`.
pub fn parse_call(text: &str) -> (&str, &str) {
    let text = text.trim();
    match text.split_once(':') {
        Some((tool, method)) => (tool, method),
        None => (text, "*"),
    }
}

/// `guard('Bash', method='sudo ls')`: how a call reads in the Python SDK, written like
/// the witnesses of findings.
pub fn call_text(text: &str) -> String {
    let (tool, method) = parse_call(text);
    format!("guard({}, method={})", str_repr(tool), str_repr(method))
}

/// Decide `call` (`Bash:sudo ls`) against the document; `None` when it did not load.
pub fn decide_call(analysis: &Analysis, call: &str) -> Option<DecideOutcome> {
    let policy = analysis
        .policy()
        .filter(|_| !analysis.loaded.has_errors())?;
    let (tool, method) = parse_call(call);
    let request = Request {
        tool,
        method,
        context: None,
        args: None,
    };
    let (decision, steps) = trace(policy, &request);
    let record = DecisionRecord::new(&decision, policy, &request);
    let mut text = format!("{}  {}:{}\n", record.effect, tool, method);
    let rule = match (record.rule_index, record.line) {
        (Some(index), Some(line)) => format!(" (rules[{index}], line {line})"),
        _ => String::new(),
    };
    let _ = writeln!(
        text,
        "  policy_id:       {}{rule}",
        record.policy_id.unwrap_or("null")
    );
    let _ = writeln!(text, "  reason:          {}", record.reason);
    let _ = writeln!(text, "  reason_code:     {}", record.reason_code);
    let _ = writeln!(text, "  hitl_eligible:   {}", record.hitl_eligible);
    text.push_str("trace:\n");
    text.push_str(&trace_lines(policy, &steps));
    Some(DecideOutcome {
        effect: decision.effect,
        rule_index: decision.rule_index(),
        hitl_eligible: decision.hitl_eligible,
        text,
    })
}

/// The evaluator's trace text, and a last line when no rule decides.
fn trace_lines(policy: &Policy, steps: &[crate::eval::RuleTrace]) -> String {
    let mut text = crate::eval::trace_lines(policy, steps);
    if steps.iter().all(|s| s.failed_gate.is_some()) {
        text.push_str("  no rule decides: the default applies\n");
    }
    text
}

/// The "Decide a call…" lens, on the `rules:` key.
pub fn code_lenses(analysis: &Analysis) -> Vec<CodeLens> {
    let rules = analysis
        .model()
        .document
        .as_ref()
        .and_then(crate::syntax::Node::as_map)
        .and_then(|root| root.entry("rules"));
    match (rules, analysis.policy()) {
        (Some(entry), Some(_)) => vec![CodeLens {
            span: entry.key.span,
            title: "Decide a call…".to_owned(),
            command: DECIDE_COMMAND,
        }],
        _ => Vec::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn calls_split_at_the_first_colon() {
        assert_eq!(parse_call("Bash:sudo ls"), ("Bash", "sudo ls"));
        assert_eq!(parse_call("github:a:b"), ("github", "a:b"));
        assert_eq!(parse_call(" Read "), ("Read", "*"));
    }
}
