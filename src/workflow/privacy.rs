//! Erasure that keeps the statistics. The person's data goes from every
//! table the column registry marks as the mover's; the case stays as an
//! anonymous record (stage dates, areas, household shape, campaign,
//! outcome, where-from class), so report figures do not change. An open
//! case is first closed as `withdrawn` through the pipeline's own
//! transition — that closing is what the reports show. Every erasure is
//! written to a ledger without personal data so that it can be applied
//! again after a backup is restored.

use chrono::NaiveDateTime;

use super::{cases as case_flow, referrals};
use crate::config::Settings;
use crate::db::privacy::{self, Erasure};
use crate::db::{cases, write_tx, Conn};
use crate::domain::case::{Action, EventKind, Outcome};
use crate::domain::reference::Reference;
use crate::error::Error;

/// Who or what erases.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Rule {
    /// An admin or the assigned consultant, with a reason.
    Staff,
    /// The mover from their own page.
    Mover,
    /// The retention schedule.
    Retention,
}

impl Rule {
    pub fn as_str(self) -> &'static str {
        match self {
            Rule::Staff => "staff",
            Rule::Mover => "mover",
            Rule::Retention => "retention",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        [Rule::Staff, Rule::Mover, Rule::Retention].into_iter().find(|r| r.as_str() == s)
    }
}

/// The longest reason kept in the ledger.
pub const MAX_REASON_CHARS: usize = 200;

/// Erases the person of case `reference`. Idempotent: erasing an erased
/// case answers the first erasure. `actor_id` is the staff member (it
/// signs the closing and the referrals' withdrawal on the timeline).
pub fn erase(
    conn: &mut Conn,
    s: &Settings,
    reference: &Reference,
    rule: Rule,
    actor_id: Option<&str>,
    reason: &str,
    now: NaiveDateTime,
) -> Result<Erasure, Error> {
    let reason: String = reason.trim().chars().take(MAX_REASON_CHARS).collect();
    write_tx(conn, |conn| {
        let case = cases::find_row(conn, reference)?;
        let earlier = privacy::erasure(conn, reference)?;
        let has_person = privacy::has_person(conn, &case.id)?;
        if let (Some(e), false) = (&earlier, has_person) {
            return Ok(e.clone());
        }
        // A staff member signs the closing and the withdrawals; the mover
        // (from their page) and the retention schedule close with no actor:
        // the timeline then names the rule.
        let actor = actor_id.or(earlier.as_ref().and_then(|e| e.actor_id.as_deref()));
        if case.is_open {
            let d = cases::detail(conn, reference)?;
            if let Err(refusal) = case_flow::apply(conn, s, &d, &Action::Close(Outcome::Withdrawn), "", actor)? {
                return Err(Error::bug(format!("closing {reference} as withdrawn before erasure: {refusal:?}")));
            }
        }
        // Every referral still open ends now (an accepted one of a welcomed
        // case too: there is no one left to meet).
        referrals::withdraw_on_close(conn, &case.id, false, "erased", actor, now)?;
        privacy::clear_mover_data(conn, &case.id)?;
        crate::db::mover::delete_links(conn, &case.id)?;
        cases::append_event(conn, &case.id, EventKind::Erased, actor, serde_json::json!({ "rule": rule.as_str() }))?;
        let e = earlier.unwrap_or(Erasure {
            reference: reference.to_string(),
            erased_at: now,
            rule: rule.as_str().to_string(),
            actor_id: actor_id.map(str::to_string),
            reason: if reason.is_empty() { rule.as_str().to_string() } else { reason.clone() },
        });
        privacy::record(conn, &e)?;
        Ok(e)
    })
}

/// What applying the ledger again did.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Reapplied {
    /// References whose person was back (a restored backup) and is erased again.
    pub erased: Vec<String>,
    /// Already erased.
    pub unchanged: usize,
    /// In the ledger but not in this database (taken before the case came).
    pub unknown: Vec<String>,
}

/// Applies the ledger `entries` (this database's own, plus any kept
/// outside it) again: each reference whose person is present is erased
/// again, and every entry ends up in this database's ledger.
pub fn reapply(conn: &mut Conn, s: &Settings, entries: &[Erasure]) -> Result<Reapplied, Error> {
    let mut done = Reapplied::default();
    for e in entries {
        let found = match Reference::parse(&e.reference) {
            Some(r) => cases::find_row(conn, &r).map(|case| (r, case)),
            None => Err(Error::NotFound),
        };
        let (reference, case) = match found {
            Ok(found) => found,
            Err(Error::NotFound) => {
                done.unknown.push(e.reference.clone());
                continue;
            }
            Err(other) => return Err(other),
        };
        write_tx(conn, |conn| privacy::record(conn, e))?;
        if !privacy::has_person(conn, &case.id)? {
            done.unchanged += 1;
            continue;
        }
        let rule = Rule::parse(&e.rule).unwrap_or(Rule::Staff);
        erase(conn, s, &reference, rule, e.actor_id.as_deref(), &e.reason, e.erased_at)?;
        done.erased.push(e.reference.clone());
    }
    Ok(done)
}

/// Records that a staff member opened the personal data of case
/// `reference` (`what`: `case_page`, `api_case`, `export`; `purpose`:
/// `case_work`, `subject_access`). `Err(NotFound)` for an unknown case.
pub fn record_access(
    conn: &mut Conn,
    reference: &Reference,
    user: &crate::db::users::User,
    what: &str,
    purpose: &str,
) -> Result<(), Error> {
    write_tx(conn, |conn| {
        let case = cases::find_row(conn, reference)?;
        privacy::log_access(conn, &case.id, &user.id, user.role.as_str(), what, purpose, crate::db::now())
    })
}
