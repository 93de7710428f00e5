//! The benchmarks' helper binary: writes the generated policies and request files to
//! disk (for `scripts/bench_reference.py` and the end-to-end `guardc eval --requests`
//! timing) and measures compile time and peak memory in a fresh process.
//!
//! Peak memory cannot be measured inside criterion (the process high-water mark only
//! grows, and criterion itself allocates), so `peak-rss` runs one load + analyze +
//! compile in its own process and reads the kernel's `VmHWM`. Reading `/proc` keeps this
//! free of `unsafe` and of a libc dependency; on a system without `/proc` it says so.
//!
//! ```text
//! cargo run --release --example bench_policies -- dump [DIR] [--batch-lines N]
//! cargo run --release --example bench_policies -- peak-rss KIND RULES
//! cargo run --release --example bench_policies -- analyze-profile KIND RULES
//! cargo run --release --example bench_policies -- check-mix MIX RULES
//! ```
//!
//! `check-mix` runs one `check` (load + analyze) of an analysis benchmark mix
//! (`realistic`, `floating`, `pairs`; see `benches/support/analysis_mixes.rs`) and prints
//! its time, peak memory and what it found, `analysis-incomplete` included: the
//! 100,000-rule rows of the README's analysis table come from it.
//!
//! With `GUARDC_MIX_OUT=FILE` it also writes the generated policy to `FILE`; with
//! `GUARDC_MIX_ALLOW_ALL=1` it checks with every finding allowed (`-A all`).
//!
//! `analyze-profile` times each registered finding on its own, in registry order, so a
//! slow `check` can be attributed to the finding (or the shared region analysis, which
//! the first finding that needs it builds lazily) that spends the time.

// The allocator the `guardc` binary ships with, so these numbers are the CLI's.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

#[path = "../benches/support/realistic.rs"]
mod realistic;

#[path = "../benches/support/analysis_mixes.rs"]
mod analysis_mixes;

use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Instant;

use guardc::analysis::Context;
use guardc::analysis::config::LevelSetting;
use guardc::analysis::findings::FINDINGS;
use guardc::check::{CheckOptions, check_bytes};
use guardc::eval::{CompiledPolicy, interpret};
use guardc::policy::load;
use guardc::source::SourceFile;
use realistic::{Generated, Kind, generate};

const SIZES: [usize; 4] = [10, 100, 1_000, 10_000];
const USAGE: &str = "usage: bench_policies dump [DIR] [--batch-lines N] \
                     | peak-rss KIND RULES | analyze-profile KIND RULES | check-mix MIX RULES";

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let result = match args.first().map(String::as_str) {
        Some("dump") => dump(&args[1..]),
        Some("peak-rss") => peak_rss(&args[1..]),
        Some("analyze-profile") => analyze_profile(&args[1..]),
        Some("check-mix") => check_mix(&args[1..]),
        _ => Err(USAGE.to_owned()),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("bench_policies: {message}");
            ExitCode::FAILURE
        }
    }
}

fn dump(args: &[String]) -> Result<(), String> {
    let mut dir = PathBuf::from("target/bench-policies");
    let mut batch_lines = 200_000;
    let mut rest = args.iter();
    while let Some(arg) = rest.next() {
        if arg == "--batch-lines" {
            batch_lines = rest
                .next()
                .and_then(|n| n.parse().ok())
                .ok_or("--batch-lines needs a number")?;
        } else {
            dir = PathBuf::from(arg);
        }
    }
    std::fs::create_dir_all(&dir).map_err(|e| format!("{}: {e}", dir.display()))?;
    for kind in Kind::ALL {
        for rules in SIZES {
            let generated = generate(kind, rules);
            let compiled = compile(&generated)?;
            verify(&generated, &compiled)?;
            write(&dir, &generated, batch_lines)?;
            println!(
                "{:<18} {:>6} rules  {:>9} bytes of YAML  automaton {:>10} bytes  fallbacks: {}",
                generated.file_stem(),
                rules,
                generated.yaml.len(),
                compiled.automaton().memory_usage(),
                compiled.fallbacks().len(),
            );
            for fallback in compiled.fallbacks() {
                println!(
                    "    fallback: {} group, {} rules matched one by one: {}",
                    fallback.group, fallback.rules, fallback.reason
                );
            }
        }
    }
    println!("wrote {}", dir.display());
    Ok(())
}

