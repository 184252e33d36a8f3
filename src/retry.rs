//! When a request may be sent again, and how long to wait first.

use std::hash::{BuildHasher, Hasher};
use std::time::Duration;

/// Which failures are retried, how often, and with what pauses.
///
/// Only what Twilio provably did not process is retried:
///
/// - HTTP 429 with code 20429 (or no code): Twilio documents these as not processed. A
///   `Retry-After` is honoured when it is no longer than [`max_delay`](Self::max_delay);
///   a longer one ends the retries and surfaces the error.
/// - A connection that could not be made: nothing was sent.
/// - For GET and DELETE only (idempotent): 502, 503, 504 and timeouts.
///
/// Never retried: any POST once its bytes may have reached Twilio (a timeout, a reset or a
/// 5xx on a POST could mean a code went out), and the Verify business limits 60202, 60203 and
/// 60212, which another attempt cannot fix and which may count against the user.
///
/// Pauses grow exponentially from [`base_delay`](Self::base_delay) with full jitter (a
/// random pause between zero and the exponential value), capped at `max_delay`.
///
/// **Default: 3 attempts in all, 100 ms base, 2 s cap.** Every case retried is one where
/// Twilio provably did nothing, so retrying cannot text a user twice; it rides out the brief
/// account concurrency limit (20429) and a dropped connection, which are the common transient
/// failures, while keeping the worst added latency to a few seconds on a login path.
///
/// ```
/// use std::time::Duration;
/// use twilio_verify::RetryPolicy;
///
/// let patient = RetryPolicy::new(5).base_delay(Duration::from_millis(250)).max_delay(Duration::from_secs(5));
/// let off = RetryPolicy::never();
/// assert_eq!(off.max_attempts(), 1);
/// # let _ = patient;
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RetryPolicy {
    max_attempts: u32,
    base_delay: Duration,
    max_delay: Duration,
}

impl Default for RetryPolicy {
    fn default() -> Self {
        Self {
            max_attempts: 3,
            base_delay: Duration::from_millis(100),
            max_delay: Duration::from_secs(2),
        }
    }
}

impl RetryPolicy {
    /// At most `max_attempts` attempts in all (the first included; 0 counts as 1), with the
    /// default delays.
    pub fn new(max_attempts: u32) -> Self {
        Self {
            max_attempts: max_attempts.max(1),
            ..Self::default()
        }
    }

    /// No retries: every request is sent once.
    pub fn never() -> Self {
        Self::new(1)
    }

    /// Sets the first pause (before jitter).
    #[must_use]
    pub fn base_delay(mut self, delay: Duration) -> Self {
        self.base_delay = delay;
        self
    }

    /// Sets the longest pause, and the longest `Retry-After` that is waited for.
    #[must_use]
    pub fn max_delay(mut self, delay: Duration) -> Self {
        self.max_delay = delay;
        self
    }

    /// Attempts in all, the first included.
    pub fn max_attempts(&self) -> u32 {
        self.max_attempts
    }

    /// The pause before attempt `attempt + 1` (so `attempt` is the one that failed, from 1):
    /// `Retry-After` when given and not over the cap, else a random pause between zero and
    /// `min(max_delay, base_delay * 2^(attempt - 1))`. `None` when no retry should follow.
    pub(crate) fn pause(&self, attempt: u32, retry_after: Option<Duration>) -> Option<Duration> {
        if attempt >= self.max_attempts {
            return None;
        }
        if let Some(wait) = retry_after {
            return (wait <= self.max_delay).then_some(wait);
        }
        let exp = self.base_delay.saturating_mul(
            1u32.checked_shl(attempt.saturating_sub(1))
                .unwrap_or(u32::MAX),
        );
        let ceiling = exp.min(self.max_delay);
        let nanos = u64::try_from(ceiling.as_nanos()).unwrap_or(u64::MAX);
        Some(Duration::from_nanos(if nanos == 0 {
            0
        } else {
            random() % (nanos + 1)
        }))
    }
}

/// A random number from the standard library's randomly keyed hasher (no extra dependency;
/// jitter needs no cryptographic quality).
fn random() -> u64 {
    let mut h = std::collections::hash_map::RandomState::new().build_hasher();
    h.write_u64(
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.subsec_nanos().into()),
    );
    h.finish()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pauses_are_jittered_capped_and_bounded_by_attempts() {
        let p = RetryPolicy::new(4)
            .base_delay(Duration::from_millis(100))
            .max_delay(Duration::from_millis(300));
        for _ in 0..200 {
            assert!(p.pause(1, None).expect("retry") <= Duration::from_millis(100));
            assert!(p.pause(2, None).expect("retry") <= Duration::from_millis(200));
            assert!(p.pause(3, None).expect("retry") <= Duration::from_millis(300));
        }
        assert_eq!(p.pause(4, None), None, "four attempts in all");
        let distinct: std::collections::HashSet<_> =
            (0..50).filter_map(|_| p.pause(3, None)).collect();
        assert!(distinct.len() > 10, "full jitter spreads the pauses");
    }

    #[test]
    fn retry_after_is_honoured_up_to_the_cap() {
        let p = RetryPolicy::default();
        assert_eq!(
            p.pause(1, Some(Duration::from_secs(1))),
            Some(Duration::from_secs(1))
        );
        assert_eq!(p.pause(1, Some(Duration::from_secs(60))), None);
        assert_eq!(RetryPolicy::never().pause(1, None), None);
        assert_eq!(RetryPolicy::new(0).max_attempts(), 1);
    }
}
