//! A Python value as the reference sees it after loading (policy constants) or after
//! `json.loads` (request context and arguments), with `str()`, `repr()` and `bool()`.

use super::float_repr;

/// A loaded value, typed the way the reference's Python objects are typed.
#[derive(Debug, Clone, PartialEq)]
pub enum PyValue {
    None,
    Bool(bool),
    Int(i128),
    Float(f64),
    Str(String),
    Bytes(Vec<u8>),
    /// `datetime.date`, kept as its `str()`.
    Date(String),
    /// `datetime.datetime`, kept as its `str()`.
    DateTime(String),
    List(Vec<PyValue>),
    Set(Vec<PyValue>),
    Dict(Vec<(PyValue, PyValue)>),
}

impl PyValue {
    /// Python `str(value)`.
    pub fn py_str(&self) -> String {
        match self {
            PyValue::Str(s) => s.clone(),
            PyValue::Date(s) | PyValue::DateTime(s) => s.clone(),
            other => other.py_repr(),
        }
    }

    /// Python `repr(value)`.
    pub fn py_repr(&self) -> String {
        let mut out = String::new();
        self.write_repr(&mut out);
        out
    }

    fn write_repr(&self, out: &mut String) {
        match self {
            PyValue::None => out.push_str("None"),
            PyValue::Bool(true) => out.push_str("True"),
            PyValue::Bool(false) => out.push_str("False"),
            PyValue::Int(i) => out.push_str(&i.to_string()),
            PyValue::Float(f) => out.push_str(&float_repr(*f)),
            PyValue::Str(s) => out.push_str(&str_repr(s)),
            PyValue::Bytes(b) => out.push_str(&bytes_repr(b)),
            PyValue::Date(s) => out.push_str(&date_repr(s)),
            PyValue::DateTime(s) => {
                out.push_str("datetime.datetime(");
                out.push_str(&str_repr(s));
                out.push(')');
            }
            PyValue::List(items) => write_seq(out, '[', ']', items),
            PyValue::Set(items) if items.is_empty() => out.push_str("set()"),
            PyValue::Set(items) => write_seq(out, '{', '}', items),
            PyValue::Dict(entries) => {
                out.push('{');
                for (i, (key, value)) in entries.iter().enumerate() {
                    if i > 0 {
                        out.push_str(", ");
                    }
                    key.write_repr(out);
                    out.push_str(": ");
                    value.write_repr(out);
                }
                out.push('}');
            }
        }
    }

    /// Python `bool(value)` ([`truthy`](super::truthy)).
    pub fn truthy(&self) -> bool {
        super::truth::truthy(self)
    }

    /// The Python type name the reference prints in messages (`got list`).
    pub fn type_name(&self) -> &'static str {
        match self {
            PyValue::None => "NoneType",
            PyValue::Bool(_) => "bool",
            PyValue::Int(_) => "int",
            PyValue::Float(_) => "float",
            PyValue::Str(_) => "str",
            PyValue::Bytes(_) => "bytes",
            PyValue::Date(_) => "date",
            PyValue::DateTime(_) => "datetime",
            PyValue::List(_) => "list",
            PyValue::Set(_) => "set",
            PyValue::Dict(_) => "dict",
        }
    }

    pub fn as_str(&self) -> Option<&str> {
        match self {
            PyValue::Str(s) => Some(s),
            _ => None,
        }
    }

    /// The value `json.loads` gives for a JSON value: integers stay integers, numbers
    /// with a fraction or exponent are floats, objects keep their key order.
    pub fn from_json(value: &serde_json::Value) -> PyValue {
        match value {
            serde_json::Value::Null => PyValue::None,
            serde_json::Value::Bool(b) => PyValue::Bool(*b),
            serde_json::Value::Number(n) => json_number(n),
            serde_json::Value::String(s) => PyValue::Str(s.clone()),
            serde_json::Value::Array(items) => {
                PyValue::List(items.iter().map(PyValue::from_json).collect())
            }
            serde_json::Value::Object(map) => PyValue::Dict(
                map.iter()
                    .map(|(k, v)| (PyValue::Str(k.clone()), PyValue::from_json(v)))
                    .collect(),
            ),
        }
    }
}

/// Python `str()` of a JSON value, without building a [`PyValue`] for strings (the
/// common case on the evaluation path).
pub fn json_py_str(value: &serde_json::Value) -> std::borrow::Cow<'_, str> {
    match value {
        serde_json::Value::String(s) => std::borrow::Cow::Borrowed(s),
        other => std::borrow::Cow::Owned(PyValue::from_json(other).py_str()),
    }
}

pub(super) fn json_number(n: &serde_json::Number) -> PyValue {
    // With serde_json's `arbitrary_precision`, the number keeps its JSON spelling, which
    // is what decides int versus float in Python.
    let text = n.to_string();
    let is_float = text.contains(['.', 'e', 'E']);
    if !is_float {
        if let Ok(i) = text.parse::<i128>() {
            return PyValue::Int(i);
        }
    }
    PyValue::Float(text.parse::<f64>().unwrap_or(f64::NAN))
}

fn write_seq(out: &mut String, open: char, close: char, items: &[PyValue]) {
    out.push(open);
    for (i, item) in items.iter().enumerate() {
        if i > 0 {
            out.push_str(", ");
        }
        item.write_repr(out);
    }
    out.push(close);
}

