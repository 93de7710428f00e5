//! What PyYAML's reader and directive handling decide before any YAML structure exists:
//! the characters it refuses, the line breaks it knows, the byte-order marks it keeps,
//! and the `%YAML`/`%TAG` directives it refuses.
//!
//! saphyr implements YAML 1.2, whose character rules differ from the 1.1 reader the
//! reference uses. PyYAML refuses a document containing any character outside its
//! printable set (C0 controls but tab and line breaks, DEL, C1 controls but NEL,
//! U+FFFE, U+FFFF), wherever it stands, comments included; it breaks lines at NEL,
//! U+2028 and U+2029 as well as at `\n` and `\r`; and it treats U+FEFF past the first
//! character as an ordinary character. Rather than patch saphyr, the text saphyr reads
//! is prepared here: NEL, LS and PS become `\n` and a later U+FEFF becomes U+FFFE
//! (which the printable check has already ruled out of the document, so the builder can
//! turn it back into U+FEFF in scalar values). Every replacement is one character for
//! one character, so saphyr's character positions still index the original text.

use std::borrow::Cow;

use crate::diagnostics::Diagnostic;
use crate::diagnostics::codes::syntax::YAML_SYNTAX;
use crate::source::Span;

/// The stand-in for a U+FEFF that is not the document's first character.
pub(super) const BOM_STAND_IN: char = '\u{fffe}';

/// PyYAML's `Reader.NON_PRINTABLE`, inverted: the characters a document may contain.
fn is_acceptable(c: char) -> bool {
    matches!(
        c,
        '\t' | '\n' | '\r' | ' '..='~' | '\u{85}' | '\u{a0}'..='\u{d7ff}' | '\u{e000}'..='\u{fffd}'
    ) || c >= '\u{10000}'
}

/// Whether `c` is a line break for PyYAML (`\r\n` is one break).
pub(super) fn is_pyyaml_break(c: char) -> bool {
    matches!(c, '\n' | '\r' | '\u{85}' | '\u{2028}' | '\u{2029}')
}

/// The first character PyYAML refuses, with its byte offset.
pub(super) fn first_unacceptable(text: &str) -> Option<(usize, char)> {
    // Nearly every policy is printable ASCII, which one byte scan confirms.
    if all_bytes(text.as_bytes(), |b| {
        matches!(b, b'\t' | b'\n' | b'\r' | b' '..=b'~')
    }) {
        return None;
    }
    text.char_indices().find(|&(_, c)| !is_acceptable(c))
}

/// Whether every byte of `bytes` satisfies `accept`, read in blocks of 64 with no exit
/// inside a block, which the compiler turns into vector instructions: loading scans
/// the whole document twice this way (here and in the fast reader), and the byte-by-byte
/// `all` with its early exit was 9% of loading's instructions on a 10,000-rule policy.
pub(super) fn all_bytes(bytes: &[u8], accept: impl Fn(u8) -> bool) -> bool {
    let mut blocks = bytes.chunks_exact(64);
    let blocks_pass = blocks
        .by_ref()
        .all(|block| block.iter().fold(true, |ok, &b| ok & accept(b)));
    blocks_pass && blocks.remainder().iter().all(|&b| accept(b))
}

/// The position PyYAML reports for a byte offset: the index of the character in the
/// text the reference reads, which Python's universal-newline decoding produced (each
/// `\r\n` is one character there).
pub(super) fn pyyaml_position(text: &str, offset: usize) -> usize {
    let before = text.get(..offset).unwrap_or(text);
    before.chars().count() - before.matches("\r\n").count()
}

