//! Typed emails: one struct per email, serialised as its template's context.
//!
//! Each struct names its template (`templates/email/<name>/`), its language
//! and its envelope (recipient, reply-to, calendar part); the workflow fills
//! it and [`compose`] renders it. The fields are exactly the variables the
//! template uses, so a template and its struct are read side by side; the
//! sample data beside each template (`sample.json`) deserialises into the
//! same struct (tested below), so the preview shows what is really sent.
//!
//! A template folder without a struct of its own can still be sent as a
//! follow-up named in the configuration ([`Followup`]: the common variables
//! only).

use lettre::message::Mailbox;
use serde::{Deserialize, Serialize};

use super::message::Calendar;
use super::render::{self, RenderError, RenderedEmail};
use crate::domain::inquiry::Language;

/// Who an email goes to: a name (may be empty) and an address, as stored in
/// the outbox. The transport parses the address when it sends; one no
/// server will take dead-letters that email alone.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Recipient {
    pub name: String,
    pub address: String,
}

impl Recipient {
    pub fn new(name: &str, address: &str) -> Self {
        Self { name: name.to_string(), address: address.to_string() }
    }

    /// As a mailbox (for a Reply-To), `None` if the address is not one.
    /// lettre quotes a name with commas, parentheses or quotes as RFC 5322
    /// requires; never build an address header with `format!`.
    pub fn mailbox(&self) -> Option<Mailbox> {
        super::transport::mailbox(&self.name, &self.address)
    }
}

/// Everything about an email that is not its words: not part of the
/// template's context.
#[derive(Debug, Clone, Default)]
pub struct Envelope {
    pub to: Recipient,
    pub reply_to: Option<Mailbox>,
    pub calendar: Option<Calendar>,
}

impl Envelope {
    pub fn to(to: Recipient) -> Self {
        Self { to, reply_to: None, calendar: None }
    }
}

/// One email: its template, language and envelope; `Serialize` gives the
/// template's context.
pub trait Email: Serialize {
    /// The folder under `templates/email/`.
    fn template(&self) -> &str;
    fn lang(&self) -> Language;
    fn envelope(&self) -> &Envelope;
}

/// An email rendered and addressed: what the outbox stores.
#[derive(Debug, Clone)]
pub struct Composed {
    pub template: String,
    pub to: Recipient,
    pub reply_to: Option<Mailbox>,
    pub calendar: Option<Calendar>,
    pub rendered: RenderedEmail,
}

/// Renders `email` with its template in its language.
pub fn render<E: Email>(email: &E) -> Result<RenderedEmail, RenderError> {
    let ctx = tera::Context::from_serialize(email).map_err(|e| RenderError::Render {
        template: email.template().to_string(),
        message: format!("context: {e}"),
    })?;
    render::render(email.template(), email.lang().as_str(), &ctx)
}

/// Renders and addresses `email`.
pub fn compose<E: Email>(email: &E) -> Result<Composed, RenderError> {
    let rendered = render(email)?;
    let envelope = email.envelope();
    Ok(Composed {
        template: email.template().to_string(),
        to: envelope.to.clone(),
        reply_to: envelope.reply_to.clone(),
        calendar: envelope.calendar.clone(),
        rendered,
    })
}

/// `Language` as "da"/"en" in a context or a sample file.
mod lang_code {
    use serde::{Deserialize, Deserializer, Serializer};

    use crate::domain::inquiry::Language;

    pub fn serialize<S: Serializer>(lang: &Language, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(lang.as_str())
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Language, D::Error> {
        let code = String::deserialize(d)?;
        Language::parse(&code).ok_or_else(|| serde::de::Error::custom(format!("unknown language {code:?}")))
    }
}

/// A person named in an email (the consultant).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Person {
    pub name: String,
    pub email: String,
}

/// The variables every email gets (see `templates/email/layout.txt`): the
/// household in outline. Staff emails about no one case leave `reference`
/// and `mover_name` empty; emails to ambassadors leave them empty too, so
/// the surname and case number never reach an ambassador.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Common {
    #[serde(with = "lang_code")]
    pub lang: Language,
    pub municipality: String,
    pub public_url: String,
    pub reference: String,
    pub mover_name: String,
    pub consultant: Option<Person>,
    /// Area names (not slugs), in the mover's order.
    pub areas: Vec<String>,
    pub children_count: usize,
    pub adults: i32,
    /// The first-contact goal in working days (receipt, consultant notice).
    pub response_days: u32,
}

