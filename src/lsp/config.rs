//! Finding levels for an open document: the `guardc.toml` in the document's directory,
//! the same file `guardc check` reads for a policy there, so the editor and CI agree.
//! Files are read once and cached until a change to one is reported.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use lsp_types::Url;

use serde_json::Value;

use crate::analysis::LevelConfig;
use crate::analysis::config::CONFIG_FILE_NAME;
use crate::analysis::config::LevelSetting;

/// The configuration files read so far, by path, and the levels the editor sets over
/// them (`initializationOptions.levels`, e.g. from VS Code's `guardc.levels`).
#[derive(Debug, Default)]
pub struct ConfigFiles {
    read: HashMap<PathBuf, Result<LevelConfig, String>>,
    editor: LevelConfig,
}

impl ConfigFiles {
    /// The levels for a document, and the problem with its `guardc.toml` if it has one
    /// that cannot be used (then every code keeps its default level).
    pub fn levels_for(&mut self, uri: &Url) -> (LevelConfig, Option<String>) {
        let (mut levels, problem) = match config_path(uri) {
            None => (LevelConfig::new(), None),
            Some(path) => match self.read.entry(path.clone()).or_insert_with(|| read(&path)) {
                Ok(levels) => (levels.clone(), None),
                Err(problem) => (LevelConfig::new(), Some(problem.clone())),
            },
        };
        levels.extend(&self.editor);
        (levels, problem)
    }

    /// Set the editor's levels: an object of `code or name or "all"` → `allow`, `info`,
    /// `warn` or `deny`. Returns the entries that could not be used.
    pub fn set_editor_levels(&mut self, options: Option<&Value>) -> Vec<String> {
        let mut problems = Vec::new();
        let entries = options.and_then(Value::as_object).into_iter().flatten();
        for (target, word) in entries {
            let setting = word.as_str().and_then(LevelSetting::parse);
            let result = match setting {
                Some(setting) => self
                    .editor
                    .set(target, setting)
                    .map_err(|e| e.render("levels")),
                None => Err(format!(
                    "levels: `{target}` needs allow, info, warn or deny"
                )),
            };
            problems.extend(result.err());
        }
        problems
    }

    /// Forget every file read, after one changed.
    pub fn clear(&mut self) {
        self.read.clear();
    }
}

/// Whether a URI names a configuration file.
pub fn is_config(uri: &Url) -> bool {
    uri.path().rsplit('/').next() == Some(CONFIG_FILE_NAME)
}

fn config_path(uri: &Url) -> Option<PathBuf> {
    let path = uri.to_file_path().ok()?;
    let candidate = path.parent()?.join(CONFIG_FILE_NAME);
    candidate.is_file().then_some(candidate)
}

fn read(path: &Path) -> Result<LevelConfig, String> {
    let text = std::fs::read_to_string(path)
        .map_err(|err| format!("cannot read {}: {err}", path.display()))?;
    LevelConfig::from_toml(&text).map_err(|err| err.render(&path.display().to_string()))
}
