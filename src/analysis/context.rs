//! What every finding reads: the loaded document, and analyses shared between findings
//! that are computed once, on first use.
//!
//! The reachability regions are the expensive one: a determinization over the whole
//! policy. They are computed lazily, the first time a finding asks for them, and shared
//! by every finding of the run; a run whose findings never ask never pays for them.

use std::cell::OnceCell;

use super::regions::{AnalysisLimits, ApprovalReport, Containment, Questions, RegionMap};
use crate::policy::{LoadResult, Policy, Rule};
use crate::syntax::{Mapping, Node};

/// The input of one analysis run.
#[derive(Debug)]
pub struct Context<'a> {
    pub loaded: &'a LoadResult,
    limits: AnalysisLimits,
    regions: OnceCell<Option<RegionMap>>,
    containment: OnceCell<Containment>,
    questions: OnceCell<Questions>,
}

impl<'a> Context<'a> {
    pub fn new(loaded: &'a LoadResult) -> Self {
        Self::with_limits(loaded, AnalysisLimits::default())
    }

    /// A context whose reachability analysis uses `limits` instead of the defaults.
    pub fn with_limits(loaded: &'a LoadResult, limits: AnalysisLimits) -> Self {
        Self {
            loaded,
            limits,
            regions: OnceCell::new(),
            containment: OnceCell::new(),
            questions: OnceCell::new(),
        }
    }

    /// The policy, when the document loaded.
    pub fn policy(&self) -> Option<&'a Policy> {
        self.loaded.policy.as_ref()
    }

    /// Sets which questions the regions answer about reachable rules (the run's enabled
    /// findings decide; see [`crate::analysis::diagnose_in`]). Without it, every question
    /// is answered. Has no effect once the regions are computed.
    pub fn ask(&self, questions: Questions) {
        let _ = self.questions.set(questions);
    }

    /// The reachability regions of the policy (computed on first use, then shared);
    /// `None` when the document did not load.
    pub fn regions(&self) -> Option<&RegionMap> {
        self.regions
            .get_or_init(|| {
                let policy = self.policy()?;
                let questions = self.questions.get_or_init(|| Questions {
                    redundancy: self.redundancy_candidates(),
                    ..Questions::all(0)
                });
                Some(RegionMap::compute(policy, &self.limits, questions))
            })
            .as_ref()
    }

    /// Per rule: whether `redundant-rule` may report it (the rule does not name itself
    /// with an `id`, `name`, `reason` or `reason_code`, which decisions and audit rows
    /// show, so that removing it would change what they say).
    pub fn redundancy_candidates(&self) -> Vec<bool> {
        let nodes = self.rule_nodes();
        let rules = self.policy().map_or(0, |p| p.rules.len());
        (0..rules)
            .map(|i| !super::findings::names_itself(nodes.get(i).copied()))
            .collect()
    }

    /// Whether every request `inner` matches is also matched by `outer` (exactly, over
    /// the whole request space); `None` when the document did not load, an opaque gate
    /// leaves it open, or the search hit the analysis limits. The rules are rules of the
    /// policy, or copies of them narrowed to some of their patterns.
    pub fn rule_contains(&self, outer: &Rule, inner: &Rule) -> Option<bool> {
        let map = self.regions()?;
        self.containment
            .get_or_init(|| Containment::new(map, &self.limits))
            .contains(map.decoder(), outer, inner)
    }

    /// The approval partition (`--approvals`), from the same regions the findings used;
    /// `None` when the document did not load.
    pub fn approval_partition(&self) -> Option<ApprovalReport> {
        let policy = self.policy()?;
        self.regions()
            .map(|regions| regions.approval_partition(policy))
    }

    /// The root mapping of the document, when it parsed as one.
    pub fn root(&self) -> Option<&'a Mapping> {
        self.loaded.document.as_ref().and_then(Node::as_map)
    }

    /// The rule nodes of `rules`, in order (empty when `rules` is not a list).
    pub fn rule_nodes(&self) -> Vec<&'a Node> {
        self.rule_items().iter().collect()
    }

    /// The rule node at `index` of `rules` (without listing them all: findings ask
    /// per rule, and listing every rule for each made them quadratic).
    pub fn rule_node(&self, index: usize) -> Option<&'a Node> {
        self.rule_items().get(index)
    }

    fn rule_items(&self) -> &'a [Node] {
        match self
            .root()
            .and_then(|root| root.get("rules"))
            .map(|n| &n.kind)
        {
            Some(crate::syntax::NodeKind::Seq(items)) => items,
            _ => &[],
        }
    }
}
