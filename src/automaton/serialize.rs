//! The automaton's bytes inside a bundle.
//!
//! Layout (integers LEB128 varints, which keeps the per-tool tables of a policy with
//! thousands of tools small, except the hash slots): first the *DFA pool*, every
//! distinct DFA once: a count, then per DFA its kind (`1` sparse, `2` dense), offset and
//! length, then the pool's length and its bytes, each DFA at a 4-byte-aligned offset.
//! Then the structure: for each kind (action-only, then gated) the per-tool table (the
//! layout in `tools.rs`: record lengths, fixed-width hash slots, records of name and
//! part), the shared parts and the substring table. A part is a chunk count and per
//! chunk a kind word (`0` per-rule, `1` compiled) followed by its tables and, when
//! compiled, the index of its DFA in the pool.
//!
//! Most of a large policy's tools hold the same method patterns in the same order
//! (`github17:list_*` and `github18:list_*` both read `list_*` after the tool), so their
//! DFAs are byte-identical and the pool stores them once; the per-tool tables keep only
//! the rule indices. Loading copies the pool once into one aligned buffer, lets
//! regex-automata validate each distinct DFA in place there, and shares each among the
//! tools that use it: no automaton is rebuilt. The per-tool tables are read in place and
//! a tool's part is decoded when a call first names the tool. Every length is checked
//! against the input and every rule index against the policy, so hostile bytes yield an
//! error (at load, or a fail-closed evaluator when a part is first used), not a panic.

use std::sync::Arc;

use regex_automata::dfa::{Automaton as _, dense, sparse};

use super::candidates::CandidateTable;
use super::substrings::SubstringDecider;
use super::tools::{InPlace, ToolTable, build_slots, slot_bits};
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
    let mut pool = Pool::default();
    let mut out = Vec::new();
    put_tool_table(
        &mut out,
        &mut pool,
        &automaton.decider_tools.entries(),
        put_decider_part,
    );
    put(&mut out, len_u32(automaton.deciders.len()));
    for part in &automaton.deciders {
        put_decider_part(&mut out, &mut pool, part);
    }
    put_substrings(&mut out, &automaton.substrings);
    put_tool_table(
        &mut out,
        &mut pool,
        &automaton.gated_tools.entries(),
        put_gated_part,
    );
    put(&mut out, len_u32(automaton.gated.len()));
    for part in &automaton.gated {
        put_gated_part(&mut out, &mut pool, part);
    }
    put_substrings(&mut out, &automaton.gated_substrings);
    let mut section = pool.to_bytes();
    section.extend_from_slice(&out);
    section
}

/// A tool table in the layout [`ToolTable::InPlace`] reads: count, slot bits, slot
/// width, the record lengths, the hash slots, the records (name, then part).
fn put_tool_table<C>(
    out: &mut Vec<u8>,
    pool: &mut Pool,
    entries: &[(&str, &[C])],
    put_part: fn(&mut Vec<u8>, &mut Pool, &[C]),
) {
    let records: Vec<Vec<u8>> = entries
        .iter()
        .map(|(name, part)| {
            let mut record = Vec::new();
            put_bytes(&mut record, name.as_bytes());
            put_part(&mut record, pool, part);
            record
        })
        .collect();
    let bits = slot_bits(entries.len());
    let width = if entries.len() < 0xffff { 2 } else { 4 };
    put(out, len_u32(entries.len()));
    put(out, bits);
    put(out, width);
    for record in &records {
        put(out, len_u32(record.len()));
    }
    for slot in build_slots(entries.iter().map(|(name, _)| name.as_bytes()), bits) {
        let bytes = slot.to_le_bytes();
        out.extend_from_slice(bytes.get(..width as usize).unwrap_or(&bytes));
    }
    for record in &records {
        out.extend_from_slice(record);
    }
}

const SPARSE: u32 = 1;
const DENSE: u32 = 2;

/// Every distinct DFA once, in first-use order (so bundles stay deterministic).
#[derive(Default)]
struct Pool {
    entries: Vec<(u32, u32, u32)>,
    bytes: Vec<u8>,
    index: std::collections::HashMap<(u32, Vec<u8>), u32>,
}

