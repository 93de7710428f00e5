//! Fuzz target: reading bundles must fail closed, never panic, on hostile bytes.
//!
//! A checksum guards every bundle, so random bytes are rejected before any decoder runs.
//! To reach the policy and automaton decoders the target therefore also *reseals* its
//! input: it builds a header with a correct checksum around fuzzer-chosen sections, and
//! it applies fuzzer-chosen byte edits to a valid bundle and recomputes its checksum.
//! Whatever loads is then asked to decide a few calls, which must not panic either.

#![no_main]

mod common;

use std::sync::OnceLock;

use guardc::bundle::{MAGIC, inspect_bundle, read_bundle, write_bundle};
use guardc::eval::CompiledPolicy;
use libfuzzer_sys::fuzz_target;
use sha2::{Digest, Sha256};

const HEADER_LEN: usize = 128;
const CHECKSUM_AT: usize = 96;

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

/// Recompute the checksum of an unsigned bundle in place (a no-op on short input).
fn reseal(bundle: &mut [u8]) {
    if bundle.len() < HEADER_LEN {
        return;
    }
    let mut hasher = Sha256::new();
    hasher.update(&bundle[..CHECKSUM_AT]);
    hasher.update(&bundle[HEADER_LEN..]);
    let digest = hasher.finalize();
    bundle[CHECKSUM_AT..HEADER_LEN].copy_from_slice(&digest);
}

fn load_and_decide(bytes: &[u8], data: &[u8]) {
    let _ = inspect_bundle(bytes);
    if let Ok((compiled, _)) = read_bundle(bytes, None) {
        common::decide_some(&compiled, data);
    }
}

/// A header around fuzzer-chosen sections: `rule count (u32) | policy length (u32) | body`.
fn forged(data: &[u8]) -> Vec<u8> {
    let word = |at: usize| {
        let mut b = [0u8; 4];
        for (i, slot) in b.iter_mut().enumerate() {
            *slot = data.get(at + i).copied().unwrap_or(0);
        }
        u32::from_le_bytes(b)
    };
    let body = data.get(8..).unwrap_or(&[]);
    let policy_len = (word(4) as usize).min(body.len());
    let mut out = Vec::with_capacity(HEADER_LEN + body.len());
    out.extend_from_slice(&MAGIC);
    out.extend_from_slice(&1u16.to_le_bytes());
    out.extend_from_slice(&0u16.to_le_bytes());
    out.extend_from_slice(&(HEADER_LEN as u32).to_le_bytes());
    out.resize(80, 0);
    out.extend_from_slice(&word(0).to_le_bytes());
    out.extend_from_slice(&(policy_len as u32).to_le_bytes());
    out.extend_from_slice(&((body.len() - policy_len) as u32).to_le_bytes());
    out.resize(HEADER_LEN, 0);
    out.extend_from_slice(body);
    reseal(&mut out);
    out
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
                let at = HEADER_LEN.min(bundle.len() - 1)
                    + at % bundle.len().saturating_sub(HEADER_LEN).max(1);
                if let Some(byte) = bundle.get_mut(at) {
                    *byte ^= edit[2];
                }
            }
            reseal(&mut bundle);
            load_and_decide(&bundle, rest);
        }
    }
});
