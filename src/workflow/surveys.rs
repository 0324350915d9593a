//! After the move: the welcome survey and the one-year check.
//!
//! Not follow-ups of a stage: they are due from the recorded move-in date,
//! whatever the case's stage, so a case closed as welcomed is asked too
//! (closing cancels the stage's follow-ups, not these). The worker looks
//! each round for cases whose survey is due and not yet sent; the survey
//! row and its email are written in one transaction, and a unique
//! (case, kind) index makes a second worker's attempt fail instead of
//! mailing twice. One reminder if unanswered; nothing after an answer, an
//! erasure or the survey's close.

use std::collections::BTreeMap;

use chrono::{NaiveDate, NaiveDateTime};
use serde::Serialize;

use super::{emails, local_date};
use crate::config::Settings;
use crate::crypto;
use crate::db::cases::{self, append_event};
use crate::db::surveys::{self, Survey};
use crate::db::{write_tx, Conn};
use crate::domain::case::EventKind;
use crate::domain::survey::{self as rules, Draft, FieldError, Kind};
use crate::domain::text::CaseId;
use crate::error::Error;
use crate::mail::email::{OneYearCheck, WelcomeSurvey};

/// The local date of `now`.
fn today(s: &Settings, now: NaiveDateTime) -> NaiveDate {
    now.and_utc().with_timezone(&s.time_zone).date_naive()
}

/// Sends every survey due at `now` (both kinds); returns how many.
pub fn start_due(conn: &mut Conn, s: &Settings, now: NaiveDateTime) -> Result<usize, Error> {
    let c = &s.surveys;
    if !c.enabled {
        return Ok(0);
    }
    let mut sent = 0;
    for kind in Kind::ALL {
        let (from, to) =
            rules::move_in_range(today(s, now), *kind, c.welcome_after_days, c.one_year_after_months, c.window_days);
        for case_id in surveys::due_cases(conn, *kind, from, to, 200)? {
            write_tx(conn, |conn| send(conn, s, &case_id, *kind, None, now))?;
            sent += 1;
        }
    }
    Ok(sent)
}

/// The one reminder of every unanswered survey whose time has come.
pub fn remind_due(conn: &mut Conn, s: &Settings, now: NaiveDateTime) -> Result<usize, Error> {
    let before = now - chrono::Duration::days(i64::from(s.surveys.reminder_after_days));
    let mut reminded = 0;
    for survey in surveys::to_remind(conn, before, now, 200)? {
        if write_tx(conn, |conn| send(conn, s, &survey.case_id, survey.kind, Some(&survey), now))? {
            reminded += 1;
        }
    }
    Ok(reminded)
}

/// The survey email (or, with `reminder_of`, its reminder) with a fresh
/// private link; false when another worker sent the reminder already.
fn send(
    conn: &mut Conn,
    s: &Settings,
    case_id: &CaseId,
    kind: Kind,
    reminder_of: Option<&Survey>,
    now: NaiveDateTime,
) -> Result<bool, Error> {
    let Some(case) = cases::find_by_id(conn, case_id)? else { return Ok(false) };
    let d = cases::detail(conn, &case.reference)?;
    if d.erased_at.is_some() {
        return Ok(false);
    }
    let token = crypto::random_token();
    let hash = crypto::token_hash(&token);
    let closes_at = match reminder_of {
        Some(survey) => {
            if !surveys::mark_reminded(conn, &survey.id, &hash, now)? {
                return Ok(false);
            }
            survey.closes_at
        }
        None => {
            let closes_at = now + chrono::Duration::days(i64::from(s.surveys.open_days));
            surveys::create(conn, case_id, kind, &hash, now, closes_at)?;
            closes_at
        }
    };
    let mover = emails::to_mover(conn, s, &d)?;
    let (common, envelope) = (mover.common, mover.envelope);
    let (survey_url, closes, reminder) = (
        format!("{}/survey/{token}?lang={}", s.public_url, d.case.language.as_str()),
        local_date(closes_at, s),
        reminder_of.is_some(),
    );
    match kind {
        Kind::Welcome => emails::queue(
            conn,
            s,
            Some(case_id),
            &WelcomeSurvey { common, survey_url, closes, reminder, envelope },
            now,
        )?,
        Kind::OneYear => emails::queue(
            conn,
            s,
            Some(case_id),
            &OneYearCheck { common, survey_url, closes, reminder, envelope },
            now,
        )?,
    }
    let event = if reminder { EventKind::SurveyReminded } else { EventKind::SurveySent };
    append_event(conn, case_id, event, None, serde_json::json!({ "survey": kind.as_str() }))?;
    Ok(true)
}

