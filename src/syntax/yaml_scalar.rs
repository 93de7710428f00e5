//! YAML 1.1 scalar typing, exactly as the reference's PyYAML `SafeLoader` does it.
//!
//! The reference reads policies with PyYAML, whose implicit resolvers implement YAML 1.1:
//! `yes`/`on` are booleans, `012` is octal, `1:30` is sexagesimal, `1e3` is a string.
//! Decisions depend on this typing, so the resolvers and the value constructors are
//! reproduced here rule for rule: the resolver regexes of `yaml/resolver.py` (hand-coded
//! as small matchers instead of compiled regexes, which keeps this module free of lazy
//! statics and fallible construction) and the `construct_yaml_*` functions of
//! `yaml/constructor.py`, including their quirks (`!!int` goes through Python `int()`,
//! `!!binary` decodes base64 leniently).
//!
//! Everything here is a pure function of the scalar text; tags, styles and positions are
//! the builder's business.

mod binary;
mod timestamp;

pub(crate) use binary::construct_binary;
pub(crate) use timestamp::construct_timestamp;
use timestamp::is_timestamp;

use super::NodeKind;
use crate::python::{PyIntError, parse_py_float, parse_py_int, str_repr};

/// Why a scalar could not be turned into a value.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum ScalarError {
    /// An integer outside the 128-bit range guardc represents (Python's are unbounded).
    IntTooLarge,
    /// The reference's constructor raises on this text (`!!int abc`, `2024-13-01`); the
    /// message says why, in Python's words where it has any.
    Invalid(String),
}

type Resolved = Result<NodeKind, ScalarError>;

/// Resolve a plain (unquoted, untagged) scalar with PyYAML's YAML 1.1 implicit resolvers.
///
/// PyYAML picks the candidate resolvers by the first character and takes the first whose
/// regex matches; the patterns are disjoint, so the order below only mirrors theirs.
/// `<<` (merge) and `=` (value) resolve to strings here; their special meaning depends on
/// where they stand, which only the tree builder knows.
pub(crate) fn resolve_plain(text: &str) -> Resolved {
    let Some(&first) = text.as_bytes().first() else {
        return Ok(NodeKind::Null);
    };
    if b"yYnNtTfFoO".contains(&first) && is_bool(text) {
        return construct_bool(text);
    }
    if b"-+0123456789.".contains(&first) && is_float(text) {
        return construct_float(text);
    }
    if b"-+0123456789".contains(&first) && is_int(text) {
        return construct_int(text);
    }
    if matches!(text, "~" | "null" | "Null" | "NULL") {
        return Ok(NodeKind::Null);
    }
    if first.is_ascii_digit() && is_timestamp(text) {
        return construct_timestamp(text);
    }
    Ok(NodeKind::Str(text.to_owned()))
}

fn is_bool(text: &str) -> bool {
    matches!(
        text,
        "yes"
            | "Yes"
            | "YES"
            | "no"
            | "No"
            | "NO"
            | "true"
            | "True"
            | "TRUE"
            | "false"
            | "False"
            | "FALSE"
            | "on"
            | "On"
            | "ON"
            | "off"
            | "Off"
            | "OFF"
    )
}

/// A forward-only matcher over ASCII bytes, enough for PyYAML's anchored regexes.
#[derive(Clone, Copy)]
struct Cursor<'a> {
    bytes: &'a [u8],
    pos: usize,
}

impl<'a> Cursor<'a> {
    fn new(text: &'a str) -> Self {
        Self {
            bytes: text.as_bytes(),
            pos: 0,
        }
    }

    fn peek(&self) -> Option<u8> {
        self.bytes.get(self.pos).copied()
    }

    fn eat(&mut self, byte: u8) -> bool {
        self.eat_if(|b| b == byte)
    }

    fn eat_if(&mut self, pred: impl Fn(u8) -> bool) -> bool {
        match self.peek() {
            Some(b) if pred(b) => {
                self.pos += 1;
                true
            }
            _ => false,
        }
    }

    fn eat_while(&mut self, pred: impl Fn(u8) -> bool) -> usize {
        let start = self.pos;
        while self.eat_if(&pred) {}
        self.pos - start
    }

    fn eat_str(&mut self, s: &str) -> bool {
        let end = self.pos + s.len();
        if self.bytes.get(self.pos..end) == Some(s.as_bytes()) {
            self.pos = end;
            true
        } else {
            false
        }
    }

    fn at_end(&self) -> bool {
        self.pos >= self.bytes.len()
    }

    fn sign(&mut self) {
        let _ = self.eat(b'-') || self.eat(b'+');
    }

