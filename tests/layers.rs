//! The allowed direction of imports between guardc's layers, checked on the source text.
//!
//! ARCHITECTURE.md ("Layers") lists the layers from the bottom up; a module may import
//! its own layer and the layers below it, never one above. This test reads every
//! `src/**/*.rs` file, takes each path that starts with `crate::` or `super::` (in `use`
//! trees, braces expanded, and in code), and fails naming the file and line of every
//! import that points up. It reads text, not the compiler's resolution: that keeps it
//! a small table and a scan, at the price of trusting two conventions that clippy and
//! rustfmt already hold the code to: unit tests are the last item of a file
//! (`items_after_test_module`), or a file of their own named `tests.rs` or `*_tests.rs`,
//! and are not checked (a test may build its input with a higher layer); and
//! whole-line comments are skipped (a doc link is not an import).

use std::fs;
use std::path::{Path, PathBuf};

/// The layers, from the bottom up. A module belongs to the longest entry that is a
/// prefix of its path, so `diagnostics::render` (renderers, which may show anything the
/// analysis computes) sits high while the rest of `diagnostics` (the diagnostic model
/// and the code table every stage reports with) sits low. ARCHITECTURE.md states the
/// same order; `architecture_lists_the_same_order` holds the two together.
const LAYERS: &[&str] = &[
    "source",
    "pattern",
    "python",
    "diagnostics",
    "registry",
    "syntax",
    "policy",
    "automaton",
    "eval",
    "bundle",
    "analysis",
    "diagnostics::render",
    "check",
    "ide",
    "lsp",
    "cli",
];

/// The crate roots declare every module and may name any of them.
const ROOTS: &[&str] = &["lib.rs", "main.rs"];

/// The index in [`LAYERS`] of a module path (`["diagnostics", "render", "json"]`).
fn layer_of(path: &[String]) -> Option<usize> {
    LAYERS
        .iter()
        .enumerate()
        .filter(|(_, layer)| {
            let parts: Vec<&str> = layer.split("::").collect();
            parts.len() <= path.len() && parts.iter().zip(path).all(|(a, b)| a == b)
        })
        .max_by_key(|(_, layer)| layer.len())
        .map(|(index, _)| index)
}

/// The module path of a file below `src/`: `eval/batch.rs` is `eval::batch`,
/// `diagnostics/render/mod.rs` is `diagnostics::render`.
fn module_of(relative: &Path) -> Vec<String> {
    let mut parts: Vec<String> = relative
        .iter()
        .map(|part| part.to_string_lossy().trim_end_matches(".rs").to_owned())
        .collect();
    if parts.last().is_some_and(|last| last == "mod") {
        parts.pop();
    }
    parts
}

/// The paths a `use` tree names, braces expanded: `crate::a::{b, c::{d, e}}` names
/// `crate::a::b`, `crate::a::c::d` and `crate::a::c::e`.
fn expand_use(tree: &str) -> Vec<Vec<String>> {
    let spaced = tree
        .replace('{', " { ")
        .replace('}', " } ")
        .replace(',', " , ")
        .replace("::", " :: ");
    let tokens: Vec<&str> = spaced.split_whitespace().collect();
    let mut paths = Vec::new();
    let mut at = 0;
    expand_tree(&tokens, &mut at, &[], &mut paths);
    paths
}

fn expand_tree(tokens: &[&str], at: &mut usize, prefix: &[String], out: &mut Vec<Vec<String>>) {
    let mut path = prefix.to_vec();
    while let Some(&token) = tokens.get(*at) {
        *at += 1;
        match token {
            "::" => {}
            "{" => {
                while tokens.get(*at).is_some_and(|&t| t != "}") {
                    expand_tree(tokens, at, &path, out);
                    if tokens.get(*at) == Some(&",") {
                        *at += 1;
                    }
                }
                *at += 1;
                return;
            }
            "," | "}" => {
                *at -= 1;
                break;
            }
            "as" => *at += 1,
            "self" | "*" => {}
            name => path.push(name.to_owned()),
        }
    }
    out.push(path);
}

/// Where a path that starts with `crate` or `super` leads, from the file's module.
fn resolve(path: &[String], module: &[String]) -> Option<Vec<String>> {
    let mut segments = path.iter().peekable();
    let mut base: Vec<String> = match segments.peek().map(|s| s.as_str()) {
        Some("crate") => {
            segments.next();
            Vec::new()
        }
        Some("super") => {
            // `super` of `a/b.rs` (module `a::b`) is `a`; of `a/b/mod.rs` it is `a` too,
            // since that file *is* module `a::b`.
            let mut base = module.to_vec();
            while segments.peek().map(|s| s.as_str()) == Some("super") {
                segments.next();
                base.pop();
            }
            base
        }
        _ => return None,
    };
    base.extend(segments.cloned());
    Some(base)
}

#[derive(Debug, PartialEq)]
struct Violation {
    line: usize,
    target: String,
    from: &'static str,
    to: &'static str,
}

