//! The consultants' queue, on the page and in the API: open cases longest
//! waiting first, counts per stage, filters, search, overdue cases and
//! keyset pagination.

use chrono::Datelike;
use reqwest::StatusCode;
use serde_json::{json, Value};

use crate::helpers::{html_unescape, l10n, spawn_app, spawn_app_with, Page, Staff, TestApp};

/// A prospective mover: name, email, areas, how many children.
struct Mover(&'static str, &'static str, &'static [&'static str], usize);

/// The first two arrive before any consultant exists, so nobody gets them.
const MOVERS: [Mover; 10] = [
    Mover("Ulla Ubemandet", "ulla@post.dk", &["stege"], 0),
    Mover("Uffe Ubemandet", "uffe@post.dk", &["praestoe"], 1),
    Mover("Anna Andersen", "anna.a@mail.dk", &["stege", "nyord"], 2),
    Mover("Bent Berg", "bent@firma.dk", &["praestoe"], 0),
    Mover("Cecilie Carlsen", "cille@mail.dk", &["stege"], 0),
    Mover("Dorte Dam", "dorte@firma.dk", &["bogoe"], 1),
    Mover("Erik Egholm", "erik@mail.dk", &[], 0),
    Mover("Frida Friis", "frida@firma.dk", &["stege"], 3),
    Mover("Gorm Grøn", "gorm@mail.dk", &["kalvehave"], 0),
    Mover("Hanne Hald", "hanne@firma.dk", &["praestoe"], 0),
];

/// Open cases, longest waiting first: the untouched ones in the order they
/// came, then the ones moved on (Bent, Dorte, Frida), in the order moved.
const OPEN_ORDER: [usize; 8] = [0, 1, 2, 4, 6, 3, 5, 7];

struct World {
    /// Keeps the app and its database alive for the test.
    _app: TestApp,
    kim: Staff,
    lis: Staff,
    refs: Vec<String>,
}

impl World {
    fn refs(&self, movers: &[usize]) -> Vec<String> {
        movers.iter().map(|i| self.refs[*i].clone()).collect()
    }
}

async fn arrives(app: &TestApp, mover: &Mover) -> String {
    let year = chrono::Utc::now().year();
    let children: Vec<i32> = (0..mover.3).map(|i| year - 2 - i32::try_from(i).unwrap_or(0)).collect();
    let page =
        app.api_inquiry(&json!({ "name": mover.0, "email": mover.1, "areas": mover.2, "children": children })).await;
    assert_eq!(page.status, StatusCode::CREATED, "{}", page.body);
    page.json()["reference"].as_str().expect("reference").to_string()
}

async fn transition(staff: &Staff, reference: &str, body: Value) {
    let page = staff.api.post_json(&format!("/api/v1/cases/{reference}/transitions"), &body).await;
    assert_eq!(page.status, StatusCode::OK, "{body}: {}", page.body);
}

/// Ten movers write in; Kim moves some of their cases on and closes two.
async fn world() -> World {
    let app = spawn_app().await;
    let mut refs = Vec::new();
    for mover in &MOVERS[..2] {
        refs.push(arrives(&app, mover).await);
    }
    let kim = app.consultant("Kim", "kim@kommune.dk").await;
    let lis = app.consultant("Lis", "lis@kommune.dk").await;
    for mover in &MOVERS[2..] {
        refs.push(arrives(&app, mover).await);
    }
    transition(&kim, &refs[3], json!({ "to": "visit" })).await;
    transition(&kim, &refs[5], json!({ "to": "move_in" })).await;
    for to in ["visit", "move_in", "welcome_package"] {
        transition(&kim, &refs[7], json!({ "to": to })).await;
    }
    transition(&kim, &refs[8], json!({ "close": "chose_elsewhere", "note": "Købte hus i Køge" })).await;
    transition(&kim, &refs[9], json!({ "close": "spam" })).await;
    World { _app: app, kim, lis, refs }
}

async fn api_page(staff: &Staff, query: &str) -> Value {
    let page = staff.api.get(&format!("/api/v1/cases{query}")).await;
    assert_eq!(page.status, StatusCode::OK, "{query}: {}", page.body);
    page.json()
}

