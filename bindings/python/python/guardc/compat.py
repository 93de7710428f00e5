"""A drop-in for the reference SDK's evaluator, backed by guardc.

``controlzero._internal.enforcer.PolicyEvaluator(rules, dlp_scanner, default_action,
locale)`` with ``evaluate(tool, method="*", context=None, args=None, ...)`` is what
agents built on the reference call. This class has the same constructor and
``evaluate`` signature, so switching is one import line::

    # from controlzero._internal.enforcer import PolicyEvaluator
    from guardc.compat import PolicyEvaluator

``rules`` may be the reference's ``PolicyRule`` objects (``load_policy(path).rules``),
rule dicts in the policy-file schema, a ``guardc.Policy``, or a path to a policy file or
bundle. Decisions are ``guardc.Decision`` objects, which carry the reference decision's
fields (``effect``, ``decision``, ``policy_id``, ``reason``, ``reason_code``,
``evaluated_rules``, ``allowed``, ``denied``) plus ``hitl_eligible`` and lineage.
What the adapter does not do: DLP scanning (``dlp_scanner`` must be ``None``), reason
localisation (``locale`` other than English), and the reference client's tool-family
aliases (the core decision level only).
"""

from __future__ import annotations

import json
import os
from typing import Any, Optional

from ._guardc import Decision, Policy

_VALID_DEFAULTS = ("allow", "deny", "warn")


def _rule_document(rule: Any) -> dict:
    """A reference ``PolicyRule`` (pydantic) or a rule dict as a policy-file rule."""
    if isinstance(rule, dict):
        return rule
    doc: dict = {rule.effect: list(rule.actions)}
    if rule.id:
        doc["id"] = rule.id
    if rule.name:
        doc["name"] = rule.name
    for key in ("resources", "clients", "projects"):
        if getattr(rule, key, None):
            doc[key] = list(getattr(rule, key))
    if rule.conditions:
        doc["conditions"] = rule.conditions
    if rule.reason:
        doc["reason"] = rule.reason
    if getattr(rule, "reason_code", ""):
        doc["reason_code"] = rule.reason_code
    if getattr(rule, "escalate_on_deny", False):
        doc["escalate_on_deny"] = True
    return doc


class PolicyEvaluator:
    """The reference evaluator's interface over a compiled guardc policy."""

    def __init__(
        self,
        rules: Any = None,
        dlp_scanner: Any = None,
        default_action: str = "deny",
        locale: Optional[str] = None,
    ):
        if dlp_scanner is not None:
            raise NotImplementedError("guardc decides policies only; run DLP scanning separately")
        if locale not in (None, "", "en"):
            raise NotImplementedError("guardc's reasons are English; localisation is not supported")
        self._default_action = default_action if default_action in _VALID_DEFAULTS else "deny"
        self._policy = self._compile(rules)

    def _compile(self, rules: Any) -> Policy:
        if isinstance(rules, Policy):
            return rules
        if isinstance(rules, (str, os.PathLike)):
            return Policy.from_file(rules)
        document = {
            "settings": {"default_action": self._default_action},
            "rules": [_rule_document(rule) for rule in (rules or [])],
        }
        return Policy.from_source(json.dumps(document), "controlzero.json")

    def load(self, rules: Any) -> None:
        """Replace the rule set."""
        self._policy = self._compile(rules)

    @property
    def default_action(self) -> str:
        return self._policy.default_action

    @property
    def policy(self) -> Policy:
        return self._policy

    def evaluate(
        self,
        tool: str,
        method: str = "*",
        context: Optional[dict] = None,
        args: Optional[dict] = None,
        *,
        dlp_args: Optional[dict] = None,
        supports_arg_rewrite: bool = False,
        deny_reaches_model: bool = False,
    ) -> Decision:
        """Decide a tool call; the keyword-only DLP arguments are accepted and unused."""
        return self._policy.decide(tool, method, context, args)
