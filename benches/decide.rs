//! Decision latency (budgets in README.md "Performance"): the compiled evaluator and the rule-by-rule
//! interpreter side by side, at 10 to 10,000 rules, on action-only and gated policies.
//!
//! Each policy is measured on three single calls (decided by the second rule, by the
//! last rule, by no rule) and on a mix of 1,024 calls cycled in order. The single calls
//! give the medians the budget names; the mix keeps the branch predictor and caches
//! honest, since a benchmark that repeats one subject forever learns it. The setup checks
//! that each call is decided by the rule the generator meant, by both evaluators, so a
//! "late" number is really the late rule.
//!
//! `compiled-bundle` is the same evaluator on the policy read back from its bundle, as a
//! runtime loads it (rules and per-tool tables decoded on first use, then kept).
//!
//! `cargo bench --bench decide` (about two minutes on 2 cores); filter with e.g.
//! `cargo bench --bench decide -- 'decide/action-only/1000/'`.

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
use guardc::bundle::{read_bundle, write_bundle};
use guardc::eval::{CompiledPolicy, Request, interpret};
use realistic::{Call, Kind, generate};

const SIZES: [usize; 4] = [10, 100, 1_000, 10_000];
const MIX_LEN: usize = 1_024;

fn decide(c: &mut Criterion) {
    for kind in Kind::ALL {
        for rules in SIZES {
            let generated = generate(kind, rules);
            let compiled = CompiledPolicy::from_source("bench.yaml", &generated.yaml)
                .expect("the generated policy loads");
            let policy = compiled.policy();
            // The same policy as a runtime loads it: from its bundle, whose rules and
            // per-tool tables are decoded on first use (`compiled-bundle`).
            let bundle = write_bundle(&compiled, generated.yaml.as_bytes(), None);
            let (from_bundle, _) = read_bundle(&bundle, None).expect("the bundle reads back");
            let scenarios = generated.scenarios();
            let mix = generated.mix(MIX_LEN);
            for call in scenarios.iter().chain(&mix) {
                check(&compiled, call);
                check(&from_bundle, call);
            }
            let mut group = c.benchmark_group(format!("decide/{}/{rules}", kind.name()));
            // The interpreter is linear in rules: at 10,000 rules one mixed iteration
            // takes seconds, so the slow cases get criterion's minimum sample count.
            let slow = rules >= 1_000;
            for call in &scenarios {
                let request = call.request();
                group.sample_size(100);
                group.bench_with_input(
                    BenchmarkId::new("compiled", call.label),
                    &request,
                    |b, r| b.iter(|| compiled.decide(black_box(r))),
                );
                group.bench_with_input(
                    BenchmarkId::new("compiled-bundle", call.label),
                    &request,
                    |b, r| b.iter(|| from_bundle.decide(black_box(r))),
                );
                group.sample_size(if slow { 10 } else { 50 });
                group.bench_with_input(
                    BenchmarkId::new("interpreter", call.label),
                    &request,
                    |b, r| b.iter(|| interpret(policy, black_box(r))),
                );
            }
            let requests: Vec<Request<'_>> = mix.iter().map(Call::request).collect();
            // Per-call time for the mix is the reported time divided by MIX_LEN; the
            // throughput line gives it directly as calls per second.
            group.throughput(Throughput::Elements(MIX_LEN as u64));
            group.sample_size(20);
            group.bench_function(BenchmarkId::new("compiled", "mix"), |b| {
                b.iter(|| {
                    for r in &requests {
                        black_box(compiled.decide(black_box(r)));
                    }
                })
            });
            group.bench_function(BenchmarkId::new("compiled-bundle", "mix"), |b| {
                b.iter(|| {
                    for r in &requests {
                        black_box(from_bundle.decide(black_box(r)));
                    }
                })
            });
            if rules < 10_000 || kind == Kind::ActionOnly {
                group.sample_size(10);
                group.bench_function(BenchmarkId::new("interpreter", "mix"), |b| {
                    b.iter(|| {
                        for r in &requests {
                            black_box(interpret(policy, black_box(r)));
                        }
                    })
                });
            }
            group.finish();
        }
    }
}

fn check(compiled: &CompiledPolicy, call: &Call) {
    let request = call.request();
    let fast = compiled.decide(&request).rule_index();
    let slow = interpret(compiled.policy(), &request).rule_index();
    assert_eq!(fast, call.expected_rule, "compiled: {call:?}");
    assert_eq!(slow, call.expected_rule, "interpreter: {call:?}");
}

criterion_group! {
    name = benches;
    config = Criterion::default()
        .warm_up_time(Duration::from_millis(500))
        .measurement_time(Duration::from_millis(1_500));
    targets = decide
}
criterion_main!(benches);
