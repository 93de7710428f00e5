//! Helpers shared by the fuzz targets: requests derived from a policy and the input, and
//! the equivalence check every evaluator must pass.
//!
//! Requests come from the policy's own patterns (as written and canonical, split at the
//! first `:` and not split) and from the input's first lines, so that the fuzzer's
//! mutations of a pattern are also mutations of the subjects checked against it.

#![allow(dead_code, reason = "each target uses a different part")]

use guardc::automaton::AutomatonLimits;
use guardc::bundle::{read_bundle, write_bundle};
use guardc::eval::{CompiledPolicy, JsonMap, Request, interpret};
use guardc::policy::Policy;
use serde_json::json;

/// Limits that force the per-rule fallback for every non-trivial group.
pub const TINY_LIMITS: AutomatonLimits = AutomatonLimits {
    nfa_bytes: 0,
    determinize_bytes: 0,
    dfa_bytes: 0,
    ..AutomatonLimits::DEFAULT
};

/// At most this many requests per input, to keep each run fast.
const MAX_REQUESTS: usize = 48;

/// (tool, method) pairs to decide: from the patterns, then from the input's lines.
pub fn calls(policy: &Policy, data: &[u8]) -> Vec<(String, String)> {
    let mut out = Vec::new();
    let mut push = |tool: &str, method: &str| {
        if out.len() < MAX_REQUESTS {
            out.push((tool.to_owned(), method.to_owned()));
        }
    };
    for rule in &policy.rules {
        for pattern in &rule.patterns {
            push(&pattern.raw, "*");
            push(&pattern.canonical, "*");
            if let Some((tool, method)) = pattern.canonical.split_once(':') {
                push(tool, method);
                push(&tool.to_uppercase(), method);
            }
            // A literal prefix is the subject a glob is most likely to almost match.
            let prefix = pattern.glob.literal_prefix();
            if let Some((tool, method)) = prefix.split_once(':') {
                push(tool, method);
            }
        }
    }
    let text = String::from_utf8_lossy(data);
    for line in text.lines().take(8) {
        push(line, "*");
        if let Some((tool, method)) = line.split_once(':') {
            push(tool, method);
        }
    }
    push("Bash", "ls");
    push("", "*");
    out
}

/// A few contexts: none, an empty one, and one with every selector key set.
pub fn contexts() -> Vec<Option<JsonMap>> {
    let full = json!({
        "resource": "/etc/passwd",
        "client_name": "claude-code",
        "project_id": "p1",
        "tags": {"env": "prod", "level": 5},
        "command": "sudo rm -rf /",
        "flag": true,
    });
    let full = full.as_object().cloned();
    vec![None, Some(JsonMap::new()), full]
}

/// Every evaluator, on every derived request, must decide what the interpreter decides.
pub fn assert_equivalent(policy: &Policy, data: &[u8]) {
    let compiled = CompiledPolicy::new(policy.clone());
    let limited = CompiledPolicy::with_limits(policy.clone(), &TINY_LIMITS);
    let bundle = write_bundle(&compiled, data, None);
    let bundled = match read_bundle(&bundle, None) {
        Ok((bundled, _)) => bundled,
        Err(error) => panic!("a freshly written bundle does not load: {error}"),
    };
    let contexts = contexts();
    for (tool, method) in calls(policy, data) {
        for context in &contexts {
            let request = Request {
                tool: &tool,
                method: &method,
                context: context.as_ref(),
                args: None,
            };
            let expected = interpret(policy, &request);
            assert_eq!(compiled.decide(&request), expected, "compiled, {request:?}");
            assert_eq!(limited.decide(&request), expected, "fallback, {request:?}");
            assert_eq!(bundled.decide(&request), expected, "bundle, {request:?}");
        }
    }
}

/// Decide a few calls with a policy of unknown provenance: only "no panic" is checked.
pub fn decide_some(compiled: &CompiledPolicy, data: &[u8]) {
    let policy = compiled.policy();
    let contexts = contexts();
    for (tool, method) in calls(policy, data).into_iter().take(16) {
        for context in &contexts {
            let request = Request {
                tool: &tool,
                method: &method,
                context: context.as_ref(),
                args: None,
            };
            let decision = compiled.decide(&request);
            let _ = decision.reason(policy, &request);
            let _ = decision.policy_id(policy);
        }
    }
}
