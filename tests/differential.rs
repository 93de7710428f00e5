//! Differential tests: the compiled evaluator must decide every request exactly as the
//! reference interpreter does, also after a bundle round trip and also
//! when tiny automaton limits force the per-rule fallback paths.
//!
//! Policies are generated as YAML/JSON text from a seeded vocabulary that sits on the
//! dialect's boundaries (`generate.rs`), and requests are derived from each policy's own
//! patterns (`requests.rs`), so most requests land next to a rule's edge. A mismatch
//! prints the policy text and the request as a `guardc eval --requests` line, which is
//! all that is needed to reproduce it. `DIFFERENTIAL_SEED=<n>` reruns another sequence.
//!
//! The default run stays within a few seconds of a debug build. The soak test runs fifty
//! times as many policies, with more large ones; in a release build it takes about four
//! minutes: `cargo test --release --test differential -- --ignored`.

#[path = "differential/generate.rs"]
mod generate;
#[path = "differential/requests.rs"]
mod requests;

use guardc::automaton::AutomatonLimits;
use guardc::bundle::{read_bundle, write_bundle};
use guardc::eval::{CompiledPolicy, Decision, DecisionRecord, Request, interpret};
use guardc::policy::{Policy, load};
use guardc::source::SourceFile;

use generate::{Rng, Sizes};
use requests::{OwnedRequest, requests_for};

/// Limits small enough that groups of rules are split into chunks or matched rule by
/// rule. A zero limit fails every build; the middle values split larger policies at
/// varying points, and a small chunk budget sends the rest of a group to the per-rule
/// path, so every combination of compiled and per-rule chunks gets exercised.
fn fallback_limits(rng: &mut Rng) -> AutomatonLimits {
    let sizes = [0, 1 << 10, 1 << 12, 1 << 13, 1 << 14, 1 << 16];
    AutomatonLimits {
        nfa_bytes: rng.pick(&sizes),
        determinize_bytes: rng.pick(&sizes),
        dfa_bytes: rng.pick(&sizes),
        max_chunks: rng.pick(&[0, 1, 2, 3, 64]),
        pattern_bytes: rng.pick(&[0, 1 << 10, 16 << 10, 1 << 20]),
        // Pools that run out part-way through a policy: the groups built before stay
        // compiled, every later rule is matched per rule.
        policy_bytes: rng.pick(&[0, 1 << 12, 1 << 14, 1 << 16, 256 << 20]),
        failed_bytes: rng.pick(&[0, 256 << 10, 1 << 20, 8 << 20]),
    }
}

/// The evaluators under test for one policy, each labelled for the report.
struct Evaluators {
    compiled: CompiledPolicy,
    bundled: CompiledPolicy,
    limited: CompiledPolicy,
    limited_bundled: CompiledPolicy,
    limits: AutomatonLimits,
}

impl Evaluators {
    fn build(policy: &Policy, source: &str, limits: AutomatonLimits) -> Result<Evaluators, String> {
        let compiled = CompiledPolicy::new(policy.clone());
        let limited = CompiledPolicy::with_limits(policy.clone(), &limits);
        let round_trip = |compiled: &CompiledPolicy| {
            let bytes = write_bundle(compiled, source.as_bytes(), None);
            read_bundle(&bytes, None)
                .map(|(policy, _)| policy)
                .map_err(|e| format!("a freshly written bundle does not load: {e}"))
        };
        Ok(Evaluators {
            bundled: round_trip(&compiled)?,
            limited_bundled: round_trip(&limited)?,
            compiled,
            limited,
            limits,
        })
    }

