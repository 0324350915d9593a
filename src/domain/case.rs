//! The case pipeline: stages, outcomes and the rules for moving between
//! them. Every surface (HTML, API, CLI) asks [`decide`]; none re-implements it.
//!
//! ```text
//! information ──▶ visit ──▶ move_in ──▶ welcome_package ──▶ closed: welcomed
//!      └────── visit skipped ──▲
//! any open stage ──▶ closed: chose_elsewhere | no_response | withdrawn | duplicate | spam
//! ```

use serde::Serialize;

use super::text::text_enum;

text_enum!(
    #[derive(PartialOrd, Ord)]
    pub enum Stage as "stage" {
        Information = "information", Visit = "visit", MoveIn = "move_in",
        WelcomePackage = "welcome_package", Closed = "closed",
    }
);

impl Stage {
    pub const OPEN: [Stage; 4] = [Stage::Information, Stage::Visit, Stage::MoveIn, Stage::WelcomePackage];

    pub fn is_open(self) -> bool {
        self != Stage::Closed
    }

    /// The stage a forward move normally goes to.
    pub fn next(self) -> Option<Stage> {
        match self {
            Stage::Information => Some(Stage::Visit),
            Stage::Visit => Some(Stage::MoveIn),
            Stage::MoveIn => Some(Stage::WelcomePackage),
            Stage::WelcomePackage | Stage::Closed => None,
        }
    }
}

text_enum!(
    pub enum Outcome as "outcome" {
        Welcomed = "welcomed", ChoseElsewhere = "chose_elsewhere", NoResponse = "no_response",
        Withdrawn = "withdrawn", Duplicate = "duplicate", Spam = "spam",
    }
);

/// Where a case stands, as far as the rules care.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CaseState {
    pub stage: Stage,
    /// The open stage the case was in before it closed (equal to `stage`
    /// while open); a reopened case returns there.
    pub last_open_stage: Stage,
    pub outcome: Option<Outcome>,
}

impl CaseState {
    pub fn new() -> Self {
        Self { stage: Stage::Information, last_open_stage: Stage::Information, outcome: None }
    }
}

impl Default for CaseState {
    fn default() -> Self {
        Self::new()
    }
}

/// What staff ask for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Action {
    /// Forward to a later open stage (the next one, or move_in from
    /// information when the visit is skipped).
    MoveTo(Stage),
    /// Back to an earlier open stage, e.g. a visit was cancelled.
    StepBack(Stage),
    Close(Outcome),
    Reopen,
}

/// Why the pipeline refuses. Each names a message in the locales
/// (`refusal-<code>`); `message_en` is the API's plain-English text.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum Refusal {
    CaseClosed,
    AlreadyThere,
    NotForward,
    SkipsAStage,
    NotBack,
    NoteRequired,
    NotClosed,
    WelcomedTooEarly,
    NotAStage,
    /// Visits are planned while a case is in information or visit.
    VisitNotNow,
    /// Move-in is recorded from information, visit or move-in.
    MoveInNotNow,
    /// A welcome package is prepared while the case is in move-in, and
    /// delivered once prepared.
    PackageNotNow,
    /// The case has no local area to take the package from.
    PackageNoArea,
    /// Delivery by an ambassador needs an active ambassador.
    PackageNoAmbassador,
}

impl Refusal {
    pub fn code(self) -> &'static str {
        match self {
            Refusal::CaseClosed => "case-closed",
            Refusal::AlreadyThere => "already-there",
            Refusal::NotForward => "not-forward",
            Refusal::SkipsAStage => "skips-a-stage",
            Refusal::NotBack => "not-back",
            Refusal::NoteRequired => "note-required",
            Refusal::NotClosed => "not-closed",
            Refusal::WelcomedTooEarly => "welcomed-too-early",
            Refusal::NotAStage => "not-a-stage",
            Refusal::VisitNotNow => "visit-not-now",
            Refusal::MoveInNotNow => "move-in-not-now",
            Refusal::PackageNotNow => "package-not-now",
            Refusal::PackageNoArea => "package-no-area",
            Refusal::PackageNoAmbassador => "package-no-ambassador",
        }
    }

    pub fn message_en(self) -> &'static str {
        match self {
            Refusal::CaseClosed => "the case is closed; reopen it first",
            Refusal::AlreadyThere => "the case is already in that stage",
            Refusal::NotForward => "that stage is not ahead of the current one; step back instead",
            Refusal::SkipsAStage => "only the visit may be skipped; move-in and welcome package cannot",
            Refusal::NotBack => "that stage is not behind the current one",
            Refusal::NoteRequired => "a note is required for this change",
            Refusal::NotClosed => "only a closed case can be reopened",
            Refusal::WelcomedTooEarly => "a case is closed as welcomed only from the welcome package stage",
            Refusal::NotAStage => "closed is reached by closing with an outcome",
            Refusal::VisitNotNow => "a visit is planned while the case is in information or visit",
            Refusal::MoveInNotNow => "the move-in is recorded while the case is in information, visit or move-in",
            Refusal::PackageNotNow => "a package is prepared in move-in and delivered once prepared",
            Refusal::PackageNoArea => "the case has no local area for a welcome package",
            Refusal::PackageNoAmbassador => "delivery by an ambassador needs an active ambassador",
        }
    }
}

