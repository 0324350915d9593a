//! After the move: the welcome survey and the one-year check, fired by the
//! worker on a controllable clock, answered through the private link, shown
//! on the case, stopped by an answer or an erasure.

use chrono::{Duration, NaiveDateTime};
use reqwest::StatusCode;
use serde_json::json;

use crate::helpers::{html_unescape, Staff, TestApp};
use crate::mail::{app_with_sink_and, count, drain, kinds, local_today, now, on_case_ok, one, welcome_package};
use crate::smtp::{Received, SmtpSink};

/// The path of the private link in an email (the app's address removed).
fn survey_path(email: &Received, app: &TestApp) -> String {
    let text = email.text();
    let at = text.find("/survey/").unwrap_or_else(|| panic!("a survey link in {text}"));
    let link = text[at..].split_whitespace().next().expect("link").to_string();
    assert!(text.contains(&format!("{}{link}", app.address)), "the link is absolute: {text}");
    link
}

/// `/survey/T?lang=da` → `/survey/T` (where the form posts).
fn action(path: &str) -> String {
    path.split('?').next().expect("path").to_string()
}

/// A household moved in `days_ago` days ago (0: today) and, with
/// `welcomed`, closed as welcomed; returns the reference.
async fn moved_in(app: &TestApp, kim: &Staff, name: &str, email: &str, days_ago: i64, welcomed: bool) -> String {
    let reference = app.mover_submits(&[("name", name), ("email", email), ("areas", "stege")]).await;
    let date = (local_today() - Duration::days(days_ago)).format("%Y-%m-%d").to_string();
    on_case_ok(kim, &reference, "move-in", &[("move_in_date", &date), ("move_in_area", "stege")]).await;
    if welcomed {
        welcome_package(kim, &reference, "collected", "").await;
        on_case_ok(kim, &reference, "transition", &[("action", "close"), ("outcome", "welcomed"), ("note", "")]).await;
    }
    reference
}

async fn sink_app() -> (TestApp, SmtpSink) {
    app_with_sink_and(|_| {}).await
}

fn days(n: i64) -> NaiveDateTime {
    now() + Duration::days(n)
}

#[tokio::test]
async fn the_welcome_survey_reaches_a_closed_case_once_with_one_reminder_and_the_answer_lands_on_the_case() {
    let (app, sink) = sink_app().await;
    let kim = app.consultant("Kim Konsulent", "kim@kommune.dk").await;
    let mover = "aase@example.dk";
    let reference = moved_in(&app, &kim, "Åse Ærø", mover, 0, true).await;
    assert_eq!(kim.case_json(&reference).await["outcome"], "welcomed", "closed before the survey is due");
    let page = kim.browser.get(&format!("/cases/{reference}")).await;
    assert!(page.contains("id=\"surveys\""), "the case page says when the survey will come");
    let worker = app.worker();
    drain(&worker, now()).await;

    // 90 days after the move-in (the default), not a day before.
    assert_eq!(worker.run_surveys(days(89)).await.expect("round"), (0, 0));
    assert_eq!(worker.run_surveys(days(90)).await.expect("round"), (1, 0), "closing did not cancel it");
    assert_eq!(worker.run_surveys(days(91)).await.expect("round"), (0, 0), "nothing twice");
    assert_eq!(drain(&worker, days(90)).await.sent, 1);
    let first = one(&sink, mover, "Hvordan er I blevet modtaget");
    assert!(first.text().contains("Kære Åse Ærø"), "in the mover's language: {}", first.text());
    let link = survey_path(&first, &app);

    // One reminder after 14 days, with its own link; then never again.
    assert_eq!(worker.run_surveys(days(103)).await.expect("round"), (0, 0));
    assert_eq!(worker.run_surveys(days(104)).await.expect("round"), (0, 1));
    assert_eq!(worker.run_surveys(days(120)).await.expect("round"), (0, 0), "no further nagging");
    assert_eq!(drain(&worker, days(104)).await.sent, 1);
    let reminder = one(&sink, mover, "Påmindelse");
    let second = survey_path(&reminder, &app);
    assert_ne!(second, link);

    // Both links open the survey; input that is refused is kept.
    let browser = app.browser();
    let page = browser.get(&second).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.contains("Vi er blevet godt modtaget") && page.contains("Velkomstpakken"), "wording from config");
    let bad = browser
        .submit(&link, &action(&link), &[("score-welcomed", "9"), ("helped", "ambassador"), ("comment", "Dejlig by")])
        .await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", bad.body);
    assert!(bad.contains("id=\"error-score-welcomed\""), "the message stands at the statement");
    assert!(bad.contains(">Dejlig by</textarea>"), "what was typed is kept");
    assert!(bad.contains("id=\"helped-ambassador\" type=\"checkbox\" name=\"helped\" value=\"ambassador\" class=\"form-checkbox\" checked"));

    let fields = [
        ("score-welcomed", "5"),
        ("score-belong", "4"),
        ("score-recommend", "5"),
        ("helped", "consultant"),
        ("helped", "welcome_package"),
        ("comment", "Naboerne kom med kage."),
    ];
    let saved = browser.submit(&link, &action(&link), &fields).await;
    assert_eq!(saved.status, StatusCode::SEE_OTHER, "{}", saved.body);
    let again = browser.get(&saved.location()).await;
    assert!(again.contains("id=\"survey-saved\""), "{}", again.body);
    assert!(again.contains(
        "id=\"score-belong-4\" type=\"radio\" name=\"score-belong\" value=\"4\" class=\"form-radio\" checked"
    ));

    // Changed until it closes.
    let changed = browser.submit(&second, &action(&second), &[("score-welcomed", "4"), ("comment", "")]).await;
    assert_eq!(changed.status, StatusCode::SEE_OTHER, "{}", changed.body);
    let saved = browser.submit(&link, &action(&link), &fields).await;
    assert_eq!(saved.status, StatusCode::SEE_OTHER);

    // On the case page for staff, with the free text; on the timeline.
    let case_page = kim.browser.get(&format!("/cases/{reference}")).await;
    let html = html_unescape(&case_page.body);
    assert!(html.contains("Naboerne kom med kage."), "the comment is shown to staff");
    assert!(html.contains("Vi er blevet godt modtaget") && html.contains("5 / 5"), "the scores");
    assert!(html.contains("Bosætningskonsulenten, Velkomstpakken"), "the help that mattered");
    let k = kinds(&kim.case_json(&reference).await);
    assert_eq!((count(&k, "survey_sent"), count(&k, "survey_reminded"), count(&k, "survey_answered")), (1, 1, 3));

    // The survey link never reaches a log line.
    let token = link.trim_start_matches("/survey/").split('?').next().expect("token").to_string();
    assert!(!crate::helpers::captured_logs().contains(&token), "the token is not logged");
}

