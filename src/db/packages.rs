//! Welcome packages: what each local area's package holds, and each case's
//! package from preparation to delivery.

use chrono::NaiveDateTime;
use diesel::prelude::*;
use serde_json::json;

use super::cases::append_event;
use super::schema::{case_packages, cases, welcome_packages};
use super::Conn;
use crate::domain::case::EventKind;
use crate::domain::text::CaseId;
use crate::error::Error;

#[derive(Debug, Clone, Queryable, Selectable, serde::Serialize)]
#[diesel(table_name = welcome_packages)]
pub struct AreaPackage {
    pub area_slug: String,
    pub items: String,
    pub deliverer: String,
    pub updated_at: NaiveDateTime,
}

impl AreaPackage {
    pub fn item_list(&self) -> Vec<String> {
        serde_json::from_str(&self.items).unwrap_or_default()
    }
}

pub fn area_packages(conn: &mut Conn) -> Result<Vec<AreaPackage>, Error> {
    Ok(welcome_packages::table.select(AreaPackage::as_select()).load(conn)?)
}

pub fn area_package(conn: &mut Conn, slug: &str) -> Result<Option<AreaPackage>, Error> {
    Ok(welcome_packages::table.find(slug).select(AreaPackage::as_select()).first(conn).optional()?)
}

pub fn save_area_package(
    conn: &mut Conn,
    slug: &str,
    items: &[String],
    deliverer: &str,
    now: NaiveDateTime,
) -> Result<(), Error> {
    let items = serde_json::to_string(items).unwrap_or_else(|_| "[]".into());
    let n = diesel::update(welcome_packages::table.find(slug))
        .set((
            welcome_packages::items.eq(&items),
            welcome_packages::deliverer.eq(deliverer),
            welcome_packages::updated_at.eq(now),
        ))
        .execute(conn)?;
    if n == 0 {
        diesel::insert_into(welcome_packages::table)
            .values((
                welcome_packages::area_slug.eq(slug),
                welcome_packages::items.eq(&items),
                welcome_packages::deliverer.eq(deliverer),
                welcome_packages::updated_at.eq(now),
            ))
            .execute(conn)?;
    }
    Ok(())
}

#[derive(Debug, Clone, Queryable, Selectable, serde::Serialize)]
#[diesel(table_name = case_packages)]
pub struct CasePackage {
    pub case_id: CaseId,
    pub area_slug: String,
    pub items: String,
    pub method: String,
    pub ambassador_id: Option<String>,
    pub note: Option<String>,
    pub prepared_by: String,
    pub prepared_at: NaiveDateTime,
    pub delivered_at: Option<NaiveDateTime>,
    pub delivered_by: Option<String>,
}

impl CasePackage {
    pub fn item_list(&self) -> Vec<String> {
        serde_json::from_str(&self.items).unwrap_or_default()
    }
}

pub fn for_case(conn: &mut Conn, case_id: &CaseId) -> Result<Option<CasePackage>, Error> {
    Ok(case_packages::table.find(case_id).select(CasePackage::as_select()).first(conn).optional()?)
}

pub struct Preparation<'a> {
    pub area: &'a str,
    pub items: &'a [String],
    pub method: &'a str,
    pub ambassador_id: Option<&'a str>,
    pub note: Option<&'a str>,
}

/// Prepares (or re-prepares, while undelivered) a case's package.
pub fn prepare(
    conn: &mut Conn,
    case_id: &CaseId,
    p: &Preparation<'_>,
    actor_id: &str,
    now: NaiveDateTime,
) -> Result<(), Error> {
    diesel::delete(case_packages::table.find(case_id).filter(case_packages::delivered_at.is_null())).execute(conn)?;
    diesel::insert_into(case_packages::table)
        .values((
            case_packages::case_id.eq(case_id),
            case_packages::area_slug.eq(p.area),
            case_packages::items.eq(serde_json::to_string(p.items).unwrap_or_else(|_| "[]".into())),
            case_packages::method.eq(p.method),
            case_packages::ambassador_id.eq(p.ambassador_id),
            case_packages::note.eq(p.note),
            case_packages::prepared_by.eq(actor_id),
            case_packages::prepared_at.eq(now),
        ))
        .execute(conn)?;
    append_event(
        conn,
        case_id,
        EventKind::PackagePrepared,
        Some(actor_id),
        json!({ "area": p.area, "method": p.method, "ambassador": p.ambassador_id }),
    )
}

/// Records the delivery; false if it was already delivered.
pub fn deliver(conn: &mut Conn, case_id: &CaseId, actor_id: &str, now: NaiveDateTime) -> Result<bool, Error> {
    let n = diesel::update(case_packages::table.find(case_id).filter(case_packages::delivered_at.is_null()))
        .set((case_packages::delivered_at.eq(Some(now)), case_packages::delivered_by.eq(Some(actor_id))))
        .execute(conn)?;
    if n == 1 {
        append_event(conn, case_id, EventKind::PackageDelivered, Some(actor_id), json!({}))?;
    }
    Ok(n == 1)
}

/// Undelivered packages prepared before `before`, with the case reference.
pub fn overdue(conn: &mut Conn, before: NaiveDateTime) -> Result<Vec<(CasePackage, String)>, Error> {
    Ok(case_packages::table
        .inner_join(cases::table.on(cases::id.eq(case_packages::case_id)))
        .filter(case_packages::delivered_at.is_null())
        .filter(case_packages::prepared_at.lt(before))
        .select((CasePackage::as_select(), cases::reference))
        .load(conn)?)
}
