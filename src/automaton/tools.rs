//! The per-tool automata, found by the call's folded tool name.
//!
//! Every call looks its tool up once. A binary search over thousands of sorted names
//! cost a dozen string comparisons per call (15% of a decision at 1,000 rules); a hash
//! table with FNV-1a, which is fast on the short keys tool names are, costs one hash and
//! one comparison.
//!
//! Two representations with one lookup. A policy compiled from its document holds
//! [`ToolTable::Built`]: owned entries and a slot index over them, built the same way. A policy read from a bundle holds
//! [`ToolTable::InPlace`]: the bundle stores the open-addressing table itself (`u16`
//! slots, or `u32` past 65,534 tools) next to the tool records, so loading reads a
//! varint length per tool and nothing else; rebuilding 11,000 names, parts and map
//! entries was an eighth of a format-3 load, and freeing them more. A tool's part (its
//! chunks) is decoded the first time a call names that tool, then kept.

use std::hash::Hasher;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, OnceLock};

use super::DeciderDfa;
use super::serialize::{AutomatonDecodeError, Reader, corrupt};

/// Automata (or anything else) by folded tool name.
#[derive(Debug, Clone)]
pub(super) enum ToolTable<C> {
    Built {
        entries: Vec<(String, Vec<C>)>,
        /// Open addressing by [`fnv1a`] of the name, linear probing, at most half full:
        /// each slot is an entry's index + 1, 0 when empty. A `HashMap<Box<[u8]>, _>`
        /// hashed the key's length prefix too and cost about 180 instructions a lookup
        /// on a 10-tool policy (a sixth of a decision); this costs the hash of the name,
        /// a slot read and one comparison.
        slots: Box<[u32]>,
    },
    InPlace(Arc<InPlace<C>>),
}

impl<C> ToolTable<C> {
    /// A table over `entries`, sorted by name with no name twice.
    pub(super) fn new(entries: Vec<(String, Vec<C>)>) -> ToolTable<C> {
        let size = (entries.len() * 2).max(1).next_power_of_two();
        let mut slots = vec![0u32; size].into_boxed_slice();
        let mask = size - 1;
        for (at, (name, _)) in entries.iter().enumerate() {
            let mut slot = fnv1a(name.as_bytes()) as usize & mask;
            while slots.get(slot).is_some_and(|&s| s != 0) {
                slot = (slot + 1) & mask;
            }
            if let Some(free) = slots.get_mut(slot) {
                *free = u32::try_from(at + 1).unwrap_or(u32::MAX);
            }
        }
        ToolTable::Built { entries, slots }
    }

    /// The chunks of the tool whose folded name is `segment`.
    pub(super) fn get(&self, segment: &[u8]) -> Option<&[C]> {
        match self {
            ToolTable::Built { entries, slots } => {
                if entries.is_empty() {
                    return None;
                }
                let mask = slots.len() - 1;
                let mut slot = fnv1a(segment) as usize & mask;
                // At most half full, so an empty slot ends every probe.
                loop {
                    let at = (*slots.get(slot)? as usize).checked_sub(1)?;
                    let (name, chunks) = entries.get(at)?;
                    if name.as_bytes() == segment {
                        return Some(chunks.as_slice());
                    }
                    slot = (slot + 1) & mask;
                }
            }
            ToolTable::InPlace(table) => table.get(segment),
        }
    }

    /// Every tool and its chunks, sorted by name (for writing a bundle, `inspect` and
    /// memory accounting; decodes every part of an in-place table).
    pub(super) fn entries(&self) -> Vec<(&str, &[C])> {
        match self {
            ToolTable::Built { entries, .. } => entries
                .iter()
                .map(|(name, chunks)| (name.as_str(), chunks.as_slice()))
                .collect(),
            ToolTable::InPlace(table) => (0..table.len())
                .filter_map(|tool| {
                    let (name, chunks) = table.entry(tool)?;
                    Some((std::str::from_utf8(name).ok()?, chunks))
                })
                .collect(),
        }
    }

    pub(super) fn len(&self) -> usize {
        match self {
            ToolTable::Built { entries, .. } => entries.len(),
            ToolTable::InPlace(table) => table.len(),
        }
    }

    /// Whether an in-place part failed to decode when first used.
    pub(super) fn is_corrupt(&self) -> bool {
        match self {
            ToolTable::Built { .. } => false,
            ToolTable::InPlace(table) => table.corrupt.load(Ordering::Relaxed),
        }
    }

