//! Patterns: the glob dialect every rule is written in, the canonical `tool:method`
//! form of tool patterns, and the case folding of the tool segment (docs/language.md section 3).
//!
//! # The dialect
//!
//! Globs mean exactly what CPython 3.11 `fnmatch.fnmatchcase` makes of them, because
//! the reference SDK matches with it. A pattern matches the **whole** subject, over
//! Unicode scalar values, case-sensitively:
//!
//! | syntax | meaning |
//! |---|---|
//! | `*` | any run of characters, including none, `/`, `:`, spaces and newlines |
//! | `?` | exactly one character (one scalar value, not one byte) |
//! | `[seq]`, `[!seq]` | one character in / not in the set; `a-z` ranges; `]` first is a member |
//! | `[^seq]` | `^` is a member: this is **not** negation |
//! | `[` without a closing `]` | a literal `[` |
//! | `\` | an ordinary character: there are no escapes |
//! | a reversed range (`[z-a]`) | deleted; a class left empty never matches, `[!z-a]` matches any character |
//!
//! Every string is a valid pattern. The formal grammar and the executable examples are in
//! `grammar/GLOB.md` and `grammar/glob_examples.json`.
//!
//! # Differences from Go's `path.Match` (the Go SDK)
//!
//! Each is a portability hazard: the same policy file decides differently in the two
//! SDKs. [`go_path_match`] reproduces Go's behaviour so that the analyzer can find them.
//!
//! - `*` and `?` never match `/` in Go: `t:/etc/*` does not cover `t:/etc/a/b` there.
//! - `[^x]` negates in Go; here it is the set `{^, x}`. Conversely `[!x]` is the set
//!   `{!, x}` in Go.
//! - `\` escapes the next character in Go (`a\*b` matches only `a*b`); here it is a
//!   literal backslash.
//! - A malformed bracket (`[a` unterminated, `[]a]`, `[-x]`, `[a-]`, `[a-b-c]`) is an
//!   error in Go (`ErrBadPattern`: no match); here it is literal text (`[a`) or a valid
//!   class (`]` first and `-` at either end are members).
//! - Go compares bytes after a `*` skip, so classes can see U+FFFD inside a multi-byte
//!   character; here a class always sees whole characters.
//!
//! # Tool patterns
//!
//! A rule's tool pattern is first canonicalized ([`canonicalize`]: `Bash` → `Bash:*`),
//! then its tool segment (the text before the first `:`) is case-folded as *text*
//! ([`fold_tool_segment`]), and only then parsed as a glob. So `[A-Z]:*` becomes
//! `[a-z]:*` and `[ß]:*` becomes `[ss]:*`. Subjects are folded the same way
//! ([`folded_subject`]), so `Bash:*` matches `bash:ls`, while `m:READ` does not match
//! `m:read`. [`ToolPattern`] bundles the three steps.

mod canonical;
mod casefold;
mod class;
mod glob;
mod go_match;
mod hir;
mod matcher;

pub use canonical::canonicalize;
pub use casefold::{casefold, fold_tool_segment, for_each_folded_char};
pub use glob::{Glob, GlobItem};
pub use go_match::go_path_match;

/// A rule's tool pattern, with every intermediate form kept for diagnostics: what was
/// written, its canonical `tool:method` form, that form with the tool segment folded
/// ([`ToolPattern::folded`], the glob's own source text), and the glob parsed from it.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct ToolPattern {
    pub raw: String,
    pub canonical: String,
    pub glob: Glob,
}

impl ToolPattern {
    /// Canonicalizes `raw`, folds the tool segment of the canonical text, and parses the
    /// result. Folding precedes parsing, so it reaches bracket expressions and literal
    /// text alike; the method segment is left exactly as written.
    pub fn new(raw: &str) -> ToolPattern {
        let canonical = canonicalize(raw).into_owned();
        let glob = Glob::parse_owned(fold_tool_segment(&canonical).into_owned());
        ToolPattern {
            raw: raw.to_owned(),
            canonical,
            glob,
        }
    }

