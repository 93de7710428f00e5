//! `guardc test [PATH]`: find the test files, read them and their policies, run them with
//! the library, print the report, exit 0 (all pass), 1 (a failure, or coverage below
//! `--min-coverage`) or 2 (a test file or policy that cannot be read or loaded).

use std::path::{Path, PathBuf};

use clap::Args;

use super::files::{InputKind, read_input};
use super::output::{ColorChoice, eprint_diagnostics, eprint_load_errors, errln, outln};
use super::{EXIT_FAILURE, EXIT_FINDINGS, EXIT_OK};
use crate::analysis::compare::ProductLimits;
use crate::analysis::policy_tests::{SuiteReport, generate, parse_suite, run_suite};
use crate::diagnostics::render::FileReport;
use crate::diagnostics::render::{junit, render_suite_human, suite_json};
use crate::policy::{Policy, load_bytes};
use crate::source::SourceFile;

#[derive(Debug, Args)]
#[command(after_help = "Examples:
  guardc test                                   run ./controlzero.test.yaml
  guardc test examples/                         every *.test.yaml in a directory
  guardc test policy.yaml --min-coverage 100    fail unless every reachable rule is tested
  guardc test --format junit > report.xml       for CI test reports
  guardc test policy.yaml --generate > policy.test.yaml")]
