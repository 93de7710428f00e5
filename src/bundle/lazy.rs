//! A bundle's rule table, decoded one rule at a time on first use.
//!
//! Decoding all 10,000 rules of a large policy into the owned IR (strings, globs parsed
//! again) was half of a bundle load, and freeing them a third: about 40 ms for a policy
//! whose decisions touch a handful of rules. A loaded bundle therefore keeps its verified
//! body (one copy, shared with the automaton's per-tool tables) and the offsets of its
//! rule records (summed from their lengths, one varint each, at load); [`LazyRules::rule`] decodes a rule the first time a decision needs it and
//! keeps it (`OnceLock`, so any number of threads may ask). Loading costs the offset
//! table's check, dropping costs the rules that were used.
//!
//! The trade-off: a bundle whose checksum verifies but whose rule record does not decode
//! (only a deliberately resealed bundle: the checksum catches accidents, a signature
//! catches forgeries) is no longer refused at load but when that rule is first needed.
//! Such a rule is never skipped: the table is marked corrupt and the compiled evaluator
//! then fails closed on every call (`synthetic:ENGINE_UNAVAILABLE`), and
//! [`LazyRules::policy`] returns an empty deny-all policy. `guardc inspect` decodes every
//! rule and reports the error.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, OnceLock};

use super::BundleError;
use super::codec::Reader;
use super::policy_codec;
use crate::policy::{Effect, Policy, Rule};

/// The rule table of a loaded bundle (see the module comment).
#[derive(Debug)]
pub struct LazyRules {
    /// The verified bundle body (one copy, shared with the automaton).
    body: Arc<[u8]>,
    /// Where the policy section starts in the body.
    section: usize,
    /// Record offsets relative to the section, one more than there are rules.
    offsets: Box<[u32]>,
    default_action: Effect,
    rules: Box<[OnceLock<Option<Box<Rule>>>]>,
    full: OnceLock<Policy>,
    corrupt: AtomicBool,
}

impl LazyRules {
    /// Check the section's header and record lengths (no rule is decoded).
    /// `section` is the policy section's range in `body`.
    pub(super) fn new(
        body: Arc<[u8]>,
        section: std::ops::Range<usize>,
        rule_count: usize,
    ) -> Result<LazyRules, BundleError> {
        let bytes = body.get(section.clone()).ok_or(BundleError::Truncated)?;
        let table = policy_codec::RuleTable::read(bytes, rule_count)?;
        let rules = (0..rule_count).map(|_| OnceLock::new()).collect();
        Ok(LazyRules {
            section: section.start,
            offsets: table.offsets,
            default_action: table.default_action,
            body,
            rules,
            full: OnceLock::new(),
            corrupt: AtomicBool::new(false),
        })
    }

    pub fn len(&self) -> usize {
        self.rules.len()
    }

    pub fn is_empty(&self) -> bool {
        self.rules.is_empty()
    }

    pub fn default_action(&self) -> Effect {
        self.default_action
    }

    /// Whether some rule failed to decode (the evaluator then fails closed).
    pub fn is_corrupt(&self) -> bool {
        self.corrupt.load(Ordering::Relaxed)
    }

    /// The rule at `index`, decoded on first use; `None` out of range or when its record
    /// is corrupt (which marks the table corrupt).
    pub fn rule(&self, index: usize) -> Option<&Rule> {
        let slot = self.rules.get(index)?;
        let decoded = slot.get_or_init(|| match self.decode(index) {
            Ok(rule) => Some(Box::new(rule)),
            Err(_) => {
                self.corrupt.store(true, Ordering::Relaxed);
                None
            }
        });
        decoded.as_deref()
    }

    fn decode(&self, index: usize) -> Result<Rule, BundleError> {
        let offset = |i: usize| -> Result<usize, BundleError> {
            let at = self.offsets.get(i).ok_or(BundleError::Truncated)?;
            Ok(self.section + *at as usize)
        };
        let record = self
            .body
            .get(offset(index)?..offset(index + 1)?)
            .ok_or(BundleError::Truncated)?;
        let mut reader = Reader::new(record);
        let rule = policy_codec::decode_rule(&mut reader, index)?;
        if !reader.is_at_end() {
            return Err(BundleError::Corrupt("a rule record has trailing bytes"));
        }
        Ok(rule)
    }

    /// Every rule decoded (the full IR, for `inspect`, `--explain` and re-writing a
    /// bundle). A corrupt table gives an empty deny-all policy; see [`Self::validate`].
    pub fn policy(&self) -> &Policy {
        self.full.get_or_init(|| {
            let rules: Option<Vec<Rule>> = (0..self.len()).map(|i| self.rule(i).cloned()).collect();
            match rules {
                Some(rules) => Policy {
                    default_action: self.default_action,
                    rules,
                },
                None => Policy {
                    default_action: Effect::Deny,
                    rules: Vec::new(),
                },
            }
        })
    }

    /// Decode every rule, reporting the first that does not decode.
    pub fn validate(&self) -> Result<(), BundleError> {
        for index in 0..self.len() {
            if self.rule(index).is_none() {
                return Err(self
                    .decode(index)
                    .err()
                    .unwrap_or(BundleError::Corrupt("a rule record does not decode")));
            }
        }
        Ok(())
    }
}

impl crate::eval::RuleTable for LazyRules {
    fn rule(&self, index: usize) -> Option<&Rule> {
        LazyRules::rule(self, index)
    }

    fn len(&self) -> usize {
        LazyRules::len(self)
    }

    fn default_action(&self) -> Effect {
        LazyRules::default_action(self)
    }

    fn is_corrupt(&self) -> bool {
        LazyRules::is_corrupt(self)
    }

    fn policy(&self) -> &Policy {
        LazyRules::policy(self)
    }

    fn validate(&self) -> Result<(), String> {
        LazyRules::validate(self).map_err(|e| e.to_string())
    }
}
