//! The codes of the analyzer's findings (`GC02xx` to `GC05xx`), one static each, named
//! after the finding's module in `analysis::findings`.
//!
//! The table sits here, below the analysis, so that the registry (and with it `guardc
//! explain`, the configuration's code lookup and the SARIF rule list) never imports the
//! analyzer: each finding module takes its code from here (`pub use ... as INFO`) and
//! registers its check in `analysis::findings::FINDINGS`; a test there holds the two
//! tables to the same codes. The trade-off is that a finding's documentation is one
//! file away from its check.

use super::{CodeInfo, Level};

pub static ANALYSIS_INCOMPLETE: CodeInfo = CodeInfo {
    code: "GC0200",
    name: "analysis-incomplete",
    level: Level::Info,
    summary: "the reachability analysis hit a limit; some rules were not decided",
    doc: "Reports a rule whose reachability the analysis could not decide within its \
limits. Each rule is decided exactly against the earlier rules that can overlap it, with \
small automata; a rule whose own automaton would be too large (a pattern such as \
`*a????????????????????????b*`, which must remember every character after each `a`), or \
whose searches need more states than the per-rule budget, or that comes after the \
document's budget is spent, is left undecided. No reachability or approval finding is made \
about an undecided rule, so its absence proves nothing; the rule never counts as covering \
another.\n\n\
```yaml\nrules:\n  - allow: '*a*'\n  - deny: '*a????????????????????????b*'\n```\n\n\
Fix: simplify the pattern (fewer `?` after a `*`, an anchored prefix such as \
`github:delete_*`), or split the policy. When a budget was the limit, `guardc.toml` can \
raise it: `[analysis]` `rule-states = 200000` and `document-states = 20000000` are the \
defaults (they count states, so a result is the same on every machine).",
};

pub static UNREACHABLE_RULE: CodeInfo = CodeInfo {
    code: "GC0201",
    name: "unreachable-rule",
    level: Level::Error,
    summary: "a rule that never decides: earlier rules give its calls another effect",
    doc: "Flags a rule that no call can reach: every call it matches is decided by \
earlier rules (first match wins), and at least one of them has another effect. The \
author's intent for those calls is lost: a deny that never fires lets the calls through \
(or the other way round), silently. The analysis is exact over every call a runtime can \
send, and it weighs the earlier rules together, so a rule covered only by the union of \
two rules is found too; each blocker is shown, with a call that proves the finding.\n\n\
```yaml\nrules:\n  - allow: 'github:get_*'\n  - deny: 'github:delete_*'\n  - effect: warn                      # never reached\n    actions: ['github:get_repo*', 'github:delete_repo*']\n```\n\n\
Fix: move the rule above its blockers if it should decide first, narrow the blockers, or \
delete the rule if the earlier decisions are the intended ones.",
};

pub static DEAD_RULE: CodeInfo = CodeInfo {
    code: "GC0202",
    name: "dead-rule",
    level: Level::Warning,
    summary: "a rule that never decides: earlier rules with the same effect take all its calls",
    doc: "Flags a rule that no call can reach, where every earlier rule that takes its \
calls has the same effect. No decision changes, but the rule is dead weight: readers \
believe it matters, its `reason` and `id` never appear in a decision or an audit row, \
and a later edit to the earlier rules can silently change what this rule was meant to \
cover. The analysis weighs all earlier rules together, so a rule covered by two rules at \
once is found too.\n\n\
```yaml\nrules:\n  - deny: 'Bash:rm *'\n  - deny: 'Bash:rm -rf *'       # dead: the first rule denies all of these\n```\n\n\
Fix: delete the rule, or move it above its blockers if its reason or id should be the one \
callers see.",
};

