//! The half-year report (issue 9): fixed cases with known stage dates give
//! known figures over the page, the CSV and the API; erasure leaves them
//! unchanged; a reporter sees aggregates with small groups masked and no
//! person anywhere; CSV cells cannot become formulas; targets are judged on
//! a controllable clock; and the whole story of a campaign.

use chrono::NaiveDateTime;
use diesel::prelude::*;
use reqwest::StatusCode;
use serde_json::{json, Value};

use crate::helpers::{spawn_app, spawn_app_with, Staff, TestApp, PASSWORD};
use velkomst::db::schema::cases;

fn at(s: &str) -> NaiveDateTime {
    NaiveDateTime::parse_from_str(s, "%Y-%m-%d %H:%M").expect("time")
}

/// Sets when a case was received (the cohort's date) and, optionally, when
/// it moved in: the known dates of the fixed cases.
async fn dated(app: &TestApp, reference: &str, received: &str, moved_in: Option<&str>) {
    let (r, t, m) = (reference.to_string(), at(received), moved_in.map(at));
    app.db
        .write(move |conn| {
            let target = cases::table.filter(cases::reference.eq(&r));
            diesel::update(target).set(cases::created_at.eq(t)).execute(conn)?;
            if let Some(m) = m {
                diesel::update(cases::table.filter(cases::reference.eq(&r)))
                    .set(cases::move_in_at.eq(Some(m)))
                    .execute(conn)?;
            }
            Ok(())
        })
        .await
        .expect("dates set");
}

async fn to(staff: &Staff, reference: &str, body: Value) {
    let page = staff.api.post_json(&format!("/api/v1/cases/{reference}/transitions"), &body).await;
    assert_eq!(page.status, StatusCode::OK, "{body}: {}", page.body);
}

/// The fixed cases (the same as `domain::report`'s unit test), received in
/// the first half of 2026. Returns their references and the movers' emails.
async fn fixed_cases(app: &TestApp, kim: &Staff) -> Vec<String> {
    let mut refs = Vec::new();
    // 1: a family from the summer campaign, in Stege and Bogø: welcomed.
    let r = app
        .mover_submits(&[
            ("name", "Åse Fixed1"),
            ("email", "fixed1@example.dk"),
            ("adults", "2"),
            ("children", "2020"),
            ("areas", "stege"),
            ("areas", "bogoe"),
            ("campaign", "sommer"),
        ])
        .await;
    for stage in ["visit", "move_in", "welcome_package"] {
        to(kim, &r, json!({ "to": stage })).await;
    }
    to(kim, &r, json!({ "close": "welcomed" })).await;
    dated(app, &r, "2026-01-05 09:00", None).await;
    refs.push(r);
    // 2: a couple, summer campaign, Stege: skipped the visit, in move-in.
    let r = app
        .mover_submits(&[
            ("name", "Bo Fixed2"),
            ("email", "fixed2@example.dk"),
            ("adults", "2"),
            ("areas", "stege"),
            ("campaign", "sommer"),
        ])
        .await;
    to(kim, &r, json!({ "to": "move_in" })).await;
    dated(app, &r, "2026-01-20 12:00", None).await;
    refs.push(r);
    // 3: single, Præstø: a visit, then chose elsewhere for a job.
    let r = app.mover_submits(&[("name", "Cai Fixed3"), ("email", "fixed3@example.dk"), ("areas", "praestoe")]).await;
    to(kim, &r, json!({ "to": "visit" })).await;
    to(kim, &r, json!({ "close": "chose_elsewhere", "reason": "job", "note": "fik job i Aarhus" })).await;
    dated(app, &r, "2026-02-02 08:00", None).await;
    refs.push(r);
    // 4: no area, no campaign: no response (23:30 local on 31 March).
    let r = app.mover_submits(&[("name", "Dan Fixed4"), ("email", "fixed4@example.dk")]).await;
    to(kim, &r, json!({ "close": "no_response" })).await;
    dated(app, &r, "2026-03-31 21:30", None).await;
    refs.push(r);
    // 5, 6: spam and a duplicate, in no count.
    for (i, outcome) in [(5, "spam"), (6, "duplicate")] {
        let email = format!("fixed{i}@example.dk");
        let r = app.mover_submits(&[("name", "Eve Spam"), ("email", &email), ("areas", "stege")]).await;
        to(kim, &r, json!({ "close": outcome })).await;
        dated(app, &r, "2026-04-01 08:00", None).await;
    }
    // 7–10: families from a flyer, Stege, still in information.
    for (i, day) in ["2026-05-04 09:00", "2026-05-05 09:00", "2026-06-01 09:00", "2026-06-30 20:00"].iter().enumerate()
    {
        let email = format!("flyer{i}@example.dk");
        let r = app
            .mover_submits(&[
                ("name", "Flyer Family"),
                ("email", &email),
                ("children", "2021"),
                ("areas", "stege"),
                ("campaign", "flyer"),
            ])
            .await;
        dated(app, &r, day, None).await;
        refs.push(r);
    }
    refs
}

