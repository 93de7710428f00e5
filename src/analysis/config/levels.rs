//! Per-run levels of findings: `guardc.toml`'s `[levels]` table and the `-D`/`-W`/`-A`
//! command-line flags, in the style of rustc and clippy.
//!
//! A [`LevelConfig`] is an ordered list of settings; a later setting overrides an earlier
//! one, so "the file, then the flags" is one [`LevelConfig::extend`]. Load errors (the
//! `GC00xx`/`GC01xx` codes) are not configurable below error: the reference refuses such
//! a document, so lowering the level would only hide why the policy does not load. Asking
//! for it is a configuration error rather than a silent no-op, so the user learns it.

use std::fmt;

#[cfg(feature = "config")]
use super::targets::SDK_NAMES;
use super::targets::Targets;
use crate::analysis::regions::AnalysisLimits;
use crate::diagnostics::codes::load_codes;
use crate::diagnostics::{CodeInfo, Diagnostic, Level};
use crate::registry;
use crate::source::LineCol;

/// What a setting does to a code: allow it (drop it from the report) or report it at a
/// level.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LevelSetting {
    Allow,
    Info,
    Warn,
    Deny,
}

impl LevelSetting {
    /// The spellings accepted in `guardc.toml`: rustc's words (`allow`, `warn`, `deny`)
    /// and the levels' own names (`info`, `warning`, `error`), case-insensitively.
    pub fn parse(word: &str) -> Option<Self> {
        match word.to_ascii_lowercase().as_str() {
            "allow" => Some(Self::Allow),
            "info" => Some(Self::Info),
            "warn" | "warning" => Some(Self::Warn),
            "deny" | "error" => Some(Self::Deny),
            _ => None,
        }
    }

    /// The level reported, or `None` when the code is allowed.
    pub fn level(self) -> Option<Level> {
        match self {
            Self::Allow => None,
            Self::Info => Some(Level::Info),
            Self::Warn => Some(Level::Warning),
            Self::Deny => Some(Level::Error),
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Allow => "allow",
            Self::Info => "info",
            Self::Warn => "warn",
            Self::Deny => "deny",
        }
    }
}

/// What a setting applies to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LevelTarget {
    /// `all`: every analyzer finding (load errors keep their level).
    AllFindings,
    Code(&'static CodeInfo),
}

/// The levels in force for a run, as an ordered list of settings (later wins), the
/// SDKs the policy targets (which decide whether the Go portability findings apply), and
/// the analysis limits (`guardc.toml`'s `[analysis]` budgets over the defaults).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct LevelConfig {
    settings: Vec<(LevelTarget, LevelSetting)>,
    targets: Targets,
    limits: AnalysisLimits,
}

/// A setting that cannot be applied: an unknown code, a load error lowered, a malformed
/// `guardc.toml`. The shell reports it and exits 2.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConfigError {
    /// Lowercase, one sentence: what is wrong.
    pub message: String,
    pub help: Option<String>,
    /// Where in a configuration file, when the error comes from one.
    pub position: Option<LineCol>,
}

impl ConfigError {
    fn new(message: impl Into<String>, help: Option<String>) -> Self {
        Self {
            message: message.into(),
            help,
            position: None,
        }
    }

    /// The error as the shells print it after `error: `, prefixed with where it came from
    /// (`guardc.toml:3:1`, or `-A redundnat-rule`), and the help on an indented line.
    pub fn render(&self, origin: &str) -> String {
        let mut out = match self.position {
            Some(at) => format!("{origin}:{}:{}: {}", at.line, at.col, self.message),
            None => format!("{origin}: {}", self.message),
        };
        if let Some(help) = &self.help {
            out.push_str("\n  help: ");
            out.push_str(help);
        }
        out
    }
}

impl fmt::Display for ConfigError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for ConfigError {}

impl LevelConfig {
    pub fn new() -> Self {
        Self::default()
    }

    /// Whether no level is set (the declared targets aside).
    pub fn is_empty(&self) -> bool {
        self.settings.is_empty()
    }

    /// The SDKs the policy is declared to run on.
    pub fn targets(&self) -> Targets {
        self.targets
    }

    /// Declare the SDKs the policy runs on (`[targets]` of `guardc.toml`).
    pub fn set_targets(&mut self, targets: Targets) {
        self.targets = targets;
    }

    /// The analysis limits of the run: the defaults, with the work budgets of
    /// `guardc.toml`'s `[analysis]` table when it sets them.
    pub fn limits(&self) -> AnalysisLimits {
        self.limits
    }