async fn api_refs(staff: &Staff, query: &str) -> Vec<String> {
    api_page(staff, query).await["cases"]
        .as_array()
        .expect("cases")
        .iter()
        .map(|c| c["reference"].as_str().expect("reference").to_string())
        .collect()
}

/// The references (of `all`) listed on a queue page, top to bottom.
fn refs_on_page(page: &Page, all: &[String]) -> Vec<String> {
    let mut found: Vec<(usize, String)> =
        all.iter().filter_map(|r| page.body.find(&format!("href=\"/cases/{r}\"")).map(|at| (at, r.clone()))).collect();
    found.sort();
    found.into_iter().map(|(_, r)| r).collect()
}

/// The filters on the page and in the API give the same cases in the same order.
async fn assert_queue(w: &World, staff: &Staff, query: &str, expected: &[String]) {
    assert_eq!(api_refs(staff, &format!("?{query}")).await, expected, "API ?{query}");
    let page = staff.browser.get(&format!("/cases?{query}")).await;
    assert_eq!(page.status, StatusCode::OK, "page ?{query}");
    assert_eq!(refs_on_page(&page, &w.refs), expected, "page ?{query}");
}

/// The number shown beside a stage in the counts at the top of the queue.
fn count_on_page(page: &Page, stage: &str) -> i64 {
    let link = format!("href=\"/cases?stage={stage}\"");
    let at = page.body.find(&link).unwrap_or_else(|| panic!("a count for {stage}"));
    let rest = &page.body[at..];
    let start = rest.find("<strong>").expect("the count") + "<strong>".len();
    let end = rest[start..].find("</strong>").expect("the count ends") + start;
    rest[start..end].trim().parse().expect("a number")
}

/// The href of the page's "next page" link, if any.
fn next_link(page: &Page) -> Option<String> {
    let end = page.body.find("\" rel=\"next\"")?;
    let start = page.body[..end].rfind("href=\"")? + "href=\"".len();
    Some(html_unescape(&page.body[start..end]))
}

#[tokio::test]
async fn the_queue_shows_open_cases_longest_waiting_first_with_counts_per_stage() {
    let w = world().await;
    let open = w.refs(&OPEN_ORDER);
    assert_queue(&w, &w.kim, "", &open).await;

    let page = w.kim.queue("").await;
    for closed in w.refs(&[8, 9]) {
        assert!(!page.contains(&closed), "closed cases are not in the default queue");
    }
    for (stage, n) in [("information", 5), ("visit", 1), ("move_in", 1), ("welcome_package", 1)] {
        assert_eq!(count_on_page(&page, stage), n, "count for {stage}");
    }
    assert!(
        html_unescape(&page.body).contains(&format!("{}: <strong>8</strong>", l10n("da", "queue-all-open"))),
        "the total of open cases"
    );
    assert!(page.contains("Frida Friis <span class=\"badge badge-info\">"), "children are marked");

    // Each stage alone; closed cases with their outcome.
    assert_queue(&w, &w.kim, "stage=information", &w.refs(&[0, 1, 2, 4, 6])).await;
    assert_queue(&w, &w.kim, "stage=visit", &w.refs(&[3])).await;
    assert_queue(&w, &w.kim, "stage=welcome_package", &w.refs(&[7])).await;
    assert_queue(&w, &w.kim, "stage=open", &open).await;
    assert_queue(&w, &w.kim, "stage=closed", &w.refs(&[8, 9])).await;
    let closed = api_page(&w.kim, "?stage=closed").await;
    let outcomes: Vec<(&str, &str)> = closed["cases"]
        .as_array()
        .expect("cases")
        .iter()
        .map(|c| (c["stage"].as_str().expect("stage"), c["outcome"].as_str().expect("an outcome")))
        .collect();
    assert_eq!(outcomes, [("closed", "chose_elsewhere"), ("closed", "spam")]);
    let page = w.kim.queue("?stage=closed").await;
    assert!(
        page.contains(&l10n("da", "outcome-chose_elsewhere")) && page.contains(&l10n("da", "outcome-spam")),
        "outcomes shown"
    );

    // The API entries carry the contract's fields.
    let listed = api_page(&w.kim, "").await;
    let first = &listed["cases"][0];
    for field in ["reference", "stage", "outcome", "assignee", "areas", "created_at", "updated_at"] {
        assert!(first.get(field).is_some(), "{field} in {first}");
    }
    assert_eq!(first["areas"], json!(["stege"]));
    assert!(first["outcome"].is_null() && first["assignee"].is_null());
    assert!(listed["next"].is_null());

    // With the normal response-time goal nothing fresh is overdue.
    assert_queue(&w, &w.kim, "overdue=1", &[]).await;
}

