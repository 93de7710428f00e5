#!/usr/bin/env python3
"""Randomized differential test of guardc against the reference SDK itself.

Why this exists: the conformance vectors are a fixed sample of the reference's
behaviour, and tests/differential.rs only checks guardc against itself (compiled
evaluator versus interpreter). This script closes the loop: it generates random
policies (JSON and YAML text, from a vocabulary on the dialect's boundaries: tools that
case-fold to other lengths, every glob construct, selectors, condition envelopes) and
requests derived from each policy's own patterns, decides them with controlzero 1.13.16's
``PolicyEvaluator`` and with ``guardc eval --requests``, and reports every difference in
loading (accepted versus refused) and in the six decision fields, each with a minimal
reproduction (the rules not needed for the difference are removed).

It is a tool for maintainers, not part of ``cargo test``: it needs the network once (to
install the pinned reference into a virtual environment under ``target/``) and a built
guardc.

Requests outside the core language are skipped: those the reference widens (tool-family
aliases such as ``Read`` -> ``file_read``, shell and SQL derivation; docs/language.md section 7),
detected with the reference's own ``action_candidates``, and those on which it raises
for a non-empty tool (non-string selector values; the extended tier's engine errors).

Usage:
    cargo build --release
    python3 scripts/reference_differential.py [--guardc target/release/guardc]
        [--policies 300] [--seed 1] [--python /path/to/python-with-controlzero]
"""

from __future__ import annotations

import argparse
import json
import os
import random
import subprocess
import sys
import tempfile
import venv
from pathlib import Path

REFERENCE = "controlzero==1.13.16"
ROOT = Path(__file__).resolve().parent.parent
VENV = ROOT / "target" / "reference-differential-venv"
INSIDE = "GUARDC_REFERENCE_DIFFERENTIAL_INSIDE"
# Requests left out as outside the core language (a counter, for the summary line).
SKIPPED = [0]
FIELDS = ("effect", "policy_id", "reason_code", "reason", "hitl_eligible", "evaluated_rules")

TOOLS = ["gh", "t", "ß", "Σ", "straße", "ﬁle", "ẞ", "STRASSE", "ς", "GitHub", "GH"]
METHODS = ["ls", "sudo", "sudo rm -rf /", "read", "READ", "method_x", "list_repos", "x", "", "ß", "é", "a:b", "*"]
CLASSES = ["[a-c]", "[!a]", "[^a]", "[z-a]", "[!z-a]", "[]]", "[!]]", "[", "[A-Z]", "[ß]", "[Σ]", "[a-]", "[*]", "[:]"]
STAR_FILLS = ["", "x", ":", "/", "é", "ß", "ab", "Σ", "*"]
ONE_CHARS = ["a", "é", "ß", ":", "Σ", "ﬁ", "Z", "/", "😀", "?"]


def ensure_venv(python: str | None) -> None:
    """Re-run this script with an interpreter that has the pinned reference installed."""
    if python is None:
        python = str(VENV / "bin" / "python")
        if not Path(python).exists():
            print(f"creating {VENV}", file=sys.stderr)
            venv.EnvBuilder(with_pip=True, clear=True).create(VENV)
        probe = subprocess.run([python, "-c", "import controlzero"], capture_output=True)
        if probe.returncode != 0:
            subprocess.run([python, "-m", "pip", "install", "--quiet", REFERENCE], check=True)
    env = dict(os.environ, **{INSIDE: "1"})
    sys.exit(subprocess.run([python, __file__, *sys.argv[1:]], env=env).returncode)


# ---------------------------------------------------------------- generation


def gen_pattern(rng: random.Random) -> str:
    tool = rng.choice(TOOLS)
    shape = rng.randrange(14)
    if shape == 0:
        return "*"
    if shape in (1, 2):
        return tool
    if shape == 3:
        return f"{tool}:*"
    if shape in (4, 5):
        return f"{tool}:{rng.choice(['method_*', '*', '???', rng.choice(CLASSES) + 'x', rng.choice(METHODS)])}"
    if shape == 6:
        return f"*{rng.choice(STAR_FILLS)}*"
    if shape == 7:
        return "?" * rng.randint(1, 4) + rng.choice(["", ":*"])
    if shape == 8:
        return rng.choice(CLASSES) + rng.choice(["", ":*", "*", ":?"])
    if shape == 9:
        return rng.choice(["gh:\\*", "a\\b", "\\", "gh:repo:list", "t:x:*", "::", ":", ""])
    return "".join(rng.choice([tool, ":", "*", "?", rng.choice(CLASSES), rng.choice(METHODS)])
                   for _ in range(rng.randint(1, 4)))


