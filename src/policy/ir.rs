//! The policy IR: what a loaded policy means, independent of how it was written.
//!
//! Everything the evaluator needs is resolved here once, at load time (canonical and
//! folded patterns, policy ids, default reasons, Python truthiness of the approval
//! flag), so evaluation does no string building and the bundle can store the IR as is.

use crate::pattern::{Glob, ToolPattern};
use crate::python::PyValue;
use crate::python::re::CompiledRegex;
use crate::source::Span;

/// The effect of a rule or of the no-match default.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Effect {
    Allow,
    Deny,
    Warn,
}

impl Effect {
    pub fn as_str(self) -> &'static str {
        match self {
            Effect::Allow => "allow",
            Effect::Deny => "deny",
            Effect::Warn => "warn",
        }
    }

    pub fn parse(text: &str) -> Option<Effect> {
        match text {
            "allow" => Some(Effect::Allow),
            "deny" => Some(Effect::Deny),
            "warn" => Some(Effect::Warn),
            _ => None,
        }
    }
}

/// A loaded policy.
#[derive(Debug, Clone)]
pub struct Policy {
    /// `settings.default_action`: the effect when no rule decides.
    pub default_action: Effect,
    pub rules: Vec<Rule>,
}

/// One rule, with every gate resolved.
#[derive(Debug, Clone)]
pub struct Rule {
    /// 0-based position in `rules`.
    pub index: usize,
    pub effect: Effect,
    /// The action gate: the rule applies when any pattern matches the folded subject.
    /// Empty (`deny: []`) means the rule never matches.
    pub patterns: Vec<ToolPattern>,
    /// `resources or resource` (docs/language.md section 4, step 3).
    pub resources: Selector,
    pub clients: Selector,
    pub projects: Selector,
    /// `when` if truthy, else `conditions`; all must hold.
    pub conditions: Vec<Condition>,
    /// The decision's `policy_id`: `str(id)` if non-empty, else the name; `None` when
    /// both are empty strings.
    pub policy_id: Option<String>,
    /// `str(reason)` if non-empty, else `Matched rule <id or name>` (stripped).
    pub reason: String,
    /// `str(reason_code)` if non-empty, else `RULE_MATCH`.
    pub reason_code: String,
    /// Python truthiness of `escalate_on_deny`.
    pub escalate_on_deny: bool,
    pub spans: RuleSpans,
    /// 1-based line and column of the rule, kept for audit lineage (a bundle has no
    /// source text to compute them from).
    pub line: u32,
    pub col: u32,
}

impl Rule {
    /// Approval eligibility (docs/language.md section 6): a truthy flag on a deny.
    pub fn hitl_eligible(&self) -> bool {
        self.escalate_on_deny && self.effect == Effect::Deny
    }

    /// Whether the rule has gates beyond its action patterns.
    pub fn is_action_only(&self) -> bool {
        self.resources.is_any()
            && self.clients.is_any()
            && self.projects.is_any()
            && self.conditions.is_empty()
    }
}

/// Where the parts of a rule were written, for diagnostics, hover and audit lineage.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RuleSpans {
    /// The whole rule (the mapping).
    pub rule: Span,
    /// The effect key (`deny`, `allow`, `effect`).
    pub effect_key: Span,
    /// Each entry of `patterns`, in order.
    pub patterns: Vec<Span>,
    pub escalate_on_deny: Option<Span>,
    pub id: Option<Span>,
}

/// A list of globs over one request field (resource, client name, project id).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Selector {
    pub globs: Vec<Glob>,
    /// For resources: the list contained the element `*` exactly, which makes the rule
    /// apply with or without a resource.
    pub universal: bool,
}

impl Selector {
    /// No constraint: the selector was absent, falsy, or universal.
    pub fn is_any(&self) -> bool {
        self.globs.is_empty() || self.universal
    }
}

