//! The policy IR in a bundle: every field a decision or an audit row needs, written so
//! that reading it back yields exactly the IR the loader built.
//!
//! Rules are decoded one at a time, on first use (`lazy.rs`), through the offset table
//! [`encode`] writes before them.
//!
//! Globs are stored as their source text and re-parsed on load (parsing is linear and
//! infallible, and it keeps one definition of the dialect); regexes are recompiled by the
//! same constructor the loader uses. Spans and 1-based line/column are kept for audit
//! lineage.

use super::BundleError;
use super::codec::{Reader, Writer};
use crate::pattern::{Glob, ToolPattern};
use crate::policy::{
    Condition, ConditionTest, Effect, Operator, Policy, Rule, RuleSpans, Selector,
};
use crate::python::PyValue;
use crate::source::Span;

/// PyValue nesting allowed in a bundle; the loader's own limit is far below it.
const MAX_VALUE_DEPTH: usize = 256;

/// The policy section (format 4): a fixed header (default action, three zero bytes,
/// the rule count as a little-endian `u32`), each rule record's length (varints), then
/// the records. The lengths let a loaded bundle find any rule without decoding the ones
/// before it (`lazy.rs`): one pass of 10,000 varints at load builds the offsets. Fixed
/// four-byte offsets would be read in place but cost 40 KB at 10,000 rules, more than
/// the size budget (2x the YAML) had left; the varints cost about 15 KB.
pub(super) fn encode(policy: &Policy) -> Vec<u8> {
    let mut records = Writer::default();
    let mut lengths = Writer::default();
    for rule in &policy.rules {
        let start = records.bytes.len();
        encode_rule(&mut records, rule);
        lengths.usize(records.bytes.len() - start);
    }
    let count = u32::try_from(policy.rules.len()).unwrap_or(u32::MAX);
    let mut out = Vec::with_capacity(8 + lengths.bytes.len() + records.bytes.len());
    out.extend_from_slice(&[effect_tag(policy.default_action), 0, 0, 0]);
    out.extend_from_slice(&count.to_le_bytes());
    out.extend_from_slice(&lengths.bytes);
    out.extend_from_slice(&records.bytes);
    out
}

/// A policy section's header and rule offsets, once checked.
pub(super) struct RuleTable {
    pub(super) default_action: Effect,
    /// Offsets of the records relative to the section, one more than there are rules
    /// (the last is the section's end).
    pub(super) offsets: Box<[u32]>,
}

impl RuleTable {
    /// Check the section's header against `rule_count` (from the bundle header) and
    /// turn the record lengths into offsets that end exactly at the section's end, so
    /// every record lies inside it. No rule is decoded.
    pub(super) fn read(section: &[u8], rule_count: usize) -> Result<RuleTable, BundleError> {
        let header = section.get(..8).ok_or(BundleError::Truncated)?;
        let default_action = effect(header[0])?;
        if header[1..4] != [0, 0, 0] {
            return Err(BundleError::Corrupt("the rule table header is malformed"));
        }
        let count = u32::from_le_bytes([header[4], header[5], header[6], header[7]]) as usize;
        if count != rule_count {
            return Err(BundleError::Corrupt(
                "the rule count does not match the rule table",
            ));
        }
        let rest = section.get(8..).ok_or(BundleError::Truncated)?;
        let mut reader = Reader::new(rest);
        // Each length takes at least one byte, so `count` is bounded by the input.
        if count > rest.len() {
            return Err(BundleError::Truncated);
        }
        let mut lengths = Vec::with_capacity(count);
        for _ in 0..count {
            lengths.push(reader.usize()?);
        }
        let mut at = 8 + reader.position();
        let mut offsets = Vec::with_capacity(count + 1);
        for length in lengths {
            offsets.push(u32::try_from(at).map_err(|_| BundleError::Truncated)?);
            at = at.checked_add(length).ok_or(BundleError::Truncated)?;
        }
        if at != section.len() {
            return Err(BundleError::Corrupt(
                "the rule lengths do not cover the rule records",
            ));
        }
        offsets.push(u32::try_from(at).map_err(|_| BundleError::Truncated)?);
        Ok(RuleTable {
            default_action,
            offsets: offsets.into_boxed_slice(),
        })
    }
}

fn effect_tag(effect: Effect) -> u8 {
    match effect {
        Effect::Allow => 0,
        Effect::Deny => 1,
        Effect::Warn => 2,
    }
}

