//! Regression inputs of the `check` fuzz target (`fuzz/fuzz_targets/check.rs`): shapes
//! that crashed or exhausted `check`, checked here through the library and every report
//! format so that a fix stays fixed without a nightly toolchain.

use guardc::check::{CheckOptions, check_bytes};
use guardc::diagnostics::render::{
    HumanOptions, github_annotations, json_report, render_human, sarif_report,
};

/// `n` rules `deny: '*secret-N-*'`: floating literals the analyzer's match index
/// searches all at once.
fn floating_secrets(n: usize) -> String {
    let mut text = String::from("version: '1'\nrules:\n");
    for i in 0..n {
        text.push_str(&format!("  - deny: '*secret-{i}-*'\n"));
    }
    text
}

/// Checks a document as YAML and renders every format; returns the human report's size.
fn check_everything(text: &str) -> usize {
    let report = check_bytes("p.yaml", text.as_bytes(), &CheckOptions::default());
    let file = report.file_report();
    let human = render_human(&file, HumanOptions::default());
    let json = json_report(&[file]);
    let sarif = sarif_report(&[file]);
    let github = github_annotations(&[file]);
    assert!(json.is_object() && sarif.is_object());
    assert_eq!(github.lines().count(), report.diagnostics.len());
    human.len()
}

/// The seed the fuzz corpus keeps: 300 floating rules check within the harness's
/// memory limit, and the human report stays bounded (each rule is a redundant deny
/// before the deny default; the per-file cap keeps 200 of them).
#[test]
fn three_hundred_floating_literals() {
    let size = check_everything(&floating_secrets(300));
    assert!(size < 1024 * 1024, "{size} bytes");
}

/// The shape: 3,000 floating rules (84 KB) made `check` allocate more than the
/// fuzz harness's 2.5 GB (libFuzzer out-of-memory, 2,807 MB, found while seeding the
/// `check` target): the match index searched the literals with one regex. It now uses
/// Aho-Corasick, and the release binary checks this in 2.4 s and 154 MB.
#[test]
fn three_thousand_floating_literals() {
    let size = check_everything(&floating_secrets(3_000));
    assert!(size < 1024 * 1024, "{size} bytes");
}
