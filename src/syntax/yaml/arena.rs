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

#[derive(Debug)]
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
    /// Iterative (an explicit stack of open collections instead of recursion), so the
    /// nesting the limits allow can never exhaust the thread's stack. Each collection's
    /// vector is allocated at its final size when it opens and its children are moved
    /// straight into it, so a node is moved once on the way out. Scalars are moved out
    /// unless they sit under a shared node, which may be visited again. An alias's copy
    /// keeps the spans of the anchored text inside, but its root takes the alias's own
    /// span, so a diagnostic about `deny: *patterns` points at the alias written there.
    pub(super) fn materialize(mut self, root: usize) -> Option<Node> {
        let mut open: Vec<Open> = Vec::with_capacity(16);
        let mut current = (root, None, false);
        loop {
            let (index, span_override, under_shared) = current;
            let mut node = match self.visit(index, span_override, under_shared)? {
                Visited::Node(node) => node,
                Visited::Alias(target, span) => {
                    current = (target, Some(span), true);
                    continue;
                }
                Visited::Open(mut collection) => match collection.next_child() {
                    Some(child) => {
                        open.push(collection);
                        current = child;
                        continue;
                    }
                    None => collection.close(),
                },
            };
            // Hand the finished node to its parent, closing every parent it completes.
            current = loop {
                let Some(parent) = open.last_mut() else {
                    return Some(node);
                };
                parent.push(node);
                if let Some(child) = parent.next_child() {
                    break child;
                }
                node = open.pop()?.close();
            };
        }
    }

    /// One node of the walk: a scalar moved (or cloned) out, an alias to follow, or a
    /// collection to open.
    fn visit(
        &mut self,
        index: usize,
        span_override: Option<Span>,
        under_shared: bool,
    ) -> Option<Visited> {
        let shared = under_shared || self.shared.get(index).copied().unwrap_or(true);
        let raw = self.nodes.get_mut(index)?;
        let span = span_override.unwrap_or(raw.span);
        Some(match &mut raw.kind {
            RawKind::Leaf(kind) => {
                let kind = if shared {
                    kind.clone()
                } else {
                    std::mem::replace(kind, NodeKind::Null)
                };
                Visited::Node(Node::new(kind, span, raw.style))
            }
            RawKind::Alias(target) => Visited::Alias(*target, span),
            RawKind::Recursive { mapping } => {
                let kind = if *mapping {
                    NodeKind::Map(Box::default())
                } else {
                    NodeKind::Seq(Vec::new())
                };
                Visited::Node(Node::new(kind, span, ScalarStyle::NotScalar))
            }
            RawKind::Seq(items) => {
                // A shared sequence is walked again by the next alias to it.
                let children = if shared {
                    items.clone()
                } else {
                    std::mem::take(items)
                };
                Visited::Open(Open {
                    built: Built::Seq(Vec::with_capacity(children.len())),
                    children,
                    next: 0,
                    shared,
                    span,
                })
            }
            RawKind::Map(map) => {
                let mut children = Vec::with_capacity(map.entries.len() * 2);
                for &(key, value) in &map.entries {
                    children.push(key);
                    if !map.as_set {
                        children.push(value);
                    }
                }
                let built = if map.as_set {
                    Built::Set(Vec::with_capacity(map.entries.len()))
                } else {
                    Built::Map(
                        Box::new(Mapping {
                            entries: Vec::with_capacity(map.entries.len()),
                            duplicates: map.duplicates.clone(),
                        }),
                        None,
                    )
                };
                Visited::Open(Open {
                    children,
                    next: 0,
                    shared,
                    span,
                    built,
                })
            }
        })
    }
}

enum Visited {
    Node(Node),
    Alias(usize, Span),
    Open(Open),
}

/// A collection being moved out: the arena indices of its children (for a mapping, key
/// and value alternating), how many have been handed out, and what is built so far.
struct Open {
    children: Vec<usize>,
    next: usize,
    shared: bool,
    span: Span,
    built: Built,
}

enum Built {
    Seq(Vec<Node>),
    Set(Vec<Node>),
    /// The mapping so far, and a key waiting for its value.
    Map(Box<Mapping>, Option<Node>),
}

impl Open {
    fn next_child(&mut self) -> Option<(usize, Option<Span>, bool)> {
        let child = *self.children.get(self.next)?;
        self.next += 1;
        Some((child, None, self.shared))
    }

    fn push(&mut self, node: Node) {
        match &mut self.built {
            Built::Seq(items) | Built::Set(items) => items.push(node),
            Built::Map(mapping, pending) => match pending.take() {
                Some(key) => mapping.entries.push(MapEntry { key, value: node }),
                None => *pending = Some(node),
            },
        }
    }

    fn close(self) -> Node {
        let kind = match self.built {
            Built::Seq(items) => NodeKind::Seq(items),
            Built::Set(items) => NodeKind::Set(items),
            Built::Map(mapping, _) => NodeKind::Map(mapping),
        };
        Node::new(kind, self.span, ScalarStyle::NotScalar)
    }
}

/// Where a dict's keys are looked up: a linear scan of the entries while the mapping is
/// small (most policy mappings have a handful of keys, and this saves an allocation per
/// mapping), a hash table past that.
enum KeyIndex<'a> {
    Small,
    Large(HashMap<KeyId<'a>, usize>),
}

impl<'a> KeyIndex<'a> {
    const SMALL: usize = 16;

    fn get(&self, arena: &'a Arena, entries: &[(usize, usize)], id: &KeyId<'a>) -> Option<usize> {
        match self {
            KeyIndex::Small => entries
                .iter()
                .position(|&(key, _)| arena.key_id(key).as_ref() == Some(id)),
            KeyIndex::Large(map) => map.get(id).copied(),
        }
    }

    /// Record that `entries` (already holding it) has a new last entry with key `id`.
    fn insert(&mut self, arena: &'a Arena, entries: &[(usize, usize)], id: KeyId<'a>) {
        match self {
            KeyIndex::Small if entries.len() <= Self::SMALL => {}
            KeyIndex::Small => {
                let map = entries
                    .iter()
                    .enumerate()
                    .filter_map(|(at, &(key, _))| Some((arena.key_id(key)?, at)))
                    .collect();
                *self = KeyIndex::Large(map);
            }
            KeyIndex::Large(map) => {
                map.insert(id, entries.len() - 1);
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
    let pairs = pairs.into_iter();
    let mut entries: Vec<(usize, usize)> = Vec::with_capacity(pairs.size_hint().0);
    // Span of the first key written in the mapping itself, per entry.
    let mut first_own: Vec<Option<Span>> = Vec::with_capacity(pairs.size_hint().0);
    let mut index = KeyIndex::Small;
    let mut duplicates = Vec::new();
    let mut unhashable = Vec::new();
    for (key, value, merged) in pairs {
        let Some(id) = arena.key_id(key) else {
            unhashable.push(key);
            continue;
        };
        if let Some(at) = index.get(arena, &entries, &id) {
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
            entries.push((key, value));
            index.insert(arena, &entries, id);
            first_own.push((!merged).then(|| arena.span(key)));
        }
    }
    (entries, duplicates, unhashable)
}
