//! The bridge's state on Redis, shared by every replica pointed at the same server.

use std::fmt;
use std::time::Duration;

use redis::aio::{ConnectionManager, ConnectionManagerConfig};
use redis::{AsyncCommands as _, Script};

use super::{
    Admission, AdmitTicket, Claim, ClaimToken, MAX_SENT_PER_NUMBER, Store, StoreError, StoreFuture,
    WindowLimit, decode_sent, encode_sent,
};
use crate::auth0::SentVerification;

/// A claim is stored as `c:<token>`, an outcome as `d:<value>`.
const CLAIM: &str = r"
local v = redis.call('GET', KEYS[1])
if not v then
  redis.call('SET', KEYS[1], 'c:' .. ARGV[1], 'PX', ARGV[2])
  return {'claimed'}
end
if string.sub(v, 1, 2) == 'c:' then return {'held'} end
return {'done', string.sub(v, 3)}
";

const COMPLETE: &str = r"
local v = redis.call('GET', KEYS[1])
if v and string.sub(v, 1, 2) == 'd:' then return 0 end
redis.call('SET', KEYS[1], 'd:' .. ARGV[1], 'PX', ARGV[2])
return 1
";

const RELEASE: &str = r"
if redis.call('GET', KEYS[1]) == 'c:' .. ARGV[1] then
  return redis.call('DEL', KEYS[1])
end
return 0
";

/// Adds a record to a number's sorted set (scored by its expiry), drops the expired and the
/// surplus oldest ones, and keeps the set alive as long as its newest record.
const REMEMBER: &str = r"
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', ARGV[3])
redis.call('ZADD', KEYS[1], ARGV[1], ARGV[2])
local surplus = redis.call('ZCARD', KEYS[1]) - tonumber(ARGV[4])
if surplus > 0 then redis.call('ZREMRANGEBYRANK', KEYS[1], 0, surplus - 1) end
local ttl = redis.call('PTTL', KEYS[1])
if ttl < tonumber(ARGV[5]) then redis.call('PEXPIRE', KEYS[1], ARGV[5]) end
return 1
";

/// Checks every window (KEYS[i], with ARGV[2i] its max and ARGV[2i+1] its length in ms) on
/// Redis's own clock, so that replicas agree on time; counts one event (member ARGV[1]:i)
/// against each only when all have room. Returns {0, 0}, or {i, ms until a slot frees}.
const ADMIT: &str = r"
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
for i, key in ipairs(KEYS) do
  local max = tonumber(ARGV[2 * i])
  local window = tonumber(ARGV[2 * i + 1])
  redis.call('ZREMRANGEBYSCORE', key, '-inf', now - window)
  local count = redis.call('ZCARD', key)
  if count >= max then
    -- A slot frees when the event `max` places from the newest leaves the window.
    local freeing = redis.call('ZRANGE', key, count - max, count - max, 'WITHSCORES')
    return {i, tonumber(freeing[2]) + window - now}
  end
end
for i, key in ipairs(KEYS) do
  local window = tonumber(ARGV[2 * i + 1])
  redis.call('ZADD', key, now, ARGV[1] .. ':' .. i)
  redis.call('PEXPIRE', key, window)
end
return {0, 0}
";

/// [`CLAIM`] and, when the claim is won, [`ADMIT`] on windows KEYS[2..] (window `i` is
/// KEYS[i + 1], its max ARGV[2i + 2] and length ARGV[2i + 3]; members ARGV[3]:i), in one round
/// trip. A refused admission sets no claim. Returns {'held'}, {'done', value}, {'claimed'},
/// or {'refused', i, ms until a slot frees}.
const CLAIM_ADMIT: &str = r"
local v = redis.call('GET', KEYS[1])
if v then
  if string.sub(v, 1, 2) == 'c:' then return {'held'} end
  return {'done', string.sub(v, 3)}
