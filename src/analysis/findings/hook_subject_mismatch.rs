//! `hook-subject-mismatch`: a shell-tool pattern whose method part can only match a
//! whole command line, which hook integrations never send.
//!
//! Hook integrations (Claude Code, Gemini CLI, Codex, Cursor, ...) do not send the
//! command line as the method. For a call of any shell-family tool (`Bash`, `shell`,
//! `PowerShell`, `run_terminal_cmd`, ...) the reference's extractor splits the command
//! on `;`, `&&`, `||`, `|` and `$(...)`/backtick subshells, takes the first word of each
//! segment without its directory (`/usr/bin/rm` → `rm`), and emits `Bash:<word>` for the
//! most dangerous recognized command, else for the first one: `sudo apt-get install x`
//! becomes `Bash:sudo`. So a method containing a space, a tab, `/`, `;`, `|` or a
//! backtick (outside brackets, where it is required) never matches a hook subject, and
//! `deny: 'Bash:sudo *'` protects SDK callers but not agents behind a hook.

use super::Finding;
use super::tool_families::is_shell;
use crate::analysis::Context;
use crate::diagnostics::Diagnostic;
use crate::pattern::{Glob, GlobItem, ToolPattern, casefold};
use crate::policy::Rule;
use crate::source::Span;

pub use crate::diagnostics::codes::findings::HOOK_SUBJECT_MISMATCH as INFO;

pub static FINDING: Finding = Finding { info: &INFO, run };

fn run(context: &Context<'_>) -> Vec<Diagnostic> {
    let Some(policy) = context.policy() else {
        return Vec::new();
    };
    policy
        .rules
        .iter()
        .flat_map(|rule| {
            rule.patterns
                .iter()
                .zip(&rule.spans.patterns)
                .filter_map(move |(pattern, span)| check(rule, pattern, *span))
        })
        .collect()
}

/// What a hook-extracted method never contains, described for the label.
fn never_in_hook_method(c: char) -> Option<&'static str> {
    match c {
        ' ' => Some("a space"),
        '\t' => Some("a tab"),
        '\n' | '\r' => Some("a line break"),
        '/' => Some("a `/`"),
        ';' => Some("a `;`"),
        '|' => Some("a `|`"),
        '`' => Some("a backtick"),
        _ => None,
    }
}

/// The first character that every match of the method glob contains and no hook
/// method can: one inside literal text (characters in brackets are optional).
fn required_separator(method: &str) -> Option<&'static str> {
    Glob::parse(method)
        .items()
        .iter()
        .find_map(|item| match item {
            GlobItem::Literal(text) => text.chars().find_map(never_in_hook_method),
            _ => None,
        })
}

fn check(rule: &Rule, pattern: &ToolPattern, span: Span) -> Option<Diagnostic> {
    let (tool, method) = pattern.canonical.split_once(':')?;
    if tool.contains(['*', '?', '[']) || !is_shell(&casefold(tool)) {
        return None;
    }
    let separator = required_separator(method)?;
    let raw = &pattern.raw;
    let diagnostic = Diagnostic::new(
        &INFO,
        span,
        format!("`{raw}` never matches a call from a hook integration"),
    )
    .with_rule(rule.index)
    .with_label(format!(
        "the method needs {separator}; hooks send only the command name"
    ));
    Some(match command_name(method) {
        Some(name) => diagnostic.with_help(format!(
            "hook integrations send only the command name: add `{tool}:{name}` to match them, \
             and keep `{raw}` too if SDK callers pass whole command lines as the method"
        )),
        None => diagnostic.with_help(format!(
            "hooks send `{tool}:<command name>`: match the name of the command instead of \
             the command line"
        )),
    })
}

/// The command name a hook would extract from a command line written like `method`:
/// its first word, without directory. `None` when that is empty or `*` (matching every
/// command would be a different rule).
fn command_name(method: &str) -> Option<&str> {
    let first = method
        .split(|c: char| c.is_whitespace() || matches!(c, ';' | '|' | '&' | '`'))
        .find(|word| !word.is_empty())?;
    let name = first.rsplit('/').next().unwrap_or(first);
    (!name.is_empty() && name != "*").then_some(name)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn separators_and_names() {
        assert_eq!(required_separator("sudo *"), Some("a space"));
        assert_eq!(required_separator("rm[ ]*"), None);
        assert_eq!(required_separator("sudo"), None);
        assert_eq!(required_separator("*/rm"), Some("a `/`"));
        assert_eq!(command_name("sudo *"), Some("sudo"));
        assert_eq!(command_name("/usr/bin/rm -rf *"), Some("rm"));
        assert_eq!(command_name("* rm"), None);
    }
}
