//! Every column of every table, classified. Privacy work (export, erasure,
//! retention, the record of processing in docs/privacy.md) reads this list
//! instead of guessing, and `tests/app/storage.rs` fails when the database
//! has a column this list does not name (or names a column that is gone).

/// What a column holds, as far as data protection cares.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Class {
    /// Identifies or describes a person, or is free text that may. `Mover`
    /// columns hang off a case (a `case_id` in the same table) so erasing
    /// the person can find them; `Account` columns belong to staff and
    /// ambassadors' accounts.
    Personal(Subject),
    /// An anonymous fact about a case that the half-yearly reports count
    /// and that erasure keeps: dates of each stage, areas, household shape,
    /// campaign, outcome.
    Statistical,
    /// What running the service needs: ids, states, timestamps of
    /// processing, hashes of secrets. No personal content.
    Operational,
}

/// Whose personal data a column holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Subject {
    Mover,
    Account,
}

use Class::{Operational as Op, Personal, Statistical as Stat};
const MOVER: Class = Personal(Subject::Mover);
const ACCOUNT: Class = Personal(Subject::Account);

/// `(table, column, class)` for every column.
pub const COLUMNS: &[(&str, &str, Class)] = &[
    // Staff and ambassador accounts.
    ("users", "id", Op),
    ("users", "email", ACCOUNT),
    ("users", "name", ACCOUNT),
    ("users", "role", Op),
    ("users", "password_hash", Op),
    ("users", "active", Op),
    ("users", "open_cases", Op),
    ("users", "created_at", Op),
    ("users", "deactivated_at", Op),
    ("areas", "slug", Op),
    ("areas", "name", Op),
    ("areas", "postcode", Op),
    ("areas", "position", Op),
    ("areas", "active", Op),
    ("areas", "responsible_id", Op),
    ("sessions", "id_hash", Op),
    ("sessions", "user_id", Op),
    ("sessions", "created_at", Op),
    ("sessions", "last_seen_at", Op),
    ("sessions", "expires_at", Op),
    ("sessions", "must_enrol_mfa", Op),
    ("mfa_totp", "user_id", Op),
    ("mfa_totp", "secret", Op),
    ("mfa_totp", "confirmed_at", Op),
    ("mfa_totp", "last_step", Op),
    ("mfa_totp", "created_at", Op),
    ("mfa_recovery_codes", "code_hash", Op),
    ("mfa_recovery_codes", "user_id", Op),
    ("mfa_recovery_codes", "created_at", Op),
    ("mfa_recovery_codes", "used_at", Op),
    ("resumable_posts", "browser_hash", Op),
    ("resumable_posts", "user_id", Op),
    ("resumable_posts", "path", Op),
    // A form sent after its session ended (web::resume): it may hold a
    // mover's text, but sealed (XChaCha20-Poly1305 under the server's key)
    // and for 30 minutes at most; it has no case_id for erasure to follow,
    // so an erasure inside that half hour leaves it sealed until it expires.
    ("resumable_posts", "form", Op),
    ("resumable_posts", "created_at", Op),
    ("resumable_posts", "expires_at", Op),
    ("security_events", "id", Op),
    ("security_events", "at", Op),
    ("security_events", "kind", Op),
    ("security_events", "user_id", Op),
    ("security_events", "actor_id", Op),
    // A keyed hash of a tried email: personal only to the key's holder.
    ("security_events", "account_key", Op),
    // A client's IP address is personal data (kept briefly, see security.md).
    ("security_events", "client", ACCOUNT),
    ("security_events", "detail", Op),
    ("setup_links", "token_hash", Op),
    ("setup_links", "user_id", Op),
    ("setup_links", "created_at", Op),
    ("setup_links", "expires_at", Op),
    ("setup_links", "used_at", Op),
    ("api_tokens", "id", Op),
    ("api_tokens", "user_id", Op),
    ("api_tokens", "name", Op),
    ("api_tokens", "token_hash", Op),
    ("api_tokens", "created_at", Op),
    ("api_tokens", "last_used_at", Op),
    ("api_tokens", "revoked_at", Op),
    ("api_tokens", "scopes", Op),
    ("api_tokens", "expires_at", Op),
    // The case: what happened, without who it happened to.
    ("cases", "id", Op),
    ("cases", "reference", Op),
    ("cases", "language", Stat),
    ("cases", "adults", Stat),
    // Birth years, not names: the household's shape (age bands in reports).
    ("cases", "children", Stat),
    ("cases", "children_count", Stat),
    ("cases", "housing", Stat),
    ("cases", "timeframe", Stat),
    ("cases", "job_help", Stat),
    ("cases", "ambassador_contact", Op),
    ("cases", "campaign", Stat),
    ("cases", "assignee_id", Op),
    ("cases", "stage", Stat),
    ("cases", "last_open_stage", Stat),
    ("cases", "outcome", Stat),
    ("cases", "is_open", Stat),
    ("cases", "waiting_since", Op),
    ("cases", "first_contact_at", Stat),
    ("cases", "created_at", Stat),
    ("cases", "updated_at", Op),
    ("cases", "visit_at", Stat),
    ("cases", "move_in_at", Stat),
    ("cases", "welcome_package_at", Stat),
    ("cases", "closed_at", Stat),
    ("cases", "move_in_date", Stat),
    ("cases", "move_in_area", Stat),
    // Where they move from, as municipality | region | abroad | unknown
    // (classified at intake; the free text is persons.moving_from).
    ("cases", "moving_from_kind", Stat),
    // When the mover asked for no further messages (withdrew after a final outcome).
    ("cases", "messages_stopped_at", Op),
    // Reports (issue 9): the household shape at intake, why a case was
    // lost and where they chose instead (a place, typed by staff; the form
    // asks for a town or municipality, never a person).
    ("cases", "household", Stat),
    ("cases", "close_reason", Stat),
    ("cases", "chose_instead", Stat),
    // The person.
    ("persons", "case_id", Op),
    ("persons", "name", MOVER),
    ("persons", "email", MOVER),
    ("persons", "phone", MOVER),
    ("persons", "message", MOVER),
    ("persons", "moving_from", MOVER),
    ("persons", "search_text", MOVER),
    ("case_areas", "case_id", Op),
    ("case_areas", "area_slug", Stat),
    ("case_areas", "position", Stat),
    ("case_interests", "case_id", Op),
    ("case_interests", "interest", Stat),
    ("case_events", "id", Op),
    ("case_events", "case_id", Op),
    ("case_events", "at", Op),
    ("case_events", "kind", Op),
    ("case_events", "actor_id", Op),
    // Notes, reasons and addresses live in the event's data.
    ("case_events", "data", MOVER),
    // Emails as sent: every one may carry the mover's details.
    ("outbox", "id", Op),
    ("outbox", "case_id", Op),
    ("outbox", "template", Op),
    ("outbox", "recipient", MOVER),
    ("outbox", "recipient_name", MOVER),
    ("outbox", "reply_to", Op),
    ("outbox", "subject", MOVER),
    ("outbox", "body_text", MOVER),
    ("outbox", "body_html", MOVER),
    ("outbox", "ics", MOVER),
    ("outbox", "ics_method", Op),
    ("outbox", "message_id", Op),
    ("outbox", "status", Op),
    ("outbox", "attempts", Op),
    ("outbox", "next_attempt_at", Op),
    ("outbox", "lease_until", Op),
    ("outbox", "leased_by", Op),
    ("outbox", "last_error", MOVER),
    ("outbox", "created_at", Op),
    ("outbox", "sent_at", Op),
    ("followups", "id", Op),
    ("followups", "case_id", Op),
    ("followups", "stage", Op),
    ("followups", "rule", Op),
    ("followups", "due_at", Op),
    ("followups", "status", Op),
    ("followups", "created_at", Op),
    ("followups", "finished_at", Op),
    ("visits", "id", Op),
    ("visits", "case_id", Op),
    ("visits", "starts_at", Op),
    ("visits", "duration_minutes", Op),
    ("visits", "place", MOVER),
    ("visits", "note", MOVER),
    ("visits", "uid", Op),
    ("visits", "sequence", Op),
    ("visits", "status", Op),
    ("visits", "created_at", Op),
    ("visits", "updated_at", Op),
    ("digests", "user_id", Op),
    ("digests", "day", Op),
    ("digests", "created_at", Op),
    // Local ambassadors (their own accounts' details).
    ("ambassadors", "user_id", Op),
    ("ambassadors", "organisation", ACCOUNT),
    ("ambassadors", "kind", Op),
    ("ambassadors", "phone", ACCOUNT),
    ("ambassadors", "paused", Op),
    ("ambassadors", "created_at", Op),
    ("ambassador_areas", "user_id", Op),
    ("ambassador_areas", "area_slug", Op),
    ("ambassador_interests", "user_id", Op),
    ("ambassador_interests", "interest", Op),
    ("referrals", "id", Op),
    ("referrals", "case_id", Op),
    ("referrals", "ambassador_id", Op),
    ("referrals", "message", MOVER),
    ("referrals", "state", Stat),
    ("referrals", "decline_reason", MOVER),
    ("referrals", "report", MOVER),
    ("referrals", "created_by", Op),
    ("referrals", "created_at", Stat),
    ("referrals", "updated_at", Op),
    ("referrals", "reminded_at", Op),
    ("referrals", "flagged_at", Op),
    ("signin_links", "token_hash", Op),
    ("signin_links", "user_id", Op),
    ("signin_links", "referral_id", Op),
    ("signin_links", "created_at", Op),
    ("signin_links", "expires_at", Op),
    ("signin_links", "used_at", Op),
    ("welcome_packages", "area_slug", Op),
    ("welcome_packages", "items", Op),
    ("welcome_packages", "deliverer", Op),
    ("welcome_packages", "updated_at", Op),
    ("case_packages", "case_id", Op),
    ("case_packages", "area_slug", Stat),
    ("case_packages", "items", Op),
    ("case_packages", "method", Stat),
    ("case_packages", "ambassador_id", Op),
    ("case_packages", "note", MOVER),
    ("case_packages", "prepared_by", Op),
    ("case_packages", "prepared_at", Stat),
    ("case_packages", "delivered_at", Stat),
    ("case_packages", "delivered_by", Op),
    // Absences and stand-ins (who holds which cases while someone is away).
    ("absences", "user_id", Op),
    ("absences", "substitute_id", Op),
    ("absences", "created_by", Op),
    ("absences", "created_at", Op),
    ("absence_cases", "user_id", Op),
    ("absence_cases", "case_id", Op),
    // The campaign register (what the municipality did, no person) and
    // the visits through its tracked links, counted per day.
    ("campaigns", "slug", Stat),
    ("campaigns", "name", Op),
    ("campaigns", "target_areas", Op),
    ("campaigns", "target_group", Op),
    ("campaigns", "channel", Stat),
    ("campaigns", "starts_on", Op),
    ("campaigns", "ends_on", Op),
    ("campaigns", "budget", Op),
    ("campaigns", "notes", Op),
    ("campaigns", "created_at", Op),
    ("campaigns", "updated_at", Op),
    ("campaign_visits", "slug", Stat),
    ("campaign_visits", "day", Stat),
    ("campaign_visits", "visits", Stat),
    // The erasure ledger: which reference was erased, when, by which rule
    // and which staff member. The reason is a short staff note the form asks
    // to keep free of personal data.
    ("erasures", "reference", Op),
    ("erasures", "erased_at", Op),
    ("erasures", "rule", Op),
    ("erasures", "actor_id", Op),
    ("erasures", "reason", Op),
    // Who opened a case's personal data: staff ids, roles, what and why.
    ("access_log", "id", Op),
    ("access_log", "case_id", Op),
    ("access_log", "at", Op),
    ("access_log", "user_id", Op),
    ("access_log", "role", Op),
    ("access_log", "what", Op),
    ("access_log", "purpose", Op),
    // After the move (issue 10): the welcome survey and the one-year check.
    // Scores, the help that mattered and where they live a year on are
    // counted in the reports and kept; the free text is the mover's.
    ("surveys", "id", Op),
    ("surveys", "case_id", Op),
    ("surveys", "kind", Stat),
    ("surveys", "token_hash", Op),
    ("surveys", "reminder_token_hash", Op),
    ("surveys", "sent_at", Stat),
    ("surveys", "reminded_at", Op),
    ("surveys", "closes_at", Op),
    ("surveys", "answered_at", Stat),
    ("surveys", "scores", Stat),
    ("surveys", "helped", Stat),
    ("surveys", "residence", Stat),
    ("surveys", "comment", MOVER),
    // The mover's private links to their own page: hashes of 256-bit tokens.
    ("mover_links", "token_hash", Op),
    ("mover_links", "case_id", Op),
    ("mover_links", "created_at", Op),
    // Newcomers' events (issue 10). A guest with a case is that mover's
    // data (erased with them); ambassadors' rows name their account; open
    // sign-ups (no case) lose name and email four weeks after the event.
    // `needs` may be health data (art. 9): deleted after the event.
    ("events", "id", Op),
    ("events", "title", Op),
    ("events", "description", Op),
    ("events", "starts_at", Stat),
    ("events", "duration_minutes", Op),
    ("events", "place", Op),
    ("events", "areas", Stat),
    ("events", "capacity", Op),
    ("events", "languages", Op),
    ("events", "signup_deadline", Op),
    ("events", "open_slug", Op),
    ("events", "created_by", Op),
    ("events", "created_at", Op),
    ("events", "reminded_at", Op),
    ("events", "attendance_at", Op),
    ("event_guests", "id", Op),
    ("event_guests", "event_id", Op),
    ("event_guests", "case_id", Op),
    ("event_guests", "user_id", Op),
    ("event_guests", "name", MOVER),
    ("event_guests", "email", MOVER),
    ("event_guests", "language", Op),
    ("event_guests", "area", Stat),
    ("event_guests", "token_hash", Op),
    ("event_guests", "state", Stat),
    ("event_guests", "adults", Stat),
    ("event_guests", "children", Stat),
    ("event_guests", "needs", MOVER),
    ("event_guests", "invited_at", Stat),
    ("event_guests", "signed_up_at", Op),
    ("event_guests", "came", Stat),
    // The staff API's kept answers (Idempotency-Key): an answer may be the
    // case as the API shows it, so it is the mover's and erased with them.
    ("idempotency_keys", "token_id", Op),
    ("idempotency_keys", "idem_key", Op),
    ("idempotency_keys", "fingerprint", Op),
    ("idempotency_keys", "case_id", Op),
    ("idempotency_keys", "status", Op),
    ("idempotency_keys", "response_body", MOVER),
    ("idempotency_keys", "created_at", Op),
];

