#!/usr/bin/env python3
"""Record how the reference decides `matches` conditions, as conformance vectors.

Why this exists: the shared vectors sample Python `re` semantics thinly (one extended
file), and guardc's `matches` reproduces `re.search` on another engine. This script
asks the reference itself (controlzero 1.13.16's ``PolicyEvaluator``, on Python 3.11)
about look-around, backreferences, named backreferences, atomic groups, possessive
quantifiers, large counted repeats, nested quantifiers, case-insensitivity, `$`, `\\b`
and conditional groups, and writes the answers in the shared vector format to
``fixtures/conformance/decisions/recorded/regex_semantics.json``, which
``tests/conformance.rs`` runs through the loader and both evaluators.

A few cases are patterns guardc deliberately decides fail-closed (a construct it
cannot reproduce, a compile limit, or a search over its backtracking limit). For
those the case carries ``"fail_closed": "<why>"`` and ``"guardc_expected"``: the
reference's decisions for the same policy with the condition replaced by its
fail-closed value (dropped for a deny or warn rule, never holding for an allow rule).
The test asserts those instead, and says so.

Usage (the reference must be importable by the interpreter that runs this):
    /path/to/python-with-controlzero scripts/record_regex_vectors.py
"""

from __future__ import annotations

import copy
import json
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "fixtures" / "conformance" / "decisions" / "recorded" / "regex_semantics.json"