/// What an allowed action does: the new state and the timeline event kind.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Transition {
    pub from: Stage,
    pub to: CaseState,
    pub event: EventKind,
}

text_enum!(
    /// The kinds of event on a case's timeline.
    pub enum EventKind as "event kind" {
        Received = "received", Assigned = "assigned", Unassigned = "unassigned",
        FirstContact = "first_contact", StageChanged = "stage_changed",
        VisitSkipped = "visit_skipped", SteppedBack = "stepped_back", Closed = "closed",
        Reopened = "reopened", NoteAdded = "note_added", EmailQueued = "email_queued",
        EmailSent = "email_sent", EmailFailed = "email_failed", EmailDead = "email_dead",
        VisitPlanned = "visit_planned", VisitChanged = "visit_changed",
        VisitCancelled = "visit_cancelled", MoveInRecorded = "move_in_recorded",
        FollowupScheduled = "followup_scheduled", FollowupCancelled = "followup_cancelled",
        ReferralOffered = "referral_offered", ReferralAccepted = "referral_accepted",
        ReferralDeclined = "referral_declined", ReferralContacted = "referral_contacted",
        ReferralMet = "referral_met", ReferralClosed = "referral_closed",
        ReferralWithdrawn = "referral_withdrawn", ReferralReminded = "referral_reminded",
        ReferralFlagged = "referral_flagged", PackagePrepared = "package_prepared",
        PackageDelivered = "package_delivered",
        SurveySent = "survey_sent", SurveyReminded = "survey_reminded",
        SurveyAnswered = "survey_answered",
        MoverCorrected = "mover_corrected", ConsentChanged = "consent_changed",
        MoverWithdrew = "mover_withdrew", Erased = "erased", Retention = "retention",
        EventInvited = "event_invited",
        EventSignedUp = "event_signed_up", EventAttended = "event_attended",
    }
);

/// The pipeline's one rule book. `note` is the staff note given with the
/// action; steps back and reopening need one so the timeline says why.
pub fn decide(state: CaseState, action: &Action, note: &str) -> Result<Transition, Refusal> {
    let has_note = !note.trim().is_empty();
    let from = state.stage;
    let open = |stage: Stage| CaseState { stage, last_open_stage: stage, outcome: None };
    match *action {
        Action::Reopen => {
            if from.is_open() {
                return Err(Refusal::NotClosed);
            }
            if !has_note {
                return Err(Refusal::NoteRequired);
            }
            Ok(Transition { from, to: open(state.last_open_stage), event: EventKind::Reopened })
        }
        _ if !from.is_open() => Err(Refusal::CaseClosed),
        Action::MoveTo(Stage::Closed) | Action::StepBack(Stage::Closed) => Err(Refusal::NotAStage),
        Action::MoveTo(to) => {
            if to == from {
                Err(Refusal::AlreadyThere)
            } else if to < from {
                Err(Refusal::NotForward)
            } else if Some(to) == from.next() {
                Ok(Transition { from, to: open(to), event: EventKind::StageChanged })
            } else if from == Stage::Information && to == Stage::MoveIn {
                Ok(Transition { from, to: open(to), event: EventKind::VisitSkipped })
            } else {
                Err(Refusal::SkipsAStage)
            }
        }
        Action::StepBack(to) => {
            if to == from {
                Err(Refusal::AlreadyThere)
            } else if to > from {
                Err(Refusal::NotBack)
            } else if !has_note {
                Err(Refusal::NoteRequired)
            } else {
                Ok(Transition { from, to: open(to), event: EventKind::SteppedBack })
            }
        }
        Action::Close(outcome) => {
            if outcome == Outcome::Welcomed && from != Stage::WelcomePackage {
                return Err(Refusal::WelcomedTooEarly);
            }
            let to = CaseState { stage: Stage::Closed, last_open_stage: from, outcome: Some(outcome) };
            Ok(Transition { from, to, event: EventKind::Closed })
        }
    }
}

