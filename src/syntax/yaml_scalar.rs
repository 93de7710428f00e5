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

use super::NodeKind;
use crate::python::str_repr;

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

/// The resolver's timestamp pattern: a date `YYYY-MM-DD`, or a full timestamp with
/// one- or two-digit month and day.
fn is_timestamp(text: &str) -> bool {
    let date_only = |c: &mut Cursor| {
        c.eat_while(is_digit) == 4
            && c.eat(b'-')
            && c.eat_while(is_digit) == 2
            && c.eat(b'-')
            && c.eat_while(is_digit) == 2
    };
    let mut c = Cursor::new(text);
    if date_only(&mut c) && c.at_end() {
        return true;
    }
    // The full form is the constructor's pattern with the time part made mandatory.
    matches!(parse_timestamp(text), Some(parts) if parts.time.is_some())
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

/// Python `int(text, base)`: surrounding whitespace, a sign and (for bases 2, 8, 16) the
/// matching `0b`/`0o`/`0x` prefix are accepted.
fn python_int(text: &str, base: u32) -> Result<i128, ScalarError> {
    let invalid = || {
        ScalarError::Invalid(format!(
            "invalid literal for int() with base {base}: {}",
            str_repr(text)
        ))
    };
    let trimmed = text.trim();
    let (negative, rest) = match trimmed.as_bytes().first() {
        Some(b'-') => (true, trimmed.get(1..).unwrap_or("")),
        Some(b'+') => (false, trimmed.get(1..).unwrap_or("")),
        _ => (false, trimmed),
    };
    let prefix = match base {
        2 => Some("0b"),
        8 => Some("0o"),
        16 => Some("0x"),
        _ => None,
    };
    let digits = prefix
        .and_then(|p| {
            rest.get(..2)
                .filter(|head| head.eq_ignore_ascii_case(p))
                .and_then(|_| rest.get(2..))
        })
        .unwrap_or(rest);
    if digits.is_empty() {
        return Err(invalid());
    }
    let mut value: i128 = 0;
    for c in digits.chars() {
        let digit = c.to_digit(base).ok_or_else(invalid)?;
        value = value
            .checked_mul(i128::from(base))
            .and_then(|v| v.checked_add(i128::from(digit)))
            .ok_or(ScalarError::IntTooLarge)?;
    }
    Ok(if negative { -value } else { value })
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

/// Python `float(text)`. Rust's parser accepts the same decimal grammar (`1.`, `.5`,
/// `inf`, `nan`) once the surrounding whitespace Python ignores is trimmed.
fn python_float(text: &str) -> Result<f64, ScalarError> {
    text.trim().parse::<f64>().map_err(|_| {
        ScalarError::Invalid(format!(
            "could not convert string to float: {}",
            str_repr(text)
        ))
    })
}

/// The fields of PyYAML's `timestamp_regexp`.
#[derive(Debug, PartialEq)]
struct TimestampParts<'a> {
    year: &'a str,
    month: &'a str,
    day: &'a str,
    time: Option<TimeParts<'a>>,
}

#[derive(Debug, PartialEq)]
struct TimeParts<'a> {
    hour: &'a str,
    minute: &'a str,
    second: &'a str,
    fraction: &'a str,
    /// `None`: naive; `Some(None)`: `Z`; `Some(Some((sign, hour, minute)))`: an offset.
    tz: Option<Option<(u8, &'a str, &'a str)>>,
}

/// Match the constructor's timestamp pattern:
/// `YYYY-M[M]-D[D]([Tt]|[ \t]+)H[H]:MM:SS(.F*)?([ \t]*(Z|[-+]H[H](:MM)?))?`, the time
/// part optional as a whole.
fn parse_timestamp(text: &str) -> Option<TimestampParts<'_>> {
    let bytes = text.as_bytes();
    let mut c = Cursor::new(text);
    let slice = |from: usize, to: usize| text.get(from..to);
    let start = c.pos;
    (c.eat_while(is_digit) == 4).then_some(())?;
    let year = slice(start, c.pos)?;
    let one_or_two = |c: &mut Cursor| {
        let from = c.pos;
        let n = c.eat_while(is_digit);
        (n == 1 || n == 2).then(|| slice(from, c.pos)).flatten()
    };
    let two = |c: &mut Cursor| {
        let from = c.pos;
        (c.eat_while(is_digit) == 2)
            .then(|| slice(from, c.pos))
            .flatten()
    };
    c.eat(b'-').then_some(())?;
    let month = one_or_two(&mut c)?;
    c.eat(b'-').then_some(())?;
    let day = one_or_two(&mut c)?;
    if c.at_end() {
        return Some(TimestampParts {
            year,
            month,
            day,
            time: None,
        });
    }
    if !(c.eat(b'T') || c.eat(b't')) && c.eat_while(|b| b == b' ' || b == b'\t') == 0 {
        return None;
    }
    let hour = one_or_two(&mut c)?;
    c.eat(b':').then_some(())?;
    let minute = two(&mut c)?;
    c.eat(b':').then_some(())?;
    let second = two(&mut c)?;
    let mut fraction = "";
    if c.eat(b'.') {
        let from = c.pos;
        c.eat_while(is_digit);
        fraction = slice(from, c.pos)?;
    }
    let mut tz = None;
    if !c.at_end() {
        c.eat_while(|b| b == b' ' || b == b'\t');
        if c.eat(b'Z') {
            tz = Some(None);
        } else {
            let sign = *bytes.get(c.pos)?;
            (sign == b'-' || sign == b'+').then_some(())?;
            c.pos += 1;
            let tz_hour = one_or_two(&mut c)?;
            let tz_minute = if c.eat(b':') { two(&mut c)? } else { "" };
            tz = Some(Some((sign, tz_hour, tz_minute)));
        }
    }
    c.at_end().then_some(TimestampParts {
        year,
        month,
        day,
        time: Some(TimeParts {
            hour,
            minute,
            second,
            fraction,
            tz,
        }),
    })
}

