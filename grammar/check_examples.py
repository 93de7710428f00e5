#!/usr/bin/env python3
"""Re-verifies every example under grammar/ against CPython's fnmatch and str.casefold.

The Rust tests (tests/pattern_grammar.rs) run the same files against guardc; this script
is what makes their expectations trustworthy: it recomputes each one with the reference
behaviour, CPython 3.11 `fnmatch.fnmatchcase` (Unicode 14.0 `str.casefold`). It is not
run by `cargo test`. Run it after editing any example:

    python3 grammar/check_examples.py                 # verify everything
    python3 grammar/check_examples.py --regenerate    # rewrite the generated files

Files:
  glob_examples.json       hand-written examples (also the examples blocks of GLOB.md)
  glob_differential.json   seeded random patterns and subjects (generated)
  casefold_python311.json  every code point whose casefold is not itself (generated)

Example objects: {"pattern", "matches", "rejects", "level"?, "note"?}. With level
"glob" (the default) the pattern is matched as is against each subject. With level
"tool" the pattern goes through the tool-pattern pipeline (canonical form, then the
tool segment of the text is folded, then parsed) and each subject, a `tool:method`
string, has its tool segment folded: docs/language.md sections 3.1 and 3.3.
"""

import fnmatch
import json
import random
import sys
import unicodedata
from pathlib import Path

HERE = Path(__file__).resolve().parent
REFERENCE = (3, 11)


def canonicalize(pattern):
    return pattern if pattern == "*" or ":" in pattern else pattern + ":*"


def fold_tool_segment(text):
    tool, colon, method = text.partition(":")
    return tool.casefold() + colon + method


def decide(example, subject):
    pattern = example["pattern"]
    level = example.get("level", "glob")
    if level == "glob":
        return fnmatch.fnmatchcase(subject, pattern)
    if level == "tool":
        return fnmatch.fnmatchcase(fold_tool_segment(subject), fold_tool_segment(canonicalize(pattern)))
    raise ValueError(f"unknown level {level!r}")


def markdown_examples(path):
    """The JSON lines inside ```examples fenced blocks of a Markdown file."""
    examples, inside = [], False
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if line.strip() == "```examples":
            inside = True
        elif inside and line.strip() == "```":
            inside = False
        elif inside and line.strip():
            example = json.loads(line)
            example["origin"] = f"{path.name}:{number}"
            examples.append(example)
    return examples


def check_examples(examples, source):
    failures = 0
    for example in examples:
        where = example.get("origin", source)
        for key, expected in (("matches", True), ("rejects", False)):
            for subject in example.get(key, []):
                if decide(example, subject) != expected:
                    failures += 1
                    print(f"{where}: {example['pattern']!r} {key} {subject!r}: CPython says {not expected}")
    return failures


def dump_examples(examples):
    lines = [json.dumps(example, ensure_ascii=False) for example in examples]
    return "[\n" + ",\n".join(lines) + "\n]\n"


# --- the generated differential corpus ------------------------------------------------

ALPHABET = list("ab*?[]!^-\\:/ z") + ["\n", "é", "ß", "😀", "&", "|", "~", "A"]


def random_pattern(rng):
    pieces = []
    for _ in range(rng.randint(0, 7)):
        roll = rng.random()
        if roll < 0.25:
            inner = "".join(rng.choice(ALPHABET) for _ in range(rng.randint(0, 5)))
            pieces.append("[" + inner + ("]" if rng.random() < 0.8 else ""))
        else:
            pieces.append(rng.choice(ALPHABET))
    return "".join(pieces)


def instantiate(rng, pattern):
    """A string shaped like `pattern`: wildcards replaced by plausible characters, so
    that a good share of subjects match or nearly match."""
    out, i, n = [], 0, len(pattern)
    while i < n:
        c = pattern[i]
        i += 1
        if c == "*":
            out.append("".join(rng.choice(ALPHABET) for _ in range(rng.randint(0, 3))))
        elif c == "?":
            out.append(rng.choice(ALPHABET))
        elif c == "[":
            # The closing bracket as translate finds it.
            j = i
            if j < n and pattern[j] == "!":
                j += 1
            if j < n and pattern[j] == "]":
                j += 1
            while j < n and pattern[j] != "]":
                j += 1
            if j >= n:
                out.append("[")
            else:
                out.append(rng.choice(list(pattern[i:j]) + ALPHABET))
                i = j + 1
        else:
            out.append(c)
    return "".join(out)


def random_subjects(rng, pattern):
    subjects = {instantiate(rng, pattern) for _ in range(8)}
    subjects.update("".join(rng.choice(ALPHABET) for _ in range(rng.randint(0, 4))) for _ in range(4))
    return sorted(subjects)


def generate_differential():
    rng = random.Random(20240611)
    corpus, seen = [], set()
    while len(corpus) < 600:
        pattern = random_pattern(rng)
        if pattern in seen:
            continue
        seen.add(pattern)
        subjects = random_subjects(rng, pattern)
        corpus.append({
            "pattern": pattern,
            "matches": [s for s in subjects if fnmatch.fnmatchcase(s, pattern)],
            "rejects": [s for s in subjects if not fnmatch.fnmatchcase(s, pattern)],
        })
    return corpus


def generate_casefold():
    folds = {}
    for code in range(0x110000):
        if 0xD800 <= code <= 0xDFFF:
            continue
        c = chr(code)
        folded = c.casefold()
        if folded != c:
            folds[f"{code:04X}"] = " ".join(f"{ord(f):04X}" for f in folded)
    return {
        "python": sys.version.split()[0],
        "unicode": unicodedata.unidata_version,
        "description": "Every Unicode scalar value whose Python str.casefold() is not itself, "
        "mapped to its folding (hex code points). Generated by grammar/check_examples.py.",
        "folds": folds,
    }


def main():
    regenerate = "--regenerate" in sys.argv[1:]
    exact = sys.version_info[:2] == REFERENCE
    if not exact:
        print(f"warning: running on Python {sys.version.split()[0]}, the reference is 3.11; "
              "fnmatch and casefold results may differ", file=sys.stderr)
    if regenerate:
        if not exact:
            sys.exit("refusing to regenerate with a Python other than 3.11")
        (HERE / "glob_differential.json").write_text(dump_examples(generate_differential()), encoding="utf-8")
        casefold = json.dumps(generate_casefold(), ensure_ascii=True, indent=0)
        (HERE / "casefold_python311.json").write_text(casefold + "\n", encoding="utf-8")

    failures = 0
    examples = json.loads((HERE / "glob_examples.json").read_text(encoding="utf-8"))
    failures += check_examples(examples, "glob_examples.json")
    failures += check_examples(markdown_examples(HERE / "GLOB.md"), "GLOB.md")
    differential = json.loads((HERE / "glob_differential.json").read_text(encoding="utf-8"))
    failures += check_examples(differential, "glob_differential.json")
    if exact:
        stored = json.loads((HERE / "casefold_python311.json").read_text(encoding="utf-8"))
        if stored["folds"] != generate_casefold()["folds"]:
            failures += 1
            print("casefold_python311.json: differs from this Python's str.casefold")

    total = sum(len(e.get("matches", [])) + len(e.get("rejects", [])) for e in examples)
    print(f"glob_examples.json: {len(examples)} patterns, {total} subjects")
    print(f"glob_differential.json: {len(differential)} patterns")
    if failures:
        sys.exit(f"{failures} example(s) disagree with CPython")
    print("all examples agree with CPython")


if __name__ == "__main__":
    main()
