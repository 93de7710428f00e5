//! The CI gates end to end: `guardc diff` and `guardc test` as a CI job runs them, and
//! the commands of `action.yml` and `.pre-commit-hooks.yaml` run exactly as written (read
//! from the files) in a scratch git repository, with the built binary on `PATH` in place
//! of the action's install step.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    reason = "a failed check fails the test"
)]

use std::path::{Path, PathBuf};
use std::process::Command;

use guardc::source::SourceFile;
use guardc::syntax::{Limits, Node, NodeKind, Syntax, parse};
use serde_json::Value;

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn guardc(dir: &Path, args: &[&str]) -> (i32, String, String) {
    let output = Command::new(env!("CARGO_BIN_EXE_guardc"))
        .args(args)
        .current_dir(dir)
        .env("NO_COLOR", "1")
        .output()
        .unwrap();
    (
        output.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&output.stdout).into_owned(),
        String::from_utf8_lossy(&output.stderr).into_owned(),
    )
}

const APPROVAL: &str = include_str!("../examples/approval.yaml");

/// The seed policy with `allow: 'Bash:*'` moved first.
fn allow_moved_first() -> String {
    let (head, rules) = APPROVAL.split_once("rules:\n").unwrap();
    let (deny, allow) = rules.split_once("  - allow: 'Bash:*'").unwrap();
    format!("{head}rules:\n  - allow: 'Bash:*'{allow}{deny}")
}

fn scratch(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("guardc-gates-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

#[test]
fn moving_the_allow_first_is_one_newly_allowed_change() {
    let dir = scratch("moved");
    std::fs::write(dir.join("old.yaml"), APPROVAL).unwrap();
    std::fs::write(dir.join("new.yaml"), allow_moved_first()).unwrap();
    let (code, out, _) = guardc(&dir, &["diff", "old.yaml", "new.yaml", "--format", "json"]);
    assert_eq!(code, 0, "no --fail-on: exit 0");
    let report: Value = serde_json::from_str(&out).unwrap();
    let changes = report["changes"].as_array().unwrap();
    assert_eq!(changes.len(), 1, "{out}");
    let change = &changes[0];
    assert_eq!(change["class"], "newly-allowed");
    assert_eq!(change["old_rule_index"], 0);
    assert_eq!(change["new_rule_index"], 0);
    assert_eq!(change["witness"]["tool"], "Bash");
    assert!(
        change["witness"]["method"]
            .as_str()
            .unwrap()
            .starts_with("sudo ")
    );
    assert_eq!(change["old_decision"]["effect"], "deny");
    assert_eq!(change["old_decision"]["hitl_eligible"], true);
    assert_eq!(change["new_decision"]["effect"], "allow");
    let (code, out, _) = guardc(
        &dir,
        &["diff", "old.yaml", "new.yaml", "--fail-on", "newly-allowed"],
    );
    assert_eq!(code, 1, "{out}");
    insta::assert_snapshot!("diff_human_moved", out);
    let (code, _, _) = guardc(
        &dir,
        &["diff", "old.yaml", "new.yaml", "--fail-on", "to-warn"],
    );
    assert_eq!(code, 0);
    let (code, out, _) = guardc(&dir, &["diff", "old.yaml", "new.yaml", "--format", "sarif"]);
    assert_eq!(code, 0);
    assert!(out.contains("GC0701"), "{out}");
    let (code, out, _) = guardc(&dir, &["diff", "old.yaml", "old.yaml"]);
    assert_eq!((code, out.as_str()), (0, "no decision changes\n"));
}

#[test]
fn diff_load_errors_and_bad_flags_exit_2() {
    let dir = scratch("errors");
    std::fs::write(dir.join("old.yaml"), APPROVAL).unwrap();
    std::fs::write(dir.join("broken.yaml"), "version: '1'\nrules: []\n").unwrap();
    let (code, _, err) = guardc(&dir, &["diff", "old.yaml", "broken.yaml"]);
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("GC0108"), "{err}");
    let (code, _, err) = guardc(
        &dir,
        &["diff", "old.yaml", "old.yaml", "--fail-on", "newly-alowed"],
    );
    assert_eq!(code, 2);
    assert!(err.contains("unknown change class"), "{err}");
    let (code, _, err) = guardc(&dir, &["diff", "nope:old.yaml", "old.yaml"]);
    assert_eq!(code, 2, "{err}");
}

#[test]
fn policy_tests_pass_on_the_examples_and_fail_with_counterexamples() {
    let (code, out, err) = guardc(&root(), &["test", "examples/"]);
    assert_eq!(code, 0, "{out}{err}");
    let (code, out, _) = guardc(
        &root(),
        &["test", "examples/approval.test.yaml", "--format", "json"],
    );
    assert_eq!(code, 0);
    let report: Value = serde_json::from_str(&out).unwrap();
    assert_eq!(report["invariants"][0]["status"], "proven");
    assert_eq!(report["coverage"]["unexercised"], serde_json::json!([]));
    let (code, out, _) = guardc(
        &root(),
        &["test", "fixtures/gates/false-invariant.test.yaml"],
    );
    assert_eq!(code, 1);
    insta::assert_snapshot!("test_human_failing", out);
    let (code, out, _) = guardc(
        &root(),
        &[
            "test",
            "fixtures/gates/false-invariant.test.yaml",
            "--format",
            "junit",
        ],
    );
    assert_eq!(code, 1);
    assert!(
        out.contains("<failure message=\"violated: counterexample"),
        "{out}"
    );
    let (code, _, _) = guardc(
        &root(),
        &[
            "test",
            "examples/data-platform.test.yaml",
            "--min-coverage",
            "100",
        ],
    );
    assert_eq!(code, 1, "rules[3] of data-platform is not exercised");
}

#[test]
fn bad_test_files_get_diagnostics() {
    let (code, _, err) = guardc(&root(), &["test", "fixtures/gates/bad-test-file.test.yaml"]);
    assert_eq!(code, 2);
    insta::assert_snapshot!("test_bad_file", err);
    let (code, _, err) = guardc(&root(), &["test", "fixtures/gates/unknown-rule.test.yaml"]);
    assert_eq!(code, 2);
    assert!(
        err.contains("GC0712") && err.contains("no-such-rule"),
        "{err}"
    );
}

#[test]
fn generated_tests_pass() {
    let dir = scratch("generate");
    std::fs::write(
        dir.join("controlzero.yaml"),
        include_str!("../examples/coding-agent.yaml"),
    )
    .unwrap();
    let (code, out, _) = guardc(&dir, &["test", "--generate", "controlzero.yaml"]);
    assert_eq!(code, 0);
    std::fs::write(dir.join("controlzero.test.yaml"), out).unwrap();
    let (code, out, err) = guardc(&dir, &["test"]);
    assert_eq!(code, 0, "{out}{err}");
    assert!(out.contains("(100%)"), "{out}");
}

/// `key` of a mapping node.
fn get<'n>(node: &'n Node, key: &str) -> Option<&'n Node> {
    node.as_map()?
        .entries
        .iter()
        .find(|e| e.key.as_str() == Some(key))
        .map(|e| &e.value)
}

