//! Emails through a real SMTP exchange: the outbox, the worker, the
//! templates in both languages, and the faults that must cost only delay.

use std::collections::HashSet;
use std::time::{Duration, Instant};

use chrono::{Datelike, NaiveDate, NaiveDateTime, NaiveTime, TimeZone, Weekday};
use futures_util::StreamExt;
use reqwest::StatusCode;
use serde_json::{json, Value};
use velkomst::config::Settings;
use velkomst::db::outbox::OutboxEmail;
use velkomst::jobs::{Delivery, Worker};

use crate::helpers::{html_unescape, spawn_app_with, Staff, TestApp};
use crate::smtp::{free_port, Mode, Received, SmtpSink};

async fn app_with_sink() -> (TestApp, SmtpSink) {
    app_with_sink_and(|_| {}).await
}

/// The app delivering to a fresh sink, with further settings.
pub(crate) async fn app_with_sink_and(configure: impl FnOnce(&mut Settings)) -> (TestApp, SmtpSink) {
    let sink = SmtpSink::start().await;
    let url = sink.url();
    let app = spawn_app_with(move |s| {
        s.mail.smtp_url = Some(url);
        s.mail.retry_base_seconds = 60;
        s.mail.timeout_seconds = 5;
        configure(s);
    })
    .await;
    (app, sink)
}

pub(crate) fn now() -> NaiveDateTime {
    velkomst::db::now()
}

pub(crate) fn kinds(case: &Value) -> Vec<String> {
    case["timeline"]
        .as_array()
        .expect("timeline")
        .iter()
        .filter_map(|e| e["kind"].as_str().map(str::to_string))
        .collect()
}

pub(crate) fn count(kinds: &[String], kind: &str) -> usize {
    kinds.iter().filter(|k| *k == kind).count()
}

/// The timeline events of one kind.
fn events<'a>(case: &'a Value, kind: &str) -> Vec<&'a Value> {
    case["timeline"].as_array().expect("timeline").iter().filter(|e| e["kind"] == kind).collect()
}

/// A mover through the JSON API; returns the reference.
async fn api_mover(app: &TestApp, body: Value) -> String {
    let page = app.api_inquiry(&body).await;
    assert_eq!(page.status, StatusCode::CREATED, "{}", page.body);
    page.json()["reference"].as_str().expect("reference").to_string()
}

/// `n` movers through the JSON API, a few at a time.
async fn api_movers(app: &TestApp, n: usize, prefix: &str) -> Vec<String> {
    let bodies: Vec<Value> =
        (0..n).map(|i| json!({ "name": format!("Mover {i}"), "email": format!("{prefix}{i}@example.dk") })).collect();
    futures_util::stream::iter(bodies.iter().map(|b| api_mover(app, b.clone()))).buffer_unordered(8).collect().await
}

/// Delivery rounds at `at` until nothing is due; the rounds' sum.
pub(crate) async fn drain(worker: &Worker, at: NaiveDateTime) -> Delivery {
    let mut total = Delivery::default();
    for _ in 0..20 {
        let r = worker.deliver_due(at).await.expect("delivery round");
        if r == Delivery::default() {
            return total;
        }
        total.sent += r.sent;
        total.retrying += r.retrying;
        total.dead += r.dead;
    }
    panic!("still delivering after 20 rounds: {total:?}");
}

async fn outbox(app: &TestApp, status: &'static str) -> Vec<OutboxEmail> {
    app.db
        .read(move |c| velkomst::db::outbox::list(c, status, 1000))
        .await
        .expect("outbox list")
        .into_iter()
        .map(|(m, _)| m)
        .collect()
}

fn message_ids(received: &[Received]) -> HashSet<String> {
    received.iter().map(|m| m.header("Message-ID")).collect()
}

/// The only email to `address` whose subject contains `subject`.
pub(crate) fn one(sink: &SmtpSink, address: &str, subject: &str) -> Received {
    let found: Vec<Received> = sink.to(address).into_iter().filter(|m| m.header("Subject").contains(subject)).collect();
    let all: Vec<String> = sink.to(address).iter().map(|m| m.header("Subject")).collect();
    assert_eq!(found.len(), 1, "one email to {address} with {subject:?}; got {all:?}");
    found.into_iter().next().expect("one")
}

/// A property of the (first) VEVENT, lines unfolded.
fn ics_value(ics: &str, key: &str) -> String {
    let unfolded = ics.replace("\r\n ", "").replace("\n ", "");
    unfolded
        .lines()
        .find_map(|l| l.trim_end_matches('\r').strip_prefix(&format!("{key}:")).map(str::to_string))
        .unwrap_or_else(|| panic!("{key} in\n{ics}"))
}

pub(crate) fn copenhagen() -> chrono_tz::Tz {
    chrono_tz::Europe::Copenhagen
}

pub(crate) fn local_today() -> NaiveDate {
    chrono::Utc::now().with_timezone(&copenhagen()).date_naive()
}

/// A local wall-clock time in Copenhagen, as UTC.
pub(crate) fn local(date: NaiveDate, hour: u32, minute: u32) -> NaiveDateTime {
    let t = NaiveTime::from_hms_opt(hour, minute, 0).expect("time");
    copenhagen().from_local_datetime(&date.and_time(t)).earliest().expect("a valid local time").naive_utc()
}

fn ics_utc(t: NaiveDateTime) -> String {
    t.format("%Y%m%dT%H%M%SZ").to_string()
}

fn danish_date(d: NaiveDate) -> String {
    d.format("%d.%m.%Y").to_string()
}

/// The first `weekday` at least two days from today (local).
fn next(weekday: Weekday) -> NaiveDate {
    let mut d = local_today() + chrono::Duration::days(2);
    while d.weekday() != weekday {
        d += chrono::Duration::days(1);
    }
    d
}

pub(crate) async fn on_case_ok(staff: &Staff, reference: &str, action: &str, fields: &[(&str, &str)]) {
    let page = staff.on_case(reference, action, fields).await;
    assert_eq!(page.status, StatusCode::SEE_OTHER, "{action}: {}", page.body);
    assert_eq!(page.location(), format!("/cases/{reference}"));
}

async fn plan_visit(staff: &Staff, reference: &str, date: &str, time: &str, place: &str) {
    let fields = [
        ("visit_date", date),
        ("visit_time", time),
        ("visit_minutes", "90"),
        ("visit_place", place),
        ("visit_note", "Tag gode sko på."),
    ];
    on_case_ok(staff, reference, "visit", &fields).await;
}

/// The welcome package is prepared (`method`: collected | local_council;
/// the mover is told how it reaches them) and then delivered, which moves
/// the case to the welcome-package stage.
pub(crate) async fn welcome_package(staff: &Staff, reference: &str, method: &str, details: &str) {
    on_case_ok(staff, reference, "welcome-package", &[("method", method), ("details", details)]).await;
    on_case_ok(staff, reference, "welcome-package/delivered", &[]).await;
}

