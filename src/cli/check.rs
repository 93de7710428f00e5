//! `guardc check`: load and analyze policies, report findings, exit 0/1/2.

use std::path::{Path, PathBuf};

use clap::Args;

use super::output::{ColorChoice, human_options};
use super::{EXIT_FAILURE, EXIT_FINDINGS, EXIT_OK};
use crate::check::{CheckOptions, check_bytes};
use crate::diagnostics::render::{FileReport, json_report, render_human};

#[derive(Debug, Args)]
pub struct CheckArgs {
    /// Policy files (.yaml, .yml, .json). Default: ./controlzero.yaml, .yml or .json.
    pub paths: Vec<PathBuf>,
    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Human)]
    pub format: Format,
    /// Treat warnings as errors (exit 1 when any warning is reported).
    #[arg(long)]
    pub deny_warnings: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    /// Source snippets with underlines and help, like rustc.
    Human,
    /// One JSON document (version 1) on stdout.
    Json,
}

pub fn run(args: CheckArgs, color: ColorChoice) -> u8 {
    let paths = match resolve_paths(&args.paths) {
        Ok(paths) => paths,
        Err(message) => {
            eprintln!("error: {message}");
            return EXIT_FAILURE;
        }
    };
    let options = CheckOptions {
        deny_warnings: args.deny_warnings,
    };
    let mut sources = Vec::new();
    for path in &paths {
        match std::fs::read(path) {
            Ok(bytes) => sources.push((path.display().to_string(), bytes)),
            Err(err) => {
                eprintln!("error: cannot read {}: {err}", path.display());
                return EXIT_FAILURE;
            }
        }
    }
    let reports: Vec<_> = sources
        .iter()
        .map(|(name, bytes)| check_bytes(name, bytes, &options))
        .collect();
    let files: Vec<FileReport<'_>> = reports
        .iter()
        .map(|r| FileReport {
            source: &r.source,
            diagnostics: &r.diagnostics,
        })
        .collect();
    match args.format {
        Format::Json => println!("{}", json_report(&files)),
        Format::Human => print_human(&files, color),
    }
    if reports.iter().any(|r| r.fails(&options)) {
        EXIT_FINDINGS
    } else {
        EXIT_OK
    }
}

fn print_human(files: &[FileReport<'_>], color: ColorChoice) {
    let options = human_options(color, false);
    let mut errors = 0;
    let mut warnings = 0;
    for file in files {
        print!("{}", render_human(file, options));
        errors += file.diagnostics.iter().filter(|d| d.is_error()).count();
        warnings += file
            .diagnostics
            .iter()
            .filter(|d| d.level == crate::diagnostics::Level::Warning)
            .count();
    }
    let noun = if files.len() == 1 { "file" } else { "files" };
    println!(
        "checked {} {noun}: {errors} error(s), {warnings} warning(s)",
        files.len()
    );
}

/// The given paths, or the default policy file of the current directory.
fn resolve_paths(given: &[PathBuf]) -> Result<Vec<PathBuf>, String> {
    if !given.is_empty() {
        return Ok(given.to_vec());
    }
    ["controlzero.yaml", "controlzero.yml", "controlzero.json"]
        .iter()
        .map(Path::new)
        .find(|p| p.is_file())
        .map(|p| vec![p.to_path_buf()])
        .ok_or_else(|| {
            "no policy given and no controlzero.yaml, .yml or .json in the current directory \
             (pass a path: guardc check POLICY)"
                .to_owned()
        })
}
