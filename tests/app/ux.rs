//! Issue 12, the rest: who signs an email on a case nobody holds, the
//! mover's language beside every emailed text, the welcome checklist's
//! links and the municipality's name per language, the email preview as
//! the mover sees it, the stage after a cancelled visit, and the language
//! switch that keeps what was typed without script.

use reqwest::StatusCode;
use serde_json::{json, Value};
use velkomst::db::outbox::OutboxEmail;

use crate::helpers::{html_unescape, l10n, spawn_app, Staff, TestApp};

async fn mover(app: &TestApp, body: Value) -> String {
    let page = app.api_inquiry(&body).await;
    assert_eq!(page.status, StatusCode::CREATED, "{}", page.body);
    page.json()["reference"].as_str().expect("reference").to_string()
}

/// The emails waiting in the outbox with this template.
async fn queued(app: &TestApp, template: &'static str) -> Vec<OutboxEmail> {
    app.db
        .read(move |c| velkomst::db::outbox::list(c, "pending", 1000))
        .await
        .expect("outbox")
        .into_iter()
        .map(|(m, _)| m)
        .filter(|m| m.template == template)
        .collect()
}

async fn ok(staff: &Staff, reference: &str, action: &str, fields: &[(&str, &str)]) {
    let page = staff.on_case(reference, action, fields).await;
    assert_eq!(page.status, StatusCode::SEE_OTHER, "{action}: {}", page.body);
}

fn in_days(n: i64) -> String {
    (chrono::Utc::now().date_naive() + chrono::Duration::days(n)).format("%Y-%m-%d").to_string()
}

#[tokio::test]
async fn on_a_case_nobody_holds_the_staff_member_who_acts_signs_and_gets_the_replies() {
    let app = spawn_app().await;
    // Only an admin: intake finds no consultant, the case waits unassigned.
    let mette = app.admin("Mette Hansen", "mette@kommune.dk").await;
    let r = mover(&app, json!({ "name": "Anna", "email": "anna@example.dk" })).await;
    assert!(mette.case_json(&r).await["assignee"].is_null());

    ok(&mette, &r, "information-pack", &[("note", "Velkommen")]).await;
    ok(&mette, &r, "visit", &[("visit_date", &in_days(10)), ("visit_time", "10:00"), ("visit_place", "Rådhuset")])
        .await;
    for template in ["information_pack", "visit_invitation"] {
        let m = queued(&app, template).await;
        assert_eq!(m.len(), 1, "{template}");
        let reply_to = m[0].reply_to.clone().unwrap_or_default();
        assert!(reply_to.contains("mette@kommune.dk"), "{template}: Reply-To {reply_to:?}");
        assert!(m[0].body_text.contains("Mette Hansen\nBosætningskonsulent"), "{template}: {}", m[0].body_text);
    }
    // The worker's follow-ups sign for the municipality (nobody acted).
    assert!(mette.case_json(&r).await["assignee"].is_null(), "acting does not assign");
}

#[tokio::test]
async fn english_emails_name_the_municipality_in_english_and_the_checklist_links() {
    let app = spawn_app().await;
    let kim = app.consultant("Kim", "kim@kommune.dk").await;
    let r =
        mover(&app, json!({ "name": "John", "email": "john@example.com", "language": "en", "children": [2020] })).await;
    ok(&kim, &r, "move-in", &[("move_in_date", &in_days(20)), ("move_in_area", "stege")]).await;
    let receipt = &queued(&app, "receipt").await[0];
    let welcome = &queued(&app, "welcome").await[0];
    for m in [receipt, welcome] {
        assert!(m.body_text.contains("Vordingborg Municipality"), "{}", m.body_text);
        assert!(!m.body_text.contains("Kommune") && !m.body_html.contains("Kommune"), "{}", m.body_text);
    }
    let links = &app.settings.information.checklist;
    for url in [&links.register_move, &links.doctor, &links.daycare, &links.waste, &links.library, &links.associations]
    {
        assert!(!url.is_empty());
        assert!(welcome.body_html.contains(&format!("href=\"{}\"", url.replace('/', "&#x2F;"))), "{url}");
        assert!(welcome.body_text.contains(url.as_str()), "{url}");
    }
    // Danish emails keep the Danish name; so do Danish and English pages.
    let dansk = mover(&app, json!({ "name": "Ida", "email": "ida@example.dk" })).await;
    assert!(!dansk.is_empty());
    assert!(queued(&app, "receipt").await.iter().any(|m| m.body_text.contains("Vordingborg Kommune")));
    assert!(app.browser().get("/?lang=en").await.contains("Vordingborg Municipality"));
    assert!(app.browser().get("/").await.contains("Vordingborg Kommune"));
}