#[tokio::test]
async fn queue_filters_by_assignee_area_and_search() {
    let w = world().await;
    let open = w.refs(&OPEN_ORDER);
    let listed = api_page(&w.kim, "").await;
    let assigned_to = |id: &str| -> Vec<String> {
        listed["cases"]
            .as_array()
            .expect("cases")
            .iter()
            .filter(|c| c["assignee"] == id)
            .map(|c| c["reference"].as_str().expect("reference").to_string())
            .collect()
    };
    let (kims, lis) = (assigned_to(&w.kim.id), assigned_to(&w.lis.id));
    assert!(!kims.is_empty() && !lis.is_empty(), "new cases are shared between Kim and Lis");
    assert_eq!(kims.len() + lis.len() + 2, open.len());

    assert_queue(&w, &w.kim, "assignee=unassigned", &w.refs(&[0, 1])).await;
    assert_queue(&w, &w.kim, "assignee=me", &kims).await;
    assert_queue(&w, &w.lis, "assignee=me", &lis).await;
    assert_queue(&w, &w.kim, &format!("assignee={}", w.lis.id), &lis).await;
    assert_queue(&w, &w.kim, "assignee=all", &open).await;
    assert_queue(&w, &w.kim, "assignee=0190a0a0-0000-7000-8000-000000000000", &[]).await;

    assert_queue(&w, &w.kim, "area=stege", &w.refs(&[0, 2, 4, 7])).await;
    assert_queue(&w, &w.kim, "area=nyord", &w.refs(&[2])).await;
    assert_queue(&w, &w.kim, "area=praestoe&assignee=unassigned", &w.refs(&[1])).await;
    assert_queue(&w, &w.kim, "area=kalvehave", &[]).await;
    assert_queue(&w, &w.kim, "area=kalvehave&stage=closed", &w.refs(&[8])).await;

    // Search: part of a name (any case), part of an email, a whole reference.
    assert_queue(&w, &w.kim, "q=carls", &w.refs(&[4])).await;
    assert_queue(&w, &w.kim, "q=CARLSEN", &w.refs(&[4])).await;
    assert_queue(&w, &w.kim, "q=ubemandet", &w.refs(&[0, 1])).await;
    assert_queue(&w, &w.kim, "q=%20Ubemandet%20&area=praestoe", &w.refs(&[1])).await;
    assert_queue(&w, &w.kim, "q=firma.dk", &w.refs(&[3, 5, 7])).await;
    assert_queue(&w, &w.kim, "q=anna.a%40mail", &w.refs(&[2])).await;
    // A whole email is an exact, case-blind lookup; part of one is a search.
    assert_queue(&w, &w.kim, "q=Anna.A%40Mail.DK", &w.refs(&[2])).await;
    assert_queue(&w, &w.kim, "q=%20anna.a%40mail.dk%20", &w.refs(&[2])).await;
    assert_queue(&w, &w.kim, "q=nna.a%40mail.dk", &[]).await;
    assert_queue(&w, &w.kim, "q=GR%C3%98N&stage=closed", &w.refs(&[8])).await;
    assert_queue(&w, &w.kim, &format!("q={}", w.refs[6].to_lowercase()), &w.refs(&[6])).await;
    assert_queue(&w, &w.kim, &format!("q={}", w.refs[6]), &w.refs(&[6])).await;
    assert_queue(&w, &w.kim, &format!("q={}&stage=closed", w.refs[9]), &w.refs(&[9])).await;
    assert_queue(&w, &w.kim, "q=nobody-by-that-name", &[]).await;

    // The page keeps the chosen filters in the form.
    let page = w.kim.queue("?q=carls&area=stege&assignee=me&stage=information").await;
    assert!(page.contains("name=\"q\" type=\"search\" value=\"carls\""), "search kept");
    assert!(page.contains("<option value=\"stege\" selected>"), "area kept");
    assert!(page.contains("<option value=\"me\" selected>"), "assignee kept");
    assert!(page.contains("<option value=\"information\" selected>"), "stage kept");
}