impl Pool {
    /// The index of a DFA's bytes, adding them if they are new.
    fn intern(&mut self, kind: u32, dfa: Vec<u8>) -> u32 {
        let next = len_u32(self.entries.len());
        let Pool { entries, bytes, .. } = self;
        *self
            .index
            .entry((kind, dfa))
            .or_insert_with_key(|(_, dfa)| {
                bytes.resize(bytes.len().next_multiple_of(4), 0);
                entries.push((kind, len_u32(bytes.len()), len_u32(dfa.len())));
                bytes.extend_from_slice(dfa);
                next
            })
    }

    fn to_bytes(&self) -> Vec<u8> {
        let mut out = Vec::with_capacity(self.bytes.len() + self.entries.len() * 12 + 8);
        put(&mut out, len_u32(self.entries.len()));
        for &(kind, offset, len) in &self.entries {
            put(&mut out, kind);
            put(&mut out, offset);
            put(&mut out, len);
        }
        put_bytes(&mut out, &self.bytes);
        out
    }
}

fn dense_bytes(dfa: &dense::DFA<Vec<u32>>) -> Vec<u8> {
    let (bytes, padding) = dfa.to_bytes_little_endian();
    bytes.get(padding..).unwrap_or(&[]).to_vec()
}

fn put_substrings(out: &mut Vec<u8>, substrings: &SubstringDecider) {
    put_ordered(out, &substrings.always);
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

fn put_gated_part(out: &mut Vec<u8>, pool: &mut Pool, part: &[GatedChunk]) {
    put(out, len_u32(part.len()));
    for chunk in part {
        match chunk {
            Chunk::Compiled { dfa, table } => {
                put(out, 1);
                put(out, table.first_rule);
                let flat: Vec<u32> = table.ranges.iter().flat_map(|&(s, l)| [s, l]).collect();
                put_list(out, &flat);
                put_list(out, &table.rules);
                put(out, pool.intern(DENSE, dense_bytes(dfa)));
            }
            Chunk::PerRule(rules) => {
                put(out, 0);
                put_ordered(out, rules);
            }
        }
    }
}

fn put_decider_part(out: &mut Vec<u8>, pool: &mut Pool, part: &[DeciderChunk]) {
    put(out, len_u32(part.len()));
    for chunk in part {
        match chunk {
            Chunk::Compiled { dfa, table } => {
                put(out, 1);
                put_ordered(out, &table.rule_of_pattern);
                let index = match dfa {
                    DeciderDfa::Sparse(dfa) => pool.intern(SPARSE, dfa.to_bytes_little_endian()),
                    DeciderDfa::Dense(dfa) => pool.intern(DENSE, dense_bytes(dfa)),
                };
                put(out, index);
            }
            Chunk::PerRule(rules) => {
                put(out, 0);
                put_ordered(out, rules);
            }
        }
    }
}

fn len_u32(len: usize) -> u32 {
    u32::try_from(len).unwrap_or(u32::MAX)
}

fn put(out: &mut Vec<u8>, value: u32) {
    let mut value = value;
    while value >= 0x80 {
        out.push((value & 0x7f) as u8 | 0x80);
        value >>= 7;
    }
    out.push(value as u8);
}

/// An ascending rule list as its first value and then the differences, which are
/// small: a tool's rules are usually near each other, so most take one byte instead of
/// two (10 KB of the 10,000-rule benchmark bundle).
fn put_ordered(out: &mut Vec<u8>, values: &[u32]) {
    put(out, len_u32(values.len()));
    let mut previous = 0;
    for &v in values {
        put(out, v.wrapping_sub(previous));
        previous = v;
    }
}

fn put_list(out: &mut Vec<u8>, values: &[u32]) {
    put(out, u32::try_from(values.len()).unwrap_or(u32::MAX));
    for &v in values {
        put(out, v);
    }
}

fn put_bytes(out: &mut Vec<u8>, bytes: &[u8]) {
    put(out, len_u32(bytes.len()));
    out.extend_from_slice(bytes);
}

/// Read the automaton section at `range` of a bundle's (shared, verified) body. The
/// DFA pool and the shared parts are decoded and validated now; the per-tool tables are
/// read in place and each tool's part is decoded on first use (`tools.rs`).
pub(super) fn from_shared(
    body: &Arc<[u8]>,
    range: std::ops::Range<usize>,
    rule_count: usize,
) -> Result<Automaton, AutomatonDecodeError> {
    let bytes = body
        .get(range.clone())
        .ok_or_else(|| corrupt("truncated"))?;
    let (pool, at) = read_pool(bytes)?;
    let pool: Arc<[DeciderDfa]> = pool.into();
    let mut reader = Reader {
        bytes,
        at,
        pool: &pool,
    };
    let decider_tools = InPlace::read(
        &mut reader,
        body,
        range.start,
        &pool,
        rule_count,
        decider_chunk,
    )?;
    let mut deciders = Vec::new();
    for _ in 0..reader.count()? {
        let mut part = Vec::new();
        for _ in 0..reader.count()? {
            part.push(reader.decider_chunk(rule_count)?);
        }
        deciders.push(part);
    }
    let substrings = reader.substrings(rule_count)?;
    let gated_tools = InPlace::read(
        &mut reader,
        body,
        range.start,
        &pool,
        rule_count,
        gated_chunk,
    )?;
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
        decider_tools: ToolTable::InPlace(Arc::new(decider_tools)),
        deciders,
        substrings,
        gated_tools: ToolTable::InPlace(Arc::new(gated_tools)),
        gated,
        gated_substrings,
    })
}

