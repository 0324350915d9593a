//! Cases: intake, the queue, the case page and every change to a case.
//! Each change writes its timeline event in the same transaction.

use chrono::NaiveDateTime;
use diesel::prelude::*;
use serde_json::json;

use super::schema::{case_areas, case_events, case_interests, cases, erasures, persons, users};
use super::{new_id, now, Conn};
use crate::domain::case::{CaseState, EventKind, Outcome, Stage, Transition};
use crate::domain::inquiry::{Housing, Inquiry, Language, Timeframe};
use crate::domain::reference::{self, Reference};
use crate::domain::text::CaseId;
use crate::error::Error;

type Backend = <Conn as diesel::Connection>::Backend;

diesel::define_sql_function! {
    /// SQL's `lower()`, as the case-blind email index is built.
    fn lower(x: diesel::sql_types::Text) -> diesel::sql_types::Text;
}

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = cases)]
pub struct CaseRow {
    pub id: CaseId,
    pub reference: Reference,
    pub language: Language,
    pub adults: i32,
    pub children: String,
    pub children_count: i32,
    pub housing: Housing,
    pub timeframe: Timeframe,
    pub job_help: bool,
    pub ambassador_contact: bool,
    pub campaign: Option<String>,
    pub assignee_id: Option<String>,
    pub stage: Stage,
    pub last_open_stage: Stage,
    pub outcome: Option<Outcome>,
    pub is_open: bool,
    pub waiting_since: NaiveDateTime,
    pub first_contact_at: Option<NaiveDateTime>,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
    pub visit_at: Option<NaiveDateTime>,
    pub move_in_at: Option<NaiveDateTime>,
    pub welcome_package_at: Option<NaiveDateTime>,
    pub closed_at: Option<NaiveDateTime>,
    pub move_in_date: Option<String>,
    pub move_in_area: Option<String>,
}

impl CaseRow {
    pub fn state(&self) -> CaseState {
        CaseState { stage: self.stage, last_open_stage: self.last_open_stage, outcome: self.outcome }
    }

    pub fn children_years(&self) -> Vec<i32> {
        serde_json::from_str(&self.children).unwrap_or_default()
    }
}

/// Who the mover is: the personal data of a case, in its own table so that
/// erasure removes it and keeps the case's anonymous facts.
#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = persons)]
pub struct Person {
    pub name: String,
    pub email: String,
    pub phone: Option<String>,
    pub message: Option<String>,
    pub moving_from: Option<String>,
}

impl Person {
    /// The person of an erased case: nothing.
    pub fn erased() -> Self {
        Self { name: String::new(), email: String::new(), phone: None, message: None, moving_from: None }
    }
}

/// A case with what hangs off it, for the case page and the API.
#[derive(Debug, Clone)]
pub struct CaseDetail {
    pub case: CaseRow,
    pub person: Person,
    pub areas: Vec<String>,
    pub interests: Vec<String>,
    pub assignee: Option<(String, String)>,
    /// When the person was erased (`person` is then empty): the case is an
    /// anonymous record.
    pub erased_at: Option<NaiveDateTime>,
}

#[derive(Debug, Clone, Queryable)]
pub struct EventRow {
    pub at: NaiveDateTime,
    pub kind: EventKind,
    pub actor: Option<String>,
    pub data: String,
}

fn adjust_open_cases(conn: &mut Conn, user_id: Option<&str>, delta: i32) -> Result<(), Error> {
    if let Some(id) = user_id {
        diesel::update(users::table.find(id)).set(users::open_cases.eq(users::open_cases + delta)).execute(conn)?;
    }
    Ok(())
}

pub fn append_event(
    conn: &mut Conn,
    case_id: &CaseId,
    kind: EventKind,
    actor_id: Option<&str>,
    data: serde_json::Value,
) -> Result<(), Error> {
    diesel::insert_into(case_events::table)
        .values((
            case_events::id.eq(new_id()),
            case_events::case_id.eq(case_id),
            case_events::at.eq(now()),
            case_events::kind.eq(kind.as_str()),
            case_events::actor_id.eq(actor_id),
            case_events::data.eq(data.to_string()),
        ))
        .execute(conn)?;
    Ok(())
}

pub fn reference_taken(conn: &mut Conn, reference: &Reference) -> Result<bool, Error> {
    Ok(cases::table.filter(cases::reference.eq(reference)).count().get_result::<i64>(conn)? > 0)
}