fn row<'a>(report: &'a Value, key: &str) -> &'a Value {
    report["rows"]
        .as_array()
        .expect("rows")
        .iter()
        .find(|r| r["key"] == key)
        .unwrap_or_else(|| panic!("{key}: {report}"))
}

fn counts(v: &Value) -> [i64; 7] {
    ["received", "reached_visit", "reached_move_in", "reached_welcome_package", "welcomed", "lost", "open"]
        .map(|k| v[k].as_i64().unwrap_or(-1))
}

const H1: &str = "from=2026-01-01&to=2026-07-01";

async fn funnel(api: &crate::helpers::ApiClient, by: &str) -> Value {
    let page = api.get(&format!("/api/v1/reports/funnel?{H1}&by={by}")).await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.body);
    page.json()
}

/// The CSV's line for `label` (cells as written).
fn csv_line(csv: &str, label: &str) -> Vec<String> {
    csv.lines()
        .find(|l| l.split(';').next() == Some(label))
        .unwrap_or_else(|| panic!("{label} in {csv}"))
        .split(';')
        .map(str::to_string)
        .collect()
}

#[tokio::test]
async fn fixed_cases_give_known_figures_on_the_api_the_page_and_the_csv() {
    let app = spawn_app().await;
    let kim = app.consultant("Kim", "kim@example.dk").await;
    fixed_cases(&app, &kim).await;

    let by_area = funnel(&kim.api, "area").await;
    assert_eq!(by_area["from"], "2026-01-01");
    assert_eq!(by_area["by"], "area");
    assert_eq!(counts(&by_area["totals"]), [8, 2, 2, 1, 1, 2, 5], "spam and duplicate left out");
    assert_eq!(counts(row(&by_area, "stege")), [6, 1, 2, 1, 1, 0, 5]);
    assert_eq!(counts(row(&by_area, "bogoe")), [1, 1, 1, 1, 1, 0, 0]);
    assert_eq!(counts(row(&by_area, "praestoe")), [1, 1, 0, 0, 0, 1, 0]);
    assert_eq!(counts(row(&by_area, "none")), [1, 0, 0, 0, 0, 1, 0]);
    assert!(row(&by_area, "stege").get("suppressed").is_none(), "staff figures are exact");

    let by_campaign = funnel(&kim.api, "campaign").await;
    assert_eq!(counts(row(&by_campaign, "sommer")), [2, 1, 2, 1, 1, 0, 1]);
    assert_eq!(counts(row(&by_campaign, "flyer")), [4, 0, 0, 0, 0, 0, 4]);
    assert_eq!(counts(row(&by_campaign, "none")), [2, 1, 0, 0, 0, 2, 0]);
    let by_household = funnel(&kim.api, "household").await;
    assert_eq!(row(&by_household, "family_with_children")["received"], 5);
    assert_eq!(row(&by_household, "couple")["received"], 1);
    assert_eq!(row(&by_household, "single")["received"], 2);
    let by_month = funnel(&kim.api, "month").await;
    let months: Vec<(String, i64)> = by_month["rows"]
        .as_array()
        .expect("rows")
        .iter()
        .map(|r| (r["key"].as_str().unwrap_or("").to_string(), r["received"].as_i64().unwrap_or(0)))
        .collect();
    let expected: Vec<(String, i64)> = [("2026-01", 2), ("2026-02", 1), ("2026-03", 1), ("2026-05", 2), ("2026-06", 2)]
        .iter()
        .map(|(k, n)| (k.to_string(), *n))
        .collect();
    assert_eq!(months, expected, "months of receipt in the municipality's time zone");

    // The comparisons' totals, counted in SQL, agree with the funnel's.
    let (from, to) = (at("2025-12-31 23:00"), at("2026-06-30 22:00"));
    let sql = app.db.read(move |conn| velkomst::db::reports::totals(conn, from, to)).await.expect("totals");
    assert_eq!(
        [
            sql.received,
            sql.reached_visit,
            sql.reached_move_in,
            sql.reached_welcome_package,
            sql.welcomed,
            sql.lost,
            sql.open
        ]
        .map(i64::from),
        counts(&by_area["totals"])
    );

    // Bad parameters are 400.
    for bad in [
        "from=2026-01-01&to=2026-07-01",
        "from=2026-01-01&to=2026-07-01&by=colour",
        "from=2026-13-01&to=2026-07-01&by=area",
        "from=2026-07-01&to=2026-01-01&by=area",
        "from=2026-01-01&to=2026-07-01&by=area&extra=1",
    ] {
        let page = kim.api.get(&format!("/api/v1/reports/funnel?{bad}")).await;
        assert_eq!(page.status, StatusCode::BAD_REQUEST, "{bad}");
    }

    // The page shows the same figures; each table downloads as CSV.
    let page = kim.browser.get("/reports?period=2026-H1").await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.body);
    assert!(page.contains("<svg class=\"report-chart\""), "charts drawn on the server");
    assert!(page.contains("/static/css/reports.css"), "the print stylesheet");
    assert!(page.contains("/reports/by-area.csv?period=2026-H1"));
    let csv = kim.browser.get("/reports/by-area.csv?period=2026-H1").await;
    assert_eq!(csv.status, StatusCode::OK);
    assert!(csv.headers["content-type"].to_str().unwrap_or("").starts_with("text/csv"));
    assert!(csv.body.starts_with('\u{feff}'), "a byte-order mark for Excel");
    assert_eq!(csv_line(&csv.body, "Stege"), ["Stege", "6", "1", "2", "1", "1", "0", "5"]);
    assert_eq!(csv_line(&csv.body, "Præstø"), ["Præstø", "1", "1", "0", "0", "0", "1", "0"]);
    assert_eq!(csv_line(&csv.body, "I alt"), ["I alt", "8", "2", "2", "1", "1", "2", "5"]);
    let funnel_csv = kim.browser.get("/reports/funnel.csv?period=2026-H1&lang=en").await;
    assert_eq!(csv_line(&funnel_csv.body, "Received")[1], "8");
    assert_eq!(csv_line(&funnel_csv.body, "Welcomed")[1], "1");
    let losses = kim.browser.get("/reports/losses.csv?period=2026-H1&lang=en").await;
    assert!(losses.body.contains("Reason;Job;1"), "{}", losses.body);
    // Free dates are for staff.
    assert_eq!(kim.browser.get("/reports?from=2026-01-01&to=2026-06-30").await.status, StatusCode::OK);
}

