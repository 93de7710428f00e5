//! The fast reader against saphyr: on every document the fast reader accepts, both must
//! produce the same events with the same character spans, and saphyr must accept it too.
//! And the direct builder against the arena builder: on every document the direct
//! builder accepts, both must build the same tree.
//! The corpus is every YAML fixture, the PyYAML oracle's documents, the fuzz seeds, and
//! generated documents built from the constructs the fast reader handles, written with
//! random indentation, spacing and comments so that most of them are subtly invalid.

use std::path::Path;

use super::agrees_with_saphyr;
use crate::syntax::yaml::direct::agrees_with_arena;

/// Whether the fast reader accepted `text`; panics if it disagrees with saphyr.
fn agrees(text: &str) -> bool {
    match agrees_with_saphyr(text) {
        Ok(read) => read,
        Err(difference) => panic!("{difference}\non:\n{text}"),
    }
}

/// Whether the direct builder built `text`; panics if the arena builder built it
/// differently.
fn builds_alike(text: &str) -> bool {
    match agrees_with_arena(text) {
        Ok(built) => built,
        Err(difference) => panic!("{difference}\non:\n{text}"),
    }
}

fn yaml_files(dir: &Path, out: &mut Vec<String>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() {
            yaml_files(&path, out);
        } else if let Ok(text) = std::fs::read_to_string(&path) {
            let yaml = path
                .extension()
                .is_some_and(|e| e == "yaml" || e == "yml" || e == "txt");
            if yaml || dir.ends_with("check") {
                out.push(text);
            }
        }
    }
}

#[test]
fn agrees_with_saphyr_on_every_fixture_and_seed() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut documents = Vec::new();
    yaml_files(&root.join("fixtures"), &mut documents);
    yaml_files(&root.join("fuzz/corpus/check"), &mut documents);
    yaml_files(&root.join("examples"), &mut documents);
    let oracle: serde_json::Value =
        serde_json::from_str(include_str!("../../../fixtures/syntax/yaml_oracle.json")).unwrap();
    for case in oracle.as_array().unwrap() {
        documents.push(case["yaml"].as_str().unwrap().to_owned());
    }
    let accepted = documents.iter().filter(|d| agrees(d)).count();
    // The fast reader must actually read the ordinary policies, or this test proves
    // nothing about it; and so must the direct builder.
    assert!(
        accepted >= 60,
        "the fast reader read only {accepted} of {} documents",
        documents.len()
    );
    let built = documents.iter().filter(|d| builds_alike(d)).count();
    assert!(
        built >= 50,
        "the direct builder built only {built} of {} documents",
        documents.len()
    );
}

#[test]
fn reads_the_shapes_policies_use() {
    let text = "# c\nversion: '1'\nrules:\n  - id: a  # x\n    allow: [a, 'b c', \"d\"]\n    \
                when:\n      n: {op: gt, value: 1}\n  - deny: x\nlast:\n- q\n- r: 1\n  s: 2\n\
                e: [ ]\nf: {}\ng: [a , b ]  # c\nh: 'it''s'  # c\nk : -1\n";
    assert!(agrees(text));
    assert!(builds_alike(text));
}

/// A small deterministic generator: documents are built from a seed, so a failure
/// prints the document and the seed reproduces it.
struct Rng(u64);

impl Rng {
    fn below(&mut self, n: usize) -> usize {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        (self.0 % n as u64) as usize
    }

    fn pick<'a>(&mut self, items: &[&'a str]) -> &'a str {
        items[self.below(items.len())]
    }
}

const SCALARS: &[&str] = &[
    "a",
    "Bash:sudo *",
    "a b",
    "-1",
    "a:b",
    "x #y",
    "'q''x'",
    "'s p'",
    "\"d\"",
    "\"e\\n\"",
    "*w*",
    "'*w*'",
    "&a v",
    "?",
    "---",
    "",
    "'a'#b",
    "a,b",
    "[x]y",
    "k: v",
    "- z",
    "'m' ",
];
const FLOWS: &[&str] = &[
    "[ ]",
    "{}",
    "[a, 'b' , \"c\"]",
    "[x,[y]]",
    "{op: gt, value: 1000}",
    "{'k': v, \"m\" : n}",
    "[a , b ]",
    "[a,]",
    "[a: b]",
    "{a}",
    "{a: }",
    "[a",
    "[a] x",
    "[ # c\n]",
];
const TAILS: &[&str] = &["", "", "", "  ", " # c", "# c", " #", ":"];

