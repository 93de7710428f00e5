"""The binding's surface: loading (documents, bundles, errors), value conversion,
batches, checks and lineage."""

import hashlib
import os
import subprocess

import pytest

import guardc

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", "..", ".."))
APPROVAL = os.path.join(ROOT, "examples", "approval.yaml")


def test_seed_call_is_an_approvable_deny_with_lineage():
    policy = guardc.Policy.from_file(APPROVAL)
    decision = policy.decide("Bash", "sudo apt-get install python3-foo")
    assert (decision.effect, decision.policy_id, decision.hitl_eligible) == ("deny", "rule-0", True)
    assert decision.denied and not decision.allowed
    assert (decision.rule_index, decision.line, decision.evaluated_rules) == (0, 5, 1)
    with open(APPROVAL, "rb") as fh:
        assert decision.policy_sha256 == hashlib.sha256(fh.read()).hexdigest()
    assert decision.bundle_blake3 is None and policy.bundle_blake3 is None
    assert decision.to_dict()["reason"] == "sudo requires admin approval"
    assert list(decision.to_dict())[-2:] == ["policy_sha256", "bundle_blake3"]


def test_decisions_by_a_rule_are_interned_and_others_are_not():
    policy = guardc.Policy.from_file(APPROVAL)
    first = policy.decide("Bash", "sudo apt-get install python3-foo")
    # Every call a rule decides gets that rule's one immutable decision object.
    assert policy.decide("Bash", "sudo ls") is first
    assert policy.decide_many([("Bash", "sudo rm")])[0] is first
    assert policy.decide("Bash", "sudo ls", {"resource": "/x"}, None) is first
    # A no-match decision names the call in its reason, so each call gets its own.
    a, b = policy.decide("github", "list_repos"), policy.decide("gitlab", "list_repos")
    assert a is not b and "github:list_repos" in a.reason and "gitlab:list_repos" in b.reason


def test_no_match_reason_names_the_subject():
    policy = guardc.Policy.from_file(APPROVAL)
    decision = policy.decide("github", "list_repos")
    assert decision.policy_id == "synthetic:NO_RULE_MATCH"
    assert "'github:list_repos'" in decision.reason
    assert decision.rule_index is None and decision.line is None


def test_load_errors_raise_with_diagnostics():
    with pytest.raises(guardc.PolicyError) as caught:
        guardc.Policy.from_source("rules:\n  - deny: 'a'\n    allow: 'b'\n")
    assert "cannot set both" in caught.value.diagnostics[0]["compat_message"]
    assert "did not load" in str(caught.value)
    assert caught.value.diagnostics[0]["level"] == "error"


def test_json_documents_by_name():
    policy = guardc.Policy.from_source('{"rules": [{"allow": "t"}]}', name="p.json")
    assert policy.decide("t").effect == "allow"
    assert len(policy) == 1


def condition_policy(condition):
    return guardc.Policy.from_source("rules:\n  - allow: 't'\n    conditions:\n      k: %s\n" % condition)


def test_python_types_reach_conditions_exactly():
    # A scalar condition globs str(value): True is 'True', 5.0 is '5.0', 1e16 '1e+16'.
    five = condition_policy("'5.0'")
    assert five.decide("t", context={"k": 5.0}).effect == "allow"
    assert five.decide("t", context={"k": 5}).effect == "deny"
    truth = condition_policy("'True'")
    assert truth.decide("t", context={"k": True}).effect == "allow"
    assert truth.decide("t", context={"k": 1}).effect == "deny"
    assert condition_policy("'1e+16'").decide("t", args={"k": 1e16}).effect == "allow"
    # `[` opens a glob class, so the nested value is matched around it.
    nested = condition_policy("\"{'a': *1, None, 2.5]}\"")
    assert nested.decide("t", context={"k": {"a": [1, None, 2.5]}}).effect == "allow"
    # Booleans are not numbers for the numeric operators.
    gt = condition_policy("{op: gt, value: 0}")
    assert gt.decide("t", context={"k": True}).effect == "deny"
    assert gt.decide("t", context={"k": 1}).effect == "allow"


@pytest.mark.parametrize(
    "value, error",
    [((1, 2), TypeError), ({1: "a"}, TypeError), (b"x", TypeError), (float("nan"), ValueError)],
)
def test_values_the_model_cannot_hold_are_refused(value, error):
    policy = guardc.Policy.from_file(APPROVAL)
    with pytest.raises(error):
        policy.decide("Bash", "ls", context={"k": value})
    with pytest.raises(TypeError):
        policy.decide("Bash", "ls", context=["not", "a", "dict"])


def test_decide_many_accepts_dicts_tuples_and_strings():
    policy = guardc.Policy.from_file(APPROVAL)
    got = policy.decide_many(
        [("Bash", "sudo ls"), {"tool": "Bash", "method": "ls"}, "github", ("Bash",)]
    )
    assert [d.policy_id for d in got] == ["rule-0", "rule-1", "synthetic:NO_RULE_MATCH", "rule-1"]
    assert policy.decide_many(iter([])) == []
    with pytest.raises(TypeError):
        policy.decide_many([{"method": "ls"}])


def test_check_returns_the_json_report_diagnostics():
    findings = guardc.Policy.from_file(APPROVAL).check()
    # `Bash:sudo *` never matches what hook integrations send (the command name alone).
    assert "GC0501" in {d["code"] for d in findings}
    assert all({"code", "level", "message", "span", "help"} <= set(d) for d in findings)


def test_bundles_load_and_corruption_is_refused(tmp_path):
    # CI names the binary it built (`GUARDC_CLI`), and the test then cannot skip;
    # elsewhere a release or debug build in the checkout is used if there is one.
    cli = os.environ.get("GUARDC_CLI")
    if cli is None:
        built = [os.path.join(ROOT, "target", kind, "guardc") for kind in ("release", "debug")]
        cli = next((path for path in built if os.path.exists(path)), None)
    if cli is None:
        pytest.skip("needs the guardc CLI (cargo build) to build a bundle")
    out = tmp_path / "p.gcb"
    subprocess.run([cli, "build", APPROVAL, "-o", str(out)], check=True, capture_output=True)
    policy = guardc.Policy.from_file(out)
    decision = policy.decide("Bash", "sudo apt-get install python3-foo")
    assert (decision.effect, decision.policy_id, decision.hitl_eligible) == ("deny", "rule-0", True)
    with open(APPROVAL, "rb") as fh:
        assert decision.policy_sha256 == hashlib.sha256(fh.read()).hexdigest()
    # The same lineage, under the same names, as `guardc eval --json` prints.
    cli_json = subprocess.run(
        [cli, "eval", str(out), "Bash", "--method", "sudo apt-get install python3-foo", "--json"],
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    import json

    record = json.loads(cli_json)
    assert decision.bundle_blake3 == policy.bundle_blake3 == record["bundle_blake3"]
    assert decision.policy_sha256 == record["policy_sha256"]
    assert len(decision.bundle_blake3) == 64
    with pytest.raises(ValueError):
        policy.check()
    data = bytearray(out.read_bytes())
    data[len(data) // 2] ^= 1
    with pytest.raises(guardc.PolicyError):
        guardc.Policy.from_bundle(bytes(data))
