//! Referrals to local ambassadors: only with the mover's consent, the
//! ambassador reached through an emailed single-use sign-in link, every
//! step on the case's timeline, and the mover told who will contact them.

use chrono::NaiveDateTime;
use serde_json::json;

use super::emails;
use crate::config::Settings;
use crate::db::ambassadors::{self, Ambassador};
use crate::db::referrals::{self, Referral};
use crate::db::{cases, users, write_tx, Conn};
use crate::domain::case::EventKind;
use crate::domain::reference::Reference;
use crate::domain::referral::{self as rules, Candidate, State, Step};
use crate::domain::text::CaseId;
use crate::error::Error;
use crate::mail::email::{self, AmbassadorCard, Common, Envelope, Recipient};

/// Why a referral cannot be made.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ReferRefusal {
    /// The mover did not consent to ambassador contact (409).
    NoConsent,
    CaseClosed,
    /// Unknown, inactive or paused ambassador (404 in the API).
    NoSuchAmbassador,
    /// This ambassador already holds an open referral for the case.
    AlreadyReferred,
}

impl ReferRefusal {
    pub fn code(self) -> &'static str {
        match self {
            ReferRefusal::NoConsent => "refer-no-consent",
            ReferRefusal::CaseClosed => "refer-case-closed",
            ReferRefusal::NoSuchAmbassador => "refer-no-such-ambassador",
            ReferRefusal::AlreadyReferred => "refer-already",
        }
    }

    pub fn message_en(self) -> &'static str {
        match self {
            ReferRefusal::NoConsent => "the mover did not consent to contact from a local ambassador",
            ReferRefusal::CaseClosed => "the case is closed",
            ReferRefusal::NoSuchAmbassador => "no active ambassador with that email",
            ReferRefusal::AlreadyReferred => "this ambassador already has an open referral for the case",
        }
    }
}

/// Active, unpaused ambassadors ranked for a case.
pub fn suggestions(
    conn: &mut Conn,
    case_areas: &[String],
    case_interests: &[String],
) -> Result<Vec<(Ambassador, i64)>, Error> {
    let all: Vec<Ambassador> = ambassadors::list(conn)?.into_iter().filter(|a| a.user.active && !a.paused).collect();
    let candidates: Vec<Candidate<'_>> = all
        .iter()
        .map(|a| Candidate {
            id: &a.user.id,
            areas: &a.areas,
            interests: &a.interests,
            open_referrals: a.open_referrals,
        })
        .collect();
    let ranked = rules::rank(case_areas, case_interests, &candidates);
    Ok(ranked
        .into_iter()
        .filter_map(|(id, score)| all.iter().find(|a| a.user.id == id).map(|a| (a.clone(), score)))
        .collect())
}

fn first_name(full: &str) -> String {
    full.split_whitespace().next().unwrap_or("").to_string()
}

/// The email to the ambassador: the household in outline and a fresh
/// sign-in link (only its hash is stored).
fn queue_offer(conn: &mut Conn, s: &Settings, r: &Referral, reminder: bool, now: NaiveDateTime) -> Result<(), Error> {
    let amb = ambassadors::get(conn, &r.ambassador_id)?.ok_or(Error::NotFound)?;
    let case = cases::find_by_id(conn, &r.case_id)?.ok_or(Error::NotFound)?;
    let d = cases::detail(conn, &case.reference)?;
    let token = crate::crypto::random_token();
    let expires = now + chrono::Duration::days(i64::from(s.referrals.signin_link_days));
    referrals::create_signin_link(conn, &crate::crypto::token_hash(&token), &amb.user.id, Some(&r.id), now, expires)?;
    let mover = emails::to_mover(conn, s, &d)?;
    let year = chrono::Utc::now().with_timezone(&s.time_zone).format("%Y").to_string().parse::<i32>().unwrap_or(2026);
    let ages: Vec<i32> = d.case.children_years().iter().map(|y| (year - y).max(0)).collect();
    let interests: Vec<String> = d
        .interests
        .iter()
        .map(|slug| s.interests.iter().find(|i| &i.slug == slug).map_or_else(|| slug.clone(), |i| i.da.clone()))
        .collect();
    // Danish, and no surname or case number: see the template.
    let common = Common { reference: String::new(), mover_name: String::new(), ..emails::in_danish(s, mover.common) };
    let envelope = Envelope::to(Recipient::new(&amb.user.name, &amb.user.email));
    let (ambassador_name, signin_url) = (amb.user.name.clone(), format!("{}/signin/{token}", s.public_url));
    let (link_days, message, first_name) =
        (s.referrals.signin_link_days, r.message.clone(), first_name(&d.person.name));
    let timeframe = d.case.timeframe.as_str().to_string();
    let case_id = Some(&d.case.id);
    let referral = email::Referral {
        ambassador_name,
        signin_url,
        link_days,
        message,
        first_name,
        children_ages: ages,
        interests,
        timeframe,
    };
    if reminder {
        emails::queue(conn, s, case_id, &email::ReferralReminder { common, referral, envelope }, now)
    } else {
        emails::queue(conn, s, case_id, &email::ReferralOffer { common, referral, envelope }, now)
    }
}

