//! Secrets: random tokens, their stored hashes, HMAC signatures and
//! password hashing (argon2id with OWASP's parameters).

use std::sync::OnceLock;

use argon2::password_hash::{rand_core::OsRng, Output, PasswordHash};
use argon2::{Algorithm, Argon2, Block, Params, Version};
use base64::Engine;
use hmac::{Hmac, Mac};
use rand::RngCore;
use sha2::{Digest, Sha256};

/// A fresh 256-bit random token, URL-safe.
pub fn random_token() -> String {
    let mut bytes = [0u8; 32];
    rand::rngs::OsRng.fill_bytes(&mut bytes);
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(bytes)
}

/// How tokens are stored: a leaked table does not hand out sessions.
/// (Tokens carry 256 bits, so a fast hash is enough; passwords use argon2.)
pub fn token_hash(token: &str) -> String {
    hex::encode(Sha256::digest(token.as_bytes()))
}

/// HMAC-SHA256 of `message` under `key`, URL-safe base64.
pub fn sign(key: &[u8], message: &str) -> String {
    let mut mac = match Hmac::<Sha256>::new_from_slice(key) {
        Ok(mac) => mac,
        Err(_) => return String::new(), // HMAC accepts keys of any length
    };
    mac.update(message.as_bytes());
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(mac.finalize().into_bytes())
}

/// Constant-time check of a signature made by [`sign`].
pub fn verify(key: &[u8], message: &str, signature: &str) -> bool {
    let Ok(sig) = base64::engine::general_purpose::URL_SAFE_NO_PAD.decode(signature) else { return false };
    let Ok(mut mac) = Hmac::<Sha256>::new_from_slice(key) else { return false };
    mac.update(message.as_bytes());
    mac.verify_slice(&sig).is_ok()
}

/// A purpose-bound key derived from the server's secret key, so one
/// secret serves signing and sealing without the uses meeting.
pub fn derive_key(secret: &[u8], purpose: &str) -> [u8; 32] {
    let mut mac = match Hmac::<Sha256>::new_from_slice(secret) {
        Ok(mac) => mac,
        Err(_) => return [0u8; 32], // HMAC accepts keys of any length
    };
    mac.update(b"velkomst key derivation|");
    mac.update(purpose.as_bytes());
    mac.finalize().into_bytes().into()
}

/// A keyed hash (HMAC-SHA256, hex) of `message` under a key derived for
/// `purpose`: for low-entropy secrets (recovery codes) that a leaked table
/// alone must not let anyone test offline.
pub fn keyed_hash(secret: &[u8], purpose: &str, message: &str) -> String {
    let key = derive_key(secret, purpose);
    let mut mac = match Hmac::<Sha256>::new_from_slice(&key) {
        Ok(mac) => mac,
        Err(_) => return String::new(),
    };
    mac.update(message.as_bytes());
    hex::encode(mac.finalize().into_bytes())
}

/// Encrypts `plain` for storage (XChaCha20-Poly1305 under a key derived
/// from the server's secret for `purpose`, a random nonce, `bound_to` as
/// associated data so a sealed value cannot be moved to another row):
/// `v1.` + base64url(nonce ‖ ciphertext).
pub fn seal(secret: &[u8], purpose: &str, bound_to: &str, plain: &[u8]) -> Result<String, anyhow::Error> {
    use chacha20poly1305::aead::{Aead, AeadCore, KeyInit, Payload};
    use chacha20poly1305::XChaCha20Poly1305;
    let cipher = XChaCha20Poly1305::new(&derive_key(secret, purpose).into());
    let nonce = XChaCha20Poly1305::generate_nonce(&mut chacha20poly1305::aead::OsRng);
    let ct = cipher
        .encrypt(&nonce, Payload { msg: plain, aad: bound_to.as_bytes() })
        .map_err(|_| anyhow::anyhow!("sealing failed"))?;
    let mut out = nonce.to_vec();
    out.extend_from_slice(&ct);
    Ok(format!("v1.{}", base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(out)))
}

/// Opens what [`seal`] made; `None` when the key, purpose or row differ or
/// the value was tampered with.
pub fn open(secret: &[u8], purpose: &str, bound_to: &str, sealed: &str) -> Option<Vec<u8>> {
    use chacha20poly1305::aead::{Aead, KeyInit, Payload};
    use chacha20poly1305::{XChaCha20Poly1305, XNonce};
    let raw = base64::engine::general_purpose::URL_SAFE_NO_PAD.decode(sealed.strip_prefix("v1.")?).ok()?;
    if raw.len() < 24 {
        return None;
    }
    let (nonce, ct) = raw.split_at(24);
    let cipher = XChaCha20Poly1305::new(&derive_key(secret, purpose).into());
    cipher.decrypt(XNonce::from_slice(nonce), Payload { msg: ct, aad: bound_to.as_bytes() }).ok()
}

fn argon2() -> Argon2<'static> {
    // OWASP: m = 19 MiB, t = 2, p = 1.
    let params = Params::new(19_456, 2, 1, None).unwrap_or_default();
    Argon2::new(Algorithm::Argon2id, Version::V0x13, params)
}

thread_local! {
    /// argon2's working memory (19 MiB), kept by each thread that hashes
    /// and reused: allocating and freeing it per hash leaves the allocator
    /// holding several times as much per thread (measured: ~125 MiB).
    static BLOCKS: std::cell::RefCell<Vec<Block>> = const { std::cell::RefCell::new(Vec::new()) };
}

