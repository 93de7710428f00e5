//! Python 3.11 `float()`: the numeric coercion behind the condition operators `gt`,
//! `lt`, `gte`, `lte`, `in_range` and `outside_range`.
//!
//! The reference coerces field values and operands with `float(x.strip())`, so which
//! strings count as numbers is part of the language: `"1_0"`, `" 11 "`, `"+11"`,
//! `"Infinity"` and `"١١"` (Arabic-Indic digits) are numbers, `"0x10"`, `"1,000"` and
//! `"²"` are not. Rust's `f64::from_str` accepts a different set (no underscores, no
//! Unicode digits), so the text is first normalized exactly as CPython does
//! (`_PyUnicode_TransformDecimalAndSpaceToASCII`, then the PEP 515 underscore check, then
//! the `strtod` grammar) and only the final, validated ASCII text is handed to Rust's
//! parser, which rounds correctly just like CPython's `dtoa`.

use super::PyValue;

/// The zero of every block of ten Unicode decimal digits (general category `Nd`, which
/// is exactly Numeric_Type=Decimal) in Unicode 14.0, the version CPython 3.11 uses,
/// outside ASCII. Each block is ten consecutive code points with values 0 to 9.
/// Generated with `unicodedata.decimal` over all code points; 65 blocks, 650 digits.
/// Blocks: Arabic-Indic, Extended Arabic-Indic, NKo, Devanagari, Bengali, Gurmukhi,
/// Gujarati, Oriya, Tamil, Telugu, Kannada, Malayalam, Sinhala Lith, Thai, Lao, Tibetan,
/// Myanmar (2), Khmer, Mongolian, Limbu, New Tai Lue, Tai Tham (2), Balinese, Sundanese,
/// Lepcha, Ol Chiki, Vai, Saurashtra, Kayah Li, Javanese, Myanmar Extended-B, Tai Tham
/// Hora, Meetei Mayek, Fullwidth, Osmanya, Hanifi Rohingya, Brahmi, Sora Sompeng, Chakma,
/// Sharada, Khudawadi, Newa, Tirhuta, Modi, Takri, Ahom, Warang Citi, Dives Akuru,
/// Bhaiksuki, Masaram Gondi, Gunjala Gondi, Mro, Tangsa, Pahawh Hmong, Mathematical
/// (bold, double-struck, sans-serif, sans-serif bold, monospace), Nyiakeng Puachue Hmong,
/// Wancho, Adlam, Segmented.
pub const PY_DECIMAL_ZEROS: &[u32] = &[
    0x0660, 0x06F0, 0x07C0, 0x0966, 0x09E6, 0x0A66, 0x0AE6, 0x0B66, 0x0BE6, 0x0C66, 0x0CE6, 0x0D66,
    0x0DE6, 0x0E50, 0x0ED0, 0x0F20, 0x1040, 0x1090, 0x17E0, 0x1810, 0x1946, 0x19D0, 0x1A80, 0x1A90,
    0x1B50, 0x1BB0, 0x1C40, 0x1C50, 0xA620, 0xA8D0, 0xA900, 0xA9D0, 0xA9F0, 0xAA50, 0xABF0, 0xFF10,
    0x104A0, 0x10D30, 0x11066, 0x110F0, 0x11136, 0x111D0, 0x112F0, 0x11450, 0x114D0, 0x11650,
    0x116C0, 0x11730, 0x118E0, 0x11950, 0x11C50, 0x11D50, 0x11DA0, 0x16A60, 0x16AC0, 0x16B50,
    0x1D7CE, 0x1D7D8, 0x1D7E2, 0x1D7EC, 0x1D7F6, 0x1E140, 0x1E2F0, 0x1E950, 0x1FBF0,
];

/// The value of a decimal digit (ASCII or any `Nd` character), as Python's
/// `unicodedata.decimal` gives it.
pub fn py_decimal_value(c: char) -> Option<u32> {
    if let Some(d) = c.to_digit(10) {
        return Some(d);
    }
    let code = u32::from(c);
    // The table is sorted, so the block that could hold `code` is the last zero <= it.
    let block = PY_DECIMAL_ZEROS.partition_point(|&zero| zero <= code);
    let zero = PY_DECIMAL_ZEROS.get(block.checked_sub(1)?)?;
    let value = code - zero;
    (value < 10).then_some(value)
}

/// Python's `str.isspace()` for one character (the set `str.strip()` removes).
pub fn is_py_space(c: char) -> bool {
    matches!(
        c,
        '\t'..='\r'
            | '\x1C'..='\x20'
            | '\u{85}'
            | '\u{A0}'
            | '\u{1680}'
            | '\u{2000}'..='\u{200A}'
            | '\u{2028}'
            | '\u{2029}'
            | '\u{202F}'
            | '\u{205F}'
            | '\u{3000}'
    )
}

