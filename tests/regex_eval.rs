//! `matches` conditions through `guardc eval`, as a user runs it: the look-ahead example
//! of the recorded regex vectors decides like the reference, and `--explain` says when a
//! conditions gate was decided fail-closed. The policies are `fixtures/eval/regex/`; the
//! outputs are snapshots, reviewed like code.

#![expect(
    clippy::unwrap_used,
    reason = "tests: a missing fixture or a crashed binary fails the test"
)]

mod common;

use std::path::Path;
use std::process::Command;

use serde_json::Value;

fn guardc_eval(policy: &Path, args: &[&str]) -> String {
    let output = Command::new(env!("CARGO_BIN_EXE_guardc"))
        .arg("eval")
        .arg(policy)
        .args(["--color", "never"])
        .args(args)
        .output()
        .unwrap();
    assert!(output.status.success(), "{output:?}");
    String::from_utf8(output.stdout).unwrap()
}

fn fixture(name: &str) -> std::path::PathBuf {
    common::fixtures().join("eval").join("regex").join(name)
}

/// The recorded look-ahead case (`regex-00`): every request through the CLI, as a JSON
/// decision, must give the reference's effect and policy id.
#[test]
fn lookahead_example_decides_like_the_reference() {
    let doc = common::vector_file("decisions/recorded/regex_semantics.json");
    let case = &doc["cases"][0];
    assert_eq!(
        case["policy"]["rules"][0]["when"]["f"]["value"],
        "^(?!.*--dry-run).*rm -rf"
    );
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join("regex-eval");
    std::fs::create_dir_all(&dir).unwrap();
    let policy = dir.join("lookahead.json");
    std::fs::write(&policy, serde_json::to_string(&case["policy"]).unwrap()).unwrap();
    let requests = case["requests"].as_array().unwrap();
    for (request, expected) in requests.iter().zip(case["expected"].as_array().unwrap()) {
        let context = request["context"].to_string();
        let out = guardc_eval(&policy, &["t", "--context", &context, "--json"]);
        let got: Value = serde_json::from_str(&out).unwrap();
        for field in ["effect", "policy_id", "evaluated_rules"] {
            assert_eq!(got[field], expected[field], "{field} for {request}");
        }
    }
}

#[test]
fn lookahead_example_explained() {
    let policy = fixture("lookahead.yaml");
    let mut out = String::new();
    for command in ["rm -rf /", "rm -rf --dry-run /"] {
        let args = serde_json::json!({ "command": command }).to_string();
        out.push_str(&format!(
            "$ guardc eval lookahead.yaml Bash --args '{args}' --explain\n"
        ));
        out.push_str(&guardc_eval(
            &policy,
            &["Bash", "--args", &args, "--explain"],
        ));
    }
    insta::assert_snapshot!(out);
}

#[test]
fn fail_closed_gates_are_explained() {
    let policy = fixture("fail-closed.yaml");
    let args = r#"{"command":"no dash here"}"#;
    let mut out = format!("$ guardc eval fail-closed.yaml Bash --args '{args}' --explain\n");
    out.push_str(&guardc_eval(
        &policy,
        &["Bash", "--args", args, "--explain"],
    ));
    insta::assert_snapshot!(out);
}