/// The class of `table.column`, if the registry names it.
pub fn class_of(table: &str, column: &str) -> Option<Class> {
    COLUMNS.iter().find(|(t, c, _)| *t == table && *c == column).map(|(_, _, class)| *class)
}

/// The mover's personal columns of `table` (what erasure clears).
pub fn mover_columns(table: &str) -> impl Iterator<Item = &'static str> + '_ {
    COLUMNS.iter().filter(move |(t, _, c)| *t == table && *c == MOVER).map(|(_, c, _)| *c)
}

/// The tables holding a mover's personal data, each reachable from the
/// case through its `case_id` (what erasure and export walk).
pub fn mover_tables() -> Vec<&'static str> {
    let mut tables: Vec<&str> = COLUMNS.iter().filter(|(_, _, c)| *c == MOVER).map(|(t, _, _)| *t).collect();
    tables.dedup();
    tables
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_column_is_named_once() {
        for (i, (t, c, _)) in COLUMNS.iter().enumerate() {
            assert!(!COLUMNS[..i].iter().any(|(t2, c2, _)| t2 == t && c2 == c), "{t}.{c} twice");
        }
    }

    #[test]
    fn a_movers_personal_data_is_reachable_from_the_case() {
        for table in mover_tables() {
            assert!(class_of(table, "case_id").is_some(), "{table} holds a mover's data but has no case_id");
        }
    }
}