/// Defines each email struct's `Email` impl and `TEMPLATES`, the templates
/// the structs render (a test checks each has its folder).
macro_rules! emails {
    ($($ty:ident => $template:literal, $lang:ident;)+) => {
        /// The templates that have a struct here.
        pub const TEMPLATES: &[&str] = &[$($template),+];
        $(
            impl Email for $ty {
                fn template(&self) -> &str {
                    $template
                }
                fn lang(&self) -> Language {
                    emails!(@lang self, $lang)
                }
                fn envelope(&self) -> &Envelope {
                    &self.envelope
                }
            }
        )+
    };
    (@lang $self:ident, mover) => { $self.common.lang };
    (@lang $self:ident, staff) => { Language::Da };
}

emails! {
    Receipt => "receipt", mover;
    ConsultantNotice => "consultant_notice", staff;
    InformationPack => "information_pack", mover;
    VisitInvitation => "visit_invitation", mover;
    VisitUpdate => "visit_update", mover;
    VisitCancelled => "visit_cancelled", mover;
    VisitReminder => "visit_reminder", mover;
    VisitThanks => "visit_thanks", mover;
    Welcome => "welcome", mover;
    WelcomePackage => "welcome_package", mover;
    Custom => "custom", mover;
    ReferralAccepted => "referral_accepted", mover;
    Digest => "digest", staff;
    ReferralOffer => "referral_offer", staff;
    ReferralReminder => "referral_reminder", staff;
    PasswordReset => "password_reset", staff;
    AccountNotice => "account_notice", staff;
    WelcomeSurvey => "welcome_survey", mover;
    OneYearCheck => "one_year_check", mover;
    MoverLink => "mover_link", mover;
    MoverChanged => "mover_changed", staff;
    EventEmail => "event", mover;
}

/// The link to the mover's own page, sent again on request.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct MoverLink {
    #[serde(flatten)]
    pub common: Common,
    /// Personal: a live credential (only its hash is stored).
    pub my_url: String,
    #[serde(skip)]
    pub envelope: Envelope,
}

/// To the consultant: the mover acted on their own page. The case number
/// and what happened, never the mover's details.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct MoverChanged {
    #[serde(flatten)]
    pub common: Common,
    pub case_url: String,
    /// corrected | consent_given | consent_withdrawn | withdrew | erased
    pub what: String,
    #[serde(skip)]
    pub envelope: Envelope,
}

/// To a user whose password or second factor just changed: if it was not
/// them, they know at once (ASVS 2.5.5). No link, nothing secret.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct AccountNotice {
    #[serde(flatten)]
    pub common: Common,
    pub user_name: String,
    /// password_changed | password_reset | mfa_enrolled | mfa_reset
    pub what: String,
    /// Local time, dd.mm.yyyy HH:MM.
    pub when: String,
    #[serde(skip)]
    pub envelope: Envelope,
}

/// A link to choose a new password ("forgot password", or sent by an
/// admin), to a staff member or an ambassador. Single use, short-lived.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct PasswordReset {
    #[serde(flatten)]
    pub common: Common,
    pub user_name: String,
    pub reset_url: String,
    pub minutes: u32,
    #[serde(skip)]
    pub envelope: Envelope,
}

/// The receipt for a new inquiry, to the mover.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Receipt {
    #[serde(flatten)]
    pub common: Common,
    /// The mover's own page (personal: a live credential; only its hash
    /// is stored).
    pub my_url: String,
    #[serde(skip)]
    pub envelope: Envelope,
}

/// A new case, to its consultant: an outline and a link, never the name.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct ConsultantNotice {
    #[serde(flatten)]
    pub common: Common,
    pub case_url: String,
    /// Housing code (buy|rent|build|undecided); the template says it in words.
    pub housing: String,
    /// Timeframe code (0-6m|6-12m|12m+|undecided).
    pub timeframe: String,
    pub job_help: bool,
    #[serde(skip)]
    pub envelope: Envelope,
}

