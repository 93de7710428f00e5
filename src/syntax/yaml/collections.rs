//! Closing collections: sequence and mapping nodes with their tags checked, PyYAML's
//! merge keys applied, and `dict` semantics for repeated keys.

use super::arena::{Raw, RawKind, RawMap, build_dict};
use super::builder::{Builder, CORE, Frame, Outcome, fail};
use super::errors;
use crate::source::Span;
use crate::syntax::{NodeKind, ScalarStyle};

impl Builder<'_> {
    /// Size and height of a collection with these children, after expansion.
    pub(super) fn measure(&self, children: impl Iterator<Item = usize>) -> (usize, usize) {
        children.fold((1usize, 1usize), |(size, height), c| {
            (
                size.saturating_add(self.arena.size(c)),
                height.max(self.arena.height(c).saturating_add(1)),
            )
        })
    }

    pub(super) fn collection(&self, kind: RawKind, span: Span, children: &[usize]) -> Raw {
        let (size, height) = self.measure(children.iter().copied());
        Raw {
            kind,
            span,
            style: ScalarStyle::NotScalar,
            size,
            height,
        }
    }

    pub(super) fn close_sequence(&mut self, frame: Frame, span: Span) -> Raw {
        let items = frame.items;
        match frame
            .tag
            .as_deref()
            .map(|t| t.strip_prefix(CORE).unwrap_or(t))
        {
            None | Some("!" | "seq") => {}
            Some("omap" | "pairs") => return self.pairs_sequence(items, span),
            Some("map" | "set") => {
                let d = self.kind_mismatch(span, "mapping", "sequence");
                self.defer(d);
            }
            Some("str" | "int" | "float" | "bool" | "null" | "binary" | "timestamp") => {
                let d = self.kind_mismatch(span, "scalar", "sequence");
                self.defer(d);
            }
            Some(_) => {
                let tag = frame.tag.as_deref().unwrap_or("");
                let d = self.unknown_tag(span, tag);
                self.defer(d);
            }
        }
        self.collection(RawKind::Seq(items.clone()), span, &items)
    }

    /// `!!omap`/`!!pairs`: a list of one-entry mappings, which Python loads as a list of
    /// `(key, value)` tuples. The tree has no tuples; two-element lists stand in.
    pub(super) fn pairs_sequence(&mut self, items: Vec<usize>, span: Span) -> Raw {
        let mut pairs = Vec::with_capacity(items.len());
        for item in items {
            let target = self.arena.deref(item);
            let entry = match self.arena.get(target).map(|r| &r.kind) {
                Some(RawKind::Map(map)) if map.entries.len() == 1 => map.entries.first().copied(),
                _ => None,
            };
            let Some((key, value)) = entry else {
                let d = errors::construct(
                    self.text,
                    self.arena.span(item),
                    Some(("while constructing an ordered map", span.start)),
                    "expected a mapping of length 1",
                );
                self.defer(d);
                continue;
            };
            let item_span = self.arena.span(item);
            self.arena.mark_shared(key);
            self.arena.mark_shared(value);
            let pair = self.collection(RawKind::Seq(vec![key, value]), item_span, &[key, value]);
            pairs.push(self.arena.push(pair));
        }
        self.collection(RawKind::Seq(pairs.clone()), span, &pairs)
    }

    pub(super) fn close_mapping(&mut self, mut frame: Frame, span: Span) -> Raw {
        if let Some((key, is_merge)) = frame.pending_key.take() {
            // saphyr always completes a pair; keep the key with a null value regardless.
            let null = self.arena.push(Raw {
                kind: RawKind::Leaf(NodeKind::Null),
                span: Span::point(self.arena.span(key).end),
                style: ScalarStyle::Plain,
                size: 1,
                height: 0,
            });
            frame.pairs.push((key, is_merge, null));
        }
        let mut merged: Vec<(usize, usize, bool)> = Vec::new();
        let mut own: Vec<(usize, usize, bool)> = Vec::new();
        for &(key, is_merge, value) in &frame.pairs {
            if !is_merge {
                own.push((key, value, false));
                continue;
            }
            match self.merge_source(value, span) {
                Ok(entries) => {
                    for &(k, v) in &entries {
                        // Reachable from the merged mapping too.
                        self.arena.mark_shared(k);
                        self.arena.mark_shared(v);
                    }
                    merged.extend(entries.into_iter().map(|(k, v)| (k, v, true)));
                }
                Err(d) => self.defer(*d),
            }
        }
        let (entries, duplicates, unhashable) =
            build_dict(&self.arena, merged.into_iter().chain(own));
        for key in unhashable {
            let d = errors::construct(
                self.text,
                self.arena.span(key),
                Some(("while constructing a mapping", span.start)),
                "found unhashable key",
            )
            .with_help("use a plain value (a string or a number) as the key");
            self.defer(d);
        }
        let as_set = match frame
            .tag
            .as_deref()
            .map(|t| t.strip_prefix(CORE).unwrap_or(t))
        {
            None | Some("!" | "map") => false,
            Some("set") => true,
            Some("seq" | "omap" | "pairs") => {
                let d = self.kind_mismatch(span, "sequence", "mapping");
                self.defer(d);
                false
            }
            Some("str" | "int" | "float" | "bool" | "null" | "binary" | "timestamp") => {
                let d = self.kind_mismatch(span, "scalar", "mapping");
                self.defer(d);
                false
            }
            Some(_) => {
                let d = self.unknown_tag(span, frame.tag.as_deref().unwrap_or(""));
                self.defer(d);
                false
            }
        };
        let children = entries
            .iter()
            .flat_map(|&(k, v)| [Some(k), (!as_set).then_some(v)])
            .flatten();
        let (size, height) = self.measure(children);
        let map = RawMap {
            entries,
            duplicates,
            as_set,
        };
        Raw {
            kind: RawKind::Map(map),
            span,
            style: ScalarStyle::NotScalar,
            size,
            height,
        }
    }

    /// The entries a `<<` value merges in, as PyYAML's `flatten_mapping`: a mapping's
    /// entries, or for a list of mappings their entries with earlier mappings winning
    /// (PyYAML reverses the list, and later entries override earlier ones).
    pub(super) fn merge_source(&self, value: usize, mapping: Span) -> Outcome<Vec<(usize, usize)>> {
        let context = Some(("while constructing a mapping", mapping.start));
        let target = self.arena.deref(value);
        match self.arena.get(target).map(|r| &r.kind) {
            Some(RawKind::Map(map)) => Ok(map.entries.clone()),
            // A mapping merging itself (`&a {<<: *a}`): PyYAML's `flatten_mapping` has
            // removed the merge key by then and merges the mapping's own entries, which
            // the mapping keeps anyway.
            Some(RawKind::Recursive { mapping: true }) => Ok(Vec::new()),
            Some(RawKind::Seq(items)) => {
                let mut groups = Vec::with_capacity(items.len());
                for &item in items {
                    match self.arena.get(self.arena.deref(item)).map(|r| &r.kind) {
                        Some(RawKind::Map(map)) => groups.push(map.entries.clone()),
                        Some(RawKind::Recursive { mapping: true }) => {}
                        _ => {
                            let found = self.arena.node_id(item);
                            return fail(
                                errors::construct(
                                    self.text,
                                    self.arena.span(item),
                                    context,
                                    &format!("expected a mapping for merging, but found {found}"),
                                )
                                .with_help(
                                    "list only mappings (or aliases of mappings) after `<<`",
                                ),
                            );
                        }
                    }
                }
                Ok(groups.into_iter().rev().flatten().collect())
            }
            _ => {
                let found = self.arena.node_id(value);
                fail(
                    errors::construct(
                        self.text,
                        self.arena.span(value),
                        context,
                        &format!(
                            "expected a mapping or list of mappings for merging, but found {found}"
                        ),
                    )
                    .with_help(
                        "`<<` merges mappings: write `<<: *anchor` where the anchor names a \
                     mapping, or quote the key to use `<<` as an ordinary key",
                    ),
                )
            }
        }
    }
}
