//! A mover's inquiry: what they typed ([`InquiryDraft`]) and the validated
//! form ([`Inquiry`]) that is the only thing the rest of the system accepts.
//! Invalid data cannot exist past this edge.

use serde::Serialize;

use super::text::text_enum;

/// Everything as the person typed it, so a refused form can be shown again
/// with nothing lost.
#[derive(Debug, Clone, Default, Serialize)]
pub struct InquiryDraft {
    pub name: String,
    pub email: String,
    pub phone: String,
    pub language: String,
    pub moving_from: String,
    pub adults: String,
    pub children: Vec<String>,
    pub areas: Vec<String>,
    pub housing: String,
    pub timeframe: String,
    pub interests: Vec<String>,
    pub job_help: bool,
    pub message: String,
    pub ambassador_contact: bool,
    pub campaign: String,
}

/// One problem with one field. `code` names a message in the locales
/// (`error-<code>`), so the words stay out of the code.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FieldError {
    pub field: String,
    pub code: &'static str,
}

impl FieldError {
    pub fn new(field: impl Into<String>, code: &'static str) -> Self {
        Self { field: field.into(), code }
    }
}

/// What the configuration offers: the areas and interests a mover may pick.
pub struct Catalog<'a> {
    pub areas: Vec<&'a str>,
    pub interests: Vec<&'a str>,
}

text_enum!(
    /// The mover's language: every email and page they get is in it.
    pub enum Language as "language" {
        Da = "da", En = "en",
    }
);

impl Language {
    /// The other one (for the language switch).
    pub fn other(self) -> Self {
        match self {
            Language::Da => Language::En,
            Language::En => Language::Da,
        }
    }
}

text_enum!(
    pub enum Housing as "housing" {
        Buy = "buy", Rent = "rent", Build = "build", Undecided = "undecided",
    }
);

text_enum!(
    pub enum Timeframe as "timeframe" {
        Soon = "0-6m", Within12 = "6-12m", Later = "12m+", Undecided = "undecided",
    }
);

/// `s` trimmed, or "required" when nothing is left.
fn required(s: &str) -> Result<&str, &'static str> {
    let s = s.trim();
    if s.is_empty() {
        Err("required")
    } else {
        Ok(s)
    }
}

/// A person's name: trimmed, 1–200 characters, no control characters
/// (a CR/LF in a name must never reach an email header).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PersonName(String);

impl PersonName {
    pub fn parse(s: &str) -> Result<Self, &'static str> {
        let s = required(s)?;
        if s.chars().count() > 200 {
            return Err("too-long-200");
        }
        if s.chars().any(|c| c.is_control() || c == char::REPLACEMENT_CHARACTER) {
            return Err("control-chars");
        }
        Ok(Self(s.to_string()))
    }
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// An email address in the shape mail servers accept: one `@`, a local
/// part of 1–64 characters, a dotted domain, no spaces or control characters.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Email(String);

impl Email {
    pub fn parse(s: &str) -> Result<Self, &'static str> {
        let s = required(s)?;
        if s.len() > 254 {
            return Err("email-invalid");
        }
        let Some((local, domain)) = s.rsplit_once('@') else { return Err("email-invalid") };
        let local_ok = !local.is_empty()
            && local.len() <= 64
            && !local.contains('@')
            && !local.starts_with('.')
            && !local.ends_with('.')
            && !local.contains("..")
            && local.chars().all(|c| !c.is_whitespace() && !c.is_control() && !"<>()[],;:\\\"".contains(c));
        let labels: Vec<&str> = domain.split('.').collect();
        let domain_ok = labels.len() >= 2
            && labels.iter().all(|l| {
                !l.is_empty()
                    && l.len() <= 63
                    && !l.starts_with('-')
                    && !l.ends_with('-')
                    && l.chars().all(|c| c.is_alphanumeric() || c == '-')
            });
        if local_ok && domain_ok {
            // Domains are case-insensitive; keep the local part as typed.
            Ok(Self(format!("{local}@{}", domain.to_lowercase())))
        } else {
            Err("email-invalid")
        }
    }
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// A slug: 1–40 of `a-z`, `0-9`, `-` and `_`.
pub fn is_slug(s: &str) -> bool {
    (1..=40).contains(&s.len())
        && s.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-' || b == b'_')
}

