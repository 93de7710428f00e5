//! Go's `path.Match`, the matcher of the Go SDK, reproduced so that the analyzer can
//! find patterns whose meaning differs between the two SDKs (portability hazards).
//!
//! This is a transcription of Go's `src/path/match.go` over bytes, not a cleaner
//! reimplementation, because the differences that matter are in its corners: after a
//! `*` Go retries the next chunk from every byte offset, so a class can be tried from
//! the middle of a UTF-8 sequence (where it sees U+FFFD), and a malformed pattern is an
//! error rather than literal text, even when the malformed part is never reached. A tidier
//! version would disagree with Go on exactly the patterns the analyzer needs to flag.

/// Go's `path.ErrBadPattern`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct BadPattern;

const RUNE_ERROR: u32 = 0xFFFD;

/// `path.Match(pattern, name)` as Go computes it: `Some(matched)`, or `None` where Go
/// returns `ErrBadPattern`. In Go's dialect `*` and `?` never match `/`, `[^...]`
/// negates, `\` escapes, and a malformed bracket (`[`, `[]a]`, `[a-]`) is an error.
pub fn go_path_match(pattern: &str, name: &str) -> Option<bool> {
    match_bytes(pattern.as_bytes(), name.as_bytes()).ok()
}

fn tail(bytes: &[u8], from: usize) -> &[u8] {
    bytes.get(from..).unwrap_or_default()
}

fn match_bytes(mut pattern: &[u8], mut name: &[u8]) -> Result<bool, BadPattern> {
    'pattern: while !pattern.is_empty() {
        let (star, chunk, rest) = scan_chunk(pattern);
        pattern = rest;
        if star && chunk.is_empty() {
            // Trailing `*` matches the rest of the name unless it contains a `/`.
            return Ok(!name.contains(&b'/'));
        }
        // Look for a match at the current position. If this is the last chunk, it must
        // exhaust the name, otherwise the star could still help.
        if let Some(after) = match_chunk(chunk, name)? {
            if after.is_empty() || !pattern.is_empty() {
                name = after;
                continue;
            }
        }
        if star {
            // Look for a match skipping i+1 bytes; a star cannot skip a `/`.
            let mut skipped = 0;
            while name.get(skipped).is_some_and(|&byte| byte != b'/') {
                if let Some(after) = match_chunk(chunk, tail(name, skipped + 1))? {
                    // The last chunk must exhaust the name; otherwise keep skipping.
                    if after.is_empty() || !pattern.is_empty() {
                        name = after;
                        continue 'pattern;
                    }
                }
                skipped += 1;
            }
        }
        // Before answering "no match", check that the rest of the pattern is well formed.
        while !pattern.is_empty() {
            let (_, chunk, rest) = scan_chunk(pattern);
            pattern = rest;
            match_chunk(chunk, b"")?;
        }
        return Ok(false);
    }
    Ok(name.is_empty())
}

/// The next segment of `pattern`: a star flag (any leading `*`s) and the star-free text
/// up to the next `*` outside brackets.
fn scan_chunk(mut pattern: &[u8]) -> (bool, &[u8], &[u8]) {
    let mut star = false;
    while pattern.first() == Some(&b'*') {
        pattern = tail(pattern, 1);
        star = true;
    }
    let mut in_range = false;
    let mut index = 0;
    while let Some(&byte) = pattern.get(index) {
        match byte {
            b'\\' if index + 1 < pattern.len() => index += 1,
            b'[' => in_range = true,
            b']' => in_range = false,
            b'*' if !in_range => {
                return (
                    star,
                    pattern.get(..index).unwrap_or_default(),
                    tail(pattern, index),
                );
            }
            _ => {}
        }
        index += 1;
    }
    (star, pattern, &[])
}

