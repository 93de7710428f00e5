//! Using guardc as a library, the way a runtime would: compile a policy once (or load a
//! bundle built by `guardc build`), then decide every tool call in-process.
//!
//! Run with `cargo run --example library`.

use guardc::bundle::{read_bundle, write_bundle};
use guardc::eval::{CompiledPolicy, DecisionRecord, Request};

const POLICY: &str = "\
version: '1'
rules:
  - deny: 'Bash:sudo *'
    escalate_on_deny: true
    reason: 'sudo requires admin approval'
  - allow: 'Bash:*'
";

fn main() -> Result<(), Box<dyn std::error::Error>> {
    // At deploy time: compile and serialize (what `guardc build` does).
    let compiled = CompiledPolicy::from_source("approval.yaml", POLICY)
        .map_err(|diagnostics| format!("the policy did not load: {diagnostics:?}"))?;
    let bundle = write_bundle(&compiled, POLICY.as_bytes(), None);

    // At run time: load the bundle (verified, no automaton rebuild) and decide calls.
    let (policy, info) = read_bundle(&bundle, None)?;
    println!(
        "loaded {} rules, {} bytes",
        info.rule_count, info.total_bytes
    );
    for tool in [
        "Bash:sudo apt-get install python3-foo",
        "Bash:ls -la",
        "Read:secrets",
    ] {
        let request = Request::tool(tool);
        let decision = policy.decide(&request);
        let record = DecisionRecord::new(&decision, policy.policy(), &request);
        println!("{tool:<40} {}", serde_json::to_string(&record)?);
    }
    Ok(())
}
