//! The compiled bundle: what a runtime loads instead of the YAML.
//!
//! Layout (version 4; integers little-endian):
//!
//! | bytes | field |
//! |---|---|
//! | 0..8 | magic `GUARDC\0B` |
//! | 8..10 | format version (`4`) |
//! | 10..12 | flags (bit 0: signed) |
//! | 12..16 | header length (`136`) |
//! | 16..48 | compiler version, UTF-8, zero-padded |
//! | 48..80 | SHA-256 of the source document |
//! | 80..84 | rule count |
//! | 84..88 | policy section length |
//! | 88..92 | automaton section length |
//! | 92..96 | reserved, zero |
//! | 96..128 | BLAKE3 over bytes 0..96 and the body: the bundle's identity |
//! | 128..136 | XXH3-64 over bytes 0..128 and the body: the corruption check |
//! | body | the policy section (record lengths, then the rule records: gates, texts, spans; `policy_codec.rs`), then the automaton section (`automaton/serialize.rs`) |
//! | trailer | if signed: 32-byte Ed25519 public key, 64-byte signature over bytes 0..128 |
//!
//! Two hashes, because they answer two questions at two prices. Every load checks the
//! XXH3 checksum (over 10 GB/s), which covers the whole header and body, so any flipped
//! byte anywhere is detected. The BLAKE3 digest is what a signature vouches for: the
//! signature covers the header, the header holds the digest of the body, and a signed
//! bundle's digest is recomputed on load. An unsigned bundle has no authenticity to
//! check (whoever can change it can recompute any hash), so its digest is only read:
//! it names the bundle in audit records, and `guardc inspect` recomputes it. A signature
//! trailer is always verified against its embedded key and, when the caller supplies a
//! trusted key, that key must be the embedded one. Loading validates the header, the
//! checksum, the signature, the section layout, the DFAs and the shared automaton parts;
//! rule records and per-tool parts are decoded and validated on first use (`lazy.rs`,
//! where the trade-off is argued), and a record that fails then makes every decision fail
//! closed. Nothing panics on hostile bytes. The same policy and compiler give
//! byte-identical bundles: nothing depends on time, hash order or the machine.

mod codec;
mod compiled;
mod lazy;
mod policy_codec;

pub use lazy::LazyRules;

use ed25519_dalek::{Signature, Signer, SigningKey, Verifier, VerifyingKey};
use sha2::{Digest, Sha256};
use xxhash_rust::xxh3::Xxh3;

use crate::automaton::Automaton;
use crate::eval::{CompiledPolicy, Lineage};

pub const MAGIC: [u8; 8] = *b"GUARDC\0B";
pub const FORMAT_VERSION: u16 = 4;
/// Where the body starts (the header's length field holds it too).
pub const HEADER_LEN: usize = 136;
const DIGEST_AT: usize = 96;
const CHECKSUM_AT: usize = 128;
const TRAILER_LEN: usize = 32 + 64;
const FLAG_SIGNED: u16 = 1;

/// Why a bundle could not be loaded. Every variant fails closed: no policy is returned.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum BundleError {
    NotABundle,
    UnsupportedVersion(u16),
    Truncated,
    ChecksumMismatch,
    BadSignature,
    /// The bundle is signed by a key other than the trusted one.
    UntrustedSigner,
    /// A trusted key was required but the bundle is not signed.
    Unsigned,
    Corrupt(&'static str),
    Automaton(String),
}

impl std::fmt::Display for BundleError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            BundleError::NotABundle => f.write_str("not a guardc bundle (bad magic bytes)"),
            BundleError::UnsupportedVersion(v) if *v < FORMAT_VERSION => write!(
                f,
                "the bundle has format version {v}, from an older guardc (this one reads version {FORMAT_VERSION}); rebuild it from its policy with `guardc build`"
            ),
            BundleError::UnsupportedVersion(v) => write!(
                f,
                "unsupported bundle format version {v} (this guardc reads version {FORMAT_VERSION}); rebuild the bundle with this guardc or use the guardc that built it"
            ),
            BundleError::Truncated => f.write_str("the bundle is truncated"),
            BundleError::ChecksumMismatch => f.write_str(
                "the bundle's checksum does not match its contents (corrupted or modified)",
            ),
            BundleError::BadSignature => f.write_str("the bundle's signature is invalid"),
            BundleError::UntrustedSigner => {
                f.write_str("the bundle is signed by a key other than the trusted one")
            }
            BundleError::Unsigned => {
                f.write_str("the bundle is not signed, but a verify key was given")
            }
            BundleError::Corrupt(what) => write!(f, "the bundle is corrupt: {what}"),
            BundleError::Automaton(what) => write!(f, "the bundle's automaton is unusable: {what}"),
        }
    }
}

