//! Python 3.11 `int(text, base)`: the integer parsing behind PyYAML's `!!int`
//! constructor (`construct_yaml_int` ends in `int(value, base)` for every spelling).
//!
//! The YAML front-end must type `!!int "١٢"` as the reference does (12: Python's `int()`
//! reads any Unicode decimal digit), so integer parsing lives here, next to
//! [`parse_py_float`](super::parse_py_float), and shares its normalization: the text is
//! first transformed exactly as CPython does (Unicode digits to ASCII digits, Unicode
//! spaces to a plain space), then read with `PyLong_FromString`'s grammar.

use super::float_parse::to_ascii;

/// Why `int(text, base)` has no `i128` value.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PyIntError {
    /// Python raises `ValueError` (`invalid literal for int() with base N`).
    Invalid,
    /// A valid integer outside the 128-bit range guardc represents (Python's ints are
    /// unbounded).
    TooLarge,
}

/// Python `int(text, base)` for a `str` argument and a base from 2 to 36.
///
/// Surrounding whitespace, a sign, the `0b`/`0o`/`0x` prefix matching the base (any
/// case, optionally followed by one `_`) and single underscores between digits are
/// accepted, as in CPython.
pub fn parse_py_int(text: &str, base: u32) -> Result<i128, PyIntError> {
    let ascii = to_ascii(text).ok_or(PyIntError::Invalid)?;
    let trimmed = ascii.trim_matches(|c: char| matches!(c, ' ' | '\t'..='\r'));
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
    // After a prefix one underscore may follow before the first digit (`0x_ff`).
    let digits = match prefix.and_then(|p| {
        rest.get(..2)
            .filter(|head| head.eq_ignore_ascii_case(p))
            .and_then(|_| rest.get(2..))
    }) {
        Some(after) => after.strip_prefix('_').unwrap_or(after),
        None => rest,
    };
    let mut value: i128 = 0;
    let mut previous_underscore = true;
    let mut any_digit = false;
    for c in digits.chars() {
        if c == '_' {
            if previous_underscore {
                return Err(PyIntError::Invalid);
            }
            previous_underscore = true;
            continue;
        }
        let digit = c.to_digit(base).ok_or(PyIntError::Invalid)?;
        previous_underscore = false;
        any_digit = true;
        value = value
            .checked_mul(i128::from(base))
            .and_then(|v| v.checked_add(i128::from(digit)))
            .ok_or(PyIntError::TooLarge)?;
    }
    if !any_digit || previous_underscore {
        return Err(PyIntError::Invalid);
    }
    Ok(if negative { -value } else { value })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Expected values are CPython 3.11 `int(text, base)` (`Invalid`: `ValueError`).
    #[test]
    fn matches_python_int() {
        let cases: &[(&str, u32, Result<i128, PyIntError>)] = &[
            ("12", 10, Ok(12)),
            (" 12 ", 10, Ok(12)),
            ("+12", 10, Ok(12)),
            ("-12", 10, Ok(-12)),
            ("012", 10, Ok(12)),
            ("1_2", 10, Ok(12)),
            ("١٢", 10, Ok(12)),
            ("١٢", 8, Ok(10)),
            ("１２", 10, Ok(12)),
            ("\u{3000}7\u{2000}", 10, Ok(7)),
            ("ff", 16, Ok(255)),
            ("0xff", 16, Ok(255)),
            ("0XfF", 16, Ok(255)),
            ("0x_f", 16, Ok(15)),
            ("0b1", 16, Ok(0xb1)),
            ("0b101", 2, Ok(5)),
            ("0o17", 8, Ok(15)),
            ("17", 8, Ok(15)),
            ("1__2", 10, Err(PyIntError::Invalid)),
            ("_12", 10, Err(PyIntError::Invalid)),
            ("12_", 10, Err(PyIntError::Invalid)),
            ("0x", 16, Err(PyIntError::Invalid)),
            ("0x__f", 16, Err(PyIntError::Invalid)),
            ("8", 8, Err(PyIntError::Invalid)),
            ("1.0", 10, Err(PyIntError::Invalid)),
            ("", 10, Err(PyIntError::Invalid)),
            (" ", 10, Err(PyIntError::Invalid)),
            ("+-1", 10, Err(PyIntError::Invalid)),
            ("\x1c1", 10, Err(PyIntError::Invalid)),
            ("²", 10, Err(PyIntError::Invalid)),
            ("1 2", 10, Err(PyIntError::Invalid)),
            ("170141183460469231731687303715884105727", 10, Ok(i128::MAX)),
            (
                "170141183460469231731687303715884105728",
                10,
                Err(PyIntError::TooLarge),
            ),
        ];
        for &(text, base, expected) in cases {
            assert_eq!(parse_py_int(text, base), expected, "{text:?} base {base}");
        }
    }
}
