//! The semantic difference of two policies (`guardc diff`): every pair (old deciding
//! rule, new deciding rule) that decides some call differently in effect or approval
//! eligibility, each with a shortest witness call that the interpreter decides that way
//! on both sides.
//!
//! Exact over the request space for rules the encoding models exactly: the two rule
//! lists are aligned (`align.rs`), only calls some unaligned rule matches can change, and
//! those are enumerated class by class by an on-the-fly product search ([`product`]),
//! shortest request first. A rule with opaque gates (regexes, numbers, `input_text`)
//! may or may not match the calls of its class; a pair that involves one is reported
//! with a witness when the interpreter confirms one, and otherwise as an unproven
//! "may change" entry naming both rules. Past the search budget the report says which
//! rules it could not compare; it never reports "no change" without proof. The core
//! does no IO: the CLI reads the two files.

pub mod align;
pub mod invariants;
pub mod product;

use std::collections::BTreeMap;

use regex_syntax::hir::Hir;

use crate::analysis::regions::{
    Call, RequestDecoder as Decoder, RequestLayout as Layout, is_opaque, rule_language,
};
use crate::eval::Decision;
use crate::policy::{Effect, Policy};
pub use align::{Alignment, align, same_gates};
pub use product::{Class, ProductLimits};

/// How a change moves a call, named for what a reviewer must look at.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum ChangeClass {
    NewlyAllowed,
    NewlyApprovable,
    NewlyHardDenied,
    NoLongerApprovable,
    ToWarn,
    FromWarn,
}

impl ChangeClass {
    pub const ALL: [ChangeClass; 6] = [
        ChangeClass::NewlyAllowed,
        ChangeClass::NewlyApprovable,
        ChangeClass::NewlyHardDenied,
        ChangeClass::NoLongerApprovable,
        ChangeClass::ToWarn,
        ChangeClass::FromWarn,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            ChangeClass::NewlyAllowed => "newly-allowed",
            ChangeClass::NewlyApprovable => "newly-approvable",
            ChangeClass::NewlyHardDenied => "newly-hard-denied",
            ChangeClass::NoLongerApprovable => "no-longer-approvable",
            ChangeClass::ToWarn => "to-warn",
            ChangeClass::FromWarn => "from-warn",
        }
    }

    pub fn parse(text: &str) -> Option<ChangeClass> {
        ChangeClass::ALL.into_iter().find(|c| c.as_str() == text)
    }

    /// The class of a move from `old` to `new`, or `None` when nothing a runtime acts on
    /// changed. An allow or a warn is named by where the call goes; a move between denies
    /// by what happened to approval; a deny that was a warn is `from-warn`.
    pub fn of(old: Verdict, new: Verdict) -> Option<ChangeClass> {
        if old == new {
            return None;
        }
        Some(match (old.effect, new.effect) {
            (_, Effect::Allow) => ChangeClass::NewlyAllowed,
            (_, Effect::Warn) => ChangeClass::ToWarn,
            (Effect::Warn, _) => ChangeClass::FromWarn,
            _ if new.hitl_eligible => ChangeClass::NewlyApprovable,
            _ if old.hitl_eligible => ChangeClass::NoLongerApprovable,
            _ => ChangeClass::NewlyHardDenied,
        })
    }
}

/// What a runtime acts on: the effect and whether a human may approve a deny.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Verdict {
    pub effect: Effect,
    pub hitl_eligible: bool,
}

impl Verdict {
    /// The verdict of rule `index` of `policy`, or of its default for `None`.
    pub fn of_rule(policy: &Policy, index: Option<usize>) -> Verdict {
        match index.and_then(|i| policy.rules.get(i)) {
            Some(rule) => Verdict {
                effect: rule.effect,
                hitl_eligible: rule.hitl_eligible(),
            },
            None => Verdict {
                effect: policy.default_action,
                hitl_eligible: false,
            },
        }
    }

