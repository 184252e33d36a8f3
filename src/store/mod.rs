//! The state the bridge and the send guard share, behind one small interface: claims on keys
//! (log ids being approved, sends being delivered), their outcomes, the verifications the send
//! half started, and sliding-window rate-limit counters.
//!
//! Two implementations: [`MemoryStore`] (the default: one process, bounded) and, with the
//! `redis` feature, [`RedisStore`], which replicas share. Keys are opaque to the store: its
//! callers hand it keyed hashes ([`keyed_hash`]), never a phone number, a log id or a user id.
//!
//! Every entry expires: a claim after its TTL (its holder may have died), an outcome after the
//! time it must be remembered, a number's verifications after they can no longer be approved, a
//! counter after its window.

use std::fmt;
use std::future::Future;
use std::hash::{BuildHasher as _, RandomState};
use std::pin::Pin;
use std::sync::atomic::{AtomicU64, Ordering};

use std::time::Duration;

use hmac::{Hmac, KeyInit, Mac};
use sha2::Sha256;

use crate::auth0::SentVerification;
use crate::secret::Secret;
#[cfg(any(feature = "redis", test))]
use crate::{auth0::Purpose, timestamp::Timestamp};

mod memory;
#[cfg(feature = "redis")]
mod redis;

pub use memory::MemoryStore;
#[cfg(feature = "redis")]
#[cfg_attr(docsrs, doc(cfg(feature = "redis")))]
pub use redis::RedisStore;

/// A keyed hash of `value` (HMAC-SHA256 under `key`, the first 16 bytes as 32 hex digits): what
/// the store holds instead of a phone number, a log id, a user id or an IP. `kind` keeps the
/// hashes of different things apart. Everyone sharing a store must share the key.
pub fn keyed_hash(key: &Secret, kind: &str, value: &str) -> String {
    let Ok(mut mac) = <Hmac<Sha256> as KeyInit>::new_from_slice(key.expose().as_bytes()) else {
        // HMAC takes a key of any length; this branch cannot be reached.
        return String::new();
    };
    mac.update(kind.as_bytes());
    mac.update(&[0]);
    mac.update(value.as_bytes());
    let digest = mac.finalize().into_bytes();
    digest[..16]
        .iter()
        .fold(String::with_capacity(32), |mut s, b| {
            use std::fmt::Write as _;
            let _ = write!(s, "{b:02x}");
            s
        })
}

/// One sliding-window limit to check: at most `max` events within `window`, counted under `key`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct WindowLimit<'a> {
    /// The counter's key (a keyed hash or another value free of personal data).
    pub key: &'a str,
    /// The most events allowed within the window.
    pub max: u32,
    /// The window's length.
    pub window: Duration,
}

/// Names one event counted by [`Store::admit`], so that [`Store::refund`] can take it back.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AdmitTicket(String);

impl AdmitTicket {
    /// A ticket with this text (for a [`Store`] implementation).
    pub fn new(text: impl Into<String>) -> Self {
        Self(text.into())
    }

    /// The ticket's text.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// What [`Store::admit`] decided.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Admission {
    /// Every limit had room; the event is counted against each, under this ticket.
    Admitted(AdmitTicket),
    /// The limit at this index is full; nothing was counted.
    Refused {
        /// The index of the first full limit.
        limit: usize,
        /// When its oldest event leaves the window.
        retry_after: Duration,
    },
}

/// The future a [`Store`] method returns.
pub type StoreFuture<'a, T> = Pin<Box<dyn Future<Output = Result<T, StoreError>> + Send + 'a>>;

/// The most verifications remembered per number; older ones are dropped first.
pub const MAX_SENT_PER_NUMBER: usize = 16;

/// The store could not be reached or answered something unreadable. The bridge answers 503 and
/// never 2xx while this lasts.
#[derive(Debug, Clone, thiserror::Error)]
#[error("state store: {0}")]
pub struct StoreError(String);

impl StoreError {
    /// An error with a message (which must not hold personal data).
    pub fn new(message: impl Into<String>) -> Self {
        Self(message.into())
    }
}