/// The refusal of a character outside PyYAML's printable set.
pub(super) fn unacceptable(text: &str, at: usize, c: char) -> Diagnostic {
    let code = u32::from(c);
    let name = match c {
        '\0' => "a NUL character".to_owned(),
        '\u{1b}' => "an escape character (ESC)".to_owned(),
        '\u{7f}' => "a delete character (DEL)".to_owned(),
        '\u{fffe}' | '\u{ffff}' => format!("the noncharacter U+{code:04X}"),
        _ => format!("the control character U+{code:04X}"),
    };
    Diagnostic::new(
        &YAML_SYNTAX,
        Span::new(at, at + c.len_utf8()),
        format!("{name} is not allowed in a YAML document"),
    )
    .with_label("this character")
    .with_help(
        "remove the character; inside a double-quoted string an escape such as `\\x01` or \
         `\\e` writes it into the value (the reference's YAML reader refuses the raw \
         character anywhere, comments included)",
    )
    .with_compat(format!(
        "YAML parse error: unacceptable character #x{code:04x}: special characters are not \
         allowed\n  in \"<unicode string>\", position {}",
        pyyaml_position(text, at)
    ))
}

/// The stand-in for a NEL, LS or PS inside a quoted scalar, which saphyr must read as
/// part of the scalar (PyYAML does not apply YAML 1.2's indentation rule to quoted
/// continuation lines). The builder reads such a scalar's value again from its source
/// text, so the stand-in never reaches a value.
pub(super) const QUOTED_BREAK_STAND_IN: char = '\u{ffff}';

/// The text saphyr parses: `body` with PyYAML's extra line breaks as `\n` (or, inside a
/// quoted scalar, as [`QUOTED_BREAK_STAND_IN`]) and every U+FEFF (the leading one is
/// already cut off) as [`BOM_STAND_IN`]. Borrowed when there is nothing to replace,
/// which is the case for nearly every policy.
pub(super) fn for_saphyr(body: &str) -> Cow<'_, str> {
    let special = |c: char| matches!(c, '\u{85}' | '\u{2028}' | '\u{2029}' | '\u{feff}');
    if body.is_ascii() || !body.contains(special) {
        return Cow::Borrowed(body);
    }
    Cow::Owned(Lexer::run(body, false).0)
}

/// `prepared` (the output of [`for_saphyr`]) with every line break and comment inside a
/// flow collection turned into spaces and every line break inside a quoted scalar into
/// [`QUOTED_BREAK_STAND_IN`], and the character indices of what was replaced; `None`
/// when nothing was.
///
/// PyYAML does not apply YAML 1.2's indentation rules inside flow collections and quoted
/// scalars (`deny: [` on one line and `]` less indented on a later one, a quoted value
/// continued at the start of a line), where saphyr refuses them. A document saphyr
/// refuses for indentation is parsed again from this text, in which those lines are
/// joined; the builder then checks that every joined break did sit inside a flow
/// collection or a quoted scalar as parsed, and reads the values of scalars with breaks
/// from their source text (see [`super::refold`]).
pub(super) fn relax_flow_breaks(prepared: &str) -> Option<(String, Vec<usize>)> {
    let (text, relaxed) = Lexer::run(prepared, true);
    (!relaxed.is_empty()).then_some((text, relaxed))
}

#[derive(PartialEq)]
enum State {
    Normal,
    Comment,
    Single,
    Double,
}

/// A small scan that tracks comments, quotes and flow brackets. A quote or bracket opens
/// after whitespace, `[`, `{` or `,` or at the start of the text, and inside a flow
/// collection also after `:` (a JSON-like `{"a":"b"}`). It can misjudge a quote or a
/// bracket inside a block scalar's content; that only matters for the characters it
/// replaces, and the builder refuses a parse in which a replaced break is not where the
/// scan assumed.
struct Lexer {
    state: State,
    depth: usize,
    previous: Option<char>,
    escaped: bool,
}