    /// `[eE][-+][0-9]+`, optional as a whole: the 1.1 exponent needs an explicit sign.
    fn exponent(&mut self) -> bool {
        let save = *self;
        if self.eat_if(|b| b == b'e' || b == b'E')
            && self.eat_if(|b| b == b'-' || b == b'+')
            && self.eat_while(is_digit) > 0
        {
            return true;
        }
        *self = save;
        false
    }

    /// `(:[0-5]?[0-9])+`: one or more sexagesimal groups.
    fn sexagesimal_groups(&mut self) -> bool {
        let mut groups = 0;
        loop {
            let save = *self;
            if !self.eat(b':') {
                break;
            }
            let digits = self.eat_while(is_digit);
            let ok = match digits {
                1 => true,
                2 => matches!(self.bytes.get(self.pos - 2), Some(b'0'..=b'5')),
                _ => false,
            };
            if !ok {
                *self = save;
                break;
            }
            groups += 1;
        }
        groups > 0
    }
}

fn is_digit(b: u8) -> bool {
    b.is_ascii_digit()
}

fn is_digit_or_underscore(b: u8) -> bool {
    b.is_ascii_digit() || b == b'_'
}

/// Any alternative of a pattern matches the whole text.
fn matches_any(text: &str, alternatives: &[fn(&mut Cursor) -> bool]) -> bool {
    alternatives.iter().any(|alt| {
        let mut c = Cursor::new(text);
        alt(&mut c) && c.at_end()
    })
}

fn is_float(text: &str) -> bool {
    matches_any(
        text,
        &[
            // [-+]?([0-9][0-9_]*)\.[0-9_]*([eE][-+][0-9]+)?
            |c| {
                c.sign();
                if !c.eat_if(is_digit) {
                    return false;
                }
                c.eat_while(is_digit_or_underscore);
                if !c.eat(b'.') {
                    return false;
                }
                c.eat_while(is_digit_or_underscore);
                c.exponent();
                true
            },
            // \.[0-9][0-9_]*([eE][-+][0-9]+)?  (unsigned: `-.5` is a string in PyYAML)
            |c| {
                if !(c.eat(b'.') && c.eat_if(is_digit)) {
                    return false;
                }
                c.eat_while(is_digit_or_underscore);
                c.exponent();
                true
            },
            // [-+]?[0-9][0-9_]*(:[0-5]?[0-9])+\.[0-9_]*
            |c| {
                c.sign();
                if !c.eat_if(is_digit) {
                    return false;
                }
                c.eat_while(is_digit_or_underscore);
                if !(c.sexagesimal_groups() && c.eat(b'.')) {
                    return false;
                }
                c.eat_while(is_digit_or_underscore);
                true
            },
            // [-+]?\.(inf|Inf|INF)
            |c| {
                c.sign();
                c.eat(b'.') && (c.eat_str("inf") || c.eat_str("Inf") || c.eat_str("INF"))
            },
            // \.(nan|NaN|NAN)
            |c| c.eat(b'.') && (c.eat_str("nan") || c.eat_str("NaN") || c.eat_str("NAN")),
        ],
    )
}

fn is_int(text: &str) -> bool {
    matches_any(
        text,
        &[
            // [-+]?0b[0-1_]+
            |c| {
                c.sign();
                c.eat_str("0b") && c.eat_while(|b| matches!(b, b'0' | b'1' | b'_')) > 0
            },
            // [-+]?0[0-7_]+
            |c| {
                c.sign();
                c.eat(b'0') && c.eat_while(|b| matches!(b, b'0'..=b'7' | b'_')) > 0
            },
            // [-+]?(0|[1-9][0-9_]*)
            |c| {
                c.sign();
                if c.eat(b'0') {
                    return true;
                }
                if !c.eat_if(|b| matches!(b, b'1'..=b'9')) {
                    return false;
                }
                c.eat_while(is_digit_or_underscore);
                true
            },
            // [-+]?0x[0-9a-fA-F_]+
            |c| {
                c.sign();
                c.eat_str("0x") && c.eat_while(|b| b.is_ascii_hexdigit() || b == b'_') > 0
            },
            // [-+]?[1-9][0-9_]*(:[0-5]?[0-9])+
            |c| {
                c.sign();
                if !c.eat_if(|b| matches!(b, b'1'..=b'9')) {
                    return false;
                }
                c.eat_while(is_digit_or_underscore);
                c.sexagesimal_groups()
            },
        ],
    )
}

/// `construct_yaml_bool`: the lowercased text looked up in PyYAML's table.
pub(crate) fn construct_bool(text: &str) -> Resolved {
    match text.to_lowercase().as_str() {
        "yes" | "true" | "on" => Ok(NodeKind::Bool(true)),
        "no" | "false" | "off" => Ok(NodeKind::Bool(false)),
        // PyYAML raises a bare KeyError here.
        _ => Err(ScalarError::Invalid(format!(
            "{} is not a boolean (use true/false, yes/no or on/off)",
            str_repr(text)
        ))),
    }
}

