//! A seeded, dependency-free generator of policy documents for the differential tests.
//!
//! Policies are built as a small document tree and rendered as YAML (or sometimes JSON)
//! *text*, so every generated case also goes through the real loader: quoting, YAML 1.1
//! scalars, both effect forms, selectors and condition envelopes. The vocabulary is
//! chosen to sit on the boundaries where two evaluators could disagree: tool names whose
//! case folding changes their length (`ß`, `ﬁ`, `Σ`), every construct of the glob
//! dialect including the malformed ones, patterns with several `:`, empty patterns and
//! empty pattern lists. The generator also returns the globs it used, so that requests
//! can be derived from the policy's own patterns (see `requests.rs`).
//!
//! The PRNG is splitmix64 rather than a crate: the sequence must stay stable across
//! dependency upgrades so that a reported seed reproduces the same policy forever.

#![allow(
    dead_code,
    reason = "shared by tests/differential.rs and tests/properties.rs, which use different parts"
)]

/// splitmix64: tiny, fast, and good enough to spread choices over a vocabulary.
#[derive(Debug, Clone)]
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Rng {
        Rng(seed)
    }

    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// A number in `0..n` (`0` when `n` is zero).
    pub fn below(&mut self, n: usize) -> usize {
        if n == 0 {
            return 0;
        }
        // The modulo bias is irrelevant for picking test inputs.
        (self.next_u64() % n as u64) as usize
    }

    /// True with probability `percent`/100.
    pub fn chance(&mut self, percent: usize) -> bool {
        self.below(100) < percent
    }

    /// One of `items` (which must not be empty).
    pub fn pick<T: Clone>(&mut self, items: &[T]) -> T {
        items[self.below(items.len())].clone()
    }
}