impl Lexer {
    fn run(body: &str, relax: bool) -> (String, Vec<usize>) {
        let mut lexer = Lexer {
            state: State::Normal,
            depth: 0,
            previous: None,
            escaped: false,
        };
        let mut out = String::with_capacity(body.len());
        let mut relaxed = Vec::new();
        let mut chars = body.chars().enumerate().peekable();
        while let Some((index, c)) = chars.next() {
            let quoted = matches!(lexer.state, State::Single | State::Double);
            let newline = c == '\n' || c == '\r';
            let in_flow = lexer.depth > 0;
            // A comment inside a flow collection, `#` and line break included, becomes
            // blanks, so that the lines around it join too.
            let flow_comment = in_flow
                && (lexer.state == State::Comment
                    || (lexer.state == State::Normal
                        && c == '#'
                        && lexer.previous.is_none_or(char::is_whitespace)));
            let relaxed_to = match c {
                _ if !relax => None,
                _ if newline && quoted => Some(QUOTED_BREAK_STAND_IN),
                _ if flow_comment || (newline && in_flow && lexer.state == State::Normal) => {
                    Some(' ')
                }
                _ => None,
            };
            let mapped = if let Some(to) = relaxed_to {
                relaxed.push(index);
                to
            } else {
                match c {
                    '\u{85}' | '\u{2028}' | '\u{2029}' if quoted => QUOTED_BREAK_STAND_IN,
                    '\u{85}' | '\u{2028}' | '\u{2029}' => '\n',
                    '\u{feff}' => BOM_STAND_IN,
                    other => other,
                }
            };
            out.push(mapped);
            if lexer.state == State::Single
                && c == '\''
                && chars.peek().is_some_and(|&(_, next)| next == '\'')
            {
                chars.next();
                out.push('\'');
                continue;
            }
            lexer.step(c);
        }
        (out, relaxed)
    }

    fn step(&mut self, c: char) {
        match self.state {
            State::Normal => {
                let opens = self.previous.is_none_or(|p| {
                    p.is_whitespace() || "[{,".contains(p) || (self.depth > 0 && p == ':')
                });
                match c {
                    '#' if self.previous.is_none_or(char::is_whitespace) => {
                        self.state = State::Comment;
                    }
                    '\'' if opens => self.state = State::Single,
                    '"' if opens => self.state = State::Double,
                    '[' | '{' if opens || self.depth > 0 => self.depth += 1,
                    ']' | '}' if self.depth > 0 => self.depth -= 1,
                    _ => {}
                }
            }
            State::Comment => {
                if is_pyyaml_break(c) {
                    self.state = State::Normal;
                }
            }
            State::Single => {
                if c == '\'' {
                    self.state = State::Normal;
                }
            }
            State::Double => {
                if self.escaped {
                    self.escaped = false;
                } else if c == '\\' {
                    self.escaped = true;
                } else if c == '"' {
                    self.state = State::Normal;
                }
            }
        }
        self.previous = Some(if is_pyyaml_break(c) { '\n' } else { c });
    }
}

/// PyYAML's `process_directives`: a `%YAML` directive must name version 1.x and appear
/// once, a `%TAG` handle may be declared once. `body` starts at byte `base` of `text`.
/// Only the well-formed directive lines at the start of the stream are looked at;
/// malformed ones are saphyr's to report.
pub(super) fn directive_error(text: &str, body: &str, base: usize) -> Option<Diagnostic> {
    if !body.contains('%') {
        return None;
    }
    let mut seen_yaml = false;
    let mut handles: Vec<&str> = Vec::new();
    let mut line_start = base;
    for line in body.split_inclusive('\n') {
        let at = line_start;
        line_start += line.len();
        let content = line.trim_end_matches(['\n', '\r']);
        let trimmed = content.trim_start_matches([' ', '\t']);
        if trimmed.is_empty() || trimmed.starts_with('#') {
            continue;
        }
        let directive = content.strip_prefix('%')?;
        let mut words = directive.split([' ', '\t']).filter(|w| !w.is_empty());
        match words.next() {
            Some("YAML") => {
                let major = words
                    .next()
                    .and_then(|v| v.split_once('.'))
                    .and_then(|(major, _)| major.parse::<u64>().ok())?;
                if seen_yaml {
                    return Some(directive_diagnostic(
                        text,
                        at,
                        content.len(),
                        "found duplicate YAML directive",
                        "a document may declare its YAML version once; remove this line",
                    ));
                }
                seen_yaml = true;
                if major != 1 {
                    return Some(directive_diagnostic(
                        text,
                        at,
                        content.len(),
                        "found incompatible YAML document (version 1.* is required)",
                        "policies are YAML 1.1 documents: write `%YAML 1.1`, or remove the \
                         directive",
                    ));
                }
            }
            Some("TAG") => {
                let handle = words.next()?;
                if handles.contains(&handle) {
                    return Some(directive_diagnostic(
                        text,
                        at,
                        content.len(),
                        &format!("duplicate tag handle '{handle}'"),
                        "declare each tag handle once; remove this line",
                    ));
                }
                handles.push(handle);
            }
            _ => {}
        }
    }
    None
}

