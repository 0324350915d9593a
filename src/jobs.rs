//! The background worker: delivers the outbox, fires due follow-ups, sends
//! the daily digests, and keeps house. Runs inside `serve` or alone as
//! `velkomst worker`; several may run against one PostgreSQL database.
//! Every step takes `now`, so tests drive it with a controllable clock.

use std::sync::Arc;
use std::time::Duration;

use chrono::{Datelike, NaiveDateTime, Weekday};
use futures_util::StreamExt;
use lettre::message::Mailbox;
use rand::Rng;

use crate::config::Settings;
use crate::db::outbox::{self, OutboxEmail, Result_};
use crate::db::{followups, users, Db};
use crate::domain::{delivery, workdays};
use crate::error::Error;
use crate::mail::{Calendar, Message, Outcome, Transport};
use crate::workflow;

const TICK: Duration = Duration::from_secs(2);

/// Rounds between two runs of the retention schedule: a day of ticks.
const RETENTION_ROUNDS: u64 = 24 * 60 * 60 / TICK.as_secs();

/// When this process's worker last finished a round (for `/metrics`).
static LAST_ROUND: std::sync::Mutex<Option<chrono::NaiveDateTime>> = std::sync::Mutex::new(None);

/// When this process's worker last finished a round; None without a worker.
pub fn last_round() -> Option<chrono::NaiveDateTime> {
    LAST_ROUND.lock().ok().and_then(|t| *t)
}

/// What one delivery round did.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Delivery {
    pub sent: usize,
    pub retrying: usize,
    pub dead: usize,
}

pub struct Worker {
    db: Db,
    settings: Arc<Settings>,
    transport: Arc<Transport>,
    id: String,
}

impl Worker {
    pub fn new(db: Db, settings: Arc<Settings>) -> Result<Self, String> {
        let transport = Arc::new(Transport::from_settings(&settings)?);
        let id = format!("{}-{}", std::process::id(), &uuid::Uuid::new_v4().simple().to_string()[..8]);
        Ok(Self { db, settings, transport, id })
    }

    /// Runs until the process ends. Errors are logged and retried next
    /// round: a database or mail-server hiccup must not stop the worker.
    pub async fn run(self) {
        let mut tick = tokio::time::interval(TICK);
        let mut round: u64 = 0;
        loop {
            tick.tick().await;
            let now = crate::db::now();
            if let Err(e) = self.deliver_due(now).await {
                tracing::warn!(error = %e, "outbox round failed");
            }
            if round % 15 == 0 {
                if let Err(e) = self.run_followups(now).await {
                    tracing::warn!(error = %e, "follow-ups failed");
                }
                if let Err(e) = self.run_digests(now).await {
                    tracing::warn!(error = %e, "digests failed");
                }
                if let Err(e) = self.chase_referrals(now).await {
                    tracing::warn!(error = %e, "referral reminders failed");
                }
                if let Err(e) = self.run_surveys(now).await {
                    tracing::warn!(error = %e, "surveys failed");
                }
                if let Err(e) = self.run_events(now).await {
                    tracing::warn!(error = %e, "event reminders failed");
                }
            }
            // The retention schedule, once a day (first in the first round).
            if round % RETENTION_ROUNDS == 0 {
                match self.apply_retention(now, false).await {
                    Ok(r) => tracing::info!(
                        closed = r.closed_inactive.len(),
                        anonymised = r.anonymised.len(),
                        email_bodies = r.email_bodies,
                        links = r.links,
                        sessions = r.sessions,
                        access_log = r.access_log,
                        "retention schedule applied"
                    ),
                    Err(e) => tracing::warn!(error = %e, "retention schedule failed"),
                }
            }
            if round % 450 == 0 {
                match self.db.write(users::delete_expired_sessions).await {
                    Ok(n) if n > 0 => tracing::info!(removed = n, "expired sessions removed"),
                    Ok(_) => {}
                    Err(e) => tracing::warn!(error = %e, "housekeeping failed"),
                }
                match self.db.write(|conn| crate::db::resume::delete_expired(conn, crate::db::now())).await {
                    Ok(n) if n > 0 => tracing::info!(removed = n, "expired kept forms removed"),
                    Ok(_) => {}
                    Err(e) => tracing::warn!(error = %e, "housekeeping failed"),
                }
                match self.db.write(|conn| crate::workflow::idempotency::purge(conn, crate::db::now())).await {
                    Ok(n) if n > 0 => tracing::info!(removed = n, "idempotency keys past their day removed"),
                    Ok(_) => {}
                    Err(e) => tracing::warn!(error = %e, "housekeeping failed"),
                }
                match self.purge_security_events(crate::db::now()).await {
                    Ok(n) if n > 0 => tracing::info!(removed = n, "old security events removed"),
                    Ok(_) => {}
                    Err(e) => tracing::warn!(error = %e, "housekeeping failed"),
                }
            }
            if let Ok(mut last) = LAST_ROUND.lock() {
                *last = Some(crate::db::now());
            }
            round = round.wrapping_add(1);
        }
    }