impl std::error::Error for BundleError {}

/// What a bundle's header says, for `guardc inspect`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BundleInfo {
    pub format_version: u16,
    pub compiler_version: String,
    pub source_sha256: [u8; 32],
    /// BLAKE3 of the header's first 96 bytes and the body, as stored (recomputed on load
    /// only for a signed bundle; see [`verify_bundle_hash`]).
    pub bundle_blake3: [u8; 32],
    /// XXH3-64 of the header's first 128 bytes and the body (verified on every load).
    pub checksum: u64,
    pub rule_count: u32,
    pub policy_section_bytes: usize,
    pub automaton_section_bytes: usize,
    pub total_bytes: usize,
    /// The embedded public key, if signed.
    pub signer: Option<[u8; 32]>,
}

/// Whether bytes start like a bundle (so `eval` can accept either kind of file).
pub fn is_bundle(bytes: &[u8]) -> bool {
    bytes.starts_with(&MAGIC)
}

/// Serialize a compiled policy. `source` is the document it was compiled from (hashed
/// into the header for provenance).
pub fn write_bundle(
    compiled: &CompiledPolicy,
    source: &[u8],
    signing_key: Option<&SigningKey>,
) -> Vec<u8> {
    let policy_section = policy_codec::encode(compiled.policy());
    let automaton_section = compiled.automaton().to_bytes();
    let rule_count = u32::try_from(compiled.rule_count()).unwrap_or(u32::MAX);
    assemble(
        rule_count,
        source,
        &policy_section,
        &automaton_section,
        signing_key,
    )
}

/// An unsigned bundle around arbitrary sections, with the header `write_bundle` writes
/// and both hashes computed over them, so it passes the checksum and its sections reach
/// the decoders. For tests and the `bundle_load` fuzz target: the checksum refuses
/// random bytes before any decoder runs, and hostile sections must be sealed to be
/// tested at all. Nothing about the sections is checked here; that is `read_bundle`'s job.
pub fn seal_sections(
    rule_count: u32,
    source: &[u8],
    policy_section: &[u8],
    automaton_section: &[u8],
) -> Vec<u8> {
    assemble(rule_count, source, policy_section, automaton_section, None)
}

/// Recompute an unsigned bundle's BLAKE3 digest and XXH3 checksum in place, after its
/// body (or the rule count or section lengths) was edited: what a deliberate forger
/// does, which the lazy decoders must withstand. The body hashed is the one the header's
/// section lengths describe, clamped to the bytes there are, exactly what `read_bundle`
/// checks whenever those lengths fit. The header's offsets stay in this module, so a
/// format change cannot leave the fuzz target hashing the wrong bytes again.
pub fn reseal(bytes: &mut [u8]) -> Result<(), BundleError> {
    if bytes.len() < HEADER_LEN {
        return Err(BundleError::Truncated);
    }
    let lengths = word(bytes, 84)? as usize + word(bytes, 88)? as usize;
    let body_end = HEADER_LEN.saturating_add(lengths).min(bytes.len());
    let body = bytes
        .get(HEADER_LEN..body_end)
        .ok_or(BundleError::Truncated)?;
    let prefix = bytes.get(..DIGEST_AT).ok_or(BundleError::Truncated)?;
    let digest = bundle_digest(prefix, &[body]);
    bytes
        .get_mut(DIGEST_AT..CHECKSUM_AT)
        .ok_or(BundleError::Truncated)?
        .copy_from_slice(&digest);
    let (header, body) = bytes.split_at(HEADER_LEN);
    let body = body
        .get(..body_end - HEADER_LEN)
        .ok_or(BundleError::Truncated)?;
    let prefix = header.get(..CHECKSUM_AT).ok_or(BundleError::Truncated)?;
    let checksum = bundle_checksum(prefix, &[body]);
    bytes
        .get_mut(CHECKSUM_AT..HEADER_LEN)
        .ok_or(BundleError::Truncated)?
        .copy_from_slice(&checksum.to_le_bytes());
    Ok(())
}

