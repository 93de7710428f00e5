//! The glob AST and its parser: the one place that decides how pattern text splits into
//! `*`, `?`, bracket expressions and literal text.
//!
//! The parser is total (CPython accepts every string as a pattern, so there is no error
//! to report) and is written with `nom` so that its structure mirrors the grammar in
//! `grammar/GLOB.md` line for line. Bracket semantics are delegated to [`super::class`],
//! which replays CPython's rewrite; matching lives in [`super::matcher`] and the regex
//! lowering in [`super::hir`].

use std::hash::{Hash, Hasher};
use std::ops::Range;
use std::sync::OnceLock;

use nom::{
    IResult, Parser,
    branch::alt,
    bytes::complete::{take_till, take_till1, take_while1},
    character::complete::char,
    combinator::{map, opt, recognize, value},
    sequence::delimited,
};

use super::class::{ClassMeaning, class_meaning};
use super::matcher::{Atom, match_atoms};

/// One element of a parsed pattern. Every item but [`GlobItem::Star`] consumes a fixed
/// number of characters (a literal its length, the others one).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum GlobItem {
    /// A run of characters matched exactly (case-sensitively). Adjacent literal text,
    /// including a `[` that has no closing `]`, is merged into one run.
    Literal(String),
    /// `*` (a run of consecutive `*` is one item): any sequence of characters.
    Star,
    /// `?`, or a negated bracket expression whose every range was reversed (`[!z-a]`):
    /// exactly one character of any kind, newline included.
    AnyChar,
    /// A bracket expression: one character in (or, if `negated`, not in) `ranges`,
    /// which are sorted, merged, inclusive ranges of Unicode scalar values.
    Class {
        negated: bool,
        ranges: Vec<(char, char)>,
    },
    /// A bracket expression whose every range was reversed (`[z-a]`): matches nothing,
    /// so the whole pattern matches nothing.
    Never,
}

/// A parsed glob pattern (the dialect of CPython 3.11 `fnmatch.fnmatchcase`).
#[derive(Debug, Clone)]
pub struct Glob {
    source: String,
    items: Vec<GlobItem>,
    spans: Vec<Range<usize>>,
    /// The reference matcher's atoms, built on the first [`Glob::matches`]: loading a
    /// policy parses every pattern, but only the interpreter matches with them (the
    /// compiled evaluator and the analyzer read the items), and building one atom per
    /// literal character was 7% of loading's instructions on a 10,000-rule policy.
    atoms: OnceLock<Vec<Atom>>,
}

// Equality and hashing read what the pattern is; the atoms are derived from the items
// and may or may not have been built yet.
impl PartialEq for Glob {
    fn eq(&self, other: &Glob) -> bool {
        self.source == other.source && self.items == other.items && self.spans == other.spans
    }
}

impl Eq for Glob {}

impl Hash for Glob {
    fn hash<H: Hasher>(&self, state: &mut H) {
        self.source.hash(state);
        self.items.hash(state);
        self.spans.hash(state);
    }
}

/// What the tokenizer sees, before bracket expressions are given meaning.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Token<'a> {
    Stars,
    Question,
    /// A closed bracket expression; `inner` is the text between `[` and `]`.
    Bracket {
        inner: &'a str,
    },
    Text(&'a str),
}

/// `token = stars | "?" | bracket | "[" | text` (grammar/GLOB.md). The order is the
/// precedence: a `[` is a bracket expression when a closing `]` exists, else text.
fn token(input: &str) -> IResult<&str, Token<'_>> {
    alt((
        value(Token::Stars, take_while1(|c| c == '*')),
        value(Token::Question, char('?')),
        map(bracket_inner, |inner| Token::Bracket { inner }),
        map(recognize(char('[')), Token::Text),
        map(take_till1(|c| matches!(c, '*' | '?' | '[')), Token::Text),
    ))
    .parse(input)
}