pub static UNMATCHABLE_RULE: CodeInfo = CodeInfo {
    code: "GC0203",
    name: "unmatchable-rule",
    level: Level::Error,
    summary: "a rule that matches no call at all: one of its gates can never hold",
    doc: "Flags a rule that no call a runtime can send would match, wherever it stands: \
one of its gates is empty. Typical causes are an empty pattern list (`deny: []`), a \
reversed range (`[z-a]` matches nothing), a pattern whose tool part is empty (`:x` \
needs a call with an empty tool name, which is an error, not a call), `resources: ['']` \
(an empty resource counts as no resource) or a condition no value satisfies (`op: in` \
with no items). The rule does nothing, and whatever it was meant to allow or deny is \
decided by other rules or the default.\n\n\
```yaml\nrules:\n  - deny: 'Bash:[z-a]*'          # the range is reversed: matches nothing\n```\n\n\
Fix: correct the gate the message names (here `[a-z]`), or delete the rule.",
};

pub static PARTIALLY_SHADOWED_RULE: CodeInfo = CodeInfo {
    code: "GC0204",
    name: "partially-shadowed-rule",
    level: Level::Info,
    summary: "a rule overlaps an earlier rule with another effect, and neither contains the other",
    doc: "Flags two rules with different effects that overlap while neither contains the \
other (a correlation): some calls the later rule was written for are decided by the \
earlier one (first match wins), and the earlier rule also reaches calls the later one does \
not cover, so it is not simply an exception carved out of it. The finding shows one call \
decided earlier and one the rule still decides.\n\n\
```yaml\nrules:\n  - allow: 'github:*_issue'\n  - deny: 'github:delete_*'       # github:delete_issue is allowed above\n```\n\n\
Exceptions are not reported: a later rule that contains the earlier rule of another \
effect is how first-match policies are written (`deny: 'Bash:sudo *'` before `allow: \
'Bash:*'`, specific denies before `deny: '*'`). A rule with several patterns counts as \
one rule per pattern, so `deny: ['Read:*', 'Edit:*']` on secret files before `allow: \
'Read:*'` is an exception for the reads. Overlaps with a carve-out that applies to every \
tool (a pattern starting with `*`, such as `*secret*`) are not reported either. When a \
condition the analysis cannot model exactly (a regular expression, a number comparison, \
`input_text`) leaves it open whether one rule contains the other, nothing is reported.\n\n\
Fix: nothing, if the overlap is intended; otherwise move the rule above the earlier one, \
or narrow the earlier rule to calls this rule matches, which makes it an explicit \
exception.",
};

pub static REDUNDANT_RULE: CodeInfo = CodeInfo {
    code: "GC0205",
    name: "redundant-rule",
    level: Level::Info,
    summary: "removing an unnamed rule would change no call's effect or approval eligibility",
    doc: "Flags a rule that decides some calls, but whose calls would get the same \
effect and the same approval eligibility from the rules after it (or from the no-match \
default) if it were removed, and which has no `id`, `name`, `reason` or `reason_code` of \
its own: nothing a decision reports would change. A redundant rule makes a policy longer \
to review and easy to misread.\n\n\
```yaml\nsettings:\n  default_action: deny\nrules:\n  - deny: 'Bash:rm *'            # redundant: the default denies these calls too\n  - allow: 'Read:*'\n```\n\n\
A rule with an `id`, `name`, `reason` or `reason_code` key is not reported, whatever its \
value: those texts appear in its decisions (`policy_id`, `reason`, `reason_code`) and \
in audit rows, so removing the rule changes what callers and auditors see. Naming a \
rule is how to say that it is kept on purpose.\n\n\
Fix: delete the rule, or give it an `id` or a `reason` if its decisions should say why \
these calls are refused or allowed. Proving redundancy takes at most four searches, one per later rule of \
another effect that can overlap the rule; a rule overlapped by more of them is not \
reported (the proof would make the check quadratic), which is never a false claim.",
};

pub static APPROVAL_NEVER_OFFERED: CodeInfo = CodeInfo {
    code: "GC0301",
    name: "approval-never-offered",
    level: Level::Error,
    summary: "an approval-eligible deny that no call reaches: nobody can ever approve through it",
    doc: "Flags a deny rule with a true `escalate_on_deny` that never decides a call: \
earlier rules (first match wins) decide every call it matches. The approval path the \
author designed does not exist: those calls are allowed without anyone asking, or \
refused with no way to ask for approval. The analysis is exact over every call a runtime \
can send and shows the blocking rules with a call that proves it.\n\n\
```yaml\nrules:\n  - allow: 'Bash:*'\n  - deny: 'Bash:sudo *'          # never reached: sudo is allowed above\n    escalate_on_deny: true\n```\n\n\
Fix: move the approval rule above the rules that block it (here, above `allow: \
'Bash:*'`), or narrow those rules so that they leave its calls alone.",
};

