//! Newcomers' events: staff create them and invite by area, stage or
//! move-in date; newcomers and ambassadors sign up through a private link
//! (or an open link, no case needed); a full event keeps a waiting list
//! that moves up by itself; the day before, a reminder; afterwards staff
//! record who came. Emails go through the outbox like every other: the
//! reminders are follow-ups without a case, claimed once per event.

use chrono::NaiveDateTime;
use serde::Serialize;

use super::{emails, local_date, local_time, mail_domain};
use crate::config::Settings;
use crate::crypto;
use crate::db::cases::append_event;
use crate::db::events::{self, Event, Guest, NewEvent, NewGuest};
use crate::db::{write_tx, Conn};
use crate::domain::case::{EventKind, Stage};
use crate::domain::event::{self as rules, GuestState};
use crate::domain::inquiry::Language;
use crate::error::Error;
use crate::mail::email::{self, Envelope, Recipient};
use crate::mail::{ics, Calendar};

/// Most persons one sign-up may bring.
pub const MAX_PERSONS: i32 = 20;

/// Staff's event form as typed.
#[derive(Debug, Clone, Default, Serialize)]
pub struct EventDraft {
    pub title: String,
    pub description: String,
    pub date: String,
    pub time: String,
    pub minutes: String,
    pub place: String,
    pub areas: Vec<String>,
    pub capacity: String,
    pub languages: Vec<String>,
    pub deadline: String,
}

/// A refused field and a code the page turns into words.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FieldError {
    pub field: String,
    pub code: &'static str,
}

fn err(field: &str, code: &'static str) -> FieldError {
    FieldError { field: field.into(), code }
}

/// Checks the event form: every field at its place.
pub fn check_event(s: &Settings, d: &EventDraft, now: NaiveDateTime) -> Result<NewEvent, Vec<FieldError>> {
    let mut errors = Vec::new();
    let req = |v: &str, f: &str, errors: &mut Vec<FieldError>| {
        if v.trim().is_empty() {
            errors.push(err(f, "required"));
        }
    };
    req(&d.title, "title", &mut errors);
    req(&d.place, "place", &mut errors);
    let date = chrono::NaiveDate::parse_from_str(d.date.trim(), "%Y-%m-%d").ok();
    let time = chrono::NaiveTime::parse_from_str(d.time.trim(), "%H:%M").ok();
    let starts = match (date, time) {
        (Some(date), Some(time)) => Some(super::at_local(date, time, s)),
        _ => None,
    };
    match starts {
        Some(t) if t > now => {}
        Some(_) => errors.push(err("date", "event-in-past")),
        None => errors.push(err("date", "event-date")),
    }
    let minutes = d.minutes.trim().parse::<i32>().ok().filter(|m| (15..=720).contains(m));
    if minutes.is_none() {
        errors.push(err("minutes", "event-minutes"));
    }
    let capacity = d.capacity.trim().parse::<i32>().ok().filter(|c| (1..=2000).contains(c));
    if capacity.is_none() {
        errors.push(err("capacity", "event-capacity"));
    }
    if d.areas.is_empty() || d.areas.iter().any(|a| s.area(a).is_none()) {
        errors.push(err("areas", "event-areas"));
    }
    let languages: Vec<String> = d.languages.iter().filter(|l| Language::parse(l).is_some()).cloned().collect();
    if languages.is_empty() {
        errors.push(err("languages", "event-languages"));
    }
    let deadline = chrono::NaiveDate::parse_from_str(d.deadline.trim(), "%Y-%m-%d")
        .ok()
        .map(|day| super::at_local(day, chrono::NaiveTime::from_hms_opt(23, 59, 0).unwrap_or_default(), s));
    match (deadline, starts) {
        (Some(dl), Some(st)) if dl <= st => {}
        (None, _) => errors.push(err("deadline", "event-deadline")),
        _ => errors.push(err("deadline", "event-deadline-after")),
    }
    if d.title.chars().count() > 200 || d.place.chars().count() > 300 || d.description.chars().count() > 5000 {
        errors.push(err("description", "event-too-long"));
    }
    if !errors.is_empty() {
        return Err(errors);
    }
    Ok(NewEvent {
        title: d.title.trim().to_string(),
        description: d.description.trim().to_string(),
        starts_at: starts.unwrap_or(now),
        duration_minutes: minutes.unwrap_or(120),
        place: d.place.trim().to_string(),
        areas: d.areas.clone(),
        capacity: capacity.unwrap_or(1),
        languages,
        signup_deadline: deadline.unwrap_or(now),
    })
}

