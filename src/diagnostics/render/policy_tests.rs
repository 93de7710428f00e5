//! What `guardc test` prints: a human summary, the JSON document and JUnit XML.

use std::fmt::Write as _;

use serde_json::{Value, json};

use crate::analysis::compare::invariants::Proof;
use crate::analysis::policy_tests::SuiteReport;

/// One suite's report as JSON (version 1).
pub fn suite_json(file: &str, report: &SuiteReport) -> Value {
    let tests: Vec<Value> = report
        .tests
        .iter()
        .map(|t| {
            json!({
                "name": t.name,
                "status": if t.passed { "passed" } else { "failed" },
                "expected": t.expected,
                "actual": t.actual,
            })
        })
        .collect();
    let invariants: Vec<Value> = report
        .invariants
        .iter()
        .map(|i| {
            json!({
                "name": i.name,
                "kind": i.kind.as_str(),
                "status": i.status(),
                "counterexample": i.counterexample,
                "detail": detail(&i.proof),
            })
        })
        .collect();
    let c = &report.coverage;
    json!({
        "version": 1,
        "file": file,
        "tests": tests,
        "invariants": invariants,
        "coverage": {
            "rules": c.rules.len(),
            "exercised": c.exercised,
            "unexercised": c.unexercised,
            "percent": (c.percent() * 10.0).round() / 10.0,
        },
    })
}

fn detail(proof: &Proof) -> Option<String> {
    match proof {
        Proof::Holds | Proof::Violated { .. } => None,
        Proof::Unproven { rules } => Some(format!(
            "depends on gates the analysis does not model, in {}",
            rules
                .iter()
                .map(|r| r.map_or("the default".to_owned(), |i| format!("rules[{i}]")))
                .collect::<Vec<_>>()
                .join(", ")
        )),
        Proof::Incomplete { reason } => Some(format!("proof incomplete: {reason}")),
    }
}

/// The human report of one suite.
pub fn render_suite_human(file: &str, report: &SuiteReport) -> String {
    let mut out = format!("{file}\n");
    for t in &report.tests {
        if t.passed {
            let _ = writeln!(out, "  ok      {}", t.name);
        } else {
            let _ = writeln!(out, "  FAILED  {}", t.name);
            let _ = writeln!(out, "          expected {}", t.expected);
            let _ = writeln!(out, "          actual   {}", t.actual);
        }
    }
    for i in &report.invariants {
        match &i.proof {
            Proof::Holds => {
                let _ = writeln!(out, "  proven  {}", i.name);
            }
            Proof::Violated { call, decision } => {
                let _ = writeln!(out, "  FALSE   {}", i.name);
                let context = if call.context.is_empty() {
                    String::new()
                } else {
                    format!(" context {}", Value::Object(call.context.clone()))
                };
                let by = decision
                    .rule_index()
                    .map_or("no rule (the default)".to_owned(), |r| {
                        format!("rules[{r}]")
                    });
                let eligible = if decision.hitl_eligible {
                    ", approvable"
                } else {
                    ""
                };
                let _ = writeln!(
                    out,
                    "          counterexample {}:{}{context}: {}{eligible} by {by}",
                    call.tool,
                    call.method,
                    decision.effect.as_str()
                );
            }
            proof => {
                let _ = writeln!(
                    out,
                    "  {:<7} {}: {}",
                    i.status().to_uppercase(),
                    i.name,
                    detail(proof).unwrap_or_default()
                );
            }
        }
    }
    let c = &report.coverage;
    let _ = write!(
        out,
        "  coverage: {} of {} reachable rules exercised ({:.0}%)",
        c.exercised.len(),
        c.rules.len(),
        c.percent()
    );
    if c.unexercised.is_empty() {
        out.push('\n');
    } else {
        let list: Vec<String> = c
            .unexercised
            .iter()
            .map(|i| format!("rules[{i}]"))
            .collect();
        let _ = writeln!(out, "; not exercised: {}", list.join(", "));
    }
    out
}

/// JUnit XML for CI test reports: one `testsuite` per test file, tests and invariants as
/// test cases.
pub fn junit(suites: &[(String, SuiteReport)]) -> String {
    let mut out = String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuites>\n");
    for (file, report) in suites {
        let failures = report.tests.iter().filter(|t| !t.passed).count()
            + report
                .invariants
                .iter()
                .filter(|i| i.proof != Proof::Holds)
                .count();
        let _ = writeln!(
            out,
            "  <testsuite name=\"{}\" tests=\"{}\" failures=\"{failures}\">",
            xml(file),
            report.tests.len() + report.invariants.len()
        );
        for t in &report.tests {
            let _ = write!(
                out,
                "    <testcase classname=\"tests\" name=\"{}\"",
                xml(&t.name)
            );
            if t.passed {
                out.push_str("/>\n");
            } else {
                let message = format!("expected {}, actual {}", t.expected, t.actual);
                let _ = writeln!(out, "><failure message=\"{}\"/></testcase>", xml(&message));
            }
        }
        for i in &report.invariants {
            let _ = write!(
                out,
                "    <testcase classname=\"invariants\" name=\"{}\"",
                xml(&i.name)
            );
            if i.proof == Proof::Holds {
                out.push_str("/>\n");
            } else {
                let message = i.counterexample.as_ref().map_or_else(
                    || detail(&i.proof).unwrap_or_default(),
                    |c| format!("counterexample {c}"),
                );
                let _ = writeln!(
                    out,
                    "><failure message=\"{}: {}\"/></testcase>",
                    i.status(),
                    xml(&message)
                );
            }
        }
        out.push_str("  </testsuite>\n");
    }
    out.push_str("</testsuites>\n");
    out
}

fn xml(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}
