//! `yaml11-literal`: an unquoted scalar that YAML 1.1 (the reference's PyYAML) and
//! YAML 1.2 (current YAML tooling: editors, schema validators, most libraries) read
//! differently.
//!
//! The reference resolves plain scalars with YAML 1.1 rules, so `no` is the boolean
//! false, `0777` the integer 511 and `1:30` the integer 90; a YAML 1.2 reader sees the
//! string `no`, the integer 777 and the string `1:30`. Conversely `08` and `1e3` are
//! strings to the reference and numbers to YAML 1.2. Either way the document means two
//! things, depending on who reads it.
//!
//! The comparison is made on what the value *becomes*: Python `str()` of the YAML 1.1
//! value against the same rendering of the YAML 1.2 core-schema value. So a date
//! (`2024-01-01`, a date in 1.1, a string in 1.2, the same text either way) is not
//! reported, while `0x1F` (31 in both) is not either. Where a more specific diagnostic
//! already covers the value it steps aside: a non-string `id`/`name`/`reason`/
//! `reason_code` (`non-string-identity`), a non-boolean `escalate_on_deny`
//! (`escalation-not-boolean`), and any value a load error points at (`deny: no`).

use std::collections::HashSet;

use super::Finding;
use super::non_string_identity::IDENTITY_KEYS;
use super::support::{describe, is_plain, quoted, reported_by_load, rule_maps};
use crate::analysis::Context;
use crate::diagnostics::Diagnostic;
use crate::python::{PyValue, float_repr};
use crate::source::{SourceFile, Span};
use crate::syntax::{Node, NodeKind};

pub use crate::diagnostics::codes::findings::YAML11_LITERAL as INFO;

pub static FINDING: Finding = Finding { info: &INFO, run };

fn run(context: &Context<'_>) -> Vec<Diagnostic> {
    let Some(document) = context.loaded.document.as_ref() else {
        return Vec::new();
    };
    let skipped = owned_by_other_findings(context);
    let mut scalars = Vec::new();
    collect_plain_scalars(document, &mut scalars);
    let mut seen: HashSet<Span> = HashSet::new();
    let source = &context.loaded.source;
    scalars
        .into_iter()
        .filter(|node| seen.insert(node.span) && !skipped.contains(&node.span))
        .filter(|node| !reported_by_load(context, node.span))
        .filter_map(|node| check(source, node))
        .collect()
}

/// Value spans that `non-string-identity` and `escalation-not-boolean` report.
fn owned_by_other_findings(context: &Context<'_>) -> HashSet<Span> {
    let mut spans = HashSet::new();
    for rule in rule_maps(context) {
        for entry in &rule.map.entries {
            let Some(key) = entry.key.as_str() else {
                continue;
            };
            let value = &entry.value;
            let identity = IDENTITY_KEYS.contains(&key) && !matches!(value.kind, NodeKind::Str(_));
            let flag = key == "escalate_on_deny" && !matches!(value.kind, NodeKind::Bool(_));
            if identity || flag {
                spans.insert(value.span);
            }
        }
    }
    spans
}

/// Every plain scalar of the tree, keys included.
fn collect_plain_scalars<'a>(node: &'a Node, out: &mut Vec<&'a Node>) {
    match &node.kind {
        NodeKind::Map(mapping) => {
            for entry in &mapping.entries {
                collect_plain_scalars(&entry.key, out);
                collect_plain_scalars(&entry.value, out);
            }
        }
        NodeKind::Seq(items) | NodeKind::Set(items) => {
            for item in items {
                collect_plain_scalars(item, out);
            }
        }
        _ if is_plain(node) => out.push(node),
        _ => {}
    }
}

fn check(source: &SourceFile, node: &Node) -> Option<Diagnostic> {
    let written = untagged(source.slice(node.span))?;
    if written.is_empty() || written.contains('\n') {
        return None;
    }
    let core = resolve_core(written);
    let yaml11 = PyValue::from_node(node).py_str();
    if core.rendered(written)? == yaml11 {
        return None;
    }
    let reference = match node.kind {
        NodeKind::Str(_) => format!("the string '{written}'"),
        _ => describe(node),
    };
    Some(
        Diagnostic::new(
            &INFO,
            node.span,
            format!(
                "YAML 1.1 reads the unquoted `{written}` as {reference}, YAML 1.2 as {}",
                core.describe(written)
            ),
        )
        .with_label(format!("the reference reads {reference}"))
        .with_help(help(source, node, written)),
    )
}

/// The scalar text without its anchor (`&a yes` reads as `yes`); `None` for a tagged
/// scalar (`!!str 1`), whose type is explicit and the same in both YAML versions, and
/// for an alias (`*a`), whose anchored value is reported where it is written.
fn untagged(written: &str) -> Option<&str> {
    let mut text = written.trim();
    while let Some(rest) = text.strip_prefix('&') {
        text = rest
            .split_once(char::is_whitespace)
            .map_or("", |(_, value)| value)
            .trim_start();
    }
    (!text.starts_with(['!', '*'])).then_some(text)
}

fn help(source: &SourceFile, node: &Node, written: &str) -> String {
    let quote = quoted(source, written);
    let portable = match &node.kind {
        NodeKind::Bool(b) => Some(b.to_string()),
        NodeKind::Int(i) => Some(i.to_string()),
        NodeKind::Float(f) => Some(portable_float(*f)),
        _ => None,
    };
    match portable {
        Some(value) => format!(
            "write `{value}` if {} is meant, or quote it (`{quote}`) if the text is",
            match node.kind {
                NodeKind::Bool(_) => "the boolean",
                _ => "the number",
            }
        ),
        None => format!("quote it (`{quote}`) so that every YAML reader sees the same text"),
    }
}

