//! Staff pages: login and set-up, the queue, the case page, and admin.

pub(crate) mod actions;
mod admin;
mod ambassadors;
pub(crate) mod case;
pub mod login;
mod outbox;
mod privacy;
mod queue;
mod security;

use actix_web::web;
use chrono::NaiveDateTime;
use chrono_tz::Tz;

pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.route("/login", web::get().to(login::page))
        .route("/login", web::post().to(login::submit))
        .route("/logout", web::post().to(login::logout))
        .route("/setup/{token}", web::get().to(login::setup_page))
        .route("/setup/{token}", web::post().to(login::setup_submit))
        .route("/cases", web::get().to(queue::page))
        .route("/cases/{reference}", web::get().to(case::page))
        .route("/cases/{reference}/transition", web::post().to(case::transition))
        .route("/cases/{reference}/again", web::post().to(case::again))
        .route("/cases/{reference}/again", web::get().to(case::again_reloaded))
        .route("/cases/{reference}/assign", web::post().to(case::assign))
        .route("/cases/{reference}/notes", web::post().to(case::note))
        .route("/cases/{reference}/erasure", web::post().to(privacy::erase))
        .route("/cases/{reference}/export", web::get().to(privacy::export))
        .route("/cases/{reference}/contact", web::post().to(case::first_contact))
        .route("/cases/{reference}/information-pack", web::post().to(actions::information_pack))
        .route("/cases/{reference}/visit", web::post().to(actions::plan_visit))
        .route("/cases/{reference}/visit/cancel", web::get().to(actions::cancel_visit_confirm))
        .route("/cases/{reference}/visit/cancel", web::post().to(actions::cancel_visit))
        .route("/cases/{reference}/move-in", web::post().to(actions::move_in))
        .route("/cases/{reference}/welcome-package", web::post().to(actions::welcome_package))
        .route("/cases/{reference}/welcome-package/delivered", web::post().to(actions::package_delivered))
        .route("/cases/{reference}/email", web::get().to(actions::compose))
        .route("/cases/{reference}/email", web::post().to(actions::send_email))
        .route("/cases/{reference}/referrals", web::post().to(ambassadors::refer))
        .route("/referrals/{id}/withdraw", web::post().to(ambassadors::withdraw))
        .route("/ambassadors", web::get().to(ambassadors::directory))
        .route("/ambassadors", web::post().to(ambassadors::create))
        .route("/ambassadors/new", web::get().to(ambassadors::new_form))
        .route("/ambassadors/{id}", web::get().to(ambassadors::edit_form))
        .route("/ambassadors/{id}", web::post().to(ambassadors::update))
        .route("/ambassadors/{id}/deactivate", web::get().to(ambassadors::deactivate_confirm))
        .route("/ambassadors/{id}/deactivate", web::post().to(ambassadors::deactivate))
        .route("/ambassadors/{id}/reactivate", web::post().to(ambassadors::reactivate))
        .route("/admin/packages", web::get().to(ambassadors::packages_page))
        .route("/admin/packages", web::post().to(ambassadors::save_packages))
        .route("/admin/users", web::get().to(admin::users))
        .route("/admin/users", web::post().to(admin::add_user))
        .route("/admin/users/{id}/active", web::post().to(admin::set_active))
        .route("/admin/users/{id}/deactivate", web::get().to(admin::deactivate_confirm))
        .route("/admin/users/{id}/away", web::get().to(admin::away))
        .route("/admin/users/{id}/away", web::post().to(admin::start_away))
        .route("/admin/users/{id}/back", web::post().to(admin::end_away))
        .route("/admin/areas", web::get().to(admin::areas))
        .route("/admin/areas", web::post().to(admin::save_areas))
        .route("/admin/outbox", web::get().to(outbox::page))
        .route("/admin/outbox/{id}/retry", web::post().to(outbox::retry))
        .route("/admin/templates", web::get().to(outbox::templates))
        .route("/admin/templates/html", web::get().to(outbox::template_html))
        .configure(security::routes);
}

/// The cookie carrying "what just happened" to the case page after an
/// action (read once, then removed; only allow-listed words are shown).
pub const FLASH_COOKIE: &str = "velkomst_flash";

/// Back to the case after an action that worked (the same address as
/// always), with a short-lived cookie naming what happened (`done`) and the
/// stage the page showed when the form was sent (`stage_was`, a hidden
/// field of every case form). The page announces it at the place of the
/// action, and any stage change the action made by itself.
pub fn case_done(reference: &str, done: &str, form: &crate::web::csrf::FormData) -> actix_web::HttpResponse {
    case_done_at(reference, "", done, form)
}

/// [`case_done`] to an anchor of the case page (`#referrals`).
pub fn case_done_at(
    reference: &str,
    anchor: &str,
    done: &str,
    form: &crate::web::csrf::FormData,
) -> actix_web::HttpResponse {
    let was: String = form.get("stage_was").chars().filter(|c| c.is_ascii_lowercase() || *c == '_').take(20).collect();
    let mut resp = crate::web::see_other(&format!("/cases/{reference}{anchor}"));
    let cookie = actix_web::cookie::Cookie::build(FLASH_COOKIE, format!("{done}.{was}"))
        .path(format!("/cases/{reference}"))
        .http_only(true)
        .same_site(actix_web::cookie::SameSite::Lax)
        .max_age(actix_web::cookie::time::Duration::seconds(120))
        .finish();
    let _ = resp.add_cookie(&cookie);
    resp
}

/// A calendar date (`YYYY-MM-DD`) as every page shows dates: `10.01.2027`
/// (the same as [`local_time`]'s date, in both languages).
pub fn shown_date(iso: &str) -> String {
    chrono::NaiveDate::parse_from_str(iso, "%Y-%m-%d")
        .map_or_else(|_| iso.to_string(), |d| d.format("%d.%m.%Y").to_string())
}

/// A UTC timestamp as people in the municipality read it.
pub fn local_time(t: NaiveDateTime, tz: Tz) -> String {
    t.and_utc().with_timezone(&tz).format("%d.%m.%Y %H:%M").to_string()
}

#[cfg(test)]
mod tests {
    #[test]
    fn dates_are_shown_one_way() {
        assert_eq!(super::shown_date("2027-01-10"), "10.01.2027");
        assert_eq!(super::shown_date("not a date"), "not a date");
    }
}