#[tokio::test]
async fn the_receipt_and_the_consultant_notice_arrive() {
    let (app, sink) = app_with_sink().await;
    let kim = app.consultant("Kim Konsulent", "kim@kommune.dk").await;
    let reference = app
        .mover_submits(&[
            ("name", "Åse <script>alert(1)</script>"),
            ("email", "aase@example.dk"),
            ("children", "2019"),
            ("areas", "praestoe"),
        ])
        .await;
    assert!(sink.received().is_empty(), "nothing is sent on the request thread");

    let report = app.worker().deliver_due(velkomst::db::now()).await.expect("delivery");
    assert_eq!(report.sent, 2);

    let receipt = sink.to("aase@example.dk");
    assert_eq!(receipt.len(), 1);
    let m = &receipt[0];
    assert!(m.header("Subject").contains(&reference) || m.text().contains(&reference));
    assert!(m.header("Message-ID").starts_with('<') && m.header("Message-ID").ends_with("@127.0.0.1>"));
    assert!(m.text().contains("Kim Konsulent"), "the receipt names the consultant");
    assert!(m.html().contains("&lt;script&gt;") && !m.html().contains("<script>"), "escaped in HTML");
    assert!(m.header("Reply-To").contains("kim@kommune.dk"));
    let notice = sink.to("kim@kommune.dk");
    assert_eq!(notice.len(), 1);
    assert!(notice[0].text().contains(&format!("/cases/{reference}")));

    let case = kim.case_json(&reference).await;
    let kinds: Vec<&str> =
        case["timeline"].as_array().expect("timeline").iter().filter_map(|e| e["kind"].as_str()).collect();
    assert_eq!(kinds.iter().filter(|k| **k == "email_queued").count(), 2);
    assert_eq!(kinds.iter().filter(|k| **k == "email_sent").count(), 2);
    assert_eq!(kim.browser.get(&format!("/cases/{reference}")).await.status, StatusCode::OK);
}

// Fixed (was a bug): Reply-To was built with format!, so a consultant named
// "Hansen, Kim" made every email to their movers, receipts included, fail
// to build and go straight to dead.
#[tokio::test]
async fn a_consultant_with_a_comma_or_parentheses_in_the_name_gets_the_replies() {
    let (app, sink) = app_with_sink().await;
    let admin = app.admin("Mette", "mette@kommune.dk").await;
    let hansen = app.consultant("Hansen, Kim", "kim@kommune.dk").await;
    let vikar = app.consultant("Anne Jensen (vikar)", "anne@kommune.dk").await;
    let token = admin.browser.get("/admin/areas").await.csrf_token();
    let areas = [("csrf_token", token.as_str()), ("area_stege", &hansen.id), ("area_praestoe", &vikar.id)];
    assert_eq!(admin.browser.post_form("/admin/areas", &areas).await.status, StatusCode::SEE_OTHER);
    let first = app.mover_submits(&[("name", "Åse"), ("email", "aase@example.dk"), ("areas", "stege")]).await;
    let second = app.mover_submits(&[("name", "Bo"), ("email", "bo@example.dk"), ("areas", "praestoe")]).await;
    assert_eq!(hansen.case_json(&first).await["assignee_name"], "Hansen, Kim");

    let report = drain(&app.worker(), now()).await;
    assert_eq!((report.sent, report.dead), (4, 0), "receipts and notices all sent: {report:?}");
    for (mover, name, address, reference) in [
        ("aase@example.dk", "Hansen, Kim", "kim@kommune.dk", &first),
        ("bo@example.dk", "Anne Jensen (vikar)", "anne@kommune.dk", &second),
    ] {
        let receipt = one(&sink, mover, reference);
        let reply_to = mailparse::addrparse_header(
            receipt.parsed().headers.iter().find(|h| h.get_key() == "Reply-To").expect("a Reply-To header"),
        )
        .expect("Reply-To parses");
        let Some(mailparse::MailAddr::Single(single)) = reply_to.first() else {
            panic!("one mailbox in Reply-To: {}", receipt.header("Reply-To"))
        };
        assert_eq!(single.addr, address);
        assert_eq!(single.display_name.as_deref(), Some(name), "{}", receipt.header("Reply-To"));
    }
}

// Fixed (was a bug): a visit on +262142-12-31 (the last date chrono knows)
// panicked while building the calendar invitation (500), and year 100000
// was accepted. Dates outside a sane window are a 422 at the field.
#[tokio::test]
async fn visit_and_move_in_dates_far_out_are_refused_at_the_field() {
    let app = spawn_app_with(|_| {}).await;
    let kim = app.consultant("Kim", "kim@kommune.dk").await;
    let reference = app.mover_submits(&[("name", "Åse"), ("email", "aase@example.dk")]).await;
    let far = (local_today() + chrono::Duration::days(5 * 366 + 2)).format("%Y-%m-%d").to_string();
    for date in ["+262142-12-31", "262142-12-31", "100000-01-01", far.as_str()] {
        let fields =
            [("visit_date", date), ("visit_time", "14:00"), ("visit_minutes", "90"), ("visit_place", "Torvet")];
        let page = kim.on_case(&reference, "visit", &fields).await;
        assert_eq!(page.status, StatusCode::UNPROCESSABLE_ENTITY, "{date}: {}", page.status);
        assert!(page.contains("id=\"error-visit_date\""), "{date}: the message stands at the date");
        assert!(page.contains(&format!("value=\"{date}\"")), "{date}: what was typed is kept");
        assert!(page.contains("value=\"Torvet\""), "{date}: the rest is kept too");
    }
    let long_ago = (local_today() - chrono::Duration::days(366 + 2)).format("%Y-%m-%d").to_string();
    for date in ["+262142-12-31", "-262143-01-01", "100000-01-01", far.as_str(), long_ago.as_str()] {
        let page = kim.on_case(&reference, "move-in", &[("move_in_date", date), ("move_in_area", "stege")]).await;
        assert_eq!(page.status, StatusCode::UNPROCESSABLE_ENTITY, "{date}: {}", page.status);
        assert!(page.contains("id=\"error-move_in_date\""), "{date}: the message stands at the date");
        assert!(page.contains(&format!("value=\"{date}\"")), "{date}: what was typed is kept");
    }
    let case = kim.case_json(&reference).await;
    assert_eq!(case["stage"], "information", "nothing was planned or recorded");
    assert_eq!(count(&kinds(&case), "visit_planned") + count(&kinds(&case), "move_in_recorded"), 0);

    // Inside the window both still work, up to a year back for a move-in.
    plan_visit(&kim, &reference, &(local_today() + chrono::Duration::days(4 * 365)).to_string(), "14:00", "Torvet")
        .await;
    let last_year = (local_today() - chrono::Duration::days(300)).to_string();
    on_case_ok(&kim, &reference, "move-in", &[("move_in_date", &last_year), ("move_in_area", "stege")]).await;
    assert_eq!(kim.case_json(&reference).await["stage"], "move_in");
}

/// One household of the template matrix and what its emails must say.
struct Household {
    email: &'static str,
    lang: &'static str,
    children: bool,
    job_help: bool,
    build: bool,
}

