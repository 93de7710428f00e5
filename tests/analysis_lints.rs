//! The analyzer findings against their fixtures (`fixtures/analysis/<finding-name>/`).
//!
//! The test is data-driven: a folder is named after a finding, and each file in it says
//! by its name what it expects, `triggers-*` (the finding must report at least once)
//! or `clean-*` (it must not report at all). Each triggering file's human rendering of
//! that finding's diagnostics is snapshotted, so that the wording is reviewed like code.
//! Only the folder's finding is rendered: other findings on the same file belong to
//! their own folders, and leaving them out keeps these snapshots stable while findings
//! are added. A `guardc.toml` in a folder configures the runs of its files, as it would
//! beside a policy (the Go portability folders declare the Go SDK a target).

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    reason = "tests: a malformed fixture or a missing finding fails the test"
)]

use std::path::{Path, PathBuf};

use guardc::analysis::LevelConfig;
use guardc::check::{CheckOptions, CheckReport, check_source};
use guardc::diagnostics::Diagnostic;
use guardc::diagnostics::render::{FileReport, HumanOptions, render_human};
use guardc::source::SourceFile;

fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("fixtures")
        .join("analysis")
}

/// Every finding folder, sorted.
fn finding_folders() -> Vec<PathBuf> {
    let mut folders: Vec<PathBuf> = std::fs::read_dir(fixtures())
        .expect("fixtures/analysis exists")
        .map(|entry| entry.unwrap().path())
        .filter(|path| path.is_dir())
        .collect();
    folders.sort();
    folders
}

/// The policy files of one folder, sorted.
fn fixture_files(folder: &Path) -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(folder)
        .unwrap()
        .map(|entry| entry.unwrap().path())
        .filter(|path| path.is_file() && name_of(path) != "guardc.toml")
        .collect();
    files.sort();
    files
}

fn name_of(path: &Path) -> String {
    path.file_name().unwrap().to_string_lossy().into_owned()
}

/// The levels and targets of a folder's `guardc.toml`, or the defaults.
fn folder_config(folder: &Path) -> LevelConfig {
    std::fs::read_to_string(folder.join("guardc.toml"))
        .map(|text| LevelConfig::from_toml(&text).unwrap())
        .unwrap_or_default()
}

fn check_with(path: &Path, levels: LevelConfig) -> CheckReport {
    let text = std::fs::read_to_string(path).unwrap();
    // The name keeps its suffix (it selects YAML or JSON) and reads well in snapshots.
    let name = format!("{}/{}", name_of(path.parent().unwrap()), name_of(path));
    let options = CheckOptions {
        levels,
        ..CheckOptions::default()
    };
    check_source(SourceFile::new(name, text), &options)
}

fn check_file(path: &Path) -> CheckReport {
    check_with(path, folder_config(path.parent().unwrap()))
}

/// The diagnostics of the finding named `finding`.
fn of_finding<'a>(report: &'a CheckReport, finding: &str) -> Vec<&'a Diagnostic> {
    report
        .diagnostics
        .iter()
        .filter(|d| d.code.name == finding)
        .collect()
}

