#!/usr/bin/env python3
"""Record the reader's conformance vectors from the reference SDK.

Why this exists: the reference reads YAML with PyYAML 6.0.4 (a YAML 1.1 reader) and
guardc with saphyr (YAML 1.2) plus the 1.1 rules on top. Where the two readers differ on
characters and directives (control characters anywhere, NEL/LS/PS line breaks, a U+FEFF
after the start, `%YAML 2.0`, implicit keys in flow collections past 1,024 characters or
across lines, recursive anchors, `!!int`/`!!float` of Unicode digits) the reference's
behaviour is recorded here, case by case, so that `cargo test` pins it down:

* ``fixtures/conformance/load_errors/reader_refusals.json``: which documents the
  reference refuses (``PolicyLoadError``, ``PolicyValidationError`` with its error list)
  and which it loads (with the rule count);
* ``fixtures/conformance/decisions/reader_values.json``: for documents that load, the
  decisions on a few requests, which pin down the values read (folding, kept
  characters, numbers).

Each case is written to a file byte for byte and loaded with the reference's
``load_policy``, exactly as a runtime would read a policy file.

Usage (from the repository root, with the pinned reference installed):
    /path/to/python-with-controlzero-1.13.16 scripts/record_reader_vectors.py
"""

from __future__ import annotations

import json
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT_LOAD = ROOT / "fixtures" / "conformance" / "load_errors" / "reader_refusals.json"
OUT_DECISIONS = ROOT / "fixtures" / "conformance" / "decisions" / "reader_values.json"

RULE = "rules:\n  - deny: t\n"
LONG = "k" * 1100

