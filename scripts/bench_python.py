#!/usr/bin/env python3
"""guardc's Python binding against the reference evaluator, side by side in one process.

Why this exists: the Python binding's budget is ``policy.decide`` at least 100x faster
than the reference SDK's ``PolicyEvaluator.evaluate`` at 10 rules and 1,000x at 1,000
rules, measured in the same interpreter on the same policy and calls. The policies are
generated here (action-only rules over distinct tools, like the Rust benchmarks'
``action-only`` kind): the call is decided by the last rule (``late``, the reference's
worst case) and by the first (``early``). Before timing, both evaluators must agree on
every field the reference has.

Needs the guardc wheel and the reference in the same environment::

    pip install ./bindings/python controlzero==1.13.16
    python scripts/bench_python.py [--sizes 10,1000] [--repeats 5]
"""

from __future__ import annotations

import argparse
import logging
import os
import sys
import tempfile
import timeit

FIELDS = ("effect", "policy_id", "reason_code", "reason", "evaluated_rules")


def policy_text(rules: int) -> str:
    lines = ["version: '1'", "rules:"]
    for i in range(rules):
        lines.append(f"  - deny: 'tool{i}:delete_*'")
        lines.append(f"    id: rule-{i}")
    return "\n".join(lines) + "\n"


def per_call(reference, ours, repeats: int) -> tuple[float, float]:
    """Seconds per call of each, timed alternately: one repeat of the reference, one of
    guardc, and so on. The minimum of each, as timeit recommends: on a shared machine
    the other repeats measure the neighbours, and alternating exposes both evaluators to
    the same neighbours instead of timing one in a quiet minute and the other in a busy
    one."""
    timers = [timeit.Timer(reference), timeit.Timer(ours)]
    loops = [timer.autorange()[0] for timer in timers]
    best = [float("inf"), float("inf")]
    for _ in range(repeats):
        for i, timer in enumerate(timers):
            best[i] = min(best[i], timer.timeit(number=loops[i]) / loops[i])
    return best[0], best[1]


def fmt(seconds: float) -> str:
    return f"{seconds * 1e3:.2f} ms" if seconds >= 1e-3 else f"{seconds * 1e6:.2f} µs" if seconds >= 1e-6 else f"{seconds * 1e9:.0f} ns"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="10,1000")
    parser.add_argument("--repeats", type=int, default=5)
    options = parser.parse_args()

    logging.disable(logging.WARNING)
    import controlzero
    from controlzero._internal.enforcer import PolicyEvaluator
    from controlzero.policy_loader import load_policy

    import guardc

    print(f"guardc {guardc.__version__} binding vs controlzero {controlzero.__version__}, Python {sys.version.split()[0]}")
    print(f"{'rules':>6} {'call':<6} {'reference':>11} {'guardc':>9} {'speed-up':>9}")
    with tempfile.TemporaryDirectory() as tmp:
        for size in (int(s) for s in options.sizes.split(",")):
            path = os.path.join(tmp, f"bench-{size}.yaml")
            with open(path, "w", encoding="utf-8") as fh:
                fh.write(policy_text(size))
            parsed = load_policy(path)
            reference = PolicyEvaluator(rules=parsed.rules, default_action=parsed.settings.default_action)
            policy = guardc.Policy.from_file(path)
            for label, rule in (("early", 0), ("late", size - 1)):
                tool, method = f"tool{rule}", "delete_x"
                ours = policy.decide(tool, method, None, None)
                theirs = reference.evaluate(tool, method, None, None)
                for field in FIELDS:
                    if getattr(ours, field) != getattr(theirs, field):
                        sys.exit(f"{size} {label}: {field} differs: {getattr(ours, field)!r} vs {getattr(theirs, field)!r}")
                # Called as an agent calls them, with the arguments written out: the
                # `f(*call)` form made CPython allocate a bound-method object on every
                # call (about 390 instructions, a fifth of guardc's whole call), which
                # measured the harness rather than either evaluator.
                ref_s, ours_s = per_call(
                    lambda: reference.evaluate(tool, method, None, None),
                    lambda: policy.decide(tool, method, None, None),
                    options.repeats,
                )
                print(f"{size:>6} {label:<6} {fmt(ref_s):>11} {fmt(ours_s):>9} {ref_s / ours_s:>8.0f}x", flush=True)


if __name__ == "__main__":
    main()
