//! The configuration of a check run: which findings are reported at which level
//! (`guardc.toml`, command-line flags), which SDKs the policy targets (`guardc.toml`;
//! the Go portability findings need the Go SDK declared) and which findings are
//! suppressed inline (YAML comments on rules).
//!
//! It is applied in the library, after analysis, so `guardc check`, `guardc build` and
//! the language server report a document identically for the same configuration. The
//! shells only read the configuration file; parsing and applying it happens here.

mod levels;
mod suppressions;
mod targets;

pub use levels::{ConfigError, LevelConfig, LevelSetting, LevelTarget, is_load_code};
pub use suppressions::{Suppressions, UNKNOWN_SUPPRESSION};
pub use targets::{SDK_NAMES, Targets};

use crate::diagnostics::Diagnostic;
use crate::policy::LoadResult;

/// The configuration file looked up in a policy's directory.
pub const CONFIG_FILE_NAME: &str = "guardc.toml";

/// Apply a run's configuration to everything found in a document: report problems with
/// its suppression comments, drop what they suppress, then set levels (dropping what is
/// allowed). Load errors pass through unchanged.
pub fn configure(
    loaded: &LoadResult,
    mut diagnostics: Vec<Diagnostic>,
    levels: &LevelConfig,
) -> Vec<Diagnostic> {
    let (suppressions, problems) = Suppressions::scan(loaded);
    diagnostics.extend(problems);
    diagnostics.retain(|d| !suppressions.suppresses(d));
    levels.apply(diagnostics)
}