# (id, description, YAML text). Every document is loaded; the loaded ones with requests
# below also become decision vectors.
LOAD_CASES = [
    ("ctrl-soh-in-scalar", "a raw U+0001 inside a quoted scalar", 'rules:\n  - deny: "a\x01b"\n'),
    ("ctrl-soh-in-comment", "a raw U+0001 inside a comment", "# note \x01\n" + RULE),
    ("ctrl-esc-plain", "a raw ESC in a plain scalar", "rules:\n  - deny: a\x1bb\n"),
    ("ctrl-bel-reason", "a raw BEL in a reason", RULE + "    reason: ring\x07\n"),
    ("ctrl-del", "a raw DEL", "rules:\n  - deny: a\x7fb\n"),
    ("ctrl-c1-9f", "a raw C1 control U+009F", "rules:\n  - deny: a\x9fb\n"),
    ("ctrl-c1-80", "a raw C1 control U+0080 in a comment", RULE + "# \x80\n"),
    ("nonchar-fffe", "U+FFFE", "rules:\n  - deny: a\ufffeb\n"),
    ("nonchar-ffff", "U+FFFF in a single-quoted scalar", "rules:\n  - deny: 'a\uffffb'\n"),
    ("ctrl-vt", "a raw vertical tab", "rules:\n  - deny: a\x0bb\n"),
    ("ctrl-after-crlf", "a control character after CRLF lines (the position counts CRLF once)",
     "rules:\r\n  - deny: x\r\n  - deny: a\x01\r\n"),
    ("nul-in-double-quoted", "a NUL inside a double-quoted scalar", 'rules:\n  - deny: "a\x00b"\n'),
    ("nul-in-single-quoted", "a NUL inside a single-quoted scalar, more lines after",
     "rules:\n  - deny: 'a\x00b'\n  - deny: c\n"),
    ("nul-plain", "a NUL in a plain scalar", "rules:\n  - deny: a\x00b\n"),
    ("escaped-control-loads", "the escape \\x01 in a double-quoted scalar is fine", 'rules:\n  - deny: "t\\x01"\n'),
    ("escaped-esc-loads", "the escape \\e in a double-quoted scalar is fine", 'rules:\n  - deny: "t\\e"\n'),
    ("yaml-2-0", "%YAML 2.0", "%YAML 2.0\n---\n" + RULE),
    ("yaml-2-0-after-comment", "%YAML 2.0 after a comment line", "# policy\n%YAML 2.0\n---\n" + RULE),
    ("yaml-1-2-loads", "%YAML 1.2 is accepted (major version 1)", "%YAML 1.2\n---\n" + RULE),
    ("yaml-1-9-loads", "%YAML 1.9 is accepted (major version 1)", "%YAML 1.9\n---\n" + RULE),
    ("yaml-duplicate", "two %YAML directives", "%YAML 1.1\n%YAML 1.1\n---\n" + RULE),
    ("tag-duplicate", "a %TAG handle declared twice", "%TAG !a! tag:x,\n%TAG !a! tag:y,\n---\n" + RULE),
    ("bom-start-loads", "a byte-order mark at the start", "\ufeff" + RULE),
    ("bom-end-of-plain-loads", "U+FEFF at the end of a plain scalar is a character", "rules:\n  - deny: t\ufeff\n"),
    ("bom-in-quoted-loads", "U+FEFF inside a quoted scalar", 'rules:\n  - deny: "t\ufeffx"\n'),
    ("bom-line-start", "U+FEFF alone on a line is a plain scalar", RULE + "\ufeff\n"),
    ("bom-before-key", "U+FEFF before a key is part of the key", "rules:\n  - deny: t\n\ufeffsettings: {}\n"),
    ("flow-key-1025", "an implicit flow key of 1,025 characters", "{" + "k" * 1025 + ": v, rules: [{deny: t}]}\n"),
    ("flow-key-1024-loads", "an implicit flow key of 1,024 characters", "{" + "k" * 1024 + ": v, rules: [{deny: t}]}\n"),
    ("flow-key-quoted-long", "a quoted implicit flow key over 1,024 characters",
     '{"' + "k" * 1023 + '": v, rules: [{deny: t}]}\n'),
    ("flow-key-in-sequence", "a long implicit key of a pair in a flow sequence", RULE + "x: [" + LONG + ": v]\n"),
    ("flow-key-multiline", "an implicit flow key across two lines", "{a\n b: c, rules: [{deny: t}]}\n"),
    ("flow-key-explicit-loads", "an explicit (`? `) long flow key", "{? " + LONG + ": v, rules: [{deny: t}]}\n"),
    ("block-key-long", "an implicit block key over 1,024 characters", LONG + ": v\n" + RULE),
    ("nel-line-breaks-loads", "NEL as the only line break", "rules:\x85  - deny: t\x85"),
    ("ls-line-breaks-loads", "LS as the only line break", "rules:\u2028  - deny: t\u2028"),
    ("ps-line-breaks-loads", "PS as the only line break", "rules:\u2029  - deny: t\u2029"),
    ("nel-ends-comment-loads", "NEL ends a comment", "# note\x85" + RULE),
    ("nel-in-double-quoted-loads", "NEL inside a double-quoted scalar folds to a space", 'rules:\n  - deny: "t\x85x"\n'),
    ("nel-in-single-quoted-loads", "NEL inside a single-quoted scalar folds to a space", "rules:\n  - deny: 't\x85x'\n"),
    ("ls-in-double-quoted-loads", "LS inside a double-quoted scalar is kept", 'rules:\n  - deny: "t\u2028x"\n'),
    ("ls-fold-trims-loads", "LS in a quoted scalar drops the blanks around it", 'rules:\n  - deny: "t \u2028   x"\n'),
    ("nel-plain-continuation", "NEL ends a plain scalar's line", "rules:\n  - deny: a\x85   b\n"),
    ("ls-plain-fold-loads", "LS inside a multi-line plain scalar is kept", "rules:\n  - deny: t\u2028      x\n"),
    ("nel-plain-fold-loads", "NEL inside a multi-line plain scalar folds", "rules:\n  - deny: t\x85      x\n"),
    ("ls-literal-loads", "LS inside a literal block scalar is kept", "rules:\n  - deny: |\n      t\u2028      x\n"),
    ("ls-folded-loads", "LS inside a folded block scalar is kept, not folded", "rules:\n  - deny: >-\n      t\u2028      x\n"),
    ("nel-folded-loads", "NEL inside a folded block scalar folds", "rules:\n  - deny: >-\n      t\x85      x\n"),
    ("nel-literal-loads", "NEL inside a literal block scalar is a newline", "rules:\n  - deny: |-\n      t\x85      x\n"),
    ("quoted-continuation-loads", "a double-quoted value continued at the start of a line",
     'rules:\n  - deny: "t\nx"\n'),
    ("single-quoted-continuation-loads", "a single-quoted value continued less indented",
     "rules:\n  - deny: 't\n  x'\n"),
    ("flow-closing-bracket-loads", "a flow list whose `]` is less indented than its items",
     "rules:\n  - deny: [\n    t,\n    u\n  ]\n"),
    ("flow-at-column-zero-loads", "a flow list continued at column 0, with a comment",
     "rules:\n  - deny: [t,  # first\nu]\n"),
    ("flow-plain-fold-loads", "a plain scalar folded across lines inside a flow list",
     "rules:\n  - deny: [t\n  x]\n"),
    ("flow-rules-loads", "the rule list as a flow list over lines at column 0",
     "rules: [\n{deny: t,\nreason: \"a\n\n   b\"}\n]\n"),
    ("quoted-document-marker", "a quoted value continued by a `---` line",
     "rules:\n  - deny: 't\n---\n  x'\n"),
    ("flow-key-across-lines-column-zero", "a flow key whose `:` is on the next line",
     "rules:\n  - deny: {\nk\n: v}\n"),
    ("recursive-unused-loads", "a recursive anchor in an unused key", "x: &a [*a]\n" + RULE),
    ("recursive-mapping-unused-loads", "a mapping containing itself under an unknown rule key",
     "rules:\n  - &a {deny: t, k: *a}\n"),
    ("recursive-rules", "rules is a list containing itself", "rules: &a [*a]\n"),
    ("recursive-patterns", "a pattern list containing itself", "rules:\n  - deny: &a [t, *a]\n"),
    ("self-merge-loads", "a mapping that merges itself", "a: &a\n  <<: *a\n" + RULE),
    ("self-merge-rule-loads", "a rule that merges itself", "rules:\n  - &a\n    deny: t\n    <<: *a\n"),
    ("self-merge-list-loads", "a mapping that merges a list holding itself",
     "a: &a\n  k: v\n  <<: [*a]\n" + RULE),
    ("int-arabic-indic-loads", "!!int of Arabic-Indic digits", 'rules:\n  - deny: t\n    id: !!int "١٢"\n'),
    ("float-arabic-indic-loads", "!!float of Arabic-Indic digits", 'rules:\n  - deny: t\n    id: !!float "١٢"\n'),
    ("float-fullwidth-loads", "!!float of full-width digits with a point", 'rules:\n  - deny: t\n    id: !!float "１.５"\n'),
    ("int-octal-arabic-loads", "!!int with a leading zero reads octal digits", 'rules:\n  - deny: t\n    id: !!int "0١٢"\n'),
    ("int-invalid", "!!int of a superscript digit", 'rules:\n  - deny: t\n    id: !!int "²"\n'),
    ("float-invalid", "!!float of a letter", 'rules:\n  - deny: t\n    id: !!float "x1"\n'),
]

