//! saphyr events → the alias-sharing [`Arena`], with PyYAML's composer and safe
//! constructor semantics: tags, anchors, aliases, merge keys, duplicate keys.
//!
//! The builder is a loop over events with an explicit stack of open collections, so
//! nesting costs heap, not call stack, and the depth limit is checked as each collection
//! opens. Errors come in two kinds, ordered as the reference meets them: structural
//! errors (syntax, undefined or recursive aliases, a second document, limits) stop the
//! build at once; construction errors (unknown tags, bad merges, invalid tagged values)
//! are collected and reported only if the whole stream is otherwise well-formed, since
//! PyYAML composes the complete document, then checks that it is alone, and only then
//! constructs values.

use std::borrow::Cow;
use std::collections::HashMap;

use saphyr_parser::{Event, Parser, ScalarStyle as YamlStyle, Span as YamlSpan, Tag};

use super::arena::{Arena, Raw, RawKind, RawMap, build_dict};
use super::errors::{self, OpenFlow};
use super::offsets::Offsets;
use crate::diagnostics::Diagnostic;
use crate::diagnostics::codes::syntax::{LIMIT_EXCEEDED, YAML_SYNTAX};
use crate::source::Span;
use crate::syntax::yaml_scalar::{self, ScalarError};
use crate::syntax::{Limits, NodeKind, Parsed, ScalarStyle};

const CORE: &str = "tag:yaml.org,2002:";

/// A diagnostic on the error path, boxed to keep the happy path's results small.
type Outcome<T> = Result<T, Box<Diagnostic>>;

/// How a scalar behaves beyond its value: PyYAML resolves a plain `<<` to the merge tag
/// and a plain `=` to the value tag; both are only meaningful as mapping keys.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Special {
    None,
    Merge,
    Value,
}

#[derive(Debug)]
struct Frame {
    mapping: bool,
    /// Byte offset where the collection (with its anchor and tag) starts.
    start: usize,
    /// Byte offset of the `[`/`{` of a flow collection.
    bracket: Option<usize>,
    anchor: usize,
    tag: Option<String>,
    /// End of the last child, which is where a block collection ends.
    last_end: usize,
    items: Vec<usize>,
    /// Mapping pairs `(key, is_merge_key, value)`.
    pairs: Vec<(usize, bool, usize)>,
    pending_key: Option<(usize, bool)>,
}

pub(super) struct Builder<'t> {
    /// The whole document (spans and anchor names are read from it).
    text: &'t str,
    offsets: Offsets<'t>,
    limits: &'t Limits,
    arena: Arena,
    frames: Vec<Frame>,
    /// saphyr anchor id → the node it names.
    anchors: HashMap<usize, usize>,
    /// Anchor name → where it was first defined (PyYAML refuses a redefinition).
    anchor_names: HashMap<String, Span>,
    aliases_used: usize,
    root: Option<usize>,
    document_start: Option<usize>,
    /// End of the previous event, where a block scalar's header search starts.
    last_event_end: usize,
    deferred: Vec<Diagnostic>,
}

/// Build the tree of `body` (the document after any byte-order mark, which starts at
/// byte `base` of `text`).
pub(super) fn build(text: &str, body: &str, base: usize, limits: &Limits) -> Parsed {
    let mut builder = Builder {
        text,
        offsets: Offsets::new(body, base),
        limits,
        arena: Arena::default(),
        frames: Vec::new(),
        anchors: HashMap::new(),
        anchor_names: HashMap::new(),
        aliases_used: 0,
        root: None,
        document_start: None,
        last_event_end: base,
        deferred: Vec::new(),
    };
    let mut parser = Parser::new_from_str(body);
    while let Some(next) = parser.next_event() {
        let result = match next {
            Ok((Event::StreamEnd, _)) => break,
            Ok((event, span)) => builder.on_event(event, span),
            Err(err) => fail(errors::scan_error(
                text,
                &builder.offsets,
                &err,
                &builder.open_flows(),
                limits,
            )),
        };
        if let Err(diagnostic) = result {
            return failed(vec![*diagnostic]);
        }
    }
    builder.finish()
}

