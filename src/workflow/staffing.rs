//! Staff coming and going: deactivating a user hands their open cases to
//! another consultant (or leaves them unassigned, as the admin chooses),
//! and an absence hands them to a stand-in (vikar) until the consultant is
//! back. Each is one transaction; every case that moves gets a timeline
//! event saying why.

use crate::db::staffing::{self, Absence, OpenCase};
use crate::db::{users, write_tx, Conn};
use crate::error::Error;

/// Where a deactivated consultant's open cases go.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum HandTo {
    /// Back to the queue, unassigned.
    Unassigned,
    /// To this active consultant or admin.
    User(String),
}

impl HandTo {
    /// The form value: `unassigned` or a user id; empty: not chosen.
    pub fn parse(value: &str) -> Option<Self> {
        match value.trim() {
            "" => None,
            "unassigned" => Some(HandTo::Unassigned),
            id => Some(HandTo::User(id.to_string())),
        }
    }
}

/// Why a staffing change was not made; the page says it at the field.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Refusal {
    /// The user has open cases and nobody was chosen to take them.
    ChooseHandTo,
    /// The chosen person is not an active consultant or admin, is the user
    /// themselves, or is away.
    NotAvailable,
    /// Admins cannot deactivate themselves.
    NotYourself,
    /// The user is already away (end that absence first).
    AlreadyAway,
    /// The user stands in for someone who is away.
    IsStandIn,
    /// Only consultants and admins hold cases.
    NotStaff,
}

impl Refusal {
    /// The locale message's key suffix (`staffing-refusal-<code>`).
    pub fn code(self) -> &'static str {
        match self {
            Refusal::ChooseHandTo => "choose-hand-to",
            Refusal::NotAvailable => "not-available",
            Refusal::NotYourself => "not-yourself",
            Refusal::AlreadyAway => "already-away",
            Refusal::IsStandIn => "is-stand-in",
            Refusal::NotStaff => "not-staff",
        }
    }
}

/// Someone who may take over cases: an active consultant or admin, not
/// `except`, and not away.
fn available(conn: &mut Conn, id: &str, except: &str) -> Result<bool, Error> {
    if id == except {
        return Ok(false);
    }
    let ok = users::find(conn, id)?.is_some_and(|u| u.active && u.role.is_staff());
    Ok(ok && staffing::absence_of(conn, id)?.is_none())
}

/// The people a user's cases may go to: active consultants and admins
/// other than the user, who are not away.
pub fn takers(conn: &mut Conn, user_id: &str) -> Result<Vec<users::User>, Error> {
    let away: Vec<String> = staffing::absences(conn)?.into_iter().map(|a| a.user_id).collect();
    Ok(users::assignable(conn)?.into_iter().filter(|u| u.id != user_id && !away.contains(&u.id)).collect())
}

/// Deactivates a user: their open cases go where the admin chose (each
/// with a timeline event), an absence of theirs ends (the cases handed
/// over stay with the stand-in), absences they stand in for end (those
/// cases go where the admin chose, with the rest), and then sessions,
/// tokens, links, area responsibilities and an ambassador's open referrals
/// end as before. Returns how many cases moved.
pub fn deactivate(
    conn: &mut Conn,
    user_id: &str,
    hand_to: Option<&HandTo>,
    actor_id: &str,
) -> Result<Result<usize, Refusal>, Error> {
    if user_id == actor_id {
        return Ok(Err(Refusal::NotYourself));
    }
    write_tx(conn, |conn| {
        users::find(conn, user_id)?.ok_or(Error::NotFound)?;
        let open = staffing::open_cases_of(conn, user_id)?;
        let to = match (hand_to, open.is_empty()) {
            (None, false) => return Ok(Err(Refusal::ChooseHandTo)),
            (None | Some(HandTo::Unassigned), _) => None,
            (Some(HandTo::User(id)), _) => {
                if !available(conn, id, user_id)? {
                    return Ok(Err(Refusal::NotAvailable));
                }
                Some(id.as_str())
            }
        };
        let mut moved = 0;
        for c in &open {
            moved += usize::from(staffing::hand_over(conn, &c.id, user_id, to, actor_id, "deactivated")?);
        }
        staffing::delete_absence(conn, user_id)?;
        for a in staffing::standing_in_for(conn, user_id)? {
            staffing::delete_absence(conn, &a.user_id)?;
        }
        // Sessions, tokens, links, areas, an ambassador's referrals; audited.
        super::accounts::set_active(conn, user_id, false, actor_id)?;
        Ok(Ok(moved))
    })
}

