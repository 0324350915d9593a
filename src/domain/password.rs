//! Which passwords are accepted (NIST 800-63B, ASVS 2.1): at least 12
//! characters, at most 256, no composition rules; refused when common (the
//! 30 000 passwords of the zxcvbn package, embedded sorted and searched in
//! place, so no set is built in memory), made of one common password plus
//! digits or symbols, repetitive, or containing the user's email name or
//! name.

/// zxcvbn 4.4.2's `passwords` list, lower-cased, sorted bytewise, one a
/// line (regenerate with scripts/common-passwords.sh).
static COMMON: &[u8] = include_bytes!("common_passwords.txt");

/// The `i`-th line of a sorted newline-separated list, by its byte range.
fn is_common(word: &str) -> bool {
    if word.is_empty() {
        return false;
    }
    let needle = word.as_bytes();
    let (mut lo, mut hi) = (0usize, COMMON.len());
    // Binary search over byte offsets: find the line that holds `mid`.
    while lo < hi {
        let mid = lo + (hi - lo) / 2;
        let start = COMMON[..mid].iter().rposition(|b| *b == b'\n').map_or(0, |p| p + 1);
        let end = COMMON[start..].iter().position(|b| *b == b'\n').map_or(COMMON.len(), |p| start + p);
        let line = &COMMON[start..end];
        match line.cmp(needle) {
            std::cmp::Ordering::Equal => return true,
            std::cmp::Ordering::Less => lo = end + 1,
            std::cmp::Ordering::Greater => hi = start,
        }
    }
    false
}

/// What the password is checked against besides the list.
#[derive(Debug, Clone, Copy, Default)]
pub struct Context<'a> {
    pub email: &'a str,
    pub name: &'a str,
}

/// `Err(code)` with a locale key suffix (`error-{code}`).
pub fn check(pw: &str, ctx: Context<'_>) -> Result<(), &'static str> {
    let n = pw.chars().count();
    if n > 256 {
        return Err("too-long");
    }
    if pw.trim().chars().count() < 12 {
        return Err("password-too-short");
    }
    let lower = pw.to_lowercase();
    let mut distinct: Vec<char> = lower.chars().collect();
    distinct.sort_unstable();
    distinct.dedup();
    if distinct.len() < 4 {
        return Err("password-repetitive");
    }
    let alnum: String = lower.chars().filter(|c| c.is_alphanumeric()).collect();
    let base = alnum.trim_end_matches(|c: char| c.is_ascii_digit());
    let base = base.trim_start_matches(|c: char| c.is_ascii_digit());
    if is_common(&lower) || is_common(&alnum) || base.is_empty() || is_common(base) {
        return Err("password-common");
    }
    let local = ctx.email.split('@').next().unwrap_or("").to_lowercase();
    let mut personal: Vec<String> = vec![local];
    personal.extend(ctx.name.split_whitespace().map(str::to_lowercase));
    if personal.iter().any(|p| p.chars().count() >= 3 && (lower.contains(p.as_str()) || alnum.contains(p.as_str()))) {
        return Err("password-personal");
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_list_is_sorted_and_searched_in_place() {
        let lines: Vec<&[u8]> = COMMON.split(|b| *b == b'\n').filter(|l| !l.is_empty()).collect();
        assert!(lines.len() > 25_000);
        assert!(lines.windows(2).all(|w| w[0] < w[1]), "sorted bytewise, no duplicates");
        for w in [&lines[0], &lines[1], &lines[lines.len() / 2], &lines[lines.len() - 1]] {
            assert!(is_common(std::str::from_utf8(w).expect("utf-8")), "{w:?}");
        }
        assert!(is_common("password") && is_common("qwertyuiop") && is_common("1qaz2wsx3edc"));
        assert!(!is_common("korrekt hest batteri") && !is_common("zzzzzzzzzzzzzzzzzzzz") && !is_common(""));
    }

    #[test]
    fn common_repetitive_and_personal_passwords_are_refused() {
        let none = Context::default();
        assert_eq!(check("short", none), Err("password-too-short"));
        assert_eq!(check("            ", none), Err("password-too-short"), "12 spaces");
        assert_eq!(check("aaaaaaaaaaaaaaaa", none), Err("password-repetitive"));
        assert_eq!(check("abababababababab", none), Err("password-repetitive"));
        assert_eq!(check("123qweasdzxc", none), Err("password-common"));
        assert_eq!(check("QWERTYUIOP1234", none), Err("password-common"));
        assert_eq!(check("Password123456!", none), Err("password-common"));
        assert_eq!(check("1234567890123", none), Err("password-common"));
        let kim = Context { email: "kim.holm@kommune.dk", name: "Kim Holm" };
        assert_eq!(check("my kim.holm passphrase", kim), Err("password-personal"));
        assert_eq!(check("holmegaard is lovely", kim), Err("password-personal"));
        assert!(check("a long enough passphrase æøå", kim).is_ok());
        assert!(check("korrekt hest batteri hæfteklamme", none).is_ok());
        assert_eq!(check(&"x".repeat(257), none), Err("too-long"));
    }
}