    /// Applies the retention schedule at `now` (`workflow::retention`);
    /// `dry_run` reports what would go and changes nothing.
    pub async fn apply_retention(
        &self,
        now: NaiveDateTime,
        dry_run: bool,
    ) -> Result<workflow::retention::Report, Error> {
        let s = self.settings.clone();
        let report = self.db.write(move |conn| workflow::retention::run(conn, &s, now, dry_run)).await?;
        if !dry_run && !report.anonymised.is_empty() {
            // The erased pages leave the WAL too (docs/privacy.md).
            let db = self.db.clone();
            tokio::task::spawn_blocking(move || crate::db::privacy::checkpoint(&db))
                .await
                .map_err(|e| Error::context(e, "checkpoint task"))??;
        }
        Ok(report)
    }

    /// Removes security events older than `auth.security_events_days`.
    pub async fn purge_security_events(&self, now: NaiveDateTime) -> Result<usize, Error> {
        let before = now - chrono::Duration::days(i64::from(self.settings.auth.security_events_days));
        self.db.write(move |conn| crate::db::audit::purge(conn, before)).await
    }

    /// Delivers every email due at `now`, batch by batch, with up to
    /// `mail.senders` SMTP exchanges in flight. Right before each send the
    /// lease is renewed (which also proves it is still ours), and each
    /// result is recorded as soon as its send ends — so a crash repeats at
    /// most the emails in flight, and a batch that outlives its lease never
    /// sends what another worker has taken over.
    pub async fn deliver_due(&self, now: NaiveDateTime) -> Result<Delivery, Error> {
        let mut total = Delivery::default();
        let s = &self.settings;
        let lease = chrono::Duration::seconds(i64::try_from(s.mail.lease_seconds).unwrap_or(120));
        loop {
            let (worker, limit) = (self.id.clone(), i64::from(s.mail.batch_size));
            let batch = self.db.write(move |conn| outbox::claim(conn, &worker, now, lease, limit)).await?;
            if batch.is_empty() {
                return Ok(total);
            }
            let n = batch.len();
            let results: Vec<Result<Option<Result_>, Error>> = futures_util::stream::iter(batch)
                .map(|email| self.deliver_one(email, now))
                .buffer_unordered(s.mail.senders.max(1))
                .collect()
                .await;
            for r in results {
                match r? {
                    Some(Result_::Sent) => total.sent += 1,
                    Some(Result_::RetryAt { .. }) => total.retrying += 1,
                    Some(Result_::Dead { .. }) => total.dead += 1,
                    None => {}
                }
            }
            if n < limit as usize {
                return Ok(total);
            }
        }
    }