/// Whether `chunk` (no `*`) matches the beginning of `subject`: `Some(rest)` on a match.
/// After a mismatch the chunk is still read to the end, to report a malformed pattern.
fn match_chunk<'s>(
    mut chunk: &[u8],
    mut subject: &'s [u8],
) -> Result<Option<&'s [u8]>, BadPattern> {
    let mut failed = false;
    while let Some(&head) = chunk.first() {
        if !failed && subject.is_empty() {
            failed = true;
        }
        match head {
            b'[' => {
                let mut rune = 0;
                if !failed {
                    let (decoded, width) = decode_rune(subject);
                    rune = decoded;
                    subject = tail(subject, width);
                }
                chunk = tail(chunk, 1);
                let negated = chunk.first() == Some(&b'^');
                if negated {
                    chunk = tail(chunk, 1);
                }
                let mut matched = false;
                let mut ranges_read = 0;
                loop {
                    if chunk.first() == Some(&b']') && ranges_read > 0 {
                        chunk = tail(chunk, 1);
                        break;
                    }
                    let (lo, rest) = get_esc(chunk)?;
                    chunk = rest;
                    let mut hi = lo;
                    if chunk.first() == Some(&b'-') {
                        let (end, rest) = get_esc(tail(chunk, 1))?;
                        hi = end;
                        chunk = rest;
                    }
                    if lo <= rune && rune <= hi {
                        matched = true;
                    }
                    ranges_read += 1;
                }
                if matched == negated {
                    failed = true;
                }
            }
            b'?' => {
                if !failed {
                    if subject.first() == Some(&b'/') {
                        failed = true;
                    }
                    let (_, width) = decode_rune(subject);
                    subject = tail(subject, width);
                }
                chunk = tail(chunk, 1);
            }
            _ => {
                if head == b'\\' {
                    chunk = tail(chunk, 1);
                    if chunk.is_empty() {
                        return Err(BadPattern);
                    }
                }
                if !failed {
                    if chunk.first() != subject.first() {
                        failed = true;
                    }
                    subject = tail(subject, 1);
                }
                chunk = tail(chunk, 1);
            }
        }
    }
    Ok(if failed { None } else { Some(subject) })
}

/// A possibly escaped character of a class, and the chunk after it. Go requires
/// something to follow (the class must still be closed), hence the error on an empty
/// remainder.
fn get_esc(chunk: &[u8]) -> Result<(u32, &[u8]), BadPattern> {
    let chunk = match chunk.first() {
        None | Some(b'-' | b']') => return Err(BadPattern),
        Some(b'\\') => match tail(chunk, 1) {
            [] => return Err(BadPattern),
            escaped => escaped,
        },
        Some(_) => chunk,
    };
    let (rune, width) = decode_rune(chunk);
    let rest = tail(chunk, width);
    if (rune == RUNE_ERROR && width == 1) || rest.is_empty() {
        return Err(BadPattern);
    }
    Ok((rune, rest))
}