/// A birth year of a child: within the last 18 years, not in the future.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub struct BirthYear(i32);

impl BirthYear {
    pub fn parse(s: &str, current_year: i32) -> Result<Self, &'static str> {
        let year: i32 = s.trim().parse().map_err(|_| "birth-year-invalid")?;
        if year > current_year || year < current_year - 18 {
            return Err("birth-year-range");
        }
        Ok(Self(year))
    }
    pub fn year(self) -> i32 {
        self.0
    }
}

/// The validated inquiry.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Inquiry {
    pub name: PersonName,
    pub email: Email,
    pub phone: Option<String>,
    pub language: Language,
    pub moving_from: Option<String>,
    pub adults: i32,
    pub children: Vec<BirthYear>,
    pub areas: Vec<String>,
    pub housing: Housing,
    pub timeframe: Timeframe,
    pub interests: Vec<String>,
    pub job_help: bool,
    pub message: Option<String>,
    pub ambassador_contact: bool,
    pub campaign: Option<String>,
}

pub const MAX_CHILDREN: usize = 15;
pub const MAX_MESSAGE_CHARS: usize = 4000;

impl Inquiry {
    /// Checks every field and reports every problem at once, in form order.
    pub fn parse(d: &InquiryDraft, catalog: &Catalog<'_>, current_year: i32) -> Result<Self, Vec<FieldError>> {
        let mut errors = Vec::new();
        let mut check = |field: &str, r: Result<(), &'static str>| {
            if let Err(code) = r {
                errors.push(FieldError::new(field, code));
            }
        };
        let name = PersonName::parse(&d.name);
        check("name", name.as_ref().map(|_| ()).map_err(|e| *e));
        let email = Email::parse(&d.email);
        check("email", email.as_ref().map(|_| ()).map_err(|e| *e));
        let phone = optional_text(&d.phone, 40, false);
        check("phone", phone.as_ref().map(|_| ()).map_err(|e| *e));
        if let Ok(Some(p)) = &phone {
            if !p.chars().all(|c| c.is_ascii_digit() || " +-()/.".contains(c)) {
                check("phone", Err("phone-invalid"));
            }
        }
        let language = match d.language.trim() {
            "" => Ok(Language::Da),
            s => Language::parse(s).ok_or("choice-invalid"),
        };
        check("language", language.map(|_| ()));
        let moving_from = optional_text(&d.moving_from, 200, false);
        check("moving_from", moving_from.as_ref().map(|_| ()).map_err(|e| *e));
        let adults = match d.adults.trim() {
            "" => Ok(1),
            s => s.parse::<i32>().map_err(|_| "number-invalid").and_then(|n| {
                if (1..=10).contains(&n) {
                    Ok(n)
                } else {
                    Err("adults-range")
                }
            }),
        };
        check("adults", adults.map(|_| ()));
        let filled_children: Vec<&String> = d.children.iter().filter(|c| !c.trim().is_empty()).collect();
        let mut children = Vec::new();
        if filled_children.len() > MAX_CHILDREN {
            check("children", Err("children-too-many"));
        } else {
            for c in filled_children {
                match BirthYear::parse(c, current_year) {
                    Ok(y) => children.push(y),
                    Err(code) => {
                        check("children", Err(code));
                        break;
                    }
                }
            }
        }
        let areas = pick_from(&d.areas, &catalog.areas);
        check("areas", areas.as_ref().map(|_| ()).map_err(|e| *e));
        let housing = match d.housing.trim() {
            "" => Ok(Housing::Undecided),
            s => Housing::parse(s).ok_or("choice-invalid"),
        };
        check("housing", housing.map(|_| ()));
        let timeframe = match d.timeframe.trim() {
            "" => Ok(Timeframe::Undecided),
            s => Timeframe::parse(s).ok_or("choice-invalid"),
        };
        check("timeframe", timeframe.map(|_| ()));
        let interests = pick_from(&d.interests, &catalog.interests);
        check("interests", interests.as_ref().map(|_| ()).map_err(|e| *e));
        let message = optional_text(&d.message, MAX_MESSAGE_CHARS, true);
        check("message", message.as_ref().map(|_| ()).map_err(|e| *e));
        let campaign = match d.campaign.trim() {
            "" => Ok(None),
            s if is_slug(&s.to_lowercase()) => Ok(Some(s.to_lowercase())),
            _ => Err("campaign-invalid"),
        };
        check("campaign", campaign.as_ref().map(|_| ()).map_err(|e| *e));