#[tokio::test]
async fn the_movers_language_stands_beside_every_text_that_is_emailed_and_the_preview_shows_their_email() {
    let app = spawn_app().await;
    let kim = app.consultant("Kim", "kim@kommune.dk").await;
    let en = mover(&app, json!({ "name": "John Smith", "email": "john@example.com", "language": "en" })).await;
    let da = mover(&app, json!({ "name": "Ida", "email": "ida@example.dk" })).await;

    let page = kim.browser.get(&format!("/cases/{en}")).await;
    let said = l10n("da", "mover-reads-en");
    let shown = html_unescape(&page.body);
    for id in ["pack-note-lang", "visit-place-lang", "visit-note-lang"] {
        assert!(page.contains(&format!("id=\"{id}\"")), "{id}");
        assert!(page.contains(&format!("aria-describedby=\"{id}\"")) || page.contains(&format!(" {id}\"")), "{id}");
    }
    assert!(shown.matches(&said).count() >= 3, "{said}");
    let danish = kim.browser.get(&format!("/cases/{da}")).await;
    assert!(html_unescape(&danish.body).contains(&l10n("da", "mover-reads-da")));

    // The consultant's own email: the language beside subject and body, and
    // a preview of the HTML email in the mover's language, escaped.
    let path = format!("/cases/{en}/email");
    let compose = kim.browser.get(&path).await;
    assert!(html_unescape(&compose.body).contains(&said));
    let body = "Two <b>new</b> houses.";
    let preview =
        kim.browser.submit(&path, &path, &[("subject", "Houses"), ("body", body), ("action", "preview")]).await;
    assert_eq!(preview.status, StatusCode::OK, "{}", preview.body);
    assert!(preview.contains("class=\"email-preview-html\" lang=\"en\""));
    let start = preview.body.find("class=\"email-preview-html\"").expect("preview");
    let html = &preview.body[start..];
    // The consultant's email has their own greeting and sign-off; the
    // frame around it is the mover's: English, their case number.
    assert!(html.contains("Vordingborg Municipality") && html.contains(&format!("Case number: {en}")), "{html}");
    assert!(html.contains("Two &lt;b&gt;new&lt;&#x2F;b&gt; houses."), "typed markup escaped");
    assert!(!html.contains("<b>") && !html.contains(" style=\""), "no markup from the consultant, no inline style");
    assert!(queued(&app, "custom").await.is_empty(), "a preview sends nothing");
}

#[tokio::test]
async fn a_cancelled_visit_asks_what_it_means_for_the_stage() {
    let app = spawn_app().await;
    let kim = app.consultant("Kim", "kim@kommune.dk").await;
    let r = mover(&app, json!({ "name": "Anna", "email": "anna@example.dk" })).await;
    let visit = [("visit_date", in_days(10)), ("visit_time", "10:00".into()), ("visit_place", "Rådhuset".into())];
    let visit: Vec<(&str, &str)> = visit.iter().map(|(k, v)| (*k, v.as_str())).collect();
    ok(&kim, &r, "visit", &visit).await;
    assert_eq!(kim.case_json(&r).await["stage"], "visit");

    let path = format!("/cases/{r}/visit/cancel");
    let confirm = kim.browser.get(&path).await;
    assert_eq!(confirm.status, StatusCode::OK);
    assert!(
        confirm.contains("name=\"after\" value=\"visit\"") && confirm.contains("name=\"after\" value=\"information\"")
    );
    assert!(!confirm.contains("checked"), "nothing chosen for the consultant");

    // Not chosen: refused at the field, named, the note kept; nothing cancelled.
    let note = "Familien er syg";
    let refused = kim.browser.submit(&path, &path, &[("stage_was", "visit"), ("note", note)]).await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(html_unescape(&refused.body).contains(&l10n("da", "cancel-visit-choose-stage")));
    assert!(refused.contains("href=\"#field-after\"") && refused.contains(note));
    assert!(queued(&app, "visit_cancelled").await.is_empty());

    // Back to information, with the note on the timeline.
    let done =
        kim.browser.submit(&path, &path, &[("stage_was", "visit"), ("after", "information"), ("note", note)]).await;
    assert_eq!(done.status, StatusCode::SEE_OTHER, "{}", done.body);
    let case = kim.case_json(&r).await;
    assert_eq!(case["stage"], "information");
    let tl = case["timeline"].as_array().expect("timeline");
    assert!(tl.iter().any(|e| e["kind"] == "visit_cancelled"));
    assert!(tl.iter().any(|e| e["kind"] == "stepped_back" && e["note"] == note), "{tl:?}");
    assert_eq!(queued(&app, "visit_cancelled").await.len(), 1);

    // Staying in visit: the stage stays.
    ok(&kim, &r, "visit", &visit).await;
    let stay = kim.browser.submit(&path, &path, &[("stage_was", "visit"), ("after", "visit")]).await;
    assert_eq!(stay.status, StatusCode::SEE_OTHER);
    assert_eq!(kim.case_json(&r).await["stage"], "visit");
}