fn read_yaml(path: &Path) -> Node {
    let source = SourceFile::new(
        path.display().to_string(),
        std::fs::read_to_string(path).unwrap(),
    );
    let parsed = parse(&source, Syntax::Yaml, &Limits::DEFAULT);
    assert!(parsed.diagnostics.is_empty(), "{:?}", parsed.diagnostics);
    parsed.root.unwrap()
}

fn git(dir: &Path, args: &[&str]) {
    let status = Command::new("git")
        .args([
            "-c",
            "user.name=t",
            "-c",
            "user.email=t@example.com",
            "-c",
            "init.defaultBranch=main",
        ])
        .args(args)
        .current_dir(dir)
        .output()
        .unwrap();
    assert!(
        status.status.success(),
        "git {args:?}: {}",
        String::from_utf8_lossy(&status.stderr)
    );
}

/// A repository whose `main` has the seed policy and its tests, and a branch `change`
/// with `new_policy`.
fn repository(name: &str, new_policy: &str) -> PathBuf {
    let dir = scratch(name);
    git(&dir, &["init", "-q"]);
    std::fs::write(dir.join("controlzero.yaml"), APPROVAL).unwrap();
    let tests = include_str!("../examples/approval.test.yaml")
        .replace("policy: approval.yaml", "policy: controlzero.yaml");
    std::fs::write(dir.join("controlzero.test.yaml"), tests).unwrap();
    git(&dir, &["add", "."]);
    git(&dir, &["commit", "-qm", "seed"]);
    git(&dir, &["checkout", "-qb", "change"]);
    std::fs::write(dir.join("controlzero.yaml"), new_policy).unwrap();
    git(&dir, &["commit", "-qam", "change"]);
    dir
}

