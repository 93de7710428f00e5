//! Compile time (README.md "Performance": "compile + analyze"): what `guardc build` does to a
//! document, split into its stages so a miss can be attributed.
//!
//! - `load`: bytes → syntax tree → validated, lowered policy (`policy::load`);
//! - `check`: load + the analyzer (`check::check_bytes`), the library's check;
//! - `check+human`: the same and the human rendering of every finding, what
//!   `guardc check` does before printing (the budget's `check` figure);
//! - `compile`: `CompiledPolicy::new` on an already loaded policy (the automaton);
//! - `load+compile`: load + `CompiledPolicy::new`, what `guardc eval POLICY.yaml` pays
//!   before its first decision;
//! - `build`: check + compile, the budget's "compile + analyze" figure;
//! - `budget/load+compile`: the same as `load+compile` for one exploding pattern per tool
//!   (`t1:*a` followed by 24 `?`, 150 and 300 tools), what one `guardc eval` of such a
//!   policy pays; the policy-wide automaton budget keeps it far under 100 ms.
//!
//! The analyzer's whole-policy passes can take far longer than the rest; a `check` or
//! `build` case whose single trial run exceeds `SLOW_TRIAL` is reported with that one
//! timing (on stderr) instead of ten criterion samples, so `cargo bench` stays minutes
//! long. `examples/bench_policies.rs analyze-profile` attributes such a case to a
//! finding.
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
use std::time::{Duration, Instant};

use criterion::{BatchSize, BenchmarkId, Criterion, criterion_group, criterion_main};
use guardc::check::{CheckOptions, check_bytes};
use guardc::diagnostics::render::{HumanOptions, render_human};
use guardc::eval::CompiledPolicy;
use guardc::policy::load;
use guardc::source::SourceFile;
use realistic::{Kind, generate};

const SIZES: [usize; 2] = [1_000, 10_000];

/// A trial slower than this is reported once instead of sampled ten times.
const SLOW_TRIAL: Duration = Duration::from_secs(3);

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
            group.bench_with_input(BenchmarkId::new("compile", rules), &policy, |b, p| {
                // The clone is setup, outside the timing: `new` takes the policy by value.
                b.iter_batched(|| p.clone(), CompiledPolicy::new, BatchSize::LargeInput)
            });
            group.bench_with_input(BenchmarkId::new("load+compile", rules), bytes, |b, _| {
                b.iter(|| {
                    CompiledPolicy::from_source(&name, black_box(generated.yaml.as_str()))
                        .expect("loads")
                })
            });
            let trial = Instant::now();
            let report = check_bytes(&name, bytes, &options);
            let trial = trial.elapsed();
            if trial > SLOW_TRIAL {
                eprintln!(
                    "compile/{}/check/{rules}: one run took {:.2} s ({} diagnostics); \
                     not sampled (see examples/bench_policies.rs analyze-profile)",
                    kind.name(),
                    trial.as_secs_f64(),
                    report.diagnostics.len()
                );
                continue;
            }
            group.bench_with_input(BenchmarkId::new("check", rules), bytes, |b, bytes| {
                b.iter(|| check_bytes(&name, black_box(bytes), &options))
            });
            group.bench_with_input(BenchmarkId::new("check+human", rules), bytes, |b, bytes| {
                b.iter(|| {
                    let report = check_bytes(&name, black_box(bytes), &options);
                    // Every finding, not the first 200 `guardc check` shows: this
                    // measures the renderer.
                    let unlimited = HumanOptions {
                        max_per_line: usize::MAX,
                        max_per_file: usize::MAX,
                        ..HumanOptions::default()
                    };
                    render_human(&report.file_report(), unlimited)
                })
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

/// One exploding pattern per tool, as `scripts/automaton_budget_fixtures.py` writes it
/// (the 150-tool policy is the fixture `fixtures/automaton/budget-per-tool-explosion.yaml`).
fn per_tool_explosion(tools: usize) -> String {
    let mut yaml = String::from("version: '1'\nrules:\n");
    for i in 0..tools {
        yaml.push_str(&format!("  - deny: 't{i}:*a{}'\n", "?".repeat(24)));
    }
    yaml
}

fn budget(c: &mut Criterion) {
    let mut group = c.benchmark_group("compile/budget");
    group.sample_size(10);
    for tools in [150, 300] {
        let yaml = per_tool_explosion(tools);
        group.bench_with_input(BenchmarkId::new("load+compile", tools), &yaml, |b, yaml| {
            b.iter(|| CompiledPolicy::from_source("p.yaml", black_box(yaml)).expect("loads"))
        });
    }
    group.finish();
}

/// Hostile shapes: one mapping with 70,000 keys, repeated (`reason:` 70,000 times in a
/// rule, which the duplicate-key finding once answered in quadratic time, ~20 s) or
/// distinct (at the top level, in `settings`, in a rule). Loading each must stay far
/// under a second; `check` includes one diagnostic per key.
fn wide_mappings(c: &mut Criterion) {
    const KEYS: usize = 70_000;
    let options = CheckOptions::default();
    let mut group = c.benchmark_group("compile/wide-mappings");
    group.sample_size(10);
    let rule = "rules:\n  - deny: x\n";
    let shapes = [
        (
            "duplicate-reason",
            format!("{rule}{}", "    reason: r\n".repeat(KEYS)),
        ),
        (
            "top-level",
            format!(
                "{}{rule}",
                (0..KEYS).map(|i| format!("k{i}: v\n")).collect::<String>()
            ),
        ),
        (
            "settings",
            format!(
                "settings:\n{}{rule}",
                (0..KEYS)
                    .map(|i| format!("  k{i}: v\n"))
                    .collect::<String>()
            ),
        ),
        (
            "rule",
            format!(
                "{rule}{}",
                (0..KEYS)
                    .map(|i| format!("    k{i}: v\n"))
                    .collect::<String>()
            ),
        ),
    ];
    for (shape, yaml) in &shapes {
        group.bench_with_input(BenchmarkId::new("load", shape), yaml, |b, y| {
            b.iter(|| load(SourceFile::new("wide.yaml", black_box(y.as_str()))))
        });
        group.bench_with_input(BenchmarkId::new("check", shape), yaml, |b, y| {
            b.iter(|| check_bytes("wide.yaml", black_box(y.as_bytes()), &options))
        });
    }
    group.finish();
}

criterion_group! {
    name = benches;
    config = Criterion::default()
        .warm_up_time(Duration::from_secs(1))
        .measurement_time(Duration::from_secs(3));
    targets = compile, budget, wide_mappings
}
criterion_main!(benches);