/// A link in the information pack, titled in the mover's language.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Link {
    pub title: String,
    pub url: String,
}

/// A chosen area's own page.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AreaLink {
    pub name: String,
    pub url: String,
}

/// The information pack, fitted to the household: an empty list leaves its
/// topic out.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct InformationPack {
    #[serde(flatten)]
    pub common: Common,
    /// The consultant's note (may be empty).
    pub note: String,
    pub links_general: Vec<Link>,
    pub links_children: Vec<Link>,
    pub links_jobs: Vec<Link>,
    pub links_build: Vec<Link>,
    pub area_links: Vec<AreaLink>,
    #[serde(skip)]
    pub envelope: Envelope,
}

/// A visit in local time, formatted for the mover.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Visit {
    /// dd.mm.yyyy
    pub date: String,
    /// HH:MM
    pub time: String,
    pub place: String,
    /// The consultant's note (may be empty).
    pub note: String,
}

/// Emails that are the common variables plus one part of their own
/// (`$field`), told apart only by their template.
macro_rules! email_with {
    ($(#[$fattr:meta])* $field:ident: $fty:ty =>) => {};
    ($(#[$fattr:meta])* $field:ident: $fty:ty => $(#[$doc:meta])* $ty:ident; $($rest:tt)*) => {
        $(#[$doc])*
        #[derive(Debug, Clone, Serialize, Deserialize)]
        pub struct $ty {
            #[serde(flatten)]
            pub common: Common,
            $(#[$fattr])*
            pub $field: $fty,
            #[serde(skip)]
            pub envelope: Envelope,
        }
        email_with! { $(#[$fattr])* $field: $fty => $($rest)* }
    };
}

email_with! { visit: Visit =>
    /// A planned visit, with the calendar invitation.
    VisitInvitation;
    /// The visit changed: the calendar invitation updated (same UID).
    VisitUpdate;
    /// The visit is cancelled: the calendar cancellation.
    VisitCancelled;
    /// The day before the visit.
    VisitReminder;
    /// The day after the visit.
    VisitThanks;
}

/// On entering move-in: welcome to the area.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Welcome {
    #[serde(flatten)]
    pub common: Common,
    /// dd.mm.yyyy, or empty when unknown.
    pub move_in_date: String,
    /// Empty when unknown.
    pub area_name: String,
    /// Where each checklist item links to (configuration); empty: no link.
    #[serde(default)]
    pub checklist: crate::config::Checklist,
    #[serde(skip)]
    pub envelope: Envelope,
}

/// How the welcome package reaches the mover.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Delivery {
    /// The mover collects it at `pickup`.
    Collect,
    /// An ambassador or local council brings it.
    Delivered,
}

/// The welcome package is ready.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct WelcomePackage {
    #[serde(flatten)]
    pub common: Common,
    pub delivery: Delivery,
    /// The consultant's details (may be empty).
    pub details: String,
    /// Where to collect it (the municipality's setting).
    pub pickup: String,
    #[serde(skip)]
    pub envelope: Envelope,
}

/// The consultant's own email; replies go to the consultant.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Custom {
    #[serde(flatten)]
    pub common: Common,
    pub subject: String,
    pub body: String,
    #[serde(skip)]
    pub envelope: Envelope,
}

/// The ambassador as the mover may see them once they accepted.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AmbassadorCard {
    pub name: String,
    /// May be empty.
    pub organisation: String,
    pub email: String,
    /// May be empty.
    pub phone: String,
}

/// An ambassador accepted: the mover learns who will contact them.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct ReferralAccepted {
    #[serde(flatten)]
    pub common: Common,
    pub ambassador: AmbassadorCard,
    #[serde(skip)]
    pub envelope: Envelope,
}

/// One case in the digest.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DigestCase {
    pub reference: String,
    pub name: String,
    /// dd.mm.yyyy
    pub received: String,
    pub url: String,
}

