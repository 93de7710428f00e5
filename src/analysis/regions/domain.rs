//! The request encoding's alphabet and the *domain*: the language of encoded requests a
//! runtime can actually send (a call and its gates: docs/language.md section 4).
//!
//! A request is encoded as one byte string, its fields separated by [`SEP`]:
//!
//! ```text
//! folded-subject SEP client SEP project SEP resource-or-ABSENT SEP value(k1) SEP ...
//! ```
//!
//! [`SEP`] (0xFF) and [`ABSENT`] (0xFE) never occur in UTF-8, so no field text can forge
//! them. The domain pins down what each field can hold:
//!
//! - the folded subject is `X:Y` where `X` (the folded tool segment) is made of
//!   characters that case folding leaves unchanged, without `:`, and `Y` is any text;
//!   `X` may be empty only when `Y` contains a `:` (the tool is then `:…`, which is
//!   non-empty; an empty tool is an evaluator error, not a request);
//! - client and project are any text (a missing or falsy value reads as `""`);
//! - the resource is absent or non-empty text (an empty resource is falsy, so the
//!   evaluator reads it as absent: encoding it once keeps the classes exact);
//! - a condition value is absent or any text (`str()` of whatever the lookup found).
//!
//! Rule languages are built without caring about the domain (a missing gate is
//! "anything", and text is written loosely as any bytes but the markers, see
//! [`loose_text`]); the domain is its own small automaton, walked in lockstep with the
//! rules' automaton, and only paths it accepts count as requests. Keeping it out of the
//! rules' automaton keeps that automaton small: the domain's folded-character class has
//! over a thousand holes, which would otherwise multiply into every state.

use std::sync::OnceLock;

use regex_syntax::hir::{Class, ClassUnicode, ClassUnicodeRange, Dot, Hir, Repetition};

use crate::pattern::for_each_folded_char;

/// Separates the fields of an encoded request.
pub const SEP: u8 = 0xFF;
/// Stands for a resource or condition value that the request does not have.
pub const ABSENT: u8 = 0xFE;

/// The last code point whose case folding is not the identity is in plane 1 (Adlam,
/// U+1E921): planes 2 to 16 hold no cased characters. Scanning only the first two planes
/// keeps the one-time computation of [`tool_char_class`] to a few milliseconds; a test
/// checks the claim over every code point.
const LAST_SCANNED: u32 = 0x1_FFFF;

/// Every byte, most readable first: the separator and the absence marker (so that, of
/// two equally short requests, the one with fewer and emptier fields wins), `a-z`,
/// `0-9`, other printable ASCII, the rest. Every walk that looks for a shortest request
/// tries bytes in this order, so its witnesses read as `bash:sudo a`, not control bytes.
pub fn readable_byte_order() -> impl Iterator<Item = u8> {
    [SEP, ABSENT]
        .into_iter()
        .chain(b'a'..=b'z')
        .chain(b'0'..=b'9')
        .chain((0x20u8..0x7F).filter(|b| !b.is_ascii_lowercase() && !b.is_ascii_digit()))
        .chain((0u8..0x20).chain(0x7F..=0xFD))
}

/// A byte's position in [`readable_byte_order`] (lower reads better).
pub fn readability(byte: u8) -> u16 {
    static RANKS: OnceLock<[u16; 256]> = OnceLock::new();
    let ranks = RANKS.get_or_init(|| {
        let mut ranks = [u16::MAX; 256];
        for (rank, b) in (0u16..).zip(readable_byte_order()) {
            if let Some(slot) = ranks.get_mut(usize::from(b)) {
                *slot = rank;
            }
        }
        ranks
    });
    ranks.get(usize::from(byte)).copied().unwrap_or(u16::MAX)
}

/// The literal separator.
pub fn sep() -> Hir {
    Hir::literal([SEP])
}

/// The literal absence marker.
pub fn absent() -> Hir {
    Hir::literal([ABSENT])
}

/// One Unicode scalar value (UTF-8 encoded).
pub fn any_char() -> Hir {
    Hir::dot(Dot::AnyChar)
}

/// Any text, including the empty one.
pub fn any_text() -> Hir {
    star(any_char())
}

/// Non-empty text.
pub fn non_empty_text() -> Hir {
    Hir::repetition(Repetition {
        min: 1,
        max: None,
        greedy: true,
        sub: Box::new(any_char()),
    })
}

/// Text or the absence marker: an unconstrained resource or condition value.
pub fn text_or_absent() -> Hir {
    Hir::alternation(vec![absent(), any_text()])
}

/// Text as rule languages write it: any bytes but the two markers. Not every such byte
/// string is UTF-8, but rule languages are only ever read together with the domain,
/// which is, and a run of bytes between two pieces of valid UTF-8 inside a valid string
/// is valid UTF-8 itself; so this is exact where it matters, and it compiles to one
/// automaton state instead of a UTF-8 decoder per `*`.
pub fn loose_text() -> Hir {
    star(byte_range(0x00, 0xFD))
}

/// A loose text or the absence marker (see [`loose_text`]).
pub fn loose_text_or_absent() -> Hir {
    star(byte_range(0x00, 0xFE))
}

fn byte_range(lo: u8, hi: u8) -> Hir {
    Hir::class(Class::Bytes(regex_syntax::hir::ClassBytes::new([
        regex_syntax::hir::ClassBytesRange::new(lo, hi),
    ])))
}

