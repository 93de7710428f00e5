//! The union of many rules as one regular language whose automaton stays small: common
//! suffixes are written once.
//!
//! "Is this call matched by *some* earlier rule?" needs no rule identities, but a plain
//! alternation of the rules' languages still gives each rule its own copy of its tail,
//! and a DFA then remembers which tails it is in: with `*secret-1-*`, `*token-2-*`, ...
//! (each `*LIT*:*` plus the same rest of the request), it remembers which literals it
//! has seen, one state per subset. Written as `(.*secret-1-|.*token-2-|...)` followed
//! by *one* `*:*` and one rest, every literal leads to the same tail and the DFA only
//! tracks the literals' progress.
//!
//! The factoring is a trie over the reversed sequences: each sequence is a rule's action
//! pattern as glob items, then the rule's tail (the encoded fields after the subject).
//! Each item is lowered by re-parsing its own source text as a glob, so the glob
//! semantics stay in the pattern module.

use std::collections::HashMap;

use regex_syntax::hir::Hir;

use crate::analysis::regions::encode::{Layout, glob_hir, rule_tail};
use crate::pattern::{Glob, GlobItem};
use crate::policy::Rule;

/// One element of a sequence: a glob item (with its source text), a whole pattern too
/// long to factor item by item, or a rule tail.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
enum Atom {
    Item(GlobItem, String),
    Whole(String),
    Tail(usize),
}

/// Patterns with more items than this are kept whole: factoring them item by item
/// would only deepen the lowering's recursion.
const MAX_FACTORED_ITEMS: usize = 64;

/// A node of the reversed trie: the suffix it stands for is the path to the root.
#[derive(Debug, Default)]
struct Node {
    /// Some sequence starts exactly here (its whole text is this suffix).
    starts: bool,
    children: Vec<(Atom, usize)>,
    index: HashMap<Atom, usize>,
}

/// The language of requests some rule of `rules` matches.
pub fn union_hir(rules: &[&Rule], layout: &Layout) -> Hir {
    let mut tails: Vec<Hir> = Vec::new();
    let mut tail_ids: HashMap<String, usize> = HashMap::new();
    let mut nodes: Vec<Node> = vec![Node::default()];
    for rule in rules {
        let tail = rule_tail(rule, layout);
        let key = format!("{tail:?}");
        let next_id = tails.len();
        let id = *tail_ids.entry(key).or_insert(next_id);
        if id == next_id {
            tails.push(tail);
        }
        for pattern in &rule.patterns {
            let mut sequence = items(&pattern.glob);
            sequence.push(Atom::Tail(id));
            insert_reversed(&mut nodes, &sequence);
        }
    }
    lower(&nodes, 0, &tails)
}

fn items(glob: &Glob) -> Vec<Atom> {
    if glob.items().len() > MAX_FACTORED_ITEMS {
        return vec![Atom::Whole(glob.source().to_owned())];
    }
    glob.spanned_items()
        .map(|(span, item)| {
            let text = glob.source().get(span).unwrap_or_default().to_owned();
            Atom::Item(item.clone(), text)
        })
        .collect()
}

fn insert_reversed(nodes: &mut Vec<Node>, sequence: &[Atom]) {
    let mut at = 0;
    for atom in sequence.iter().rev() {
        let existing = nodes.get(at).and_then(|n| n.index.get(atom).copied());
        at = match existing {
            Some(child) => child,
            None => {
                let child = nodes.len();
                nodes.push(Node::default());
                if let Some(node) = nodes.get_mut(at) {
                    node.index.insert(atom.clone(), child);
                    node.children.push((atom.clone(), child));
                }
                child
            }
        };
    }
    if let Some(node) = nodes.get_mut(at) {
        node.starts = true;
    }
}

/// The prefixes that complete node `at`'s suffix into a sequence, followed by the
/// suffix itself for the root: `R(v) = [ε if a sequence starts at v] | R(w)·c` over the
/// children `w` reached by `c`.
fn lower(nodes: &[Node], at: usize, tails: &[Hir]) -> Hir {
    let Some(node) = nodes.get(at) else {
        return Hir::fail();
    };
    let mut alternatives = Vec::with_capacity(node.children.len() + 1);
    if node.starts {
        alternatives.push(Hir::empty());
    }
    for (atom, child) in &node.children {
        alternatives.push(Hir::concat(vec![
            lower(nodes, *child, tails),
            atom_hir(atom, tails),
        ]));
    }
    Hir::alternation(alternatives)
}

fn atom_hir(atom: &Atom, tails: &[Hir]) -> Hir {
    match atom {
        Atom::Item(_, text) | Atom::Whole(text) => glob_hir(&Glob::parse(text)),
        Atom::Tail(id) => tails.get(*id).cloned().unwrap_or_else(Hir::fail),
    }
}