/// `bracket = "[" , [ "!" ] , [ "]" ] , { char - "]" } , "]"`, returning the inner text
/// (with its `!`). A `]` directly after `[` or `[!` is a member, not the end.
fn bracket_inner(input: &str) -> IResult<&str, &str> {
    delimited(
        char('['),
        recognize((opt(char('!')), opt(char(']')), take_till(|c| c == ']'))),
        char(']'),
    )
    .parse(input)
}

impl Glob {
    /// Parses `text`. Every string is a pattern: this cannot fail.
    pub fn parse(text: &str) -> Glob {
        Glob::parse_owned(text.to_owned())
    }

    /// [`Glob::parse`] of a text the caller already owns, which the glob keeps.
    pub fn parse_owned(text: String) -> Glob {
        let (items, spans) = if text.contains('[') {
            tokenize(&text)
        } else {
            tokenize_without_brackets(&text)
        };
        Glob {
            source: text,
            items,
            spans,
            atoms: OnceLock::new(),
        }
    }

    /// The text this pattern was parsed from.
    pub fn source(&self) -> &str {
        &self.source
    }

    /// The parsed items, literal runs merged and consecutive `*` compressed.
    pub fn items(&self) -> &[GlobItem] {
        &self.items
    }

    /// Each item with the byte range of `source()` it was parsed from.
    pub fn spanned_items(&self) -> impl Iterator<Item = (Range<usize>, &GlobItem)> {
        self.spans.iter().cloned().zip(&self.items)
    }

    /// Whether the pattern matches exactly one string (its literal text, possibly empty).
    pub fn is_literal(&self) -> bool {
        self.items
            .iter()
            .all(|item| matches!(item, GlobItem::Literal(_)))
    }

    /// The one string a literal pattern matches (`None` when it has wildcards). For a
    /// literal pattern this is `source()`: an unclosed `[` is literal text in both.
    pub fn literal_text(&self) -> Option<&str> {
        if self.is_literal() {
            Some(self.literal_prefix())
        } else {
            None
        }
    }

    /// The literal text every match starts with (empty if the pattern starts with a
    /// wildcard). Index and trie builders use it to pre-filter subjects.
    pub fn literal_prefix(&self) -> &str {
        match self.items.first() {
            Some(GlobItem::Literal(text)) => text,
            _ => "",
        }
    }

    /// Texts one of which starts every match: the leading literal text, with small
    /// bracket expressions before or inside it expanded (`[Ee]dit:*` gives `Edit:` and
    /// `edit:`), stopping at the first wildcard, large class, or once `max` texts would
    /// be exceeded. `[""]` when the pattern starts with a wildcard. Indexes use this
    /// where [`Glob::literal_prefix`] would call a pattern unanchored only because of
    /// one bracket.
    pub fn leading_texts(&self, max: usize) -> Vec<String> {
        let mut texts = vec![String::new()];
        for item in &self.items {
            match item {
                GlobItem::Literal(text) => texts.iter_mut().for_each(|t| t.push_str(text)),
                GlobItem::Class {
                    negated: false,
                    ranges,
                } => {
                    let chars: Vec<char> = ranges
                        .iter()
                        .flat_map(|&(lo, hi)| lo..=hi)
                        .take(max + 1)
                        .collect();
                    if chars.is_empty() || texts.len().saturating_mul(chars.len()) > max {
                        break;
                    }
                    texts = texts
                        .iter()
                        .flat_map(|t| {
                            chars.iter().map(move |&c| {
                                let mut longer = t.clone();
                                longer.push(c);
                                longer
                            })
                        })
                        .collect();
                }
                _ => break,
            }
        }
        texts
    }

    /// Whether the pattern matches every string (it is one or more `*` only).
    pub fn matches_everything(&self) -> bool {
        matches!(self.items.as_slice(), [GlobItem::Star])
    }

    /// Whether the pattern can match no string at all (it contains a [`GlobItem::Never`]).
    pub fn matches_nothing(&self) -> bool {
        self.items
            .iter()
            .any(|item| matches!(item, GlobItem::Never))
    }

