//! When to try a failed email again: exponential backoff with jitter, so a
//! mail server coming back is not hit by every queued email at once.

use chrono::Duration;

/// The wait before attempt `attempts + 1`: base × 2^(attempts−1), at most
/// six hours, times a jitter factor in 0.5..1.5 (`jitter` is 0.0..1.0).
pub fn backoff(attempts: i32, base_seconds: u64, jitter: f64) -> Duration {
    let exp = attempts.clamp(1, 20) - 1;
    let raw = (base_seconds as f64) * 2f64.powi(exp);
    let capped = raw.min(6.0 * 3600.0);
    let factor = 0.5 + jitter.clamp(0.0, 1.0);
    Duration::milliseconds((capped * factor * 1000.0) as i64)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn grows_exponentially_and_caps_at_six_hours() {
        assert_eq!(backoff(1, 60, 0.5), Duration::seconds(60));
        assert_eq!(backoff(2, 60, 0.5), Duration::seconds(120));
        assert_eq!(backoff(4, 60, 0.5), Duration::seconds(480));
        assert_eq!(backoff(30, 60, 0.5), Duration::hours(6));
        assert_eq!(backoff(1, 60, 0.0), Duration::seconds(30));
        assert_eq!(backoff(1, 60, 1.0), Duration::seconds(90));
        assert_eq!(backoff(3, 0, 0.7), Duration::zero());
    }
}
