//! The bundle contract (README.md, `guardc build`): deterministic bytes, the same answers as the
//! source, and fail-closed loading of truncated, corrupted, wrong-version or tampered
//! files — every single flipped byte is detected.

#![allow(
    clippy::expect_used,
    reason = "helpers outside #[test] functions build known-good inputs"
)]

use ed25519_dalek::SigningKey;
use guardc::bundle::{
    BundleError, HEADER_LEN, inspect_bundle, read_bundle, reseal, seal_sections,
    verify_bundle_hash, write_bundle,
};
use guardc::eval::{CompiledPolicy, Request};

const APPROVAL: &str = "version: '1'\nrules:\n  - deny: 'Bash:sudo *'\n    escalate_on_deny: true\n    reason: 'sudo requires admin approval'\n  - allow: 'Bash:*'\n";

fn compiled() -> CompiledPolicy {
    CompiledPolicy::from_source("approval.yaml", APPROVAL).expect("the approval example loads")
}

fn key(seed: u8) -> SigningKey {
    SigningKey::from_bytes(&[seed; 32])
}

#[test]
fn bundles_are_deterministic() {
    let a = write_bundle(&compiled(), APPROVAL.as_bytes(), None);
    let b = write_bundle(&compiled(), APPROVAL.as_bytes(), None);
    assert_eq!(a, b);
    let signed_a = write_bundle(&compiled(), APPROVAL.as_bytes(), Some(&key(7)));
    let signed_b = write_bundle(&compiled(), APPROVAL.as_bytes(), Some(&key(7)));
    assert_eq!(signed_a, signed_b);
}

#[test]
fn a_bundle_decides_like_its_source() {
    let source = compiled();
    let (loaded, info) =
        read_bundle(&write_bundle(&source, APPROVAL.as_bytes(), None), None).unwrap();
    assert_eq!(info.rule_count, 2);
    for tool in [
        "Bash:sudo apt-get install x",
        "Bash:ls -la",
        "Read:x",
        "bash:SUDO x",
        "",
    ] {
        let request = Request::tool(tool);
        assert_eq!(loaded.decide(&request), source.decide(&request), "{tool}");
    }
    let sudo = loaded.decide(&Request::tool("Bash:sudo ls"));
    assert!(sudo.hitl_eligible);
    assert_eq!(sudo.policy_id(loaded.policy()), Some("rule-0"));
}

#[test]
fn every_flipped_byte_is_detected() {
    for signing_key in [None, Some(key(3))] {
        let bundle = write_bundle(&compiled(), APPROVAL.as_bytes(), signing_key.as_ref());
        for at in 0..bundle.len() {
            for mask in [0x01u8, 0x80, 0xff] {
                let mut bad = bundle.clone();
                bad[at] ^= mask;
                assert!(
                    read_bundle(&bad, None).is_err(),
                    "flipping byte {at} with {mask:#x} went unnoticed (signed: {})",
                    signing_key.is_some()
                );
            }
        }
    }
}

#[test]
fn every_truncation_is_detected() {
    let bundle = write_bundle(&compiled(), APPROVAL.as_bytes(), Some(&key(5)));
    for len in 0..bundle.len() {
        assert!(
            read_bundle(&bundle[..len], None).is_err(),
            "truncated at {len}"
        );
    }
    let mut longer = bundle.clone();
    longer.push(0);
    assert!(read_bundle(&longer, None).is_err());
}

#[test]
fn errors_name_the_problem() {
    let bundle = write_bundle(&compiled(), APPROVAL.as_bytes(), None);
    let mut version = bundle.clone();
    version[8] = 9;
    assert_eq!(
        read_bundle(&version, None).unwrap_err(),
        BundleError::UnsupportedVersion(9)
    );
    // A bundle from an older guardc (format 2: SHA-256 checksum, copied DFAs) is refused
    // with a message that says what to do.
    // Format 3 (rule table decoded eagerly, no record lengths) likewise.
    for older in [2u16, 3] {
        let mut old = bundle.clone();
        old[8..10].copy_from_slice(&older.to_le_bytes());
        let refused = read_bundle(&old, None).unwrap_err();
        assert_eq!(refused, BundleError::UnsupportedVersion(older));
        assert!(refused.to_string().contains("rebuild it"), "{refused}");
    }
    assert_eq!(
        read_bundle(b"rules: []", None).unwrap_err(),
        BundleError::NotABundle
    );
    let mut body = bundle.clone();
    let last = body.len() - 1;
    body[last] ^= 1;
    assert_eq!(
        read_bundle(&body, None).unwrap_err(),
        BundleError::ChecksumMismatch
    );
    assert_eq!(
        read_bundle(&bundle[..100], None).unwrap_err(),
        BundleError::Truncated
    );
}

#[test]
fn signatures_are_checked_against_the_trusted_key() {
    let signed = write_bundle(&compiled(), APPROVAL.as_bytes(), Some(&key(1)));
    let trusted = key(1).verifying_key();
    let other = key(2).verifying_key();
    assert!(read_bundle(&signed, Some(&trusted)).is_ok());
    assert_eq!(
        read_bundle(&signed, Some(&other)).unwrap_err(),
        BundleError::UntrustedSigner
    );
    let unsigned = write_bundle(&compiled(), APPROVAL.as_bytes(), None);
    assert_eq!(
        read_bundle(&unsigned, Some(&trusted)).unwrap_err(),
        BundleError::Unsigned
    );
    assert_eq!(
        inspect_bundle(&signed).unwrap().signer,
        Some(*trusted.as_bytes())
    );
}

