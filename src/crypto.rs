//! Secrets: random tokens, their stored hashes, HMAC signatures and
//! password hashing (argon2id with OWASP's parameters).

use std::sync::OnceLock;

use argon2::password_hash::{rand_core::OsRng, PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use argon2::{Algorithm, Argon2, Params, Version};
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

fn argon2() -> Argon2<'static> {
    // OWASP: m = 19 MiB, t = 2, p = 1.
    let params = Params::new(19_456, 2, 1, None).unwrap_or_default();
    Argon2::new(Algorithm::Argon2id, Version::V0x13, params)
}

/// Hashes a password (blocking, ~tens of ms: call off the async threads).
pub fn hash_password(password: &str) -> Result<String, anyhow::Error> {
    let salt = SaltString::generate(&mut OsRng);
    argon2()
        .hash_password(password.as_bytes(), &salt)
        .map(|h| h.to_string())
        .map_err(|e| anyhow::anyhow!("hashing password: {e}"))
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
    let Ok(parsed) = PasswordHash::new(hash) else { return false };
    let ok = argon2().verify_password(password.as_bytes(), &parsed).is_ok();
    ok && real
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
}
