//! Executes every example under `grammar/` (and the pattern-level part of the glob,
//! case-folding and canonicalization conformance vectors) against `guardc::pattern`.
//!
//! `grammar/check_examples.py` verifies the same files against CPython, so together the
//! two make each example a statement about both implementations. Each example is run
//! through the reference matcher *and* through a `regex-automata` regex built from
//! `Glob::to_hir`, so the two matchers cannot drift apart on any documented case.
#![expect(
    clippy::panic,
    reason = "the helpers that read grammar/ fail the test by panicking on a malformed file"
)]

use std::path::{Path, PathBuf};

use guardc::pattern::{Glob, GlobItem, ToolPattern, casefold, fold_tool_segment, folded_subject};
use regex_automata::meta::Regex;
use regex_syntax::hir::{Hir, Look};
use serde_json::Value;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Level {
    /// The pattern is a plain glob, matched against the subject as is.
    Glob,
    /// The pattern is a tool pattern, matched against a folded `tool:method` subject.
    Tool,
}

#[derive(Debug)]
struct Example {
    origin: String,
    pattern: String,
    level: Level,
    matches: Vec<String>,
    rejects: Vec<String>,
}

fn grammar_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("grammar")
}

fn read(path: &Path) -> String {
    std::fs::read_to_string(path).unwrap_or_else(|error| panic!("{}: {error}", path.display()))
}

fn strings(value: &Value, key: &str, origin: &str) -> Vec<String> {
    match value.get(key) {
        None => Vec::new(),
        Some(Value::Array(items)) => items
            .iter()
            .map(|item| {
                item.as_str()
                    .unwrap_or_else(|| panic!("{origin}: {key} holds a non-string"))
                    .to_owned()
            })
            .collect(),
        Some(other) => panic!("{origin}: {key} is not a list: {other}"),
    }
}

fn example_from(value: &Value, origin: String) -> Example {
    let pattern = value["pattern"]
        .as_str()
        .unwrap_or_else(|| panic!("{origin}: no pattern"))
        .to_owned();
    let level = match value.get("level").and_then(Value::as_str) {
        None | Some("glob") => Level::Glob,
        Some("tool") => Level::Tool,
        Some(other) => panic!("{origin}: unknown level {other}"),
    };
    Example {
        matches: strings(value, "matches", &origin),
        rejects: strings(value, "rejects", &origin),
        origin,
        pattern,
        level,
    }
}

fn json_examples(file: &str) -> Vec<Example> {
    let path = grammar_dir().join(file);
    let parsed: Value =
        serde_json::from_str(&read(&path)).unwrap_or_else(|error| panic!("{file}: {error}"));
    let items = parsed
        .as_array()
        .unwrap_or_else(|| panic!("{file}: not a list"));
    items
        .iter()
        .enumerate()
        .map(|(index, value)| example_from(value, format!("{file}[{index}]")))
        .collect()
}

/// The JSON lines of the ```` ```examples ```` blocks of `GLOB.md` (the same extraction as
/// `markdown_examples` in check_examples.py).
fn markdown_examples(file: &str) -> Vec<Example> {
    let text = read(&grammar_dir().join(file));
    let mut examples = Vec::new();
    let mut inside = false;
    for (index, line) in text.lines().enumerate() {
        let trimmed = line.trim();
        if trimmed == "```examples" {
            inside = true;
        } else if inside && trimmed == "```" {
            inside = false;
        } else if inside && !trimmed.is_empty() {
            let origin = format!("{file}:{}", index + 1);
            let value: Value =
                serde_json::from_str(trimmed).unwrap_or_else(|error| panic!("{origin}: {error}"));
            examples.push(example_from(&value, origin));
        }
    }
    assert!(!inside, "{file}: unterminated examples block");
    examples
}

fn anchored_regex(glob: &Glob) -> Regex {
    let hir = Hir::concat(vec![
        Hir::look(Look::Start),
        glob.to_hir(),
        Hir::look(Look::End),
    ]);
    regex_automata::meta::Builder::new()
        .build_from_hir(&hir)
        .unwrap_or_else(|error| panic!("{:?}: {error}", glob.source()))
}

/// Runs `examples` through both matchers; returns one line per disagreement.
fn failures(examples: &[Example]) -> Vec<String> {
    let mut failed = Vec::new();
    for example in examples {
        let (glob, fold): (Glob, fn(&str) -> String) = match example.level {
            Level::Glob => (Glob::parse(&example.pattern), str::to_owned),
            Level::Tool => (ToolPattern::new(&example.pattern).glob, |s| {
                fold_tool_segment(s).into_owned()
            }),
        };
        let regex = anchored_regex(&glob);
        let expectations = example
            .matches
            .iter()
            .map(|s| (s, true))
            .chain(example.rejects.iter().map(|s| (s, false)));
        for (subject, expected) in expectations {
            let subject = fold(subject);
            let reference = glob.matches(&subject);
            let automaton = regex.is_match(&subject);
            if reference != expected || automaton != expected {
                failed.push(format!(
                    "{}: {:?} on {subject:?}: expected {expected}, matcher {reference}, regex {automaton}",
                    example.origin, example.pattern
                ));
            }
        }
    }
    failed
}

fn assert_all_pass(examples: &[Example]) {
    let failed = failures(examples);
    assert!(
        failed.is_empty(),
        "{} failure(s):\n{}",
        failed.len(),
        failed.join("\n")
    );
}

#[test]
fn glob_examples_file() {
    let examples = json_examples("glob_examples.json");
    assert!(examples.len() >= 60, "only {} examples", examples.len());
    assert_all_pass(&examples);
}

