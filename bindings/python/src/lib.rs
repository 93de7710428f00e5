//! The `guardc._guardc` extension module: guardc's loader, checker and evaluators for
//! Python agents, so a runtime that enforces Control Zero policies in Python decides
//! calls in-process with the compiled evaluator instead of the reference SDK's.
//!
//! The binding is a shell like the CLI: it reads files, converts Python values into the
//! library's request model and turns diagnostics into exceptions; every decision comes
//! from the library unchanged.

mod convert;
mod decision;
mod errors;
mod policy;

use pyo3::prelude::*;

#[pymodule]
fn _guardc(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_class::<policy::Policy>()?;
    m.add_class::<decision::Decision>()?;
    m.add("PolicyError", m.py().get_type::<errors::PolicyError>())?;
    m.add("__version__", env!("CARGO_PKG_VERSION"))?;
    Ok(())
}
