//! Email rendering: a subject, a plain-text body and an HTML body from the
//! templates in `templates/email/<name>/` (embedded in the binary; the list
//! of templates is the list of folders there, see `crate::templates`).
//!
//! Every email exists in Danish and English; the caller picks the mover's
//! language (staff emails are rendered in Danish). The context of each
//! email is a typed struct (`mail::email`); the admin's preview and the
//! tests render each template with its sample data ([`sample`]), kept as
//! JSON beside the template. HTML is autoescaped; plain text and subjects
//! are not, so the subject is cleaned here: a line break typed into a name
//! can never become a header.

use std::sync::OnceLock;

use serde_json::Value;
use tera::{Context, Tera};

use crate::templates;

/// One email, ready for the outbox.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RenderedEmail {
    pub subject: String,
    pub text: String,
    pub html: String,
}

#[derive(Debug, thiserror::Error)]
pub enum RenderError {
    #[error("unknown email template {0:?}")]
    UnknownTemplate(String),
    #[error("unknown email language {0:?} (expected \"da\" or \"en\")")]
    UnknownLang(String),
    /// An embedded template does not parse or lacks a file: a bug caught by the tests.
    #[error("email templates: {0}")]
    Load(String),
    #[error("rendering {template}: {message}")]
    Render { template: String, message: String },
    /// A sample data file is not a JSON object: a bug caught by the tests.
    #[error("sample data {file}: {message}")]
    Sample { file: String, message: String },
}

/// The languages every email exists in.
pub const LANGS: &[&str] = &["da", "en"];

/// The files every template folder has, per language.
const PARTS: [&str; 3] = ["subject.{lang}.txt", "body.{lang}.txt", "body.{lang}.html"];

/// Every email template, by name (the folders under `templates/email/`).
pub fn templates() -> &'static [&'static str] {
    static NAMES: OnceLock<Vec<&'static str>> = OnceLock::new();
    NAMES.get_or_init(|| templates::email_names(templates::files()))
}

static TERA: OnceLock<Result<Tera, String>> = OnceLock::new();

fn build() -> Result<Tera, String> {
    build_from(templates::files())
}

/// Every email folder must have all six files; a missing one is named.
fn build_from(files: &[(&str, &str)]) -> Result<Tera, String> {
    let sources = templates::email_sources(files);
    for name in templates::email_names(files) {
        for lang in LANGS {
            for part in PARTS {
                let file = format!("email/{name}/{}", part.replace("{lang}", lang));
                if !sources.iter().any(|(path, _)| *path == file) {
                    return Err(format!("templates/{file} is missing (every email has all six files)"));
                }
            }
        }
    }
    let mut tera = Tera::default();
    tera.add_raw_templates(sources).map_err(|e| error_chain(&e))?;
    tera.autoescape_on(vec![".html"]);
    Ok(tera)
}

fn tera() -> Result<&'static Tera, RenderError> {
    TERA.get_or_init(build).as_ref().map_err(|e| RenderError::Load(e.clone()))
}

/// tera's Display hides the cause; the chain says which variable or line.
fn error_chain(e: &tera::Error) -> String {
    let mut msg = e.to_string();
    let mut source = std::error::Error::source(e);
    while let Some(s) = source {
        msg.push_str(": ");
        msg.push_str(&s.to_string());
        source = s.source();
    }
    msg
}

fn render_file(tera: &Tera, file: &str, ctx: &Context) -> Result<String, RenderError> {
    tera.render(file, ctx).map_err(|e| RenderError::Render { template: file.to_string(), message: error_chain(&e) })
}