/// `hir` with every "any text" run replaced by [`loose_text`]. A glob's `*` lowers to a
/// run of any character or (for the evaluator's automata, which read subjects only) of
/// any byte; here a run must never cross a separator, so both become [`loose_text`].
pub fn loosen(hir: Hir) -> Hir {
    use regex_syntax::hir::HirKind;
    match hir.into_kind() {
        HirKind::Repetition(rep) if rep.min == 0 && rep.max.is_none() && is_any_char(&rep.sub) => {
            loose_text()
        }
        HirKind::Repetition(rep) => Hir::repetition(Repetition {
            sub: Box::new(loosen(*rep.sub)),
            ..rep
        }),
        HirKind::Concat(subs) => Hir::concat(subs.into_iter().map(loosen).collect()),
        HirKind::Alternation(subs) => Hir::alternation(subs.into_iter().map(loosen).collect()),
        HirKind::Capture(capture) => loosen(*capture.sub),
        HirKind::Empty => Hir::empty(),
        HirKind::Literal(lit) => Hir::literal(lit.0),
        HirKind::Class(class) => Hir::class(class),
        HirKind::Look(look) => Hir::look(look),
    }
}

/// Whether `hir` is one character or one byte of any kind.
fn is_any_char(hir: &Hir) -> bool {
    match hir.kind() {
        regex_syntax::hir::HirKind::Class(Class::Unicode(class)) => {
            matches!(class.ranges(), [r] if r.start() == '\0' && r.end() == char::MAX)
        }
        regex_syntax::hir::HirKind::Class(Class::Bytes(class)) => {
            matches!(class.ranges(), [r] if r.start() == 0 && r.end() == 0xFF)
        }
        _ => false,
    }
}

/// Anything at all, separators included: the rest of a request once a rule has no more
/// gates. The domain pattern keeps the structure of the rest exact.
pub fn any_bytes() -> Hir {
    star(byte_range(0x00, 0xFF))
}

pub fn star(sub: Hir) -> Hir {
    Hir::repetition(Repetition {
        min: 0,
        max: None,
        greedy: true,
        sub: Box::new(sub),
    })
}

/// The domain over a layout with `condition_keys` condition fields.
pub fn domain(condition_keys: usize) -> Hir {
    let mut parts = vec![
        subject_domain(),
        sep(),
        any_text(),
        sep(),
        any_text(),
        sep(),
        Hir::alternation(vec![absent(), non_empty_text()]),
    ];
    for _ in 0..condition_keys {
        parts.push(sep());
        parts.push(text_or_absent());
    }
    Hir::concat(parts)
}

/// Folded subjects: `X:Y` with `X` folded and `:`-free, non-empty unless `Y` has a `:`.
fn subject_domain() -> Hir {
    let colon = || Hir::literal(*b":");
    let tool_char = Hir::class(Class::Unicode(tool_char_class().clone()));
    let named_tool = Hir::concat(vec![
        Hir::repetition(Repetition {
            min: 1,
            max: None,
            greedy: true,
            sub: Box::new(tool_char),
        }),
        colon(),
        any_text(),
    ]);
    let colon_tool = Hir::concat(vec![colon(), any_text(), colon(), any_text()]);
    Hir::alternation(vec![named_tool, colon_tool])
}

/// The characters a folded tool segment can contain: those case folding maps to
/// themselves (the output of full folding is made of such characters, and any string of
/// them is its own folding), minus `:`, which ends the segment. Computed once per process.
pub fn tool_char_class() -> &'static ClassUnicode {
    static CLASS: OnceLock<ClassUnicode> = OnceLock::new();
    CLASS.get_or_init(|| {
        let mut class = ClassUnicode::new(fixed_point_ranges(LAST_SCANNED));
        class.push(ClassUnicodeRange::new(
            char::from_u32(LAST_SCANNED + 1).unwrap_or(char::MAX),
            char::MAX,
        ));
        class.difference(&ClassUnicode::new([ClassUnicodeRange::new(':', ':')]));
        class
    })
}

/// Whether case folding maps `c` to itself.
pub fn folds_to_itself(c: char) -> bool {
    let mut count = 0;
    let mut same = true;
    for_each_folded_char(c, |f| {
        count += 1;
        same = same && f == c;
    });
    same && count == 1
}

/// Maximal ranges of code points up to `last` that fold to themselves.
fn fixed_point_ranges(last: u32) -> Vec<ClassUnicodeRange> {
    let mut ranges = Vec::new();
    let mut open: Option<(char, char)> = None;
    for c in (0..=last).filter_map(char::from_u32) {
        if folds_to_itself(c) {
            open = match open {
                Some((lo, hi)) if u32::from(hi) + 1 == u32::from(c) => Some((lo, c)),
                Some((lo, hi)) => {
                    ranges.push(ClassUnicodeRange::new(lo, hi));
                    Some((c, c))
                }
                None => Some((c, c)),
            };
        }
    }
    if let Some((lo, hi)) = open {
        ranges.push(ClassUnicodeRange::new(lo, hi));
    }
    ranges
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nothing_folds_beyond_the_scanned_planes() {
        let unchanged = (LAST_SCANNED + 1..=u32::from(char::MAX))
            .filter_map(char::from_u32)
            .all(folds_to_itself);
        assert!(unchanged);
    }

    #[test]
    fn stars_never_cross_a_separator() {
        let loosened = loosen(crate::pattern::Glob::parse("a*b?c").to_hir());
        let expected = Hir::concat(vec![
            Hir::literal(*b"a"),
            loose_text(),
            Hir::literal(*b"b"),
            any_char(),
            Hir::literal(*b"c"),
        ]);
        assert_eq!(loosened, expected);
    }

    #[test]
    fn tool_chars() {
        let class = tool_char_class();
        let contains = |c: char| {
            class
                .ranges()
                .iter()
                .any(|r| r.start() <= c && c <= r.end())
        };
        assert!(contains('a') && contains('_') && contains('σ') && contains('ı'));
        assert!(!contains('A') && !contains(':') && !contains('ß') && !contains('ς'));
        assert!(contains('\u{20000}'));
    }
}