/// The consultant's daily digest of cases past the first-contact goal.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Digest {
    #[serde(flatten)]
    pub common: Common,
    pub consultant_name: String,
    /// The longest-waiting ones; `count` says how many in all.
    pub cases: Vec<DigestCase>,
    pub count: usize,
    #[serde(skip)]
    pub envelope: Envelope,
}

/// What an ambassador is told of a household.
///
/// Privacy: the household in outline only — `common.reference` and
/// `common.mover_name` empty, the first name alone.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Referral {
    pub ambassador_name: String,
    /// Personal and single use.
    pub signin_url: String,
    pub link_days: u32,
    /// The consultant's (may be empty).
    pub message: String,
    pub first_name: String,
    /// May be empty; `common.children_count` is used then.
    pub children_ages: Vec<i32>,
    /// Labels in Danish (may be empty).
    pub interests: Vec<String>,
    /// Timeframe code (0-6m|6-12m|12m+|undecided).
    pub timeframe: String,
}

email_with! { #[serde(flatten)] referral: Referral =>
    /// Will you help this household? To an ambassador, with a sign-in link.
    ReferralOffer;
    /// The offer again, when unanswered.
    ReferralReminder;
}

macro_rules! survey_email {
    ($($(#[$doc:meta])* $ty:ident;)+) => {$(
        $(#[$doc])*
        ///
        /// `survey_url` is a private link (its token is stored hashed).
        #[derive(Debug, Clone, Serialize, Deserialize)]
        pub struct $ty {
            #[serde(flatten)]
            pub common: Common,
            pub survey_url: String,
            /// dd.mm.yyyy: the answer can be changed until then.
            pub closes: String,
            /// The one reminder, when unanswered.
            pub reminder: bool,
            #[serde(skip)]
            pub envelope: Envelope,
        }
    )+};
}

survey_email! {
    /// How have you been welcomed? A while after the move-in.
    WelcomeSurvey;
    /// Do you still live here? A year after the move-in.
    OneYearCheck;
}

/// A newcomers' event, to a guest (newcomer or ambassador) in their
/// language: the invitation (with a calendar part and the private sign-up
/// link), the open sign-up's confirmation, a seat from the waiting list,
/// or the reminder the day before.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct EventEmail {
    #[serde(flatten)]
    pub common: Common,
    /// invitation | signed_up | place | reminder
    pub what: String,
    pub title: String,
    pub description: String,
    /// dd.mm.yyyy and HH:MM, local.
    pub date: String,
    pub time: String,
    pub place: String,
    /// dd.mm.yyyy: the last day to sign up.
    pub deadline: String,
    /// Private; empty when the email carries no link.
    pub signup_url: String,
    #[serde(skip)]
    pub envelope: Envelope,
}

/// A follow-up named in the configuration (`[[followups.rules]]`): any
/// template, with the common variables.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Followup {
    #[serde(skip)]
    pub template: String,
    #[serde(flatten)]
    pub common: Common,
    #[serde(skip)]
    pub envelope: Envelope,
}

