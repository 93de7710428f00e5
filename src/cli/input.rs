//! What a file the shell was given holds: a compiled bundle, a policy document, or
//! binary bytes that are neither.
//!
//! A bundle is recognised by its magic bytes before its name, so a damaged bundle is
//! reported as a damaged bundle, never parsed as a policy whose "snippet" would be the
//! binary itself. A file named like a bundle but without the magic is a bundle error
//! (empty, truncated or another file); a binary file that is not a bundle is refused
//! without showing any of its bytes. Text with an unknown suffix, or a policy-named file
//! in another encoding, is left to the loader, which reports it at its position.

use std::path::Path;

use crate::bundle::is_bundle;
use crate::check::CheckReport;
use crate::diagnostics::Diagnostic;
use crate::diagnostics::codes::syntax::NOT_A_POLICY;
use crate::source::{SourceFile, Span};
use crate::syntax::Syntax;

/// The suffix bundles are written with in the documentation and examples; `guardc
/// build -o` accepts any name, which is why the magic decides first.
const BUNDLE_SUFFIX: &str = "bundle";

/// What a file read as a policy turned out to be, when it is not a policy document.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NotAPolicy {
    /// It starts with the bundle magic.
    Bundle,
    /// It is not UTF-8, and holds NUL bytes or has no policy suffix.
    Binary,
}

impl NotAPolicy {
    /// Classify bytes read from `path` where a policy is expected; `None` means: load it.
    pub fn classify(path: &Path, bytes: &[u8]) -> Option<NotAPolicy> {
        if is_bundle(bytes) {
            return Some(NotAPolicy::Bundle);
        }
        let binary =
            std::str::from_utf8(bytes).is_err() && (bytes.contains(&0) || !has_policy_suffix(path));
        binary.then_some(NotAPolicy::Binary)
    }

    /// One line: what the file is.
    pub fn message(self, path: &Path) -> String {
        let path = path.display();
        match self {
            NotAPolicy::Bundle => format!("not a policy: {path} is a compiled guardc bundle"),
            NotAPolicy::Binary => {
                format!("not a policy: {path} is a binary file (it is not UTF-8 text)")
            }
        }
    }

    /// What to do about it.
    pub fn help(self) -> &'static str {
        match self {
            NotAPolicy::Bundle => {
                "check the policy the bundle was built from; `guardc inspect` shows a bundle and \
                 `guardc eval` decides calls with it"
            }
            NotAPolicy::Binary => {
                "a policy is a YAML or JSON text file (.yaml, .yml, .json): check the path"
            }
        }
    }

    /// `check`'s report for the file: the diagnostic over an empty source, so no byte of
    /// the file reaches the output.
    pub fn report(self, path: &Path) -> CheckReport {
        let diagnostic = Diagnostic::new(&NOT_A_POLICY, Span::point(0), self.message(path))
            .with_label("the content is not shown")
            .with_help(self.help());
        empty_report(path, diagnostic)
    }
}

/// A report for a file whose content is not shown: an empty source and one diagnostic.
pub fn empty_report(path: &Path, diagnostic: Diagnostic) -> CheckReport {
    CheckReport {
        source: SourceFile::new(path.display().to_string(), ""),
        policy: None,
        diagnostics: vec![diagnostic],
        approvals: None,
    }
}

/// Whether the file name says "bundle" (`policy.bundle`, any case).
pub fn named_like_bundle(path: &Path) -> bool {
    path.extension()
        .is_some_and(|ext| ext.eq_ignore_ascii_case(BUNDLE_SUFFIX))
}

/// The error for a file named like a bundle that does not start with the magic.
pub fn missing_magic(path: &Path, bytes: &[u8]) -> (String, &'static str) {
    let what = if bytes.is_empty() {
        "it is empty"
    } else {
        "it does not start with the guardc bundle magic"
    };
    (
        format!("{} is not a guardc bundle: {what}", path.display()),
        "rebuild it with `guardc build POLICY -o FILE`; a truncated or overwritten bundle \
         cannot be repaired",
    )
}

fn has_policy_suffix(path: &Path) -> bool {
    path.extension()
        .and_then(|ext| ext.to_str())
        .is_some_and(|ext| Syntax::from_extension(&ext.to_lowercase()).is_some())
}
