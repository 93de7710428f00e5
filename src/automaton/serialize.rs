//! The automaton's bytes inside a bundle.
//!
//! Layout (all integers little-endian `u32`): for each group (decider, then gated) a
//! kind word (`0` per-rule, `1` compiled) followed by its tables and, when compiled, the
//! DFA's length and its bytes as regex-automata serializes them. Deserialization copies
//! the DFA bytes once into an aligned buffer and lets regex-automata validate them; it
//! never rebuilds an automaton. Every length is checked against the input and every rule
//! index against the policy, so hostile bytes yield an error, not a panic.

use regex_automata::dfa::{Automaton as _, dense};

use super::candidates::CandidateTable;
use super::{Automaton, DeciderTable, Group};

/// Why automaton bytes could not be used.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AutomatonDecodeError(pub String);

impl std::fmt::Display for AutomatonDecodeError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for AutomatonDecodeError {}

pub(super) fn to_bytes(automaton: &Automaton) -> Vec<u8> {
    let mut out = Vec::new();
    match &automaton.decider {
        Group::Compiled { dfa, table } => {
            put(&mut out, 1);
            put_list(&mut out, &table.rule_of_pattern);
            put_dfa(&mut out, dfa);
        }
        Group::PerRule(rules) => {
            put(&mut out, 0);
            put_list(&mut out, rules);
        }
    }
    match &automaton.gated {
        Group::Compiled { dfa, table } => {
            put(&mut out, 1);
            let flat: Vec<u32> = table.ranges.iter().flat_map(|&(s, l)| [s, l]).collect();
            put_list(&mut out, &flat);
            put_list(&mut out, &table.rules);
            put_dfa(&mut out, dfa);
        }
        Group::PerRule(rules) => {
            put(&mut out, 0);
            put_list(&mut out, rules);
        }
    }
    out
}

fn put(out: &mut Vec<u8>, value: u32) {
    out.extend_from_slice(&value.to_le_bytes());
}

fn put_list(out: &mut Vec<u8>, values: &[u32]) {
    put(out, u32::try_from(values.len()).unwrap_or(u32::MAX));
    for &v in values {
        put(out, v);
    }
}

fn put_dfa(out: &mut Vec<u8>, dfa: &dense::DFA<Vec<u32>>) {
    let (bytes, padding) = dfa.to_bytes_little_endian();
    let body = bytes.get(padding..).unwrap_or(&[]);
    put(out, u32::try_from(body.len()).unwrap_or(u32::MAX));
    out.extend_from_slice(body);
}

pub(super) fn from_bytes(
    bytes: &[u8],
    rule_count: usize,
) -> Result<Automaton, AutomatonDecodeError> {
    let mut reader = Reader { bytes, at: 0 };
    let decider = match reader.word()? {
        1 => {
            let rule_of_pattern = reader.rule_list(rule_count)?;
            let dfa = reader.dfa()?;
            if dfa.pattern_len() != rule_of_pattern.len() {
                return Err(corrupt(
                    "the decider's pattern table does not match its automaton",
                ));
            }
            Group::Compiled {
                dfa: Box::new(dfa),
                table: DeciderTable { rule_of_pattern },
            }
        }
        0 => Group::PerRule(reader.rule_list(rule_count)?),
        _ => return Err(corrupt("unknown decider kind")),
    };
    let gated = match reader.word()? {
        1 => {
            let flat = reader.list()?;
            let rules = reader.rule_list(rule_count)?;
            let ranges: Vec<(u32, u32)> = flat.chunks_exact(2).map(|c| (c[0], c[1])).collect();
            if flat.len() % 2 != 0
                || ranges
                    .iter()
                    .any(|&(s, l)| s as usize + l as usize > rules.len())
            {
                return Err(corrupt("the candidate table points outside its rule list"));
            }
            let dfa = reader.dfa()?;
            Group::Compiled {
                dfa: Box::new(dfa),
                table: CandidateTable { ranges, rules },
            }
        }
        0 => Group::PerRule(reader.rule_list(rule_count)?),
        _ => return Err(corrupt("unknown gated-rules kind")),
    };
    if reader.at != bytes.len() {
        return Err(corrupt("trailing bytes after the automaton"));
    }
    Ok(Automaton { decider, gated })
}

fn corrupt(what: &str) -> AutomatonDecodeError {
    AutomatonDecodeError(format!("corrupt automaton: {what}"))
}

struct Reader<'a> {
    bytes: &'a [u8],
    at: usize,
}

impl Reader<'_> {
    fn take(&mut self, len: usize) -> Result<&[u8], AutomatonDecodeError> {
        let end = self
            .at
            .checked_add(len)
            .ok_or_else(|| corrupt("length overflow"))?;
        let slice = self
            .bytes
            .get(self.at..end)
            .ok_or_else(|| corrupt("truncated"))?;
        self.at = end;
        Ok(slice)
    }

    fn word(&mut self) -> Result<u32, AutomatonDecodeError> {
        let b = self.take(4)?;
        Ok(u32::from_le_bytes([b[0], b[1], b[2], b[3]]))
    }

    fn list(&mut self) -> Result<Vec<u32>, AutomatonDecodeError> {
        let len = self.word()? as usize;
        let body = self.take(
            len.checked_mul(4)
                .ok_or_else(|| corrupt("length overflow"))?,
        )?;
        Ok(body
            .chunks_exact(4)
            .map(|b| u32::from_le_bytes([b[0], b[1], b[2], b[3]]))
            .collect())
    }

    fn rule_list(&mut self, rule_count: usize) -> Result<Vec<u32>, AutomatonDecodeError> {
        let list = self.list()?;
        if list.iter().any(|&r| r as usize >= rule_count) {
            return Err(corrupt("a rule index is out of range"));
        }
        Ok(list)
    }

    fn dfa(&mut self) -> Result<dense::DFA<Vec<u32>>, AutomatonDecodeError> {
        let len = self.word()? as usize;
        let body = self.take(len)?;
        // regex-automata reads DFAs from 4-byte-aligned memory; a bundle read from a file
        // has no such guarantee at this offset, so copy into a u32 buffer first (bytemuck
        // gives the aligned byte view without any unsafe code here).
        let mut aligned = vec![0u32; len.div_ceil(4)];
        bytemuck::cast_slice_mut::<u32, u8>(&mut aligned)
            .get_mut(..len)
            .ok_or_else(|| corrupt("truncated"))?
            .copy_from_slice(body);
        let view = bytemuck::cast_slice::<u32, u8>(&aligned)
            .get(..len)
            .ok_or_else(|| corrupt("truncated"))?;
        let (dfa, _) = dense::DFA::from_bytes(view)
            .map_err(|e| AutomatonDecodeError(format!("corrupt automaton: {e}")))?;
        Ok(dfa.to_owned())
    }
}
