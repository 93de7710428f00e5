//! `!!binary`: base64 decoded exactly as Python's `base64.decodebytes` decodes it.

use super::{Resolved, ScalarError};
use crate::syntax::NodeKind;

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