/// Creates the event; returns its id.
pub fn create(conn: &mut Conn, e: &NewEvent, actor: &str, now: NaiveDateTime) -> Result<String, Error> {
    let slug = crypto::random_token()[..16].to_string();
    events::create(conn, e, &slug, actor, now)
}

/// Whom to invite.
#[derive(Debug, Clone, Default)]
pub struct Invite {
    pub stage: Option<Stage>,
    /// YYYY-MM-DD: only those who moved in on or after.
    pub moved_since: Option<String>,
    pub ambassadors: bool,
}

/// Invites the newcomers of the event's areas (and, with `ambassadors`,
/// the active ambassadors of those areas) not yet invited; each gets an
/// email with the event, a calendar part and a private sign-up link.
/// Returns (newcomers, ambassadors) invited.
pub fn invite(
    conn: &mut Conn,
    s: &Settings,
    event_id: &str,
    who: &Invite,
    now: NaiveDateTime,
) -> Result<(usize, usize), Error> {
    write_tx(conn, |conn| {
        let event = events::get(conn, event_id)?.ok_or(Error::NotFound)?;
        let areas = event.area_list();
        let mut newcomers = 0;
        for (case_id, name, email, language, moved_to) in
            events::invitable_cases(conn, event_id, &areas, who.stage, who.moved_since.as_deref())?
        {
            let area = match moved_to.filter(|a| areas.contains(a)) {
                Some(a) => Some(a),
                None => events::case_area_in(conn, &case_id, &areas)?,
            };
            let g = NewGuest {
                case_id: Some(&case_id),
                user_id: None,
                name: &name,
                email: &email,
                language,
                area: area.as_deref(),
            };
            add_and_mail(conn, s, &event, &g, "invitation", now)?;
            append_event(conn, &case_id, EventKind::EventInvited, None, serde_json::json!({ "event": event.title }))?;
            newcomers += 1;
        }
        let mut ambassadors = 0;
        if who.ambassadors {
            let invited: Vec<String> = events::guests(conn, event_id)?.into_iter().filter_map(|g| g.user_id).collect();
            for a in crate::db::ambassadors::list(conn)? {
                let Some(area) = a.areas.iter().find(|x| areas.contains(x)) else { continue };
                if !a.user.active || a.paused || invited.contains(&a.user.id) {
                    continue;
                }
                let g = NewGuest {
                    case_id: None,
                    user_id: Some(&a.user.id),
                    name: &a.user.name,
                    email: &a.user.email,
                    language: Language::Da,
                    area: Some(area),
                };
                add_and_mail(conn, s, &event, &g, "invitation", now)?;
                ambassadors += 1;
            }
        }
        Ok((newcomers, ambassadors))
    })
}

/// Adds a guest with a fresh private link and emails them (`what`:
/// invitation | signed_up).
fn add_and_mail(
    conn: &mut Conn,
    s: &Settings,
    event: &Event,
    g: &NewGuest<'_>,
    what: &str,
    now: NaiveDateTime,
) -> Result<String, Error> {
    let token = crypto::random_token();
    events::add_guest(conn, &event.id, g, &crypto::token_hash(&token), now)?;
    let to = Recipient::new(g.name, g.email);
    mail(conn, s, event, g.case_id, &to, g.language, what, Some(&token), now)?;
    Ok(token)
}

/// One event email to one guest, with the calendar part on an invitation
/// or a seat.
#[allow(clippy::too_many_arguments)]
fn mail(
    conn: &mut Conn,
    s: &Settings,
    event: &Event,
    case_id: Option<&crate::domain::text::CaseId>,
    to: &Recipient,
    lang: Language,
    what: &str,
    token: Option<&str>,
    now: NaiveDateTime,
) -> Result<(), Error> {
    let calendar = matches!(what, "invitation" | "place").then(|| {
        let municipality = s.municipality.name_in(lang.as_str());
        let org = crate::mail::transport::address_of(&s.mail.from);
        Calendar {
            ics: ics::calendar(&ics::Event {
                uid: &format!("event-{}@{}", event.id, mail_domain(s)),
                sequence: 0,
                starts: event.starts_at.and_utc(),
                minutes: i64::from(event.duration_minutes),
                summary: &event.title,
                location: &event.place,
                description: &event.description,
                organizer_name: municipality,
                organizer_email: &org,
                attendee_name: &to.name,
                attendee_email: &to.address,
                cancelled: false,
                stamp: chrono::Utc::now(),
            }),
            method: ics::method(false).to_string(),
        }
    });
    let common = emails::common(s, lang, "", &to.name, None, &[], 0, 0);
    let email = email::EventEmail {
        common,
        what: what.to_string(),
        title: event.title.clone(),
        description: event.description.clone(),
        date: local_date(event.starts_at, s),
        time: local_time(event.starts_at, s),
        place: event.place.clone(),
        deadline: local_date(event.signup_deadline, s),
        signup_url: token.map(|t| format!("{}/event/{t}?lang={}", s.public_url, lang.as_str())).unwrap_or_default(),
        envelope: Envelope { to: to.clone(), reply_to: None, calendar },
    };
    emails::queue(conn, s, case_id, &email, now)
}

