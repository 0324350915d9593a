//! Storage of privacy work: the origin class of a case, the erasure ledger,
//! and clearing a mover's personal data by walking the column registry.

use chrono::NaiveDateTime;
use diesel::prelude::*;
use diesel::sql_types::Text;

use super::registry::{mover_columns, mover_tables};
use super::schema::{cases, erasures, persons, referrals, signin_links};
use super::Conn;
use crate::domain::origin::Origin;
use crate::error::Error;

/// Records where the mover moves from, as a class.
pub fn set_origin(conn: &mut Conn, case_id: &str, origin: Origin) -> Result<(), Error> {
    diesel::update(cases::table.find(case_id)).set(cases::moving_from_kind.eq(origin.as_str())).execute(conn)?;
    Ok(())
}

/// One row of the erasure ledger.
#[derive(Debug, Clone, PartialEq, Eq, Queryable, Selectable, serde::Serialize, serde::Deserialize)]
#[diesel(table_name = erasures)]
pub struct Erasure {
    pub reference: String,
    pub erased_at: NaiveDateTime,
    /// `staff`, `mover` or `retention`.
    pub rule: String,
    pub actor_id: Option<String>,
    pub reason: String,
}

pub fn erasure(conn: &mut Conn, reference: &str) -> Result<Option<Erasure>, Error> {
    Ok(erasures::table.find(reference).select(Erasure::as_select()).first(conn).optional()?)
}

/// The whole ledger, oldest first.
pub fn ledger(conn: &mut Conn) -> Result<Vec<Erasure>, Error> {
    Ok(erasures::table
        .order((erasures::erased_at.asc(), erasures::reference.asc()))
        .select(Erasure::as_select())
        .load(conn)?)
}

/// Adds `e` to the ledger unless its reference is there already.
pub fn record(conn: &mut Conn, e: &Erasure) -> Result<(), Error> {
    if erasure(conn, &e.reference)?.is_none() {
        diesel::insert_into(erasures::table)
            .values((
                erasures::reference.eq(&e.reference),
                erasures::erased_at.eq(e.erased_at),
                erasures::rule.eq(&e.rule),
                erasures::actor_id.eq(&e.actor_id),
                erasures::reason.eq(&e.reason),
            ))
            .execute(conn)?;
    }
    Ok(())
}

/// Whether the case still has its person row.
pub fn has_person(conn: &mut Conn, case_id: &str) -> Result<bool, Error> {
    Ok(persons::table.find(case_id).count().get_result::<i64>(conn)? > 0)
}

/// The keys of a timeline event's data that say what happened and nothing
/// about the person: they stay when the rest of the data goes.
const EVENT_KEYS_KEPT: &[&str] = &[
    "from",
    "to",
    "outcome",
    "automatic",
    "assignee",
    "template",
    "rule",
    "area",
    "campaign",
    "state",
    "survey",
    "event",
    "months",
    "fields",
    "consent",
    "closed",
];

/// Columns the schema declares NOT NULL: erased as the empty string.
/// Every other personal column becomes NULL.
fn not_null(table: &str, column: &str) -> bool {
    matches!(
        (table, column),
        ("outbox", "recipient" | "recipient_name" | "subject" | "body_text" | "body_html")
            | ("visits", "place")
            | ("referrals", "message")
    )
}

