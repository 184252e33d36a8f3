//! [`MemoryStore`]: the bridge's state in one process, bounded.

use std::collections::{HashMap, VecDeque};
use std::fmt;
use std::sync::{Mutex, PoisonError};
use std::time::{Duration, Instant};

use super::{
    Admission, AdmitTicket, Claim, ClaimToken, MAX_SENT_PER_NUMBER, Store, StoreFuture, WindowLimit,
};
use crate::auth0::SentVerification;

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

/// The outcomes of digest keys done with a short shared value, in the order they were done:
/// what a busy bridge remembers most (every settled log id). An id costs a 20-byte index entry
/// and a 24-byte ring entry (about 60 bytes with the tables' spare room), where a general map
/// entry plus a place in an eviction queue cost about 155.
struct DoneTable {
    /// Digest → the sequence number of its entry in `ring`.
    index: HashMap<[u8; 16], u32>,
    ring: VecDeque<Done>,
    /// The sequence number of `ring[0]` (wrapping).
    head: u32,
    capacity: usize,
}

/// One entry of a [`DoneTable`].
struct Done {
    key: [u8; 16],
    /// Whole seconds from the store's start, rounded up: kept at most a second longer.
    expires: u32,
    /// Which of [`Memory::values`].
    value: u16,
}

impl DoneTable {
    /// A table that holds `capacity` entries (up to a million) without growing: its memory is
    /// taken once, at the start (about 60 bytes an entry of capacity, the ring's half touched
    /// only as it fills), so that a bridge's memory stays flat however many records pass.
    fn new(capacity: usize) -> Self {
        let capacity = capacity.max(1);
        let reserve = capacity.min(1 << 20);
        Self {
            index: HashMap::with_capacity(reserve),
            ring: VecDeque::with_capacity(reserve),
            head: 0,
            capacity,
        }
    }

    fn get(&self, key: &[u8; 16], now: u32) -> Option<u16> {
        let seq = *self.index.get(key)?;
        let entry = self.ring.get(seq.wrapping_sub(self.head) as usize)?;
        (entry.key == *key && entry.expires > now).then_some(entry.value)
    }

    /// Adds `key`, which must not be in the table, then drops the expired and the surplus
    /// oldest entries.
    fn insert(&mut self, key: [u8; 16], value: u16, expires: u32, now: u32) {
        let seq = self.head.wrapping_add(self.ring.len() as u32);
        self.ring.push_back(Done {
            key,
            expires,
            value,
        });
        self.index.insert(key, seq);
        while let Some(front) = self.ring.front() {
            if front.expires > now && self.ring.len() <= self.capacity {
                break;
            }
            if self.index.get(&front.key) == Some(&self.head) {
                self.index.remove(&front.key);
            }
            self.ring.pop_front();
            self.head = self.head.wrapping_add(1);
        }
    }

    fn len(&self) -> usize {
        self.index.len()
    }
}

enum Slot {
    Claimed(String),
    /// Shared with every other key done with the same short value (`approved_by_phone`…).
    Done(std::sync::Arc<str>),
}

struct Memory {
    /// When the store was made: [`DoneTable`] times count from here.
    start: Instant,
    keys: Bounded<Slot>,
    /// The done outcomes of digest keys with a shared short value, kept compactly.
    done: DoneTable,
    sent: Bounded<Vec<(SentVerification, Instant)>>,
    /// The events counted under each rate-limit key (time, ticket), oldest first.
    windows: Bounded<VecDeque<(Instant, u64)>>,
    /// The last ticket handed out.
    tickets: u64,
    /// The short done values seen so far, shared rather than copied into every key.
    values: Vec<std::sync::Arc<str>>,
}

impl Memory {
    /// Whole seconds from the store's start to `at`: rounded up for an expiry, down for now,
    /// so that a done outcome is never forgotten early (at most a second late).
    fn seconds(&self, at: Instant, up: bool) -> u32 {
        let d = at.saturating_duration_since(self.start);
        let whole = d.as_secs() + u64::from(up && d.subsec_nanos() > 0);
        u32::try_from(whole).unwrap_or(u32::MAX)
    }

    /// The index of `value` among the shared short values, adding it if there is room.
    fn value_index(&mut self, value: &str) -> Option<u16> {
        if let Some(i) = self.values.iter().position(|v| **v == *value) {
            return u16::try_from(i).ok();
        }
        if value.len() <= 32 && self.values.len() < 32 {
            self.values.push(value.into());
            return u16::try_from(self.values.len() - 1).ok();
        }
        None
    }