/// Python `str.strip()` with no argument.
pub fn py_strip(text: &str) -> &str {
    text.trim_matches(is_py_space)
}

/// Python 3.11 `float(text)` for a `str` argument; `None` where Python raises
/// `ValueError`.
pub fn parse_py_float(text: &str) -> Option<f64> {
    let ascii = to_ascii(text)?;
    let joined = remove_underscores(&ascii)?;
    // After the transform every Unicode space is a plain space; Python then strips only
    // the C-locale spaces, which is why a bare `\x1c` (a Python space, but ASCII) fails.
    let trimmed = joined.trim_matches(|c: char| matches!(c, ' ' | '\t'..='\r'));
    parse_ascii_float(trimmed)
}

/// Python `float(value)` for a loaded value: booleans and numbers convert, strings
/// parse; `None`, containers, dates and bytes are rejected (`TypeError` in Python).
/// Note that the condition operators do *not* use this directly: the reference refuses
/// booleans there (see `eval::conditions`).
pub fn py_float(value: &PyValue) -> Option<f64> {
    match value {
        PyValue::Bool(b) => Some(if *b { 1.0 } else { 0.0 }),
        PyValue::Int(i) => Some(int_to_f64(*i)),
        PyValue::Float(f) => Some(*f),
        PyValue::Str(s) => parse_py_float(s),
        _ => None,
    }
}

/// `float(int)`: round to nearest, ties to even, which is what `as` does. Every `i128`
/// is below `f64::MAX`, so CPython's `OverflowError` cannot occur here.
#[expect(
    clippy::cast_precision_loss,
    reason = "rounding to the nearest double is exactly Python's float(int)"
)]
fn int_to_f64(i: i128) -> f64 {
    i as f64
}

/// `_PyUnicode_TransformDecimalAndSpaceToASCII`: Unicode digits become ASCII digits,
/// Unicode spaces become ` `; any other non-ASCII character makes the text invalid
/// (CPython maps it to `?`, which no float spelling contains).
pub(super) fn to_ascii(text: &str) -> Option<std::borrow::Cow<'_, str>> {
    if text.is_ascii() {
        return Some(std::borrow::Cow::Borrowed(text));
    }
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        if c.is_ascii() {
            out.push(c);
        } else if is_py_space(c) {
            out.push(' ');
        } else {
            let digit = py_decimal_value(c)?;
            out.push(char::from_digit(digit, 10)?);
        }
    }
    Some(std::borrow::Cow::Owned(out))
}

/// PEP 515 as `_Py_string_to_number_with_underscores` applies it to the whole text
/// (before stripping): every `_` needs a digit on both sides.
fn remove_underscores(text: &str) -> Option<std::borrow::Cow<'_, str>> {
    if !text.contains('_') {
        return Some(std::borrow::Cow::Borrowed(text));
    }
    let mut out = String::with_capacity(text.len());
    let mut prev = '\0';
    for c in text.chars() {
        if c == '_' {
            if !prev.is_ascii_digit() {
                return None;
            }
        } else {
            if prev == '_' && !c.is_ascii_digit() {
                return None;
            }
            out.push(c);
        }
        prev = c;
    }
    (prev != '_').then_some(std::borrow::Cow::Owned(out))
}

/// The `_PyOS_ascii_strtod` grammar, whole string:
/// `[sign] (inf | infinity | nan | digits [. [digits]] [exp] | . digits [exp])`,
/// `exp = (e|E) [sign] digits`, case-insensitive specials, no hex, no `nan(...)`.
fn parse_ascii_float(text: &str) -> Option<f64> {
    let (negative, body) = match text.as_bytes().first() {
        Some(b'-') => (true, text.get(1..)?),
        Some(b'+') => (false, text.get(1..)?),
        _ => (false, text),
    };
    let magnitude = if body.eq_ignore_ascii_case("inf") || body.eq_ignore_ascii_case("infinity") {
        f64::INFINITY
    } else if body.eq_ignore_ascii_case("nan") {
        f64::NAN
    } else if is_decimal_literal(body) {
        body.parse::<f64>().ok()?
    } else {
        return None;
    };
    Some(if negative { -magnitude } else { magnitude })
}

fn is_decimal_literal(body: &str) -> bool {
    let bytes = body.as_bytes();
    let int_digits = leading_digits(bytes);
    let mut pos = int_digits;
    let mut frac_digits = 0;
    if bytes.get(pos) == Some(&b'.') {
        pos += 1;
        frac_digits = leading_digits(bytes.get(pos..).unwrap_or_default());
        pos += frac_digits;
    }
    if int_digits + frac_digits == 0 {
        return false;
    }
    if matches!(bytes.get(pos), Some(b'e' | b'E')) {
        pos += 1;
        if matches!(bytes.get(pos), Some(b'+' | b'-')) {
            pos += 1;
        }
        let exp_digits = leading_digits(bytes.get(pos..).unwrap_or_default());
        if exp_digits == 0 {
            return false;
        }
        pos += exp_digits;
    }
    pos == bytes.len()
}

