//! Bundle load time (budget in README.md "Performance": a 10,000-rule bundle loads in
//! under 1 ms, with no automaton rebuild), next to the cost of writing one.
//!
//! `read_bundle` verifies the checksum (XXH3-64 over the whole bundle; BLAKE3 too when
//! signed), copies the body once, validates each distinct DFA of the pool and reads the
//! record lengths; rules and per-tool parts are decoded on first use. The `verify-only`
//! case (`inspect_bundle`: header + checksum) separates hashing from the rest, so a miss
//! can be attributed; `read+drop` adds dropping the loaded policy, which a runtime that
//! reloads its policy pays too.
//! Bundle sizes are printed at setup (they are what a runtime ships).
//!
//! `cargo bench --bench bundle`.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    reason = "benchmark setup: a generator or loader failure must stop the run loudly"
)]

#[path = "support/realistic.rs"]
mod realistic;

use std::hint::black_box;
use std::time::Duration;

use criterion::{BenchmarkId, Criterion, Throughput, criterion_group, criterion_main};
use guardc::bundle::{inspect_bundle, read_bundle, write_bundle};
use guardc::eval::CompiledPolicy;
use realistic::{Kind, generate};

const SIZES: [usize; 3] = [10, 1_000, 10_000];

fn bundle(c: &mut Criterion) {
    for kind in Kind::ALL {
        let mut group = c.benchmark_group(format!("bundle/{}", kind.name()));
        for rules in SIZES {
            let generated = generate(kind, rules);
            let compiled = CompiledPolicy::from_source("bench.yaml", &generated.yaml)
                .expect("the generated policy loads");
            let bytes = write_bundle(&compiled, generated.yaml.as_bytes(), None);
            let (loaded, info) = read_bundle(&bytes, None).expect("the bundle reads back");
            assert_eq!(loaded.policy().rules.len(), rules);
            eprintln!(
                "bundle {}-{rules}: {} bytes (policy section {}, automaton section {}); \
                 YAML {} bytes",
                kind.name(),
                info.total_bytes,
                info.policy_section_bytes,
                info.automaton_section_bytes,
                generated.yaml.len(),
            );
            group.throughput(Throughput::Bytes(bytes.len() as u64));
            group.bench_with_input(BenchmarkId::new("read", rules), &bytes, |b, bytes| {
                // Dropping a loaded policy is the runtime's business, not loading's.
                b.iter_with_large_drop(|| read_bundle(black_box(bytes), None).expect("reads"))
            });
            group.bench_with_input(BenchmarkId::new("read+drop", rules), &bytes, |b, bytes| {
                b.iter(|| drop(read_bundle(black_box(bytes), None).expect("reads")))
            });
            group.bench_with_input(
                BenchmarkId::new("verify-only", rules),
                &bytes,
                |b, bytes| b.iter(|| inspect_bundle(black_box(bytes)).expect("verifies")),
            );
            group.bench_with_input(BenchmarkId::new("write", rules), &compiled, |b, c| {
                b.iter(|| write_bundle(black_box(c), generated.yaml.as_bytes(), None))
            });
        }
        group.finish();
    }
}

criterion_group! {
    name = benches;
    config = Criterion::default()
        .warm_up_time(Duration::from_millis(500))
        .measurement_time(Duration::from_secs(2))
        .sample_size(30);
    targets = bundle
}
criterion_main!(benches);
