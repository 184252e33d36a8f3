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

use std::collections::{HashMap, VecDeque};
use std::fmt;
use std::future::Future;
use std::hash::{BuildHasher as _, RandomState};
use std::pin::Pin;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Mutex, PoisonError};
use std::time::{Duration, Instant};

use hmac::{Hmac, KeyInit, Mac};
use sha2::Sha256;

use crate::auth0::SentVerification;
use crate::secret::Secret;
#[cfg(any(feature = "redis", test))]
use crate::{auth0::Purpose, timestamp::Timestamp};

#[cfg(feature = "redis")]
mod redis;
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

    fn admit<'a>(&'a self, limits: &'a [WindowLimit<'a>]) -> StoreFuture<'a, Admission> {
        (**self).admit(limits)
    }

    fn refund<'a>(
        &'a self,
        limits: &'a [WindowLimit<'a>],
        ticket: &'a AdmitTicket,
    ) -> StoreFuture<'a, ()> {
        (**self).refund(limits, ticket)
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

/// A key as the memory store keeps it: the 128 bits of a keyed hash (what the bridge's keys
/// are: 32 hexadecimal digits) in 16 bytes, or any other text as it is.
#[derive(Clone, PartialEq, Eq, Hash)]
enum Key {
    Digest([u8; 16]),
    Text(Box<str>),
}

impl Key {
    fn of(key: &str) -> Self {
        let bytes = key.as_bytes();
        let nibble = |c: u8| (c as char).to_digit(16).map(|d| d as u8);
        if bytes.len() == 32 {
            let mut out = [0u8; 16];
            let digest = bytes.chunks(2).zip(out.iter_mut()).all(|(pair, o)| {
                match (nibble(pair[0]), nibble(pair[1])) {
                    // Lower case only, so that the text form maps back one to one.
                    (Some(h), Some(l)) if !pair.iter().any(u8::is_ascii_uppercase) => {
                        *o = (h << 4) | l;
                        true
                    }
                    _ => false,
                }
            });
            if digest {
                return Self::Digest(out);
            }
        }
        Self::Text(key.into())
    }
}

/// A map whose entries expire, bounded in size: past `capacity` the oldest entries go first.
struct Bounded<V> {
    entries: HashMap<Key, (V, Instant, u64)>,
    /// Keys in insertion order, with the generation they were inserted at; an entry whose
    /// generation no longer matches was removed or replaced and is skipped.
    order: VecDeque<(Key, u64)>,
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
            .get(&Key::of(key))
            .filter(|(_, expires, _)| *expires > now)
            .map(|(v, _, _)| v)
    }

    fn get_mut(&mut self, key: &str, now: Instant) -> Option<&mut (V, Instant, u64)> {
        self.entries
            .get_mut(&Key::of(key))
            .filter(|(_, e, _)| *e > now)
    }

    /// Sets `key`, keeping its place in the eviction order if it is already there.
    fn set(&mut self, key: &str, value: V, expires: Instant, now: Instant) {
        let key = Key::of(key);
        if let Some(slot) = self.entries.get_mut(&key) {
            slot.0 = value;
            slot.1 = expires;
            return;
        }
        self.generation += 1;
        self.order.push_back((key.clone(), self.generation));
        self.entries.insert(key, (value, expires, self.generation));
        self.evict(now);
    }

    fn remove(&mut self, key: &str) {
        self.entries.remove(&Key::of(key));
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
    /// Shared with every other key done with the same short value (`approved_by_phone`…).
    Done(std::sync::Arc<str>),
}

struct Memory {
    keys: Bounded<Slot>,
    sent: Bounded<Vec<(SentVerification, Instant)>>,
    /// The events counted under each rate-limit key (time, ticket), oldest first.
    windows: Bounded<VecDeque<(Instant, u64)>>,
    /// The last ticket handed out.
    tickets: u64,
    /// The short done values seen so far, shared rather than copied into every key.
    values: Vec<std::sync::Arc<str>>,
}

impl Memory {
    /// `value` as a done value: the shared copy of a short one already seen.
    fn done(&mut self, value: &str) -> Slot {
        if let Some(v) = self.values.iter().find(|v| ***v == *value) {
            return Slot::Done(v.clone());
        }
        let v: std::sync::Arc<str> = value.into();
        if value.len() <= 32 && self.values.len() < 32 {
            self.values.push(v.clone());
        }
        Slot::Done(v)
    }
}