/// The survey a private link opens (none: unknown link, or erased).
pub fn by_token(conn: &mut Conn, token: &str) -> Result<Option<Survey>, Error> {
    surveys::by_token(conn, &crypto::token_hash(token))
}

/// What became of an answer.
#[derive(Debug)]
pub enum Answered {
    Saved(Survey),
    Invalid(Vec<FieldError>),
    /// The survey closed: nothing is stored.
    Closed,
}

/// Stores (or replaces) the answer given through a private link.
pub fn answer(
    conn: &mut Conn,
    s: &Settings,
    token: &str,
    draft: &Draft,
    now: NaiveDateTime,
) -> Result<Answered, Error> {
    write_tx(conn, |conn| {
        let survey = by_token(conn, token)?.ok_or(Error::NotFound)?;
        if !survey.is_open(now) {
            return Ok(Answered::Closed);
        }
        let checked = rules::check(survey.kind, draft, &s.surveys.statement_keys(), &s.surveys.help_keys());
        let answer = match checked {
            Ok(a) => a,
            Err(errors) => return Ok(Answered::Invalid(errors)),
        };
        surveys::answer(conn, &survey.id, &answer, now)?;
        let changed = survey.answered_at.is_some();
        append_event(
            conn,
            &survey.case_id,
            EventKind::SurveyAnswered,
            None,
            serde_json::json!({ "survey": survey.kind.as_str(), "changed": changed }),
        )?;
        let saved = by_token(conn, token)?.ok_or(Error::NotFound)?;
        Ok(Answered::Saved(saved))
    })
}

/// The stored answer as a form shows it again.
pub fn draft_of(survey: &Survey) -> Draft {
    Draft {
        scores: survey.score_map().into_iter().map(|(k, v)| (k, v.to_string())).collect(),
        helped: survey.helped_list(),
        residence: survey.residence.map(|r| r.as_str().to_string()).unwrap_or_default(),
        comment: survey.comment.clone().unwrap_or_default(),
    }
}

/// One statement and its score, in words.
#[derive(Debug, Clone, Serialize)]
pub struct ScoreLine {
    pub text: String,
    pub score: Option<u8>,
}

/// A survey as the case page shows it to staff (free text included: the
/// case page is staff's alone).
#[derive(Debug, Clone, Serialize)]
pub struct CaseSurvey {
    pub kind: &'static str,
    /// dd.mm.yyyy of the email, or when it is due if not yet sent.
    pub sent: Option<String>,
    pub due: Option<String>,
    pub reminded: Option<String>,
    pub answered: Option<String>,
    pub closes: Option<String>,
    pub scores: Vec<ScoreLine>,
    pub helped: Vec<String>,
    pub residence: Option<&'static str>,
    pub comment: Option<String>,
}

