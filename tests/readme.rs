//! The documentation's terminal sessions are real: every ```` ```console ```` block of
//! README.md and of the language reference (`docs/language.md`) is run, command by command,
//! and its output must be what the block shows; every ```` ```yaml ```` block whose first
//! line names an example file (`# examples/...`) must be that file, byte for byte.
//!
//! A README is the first thing a user runs, and pasted output goes stale silently when a
//! message or a span changes. Commands run through `sh` in the repository root with the
//! built `guardc` first on `PATH`; `/tmp/` in a block means a scratch directory of this
//! test (so parallel runs do not share files), and is written back as `/tmp/` in the
//! output compared. `$ echo $?` shows the exit code of the command before it. A block
//! that should not run is marked ```` ```text ```` instead. The one command that pipes
//! JSON through `python3 -m json.tool` is skipped on a machine without Python.

#![expect(
    clippy::unwrap_used,
    reason = "test: a missing README or a failed spawn fails the test"
)]

use std::path::{Path, PathBuf};
use std::process::Command;

/// One command of a console block and the output the README shows for it.
#[derive(Debug)]
struct Step {
    line: usize,
    command: String,
    expected: String,
}

/// The console blocks of a Markdown text, each as its steps.
fn console_blocks(markdown: &str) -> Vec<Vec<Step>> {
    let mut blocks = Vec::new();
    let mut current: Option<Vec<Step>> = None;
    for (index, line) in markdown.lines().enumerate() {
        match current.as_mut() {
            None if line.trim_end() == "```console" => current = Some(Vec::new()),
            None => {}
            Some(_) if line.trim_end() == "```" => blocks.extend(current.take()),
            Some(steps) => {
                if let Some(command) = line.strip_prefix("$ ") {
                    steps.push(Step {
                        line: index + 1,
                        command: command.to_owned(),
                        expected: String::new(),
                    });
                } else if let Some(step) = steps.last_mut() {
                    step.expected.push_str(line);
                    step.expected.push('\n');
                }
            }
        }
    }
    blocks
}

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

/// A scratch directory for one block, standing in for `/tmp`.
fn scratch(block: &str) -> PathBuf {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join(format!("docs-block-{block}"));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// Run one step; returns its combined output (stdout, then stderr) and exit code.
fn run(command: &str, tmp: &Path, previous_code: i32) -> (String, i32) {
    if command == "echo $?" {
        return (format!("{previous_code}\n"), 0);
    }
    let binary = PathBuf::from(env!("CARGO_BIN_EXE_guardc"));
    let bin_dir = binary.parent().unwrap();
    let path = format!(
        "{}:{}",
        bin_dir.display(),
        std::env::var("PATH").unwrap_or_default()
    );
    let tmp_prefix = format!("{}/", tmp.display());
    let output = Command::new("sh")
        .arg("-c")
        .arg(command.replace("/tmp/", &tmp_prefix))
        .current_dir(root())
        .env("PATH", path)
        .env("NO_COLOR", "1")
        .env_remove("CLICOLOR_FORCE")
        .output()
        .unwrap();
    let mut text = String::from_utf8_lossy(&output.stdout).into_owned();
    text.push_str(&String::from_utf8_lossy(&output.stderr));
    (
        text.replace(&tmp_prefix, "/tmp/"),
        output.status.code().unwrap_or(-1),
    )
}

fn python3_available() -> bool {
    Command::new("python3")
        .arg("--version")
        .output()
        .is_ok_and(|output| output.status.success())
}

/// The documents whose console blocks are run, with the least number of blocks each
/// must have (so a parser bug that finds none does not pass silently).
const DOCUMENTS: [(&str, usize); 2] = [("README.md", 8), ("docs/language.md", 6)];

/// Runs every console block of one document; returns the mismatches and the step count.
fn mismatches_in(document: &str, least_blocks: usize) -> (Vec<String>, usize) {
    let text = std::fs::read_to_string(root().join(document)).unwrap();
    let blocks = console_blocks(&text);
    assert!(
        blocks.len() >= least_blocks,
        "{document} shows its commands in console blocks"
    );
    let mut mismatches = Vec::new();
    let mut steps_run = 0;
    for (number, steps) in blocks.iter().enumerate() {
        let tmp = scratch(&format!("{}-{number}", document.replace('/', "-")));
        let mut code = 0;
        for step in steps {
            if step.command.contains("python3") && !python3_available() {
                // Only output formatting is piped through Python (`json.tool`); on a
                // machine without it the step cannot run, and that is not a docs bug.
                eprintln!("skipped (no python3): {document} line {}", step.line);
                continue;
            }
            let (output, status) = run(&step.command, &tmp, code);
            code = status;
            steps_run += 1;
            if output != step.expected {
                mismatches.push(format!(
                    "{document} line {}: `$ {}`\n--- the document shows\n{}--- the command prints\n{}",
                    step.line, step.command, step.expected, output
                ));
            }
        }
    }
    (mismatches, steps_run)
}

#[test]
fn console_blocks_show_real_output() {
    let mut mismatches = Vec::new();
    let mut steps_run = 0;
    for (document, least_blocks) in DOCUMENTS {
        let (found, steps) = mismatches_in(document, least_blocks);
        mismatches.extend(found);
        steps_run += steps;
    }
    assert!(
        mismatches.is_empty(),
        "{} of {steps_run} documented commands print something else:\n\n{}",
        mismatches.len(),
        mismatches.join("\n")
    );
}

/// The ```yaml blocks of a Markdown text whose first line is `# examples/...`, as
/// (path, block text).
fn example_blocks(markdown: &str) -> Vec<(String, String)> {
    let mut found = Vec::new();
    let mut current: Option<String> = None;
    for line in markdown.lines() {
        match current.as_mut() {
            None if line.trim_end() == "```yaml" => current = Some(String::new()),
            None => {}
            Some(_) if line.trim_end() == "```" => {
                let block = current.take().unwrap_or_default();
                if let Some(path) = block.lines().next().and_then(|l| l.strip_prefix("# ")) {
                    if path.starts_with("examples/") {
                        found.push((path.to_owned(), block.clone()));
                    }
                }
            }
            Some(block) => {
                block.push_str(line);
                block.push('\n');
            }
        }
    }
    found
}

#[test]
fn example_policies_shown_are_the_files_run() {
    let mut checked = 0;
    for (document, _) in DOCUMENTS {
        let text = std::fs::read_to_string(root().join(document)).unwrap();
        for (path, block) in example_blocks(&text) {
            let file = std::fs::read_to_string(root().join(&path)).unwrap();
            assert_eq!(
                block, file,
                "{document} shows {path} differently from the file"
            );
            checked += 1;
        }
    }
    assert!(
        checked >= 5,
        "the language reference shows its example files"
    );
}

#[test]
fn console_blocks_are_split_into_commands_and_outputs() {
    let markdown =
        "text\n```console\n$ guardc a\nout 1\n\nout 2\n$ echo $?\n1\n```\n```sh\n$ not run\n```\n";
    let blocks = console_blocks(markdown);
    assert_eq!(blocks.len(), 1);
    let commands: Vec<(&str, &str, usize)> = blocks[0]
        .iter()
        .map(|s| (s.command.as_str(), s.expected.as_str(), s.line))
        .collect();
    assert_eq!(
        commands,
        [("guardc a", "out 1\n\nout 2\n", 3), ("echo $?", "1\n", 7)]
    );
}