fn date_repr(text: &str) -> String {
    let parts: Vec<&str> = text.split('-').collect();
    match parts.as_slice() {
        [y, m, d] => {
            let num = |s: &str| s.trim_start_matches('0').to_owned();
            let (m, d) = (num(m), num(d));
            format!("datetime.date({y}, {m}, {d})")
        }
        _ => format!("datetime.date({text})"),
    }
}

/// Python `repr(str)`: single quotes unless the text has a single quote and no double
/// quote; backslash escapes for the quote, backslash, `\n`, `\r`, `\t` and for characters
/// Python does not consider printable.
pub fn str_repr(s: &str) -> String {
    let quote = if s.contains('\'') && !s.contains('"') {
        '"'
    } else {
        '\''
    };
    let mut out = String::with_capacity(s.len() + 2);
    out.push(quote);
    for c in s.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if c == quote => {
                out.push('\\');
                out.push(c);
            }
            c if !is_printable(c) => {
                let code = u32::from(c);
                if code <= 0xff {
                    out.push_str(&format!("\\x{code:02x}"));
                } else if code <= 0xffff {
                    out.push_str(&format!("\\u{code:04x}"));
                } else {
                    out.push_str(&format!("\\U{code:08x}"));
                }
            }
            c => out.push(c),
        }
    }
    out.push(quote);
    out
}

fn bytes_repr(bytes: &[u8]) -> String {
    let mut out = String::from("b'");
    for &b in bytes {
        match b {
            b'\\' => out.push_str("\\\\"),
            b'\'' => out.push_str("\\'"),
            b'\n' => out.push_str("\\n"),
            b'\r' => out.push_str("\\r"),
            b'\t' => out.push_str("\\t"),
            0x20..=0x7e => out.push(char::from(b)),
            _ => out.push_str(&format!("\\x{b:02x}")),
        }
    }
    out.push('\'');
    out
}

/// Python's `str.isprintable` for one character, approximated without a full Unicode
/// category table: control characters, separators other than the space, the common
/// format characters, private-use code points and noncharacters are not printable.
/// Unassigned code points (which Python also escapes) are treated as printable; they do
/// not occur in real policies.
fn is_printable(c: char) -> bool {
    let code = u32::from(c);
    !(c.is_control()
        || matches!(code,
            0x00a0 | 0x00ad | 0x1680 | 0x2000..=0x200f | 0x2028..=0x202f | 0x205f..=0x2064
            | 0x2066..=0x206f | 0x3000 | 0xfeff | 0xfff9..=0xfffb | 0x0600..=0x0605 | 0x061c
            | 0x06dd | 0x070f | 0x180e | 0xe000..=0xf8ff | 0xf0000..=0x10ffff)
        || (code & 0xfffe) == 0xfffe)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn s(text: &str) -> PyValue {
        PyValue::Str(text.to_owned())
    }

    #[test]
    fn str_and_repr_follow_python() {
        assert_eq!(PyValue::Bool(true).py_str(), "True");
        assert_eq!(PyValue::None.py_str(), "None");
        assert_eq!(PyValue::Int(511).py_str(), "511");
        assert_eq!(PyValue::Float(5.0).py_str(), "5.0");
        assert_eq!(s("x").py_repr(), "'x'");
        assert_eq!(s("it's").py_repr(), "\"it's\"");
        assert_eq!(s("a'b\"c").py_repr(), "'a\\'b\"c'");
        assert_eq!(s("tab\there\n").py_repr(), "'tab\\there\\n'");
        assert_eq!(s("\u{0}\u{7f}\u{a0}é").py_repr(), "'\\x00\\x7f\\xa0é'");
        assert_eq!(
            PyValue::List(vec![s("a"), PyValue::Int(1)]).py_str(),
            "['a', 1]"
        );
        assert_eq!(PyValue::Dict(vec![(s("k"), s("v"))]).py_str(), "{'k': 'v'}");
        assert_eq!(PyValue::Date("2024-01-01".into()).py_str(), "2024-01-01");
        assert_eq!(
            PyValue::Date("2024-01-01".into()).py_repr(),
            "datetime.date(2024, 1, 1)"
        );
        assert_eq!(PyValue::Set(vec![]).py_repr(), "set()");
        assert_eq!(PyValue::Bytes(b"hi\x00".to_vec()).py_repr(), "b'hi\\x00'");
    }

    #[test]
    fn truthiness_follows_python() {
        for falsy in [
            PyValue::None,
            PyValue::Bool(false),
            PyValue::Int(0),
            PyValue::Float(0.0),
            s(""),
            PyValue::List(vec![]),
            PyValue::Dict(vec![]),
        ] {
            assert!(!falsy.truthy(), "{falsy:?}");
        }
        for truthy in [
            s("false"),
            s("0"),
            s(" "),
            PyValue::Float(f64::NAN),
            PyValue::Int(-1),
        ] {
            assert!(truthy.truthy(), "{truthy:?}");
        }
    }

    #[test]
    fn json_numbers_keep_their_spelling_class() {
        let v: serde_json::Value =
            serde_json::from_str(r#"[5, 5.0, 1e3, 12345678901234567890, -0.0]"#).unwrap();
        let py = PyValue::from_json(&v);
        assert_eq!(py.py_str(), "[5, 5.0, 1000.0, 12345678901234567890, -0.0]");
    }
}