/// Removes the mover's personal data of the case `case_id` from every
/// table the registry names: the `persons` row is deleted; in every other
/// table each personal column of the case's rows is emptied (timeline
/// events keep the keys of [`EVENT_KEYS_KEPT`]); unsent emails are
/// cancelled and the referrals' sign-in links deleted. Returns the number
/// of rows touched.
pub fn clear_mover_data(conn: &mut Conn, case_id: &str) -> Result<usize, Error> {
    let mut touched = 0;
    for table in mover_tables() {
        match table {
            "persons" => {
                touched += diesel::delete(persons::table.find(case_id)).execute(conn)?;
            }
            "case_events" => {
                touched += clear_events(conn, case_id)?;
                let others: Vec<&str> = mover_columns(table).filter(|c| *c != "data").collect();
                touched += blank(conn, table, &others, case_id)?;
            }
            _ => {
                let columns: Vec<&str> = mover_columns(table).collect();
                touched += blank(conn, table, &columns, case_id)?;
            }
        }
    }
    // An email not yet sent must not go to nobody; its sign-in links are
    // live credentials.
    diesel::update(
        super::schema::outbox::table
            .filter(super::schema::outbox::case_id.eq(case_id))
            .filter(super::schema::outbox::status.eq_any(["pending", "dead"])),
    )
    .set(super::schema::outbox::status.eq("cancelled"))
    .execute(conn)?;
    diesel::delete(
        signin_links::table.filter(
            signin_links::referral_id
                .eq_any(referrals::table.filter(referrals::case_id.eq(case_id)).select(referrals::id.nullable())),
        ),
    )
    .execute(conn)?;
    diesel::update(cases::table.find(case_id)).set(cases::ambassador_contact.eq(false)).execute(conn)?;
    Ok(touched)
}

/// `UPDATE table SET c = NULL|'' ... WHERE case_id = ?` for the named
/// columns (names from the registry, never from input).
fn blank(conn: &mut Conn, table: &str, columns: &[&str], case_id: &str) -> Result<usize, Error> {
    if columns.is_empty() {
        return Ok(0);
    }
    let sets: Vec<String> =
        columns.iter().map(|c| format!("{c} = {}", if not_null(table, c) { "''" } else { "NULL" })).collect();
    let sql = format!("UPDATE {table} SET {} WHERE case_id = ", sets.join(", "));
    let n = match conn {
        Conn::Sqlite(c) => diesel::sql_query(format!("{sql}?")).bind::<Text, _>(case_id).execute(c)?,
        Conn::Pg(c) => diesel::sql_query(format!("{sql}$1")).bind::<Text, _>(case_id).execute(c)?,
    };
    Ok(n)
}

fn clear_events(conn: &mut Conn, case_id: &str) -> Result<usize, Error> {
    use super::schema::case_events;
    let rows: Vec<(String, String)> = case_events::table
        .filter(case_events::case_id.eq(case_id))
        .select((case_events::id, case_events::data))
        .load(conn)?;
    let mut n = 0;
    for (id, data) in rows {
        let kept = keep_event_keys(&data);
        if kept != data {
            n += diesel::update(case_events::table.find(&id)).set(case_events::data.eq(kept)).execute(conn)?;
        }
    }
    Ok(n)
}

/// An event's data with only the keys that carry no personal data.
fn keep_event_keys(data: &str) -> String {
    let value: serde_json::Value = serde_json::from_str(data).unwrap_or_default();
    let kept: serde_json::Map<String, serde_json::Value> = value
        .as_object()
        .map(|o| o.iter().filter(|(k, _)| EVENT_KEYS_KEPT.contains(&k.as_str())).map(|(k, v)| (k.clone(), v.clone())))
        .into_iter()
        .flatten()
        .collect();
    serde_json::Value::Object(kept).to_string()
}

#[derive(QueryableByName)]
struct JsonRow {
    #[diesel(sql_type = Text)]
    row: String,
}

