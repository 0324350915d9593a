//! Rendering: tera templates (embedded in the binary) with every word from
//! the fluent locales. Danish first; English complete.

use std::sync::OnceLock;

use actix_web::http::StatusCode;
use fluent_templates::{FluentLoader, Loader};
use tera::{Context, Tera};
use unic_langid::LanguageIdentifier;

use crate::web::error::AppError;

fluent_templates::static_loader! {
    pub static LOCALES = {
        locales: "./locales",
        fallback_language: "da",
        // No Unicode isolation marks around arguments: they end up in
        // attribute values and plain-text output.
        customise: |bundle| bundle.set_use_isolating(false),
    };
}

/// The two languages of every page and email: the domain's one language
/// type, under the name the web layer has always used.
pub use crate::domain::inquiry::Language as Lang;

fn lang_id(lang: Lang) -> LanguageIdentifier {
    match lang {
        Lang::Da => unic_langid::langid!("da"),
        Lang::En => unic_langid::langid!("en"),
    }
}

/// One message from the locales (for text built outside templates).
pub fn t(lang: Lang, key: &str) -> String {
    LOCALES.lookup(&lang_id(lang), key)
}

/// One message with string arguments, e.g. `("field", "Navn")`.
pub fn t_args(lang: Lang, key: &str, args: &[(&'static str, String)]) -> String {
    let args: std::collections::HashMap<std::borrow::Cow<'static, str>, fluent_templates::fluent_bundle::FluentValue> =
        args.iter().map(|(k, v)| (std::borrow::Cow::Borrowed(*k), v.clone().into())).collect();
    LOCALES.lookup_with_args(&lang_id(lang), key, &args)
}

static TERA: OnceLock<Tera> = OnceLock::new();

fn build() -> Result<Tera, tera::Error> {
    let mut tera = Tera::default();
    // Every page under templates/ (a new page is just a new file there).
    tera.add_raw_templates(crate::templates::pages(crate::templates::files()))?;
    tera.register_function("fluent", FluentLoader::new(&*LOCALES).with_default_lang(unic_langid::langid!("da")));
    tera.autoescape_on(vec![".html"]);
    Ok(tera)
}

/// Loads the templates once; a broken template stops the start, not a request.
pub fn init() -> Result<(), crate::error::Error> {
    if TERA.get().is_none() {
        let tera = build().map_err(|e| crate::error::Error::context(e, "loading the page templates"))?;
        let _ = TERA.set(tera);
    }
    Ok(())
}

pub fn render(name: &str, ctx: &Context) -> Result<String, AppError> {
    let tera = TERA.get().ok_or_else(|| AppError::internal("templates not initialised"))?;
    // The error keeps tera's chain of causes (which variable, which line).
    tera.render(name, ctx).map_err(|e| AppError::Internal(anyhow::Error::new(e).context(format!("rendering {name}"))))
}

/// The error page: status, a sentence, and the correlation id for support.
/// Falls back to plain text if even the template fails.
pub fn error_page(status: StatusCode, err: &AppError, correlation_id: Option<&str>) -> String {
    let key = match err {
        AppError::NotFound => "error-page-not-found",
        AppError::Forbidden => "error-page-forbidden",
        AppError::Csrf => "error-page-csrf",
        AppError::BadRequest(_)
        | AppError::Invalid(_)
        | AppError::RequestTimeout
        | AppError::MethodNotAllowed { .. } => "error-page-bad-request",
        AppError::Refused(_) => "error-page-conflict",
        AppError::PayloadTooLarge => "error-page-too-large",
        AppError::RateLimited { .. } => "error-page-rate-limited",
        AppError::Unavailable(_) | AppError::Busy { .. } => "error-page-unavailable",
        AppError::Internal(_) | AppError::LoginRequired => "error-page-internal",
    };
    let mut ctx = Context::new();
    ctx.insert("lang", "da");
    ctx.insert("asset_v", crate::web::assets::asset_version());
    ctx.insert("municipality", "");
    ctx.insert("lang_switch_url", "/?lang=en");
    ctx.insert("bilingual", &true);
    ctx.insert("status", &status.as_u16());
    ctx.insert("message_key", key);
    ctx.insert("correlation_id", &correlation_id);
    render("error.html", &ctx).unwrap_or_else(|_| format!("{} {}", status.as_u16(), t(Lang::En, key)))
}
