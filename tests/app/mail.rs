//! Emails through a real SMTP exchange: the outbox, the worker, the
//! templates in both languages, and the faults that must cost only delay.

use reqwest::StatusCode;

use crate::helpers::{spawn_app_with, TestApp};
use crate::smtp::SmtpSink;

async fn app_with_sink() -> (TestApp, SmtpSink) {
    let sink = SmtpSink::start().await;
    let url = sink.url();
    let app = spawn_app_with(move |s| {
        s.mail.smtp_url = Some(url);
        s.mail.retry_base_seconds = 60;
    })
    .await;
    (app, sink)
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
