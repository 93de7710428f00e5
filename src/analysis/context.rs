//! What every finding reads: the loaded document, and analyses shared between findings
//! that are computed once, on first use.

use crate::policy::{LoadResult, Policy};
use crate::syntax::{Mapping, Node};

/// The input of one analysis run.
#[derive(Debug)]
pub struct Context<'a> {
    pub loaded: &'a LoadResult,
}

impl<'a> Context<'a> {
    pub fn new(loaded: &'a LoadResult) -> Self {
        Self { loaded }
    }

    /// The policy, when the document loaded.
    pub fn policy(&self) -> Option<&'a Policy> {
        self.loaded.policy.as_ref()
    }

    /// The root mapping of the document, when it parsed as one.
    pub fn root(&self) -> Option<&'a Mapping> {
        self.loaded.document.as_ref().and_then(Node::as_map)
    }

    /// The rule nodes of `rules`, in order (empty when `rules` is not a list).
    pub fn rule_nodes(&self) -> Vec<&'a Node> {
        match self.root().and_then(|root| root.get("rules")).map(|n| &n.kind) {
            Some(crate::syntax::NodeKind::Seq(items)) => items.iter().collect(),
            _ => Vec::new(),
        }
    }
}
