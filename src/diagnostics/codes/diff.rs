//! The diagnostic codes of `guardc diff`, so that its SARIF and GitHub outputs carry
//! stable rule ids that CI can filter on, and `guardc explain` documents them.

use super::{CodeInfo, Level};

pub static DECISION_CHANGED: CodeInfo = CodeInfo {
    code: "GC0701",
    name: "decision-changed",
    level: Level::Warning,
    summary: "the new policy decides some call differently from the old one",
    doc: "Reported by `guardc diff OLD NEW` for each pair of deciding rules (old rule, new rule; \
the no-match default counts as a rule) that decide some call differently in effect or approval \
eligibility. The message names the class (newly-allowed, newly-approvable, newly-hard-denied, \
no-longer-approvable, to-warn, from-warn) and a shortest call the interpreter decides that way on \
both sides. Example: moving `allow: 'Bash:*'` above `deny: 'Bash:sudo *'` makes `Bash:sudo a` \
newly allowed. Fix: nothing, if the change is intended; otherwise restore the rule order or gates. \
`--fail-on CLASSES` makes CI fail on the classes a reviewer must approve.",
};

pub static DECISION_MAY_CHANGE: CodeInfo = CodeInfo {
    code: "GC0702",
    name: "decision-may-change",
    level: Level::Warning,
    summary: "a change involves a rule whose gates the analysis cannot model; unproven",
    doc: "Reported by `guardc diff` for a pair of deciding rules that may decide some call \
differently, where one of the rules involved has a gate the exact analysis leaves out (a \
`matches` regex, a numeric comparison, a condition on `input_text`) and no call could be \
confirmed by the interpreter. The change is not proven, and not ruled out either: `guardc diff` \
never reports \"no change\" without proof. Fix: review the two rules by hand, or add a policy \
test (`guardc test`) with a call that settles it.",
};

pub static DIFF_INCOMPLETE: CodeInfo = CodeInfo {
    code: "GC0703",
    name: "diff-incomplete",
    level: Level::Error,
    summary: "the comparison of two policies exceeded its work budget",
    doc: "Reported by `guardc diff` when the search over the calls the changed rules match \
exceeded its budget (product states of the search, or the size of one rule's automaton). The \
rules it could not compare are named; the report makes no claim about them, so a CI gate treats \
this as a failure. Fix: split the change into smaller ones, or review the named rules by hand.",
};

pub static ALL: [&CodeInfo; 3] = [&DECISION_CHANGED, &DECISION_MAY_CHANGE, &DIFF_INCOMPLETE];
