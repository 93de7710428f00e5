//! The tool names integrations send, as data: the tool families of the reference SDK's
//! extractor spec (`controlzero/_internal/tool_extractors.json`, `spec_version` 2, in
//! `controlzero` 1.13.16) with every alias, plus the tool names the reference's action
//! validator accepts beyond the spec.
//!
//! Two findings read it: `hook-subject-mismatch` needs the shell family (hook
//! integrations turn a call of any of these tools into `Bash:<command name>`), and
//! `unknown-tool` needs every known name to tell a typo (`Bsh`) from a tool of the
//! user's own. The names are kept in the hosts' own spelling because suggestions show
//! them; membership is decided on case-folded names, since tool names are matched
//! case-insensitively.

/// One tool family: the canonical name rules may use, and the host tool names that
/// integrations resolve to it.
#[derive(Debug)]
pub struct ToolFamily {
    pub canonical: &'static str,
    pub aliases: &'static [&'static str],
}

/// The shell family: hooks extract the command name from calls of these tools.
pub static SHELL: ToolFamily = ToolFamily {
    canonical: "Bash",
    aliases: &[
        "bash",
        "shell",
        "ShellTool",
        "run_shell_command",
        "run_command",
        "PowerShell",
        "powershell",
        "Shell",
        "execute_bash",
        "local_shell",
        "run_terminal_cmd",
        "run_terminal_command",
    ],
};

/// Every family of the extractor spec, the shell family first.
pub static FAMILIES: &[&ToolFamily] = &[
    &SHELL,
    &ToolFamily {
        canonical: "database",
        aliases: &[
            "sql",
            "Database",
            "PostgreSQL",
            "MySQL",
            "postgres",
            "sqlite",
        ],
    },
    &ToolFamily {
        canonical: "http",
        aliases: &["fetch", "web_fetch", "WebFetch", "HTTPRequest", "request"],
    },
    &ToolFamily {
        canonical: "web_search",
        aliases: &["WebSearch", "google_web_search", "SearchTool"],
    },
    &ToolFamily {
        canonical: "browser",
        aliases: &["playwright", "Puppeteer"],
    },
    &ToolFamily {
        canonical: "file_read",
        aliases: &[
            "read_file",
            "Read",
            "ReadFile",
            "read_many_files",
            "view_file",
            "NotebookRead",
            "fs_read",
            "fsRead",
            "hashline_read",
        ],
    },
    &ToolFamily {
        canonical: "file_write",
        aliases: &[
            "write_file",
            "Write",
            "WriteFile",
            "edit_file",
            "Edit",
            "replace",
            "apply_patch",
            "write_to_file",
            "replace_file_content",
            "MultiEdit",
            "NotebookEdit",
            "fs_write",
            "fsWrite",
            "search_replace",
            "hashline_edit",
        ],
    },
    &ToolFamily {
        canonical: "file_search",
        aliases: &[
            "Grep",
            "grep_search",
            "Glob",
            "glob",
            "ListDir",
            "hashline_grep",
            "list_dir",
        ],
    },
    &ToolFamily {
        canonical: "task",
        aliases: &["Task", "Agent", "subagent", "spawn_agent", "spawn_subagent"],
    },
];

/// Tool names outside the spec that the reference still treats as known: namespaces
/// the evaluator promotes shell commands into (`file_delete`, `network`, and the cloud
/// CLIs `aws`, `gcloud`, `kubectl`) and the pseudo-tool adapters lift prompts into.
pub static EXTRA_TOOLS: &[&str] = &[
    "file_delete",
    "network",
    "prompt",
    "aws",
    "gcloud",
    "kubectl",
];

/// Promoted `git <subcommand>` namespaces (`git_push`, `git_clean`, ...): an open set,
/// recognized by prefix.
pub const GIT_PREFIX: &str = "git_";

/// Every known tool name in its own spelling: family names, aliases, extra tools.
pub fn all_names() -> impl Iterator<Item = &'static str> {
    FAMILIES
        .iter()
        .flat_map(|family| std::iter::once(family.canonical).chain(family.aliases.iter().copied()))
        .chain(EXTRA_TOOLS.iter().copied())
}

/// Whether a (case-folded) tool name belongs to the shell family.
pub fn is_shell(folded: &str) -> bool {
    std::iter::once(SHELL.canonical)
        .chain(SHELL.aliases.iter().copied())
        .any(|name| crate::pattern::casefold(name) == folded)
}

/// Whether a (case-folded) tool name is one the reference knows.
pub fn is_known(folded: &str) -> bool {
    folded.starts_with(GIT_PREFIX)
        || all_names().any(|name| crate::pattern::casefold(name) == folded)
}
