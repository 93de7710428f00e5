//! Requests derived from a generated policy's own patterns, so that they land on the
//! boundaries of its rules instead of far away from every rule.
//!
//! For each pattern a subject that matches it is built item by item from the parsed glob
//! (`*` filled with nothing, a `:`, a `/`, a multi-byte character; `?` with one
//! character that may fold to two; a class with a member or a non-member); then it is
//! often mutated (case of the tool segment, a character added or removed, a `:` moved
//! into the tool) and split into (tool, method) in one of the ways a runtime could call:
//! the whole subject as the tool with method `*`, or split at the first or last `:`.
//! Whether the result still matches is for the evaluators to decide, and they must agree.

#![allow(
    dead_code,
    reason = "shared by tests/differential.rs and tests/properties.rs, which use different parts"
)]

use guardc::eval::{JsonMap, Request};
use guardc::pattern::{Glob, GlobItem, canonicalize};
use serde_json::{Value, json};

use super::generate::{GeneratedPolicy, METHODS, ONE_CHARS, Rng, STAR_FILLS, TOOLS};

/// A request that owns its strings, printable as a `guardc eval --requests` line.
#[derive(Debug, Clone)]
pub struct OwnedRequest {
    pub tool: String,
    pub method: String,
    pub context: Option<JsonMap>,
    pub args: Option<JsonMap>,
}

impl OwnedRequest {
    pub fn view(&self) -> Request<'_> {
        Request {
            tool: &self.tool,
            method: &self.method,
            context: self.context.as_ref(),
            args: self.args.as_ref(),
        }
    }

    /// The request as one line of `guardc eval --requests`.
    pub fn to_json(&self) -> Value {
        let mut line = json!({"tool": self.tool, "method": self.method});
        if let Some(context) = &self.context {
            line["context"] = Value::Object(context.clone());
        }
        if let Some(args) = &self.args {
            line["args"] = Value::Object(args.clone());
        }
        line
    }
}

/// A string the glob matches (or, for a class, sometimes just misses).
pub fn expand(glob_text: &str, rng: &mut Rng) -> String {
    let glob = Glob::parse(glob_text);
    let mut out = String::new();
    for item in glob.items() {
        match item {
            GlobItem::Literal(text) => out.push_str(text),
            GlobItem::Star => out.push_str(rng.pick(STAR_FILLS)),
            GlobItem::AnyChar => out.push_str(rng.pick(ONE_CHARS)),
            GlobItem::Class { negated, ranges } => {
                let member = ranges
                    .get(rng.below(ranges.len()))
                    .map(|&(lo, hi)| if rng.chance(50) { lo } else { hi });
                let outsider = ['q', '!', '^', ']', 'a', 'é', ':', 'S']
                    .into_iter()
                    .find(|&c| !ranges.iter().any(|&(lo, hi)| lo <= c && c <= hi));
                // A negated class matches the outsiders; pick a match most of the time.
                let wants_match = rng.chance(75);
                let chosen = if wants_match != *negated {
                    member
                } else {
                    outsider
                };
                out.push(chosen.or(outsider).unwrap_or('q'));
            }
            GlobItem::Never => out.push('a'),
        }
    }
    out
}

/// The subject derived from a raw tool pattern: the pattern's canonical form expanded,
/// with the tool segment as written (so that case folding is what makes it match).
fn subject_for(pattern: &str, rng: &mut Rng) -> String {
    expand(&canonicalize(pattern), rng)
}

/// Split at the first `:` into the tool segment and the rest (`:` excluded).
fn split_first_colon(text: &str) -> (&str, Option<&str>) {
    match text.split_once(':') {
        Some((tool, rest)) => (tool, Some(rest)),
        None => (text, None),
    }
}

/// Changes that move a subject just across a rule's boundary, or just not.
fn mutate(subject: &str, rng: &mut Rng) -> String {
    let (tool, rest) = split_first_colon(subject);
    let rejoin = |tool: String| match rest {
        Some(rest) => format!("{tool}:{rest}"),
        None => tool,
    };
    match rng.below(9) {
        0 => rejoin(tool.to_uppercase()),
        1 => rejoin(tool.to_lowercase()),
        2 => rejoin(
            tool.replace('ß', rng.pick(&["SS", "ẞ", "ss", "s"]))
                .replace('ﬁ', rng.pick(&["FI", "fi", "ﬁ"]))
                .replace('Σ', rng.pick(&["σ", "ς", "Σ"]))
                .replace("ss", rng.pick(&["ß", "ss", "SS"])),
        ),
        3 => format!("{subject}{}", rng.pick(&["a", ":", "é", "*", " ", "ß"])),
        4 => {
            let mut text = subject.to_owned();
            text.pop();
            text
        }
        5 => subject.chars().skip(1).collect(),
        6 => {
            // A `:` inside the tool segment, at a character boundary.
            let boundaries: Vec<usize> = tool.char_indices().map(|(i, _)| i).collect();
            let at = boundaries
                .get(rng.below(boundaries.len()))
                .copied()
                .unwrap_or(0);
            let mut text = subject.to_owned();
            text.insert(at, ':');
            text
        }
        7 => format!("{}{subject}", rng.pick(&["x", "?", "ß"])),
        _ => subject.replacen(':', "", 1),
    }
}