    /// Add a setting for a code (`GC0501`), a name (`redundant-rule`) or `all`; it
    /// overrides every earlier setting of the same code.
    pub fn set(&mut self, target: &str, setting: LevelSetting) -> Result<(), ConfigError> {
        let target = resolve_target(target)?;
        if let LevelTarget::Code(code) = target {
            if is_load_code(code) && setting != LevelSetting::Deny {
                return Err(ConfigError::new(
                    format!(
                        "`{} {}` is a load error and cannot be set to `{}`",
                        code.code,
                        code.name,
                        setting.as_str()
                    ),
                    Some(
                        "the reference refuses a document with this problem, so the policy \
                         does not load whatever the level; fix the document instead"
                            .to_owned(),
                    ),
                ));
            }
        }
        self.settings.push((target, setting));
        Ok(())
    }

    /// Append another configuration's settings, which then override this one's (the
    /// command line over the file); the targets of both are declared.
    pub fn extend(&mut self, later: &LevelConfig) {
        self.settings.extend(later.settings.iter().copied());
        self.targets = self.targets.union(later.targets);
    }

    /// The level a code is reported at, or `None` when it is allowed. A finding about an
    /// SDK the policy does not target is off unless a setting names it (not `all`).
    pub fn level_of(&self, code: &'static CodeInfo) -> Option<Level> {
        self.configured(code).unwrap_or(Some(code.level))
    }

    /// What this configuration says about a code: `None` when nothing (the code keeps
    /// its default level, and a diagnostic the level its finding gave it), `Some(None)`
    /// when the code is off, `Some(Some(level))` when a setting sets its level.
    fn configured(&self, code: &'static CodeInfo) -> Option<Option<Level>> {
        if is_load_code(code) {
            return None;
        }
        let applies = self.targets.applies(code);
        let last = self.settings.iter().rev().find(|(target, _)| match target {
            LevelTarget::AllFindings => true,
            LevelTarget::Code(c) => c.code == code.code,
        });
        match last {
            Some((LevelTarget::Code(_), setting)) => Some(setting.level()),
            Some((LevelTarget::AllFindings, setting)) => Some(setting.level().filter(|_| applies)),
            None => (!applies).then_some(None),
        }
    }

    /// Set every diagnostic's level for this run and drop the allowed ones.
    pub fn apply(&self, diagnostics: Vec<Diagnostic>) -> Vec<Diagnostic> {
        diagnostics
            .into_iter()
            .filter_map(|mut d| {
                if let Some(level) = self.configured(d.code) {
                    d.level = level?;
                }
                Some(d)
            })
            .collect()
    }