    /// The canonical form with its tool segment case-folded: the text the glob was
    /// parsed from (kept once, in the glob).
    pub fn folded(&self) -> &str {
        self.glob.source()
    }

    /// Whether this pattern matches a subject already passed through
    /// [`fold_tool_segment`] (see [`folded_subject`]).
    pub fn matches_subject(&self, folded_subject: &str) -> bool {
        self.glob.matches(folded_subject)
    }
}

/// The subject a request is matched as: `tool:method`. A tool containing `:` is not
/// split (`guard("Bash:sudo x")` has the subject `Bash:sudo x:*`).
pub fn subject(tool: &str, method: &str) -> String {
    let mut subject = String::with_capacity(tool.len() + 1 + method.len());
    subject.push_str(tool);
    subject.push(':');
    subject.push_str(method);
    subject
}

/// [`subject`] with its tool segment (the text before its first `:`) case-folded: the
/// string every [`ToolPattern`] is matched against.
pub fn folded_subject(tool: &str, method: &str) -> String {
    let subject = subject(tool, method);
    match fold_tool_segment(&subject) {
        std::borrow::Cow::Borrowed(_) => subject,
        std::borrow::Cow::Owned(folded) => folded,
    }
}

/// The folded subject of one call, as the compiled evaluator reads it: the tool segment
/// (for the tool lookup), what follows it (for the tool's own automata) and, only when
/// some automaton reads it, the whole [`folded_subject`].
///
/// Most tools are already folded: ASCII, no uppercase letter, no `:`. For those the
/// tool segment is the tool and what follows it is the method, both borrowed from the
/// call, so a policy whose rules all name their tool decides without copying or folding
/// a byte (at 10 rules the copy and fold were nearly a third of a decision). The whole
/// subject is built on first use, once per call however many automata walk it, in a
/// stack buffer that spills to the heap for long subjects; a tool that needs folding (or
/// holds a `:`) builds it at the first read of its segment, which is cut from it.
#[derive(Clone)]
pub struct FoldedSubject<'a> {
    tool: &'a str,
    method: &'a str,
    /// The tool is its own folded tool segment (see the type's comment).
    plain: bool,
    whole: std::cell::OnceCell<WholeSubject>,
}

/// The tool bytes that keep a tool from being its own folded tool segment: non-ASCII
/// (folding may change them), ASCII uppercase letters and `:`.
static NOT_PLAIN: [bool; 256] = {
    let mut table = [false; 256];
    let mut byte = 0;
    while byte < 256 {
        table[byte] = byte >= 0x80 || (byte as u8).is_ascii_uppercase() || byte == b':' as usize;
        byte += 1;
    }
    table
};

impl<'a> FoldedSubject<'a> {
    pub fn new(tool: &'a str, method: &'a str) -> FoldedSubject<'a> {
        // A table read per byte: three range tests per byte were most of a short
        // tool's cost.
        let plain = !tool.bytes().any(|b| NOT_PLAIN[usize::from(b)]);
        FoldedSubject {
            tool,
            method,
            plain,
            whole: std::cell::OnceCell::new(),
        }
    }

    fn whole(&self) -> &WholeSubject {
        self.whole
            .get_or_init(|| WholeSubject::new(self.tool, self.method))
    }

    /// The whole folded subject, `tool:method` with the tool segment folded (built on
    /// first use).
    pub fn as_bytes(&self) -> &[u8] {
        self.whole().as_bytes()
    }

    /// The folded tool segment: the bytes before the first `:` (which the subject
    /// always has, between the tool and the method).
    pub fn tool_segment(&self) -> &[u8] {
        if self.plain {
            return self.tool.as_bytes();
        }
        let whole = self.whole();
        whole.as_bytes().get(..whole.segment).unwrap_or(&[])
    }

    /// What follows the tool segment and its `:`: the method part, as the per-tool
    /// automata read it.
    pub fn after_tool(&self) -> &[u8] {
        if self.plain {
            return self.method.as_bytes();
        }
        let whole = self.whole();
        whole.as_bytes().get(whole.segment + 1..).unwrap_or(&[])
    }

    /// The subject as text (it is UTF-8 by construction; the check is for the type).
    pub fn as_str(&self) -> &str {
        std::str::from_utf8(self.as_bytes()).unwrap_or("")
    }
}

