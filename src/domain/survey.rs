//! After the move: the welcome survey and the one-year check. When each is
//! due, what an answer is, and the anonymous figures the reports show.
//! Pure rules; the schedule lives in `workflow::surveys`.

use std::collections::BTreeMap;

use chrono::{Months, NaiveDate};
use serde::Serialize;

use super::text::text_enum;

text_enum!(
    /// Which of the two questionnaires after the move:
    /// - `Welcome`: the welcome survey, statements on a 1–5 scale, which help
    ///   mattered, free text.
    /// - `OneYear`: the one-year check, still living here?
    pub enum Kind as "survey kind" {
        Welcome = "welcome", OneYear = "one_year",
    }
);

text_enum!(
    /// The one-year check's answer:
    /// - `Stayed`: still at the address they moved to.
    /// - `MovedWithin`: moved, but within the municipality.
    /// - `MovedAway`: left the municipality.
    pub enum Residence as "residence" {
        Stayed = "stayed", MovedWithin = "moved_within", MovedAway = "moved_away",
    }
);

impl Residence {
    /// Still living in the municipality.
    pub fn resident(self) -> bool {
        self != Residence::MovedAway
    }
}

/// When the survey of `kind` is due: the local date `delay` after the
/// move-in date.
pub fn due_date(move_in: NaiveDate, kind: Kind, welcome_after_days: u32, one_year_after_months: u32) -> NaiveDate {
    match kind {
        Kind::Welcome => move_in + chrono::Duration::days(i64::from(welcome_after_days)),
        Kind::OneYear => move_in.checked_add_months(Months::new(one_year_after_months)).unwrap_or(NaiveDate::MAX),
    }
}

/// Whether a survey due on `due` is sent on `today`: due, and not more than
/// `window_days` late, so switching the feature on does not mail households
/// that moved years ago.
pub fn send_today(due: NaiveDate, today: NaiveDate, window_days: u32) -> bool {
    due <= today && today - due <= chrono::Duration::days(i64::from(window_days))
}

/// The move-in dates whose survey of `kind` is sent on `today`, as the
/// inclusive range `(earliest, latest)` (for the database query).
pub fn move_in_range(
    today: NaiveDate,
    kind: Kind,
    welcome_after_days: u32,
    one_year_after_months: u32,
    window_days: u32,
) -> (NaiveDate, NaiveDate) {
    let back = |d: NaiveDate| match kind {
        Kind::Welcome => d - chrono::Duration::days(i64::from(welcome_after_days)),
        Kind::OneYear => d.checked_sub_months(Months::new(one_year_after_months)).unwrap_or(NaiveDate::MIN),
    };
    (back(today - chrono::Duration::days(i64::from(window_days))), back(today))
}

/// The most free text an answer keeps.
pub const MAX_COMMENT_CHARS: usize = 2000;

/// A survey form as typed (kept when it is refused).
#[derive(Debug, Clone, Default, Serialize)]
pub struct Draft {
    /// statement key → what was chosen ("" if nothing).
    pub scores: BTreeMap<String, String>,
    pub helped: Vec<String>,
    pub residence: String,
    pub comment: String,
}

/// A checked answer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Answer {
    /// statement key → 1..=5; a statement left out is "no answer".
    pub scores: BTreeMap<String, u8>,
    pub helped: Vec<String>,
    pub residence: Option<Residence>,
    /// Trimmed; `None` when empty.
    pub comment: Option<String>,
}

/// A refused field: its name and a code the page turns into words.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FieldError {
    pub field: String,
    pub code: &'static str,
}

/// Checks a draft against the configured statements and help options.
/// The welcome survey needs at least one statement answered; the one-year
/// check needs where they live. Scores other than 1–5, unknown help
/// options and overlong text are refused at their field.
pub fn check(kind: Kind, draft: &Draft, statements: &[&str], help: &[&str]) -> Result<Answer, Vec<FieldError>> {
    let mut errors = Vec::new();
    let mut scores = BTreeMap::new();
    let mut residence = None;
    let mut helped = Vec::new();
    match kind {
        Kind::Welcome => {
            for key in statements {
                let v = draft.scores.get(*key).map_or("", |s| s.trim());
                if v.is_empty() {
                    continue;
                }
                match v.parse::<u8>() {
                    Ok(n) if (1..=5).contains(&n) => {
                        scores.insert((*key).to_string(), n);
                    }
                    _ => errors.push(FieldError { field: format!("score-{key}"), code: "score-range" }),
                }
            }
            if scores.is_empty() && errors.is_empty() {
                let first = statements.first().map_or_else(String::new, |k| format!("score-{k}"));
                errors.push(FieldError { field: first, code: "survey-nothing" });
            }
            for h in &draft.helped {
                if help.contains(&h.as_str()) {
                    if !helped.contains(h) {
                        helped.push(h.clone());
                    }
                } else {
                    errors.push(FieldError { field: "helped".into(), code: "help-unknown" });
                }
            }
        }
        Kind::OneYear => match Residence::parse(draft.residence.trim()) {
            Some(r) => residence = Some(r),
            None => errors.push(FieldError { field: "residence".into(), code: "required" }),
        },
    }
    let comment = draft.comment.trim();
    if comment.chars().count() > MAX_COMMENT_CHARS {
        errors.push(FieldError { field: "comment".into(), code: "comment-too-long" });
    }
    if !errors.is_empty() {
        return Err(errors);
    }
    Ok(Answer { scores, helped, residence, comment: Some(comment.to_string()).filter(|c| !c.is_empty()) })
}

