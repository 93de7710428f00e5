//! What guardc prints for hostile policies: control characters from the policy never
//! reach the terminal raw (human, GitHub, JSON, SARIF, and the other commands' output),
//! long lines are shown as windows, and human output stays bounded however many
//! findings a document has.
//!
//! The fixtures are under `fixtures/hostile/` (see its README); the large documents are
//! generated here, in the shapes machine-written policies have (one line of JSON).

#![expect(
    clippy::unwrap_used,
    reason = "test helpers: a missing fixture or a failed run fails the test"
)]

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use guardc::check::{CheckOptions, CheckReport, check_json, check_source};
use guardc::diagnostics::render::{
    FileReport, HumanOptions, github_annotations, is_control, json_string, render_human,
    sarif_report,
};
use guardc::source::SourceFile;
use serde_json::Value;

const ESCAPES: &str = "fixtures/hostile/terminal-escapes.yaml";
const RAW_CONTROLS: &str = "fixtures/hostile/raw-controls.yaml";
const RAW_CONTROLS_JSON: &str = "fixtures/hostile/raw-controls.json";

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

fn fixture(path: &str) -> SourceFile {
    SourceFile::new(path, std::fs::read_to_string(root().join(path)).unwrap())
}

fn check(source: SourceFile) -> CheckReport {
    check_source(source, &CheckOptions::default())
}

fn human(report: &CheckReport) -> String {
    render_human(&report.file_report(), HumanOptions::default())
}

/// The control characters in a text other than the line breaks and tabs of its layout.
fn controls(text: &str) -> Vec<char> {
    text.chars().filter(|&c| is_control(c)).collect()
}