    /// Read the `[levels]` and `[targets]` tables of a `guardc.toml`:
    ///
    /// ```toml
    /// [levels]
    /// redundant-rule = "allow"
    /// GC0501 = "error"
    ///
    /// [targets]
    /// sdks = ["python", "go"]
    ///
    /// [analysis]
    /// rule-states = 200000
    /// document-states = 20000000
    /// ```
    ///
    /// Keys are codes, names or `all`; values `allow`, `info`, `warn`/`warning`,
    /// `deny`/`error`. `all` is applied first and codes after it, whatever the order in
    /// the file (TOML tables are unordered), and naming one code twice (by code and by
    /// name) is an error rather than a guess about which one was meant. `sdks` lists the
    /// SDKs that enforce the policy (see [`Targets`]). `[analysis]` sets the work
    /// budgets of the reachability engine (see [`AnalysisLimits`]); each must be at
    /// least 1.
    #[cfg(feature = "config")]
    pub fn from_toml(text: &str) -> Result<Self, ConfigError> {
        use std::collections::BTreeMap;
        use toml::Spanned;

        #[derive(serde::Deserialize)]
        #[serde(deny_unknown_fields)]
        struct File {
            #[serde(default)]
            levels: BTreeMap<Spanned<String>, Spanned<String>>,
            #[serde(default)]
            targets: TargetsTable,
            #[serde(default)]
            analysis: AnalysisTable,
        }

        #[derive(serde::Deserialize, Default)]
        #[serde(deny_unknown_fields, rename_all = "kebab-case")]
        struct AnalysisTable {
            rule_states: Option<Spanned<i64>>,
            document_states: Option<Spanned<i64>>,
        }

        #[derive(serde::Deserialize, Default)]
        #[serde(deny_unknown_fields)]
        struct TargetsTable {
            #[serde(default)]
            sdks: Vec<Spanned<String>>,
        }

        let lines = crate::source::LineIndex::new(text);
        let at = |offset: usize| Some(lines.line_col(offset));
        let file: File = toml::from_str(text).map_err(|err| ConfigError {
            message: err.message().trim_end().to_owned(),
            help: None,
            position: err.span().and_then(|span| at(span.start)),
        })?;
        let mut entries: Vec<_> = file.levels.iter().collect();
        // `all` first, so that codes named beside it override it.
        entries.sort_by_key(|(key, _)| !key.get_ref().eq_ignore_ascii_case("all"));
        let mut config = LevelConfig::new();
        let budget = |value: &Option<Spanned<i64>>, name: &str, default: usize| {
            let Some(value) = value else {
                return Ok(default);
            };
            usize::try_from(*value.get_ref())
                .ok()
                .filter(|&n| n > 0)
                .ok_or_else(|| ConfigError {
                    message: format!("`{name}` must be a positive number of states"),
                    help: Some(format!("the default is {default}")),
                    position: at(value.span().start),
                })
        };
        let defaults = AnalysisLimits::DEFAULT;
        config.limits.rule_states = budget(
            &file.analysis.rule_states,
            "rule-states",
            defaults.rule_states,
        )?;
        config.limits.document_states = budget(
            &file.analysis.document_states,
            "document-states",
            defaults.document_states,
        )?;
        for sdk in &file.targets.sdks {
            if !config.targets.add(sdk.get_ref()) {
                let mut err = ConfigError::new(
                    format!("unknown SDK `{}`", sdk.get_ref()),
                    Some(format!("SDKs are {}", quoted_list(&SDK_NAMES))),
                );
                err.position = at(sdk.span().start);
                return Err(err);
            }
        }
        let mut seen: Vec<(&str, &str)> = Vec::new();
        for (key, value) in entries {
            let locate = |mut err: ConfigError, offset: usize| {
                err.position = at(offset);
                err
            };
            let setting = LevelSetting::parse(value.get_ref()).ok_or_else(|| {
                ConfigError::new(
                    format!("unknown level `{}`", value.get_ref()),
                    Some("levels are `allow`, `info`, `warn` and `deny`".to_owned()),
                )
            });
            let setting = setting.map_err(|err| locate(err, value.span().start))?;
            config
                .set(key.get_ref(), setting)
                .map_err(|err| locate(err, key.span().start))?;
            if let Some((LevelTarget::Code(code), _)) = config.settings.last() {
                if let Some((_, first)) = seen.iter().find(|(c, _)| *c == code.code) {
                    let err = ConfigError::new(
                        format!("`{}` and `{first}` name the same code", key.get_ref()),
                        Some(format!("keep one `{}` line", code.name)),
                    );
                    return Err(locate(err, key.span().start));
                }
                seen.push((code.code, key.get_ref()));
            }
        }
        Ok(config)
    }
}

/// `` `a` and `b` ``.
#[cfg(feature = "config")]
fn quoted_list(names: &[&str]) -> String {
    let quoted: Vec<String> = names.iter().map(|n| format!("`{n}`")).collect();
    match quoted.split_last() {
        Some((last, init)) if !init.is_empty() => format!("{} and {last}", init.join(", ")),
        _ => quoted.concat(),
    }
}

/// Whether a code is a load error (reading or validating the document), as opposed to an
/// analyzer finding.
pub fn is_load_code(code: &CodeInfo) -> bool {
    load_codes().any(|c| c.code == code.code)
}

fn resolve_target(target: &str) -> Result<LevelTarget, ConfigError> {
    if target.eq_ignore_ascii_case("all") {
        return Ok(LevelTarget::AllFindings);
    }
    registry::lookup(target)
        .map(LevelTarget::Code)
        .ok_or_else(|| unknown_code(target))
}

/// `unknown diagnostic `x``, with the closest code or name as did-you-mean help.
pub(super) fn unknown_code(word: &str) -> ConfigError {
    let help = match closest_code(word) {
        Some(info) => format!("did you mean `{}` ({})?", info.name, info.code),
        None => "run `guardc explain` to list every code".to_owned(),
    };
    ConfigError::new(format!("unknown diagnostic `{word}`"), Some(help))
}

/// The finding whose code or name is within edit distance 2 of `word`. Load errors are
/// not suggested: they can be neither lowered nor suppressed, so pointing at one would
/// only lead to the next error.
fn closest_code(word: &str) -> Option<&'static CodeInfo> {
    let word = word.to_ascii_lowercase();
    registry::all()
        .into_iter()
        .filter(|info| !is_load_code(info))
        .flat_map(|info| {
            [info.code, info.name]
                .map(|candidate| (edit_distance(&word, &candidate.to_ascii_lowercase()), info))
        })
        .filter(|(distance, _)| *distance <= 2)
        .min_by_key(|(distance, _)| *distance)
        .map(|(_, info)| info)
}

