//! `guardc eval`: decide one call (readable summary or JSON) or a batch of calls (JSON
//! lines in, JSON lines out, in order).

use super::output::{errln, outln};
use std::io::{BufRead, BufWriter};
use std::path::{Path, PathBuf};

use clap::Args;

use super::files::{InputKind, ReadProblem, open_regular, read_input};
use super::input::{NotAPolicy, missing_magic, named_like_bundle};
use super::keys;
use super::output::{ColorChoice, eprint_load_errors};
use super::{EXIT_FAILURE, EXIT_FINDINGS, EXIT_OK};
use crate::bundle::{is_bundle, read_bundle};
use crate::diagnostics::render::json_string;
use crate::eval::{
    CompiledPolicy, Decision, DecisionRecord, JsonMap, Request, decide_json_lines, trace,
};
use crate::policy::{Policy, load_bytes};

#[derive(Debug, Args)]
pub struct EvalArgs {
    /// The policy (.yaml, .yml, .json) or a compiled bundle (`guardc build`).
    pub policy: PathBuf,
    /// The tool of the call, e.g. 'Bash:sudo ls' or 'github' (with --method).
    pub tool: Option<String>,
    /// The method of the call (default `*`).
    #[arg(long, default_value = "*")]
    pub method: String,
    /// Sets `context.resource`.
    #[arg(long)]
    pub resource: Option<String>,
    /// The call's context as a JSON object, e.g. '{"client_name":"ci"}'.
    #[arg(long)]
    pub context: Option<String>,
    /// The call's arguments as a JSON object.
    #[arg(long)]
    pub args: Option<String>,
    /// Decide a batch: one JSON object per line ({"tool","method"?,"context"?,"args"?});
    /// `-` reads stdin. Prints one JSON decision per line, in order.
    #[arg(long, value_name = "FILE", conflicts_with = "tool")]
    pub requests: Option<PathBuf>,
    /// Print the single decision as one JSON object.
    #[arg(long)]
    pub json: bool,
    /// Print which rules were tried and which gate stopped each.
    #[arg(long)]
    pub explain: bool,
    /// For a bundle: require a signature by this Ed25519 public key.
    #[arg(long, value_name = "FILE")]
    pub verify_key: Option<PathBuf>,
}

pub fn run(args: EvalArgs, color: ColorChoice) -> u8 {
    let Some(compiled) = load_policy(&args.policy, args.verify_key.as_deref(), color) else {
        return EXIT_FAILURE;
    };
    if let Some(path) = &args.requests {
        return run_batch(&compiled, path);
    }
    let Some(tool) = args.tool.as_deref() else {
        errln!("error: give a TOOL to decide, or --requests FILE for a batch");
        return EXIT_FAILURE;
    };
    let mut context = match parse_object(args.context.as_deref(), "--context") {
        Ok(map) => map,
        Err(message) => return fail(&message),
    };
    if let Some(resource) = &args.resource {
        context.insert("resource".into(), resource.clone().into());
    }
    let call_args = match parse_object(args.args.as_deref(), "--args") {
        Ok(map) => map,
        Err(message) => return fail(&message),
    };
    let request = Request {
        tool,
        method: &args.method,
        context: Some(&context),
        args: Some(&call_args),
    };
    let decision = compiled.decide(&request);
    // The record reads only the deciding rule; `--explain` needs them all (for a bundle,
    // `policy()` decodes every rule).
    let record =
        DecisionRecord::new(&decision, &compiled, &request).with_lineage(compiled.lineage());
    if args.explain {
        let policy = compiled.policy();
        print_trace(policy, &trace(policy, &request).1);
    }
    if args.json {
        outln!("{}", json_string(&record, false));
    } else {
        print_summary(&record, &request, &decision);
    }
    EXIT_OK
}