/// What a sign-up became.
#[derive(Debug)]
pub enum SignedUp {
    Seats,
    Waiting,
    Invalid(Vec<FieldError>),
    /// After the deadline (or the event): nothing changed.
    Closed,
}

/// Checks a sign-up form: adults at least one, children none or more.
pub fn check_signup(adults: &str, children: &str, needs: &str) -> Result<(i32, i32, Option<String>), Vec<FieldError>> {
    let mut errors = Vec::new();
    let a = adults.trim().parse::<i32>().ok().filter(|n| (1..=MAX_PERSONS).contains(n));
    if a.is_none() {
        errors.push(err("adults", "signup-adults"));
    }
    let c = if children.trim().is_empty() {
        Some(0)
    } else {
        children.trim().parse::<i32>().ok().filter(|n| (0..=MAX_PERSONS).contains(n))
    };
    if c.is_none() {
        errors.push(err("children", "signup-children"));
    }
    if needs.chars().count() > 1000 {
        errors.push(err("needs", "signup-needs-long"));
    }
    if !errors.is_empty() {
        return Err(errors);
    }
    Ok((a.unwrap_or(1), c.unwrap_or(0), Some(needs.trim().to_string()).filter(|n| !n.is_empty())))
}

fn taken(guests: &[Guest], except: &str) -> i32 {
    guests.iter().filter(|g| g.state == GuestState::SignedUp && g.id != except).map(Guest::persons).sum()
}

/// Signs up (or changes the sign-up) through the private link: seats if
/// they fit, else the waiting list.
pub fn sign_up(
    conn: &mut Conn,
    s: &Settings,
    token: &str,
    adults: &str,
    children: &str,
    needs: &str,
    now: NaiveDateTime,
) -> Result<SignedUp, Error> {
    write_tx(conn, |conn| {
        let guest = events::guest_by_token(conn, &crypto::token_hash(token))?.ok_or(Error::NotFound)?;
        let event = events::get(conn, &guest.event_id)?.ok_or(Error::NotFound)?;
        if now > event.signup_deadline || now > event.starts_at {
            return Ok(SignedUp::Closed);
        }
        let (a, c, needs) = match check_signup(adults, children, needs) {
            Ok(x) => x,
            Err(e) => return Ok(SignedUp::Invalid(e)),
        };
        let guests = events::guests(conn, &event.id)?;
        let state = if rules::fits(event.capacity, taken(&guests, &guest.id), a + c) {
            GuestState::SignedUp
        } else {
            GuestState::Waiting
        };
        events::set_answer(conn, &guest.id, state, a, c, needs.as_deref(), now)?;
        if let Some(case_id) = &guest.case_id {
            append_event(conn, case_id, EventKind::EventSignedUp, None, serde_json::json!({ "event": event.title }))?;
        }
        // Fewer seats than before may leave room for those waiting.
        move_up(conn, s, &event, now)?;
        Ok(if state == GuestState::SignedUp { SignedUp::Seats } else { SignedUp::Waiting })
    })
}

/// Cancels through the private link; the waiting list moves up, each one
/// who gets a seat by email.
pub fn cancel(conn: &mut Conn, s: &Settings, token: &str, now: NaiveDateTime) -> Result<(), Error> {
    write_tx(conn, |conn| {
        let guest = events::guest_by_token(conn, &crypto::token_hash(token))?.ok_or(Error::NotFound)?;
        let event = events::get(conn, &guest.event_id)?.ok_or(Error::NotFound)?;
        events::set_state(conn, &guest.id, GuestState::Cancelled)?;
        move_up(conn, s, &event, now)
    })
}

