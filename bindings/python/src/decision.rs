//! `guardc.Decision`: the answer for one call, with the reference's field names.
//!
//! A decision holds the library's small `Decision` and a shared handle on the policy;
//! `policy_id`, `reason` and `reason_code` are read from the policy when Python asks
//! for them, so deciding a call allocates no strings (only the no-match reason, which
//! embeds the subject, keeps the call's tool and method).

use std::sync::Arc;

use guardc::eval::{Decision as Decided, DecisionRecord, Request};
use guardc::python::str_repr;
use pyo3::prelude::*;
use pyo3::types::PyDict;

use crate::policy::Shared;

#[pyclass(module = "guardc", frozen)]
pub struct Decision {
    decided: Decided,
    shared: Arc<Shared>,
    /// The call's tool and method, kept only when no rule decided (the reason text
    /// names the subject).
    subject: Option<(String, String)>,
}

impl Decision {
    pub fn new(decided: Decided, shared: Arc<Shared>, request: &Request<'_>) -> Decision {
        let subject = decided
            .rule_index()
            .is_none()
            .then(|| (request.tool.to_owned(), request.method.to_owned()));
        Decision {
            decided,
            shared,
            subject,
        }
    }

    fn record(&self) -> DecisionRecord<'_> {
        let (tool, method) = self
            .subject
            .as_ref()
            .map_or(("", "*"), |(t, m)| (t.as_str(), m.as_str()));
        let request = Request {
            tool,
            method,
            context: None,
            args: None,
        };
        DecisionRecord::new(&self.decided, &self.shared.compiled, &request)
    }
}

#[pymethods]
impl Decision {
    /// `allow`, `deny` or `warn`.
    #[getter]
    fn effect(&self) -> &'static str {
        self.decided.effect.as_str()
    }

    /// Alias of `effect`, as on the reference's decision.
    #[getter]
    fn decision(&self) -> &'static str {
        self.decided.effect.as_str()
    }

    /// The deciding rule's id (or name), a `synthetic:` id when no rule decided, or
    /// `None`.
    #[getter]
    fn policy_id(&self) -> Option<&str> {
        self.decided.policy_id(&self.shared.compiled)
    }

    #[getter]
    fn reason(&self) -> String {
        self.record().reason.into_owned()
    }

    #[getter]
    fn reason_code(&self) -> &str {
        self.decided.reason_code(&self.shared.compiled)
    }

    /// Denied by a rule with a truthy `escalate_on_deny`: a human may approve it once.
    #[getter]
    fn hitl_eligible(&self) -> bool {
        self.decided.hitl_eligible
    }

    /// 1-based position of the deciding rule, or the number of rules walked.
    #[getter]
    fn evaluated_rules(&self) -> usize {
        self.decided.evaluated_rules
    }

    /// 0-based index of the deciding rule; `None` when no rule decided.
    #[getter]
    fn rule_index(&self) -> Option<usize> {
        self.decided.rule_index()
    }

    /// 1-based source line of the deciding rule.
    #[getter]
    fn line(&self) -> Option<u32> {
        self.decided
            .rule(&self.shared.compiled)
            .map(|rule| rule.line)
    }

    /// SHA-256 (hex) of the policy document the decision was made under (the
    /// `policy_sha256` of `guardc eval --json`).
    #[getter]
    fn policy_sha256(&self) -> Option<&str> {
        self.shared.policy_sha256.as_deref()
    }

    /// BLAKE3 (hex) of the bundle the policy was loaded from, if it was (the
    /// `bundle_blake3` of `guardc eval --json`).
    #[getter]
    fn bundle_blake3(&self) -> Option<&str> {
        self.shared.bundle_blake3.as_deref()
    }

    #[getter]
    fn allowed(&self) -> bool {
        self.decided.effect.as_str() == "allow"
    }

    #[getter]
    fn denied(&self) -> bool {
        self.decided.effect.as_str() == "deny"
    }

    /// The decision as a dict, in the field order of `guardc eval --json`.
    fn to_dict<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyDict>> {
        let record = self.record();
        let dict = PyDict::new(py);
        dict.set_item("effect", record.effect)?;
        dict.set_item("policy_id", record.policy_id)?;
        dict.set_item("reason_code", record.reason_code)?;
        dict.set_item("reason", record.reason.as_ref())?;
        dict.set_item("hitl_eligible", record.hitl_eligible)?;
        dict.set_item("evaluated_rules", record.evaluated_rules)?;
        dict.set_item("rule_index", record.rule_index)?;
        dict.set_item("line", record.line)?;
        dict.set_item("policy_sha256", self.shared.policy_sha256.as_deref())?;
        dict.set_item("bundle_blake3", self.shared.bundle_blake3.as_deref())?;
        Ok(dict)
    }

    fn __repr__(&self) -> String {
        let policy_id = self.policy_id().map_or_else(|| "None".to_owned(), str_repr);
        format!(
            "Decision(effect={}, policy_id={policy_id}, reason_code={}, hitl_eligible={}, evaluated_rules={})",
            str_repr(self.effect()),
            str_repr(self.reason_code()),
            if self.decided.hitl_eligible {
                "True"
            } else {
                "False"
            },
            self.decided.evaluated_rules
        )
    }

    fn __eq__(&self, other: &Bound<'_, PyAny>) -> bool {
        match other.cast::<Decision>() {
            Ok(other) => {
                let other = other.get();
                self.decided == other.decided
                    && Arc::ptr_eq(&self.shared, &other.shared)
                    && self.subject == other.subject
            }
            Err(_) => false,
        }
    }
}
