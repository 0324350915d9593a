//! The workflow's emails: each typed email of `mail::email` filled from a
//! case and the settings, rendered, and written to the outbox in the
//! caller's transaction.

use chrono::{NaiveDate, NaiveDateTime};

use crate::config::Settings;
use crate::db::cases::CaseDetail;
use crate::db::outbox::{self, NewEmail};
use crate::db::{users, visits, Conn};
use crate::domain::inquiry::Language;
use crate::domain::text::CaseId;
use crate::error::Error;
use crate::mail::email::{self, AreaLink, Common, Composed, Email, Envelope, Link, Person, Recipient};
use crate::mail::{ics, Calendar};

use super::{local_date, local_time, mail_domain};

/// The common variables, from parts (a case not yet written, or one read back).
#[allow(clippy::too_many_arguments)]
pub(crate) fn common(
    s: &Settings,
    lang: Language,
    reference: &str,
    mover_name: &str,
    consultant: Option<&users::User>,
    area_slugs: &[String],
    children_count: usize,
    adults: i32,
) -> Common {
    Common {
        lang,
        municipality: s.municipality.name_in(lang.as_str()).to_string(),
        public_url: s.public_url.clone(),
        reference: reference.to_string(),
        mover_name: mover_name.to_string(),
        consultant: consultant.map(|u| Person { name: u.name.clone(), email: u.email.clone() }),
        areas: area_slugs.iter().map(|slug| s.area(slug).map_or_else(|| slug.clone(), |a| a.name.clone())).collect(),
        children_count,
        adults,
        response_days: s.queue.first_contact_goal_working_days,
    }
}

/// The same variables for a staff or ambassador email, which is Danish
/// (the municipality named as in Danish, too).
pub(crate) fn in_danish(s: &Settings, common: Common) -> Common {
    Common { lang: Language::Da, municipality: s.municipality.name.clone(), ..common }
}

/// An email to a case's mover: the common variables in their language and
/// the envelope (replies go to their consultant, if they have one).
pub(crate) struct ToMover {
    pub common: Common,
    pub envelope: Envelope,
    pub consultant: Option<users::User>,
}

pub(crate) fn to_mover(conn: &mut Conn, s: &Settings, d: &CaseDetail) -> Result<ToMover, Error> {
    to_mover_by(conn, s, d, None)
}

/// As [`to_mover`], for an email a staff member's action causes: on a case
/// nobody is assigned to, the staff member who acted signs it and gets the
/// replies (not an anonymous "the municipality" with no Reply-To).
pub(crate) fn to_mover_by(
    conn: &mut Conn,
    s: &Settings,
    d: &CaseDetail,
    actor_id: Option<&str>,
) -> Result<ToMover, Error> {
    if d.erased_at.is_some() {
        return Err(Error::Refused(crate::error::Refusal::Erased));
    }
    let (c, p) = (&d.case, &d.person);
    let consultant = match c.assignee_id.as_deref().or(actor_id) {
        Some(id) => users::find(conn, id)?.filter(|u| u.role.is_staff()),
        None => None,
    };
    let children = usize::try_from(c.children_count).unwrap_or(0);
    let common = common(s, c.language, &c.reference, &p.name, consultant.as_ref(), &d.areas, children, c.adults);
    let envelope = Envelope {
        to: Recipient::new(&p.name, &p.email),
        reply_to: consultant.as_ref().and_then(|u| Recipient::new(&u.name, &u.email).mailbox()),
        calendar: None,
    };
    Ok(ToMover { common, envelope, consultant })
}

/// Renders `email` (an error here is a bug: a template and its struct disagree).
pub(crate) fn compose<E: Email>(email: &E) -> Result<Composed, Error> {
    email::compose(email).map_err(|e| Error::bug(format!("email {}: {e}", email.template())))
}

/// The outbox row of a composed email.
pub(crate) fn new_email(case_id: Option<&CaseId>, c: Composed) -> NewEmail {
    let (ics, ics_method) = match c.calendar {
        Some(Calendar { ics, method }) => (Some(ics), Some(method)),
        None => (None, None),
    };
    NewEmail {
        case_id: case_id.cloned(),
        template: c.template,
        recipient: c.to.address,
        recipient_name: c.to.name,
        reply_to: c.reply_to.map(|m| m.to_string()),
        subject: c.rendered.subject,
        body_text: c.rendered.text,
        body_html: c.rendered.html,
        ics,
        ics_method,
    }
}

