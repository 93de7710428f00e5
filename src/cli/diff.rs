//! `guardc diff OLD NEW`: read both policies (files, or `REV:PATH` through `git show`),
//! compare them with the library, print the report, exit 0/1/2.

use std::path::Path;
use std::process::Command;

use clap::Args;

use super::files::{InputKind, read_input};
use super::output::{ColorChoice, eprint_load_errors, errln, outln};
use super::{EXIT_FAILURE, EXIT_FINDINGS, EXIT_OK};
use crate::analysis::compare::{ChangeClass, ProductLimits, diff};
use crate::diagnostics::render::{
    FileReport, Side, diff_diagnostics, diff_json, github_annotations, render_diff_human,
    sarif_report,
};
use crate::policy::{LoadResult, load_bytes};

#[derive(Debug, Args)]
#[command(after_help = "Examples:
  guardc diff main:controlzero.yaml controlzero.yaml   what this branch changes
  guardc diff old.yaml new.yaml --fail-on newly-allowed,no-longer-approvable
  guardc diff old.yaml new.yaml --format json")]
pub struct DiffArgs {
    /// The policy before the change: a file, or REV:PATH (read with `git show`).
    pub old: String,
    /// The policy after the change: a file, or REV:PATH.
    pub new: String,
    /// Output format.
    #[arg(long, value_enum, default_value_t = DiffFormat::Human)]
    pub format: DiffFormat,
    /// Exit 1 when a change of one of these classes is found (comma-separated:
    /// newly-allowed, newly-approvable, newly-hard-denied, no-longer-approvable, to-warn,
    /// from-warn, or all). An incomplete comparison always exits 1 when this is set.
    #[arg(long, value_delimiter = ',', value_name = "CLASSES")]
    pub fail_on: Vec<String>,
    /// Most product states the comparison may visit before it reports itself incomplete.
    #[arg(long, default_value_t = ProductLimits::DEFAULT.max_states)]
    pub max_states: usize,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum DiffFormat {
    Human,
    Json,
    Sarif,
    Github,
}

pub fn run(args: DiffArgs, color: ColorChoice) -> u8 {
    let fail_on = match parse_classes(&args.fail_on) {
        Ok(classes) => classes,
        Err(message) => {
            errln!("error: {message}");
            return EXIT_FAILURE;
        }
    };
    let (Some(old), Some(new)) = (load_side(&args.old, color), load_side(&args.new, color)) else {
        return EXIT_FAILURE;
    };
    let (Some(old_policy), Some(new_policy)) = (&old.policy, &new.policy) else {
        return EXIT_FAILURE;
    };
    let limits = ProductLimits {
        max_states: args.max_states,
        ..ProductLimits::DEFAULT
    };
    let report = diff(old_policy, new_policy, &limits);
    let old_side = Side {
        name: &args.old,
        policy: old_policy,
        source: &old.source,
    };
    let new_side = Side {
        name: &args.new,
        policy: new_policy,
        source: &new.source,
    };
    match args.format {
        DiffFormat::Human => outln!(
            "{}",
            render_diff_human(&report, old_side, new_side).trim_end_matches('\n')
        ),
        DiffFormat::Json => outln!("{:#}", diff_json(&report, old_side, new_side)),
        DiffFormat::Sarif | DiffFormat::Github => {
            let diagnostics = diff_diagnostics(&report, old_side, new_side);
            let files = [FileReport {
                source: &new.source,
                diagnostics: &diagnostics,
            }];
            if args.format == DiffFormat::Sarif {
                outln!("{:#}", sarif_report(&files));
            } else {
                outln!("{}", github_annotations(&files).trim_end_matches('\n'));
            }
        }
    }
    let failed = report.has_any(&fail_on) || (!fail_on.is_empty() && report.incomplete.is_some());
    if failed { EXIT_FINDINGS } else { EXIT_OK }
}

fn parse_classes(names: &[String]) -> Result<Vec<ChangeClass>, String> {
    let mut classes = Vec::new();
    for name in names.iter().map(|n| n.trim()).filter(|n| !n.is_empty()) {
        if name == "all" {
            classes.extend(ChangeClass::ALL);
            continue;
        }
        let class = ChangeClass::parse(name).ok_or_else(|| {
            let known: Vec<&str> = ChangeClass::ALL.iter().map(|c| c.as_str()).collect();
            format!(
                "unknown change class `{name}` for --fail-on (known: {}, all)",
                known.join(", ")
            )
        })?;
        classes.push(class);
    }
    Ok(classes)
}

/// Load one side; on a read or load error, print why and return `None` (exit 2).
fn load_side(spec: &str, color: ColorChoice) -> Option<LoadResult> {
    let bytes = match read_spec(spec) {
        Ok(bytes) => bytes,
        Err(message) => {
            errln!("error: {message}");
            return None;
        }
    };
    let loaded = load_bytes(spec, &bytes);
    if loaded.policy.is_some() && !loaded.has_errors() {
        return Some(loaded);
    }
    eprint_load_errors(&loaded, color);
    errln!("error: {spec} did not load; nothing was compared");
    None
}

/// A file, or `REV:PATH` when no such file exists and the text has a revision part.
fn read_spec(spec: &str) -> Result<Vec<u8>, String> {
    if Path::new(spec).exists() {
        return read_input(Path::new(spec), InputKind::Policy).map_err(|f| f.full_text());
    }
    match spec.split_once(':') {
        Some((rev, path)) if !rev.is_empty() && !path.is_empty() => git_show(spec),
        _ => Err(format!("cannot read {spec}: no such file")),
    }
}

fn git_show(spec: &str) -> Result<Vec<u8>, String> {
    let output = Command::new("git")
        .args(["show", "--no-textconv", spec])
        .output()
        .map_err(|e| format!("cannot run `git show {spec}`: {e}"))?;
    if output.status.success() {
        Ok(output.stdout)
    } else {
        let stderr = String::from_utf8_lossy(&output.stderr);
        Err(format!(
            "cannot read {spec}: `git show` says: {}",
            stderr.trim()
        ))
    }
}
