//! The loader's entry points: bytes or text in, diagnostics and (when the reference
//! would load the document) a [`Policy`] out.
//!
//! The stages run in the reference's order (file format, decoding, parsing, empty
//! document, root type, validation, lowering), and each stage runs only if the previous
//! ones produced no error: the reference stops at the first failing stage, and reporting
//! validation errors for a partly parsed tree would give messages about text the user
//! did not write.

use super::{Policy, lower, validate};
use crate::diagnostics::Diagnostic;
use crate::diagnostics::codes::{schema, syntax as syntax_codes};
use crate::source::{SourceFile, Span};
use crate::syntax::{self, Limits, Node, Syntax};

/// What loading a document gave.
#[derive(Debug)]
pub struct LoadResult {
    pub source: SourceFile,
    /// The document tree, when it could be read (also when validation failed, for the
    /// analyzer and the editor).
    pub document: Option<Node>,
    /// The policy, when the document loads (no error-level diagnostic).
    pub policy: Option<Policy>,
    /// Every diagnostic, in the order the reference would report them.
    pub diagnostics: Vec<Diagnostic>,
}

impl LoadResult {
    /// Whether any diagnostic is an error, i.e. the reference would refuse the document.
    pub fn has_errors(&self) -> bool {
        self.diagnostics.iter().any(Diagnostic::is_error)
    }
}

/// Load a document with the default resource limits.
pub fn load(source: SourceFile) -> LoadResult {
    load_with_limits(source, &Limits::DEFAULT)
}

/// Load a document from raw bytes (as read from disk): it must be UTF-8. Nothing else
/// is altered (a byte-order mark is left to the front-end, as the reference leaves it
/// to its parser).
pub fn load_bytes(name: &str, bytes: &[u8]) -> LoadResult {
    let error = match std::str::from_utf8(bytes) {
        Ok(text) => return load(SourceFile::new(name, text)),
        Err(error) => error,
    };
    // The lossy text keeps every byte before the error in place, so the span (the
    // replacement character standing for the bad sequence) is exact.
    let source = SourceFile::new(name, String::from_utf8_lossy(bytes).into_owned());
    // The reference checks the suffix before it reads the file.
    let diagnostic = match syntax_of(name) {
        Err(suffix) => unsupported_format(suffix),
        Ok(_) => {
            let start = error.valid_up_to();
            let span = Span::new(start, start + char::REPLACEMENT_CHARACTER.len_utf8());
            Diagnostic::new(
                &syntax_codes::INVALID_UTF8,
                span,
                "the document is not valid UTF-8",
            )
            .with_label("this byte sequence is not UTF-8")
            .with_help("re-save the file with UTF-8 encoding")
        }
    };
    LoadResult {
        source,
        document: None,
        policy: None,
        diagnostics: vec![diagnostic],
    }
}

/// Load a document within `limits`.
pub fn load_with_limits(source: SourceFile, limits: &Limits) -> LoadResult {
    let mut result = LoadResult {
        source,
        document: None,
        policy: None,
        diagnostics: Vec::new(),
    };
    let syntax = match syntax_of(result.source.name()) {
        Ok(syntax) => syntax,
        Err(suffix) => {
            result.diagnostics.push(unsupported_format(suffix));
            return result;
        }
    };
    let parsed = syntax::parse(&result.source, syntax, limits);
    result.document = parsed.root;
    result.diagnostics = parsed.diagnostics;
    if result.has_errors() {
        return result;
    }
    if let Some(diagnostic) = root_problem(&result.source, result.document.as_ref()) {
        result.diagnostics.push(diagnostic);
        return result;
    }
    let Some(root) = result.document.as_ref() else {
        return result;
    };
    let Some(map) = root.as_map() else {
        return result;
    };
    result
        .diagnostics
        .extend(validate::validate(&result.source, root, map));
    if !result.has_errors() {
        match lower::lower(&result.source, map) {
            Ok(policy) => result.policy = Some(policy),
            Err(span) => result.diagnostics.push(internal_error(span)),
        }
    }
    result
}

fn internal_error(span: Span) -> Diagnostic {
    Diagnostic::new(
        &schema::INTERNAL_LOAD_ERROR,
        span,
        "guardc could not build the policy from this part of the document",
    )
    .with_label("accepted by validation, but not lowered")
    .with_help("this is a bug in guardc: please report the document to its maintainers")
}

/// The front-end for a file name, or the (unsupported) suffix. Compared
/// case-insensitively: `POLICY.YAML` is YAML.
fn syntax_of(name: &str) -> Result<Syntax, &str> {
    let suffix = python_suffix(name);
    Syntax::from_extension(&suffix.trim_start_matches('.').to_lowercase()).ok_or(suffix)
}

/// Python's `PurePath(name).suffix`: the text from the last dot of the file name, when
/// that dot is neither the name's first nor its last character (`.yaml` alone has none).
fn python_suffix(name: &str) -> &str {
    let base = name.rsplit(['/', '\\']).next().unwrap_or(name);
    match base.rfind('.') {
        Some(dot) if dot > 0 && dot + 1 < base.len() => base.get(dot..).unwrap_or(""),
        _ => "",
    }
}

fn unsupported_format(suffix: &str) -> Diagnostic {
    let message = if suffix.is_empty() {
        "the file name has no suffix, so its format is unknown".to_owned()
    } else {
        format!("unsupported file format `{suffix}`")
    };
    Diagnostic::new(&syntax_codes::UNSUPPORTED_FORMAT, Span::point(0), message)
        .with_label("the file name decides how the policy is read")
        .with_help("rename the file to end in `.yaml`, `.yml` or `.json`")
        .with_compat(format!(
            "unsupported file format: {suffix} (use .yaml, .yml, or .json)"
        ))
}

/// An empty document or a root that is not a mapping.
fn root_problem(source: &SourceFile, root: Option<&Node>) -> Option<Diagnostic> {
    let Some(root) = root.filter(|r| !r.is_null()) else {
        let span = Span::new(0, source.text().len());
        return Some(
            Diagnostic::new(
                &schema::EMPTY_DOCUMENT,
                span,
                "the policy document is empty",
            )
            .with_label("no policy here")
            .with_help("write a `rules:` list with at least one rule, e.g. `rules: [{deny: '*'}]`")
            .with_compat("policy file is empty"),
        );
    };
    if root.as_map().is_some() {
        return None;
    }
    let help = if matches!(root.kind, syntax::NodeKind::Seq(_)) {
        "put the list under a `rules:` key: `rules:` on the first line, the items indented below"
    } else {
        "a policy is a mapping with a `rules:` key, e.g. `rules: [{deny: '*'}]`"
    };
    Some(
        Diagnostic::new(
            &schema::ROOT_NOT_MAPPING,
            root.span,
            format!(
                "the policy must be a mapping, not {}",
                super::validate::describe(root)
            ),
        )
        .with_label(format!(
            "the document is {}",
            super::validate::describe(root)
        ))
        .with_help(help)
        .with_compat(format!(
            "policy root must be a mapping/object, got {}",
            root.python_type_name()
        )),
    )
}

#[cfg(test)]
mod tests {
    use super::python_suffix;

    #[test]
    fn suffix_follows_pathlib() {
        assert_eq!(python_suffix("policy.txt"), ".txt");
        assert_eq!(python_suffix("dir.d/policy"), "");
        assert_eq!(python_suffix(".yaml"), "");
        assert_eq!(python_suffix("a.tar.gz"), ".gz");
        assert_eq!(python_suffix("policy."), "");
        assert_eq!(python_suffix("C:\\x\\p.YAML"), ".YAML");
    }
}
