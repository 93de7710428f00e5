//! Reading the files the command line is given, within bounds.
//!
//! Every path a command reads (policy, bundle, `guardc.toml`, `--requests`, key files)
//! goes through [`read_input`] or [`open_regular`], so one place decides what the
//! shell will read: regular files only (a symlink is followed, and a symlink to a
//! regular file is fine), and never more than the kind's limit plus one byte. A path to
//! `/dev/zero`, a FIFO or a directory is refused by its metadata before it is opened, so
//! opening never blocks and reading never grows without bound.
//!
//! The metadata is read before opening and checked again on the open file. Between the
//! two, another process that controls the directory could swap the path for a FIFO and
//! make `open` wait for a writer; guardc does not defend against an attacker racing it
//! on its own input paths, but the second check guarantees that whatever was opened is
//! read only if it is a regular file.

use std::fs::{File, Metadata};
use std::io::Read;
use std::path::{Path, PathBuf};

use super::output::errln;
use crate::bundle::{MAGIC, is_bundle};
use crate::diagnostics::Diagnostic;
use crate::diagnostics::codes::syntax::{LIMIT_EXCEEDED, UNREADABLE_FILE};
use crate::source::Span;
use crate::syntax::Limits;

/// What a file is read as; each kind has its own size limit.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum InputKind {
    /// A policy document (`check`, `build`): the loader's document limit.
    Policy,
    /// A compiled bundle (`inspect`).
    Bundle,
    /// `eval`'s input: a bundle if it starts with the bundle magic, else a policy; the
    /// limit follows from the first bytes.
    PolicyOrBundle,
    /// `guardc.toml`.
    Config,
    /// An Ed25519 key file (32 raw bytes or 64 hex characters).
    Key,
}

/// Largest bundle read: the bundle of a 10,000-rule policy is about 18 MB, so this
/// leaves room for policies far larger than any real one while bounding memory.
pub const MAX_BUNDLE_BYTES: usize = 1 << 30;
/// Largest `guardc.toml`: a level per code is a few KiB.
pub const MAX_CONFIG_BYTES: usize = 1 << 20;
/// Largest key file: 64 hex characters and a newline, with room for whitespace.
pub const MAX_KEY_BYTES: usize = 4096;

impl InputKind {
    /// The size limit for a file of this kind whose first bytes are `prefix`.
    fn limit(self, prefix: &[u8]) -> usize {
        match self {
            InputKind::Policy => Limits::DEFAULT.max_document_bytes,
            InputKind::Bundle => MAX_BUNDLE_BYTES,
            InputKind::PolicyOrBundle if is_bundle(prefix) => MAX_BUNDLE_BYTES,
            InputKind::PolicyOrBundle => Limits::DEFAULT.max_document_bytes,
            InputKind::Config => MAX_CONFIG_BYTES,
            InputKind::Key => MAX_KEY_BYTES,
        }
    }

    /// What a file of this kind is called in messages.
    fn noun(self) -> &'static str {
        match self {
            InputKind::Policy | InputKind::PolicyOrBundle => "policy",
            InputKind::Bundle => "bundle",
            InputKind::Config => "configuration file",
            InputKind::Key => "key file",
        }
    }
}

/// Why a file was not read.
#[derive(Debug)]
pub struct ReadFailure {
    pub path: PathBuf,
    pub problem: ReadProblem,
}

#[derive(Debug)]
pub enum ReadProblem {
    /// The operating system refused (missing, permission denied, ...).
    Io(std::io::Error),
    /// The path names something other than a regular file: "a directory", "a FIFO"...
    NotRegular(&'static str),
    /// The file is larger than the limit for its kind.
    TooLarge { limit: usize, kind: InputKind },
}

impl ReadFailure {
    /// One line: what went wrong, with the path.
    pub fn message(&self) -> String {
        let path = self.path.display();
        match &self.problem {
            ReadProblem::Io(err) => format!("cannot read {path}: {}", describe_io(err)),
            ReadProblem::NotRegular(what) => {
                format!("cannot read {path}: it is {what}, not a regular file")
            }
            ReadProblem::TooLarge { limit, kind } => format!(
                "cannot read {path}: the {} is larger than the limit of {limit} bytes ({})",
                kind.noun(),
                human_size(*limit)
            ),
        }
    }

    /// What to do about it.
    pub fn help(&self) -> &'static str {
        match &self.problem {
            ReadProblem::Io(err) if err.kind() == std::io::ErrorKind::NotFound => {
                "check the path: no file exists there"
            }
            ReadProblem::Io(_) => "check that the file exists and is readable by this user",
            ReadProblem::NotRegular(_) => {
                "guardc reads regular files only (a symlink to one is fine): copy the content \
                 into a file and pass its path"
            }
            ReadProblem::TooLarge {
                kind: InputKind::Policy | InputKind::PolicyOrBundle,
                ..
            } => "split the policy into smaller files; real policies are far below the limit",
            ReadProblem::TooLarge { .. } => {
                "check the path: a file this large is not one guardc wrote"
            }
        }
    }