/// The one writer of the header layout above.
fn assemble(
    rule_count: u32,
    source: &[u8],
    policy_section: &[u8],
    automaton_section: &[u8],
    signing_key: Option<&SigningKey>,
) -> Vec<u8> {
    let mut out = Vec::with_capacity(HEADER_LEN + policy_section.len() + automaton_section.len());
    out.extend_from_slice(&MAGIC);
    out.extend_from_slice(&FORMAT_VERSION.to_le_bytes());
    let flags = if signing_key.is_some() {
        FLAG_SIGNED
    } else {
        0
    };
    out.extend_from_slice(&flags.to_le_bytes());
    out.extend_from_slice(&(HEADER_LEN as u32).to_le_bytes());
    let mut version = [0u8; 32];
    let ours = env!("CARGO_PKG_VERSION").as_bytes();
    let n = ours.len().min(32);
    version[..n].copy_from_slice(&ours[..n]);
    out.extend_from_slice(&version);
    out.extend_from_slice(&Sha256::digest(source));
    out.extend_from_slice(&rule_count.to_le_bytes());
    for len in [policy_section.len(), automaton_section.len(), 0] {
        out.extend_from_slice(&u32::try_from(len).unwrap_or(u32::MAX).to_le_bytes());
    }
    let digest = bundle_digest(&out, &[policy_section, automaton_section]);
    out.extend_from_slice(&digest);
    let checksum = bundle_checksum(&out, &[policy_section, automaton_section]);
    out.extend_from_slice(&checksum.to_le_bytes());
    out.extend_from_slice(policy_section);
    out.extend_from_slice(automaton_section);
    if let Some(key) = signing_key {
        let signature = key.sign(out.get(..CHECKSUM_AT).unwrap_or(&[]));
        out.extend_from_slice(key.verifying_key().as_bytes());
        out.extend_from_slice(&signature.to_bytes());
    }
    out
}

/// BLAKE3 over a header prefix and the body's sections.
fn bundle_digest(header: &[u8], sections: &[&[u8]]) -> [u8; 32] {
    let mut hasher = blake3::Hasher::new();
    hasher.update(header);
    for section in sections {
        hasher.update(section);
    }
    *hasher.finalize().as_bytes()
}

/// XXH3-64 over a header prefix and the body's sections.
fn bundle_checksum(header: &[u8], sections: &[&[u8]]) -> u64 {
    let mut hasher = Xxh3::new();
    hasher.update(header);
    for section in sections {
        hasher.update(section);
    }
    hasher.digest()
}

/// Recompute an (already verified) bundle's BLAKE3 digest and compare it with its
/// header's: what a signed load does, and what `guardc inspect` shows for any bundle.
pub fn verify_bundle_hash(bytes: &[u8]) -> Result<[u8; 32], BundleError> {
    let (info, body) = verify(bytes, None)?;
    check_digest(bytes, body, &info)?;
    Ok(info.bundle_blake3)
}

fn check_digest(bytes: &[u8], body: &[u8], info: &BundleInfo) -> Result<(), BundleError> {
    let prefix = bytes.get(..DIGEST_AT).ok_or(BundleError::Truncated)?;
    if bundle_digest(prefix, &[body]) != info.bundle_blake3 {
        return Err(BundleError::ChecksumMismatch);
    }
    Ok(())
}

/// Read and verify a bundle's header (no decoding of the sections).
pub fn inspect_bundle(bytes: &[u8]) -> Result<BundleInfo, BundleError> {
    verify(bytes, None).map(|(info, _)| info)
}

/// Load a bundle: verify it, then make it ready to decide without rebuilding or
/// decoding what a decision may never need. The body is copied once and kept; the DFA
/// pool and the shared automaton parts are decoded and validated now; rules and each
/// tool's automaton part are decoded on first use (`lazy.rs`, `automaton/tools.rs`).
/// With `trusted_key`, the bundle must be signed by that key.
pub fn read_bundle(
    bytes: &[u8],
    trusted_key: Option<&VerifyingKey>,
) -> Result<(CompiledPolicy, BundleInfo), BundleError> {
    let (info, body) = verify(bytes, trusted_key)?;
    let body: std::sync::Arc<[u8]> = std::sync::Arc::from(body);
    let policy_end = info.policy_section_bytes;
    if policy_end > body.len() {
        return Err(BundleError::Truncated);
    }
    let rule_count = info.rule_count as usize;
    let rules = LazyRules::new(std::sync::Arc::clone(&body), 0..policy_end, rule_count)?;
    let automaton = Automaton::from_shared(&body, policy_end..body.len(), rule_count)
        .map_err(|e| BundleError::Automaton(e.to_string()))?;
    let lineage = Lineage {
        source_sha256: Some(info.source_sha256),
        bundle_blake3: Some(info.bundle_blake3),
    };
    Ok((
        CompiledPolicy::from_parts(std::sync::Arc::new(rules), automaton, lineage),
        info,
    ))
}

fn word(bytes: &[u8], at: usize) -> Result<u32, BundleError> {
    let b = bytes.get(at..at + 4).ok_or(BundleError::Truncated)?;
    Ok(u32::from_le_bytes([b[0], b[1], b[2], b[3]]))
}