pub static APPROVAL_PREEMPTED: CodeInfo = CodeInfo {
    code: "GC0302",
    name: "approval-preempted",
    level: Level::Warning,
    summary: "calls meant to be approvable are refused outright by an earlier hard deny",
    doc: "Flags an approval-eligible deny (`escalate_on_deny: true`) some of whose calls \
are decided earlier by a deny that is not eligible. Those calls were meant to wait for a \
human; they are refused outright instead, and the caller has no way to ask. The finding \
shows such a call and the rule that refuses it.\n\n\
```yaml\nrules:\n  - deny: 'Bash:sudo rm *'        # hard deny: takes `sudo rm ...` first\n  - deny: 'Bash:sudo *'\n    escalate_on_deny: true\n```\n\n\
Fix: if the earlier calls may be approved too, add `escalate_on_deny: true` to the \
earlier rule; if they should be approvable under this rule's terms, move this rule above \
it; if the hard deny is intended, nothing.",
};

pub static ESCALATION_ON_NON_DENY: CodeInfo = CodeInfo {
    code: "GC0350",
    name: "escalation-on-non-deny",
    level: Level::Warning,
    summary: "`escalate_on_deny` on an allow or warn rule, where it is ignored",
    doc: "Flags a true `escalate_on_deny` on a rule whose effect is `allow` or `warn`. \
Only a deny can be approved: the reference ignores the flag anywhere else, so no call \
matching the rule ever waits for a human. The flag usually shows that the rule was meant \
to be a deny that a human may lift, or that it was copied from a neighbouring deny.\n\n\
```yaml\nrules:\n  - allow: 'Bash:git push *'\n    escalate_on_deny: true      # ignored: the call is simply allowed\n```\n\n\
Fix: if the calls should wait for approval, make the rule a `deny` (keeping the flag); \
otherwise remove the flag.",
};

pub static ESCALATION_NOT_BOOLEAN: CodeInfo = CodeInfo {
    code: "GC0351",
    name: "escalation-not-boolean",
    level: Level::Error,
    summary: "`escalate_on_deny` is not a boolean",
    doc: "Flags an `escalate_on_deny` value that is a string, a number, null or a \
collection. The reference reads the flag with Python truthiness: every non-empty string \
is true, so `escalate_on_deny: 'false'` (or `'no'`, `'0'`, `'off'`) makes the deny \
approvable, while the Go SDK reads those four strings as false. For those strings the \
finding is an error, since the same policy offers approval in one SDK and refuses \
outright in the other; for every other non-boolean it is a warning.\n\n\
```yaml\nrules:\n  - deny: 'Bash:sudo *'\n    escalate_on_deny: 'false'   # true in the reference: approvable\n```\n\n\
Fix: write an unquoted boolean, `escalate_on_deny: true` or `escalate_on_deny: false`.",
};

pub static BROAD_ESCALATION: CodeInfo = CodeInfo {
    code: "GC0352",
    name: "broad-escalation",
    level: Level::Warning,
    summary: "an approvable deny covers every call of a tool, or every call",
    doc: "Flags a deny with a true `escalate_on_deny` whose pattern covers every method \
of a tool (`Bash`, `Bash:*`) or every call (`*`), with no resource, client, project or \
condition to narrow it. Every such call waits for a human: routine calls (`Bash:ls`) \
queue up beside the dangerous ones, approvers learn to approve without reading, and the \
approval stops protecting anything.\n\n\
```yaml\nrules:\n  - deny: 'Bash'\n    escalate_on_deny: true      # every shell command needs an approver\n```\n\n\
Fix: make the approvable rule name the methods that need a human (`Bash:sudo`, \
`Bash:rm`), allow or deny the rest outright, or narrow the rule with a resource or a \
condition.",
};

