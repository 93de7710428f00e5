#![allow(clippy::unwrap_used, reason = "scratch")]
use regex_automata::dfa::{dense, StartKind};
use regex_automata::nfa::thompson::{self, WhichCaptures};
use regex_automata::MatchKind;
use guardc::pattern::Glob;
use regex_syntax::hir::Hir;
#[test]
fn cost() {
    let globs = ["github17:list_*", "*secret-9-*:*", "bash:*secret-16-*"];
    let t = std::time::Instant::now();
    for i in 0..1000 {
        let g = Glob::parse(globs[i % 3]);
        let hirs = vec![g.to_hir(), Glob::parse("*").to_hir()];
        let nfa = thompson::Compiler::new().configure(thompson::Config::new().which_captures(WhichCaptures::None)).build_many_from_hir(&hirs).unwrap();
        let dfa = dense::Builder::new().configure(dense::Config::new().match_kind(MatchKind::All).start_kind(StartKind::Anchored).accelerate(false).specialize_start_states(false)).build_from_nfa(&nfa).unwrap();
        std::hint::black_box(dfa);
    }
    eprintln!("1000 tiny dfas: {:?}", t.elapsed());
    let _ = Hir::empty();
}