    /// Whether the whole of `subject` matches. This is the reference matcher: a
    /// two-pointer scan that only ever backtracks to the most recent `*`, so the worst
    /// case is `O(pattern × subject)`.
    pub fn matches(&self, subject: &str) -> bool {
        // Every match starts with the leading literal, and one comparison of it rejects
        // most subjects: an interpreter walking 10,000 rules (`Bash:op123_*`, ...) spends
        // its time here, and the atom-by-atom scan would read the shared prefix of each.
        subject.starts_with(self.literal_prefix())
            && match_atoms(self.atoms.get_or_init(|| atoms_of(&self.items)), subject)
    }
}

type Tokenized = (Vec<GlobItem>, Vec<Range<usize>>);

/// The grammar's tokenizer ([`token`]) applied item by item, literal runs merged.
fn tokenize(text: &str) -> Tokenized {
    let mut items: Vec<GlobItem> = Vec::new();
    let mut spans: Vec<Range<usize>> = Vec::new();
    let mut rest = text;
    while !rest.is_empty() {
        let start = text.len() - rest.len();
        let (remaining, token) = match token(rest) {
            Ok(parsed) => parsed,
            // Unreachable: the last two alternatives of `token` accept any non-empty
            // input. Staying total costs nothing, and one character taken literally
            // is what translate's `re.escape(c)` default would do with it.
            Err(_) => {
                let len = rest.chars().next().map_or(rest.len(), char::len_utf8);
                (
                    rest.get(len..).unwrap_or_default(),
                    Token::Text(rest.get(..len).unwrap_or(rest)),
                )
            }
        };
        let end = text.len() - remaining.len();
        push_item(&mut items, &mut spans, item_of(token), start..end);
        rest = remaining;
    }
    (items, spans)
}

/// The same items for a pattern without `[` (nearly every tool pattern): only `*` runs,
/// `?` and the literal text between them, found in one pass without the combinators.
/// The unit tests compare it with [`tokenize`].
fn tokenize_without_brackets(text: &str) -> Tokenized {
    let mut items: Vec<GlobItem> = Vec::with_capacity(4);
    let mut spans: Vec<Range<usize>> = Vec::with_capacity(4);
    let mut literal_start = 0;
    // By byte: `*` and `?` are ASCII, and no byte of a multi-byte character is.
    for (at, byte) in text.bytes().enumerate() {
        let item = match byte {
            b'*' => GlobItem::Star,
            b'?' => GlobItem::AnyChar,
            _ => continue,
        };
        if literal_start < at {
            let literal = GlobItem::Literal(text[literal_start..at].to_owned());
            push_item(&mut items, &mut spans, literal, literal_start..at);
        }
        push_item(&mut items, &mut spans, item, at..at + 1);
        literal_start = at + 1;
    }
    if literal_start < text.len() {
        let literal = GlobItem::Literal(text[literal_start..].to_owned());
        push_item(&mut items, &mut spans, literal, literal_start..text.len());
    }
    (items, spans)
}

fn item_of(token: Token<'_>) -> GlobItem {
    match token {
        Token::Stars => GlobItem::Star,
        Token::Question => GlobItem::AnyChar,
        Token::Text(text) => GlobItem::Literal(text.to_owned()),
        Token::Bracket { inner } => match class_meaning(inner) {
            ClassMeaning::Never => GlobItem::Never,
            ClassMeaning::AnyChar => GlobItem::AnyChar,
            ClassMeaning::Set { negated, ranges } => GlobItem::Class { negated, ranges },
        },
    }
}

/// Appends `item`, merging literal runs and compressing `*` runs as translate does.
fn push_item(
    items: &mut Vec<GlobItem>,
    spans: &mut Vec<Range<usize>>,
    item: GlobItem,
    span: Range<usize>,
) {
    match (items.last_mut(), spans.last_mut(), item) {
        (Some(GlobItem::Literal(run)), Some(last_span), GlobItem::Literal(text)) => {
            run.push_str(&text);
            last_span.end = span.end;
        }
        (Some(GlobItem::Star), Some(last_span), GlobItem::Star) => last_span.end = span.end,
        (_, _, item) => {
            items.push(item);
            spans.push(span);
        }
    }
}

