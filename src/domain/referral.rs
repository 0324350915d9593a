//! Referrals to local ambassadors.
//!
//! ```text
//! offered ──▶ accepted ──▶ contacted ──▶ met ──▶ closed (with a report)
//!    └──▶ declined (with a reason)       └────────▲
//! any open state ──▶ withdrawn (by the consultant)
//! ```
//! Only a mover who consented may be referred, and an ambassador sees
//! contact details only between accepting and closing.

use serde::Serialize;

use super::text::text_enum;

text_enum!(
    pub enum State as "referral state" {
        Offered = "offered", Accepted = "accepted", Declined = "declined", Contacted = "contacted",
        Met = "met", Closed = "closed", Withdrawn = "withdrawn",
    }
);

impl State {
    /// Still in someone's hands.
    pub fn is_open(self) -> bool {
        matches!(self, State::Offered | State::Accepted | State::Contacted | State::Met)
    }

    /// The ambassador may see the mover's full name, email and phone.
    pub fn shows_contact(self) -> bool {
        matches!(self, State::Accepted | State::Contacted | State::Met)
    }
}

/// What the ambassador or the consultant does.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Step {
    Accept,
    Decline { reason: String },
    Contacted,
    Met,
    Close { report: String },
    Withdraw,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum Refusal {
    NotNow,
    ReasonRequired,
    ReportRequired,
    TooLong,
}

impl Refusal {
    pub fn code(self) -> &'static str {
        match self {
            Refusal::NotNow => "referral-not-now",
            Refusal::ReasonRequired => "referral-reason-required",
            Refusal::ReportRequired => "referral-report-required",
            Refusal::TooLong => "too-long-4000",
        }
    }

    pub fn message_en(self) -> &'static str {
        match self {
            Refusal::NotNow => "the referral is not in a state that allows this",
            Refusal::ReasonRequired => "a reason is required to decline",
            Refusal::ReportRequired => "a short report is required to close",
            Refusal::TooLong => "at most 4000 characters",
        }
    }
}

fn text_ok(s: &str) -> Result<(), Refusal> {
    if s.chars().count() > 4000 {
        return Err(Refusal::TooLong);
    }
    Ok(())
}

/// The referral's one rule book.
pub fn step(from: State, step: &Step) -> Result<State, Refusal> {
    match (from, step) {
        (State::Offered, Step::Accept) => Ok(State::Accepted),
        (State::Offered, Step::Decline { reason }) => {
            text_ok(reason)?;
            if reason.trim().is_empty() {
                Err(Refusal::ReasonRequired)
            } else {
                Ok(State::Declined)
            }
        }
        (State::Accepted, Step::Contacted) => Ok(State::Contacted),
        (State::Contacted, Step::Met) => Ok(State::Met),
        (State::Contacted | State::Met, Step::Close { report }) => {
            text_ok(report)?;
            if report.trim().is_empty() {
                Err(Refusal::ReportRequired)
            } else {
                Ok(State::Closed)
            }
        }
        (s, Step::Withdraw) if s.is_open() => Ok(State::Withdrawn),
        _ => Err(Refusal::NotNow),
    }
}

/// Whether closing the case withdraws a referral in `state`. An offered
/// referral always goes (nobody takes on a closed case, and accepting is
/// what shows the mover's contact details); one already taken on stays
/// only when the case closed as welcomed, so the ambassador may finish.
/// Every other outcome (incl. the mover's withdrawal and erasure) ends it.
pub fn withdrawn_on_close(state: State, welcomed: bool) -> bool {
    match state {
        State::Offered => true,
        s => s.is_open() && !welcomed,
    }
}

/// Whether `step` may still be taken on a referral of a closed case:
/// the consultant may always withdraw; after a welcomed close the
/// ambassador may finish what they took on (never accept anew).
pub fn allowed_on_closed_case(step: &Step, welcomed: bool) -> bool {
    match step {
        Step::Withdraw => true,
        Step::Contacted | Step::Met | Step::Close { .. } => welcomed,
        Step::Accept | Step::Decline { .. } => false,
    }
}

/// A candidate ambassador for a case, as the suggestion ranks them.
#[derive(Debug, Clone)]
pub struct Candidate<'a> {
    pub id: &'a str,
    pub areas: &'a [String],
    pub interests: &'a [String],
    pub open_referrals: i64,
}

