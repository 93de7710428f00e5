//! Batch throughput (budget in README.md "Performance": at least 500,000 decisions per second per core, JSON
//! in and JSON out): `decide_json_lines`, the loop `guardc eval --requests` runs, over
//! an in-memory JSON-lines input.
//!
//! The whole pipeline is timed (parse each line, decide, render the decision record,
//! serialize it); `parse-only` and `decide-only` split the cost so a miss can be
//! attributed. The end-to-end figure for the binary (file IO, stdout) is measured with
//! hyperfine on `target/release/guardc eval --requests`; see the README.
//!
//! `cargo bench --bench batch`.

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
use guardc::eval::{CompiledPolicy, JsonMap, Request, decide_json_lines};
use realistic::{Call, Kind, generate};

const SIZES: [usize; 3] = [10, 1_000, 10_000];
const LINES: usize = 20_000;

fn batch(c: &mut Criterion) {
    for kind in Kind::ALL {
        let mut group = c.benchmark_group(format!("batch/{}", kind.name()));
        group.sample_size(20);
        group.throughput(Throughput::Elements(LINES as u64));
        for rules in SIZES {
            let generated = generate(kind, rules);
            let compiled = CompiledPolicy::from_source("bench.yaml", &generated.yaml)
                .expect("the generated policy loads");
            let calls = generated.mix(LINES);
            let mut input = String::new();
            for call in &calls {
                input.push_str(&call.json_line(false));
                input.push('\n');
            }
            let mut output = Vec::with_capacity(input.len() * 4);
            group.bench_with_input(BenchmarkId::new("json-lines", rules), &input, |b, i| {
                b.iter(|| {
                    output.clear();
                    let stats = decide_json_lines(&compiled, black_box(i.as_bytes()), &mut output)
                        .expect("in-memory IO does not fail");
                    assert_eq!(stats.decided, LINES);
                })
            });
            group.bench_with_input(BenchmarkId::new("parse-only", rules), &input, |b, i| {
                b.iter(|| {
                    for line in i.lines() {
                        black_box(serde_json::from_str::<Line>(line).expect("valid JSON"));
                    }
                })
            });
            group.bench_with_input(BenchmarkId::new("decide-only", rules), &calls, |b, cs| {
                let requests: Vec<Request<'_>> = cs.iter().map(Call::request).collect();
                b.iter(|| {
                    for r in &requests {
                        black_box(compiled.decide(black_box(r)));
                    }
                })
            });
        }
        group.finish();
    }
}

/// The shape `decide_json_lines` parses each line into (its own type is private).
#[derive(Debug, serde::Deserialize)]
struct Line {
    #[serde(rename = "tool")]
    _tool: serde_json::Value,
    #[serde(default, rename = "method")]
    _method: Option<String>,
    #[serde(default, rename = "context")]
    _context: Option<JsonMap>,
    #[serde(default, rename = "args")]
    _args: Option<JsonMap>,
}

criterion_group! {
    name = benches;
    config = Criterion::default()
        .warm_up_time(Duration::from_millis(500))
        .measurement_time(Duration::from_secs(2));
    targets = batch
}
criterion_main!(benches);