/// The DFA pool at the start of the section, and where the structure after it starts.
fn read_pool(bytes: &[u8]) -> Result<(Vec<DeciderDfa>, usize), AutomatonDecodeError> {
    let mut reader = Reader::new(bytes, &[]);
    let pool = reader.pool()?;
    Ok((pool, reader.at))
}

fn decider_chunk(
    reader: &mut Reader<'_>,
    rule_count: usize,
) -> Result<DeciderChunk, AutomatonDecodeError> {
    reader.decider_chunk(rule_count)
}

fn gated_chunk(
    reader: &mut Reader<'_>,
    rule_count: usize,
) -> Result<GatedChunk, AutomatonDecodeError> {
    reader.gated_chunk(rule_count)
}

/// A compiled decider chunk, once its pattern table is checked against its automaton.
fn decider(
    dfa: &DeciderDfa,
    rule_of_pattern: Vec<u32>,
) -> Result<DeciderChunk, AutomatonDecodeError> {
    let patterns = match &dfa {
        DeciderDfa::Dense(dfa) => dfa.pattern_len(),
        DeciderDfa::Sparse(dfa) => dfa.pattern_len(),
    };
    let dfa = dfa.clone();
    if patterns != rule_of_pattern.len() {
        return Err(corrupt(
            "a decider's pattern table does not match its automaton",
        ));
    }
    Ok(Chunk::Compiled {
        dfa,
        table: DeciderTable { rule_of_pattern },
    })
}

pub(super) fn corrupt(what: &str) -> AutomatonDecodeError {
    AutomatonDecodeError(format!("corrupt automaton: {what}"))
}

/// A bounds-checked varint reader over automaton bytes.
pub(super) struct Reader<'a> {
    bytes: &'a [u8],
    pub(super) at: usize,
    /// The distinct DFAs, each validated once and shared by the chunks that use it.
    pool: &'a [DeciderDfa],
}