/// Split PyYAML's leading sign off (`value[0]` must exist: an empty `!!int`/`!!float`
/// is an IndexError in the reference).
fn split_sign(value: &str) -> Result<(bool, &str), ScalarError> {
    match value.as_bytes().first() {
        None => Err(ScalarError::Invalid(
            "an empty value is not a number".to_owned(),
        )),
        Some(b'-') => Ok((true, value.get(1..).unwrap_or(""))),
        Some(b'+') => Ok((false, value.get(1..).unwrap_or(""))),
        Some(_) => Ok((false, value)),
    }
}

/// `construct_yaml_int`: underscores dropped, then binary, hex, octal (leading `0`),
/// sexagesimal (`:`), or decimal through Python `int()`.
pub(crate) fn construct_int(text: &str) -> Resolved {
    let value: String = text.chars().filter(|&c| c != '_').collect();
    let (negative, value) = split_sign(&value)?;
    let magnitude = if value == "0" {
        0
    } else if let Some(bin) = value.strip_prefix("0b") {
        python_int(bin, 2)?
    } else if let Some(hex) = value.strip_prefix("0x") {
        python_int(hex, 16)?
    } else if value.starts_with('0') {
        python_int(value, 8)?
    } else if value.contains(':') {
        let mut total: i128 = 0;
        for part in value.split(':') {
            let digit = python_int(part, 10)?;
            total = total
                .checked_mul(60)
                .and_then(|t| t.checked_add(digit))
                .ok_or(ScalarError::IntTooLarge)?;
        }
        total
    } else {
        python_int(value, 10)?
    };
    let value = if negative {
        magnitude.checked_neg().ok_or(ScalarError::IntTooLarge)?
    } else {
        magnitude
    };
    Ok(NodeKind::Int(value))
}

/// Python `int(text, base)`, with Python's message when it raises.
fn python_int(text: &str, base: u32) -> Result<i128, ScalarError> {
    parse_py_int(text, base).map_err(|e| match e {
        PyIntError::TooLarge => ScalarError::IntTooLarge,
        PyIntError::Invalid => ScalarError::Invalid(format!(
            "invalid literal for int() with base {base}: {}",
            str_repr(text)
        )),
    })
}

/// `construct_yaml_float`: underscores dropped, lowercased, `.inf`/`.nan`, sexagesimal,
/// else Python `float()`.
pub(crate) fn construct_float(text: &str) -> Resolved {
    let value: String = text
        .chars()
        .filter(|&c| c != '_')
        .collect::<String>()
        .to_lowercase();
    let (negative, value) = split_sign(&value)?;
    let sign = if negative { -1.0 } else { 1.0 };
    let magnitude = if value == ".inf" {
        f64::INFINITY
    } else if value == ".nan" {
        // PyYAML returns its NaN unsigned.
        return Ok(NodeKind::Float(f64::NAN));
    } else if value.contains(':') {
        let mut total = 0.0;
        for part in value.split(':') {
            total = total * 60.0 + python_float(part)?;
        }
        total
    } else {
        python_float(value)?
    };
    Ok(NodeKind::Float(sign * magnitude))
}