/// The imports of one file's text that point above `module`'s layer.
fn upward_imports(text: &str, module: &[String]) -> Vec<Violation> {
    let Some(own) = layer_of(module) else {
        return vec![Violation {
            line: 0,
            target: module.join("::"),
            from: "(not in LAYERS)",
            to: "(add the module to LAYERS and ARCHITECTURE.md)",
        }];
    };
    let mut found = Vec::new();
    let mut statement = String::new();
    let mut statement_line = 0;
    let lines: Vec<&str> = text.lines().collect();
    for (index, line) in lines.iter().enumerate() {
        let trimmed = line.trim();
        if trimmed == "#[cfg(test)]"
            && lines
                .get(index + 1)
                .is_some_and(|next| next.trim_start().starts_with("mod "))
        {
            break;
        }
        if trimmed.starts_with("//") {
            continue;
        }
        let mut paths = Vec::new();
        let use_at = ["use ", "pub use ", "pub(crate) use ", "pub(super) use "]
            .iter()
            .find(|start| trimmed.starts_with(*start))
            .map(|start| start.len());
        if !statement.is_empty() || use_at.is_some() {
            if statement.is_empty() {
                statement_line = index + 1;
                statement.push_str(&trimmed[use_at.unwrap_or(0)..]);
            } else {
                statement.push(' ');
                statement.push_str(trimmed);
            }
            if let Some(end) = statement.find(';') {
                paths.extend(
                    expand_use(&statement[..end])
                        .into_iter()
                        .map(|p| (statement_line, p)),
                );
                statement.clear();
            }
        } else {
            for (at, _) in trimmed
                .match_indices("crate::")
                .chain(trimmed.match_indices("super::"))
            {
                let before = trimmed[..at].chars().next_back();
                if before.is_some_and(|c| c.is_alphanumeric() || c == '_') {
                    continue;
                }
                let path: Vec<String> = trimmed[at..]
                    .split(|c: char| !(c.is_alphanumeric() || c == '_' || c == ':'))
                    .next()
                    .unwrap_or_default()
                    .split("::")
                    .filter(|s| !s.is_empty())
                    .map(str::to_owned)
                    .collect();
                paths.push((index + 1, path));
            }
        }
        for (line, path) in paths {
            let Some(target) = resolve(&path, module) else {
                continue;
            };
            if let Some(to) = layer_of(&target).filter(|&to| to > own) {
                found.push(Violation {
                    line,
                    target: path.join("::"),
                    from: LAYERS[own],
                    to: LAYERS[to],
                });
            }
        }
    }
    found
}

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() {
            rust_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

#[test]
fn no_import_points_up() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut files = Vec::new();
    rust_files(&src, &mut files);
    files.sort();
    assert!(
        files.len() > 50,
        "found only {} files under src/",
        files.len()
    );
    let mut report = Vec::new();
    for file in &files {
        let relative = file.strip_prefix(&src).unwrap();
        let name = relative.file_name().unwrap().to_string_lossy();
        let is_test_file = name == "tests.rs" || name.ends_with("_tests.rs");
        if is_test_file || (relative.components().count() == 1 && ROOTS.contains(&&*name)) {
            continue;
        }
        let text = fs::read_to_string(file).unwrap();
        let module = module_of(relative);
        for v in upward_imports(&text, &module) {
            report.push(format!(
                "src/{}:{}: `{}` points up, from layer `{}` to layer `{}`",
                relative.display(),
                v.line,
                v.target,
                v.from,
                v.to
            ));
        }
    }
    assert!(
        report.is_empty(),
        "imports that point up (the layers, bottom up: {}):\n{}",
        LAYERS.join(" → "),
        report.join("\n")
    );
}

#[test]
fn architecture_lists_the_same_order() {
    let doc =
        fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("ARCHITECTURE.md")).unwrap();
    let order = LAYERS
        .iter()
        .map(|layer| format!("`{layer}`"))
        .collect::<Vec<_>>()
        .join(" → ");
    assert!(
        doc.contains(&order),
        "ARCHITECTURE.md does not state the layer order of tests/layers.rs:\n{order}"
    );
}

/// The scanner itself: grouped, nested, multi-line and `super` imports, code paths,
/// comments and the trailing test module.
#[test]
fn the_scan_finds_what_points_up() {
    let module: Vec<String> = vec!["eval".into(), "batch".into()];
    let text = "\
//! A doc link to [`crate::analysis`] is not an import.
use crate::policy::Policy;
use crate::{
    source::Span,
    diagnostics::{Diagnostic, render::write_json},
};
use super::super::cli::Args;
fn f() {
    let _ = crate::bundle::read_bundle(bytes);
    let _ = crate::pattern::Glob::new(x);
}
#[cfg(test)]
mod tests {
    use crate::analysis::Context;
}
";
    let found: Vec<(usize, String)> = upward_imports(text, &module)
        .into_iter()
        .map(|v| (v.line, v.target))
        .collect();
    assert_eq!(
        found,
        [
            (3, "crate::diagnostics::render::write_json".to_owned()),
            (7, "super::super::cli::Args".to_owned()),
            (9, "crate::bundle::read_bundle".to_owned()),
        ]
    );
    assert_eq!(
        layer_of(&module_of(Path::new("diagnostics/render/mod.rs"))),
        Some(11)
    );
    assert_eq!(
        layer_of(&module_of(Path::new("diagnostics/codes/findings.rs"))),
        Some(3)
    );
}
