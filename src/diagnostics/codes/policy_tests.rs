//! The diagnostic codes of `guardc test`: problems in a test file (reported like policy
//! load errors, with a span and help), and failed expectations and invariants.

use super::{CodeInfo, Level};

pub static UNKNOWN_TEST_KEY: CodeInfo = CodeInfo {
    code: "GC0710",
    name: "unknown-test-key",
    level: Level::Error,
    summary: "a key the test file format does not define",
    doc: "A test file (`controlzero.test.yaml`) has the top-level keys `policy`, `tests` and \
`invariants`; a test has `name`, `call` and `expect`; a call mapping has `tool`, `method`, \
`resource`, `context` and `args`; an expectation has `effect`, `rule`, `hitl_eligible`, \
`policy_id`, `reason_code` and `reason`; an invariant has `name` and one of `never_allowed`, \
`always_approvable`, `never_approvable`. Any other key is refused rather than ignored, so a typo \
(`expects:`) cannot silently turn a test into one that checks nothing. Fix: correct the key.",
};

pub static BAD_TEST_CALL: CodeInfo = CodeInfo {
    code: "GC0711",
    name: "bad-test-call",
    level: Level::Error,
    summary: "a test's call is not a `TOOL:METHOD` string or a mapping with a tool",
    doc: "A test's `call` is either a string `TOOL:METHOD` (`\"Bash:sudo ls\"`) or a mapping \
`{tool: Bash, method: 'sudo ls', context: {...}, args: {...}}` with a non-empty `tool`. Anything \
else (a number, a list, a mapping without `tool`, a `context` that is not a mapping) cannot be \
decided. Fix: write the call in one of the two forms.",
};

pub static UNKNOWN_TEST_RULE: CodeInfo = CodeInfo {
    code: "GC0712",
    name: "unknown-test-rule",
    level: Level::Error,
    summary: "an expectation names a rule the policy does not have",
    doc: "`expect: {rule: ...}` accepts a rule's policy id (`rule-0`, or its `id`/`name`) or \
`rules[N]` (0-based). A name that no rule has, or an index past the end, would make the test \
fail for a reason unrelated to the decision. Fix: use `guardc eval POLICY TOOL --json` to see \
the deciding rule's `policy_id` and `rule_index`.",
};

pub static BAD_TEST_FILE: CodeInfo = CodeInfo {
    code: "GC0713",
    name: "bad-test-file",
    level: Level::Error,
    summary: "a test file value has the wrong shape",
    doc: "A value of the test file has the wrong type: `tests` and `invariants` must be lists, \
each entry a mapping; `effect` one of allow, deny, warn; `hitl_eligible` a boolean; an \
invariant's patterns a list of `TOOL:METHOD` strings; `policy` a path. Fix: follow the format \
shown by `guardc test --generate`.",
};

pub static TEST_FAILED: CodeInfo = CodeInfo {
    code: "GC0714",
    name: "test-failed",
    level: Level::Error,
    summary: "a policy test's call is decided differently than expected",
    doc: "The interpreter decides the test's call, and some field the test's `expect` gives \
differs from the decision. The report shows the expected and actual values. Fix: correct the \
policy if the expectation is what you want, or the expectation if the policy is right.",
};

pub static INVARIANT_VIOLATED: CodeInfo = CodeInfo {
    code: "GC0715",
    name: "invariant-violated",
    level: Level::Error,
    summary: "an invariant does not hold for some call its patterns match",
    doc: "Invariants are proven over every call their patterns match, not sampled: \
`never_allowed` (no such call is allowed), `always_approvable` (every such call is denied with \
`escalate_on_deny`), `never_approvable` (no such call is an approvable deny). A false invariant \
comes with a counterexample call, decided by the interpreter, and the rule that decides it. An \
invariant that involves a rule with gates the analysis does not model (a regex, a number) and \
no confirmed counterexample is reported as unproven, which also fails. Fix: change the policy \
so the counterexample is decided as the invariant says, or narrow the invariant.",
};

pub static ALL: [&CodeInfo; 6] = [
    &UNKNOWN_TEST_KEY,
    &BAD_TEST_CALL,
    &UNKNOWN_TEST_RULE,
    &BAD_TEST_FILE,
    &TEST_FAILED,
    &INVARIANT_VIOLATED,
];