/// Python `float(text)`, with Python's message when it raises.
fn python_float(text: &str) -> Result<f64, ScalarError> {
    parse_py_float(text).ok_or_else(|| {
        ScalarError::Invalid(format!(
            "could not convert string to float: {}",
            str_repr(text)
        ))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn plain(text: &str) -> NodeKind {
        match resolve_plain(text) {
            Ok(kind) => kind,
            Err(e) => NodeKind::Str(format!("ERROR {e:?}")),
        }
    }

    fn s(text: &str) -> NodeKind {
        NodeKind::Str(text.to_owned())
    }

    #[test]
    fn booleans_in_three_capitalisations() {
        for t in [
            "yes", "Yes", "YES", "true", "True", "TRUE", "on", "On", "ON",
        ] {
            assert_eq!(plain(t), NodeKind::Bool(true), "{t}");
        }
        for f in [
            "no", "No", "NO", "false", "False", "FALSE", "off", "Off", "OFF",
        ] {
            assert_eq!(plain(f), NodeKind::Bool(false), "{f}");
        }
        for other in ["y", "n", "Y", "N", "yEs", "oN", "tRUE", "yes please"] {
            assert_eq!(plain(other), s(other), "{other}");
        }
    }

    #[test]
    fn nulls() {
        for n in ["~", "null", "Null", "NULL", ""] {
            assert_eq!(plain(n), NodeKind::Null, "{n:?}");
        }
        assert_eq!(plain("nULL"), s("nULL"));
        assert_eq!(plain("None"), s("None"));
    }

    #[test]
    fn integers() {
        let cases: &[(&str, i128)] = &[
            ("0", 0),
            ("-0", 0),
            ("+12", 12),
            ("1_000", 1000),
            ("1__", 1),
            ("0_", 0),
            ("00", 0),
            ("0b101", 5),
            ("0b1_0", 2),
            ("-0b11", -3),
            ("0777", 511),
            ("012", 10),
            ("-012", -10),
            ("0x1F", 31),
            ("0x_1F", 31),
            ("-0xff", -255),
            ("1:30", 90),
            ("-1:30", -90),
            ("1:5", 65),
            ("190:20:30", 685_230),
        ];
        for (text, value) in cases {
            assert_eq!(plain(text), NodeKind::Int(*value), "{text}");
        }
        for string in [
            "08", "09", "0o12", "1e3", "0b", "0x", "_1", "+_", "1:60", "0:30", "12e03",
        ] {
            assert_eq!(plain(string), s(string), "{string}");
        }
    }

    #[test]
    fn integers_beyond_128_bits_are_refused() {
        assert_eq!(
            resolve_plain("170141183460469231731687303715884105728"),
            Err(ScalarError::IntTooLarge)
        );
        assert_eq!(
            resolve_plain("170141183460469231731687303715884105727"),
            Ok(NodeKind::Int(i128::MAX))
        );
        assert_eq!(
            resolve_plain(&format!("0x{}", "f".repeat(40))),
            Err(ScalarError::IntTooLarge)
        );
        assert!(matches!(resolve_plain("0b_"), Err(ScalarError::Invalid(_))));
    }

    #[test]
    fn floats_need_a_dot() {
        let cases: &[(&str, f64)] = &[
            ("1.5", 1.5),
            (".5", 0.5),
            ("1.", 1.0),
            ("0.", 0.0),
            ("-1.5", -1.5),
            ("+1.5", 1.5),
            ("1.0e+3", 1000.0),
            ("1.5E+3", 1500.0),
            ("6.8523015e+5", 685_230.15),
            ("685_230.15", 685_230.15),
            ("1_000.5_5", 1000.55),
            (".5e-1", 0.05),
            ("1:30.5", 90.5),
            ("-1:30.5", -90.5),
            ("190:20:30.15", 685_230.15),
        ];
        for (text, value) in cases {
            assert_eq!(plain(text), NodeKind::Float(*value), "{text}");
        }
        assert_eq!(plain(".inf"), NodeKind::Float(f64::INFINITY));
        assert_eq!(plain("+.Inf"), NodeKind::Float(f64::INFINITY));
        assert_eq!(plain("-.INF"), NodeKind::Float(f64::NEG_INFINITY));
        for nan in [".nan", ".NaN", ".NAN"] {
            assert!(
                matches!(plain(nan), NodeKind::Float(f) if f.is_nan()),
                "{nan}"
            );
        }
        assert!(matches!(plain("-0.0"), NodeKind::Float(f) if f == 0.0 && f.is_sign_negative()));
        for string in [
            "1e3", "1.0e3", "-.5", "+.5", ".", "._5", "-.nan", ".Nan", "inf", "1.5.5",
        ] {
            assert_eq!(plain(string), s(string), "{string}");
        }
    }

    #[test]
    fn everything_else_is_a_string() {
        for text in [
            "deny", "Bash:*", "<<", "=", "1.2.3", "a b", "0.0.0.0", "-", "+", "~~",
        ] {
            assert_eq!(plain(text), s(text), "{text}");
        }
    }

    #[test]
    fn explicit_tag_constructors() {
        assert_eq!(construct_int("7"), Ok(NodeKind::Int(7)));
        assert_eq!(construct_int(" 12 "), Ok(NodeKind::Int(12)));
        assert_eq!(construct_int("0o12"), Ok(NodeKind::Int(10)));
        assert!(matches!(construct_int("abc"), Err(ScalarError::Invalid(_))));
        assert!(matches!(construct_int(""), Err(ScalarError::Invalid(_))));
        assert_eq!(construct_float("1"), Ok(NodeKind::Float(1.0)));
        assert_eq!(construct_float("1_0"), Ok(NodeKind::Float(10.0)));
        assert_eq!(construct_float("1e3"), Ok(NodeKind::Float(1000.0)));
        assert!(matches!(construct_float("x"), Err(ScalarError::Invalid(_))));
        assert_eq!(construct_bool("yEs"), Ok(NodeKind::Bool(true)));
        assert!(matches!(construct_bool("1"), Err(ScalarError::Invalid(_))));
        assert_eq!(
            construct_timestamp("2024-1-1"),
            Ok(NodeKind::Date("2024-01-01".into()))
        );
        assert!(matches!(
            construct_timestamp("soon"),
            Err(ScalarError::Invalid(_))
        ));
    }
}