#[tokio::test]
async fn keyset_pagination_visits_every_open_case_once_in_order() {
    let w = world().await;
    let open = w.refs(&OPEN_ORDER);

    // The API: follow `next` until it is null.
    let mut seen = Vec::new();
    let mut sizes = Vec::new();
    let mut query = "?limit=3".to_string();
    loop {
        let page = api_page(&w.kim, &query).await;
        let refs: Vec<String> = page["cases"]
            .as_array()
            .expect("cases")
            .iter()
            .map(|c| c["reference"].as_str().expect("reference").to_string())
            .collect();
        sizes.push(refs.len());
        seen.extend(refs);
        match page["next"].as_str() {
            Some(cursor) => query = format!("?limit=3&after={cursor}"),
            None => break,
        }
        assert!(sizes.len() < 10, "pagination ends");
    }
    assert_eq!(sizes, [3, 3, 2]);
    assert_eq!(seen, open, "every open case once, longest waiting first");

    // Filters apply on every page; exactly a full last page has no `next`.
    let first = api_page(&w.kim, "?area=stege&limit=2").await;
    let cursor = first["next"].as_str().expect("a second page").to_string();
    let second = api_page(&w.kim, &format!("?area=stege&limit=2&after={cursor}")).await;
    assert!(second["next"].is_null(), "4 cases in pages of 2: no third page");
    let refs: Vec<&str> = [&first, &second]
        .iter()
        .flat_map(|p| p["cases"].as_array().expect("cases").iter().map(|c| c["reference"].as_str().expect("ref")))
        .collect();
    assert_eq!(refs, w.refs(&[0, 2, 4, 7]));

    // The page: the "next page" link works and keeps the filters.
    let mut page = w.kim.queue("?limit=3").await;
    let mut shown = refs_on_page(&page, &w.refs);
    while let Some(next) = next_link(&page) {
        assert!(next.starts_with("/cases?") && next.contains("limit=3"), "{next}");
        page = w.kim.browser.get(&next).await;
        assert_eq!(page.status, StatusCode::OK, "{next}");
        assert!(page.contains(&format!(">{}</a>", l10n("da", "queue-first-page"))), "a way back to the first page");
        shown.extend(refs_on_page(&page, &w.refs));
        assert!(shown.len() <= open.len(), "the page links end");
    }
    assert_eq!(shown, open);

    let page = w.kim.queue("?area=stege&limit=3&lang=en").await;
    assert_eq!(refs_on_page(&page, &w.refs), w.refs(&[0, 2, 4]));
    let next = next_link(&page).expect("a next page");
    assert!(next.contains("area=stege") && next.contains("limit=3") && next.contains("after="), "{next}");
    let page = w.kim.browser.get(&next).await;
    assert_eq!(page.status, StatusCode::OK);
    assert_eq!(refs_on_page(&page, &w.refs), w.refs(&[7]), "the second page keeps the area filter");
    assert!(next_link(&page).is_none(), "the last page has no next link");
}

/// The overdue filter lists `expected`, on the page and in the API.
async fn assert_overdue(kim: &Staff, refs: &[String], expected: &[String]) {
    let listed = api_page(kim, "?overdue=1").await;
    let found: Vec<String> = listed["cases"]
        .as_array()
        .expect("cases")
        .iter()
        .map(|c| {
            assert_eq!(c["awaiting_first_contact"], true, "{c}");
            c["reference"].as_str().expect("reference").to_string()
        })
        .collect();
    assert_eq!(found, expected, "API overdue=1");
    let page = kim.queue("?overdue=1").await;
    assert_eq!(page.status, StatusCode::OK);
    assert_eq!(refs_on_page(&page, refs), expected, "page overdue=1");
    assert!(page.contains("name=\"overdue\" value=\"1\" class=\"form-checkbox\" checked"), "the box stays ticked");
    assert_eq!(page.body.matches("badge badge-error").count(), expected.len(), "each marked overdue");
}

