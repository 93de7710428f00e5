//! The command line's file handling, run as the built binary: bounded reads of regular
//! files only (a symlink to `/dev/zero`, a FIFO, a sparse file far over the limit),
//! `--requests` deciding every line, key and bundle outputs that never overwrite what
//! they should not, and bundles recognised by their magic before their name.
//!
//! Scratch files live under the target directory's temporary space; inputs that must be
//! byte-exact are fixtures under `fixtures/cli/`.

#![expect(
    clippy::unwrap_used,
    clippy::panic,
    reason = "tests: a failed setup or run fails the test"
)]

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};

use serde_json::Value;

const POLICY: &str = "rules:\n  - deny: 'Bash:sudo *'\n    reason: no sudo\n  - allow: 'Bash:*'\n";

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

/// A fresh directory holding `p.yaml` (the policy above).
fn scratch(name: &str) -> PathBuf {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join(format!("cli-io-{name}"));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(dir.join("p.yaml"), POLICY).unwrap();
    dir
}

/// Run `guardc ARGS` in `dir` with `stdin`, failing the test if it has not finished
/// within 20 seconds (a blocked open or an unbounded read would never finish).
fn guardc_with(dir: &Path, args: &[&str], stdin: Stdio) -> Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_guardc"))
        .current_dir(dir)
        .args(["--color", "never"])
        .args(args)
        .stdin(stdin)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let started = Instant::now();
    while child.try_wait().unwrap().is_none() {
        if started.elapsed() > Duration::from_secs(20) {
            child.kill().unwrap();
            panic!("guardc {args:?} did not finish within 20 s");
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    child.wait_with_output().unwrap()
}

/// `(exit code, stdout, stderr)` of `guardc ARGS` in `dir`, without stdin.
fn guardc(dir: &Path, args: &[&str]) -> (i32, String, String) {
    let output = guardc_with(dir, args, Stdio::null());
    (
        output.status.code().unwrap(),
        String::from_utf8(output.stdout).unwrap(),
        String::from_utf8(output.stderr).unwrap(),
    )
}

fn symlink_to_dev_zero(dir: &Path, name: &str) {
    std::os::unix::fs::symlink("/dev/zero", dir.join(name)).unwrap();
}

/// A FIFO at `dir/name`, or `false` (with the reason printed) where `mkfifo` is missing.
fn make_fifo(dir: &Path, name: &str) -> bool {
    match Command::new("mkfifo").arg(dir.join(name)).status() {
        Ok(status) if status.success() => true,
        outcome => {
            eprintln!("skipped: mkfifo is not available here ({outcome:?})");
            false
        }
    }
}

// --- 3. Unbounded reads ------------------------------------------------------------------

#[test]
fn a_symlink_to_dev_zero_is_refused_without_reading_it() {
    let dir = scratch("dev-zero");
    symlink_to_dev_zero(&dir, "zero.yaml");
    symlink_to_dev_zero(&dir, "zero.bundle");
    symlink_to_dev_zero(&dir, "zero.toml");
    symlink_to_dev_zero(&dir, "zero.key");
    let refused = "cannot read zero";
    let runs: [&[&str]; 6] = [
        &["eval", "zero.yaml", "Bash"],
        &["eval", "zero.bundle", "Bash"],
        &["inspect", "zero.bundle"],
        &["build", "zero.yaml", "-o", "out.bundle"],
        &["check", "p.yaml", "--config", "zero.toml"],
        &[
            "build",
            "p.yaml",
            "-o",
            "out.bundle",
            "--sign-key",
            "zero.key",
        ],
    ];
    for args in runs {
        let (code, _, err) = guardc(&dir, args);
        assert_eq!(code, 2, "{args:?}: {err}");
        assert!(err.contains(refused), "{args:?}: {err}");
        assert!(
            err.contains("a character device, not a regular file"),
            "{args:?}: {err}"
        );
        assert!(err.contains("help: "), "{args:?}: {err}");
    }
    // `check` reports it as a diagnostic in the report, in every format.
    let (code, out, _) = guardc(&dir, &["check", "--format", "json", "zero.yaml"]);
    assert_eq!(code, 2);
    let report: Value = serde_json::from_str(&out).unwrap();
    let diagnostic = &report["files"][0]["diagnostics"][0];
    assert_eq!(diagnostic["code"], "GC0007", "{out}");
    assert_eq!(diagnostic["name"], "unreadable-file", "{out}");
    assert!(!dir.join("out.bundle").exists());
}

#[test]
fn a_symlink_to_a_regular_file_is_read() {
    let dir = scratch("symlink-ok");
    std::os::unix::fs::symlink(dir.join("p.yaml"), dir.join("link.yaml")).unwrap();
    let (code, out, err) = guardc(&dir, &["eval", "link.yaml", "Bash:sudo ls", "--json"]);
    assert_eq!(code, 0, "{err}");
    assert!(out.starts_with(r#"{"effect":"deny""#), "{out}");
}

#[test]
fn a_fifo_is_refused_without_blocking() {
    let dir = scratch("fifo");
    if !make_fifo(&dir, "fifo.yaml") {
        return;
    }
    let runs: [&[&str]; 5] = [
        &["check", "fifo.yaml"],
        &["eval", "fifo.yaml", "Bash"],
        &["eval", "p.yaml", "--requests", "fifo.yaml"],
        &["build", "fifo.yaml", "-o", "out.bundle"],
        &["inspect", "fifo.yaml"],
    ];
    for args in runs {
        let (code, out, err) = guardc(&dir, args);
        assert_eq!(code, 2, "{args:?}: {err}");
        let said = format!("{out}{err}");
        assert!(
            said.contains("cannot read fifo.yaml: it is a FIFO (named pipe), not a regular file"),
            "{args:?}: {said}"
        );
    }
    let (_, _, err) = guardc(&dir, &["eval", "p.yaml", "--requests", "fifo.yaml"]);
    assert!(err.contains("`--requests - < fifo.yaml`"), "{err}");
}

#[test]
fn a_directory_is_refused() {
    let dir = scratch("directory");
    std::fs::create_dir(dir.join("policies.yaml")).unwrap();
    let (code, _, err) = guardc(&dir, &["eval", "policies.yaml", "Bash"]);
    assert_eq!(code, 2);
    assert!(
        err.contains("it is a directory, not a regular file"),
        "{err}"
    );
}

/// A sparse file of 4 GiB: reading it whole would take minutes and gigabytes; the
/// limit is applied while reading, so the refusal is immediate.
#[test]
fn a_file_over_the_limit_is_refused_after_the_limit_plus_one_byte() {
    let dir = scratch("huge");
    let huge = std::fs::File::create(dir.join("huge.yaml")).unwrap();
    huge.set_len(4 << 30).unwrap();
    drop(huge);
    let (code, out, _) = guardc(&dir, &["check", "--format", "json", "huge.yaml", "p.yaml"]);
    assert_eq!(code, 2);
    let report: Value = serde_json::from_str(&out).unwrap();
    let diagnostic = &report["files"][0]["diagnostics"][0];
    assert_eq!(diagnostic["code"], "GC0006", "{out}");
    assert_eq!(
        diagnostic["message"],
        "cannot read huge.yaml: the policy is larger than the limit of 67108864 bytes (64 MiB)"
    );
    assert_eq!(report["files"][1]["path"], "p.yaml");
    for args in [
        ["eval", "huge.yaml", "Bash"],
        ["inspect", "huge.yaml", "--rules"],
    ] {
        let (code, _, err) = guardc(&dir, &args);
        assert_eq!(code, 2, "{args:?}");
        assert!(
            err.contains("is larger than the limit of"),
            "{args:?}: {err}"
        );
    }
}

// --- 4. A batch that stops ---------------------------------------------------------------

fn batch(dir: &Path, requests: &str) -> (i32, Vec<Value>, String) {
    let (code, out, err) = guardc(dir, &["eval", "p.yaml", "--requests", requests]);
    let lines = out
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    (code, lines, err)
}

#[test]
fn every_request_line_gets_one_decision() {
    let dir = scratch("batch");
    let fixture = root().join("fixtures/cli/malformed-requests.jsonl");
    let (code, lines, err) = batch(&dir, fixture.to_str().unwrap());
    assert_eq!(code, 1, "malformed lines make the batch exit 1: {err}");
    assert_eq!(
        err,
        "error: 7 of 10 request line(s) were not requests and were decided deny \
         (fail-closed); their `error` field says why\n"
    );
    let summary: Vec<(String, String)> = lines
        .iter()
        .map(|l| {
            let effect = l["effect"].as_str().unwrap().to_owned();
            let why = l["error"]
                .as_str()
                .unwrap_or(l["policy_id"].as_str().unwrap_or(""));
            (effect, why.to_owned())
        })
        .collect();
    insta::assert_debug_snapshot!("batch_malformed_lines", summary);
    // Every error line is the documented fail-closed record, with `error` last.
    for line in lines.iter().filter(|l| l.get("error").is_some()) {
        let keys: Vec<&str> = line
            .as_object()
            .unwrap()
            .keys()
            .map(String::as_str)
            .collect();
        assert_eq!(
            keys,
            [
                "effect",
                "policy_id",
                "reason_code",
                "reason",
                "hitl_eligible",
                "evaluated_rules",
                "rule_index",
                "line",
                "error"
            ]
        );
        assert_eq!(line["effect"], "deny");
        assert_eq!(line["policy_id"], "synthetic:ENGINE_UNAVAILABLE");
    }
}

#[test]
fn a_line_over_the_limit_is_decided_and_the_batch_goes_on() {
    let dir = scratch("long-line");
    let limit = guardc::eval::MAX_REQUEST_LINE_BYTES;
    let mut input = Vec::with_capacity(limit + 200);
    input.extend_from_slice(br#"{"tool":"Bash","method":"ls","args":{"pad":""#);
    input.resize(limit + 1, b'x');
    input.extend_from_slice(b"\"}}\n{\"tool\":\"Bash\",\"method\":\"sudo ls\"}\n");
    std::fs::write(dir.join("long.jsonl"), &input).unwrap();
    let (code, lines, _) = batch(&dir, "long.jsonl");
    assert_eq!(code, 1);
    assert_eq!(lines.len(), 2);
    assert_eq!(
        lines[0]["error"],
        format!("line 1: longer than the limit of {limit} bytes; the request was not read")
    );
    assert_eq!(lines[1]["policy_id"], "rule-0");
    // The same on stdin, which is bounded by the same line limit.
    let mut child = Command::new(env!("CARGO_BIN_EXE_guardc"))
        .current_dir(&dir)
        .args(["eval", "p.yaml", "--requests", "-"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    let mut stdin = child.stdin.take().unwrap();
    let writer = std::thread::spawn(move || stdin.write_all(&input));
    let output = child.wait_with_output().unwrap();
    writer.join().unwrap().unwrap();
    assert_eq!(output.status.code(), Some(1));
    assert_eq!(String::from_utf8(output.stdout).unwrap().lines().count(), 2);
}

#[test]
fn a_batch_without_malformed_lines_exits_0() {
    let dir = scratch("batch-ok");
    std::fs::write(
        dir.join("ok.jsonl"),
        "{\"tool\":\"Bash\",\"method\":\"ls\"}\n\n{\"tool\":\"Bash\",\"method\":\"sudo x\"}",
    )
    .unwrap();
    let (code, lines, err) = batch(&dir, "ok.jsonl");
    assert_eq!((code, err.as_str()), (0, ""));
    let effects: Vec<&str> = lines
        .iter()
        .map(|l| l["effect"].as_str().unwrap())
        .collect();
    assert_eq!(effects, ["allow", "deny"]);
}

// --- 6. Keys and outputs -----------------------------------------------------------------

#[cfg(unix)]
fn mode(path: &Path) -> u32 {
    use std::os::unix::fs::PermissionsExt;
    std::fs::metadata(path).unwrap().permissions().mode() & 0o777
}

#[test]
fn keygen_writes_a_private_secret_and_refuses_to_overwrite_it() {
    let dir = scratch("keygen");
    let (code, out, err) = guardc(&dir, &["keygen", "-o", "k"]);
    assert_eq!(code, 0, "{err}");
    assert!(out.contains("keep it secret"), "{out}");
    assert_eq!(mode(&dir.join("k")), 0o600);
    // The public key is for everyone; the umask may narrow it, never widen it.
    assert_eq!(mode(&dir.join("k.pub")) & !0o644, 0);
    assert_ne!(mode(&dir.join("k.pub")) & 0o400, 0);
    let secret = std::fs::read(dir.join("k")).unwrap();

    let (code, _, err) = guardc(&dir, &["keygen", "-o", "k"]);
    assert_eq!(code, 2);
    assert_eq!(
        err,
        "error: refusing to overwrite k: it already exists\n  help: pass --force to replace \
         the key pair, or choose another path\n"
    );
    assert_eq!(std::fs::read(dir.join("k")).unwrap(), secret);
    // Only the public half present still refuses, and writes neither.
    std::fs::remove_file(dir.join("k")).unwrap();
    let (code, _, err) = guardc(&dir, &["keygen", "-o", "k"]);
    assert_eq!(code, 2, "{err}");
    assert!(!dir.join("k").exists());

    let (code, _, err) = guardc(&dir, &["keygen", "-o", "k", "--force"]);
    assert_eq!(code, 0, "{err}");
    assert_ne!(std::fs::read(dir.join("k")).unwrap(), secret);
    assert_eq!(mode(&dir.join("k")), 0o600);
    let (code, _, err) = guardc(
        &dir,
        &["build", "p.yaml", "-o", "p.bundle", "--sign-key", "k"],
    );
    assert_eq!(code, 0, "{err}");
    let (code, _, err) = guardc(&dir, &["inspect", "p.bundle", "--verify-key", "k.pub"]);
    assert_eq!(code, 0, "{err}");
}

#[test]
fn no_command_writes_over_its_own_input() {
    let dir = scratch("own-input");
    std::os::unix::fs::symlink("p.yaml", dir.join("link.yaml")).unwrap();
    std::fs::hard_link(dir.join("p.yaml"), dir.join("hard.yaml")).unwrap();
    let (code, _, _) = guardc(&dir, &["keygen", "-o", "k"]);
    assert_eq!(code, 0);
    for (output, input) in [
        ("p.yaml", "p.yaml"),
        ("./p.yaml", "p.yaml"),
        ("link.yaml", "p.yaml"),
        ("hard.yaml", "p.yaml"),
        ("k", "k"),
    ] {
        let (code, _, err) = guardc(&dir, &["build", "p.yaml", "-o", output, "--sign-key", "k"]);
        assert_eq!(code, 2, "{output}: {err}");
        assert_eq!(
            err,
            format!(
                "error: refusing to write {output}: it is the input {input}, which would be \
                 lost\n  help: write the output to another path\n"
            )
        );
    }
    assert_eq!(std::fs::read_to_string(dir.join("p.yaml")).unwrap(), POLICY);
    assert_eq!(std::fs::read(dir.join("k")).unwrap().len(), 65);
}

#[test]
fn a_failed_write_leaves_no_partial_bundle() {
    let dir = scratch("atomic");
    std::fs::write(dir.join("p.bundle"), "previous").unwrap();
    // A rename over a directory fails after the bundle was written to its temporary
    // file: the temporary file is removed and nothing else changes.
    std::fs::create_dir(dir.join("out.bundle")).unwrap();
    let (code, _, err) = guardc(&dir, &["build", "p.yaml", "-o", "out.bundle"]);
    assert_eq!(code, 2, "{err}");
    assert!(err.starts_with("error: cannot write out.bundle: "), "{err}");
    assert!(err.ends_with("; no bundle was written\n"), "{err}");
    let mut names: Vec<String> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    assert_eq!(names, ["out.bundle", "p.bundle", "p.yaml"]);
    // A successful build replaces the old file whole.
    let (code, _, err) = guardc(&dir, &["build", "p.yaml", "-o", "p.bundle"]);
    assert_eq!(code, 0, "{err}");
    let (code, _, err) = guardc(&dir, &["inspect", "p.bundle"]);
    assert_eq!(code, 0, "{err}");
}

// --- 8. Bundles by magic, binary files -----------------------------------------------------

/// No byte of a binary input may reach the output: no control character but the line
/// break, no replacement character standing for a byte that is not UTF-8.
fn assert_no_binary(text: &str) {
    assert!(
        !text
            .chars()
            .any(|c| (c.is_control() && c != '\n') || c == '\u{fffd}'),
        "{text:?}"
    );
}

#[test]
fn bundles_are_recognised_by_their_magic_before_their_name() {
    let dir = scratch("magic");
    let (code, _, err) = guardc(&dir, &["build", "p.yaml", "-o", "good.bundle"]);
    assert_eq!(code, 0, "{err}");
    let good = std::fs::read(dir.join("good.bundle")).unwrap();

    // An empty bundle, and a bundle whose magic was overwritten: bundle errors.
    std::fs::write(dir.join("empty.bundle"), b"").unwrap();
    let mut no_magic = good.clone();
    no_magic[..4].copy_from_slice(b"\0\xff\0\xff");
    std::fs::write(dir.join("damaged.bundle"), &no_magic).unwrap();
    for (file, what) in [
        ("empty.bundle", "it is empty"),
        (
            "damaged.bundle",
            "it does not start with the guardc bundle magic",
        ),
    ] {
        for args in [vec!["eval", file, "Bash"], vec!["inspect", file]] {
            let (code, out, err) = guardc(&dir, &args);
            assert_eq!(code, 2, "{args:?}");
            assert!(
                err.starts_with(&format!("error: {file} is not a guardc bundle: {what}")),
                "{args:?}: {err}"
            );
            assert!(!err.contains("unsupported file format"), "{err}");
            assert_no_binary(&out);
            assert_no_binary(&err);
        }
    }

    // The magic decides whatever the name: a damaged bundle named .yaml is a bundle.
    let mut corrupt = good.clone();
    let last = corrupt.len() - 1;
    corrupt[last] ^= 0x55;
    std::fs::write(dir.join("corrupt.yaml"), &corrupt).unwrap();
    let (code, _, err) = guardc(&dir, &["eval", "corrupt.yaml", "Bash"]);
    assert_eq!(code, 2);
    assert!(
        err.starts_with("error: corrupt.yaml: the bundle's checksum"),
        "{err}"
    );

    // `check` and `build` say a bundle is not a policy, without its bytes.
    std::fs::write(dir.join("policy.json"), &good).unwrap();
    let (code, out, _) = guardc(&dir, &["check", "policy.json"]);
    assert_eq!(code, 1);
    assert!(out.contains("GC0008 not-a-policy"), "{out}");
    assert!(
        out.contains("not a policy: policy.json is a compiled guardc bundle"),
        "{out}"
    );
    assert_no_binary(&out);
    let (code, _, err) = guardc(&dir, &["build", "policy.json", "-o", "again.bundle"]);
    assert_eq!(code, 2);
    assert!(
        err.contains("is a compiled guardc bundle; no bundle was written"),
        "{err}"
    );
}

#[test]
fn a_binary_file_is_not_a_policy_and_is_not_shown() {
    let dir = scratch("binary");
    let binary: Vec<u8> = (0..=255u8).cycle().take(2000).collect();
    std::fs::write(dir.join("blob.yaml"), &binary).unwrap();
    // Without NUL bytes, not UTF-8 and not named as a policy is binary too.
    let without_nul: Vec<u8> = binary.iter().copied().filter(|&b| b != 0).collect();
    std::fs::write(dir.join("blob.bin"), without_nul).unwrap();
    // Text in another encoding, named as a policy, is still the loader's (located) error.
    std::fs::write(
        dir.join("latin1.yaml"),
        b"rules:\n  - deny: 'Bash:caf\xe9'\n",
    )
    .unwrap();
    for file in ["blob.yaml", "blob.bin"] {
        let (code, out, _) = guardc(&dir, &["check", file]);
        assert_eq!(code, 1, "{file}");
        assert!(
            out.contains(&format!("not a policy: {file} is a binary file")),
            "{file}: {out}"
        );
        assert_no_binary(&out);
        let (code, out, err) = guardc(&dir, &["eval", file, "Bash"]);
        assert_eq!(code, 2);
        assert!(err.contains("is a binary file"), "{err}");
        assert_no_binary(&out);
        assert_no_binary(&err);
    }
    let (code, out, _) = guardc(&dir, &["check", "latin1.yaml"]);
    assert_eq!(code, 1);
    assert!(out.contains("GC0002 invalid-utf8"), "{out}");
}

/// A hostile file name (from a glob over a pull request) reaches the terminal escaped in
/// the new refusals too.
#[test]
fn refusals_escape_control_characters_in_paths() {
    let dir = scratch("escape");
    let name = "\u{1b}]0;owned\u{7}.bundle";
    std::fs::write(dir.join(name), b"").unwrap();
    for args in [vec!["eval", name, "Bash"], vec!["inspect", name]] {
        let (code, _, err) = guardc(&dir, &args);
        assert_eq!(code, 2);
        assert!(!err.contains('\u{1b}') && !err.contains('\u{7}'), "{err:?}");
        assert!(
            err.contains("<U+001B>]0;owned<U+0007>.bundle is not a guardc bundle"),
            "{err}"
        );
    }
    let (code, out, _) = guardc(&dir, &["check", "--format", "github", "missing\u{1b}.yaml"]);
    assert_eq!(code, 2);
    assert!(!out.contains('\u{1b}'), "{out:?}");
}