    /// Decode every part and check that every name is UTF-8, sorted, and found by its
    /// own lookup (`guardc inspect`).
    pub(super) fn validate(&self) -> Result<(), AutomatonDecodeError> {
        let ToolTable::InPlace(table) = self else {
            return Ok(());
        };
        let mut previous: Option<&[u8]> = None;
        for tool in 0..table.len() {
            let (name, chunks) = table.entry(tool).ok_or_else(|| corrupt("a tool record"))?;
            std::str::from_utf8(name).map_err(|_| corrupt("a tool name is not UTF-8"))?;
            if previous.is_some_and(|p| p >= name) {
                return Err(corrupt("tool names are out of order"));
            }
            previous = Some(name);
            if !table
                .get(name)
                .is_some_and(|found| std::ptr::eq(found, chunks))
            {
                return Err(corrupt("the tool hash table does not find a tool"));
            }
        }
        if table.corrupt.load(Ordering::Relaxed) {
            return Err(corrupt("a tool's automaton part does not decode"));
        }
        Ok(())
    }
}

/// Decodes one chunk of a part from a tool record.
pub(super) type ChunkDecoder<C> = fn(&mut Reader<'_>, usize) -> Result<C, AutomatonDecodeError>;

/// A bundle's tool table, read in place (see the module comment). Layout, from
/// `table_at` in the shared body: the tool count, the slot count's log2 and the slot
/// width in bytes (varints), one varint record length per tool, the slots (each the
/// tool's index + 1, 0 when empty, little-endian), then the records (the folded name,
/// length-prefixed, followed by the part).
pub(super) struct InPlace<C> {
    body: Arc<[u8]>,
    pool: Arc<[DeciderDfa]>,
    rule_count: usize,
    decode: ChunkDecoder<C>,
    /// The hash slots, widened once at load (32 KB for 11,000 tools, microseconds): a
    /// lookup then reads a `u32`, not a width-dependent slice of the body.
    slots: Box<[u32]>,
    slot_mask: usize,
    /// Record offsets in `body`, one more than there are tools.
    offsets: Box<[u32]>,
    parts: Box<[OnceLock<Option<Vec<C>>>]>,
    corrupt: AtomicBool,
}

impl<C> std::fmt::Debug for InPlace<C> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("InPlace")
            .field("tools", &self.len())
            .field("slots", &(self.slot_mask + 1))
            .finish_non_exhaustive()
    }
}

/// The log2 of the slot count for `tools` names: at most three quarters full, so a
/// lookup of a missing tool stops at an empty slot after a few probes.
pub(super) fn slot_bits(tools: usize) -> u32 {
    let wanted = (tools + tools / 3).max(1).next_power_of_two();
    wanted.trailing_zeros()
}

/// The slots for `names` (in table order) with linear probing.
pub(super) fn build_slots<'a>(names: impl Iterator<Item = &'a [u8]>, bits: u32) -> Vec<u32> {
    let mask = (1usize << bits) - 1;
    let mut slots = vec![0u32; 1 << bits];
    for (tool, name) in names.enumerate() {
        let mut at = fnv1a(name) as usize & mask;
        while slots.get(at).is_some_and(|&s| s != 0) {
            at = (at + 1) & mask;
        }
        if let Some(slot) = slots.get_mut(at) {
            *slot = u32::try_from(tool + 1).unwrap_or(u32::MAX);
        }
    }
    slots
}

impl<C> InPlace<C> {
    /// Read the table's header and record lengths at `reader`'s position, leaving the
    /// reader after the records. Parts are not decoded.
    pub(super) fn read(
        reader: &mut Reader<'_>,
        body: &Arc<[u8]>,
        base: usize,
        pool: &Arc<[DeciderDfa]>,
        rule_count: usize,
        decode: ChunkDecoder<C>,
    ) -> Result<InPlace<C>, AutomatonDecodeError> {
        let tools = reader.count()?;
        let bits = reader.word()?;
        let slot_width = reader.word()? as usize;
        if bits > 31 || ![2, 4].contains(&slot_width) || (slot_width == 2 && tools >= 0xffff) {
            return Err(corrupt("the tool table's header is malformed"));
        }
        let slot_count = 1usize << bits;
        if slot_count < tools {
            return Err(corrupt("the tool table has fewer slots than tools"));
        }
        let mut lengths = Vec::with_capacity(tools);
        for _ in 0..tools {
            lengths.push(reader.word()? as usize);
        }
        let slots = reader
            .take(slot_count * slot_width)?
            .chunks_exact(slot_width)
            .map(|b| match *b {
                [a, b] => u32::from(u16::from_le_bytes([a, b])),
                [a, b, c, d] => u32::from_le_bytes([a, b, c, d]),
                _ => 0,
            })
            .collect();
        let mut offsets = Vec::with_capacity(tools + 1);
        let mut at = base + reader.at;
        for length in lengths {
            offsets.push(u32::try_from(at).map_err(|_| corrupt("too large"))?);
            at += length;
        }
        offsets.push(u32::try_from(at).map_err(|_| corrupt("too large"))?);
        reader.take(at - base - reader.at)?;
        Ok(InPlace {
            body: Arc::clone(body),
            pool: Arc::clone(pool),
            rule_count,
            decode,
            slots,
            slot_mask: slot_count - 1,
            offsets: offsets.into_boxed_slice(),
            parts: (0..tools).map(|_| OnceLock::new()).collect(),
            corrupt: AtomicBool::new(false),
        })
    }