#[test]
fn glob_examples_cover_every_item_kind() {
    let examples = json_examples("glob_examples.json");
    let globs: Vec<Glob> = examples
        .iter()
        .map(|example| Glob::parse(&example.pattern))
        .collect();
    let has =
        |wanted: fn(&GlobItem) -> bool| globs.iter().any(|glob| glob.items().iter().any(wanted));
    assert!(has(|item| matches!(item, GlobItem::Literal(_))));
    assert!(has(|item| matches!(item, GlobItem::Star)));
    assert!(has(|item| matches!(item, GlobItem::AnyChar)));
    assert!(has(|item| matches!(
        item,
        GlobItem::Class { negated: false, .. }
    )));
    assert!(has(|item| matches!(
        item,
        GlobItem::Class { negated: true, .. }
    )));
    assert!(has(|item| matches!(item, GlobItem::Never)));
    assert!(examples.iter().any(|example| example.level == Level::Tool));
}

#[test]
fn glob_md_examples() {
    let examples = markdown_examples("GLOB.md");
    assert!(examples.len() >= 20, "only {} examples", examples.len());
    assert_all_pass(&examples);
}

#[test]
fn differential_corpus() {
    let examples = json_examples("glob_differential.json");
    assert!(examples.len() >= 500, "only {} patterns", examples.len());
    assert_all_pass(&examples);
}

fn hex_char(hex: &str) -> char {
    u32::from_str_radix(hex, 16)
        .ok()
        .and_then(char::from_u32)
        .unwrap_or_else(|| panic!("bad code point {hex}"))
}

#[test]
fn casefold_agrees_with_python_311_on_every_scalar_value() {
    let path = grammar_dir().join("casefold_python311.json");
    let parsed: Value =
        serde_json::from_str(&read(&path)).unwrap_or_else(|error| panic!("{error}"));
    let folds = parsed["folds"]
        .as_object()
        .unwrap_or_else(|| panic!("no folds"));
    let expected: std::collections::HashMap<char, String> = folds
        .iter()
        .map(|(from, to)| {
            let to = to
                .as_str()
                .unwrap_or_else(|| panic!("{from}: not a string"));
            (hex_char(from), to.split(' ').map(hex_char).collect())
        })
        .collect();
    let mut disagreements = Vec::new();
    for c in (0..=0x10FFFF_u32).filter_map(char::from_u32) {
        let input = c.to_string();
        let want = expected.get(&c).cloned().unwrap_or_else(|| input.clone());
        let got = casefold(&input);
        if got != want {
            disagreements.push(format!(
                "U+{:04X}: python {want:?}, guardc {got:?}",
                u32::from(c)
            ));
        }
    }
    assert!(disagreements.is_empty(), "{}", disagreements.join("\n"));
}

/// For the conformance cases simple enough to decide at the pattern level (one rule,
/// only `id` and `allow`/`deny` patterns), the rule decides exactly when one of its
/// patterns matches the folded subject.
fn conformance_pattern_failures(file: &str) -> (usize, Vec<String>) {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("fixtures/conformance/decisions")
        .join(file);
    let parsed: Value =
        serde_json::from_str(&read(&path)).unwrap_or_else(|error| panic!("{file}: {error}"));
    let cases = parsed["cases"]
        .as_array()
        .unwrap_or_else(|| panic!("{file}: no cases"));
    let mut checked = 0;
    let mut failed = Vec::new();
    for case in cases {
        let Some([rule]) = case["policy"]["rules"].as_array().map(Vec::as_slice) else {
            continue;
        };
        let Some(fields) = rule.as_object() else {
            continue;
        };
        if fields
            .keys()
            .any(|key| !matches!(key.as_str(), "id" | "allow" | "deny"))
        {
            continue;
        }
        let Some(rule_id) = rule["id"].as_str() else {
            continue;
        };
        let patterns: Vec<ToolPattern> = match rule.get("allow").or_else(|| rule.get("deny")) {
            Some(Value::String(text)) => vec![ToolPattern::new(text)],
            Some(Value::Array(items)) if items.iter().all(Value::is_string) => items
                .iter()
                .filter_map(Value::as_str)
                .map(ToolPattern::new)
                .collect(),
            _ => continue,
        };
        let requests = case["requests"]
            .as_array()
            .map(Vec::as_slice)
            .unwrap_or_default();
        let expected = case["expected"]
            .as_array()
            .map(Vec::as_slice)
            .unwrap_or_default();
        assert_eq!(requests.len(), expected.len(), "{file} {}", case["id"]);
        for (request, decision) in requests.iter().zip(expected) {
            let Some(tool) = request["tool"].as_str().filter(|tool| !tool.is_empty()) else {
                continue;
            };
            let method = request.get("method").and_then(Value::as_str).unwrap_or("*");
            let subject = folded_subject(tool, method);
            let matched = patterns
                .iter()
                .any(|pattern| pattern.matches_subject(&subject));
            let decided = decision["policy_id"].as_str() == Some(rule_id);
            checked += 1;
            if matched != decided {
                failed.push(format!(
                    "{file} {}: tool {tool:?} method {method:?} (subject {subject:?}): matched {matched}, reference decided {decided}",
                    case["id"]
                ));
            }
        }
    }
    (checked, failed)
}

#[test]
fn conformance_vectors_at_the_pattern_level() {
    let mut total = 0;
    let mut failed = Vec::new();
    for file in [
        "glob_dialect.json",
        "case_folding.json",
        "canonicalization.json",
    ] {
        let (checked, file_failures) = conformance_pattern_failures(file);
        assert!(checked > 0, "{file}: no case was simple enough to check");
        total += checked;
        failed.extend(file_failures);
    }
    assert!(total >= 1000, "only {total} requests checked");
    assert!(
        failed.is_empty(),
        "{} failure(s):\n{}",
        failed.len(),
        failed.join("\n")
    );
}
