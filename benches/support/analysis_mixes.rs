//! The three policy mixes the analysis benchmarks run `check` on (README.md
//! "Performance"), generated deterministically so every run measures the same text.
//!
//! - `realistic`: the gated policy of `realistic.rs` (literal tools, method prefixes,
//!   about a third of the rules gated by resources, clients, projects or conditions, a
//!   few `*substring*` patterns), what a real agent policy looks like at scale;
//! - `floating`: allow and deny rules over ten tools where a fifth of the rules are
//!   floating `*word*` patterns and a seventh carry a resource gate, the shape that made
//!   an automaton of the whole policy explode;
//! - `pairs`: the adversarial shape of n pairs `allow: '*secN*'` then
//!   `deny: 'toolN:get_xNsecN*'`.

#![allow(
    dead_code,
    reason = "each benchmark binary uses part of the support module"
)]

// The including target declares `realistic` beside this module.
use super::realistic;

/// One of the benchmark mixes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mix {
    Realistic,
    Floating,
    Pairs,
}

impl Mix {
    pub const ALL: [Mix; 3] = [Mix::Realistic, Mix::Floating, Mix::Pairs];

    pub fn name(self) -> &'static str {
        match self {
            Mix::Realistic => "realistic",
            Mix::Floating => "floating",
            Mix::Pairs => "pairs",
        }
    }

    pub fn parse(text: &str) -> Option<Mix> {
        Mix::ALL.into_iter().find(|m| m.name() == text)
    }
}

/// The YAML text of a `rules`-rule policy of `mix`.
pub fn policy(mix: Mix, rules: usize) -> String {
    match mix {
        Mix::Realistic => realistic::generate(realistic::Kind::Gated, rules).yaml,
        Mix::Floating => floating(rules),
        Mix::Pairs => pairs(rules),
    }
}

const HEADER: &str = "version: '1'\nsettings:\n  default_action: deny\nrules:\n";

fn floating(rules: usize) -> String {
    let mut state = 0x5eed_u64 ^ rules as u64;
    let mut next = move || {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        state
    };
    let mut text = String::from(HEADER);
    for index in 0..rules {
        let effect = if next() % 2 == 0 { "allow" } else { "deny" };
        let pattern = if index % 5 == 0 {
            format!("*w{index}x{}*", next() % 1000)
        } else {
            format!("tool{}:m{index}_*", next() % 10)
        };
        text.push_str(&format!("  - {effect}: '{pattern}'\n"));
        if index % 7 == 0 {
            text.push_str(&format!("    resources: ['s3://bucket{index}/*']\n"));
        }
    }
    text
}

fn pairs(rules: usize) -> String {
    let mut text = String::from(HEADER);
    for n in 0..rules.div_ceil(2) {
        text.push_str(&format!("  - allow: '*sec{n}*'\n"));
        text.push_str(&format!("  - deny: 'tool{n}:get_x{n}sec{n}*'\n"));
    }
    text
}