/// Refers a case to an ambassador with a short message.
pub fn refer(
    conn: &mut Conn,
    s: &Settings,
    reference: &Reference,
    ambassador_id: &str,
    message: &str,
    actor_id: &str,
) -> Result<Result<Referral, ReferRefusal>, Error> {
    write_tx(conn, |conn| {
        let now = crate::db::now();
        let d = cases::detail(conn, reference)?;
        if !d.case.ambassador_contact {
            return Ok(Err(ReferRefusal::NoConsent));
        }
        if !d.case.is_open {
            return Ok(Err(ReferRefusal::CaseClosed));
        }
        let Some(amb) = ambassadors::get(conn, ambassador_id)?.filter(|a| a.user.active && !a.paused) else {
            return Ok(Err(ReferRefusal::NoSuchAmbassador));
        };
        let open = referrals::for_case(conn, &d.case.id)?
            .into_iter()
            .any(|(r, _)| r.ambassador_id == amb.user.id && r.state().is_open());
        if open {
            return Ok(Err(ReferRefusal::AlreadyReferred));
        }
        let r = referrals::create(conn, &d.case.id, &amb.user.id, message.trim(), actor_id, now)?;
        queue_offer(conn, s, &r, false, now)?;
        Ok(Ok(r))
    })
}

/// What went wrong with an ambassador's or consultant's step.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StepRefusal {
    NotFound,
    Rule(rules::Refusal),
}

/// A step on a referral. `by_ambassador`: the referral must be theirs (and
/// a withdrawal is the consultant's, not theirs).
pub fn take_step(
    conn: &mut Conn,
    s: &Settings,
    referral_id: &str,
    step: &Step,
    actor: &users::User,
    by_ambassador: bool,
) -> Result<Result<Referral, StepRefusal>, Error> {
    write_tx(conn, |conn| {
        let now = crate::db::now();
        let Some(r) = referrals::get(conn, referral_id)? else { return Ok(Err(StepRefusal::NotFound)) };
        if by_ambassador && (r.ambassador_id != actor.id || *step == Step::Withdraw) {
            return Ok(Err(StepRefusal::NotFound));
        }
        let case = cases::find_by_id(conn, &r.case_id)?.ok_or(Error::NotFound)?;
        if !case.is_open
            && !rules::allowed_on_closed_case(step, case.outcome == Some(crate::domain::case::Outcome::Welcomed))
        {
            return Ok(Err(StepRefusal::Rule(rules::Refusal::NotNow)));
        }
        let to = match rules::step(r.state(), step) {
            Ok(to) => to,
            Err(e) => return Ok(Err(StepRefusal::Rule(e))),
        };
        let text = match step {
            Step::Decline { reason } => Some(reason.trim()),
            Step::Close { report } => Some(report.trim()),
            _ => None,
        };
        if !referrals::set_state(conn, &r, to, text, Some(&actor.id), now)? {
            return Ok(Err(StepRefusal::Rule(rules::Refusal::NotNow)));
        }
        if to == State::Accepted {
            tell_mover(conn, s, &r, now)?;
        }
        Ok(Ok(referrals::get(conn, referral_id)?.ok_or(Error::NotFound)?))
    })
}

/// Closing a case: offered referrals are withdrawn, and taken-on ones too
/// unless the case closed as welcomed (see `rules::withdrawn_on_close`).
/// Each withdrawal lands on the timeline. Called inside the closing
/// transaction.
pub(crate) fn withdraw_on_close(
    conn: &mut Conn,
    case_id: &CaseId,
    welcomed: bool,
    why: &str,
    actor_id: Option<&str>,
    now: NaiveDateTime,
) -> Result<usize, Error> {
    let mut n = 0;
    for (r, _) in referrals::for_case(conn, case_id)? {
        if rules::withdrawn_on_close(r.state(), welcomed)
            && referrals::set_state(conn, &r, State::Withdrawn, Some(why), actor_id, now)?
        {
            n += 1;
        }
    }
    Ok(n)
}

/// The mover learns who will contact them, in their language.
fn tell_mover(conn: &mut Conn, s: &Settings, r: &Referral, now: NaiveDateTime) -> Result<(), Error> {
    let amb = ambassadors::get(conn, &r.ambassador_id)?.ok_or(Error::NotFound)?;
    let case = cases::find_by_id(conn, &r.case_id)?.ok_or(Error::NotFound)?;
    let d = cases::detail(conn, &case.reference)?;
    let mover = emails::to_mover(conn, s, &d)?;
    let accepted = email::ReferralAccepted {
        common: mover.common,
        ambassador: AmbassadorCard {
            name: amb.user.name,
            organisation: amb.organisation,
            email: amb.user.email,
            phone: amb.phone.unwrap_or_default(),
        },
        envelope: mover.envelope,
    };
    emails::queue(conn, s, Some(&d.case.id), &accepted, now)
}

