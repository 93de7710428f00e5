//! A fast reader for the YAML most policies are written in, producing exactly the events
//! saphyr would, so the builder cannot tell which of the two read the document.
//!
//! Loading a 10,000-rule policy spent about 40% of its instructions in saphyr's general
//! scanner (token queues, owned strings per token, simple-key bookkeeping), for
//! documents that use a small part of YAML: block mappings and sequences, one-line plain
//! and quoted scalars, one-line flow collections and comments. This reader handles
//! exactly that part, borrowing every scalar from the text, and gives up
//! ([`Stop::Unsupported`]) at the first thing outside it: anchors, aliases, tags, block
//! scalars, multi-line scalars or flows, escapes, tabs, carriage returns, non-ASCII text,
//! empty values, explicit keys, document markers. A document it gives up on, or one the
//! builder refuses while it reads, is read again by saphyr from the start, so every
//! error (and its wording) still comes from the one general path.
//!
//! The spans follow saphyr's conventions, quirks included: a block collection starts at
//! its first token (an indentless sequence at its first entry's content) and ends at the
//! token after it; a flow collection's start runs to its first inner token; a quoted
//! scalar's and a closing bracket's end run over the spaces and comment after them. The
//! unit tests compare both readers event by event on every fixture, seed and generated
//! document, and fail on any difference.

use std::borrow::Cow;

use saphyr_parser::{Event, ScalarStyle};

/// Nesting this reader follows before it hands the document to saphyr (which applies the
/// configured depth limit with its own diagnostic).
const MAX_DEPTH: usize = 64;
/// saphyr refuses implicit keys longer than 1024 characters; longer ones go to it.
const MAX_KEY_CHARS: usize = 1000;

/// Why the fast reader stopped before the end of the document.
pub(super) enum Stop {
    /// The document uses YAML this reader does not read.
    Unsupported,
    /// The sink refused an event: the direct builder declined the document (the arena
    /// builder then builds it from these events), or the arena builder refused it (a
    /// limit, a bad merge...; saphyr reads it again to word the refusal as the general
    /// path does).
    Refused,
}

type Step<T = ()> = Result<T, Stop>;

/// Read `text` (the document saphyr would read) and hand every event, with its start and
/// end character index, to `sink`. Stream and document end events are not produced: the
/// builder does nothing with them.
pub(super) fn read<'t, F, E>(text: &'t str, sink: F) -> Step
where
    F: FnMut(Event<'t>, usize, usize) -> Result<(), E>,
{
    let bytes = text.as_bytes();
    // One pass over the bytes settles the cases the reader would otherwise meet
    // everywhere: it sees only printable ASCII and line feeds, never a tab, a carriage
    // return, a control character (saphyr refuses those the fuzz target found) or a
    // multi-byte character (so character indices are byte indices). `&`, `*`, `!`, `|` and `>` are text inside a
    // scalar (`'*secret*'`) and are refused only where a token starts.
    if !super::reader::all_bytes(bytes, |b| b == b'\n' || (b' '..=b'~').contains(&b)) {
        return Err(Stop::Unsupported);
    }
    let mut reader = Reader {
        text,
        bytes,
        pos: 0,
        depth: 0,
        sink,
    };
    reader.document()
}

struct Reader<'t, F> {
    text: &'t str,
    bytes: &'t [u8],
    pos: usize,
    depth: usize,
    sink: F,
}

/// A scalar read but not yet emitted: whether it is a key is known only from what
/// follows it.
struct Scalar<'t> {
    value: Cow<'t, str>,
    style: ScalarStyle,
    start: usize,
    end: usize,
}

/// The first token after a node, where its parent decides what comes next: its position
/// and column, or `None` at the end of the document.
type Next = Option<(usize, usize)>;