fn num(text: &str) -> u32 {
    text.parse().unwrap_or(0)
}

fn days_in_month(year: u32, month: u32) -> u32 {
    let leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
    match month {
        2 if leap => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

/// `construct_yaml_timestamp`: a `date` without a time part, else a `datetime` (aware
/// with an offset or `Z`, naive without), kept as Python's `str()` of it. Python's
/// `date`/`datetime` range checks are reproduced, since the reference raises on them.
pub(crate) fn construct_timestamp(text: &str) -> Resolved {
    let invalid = |msg: &str| Err(ScalarError::Invalid(msg.to_owned()));
    let Some(parts) = parse_timestamp(text) else {
        return invalid("not a timestamp (expected YYYY-MM-DD or YYYY-MM-DD HH:MM:SS)");
    };
    let (year, month, day) = (num(parts.year), num(parts.month), num(parts.day));
    if year == 0 {
        return invalid("year 0 is out of range");
    }
    if !(1..=12).contains(&month) {
        return invalid("month must be in 1..12");
    }
    if day == 0 || day > days_in_month(year, month) {
        return invalid("day is out of range for month");
    }
    let date = format!("{year:04}-{month:02}-{day:02}");
    let Some(time) = parts.time else {
        return Ok(NodeKind::Date(date));
    };
    let (hour, minute, second) = (num(time.hour), num(time.minute), num(time.second));
    if hour > 23 {
        return invalid("hour must be in 0..23");
    }
    if minute > 59 {
        return invalid("minute must be in 0..59");
    }
    if second > 59 {
        return invalid("second must be in 0..59");
    }
    let mut out = format!("{date} {hour:02}:{minute:02}:{second:02}");
    // PyYAML keeps six fraction digits, padded; `str()` omits a zero microsecond.
    let micro: String = time
        .fraction
        .chars()
        .chain("000000".chars())
        .take(6)
        .collect();
    if num(&micro) != 0 {
        out.push('.');
        out.push_str(&micro);
    }
    match time.tz {
        None => {}
        Some(None) => out.push_str("+00:00"),
        Some(Some((sign, tz_hour, tz_minute))) => {
            let total = num(tz_hour) * 60 + num(tz_minute);
            if total >= 24 * 60 {
                return invalid(
                    "offset must be a timedelta strictly between -timedelta(hours=24) and \
                     timedelta(hours=24)",
                );
            }
            let sign = if sign == b'-' && total > 0 { '-' } else { '+' };
            out.push_str(&format!("{sign}{:02}:{:02}", total / 60, total % 60));
        }
    }
    Ok(NodeKind::DateTime(out))
}

/// `construct_yaml_binary`: Python's `base64.decodebytes`, which is lenient (characters
/// outside the alphabet are skipped, decoding stops at complete padding) but refuses
/// non-ASCII text and incomplete groups.
pub(crate) fn construct_binary(text: &str) -> Resolved {
    if !text.is_ascii() {
        return Err(ScalarError::Invalid(
            "failed to convert base64 data into ascii".to_owned(),
        ));
    }
    // CPython's `a2b_base64`, step for step: bytes are emitted as soon as their bits
    // are known, so an early stop at complete padding keeps the partial group.
    let mut out = Vec::with_capacity(text.len() / 4 * 3);
    let mut quad_pos = 0u8;
    let mut pads = 0u8;
    let mut left: u8 = 0;
    let mut data_chars = 0usize;
    for b in text.bytes() {
        if b == b'=' {
            pads = pads.saturating_add(1);
            if quad_pos >= 2 && quad_pos.saturating_add(pads) >= 4 {
                return Ok(NodeKind::Binary(out));
            }
            continue;
        }
        let Some(v) = base64_value(b) else { continue };
        data_chars += 1;
        pads = 0;
        match quad_pos {
            0 => {
                left = v;
                quad_pos = 1;
            }
            1 => {
                out.push((left << 2) | (v >> 4));
                left = v & 0x0f;
                quad_pos = 2;
            }
            2 => {
                out.push((left << 4) | (v >> 2));
                left = v & 0x03;
                quad_pos = 3;
            }
            _ => {
                out.push((left << 6) | v);
                quad_pos = 0;
            }
        }
    }
    match quad_pos {
        0 => Ok(NodeKind::Binary(out)),
        1 => Err(ScalarError::Invalid(format!(
            "failed to decode base64 data: number of data characters ({data_chars}) cannot \
             be 1 more than a multiple of 4"
        ))),
        _ => Err(ScalarError::Invalid(
            "failed to decode base64 data: incorrect padding".to_owned(),
        )),
    }
}

fn base64_value(b: u8) -> Option<u8> {
    match b {
        b'A'..=b'Z' => Some(b - b'A'),
        b'a'..=b'z' => Some(b - b'a' + 26),
        b'0'..=b'9' => Some(b - b'0' + 52),
        b'+' => Some(62),
        b'/' => Some(63),
        _ => None,
    }
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
    fn dates_and_timestamps() {
        assert_eq!(plain("2024-01-01"), NodeKind::Date("2024-01-01".into()));
        let cases = [
            (
                "2001-12-14t21:59:43.10-05:00",
                "2001-12-14 21:59:43.100000-05:00",
            ),
            ("2001-12-14 21:59:43.10", "2001-12-14 21:59:43.100000"),
            ("2001-12-14T21:59:43Z", "2001-12-14 21:59:43+00:00"),
            (
                "2001-12-14 21:59:43.10 -5",
                "2001-12-14 21:59:43.100000-05:00",
            ),
            ("2001-12-14 21:59:43.1234567", "2001-12-14 21:59:43.123456"),
            ("2001-12-14 21:59:43.", "2001-12-14 21:59:43"),
            ("2001-12-14 21:59:43 +5:30", "2001-12-14 21:59:43+05:30"),
            ("2001-12-14 21:59:43-0", "2001-12-14 21:59:43+00:00"),
            ("2001-1-2 3:04:05", "2001-01-02 03:04:05"),
            ("2024-01-01 10:00:00", "2024-01-01 10:00:00"),
            ("2001-12-14\t\t1:00:00 +05:99", "2001-12-14 01:00:00+06:39"),
        ];
        for (text, shown) in cases {
            assert_eq!(plain(text), NodeKind::DateTime(shown.into()), "{text}");
        }
        for string in [
            "2024-1-1",
            "2024-01-01x",
            "24-01-01",
            "2024-01-01 10:00",
            "2024-01-01T",
        ] {
            assert_eq!(plain(string), s(string), "{string}");
        }
        for bad in [
            "2024-13-01",
            "2024-02-30",
            "0000-01-01",
            "2024-01-01 24:00:00",
        ] {
            assert!(
                matches!(resolve_plain(bad), Err(ScalarError::Invalid(_))),
                "{bad}"
            );
        }
        assert_eq!(plain("2024-02-29"), NodeKind::Date("2024-02-29".into()));
        assert!(matches!(
            resolve_plain("2023-02-29"),
            Err(ScalarError::Invalid(_))
        ));
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

    #[test]
    fn base64_is_decoded_leniently() {
        assert_eq!(
            construct_binary("aGk="),
            Ok(NodeKind::Binary(b"hi".to_vec()))
        );
        assert_eq!(
            construct_binary("aG k="),
            Ok(NodeKind::Binary(b"hi".to_vec()))
        );
        assert_eq!(
            construct_binary("aGk=trailing"),
            Ok(NodeKind::Binary(b"hi".to_vec()))
        );
        assert_eq!(
            construct_binary("aGVsbG8h"),
            Ok(NodeKind::Binary(b"hello!".to_vec()))
        );
        assert_eq!(construct_binary(""), Ok(NodeKind::Binary(Vec::new())));
        assert!(matches!(
            construct_binary("aGk"),
            Err(ScalarError::Invalid(_))
        ));
        assert!(matches!(
            construct_binary("aGVsb"),
            Err(ScalarError::Invalid(_))
        ));
        assert!(matches!(
            construct_binary("é"),
            Err(ScalarError::Invalid(_))
        ));
    }
}