impl Email for Followup {
    fn template(&self) -> &str {
        &self.template
    }
    fn lang(&self) -> Language {
        self.common.lang
    }
    fn envelope(&self) -> &Envelope {
        &self.envelope
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde::de::DeserializeOwned;

    fn from_sample<E: DeserializeOwned>(name: &str, lang: &str) -> E {
        let value = render::sample(name, lang).unwrap_or_else(|e| panic!("{e}"));
        serde_json::from_value(value).unwrap_or_else(|e| panic!("{name}/{lang}: the sample does not fit: {e}"))
    }

    /// The struct filled from the sample renders exactly as the sample
    /// itself: the struct carries every variable the template uses.
    fn same_as_sample<E: Email + DeserializeOwned>(name: &str) {
        for lang in render::LANGS {
            let typed: E = from_sample(name, lang);
            assert_eq!(typed.template(), name);
            let ctx = render::sample_context(name, lang).unwrap_or_else(|e| panic!("{e}"));
            let expected = render::render(name, typed.lang().as_str(), &ctx).unwrap_or_else(|e| panic!("{e}"));
            assert_eq!(render(&typed).unwrap_or_else(|e| panic!("{e}")), expected, "{name}/{lang}");
        }
    }

    #[test]
    fn every_typed_email_renders_its_sample_as_the_preview_does() {
        same_as_sample::<Receipt>("receipt");
        same_as_sample::<ConsultantNotice>("consultant_notice");
        same_as_sample::<InformationPack>("information_pack");
        same_as_sample::<VisitInvitation>("visit_invitation");
        same_as_sample::<VisitUpdate>("visit_update");
        same_as_sample::<VisitCancelled>("visit_cancelled");
        same_as_sample::<VisitReminder>("visit_reminder");
        same_as_sample::<VisitThanks>("visit_thanks");
        same_as_sample::<Welcome>("welcome");
        same_as_sample::<WelcomePackage>("welcome_package");
        same_as_sample::<Custom>("custom");
        same_as_sample::<ReferralAccepted>("referral_accepted");
        same_as_sample::<Digest>("digest");
        same_as_sample::<ReferralOffer>("referral_offer");
        same_as_sample::<ReferralReminder>("referral_reminder");
        same_as_sample::<PasswordReset>("password_reset");
        same_as_sample::<AccountNotice>("account_notice");
        same_as_sample::<WelcomeSurvey>("welcome_survey");
        same_as_sample::<OneYearCheck>("one_year_check");
        same_as_sample::<MoverLink>("mover_link");
        same_as_sample::<MoverChanged>("mover_changed");
        same_as_sample::<EventEmail>("event");
    }

    #[test]
    fn any_other_template_is_a_followup_with_the_common_variables() {
        for name in render::templates().iter().filter(|n| !TEMPLATES.contains(n)) {
            for lang in render::LANGS {
                let mut followup: Followup = from_sample(name, lang);
                followup.template = name.to_string();
                let ctx = render::sample_context(name, lang).unwrap_or_else(|e| panic!("{e}"));
                let expected = render::render(name, lang, &ctx).unwrap_or_else(|e| panic!("{e}"));
                assert_eq!(render(&followup).unwrap_or_else(|e| panic!("{e}")), expected, "{name}/{lang}");
            }
        }
        assert!(render::templates().contains(&"followup_visit_offer"));
    }

    #[test]
    fn staff_emails_are_danish_whatever_the_movers_language() {
        let mut notice: ConsultantNotice = from_sample("consultant_notice", "en");
        notice.common.lang = Language::En;
        assert_eq!(notice.lang(), Language::Da);
        assert!(render(&notice).expect("renders").html.contains("<html lang=\"da\">"));
    }

    #[test]
    fn compose_keeps_the_envelope_apart_from_the_words() {
        let mut receipt: Receipt = from_sample("receipt", "en");
        let kim = Recipient::new("Hansen, Kim (vikar)", "kim@kommune.dk");
        receipt.envelope =
            Envelope { to: Recipient::new("Anna Hansen", "anna@example.dk"), reply_to: kim.mailbox(), calendar: None };
        let composed = compose(&receipt).expect("composed");
        assert_eq!(composed.template, "receipt");
        assert_eq!(composed.to, Recipient::new("Anna Hansen", "anna@example.dk"));
        assert!(composed.rendered.text.contains("Thank you"), "{}", composed.rendered.text);
        assert!(!composed.rendered.text.contains("anna@example.dk"), "the envelope is not in the context");
        let reply_to = composed.reply_to.expect("reply-to").to_string();
        let parsed: Mailbox = reply_to.parse().expect("a mailbox that reads back");
        assert_eq!(parsed.name.as_deref(), Some("Hansen, Kim (vikar)"));
        assert_eq!(Recipient::new("Kim", "not an address").mailbox(), None);
    }

    #[test]
    fn markup_in_typed_fields_is_escaped_in_html() {
        let evil = "<script>alert(1)</script>";
        let mut custom: Custom = from_sample("custom", "da");
        custom.common.mover_name = evil.into();
        custom.body = format!("Hej\n{evil}");
        let email = render(&custom).expect("renders");
        assert!(!email.html.contains("<script"), "{}", email.html);
        assert!(email.html.contains("&lt;script&gt;alert(1)&lt;&#x2F;script&gt;"));
        assert!(email.text.contains(evil));
    }
}