#[tokio::test]
async fn receipts_and_information_packs_fit_the_language_and_the_household() {
    let (app, sink) = app_with_sink().await;
    let kim = app.consultant("Kim Konsulent", "kim@kommune.dk").await;
    let households = [
        Household { email: "da-kids@example.dk", lang: "da", children: true, job_help: true, build: true },
        Household { email: "da-alone@example.dk", lang: "da", children: false, job_help: false, build: false },
        Household { email: "en-kids@example.com", lang: "en", children: true, job_help: false, build: true },
        Household { email: "en-alone@example.com", lang: "en", children: false, job_help: true, build: false },
    ];
    let mut references = Vec::new();
    for h in &households {
        let reference = if h.lang == "en" && h.children {
            // One through the public form, the rest through the API.
            let mut fields = vec![
                ("name", "John Smith"),
                ("email", h.email),
                ("language", "en"),
                ("children", "2018"),
                ("areas", "stege"),
                ("housing", if h.build { "build" } else { "buy" }),
            ];
            if h.job_help {
                fields.push(("job_help", "true"));
            }
            app.mover_submits(&fields).await
        } else {
            let children: Vec<i32> = if h.children { vec![2017, 2021] } else { vec![] };
            api_mover(
                &app,
                json!({
                    "name": "Anna Hansen", "email": h.email, "language": h.lang, "children": children,
                    "job_help": h.job_help, "housing": if h.build { "build" } else { "rent" }, "areas": ["praestoe"],
                }),
            )
            .await
        };
        on_case_ok(&kim, &reference, "information-pack", &[("note", "Tak for snakken i dag.")]).await;
        references.push(reference);
    }
    let report = drain(&app.worker(), now()).await;
    assert_eq!(report, Delivery { sent: 3 * households.len(), retrying: 0, dead: 0 }, "receipt, notice, pack each");

    for (h, reference) in households.iter().zip(&references) {
        let what = format!("{} ({reference})", h.email);
        let en = h.lang == "en";
        let receipt = one(&sink, h.email, reference);
        assert_eq!(receipt.from, "velkomst@localhost", "{what}: the envelope sender is mail.from");
        assert!(receipt.header("From").contains("velkomst@localhost"), "{what}");
        assert!(receipt.header("Content-Type").starts_with("multipart/alternative"), "{what}");
        let subtypes: Vec<String> = receipt.parsed().subparts.iter().map(|p| p.ctype.mimetype.clone()).collect();
        assert_eq!(subtypes, ["text/plain", "text/html"], "{what}");
        let (text, html) = (receipt.text(), receipt.html());
        let thanks = if en { "Thank you for your inquiry" } else { "Tak for din henvendelse" };
        assert!(text.contains(thanks) && html.contains(thanks), "{what}: {text}");
        assert!(html.contains(&format!("<html lang=\"{}\">", h.lang)), "{what}");
        let other = if en { "Tak for din henvendelse" } else { "Thank you for your inquiry" };
        assert!(!text.contains(other) && !html.contains(other), "{what}: one language only");
        assert!(text.contains(reference) && html.contains(reference), "{what}");
        // Daycare and schools are mentioned only to a household with children.
        let kids = if en { "daycare" } else { "dagtilbud" };
        assert_eq!(text.to_lowercase().contains(kids), h.children, "{what}: {text}");
        assert_eq!(html.to_lowercase().contains(kids), h.children, "{what}");

        let pack_subject = if en { "Information about moving to" } else { "Information om at flytte til" };
        let pack = one(&sink, h.email, pack_subject);
        let (text, html) = (pack.text(), pack.html());
        assert!(text.contains("Tak for snakken i dag.") && html.contains("Tak for snakken i dag."), "{what}");
        assert!(html.contains(&format!("<html lang=\"{}\">", h.lang)), "{what}");
        let general = if en { "Housing and settling in" } else { "Bolig og bosætning" };
        assert!(text.contains(general) && html.contains(general), "{what}");
        let sections = [
            (if en { "Daycare and schools" } else { "Dagtilbud og skoler" }, "/borger/skole", h.children),
            (if en { "Jobs and commuting" } else { "Job og pendling" }, "/borger/job/jobcenter", h.job_help),
            (if en { "Building plots for sale" } else { "Byggegrunde til salg" }, "/bolig/byggegrunde", h.build),
        ];
        for (heading, link, wanted) in sections {
            assert_eq!(text.contains(heading), wanted, "{what}: {heading:?} in\n{text}");
            assert_eq!(html.contains(heading), wanted, "{what}: {heading:?} in HTML");
            assert_eq!(text.contains(link), wanted, "{what}: {link:?} in\n{text}");
        }
    }
}

