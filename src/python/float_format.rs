//! Python's `repr(float)`: the shortest text that round-trips, in the layout CPython
//! chooses (`5.0`, `0.1`, `1e+16`, `1e-05`, `inf`, `nan`).

/// `repr(x)` for a Python float.
///
/// Rust's `{:e}` already yields the shortest round-trip digits; only the layout differs.
/// CPython switches to exponent notation when the decimal exponent is below -4 or at
/// least 16, always writes a sign and two exponent digits, and adds `.0` to integral
/// values in fixed notation.
pub fn float_repr(x: f64) -> String {
    if x.is_nan() {
        return "nan".to_owned();
    }
    if x.is_infinite() {
        return if x > 0.0 { "inf" } else { "-inf" }.to_owned();
    }
    let sci = format!("{:e}", x.abs());
    let (mantissa, exponent) = sci.split_once('e').unwrap_or((&sci, "0"));
    let exponent: i32 = exponent.parse().unwrap_or(0);
    let digits: String = mantissa.chars().filter(char::is_ascii_digit).collect();
    let sign = if x.is_sign_negative() { "-" } else { "" };
    // `decpt` is where the decimal point sits relative to the first digit.
    let decpt = exponent + 1;
    let body = if (-3..=16).contains(&decpt) {
        fixed(&digits, decpt)
    } else {
        scientific(&digits, exponent)
    };
    format!("{sign}{body}")
}

fn fixed(digits: &str, decpt: i32) -> String {
    if decpt <= 0 {
        let zeros = "0".repeat(decpt.unsigned_abs() as usize);
        return format!("0.{zeros}{digits}");
    }
    let point = decpt as usize;
    if digits.len() <= point {
        let zeros = "0".repeat(point - digits.len());
        format!("{digits}{zeros}.0")
    } else {
        let (int_part, frac_part) = digits.split_at(point);
        format!("{int_part}.{frac_part}")
    }
}

fn scientific(digits: &str, exponent: i32) -> String {
    let (first, rest) = digits.split_at(digits.len().min(1));
    let mantissa = if rest.is_empty() {
        first.to_owned()
    } else {
        format!("{first}.{rest}")
    };
    let sign = if exponent < 0 { '-' } else { '+' };
    format!("{mantissa}e{sign}{:02}", exponent.unsigned_abs())
}

#[cfg(test)]
mod tests {
    use super::float_repr;

    #[test]
    fn matches_cpython_repr() {
        let cases = [
            (5.0, "5.0"),
            (0.1, "0.1"),
            (1e16, "1e+16"),
            (1e15, "1000000000000000.0"),
            (1.5e-7, "1.5e-07"),
            (1e-7, "1e-07"),
            (0.0001, "0.0001"),
            (0.00001, "1e-05"),
            (-0.0, "-0.0"),
            (0.0, "0.0"),
            (123.456, "123.456"),
            (1.0e22, "1e+22"),
            (12345678901234567.0, "1.2345678901234568e+16"),
            (f64::INFINITY, "inf"),
            (f64::NEG_INFINITY, "-inf"),
            (f64::NAN, "nan"),
            (-2.5, "-2.5"),
            (1.7976931348623157e308, "1.7976931348623157e+308"),
            (5e-324, "5e-324"),
        ];
        for (value, expected) in cases {
            assert_eq!(float_repr(value), expected, "repr of {value:e}");
        }
    }
}