fn value(rng: &mut Rng) -> String {
    let text = if rng.below(3) == 0 {
        rng.pick(FLOWS)
    } else {
        rng.pick(SCALARS)
    };
    format!("{text}{}", rng.pick(TAILS))
}

/// Render a random block node at `indent` (the caller has written what precedes it).
fn block(rng: &mut Rng, out: &mut Vec<String>, indent: usize, depth: usize) {
    let pad = |n: usize| " ".repeat(n);
    let entries = 1 + rng.below(3);
    let sequence = rng.below(3) == 0;
    for _ in 0..entries {
        if rng.below(6) == 0 {
            out.push(format!("{}# comment", pad(rng.below(indent + 3))));
        }
        if rng.below(8) == 0 {
            out.push(pad(rng.below(3)));
        }
        let lead = if sequence { "- " } else { "" };
        let key = if sequence && rng.below(2) == 0 {
            String::new()
        } else {
            format!(
                "{}: ",
                rng.pick(&[
                    "id", "deny", "'allow'", "\"when\"", "k v", "-x", "a:b", "1", "on", "<<",
                    "'<<'", "=", "~",
                ])
            )
        };
        if depth < 3 && !key.is_empty() && rng.below(3) == 0 {
            out.push(format!("{}{lead}{}", pad(indent), key.trim_end()));
            let step = rng
                .pick(&["0", "2", "2", "4", "1"])
                .parse::<usize>()
                .unwrap_or(2);
            block(rng, out, indent + step + lead.len(), depth + 1);
        } else {
            out.push(format!("{}{lead}{key}{}", pad(indent), value(rng)));
        }
    }
}

fn generated(seed: u64) -> String {
    let mut rng = Rng(seed | 1);
    let mut lines = Vec::new();
    block(&mut rng, &mut lines, 0, 0);
    // Most documents get one small mutation: a line moved by a column, or a character
    // that means something in YAML inserted somewhere.
    if rng.below(3) != 0 {
        let line = rng.below(lines.len());
        match rng.below(3) {
            0 => lines[line].insert(0, ' '),
            1 if lines[line].starts_with(' ') => {
                lines[line].remove(0);
            }
            _ => {
                let at = rng.below(lines[line].len() + 1);
                let c = rng.pick(&[
                    ":", "-", "#", "'", "\"", "[", "]", "{", "}", ",", " ", "&", "?",
                ]);
                lines[line].insert_str(at, c);
            }
        }
    }
    let mut text = lines.join("\n");
    if rng.below(4) != 0 {
        text.push('\n');
    }
    text
}

#[test]
fn agrees_with_saphyr_on_generated_documents() {
    let (mut accepted, mut built) = (0, 0);
    for seed in 0..20_000u64 {
        let text = generated(seed.wrapping_mul(0x9e37_79b9_7f4a_7c15));
        if agrees(&text) {
            accepted += 1;
        }
        if builds_alike(&text) {
            built += 1;
        }
    }
    assert!(built > 1_000, "the direct builder built {built} of 20,000");
    // Enough of them are read by the fast reader (and compared) to mean something, and
    // enough are not (the mutations work).
    assert!(
        accepted > 2_000 && accepted < 18_000,
        "{accepted} of 20,000 read"
    );
}

#[test]
fn the_direct_builder_keeps_dict_semantics_past_the_scanned_size() {
    // 40 distinct keys with every fifth written again later, so repetitions are found
    // both by the scan and by the hash table that replaces it past 16 entries.
    let mut text = String::from("m:\n");
    for i in 0..40 {
        text.push_str(&format!("  k{i}: {i}\n"));
        if i % 5 == 4 {
            text.push_str(&format!("  k{}: 'again {i}'\n", i / 2));
        }
    }
    text.push_str("  k3: last\n");
    assert!(builds_alike(&text));
    assert!(builds_alike("a: 1\nb: 2\na: 3\n"));
    // A key written three times: both repetitions are reported against the first.
    assert!(builds_alike("a: 1\nb: 2\na: 3\nb: 4\na: 5\n"));
    // Keys the direct builder leaves to the arena builder.
    for declined in [
        "1: a\n",
        "on: a\n",
        "<<: {a: 1}\n",
        "a:\n",
        "x: &a 1\n",
        "x: !!str 1\n",
    ] {
        assert!(!builds_alike(declined), "{declined:?}");
    }
}