fn compile(generated: &Generated) -> Result<CompiledPolicy, String> {
    let name = format!("{}.yaml", generated.file_stem());
    CompiledPolicy::from_source(&name, &generated.yaml).map_err(|diagnostics| {
        let first = diagnostics.first().map(|d| d.message.clone());
        format!("{name} does not load: {first:?}")
    })
}

/// Every scenario must be decided by the rule the generator meant, by both evaluators:
/// a generator bug would otherwise silently turn "late" into "early".
fn verify(generated: &Generated, compiled: &CompiledPolicy) -> Result<(), String> {
    for call in generated.scenarios().iter().chain(&generated.mix(64)) {
        let request = call.request();
        let fast = compiled.decide(&request).rule_index();
        let slow = interpret(compiled.policy(), &request).rule_index();
        if fast != call.expected_rule || slow != call.expected_rule {
            return Err(format!(
                "{}: {} call {}:{} expected rule {:?}, compiled {fast:?}, interpreter {slow:?}",
                generated.file_stem(),
                call.label,
                call.tool,
                call.method,
                call.expected_rule
            ));
        }
    }
    Ok(())
}

fn write(dir: &Path, generated: &Generated, batch_lines: usize) -> Result<(), String> {
    let stem = generated.file_stem();
    let put = |suffix: &str, text: &str| {
        let path = dir.join(format!("{stem}{suffix}"));
        std::fs::write(&path, text).map_err(|e| format!("{}: {e}", path.display()))
    };
    put(".yaml", &generated.yaml)?;
    let lines = |calls: &[realistic::Call], labelled: bool| {
        let mut text = String::new();
        for call in calls {
            text.push_str(&call.json_line(labelled));
            text.push('\n');
        }
        text
    };
    put(".scenarios.jsonl", &lines(&generated.scenarios(), true))?;
    put(".batch.jsonl", &lines(&generated.mix(batch_lines), false))
}

fn kind_and_rules(args: &[String]) -> Result<(Kind, usize), String> {
    let [kind, rules] = args else {
        return Err(USAGE.to_owned());
    };
    let kind = Kind::parse(kind).ok_or_else(|| format!("unknown kind {kind}"))?;
    let rules = rules
        .parse()
        .map_err(|_| format!("bad rule count {rules}"))?;
    Ok((kind, rules))
}

fn analyze_profile(args: &[String]) -> Result<(), String> {
    let (kind, rules) = kind_and_rules(args)?;
    let generated = generate(kind, rules);
    let started = Instant::now();
    let loaded = load(SourceFile::new(
        format!("{}.yaml", generated.file_stem()),
        generated.yaml.clone(),
    ));
    println!(
        "{}: load {:.1} ms",
        generated.file_stem(),
        started.elapsed().as_secs_f64() * 1e3
    );
    let context = Context::new(&loaded);
    let mut total = 0.0;
    for finding in FINDINGS {
        let started = Instant::now();
        let found = (finding.run)(&context);
        let ms = started.elapsed().as_secs_f64() * 1e3;
        total += ms;
        println!(
            "  {:<32} {:>10.1} ms  {:>6} diagnostics",
            finding.info.name,
            ms,
            found.len()
        );
        // The slow ones are what a reader of this profile needs to understand.
        if ms > 100.0 {
            for diagnostic in found.iter().take(2) {
                println!("      {}", diagnostic.message);
            }
        }
    }
    println!("  {:<32} {:>10.1} ms", "all findings", total);
    Ok(())
}

