//! Who holds which open cases: handing cases from one consultant to
//! another (on deactivation, during an absence), and absences with their
//! stand-ins (vikar).

use chrono::NaiveDateTime;
use diesel::prelude::*;
use serde_json::json;

use super::schema::{absence_cases, absences, areas, cases, users};
use super::{now, Conn};
use crate::domain::case::EventKind;
use crate::domain::reference::Reference;
use crate::domain::text::CaseId;
use crate::error::Error;

/// A consultant away and who stands in for them.
#[derive(Debug, Clone, Queryable, Selectable, serde::Serialize)]
#[diesel(table_name = absences)]
pub struct Absence {
    pub user_id: String,
    pub substitute_id: String,
    pub created_by: String,
    pub created_at: NaiveDateTime,
}

/// An open case, as a hand-over lists it.
#[derive(Debug, Clone, Queryable, serde::Serialize)]
pub struct OpenCase {
    pub id: CaseId,
    pub reference: Reference,
}

/// The open cases assigned to `user_id`, oldest first.
pub fn open_cases_of(conn: &mut Conn, user_id: &str) -> Result<Vec<OpenCase>, Error> {
    Ok(cases::table
        .filter(cases::assignee_id.eq(user_id))
        .filter(cases::is_open.eq(true))
        .order(cases::created_at.asc())
        .select((cases::id, cases::reference))
        .load(conn)?)
}

/// Moves one case from `from` to `to` (`None`: unassigned), keeping the
/// open-case counters right, with a timeline event saying why (`because`:
/// `deactivated`, `away`, `back`). Does nothing when the case is no longer
/// with `from` (someone reassigned it meanwhile); returns whether it moved.
pub fn hand_over(
    conn: &mut Conn,
    case_id: &CaseId,
    from: &str,
    to: Option<&str>,
    actor_id: &str,
    because: &str,
) -> Result<bool, Error> {
    let moved = diesel::update(cases::table.find(case_id.as_str()).filter(cases::assignee_id.eq(from)))
        .set((cases::assignee_id.eq(to), cases::updated_at.eq(now())))
        .execute(conn)?;
    if moved == 0 {
        return Ok(false);
    }
    let open: bool = cases::table.find(case_id.as_str()).select(cases::is_open).first(conn)?;
    if open {
        diesel::update(users::table.find(from)).set(users::open_cases.eq(users::open_cases - 1)).execute(conn)?;
        if let Some(to) = to {
            diesel::update(users::table.find(to)).set(users::open_cases.eq(users::open_cases + 1)).execute(conn)?;
        }
    }
    let (kind, data) = match to {
        Some(id) => (EventKind::Assigned, json!({ "assignee": id, "previous": from, "because": because })),
        None => (EventKind::Unassigned, json!({ "previous": from, "because": because })),
    };
    super::cases::append_event(conn, case_id, kind, Some(actor_id), data)?;
    Ok(true)
}

pub fn absence_of(conn: &mut Conn, user_id: &str) -> Result<Option<Absence>, Error> {
    Ok(absences::table.find(user_id).select(Absence::as_select()).first(conn).optional()?)
}

pub fn absences(conn: &mut Conn) -> Result<Vec<Absence>, Error> {
    Ok(absences::table.order(absences::created_at.asc()).select(Absence::as_select()).load(conn)?)
}

/// The absences `user_id` stands in for.
pub fn standing_in_for(conn: &mut Conn, user_id: &str) -> Result<Vec<Absence>, Error> {
    Ok(absences::table.filter(absences::substitute_id.eq(user_id)).select(Absence::as_select()).load(conn)?)
}

pub fn insert_absence(conn: &mut Conn, user_id: &str, substitute_id: &str, actor_id: &str) -> Result<(), Error> {
    diesel::insert_into(absences::table)
        .values((
            absences::user_id.eq(user_id),
            absences::substitute_id.eq(substitute_id),
            absences::created_by.eq(actor_id),
            absences::created_at.eq(now()),
        ))
        .execute(conn)?;
    Ok(())
}

/// Ends an absence and forgets which cases it handed over.
pub fn delete_absence(conn: &mut Conn, user_id: &str) -> Result<(), Error> {
    diesel::delete(absence_cases::table.filter(absence_cases::user_id.eq(user_id))).execute(conn)?;
    diesel::delete(absences::table.find(user_id)).execute(conn)?;
    Ok(())
}

/// Remembers that `case_id` went to the stand-in because `user_id` is away.
/// Nothing when the absence has ended meanwhile.
pub fn remember_case(conn: &mut Conn, user_id: &str, case_id: &CaseId) -> Result<(), Error> {
    if absence_of(conn, user_id)?.is_none() {
        return Ok(());
    }
    let known: i64 = absence_cases::table
        .filter(absence_cases::user_id.eq(user_id))
        .filter(absence_cases::case_id.eq(case_id.as_str()))
        .count()
        .get_result(conn)?;
    if known == 0 {
        diesel::insert_into(absence_cases::table)
            .values((absence_cases::user_id.eq(user_id), absence_cases::case_id.eq(case_id.as_str())))
            .execute(conn)?;
    }
    Ok(())
}

/// The cases handed to the stand-in during `user_id`'s absence that are
/// still open and still with the stand-in: what goes back.
pub fn cases_to_return(conn: &mut Conn, user_id: &str, substitute_id: &str) -> Result<Vec<OpenCase>, Error> {
    Ok(absence_cases::table
        .inner_join(cases::table.on(cases::id.eq(absence_cases::case_id)))
        .filter(absence_cases::user_id.eq(user_id))
        .filter(cases::assignee_id.eq(substitute_id))
        .filter(cases::is_open.eq(true))
        .order(cases::created_at.asc())
        .select((cases::id, cases::reference))
        .load(conn)?)
}

/// How many cases an absence has handed to the stand-in so far.
pub fn handed_count(conn: &mut Conn, user_id: &str) -> Result<i64, Error> {
    Ok(absence_cases::table.filter(absence_cases::user_id.eq(user_id)).count().get_result(conn)?)
}

/// Who a new inquiry goes to: the active consultant or admin responsible
/// for its first area, else the active consultant with the fewest open
/// cases who is not away. Returns the person chosen by those rules and,
/// when that person is away, their stand-in who gets the case instead.
pub fn pick_assignee(conn: &mut Conn, first_area: Option<&str>) -> Result<Picked, Error> {
    if let Some(slug) = first_area {
        let responsible: Option<String> = areas::table
            .inner_join(users::table.on(areas::responsible_id.eq(users::id.nullable())))
            .filter(areas::slug.eq(slug))
            .filter(users::active.eq(true))
            .filter(users::role.eq_any(["consultant", "admin"]))
            .select(users::id)
            .first(conn)
            .optional()?;
        if let Some(id) = responsible {
            return Ok(match absence_of(conn, &id)? {
                Some(a) => Picked { assignee: Some(a.substitute_id), away: Some(id) },
                None => Picked { assignee: Some(id), away: None },
            });
        }
    }
    let away: Vec<String> = absences::table.select(absences::user_id).load(conn)?;
    let fewest = users::table
        .filter(users::active.eq(true))
        .filter(users::role.eq("consultant"))
        .filter(users::id.ne_all(away))
        .order((users::open_cases.asc(), users::created_at.asc()))
        .select(users::id)
        .first(conn)
        .optional()?;
    Ok(Picked { assignee: fewest, away: None })
}

/// The result of [`pick_assignee`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Picked {
    /// Who gets the case (`None`: nobody can; it waits unassigned).
    pub assignee: Option<String>,
    /// The consultant the case would have gone to, who is away.
    pub away: Option<String>,
}