    /// One email: `None` when the lease was no longer ours (not sent).
    async fn deliver_one(&self, email: OutboxEmail, now: NaiveDateTime) -> Result<Option<Result_>, Error> {
        let s = &self.settings;
        let timeout = Duration::from_secs(s.mail.timeout_seconds.max(1));
        let lease = chrono::Duration::seconds(i64::try_from(s.mail.lease_seconds).unwrap_or(120));
        let renew = email.clone();
        if !self.db.write(move |conn| outbox::renew_lease(conn, &renew, now + lease)).await? {
            tracing::info!(email = %email.id, "lease taken over by another worker; not sending");
            return Ok(None);
        }
        let outcome = match outbox_message(&s.mail.from, &email) {
            Ok(message) => self.transport.send(&message, timeout).await,
            Err(reason) => Outcome::Permanent(reason),
        };
        let give_up_at = email.created_at + chrono::Duration::hours(i64::try_from(s.mail.give_up_hours).unwrap_or(96));
        let result = match outcome {
            Outcome::Sent => Result_::Sent,
            Outcome::Permanent(reason) => Result_::Dead { reason },
            Outcome::Temporary(reason) if now >= give_up_at => {
                Result_::Dead { reason: format!("gave up after {} hours: {reason}", s.mail.give_up_hours) }
            }
            Outcome::Temporary(reason) => {
                let jitter: f64 = rand::thread_rng().gen();
                let at = now + delivery::backoff(email.attempts, s.mail.retry_base_seconds, jitter);
                Result_::RetryAt { at, reason }
            }
        };
        match &result {
            Result_::Sent => tracing::debug!(email = %email.id, "email sent"),
            Result_::RetryAt { reason, .. } => tracing::info!(email = %email.id, %reason, "email will be retried"),
            Result_::Dead { reason } => tracing::warn!(email = %email.id, %reason, "email could not be delivered"),
        }
        let r = result.clone();
        let id = email.id.clone();
        if !self.db.write(move |conn| outbox::record(conn, &email, &r, now)).await? {
            tracing::warn!(email = %id, "result not recorded: the lease was taken over meanwhile");
            return Ok(None);
        }
        Ok(Some(result))
    }

    /// Fires the follow-ups due at `now`; returns how many this worker fired.
    pub async fn run_followups(&self, now: NaiveDateTime) -> Result<usize, Error> {
        let settings = self.settings.clone();
        self.db
            .write(move |conn| {
                let mut fired = 0;
                for f in followups::due(conn, now, 200)? {
                    if workflow::run_followup(conn, &settings, &f, now)? {
                        fired += 1;
                    }
                }
                Ok(fired)
            })
            .await
    }

    /// The welcome surveys and one-year checks due at `now`, and their one
    /// reminder: (sent, reminded).
    pub async fn run_surveys(&self, now: NaiveDateTime) -> Result<(usize, usize), Error> {
        let s = self.settings.clone();
        self.db
            .write(move |conn| {
                let sent = workflow::surveys::start_due(conn, &s, now)?;
                let reminded = workflow::surveys::remind_due(conn, &s, now)?;
                Ok((sent, reminded))
            })
            .await
    }

    /// The newcomers' events: the reminder the day before (once per event),
    /// and the guests' needs deleted after an event, open sign-ups' names
    /// and emails four weeks after. Returns the reminders queued.
    pub async fn run_events(&self, now: NaiveDateTime) -> Result<usize, Error> {
        let s = self.settings.clone();
        self.db
            .write(move |conn| {
                let sent = workflow::events::remind_due(conn, &s, now)?;
                crate::db::events::purge_after(
                    conn,
                    now - chrono::Duration::days(1),
                    now - chrono::Duration::days(28),
                )?;
                Ok(sent)
            })
            .await
    }

    /// Offers with no answer: reminders to ambassadors, flags to consultants.
    pub async fn chase_referrals(&self, now: NaiveDateTime) -> Result<(usize, usize), Error> {
        let s = self.settings.clone();
        self.db.write(move |conn| workflow::referrals::chase(conn, &s, now)).await
    }

    /// On working days from `followups.digest_time` (local time), each
    /// active consultant with overdue cases gets one digest for the day.
    pub async fn run_digests(&self, now: NaiveDateTime) -> Result<usize, Error> {
        let s = self.settings.clone();
        let local = now.and_utc().with_timezone(&s.time_zone);
        let at = chrono::NaiveTime::parse_from_str(&s.followups.digest_time, "%H:%M").unwrap_or(chrono::NaiveTime::MIN);
        if matches!(local.weekday(), Weekday::Sat | Weekday::Sun) || local.time() < at {
            return Ok(0);
        }
        let day = local.date_naive();
        let cutoff = workdays::cutoff(now.and_utc(), s.queue.first_contact_goal_working_days, s.time_zone).naive_utc();
        self.db
            .write(move |conn| {
                let mut sent = 0;
                for user in
                    users::assignable(conn)?.into_iter().filter(|u| u.role == crate::domain::user::Role::Consultant)
                {
                    if workflow::digest(conn, &s, &user, day, cutoff, now)? {
                        sent += 1;
                    }
                }
                Ok(sent)
            })
            .await
    }
}

