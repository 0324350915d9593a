//! Receiving an inquiry, shared by the form and the JSON API: the per-IP
//! limit, validation into an [`Inquiry`], and the one-transaction write.

use std::collections::{HashMap, VecDeque};
use std::net::IpAddr;
use std::sync::Mutex;
use std::time::{Duration, Instant};

use chrono::Datelike;

use super::AppState;
use crate::domain::inquiry::{Catalog, FieldError, Inquiry, InquiryDraft};
use crate::web::error::AppError;

const WINDOW: Duration = Duration::from_secs(3600);

/// Accepted inquiries per client IP per hour, and per integration token
/// per hour (a limit of its own: a municipality's website sends on behalf
/// of many movers). Only accepted inquiries count, so a person correcting
/// a refused form is never blocked. Kept in memory: with several instances
/// each enforces its own share.
pub struct RateLimiter {
    ips: Window<IpAddr>,
    tokens: Window<String>,
}

impl RateLimiter {
    /// The public limit per address; integrations unlimited.
    pub fn new(limit: u32) -> Self {
        Self::with_integrations(limit, 0)
    }

    /// `limit` per address, `integration_limit` per intake token (0: none).
    pub fn with_integrations(limit: u32, integration_limit: u32) -> Self {
        Self { ips: Window::new(limit), tokens: Window::new(integration_limit) }
    }

    /// `Err(seconds)` until the oldest counted inquiry leaves the window.
    pub fn check(&self, ip: IpAddr, now: Instant) -> Result<(), u64> {
        self.ips.check(&ip, now)
    }

    pub fn record(&self, ip: IpAddr, now: Instant) {
        self.ips.record(ip, now)
    }

    /// As [`check`](Self::check), for an integration token (by its hash).
    pub fn check_token(&self, token: &str, now: Instant) -> Result<(), u64> {
        self.tokens.check(&token.to_string(), now)
    }

    pub fn record_token(&self, token: &str, now: Instant) {
        self.tokens.record(token.to_string(), now)
    }
}

/// A sliding hour of accepted inquiries per key.
struct Window<K> {
    limit: u32,
    hits: Mutex<HashMap<K, VecDeque<Instant>>>,
}

impl<K: std::hash::Hash + Eq + Clone> Window<K> {
    fn new(limit: u32) -> Self {
        Self { limit, hits: Mutex::new(HashMap::new()) }
    }

    fn check(&self, key: &K, now: Instant) -> Result<(), u64> {
        if self.limit == 0 {
            return Ok(());
        }
        let mut hits = self.hits.lock().unwrap_or_else(|p| p.into_inner());
        let q = hits.entry(key.clone()).or_default();
        while q.front().is_some_and(|t| now.duration_since(*t) >= WINDOW) {
            q.pop_front();
        }
        if q.len() < self.limit as usize {
            return Ok(());
        }
        let oldest = q.front().copied().unwrap_or(now);
        Err(WINDOW.saturating_sub(now.duration_since(oldest)).as_secs().max(1))
    }

    fn record(&self, key: K, now: Instant) {
        if self.limit == 0 {
            return;
        }
        let mut hits = self.hits.lock().unwrap_or_else(|p| p.into_inner());
        // Forget idle clients now and then so the map cannot grow without bound.
        if hits.len() > 50_000 {
            hits.retain(|_, q| q.back().is_some_and(|t| now.duration_since(*t) < WINDOW));
        }
        hits.entry(key).or_default().push_back(now);
    }
}

pub fn current_year(state: &AppState) -> i32 {
    chrono::Utc::now().with_timezone(&state.settings.time_zone).year()
}

fn catalog(state: &AppState) -> Catalog<'_> {
    Catalog {
        areas: state.settings.areas.iter().map(|a| a.slug.as_str()).collect(),
        interests: state.settings.interests.iter().map(|i| i.slug.as_str()).collect(),
    }
}

/// Validation alone, for reporting rule errors beside type errors.
pub fn receive_check_only(state: &AppState, draft: &InquiryDraft) -> Result<(), Vec<FieldError>> {
    Inquiry::parse(draft, &catalog(state), current_year(state)).map(|_| ())
}

/// Validates and stores; `Ok(Err(errors))` when the input is refused.
pub async fn receive(
    state: &AppState,
    ip: Option<IpAddr>,
    draft: &InquiryDraft,
) -> Result<Result<crate::domain::reference::Reference, Vec<FieldError>>, AppError> {
    receive_from(state, ip, None, draft).await
}

/// [`receive`], for an integration token too (`token`: its hash), which
/// counts against the integrations' own limit; `ip` is then the mover's
/// address if the integration passed it.
pub async fn receive_from(
    state: &AppState,
    ip: Option<IpAddr>,
    token: Option<&str>,
    draft: &InquiryDraft,
) -> Result<Result<crate::domain::reference::Reference, Vec<FieldError>>, AppError> {
    let now = Instant::now();
    let limited = |retry_after_secs| AppError::RateLimited { retry_after_secs };
    if let Some(token) = token {
        state.limiter.check_token(token, now).map_err(limited)?;
    }
    if let Some(ip) = ip {
        state.limiter.check(ip, now).map_err(limited)?;
    }
    let year = current_year(state);
    let inquiry = match Inquiry::parse(draft, &catalog(state), year) {
        Ok(i) => i,
        Err(errors) => return Ok(Err(errors)),
    };
    let settings = state.settings.clone();
    let reference =
        state.db.write(move |conn| crate::workflow::receive_inquiry(conn, &settings, &inquiry, year)).await?;
    if let Some(ip) = ip {
        state.limiter.record(ip, now);
    }
    if let Some(token) = token {
        state.limiter.record_token(token, now);
    }
    tracing::info!(reference = %reference, "inquiry received");
    Ok(Ok(reference))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn limiter_counts_per_ip_and_tells_when_to_retry() {
        let l = RateLimiter::new(2);
        let a: IpAddr = [10, 0, 0, 1].into();
        let b: IpAddr = [10, 0, 0, 2].into();
        let t0 = Instant::now();
        assert!(l.check(a, t0).is_ok());
        l.record(a, t0);
        l.record(a, t0);
        let retry = l.check(a, t0 + Duration::from_secs(600)).expect_err("limited");
        assert_eq!(retry, 3000);
        assert!(l.check(b, t0).is_ok());
        assert!(l.check(a, t0 + WINDOW).is_ok());
        assert!(RateLimiter::new(0).check(a, t0).is_ok());
    }
}