/// The case's surveys, sent or still to come, for the case page.
pub fn of_case(
    conn: &mut Conn,
    s: &Settings,
    case: &cases::CaseRow,
    lang: &str,
    now: NaiveDateTime,
) -> Result<Vec<CaseSurvey>, Error> {
    let stored = surveys::of_case(conn, &case.id)?;
    let move_in = case.move_in_date.as_deref().and_then(|t| NaiveDate::parse_from_str(t, "%Y-%m-%d").ok());
    let eligible = case.is_open || case.outcome == Some(crate::domain::case::Outcome::Welcomed);
    let c = &s.surveys;
    let mut out = Vec::new();
    for kind in Kind::ALL {
        let Some(sv) = stored.iter().find(|x| x.kind == *kind) else {
            // Not sent yet: when it will be, if it will.
            if let (Some(m), true, true) = (move_in, eligible, c.enabled) {
                let due = rules::due_date(m, *kind, c.welcome_after_days, c.one_year_after_months);
                if due >= today(s, now) - chrono::Duration::days(i64::from(c.window_days)) {
                    out.push(CaseSurvey {
                        kind: kind.as_str(),
                        sent: None,
                        due: Some(due.format("%d.%m.%Y").to_string()),
                        reminded: None,
                        answered: None,
                        closes: None,
                        scores: vec![],
                        helped: vec![],
                        residence: None,
                        comment: None,
                    });
                }
            }
            continue;
        };
        let scores: BTreeMap<String, u8> = sv.score_map();
        let helped = sv.helped_list();
        out.push(CaseSurvey {
            kind: kind.as_str(),
            sent: Some(local_date(sv.sent_at, s)),
            due: None,
            reminded: sv.reminded_at.map(|t| local_date(t, s)),
            answered: sv.answered_at.map(|t| local_date(t, s)),
            closes: Some(local_date(sv.closes_at, s)),
            scores: if sv.answered_at.is_some() && *kind == Kind::Welcome {
                c.statements
                    .iter()
                    .map(|st| ScoreLine { text: st.text(lang).to_string(), score: scores.get(&st.key).copied() })
                    .collect()
            } else {
                vec![]
            },
            helped: c.help.iter().filter(|h| helped.contains(&h.key)).map(|h| h.text(lang).to_string()).collect(),
            residence: sv.residence.map(|r| r.as_str()),
            comment: sv.comment.clone(),
        });
    }
    Ok(out)
}

/// The anonymous figures of the surveys sent in a period: what the reports
/// show. No free text and no names ever reach them; with `mask` (the
/// reporter role) counts of 1 to `min - 1` are hidden.
#[derive(Debug, Clone, Serialize)]
pub struct Figures {
    pub welcome: rules::WelcomeFigures,
    /// Share still resident after a year, by area, campaign and household.
    pub one_year_by_area: Vec<rules::ResidenceRow>,
    pub one_year_by_campaign: Vec<rules::ResidenceRow>,
    pub one_year_by_household: Vec<rules::ResidenceRow>,
    pub one_year_total: Vec<rules::ResidenceRow>,
}

/// The household as the reports group it (CONTRACT: `by=household`).
pub fn household(adults: i32, children: i32) -> &'static str {
    match (adults, children) {
        (_, c) if c > 0 => "family_with_children",
        (2, _) => "couple",
        (1, _) => "single",
        _ => "other",
    }
}

/// The figures of surveys sent in `[from, to)` (UTC).
pub fn figures(
    conn: &mut Conn,
    s: &Settings,
    from: NaiveDateTime,
    to: NaiveDateTime,
    min: usize,
    mask: bool,
) -> Result<Figures, Error> {
    let welcome = surveys::sent_between(conn, Kind::Welcome, from, to)?;
    let maps: Vec<(BTreeMap<String, u8>, Vec<String>)> = welcome
        .iter()
        .filter(|c| c.survey.answered_at.is_some())
        .map(|c| (c.survey.score_map(), c.survey.helped_list()))
        .collect();
    let scored: Vec<rules::Scored<'_>> = maps.iter().map(|(m, h)| rules::Scored { scores: m, helped: h }).collect();
    let welcome =
        rules::welcome_figures(welcome.len(), &scored, &s.surveys.statement_keys(), &s.surveys.help_keys(), min, mask);
    let year = surveys::sent_between(conn, Kind::OneYear, from, to)?;
    let answered: Vec<&surveys::Counted> = year.iter().filter(|c| c.survey.residence.is_some()).collect();
    let rows = |key: &dyn Fn(&surveys::Counted) -> Vec<String>| {
        let list: Vec<(Vec<String>, rules::Residence)> =
            answered.iter().filter_map(|c| c.survey.residence.map(|r| (key(c), r))).collect();
        rules::residence_rows(&list, min, mask)
    };
    let none = || vec!["none".to_string()];
    Ok(Figures {
        welcome,
        one_year_by_area: rows(&|c| if c.areas.is_empty() { none() } else { c.areas.clone() }),
        one_year_by_campaign: rows(&|c| c.campaign.clone().map_or_else(none, |k| vec![k])),
        one_year_by_household: rows(&|c| vec![household(c.adults, c.children_count).to_string()]),
        one_year_total: rows(&|_| vec!["total".to_string()]),
    })
}
