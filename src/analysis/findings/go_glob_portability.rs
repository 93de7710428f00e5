//! `go-glob-portability`: a pattern that the Go SDK's matcher decides differently, with
//! a string that proves it.
//!
//! The Go SDK matches tool patterns and resources with Go's `path.Match`, where `*` and
//! `?` stop at `/`, `[^x]` negates while `[!x]` does not, `\` escapes, and a malformed
//! bracket makes the whole pattern fail. The same policy file then decides some calls
//! differently in the two SDKs. Each report carries a witness: a subject (or resource)
//! found by [`super::go_witness`] and decided both ways before it is reported.
//!
//! Clients and projects are not checked: the Go SDK has no client or project gate at
//! all (`go-schema-portability` reports that where it opens a rule).

use super::Finding;
use super::go_witness::{Divergence, find_divergence};
use super::support::rule_maps;
use crate::analysis::Context;
use crate::diagnostics::Diagnostic;
use crate::pattern::{Glob, fold_tool_segment};
use crate::source::Span;
use crate::syntax::{Node, NodeKind};

pub use crate::diagnostics::codes::findings::GO_GLOB_PORTABILITY as INFO;

pub static FINDING: Finding = Finding { info: &INFO, run };

/// What a glob is matched against, for the message.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Target {
    Subject,
    Resource,
}

fn run(context: &Context<'_>) -> Vec<Diagnostic> {
    let mut found = tool_patterns(context);
    found.extend(resource_globs(context));
    found
}

fn tool_patterns(context: &Context<'_>) -> Vec<Diagnostic> {
    let Some(policy) = context.policy() else {
        return Vec::new();
    };
    let mut found = Vec::new();
    for rule in &policy.rules {
        for (pattern, span) in rule.patterns.iter().zip(&rule.spans.patterns) {
            if let Some(divergence) = find_divergence(&pattern.glob, is_folded_subject) {
                let shown = Shown {
                    raw: &pattern.raw,
                    matched: pattern.glob.source(),
                    canonical: &pattern.canonical,
                };
                found.push(diagnose(
                    shown,
                    *span,
                    rule.index,
                    Target::Subject,
                    &divergence,
                ));
            }
        }
    }
    found
}

/// A subject a runtime can send, after folding: a non-empty tool before the first `:`,
/// already case-folded.
fn is_folded_subject(candidate: &str) -> bool {
    candidate.find(':').is_some_and(|colon| colon > 0)
        && matches!(fold_tool_segment(candidate), std::borrow::Cow::Borrowed(_))
}

/// Resource globs as written (both `resources` and `resource`; the exact element `*`
/// means "any resource, or none" to both SDKs and is skipped).
fn resource_globs(context: &Context<'_>) -> Vec<Diagnostic> {
    let mut found = Vec::new();
    for rule in rule_maps(context) {
        for key in ["resources", "resource"] {
            let Some(value) = rule.map.get(key) else {
                continue;
            };
            for node in string_nodes(value) {
                let Some(text) = node.as_str().filter(|text| *text != "*") else {
                    continue;
                };
                let glob = Glob::parse(text);
                if let Some(divergence) = find_divergence(&glob, |s| !s.is_empty()) {
                    let shown = Shown {
                        raw: text,
                        matched: text,
                        canonical: text,
                    };
                    found.push(diagnose(
                        shown,
                        node.span,
                        rule.index,
                        Target::Resource,
                        &divergence,
                    ));
                }
            }
        }
    }
    found
}

fn string_nodes(value: &Node) -> Vec<&Node> {
    match &value.kind {
        NodeKind::Str(_) => vec![value],
        NodeKind::Seq(items) => items
            .iter()
            .filter(|item| item.as_str().is_some())
            .collect(),
        _ => Vec::new(),
    }
}

/// A pattern as written, as matched (canonical, tool segment folded), and in
/// canonical form as written (shown when it differs from the raw text).
#[derive(Debug, Clone, Copy)]
struct Shown<'a> {
    raw: &'a str,
    matched: &'a str,
    canonical: &'a str,
}

fn diagnose(
    shown: Shown<'_>,
    span: Span,
    rule: usize,
    target: Target,
    divergence: &Divergence,
) -> Diagnostic {
    let raw = if shown.canonical == shown.raw {
        format!("`{}`", shown.raw)
    } else {
        format!("`{}` (that is, `{}`)", shown.raw, shown.canonical)
    };
    let what = match target {
        Target::Subject => format!("the call `{}`", divergence.subject),
        Target::Resource => format!("the resource `{}`", divergence.subject),
    };
    let message = match (divergence.here, divergence.go) {
        (true, None) => format!(
            "{raw} matches {what} here, but the Go SDK rejects the pattern and matches nothing"
        ),
        (true, _) => format!("{raw} matches {what} here but not in the Go SDK"),
        (false, _) => format!("{raw} does not match {what} here but does in the Go SDK"),
    };
    Diagnostic::new(&INFO, span, message)
        .with_rule(rule)
        .with_label("Go's `path.Match` reads this pattern differently")
        .with_help(hints(shown.matched, target, divergence).join("; "))
}

/// Which of the known differences are at work, as advice.
fn hints(matched: &str, target: Target, divergence: &Divergence) -> Vec<&'static str> {
    let mut hints = Vec::new();
    if divergence.go.is_none() {
        hints.push(
            "Go rejects malformed brackets (`]` as the first member, `-` at either end, an \
             unclosed `[`): rewrite the bracket expression",
        );
    }
    if divergence.subject.contains('/') && matched.contains(['*', '?']) {
        hints.push(match target {
            Target::Resource => {
                "in Go `*` and `?` stop at `/`: cover deeper paths with one `/*` per level if \
                 the Go SDK enforces this policy too"
            }
            Target::Subject => {
                "in Go `*` and `?` stop at `/`, so calls whose method contains a `/` (a path, \
                 a URL) escape this pattern there; if the Go SDK enforces this policy too, do \
                 not rely on it for such calls (no Go pattern crosses `/`)"
            }
        });
    }
    if matched.contains("[^") || matched.contains("[!") {
        hints.push(
            "`[!...]` negates only here and `[^...]` only in Go: list the characters you mean \
             instead of negating",
        );
    }
    if matched.contains('\\') {
        hints.push(
            "`\\` escapes in Go only: write a literal backslash as `[\\\\]`, which both read alike",
        );
    }
    if hints.is_empty() {
        hints.push("write the pattern so that both matchers read it alike");
    }
    hints
}
