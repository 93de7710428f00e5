//! Batch decisions over JSON lines: one request object per line in, one decision
//! object per line out, in order. `guardc eval --requests` is this loop; runtimes that
//! pipe calls through a sidecar can use it directly.
//!
//! The loop is generic over reader and writer (it opens nothing itself). Every line that
//! is not blank gets exactly one decision: a line that cannot be a request (not UTF-8,
//! not JSON, JSON that is not an object, longer than the line limit, an object without
//! a string `tool`) is decided fail-closed (deny, `synthetic:ENGINE_UNAVAILABLE`) with
//! the problem in an `error` field, and the batch goes on. Only an IO error of the
//! reader or writer stops it.
//!
//! Lines are read into one reused buffer that never holds more than the limit plus one
//! read chunk: the rest of an over-long line is skipped as it arrives, so a stream
//! without line breaks (`/dev/zero` on stdin) cannot grow memory.

use std::io::{BufRead, Write};

use serde::Deserialize;

use super::{CompiledPolicy, Decision, DecisionRecord, JsonMap, Request};
use crate::diagnostics::escape::write_json;

/// Longest request line decided, in bytes, without its line break. Far above any real
/// call (arguments carrying a whole file are a few MiB); a longer line is decided
/// fail-closed with an `error`.
pub const MAX_REQUEST_LINE_BYTES: usize = 16 * 1024 * 1024;

/// One line of input: the request as the caller wrote it.
#[derive(Debug, Deserialize)]
struct RequestLine {
    tool: serde_json::Value,
    #[serde(default)]
    method: Option<String>,
    #[serde(default)]
    context: Option<JsonMap>,
    #[serde(default)]
    args: Option<JsonMap>,
}

/// Counts of a finished batch.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct BatchStats {
    /// Lines decided, malformed ones included (blank lines are not requests).
    pub decided: usize,
    /// Lines decided fail-closed because they were not a request.
    pub malformed: usize,
}

/// Decide every non-blank line of `input`, writing one JSON decision per line, with the
/// default line limit [`MAX_REQUEST_LINE_BYTES`].
pub fn decide_json_lines(
    compiled: &CompiledPolicy,
    input: impl BufRead,
    output: impl Write,
) -> std::io::Result<BatchStats> {
    decide_json_lines_within(compiled, input, output, MAX_REQUEST_LINE_BYTES)
}

/// [`decide_json_lines`] with a line limit of `max_line_bytes`.
pub fn decide_json_lines_within(
    compiled: &CompiledPolicy,
    mut input: impl BufRead,
    mut output: impl Write,
    max_line_bytes: usize,
) -> std::io::Result<BatchStats> {
    let mut stats = BatchStats::default();
    let mut buffer = Vec::new();
    let mut number = 0;
    while let Some(fits) = read_line(&mut input, &mut buffer, max_line_bytes)? {
        number += 1;
        let line = if number == 1 {
            // A byte-order mark is an editor's artefact, not part of the first request.
            buffer.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(&buffer)
        } else {
            &buffer
        };
        let line = line.strip_suffix(b"\r").unwrap_or(line);
        let record = if !fits {
            malformed(
                compiled,
                format!(
                    "line {number}: longer than the limit of {max_line_bytes} bytes; the request \
                     was not read"
                ),
            )
        } else if line.trim_ascii().is_empty() {
            continue;
        } else {
            match decide_line(compiled, line) {
                Ok(record) => record,
                Err(problem) => malformed(compiled, format!("line {number}: {problem}")),
            }
        };
        stats.decided += 1;
        stats.malformed += usize::from(record.error.is_some());
        // One decision per line, whatever the call's text holds: control characters and
        // Unicode line breaks are `\u`-escaped, so no reader splits a record.
        write_json(&mut output, &record, false)?;
        output.write_all(b"\n")?;
    }
    output.flush()?;
    Ok(stats)
}

/// Read the next line (without its `\n`) into `buffer`. `None` at the end of input;
/// `Some(false)` when the line is longer than `max` bytes (`buffer` is then cleared and
/// the rest of the line skipped, not stored).
fn read_line(
    input: &mut impl BufRead,
    buffer: &mut Vec<u8>,
    max: usize,
) -> std::io::Result<Option<bool>> {
    buffer.clear();
    let mut fits = true;
    let mut started = false;
    loop {
        let available = match input.fill_buf() {
            Ok(available) => available,
            Err(err) if err.kind() == std::io::ErrorKind::Interrupted => continue,
            Err(err) => return Err(err),
        };
        if available.is_empty() {
            return Ok(started.then_some(fits));
        }
        started = true;
        let end = available.iter().position(|&b| b == b'\n');
        let chunk = available
            .get(..end.unwrap_or(available.len()))
            .unwrap_or(&[]);
        if fits && buffer.len() + chunk.len() <= max {
            buffer.extend_from_slice(chunk);
        } else {
            fits = false;
            buffer.clear();
        }
        let used = chunk.len() + usize::from(end.is_some());
        input.consume(used);
        if end.is_some() {
            return Ok(Some(fits));
        }
    }
}

