//! Fuzz target: arbitrary bytes through the loader (as YAML and as JSON), and every
//! document that loads through the compiler and all evaluators, which must agree with
//! the reference interpreter on requests derived from the policy and the input.
//!
//! The loader must never panic or hang on any input (ARCHITECTURE.md: loading never
//! fails; nothing user-controlled is unbounded), and a loaded policy must compile within
//! the default automaton limits.

#![no_main]

mod common;

use guardc::policy::load_bytes;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    for name in ["p.yaml", "p.json"] {
        let loaded = load_bytes(name, data);
        if loaded.has_errors() {
            continue;
        }
        if let Some(policy) = loaded.policy.as_ref() {
            common::assert_equivalent(policy, data);
        }
    }
});