pub static APPROVAL_INTENT_WITHOUT_FLAG: CodeInfo = CodeInfo {
    code: "GC0353",
    name: "approval-intent-without-flag",
    level: Level::Info,
    summary: "a deny's reason asks for approval, but the rule is not approvable",
    doc: "Flags a deny rule without a true `escalate_on_deny` whose `reason` says the \
call needs approval (\"requires manual approval\", \"needs human approval\", \"must be \
approved\", \"ask an admin\"). The caller is told to get approval, but the decision is \
not approval-eligible, so the runtime refuses the call outright and no approver is ever \
asked.\n\n\
```yaml\nrules:\n  - deny: 'Bash:sudo *'\n    reason: 'sudo requires admin approval'   # but nobody can approve it\n```\n\n\
Fix: add `escalate_on_deny: true` to the rule, or reword the reason if the approval \
happens outside the policy.",
};

pub static MISPLACED_RULE_KEY: CodeInfo = CodeInfo {
    code: "GC0401",
    name: "misplaced-rule-key",
    level: Level::Error,
    summary: "a rule key at the top level or in `settings`, where it has no effect",
    doc: "Keys such as `escalate_on_deny`, `reason`, `resources` or `when` only mean \
something inside a rule. Written at the top level or under `settings` they are ignored \
by the reference without any message, so the rule they were meant for loses them: a \
lost `escalate_on_deny: true` turns an approvable deny into a hard deny. This almost \
always comes from a paste that lost its indentation:\n\n\
```yaml\nrules:\n  - deny: 'Bash:sudo *'\nescalate_on_deny: true      # column 0: a top-level key\n```\n\n\
Fix: indent the key under the rule it belongs to, aligned with that rule's first key \
(`    escalate_on_deny: true`).",
};

pub static DUPLICATE_KEY: CodeInfo = CodeInfo {
    code: "GC0402",
    name: "duplicate-key",
    level: Level::Error,
    summary: "a key written twice in one mapping; only the last value counts",
    doc: "Flags a key that appears more than once in the same mapping. The reference \
keeps the last value and drops the others without any message, so the earlier line \
looks meaningful but does nothing. In a rule this is usually a merge accident, and it \
can change what the rule does:\n\n\
```yaml\nrules:\n  - deny: 'Bash:rm *'\n    reason: 'destructive'\n    deny: 'Bash:sudo *'   # only this pattern is used\n```\n\n\
Fix: keep one occurrence. If both values were meant, combine them (`deny: ['Bash:rm *', \
'Bash:sudo *']`) or write two rules.",
};

pub static UNKNOWN_KEY: CodeInfo = CodeInfo {
    code: "GC0403",
    name: "unknown-key",
    level: Level::Warning,
    summary: "a key the language does not define, close to one it does",
    doc: "Flags keys the reference does not read: at the top level and in rules, keys \
within a small edit distance of a known key, or spelled like one in another case or \
style (`Reason`, `reasonCode`, `escalate-on-deny`); in `settings` and in condition \
envelopes (`{op, value, case_insensitive}`), every key that is not defined there. The \
reference ignores unknown keys, so a misspelt key silently does nothing: a rule with \
`escalateOnDeny: true` is a hard deny, a `setings:` block leaves the fail-closed \
default in place, and an envelope with `caseInsensitive: true` compares \
case-sensitively.\n\n\
```yaml\nrules:\n  - deny: 'Bash:sudo *'\n    reson: 'needs approval'      # did you mean `reason`?\n```\n\n\
Keys far from every known key (`description`, `owner`, `ticket`) are taken as \
annotations, as the reference takes them, and are not reported. Rule keys written at \
the top level are reported by `misplaced-rule-key` instead.\n\n\
Fix: rename the key to the one suggested, or remove it.",
};

