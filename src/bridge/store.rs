//! The bridge's state, behind one small interface: claims on keys (log ids being approved,
//! sends being delivered), their outcomes, and the verifications the send half started.
//!
//! Two implementations: [`MemoryStore`] (the default: one process, bounded) and, with the
//! `redis` feature, [`RedisStore`](super::RedisStore), which replicas share. Keys are opaque to
//! the store: the bridge hands it keyed hashes, never a phone number or a log id.
//!
//! Every entry expires: a claim after its TTL (its holder may have died), an outcome after the
//! time it must be remembered, a number's verifications after they can no longer be approved.

use std::collections::{HashMap, VecDeque};
use std::fmt;
use std::future::Future;
use std::hash::{BuildHasher as _, RandomState};
use std::pin::Pin;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Mutex, PoisonError};
use std::time::{Duration, Instant};

use crate::auth0::SentVerification;
#[cfg(any(feature = "redis", test))]
use crate::{auth0::Purpose, timestamp::Timestamp};

/// The future a [`Store`] method returns.
pub type StoreFuture<'a, T> = Pin<Box<dyn Future<Output = Result<T, StoreError>> + Send + 'a>>;

/// The most verifications remembered per number; older ones are dropped first.
pub const MAX_SENT_PER_NUMBER: usize = 16;

/// The store could not be reached or answered something unreadable. The bridge answers 503 and
/// never 2xx while this lasts.
#[derive(Debug, Clone)]
pub struct StoreError(String);

impl StoreError {
    /// An error with a message (which must not hold personal data).
    pub fn new(message: impl Into<String>) -> Self {
        Self(message.into())
    }
}

impl fmt::Display for StoreError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "state store: {}", self.0)
    }
}

impl std::error::Error for StoreError {}

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

    /// Checks that the store answers.
    fn ping(&self) -> StoreFuture<'_, ()>;
}

impl<S: Store + ?Sized> Store for std::sync::Arc<S> {
    fn claim<'a>(&'a self, key: &'a str, ttl: Duration) -> StoreFuture<'a, Claim> {
        (**self).claim(key, ttl)
    }

    fn complete<'a>(
        &'a self,
        key: &'a str,
        token: &'a ClaimToken,
        value: &'a str,
        keep: Duration,
    ) -> StoreFuture<'a, ()> {
        (**self).complete(key, token, value, keep)
    }

    fn release<'a>(&'a self, key: &'a str, token: &'a ClaimToken) -> StoreFuture<'a, ()> {
        (**self).release(key, token)
    }

    fn remember<'a>(
        &'a self,
        number: &'a str,
        sent: &'a SentVerification,
        keep: Duration,
    ) -> StoreFuture<'a, ()> {
        (**self).remember(number, sent, keep)
    }

    fn recall<'a>(&'a self, number: &'a str) -> StoreFuture<'a, Vec<SentVerification>> {
        (**self).recall(number)
    }

    fn ping(&self) -> StoreFuture<'_, ()> {
        (**self).ping()
    }
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

/// A map whose entries expire, bounded in size: past `capacity` the oldest entries go first.
struct Bounded<V> {
    entries: HashMap<String, (V, Instant, u64)>,
    /// Keys in insertion order, with the generation they were inserted at; an entry whose
    /// generation no longer matches was removed or replaced and is skipped.
    order: VecDeque<(String, u64)>,
    generation: u64,
    capacity: usize,
}

impl<V> Bounded<V> {
    fn new(capacity: usize) -> Self {
        Self {
            entries: HashMap::new(),
            order: VecDeque::new(),
            generation: 0,
            capacity: capacity.max(1),
        }
    }

    fn get(&self, key: &str, now: Instant) -> Option<&V> {
        self.entries
            .get(key)
            .filter(|(_, expires, _)| *expires > now)
            .map(|(v, _, _)| v)
    }

    fn get_mut(&mut self, key: &str, now: Instant) -> Option<&mut (V, Instant, u64)> {
        self.entries.get_mut(key).filter(|(_, e, _)| *e > now)
    }

    /// Sets `key`, keeping its place in the eviction order if it is already there.
    fn set(&mut self, key: &str, value: V, expires: Instant, now: Instant) {
        if let Some(slot) = self.entries.get_mut(key) {
            slot.0 = value;
            slot.1 = expires;
            return;
        }
        self.generation += 1;
        self.entries
            .insert(key.to_owned(), (value, expires, self.generation));
        self.order.push_back((key.to_owned(), self.generation));
        self.evict(now);
    }