/// The funnel by each of the API's breakdowns.
async fn every_funnel(api: &crate::helpers::ApiClient) -> Vec<Value> {
    let mut out = Vec::new();
    for by in ["area", "campaign", "household", "month"] {
        out.push(funnel(api, by).await);
    }
    out
}

#[tokio::test]
async fn erasing_people_leaves_every_figure_unchanged() {
    let app = spawn_app().await;
    let admin = app.admin("Ada", "ada@example.dk").await;
    let refs = fixed_cases(&app, &admin).await;
    let before = every_funnel(&admin.api).await;
    let csv_before = admin.browser.get("/reports/by-area.csv?period=2026-H1").await.body;
    // The welcomed family and the one who chose elsewhere ask to be forgotten.
    for r in [&refs[0], &refs[2]] {
        let page = admin.api.post_json(&format!("/api/v1/cases/{r}/erasure"), &json!({ "note": "anmodning" })).await;
        assert_eq!(page.status, StatusCode::OK, "{}", page.body);
    }
    assert_eq!(every_funnel(&admin.api).await, before, "the API's figures");
    assert_eq!(admin.browser.get("/reports/by-area.csv?period=2026-H1").await.body, csv_before, "the CSV's");
}

async fn reporter(app: &TestApp) -> (crate::helpers::Browser, crate::helpers::ApiClient) {
    let id = app.add_user("reporter", "Rita Rapport", "rita@example.dk").await;
    let token = app.token_for(&id).await;
    let browser = app.browser();
    let login = browser.login("rita@example.dk", PASSWORD).await;
    assert_eq!(login.status, StatusCode::SEE_OTHER);
    assert_eq!(login.location(), "/reports", "a reporter starts at the reports");
    (browser, app.api(Some(&token)))
}

