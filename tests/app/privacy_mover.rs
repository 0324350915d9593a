//! The mover's own page, as the mover meets it: the private link in the
//! receipt email, where the case stands, corrections, consent, withdrawal,
//! the download of everything kept, erasure, and a lost link sent again —
//! every change on the timeline and told to the consultant, and the token
//! never in a log line.

use reqwest::StatusCode;
use serde_json::{json, Value};

use crate::helpers::{assert_unique_ids, captured_logs, html_unescape, l10n, spawn_app_with, Browser, Staff, TestApp};
use crate::smtp::{Received, SmtpSink};

async fn app_with_sink() -> (TestApp, SmtpSink) {
    let sink = SmtpSink::start().await;
    let url = sink.url();
    let app = spawn_app_with(move |s| {
        s.mail.smtp_url = Some(url);
        s.mail.timeout_seconds = 5;
    })
    .await;
    (app, sink)
}

/// The worker delivers what is due now.
async fn deliver(app: &TestApp) {
    app.worker().deliver_due(velkomst::db::now()).await.expect("delivered");
}

fn subjects(sink: &SmtpSink, address: &str) -> Vec<String> {
    sink.to(address).iter().map(|m| m.header("Subject")).collect()
}

/// The path of the mover's link in an email (`/my/TOKEN`).
fn my_path(mail: &Received) -> String {
    let text = mail.text();
    let start = text.find("/my/").unwrap_or_else(|| panic!("a link to the mover's page in:\n{text}")) + "/my/".len();
    let token: String =
        text[start..].chars().take_while(|c| c.is_ascii_alphanumeric() || *c == '-' || *c == '_').collect();
    assert_eq!(token.len(), 43, "a 256-bit token: {token:?}");
    format!("/my/{token}")
}

/// The newest email to `address` whose subject contains `subject`.
fn last_mail(sink: &SmtpSink, address: &str, subject: &str) -> Received {
    sink.to(address)
        .into_iter()
        .rfind(|m| m.header("Subject").contains(subject))
        .unwrap_or_else(|| panic!("an email {subject:?} to {address}; got {:?}", subjects(sink, address)))
}

/// Opens the link as the mover does: the token goes into a cookie and the
/// browser lands on /my.
async fn open_my_page(browser: &Browser, path: &str) -> String {
    let page = browser.get(path).await;
    assert_eq!(page.status, StatusCode::SEE_OTHER, "{}", page.body);
    assert!(page.location().starts_with("/my?"), "{}", page.location());
    let page = browser.get("/my").await;
    assert_eq!(page.status, StatusCode::OK);
    page.body
}

fn kinds(case: &Value) -> Vec<String> {
    case["timeline"]
        .as_array()
        .expect("timeline")
        .iter()
        .map(|e| e["kind"].as_str().unwrap_or("").to_string())
        .collect()
}

async fn register_ambassador(app: &TestApp, email: &str) {
    let email = email.to_string();
    app.db
        .write(move |conn| {
            let profile = velkomst::db::ambassadors::Profile {
                organisation: "Stege Lokalråd".into(),
                kind: "local_council".into(),
                phone: None,
                areas: vec!["stege".into()],
                interests: vec![],
            };
            velkomst::workflow::referrals::register_ambassador(conn, &email, "Astrid Ambassadør", &profile)
        })
        .await
        .expect("ambassador registered")
        .expect("new email");
}

/// Every link made `minutes` earlier than it was (the lost-link form sends
/// none within ten minutes of the last).
async fn backdate_links(app: &TestApp, minutes: i64) {
    app.db
        .write(move |conn| {
            use diesel::prelude::*;
            use velkomst::db::schema::mover_links;
            let links: Vec<(String, chrono::NaiveDateTime)> =
                mover_links::table.select((mover_links::token_hash, mover_links::created_at)).load(conn)?;
            for (hash, at) in links {
                diesel::update(mover_links::table.find(hash))
                    .set(mover_links::created_at.eq(at - chrono::Duration::minutes(minutes)))
                    .execute(conn)?;
            }
            Ok(())
        })
        .await
        .expect("backdated");
}

