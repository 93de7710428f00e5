//! Ed25519 key files for signing and verifying bundles: 32 bytes, raw or as 64 hex
//! characters (`guardc keygen` writes hex).

use super::files::{InputKind, read_input};
use super::output::{errln, outln};
use super::write::{Mode, refuse_existing, write_atomically};
use std::path::Path;

use ed25519_dalek::{SigningKey, VerifyingKey};

fn read_key_bytes(path: &Path, what: &str) -> Result<[u8; 32], String> {
    let bytes = read_input(path, InputKind::Key).map_err(|failure| failure.full_text())?;
    if let Ok(raw) = <[u8; 32]>::try_from(bytes.as_slice()) {
        return Ok(raw);
    }
    let text = String::from_utf8_lossy(&bytes);
    let hex = text.trim();
    let decoded: Option<Vec<u8>> = (hex.len() == 64)
        .then(|| {
            (0..32)
                .map(|i| {
                    hex.get(2 * i..2 * i + 2)
                        .and_then(|h| u8::from_str_radix(h, 16).ok())
                })
                .collect()
        })
        .flatten();
    decoded
        .and_then(|d| <[u8; 32]>::try_from(d.as_slice()).ok())
        .ok_or_else(|| {
            format!(
                "{what} {} must hold 32 bytes, raw or as 64 hex characters",
                path.display()
            )
        })
}

pub fn signing_key(path: &Path) -> Result<SigningKey, String> {
    read_key_bytes(path, "signing key").map(|seed| SigningKey::from_bytes(&seed))
}

pub fn verifying_key(path: &Path) -> Result<VerifyingKey, String> {
    let bytes = read_key_bytes(path, "verify key")?;
    VerifyingKey::from_bytes(&bytes)
        .map_err(|_| format!("{} is not an Ed25519 public key", path.display()))
}

pub fn hex(bytes: &[u8]) -> String {
    crate::eval::hex(bytes)
}

/// A fresh signing key from the operating system's randomness.
pub fn generate() -> Result<SigningKey, String> {
    let mut seed = [0u8; 32];
    let mut urandom = std::fs::File::open("/dev/urandom")
        .map_err(|e| format!("cannot read /dev/urandom: {e}"))?;
    std::io::Read::read_exact(&mut urandom, &mut seed)
        .map_err(|e| format!("cannot read /dev/urandom: {e}"))?;
    Ok(SigningKey::from_bytes(&seed))
}

/// `guardc keygen`: write a new signing key and its public key.
#[derive(Debug, clap::Args)]
pub struct KeygenArgs {
    /// Where to write the signing key (hex, readable by its owner only); the public key
    /// goes to the same path with `.pub` appended.
    #[arg(short, long)]
    pub output: std::path::PathBuf,
    /// Replace existing key files (the old signing key is lost).
    #[arg(long)]
    pub force: bool,
}

pub fn run_keygen(args: KeygenArgs) -> u8 {
    let public_path = {
        let mut p = args.output.clone().into_os_string();
        p.push(".pub");
        std::path::PathBuf::from(p)
    };
    // Both paths are checked before either is written: a refused run changes nothing.
    if !args.force {
        if let Err(message) = refuse_existing(&[&args.output, &public_path], "key pair") {
            errln!("error: {message}");
            return super::EXIT_FAILURE;
        }
    }
    let key = match generate() {
        Ok(key) => key,
        Err(message) => {
            errln!("error: {message}");
            return super::EXIT_FAILURE;
        }
    };
    let secret = format!("{}\n", hex(key.as_bytes()));
    let public = format!("{}\n", hex(key.verifying_key().as_bytes()));
    let written = write_atomically(&args.output, secret.as_bytes(), Mode::Secret)
        .and_then(|()| write_atomically(&public_path, public.as_bytes(), Mode::Public));
    if let Err(message) = written {
        errln!("error: {message}");
        return super::EXIT_FAILURE;
    }
    outln!(
        "wrote signing key {} (keep it secret; readable by you only) and public key {}",
        args.output.display(),
        public_path.display()
    );
    super::EXIT_OK
}
