//! Batch decisions over JSON lines: one request object per line in, one decision
//! object per line out, in order. `guardc eval --requests` is this loop; runtimes that
//! pipe calls through a sidecar can use it directly.
//!
//! The loop is generic over reader and writer (it opens nothing itself). A malformed
//! line is decided fail-closed (deny, `synthetic:ENGINE_UNAVAILABLE`) with the problem
//! in an `error` field, so the output always has one line per request.

use std::io::{BufRead, Write};

use serde::Deserialize;

use super::{CompiledPolicy, Decision, DecisionRecord, JsonMap, Request};

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
    pub decided: usize,
    pub malformed: usize,
}

/// Decide every non-blank line of `input`, writing one JSON decision per line.
pub fn decide_json_lines(
    compiled: &CompiledPolicy,
    input: impl BufRead,
    mut output: impl Write,
) -> std::io::Result<BatchStats> {
    let mut stats = BatchStats::default();
    for (number, line) in input.lines().enumerate() {
        let line = line?;
        if line.trim().is_empty() {
            continue;
        }
        let malformed = write_decision(&mut output, compiled, &line, number + 1)?;
        stats.decided += 1;
        stats.malformed += usize::from(malformed);
    }
    output.flush()?;
    Ok(stats)
}

/// Decide one line; returns whether it was malformed.
fn write_decision(
    out: &mut impl Write,
    compiled: &CompiledPolicy,
    line: &str,
    number: usize,
) -> std::io::Result<bool> {
    let policy = compiled.policy();
    let parsed: Result<RequestLine, String> =
        serde_json::from_str(line).map_err(|e| format!("line {number}: not a request: {e}"));
    let (record, malformed) = match &parsed {
        Ok(RequestLine {
            tool: serde_json::Value::String(tool),
            method,
            context,
            args,
        }) => {
            let request = Request {
                tool,
                method: method.as_deref().unwrap_or("*"),
                context: context.as_ref(),
                args: args.as_ref(),
            };
            (
                DecisionRecord::new(&compiled.decide(&request), policy, &request),
                false,
            )
        }
        Ok(_) => (
            malformed(compiled, format!("line {number}: `tool` must be a string")),
            true,
        ),
        Err(message) => (malformed(compiled, message.clone()), true),
    };
    serde_json::to_writer(&mut *out, &record).map_err(std::io::Error::other)?;
    out.write_all(b"\n")?;
    Ok(malformed)
}

fn malformed(compiled: &CompiledPolicy, message: String) -> DecisionRecord<'_> {
    let request = Request::tool("");
    let mut record = DecisionRecord::new(&Decision::engine_error(), compiled.policy(), &request);
    record.error = Some(message);
    record
}