fn directive_diagnostic(
    text: &str,
    at: usize,
    len: usize,
    problem: &str,
    help: &str,
) -> Diagnostic {
    Diagnostic::new(&YAML_SYNTAX, Span::new(at, at + len), problem)
        .with_label("this directive")
        .with_help(help)
        .with_compat(format!(
            "YAML parse error: {problem}\n{}",
            super::errors::pyyaml_mark(text, at)
        ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_block_scan_agrees_with_a_byte_scan() {
        let printable = |b: u8| b == b'\n' || (b' '..=b'~').contains(&b);
        // One refused byte at every position of texts around the block size, and none.
        for len in [0, 1, 63, 64, 65, 127, 128, 129, 200] {
            let clean = vec![b'a'; len];
            assert!(all_bytes(&clean, printable));
            for at in 0..len {
                let mut text = clean.clone();
                text[at] = b'\t';
                assert!(!all_bytes(&text, printable), "{len} {at}");
            }
        }
    }

    #[test]
    fn acceptable_characters_are_pyyaml_printable() {
        for c in [
            '\t', '\n', '\r', ' ', '~', '\u{85}', '\u{a0}', '\u{feff}', '\u{fffd}',
        ] {
            assert!(is_acceptable(c), "{c:?}");
        }
        assert!(is_acceptable('\u{10ffff}'));
        for c in [
            '\0', '\u{1}', '\u{b}', '\u{1b}', '\u{7f}', '\u{80}', '\u{9f}',
        ] {
            assert!(!is_acceptable(c), "{c:?}");
        }
        assert!(!is_acceptable('\u{fffe}'));
        assert!(!is_acceptable('\u{ffff}'));
    }

    #[test]
    fn positions_count_crlf_once() {
        let text = "a:\r\n  b\u{1}";
        let at = text.find('\u{1}').unwrap_or(0);
        assert_eq!(pyyaml_position(text, at), 6);
        assert_eq!(pyyaml_position("é\u{1}", 2), 1);
    }

    #[test]
    fn prepared_text_keeps_character_positions() {
        let body = "a:\u{85}  - x\u{2028}b: \"\u{feff}\"";
        let prepared = for_saphyr(body);
        assert_eq!(prepared.chars().count(), body.chars().count());
        assert_eq!(prepared, "a:\n  - x\nb: \"\u{fffe}\"");
        let quoted = "a: 'x\u{85}y' # it's\u{2028}b: \"\\\"\u{2029}\"";
        assert_eq!(
            for_saphyr(quoted),
            "a: 'x\u{ffff}y' # it's\nb: \"\\\"\u{ffff}\""
        );
        assert!(matches!(for_saphyr("plain: text"), Cow::Borrowed(_)));
    }

    #[test]
    fn relaxing_joins_lines_inside_flow_collections_and_quotes() {
        let text = "a: [\n  'x\n y',\n # c\n]\nb: c # d\n";
        let (relaxed, at) = relax_flow_breaks(text).unwrap_or_default();
        assert_eq!(relaxed, "a: [   'x\u{ffff} y',      ]\nb: c # d\n");
        assert_eq!(at, [4, 9, 14, 16, 17, 18, 19]);
        assert_eq!(relax_flow_breaks("a: b\nc: d\n"), None);
    }
}