/// Writes a received case under a chosen reference and assignee; the caller
/// holds the write transaction. Returns the case id.
pub fn receive_as(
    conn: &mut Conn,
    inquiry: &Inquiry,
    reference: &Reference,
    assignee: Option<&str>,
) -> Result<CaseId, Error> {
    {
        let assignee = assignee.map(str::to_string);
        let id = CaseId::fresh();
        let t = now();
        let children: Vec<i32> = inquiry.children.iter().map(|c| c.year()).collect();
        let search_text = format!("{} {} {}", inquiry.name.as_str(), inquiry.email.as_str(), reference).to_lowercase();
        diesel::insert_into(cases::table)
            .values((
                cases::id.eq(&id),
                cases::reference.eq(&reference),
                cases::language.eq(inquiry.language),
                cases::adults.eq(inquiry.adults),
                cases::children.eq(serde_json::to_string(&children).unwrap_or_else(|_| "[]".into())),
                cases::children_count.eq(i32::try_from(children.len()).unwrap_or(0)),
                cases::housing.eq(inquiry.housing.as_str()),
                cases::timeframe.eq(inquiry.timeframe.as_str()),
                cases::job_help.eq(inquiry.job_help),
                cases::ambassador_contact.eq(inquiry.ambassador_contact),
                cases::campaign.eq(&inquiry.campaign),
                cases::assignee_id.eq(&assignee),
                cases::stage.eq(Stage::Information.as_str()),
                cases::last_open_stage.eq(Stage::Information.as_str()),
                cases::is_open.eq(true),
                cases::waiting_since.eq(t),
                cases::created_at.eq(t),
                cases::updated_at.eq(t),
            ))
            .execute(conn)?;
        diesel::insert_into(persons::table)
            .values((
                persons::case_id.eq(&id),
                persons::name.eq(inquiry.name.as_str()),
                persons::email.eq(inquiry.email.as_str()),
                persons::phone.eq(&inquiry.phone),
                persons::message.eq(&inquiry.message),
                persons::moving_from.eq(&inquiry.moving_from),
                persons::search_text.eq(search_text),
            ))
            .execute(conn)?;
        for (i, slug) in inquiry.areas.iter().enumerate() {
            diesel::insert_into(case_areas::table)
                .values((
                    case_areas::case_id.eq(&id),
                    case_areas::area_slug.eq(slug),
                    case_areas::position.eq(i32::try_from(i).unwrap_or(0)),
                ))
                .execute(conn)?;
        }
        for interest in &inquiry.interests {
            diesel::insert_into(case_interests::table)
                .values((case_interests::case_id.eq(&id), case_interests::interest.eq(interest)))
                .execute(conn)?;
        }
        append_event(conn, &id, EventKind::Received, None, json!({ "campaign": inquiry.campaign }))?;
        if let Some(user_id) = &assignee {
            adjust_open_cases(conn, Some(user_id), 1)?;
            append_event(conn, &id, EventKind::Assigned, None, json!({ "assignee": user_id, "automatic": true }))?;
        }
        Ok(id)
    }
}

pub fn find_row(conn: &mut Conn, reference: &Reference) -> Result<CaseRow, Error> {
    Ok(cases::table.filter(cases::reference.eq(reference)).select(CaseRow::as_select()).first(conn)?)
}

pub fn find_by_id(conn: &mut Conn, id: &CaseId) -> Result<Option<CaseRow>, Error> {
    Ok(cases::table.find(id).select(CaseRow::as_select()).first(conn).optional()?)
}

pub fn detail(conn: &mut Conn, reference: &Reference) -> Result<CaseDetail, Error> {
    let case = find_row(conn, reference)?;
    let areas = case_areas::table
        .filter(case_areas::case_id.eq(&case.id))
        .order(case_areas::position.asc())
        .select(case_areas::area_slug)
        .load(conn)?;
    let interests = case_interests::table
        .filter(case_interests::case_id.eq(&case.id))
        .order(case_interests::interest.asc())
        .select(case_interests::interest)
        .load(conn)?;
    let assignee = match &case.assignee_id {
        Some(id) => users::table.find(id).select((users::id, users::name)).first(conn).optional()?,
        None => None,
    };
    let person = persons::table.find(&case.id).select(Person::as_select()).first(conn).optional()?;
    let erased_at = match person {
        Some(_) => None,
        None => Some(
            erasures::table
                .find(case.reference.as_str())
                .select(erasures::erased_at)
                .first(conn)
                .optional()?
                .unwrap_or(case.updated_at),
        ),
    };
    let person = person.unwrap_or_else(Person::erased);
    Ok(CaseDetail { case, person, areas, interests, assignee, erased_at })
}

