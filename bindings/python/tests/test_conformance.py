"""Every core-tier conformance vector, decided through the Python binding.

The vectors were recorded from the reference SDK; each request must match on every
field (effect, policy_id, reason_code, reason, hitl_eligible, evaluated_rules), with
context and args handed over as the Python values ``json.loads`` gives, which is how
the reference received them.
"""

import glob
import json
import os

import pytest

import guardc

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", "..", ".."))
VECTORS = sorted(glob.glob(os.path.join(ROOT, "fixtures", "conformance", "decisions", "*.json")))
FIELDS = ("effect", "policy_id", "reason_code", "reason", "hitl_eligible", "evaluated_rules")


def cases():
    for path in VECTORS:
        with open(path, encoding="utf-8") as fh:
            doc = json.load(fh)
        assert doc["tier"] == "core"
        for case in doc["cases"]:
            yield pytest.param(case, id=f"{os.path.basename(path)}:{case['id']}")


def load(case):
    if "policy_yaml" in case:
        return guardc.Policy.from_source(case["policy_yaml"], "policy.yaml")
    return guardc.Policy.from_source(json.dumps(case["policy"], ensure_ascii=False), "policy.json")


def test_vectors_are_there():
    assert len(VECTORS) >= 13
    assert sum(1 for _ in cases()) >= 564


@pytest.mark.parametrize("case", list(cases()))
def test_core_vector(case):
    policy = load(case)
    requests = case["requests"]
    decisions = [
        policy.decide(r["tool"], r.get("method", "*"), r.get("context"), r.get("args")) for r in requests
    ]
    batch = policy.decide_many(requests)
    for request, expected, one, many in zip(requests, case["expected"], decisions, batch):
        got = {field: getattr(one, field) for field in FIELDS}
        want = {field: expected[field] for field in FIELDS}
        assert got == want, request
        assert {field: getattr(many, field) for field in FIELDS} == want, request
    assert len(decisions) == len(case["expected"])
