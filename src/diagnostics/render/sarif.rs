//! The SARIF 2.1.0 report, for code scanning (GitHub, Azure DevOps, IDE viewers).
//!
//! One run, whose driver lists every registered code as a rule, so viewers can show a
//! finding's documentation; each diagnostic is a result pointing at its rule by id and
//! index. Columns count characters (Unicode code points), like every other guardc
//! format: the run says so with `columnKind: unicodeCodePoints` rather than converting to
//! SARIF's default UTF-16 units, which would make the SARIF columns disagree with the
//! JSON report's for any line with characters outside the Basic Multilingual Plane.
//! Region ends are exclusive, as in SARIF: `endColumn` is the column just after the span.
//! Witnesses, the reference's own message and the policy rule index go in the result's
//! property bag, which SARIF leaves to the tool.

use std::collections::HashMap;

use serde_json::{Map, Value, json};

use super::{FileReport, plain_text, witness_json};
use crate::diagnostics::{CodeInfo, Diagnostic, Level};
use crate::registry;
use crate::source::{SourceFile, Span};

/// The schema the report declares (`$schema`); a copy of it is vendored under
/// `fixtures/reports/` and the tests validate against that copy.
pub const SARIF_SCHEMA_URI: &str = "https://json.schemastore.org/sarif-2.1.0.json";

/// The whole report for a run over one or more files.
pub fn sarif_report(files: &[FileReport<'_>]) -> Value {
    let rules = registry::all();
    let rule_index: HashMap<&str, usize> = rules
        .iter()
        .enumerate()
        .map(|(index, info)| (info.code, index))
        .collect();
    let results: Vec<Value> = files
        .iter()
        .flat_map(|file| {
            file.diagnostics
                .iter()
                .map(|d| result_json(file.source, d, rule_index.get(d.code.code).copied()))
        })
        .collect();
    json!({
        "$schema": SARIF_SCHEMA_URI,
        "version": "2.1.0",
        "runs": [{
            "tool": { "driver": driver_json(&rules) },
            "columnKind": "unicodeCodePoints",
            "results": results,
        }],
    })
}

fn driver_json(rules: &[&'static CodeInfo]) -> Value {
    let mut driver = Map::new();
    driver.insert("name".into(), json!("guardc"));
    driver.insert("version".into(), json!(env!("CARGO_PKG_VERSION")));
    driver.insert("semanticVersion".into(), json!(env!("CARGO_PKG_VERSION")));
    // The project's address comes from the package metadata, so that it is written down
    // in one place; a build without one leaves the optional field out.
    let homepage = option_env!("CARGO_PKG_HOMEPAGE").filter(|u| !u.is_empty());
    let repository = option_env!("CARGO_PKG_REPOSITORY").filter(|u| !u.is_empty());
    if let Some(uri) = homepage.or(repository) {
        driver.insert("informationUri".into(), json!(uri));
    }
    driver.insert(
        "rules".into(),
        Value::Array(rules.iter().map(|info| rule_json(info)).collect()),
    );
    Value::Object(driver)
}

fn rule_json(info: &CodeInfo) -> Value {
    json!({
        "id": info.code,
        "name": info.name,
        "shortDescription": { "text": info.summary },
        "fullDescription": { "text": info.doc },
        "help": { "text": info.doc, "markdown": info.doc },
        "defaultConfiguration": { "level": sarif_level(info.level) },
    })
}

/// SARIF's levels: `note` is its name for information.
fn sarif_level(level: Level) -> &'static str {
    match level {
        Level::Error => "error",
        Level::Warning => "warning",
        Level::Info => "note",
    }
}

fn result_json(source: &SourceFile, diagnostic: &Diagnostic, rule_index: Option<usize>) -> Value {
    let mut result = Map::new();
    result.insert("ruleId".into(), json!(diagnostic.code.code));
    if let Some(index) = rule_index {
        result.insert("ruleIndex".into(), json!(index));
    }
    result.insert("level".into(), json!(sarif_level(diagnostic.level)));
    result.insert("message".into(), json!({ "text": plain_text(diagnostic) }));
    result.insert(
        "locations".into(),
        json!([{ "physicalLocation": physical_location(source, diagnostic.span) }]),
    );
    if !diagnostic.related.is_empty() {
        let related: Vec<Value> = diagnostic
            .related
            .iter()
            .enumerate()
            .map(|(id, r)| {
                json!({
                    "id": id,
                    "physicalLocation": physical_location(source, r.span),
                    "message": { "text": r.message },
                })
            })
            .collect();
        result.insert("relatedLocations".into(), Value::Array(related));
    }
    let mut properties = Map::new();
    properties.insert("name".into(), json!(diagnostic.code.name));
    if let Some(index) = diagnostic.rule_index {
        properties.insert("policyRuleIndex".into(), json!(index));
    }
    if let Some(compat) = &diagnostic.compat_message {
        properties.insert("compatMessage".into(), json!(compat));
    }
    if !diagnostic.witnesses.is_empty() {
        let witnesses: Vec<Value> = diagnostic.witnesses.iter().map(witness_json).collect();
        properties.insert("witnesses".into(), Value::Array(witnesses));
    }
    result.insert("properties".into(), Value::Object(properties));
    Value::Object(result)
}

fn physical_location(source: &SourceFile, span: Span) -> Value {
    let start = source.lines().line_col(span.start);
    let end = source.lines().line_col(span.end);
    json!({
        "artifactLocation": { "uri": path_uri(source.name()) },
        "region": {
            "startLine": start.line,
            "startColumn": start.col,
            "endLine": end.line,
            "endColumn": end.col,
        },
    })
}

/// The path as given, as a URI reference: relative paths stay relative (code scanning
/// resolves them against the repository root), absolute ones become `file://` URIs, and
/// every byte other than unreserved characters and `/` is percent-encoded (a space, `%`,
/// `#` or a backslash would otherwise change what the reference means).
fn path_uri(path: &str) -> String {
    let mut uri = String::with_capacity(path.len());
    if path.starts_with('/') {
        uri.push_str("file://");
    }
    for byte in path.bytes() {
        if byte.is_ascii_alphanumeric() || b"-._~/".contains(&byte) {
            uri.push(char::from(byte));
        } else {
            uri.push_str(&format!("%{byte:02X}"));
        }
    }
    uri
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_become_uri_references() {
        assert_eq!(path_uri("policies/a b.yaml"), "policies/a%20b.yaml");
        assert_eq!(path_uri("/srv/p.yaml"), "file:///srv/p.yaml");
        assert_eq!(path_uri("ü.yaml"), "%C3%BC.yaml");
        assert_eq!(path_uri("a\\b#1.yaml"), "a%5Cb%231.yaml");
    }
}