end
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
for k = 2, #KEYS do
  local max = tonumber(ARGV[2 * k])
  local window = tonumber(ARGV[2 * k + 1])
  redis.call('ZREMRANGEBYSCORE', KEYS[k], '-inf', now - window)
  local count = redis.call('ZCARD', KEYS[k])
  if count >= max then
    local freeing = redis.call('ZRANGE', KEYS[k], count - max, count - max, 'WITHSCORES')
    return {'refused', tostring(k - 1), tostring(tonumber(freeing[2]) + window - now)}
  end
end
for k = 2, #KEYS do
  redis.call('ZADD', KEYS[k], now, ARGV[3] .. ':' .. (k - 1))
  redis.call('PEXPIRE', KEYS[k], ARGV[2 * k + 1])
end
redis.call('SET', KEYS[1], 'c:' .. ARGV[1], 'PX', ARGV[2])
return {'claimed'}
";

/// [`CLAIM`] on KEYS[1], then, when it is won, the records of KEYS[2] that expire after
/// ARGV[3] (now, in ms). Returns {'held'}, {'done', value}, or {'claimed', record…}.
const CLAIM_RECALL: &str = r"
local v = redis.call('GET', KEYS[1])
if v then
  if string.sub(v, 1, 2) == 'c:' then return {'held'} end
  return {'done', string.sub(v, 3)}
end
redis.call('SET', KEYS[1], 'c:' .. ARGV[1], 'PX', ARGV[2])
local out = redis.call('ZRANGEBYSCORE', KEYS[2], ARGV[3], '+inf')
table.insert(out, 1, 'claimed')
return out
";

/// [`REMEMBER`] on KEYS[2] (ARGV[3..7] as its ARGV[1..5]), then [`COMPLETE`] on KEYS[1]
/// (ARGV[1..2]), in one round trip.
const COMPLETE_REMEMBER: &str = r"
redis.call('ZREMRANGEBYSCORE', KEYS[2], '-inf', ARGV[5])
redis.call('ZADD', KEYS[2], ARGV[3], ARGV[4])
local surplus = redis.call('ZCARD', KEYS[2]) - tonumber(ARGV[6])
if surplus > 0 then redis.call('ZREMRANGEBYRANK', KEYS[2], 0, surplus - 1) end
local ttl = redis.call('PTTL', KEYS[2])
if ttl < tonumber(ARGV[7]) then redis.call('PEXPIRE', KEYS[2], ARGV[7]) end
local v = redis.call('GET', KEYS[1])
if v and string.sub(v, 1, 2) == 'd:' then return 0 end
redis.call('SET', KEYS[1], 'd:' .. ARGV[1], 'PX', ARGV[2])
return 1
";

/// The bridge's state on a Redis server: replicas that share one behave as one bridge.
///
/// Every key lives under `twilio-verify:bridge:{namespace}:` (the bridge uses its Verify
/// Service SID) and has a TTL. Rate-limit windows run on Redis's clock. The connection is made lazily and remade after a failure, so
/// the bridge starts while Redis is down and recovers by itself when it comes back; meanwhile
/// every call fails fast with a [`StoreError`].
///
/// ```no_run
/// # async fn run() -> Result<(), Box<dyn std::error::Error>> {
/// use twilio_verify::bridge::{Bridge, BridgeConfig, RedisStore};
///
/// let config = BridgeConfig::from_env()?;
/// let store = RedisStore::open("redis://127.0.0.1:6379/", config.service.as_str())?;
/// let bridge = Bridge::new(twilio_verify::Client::from_env()?, config).with_store(store);
/// # Ok(()) }
/// ```
#[derive(Clone)]
pub struct RedisStore {
    connection: ConnectionManager,
    prefix: String,
    scripts: std::sync::Arc<Scripts>,
}

struct Scripts {
    claim: Script,
    complete: Script,
    release: Script,
    remember: Script,
    admit: Script,
    claim_admit: Script,
    complete_remember: Script,
    claim_recall: Script,
}

