//! The owned tree built straight from the fast reader's events, for documents that need
//! none of the arena builder's machinery.
//!
//! The arena builder ([`super::builder`]) exists for anchors, aliases, tags and merge
//! keys: it records every node in an alias-sharing arena, checks expansion sizes, and
//! only then copies the tree out. A document the fast reader accepts has no anchors,
//! aliases or tags, and when its mapping keys are all strings and it has no `<<` or `=`
//! key, none of that applies: each node can be built once, where it closes. On the
//! 10,000-rule realistic benchmark policy this builder took loading from 230 M to 184 M
//! instructions (callgrind).
//!
//! This builder handles only that case and refuses everything else (a non-string or
//! merge key, a value the constructor rejects, an empty plain scalar, a long key in a
//! flow, nesting or a node count near a limit); the caller then builds the document with
//! the arena builder, which words every diagnostic; the events read up to the point of
//! declining are read again, which a document that needs the arena pays for. The unit
//! tests and the `yaml_fast`
//! fuzz target check that both builders give the same tree wherever this one accepts.

use std::collections::HashMap;

use saphyr_parser::{Event, ScalarStyle as YamlStyle};

use super::builder::{flow_bracket, read_fast_with_arena, style_of};
use super::fast::{self, Stop};
use super::offsets::Offsets;
use super::reader;
use super::scalars::quoted_span;
use crate::source::Span;
use crate::syntax::yaml_scalar::resolve_plain;
use crate::syntax::{DuplicateKey, Limits, MapEntry, Mapping, Node, NodeKind, Parsed, ScalarStyle};

/// Why this builder declined an event: the arena builder takes the document instead.
pub(super) struct Declined;

type Step = Result<(), Declined>;

/// Build the tree of `body` (starting at byte `base` of `text`) from the fast reader's
/// reading of `prepared`. `Stop::Unsupported` when the fast reader cannot read the
/// document, `Stop::Refused` when it can but this builder declined it.
pub(super) fn build(
    text: &str,
    body: &str,
    base: usize,
    limits: &Limits,
    prepared: &str,
) -> Result<Parsed, Stop> {
    // The fast reader reads only ASCII, and `prepared` has as many characters as `body`:
    // equal byte lengths mean `body` is ASCII too, so no character was replaced for
    // saphyr and no scalar needs the arena builder's rereading of its source.
    if body.len() != prepared.len() {
        return Err(Stop::Refused);
    }
    let mut builder = DirectBuilder {
        text,
        offsets: Offsets::new(body, base),
        limits,
        frames: Vec::new(),
        flows_open: 0,
        nodes: 0,
        root: None,
        document_seen: false,
    };
    fast::read(prepared, |event, start, end| {
        builder.on_event(event, start, end)
    })?;
    Ok(Parsed {
        root: builder.root,
        diagnostics: Vec::new(),
    })
}

struct DirectBuilder<'t> {
    text: &'t str,
    offsets: Offsets<'t>,
    limits: &'t Limits,
    frames: Vec<Frame>,
    /// Open frames that are flow collections (the flow-key rule applies inside them).
    flows_open: usize,
    /// Nodes built so far: an upper bound of the tree's size.
    nodes: usize,
    root: Option<Node>,
    document_seen: bool,
}

/// An open collection: what the arena builder's frame records, with the children as
/// finished nodes.
struct Frame {
    start: usize,
    /// Byte offset of the `[`/`{` of a flow collection.
    bracket: Option<usize>,
    /// End of the last child, which is where a block collection ends.
    last_end: usize,
    kind: FrameKind,
}

enum FrameKind {
    Seq(Vec<Node>),
    Map(MapFrame),
}

#[derive(Default)]
struct MapFrame {
    mapping: Mapping,
    /// For each entry whose key was repeated, the span of its first key (what every
    /// repetition is reported against), by entry position. Most mappings repeat no key
    /// and never allocate it.
    first_keys: Vec<(usize, Span)>,
    /// Key text → entry, once the mapping is too large to scan.
    index: Option<HashMap<String, usize>>,
    pending_key: Option<Node>,
}

impl MapFrame {
    /// Past this many entries a key is looked up in a hash table, not by a scan.
    const SCANNED: usize = 16;

