#!/usr/bin/env python3
"""Writes the automaton-budget fixtures under fixtures/automaton/.

Each tool's only pattern is `*a` followed by 24 `?`: its DFA must remember the last 25
characters, so determinizing it explodes, and every tool is its own group. Before the
policy-wide budget, each group restarted its limits and one `guardc eval` took seconds.
The mixed variant interleaves those tools with ordinary and gated rules (and repeats a
tool), so rules past the spent budget, compiled rules and gated rules all decide in one
policy. Re-run after changing the shapes: `python3 scripts/automaton_budget_fixtures.py`.
"""

from pathlib import Path

OUT = Path(__file__).resolve().parent.parent / "fixtures" / "automaton"
EXPLODING = "*a" + "?" * 24


def per_tool(count: int) -> str:
    lines = [
        "version: '1'",
        "# One exploding pattern per tool: the groups share one automaton budget.",
        "rules:",
    ]
    lines += [f"  - deny: 't{i}:{EXPLODING}'" for i in range(count)]
    return "\n".join(lines) + "\n"


def mixed(count: int) -> str:
    lines = [
        "version: '1'",
        "# Exploding per-tool patterns interleaved with ordinary, gated and shared rules,",
        "# so the budget runs out part-way and both kinds of group decide in one policy.",
        "rules:",
    ]
    for i in range(count):
        lines.append(f"  - deny: 't{i}:{EXPLODING}'")
        if i % 5 == 0:
            lines.append(f"  - allow: 't{i}:list_*'")
        if i % 7 == 0:
            lines.append(f"  - deny: 't{i // 2}:*b{'?' * 20}'")
            lines.append("    when: {env: prod}")
        if i % 11 == 0:
            lines.append(f"  - allow: 't*:get_{i}'")
    lines.append("  - allow: 't1*'")
    lines.append("  - deny: '*'")
    return "\n".join(lines) + "\n"


(OUT / "budget-per-tool-explosion.yaml").write_text(per_tool(150))
(OUT / "budget-mixed-explosion.yaml").write_text(mixed(120))
