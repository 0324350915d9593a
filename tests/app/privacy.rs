//! Privacy as the people involved meet it: closing a referred case shuts
//! the ambassador out, the access log, the mover's own page, erasure that
//! keeps the statistics, and retention on a controllable clock.

use reqwest::StatusCode;
use serde_json::{json, Value};

use crate::helpers::{html_unescape, spawn_app, Browser, Page, Staff, TestApp};

/// An ambassador as staff registered them.
#[derive(Debug, Clone)]
struct Amb {
    id: String,
    email: String,
}

/// Staff register an ambassador on /ambassadors/new; the id is read from
/// the directory, where the name links to the ambassador's page.
async fn register(staff: &Staff, name: &str, email: &str, area: &str) -> Amb {
    let fields = [
        ("name", name),
        ("email", email),
        ("organisation", "Lokalrådet"),
        ("kind", "local_council"),
        ("phone", ""),
        ("areas", area),
    ];
    let page = staff.browser.submit("/ambassadors/new", "/ambassadors", &fields).await;
    assert_eq!(page.status, StatusCode::SEE_OTHER, "registered: {}", page.body);
    let directory = staff.browser.get("/ambassadors").await;
    let end = directory.body.find(&format!("\">{name}</a>")).unwrap_or_else(|| panic!("{name} in the directory"));
    let start = directory.body[..end].rfind("/ambassadors/").expect("a link") + "/ambassadors/".len();
    Amb { id: directory.body[start..end].to_string(), email: email.to_string() }
}

/// A consenting mover through the JSON API; returns the reference.
async fn consenting_mover(app: &TestApp, name: &str, email: &str, phone: &str) -> String {
    let body = json!({ "name": name, "email": email, "phone": phone, "areas": ["stege"], "ambassador_contact": true });
    let page = app.api_inquiry(&body).await;
    assert_eq!(page.status, StatusCode::CREATED, "{}", page.body);
    page.json()["reference"].as_str().expect("reference").to_string()
}

async fn api_refer(staff: &Staff, reference: &str, amb: &Amb) -> String {
    let page = staff
        .api
        .post_json(
            &format!("/api/v1/cases/{reference}/referrals"),
            &json!({ "ambassador": amb.email, "message": "Vis dem rundt" }),
        )
        .await;
    assert_eq!(page.status, StatusCode::CREATED, "referred: {}", page.body);
    page.json()["id"].as_str().expect("referral id").to_string()
}

async fn api_move(staff: &Staff, reference: &str, body: Value) -> Value {
    let page = staff.api.post_json(&format!("/api/v1/cases/{reference}/transitions"), &body).await;
    assert_eq!(page.status, StatusCode::OK, "{body}: {}", page.body);
    page.json()
}

/// A browser signed in as the ambassador through a link made as the app
/// makes them (only the hash is stored).
async fn ambassador_browser(app: &TestApp, amb: &Amb) -> Browser {
    let token = velkomst::crypto::random_token();
    let hash = velkomst::crypto::token_hash(&token);
    let user_id = amb.id.clone();
    app.db
        .write(move |conn| {
            let t = velkomst::db::now();
            velkomst::db::referrals::create_signin_link(conn, &hash, &user_id, None, t, t + chrono::Duration::hours(1))
        })
        .await
        .expect("link stored");
    let browser = app.browser();
    let path = format!("/signin/{token}");
    let page = browser.get(&path).await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.body);
    let page = browser.post_form(&path, &[("csrf_token", &page.csrf_token())]).await;
    assert_eq!(page.status, StatusCode::SEE_OTHER, "signed in: {}", page.body);
    browser
}

async fn amb_step(browser: &Browser, rid: &str, fields: &[(&str, &str)]) -> Page {
    let page = format!("/ambassador/referrals/{rid}");
    browser.submit(&page, &format!("{page}/step"), fields).await
}

/// Which of `secrets` a page shows.
fn shown<'a>(page: &Page, secrets: &[&'a str]) -> Vec<&'a str> {
    let text = html_unescape(&page.body);
    secrets.iter().copied().filter(|s| text.contains(s)).collect()
}

fn referral_state(case: &Value, rid: &str) -> Vec<String> {
    case["timeline"]
        .as_array()
        .expect("timeline")
        .iter()
        .filter(|e| e["referral"] == rid)
        .filter_map(|e| e["kind"].as_str().map(str::to_string))
        .collect()
}

// ---------------------------------------------------------------------------
// 1. Closing a referred case shuts the ambassador out.
// ---------------------------------------------------------------------------

