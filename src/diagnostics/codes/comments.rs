//! Codes about guardc's own comments in a policy: `# guardc: allow(...)` suppressions
//! (read by the analyzer's configuration) and `# guardc: expect ...` expectations (read
//! by the editor layer). Both readers sit above this table and refer to it.

use super::{CodeInfo, Level};

pub static UNKNOWN_SUPPRESSION: CodeInfo = CodeInfo {
    code: "GC0490",
    name: "unknown-suppression",
    level: Level::Warning,
    summary: "a `# guardc: allow(...)` comment that suppresses nothing",
    doc: "A suppression comment that does not do what it says: it names a code or name no \
diagnostic has (a typo such as `redundant-rules`), names a load error (which cannot be \
suppressed: the reference refuses the document whatever the comment says), is malformed, \
or is written where it applies to nothing (inside a rule's body, or after `rules:` but \
not next to a rule). Such a comment silently suppresses nothing, which is worse than no \
comment:\n\n\
```yaml\nrules:\n  # guardc: allow(redundant-rules)     # no such finding\n  - allow: 'Read:*'\n```\n\n\
Fix: name a code or name that `guardc explain` lists, and write the comment on the line \
just above the rule, at the end of the rule's first line, or before `rules:` for the \
whole file.",
};

pub static EXPECTATION_MISMATCH: CodeInfo = CodeInfo {
    code: "GC0491",
    name: "expectation-mismatch",
    level: Level::Warning,
    summary: "a `# guardc: expect` comment whose call gets another decision",
    doc: "A comment `# guardc: expect EFFECT [approvable] TOOL:METHOD` states the decision \
a call should get; the language server decides the call against the document on every \
edit, shows the real decision after the comment, and reports this diagnostic when the two \
differ (or when the comment cannot be read):\n\n\
```yaml\n# guardc: expect deny approvable Bash:sudo ls\nrules:\n  - deny: 'Bash:sudo *'\n```\n\n\
Here the deny is not approvable, because the rule has no `escalate_on_deny: true`.\n\n\
Fix: change the rules so that the call gets the expected decision, or correct the \
expectation if the policy is right.",
};

pub static ALL: [&CodeInfo; 2] = [&UNKNOWN_SUPPRESSION, &EXPECTATION_MISMATCH];
