//! Time-based one-time passwords (RFC 6238 over RFC 4226): HMAC-SHA-1,
//! six digits, 30-second steps, one step of clock drift either way; and the
//! one-time recovery codes that stand in for a lost phone.

use hmac::{Hmac, Mac};
use rand::RngCore;
use sha1::Sha1;

/// Seconds per step.
pub const PERIOD: u64 = 30;
/// Steps of drift accepted either side of now.
pub const DRIFT: i64 = 1;
/// Recovery codes made at enrolment.
pub const RECOVERY_CODES: usize = 10;

/// A fresh 160-bit secret (RFC 4226's recommended length), base32 without
/// padding, as authenticator apps take it.
pub fn new_secret() -> String {
    let mut bytes = [0u8; 20];
    rand::rngs::OsRng.fill_bytes(&mut bytes);
    data_encoding::BASE32_NOPAD.encode(&bytes)
}

/// The secret as shown for typing by hand: groups of four.
pub fn grouped(secret: &str) -> String {
    secret.as_bytes().chunks(4).map(|c| String::from_utf8_lossy(c).into_owned()).collect::<Vec<_>>().join(" ")
}

fn decode(secret: &str) -> Option<Vec<u8>> {
    let clean: String = secret.chars().filter(|c| !c.is_whitespace()).collect::<String>().to_ascii_uppercase();
    data_encoding::BASE32_NOPAD.decode(clean.trim_end_matches('=').as_bytes()).ok()
}

/// The step a Unix time falls in.
pub fn step_at(unix_seconds: i64) -> i64 {
    unix_seconds.div_euclid(PERIOD as i64)
}

/// The HOTP value of `key` at counter `step`, `digits` long.
fn hotp(key: &[u8], step: i64, digits: u32) -> Option<String> {
    let mut mac = Hmac::<Sha1>::new_from_slice(key).ok()?;
    mac.update(&step.to_be_bytes());
    let h = mac.finalize().into_bytes();
    let offset = usize::from(h[h.len() - 1] & 0x0f);
    let bin = u32::from_be_bytes([h[offset] & 0x7f, h[offset + 1], h[offset + 2], h[offset + 3]]);
    Some(format!("{:0width$}", bin % 10u32.pow(digits), width = digits as usize))
}

/// The six-digit code of `secret` (base32) at `step`.
pub fn code(secret: &str, step: i64) -> Option<String> {
    hotp(&decode(secret)?, step, 6)
}

/// Checks `input` against the codes of the steps around `now_step`; a step
/// at or before `last_step` (a code already used) never counts again.
/// Returns the step the code belongs to, which the caller must record.
pub fn verify(secret: &str, input: &str, now_step: i64, last_step: Option<i64>) -> Option<i64> {
    let input: String = input.chars().filter(|c| !c.is_whitespace()).collect();
    if input.len() != 6 || !input.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let key = decode(secret)?;
    let mut found = None;
    for step in (now_step - DRIFT)..=(now_step + DRIFT) {
        if last_step.is_some_and(|last| step <= last) {
            continue;
        }
        // Compare every candidate (no early exit on the secret-derived value).
        if hotp(&key, step, 6).is_some_and(|c| constant_eq(c.as_bytes(), input.as_bytes())) && found.is_none() {
            found = Some(step);
        }
    }
    found
}