#[tokio::test]
async fn overdue_lists_cases_awaiting_first_contact_past_the_goal() {
    let app = spawn_app_with(|s| s.queue.first_contact_goal_working_days = 0).await;
    let kim = app.consultant("Kim", "kim@kommune.dk").await;
    let mut refs = Vec::new();
    for mover in &MOVERS[2..5] {
        refs.push(arrives(&app, mover).await);
    }
    // Moving a case on is contact with the mover.
    transition(&kim, &refs[2], json!({ "to": "visit" })).await;

    assert_overdue(&kim, &refs, &[refs[0].clone(), refs[1].clone()]).await;

    let contact = kim.on_case(&refs[0], "contact", &[("note", "Ringede og aftalte besøg")]).await;
    assert_eq!(contact.status, StatusCode::SEE_OTHER, "{}", contact.body);
    let case = kim.case_json(&refs[0]).await;
    assert!(case["first_contact_at"].as_str().is_some_and(|t| t.ends_with('Z')));
    assert_eq!(case["stage"], "information", "contact does not move the case");
    assert_overdue(&kim, &refs, &refs[1..2]).await;

    let all = kim.queue("").await;
    assert_eq!(all.body.matches("badge badge-error").count(), 1, "only the case not yet contacted is overdue");
    assert_eq!(api_refs(&kim, "?overdue=0").await.len(), 3, "overdue=0 is no filter");
}

#[tokio::test]
async fn bad_filter_values_are_named_by_the_api_and_noticed_on_the_page() {
    let app = spawn_app().await;
    let kim = app.consultant("Kim", "kim@kommune.dk").await;
    let refs = vec![arrives(&app, &MOVERS[2]).await, arrives(&app, &MOVERS[3]).await];
    let long_q = format!("q={}", "a".repeat(201));
    let cases = [
        ("stage=nope", "stage"),
        ("stage=Visit", "stage"),
        ("assignee=bob", "assignee"),
        ("area=atlantis", "area"),
        ("campaign=Sommer%202026", "campaign"),
        ("overdue=yes", "overdue"),
        ("limit=0", "limit"),
        ("limit=201", "limit"),
        ("limit=three", "limit"),
        ("after=garbage", "after"),
        ("after=%27%3B%20DROP%20TABLE%20cases%3B%20--", "after"),
        (long_q.as_str(), "q"),
    ];
    for (query, param) in cases {
        let api = kim.api.get(&format!("/api/v1/cases?{query}")).await;
        assert_eq!(api.status, StatusCode::BAD_REQUEST, "API ?{query}");
        let message = api.json()["error"].as_str().expect("an error message").to_string();
        assert!(message.contains(param), "API ?{query}: {message:?} names {param}");

        let page = kim.queue(&format!("?{query}")).await;
        assert_eq!(page.status, StatusCode::BAD_REQUEST, "page ?{query}");
        let notice = l10n("da", &format!("queue-bad-{param}"));
        assert!(html_unescape(&page.body).contains(&notice), "page ?{query}: notice {notice:?}");
        assert_eq!(refs_on_page(&page, &refs), refs, "page ?{query}: the open cases are shown");
    }
    // A cursor from a real page of another query is still a cursor.
    let first = api_page(&kim, "?limit=1").await;
    let cursor = first["next"].as_str().expect("a second page");
    assert_eq!(api_refs(&kim, &format!("?limit=1&after={cursor}")).await, refs[1..]);
}

// Fixed (was a bug): src/web/staff/queue.rs `page` builds the "next page" link from the
// request's own parameters even when one of them was refused and the page
// fell back to the unfiltered queue; the link carries the bad filter again,
// so following it refuses the filter (and the cursor) once more and shows
// the first page again: the pages after the first can never be reached. The
// link should page through what is shown (built without the refused filters).
#[tokio::test]
async fn a_page_with_a_refused_filter_still_pages_through_what_it_shows() {
    let app = spawn_app_with(|s| s.queue.page_size = 1).await;
    let kim = app.consultant("Kim", "kim@kommune.dk").await;
    let refs = vec![arrives(&app, &MOVERS[2]).await, arrives(&app, &MOVERS[3]).await];
    let page = kim.queue("?stage=nope").await;
    assert_eq!(page.status, StatusCode::BAD_REQUEST);
    assert_eq!(refs_on_page(&page, &refs), refs[..1], "the unfiltered queue, one case a page");
    let next = next_link(&page).expect("a next page");
    let page = kim.browser.get(&next).await;
    assert_eq!(refs_on_page(&page, &refs), refs[1..], "{next} shows the second case");
}

