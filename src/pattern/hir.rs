//! Lowering a [`Glob`] to a `regex-syntax` HIR, for the automaton builders.
//!
//! The HIR is built directly rather than by printing a regex and re-parsing it: there is
//! no escaping to get wrong, and the classes keep exactly the ranges the parser
//! computed. Greediness does not matter for whole-string matching, so `*` is a plain
//! greedy loop rather than CPython's atomic lazy group. The HIR is unanchored; the
//! builder wraps it in `\A ... \z` (or anchors the search) as it needs.

use regex_syntax::hir::{
    Class, ClassBytes, ClassBytesRange, ClassUnicode, ClassUnicodeRange, Dot, Hir, Repetition,
};

use super::glob::{Glob, GlobItem};

impl Glob {
    /// The equivalent regular expression, without anchors. A pattern with a
    /// [`GlobItem::Never`] lowers to a concatenation containing an empty class, which
    /// matches nothing.
    pub fn to_hir(&self) -> Hir {
        Hir::concat(self.items().iter().map(item_hir).collect())
    }

    /// The HIR of the pattern without its trailing `*`, and whether there was one.
    ///
    /// A glob ending in `*` matches a string exactly when its prefix part matches some
    /// prefix of the string, so an automaton may report it as soon as that prefix is
    /// read, with no end anchor. The decision automaton relies on this to let
    /// leftmost-first determinization prune lower-priority rules early.
    pub fn to_prefix_hir(&self) -> (Hir, bool) {
        prefix_hir(self.items())
    }

    /// [`Glob::to_prefix_hir`] of what the pattern matches after its first `skip` bytes,
    /// when those bytes are literal text (`None` otherwise). The per-tool automata use
    /// it: once a call's tool is found by name, its DFA only needs to read the method,
    /// so the `tool:` prefix is left out of it (smaller DFAs, shorter walks).
    pub fn to_prefix_hir_after(&self, skip: usize) -> Option<(Hir, bool)> {
        self.items_after(skip).map(|items| prefix_hir(&items))
    }

    /// [`Glob::to_hir`] of what the pattern matches after its first `skip` bytes, when
    /// those bytes are literal text (`None` otherwise).
    pub fn to_hir_after(&self, skip: usize) -> Option<Hir> {
        self.items_after(skip)
            .map(|items| Hir::concat(items.iter().map(item_hir).collect()))
    }

    fn items_after(&self, skip: usize) -> Option<Vec<GlobItem>> {
        let (first, rest) = self.items().split_first()?;
        let GlobItem::Literal(text) = first else {
            return None;
        };
        let remaining = text.get(skip..)?;
        let mut items: Vec<GlobItem> = Vec::with_capacity(self.items().len());
        if !remaining.is_empty() {
            items.push(GlobItem::Literal(remaining.to_owned()));
        }
        items.extend(rest.iter().cloned());
        Some(items)
    }
}

fn prefix_hir(items: &[GlobItem]) -> (Hir, bool) {
    match items.split_last() {
        Some((GlobItem::Star, rest)) => (Hir::concat(rest.iter().map(item_hir).collect()), true),
        _ => (Hir::concat(items.iter().map(item_hir).collect()), false),
    }
}

fn item_hir(item: &GlobItem) -> Hir {
    match item {
        GlobItem::Literal(text) => Hir::literal(text.as_bytes()),
        // `*` is lowered to "any bytes", not "any characters". Subjects are valid UTF-8
        // and every other item matches whole characters, so a run of any bytes between
        // them is always a run of whole characters: the language is the same. The NFA is
        // far smaller (one byte-range loop instead of a UTF-8 decoder per `*`), which makes
        // determinization of many-`*` pattern sets an order of magnitude cheaper.
        GlobItem::Star => Hir::repetition(Repetition {
            min: 0,
            max: None,
            greedy: true,
            sub: Box::new(Hir::class(Class::Bytes(ClassBytes::new([
                ClassBytesRange::new(0, 255),
            ])))),
        }),
        GlobItem::AnyChar => Hir::dot(Dot::AnyChar),
        GlobItem::Class { negated, ranges } => {
            let mut class = ClassUnicode::new(
                ranges
                    .iter()
                    .map(|&(lo, hi)| ClassUnicodeRange::new(lo, hi)),
            );
            if *negated {
                class.negate();
            }
            Hir::class(Class::Unicode(class))
        }
        GlobItem::Never => Hir::fail(),
    }
}

#[cfg(test)]
mod tests {
    use regex_syntax::hir::Look;

    use super::*;

    fn anchored_regex(pattern: &str) -> regex_automata::meta::Regex {
        let hir = Hir::concat(vec![
            Hir::look(Look::Start),
            Glob::parse(pattern).to_hir(),
            Hir::look(Look::End),
        ]);
        regex_automata::meta::Builder::new()
            .build_from_hir(&hir)
            .expect("a glob always lowers to a valid regex")
    }

    #[test]
    fn lowered_regex_agrees_on_samples() {
        let cases: &[(&str, &str, bool)] = &[
            ("a*b", "a\nb", true),
            ("[!a]", "\n", true),
            ("[!a]", "a", false),
            ("?", "😀", true),
            ("?", "e\u{301}", false),
            ("x[z-a]", "xz", false),
            ("[!z-a]", "\n", true),
            ("", "", true),
            ("*", "", true),
        ];
        for &(pattern, subject, expected) in cases {
            assert_eq!(
                anchored_regex(pattern).is_match(subject),
                expected,
                "{pattern:?} {subject:?}"
            );
            assert_eq!(
                Glob::parse(pattern).matches(subject),
                expected,
                "{pattern:?} {subject:?}"
            );
        }
    }
}
