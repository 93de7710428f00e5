//! Writing the files commands produce (bundles, key pairs): atomically, with the
//! permissions the content needs, never over one of the command's own inputs.
//!
//! Each output is written to a temporary file in the destination's directory (so the
//! final rename stays on one filesystem and is atomic), synced, then renamed over the
//! destination: a failed or interrupted build leaves the previous file, or none, never a
//! half-written one. The temporary file is created with its final mode, so a secret key
//! is never readable by others, not even for the moment between a write and a chmod.
//!
//! The checks that an output does not exist (without `--force`) and is not an input are
//! made before writing; a process that creates the path in between is not defended
//! against, as guardc does not race other writers of its own output paths.

use std::fs::{File, OpenOptions};
use std::io::Write;
use std::path::{Path, PathBuf};

/// Permissions of a written file (on Unix; elsewhere the platform default).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    /// Readable by its owner only: secret keys.
    Secret,
    /// Readable by everyone (subject to the umask): bundles, public keys.
    Public,
}

impl Mode {
    #[cfg(unix)]
    fn bits(self) -> u32 {
        match self {
            Mode::Secret => 0o600,
            Mode::Public => 0o644,
        }
    }
}

/// Refuse an output that is one of the inputs (the same file, by identity: a hard link
/// or symlink to the input is the input too).
pub fn refuse_overwriting_input(output: &Path, inputs: &[&Path]) -> Result<(), String> {
    match inputs.iter().find(|input| same_file(output, input)) {
        Some(input) => Err(format!(
            "refusing to write {}: it is the input {}, which would be lost\n  help: write \
             the output to another path",
            output.display(),
            input.display()
        )),
        None => Ok(()),
    }
}

/// Refuse an output path where something already exists (without `--force`).
pub fn refuse_existing(outputs: &[&Path], what: &str) -> Result<(), String> {
    match outputs
        .iter()
        .find(|path| std::fs::symlink_metadata(path).is_ok())
    {
        Some(path) => Err(format!(
            "refusing to overwrite {}: it already exists\n  help: pass --force to replace \
             the {what}, or choose another path",
            path.display()
        )),
        None => Ok(()),
    }
}

/// Whether two paths name the same existing file.
fn same_file(a: &Path, b: &Path) -> bool {
    let (Ok(meta_a), Ok(meta_b)) = (std::fs::metadata(a), std::fs::metadata(b)) else {
        return false;
    };
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt;
        meta_a.dev() == meta_b.dev() && meta_a.ino() == meta_b.ino()
    }
    #[cfg(not(unix))]
    {
        let _ = (meta_a, meta_b);
        match (a.canonicalize(), b.canonicalize()) {
            (Ok(a), Ok(b)) => a == b,
            _ => false,
        }
    }
}

/// Write `bytes` to `path` atomically with `mode`, replacing what is there.
pub fn write_atomically(path: &Path, bytes: &[u8], mode: Mode) -> Result<(), String> {
    let fail = |err: std::io::Error| format!("cannot write {}: {err}", path.display());
    let (temp_path, mut file) = create_temp(path, mode).map_err(fail)?;
    let written = file
        .write_all(bytes)
        .and_then(|()| file.sync_all())
        .and_then(|()| std::fs::rename(&temp_path, path));
    if let Err(err) = written {
        // Best effort: the temporary file is ours and holds nothing of value.
        let _ = std::fs::remove_file(&temp_path);
        return Err(fail(err));
    }
    Ok(())
}

/// A new file beside `path`, named after it, created with its final mode.
fn create_temp(path: &Path, mode: Mode) -> std::io::Result<(PathBuf, File)> {
    let dir = path
        .parent()
        .filter(|d| !d.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    let name = path
        .file_name()
        .map_or_else(|| "output".into(), |n| n.to_string_lossy().into_owned());
    let mut last_error = None;
    // `create_new` never reuses a file left by another run; a few numbered tries get past
    // a stale one.
    for attempt in 0..16 {
        let temp = dir.join(format!(".{name}.{}-{attempt}.tmp", std::process::id()));
        let mut options = OpenOptions::new();
        options.write(true).create_new(true);
        #[cfg(unix)]
        {
            use std::os::unix::fs::OpenOptionsExt;
            options.mode(mode.bits());
        }
        #[cfg(not(unix))]
        let _ = mode;
        match options.open(&temp) {
            Ok(file) => return Ok((temp, file)),
            Err(err) if err.kind() == std::io::ErrorKind::AlreadyExists => last_error = Some(err),
            Err(err) => return Err(err),
        }
    }
    Err(last_error.unwrap_or_else(|| std::io::Error::other("no temporary file name was free")))
}