def gen_rule(rng: random.Random, index: int, used: dict) -> dict:
    rule: dict = {}
    patterns = [gen_pattern(rng) for _ in range(rng.randint(1, 3))]
    used["patterns"].extend(patterns)
    value = patterns[0] if len(patterns) == 1 and rng.random() < 0.6 else patterns
    if rng.random() < 0.05:
        value = []
    if rng.random() < 0.75:
        rule[rng.choice(["deny", "allow"])] = value
    else:
        rule["effect"] = rng.choice(["deny", "allow", "warn"])
        rule[rng.choice(["action", "actions"])] = value
    if rng.random() < 0.3:
        rule["escalate_on_deny"] = rng.choice([True, False, "false", "", "yes", 0, 1, None])
    if rng.random() < 0.3:
        rule["id"] = rng.choice([f"r{index}", "", 5])
    if rng.random() < 0.1:
        rule["name"] = rng.choice(["", "named", "ß"])
    if rng.random() < 0.15:
        rule["reason"] = rng.choice(["because", "", "  padded  "])
    if rng.random() < 0.3:
        globs = rng.sample(["/etc/*", "*", "/etc/passwd", "/home/*/x", "", "[a-c]*", "?"], rng.randint(1, 2))
        used["resources"].extend(globs)
        rule[rng.choice(["resources", "resource"])] = globs if rng.random() < 0.7 else globs[0]
    if rng.random() < 0.15:
        globs = rng.sample(["claude-*", "ci", "", "*", "C?", "[!c]*"], rng.randint(1, 2))
        used["clients"].extend(globs)
        rule["clients"] = globs
    if rng.random() < 0.15:
        globs = rng.sample(["proj-?", "p1", "*", "", "P1"], rng.randint(1, 2))
        used["projects"].extend(globs)
        rule["projects"] = globs
    if rng.random() < 0.25:
        conditions = {}
        for _ in range(rng.randint(1, 3)):
            field, test = rng.choice([
                ("command", "sudo *"), ("input_text", "rm"), ("input_text", "r*"), ("env", "[pP]rod"),
                ("flag", True), ("n", 5),
                ("env", {"op": "equals", "value": "prod", "case_insensitive": rng.random() < 0.5}),
                ("region", {"op": "in", "value": ["eu", "us"]}), ("region", {"op": "in", "value": "eu,us"}),
                ("ticket", {"op": "exists"}), ("debug", {"op": "not_exists"}),
                ("level", {"op": "gt", "value": 3}), ("level", {"op": "gte", "value": "2.5"}),
                ("f", {"op": "contains", "value": "b"}), ("f", {"op": "matches", "value": "^s.*o$"}),
                ("level", {"op": "in_range", "value": [1, 10]}),
            ])
            conditions[field] = test
            used["conditions"].append((field, test if isinstance(test, str) else None))
        rule["when" if rng.random() < 0.75 else "conditions"] = conditions
    return rule


def gen_policy(rng: random.Random) -> tuple[dict, dict]:
    used = {"patterns": [], "resources": [], "clients": [], "projects": [], "conditions": []}
    policy: dict = {}
    if rng.random() < 0.5:
        policy["version"] = "1"
    if rng.random() < 0.35:
        policy["settings"] = {"default_action": rng.choice(["allow", "deny", "warn"])}
    policy["rules"] = [gen_rule(rng, i, used) for i in range(rng.randint(1, 8))]
    return policy, used


def expand(glob: str, rng: random.Random) -> str:
    """A string the fnmatch glob matches (classes: sometimes a non-member)."""
    out, i = [], 0
    while i < len(glob):
        c = glob[i]
        if c == "*":
            out.append(rng.choice(STAR_FILLS))
        elif c == "?":
            out.append(rng.choice(ONE_CHARS))
        elif c == "[":
            j = i + 1
            if j < len(glob) and glob[j] == "!":
                j += 1
            if j < len(glob) and glob[j] == "]":
                j += 1
            end = glob.find("]", j)
            if end < 0:
                out.append("[")
            else:
                inner = glob[i + 1:end].lstrip("!")
                members = [ch for ch in inner if ch != "-"] or ["a"]
                out.append(rng.choice(members) if rng.random() < 0.7 else rng.choice(["q", "!", "^", "é"]))
                i = end
        else:
            out.append(c)
        i += 1
    return "".join(out)


