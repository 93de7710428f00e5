#![allow(clippy::unwrap_used, reason = "scratch")]
use guardc::automaton::{Automaton, AutomatonLimits};
use guardc::policy::load;
use guardc::source::SourceFile;
#[test]
fn scratch_auto() {
    let path = std::env::var("POLICY").unwrap();
    let loaded = load(SourceFile::new("p.yaml", std::fs::read_to_string(&path).unwrap()));
    let policy = loaded.policy.as_ref().unwrap();
    let t = std::time::Instant::now();
    let (a, f) = Automaton::build(policy, &AutomatonLimits::default());
    eprintln!("time {:?} {} {:?}", t.elapsed(), a.describe(), f);
}