fn constant_eq(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

/// The `otpauth://` URI authenticator apps read from the QR code.
pub fn uri(issuer: &str, account: &str, secret: &str) -> String {
    let enc = |s: &str| form_urlencoded::byte_serialize(s.as_bytes()).collect::<String>().replace('+', "%20");
    format!(
        "otpauth://totp/{}:{}?secret={secret}&issuer={}&algorithm=SHA1&digits=6&period={PERIOD}",
        enc(issuer),
        enc(account),
        enc(issuer)
    )
}

/// The URI as a QR code, an SVG element to put inline in a page (no XML
/// declaration; only paths and rectangles, so the CSP allows it).
pub fn qr_svg(uri: &str) -> Option<String> {
    let qr = qrcode::QrCode::new(uri.as_bytes()).ok()?;
    let svg = qr
        .render::<qrcode::render::svg::Color<'_>>()
        .min_dimensions(220, 220)
        .dark_color(qrcode::render::svg::Color("#000000"))
        .light_color(qrcode::render::svg::Color("#ffffff"))
        .build();
    let start = svg.find("<svg")?;
    Some(svg[start..].replacen("<svg", "<svg role=\"img\" aria-hidden=\"true\" focusable=\"false\"", 1))
}

/// Ten fresh recovery codes, 50 random bits each, shown as `abcde-fghij`.
pub fn new_recovery_codes() -> Vec<String> {
    (0..RECOVERY_CODES)
        .map(|_| {
            let mut bytes = [0u8; 7];
            rand::rngs::OsRng.fill_bytes(&mut bytes);
            let s = data_encoding::BASE32_NOPAD.encode(&bytes).to_ascii_lowercase();
            format!("{}-{}", &s[..5], &s[5..10])
        })
        .collect()
}

/// A recovery code as typed, reduced to what is compared: lower case,
/// without the dash and spaces; `None` if it cannot be one.
pub fn normalise_recovery_code(input: &str) -> Option<String> {
    let s: String = input.chars().filter(|c| !c.is_whitespace() && *c != '-').map(|c| c.to_ascii_lowercase()).collect();
    (s.len() == 10 && s.bytes().all(|b| b.is_ascii_lowercase() || (b'2'..=b'7').contains(&b))).then_some(s)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// RFC 6238 appendix B, SHA-1 (8 digits there; the last six here).
    #[test]
    fn rfc_6238_test_vectors() {
        let secret = data_encoding::BASE32_NOPAD.encode(b"12345678901234567890");
        for (t, expected) in [
            (59, "94287082"),
            (1_111_111_109, "07081804"),
            (1_111_111_111, "14050471"),
            (1_234_567_890, "89005924"),
            (2_000_000_000, "69279037"),
            (20_000_000_000, "65353130"),
        ] {
            let key = decode(&secret).expect("base32");
            assert_eq!(hotp(&key, step_at(t), 8).as_deref(), Some(expected), "T={t}");
            assert_eq!(code(&secret, step_at(t)).as_deref(), Some(&expected[2..]), "T={t}");
        }
    }

    #[test]
    fn one_step_of_drift_and_no_replay() {
        let secret = new_secret();
        assert_eq!(secret.len(), 32);
        let now = step_at(1_800_000_000);
        let current = code(&secret, now).expect("code");
        assert_eq!(verify(&secret, &current, now, None), Some(now));
        assert_eq!(verify(&secret, &format!(" {} ", &current), now, None), Some(now), "spaces are ignored");
        let previous = code(&secret, now - 1).expect("code");
        assert_eq!(verify(&secret, &previous, now, None), Some(now - 1), "30 s late still counts");
        let next = code(&secret, now + 1).expect("code");
        assert_eq!(verify(&secret, &next, now, None), Some(now + 1), "30 s early too");
        let old = code(&secret, now - 2).expect("code");
        if old != current && old != previous && old != next {
            assert_eq!(verify(&secret, &old, now, None), None, "a minute late does not");
        }
        assert_eq!(verify(&secret, &current, now, Some(now)), None, "a used step never counts again");
        assert_eq!(verify(&secret, &next, now, Some(now)), Some(now + 1), "a later one does");
        assert_eq!(verify(&secret, "12345", now, None), None);
        assert_eq!(verify(&secret, "abcdef", now, None), None);
    }

    #[test]
    fn uri_qr_and_recovery_codes() {
        let u = uri("Vordingborg Kommune", "kim@kommune.dk", "ABCDEFGH");
        assert_eq!(
            u,
            "otpauth://totp/Vordingborg%20Kommune:kim%40kommune.dk?secret=ABCDEFGH&issuer=Vordingborg%20Kommune&algorithm=SHA1&digits=6&period=30"
        );
        let svg = qr_svg(&u).expect("svg");
        assert!(svg.starts_with("<svg") && svg.ends_with("</svg>") && !svg.contains("<?xml"));
        assert!(!svg.contains("style="), "no inline style (CSP)");
        let codes = new_recovery_codes();
        assert_eq!(codes.len(), 10);
        for c in &codes {
            assert_eq!(c.len(), 11);
            assert_eq!(normalise_recovery_code(&c.to_uppercase()).as_deref(), Some(c.replace('-', "").as_str()));
        }
        assert_eq!(normalise_recovery_code("123456"), None);
        assert_eq!(grouped("ABCDEFGHIJ"), "ABCD EFGH IJ");
    }
}