/// Every row about the case `case_id`, as stored: the case itself and each
/// table the column registry lists with a `case_id`, every registered
/// column, as `(table, rows)`. The export is built from this, so a column
/// added to the registry is exported without further code.
pub fn rows_of_case(conn: &mut Conn, case_id: &str) -> Result<Vec<(&'static str, Vec<serde_json::Value>)>, Error> {
    let mut tables: Vec<&'static str> = vec!["cases"];
    for (t, _, _) in super::registry::COLUMNS {
        if !tables.contains(t) && super::registry::class_of(t, "case_id").is_some() {
            tables.push(t);
        }
    }
    let mut out = Vec::new();
    for table in tables {
        let key = if table == "cases" { "id" } else { "case_id" };
        let columns: Vec<&str> =
            super::registry::COLUMNS.iter().filter(|(t, _, _)| *t == table).map(|(_, c, _)| *c).collect();
        let pairs: Vec<String> = columns.iter().map(|c| format!("'{c}', {c}")).collect();
        let rows: Vec<JsonRow> = match conn {
            Conn::Sqlite(c) => diesel::sql_query(format!(
                "SELECT json_object({}) AS row FROM {table} WHERE {key} = ?",
                pairs.join(", ")
            ))
            .bind::<Text, _>(case_id)
            .load(c)?,
            Conn::Pg(c) => diesel::sql_query(format!(
                "SELECT CAST(json_build_object({}) AS TEXT) AS row FROM {table} WHERE {key} = $1",
                pairs.join(", ")
            ))
            .bind::<Text, _>(case_id)
            .load(c)?,
        };
        let rows = rows
            .into_iter()
            .map(|r| serde_json::from_str(&r.row).map_err(|e| Error::context(e, "a stored row as JSON")))
            .collect::<Result<Vec<_>, _>>()?;
        out.push((table, rows));
    }
    Ok(out)
}

/// SQLite: writes the WAL back into the database file and truncates it, so
/// erased content (already zeroed in the file's pages by `secure_delete`)
/// is not left in older WAL frames. PostgreSQL: nothing (docs/privacy.md).
/// Runs on a connection of its own, outside any transaction.
pub fn checkpoint(db: &super::Db) -> Result<(), Error> {
    let mut conn = db.direct()?;
    if let Conn::Sqlite(c) = &mut conn {
        #[derive(QueryableByName)]
        struct Checkpoint {
            #[diesel(sql_type = diesel::sql_types::Integer)]
            busy: i32,
        }
        // A reader still on an older snapshot makes the checkpoint stop
        // short (busy = 1); busy_timeout waits for writers, so try a few
        // times.
        for _ in 0..20 {
            let r: Checkpoint = diesel::sql_query("PRAGMA wal_checkpoint(TRUNCATE)").get_result(c)?;
            if r.busy == 0 {
                return Ok(());
            }
            std::thread::sleep(std::time::Duration::from_millis(50));
        }
        return Err(Error::Unavailable("WAL checkpoint kept busy".into()));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn event_data_keeps_only_what_happened() {
        let data = r#"{"from":"information","to":"closed","outcome":"withdrawn","note":"Ring til Jens på 12345678"}"#;
        let kept: serde_json::Value = serde_json::from_str(&keep_event_keys(data)).expect("json");
        assert_eq!(kept, serde_json::json!({"from": "information", "to": "closed", "outcome": "withdrawn"}));
        assert_eq!(keep_event_keys("not json"), "{}");
    }
}

/// One opening of a case's personal data, with the staff member's name.
#[derive(Debug, Clone, Queryable)]
pub struct Access {
    pub at: NaiveDateTime,
    pub name: String,
    pub role: String,
    pub what: String,
    pub purpose: String,
}

/// Records that `user_id` (in `role`) opened the case's personal data.
pub fn log_access(
    conn: &mut Conn,
    case_id: &str,
    user_id: &str,
    role: &str,
    what: &str,
    purpose: &str,
    at: NaiveDateTime,
) -> Result<(), Error> {
    use super::schema::access_log;
    diesel::insert_into(access_log::table)
        .values((
            access_log::id.eq(super::new_id()),
            access_log::case_id.eq(case_id),
            access_log::at.eq(at),
            access_log::user_id.eq(user_id),
            access_log::role.eq(role),
            access_log::what.eq(what),
            access_log::purpose.eq(purpose),
        ))
        .execute(conn)?;
    Ok(())
}

/// The case's access log, newest first.
pub fn access_for_case(conn: &mut Conn, case_id: &str) -> Result<Vec<Access>, Error> {
    use super::schema::{access_log, users};
    Ok(access_log::table
        .inner_join(users::table.on(users::id.eq(access_log::user_id)))
        .filter(access_log::case_id.eq(case_id))
        .order((access_log::at.desc(), access_log::id.desc()))
        .select((access_log::at, users::name, access_log::role, access_log::what, access_log::purpose))
        .load(conn)?)
}