/// The timeline, oldest first, with actor names.
pub fn timeline(conn: &mut Conn, case_id: &CaseId) -> Result<Vec<EventRow>, Error> {
    Ok(case_events::table
        .left_join(users::table.on(case_events::actor_id.eq(users::id.nullable())))
        .filter(case_events::case_id.eq(case_id))
        .order((case_events::at.asc(), case_events::id.asc()))
        .select((case_events::at, case_events::kind, users::name.nullable(), case_events::data))
        .load(conn)?)
}

/// One page of a case's timeline, oldest first, after `after` (the last
/// event of the previous page: its time and id, as the queue's cursor
/// carries them); each event with its id.
pub fn timeline_page(
    conn: &mut Conn,
    case_id: &CaseId,
    after: Option<&Cursor>,
    limit: i64,
) -> Result<Vec<(String, EventRow)>, Error> {
    let mut q = case_events::table
        .left_join(users::table.on(case_events::actor_id.eq(users::id.nullable())))
        .filter(case_events::case_id.eq(case_id))
        .into_boxed();
    if let Some(c) = after {
        q = q.filter(
            case_events::at
                .gt(c.waiting_since)
                .or(case_events::at.eq(c.waiting_since).and(case_events::id.gt(c.id.clone()))),
        );
    }
    let rows: Vec<(String, NaiveDateTime, EventKind, Option<String>, String)> = q
        .order((case_events::at.asc(), case_events::id.asc()))
        .select((case_events::id, case_events::at, case_events::kind, users::name.nullable(), case_events::data))
        .limit(limit)
        .load(conn)?;
    Ok(rows.into_iter().map(|(id, at, kind, actor, data)| (id, EventRow { at, kind, actor, data })).collect())
}

/// Writes a decided transition onto the case row: stage, outcome, the
/// queue's clock, the first time each stage was reached, and the
/// assignee's open-case count. The update holds only if the case is still
/// where it was read (`case`): `false` when another transition came first.
pub fn set_state(conn: &mut Conn, case: &CaseRow, t: &Transition, at: NaiveDateTime) -> Result<bool, Error> {
    let to = t.to;
    let target = cases::table.find(&case.id);
    let unchanged = cases::stage.eq(case.stage).and(cases::last_open_stage.eq(case.last_open_stage));
    let n = diesel::update(target.filter(unchanged))
        .set((
            cases::stage.eq(to.stage),
            cases::last_open_stage.eq(to.last_open_stage),
            cases::outcome.eq(to.outcome),
            cases::is_open.eq(to.stage.is_open()),
            cases::waiting_since.eq(at),
            cases::updated_at.eq(at),
            // Moving a case on is contact with the mover.
            cases::first_contact_at.eq(case.first_contact_at.or(Some(at))),
            cases::closed_at.eq(if to.stage.is_open() { None } else { Some(at) }),
        ))
        .execute(conn)?;
    if n == 0 {
        return Ok(false);
    }
    // Stage dates record the first time a stage was reached: reports count
    // arrivals, and a step back must not erase history.
    match to.stage {
        Stage::Visit => {
            diesel::update(target.filter(cases::visit_at.is_null())).set(cases::visit_at.eq(Some(at))).execute(conn)?
        }
        Stage::MoveIn => diesel::update(target.filter(cases::move_in_at.is_null()))
            .set(cases::move_in_at.eq(Some(at)))
            .execute(conn)?,
        Stage::WelcomePackage => diesel::update(target.filter(cases::welcome_package_at.is_null()))
            .set(cases::welcome_package_at.eq(Some(at)))
            .execute(conn)?,
        Stage::Information | Stage::Closed => 0,
    };
    match (t.from.is_open(), to.stage.is_open()) {
        (true, false) => adjust_open_cases(conn, case.assignee_id.as_deref(), -1)?,
        (false, true) => adjust_open_cases(conn, case.assignee_id.as_deref(), 1)?,
        _ => {}
    }
    Ok(true)
}

/// Records the move-in date and local area.
pub fn record_move_in(
    conn: &mut Conn,
    case_id: &CaseId,
    date: chrono::NaiveDate,
    area: Option<&str>,
    actor_id: &str,
) -> Result<(), Error> {
    let day = date.format("%Y-%m-%d").to_string();
    diesel::update(cases::table.find(case_id))
        .set((cases::move_in_date.eq(Some(&day)), cases::move_in_area.eq(area), cases::updated_at.eq(now())))
        .execute(conn)?;
    append_event(conn, case_id, EventKind::MoveInRecorded, Some(actor_id), json!({ "date": day, "area": area }))
}

