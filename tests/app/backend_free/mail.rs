//! Template previews.

use reqwest::StatusCode;

use crate::helpers::{html_unescape, spawn_app};

#[tokio::test]
async fn admins_preview_every_template_and_consultants_may_not() {
    let app = spawn_app().await;
    let ada = app.admin("Ada Admin", "ada@kommune.dk").await;
    let kim = app.consultant("Kim Konsulent", "kim@kommune.dk").await;
    let page = ada.browser.get("/admin/templates?name=visit_invitation&in=en").await;
    assert_eq!(page.status, StatusCode::OK);
    let shown = html_unescape(&page.body);
    assert!(shown.contains("Invitation to a visit on 03.12.2026 at 14:00"), "the English subject");
    assert!(shown.contains("Meeting place:"), "the English text");
    let danish = html_unescape(&ada.browser.get("/admin/templates?name=visit_invitation&in=da").await.body);
    assert!(danish.contains("Invitation til besøg den 03.12.2026 kl. 14:00"));
    assert_eq!(kim.browser.get("/admin/templates?name=visit_invitation&in=en").await.status, StatusCode::FORBIDDEN);
}
