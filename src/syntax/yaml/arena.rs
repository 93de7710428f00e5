//! The intermediate, alias-sharing tree the YAML builder produces before the final
//! [`Node`] tree exists.
//!
//! An alias is stored as a reference to its anchored node, and merge keys reuse the
//! entries of the merged mappings by index, so nothing is copied while the document is
//! read. Every node knows how many nodes and how many levels it will expand to; the
//! builder checks those numbers against the limits, and only a document that passes is
//! copied out into the owned tree. This is what makes an alias bomb fail in microseconds
//! instead of after copying millions of nodes.

use std::collections::HashMap;

use crate::python::PyValue;
use crate::source::Span;
use crate::syntax::{DuplicateKey, MapEntry, Mapping, Node, NodeKind, ScalarStyle};

#[derive(Debug)]
pub(super) struct Raw {
    pub(super) kind: RawKind,
    pub(super) span: Span,
    pub(super) style: ScalarStyle,
    /// Nodes this one expands to (itself included), saturating.
    pub(super) size: usize,
    /// Collection levels this one expands to (0 for a scalar).
    pub(super) height: usize,
}

#[derive(Debug)]
pub(super) enum RawKind {
    /// A scalar value (never a collection kind).
    Leaf(NodeKind),
    Seq(Vec<usize>),
    Map(RawMap),
    /// An alias to an earlier, complete node.
    Alias(usize),
    /// An alias inside the collection its anchor names (`&a [*a]`). Python builds a
    /// value that contains itself; the owned tree cannot, so the alias becomes an empty
    /// collection of the same kind. The reference refuses or ignores such a value
    /// wherever it is used as a pattern, rule or key, and so does guardc with the empty
    /// stand-in; only its rendering differs (`[]` for Python's `[...]`).
    Recursive {
        mapping: bool,
    },
}

#[derive(Debug, Default)]
pub(super) struct RawMap {
    /// One `(key, value)` per distinct key, merges already applied.
    pub(super) entries: Vec<(usize, usize)>,
    pub(super) duplicates: Vec<DuplicateKey>,
    /// `!!set`: only the keys become members.
    pub(super) as_set: bool,
}