fn failed(diagnostics: Vec<Diagnostic>) -> Parsed {
    Parsed {
        root: None,
        diagnostics,
    }
}

fn fail<T>(diagnostic: Diagnostic) -> Outcome<T> {
    Err(Box::new(diagnostic))
}

fn with_message(mut diagnostic: Diagnostic, message: &str) -> Diagnostic {
    message.clone_into(&mut diagnostic.message);
    diagnostic
}

fn style_of(style: YamlStyle) -> ScalarStyle {
    match style {
        YamlStyle::Plain => ScalarStyle::Plain,
        YamlStyle::SingleQuoted => ScalarStyle::SingleQuoted,
        YamlStyle::DoubleQuoted => ScalarStyle::DoubleQuoted,
        YamlStyle::Literal => ScalarStyle::Literal,
        YamlStyle::Folded => ScalarStyle::Folded,
    }
}

fn tag_name(tag: Option<Cow<'_, Tag>>) -> Option<String> {
    tag.map(|t| format!("{}{}", t.handle, t.suffix))
}

impl Builder<'_> {
    fn span(&self, span: &YamlSpan) -> Span {
        Span::new(
            self.offsets.byte(span.start.index()),
            self.offsets.byte(span.end.index()),
        )
    }

    fn open_flows(&self) -> Vec<OpenFlow> {
        self.frames
            .iter()
            .filter_map(|f| {
                f.bracket.map(|start| OpenFlow {
                    mapping: f.mapping,
                    start,
                })
            })
            .collect()
    }

    fn on_event(&mut self, event: Event<'_>, yaml_span: YamlSpan) -> Outcome<()> {
        let span = self.span(&yaml_span);
        match event {
            Event::DocumentStart(_) => self.document(span)?,
            Event::Scalar(value, style, anchor, tag) => {
                self.scalar(&value, style, anchor, tag_name(tag), span)?;
            }
            Event::SequenceStart(anchor, tag) => self.open(false, anchor, tag_name(tag), span)?,
            Event::MappingStart(anchor, tag) => self.open(true, anchor, tag_name(tag), span)?,
            Event::SequenceEnd | Event::MappingEnd => self.close(span)?,
            Event::Alias(id) => self.alias(id, span)?,
            Event::StreamStart | Event::StreamEnd | Event::DocumentEnd | Event::Nothing => {}
        }
        self.last_event_end = span.end;
        Ok(())
    }

    fn document(&mut self, span: Span) -> Outcome<()> {
        let Some(first) = self.document_start else {
            self.document_start = Some(span.start);
            return Ok(());
        };
        let diagnostic = errors::construct(
            self.text,
            Span::new(span.start, span.end.max(span.start)),
            Some(("expected a single document in the stream", first)),
            "but found another document",
        );
        fail(
            with_message(
                diagnostic,
                "expected a single document in the stream, but found another document",
            )
            .with_label("a second document starts here")
            .with_help(
                "a policy file holds exactly one document: remove this `---` and what follows, \
             or move it to its own file",
            )
            .with_related(Span::point(first), "the first document starts here"),
        )
    }

    fn defer(&mut self, diagnostic: Diagnostic) {
        self.deferred.push(diagnostic);
    }

    fn scalar(
        &mut self,
        value: &str,
        style: YamlStyle,
        anchor: usize,
        tag: Option<String>,
        mut span: Span,
    ) -> Outcome<()> {
        if matches!(style, YamlStyle::Literal | YamlStyle::Folded) {
            span = self.block_scalar_span(span);
        }
        if value.is_empty() && style == YamlStyle::Plain && tag.is_none() && anchor == 0 {
            self.check_implicit_empty_key(span)?;
        }
        let (kind, special) = match self.construct_scalar(value, style, tag.as_deref(), span) {
            Ok(resolved) => resolved,
            Err(diagnostic) => {
                self.defer(*diagnostic);
                (NodeKind::Null, Special::None)
            }
        };
        let index = self.arena.push(Raw {
            kind: RawKind::Leaf(kind),
            span,
            style: style_of(style),
            size: 1,
            height: 0,
        });
        self.define_anchor(anchor, span.start)?;
        if anchor != 0 {
            self.anchors.insert(anchor, index);
        }
        self.attach(index, special);
        Ok(())
    }

    /// YAML 1.2 allows an implicit empty key (`: value`); PyYAML's 1.1 parser allows an
    /// empty key only after an explicit `?`, and the reference refuses the document.
    fn check_implicit_empty_key(&self, span: Span) -> Outcome<()> {
        let in_key_position = self
            .frames
            .last()
            .is_some_and(|f| f.mapping && f.pending_key.is_none());
        let at_colon = span.is_empty()
            && self
                .text
                .get(span.start..)
                .is_some_and(|s| s.starts_with(':'));
        let explicit = self
            .text
            .get(..span.start)
            .and_then(|before| before.trim_end().chars().next_back())
            == Some('?');
        if !in_key_position || !at_colon || explicit {
            return Ok(());
        }
        let message = "expected a mapping key, but found ':'";
        fail(
            Diagnostic::new(
                &YAML_SYNTAX,
                Span::new(span.start, span.start + 1),
                "missing key before `:`",
            )
            .with_label("this `:` has no key before it")
            .with_help(
                "write the key before the colon, or quote the value if the `:` belongs to it",
            )
            .with_compat(format!(
                "YAML parse error: {message}\n{}",
                errors::pyyaml_mark(self.text, span.start)
            )),
        )
    }

    /// saphyr's span of a block scalar covers its content and the blank lines after it;
    /// the node should cover the `|`/`>` header through the last content character.
    fn block_scalar_span(&self, span: Span) -> Span {
        let text = self.text;
        let mut start = span.start;
        let starts_with_property = text.get(start..).is_some_and(|s| s.starts_with(['!', '&']));
        if !starts_with_property {
            let mut pos = self.last_event_end.min(start);
            let mut in_comment = false;
            while let Some(c) = text.get(pos..start).and_then(|s| s.chars().next()) {
                match c {
                    '\n' => in_comment = false,
                    _ if in_comment => {}
                    '#' => in_comment = true,
                    '|' | '>' => {
                        start = pos;
                        break;
                    }
                    c if c.is_whitespace() || matches!(c, ':' | '-' | '?' | ',') => {}
                    _ => break,
                }
                pos += c.len_utf8();
            }
        }
        let end = text
            .get(start..span.end)
            .map_or(span.end, |s| start + s.trim_end().len());
        Span::new(start, end.max(start))
    }

    /// The value of a scalar under its tag, as PyYAML's safe constructor builds it.
    fn construct_scalar(
        &self,
        value: &str,
        style: YamlStyle,
        tag: Option<&str>,
        span: Span,
    ) -> Outcome<(NodeKind, Special)> {
        let plain = style == YamlStyle::Plain;
        let implicit = |result: Result<NodeKind, ScalarError>| {
            self.scalar_result(result, span, None, value)
                .map(|k| (k, Special::None))
        };
        let Some(tag) = tag else {
            if !plain {
                return Ok((NodeKind::Str(value.to_owned()), Special::None));
            }
            return match value {
                "<<" => Ok((NodeKind::Str(value.to_owned()), Special::Merge)),
                "=" => Ok((NodeKind::Str(value.to_owned()), Special::Value)),
                _ => implicit(yaml_scalar::resolve_plain(value)),
            };
        };
        // The non-specific tag `!`: PyYAML resolves the text as if it were plain,
        // whatever its quoting (`! '12'` is the int 12).
        if tag == "!" {
            return implicit(yaml_scalar::resolve_plain(value));
        }
        let suffix = tag.strip_prefix(CORE);
        let explicit = |result: Result<NodeKind, ScalarError>| {
            self.scalar_result(result, span, Some(tag), value)
                .map(|k| (k, Special::None))
        };
        match suffix {
            Some("str") => Ok((NodeKind::Str(value.to_owned()), Special::None)),
            Some("null") => Ok((NodeKind::Null, Special::None)),
            Some("bool") => explicit(yaml_scalar::construct_bool(value)),
            Some("int") => explicit(yaml_scalar::construct_int(value)),
            Some("float") => explicit(yaml_scalar::construct_float(value)),
            Some("binary") => explicit(yaml_scalar::construct_binary(value)),
            Some("timestamp") => explicit(yaml_scalar::construct_timestamp(value)),
            Some("merge") => Ok((NodeKind::Str(value.to_owned()), Special::Merge)),
            Some("value") => Ok((NodeKind::Str(value.to_owned()), Special::Value)),
            Some("seq" | "omap" | "pairs") => fail(self.kind_mismatch(span, "sequence", "scalar")),
            Some("map" | "set") => fail(self.kind_mismatch(span, "mapping", "scalar")),
            _ => fail(self.unknown_tag(span, tag)),
        }
    }

    fn scalar_result(
        &self,
        result: Result<NodeKind, ScalarError>,
        span: Span,
        tag: Option<&str>,
        value: &str,
    ) -> Outcome<NodeKind> {
        match result {
            Ok(kind) => Ok(kind),
            Err(ScalarError::IntTooLarge) => fail(
                errors::limit(
                    span,
                    "integer too large (guardc supports 128-bit integers)".to_owned(),
                    "quote the value if it is an identifier rather than a number",
                )
                .with_label("this integer does not fit in 128 bits"),
            ),
            Err(ScalarError::Invalid(reason)) => {
                let what = tag.map_or_else(
                    || "value".to_owned(),
                    |t| format!("`!!{}` value", t.strip_prefix(CORE).unwrap_or(t)),
                );
                let help = if tag.is_some() {
                    "fix the value or remove the tag".to_owned()
                } else {
                    format!("quote the value if it is meant as text: `'{value}'`")
                };
                fail(
                    errors::construct(self.text, span, None, &format!("invalid {what}: {reason}"))
                        .with_help(help),
                )
            }
        }
    }

    fn unknown_tag(&self, span: Span, tag: &str) -> Diagnostic {
        errors::construct(
            self.text,
            span,
            None,
            &format!("could not determine a constructor for the tag '{tag}'"),
        )
        .with_label("the safe loader does not accept this tag")
        .with_help(
            "remove the tag; policies may only use the standard YAML tags (`!!str`, \
             `!!int`, `!!float`, `!!bool`, `!!null`, ...)",
        )
    }

    fn kind_mismatch(&self, span: Span, expected: &str, found: &str) -> Diagnostic {
        errors::construct(
            self.text,
            span,
            None,
            &format!("expected a {expected} node, but found {found}"),
        )
        .with_help("remove the tag or change the value to match it")
    }

    /// Record an anchor definition; PyYAML refuses a name defined twice.
    fn define_anchor(&mut self, anchor: usize, start: usize) -> Outcome<()> {
        if anchor == 0 {
            return Ok(());
        }
        let Some(at) = self.anchor_offset(start) else {
            return Ok(());
        };
        let name = errors::name_after_sigil(self.text, at).to_owned();
        let span = Span::new(at, at + 1 + name.len());
        if let Some(&first) = self.anchor_names.get(&name) {
            let diagnostic = errors::construct(
                self.text,
                span,
                Some((
                    &format!("found duplicate anchor '{name}'; first occurrence"),
                    first.start,
                )),
                "second occurrence",
            );
            return fail(
                with_message(diagnostic, &format!("found duplicate anchor '{name}'"))
                    .with_help("give each anchor a distinct name")
                    .with_related(first, "first defined here"),
            );
        }
        self.anchor_names.insert(name, span);
        Ok(())
    }

    /// Where the `&` of a node's anchor is: the node's text starts with its properties,
    /// the anchor and the tag in either order.
    fn anchor_offset(&self, start: usize) -> Option<usize> {
        let rest = self.text.get(start..)?;
        if rest.starts_with('&') {
            return Some(start);
        }
        let after_tag = rest.find(char::is_whitespace)?;
        let tail = rest.get(after_tag..)?;
        let skip = tail.find(|c: char| !c.is_whitespace())?;
        tail.get(skip..)?
            .starts_with('&')
            .then_some(start + after_tag + skip)
    }

    fn attach(&mut self, index: usize, special: Special) {
        let span = self.arena.span(index);
        let misplaced = |special: Special| match special {
            Special::None => None,
            Special::Merge => Some("merge"),
            Special::Value => Some("value"),
        };
        let Some(frame) = self.frames.last_mut() else {
            self.root = Some(index);
            if let Some(tag) = misplaced(special) {
                let d = self.unknown_tag(span, &format!("{CORE}{tag}"));
                self.defer(d);
            }
            return;
        };
        frame.last_end = frame.last_end.max(span.end);
        let misplaced_tag = if !frame.mapping {
            frame.items.push(index);
            misplaced(special)
        } else if let Some((key, is_merge)) = frame.pending_key.take() {
            frame.pairs.push((key, is_merge, index));
            misplaced(special)
        } else {
            frame.pending_key = Some((index, special == Special::Merge));
            None
        };
        if let Some(tag) = misplaced_tag {
            let d = self.unknown_tag(span, &format!("{CORE}{tag}"));
            self.defer(d);
        }
    }

    fn open(
        &mut self,
        mapping: bool,
        anchor: usize,
        tag: Option<String>,
        span: Span,
    ) -> Outcome<()> {
        if self.frames.len() >= self.limits.max_depth {
            return fail(errors::too_deep(span, self.limits));
        }
        self.define_anchor(anchor, span.start)?;
        // A flow collection's start event ends just after its bracket.
        let bracket = self
            .text
            .get(..span.end)
            .filter(|s| s.ends_with(['[', '{']))
            .map(|_| span.end - 1);
        self.frames.push(Frame {
            mapping,
            start: span.start,
            bracket,
            anchor,
            tag,
            last_end: span.end,
            items: Vec::new(),
            pairs: Vec::new(),
            pending_key: None,
        });
        Ok(())
    }

    fn close(&mut self, end: Span) -> Outcome<()> {
        let Some(frame) = self.frames.pop() else {
            return Ok(());
        };
        let span_end = if frame.bracket.is_some() {
            end.end
        } else {
            frame.last_end
        };
        let span = Span::new(frame.start, span_end.max(frame.start));
        let anchor = frame.anchor;
        let raw = if frame.mapping {
            self.close_mapping(frame, span)
        } else {
            self.close_sequence(frame, span)
        };
        let depth = self.frames.len();
        if raw.size > self.limits.max_nodes {
            return fail(self.too_many_nodes(span));
        }
        if depth + raw.height > self.limits.max_depth {
            return fail(errors::too_deep(span, self.limits));
        }
        let index = self.arena.push(raw);
        if anchor != 0 {
            self.anchors.insert(anchor, index);
        }
        self.attach(index, Special::None);
        Ok(())
    }

    fn too_many_nodes(&self, span: Span) -> Diagnostic {
        errors::limit(
            span,
            format!(
                "the document expands to more than {} values",
                self.limits.max_nodes
            ),
            "aliases that refer to other aliases multiply the document (an alias bomb); \
             write the values out or remove the alias chain",
        )
        .with_label("this value is too large once its aliases are expanded")
    }

    fn collection(&self, kind: RawKind, span: Span, children: &[usize]) -> Raw {
        let size = children
            .iter()
            .fold(1usize, |acc, &c| acc.saturating_add(self.arena.size(c)));
        let height = 1 + children
            .iter()
            .map(|&c| self.arena.height(c))
            .max()
            .unwrap_or(0);
        Raw {
            kind,
            span,
            style: ScalarStyle::NotScalar,
            size,
            height,
        }
    }

    fn close_sequence(&mut self, frame: Frame, span: Span) -> Raw {
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
    fn pairs_sequence(&mut self, items: Vec<usize>, span: Span) -> Raw {
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
            let pair = self.collection(RawKind::Seq(vec![key, value]), item_span, &[key, value]);
            pairs.push(self.arena.push(pair));
        }
        self.collection(RawKind::Seq(pairs.clone()), span, &pairs)
    }

    fn close_mapping(&mut self, mut frame: Frame, span: Span) -> Raw {
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
                Ok(entries) => merged.extend(entries.into_iter().map(|(k, v)| (k, v, true))),
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
        let children: Vec<usize> = entries
            .iter()
            .flat_map(|&(k, v)| if as_set { vec![k] } else { vec![k, v] })
            .collect();
        let map = RawMap {
            entries,
            duplicates,
            as_set,
        };
        self.collection(RawKind::Map(map), span, &children)
    }

    /// The entries a `<<` value merges in, as PyYAML's `flatten_mapping`: a mapping's
    /// entries, or for a list of mappings their entries with earlier mappings winning
    /// (PyYAML reverses the list, and later entries override earlier ones).
    fn merge_source(&self, value: usize, mapping: Span) -> Outcome<Vec<(usize, usize)>> {
        let context = Some(("while constructing a mapping", mapping.start));
        let target = self.arena.deref(value);
        match self.arena.get(target).map(|r| &r.kind) {
            Some(RawKind::Map(map)) => Ok(map.entries.clone()),
            Some(RawKind::Seq(items)) => {
                let mut groups = Vec::with_capacity(items.len());
                for &item in items {
                    match self.arena.get(self.arena.deref(item)).map(|r| &r.kind) {
                        Some(RawKind::Map(map)) => groups.push(map.entries.clone()),
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

    fn alias(&mut self, id: usize, span: Span) -> Outcome<()> {
        self.aliases_used += 1;
        if self.aliases_used > self.limits.max_aliases {
            return fail(errors::limit(
                span,
                format!("more than {} alias uses", self.limits.max_aliases),
                "write the values out instead of repeating aliases",
            ));
        }
        let name = errors::name_after_sigil(self.text, span.start).to_owned();
        let Some(&target) = self.anchors.get(&id) else {
            // saphyr reports undefined aliases itself; an anchor that is known but not
            // yet complete is one the alias sits inside of.
            let message = format!("found recursive alias '{name}'");
            return fail(
                errors::construct(self.text, span, None, &message)
                    .with_label("this alias refers to a value that contains it")
                    .with_help("a policy value cannot contain itself; remove the alias"),
            );
        };
        let (size, height) = (self.arena.size(target), self.arena.height(target));
        if size > self.limits.max_nodes {
            return fail(self.too_many_nodes(span));
        }
        if self.frames.len() + height > self.limits.max_depth {
            return fail(errors::too_deep(span, self.limits));
        }
        let style = self
            .arena
            .get(target)
            .map_or(ScalarStyle::NotScalar, |r| r.style);
        let index = self.arena.push(Raw {
            kind: RawKind::Alias(target),
            span,
            style,
            size,
            height,
        });
        self.attach(index, Special::None);
        Ok(())
    }

    fn finish(self) -> Parsed {
        if !self.deferred.is_empty() {
            return failed(self.deferred);
        }
        let Some(root) = self.root else {
            return Parsed::default();
        };
        if self.arena.size(root) > self.limits.max_nodes {
            return failed(vec![self.too_many_nodes(self.arena.span(root))]);
        }
        match self.arena.materialize(root) {
            Some(node) => Parsed {
                root: Some(node),
                diagnostics: Vec::new(),
            },
            None => failed(vec![Diagnostic::new(
                &LIMIT_EXCEEDED,
                self.arena.span(root),
                "the document could not be assembled",
            )]),
        }
    }
}
