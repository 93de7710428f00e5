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

use saphyr_parser::{Event, Parser, ScalarStyle as YamlStyle, Tag};

use super::arena::{Arena, Raw, RawKind};
use super::direct;
use super::errors::{self, OpenFlow};
use super::fast;
use super::offsets::Offsets;
use super::reader;
use super::tabs::{self, TabRegions};
use crate::diagnostics::Diagnostic;
use crate::diagnostics::codes::syntax::{LIMIT_EXCEEDED, YAML_SYNTAX};
use crate::source::Span;
use crate::syntax::{Limits, Parsed, ScalarStyle};

pub(super) const CORE: &str = "tag:yaml.org,2002:";

/// How the refusal of a too long or multi-line implicit flow key starts.
const FLOW_KEY_PREFIX: &str = "a key in a flow collection";

/// A diagnostic on the error path, boxed to keep the happy path's results small.
pub(super) type Outcome<T> = Result<T, Box<Diagnostic>>;

/// How a scalar behaves beyond its value: PyYAML resolves a plain `<<` to the merge tag
/// and a plain `=` to the value tag; both are only meaningful as mapping keys.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Special {
    None,
    Merge,
    Value,
}

#[derive(Debug)]
pub(super) struct Frame {
    pub(super) mapping: bool,
    /// Byte offset where the collection (with its anchor and tag) starts.
    pub(super) start: usize,
    /// Byte offset of the `[`/`{` of a flow collection.
    pub(super) bracket: Option<usize>,
    pub(super) anchor: usize,
    pub(super) tag: Option<String>,
    /// End of the last child, which is where a block collection ends.
    pub(super) last_end: usize,
    pub(super) items: Vec<usize>,
    /// Mapping pairs `(key, is_merge_key, value)`.
    pub(super) pairs: Vec<(usize, bool, usize)>,
    pub(super) pending_key: Option<(usize, bool)>,
}

pub(super) struct Builder<'t> {
    /// The whole document (spans and anchor names are read from it).
    pub(super) text: &'t str,
    pub(super) offsets: Offsets<'t>,
    pub(super) limits: &'t Limits,
    pub(super) arena: Arena,
    pub(super) frames: Vec<Frame>,
    /// saphyr anchor id → the node it names.
    pub(super) anchors: HashMap<usize, usize>,
    /// Anchor name → where it was first defined (PyYAML refuses a redefinition).
    pub(super) anchor_names: HashMap<String, Span>,
    pub(super) aliases_used: usize,
    pub(super) root: Option<usize>,
    pub(super) document_start: Option<usize>,
    /// End of the previous event, where a block scalar's header search starts.
    pub(super) last_event_end: usize,
    pub(super) deferred: Vec<Diagnostic>,
    pub(super) tabs: TabRegions,
    /// The parsed text has U+FEFF stand-ins to turn back in scalar values.
    pub(super) bom_stand_ins: bool,
    /// The document has NEL, U+2028 or U+2029, which saphyr does not read as line
    /// breaks inside quoted scalars.
    pub(super) line_separators: bool,
    /// The parsed text has line breaks joined (see `reader::relax_flow_breaks`): the
    /// spans of flow collections and quoted scalars are recorded to check them, and
    /// scalars with line breaks are read from their source.
    pub(super) joined_lines: bool,
    pub(super) joinable: Vec<Span>,
}

/// Build the tree of `body` (the document after any byte-order mark, which starts at
/// byte `base` of `text`).
pub(super) fn build(text: &str, body: &str, base: usize, limits: &Limits) -> Parsed {
    let prepared = reader::for_saphyr(body);
    let refusal = match run(text, body, base, limits, &prepared, &[]) {
        Ok(parsed) => return parsed,
        Err(refusal) => refusal,
    };
    // saphyr applies YAML 1.2's indentation rules inside flow collections and quoted
    // scalars, which PyYAML does not; such a document is read again with those lines
    // joined (see `reader::relax_flow_breaks`), and kept only if every joined break was
    // inside a flow collection or a quoted scalar.
    let indentation = refusal
        .compat_message
        .as_deref()
        .is_some_and(|m| m.contains("invalid indentation"));
    if indentation && let Some((relaxed, breaks)) = reader::relax_flow_breaks(&prepared) {
        match run(text, body, base, limits, &relaxed, &breaks) {
            Ok(parsed) => return parsed,
            // The flow-key rule reads the original text, so its refusal holds whatever
            // the joining did, and it is the one PyYAML gives.
            Err(flow_key) if flow_key.message.starts_with(FLOW_KEY_PREFIX) => {
                return failed(vec![*flow_key]);
            }
            Err(_) => {}
        }
    }
    failed(vec![*refusal])
}

