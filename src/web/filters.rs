//! The queue's query parameters, read the same way by the page and the API.

use crate::db::cases::{AssigneeFilter, Cursor, QueueFilter};
use crate::db::users::User;
use crate::domain::case::Stage;
use crate::domain::workdays;

use super::csrf::FormData;
use super::AppState;

/// A parameter that could not be used: which one, and why (English; the
/// page shows its own words).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BadParam {
    pub param: &'static str,
    pub message: &'static str,
}

/// Every parameter the queue understands (page and API); `lang` is the
/// page's language switch. Anything else is refused by name rather than
/// silently ignored, so a mistyped filter never looks like an empty result.
pub const KNOWN: [&str; 9] = ["stage", "assignee", "area", "campaign", "q", "overdue", "after", "limit", "lang"];

/// The first parameter the queue does not know, if any.
pub fn unknown(q: &FormData) -> Option<&str> {
    q.0.iter().map(|(k, _)| k.as_str()).find(|k| !KNOWN.contains(k))
}

pub struct QueueQuery {
    pub filter: QueueFilter,
    pub after: Option<Cursor>,
    pub limit: i64,
}

pub fn parse(q: &FormData, me: &User, state: &AppState) -> Result<QueueQuery, BadParam> {
    let stage = match q.get("stage") {
        "" | "open" => None,
        s => Some(Stage::parse(s).ok_or(BadParam { param: "stage", message: "unknown stage" })?),
    };
    let assignee = match q.get("assignee") {
        "" | "all" => AssigneeFilter::Anyone,
        "me" => AssigneeFilter::User(me.id.clone()),
        "unassigned" => AssigneeFilter::Unassigned,
        // The hyphenated form only, as the OpenAPI document's pattern says.
        id if id.len() == 36 && uuid::Uuid::parse_str(id).is_ok() => AssigneeFilter::User(id.to_string()),
        _ => return Err(BadParam { param: "assignee", message: "must be me, unassigned or a user id" }),
    };
    let area = match q.get("area") {
        "" => None,
        slug if state.settings.area(slug).is_some() => Some(slug.to_string()),
        _ => return Err(BadParam { param: "area", message: "unknown area" }),
    };
    let campaign = match q.get("campaign") {
        "" => None,
        slug if crate::domain::inquiry::is_slug(slug) => Some(slug.to_string()),
        _ => return Err(BadParam { param: "campaign", message: "not a campaign slug (a-z, 0-9, - and _)" }),
    };
    let text = q.get("q").trim();
    if text.chars().count() > 200 {
        return Err(BadParam { param: "q", message: "at most 200 characters" });
    }
    let overdue_before = match q.get("overdue") {
        "" | "0" => None,
        "1" => {
            let cutoff = workdays::cutoff(
                chrono::Utc::now(),
                state.settings.queue.first_contact_goal_working_days,
                state.settings.time_zone,
            );
            Some(cutoff.naive_utc())
        }
        _ => return Err(BadParam { param: "overdue", message: "must be 1 or 0" }),
    };
    let after = match q.get("after") {
        "" => None,
        c => Some(Cursor::decode(c).ok_or(BadParam { param: "after", message: "not a cursor from this API" })?),
    };
    let default = i64::from(state.settings.queue.page_size);
    let limit = match q.get("limit") {
        "" => default,
        n => n
            .parse::<i64>()
            .ok()
            .filter(|n| (1..=200).contains(n))
            .ok_or(BadParam { param: "limit", message: "must be 1–200" })?,
    };
    Ok(QueueQuery {
        filter: QueueFilter {
            stage,
            assignee,
            area,
            campaign,
            q: (!text.is_empty()).then(|| text.to_string()),
            overdue_before,
        },
        after,
        limit,
    })
}
