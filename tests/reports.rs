//! Reports and the configuration of a check run: the SARIF 2.1.0 report (validated
//! against the vendored OASIS schema), GitHub workflow annotations, per-run finding
//! levels (the library, `guardc.toml`, the `-D`/`-W`/`-A` flags), inline suppression
//! comments, and the exit codes of `guardc check`, run as the built binary.
//!
//! The fixtures are under `fixtures/reports/`; see its README for what each one shows.

#![expect(
    clippy::unwrap_used,
    reason = "test helpers: a missing fixture or a failed run fails the test"
)]

mod common;

use std::path::{Path, PathBuf};
use std::process::Command;

use guardc::analysis::config::{LevelConfig, LevelSetting, Suppressions};
use guardc::check::{CheckOptions, CheckReport, check_source};
use guardc::diagnostics::render::{FileReport, github_annotations, sarif_report};
use guardc::diagnostics::{Diagnostic, Level, Related, Witness, WitnessDecision};
use guardc::policy::load;
use guardc::registry;
use guardc::source::{SourceFile, Span};
use serde_json::{Value, json};

const SEED_PASTE: &str = "examples/broken/seed-paste.yaml";
const LOAD_ERROR: &str = "fixtures/reports/load-error.yaml";
const SUPPRESSIONS: &str = "fixtures/reports/suppressions.yaml";
const CONFIGURED: &str = "fixtures/reports/configured";

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

/// A repository file as a source named by its path relative to the repository, so that
/// reports and snapshots do not depend on where the checkout is.
fn source(path: &str) -> SourceFile {
    let text = std::fs::read_to_string(root().join(path)).unwrap();
    SourceFile::new(path, text)
}

fn check(source: SourceFile, levels: LevelConfig) -> CheckReport {
    let options = CheckOptions {
        deny_warnings: false,
        levels,
        approvals: false,
    };
    check_source(source, &options)
}

fn check_default(path: &str) -> CheckReport {
    check(source(path), LevelConfig::new())
}

fn levels(settings: &[(&str, LevelSetting)]) -> LevelConfig {
    let mut config = LevelConfig::new();
    for (code, setting) in settings {
        config.set(code, *setting).unwrap();
    }
    config
}

fn file_reports(reports: &[CheckReport]) -> Vec<FileReport<'_>> {
    reports
        .iter()
        .map(|r| FileReport {
            source: &r.source,
            diagnostics: &r.diagnostics,
        })
        .collect()
}

/// `(code, level, line)` of each diagnostic, for assertions that read like the output.
fn summary(report: &CheckReport) -> Vec<(String, Level, usize)> {
    report
        .diagnostics
        .iter()
        .map(|d| {
            let line = report.source.lines().line_col(d.span.start).line;
            (d.code.code.to_owned(), d.level, line)
        })
        .collect()
}

fn codes(report: &CheckReport) -> Vec<&'static str> {
    report.diagnostics.iter().map(|d| d.code.code).collect()
}

// --- SARIF -------------------------------------------------------------------------------

fn sarif_validator() -> jsonschema::Validator {
    let path = common::fixtures().join("reports/sarif-schema-2.1.0.json");
    let mut schema: Value = serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
    assert_eq!(schema["$schema"], "http://json-schema.org/draft-07/schema#");
    // The published schema's pattern for `language` (on runs and tool components) has a
    // stray `]`, which the validator refuses when it checks the schema's own
    // `format: regex`. guardc never writes `language`; the vendored file stays as
    // published and only this in-memory copy is corrected.
    let typo = "^[a-zA-Z]{2}|^[a-zA-Z]{2}-[a-zA-Z]{2}]?$";
    let fixed = "^[a-zA-Z]{2}$|^[a-zA-Z]{2}-[a-zA-Z]{2}$";
    for definition in ["run", "toolComponent"] {
        let pattern = &mut schema["definitions"][definition]["properties"]["language"]["pattern"];
        assert_eq!(*pattern, typo);
        *pattern = json!(fixed);
    }
    jsonschema::draft7::options()
        .should_validate_formats(true)
        .build(&schema)
        .unwrap()
}

fn assert_valid_sarif(sarif: &Value) {
    let validator = sarif_validator();
    let errors: Vec<String> = validator
        .iter_errors(sarif)
        .map(|e| format!("{} at {}", e, e.instance_path()))
        .collect();
    assert!(errors.is_empty(), "invalid SARIF:\n{}", errors.join("\n"));
}

