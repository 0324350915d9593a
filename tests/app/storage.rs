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