#[tokio::test]
async fn a_case_walks_through_every_email_in_danish_with_calendar_invitations() {
    let (app, sink) = app_with_sink().await;
    let kim = app.consultant("Kim Konsulent", "kim@kommune.dk").await;
    let worker = app.worker();
    let mover = "aero@example.dk";
    let reference = app
        .mover_submits(&[
            ("name", "Familien Ærø"),
            ("email", mover),
            ("children", "2019"),
            ("areas", "stege"),
            ("language", "da"),
        ])
        .await;
    on_case_ok(&kim, &reference, "information-pack", &[("note", "Her er det, vi talte om.")]).await;
    assert_eq!(drain(&worker, now()).await.sent, 3);

    // The visit: an invitation with a calendar file.
    let day = local_today() + chrono::Duration::days(20);
    let date = day.format("%Y-%m-%d").to_string();
    plan_visit(&kim, &reference, &date, "14:00", "Stege Torv").await;
    assert_eq!(drain(&worker, now()).await.sent, 1);
    let invitation = one(&sink, mover, "Invitation til besøg");
    assert_eq!(invitation.header("Subject"), format!("Invitation til besøg den {} kl. 14:00", danish_date(day)));
    assert!(invitation.text().contains("Mødested: Stege Torv") && invitation.html().contains("Stege Torv"));
    assert!(invitation.text().contains("Tag gode sko på."));
    assert!(invitation.header("Reply-To").contains("kim@kommune.dk"));
    let ics = invitation.calendar().expect("a text/calendar part");
    assert_eq!(ics_value(&ics, "METHOD"), "REQUEST");
    assert_eq!(ics_value(&ics, "SEQUENCE"), "0");
    assert_eq!(ics_value(&ics, "DTSTART"), ics_utc(local(day, 14, 0)), "14:00 in Copenhagen, in UTC");
    assert_eq!(ics_value(&ics, "DTEND"), ics_utc(local(day, 15, 30)));
    assert_eq!(ics_value(&ics, "LOCATION"), "Stege Torv");
    assert!(ics_value(&ics, "ATTENDEE;CN=\"Familien Ærø\";ROLE=REQ-PARTICIPANT;RSVP=FALSE").ends_with(mover));
    let uid = ics_value(&ics, "UID");
    assert!(uid.len() > 5, "{uid}");
    let calendar_part = invitation.data.to_ascii_lowercase();
    assert!(calendar_part.contains("text/calendar") && calendar_part.contains("method=request"));

    // Changed: an update, same UID, next sequence.
    plan_visit(&kim, &reference, &date, "15:00", "Stege Kirke").await;
    assert_eq!(drain(&worker, now()).await.sent, 1);
    let update = one(&sink, mover, "Ændret besøg");
    assert!(update.text().contains("kl. 15:00") && update.text().contains("Stege Kirke"), "{}", update.text());
    let ics = update.calendar().expect("calendar");
    assert_eq!(ics_value(&ics, "METHOD"), "REQUEST");
    assert_eq!(ics_value(&ics, "UID"), uid);
    assert_eq!(ics_value(&ics, "SEQUENCE"), "1");
    assert_eq!(ics_value(&ics, "DTSTART"), ics_utc(local(day, 15, 0)));

    // Cancelled: same UID, higher sequence, METHOD:CANCEL.
    on_case_ok(&kim, &reference, "visit/cancel", &[]).await;
    assert_eq!(drain(&worker, now()).await.sent, 1);
    let cancelled = one(&sink, mover, "er aflyst");
    let ics = cancelled.calendar().expect("calendar");
    assert_eq!(ics_value(&ics, "METHOD"), "CANCEL");
    assert_eq!(ics_value(&ics, "STATUS"), "CANCELLED");
    assert_eq!(ics_value(&ics, "UID"), uid);
    assert_eq!(ics_value(&ics, "SEQUENCE"), "2");
    assert!(cancelled.data.to_ascii_lowercase().contains("method=cancel"));

    // Planned again: a new invitation.
    plan_visit(&kim, &reference, &date, "14:00", "Stege Torv").await;
    assert_eq!(drain(&worker, now()).await.sent, 1);
    let invitations = sink.to(mover).into_iter().filter(|m| m.header("Subject").starts_with("Invitation")).count();
    assert_eq!(invitations, 2);
    let again = sink.to(mover).into_iter().last().expect("the new invitation");
    let ics = again.calendar().expect("calendar");
    assert_eq!(ics_value(&ics, "METHOD"), "REQUEST");
    assert_eq!(ics_value(&ics, "DTSTART"), ics_utc(local(day, 14, 0)));

    // Moved in: the welcome email with the checklist and the date.
    let moved = local_today() + chrono::Duration::days(40);
    let moved_s = moved.format("%Y-%m-%d").to_string();
    on_case_ok(&kim, &reference, "move-in", &[("move_in_date", &moved_s), ("move_in_area", "stege")]).await;
    assert_eq!(drain(&worker, now()).await.sent, 1);
    let welcome = one(&sink, mover, "Velkommen til");
    let text = welcome.text();
    assert!(text.contains("Velkommen til Vordingborg Kommune og til Stege"), "{text}");
    assert!(text.contains(&format!("Vi har noteret {} som din indflytningsdato", danish_date(moved))), "{text}");
    for item in ["Meld flytning", "Læge", "Dagtilbud og skole", "Affald", "Bibliotek", "Foreninger"] {
        assert!(text.contains(item), "checklist item {item:?}: {text}");
    }
    assert!(welcome.html().contains(&danish_date(moved)) && welcome.html().contains("<html lang=\"da\">"));

    // The welcome package, to be collected.
    let details = "Pakken indeholder et kort over Stege.";
    welcome_package(&kim, &reference, "collected", details).await;
    assert_eq!(drain(&worker, now()).await.sent, 1);
    let package = one(&sink, mover, "Din velkomstpakke");
    assert!(package.text().contains("Borgerservice, Vordingborg Rådhus, Valdemarsgade 43"), "{}", package.text());
    assert!(package.text().contains(details) && package.html().contains("Valdemarsgade 43"));

    let case = kim.case_json(&reference).await;
    assert_eq!(case["stage"], "welcome_package");
    let k = kinds(&case);
    let emails = 9; // receipt, notice, pack, invitation, update, cancellation, invitation, welcome, package
    assert_eq!(sink.received().len(), emails);
    assert_eq!(count(&k, "email_queued"), emails, "{k:?}");
    assert_eq!(count(&k, "email_sent"), emails, "{k:?}");
    assert_eq!(count(&k, "email_failed") + count(&k, "email_dead"), 0);
    assert_eq!(count(&k, "visit_planned"), 2);
    assert_eq!(count(&k, "visit_changed"), 1);
    assert_eq!(count(&k, "visit_cancelled"), 1);
    let templates: Vec<&str> = events(&case, "email_sent").iter().filter_map(|e| e["template"].as_str()).collect();
    for t in ["receipt", "information_pack", "visit_invitation", "visit_update", "visit_cancelled", "welcome"] {
        assert!(templates.contains(&t), "{t} in {templates:?}");
    }
    assert!(templates.contains(&"welcome_package"));
}

#[tokio::test]
async fn an_english_mover_is_welcomed_in_english() {
    let (app, sink) = app_with_sink().await;
    let kim = app.consultant("Kim Konsulent", "kim@kommune.dk").await;
    let mover = "john@example.com";
    let reference = api_mover(
        &app,
        json!({ "name": "John Smith", "email": mover, "language": "en", "areas": ["praestoe"], "housing": "buy" }),
    )
    .await;
    // The visit is skipped: the move-in is recorded straight from information.
    let moved = local_today() + chrono::Duration::days(30);
    let moved_s = moved.format("%Y-%m-%d").to_string();
    on_case_ok(&kim, &reference, "move-in", &[("move_in_date", &moved_s), ("move_in_area", "praestoe")]).await;
    welcome_package(&kim, &reference, "local_council", "").await;
    assert_eq!(drain(&app.worker(), now()).await.sent, 4, "receipt, notice, welcome, package");

    // English emails name the municipality in English, throughout.
    let welcome = one(&sink, mover, "Welcome to Vordingborg Municipality");
    let (text, html) = (welcome.text(), welcome.html());
    assert!(text.contains("Welcome to Vordingborg Municipality and to Præstø"), "{text}");
    assert!(!text.contains("Kommune") && !html.contains("Kommune"), "{text}");
    assert!(text.contains(&format!("We have noted {} as your move-in date", danish_date(moved))), "{text}");
    for item in ["Register your move", "Doctor", "Waste", "Library", "Associations"] {
        assert!(text.contains(item), "checklist item {item:?}: {text}");
    }
    assert!(!text.contains("Daycare and school"), "no children, no daycare item: {text}");
    assert!(html.contains("<html lang=\"en\">") && html.contains("Dear John Smith"), "{html}");
    assert!(!text.contains("Velkommen"), "{text}");

    let package = one(&sink, mover, "Your welcome package");
    assert!(package.text().contains("It will be brought to you."), "{}", package.text());
    assert!(!package.text().contains("Valdemarsgade"), "delivered, not collected");

    let case = kim.case_json(&reference).await;
    assert_eq!(case["stage"], "welcome_package");
    assert_eq!(count(&kinds(&case), "visit_skipped"), 1);
    assert_eq!(count(&kinds(&case), "email_sent"), 4);
}

