//! A real editor drives `guardc lsp`: headless Neovim (0.10 or newer) runs
//! `tests/lsp_neovim/session.lua` on the seed paste: it waits for the findings, hovers,
//! completes, applies the indent fix, edits, sees the diagnostics change and shuts the
//! server down. The editor is `$GUARDC_NVIM`, else `nvim` on the `PATH` (`.ci/run`
//! installs one from PyPI); without a Neovim 0.10+ the test says why it did not run.

#![allow(
    clippy::expect_used,
    clippy::panic,
    reason = "a test fails by panicking when the editor session fails"
)]

use std::process::Command;

/// The Neovim to run, if one of version 0.10 or newer is found; else why not.
fn neovim() -> Result<String, String> {
    let program = std::env::var("GUARDC_NVIM").unwrap_or_else(|_| "nvim".to_owned());
    let output = Command::new(&program)
        .arg("--version")
        .output()
        .map_err(|err| format!("no Neovim found as `{program}` ({err})"))?;
    let version = String::from_utf8_lossy(&output.stdout);
    let first = version.lines().next().unwrap_or("");
    let numbers: Vec<u32> = first
        .trim_start_matches("NVIM v")
        .split(['.', '-'])
        .take(2)
        .filter_map(|n| n.parse().ok())
        .collect();
    match numbers.as_slice() {
        [0, minor] if *minor >= 10 => Ok(program),
        [major, _] if *major >= 1 => Ok(program),
        _ => Err(format!(
            "`{program}` is `{first}`; the test needs Neovim 0.10 or newer"
        )),
    }
}

#[test]
fn neovim_sees_the_findings_applies_the_indent_fix_and_the_diagnostics_update() {
    let nvim = match neovim() {
        Ok(nvim) => nvim,
        Err(reason) => {
            println!("skipped: {reason} (set GUARDC_NVIM to a Neovim 0.10+ binary)");
            eprintln!("skipped: {reason} (set GUARDC_NVIM to a Neovim 0.10+ binary)");
            return;
        }
    };
    let root = env!("CARGO_MANIFEST_DIR");
    let output = Command::new(&nvim)
        .args(["--headless", "-n", "-u", "NONE", "-i", "NONE", "-l"])
        .arg(format!("{root}/tests/lsp_neovim/session.lua"))
        .arg(env!("CARGO_BIN_EXE_guardc"))
        .arg(format!("{root}/examples/broken/seed-paste.yaml"))
        .current_dir(std::env::temp_dir())
        .output()
        .expect("Neovim runs");
    let stdout = String::from_utf8_lossy(&output.stdout);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        output.status.success(),
        "the session failed:\n{stdout}\n{stderr}"
    );
    insta::assert_snapshot!("neovim_session", stdout);
}