/// Planning (or changing) a visit: from information the case first moves
/// to visit (the returned action); in visit it stays; anywhere else no.
pub fn plan_visit(state: CaseState) -> Result<Option<Action>, Refusal> {
    match state.stage {
        Stage::Information => Ok(Some(Action::MoveTo(Stage::Visit))),
        Stage::Visit => Ok(None),
        _ => Err(Refusal::VisitNotNow),
    }
}

/// Recording the move-in date: from information or visit the case moves to
/// move-in (the returned action); in move-in the date is corrected.
pub fn record_move_in(state: CaseState) -> Result<Option<Action>, Refusal> {
    match state.stage {
        Stage::Information | Stage::Visit => Ok(Some(Action::MoveTo(Stage::MoveIn))),
        Stage::MoveIn => Ok(None),
        _ => Err(Refusal::MoveInNotNow),
    }
}

/// A welcome package is prepared while the case is in move-in, for the
/// move-in area or else the first area the mover chose.
pub fn package_area<'a>(
    state: CaseState,
    move_in_area: Option<&'a str>,
    areas: &'a [String],
) -> Result<&'a str, Refusal> {
    if state.stage != Stage::MoveIn {
        return Err(Refusal::PackageNotNow);
    }
    move_in_area.or_else(|| areas.first().map(String::as_str)).ok_or(Refusal::PackageNoArea)
}

/// The actions offered on a case page, so the page never shows a button the
/// rules would refuse (notes aside).
pub fn available_moves(state: CaseState) -> Vec<Action> {
    let mut actions = Vec::new();
    for to in Stage::OPEN {
        if decide(state, &Action::MoveTo(to), "").is_ok() {
            actions.push(Action::MoveTo(to));
        }
        if decide(state, &Action::StepBack(to), "note").is_ok() {
            actions.push(Action::StepBack(to));
        }
    }
    actions
}

#[cfg(test)]
mod tests {

    #[test]
    fn visits_are_planned_from_information_or_visit_only() {
        assert_eq!(plan_visit(at(Stage::Information)), Ok(Some(Action::MoveTo(Stage::Visit))));
        assert_eq!(plan_visit(at(Stage::Visit)), Ok(None));
        for stage in [Stage::MoveIn, Stage::WelcomePackage, Stage::Closed] {
            assert_eq!(plan_visit(at(stage)), Err(Refusal::VisitNotNow), "{stage:?}");
        }
    }

    #[test]
    fn move_in_is_recorded_up_to_move_in_and_moves_the_case_there() {
        for stage in [Stage::Information, Stage::Visit] {
            assert_eq!(record_move_in(at(stage)), Ok(Some(Action::MoveTo(Stage::MoveIn))), "{stage:?}");
        }
        assert_eq!(record_move_in(at(Stage::MoveIn)), Ok(None));
        assert_eq!(record_move_in(at(Stage::WelcomePackage)), Err(Refusal::MoveInNotNow));
        assert_eq!(record_move_in(at(Stage::Closed)), Err(Refusal::MoveInNotNow));
    }

    #[test]
    fn a_package_needs_move_in_and_an_area() {
        let areas = vec!["stege".to_string(), "bogoe".to_string()];
        assert_eq!(package_area(at(Stage::MoveIn), Some("nyord"), &areas), Ok("nyord"));
        assert_eq!(package_area(at(Stage::MoveIn), None, &areas), Ok("stege"));
        assert_eq!(package_area(at(Stage::MoveIn), None, &[]), Err(Refusal::PackageNoArea));
        assert_eq!(package_area(at(Stage::Visit), Some("nyord"), &areas), Err(Refusal::PackageNotNow));
    }
    use super::*;
    use proptest::prelude::*;

    fn at(stage: Stage) -> CaseState {
        CaseState { stage, last_open_stage: stage, outcome: None }
    }

    #[test]
    fn the_happy_path_reaches_welcomed() {
        let mut s = CaseState::new();
        for to in [Stage::Visit, Stage::MoveIn, Stage::WelcomePackage] {
            s = decide(s, &Action::MoveTo(to), "").expect("forward").to;
        }
        let t = decide(s, &Action::Close(Outcome::Welcomed), "").expect("close");
        assert_eq!(t.to.stage, Stage::Closed);
        assert_eq!(t.to.outcome, Some(Outcome::Welcomed));
    }

