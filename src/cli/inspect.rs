//! `guardc inspect`: show and verify a bundle.

use super::output::{errln, outln};
use std::path::PathBuf;

use clap::Args;

use super::files::{InputKind, read_input};
use super::input::missing_magic;
use super::keys::{self, hex};
use super::{EXIT_FAILURE, EXIT_OK};
use crate::bundle::{BundleError, is_bundle, read_bundle, verify_bundle_hash};

#[derive(Debug, Args)]
pub struct InspectArgs {
    /// The bundle to show.
    pub bundle: PathBuf,
    /// Require a signature by this Ed25519 public key (32 bytes, raw or hex).
    #[arg(long, value_name = "FILE")]
    pub verify_key: Option<PathBuf>,
    /// List every rule.
    #[arg(long)]
    pub rules: bool,
}

pub fn run(args: InspectArgs) -> u8 {
    let bytes = match read_input(&args.bundle, InputKind::Bundle) {
        Ok(bytes) => bytes,
        Err(failure) => {
            failure.eprint();
            return EXIT_FAILURE;
        }
    };
    if !is_bundle(&bytes) {
        let (message, help) = missing_magic(&args.bundle, &bytes);
        errln!("error: {message}\n  help: {help}");
        return EXIT_FAILURE;
    }
    let trusted = match args
        .verify_key
        .as_deref()
        .map(keys::verifying_key)
        .transpose()
    {
        Ok(key) => key,
        Err(message) => {
            errln!("error: {message}");
            return EXIT_FAILURE;
        }
    };
    // A runtime decodes rules and per-tool tables on first use; inspect decodes them
    // all, so a bundle that would fail closed on some call is reported here.
    let (compiled, info) =
        match read_bundle(&bytes, trusted.as_ref()).and_then(|(compiled, info)| {
            compiled
                .validate()
                .map(|()| (compiled, info))
                .map_err(BundleError::Automaton)
        }) {
            Ok(loaded) => loaded,
            Err(err) => {
                errln!("error: {}: {err}", args.bundle.display());
                return EXIT_FAILURE;
            }
        };
    outln!("bundle:           {}", args.bundle.display());
    outln!("format version:   {}", info.format_version);
    outln!("compiler:         guardc {}", info.compiler_version);
    outln!("source sha256:    {}", hex(&info.source_sha256));
    let digest = match verify_bundle_hash(&bytes) {
        Ok(digest) => digest,
        Err(err) => {
            eprintln!("error: {}: {err}", args.bundle.display());
            return EXIT_FAILURE;
        }
    };
    outln!("bundle blake3:    {} (verified)", hex(&digest));
    outln!("checksum xxh3:    {:016x} (verified)", info.checksum);
    match info.signer {
        Some(key) => outln!("signature:        Ed25519, key {} (verified)", hex(&key)),
        None => outln!("signature:        none"),
    }
    outln!(
        "size:             {} bytes (rule table {}, automaton {})",
        info.total_bytes,
        info.policy_section_bytes,
        info.automaton_section_bytes
    );
    outln!("rules:            {}", info.rule_count);
    outln!("default action:   {}", compiled.default_action().as_str());
    outln!("automaton:        {}", compiled.automaton().describe());
    if args.rules {
        for rule in &compiled.policy().rules {
            let patterns: Vec<&str> = rule.patterns.iter().map(|p| p.raw.as_str()).collect();
            outln!(
                "  rules[{}] line {:<4} {:<5} {:<24} {}{}",
                rule.index,
                rule.line,
                rule.effect.as_str(),
                rule.policy_id.as_deref().unwrap_or("null"),
                patterns.join(", "),
                if rule.hitl_eligible() {
                    "  (approvable)"
                } else {
                    ""
                }
            );
        }
    }
    EXIT_OK
}
