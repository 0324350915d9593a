//! Newcomers' events: invitation by area, sign-up, a full event's waiting
//! list moving up on a cancellation (with an email), the reminder the day
//! before, the ambassadors' sign-up, the seating plan by area, attendance.

use chrono::Duration;
use reqwest::StatusCode;

use crate::helpers::{html_unescape, Staff, TestApp};
use crate::mail::{app_with_sink_and, count, drain, kinds, local, local_today, now, one};
use crate::smtp::{Received, SmtpSink};

/// The path of the private sign-up link in an email.
fn signup_path(email: &Received) -> String {
    let text = email.text();
    let at = text.find("/event/").unwrap_or_else(|| panic!("a sign-up link in {text}"));
    text[at..].split_whitespace().next().expect("link").to_string()
}

fn action(path: &str) -> String {
    path.split('?').next().expect("path").to_string()
}

/// A newcomer who chose `area`; returns the reference.
async fn newcomer(app: &TestApp, name: &str, email: &str, area: &str) -> String {
    app.mover_submits(&[("name", name), ("email", email), ("areas", area)]).await
}

/// Creates an event for `areas` with `capacity` places in a week; returns its path.
async fn create_event(staff: &Staff, title: &str, areas: &[&str], capacity: &str) -> String {
    let day = (local_today() + Duration::days(7)).to_string();
    let deadline = (local_today() + Duration::days(5)).to_string();
    let mut fields = vec![
        ("title", title),
        ("description", "Mød foreningerne."),
        ("date", day.as_str()),
        ("time", "19:00"),
        ("minutes", "120"),
        ("place", "Stege Borgerhus"),
        ("capacity", capacity),
        ("languages", "da"),
        ("languages", "en"),
        ("deadline", deadline.as_str()),
    ];
    for a in areas {
        fields.push(("areas", a));
    }
    let page = staff.browser.submit("/events", "/events", &fields).await;
    assert_eq!(page.status, StatusCode::SEE_OTHER, "{}", page.body);
    page.location()
}

async fn sink_app() -> (TestApp, SmtpSink) {
    app_with_sink_and(|_| {}).await
}

