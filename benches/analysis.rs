//! `check` at scale (README.md "Performance", the analysis table): load + analyze of the
//! three generated mixes of `support/analysis_mixes.rs` at 1,000 and 10,000 rules, and the
//! adversarial pairs at n = 300 (600 rules). The 100,000-rule runs and peak memory are
//! measured in a fresh process by `examples/bench_policies.rs check-mix MIX RULES`:
//! one run of a 100,000-rule check takes seconds, too long for criterion's samples, and
//! the process high-water mark is not something criterion can isolate.
//!
//! `-A all` is measured too: with every finding allowed, `check` must only load and
//! validate (the levels decide what is computed).
//!
//! `cargo bench --bench analysis`

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    reason = "benchmark setup: a generator failure must stop the run loudly"
)]

// The allocator the `guardc` binary ships with, so these numbers are the CLI's.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

#[path = "support/realistic.rs"]
mod realistic;

#[path = "support/analysis_mixes.rs"]
mod analysis_mixes;

use std::hint::black_box;

use analysis_mixes::{Mix, policy};
use criterion::{BenchmarkId, Criterion, criterion_group, criterion_main};
use guardc::analysis::LevelConfig;
use guardc::analysis::config::LevelSetting;
use guardc::check::{CheckOptions, check_bytes};

fn check(c: &mut Criterion) {
    let mut group = c.benchmark_group("analysis/check");
    group.sample_size(10);
    for mix in Mix::ALL {
        for rules in [1_000, 10_000] {
            let text = policy(mix, rules);
            group.bench_function(BenchmarkId::new(mix.name(), rules), |b| {
                b.iter(|| {
                    check_bytes(
                        "p.yaml",
                        black_box(text.as_bytes()),
                        &CheckOptions::default(),
                    )
                });
            });
        }
    }
    let pairs = policy(Mix::Pairs, 600);
    group.bench_function(BenchmarkId::new("pairs", "n=300"), |b| {
        b.iter(|| {
            check_bytes(
                "p.yaml",
                black_box(pairs.as_bytes()),
                &CheckOptions::default(),
            )
        });
    });
    let mut allow_all = LevelConfig::new();
    allow_all.set("all", LevelSetting::Allow).unwrap();
    let options = CheckOptions {
        levels: allow_all,
        ..CheckOptions::default()
    };
    for mix in Mix::ALL {
        let text = policy(mix, 10_000);
        let name = format!("allow-all/{}", mix.name());
        group.bench_function(BenchmarkId::new(name, 10_000), |b| {
            b.iter(|| check_bytes("p.yaml", black_box(text.as_bytes()), &options));
        });
    }
    group.finish();
}

criterion_group!(benches, check);
criterion_main!(benches);