impl fmt::Debug for RedisStore {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // The URL can hold a password: never shown.
        f.debug_struct("RedisStore")
            .field("prefix", &self.prefix)
            .finish_non_exhaustive()
    }
}

/// A Redis error as a [`StoreError`], without the server's address or credentials.
fn store_error(e: &redis::RedisError) -> StoreError {
    let what = if e.is_timeout() {
        "Redis did not answer in time"
    } else if e.is_connection_refusal() || e.is_connection_dropped() || e.is_io_error() {
        "Redis is unreachable"
    } else {
        "Redis refused a command"
    };
    StoreError::new(format!("{what} ({:?})", e.kind()))
}

impl RedisStore {
    /// A store on the Redis server at `url` (`redis://[:password@]host:port/db`), with keys
    /// under `namespace`. Nothing is connected yet: the first call connects, with a 2 s
    /// connection timeout and a 2 s answer timeout.
    ///
    /// # Errors
    ///
    /// [`StoreError`] when `url` is not a Redis URL.
    pub fn open(url: &str, namespace: &str) -> Result<Self, StoreError> {
        let client = redis::Client::open(url)
            .map_err(|_| StoreError::new("the Redis URL could not be read"))?;
        let config = ConnectionManagerConfig::new()
            .set_connection_timeout(Some(Duration::from_secs(2)))
            .set_response_timeout(Some(Duration::from_secs(2)))
            .set_number_of_retries(2)
            .set_max_delay(Duration::from_millis(500));
        let connection = client
            .get_connection_manager_lazy(config)
            .map_err(|e| store_error(&e))?;
        Ok(Self {
            connection,
            prefix: format!("twilio-verify:bridge:{namespace}:"),
            scripts: std::sync::Arc::new(Scripts {
                claim: Script::new(CLAIM),
                complete: Script::new(COMPLETE),
                release: Script::new(RELEASE),
                remember: Script::new(REMEMBER),
                admit: Script::new(ADMIT),
                claim_admit: Script::new(CLAIM_ADMIT),
                complete_remember: Script::new(COMPLETE_REMEMBER),
                claim_recall: Script::new(CLAIM_RECALL),
            }),
        })
    }

    fn key(&self, kind: &str, key: &str) -> String {
        format!("{}{kind}:{key}", self.prefix)
    }
}

fn millis(d: Duration) -> u64 {
    u64::try_from(d.as_millis()).unwrap_or(u64::MAX).max(1)
}

fn now_millis() -> i64 {
    crate::timestamp::Timestamp::now().unix_millis()
}

impl Store for RedisStore {
    fn claim<'a>(&'a self, key: &'a str, ttl: Duration) -> StoreFuture<'a, Claim> {
        Box::pin(async move {
            let token = ClaimToken::new();
            let mut c = self.connection.clone();
            let answer: Vec<String> = self
                .scripts
                .claim
                .key(self.key("k", key))
                .arg(token.as_str())
                .arg(millis(ttl))
                .invoke_async(&mut c)
                .await
                .map_err(|e| store_error(&e))?;
            match answer.first().map(String::as_str) {
                Some("claimed") => Ok(Claim::Claimed(token)),
                Some("held") => Ok(Claim::Held),
                Some("done") => Ok(Claim::Done(answer.get(1).cloned().unwrap_or_default())),
                _ => Err(StoreError::new("unexpected answer to a claim")),
            }
        })
    }

