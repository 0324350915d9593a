//! Case references people can read aloud on the phone: `VK-2026-7QK3MD`.
//! Crockford-style alphabet without 0/O, 1/I/L, U, so nothing is misread.

use rand::Rng;

use super::text::text_id;

const ALPHABET: &[u8] = b"23456789ABCDEFGHJKMNPQRSTVWXYZ";

text_id!(
    /// A case's reference, as people see and say it.
    pub struct Reference as "case reference", looks_like
);

/// A fresh reference; uniqueness is the database's job (a unique index and
/// a retry on the very rare collision: 30^6 ≈ 729 million per prefix-year).
/// `prefix` is checked at start-up to be 1–8 capital letters.
pub fn generate(prefix: &str, year: i32, rng: &mut impl Rng) -> Reference {
    let code: String = (0..6).map(|_| ALPHABET[rng.gen_range(0..ALPHABET.len())] as char).collect();
    Reference(format!("{prefix}-{year}-{code}"))
}

/// Whether a string could be a reference; lets lookups skip the database
/// for anything else.
pub fn looks_like(s: &str) -> bool {
    let parts: Vec<&str> = s.split('-').collect();
    parts.len() == 3
        && (1..=8).contains(&parts[0].len())
        && parts[0].bytes().all(|b| b.is_ascii_uppercase())
        && parts[1].len() == 4
        && parts[1].bytes().all(|b| b.is_ascii_digit())
        && parts[2].len() == 6
        && parts[2].bytes().all(|b| ALPHABET.contains(&b))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn generated_references_look_like_references() {
        let mut rng = rand::thread_rng();
        for _ in 0..200 {
            let r = generate("VK", 2026, &mut rng);
            assert!(looks_like(&r), "{r}");
            assert_eq!(r.len(), "VK-2026-XXXXXX".len());
            assert_eq!(Reference::parse(&r), Some(r.clone()));
        }
        assert!(!looks_like("VK-2026-OOOOOO"));
        assert!(!looks_like("' OR 1=1 --"));
    }
}