    #[test]
    fn only_the_visit_may_be_skipped() {
        let t = decide(at(Stage::Information), &Action::MoveTo(Stage::MoveIn), "").expect("skip visit");
        assert_eq!(t.event, EventKind::VisitSkipped);
        assert_eq!(
            decide(at(Stage::Information), &Action::MoveTo(Stage::WelcomePackage), ""),
            Err(Refusal::SkipsAStage)
        );
        assert_eq!(decide(at(Stage::Visit), &Action::MoveTo(Stage::WelcomePackage), ""), Err(Refusal::SkipsAStage));
    }

    #[test]
    fn refusals_say_why() {
        assert_eq!(decide(at(Stage::Visit), &Action::MoveTo(Stage::Visit), ""), Err(Refusal::AlreadyThere));
        assert_eq!(decide(at(Stage::MoveIn), &Action::MoveTo(Stage::Visit), ""), Err(Refusal::NotForward));
        assert_eq!(decide(at(Stage::Visit), &Action::StepBack(Stage::Information), " "), Err(Refusal::NoteRequired));
        assert_eq!(decide(at(Stage::Visit), &Action::StepBack(Stage::MoveIn), "x"), Err(Refusal::NotBack));
        assert_eq!(decide(at(Stage::Visit), &Action::Close(Outcome::Welcomed), ""), Err(Refusal::WelcomedTooEarly));
        assert_eq!(decide(at(Stage::Visit), &Action::Reopen, "x"), Err(Refusal::NotClosed));
        assert_eq!(decide(at(Stage::Visit), &Action::MoveTo(Stage::Closed), ""), Err(Refusal::NotAStage));
        let closed = decide(at(Stage::Visit), &Action::Close(Outcome::Spam), "").expect("close").to;
        assert_eq!(decide(closed, &Action::MoveTo(Stage::MoveIn), ""), Err(Refusal::CaseClosed));
        assert_eq!(decide(closed, &Action::Reopen, ""), Err(Refusal::NoteRequired));
        assert_eq!(decide(closed, &Action::Reopen, "wrong click").map(|t| t.to), Ok(at(Stage::Visit)));
    }

    #[test]
    fn names_round_trip() {
        for s in [Stage::Information, Stage::Visit, Stage::MoveIn, Stage::WelcomePackage, Stage::Closed] {
            assert_eq!(Stage::parse(s.as_str()), Some(s));
        }
        for &o in Outcome::ALL {
            assert_eq!(Outcome::parse(o.as_str()), Some(o));
        }
        assert_eq!(Stage::parse("Visit"), None);
    }

    #[test]
    fn available_moves_from_information() {
        assert_eq!(
            available_moves(at(Stage::Information)),
            vec![Action::MoveTo(Stage::Visit), Action::MoveTo(Stage::MoveIn)]
        );
        assert_eq!(
            available_moves(at(Stage::MoveIn)),
            vec![
                Action::StepBack(Stage::Information),
                Action::StepBack(Stage::Visit),
                Action::MoveTo(Stage::WelcomePackage)
            ]
        );
    }

    fn any_stage() -> impl Strategy<Value = Stage> {
        prop_oneof![
            Just(Stage::Information),
            Just(Stage::Visit),
            Just(Stage::MoveIn),
            Just(Stage::WelcomePackage),
            Just(Stage::Closed)
        ]
    }

    fn any_action() -> impl Strategy<Value = Action> {
        prop_oneof![
            any_stage().prop_map(Action::MoveTo),
            any_stage().prop_map(Action::StepBack),
            (0..6usize).prop_map(|i| Action::Close(Outcome::ALL[i])),
            Just(Action::Reopen),
        ]
    }

    proptest! {
        /// No sequence of actions breaks the invariants: closed ⇔ outcome,
        /// the remembered stage is always open, welcomed only from the
        /// welcome package, and a refused action changes nothing.
        #[test]
        fn no_sequence_breaks_the_invariants(steps in proptest::collection::vec((any_action(), any::<bool>()), 0..60)) {
            let mut s = CaseState::new();
            for (action, with_note) in steps {
                let note = if with_note { "because" } else { "" };
                // A refused action leaves `s` as it was.
                if let Ok(t) = decide(s, &action, note) {
                    prop_assert_eq!(t.from, s.stage);
                    if t.to.outcome == Some(Outcome::Welcomed) {
                        prop_assert_eq!(s.stage, Stage::WelcomePackage);
                    }
                    if t.event == EventKind::SteppedBack || t.event == EventKind::Reopened {
                        prop_assert!(with_note);
                    }
                    s = t.to;
                }
                prop_assert_eq!(s.stage == Stage::Closed, s.outcome.is_some());
                prop_assert!(s.last_open_stage.is_open());
                if s.stage.is_open() {
                    prop_assert_eq!(s.stage, s.last_open_stage);
                }
            }
        }
    }
}