/// Ranks candidates: shared areas weigh most, then shared interests; a
/// full plate (open referrals) counts against. Ties keep the input order.
pub fn rank<'a>(case_areas: &[String], case_interests: &[String], candidates: &[Candidate<'a>]) -> Vec<(&'a str, i64)> {
    let mut scored: Vec<(usize, &'a str, i64)> = candidates
        .iter()
        .enumerate()
        .map(|(i, c)| {
            let areas = c.areas.iter().filter(|a| case_areas.contains(a)).count() as i64;
            let interests = c.interests.iter().filter(|x| case_interests.contains(x)).count() as i64;
            (i, c.id, areas * 10 + interests * 3 - c.open_referrals)
        })
        .collect();
    scored.sort_by(|a, b| b.2.cmp(&a.2).then(a.0.cmp(&b.0)));
    scored.into_iter().map(|(_, id, score)| (id, score)).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn the_whole_hand_off() {
        let mut s = State::Offered;
        for st in [Step::Accept, Step::Contacted, Step::Met, Step::Close { report: "Viste rundt".into() }] {
            s = step(s, &st).expect("allowed");
        }
        assert_eq!(s, State::Closed);
        assert!(!s.shows_contact());
    }

    #[test]
    fn refusals() {
        assert_eq!(step(State::Offered, &Step::Decline { reason: " ".into() }), Err(Refusal::ReasonRequired));
        assert_eq!(step(State::Offered, &Step::Contacted), Err(Refusal::NotNow));
        assert_eq!(step(State::Met, &Step::Close { report: "".into() }), Err(Refusal::ReportRequired));
        assert_eq!(step(State::Declined, &Step::Withdraw), Err(Refusal::NotNow));
        assert_eq!(step(State::Accepted, &Step::Withdraw), Ok(State::Withdrawn));
        assert_eq!(step(State::Offered, &Step::Decline { reason: "x".repeat(4001) }), Err(Refusal::TooLong));
    }

    #[test]
    fn contact_details_only_between_accepting_and_closing() {
        let shown: Vec<State> = State::ALL.iter().copied().filter(|s| s.shows_contact()).collect();
        assert_eq!(shown, vec![State::Accepted, State::Contacted, State::Met]);
    }

    #[test]
    fn closing_withdraws_offers_always_and_taken_on_referrals_unless_welcomed() {
        for &st in State::ALL {
            assert_eq!(withdrawn_on_close(st, false), st.is_open(), "{st:?} not welcomed");
            assert_eq!(withdrawn_on_close(st, true), st == State::Offered, "{st:?} welcomed");
        }
        assert!(!allowed_on_closed_case(&Step::Accept, true));
        assert!(allowed_on_closed_case(&Step::Met, true));
        assert!(!allowed_on_closed_case(&Step::Met, false));
        assert!(allowed_on_closed_case(&Step::Withdraw, false));
    }

    #[test]
    fn ranking_prefers_areas_then_interests_then_free_hands() {
        let (stege, nature) = (vec!["stege".to_string()], vec!["nature".to_string()]);
        let none: Vec<String> = vec![];
        let cands = [
            Candidate { id: "busy-local", areas: &stege, interests: &none, open_referrals: 3 },
            Candidate { id: "far", areas: &none, interests: &nature, open_referrals: 0 },
            Candidate { id: "local", areas: &stege, interests: &nature, open_referrals: 0 },
        ];
        let ranked: Vec<&str> = rank(&stege, &nature, &cands).into_iter().map(|(id, _)| id).collect();
        assert_eq!(ranked, ["local", "busy-local", "far"]);
    }

    fn any_step() -> impl Strategy<Value = Step> {
        prop_oneof![
            Just(Step::Accept),
            Just(Step::Decline { reason: "no time".into() }),
            Just(Step::Decline { reason: "".into() }),
            Just(Step::Contacted),
            Just(Step::Met),
            Just(Step::Close { report: "done".into() }),
            Just(Step::Withdraw),
        ]
    }

    proptest! {
        /// Closed, declined and withdrawn are final; contact details are
        /// never visible once the referral is over.
        #[test]
        fn final_states_stay_final(steps in proptest::collection::vec(any_step(), 0..40)) {
            let mut s = State::Offered;
            for st in steps {
                let before = s;
                if let Ok(next) = step(s, &st) {
                    prop_assert!(before.is_open());
                    s = next;
                }
                if !s.is_open() {
                    prop_assert!(!s.shows_contact());
                }
            }
        }
    }
}