/// Audit lineage: the source hash is the document's SHA-256 whether the policy was
/// compiled from its text or read from a bundle built from it; a bundle adds its own
/// BLAKE3 digest, the one `guardc inspect` recomputes. The record carries both next to
/// the rule, while the decision itself stays `Copy`.
#[test]
fn decisions_name_the_policy_text_and_bundle() {
    use guardc::bundle::verify_bundle_hash;
    use guardc::eval::{DecisionRecord, Lineage, hex};
    use sha2::{Digest, Sha256};

    fn assert_copy<T: Copy>() {}
    assert_copy::<guardc::eval::Decision>();

    let source_sha256: [u8; 32] = Sha256::digest(APPROVAL.as_bytes()).into();
    let from_source = compiled();
    assert_eq!(
        from_source.lineage(),
        &Lineage::of_source(APPROVAL.as_bytes())
    );
    assert_eq!(from_source.lineage().source_sha256, Some(source_sha256));
    assert_eq!(from_source.lineage().bundle_blake3, None);

    let bytes = write_bundle(&from_source, APPROVAL.as_bytes(), None);
    let (from_bundle, info) = read_bundle(&bytes, None).expect("the bundle loads");
    let bundle_blake3 = verify_bundle_hash(&bytes).expect("the digest verifies");
    assert_eq!(
        from_bundle.lineage(),
        &Lineage {
            source_sha256: Some(source_sha256),
            bundle_blake3: Some(bundle_blake3),
        }
    );
    assert_eq!(info.bundle_blake3, bundle_blake3);

    let request = Request::tool("Bash:sudo ls");
    let decision = from_bundle.decide(&request);
    let record = DecisionRecord::new(&decision, from_bundle.policy(), &request)
        .with_lineage(from_bundle.lineage());
    let json = serde_json::to_value(&record).expect("a record serializes");
    assert_eq!(json["rule_index"], 0);
    assert_eq!(json["line"], 3);
    assert_eq!(json["policy_sha256"], hex(&source_sha256));
    assert_eq!(json["bundle_blake3"], hex(&bundle_blake3));
}

#[test]
fn rules_are_decoded_on_first_use_and_a_bad_record_fails_closed() {
    let source = compiled();
    let bundle = write_bundle(&source, APPROVAL.as_bytes(), None);
    let (loaded, _) = read_bundle(&bundle, None).expect("reads");
    assert!(loaded.validate().is_ok());
    assert!(!loaded.is_corrupt());
    // Header (136), section header (8), one length byte per rule: rule 0's effect tag.
    let mut forged = bundle.clone();
    forged[136 + 8 + 2] = 9;
    reseal(&mut forged).expect("long enough");
    let (loaded, _) = read_bundle(&forged, None).expect("the record is not read at load");
    // Rule 1 decides without touching rule 0... until a call needs rule 0.
    let ls = loaded.decide(&Request::tool("Bash:ls"));
    assert_eq!(ls.rule_index(), Some(1));
    let sudo = loaded.decide(&Request::tool("Bash:sudo ls"));
    assert_eq!(sudo, guardc::eval::Decision::engine_error());
    assert!(loaded.is_corrupt());
    // From then on every call fails closed, and the whole IR reads as deny-all.
    assert_eq!(
        loaded.decide(&Request::tool("Bash:ls")),
        guardc::eval::Decision::engine_error()
    );
    assert!(loaded.policy().rules.is_empty());
    let (fresh, _) = read_bundle(&forged, None).expect("reads");
    assert_eq!(
        fresh.validate().unwrap_err(),
        BundleError::Corrupt("unknown effect").to_string()
    );
}

/// The sealing functions the fuzz target reaches the decoders with: they write exactly
/// what `write_bundle` writes, and a resealed edit passes both hashes, so what remains is
/// the decoders' own checks.
#[test]
fn sealing_reproduces_write_bundle_and_a_resealed_edit_reaches_the_decoders() {
    let bundle = write_bundle(&compiled(), APPROVAL.as_bytes(), None);
    let rule_count = u32::from_le_bytes(bundle[80..84].try_into().expect("4 bytes"));
    let policy_len = u32::from_le_bytes(bundle[84..88].try_into().expect("4 bytes")) as usize;
    let (policy, automaton) = bundle[HEADER_LEN..].split_at(policy_len);
    assert_eq!(
        seal_sections(rule_count, APPROVAL.as_bytes(), policy, automaton),
        bundle
    );
    let mut same = bundle.clone();
    reseal(&mut same).expect("long enough");
    assert_eq!(same, bundle);
    assert_eq!(
        reseal(&mut bundle[..HEADER_LEN - 1].to_vec()),
        Err(BundleError::Truncated)
    );
    for at in HEADER_LEN..bundle.len() {
        let mut edited = bundle.clone();
        edited[at] ^= 0x41;
        assert_eq!(
            read_bundle(&edited, None).err(),
            Some(BundleError::ChecksumMismatch)
        );
        reseal(&mut edited).expect("long enough");
        // The digest is resealed too, so `inspect` agrees with the header.
        assert!(verify_bundle_hash(&edited).is_ok(), "byte {at}");
        let Ok((loaded, _)) = read_bundle(&edited, None) else {
            continue;
        };
        let _ = loaded.decide(&Request::tool("Bash:sudo ls"));
        let _ = loaded.validate();
        if loaded.is_corrupt() {
            assert_eq!(
                loaded.decide(&Request::tool("Bash:ls")),
                guardc::eval::Decision::engine_error(),
                "byte {at}"
            );
        }
    }
}