#[tokio::test]
async fn a_newcomers_evening_from_invitation_to_attendance() {
    let (app, sink) = sink_app().await;
    let kim = app.consultant("Kim Konsulent", "kim@kommune.dk").await;
    // Input that is refused comes back as typed.
    let bad = kim.browser.submit("/events", "/events", &[("title", "Aften i Stege"), ("capacity", "mange")]).await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(bad.contains("value=\"Aften i Stege\"") && bad.contains("id=\"error-capacity\""), "{}", bad.body);

    let stege = newcomer(&app, "Anna Stege", "anna@example.dk", "stege").await;
    let _bogoe = newcomer(&app, "Bo Bogø", "bo@example.dk", "bogoe").await;
    let _far = newcomer(&app, "Fie Fjern", "fie@example.dk", "praestoe").await;
    app.db
        .write(|conn| {
            let profile = velkomst::db::ambassadors::Profile {
                organisation: "Stege Borgerforening".into(),
                kind: "local_council".into(),
                phone: None,
                areas: vec!["stege".into()],
                interests: vec![],
            };
            velkomst::db::ambassadors::create(conn, "soeren@example.dk", "Søren Ambassadør", &profile)
        })
        .await
        .expect("ambassador");

    // Five places, for two areas; invitations by area, ambassadors too.
    let event = create_event(&kim, "Tilflytteraften", &["stege", "bogoe"], "5").await;
    let invited = kim.browser.submit(&event, &format!("{event}/invite"), &[("ambassadors", "1")]).await;
    assert_eq!(invited.status, StatusCode::SEE_OTHER, "{}", invited.body);
    assert!(invited.location().ends_with("invited=3"), "two newcomers and one ambassador: {}", invited.location());
    let worker = app.worker();
    drain(&worker, now()).await;
    assert!(sink.to("fie@example.dk").iter().all(|m| !m.header("Subject").contains("Tilflytteraften")), "not her area");
    let anna_mail = one(&sink, "anna@example.dk", "Invitation: Tilflytteraften");
    assert!(anna_mail.calendar().is_some(), "with a calendar part");
    let anna = signup_path(&anna_mail);
    let bo = signup_path(&one(&sink, "bo@example.dk", "Invitation: Tilflytteraften"));
    let soeren = signup_path(&one(&sink, "soeren@example.dk", "Invitation: Tilflytteraften"));

    // Sign-up; refused input is kept; the needs stay with staff.
    let browser = app.browser();
    let bad =
        browser.submit(&anna, &action(&anna), &[("adults", "0"), ("children", "1"), ("needs", "Glutenfri")]).await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(bad.contains(">Glutenfri</textarea>") && bad.contains("id=\"error-adults\""));
    let ok = browser.submit(&anna, &action(&anna), &[("adults", "2"), ("children", "1"), ("needs", "Glutenfri")]).await;
    assert_eq!(ok.status, StatusCode::SEE_OTHER, "{}", ok.body);
    assert!(browser.get(&anna).await.contains("id=\"guest-state\""));
    // The ambassador signs up from the phone, by the same kind of link.
    assert_eq!(browser.submit(&soeren, &action(&soeren), &[("adults", "1")]).await.status, StatusCode::SEE_OTHER);
    // Full: Bo waits.
    assert_eq!(browser.submit(&bo, &action(&bo), &[("adults", "2")]).await.status, StatusCode::SEE_OTHER);
    assert!(html_unescape(&browser.get(&bo).await.body).contains("Du står på ventelisten"));
    let page = kim.browser.get(&event).await;
    assert!(page.contains("4 / 5") && page.contains("Glutenfri"), "{}", page.body);

    // The ambassador cancels: Bo moves up, with an email.
    let cancelled = browser.submit(&soeren, &format!("{}/cancel", action(&soeren)), &[]).await;
    assert_eq!(cancelled.status, StatusCode::SEE_OTHER);
    let page = kim.browser.get(&event).await;
    assert!(page.contains("5 / 5"), "{}", page.body);
    drain(&worker, now()).await;
    one(&sink, "bo@example.dk", "Du har fået plads");

    // The reminder the day before, once, to those with places.
    let day_before = local_today() + Duration::days(6);
    assert_eq!(worker.run_events(local(day_before, 9, 0)).await.expect("round"), 0, "not yet");
    assert_eq!(worker.run_events(local(day_before, 10, 30)).await.expect("round"), 2, "Anna and Bo");
    assert_eq!(worker.run_events(local(day_before, 11, 0)).await.expect("round"), 0, "once");
    drain(&worker, local(day_before, 10, 30)).await;
    one(&sink, "anna@example.dk", "I morgen: Tilflytteraften");
    assert!(sink.to("soeren@example.dk").iter().all(|m| !m.header("Subject").starts_with("I morgen")));

    // The seating plan: a table per area.
    let plan = html_unescape(&kim.browser.get(&format!("{event}/seating")).await.body);
    let (s, b) = (plan.find("Stege (").expect("Stege's table"), plan.find("Bogø (").expect("Bogø's table"));
    assert!(s < b && plan[s..b].contains("Anna Stege") && plan[b..].contains("Bo Bogø"), "{plan}");

    // Attendance: on the timeline; the needs are gone.
    let page = kim.browser.get(&event).await;
    let guest_id = page.body.split("id=\"came-").nth(1).expect("a guest").split('"').next().expect("id").to_string();
    let saved = kim.browser.submit(&event, &format!("{event}/attendance"), &[("came", guest_id.as_str())]).await;
    assert_eq!(saved.status, StatusCode::SEE_OTHER);
    assert!(!kim.browser.get(&event).await.contains("Glutenfri"), "health data deleted after the event");
    let k = kinds(&kim.case_json(&stege).await);
    assert_eq!((count(&k, "event_invited"), count(&k, "event_signed_up")), (1, 1));
    assert_eq!(count(&k, "event_attended"), 1, "{k:?}");
}

#[tokio::test]
async fn a_newcomer_without_a_case_signs_up_through_the_open_link() {
    let (app, sink) = sink_app().await;
    let kim = app.consultant("Kim Konsulent", "kim@kommune.dk").await;
    let event = create_event(&kim, "Velkomstkaffe", &["stege"], "10").await;
    let page = kim.browser.get(&event).await;
    let open = html_unescape(&page.body)
        .split("id=\"open-link\">")
        .nth(1)
        .expect("open link")
        .split('<')
        .next()
        .expect("url")
        .to_string();
    let path = open.trim_start_matches(&app.address).to_string();
    let browser = app.browser();
    let bad = browser.submit(&path, &path, &[("name", "Nina Ny"), ("email", "ikke en adresse"), ("adults", "1")]).await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(bad.contains("value=\"Nina Ny\"") && bad.contains("id=\"error-email\""));
    let ok = browser.submit(&path, &path, &[("name", "Nina Ny"), ("email", "nina@example.dk"), ("adults", "1")]).await;
    assert_eq!(ok.status, StatusCode::SEE_OTHER, "{}", ok.body);
    drain(&app.worker(), now()).await;
    let mail = one(&sink, "nina@example.dk", "Din tilmelding: Velkomstkaffe");
    assert!(browser.get(&signup_path(&mail)).await.contains("Du er tilmeldt"));
    assert!(kim.browser.get(&event).await.contains("Nina Ny"));
}
