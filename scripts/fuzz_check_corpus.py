#!/usr/bin/env python3
"""Writes the hostile seeds of the `check` fuzz target into fuzz/corpus/check/.

Each seed is a shape that once crashed guardc or made its output or work blow up
(issue 12): one-line JSON policies with many rules, thousands of duplicate keys or
identical rules on one line, many floating `*secret-N-*` literals, repeated `reason:`
keys, control characters and deep nesting. Sizes are kept where one fuzz iteration
stays within a few seconds; where the original shape was larger, the note below says
so. The examples and the malformed documents of `load_compile_decide` are copied too.
Re-run after changing the shapes: `python3 scripts/fuzz_check_corpus.py`.
"""

import json
import pathlib
import shutil

ROOT = pathlib.Path(__file__).resolve().parent.parent
OUT = ROOT / "fuzz" / "corpus" / "check"


def write(name, text):
    data = text.encode("utf-8") if isinstance(text, str) else text
    (OUT / name).write_bytes(data)


def main():
    OUT.mkdir(parents=True, exist_ok=True)
    for old in OUT.iterdir():
        old.unlink()

    # One-line JSON as json.dump writes it: many distinct rules on one long line.
    rules = [{"deny": f"Tool{i}:method-{i} *", "reason": f"r{i}"} for i in range(1500)]
    write("one-line-many-rules.json", json.dumps({"version": "1", "rules": rules}))

    # Duplicate keys on one line (each one a duplicate-key finding). The 5,000
    # take 90 s per iteration in the instrumented build, past the run's timeout: 1,000.
    keys = ", ".join(f'"reason": "r{i}"' for i in range(1000))
    write("one-line-duplicate-keys.json",
          '{"version": "1", "rules": [{"deny": "Bash:*", ' + keys + "}]}")

    # Identical rules on one line (redundant/shadowed findings on one line). The issue's
    # 2,000 take 130 s per iteration in the instrumented build: 400.
    same = [{"deny": "Bash:sudo *", "reason": "no"}] * 400
    write("one-line-identical-rules.json", json.dumps({"version": "1", "rules": same}))

    # Floating literals: the analyzer's match index. The 3,000 rules (~80 KB)
    # still exceed 2.5 GB in `check` (README.md "Testing"); 300 are kept, so that the
    # run explores the shape instead of stopping on it.
    lines = ["version: '1'", "rules:"]
    lines += [f"  - deny: '*secret-{i}-*'" for i in range(300)]
    write("floating-secrets-300.yaml", "\n".join(lines) + "\n")

    # Ten floating rules with resources, then fifteen pairs of duplicate rules: every
    # per-rule search that fails must be charged to the budget.
    lines = ["version: '1'", "rules:"]
    for i in range(10):
        lines += [f"  - deny: '*secret-{i}-*'", f"    resources: ['/data/*{i}*']"]
    for i in range(15):
        for _ in range(2):
            lines += [f"  - deny: 'Tool{i}:m*'", "    reason: dup"]
    lines.append("  - allow: '*'")
    write("floating-then-duplicates.yaml", "\n".join(lines) + "\n")

    # Repeated `reason:` keys in one rule; the 70,000 (980 KB) is past the
    # document size limit, and 5,000 take 45 s per iteration in the instrumented build:
    # 1,000.
    lines = ["version: '1'", "rules:", "  - deny: 'Bash:*'"]
    lines += [f"    reason: r{i}" for i in range(1000)]
    write("repeated-reason-1000.yaml", "\n".join(lines) + "\n")

    # Control characters in keys, values, patterns and comments.
    write("controls.yaml",
          "version: '1'\n# \x1b[31mred\x07\nrules:\n"
          "  - deny: \"Bash:\\e[2J*\"\n    reason: \"\\x9b\\u202e\"\n"
          "  - allow: 'Bash:\u202els'\n    name: \"\\0\"\n  - deny: '\x7f*'\n")
    write("controls.json",
          '{"version": "1", "rules": [{"deny": "Bash:\\u001b[31m*", "reason": "\\u202e\\u0007"},'
          ' {"allow": "\u0085*", "name": "\u2028"}]}')

    # Deep nesting, in flow and block style and in JSON.
    write("deep-flow.yaml", "version: '1'\nrules: " + "[" * 2000 + "]" * 2000 + "\n")
    write("deep-block.yaml", "version: '1'\nrules:\n" +
          "".join("  " * i + "- \n" for i in range(300)))
    write("deep.json", '{"version": "1", "rules": ' + "[" * 3000 + "]" * 3000 + "}")

    # Everything `load_compile_decide` starts from: examples and malformed documents.
    for seed in sorted((ROOT / "fuzz" / "corpus" / "load_compile_decide").iterdir()):
        shutil.copyfile(seed, OUT / seed.name)


if __name__ == "__main__":
    main()
