//! The campaign register and the visits through its tracked links.

use chrono::{NaiveDate, NaiveDateTime};

use crate::db::{campaigns, write_tx, Conn};
use crate::domain::campaign::Campaign;
use crate::error::Error;

/// Registers or changes a campaign.
pub fn save(conn: &mut Conn, campaign: &Campaign, now: NaiveDateTime) -> Result<(), Error> {
    write_tx(conn, |conn| campaigns::save(conn, campaign, now))
}

/// Counts a visit through a tracked link (nothing for an unregistered slug).
pub fn count_visit(conn: &mut Conn, slug: &str, day: NaiveDate) -> Result<bool, Error> {
    write_tx(conn, |conn| campaigns::count_visit(conn, slug, day))
}
