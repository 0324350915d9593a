//! Every file under `templates/`, embedded at build time (see `build.rs`),
//! and the lists derived from it: the page templates (`web::pages`) and the
//! email templates (`mail::render`, the admin's preview page).
//!
//! Nothing here is a hand-kept list: a new page is a new `.html` file, a new
//! email a new folder `templates/email/<name>/` with its six files
//! (`subject|body.<lang>.txt`, `body.<lang>.html` for `da` and `en`) and,
//! optionally, its `sample.json` for the preview.

// Defines `static TEMPLATE_FILES: &[(&str, &str)]`, sorted by path.
include!(concat!(env!("OUT_DIR"), "/templates.rs"));

/// (path below `templates/`, text) of every embedded file.
pub fn files() -> &'static [(&'static str, &'static str)] {
    TEMPLATE_FILES
}

/// The text of one embedded file, by its path below `templates/`.
pub fn file(path: &str) -> Option<&'static str> {
    TEMPLATE_FILES.iter().find(|(p, _)| *p == path).map(|(_, text)| *text)
}

/// The page templates: every `.html` file outside `email/`.
pub fn pages<'a>(files: &[(&'a str, &'a str)]) -> Vec<(&'a str, &'a str)> {
    files.iter().filter(|(path, _)| !path.starts_with("email/") && path.ends_with(".html")).copied().collect()
}

/// The email templates: the names of the folders directly under `email/`,
/// sorted.
pub fn email_names<'a>(files: &[(&'a str, &str)]) -> Vec<&'a str> {
    let mut names: Vec<&str> =
        files.iter().filter_map(|(path, _)| path.strip_prefix("email/")?.split_once('/').map(|(dir, _)| dir)).collect();
    names.sort_unstable();
    names.dedup();
    names
}

/// The files tera loads for the emails: the shared layouts and macros
/// (`email/*.html|txt|tera`) and each folder's subject and body files —
/// not the sample data or snapshots beside them.
pub fn email_sources<'a>(files: &[(&'a str, &'a str)]) -> Vec<(&'a str, &'a str)> {
    files
        .iter()
        .filter(|(path, _)| {
            let Some(rest) = path.strip_prefix("email/") else { return false };
            match rest.split_once('/') {
                None => [".html", ".txt", ".tera"].iter().any(|ext| rest.ends_with(ext)),
                Some((_, file)) => file.starts_with("subject.") || file.starts_with("body."),
            }
        })
        .copied()
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The folders on disk, read now: what build.rs must have embedded.
    fn folders_on_disk(dir: &str) -> Vec<String> {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("templates").join(dir);
        let mut names: Vec<String> = std::fs::read_dir(root)
            .expect("templates folder")
            .filter_map(|e| e.ok())
            .filter(|e| e.path().is_dir())
            .filter_map(|e| e.file_name().to_str().map(str::to_string))
            .collect();
        names.sort();
        names
    }

    #[test]
    fn a_new_email_folder_is_a_new_email_template() {
        let mut files = vec![
            ("email/layout.html", ""),
            ("email/sample.json", "{}"),
            ("email/receipt/subject.da.txt", ""),
            ("email/receipt/sample.json", "{}"),
            ("staff/case.html", ""),
        ];
        assert_eq!(email_names(&files), ["receipt"]);
        files.push(("email/newcomer_survey/subject.da.txt", ""));
        files.push(("email/newcomer_survey/body.da.html", ""));
        assert_eq!(email_names(&files), ["newcomer_survey", "receipt"]);
    }

    #[test]
    fn the_derived_email_list_is_every_folder_under_templates_email() {
        assert_eq!(email_names(files()), folders_on_disk("email"));
        assert!(email_names(files()).contains(&"receipt"));
    }

    #[test]
    fn tera_gets_the_layouts_and_the_subjects_and_bodies_only() {
        let files = [
            ("email/layout.txt", "a"),
            ("email/macros.tera", "b"),
            ("email/sample.json", "{}"),
            ("email/receipt/subject.da.txt", "c"),
            ("email/receipt/body.en.html", "d"),
            ("email/receipt/sample.json", "{}"),
            ("email/receipt/snapshot.da.txt", "e"),
            ("base.html", "f"),
        ];
        let paths: Vec<&str> = email_sources(&files).iter().map(|(p, _)| *p).collect();
        assert_eq!(
            paths,
            ["email/layout.txt", "email/macros.tera", "email/receipt/subject.da.txt", "email/receipt/body.en.html"]
        );
    }

    #[test]
    fn pages_are_the_html_files_outside_email() {
        let files = [("base.html", ""), ("staff/case.html", ""), ("email/layout.html", ""), ("README.txt", "")];
        let paths: Vec<&str> = pages(&files).iter().map(|(p, _)| *p).collect();
        assert_eq!(paths, ["base.html", "staff/case.html"]);
        // And the real set has every page the app renders.
        let real: Vec<&str> = pages(super::files()).iter().map(|(p, _)| *p).collect();
        for page in ["base.html", "macros.html", "error.html", "staff/case.html", "admin/templates.html"] {
            assert!(real.contains(&page), "{page}");
        }
    }
}