# Requests for the documents that load: id -> requests. The decisions pin the values.
DECISION_REQUESTS = {
    "escaped-control-loads": [{"tool": "t\x01"}, {"tool": "t"}],
    "escaped-esc-loads": [{"tool": "t\x1b"}, {"tool": "t"}],
    "bom-end-of-plain-loads": [{"tool": "t\ufeff"}, {"tool": "t"}],
    "bom-in-quoted-loads": [{"tool": "t\ufeffx"}, {"tool": "tx"}],
    "nel-line-breaks-loads": [{"tool": "t"}],
    "ls-line-breaks-loads": [{"tool": "t"}],
    "nel-in-double-quoted-loads": [{"tool": "t x"}, {"tool": "t\x85x"}],
    "nel-in-single-quoted-loads": [{"tool": "t x"}, {"tool": "t\x85x"}],
    "ls-in-double-quoted-loads": [{"tool": "t\u2028x"}, {"tool": "t x"}],
    "ls-fold-trims-loads": [{"tool": "t\u2028x"}, {"tool": "t \u2028   x"}],
    "self-merge-rule-loads": [{"tool": "t"}],
    "quoted-continuation-loads": [{"tool": "t x"}, {"tool": "t\nx"}],
    "single-quoted-continuation-loads": [{"tool": "t x"}, {"tool": "t"}],
    "flow-closing-bracket-loads": [{"tool": "t"}, {"tool": "u"}, {"tool": "v"}],
    "flow-at-column-zero-loads": [{"tool": "u"}, {"tool": "t"}],
    "flow-plain-fold-loads": [{"tool": "t x"}, {"tool": "t"}],
    "flow-rules-loads": [{"tool": "t"}],
    "ls-plain-fold-loads": [{"tool": "t\u2028x"}, {"tool": "t x"}],
    "nel-plain-fold-loads": [{"tool": "t x"}, {"tool": "t\x85x"}],
    "ls-literal-loads": [{"tool": "t\u2028x\n"}, {"tool": "t\nx\n"}],
    "ls-folded-loads": [{"tool": "t\u2028x"}, {"tool": "t x"}],
    "nel-folded-loads": [{"tool": "t x"}, {"tool": "t\x85x"}],
    "nel-literal-loads": [{"tool": "t\nx"}, {"tool": "t\x85x"}],
    "int-arabic-indic-loads": [{"tool": "t"}],
    "float-arabic-indic-loads": [{"tool": "t"}],
    "float-fullwidth-loads": [{"tool": "t"}],
    "int-octal-arabic-loads": [{"tool": "t"}],
}