pub struct TestArgs {
    /// A test file (*.test.yaml), a policy (its sibling NAME.test.yaml is run), or a
    /// directory (every *.test.yaml in it). Default: ./controlzero.test.yaml.
    pub path: Option<PathBuf>,
    /// The test file to run (overrides the one PATH implies).
    #[arg(long, value_name = "FILE")]
    pub tests: Option<PathBuf>,
    /// Output format.
    #[arg(long, value_enum, default_value_t = TestFormat::Human)]
    pub format: TestFormat,
    /// Fail (exit 1) when fewer than P percent of the reachable rules are exercised.
    #[arg(long, value_name = "P")]
    pub min_coverage: Option<f64>,
    /// Print a test file with one test per reachable rule, expecting today's decision.
    #[arg(long)]
    pub generate: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum TestFormat {
    Human,
    Json,
    Junit,
}

pub fn run(args: TestArgs, color: ColorChoice) -> u8 {
    if args.generate {
        return run_generate(args.path.as_deref(), color);
    }
    let files = match test_files(&args) {
        Ok(files) => files,
        Err(message) => return fail(&message),
    };
    let mut reports = Vec::new();
    for file in &files {
        match run_file(file, args.path.as_deref(), color) {
            Some(report) => reports.push((file.display().to_string(), report)),
            None => return EXIT_FAILURE,
        }
    }
    print_reports(&reports, args.format);
    let below = args
        .min_coverage
        .is_some_and(|min| reports.iter().any(|(_, r)| r.coverage.percent() < min));
    if below {
        errln!("error: rule coverage is below --min-coverage");
    }
    if reports.iter().all(|(_, r)| r.passed()) && !below {
        EXIT_OK
    } else {
        EXIT_FINDINGS
    }
}

fn print_reports(reports: &[(String, SuiteReport)], format: TestFormat) {
    match format {
        TestFormat::Human => {
            for (file, report) in reports {
                outln!(
                    "{}",
                    render_suite_human(file, report).trim_end_matches('\n')
                );
            }
        }
        TestFormat::Json => {
            let mut suites: Vec<_> = reports.iter().map(|(f, r)| suite_json(f, r)).collect();
            match suites.len() {
                1 => outln!("{:#}", suites.remove(0)),
                _ => outln!("{:#}", serde_json::json!({"version": 1, "suites": suites})),
            }
        }
        TestFormat::Junit => outln!("{}", junit(reports).trim_end_matches('\n')),
    }
}

/// The test files PATH and --tests name.
fn test_files(args: &TestArgs) -> Result<Vec<PathBuf>, String> {
    if let Some(tests) = &args.tests {
        return Ok(vec![tests.clone()]);
    }
    let path = args
        .path
        .clone()
        .unwrap_or_else(|| PathBuf::from("controlzero.test.yaml"));
    if path.is_dir() {
        let entries =
            std::fs::read_dir(&path).map_err(|e| format!("cannot read {}: {e}", path.display()))?;
        let mut files: Vec<PathBuf> = entries
            .filter_map(Result::ok)
            .map(|e| e.path())
            .filter(|p| is_test_file(p))
            .collect();
        files.sort();
        if files.is_empty() {
            return Err(format!("{} has no *.test.yaml files", path.display()));
        }
        return Ok(files);
    }
    if is_test_file(&path) {
        return Ok(vec![path]);
    }
    Ok(vec![sibling_test_file(&path)])
}

fn is_test_file(path: &Path) -> bool {
    path.file_name()
        .and_then(|n| n.to_str())
        .is_some_and(|n| n.ends_with(".test.yaml") || n.ends_with(".test.yml"))
}

/// `policy.yaml` → `policy.test.yaml`.
fn sibling_test_file(policy: &Path) -> PathBuf {
    let stem = policy
        .file_stem()
        .and_then(|s| s.to_str())
        .unwrap_or("controlzero");
    policy.with_file_name(format!("{stem}.test.yaml"))
}

/// `controlzero.test.yaml` → `controlzero.yaml`, beside it.
fn default_policy_of(test_file: &Path) -> PathBuf {
    let name = test_file.file_name().and_then(|n| n.to_str()).unwrap_or("");
    let policy = name
        .strip_suffix(".test.yaml")
        .or_else(|| name.strip_suffix(".test.yml"))
        .unwrap_or("controlzero");
    test_file.with_file_name(format!("{policy}.yaml"))
}

/// Read, parse and run one test file; `None` after printing why it could not run.
fn run_file(file: &Path, given: Option<&Path>, color: ColorChoice) -> Option<SuiteReport> {
    let bytes = match read_input(file, InputKind::Policy) {
        Ok(bytes) => bytes,
        Err(failure) => {
            failure.eprint();
            return None;
        }
    };
    let source = SourceFile::new(
        file.display().to_string(),
        String::from_utf8_lossy(&bytes).into_owned(),
    );
    let (suite, diagnostics) = parse_suite(&source);
    if report_errors(&source, &diagnostics, color) {
        return None;
    }
    let policy_path = match (&suite.policy, given) {
        (Some((path, _)), _) => file.parent().unwrap_or(Path::new("")).join(path),
        (None, Some(policy)) if !policy.is_dir() && !is_test_file(policy) => policy.to_path_buf(),
        _ => default_policy_of(file),
    };
    let policy = load_policy(&policy_path, color)?;
    let report = run_suite(&suite, &policy, &ProductLimits::DEFAULT);
    if report_errors(&source, &report.diagnostics, color) {
        return None;
    }
    Some(report)
}

/// Print a test file's error diagnostics; whether there were any.
fn report_errors(
    source: &SourceFile,
    diagnostics: &[crate::diagnostics::Diagnostic],
    color: ColorChoice,
) -> bool {
    let errors: Vec<_> = diagnostics
        .iter()
        .filter(|d| d.is_error())
        .cloned()
        .collect();
    if errors.is_empty() {
        return false;
    }
    eprint_diagnostics(
        &FileReport {
            source,
            diagnostics: &errors,
        },
        color,
    );
    errln!("error: {} has errors; no test was run", source.name());
    true
}

fn load_policy(path: &Path, color: ColorChoice) -> Option<Policy> {
    let bytes = match read_input(path, InputKind::Policy) {
        Ok(bytes) => bytes,
        Err(failure) => {
            failure.eprint();
            return None;
        }
    };
    let loaded = load_bytes(&path.display().to_string(), &bytes);
    match loaded.policy {
        Some(policy) if !loaded.has_errors() => Some(policy),
        _ => {
            eprint_load_errors(&loaded, color);
            errln!("error: {} did not load; no test was run", path.display());
            None
        }
    }
}

fn run_generate(path: Option<&Path>, color: ColorChoice) -> u8 {
    let policy_path = path.map_or_else(|| PathBuf::from("controlzero.yaml"), Path::to_path_buf);
    let Some(policy) = load_policy(&policy_path, color) else {
        return EXIT_FAILURE;
    };
    let name = policy_path
        .file_name()
        .and_then(|n| n.to_str())
        .unwrap_or("controlzero.yaml");
    outln!("{}", generate(&policy, name).trim_end_matches('\n'));
    EXIT_OK
}

fn fail(message: &str) -> u8 {
    errln!("error: {message}");
    EXIT_FAILURE
}