#[tokio::test]
async fn a_reporter_sees_masked_aggregates_and_no_person_anywhere() {
    let app = spawn_app().await;
    let kim = app.consultant("Kim", "kim@example.dk").await;
    let refs = fixed_cases(&app, &kim).await;
    let (browser, api) = reporter(&app).await;

    let report = funnel(&api, "area").await;
    let stege = row(&report, "stege");
    assert_eq!(stege["received"], 6, "a group of five or more is shown");
    assert_eq!(stege["reached_visit"], Value::Null, "1 is below the minimum of 5");
    assert_eq!(stege["suppressed"], true);
    assert_eq!(stege["open"], 5);
    assert_eq!(report["totals"]["received"], 8);
    assert_eq!(report["totals"]["lost"], Value::Null, "2 lost would single people out");
    // No column has exactly one hidden cell (it could be worked out).
    for field in ["received", "reached_visit", "reached_move_in", "reached_welcome_package", "welcomed", "lost", "open"]
    {
        let hidden = report["rows"].as_array().expect("rows").iter().filter(|r| r[field].is_null()).count();
        assert_ne!(hidden, 1, "{field}");
    }
    // Whole months or half-years only.
    let free = api.get("/api/v1/reports/funnel?from=2026-01-05&to=2026-02-05&by=area").await;
    assert_eq!(free.status, StatusCode::BAD_REQUEST);
    assert_eq!(api.get("/api/v1/reports/funnel?from=2026-03-01&to=2026-04-01&by=month").await.status, StatusCode::OK);
    let free_page = browser.get("/reports?from=2026-01-05&to=2026-02-05").await;
    assert_eq!(free_page.status, StatusCode::BAD_REQUEST);

    // The page and every CSV: figures, never a person.
    let page = browser.get("/reports?period=2026-H1").await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.contains("&lt; 5"), "masked counts read < 5");
    let mut bodies = vec![page.body.clone(), report.to_string()];
    for id in
        ["funnel", "timing", "by-area", "by-campaign", "by-household", "by-month", "losses", "ambassadors", "campaigns"]
    {
        let csv = browser.get(&format!("/reports/{id}.csv?period=2026-H1")).await;
        assert_eq!(csv.status, StatusCode::OK, "{id}");
        bodies.push(csv.body);
    }
    for body in &bodies {
        for r in &refs {
            assert!(!body.contains(r.as_str()), "a reference: {r}");
        }
        for personal in ["Fixed1", "fixed1@example.dk", "Flyer Family", "flyer0@example.dk", "Aarhus"] {
            assert!(!body.contains(personal), "{personal}");
        }
    }

    // Everything else is closed to a reporter.
    for path in ["/cases", &format!("/cases/{}", refs[0]), "/ambassadors", "/admin/users", "/admin/campaigns"] {
        let page = browser.get(path).await;
        assert!(matches!(page.status, StatusCode::FORBIDDEN | StatusCode::NOT_FOUND), "{path}: {}", page.status);
    }
    for path in
        ["/api/v1/cases".to_string(), format!("/api/v1/cases/{}", refs[0]), format!("/api/v1/cases/{}/export", refs[0])]
    {
        assert_eq!(api.get(&path).await.status, StatusCode::FORBIDDEN, "{path}");
    }
    // Staff see the same report exactly.
    let exact = funnel(&kim.api, "area").await;
    assert_eq!(row(&exact, "stege")["reached_visit"], 1);
}

