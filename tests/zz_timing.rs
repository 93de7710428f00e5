#[test]
fn timing() {
    let text = std::fs::read_to_string("examples/coding-agent.yaml").unwrap();
    let loaded = guardc::policy::load(guardc::source::SourceFile::new("a.yaml", text));
    let ctx = guardc::analysis::Context::new(&loaded);
    let p = loaded.policy.as_ref().unwrap();
    let _ = ctx.regions();
    let t = std::time::Instant::now();
    let mut n = 0;
    for a in &p.rules { for b in &p.rules { let _ = ctx.rule_contains(a, b); n += 1; } }
    eprintln!("{n} pairs in {:?}", t.elapsed());
}