/// The report with what changes whenever a code is registered (the rule table, rule
/// indices) or the version is bumped replaced by placeholders, after checking that each
/// result's rule index points at its rule.
fn redacted(mut sarif: Value) -> Value {
    let run = &mut sarif["runs"][0];
    let rules = run["tool"]["driver"]["rules"].as_array().unwrap().clone();
    assert_eq!(rules.len(), registry::all().len());
    for result in run["results"].as_array_mut().unwrap() {
        let index = result["ruleIndex"].as_u64().unwrap() as usize;
        assert_eq!(rules[index]["id"], result["ruleId"]);
        result["ruleIndex"] = json!("[index of ruleId]");
    }
    run["tool"]["driver"]["rules"] = json!("[every registered code]");
    run["tool"]["driver"]["version"] = json!("[version]");
    run["tool"]["driver"]["semanticVersion"] = json!("[version]");
    sarif
}

#[test]
fn sarif_report_snapshot() {
    let reports = [check_default(SEED_PASTE), check_default(LOAD_ERROR)];
    let sarif = sarif_report(&file_reports(&reports));
    assert_valid_sarif(&sarif);
    // As pretty JSON text: insta's own JSON serializer would show the internals of
    // arbitrary-precision numbers.
    insta::assert_snapshot!("sarif", format!("{:#}", redacted(sarif)));
}

#[test]
fn sarif_rules_describe_every_code() {
    let sarif = sarif_report(&[]);
    let driver = &sarif["runs"][0]["tool"]["driver"];
    assert_eq!(driver["name"], "guardc");
    assert_eq!(sarif["runs"][0]["columnKind"], "unicodeCodePoints");
    let rules = driver["rules"].as_array().unwrap();
    for (rule, info) in rules.iter().zip(registry::all()) {
        assert_eq!(rule["id"], info.code);
        assert_eq!(rule["name"], info.name);
        assert_eq!(rule["shortDescription"]["text"], info.summary);
        assert_eq!(rule["fullDescription"]["text"], info.doc);
        let level = match info.level {
            Level::Error => "error",
            Level::Warning => "warning",
            Level::Info => "note",
        };
        assert_eq!(rule["defaultConfiguration"]["level"], level);
    }
    assert_valid_sarif(&sarif);
}