/// A document tree that renders to both YAML and JSON.
#[derive(Debug, Clone)]
pub enum Node {
    /// A string, always quoted in YAML so that it stays a string.
    Str(String),
    /// A plain YAML 1.1 scalar (`yes`, `0`, `null`) and the JSON it resolves to.
    Scalar {
        yaml: &'static str,
        json: &'static str,
    },
    List(Vec<Node>),
    Map(Vec<(&'static str, Node)>),
}

/// `matches` operands: linear-time, backtracking (look-around, backreferences), large
/// counted repeats, character names, and a pattern decided fail-closed (a character name
/// alias). A search over the backtracking limit costs a tenth of a second, so that case
/// is a boundary case below rather than part of the generated mix.
const REGEXES: &[&str] = &[
    "^s.*o$",
    "^(?!.*dry).*rm",
    r"(\w)\1",
    "(?<=sudo )rm",
    r"(?P<q>o).*(?P=q)",
    r"\w{100}",
    r"\N{EM DASH}",
    r"\N{LATIN SMALL LETTER GHA}",
];

fn s(text: &str) -> Node {
    Node::Str(text.to_owned())
}

/// What a generated policy contains, for deriving requests from it.
#[derive(Debug, Clone, Default)]
pub struct GeneratedPolicy {
    pub doc: Option<Node>,
    /// Every tool pattern as written, in rule order.
    pub patterns: Vec<String>,
    pub resources: Vec<String>,
    pub clients: Vec<String>,
    pub projects: Vec<String>,
    /// Condition fields, with the glob text of scalar-pattern conditions.
    pub conditions: Vec<(&'static str, Option<String>)>,
    /// Whether the document should be rendered as JSON.
    pub json: bool,
}

impl GeneratedPolicy {
    /// The file name the document is loaded under (its suffix picks the front-end).
    pub fn file_name(&self) -> &'static str {
        if self.json { "p.json" } else { "p.yaml" }
    }

    pub fn text(&self) -> String {
        match (&self.doc, self.json) {
            (Some(doc), true) => serde_json::to_string_pretty(&to_json(doc)).unwrap_or_default(),
            (Some(doc), false) => to_yaml(doc),
            (None, _) => String::new(),
        }
    }
}

pub const TOOLS: &[&str] = &[
    "Bash", "bash", "BASH", "gh", "t", "ß", "Σ", "straße", "ﬁle", "ẞ", "STRASSE", "ς",
];
pub const METHODS: &[&str] = &[
    "ls",
    "sudo",
    "sudo rm -rf /",
    "read",
    "READ",
    "method_x",
    "method_",
    "list_repos",
    "x",
    "",
    "ß",
    "é",
    "/etc/passwd",
    "a:b",
    "*",
];
/// Text substituted for `*` when deriving subjects, and the substrings of `*x*` patterns.
pub const STAR_FILLS: &[&str] = &["", "x", ":", "/", "é", "ß", "ab", "Σ", "sudo ", "*"];
/// Single characters for `?`, including multi-byte ones and ones that fold to two.
pub const ONE_CHARS: &[&str] = &["a", "é", "ß", ":", "Σ", "ﬁ", "Z", "/", "😀", "?"];
const CLASSES: &[&str] = &[
    "[a-c]", "[!a]", "[^a]", "[z-a]", "[!z-a]", "[]]", "[!]]", "[", "[A-Z]", "[ß]", "[Σ]", "[a-]",
    "[*]", "[:]",
];
const RESOURCE_GLOBS: &[&str] = &[
    "/etc/*",
    "*",
    "/etc/passwd",
    "/home/*/x",
    "",
    "[a-c]*",
    "?",
    "/ETC/*",
];
const CLIENT_GLOBS: &[&str] = &["claude-*", "ci", "", "*", "python-sdk", "C?", "[!c]*"];
const PROJECT_GLOBS: &[&str] = &["proj-?", "p1", "*", "", "P1"];

const TRUTHY_SCALARS: &[(&str, &str)] = &[
    ("true", "true"),
    ("false", "false"),
    ("yes", "true"),
    ("no", "false"),
    ("0", "0"),
    ("1", "1"),
    ("null", "null"),
    ("off", "false"),
];

/// One tool name, sometimes decorated with glob syntax.
fn tool_glob(rng: &mut Rng) -> String {
    let tool = rng.pick(TOOLS).to_owned();
    match rng.below(10) {
        0 => format!("{tool}*"),
        1 => format!("?{}", tool.chars().skip(1).collect::<String>()),
        2 => format!("{}{tool}", rng.pick(CLASSES)),
        3 => tool.replacen(|c: char| c.is_alphabetic(), "?", 1),
        _ => tool,
    }
}

/// A method-segment glob.
fn method_glob(rng: &mut Rng) -> String {
    let method = rng.pick(METHODS);
    match rng.below(9) {
        0 => "*".to_owned(),
        1 => "method_*".to_owned(),
        2 => format!("{method}*"),
        3 => format!("*{method}"),
        4 => format!("{}{method}", rng.pick(CLASSES)),
        5 => "???".to_owned(),
        _ => method.to_owned(),
    }
}

/// One raw tool pattern, as a rule author might write it.
pub fn pattern(rng: &mut Rng) -> String {
    match rng.below(16) {
        0 => "*".to_owned(),
        1 | 2 => tool_glob(rng),
        3 => format!("{}:*", tool_glob(rng)),
        4 | 5 => format!("{}:{}", tool_glob(rng), method_glob(rng)),
        6 => format!("*{}*", rng.pick(STAR_FILLS)),
        7 => "?".repeat(1 + rng.below(4)) + if rng.chance(50) { ":*" } else { "" },
        8 => format!("{}{}", rng.pick(CLASSES), rng.pick(&[":*", "", "*", ":?"])),
        9 => rng
            .pick(&["Bash:\\*", "a\\b", "\\", "Bash\\:x", "\\*:*"])
            .to_string(),
        10 => rng
            .pick(&[
                "gh:repo:list",
                "Bash:sudo:*",
                "::",
                ":",
                "a:b:c*",
                "Bash:*:*",
                ":*",
            ])
            .to_string(),
        11 => String::new(),
        _ => {
            // Random glue of fragments: finds combinations nobody thought of.
            let mut text = String::new();
            for _ in 0..1 + rng.below(5) {
                let fragment = match rng.below(6) {
                    0 => rng.pick(TOOLS).to_owned(),
                    1 => ":".to_owned(),
                    2 => "*".to_owned(),
                    3 => "?".to_owned(),
                    4 => rng.pick(CLASSES).to_owned(),
                    _ => rng.pick(METHODS).to_owned(),
                };
                text.push_str(&fragment);
            }
            text
        }
    }
}

fn pattern_value(rng: &mut Rng, out: &mut GeneratedPolicy) -> Node {
    let mut one = |rng: &mut Rng| {
        let p = pattern(rng);
        out.patterns.push(p.clone());
        Node::Str(p)
    };
    match rng.below(10) {
        0 if rng.chance(30) => Node::List(Vec::new()),
        0..=2 => Node::List((0..1 + rng.below(3)).map(|_| one(rng)).collect()),
        _ => one(rng),
    }
}

fn glob_selector(rng: &mut Rng, vocabulary: &[&str], used: &mut Vec<String>) -> Node {
    let mut one = |rng: &mut Rng| {
        let g = rng.pick(vocabulary);
        used.push(g.to_owned());
        s(g)
    };
    if rng.chance(30) {
        one(rng)
    } else {
        Node::List((0..1 + rng.below(3)).map(|_| one(rng)).collect())
    }
}

/// A condition field and its test: scalar globs, typed plain scalars and envelopes.
fn condition(rng: &mut Rng, out: &mut GeneratedPolicy) -> (&'static str, Node) {
    let scalar = |field: &'static str, text: &str, out: &mut GeneratedPolicy| {
        out.conditions.push((field, Some(text.to_owned())));
        (field, s(text))
    };
    let envelope = |field: &'static str, op: &str, value: Option<Node>, ci: bool| {
        let mut entries = vec![("op", s(op))];
        if let Some(value) = value {
            entries.push(("value", value));
        }
        if ci {
            entries.push((
                "case_insensitive",
                Node::Scalar {
                    yaml: "true",
                    json: "true",
                },
            ));
        }
        (field, Node::Map(entries))
    };
    let plain = |yaml, json| Node::Scalar { yaml, json };
    let (field, node) = match rng.below(16) {
        0 => return scalar("command", rng.pick(&["sudo *", "rm*", "*"]), out),
        1 => return scalar("input_text", rng.pick(&["rm", "r*", "SUDO", ""]), out),
        2 => return scalar("env", rng.pick(&["prod", "[pP]rod", "?"]), out),
        3 => ("flag", plain("true", "true")),
        4 => ("n", plain("5", "5")),
        5 => envelope("env", "equals", Some(s("prod")), rng.chance(50)),
        6 => envelope(
            "region",
            "in",
            Some(Node::List(vec![s("eu"), s("us")])),
            false,
        ),
        7 => envelope("region", "in", Some(s("eu,us")), false),
        8 => envelope("ticket", "exists", None, false),
        9 => envelope("debug", "not_exists", None, false),
        10 => envelope("level", "gt", Some(plain("3", "3")), false),
        11 => envelope("level", "gt", Some(s("2.5")), false),
        12 => envelope("f", "contains", Some(s("b")), rng.chance(50)),
        13 => envelope("f", "matches", Some(s(rng.pick(REGEXES))), rng.chance(50)),
        14 => envelope(
            "level",
            "in_range",
            Some(Node::List(vec![plain("1", "1"), plain("10", "10")])),
            false,
        ),
        _ => envelope("command", "glob", Some(s("sudo *")), false),
    };
    out.conditions.push((field, None));
    (field, node)
}