fn leading_digits(bytes: &[u8]) -> usize {
    bytes.iter().take_while(|b| b.is_ascii_digit()).count()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Expected values are CPython 3.11.7 `float(text)` (`None`: `ValueError`).
    #[test]
    fn matches_python_float() {
        let cases: &[(&str, Option<f64>)] = &[
            ("10", Some(10.0)),
            (" 11 ", Some(11.0)),
            ("+11", Some(11.0)),
            ("11.", Some(11.0)),
            (".5", Some(0.5)),
            ("1e1", Some(10.0)),
            ("1.e5", Some(100000.0)),
            ("+.5e-3", Some(0.0005)),
            ("-0", Some(-0.0)),
            ("1e400", Some(f64::INFINITY)),
            ("1e99999", Some(f64::INFINITY)),
            ("-1e-99999", Some(-0.0)),
            (" 1_0 ", Some(10.0)),
            ("1_0.5_5", Some(10.55)),
            ("1e1_0", Some(1e10)),
            ("iNfInItY", Some(f64::INFINITY)),
            ("-inf", Some(f64::NEG_INFINITY)),
            ("\u{2000}5 ", Some(5.0)),
            ("5\u{3000}", Some(5.0)),
            ("\u{a0}\u{a0}1", Some(1.0)),
            ("\t\n1\x0b\x0c\r", Some(1.0)),
            ("٣.٥", Some(3.5)),
            ("١_١", Some(11.0)),
            ("١١", Some(11.0)),
            ("５", Some(5.0)),
            ("๑", Some(1.0)),
            ("𝟙", Some(1.0)),
            ("1_ 0", None),
            ("_1", None),
            ("1_", None),
            ("1__0", None),
            ("1_e10", None),
            ("1._5", None),
            ("1.5_", None),
            ("inf_", None),
            ("in_f", None),
            ("nan(1)", None),
            ("infinit", None),
            ("+-1", None),
            ("1e", None),
            ("1e+", None),
            (".e1", None),
            (".", None),
            ("..1", None),
            ("1\0", None),
            ("0x10", None),
            ("０x10", None),
            ("1,000", None),
            ("²", None),
            ("1 2", None),
            ("", None),
            (" ", None),
            ("\x1c5", None),
            ("abc", None),
        ];
        for &(text, expected) in cases {
            let got = parse_py_float(text);
            match (got, expected) {
                (Some(g), Some(e)) => assert!(
                    g.to_bits() == e.to_bits(),
                    "{text:?}: got {g:?}, expected {e:?}"
                ),
                (g, e) => assert_eq!(g, e, "{text:?}"),
            }
        }
    }

    #[test]
    fn nan_spellings() {
        for text in ["nan", "NaN", "+nan", "-NaN", " nan "] {
            assert!(parse_py_float(text).is_some_and(f64::is_nan), "{text:?}");
        }
    }

    #[test]
    fn every_decimal_block_has_ten_digits() {
        for &zero in PY_DECIMAL_ZEROS {
            for offset in 0..10 {
                let c = char::from_u32(zero + offset).unwrap();
                assert_eq!(py_decimal_value(c), Some(offset), "U+{:04X}", zero + offset);
            }
        }
        assert_eq!(py_decimal_value('\u{065F}'), None);
        assert_eq!(py_decimal_value('\u{066A}'), None);
        assert_eq!(py_decimal_value('²'), None);
        assert_eq!(py_decimal_value('x'), None);
    }

    #[test]
    fn float_of_values() {
        assert_eq!(py_float(&PyValue::Bool(true)), Some(1.0));
        assert_eq!(py_float(&PyValue::Int(5)), Some(5.0));
        assert_eq!(
            py_float(&PyValue::Int(i128::MAX)),
            Some(1.7014118346046923e38)
        );
        assert_eq!(py_float(&PyValue::Float(2.5)), Some(2.5));
        assert_eq!(py_float(&PyValue::Str(" 7 ".into())), Some(7.0));
        assert_eq!(py_float(&PyValue::None), None);
        assert_eq!(py_float(&PyValue::List(vec![])), None);
    }

    #[test]
    fn strip_is_python_strip() {
        assert_eq!(py_strip("\x1c 5\u{3000}"), "5");
        assert_eq!(py_strip("\u{200b}5"), "\u{200b}5");
    }
}
