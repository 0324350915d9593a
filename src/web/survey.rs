//! The mover's survey pages after the move, opened by the private link in
//! the email (`/survey/{token}`; the token never reaches a log line, see
//! `TOKEN_PATHS`). The welcome survey and the one-year check share the
//! page; the answer can be changed until the survey closes.

use actix_web::http::StatusCode;
use actix_web::{web, HttpRequest, HttpResponse};
use serde::Serialize;

use super::csrf::{FormData, VerifiedForm};
use super::pages::{t, t_args, Lang};
use super::{see_other, View};
use crate::db::surveys::Survey;
use crate::domain::survey::{Draft, FieldError, Residence};
use crate::web::error::AppError;
use crate::workflow::surveys::{self as flow, Answered};

pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.route("/survey/{token}", web::get().to(page))
        .route("/survey/{token}", web::post().to(submit))
        .route("/reports/surveys", web::get().to(figures));
}

#[derive(Serialize)]
struct Shown {
    field: String,
    message: String,
}

#[derive(Serialize)]
struct Choice {
    key: String,
    text: String,
}

fn shown(lang: Lang, errors: &[FieldError]) -> Vec<Shown> {
    errors
        .iter()
        .map(|e| {
            let message = if e.code == "required" {
                t(lang, "survey-error-residence")
            } else {
                t_args(
                    lang,
                    &format!("survey-error-{}", e.code),
                    &[("max", crate::domain::survey::MAX_COMMENT_CHARS.to_string())],
                )
            };
            Shown { field: e.field.clone(), message }
        })
        .collect()
}

fn choices(list: &[crate::config::SurveyChoice], lang: Lang) -> Vec<Choice> {
    list.iter().map(|c| Choice { key: c.key.clone(), text: c.text(lang.as_str()).to_string() }).collect()
}

fn render(
    view: &View,
    status: StatusCode,
    survey: &Survey,
    draft: &Draft,
    errors: &[Shown],
    saved: bool,
) -> Result<HttpResponse, AppError> {
    let s = &view.state.settings;
    let mut ctx = view.context(None);
    let now = crate::db::now();
    ctx.insert("kind", survey.kind.as_str());
    ctx.insert("statements", &choices(&s.surveys.statements, view.lang));
    ctx.insert("help", &choices(&s.surveys.help, view.lang));
    ctx.insert("residences", &Residence::ALL.iter().map(|r| r.as_str()).collect::<Vec<_>>());
    // Every statement has its entry (the page reads them by key).
    let mut draft = draft.clone();
    for k in s.surveys.statement_keys() {
        draft.scores.entry(k.to_string()).or_default();
    }
    ctx.insert("draft", &draft);
    ctx.insert("errors", errors);
    ctx.insert("saved", &saved);
    ctx.insert("answered", &survey.answered_at.is_some());
    ctx.insert("open", &survey.is_open(now));
    ctx.insert("closes", &crate::workflow::local_date(survey.closes_at, s));
    ctx.insert("max_comment", &crate::domain::survey::MAX_COMMENT_CHARS);
    ctx.insert("action", view.path());
    view.switch_with_form(&mut ctx, "survey-form", view.path());
    view.page(status, "public/survey.html", &ctx)
}

async fn find(view: &View, token: String) -> Result<Survey, AppError> {
    let found = view.state.db.read(move |conn| flow::by_token(conn, &token)).await?;
    found.ok_or(AppError::NotFound)
}

/// GET /survey/{token} — the survey, with the answer given so far.
async fn page(view: View, path: web::Path<String>) -> Result<HttpResponse, AppError> {
    let survey = find(&view, path.into_inner()).await?;
    let draft = flow::draft_of(&survey);
    let saved = view.query("saved") == "1";
    render(&view, StatusCode::OK, &survey, &draft, &[], saved)
}

fn draft_from(f: &FormData, statements: &[&str]) -> Draft {
    Draft {
        scores: statements.iter().map(|k| ((*k).to_string(), f.get(&format!("score-{k}")).to_string())).collect(),
        helped: f.all("helped"),
        residence: f.get("residence").to_string(),
        comment: f.get("comment").to_string(),
    }
}

