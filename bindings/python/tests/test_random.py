"""Random policies: the compiled evaluator behind ``decide`` against the reference
interpreter behind ``interpret`` (both in the library), on every field, for a few
hundred generated policies and calls (seeded, so a failure reproduces)."""

import random

import guardc

TOOLS = ["Bash", "github", "db", "fs", "Ü", "ß"]
METHODS = ["ls", "sudo ls", "read", "write", "delete_repo", "a/b", "", "SUDO x", "ẞ"]
PATTERNS = ["*", "Bash:*", "Bash:sudo *", "github:*repo*", "*:read", "db:?rite", "fs:[rw]*",
            "ß:*", "ss:*", "*delete*", "github", "db:*", "Ü:a*", "u*:*"]
FIELDS = ("effect", "policy_id", "reason_code", "reason", "hitl_eligible", "evaluated_rules",
          "rule_index", "line")


def random_rule(rng, i):
    lines = [f"  - {rng.choice(['allow', 'deny'])}: {rng.sample(PATTERNS, rng.randint(1, 3))!r}"]
    if rng.random() < 0.3:
        lines.append(f"    id: r{i}")
    if rng.random() < 0.3:
        lines.append("    escalate_on_deny: true")
    if rng.random() < 0.2:
        lines.append(f"    resources: [{rng.choice(['/etc/*', '/home/*', '*'])!r}]")
    if rng.random() < 0.2:
        lines.append(f"    clients: [{rng.choice(['ci', 'c*', 'dev'])!r}]")
    if rng.random() < 0.3:
        condition = rng.choice(["'x*'", "{op: gt, value: 3}", "{op: in, value: [1, 'a', true]}",
                                "{op: exists}", "'True'", "{op: in_range, value: '1-10'}"])
        lines.append(f"    conditions: {{k: {condition}}}")
    return "\n".join(lines)


def random_context(rng):
    context = {}
    if rng.random() < 0.5:
        context["k"] = rng.choice([1, 5, 5.0, True, False, "x1", "a", None, [1], 11, "7"])
    if rng.random() < 0.3:
        context["resource"] = rng.choice(["/etc/passwd", "/home/u", "x"])
    if rng.random() < 0.3:
        context["client_name"] = rng.choice(["ci", "cx", "dev", ""])
    return context


def test_compiled_matches_interpreter_on_random_policies():
    rng = random.Random(20261203)
    compared = 0
    for p in range(300):
        default = rng.choice(["allow", "deny", "warn"])
        rules = "\n".join(random_rule(rng, i) for i in range(rng.randint(1, 12)))
        text = f"settings:\n  default_action: {default}\nrules:\n{rules}\n"
        policy = guardc.Policy.from_source(text)
        calls = [(rng.choice(TOOLS), rng.choice(METHODS), random_context(rng)) for _ in range(20)]
        batch = policy.decide_many(calls)
        for (tool, method, context), from_batch in zip(calls, batch):
            fast = policy.decide(tool, method, context)
            oracle = policy.interpret(tool, method, context)
            want = {f: getattr(oracle, f) for f in FIELDS}
            assert {f: getattr(fast, f) for f in FIELDS} == want, (text, tool, method, context)
            assert {f: getattr(from_batch, f) for f in FIELDS} == want
            compared += 1
    assert compared == 6000
