//! Local ambassadors as the people involved meet them: staff register
//! ambassadors and refer a consenting mover's case to one of them, the
//! ambassador follows the emailed single-use link to their phone-first
//! view, the mover is told who will get in touch, every step lands on the
//! case's timeline, and the welcome package reaches the household. And
//! everything an ambassador must not reach, they cannot.

use chrono::{Datelike, NaiveDateTime};
use reqwest::StatusCode;
use serde_json::{json, Value};
use velkomst::config::Settings;

use crate::helpers::{
    assert_unique_ids, html_unescape, l10n, spawn_app, spawn_app_with, ApiClient, Browser, Page, Staff, TestApp,
};
use crate::smtp::{Received, SmtpSink};

fn now() -> NaiveDateTime {
    velkomst::db::now()
}

fn hours(h: i64) -> chrono::Duration {
    chrono::Duration::hours(h)
}

fn days(d: u32) -> chrono::Duration {
    chrono::Duration::days(i64::from(d))
}

/// The app delivering to a fresh SMTP sink, with further settings.
async fn app_with_sink_and(configure: impl FnOnce(&mut Settings)) -> (TestApp, SmtpSink) {
    let sink = SmtpSink::start().await;
    let url = sink.url();
    let app = spawn_app_with(move |s| {
        s.mail.smtp_url = Some(url);
        s.mail.timeout_seconds = 5;
        configure(s);
    })
    .await;
    (app, sink)
}

/// An ambassador as staff registered them.
#[derive(Debug, Clone)]
struct Amb {
    id: String,
    name: String,
    email: String,
}

fn field<'a>(fields: &[(&str, &'a str)], name: &str) -> &'a str {
    fields.iter().find(|(k, _)| *k == name).map(|(_, v)| *v).expect("field given")
}

/// Staff register an ambassador on /ambassadors/new; the id is read from
/// the directory, where the name links to the ambassador's page.
async fn register(staff: &Staff, fields: &[(&str, &str)]) -> Amb {
    let page = staff.browser.submit("/ambassadors/new", "/ambassadors", fields).await;
    assert_eq!(page.status, StatusCode::SEE_OTHER, "registered: {}", page.body);
    assert_eq!(page.location(), "/ambassadors");
    let (name, email) = (field(fields, "name"), field(fields, "email"));
    let directory = staff.browser.get("/ambassadors").await;
    assert_eq!(directory.status, StatusCode::OK);
    let end = directory.body.find(&format!("\">{name}</a>")).unwrap_or_else(|| panic!("{name} in the directory"));
    let start = directory.body[..end].rfind("/ambassadors/").expect("a link") + "/ambassadors/".len();
    Amb { id: directory.body[start..end].to_string(), name: name.to_string(), email: email.to_string() }
}

async fn astrid_and_bent(staff: &Staff) -> (Amb, Amb) {
    let a = register(
        staff,
        &[
            ("name", "Astrid Holm"),
            ("email", "astrid@stege-lokalraad.dk"),
            ("organisation", "Stege Lokalråd"),
            ("kind", "local_council"),
            ("phone", "+45 21 43 65 87"),
            ("areas", "stege"),
            ("interests", "nature"),
        ],
    )
    .await;
    let b = register(
        staff,
        &[
            ("name", "Bent Winther"),
            ("email", "bent@praestoe-if.dk"),
            ("organisation", "Præstø IF"),
            ("kind", "association"),
            ("phone", ""),
            ("areas", "praestoe"),
        ],
    )
    .await;
    (a, b)
}

/// A mover through the JSON API; returns the reference.
async fn api_mover(app: &TestApp, body: Value) -> String {
    let page = app.api_inquiry(&body).await;
    assert_eq!(page.status, StatusCode::CREATED, "{}", page.body);
    page.json()["reference"].as_str().expect("reference").to_string()
}

/// A consenting household in Stege who like nature.
async fn consenting_mover(app: &TestApp, name: &str, email: &str) -> String {
    api_mover(
        app,
        json!({ "name": name, "email": email, "areas": ["stege"], "interests": ["nature"], "ambassador_contact": true }),
    )
    .await
}

/// The consultant refers through the API; returns the referral id.
async fn api_refer(staff: &Staff, reference: &str, ambassador_email: &str, message: &str) -> String {
    let page = staff
        .api
        .post_json(
            &format!("/api/v1/cases/{reference}/referrals"),
            &json!({ "ambassador": ambassador_email, "message": message }),
        )
        .await;
    assert_eq!(page.status, StatusCode::CREATED, "referred: {}", page.body);
    page.json()["id"].as_str().expect("referral id").to_string()
}

fn kinds(case: &Value) -> Vec<String> {
    case["timeline"]
        .as_array()
        .expect("timeline")
        .iter()
        .filter_map(|e| e["kind"].as_str().map(str::to_string))
        .collect()
}

fn referral_steps(case: &Value) -> Vec<String> {
    kinds(case).into_iter().filter(|k| k.starts_with("referral_")).collect()
}

/// The emails to `address` whose subject contains `subject`.
fn mails(sink: &SmtpSink, address: &str, subject: &str) -> Vec<Received> {
    sink.to(address).into_iter().filter(|m| m.header("Subject").contains(subject)).collect()
}

/// The only email to `address` whose subject contains `subject`.
fn one(sink: &SmtpSink, address: &str, subject: &str) -> Received {
    let found = mails(sink, address, subject);
    let all: Vec<String> = sink.to(address).iter().map(|m| m.header("Subject")).collect();
    assert_eq!(found.len(), 1, "one email to {address} with {subject:?}; got {all:?}");
    found.into_iter().next().expect("one")
}

/// The path of the sign-in link in an email (the app writes its configured
/// public URL; the test reaches it on its random port).
fn signin_path(mail: &Received) -> String {
    let text = mail.text();
    let start = text.find("/signin/").unwrap_or_else(|| panic!("a sign-in link in:\n{text}")) + "/signin/".len();
    let token: String =
        text[start..].chars().take_while(|c| c.is_ascii_alphanumeric() || *c == '-' || *c == '_').collect();
    assert!(token.len() >= 32, "a long token: {token:?}");
    format!("/signin/{token}")
}

/// A sign-in link made as the app makes them (only the hash is stored),
/// valid for `valid_for` from now (negative: already expired).
async fn craft_link(app: &TestApp, user_id: &str, referral: Option<&str>, valid_for: chrono::Duration) -> String {
    let token = velkomst::crypto::random_token();
    let hash = velkomst::crypto::token_hash(&token);
    let (user_id, referral) = (user_id.to_string(), referral.map(str::to_string));
    app.db
        .write(move |conn| {
            let t = now();
            velkomst::db::referrals::create_signin_link(conn, &hash, &user_id, referral.as_deref(), t, t + valid_for)
        })
        .await
        .expect("link stored");
    format!("/signin/{token}")
}

/// A CSRF token for `browser`, from the public form.
async fn csrf(browser: &Browser) -> String {
    let page = browser.get("/").await;
    assert_eq!(page.status, StatusCode::OK);
    page.csrf_token()
}

/// Follows a sign-in link as a person does: the GET shows a button, its
/// POST uses the link. Returns the GET's answer if it is not a page.
async fn follow_link(browser: &Browser, path: &str) -> Page {
    let page = browser.get(path).await;
    if page.status != StatusCode::OK {
        return page;
    }
    assert!(page.contains("<button"), "the link page shows a button: {}", page.body);
    browser.post_form(path, &[("csrf_token", &page.csrf_token())]).await
}

/// A fresh browser signed in from `path`; returns it and where it landed.
async fn signed_in(app: &TestApp, path: &str) -> (Browser, String) {
    let browser = app.browser();
    let page = follow_link(&browser, path).await;
    assert_eq!(page.status, StatusCode::SEE_OTHER, "signed in from {path}: {}", page.body);
    (browser, page.location())
}

/// An ambassador's step on a referral, from its page.
async fn step(browser: &Browser, rid: &str, fields: &[(&str, &str)]) -> Page {
    let page = format!("/ambassador/referrals/{rid}");
    browser.submit(&page, &format!("{page}/step"), fields).await
}

async fn step_ok(browser: &Browser, rid: &str, fields: &[(&str, &str)]) {
    let page = step(browser, rid, fields).await;
    assert_eq!(page.status, StatusCode::SEE_OTHER, "{fields:?}: {}", page.body);
    assert_eq!(page.location(), format!("/ambassador/referrals/{rid}"));
}

/// Which of `secrets` a page shows.
fn shown<'a>(page: &Page, secrets: &[&'a str]) -> Vec<&'a str> {
    let text = html_unescape(&page.body);
    secrets.iter().copied().filter(|s| text.contains(s)).collect()
}

