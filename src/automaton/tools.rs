//! The per-tool automata, found by the call's folded tool name.
//!
//! Every call looks its tool up once. A binary search over thousands of sorted names
//! cost a dozen string comparisons per call (15% of a decision at 1,000 rules); a hash
//! map with FNV-1a, which is fast on the short keys tool names are, costs one hash and
//! one comparison. The entries stay a sorted list, which is what the bundle stores; the
//! map is rebuilt from it when a bundle is read.

use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};

/// Automata (or anything else) by folded tool name.
#[derive(Debug, Clone)]
pub(super) struct ToolTable<C> {
    entries: Vec<(String, Vec<C>)>,
    index: HashMap<Box<[u8]>, usize, BuildHasherDefault<Fnv1a>>,
}

impl<C> ToolTable<C> {
    /// A table over `entries`, sorted by name with no name twice.
    pub(super) fn new(entries: Vec<(String, Vec<C>)>) -> ToolTable<C> {
        let index = entries
            .iter()
            .enumerate()
            .map(|(at, (name, _))| (Box::<[u8]>::from(name.as_bytes()), at))
            .collect();
        ToolTable { entries, index }
    }

    /// The chunks of the tool whose folded name is `segment`.
    pub(super) fn get(&self, segment: &[u8]) -> Option<&[C]> {
        let at = *self.index.get(segment)?;
        self.entries.get(at).map(|(_, chunks)| chunks.as_slice())
    }

    pub(super) fn entries(&self) -> &[(String, Vec<C>)] {
        &self.entries
    }

    pub(super) fn len(&self) -> usize {
        self.entries.len()
    }
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
}
