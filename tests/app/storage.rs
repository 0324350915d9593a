//! The storage boundary: reads cannot change anything, every change goes
//! through the one writer, and a stored value the code does not know is an
//! error, never silently repaired.

use diesel::RunQueryDsl;
use reqwest::StatusCode;

use crate::helpers::spawn_app;

fn execute(conn: &mut velkomst::db::Conn, sql: &str) -> diesel::QueryResult<usize> {
    match conn {
        velkomst::db::Conn::Sqlite(c) => diesel::sql_query(sql).execute(c),
        velkomst::db::Conn::Pg(c) => diesel::sql_query(sql).execute(c),
    }
}

#[tokio::test]
async fn a_read_cannot_change_the_database_and_a_write_can() {
    let app = spawn_app().await;
    let reference = app.mover_submits(&[("name", "Anna"), ("email", "anna@example.dk")]).await;
    let sql = format!("UPDATE cases SET campaign = 'sneaky' WHERE reference = '{reference}'");
    let s2 = sql.clone();
    let refused = app.db.read(move |conn| Ok(execute(conn, &s2))).await.expect("the read ran");
    assert!(refused.is_err(), "a read connection refused the UPDATE: {refused:?}");
    let changed = app
        .db
        .write(move |conn| execute(conn, &sql).map_err(velkomst::error::Error::from))
        .await
        .expect("the writer may change it");
    assert_eq!(changed, 1);
}

#[tokio::test]
async fn a_corrupt_stage_is_an_error_not_a_silent_default() {
    let app = spawn_app().await;
    let kim = app.consultant("Kim Konsulent", "kim.k@kommune.dk").await;
    let reference = app.mover_submits(&[("name", "Anna"), ("email", "anna@example.dk")]).await;
    let sql = format!("UPDATE cases SET stage = 'limbo' WHERE reference = '{reference}'");
    app.db.write(move |conn| Ok(execute(conn, &sql)?)).await.expect("corrupted on purpose");
    let page = kim.browser.get(&format!("/cases/{reference}")).await;
    assert_eq!(page.status, StatusCode::INTERNAL_SERVER_ERROR, "the page is not shown as if in information");
    let api = kim.api.get(&format!("/api/v1/cases/{reference}")).await;
    assert_eq!(api.status, StatusCode::INTERNAL_SERVER_ERROR, "{}", api.body);
    assert!(!api.body.contains("limbo"), "the stored value stays in the log, not the answer");
}

#[derive(diesel::QueryableByName)]
struct LiveColumn {
    #[diesel(sql_type = diesel::sql_types::Text)]
    table_name: String,
    #[diesel(sql_type = diesel::sql_types::Text)]
    column_name: String,
}

/// Every column the migrations made, as the database itself lists them.
fn live_columns(conn: &mut velkomst::db::Conn) -> diesel::QueryResult<Vec<(String, String)>> {
    let rows: Vec<LiveColumn> = match conn {
        velkomst::db::Conn::Sqlite(c) => diesel::sql_query(
            "SELECT m.name AS table_name, p.name AS column_name FROM sqlite_master m, pragma_table_info(m.name) p \
             WHERE m.type = 'table' AND m.name NOT LIKE 'sqlite_%' AND m.name <> '__diesel_schema_migrations'",
        )
        .load(c)?,
        velkomst::db::Conn::Pg(c) => diesel::sql_query(
            "SELECT table_name::text AS table_name, column_name::text AS column_name FROM information_schema.columns \
             WHERE table_schema = current_schema() AND table_name <> '__diesel_schema_migrations'",
        )
        .load(c)?,
    };
    Ok(rows.into_iter().map(|r| (r.table_name, r.column_name)).collect())
}

#[tokio::test]
async fn every_column_in_the_database_is_classified_and_every_classified_column_exists() {
    use velkomst::db::registry::{class_of, COLUMNS};
    let app = spawn_app().await;
    let live = app.db.read(|conn| Ok(live_columns(conn)?)).await.expect("columns listed");
    assert!(live.len() > 100, "the listing found the tables: {}", live.len());
    let unclassified: Vec<String> =
        live.iter().filter(|(t, c)| class_of(t, c).is_none()).map(|(t, c)| format!("{t}.{c}")).collect();
    assert!(unclassified.is_empty(), "add these to db::registry::COLUMNS with a class: {unclassified:?}");
    let gone: Vec<String> = COLUMNS
        .iter()
        .filter(|(t, c, _)| !live.iter().any(|(lt, lc)| lt == t && lc == c))
        .map(|(t, c, _)| format!("{t}.{c}"))
        .collect();
    assert!(gone.is_empty(), "db::registry names columns the database does not have: {gone:?}");
}
