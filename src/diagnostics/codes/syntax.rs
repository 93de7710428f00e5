//! Codes for reading a document: file format, encoding, YAML/JSON syntax, limits.

use super::{CodeInfo, Level};

pub static UNSUPPORTED_FORMAT: CodeInfo = CodeInfo {
    code: "GC0001",
    name: "unsupported-file-format",
    level: Level::Error,
    summary: "the file suffix is not .yaml, .yml or .json",
    doc: "The policy loader chooses its parser by the file suffix and refuses any other \
suffix, as the reference SDK does (`unsupported file format: .txt (use .yaml, .yml, or \
.json)`). A runtime given `policy.txt` would refuse to start. Fix: rename the file to \
`controlzero.yaml` (or `.yml`, `.json`).",
};

pub static INVALID_UTF8: CodeInfo = CodeInfo {
    code: "GC0002",
    name: "invalid-utf8",
    level: Level::Error,
    summary: "the document is not valid UTF-8",
    doc: "Policies are UTF-8 text. A byte sequence that is not UTF-8 (often a file saved as \
Latin-1 or UTF-16 by an editor) cannot be read, and the reference refuses it too. The \
diagnostic points at the first invalid byte. Fix: re-save the file as UTF-8.",
};

pub static YAML_SYNTAX: CodeInfo = CodeInfo {
    code: "GC0003",
    name: "yaml-syntax-error",
    level: Level::Error,
    summary: "the document is not well-formed YAML",
    doc: "The YAML parser could not read the document: a tab used for indentation (the \
reference's YAML 1.1 reader accepts tabs only inside quoted strings, block scalars and \
comments), an unclosed quote or bracket, a key indented differently from its siblings, a \
bare `*`, a raw control character anywhere, comments included (NUL, ESC, DEL, C1 controls, \
U+FFFE, U+FFFF; escapes such as `\\x01` in double quotes are fine), a `%YAML` directive \
for a version other than 1.x, an implicit key in a flow collection longer than 1,024 \
characters or spanning lines, or a `\\u` escape of a lone UTF-16 surrogate (which the \
reference keeps as it is and guardc cannot represent). The reference refuses the document (`YAML parse error: ...`), so a runtime would \
refuse to load it. The diagnostic points at the character where reading stopped. Fix: \
correct the syntax there; quote patterns that start with `*`, `&`, `!`, `[` or `{` \
(`deny: '*'`).",
};

pub static YAML_CONSTRUCT: CodeInfo = CodeInfo {
    code: "GC0004",
    name: "yaml-unsupported-construct",
    level: Level::Error,
    summary: "well-formed YAML that the safe loader refuses",
    doc: "The document is well-formed YAML, but the reference's safe loader refuses to \
build values from it: more than one document in the stream (`---`), an alias to an \
anchor that was never defined, an anchor name defined twice, \
a language-specific tag such as `!!python/name:`, a merge key `<<` whose value is not a \
mapping, a list or mapping used as a key, or a value its tag or form cannot hold \
(`!!int abc`, the impossible date `2024-02-30`). Fix: keep one document per file, define \
each anchor once before using it, remove the tag, merge only mappings, quote values that \
are meant as text.",
};

pub static JSON_SYNTAX: CodeInfo = CodeInfo {
    code: "GC0005",
    name: "json-syntax-error",
    level: Level::Error,
    summary: "the document is not well-formed JSON",
    doc: "The JSON parser could not read the document: a trailing comma, a comment, a \
single-quoted string, an unescaped control character, a byte-order mark, or no value at \
all, or a `\\u` escape of a lone UTF-16 surrogate (`\\ud800` without its pair: the \
reference keeps it as it is, which guardc cannot represent, so the document is refused \
rather than read with a replacement character that would match other calls). JSON \
policies are read with a strict parser, as the reference reads them with \
Python's `json` module (`JSON parse error at line 1, column 9: ...`). Fix: correct the \
syntax at the position shown, or write the policy as YAML.",
};

pub static LIMIT_EXCEEDED: CodeInfo = CodeInfo {
    code: "GC0006",
    name: "resource-limit-exceeded",
    level: Level::Error,
    summary: "the document exceeds a resource limit (size, nesting, aliases, integer size)",
    doc: "guardc reads untrusted documents within explicit limits: document size (64 MiB), \
nesting depth (128), nodes after alias expansion (4,000,000), alias uses (10,000) and \
integer size (128 bits). A document past a limit is refused with this diagnostic \
instead of exhausting memory or time; a \"billion laughs\" alias bomb is the classic \
case. Real policies are far below every limit. Fix: split or simplify the document, or \
remove the alias chain.",
};

pub static UNREADABLE_FILE: CodeInfo = CodeInfo {
    code: "GC0007",
    name: "unreadable-file",
    level: Level::Error,
    summary: "the file cannot be read: missing, not permitted, or not a regular file",
    doc: "guardc reads regular files only, and a symlink to one. A path that does not \
exist, that this user may not read, or that names a directory, a FIFO or a device \
(`/dev/zero`, a pipe) is refused before anything is read, so a mistyped or hostile \
path can neither block the run nor fill memory. `guardc check` still reports every \
other file and exits 2. Fix: pass the path of the policy file itself; to check \
generated text, write it to a file first.",
};

pub static NOT_A_POLICY: CodeInfo = CodeInfo {
    code: "GC0008",
    name: "not-a-policy",
    level: Level::Error,
    summary: "the file is a compiled bundle or a binary file, not a policy document",
    doc: "A policy is YAML or JSON text. A compiled bundle (`guardc build` output, \
recognised by its magic bytes whatever its name) and a binary file (one that is not \
UTF-8 and holds NUL bytes, or is not UTF-8 and has no policy suffix) are refused with \
this diagnostic instead of being parsed, and none of their bytes are shown. Fix: check \
the source policy the bundle was built from (`guardc inspect` shows a bundle), or pass \
the right path.",
};

pub static ALL: &[&CodeInfo] = &[
    &UNSUPPORTED_FORMAT,
    &INVALID_UTF8,
    &YAML_SYNTAX,
    &YAML_CONSTRUCT,
    &JSON_SYNTAX,
    &LIMIT_EXCEEDED,
    &UNREADABLE_FILE,
    &NOT_A_POLICY,
];