    /// The failure as a diagnostic for `check`'s reports (GC0006 when too large, else
    /// GC0007), so every output format names the file.
    pub fn diagnostic(&self) -> Diagnostic {
        let code = match self.problem {
            ReadProblem::TooLarge { .. } => &LIMIT_EXCEEDED,
            _ => &UNREADABLE_FILE,
        };
        Diagnostic::new(code, Span::point(0), self.message())
            .with_label("this file was not read")
            .with_help(self.help())
    }

    /// The message and, on a second line, the help (after an `error: ` prefix).
    pub fn full_text(&self) -> String {
        format!("{}\n  help: {}", self.message(), self.help())
    }

    /// The failure as `error: ...` and `help: ...` lines, for commands that stop on it.
    pub fn eprint(&self) {
        errln!("error: {}", self.full_text());
    }
}

/// An operating-system error in the words of the diagnostics (lowercase, no error
/// number) where the kind is a common one; the system's own text otherwise.
fn describe_io(err: &std::io::Error) -> String {
    match err.kind() {
        std::io::ErrorKind::NotFound => "no such file or directory".to_owned(),
        std::io::ErrorKind::PermissionDenied => "permission denied".to_owned(),
        _ => err.to_string(),
    }
}

/// 64 MiB, 1 GiB, 4 KiB: limits are powers of two.
fn human_size(bytes: usize) -> String {
    const UNITS: [(usize, &str); 3] = [(1 << 30, "GiB"), (1 << 20, "MiB"), (1 << 10, "KiB")];
    UNITS
        .iter()
        .find(|(unit, _)| bytes >= *unit && bytes % unit == 0)
        .map_or_else(
            || format!("{bytes} bytes"),
            |(unit, name)| format!("{} {name}", bytes / unit),
        )
}

/// Read a whole file of `kind`: a regular file, at most its limit.
pub fn read_input(path: &Path, kind: InputKind) -> Result<Vec<u8>, ReadFailure> {
    let failure = |problem| ReadFailure {
        path: path.to_path_buf(),
        problem,
    };
    let file = open_regular(path)?;
    let size_hint = file.metadata().map_or(0, |m| m.len());
    let mut prefix = Vec::with_capacity(MAGIC.len());
    let mut reader = file;
    (&mut reader)
        .take(MAGIC.len() as u64)
        .read_to_end(&mut prefix)
        .map_err(|e| failure(ReadProblem::Io(e)))?;
    let limit = kind.limit(&prefix);
    let capacity = usize::try_from(size_hint).unwrap_or(limit).min(limit) + 1;
    let mut bytes = Vec::with_capacity(capacity);
    bytes.extend_from_slice(&prefix);
    // One byte past the limit tells "exactly at the limit" from "over it" without
    // reading the rest of an oversized file.
    let remaining = (limit + 1).saturating_sub(prefix.len()) as u64;
    reader
        .take(remaining)
        .read_to_end(&mut bytes)
        .map_err(|e| failure(ReadProblem::Io(e)))?;
    if bytes.len() > limit {
        return Err(failure(ReadProblem::TooLarge { limit, kind }));
    }
    Ok(bytes)
}

/// Open a regular file for reading (`--requests` streams it line by line).
pub fn open_regular(path: &Path) -> Result<File, ReadFailure> {
    let failure = |problem| ReadFailure {
        path: path.to_path_buf(),
        problem,
    };
    let metadata = std::fs::metadata(path).map_err(|e| failure(ReadProblem::Io(e)))?;
    if let Some(what) = not_regular(&metadata) {
        return Err(failure(ReadProblem::NotRegular(what)));
    }
    let file = File::open(path).map_err(|e| failure(ReadProblem::Io(e)))?;
    let opened = file.metadata().map_err(|e| failure(ReadProblem::Io(e)))?;
    match not_regular(&opened) {
        Some(what) => Err(failure(ReadProblem::NotRegular(what))),
        None => Ok(file),
    }
}

/// What a non-regular file is, in words; `None` for a regular file.
fn not_regular(metadata: &Metadata) -> Option<&'static str> {
    let kind = metadata.file_type();
    if kind.is_file() {
        return None;
    }
    if kind.is_dir() {
        return Some("a directory");
    }
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt;
        if kind.is_fifo() {
            return Some("a FIFO (named pipe)");
        }
        if kind.is_char_device() {
            return Some("a character device");
        }
        if kind.is_block_device() {
            return Some("a block device");
        }
        if kind.is_socket() {
            return Some("a socket");
        }
    }
    Some("a special file")
}

#[cfg(test)]
mod tests {
    use super::human_size;

    #[test]
    fn sizes_are_named_in_their_unit() {
        assert_eq!(human_size(64 << 20), "64 MiB");
        assert_eq!(human_size(1 << 30), "1 GiB");
        assert_eq!(human_size(4096), "4 KiB");
        assert_eq!(human_size(1000), "1000 bytes");
    }
}