fn peak_rss(args: &[String]) -> Result<(), String> {
    let (kind, rules) = kind_and_rules(args)?;
    let generated = generate(kind, rules);
    let before = high_water_kib()?;
    let started = Instant::now();
    let report = check_bytes(
        &format!("{}.yaml", generated.file_stem()),
        generated.yaml.as_bytes(),
        &CheckOptions::default(),
    );
    let checked = started.elapsed();
    let policy = report.policy.ok_or("the generated policy does not load")?;
    let compiled = CompiledPolicy::new(policy);
    let total = started.elapsed();
    let after = high_water_kib()?;
    println!(
        "{}: {} rules, {} bytes of YAML; load + analyze {:.1} ms, + compile {:.1} ms; \
         peak RSS {:.1} MiB (before: {:.1} MiB, growth {:.1} MiB); automaton {} bytes; \
         {} findings; fallbacks {}",
        generated.file_stem(),
        rules,
        generated.yaml.len(),
        checked.as_secs_f64() * 1e3,
        total.as_secs_f64() * 1e3,
        after as f64 / 1024.0,
        before as f64 / 1024.0,
        (after - before.min(after)) as f64 / 1024.0,
        compiled.automaton().memory_usage(),
        report.diagnostics.len(),
        compiled.fallbacks().len(),
    );
    Ok(())
}

fn check_mix(args: &[String]) -> Result<(), String> {
    let [mix, rules] = args else {
        return Err(USAGE.to_owned());
    };
    let mix = analysis_mixes::Mix::parse(mix).ok_or_else(|| format!("unknown mix {mix}"))?;
    let rules: usize = rules
        .parse()
        .map_err(|_| format!("bad rule count {rules}"))?;
    let text = analysis_mixes::policy(mix, rules);
    // `GUARDC_MIX_OUT=FILE` also writes the policy, to run `guardc check` on it.
    if let Some(out) = std::env::var_os("GUARDC_MIX_OUT") {
        std::fs::write(&out, &text).map_err(|e| format!("{out:?}: {e}"))?;
    }
    // `GUARDC_MIX_ALLOW_ALL=1` checks with every finding allowed (`guardc check -A all`):
    // loading and validation only, the README's `-A all` row.
    let mut options = CheckOptions::default();
    if std::env::var_os("GUARDC_MIX_ALLOW_ALL").is_some() {
        options
            .levels
            .set("all", LevelSetting::Allow)
            .map_err(|e| format!("{e:?}"))?;
    }
    let before = high_water_kib()?;
    let started = Instant::now();
    let report = check_bytes("p.yaml", text.as_bytes(), &options);
    let elapsed = started.elapsed();
    let after = high_water_kib()?;
    let mut counts: std::collections::BTreeMap<&str, usize> = std::collections::BTreeMap::new();
    for diagnostic in &report.diagnostics {
        *counts.entry(diagnostic.code.name).or_default() += 1;
    }
    println!(
        "{} {rules}: {} bytes of YAML; check {:.1} ms; peak RSS {:.1} MiB (before {:.1} MiB); \
         findings {counts:?}",
        mix.name(),
        text.len(),
        elapsed.as_secs_f64() * 1e3,
        after as f64 / 1024.0,
        before as f64 / 1024.0,
    );
    Ok(())
}

/// The process's peak resident set (`VmHWM`), in KiB.
fn high_water_kib() -> Result<u64, String> {
    let status = std::fs::read_to_string("/proc/self/status")
        .map_err(|e| format!("cannot read /proc/self/status ({e}); use /usr/bin/time -v"))?;
    status
        .lines()
        .find_map(|line| line.strip_prefix("VmHWM:"))
        .and_then(|rest| rest.trim().trim_end_matches("kB").trim().parse().ok())
        .ok_or_else(|| "no VmHWM in /proc/self/status".to_owned())
}