fn move_in_date() -> String {
    (chrono::Utc::now().date_naive() + chrono::Duration::days(30)).format("%Y-%m-%d").to_string()
}

async fn on_case_ok(staff: &Staff, reference: &str, action: &str, fields: &[(&str, &str)]) {
    let page = staff.on_case(reference, action, fields).await;
    assert_eq!(page.status, StatusCode::SEE_OTHER, "{action}: {}", page.body);
}

// ---------------------------------------------------------------------------
// 1. The whole hand-off, over HTTP, as people do it.
// ---------------------------------------------------------------------------

#[tokio::test]
async fn the_whole_hand_off_from_referral_to_welcome_package() {
    let (app, sink) = app_with_sink_and(|_| {}).await;
    let worker = app.worker();
    let admin = app.admin("Alma Admin", "alma@kommune.dk").await;
    let kim = app.consultant("Kim Konsulent", "kim@kommune.dk").await;
    let astrid = register(
        &admin,
        &[
            ("name", "Astrid Holm"),
            ("email", "astrid@stege-lokalraad.dk"),
            ("organisation", "Stege Lokalråd"),
            ("kind", "local_council"),
            ("phone", "+45 21 43 65 87"),
            ("areas", "stege"),
            ("interests", "nature"),
        ],
    )
    .await;
    let bent = register(
        &kim,
        &[
            ("name", "Bent Winther"),
            ("email", "bent@praestoe-if.dk"),
            ("organisation", "Præstø IF"),
            ("kind", "association"),
            ("phone", ""),
            ("areas", "praestoe"),
            ("interests", "sports"),
        ],
    )
    .await;
    let stege = kim.browser.get("/ambassadors?area=stege&interest=nature").await;
    assert_eq!(stege.status, StatusCode::OK);
    assert!(stege.contains("Astrid Holm") && !stege.contains("Bent Winther"), "filtered by area and interest");
    let praestoe = kim.browser.get("/ambassadors?area=praestoe").await;
    assert!(praestoe.contains("Bent Winther") && !praestoe.contains("Astrid Holm"));

    let year = chrono::Utc::now().year();
    let (born_1, born_2) = ((year - 4).to_string(), (year - 9).to_string());
    let mover_email = "mette.q@example.dk";
    let reference = app
        .mover_submits(&[
            ("name", "Mette Quistgaard"),
            ("email", mover_email),
            ("phone", "+45 61 72 83 94"),
            ("language", "en"),
            ("adults", "2"),
            ("children", &born_1),
            ("children", &born_2),
            ("areas", "stege"),
            ("interests", "nature"),
            ("timeframe", "0-6m"),
            ("ambassador_contact", "true"),
        ])
        .await;
    let contact = ["Quistgaard", mover_email, "61 72 83 94"];

    // The case page suggests Astrid (area and interest) before Bent.
    let page = kim.browser.get(&format!("/cases/{reference}")).await;
    assert_eq!(page.status, StatusCode::OK);
    let pos = |id: &str| page.body.find(&format!("id=\"amb-{id}\"")).unwrap_or_else(|| panic!("{id} suggested"));
    assert!(pos(&astrid.id) < pos(&bent.id), "Astrid is suggested first");
    assert!(page.contains(&format!("value=\"{}\" class=\"form-radio\" checked", astrid.id)), "and preselected");

    let message = "Mette and family love long walks. Could you show them the trails around Stege Nor?";
    let referred = kim.on_case(&reference, "referrals", &[("ambassador", &astrid.id), ("message", message)]).await;
    assert_eq!(referred.status, StatusCode::SEE_OTHER, "{}", referred.body);
    assert_eq!(referred.location(), format!("/cases/{reference}#referrals"));

    // The offer reaches Astrid: the household in outline, and her link.
    worker.deliver_due(now()).await.expect("delivery");
    let offer = one(&sink, &astrid.email, "velkommen");
    let (text, html) = (offer.text(), offer.html());
    assert!(text.contains("Mette") && html.contains("Mette"), "first name:\n{text}");
    assert!(text.contains(message), "the consultant's message:\n{text}");
    assert!(text.contains("Stege"), "the area:\n{text}");
    for secret in contact.iter().chain([&reference.as_str()]) {
        assert!(!text.contains(secret) && !html.contains(secret), "the offer does not show {secret}");
    }
    assert!(sink.to(&bent.email).is_empty(), "nothing to Bent");
    let link = signin_path(&offer);

    // Astrid opens the link on her phone: a button first (mail scanners
    // that open links must not use them up), then her referral.
    let phone = app.browser();
    let opened = phone.get(&link).await;
    assert_eq!(opened.status, StatusCode::OK);
    assert!(opened.contains("<button") && opened.contains("name=\"viewport\" content=\"width=device-width"));
    assert_eq!(phone.get("/ambassador").await.location(), "/login", "opening the link alone signs no one in");
    let signed = phone.post_form(&link, &[("csrf_token", &opened.csrf_token())]).await;
    assert_eq!(signed.status, StatusCode::SEE_OTHER, "{}", signed.body);
    let referral_path = signed.location();
    assert!(referral_path.starts_with("/ambassador/referrals/"), "{referral_path}");
    let rid = referral_path.rsplit('/').next().expect("id").to_string();

    let before = phone.get(&referral_path).await;
    assert_eq!(before.status, StatusCode::OK);
    assert!(before.contains("Mette") && html_unescape(&before.body).contains(message));
    assert_eq!(shown(&before, &contact), Vec::<&str>::new(), "no contact details before accepting");
    let mine = phone.get("/ambassador").await;
    assert_eq!(mine.status, StatusCode::OK);
    assert!(mine.contains(&referral_path) && mine.contains("Mette"));
    assert_eq!(shown(&mine, &contact), Vec::<&str>::new());

    // She accepts: the mover hears who will contact them, in English.
    step_ok(&phone, &rid, &[("action", "accept")]).await;
    worker.deliver_due(now()).await.expect("delivery");
    let told = one(&sink, mover_email, "will contact you soon");
    assert!(told.header("Subject").contains(&astrid.name), "{}", told.header("Subject"));
    let told_text = told.text();
    assert!(told_text.contains(&astrid.email) && told_text.contains("21 43 65 87"), "how to reach her:\n{told_text}");
    assert!(!told_text.contains("kontakter dig"), "English only:\n{told_text}");
    let accepted = phone.get(&referral_path).await;
    assert_eq!(shown(&accepted, &contact), contact.to_vec(), "contact details once accepted");
    assert!(accepted.contains("Mette Quistgaard"));

    step_ok(&phone, &rid, &[("action", "contacted")]).await;
    step_ok(&phone, &rid, &[("action", "met")]).await;
    let no_report = step(&phone, &rid, &[("action", "close"), ("report", "  ")]).await;
    assert_eq!(no_report.status, StatusCode::UNPROCESSABLE_ENTITY, "a report is required");
    let report = "Showed them Stege Nor and invited them to the walking club on Thursdays.";
    step_ok(&phone, &rid, &[("action", "close"), ("report", report)]).await;
    let closed = phone.get(&referral_path).await;
    assert_eq!(closed.status, StatusCode::OK);
    assert_eq!(shown(&closed, &contact), Vec::<&str>::new(), "no contact details after closing");
    assert_eq!(shown(&phone.get("/ambassador").await, &contact), Vec::<&str>::new());

    // The consultant follows every step.
    let case = kim.case_json(&reference).await;
    assert_eq!(
        referral_steps(&case),
        ["referral_offered", "referral_accepted", "referral_contacted", "referral_met", "referral_closed"]
    );
    let page = kim.browser.get(&format!("/cases/{reference}")).await;
    for kind in ["offered", "accepted", "contacted", "met", "closed"] {
        assert!(page.contains(&format!("timeline-event event-referral_{kind}")), "{kind} on the case page");
    }
    assert!(html_unescape(&page.body).contains(report), "the report on the case page");

    // The welcome package: defined per area by the admin ...
    let saved = admin
        .browser
        .submit(
            "/admin/packages",
            "/admin/packages",
            &[
                ("items_stege", "A letter from the mayor\nStege town guide\n  \nVoucher for Møns Museum"),
                ("deliverer_stege", "Stege Lokalråd"),
            ],
        )
        .await;
    assert_eq!(saved.status, StatusCode::SEE_OTHER, "{}", saved.body);
    let packages = admin.browser.get("/admin/packages").await;
    assert!(
        html_unescape(&packages.body).contains("A letter from the mayor\nStege town guide\nVoucher for Møns Museum")
    );

    // ... prepared on move-in, to be brought by Astrid ...
    on_case_ok(&kim, &reference, "move-in", &[("move_in_date", &move_in_date()), ("move_in_area", "stege")]).await;
    assert_eq!(kim.case_json(&reference).await["stage"], "move_in");
    let page = kim.browser.get(&format!("/cases/{reference}")).await;
    assert!(page.contains(&format!("<option value=\"{}\">Astrid Holm</option>", astrid.id)), "Astrid can bring it");
    // Fixed (was a bug): the "by an ambassador" radio and the ambassador list
    // both had id="pkg-ambassador", so the list's label pointed at the radio.
    assert_unique_ids(&page);
    assert!(page.contains("<label class=\"form-label\" for=\"pkg-ambassador\">"), "the list's label");
    assert!(page.contains("<select class=\"form-select\" id=\"pkg-ambassador\""), "names the list");
    on_case_ok(
        &kim,
        &reference,
        "welcome-package",
        &[("method", "ambassador"), ("ambassador", &astrid.id), ("details", "Astrid brings it on Saturday")],
    )
    .await;
    worker.deliver_due(now()).await.expect("delivery");
    let notice = one(&sink, mover_email, "Your welcome package");
    assert!(notice.text().contains("Astrid brings it on Saturday"), "{}", notice.text());

    // ... and delivered by her, from her own view.
    let with_package = phone.get(&referral_path).await;
    // Fixed (was a bug): src/web/ambassador.rs `referral_page` shows the package only while
    // the referral `shows_contact()` (accepted/contacted/met), and
    // `package_delivered` answers 404 otherwise — yet the case page offers an
    // ambassador whose referral is closed as the deliverer (src/web/staff/case.rs
    // `package_ambassadors`: `shows_contact() || state == "closed"`). Once
    // Astrid has closed her referral, she can neither see nor record the
    // package she was asked to bring.
    assert!(
        with_package.contains("Stege town guide")
            && with_package.contains(&format!("{referral_path}/package-delivered")),
        "Astrid sees the package she is to bring: {}",
        with_package.body
    );
    assert_eq!(shown(&with_package, &contact), Vec::<&str>::new(), "still no contact details");
    let delivered = phone.submit(&referral_path, &format!("{referral_path}/package-delivered"), &[]).await;
    assert_eq!(delivered.status, StatusCode::SEE_OTHER, "{}", delivered.body);
    let case = kim.case_json(&reference).await;
    assert_eq!(case["stage"], "welcome_package");
    assert!(kinds(&case).contains(&"package_delivered".to_string()));
}