/// Sets (or with `None` clears) the case's assignee, keeping both
/// consultants' open-case counts in step.
pub fn set_assignee(conn: &mut Conn, case: &CaseRow, assignee: Option<&str>) -> Result<(), Error> {
    diesel::update(cases::table.find(&case.id))
        .set((cases::assignee_id.eq(assignee), cases::updated_at.eq(now())))
        .execute(conn)?;
    if case.is_open {
        adjust_open_cases(conn, case.assignee_id.as_deref(), -1)?;
        adjust_open_cases(conn, assignee, 1)?;
    }
    Ok(())
}

/// Marks the case as just worked on.
pub fn touch(conn: &mut Conn, case_id: &CaseId) -> Result<(), Error> {
    diesel::update(cases::table.find(case_id)).set(cases::updated_at.eq(now())).execute(conn)?;
    Ok(())
}

/// Records when the mover was first contacted.
pub fn set_first_contact(conn: &mut Conn, case_id: &CaseId, at: NaiveDateTime) -> Result<(), Error> {
    diesel::update(cases::table.find(case_id))
        .set((cases::first_contact_at.eq(Some(at)), cases::updated_at.eq(at)))
        .execute(conn)?;
    Ok(())
}

// ---- the queue ----

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AssigneeFilter {
    Anyone,
    Unassigned,
    User(String),
}

#[derive(Debug, Clone)]
pub struct QueueFilter {
    /// `None`: every open case.
    pub stage: Option<Stage>,
    pub assignee: AssigneeFilter,
    pub area: Option<String>,
    /// The campaign slug the inquiry came with.
    pub campaign: Option<String>,
    pub q: Option<String>,
    /// Awaiting first contact since before this instant.
    pub overdue_before: Option<NaiveDateTime>,
}

/// Where the previous page ended: keyset pagination, so page 1000 costs
/// what page 1 costs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Cursor {
    pub waiting_since: NaiveDateTime,
    pub id: String,
}

impl Cursor {
    pub fn encode(&self) -> String {
        use base64::Engine;
        let raw = format!("{}|{}", self.waiting_since.and_utc().timestamp_micros(), self.id);
        base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(raw)
    }

    pub fn decode(s: &str) -> Option<Self> {
        use base64::Engine;
        let raw = base64::engine::general_purpose::URL_SAFE_NO_PAD.decode(s).ok()?;
        let raw = String::from_utf8(raw).ok()?;
        let (micros, id) = raw.split_once('|')?;
        let waiting_since = chrono::DateTime::from_timestamp_micros(micros.parse().ok()?)?.naive_utc();
        uuid::Uuid::parse_str(id).ok()?;
        Some(Self { waiting_since, id: id.to_string() })
    }
}

#[derive(Debug, Clone, Queryable)]
pub struct QueueRow {
    pub id: String,
    pub reference: String,
    /// `None`: the person was erased.
    pub name: Option<String>,
    pub stage: String,
    pub outcome: Option<String>,
    pub assignee_id: Option<String>,
    pub assignee_name: Option<String>,
    pub children_count: i32,
    pub waiting_since: NaiveDateTime,
    pub first_contact_at: Option<NaiveDateTime>,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
}

pub struct QueuePage {
    pub rows: Vec<QueueRow>,
    /// Areas per case on this page, in the mover's order.
    pub areas: Vec<Vec<String>>,
    pub next: Option<Cursor>,
}