#[tokio::test]
async fn csv_cells_that_would_be_formulas_are_neutralised() {
    let app = spawn_app().await;
    let kim = app.consultant("Kim", "kim@example.dk").await;
    let r = app.mover_submits(&[("name", "Gry"), ("email", "gry@example.dk"), ("areas", "stege")]).await;
    let closed = kim
        .on_case(
            &r,
            "transition",
            &[
                ("action", "close"),
                ("outcome", "chose_elsewhere"),
                ("reason", "price"),
                ("chose_instead", "=HYPERLINK(\"http://evil\";\"Næstved\")"),
            ],
        )
        .await;
    assert_eq!(closed.status, StatusCode::SEE_OTHER, "{}", closed.body);
    let csv = kim.browser.get("/reports/losses.csv").await;
    assert_eq!(csv.status, StatusCode::OK);
    let line = csv.body.lines().find(|l| l.contains("HYPERLINK")).expect("the place is listed");
    assert!(line.contains(";\"'=HYPERLINK"), "neutralised and quoted: {line}");
    assert!(!line.contains(";=") && !line.contains(";\"="), "{line}");
}

#[tokio::test]
async fn targets_are_judged_on_the_clock() {
    let app = spawn_app_with(|s| {
        s.reports.targets = vec![velkomst::config::Target {
            slug: "families".into(),
            name: "Børnefamilier".into(),
            name_en: None,
            household: Some("family_with_children".into()),
            area: Some("moen".into()),
            baseline: 10,
            baseline_year: 2025,
            growth_percent: 20.0,
            from_year: 2026,
            to_year: 2030,
        }];
    })
    .await;
    // Three families moved into Møn (Stege) early in 2026, one couple too.
    for (i, children) in ["2019", "2020", "2021", ""].iter().enumerate() {
        let email = format!("t{i}@example.dk");
        let mut fields = vec![("name", "Tove"), ("email", email.as_str()), ("areas", "stege")];
        if !children.is_empty() {
            fields.push(("children", children));
        }
        let r = app.mover_submits(&fields).await;
        dated(&app, &r, "2026-01-10 10:00", Some("2026-02-01 10:00")).await;
    }
    let settings = std::sync::Arc::new(app.settings.clone());
    let judged = |now: &str| {
        let (s, now) = (settings.clone(), at(now));
        let db = app.db.clone();
        async move { db.read(move |conn| velkomst::web::targets::progress(conn, &s, now)).await.expect("progress") }
    };
    // 1 March: the goal is 12 for 2026, 1 wanted so far; 3 moved in.
    let march = judged("2026-03-01 12:00").await;
    assert_eq!(march[0].actual, 3, "the couple is not a family");
    assert!((march[0].goal - 12.0).abs() < 1e-9);
    assert_eq!(march[0].verdict, velkomst::domain::target::Verdict::OnTrack);
    // 1 December: 10 wanted by now; still 3.
    let december = judged("2026-12-01 12:00").await;
    assert_eq!(december[0].verdict, velkomst::domain::target::Verdict::Behind);
    // Before the move-in the count was 0.
    assert_eq!(judged("2026-01-20 12:00").await[0].actual, 0);
}