fn move_up(conn: &mut Conn, s: &Settings, event: &Event, now: NaiveDateTime) -> Result<(), Error> {
    let guests = events::guests(conn, &event.id)?;
    let mut waiting: Vec<&Guest> = guests.iter().filter(|g| g.state == GuestState::Waiting).collect();
    waiting.sort_by_key(|g| g.signed_up_at);
    let list: Vec<rules::Waiting> =
        waiting.iter().map(|g| rules::Waiting { id: g.id.clone(), persons: g.persons() }).collect();
    for id in rules::move_up(event.capacity, taken(&guests, ""), &list) {
        let Some(g) = guests.iter().find(|g| g.id == id) else { continue };
        events::set_state(conn, &g.id, GuestState::SignedUp)?;
        if let (Some(name), Some(address)) = (&g.name, &g.email) {
            mail(conn, s, event, g.case_id.as_ref(), &Recipient::new(name, address), g.language, "place", None, now)?;
        }
    }
    Ok(())
}

/// The open sign-up for newcomers the service never met: a guest with no
/// case (their own retention: name and email go some weeks after the
/// event), signed up at once, with their private link by email.
#[allow(clippy::too_many_arguments)]
pub fn open_sign_up(
    conn: &mut Conn,
    s: &Settings,
    slug: &str,
    name: &str,
    address: &str,
    lang: Language,
    adults: &str,
    children: &str,
    needs: &str,
    now: NaiveDateTime,
) -> Result<SignedUp, Error> {
    write_tx(conn, |conn| {
        let event = events::by_slug(conn, slug)?.ok_or(Error::NotFound)?;
        if now > event.signup_deadline {
            return Ok(SignedUp::Closed);
        }
        let mut errors = match check_signup(adults, children, needs) {
            Ok(_) => vec![],
            Err(e) => e,
        };
        if name.trim().is_empty() || name.chars().count() > 200 {
            errors.push(err("name", "required"));
        }
        if crate::domain::inquiry::Email::parse(address).is_err() {
            errors.push(err("email", "email"));
        }
        if !errors.is_empty() {
            return Ok(SignedUp::Invalid(errors));
        }
        let g = NewGuest {
            case_id: None,
            user_id: None,
            name: name.trim(),
            email: address.trim(),
            language: lang,
            area: None,
        };
        let token = add_and_mail(conn, s, &event, &g, "signed_up", now)?;
        sign_up(conn, s, &token, adults, children, needs, now)
    })
}

/// The reminder the day before, to everyone with seats; once per event.
pub fn remind_due(conn: &mut Conn, s: &Settings, now: NaiveDateTime) -> Result<usize, Error> {
    let mut sent = 0;
    // As for visits: at `followups.visit_reminder_time` on the day before.
    let at = super::parse_hhmm(&s.followups.visit_reminder_time);
    for event in events::to_remind(conn, now, now + chrono::Duration::days(2))? {
        let start = event.starts_at.and_utc().with_timezone(&s.time_zone).date_naive();
        if now < super::at_local(start - chrono::Duration::days(1), at, s) {
            continue;
        }
        sent += write_tx(conn, |conn| {
            if !events::mark_reminded(conn, &event.id, now)? {
                return Ok(0);
            }
            let mut n = 0;
            for g in events::guests(conn, &event.id)?.into_iter().filter(|g| g.state == GuestState::SignedUp) {
                if let (Some(name), Some(address)) = (&g.name, &g.email) {
                    mail(
                        conn,
                        s,
                        &event,
                        g.case_id.as_ref(),
                        &Recipient::new(name, address),
                        g.language,
                        "reminder",
                        None,
                        now,
                    )?;
                    n += 1;
                }
            }
            Ok(n)
        })?;
    }
    Ok(sent)
}

/// Staff record who came: on each newcomer's timeline; the needs are
/// deleted now the event is over.
pub fn record_attendance(
    conn: &mut Conn,
    event_id: &str,
    came: &[String],
    actor: &str,
    now: NaiveDateTime,
) -> Result<usize, Error> {
    write_tx(conn, |conn| {
        let event = events::get(conn, event_id)?.ok_or(Error::NotFound)?;
        events::record_attendance(conn, event_id, came, now)?;
        let mut n = 0;
        for g in events::guests(conn, event_id)?.into_iter().filter(|g| g.came == Some(true)) {
            n += 1;
            if let Some(case_id) = &g.case_id {
                append_event(
                    conn,
                    case_id,
                    EventKind::EventAttended,
                    Some(actor),
                    serde_json::json!({ "event": event.title }),
                )?;
            }
        }
        Ok(n)
    })
}