pub static DUPLICATE_RULE_ID: CodeInfo = CodeInfo {
    code: "GC0404",
    name: "duplicate-rule-id",
    level: Level::Error,
    summary: "two rules share a policy id, so decisions cannot tell them apart",
    doc: "Flags a rule whose policy id (its `id`, else its `name`, else `rule-<index>`) \
is already used by an earlier rule. Decisions and audit rows identify the deciding rule \
only by that id, so with two rules under one id nobody can tell from a log which rule \
denied a call, and approvals linked to the id cover both.\n\n\
```yaml\nrules:\n  - id: block-sudo\n    deny: 'Bash:sudo *'\n  - id: block-sudo            # copied, not renamed\n    deny: 'Bash:su *'\n```\n\n\
Ids are compared as decisions render them, so `id: 7` and `id: '7'` collide too.\n\n\
Fix: give each rule its own id.",
};

pub static NON_STRING_IDENTITY: CodeInfo = CodeInfo {
    code: "GC0405",
    name: "non-string-identity",
    level: Level::Warning,
    summary: "a rule's `id`, `name`, `reason` or `reason_code` is not a string and changes when rendered",
    doc: "Flags `id`, `name`, `reason` and `reason_code` values that YAML or JSON reads as \
something other than a string, where the text decisions report differs from the text \
written. The reference renders them with Python `str()`: `id: 0777` (a YAML 1.1 octal) \
becomes the policy id `511`, `id: yes` becomes `True`, `name:` with no value becomes \
`None`. Audit rows, approvals and dashboards then show an id nobody wrote, and the Go \
SDK renders the same values differently again.\n\n\
```yaml\nrules:\n  - id: 0777                    # decisions say policy_id: '511'\n    deny: 'Bash:chmod *'\n```\n\n\
Fix: quote the value (`id: '0777'`).",
};

pub static YAML11_LITERAL: CodeInfo = CodeInfo {
    code: "GC0406",
    name: "yaml11-literal",
    level: Level::Warning,
    summary: "an unquoted value that YAML 1.1 and YAML 1.2 read differently",
    doc: "Flags plain (unquoted) scalars whose meaning depends on the YAML version: \
`yes`, `no`, `on`, `off` (booleans in YAML 1.1, strings in 1.2), `0777` (octal 511 in \
1.1, 777 in 1.2), `1:30` (base 60: 90 in 1.1), `0b101`, `1_000`, and the reverse cases \
`08`, `0o17`, `1e3` (strings in 1.1, numbers in 1.2). The reference reads YAML 1.1, so \
it decides by the 1.1 meaning, while editors, schema validators and other tools that \
read the same file follow YAML 1.2; a reviewer reading `flag: no` as the text `no` is \
wrong about what the policy does.\n\n\
```yaml\n    when:\n      confirmed: no               # the boolean false: matches `False`, not `no`\n```\n\n\
Fix: say which one you mean: quote the text (`'no'`), or write the value the way both \
versions read alike (`false`, `511`).",
};

pub static FAIL_OPEN_DEFAULT: CodeInfo = CodeInfo {
    code: "GC0407",
    name: "fail-open-default",
    level: Level::Info,
    summary: "`default_action` lets through every call no rule matches",
    doc: "Flags `settings.default_action: allow` or `warn` in a policy with no \
catch-all rule (a rule whose pattern is `*` and that has no other gate). Every call that \
no rule names then proceeds: tools added later, tools of another integration, typos in \
a deny pattern. Policies for agents are usually written fail-closed (the default \
`deny`), with the tools the agent needs allowed explicitly.\n\n\
```yaml\nsettings:\n  default_action: allow         # an unknown tool is allowed\nrules:\n  - deny: 'Bash:sudo *'\n```\n\n\
Fix: set `default_action: deny` and allow what the agent needs, or, if allowing \
everything else is intended, say so with a last rule `- allow: '*'`.",
};

pub static HOOK_SUBJECT_MISMATCH: CodeInfo = CodeInfo {
    code: "GC0501",
    name: "hook-subject-mismatch",
    level: Level::Warning,
    summary: "a shell pattern that needs a whole command line, which hooks never send",
    doc: "Flags a pattern on a shell-family tool (`Bash`, `shell`, `PowerShell`, \
`run_terminal_cmd`, ...) whose method part contains a space or a shell separator, such \
as `Bash:sudo *` or `Bash:rm -rf *`. Hook integrations send only the name of one command \
of the line, without arguments or directory: the command `sudo apt-get install x` \
arrives as `Bash:sudo`, `cd /tmp && rm -rf x` as `Bash:rm`. A pattern that needs the \
arguments never matches there, so the rule protects SDK callers that pass the whole \
command line as the method, and nobody behind a hook.\n\n\
```yaml\nrules:\n  - deny: 'Bash:sudo *'           # never matches `Bash:sudo` from a hook\n```\n\n\
Fix: match the command name (`Bash:sudo`); keep the longer pattern too if SDK callers \
send whole command lines.",
};