/// Renders `email` and writes it to the outbox.
pub(crate) fn queue<E: Email>(
    conn: &mut Conn,
    s: &Settings,
    case_id: Option<&CaseId>,
    email: &E,
    now: NaiveDateTime,
) -> Result<(), Error> {
    outbox::enqueue(conn, &new_email(case_id, compose(email)?), &mail_domain(s), now)?;
    Ok(())
}

/// A visit as the mover reads it.
pub(crate) fn visit(v: &visits::Visit, s: &Settings) -> email::Visit {
    email::Visit {
        date: local_date(v.starts_at, s),
        time: local_time(v.starts_at, s),
        place: v.place.clone(),
        note: v.note.clone().unwrap_or_default(),
    }
}

/// The visit's calendar part: organised by the consultant (or the
/// municipality), the mover the attendee; `cancelled` withdraws it.
pub(crate) fn visit_calendar(
    s: &Settings,
    d: &CaseDetail,
    consultant: Option<&users::User>,
    v: &visits::Visit,
    cancelled: bool,
) -> Calendar {
    let municipality = s.municipality.name_in(d.case.language.as_str());
    let (org_name, org_email) = consultant.map_or_else(
        || (municipality.to_string(), crate::mail::transport::address_of(&s.mail.from)),
        |u| (u.name.clone(), u.email.clone()),
    );
    let summary = if d.case.language == Language::En {
        format!("Visit — {municipality}")
    } else {
        format!("Besøg — {municipality}")
    };
    let ics = ics::calendar(&ics::Event {
        uid: &v.uid,
        sequence: v.sequence,
        starts: v.starts_at.and_utc(),
        minutes: i64::from(v.duration_minutes),
        summary: &summary,
        location: &v.place,
        description: v.note.as_deref().unwrap_or(""),
        organizer_name: &org_name,
        organizer_email: &org_email,
        attendee_name: &d.person.name,
        attendee_email: &d.person.email,
        cancelled,
        stamp: chrono::Utc::now(),
    });
    Calendar { ics, method: ics::method(cancelled).to_string() }
}

fn links(list: &[crate::config::Link], lang: Language) -> Vec<Link> {
    list.iter()
        .map(|l| Link { title: if lang == Language::En { l.en.clone() } else { l.da.clone() }, url: l.url.clone() })
        .collect()
}

/// The information pack fitted to the household: children → daycare and
/// schools; job help → jobs; building → plots; and the chosen areas' pages
/// (`with_areas`; the consultant's starter leaves them out).
pub(crate) fn information_pack(
    s: &Settings,
    d: &CaseDetail,
    mover: ToMover,
    note: &str,
    with_areas: bool,
) -> email::InformationPack {
    let c = &d.case;
    let lang = mover.common.lang;
    let area_links = if with_areas {
        d.areas
            .iter()
            .filter_map(|slug| s.area(slug))
            .filter_map(|a| a.url.as_ref().map(|u| AreaLink { name: a.name.clone(), url: u.clone() }))
            .collect()
    } else {
        vec![]
    };
    email::InformationPack {
        common: mover.common,
        note: note.trim().to_string(),
        links_general: links(&s.information.general, lang),
        links_children: if c.children_count > 0 { links(&s.information.children, lang) } else { vec![] },
        links_jobs: if c.job_help { links(&s.information.jobs, lang) } else { vec![] },
        links_build: if c.housing == crate::domain::inquiry::Housing::Build {
            links(&s.information.build, lang)
        } else {
            vec![]
        },
        area_links,
        envelope: mover.envelope,
    }
}

/// The welcome on entering move-in.
pub(crate) fn welcome(s: &Settings, d: &CaseDetail, mover: ToMover) -> email::Welcome {
    let date = d.case.move_in_date.as_deref().and_then(|t| NaiveDate::parse_from_str(t, "%Y-%m-%d").ok());
    let area = d.case.move_in_area.as_deref().and_then(|a| s.area(a)).map(|a| a.name.clone());
    email::Welcome {
        common: mover.common,
        move_in_date: date.map(|d| d.format("%d.%m.%Y").to_string()).unwrap_or_default(),
        area_name: area.unwrap_or_default(),
        checklist: s.information.checklist.clone(),
        envelope: mover.envelope,
    }
}

/// An admin sends a dead email again: it is pending once more, due now,
/// its attempts counted afresh. `false` when it is not dead.
pub fn retry(conn: &mut Conn, outbox_id: &str) -> Result<bool, Error> {
    crate::db::outbox::retry(conn, outbox_id, crate::db::now())
}