    fn find(&self, key: &str) -> Option<usize> {
        match &self.index {
            Some(index) => index.get(key).copied(),
            None => self
                .mapping
                .entries
                .iter()
                .position(|e| e.key.as_str() == Some(key)),
        }
    }

    /// Python `dict` assignment: a repeated key keeps its first position and takes the
    /// last key and value (string keys only, so equal keys are equal leaves), and the
    /// repetition is recorded against the first key written.
    fn insert(&mut self, key: Node, value: Node) {
        let text = key.as_str().unwrap_or_default();
        if let Some(at) = self.find(text) {
            let Some(entry) = self.mapping.entries.get_mut(at) else {
                return;
            };
            let first = match self.first_keys.iter().find(|(i, _)| *i == at) {
                Some(&(_, first)) => first,
                None => {
                    // The entry still holds the first key written.
                    self.first_keys.push((at, entry.key.span));
                    entry.key.span
                }
            };
            self.mapping.duplicates.push(DuplicateKey {
                key: text.to_owned(),
                first,
                last: key.span,
            });
            *entry = MapEntry { key, value };
            return;
        }
        let at = self.mapping.entries.len();
        if let Some(index) = &mut self.index {
            index.insert(text.to_owned(), at);
        }
        self.mapping.entries.push(MapEntry { key, value });
        if self.index.is_none() && self.mapping.entries.len() > Self::SCANNED {
            let index = self
                .mapping
                .entries
                .iter()
                .enumerate()
                .filter_map(|(at, e)| Some((e.key.as_str()?.to_owned(), at)))
                .collect();
            self.index = Some(index);
        }
    }
}

impl DirectBuilder<'_> {
    fn span(&self, start: usize, end: usize) -> Span {
        Span::new(self.offsets.byte(start), self.offsets.byte(end))
    }

    fn on_event(&mut self, event: Event<'_>, start: usize, end: usize) -> Step {
        let span = self.span(start, end);
        match event {
            Event::DocumentStart(_) if !self.document_seen => {
                self.document_seen = true;
                Ok(())
            }
            Event::Scalar(value, style, 0, None) => self.scalar(&value, style, span),
            Event::SequenceStart(0, None) => self.open(false, span),
            Event::MappingStart(0, None) => self.open(true, span),
            Event::SequenceEnd | Event::MappingEnd => self.close(span),
            Event::StreamStart | Event::StreamEnd | Event::DocumentEnd | Event::Nothing => Ok(()),
            // A second document, an anchor, a tag or an alias.
            _ => Err(Declined),
        }
    }

    fn count_node(&mut self) -> Step {
        self.nodes += 1;
        if self.nodes >= self.limits.max_nodes {
            return Err(Declined);
        }
        Ok(())
    }

    fn scalar(&mut self, value: &str, style: YamlStyle, span: Span) -> Step {
        let kind = match style {
            // An empty plain scalar may be PyYAML's refused implicit empty key; `<<` and
            // `=` are the merge and value keys.
            YamlStyle::Plain if value.is_empty() || value == "<<" || value == "=" => {
                return Err(Declined);
            }
            YamlStyle::Plain => resolve_plain(value).map_err(|_| Declined)?,
            YamlStyle::SingleQuoted | YamlStyle::DoubleQuoted => NodeKind::Str(value.to_owned()),
            YamlStyle::Literal | YamlStyle::Folded => return Err(Declined),
        };
        let span = match style {
            YamlStyle::SingleQuoted | YamlStyle::DoubleQuoted => {
                self.quoted_scalar_span(value, style, span)
            }
            _ => span,
        };
        self.count_node()?;
        self.attach(Node::new(kind, span, style_of(style)))
    }

    /// From the opening quote to the closing one ([`quoted_span`]). A one-line value
    /// without its quote character is its source text unchanged (the fast reader reads
    /// no escapes but `''`), so the closing quote follows it directly and need not be
    /// searched for.
    fn quoted_scalar_span(&self, value: &str, style: YamlStyle, span: Span) -> Span {
        let quote = if style == YamlStyle::SingleQuoted {
            b'\''
        } else {
            b'"'
        };
        let close = span.start + value.len() + 1;
        let bytes = self.text.as_bytes();
        let verbatim = !value.as_bytes().contains(&quote)
            && bytes.get(span.start) == Some(&quote)
            && bytes.get(close) == Some(&quote)
            && close < span.end;
        if verbatim {
            Span::new(span.start, close + 1)
        } else {
            quoted_span(self.text, span, style)
        }
    }

    fn open(&mut self, mapping: bool, span: Span) -> Step {
        // The arena builder refuses at `max_depth` open collections; declining one level
        // early leaves every limit diagnostic to it.
        if self.frames.len() + 1 >= self.limits.max_depth {
            return Err(Declined);
        }
        let bracket = flow_bracket(self.text, span, mapping);
        if bracket.is_some() {
            self.flows_open += 1;
        }
        let kind = if mapping {
            FrameKind::Map(MapFrame::default())
        } else {
            FrameKind::Seq(Vec::new())
        };
        self.frames.push(Frame {
            start: span.start,
            bracket,
            last_end: span.end,
            kind,
        });
        Ok(())
    }

    fn close(&mut self, end: Span) -> Step {
        let Some(frame) = self.frames.pop() else {
            return Err(Declined);
        };
        let span_end = match frame.bracket {
            Some(_) => {
                self.flows_open -= 1;
                end.end
            }
            None => frame.last_end,
        };
        let span = Span::new(frame.start, span_end.max(frame.start));
        let kind = match frame.kind {
            FrameKind::Seq(items) => NodeKind::Seq(items),
            FrameKind::Map(mut map) => {
                if let Some(key) = map.pending_key.take() {
                    // The arena builder completes a dangling key with a null value.
                    self.count_node()?;
                    let null = Node::new(
                        NodeKind::Null,
                        Span::point(key.span.end),
                        ScalarStyle::Plain,
                    );
                    map.insert(key, null);
                }
                NodeKind::Map(Box::new(map.mapping))
            }
        };
        self.count_node()?;
        self.attach(Node::new(kind, span, ScalarStyle::NotScalar))
    }

    fn attach(&mut self, node: Node) -> Step {
        let in_flow = self.flows_open > 0;
        let Some(frame) = self.frames.last_mut() else {
            if self.root.is_some() {
                return Err(Declined);
            }
            self.root = Some(node);
            return Ok(());
        };
        frame.last_end = frame.last_end.max(node.span.end);
        match &mut frame.kind {
            FrameKind::Seq(items) => items.push(node),
            FrameKind::Map(map) => match map.pending_key.take() {
                Some(key) => map.insert(key, node),
                None => {
                    // Only string keys: other keys compare across types (`1`, `1.0`,
                    // `True`) or cannot be hashed, which the arena builder handles.
                    if node.as_str().is_none() || (in_flow && !short_flow_key(self.text, node.span))
                    {
                        return Err(Declined);
                    }
                    map.pending_key = Some(node);
                }
            },
        }
        Ok(())
    }
}