/// One parse of `prepared` (the text saphyr reads, character for character the same
/// length as `body`). `joined` lists the character indices of line breaks and comment
/// characters the text has replaced to join lines; the parse is refused unless each lies
/// inside a flow collection or a quoted scalar, and scalars with line breaks are then
/// read from their source text.
fn run(
    text: &str,
    body: &str,
    base: usize,
    limits: &Limits,
    prepared: &str,
    joined: &[usize],
) -> Result<Parsed, Box<Diagnostic>> {
    if joined.is_empty()
        && let Some(parsed) = read_fast(text, body, base, limits, prepared)
    {
        return Ok(parsed);
    }
    let mut builder = Builder::new(text, body, base, limits, !joined.is_empty());
    let mut parser = Parser::new_from_str(prepared);
    while let Some(next) = parser.next_event() {
        match next {
            Ok((Event::StreamEnd, _)) => break,
            Ok((event, span)) => builder.on_event(event, span.start.index(), span.end.index())?,
            Err(err) => {
                return fail(errors::scan_error(
                    text,
                    &builder.offsets,
                    &err,
                    &builder.open_flows(),
                    limits,
                ));
            }
        }
    }
    if !joined.is_empty() && !builder.joins_are_inside(joined) {
        // The caller reports the refusal of the unjoined text instead.
        return fail(Diagnostic::new(
            &YAML_SYNTAX,
            Span::point(0),
            "lines joined outside a flow collection",
        ));
    }
    Ok(builder.finish())
}

/// The fast reader's reading of the document, if it can read it and a builder accepts
/// it: the direct builder where the document needs no arena, the arena builder where it
/// does. `None` sends the document to saphyr, whose reading words every refusal.
fn read_fast(
    text: &str,
    body: &str,
    base: usize,
    limits: &Limits,
    prepared: &str,
) -> Option<Parsed> {
    match direct::build(text, body, base, limits, prepared) {
        Ok(parsed) => return Some(parsed),
        // The reader itself gave up, which it would do again with the arena builder.
        Err(fast::Stop::Unsupported) => return None,
        Err(fast::Stop::Refused) => {}
    }
    read_fast_with_arena(text, body, base, limits, prepared)
}

/// The fast reader's events built by the arena builder; `None` if either refuses.
pub(super) fn read_fast_with_arena(
    text: &str,
    body: &str,
    base: usize,
    limits: &Limits,
    prepared: &str,
) -> Option<Parsed> {
    let mut builder = Builder::new(text, body, base, limits, false);
    fast::read(prepared, |event, start, end| {
        builder.on_event(event, start, end)
    })
    .ok()?;
    Some(builder.finish())
}

/// The byte offset of a flow collection's `[` or `{`, from the span of its start event;
/// `None` for a block collection. The start event of a flow collection ends just after
/// its bracket, or after the blanks that follow it. (The implicit mapping of a pair in a
/// flow sequence, `[k: v]`, starts right after the `[` too, but has no bracket of its
/// own.)
pub(super) fn flow_bracket(text: &str, span: Span, mapping: bool) -> Option<usize> {
    let open_bracket = if mapping { '{' } else { '[' };
    text.get(span.start..span.end)
        .map(|s| s.trim_end_matches(|c: char| c == ' ' || c == '\t' || reader::is_pyyaml_break(c)))
        .filter(|s| s.ends_with(open_bracket))
        .map(|s| span.start + s.len() - 1)
}

pub(super) fn failed(diagnostics: Vec<Diagnostic>) -> Parsed {
    Parsed {
        root: None,
        diagnostics,
    }
}

pub(super) fn fail<T>(diagnostic: Diagnostic) -> Outcome<T> {
    Err(Box::new(diagnostic))
}

pub(super) fn with_message(mut diagnostic: Diagnostic, message: &str) -> Diagnostic {
    message.clone_into(&mut diagnostic.message);
    diagnostic
}

