//! `guardc build`: compile a policy into a bundle, refusing broken policies.

use super::output::{errln, outln};
use std::path::PathBuf;

use clap::Args;

use super::files::{InputKind, read_input};
use super::input::NotAPolicy;
use super::keys;
use super::output::{ColorChoice, eprint_errors};
use super::write::{Mode, refuse_overwriting_input, write_atomically};
use super::{EXIT_FAILURE, EXIT_FINDINGS, EXIT_OK};
use crate::bundle::write_bundle;
use crate::check::{CheckOptions, check_bytes};
use crate::eval::CompiledPolicy;

#[derive(Debug, Args)]
pub struct BuildArgs {
    /// The policy to compile (.yaml, .yml, .json).
    pub policy: PathBuf,
    /// Where to write the bundle.
    #[arg(short, long)]
    pub output: PathBuf,
    /// Sign the bundle with this Ed25519 key (32 bytes, raw or hex; see `guardc keygen`).
    #[arg(long, value_name = "FILE")]
    pub sign_key: Option<PathBuf>,
    /// Build even when the analyzer reports error-level findings (load errors still
    /// refuse: there is nothing to compile).
    #[arg(long)]
    pub allow_findings: bool,
}

pub fn run(args: BuildArgs, color: ColorChoice) -> u8 {
    let mut inputs = vec![args.policy.as_path()];
    inputs.extend(args.sign_key.as_deref());
    if let Err(message) = refuse_overwriting_input(&args.output, &inputs) {
        errln!("error: {message}");
        return EXIT_FAILURE;
    }
    let bytes = match read_input(&args.policy, InputKind::Policy) {
        Ok(bytes) => bytes,
        Err(failure) => {
            failure.eprint();
            return EXIT_FAILURE;
        }
    };
    if let Some(what) = NotAPolicy::classify(&args.policy, &bytes) {
        errln!(
            "error: {}; no bundle was written\n  help: {}",
            what.message(&args.policy),
            what.help()
        );
        return EXIT_FAILURE;
    }
    let signing_key = match args.sign_key.as_deref().map(keys::signing_key).transpose() {
        Ok(key) => key,
        Err(message) => {
            errln!("error: {message}");
            return EXIT_FAILURE;
        }
    };
    let report = check_bytes(
        &args.policy.display().to_string(),
        &bytes,
        &CheckOptions::default(),
    );
    let errors = report.diagnostics.iter().filter(|d| d.is_error()).count();
    let Some(policy) = report.policy.clone() else {
        eprint_errors(&report.source, &report.diagnostics, color);
        errln!(
            "error: {} did not load; no bundle was written",
            args.policy.display()
        );
        return EXIT_FAILURE;
    };
    if errors > 0 && !args.allow_findings {
        eprint_errors(&report.source, &report.diagnostics, color);
        errln!(
            "error: refusing to build {} with {} error-level finding(s); fix them or pass --allow-findings",
            args.policy.display(),
            errors
        );
        return EXIT_FINDINGS;
    }
    let compiled = CompiledPolicy::new(policy);
    for fallback in compiled.fallbacks() {
        errln!(
            "warning: the automaton for {} {} rules hit a size limit ({}) and was split into {} \
             parts; decisions stay exact but take longer",
            fallback.rules,
            fallback.group,
            fallback.reason,
            fallback.chunks
        );
    }
    let bundle = write_bundle(&compiled, &bytes, signing_key.as_ref());
    if let Err(message) = write_atomically(&args.output, &bundle, Mode::Public) {
        errln!("error: {message}; no bundle was written");
        return EXIT_FAILURE;
    }
    outln!(
        "built {}: {} rules, {} bytes{}",
        args.output.display(),
        compiled.policy().rules.len(),
        bundle.len(),
        if signing_key.is_some() {
            ", signed"
        } else {
            ""
        }
    );
    EXIT_OK
}