# (description, pattern, case_insensitive, effect, texts, fail_closed reason or None)
CASES = [
    # Look-ahead and look-behind.
    ("negative look-ahead guard", r"^(?!.*--dry-run).*rm -rf", False, "deny",
     ["rm -rf /", "rm -rf --dry-run /", "ls", "echo; rm -rf ~"], None),
    ("positive look-ahead", r"foo(?=bar)", False, "deny", ["foobar", "foobaz", "foo"], None),
    ("negative look-ahead", r"foo(?!bar)", False, "allow", ["foobar", "foobaz", "foo"], None),
    ("look-behind", r"(?<=sudo )rm", False, "deny", ["sudo rm x", "rm x", "sudorm"], None),
    ("negative look-behind", r"(?<!no)pe", False, "deny", ["nope", "ape", "pe"], None),
    ("look-behind alternation of equal widths", r"(?<=ab|cd)x", False, "deny",
     ["abx", "cdx", "bx"], None),
    ("look-behind with a counted repeat", r"(?<=a{3})b", False, "deny", ["aaab", "aab"], None),
    ("variable-width look-behind: Python refuses it", r"(?<=a+)b", False, "deny",
     ["ab", "b"], None),
    ("unequal look-behind branches: Python refuses it", r"(?<=a|bc)x", False, "allow",
     ["ax", "bcx"], None),
    ("look-behind on a backreference of fixed width", r"(ab)(?<=\1)c", False, "deny",
     ["abc", "abd"], None),
    # Backreferences.
    ("numbered backreference", r"(a)\1", False, "deny", ["aa", "ab", "a"], None),
    ("repeated word", r"\b(\w+) \1\b", False, "deny", ["the the cat", "the then", "a b"], None),
    ("backreference to an alternation", r"^(a|b)\1$", False, "allow", ["aa", "bb", "ab"], None),
    ("case-insensitive backreference", r"(a)\1", True, "deny", ["aA", "Aa", "ab"], None),
    ("backreference followed by a digit", r"(a)\1 0", False, "deny", ["aa 0", "a 0"], None),
    ("backreference before its group: Python refuses it", r"\1(a)", False, "deny",
     ["aa"], None),
    ("two-digit backreference", r"(a)(b)(c)(d)(e)(f)(g)(h)(i)(j)\10", False, "deny",
     ["abcdefghijj", "abcdefghija0"], None),
    # Named groups and backreferences.
    ("named backreference to a quote", r"""(?P<q>['"]).*(?P=q)""", False, "deny",
     ["say 'hi'", 'say "hi"', "say 'hi\""], None),
    ("named backreference twice", r"(?P<x>a|b)(?P=x)(?P=x)", False, "deny",
     ["aaa", "bbb", "aab"], None),
    ("unknown group name: Python refuses it", r"(?P=n)", False, "deny", ["n"], None),
    # Atomic groups and possessive quantifiers (Python 3.11).
    ("atomic group gives nothing back", r"^(?>a*)a", False, "deny", ["aaa", "b"], None),
    ("atomic group keeps its first branch", r"^(?>ab|a)bc", False, "deny", ["abc", "abbc"], None),
    ("possessive star", r"^a*+a", False, "deny", ["aaa", "a"], None),
    ("possessive plus", r"^a++b", False, "deny", ["aab", "b"], None),
    ("possessive optional", r"^a?+a$", False, "deny", ["a", "aa"], None),
    ("possessive counted repeat", r"^a{2,3}+a$", False, "deny", ["aaaa", "aaa"], None),
    ("possessive class repeat in a quoted string", r'"[^"]*+"', False, "deny",
     ['say "hi"', 'say "hi'], None),
    # Large counted repeats.
    ("\\w{100}", r"\w{100}", False, "deny",
     ["é" * 100, "a" * 99, "x" * 150 + "!", ("a" * 99 + " ") * 3], None),
    ("anchored \\w{100}", r"^\w{100}$", False, "deny", ["é" * 100, "é" * 101], None),
    ("a{1000}", r"a{1000}", False, "deny", ["a" * 1000, "a" * 999], None),
    ("\\d{1000}", r"^\d{1000}$", False, "deny", ["1" * 1000, "٣" * 1000, "1" * 999], None),
    ("(ab){1000}", r"(ab){1000}", False, "deny", ["ab" * 1000, "ab" * 999], None),
    ("\\w{1000} in a long text", r"\w{1000}", False, "deny", ["a" * 8192, "a b" * 3000], None),
    ("a pattern longer than the truncated text", r"(\w{100}){100}", False, "deny",
     ["a" * 9000], None),
    # Nested quantifiers.
    ("nested counted repeats", r"^(a{1,3}){2,3}b$", False, "deny",
     ["aab", "aaaaaaaaab", "ab"], None),
    ("nested \\w repeats", r"(\w{100}){10}", False, "deny", ["a" * 1000, "a" * 999], None),
    ("starred group of a starred group", r"^((ab)*c)+$", False, "deny",
     ["abcabababc", "abcab"], None),
    ("ambiguous alternation under a plus", r"^(a|aa)+$", False, "deny", ["a" * 50, "a" * 18 + "b"], None),
    ("nested bounded repeats on a long run", r"(?:a{1,20}){1,20}b", False, "deny",
     ["a" * 14, "a" * 200 + "b"], None),
    # Case-insensitivity (the reference casefolds both texts and adds re.IGNORECASE).
    ("casefolded sharp s", r"STRASSE", True, "deny", ["Straße", "strasse", "strase"], None),
    ("case-insensitive accented letter", r"^é$", True, "deny", ["É", "e"], None),
    ("case-insensitive class", r"^[a-z]+$", True, "deny", ["ABC", "AB1"], None),
    ("Kelvin sign", r"k", True, "deny", ["\u212a", "K"], None),
    ("inline ignore-case", r"(?i)sudo", False, "deny", ["SUDO ls", "sud0"], None),
    ("scoped ignore-case", r"(?i:a)b", False, "deny", ["Ab", "AB"], None),
    # `$`, `\b`, conditional groups, the ASCII flag.
    ("dollar before a final newline", r"a$", False, "deny", ["a\n", "a\n\n", "a"], None),
    ("dollar followed by a look-ahead", r"a$(?!x)", False, "deny", ["a\n", "ab"], None),
    ("word boundary next to a combining mark", r"\bcafe\b", False, "deny",
     ["cafe\u0301", "cafe", "cafes"], None),
    ("word boundary next to a vulgar fraction", r"1\b", False, "deny", ["1½", "1 "], None),
    ("\\B in an empty text", r"\B", False, "deny", ["", "ab"], None),
    ("conditional group", r"^(a)?(?(1)b|c)$", False, "deny", ["ab", "c", "ac", "b"], None),
    ("conditional group on a named group", r"^(?P<o><)?x(?(o)>)$", False, "deny",
     ["<x>", "x", "<x"], None),
    ("ASCII \\w", r"(?a)^\w+$", False, "deny", ["abc", "é"], None),
    ("ASCII \\d", r"(?a)\d", False, "deny", ["5", "٣"], None),
    ("named character", r"\N{EM DASH}", False, "deny", ["a\u2014b", "ab"], None),
    ("named character, lowercase", r"^\N{digit one}$", False, "allow", ["1", "2"], None),
    ("character assigned after Unicode 14: Python refuses it",
     r"\N{MODIFIER LETTER CYRILLIC SMALL A}", False, "deny", ["\U0001e030"], None),
    # Patterns guardc decides fail-closed.
    ("character name alias (deny)", r"\N{LATIN CAPITAL LETTER GHA}", False, "deny",
     ["\u01a2", "ab"], "character names other than the official name are not supported"),
    ("character name alias (allow)", r"^\N{LATIN SMALL LETTER GHA}$", False, "allow",
     ["\u01a3", "2"], "character names other than the official name are not supported"),
    ("template flag", r"(?t)ab", False, "deny", ["ab", "cd"], "the template flag is not supported"),
    ("ASCII flag with case-insensitive matching", r"(?a)sudo", True, "warn", ["SUDO", "ls"],
     "ASCII-only case folding is not supported"),
    ("catastrophic backtracking", r"^(a|aa)+\1b", False, "deny", ["a" * 28, "aab"],
     "the search exceeds the backtracking limit"),
    ("nesting deeper than the engine allows", "(" * 70 + "a" + ")" * 70, False, "allow",
     ["a", "b"], "the nesting exceeds the engine's limit"),
]


