//! `guardc.Policy`: a loaded, compiled policy and the calls that decide against it.
//!
//! Loading reads the file here (the library does no IO): a bundle is recognised by its
//! magic bytes and verified, anything else is loaded as a YAML or JSON document by its
//! suffix. The compiled policy is shared (`Arc`) with every `Decision`, so a decision
//! stays valid, and its texts readable, after the policy object is gone.
//!
//! Decisions made by a rule are interned: every call a rule decides gets the same
//! (immutable) `Decision` object, created the first time. Such a decision depends only on
//! the rule (effect, index, approval flag; its texts are read from the rule), so this
//! changes nothing a caller can observe but `is`, and it takes the object allocation off
//! the per-call path, which at 10 rules is a third of `decide`. The cache lives on the
//! `Policy` object, not in the shared state decisions hold, so it forms no cycle.
//! Decisions by no rule embed the call's subject in their reason and are built per call.

use std::sync::{Arc, OnceLock};

use guardc::bundle::{is_bundle, read_bundle};
use guardc::check::{CheckOptions, check_source};
use guardc::eval::{CompiledPolicy, Decision as Decided, JsonMap, Request, hex, interpret};
use guardc::policy::load;
use guardc::source::SourceFile;
use pyo3::exceptions::{PyOSError, PyTypeError, PyValueError};
use pyo3::prelude::*;
use pyo3::types::{PyDict, PyString, PyTuple};

use crate::convert::optional_object;
use crate::decision::Decision;
use crate::errors::{bundle_error, check_dicts, load_error};

/// What every decision of a policy reads: the compiled policy and its lineage, with the
/// names `guardc eval --json` gives them (`CompiledPolicy::lineage`).
#[derive(Debug)]
pub struct Shared {
    pub compiled: CompiledPolicy,
    /// SHA-256 (hex) of the document the policy was compiled from (for a bundle, the
    /// one it was built from): what `sha256sum` prints for the policy file.
    pub policy_sha256: Option<String>,
    /// BLAKE3 (hex) of the bundle, when loaded from one: the digest in its header, which
    /// `guardc inspect` verifies and a signature covers.
    pub bundle_blake3: Option<String>,
    /// The document, for `check()`; a bundle carries none.
    source: Option<SourceFile>,
}

impl Shared {
    fn new(compiled: CompiledPolicy, source: Option<SourceFile>) -> Shared {
        let lineage = *compiled.lineage();
        Shared {
            compiled,
            policy_sha256: lineage.source_sha256.as_ref().map(|h| hex(h)),
            bundle_blake3: lineage.bundle_blake3.as_ref().map(|h| hex(h)),
            source,
        }
    }
}

#[pyclass(module = "guardc", frozen)]
pub struct Policy {
    shared: Arc<Shared>,
    /// The decision of each rule, created when the rule first decides (see the module
    /// comment).
    interned: Box<[OnceLock<Py<Decision>>]>,
}

/// One request with owned parts, converted while holding the GIL so that a batch is
/// decided without it.
struct OwnedRequest {
    tool: String,
    method: String,
    context: Option<JsonMap>,
    args: Option<JsonMap>,
}

impl OwnedRequest {
    fn request(&self) -> Request<'_> {
        Request {
            tool: &self.tool,
            method: &self.method,
            context: self.context.as_ref(),
            args: self.args.as_ref(),
        }
    }
}

impl Policy {
    fn with_shared(shared: Shared) -> Policy {
        let interned = (0..shared.compiled.rule_count())
            .map(|_| OnceLock::new())
            .collect();
        Policy {
            shared: Arc::new(shared),
            interned,
        }
    }

    fn from_document(py: Python<'_>, source: SourceFile) -> PyResult<Policy> {
        let loaded = load(source);
        match loaded.policy {
            Some(policy) if !loaded.has_errors() => {
                let compiled =
                    CompiledPolicy::new(policy).with_source(loaded.source.text().as_bytes());
                Ok(Policy::with_shared(Shared::new(
                    compiled,
                    Some(loaded.source),
                )))
            }
            _ => Err(load_error(py, &loaded.source, &loaded.diagnostics)),
        }
    }