/// [`folded_subject`] as bytes, in a stack buffer that spills to the heap past its
/// size. The tool segment's length is found while folding and kept, so neither the tool
/// lookup nor the per-tool walks search for the `:` again.
#[derive(Clone)]
struct WholeSubject {
    inline: [u8; WholeSubject::INLINE],
    len: usize,
    /// Bytes before the first `:` of the folded subject (the subject always has one).
    segment: usize,
    spilled: Vec<u8>,
}

impl WholeSubject {
    const INLINE: usize = 192;

    fn new(tool: &str, method: &str) -> WholeSubject {
        let mut subject = WholeSubject {
            inline: [0; WholeSubject::INLINE],
            len: 0,
            segment: 0,
            spilled: Vec::new(),
        };
        if subject.fold_ascii(tool, method) {
            return subject;
        }
        for_each_folded_subject_byte(tool, method, |byte| {
            subject.push(byte);
            true
        });
        let bytes = subject.as_bytes();
        subject.segment = bytes.iter().position(|&b| b == b':').unwrap_or(bytes.len());
        subject
    }

    /// The common case, an ASCII tool name that fits: one pass over the tool that
    /// lowercases up to its first `:` and records where that is, then the method copied
    /// as it is. `false` (nothing kept) sends the call to the Unicode folding path.
    fn fold_ascii(&mut self, tool: &str, method: &str) -> bool {
        let total = tool.len() + 1 + method.len();
        let Some(out) = self.inline.get_mut(..total) else {
            return false;
        };
        let (tool_out, rest) = out.split_at_mut(tool.len());
        let mut segment = None;
        for (at, (slot, &byte)) in tool_out.iter_mut().zip(tool.as_bytes()).enumerate() {
            if !byte.is_ascii() {
                return false;
            }
            *slot = match segment {
                Some(_) => byte,
                None if byte == b':' => {
                    segment = Some(at);
                    byte
                }
                None => byte.to_ascii_lowercase(),
            };
        }
        if let Some((colon, method_out)) = rest.split_first_mut() {
            *colon = b':';
            method_out.copy_from_slice(method.as_bytes());
        }
        self.len = total;
        self.segment = segment.unwrap_or(tool.len());
        true
    }

    fn push(&mut self, byte: u8) {
        if !self.spilled.is_empty() {
            self.spilled.push(byte);
        } else if let Some(slot) = self.inline.get_mut(self.len) {
            *slot = byte;
            self.len += 1;
        } else {
            self.spilled.reserve(self.len * 2);
            self.spilled
                .extend_from_slice(self.inline.get(..self.len).unwrap_or(&[]));
            self.spilled.push(byte);
        }
    }

    fn as_bytes(&self) -> &[u8] {
        if self.spilled.is_empty() {
            self.inline.get(..self.len).unwrap_or(&[])
        } else {
            &self.spilled
        }
    }
}

impl std::fmt::Debug for FoldedSubject<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_tuple("FoldedSubject")
            .field(&self.as_str())
            .finish()
    }
}