    fn len(&self) -> usize {
        self.parts.len()
    }

    /// A tool's name and the bytes of its part.
    fn record(&self, tool: usize) -> Option<(&[u8], &[u8])> {
        let start = *self.offsets.get(tool)? as usize;
        let end = *self.offsets.get(tool + 1)? as usize;
        let record = self.body.get(start..end)?;
        // Every call looks a name up: a one-byte length (names under 128 bytes) is read
        // directly, longer ones through the checked varint reader.
        let (name, at) = match record.first() {
            Some(&len) if len < 0x80 => {
                (record.get(1..1 + usize::from(len))?, 1 + usize::from(len))
            }
            _ => {
                let mut reader = Reader::new(record, &[]);
                let name = reader.bytes_field().ok()?;
                (name, reader.at)
            }
        };
        Some((name, record.get(at..)?))
    }

    fn get(&self, segment: &[u8]) -> Option<&[C]> {
        let mut at = fnv1a(segment) as usize & self.slot_mask;
        for _ in 0..=self.slot_mask {
            let tool = (*self.slots.get(at)? as usize).checked_sub(1)?;
            if let Some((name, part)) = self.record(tool) {
                if name == segment {
                    return Some(self.part(tool, part));
                }
            }
            at = (at + 1) & self.slot_mask;
        }
        None
    }

    fn entry(&self, tool: usize) -> Option<(&[u8], &[C])> {
        let (name, part) = self.record(tool)?;
        Some((name, self.part(tool, part)))
    }

    /// A tool's chunks, decoded on first use. A part that does not decode marks the
    /// table corrupt (the evaluator then fails closed) and reads as empty.
    fn part(&self, tool: usize, bytes: &[u8]) -> &[C] {
        let Some(slot) = self.parts.get(tool) else {
            return &[];
        };
        let decoded = slot.get_or_init(|| {
            let mut reader = Reader::new(bytes, &self.pool);
            let part = (|| {
                let count = reader.count()?;
                let mut chunks = Vec::with_capacity(count);
                for _ in 0..count {
                    chunks.push((self.decode)(&mut reader, self.rule_count)?);
                }
                if reader.at != bytes.len() {
                    return Err(corrupt("trailing bytes after a tool's part"));
                }
                Ok::<_, AutomatonDecodeError>(chunks)
            })();
            if part.is_err() {
                self.corrupt.store(true, Ordering::Relaxed);
            }
            part.ok()
        });
        decoded.as_deref().unwrap_or(&[])
    }
}

/// FNV-1a over a name's bytes (what the bundle's slots are computed with; unlike
/// `Hash for [u8]`, no length prefix, so it is the same on every platform).
pub(super) fn fnv1a(bytes: &[u8]) -> u64 {
    let mut hasher = Fnv1a::default();
    hasher.write(bytes);
    hasher.finish()
}

/// The 64-bit FNV-1a hash. Not resistant to chosen collisions, which is acceptable
/// here: the keys are the policy's own tool names, fixed when it is compiled, and a
/// colliding call only costs a longer probe, never a wrong answer.
#[derive(Debug, Clone, Copy)]
pub(super) struct Fnv1a(u64);

impl Default for Fnv1a {
    fn default() -> Self {
        Fnv1a(0xcbf2_9ce4_8422_2325)
    }
}

impl Hasher for Fnv1a {
    fn finish(&self) -> u64 {
        self.0
    }

    fn write(&mut self, bytes: &[u8]) {
        for &byte in bytes {
            self.0 = (self.0 ^ u64::from(byte)).wrapping_mul(0x0000_0100_0000_01b3);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::ToolTable;

    #[test]
    fn finds_each_tool_and_nothing_else() {
        let table = ToolTable::new(vec![
            ("bash".to_owned(), vec![1]),
            ("github".to_owned(), vec![2, 3]),
            ("straße".to_owned(), vec![4]),
        ]);
        assert_eq!(table.get(b"bash"), Some(&[1][..]));
        assert_eq!(table.get(b"github"), Some(&[2, 3][..]));
        assert_eq!(table.get("straße".as_bytes()), Some(&[4][..]));
        assert_eq!(table.get(b"Bash"), None);
        assert_eq!(table.get(b""), None);
        assert_eq!(table.len(), 3);
    }

    #[test]
    fn slots_leave_a_quarter_empty() {
        assert_eq!(super::slot_bits(0), 0);
        assert_eq!(super::slot_bits(3), 2);
        assert_eq!(super::slot_bits(11_474), 14);
        let names: [&[u8]; 3] = [b"a", b"b", b"c"];
        let slots = super::build_slots(names.into_iter(), 2);
        let mut used: Vec<u32> = slots.into_iter().filter(|&s| s != 0).collect();
        used.sort_unstable();
        assert_eq!(used, [1, 2, 3]);
    }
}