def mutate(subject: str, rng: random.Random) -> str:
    tool, sep, rest = subject.partition(":")
    choice = rng.randrange(6)
    if choice == 0:
        tool = tool.upper()
    elif choice == 1:
        tool = tool.lower()
    elif choice == 2:
        tool = tool.replace("ß", rng.choice(["SS", "ẞ", "ss"])).replace("ﬁ", "FI").replace("Σ", "ς")
    elif choice == 3:
        return subject + rng.choice(["a", ":", "é", " "])
    elif choice == 4:
        return subject[:-1]
    else:
        return subject.replace(":", "", 1)
    return tool + sep + rest


def gen_requests(used: dict, rng: random.Random, count: int) -> list[dict]:
    requests = []
    for _ in range(count):
        if used["patterns"] and rng.random() < 0.85:
            pattern = rng.choice(used["patterns"])
            canonical = pattern if pattern == "*" or ":" in pattern else pattern + ":*"
            subject = expand(canonical, rng)
            if rng.random() < 0.5:
                subject = mutate(subject, rng)
        else:
            subject = f"{rng.choice(TOOLS)}:{rng.choice(METHODS)}"
        if rng.random() < 0.3 or ":" not in subject:
            tool, method = subject, "*"
        else:
            tool, _, method = subject.partition(":")
        if not tool:
            tool = rng.choice(TOOLS)
        context: dict = {}
        pick = lambda globs, edges: expand(rng.choice(globs), rng) if globs and rng.random() < 0.6 else rng.choice(edges)
        if rng.random() < 0.6:
            context["resource"] = pick(used["resources"], ["/etc/passwd", "", 0, True, None, "/etc/a/b"])
        if rng.random() < 0.5:
            context["client_name"] = pick(used["clients"], ["python-sdk", "", "claude-code", None])
        if rng.random() < 0.4:
            context["project_id"] = pick(used["projects"], ["p1", "", "proj-ß"])
        tags = {}
        for field, glob in used["conditions"]:
            value = expand(glob, rng) if glob and rng.random() < 0.5 else rng.choice(
                ["sudo rm", "prod", "PROD", "eu", "eu,us", "abc", "", 5, 5.0, 3, "2.5", True, "True", None, ["eu"], "saw so"])
            (tags if rng.random() < 0.4 else context)[field] = value
        if tags:
            context["tags"] = tags
        requests.append({"tool": tool, "method": method, "context": context})
    return requests


def yaml_text(value, indent: int = 0) -> str:
    """Block YAML with every string single-quoted, so no YAML 1.1 retyping happens."""
    pad = " " * indent
    if isinstance(value, dict):
        if not value:
            return "{}"
        lines = []
        for key, item in value.items():
            if isinstance(item, (dict, list)) and item:
                lines.append(f"{pad}{key}:\n{yaml_text(item, indent + 2)}")
            else:
                lines.append(f"{pad}{key}: {yaml_text(item)}")
        return "\n".join(lines)
    if isinstance(value, list):
        if not value:
            return "[]"
        lines = []
        for item in value:
            if isinstance(item, dict) and item:
                inner = yaml_text(item, indent + 2).lstrip()
                lines.append(f"{pad}- {inner}")
            else:
                lines.append(f"{pad}- {yaml_text(item)}")
        return "\n".join(lines)
    if isinstance(value, str):
        return "'" + value.replace("'", "''") + "'"
    return json.dumps(value)


# ---------------------------------------------------------------- running


def reference_decide(policy_path: Path, requests: list[dict]):
    """(loaded, [decision dict or None for an out-of-core request])."""
    from controlzero._internal.enforcer import PolicyEvaluator
    from controlzero.policy_loader import load_policy

    try:
        parsed = load_policy(str(policy_path))
    except Exception:  # noqa: BLE001 - any refusal, including leaked internal errors
        return False, []
    evaluator = PolicyEvaluator(rules=parsed.rules, default_action=parsed.settings.default_action)
    out = []
    for r in requests:
        try:
            d = evaluator.evaluate(r["tool"], r.get("method", "*"), r.get("context"), r.get("args"))
        except Exception:  # noqa: BLE001 - the fail-closed engine error
            # Only the empty tool is a core-tier engine error; the reference also raises
            # on non-string selector values (a resource of `true`), which is the extended
            # tier (fixtures/conformance/decisions/extended/engine_errors.json).
            out.append({"effect": "deny", "policy_id": "synthetic:ENGINE_UNAVAILABLE"} if r["tool"] == "" else None)
            continue
        if len(d.action_candidates) != 1:
            out.append(None)
            continue
        out.append({
            "effect": d.effect, "policy_id": d.policy_id, "reason_code": d.reason_code,
            "reason": d.reason, "evaluated_rules": d.evaluated_rules,
            "hitl_eligible": bool(d.requires_approval) and d.approval_channel == "grants",
        })
    return True, out


