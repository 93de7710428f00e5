//! Shared helpers for the integration tests: reading the conformance vectors copied from
//! the reference SDK into `fixtures/conformance/`.

#![allow(
    dead_code,
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    reason = "test helpers: not every binary uses each one, and a malformed fixture fails the test"
)]

use std::path::{Path, PathBuf};

use guardc::source::SourceFile;
use serde_json::Value;

pub fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures")
}

/// The `cases` of every JSON file directly in a conformance folder, with the file name.
pub fn vector_files(folder: &str) -> Vec<(String, Value)> {
    let dir = fixtures().join("conformance").join(folder);
    let mut files: Vec<_> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("cannot read {}: {e}", dir.display()))
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|x| x == "json"))
        .collect();
    files.sort();
    files
        .into_iter()
        .map(|path| {
            let text = std::fs::read_to_string(&path).unwrap();
            let name = path.file_name().unwrap().to_string_lossy().into_owned();
            (name, serde_json::from_str(&text).unwrap())
        })
        .collect()
}

/// One vector file under `fixtures/conformance/`, by its relative path.
pub fn vector_file(path: &str) -> Value {
    let path = fixtures().join("conformance").join(path);
    let text = std::fs::read_to_string(&path)
        .unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()));
    serde_json::from_str(&text).unwrap()
}

/// The policy of a case as the document a user would have written: `policy` as a
/// `.json` file, `policy_yaml` verbatim as a `.yaml` file.
pub fn case_source(case: &Value) -> SourceFile {
    if let Some(yaml) = case.get("policy_yaml").and_then(Value::as_str) {
        SourceFile::new("policy.yaml", yaml)
    } else {
        let policy = case.get("policy").expect("case has a policy");
        SourceFile::new("policy.json", serde_json::to_string(policy).unwrap())
    }
}
