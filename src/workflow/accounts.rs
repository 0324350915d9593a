//! Account security: password changes and resets, second factors, tokens;
//! each one transaction with its entry in the audit trail.

use crate::db::audit::{self, Kind, NewEvent};
use crate::db::{mfa, now, users, write_tx, Conn};
use crate::error::Error;

/// Sets a new password hash and ends every other session of the user (the
/// one in `keep`, the session that made the change, stays). `kind` says
/// how: `PasswordChanged` (the user, knowing the old one) or
/// `PasswordReset` (a one-time link).
pub fn change_password(
    conn: &mut Conn,
    s: &crate::config::Settings,
    user_id: &str,
    hash: &str,
    keep: Option<&str>,
    kind: Kind,
) -> Result<usize, Error> {
    write_tx(conn, |conn| {
        users::set_password(conn, user_id, hash)?;
        let ended = users::delete_other_sessions(conn, user_id, keep)?;
        audit::record(conn, kind, NewEvent { user_id: Some(user_id), ..Default::default() }, now())?;
        notify(conn, s, user_id, kind)?;
        Ok(ended)
    })
}

/// Tells the user by email that their password or second factor changed
/// (queued in the caller's transaction), so a change they did not make
/// does not go unnoticed.
pub fn notify(conn: &mut Conn, s: &crate::config::Settings, user_id: &str, kind: Kind) -> Result<(), Error> {
    use crate::mail::email::{AccountNotice, Envelope, Recipient};
    let Some(user) = users::find(conn, user_id)? else { return Ok(()) };
    let t = now();
    let email = AccountNotice {
        common: super::emails::common(s, crate::domain::inquiry::Language::Da, "", "", None, &[], 0, 0),
        user_name: user.name.clone(),
        what: kind.as_str().to_string(),
        when: t.and_utc().with_timezone(&s.time_zone).format("%d.%m.%Y %H:%M").to_string(),
        envelope: Envelope::to(Recipient::new(&user.name, &user.email)),
    };
    super::emails::queue(conn, s, None, &email, t)
}

/// Removes a user's second factor and recovery codes and ends every
/// session of theirs (a lost phone: whoever has it must not stay signed
/// in). `None` for an unknown user; `Some(false)` when none was enrolled.
pub fn reset_mfa(
    conn: &mut Conn,
    s: &crate::config::Settings,
    user_id: &str,
    actor: Option<&str>,
) -> Result<Option<bool>, Error> {
    write_tx(conn, |conn| {
        if users::find(conn, user_id)?.is_none() {
            return Ok(None);
        }
        let had = mfa::reset(conn, user_id)?;
        users::delete_other_sessions(conn, user_id, None)?;
        let e = NewEvent { user_id: Some(user_id), actor_id: actor, ..Default::default() };
        audit::record(conn, Kind::MfaReset, e, now())?;
        if had {
            notify(conn, s, user_id, Kind::MfaReset)?;
        }
        Ok(Some(had))
    })
}

/// Stores a new API token (only its hash).
pub fn create_token(
    conn: &mut Conn,
    user_id: &str,
    label: &str,
    token_hash: &str,
    scopes: &[&str],
    now: chrono::NaiveDateTime,
    expires: Option<chrono::NaiveDateTime>,
) -> Result<String, Error> {
    write_tx(conn, |conn| {
        let id = crate::db::tokens::create(conn, user_id, label, token_hash, scopes, now, expires)?;
        let e = NewEvent {
            user_id: Some(user_id),
            detail: Some(format!("{label} ({})", scopes.join(","))),
            ..Default::default()
        };
        audit::record(conn, Kind::TokenCreated, e, now)?;
        Ok(id)
    })
}

/// Revokes one API token; its owner's id, `None` when unknown or revoked.
pub fn revoke_token(conn: &mut Conn, id: &str, actor: Option<&str>) -> Result<Option<String>, Error> {
    write_tx(conn, |conn| {
        let owner = crate::db::tokens::revoke(conn, id, now())?;
        if let Some(o) = &owner {
            let e = NewEvent { user_id: Some(o), actor_id: actor, detail: Some(id.to_string()), ..Default::default() };
            audit::record(conn, Kind::TokenRevoked, e, now())?;
        }
        Ok(owner)
    })
}

/// Records a security event in its own transaction (logins and refusals,
/// which change nothing else).
pub fn record(conn: &mut Conn, kind: Kind, e: NewEvent<'_>) -> Result<(), Error> {
    audit::record(conn, kind, e, now())
}