impl<'t, F, E> Reader<'t, F>
where
    F: FnMut(Event<'t>, usize, usize) -> Result<(), E>,
{
    fn emit(&mut self, event: Event<'t>, start: usize, end: usize) -> Step {
        (self.sink)(event, start, end).map_err(|_| Stop::Refused)
    }

    fn byte(&self, at: usize) -> u8 {
        self.bytes.get(at).copied().unwrap_or(b'\n')
    }

    fn at_end(&self, at: usize) -> bool {
        at >= self.bytes.len()
    }

    /// A space, a line break or the end of the text: what must follow `-` and `:`.
    fn blank(&self, at: usize) -> bool {
        matches!(self.byte(at), b' ' | b'\n')
    }

    fn line_start(&self, at: usize) -> usize {
        self.bytes[..at]
            .iter()
            .rposition(|&b| b == b'\n')
            .map_or(0, |i| i + 1)
    }

    fn skip_spaces(&self, mut at: usize) -> usize {
        // `byte` reads past the end as a line break, which stops the loop there.
        while self.byte(at) == b' ' {
            at += 1;
        }
        at
    }

    fn end_of_line(&self, at: usize) -> usize {
        self.bytes[at.min(self.bytes.len())..]
            .iter()
            .position(|&b| b == b'\n')
            .map_or(self.bytes.len(), |i| at + i)
    }

    /// The next token from `self.pos`, across spaces, line breaks and comments.
    fn next_token(&mut self) -> Step<Next> {
        let mut at = self.pos;
        let mut line_start = self.line_start(at);
        loop {
            at = self.skip_spaces(at);
            if self.at_end(at) {
                self.pos = at;
                return Ok(None);
            }
            match self.byte(at) {
                b'\n' => {
                    at += 1;
                    line_start = at;
                }
                b'#' if at == line_start || self.byte(at - 1) == b' ' => {
                    at = self.end_of_line(at);
                }
                _ => break,
            }
        }
        let column = at - line_start;
        if column == 0 && self.document_marker(at) {
            return Err(Stop::Unsupported);
        }
        self.pos = at;
        Ok(Some((at, column)))
    }

    fn document_marker(&self, at: usize) -> bool {
        let rest = &self.bytes[at..];
        rest.first() == Some(&b'%')
            || ((rest.starts_with(b"---") || rest.starts_with(b"...")) && self.blank(at + 3))
    }

    /// The whole document, which must be one block collection starting at column 0.
    fn document(&mut self) -> Step {
        let Some((start, 0)) = self.next_token()? else {
            return Err(Stop::Unsupported);
        };
        self.emit(Event::DocumentStart(false), start, start)?;
        match self.block_collection(start, 0, None)? {
            None => Ok(()),
            Some(_) => Err(Stop::Unsupported),
        }
    }

    fn descend(&mut self) -> Step {
        self.depth += 1;
        if self.depth > MAX_DEPTH {
            return Err(Stop::Unsupported);
        }
        Ok(())
    }

    /// A block sequence or mapping whose first token is at `at`, in column `indent`;
    /// `parent` is the indentation of the collection holding it.
    fn block_collection(&mut self, at: usize, indent: usize, parent: Option<usize>) -> Step<Next> {
        if parent.is_some_and(|p| indent <= p) {
            return Err(Stop::Unsupported);
        }
        self.descend()?;
        self.pos = at;
        let next = if self.byte(at) == b'-' && self.blank(at + 1) {
            self.emit(Event::SequenceStart(0, None), at, at)?;
            self.block_sequence(indent, false)?
        } else {
            let key = self.key(at)?;
            self.emit(Event::MappingStart(0, None), at, at)?;
            self.block_mapping(indent, key)?
        };
        self.depth -= 1;
        Ok(next)
    }

    /// The entries of a block sequence, from its first `-`. An indentless sequence (the
    /// value of a mapping key, written at the key's own column) ends at the first token
    /// in that column that is not an entry.
    fn block_sequence(&mut self, indent: usize, indentless: bool) -> Step<Next> {
        loop {
            // At a `-` followed by a blank.
            let content = self.skip_spaces(self.pos + 1);
            if matches!(self.byte(content), b'\n' | b'#') || self.at_end(content) {
                return Err(Stop::Unsupported);
            }
            let column = content - self.line_start(content);
            let next = self.entry(content, column, indent)?;
            match next {
                None => {
                    let end = self.bytes.len();
                    self.emit(Event::SequenceEnd, end, end)?;
                    return Ok(None);
                }
                Some((at, column)) if column == indent && self.entry_dash(at) => {
                    self.pos = at;
                }
                Some((at, column)) if column < indent || (indentless && column == indent) => {
                    self.emit(Event::SequenceEnd, at, at)?;
                    return Ok(next);
                }
                Some(_) => return Err(Stop::Unsupported),
            }
        }
    }

    fn entry_dash(&self, at: usize) -> bool {
        self.byte(at) == b'-' && self.blank(at + 1)
    }

    /// A sequence entry's content, on the line of its `-`: a compact mapping, a flow
    /// collection or a scalar.
    fn entry(&mut self, at: usize, column: usize, indent: usize) -> Step<Next> {
        self.inline_node(at, Some((column, indent)))
    }

    /// A node that starts on the current line: a flow collection or a scalar, or, where
    /// `compact` allows one (a sequence entry: its column and the sequence's indent), a
    /// block mapping whose first key is here. A mapping value cannot be a mapping on
    /// its key's line (`a: b: c`), so there a key is left to saphyr.
    fn inline_node(&mut self, at: usize, compact: Option<(usize, usize)>) -> Step<Next> {
        match self.byte(at) {
            b'[' | b'{' => self.inline_flow(at),
            _ if self.entry_dash(at) => Err(Stop::Unsupported),
            _ => {
                let scalar = self.block_scalar(at)?;
                if self.byte(self.pos) == b':' {
                    let (column, indent) = compact.ok_or(Stop::Unsupported)?;
                    return self.block_collection(at, column, Some(indent));
                }
                self.emit_scalar(scalar)?;
                self.after_inline_value()
            }
        }
    }

    /// A mapping key at `at`: a one-line plain or quoted scalar followed by `:` and a
    /// blank. Leaves `self.pos` after the `:`.
    fn key(&mut self, at: usize) -> Step<Scalar<'t>> {
        if self.byte(at) == b'-' && self.blank(at + 1) {
            return Err(Stop::Unsupported);
        }
        let key = self.block_scalar(at)?;
        if self.byte(self.pos) != b':' || !self.blank(self.pos + 1) {
            return Err(Stop::Unsupported);
        }
        if key.end - key.start > MAX_KEY_CHARS {
            return Err(Stop::Unsupported);
        }
        self.pos += 1;
        Ok(key)
    }

    /// The pairs of a block mapping whose first key has been read.
    fn block_mapping(&mut self, indent: usize, first_key: Scalar<'t>) -> Step<Next> {
        let mut key = first_key;
        loop {
            self.emit_scalar(key)?;
            let next = self.mapping_value(indent)?;
            match next {
                None => {
                    let end = self.bytes.len();
                    self.emit(Event::MappingEnd, end, end)?;
                    return Ok(None);
                }
                Some((at, column)) if column == indent => {
                    key = self.key(at)?;
                }
                Some((at, column)) if column < indent => {
                    self.emit(Event::MappingEnd, at, at)?;
                    return Ok(next);
                }
                Some(_) => return Err(Stop::Unsupported),
            }
        }
    }

    /// The value after a key's `:`: on the same line (a scalar or a flow collection) or a
    /// block collection on the lines below.
    fn mapping_value(&mut self, indent: usize) -> Step<Next> {
        let at = self.skip_spaces(self.pos);
        if self.at_end(at) || self.byte(at) == b'\n' || self.byte(at) == b'#' {
            return match self.next_token()? {
                Some((next, column)) if column == indent && self.entry_dash(next) => {
                    let content = self.skip_spaces(next + 1);
                    self.emit(Event::SequenceStart(0, None), content, content)?;
                    self.descend()?;
                    let after = self.block_sequence(indent, true)?;
                    self.depth -= 1;
                    Ok(after)
                }
                Some((next, column)) if column > indent => {
                    self.block_collection(next, column, Some(indent))
                }
                // An empty value: saphyr's empty scalar has its own span rules.
                _ => Err(Stop::Unsupported),
            };
        }
        self.inline_node(at, None)
    }

    /// A flow collection written on one line in block context, and nothing after it but
    /// a comment.
    fn inline_flow(&mut self, at: usize) -> Step<Next> {
        self.pos = at;
        self.flow_node(0)?;
        self.after_inline_value()
    }

    /// After a value that ends its line: only spaces and a comment may follow, and the
    /// next token must not continue it on a more indented line (the caller checks the
    /// column it returns).
    fn after_inline_value(&mut self) -> Step<Next> {
        let at = self.skip_spaces(self.pos);
        let comment = self.byte(at) == b'#' && at > 0 && self.byte(at - 1) == b' ';
        if !(self.at_end(at) || self.byte(at) == b'\n' || comment) {
            return Err(Stop::Unsupported);
        }
        self.pos = at;
        self.next_token()
    }

    fn emit_scalar(&mut self, scalar: Scalar<'t>) -> Step {
        self.emit(
            Event::Scalar(scalar.value, scalar.style, 0, None),
            scalar.start,
            scalar.end,
        )
    }

    /// A one-line scalar in block context; `self.pos` is left just after its text (at
    /// the `:` of a key, the start of a comment or the line break).
    fn block_scalar(&mut self, at: usize) -> Step<Scalar<'t>> {
        match self.byte(at) {
            b'\'' => self.single_quoted(at),
            b'"' => self.double_quoted(at),
            first if plain_start(first, self.byte(at + 1)) => self.plain(at, false),
            _ => Err(Stop::Unsupported),
        }
    }

    /// A plain scalar: up to a line break, `: `, ` #` (and in a flow, any flow
    /// indicator), trailing spaces not included.
    fn plain(&mut self, start: usize, flow: bool) -> Step<Scalar<'t>> {
        let mut at = start;
        let mut end = start;
        while !self.at_end(at) {
            match self.byte(at) {
                b'\n' => break,
                b':' if self.blank(at + 1)
                    || (flow && matches!(self.byte(at + 1), b',' | b']' | b'}')) =>
                {
                    break;
                }
                b'#' if self.byte(at - 1) == b' ' => break,
                b',' | b'[' | b']' | b'{' | b'}' if flow => break,
                // saphyr refuses `-` before a flow indicator after a space (`[a -]`);
                // any `-` there is left to it.
                b'-' if flow && matches!(self.byte(at + 1), b',' | b'[' | b']' | b'{' | b'}') => {
                    return Err(Stop::Unsupported);
                }
                b' ' => {}
                _ => end = at + 1,
            }
            at += 1;
        }
        self.pos = at;
        Ok(Scalar {
            value: Cow::Borrowed(&self.text[start..end]),
            style: ScalarStyle::Plain,
            start,
            end,
        })
    }

    fn single_quoted(&mut self, start: usize) -> Step<Scalar<'t>> {
        let mut at = start + 1;
        let mut escaped = false;
        loop {
            match self.bytes.get(at) {
                None | Some(b'\n') => return Err(Stop::Unsupported),
                Some(b'\'') if self.byte(at + 1) == b'\'' => {
                    escaped = true;
                    at += 2;
                }
                Some(b'\'') => break,
                Some(_) => at += 1,
            }
        }
        let inner = &self.text[start + 1..at];
        let value = if escaped {
            Cow::Owned(inner.replace("''", "'"))
        } else {
            Cow::Borrowed(inner)
        };
        self.quoted(start, at + 1, value, ScalarStyle::SingleQuoted)
    }

    fn double_quoted(&mut self, start: usize) -> Step<Scalar<'t>> {
        let rest = &self.bytes[start + 1..];
        let Some(close) = rest.iter().position(|&b| matches!(b, b'"' | b'\\' | b'\n')) else {
            return Err(Stop::Unsupported);
        };
        if rest[close] != b'"' {
            return Err(Stop::Unsupported);
        }
        let value = Cow::Borrowed(&self.text[start + 1..start + 1 + close]);
        self.quoted(start, start + close + 2, value, ScalarStyle::DoubleQuoted)
    }

    /// A quoted scalar whose closing quote ends before `after`: saphyr's span for it runs
    /// over the spaces and comment after the quote.
    fn quoted(
        &mut self,
        start: usize,
        after: usize,
        value: Cow<'t, str>,
        style: ScalarStyle,
    ) -> Step<Scalar<'t>> {
        let end = self.closing_end(after)?;
        self.pos = self.skip_spaces(after);
        Ok(Scalar {
            value,
            style,
            start,
            end,
        })
    }

    /// Where saphyr ends a token that closes something (a quote, a bracket): after the
    /// spaces that follow it and, if a comment comes next, at the end of its line.
    fn closing_end(&self, after: usize) -> Step<usize> {
        let at = self.skip_spaces(after);
        match self.byte(at) {
            b'#' if at > after => Ok(self.end_of_line(at)),
            b'#' => Err(Stop::Unsupported),
            _ => Ok(at),
        }
    }

    /// A flow node at `self.pos` (a scalar or a collection), all on the current line.
    fn flow_node(&mut self, depth: usize) -> Step {
        if depth > MAX_DEPTH {
            return Err(Stop::Unsupported);
        }
        let at = self.pos;
        match self.byte(at) {
            b'[' => self.flow_collection(at, false, depth),
            b'{' => self.flow_collection(at, true, depth),
            _ => {
                let scalar = self.flow_scalar(at)?;
                if self.byte(self.pos) == b':' {
                    // A single-pair mapping inside a flow sequence (`[a: b]`).
                    return Err(Stop::Unsupported);
                }
                self.emit_scalar(scalar)
            }
        }
    }

    fn flow_scalar(&mut self, at: usize) -> Step<Scalar<'t>> {
        match self.byte(at) {
            b'\'' => self.single_quoted(at),
            b'"' => self.double_quoted(at),
            first if plain_start(first, self.byte(at + 1)) => {
                let scalar = self.plain(at, true)?;
                // `a:b`, a comment or a line break inside a flow: saphyr's business.
                match self.byte(self.pos) {
                    b',' | b']' | b'}' => Ok(scalar),
                    b':' if self.blank(self.pos + 1) => Ok(scalar),
                    _ => Err(Stop::Unsupported),
                }
            }
            _ => Err(Stop::Unsupported),
        }
    }

    /// `[...]` or `{...}` starting at `start`, on one line.
    fn flow_collection(&mut self, start: usize, mapping: bool, depth: usize) -> Step {
        let (open, close) = if mapping {
            (Event::MappingStart(0, None), b'}')
        } else {
            (Event::SequenceStart(0, None), b']')
        };
        let first = self.skip_spaces(start + 1);
        if matches!(self.byte(first), b'\n' | b'#') || self.at_end(first) {
            return Err(Stop::Unsupported);
        }
        self.emit(open, start, first)?;
        self.pos = first;
        if self.byte(first) != close {
            loop {
                if mapping {
                    self.flow_pair(depth)?;
                } else {
                    self.flow_node(depth + 1)?;
                }
                let at = self.skip_spaces(self.pos);
                match self.byte(at) {
                    b',' => {
                        let item = self.skip_spaces(at + 1);
                        if matches!(self.byte(item), b',' | b']' | b'}' | b'\n' | b'#') {
                            return Err(Stop::Unsupported);
                        }
                        self.pos = item;
                    }
                    b if b == close => {
                        self.pos = at;
                        break;
                    }
                    _ => return Err(Stop::Unsupported),
                }
            }
        }
        let bracket = self.pos;
        let end = self.closing_end(bracket + 1)?;
        let event = if mapping {
            Event::MappingEnd
        } else {
            Event::SequenceEnd
        };
        self.emit(event, bracket, end)?;
        self.pos = bracket + 1;
        Ok(())
    }

    /// `key: value` inside a flow mapping.
    fn flow_pair(&mut self, depth: usize) -> Step {
        let at = self.pos;
        if matches!(self.byte(at), b'[' | b'{') {
            return Err(Stop::Unsupported);
        }
        let key = self.flow_scalar(at)?;
        if self.byte(self.pos) != b':' || self.byte(self.pos + 1) != b' ' {
            return Err(Stop::Unsupported);
        }
        if key.end - key.start > MAX_KEY_CHARS {
            return Err(Stop::Unsupported);
        }
        self.emit_scalar(key)?;
        let value = self.skip_spaces(self.pos + 1);
        if matches!(self.byte(value), b',' | b'}' | b']' | b'\n' | b'#') || self.at_end(value) {
            return Err(Stop::Unsupported);
        }
        self.pos = value;
        self.flow_node(depth + 1)
    }
}