    fn named(&self) -> [(&'static str, &CompiledPolicy); 4] {
        [
            ("compiled", &self.compiled),
            ("bundle round trip", &self.bundled),
            ("fallback limits", &self.limited),
            ("fallback limits, bundle round trip", &self.limited_bundled),
        ]
    }
}

#[derive(Debug, Default)]
struct Totals {
    policies: usize,
    loaded: usize,
    requests: usize,
    rule_decisions: usize,
    fallback_policies: usize,
    mismatches: Vec<String>,
}

fn record_json(decision: &Decision, policy: &Policy, request: &Request<'_>) -> serde_json::Value {
    serde_json::to_value(DecisionRecord::new(decision, policy, request))
        .unwrap_or(serde_json::Value::Null)
}

fn report(
    file_name: &str,
    text: &str,
    request: &OwnedRequest,
    what: &str,
    limits: &AutomatonLimits,
) -> String {
    format!(
        "{what}\n  fallback limits: {limits:?}\n  request: {}\n  policy ({file_name}):\n{}\n",
        request.to_json(),
        text.lines()
            .map(|l| format!("    {l}"))
            .collect::<Vec<_>>()
            .join("\n")
    )
}

/// Loads one policy document and checks every evaluator on every request.
fn check_policy(
    file_name: &str,
    text: &str,
    requests: &[OwnedRequest],
    limits: AutomatonLimits,
    totals: &mut Totals,
) {
    totals.policies += 1;
    let loaded = load(SourceFile::new(file_name, text));
    let Some(policy) = loaded.policy.as_ref().filter(|_| !loaded.has_errors()) else {
        return;
    };
    totals.loaded += 1;
    let evaluators = match Evaluators::build(policy, text, limits) {
        Ok(evaluators) => evaluators,
        Err(problem) => {
            let no_request = OwnedRequest {
                tool: String::new(),
                method: String::new(),
                context: None,
                args: None,
            };
            let limits = AutomatonLimits::DEFAULT;
            let report = report(file_name, text, &no_request, &problem, &limits);
            totals.mismatches.push(report);
            return;
        }
    };
    if !evaluators.limited.fallbacks().is_empty() {
        totals.fallback_policies += 1;
    }
    for (n, request) in requests.iter().enumerate() {
        totals.requests += 1;
        let view = request.view();
        let expected = interpret(policy, &view);
        if expected.rule_index().is_some() {
            totals.rule_decisions += 1;
        }
        let mut mismatch = |what: String| {
            let report = report(file_name, text, request, &what, &evaluators.limits);
            totals.mismatches.push(report);
        };
        for (name, evaluator) in evaluators.named() {
            let got = evaluator.decide(&view);
            if got != expected {
                mismatch(format!("{name}: {got:?}\n  interpreter: {expected:?}"));
            }
        }
        // What a runtime reports from a bundle (ids, reasons, lines) must be what the
        // source says, and the decoded policy must interpret the same. Rendering records
        // costs more than deciding, so a sample of the requests is enough.
        if n % 4 != 0 {
            continue;
        }
        let bundled_policy = evaluators.bundled.policy();
        let from_bundle = record_json(&expected, bundled_policy, &view);
        let from_source = record_json(&expected, policy, &view);
        if from_bundle != from_source || interpret(bundled_policy, &view) != expected {
            mismatch(format!(
                "bundle record {from_bundle}\n  source record {from_source}"
            ));
        }
    }
}

fn seed_from_env(default: u64) -> u64 {
    std::env::var("DIFFERENTIAL_SEED")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(default)
}

fn run(policies: usize, sizes: Sizes, default_seed: u64) -> Totals {
    let seed = seed_from_env(default_seed);
    let mut rng = Rng::new(seed);
    let mut totals = Totals::default();
    for _ in 0..policies {
        let generated = generate::policy(&mut rng, sizes);
        let count = 12 + 3 * generated.patterns.len().min(10);
        let requests = requests_for(&generated, count, &mut rng);
        let limits = fallback_limits(&mut rng);
        let (name, text) = (generated.file_name(), generated.text());
        check_policy(name, &text, &requests, limits, &mut totals);
        if totals.mismatches.len() >= 20 {
            break;
        }
        if totals.policies % 10_000 == 0 {
            eprintln!(
                "differential: {} policies, {} requests so far",
                totals.policies, totals.requests
            );
        }
    }
    eprintln!(
        "differential (seed {seed}): {} policies generated, {} loaded, {} with forced fallbacks, \
         {} requests ({} decided by a rule), {} mismatches",
        totals.policies,
        totals.loaded,
        totals.fallback_policies,
        totals.requests,
        totals.rule_decisions,
        totals.mismatches.len()
    );
    totals
}

fn assert_agreement_only(totals: &Totals) {
    assert!(
        totals.mismatches.is_empty(),
        "{} mismatches; the first ones:\n{}",
        totals.mismatches.len(),
        totals
            .mismatches
            .iter()
            .take(5)
            .cloned()
            .collect::<Vec<_>>()
            .join("\n")
    );
}

fn assert_agreement(totals: &Totals) {
    assert_agreement_only(totals);
    // A generator whose policies mostly fail to load, or whose requests never reach a
    // rule, would pass vacuously.
    assert!(
        totals.loaded * 10 >= totals.policies * 8,
        "only {}/{} generated policies loaded",
        totals.loaded,
        totals.policies
    );
    assert!(
        totals.rule_decisions * 4 >= totals.requests,
        "only {}/{} requests were decided by a rule",
        totals.rule_decisions,
        totals.requests
    );
    assert!(
        totals.fallback_policies * 3 >= totals.loaded,
        "only {}/{} policies exercised a fallback path",
        totals.fallback_policies,
        totals.loaded
    );
}

#[test]
fn compiled_evaluators_agree_with_the_interpreter() {
    assert_agreement(&run(2_000, Sizes::SMALL, 0x5EED_0001));
}

#[test]
#[ignore = "soak: fifty times the default run; cargo test --release --test differential -- --ignored"]
fn compiled_evaluators_agree_with_the_interpreter_soak() {
    assert_agreement(&run(100_000, Sizes::SOAK, 0x5EED_0002));
}

/// Hand-picked boundaries, and the home of regressions found by the generator or the
/// fuzzers: (file name, policy text, requests as `guardc eval --requests` lines).
const BOUNDARY_CASES: &[(&str, &str, &[&str])] = &[
    (
        "folding.yaml",
        "rules:\n  - deny: ['ß:*', 'ﬁle', 'Σ?']\n  - allow: 'straße:x'\n  - warn: x\n    effect: warn\n    action: '[A-Z]:*'\n",
        &[
            r#"{"tool": "SS", "method": "a"}"#,
            r#"{"tool": "ẞ"}"#,
            r#"{"tool": "FILE"}"#,
            r#"{"tool": "σς"}"#,
            r#"{"tool": "STRASSE", "method": "x"}"#,
            r#"{"tool": "Q"}"#,
            r#"{"tool": "ß:x"}"#,
        ],
    ),
    (
        "gates.yaml",
        "settings: {default_action: deny}\nrules:\n  - deny: 'gh:*'\n    resources: ['/etc/*']\n  - allow: 'gh:repo:list'\n    clients: ['claude-*']\n  - effect: warn\n    actions: ['*:*x*', 'gh']\n    when: {env: {op: equals, value: prod}}\n  - allow: []\n  - allow: '*'\n    projects: ['p?']\n",
        &[
            r#"{"tool": "gh", "method": "repo:list", "context": {"client_name": "claude-code"}}"#,
            r#"{"tool": "gh", "method": "repo:list", "context": {"resource": "/etc/passwd"}}"#,
            r#"{"tool": "gh:repo:list"}"#,
            r#"{"tool": "GH", "method": "x", "context": {"env": "prod"}}"#,
            r#"{"tool": "gh", "method": "x", "context": {"tags": {"env": "prod"}, "project_id": "p1"}}"#,
            r#"{"tool": "t", "context": {"project_id": "p12"}}"#,
            r#"{"tool": ""}"#,
        ],
    ),
    (
        // Found by the soak run: several gated rules whose pattern is exactly `*` were
        // kept as one, so a later catch-all never had its gates checked.
        "catch_all_gated.yaml",
        "rules:\n  - effect: warn\n    actions: ['?[Σ]?', '*', 't:*ß']\n    projects: ['proj-?']\n  - allow: '*'\n    projects: ['']\n  - allow: '*'\n    clients: ['ci']\n  - deny: '[!a]*'\n",
        &[
            r#"{"tool": "t", "method": "x"}"#,
            r#"{"tool": "t", "context": {"project_id": "proj-1"}}"#,
            r#"{"tool": "t", "context": {"project_id": "p", "client_name": "ci"}}"#,
            r#"{"tool": "a", "context": {"project_id": "p"}}"#,
        ],
    ),
    (
        // `matches` on both engines (linear-time and backtracking), and decided
        // fail-closed: undecided conditions pass the deny and warn gates and fail the
        // allow gate, in every evaluator.
        "regex.yaml",
        "rules:\n  - allow: 'Bash'\n    when: {command: {op: matches, value: '\\N{LATIN SMALL LETTER GHA}'}}\n  - deny: 'Bash'\n    when: {command: {op: matches, value: '^(?!.*--dry-run).*rm -rf'}}\n  - effect: warn\n    action: 'Bash:*'\n    when: {command: {op: matches, value: '^(a|aa)+\\1b'}, env: prod}\n  - deny: 'Read'\n    when: {path: {op: matches, value: '(?<=/)\\w{100}$'}}\n  - allow: '*'\n",
        &[
            r#"{"tool": "Bash", "args": {"command": "rm -rf /"}}"#,
            r#"{"tool": "Bash", "args": {"command": "rm -rf --dry-run /"}}"#,
            r#"{"tool": "Bash", "args": {"command": "aaaaaaaaaaaaaaaaaaaaaaaaaaaa"}, "context": {"env": "prod"}}"#,
            r#"{"tool": "Bash", "args": {"command": "aaaaaaaaaaaaaaaaaaaaaaaaaaaa"}, "context": {"env": "dev"}}"#,
            r#"{"tool": "Read", "args": {"path": "/aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"}}"#,
            r#"{"tool": "Read", "args": {"path": "/etc"}}"#,
        ],
    ),
    (
        "dialect.json",
        r#"{"rules": [{"deny": ["[z-a]", "[!z-a]:?", "[]]", "["]}, {"allow": ["a\\b:*", "[^a]", "::", ""]}, {"deny": "*"}]}"#,
        &[
            r#"{"tool": "q", "method": "x"}"#,
            r#"{"tool": "]"}"#,
            r#"{"tool": "["}"#,
            r#"{"tool": "a\\b", "method": "c"}"#,
            r#"{"tool": "^"}"#,
            r#"{"tool": ":", "method": ":"}"#,
            r#"{"tool": "x", "method": ""}"#,
        ],
    ),
];

fn request_from_line(line: &str) -> Option<OwnedRequest> {
    let value: serde_json::Value = serde_json::from_str(line).ok()?;
    let object = |key: &str| value.get(key).and_then(|v| v.as_object()).cloned();
    Some(OwnedRequest {
        tool: value.get("tool")?.as_str()?.to_owned(),
        method: value
            .get("method")
            .and_then(|m| m.as_str())
            .unwrap_or("*")
            .to_owned(),
        context: object("context"),
        args: object("args"),
    })
}

#[test]
fn boundary_cases_agree_under_every_limit() {
    let mut totals = Totals::default();
    let mut limits = vec![AutomatonLimits::DEFAULT];
    let mut rng = Rng::new(7);
    limits.extend((0..6).map(|_| fallback_limits(&mut rng)));
    for (name, text, lines) in BOUNDARY_CASES {
        let requests: Vec<_> = lines
            .iter()
            .map(|line| request_from_line(line).expect("a request line"))
            .collect();
        for limits in &limits {
            check_policy(name, text, &requests, limits.clone(), &mut totals);
        }
    }
    assert_eq!(totals.loaded, totals.policies, "every boundary case loads");
    assert_agreement_only(&totals);
}

/// Requests for a loaded policy derived from its own patterns, as the fuzz target does.
fn requests_from_patterns(policy: &Policy, rng: &mut Rng) -> Vec<OwnedRequest> {
    let mut out = Vec::new();
    for pattern in policy.rules.iter().flat_map(|r| &r.patterns).take(40) {
        for _ in 0..3 {
            let subject = requests::expand(&pattern.canonical, rng);
            let (tool, method) = subject.split_once(':').unwrap_or((&subject, "*"));
            for (tool, method) in [(subject.as_str(), "*"), (tool, method)] {
                out.push(OwnedRequest {
                    tool: tool.to_owned(),
                    method: method.to_owned(),
                    context: None,
                    args: None,
                });
            }
        }
    }
    out
}

/// The committed fuzz seeds (fuzz/corpus/) run through the same checks on every
/// `cargo test`, so a seed added for a crash stays a regression test without nightly.
#[test]
fn fuzz_seed_corpus_agrees() {
    let corpus = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("fuzz/corpus");
    let mut rng = Rng::new(11);
    let mut totals = Totals::default();
    let mut seeds = 0;
    for entry in std::fs::read_dir(corpus.join("load_compile_decide")).unwrap() {
        let bytes = std::fs::read(entry.unwrap().path()).unwrap();
        seeds += 1;
        let Ok(text) = std::str::from_utf8(&bytes) else {
            continue;
        };
        for name in ["p.yaml", "p.json"] {
            let loaded = load(SourceFile::new(name, text));
            let Some(policy) = loaded
                .policy
                .filter(|_| !loaded.diagnostics.iter().any(|d| d.is_error()))
            else {
                continue;
            };
            let requests = requests_from_patterns(&policy, &mut rng);
            let limits = fallback_limits(&mut rng);
            check_policy(name, text, &requests, limits, &mut totals);
        }
    }
    assert_agreement_only(&totals);
    assert!(seeds > 0 && totals.loaded > 0, "the seed corpus is missing");
    // Bundle seeds may predate a format change; loading them must fail closed or decide
    // as the decoded policy says, and never panic.
    for entry in std::fs::read_dir(corpus.join("bundle_load")).unwrap() {
        let bytes = std::fs::read(entry.unwrap().path()).unwrap();
        if let Ok((compiled, _)) = read_bundle(&bytes, None) {
            for request in requests_from_patterns(compiled.policy(), &mut rng) {
                let view = request.view();
                assert_eq!(compiled.decide(&view), interpret(compiled.policy(), &view));
            }
        }
    }
}