/// Emails `user` a single-use link to choose a new password (valid
/// `auth.reset_link_minutes`; only its hash is stored) through the outbox,
/// and records the request. `actor`: the admin who sent it, if one did.
pub fn send_password_reset(
    conn: &mut Conn,
    s: &crate::config::Settings,
    user: &users::User,
    actor: Option<&str>,
    client: Option<String>,
) -> Result<(), Error> {
    use crate::mail::email::{Envelope, PasswordReset, Recipient};
    write_tx(conn, |conn| {
        let token = crate::crypto::random_token();
        let t = now();
        let expires = t + chrono::Duration::minutes(i64::from(s.auth.reset_link_minutes));
        users::create_setup_link(conn, &crate::crypto::token_hash(&token), Some(&user.id), expires)?;
        let email = PasswordReset {
            common: super::emails::common(s, crate::domain::inquiry::Language::Da, "", "", None, &[], 0, 0),
            user_name: user.name.clone(),
            reset_url: format!("{}/reset/{token}", s.public_url),
            minutes: s.auth.reset_link_minutes,
            envelope: Envelope::to(Recipient::new(&user.name, &user.email)),
        };
        super::emails::queue(conn, s, None, &email, t)?;
        let e = NewEvent { user_id: Some(&user.id), actor_id: actor, client, ..Default::default() };
        audit::record(conn, Kind::PasswordResetRequested, e, t)
    })
}

/// Whether a reset link was sent to the user within `minutes` (so the
/// form cannot be used to flood someone's inbox).
pub fn reset_sent_recently(conn: &mut Conn, user_id: &str, minutes: i64) -> Result<bool, Error> {
    audit::happened_since(conn, user_id, Kind::PasswordResetRequested, now() - chrono::Duration::minutes(minutes))
}

/// Records that a session was just used (at most once a minute per session).
pub fn touch_session(conn: &mut Conn, id_hash: &str) -> Result<(), Error> {
    users::touch_session(conn, id_hash, crate::db::now())
}

/// Records that an API token was just used.
pub fn touch_token(conn: &mut Conn, id: &str, now: chrono::NaiveDateTime) -> Result<(), Error> {
    crate::db::tokens::touch(conn, id, now)
}

/// A new account, as the admin page or `velkomst user add` gives it.
#[derive(Debug, Clone, Copy)]
pub struct NewAccount<'a> {
    pub email: &'a str,
    pub name: &'a str,
    pub role: crate::domain::user::Role,
    /// An ambassador's registry entry; ambassadors are never made
    /// responsible for an area (that is a consultant's job).
    pub ambassador: Option<&'a crate::db::ambassadors::Profile>,
    pub password_hash: Option<&'a str>,
    /// Areas the new consultant or admin becomes responsible for.
    pub areas: &'a [String],
    /// The admin who adds the account (none from the command line).
    pub actor: Option<&'a str>,
}

/// Adds an account in one transaction; `None` when the email is taken.
/// Without a password the answer carries a one-time set-password link.
pub fn add_user(
    conn: &mut Conn,
    s: &crate::config::Settings,
    new: &NewAccount<'_>,
) -> Result<Option<(users::User, Option<String>)>, Error> {
    write_tx(conn, |conn| {
        let created = match new.ambassador {
            Some(profile) => super::referrals::register_ambassador(conn, new.email, new.name, profile)?,
            None => users::create(conn, new.email, new.name, new.role, None)?,
        };
        let Some(user) = created else { return Ok(None) };
        if let Some(hash) = new.password_hash {
            users::set_password(conn, &user.id, hash)?;
        }
        if new.ambassador.is_none() {
            for area in new.areas {
                users::set_responsible(conn, area, Some(&user.id))?;
            }
        }
        let link = match new.password_hash {
            Some(_) => None,
            None => Some(setup_link(conn, s, Some(&user.id))?),
        };
        let e = NewEvent {
            user_id: Some(&user.id),
            actor_id: new.actor,
            detail: Some(new.role.as_str().to_string()),
            ..Default::default()
        };
        audit::record(conn, Kind::UserAdded, e, now())?;
        Ok(Some((user, link)))
    })
}

/// A one-time link to set a password: for `user_id`, or for the first admin.
pub fn setup_link(conn: &mut Conn, s: &crate::config::Settings, user_id: Option<&str>) -> Result<String, Error> {
    let token = crate::crypto::random_token();
    let expires = crate::db::now() + chrono::Duration::minutes(i64::from(s.auth.setup_link_minutes));
    users::create_setup_link(conn, &crate::crypto::token_hash(&token), user_id, expires)?;
    Ok(format!("{}/setup/{token}", s.public_url))
}