/// Go's `utf8.DecodeRuneInString`: the first scalar value and its width, or
/// (U+FFFD, 1) for an invalid or truncated sequence, (U+FFFD, 0) for empty input.
/// Go and Rust validate UTF-8 by the same rules, so `from_utf8` decides validity.
fn decode_rune(bytes: &[u8]) -> (u32, usize) {
    if bytes.is_empty() {
        return (RUNE_ERROR, 0);
    }
    let head = bytes.get(..bytes.len().min(4)).unwrap_or(bytes);
    let valid = match std::str::from_utf8(head) {
        Ok(text) => text,
        Err(error) => head
            .get(..error.valid_up_to())
            .and_then(|prefix| std::str::from_utf8(prefix).ok())
            .unwrap_or_default(),
    };
    match valid.chars().next() {
        Some(c) => (u32::from(c), c.len_utf8()),
        None => (RUNE_ERROR, 1),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Go's own table, `src/path/match_test.go` (`None` is `ErrBadPattern`).
    const GO_MATCH_TESTS: &[(&str, &str, Option<bool>)] = &[
        ("abc", "abc", Some(true)),
        ("*", "abc", Some(true)),
        ("*c", "abc", Some(true)),
        ("a*", "a", Some(true)),
        ("a*", "abc", Some(true)),
        ("a*", "ab/c", Some(false)),
        ("a*/b", "abc/b", Some(true)),
        ("a*/b", "a/c/b", Some(false)),
        ("a*b*c*d*e*/f", "axbxcxdxe/f", Some(true)),
        ("a*b*c*d*e*/f", "axbxcxdxexxx/f", Some(true)),
        ("a*b*c*d*e*/f", "axbxcxdxe/xxx/f", Some(false)),
        ("a*b*c*d*e*/f", "axbxcxdxexxx/fff", Some(false)),
        ("a*b?c*x", "abxbbxdbxebxczzx", Some(true)),
        ("a*b?c*x", "abxbbxdbxebxczzy", Some(false)),
        ("ab[c]", "abc", Some(true)),
        ("ab[b-d]", "abc", Some(true)),
        ("ab[e-g]", "abc", Some(false)),
        ("ab[^c]", "abc", Some(false)),
        ("ab[^b-d]", "abc", Some(false)),
        ("ab[^e-g]", "abc", Some(true)),
        ("a\\*b", "a*b", Some(true)),
        ("a\\*b", "ab", Some(false)),
        ("a?b", "a☺b", Some(true)),
        ("a[^a]b", "a☺b", Some(true)),
        ("a???b", "a☺b", Some(false)),
        ("a[^a][^a][^a]b", "a☺b", Some(false)),
        ("[a-ζ]*", "α", Some(true)),
        ("*[a-ζ]", "A", Some(false)),
        ("a?b", "a/b", Some(false)),
        ("a*b", "a/b", Some(false)),
        ("[\\]a]", "]", Some(true)),
        ("[\\-]", "-", Some(true)),
        ("[x\\-]", "x", Some(true)),
        ("[x\\-]", "-", Some(true)),
        ("[x\\-]", "z", Some(false)),
        ("[\\-x]", "x", Some(true)),
        ("[\\-x]", "-", Some(true)),
        ("[\\-x]", "a", Some(false)),
        ("[]a]", "]", None),
        ("[-]", "-", None),
        ("[x-]", "x", None),
        ("[x-]", "-", None),
        ("[x-]", "z", None),
        ("[-x]", "x", None),
        ("[-x]", "-", None),
        ("[-x]", "a", None),
        ("\\", "a", None),
        ("[a-b-c]", "a", None),
        ("[", "a", None),
        ("[^", "a", None),
        ("[^bc", "a", None),
        ("a[", "a", None),
        ("a[", "ab", None),
        ("a[", "x", None),
        ("a/b[", "x", None),
        ("*x", "xxx", Some(true)),
    ];

    #[test]
    fn go_table() {
        for &(pattern, name, expected) in GO_MATCH_TESTS {
            assert_eq!(
                go_path_match(pattern, name),
                expected,
                "Match({pattern:?}, {name:?})"
            );
        }
    }

    #[test]
    fn dialect_differences_from_fnmatch() {
        // `*` stops at `/` in Go.
        assert_eq!(go_path_match("/etc/*", "/etc/a/b"), Some(false));
        // `[^x]` negates in Go.
        assert_eq!(go_path_match("[^a]", "b"), Some(true));
        // `[!x]` is a class of `!` and `x` in Go.
        assert_eq!(go_path_match("[!a]", "!"), Some(true));
        // `\` escapes in Go.
        assert_eq!(go_path_match("a\\*b", "a\\xb"), Some(false));
        // An unterminated `[` is an error, not a literal.
        assert_eq!(go_path_match("t:[a", "t:[a"), None);
        // `?` is one scalar value in both, but never `/` in Go.
        assert_eq!(go_path_match("?", "é"), Some(true));
        assert_eq!(go_path_match("?", "/"), Some(false));
    }

    #[test]
    fn star_skips_bytes_not_characters() {
        // After `*`, Go retries the chunk from every byte offset, so a class can see the
        // U+FFFD of a partial sequence: `é` is 0xC3 0xA9 and 0xA9 alone decodes as U+FFFD.
        assert_eq!(go_path_match("*[\u{FFFD}]", "é"), Some(true));
        assert_eq!(go_path_match("[\u{FFFD}]", "é"), Some(false));
    }

    #[test]
    fn decode_matches_go() {
        assert_eq!(decode_rune(b""), (RUNE_ERROR, 0));
        assert_eq!(decode_rune("é".as_bytes()), (0xE9, 2));
        assert_eq!(decode_rune(&[0xA9, b'a']), (RUNE_ERROR, 1));
        assert_eq!(decode_rune(&[0xC3]), (RUNE_ERROR, 1));
        assert_eq!(decode_rune("😀x".as_bytes()), (0x1F600, 4));
    }
}
