//! `guardc check`: load and analyze policies, report findings, exit 0/1/2.
//!
//! Finding levels come from the `guardc.toml` beside each policy (or `--config FILE`),
//! then from the `-D`/`-W`/`-A` flags, which override the file. The library parses and
//! applies both (`analysis::config`); this shell only finds and reads the file.

use std::collections::HashMap;
use std::fmt::Write as FmtWrite;
use std::io::BufWriter;
use std::path::{Path, PathBuf};

use clap::{Arg, ArgAction, ArgMatches, Args};

use super::files::{InputKind, read_input};
use super::input::{NotAPolicy, empty_report};
use super::output::{ColorChoice, TextWriter, errln, human_options};
use super::{EXIT_FAILURE, EXIT_FINDINGS, EXIT_OK};
use crate::analysis::LevelConfig;
use crate::analysis::config::{CONFIG_FILE_NAME, LevelSetting};
use crate::check::{CheckOptions, CheckReport, check_bytes, check_json};
use crate::diagnostics::render::{
    FileReport, escape_controls, json_string, render_approvals, sarif_report,
    write_github_annotations, write_human,
};

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
    /// Read finding levels from FILE instead of the guardc.toml beside each policy.
    #[arg(long, value_name = "FILE")]
    pub config: Option<PathBuf>,
    /// Also print the approval partition: which calls are auto-allowed, approvable,
    /// hard-denied or warned, with example calls per tool (human and json formats).
    #[arg(long)]
    pub approvals: bool,
    #[command(flatten)]
    pub levels: LevelFlags,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    /// Source snippets with underlines and help, like rustc.
    Human,
    /// One JSON document (version 1) on stdout.
    Json,
    /// SARIF 2.1.0, for code scanning.
    Sarif,
    /// GitHub workflow annotations (::error file=...), one per line.
    Github,
}

/// `-D`, `-W` and `-A`, in the order they were given: a later flag overrides an earlier
/// one for the same code, as with rustc. Clap's derive keeps each flag's values apart, so
/// this reads the argument indices to merge them back into command-line order.
#[derive(Debug, Default)]
pub struct LevelFlags(Vec<LevelFlag>);

/// One `-D CODE` (or `-W`, `-A`): the flag letter, for messages, and what it sets.
#[derive(Debug)]
struct LevelFlag {
    letter: char,
    setting: LevelSetting,
    code: String,
}

const LEVEL_FLAGS: [(&str, char, LevelSetting, &str); 3] = [
    (
        "deny",
        'D',
        LevelSetting::Deny,
        "Report CODE (a code, a name, or all) as an error",
    ),
    (
        "warn",
        'W',
        LevelSetting::Warn,
        "Report CODE (a code, a name, or all) as a warning",
    ),
    (
        "allow",
        'A',
        LevelSetting::Allow,
        "Do not report CODE (a code, a name, or all findings)",
    ),
];

impl clap::FromArgMatches for LevelFlags {
    fn from_arg_matches(matches: &ArgMatches) -> Result<Self, clap::Error> {
        let mut flags = Vec::new();
        for (id, letter, setting, _) in LEVEL_FLAGS {
            let values = matches.get_many::<String>(id).into_iter().flatten();
            let indices = matches.indices_of(id).into_iter().flatten();
            for (at, code) in indices.zip(values) {
                let code = code.clone();
                flags.push((
                    at,
                    LevelFlag {
                        letter,
                        setting,
                        code,
                    },
                ));
            }
        }
        flags.sort_by_key(|(at, _)| *at);
        Ok(Self(flags.into_iter().map(|(_, flag)| flag).collect()))
    }

    fn update_from_arg_matches(&mut self, matches: &ArgMatches) -> Result<(), clap::Error> {
        *self = Self::from_arg_matches(matches)?;
        Ok(())
    }
}

impl Args for LevelFlags {
    fn augment_args(command: clap::Command) -> clap::Command {
        LEVEL_FLAGS
            .iter()
            .fold(command, |command, &(id, short, _, help)| {
                command.arg(
                    Arg::new(id)
                        .short(short)
                        .long(id)
                        .value_name("CODE")
                        .action(ArgAction::Append)
                        .help(help)
                        .help_heading("Finding levels (applied in order, over guardc.toml)"),
                )
            })
    }

    fn augment_args_for_update(command: clap::Command) -> clap::Command {
        Self::augment_args(command)
    }
}

impl LevelFlags {
    /// The flags as a level configuration, or the first one that names no code (or
    /// lowers a load error).
    fn to_config(&self) -> Result<LevelConfig, String> {
        let mut config = LevelConfig::new();
        for flag in &self.0 {
            config
                .set(&flag.code, flag.setting)
                .map_err(|err| err.render(&format!("-{} {}", flag.letter, flag.code)))?;
        }
        Ok(config)
    }
}

pub fn run(args: CheckArgs, color: ColorChoice) -> u8 {
    match check_all(&args, color) {
        Ok(code) => code,
        Err(message) => {
            errln!("error: {message}");
            EXIT_FAILURE
        }
    }
}

