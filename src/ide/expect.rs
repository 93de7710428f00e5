//! `# guardc: expect deny Bash:sudo ls` comments: a call and the decision its author
//! expects, checked on every analysis. The result is an inlay hint after the comment;
//! a mismatch is a diagnostic (`expectation-mismatch`), so a policy can carry its own
//! small test suite that the editor runs while it is edited.
//!
//! Syntax: `# guardc: expect EFFECT [approvable] TOOL[:METHOD]`, as a whole-line comment
//! or at the end of a line. The call is split at its first `:` into tool and method
//! (`Bash` alone is the method `*`), as a hook integration sends it.

use super::Analysis;
use super::decide::{call_text, parse_call};
use super::hover::Hover;
use super::inlay::{InlayHint, end_of_line};
use crate::analysis::regions::rule_label;
use crate::diagnostics::Diagnostic;
use crate::diagnostics::codes::comments::EXPECTATION_MISMATCH;
use crate::eval::{Decision, Request, interpret};
use crate::policy::{Effect, LoadResult};
use crate::source::Span;

/// One expectation comment and what the document does with its call.
#[derive(Debug, Clone, PartialEq)]
pub struct Expectation {
    /// The comment's text after `#`.
    pub span: Span,
    /// `None` when the comment could not be read.
    pub expected: Option<Expected>,
    /// The decision of the call, when the document loads.
    pub actual: Option<Decision>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Expected {
    pub effect: Effect,
    /// Only checked when written.
    pub approvable: Option<bool>,
    pub call: String,
}

impl Expectation {
    /// Whether the call's decision is the expected one (`None`: nothing to compare).
    pub fn holds(&self) -> Option<bool> {
        let expected = self.expected.as_ref()?;
        let actual = self.actual?;
        Some(
            actual.effect == expected.effect
                && expected
                    .approvable
                    .is_none_or(|approvable| approvable == actual.hitl_eligible),
        )
    }
}

const MARKER: &str = "guardc: expect";

/// Read and decide every expectation comment of a loaded document.
pub fn check_expectations(loaded: &LoadResult) -> Vec<Expectation> {
    let text = loaded.source.text();
    if !text.contains(MARKER) {
        return Vec::new();
    }
    let mut found = Vec::new();
    let mut line_start = 0;
    for line in text.split('\n') {
        if let Some(at) = comment_start(line) {
            let body_start = line_start + at + 1;
            let body = line.get(at + 1..).unwrap_or("").trim_end();
            if let Some(rest) = body.trim_start().strip_prefix(MARKER) {
                let lead = body.len() - body.trim_start().len();
                let span = Span::new(body_start + lead, body_start + body.len());
                let expected = parse_expected(rest);
                let actual = match (&loaded.policy, &expected) {
                    (Some(policy), Some(expected)) if !loaded.has_errors() => {
                        let (tool, method) = parse_call(&expected.call);
                        let request = Request {
                            tool,
                            method,
                            context: None,
                            args: None,
                        };
                        Some(interpret(policy, &request))
                    }
                    _ => None,
                };
                found.push(Expectation {
                    span,
                    expected,
                    actual,
                });
            }
        }
        line_start += line.len() + 1;
    }
    found
}

/// Where a `#` comment starts on a line: at the start or after a blank, outside quotes.
fn comment_start(line: &str) -> Option<usize> {
    let mut quote = None;
    let mut previous = ' ';
    for (i, c) in line.char_indices() {
        match quote {
            Some(q) if c == q => quote = None,
            Some(_) => {}
            None if c == '\'' || c == '"' => quote = Some(c),
            None if c == '#' && (previous == ' ' || previous == '\t') => return Some(i),
            None => {}
        }
        previous = c;
    }
    None
}

fn parse_expected(rest: &str) -> Option<Expected> {
    let mut words = rest.split_whitespace();
    let effect = Effect::parse(words.next()?.trim_end_matches(','))?;
    let mut call: Vec<&str> = words.collect();
    let approvable = match call.first().copied() {
        Some("approvable") => Some(true),
        Some("hard") | Some("not-approvable") => Some(false),
        _ => None,
    };
    if approvable.is_some() {
        call.remove(0);
    }
    if call.is_empty() {
        return None;
    }
    Some(Expected {
        effect,
        approvable,
        call: call.join(" "),
    })
}

/// `deny by rules[2] (no-sudo), approvable`.
fn decision_text(analysis_policy: Option<&crate::policy::Policy>, decision: &Decision) -> String {
    let mut text = decision.effect.as_str().to_owned();
    match (decision.rule_index(), analysis_policy) {
        (Some(index), Some(policy)) => {
            text.push_str(" by ");
            text.push_str(&rule_label(policy, index));
        }
        _ => text.push_str(" by the no-match default"),
    }
    if decision.hitl_eligible {
        text.push_str(", approvable");
    }
    text
}

fn expected_text(expected: &Expected) -> String {
    let mut text = expected.effect.as_str().to_owned();
    match expected.approvable {
        Some(true) => text.push_str(", approvable"),
        Some(false) => text.push_str(", not approvable"),
        None => {}
    }
    text
}

/// The diagnostics of expectations that do not hold or cannot be read.
pub fn mismatches(expectations: &[Expectation]) -> Vec<Diagnostic> {
    expectations
        .iter()
        .filter_map(|e| match (&e.expected, e.holds()) {
            (None, _) => Some(
                Diagnostic::new(
                    &EXPECTATION_MISMATCH,
                    e.span,
                    "malformed expectation comment",
                )
                .with_label("expected `guardc: expect EFFECT [approvable] TOOL:METHOD`")
                .with_help(
                    "write the effect (allow, deny or warn), optionally `approvable`, then \
                         the call: `# guardc: expect deny Bash:sudo ls`",
                ),
            ),
            (Some(expected), Some(false)) => {
                let actual = e.actual?;
                let mut diagnostic = Diagnostic::new(
                    &EXPECTATION_MISMATCH,
                    e.span,
                    format!(
                        "`{}` is expected to get {}, but gets {}",
                        expected.call,
                        expected_text(expected),
                        decision_text(None, &actual)
                            .replace(" by the no-match default", " (no rule matches)")
                    ),
                )
                .with_label("this expectation does not hold")
                .with_help(
                    "change the rules so that the call gets the expected decision, or correct \
                     the expectation",
                );
                if let Some(index) = actual.rule_index() {
                    diagnostic = diagnostic.with_rule(index);
                }
                Some(diagnostic)
            }
            _ => None,
        })
        .collect()
}

/// The hint after each expectation: the real decision, marked as holding or not.
pub fn hints(analysis: &Analysis) -> Vec<InlayHint> {
    analysis
        .expectations
        .iter()
        .filter_map(|e| {
            let actual = e.actual?;
            let mark = if e.holds()? { "✓" } else { "✗" };
            Some(InlayHint {
                offset: end_of_line(analysis.text(), e.span.start),
                label: format!("{mark} {}", decision_text(analysis.policy(), &actual)),
            })
        })
        .collect()
}

/// Hover on an expectation: the call as decided, with the trace.
pub fn hover(analysis: &Analysis, offset: usize) -> Option<Hover> {
    let e = analysis
        .expectations
        .iter()
        .find(|e| e.span.start <= offset && offset <= e.span.end)?;
    let expected = e.expected.as_ref()?;
    let outcome = super::decide::decide_call(analysis, &expected.call)?;
    Some(Hover {
        span: e.span,
        markdown: format!(
            "`{}`\n\n```text\n{}```",
            call_text(&expected.call),
            outcome.text
        ),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn expectations_read_effect_approval_and_call() {
        let parsed = parse_expected(" deny approvable Bash:sudo ls").unwrap();
        assert_eq!(parsed.effect, Effect::Deny);
        assert_eq!(parsed.approvable, Some(true));
        assert_eq!(parsed.call, "Bash:sudo ls");
        assert_eq!(parse_expected(" maybe Bash"), None);
        assert_eq!(comment_start("  - deny: 'a # b' # guardc"), Some(18));
    }
}