/// Whether a plain scalar may start with `first` (followed by `second`) in both block and
/// flow context. Indicators are left to saphyr, except `-` before a non-blank (`-1`),
/// which is common and unambiguous.
fn plain_start(first: u8, second: u8) -> bool {
    match first {
        b'-' => !matches!(second, b' ' | b'\n' | b',' | b'[' | b']' | b'{' | b'}'),
        b'?' | b':' | b',' | b'[' | b']' | b'{' | b'}' | b'#' | b'&' | b'*' | b'!' | b'|'
        | b'>' | b'\'' | b'"' | b'%' | b'@' | b'`' | b' ' | b'\n' => false,
        _ => true,
    }
}

/// The fast reader against saphyr on `text`: `Ok(true)` when the fast reader read it
/// and both produced the same events, `Ok(false)` when the fast reader left it to
/// saphyr, and a description of the difference otherwise (the fast reader accepted a
/// document saphyr refuses, or their events differ). The unit tests and the
/// `yaml_fast` fuzz target run it.
pub(in crate::syntax) fn agrees_with_saphyr(text: &str) -> Result<bool, String> {
    let mut fast = Vec::new();
    let read = read(text, |event, start, end| {
        fast.push((event, start, end));
        Ok::<(), std::convert::Infallible>(())
    });
    if read.is_err() {
        return Ok(false);
    }
    let mut parser = saphyr_parser::Parser::new_from_str(text);
    let mut reference = Vec::new();
    while let Some(next) = parser.next_event() {
        let (event, span) = next
            .map_err(|error| format!("the fast reader read a document saphyr refuses ({error})"))?;
        match event {
            Event::StreamEnd => break,
            Event::StreamStart | Event::DocumentEnd | Event::Nothing => {}
            event => reference.push((event, span.start.index(), span.end.index())),
        }
    }
    if fast == reference {
        Ok(true)
    } else {
        Err(format!(
            "the readers differ: fast {fast:?}, saphyr {reference:?}"
        ))
    }
}

#[cfg(test)]
#[path = "fast_tests.rs"]
mod tests;
