//! Newcomers' events: staff create, invite, print the seating plan and
//! record who came (`/events…`); guests sign up or cancel through their
//! private link (`/event/{token}`, redacted from logs) and newcomers the
//! service never met through the event's open link (`/join/{slug}`).

use actix_web::http::StatusCode;
use actix_web::{web, HttpResponse};
use serde::Serialize;

use super::auth::StaffUser;
use super::csrf::{FormData, VerifiedForm};
use super::pages::{t, Lang};
use super::{see_other, View};
use crate::db::events::{self as store, Event, Guest};
use crate::domain::case::Stage;
use crate::domain::event::{seating, GuestState, Seat};
use crate::web::error::AppError;
use crate::workflow::events::{self as flow, EventDraft, FieldError, Invite, SignedUp};

pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.route("/events", web::get().to(list))
        .route("/events", web::post().to(create))
        .route("/events/{id}", web::get().to(show))
        .route("/events/{id}/invite", web::post().to(invite))
        .route("/events/{id}/attendance", web::post().to(attendance))
        .route("/events/{id}/seating", web::get().to(seating_plan))
        .route("/event/{token}", web::get().to(guest_page))
        .route("/event/{token}", web::post().to(guest_sign_up))
        .route("/event/{token}/cancel", web::post().to(guest_cancel))
        .route("/join/{slug}", web::get().to(join_page))
        .route("/join/{slug}", web::post().to(join));
}

#[derive(Serialize)]
struct Shown {
    field: String,
    message: String,
}

fn shown(lang: Lang, errors: &[FieldError]) -> Vec<Shown> {
    errors
        .iter()
        .map(|e| Shown {
            field: e.field.clone(),
            message: if e.code == "required" {
                t(lang, "event-error-required")
            } else {
                t(lang, &format!("event-error-{}", e.code))
            },
        })
        .collect()
}

/// An event as pages show it, in local time.
#[derive(Serialize)]
struct EventShown {
    id: String,
    title: String,
    description: String,
    date: String,
    time: String,
    place: String,
    areas: Vec<String>,
    capacity: i32,
    taken: i32,
    waiting: i32,
    deadline: String,
    open_url: String,
    attendance_done: bool,
}

fn event_view(view: &View, e: &Event, guests: &[Guest]) -> EventShown {
    let s = &view.state.settings;
    let sum = |st: GuestState| guests.iter().filter(|g| g.state == st).map(Guest::persons).sum();
    EventShown {
        id: e.id.clone(),
        title: e.title.clone(),
        description: e.description.clone(),
        date: crate::workflow::local_date(e.starts_at, s),
        time: crate::workflow::local_time(e.starts_at, s),
        place: e.place.clone(),
        areas: e.area_list().iter().map(|a| s.area(a).map_or_else(|| a.clone(), |x| x.name.clone())).collect(),
        capacity: e.capacity,
        taken: sum(GuestState::SignedUp),
        waiting: sum(GuestState::Waiting),
        deadline: crate::workflow::local_date(e.signup_deadline, s),
        open_url: format!("{}/join/{}", s.public_url, e.open_slug),
        attendance_done: e.attendance_at.is_some(),
    }
}

fn list_page(
    view: &View,
    me: &crate::db::users::User,
    status: StatusCode,
    events: &[Event],
    draft: &EventDraft,
    errors: &[Shown],
) -> Result<HttpResponse, AppError> {
    let s = &view.state.settings;
    let mut ctx = view.context(Some(me));
    let rows: Vec<EventShown> = events.iter().map(|e| event_view(view, e, &[])).collect();
    ctx.insert("events", &rows);
    ctx.insert("draft", draft);
    ctx.insert("errors", errors);
    ctx.insert("all_areas", &s.areas.iter().map(|a| (&a.slug, &a.name)).collect::<Vec<_>>());
    view.page(status, "staff/events.html", &ctx)
}

/// GET /events — the events and a form to create one.
async fn list(view: View, StaffUser(me): StaffUser) -> Result<HttpResponse, AppError> {
    let events = view.state.db.read(store::list).await?;
    let draft = EventDraft { minutes: "120".into(), languages: vec!["da".into(), "en".into()], ..Default::default() };
    list_page(&view, &me, StatusCode::OK, &events, &draft, &[])
}