/// Registers an ambassador (the admin page and `velkomst user add --role
/// ambassador` alike); `None` when the email is taken.
pub fn register_ambassador(
    conn: &mut Conn,
    email: &str,
    name: &str,
    profile: &ambassadors::Profile,
) -> Result<Option<users::User>, Error> {
    write_tx(conn, |conn| ambassadors::create(conn, email, name, profile))
}

/// Saves an ambassador's profile; `paused` keeps them out of suggestions.
pub fn update_ambassador(
    conn: &mut Conn,
    user_id: &str,
    name: &str,
    profile: &ambassadors::Profile,
    paused: bool,
) -> Result<(), Error> {
    write_tx(conn, |conn| ambassadors::update(conn, user_id, name, profile, paused))
}

/// Deactivates an ambassador: sessions and links end at once, and their
/// open referrals go back to the consultant (withdrawn, on the timeline).
pub fn deactivate_ambassador(conn: &mut Conn, user_id: &str, actor_id: &str) -> Result<usize, Error> {
    write_tx(conn, |conn| {
        let now = crate::db::now();
        users::set_active(conn, user_id, false)?;
        let mut n = 0;
        for r in referrals::for_ambassador(conn, user_id)?.into_iter().filter(|r| r.state().is_open()) {
            if referrals::set_state(conn, &r, State::Withdrawn, Some("ambassador deactivated"), Some(actor_id), now)? {
                n += 1;
            }
        }
        Ok(n)
    })
}

/// Deactivates or reactivates a registered ambassador (404 for anyone
/// else's id).
pub fn set_ambassador_active(conn: &mut Conn, user_id: &str, active: bool, actor_id: &str) -> Result<(), Error> {
    write_tx(conn, |conn| {
        ambassadors::get(conn, user_id)?.ok_or(Error::NotFound)?;
        if active {
            reactivate_ambassador(conn, user_id)
        } else {
            deactivate_ambassador(conn, user_id, actor_id).map(|_| ())
        }
    })
}

/// Makes a deactivated ambassador active again: suggested for referrals
/// and able to sign in. Referrals withdrawn at deactivation stay withdrawn.
pub fn reactivate_ambassador(conn: &mut Conn, user_id: &str) -> Result<(), Error> {
    write_tx(conn, |conn| users::set_active(conn, user_id, true))
}

/// No answer to an offer: a reminder with a fresh link after
/// `reminder_after_days`, a flag to the consultant after `flag_after_days`.
pub fn chase(conn: &mut Conn, s: &Settings, now: NaiveDateTime) -> Result<(usize, usize), Error> {
    let remind_before = now - chrono::Duration::days(i64::from(s.referrals.reminder_after_days));
    let flag_before = now - chrono::Duration::days(i64::from(s.referrals.flag_after_days));
    let mut reminded = 0;
    for r in referrals::needing_reminder(conn, remind_before)? {
        let sent = write_tx(conn, |conn| {
            if !referrals::mark_reminded(conn, &r.id, now)? {
                return Ok(false);
            }
            cases::append_event(conn, &r.case_id, EventKind::ReferralReminded, None, json!({ "referral": r.id }))?;
            queue_offer(conn, s, &r, true, now)?;
            Ok(true)
        })?;
        reminded += usize::from(sent);
    }
    let mut flagged = 0;
    for r in referrals::needing_flag(conn, flag_before)? {
        flagged += usize::from(write_tx(conn, |conn| referrals::mark_flagged(conn, &r, now))?);
    }
    Ok((reminded, flagged))
}

/// Uses a sign-in link: the ambassador's user id and the referral it
/// points to, or `None` for an expired, used, tampered or revoked link.
pub fn use_signin_link(conn: &mut Conn, token: &str) -> Result<Option<(String, Option<String>)>, Error> {
    let hash = crate::crypto::token_hash(token);
    write_tx(conn, |conn| {
        let now = crate::db::now();
        let Some(found) = referrals::peek_signin_link(conn, &hash, now)? else { return Ok(None) };
        if !referrals::use_signin_link(conn, &hash, now)? {
            return Ok(None);
        }
        Ok(Some(found))
    })
}

pub fn peek_signin_link(conn: &mut Conn, token: &str) -> Result<Option<(String, Option<String>)>, Error> {
    referrals::peek_signin_link(conn, &crate::crypto::token_hash(token), crate::db::now())
}

/// A sign-in link was opened: it stays usable for at most
/// `referrals.signin_link_opened_hours` more, however long it had left, so
/// a link copied from a browser history or a proxy log soon dies.
pub fn open_signin_link(conn: &mut Conn, s: &Settings, token: &str) -> Result<Option<(String, Option<String>)>, Error> {
    let hash = crate::crypto::token_hash(token);
    let now = crate::db::now();
    let Some(found) = referrals::peek_signin_link(conn, &hash, now)? else { return Ok(None) };
    let until = now + chrono::Duration::hours(i64::from(s.referrals.signin_link_opened_hours));
    write_tx(conn, |conn| referrals::shorten_signin_link(conn, &hash, until))?;
    Ok(Some(found))
}