/// Proof of holding a claim: only its holder can complete or release it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ClaimToken(String);

impl ClaimToken {
    /// A token unique to this process and call, unpredictable across replicas.
    pub fn new() -> Self {
        static COUNTER: AtomicU64 = AtomicU64::new(0);
        let n = COUNTER.fetch_add(1, Ordering::Relaxed);
        let nanos = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.as_nanos());
        let random = RandomState::new().hash_one((n, nanos, std::process::id()));
        Self(format!("{random:016x}{n:x}"))
    }

    /// The token's text.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl Default for ClaimToken {
    fn default() -> Self {
        Self::new()
    }
}

/// What a [`Store::claim`] found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Claim {
    /// The key was free and is now held by this token until it completes, is released, or
    /// its TTL runs out.
    Claimed(ClaimToken),
    /// Someone else holds the key right now.
    Held,
    /// The key is done, with the value its holder completed it with.
    Done(String),
}

/// The state the bridge keeps. Implement it to keep the state somewhere else; every method
/// must be atomic with respect to other callers, including other processes sharing the store.
///
/// A store that wraps another (to count, trace or time its calls) should forward every method,
/// `claim_admit`, `claim_recall` and `complete_remember` too: left out, they fall back to their
/// provided versions over the wrapper's own calls, and the inner store's single round trip is
/// lost.
pub trait Store: Send + Sync + fmt::Debug + 'static {
    /// Claims `key` for `ttl` if it is neither held nor done.
    fn claim<'a>(&'a self, key: &'a str, ttl: Duration) -> StoreFuture<'a, Claim>;

    /// Marks `key` done with `value`, remembered for `keep`. A key already done keeps its first
    /// value. Completing after the claim expired still marks it done.
    fn complete<'a>(
        &'a self,
        key: &'a str,
        token: &'a ClaimToken,
        value: &'a str,
        keep: Duration,
    ) -> StoreFuture<'a, ()>;

    /// Frees `key` if `token` still holds it, so that the next claim succeeds.
    fn release<'a>(&'a self, key: &'a str, token: &'a ClaimToken) -> StoreFuture<'a, ()>;

    /// Remembers a verification started for the number `number` (a keyed hash), for `keep`.
    fn remember<'a>(
        &'a self,
        number: &'a str,
        sent: &'a SentVerification,
        keep: Duration,
    ) -> StoreFuture<'a, ()>;

    /// The verifications remembered for `number`, oldest first.
    fn recall<'a>(&'a self, number: &'a str) -> StoreFuture<'a, Vec<SentVerification>>;

    /// Checks every limit, and counts one event against all of them only if each has room:
    /// at most `max` events in any `window`-long span (a sliding window, so no burst at a
    /// window's edge). Atomic: concurrent callers never overshoot a limit together.
    fn admit<'a>(&'a self, limits: &'a [WindowLimit<'a>]) -> StoreFuture<'a, Admission>;

    /// Takes back the event `ticket` counted against `limits` (the same limits it was admitted
    /// with): for a send that provably never went out.
    fn refund<'a>(
        &'a self,
        limits: &'a [WindowLimit<'a>],
        ticket: &'a AdmitTicket,
    ) -> StoreFuture<'a, ()>;

    /// Checks that the store answers.
    fn ping(&self) -> StoreFuture<'_, ()>;

    /// [`claim`](Self::claim), then, only when the claim is won and `limits` is not empty,
    /// [`admit`](Self::admit) (`None` when no admission was asked); a refused admission leaves
    /// the key free, as [`release`](Self::release) would. A store that can do both in one
    /// round trip should (the Redis store does); this provided version makes two or three.
    fn claim_admit<'a>(
        &'a self,
        key: &'a str,
        ttl: Duration,
        limits: &'a [WindowLimit<'a>],
    ) -> StoreFuture<'a, (Claim, Option<Admission>)> {
        Box::pin(async move {
            let claim = self.claim(key, ttl).await?;
            let Claim::Claimed(token) = &claim else {
                return Ok((claim, None));
            };
            if limits.is_empty() {
                return Ok((claim, None));
            }
            let admission = match self.admit(limits).await {
                Ok(a) => a,
                Err(e) => {
                    let _ = self.release(key, token).await;
                    return Err(e);
                }
            };
            if matches!(admission, Admission::Refused { .. }) {
                self.release(key, token).await?;
            }
            Ok((claim, Some(admission)))
        })
    }

    /// [`claim`](Self::claim), then, only when the claim is won, [`recall`](Self::recall)
    /// `number` (empty otherwise). One round trip on a store that can (the Redis store does);
    /// this provided version makes two.
    fn claim_recall<'a>(
        &'a self,
        key: &'a str,
        ttl: Duration,
        number: &'a str,
    ) -> StoreFuture<'a, (Claim, Vec<SentVerification>)> {
        Box::pin(async move {
            let claim = self.claim(key, ttl).await?;
            if !matches!(claim, Claim::Claimed(_)) {
                return Ok((claim, Vec::new()));
            }
            match self.recall(number).await {
                Ok(sent) => Ok((claim, sent)),
                Err(e) => {
                    if let Claim::Claimed(token) = &claim {
                        let _ = self.release(key, token).await;
                    }
                    Err(e)
                }
            }
        })
    }

    /// [`remember`](Self::remember) `sent` for `number` (kept `sent_keep`), then
    /// [`complete`](Self::complete) `key`. One round trip on a store that can (as
    /// the Redis store does); this provided version makes two.
    #[allow(clippy::too_many_arguments)]
    fn complete_remember<'a>(
        &'a self,
        key: &'a str,
        token: &'a ClaimToken,
        value: &'a str,
        keep: Duration,
        number: &'a str,
        sent: &'a SentVerification,
        sent_keep: Duration,
    ) -> StoreFuture<'a, ()> {
        Box::pin(async move {
            self.remember(number, sent, sent_keep).await?;
            self.complete(key, token, value, keep).await
        })
    }
}