/// A float written so that YAML 1.1 and 1.2 read the same value.
fn portable_float(value: f64) -> String {
    if value.is_nan() {
        ".nan".to_owned()
    } else if value.is_infinite() {
        if value > 0.0 { ".inf" } else { "-.inf" }.to_owned()
    } else {
        float_repr(value)
    }
}

/// A plain scalar as the YAML 1.2 core schema resolves it.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Core {
    Null,
    Bool(bool),
    Int(i128),
    /// An integer beyond `i128`: not compared (the front-end refuses those anyway).
    BigInt,
    Float(f64),
    Str,
}

impl Core {
    /// Python `str()` of the value a YAML 1.2 reader would give the reference; `None`
    /// when it cannot be compared.
    fn rendered(self, written: &str) -> Option<String> {
        Some(match self {
            Core::Null => "None".to_owned(),
            Core::Bool(true) => "True".to_owned(),
            Core::Bool(false) => "False".to_owned(),
            Core::Int(i) => i.to_string(),
            Core::BigInt => return None,
            Core::Float(f) => float_repr(f),
            Core::Str => written.to_owned(),
        })
    }

    fn describe(self, written: &str) -> String {
        match self {
            Core::Null => "null".to_owned(),
            Core::Bool(b) => format!("the boolean {b}"),
            Core::Int(i) => format!("the integer {i}"),
            Core::BigInt => "a large integer".to_owned(),
            Core::Float(f) => format!("the number {}", float_repr(f)),
            Core::Str => format!("the string '{written}'"),
        }
    }
}

/// The YAML 1.2 core schema's resolution of a plain scalar (YAML 1.2.2, 10.3.2).
fn resolve_core(text: &str) -> Core {
    match text {
        "~" | "null" | "Null" | "NULL" => Core::Null,
        "true" | "True" | "TRUE" => Core::Bool(true),
        "false" | "False" | "FALSE" => Core::Bool(false),
        ".nan" | ".NaN" | ".NAN" => Core::Float(f64::NAN),
        _ => number(text).unwrap_or(Core::Str),
    }
}

/// Core-schema integers and floats; `None` for anything else.
fn number(text: &str) -> Option<Core> {
    // Octal and hexadecimal take no sign in the core schema.
    if let Some(digits) = text.strip_prefix("0o") {
        return integer(digits, 8, false);
    }
    if let Some(digits) = text.strip_prefix("0x") {
        return integer(digits, 16, false);
    }
    let (negative, unsigned) = match text.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, text.strip_prefix('+').unwrap_or(text)),
    };
    if matches!(unsigned, ".inf" | ".Inf" | ".INF") {
        let infinity = if negative {
            f64::NEG_INFINITY
        } else {
            f64::INFINITY
        };
        return Some(Core::Float(infinity));
    }
    integer(unsigned, 10, negative).or_else(|| {
        core_float(unsigned).map(|value| Core::Float(if negative { -value } else { value }))
    })
}

fn integer(digits: &str, radix: u32, negative: bool) -> Option<Core> {
    if digits.is_empty() || !digits.chars().all(|c| c.is_digit(radix)) {
        return None;
    }
    let signed = if negative {
        format!("-{digits}")
    } else {
        digits.to_owned()
    };
    Some(i128::from_str_radix(&signed, radix).map_or(Core::BigInt, Core::Int))
}

/// `(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?` without its sign.
fn core_float(text: &str) -> Option<f64> {
    let (mantissa, exponent) = match text.find(['e', 'E']) {
        Some(at) => (text.get(..at)?, Some(text.get(at + 1..)?)),
        None => (text, None),
    };
    let digits = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
    let mantissa_ok = match mantissa.split_once('.') {
        Some(("", fraction)) => digits(fraction),
        Some((whole, fraction)) => digits(whole) && (fraction.is_empty() || digits(fraction)),
        None => digits(mantissa),
    };
    let exponent_ok = exponent.is_none_or(|e| digits(e.strip_prefix(['-', '+']).unwrap_or(e)));
    if mantissa_ok && exponent_ok {
        text.parse::<f64>().ok()
    } else {
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn core_schema() {
        assert_eq!(resolve_core("yes"), Core::Str);
        assert_eq!(resolve_core("0777"), Core::Int(777));
        assert_eq!(resolve_core("-12"), Core::Int(-12));
        assert_eq!(resolve_core("+12"), Core::Int(12));
        assert_eq!(resolve_core("0o17"), Core::Int(15));
        assert_eq!(resolve_core("0x1F"), Core::Int(31));
        assert_eq!(resolve_core("-0x1F"), Core::Str);
        assert_eq!(resolve_core("0x"), Core::Str);
        assert_eq!(resolve_core("1:30"), Core::Str);
        assert_eq!(resolve_core("1_000"), Core::Str);
        assert_eq!(resolve_core("1e3"), Core::Float(1000.0));
        assert_eq!(resolve_core(".5"), Core::Float(0.5));
        assert_eq!(resolve_core("-.inf"), Core::Float(f64::NEG_INFINITY));
        assert_eq!(resolve_core("1."), Core::Float(1.0));
        assert_eq!(resolve_core("."), Core::Str);
        assert_eq!(resolve_core("e3"), Core::Str);
        assert_eq!(resolve_core("-"), Core::Str);
        assert_eq!(
            resolve_core("999999999999999999999999999999999999999999"),
            Core::BigInt
        );
    }
}