#[tokio::test]
async fn the_language_switch_is_a_button_of_the_form_and_keeps_what_was_typed_without_script() {
    let app = spawn_app().await;
    let mover_browser = app.browser();
    let form = mover_browser.get("/").await;
    let shown = html_unescape(&form.body);
    assert!(
        shown.contains("form=\"inquiry-form\" name=\"switch_language\" value=\"en\" formaction=\"/inquiry?lang=en\"")
    );
    // The form's default button comes before the switch, so Enter sends.
    let default_at = form.body.find("class=\"default-submit\"").expect("default button");
    let switch_at = form.body.find("name=\"switch_language\"").expect("switch");
    assert!(default_at < switch_at);
    let token = form.csrf_token();
    let switched = mover_browser
        .post_form(
            "/inquiry?lang=en",
            &[
                ("csrf_token", &token),
                ("name", "Ole <Ny>"),
                ("email", "not-an-email"),
                ("message", "Vi har en hund"),
                ("areas", "stege"),
                ("switch_language", "en"),
            ],
        )
        .await;
    assert_eq!(switched.status, StatusCode::OK);
    assert!(switched.contains("<html lang=\"en\""));
    assert!(switched.contains("value=\"Ole &lt;Ny&gt;\"") && switched.contains("Vi har en hund"));
    assert!(switched.contains("value=\"stege\" class=\"form-checkbox\" checked"));
    assert!(!switched.contains("id=\"error-summary\""), "not validated");
    assert!(html_unescape(&switched.body).contains("formaction=\"/inquiry?lang=da\""), "and back again");

    // A staff form after a refused action.
    let kim = app.consultant("Kim", "kim@kommune.dk").await;
    let r = mover(&app, json!({ "name": "Anna", "email": "anna@example.dk" })).await;
    let refused = kim
        .on_case(&r, "visit", &[("visit_date", "2020-01-01"), ("visit_time", "10:00"), ("visit_place", "Torvet 1")])
        .await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    let action = format!("/cases/{r}/again?form=visit&lang=en");
    let shown = html_unescape(&refused.body);
    assert!(
        shown.contains(&format!("form=\"form-visit\" name=\"switch_language\" value=\"en\" formaction=\"{action}\""))
    );
    let token = refused.csrf_token();
    let before = kim.case_json(&r).await["timeline"].as_array().expect("timeline").len();
    let english = kim
        .browser
        .post_form(
            &format!("/cases/{r}/again?form=visit&lang=en"),
            &[
                ("csrf_token", &token),
                ("visit_date", "2020-01-01"),
                ("visit_time", "10:00"),
                ("visit_place", "Torvet 1"),
                ("switch_language", "en"),
            ],
        )
        .await;
    assert_eq!(english.status, StatusCode::OK, "{}", english.body);
    assert!(english.contains("<html lang=\"en\""));
    assert!(english.contains("value=\"Torvet 1\"") && english.contains("value=\"2020-01-01\""));
    let shown = html_unescape(&english.body);
    assert!(shown.contains(&format!("formaction=\"/cases/{r}/again?form=visit&lang=da\"")), "switch back");
    assert_eq!(kim.case_json(&r).await["timeline"].as_array().expect("timeline").len(), before, "nothing stored");
    assert_eq!(kim.case_json(&r).await["stage"], "information");
    // Reloaded as a GET (or bookmarked): the case page.
    let reloaded = kim.browser.get(&format!("/cases/{r}/again")).await;
    assert_eq!(reloaded.status, StatusCode::SEE_OTHER);
    assert_eq!(reloaded.location(), format!("/cases/{r}"));

    // The note of a refused move stays in its own form only.
    let moved = kim.on_case(&r, "transition", &[("action", "move:welcome_package"), ("note", "Min note")]).await;
    assert_eq!(moved.status, StatusCode::CONFLICT);
    assert_eq!(moved.body.matches("Min note").count(), 1, "only in the move form");
    assert!(moved.contains("form=\"form-transition\""));

    // The compose page keeps subject and body across the switch.
    let path = format!("/cases/{r}/email");
    let compose = kim.browser.get(&path).await;
    assert!(compose.contains("form=\"compose-form\""));
    let token = compose.csrf_token();
    let kept = kim
        .browser
        .post_form(
            &format!("{path}?lang=en"),
            &[("csrf_token", &token), ("subject", "Emne"), ("body", "Hej Anna"), ("switch_language", "en")],
        )
        .await;
    assert_eq!(kept.status, StatusCode::OK);
    assert!(kept.contains("<html lang=\"en\"") && kept.contains("value=\"Emne\"") && kept.contains("Hej Anna"));
    assert!(queued(&app, "custom").await.is_empty());
}