/// PyYAML's simple-key rule in a flow: the key must end at its `:` on the line it
/// starts on, within 1,024 characters. Whether `key` plainly satisfies it (the arena
/// builder checks, and words the refusal of, any other key).
fn short_flow_key(text: &str, key: Span) -> bool {
    let after = text.get(key.end..).unwrap_or("");
    let gap = after
        .bytes()
        .take_while(|b| matches!(b, b' ' | b'\t' | b'\n' | b'\r'))
        .count();
    let colon = key.end + gap;
    text.get(key.start..colon)
        .is_some_and(|region| region.len() <= 1000 && !region.contains('\n'))
}

/// Whether this builder and the arena builder give the same result for `text`:
/// `Ok(true)` when this one built it and both agree, `Ok(false)` when this one
/// declined, `Err` with both results otherwise (a bug). The unit tests and the
/// `yaml_fast` fuzz target run it.
pub(super) fn agrees_with_arena(text: &str) -> Result<bool, String> {
    let limits = Limits::DEFAULT;
    let prepared = reader::for_saphyr(text);
    let Ok(direct) = build(text, text, 0, &limits, &prepared) else {
        return Ok(false);
    };
    let Some(arena) = read_fast_with_arena(text, text, 0, &limits, &prepared) else {
        return Err(format!(
            "the direct builder read a document the arena builder refuses: {direct:?}"
        ));
    };
    // Compared as text: a `.nan` is not equal to itself.
    let (direct, arena) = (format!("{direct:?}"), format!("{arena:?}"));
    if direct == arena {
        Ok(true)
    } else {
        Err(format!(
            "the builders differ: direct {direct}, arena {arena}"
        ))
    }
}