/// POST /survey/{token} — stores or changes the answer; refused input
/// comes back with everything typed kept (as does a language switch).
async fn submit(req: HttpRequest, form: VerifiedForm, path: web::Path<String>) -> Result<HttpResponse, AppError> {
    let view = View::of(&req)?;
    let token = path.into_inner();
    let survey = find(&view, token.clone()).await?;
    let s = view.state.settings.clone();
    let draft = draft_from(&form.0, &s.surveys.statement_keys());
    if form.0.has("switch_language") {
        return render(&view, StatusCode::OK, &survey, &draft, &[], false);
    }
    let d = draft.clone();
    let now = crate::db::now();
    let answered = view.state.db.write(move |conn| flow::answer(conn, &s, &token, &d, now)).await?;
    match answered {
        Answered::Saved(_) => {
            let back = format!("{}?saved=1&lang={}", view.path(), view.lang.as_str());
            Ok(see_other(&back))
        }
        Answered::Invalid(errors) => {
            render(&view, StatusCode::UNPROCESSABLE_ENTITY, &survey, &draft, &shown(view.lang, &errors), false)
        }
        Answered::Closed => render(&view, StatusCode::CONFLICT, &survey, &draft, &[], false),
    }
}

/// The half-year around `today`: `[1 Jan, 1 Jul)` or `[1 Jul, 1 Jan)`.
fn half_year(today: chrono::NaiveDate) -> (chrono::NaiveDate, chrono::NaiveDate) {
    use chrono::Datelike;
    let y = today.year();
    let d = |y, m| chrono::NaiveDate::from_ymd_opt(y, m, 1).unwrap_or(today);
    if today.month() < 7 {
        (d(y, 1), d(y, 7))
    } else {
        (d(y, 7), d(y + 1, 1))
    }
}

/// GET /reports/surveys?from=YYYY-MM-DD&to=YYYY-MM-DD — the surveys after
/// the move in figures (sent in `[from, to)`, local dates; default: this
/// half-year): never a name or a comment, and every count of 1 to
/// `surveys.min_group - 1` hidden, so the page can be shared as it is.
async fn figures(
    view: View,
    crate::web::auth::StaffUser(me): crate::web::auth::StaffUser,
) -> Result<HttpResponse, AppError> {
    let s = view.state.settings.clone();
    let today = crate::db::now().and_utc().with_timezone(&s.time_zone).date_naive();
    let parse = |k: &str| chrono::NaiveDate::parse_from_str(view.query(k).trim(), "%Y-%m-%d").ok();
    let (from, to) = match (parse("from"), parse("to")) {
        (Some(f), Some(t)) if f < t => (f, t),
        _ => half_year(today),
    };
    let start = |d: chrono::NaiveDate| crate::workflow::at_local(d, chrono::NaiveTime::MIN, &s);
    let (a, b, min) = (start(from), start(to), s.surveys.min_group);
    let settings = s.clone();
    let mut figures =
        view.state.db.read(move |conn| crate::workflow::surveys::figures(conn, &settings, a, b, min, true)).await?;
    // Areas by their names; "none" in words.
    for row in &mut figures.one_year_by_area {
        if let Some(area) = s.area(&row.key) {
            row.key = area.name.clone();
        }
    }
    let mut ctx = view.context(Some(&me));
    let words = |list: &[crate::config::SurveyChoice]| -> std::collections::BTreeMap<String, String> {
        list.iter().map(|c| (c.key.clone(), c.text(view.lang.as_str()).to_string())).collect()
    };
    ctx.insert("from", &from.to_string());
    ctx.insert("to", &to.to_string());
    ctx.insert("f", &figures);
    ctx.insert("statement_words", &words(&s.surveys.statements));
    ctx.insert("help_words", &words(&s.surveys.help));
    ctx.insert("min_group", &min);
    view.ok("staff/survey_figures.html", &ctx)
}
