//! The audit trail of security events: append-only, paged newest first,
//! removed after the configured time. Never a secret in a row.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use super::schema::security_events;
use super::{new_id, Conn};
use crate::error::Error;

/// What happened.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Kind {
    LoginOk,
    LoginFailed,
    LoginThrottled,
    MfaFailed,
    MfaEnrolled,
    MfaReset,
    RecoveryCodeUsed,
    PasswordChanged,
    PasswordReset,
    PasswordResetRequested,
    TokenCreated,
    TokenRevoked,
    UserAdded,
    UserDeactivated,
    UserReactivated,
    RoleChanged,
}

impl Kind {
    pub const ALL: [Kind; 16] = [
        Kind::LoginOk,
        Kind::LoginFailed,
        Kind::LoginThrottled,
        Kind::MfaFailed,
        Kind::MfaEnrolled,
        Kind::MfaReset,
        Kind::RecoveryCodeUsed,
        Kind::PasswordChanged,
        Kind::PasswordReset,
        Kind::PasswordResetRequested,
        Kind::TokenCreated,
        Kind::TokenRevoked,
        Kind::UserAdded,
        Kind::UserDeactivated,
        Kind::UserReactivated,
        Kind::RoleChanged,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Kind::LoginOk => "login_ok",
            Kind::LoginFailed => "login_failed",
            Kind::LoginThrottled => "login_throttled",
            Kind::MfaFailed => "mfa_failed",
            Kind::MfaEnrolled => "mfa_enrolled",
            Kind::MfaReset => "mfa_reset",
            Kind::RecoveryCodeUsed => "recovery_code_used",
            Kind::PasswordChanged => "password_changed",
            Kind::PasswordReset => "password_reset",
            Kind::PasswordResetRequested => "password_reset_requested",
            Kind::TokenCreated => "token_created",
            Kind::TokenRevoked => "token_revoked",
            Kind::UserAdded => "user_added",
            Kind::UserDeactivated => "user_deactivated",
            Kind::UserReactivated => "user_reactivated",
            Kind::RoleChanged => "role_changed",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.as_str() == s)
    }
}

/// One event to record. `account_key` is the keyed hash of an email that
/// was tried (failed logins), never the email itself.
#[derive(Debug, Clone, Default)]
pub struct NewEvent<'a> {
    pub user_id: Option<&'a str>,
    pub actor_id: Option<&'a str>,
    pub account_key: Option<&'a str>,
    pub client: Option<String>,
    pub detail: Option<String>,
}

pub fn record(conn: &mut Conn, kind: Kind, e: NewEvent<'_>, at: NaiveDateTime) -> Result<(), Error> {
    diesel::insert_into(security_events::table)
        .values((
            security_events::id.eq(new_id()),
            security_events::at.eq(at),
            security_events::kind.eq(kind.as_str()),
            security_events::user_id.eq(e.user_id),
            security_events::actor_id.eq(e.actor_id),
            security_events::account_key.eq(e.account_key),
            security_events::client.eq(e.client),
            security_events::detail.eq(e.detail),
        ))
        .execute(conn)?;
    Ok(())
}

/// A recorded event with the names of the people in it.
#[derive(Debug, Clone, serde::Serialize)]
pub struct Event {
    pub at: NaiveDateTime,
    pub kind: String,
    pub user: Option<String>,
    pub actor: Option<String>,
    pub account_key: Option<String>,
    pub client: Option<String>,
    pub detail: Option<String>,
}

type Row = (NaiveDateTime, String, Option<String>, Option<String>, Option<String>, Option<String>, Option<String>);

/// One page of events, newest first, of one kind or all; also whether more
/// follow.
pub fn page(conn: &mut Conn, kind: Option<Kind>, offset: i64, limit: i64) -> Result<(Vec<Event>, bool), Error> {
    let mut q = security_events::table.into_boxed();
    if let Some(k) = kind {
        q = q.filter(security_events::kind.eq(k.as_str()));
    }
    let rows: Vec<Row> = q
        .order((security_events::at.desc(), security_events::id.desc()))
        .offset(offset)
        .limit(limit + 1)
        .select((
            security_events::at,
            security_events::kind,
            security_events::user_id,
            security_events::actor_id,
            security_events::account_key,
            security_events::client,
            security_events::detail,
        ))
        .load(conn)?;
    let more = rows.len() as i64 > limit;
    // Names of the users named (few per page): one lookup for all.
    let mut ids: Vec<String> = rows.iter().flat_map(|r| [r.2.clone(), r.3.clone()]).flatten().collect();
    ids.sort();
    ids.dedup();
    use super::schema::users;
    let names: Vec<(String, String)> =
        users::table.filter(users::id.eq_any(&ids)).select((users::id, users::email)).load(conn)?;
    let name = |id: &Option<String>| {
        id.as_ref().map(|id| names.iter().find(|(i, _)| i == id).map_or_else(|| id.clone(), |(_, e)| e.clone()))
    };
    let events = rows
        .into_iter()
        .take(usize::try_from(limit).unwrap_or(0))
        .map(|(at, kind, user_id, actor_id, account_key, client, detail)| Event {
            at,
            kind,
            user: name(&user_id),
            actor: name(&actor_id),
            account_key,
            client,
            detail,
        })
        .collect();
    Ok((events, more))
}

/// Removes events recorded before `before`; how many.
pub fn purge(conn: &mut Conn, before: NaiveDateTime) -> Result<usize, Error> {
    Ok(diesel::delete(security_events::table.filter(security_events::at.lt(before))).execute(conn)?)
}

/// Whether an event of `kind` about `user_id` was recorded after `since`.
pub fn happened_since(conn: &mut Conn, user_id: &str, kind: Kind, since: NaiveDateTime) -> Result<bool, Error> {
    let n: i64 = security_events::table
        .filter(security_events::user_id.eq(user_id))
        .filter(security_events::kind.eq(kind.as_str()))
        .filter(security_events::at.gt(since))
        .count()
        .get_result(conn)?;
    Ok(n > 0)
}