async fn referral_state(staff: &Staff, reference: &str) -> String {
    let case = staff.case_json(reference).await;
    let steps: Vec<&Value> =
        case["timeline"].as_array().expect("timeline").iter().filter(|e| e["kind"] == "referral_withdrawn").collect();
    if steps.is_empty() {
        "open".into()
    } else {
        "withdrawn".into()
    }
}

#[tokio::test]
async fn the_mover_sees_corrects_consents_downloads_and_erases_from_the_receipt_link() {
    let (app, sink) = app_with_sink().await;
    let kim = app.consultant("Kim Konsulent", "kim@kommune.dk").await;
    register_ambassador(&app, "astrid@stege.dk").await;
    let reference = app
        .mover_submits(&[
            ("name", "Mette Mover"),
            ("email", "mette@example.dk"),
            ("phone", "20304050"),
            ("areas", "stege"),
            ("ambassador_contact", "true"),
            ("message", "Vi har to hunde"),
        ])
        .await;
    deliver(&app).await;
    let receipt = last_mail(&sink, "mette@example.dk", &reference);
    let path = my_path(&receipt);

    // The page: where the case stands, what happens next, who to reach.
    let mover = app.browser();
    let body = html_unescape(&open_my_page(&mover, &path).await);
    assert!(body.contains(&reference));
    assert!(body.contains(&l10n("da", "my-status-received")), "{body}");
    assert!(body.contains("Kim Konsulent") && body.contains("kim@kommune.dk"));
    assert!(body.contains("Mette Mover") && body.contains("Vi har to hunde"), "the form shows the details");
    let page = mover.get("/my?lang=en").await;
    assert!(html_unescape(&page.body).contains(&l10n("en", "my-status-received")));
    assert_unique_ids(&page);
    assert!(!page.body.contains(path.trim_start_matches("/my/")), "nothing on the page carries the token");

    // A correction with a bad email: 422, what was typed kept, an error summary.
    let page = mover
        .submit(
            "/my",
            "/my/details",
            &[("name", "Mette Møller"), ("email", "not-an-email"), ("phone", ""), ("message", "")],
        )
        .await;
    assert_eq!(page.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(page.contains("error-summary") && page.contains("Mette Møller") && page.contains("not-an-email"));
    let page = mover
        .submit(
            "/my",
            "/my/details",
            &[
                ("name", "Mette Møller"),
                ("email", "mette.m@example.dk"),
                ("phone", "20304050"),
                ("message", "Vi har to hunde"),
            ],
        )
        .await;
    assert_eq!(page.status, StatusCode::SEE_OTHER, "{}", page.body);
    let case = kim.case_json(&reference).await;
    assert_eq!(case["name"], "Mette Møller");
    assert_eq!(case["email"], "mette.m@example.dk");
    let corrected =
        case["timeline"].as_array().expect("timeline").iter().find(|e| e["kind"] == "mover_corrected").cloned();
    assert_eq!(corrected.expect("on the timeline")["fields"], json!(["name", "email"]), "names, not values");

    // Consent withdrawn: the open referral is withdrawn with it.
    let page = kim
        .api
        .post_json(
            &format!("/api/v1/cases/{reference}/referrals"),
            &json!({ "ambassador": "astrid@stege.dk", "message": "Hunde" }),
        )
        .await;
    assert_eq!(page.status, StatusCode::CREATED, "{}", page.body);
    let page = mover.submit("/my", "/my/consent", &[("consent", "false")]).await;
    assert_eq!(page.status, StatusCode::SEE_OTHER);
    assert_eq!(referral_state(&kim, &reference).await, "withdrawn");
    assert_eq!(kim.case_json(&reference).await["consent"]["ambassador_contact"], false);
    let page = mover.submit("/my", "/my/consent", &[("consent", "true")]).await;
    assert_eq!(page.status, StatusCode::SEE_OTHER);
    assert_eq!(kim.case_json(&reference).await["consent"]["ambassador_contact"], true);

    // Everything kept, as a file and as a page.
    let page = mover.get("/my/export.json").await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.headers["content-disposition"].to_str().unwrap_or("").contains("attachment"));
    let export = page.json();
    assert_eq!(export["case"]["email"], "mette.m@example.dk");
    assert!(export["stored"]["outbox"].as_array().is_some_and(|o| !o.is_empty()), "the emails sent are in it");
    let page = mover.get("/my/export").await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.contains("Mette Møller") && page.contains(&l10n("en", "event-received")), "{}", page.body);
    assert!(!page.contains("astrid@stege.dk"), "not the emails to others");

    // The consultant heard of each change.
    deliver(&app).await;
    let told = subjects(&sink, "kim@kommune.dk");
    assert!(told.iter().any(|s| s.contains("rettet") && s.contains(&reference)), "{told:?}");
    assert!(told.iter().any(|s| s.contains("trukket samtykket")), "{told:?}");
    assert!(told.iter().all(|s| !s.contains("Mette")), "no personal data in the notices: {told:?}");

    // Erasure wants the box ticked; then the person is gone and the link with them.
    let page = mover.submit("/my", "/my/erasure", &[]).await;
    assert_eq!(page.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(page.contains("error-summary") && page.contains("field-confirm"));
    let page = mover.submit("/my", "/my/erasure", &[("confirm", "yes")]).await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.body);
    assert!(html_unescape(&page.body).contains(&reference));
    let case = kim.case_json(&reference).await;
    assert_eq!(case["name"], Value::Null);
    assert_eq!((case["stage"].as_str(), case["outcome"].as_str()), (Some("closed"), Some("withdrawn")));
    let k = kinds(&case);
    assert!(k.contains(&"erased".to_string()) && k.contains(&"closed".to_string()), "{k:?}");
    let erased = case["timeline"].as_array().expect("timeline").iter().find(|e| e["kind"] == "erased").cloned();
    assert_eq!(erased.expect("erased event")["rule"], "mover");
    let page = app.browser().get(&path).await;
    assert_eq!(page.status, StatusCode::NOT_FOUND, "the link opens nothing now");
    let page = mover.get("/my").await;
    assert!(page.contains("my-lost-form"), "the cookie opens nothing either");
    deliver(&app).await;
    assert!(subjects(&sink, "kim@kommune.dk").iter().any(|s| s.contains("slettet")));
}

