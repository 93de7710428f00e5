//! Encoded requests back to calls, and every witness re-checked by the evaluator.
//!
//! A path through the automaton is an encoded request (see [`super::domain`]). Decoding
//! splits it at the separators and undoes the layout: the folded subject `X:Y` becomes
//! `guard(X, method=Y)` (a folded tool is a valid tool; when the policy spells that tool
//! with capitals, as in `Bash:*`, the witness uses the policy's spelling, which folds to
//! the same text), non-empty client and project become `client_name` and `project_id`,
//! a present resource becomes `resource`, present condition values become context keys.
//!
//! The decoded call is then decided by the reference interpreter, and the decision that
//! goes into the report is *that* decision, never the one the automaton predicted. A
//! finding that needs a witness checks the interpreter's answer against its claim and
//! drops the claim if they disagree.

use std::collections::HashMap;

use serde_json::Value;

use super::domain::{ABSENT, SEP};
use super::encode::Layout;
use crate::diagnostics::{Witness, WitnessDecision};
use crate::eval::{Decision, JsonMap, Request, interpret};
use crate::pattern::casefold;
use crate::policy::{Policy, Rule};

/// A decoded call: what a runtime would send.
#[derive(Debug, Clone, PartialEq)]
pub struct Call {
    pub tool: String,
    pub method: String,
    pub context: JsonMap,
}

impl Call {
    pub fn request(&self) -> Request<'_> {
        Request {
            tool: &self.tool,
            method: &self.method,
            context: Some(&self.context),
            args: None,
        }
    }

    /// A more readable variant of the call, to try before the call itself: a shortest
    /// path leaves a trailing `*` empty (`Bash:sudo ` for `Bash:sudo *`), and a letter
    /// there reads better (`Bash:sudo a`). The variant is re-checked like any witness,
    /// so it is only used when it proves the same claim.
    pub fn readable_variant(&self) -> Option<Call> {
        let bare = self.method.is_empty() || self.method.ends_with(char::is_whitespace);
        bare.then(|| Call {
            method: format!("{}a", self.method),
            ..self.clone()
        })
    }

    /// The call with the decision the interpreter gives it under `policy`.
    pub fn decide(&self, policy: &Policy) -> Decision {
        interpret(policy, &self.request())
    }

    /// The report's form of this call and its decision.
    pub fn witness(&self, policy: &Policy, decision: &Decision) -> Witness {
        Witness {
            tool: self.tool.clone(),
            method: self.method.clone(),
            context: self.context.clone(),
            args: JsonMap::new(),
            decision: WitnessDecision {
                effect: decision.effect.as_str().to_owned(),
                policy_id: decision.policy_id(policy).map(str::to_owned),
                reason_code: decision.reason_code(policy).to_owned(),
                hitl_eligible: decision.hitl_eligible,
                evaluated_rules: decision.evaluated_rules,
            },
        }
    }
}

/// Whether `rule` alone passes every gate for `call`: the rule "matches" the call,
/// whatever earlier rules decide.
pub fn rule_matches(rule: &Rule, call: &Call) -> bool {
    let mut alone = rule.clone();
    alone.index = 0;
    let single = Policy {
        default_action: crate::policy::Effect::Deny,
        rules: vec![alone],
    };
    call.decide(&single).rule_index() == Some(0)
}

/// Decodes encoded requests of one layout.
#[derive(Debug, Clone)]
pub struct Decoder {
    layout: Layout,
    /// Folded tool segment → the policy's own spelling of it.
    spellings: HashMap<String, String>,
}

impl Decoder {
    pub fn new(policy: &Policy, layout: Layout) -> Decoder {
        let mut spellings = HashMap::new();
        for pattern in policy.rules.iter().flat_map(|r| &r.patterns) {
            let tool = pattern
                .canonical
                .split_once(':')
                .map_or(pattern.canonical.as_str(), |(tool, _)| tool);
            let plain = !tool.is_empty() && !tool.contains(['*', '?', '[']);
            if plain && tool != casefold(tool) {
                spellings
                    .entry(casefold(tool).into_owned())
                    .or_insert_with(|| tool.to_owned());
            }
        }
        Decoder { layout, spellings }
    }

    pub fn layout(&self) -> &Layout {
        &self.layout
    }

    /// The call an encoded request stands for; `None` if the bytes are not a request of
    /// this layout (which the domain rules out for every path the engine reports).
    pub fn decode(&self, path: &[u8]) -> Option<Call> {
        let mut fields = path.split(|&b| b == SEP);
        let (tool, method) = self.subject(fields.next()?)?;
        let mut context = JsonMap::new();
        let mut put = |key: &str, field: &[u8], skip_empty: bool| -> Option<()> {
            if field == [ABSENT] || (skip_empty && field.is_empty()) {
                return Some(());
            }
            let text = std::str::from_utf8(field).ok()?;
            context.insert(key.to_owned(), Value::String(text.to_owned()));
            Some(())
        };
        put("client_name", fields.next()?, true)?;
        put("project_id", fields.next()?, true)?;
        put("resource", fields.next()?, true)?;
        for key in self.layout.keys() {
            put(key, fields.next()?, false)?;
        }
        fields.next().is_none().then_some(Call {
            tool,
            method,
            context,
        })
    }

    fn subject(&self, field: &[u8]) -> Option<(String, String)> {
        let (tool, method) = split_subject(std::str::from_utf8(field).ok()?)?;
        Some((self.spell(&tool), method))
    }

    /// The policy's own spelling of a folded tool name (`Bash` for `bash`), if it has one.
    pub fn spell(&self, tool: &str) -> String {
        self.spellings
            .get(tool)
            .map_or_else(|| tool.to_owned(), Clone::clone)
    }
}

/// A folded subject `X:Y` as (tool, method). An empty `X` means the tool itself starts
/// with `:` (`::m` is the tool `:` with the method `m`).
pub fn split_subject(subject: &str) -> Option<(String, String)> {
    let (tool, method) = subject.split_once(':')?;
    if tool.is_empty() {
        let (rest, method) = method.split_once(':')?;
        return Some((format!(":{rest}"), method.to_owned()));
    }
    Some((tool.to_owned(), method.to_owned()))
}