/// Every field the renderer can write, including related locations, witnesses, the
/// reference's message, characters outside ASCII and a path that needs escaping, is
/// valid SARIF; and the validator does reject a broken report.
#[test]
fn sarif_validates_against_the_schema() {
    let text = "rules:\n  - deny: 'Bash:𝄞 *'\n  - deny: 'Bash:𝄞 x'\n";
    let source = SourceFile::new("policies/my policy#1.yaml", text);
    let info = registry::lookup("misplaced-rule-key").unwrap();
    let span_of = |needle: &str| {
        let start = text.find(needle).unwrap();
        Span::new(start, start + needle.len())
    };
    let mut diagnostic = Diagnostic::new(info, span_of("'Bash:𝄞 x'"), "a finding")
        .with_label("here")
        .with_help("do something")
        .with_compat("the reference's text")
        .with_rule(1)
        .with_related(span_of("'Bash:𝄞 *'"), "decided here first");
    diagnostic.related.push(Related {
        span: Span::point(text.len()),
        message: "end of file".to_owned(),
        rule_index: Some(0),
    });
    diagnostic.witnesses.push(Witness {
        tool: "Bash".to_owned(),
        method: "𝄞 x".to_owned(),
        context: serde_json::Map::new(),
        args: serde_json::Map::new(),
        decision: WitnessDecision {
            effect: "deny".to_owned(),
            policy_id: Some("rule-0".to_owned()),
            reason_code: "POLICY_DENY".to_owned(),
            hitl_eligible: true,
            evaluated_rules: 1,
        },
    });
    let info_level = Diagnostic {
        level: Level::Info,
        ..diagnostic.clone()
    };
    let diagnostics = [diagnostic, info_level];
    let sarif = sarif_report(&[FileReport {
        source: &source,
        diagnostics: &diagnostics,
    }]);
    assert_valid_sarif(&sarif);
    let result = &sarif["runs"][0]["results"][0];
    assert_eq!(
        result["locations"][0]["physicalLocation"]["artifactLocation"]["uri"],
        "policies/my%20policy%231.yaml"
    );
    // Columns count code points: `𝄞` is one column (two UTF-16 units).
    let region = &result["locations"][0]["physicalLocation"]["region"];
    assert_eq!(
        (
            &region["startLine"],
            &region["startColumn"],
            &region["endColumn"]
        ),
        (&json!(3), &json!(11), &json!(21))
    );
    assert_eq!(
        result["relatedLocations"][0]["message"]["text"],
        "decided here first"
    );
    assert_eq!(result["properties"]["witnesses"][0]["tool"], "Bash");
    assert_eq!(
        result["properties"]["compatMessage"],
        "the reference's text"
    );
    assert_eq!(result["properties"]["policyRuleIndex"], 1);
    assert_eq!(
        result["message"]["text"],
        "a finding\nhelp: do something\nwitness: guard('Bash', method='𝄞 x') → deny by rule-0 (approvable)"
    );
    assert_eq!(sarif["runs"][0]["results"][1]["level"], "note");

    let mut broken = sarif.clone();
    broken["runs"][0]["results"][0]["level"] = json!("fatal");
    assert!(!sarif_validator().is_valid(&broken));
    // Numbers are checked (lines start at 1), and formats too: a path that is not a URI
    // reference is refused.
    let mut broken = sarif.clone();
    broken["runs"][0]["results"][0]["locations"][0]["physicalLocation"]["region"]["startLine"] =
        json!(0);
    assert!(!sarif_validator().is_valid(&broken));
    let mut broken = sarif.clone();
    broken["runs"][0]["results"][0]["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] =
        json!("my policy.yaml");
    assert!(!sarif_validator().is_valid(&broken));
}

// --- GitHub annotations ------------------------------------------------------------------

#[test]
fn github_annotations_snapshot() {
    let reports = [check_default(SEED_PASTE), check_default(LOAD_ERROR)];
    insta::assert_snapshot!("github", github_annotations(&file_reports(&reports)));
}

#[test]
fn github_annotations_escape_properties_and_data() {
    let source = SourceFile::new("a,b:c%.yaml", "rules: []\n");
    let info = registry::lookup("misplaced-rule-key").unwrap();
    let diagnostic = Diagnostic {
        level: Level::Info,
        ..Diagnostic::new(info, Span::new(0, 5), "100% sure: a, b\r\nc").with_help("h")
    };
    let out = github_annotations(&[FileReport {
        source: &source,
        diagnostics: &[diagnostic],
    }]);
    assert_eq!(
        out,
        "::notice file=a%2Cb%3Ac%25.yaml,line=1,col=1,endLine=1,endColumn=6,\
         title=GC0401 misplaced-rule-key::100%25 sure: a, b%0D%0Ac%0Ahelp: h\n"
    );
}

// --- Levels ------------------------------------------------------------------------------

#[test]
fn levels_change_and_drop_findings_but_not_load_errors() {
    let default = check_default(SEED_PASTE);
    assert!(codes(&default).contains(&"GC0401"));
    assert!(default.fails(&CheckOptions::default()));

    let allowed = check(
        source(SEED_PASTE),
        levels(&[("misplaced-rule-key", LevelSetting::Allow)]),
    );
    assert!(!codes(&allowed).contains(&"GC0401"));

    let warned = check(
        source(SEED_PASTE),
        levels(&[("GC0401", LevelSetting::Warn)]),
    );
    let levels_of_0401: Vec<Level> = summary(&warned)
        .into_iter()
        .filter(|(code, _, _)| code == "GC0401")
        .map(|(_, level, _)| level)
        .collect();
    assert_eq!(levels_of_0401, [Level::Warning, Level::Warning]);
    let deny_warnings = CheckOptions {
        deny_warnings: true,
        ..CheckOptions::default()
    };
    assert!(warned.fails(&deny_warnings));

    // `all` silences every finding; load errors stay, at error level.
    let all = check(source(LOAD_ERROR), levels(&[("all", LevelSetting::Allow)]));
    assert_eq!(
        summary(&all),
        [
            ("GC0111".to_owned(), Level::Error, 6),
            ("GC0115".to_owned(), Level::Error, 7)
        ]
    );
}

#[test]
fn later_settings_win_and_the_flags_override_the_file() {
    let file = LevelConfig::from_toml("[levels]\nall = \"allow\"\nGC0401 = \"warn\"\n").unwrap();
    let mut run = file.clone();
    run.extend(&levels(&[("misplaced-rule-key", LevelSetting::Deny)]));
    let info = registry::lookup("GC0401").unwrap();
    assert_eq!(file.level_of(info), Some(Level::Warning));
    assert_eq!(run.level_of(info), Some(Level::Error));
    let other = registry::lookup("GC0490").unwrap();
    assert_eq!(run.level_of(other), None);
}

#[test]
fn config_file_errors_say_where_and_what() {
    let render = |text: &str| {
        LevelConfig::from_toml(text)
            .unwrap_err()
            .render("guardc.toml")
    };
    assert_eq!(
        render("[levels]\nmisplaced-rule-kye = \"allow\"\n"),
        "guardc.toml:2:1: unknown diagnostic `misplaced-rule-kye`\n  \
         help: did you mean `misplaced-rule-key` (GC0401)?"
    );
    assert_eq!(
        render("[levels]\nGC0401 = \"loud\"\n"),
        "guardc.toml:2:10: unknown level `loud`\n  \
         help: levels are `allow`, `info`, `warn` and `deny`"
    );
    assert_eq!(
        render("[levels]\nGC0401 = \"warn\"\nmisplaced-rule-key = \"deny\"\n"),
        "guardc.toml:3:1: `misplaced-rule-key` and `GC0401` name the same code\n  \
         help: keep one `misplaced-rule-key` line"
    );
    assert!(render("[levels]\nGC0111 = \"warn\"\n").starts_with(
        "guardc.toml:2:1: `GC0111 invalid-effect` is a load error and cannot be set to `warn`"
    ));
    assert!(render("[leves]\n").starts_with("guardc.toml:1:2: unknown field `leves`"));
    assert!(render("[levels]\nGC0401 = 3\n").starts_with("guardc.toml:2:10: "));
    assert!(render("[levels\n").starts_with("guardc.toml:1:"));
    assert!(LevelConfig::from_toml("").unwrap().is_empty());
    assert!(LevelConfig::from_toml("[levels]\nGC0401 = \"Error\"\n").is_ok());
}

// --- Suppressions ------------------------------------------------------------------------

#[test]
fn suppressions_on_rules() {
    let report = check_default(SUPPRESSIONS);
    let unknown: Vec<usize> = summary(&report)
        .into_iter()
        .filter(|(code, _, _)| code == "GC0490")
        .map(|(_, _, line)| line)
        .collect();
    // Line 1 names no code; line 4 names `unreachable-rules`, not a registered name (the
    // `GC0401` beside it is fine); line 6 is inside rules[1]'s body, where it is on no rule.
    assert_eq!(unknown, [1, 4, 6]);
    // The misplaced `escalate_on_deny` belongs to rules[2] (the rule above it), whose
    // comment block allows `misplaced-rule-key`.
    assert!(
        !codes(&report).contains(&"GC0401"),
        "{:#?}",
        summary(&report)
    );
    let messages: Vec<&str> = report
        .diagnostics
        .iter()
        .filter(|d| d.code.code == "GC0490")
        .map(|d| d.message.as_str())
        .collect();
    assert_eq!(
        messages,
        [
            "unknown diagnostic `GC0499` in a suppression comment",
            "unknown diagnostic `unreachable-rules` in a suppression comment",
            "this suppression is not on a rule, so it suppresses nothing",
        ]
    );
}

#[test]
fn suppressions_for_the_whole_file() {
    let seed = source(SEED_PASTE);
    for header in [
        "# guardc: allow(misplaced-rule-key)\n",
        "#guardc:allow( GC0401 ) -- the paste is fixed upstream\n",
    ] {
        let text = format!("{header}{}", seed.text());
        let report = check(SourceFile::new("seed.yaml", text), LevelConfig::new());
        assert!(!codes(&report).contains(&"GC0401"), "{header}");
        assert!(!codes(&report).contains(&"GC0490"), "{header}");
    }
    // On the `rules:` line itself: still before the rules, so for the whole file.
    let text = seed
        .text()
        .replace("rules:\n", "rules:  # guardc: allow(GC0401)\n");
    let report = check(SourceFile::new("seed.yaml", text), LevelConfig::new());
    assert!(!codes(&report).contains(&"GC0401"));
}

#[test]
fn a_suppression_covers_its_rule_only() {
    let text = "rules:\n  - deny: 'Bash:rm'     # guardc: allow(GC0401)\n  - deny: 'Bash:sudo'\n    reason: x\n";
    let loaded = load(SourceFile::new("p.yaml", text));
    let (suppressions, problems) = Suppressions::scan(&loaded);
    assert!(problems.is_empty(), "{problems:#?}");
    let info = registry::lookup("GC0401").unwrap();
    let at = |needle: &str| {
        let start = text.find(needle).unwrap();
        Span::new(start, start + needle.len())
    };
    // A diagnostic whose span starts inside rules[0], or that names rules[0].
    assert!(suppressions.suppresses(&Diagnostic::new(info, at("'Bash:rm'"), "m")));
    assert!(suppressions.suppresses(&Diagnostic::new(info, Span::point(0), "m").with_rule(0)));
    // Not rules[1], and not another code.
    assert!(!suppressions.suppresses(&Diagnostic::new(info, at("reason"), "m")));
    assert!(!suppressions.suppresses(&Diagnostic::new(info, Span::point(0), "m").with_rule(1)));
    let other = registry::lookup("GC0490").unwrap();
    assert!(!suppressions.suppresses(&Diagnostic::new(other, at("'Bash:rm'"), "m")));
    // Load errors never are, even when named at the top of the file.
    let loaded = load(SourceFile::new(
        "p.yaml",
        "# guardc: allow(GC0111)\nrules: []\n",
    ));
    let (suppressions, problems) = Suppressions::scan(&loaded);
    let load_code = registry::lookup("GC0111").unwrap();
    assert!(!suppressions.suppresses(&Diagnostic::new(load_code, Span::point(0), "m")));
    assert_eq!(
        problems[0].message,
        "`GC0111 invalid-effect` is a load error and cannot be suppressed"
    );
}

#[test]
fn a_hash_inside_a_scalar_is_not_a_comment() {
    let text = "rules:\n  - deny: 'Bash:x # guardc: allow(nonsense)'\n    reason: \"a \\\" # guardc: allow(nonsense)\"\n  - deny: 'Bash:y'\n    reason: |\n      # guardc: allow(nonsense)\n";
    let report = check(SourceFile::new("p.yaml", text), LevelConfig::new());
    assert!(
        !codes(&report).contains(&"GC0490"),
        "{:#?}",
        summary(&report)
    );
    // JSON has no comments at all.
    let json = r#"{"rules": [{"deny": "Bash:x # guardc: allow(nonsense)"}]}"#;
    let report = check(SourceFile::new("p.json", json), LevelConfig::new());
    assert!(!codes(&report).contains(&"GC0490"));
}

#[test]
fn malformed_suppressions_are_reported() {
    for comment in [
        "# guardc: allow GC0401",
        "# guardc: deny(GC0401)",
        "# guardc: allow(GC0401,)",
    ] {
        let text = format!("{comment}\nrules:\n  - deny: 'Bash:rm'\n");
        let report = check(SourceFile::new("p.yaml", text), LevelConfig::new());
        let found: Vec<&str> = report
            .diagnostics
            .iter()
            .filter(|d| d.code.code == "GC0490")
            .map(|d| d.message.as_str())
            .collect();
        assert_eq!(found, ["malformed suppression comment"], "{comment}");
    }
    // An ordinary comment that mentions guardc is not a directive.
    let text = "# checked by guardc: see CI\nrules:\n  - deny: 'Bash:rm'\n";
    let report = check(SourceFile::new("p.yaml", text), LevelConfig::new());
    assert!(!codes(&report).contains(&"GC0490"));
}

#[test]
fn suppression_warnings_follow_levels() {
    let report = check(
        source(SUPPRESSIONS),
        levels(&[("unknown-suppression", LevelSetting::Allow)]),
    );
    assert!(!codes(&report).contains(&"GC0490"));
}

// --- The command line --------------------------------------------------------------------

/// Run the built `guardc check` in `dir`; returns the exit code, stdout and stderr.
fn guardc_check(dir: &Path, args: &[&str]) -> (i32, String, String) {
    let output = Command::new(env!("CARGO_BIN_EXE_guardc"))
        .current_dir(dir)
        .arg("check")
        .args(["--color", "never"])
        .args(args)
        .output()
        .unwrap();
    (
        output.status.code().unwrap(),
        String::from_utf8(output.stdout).unwrap(),
        String::from_utf8(output.stderr).unwrap(),
    )
}

/// A fresh directory under the target directory's scratch space.
fn scratch(name: &str) -> PathBuf {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join(format!("reports-{name}"));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// The `(command, title)` of each GitHub annotation: `("warning", "GC0401 misplaced-rule-key")`.
fn annotations(stdout: &str) -> Vec<(String, String)> {
    stdout
        .lines()
        .filter_map(|line| {
            let command = line.strip_prefix("::")?.split(' ').next()?;
            let title = line.split(",title=").nth(1)?.split("::").next()?;
            Some((command.to_owned(), title.to_owned()))
        })
        .collect()
}

fn has(stdout: &str, command: &str, code: &str) -> bool {
    annotations(stdout)
        .iter()
        .any(|(c, title)| c == command && title.starts_with(code))
}

#[test]
fn cli_reads_guardc_toml_beside_the_policy_and_flags_override_it() {
    let dir = root().join(CONFIGURED);
    // No path: ./controlzero.yaml, with ./guardc.toml lowering GC0401 to a warning.
    let (code, out, _) = guardc_check(&dir, &["--format", "github"]);
    assert_eq!(code, 0, "{out}");
    assert!(has(&out, "warning", "GC0401"), "{out}");
    // The same file given by path from elsewhere finds the same guardc.toml.
    let (code, out, _) = guardc_check(
        root(),
        &[
            "--format",
            "github",
            "fixtures/reports/configured/controlzero.yaml",
        ],
    );
    assert_eq!(code, 0, "{out}");
    assert!(has(&out, "warning", "GC0401"), "{out}");
    // Warnings fail with --deny-warnings.
    let (code, _, _) = guardc_check(&dir, &["--format", "github", "--deny-warnings"]);
    assert_eq!(code, 1);
    // Flags override the file, and apply in order.
    let (code, out, _) = guardc_check(&dir, &["--format", "github", "-D", "misplaced-rule-key"]);
    assert_eq!(code, 1);
    assert!(has(&out, "error", "GC0401"), "{out}");
    let (code, out, _) = guardc_check(&dir, &["--format", "github", "-D", "GC0401", "-A", "all"]);
    assert_eq!((code, out.as_str()), (0, ""));
    let (code, out, _) = guardc_check(
        &dir,
        &["--format", "github", "-A", "all", "--deny", "GC0401"],
    );
    assert_eq!(code, 1);
    assert_eq!(
        annotations(&out),
        [("error".to_owned(), "GC0401 misplaced-rule-key".to_owned())]
    );
}

#[test]
fn cli_config_flag_replaces_the_file_beside_the_policy() {
    let dir = scratch("config-flag");
    std::fs::write(dir.join("quiet.toml"), "[levels]\nGC0401 = \"allow\"\n").unwrap();
    let policy = root().join(CONFIGURED).join("controlzero.yaml");
    let policy = policy.to_str().unwrap();
    let (code, out, err) = guardc_check(
        &dir,
        &["--format", "github", "--config", "quiet.toml", policy],
    );
    assert_eq!(code, 0, "{err}");
    assert!(
        !has(&out, "warning", "GC0401") && !has(&out, "error", "GC0401"),
        "{out}"
    );
    let (code, _, err) = guardc_check(&dir, &["--config", "missing.toml", policy]);
    assert_eq!(code, 2);
    assert!(
        err.starts_with("error: cannot read missing.toml: "),
        "{err}"
    );
}

#[test]
fn cli_refuses_unknown_codes_and_lowered_load_errors() {
    let dir = root();
    let (code, out, err) = guardc_check(dir, &["-A", "misplaced-rule-kye", SEED_PASTE]);
    assert_eq!((code, out.as_str()), (2, ""));
    assert_eq!(
        err,
        "error: -A misplaced-rule-kye: unknown diagnostic `misplaced-rule-kye`\n  \
         help: did you mean `misplaced-rule-key` (GC0401)?\n"
    );
    let (code, _, err) = guardc_check(dir, &["--warn", "GC0111", LOAD_ERROR]);
    assert_eq!(code, 2);
    assert!(
        err.starts_with(
            "error: -W GC0111: `GC0111 invalid-effect` is a load error and cannot be set to `warn`"
        ),
        "{err}"
    );
    let bad = scratch("bad-config");
    std::fs::write(
        bad.join("guardc.toml"),
        "[levels]\ninvalid-effect = \"allow\"\n",
    )
    .unwrap();
    std::fs::copy(root().join(SEED_PASTE), bad.join("controlzero.yaml")).unwrap();
    let (code, _, err) = guardc_check(&bad, &[]);
    assert_eq!(code, 2);
    assert!(
        err.starts_with("error: ./guardc.toml:2:1: `GC0111 invalid-effect` is a load error"),
        "{err}"
    );
}

#[test]
fn cli_exit_codes() {
    let dir = root();
    // Load errors fail whatever the levels say.
    let (code, out, _) = guardc_check(dir, &["--format", "github", "-A", "all", LOAD_ERROR]);
    assert_eq!(code, 1);
    assert_eq!(
        annotations(&out),
        [
            ("error".to_owned(), "GC0111 invalid-effect".to_owned()),
            ("error".to_owned(), "GC0115 pattern-not-string".to_owned())
        ]
    );
    let (code, _, _) = guardc_check(dir, &[SEED_PASTE]);
    assert_eq!(code, 1);
    let (code, _, _) = guardc_check(dir, &["-A", "GC0401", "-A", "all", SEED_PASTE]);
    assert_eq!(code, 0);
    let (code, out, _) = guardc_check(dir, &["fixtures/reports/no-such.yaml"]);
    assert_eq!(code, 2);
    assert!(
        out.contains("cannot read fixtures/reports/no-such.yaml: "),
        "{out}"
    );
}

/// One unreadable path among several: every readable file is still reported, in every
/// format, the unreadable one as a GC0007 diagnostic, and the run exits 2.
#[test]
fn cli_reports_every_readable_file_when_one_is_unreadable() {
    let dir = root();
    let missing = "fixtures/reports/no-such.yaml";
    let readable = [check_default(SEED_PASTE), check_default(LOAD_ERROR)];
    let args = |format: &'static str| ["--format", format, SEED_PASTE, missing, LOAD_ERROR];

    let (code, out, _) = guardc_check(dir, &args("json"));
    assert_eq!(code, 2);
    let report: Value = serde_json::from_str(&out).unwrap();
    let files = report["files"].as_array().unwrap();
    assert_eq!(files.len(), 3);
    let expected = guardc::check::check_json(&readable, false);
    assert_eq!(files[0], expected["files"][0]);
    assert_eq!(files[2], expected["files"][1]);
    assert_eq!(files[1]["path"], missing);
    let unreadable = &files[1]["diagnostics"][0];
    assert_eq!(unreadable["code"], "GC0007");
    assert!(
        unreadable["message"]
            .as_str()
            .unwrap()
            .starts_with("cannot read fixtures/reports/no-such.yaml: "),
        "{unreadable}"
    );
    assert_eq!(unreadable["help"], "check the path: no file exists there");

    let (code, out, _) = guardc_check(dir, &args("sarif"));
    assert_eq!(code, 2);
    let sarif: Value = serde_json::from_str(&out).unwrap();
    assert_valid_sarif(&sarif);
    let results = sarif["runs"][0]["results"].as_array().unwrap();
    let expected = sarif_report(&file_reports(&readable));
    let expected_results = expected["runs"][0]["results"].as_array().unwrap();
    assert_eq!(results.len(), expected_results.len() + 1);
    assert!(results.iter().any(|r| r["ruleId"] == "GC0007"), "{out}");

    let (code, out, _) = guardc_check(dir, &args("github"));
    assert_eq!(code, 2);
    let expected = github_annotations(&file_reports(&readable));
    let without_unreadable: String = out
        .lines()
        .filter(|line| !line.contains("GC0007"))
        .map(|line| format!("{line}\n"))
        .collect();
    assert_eq!(without_unreadable, expected);
    assert!(has(&out, "error", "GC0007"), "{out}");

    let (code, out, _) = guardc_check(dir, &args("human"));
    assert_eq!(code, 2);
    assert!(out.contains("GC0007 unreadable-file"), "{out}");
    assert!(out.contains("GC0111 invalid-effect"), "{out}");
    let count = |level: Level| {
        let found = readable.iter().flat_map(|r| &r.diagnostics);
        found.filter(|d| d.level == level).count()
    };
    let (errors, warnings) = (count(Level::Error) + 1, count(Level::Warning));
    let summary = format!("checked 3 files: {errors} error(s), {warnings} warning(s)\n");
    assert!(out.ends_with(&summary), "{out}");
}

#[test]
fn cli_formats() {
    let dir = root();
    let (code, out, _) = guardc_check(dir, &["--format", "sarif", SEED_PASTE, LOAD_ERROR]);
    assert_eq!(code, 1);
    let sarif: Value = serde_json::from_str(&out).unwrap();
    assert_valid_sarif(&sarif);
    assert_eq!(
        sarif,
        sarif_report(&file_reports(&[
            check_default(SEED_PASTE),
            check_default(LOAD_ERROR)
        ]))
    );
    let (_, out, _) = guardc_check(dir, &["--format", "github", SEED_PASTE, LOAD_ERROR]);
    assert_eq!(
        out,
        github_annotations(&file_reports(&[
            check_default(SEED_PASTE),
            check_default(LOAD_ERROR)
        ]))
    );
    let (_, out, _) = guardc_check(dir, &["--format", "human", "-A", "all", SEED_PASTE]);
    assert_eq!(out, "checked 1 file: 0 error(s), 0 warning(s)\n");
}

/// `guardc check --approvals`: the partition after the findings (human), an `approvals`
/// object per file (json, the library's rendering; `null` for a document that did not
/// load), and a clear refusal with the formats that carry findings only.
#[test]
fn cli_approvals() {
    let dir = root();
    let approval = "examples/approval.yaml";
    let (code, out, _) = guardc_check(dir, &["--approvals", "-A", "all", approval]);
    assert_eq!(code, 0);
    insta::assert_snapshot!("cli_approvals_human", out);

    let (code, out, _) = guardc_check(
        dir,
        &["--approvals", "--format", "json", approval, LOAD_ERROR],
    );
    assert_eq!(code, 1, "the load error fails the run");
    let report: Value = serde_json::from_str(&out).unwrap();
    let partition = &report["files"][0]["approvals"];
    assert_eq!(partition["complete"], json!(true));
    let classes = &partition["classes"];
    assert_eq!(classes["approvable"]["rules"][0]["rule_index"], json!(0));
    assert_eq!(classes["auto-allowed"]["rules"][0]["rule_index"], json!(1));
    assert_eq!(classes["hard-denied"]["includes_default"], json!(true));
    assert_eq!(report["files"][1]["approvals"], Value::Null);

    let (_, without, _) = guardc_check(dir, &["--format", "json", approval]);
    let without: Value = serde_json::from_str(&without).unwrap();
    assert!(without["files"][0].get("approvals").is_none());

    for format in ["sarif", "github"] {
        let (code, out, err) = guardc_check(dir, &["--approvals", "--format", format, approval]);
        assert_eq!((code, out.as_str()), (2, ""));
        assert!(err.contains("use it with --format human or json"), "{err}");
    }
}

#[test]
fn guardc_toml_sets_the_analysis_budgets() {
    let dir = scratch("analysis-budgets");
    // Four rules the engine must search for: past a tiny document budget they are
    // reported as undecided, never guessed.
    std::fs::write(
        dir.join("controlzero.yaml"),
        "version: '1'\nrules:\n  - allow: '*sec1*'\n  - deny: 'tool1:get_x1sec1*'\n  \
         - allow: '*sec12*'\n  - deny: 'tool12:get_x12sec12*'\n",
    )
    .unwrap();
    let (code, out, err) = guardc_check(&dir, &["--format", "github"]);
    assert_eq!(code, 0, "{err}");
    assert!(!out.contains("analysis-incomplete"), "{out}");
    std::fs::write(dir.join("guardc.toml"), "[analysis]\ndocument-states = 1\n").unwrap();
    let (_, out, err) = guardc_check(&dir, &["--format", "github"]);
    assert!(
        annotations(&out)
            .iter()
            .any(|(_, title)| title.contains("analysis-incomplete")),
        "{out}{err}"
    );
    std::fs::write(dir.join("guardc.toml"), "[analysis]\nrule-states = 0\n").unwrap();
    let (code, _, err) = guardc_check(&dir, &["--format", "github"]);
    assert_eq!(code, 2, "{err}");
    assert!(
        err.contains("`rule-states` must be a positive number"),
        "{err}"
    );
}