#[tokio::test]
async fn the_case_page_previews_each_email_as_the_mover_will_get_it_and_keeps_nothing() {
    let app = spawn_app().await;
    let kim = app.consultant("Kim", "kim@kommune.dk").await;
    let body = json!({ "name": "John Smith", "email": "john@example.com", "language": "en", "areas": ["stege"] });
    let r = mover(&app, body).await;
    let timeline = |case: &Value| case["timeline"].as_array().expect("timeline").len();
    let before = timeline(&kim.case_json(&r).await);

    // The information pack with the consultant's note, in English, escaped.
    let page = kim.on_case(&r, "information-pack", &[("note", "See you <soon>"), ("preview", "1")]).await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.body);
    let start = page.body.find("class=\"email-preview-html\" lang=\"en\"").expect("the preview, in English");
    let email = &page.body[start..];
    assert!(email.contains("Dear John Smith,") && email.contains("See you &lt;soon&gt;"), "{email}");
    assert!(email.contains("Vordingborg Municipality"));
    assert!(html_unescape(&page.body).contains("Information about moving to Vordingborg Municipality"));
    assert!(page.contains(">See you &lt;soon&gt;</textarea>"), "the note is kept for sending");
    // The visit invitation: the stage does not move, nothing is queued.
    let fields = [("visit_date", in_days(9)), ("visit_time", "14:30".into()), ("visit_place", "Stege Kirke".into())];
    let mut visit: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (*k, v.as_str())).collect();
    visit.push(("preview", "1"));
    let page = kim.on_case(&r, "visit", &visit).await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.body);
    assert!(page.contains("Invitation to a visit on") && page.contains("Stege Kirke"));
    // The welcome email on move-in.
    let page = kim
        .on_case(&r, "move-in", &[("move_in_date", &in_days(30)), ("move_in_area", "stege"), ("preview", "1")])
        .await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.body);
    assert!(page.contains("Welcome to Vordingborg Municipality and to Stege"));
    // A preview checks the input as sending does: the area is required.
    let refused = kim.on_case(&r, "move-in", &[("move_in_date", &in_days(30)), ("preview", "1")]).await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);

    let case = kim.case_json(&r).await;
    assert_eq!(case["stage"], "information", "no preview moved the case");
    assert!(case["first_contact_at"].is_null() || case.get("first_contact_at").is_none());
    assert_eq!(timeline(&case), before, "no preview left a trace");
    for t in ["information_pack", "visit_invitation", "welcome"] {
        assert!(queued(&app, t).await.is_empty(), "{t} queued by a preview");
    }
}