def decide(policy: dict, requests: list[dict]) -> list[dict]:
    import contextlib
    import io

    from controlzero._internal.enforcer import PolicyEvaluator
    from controlzero.policy_loader import load_policy

    with tempfile.TemporaryDirectory() as tmp, contextlib.redirect_stderr(io.StringIO()):
        path = Path(tmp) / "policy.json"
        path.write_text(json.dumps(policy, ensure_ascii=False), encoding="utf-8")
        parsed = load_policy(str(path))
    evaluator = PolicyEvaluator(rules=parsed.rules, default_action=parsed.settings.default_action)
    out = []
    for r in requests:
        d = evaluator.evaluate(r["tool"], r.get("method", "*"), r.get("context"), r.get("args"))
        out.append({
            "effect": d.effect, "policy_id": d.policy_id, "reason_code": d.reason_code,
            "reason": d.reason, "hitl_eligible": bool(d.requires_approval)
            and d.approval_channel == "grants", "evaluated_rules": d.evaluated_rules,
        })
    return out


def fail_closed_policy(policy: dict) -> dict:
    """The policy with its `matches` condition replaced by the fail-closed value."""
    substitute = copy.deepcopy(policy)
    rule = substitute["rules"][0]
    if "allow" in rule:
        rule["when"] = {"__never_present__": {"op": "exists"}}
    else:
        del rule["when"]
    return substitute


def main() -> int:
    cases = []
    for index, (description, pattern, ci, effect, texts, fail_closed) in enumerate(CASES):
        envelope = {"op": "matches", "value": pattern}
        if ci:
            envelope["case_insensitive"] = True
        rule = {"id": "m"}
        if effect == "warn":
            rule.update({"effect": "warn", "action": "t"})
        else:
            rule[effect] = "t"
        rule["when"] = {"f": envelope}
        policy = {"rules": [rule]}
        requests = [{"tool": "t", "context": {"f": text}} for text in texts]
        case = {
            "id": f"regex-{index:02}",
            "description": f"matches {pattern!r}: {description}",
            "policy": policy,
            "requests": requests,
            "expected": decide(policy, requests),
        }
        if fail_closed:
            case["fail_closed"] = fail_closed
            case["guardc_expected"] = decide(fail_closed_policy(policy), requests)
        cases.append(case)
    doc = {
        "category": "regex_semantics",
        "tier": "recorded",
        "description": "Python re semantics of the `matches` operator, recorded from "
        "controlzero 1.13.16 on Python " + sys.version.split()[0] + " by "
        "scripts/record_regex_vectors.py. Cases with `fail_closed` are patterns guardc "
        "decides fail-closed; `guardc_expected` is what it must decide instead.",
        "cases": cases,
    }
    OUT.parent.mkdir(parents=True, exist_ok=True)
    OUT.write_text(json.dumps(doc, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    print(f"wrote {len(cases)} cases to {OUT.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