/// POST /events — creates an event; refused input comes back as typed.
async fn create(view: View, StaffUser(me): StaffUser, form: VerifiedForm) -> Result<HttpResponse, AppError> {
    let f = &form.0;
    let draft = EventDraft {
        title: f.get("title").into(),
        description: f.get("description").into(),
        date: f.get("date").into(),
        time: f.get("time").into(),
        minutes: f.get("minutes").into(),
        place: f.get("place").into(),
        areas: f.all("areas"),
        capacity: f.get("capacity").into(),
        languages: f.all("languages"),
        deadline: f.get("deadline").into(),
    };
    let s = view.state.settings.clone();
    match flow::check_event(&s, &draft, crate::db::now()) {
        Err(errors) => {
            let events = view.state.db.read(store::list).await?;
            list_page(&view, &me, StatusCode::UNPROCESSABLE_ENTITY, &events, &draft, &shown(view.lang, &errors))
        }
        Ok(new) => {
            let actor = me.id.clone();
            let id = view.state.db.write(move |conn| flow::create(conn, &new, &actor, crate::db::now())).await?;
            Ok(see_other(&format!("/events/{id}")))
        }
    }
}

#[derive(Serialize)]
struct GuestRow {
    id: String,
    name: String,
    ambassador: bool,
    state: &'static str,
    adults: i32,
    children: i32,
    area: String,
    needs: Option<String>,
    came: Option<bool>,
}

async fn load(view: &View, id: String) -> Result<(Event, Vec<Guest>), AppError> {
    let found =
        view.state.db.read(move |conn| Ok(store::get(conn, &id)?.map(|e| (store::guests(conn, &e.id), e)))).await?;
    match found {
        Some((guests, e)) => Ok((e, guests.map_err(AppError::from)?)),
        None => Err(AppError::NotFound),
    }
}

fn area_name(view: &View, slug: Option<&str>) -> String {
    slug.and_then(|a| view.state.settings.area(a)).map(|a| a.name.clone()).unwrap_or_default()
}

/// GET /events/{id} — the event, its guests (needs shown to staff only),
/// the invitation and attendance forms.
async fn show(view: View, StaffUser(me): StaffUser, path: web::Path<String>) -> Result<HttpResponse, AppError> {
    let (event, guests) = load(&view, path.into_inner()).await?;
    let rows: Vec<GuestRow> = guests
        .iter()
        .map(|g| GuestRow {
            id: g.id.clone(),
            name: g.name.clone().unwrap_or_default(),
            ambassador: g.user_id.is_some(),
            state: g.state.as_str(),
            adults: g.adults,
            children: g.children,
            area: area_name(&view, g.area.as_deref()),
            needs: g.needs.clone(),
            came: g.came,
        })
        .collect();
    let mut ctx = view.context(Some(&me));
    ctx.insert("e", &event_view(&view, &event, &guests));
    ctx.insert("guests", &rows);
    ctx.insert("stages", &Stage::ALL.iter().map(|s| s.as_str()).collect::<Vec<_>>());
    ctx.insert("invited", view.query("invited"));
    view.ok("staff/event.html", &ctx)
}

/// POST /events/{id}/invite — `stage`, `moved_since` (YYYY-MM-DD),
/// `ambassadors`: invites who is not invited yet.
async fn invite(
    view: View,
    StaffUser(_me): StaffUser,
    path: web::Path<String>,
    form: VerifiedForm,
) -> Result<HttpResponse, AppError> {
    let id = path.into_inner();
    let f = &form.0;
    let since = f.get("moved_since").trim();
    let who = Invite {
        stage: Stage::parse(f.get("stage")),
        moved_since: chrono::NaiveDate::parse_from_str(since, "%Y-%m-%d").ok().map(|d| d.to_string()),
        ambassadors: f.has("ambassadors"),
    };
    let s = view.state.settings.clone();
    let e = id.clone();
    let (n, a) = view.state.db.write(move |conn| flow::invite(conn, &s, &e, &who, crate::db::now())).await?;
    Ok(see_other(&format!("/events/{id}?invited={}", n + a)))
}

