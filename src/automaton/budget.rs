//! The automaton budget one policy shares across all of its groups.
//!
//! Per-chunk limits alone do not bound a build: a policy of many tools has many groups,
//! and if each restarts its budget, 150 one-rule tools whose pattern explodes
//! (`t1:*a` followed by 24 `?`) cost 150 failed determinizations of 4 MiB each, twelve
//! seconds before `guardc eval` decides one call. So every attempt draws on two
//! policy-wide pools, and an attempt is only ever given what is left of them:
//!
//! - the *output* pool ([`AutomatonLimits::policy_bytes`]) pays for the DFAs that were
//!   built, and bounds the memory (and bundle) of the whole automaton;
//! - the *failure* pool ([`AutomatonLimits::failed_bytes`]) pays for attempts that hit
//!   a limit, which are pure waste. A failed attempt is charged its limit, but at least
//!   [`MIN_FAILURE_CHARGE`]: building the NFA and the determinizer has a fixed cost, so
//!   a thousand tiny failures must exhaust the pool as surely as one large one.
//!
//! An attempt is also sized to its group: it gets [`AutomatonLimits::pattern_bytes`]
//! per pattern, since glob patterns that do not explode give DFAs that grow about
//! linearly with their number, and the shapes that explode are then caught for a small
//! price instead of after megabytes. Once a pool is spent, every remaining rule is
//! matched by its glob, one by one, in rule order: decisions stay exact, only slower.

use super::AutomatonLimits;

/// What a failed attempt costs at least (see the module docs): about half a millisecond
/// of NFA construction and determinizer setup, whatever its limit.
const MIN_FAILURE_CHARGE: usize = 256 << 10;

/// The smallest attempt worth making: below it no DFA of a real pattern fits.
const MIN_ATTEMPT_BYTES: usize = 4 << 10;

/// What is left of a policy's two pools.
#[derive(Debug, Clone)]
pub(super) struct Budget {
    output_left: usize,
    failures_left: usize,
    /// Whether some group was denied an attempt because a pool was spent.
    pub(super) spent: bool,
}

impl Budget {
    pub(super) fn new(limits: &AutomatonLimits) -> Budget {
        Budget {
            output_left: limits.policy_bytes,
            failures_left: limits.failed_bytes,
            spent: false,
        }
    }

    /// The limits of one attempt over `patterns` patterns whose chunk may use `chunk`
    /// (the per-chunk limits, already halved by splitting), or `None` when the pools
    /// cannot pay for a meaningful attempt.
    pub(super) fn attempt(
        &mut self,
        chunk: &AutomatonLimits,
        patterns: usize,
    ) -> Option<AutomatonLimits> {
        let sized = patterns.saturating_mul(chunk.pattern_bytes);
        let determinize = chunk
            .determinize_bytes
            .min(sized)
            .min(self.failures_left)
            .min(self.output_left);
        let dfa = chunk.dfa_bytes.min(sized).min(self.output_left);
        let floor = MIN_ATTEMPT_BYTES.min(chunk.determinize_bytes.min(chunk.dfa_bytes));
        if (self.failures_left < floor || self.output_left < floor) && floor > 0 {
            self.spent = true;
            return None;
        }
        Some(AutomatonLimits {
            determinize_bytes: determinize,
            dfa_bytes: dfa,
            ..chunk.clone()
        })
    }

    /// Pay for a DFA that was built.
    pub(super) fn charge_success(&mut self, bytes: usize) {
        self.output_left = self.output_left.saturating_sub(bytes);
    }

    /// Pay for an attempt that hit `attempt`'s limits.
    pub(super) fn charge_failure(&mut self, attempt: &AutomatonLimits) {
        let cost = attempt.determinize_bytes.max(MIN_FAILURE_CHARGE);
        self.failures_left = self.failures_left.saturating_sub(cost);
    }
}