/// Uses a set-password link: makes the first admin, or sets a user's
/// password and ends their sessions. `false` when the link was used
/// meanwhile (or an admin exists already).
pub fn finish_setup(
    conn: &mut Conn,
    s: &crate::config::Settings,
    token_hash: &str,
    link: &users::SetupLink,
    email: &str,
    name: &str,
    password_hash: &str,
) -> Result<bool, Error> {
    write_tx(conn, |conn| {
        if !users::use_setup_link(conn, token_hash)? {
            return Ok(false);
        }
        match link {
            users::SetupLink::FirstAdmin => {
                if users::count(conn)? > 0 {
                    return Ok(false);
                }
                users::create(conn, email, name, crate::domain::user::Role::Admin, Some(password_hash))?;
            }
            users::SetupLink::SetPassword(u) => {
                change_password(conn, s, &u.id, password_hash, None, Kind::PasswordReset)?;
            }
        }
        Ok(true)
    })
}

/// Sets who is responsible for each area named; an unknown area or a user
/// who cannot take cases refuses the whole change.
pub fn set_area_responsibles(conn: &mut Conn, choices: &[(String, Option<String>)]) -> Result<(), Error> {
    use crate::error::Refusal;
    write_tx(conn, |conn| {
        let staff = users::assignable(conn)?;
        let known: Vec<String> = users::list_areas(conn)?.into_iter().map(|a| a.slug).collect();
        for (slug, user) in choices {
            if !known.contains(slug) {
                return Err(Error::Refused(Refusal::UnknownArea));
            }
            if user.as_ref().is_some_and(|id| !staff.iter().any(|u| &u.id == id)) {
                return Err(Error::Refused(Refusal::UnknownUser));
            }
            users::set_responsible(conn, slug, user.as_deref())?;
        }
        Ok(())
    })
}

/// Starts a session (ending the one it replaces, if any); `must_enrol`
/// holds it to enrolling a second factor before anything else.
pub fn start_session(
    conn: &mut Conn,
    old: Option<&str>,
    hash: &str,
    user_id: &str,
    expires: chrono::NaiveDateTime,
    must_enrol: bool,
) -> Result<(), Error> {
    write_tx(conn, |conn| {
        if let Some(old) = old {
            users::delete_session(conn, old)?;
        }
        users::create_session(conn, hash, user_id, expires)?;
        if must_enrol {
            mfa::require_enrolment(conn, hash)?;
        }
        Ok(())
    })
}

/// Activates or deactivates a user. Deactivating ends their sessions,
/// tokens and links, and hands an ambassador's open referrals back to the
/// consultant.
pub fn set_active(conn: &mut Conn, user_id: &str, active: bool, actor: &str) -> Result<(), Error> {
    write_tx(conn, |conn| {
        if active {
            users::set_active(conn, user_id, true)?;
        } else {
            super::referrals::deactivate_ambassador(conn, user_id, actor)?;
        }
        let kind = if active { Kind::UserReactivated } else { Kind::UserDeactivated };
        audit::record(
            conn,
            kind,
            NewEvent { user_id: Some(user_id), actor_id: Some(actor), ..Default::default() },
            now(),
        )
    })
}

/// "Forgot password": a reset link to an active account with this email,
/// at most one per `gap_minutes`. `false` when none was sent (the page
/// says the same either way).
pub fn forgot_password(
    conn: &mut Conn,
    s: &crate::config::Settings,
    email: &str,
    client: Option<String>,
    gap_minutes: i64,
) -> Result<bool, Error> {
    write_tx(conn, |conn| {
        let Some(user) = users::find_by_email(conn, email)?.filter(|u| u.active) else { return Ok(false) };
        if reset_sent_recently(conn, &user.id, gap_minutes)? {
            return Ok(false);
        }
        send_password_reset(conn, s, &user, None, client)?;
        Ok(true)
    })
}

/// An admin sends an active user a reset link (404 for anyone else).
pub fn send_reset_for(
    conn: &mut Conn,
    s: &crate::config::Settings,
    user_id: &str,
    admin_id: &str,
) -> Result<(), Error> {
    write_tx(conn, |conn| {
        let user = users::find(conn, user_id)?.filter(|u| u.active).ok_or(Error::NotFound)?;
        send_password_reset(conn, s, &user, Some(admin_id), None)
    })
}

/// Ends a session (logout).
pub fn end_session(conn: &mut Conn, id_hash: &str) -> Result<(), Error> {
    users::delete_session(conn, id_hash)
}