/// A mapping key as Python's `dict` compares it: `1`, `1.0` and `True` are one key,
/// strings compare by text.
#[derive(Debug, PartialEq, Eq, Hash)]
pub(super) enum KeyId<'a> {
    None,
    Int(i128),
    Float(u64),
    Str(&'a str),
    Bytes(&'a [u8]),
    Date(&'a str),
    DateTime(&'a str),
    /// NaN. PyYAML returns one shared NaN object for every `.nan`, and `dict` finds a
    /// key by identity before equality, so all `.nan` keys are the same key.
    Nan,
}

#[derive(Debug, Default)]
pub(super) struct Arena {
    nodes: Vec<Raw>,
    /// Nodes reachable more than once (anchored, or merged into another mapping):
    /// their subtrees are cloned out, every other node is moved out.
    shared: Vec<bool>,
}

impl Arena {
    /// An arena sized for a document of `bytes` bytes: policies average one node per 8
    /// to 12 bytes, and growing a multi-megabyte node vector by doubling copied it
    /// about 20 times. The guess is capped (at about 10 MB of nodes) so that a large
    /// document made of a few long scalars does not reserve memory it never uses.
    pub(super) fn for_document(bytes: usize) -> Self {
        let nodes = (bytes / 10).min(1 << 17);
        Self {
            nodes: Vec::with_capacity(nodes),
            shared: Vec::with_capacity(nodes),
        }
    }

    pub(super) fn push(&mut self, raw: Raw) -> usize {
        self.nodes.push(raw);
        self.shared.push(false);
        self.nodes.len() - 1
    }

    pub(super) fn mark_shared(&mut self, index: usize) {
        if let Some(flag) = self.shared.get_mut(index) {
            *flag = true;
        }
    }

    pub(super) fn get(&self, index: usize) -> Option<&Raw> {
        self.nodes.get(index)
    }

    pub(super) fn size(&self, index: usize) -> usize {
        self.get(index).map_or(0, |r| r.size)
    }

    pub(super) fn height(&self, index: usize) -> usize {
        self.get(index).map_or(0, |r| r.height)
    }

    pub(super) fn span(&self, index: usize) -> Span {
        self.get(index).map_or_else(Span::default, |r| r.span)
    }

    /// The node an alias stands for (the node itself otherwise).
    pub(super) fn deref(&self, index: usize) -> usize {
        match self.get(index).map(|r| &r.kind) {
            Some(RawKind::Alias(target)) => *target,
            _ => index,
        }
    }

    fn leaf(&self, index: usize) -> Option<&NodeKind> {
        match &self.get(self.deref(index))?.kind {
            RawKind::Leaf(kind) => Some(kind),
            _ => None,
        }
    }

    /// PyYAML's node kind name (`scalar`, `sequence`, `mapping`) for messages.
    pub(super) fn node_id(&self, index: usize) -> &'static str {
        match self.get(self.deref(index)).map(|r| &r.kind) {
            Some(RawKind::Seq(_) | RawKind::Recursive { mapping: false }) => "sequence",
            Some(RawKind::Map(_) | RawKind::Recursive { mapping: true }) => "mapping",
            _ => "scalar",
        }
    }

    /// The dict identity of a key, or `None` when Python could not hash it (a list,
    /// a dict or a set as a key).
    pub(super) fn key_id(&self, index: usize) -> Option<KeyId<'_>> {
        let target = self.deref(index);
        let RawKind::Leaf(kind) = &self.get(target)?.kind else {
            return None;
        };
        Some(match kind {
            NodeKind::Null => KeyId::None,
            NodeKind::Bool(b) => KeyId::Int(i128::from(*b)),
            NodeKind::Int(i) => KeyId::Int(*i),
            NodeKind::Float(f) if f.is_nan() => KeyId::Nan,
            // Integral floats equal the int of the same value (`1.0 == 1`); every such
            // float below 1e38 converts to `i128` exactly.
            NodeKind::Float(f) if f.fract() == 0.0 && f.abs() < 1e38 => KeyId::Int(*f as i128),
            NodeKind::Float(f) => KeyId::Float(f.to_bits()),
            NodeKind::Str(s) => KeyId::Str(s),
            NodeKind::Date(s) => KeyId::Date(s),
            NodeKind::DateTime(s) => KeyId::DateTime(s),
            NodeKind::Binary(b) => KeyId::Bytes(b),
            NodeKind::Set(_) | NodeKind::Seq(_) | NodeKind::Map(_) => return None,
        })
    }

    /// The text a duplicate key is reported under: the string itself, else Python's
    /// `str()` of the key (`True`, `1`, `None`).
    pub(super) fn key_text(&self, index: usize) -> String {
        match self.get(self.deref(index)) {
            Some(Raw {
                kind: RawKind::Leaf(NodeKind::Str(s)),
                ..
            }) => s.clone(),
            Some(Raw {
                kind: RawKind::Leaf(kind),
                span,
                style,
                ..
            }) => PyValue::from_node(&Node::new(kind.clone(), *span, *style)).py_str(),
            _ => String::new(),
        }
    }

    /// Move the tree rooted at `root` out into owned nodes, expanding every alias.
    ///
    /// Iterative (an explicit work stack instead of recursion), so the nesting the
    /// limits allow can never exhaust the thread's stack. Scalars are moved out unless
    /// they sit under a shared node, which may be visited again. An alias's copy keeps
    /// the spans of the anchored text inside, but its root takes the alias's own span,
    /// so a diagnostic about `deny: *patterns` points at the alias written there.
    pub(super) fn materialize(mut self, root: usize) -> Option<Node> {
        enum Task {
            Visit(usize, Option<Span>, bool),
            Seq(usize, Span),
            Map(usize, Span),
        }
        let mut tasks = Vec::with_capacity(64);
        tasks.push(Task::Visit(root, None, false));
        let mut out: Vec<Node> = Vec::with_capacity(64);
        while let Some(task) = tasks.pop() {
            match task {
                Task::Visit(index, span_override, under_shared) => {
                    let shared = under_shared || self.shared.get(index).copied().unwrap_or(true);
                    let raw = self.nodes.get_mut(index)?;
                    let span = span_override.unwrap_or(raw.span);
                    match &mut raw.kind {
                        RawKind::Leaf(kind) => {
                            let kind = if shared {
                                kind.clone()
                            } else {
                                std::mem::replace(kind, NodeKind::Null)
                            };
                            out.push(Node::new(kind, span, raw.style));
                        }
                        RawKind::Alias(target) => {
                            tasks.push(Task::Visit(*target, Some(span), true));
                        }
                        RawKind::Recursive { mapping } => {
                            let kind = if *mapping {
                                NodeKind::Map(Box::default())
                            } else {
                                NodeKind::Seq(Vec::new())
                            };
                            out.push(Node::new(kind, span, ScalarStyle::NotScalar));
                        }
                        RawKind::Seq(items) => {
                            tasks.push(Task::Seq(index, span));
                            tasks.extend(items.iter().rev().map(|&i| Task::Visit(i, None, shared)));
                        }
                        RawKind::Map(map) => {
                            tasks.push(Task::Map(index, span));
                            for &(key, value) in map.entries.iter().rev() {
                                if !map.as_set {
                                    tasks.push(Task::Visit(value, None, shared));
                                }
                                tasks.push(Task::Visit(key, None, shared));
                            }
                        }
                    }
                }
                Task::Seq(index, span) => {
                    let RawKind::Seq(items) = &self.get(index)?.kind else {
                        return None;
                    };
                    let children = out.split_off(out.len().checked_sub(items.len())?);
                    out.push(Node::new(
                        NodeKind::Seq(children),
                        span,
                        ScalarStyle::NotScalar,
                    ));
                }
                Task::Map(index, span) => {
                    let RawKind::Map(map) = &self.get(index)?.kind else {
                        return None;
                    };
                    let per_entry = if map.as_set { 1 } else { 2 };
                    let flat = out.split_off(out.len().checked_sub(map.entries.len() * per_entry)?);
                    let kind = if map.as_set {
                        NodeKind::Set(flat)
                    } else {
                        let mut entries = Vec::with_capacity(map.entries.len());
                        let mut it = flat.into_iter();
                        while let (Some(key), Some(value)) = (it.next(), it.next()) {
                            entries.push(MapEntry { key, value });
                        }
                        NodeKind::Map(Box::new(Mapping {
                            entries,
                            duplicates: map.duplicates.clone(),
                        }))
                    };
                    out.push(Node::new(kind, span, ScalarStyle::NotScalar));
                }
            }
        }
        out.pop()
    }
}

/// Where a dict's keys are looked up: a linear scan while the mapping is small (most
/// policy mappings have a handful of keys, and this saves a hash table per mapping),
/// a hash table past that.
enum KeyIndex<'a> {
    Small(Vec<(KeyId<'a>, usize)>),
    Large(HashMap<KeyId<'a>, usize>),
}

impl<'a> KeyIndex<'a> {
    const SMALL: usize = 16;

    fn get(&self, id: &KeyId<'a>) -> Option<usize> {
        match self {
            KeyIndex::Small(pairs) => pairs.iter().find(|(k, _)| k == id).map(|&(_, at)| at),
            KeyIndex::Large(map) => map.get(id).copied(),
        }
    }

    fn insert(&mut self, id: KeyId<'a>, at: usize) {
        match self {
            KeyIndex::Small(pairs) if pairs.len() < Self::SMALL => pairs.push((id, at)),
            KeyIndex::Small(pairs) => {
                let mut map: HashMap<KeyId<'a>, usize> = pairs.drain(..).collect();
                map.insert(id, at);
                *self = KeyIndex::Large(map);
            }
            KeyIndex::Large(map) => {
                map.insert(id, at);
            }
        }
    }
}

/// Python `dict` construction over `(key, value, merged)` pairs in order: one entry per
/// distinct key, at its first position, holding the last key and value. A repeated key
/// written in the mapping itself is recorded as a duplicate; keys brought in by a merge
/// (`<<`) are not, since overriding them is the point of merging. Unhashable keys are
/// returned for the caller to report.
pub(super) fn build_dict(
    arena: &Arena,
    pairs: impl IntoIterator<Item = (usize, usize, bool)>,
) -> (Vec<(usize, usize)>, Vec<DuplicateKey>, Vec<usize>) {
    let mut entries: Vec<(usize, usize)> = Vec::new();
    // Span of the first key written in the mapping itself, per entry.
    let mut first_own: Vec<Option<Span>> = Vec::new();
    let mut index = KeyIndex::Small(Vec::new());
    let mut duplicates = Vec::new();
    let mut unhashable = Vec::new();
    for (key, value, merged) in pairs {
        let Some(id) = arena.key_id(key) else {
            unhashable.push(key);
            continue;
        };
        if let Some(at) = index.get(&id) {
            if let Some(slot) = entries.get_mut(at) {
                // Python keeps the first key object and replaces the value. The entry
                // takes the last key node (its span is the one that took effect) unless
                // the keys only compare equal across types (`1` and `True`), where the
                // first key's value is what the reference sees.
                let kept = if arena.leaf(slot.0) == arena.leaf(key) {
                    key
                } else {
                    slot.0
                };
                *slot = (kept, value);
            }
            if !merged {
                match first_own.get_mut(at) {
                    Some(Some(first)) => duplicates.push(DuplicateKey {
                        key: arena.key_text(key),
                        first: *first,
                        last: arena.span(key),
                    }),
                    Some(slot) => *slot = Some(arena.span(key)),
                    None => {}
                }
            }
        } else {
            index.insert(id, entries.len());
            entries.push((key, value));
            first_own.push((!merged).then(|| arena.span(key)));
        }
    }
    (entries, duplicates, unhashable)
}
