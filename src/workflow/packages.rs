//! Welcome packages: prepared for the case's area while it is in move-in
//! (the mover is told how it reaches them), and delivered — by an
//! ambassador from their own view, a local council, or collected — which
//! moves the case to the welcome-package stage.

use super::{emails, transition};
use crate::config::Settings;
use crate::db::packages::{self, Preparation};
use crate::db::{cases, users, write_tx, Conn};
use crate::domain::case::{Action, Refusal, Stage};
use crate::domain::reference::Reference;
use crate::error::Error;
use crate::mail::email::{Delivery, WelcomePackage};

pub const METHODS: [&str; 3] = ["ambassador", "local_council", "collected"];

#[derive(Debug, Clone)]
pub struct PackagePlan {
    pub method: String,
    pub ambassador_id: Option<String>,
    pub details: String,
}

/// Prepares the package for the case's area (the move-in area, else the
/// first chosen area) and tells the mover how it reaches them.
pub fn prepare(
    conn: &mut Conn,
    s: &Settings,
    reference: &Reference,
    plan: &PackagePlan,
    actor_id: &str,
) -> Result<Result<(), Refusal>, Error> {
    write_tx(conn, |conn| {
        let now = crate::db::now();
        let d = cases::detail(conn, reference)?;
        let area = match crate::domain::case::package_area(d.case.state(), d.case.move_in_area.as_deref(), &d.areas) {
            Ok(area) => area.to_string(),
            Err(r) => return Ok(Err(r)),
        };
        if plan.method == "ambassador" {
            let ok = plan
                .ambassador_id
                .as_deref()
                .map(|id| users::find(conn, id))
                .transpose()?
                .flatten()
                .is_some_and(|u| u.active && u.role == crate::domain::user::Role::Ambassador);
            if !ok {
                return Ok(Err(Refusal::PackageNoAmbassador));
            }
        }
        let items = packages::area_package(conn, &area)?.map(|p| p.item_list()).unwrap_or_default();
        let prep = Preparation {
            area: &area,
            items: &items,
            method: &plan.method,
            ambassador_id: plan.ambassador_id.as_deref().filter(|_| plan.method == "ambassador"),
            note: Some(plan.details.as_str()).filter(|n| !n.trim().is_empty()),
        };
        packages::prepare(conn, &d.case.id, &prep, actor_id, now)?;
        let mover = emails::to_mover_by(conn, s, &d, Some(actor_id))?;
        let notice = WelcomePackage {
            common: mover.common,
            delivery: if plan.method == "collected" { Delivery::Collect } else { Delivery::Delivered },
            details: plan.details.trim().to_string(),
            pickup: s.municipality.welcome_package_pickup.clone(),
            envelope: mover.envelope,
        };
        emails::queue(conn, s, Some(&d.case.id), &notice, now)?;
        Ok(Ok(()))
    })
}

/// Records the delivery and moves the case to the welcome-package stage.
pub fn deliver(
    conn: &mut Conn,
    s: &Settings,
    reference: &Reference,
    actor_id: &str,
) -> Result<Result<(), Refusal>, Error> {
    write_tx(conn, |conn| {
        let now = crate::db::now();
        let d = cases::detail(conn, reference)?;
        if !packages::deliver(conn, &d.case.id, actor_id, now)? {
            return Ok(Err(Refusal::PackageNotNow));
        }
        if d.case.state().stage == Stage::MoveIn {
            let action = Action::MoveTo(Stage::WelcomePackage);
            if let Err(r) = transition(conn, s, reference, &action, "", actor_id)? {
                return Ok(Err(r));
            }
        }
        Ok(Ok(()))
    })
}

/// Saves what each area's welcome package holds and who delivers it:
/// `(area slug, items, deliverer)`.
pub fn save_area_packages(conn: &mut Conn, saves: &[(String, Vec<String>, String)]) -> Result<(), Error> {
    write_tx(conn, |conn| {
        for (slug, items, deliverer) in saves {
            packages::save_area_package(conn, slug, items, deliverer, crate::db::now())?;
        }
        Ok(())
    })
}
