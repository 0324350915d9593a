//! What the mover does on their own page, each one transaction: correct
//! their details, give or withdraw consent to ambassador contact, withdraw
//! the inquiry, ask for erasure; and the private links that open the page.
//! Every change lands on the timeline (no staff actor: the event kind says
//! it was the mover) and is told to the assigned consultant by email.

use chrono::NaiveDateTime;
use serde_json::json;

use super::{cases as case_flow, emails, referrals};
use crate::config::Settings;
use crate::db::cases::{self, CaseDetail};
use crate::db::{mover, users, write_tx, Conn};
use crate::domain::case::{Action, EventKind, Outcome};
use crate::domain::inquiry::{Catalog, Email, FieldError, Inquiry, InquiryDraft};
use crate::domain::reference::Reference;
use crate::error::{Error, Refusal};
use crate::mail::email::{self, Envelope, Recipient};

/// The address of the mover's own page for `token`.
pub fn page_url(s: &Settings, token: &str) -> String {
    format!("{}/my/{token}", s.public_url)
}

/// The case a private link opens, while it still holds its person.
pub fn open_link(conn: &mut Conn, token: &str) -> Result<Option<Reference>, Error> {
    mover::case_of_link(conn, &crate::crypto::token_hash(token))
}

/// How long after one link email the lost-link form sends no other for the
/// same case: a form anyone can fill in must not become a way to flood a
/// mailbox.
pub const LINK_RESEND_MINUTES: i64 = 10;

/// The lost-link form: every case whose person has `address` gets a fresh
/// link by email (to the address on the case, in the mover's language),
/// unless one was made in the last [`LINK_RESEND_MINUTES`]. Returns how
/// many were sent — for the log and tests only: the page answers the same
/// whatever it is.
pub fn send_links(conn: &mut Conn, s: &Settings, address: &str, now: NaiveDateTime) -> Result<usize, Error> {
    if Email::parse(address).is_err() {
        return Ok(0);
    }
    write_tx(conn, |conn| {
        let mut sent = 0;
        for reference in mover::cases_with_email(conn, address)? {
            let d = cases::detail(conn, &reference)?;
            let recent = mover::newest_link_at(conn, &d.case.id)?
                .is_some_and(|at| now - at < chrono::Duration::minutes(LINK_RESEND_MINUTES));
            if recent || d.erased_at.is_some() {
                continue;
            }
            let token = crate::crypto::random_token();
            mover::create_link(conn, &crate::crypto::token_hash(&token), &d.case.id, now)?;
            let to = emails::to_mover(conn, s, &d)?;
            let link = email::MoverLink { common: to.common, my_url: page_url(s, &token), envelope: to.envelope };
            emails::queue(conn, s, Some(&d.case.id), &link, now)?;
            sent += 1;
        }
        Ok(sent)
    })
}

/// What the mover typed in the correction form.
#[derive(Debug, Clone, Default, serde::Serialize)]
pub struct Correction {
    pub name: String,
    pub email: String,
    pub phone: String,
    pub message: String,
}

impl Correction {
    /// The inquiry form's own rules for these four fields (the others
    /// take their defaults, which pass).
    pub fn check(&self) -> Result<Inquiry, Vec<FieldError>> {
        let draft = InquiryDraft {
            name: self.name.clone(),
            email: self.email.clone(),
            phone: self.phone.clone(),
            message: self.message.clone(),
            ..Default::default()
        };
        Inquiry::parse(&draft, &Catalog { areas: vec![], interests: vec![] }, 2000)
    }
}

fn load_live(conn: &mut Conn, reference: &Reference) -> Result<CaseDetail, Error> {
    let d = cases::detail(conn, reference)?;
    if d.erased_at.is_some() {
        return Err(Error::Refused(Refusal::Erased));
    }
    Ok(d)
}

/// The mover corrects name, email, phone and message. The timeline names
/// the fields that changed (not their values). `Ok(Err(errors))` for input
/// the form refuses.
pub fn correct(
    conn: &mut Conn,
    s: &Settings,
    reference: &Reference,
    input: &Correction,
    now: NaiveDateTime,
) -> Result<Result<(), Vec<FieldError>>, Error> {
    let checked = match input.check() {
        Ok(ok) => ok,
        Err(errors) => return Ok(Err(errors)),
    };
    let (name, address) = (&checked.name, &checked.email);
    let (phone, message) = (checked.phone.as_deref(), checked.message.as_deref());
    write_tx(conn, |conn| {
        let d = load_live(conn, reference)?;
        let p = &d.person;
        let mut changed = Vec::new();
        if p.name != name.as_str() {
            changed.push("name");
        }
        if p.email != address.as_str() {
            changed.push("email");
        }
        if p.phone.as_deref() != phone {
            changed.push("phone");
        }
        if p.message.as_deref() != message {
            changed.push("message");
        }
        if changed.is_empty() {
            return Ok(Ok(()));
        }
        mover::correct_person(conn, &d.case.id, reference, name.as_str(), address.as_str(), phone, message)?;
        cases::touch(conn, &d.case.id)?;
        cases::append_event(conn, &d.case.id, EventKind::MoverCorrected, None, json!({ "fields": changed }))?;
        tell_consultant(conn, s, &d, "corrected", now)?;
        Ok(Ok(()))
    })
}