        match (
            name,
            email,
            phone,
            language,
            moving_from,
            adults,
            areas,
            housing,
            timeframe,
            interests,
            message,
            campaign,
        ) {
            (
                Ok(name),
                Ok(email),
                Ok(phone),
                Ok(language),
                Ok(moving_from),
                Ok(adults),
                Ok(areas),
                Ok(housing),
                Ok(timeframe),
                Ok(interests),
                Ok(message),
                Ok(campaign),
            ) if errors.is_empty() => {
                children.sort();
                Ok(Inquiry {
                    name,
                    email,
                    phone,
                    language,
                    moving_from,
                    adults,
                    children,
                    areas,
                    housing,
                    timeframe,
                    interests,
                    job_help: d.job_help,
                    message,
                    ambassador_contact: d.ambassador_contact,
                    campaign,
                })
            }
            _ => Err(errors),
        }
    }
}

/// Optional free text: empty means none; no control characters except line
/// breaks and tabs where `multiline` (PostgreSQL refuses NUL, and headers
/// must never see CR/LF).
fn optional_text(s: &str, max_chars: usize, multiline: bool) -> Result<Option<String>, &'static str> {
    let s = s.trim();
    if s.is_empty() {
        return Ok(None);
    }
    if s.chars().count() > max_chars {
        return Err(if max_chars == MAX_MESSAGE_CHARS { "too-long-4000" } else { "too-long" });
    }
    let allowed = |c: char| multiline && (c == '\n' || c == '\r' || c == '\t');
    // U+FFFD stands for bytes that were not text (or a NUL): refuse it too.
    if s.chars().any(|c| (c.is_control() && !allowed(c)) || c == char::REPLACEMENT_CHARACTER) {
        return Err("control-chars");
    }
    Ok(Some(s.to_string()))
}