#[tokio::test]
async fn an_answer_or_an_erasure_stops_the_reminder_and_old_households_are_never_mailed() {
    let (app, sink) = sink_app().await;
    let kim = app.consultant("Kim Konsulent", "kim@kommune.dk").await;
    let answers = moved_in(&app, &kim, "Bo Svar", "bo@example.dk", 0, false).await;
    let erased = moved_in(&app, &kim, "Eva Slet", "eva@example.dk", 0, true).await;
    // Moved in 200 days ago: its welcome survey was due 110 days ago, long
    // before the feature was on; it is never sent.
    let _old = moved_in(&app, &kim, "Ole Gammel", "ole@example.dk", 200, true).await;
    let worker = app.worker();
    drain(&worker, now()).await;
    assert_eq!(worker.run_surveys(days(90)).await.expect("round"), (2, 0), "the two new households only");
    drain(&worker, days(90)).await;
    assert!(sink.to("ole@example.dk").iter().all(|m| !m.header("Subject").contains("modtaget")));

    let link = survey_path(&one(&sink, "bo@example.dk", "modtaget"), &app);
    let eva_link = survey_path(&one(&sink, "eva@example.dk", "modtaget"), &app);
    let browser = app.browser();
    let saved = browser.submit(&link, &action(&link), &[("score-belong", "3")]).await;
    assert_eq!(saved.status, StatusCode::SEE_OTHER, "{}", saved.body);

    let admin = app.admin("Ada Admin", "ada@kommune.dk").await;
    let page = admin.api.post_json(&format!("/api/v1/cases/{erased}/erasure"), &json!({ "note": "anmodning" })).await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.body);

    assert_eq!(worker.run_surveys(days(110)).await.expect("round"), (0, 0), "answered or erased: no reminder");
    assert_eq!(browser.get(&eva_link).await.status, StatusCode::NOT_FOUND, "the erased person's link is dead");
    assert_eq!(browser.get("/survey/not-a-token").await.status, StatusCode::NOT_FOUND);
    assert_eq!(kim.case_json(&answers).await["stage"], "move_in", "an open case is asked too");
}