    fn remove(&mut self, key: &str) {
        self.entries.remove(key);
    }

    fn evict(&mut self, now: Instant) {
        if self.order.len() > 2 * self.capacity {
            // Mostly stale places (removed or replaced entries): drop those, keep every live one.
            let entries = &self.entries;
            self.order
                .retain(|(k, g)| entries.get(k).is_some_and(|(_, _, live)| live == g));
        }
        while let Some((key, generation)) = self.order.front() {
            let live = match self.entries.get(key) {
                Some((_, expires, g)) if g == generation => Some(*expires > now),
                _ => None,
            };
            let over = self.entries.len() > self.capacity;
            match live {
                // A removed or replaced entry: its place in the queue is stale.
                None => {}
                Some(false) => {
                    self.entries.remove(key);
                }
                Some(true) if over => {
                    self.entries.remove(key);
                }
                Some(true) => break,
            }
            self.order.pop_front();
        }
    }
}

enum Slot {
    Claimed(String),
    Done(String),
}

struct Memory {
    keys: Bounded<Slot>,
    sent: Bounded<Vec<(SentVerification, Instant)>>,
}

/// The state of one bridge process, in memory: the default. Bounded: past `capacity` keys (and
/// as many numbers), the oldest are forgotten first.
///
/// It is lost on restart and not shared: two processes each keep their own. Run replicas on
/// [`RedisStore`](super::RedisStore) instead.
pub struct MemoryStore {
    state: Mutex<Memory>,
    capacity: usize,
}

impl fmt::Debug for MemoryStore {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("MemoryStore")
            .field("capacity", &self.capacity)
            .finish_non_exhaustive()
    }
}

impl MemoryStore {
    /// A store that remembers at most `capacity` keys and `capacity` numbers.
    pub fn new(capacity: usize) -> Self {
        Self {
            state: Mutex::new(Memory {
                keys: Bounded::new(capacity),
                sent: Bounded::new(capacity),
            }),
            capacity,
        }
    }

    fn with<T>(&self, f: impl FnOnce(&mut Memory, Instant) -> T) -> T {
        let mut state = self.state.lock().unwrap_or_else(PoisonError::into_inner);
        f(&mut state, Instant::now())
    }

    /// How many keys (claims and outcomes) are held now, expired ones included until evicted.
    pub fn len(&self) -> usize {
        self.with(|m, _| m.keys.entries.len())
    }

    /// Whether no key is held.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

fn ready<T: Send + 'static>(value: T) -> StoreFuture<'static, T> {
    Box::pin(std::future::ready(Ok(value)))
}

impl Store for MemoryStore {
    fn claim<'a>(&'a self, key: &'a str, ttl: Duration) -> StoreFuture<'a, Claim> {
        ready(self.with(|m, now| match m.keys.get(key, now) {
            Some(Slot::Claimed(_)) => Claim::Held,
            Some(Slot::Done(v)) => Claim::Done(v.clone()),
            None => {
                let token = ClaimToken::new();
                m.keys
                    .set(key, Slot::Claimed(token.0.clone()), now + ttl, now);
                Claim::Claimed(token)
            }
        }))
    }