impl<'a> Reader<'a> {
    pub(super) fn new(bytes: &'a [u8], pool: &'a [DeciderDfa]) -> Reader<'a> {
        Reader { bytes, at: 0, pool }
    }

    pub(super) fn take(&mut self, len: usize) -> Result<&'a [u8], AutomatonDecodeError> {
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

    pub(super) fn word(&mut self) -> Result<u32, AutomatonDecodeError> {
        let mut value: u32 = 0;
        for shift in [0, 7, 14, 21, 28] {
            let byte = *self.take(1)?.first().ok_or_else(|| corrupt("truncated"))?;
            let bits = u32::from(byte & 0x7f);
            if shift == 28 && bits > 0x0f {
                return Err(corrupt("an integer overflows"));
            }
            value |= bits << shift;
            if byte & 0x80 == 0 {
                return Ok(value);
            }
        }
        Err(corrupt("an integer overflows"))
    }

    fn list(&mut self) -> Result<Vec<u32>, AutomatonDecodeError> {
        let len = self.count()?;
        (0..len).map(|_| self.word()).collect()
    }

    fn decider_chunk(&mut self, rule_count: usize) -> Result<DeciderChunk, AutomatonDecodeError> {
        Ok(match self.word()? {
            1 => {
                let rule_of_pattern = self.ordered_rule_list(rule_count)?;
                let index = self.word()? as usize;
                let dfa = self
                    .pool
                    .get(index)
                    .ok_or_else(|| corrupt("a DFA index is out of range"))?;
                decider(dfa, rule_of_pattern)?
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
                let index = self.word()? as usize;
                let Some(DeciderDfa::Dense(dfa)) = self.pool.get(index) else {
                    return Err(corrupt("a gated chunk's DFA is missing or not dense"));
                };
                Chunk::Compiled {
                    dfa: Arc::clone(dfa),
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

    /// The DFA pool: its table, then its bytes, copied once into one aligned buffer in
    /// which regex-automata validates each DFA (dense DFAs are read as `u32`s and need
    /// 4-byte alignment, which a file's bytes do not have; bytemuck gives the aligned
    /// byte view without `unsafe`).
    fn pool(&mut self) -> Result<Vec<DeciderDfa>, AutomatonDecodeError> {
        let count = self.count()?;
        let mut entries = Vec::with_capacity(count);
        for _ in 0..count {
            entries.push((self.word()?, self.word()? as usize, self.word()? as usize));
        }
        let blob = self.bytes_field()?;
        let mut aligned = vec![0u32; blob.len().div_ceil(4)];
        bytemuck::cast_slice_mut::<u32, u8>(&mut aligned)
            .get_mut(..blob.len())
            .ok_or_else(|| corrupt("truncated"))?
            .copy_from_slice(blob);
        let view = bytemuck::cast_slice::<u32, u8>(&aligned);
        entries
            .into_iter()
            .map(|(kind, offset, len)| {
                let bytes = offset
                    .checked_add(len)
                    .filter(|_| offset % 4 == 0 && offset + len <= blob.len())
                    .and_then(|end| view.get(offset..end))
                    .ok_or_else(|| corrupt("a DFA lies outside the pool"))?;
                let invalid = |e: regex_automata::util::wire::DeserializeError| {
                    AutomatonDecodeError(format!("corrupt automaton: {e}"))
                };
                match kind {
                    DENSE => {
                        let (dfa, _) = dense::DFA::from_bytes(bytes).map_err(invalid)?;
                        Ok(DeciderDfa::Dense(Arc::new(dfa.to_owned())))
                    }
                    SPARSE => {
                        let (dfa, _) = sparse::DFA::from_bytes(bytes).map_err(invalid)?;
                        Ok(DeciderDfa::Sparse(Arc::new(dfa.to_owned())))
                    }
                    _ => Err(corrupt("unknown DFA kind")),
                }
            })
            .collect()
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

    pub(super) fn bytes_field(&mut self) -> Result<&'a [u8], AutomatonDecodeError> {
        let len = self.word()? as usize;
        self.take(len)
    }

    /// A count of items, bounded by the bytes left (each takes at least one).
    pub(super) fn count(&mut self) -> Result<usize, AutomatonDecodeError> {
        let count = self.word()? as usize;
        if count > self.bytes.len().saturating_sub(self.at) {
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

    /// A rule list the evaluator walks in order (pattern tables, per-rule chunks),
    /// stored as differences (see [`put_ordered`]), so it is ascending by construction.
    fn ordered_rule_list(&mut self, rule_count: usize) -> Result<Vec<u32>, AutomatonDecodeError> {
        let len = self.count()?;
        let mut list = Vec::with_capacity(len);
        let mut previous: u32 = 0;
        for _ in 0..len {
            let value = previous
                .checked_add(self.word()?)
                .filter(|&v| (v as usize) < rule_count)
                .ok_or_else(|| corrupt("a rule index is out of range"))?;
            list.push(value);
            previous = value;
        }
        Ok(list)
    }
}