#[tokio::test]
async fn withdrawing_closes_an_open_case_and_after_a_final_outcome_stops_every_message() {
    let (app, sink) = app_with_sink().await;
    let kim = app.consultant("Kim Konsulent", "kim@kommune.dk").await;
    let open_ref = app.mover_submits(&[("name", "Ole Open"), ("email", "ole@example.dk")]).await;
    let done_ref = app.mover_submits(&[("name", "Dorte Done"), ("email", "dorte@example.dk")]).await;
    deliver(&app).await;

    let ole = app.browser();
    open_my_page(&ole, &my_path(&last_mail(&sink, "ole@example.dk", &open_ref))).await;
    let page = ole.submit("/my", "/my/withdraw", &[]).await;
    assert_eq!(page.status, StatusCode::SEE_OTHER);
    let case = kim.case_json(&open_ref).await;
    assert_eq!((case["stage"].as_str(), case["outcome"].as_str()), (Some("closed"), Some("withdrawn")));
    assert!(kinds(&case).contains(&"mover_withdrew".to_string()));
    let page = ole.get("/my").await;
    assert!(html_unescape(&page.body).contains(&l10n("da", "my-status-withdrawn")));

    // A closed case: the mover says no more messages; an email waiting to go is cancelled.
    let page = kim.move_case(&done_ref, "move:move_in", "").await;
    assert_eq!(page.status, StatusCode::SEE_OTHER, "{}", page.body);
    let page = kim
        .on_case(&done_ref, "transition", &[("action", "close"), ("outcome", "chose_elsewhere"), ("note", "")])
        .await;
    assert_eq!(page.status, StatusCode::SEE_OTHER, "{}", page.body);
    let dorte = app.browser();
    open_my_page(&dorte, &my_path(&last_mail(&sink, "dorte@example.dk", &done_ref))).await;
    let page = dorte.submit("/my", "/my/withdraw", &[]).await;
    assert_eq!(page.status, StatusCode::SEE_OTHER);
    let case = kim.case_json(&done_ref).await;
    assert_eq!(case["outcome"], "chose_elsewhere", "the outcome stays");
    let before = subjects(&sink, "dorte@example.dk").len();
    deliver(&app).await;
    assert_eq!(subjects(&sink, "dorte@example.dk").len(), before, "the welcome email waiting to go was cancelled");
    let page = dorte.get("/my").await;
    assert!(html_unescape(&page.body).contains(&l10n("da", "my-messages-stopped")));
}