/// A count the reader may not see: 1..min-1 people could be recognised.
pub fn small(n: usize, min: usize) -> bool {
    n > 0 && n < min
}

/// One statement's figures: how many answered it and how (1..=5).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct StatementFigures {
    pub key: String,
    pub answered: Option<usize>,
    /// Answers per score 1..=5.
    pub counts: Option<[usize; 5]>,
    /// The mean score, one decimal.
    pub mean: Option<f64>,
    pub suppressed: bool,
}

/// The welcome survey's anonymous figures for a period.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct WelcomeFigures {
    pub sent: Option<usize>,
    pub answered: Option<usize>,
    pub statements: Vec<StatementFigures>,
    /// help option → how many said it mattered.
    pub helped: Vec<(String, Option<usize>)>,
    pub suppressed: bool,
}

/// A stored welcome answer, as the figures need it (no free text).
pub struct Scored<'a> {
    pub scores: &'a BTreeMap<String, u8>,
    pub helped: &'a [String],
}

fn masked(n: usize, min: usize, mask: bool) -> Option<usize> {
    (!(mask && small(n, min))).then_some(n)
}

/// Adds up answers. With `mask` (the reporter role), a count of 1 to
/// `min - 1` is `None` and the row is marked suppressed; a statement with
/// too few answers shows neither its counts nor its mean.
pub fn welcome_figures(
    sent: usize,
    answers: &[Scored<'_>],
    statements: &[&str],
    help: &[&str],
    min: usize,
    mask: bool,
) -> WelcomeFigures {
    let mut suppressed = mask && (small(sent, min) || small(answers.len(), min));
    let statements = statements
        .iter()
        .map(|key| {
            let mut counts = [0usize; 5];
            for a in answers {
                if let Some(n) = a.scores.get(*key).filter(|n| (1..=5).contains(*n)) {
                    counts[usize::from(*n - 1)] += 1;
                }
            }
            let answered: usize = counts.iter().sum();
            let sum: usize = counts.iter().enumerate().map(|(i, c)| (i + 1) * c).sum();
            let hide = mask && small(answered, min);
            suppressed |= hide;
            #[allow(clippy::cast_precision_loss)]
            let mean = (answered > 0).then(|| (sum as f64 / answered as f64 * 10.0).round() / 10.0);
            StatementFigures {
                key: (*key).to_string(),
                answered: masked(answered, min, mask),
                counts: (!hide).then_some(counts),
                mean: if hide { None } else { mean },
                suppressed: hide,
            }
        })
        .collect();
    let helped = help
        .iter()
        .map(|h| {
            let n = answers.iter().filter(|a| a.helped.iter().any(|x| x == h)).count();
            suppressed |= mask && small(n, min);
            ((*h).to_string(), masked(n, min, mask))
        })
        .collect();
    WelcomeFigures {
        sent: masked(sent, min, mask),
        answered: masked(answers.len(), min, mask),
        statements,
        helped,
        suppressed,
    }
}

/// One row of the one-year figures: of those who answered, how many still
/// live in the municipality.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ResidenceRow {
    pub key: String,
    pub answered: Option<usize>,
    pub stayed: Option<usize>,
    pub moved_within: Option<usize>,
    pub moved_away: Option<usize>,
    /// Percent still resident (stayed or moved within), whole number.
    pub resident_share: Option<u32>,
    pub suppressed: bool,
}