fn half(bytes: &[u8], at: usize) -> Result<u16, BundleError> {
    let b = bytes.get(at..at + 2).ok_or(BundleError::Truncated)?;
    Ok(u16::from_le_bytes([b[0], b[1]]))
}

fn array32(bytes: &[u8], at: usize) -> Result<[u8; 32], BundleError> {
    let mut out = [0u8; 32];
    out.copy_from_slice(bytes.get(at..at + 32).ok_or(BundleError::Truncated)?);
    Ok(out)
}

/// Check magic, version, lengths, checksum and signature; return the header and body.
fn verify<'a>(
    bytes: &'a [u8],
    trusted_key: Option<&VerifyingKey>,
) -> Result<(BundleInfo, &'a [u8]), BundleError> {
    if bytes.len() < MAGIC.len() || !is_bundle(bytes) {
        return Err(BundleError::NotABundle);
    }
    let version = half(bytes, 8)?;
    if version != FORMAT_VERSION {
        return Err(BundleError::UnsupportedVersion(version));
    }
    let flags = half(bytes, 10)?;
    if flags & !FLAG_SIGNED != 0 || word(bytes, 12)? as usize != HEADER_LEN {
        return Err(BundleError::Corrupt(
            "unknown header flags or header length",
        ));
    }
    let policy_len = word(bytes, 84)? as usize;
    let automaton_len = word(bytes, 88)? as usize;
    let signed = flags & FLAG_SIGNED != 0;
    let body_end = HEADER_LEN + policy_len + automaton_len;
    let expected = body_end + if signed { TRAILER_LEN } else { 0 };
    if bytes.len() < expected {
        return Err(BundleError::Truncated);
    }
    if bytes.len() > expected {
        return Err(BundleError::Corrupt("trailing bytes after the bundle"));
    }
    let header = bytes.get(..HEADER_LEN).ok_or(BundleError::Truncated)?;
    let body = bytes
        .get(HEADER_LEN..body_end)
        .ok_or(BundleError::Truncated)?;
    let checksum = u64::from_le_bytes(
        bytes
            .get(CHECKSUM_AT..HEADER_LEN)
            .and_then(|b| b.try_into().ok())
            .ok_or(BundleError::Truncated)?,
    );
    let prefix = header.get(..CHECKSUM_AT).ok_or(BundleError::Truncated)?;
    if bundle_checksum(prefix, &[body]) != checksum {
        return Err(BundleError::ChecksumMismatch);
    }
    let signer = if signed {
        // The signature covers the header; the header's digest covers the body.
        let key = verify_signature(bytes, body_end, trusted_key)?;
        let prefix = header.get(..DIGEST_AT).ok_or(BundleError::Truncated)?;
        if bundle_digest(prefix, &[body]) != array32(bytes, DIGEST_AT)? {
            return Err(BundleError::ChecksumMismatch);
        }
        Some(key)
    } else if trusted_key.is_some() {
        return Err(BundleError::Unsigned);
    } else {
        None
    };
    let version_field = header.get(16..48).unwrap_or(&[]);
    let compiler_version = String::from_utf8_lossy(version_field)
        .trim_end_matches('\0')
        .to_owned();
    let info = BundleInfo {
        format_version: version,
        compiler_version,
        source_sha256: array32(bytes, 48)?,
        bundle_blake3: array32(bytes, DIGEST_AT)?,
        checksum,
        rule_count: word(bytes, 80)?,
        policy_section_bytes: policy_len,
        automaton_section_bytes: automaton_len,
        total_bytes: bytes.len(),
        signer,
    };
    Ok((info, body))
}

fn verify_signature(
    bytes: &[u8],
    body_end: usize,
    trusted_key: Option<&VerifyingKey>,
) -> Result<[u8; 32], BundleError> {
    let key_bytes = array32(bytes, body_end)?;
    let mut signature_bytes = [0u8; 64];
    signature_bytes.copy_from_slice(
        bytes
            .get(body_end + 32..body_end + TRAILER_LEN)
            .ok_or(BundleError::Truncated)?,
    );
    let embedded = VerifyingKey::from_bytes(&key_bytes).map_err(|_| BundleError::BadSignature)?;
    let signed_bytes = bytes.get(..CHECKSUM_AT).ok_or(BundleError::Truncated)?;
    embedded
        .verify(signed_bytes, &Signature::from_bytes(&signature_bytes))
        .map_err(|_| BundleError::BadSignature)?;
    if let Some(trusted) = trusted_key {
        if trusted.as_bytes() != &key_bytes {
            return Err(BundleError::UntrustedSigner);
        }
    }
    Ok(key_bytes)
}