def guardc_decide(guardc: str, policy_path: Path, requests: list[dict], tmp: Path):
    req_path = tmp / "requests.jsonl"
    req_path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in requests), encoding="utf-8")
    p = subprocess.run([guardc, "eval", str(policy_path), "--requests", str(req_path)], capture_output=True, timeout=120)
    if p.returncode != 0:
        return False, []
    return True, [json.loads(line) for line in p.stdout.decode("utf-8").splitlines() if line.strip()]


def differences(guardc: str, policy: dict, as_yaml: bool, requests: list[dict], tmp: Path) -> list[str]:
    path = tmp / ("p.yaml" if as_yaml else "p.json")
    text = yaml_text(policy) + "\n" if as_yaml else json.dumps(policy, ensure_ascii=False, indent=1)
    path.write_text(text, encoding="utf-8")
    ref_loaded, ref = reference_decide(path, requests)
    ours_loaded, ours = guardc_decide(guardc, path, requests, tmp)
    if ref_loaded != ours_loaded:
        return [f"load: reference {'accepts' if ref_loaded else 'refuses'}, guardc {'accepts' if ours_loaded else 'refuses'}"]
    found = []
    for request, want, got in zip(requests, ref, ours):
        if want is None:
            SKIPPED[0] += 1
            continue
        wrong = [k for k in want if got.get(k) != want[k]]
        if wrong:
            found.append(f"request {json.dumps(request, ensure_ascii=False)}\n"
                         f"      reference {json.dumps({k: want[k] for k in wrong}, ensure_ascii=False)}\n"
                         f"      guardc    {json.dumps({k: got.get(k) for k in wrong}, ensure_ascii=False)}")
    return found


def minimize(guardc: str, policy: dict, as_yaml: bool, request: dict | None, tmp: Path) -> dict:
    """Drop rules (and then rule keys) while the difference persists."""
    requests = [request] if request else []
    current = json.loads(json.dumps(policy))
    changed = True
    while changed:
        changed = False
        for i in range(len(current["rules"])):
            if len(current["rules"]) == 1:
                break
            trial = dict(current, rules=current["rules"][:i] + current["rules"][i + 1:])
            if differences(guardc, trial, as_yaml, requests, tmp):
                current, changed = trial, True
                break
        for key in ("version", "settings"):
            if key in current:
                trial = {k: v for k, v in current.items() if k != key}
                if differences(guardc, trial, as_yaml, requests, tmp):
                    current, changed = trial, True
    return current


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--guardc", default=str(ROOT / "target" / "release" / "guardc"))
    parser.add_argument("--policies", type=int, default=300)
    parser.add_argument("--requests", type=int, default=40, help="requests per policy")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--python", help="an interpreter that already has controlzero installed")
    parser.add_argument("--max-report", type=int, default=10)
    options = parser.parse_args()
    if os.environ.get(INSIDE) != "1":
        ensure_venv(options.python)
    import logging

    logging.disable(logging.WARNING)  # the loader's did-you-mean warnings
    rng = random.Random(options.seed)
    reports, checked, skipped_loads = [], 0, 0
    with tempfile.TemporaryDirectory() as name:
        tmp = Path(name)
        for n in range(options.policies):
            policy, used = gen_policy(rng)
            requests = gen_requests(used, rng, options.requests)
            as_yaml = rng.random() < 0.4
            found = differences(options.guardc, policy, as_yaml, requests, tmp)
            checked += len(requests)
            if not found:
                continue
            first = found[0]
            request = None
            if first.startswith("request "):
                request = json.loads(first.splitlines()[0][len("request "):])
            small = minimize(options.guardc, policy, as_yaml, request, tmp)
            reports.append(f"policy #{n} ({'yaml' if as_yaml else 'json'}), {len(found)} difference(s); first: {first}\n"
                           f"    minimal policy: {json.dumps(small, ensure_ascii=False)}")
    for report in reports[: options.max_report]:
        print(report)
    print(f"{options.policies} policies, {checked} requests ({SKIPPED[0]} outside the core tier, skipped), "
          f"{len(reports)} policies with differences (seed {options.seed})")
    return 1 if reports else 0


if __name__ == "__main__":
    sys.exit(main())