#[tokio::test]
async fn a_campaign_from_qr_code_to_half_year_report() {
    let app = spawn_app().await;
    let ada = app.admin("Ada", "ada@example.dk").await;
    // The admin registers the campaign.
    let saved = ada
        .browser
        .submit(
            "/admin/campaigns",
            "/admin/campaigns",
            &[
                ("slug", "sommer"),
                ("name", "Sommer på Møn"),
                ("target_areas", "stege"),
                ("target_areas", "bogoe"),
                ("target_group", "Børnefamilier i hovedstaden"),
                ("channel", "handbaaret"),
                ("starts_on", "2026-05-01"),
                ("ends_on", "2026-12-31"),
                ("budget", "20000"),
                ("notes", "Flyers på Bogø færgen"),
            ],
        )
        .await;
    assert_eq!(saved.status, StatusCode::SEE_OTHER, "{}", saved.body);
    let register = ada.browser.get("/admin/campaigns").await;
    assert!(register.contains("Sommer på Møn") && register.contains("/c/sommer/qr.svg"));
    let bad = ada
        .browser
        .submit("/admin/campaigns", "/admin/campaigns", &[("slug", "Not a slug!"), ("name", ""), ("channel", "radio")])
        .await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);

    // Its QR code is the tracked link, printable.
    let qr = app.browser().get("/c/sommer/qr.svg").await;
    assert_eq!(qr.status, StatusCode::OK);
    assert_eq!(qr.headers["content-type"], "image/svg+xml");
    assert!(qr.body.contains("<svg"));

    // Three people follow the link, two send an inquiry; an unknown link is not counted.
    let mut refs = Vec::new();
    for i in 0..3 {
        let visitor = app.browser();
        let hop = visitor.get("/c/sommer").await;
        assert_eq!(hop.status, StatusCode::SEE_OTHER);
        assert_eq!(hop.location(), "/?campaign=sommer");
        if i < 2 {
            let form = visitor.get(&hop.location()).await;
            assert!(form.contains("value=\"sommer\""), "the form keeps the campaign");
            let email = format!("s{i}@example.dk");
            let page = visitor
                .submit_inquiry(&[
                    ("name", "Sanne"),
                    ("email", &email),
                    ("areas", "stege"),
                    ("children", "2020"),
                    ("campaign", "sommer"),
                ])
                .await;
            assert_eq!(page.status, StatusCode::SEE_OTHER);
            refs.push(page.location().rsplit('/').next().expect("reference").to_string());
        }
    }
    let unknown = app.browser().get("/c/vinter").await;
    assert_eq!(unknown.status, StatusCode::SEE_OTHER);
    assert_eq!(unknown.location(), "/?campaign=vinter");
    let other = app.mover_submits(&[("name", "Ulla"), ("email", "u@example.dk"), ("campaign", "vinter")]).await;

    // One household is welcomed, the other chose elsewhere because of the price.
    for stage in ["visit", "move_in", "welcome_package"] {
        to(&ada, &refs[0], json!({ "to": stage })).await;
    }
    to(&ada, &refs[0], json!({ "close": "welcomed" })).await;
    to(&ada, &refs[1], json!({ "close": "chose_elsewhere", "reason": "price" })).await;
    to(&ada, &other, json!({ "close": "no_response", "reason": "other" })).await;

    // The half-year report shows the campaign's effect.
    let csv = ada.browser.get("/reports/campaigns.csv").await.body;
    assert_eq!(
        csv_line(&csv, "Sommer på Møn"),
        ["Sommer på Møn", "sommer", "3", "2", "67 %", "1", "20000 kr.", "20000 kr."],
        "visits, inquiries, conversion, moved in, budget, cost per household"
    );
    assert_eq!(csv_line(&csv, "Ikke registreret")[1], "vinter", "an unknown slug is kept and shown");
    let page = ada.browser.get("/reports").await;
    assert_eq!(page.status, StatusCode::OK);
    for part in ["Mål og fremdrift", "Kampagnernes effekt", "Hvorfor sager tabes", "<svg", "report-chart-bar"] {
        assert!(page.contains(part), "{part}");
    }
    let losses = ada.browser.get("/reports/losses.csv?lang=en").await.body;
    assert!(losses.contains("Reason;Price;1"), "{losses}");
    let english = ada.browser.get("/reports?lang=en").await;
    assert!(english.contains("Targets and progress") && english.contains("Half-year report"));

    // A reporter reads the same report, small groups masked, no person.
    let (browser, _) = reporter(&app).await;
    let seen = browser.get("/reports/campaigns.csv").await.body;
    assert_eq!(csv_line(&seen, "Sommer på Møn")[2], "3", "visits are not people");
    assert_eq!(csv_line(&seen, "Sommer på Møn")[3], "< 5");
    let page = browser.get("/reports").await;
    assert_eq!(page.status, StatusCode::OK);
    for r in refs.iter().chain([&other]) {
        assert!(!page.contains(r.as_str()));
    }
    assert!(!page.contains("Sanne") && !page.contains("s0@example.dk"));
}