// Fixed (was a bug): templates/staff/queue.html links "first page" to a bare `/cases`, so
// from page two of a filtered queue it drops every filter (here the area).
// It should keep the filters and drop only `after`.
#[tokio::test]
async fn the_first_page_link_keeps_the_filters() {
    let app = spawn_app().await;
    let kim = app.consultant("Kim", "kim@kommune.dk").await;
    let stege = vec![arrives(&app, &MOVERS[0]).await, arrives(&app, &MOVERS[2]).await];
    let elsewhere = arrives(&app, &MOVERS[1]).await;
    let page = kim.queue("?area=stege&limit=1").await;
    let second = kim.browser.get(&next_link(&page).expect("a second page")).await;
    assert_eq!(refs_on_page(&second, &stege), stege[1..]);
    let end = second.body.find(">Første side</a>").expect("a first-page link");
    let start = second.body[..end].rfind("href=\"").expect("its href") + "href=\"".len();
    let first = html_unescape(&second.body[start..end - 1]);
    assert!(first.contains("area=stege") && !first.contains("after="), "first page link: {first}");
    let again = kim.browser.get(&first).await;
    assert_eq!(refs_on_page(&again, &stege), stege[..1]);
    assert!(!again.contains(&elsewhere), "still only Stege");
}

// Fixed (was a bug): unknown parameters (`?campaign=x` before there was such
// a filter, `?foo=bar`, a typo such as `?stgae=visit`) were silently ignored,
// so a mistyped filter looked like a real, unfiltered result.
#[tokio::test]
async fn the_queue_filters_by_campaign_and_names_parameters_it_does_not_know() {
    let app = spawn_app().await;
    let kim = app.consultant("Kim", "kim@kommune.dk").await;
    let summer = app.mover_submits(&[("name", "Ane"), ("email", "ane@example.dk"), ("campaign", "sommer-2026")]).await;
    let winter = app.mover_submits(&[("name", "Bo"), ("email", "bo@example.dk"), ("campaign", "vinter")]).await;
    let none = app.mover_submits(&[("name", "Cai"), ("email", "cai@example.dk")]).await;
    let all = vec![summer.clone(), winter.clone(), none];

    assert_eq!(api_refs(&kim, "?campaign=sommer-2026").await, std::slice::from_ref(&summer));
    assert_eq!(api_refs(&kim, "?campaign=vinter&assignee=me").await, [winter]);
    assert!(api_refs(&kim, "?campaign=efteraar").await.is_empty(), "a campaign with no cases");
    let page = kim.queue("?campaign=sommer-2026").await;
    assert_eq!(page.status, StatusCode::OK);
    assert_eq!(refs_on_page(&page, &all), [summer]);
    assert!(page.contains("name=\"campaign\" type=\"text\" value=\"sommer-2026\""), "the filter form keeps it");

    // The documented parameters still work together.
    let documented = "?stage=information&assignee=me&area=stege&q=ane&overdue=0&limit=10&campaign=sommer-2026";
    assert_eq!(kim.api.get(&format!("/api/v1/cases{documented}")).await.status, StatusCode::OK);
    assert_eq!(kim.queue(&format!("{documented}&lang=da")).await.status, StatusCode::OK);

    for (query, name) in [("foo=bar", "foo"), ("stgae=visit", "stgae"), ("campaign=vinter&Stage=visit", "Stage")] {
        let api = kim.api.get(&format!("/api/v1/cases?{query}")).await;
        assert_eq!(api.status, StatusCode::BAD_REQUEST, "API ?{query}");
        let message = api.json()["error"].as_str().expect("an error message").to_string();
        assert!(message.starts_with(name), "API ?{query}: {message:?} names {name}");

        let page = kim.queue(&format!("?{query}")).await;
        assert_eq!(page.status, StatusCode::BAD_REQUEST, "page ?{query}");
        let shown = html_unescape(&page.body);
        let notice = format!("{} {name}", l10n("da", "queue-bad-unknown"));
        assert!(shown.contains(&notice), "page ?{query}: {notice:?}");
        assert_eq!(refs_on_page(&page, &all).len(), 3, "page ?{query}: every open case is shown");
    }
}
