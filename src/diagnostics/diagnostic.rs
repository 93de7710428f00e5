//! The diagnostic value itself.

use super::codes::{CodeInfo, Level};
use crate::source::Span;

/// Something to tell the user about a document.
#[derive(Debug, Clone, PartialEq)]
pub struct Diagnostic {
    pub code: &'static CodeInfo,
    /// The level in force for this run (the code's default unless configured).
    pub level: Level,
    /// Lowercase, one sentence, no trailing period: what is wrong.
    pub message: String,
    /// The reference SDK's own error text for the same condition, where the reference
    /// refuses the document; CI compares it with `controlzero validate`.
    pub compat_message: Option<String>,
    pub span: Span,
    /// What the underlined text is (`this value is an int`).
    pub label: String,
    /// The 0-based index in `rules` of the rule concerned, if any.
    pub rule_index: Option<usize>,
    /// What to do about it.
    pub help: Option<String>,
    pub related: Vec<Related>,
    pub witnesses: Vec<Witness>,
}

/// Another location that explains a diagnostic (a blocking rule, the first occurrence of
/// a duplicate key).
#[derive(Debug, Clone, PartialEq)]
pub struct Related {
    pub span: Span,
    pub message: String,
    pub rule_index: Option<usize>,
}

/// A concrete call that proves a finding, with the decision the evaluator gives it.
#[derive(Debug, Clone, PartialEq)]
pub struct Witness {
    pub tool: String,
    pub method: String,
    pub context: serde_json::Map<String, serde_json::Value>,
    pub args: serde_json::Map<String, serde_json::Value>,
    pub decision: WitnessDecision,
}

#[derive(Debug, Clone, PartialEq)]
pub struct WitnessDecision {
    pub effect: String,
    pub policy_id: Option<String>,
    pub reason_code: String,
    pub hitl_eligible: bool,
    pub evaluated_rules: usize,
}

impl Diagnostic {
    /// A diagnostic at the code's default level; fill in the rest with the builders.
    pub fn new(code: &'static CodeInfo, span: Span, message: impl Into<String>) -> Self {
        Self {
            code,
            level: code.level,
            message: message.into(),
            compat_message: None,
            span,
            label: String::new(),
            rule_index: None,
            help: None,
            related: Vec::new(),
            witnesses: Vec::new(),
        }
    }

    pub fn with_label(mut self, label: impl Into<String>) -> Self {
        self.label = label.into();
        self
    }

    pub fn with_help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(help.into());
        self
    }

    pub fn with_compat(mut self, compat: impl Into<String>) -> Self {
        self.compat_message = Some(compat.into());
        self
    }

    pub fn with_rule(mut self, index: usize) -> Self {
        self.rule_index = Some(index);
        self
    }

    pub fn with_related(mut self, span: Span, message: impl Into<String>) -> Self {
        self.related.push(Related {
            span,
            message: message.into(),
            rule_index: None,
        });
        self
    }

    pub fn is_error(&self) -> bool {
        self.level == Level::Error
    }
}