fn rule(rng: &mut Rng, index: usize, out: &mut GeneratedPolicy) -> Node {
    let mut entries: Vec<(&'static str, Node)> = Vec::new();
    if rng.chance(75) {
        let key = if rng.chance(50) { "deny" } else { "allow" };
        entries.push((key, pattern_value(rng, out)));
    } else {
        entries.push(("effect", s(rng.pick(&["deny", "allow", "warn"]))));
        let key = if rng.chance(50) { "action" } else { "actions" };
        entries.push((key, pattern_value(rng, out)));
    }
    if rng.chance(30) {
        let value = if rng.chance(60) {
            let (yaml, json) = rng.pick(TRUTHY_SCALARS);
            Node::Scalar { yaml, json }
        } else {
            s(rng.pick(&["false", "", "yes", "no"]))
        };
        entries.push(("escalate_on_deny", value));
    }
    if rng.chance(30) {
        entries.push(("id", s(&format!("r{index}"))));
    }
    if rng.chance(10) {
        entries.push(("name", s(rng.pick(&["", "named", "ß"]))));
    }
    if rng.chance(15) {
        entries.push((
            "reason",
            s(rng.pick(&["because", "", "sudo needs approval"])),
        ));
    }
    if rng.chance(10) {
        entries.push(("reason_code", s("CUSTOM")));
    }
    if rng.chance(30) {
        let key = if rng.chance(70) {
            "resources"
        } else {
            "resource"
        };
        entries.push((key, glob_selector(rng, RESOURCE_GLOBS, &mut out.resources)));
    }
    if rng.chance(15) {
        entries.push((
            "clients",
            glob_selector(rng, CLIENT_GLOBS, &mut out.clients),
        ));
    }
    if rng.chance(15) {
        entries.push((
            "projects",
            glob_selector(rng, PROJECT_GLOBS, &mut out.projects),
        ));
    }
    if rng.chance(25) {
        let conditions = (0..1 + rng.below(3))
            .map(|_| condition(rng, out))
            .collect::<Vec<_>>();
        // Distinct fields only: a duplicate key is a finding, not what is tested here.
        let mut seen = Vec::new();
        let conditions = conditions
            .into_iter()
            .filter(|(field, _)| {
                let fresh = !seen.contains(field);
                seen.push(*field);
                fresh
            })
            .collect();
        let key = if rng.chance(75) { "when" } else { "conditions" };
        entries.push((key, Node::Map(conditions)));
    }
    Node::Map(entries)
}

/// How large the generated policies get. Compiling a large policy of this adversarial
/// vocabulary (many `*x*` and negated classes under all-matches semantics) takes
/// hundreds of milliseconds in a debug build, so the default run keeps them rare and
/// the soak run has more of them.
#[derive(Debug, Clone, Copy)]
pub struct Sizes {
    /// Percentage of policies with `large_rules` rules instead of one to eight.
    pub large_percent: usize,
    pub large_rules: (usize, usize),
}

impl Sizes {
    pub const SMALL: Sizes = Sizes {
        large_percent: 2,
        large_rules: (9, 16),
    };
    pub const SOAK: Sizes = Sizes {
        large_percent: 5,
        large_rules: (9, 32),
    };
}

/// A whole policy document. Most have a handful of rules; a few are large enough for the
/// automaton to have real work to do.
pub fn policy(rng: &mut Rng, sizes: Sizes) -> GeneratedPolicy {
    let mut out = GeneratedPolicy {
        json: rng.chance(15),
        ..GeneratedPolicy::default()
    };
    let (low, high) = sizes.large_rules;
    let rule_count = if rng.chance(sizes.large_percent) {
        low + rng.below(high - low + 1)
    } else {
        1 + rng.below(8)
    };
    let mut top = Vec::new();
    if rng.chance(50) {
        top.push(("version", s("1")));
    }
    if rng.chance(35) {
        let action = s(rng.pick(&["allow", "deny", "warn"]));
        top.push(("settings", Node::Map(vec![("default_action", action)])));
    }
    let rules = (0..rule_count).map(|i| rule(rng, i, &mut out)).collect();
    top.push(("rules", Node::List(rules)));
    out.doc = Some(Node::Map(top));
    out
}

fn to_json(node: &Node) -> serde_json::Value {
    match node {
        Node::Str(text) => serde_json::Value::String(text.clone()),
        Node::Scalar { json, .. } => serde_json::from_str(json).unwrap_or(serde_json::Value::Null),
        Node::List(items) => serde_json::Value::Array(items.iter().map(to_json).collect()),
        Node::Map(entries) => serde_json::Value::Object(
            entries
                .iter()
                .map(|(k, v)| ((*k).to_owned(), to_json(v)))
                .collect(),
        ),
    }
}

/// A YAML string scalar: single-quoted unless it holds control characters, which only
/// double quotes can escape.
pub fn yaml_quote(text: &str) -> String {
    if text.chars().any(char::is_control) {
        let mut out = String::from("\"");
        for c in text.chars() {
            match c {
                '"' => out.push_str("\\\""),
                '\\' => out.push_str("\\\\"),
                c if c.is_control() => out.push_str(&format!("\\u{:04x}", c as u32)),
                c => out.push(c),
            }
        }
        out.push('"');
        out
    } else {
        format!("'{}'", text.replace('\'', "''"))
    }
}

fn flow(node: &Node) -> String {
    match node {
        Node::Str(text) => yaml_quote(text),
        Node::Scalar { yaml, .. } => (*yaml).to_owned(),
        Node::List(items) => format!(
            "[{}]",
            items.iter().map(flow).collect::<Vec<_>>().join(", ")
        ),
        Node::Map(entries) => format!(
            "{{{}}}",
            entries
                .iter()
                .map(|(k, v)| format!("{k}: {}", flow(v)))
                .collect::<Vec<_>>()
                .join(", ")
        ),
    }
}

/// Block-style YAML: maps and lists of maps in block form, lists of scalars alternating
/// between flow and block form so that both parser paths are exercised.
pub fn to_yaml(node: &Node) -> String {
    let mut out = String::new();
    match node {
        Node::Map(entries) => write_entries(&mut out, entries, 0, false),
        other => out.push_str(&flow(other)),
    }
    out
}

fn write_entries(out: &mut String, entries: &[(&'static str, Node)], indent: usize, inline: bool) {
    for (i, (key, value)) in entries.iter().enumerate() {
        if !(inline && i == 0) {
            out.push_str(&" ".repeat(indent));
        }
        out.push_str(key);
        out.push(':');
        match value {
            Node::Map(inner) if !inner.is_empty() => {
                out.push('\n');
                write_entries(out, inner, indent + 2, false);
            }
            Node::List(items)
                if items.iter().any(|n| matches!(n, Node::Map(_)))
                    || (items.len() > 1 && items.len() % 2 == 0) =>
            {
                out.push('\n');
                for item in items {
                    out.push_str(&" ".repeat(indent + 2));
                    out.push_str("- ");
                    match item {
                        Node::Map(inner) if !inner.is_empty() => {
                            write_entries(out, inner, indent + 4, true);
                        }
                        other => {
                            out.push_str(&flow(other));
                            out.push('\n');
                        }
                    }
                }
            }
            other => {
                out.push(' ');
                out.push_str(&flow(other));
                out.push('\n');
            }
        }
    }
}