/// POST /events/{id}/attendance — `came`: the guests who came.
async fn attendance(
    view: View,
    StaffUser(me): StaffUser,
    path: web::Path<String>,
    form: VerifiedForm,
) -> Result<HttpResponse, AppError> {
    let id = path.into_inner();
    let came = form.0.all("came");
    let e = id.clone();
    view.state.db.write(move |conn| flow::record_attendance(conn, &e, &came, &me.id, crate::db::now())).await?;
    Ok(see_other(&format!("/events/{id}")))
}

/// GET /events/{id}/seating — the table plan by area (newcomers with the
/// ambassadors of their area) and the name list, to print.
async fn seating_plan(view: View, StaffUser(me): StaffUser, path: web::Path<String>) -> Result<HttpResponse, AppError> {
    let (event, guests) = load(&view, path.into_inner()).await?;
    let people: Vec<(String, Seat)> = guests
        .iter()
        .filter(|g| g.state == GuestState::SignedUp)
        .map(|g| {
            let seat = Seat {
                name: g.name.clone().unwrap_or_default(),
                persons: g.persons(),
                ambassador: g.user_id.is_some(),
            };
            (g.area.clone().unwrap_or_default(), seat)
        })
        .collect();
    let tables: Vec<serde_json::Value> = seating(&event.area_list(), &people)
        .into_iter()
        .map(|t| serde_json::json!({ "area": area_name(&view, Some(&t.area)), "seats": t.seats, "persons": t.persons }))
        .collect();
    let mut names: Vec<&Seat> = people.iter().map(|(_, s)| s).collect();
    names.sort_by(|a, b| a.name.cmp(&b.name));
    let mut ctx = view.context(Some(&me));
    ctx.insert("e", &event_view(&view, &event, &guests));
    ctx.insert("tables", &tables);
    ctx.insert("names", &names);
    view.ok("staff/event_seating.html", &ctx)
}

fn guest_form(
    view: &View,
    status: StatusCode,
    event: &Event,
    guest: &Guest,
    form: Option<&FormData>,
    errors: &[Shown],
    done: &str,
) -> Result<HttpResponse, AppError> {
    let mut ctx = view.context(None);
    let value = |k: &str, stored: String| form.map_or(stored, |f| f.get(k).to_string());
    ctx.insert("e", &event_view(view, event, &[]));
    ctx.insert("state", guest.state.as_str());
    ctx.insert("adults", &value("adults", if guest.adults > 0 { guest.adults.to_string() } else { "1".into() }));
    ctx.insert("children", &value("children", guest.children.to_string()));
    ctx.insert("needs", &value("needs", guest.needs.clone().unwrap_or_default()));
    ctx.insert("errors", errors);
    ctx.insert("done", done);
    ctx.insert("open", &(crate::db::now() <= event.signup_deadline));
    ctx.insert("action", view.path());
    view.page(status, "public/event.html", &ctx)
}

async fn guest_of(view: &View, token: String) -> Result<(Event, Guest), AppError> {
    let found = view
        .state
        .db
        .read(move |conn| {
            let Some(g) = store::guest_by_token(conn, &crate::crypto::token_hash(&token))? else { return Ok(None) };
            Ok(store::get(conn, &g.event_id)?.map(|e| (e, g)))
        })
        .await?;
    found.ok_or(AppError::NotFound)
}

/// GET /event/{token} — the guest's sign-up, changeable until the deadline.
async fn guest_page(view: View, path: web::Path<String>) -> Result<HttpResponse, AppError> {
    let (event, guest) = guest_of(&view, path.into_inner()).await?;
    let done = view.query("done").to_string();
    guest_form(&view, StatusCode::OK, &event, &guest, None, &[], &done)
}