    /// The done value of `key`, from whichever table holds it.
    fn done_value(&self, key: &str, now: Instant) -> Option<String> {
        if let Key::Digest(d) = Key::of(key)
            && let Some(i) = self.done.get(&d, self.seconds(now, false))
        {
            return self.values.get(usize::from(i)).map(|v| v.to_string());
        }
        match self.keys.get(key, now) {
            Some(Slot::Done(v)) => Some(v.to_string()),
            _ => None,
        }
    }

    /// `value` as a done value: the shared copy of a short one already seen.
    fn done(&mut self, value: &str) -> Slot {
        match self.value_index(value) {
            Some(i) => Slot::Done(self.values[usize::from(i)].clone()),
            None => Slot::Done(value.into()),
        }
    }
}

/// The state of one bridge process, in memory: the default. Bounded: past `capacity` of each
/// kind (claims, settled outcomes, numbers, rate-limit counters), the oldest are forgotten
/// first. Settled outcomes of keyed-hash keys sit in a table reserved for `capacity` at start.
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
    /// A store that remembers at most `capacity` of each kind of entry.
    pub fn new(capacity: usize) -> Self {
        Self {
            state: Mutex::new(Memory {
                start: Instant::now(),
                keys: Bounded::new(capacity),
                done: DoneTable::new(capacity),
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
        self.with(|m, _| m.keys.entries.len() + m.done.len())
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
        ready(self.with(|m, now| {
            if let Some(v) = m.done_value(key, now) {
                return Claim::Done(v);
            }
            if let Some(Slot::Claimed(_)) = m.keys.get(key, now) {
                return Claim::Held;
            }
            let token = ClaimToken::new();
            m.keys
                .set(key, Slot::Claimed(token.0.clone()), now + ttl, now);
            Claim::Claimed(token)
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
            if m.done_value(key, now).is_some() {
                return;
            }
            if let Key::Digest(d) = Key::of(key)
                && let Some(i) = m.value_index(value)
            {
                m.keys.remove(key);
                let (expires, at) = (m.seconds(now + keep, true), m.seconds(now, false));
                m.done.insert(d, i, expires, at);
                return;
            }
            let done = m.done(value);
            m.keys.set(key, done, now + keep, now);
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
    use super::super::{decode_sent, encode_sent};
    use super::*;
    use crate::auth0::Purpose;
    use crate::timestamp::Timestamp;

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

    /// A key as the bridge makes them: 32 lower-case hex digits.
    fn digest(n: u32) -> String {
        format!("{n:032x}")
    }

    #[test]
    fn digest_keys_done_with_a_short_value_are_kept_compactly_and_bounded() {
        let s = MemoryStore::new(100);
        let ttl = Duration::from_secs(30);
        for n in 0..250 {
            let Claim::Claimed(t) = block(s.claim(&digest(n), ttl)) else {
                panic!("free key {n}")
            };
            block(s.complete(&digest(n), &t, "approved_by_sid", ttl));
            assert_eq!(
                block(s.claim(&digest(n), ttl)),
                Claim::Done("approved_by_sid".into())
            );
        }
        assert_eq!(s.len(), 100, "the capacity holds, the claims are gone");
        // The oldest went first; the newest 100 are still done.
        assert!(matches!(
            block(s.claim(&digest(149), ttl)),
            Claim::Claimed(_)
        ));
        for n in 150..250 {
            assert_eq!(
                block(s.claim(&digest(n), ttl)),
                Claim::Done("approved_by_sid".into())
            );
        }
        // A done key keeps its first value.
        block(s.complete(&digest(200), &ClaimToken::new(), "other", ttl));
        assert_eq!(
            block(s.claim(&digest(200), ttl)),
            Claim::Done("approved_by_sid".into())
        );
    }

    #[test]
    fn a_compact_done_outcome_expires_no_earlier_than_asked() {
        let s = MemoryStore::new(10);
        let Claim::Claimed(t) = block(s.claim(&digest(1), Duration::from_secs(5))) else {
            panic!("free")
        };
        block(s.complete(&digest(1), &t, "ok", Duration::from_millis(300)));
        std::thread::sleep(Duration::from_millis(200));
        assert_eq!(
            block(s.claim(&digest(1), Duration::from_secs(5))),
            Claim::Done("ok".into())
        );
        // Rounded up to the second, and never more than a second late.
        std::thread::sleep(Duration::from_millis(1900));
        assert!(matches!(
            block(s.claim(&digest(1), Duration::from_secs(5))),
            Claim::Claimed(_)
        ));
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
