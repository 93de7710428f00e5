"""guardc: decide Control Zero agent-policy tool calls in-process.

The policy is loaded, validated and compiled by guardc's Rust library; decisions carry
the reference SDK's field names. ``guardc.compat.PolicyEvaluator`` mirrors the
reference evaluator's constructor and ``evaluate(...)`` for a one-line switch.
"""

from ._guardc import Decision, Policy, PolicyError, __version__

__all__ = ["Decision", "Policy", "PolicyError", "__version__"]