/// Each picked value must be offered; duplicates collapse, order is kept.
fn pick_from(picked: &[String], offered: &[&str]) -> Result<Vec<String>, &'static str> {
    let mut out: Vec<String> = Vec::new();
    for p in picked.iter().map(|p| p.trim()).filter(|p| !p.is_empty()) {
        if !offered.contains(&p) {
            return Err("choice-invalid");
        }
        if !out.iter().any(|o| o == p) {
            out.push(p.to_string());
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn catalog() -> Catalog<'static> {
        Catalog { areas: vec!["stege", "praestoe"], interests: vec!["nature", "sports"] }
    }

    fn draft() -> InquiryDraft {
        InquiryDraft { name: "Søren Ærø".into(), email: "soren@example.dk".into(), ..Default::default() }
    }

    #[test]
    fn minimal_inquiry_gets_defaults() {
        let i = Inquiry::parse(&draft(), &catalog(), 2026).expect("valid");
        assert_eq!(i.name.as_str(), "Søren Ærø");
        assert_eq!(i.adults, 1);
        assert_eq!(i.language, Language::Da);
        assert_eq!(i.housing, Housing::Undecided);
        assert_eq!(i.timeframe, Timeframe::Undecided);
        assert!(i.children.is_empty() && i.areas.is_empty());
    }

    #[test]
    fn every_error_is_reported_at_its_field() {
        let d = InquiryDraft {
            name: "  ".into(),
            email: "not-an-email".into(),
            adults: "11".into(),
            children: vec!["2001".into()],
            areas: vec!["atlantis".into()],
            housing: "castle".into(),
            interests: vec!["nature".into(), "<script>".into()],
            message: "x".repeat(4001),
            campaign: "DROP TABLE cases;".into(),
            ..Default::default()
        };
        let errors = Inquiry::parse(&d, &catalog(), 2026).expect_err("invalid");
        let fields: Vec<&str> = errors.iter().map(|e| e.field.as_str()).collect();
        assert_eq!(
            fields,
            ["name", "email", "adults", "children", "areas", "housing", "interests", "message", "campaign"]
        );
    }

    #[test]
    fn emails() {
        assert_eq!(Email::parse(" a.b@Example.DK ").map(|e| e.as_str().to_string()), Ok("a.b@example.dk".into()));
        assert!(Email::parse("æble@kø.dk").is_ok());
        for bad in ["", "a", "a@b", "a@@b.dk", "a b@c.dk", "a@b..dk", ".a@b.dk", "a@-b.dk", "a\r\nBcc: x@y.dk"] {
            assert!(Email::parse(bad).is_err(), "{bad:?} must be refused");
        }
    }

    #[test]
    fn names_refuse_control_characters_but_keep_emoji() {
        assert!(PersonName::parse("Anna\r\nBcc: evil@x.dk").is_err());
        assert_eq!(PersonName::parse(" Åse 👋 ").map(|n| n.as_str().to_string()), Ok("Åse 👋".into()));
        assert_eq!(PersonName::parse(&"æ".repeat(200)).map(|n| n.as_str().len()), Ok(400));
        assert!(PersonName::parse(&"æ".repeat(201)).is_err());
    }

    #[test]
    fn birth_years_within_the_last_18_years() {
        assert!(BirthYear::parse("2026", 2026).is_ok());
        assert!(BirthYear::parse("2008", 2026).is_ok());
        assert_eq!(BirthYear::parse("2007", 2026), Err("birth-year-range"));
        assert_eq!(BirthYear::parse("2027", 2026), Err("birth-year-range"));
        assert_eq!(BirthYear::parse("twenty", 2026), Err("birth-year-invalid"));
    }

    #[test]
    fn nul_in_message_is_refused_but_newlines_kept() {
        let mut d = draft();
        d.message = "hej\nmed\tvenlig hilsen".into();
        assert!(Inquiry::parse(&d, &catalog(), 2026).is_ok());
        d.message = "a\0b".into();
        assert!(Inquiry::parse(&d, &catalog(), 2026).is_err());
    }

    #[test]
    fn sixteen_children_are_too_many() {
        let mut d = draft();
        d.children = vec!["2020".into(); 16];
        let errs = Inquiry::parse(&d, &catalog(), 2026).expect_err("too many");
        assert_eq!(errs, vec![FieldError::new("children", "children-too-many")]);
        d.children = vec!["2020".into(); 15];
        assert_eq!(Inquiry::parse(&d, &catalog(), 2026).map(|i| i.children.len()), Ok(15));
    }

    proptest! {
        #[test]
        fn parse_never_panics_and_valid_names_round_trip(name in "\\PC{0,300}", email in "\\PC{0,80}", msg in "\\PC{0,50}") {
            let d = InquiryDraft { name: name.clone(), email, message: msg, ..Default::default() };
            if let Ok(i) = Inquiry::parse(&d, &catalog(), 2026) {
                prop_assert_eq!(i.name.as_str(), name.trim());
                prop_assert!(!i.name.as_str().chars().any(char::is_control));
            }
        }
    }
}
