//! The retention schedule on a controllable clock: the worker's daily run
//! (and `velkomst retention`) closes cases nobody touched, anonymises closed
//! ones when their time is up, empties delivered email bodies, and purges
//! dead sessions and links and old access-log entries; a dry run changes
//! nothing.

use chrono::{Months, NaiveDateTime};
use reqwest::StatusCode;
use serde_json::Value;

use crate::helpers::{spawn_app, TestApp};

fn kinds(case: &Value) -> Vec<String> {
    case["timeline"]
        .as_array()
        .expect("timeline")
        .iter()
        .map(|e| e["kind"].as_str().unwrap_or("").to_string())
        .collect()
}

fn months(now: NaiveDateTime, n: u32) -> NaiveDateTime {
    now.checked_add_months(Months::new(n)).expect("date")
}

/// (template, subject, recipient, body) of every email of the database.
async fn outbox(app: &TestApp) -> Vec<(String, String, String, String)> {
    app.db
        .read(|conn| {
            use diesel::prelude::*;
            use velkomst::db::schema::outbox;
            Ok(outbox::table
                .select((outbox::template, outbox::subject, outbox::recipient, outbox::body_text))
                .load(conn)?)
        })
        .await
        .expect("outbox")
}

async fn access_entries(app: &TestApp) -> i64 {
    app.db
        .read(|conn| {
            use diesel::prelude::*;
            use velkomst::db::schema::access_log;
            Ok(access_log::table.count().get_result(conn)?)
        })
        .await
        .expect("count")
}

#[tokio::test]
async fn the_retention_schedule_runs_by_itself_on_its_own_clock() {
    let app = spawn_app().await;
    let kim = app.admin("Kim Konsulent", "kim@kommune.dk").await;
    let quiet = app.mover_submits(&[("name", "Stille Søren"), ("email", "soeren@example.dk")]).await;
    let done = app.mover_submits(&[("name", "Færdig Frida"), ("email", "frida@example.dk")]).await;
    let page =
        kim.on_case(&done, "transition", &[("action", "close"), ("outcome", "chose_elsewhere"), ("note", "")]).await;
    assert_eq!(page.status, StatusCode::SEE_OTHER, "{}", page.body);
    kim.case_json(&done).await; // an opening: one access-log entry
    let worker = app.worker();
    let now = velkomst::db::now();
    worker.deliver_due(now).await.expect("delivered");
    let r = &app.settings.privacy.retention;

    // A dry run a month on: bodies would go; nothing changes.
    let later = now + chrono::Duration::days(i64::from(r.email_body_days) + 1);
    let dry = worker.apply_retention(later, true).await.expect("dry run");
    assert!(dry.email_bodies >= 2, "{dry:?}");
    assert!(dry.closed_inactive.is_empty() && dry.anonymised.is_empty(), "{dry:?}");
    assert!(outbox(&app).await.iter().all(|(_, _, to, body)| !to.is_empty() && !body.is_empty()));

    // For real: delivered bodies and recipients go, template and subject stay.
    let report = worker.apply_retention(later, false).await.expect("applied");
    assert_eq!(report.email_bodies, dry.email_bodies);
    assert!(report.sessions >= 1, "kim's session has long expired: {report:?}");
    let mails = outbox(&app).await;
    assert!(mails.iter().any(|(t, s, _, _)| t == "receipt" && s.contains(&quiet)), "{mails:?}");
    assert!(mails.iter().all(|(_, _, to, body)| to.is_empty() && body.is_empty()), "{mails:?}");
    let case = kim.case_json(&quiet).await;
    assert_eq!(case["stage"], "information", "the open case is still open after a month");

    // A year without activity: the open case closes as no_response, by the rule.
    let year_on = months(now, r.open_inactive_months + 1);
    let report = worker.apply_retention(year_on, false).await.expect("applied");
    assert_eq!(report.closed_inactive, vec![quiet.clone()]);
    assert_eq!(report.anonymised, vec![done.clone()], "the case closed a year ago is anonymised");
    let case = kim.case_json(&quiet).await;
    assert_eq!((case["stage"].as_str(), case["outcome"].as_str()), (Some("closed"), Some("no_response")));
    let retention = case["timeline"].as_array().expect("timeline").iter().find(|e| e["kind"] == "retention").cloned();
    assert_eq!(retention.expect("the rule on the timeline")["rule"], "open_inactive");
    assert_eq!(case["name"], "Stille Søren", "closed now, anonymised only when its own time is up");
    let erased = kim.case_json(&done).await;
    assert_eq!(erased["name"], Value::Null);
    let event = erased["timeline"].as_array().expect("timeline").iter().find(|e| e["kind"] == "erased").cloned();
    assert_eq!(event.expect("when and by which rule")["rule"], "retention");
    assert!(kinds(&erased).contains(&"closed".to_string()));

    // The next runs: the closed-for-inactivity case is anonymised in its
    // turn, old access-log entries go.
    let much_later = months(year_on, r.closed_months.max(r.access_log_months) + 2);
    assert!(access_entries(&app).await > 0);
    let report = worker.apply_retention(much_later, false).await.expect("applied");
    assert_eq!(report.anonymised, vec![quiet.clone()]);
    assert!(report.access_log >= 1, "{report:?}");
    assert_eq!(access_entries(&app).await, 0);
    let again = worker.apply_retention(much_later, false).await.expect("applied");
    assert!(again.is_empty(), "nothing left to do: {again:?}");
}

#[tokio::test]
async fn velkomst_retention_dry_run_prints_what_would_go() {
    let app = spawn_app().await;
    app.mover_submits(&[("name", "Cli Carl"), ("email", "carl@example.dk")]).await;
    let (code, out, err) = crate::cli::velkomst(&app.settings.database_url, &["retention", "--dry-run"], None);
    assert_eq!(code, 0, "{err}");
    assert!(out.contains("would purge") && out.contains("0 cases would close"), "{out}");
    let (code, out, err) = crate::cli::velkomst(&app.settings.database_url, &["retention"], None);
    assert_eq!(code, 0, "{err}");
    assert!(out.contains("purged"), "{out}");
}