/// A fresh directory under the target directory's scratch space.
fn scratch(name: &str) -> PathBuf {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join(format!("hostile-{name}"));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

fn guardc(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_guardc"))
        .args(args)
        .current_dir(root())
        .output()
        .unwrap()
}

fn stdout(output: &Output) -> String {
    String::from_utf8(output.stdout.clone()).unwrap()
}

fn stderr(output: &Output) -> String {
    String::from_utf8(output.stderr.clone()).unwrap()
}

// --- control characters --------------------------------------------------------------

/// ESC, BEL, C1 and bidi controls, from YAML escapes in an id, a pattern and a reason,
/// raw in comments (which the reader refuses, pointing at them) and raw in JSON strings
/// before a labelled pattern, show as `<U+XXXX>` in messages, labels, help and snippets,
/// with the underlines under what they label; witnesses are Python calls with Python
/// escapes.
#[test]
fn human_output_escapes_control_characters() {
    for (name, path) in [
        ("escapes", ESCAPES),
        ("raw_controls", RAW_CONTROLS),
        ("raw_controls_json", RAW_CONTROLS_JSON),
    ] {
        let report = check(fixture(path));
        let text = human(&report);
        assert_eq!(controls(&text), Vec::<char>::new(), "{path}");
        assert!(text.contains("<U+00"), "{path}");
        insta::assert_snapshot!(format!("human_{name}"), text);
    }
}

#[test]
fn github_annotations_escape_control_characters() {
    let reports = [
        check(fixture(ESCAPES)),
        check(fixture(RAW_CONTROLS)),
        check(fixture(RAW_CONTROLS_JSON)),
    ];
    let files: Vec<FileReport<'_>> = reports.iter().map(CheckReport::file_report).collect();
    let text = github_annotations(&files);
    assert_eq!(controls(&text), Vec::<char>::new());
    insta::assert_snapshot!("github_escapes", text);
}

/// The JSON and SARIF reports keep the policy's characters (a tool reading them sees
/// what the policy says) and write every control character as a `\u` escape.
#[test]
fn json_reports_keep_values_and_escape_controls() {
    let report = check(fixture(ESCAPES));
    let reports = [report];
    let files: Vec<FileReport<'_>> = reports.iter().map(CheckReport::file_report).collect();
    for (text, messages) in [
        (
            json_string(&check_json(&reports, false), false),
            "/files/0/diagnostics",
        ),
        (json_string(&sarif_report(&files), true), "/runs/0/results"),
    ] {
        assert_eq!(controls(&text), Vec::<char>::new());
        for escape in ["\\u001b", "\\u0007", "\\u202e", "\\u009b", "\\u007f"] {
            assert!(text.contains(escape), "{escape} in {text}");
        }
        let value: Value = serde_json::from_str(&text).unwrap();
        let all = value.pointer(messages).unwrap().to_string();
        assert!(all.contains("\\u001b]0;pwned\\u0007"), "{all}");
    }
}

/// The other commands print policy text too: `eval`'s summary and trace, `eval --json`,
/// `build`'s diagnostics and `inspect --rules`.
#[test]
fn commands_escape_control_characters() {
    let dir = scratch("commands");
    let bundle = dir.join("p.bundle");
    let bundle = bundle.to_str().unwrap();
    let runs = [
        guardc(&["eval", ESCAPES, "Bash:\u{1b}]0;pwned\u{7}x", "--explain"]),
        guardc(&["eval", ESCAPES, "Bash:\u{1b}]0;pwned\u{7}x", "--json"]),
        guardc(&["check", "--color", "never", RAW_CONTROLS, RAW_CONTROLS_JSON]),
        guardc(&["build", ESCAPES, "-o", bundle]),
        guardc(&["build", ESCAPES, "-o", bundle, "--allow-findings"]),
        guardc(&["inspect", bundle, "--rules"]),
    ];
    for run in &runs {
        assert_eq!(
            controls(&stdout(run)),
            Vec::<char>::new(),
            "{}",
            stdout(run)
        );
        assert_eq!(
            controls(&stderr(run)),
            Vec::<char>::new(),
            "{}",
            stderr(run)
        );
        assert_ne!(run.status.code(), Some(101), "{}", stderr(run));
    }
    let explained = stdout(&runs[0]);
    assert!(
        explained.contains("reason:          blocked <U+001B>[8m"),
        "{explained}"
    );
    assert!(
        explained.contains("Bash:<U+001B>]0;pwned<U+0007>*"),
        "{explained}"
    );
    let record: Value = serde_json::from_str(&stdout(&runs[1])).unwrap();
    assert_eq!(
        record["reason"],
        "blocked \u{1b}[8m by policy \u{202e}exe.gnp\u{202c}\u{9b}"
    );
    assert!(stderr(&runs[3]).contains("rules[0] (clear<U+001B>[2J<U+001B>[H)"));
    assert!(stdout(&runs[5]).contains("clear<U+001B>[2J<U+001B>[H"));
}

// --- long lines and many findings ------------------------------------------------------

/// A one-line JSON policy of `rules` (each a JSON object), as `json.dump` writes it.
fn one_line_policy(rules: impl Iterator<Item = String>) -> String {
    let rules: Vec<String> = rules.collect();
    format!(r#"{{"version": "1", "rules": [{}]}}"#, rules.join(", "))
}

/// A finding far into a long line is shown as a window with `...` on both sides; a
/// related rule outside the window is drawn under the `...` and says its column.
#[test]
fn long_lines_render_as_windows() {
    let rules = (0..40)
        .map(|i| format!(r#"{{"deny": "tool{i}:x{i}", "reason": "r{i}"}}"#))
        .chain([r#"{"allow": "tool3:x3", "reason": "late"}"#.to_owned()]);
    let source = SourceFile::new("one-line.json", one_line_policy(rules));
    let text = human(&check(source));
    assert!(
        text.lines().all(|line| line.chars().count() < 200),
        "{text}"
    );
    insta::assert_snapshot!("long_line_window", text);
}

/// The shape that crashed the terminal renderer: 10,000 rules on one line, with an
/// error-level finding past column 65,535. `check` reports it and `build` refuses to
/// build, both with the finding rendered; with `--allow-findings` the bundle is built.
#[test]
fn ten_thousand_rules_on_one_line_check_and_build() {
    let rules = (0..10_000)
        .map(|i| format!(r#"{{"deny": "t{i}:x", "reason": "r"}}"#))
        .chain([r#"{"allow": "t0:x"}"#.to_owned()]);
    let policy = one_line_policy(rules);
    assert!(policy.len() > 300_000);
    let dir = scratch("ten-thousand");
    let path = dir.join("big.json");
    std::fs::write(&path, &policy).unwrap();
    let path = path.to_str().unwrap();
    let bundle = dir.join("big.bundle");
    let bundle = bundle.to_str().unwrap();

    let checked = guardc(&["check", "--color", "never", path]);
    let out = stdout(&checked);
    assert_eq!(checked.status.code(), Some(1), "{}", stderr(&checked));
    assert!(out.contains("rules[10000] can never decide"), "{out}");
    assert!(out.len() < 64 * 1024, "{} bytes", out.len());

    let refused = guardc(&["build", path, "-o", bundle]);
    let err = stderr(&refused);
    assert_eq!(refused.status.code(), Some(1), "{err}");
    assert!(err.contains("rules[10000] can never decide"), "{err}");
    assert!(
        err.contains(&format!("big.json:1:{}", policy.len() - 17)),
        "{err}"
    );

    let built = guardc(&["build", path, "-o", bundle, "--allow-findings"]);
    assert_eq!(built.status.code(), Some(0), "{}", stderr(&built));
    assert!(stdout(&built).contains("10001 rules"));
}

/// Human output is bounded by the limits, not by the number of findings: what the
/// issue measured at 650 MB (5,000 duplicate keys on one line) and 338 MB (2,000
/// identical rules on one line) stays within twice the input, and the limits say what
/// they left out. The machine formats keep every diagnostic.
#[test]
fn human_output_is_bounded_by_the_input() {
    let duplicate_keys = format!(
        r#"{{"version": "1", {}, "rules": [{{"deny": "Bash:*"}}]}}"#,
        vec![r#""settings": {"k": [1, 2, 3]}"#; 5_000].join(", ")
    );
    let identical_rules = one_line_policy(std::iter::repeat_n(
        r#"{"deny": "Bash:rm -rf *", "reason": "no"}"#.to_owned(),
        2_000,
    ));
    for (name, text) in [
        ("keys.json", duplicate_keys),
        ("rules.json", identical_rules),
    ] {
        let input = text.len();
        assert!(input > 60_000, "{name}: {input}");
        let report = check(SourceFile::new(name, text));
        let count = report.diagnostics.len();
        assert!(count > 2_000, "{name}: {count} diagnostics");
        let out = human(&report);
        assert!(
            out.len() < 2 * input,
            "{name}: {} bytes from {input}",
            out.len()
        );
        assert!(
            out.contains("more diagnostics starting on line 1, not shown"),
            "{out}"
        );
        assert!(out.contains("more diagnostics not shown"), "{out}");
        let files = [report.file_report()];
        assert_eq!(github_annotations(&files).lines().count(), count);
    }

    // Through the command, which writes as it renders.
    let path = scratch("bounded").join("keys.json");
    let keys = format!(
        r#"{{"version": "1", {}, "rules": [{{"deny": "Bash:*"}}]}}"#,
        vec![r#""a": 1"#; 5_000].join(", ")
    );
    std::fs::write(&path, &keys).unwrap();
    let run = guardc(&["check", "--color", "never", path.to_str().unwrap()]);
    assert!(run.stdout.len() < keys.len(), "{} bytes", run.stdout.len());
}

/// The per-file limit keeps the most severe: one error among many notes on one line is
/// shown, and the count of what is left out says how many errors it holds.
#[test]
fn limits_keep_errors_in_view() {
    let rules = (0..30)
        .map(|i| format!(r#"{{"deny": "t{i}:*"}}"#))
        .chain([r#"{"allow": "t0:x"}"#.to_owned()]);
    let report = check(SourceFile::new("p.json", one_line_policy(rules)));
    let options = HumanOptions {
        max_per_line: 3,
        ..HumanOptions::default()
    };
    let out = render_human(&report.file_report(), options);
    assert!(out.contains("rules[30] can never decide"), "{out}");
    let shown = out.lines().filter(|line| line.starts_with("GC0")).count();
    assert_eq!(shown, 3, "{out}");
    assert!(out.contains("0 error(s)"), "{out}");
}