/// The state of one bridge process, in memory: the default. Bounded: past `capacity` keys (and
/// as many numbers, and as many rate-limit counters), the oldest are forgotten first.
///
/// It is lost on restart and not shared: two processes each keep their own. Run replicas on
/// [`RedisStore`] instead.
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
                windows: Bounded::new(capacity),
                tickets: 0,
                values: Vec::new(),
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
            Some(Slot::Done(v)) => Claim::Done(v.to_string()),
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
                let done = m.done(value);
                m.keys.set(key, done, now + keep, now);
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

    fn admit<'a>(&'a self, limits: &'a [WindowLimit<'a>]) -> StoreFuture<'a, Admission> {
        ready(self.with(|m, now| {
            for (i, l) in limits.iter().enumerate() {
                let Some((events, _, _)) = m.windows.get_mut(l.key, now) else {
                    continue;
                };
                while events.front().is_some_and(|(t, _)| *t + l.window <= now) {
                    events.pop_front();
                }
                let max = l.max as usize;
                if events.len() >= max {
                    // A slot frees when the event `max` places from the newest leaves the
                    // window (the oldest, unless the limit was lowered meanwhile).
                    let freeing = events
                        .get(events.len() - max.max(1))
                        .map_or(now, |(t, _)| *t);
                    return Admission::Refused {
                        limit: i,
                        retry_after: (freeing + l.window).saturating_duration_since(now),
                    };
                }
            }
            m.tickets += 1;
            let ticket = m.tickets;
            for l in limits {
                let expires = now + l.window;
                if let Some((events, until, _)) = m.windows.get_mut(l.key, now) {
                    events.push_back((now, ticket));
                    *until = (*until).max(expires);
                } else {
                    m.windows
                        .set(l.key, VecDeque::from([(now, ticket)]), expires, now);
                }
            }
            Admission::Admitted(AdmitTicket(ticket.to_string()))
        }))
    }

    fn refund<'a>(
        &'a self,
        limits: &'a [WindowLimit<'a>],
        ticket: &'a AdmitTicket,
    ) -> StoreFuture<'a, ()> {
        self.with(|m, now| {
            let Ok(id) = ticket.0.parse::<u64>() else {
                return;
            };
            for l in limits {
                if let Some((events, _, _)) = m.windows.get_mut(l.key, now) {
                    events.retain(|(_, t)| *t != id);
                }
            }
        });
        ready(())
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
    fn a_sliding_window_admits_max_then_frees_one_slot_per_expired_event() {
        let s = MemoryStore::new(100);
        let one = [WindowLimit {
            key: "k",
            max: 3,
            window: Duration::from_secs(2),
        }];
        // One event, then two more a second later: the window is full.
        assert!(matches!(block(s.admit(&one)), Admission::Admitted(_)));
        std::thread::sleep(Duration::from_secs(1));
        for _ in 0..2 {
            assert!(matches!(block(s.admit(&one)), Admission::Admitted(_)));
        }
        let Admission::Refused { limit, retry_after } = block(s.admit(&one)) else {
            panic!("the fourth within the window")
        };
        assert_eq!(limit, 0);
        assert!(retry_after <= Duration::from_secs(1), "{retry_after:?}");
        // Once the first event has left the window (and well before the others do), exactly
        // one slot is free: no burst at the window's edge.
        std::thread::sleep(retry_after + Duration::from_millis(100));
        assert!(matches!(block(s.admit(&one)), Admission::Admitted(_)));
        assert!(matches!(block(s.admit(&one)), Admission::Refused { .. }));
    }

    #[test]
    fn a_refusal_by_one_limit_counts_against_none() {
        let s = MemoryStore::new(100);
        let window = Duration::from_secs(60);
        let tight = WindowLimit {
            key: "tight",
            max: 1,
            window,
        };
        let loose = WindowLimit {
            key: "loose",
            max: 2,
            window,
        };
        assert!(matches!(
            block(s.admit(&[loose, tight])),
            Admission::Admitted(_)
        ));
        for _ in 0..5 {
            assert!(matches!(
                block(s.admit(&[loose, tight])),
                Admission::Refused { limit: 1, .. }
            ));
        }
        // `loose` counted only the admitted event: one more fits.
        let Admission::Admitted(ticket) = block(s.admit(&[loose])) else {
            panic!("room for one")
        };
        assert!(matches!(
            block(s.admit(&[loose])),
            Admission::Refused { limit: 0, .. }
        ));
        // A refund takes exactly that event back.
        block(s.refund(&[loose], &ticket));
        assert!(matches!(block(s.admit(&[loose])), Admission::Admitted(_)));
        assert!(matches!(
            block(s.admit(&[loose])),
            Admission::Refused { .. }
        ));
    }

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