    fn from_bundle_bytes(py: Python<'_>, name: &str, bytes: &[u8]) -> PyResult<Policy> {
        match read_bundle(bytes, None) {
            Ok((compiled, _)) => Ok(Policy::with_shared(Shared::new(compiled, None))),
            Err(err) => Err(bundle_error(py, name, &err.to_string())),
        }
    }

    /// The Python object for a decision: the rule's interned one, or a new one.
    #[inline]
    fn object(
        &self,
        py: Python<'_>,
        decided: Decided,
        request: &Request<'_>,
    ) -> PyResult<Py<Decision>> {
        let slot = decided.rule_index().and_then(|i| self.interned.get(i));
        if let Some(object) = slot.and_then(OnceLock::get) {
            return Ok(object.clone_ref(py));
        }
        let object = Py::new(
            py,
            Decision::new(decided, Arc::clone(&self.shared), request),
        )?;
        Ok(match slot {
            Some(slot) => slot.get_or_init(|| object).clone_ref(py),
            None => object,
        })
    }
}

#[pymethods]
impl Policy {
    /// Load a policy file: `.yaml`/`.yml`/`.json` documents, or a bundle built by
    /// `guardc build` (recognised by its contents, verified before use).
    #[staticmethod]
    fn from_file(py: Python<'_>, path: std::path::PathBuf) -> PyResult<Policy> {
        let name = path.display().to_string();
        let bytes = std::fs::read(&path)
            .map_err(|e| PyOSError::new_err(format!("cannot read {name}: {e}")))?;
        if is_bundle(&bytes) {
            return Policy::from_bundle_bytes(py, &name, &bytes);
        }
        match std::str::from_utf8(&bytes) {
            Ok(text) => Policy::from_document(py, SourceFile::new(&name, text)),
            Err(_) => {
                let loaded = guardc::policy::load_bytes(&name, &bytes);
                Err(load_error(py, &loaded.source, &loaded.diagnostics))
            }
        }
    }

    /// Load a policy from its text; `name`'s suffix chooses YAML or JSON.
    #[staticmethod]
    #[pyo3(signature = (text, name = "controlzero.yaml"))]
    fn from_source(py: Python<'_>, text: &str, name: &str) -> PyResult<Policy> {
        Policy::from_document(py, SourceFile::new(name, text))
    }

    /// Load a compiled bundle from bytes.
    #[staticmethod]
    #[pyo3(signature = (data, name = "<bundle>"))]
    fn from_bundle(py: Python<'_>, data: &[u8], name: &str) -> PyResult<Policy> {
        Policy::from_bundle_bytes(py, name, data)
    }

    /// Decide one call with the compiled evaluator.
    #[pyo3(signature = (tool, method = "*", context = None, args = None))]
    fn decide(
        &self,
        py: Python<'_>,
        tool: &str,
        method: &str,
        context: Option<&Bound<'_, PyAny>>,
        args: Option<&Bound<'_, PyAny>>,
    ) -> PyResult<Py<Decision>> {
        // `None` (the common case) converts to nothing without touching a dict.
        let context = optional_object(context, "context")?;
        let args = optional_object(args, "args")?;
        let request = Request {
            tool,
            method,
            context: context.as_ref(),
            args: args.as_ref(),
        };
        let decided = self.shared.compiled.decide(&request);
        self.object(py, decided, &request)
    }

    /// Decide one call with the reference interpreter (rule by rule, as the language
    /// states it): the oracle the compiled evaluator is tested against.
    #[pyo3(signature = (tool, method = "*", context = None, args = None))]
    fn interpret(
        &self,
        tool: &str,
        method: &str,
        context: Option<&Bound<'_, PyAny>>,
        args: Option<&Bound<'_, PyAny>>,
    ) -> PyResult<Decision> {
        let context = optional_object(context, "context")?;
        let args = optional_object(args, "args")?;
        let request = Request {
            tool,
            method,
            context: context.as_ref(),
            args: args.as_ref(),
        };
        let decided = interpret(self.shared.compiled.policy(), &request);
        Ok(Decision::new(decided, Arc::clone(&self.shared), &request))
    }

