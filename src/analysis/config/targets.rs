//! Which SDKs a policy is deployed to, and so which portability findings apply to it.
//!
//! The reference (Python) SDK is always a target: its semantics are the language. The Go
//! SDK reads some documents differently (its glob matcher stops `*` at `/`, it ignores
//! some keys), and findings about those differences are only worth reading for a policy
//! that runs there too; on any other policy they would flag nearly every pattern. So
//! they are off unless `guardc.toml` declares the target:
//!
//! ```toml
//! [targets]
//! sdks = ["python", "go"]
//! ```
//!
//! Naming one of those findings in a level setting (`-W go-glob-portability`) turns it
//! on as well, as asking for a finding by name should; `all` does not.

use crate::analysis::findings::GO_SDK_FINDINGS;
use crate::diagnostics::CodeInfo;

/// The SDKs a policy is checked for, beyond the reference.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Targets {
    /// The Go SDK enforces the policy too.
    pub go: bool,
}

/// The SDK names `sdks` accepts.
pub const SDK_NAMES: [&str; 2] = ["python", "go"];

impl Targets {
    /// Adds the SDK named `name` (case-insensitively); `false` when no SDK has that name.
    pub fn add(&mut self, name: &str) -> bool {
        match name.to_ascii_lowercase().as_str() {
            "python" => true,
            "go" => {
                self.go = true;
                true
            }
            _ => false,
        }
    }

    /// Both declarations together (a policy checked for either is checked for both).
    pub fn union(self, other: Targets) -> Targets {
        Targets {
            go: self.go || other.go,
        }
    }

    /// Whether `code` applies to the declared targets. Only the Go portability findings
    /// depend on them.
    pub fn applies(self, code: &CodeInfo) -> bool {
        self.go || !GO_SDK_FINDINGS.iter().any(|go| go.code == code.code)
    }
}