fn load_policy(
    path: &Path,
    verify_key: Option<&Path>,
    color: ColorChoice,
) -> Option<CompiledPolicy> {
    let bytes = match read_input(path, InputKind::PolicyOrBundle) {
        Ok(bytes) => bytes,
        Err(failure) => {
            failure.eprint();
            return None;
        }
    };
    if is_bundle(&bytes) {
        let trusted = match verify_key.map(keys::verifying_key).transpose() {
            Ok(key) => key,
            Err(message) => {
                errln!("error: {message}");
                return None;
            }
        };
        return match read_bundle(&bytes, trusted.as_ref()) {
            Ok((compiled, _)) => Some(compiled),
            Err(err) => {
                errln!("error: {}: {err}; no call was decided", path.display());
                None
            }
        };
    }
    if named_like_bundle(path) {
        let (message, help) = missing_magic(path, &bytes);
        errln!("error: {message}; no call was decided\n  help: {help}");
        return None;
    }
    if let Some(what) = NotAPolicy::classify(path, &bytes) {
        errln!(
            "error: {}; no call was decided\n  help: {}",
            what.message(path),
            what.help()
        );
        return None;
    }
    if verify_key.is_some() {
        errln!(
            "error: --verify-key applies to bundles, and {} is a policy document",
            path.display()
        );
        return None;
    }
    let loaded = load_bytes(&path.display().to_string(), &bytes);
    match loaded.policy {
        Some(policy) if !loaded.has_errors() => {
            Some(CompiledPolicy::new(policy).with_source(&bytes))
        }
        _ => {
            eprint_load_errors(&loaded, color);
            errln!(
                "error: {} did not load; no call was decided",
                path.display()
            );
            None
        }
    }
}

fn fail(message: &str) -> u8 {
    errln!("error: {message}");
    EXIT_FAILURE
}

fn parse_object(text: Option<&str>, flag: &str) -> Result<JsonMap, String> {
    let Some(text) = text else {
        return Ok(JsonMap::new());
    };
    match serde_json::from_str::<serde_json::Value>(text) {
        Ok(serde_json::Value::Object(map)) => Ok(map),
        Ok(_) => Err(format!(
            "{flag} must be a JSON object, like '{{\"key\": \"value\"}}'"
        )),
        Err(err) => Err(format!("{flag} is not valid JSON: {err}")),
    }
}

fn run_batch(compiled: &CompiledPolicy, path: &Path) -> u8 {
    let input: Box<dyn BufRead> = if path.as_os_str() == "-" {
        Box::new(std::io::stdin().lock())
    } else {
        match open_regular(path) {
            Ok(file) => Box::new(std::io::BufReader::with_capacity(1 << 16, file)),
            Err(failure) if matches!(failure.problem, ReadProblem::NotRegular(_)) => {
                return fail(&format!(
                    "{}\n  help: to stream requests from a pipe, give them on stdin: \
                     `--requests - < {}`",
                    failure.message(),
                    path.display()
                ));
            }
            Err(failure) => {
                failure.eprint();
                return EXIT_FAILURE;
            }
        }
    };
    let out = BufWriter::with_capacity(1 << 16, std::io::stdout().lock());
    match decide_json_lines(compiled, input, out) {
        Ok(stats) if stats.malformed > 0 => {
            errln!(
                "error: {} of {} request line(s) were not requests and were decided deny \
                 (fail-closed); their `error` field says why",
                stats.malformed,
                stats.decided
            );
            EXIT_FINDINGS
        }
        Ok(_) => EXIT_OK,
        // A closed stdout (piped into `head`) ends the batch quietly.
        Err(err) if err.kind() == std::io::ErrorKind::BrokenPipe => EXIT_OK,
        Err(err) => fail(&format!("batch stopped: {err}")),
    }
}

fn print_summary(record: &DecisionRecord<'_>, request: &Request<'_>, decision: &Decision) {
    outln!("{}  {}:{}", record.effect, request.tool, request.method);
    let rule = match (record.rule_index, record.line) {
        (Some(index), Some(line)) => format!(" (rules[{index}], line {line})"),
        _ => String::new(),
    };
    outln!(
        "  policy_id:       {}{rule}",
        record.policy_id.unwrap_or("null")
    );
    outln!("  reason:          {}", record.reason);
    outln!("  reason_code:     {}", record.reason_code);
    outln!("  hitl_eligible:   {}", record.hitl_eligible);
    outln!("  evaluated_rules: {}", record.evaluated_rules);
    if decision.hitl_eligible {
        outln!("  approval:        denied, but a human may approve this call once");
    }
}

fn print_trace(policy: &Policy, steps: &[crate::eval::RuleTrace]) {
    outln!("trace:");
    for line in crate::eval::trace_lines(policy, steps).lines() {
        outln!("{line}");
    }
}
