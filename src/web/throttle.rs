//! Login throttling: growing delays per account and per client address,
//! never a hard lockout. The first few failures cost nothing; after that
//! each further attempt must wait a delay that doubles with every failure
//! (up to a cap), and an attempt inside the delay is answered 429 with
//! Retry-After without checking the password. A success clears the
//! account's count. Counts are kept in memory and forgotten after an hour
//! of quiet; with several instances each keeps its own.

use std::collections::HashMap;
use std::hash::Hash;
use std::net::IpAddr;
use std::sync::Mutex;
use std::time::{Duration, Instant};

/// After this long without a failure, a key's count is forgotten.
const FORGET_AFTER: Duration = Duration::from_secs(3600);

#[derive(Debug, Clone, Copy)]
pub struct Policy {
    /// Failures allowed before any delay.
    pub free: u32,
    /// The first delay; each further failure doubles it.
    pub base: Duration,
    /// The longest delay.
    pub cap: Duration,
}

impl Policy {
    /// The wait after `failures` failures.
    pub fn delay(&self, failures: u32) -> Duration {
        if failures < self.free {
            return Duration::ZERO;
        }
        let doublings = (failures - self.free).min(20);
        self.base.saturating_mul(1u32 << doublings).min(self.cap)
    }
}

#[derive(Debug, Clone, Copy)]
struct Entry {
    failures: u32,
    last: Instant,
}

/// Failure counts under one kind of key.
struct Counts<K> {
    policy: Policy,
    map: Mutex<HashMap<K, Entry>>,
}

impl<K: Eq + Hash + Clone> Counts<K> {
    fn new(policy: Policy) -> Self {
        Self { policy, map: Mutex::new(HashMap::new()) }
    }

    fn wait(&self, key: &K, now: Instant) -> Option<Duration> {
        let map = self.map.lock().unwrap_or_else(|p| p.into_inner());
        let e = map.get(key)?;
        let until = e.last + self.policy.delay(e.failures);
        (until > now).then(|| until - now)
    }

    fn fail(&self, key: K, now: Instant) -> u32 {
        let mut map = self.map.lock().unwrap_or_else(|p| p.into_inner());
        if map.len() > 100_000 {
            map.retain(|_, e| now.duration_since(e.last) < FORGET_AFTER);
        }
        let e = map.entry(key).or_insert(Entry { failures: 0, last: now });
        if now.duration_since(e.last) >= FORGET_AFTER {
            e.failures = 0;
        }
        e.failures = e.failures.saturating_add(1);
        e.last = now;
        e.failures
    }

    fn clear(&self, key: &K) {
        self.map.lock().unwrap_or_else(|p| p.into_inner()).remove(key);
    }
}

/// Why an attempt must wait.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Limited {
    Account,
    Client,
}

pub struct LoginThrottle {
    enabled: bool,
    accounts: Counts<String>,
    clients: Counts<IpAddr>,
}

impl LoginThrottle {
    pub fn new(enabled: bool, account: Policy, client: Policy) -> Self {
        Self { enabled, accounts: Counts::new(account), clients: Counts::new(client) }
    }

    /// `Err((which, seconds))` while the account or the client must wait.
    pub fn check(&self, account: &str, client: Option<IpAddr>, now: Instant) -> Result<(), (Limited, u64)> {
        if !self.enabled {
            return Ok(());
        }
        let secs = |d: Duration| d.as_secs() + u64::from(d.subsec_nanos() > 0);
        if let Some(d) = self.accounts.wait(&account.to_string(), now) {
            return Err((Limited::Account, secs(d).max(1)));
        }
        if let Some(d) = client.and_then(|c| self.clients.wait(&c, now)) {
            return Err((Limited::Client, secs(d).max(1)));
        }
        Ok(())
    }

    /// Counts a failure; returns the account's count.
    pub fn fail(&self, account: &str, client: Option<IpAddr>, now: Instant) -> u32 {
        if !self.enabled {
            return 0;
        }
        if let Some(c) = client {
            self.clients.fail(c, now);
        }
        self.accounts.fail(account.to_string(), now)
    }

    pub fn succeed(&self, account: &str) {
        self.accounts.clear(&account.to_string());
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn throttle() -> LoginThrottle {
        let s = Duration::from_secs;
        LoginThrottle::new(true, Policy { free: 3, base: s(2), cap: s(60) }, Policy { free: 5, base: s(1), cap: s(60) })
    }

    #[test]
    fn delays_grow_and_never_lock_out() {
        let t = throttle();
        let ip: IpAddr = [192, 0, 2, 1].into();
        let t0 = Instant::now();
        for _ in 0..3 {
            assert!(t.check("kim", Some(ip), t0).is_ok());
            t.fail("kim", Some(ip), t0);
        }
        // Three failures: the fourth attempt waits 2 s.
        assert_eq!(t.check("kim", Some(ip), t0), Err((Limited::Account, 2)));
        let t1 = t0 + Duration::from_secs(2);
        assert!(t.check("kim", Some(ip), t1).is_ok(), "after the delay an attempt is allowed");
        t.fail("kim", Some(ip), t1);
        assert_eq!(t.check("kim", Some(ip), t1), Err((Limited::Account, 4)), "the delay doubles");
        // The cap holds however many failures.
        let mut now = t1;
        for _ in 0..30 {
            now += Duration::from_secs(61);
            t.fail("kim", None, now);
        }
        assert_eq!(t.check("kim", None, now), Err((Limited::Account, 60)));
        assert!(t.check("kim", None, now + Duration::from_secs(60)).is_ok());
        // Another account from another address is untouched.
        assert!(t.check("ane", Some([192, 0, 2, 2].into()), now).is_ok());
        // A success clears the account.
        t.succeed("kim");
        assert!(t.check("kim", None, now).is_ok());
    }

    #[test]
    fn one_client_trying_many_accounts_is_slowed() {
        let t = throttle();
        let ip: IpAddr = [198, 51, 100, 7].into();
        let t0 = Instant::now();
        for i in 0..5 {
            t.fail(&format!("user{i}"), Some(ip), t0);
        }
        assert_eq!(t.check("user9", Some(ip), t0), Err((Limited::Client, 1)));
        assert!(t.check("user9", Some([198, 51, 100, 8].into()), t0).is_ok());
    }

    #[test]
    fn quiet_accounts_are_forgotten() {
        let t = throttle();
        let t0 = Instant::now();
        for _ in 0..10 {
            t.fail("kim", None, t0);
        }
        let later = t0 + FORGET_AFTER;
        t.fail("kim", None, later);
        assert!(t.check("kim", None, later).is_ok(), "one failure after an hour of quiet is free again");
    }
}