fn check_all(args: &CheckArgs, color: ColorChoice) -> Result<u8, String> {
    if args.approvals && matches!(args.format, Format::Sarif | Format::Github) {
        let message = "--approvals is a report, not findings: use it with --format human or json";
        return Err(message.to_owned());
    }
    let flags = args.levels.to_config()?;
    let paths = resolve_paths(&args.paths)?;
    let mut configs = ConfigFiles::default();
    let mut reports = Vec::new();
    let mut unreadable = false;
    for path in &paths {
        // An unreadable or non-policy file is one report among the others: the findings
        // of every readable file are still printed, in every format.
        let bytes = match read_input(path, InputKind::Policy) {
            Ok(bytes) => bytes,
            Err(failure) => {
                unreadable = true;
                let report = empty_report(path, failure.diagnostic());
                reports.push((report, CheckOptions::default()));
                continue;
            }
        };
        if let Some(what) = NotAPolicy::classify(path, &bytes) {
            reports.push((what.report(path), CheckOptions::default()));
            continue;
        }
        let mut levels = configs.for_policy(path, args.config.as_deref())?;
        levels.extend(&flags);
        let options = CheckOptions {
            deny_warnings: args.deny_warnings,
            levels,
            approvals: args.approvals,
        };
        let report = check_bytes(&path.display().to_string(), &bytes, &options);
        reports.push((report, options));
    }
    let failed = reports.iter().any(|(r, options)| r.fails(options));
    let reports: Vec<CheckReport> = reports.into_iter().map(|(r, _)| r).collect();
    let files: Vec<FileReport<'_>> = reports.iter().map(CheckReport::file_report).collect();
    let mut out = TextWriter::new(BufWriter::new(std::io::stdout().lock()));
    // A closed pipe (`guardc check | head`) ends the output, not the run: the exit code
    // still reports the findings.
    let _ = match args.format {
        Format::Json => writeln!(
            out,
            "{}",
            json_string(&check_json(&reports, args.approvals), false)
        ),
        Format::Sarif => writeln!(out, "{}", json_string(&sarif_report(&files), true)),
        Format::Github => write_github_annotations(&mut out, &files),
        Format::Human => write_human_report(&mut out, &reports, color),
    };
    let _ = out.finish();
    Ok(if unreadable {
        EXIT_FAILURE
    } else if failed {
        EXIT_FINDINGS
    } else {
        EXIT_OK
    })
}

/// The configuration files read so far, by path: policies in one directory share one.
#[derive(Debug, Default)]
struct ConfigFiles(HashMap<PathBuf, LevelConfig>);

impl ConfigFiles {
    /// The levels for a policy: from `explicit` (`--config`), else from the `guardc.toml`
    /// in the policy's directory if there is one, else none.
    fn for_policy(
        &mut self,
        policy: &Path,
        explicit: Option<&Path>,
    ) -> Result<LevelConfig, String> {
        let path = match explicit {
            Some(path) => path.to_path_buf(),
            None => {
                let dir = policy.parent().filter(|d| !d.as_os_str().is_empty());
                let beside = dir.unwrap_or(Path::new(".")).join(CONFIG_FILE_NAME);
                // Present but unreadable (a directory, a FIFO, a dangling symlink) is an
                // error, not "no configuration": levels silently dropped would change
                // what fails the run.
                if std::fs::symlink_metadata(&beside).is_err() {
                    return Ok(LevelConfig::new());
                }
                beside
            }
        };
        if let Some(config) = self.0.get(&path) {
            return Ok(config.clone());
        }
        let bytes = read_input(&path, InputKind::Config).map_err(|failure| failure.full_text())?;
        let text = String::from_utf8(bytes)
            .map_err(|_| format!("cannot read {}: it is not UTF-8 text", path.display()))?;
        let config =
            LevelConfig::from_toml(&text).map_err(|err| err.render(&path.display().to_string()))?;
        self.0.insert(path, config.clone());
        Ok(config)
    }
}

/// Every file's diagnostics (and approval partition), then the totals, written as they
/// are rendered.
fn write_human_report(
    out: &mut impl FmtWrite,
    reports: &[CheckReport],
    color: ColorChoice,
) -> std::fmt::Result {
    let options = human_options(color, false);
    let mut errors = 0;
    let mut warnings = 0;
    for report in reports {
        let file = report.file_report();
        write_human(out, &file, options)?;
        if let Some(approvals) = &report.approvals {
            let text = format!("{}: {}", report.source.name(), render_approvals(approvals));
            writeln!(out, "{}", escape_controls(&text))?;
        }
        errors += file.diagnostics.iter().filter(|d| d.is_error()).count();
        warnings += file
            .diagnostics
            .iter()
            .filter(|d| d.level == crate::diagnostics::Level::Warning)
            .count();
    }
    let noun = if reports.len() == 1 { "file" } else { "files" };
    writeln!(
        out,
        "checked {} {noun}: {errors} error(s), {warnings} warning(s)",
        reports.len()
    )
}

/// The given paths, or the default policy file of the current directory.
fn resolve_paths(given: &[PathBuf]) -> Result<Vec<PathBuf>, String> {
    if !given.is_empty() {
        return Ok(given.to_vec());
    }
    ["controlzero.yaml", "controlzero.yml", "controlzero.json"]
        .iter()
        .map(Path::new)
        .find(|p| std::fs::symlink_metadata(p).is_ok())
        .map(|p| vec![p.to_path_buf()])
        .ok_or_else(|| {
            "no policy given and no controlzero.yaml, .yml or .json in the current directory \
             (pass a path: guardc check POLICY)"
                .to_owned()
        })
}