    pub fn of_decision(decision: &Decision) -> Verdict {
        Verdict {
            effect: decision.effect,
            hitl_eligible: decision.hitl_eligible,
        }
    }
}

/// One proven change: a pair of deciding rules (`None` is the no-match default) and a
/// shortest call they decide, with the interpreter's decisions on both sides.
#[derive(Debug, Clone, PartialEq)]
pub struct Change {
    pub class: ChangeClass,
    pub old_rule: Option<usize>,
    pub new_rule: Option<usize>,
    pub witness: Call,
    pub old_decision: Decision,
    pub new_decision: Decision,
}

/// A pair that may decide some call differently, but only through an opaque gate the
/// analysis does not model, and for which no call was confirmed: unproven.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MayChange {
    pub class: ChangeClass,
    pub old_rule: Option<usize>,
    pub new_rule: Option<usize>,
}

/// An aligned pair that decides the same calls the same way but reports them with other
/// texts.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AuditChange {
    pub old_rule: usize,
    pub new_rule: usize,
    /// Which of `policy_id`, `reason`, `reason_code` changed.
    pub fields: Vec<&'static str>,
}

/// Why the comparison could not finish, and which rules it could not compare.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DiffIncomplete {
    pub reason: String,
    pub old_rules: Vec<usize>,
    pub new_rules: Vec<usize>,
}

/// The whole difference.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct DiffReport {
    /// Ordered by class, then by the rules.
    pub changes: Vec<Change>,
    pub may_change: Vec<MayChange>,
    pub audit_only: Vec<AuditChange>,
    pub incomplete: Option<DiffIncomplete>,
}

impl DiffReport {
    /// Whether some proven or possible change is in one of `classes`.
    pub fn has_any(&self, classes: &[ChangeClass]) -> bool {
        self.changes.iter().any(|c| classes.contains(&c.class))
            || self.may_change.iter().any(|c| classes.contains(&c.class))
    }
}

/// Compare two policies within `limits`.
pub fn diff(old: &Policy, new: &Policy, limits: &ProductLimits) -> DiffReport {
    let alignment = align(old, new);
    let mut report = DiffReport {
        audit_only: audit_only(old, new, &alignment),
        ..DiffReport::default()
    };
    let joint = Policy {
        default_action: old.default_action,
        rules: old.rules.iter().chain(&new.rules).cloned().collect(),
    };
    let layout = Layout::of(&joint);
    let space = Space::new(old, new, &alignment, &layout);
    if space.focus.is_empty() {
        return report;
    }
    let classes =
        match product::classes(&space.languages, &space.focus, layout.keys().len(), limits) {
            Ok(classes) => classes,
            Err(reason) => {
                report.incomplete = Some(DiffIncomplete {
                    reason,
                    old_rules: unaligned(&alignment.old_to_new),
                    new_rules: unaligned(&alignment.new_to_old),
                });
                return report;
            }
        };
    let decoder = Decoder::new(&joint, layout);
    let mut pairs: BTreeMap<(Option<usize>, Option<usize>), Entry> = BTreeMap::new();
    for class in &classes {
        let olds = possible_deciders(old, &space.old_language, &class.matching);
        let news = possible_deciders(new, &space.new_language, &class.matching);
        for &o in &olds {
            for &n in &news {
                let verdicts = (Verdict::of_rule(old, o), Verdict::of_rule(new, n));
                let Some(kind) = ChangeClass::of(verdicts.0, verdicts.1) else {
                    continue;
                };
                let entry = pairs.entry((o, n)).or_insert(Entry::Unproven(kind));
                if matches!(entry, Entry::Unproven(_))
                    && let Some(change) = confirm(old, new, &decoder, &class.path, (o, n), kind)
                {
                    *entry = Entry::Proven(Box::new(change));
                }
            }
        }
    }
    for ((old_rule, new_rule), entry) in pairs {
        match entry {
            Entry::Proven(change) => report.changes.push(*change),
            Entry::Unproven(class) => report.may_change.push(MayChange {
                class,
                old_rule,
                new_rule,
            }),
        }
    }
    report.changes.sort_by_key(|c| c.class);
    report.may_change.sort_by_key(|c| c.class);
    report
}