/// One way of making a call out of a subject string.
fn split(subject: &str, rng: &mut Rng) -> (String, String) {
    match rng.below(4) {
        0 => (subject.to_owned(), "*".to_owned()),
        1 => match subject.rsplit_once(':') {
            Some((tool, method)) => (tool.to_owned(), method.to_owned()),
            None => (subject.to_owned(), rng.pick(METHODS).to_owned()),
        },
        _ => match subject.split_once(':') {
            Some((tool, method)) => (tool.to_owned(), method.to_owned()),
            None => (subject.to_owned(), "*".to_owned()),
        },
    }
}

/// Values for condition fields: strings, numbers in both spellings, booleans, null,
/// lists and maps, and text that looks like the patterns.
fn condition_value(glob: Option<&str>, rng: &mut Rng) -> Value {
    if let Some(glob) = glob.filter(|_| rng.chance(50)) {
        return Value::String(expand(glob, rng));
    }
    match rng.below(23) {
        19 => json!("sudo rm --dry"),
        20 => json!("ǣ"),
        21 => json!("x".repeat(120)),
        0 => json!("sudo rm"),
        1 => json!("rm -rf"),
        2 => json!("prod"),
        3 => json!("PROD"),
        4 => json!("eu"),
        5 => json!("eu,us"),
        6 => json!("abc"),
        7 => json!(""),
        8 => json!(5),
        9 => serde_json::from_str("5.0").unwrap_or(Value::Null),
        10 => json!(3),
        11 => json!("2.5"),
        12 => json!(true),
        13 => json!(false),
        14 => json!("True"),
        15 => Value::Null,
        16 => json!(["eu"]),
        17 => json!({"k": "v"}),
        18 => json!("saw so"),
        _ => json!(7),
    }
}

/// A selector value: usually one the policy's globs match, sometimes an edge value.
fn selector_value(globs: &[String], edges: &[Value], rng: &mut Rng) -> Value {
    if !globs.is_empty() && rng.chance(60) {
        let glob = rng.pick(globs);
        return Value::String(expand(&glob, rng));
    }
    rng.pick(edges)
}

/// A context (and sometimes args) exercising the policy's gates.
fn context_and_args(policy: &GeneratedPolicy, rng: &mut Rng) -> (Option<JsonMap>, Option<JsonMap>) {
    if rng.chance(15) {
        return (None, None);
    }
    let mut context = JsonMap::new();
    if rng.chance(60) {
        let edges = [
            json!("/etc/passwd"),
            json!(""),
            json!(0),
            json!(true),
            Value::Null,
            json!(["/etc/x"]),
            json!("/etc/a/b"),
        ];
        context.insert(
            "resource".into(),
            selector_value(&policy.resources, &edges, rng),
        );
    }
    if rng.chance(50) {
        let edges = [
            json!("python-sdk"),
            json!(""),
            json!("claude-code"),
            Value::Null,
            json!(1),
        ];
        context.insert(
            "client_name".into(),
            selector_value(&policy.clients, &edges, rng),
        );
    }
    if rng.chance(40) {
        let edges = [json!("p1"), json!(""), json!("proj-ß"), json!(0)];
        context.insert(
            "project_id".into(),
            selector_value(&policy.projects, &edges, rng),
        );
    }
    let mut args = JsonMap::new();
    let mut tags = JsonMap::new();
    for (field, glob) in &policy.conditions {
        if rng.chance(25) {
            continue;
        }
        let value = condition_value(glob.as_deref(), rng);
        match rng.below(3) {
            0 => args.insert((*field).to_owned(), value),
            1 => tags.insert((*field).to_owned(), value),
            _ => context.insert((*field).to_owned(), value),
        };
    }
    if !tags.is_empty() || rng.chance(5) {
        let tags = if rng.chance(90) {
            Value::Object(tags)
        } else {
            json!(["a"])
        };
        context.insert("tags".into(), tags);
    }
    let args = (!args.is_empty() || rng.chance(20)).then_some(args);
    (Some(context), args)
}

/// About `count` requests for a policy: most derived from its patterns, a few fixed
/// far-away ones, each with its own context.
pub fn requests_for(policy: &GeneratedPolicy, count: usize, rng: &mut Rng) -> Vec<OwnedRequest> {
    let mut out = Vec::with_capacity(count);
    while out.len() < count {
        let subject = if !policy.patterns.is_empty() && rng.chance(85) {
            let pattern = rng.pick(&policy.patterns);
            let subject = subject_for(&pattern, rng);
            if rng.chance(50) {
                mutate(&subject, rng)
            } else {
                subject
            }
        } else {
            format!("{}:{}", rng.pick(TOOLS), rng.pick(METHODS))
        };
        let (tool, method) = split(&subject, rng);
        let (context, args) = context_and_args(policy, rng);
        out.push(OwnedRequest {
            tool,
            method,
            context,
            args,
        });
    }
    out
}
