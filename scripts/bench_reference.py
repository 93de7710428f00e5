#!/usr/bin/env python3
"""Side-by-side baseline: the reference Python evaluator on guardc's benchmark policies.

Why this exists: the performance budgets (README.md "Performance") ask that guardc decide at least 10,000x faster than the
reference SDK at 1,000 rules, "measured side by side". This script times
controlzero 1.13.16's ``PolicyEvaluator.evaluate`` on the very same generated policies
and calls that ``cargo bench --bench decide`` measures (written to disk by
``examples/bench_policies.rs``), on the same machine, so the ratio in README.md
compares like with like.

It creates its own virtual environment under ``target/`` (so nothing is installed
system-wide and the pinned version is what is measured), then re-runs itself inside it.
Each decision is timed with ``timeit`` (autorange, then the median of several repeats,
divided by the loop count). Before timing, every call is checked to be decided by the
rule the generator meant, so the Python and Rust numbers are for the same work.

Usage:
    python3 scripts/bench_reference.py [--policies DIR] [--sizes 10,100,1000,10000]
                                       [--kinds action-only,gated] [--json FILE]
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import timeit
import venv
from pathlib import Path

REFERENCE = "controlzero==1.13.16"
ROOT = Path(__file__).resolve().parent.parent
VENV = ROOT / "target" / "bench-reference-venv"
INSIDE = "GUARDC_BENCH_REFERENCE_INSIDE"


def venv_python() -> Path:
    return VENV / "bin" / "python"


def ensure_venv() -> None:
    """Create the venv and install the pinned reference, once."""
    python = venv_python()
    if not python.exists():
        print(f"creating {VENV}", file=sys.stderr)
        venv.EnvBuilder(with_pip=True, clear=True).create(VENV)
    probe = subprocess.run(
        [str(python), "-c", "import controlzero, sys; sys.exit(controlzero.__version__ != '1.13.16')"],
        capture_output=True,
    )
    if probe.returncode != 0:
        subprocess.run(
            [str(python), "-m", "pip", "install", "--quiet", "--disable-pip-version-check", REFERENCE],
            check=True,
        )


def ensure_policies(directory: Path) -> None:
    """Write the generated policies if they are not there yet (the Rust generator is
    the single source of the benchmark policies)."""
    if any(directory.glob("*.scenarios.jsonl")):
        return
    subprocess.run(
        ["cargo", "run", "--release", "--example", "bench_policies", "--", "dump", str(directory)],
        cwd=ROOT,
        check=True,
    )


def expected_policy_id(expected_rule: int | None) -> str:
    return "synthetic:NO_RULE_MATCH" if expected_rule is None else f"rule-{expected_rule}"


def time_call(evaluate, call: dict, repeats: int) -> float:
    """Median seconds per decision."""
    args = (call["tool"], call.get("method", "*"), call.get("context"), call.get("args"))
    timer = timeit.Timer(lambda: evaluate(*args))
    loops, _ = timer.autorange()
    runs = timer.repeat(repeat=repeats, number=loops)
    return statistics.median(runs) / loops


def measure(directory: Path, kinds: list[str], sizes: list[int], repeats: int) -> list[dict]:
    import logging

    # The loader warns (did-you-mean, escalation scope) through logging; silence it so
    # the table stays readable. Evaluation itself is what is timed.
    logging.disable(logging.WARNING)
    from controlzero._internal.enforcer import PolicyEvaluator
    from controlzero.policy_loader import load_policy

    results = []
    for kind in kinds:
        for size in sizes:
            stem = f"{kind}-{size}"
            policy_path = directory / f"{stem}.yaml"
            scenarios_path = directory / f"{stem}.scenarios.jsonl"
            if not policy_path.exists():
                print(f"skipping {stem}: {policy_path} is missing", file=sys.stderr)
                continue
            parsed = load_policy(str(policy_path))
            evaluator = PolicyEvaluator(
                rules=parsed.rules, default_action=parsed.settings.default_action
            )
            calls = [json.loads(line) for line in scenarios_path.read_text().splitlines() if line]
            for call in calls:
                decision = evaluator.evaluate(
                    call["tool"], call.get("method", "*"), call.get("context"), call.get("args")
                )
                want = expected_policy_id(call["expected_rule"])
                if decision.policy_id != want:
                    sys.exit(f"{stem} {call['label']}: reference decided {decision.policy_id}, expected {want}")
                seconds = time_call(evaluator.evaluate, call, repeats)
                results.append(
                    {"kind": kind, "rules": size, "label": call["label"], "seconds": seconds}
                )
                print(f"{stem:<18} {call['label']:<6} {format_seconds(seconds):>10}", flush=True)
    return results


def format_seconds(seconds: float) -> str:
    if seconds >= 1e-3:
        return f"{seconds * 1e3:.2f} ms"
    return f"{seconds * 1e6:.2f} µs"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--policies", type=Path, default=ROOT / "target" / "bench-policies")
    parser.add_argument("--sizes", default="10,100,1000,10000")
    parser.add_argument("--kinds", default="action-only,gated")
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--json", type=Path, help="also write the results as JSON")
    options = parser.parse_args()

    if os.environ.get(INSIDE) != "1":
        ensure_venv()
        ensure_policies(options.policies)
        env = dict(os.environ, **{INSIDE: "1"})
        result = subprocess.run([str(venv_python()), __file__, *sys.argv[1:]], env=env)
        sys.exit(result.returncode)

    import controlzero

    print(f"reference: controlzero {controlzero.__version__}, Python {sys.version.split()[0]}")
    results = measure(
        options.policies,
        options.kinds.split(","),
        [int(s) for s in options.sizes.split(",")],
        options.repeats,
    )
    if options.json:
        options.json.write_text(json.dumps(results, indent=2) + "\n")


if __name__ == "__main__":
    main()
