//! The automaton's bytes inside a bundle.
//!
//! Layout (all integers little-endian `u32`): for each kind (action-only, then gated) a
//! chunk count, then per chunk a kind word (`0` per-rule, `1` compiled, `2` compiled
//! dense, for action-only chunks; gated compiled chunks are always dense) followed by its
//! tables and, when compiled, the DFA's length and its bytes as regex-automata
//! serializes them. Deserialization copies
//! the DFA bytes once into an aligned buffer and lets regex-automata validate them; it
//! never rebuilds an automaton. Every length is checked against the input and every rule
//! index against the policy, so hostile bytes yield an error, not a panic.

use regex_automata::dfa::{Automaton as _, dense, sparse};

use super::candidates::CandidateTable;
use super::substrings::SubstringDecider;
use super::tools::ToolTable;
use super::{Automaton, Chunk, DeciderChunk, DeciderDfa, DeciderTable, GatedChunk};

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
    put(&mut out, len_u32(automaton.decider_tools.len()));
    for (tool, part) in automaton.decider_tools.entries() {
        put_bytes(&mut out, tool.as_bytes());
        put_decider_part(&mut out, part);
    }
    put(&mut out, len_u32(automaton.deciders.len()));
    for part in &automaton.deciders {
        put_decider_part(&mut out, part);
    }
    put_substrings(&mut out, &automaton.substrings);
    put(&mut out, len_u32(automaton.gated_tools.len()));
    for (tool, part) in automaton.gated_tools.entries() {
        put_bytes(&mut out, tool.as_bytes());
        put_gated_part(&mut out, part);
    }
    put(&mut out, len_u32(automaton.gated.len()));
    for part in &automaton.gated {
        put_gated_part(&mut out, part);
    }
    put_substrings(&mut out, &automaton.gated_substrings);
    out
}

fn put_substrings(out: &mut Vec<u8>, substrings: &SubstringDecider) {
    put_list(out, &substrings.always);
    put(out, len_u32(substrings.literals.len()));
    for literal in &substrings.literals {
        put_bytes(out, literal.as_bytes());
    }
    put_list(out, &substrings.rule_of_pattern);
    let colons: Vec<u32> = substrings
        .needs_colon_after
        .iter()
        .map(|&c| u32::from(c))
        .collect();
    put_list(out, &colons);
}

fn put_gated_part(out: &mut Vec<u8>, part: &[GatedChunk]) {
    let out = &mut *out;
    put(out, len_u32(part.len()));
    {
        for chunk in part {
            match chunk {
                Chunk::Compiled { dfa, table } => {
                    put(out, 1);
                    put(out, table.first_rule);
                    let flat: Vec<u32> = table.ranges.iter().flat_map(|&(s, l)| [s, l]).collect();
                    put_list(out, &flat);
                    put_list(out, &table.rules);
                    put_dense(out, dfa);
                }
                Chunk::PerRule(rules) => {
                    put(out, 0);
                    put_list(out, rules);
                }
            }
        }
    }
}
fn put_decider_part(out: &mut Vec<u8>, part: &[DeciderChunk]) {
    put(out, len_u32(part.len()));
    for chunk in part {
        match chunk {
            Chunk::Compiled { dfa, table } => match dfa.as_ref() {
                DeciderDfa::Sparse(dfa) => {
                    put(out, 1);
                    put_list(out, &table.rule_of_pattern);
                    put_bytes(out, &dfa.to_bytes_little_endian());
                }
                DeciderDfa::Dense(dfa) => {
                    put(out, 2);
                    put_list(out, &table.rule_of_pattern);
                    put_dense(out, dfa);
                }
            },
            Chunk::PerRule(rules) => {
                put(out, 0);
                put_list(out, rules);
            }
        }
    }
}