enum Entry {
    Proven(Box<Change>),
    Unproven(ChangeClass),
}

/// The languages of the search: one per old rule, one per new rule that is not aligned
/// (an aligned rule shares its old counterpart's), and, when the defaults differ, one
/// for every request (calls no rule matches change too).
struct Space {
    languages: Vec<Hir>,
    old_language: Vec<usize>,
    new_language: Vec<usize>,
    focus: Vec<usize>,
}

impl Space {
    fn new(old: &Policy, new: &Policy, alignment: &Alignment, layout: &Layout) -> Space {
        let mut languages: Vec<Hir> = old.rules.iter().map(|r| rule_language(r, layout)).collect();
        let old_language: Vec<usize> = (0..old.rules.len()).collect();
        let mut focus: Vec<usize> = unaligned(&alignment.old_to_new);
        let mut new_language = Vec::with_capacity(new.rules.len());
        for (j, rule) in new.rules.iter().enumerate() {
            match alignment.new_to_old.get(j).copied().flatten() {
                Some(i) => new_language.push(i),
                None => {
                    focus.push(languages.len());
                    new_language.push(languages.len());
                    languages.push(rule_language(rule, layout));
                }
            }
        }
        if old.default_action != new.default_action {
            focus.push(languages.len());
            languages.push(crate::analysis::regions::any_request());
        }
        Space {
            languages,
            old_language,
            new_language,
            focus,
        }
    }
}

fn unaligned(map: &[Option<usize>]) -> Vec<usize> {
    map.iter()
        .enumerate()
        .filter(|(_, other)| other.is_none())
        .map(|(i, _)| i)
        .collect()
}

/// The rules that may decide a class of calls: the matching rules in order up to and
/// including the first exact one (an opaque rule's unmodelled gates may or may not
/// hold), and the default when no exact rule matches.
pub fn possible_deciders(
    policy: &Policy,
    language_of: &[usize],
    matching: &[usize],
) -> Vec<Option<usize>> {
    let mut deciders = Vec::new();
    for (index, rule) in policy.rules.iter().enumerate() {
        if !language_of.get(index).is_some_and(|l| matching.contains(l)) {
            continue;
        }
        deciders.push(Some(index));
        if !is_opaque(rule) {
            return deciders;
        }
    }
    deciders.push(None);
    deciders
}

/// The call of `path`, when the interpreter decides it by exactly `pair` (the readable
/// variant first).
fn confirm(
    old: &Policy,
    new: &Policy,
    decoder: &Decoder,
    path: &[u8],
    pair: (Option<usize>, Option<usize>),
    class: ChangeClass,
) -> Option<Change> {
    let call = decoder.decode(path)?;
    call.readable_variant()
        .into_iter()
        .chain([call])
        .find_map(|call| {
            let (old_decision, new_decision) = (call.decide(old), call.decide(new));
            ((old_decision.rule_index(), new_decision.rule_index()) == pair).then(|| Change {
                class,
                old_rule: pair.0,
                new_rule: pair.1,
                witness: call,
                old_decision,
                new_decision,
            })
        })
}

fn audit_only(old: &Policy, new: &Policy, alignment: &Alignment) -> Vec<AuditChange> {
    alignment
        .old_to_new
        .iter()
        .enumerate()
        .filter_map(|(i, j)| {
            let (a, b) = (old.rules.get(i)?, new.rules.get((*j)?)?);
            let mut fields = Vec::new();
            if a.policy_id != b.policy_id {
                fields.push("policy_id");
            }
            if a.reason != b.reason {
                fields.push("reason");
            }
            if a.reason_code != b.reason_code {
                fields.push("reason_code");
            }
            (!fields.is_empty()).then_some(AuditChange {
                old_rule: i,
                new_rule: (*j)?,
                fields,
            })
        })
        .collect()
}