#[tokio::test]
async fn a_lost_link_goes_to_the_address_on_the_case_and_the_answer_never_tells() {
    let (app, sink) = app_with_sink().await;
    let reference = app.mover_submits(&[("name", "Lis Lost"), ("email", "lis@example.dk")]).await;
    deliver(&app).await;
    let first = my_path(&last_mail(&sink, "lis@example.dk", &reference));
    backdate_links(&app, 11).await;

    let browser = app.browser();
    let page = browser.get("/my").await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.contains("my-lost-form"));
    let page = browser.submit("/my", "/my/lost", &[("email", "nobody@example.dk")]).await;
    assert_eq!(page.status, StatusCode::SEE_OTHER);
    let unknown = browser.get(&page.location()).await.body;
    let page = browser.submit("/my", "/my/lost", &[("email", "LIS@example.dk")]).await;
    assert_eq!(page.status, StatusCode::SEE_OTHER);
    let known = browser.get(&page.location()).await.body;
    assert_eq!(unknown, known, "the same answer whether or not a case has the address");
    // A bad address is a field error that keeps what was typed.
    let page = browser.submit("/my", "/my/lost", &[("email", "lis@")]).await;
    assert_eq!(page.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(page.contains("error-summary") && page.contains("lis@"));

    deliver(&app).await;
    let again = last_mail(&sink, "lis@example.dk", &reference);
    assert!(again.header("Subject").contains("Link"), "{}", again.header("Subject"));
    let second = my_path(&again);
    assert_ne!(first, second, "a fresh link (only hashes are stored)");
    assert!(subjects(&sink, "nobody@example.dk").is_empty());
    // Straight after, no second link: the form cannot flood a mailbox.
    let n = sink.to("lis@example.dk").len();
    browser.submit("/my", "/my/lost", &[("email", "lis@example.dk")]).await;
    deliver(&app).await;
    assert_eq!(sink.to("lis@example.dk").len(), n);
    // Both links open the page.
    for path in [first, second] {
        open_my_page(&app.browser(), &path).await;
    }
    // Without a CSRF token the form is refused.
    let page = app.browser().post_form("/my/lost", &[("email", "lis@example.dk")]).await;
    assert_eq!(page.status, StatusCode::FORBIDDEN);
}

#[tokio::test]
async fn the_movers_token_never_reaches_a_log_line() {
    let (app, sink) = app_with_sink().await;
    let reference = app.mover_submits(&[("name", "Tove Token"), ("email", "tove@example.dk")]).await;
    deliver(&app).await;
    let path = my_path(&last_mail(&sink, "tove@example.dk", &reference));
    let token = path.trim_start_matches("/my/").to_string();
    let browser = app.browser();
    open_my_page(&browser, &path).await;
    browser.get("/my/export").await;
    app.browser().get(&format!("{path}x")).await;
    tokio::time::sleep(std::time::Duration::from_millis(200)).await;
    let logs = captured_logs();
    assert!(logs.contains("/my/[redacted]"), "the request is logged, redacted");
    assert!(!logs.contains(&token), "the token is in no log line");
    // And only its hash is stored.
    let stored: i64 = app
        .db
        .read(move |conn| {
            use diesel::prelude::*;
            use velkomst::db::schema::mover_links;
            Ok(mover_links::table.filter(mover_links::token_hash.eq(token)).count().get_result(conn)?)
        })
        .await
        .expect("read");
    assert_eq!(stored, 0);
}