/// The delivery itself, recorded by the ambassador while the referral is open.
#[tokio::test]
async fn an_ambassador_records_the_package_delivery_from_their_own_view() {
    let app = spawn_app().await;
    let admin = app.admin("Alma Admin", "alma@kommune.dk").await;
    let kim = app.consultant("Kim Konsulent", "kim@kommune.dk").await;
    let (astrid, _bent) = astrid_and_bent(&kim).await;
    let reference = consenting_mover(&app, "Ole Quistgaard", "ole.q@example.dk").await;
    let rid = api_refer(&kim, &reference, &astrid.email, "").await;
    let (phone, landed) = signed_in(&app, &craft_link(&app, &astrid.id, Some(&rid), hours(1)).await).await;
    assert_eq!(landed, format!("/ambassador/referrals/{rid}"));
    for action in ["accept", "contacted", "met"] {
        step_ok(&phone, &rid, &[("action", action)]).await;
    }
    let delivered_path = format!("/ambassador/referrals/{rid}/package-delivered");
    let nothing_yet = phone.post_form(&delivered_path, &[("csrf_token", &csrf(&phone).await)]).await;
    assert_eq!(nothing_yet.status, StatusCode::NOT_FOUND, "no package to deliver yet");

    let saved = admin
        .browser
        .submit("/admin/packages", "/admin/packages", &[("items_stege", "Stege town guide\nA jar of Møn honey")])
        .await;
    assert_eq!(saved.status, StatusCode::SEE_OTHER);
    on_case_ok(&kim, &reference, "move-in", &[("move_in_date", &move_in_date()), ("move_in_area", "stege")]).await;
    on_case_ok(
        &kim,
        &reference,
        "welcome-package",
        &[("method", "ambassador"), ("ambassador", &astrid.id), ("details", "")],
    )
    .await;
    let overview = admin.browser.get("/admin/packages").await;
    assert!(!overview.contains(&format!("href=\"/cases/{reference}\"")), "not overdue after minutes");
    let page = kim.browser.get(&format!("/cases/{reference}")).await;
    assert!(page.contains("Astrid Holm") && !page.contains("pkg-overdue"), "prepared, with Astrid");

    let referral_path = format!("/ambassador/referrals/{rid}");
    let mine = phone.get(&referral_path).await;
    assert!(html_unescape(&mine.body).contains("A jar of Møn honey"), "{}", mine.body);
    assert!(mine.contains(&delivered_path));
    let delivered = phone.submit(&referral_path, &delivered_path, &[]).await;
    assert_eq!(delivered.status, StatusCode::SEE_OTHER, "{}", delivered.body);
    assert_eq!(delivered.location(), referral_path);

    let case = kim.case_json(&reference).await;
    assert_eq!(case["stage"], "welcome_package");
    let delivery: Vec<&Value> =
        case["timeline"].as_array().expect("timeline").iter().filter(|e| e["kind"] == "package_delivered").collect();
    assert_eq!(delivery.len(), 1);
    assert_eq!(delivery[0]["actor"], astrid.name.as_str(), "recorded as Astrid's");
    assert!(!phone.get(&referral_path).await.contains(&delivered_path), "nothing left to deliver");
    let again = phone.post_form(&delivered_path, &[("csrf_token", &csrf(&phone).await)]).await;
    assert_eq!(again.status, StatusCode::NOT_FOUND, "delivered once");
}

// ---------------------------------------------------------------------------
// 2. The access matrix.
// ---------------------------------------------------------------------------

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Who {
    Anonymous,
    AmbassadorA,
    AmbassadorB,
    Consultant,
    Admin,
}

impl Who {
    fn is_ambassador(self) -> bool {
        matches!(self, Who::AmbassadorA | Who::AmbassadorB)
    }
}

/// Which record a URL names: the case (or referral, or ambassador) of A,
/// of B, a case referred to no one, or one that does not exist.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum On {
    A,
    B,
    Nobody,
    Unknown,
    Nothing,
}