    /// Decide many calls: each item a dict (`tool`, optional `method`, `context`,
    /// `args`), a `(tool, method)` tuple or a tool string. The items are converted
    /// first; the batch is then decided without the GIL.
    fn decide_many(
        &self,
        py: Python<'_>,
        requests: &Bound<'_, PyAny>,
    ) -> PyResult<Vec<Py<Decision>>> {
        let mut owned = Vec::new();
        for (i, item) in requests.try_iter()?.enumerate() {
            owned.push(owned_request(&item?, i)?);
        }
        let shared = Arc::clone(&self.shared);
        let decided: Vec<Decided> = py.detach(|| {
            owned
                .iter()
                .map(|r| shared.compiled.decide(&r.request()))
                .collect()
        });
        owned
            .iter()
            .zip(decided)
            .map(|(r, decided)| self.object(py, decided, &r.request()))
            .collect()
    }

    /// Check the policy as `guardc check` does: every diagnostic (findings included)
    /// as a dict of the JSON report.
    fn check<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        let Some(source) = &self.shared.source else {
            return Err(PyValueError::new_err(
                "a policy loaded from a bundle has no document to check; check the source it was built from",
            ));
        };
        let source = source.clone();
        let report = py.detach(move || check_source(source, &CheckOptions::default()));
        check_dicts(py, &[report])
    }

    /// Number of rules.
    fn __len__(&self) -> usize {
        self.shared.compiled.rule_count()
    }

    /// SHA-256 (hex) of the policy document (for a bundle, the one it was built from).
    #[getter]
    fn policy_sha256(&self) -> Option<&str> {
        self.shared.policy_sha256.as_deref()
    }

    /// BLAKE3 (hex) of the bundle, when loaded from one (its header's digest).
    #[getter]
    fn bundle_blake3(&self) -> Option<&str> {
        self.shared.bundle_blake3.as_deref()
    }

    /// The policy's no-match default: `allow`, `deny` or `warn`.
    #[getter]
    fn default_action(&self) -> &'static str {
        self.shared.compiled.default_action().as_str()
    }

    fn __repr__(&self) -> String {
        let name = self.shared.source.as_ref().map_or("<bundle>", |s| s.name());
        format!("<guardc.Policy {} ({} rules)>", name, self.__len__())
    }
}

fn owned_request(item: &Bound<'_, PyAny>, index: usize) -> PyResult<OwnedRequest> {
    if let Ok(tool) = item.cast::<PyString>() {
        return Ok(OwnedRequest {
            tool: tool.to_str()?.to_owned(),
            method: "*".to_owned(),
            context: None,
            args: None,
        });
    }
    if let Ok(tuple) = item.cast::<PyTuple>() {
        let len = tuple.len();
        if !(1..=4).contains(&len) {
            return Err(PyTypeError::new_err(format!(
                "requests[{index}]: a tuple is (tool, method[, context[, args]]), got {len} items"
            )));
        }
        let part = |i: usize| tuple.get_item(i).ok();
        return Ok(OwnedRequest {
            tool: tuple.get_item(0)?.extract()?,
            method: match part(1) {
                Some(m) => m.extract()?,
                None => "*".to_owned(),
            },
            context: optional_object(part(2).as_ref(), "context")?,
            args: optional_object(part(3).as_ref(), "args")?,
        });
    }
    if let Ok(dict) = item.cast::<PyDict>() {
        let Some(tool) = dict.get_item("tool")? else {
            return Err(PyTypeError::new_err(format!(
                "requests[{index}] has no \"tool\""
            )));
        };
        let method = match dict.get_item("method")? {
            Some(m) if !m.is_none() => m.extract()?,
            _ => "*".to_owned(),
        };
        return Ok(OwnedRequest {
            tool: tool.extract()?,
            method,
            context: optional_object(dict.get_item("context")?.as_ref(), "context")?,
            args: optional_object(dict.get_item("args")?.as_ref(), "args")?,
        });
    }
    Err(PyTypeError::new_err(format!(
        "requests[{index}] must be a dict, a (tool, method) tuple or a tool string"
    )))
}