/// Decide one line, or say why it is not a request.
fn decide_line<'p>(
    compiled: &'p CompiledPolicy,
    line: &[u8],
) -> Result<DecisionRecord<'p>, String> {
    let text = std::str::from_utf8(line).map_err(|err| {
        format!(
            "not UTF-8 text (invalid byte at offset {}); the request was not read",
            err.valid_up_to()
        )
    })?;
    // serde reads a struct from a JSON array too (fields by position); a request is an
    // object, and anything else is refused before it can be taken for one.
    if !text.trim_start().starts_with('{') {
        return Err(match serde_json::from_str::<serde_json::Value>(text) {
            Ok(value) => format!("a request is a JSON object, not {}", json_kind(&value)),
            Err(err) => format!("not JSON: {err}"),
        });
    }
    let parsed: RequestLine =
        serde_json::from_str(text).map_err(|err| format!("not a request: {err}"))?;
    let serde_json::Value::String(tool) = &parsed.tool else {
        return Err("`tool` must be a string".to_owned());
    };
    let request = Request {
        tool,
        method: parsed.method.as_deref().unwrap_or("*"),
        context: parsed.context.as_ref(),
        args: parsed.args.as_ref(),
    };
    let decision = compiled.decide(&request);
    Ok(DecisionRecord::new(&decision, compiled, &request))
}

fn json_kind(value: &serde_json::Value) -> &'static str {
    match value {
        serde_json::Value::Null => "null",
        serde_json::Value::Bool(_) => "a boolean",
        serde_json::Value::Number(_) => "a number",
        serde_json::Value::String(_) => "a string",
        serde_json::Value::Array(_) => "an array",
        serde_json::Value::Object(_) => "an object",
    }
}

fn malformed(compiled: &CompiledPolicy, message: String) -> DecisionRecord<'_> {
    let request = Request::tool("");
    let mut record = DecisionRecord::new(&Decision::engine_error(), compiled, &request);
    record.error = Some(message);
    record
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::{decide_json_lines_within, read_line};
    use crate::eval::CompiledPolicy;
    use crate::policy::load;
    use crate::source::SourceFile;

    fn lines(input: &[u8], max: usize) -> Vec<Option<Vec<u8>>> {
        let mut reader = std::io::BufReader::with_capacity(4, input);
        let mut buffer = Vec::new();
        let mut out = Vec::new();
        while let Some(fits) = read_line(&mut reader, &mut buffer, max).unwrap_or(None) {
            out.push(fits.then(|| buffer.clone()));
        }
        out
    }

    #[test]
    fn lines_split_at_breaks_across_chunks_and_long_ones_are_dropped() {
        let got = lines(b"ab\n0123456789\n\nxyz", 5);
        let want: Vec<Option<Vec<u8>>> = vec![
            Some(b"ab".to_vec()),
            None,
            Some(Vec::new()),
            Some(b"xyz".to_vec()),
        ];
        assert_eq!(got, want);
        assert_eq!(lines(b"12345\n", 5), vec![Some(b"12345".to_vec())]);
        assert_eq!(lines(b"", 5), Vec::<Option<Vec<u8>>>::new());
    }

    /// Lines of arbitrary bytes, valid requests among them.
    fn input_lines() -> impl Strategy<Value = Vec<Vec<u8>>> {
        let line = prop_oneof![
            Just(br#"{"tool":"Bash","method":"sudo ls"}"#.to_vec()),
            Just(br#"[{"tool":"Bash"}]"#.to_vec()),
            Just(b"  ".to_vec()),
            proptest::collection::vec(any::<u8>().prop_filter("no break", |b| *b != b'\n'), 0..40),
        ];
        proptest::collection::vec(line, 0..12)
    }

    proptest! {
        /// Whatever the bytes, every line that is not blank gets exactly one decision,
        /// and every decision is a JSON object on its own line.
        #[test]
        fn every_non_blank_line_is_decided(input in input_lines(), max in 1usize..64) {
            let loaded = load(SourceFile::new("p.yaml", "rules: [{deny: 'Bash:sudo *'}]"));
            let compiled = CompiledPolicy::new(loaded.policy.unwrap());
            let mut bytes = input.join(&b'\n');
            bytes.push(b'\n');
            let mut out = Vec::new();
            let stats = decide_json_lines_within(&compiled, bytes.as_slice(), &mut out, max)
                .unwrap();
            let blank = |at: usize, line: &[u8]| {
                let line = if at == 0 { line.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(line) } else { line };
                line.trim_ascii().is_empty()
            };
            let expected = input
                .iter()
                .enumerate()
                .filter(|(at, line)| line.len() > max || !blank(*at, line))
                .count();
            let text = String::from_utf8(out).unwrap();
            prop_assert_eq!(stats.decided, expected);
            prop_assert_eq!(text.lines().count(), expected);
            for line in text.lines() {
                let record: serde_json::Value = serde_json::from_str(line).unwrap();
                prop_assert!(record.is_object());
            }
        }
    }
}