#[tokio::test]
async fn a_consultant_writes_an_email_previews_it_and_the_reply_goes_to_them() {
    let (app, sink) = app_with_sink().await;
    let kim = app.consultant("Kim Konsulent", "kim@kommune.dk").await;
    let lis = app.consultant("Lis Lund", "lis@kommune.dk").await;
    let mover = "anna@example.dk";
    let reference = api_mover(&app, json!({ "name": "Anna", "email": mover })).await;
    assert_eq!(kim.case_json(&reference).await["assignee"], kim.id.as_str(), "the first consultant has it");

    let path = format!("/cases/{reference}/email");
    let compose = lis.browser.get(&path).await;
    assert_eq!(compose.status, StatusCode::OK);
    assert!(compose.contains(mover));
    let subject = "Huse til salg i Stege";
    let body = "Hej Anna\n\nDer er to <b>nye</b> huse til salg.\nVenlig hilsen Lis";
    let preview =
        lis.browser.submit(&path, &path, &[("subject", subject), ("body", body), ("action", "preview")]).await;
    assert_eq!(preview.status, StatusCode::OK, "{}", preview.body);
    assert!(preview.contains("id=\"preview-heading\""), "the preview is shown");
    let shown = html_unescape(&preview.body);
    assert!(shown.contains(subject) && shown.contains("Der er to <b>nye</b> huse til salg."));
    assert!(!preview.body.contains("<b>nye</b>"), "typed markup is escaped on the page");
    assert_eq!(drain(&app.worker(), now()).await.sent, 2, "a preview queues nothing");

    let sent = lis.browser.submit(&path, &path, &[("subject", subject), ("body", body), ("action", "send")]).await;
    assert_eq!(sent.status, StatusCode::SEE_OTHER, "{}", sent.body);
    assert_eq!(sent.location(), format!("/cases/{reference}"));
    assert_eq!(drain(&app.worker(), now()).await.sent, 1);

    let m = one(&sink, mover, subject);
    assert_eq!(m.header("Subject"), subject);
    let reply_to = m.header("Reply-To");
    assert!(reply_to.contains("lis@kommune.dk") && reply_to.contains("Lis Lund"), "{reply_to}");
    let text = m.text().replace("\r\n", "\n");
    assert!(text.contains("Der er to <b>nye</b> huse til salg.\nVenlig hilsen Lis"), "{text}");
    let html = m.html();
    assert!(html.contains("Der er to &lt;b&gt;nye&lt;&#x2F;b&gt; huse til salg."), "{html}");
    assert!(!html.contains("<b>"), "{html}");
    assert!(m.header("Content-Type").starts_with("multipart/alternative"));

    let k = kinds(&kim.case_json(&reference).await);
    assert_eq!(count(&k, "email_sent"), 3);
}

#[tokio::test]
async fn a_dead_mail_server_costs_only_delay_for_200_receipts() {
    let port = free_port();
    let app = spawn_app_with(move |s| {
        s.mail.smtp_url = Some(format!("smtp://127.0.0.1:{port}"));
        s.mail.retry_base_seconds = 60;
        s.mail.timeout_seconds = 2;
    })
    .await;
    let references = api_movers(&app, 200, "m").await;
    let worker = app.worker();
    let t0 = now();
    let round = worker.deliver_due(t0).await.expect("a round with the server down");
    assert_eq!(round, Delivery { sent: 0, retrying: 200, dead: 0 });
    let pending = outbox(&app, "pending").await;
    assert_eq!(pending.len(), 200);
    assert!(pending.iter().all(|m| m.attempts == 1 && m.next_attempt_at > t0 && m.last_error.is_some()));
    assert_eq!(worker.deliver_due(t0).await.expect("round"), Delivery::default(), "backing off");

    let admin = app.admin("Ada Admin", "ada@kommune.dk").await;
    for reference in [&references[0], &references[199]] {
        let case = admin.case_json(reference).await;
        let failed = events(&case, "email_failed");
        assert_eq!(failed.len(), 1, "{:?}", kinds(&case));
        assert!(failed[0]["reason"].as_str().is_some_and(|r| !r.is_empty()), "{}", failed[0]);
    }

    // The server comes back on its port.
    let sink = SmtpSink::start_on(port).await;
    let later = t0 + chrono::Duration::days(1);
    let total = drain(&worker, later).await;
    assert_eq!(total, Delivery { sent: 200, retrying: 0, dead: 0 });
    let received = sink.received();
    assert_eq!(received.len(), 200, "each receipt once");
    assert_eq!(message_ids(&received).len(), 200);
    let recipients: HashSet<String> = received.iter().flat_map(|m| m.to.clone()).collect();
    assert_eq!(recipients.len(), 200);
    assert_eq!(outbox(&app, "sent").await.len(), 200);
    assert_eq!(drain(&worker, later + chrono::Duration::days(1)).await, Delivery::default());
    assert_eq!(sink.received().len(), 200);
    let case = admin.case_json(&references[7]).await;
    assert_eq!(count(&kinds(&case), "email_sent"), 1);
}

#[tokio::test]
async fn a_5xx_reply_is_dead_at_once_shown_on_the_case_and_an_admin_retries_it() {
    let (app, sink) = app_with_sink().await;
    sink.set_mode(Mode::Reject);
    let kim = app.consultant("Kim Konsulent", "kim@kommune.dk").await;
    let ada = app.admin("Ada Admin", "ada@kommune.dk").await;
    let mover = "bo@example.dk";
    let reference = api_mover(&app, json!({ "name": "Bo", "email": mover })).await;
    let worker = app.worker();
    assert_eq!(worker.deliver_due(now()).await.expect("round"), Delivery { sent: 0, retrying: 0, dead: 2 });
    assert!(sink.received().is_empty());

    let case = kim.case_json(&reference).await;
    let dead = events(&case, "email_dead");
    assert_eq!(dead.len(), 2, "{:?}", kinds(&case));
    assert!(dead[0]["reason"].as_str().expect("reason").contains("rejected by policy"), "{}", dead[0]);
    let page = kim.browser.get(&format!("/cases/{reference}")).await;
    assert!(page.contains("id=\"mail-problem\""), "the case page flags it");
    let queue = kim.queue("").await;
    let row = queue.body.split("<tr").find(|r| r.contains(&reference)).expect("the case in the queue");
    assert!(row.contains("badge-warning"), "the queue flags it: {row}");

    let list = ada.browser.get("/admin/outbox?status=dead").await;
    assert_eq!(list.status, StatusCode::OK);
    let row = list.body.split("<tr").find(|r| r.contains(mover)).expect("the receipt listed as dead").to_string();
    assert!(row.contains("rejected by policy"), "with the error: {row}");
    let action = row.split("action=\"").nth(1).and_then(|r| r.split('"').next()).expect("a retry form");
    assert!(action.starts_with("/admin/outbox/") && action.ends_with("/retry"), "{action}");
    let retried = ada.browser.post_form(action, &[("csrf_token", &list.csrf_token())]).await;
    assert_eq!(retried.status, StatusCode::SEE_OTHER, "{}", retried.body);
    let pending = outbox(&app, "pending").await;
    assert_eq!(pending.len(), 1);
    assert_eq!(pending[0].recipient, mover);
    assert_eq!(kim.browser.get("/admin/outbox?status=dead").await.status, StatusCode::FORBIDDEN);

    sink.set_mode(Mode::Accept);
    assert_eq!(worker.deliver_due(now()).await.expect("round"), Delivery { sent: 1, retrying: 0, dead: 0 });
    assert_eq!(sink.to(mover).len(), 1);
    assert_eq!(sink.to(mover)[0].header("Message-ID"), pending[0].message_id, "the same message");
    assert_eq!(outbox(&app, "dead").await.len(), 1, "the notice not retried stays dead");
    let case = kim.case_json(&reference).await;
    assert_eq!(count(&kinds(&case), "email_sent"), 1);
    assert!(kim.browser.get(&format!("/cases/{reference}")).await.contains("id=\"mail-problem\""));

    // The notice too: then nothing is flagged any more.
    let list = ada.browser.get("/admin/outbox?status=dead").await;
    let row = list.body.split("<tr").find(|r| r.contains("kim@kommune.dk")).expect("the notice listed as dead");
    let action = row.split("action=\"").nth(1).and_then(|r| r.split('"').next()).expect("a retry form");
    let retried = ada.browser.post_form(action, &[("csrf_token", &list.csrf_token())]).await;
    assert_eq!(retried.status, StatusCode::SEE_OTHER);
    assert_eq!(worker.deliver_due(now()).await.expect("round").sent, 1);
    assert!(outbox(&app, "dead").await.is_empty());
    assert!(!kim.browser.get(&format!("/cases/{reference}")).await.contains("id=\"mail-problem\""));
    let queue = kim.queue("").await;
    let row = queue.body.split("<tr").find(|r| r.contains(&reference)).expect("the case in the queue");
    assert!(!row.contains("badge-warning"), "{row}");
    assert_eq!(
        ada.browser.post_form(action, &[("csrf_token", &list.csrf_token())]).await.status,
        StatusCode::NOT_FOUND
    );
}