def load(path: Path):
    """(error kind or None, errors, rules or None) as the reference loads the file."""
    from controlzero.errors import PolicyLoadError, PolicyValidationError
    from controlzero.policy_loader import load_policy

    try:
        parsed = load_policy(str(path))
    except PolicyValidationError as e:
        return "PolicyValidationError", list(e.errors), None
    except PolicyLoadError as e:
        message = str(e).split(" (source: ")[0]
        return "PolicyLoadError", [message], None
    except Exception as e:  # noqa: BLE001 - a leaked internal exception is a refusal too
        return type(e).__name__, [str(e)], None
    return None, [], parsed


def decide(parsed, requests):
    from controlzero._internal.enforcer import PolicyEvaluator

    evaluator = PolicyEvaluator(rules=parsed.rules, default_action=parsed.settings.default_action)
    out = []
    for r in requests:
        d = evaluator.evaluate(r["tool"], r.get("method", "*"), r.get("context"), r.get("args"))
        assert len(d.action_candidates) == 1, f"{r}: outside the core tier"
        out.append({
            "effect": d.effect, "policy_id": d.policy_id, "reason_code": d.reason_code,
            "reason": d.reason, "hitl_eligible": bool(d.requires_approval) and d.approval_channel == "grants",
            "evaluated_rules": d.evaluated_rules,
        })
    return out


def main() -> int:
    load_cases = []
    decision_cases = []
    with tempfile.TemporaryDirectory() as tmp:
        for case_id, description, text in LOAD_CASES:
            path = Path(tmp) / f"{case_id}.yaml"
            path.write_bytes(text.encode("utf-8"))
            kind, errors, parsed = load(path)
            case = {"id": case_id, "description": description, "policy_yaml": text,
                    "expected_error_kind": kind, "expected_errors": errors}
            if kind is None:
                case["expected_errors"] = []
                case["expected_rule_count"] = len(parsed.rules)
            load_cases.append(case)
            print(f"{case_id}: {kind or 'loads'}", file=sys.stderr)
            requests = DECISION_REQUESTS.get(case_id)
            if requests is not None:
                assert parsed is not None, f"{case_id}: has requests but does not load"
                decision_cases.append({"id": case_id, "description": description, "policy_yaml": text,
                                       "requests": requests, "expected": decide(parsed, requests)})
    OUT_LOAD.write_text(json.dumps({
        "category": "reader_refusals",
        "description": "Characters, line breaks, directives, flow keys, recursive anchors and "
                       "tagged numbers where PyYAML's YAML 1.1 reader decides what loads; recorded by "
                       "scripts/record_reader_vectors.py.",
        "cases": load_cases,
    }, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    OUT_DECISIONS.write_text(json.dumps({
        "category": "reader_values",
        "tier": "core",
        "description": "Values PyYAML's reader gives where YAML 1.1 and 1.2 differ (NEL/LS folding, "
                       "U+FEFF kept, escapes, tagged Unicode numbers); recorded by "
                       "scripts/record_reader_vectors.py.",
        "cases": decision_cases,
    }, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    print(f"{len(load_cases)} load cases, {len(decision_cases)} decision cases", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