fn effect(tag: u8) -> Result<Effect, BundleError> {
    match tag {
        0 => Ok(Effect::Allow),
        1 => Ok(Effect::Deny),
        2 => Ok(Effect::Warn),
        _ => Err(BundleError::Corrupt("unknown effect")),
    }
}

fn encode_rule(w: &mut Writer, rule: &Rule) {
    w.u8(effect_tag(rule.effect));
    w.usize(rule.patterns.len());
    for pattern in &rule.patterns {
        w.str(&pattern.raw);
    }
    for selector in [&rule.resources, &rule.clients, &rule.projects] {
        encode_selector(w, selector);
    }
    w.usize(rule.conditions.len());
    for condition in &rule.conditions {
        encode_condition(w, condition);
    }
    w.opt_str(rule.policy_id.as_deref());
    w.str(&rule.reason);
    w.str(&rule.reason_code);
    w.bool(rule.escalate_on_deny);
    encode_spans(w, &rule.spans);
    w.u32(rule.line);
    w.u32(rule.col);
}

pub(super) fn decode_rule(r: &mut Reader<'_>, index: usize) -> Result<Rule, BundleError> {
    let effect = effect(r.u8()?)?;
    let pattern_count = r.count(4)?;
    let mut patterns = Vec::with_capacity(pattern_count);
    for _ in 0..pattern_count {
        patterns.push(ToolPattern::new(r.str()?));
    }
    let resources = decode_selector(r)?;
    let clients = decode_selector(r)?;
    let projects = decode_selector(r)?;
    let condition_count = r.count(4)?;
    let mut conditions = Vec::with_capacity(condition_count);
    for _ in 0..condition_count {
        conditions.push(decode_condition(r)?);
    }
    Ok(Rule {
        index,
        effect,
        patterns,
        resources,
        clients,
        projects,
        conditions,
        policy_id: r.opt_string()?,
        reason: r.string()?,
        reason_code: r.string()?,
        escalate_on_deny: r.bool()?,
        spans: decode_spans(r)?,
        line: r.u32()?,
        col: r.u32()?,
    })
}

fn encode_selector(w: &mut Writer, selector: &Selector) {
    w.bool(selector.universal);
    w.usize(selector.globs.len());
    for glob in &selector.globs {
        w.str(glob.source());
    }
}

fn decode_selector(r: &mut Reader<'_>) -> Result<Selector, BundleError> {
    let universal = r.bool()?;
    let count = r.count(4)?;
    let mut globs = Vec::with_capacity(count);
    for _ in 0..count {
        globs.push(Glob::parse(r.str()?));
    }
    Ok(Selector { globs, universal })
}

fn encode_condition(w: &mut Writer, condition: &Condition) {
    w.str(&condition.field);
    encode_span(w, condition.span);
    match &condition.test {
        ConditionTest::Glob { text, .. } => {
            w.u8(0);
            w.str(text);
        }
        ConditionTest::Operator {
            op,
            value,
            case_insensitive,
            ..
        } => {
            w.u8(1);
            w.u8(operator_tag(*op));
            w.bool(*case_insensitive);
            match value {
                Some(value) => {
                    w.u8(1);
                    encode_value(w, value);
                }
                None => w.u8(0),
            }
        }
    }
}

fn decode_condition(r: &mut Reader<'_>) -> Result<Condition, BundleError> {
    let field = r.string()?;
    let span = decode_span(r)?;
    let test = match r.u8()? {
        0 => ConditionTest::scalar(&field, r.string()?),
        1 => {
            let op = operator(r.u8()?)?;
            let case_insensitive = r.bool()?;
            let value = match r.u8()? {
                0 => None,
                1 => Some(decode_value(r, 0)?),
                _ => return Err(BundleError::Corrupt("a condition operand has a bad tag")),
            };
            ConditionTest::envelope(op, value, case_insensitive)
        }
        _ => return Err(BundleError::Corrupt("unknown condition kind")),
    };
    Ok(Condition { field, test, span })
}

const OPERATORS: [Operator; 14] = [
    Operator::Glob,
    Operator::Equals,
    Operator::Contains,
    Operator::Matches,
    Operator::Gt,
    Operator::Lt,
    Operator::Gte,
    Operator::Lte,
    Operator::In,
    Operator::NotIn,
    Operator::InRange,
    Operator::OutsideRange,
    Operator::Exists,
    Operator::NotExists,
];

fn operator_tag(op: Operator) -> u8 {
    OPERATORS
        .iter()
        .position(|&o| o == op)
        .and_then(|i| u8::try_from(i).ok())
        .unwrap_or(u8::MAX)
}