/// Renders template `name` in `lang` ("da"|"en") with `ctx`.
///
/// `lang` wins over any `lang` in `ctx`, so `<html lang>` always matches the
/// words. The HTML also gets the subject as `email_subject` (its `<title>`).
pub fn render(name: &str, lang: &str, ctx: &Context) -> Result<RenderedEmail, RenderError> {
    let name =
        templates().iter().find(|t| **t == name).ok_or_else(|| RenderError::UnknownTemplate(name.to_string()))?;
    let lang = LANGS.iter().find(|l| **l == lang).ok_or_else(|| RenderError::UnknownLang(lang.to_string()))?;
    let tera = tera()?;
    let mut ctx = ctx.clone();
    ctx.insert("lang", lang);
    let subject = clean_subject(&render_file(tera, &format!("email/{name}/subject.{lang}.txt"), &ctx)?);
    let text = clean_text(&render_file(tera, &format!("email/{name}/body.{lang}.txt"), &ctx)?);
    ctx.insert("email_subject", &subject);
    let html = clean_html(&render_file(tera, &format!("email/{name}/body.{lang}.html"), &ctx)?);
    Ok(RenderedEmail { subject, text, html })
}

/// One line: control characters (CR, LF, tab, …) and Unicode line breaks
/// become spaces, runs of whitespace one space, trimmed.
fn clean_subject(raw: &str) -> String {
    let spaced: String = raw.chars().map(|c| if c.is_control() { ' ' } else { c }).collect();
    spaced.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// LF line ends, no trailing spaces, at most one blank line in a row, trimmed.
/// (Templates can then place their tags freely.)
fn clean_text(raw: &str) -> String {
    let normalised = raw.replace("\r\n", "\n").replace('\r', "\n");
    let mut lines: Vec<&str> = Vec::new();
    for line in normalised.split('\n') {
        let line = line.trim_end();
        if line.is_empty() && matches!(lines.last(), None | Some(&"")) {
            continue;
        }
        lines.push(line);
    }
    while lines.last().is_some_and(|last| last.is_empty()) {
        lines.pop();
    }
    lines.join("\n").trim().to_string()
}

/// LF line ends, no trailing spaces, no blank lines, trimmed. Safe because
/// the layout uses no `<pre>`: a blank line in HTML is only whitespace.
fn clean_html(raw: &str) -> String {
    let normalised = raw.replace("\r\n", "\n").replace('\r', "\n");
    normalised.split('\n').map(str::trim_end).filter(|l| !l.trim().is_empty()).collect::<Vec<_>>().join("\n")
}

/// The sample data of template `name` in `lang`, for the admin's preview
/// and the tests: a family with two children interested in Præstø and
/// Stege, consultant Kim Konsulent, local ambassador Lis Lokalråd.
///
/// Four JSON objects, each optional, merged key by key (later wins):
/// `email/sample.json` (the family, shared by every email),
/// `email/sample.<lang>.json`, `email/<name>/sample.json` and
/// `email/<name>/sample.<lang>.json` (what differs in that language).
pub fn sample(name: &str, lang: &str) -> Result<Value, RenderError> {
    let name =
        templates().iter().find(|t| **t == name).ok_or_else(|| RenderError::UnknownTemplate(name.to_string()))?;
    let lang = LANGS.iter().find(|l| **l == lang).ok_or_else(|| RenderError::UnknownLang(lang.to_string()))?;
    let mut merged = serde_json::Map::new();
    for file in [
        "email/sample.json".to_string(),
        format!("email/sample.{lang}.json"),
        format!("email/{name}/sample.json"),
        format!("email/{name}/sample.{lang}.json"),
    ] {
        let Some(text) = templates::file(&file) else { continue };
        let sample = |message: String| RenderError::Sample { file: format!("templates/{file}"), message };
        match serde_json::from_str::<Value>(text).map_err(|e| sample(e.to_string()))? {
            Value::Object(map) => merged.extend(map),
            _ => return Err(sample("not a JSON object".into())),
        }
    }
    merged.insert("lang".into(), Value::from(*lang));
    Ok(Value::Object(merged))
}

/// [`sample`] as a tera context.
pub fn sample_context(name: &str, lang: &str) -> Result<Context, RenderError> {
    Context::from_value(sample(name, lang)?).map_err(|e| RenderError::Sample {
        file: format!("templates/email/{name}/sample.json"),
        message: e.to_string(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    /// The sample data as a context the tests can change.
    fn sample_context(name: &str, lang: &str) -> Context {
        super::sample_context(name, lang).unwrap_or_else(|e| panic!("{e}"))
    }

    fn render_sample(name: &str, lang: &str) -> RenderedEmail {
        render(name, lang, &sample_context(name, lang)).unwrap_or_else(|e| panic!("{e}"))
    }

    /// The same household without children and without chosen areas (the
    /// caller then leaves the children topic and the area links empty).
    fn without_children(mut ctx: Context) -> Context {
        ctx.insert("children_count", &0);
        ctx.insert("adults", &1);
        ctx.insert("areas", &Vec::<String>::new());
        if ctx.contains_key("children_ages") {
            ctx.insert("children_ages", &Vec::<u32>::new());
        }
        if ctx.contains_key("links_children") {
            ctx.insert("links_children", &Vec::<serde_json::Value>::new());
            ctx.insert("area_links", &Vec::<serde_json::Value>::new());
        }
        ctx
    }

    fn check(name: &str, lang: &str, email: &RenderedEmail) {
        let what = format!("{name}/{lang}");
        assert!(!email.subject.is_empty(), "{what}: empty subject");
        assert!(!email.subject.contains(['\r', '\n']), "{what}: subject has a line break");
        assert!(!email.text.is_empty(), "{what}: empty text");
        assert!(email.html.starts_with("<!DOCTYPE html>"), "{what}: html starts with {:?}", &email.html[..20]);
        assert!(email.html.contains(&format!("<html lang=\"{lang}\">")), "{what}: html lang");
        assert!(email.html.trim_end().ends_with("</html>"), "{what}: html end");
        for body in [&email.text, &email.html] {
            assert!(!body.contains('\r'), "{what}: CR in a body");
            assert!(!body.contains("\n\n\n"), "{what}: two blank lines in a row");
            // A raw code or an unrendered tag must never reach a mover.
            for leak in ["{{", "{%", "undecided", "0-6m", "12m+", "[object", "None"] {
                assert!(!body.contains(leak), "{what}: {leak:?} in\n{body}");
            }
        }
    }

    #[test]
    fn every_template_renders_in_both_languages_with_and_without_children() {
        for name in crate::mail::email::TEMPLATES {
            assert!(templates().contains(name), "{name}: the workflow sends it, so its folder must exist");
        }
        for name in templates() {
            for lang in LANGS {
                check(name, lang, &render_sample(name, lang));
                let email =
                    render(name, lang, &without_children(sample_context(name, lang))).unwrap_or_else(|e| panic!("{e}"));
                check(name, lang, &email);
            }
        }
    }

    #[test]
    fn the_two_languages_differ() {
        for name in templates() {
            let (da, en) = (render_sample(name, "da"), render_sample(name, "en"));
            assert_ne!(da.text, en.text, "{name}");
            assert_ne!(da.html, en.html, "{name}");
        }
    }

    #[test]
    fn a_template_folder_missing_a_file_names_it() {
        let mut files: Vec<(&str, &str)> = vec![("email/layout.txt", "x")];
        for lang in ["da", "en"] {
            for part in PARTS {
                let path: &'static str = Box::leak(format!("email/survey/{}", part.replace("{lang}", lang)).into());
                files.push((path, "x"));
            }
        }
        assert!(build_from(&files).is_ok());
        files.retain(|(path, _)| *path != "email/survey/body.en.html");
        let err = build_from(&files).err().unwrap_or_default();
        assert!(err.contains("templates/email/survey/body.en.html is missing"), "{err}");
    }

    #[test]
    fn no_template_marks_anything_safe() {
        for (file, source) in templates::email_sources(templates::files()) {
            let compact: String = source.chars().filter(|c| !c.is_whitespace()).collect();
            assert!(!compact.contains("|safe"), "{file} uses the safe filter");
        }
    }

    #[test]
    fn unknown_template_or_language_is_an_error() {
        let ctx = sample_context("receipt", "da");
        assert!(matches!(render("nope", "da", &ctx), Err(RenderError::UnknownTemplate(_))));
        assert!(matches!(render("receipt", "de", &ctx), Err(RenderError::UnknownLang(_))));
        assert!(matches!(render("layout", "da", &ctx), Err(RenderError::UnknownTemplate(_))));
    }

    #[test]
    fn a_missing_variable_names_itself() {
        let mut ctx = sample_context("visit_invitation", "da");
        ctx.remove("visit");
        let err = render("visit_invitation", "da", &ctx).expect_err("an error").to_string();
        assert!(err.contains("visit_invitation") && err.contains("visit"), "{err}");
    }

    #[test]
    fn the_lang_argument_wins_over_the_context() {
        let email = render("receipt", "en", &sample_context("receipt", "da")).unwrap_or_else(|e| panic!("{e}"));
        assert!(email.html.contains("<html lang=\"en\">"));
        assert!(email.text.contains("Thank you"));
    }

    #[test]
    fn typed_markup_is_escaped_in_html_and_literal_in_text() {
        let evil = "<script>alert(1)</script>";
        for name in templates() {
            for lang in LANGS {
                let mut ctx = sample_context(name, lang);
                ctx.insert("mover_name", evil);
                match *name {
                    "digest" => {
                        ctx.insert("cases", &[json!({ "reference": "VK-2026-7QK3MD", "name": evil, "received": "24.11.2026", "url": "http://127.0.0.1:8080/cases/VK-2026-7QK3MD" })]);
                        ctx.insert("count", &1);
                    }
                    "custom" => ctx.insert("body", &format!("Hej\n{evil}")),
                    "information_pack" => ctx.insert("note", evil),
                    "referral_offer" | "referral_reminder" => ctx.insert("message", evil),
                    "password_reset" | "account_notice" => ctx.insert("user_name", evil),
                    _ => {}
                }
                let email = render(name, lang, &ctx).unwrap_or_else(|e| panic!("{e}"));
                assert!(!email.html.contains("<script"), "{name}/{lang}: raw script in html");
                if matches!(*name, "consultant_notice" | "mover_changed") {
                    // Privacy: the consultant gets an outline and a link, never the name.
                    assert!(!email.text.contains("alert") && !email.html.contains("alert"), "{name}/{lang}");
                    continue;
                }
                assert!(
                    email.html.contains("&lt;script&gt;alert(1)&lt;&#x2F;script&gt;"),
                    "{name}/{lang}:\n{}",
                    email.html
                );
                assert!(email.text.contains(evil), "{name}/{lang}:\n{}", email.text);
            }
        }
    }

    #[test]
    fn a_line_break_in_a_name_never_reaches_the_subject() {
        for name in templates() {
            for lang in LANGS {
                let mut ctx = sample_context(name, lang);
                for key in ["mover_name", "consultant_name", "subject", "area_name", "reference"] {
                    ctx.insert(key, "Anna\r\nBcc: x@y.dk\n\u{2028}\u{85}");
                }
                let email = render(name, lang, &ctx).unwrap_or_else(|e| panic!("{e}"));
                assert!(
                    !email.subject.contains(['\r', '\n', '\u{2028}', '\u{85}']),
                    "{name}/{lang}: {:?}",
                    email.subject
                );
                assert_eq!(email.subject, email.subject.trim());
            }
        }
        assert_eq!(clean_subject(" Tak\r\nBcc: x@y.dk\t "), "Tak Bcc: x@y.dk");
    }

    #[test]
    fn the_receipt_keeps_the_reference_and_names_the_consultant() {
        let email = render_sample("receipt", "da");
        assert!(email.subject.contains("VK-2026-7QK3MD"));
        assert!(email.text.contains("Dit sagsnummer er VK-2026-7QK3MD."));
        assert!(email.html.contains("VK-2026-7QK3MD"));
        assert!(email.text.contains("Kim Konsulent") && email.text.contains("kim@kommune.dk"));
        assert!(email.text.contains("to hverdage"));

        let mut ctx = sample_context("receipt", "da");
        ctx.insert("consultant", &serde_json::Value::Null);
        ctx.insert("response_days", &3);
        let email = render("receipt", "da", &ctx).unwrap_or_else(|e| panic!("{e}"));
        assert!(email.text.contains("En bosætningskonsulent kontakter dig inden for tre hverdage."), "{}", email.text);
        assert!(!email.text.contains("Kim"));
    }

    #[test]
    fn the_information_pack_shows_only_the_topics_given() {
        let full = render_sample("information_pack", "da");
        for heading in ["Bolig og bosætning", "Dagtilbud og skoler", "Job og pendling"] {
            assert!(full.text.contains(heading) && full.html.contains(heading), "{heading}");
        }
        assert!(!full.text.contains("Byggegrunde\n") && !full.html.contains(">Byggegrunde<"), "build is empty");
        assert!(full.html.contains("href=\"https:&#x2F;&#x2F;www.vordingborg.dk&#x2F;borger&#x2F;skole\""));

        let email = render("information_pack", "da", &without_children(sample_context("information_pack", "da")))
            .unwrap_or_else(|e| panic!("{e}"));
        assert!(!email.text.contains("Dagtilbud og skoler") && !email.html.contains("Dagtilbud og skoler"));
        assert!(
            !email.text.contains("/borger/skole") && !email.html.contains("Dagtilbud og pasning"),
            "{}",
            email.text
        );
        assert!(email.text.contains("Bolig og bosætning"));

        let en = render("information_pack", "en", &without_children(sample_context("information_pack", "en")))
            .unwrap_or_else(|e| panic!("{e}"));
        assert!(!en.text.contains("Daycare and schools") && !en.html.contains("Daycare and schools"));
    }

    #[test]
    fn typed_line_breaks_are_kept_in_html() {
        let email = render_sample("custom", "da");
        assert_eq!(email.subject, "Boliger til salg i Præstø");
        assert!(email.text.contains("passer til jer.\nSkal jeg"), "{}", email.text);
        assert!(email.html.contains("passer til jer.<br>\nSkal jeg"), "{}", email.html);
        assert!(email.html.contains("Hej Anna<br>\n<br>\nDer er"), "{}", email.html);
    }

    #[test]
    fn consultant_notice_maps_every_code_to_words() {
        for lang in LANGS {
            for housing in ["buy", "rent", "build", "undecided"] {
                for timeframe in ["0-6m", "6-12m", "12m+", "undecided"] {
                    let mut ctx = sample_context("consultant_notice", lang);
                    ctx.insert("housing", housing);
                    ctx.insert("timeframe", timeframe);
                    ctx.insert("job_help", &false);
                    let email = render("consultant_notice", lang, &ctx).unwrap_or_else(|e| panic!("{e}"));
                    check("consultant_notice", lang, &email);
                    for line in email.text.lines() {
                        assert!(
                            !line.ends_with(": buy") && !line.ends_with(": rent") && !line.ends_with(": build"),
                            "{line}"
                        );
                    }
                    assert!(email.text.contains("http://127.0.0.1:8080/cases/VK-2026-7QK3MD"));
                }
            }
        }
    }

    #[test]
    fn welcome_package_says_where_to_collect_or_that_it_is_delivered() {
        let collect = render_sample("welcome_package", "da");
        assert!(collect.text.contains("Valdemarsgade 43"));
        let mut ctx = sample_context("welcome_package", "da");
        ctx.insert("delivery", "delivered");
        let delivered = render("welcome_package", "da", &ctx).unwrap_or_else(|e| panic!("{e}"));
        assert!(!delivered.text.contains("Valdemarsgade 43"));
    }

    #[test]
    fn digest_counts_in_the_singular_and_plural() {
        let two = render_sample("digest", "da");
        assert!(two.subject.contains("2 sager"), "{}", two.subject);
        let mut ctx = sample_context("digest", "en");
        ctx.insert("count", &1);
        let one = render("digest", "en", &ctx).unwrap_or_else(|e| panic!("{e}"));
        assert!(one.subject.contains("1 case ") || one.subject.ends_with("1 case"), "{}", one.subject);
    }

    /// Every email address in `body` except the consultant's.
    fn other_addresses(body: &str) -> Vec<&str> {
        body.split(|c: char| c.is_whitespace() || "<>\"():;,".contains(c))
            .filter(|word| word.contains('@') && !word.contains("kim@kommune.dk"))
            .collect()
    }

    #[test]
    fn the_referral_emails_render_in_both_languages() {
        for name in ["referral_offer", "referral_reminder", "referral_accepted"] {
            for lang in LANGS {
                check(name, lang, &render_sample(name, lang));
            }
        }
    }

    #[test]
    fn the_referral_offer_shows_the_household_in_outline_and_the_sign_in_link() {
        for name in ["referral_offer", "referral_reminder"] {
            for &lang in LANGS {
                let what = format!("{name}/{lang}");
                let email = render_sample(name, lang);
                assert!(email.text.contains("http://127.0.0.1:8080/signin/SAMPLE"), "{what}:\n{}", email.text);
                assert!(
                    email.html.contains("href=\"http:&#x2F;&#x2F;127.0.0.1:8080&#x2F;signin&#x2F;SAMPLE\""),
                    "{what}"
                );
                for body in [&email.text, &email.html] {
                    assert!(body.contains("Anna") && body.contains("Lis Lokalråd"), "{what}:\n{body}");
                    assert!(body.contains("Kim Konsulent"), "{what}: who asks");
                    assert!(body.contains(if lang == "en" { "7 days" } else { "7 dage" }), "{what}:\n{body}");
                    assert!(
                        body.contains(if lang == "en" { "aged 4 and 7" } else { "(4 og 7 år)" }),
                        "{what}:\n{body}"
                    );
                    assert!(body.contains(if lang == "en" { "in 6–12 months" } else { "om 6–12 måneder" }), "{what}");
                    // Labels with "og" inside are not run together with "og".
                    assert!(body.contains("friluftsliv; Vand") || body.contains("life; Water"), "{what}:\n{body}");
                    // No surname, no email but the consultant's, no case number.
                    assert!(!body.contains("Hansen"), "{what}: surname");
                    assert!(other_addresses(body).is_empty(), "{what}: {:?}", other_addresses(body));
                    for leak in ["VK-2026", "Sagsnummer", "Case number"] {
                        assert!(!body.contains(leak), "{what}: {leak:?} in\n{body}");
                    }
                }
                assert!(!email.subject.contains("Anna"), "{what}: {}", email.subject);

                // The greeting is the ambassador's even if a caller passes the mover's name.
                let mut ctx = sample_context(name, lang);
                ctx.insert("mover_name", "Anna Hansen");
                let email = render(name, lang, &ctx).unwrap_or_else(|e| panic!("{e}"));
                assert!(!email.text.contains("Hansen") && !email.html.contains("Hansen"), "{what}");
            }
        }
        let reminder = render_sample("referral_reminder", "da");
        assert!(reminder.text.contains("påmindelse") && reminder.text.contains("venter stadig"), "{}", reminder.text);
        let offer = render_sample("referral_offer", "en");
        assert!(offer.text.contains("The contact details are shown only after you accept."), "{}", offer.text);
    }

    #[test]
    fn the_referral_offer_maps_every_timeframe_and_counts_days_and_children() {
        for lang in LANGS {
            for timeframe in ["0-6m", "6-12m", "12m+", "undecided"] {
                let mut ctx = sample_context("referral_offer", lang);
                ctx.insert("timeframe", timeframe);
                check("referral_offer", lang, &render("referral_offer", lang, &ctx).unwrap_or_else(|e| panic!("{e}")));
            }
        }
        let mut ctx = sample_context("referral_offer", "da");
        ctx.insert("link_days", &1);
        ctx.insert("children_ages", &[3]);
        ctx.insert("children_count", &1);
        ctx.insert("message", "");
        ctx.insert("interests", &Vec::<String>::new());
        let email = render("referral_offer", "da", &ctx).unwrap_or_else(|e| panic!("{e}"));
        assert!(email.text.contains("i 1 dag."), "{}", email.text);
        assert!(email.text.contains("Husstand: 2 voksne og 1 barn (3 år)"), "{}", email.text);
        assert!(!email.text.contains("Besked fra") && !email.html.contains("Besked fra"), "{}", email.text);
        assert!(!email.text.contains("Interesser") && !email.html.contains("Interesser"));

        // Ages unknown: the count alone.
        ctx.insert("children_ages", &Vec::<u32>::new());
        ctx.insert("children_count", &2);
        let email = render("referral_offer", "da", &ctx).unwrap_or_else(|e| panic!("{e}"));
        assert!(email.text.contains("Husstand: 2 voksne og 2 børn\n"), "{}", email.text);
    }

    #[test]
    fn markup_in_the_consultants_message_is_escaped_in_html() {
        let evil = "<script>alert(1)</script>";
        for name in ["referral_offer", "referral_reminder"] {
            for lang in LANGS {
                let mut ctx = sample_context(name, lang);
                ctx.insert("message", &format!("Hej Lis\n{evil}"));
                let email = render(name, lang, &ctx).unwrap_or_else(|e| panic!("{e}"));
                assert!(!email.html.contains("<script"), "{name}/{lang}: raw script in html");
                assert!(
                    email.html.contains("Hej Lis<br>\n&lt;script&gt;alert(1)&lt;&#x2F;script&gt;"),
                    "{name}/{lang}:\n{}",
                    email.html
                );
                assert!(email.text.contains(evil), "{name}/{lang}");
            }
        }
    }

    #[test]
    fn referral_accepted_tells_the_mover_who_will_call_and_who_stays_their_contact() {
        let en = render_sample("referral_accepted", "en");
        assert!(en.subject.contains("Lis Lokalråd") && en.subject.contains("Stege Lokalråd"), "{}", en.subject);
        for body in [&en.text, &en.html] {
            assert!(body.contains("Lis Lokalråd") && body.contains("Stege Lokalråd"), "{body}");
            assert!(body.contains("lis@stegelokalraad.dk") && body.contains("55 81 12 34"), "{body}");
            assert!(body.contains("Kim Konsulent remains your relocation consultant"), "{body}");
            assert!(body.contains("VK-2026-7QK3MD"), "the mover keeps the case number");
        }
        assert!(en.text.starts_with("Dear Anna Hansen,"), "{}", en.text);
        let da = render_sample("referral_accepted", "da");
        assert!(
            da.text.contains("Telefon: 55 81 12 34") && da.text.contains("Kim Konsulent er fortsat"),
            "{}",
            da.text
        );

        let mut ctx = sample_context("referral_accepted", "da");
        ctx.insert(
            "ambassador",
            &json!({ "name": "Lis Lokalråd", "organisation": "", "email": "lis@stegelokalraad.dk", "phone": "" }),
        );
        ctx.insert("consultant", &serde_json::Value::Null);
        let email = render("referral_accepted", "da", &ctx).unwrap_or_else(|e| panic!("{e}"));
        check("referral_accepted", "da", &email);
        assert_eq!(email.subject, "Lis Lokalråd kontakter dig snart");
        assert!(!email.text.contains("Telefon") && !email.html.contains("Telefon"), "{}", email.text);
        assert!(!email.text.contains(" fra ") && !email.text.contains("Kim"), "{}", email.text);
    }

    /// The Danish receipt, word for word. A change to the template must
    /// update templates/email/receipt/snapshot.da.txt deliberately.
    #[test]
    fn receipt_snapshot() {
        let email = render_sample("receipt", "da");
        assert_eq!(email.text, include_str!("../../templates/email/receipt/snapshot.da.txt").trim_end());
    }
}