#[tokio::test]
async fn closing_a_case_withdraws_its_referrals_and_shows_no_one_new_contact_details() {
    let app = spawn_app().await;
    let alma = app.admin("Alma Admin", "alma@kommune.dk").await;
    let astrid = register(&alma, "Astrid Holm", "astrid@lokalraad.dk", "stege").await;
    let bent = register(&alma, "Bent Winther", "bent@lokalraad.dk", "stege").await;
    let (astrid_b, bent_b) = (ambassador_browser(&app, &astrid).await, ambassador_browser(&app, &bent).await);

    let reference = consenting_mover(&app, "Anna Markersen", "anna.m@example.dk", "+45 11 22 33 44").await;
    let secrets = ["Markersen", "anna.m@example.dk", "11 22 33 44"];
    let offered = api_refer(&alma, &reference, &astrid).await;
    let taken = api_refer(&alma, &reference, &bent).await;
    let page = amb_step(&bent_b, &taken, &[("action", "accept")]).await;
    assert_eq!(page.status, StatusCode::SEE_OTHER, "{}", page.body);
    assert_eq!(shown(&bent_b.get(&format!("/ambassador/referrals/{taken}")).await, &secrets).len(), 3);

    let case = api_move(&alma, &reference, json!({ "close": "chose_elsewhere", "note": "Flyttede til Aarhus" })).await;
    assert_eq!(referral_state(&case, &offered).last().map(String::as_str), Some("referral_withdrawn"));
    assert_eq!(referral_state(&case, &taken).last().map(String::as_str), Some("referral_withdrawn"));

    // Astrid can no longer accept, and sees nothing of the mover.
    let refused = amb_step(&astrid_b, &offered, &[("action", "accept")]).await;
    assert_eq!(refused.status, StatusCode::CONFLICT, "{}", refused.body);
    assert_eq!(shown(&refused, &secrets), Vec::<&str>::new());
    let page = astrid_b.get(&format!("/ambassador/referrals/{offered}")).await;
    assert_eq!(page.status, StatusCode::OK);
    assert_eq!(shown(&page, &secrets), Vec::<&str>::new());
    // Bent, who had accepted, is shut out of a case lost to elsewhere.
    let page = bent_b.get(&format!("/ambassador/referrals/{taken}")).await;
    assert_eq!(shown(&page, &secrets), Vec::<&str>::new(), "no contact details after the case closed");
    let refused = amb_step(&bent_b, &taken, &[("action", "contacted")]).await;
    assert_eq!(refused.status, StatusCode::CONFLICT);
    let case = alma.case_json(&reference).await;
    assert_eq!(referral_state(&case, &offered), ["referral_offered", "referral_withdrawn"], "the mover is never told");

    // The consultant sees both referrals on the closed case's page.
    let page = alma.browser.get(&format!("/cases/{reference}")).await;
    assert!(page.contains("id=\"referrals\""), "the referrals section is shown on a closed case");
    assert_eq!(page.body.matches("class=\"referral-row\"").count(), 2);
}

#[tokio::test]
async fn after_a_welcomed_close_the_ambassador_who_accepted_may_finish_and_the_consultant_may_withdraw() {
    let app = spawn_app().await;
    let alma = app.admin("Alma Admin", "alma@kommune.dk").await;
    let astrid = register(&alma, "Astrid Holm", "astrid@lokalraad.dk", "stege").await;
    let bent = register(&alma, "Bent Winther", "bent@lokalraad.dk", "stege").await;
    let (astrid_b, bent_b) = (ambassador_browser(&app, &astrid).await, ambassador_browser(&app, &bent).await);

    let secrets = ["Bodilsen", "bodil@example.dk", "55 66 77 88"];
    let reference = consenting_mover(&app, "Bodil Bodilsen", "bodil@example.dk", "+45 55 66 77 88").await;
    let offered = api_refer(&alma, &reference, &astrid).await;
    let taken = api_refer(&alma, &reference, &bent).await;
    assert_eq!(amb_step(&bent_b, &taken, &[("action", "accept")]).await.status, StatusCode::SEE_OTHER);
    api_move(&alma, &reference, json!({ "to": "move_in" })).await;
    api_move(&alma, &reference, json!({ "to": "welcome_package" })).await;
    let case = api_move(&alma, &reference, json!({ "close": "welcomed" })).await;
    assert_eq!(referral_state(&case, &offered).last().map(String::as_str), Some("referral_withdrawn"));
    assert_eq!(referral_state(&case, &taken).last().map(String::as_str), Some("referral_accepted"));

    // The offer can no longer be taken: no contact details for Astrid.
    let refused = amb_step(&astrid_b, &offered, &[("action", "accept")]).await;
    assert_eq!(refused.status, StatusCode::CONFLICT);
    assert_eq!(shown(&astrid_b.get(&format!("/ambassador/referrals/{offered}")).await, &secrets), Vec::<&str>::new());

    // Bent finishes: contact, meeting, report.
    for fields in [vec![("action", "contacted")], vec![("action", "met")]] {
        let page = amb_step(&bent_b, &taken, &fields).await;
        assert_eq!(page.status, StatusCode::SEE_OTHER, "{fields:?}: {}", page.body);
    }
    let page = bent_b.get(&format!("/ambassador/referrals/{taken}")).await;
    assert_eq!(shown(&page, &secrets).len(), 3, "Bent keeps what he was given before the close");

    // A second welcomed case: the consultant withdraws Bent's referral from the closed case page.
    let second = consenting_mover(&app, "Carla Carlsen", "carla@example.dk", "+45 99 88 77 66").await;
    let rid = api_refer(&alma, &second, &bent).await;
    assert_eq!(amb_step(&bent_b, &rid, &[("action", "accept")]).await.status, StatusCode::SEE_OTHER);
    api_move(&alma, &second, json!({ "to": "move_in" })).await;
    api_move(&alma, &second, json!({ "to": "welcome_package" })).await;
    api_move(&alma, &second, json!({ "close": "welcomed" })).await;
    let case_page = alma.browser.get(&format!("/cases/{second}")).await;
    assert!(case_page.contains(&format!("action=\"/referrals/{rid}/withdraw\"")), "withdraw offered on a closed case");
    let page = alma.browser.submit(&format!("/cases/{second}"), &format!("/referrals/{rid}/withdraw"), &[]).await;
    assert_eq!(page.status, StatusCode::SEE_OTHER, "{}", page.body);
    let page = bent_b.get(&format!("/ambassador/referrals/{rid}")).await;
    assert_eq!(shown(&page, &["Carlsen", "carla@example.dk"]), Vec::<&str>::new());
    let page = amb_step(&bent_b, &taken, &[("action", "close"), ("report", "Vi gik en tur")]).await;
    assert_eq!(page.status, StatusCode::SEE_OTHER, "Bent closes his first referral with a report");
}