/// Who may use a route, and what it answers when they do.
#[derive(Debug, Clone, Copy)]
enum Rule {
    Public(u16),
    /// A staff page or form not about one record.
    Staff(u16),
    /// About one ambassador record: an unknown one is 404 for staff.
    StaffRecord(u16),
    /// Would change a real record: staff try only an unknown one (404).
    StaffUnknownOnly,
    /// A case URL: 404 for ambassadors, whether or not the case exists.
    Case(u16),
    Admin(u16),
    AdminUnknownOnly,
    /// A referral URL of the staff side (withdraw).
    Referral,
    /// The ambassador's own referral: 404 unless it is theirs.
    Mine(u16),
    /// As `Mine`, for a step that would change their own: only others try.
    OthersOnly,
    Ambassador(u16),
    Api(u16),
    ApiCase(u16),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Want {
    Status(u16),
    Login,
    Skip,
}

fn want(rule: Rule, who: Who, on: On) -> Want {
    use Who::*;
    let staff = matches!(who, Consultant | Admin);
    let unknown = on == On::Unknown;
    match rule {
        Rule::Public(ok) => Want::Status(ok),
        Rule::Api(ok) | Rule::ApiCase(ok) => match who {
            Anonymous => Want::Status(401),
            AmbassadorA | AmbassadorB => Want::Status(403),
            _ if unknown && matches!(rule, Rule::ApiCase(_)) => Want::Status(404),
            _ => Want::Status(ok),
        },
        _ if who == Anonymous => Want::Login,
        Rule::Staff(ok) => Want::Status(if staff { ok } else { 403 }),
        Rule::StaffRecord(ok) => Want::Status(match (staff, unknown) {
            (false, _) => 403,
            (true, true) => 404,
            (true, false) => ok,
        }),
        Rule::StaffUnknownOnly => match (staff, unknown) {
            (false, _) => Want::Status(403),
            (true, true) => Want::Status(404),
            (true, false) => Want::Skip,
        },
        Rule::Case(ok) => Want::Status(if staff && !unknown { ok } else { 404 }),
        Rule::Admin(ok) => Want::Status(if who == Admin { ok } else { 403 }),
        Rule::AdminUnknownOnly => match (who == Admin, unknown) {
            (false, _) => Want::Status(403),
            (true, true) => Want::Status(404),
            (true, false) => Want::Skip,
        },
        // Fixed (was a bug): src/web/auth.rs `StaffUser` answers 404 to non-staff only
        // under /cases/; the issue has referral URLs answer 404 too, but
        // /referrals/{id}/withdraw answers an ambassador 403.
        Rule::Referral => match (staff, unknown) {
            (false, _) => Want::Status(404),
            (true, true) => Want::Status(404),
            (true, false) => Want::Skip,
        },
        Rule::Mine(ok) => match who {
            AmbassadorA if on == On::A => Want::Status(ok),
            AmbassadorB if on == On::B => Want::Status(ok),
            AmbassadorA | AmbassadorB => Want::Status(404),
            _ => Want::Status(403),
        },
        Rule::OthersOnly => match who {
            AmbassadorA if on == On::A => Want::Skip,
            AmbassadorB if on == On::B => Want::Skip,
            AmbassadorA | AmbassadorB => Want::Status(404),
            _ => Want::Status(403),
        },
        Rule::Ambassador(ok) => Want::Status(if staff { 403 } else { ok }),
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Method {
    Get,
    Post,
    ApiGet,
    ApiPost,
}

struct Row {
    method: Method,
    path: &'static str,
    form: &'static [(&'static str, &'static str)],
    json: Value,
    rule: Rule,
    on: &'static [On],
}

const CASES: &[On] = &[On::A, On::B, On::Nobody, On::Unknown];
const RECORDS: &[On] = &[On::A, On::B, On::Unknown];
const UNKNOWN: &[On] = &[On::Unknown];
const NOTHING: &[On] = &[On::Nothing];

fn row(method: Method, path: &'static str, form: &'static [(&'static str, &'static str)], rule: Rule) -> Row {
    let on = if path.contains("{ref}") {
        CASES
    } else if path.contains("{rid}") || path.contains("{amb}") {
        RECORDS
    } else if path.contains("{id}") {
        UNKNOWN
    } else {
        NOTHING
    };
    Row { method, path, form, json: Value::Null, rule, on }
}

fn api_row(path: &'static str, body: Value, rule: Rule) -> Row {
    let mut r = row(Method::ApiPost, path, &[], rule);
    r.json = body;
    r
}

/// Every route the app serves, with what each caller may do there. Forms
/// that staff may send carry input that is refused after the permission
/// check, so the matrix changes as little as it can.
fn routes() -> Vec<Row> {
    use Method::{ApiGet, Get, Post};
    vec![
        // The case page and its actions.
        row(Get, "/cases/{ref}", &[], Rule::Case(200)),
        row(Get, "/cases/{ref}/email", &[], Rule::Case(200)),
        row(Post, "/cases/{ref}/transition", &[], Rule::Case(422)),
        row(Post, "/cases/{ref}/assign", &[("assignee", "nobody")], Rule::Case(422)),
        row(Post, "/cases/{ref}/notes", &[("note", "")], Rule::Case(422)),
        row(Post, "/cases/{ref}/contact", &[], Rule::Case(303)),
        row(Post, "/cases/{ref}/information-pack", &[("note", "")], Rule::Case(303)),
        row(Post, "/cases/{ref}/visit", &[], Rule::Case(422)),
        row(Post, "/cases/{ref}/visit/cancel", &[], Rule::Case(303)),
        row(Post, "/cases/{ref}/move-in", &[], Rule::Case(422)),
        row(Post, "/cases/{ref}/welcome-package", &[("method", "pigeon")], Rule::Case(422)),
        row(Post, "/cases/{ref}/welcome-package/delivered", &[], Rule::Case(409)),
        row(Post, "/cases/{ref}/email", &[], Rule::Case(422)),
        row(Post, "/cases/{ref}/referrals", &[("ambassador", "")], Rule::Case(422)),
        row(Post, "/referrals/{rid}/withdraw", &[], Rule::Referral),
        // Staff pages.
        row(Get, "/cases", &[], Rule::Staff(200)),
        row(Get, "/ambassadors?area=stege&interest=nature", &[], Rule::Staff(200)),
        row(Get, "/ambassadors/new", &[], Rule::Staff(200)),
        row(Post, "/ambassadors", &[], Rule::Staff(422)),
        row(Get, "/ambassadors/{amb}", &[], Rule::StaffRecord(200)),
        row(Post, "/ambassadors/{amb}", &[], Rule::Staff(422)),
        row(Post, "/ambassadors/{amb}/deactivate", &[], Rule::StaffUnknownOnly),
        // Admin pages.
        row(Get, "/admin/packages", &[], Rule::Admin(200)),
        row(Post, "/admin/packages", &[], Rule::Admin(303)),
        row(Get, "/admin/users", &[], Rule::Admin(200)),
        row(Post, "/admin/users", &[], Rule::Admin(422)),
        row(Post, "/admin/users/{amb}/active", &[("active", "false")], Rule::AdminUnknownOnly),
        row(Get, "/admin/areas", &[], Rule::Admin(200)),
        row(Post, "/admin/areas", &[], Rule::Admin(303)),
        row(Get, "/admin/outbox", &[], Rule::Admin(200)),
        row(Post, "/admin/outbox/{id}/retry", &[], Rule::AdminUnknownOnly),
        row(Get, "/admin/templates", &[], Rule::Admin(200)),
        row(Get, "/admin/templates/html?name=referral_offer", &[], Rule::Admin(200)),
        // The ambassador's own pages.
        row(Get, "/ambassador", &[], Rule::Ambassador(200)),
        row(Get, "/ambassador/referrals/{rid}", &[], Rule::Mine(200)),
        row(Post, "/ambassador/referrals/{rid}/step", &[("action", "wave")], Rule::Mine(422)),
        row(Post, "/ambassador/referrals/{rid}/step", &[("action", "accept")], Rule::OthersOnly),
        row(Post, "/ambassador/referrals/{rid}/package-delivered", &[], Rule::Mine(404)),
        row(Get, "/ambassador/password", &[], Rule::Ambassador(200)),
        row(Post, "/ambassador/password", &[("password", "short"), ("password_again", "short")], Rule::Ambassador(422)),
        // The staff API.
        row(ApiGet, "/api/v1/cases", &[], Rule::Api(200)),
        row(ApiGet, "/api/v1/cases?area=stege", &[], Rule::Api(200)),
        row(ApiGet, "/api/v1/cases/{ref}", &[], Rule::ApiCase(200)),
        api_row("/api/v1/cases/{ref}/transitions", json!({}), Rule::ApiCase(422)),
        api_row("/api/v1/cases/{ref}/referrals", json!({ "ambassador": "nobody@example.dk" }), Rule::ApiCase(404)),
        api_row("/api/v1/cases/{ref}/referrals", json!({ "ambassador": 5 }), Rule::Api(422)),
        row(ApiGet, "/api/v1/openapi.json", &[], Rule::Public(200)),
    ]
}

/// A caller: a browser (with a session, or none) and an API client.
struct Actor {
    who: Who,
    browser: Browser,
    api: ApiClient,
    csrf: String,
}

/// The records the matrix is about.
struct World {
    cases: [String; 3],
    unknown_case: String,
    referrals: [String; 2],
    ambassadors: [String; 2],
    unknown_id: String,
}

impl World {
    fn fill(&self, path: &str, on: On) -> String {
        let i = match on {
            On::A => 0,
            On::B => 1,
            On::Nobody => 2,
            On::Unknown | On::Nothing => 3,
        };
        let pick = |list: &[String], unknown: &str| list.get(i).cloned().unwrap_or_else(|| unknown.to_string());
        path.replace("{ref}", &pick(&self.cases, &self.unknown_case))
            .replace("{rid}", &pick(&self.referrals, &self.unknown_id))
            .replace("{amb}", &pick(&self.ambassadors, &self.unknown_id))
            .replace("{id}", &self.unknown_id)
    }
}

async fn send(actor: &Actor, r: &Row, path: &str) -> Page {
    match r.method {
        Method::Get => actor.browser.get(path).await,
        Method::Post => {
            let mut fields = vec![("csrf_token", actor.csrf.as_str())];
            fields.extend_from_slice(r.form);
            actor.browser.post_form(path, &fields).await
        }
        Method::ApiGet => actor.api.get(path).await,
        Method::ApiPost => actor.api.post_json(path, &r.json).await,
    }
}

fn verdict(page: &Page, w: Want) -> Option<String> {
    let ok = match w {
        Want::Login => page.status == StatusCode::SEE_OTHER && page.location() == "/login",
        Want::Status(code) => page.status.as_u16() == code,
        Want::Skip => true,
    };
    (!ok).then(|| format!("got {} {}, want {w:?}", page.status.as_u16(), page.location()))
}

/// One pass over the matrix; returns every failing cell.
async fn run_matrix(phase: &str, actors: &[Actor], world: &World, secrets: &[&str]) -> Vec<String> {
    let mut failures = Vec::new();
    let mut cells = 0;
    for (n, r) in routes().iter().enumerate() {
        for actor in actors {
            let mut answers: Vec<(On, Want, u16, String)> = Vec::new();
            for &on in r.on {
                let w = want(r.rule, actor.who, on);
                if w == Want::Skip {
                    continue;
                }
                let path = world.fill(r.path, on);
                let page = send(actor, r, &path).await;
                cells += 1;
                let cell = format!("[{phase}] #{n} {:?} {} as {:?} on {on:?}", r.method, r.path, actor.who);
                if let Some(why) = verdict(&page, w) {
                    failures.push(format!("{cell}: {why}"));
                }
                if actor.who.is_ambassador() {
                    let leaked = shown(&page, secrets);
                    if !leaked.is_empty() {
                        failures.push(format!("{cell}: shows {leaked:?}"));
                    }
                }
                answers.push((on, w, page.status.as_u16(), page.body));
            }
            // An ambassador cannot tell a real case or referral from one that
            // does not exist: every refusal reads exactly like the unknown one.
            if actor.who.is_ambassador() {
                if let Some((_, _, status, body)) = answers.iter().find(|a| a.0 == On::Unknown) {
                    for (on, w, s, b) in &answers {
                        if *on != On::Unknown && *w == Want::Status(404) && (s != status || b != body) {
                            failures.push(format!(
                                "[{phase}] #{n} {} as {:?}: {on:?} answers unlike an unknown record ({s} vs {status})",
                                r.path, actor.who
                            ));
                        }
                    }
                }
            }
        }
    }
    eprintln!("[{phase}] {cells} cells, {} failing", failures.len());
    failures
}

#[tokio::test]
async fn the_access_matrix_lets_each_role_reach_only_its_own() {
    let app = spawn_app().await;
    let kim = app.consultant("Kim Konsulent", "kim@kommune.dk").await;
    let alma = app.admin("Alma Admin", "alma@kommune.dk").await;
    let (a, b) = astrid_and_bent(&kim).await;
    let movers = [
        ("Anna Quistgaard", "anna.q@example.dk", "+45 31 41 59 26"),
        ("Bo Thorsager", "bo.t@example.dk", "+45 27 18 28 18"),
        ("Nina Vesterbølle", "nina.v@example.dk", "+45 16 18 03 39"),
    ];
    let mut cases = Vec::new();
    for (name, email, phone) in movers {
        let body = json!({
            "name": name, "email": email, "phone": phone, "areas": ["stege"], "interests": ["nature"],
            "children": [chrono::Utc::now().year() - 6], "ambassador_contact": true,
        });
        cases.push(api_mover(&app, body).await);
    }
    let ra = api_refer(&kim, &cases[0], &a.email, "Anna would like a walk around Stege.").await;
    let rb = api_refer(&kim, &cases[1], &b.email, "").await;
    let secret_of = |i: usize| {
        let (name, email, phone) = movers[i];
        vec![name.split_once(' ').expect("surname").1, email, &phone[4..]]
    };
    let mut secrets: Vec<&str> = (0..3).flat_map(secret_of).collect();
    secrets.extend(cases.iter().map(String::as_str));

    let (a_browser, _) = signed_in(&app, &craft_link(&app, &a.id, Some(&ra), hours(1)).await).await;
    let (b_browser, _) = signed_in(&app, &craft_link(&app, &b.id, Some(&rb), hours(1)).await).await;
    let a_api = app.api(Some(&app.token_for(&a.id).await));
    let b_api = app.api(Some(&app.token_for(&b.id).await));
    let prefix = cases[0].rsplit_once('-').expect("reference").0;
    let world = World {
        unknown_case: format!("{prefix}-Q7Q7Q7"),
        cases: [cases[0].clone(), cases[1].clone(), cases[2].clone()],
        referrals: [ra.clone(), rb.clone()],
        ambassadors: [a.id.clone(), b.id.clone()],
        unknown_id: uuid::Uuid::now_v7().to_string(),
    };
    assert!(!cases.contains(&world.unknown_case));

    let Staff { browser: kim_browser, api: kim_api, .. } = kim;
    let Staff { browser: alma_browser, api: alma_api, .. } = alma;
    let mut actors = Vec::new();
    for (who, browser, api) in [
        (Who::Anonymous, app.browser(), app.api(None)),
        (Who::AmbassadorA, a_browser, a_api),
        (Who::AmbassadorB, b_browser, b_api),
        (Who::Consultant, kim_browser, kim_api),
        (Who::Admin, alma_browser, alma_api),
    ] {
        let csrf = csrf(&browser).await;
        actors.push(Actor { who, browser, api, csrf });
    }

    // Offered: nobody but staff sees any contact details.
    let mut failures = run_matrix("offered", &actors, &world, &secrets).await;

    // A accepts: A sees Anna's contact details (the check above would have
    // caught them), B still sees nothing of hers.
    let (amb_a, amb_b) = (&actors[1].browser, &actors[2].browser);
    step_ok(amb_a, &ra, &[("action", "accept")]).await;
    let anna = secret_of(0);
    let page = amb_a.get(&format!("/ambassador/referrals/{ra}")).await;
    if shown(&page, &anna) != anna {
        failures.push(format!("A's accepted referral lacks Anna's contact details: {}", page.body));
    }
    for path in
        ["/ambassador".to_string(), format!("/ambassador/referrals/{ra}"), format!("/ambassador/referrals/{rb}")]
    {
        let page = amb_b.get(&path).await;
        if !shown(&page, &secrets).is_empty() {
            failures.push(format!("B on {path} after A accepted: shows {:?}", shown(&page, &secrets)));
        }
    }
    let direct = amb_b
        .post_form(
            &format!("/ambassador/referrals/{ra}/step"),
            &[("csrf_token", &actors[2].csrf), ("action", "contacted")],
        )
        .await;
    if direct.status != StatusCode::NOT_FOUND {
        failures.push(format!("B stepping A's accepted referral: {}", direct.status));
    }

    // A closes: Anna's details are gone again from everything A sees.
    for fields in [
        vec![("action", "contacted")],
        vec![("action", "met")],
        vec![("action", "close"), ("report", "Vi gik en tur.")],
    ] {
        step_ok(amb_a, &ra, &fields).await;
    }
    failures.extend(run_matrix("A closed", &actors[1..3], &world, &secrets).await);

    // B accepts, then the consultant withdraws the referral: Bo's details go.
    step_ok(amb_b, &rb, &[("action", "accept")]).await;
    let bo = secret_of(1);
    if shown(&amb_b.get(&format!("/ambassador/referrals/{rb}")).await, &bo) != bo {
        failures.push("B's accepted referral lacks Bo's contact details".to_string());
    }
    let consultant = &actors[3];
    let withdrawn =
        consultant.browser.post_form(&format!("/referrals/{rb}/withdraw"), &[("csrf_token", &consultant.csrf)]).await;
    assert_eq!(withdrawn.status, StatusCode::SEE_OTHER, "{}", withdrawn.body);
    failures.extend(run_matrix("B withdrawn", &actors[1..3], &world, &secrets).await);

    for f in &failures {
        eprintln!("FAIL {f}");
    }
    assert!(failures.is_empty(), "{} failing cells:\n{}", failures.len(), failures.join("\n"));
}

// ---------------------------------------------------------------------------
// 3. Sign-in links.
// ---------------------------------------------------------------------------

#[tokio::test]
async fn signin_links_are_single_use_expiring_bound_and_die_with_the_ambassador() {
    let (app, sink) = app_with_sink_and(|s| s.referrals.signin_link_days = 0).await;
    let kim = app.consultant("Kim Konsulent", "kim@kommune.dk").await;
    let (a, b) = astrid_and_bent(&kim).await;
    let reference = consenting_mover(&app, "Anna Quistgaard", "anna.q@example.dk").await;
    let ra = api_refer(&kim, &reference, &a.email, "").await;

    // The emailed link lives signin_link_days = 0 days: dead on arrival.
    app.worker().deliver_due(now()).await.expect("delivery");
    let emailed = signin_path(&one(&sink, &a.email, "velkommen"));
    let stranger = app.browser();
    assert_eq!(stranger.get(&emailed).await.status, StatusCode::NOT_FOUND, "expired (config)");
    let post = stranger.post_form(&emailed, &[("csrf_token", &csrf(&stranger).await)]).await;
    assert_eq!(post.status, StatusCode::NOT_FOUND, "expired (config), POST");

    // Expired a minute ago.
    let expired = craft_link(&app, &a.id, Some(&ra), -chrono::Duration::minutes(1)).await;
    assert_eq!(stranger.get(&expired).await.status, StatusCode::NOT_FOUND, "expired");

    // A live link, used once; the second use is refused, in any browser.
    // Without the form's CSRF token, the POST is refused and uses nothing.
    let live = craft_link(&app, &a.id, Some(&ra), hours(1)).await;
    let forged = stranger.post_form(&live, &[]).await;
    assert_eq!(forged.status, StatusCode::FORBIDDEN, "no CSRF token");
    let (phone, landed) = signed_in(&app, &live).await;
    assert_eq!(landed, format!("/ambassador/referrals/{ra}"));
    assert_eq!(phone.get(&landed).await.status, StatusCode::OK);
    let again = app.browser();
    let reused = again.post_form(&live, &[("csrf_token", &csrf(&again).await)]).await;
    assert_eq!(reused.status, StatusCode::NOT_FOUND, "reused");
    let reused_here = phone.post_form(&live, &[("csrf_token", &csrf(&phone).await)]).await;
    assert_eq!(reused_here.status, StatusCode::NOT_FOUND, "reused by its own ambassador");
    assert_eq!(again.get("/ambassador").await.location(), "/login", "no session from a used link");
    assert_eq!(again.get(&live).await.status, StatusCode::NOT_FOUND, "a used link shows no button either");

    // Tampered: one character changed.
    let fresh = craft_link(&app, &a.id, None, hours(1)).await;
    let mut chars: Vec<char> = fresh.chars().collect();
    let last = chars.len() - 1;
    chars[last] = if chars[last] == 'A' { 'B' } else { 'A' };
    let tampered: String = chars.into_iter().collect();
    let other = app.browser();
    assert_eq!(other.get(&tampered).await.status, StatusCode::NOT_FOUND, "tampered");
    let post = other.post_form(&tampered, &[("csrf_token", &csrf(&other).await)]).await;
    assert_eq!(post.status, StatusCode::NOT_FOUND, "tampered, POST");
    assert_eq!(other.get("/ambassador").await.location(), "/login");
    // The real one still works, and without a referral lands on the list.
    let (_, landed) = signed_in(&app, &fresh).await;
    assert_eq!(landed, "/ambassador");

    // B's link in a browser signed in as A: refused, and not used up.
    let bs = craft_link(&app, &b.id, None, hours(1)).await;
    assert_eq!(phone.get(&bs).await.status, StatusCode::FORBIDDEN, "B's link in A's browser");
    let post = phone.post_form(&bs, &[("csrf_token", &csrf(&phone).await)]).await;
    assert_eq!(post.status, StatusCode::FORBIDDEN, "B's link in A's browser, POST");
    assert_eq!(phone.get(&landed).await.status, StatusCode::OK, "A is still A");
    assert_eq!(phone.get(&format!("/ambassador/referrals/{ra}")).await.status, StatusCode::OK);
    let (b_browser, _) = signed_in(&app, &bs).await;
    assert_eq!(b_browser.get(&format!("/ambassador/referrals/{ra}")).await.status, StatusCode::NOT_FOUND);

    // Deactivated: A's session and unused link stop at once, and the open
    // referral goes back to the consultant.
    let unused = craft_link(&app, &a.id, Some(&ra), hours(1)).await;
    let deactivated = kim.browser.submit("/ambassadors", &format!("/ambassadors/{}/deactivate", a.id), &[]).await;
    assert_eq!(deactivated.status, StatusCode::SEE_OTHER, "{}", deactivated.body);
    let after = phone.get("/ambassador").await;
    assert!(
        after.status == StatusCode::FORBIDDEN
            || (after.status == StatusCode::SEE_OTHER && after.location() == "/login"),
        "A's session ended: {} {}",
        after.status,
        after.location()
    );
    assert_ne!(phone.get(&format!("/ambassador/referrals/{ra}")).await.status, StatusCode::OK);
    assert_eq!(app.browser().get(&unused).await.status, StatusCode::NOT_FOUND, "A's unused link");
    let case = kim.case_json(&reference).await;
    assert_eq!(referral_steps(&case), ["referral_offered", "referral_withdrawn"]);
    let page = kim.browser.get(&format!("/cases/{reference}")).await;
    assert!(page.contains("timeline-event event-referral_withdrawn"));
    assert!(!page.contains(&format!("id=\"amb-{}\"", a.id)), "no longer suggested");
    let refer =
        kim.api.post_json(&format!("/api/v1/cases/{reference}/referrals"), &json!({ "ambassador": a.email })).await;
    assert_eq!(refer.status, StatusCode::NOT_FOUND, "an inactive ambassador cannot be referred to");
}

#[tokio::test]
async fn deactivating_an_ambassador_from_the_user_list_also_withdraws_their_referrals() {
    let app = spawn_app().await;
    let alma = app.admin("Alma Admin", "alma@kommune.dk").await;
    let (a, _b) = astrid_and_bent(&alma).await;
    let reference = consenting_mover(&app, "Anna Quistgaard", "anna.q@example.dk").await;
    let ra = api_refer(&alma, &reference, &a.email, "").await;
    let (phone, _) = signed_in(&app, &craft_link(&app, &a.id, Some(&ra), hours(1)).await).await;

    let users = alma.browser.get("/admin/users").await;
    // Listed with a link to the confirmation page (deactivating asks first).
    let confirm = format!("/admin/users/{}/deactivate", a.id);
    assert!(users.contains(&confirm), "ambassadors are listed with a switch");
    let off = alma.browser.submit(&confirm, &format!("/admin/users/{}/active", a.id), &[("active", "false")]).await;
    assert_eq!(off.status, StatusCode::SEE_OTHER, "{}", off.body);
    assert_eq!(phone.get("/ambassador").await.location(), "/login", "session ended");
    // Fixed (was a bug): src/web/staff/admin.rs `set_active` calls `users::set_active`
    // only; an ambassador deactivated there keeps their open referrals (the
    // offer stays "offered" with no one to answer it), where the issue says
    // deactivating an ambassador withdraws their open referrals back to the
    // consultant (as `workflow::referrals::deactivate_ambassador` does for
    // /ambassadors/{id}/deactivate).
    let case = alma.case_json(&reference).await;
    assert_eq!(referral_steps(&case), ["referral_offered", "referral_withdrawn"], "withdrawn back to the consultant");
}

#[tokio::test]
async fn links_from_before_a_deactivation_stay_dead_after_reactivation() {
    let app = spawn_app().await;
    let alma = app.admin("Alma Admin", "alma@kommune.dk").await;
    let (a, _b) = astrid_and_bent(&alma).await;
    let reference = consenting_mover(&app, "Anna Quistgaard", "anna.q@example.dk").await;
    let ra = api_refer(&alma, &reference, &a.email, "").await;
    let old = craft_link(&app, &a.id, Some(&ra), hours(24)).await;
    let off = alma.browser.submit("/ambassadors", &format!("/ambassadors/{}/deactivate", a.id), &[]).await;
    assert_eq!(off.status, StatusCode::SEE_OTHER, "{}", off.body);
    assert_eq!(app.browser().get(&old).await.status, StatusCode::NOT_FOUND, "dead while deactivated");
    let on = alma.browser.submit("/admin/users", &format!("/admin/users/{}/active", a.id), &[("active", "true")]).await;
    assert_eq!(on.status, StatusCode::SEE_OTHER, "{}", on.body);
    // Fixed (was a bug): deactivation only hides sign-in links (src/db/referrals.rs
    // `peek_signin_link` filters on `users.active`) instead of revoking them
    // as `users::set_active` revokes sessions and API tokens; reactivating
    // the ambassador brings every link issued before the deactivation back
    // to life (here one pointing at a referral that was withdrawn).
    assert_eq!(app.browser().get(&old).await.status, StatusCode::NOT_FOUND, "still dead after reactivation");
}

#[tokio::test]
async fn the_directory_shows_each_ambassadors_open_and_past_referrals() {
    let app = spawn_app().await;
    let kim = app.consultant("Kim Konsulent", "kim@kommune.dk").await;
    let (a, _b) = astrid_and_bent(&kim).await;
    let open = consenting_mover(&app, "Anna Quistgaard", "anna.q@example.dk").await;
    let past = consenting_mover(&app, "Ole Quistgaard", "ole.q@example.dk").await;
    api_refer(&kim, &open, &a.email, "").await;
    let rid = api_refer(&kim, &past, &a.email, "").await;
    let withdrawn = kim.browser.submit(&format!("/cases/{past}"), &format!("/referrals/{rid}/withdraw"), &[]).await;
    assert_eq!(withdrawn.status, StatusCode::SEE_OTHER);

    let directory = kim.browser.get("/ambassadors").await;
    // Fixed (was a bug): the areas column was headed with the mover's form
    // question ("Which local areas interest you?").
    let header = format!("<th scope=\"col\">{}</th>", l10n("da", "amb-areas"));
    assert!(html_unescape(&directory.body).contains(&header), "the areas column: {header}");
    assert!(!html_unescape(&directory.body).contains(&l10n("da", "field-areas")), "not the mover's question");
    let start = directory.body.find(">Astrid Holm</a>").expect("listed");
    let row = &directory.body[start..start + directory.body[start..].find("</tr>").expect("row end")];
    assert!(row.contains("<td>1</td>\n    <td>1</td>"), "one open, one past: {row}");
    let page = kim.browser.get(&format!("/ambassadors/{}", a.id)).await;
    assert_eq!(page.status, StatusCode::OK);
    // Fixed (was a bug): src/web/staff/ambassadors.rs `edit_form` is documented as "edit,
    // with their referrals", but neither it nor staff/ambassador_form.html
    // shows any referral: staff see only two counts in the directory and
    // cannot find which cases an ambassador holds.
    assert!(
        page.contains(&format!("/cases/{open}")) && page.contains(&format!("/cases/{past}")),
        "the ambassador's page lists their open and past referrals"
    );
}

// ---------------------------------------------------------------------------
// 4. Consent, and who can be referred.
// ---------------------------------------------------------------------------

#[tokio::test]
async fn only_a_consenting_mover_is_referred_and_once_per_ambassador() {
    let app = spawn_app().await;
    let kim = app.consultant("Kim Konsulent", "kim@kommune.dk").await;
    let (a, b) = astrid_and_bent(&kim).await;

    // No consent: the page says why, the form and the API refuse, nothing is made.
    let shy = api_mover(
        &app,
        json!({ "name": "Sara Lind", "email": "sara@example.dk", "areas": ["stege"], "ambassador_contact": false }),
    )
    .await;
    let page = kim.browser.get(&format!("/cases/{shy}")).await;
    assert!(page.contains("id=\"no-consent\""), "the case page says why");
    assert!(!page.contains(&format!("action=\"/cases/{shy}/referrals\"")), "and offers no referral form");
    let refused = kim.on_case(&shy, "referrals", &[("ambassador", &a.id), ("message", "Hej")]).await;
    assert_eq!(refused.status, StatusCode::CONFLICT, "{}", refused.body);
    let api = kim.api.post_json(&format!("/api/v1/cases/{shy}/referrals"), &json!({ "ambassador": a.email })).await;
    assert_eq!(api.status, StatusCode::CONFLICT, "{}", api.body);
    assert_eq!(api.json()["code"], "refer-no-consent");
    let case = kim.case_json(&shy).await;
    assert!(referral_steps(&case).is_empty(), "nothing created: {:?}", kinds(&case));
    let outbox = app
        .db
        .read(|c| velkomst::db::outbox::list(c, "pending", 100))
        .await
        .expect("outbox")
        .into_iter()
        .filter(|(m, _)| m.template.starts_with("referral"))
        .count();
    assert_eq!(outbox, 0, "no offer queued");

    // Unknown ambassador, a staff member's email, unknown case: 404.
    let keen = consenting_mover(&app, "Ivan Quistgaard", "ivan@example.dk").await;
    let refer = |reference: String, email: String| {
        let api = &kim.api;
        async move {
            api.post_json(
                &format!("/api/v1/cases/{reference}/referrals"),
                &json!({ "ambassador": email, "message": "" }),
            )
            .await
        }
    };
    assert_eq!(refer(keen.clone(), "nobody@example.dk".into()).await.status, StatusCode::NOT_FOUND);
    assert_eq!(refer(keen.clone(), "kim@kommune.dk".into()).await.status, StatusCode::NOT_FOUND, "not an ambassador");
    let prefix = keen.rsplit_once('-').expect("reference").0;
    assert_eq!(refer(format!("{prefix}-Q7Q7Q7"), a.email.clone()).await.status, StatusCode::NOT_FOUND);
    let form = kim.on_case(&keen, "referrals", &[("ambassador", "not-an-id")]).await;
    assert_eq!(form.status, StatusCode::UNPROCESSABLE_ENTITY, "the form names no ambassador");

    // A paused ambassador is neither suggested nor referred to.
    let bent_profile = |paused: &'static str| {
        vec![
            ("name", "Bent Winther"),
            ("email", "bent@praestoe-if.dk"),
            ("organisation", "Præstø IF"),
            ("kind", "association"),
            ("phone", ""),
            ("areas", "praestoe"),
            ("paused", paused),
        ]
    };
    let edit = format!("/ambassadors/{}", b.id);
    let paused = kim.browser.submit(&edit, &edit, &bent_profile("true")).await;
    assert_eq!(paused.status, StatusCode::SEE_OTHER, "{}", paused.body);
    assert!(!kim.browser.get(&format!("/cases/{keen}")).await.contains(&format!("id=\"amb-{}\"", b.id)));
    assert_eq!(refer(keen.clone(), b.email.clone()).await.status, StatusCode::NOT_FOUND, "paused");
    let resumed = kim.browser.submit(&edit, &edit, &bent_profile("")).await;
    assert_eq!(resumed.status, StatusCode::SEE_OTHER, "{}", resumed.body);
    assert!(kim.browser.get(&format!("/cases/{keen}")).await.contains(&format!("id=\"amb-{}\"", b.id)));

    // Once per ambassador while open; the email is matched without case.
    let created = refer(keen.clone(), a.email.to_uppercase()).await;
    assert_eq!(created.status, StatusCode::CREATED, "{}", created.body);
    let body = created.json();
    assert_eq!(body["state"], "offered");
    assert_eq!(body["ambassador"], a.email.as_str());
    let ra = body["id"].as_str().expect("id").to_string();
    let twice = refer(keen.clone(), a.email.clone()).await;
    assert_eq!(twice.status, StatusCode::CONFLICT);
    assert_eq!(twice.json()["code"], "refer-already");
    let twice_form = kim.on_case(&keen, "referrals", &[("ambassador", &a.id)]).await;
    assert_eq!(twice_form.status, StatusCode::CONFLICT);

    // Withdrawn: the case goes to someone else.
    let withdrawn = kim.browser.submit(&format!("/cases/{keen}"), &format!("/referrals/{ra}/withdraw"), &[]).await;
    assert_eq!(withdrawn.status, StatusCode::SEE_OTHER, "{}", withdrawn.body);
    assert_eq!(withdrawn.location(), format!("/cases/{keen}#referrals"));
    let again = kim.browser.submit(&format!("/cases/{keen}"), &format!("/referrals/{ra}/withdraw"), &[]).await;
    assert_eq!(again.status, StatusCode::CONFLICT, "withdrawn once");
    assert_eq!(refer(keen.clone(), b.email.clone()).await.status, StatusCode::CREATED);
    let case = kim.case_json(&keen).await;
    assert_eq!(referral_steps(&case), ["referral_offered", "referral_withdrawn", "referral_offered"]);
}

// ---------------------------------------------------------------------------
// 5. Decline, withdraw, and no answer: reminders and flags on a clock.
// ---------------------------------------------------------------------------

#[tokio::test]
async fn declines_withdrawals_reminders_and_flags() {
    let (app, sink) = app_with_sink_and(|_| {}).await;
    let worker = app.worker();
    let kim = app.consultant("Kim Konsulent", "kim@kommune.dk").await;
    let (a, b) = astrid_and_bent(&kim).await;
    let s = app.settings.referrals.clone();

    // A declines: a reason is required, and the consultant reads it.
    let first = consenting_mover(&app, "Anna Quistgaard", "anna.q@example.dk").await;
    let r1 = api_refer(&kim, &first, &a.email, "").await;
    worker.deliver_due(now()).await.expect("delivery");
    let (phone, _) = signed_in(&app, &signin_path(&one(&sink, &a.email, "velkommen"))).await;
    let empty = step(&phone, &r1, &[("action", "decline"), ("reason", "   ")]).await;
    assert_eq!(empty.status, StatusCode::UNPROCESSABLE_ENTITY, "a reason is required");
    assert!(empty.contains("name=\"reason\""), "the form is shown again");
    let reason = "Away until June, sorry";
    step_ok(&phone, &r1, &[("action", "decline"), ("reason", reason)]).await;
    let late = step(&phone, &r1, &[("action", "accept")]).await;
    assert_eq!(late.status, StatusCode::CONFLICT, "declined is final");
    let case = kim.case_json(&first).await;
    let declined: Vec<&Value> =
        case["timeline"].as_array().expect("timeline").iter().filter(|e| e["kind"] == "referral_declined").collect();
    assert_eq!(declined.len(), 1);
    assert_eq!(declined[0]["reason"], reason);
    let page = kim.browser.get(&format!("/cases/{first}")).await;
    assert!(page.contains(reason), "the consultant sees the reason");

    // Referred on to B, then withdrawn by the consultant: B can no longer act.
    let r2 = api_refer(&kim, &first, &b.email, "").await;
    let withdrawn = kim.browser.submit(&format!("/cases/{first}"), &format!("/referrals/{r2}/withdraw"), &[]).await;
    assert_eq!(withdrawn.status, StatusCode::SEE_OTHER, "{}", withdrawn.body);
    let (b_phone, _) = signed_in(&app, &craft_link(&app, &b.id, Some(&r2), hours(1)).await).await;
    let b_page = b_phone.get(&format!("/ambassador/referrals/{r2}")).await;
    assert_eq!(b_page.status, StatusCode::OK);
    assert!(!b_page.contains("value=\"accept\""), "nothing to accept");
    assert_eq!(step(&b_phone, &r2, &[("action", "accept")]).await.status, StatusCode::CONFLICT);
    assert_eq!(
        referral_steps(&kim.case_json(&first).await),
        ["referral_offered", "referral_declined", "referral_offered", "referral_withdrawn"]
    );

    // No answer: a reminder with a fresh link after reminder_after_days (once) ...
    let second = consenting_mover(&app, "Ole Quistgaard", "ole.q@example.dk").await;
    let r3 = api_refer(&kim, &second, &a.email, "").await;
    let start = now();
    worker.deliver_due(start).await.expect("delivery");
    let offered_link = signin_path(&mails(&sink, &a.email, "velkommen").pop().expect("the offer"));
    assert_eq!(worker.chase_referrals(start + hours(1)).await.expect("chase"), (0, 0), "too early");
    let page = kim.browser.get(&format!("/cases/{second}")).await;
    assert!(!page.contains(&l10n("da", "ref-no-answer")), "not flagged yet");

    let remind_at = start + days(s.reminder_after_days) + hours(1);
    assert_eq!(worker.chase_referrals(remind_at).await.expect("chase"), (1, 0));
    worker.deliver_due(remind_at).await.expect("delivery");
    let reminder = one(&sink, &a.email, "Påmindelse");
    let fresh = signin_path(&reminder);
    assert_ne!(fresh, offered_link, "a fresh link");
    assert_eq!(worker.chase_referrals(remind_at).await.expect("chase"), (0, 0), "reminded once");
    assert_eq!(worker.chase_referrals(remind_at + hours(2)).await.expect("chase"), (0, 0), "reminded once");
    worker.deliver_due(remind_at + hours(2)).await.expect("delivery");
    assert_eq!(mails(&sink, &a.email, "Påmindelse").len(), 1, "one reminder");
    assert!(mails(&sink, &b.email, "Påmindelse").is_empty(), "the withdrawn referral is not chased");
    let (_, landed) = signed_in(&app, &fresh).await;
    assert_eq!(landed, format!("/ambassador/referrals/{r3}"), "the fresh link leads to the referral");
    let case = kim.case_json(&second).await;
    assert_eq!(referral_steps(&case), ["referral_offered", "referral_reminded"]);

    // ... and flagged to the consultant after flag_after_days.
    let flag_at = start + days(s.flag_after_days) + hours(1);
    assert_eq!(worker.chase_referrals(flag_at).await.expect("chase"), (0, 1));
    assert_eq!(worker.chase_referrals(flag_at).await.expect("chase"), (0, 0), "flagged once");
    let case = kim.case_json(&second).await;
    assert_eq!(referral_steps(&case), ["referral_offered", "referral_reminded", "referral_flagged"]);
    let page = kim.browser.get(&format!("/cases/{second}")).await;
    assert!(page.contains("timeline-event event-referral_flagged"));
    assert!(page.contains("badge-warning") && page.contains(&l10n("da", "ref-no-answer")), "the no-answer marker");
    // The first case's referrals were answered or withdrawn: no marker there.
    assert!(!kim.browser.get(&format!("/cases/{first}")).await.contains(&l10n("da", "ref-no-answer")));
}

// ---------------------------------------------------------------------------
// 6. Welcome packages: overdue, and only in move-in.
// ---------------------------------------------------------------------------

#[tokio::test]
async fn undelivered_packages_show_as_overdue_and_are_prepared_only_in_move_in() {
    let app = spawn_app_with(|s| s.packages.overdue_after_days = 0).await;
    let alma = app.admin("Alma Admin", "alma@kommune.dk").await;
    let mover = |name: &str, email: &str| json!({ "name": name, "email": email, "areas": ["stege"] });
    let waiting = api_mover(&app, mover("Anna Quistgaard", "anna.q@example.dk")).await;
    let done = api_mover(&app, mover("Ole Quistgaard", "ole.q@example.dk")).await;
    let early = api_mover(&app, mover("Sara Lind", "sara@example.dk")).await;

    // Outside move-in: refused, nothing prepared.
    let refused = alma.on_case(&early, "welcome-package", &[("method", "collected"), ("details", "")]).await;
    assert_eq!(refused.status, StatusCode::CONFLICT, "{}", refused.body);
    assert!(!kinds(&alma.case_json(&early).await).contains(&"package_prepared".to_string()));

    for reference in [&waiting, &done] {
        on_case_ok(&alma, reference, "move-in", &[("move_in_date", &move_in_date()), ("move_in_area", "stege")]).await;
    }
    let no_one = alma.on_case(&waiting, "welcome-package", &[("method", "ambassador"), ("details", "")]).await;
    assert_eq!(no_one.status, StatusCode::CONFLICT, "delivery by an ambassador needs one");
    on_case_ok(&alma, &waiting, "welcome-package", &[("method", "local_council"), ("details", "")]).await;
    on_case_ok(&alma, &done, "welcome-package", &[("method", "collected"), ("details", "")]).await;
    on_case_ok(&alma, &done, "welcome-package/delivered", &[]).await;
    assert_eq!(alma.case_json(&done).await["stage"], "welcome_package");
    let again = alma.on_case(&done, "welcome-package", &[("method", "collected"), ("details", "")]).await;
    assert_eq!(again.status, StatusCode::CONFLICT, "past move-in");

    tokio::time::sleep(std::time::Duration::from_millis(5)).await;
    let overview = alma.browser.get("/admin/packages").await;
    assert_eq!(overview.status, StatusCode::OK);
    assert!(overview.contains(&format!("href=\"/cases/{waiting}\"")), "the undelivered package is overdue");
    assert!(!overview.contains(&format!("href=\"/cases/{done}\"")), "the delivered one is not");
    let page = alma.browser.get(&format!("/cases/{waiting}")).await;
    assert!(page.contains(&l10n("da", "pkg-overdue-badge")), "the case page marks it");
}

// ---------------------------------------------------------------------------
// 7. A password, if the ambassador wants one.
// ---------------------------------------------------------------------------

#[tokio::test]
async fn an_ambassador_may_set_a_password_and_log_in_with_it() {
    let app = spawn_app().await;
    let email = "astrid@stege-lokalraad.dk";
    let profile = velkomst::db::ambassadors::Profile {
        organisation: "Stege Lokalråd".into(),
        kind: "local_council".into(),
        phone: None,
        areas: vec!["stege".into()],
        interests: vec![],
    };
    let id = app
        .db
        .write(move |c| velkomst::db::ambassadors::create(c, email, "Astrid Holm", &profile))
        .await
        .expect("ambassador")
        .expect("new")
        .id;
    let (phone, _) = signed_in(&app, &craft_link(&app, &id, None, hours(1)).await).await;

    let form = phone.get("/ambassador/password").await;
    assert_eq!(form.status, StatusCode::OK);
    let short = phone
        .submit("/ambassador/password", "/ambassador/password", &[("password", "short"), ("password_again", "short")])
        .await;
    assert_eq!(short.status, StatusCode::UNPROCESSABLE_ENTITY);
    let password = "the harbour at Stege in spring";
    let mismatch = phone
        .submit("/ambassador/password", "/ambassador/password", &[("password", password), ("password_again", "nope")])
        .await;
    assert_eq!(mismatch.status, StatusCode::UNPROCESSABLE_ENTITY);
    let set = phone
        .submit("/ambassador/password", "/ambassador/password", &[("password", password), ("password_again", password)])
        .await;
    assert_eq!(set.status, StatusCode::OK, "{}", set.body);

    let laptop = app.browser();
    let wrong = laptop.login(email, "the harbour at Stege in autumn").await;
    assert_eq!(wrong.status, StatusCode::UNAUTHORIZED);
    let login = laptop.login(email, password).await;
    assert_eq!(login.status, StatusCode::SEE_OTHER, "{}", login.body);
    assert_eq!(login.location(), "/ambassador");
    assert_eq!(laptop.get("/ambassador").await.status, StatusCode::OK);
    assert_eq!(laptop.get("/login").await.location(), "/ambassador");
    assert_eq!(laptop.get("/cases").await.status, StatusCode::FORBIDDEN, "still no staff pages");
}
