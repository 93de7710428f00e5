//! The configuration of a check run: which findings are reported at which level
//! (`guardc.toml`, command-line flags), which SDKs the policy targets (`guardc.toml`;
//! the Go portability findings need the Go SDK declared) and which findings are
//! suppressed inline (YAML comments on rules).
//!
//! It is applied in the library, after analysis, so `guardc check`, `guardc build` and
//! any other caller of the library report a document identically for the same configuration. The
//! shells only read the configuration file; parsing and applying it happens here.

mod levels;
mod suppressions;
mod targets;

pub use levels::{ConfigError, LevelConfig, LevelSetting, LevelTarget, is_load_code};
pub use suppressions::Suppressions;
pub use targets::{SDK_NAMES, Targets};

use crate::diagnostics::Diagnostic;
use crate::policy::LoadResult;

/// The configuration file looked up in a policy's directory.
pub const CONFIG_FILE_NAME: &str = "guardc.toml";

/// Apply a run's configuration to everything found in a document: report problems with
/// its suppression comments, drop what they suppress, then set levels (dropping what is
/// allowed). Load errors pass through unchanged. Returns the load diagnostics and the
/// findings (the problems with suppressions appended, unsorted) apart, so the caller can
/// order each as it must.
pub fn configure(
    loaded: &LoadResult,
    findings: Vec<Diagnostic>,
    levels: &LevelConfig,
) -> (Vec<Diagnostic>, Vec<Diagnostic>) {
    let (suppressions, problems) = Suppressions::scan(loaded);
    let kept = |d: &Diagnostic| !suppressions.suppresses(d);
    let load: Vec<Diagnostic> = loaded
        .diagnostics
        .iter()
        .filter(|d| kept(d))
        .cloned()
        .collect();
    let findings: Vec<Diagnostic> = findings.into_iter().chain(problems).filter(kept).collect();
    (levels.apply(load), levels.apply(findings))
}