/// The share still resident after a year, grouped by `key` (a case counts
/// under each of its keys, e.g. each of its areas). Masked as
/// [`welcome_figures`]; a row with a hidden count hides its share too.
pub fn residence_rows(answers: &[(Vec<String>, Residence)], min: usize, mask: bool) -> Vec<ResidenceRow> {
    let mut by: BTreeMap<String, [usize; 3]> = BTreeMap::new();
    for (keys, r) in answers {
        for k in keys {
            let row = by.entry(k.clone()).or_default();
            row[match r {
                Residence::Stayed => 0,
                Residence::MovedWithin => 1,
                Residence::MovedAway => 2,
            }] += 1;
        }
    }
    by.into_iter()
        .map(|(key, [stayed, within, away])| {
            let answered = stayed + within + away;
            let hide = mask && [answered, stayed, within, away].iter().any(|n| small(*n, min));
            #[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss, clippy::cast_precision_loss)]
            let share = (answered > 0).then(|| ((stayed + within) as f64 * 100.0 / answered as f64).round() as u32);
            ResidenceRow {
                key,
                answered: masked(answered, min, mask),
                stayed: masked(stayed, min, mask),
                moved_within: masked(within, min, mask),
                moved_away: masked(away, min, mask),
                resident_share: if hide { None } else { share },
                suppressed: hide,
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").expect("date")
    }

    #[test]
    fn due_after_the_move_in_and_only_inside_the_window() {
        assert_eq!(due_date(d("2026-03-01"), Kind::Welcome, 90, 12), d("2026-05-30"));
        assert_eq!(due_date(d("2026-03-01"), Kind::OneYear, 90, 12), d("2027-03-01"));
        assert_eq!(due_date(d("2026-03-01"), Kind::Welcome, 0, 12), d("2026-03-01"));
        assert!(send_today(d("2026-05-30"), d("2026-05-30"), 30));
        assert!(send_today(d("2026-05-30"), d("2026-06-29"), 30));
        assert!(!send_today(d("2026-05-30"), d("2026-06-30"), 30), "a month late: not sent");
        assert!(!send_today(d("2026-05-30"), d("2026-05-29"), 30), "not yet");
        let (lo, hi) = move_in_range(d("2026-06-29"), Kind::Welcome, 90, 12, 30);
        assert_eq!((lo, hi), (d("2026-03-01"), d("2026-03-31")));
        let (lo, hi) = move_in_range(d("2027-03-01"), Kind::OneYear, 90, 12, 0);
        assert_eq!((lo, hi), (d("2026-03-01"), d("2026-03-01")));
    }

    fn draft(scores: &[(&str, &str)], helped: &[&str], residence: &str, comment: &str) -> Draft {
        Draft {
            scores: scores.iter().map(|(k, v)| ((*k).to_string(), (*v).to_string())).collect(),
            helped: helped.iter().map(|h| (*h).to_string()).collect(),
            residence: residence.into(),
            comment: comment.into(),
        }
    }

    const ST: &[&str] = &["welcomed", "belong"];
    const HELP: &[&str] = &["consultant", "ambassador"];

    #[test]
    fn an_answer_is_checked_at_its_fields() {
        let ok = check(Kind::Welcome, &draft(&[("welcomed", "5")], &["ambassador"], "", "  Tak "), ST, HELP);
        let ok = ok.expect("accepted");
        assert_eq!(ok.scores.get("welcomed"), Some(&5));
        assert_eq!(ok.comment.as_deref(), Some("Tak"));
        let bad = check(Kind::Welcome, &draft(&[("welcomed", "6")], &["bribe"], "", ""), ST, HELP).expect_err("no");
        assert_eq!(bad.iter().map(|e| e.field.as_str()).collect::<Vec<_>>(), ["score-welcomed", "helped"]);
        let none = check(Kind::Welcome, &draft(&[], &[], "", "just text"), ST, HELP).expect_err("nothing scored");
        assert_eq!(none[0].code, "survey-nothing");
        let long = "x".repeat(MAX_COMMENT_CHARS + 1);
        assert!(check(Kind::Welcome, &draft(&[("belong", "1")], &[], "", &long), ST, HELP).is_err());
        let year = check(Kind::OneYear, &draft(&[], &[], "moved_within", ""), ST, HELP).expect("ok");
        assert_eq!(year.residence, Some(Residence::MovedWithin));
        assert!(check(Kind::OneYear, &draft(&[], &[], "", "why"), ST, HELP).is_err());
    }

    #[test]
    fn small_groups_are_hidden_from_reporters_only() {
        let five: BTreeMap<String, u8> = [("welcomed".to_string(), 5)].into();
        let four: BTreeMap<String, u8> = [("welcomed".to_string(), 4), ("belong".to_string(), 2)].into();
        let helped = vec!["consultant".to_string()];
        let answers: Vec<Scored<'_>> = (0..6)
            .map(|i| Scored { scores: if i < 3 { &five } else { &four }, helped: if i == 0 { &helped } else { &[] } })
            .collect();
        let exact = welcome_figures(10, &answers, ST, HELP, 5, false);
        assert_eq!(exact.statements[0].mean, Some(4.5));
        assert_eq!(exact.statements[1].answered, Some(3));
        assert_eq!(exact.helped[0], ("consultant".to_string(), Some(1)));
        let masked = welcome_figures(10, &answers, ST, HELP, 5, true);
        assert_eq!(masked.statements[0].counts, Some([0, 0, 0, 3, 3]));
        assert_eq!((masked.statements[1].answered, masked.statements[1].mean), (None, None));
        assert_eq!(masked.helped[0].1, None);
        assert_eq!(masked.helped[1].1, Some(0), "nobody is no one to recognise");
        assert!(masked.suppressed);

        let rows: Vec<(Vec<String>, Residence)> = (0..10)
            .map(|i| (vec!["stege".to_string()], if i < 8 { Residence::Stayed } else { Residence::MovedAway }))
            .chain((0..5).map(|_| (vec!["bogoe".to_string()], Residence::MovedWithin)))
            .collect();
        let exact = residence_rows(&rows, 5, false);
        assert_eq!(exact[1].key, "stege");
        assert_eq!(exact[1].resident_share, Some(80));
        let masked = residence_rows(&rows, 5, true);
        assert_eq!(masked[0].resident_share, Some(100), "bogoe: five, none small");
        assert_eq!((masked[1].moved_away, masked[1].resident_share), (None, None));
    }
}