fn atoms_of(items: &[GlobItem]) -> Vec<Atom> {
    // Sized once: a literal run gives one atom per character, so growing from
    // `items.len()` reallocated for nearly every pattern.
    let atom_count = |item: &GlobItem| match item {
        GlobItem::Literal(text) => text.chars().count(),
        _ => 1,
    };
    let mut atoms = Vec::with_capacity(items.iter().map(atom_count).sum());
    for item in items {
        match item {
            GlobItem::Literal(text) => atoms.extend(text.chars().map(Atom::Exact)),
            GlobItem::Star => atoms.push(Atom::Star),
            GlobItem::AnyChar => atoms.push(Atom::Any),
            GlobItem::Class { negated, ranges } => atoms.push(Atom::Class {
                negated: *negated,
                ranges: ranges.clone().into_boxed_slice(),
            }),
            GlobItem::Never => atoms.push(Atom::Never),
        }
    }
    atoms
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lit(text: &str) -> GlobItem {
        GlobItem::Literal(text.to_owned())
    }

    #[test]
    fn the_bracket_free_tokenizer_agrees_with_the_grammar() {
        for text in [
            "",
            "*",
            "**",
            "?",
            "a",
            "Bash:*",
            "*secret*",
            "a??b",
            "*:*",
            "x***y?z*",
            "ß*é?",
            "tool:get_*",
            "?*?",
            "a b:c d",
        ] {
            assert_eq!(tokenize_without_brackets(text), tokenize(text), "{text:?}");
        }
    }

    #[test]
    fn tokens_and_merging() {
        assert_eq!(Glob::parse("").items(), &[] as &[GlobItem]);
        assert_eq!(
            Glob::parse("a**b").items(),
            &[lit("a"), GlobItem::Star, lit("b")]
        );
        assert_eq!(Glob::parse("a[b").items(), &[lit("a[b")]);
        assert_eq!(Glob::parse("[[a").items(), &[lit("[[a")]);
        assert_eq!(Glob::parse("a?").items(), &[lit("a"), GlobItem::AnyChar]);
        assert_eq!(Glob::parse("[!z-a]").items(), &[GlobItem::AnyChar]);
        assert_eq!(Glob::parse("x[z-a]").items(), &[lit("x"), GlobItem::Never]);
        assert_eq!(
            Glob::parse("[]]").items(),
            &[GlobItem::Class {
                negated: false,
                ranges: vec![(']', ']')]
            }]
        );
        assert_eq!(Glob::parse("[]").items(), &[lit("[]")]);
        assert_eq!(Glob::parse("[!]").items(), &[lit("[!]")]);
    }

    #[test]
    fn bracket_stars_are_members() {
        assert_eq!(
            Glob::parse("[*]*").items(),
            &[
                GlobItem::Class {
                    negated: false,
                    ranges: vec![('*', '*')]
                },
                GlobItem::Star
            ]
        );
    }

    #[test]
    fn spans_cover_the_source() {
        let glob = Glob::parse("ab[c]*?[d");
        let spans: Vec<_> = glob.spanned_items().map(|(span, _)| span).collect();
        assert_eq!(spans, vec![0..2, 2..5, 5..6, 6..7, 7..9]);
    }

    #[test]
    fn literal_helpers() {
        assert!(Glob::parse("abc[").is_literal());
        assert_eq!(Glob::parse("abc[").literal_text(), Some("abc["));
        assert_eq!(Glob::parse("").literal_text(), Some(""));
        assert!(!Glob::parse("a*").is_literal());
        assert_eq!(Glob::parse("ab*c").literal_prefix(), "ab");
        assert_eq!(Glob::parse("*c").literal_prefix(), "");
        assert!(Glob::parse("***").matches_everything());
        assert!(Glob::parse("a[z-a]").matches_nothing());
    }
}