/// Levenshtein distance over characters. The loader has its own did-you-mean for keys
/// and operators, private to validation; codes are few and short, so the plain two-row
/// recurrence is all this needs.
fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut previous: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut current = Vec::with_capacity(b.len() + 1);
        current.push(i + 1);
        for (j, cb) in b.iter().enumerate() {
            let substitute = previous
                .get(j)
                .map_or(usize::MAX, |d| d + usize::from(ca != *cb));
            let delete = previous.get(j + 1).map_or(usize::MAX, |d| d + 1);
            let insert = current.get(j).map_or(usize::MAX, |d| d + 1);
            current.push(substitute.min(delete).min(insert));
        }
        previous = current;
    }
    previous.last().copied().unwrap_or(0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn edit_distance_counts_single_edits() {
        assert_eq!(edit_distance("redundnat-rule", "redundant-rule"), 2);
        assert_eq!(edit_distance("gc0410", "gc0401"), 2);
        assert_eq!(edit_distance("", "abc"), 3);
    }

    #[test]
    fn later_settings_override_earlier_ones() {
        let code = registry::lookup("misplaced-rule-key").unwrap();
        let mut config = LevelConfig::new();
        config.set("all", LevelSetting::Allow).unwrap();
        assert_eq!(config.level_of(code), None);
        config.set("GC0401", LevelSetting::Warn).unwrap();
        assert_eq!(config.level_of(code), Some(Level::Warning));
    }

    #[test]
    fn load_errors_cannot_be_lowered() {
        let load = load_codes().next().unwrap();
        let mut config = LevelConfig::new();
        let err = config.set(load.code, LevelSetting::Allow).unwrap_err();
        assert!(err.message.contains("load error"), "{err}");
        config.set(load.code, LevelSetting::Deny).unwrap();
        config.set("all", LevelSetting::Allow).unwrap();
        assert_eq!(config.level_of(load), Some(Level::Error));
    }

    #[test]
    fn go_findings_follow_the_targets() {
        let go = registry::lookup("go-glob-portability").unwrap();
        let other = registry::lookup("redundant-rule").unwrap();
        let mut config = LevelConfig::new();
        assert_eq!(config.level_of(go), None);
        assert_eq!(config.level_of(other), Some(other.level));
        config.set("all", LevelSetting::Warn).unwrap();
        assert_eq!(config.level_of(go), None, "`all` does not declare a target");
        config
            .set("go-glob-portability", LevelSetting::Info)
            .unwrap();
        assert_eq!(
            config.level_of(go),
            Some(Level::Info),
            "naming it turns it on"
        );
        let mut targeted = LevelConfig::new();
        targeted.set_targets(Targets { go: true });
        assert_eq!(targeted.level_of(go), Some(go.level));
        let mut flags = LevelConfig::new();
        flags.set("all", LevelSetting::Deny).unwrap();
        targeted.extend(&flags);
        assert_eq!(
            targeted.level_of(go),
            Some(Level::Error),
            "the file's targets stay"
        );
    }

    #[cfg(feature = "config")]
    #[test]
    fn targets_are_read_from_the_file() {
        let config = LevelConfig::from_toml("[targets]\nsdks = [\"python\", \"Go\"]\n").unwrap();
        assert!(config.targets().go);
        assert!(
            !LevelConfig::from_toml("[targets]\nsdks = [\"python\"]\n")
                .unwrap()
                .targets()
                .go
        );
        let err = LevelConfig::from_toml("[targets]\nsdks = [\"rust\"]\n").unwrap_err();
        assert_eq!(err.message, "unknown SDK `rust`");
        assert_eq!(err.help.as_deref(), Some("SDKs are `python` and `go`"));
        assert_eq!(err.position.map(|at| (at.line, at.col)), Some((2, 9)));
        assert!(LevelConfig::from_toml("[targets]\ngo = true\n").is_err());
    }

    #[test]
    fn unknown_codes_suggest_the_closest_one() {
        let err = LevelConfig::new()
            .set("misplaced-rule-kye", LevelSetting::Deny)
            .unwrap_err();
        assert_eq!(err.message, "unknown diagnostic `misplaced-rule-kye`");
        assert_eq!(
            err.help.as_deref(),
            Some("did you mean `misplaced-rule-key` (GC0401)?")
        );
    }
}