    fn complete<'a>(
        &'a self,
        key: &'a str,
        _token: &'a ClaimToken,
        value: &'a str,
        keep: Duration,
    ) -> StoreFuture<'a, ()> {
        self.with(|m, now| {
            if !matches!(m.keys.get(key, now), Some(Slot::Done(_))) {
                m.keys
                    .set(key, Slot::Done(value.to_owned()), now + keep, now);
            }
        });
        ready(())
    }

    fn release<'a>(&'a self, key: &'a str, token: &'a ClaimToken) -> StoreFuture<'a, ()> {
        self.with(|m, now| {
            if matches!(m.keys.get(key, now), Some(Slot::Claimed(t)) if *t == token.0) {
                m.keys.remove(key);
            }
        });
        ready(())
    }

    fn remember<'a>(
        &'a self,
        number: &'a str,
        sent: &'a SentVerification,
        keep: Duration,
    ) -> StoreFuture<'a, ()> {
        self.with(|m, now| {
            let expires = now + keep;
            if let Some((list, until, _)) = m.sent.get_mut(number, now) {
                list.retain(|(_, e)| *e > now);
                list.push((sent.clone(), expires));
                if list.len() > MAX_SENT_PER_NUMBER {
                    list.remove(0);
                }
                *until = (*until).max(expires);
            } else {
                m.sent
                    .set(number, vec![(sent.clone(), expires)], expires, now);
            }
        });
        ready(())
    }

    fn recall<'a>(&'a self, number: &'a str) -> StoreFuture<'a, Vec<SentVerification>> {
        ready(self.with(|m, now| {
            m.sent.get(number, now).map_or_else(Vec::new, |list| {
                list.iter()
                    .filter(|(_, e)| *e > now)
                    .map(|(s, _)| s.clone())
                    .collect()
            })
        }))
    }

    fn ping(&self) -> StoreFuture<'_, ()> {
        ready(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn block<T>(f: StoreFuture<'_, T>) -> T {
        tokio::runtime::Builder::new_current_thread()
            .build()
            .expect("runtime")
            .block_on(f)
            .expect("memory store")
    }

    #[test]
    fn a_claim_is_held_then_done_or_released() {
        let s = MemoryStore::new(10);
        let ttl = Duration::from_secs(30);
        let Claim::Claimed(t) = block(s.claim("k", ttl)) else {
            panic!("free key")
        };
        assert_eq!(block(s.claim("k", ttl)), Claim::Held);
        block(s.release("k", &ClaimToken::new()));
        assert_eq!(
            block(s.claim("k", ttl)),
            Claim::Held,
            "only the holder releases"
        );
        block(s.release("k", &t));
        let Claim::Claimed(t) = block(s.claim("k", ttl)) else {
            panic!("released")
        };
        block(s.complete("k", &t, "approved", ttl));
        assert_eq!(block(s.claim("k", ttl)), Claim::Done("approved".into()));
        block(s.complete("k", &t, "other", ttl));
        assert_eq!(block(s.claim("k", ttl)), Claim::Done("approved".into()));
    }

    #[test]
    fn claims_expire_and_capacity_is_bounded() {
        let s = MemoryStore::new(3);
        assert!(matches!(
            block(s.claim("gone", Duration::from_millis(1))),
            Claim::Claimed(_)
        ));
        std::thread::sleep(Duration::from_millis(5));
        assert!(
            matches!(
                block(s.claim("gone", Duration::from_secs(9))),
                Claim::Claimed(_)
            ),
            "an expired claim is free again"
        );
        for k in ["a", "b", "c", "d", "e"] {
            let Claim::Claimed(t) = block(s.claim(k, Duration::from_secs(9))) else {
                panic!("{k}")
            };
            block(s.complete(k, &t, "", Duration::from_secs(60)));
        }
        assert!(s.len() <= 3, "{}", s.len());
        assert!(matches!(
            block(s.claim("a", Duration::from_secs(9))),
            Claim::Claimed(_)
        ));
    }

    #[test]
    fn claims_released_over_and_over_never_push_out_a_live_entry() {
        let s = MemoryStore::new(4);
        let ttl = Duration::from_secs(60);
        let Claim::Claimed(t) = block(s.claim("kept", ttl)) else {
            panic!("free")
        };
        block(s.complete("kept", &t, "approved", ttl));
        // A long outage: the same ids claimed and released again and again.
        for round in 0..50 {
            for k in ["x", "y"] {
                let Claim::Claimed(t) = block(s.claim(k, ttl)) else {
                    panic!("{k} in round {round}")
                };
                block(s.release(k, &t));
            }
        }
        assert_eq!(block(s.claim("kept", ttl)), Claim::Done("approved".into()));
    }

    #[test]
    fn records_round_trip_and_are_kept_per_number() {
        let created = Timestamp::parse("2024-01-15T10:29:58.250Z").expect("time");
        let sent = SentVerification::new(
            "VEaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa".parse().expect("sid"),
            created,
            Purpose::Other("step\tup".into()),
        )
        .with_user("9f86d081");
        assert_eq!(decode_sent(&encode_sent(&sent)), Some(sent.clone()));
        assert_eq!(decode_sent("nonsense"), None);

        let s = MemoryStore::new(10);
        for _ in 0..(MAX_SENT_PER_NUMBER + 4) {
            block(s.remember("n1", &sent, Duration::from_secs(60)));
        }
        assert_eq!(block(s.recall("n1")).len(), MAX_SENT_PER_NUMBER);
        assert!(block(s.recall("n2")).is_empty());
    }
}