    fn complete<'a>(
        &'a self,
        key: &'a str,
        _token: &'a ClaimToken,
        value: &'a str,
        keep: Duration,
    ) -> StoreFuture<'a, ()> {
        Box::pin(async move {
            let mut c = self.connection.clone();
            let _: i64 = self
                .scripts
                .complete
                .key(self.key("k", key))
                .arg(value)
                .arg(millis(keep))
                .invoke_async(&mut c)
                .await
                .map_err(|e| store_error(&e))?;
            Ok(())
        })
    }

    fn release<'a>(&'a self, key: &'a str, token: &'a ClaimToken) -> StoreFuture<'a, ()> {
        Box::pin(async move {
            let mut c = self.connection.clone();
            let _: i64 = self
                .scripts
                .release
                .key(self.key("k", key))
                .arg(token.as_str())
                .invoke_async(&mut c)
                .await
                .map_err(|e| store_error(&e))?;
            Ok(())
        })
    }

    fn remember<'a>(
        &'a self,
        number: &'a str,
        sent: &'a SentVerification,
        keep: Duration,
    ) -> StoreFuture<'a, ()> {
        Box::pin(async move {
            let mut c = self.connection.clone();
            let now = now_millis();
            let keep_ms = millis(keep);
            let expires = now.saturating_add(i64::try_from(keep_ms).unwrap_or(i64::MAX));
            let _: i64 = self
                .scripts
                .remember
                .key(self.key("n", number))
                .arg(expires)
                .arg(encode_sent(sent))
                .arg(now)
                .arg(MAX_SENT_PER_NUMBER)
                .arg(keep_ms)
                .invoke_async(&mut c)
                .await
                .map_err(|e| store_error(&e))?;
            Ok(())
        })
    }

    fn recall<'a>(&'a self, number: &'a str) -> StoreFuture<'a, Vec<SentVerification>> {
        Box::pin(async move {
            let mut c = self.connection.clone();
            let members: Vec<String> = c
                .zrangebyscore(self.key("n", number), now_millis(), "+inf")
                .await
                .map_err(|e| store_error(&e))?;
            let mut sent: Vec<_> = members.iter().filter_map(|m| decode_sent(m)).collect();
            sent.sort_by_key(|s| s.created);
            Ok(sent)
        })
    }

    fn admit<'a>(&'a self, limits: &'a [WindowLimit<'a>]) -> StoreFuture<'a, Admission> {
        Box::pin(async move {
            let ticket = ClaimToken::new().as_str().to_owned();
            if limits.is_empty() {
                return Ok(Admission::Admitted(AdmitTicket::new(ticket)));
            }
            let mut c = self.connection.clone();
            let mut call = self.scripts.admit.prepare_invoke();
            call.arg(&ticket);
            for l in limits {
                call.key(self.key("w", l.key))
                    .arg(l.max)
                    .arg(millis(l.window));
            }
            let answer: (i64, i64) = call
                .invoke_async(&mut c)
                .await
                .map_err(|e| store_error(&e))?;
            Ok(match answer {
                (0, _) => Admission::Admitted(AdmitTicket::new(ticket)),
                (i, ms) => Admission::Refused {
                    limit: usize::try_from(i - 1).unwrap_or(0),
                    retry_after: Duration::from_millis(u64::try_from(ms.max(1)).unwrap_or(1)),
                },
            })
        })
    }

    fn refund<'a>(
        &'a self,
        limits: &'a [WindowLimit<'a>],
        ticket: &'a AdmitTicket,
    ) -> StoreFuture<'a, ()> {
        Box::pin(async move {
            let mut c = self.connection.clone();
            let mut pipe = redis::pipe();
            pipe.atomic();
            for (i, l) in limits.iter().enumerate() {
                // Members are `ticket:i`, with `i` counted from 1 as in the script.
                pipe.cmd("ZREM")
                    .arg(self.key("w", l.key))
                    .arg(format!("{}:{}", ticket.as_str(), i + 1))
                    .ignore();
            }
            let _: () = pipe
                .query_async(&mut c)
                .await
                .map_err(|e| store_error(&e))?;
            Ok(())
        })
    }

    fn claim_admit<'a>(
        &'a self,
        key: &'a str,
        ttl: Duration,
        limits: &'a [WindowLimit<'a>],
    ) -> StoreFuture<'a, (Claim, Option<Admission>)> {
        Box::pin(async move {
            let token = ClaimToken::new();
            let ticket = ClaimToken::new().as_str().to_owned();
            let mut c = self.connection.clone();
            let mut call = self.scripts.claim_admit.prepare_invoke();
            call.key(self.key("k", key))
                .arg(token.as_str())
                .arg(millis(ttl))
                .arg(&ticket);
            for l in limits {
                call.key(self.key("w", l.key))
                    .arg(l.max)
                    .arg(millis(l.window));
            }
            let answer: Vec<String> = call
                .invoke_async(&mut c)
                .await
                .map_err(|e| store_error(&e))?;
            let admitted = || {
                (!limits.is_empty()).then(|| Admission::Admitted(AdmitTicket::new(ticket.clone())))
            };
            match answer.first().map(String::as_str) {
                Some("claimed") => Ok((Claim::Claimed(token), admitted())),
                Some("held") => Ok((Claim::Held, None)),
                Some("done") => Ok((
                    Claim::Done(answer.get(1).cloned().unwrap_or_default()),
                    None,
                )),
                Some("refused") => {
                    let number = |i: usize| answer.get(i).and_then(|v| v.parse::<u64>().ok());
                    let refused = Admission::Refused {
                        limit: number(1)
                            .and_then(|i| usize::try_from(i).ok())
                            .unwrap_or(1)
                            .saturating_sub(1),
                        retry_after: Duration::from_millis(number(2).unwrap_or(1).max(1)),
                    };
                    Ok((Claim::Claimed(token), Some(refused)))
                }
                _ => Err(StoreError::new("unexpected answer to a claim")),
            }
        })
    }

    fn claim_recall<'a>(
        &'a self,
        key: &'a str,
        ttl: Duration,
        number: &'a str,
    ) -> StoreFuture<'a, (Claim, Vec<SentVerification>)> {
        Box::pin(async move {
            let token = ClaimToken::new();
            let mut c = self.connection.clone();
            let answer: Vec<String> = self
                .scripts
                .claim_recall
                .key(self.key("k", key))
                .key(self.key("n", number))
                .arg(token.as_str())
                .arg(millis(ttl))
                .arg(now_millis())
                .invoke_async(&mut c)
                .await
                .map_err(|e| store_error(&e))?;
            match answer.first().map(String::as_str) {
                Some("claimed") => {
                    let mut sent: Vec<_> =
                        answer[1..].iter().filter_map(|m| decode_sent(m)).collect();
                    sent.sort_by_key(|s| s.created);
                    Ok((Claim::Claimed(token), sent))
                }
                Some("held") => Ok((Claim::Held, Vec::new())),
                Some("done") => Ok((
                    Claim::Done(answer.get(1).cloned().unwrap_or_default()),
                    Vec::new(),
                )),
                _ => Err(StoreError::new("unexpected answer to a claim")),
            }
        })
    }

    fn complete_remember<'a>(
        &'a self,
        key: &'a str,
        _token: &'a ClaimToken,
        value: &'a str,
        keep: Duration,
        number: &'a str,
        sent: &'a SentVerification,
        sent_keep: Duration,
    ) -> StoreFuture<'a, ()> {
        Box::pin(async move {
            let mut c = self.connection.clone();
            let now = now_millis();
            let sent_ms = millis(sent_keep);
            let expires = now.saturating_add(i64::try_from(sent_ms).unwrap_or(i64::MAX));
            let _: i64 = self
                .scripts
                .complete_remember
                .key(self.key("k", key))
                .key(self.key("n", number))
                .arg(value)
                .arg(millis(keep))
                .arg(expires)
                .arg(encode_sent(sent))
                .arg(now)
                .arg(MAX_SENT_PER_NUMBER)
                .arg(sent_ms)
                .invoke_async(&mut c)
                .await
                .map_err(|e| store_error(&e))?;
            Ok(())
        })
    }

    fn ping(&self) -> StoreFuture<'_, ()> {
        Box::pin(async move {
            let mut c = self.connection.clone();
            let _: String = redis::cmd("PING")
                .query_async(&mut c)
                .await
                .map_err(|e| store_error(&e))?;
            Ok(())
        })
    }
}