/// Implements every method of [`Store`], the joined ones included, by handing the call to the
/// store `$inner(self)` and its future to `$wrap(self, "method", future)`. A wrapper that left
/// out `claim_admit`, `claim_recall` or `complete_remember` would fall back to their provided
/// versions and lose the inner store's single round trip: this writes them all.
macro_rules! forward_store {
    ($inner:path, $wrap:path) => {
        fn claim<'a>(&'a self, key: &'a str, ttl: Duration) -> StoreFuture<'a, Claim> {
            $wrap(self, "claim", $inner(self).claim(key, ttl))
        }

        fn complete<'a>(
            &'a self,
            key: &'a str,
            token: &'a ClaimToken,
            value: &'a str,
            keep: Duration,
        ) -> StoreFuture<'a, ()> {
            $wrap(
                self,
                "complete",
                $inner(self).complete(key, token, value, keep),
            )
        }

        fn release<'a>(&'a self, key: &'a str, token: &'a ClaimToken) -> StoreFuture<'a, ()> {
            $wrap(self, "release", $inner(self).release(key, token))
        }

        fn remember<'a>(
            &'a self,
            number: &'a str,
            sent: &'a SentVerification,
            keep: Duration,
        ) -> StoreFuture<'a, ()> {
            $wrap(self, "remember", $inner(self).remember(number, sent, keep))
        }

        fn recall<'a>(&'a self, number: &'a str) -> StoreFuture<'a, Vec<SentVerification>> {
            $wrap(self, "recall", $inner(self).recall(number))
        }

        fn admit<'a>(&'a self, limits: &'a [WindowLimit<'a>]) -> StoreFuture<'a, Admission> {
            $wrap(self, "admit", $inner(self).admit(limits))
        }

        fn refund<'a>(
            &'a self,
            limits: &'a [WindowLimit<'a>],
            ticket: &'a AdmitTicket,
        ) -> StoreFuture<'a, ()> {
            $wrap(self, "refund", $inner(self).refund(limits, ticket))
        }

        fn ping(&self) -> StoreFuture<'_, ()> {
            $wrap(self, "ping", $inner(self).ping())
        }

        fn claim_admit<'a>(
            &'a self,
            key: &'a str,
            ttl: Duration,
            limits: &'a [WindowLimit<'a>],
        ) -> StoreFuture<'a, (Claim, Option<Admission>)> {
            $wrap(
                self,
                "claim_admit",
                $inner(self).claim_admit(key, ttl, limits),
            )
        }

        fn claim_recall<'a>(
            &'a self,
            key: &'a str,
            ttl: Duration,
            number: &'a str,
        ) -> StoreFuture<'a, (Claim, Vec<SentVerification>)> {
            $wrap(
                self,
                "claim_recall",
                $inner(self).claim_recall(key, ttl, number),
            )
        }

        fn complete_remember<'a>(
            &'a self,
            key: &'a str,
            token: &'a ClaimToken,
            value: &'a str,
            keep: Duration,
            number: &'a str,
            sent: &'a SentVerification,
            sent_keep: Duration,
        ) -> StoreFuture<'a, ()> {
            let inner = $inner(self);
            $wrap(
                self,
                "complete_remember",
                inner.complete_remember(key, token, value, keep, number, sent, sent_keep),
            )
        }
    };
}

