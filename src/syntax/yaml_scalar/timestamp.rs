//! YAML 1.1 timestamps: PyYAML's resolver pattern and `construct_yaml_timestamp`,
//! rendered as Python's `str()` of the `date` or `datetime` it builds.

use super::{Cursor, Resolved, ScalarError, is_digit};
use crate::syntax::NodeKind;

/// The resolver's timestamp pattern: a date `YYYY-MM-DD`, or a full timestamp with
/// one- or two-digit month and day.
pub(super) fn is_timestamp(text: &str) -> bool {
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::syntax::yaml_scalar::resolve_plain;

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
}