fn raw_hash(a: &Argon2<'_>, password: &[u8], salt: &[u8], out: &mut [u8]) -> Result<(), argon2::Error> {
    BLOCKS.with(|blocks| {
        let mut blocks = blocks.borrow_mut();
        let n = a.params().block_count();
        if blocks.len() < n {
            blocks.resize(n, Block::default());
        }
        a.hash_password_into_with_memory(password, salt, out, &mut blocks[..n])
    })
}

/// Hashes a password (blocking, ~tens of ms: call off the async threads)
/// into a PHC string, `$argon2id$v=19$m=19456,t=2,p=1$SALT$HASH`.
pub fn hash_password(password: &str) -> Result<String, anyhow::Error> {
    let a = argon2();
    let mut salt = [0u8; 16];
    OsRng.fill_bytes(&mut salt);
    let mut out = [0u8; 32];
    raw_hash(&a, password.as_bytes(), &salt, &mut out).map_err(|e| anyhow::anyhow!("hashing password: {e}"))?;
    let p = a.params();
    let b64 = base64::engine::general_purpose::STANDARD_NO_PAD;
    Ok(format!(
        "$argon2id$v=19$m={},t={},p={}${}${}",
        p.m_cost(),
        p.t_cost(),
        p.p_cost(),
        b64.encode(salt),
        b64.encode(out)
    ))
}

/// Checks a password against a PHC string with the thread's reused memory.
fn verify_phc(password: &str, stored: &str) -> bool {
    let Ok(parsed) = PasswordHash::new(stored) else { return false };
    let (Ok(alg), Ok(params)) = (Algorithm::try_from(parsed.algorithm), Params::try_from(&parsed)) else {
        return false;
    };
    let version = match parsed.version.map(Version::try_from) {
        None => Version::V0x13,
        Some(Ok(v)) => v,
        Some(Err(_)) => return false,
    };
    let (Some(salt), Some(expected)) = (parsed.salt, parsed.hash) else { return false };
    let mut salt_buf = [0u8; 64];
    let Ok(salt) = salt.decode_b64(&mut salt_buf) else { return false };
    let mut out = vec![0u8; expected.len()];
    if raw_hash(&Argon2::new(alg, version, params), password.as_bytes(), salt, &mut out).is_err() {
        return false;
    }
    // Output's equality is constant-time.
    Output::new(&out).is_ok_and(|o| o == expected)
}

/// Verifies a password against a stored hash; with no hash (unknown email,
/// or no password set) it verifies against a dummy so the time taken
/// reveals nothing about which accounts exist.
pub fn verify_password(password: &str, stored: Option<&str>) -> bool {
    static DUMMY: OnceLock<String> = OnceLock::new();
    let dummy = DUMMY.get_or_init(|| hash_password("velkomst dummy password").unwrap_or_default());
    let (hash, real) = match stored {
        Some(h) => (h, true),
        None => (dummy.as_str(), false),
    };
    verify_phc(password, hash) && real
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn passwords_verify_and_dummy_never_does() {
        let h = hash_password("korrekt hest batteri hæfteklamme").expect("hash");
        assert!(h.starts_with("$argon2id$v=19$m=19456,t=2,p=1$"));
        assert!(verify_password("korrekt hest batteri hæfteklamme", Some(&h)));
        assert!(!verify_password("wrong", Some(&h)));
        assert!(!verify_password("velkomst dummy password", None));
        // The standard verifier agrees with ours, both ways.
        use argon2::password_hash::{PasswordHasher, PasswordVerifier, SaltString};
        let parsed = PasswordHash::new(&h).expect("PHC string");
        assert!(argon2().verify_password("korrekt hest batteri hæfteklamme".as_bytes(), &parsed).is_ok());
        let theirs = argon2()
            .hash_password(b"another long passphrase", &SaltString::generate(&mut OsRng))
            .expect("hash")
            .to_string();
        assert!(verify_password("another long passphrase", Some(&theirs)));
        assert!(!verify_password("another long passphrase!", Some(&theirs)));
        assert!(!verify_password("x", Some("not a hash")));
    }

    #[test]
    fn signatures() {
        let key = [7u8; 64];
        let s = sign(&key, "abc");
        assert!(verify(&key, "abc", &s));
        assert!(!verify(&key, "abd", &s));
        assert!(!verify(&key, "abc", "not base64 !"));
        assert_ne!(random_token(), random_token());
        assert_eq!(token_hash("x").len(), 64);
    }

    #[test]
    fn sealed_values_open_only_with_the_same_key_purpose_and_row() {
        let key = [7u8; 64];
        let sealed = seal(&key, "mfa", "user-1", b"JBSWY3DPEHPK3PXP").expect("seal");
        assert!(sealed.starts_with("v1.") && !sealed.contains("JBSWY3DP"));
        assert_ne!(sealed, seal(&key, "mfa", "user-1", b"JBSWY3DPEHPK3PXP").expect("seal"), "fresh nonce");
        assert_eq!(open(&key, "mfa", "user-1", &sealed).as_deref(), Some(&b"JBSWY3DPEHPK3PXP"[..]));
        assert_eq!(open(&key, "mfa", "user-2", &sealed), None, "bound to its row");
        assert_eq!(open(&key, "other", "user-1", &sealed), None);
        assert_eq!(open(&[8u8; 64], "mfa", "user-1", &sealed), None);
        let mut tampered = sealed.clone();
        tampered.pop();
        assert_eq!(open(&key, "mfa", "user-1", &tampered), None);
        assert_ne!(keyed_hash(&key, "a", "x"), keyed_hash(&key, "b", "x"));
        assert_eq!(keyed_hash(&key, "a", "x").len(), 64);
    }
}