/// Marks `user_id` away with `substitute_id` standing in: their open cases
/// go to the stand-in now (each with a timeline event), and so do new
/// inquiries that would have gone to them, until [`end_absence`]. Returns
/// how many cases moved.
pub fn start_absence(
    conn: &mut Conn,
    user_id: &str,
    substitute_id: &str,
    actor_id: &str,
) -> Result<Result<usize, Refusal>, Error> {
    write_tx(conn, |conn| {
        let user = users::find(conn, user_id)?.ok_or(Error::NotFound)?;
        if !user.active || !user.role.is_staff() {
            return Ok(Err(Refusal::NotStaff));
        }
        if staffing::absence_of(conn, user_id)?.is_some() {
            return Ok(Err(Refusal::AlreadyAway));
        }
        if !staffing::standing_in_for(conn, user_id)?.is_empty() {
            return Ok(Err(Refusal::IsStandIn));
        }
        if !available(conn, substitute_id, user_id)? {
            return Ok(Err(Refusal::NotAvailable));
        }
        staffing::insert_absence(conn, user_id, substitute_id, actor_id)?;
        let mut moved = 0;
        for c in staffing::open_cases_of(conn, user_id)? {
            if staffing::hand_over(conn, &c.id, user_id, Some(substitute_id), actor_id, "away")? {
                staffing::remember_case(conn, user_id, &c.id)?;
                moved += 1;
            }
        }
        Ok(Ok(moved))
    })
}

/// The consultant is back: the cases handed to the stand-in that are still
/// open and still with the stand-in come back (each with a timeline
/// event); cases the stand-in passed on or closed stay where they are.
/// Returns how many came back; nothing when the user was not away.
pub fn end_absence(conn: &mut Conn, user_id: &str, actor_id: &str) -> Result<usize, Error> {
    write_tx(conn, |conn| {
        let Some(absence) = staffing::absence_of(conn, user_id)? else { return Ok(0) };
        let back = staffing::cases_to_return(conn, user_id, &absence.substitute_id)?;
        let mut moved = 0;
        for c in &back {
            moved +=
                usize::from(staffing::hand_over(conn, &c.id, &absence.substitute_id, Some(user_id), actor_id, "back")?);
        }
        staffing::delete_absence(conn, user_id)?;
        Ok(moved)
    })
}

/// What the deactivation and absence pages show about one user.
pub struct Overview {
    pub user: users::User,
    pub open: Vec<OpenCase>,
    pub absence: Option<Absence>,
    /// Who stands in, while the user is away.
    pub substitute: Option<users::User>,
    pub handed: i64,
    pub takers: Vec<users::User>,
}

pub fn overview(conn: &mut Conn, user_id: &str) -> Result<Overview, Error> {
    let user = users::find(conn, user_id)?.ok_or(Error::NotFound)?;
    let absence = staffing::absence_of(conn, user_id)?;
    let handed = if absence.is_some() { staffing::handed_count(conn, user_id)? } else { 0 };
    let substitute = match &absence {
        Some(a) => users::find(conn, &a.substitute_id)?,
        None => None,
    };
    Ok(Overview {
        substitute,
        open: staffing::open_cases_of(conn, user_id)?,
        takers: takers(conn, user_id)?,
        user,
        absence,
        handed,
    })
}