/// POST /event/{token} — `adults`, `children`, `needs`: seats or the waiting list.
async fn guest_sign_up(view: View, path: web::Path<String>, form: VerifiedForm) -> Result<HttpResponse, AppError> {
    let token = path.into_inner();
    let (event, guest) = guest_of(&view, token.clone()).await?;
    let f = form.0.clone();
    let s = view.state.settings.clone();
    let t = token.clone();
    let result = view
        .state
        .db
        .write(move |conn| {
            flow::sign_up(conn, &s, &t, f.get("adults"), f.get("children"), f.get("needs"), crate::db::now())
        })
        .await?;
    match result {
        SignedUp::Seats | SignedUp::Waiting => Ok(see_other(&format!("{}?lang={}", view.path(), view.lang.as_str()))),
        SignedUp::Invalid(e) => guest_form(
            &view,
            StatusCode::UNPROCESSABLE_ENTITY,
            &event,
            &guest,
            Some(&form.0),
            &shown(view.lang, &e),
            "",
        ),
        SignedUp::Closed => guest_form(&view, StatusCode::CONFLICT, &event, &guest, Some(&form.0), &[], ""),
    }
}

/// POST /event/{token}/cancel — cancels; the waiting list moves up.
async fn guest_cancel(view: View, path: web::Path<String>, _form: VerifiedForm) -> Result<HttpResponse, AppError> {
    let token = path.into_inner();
    guest_of(&view, token.clone()).await?;
    let s = view.state.settings.clone();
    let t = token.clone();
    view.state.db.write(move |conn| flow::cancel(conn, &s, &t, crate::db::now())).await?;
    Ok(see_other(&format!("/event/{token}?done=cancelled&lang={}", view.lang.as_str())))
}

fn join_form(
    view: &View,
    status: StatusCode,
    event: &Event,
    form: Option<&FormData>,
    errors: &[Shown],
    done: bool,
) -> Result<HttpResponse, AppError> {
    let mut ctx = view.context(None);
    let value = |k: &str, d: &str| form.map_or(d.to_string(), |f| f.get(k).to_string());
    ctx.insert("e", &event_view(view, event, &[]));
    ctx.insert("name", &value("name", ""));
    ctx.insert("email", &value("email", ""));
    ctx.insert("adults", &value("adults", "1"));
    ctx.insert("children", &value("children", "0"));
    ctx.insert("needs", &value("needs", ""));
    ctx.insert("errors", errors);
    ctx.insert("done", &done);
    ctx.insert("open", &(crate::db::now() <= event.signup_deadline));
    ctx.insert("action", view.path());
    view.page(status, "public/event_join.html", &ctx)
}

async fn event_by_slug(view: &View, slug: String) -> Result<Event, AppError> {
    view.state.db.read(move |conn| store::by_slug(conn, &slug)).await?.ok_or(AppError::NotFound)
}

/// GET /join/{slug} — the open sign-up for newcomers without a case.
async fn join_page(view: View, path: web::Path<String>) -> Result<HttpResponse, AppError> {
    let event = event_by_slug(&view, path.into_inner()).await?;
    let done = view.query("done") == "1";
    join_form(&view, StatusCode::OK, &event, None, &[], done)
}

/// POST /join/{slug} — `name`, `email`, `adults`, `children`, `needs`.
async fn join(view: View, path: web::Path<String>, form: VerifiedForm) -> Result<HttpResponse, AppError> {
    let slug = path.into_inner();
    let event = event_by_slug(&view, slug.clone()).await?;
    let f = form.0.clone();
    let s = view.state.settings.clone();
    let lang = view.lang;
    let result = view
        .state
        .db
        .write(move |conn| {
            flow::open_sign_up(
                conn,
                &s,
                &slug,
                f.get("name"),
                f.get("email"),
                lang,
                f.get("adults"),
                f.get("children"),
                f.get("needs"),
                crate::db::now(),
            )
        })
        .await?;
    match result {
        SignedUp::Seats | SignedUp::Waiting => {
            Ok(see_other(&format!("{}?done=1&lang={}", view.path(), view.lang.as_str())))
        }
        SignedUp::Invalid(e) => {
            join_form(&view, StatusCode::UNPROCESSABLE_ENTITY, &event, Some(&form.0), &shown(view.lang, &e), false)
        }
        SignedUp::Closed => join_form(&view, StatusCode::CONFLICT, &event, Some(&form.0), &[], false),
    }
}