/// Runs every `run` step of action.yml but the install, as GitHub runs a composite bash
/// step; returns each step's name, exit code and output.
fn run_action(dir: &Path) -> Vec<(String, i32, String)> {
    let action = read_yaml(&root().join("action.yml"));
    let steps = get(get(&action, "runs").unwrap(), "steps").unwrap();
    let NodeKind::Seq(steps) = &steps.kind else {
        panic!("steps is not a list")
    };
    let bin = PathBuf::from(env!("CARGO_BIN_EXE_guardc"));
    let path = format!(
        "{}:{}",
        bin.parent().unwrap().display(),
        std::env::var("PATH").unwrap()
    );
    let inputs = [
        ("POLICY", "controlzero.yaml"),
        ("BASE_REF", "main"),
        ("FAIL_ON", "newly-allowed,no-longer-approvable"),
        ("MIN_COVERAGE", "100"),
    ];
    let mut results = Vec::new();
    for step in steps {
        let name = get(step, "name").and_then(Node::as_str).unwrap().to_owned();
        let Some(script) = get(step, "run").and_then(Node::as_str) else {
            continue;
        };
        if name == "Install guardc" {
            assert!(script.contains("cargo install --locked"), "{script}");
            continue;
        }
        let mut command = Command::new("bash");
        command.args(["--noprofile", "--norc", "-eo", "pipefail", "-c", script]);
        command
            .current_dir(dir)
            .env("PATH", &path)
            .env("RUNNER_TEMP", dir)
            .env("NO_COLOR", "1");
        if let Some(env) = get(step, "env").and_then(Node::as_map) {
            for entry in &env.entries {
                let key = entry.key.as_str().unwrap();
                let value = inputs
                    .iter()
                    .find(|(k, _)| *k == key)
                    .unwrap_or_else(|| panic!("the test sets no {key}"))
                    .1;
                command.env(key, value);
            }
        }
        let output = command.output().unwrap();
        let text = format!(
            "{}{}",
            String::from_utf8_lossy(&output.stdout),
            String::from_utf8_lossy(&output.stderr)
        );
        results.push((name, output.status.code().unwrap_or(-1), text));
    }
    results
}

#[test]
fn the_action_passes_an_audit_only_change() {
    let reworded = APPROVAL.replace("sudo requires admin approval", "ask an admin");
    let dir = repository("action-ok", &reworded);
    let results = run_action(&dir);
    let names: Vec<&str> = results.iter().map(|r| r.0.as_str()).collect();
    assert_eq!(names, ["guardc check", "guardc diff", "guardc test"]);
    for (name, code, text) in &results {
        assert_eq!(*code, 0, "{name}: {text}");
    }
    assert!(
        dir.join("guardc.sarif").exists(),
        "the SARIF file the upload step reads"
    );
}

#[test]
fn the_action_fails_a_newly_allowed_change() {
    let dir = repository("action-fail", &allow_moved_first());
    let results = run_action(&dir);
    let (_, code, text) = results.iter().find(|r| r.0 == "guardc diff").unwrap();
    assert_eq!(*code, 1, "{text}");
    assert!(
        text.contains("::warning") && text.contains("newly-allowed"),
        "{text}"
    );
    let (_, code, text) = results.iter().find(|r| r.0 == "guardc test").unwrap();
    assert_eq!(*code, 1, "the seed's tests fail on the change: {text}");
}

#[test]
fn the_pre_commit_hooks_run_as_defined() {
    let hooks = read_yaml(&root().join(".pre-commit-hooks.yaml"));
    let NodeKind::Seq(hooks) = &hooks.kind else {
        panic!("hooks is not a list")
    };
    let dir = scratch("hooks");
    std::fs::write(dir.join("controlzero.yaml"), APPROVAL).unwrap();
    let tests = include_str!("../examples/approval.test.yaml")
        .replace("policy: approval.yaml", "policy: controlzero.yaml");
    std::fs::write(dir.join("controlzero.test.yaml"), tests).unwrap();
    std::fs::create_dir_all(dir.join("broken")).unwrap();
    std::fs::write(
        dir.join("broken/controlzero.yaml"),
        "version: '1'\nrules: []\n",
    )
    .unwrap();
    for hook in hooks {
        let id = get(hook, "id").and_then(Node::as_str).unwrap();
        let entry = get(hook, "entry").and_then(Node::as_str).unwrap();
        let files = get(hook, "files").and_then(Node::as_str).unwrap();
        let pass_filenames = !matches!(
            get(hook, "pass_filenames").map(|n| &n.kind),
            Some(NodeKind::Bool(false))
        );
        let mut words: Vec<&str> = entry.split_whitespace().collect();
        assert_eq!(words.remove(0), "guardc", "{id}");
        for (file, ok) in [
            ("controlzero.yaml", true),
            ("broken/controlzero.yaml", false),
        ] {
            let matches = regex_lite_match(files, file);
            assert!(matches, "{id}: {files} should match {file}");
            let mut args = words.clone();
            if pass_filenames {
                args.push(file);
            } else if !ok {
                continue;
            }
            let (code, out, err) = guardc(&dir, &args);
            assert_eq!(code == 0, ok, "{id} on {file}: {out}{err}");
        }
    }
}

/// The hooks' `files` patterns are anchored alternatives over file names; this checks
/// them with the regex engine the analyzer already depends on.
fn regex_lite_match(pattern: &str, path: &str) -> bool {
    regex_automata::meta::Regex::new(pattern)
        .unwrap()
        .is_match(path)
}