/// A stored email as the message the transport sends. An address that is
/// not one is a permanent failure of this email alone (dead at once).
pub fn outbox_message(from: &str, email: &OutboxEmail) -> Result<Message, String> {
    let from: Mailbox = from.parse().map_err(|e| format!("sender: {e}"))?;
    let address = email.recipient.parse().map_err(|e| format!("recipient address: {e}"))?;
    let to = Mailbox::new(Some(email.recipient_name.clone()).filter(|n| !n.is_empty()), address);
    let reply_to = match &email.reply_to {
        Some(text) => Some(text.parse::<Mailbox>().map_err(|e| format!("reply-to: {e}"))?),
        None => None,
    };
    let calendar = email
        .ics
        .as_ref()
        .map(|ics| Calendar { ics: ics.clone(), method: email.ics_method.clone().unwrap_or_else(|| "REQUEST".into()) });
    Ok(Message {
        message_id: email.message_id.clone(),
        from,
        to,
        reply_to,
        subject: email.subject.clone(),
        text: email.body_text.clone(),
        html: email.body_html.clone(),
        calendar,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn stored() -> OutboxEmail {
        let now = crate::db::now();
        OutboxEmail {
            id: "x".into(),
            case_id: None,
            template: "receipt".into(),
            recipient: "aase@example.dk".into(),
            recipient_name: "Åse Ærø".into(),
            reply_to: Some("\"Hansen, Kim\" <kim@kommune.dk>".into()),
            subject: "Tak\r\nBcc: evil@example.com".into(),
            body_text: "Hej".into(),
            body_html: "<p>Hej</p>".into(),
            ics: Some("BEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n".into()),
            ics_method: Some("CANCEL".into()),
            message_id: "<x@velkomst.example>".into(),
            status: "sending".into(),
            attempts: 1,
            next_attempt_at: now,
            lease_until: None,
            leased_by: None,
            last_error: None,
            created_at: now,
            sent_at: None,
        }
    }

    #[test]
    fn a_stored_email_becomes_the_message_with_its_addresses_parsed() {
        let m = outbox_message("Velkomst <velkomst@localhost>", &stored()).expect("message");
        assert_eq!(m.to.to_string(), "Åse Ærø <aase@example.dk>".parse::<Mailbox>().expect("to").to_string());
        assert_eq!(m.reply_to.expect("reply-to").name.as_deref(), Some("Hansen, Kim"));
        assert_eq!(m.message_id, "<x@velkomst.example>");
        assert_eq!(m.calendar.expect("calendar").method, "CANCEL");
        let raw = outbox_message("Velkomst <velkomst@localhost>", &stored())
            .and_then(|m| m.to_lettre())
            .map(|m| String::from_utf8_lossy(&m.formatted()).to_string())
            .expect("wire form");
        assert!(raw.contains("Message-ID: <x@velkomst.example>") && raw.contains("text/calendar; method=CANCEL"));
        assert!(!raw.contains("\r\nBcc:"));
    }

    #[test]
    fn a_bad_address_is_a_reason_not_a_panic() {
        let mut e = stored();
        e.recipient = "not an address".into();
        assert!(outbox_message("Velkomst <velkomst@localhost>", &e).expect_err("refused").starts_with("recipient"));
        let mut e = stored();
        e.reply_to = Some("Kim <kim>".into());
        assert!(outbox_message("Velkomst <velkomst@localhost>", &e).expect_err("refused").starts_with("reply-to"));
        assert!(outbox_message("nobody", &stored()).expect_err("refused").starts_with("sender"));
    }
}
