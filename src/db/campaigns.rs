//! The campaign register and the visits through its tracked links.

use chrono::{NaiveDate, NaiveDateTime};
use diesel::prelude::*;
use diesel::sql_types::Text;

use super::schema::{campaign_visits, campaigns};
use super::Conn;
use crate::domain::campaign::{Campaign, Channel};
use crate::error::Error;

/// A row of the register as stored.
#[derive(Queryable, Selectable)]
#[diesel(table_name = campaigns)]
struct Row {
    slug: String,
    name: String,
    target_areas: String,
    target_group: String,
    channel: String,
    starts_on: Option<String>,
    ends_on: Option<String>,
    budget: Option<i64>,
    notes: String,
}

fn from_row(r: Row) -> Result<Campaign, Error> {
    let channel = Channel::parse(&r.channel)
        .ok_or_else(|| Error::Invalid(format!("unknown channel {:?} in campaigns", r.channel)))?;
    let day = |s: Option<String>| s.and_then(|s| NaiveDate::parse_from_str(&s, "%Y-%m-%d").ok());
    Ok(Campaign {
        slug: r.slug,
        name: r.name,
        target_areas: serde_json::from_str(&r.target_areas).map_err(|e| Error::context(e, "campaigns.target_areas"))?,
        target_group: r.target_group,
        channel,
        starts_on: day(r.starts_on),
        ends_on: day(r.ends_on),
        budget: r.budget,
        notes: r.notes,
    })
}

/// Every registered campaign, newest start first.
pub fn list(conn: &mut Conn) -> Result<Vec<Campaign>, Error> {
    let rows: Vec<Row> = campaigns::table
        .order((campaigns::starts_on.desc(), campaigns::slug.asc()))
        .select(Row::as_select())
        .load(conn)?;
    rows.into_iter().map(from_row).collect()
}

pub fn find(conn: &mut Conn, slug: &str) -> Result<Option<Campaign>, Error> {
    let row: Option<Row> = campaigns::table.find(slug).select(Row::as_select()).first(conn).optional()?;
    row.map(from_row).transpose()
}

/// Registers a campaign, or changes the one with its slug.
pub fn save(conn: &mut Conn, c: &Campaign, now: NaiveDateTime) -> Result<(), Error> {
    let areas = serde_json::to_string(&c.target_areas).map_err(|e| Error::context(e, "target areas as JSON"))?;
    let day = |d: Option<NaiveDate>| d.map(|d| d.format("%Y-%m-%d").to_string());
    let values = (
        campaigns::name.eq(&c.name),
        campaigns::target_areas.eq(&areas),
        campaigns::target_group.eq(&c.target_group),
        campaigns::channel.eq(c.channel.as_str()),
        campaigns::starts_on.eq(day(c.starts_on)),
        campaigns::ends_on.eq(day(c.ends_on)),
        campaigns::budget.eq(c.budget),
        campaigns::notes.eq(&c.notes),
        campaigns::updated_at.eq(now),
    );
    let changed = diesel::update(campaigns::table.find(&c.slug)).set(values.clone()).execute(conn)?;
    if changed == 0 {
        diesel::insert_into(campaigns::table)
            .values((campaigns::slug.eq(&c.slug), values, campaigns::created_at.eq(now)))
            .execute(conn)?;
    }
    Ok(())
}

/// Counts one visit of a registered campaign's link on local `day`
/// (`false`: no such campaign, nothing counted).
pub fn count_visit(conn: &mut Conn, slug: &str, day: NaiveDate) -> Result<bool, Error> {
    if campaigns::table.find(slug).count().get_result::<i64>(conn)? == 0 {
        return Ok(false);
    }
    let day = day.format("%Y-%m-%d").to_string();
    // The same statement on both backends but for the placeholders.
    let sql = "INSERT INTO campaign_visits (slug, day, visits) VALUES (P1, P2, 1) \
               ON CONFLICT (slug, day) DO UPDATE SET visits = campaign_visits.visits + 1";
    match conn {
        Conn::Sqlite(c) => diesel::sql_query(sql.replace("P1", "?").replace("P2", "?"))
            .bind::<Text, _>(slug)
            .bind::<Text, _>(&day)
            .execute(c)?,
        Conn::Pg(c) => diesel::sql_query(sql.replace("P1", "$1").replace("P2", "$2"))
            .bind::<Text, _>(slug)
            .bind::<Text, _>(&day)
            .execute(c)?,
    };
    Ok(true)
}

/// Visits per campaign on local days in `[from, to)`.
pub fn visits(conn: &mut Conn, from: NaiveDate, to: NaiveDate) -> Result<Vec<(String, i64)>, Error> {
    let (from, to) = (from.format("%Y-%m-%d").to_string(), to.format("%Y-%m-%d").to_string());
    let rows: Vec<(String, i32)> = campaign_visits::table
        .filter(campaign_visits::day.ge(from).and(campaign_visits::day.lt(to)))
        .select((campaign_visits::slug, campaign_visits::visits))
        .load(conn)?;
    let mut out: std::collections::BTreeMap<String, i64> = Default::default();
    for (slug, n) in rows {
        *out.entry(slug).or_default() += i64::from(n);
    }
    Ok(out.into_iter().collect())
}