/// The mover gives or withdraws consent to ambassador contact. Withdrawing
/// withdraws every referral still open (an accepted one too: the mover no
/// longer wants the contact). Giving consent to a closed case changes
/// nothing (no referral can follow). Returns whether anything changed.
pub fn set_consent(
    conn: &mut Conn,
    s: &Settings,
    reference: &Reference,
    consent: bool,
    now: NaiveDateTime,
) -> Result<bool, Error> {
    write_tx(conn, |conn| {
        let d = load_live(conn, reference)?;
        if d.case.ambassador_contact == consent || (consent && !d.case.is_open) {
            return Ok(false);
        }
        mover::set_consent(conn, &d.case.id, consent, now)?;
        cases::append_event(conn, &d.case.id, EventKind::ConsentChanged, None, json!({ "consent": consent }))?;
        if !consent {
            referrals::withdraw_on_close(conn, &d.case.id, false, "consent withdrawn", None, now)?;
        }
        tell_consultant(conn, s, &d, if consent { "consent_given" } else { "consent_withdrawn" }, now)?;
        Ok(true)
    })
}

/// The mover withdraws the inquiry: an open case closes as `withdrawn`
/// (its open referrals withdrawn with it); whatever the case, nothing more
/// is sent to the mover — scheduled follow-ups and unsent emails to them
/// are cancelled and the case is marked, so later messages (the
/// after-the-move survey and check) are not sent either. Idempotent.
pub fn withdraw(conn: &mut Conn, s: &Settings, reference: &Reference, now: NaiveDateTime) -> Result<bool, Error> {
    write_tx(conn, |conn| {
        let d = load_live(conn, reference)?;
        if mover::messages_stopped_at(conn, &d.case.id)?.is_some() && !d.case.is_open {
            return Ok(false);
        }
        let was_open = d.case.is_open;
        cases::append_event(conn, &d.case.id, EventKind::MoverWithdrew, None, json!({ "closed": was_open }))?;
        if was_open {
            if let Err(refusal) = case_flow::apply(conn, s, &d, &Action::Close(Outcome::Withdrawn), "", None)? {
                return Err(Error::bug(format!("closing {reference} as withdrawn: {refusal:?}")));
            }
        }
        mover::stop_messages(conn, &d.case.id, &d.person.email, now)?;
        tell_consultant(conn, s, &d, "withdrew", now)?;
        Ok(true)
    })
}

/// The mover asks for erasure: done at once (docs/privacy.md says why),
/// by the rule `mover`; the consultant is told after the person is gone.
pub fn erase(
    conn: &mut Conn,
    s: &Settings,
    reference: &Reference,
    now: NaiveDateTime,
) -> Result<crate::db::privacy::Erasure, Error> {
    write_tx(conn, |conn| {
        let before = load_live(conn, reference)?;
        let e = super::privacy::erase(conn, s, reference, super::privacy::Rule::Mover, None, "", now)?;
        tell_consultant(conn, s, &before, "erased", now)?;
        Ok(e)
    })
}

/// The case's consultant learns what the mover did (Danish, no personal
/// data: the case number and a link). No consultant, no email: the
/// timeline has it.
fn tell_consultant(conn: &mut Conn, s: &Settings, d: &CaseDetail, what: &str, now: NaiveDateTime) -> Result<(), Error> {
    let Some(consultant) = d.case.assignee_id.as_deref().map(|id| users::find(conn, id)).transpose()?.flatten() else {
        return Ok(());
    };
    if !consultant.active {
        return Ok(());
    }
    let common = emails::common(s, d.case.language, &d.case.reference, "", Some(&consultant), &d.areas, 0, 0);
    let notice = email::MoverChanged {
        common: emails::in_danish(s, common),
        case_url: format!("{}/cases/{}", s.public_url, d.case.reference),
        what: what.to_string(),
        envelope: Envelope::to(Recipient::new(&consultant.name, &consultant.email)),
    };
    emails::queue(conn, s, Some(&d.case.id), &notice, now)
}