/// One condition of `when`/`conditions`.
#[derive(Debug, Clone, PartialEq)]
pub struct Condition {
    /// The field looked up in the merged args/context/tags mapping.
    pub field: String,
    pub test: ConditionTest,
    /// The `field: ...` entry.
    pub span: Span,
}

/// What a condition checks.
#[derive(Debug, Clone, PartialEq)]
pub enum ConditionTest {
    /// A scalar pattern: `fnmatchcase(str(value), str(pattern))`, or a substring test for
    /// the `input_text` key with a pattern free of `*?[`.
    Glob {
        /// `str(pattern)` as written.
        text: String,
        glob: Glob,
        substring: bool,
    },
    /// An envelope `{op, value, case_insensitive}`.
    Operator {
        op: Operator,
        /// `None` when the envelope has no `value` key.
        value: Option<PyValue>,
        /// Python truthiness of `case_insensitive`.
        case_insensitive: bool,
        /// For `matches`: the operand compiled once, at load time, by
        /// [`crate::python::re::compile_condition_regex`]`(value or None, case_insensitive)`.
        /// `None` for the other operators, or when not compiled (the evaluator then
        /// compiles on every evaluation).
        regex: Option<CompiledRegex>,
    },
}

impl ConditionTest {
    /// An envelope condition, with the `matches` operand compiled once (here, so that the
    /// loader and the bundle reader build identical conditions).
    pub fn envelope(op: Operator, value: Option<PyValue>, case_insensitive: bool) -> ConditionTest {
        let regex = (op == Operator::Matches)
            .then(|| {
                crate::python::re::compile_condition_regex(
                    value.as_ref().unwrap_or(&PyValue::None),
                    case_insensitive,
                )
            })
            .flatten();
        ConditionTest::Operator {
            op,
            value,
            case_insensitive,
            regex,
        }
    }

    /// A scalar glob condition on `field` with the pattern text `text`.
    pub fn scalar(field: &str, text: String) -> ConditionTest {
        // The reference compares the casefolded key, so `INPUT_TEXT:` gets the substring
        // semantics too (while the value is still looked up under the key as written).
        let substring =
            crate::pattern::casefold(field) == "input_text" && !text.contains(['*', '?', '[']);
        ConditionTest::Glob {
            glob: Glob::parse(&text),
            text,
            substring,
        }
    }
}

/// Envelope operators, with the read aliases already resolved.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Operator {
    Glob,
    Equals,
    Contains,
    Matches,
    Gt,
    Lt,
    Gte,
    Lte,
    In,
    NotIn,
    InRange,
    OutsideRange,
    Exists,
    NotExists,
}

impl Operator {
    /// The operator an `op:` text names, aliases included; case-sensitive.
    pub fn parse(text: &str) -> Option<Operator> {
        Some(match text {
            "glob" => Operator::Glob,
            "equals" => Operator::Equals,
            "contains" => Operator::Contains,
            "matches" | "matches_pattern" => Operator::Matches,
            "gt" | "greater_than" => Operator::Gt,
            "lt" | "less_than" => Operator::Lt,
            "gte" | "greater_than_or_equal" => Operator::Gte,
            "lte" | "less_than_or_equal" => Operator::Lte,
            "in" => Operator::In,
            "not_in" => Operator::NotIn,
            "in_range" => Operator::InRange,
            "outside_range" => Operator::OutsideRange,
            "exists" => Operator::Exists,
            "not_exists" => Operator::NotExists,
            _ => return None,
        })
    }

    /// Every operator name the language accepts, for did-you-mean and completion.
    pub const NAMES: &'static [&'static str] = &[
        "glob",
        "equals",
        "contains",
        "matches",
        "gt",
        "lt",
        "gte",
        "lte",
        "in",
        "not_in",
        "in_range",
        "outside_range",
        "exists",
        "not_exists",
        "matches_pattern",
        "greater_than",
        "less_than",
        "greater_than_or_equal",
        "less_than_or_equal",
    ];
}
