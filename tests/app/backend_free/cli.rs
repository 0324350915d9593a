//! Exit codes and one clear line, before any database is reached.

use crate::cli::velkomst;

#[test]
fn a_wrong_database_url_is_one_clear_line_naming_the_setting() {
    for url in ["mysql://localhost/x", "postgres://nobody@127.0.0.1:1/none"] {
        let (code, out, err) = velkomst(url, &["migrate"], None);
        assert_eq!(code, 2, "{url}: {out}{err}");
        assert_eq!(err.trim().lines().count(), 1, "{err}");
        assert!(err.contains("VELKOMST_DATABASE_URL"), "{err}");
    }
    let (code, _, err) = velkomst("sqlite://data/x.db", &["frobnicate"], None);
    assert_eq!(code, 2, "{err}");
}