fn operator(tag: u8) -> Result<Operator, BundleError> {
    OPERATORS
        .get(usize::from(tag))
        .copied()
        .ok_or(BundleError::Corrupt("unknown condition operator"))
}

fn encode_value(w: &mut Writer, value: &PyValue) {
    match value {
        PyValue::None => w.u8(0),
        PyValue::Bool(b) => {
            w.u8(1);
            w.bool(*b);
        }
        PyValue::Int(i) => {
            w.u8(2);
            w.i128(*i);
        }
        PyValue::Float(f) => {
            w.u8(3);
            w.f64(*f);
        }
        PyValue::Str(s) => {
            w.u8(4);
            w.str(s);
        }
        PyValue::Bytes(b) => {
            w.u8(5);
            w.bytes(b);
        }
        PyValue::Date(s) => {
            w.u8(6);
            w.str(s);
        }
        PyValue::DateTime(s) => {
            w.u8(7);
            w.str(s);
        }
        PyValue::List(items) | PyValue::Set(items) => {
            w.u8(if matches!(value, PyValue::List(_)) {
                8
            } else {
                9
            });
            w.usize(items.len());
            items.iter().for_each(|item| encode_value(w, item));
        }
        PyValue::Dict(entries) => {
            w.u8(10);
            w.usize(entries.len());
            for (key, item) in entries {
                encode_value(w, key);
                encode_value(w, item);
            }
        }
    }
}

fn decode_value(r: &mut Reader<'_>, depth: usize) -> Result<PyValue, BundleError> {
    if depth > MAX_VALUE_DEPTH {
        return Err(BundleError::Corrupt("a condition operand nests too deeply"));
    }
    Ok(match r.u8()? {
        0 => PyValue::None,
        1 => PyValue::Bool(r.bool()?),
        2 => PyValue::Int(r.i128()?),
        3 => PyValue::Float(r.f64()?),
        4 => PyValue::Str(r.string()?),
        5 => PyValue::Bytes(r.bytes()?.to_vec()),
        6 => PyValue::Date(r.string()?),
        7 => PyValue::DateTime(r.string()?),
        tag @ (8 | 9) => {
            let count = r.count(1)?;
            let mut items = Vec::with_capacity(count);
            for _ in 0..count {
                items.push(decode_value(r, depth + 1)?);
            }
            if tag == 8 {
                PyValue::List(items)
            } else {
                PyValue::Set(items)
            }
        }
        10 => {
            let count = r.count(2)?;
            let mut entries = Vec::with_capacity(count);
            for _ in 0..count {
                let key = decode_value(r, depth + 1)?;
                entries.push((key, decode_value(r, depth + 1)?));
            }
            PyValue::Dict(entries)
        }
        _ => return Err(BundleError::Corrupt("unknown value type")),
    })
}

fn encode_span(w: &mut Writer, span: Span) {
    w.usize(span.start);
    w.usize(span.end);
}

fn decode_span(r: &mut Reader<'_>) -> Result<Span, BundleError> {
    let start = r.usize()?;
    let end = r.usize()?;
    if end < start {
        return Err(BundleError::Corrupt("a source span ends before it starts"));
    }
    Ok(Span::new(start, end))
}

fn encode_opt_span(w: &mut Writer, span: Option<Span>) {
    match span {
        Some(span) => {
            w.u8(1);
            encode_span(w, span);
        }
        None => w.u8(0),
    }
}

fn decode_opt_span(r: &mut Reader<'_>) -> Result<Option<Span>, BundleError> {
    match r.u8()? {
        0 => Ok(None),
        1 => decode_span(r).map(Some),
        _ => Err(BundleError::Corrupt("an optional span has a bad tag")),
    }
}

fn encode_spans(w: &mut Writer, spans: &RuleSpans) {
    encode_span(w, spans.rule);
    encode_span(w, spans.effect_key);
    w.usize(spans.patterns.len());
    spans.patterns.iter().for_each(|&s| encode_span(w, s));
    encode_opt_span(w, spans.escalate_on_deny);
    encode_opt_span(w, spans.id);
}

fn decode_spans(r: &mut Reader<'_>) -> Result<RuleSpans, BundleError> {
    let rule = decode_span(r)?;
    let effect_key = decode_span(r)?;
    let count = r.count(8)?;
    let mut patterns = Vec::with_capacity(count);
    for _ in 0..count {
        patterns.push(decode_span(r)?);
    }
    Ok(RuleSpans {
        rule,
        effect_key,
        patterns,
        escalate_on_deny: decode_opt_span(r)?,
        id: decode_opt_span(r)?,
    })
}
