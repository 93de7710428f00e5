//! Compile time (TOOLING.md 5: "compile + analyze"): what `guardc build` does to a
//! document, split into its stages so a miss can be attributed.
//!
//! - `load`: bytes → syntax tree → validated, lowered policy (`policy::load`);
//! - `check`: load + the analyzer (`check::check_bytes`), what `guardc check` runs;
//! - `compile`: `CompiledPolicy::new` on an already loaded policy (the automaton);
//! - `build`: check + compile, the budget's "compile + analyze" figure.
//!
//! Peak memory is a process-wide high-water mark that criterion cannot isolate; it is
//! measured by `examples/bench_policies.rs peak-rss` in a fresh process instead.
//!
//! `cargo bench --bench compile`; the 10,000-rule cases take seconds per iteration, so
//! they run criterion's minimum of ten samples.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    reason = "benchmark setup: a generator or loader failure must stop the run loudly"
)]

#[path = "support/realistic.rs"]
mod realistic;

use std::hint::black_box;
use std::time::Duration;

use criterion::{BatchSize, BenchmarkId, Criterion, criterion_group, criterion_main};
use guardc::check::{CheckOptions, check_bytes};
use guardc::eval::CompiledPolicy;
use guardc::policy::load;
use guardc::source::SourceFile;
use realistic::{Kind, generate};

const SIZES: [usize; 2] = [1_000, 10_000];

fn compile(c: &mut Criterion) {
    let options = CheckOptions::default();
    for kind in Kind::ALL {
        let mut group = c.benchmark_group(format!("compile/{}", kind.name()));
        group.sample_size(10);
        for rules in SIZES {
            let generated = generate(kind, rules);
            let name = format!("{}.yaml", generated.file_stem());
            let bytes = generated.yaml.as_bytes();
            let loaded = load(SourceFile::new(name.as_str(), generated.yaml.as_str()));
            let policy = loaded.policy.expect("the generated policy loads");
            group.bench_with_input(BenchmarkId::new("load", rules), &generated.yaml, |b, y| {
                b.iter(|| load(SourceFile::new(name.as_str(), black_box(y.as_str()))))
            });
            group.bench_with_input(BenchmarkId::new("check", rules), bytes, |b, bytes| {
                b.iter(|| check_bytes(&name, black_box(bytes), &options))
            });
            group.bench_with_input(BenchmarkId::new("compile", rules), &policy, |b, p| {
                // The clone is setup, outside the timing: `new` takes the policy by value.
                b.iter_batched(|| p.clone(), CompiledPolicy::new, BatchSize::LargeInput)
            });
            group.bench_with_input(BenchmarkId::new("build", rules), bytes, |b, bytes| {
                b.iter(|| {
                    let report = check_bytes(&name, black_box(bytes), &options);
                    CompiledPolicy::new(report.policy.expect("loads"))
                })
            });
        }
        group.finish();
    }
}

criterion_group! {
    name = benches;
    config = Criterion::default()
        .warm_up_time(Duration::from_secs(1))
        .measurement_time(Duration::from_secs(3));
    targets = compile
}
criterion_main!(benches);