pub static CASE_VARIANT_PATTERNS: CodeInfo = CodeInfo {
    code: "GC0502",
    name: "case-variant-patterns",
    level: Level::Warning,
    summary: "two patterns that differ only in the case of the tool name",
    doc: "Flags a pattern that is another pattern of the policy with the tool name in a \
different case (`Bash:ls` and `bash:ls`, `GitHub` and `github`). Tool names are matched \
case-insensitively, so the two are the same pattern: they match exactly the same calls, \
and the later one never gets a call the earlier one did not already decide. Writing \
both usually means the author believed they were different tools.\n\n\
```yaml\nrules:\n  - deny: 'Bash:rm *'\n  - allow: 'bash:rm *'          # the same calls: never decides\n```\n\n\
Fix: spell the tool one way, then keep the rule you mean and remove the other.",
};

pub static GO_GLOB_PORTABILITY: CodeInfo = CodeInfo {
    code: "GC0503",
    name: "go-glob-portability",
    // A warning, but only for policies that declare the Go SDK a target (see
    // `config::Targets`): nearly every `*` pattern crosses `/` for some call, which is
    // worth a warning where Go enforces the policy and noise everywhere else.
    level: Level::Warning,
    summary: "a pattern the Go SDK's matcher decides differently",
    doc: "Flags a tool pattern or resource glob for which some string is decided \
differently by the reference's matcher (Python `fnmatch`) and by Go's `path.Match`, \
which the Go SDK uses; the message names such a string. The differences: in Go `*` and \
`?` do not match `/`; `[^x]` is a negated class in Go and the set `{^, x}` here, while \
`[!x]` is the reverse; `\\` escapes the next character in Go and is an ordinary \
character here; a malformed bracket (`[]a]`, `[a-]`, an unclosed `[`) makes Go reject \
the pattern, which then matches nothing there.\n\n\
```yaml\nrules:\n  - deny: 'Read'\n    resources: ['/etc/*']        # Go: does not cover /etc/ssl/private.key\n```\n\n\
Off unless the Go SDK is a declared target, because almost every `*` pattern differs \
for some call: declare it in the `guardc.toml` beside the policy (`[targets]`, \
`sdks = [\"python\", \"go\"]`), or name the finding in a level setting \
(`-W go-glob-portability`).\n\n\
Fix: write patterns both matchers read alike: one `/*` per path level, classes listing \
the characters meant rather than negating, `[\\\\]` for a literal backslash.",
};

pub static GO_SCHEMA_PORTABILITY: CodeInfo = CodeInfo {
    code: "GC0504",
    name: "go-schema-portability",
    level: Level::Warning,
    summary: "structure the Go SDK reads differently: top-level defaults, gates on allow rules",
    doc: "Flags parts of a policy that the Go SDK reads differently from the reference. \
A `default_action` (or `default_on_missing`, `default_on_empty`, `default_on_tamper`) \
written at the top level is ignored by the reference but used by the Go SDK, ahead of \
`settings`: unmatched calls are then decided differently by the two. And the Go SDK has \
no `clients`, `projects` or `when`/`conditions` gates: on an `allow` rule they narrow \
what the reference allows, while Go allows every call the pattern matches.\n\n\
```yaml\ndefault_action: allow           # the Go SDK allows unmatched calls; the reference denies\nrules:\n  - allow: 'Bash:git *'\n    when: {branch: 'feature/*'}  # ignored by Go: every git command is allowed\n```\n\n\
Off unless the Go SDK is a declared target: declare it in the `guardc.toml` beside the \
policy (`[targets]`, `sdks = [\"python\", \"go\"]`), or name the finding in a level \
setting (`-W go-schema-portability`).\n\n\
Fix: move defaults under `settings:`; express allow-rule restrictions with the pattern \
or `resources`, which both SDKs honour, or accept that the Go SDK allows more.",
};