pub(super) fn style_of(style: YamlStyle) -> ScalarStyle {
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

impl<'t> Builder<'t> {
    fn new(text: &'t str, body: &'t str, base: usize, limits: &'t Limits, joined: bool) -> Self {
        Builder {
            text,
            offsets: Offsets::new(body, base),
            limits,
            arena: Arena::for_document(body.len()),
            frames: Vec::new(),
            anchors: HashMap::new(),
            anchor_names: HashMap::new(),
            aliases_used: 0,
            root: None,
            document_start: None,
            last_event_end: base,
            deferred: Vec::new(),
            tabs: TabRegions::new(body),
            // Both are non-ASCII characters; one fast check spares two searches.
            bom_stand_ins: !body.is_ascii() && body.contains('\u{feff}'),
            line_separators: !body.is_ascii() && body.contains(['\u{85}', '\u{2028}', '\u{2029}']),
            joined_lines: joined,
            joinable: Vec::new(),
        }
    }

    /// The source span of an event's start and end character indices in saphyr's text.
    fn span(&self, start: usize, end: usize) -> Span {
        Span::new(self.offsets.byte(start), self.offsets.byte(end))
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

    fn on_event(&mut self, event: Event<'_>, start: usize, end: usize) -> Outcome<()> {
        let span = self.span(start, end);
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

    pub(super) fn defer(&mut self, diagnostic: Diagnostic) {
        self.deferred.push(diagnostic);
    }

    /// Record an anchor definition; PyYAML refuses a name defined twice.
    pub(super) fn define_anchor(&mut self, anchor: usize, start: usize) -> Outcome<()> {
        if anchor == 0 {
            return Ok(());
        }
        let Some(at) = self.anchor_offset(start) else {
            return Ok(());
        };
        let name = errors::name_after_sigil(self.text, at).to_owned();
        let span = Span::new(at, at + 1 + name.len());
        self.check_anchor_name(&name, at)?;
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

    /// PyYAML allows only ASCII letters, digits, `-` and `_` in anchor and alias names
    /// (YAML 1.2 allows almost anything); the reference refuses other names.
    fn check_anchor_name(&self, name: &str, sigil: usize) -> Outcome<()> {
        let Some((offset, bad)) = name
            .char_indices()
            .find(|&(_, c)| !(c.is_ascii_alphanumeric() || c == '-' || c == '_'))
        else {
            return Ok(());
        };
        let at = sigil + 1 + offset;
        let what = if self.text.get(sigil..).is_some_and(|s| s.starts_with('*')) {
            "an alias"
        } else {
            "an anchor"
        };
        fail(
            Diagnostic::new(
                &YAML_SYNTAX,
                Span::new(at, at + bad.len_utf8()),
                format!("`{bad}` is not allowed in {what} name"),
            )
            .with_help("anchor and alias names may contain only ASCII letters, digits, `-` and `_`")
            .with_compat(format!(
                "YAML parse error: while scanning {what}\nexpected alphabetic or numeric \
                 character, but found '{bad}'\n{}",
                errors::pyyaml_mark(self.text, at)
            )),
        )
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

    pub(super) fn attach(&mut self, index: usize, special: Special) -> Outcome<()> {
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
            return Ok(());
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
            return self.check_flow_key(span);
        };
        if let Some(tag) = misplaced_tag {
            let d = self.unknown_tag(span, &format!("{CORE}{tag}"));
            self.defer(d);
        }
        Ok(())
    }

    /// PyYAML's simple-key rule in flow collections: an implicit key must end (at its
    /// `:`) on the line it starts on and within 1,024 characters, or the `:` is not a
    /// key indicator and the parser refuses it. saphyr applies the rule only in block
    /// context, so flow keys are checked here as they are attached.
    fn check_flow_key(&self, key: Span) -> Outcome<()> {
        let Some(innermost) = self.frames.iter().rev().find_map(|f| f.bracket.map(|_| f)) else {
            return Ok(());
        };
        let text = self.text;
        let after = text.get(key.end..).unwrap_or("");
        let gap = after
            .find(|c: char| c != ' ' && c != '\t' && !reader::is_pyyaml_break(c))
            .unwrap_or(after.len());
        let colon = key.end + gap;
        if !after.get(gap..).is_some_and(|s| s.starts_with(':')) {
            return Ok(());
        }
        let region = text.get(key.start..colon).unwrap_or("");
        let one_line = !region.contains(reader::is_pyyaml_break);
        if one_line && (region.len() <= 1024 || region.chars().count() <= 1024) {
            return Ok(());
        }
        let explicit = text.get(..key.start).and_then(|before| {
            before
                .trim_end_matches([' ', '\t', '\n', '\r'])
                .chars()
                .last()
        }) == Some('?');
        if explicit {
            return Ok(());
        }
        let (what, close) = if innermost.mapping {
            ("mapping", '}')
        } else {
            ("sequence", ']')
        };
        let open = innermost.bracket.unwrap_or(innermost.start);
        let message = if one_line {
            format!("{FLOW_KEY_PREFIX} is longer than 1,024 characters")
        } else {
            format!("{FLOW_KEY_PREFIX} spans more than one line")
        };
        fail(
            Diagnostic::new(&YAML_SYNTAX, Span::new(colon, colon + 1), message)
                .with_label("the `:` after the key")
                .with_related(Span::new(key.start, key.start + 1), "the key starts here")
                .with_help(
                    "write the key on one line and shorter than 1,024 characters, mark it \
                     as an explicit key with `? `, or use block style",
                )
                .with_compat(format!(
                    "YAML parse error: while parsing a flow {what}\n{}\nexpected ',' or \
                     '{close}', but got ':'\n{}",
                    errors::pyyaml_mark(text, open),
                    errors::pyyaml_mark(text, colon)
                )),
        )
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
        let bracket = flow_bracket(self.text, span, mapping);
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
        if self.joined_lines
            && let Some(bracket) = frame.bracket
        {
            self.joinable.push(Span::new(bracket, span.end));
        }
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
            self.arena.mark_shared(index);
        }
        self.attach(index, Special::None)
    }

    pub(super) fn too_many_nodes(&self, span: Span) -> Diagnostic {
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
        self.check_anchor_name(&name, span.start)?;
        let Some(&target) = self.anchors.get(&id) else {
            // saphyr reports undefined aliases itself; an anchor that is known but not
            // yet complete is a collection the alias sits inside of. PyYAML builds the
            // recursive value (`x: &a [*a]` is a list that contains itself) and the
            // reference only fails if it uses the value; the tree has no cycles, so the
            // alias stands in as an empty collection of the same kind (see
            // `RawKind::Recursive`).
            let mapping = self
                .frames
                .iter()
                .rev()
                .find(|f| f.anchor == id)
                .is_some_and(|f| f.mapping);
            let index = self.arena.push(Raw {
                kind: RawKind::Recursive { mapping },
                span,
                style: ScalarStyle::NotScalar,
                size: 1,
                height: 1,
            });
            return self.attach(index, Special::None);
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
        self.attach(index, Special::None)
    }

    /// Whether every replaced character (a character index of the parsed text) lies
    /// inside a flow collection or a quoted scalar as parsed, and no joined line starts
    /// with a document marker (which PyYAML refuses inside both).
    fn joins_are_inside(&mut self, joined: &[usize]) -> bool {
        let mut spans = std::mem::take(&mut self.joinable);
        spans.sort_unstable();
        let mut merged: Vec<Span> = Vec::with_capacity(spans.len());
        for span in spans {
            match merged.last_mut() {
                Some(last) if span.start <= last.end => last.end = last.end.max(span.end),
                _ => merged.push(span),
            }
        }
        joined.iter().all(|&index| {
            let at = self.offsets.byte(index);
            let after = self.text.get(at + 1..).unwrap_or("");
            let after = after.strip_prefix('\n').unwrap_or(after);
            let inside = merged
                .get(merged.partition_point(|s| s.end <= at))
                .is_some_and(|s| s.start <= at);
            inside && !after.starts_with("---") && !after.starts_with("...")
        })
    }

    fn finish(self) -> Parsed {
        // A tab PyYAML refuses is a scanner error for it, reported before anything its
        // constructor would complain about.
        if let Some(at) = self.tabs.first_refused_tab(self.text) {
            return failed(vec![tabs::refused_tab(self.text, at)]);
        }
        if !self.deferred.is_empty() {
            return failed(self.deferred);
        }
        let Some(root) = self.root else {
            return Parsed::default();
        };
        if self.arena.size(root) > self.limits.max_nodes {
            return failed(vec![self.too_many_nodes(self.arena.span(root))]);
        }
        let span = self.arena.span(root);
        match self.arena.materialize(root) {
            Some(node) => Parsed {
                root: Some(node),
                diagnostics: Vec::new(),
            },
            None => failed(vec![Diagnostic::new(
                &LIMIT_EXCEEDED,
                span,
                "the document could not be assembled",
            )]),
        }
    }
}
