//! `guardc.PolicyError`: a policy that does not load (or a bundle that is refused) is a
//! Python exception whose text is the rendered diagnostics, with the diagnostics
//! themselves as dicts on `.diagnostics` for programs.

use guardc::check::check_json;
use guardc::diagnostics::Diagnostic;
use guardc::diagnostics::render::{FileReport, HumanOptions, json_report, render_human};
use guardc::source::SourceFile;
use pyo3::create_exception;
use pyo3::exceptions::PyValueError;
use pyo3::prelude::*;
use pyo3::types::PyList;

create_exception!(
    guardc,
    PolicyError,
    PyValueError,
    "The policy did not load, or the bundle was refused; `diagnostics` lists why."
);

/// The error for a document the reference would refuse: the human rendering of its
/// error-level diagnostics as the message, every diagnostic as a dict.
pub fn load_error(py: Python<'_>, source: &SourceFile, diagnostics: &[Diagnostic]) -> PyErr {
    let errors: Vec<Diagnostic> = diagnostics
        .iter()
        .filter(|d| d.is_error())
        .cloned()
        .collect();
    let file = FileReport {
        source,
        diagnostics: &errors,
    };
    let text = render_human(&file, HumanOptions::default());
    let message = format!(
        "{} did not load\n{}",
        source.name(),
        text.trim_end_matches('\n')
    );
    let err = PolicyError::new_err(message);
    let report = json_report(&[file]);
    match diagnostic_dicts(py, &report) {
        Ok(list) => match err.value(py).setattr("diagnostics", list) {
            Ok(()) => err,
            Err(set_error) => set_error,
        },
        Err(convert_error) => convert_error,
    }
}

/// A refused bundle: one message, no document to point into.
pub fn bundle_error(py: Python<'_>, path: &str, message: &str) -> PyErr {
    let err = PolicyError::new_err(format!("{path}: {message}; no call can be decided"));
    match err.value(py).setattr("diagnostics", PyList::empty(py)) {
        Ok(()) => err,
        Err(set_error) => set_error,
    }
}

/// The per-diagnostic objects of a one-file JSON report (`check_json`/`json_report`
/// shape), as Python dicts.
pub fn diagnostic_dicts<'py>(
    py: Python<'py>,
    report: &serde_json::Value,
) -> PyResult<Bound<'py, PyAny>> {
    let diagnostics = report
        .get("files")
        .and_then(|files| files.get(0))
        .and_then(|file| file.get("diagnostics"))
        .cloned()
        .unwrap_or_else(|| serde_json::Value::Array(Vec::new()));
    crate::convert::json_to_py(py, &diagnostics)
}

/// The check report of a document as dicts.
pub fn check_dicts<'py>(
    py: Python<'py>,
    reports: &[guardc::check::CheckReport],
) -> PyResult<Bound<'py, PyAny>> {
    diagnostic_dicts(py, &check_json(reports, false))
}