fn len_u32(len: usize) -> u32 {
    u32::try_from(len).unwrap_or(u32::MAX)
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

fn put_dense(out: &mut Vec<u8>, dfa: &dense::DFA<Vec<u32>>) {
    let (bytes, padding) = dfa.to_bytes_little_endian();
    put_bytes(out, bytes.get(padding..).unwrap_or(&[]));
}

fn put_bytes(out: &mut Vec<u8>, bytes: &[u8]) {
    put(out, len_u32(bytes.len()));
    out.extend_from_slice(bytes);
}

pub(super) fn from_bytes(
    bytes: &[u8],
    rule_count: usize,
) -> Result<Automaton, AutomatonDecodeError> {
    let mut reader = Reader { bytes, at: 0 };
    let mut decider_tools: Vec<(String, Vec<DeciderChunk>)> = Vec::new();
    for _ in 0..reader.count()? {
        let tool = reader.tool_name()?;
        if decider_tools
            .last()
            .is_some_and(|(previous, _)| *previous >= tool)
        {
            return Err(corrupt("tool names are out of order"));
        }
        let mut part = Vec::new();
        for _ in 0..reader.count()? {
            part.push(reader.decider_chunk(rule_count)?);
        }
        decider_tools.push((tool, part));
    }
    let mut deciders = Vec::new();
    for _ in 0..reader.count()? {
        let mut part = Vec::new();
        for _ in 0..reader.count()? {
            part.push(reader.decider_chunk(rule_count)?);
        }
        deciders.push(part);
    }
    let substrings = reader.substrings(rule_count)?;
    let mut gated_tools: Vec<(String, Vec<GatedChunk>)> = Vec::new();
    for _ in 0..reader.count()? {
        let tool = reader.tool_name()?;
        if gated_tools
            .last()
            .is_some_and(|(previous, _)| *previous >= tool)
        {
            return Err(corrupt("tool names are out of order"));
        }
        let mut part = Vec::new();
        for _ in 0..reader.count()? {
            part.push(reader.gated_chunk(rule_count)?);
        }
        gated_tools.push((tool, part));
    }
    let mut gated = Vec::new();
    for _ in 0..reader.count()? {
        let mut part = Vec::new();
        for _ in 0..reader.count()? {
            part.push(reader.gated_chunk(rule_count)?);
        }
        gated.push(part);
    }
    let gated_substrings = reader.substrings(rule_count)?;
    if reader.at != bytes.len() {
        return Err(corrupt("trailing bytes after the automaton"));
    }
    Ok(Automaton {
        decider_tools: ToolTable::new(decider_tools),
        deciders,
        substrings,
        gated_tools: ToolTable::new(gated_tools),
        gated,
        gated_substrings,
    })
}

/// A compiled decider chunk, once its pattern table is checked against its automaton.
fn decider(
    dfa: DeciderDfa,
    rule_of_pattern: Vec<u32>,
) -> Result<DeciderChunk, AutomatonDecodeError> {
    let patterns = match &dfa {
        DeciderDfa::Dense(dfa) => dfa.pattern_len(),
        DeciderDfa::Sparse(dfa) => dfa.pattern_len(),
    };
    if patterns != rule_of_pattern.len() {
        return Err(corrupt(
            "a decider's pattern table does not match its automaton",
        ));
    }
    Ok(Chunk::Compiled {
        dfa: Box::new(dfa),
        table: DeciderTable { rule_of_pattern },
    })
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

    fn decider_chunk(&mut self, rule_count: usize) -> Result<DeciderChunk, AutomatonDecodeError> {
        Ok(match self.word()? {
            1 => {
                let rule_of_pattern = self.ordered_rule_list(rule_count)?;
                let body = self.bytes_field()?;
                let (dfa, _) = sparse::DFA::from_bytes(body)
                    .map_err(|e| AutomatonDecodeError(format!("corrupt automaton: {e}")))?;
                decider(DeciderDfa::Sparse(dfa.to_owned()), rule_of_pattern)?
            }
            2 => {
                let rule_of_pattern = self.ordered_rule_list(rule_count)?;
                decider(DeciderDfa::Dense(self.dfa()?), rule_of_pattern)?
            }
            0 => Chunk::PerRule(self.ordered_rule_list(rule_count)?),
            _ => return Err(corrupt("unknown chunk kind")),
        })
    }

    fn gated_chunk(&mut self, rule_count: usize) -> Result<GatedChunk, AutomatonDecodeError> {
        Ok(match self.word()? {
            1 => {
                let first_rule = self.word()?;
                let flat = self.list()?;
                let rules = self.rule_list(rule_count)?;
                if flat.len() % 2 != 0 {
                    return Err(corrupt("the candidate table is malformed"));
                }
                let ranges: Vec<(u32, u32)> = flat
                    .chunks_exact(2)
                    .filter_map(|c| Some((*c.first()?, *c.get(1)?)))
                    .collect();
                if ranges
                    .iter()
                    .any(|&(s, l)| s as usize + l as usize > rules.len())
                {
                    return Err(corrupt("the candidate table points outside its rule list"));
                }
                Chunk::Compiled {
                    dfa: Box::new(self.dfa()?),
                    table: CandidateTable {
                        ranges,
                        rules,
                        first_rule,
                    },
                }
            }
            0 => Chunk::PerRule(self.ordered_rule_list(rule_count)?),
            _ => return Err(corrupt("unknown chunk kind")),
        })
    }

    fn substrings(&mut self, rule_count: usize) -> Result<SubstringDecider, AutomatonDecodeError> {
        let always = self.ordered_rule_list(rule_count)?;
        let mut literals = Vec::new();
        for _ in 0..self.count()? {
            let literal = std::str::from_utf8(self.bytes_field()?)
                .map_err(|_| corrupt("a substring is not UTF-8"))?;
            literals.push(literal.to_owned());
        }
        let rule_of_pattern = self.rule_list(rule_count)?;
        let colons = self.list()?;
        if rule_of_pattern.len() != literals.len()
            || colons.len() != literals.len()
            || colons.iter().any(|&c| c > 1)
        {
            return Err(corrupt("the substring table does not match its literals"));
        }
        let needs_colon_after = colons.iter().map(|&c| c == 1).collect();
        SubstringDecider::from_parts(literals, rule_of_pattern, needs_colon_after, always)
            .map_err(AutomatonDecodeError)
    }

    fn tool_name(&mut self) -> Result<String, AutomatonDecodeError> {
        std::str::from_utf8(self.bytes_field()?)
            .map(str::to_owned)
            .map_err(|_| corrupt("a tool name is not UTF-8"))
    }

    fn bytes_field(&mut self) -> Result<&[u8], AutomatonDecodeError> {
        let len = self.word()? as usize;
        self.take(len)
    }

    /// A count of parts or chunks, bounded by the bytes left (each takes at least 4).
    fn count(&mut self) -> Result<usize, AutomatonDecodeError> {
        let count = self.word()? as usize;
        if count.saturating_mul(4) > self.bytes.len().saturating_sub(self.at) {
            return Err(corrupt("truncated"));
        }
        Ok(count)
    }

    fn rule_list(&mut self, rule_count: usize) -> Result<Vec<u32>, AutomatonDecodeError> {
        let list = self.list()?;
        if list.iter().any(|&r| r as usize >= rule_count) {
            return Err(corrupt("a rule index is out of range"));
        }
        Ok(list)
    }

    /// A rule list the evaluator walks in order (pattern tables, per-rule chunks).
    fn ordered_rule_list(&mut self, rule_count: usize) -> Result<Vec<u32>, AutomatonDecodeError> {
        let list = self.rule_list(rule_count)?;
        if list.windows(2).any(|w| w.first() > w.get(1)) {
            return Err(corrupt("rule indices are out of order"));
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