#[tokio::test]
async fn a_4xx_reply_is_retried_with_backoff_until_the_give_up_time() {
    let (app, sink) = app_with_sink().await;
    sink.set_mode(Mode::Defer);
    let reference = api_mover(&app, json!({ "name": "Bo", "email": "bo@example.dk" })).await;
    let worker = app.worker();
    let t0 = now();
    assert_eq!(worker.deliver_due(t0).await.expect("round"), Delivery { sent: 0, retrying: 1, dead: 0 });
    let first = outbox(&app, "pending").await.pop().expect("still pending");
    assert_eq!(first.attempts, 1);
    let wait = first.next_attempt_at - t0;
    assert!(wait >= chrono::Duration::seconds(30) && wait <= chrono::Duration::seconds(90), "{wait}");
    assert!(first.last_error.as_deref().is_some_and(|e| e.contains("451") || e.contains("try again")), "{first:?}");
    assert_eq!(worker.deliver_due(t0).await.expect("round"), Delivery::default(), "not due again yet");

    let t1 = first.next_attempt_at;
    assert_eq!(worker.deliver_due(t1).await.expect("round").retrying, 1);
    let second = outbox(&app, "pending").await.pop().expect("still pending");
    assert_eq!(second.attempts, 2);
    assert!(second.next_attempt_at - t1 >= chrono::Duration::seconds(60), "the wait doubles");

    let give_up =
        first.created_at + chrono::Duration::hours(i64::try_from(app.settings.mail.give_up_hours).expect("hours"));
    assert_eq!(worker.deliver_due(give_up - chrono::Duration::minutes(1)).await.expect("round").retrying, 1);
    assert_eq!(
        worker.deliver_due(give_up + chrono::Duration::hours(1)).await.expect("round"),
        Delivery { sent: 0, retrying: 0, dead: 1 }
    );
    let dead = outbox(&app, "dead").await;
    assert_eq!(dead.len(), 1);
    assert!(dead[0].last_error.as_deref().is_some_and(|e| e.contains("gave up")), "{:?}", dead[0].last_error);
    let admin = app.admin("Ada Admin", "ada@kommune.dk").await;
    let k = kinds(&admin.case_json(&reference).await);
    assert_eq!(count(&k, "email_failed"), 3, "{k:?}");
    assert_eq!(count(&k, "email_dead"), 1, "{k:?}");
    assert!(sink.received().is_empty());
}