pub fn queue(conn: &mut Conn, f: &QueueFilter, after: Option<&Cursor>, limit: i64) -> Result<QueuePage, Error> {
    let mut query = cases::table
        .left_join(persons::table)
        .left_join(users::table.on(cases::assignee_id.eq(users::id.nullable())))
        .select((
            cases::id,
            cases::reference,
            persons::name.nullable(),
            cases::stage,
            cases::outcome,
            cases::assignee_id,
            users::name.nullable(),
            cases::children_count,
            cases::waiting_since,
            cases::first_contact_at,
            cases::created_at,
            cases::updated_at,
        ))
        .into_boxed::<Backend>();
    query = match f.stage {
        Some(stage) => query.filter(cases::stage.eq(stage.as_str())),
        None => query.filter(cases::is_open.eq(true)),
    };
    query = match &f.assignee {
        AssigneeFilter::Anyone => query,
        AssigneeFilter::Unassigned => query.filter(cases::assignee_id.is_null()),
        AssigneeFilter::User(id) => query.filter(cases::assignee_id.eq(id.clone())),
    };
    if let Some(area) = &f.area {
        query = query.filter(
            cases::id
                .eq_any(case_areas::table.filter(case_areas::area_slug.eq(area.clone())).select(case_areas::case_id)),
        );
    }
    if let Some(campaign) = &f.campaign {
        query = query.filter(cases::campaign.eq(campaign.clone()));
    }
    if let Some(before) = f.overdue_before {
        query = query
            .filter(cases::stage.eq(Stage::Information.as_str()))
            .filter(cases::first_contact_at.is_null())
            .filter(cases::created_at.lt(before));
    }
    if let Some(q) = f.q.as_deref().map(str::trim).filter(|q| !q.is_empty()) {
        if reference::looks_like(&q.to_uppercase()) {
            query = query.filter(cases::reference.eq(q.to_uppercase()));
        } else if q.contains('@') && crate::domain::inquiry::Email::parse(q).is_ok() {
            // An email is an exact lookup (through persons_email_lower).
            query = query.filter(lower(persons::email).eq(q.to_lowercase()));
        } else {
            query = query.filter(persons::search_text.like(like_pattern(q)).escape('\\'));
        }
    }
    if let Some(c) = after {
        query = query.filter(
            cases::waiting_since
                .ge(c.waiting_since)
                .and(cases::waiting_since.gt(c.waiting_since).or(cases::id.gt(c.id.clone()))),
        );
    }
    let mut rows: Vec<QueueRow> =
        query.order((cases::waiting_since.asc(), cases::id.asc())).limit(limit + 1).load(conn)?;
    let next = if rows.len() as i64 > limit {
        rows.truncate(usize::try_from(limit).unwrap_or(0));
        rows.last().map(|r| Cursor { waiting_since: r.waiting_since, id: r.id.clone() })
    } else {
        None
    };
    let ids: Vec<&String> = rows.iter().map(|r| &r.id).collect();
    let pairs: Vec<(String, String)> = case_areas::table
        .filter(case_areas::case_id.eq_any(ids))
        .order((case_areas::case_id.asc(), case_areas::position.asc()))
        .select((case_areas::case_id, case_areas::area_slug))
        .load(conn)?;
    let areas =
        rows.iter().map(|r| pairs.iter().filter(|(id, _)| *id == r.id).map(|(_, a)| a.clone()).collect()).collect();
    Ok(QueuePage { rows, areas, next })
}

/// `%q%` with LIKE's own wildcards escaped, lowercased like `search_text`.
fn like_pattern(q: &str) -> String {
    let escaped: String = q
        .to_lowercase()
        .chars()
        .flat_map(|c| match c {
            '%' | '_' | '\\' => vec!['\\', c],
            c => vec![c],
        })
        .collect();
    format!("%{escaped}%")
}

/// Open cases per stage, for the queue's header.
pub fn stage_counts(conn: &mut Conn) -> Result<Vec<(String, i64)>, Error> {
    use diesel::dsl::count_star;
    Ok(cases::table
        .filter(cases::is_open.eq(true))
        .group_by(cases::stage)
        .select((cases::stage, count_star()))
        .load(conn)?)
}

/// Other open cases with the same email, oldest first: the mover sent the
/// form twice (or a household wrote again). At most five references.
pub fn open_with_same_email(conn: &mut Conn, email: &str, except_id: &CaseId) -> Result<Vec<Reference>, Error> {
    Ok(cases::table
        .inner_join(persons::table)
        .filter(persons::email.eq(email))
        .filter(cases::is_open.eq(true))
        .filter(cases::id.ne(except_id))
        .order(cases::created_at.asc())
        .select(cases::reference)
        .limit(5)
        .load(conn)?)
}

pub fn exists(conn: &mut Conn, reference: &Reference) -> Result<bool, Error> {
    let n: i64 = cases::table.filter(cases::reference.eq(reference)).count().get_result(conn)?;
    Ok(n > 0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cursor_round_trips_and_refuses_garbage() {
        let c = Cursor { waiting_since: now(), id: new_id() };
        assert_eq!(Cursor::decode(&c.encode()), Some(c));
        assert_eq!(Cursor::decode("'; DROP TABLE cases; --"), None);
        assert_eq!(Cursor::decode(""), None);
    }

    #[test]
    fn like_pattern_escapes_wildcards() {
        assert_eq!(like_pattern("50%_Æ"), "%50\\%\\_æ%");
    }
}