// The bridge's metered store uses it too.
#[cfg(feature = "axum")]
pub(crate) use forward_store;

impl<S: Store + ?Sized> Store for std::sync::Arc<S> {
    forward_store!(arc_inner, unchanged);
}

/// The store behind an `Arc`.
fn arc_inner<S: ?Sized>(store: &std::sync::Arc<S>) -> &S {
    store
}

/// A forwarded call's future, as it is.
fn unchanged<'a, W: ?Sized, T>(
    _: &W,
    _: &'static str,
    f: StoreFuture<'a, T>,
) -> StoreFuture<'a, T> {
    f
}

/// Writes a record as one line of text: `sid`, creation in Unix milliseconds, user, purpose,
/// separated by tabs (the user is a hex hash; the purpose comes last and may hold anything).
#[cfg(any(feature = "redis", test))]
pub(crate) fn encode_sent(s: &SentVerification) -> String {
    let purpose = match &s.purpose {
        Purpose::Enrollment => "enrollment",
        Purpose::Authentication => "authentication",
        Purpose::Other(o) => o.as_str(),
    };
    format!(
        "{}\t{}\t{}\t{purpose}",
        s.sid.as_str(),
        s.created.unix_millis(),
        s.user.as_deref().unwrap_or("")
    )
}

/// Reads a record written by [`encode_sent`]; `None` for anything else.
#[cfg(any(feature = "redis", test))]
pub(crate) fn decode_sent(text: &str) -> Option<SentVerification> {
    let mut parts = text.splitn(4, '\t');
    let sid = parts.next()?.parse().ok()?;
    let created = Timestamp::from_unix_millis(parts.next()?.parse().ok()?)?;
    let user = parts.next()?;
    let purpose = match parts.next()? {
        "enrollment" => Purpose::Enrollment,
        "authentication" => Purpose::Authentication,
        other => Purpose::Other(other.to_owned()),
    };
    let mut s = SentVerification::new(sid, created, purpose);
    if !user.is_empty() {
        s = s.with_user(user);
    }
    Some(s)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keyed_hashes_are_stable_and_apart_by_kind_and_key() {
        let k1 = Secret::from("one".to_owned());
        let k2 = Secret::from("two".to_owned());
        let h = keyed_hash(&k1, "number", "+14155550134");
        assert_eq!(h.len(), 32);
        assert!(h.bytes().all(|c| c.is_ascii_hexdigit()));
        assert_eq!(h, keyed_hash(&k1, "number", "+14155550134"));
        assert_ne!(h, keyed_hash(&k1, "user", "+14155550134"));
        assert_ne!(h, keyed_hash(&k2, "number", "+14155550134"));
    }
}