#[tokio::test]
async fn a_killed_workers_lease_expires_and_its_emails_go_out_once() {
    let (app, sink) = app_with_sink().await;
    api_movers(&app, 10, "k").await;
    let t0 = now();
    let lease = chrono::Duration::seconds(120);
    let claimed = app
        .db
        .write(move |c| velkomst::db::outbox::claim(c, "killed-worker", t0, lease, 10))
        .await
        .expect("the doomed worker claims");
    assert_eq!(claimed.len(), 10);
    // ... and dies without recording anything.

    let worker = app.worker();
    assert_eq!(worker.deliver_due(t0).await.expect("round"), Delivery::default(), "the lease holds");
    assert_eq!(
        worker.deliver_due(t0 + lease - chrono::Duration::seconds(1)).await.expect("round"),
        Delivery::default()
    );
    assert!(sink.received().is_empty());
    let after = t0 + lease + chrono::Duration::seconds(1);
    assert_eq!(worker.deliver_due(after).await.expect("round"), Delivery { sent: 10, retrying: 0, dead: 0 });
    assert_eq!(drain(&worker, after + chrono::Duration::hours(1)).await, Delivery::default());
    let received = sink.received();
    assert_eq!(received.len(), 10);
    let expected: HashSet<String> = claimed.iter().map(|m| m.message_id.clone()).collect();
    assert_eq!(message_ids(&received), expected);
    assert!(outbox(&app, "sent").await.iter().all(|m| m.attempts == 2 && m.lease_until.is_none()));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn two_workers_on_one_database_send_each_email_once() {
    let (app, sink) = app_with_sink_and(|s| s.mail.batch_size = 5).await;
    api_movers(&app, 100, "w").await;
    let (a, b) = (app.worker(), app.worker());
    let t0 = now();
    let (ra, rb) = tokio::join!(a.deliver_due(t0), b.deliver_due(t0));
    let (ra, rb) = (ra.expect("worker a"), rb.expect("worker b"));
    assert_eq!(ra.sent + rb.sent, 100, "a: {ra:?}, b: {rb:?}");
    assert_eq!(ra.retrying + ra.dead + rb.retrying + rb.dead, 0);
    // Racing again over nothing is harmless.
    let (ra, rb) = tokio::join!(a.deliver_due(t0), b.deliver_due(t0));
    assert_eq!((ra.expect("a"), rb.expect("b")), (Delivery::default(), Delivery::default()));
    let received = sink.received();
    assert_eq!(message_ids(&received).len(), 100);
    assert_eq!(received.len(), 100, "no email twice");
    assert_eq!(outbox(&app, "sent").await.len(), 100);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_hanging_mail_server_neither_stalls_the_worker_nor_slows_intake() {
    // The round is stuck for up to 2 × timeout per email; the timeout is long
    // enough that ten inquiries fit inside it on a busy machine.
    let timeout = 10;
    let (app, sink) = app_with_sink_and(|s| s.mail.timeout_seconds = timeout).await;
    sink.set_mode(Mode::Hang);
    api_movers(&app, 4, "h").await;
    let worker = app.worker();
    let started = Instant::now();
    let round = tokio::spawn(async move { worker.deliver_due(now()).await });
    sink.until_hanging(1).await;

    // Every inquiry is received while the round is still stuck on the server:
    // the intake never waits for mail.
    for i in 0..10 {
        let email = format!("fast{i}@example.dk");
        if i % 2 == 0 {
            app.mover_submits(&[("name", "Hurtig"), ("email", &email)]).await;
        } else {
            api_mover(&app, json!({ "name": "Hurtig", "email": email })).await;
        }
        assert!(!round.is_finished(), "inquiry {i} was received while the round was stuck on the server");
    }

    let report = tokio::time::timeout(Duration::from_secs(120), round)
        .await
        .expect("the round ends by itself")
        .expect("task")
        .expect("round");
    assert_eq!(report, Delivery { sent: 0, retrying: 4, dead: 0 });
    // Bounded by the timeout (one connect plus one send per email, senders in
    // parallel), with room for a busy machine.
    let bound = Duration::from_secs(2 * timeout + 30);
    assert!(started.elapsed() < bound, "bounded by the timeout: {:?}", started.elapsed());
    let pending = outbox(&app, "pending").await;
    assert_eq!(pending.len(), 14, "nothing lost");
    assert_eq!(pending.iter().filter(|m| m.attempts == 1 && m.last_error.is_some()).count(), 4);

    sink.set_mode(Mode::Accept);
    let total = drain(&app.worker(), now() + chrono::Duration::days(1)).await;
    assert_eq!(total.sent, 14, "{total:?}");
    assert_eq!(message_ids(&sink.received()).len(), 14);
    assert_eq!(sink.received().len(), 14);
}

#[tokio::test]
async fn the_visit_offer_follows_up_a_case_still_in_information_and_is_cancelled_by_a_stage_change() {
    let (app, sink) = app_with_sink().await;
    let kim = app.consultant("Kim Konsulent", "kim@kommune.dk").await;
    let waiting =
        api_mover(&app, json!({ "name": "Anna", "email": "anna@example.dk", "areas": ["stege"], "children": [2020] }))
            .await;
    let moving = api_mover(&app, json!({ "name": "Bo", "email": "bo@example.dk", "language": "en" })).await;
    let t0 = now();
    let case = kim.case_json(&waiting).await;
    let scheduled = events(&case, "followup_scheduled");
    assert_eq!(scheduled.len(), 1);
    assert_eq!(scheduled[0]["rule"], "visit_offer");

    assert_eq!(kim.move_case(&moving, "move:visit", "").await.status, StatusCode::SEE_OTHER);
    let worker = app.worker();
    assert_eq!(worker.run_followups(t0 + chrono::Duration::days(13)).await.expect("follow-ups"), 0);
    let t15 = t0 + chrono::Duration::days(15);
    assert_eq!(worker.run_followups(t15).await.expect("follow-ups"), 1);
    assert_eq!(worker.run_followups(t15).await.expect("follow-ups"), 0, "never twice");
    assert_eq!(worker.run_followups(t15 + chrono::Duration::days(30)).await.expect("follow-ups"), 0);
    drain(&worker, t15).await;

    let offer = one(&sink, "anna@example.dk", "Vil du komme på besøg?");
    assert!(offer.text().contains("Stege"), "{}", offer.text());
    assert!(offer.header("Reply-To").contains("kim@kommune.dk"));
    let to_bo: Vec<String> = sink.to("bo@example.dk").iter().map(|m| m.header("Subject")).collect();
    assert!(!to_bo.iter().any(|s| s.contains("visit?") || s.contains("besøg?")), "{to_bo:?}");

    let moved = kim.case_json(&moving).await;
    let cancelled = events(&moved, "followup_cancelled");
    assert_eq!(cancelled.len(), 1, "{:?}", kinds(&moved));
    assert_eq!(cancelled[0]["rule"], "visit_offer");
    let k = kinds(&kim.case_json(&waiting).await);
    assert_eq!(count(&k, "followup_cancelled"), 0);
    assert_eq!(count(&k, "email_sent"), 3, "receipt, notice, visit offer: {k:?}");
}

#[tokio::test]
async fn a_visit_reminder_comes_the_day_before_and_the_thanks_the_day_after_unless_cancelled() {
    let (app, sink) = app_with_sink().await;
    let kim = app.consultant("Kim Konsulent", "kim@kommune.dk").await;
    let visiting = api_mover(&app, json!({ "name": "Anna", "email": "anna@example.dk", "areas": ["stege"] })).await;
    let cancelling = api_mover(&app, json!({ "name": "Bo", "email": "bo@example.dk" })).await;
    let day = local_today() + chrono::Duration::days(5);
    let date = day.format("%Y-%m-%d").to_string();
    let fields = [("visit_date", date.as_str()), ("visit_time", "14:00"), ("visit_place", "Stege Torv")];
    on_case_ok(&kim, &visiting, "visit", &fields).await;
    on_case_ok(&kim, &cancelling, "visit", &fields).await;
    on_case_ok(&kim, &cancelling, "visit/cancel", &[]).await;
    let worker = app.worker();
    drain(&worker, now()).await;
    let before = sink.received().len();

    let reminder = local(day - chrono::Duration::days(1), 10, 0);
    let thanks = local(day + chrono::Duration::days(1), 10, 0);
    let minute = chrono::Duration::minutes(1);
    assert_eq!(worker.run_followups(reminder - minute).await.expect("follow-ups"), 0);
    assert_eq!(worker.run_followups(reminder + minute).await.expect("follow-ups"), 1, "the reminder");
    drain(&worker, reminder + minute).await;
    let m = one(&sink, "anna@example.dk", "Vi ses i morgen");
    assert_eq!(m.header("Subject"), "Vi ses i morgen kl. 14:00");
    assert!(m.text().contains(&danish_date(day)) && m.text().contains("Stege Torv"), "{}", m.text());

    assert_eq!(worker.run_followups(thanks - minute).await.expect("follow-ups"), 0);
    assert_eq!(worker.run_followups(thanks + minute).await.expect("follow-ups"), 1, "the thank-you");
    drain(&worker, thanks + minute).await;
    let m = one(&sink, "anna@example.dk", "Tak for besøget");
    assert!(m.text().contains(&format!("Tak for besøget den {}", danish_date(day))), "{}", m.text());
    assert_eq!(worker.run_followups(thanks + chrono::Duration::days(60)).await.expect("follow-ups"), 0);
    assert_eq!(sink.received().len(), before + 2, "nothing for the cancelled visit");

    let case = kim.case_json(&cancelling).await;
    let rules: HashSet<&str> = events(&case, "followup_cancelled").iter().filter_map(|e| e["rule"].as_str()).collect();
    assert!(rules.contains("visit_reminder") && rules.contains("visit_thanks"), "{rules:?}");
    let scheduled = events(&kim.case_json(&visiting).await, "followup_scheduled")
        .iter()
        .filter_map(|e| Some((e["rule"].as_str()?.to_string(), e["due_at"].as_str()?.to_string())))
        .collect::<Vec<_>>();
    let due = |rule: &str| scheduled.iter().find(|(r, _)| r == rule).map(|(_, d)| d.clone()).expect("scheduled");
    let rfc = |t: NaiveDateTime| t.and_utc().to_rfc3339();
    assert_eq!(due("visit_reminder"), rfc(reminder), "10:00 local the day before");
    assert_eq!(due("visit_thanks"), rfc(thanks), "10:00 local the day after");
}

#[tokio::test]
async fn the_digest_goes_once_per_working_day_after_half_past_seven() {
    let (app, sink) = app_with_sink_and(|s| s.queue.first_contact_goal_working_days = 0).await;
    let kim = app.consultant("Kim Konsulent", "kim@kommune.dk").await;
    let reference = api_mover(&app, json!({ "name": "Anna", "email": "anna@example.dk" })).await;
    let worker = app.worker();
    drain(&worker, now()).await;

    let friday = next(Weekday::Fri);
    let digests = |sink: &SmtpSink| {
        sink.to("kim@kommune.dk").into_iter().filter(|m| m.header("Subject").contains("Daglig oversigt")).count()
    };
    assert_eq!(worker.run_digests(local(friday, 7, 0)).await.expect("digests"), 0, "not before 07:30");
    assert_eq!(worker.run_digests(local(friday, 9, 0)).await.expect("digests"), 1);
    drain(&worker, local(friday, 9, 0)).await;
    assert_eq!(digests(&sink), 1);
    let digest = one(&sink, "kim@kommune.dk", "Daglig oversigt");
    assert_eq!(digest.header("Subject"), "Daglig oversigt: 1 sag over svarfristen");
    assert!(digest.text().contains(&reference) && digest.text().contains(&format!("/cases/{reference}")));
    assert!(digest.html().contains(&reference));

    assert_eq!(worker.run_digests(local(friday, 16, 0)).await.expect("digests"), 0, "once a day");
    let saturday = friday + chrono::Duration::days(1);
    assert_eq!(worker.run_digests(local(saturday, 9, 0)).await.expect("digests"), 0, "not on Saturday");
    assert_eq!(worker.run_digests(local(saturday + chrono::Duration::days(1), 9, 0)).await.expect("d"), 0);
    let monday = friday + chrono::Duration::days(3);
    assert_eq!(worker.run_digests(local(monday, 8, 0)).await.expect("digests"), 1, "the next working day");
    drain(&worker, local(monday, 8, 0)).await;
    assert_eq!(digests(&sink), 2);

    // First contact made: nothing overdue, no digest.
    on_case_ok(&kim, &reference, "information-pack", &[("note", "")]).await;
    let tuesday = monday + chrono::Duration::days(1);
    assert_eq!(worker.run_digests(local(tuesday, 9, 0)).await.expect("digests"), 0);
}

// A batch can outlive its lease (a stalling server, up to
// ceil(batch_size / senders) × 2 × timeout). The worker renews the lease right
// before each send, which also proves the email is still its own, so it never
// sends what another worker has taken over. The second worker's clock stands
// in for the time the first one's batch has been running.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_batch_that_outlives_its_lease_is_not_sent_twice() {
    let (app, sink) = app_with_sink_and(|s| {
        s.mail.timeout_seconds = 1;
        s.mail.senders = 1;
    })
    .await;
    api_movers(&app, 3, "slow").await;
    sink.set_mode(Mode::Hang);
    let lease = chrono::Duration::seconds(i64::try_from(app.settings.mail.lease_seconds).expect("lease"));
    let t0 = now();
    let a = app.worker();
    let first = tokio::spawn(async move { a.deliver_due(t0).await });
    // Worker A is stuck on its first email; the server recovers; worker B
    // comes by once A's lease has run out while A's batch is still going.
    sink.until_hanging(1).await;
    sink.set_mode(Mode::Accept);
    let b = app.worker();
    let rb = b.deliver_due(t0 + lease + chrono::Duration::seconds(1)).await.expect("worker b");
    let ra = tokio::time::timeout(Duration::from_secs(30), first).await.expect("a ends").expect("task").expect("a");
    drain(&b, t0 + chrono::Duration::days(1)).await;
    let received = sink.received();
    let ids: Vec<String> = received.iter().map(|m| m.header("Message-ID")).collect();
    assert_eq!(message_ids(&received).len(), 3, "a: {ra:?}, b: {rb:?}");
    assert_eq!(received.len(), 3, "each email once; a: {ra:?}, b: {rb:?}, received: {ids:?}");
}

// `record` writes a result only while the email is still the recording
// worker's: a late "retry later" from a worker whose lease was taken over must
// not turn a delivered email back into pending.
#[tokio::test]
async fn a_late_result_from_a_worker_that_lost_its_lease_does_not_undo_a_delivery() {
    let (app, sink) = app_with_sink().await;
    api_movers(&app, 1, "late").await;
    let t0 = now();
    let lease = chrono::Duration::seconds(120);
    let claimed =
        app.db.write(move |c| velkomst::db::outbox::claim(c, "slow-worker", t0, lease, 10)).await.expect("claim");
    assert_eq!(claimed.len(), 1);
    let after = t0 + lease + chrono::Duration::seconds(1);
    let worker = app.worker();
    assert_eq!(worker.deliver_due(after).await.expect("round").sent, 1, "taken over and sent");

    // The slow worker's attempt ends at last, with a temporary failure.
    let email = claimed.into_iter().next().expect("one");
    let retry = velkomst::db::outbox::Result_::RetryAt { at: after, reason: "timed out".into() };
    app.db.write(move |c| velkomst::db::outbox::record(c, &email, &retry, after)).await.expect("late record");

    assert_eq!(outbox(&app, "sent").await.len(), 1, "the delivery stands");
    drain(&worker, after + chrono::Duration::hours(1)).await;
    assert_eq!(sink.received().len(), 1, "sent once");
}

#[tokio::test]
async fn a_consultant_can_start_an_email_from_a_template() {
    let (app, _sink) = app_with_sink().await;
    let kim = app.consultant("Kim Konsulent", "kim@kommune.dk").await;
    let reference = app.mover_submits(&[("name", "Bo Berg"), ("email", "bo@example.dk"), ("language", "en")]).await;
    let blank = kim.browser.get(&format!("/cases/{reference}/email")).await;
    assert_eq!(blank.status, StatusCode::OK);
    assert!(blank.contains("name=\"subject\" type=\"text\" value=\"\""));
    let started = kim.browser.get(&format!("/cases/{reference}/email?template=followup_visit_offer")).await;
    assert_eq!(started.status, StatusCode::OK);
    let body = crate::helpers::html_unescape(&started.body);
    assert!(body.contains("Bo Berg"), "rendered for this case, in English");
    assert!(!body.contains("name=\"subject\" type=\"text\" value=\"\""), "the subject is filled in");
    assert!(!body.contains("\n----\n"), "the shared footer is left to the sent email");
    let unknown = kim.browser.get(&format!("/cases/{reference}/email?template=digest")).await;
    assert!(unknown.contains("name=\"subject\" type=\"text\" value=\"\""), "only starter templates");
}