#[test]
fn fixtures_trigger_exactly_where_named() {
    let mut failures = Vec::new();
    let mut checked = 0;
    for folder in finding_folders() {
        let finding = name_of(&folder);
        assert!(
            guardc::registry::lookup(&finding).is_some(),
            "fixtures/analysis/{finding} is not named after a registered finding"
        );
        for file in fixture_files(&folder) {
            let file_name = name_of(&file);
            let report = check_file(&file);
            let found = of_finding(&report, &finding).len();
            checked += 1;
            if file_name.starts_with("triggers-") && found == 0 {
                failures.push(format!(
                    "{finding}/{file_name}: expected `{finding}`, got none"
                ));
            } else if file_name.starts_with("clean-") && found > 0 {
                failures.push(format!(
                    "{finding}/{file_name}: expected no `{finding}`, got {found}"
                ));
            } else if !file_name.starts_with("triggers-") && !file_name.starts_with("clean-") {
                failures.push(format!(
                    "{finding}/{file_name}: name must start with triggers- or clean-"
                ));
            }
        }
    }
    assert!(checked > 0, "no analysis fixtures found");
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// Every analyzer finding of the hygiene (`GC04xx`), subject-shape and portability
/// (`GC05xx`) and escalation-value (`GC035x`) families has a fixture folder. The
/// registry also holds codes that are not findings (load errors, configuration
/// diagnostics such as an unknown suppression), so the findings are taken from the
/// analyzer's own table and checked against the registry.
#[test]
fn every_finding_has_a_fixture_folder() {
    let folders: Vec<String> = finding_folders().iter().map(|f| name_of(f)).collect();
    let registered = guardc::registry::all();
    let missing: Vec<&str> = guardc::analysis::findings::FINDINGS
        .iter()
        .map(|finding| finding.info)
        .inspect(|info| {
            assert!(
                registered.contains(info),
                "{} is not in the registry",
                info.code
            )
        })
        .filter(|info| {
            ["GC04", "GC05", "GC035"]
                .iter()
                .any(|family| info.code.starts_with(family))
        })
        .map(|info| info.name)
        .filter(|name| !folders.iter().any(|folder| folder == name))
        .collect();
    assert!(
        missing.is_empty(),
        "findings without fixtures/analysis/<name>/: {missing:?}"
    );
}

#[test]
fn triggering_fixtures_render_for_review() {
    for folder in finding_folders() {
        let finding = name_of(&folder);
        for file in fixture_files(&folder) {
            let file_name = name_of(&file);
            if !file_name.starts_with("triggers-") {
                continue;
            }
            let report = check_file(&file);
            let diagnostics: Vec<Diagnostic> =
                of_finding(&report, &finding).into_iter().cloned().collect();
            let rendered = render_human(
                &FileReport {
                    source: &report.source,
                    diagnostics: &diagnostics,
                },
                HumanOptions::default(),
            );
            let stem = file_name
                .rsplit_once('.')
                .map_or(file_name.as_str(), |(stem, _)| stem);
            insta::assert_snapshot!(format!("{finding}__{stem}"), rendered);
        }
    }
}

/// The Go portability findings are off unless the Go SDK is a declared target: their
/// triggering fixtures report nothing without their folder's `guardc.toml`, and naming
/// the finding in a level setting turns it on (`all` does not).
#[test]
fn go_findings_need_the_go_target() {
    for finding in ["go-glob-portability", "go-schema-portability"] {
        let folder = fixtures().join(finding);
        assert!(
            folder_config(&folder).targets().go,
            "{finding}: no Go target"
        );
        for file in fixture_files(&folder) {
            if !name_of(&file).starts_with("triggers-") {
                continue;
            }
            let silent = check_with(&file, LevelConfig::new());
            assert!(
                of_finding(&silent, finding).is_empty(),
                "{finding}: reported"
            );
            let everything = LevelConfig::from_toml("[levels]\nall = \"warn\"\n").unwrap();
            let all = check_with(&file, everything);
            assert!(
                of_finding(&all, finding).is_empty(),
                "{finding}: `all` enabled it"
            );
            let named = LevelConfig::from_toml(&format!("[levels]\n{finding} = \"warn\"\n"));
            let asked = check_with(&file, named.unwrap());
            assert!(
                !of_finding(&asked, finding).is_empty(),
                "{finding}: named, not reported"
            );
        }
    }
}

fn check_example(name: &str) -> CheckReport {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("examples")
        .join(name);
    check_with(&path, LevelConfig::new())
}

/// Realistic policies without a defect, written exception first, report nothing at all
/// (`guardc check` prints only its summary line for them).
#[test]
fn realistic_policies_without_defects_are_quiet() {
    for name in ["support-agent.yaml", "data-platform.yaml"] {
        let report = check_example(name);
        let codes: Vec<&str> = report.diagnostics.iter().map(|d| d.code.name).collect();
        assert!(codes.is_empty(), "{name}: {codes:?}");
    }
}

/// The approval example (`deny: 'Bash:sudo *'`, then `allow: 'Bash:*'`) is the idiom: the
/// only finding is that hook integrations never send `Bash:sudo *`.
#[test]
fn approval_example_reports_only_the_hook_subject() {
    let report = check_example("approval.yaml");
    let codes: Vec<&str> = report.diagnostics.iter().map(|d| d.code.name).collect();
    assert_eq!(codes, ["hook-subject-mismatch"]);
}

/// 70,000 repetitions of one key in one rule (980 KB): the finding pairs each repetition
/// with the entry that kept the key through a hash map, once per mapping, so this shape
/// is linear; it used to scan every repetition for every repetition (about 20 s in a
/// release build, minutes in a test build). Every repetition is reported once, and only
/// the last one is the value kept.
#[test]
fn duplicate_key_scales_to_tens_of_thousands_of_repetitions() {
    const REPEATS: usize = 70_000;
    let text = format!("rules:\n  - deny: x\n{}", "    reason: r\n".repeat(REPEATS));
    let report = check_source(SourceFile::new("wide.yaml", text), &CheckOptions::default());
    let duplicates = of_finding(&report, "duplicate-key");
    assert_eq!(duplicates.len(), REPEATS - 1);
    let kept: Vec<_> = duplicates
        .iter()
        .filter(|d| d.label.contains("the one kept"))
        .collect();
    assert_eq!(kept.len(), 1);
    let last_line = 2 + REPEATS;
    let at = report.source.lines().line_col(kept[0].span.start);
    assert_eq!(at.line, last_line);
}