#[tokio::test]
async fn the_one_year_check_asks_where_they_live_in_english_too() {
    let (app, sink) = sink_app().await;
    let kim = app.consultant("Kim Konsulent", "kim@kommune.dk").await;
    let body = json!({ "name": "John Smith", "email": "john@example.com", "language": "en", "areas": ["stege"] });
    let page = app.api_inquiry(&body).await;
    let reference = page.json()["reference"].as_str().expect("reference").to_string();
    let today = local_today().format("%Y-%m-%d").to_string();
    on_case_ok(&kim, &reference, "move-in", &[("move_in_date", &today), ("move_in_area", "stege")]).await;
    let worker = app.worker();
    drain(&worker, now()).await;
    assert_eq!(worker.run_surveys(days(90)).await.expect("round"), (1, 0), "the welcome survey");
    assert_eq!(worker.run_surveys(days(104)).await.expect("round"), (0, 1), "its reminder");
    assert_eq!(worker.run_surveys(days(364)).await.expect("round"), (0, 0), "a year is not up yet");
    assert_eq!(worker.run_surveys(days(366)).await.expect("round"), (1, 0), "the one-year check");
    drain(&worker, days(366)).await;
    let email = one(&sink, "john@example.com", "do you still live here");
    assert!(email.text().contains("Dear John Smith"), "{}", email.text());
    let link = survey_path(&email, &app);
    assert!(link.ends_with("?lang=en"));

    let browser = app.browser();
    let page = browser.get(&link).await;
    assert!(page.contains("Do you still live in Vordingborg Municipality?"), "{}", page.body);
    let bad = browser.submit(&link, &action(&link), &[("comment", "Work")]).await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(bad.contains("id=\"error-residence\"") && bad.contains(">Work</textarea>"));
    let ok = browser.submit(&link, &action(&link), &[("residence", "moved_within"), ("comment", "Work")]).await;
    assert_eq!(ok.status, StatusCode::SEE_OTHER, "{}", ok.body);
    let case_page = kim.browser.get(&format!("/cases/{reference}")).await;
    assert!(case_page.contains("survey-one_year"), "{}", case_page.body);
    assert!(html_unescape(&case_page.body).contains("Ja, men vi er flyttet inden for kommunen"));
}

#[tokio::test]
async fn the_figures_show_scores_and_the_share_still_resident_without_names_or_small_groups() {
    let (app, sink) = sink_app().await;
    let kim = app.consultant("Kim Konsulent", "kim@kommune.dk").await;
    let mut movers = Vec::new();
    for i in 0..6 {
        let email = format!("mover{i}@example.dk");
        moved_in(&app, &kim, &format!("Hemmelig Person{i}"), &email, 0, i % 2 == 0).await;
        movers.push(email);
    }
    let worker = app.worker();
    drain(&worker, now()).await;
    assert_eq!(worker.run_surveys(days(90)).await.expect("round"), (6, 0));
    drain(&worker, days(90)).await;
    let browser = app.browser();
    for (i, email) in movers.iter().take(5).enumerate() {
        let link = survey_path(&one(&sink, email, "modtaget"), &app);
        let mut fields = vec![("score-welcomed", "5"), ("helped", "consultant"), ("comment", "Hemmelig kommentar")];
        if i == 0 {
            fields.push(("score-belong", "2"));
        }
        assert_eq!(browser.submit(&link, &action(&link), &fields).await.status, StatusCode::SEE_OTHER);
    }
    assert_eq!(worker.run_surveys(days(366)).await.expect("round"), (6, 0), "the one-year checks");
    drain(&worker, days(366)).await;
    for email in movers.iter().take(5) {
        let link = survey_path(&one(&sink, email, "bor I her stadig"), &app);
        let saved =
            browser.submit(&link, &action(&link), &[("residence", "stayed"), ("comment", "Hemmelig grund")]).await;
        assert_eq!(saved.status, StatusCode::SEE_OTHER);
    }

    let from = local_today().to_string();
    let to = (local_today() + Duration::days(400)).to_string();
    let page = kim.browser.get(&format!("/reports/surveys?from={from}&to={to}")).await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.body);
    let html = html_unescape(&page.body).replace('\n', "").replace("  ", "");
    assert!(!html.contains("Hemmelig"), "no names and no comments in the figures");
    assert!(html.contains("<strong>6</strong>") && html.contains("<strong>5</strong>"), "sent and answered: {html}");
    assert!(
        html.contains("<td>5</td><td>0</td><td>0</td><td>0</td><td>0</td><td>5</td><td>5</td>"),
        "welcomed: {html}"
    );
    assert!(
        html.contains("–</span></td><td>–</td><td>–</td><td>–</td><td>–</td><td>–</td><td>–</td>"),
        "one answer hidden"
    );
    assert!(html.contains("<th scope=\"row\">Stege</th>") && html.contains("100 %"), "still resident by area");
    assert!(html.contains("Enlig") || html.contains("Par"), "by household");
    let nobody = app.browser().get("/reports/surveys").await;
    assert_ne!(nobody.status, StatusCode::OK, "staff only");
}
