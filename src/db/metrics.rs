//! Figures for `/metrics` read from the database at scrape time.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use super::schema::outbox;
use super::Conn;
use crate::error::Error;

pub struct OutboxStats {
    /// Unsent emails by status (pending, sending, dead).
    pub by_status: Vec<(String, i64)>,
    /// When the oldest pending email was queued.
    pub oldest_pending: Option<NaiveDateTime>,
}

pub fn outbox_stats(conn: &mut Conn) -> Result<OutboxStats, Error> {
    let by_status = outbox::table
        .filter(outbox::status.eq_any(["pending", "sending", "dead"]))
        .group_by(outbox::status)
        .select((outbox::status, diesel::dsl::count_star()))
        .load::<(String, i64)>(conn)?;
    let oldest_pending = outbox::table
        .filter(outbox::status.eq_any(["pending", "sending"]))
        .select(diesel::dsl::min(outbox::created_at))
        .first::<Option<NaiveDateTime>>(conn)?;
    Ok(OutboxStats { by_status, oldest_pending })
}