/// Feeds the bytes of [`folded_subject`] to `consume` without building the string, and
/// stops early when `consume` returns `false`. This is what lets the compiled evaluator
/// decide a call without allocating: it folds the tool segment while walking its
/// automaton.
pub fn for_each_folded_subject_byte(tool: &str, method: &str, mut consume: impl FnMut(u8) -> bool) {
    let mut buf = [0u8; 4];
    let mut running = true;
    let mut in_tool_segment = true;
    for c in tool.chars() {
        if !running {
            return;
        }
        if in_tool_segment && c == ':' {
            in_tool_segment = false;
        }
        if in_tool_segment && !c.is_ascii_lowercase() {
            for_each_folded_char(c, |f| {
                for &b in f.encode_utf8(&mut buf).as_bytes() {
                    running = running && consume(b);
                }
            });
        } else {
            for &b in c.encode_utf8(&mut buf).as_bytes() {
                running = running && consume(b);
            }
        }
    }
    if !running || !consume(b':') {
        return;
    }
    for &b in method.as_bytes() {
        if !consume(b) {
            return;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn built_subject_equals_folded_subject() {
        let long_method = "m".repeat(500);
        for (tool, method) in [
            ("Bash", "sudo LS"),
            ("STRAẞE:Ünd", "*"),
            ("", "m"),
            ("ẞ".repeat(100).as_str(), "x"),
            ("Tool", long_method.as_str()),
            ("TOOL:Method", "ÄrG"),
            ("Tool", "x".repeat(186).as_str()),
            ("Tool", "x".repeat(187).as_str()),
            ("A:B:C", "x"),
            ("Ab:Äc", "m"),
            (":Tool", "Ä"),
            ("ÄB:C", "d"),
            ("tool0", "delete_x"),
            ("bash", "Sudo LS"),
            ("tool-9_x.y", ""),
        ] {
            // The parts first, before anything builds the whole subject (the order an
            // action-only decision reads them in), then the whole, then the parts again.
            let subject = FoldedSubject::new(tool, method);
            let (segment, rest) = (subject.tool_segment(), subject.after_tool());
            assert_eq!(subject.as_str(), folded_subject(tool, method));
            assert_eq!(subject.tool_segment(), segment);
            assert_eq!(subject.after_tool(), rest);
            let expected_tool = folded_subject(tool, method)
                .split(':')
                .next()
                .unwrap_or("")
                .to_owned();
            assert_eq!(subject.tool_segment(), expected_tool.as_bytes());
            let expected_rest = folded_subject(tool, method)
                .split_once(':')
                .map(|(_, rest)| rest.to_owned())
                .unwrap_or_default();
            assert_eq!(subject.after_tool(), expected_rest.as_bytes());
        }
    }

    #[test]
    fn streamed_subject_equals_folded_subject() {
        for (tool, method) in [
            ("Bash", "sudo LS"),
            ("STRAẞE:Ünd", "*"),
            ("ﬁle", "x:Y"),
            ("", "m"),
            ("KΣ", ""),
        ] {
            let mut bytes = Vec::new();
            for_each_folded_subject_byte(tool, method, |b| {
                bytes.push(b);
                true
            });
            assert_eq!(
                String::from_utf8(bytes).unwrap(),
                folded_subject(tool, method)
            );
        }
    }

    #[test]
    fn tool_pattern_pipeline() {
        let pattern = ToolPattern::new("Bash");
        assert_eq!(pattern.canonical, "Bash:*");
        assert_eq!(pattern.folded(), "bash:*");
        assert!(pattern.matches_subject(&folded_subject("BASH", "ls -la")));
        assert!(!pattern.matches_subject(&folded_subject("Bash2", "ls")));

        let method_case = ToolPattern::new("m:READ");
        assert!(!method_case.matches_subject(&folded_subject("m", "read")));
        assert!(method_case.matches_subject(&folded_subject("M", "READ")));
    }

    #[test]
    fn folding_reaches_bracket_expressions() {
        let upper = ToolPattern::new("[A-Z]");
        assert_eq!(upper.folded(), "[a-z]:*");
        assert!(upper.matches_subject(&folded_subject("Q", "*")));

        let sharp_s = ToolPattern::new("[ß]");
        assert_eq!(sharp_s.folded(), "[ss]:*");
        assert!(sharp_s.matches_subject(&folded_subject("s", "*")));
        assert!(!sharp_s.matches_subject(&folded_subject("ß", "*")));
    }

    #[test]
    fn subjects() {
        assert_eq!(subject("Bash:sudo x", "*"), "Bash:sudo x:*");
        assert_eq!(folded_subject("GitHub", "List"), "github:List");
        assert_eq!(folded_subject("", "X"), ":X");
    }
}
