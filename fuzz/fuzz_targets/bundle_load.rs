//! Fuzz target: reading bundles must fail closed, never panic, on hostile bytes.
//!
//! A checksum guards every bundle, so random bytes are rejected before any decoder runs.
//! To reach the policy and automaton decoders the target therefore also *reseals* its
//! input: it builds a correctly hashed header around fuzzer-chosen sections
//! (`guardc::bundle::seal_sections`), and it applies fuzzer-chosen byte edits to a valid
//! bundle (its rule count, section lengths and body) and recomputes both hashes
//! (`guardc::bundle::reseal`). The header layout and hashes are the library's, not
//! copied here: the format-2 offsets this target once hard-coded silently stopped
//! resealing anything when the format changed.
//!
//! Since format 4 a loaded bundle decodes its rule records and per-tool tables on first
//! use, so loading alone reaches little. Whatever loads is asked to decide calls named by
//! the input (before any rule is decoded), then each rule's own subjects, then to decode
//! everything (`validate`); once a part has failed to decode, every decision must be the
//! fail-closed engine error.

#![no_main]

mod common;

use std::sync::OnceLock;

use guardc::bundle::{
    HEADER_LEN, inspect_bundle, read_bundle, reseal, seal_sections, write_bundle,
};
use guardc::eval::{CompiledPolicy, Decision, Request};
use libfuzzer_sys::fuzz_target;

/// Edits may touch the header from the rule count on (80..96: rule count, section
/// lengths, reserved) and the whole body; the hashes after them are recomputed.
const EDITABLE_FROM: usize = 80;

/// A policy with both kinds of rules, so its bundle has both DFAs and every gate.
const SEED_POLICY: &str = "version: '1'\nsettings:\n  default_action: warn\nrules:\n  - deny: 'Bash:sudo *'\n    escalate_on_deny: true\n    reason: 'sudo requires admin approval'\n  - allow: ['gh:*', 'ß*', '[a-c]?:x']\n    resources: ['/etc/*']\n    clients: ['claude-*']\n  - effect: warn\n    action: '*x*'\n    when:\n      env: {op: equals, value: prod}\n      command: 'rm *'\n  - allow: 'Bash:*'\n";

fn valid_bundles() -> &'static [Vec<u8>] {
    static BUNDLES: OnceLock<Vec<Vec<u8>>> = OnceLock::new();
    BUNDLES.get_or_init(|| {
        let Ok(compiled) = CompiledPolicy::from_source("seed.yaml", SEED_POLICY) else {
            return Vec::new();
        };
        let limited = CompiledPolicy::with_limits(compiled.policy().clone(), &common::TINY_LIMITS);
        vec![
            write_bundle(&compiled, SEED_POLICY.as_bytes(), None),
            write_bundle(&limited, SEED_POLICY.as_bytes(), None),
        ]
    })
}

fn load_and_decide(bytes: &[u8], data: &[u8]) {
    let _ = inspect_bundle(bytes);
    let Ok((compiled, _)) = read_bundle(bytes, None) else {
        return;
    };
    // Calls named by the input first, while no rule or tool is decoded yet: the lazy
    // paths a runtime takes.
    let text = String::from_utf8_lossy(data);
    for line in text.lines().take(4) {
        let (tool, method) = line.split_once(':').unwrap_or((line, "*"));
        decide(&compiled, tool, method);
    }
    // Each rule's own subjects (decoding rules one at a time, in no particular order).
    for index in (0..compiled.rule_count()).rev().take(8) {
        let subjects: Vec<String> = compiled
            .rule(index)
            .map(|rule| rule.patterns.iter().map(|p| p.canonical.clone()).collect())
            .unwrap_or_default();
        for subject in subjects.iter().take(4) {
            let (tool, method) = subject.split_once(':').unwrap_or((subject, "*"));
            decide(&compiled, tool, method);
        }
    }
    // `validate` decodes everything. It may also refuse what decoding alone accepts (a
    // tool table out of order): a resealed bundle can say anything, the claim checked
    // here is only the documented one, that a part which did not decode makes every
    // decision the fail-closed engine error.
    let _ = compiled.validate();
    if compiled.is_corrupt() {
        assert_eq!(
            decide(&compiled, "Bash", "ls"),
            Decision::engine_error(),
            "a corrupt bundle decided"
        );
    }
    common::decide_some(&compiled, data);
}

fn decide(compiled: &CompiledPolicy, tool: &str, method: &str) -> Decision {
    let request = Request {
        tool,
        method,
        context: None,
        args: None,
    };
    let decision = compiled.decide(&request);
    // The decision's texts read rules on demand too.
    let _ = decision.reason(compiled, &request);
    let _ = decision.policy_id(compiled);
    decision
}

/// Sealed fuzzer-chosen sections: `rule count (u32) | policy length (u32) | body`.
fn forged(data: &[u8]) -> Vec<u8> {
    let word = |at: usize| {
        let mut b = [0u8; 4];
        for (i, slot) in b.iter_mut().enumerate() {
            *slot = data.get(at + i).copied().unwrap_or(0);
        }
        u32::from_le_bytes(b)
    };
    let body = data.get(8..).unwrap_or(&[]);
    let (policy, automaton) = body.split_at((word(4) as usize).min(body.len()));
    seal_sections(word(0), b"", policy, automaton)
}

fuzz_target!(|data: &[u8]| {
    load_and_decide(data, data);
    let Some((&mode, rest)) = data.split_first() else {
        return;
    };
    match mode % 3 {
        0 => load_and_decide(&forged(rest), rest),
        _ => {
            // Edits to a valid bundle: pairs of (offset, xor mask), offsets as u16.
            let bundles = valid_bundles();
            let Some(valid) = bundles.get(usize::from(mode) % bundles.len().max(1)) else {
                return;
            };
            let mut bundle = valid.clone();
            for edit in rest.chunks_exact(3) {
                let at = usize::from(u16::from_le_bytes([edit[0], edit[1]]));
                if bundle.is_empty() {
                    break;
                }
                let editable = bundle.len().saturating_sub(EDITABLE_FROM).max(1);
                let at = match EDITABLE_FROM + at % editable {
                    // The hashes are recomputed below; send those edits to the body.
                    at if (EDITABLE_FROM + 16..HEADER_LEN).contains(&at) => at + 40,
                    at => at,
                };
                if let Some(byte) = bundle.get_mut(at) {
                    *byte ^= edit[2];
                }
            }
            if reseal(&mut bundle).is_ok() {
                load_and_decide(&bundle, rest);
            }
        }
    }
});
