//! The command-line shell: argument parsing, file IO, output streams and exit codes.
//!
//! Each subcommand is a few lines that read input, call the library and print what it
//! returns. Nothing here decides anything about policies.
//!
//! Exit codes (stable): 0 success and no error-level findings; 1 error-level findings
//! (`check`), a refused build, or request lines that were not requests (`eval
//! --requests`, each decided fail-closed); 2 the tool could not do its job (unreadable
//! file, bad flags, a policy that fails to load for `eval`, an output that would replace
//! an input).

mod build;
mod check;
mod diff;
mod eval;
mod explain;
mod files;
mod input;
mod inspect;
mod keys;
mod output;
mod test;
mod write;

use std::process::ExitCode;

use clap::{Parser, Subcommand};

pub use output::ColorChoice;

/// guardc: compile, analyze and evaluate Control Zero agent policies (controlzero.yaml).
#[derive(Debug, Parser)]
#[command(name = "guardc", version, about, long_about = None, after_help = EXAMPLES)]
pub struct Cli {
    /// When to use colours: auto (a terminal, and NO_COLOR unset), always, never.
    #[arg(long, global = true, value_enum, default_value_t = ColorChoice::Auto)]
    pub color: ColorChoice,
    #[command(subcommand)]
    pub command: Command,
}

const EXAMPLES: &str = "\
Examples:
  guardc check                                   check ./controlzero.yaml
  guardc check policies/*.yaml --format json     machine-readable findings for CI
  guardc eval examples/approval.yaml 'Bash:sudo apt-get install x'
  guardc eval policy.yaml --requests calls.jsonl decide a batch, one JSON object per line
  guardc build policy.yaml -o policy.bundle      compile for runtimes
  guardc eval policy.bundle 'Bash:ls'            bundles give the same answers
  guardc inspect policy.bundle --rules           header, hashes, rules; verified
  guardc diff main:controlzero.yaml controlzero.yaml  what a branch changes
  guardc test examples/                          policy tests and proven invariants
  guardc explain deny-and-allow                  documentation of a diagnostic";

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Load and analyze policies; report every problem found.
    Check(check::CheckArgs),
    /// Decide one call, or a batch of calls, against a policy.
    Eval(eval::EvalArgs),
    /// Compile a policy into a bundle that runtimes load.
    Build(build::BuildArgs),
    /// Show and verify a compiled bundle.
    Inspect(inspect::InspectArgs),
    /// Compare two policies: every change in what they decide, with a witness call.
    Diff(diff::DiffArgs),
    /// Run policy tests: expected decisions, proven invariants, rule coverage.
    Test(test::TestArgs),
    /// Print the documentation of a diagnostic code or name.
    Explain(explain::ExplainArgs),
    /// Generate an Ed25519 key pair for signing bundles.
    Keygen(keys::KeygenArgs),
    /// Run the language server over stdin/stdout (for editors; see editors/).
    #[cfg(feature = "lsp")]
    Lsp,
}

/// Parse the process arguments and run the command.
pub fn main() -> ExitCode {
    let cli = Cli::parse();
    let color = cli.color;
    let code = match cli.command {
        Command::Check(args) => check::run(args, color),
        Command::Eval(args) => eval::run(args, color),
        Command::Build(args) => build::run(args, color),
        Command::Inspect(args) => inspect::run(args),
        Command::Explain(args) => explain::run(args),
        Command::Diff(args) => diff::run(args, color),
        Command::Test(args) => test::run(args, color),
        Command::Keygen(args) => keys::run_keygen(args),
        #[cfg(feature = "lsp")]
        Command::Lsp => match crate::lsp::run_stdio() {
            Ok(()) => EXIT_OK,
            Err(message) => {
                eprintln!("error: the language server stopped: {message}");
                EXIT_FAILURE
            }
        },
    };
    ExitCode::from(code)
}

/// Exit code: success, and nothing at error level.
pub const EXIT_OK: u8 = 0;
/// Exit code: error-level findings (and malformed `--requests` lines).
pub const EXIT_FINDINGS: u8 = 1;
/// Exit code: the tool could not run.
pub const EXIT_FAILURE: u8 = 2;