pub static UNKNOWN_TOOL: CodeInfo = CodeInfo {
    code: "GC0505",
    name: "unknown-tool",
    level: Level::Info,
    summary: "a tool name no integration sends, close to one they do",
    doc: "Flags a tool name in a pattern that is neither a known tool family nor one of \
its aliases (`Bash`, `shell`, `file_read`, `Read`, `database`, `WebFetch`, ...) but is \
one or two edits away from one. A typo in a tool name makes the rule match nothing \
anybody sends, so a deny silently protects nothing. Names far from every known name are \
taken as tools of your own and are not reported.\n\n\
```yaml\nrules:\n  - deny: 'Bsh:rm *'              # did you mean `Bash`?\n```\n\n\
Fix: correct the tool name; if it is a tool of your own that happens to look like a \
known one, suppress the finding on that rule.",
};

pub static REGEX_FAILS_CLOSED: CodeInfo = CodeInfo {
    code: "GC0506",
    name: "regex-fails-closed",
    level: Level::Error,
    summary: "a `matches` pattern guardc cannot evaluate exactly; its rule is decided fail-closed",
    doc: "Flags a `matches` condition whose pattern Python's `re` accepts but guardc \
cannot evaluate exactly: a character name given by an alias or a loose spelling \
(`\\N{LATIN CAPITAL LETTER GHA}`; official names such as `\\N{EM DASH}` are fine), the \
template flag `(?t)`, the \
ASCII flag `(?a)` together with case-insensitive matching, a conditional group whose \
reference is not written in ASCII digits, or a pattern whose compiled form exceeds \
guardc's regex limits (the linear-time automata may use 4 MiB each, the backtracking \
program 100,000 instructions, and nesting is limited).\n\n\
guardc never guesses such a condition. It is decided fail-closed: the condition counts \
as holding for a `deny` or `warn` rule (the rule applies whenever its other gates do) and \
as failing for an `allow` rule (the rule never applies). The same happens at run time \
when a search needs more than 1,000,000 backtracking steps (catastrophic backtracking, \
such as `^(a|aa)+\\1b` on a long run of `a`); that cannot be seen in advance and is not \
reported here. `guardc eval --explain` says when a gate was decided this way. Patterns \
Python itself refuses are not fail-closed: the reference never matches them, and \
neither does guardc.\n\n\
```yaml\nrules:\n  - deny: 'Bash'\n    when:\n      command: {op: matches, value: '(?t)sudo'}   # denies every Bash call\n```\n\n\
Fix: rewrite the pattern without the construct (the official name or a `\\uXXXX` escape \
for a character name alias, an explicit class for ASCII-only case folding), or split a \
very large pattern into several rules.",
};

/// Every finding's code, in the analyzer's order.
pub static ALL: [&CodeInfo; 25] = [
    &ANALYSIS_INCOMPLETE,
    &UNREACHABLE_RULE,
    &DEAD_RULE,
    &UNMATCHABLE_RULE,
    &PARTIALLY_SHADOWED_RULE,
    &REDUNDANT_RULE,
    &APPROVAL_NEVER_OFFERED,
    &APPROVAL_PREEMPTED,
    &ESCALATION_ON_NON_DENY,
    &ESCALATION_NOT_BOOLEAN,
    &BROAD_ESCALATION,
    &APPROVAL_INTENT_WITHOUT_FLAG,
    &MISPLACED_RULE_KEY,
    &DUPLICATE_KEY,
    &UNKNOWN_KEY,
    &DUPLICATE_RULE_ID,
    &NON_STRING_IDENTITY,
    &YAML11_LITERAL,
    &FAIL_OPEN_DEFAULT,
    &HOOK_SUBJECT_MISMATCH,
    &CASE_VARIANT_PATTERNS,
    &GO_GLOB_PORTABILITY,
    &GO_SCHEMA_PORTABILITY,
    &UNKNOWN_TOOL,
    &REGEX_FAILS_CLOSED,
];
