//! The Auth0 bridge: axum handlers for both Auth0 halves, ready to mount in your own app.
//!
//! - `POST /auth0/send-phone-message`: an Action (either phone trigger) forwards its `event`;
//!   the bridge starts the verification with Auth0's code as `CustomCode`, once: a repeat of
//!   the same event (same number, code and channel, within the code lifetime) is answered with
//!   the first verification and sends nothing. It remembers each verification it starts.
//! - `POST /auth0/log-stream`: a Custom Webhook log stream posts tenant logs; the bridge
//!   approves, by SID, the verification behind every MFA success (`gd_auth_succeed`) and
//!   every phone enrollment (`gd_enrollment_complete`). It answers 503 (so that Auth0 delivers
//!   the batch again) while any approval may pass later, and 2xx once each is settled or was
//!   refused in a way no retry can change (counted as a permanent failure, never as approved).
//! - `GET /healthz`.
//!
//! The state behind both (claims, outcomes, the verifications started) lives in a [`Store`]:
//! [`MemoryStore`] for one instance, or `RedisStore` (feature `redis`) for replicas that
//! share one Redis and behave as one bridge.
//!
//! ```no_run
//! # async fn run() -> Result<(), Box<dyn std::error::Error>> {
//! use twilio_verify::Client;
//! use twilio_verify::bridge::{Bridge, BridgeConfig};
//!
//! let client = Client::from_env()?;
//! let config = BridgeConfig::from_env()?;
//! // Redis when BRIDGE_REDIS_URL is set (feature `redis`), memory otherwise.
//! let app = Bridge::from_config(client, config)?.router();
//! let listener = tokio::net::TcpListener::bind("127.0.0.1:8080").await?;
//! axum::serve(listener, app).await?;
//! # Ok(()) }
//! ```
//!
//! Every request logs one line (method, path, status, counts, time) through the bridge's
//! logger, stderr by default. No phone number, code or token appears in it.

use std::fmt;
use std::sync::Arc;
use std::time::{Duration, Instant};

use axum::Router;
use axum::body::Bytes;
use axum::extract::State;
use axum::extract::rejection::BytesRejection;
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use serde_json::json;

use crate::auth0::{DEFAULT_CODE_TTL, LogStreamToken};
use crate::error::Error;
use crate::secret::Secret;
use crate::sid::{MessagingServiceSid, ServiceSid};
use crate::{Client, Result};

mod feedback;
mod health;
mod metrics;
mod send;

use crate::guard::{GuardConfig, SendGuard};
#[cfg(feature = "redis")]
#[cfg_attr(docsrs, doc(cfg(feature = "redis")))]
pub use crate::store::RedisStore;
pub use crate::store::{Claim, ClaimToken, MemoryStore, Store, StoreError, StoreFuture};

/// The default cap on a request body: 5 MiB.
pub const DEFAULT_MAX_BODY_BYTES: usize = 5 * 1024 * 1024;
/// The default number of keys (and of numbers) the memory store remembers.
pub const DEFAULT_DEDUPE_CAPACITY: usize = 100_000;
/// How long an approved log id (and a started verification) is remembered by default: 7 days,
/// the time Auth0 keeps redelivering a failing stream before it pauses it.
pub const DEFAULT_DONE_TTL: Duration = Duration::from_secs(7 * 24 * 3600);
/// How long a claim lives by default when its holder dies: 30 s.
pub const DEFAULT_CLAIM_TTL: Duration = Duration::from_secs(30);
/// How long a delivery waits by default for another one holding the same claim: 5 s.
pub const DEFAULT_CLAIM_WAIT: Duration = Duration::from_secs(5);
/// How many approvals of one batch run at once by default.
pub const DEFAULT_APPROVAL_CONCURRENCY: usize = 8;
/// How long a request may take by default before it is answered 503: 30 s.
pub const DEFAULT_REQUEST_TIMEOUT: Duration = Duration::from_secs(30);
/// How many requests are served at once by default; more wait for a slot.
pub const DEFAULT_MAX_CONCURRENCY: usize = 256;

/// Every variable the bridge and its server read (`BridgeConfig::from_lookup`, and the
/// `auth0_bridge` example's address, TLS, log format and shutdown settings), to report those
/// that are set but unknown (a typo that would silently keep a default).
pub const KNOWN_VARIABLES: [&str; 39] = join(OWN_VARIABLES, crate::guard::GUARD_VARIABLES);

/// The variables of [`KNOWN_VARIABLES`] that are not the send guard's.
const OWN_VARIABLES: [&str; 28] = [
    "TWILIO_VERIFY_SERVICE_SID",
    "AUTH0_LOG_STREAM_TOKEN",
    "AUTH0_LOG_STREAM_TOKEN_NEXT",
    "BRIDGE_ACTION_SECRET",
    "BRIDGE_ACTION_SECRET_NEXT",
    "BRIDGE_METRICS_TOKEN",
    "BRIDGE_MAX_BODY_BYTES",
    "BRIDGE_CODE_TTL_SECS",
    "BRIDGE_DONE_TTL_SECS",
    "BRIDGE_CLAIM_TTL_SECS",
    "BRIDGE_CLAIM_WAIT_MS",
    "BRIDGE_DEDUPE_CAPACITY",
    "BRIDGE_APPROVAL_CONCURRENCY",
    "BRIDGE_HASH_KEY",
    "BRIDGE_REDIS_URL",
    "BRIDGE_REQUEST_TIMEOUT_SECS",
    "BRIDGE_MAX_CONCURRENCY",
    "BRIDGE_ADDR",
    "BRIDGE_TLS_CERT",
    "BRIDGE_TLS_KEY",
    "BRIDGE_LOG_FORMAT",
    "BRIDGE_SHUTDOWN_GRACE_SECS",
    "BRIDGE_TWILIO_TIMEOUT_SECS",
    "BRIDGE_READY_CACHE_SECS",
    "BRIDGE_MESSAGING_SERVICE_SID",
    "BRIDGE_FROM_NUMBER",
    "BRIDGE_VOICE_FROM_NUMBER",
    "BRIDGE_OTP_DELIVERY",
];

/// `a` followed by `b`, in a constant.
const fn join<const A: usize, const B: usize, const N: usize>(
    a: [&'static str; A],
    b: [&'static str; B],
) -> [&'static str; N] {
    assert!(A + B == N, "the joined length must be the sum of both");
    let mut out = [""; N];
    let mut i = 0;
    while i < N {
        out[i] = if i < A { a[i] } else { b[i - A] };
        i += 1;
    }
    out
}

/// How the bridge delivers one-time codes (`BRIDGE_OTP_DELIVERY`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
#[non_exhaustive]
pub enum OtpDelivery {
    /// As Verify verifications with `CustomCode` (the default): Fraud Guard, and the feedback
    /// loop that approves each code Auth0 accepted.
    #[default]
    Verify,
    /// As plain text messages (or calls) with Auth0's rendered text, through Programmable
    /// Messaging, as Auth0's own Twilio provider does: for a Verify Service without custom codes
    /// yet. No Verify Fraud Guard, and no feedback loop.
    Messaging,
}

impl OtpDelivery {
    /// The setting's value: `verify` or `messaging`.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Verify => "verify",
            Self::Messaging => "messaging",
        }
    }
}

/// The `BRIDGE_*` and `AUTH0_*` names among `names` that the bridge does not read.
pub fn unknown_variables<'a>(names: impl IntoIterator<Item = &'a str>) -> Vec<String> {
    names
        .into_iter()
        .filter(|n| {
            (n.starts_with("BRIDGE_") || n.starts_with("AUTH0_")) && !KNOWN_VARIABLES.contains(n)
        })
        .map(str::to_owned)
        .collect()
}

/// A secret read from the environment, without the trailing newline a file or a secret
/// manager often leaves.
fn trimmed(value: String) -> String {
    value.trim_end_matches(['\r', '\n']).to_owned()
}

/// What the bridge needs besides a [`Client`].
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct BridgeConfig {
    /// The Verify Service the verifications run under (it needs custom codes enabled).
    pub service: ServiceSid,
    /// The exact `Authorization` value the log stream sends.
    pub log_stream_token: LogStreamToken,
    /// The bearer token the Action forwarder sends (`Authorization: Bearer …`).
    pub action_secret: Secret,
    /// A second stream token accepted at the same time, for rotating it without downtime
    /// (`AUTH0_LOG_STREAM_TOKEN_NEXT`).
    pub log_stream_token_next: Option<LogStreamToken>,
    /// A second action secret accepted at the same time (`BRIDGE_ACTION_SECRET_NEXT`).
    pub action_secret_next: Option<Secret>,
    /// The bearer token `GET /metrics` requires (`BRIDGE_METRICS_TOKEN`); open when `None`.
    pub metrics_token: Option<Secret>,
    /// How long a request may take before it is answered 503 (`BRIDGE_REQUEST_TIMEOUT_SECS`).
    pub request_timeout: Duration,
    /// How many requests are served at once; more wait for a slot (`BRIDGE_MAX_CONCURRENCY`).
    pub max_concurrency: usize,
    /// How long `/readyz` reuses its last answer (`BRIDGE_READY_CACHE_SECS`, default 10).
    pub ready_cache: Duration,
    /// The largest request body accepted; larger ones get 413.
    pub max_body_bytes: usize,
    /// How many keys and numbers the memory store remembers.
    pub dedupe_capacity: usize,
    /// The code lifetime: a repeat of a send within it is answered without a second
    /// verification, and an event approves only a verification created less than this before it.
    pub code_ttl: Duration,
    /// How long an approved log id, and a verification the send half started, are remembered.
    pub done_ttl: Duration,
    /// How long a claim outlives a holder that died.
    pub claim_ttl: Duration,
    /// How long a delivery waits for another delivery holding the same claim before it
    /// answers 503.
    pub claim_wait: Duration,
    /// How many approvals of one batch run at once.
    pub approval_concurrency: usize,
    /// The key of the hashes that stand for phone numbers, log ids and user ids in the store.
    /// Replicas must share it.
    pub hash_key: Secret,
    /// The Redis server replicas share (`BRIDGE_REDIS_URL`); `None` keeps state in memory.
    pub redis_url: Option<Secret>,
    /// The send guard's rules (every `BRIDGE_*` variable of [`GuardConfig::from_lookup`]); all
    /// off by default.
    pub guard: GuardConfig,
    /// The Messaging Service that sends text notices (`BRIDGE_MESSAGING_SERVICE_SID`); it wins
    /// over every From number.
    pub messaging_service: Option<MessagingServiceSid>,
    /// The From number of text notices when no Messaging Service is set, and of calls when no
    /// voice number is (`BRIDGE_FROM_NUMBER`). Without it, the From number Auth0's phone
    /// provider sends with each event is used.
    pub from_number: Option<String>,
    /// The From number of calls (`BRIDGE_VOICE_FROM_NUMBER`).
    pub voice_from_number: Option<String>,
    /// How one-time codes are delivered (`BRIDGE_OTP_DELIVERY`): Verify unless set to
    /// `messaging`.
    pub otp_delivery: OtpDelivery,
}

impl BridgeConfig {
    /// A configuration with the default limits, state in memory, and the hash key derived
    /// from the action secret.
    pub fn new(
        service: ServiceSid,
        log_stream_token: LogStreamToken,
        action_secret: impl Into<Secret>,
    ) -> Self {
        let action_secret = action_secret.into();
        Self {
            service,
            log_stream_token,
            hash_key: action_secret.clone(),
            action_secret,
            log_stream_token_next: None,
            action_secret_next: None,
            metrics_token: None,
            request_timeout: DEFAULT_REQUEST_TIMEOUT,
            max_concurrency: DEFAULT_MAX_CONCURRENCY,
            ready_cache: Duration::from_secs(10),
            max_body_bytes: DEFAULT_MAX_BODY_BYTES,
            dedupe_capacity: DEFAULT_DEDUPE_CAPACITY,
            code_ttl: DEFAULT_CODE_TTL,
            done_ttl: DEFAULT_DONE_TTL,
            claim_ttl: DEFAULT_CLAIM_TTL,
            claim_wait: DEFAULT_CLAIM_WAIT,
            approval_concurrency: DEFAULT_APPROVAL_CONCURRENCY,
            redis_url: None,
            guard: GuardConfig::default(),
            messaging_service: None,
            from_number: None,
            voice_from_number: None,
            otp_delivery: OtpDelivery::Verify,
        }
    }

    /// Reads `TWILIO_VERIFY_SERVICE_SID`, `AUTH0_LOG_STREAM_TOKEN`, `BRIDGE_ACTION_SECRET`, and
    /// the optional `AUTH0_LOG_STREAM_TOKEN_NEXT`, `BRIDGE_ACTION_SECRET_NEXT`,
    /// `BRIDGE_METRICS_TOKEN`, `BRIDGE_REQUEST_TIMEOUT_SECS`, `BRIDGE_MAX_CONCURRENCY`,
    /// `BRIDGE_READY_CACHE_SECS`, `BRIDGE_MAX_BODY_BYTES`, `BRIDGE_CODE_TTL_SECS`, `BRIDGE_DONE_TTL_SECS`,
    /// `BRIDGE_CLAIM_TTL_SECS`, `BRIDGE_CLAIM_WAIT_MS`, `BRIDGE_DEDUPE_CAPACITY`,
    /// `BRIDGE_APPROVAL_CONCURRENCY`, `BRIDGE_HASH_KEY`, `BRIDGE_REDIS_URL`, the senders of
    /// notices (`BRIDGE_MESSAGING_SERVICE_SID`, `BRIDGE_FROM_NUMBER`,
    /// `BRIDGE_VOICE_FROM_NUMBER`), `BRIDGE_OTP_DELIVERY`, and the send guard's variables (see
    /// [`GuardConfig::from_lookup`]).
    ///
    /// # Errors
    ///
    /// [`Error::Config`] naming every variable that is missing or malformed.
    pub fn from_env() -> Result<Self> {
        Self::from_lookup(|k| std::env::var(k).ok())
    }

    /// Like [`from_env`](Self::from_env), reading variables through `lookup`.
    ///
    /// # Errors
    ///
    /// [`Error::Config`] naming every variable that is missing or malformed.
    pub fn from_lookup(lookup: impl Fn(&str) -> Option<String>) -> Result<Self> {
        let get = |k: &str| lookup(k).filter(|v| !v.trim().is_empty());
        let mut missing = Vec::new();
        let service = get("TWILIO_VERIFY_SERVICE_SID");
        let token = get("AUTH0_LOG_STREAM_TOKEN");
        let secret = get("BRIDGE_ACTION_SECRET");
        for (name, v) in [
            ("TWILIO_VERIFY_SERVICE_SID", &service),
            ("AUTH0_LOG_STREAM_TOKEN", &token),
            ("BRIDGE_ACTION_SECRET", &secret),
        ] {
            if v.is_none() {
                missing.push(name);
            }
        }
        if !missing.is_empty() {
            return Err(Error::Config(format!("not set: {}", missing.join(", "))));
        }
        let (Some(service), Some(token), Some(secret)) = (service, token, secret) else {
            return Err(Error::Config("not set".into()));
        };
        let service = ServiceSid::parse(service.trim())
            .map_err(|e| Error::Config(format!("TWILIO_VERIFY_SERVICE_SID: {e}")))?;
        let mut config = Self::new(
            service,
            LogStreamToken::new(trimmed(token)),
            trimmed(secret),
        );
        config.log_stream_token_next =
            get("AUTH0_LOG_STREAM_TOKEN_NEXT").map(|t| LogStreamToken::new(trimmed(t)));
        config.action_secret_next =
            get("BRIDGE_ACTION_SECRET_NEXT").map(|s| Secret::from(trimmed(s)));
        config.metrics_token = get("BRIDGE_METRICS_TOKEN").map(|s| Secret::from(trimmed(s)));
        let number = |name: &str| -> Result<Option<u64>> {
            get(name)
                .map(|v| {
                    v.trim()
                        .parse::<u64>()
                        .ok()
                        .filter(|n| *n > 0)
                        .ok_or_else(|| Error::Config(format!("{name}: not a positive number")))
                })
                .transpose()
        };
        let usize_of = |n: u64| usize::try_from(n).unwrap_or(usize::MAX);
        if let Some(n) = number("BRIDGE_MAX_BODY_BYTES")? {
            config.max_body_bytes = usize_of(n);
        }
        if let Some(n) = number("BRIDGE_CODE_TTL_SECS")? {
            config.code_ttl = Duration::from_secs(n);
        }
        if let Some(n) = number("BRIDGE_DONE_TTL_SECS")? {
            config.done_ttl = Duration::from_secs(n);
        }
        if let Some(n) = number("BRIDGE_CLAIM_TTL_SECS")? {
            config.claim_ttl = Duration::from_secs(n);
        }
        if let Some(n) = number("BRIDGE_CLAIM_WAIT_MS")? {
            config.claim_wait = Duration::from_millis(n);
        }
        if let Some(n) = number("BRIDGE_DEDUPE_CAPACITY")? {
            config.dedupe_capacity = usize_of(n);
        }
        if let Some(n) = number("BRIDGE_APPROVAL_CONCURRENCY")? {
            config.approval_concurrency = usize_of(n);
        }
        if let Some(n) = number("BRIDGE_REQUEST_TIMEOUT_SECS")? {
            config.request_timeout = Duration::from_secs(n);
        }
        if let Some(n) = number("BRIDGE_MAX_CONCURRENCY")? {
            config.max_concurrency = usize_of(n);
        }
        if let Some(n) = number("BRIDGE_READY_CACHE_SECS")? {
            config.ready_cache = Duration::from_secs(n);
        }
        if let Some(key) = get("BRIDGE_HASH_KEY") {
            config.hash_key = Secret::from(trimmed(key));
        }
        if let Some(url) = get("BRIDGE_REDIS_URL") {
            if !cfg!(feature = "redis") {
                return Err(Error::Config(
                    "BRIDGE_REDIS_URL: this build has no Redis support (cargo feature `redis`)"
                        .into(),
                ));
            }
            config.redis_url = Some(Secret::from(url.trim().to_owned()));
        }
        config.guard = GuardConfig::from_lookup(&lookup)?;
        if let Some(sid) = get("BRIDGE_MESSAGING_SERVICE_SID") {
            let sid = MessagingServiceSid::parse(sid.trim())
                .map_err(|e| Error::Config(format!("BRIDGE_MESSAGING_SERVICE_SID: {e}")))?;
            config.messaging_service = Some(sid);
        }
        config.from_number = get("BRIDGE_FROM_NUMBER").map(|v| v.trim().to_owned());
        config.voice_from_number = get("BRIDGE_VOICE_FROM_NUMBER").map(|v| v.trim().to_owned());
        config.otp_delivery = match get("BRIDGE_OTP_DELIVERY").as_deref().map(str::trim) {
            None | Some("verify") => OtpDelivery::Verify,
            Some("messaging") => OtpDelivery::Messaging,
            Some(_) => {
                return Err(Error::Config(
                    "BRIDGE_OTP_DELIVERY: expected `verify` or `messaging`".into(),
                ));
            }
        };
        Ok(config)
    }

    /// Whether `authorization` is `Bearer` and the action secret, or the next one.
    fn action_authorized(&self, authorization: Option<&str>) -> bool {
        let given = authorization.unwrap_or("");
        [Some(&self.action_secret), self.action_secret_next.as_ref()]
            .into_iter()
            .flatten()
            .filter(|s| !s.is_empty())
            .any(|s| {
                crate::secret::constant_time_eq(
                    format!("Bearer {}", s.expose()).as_bytes(),
                    given.as_bytes(),
                )
            })
    }

    /// Whether `authorization` is the stream token, or the next one.
    fn stream_authorized(&self, authorization: Option<&str>) -> bool {
        self.log_stream_token.verify(authorization)
            || self
                .log_stream_token_next
                .as_ref()
                .is_some_and(|t| t.verify(authorization))
    }

    /// Where the state lives, for a start-up log line: `memory` or `redis`.
    pub fn store_kind(&self) -> &'static str {
        if self.redis_url.is_some() {
            "redis"
        } else {
            "memory"
        }
    }
}

type Logger = Arc<dyn Fn(&str) + Send + Sync>;

/// The bridge: shared state behind the router. Cheap to clone.
#[derive(Clone)]
pub struct Bridge {
    inner: Arc<Inner>,
    log: Option<Logger>,
}

struct Inner {
    client: Client,
    config: BridgeConfig,
    store: Arc<dyn Store>,
    guard: SendGuard,
    metrics: Arc<metrics::Metrics>,
    alarms: Alarms,
    ready: health::ReadyCache,
}

impl Inner {
    fn build(client: Client, config: BridgeConfig, store: Arc<dyn Store>) -> Self {
        let metrics = Arc::new(metrics::Metrics::new());
        let store: Arc<dyn Store> = Arc::new(metrics::Metered {
            inner: store,
            metrics: metrics.clone(),
        });
        let guard = SendGuard::new(config.guard.clone(), config.hash_key.clone());
        Self {
            client,
            config,
            store,
            guard,
            metrics,
            alarms: Alarms::default(),
            ready: health::ReadyCache::default(),
        }
    }
}

/// Failures that will not pass by themselves (a refused credential, a Service without custom
/// codes), logged at error level at most once a minute each, not once per event.
#[derive(Default)]
struct Alarms(std::sync::Mutex<std::collections::HashMap<&'static str, Instant>>);

impl Alarms {
    fn raise(&self, kind: &'static str, message: &str) {
        let now = Instant::now();
        let mut last = self
            .0
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        if last
            .get(kind)
            .is_some_and(|t| now.duration_since(*t) < Duration::from_secs(60))
        {
            return;
        }
        last.insert(kind, now);
        drop(last);
        tracing::error!(target: "twilio_verify::bridge", kind, "{message}");
    }
}

/// The alarm for an error from Twilio that needs an operator, if it is one.
fn alarm_of(e: &Error) -> Option<(&'static str, &'static str)> {
    let a = e.api_error()?;
    // Only a refused credential: a 403 is also how Verify refuses a recipient (Fraud Guard
    // 60410, geo permissions 60605), which is routine and no operator's business.
    if a.status() == 401 || a.code_number() == Some(20003) {
        return Some((
            "twilio_credentials",
            "Twilio refused the bridge's credentials or permissions (a rotated auth token?): nothing is sent or approved until it is fixed",
        ));
    }
    if a.code_number() == Some(60204) {
        return Some((
            "custom_codes",
            "the Verify Service does not allow custom codes (Twilio 60204): ask Twilio to enable them, or no code is delivered",
        ));
    }
    None
}

impl fmt::Debug for Bridge {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Bridge")
            .field("client", &self.inner.client)
            .field("config", &self.inner.config)
            .field("store", &self.inner.store)
            .finish_non_exhaustive()
    }
}

impl Bridge {
    /// A bridge that sends through `client` with `config`, keeping its state in a
    /// [`MemoryStore`]. It logs one `tracing` event per request (target
    /// `twilio_verify::bridge`). It ignores `config.redis_url`: use
    /// [`from_config`](Self::from_config) to honour it, or [`with_store`](Self::with_store).
    pub fn new(client: Client, config: BridgeConfig) -> Self {
        let store = Arc::new(MemoryStore::new(config.dedupe_capacity));
        Self {
            inner: Arc::new(Inner::build(client, config, store)),
            log: None,
        }
    }

    /// A bridge on the store `config` names: Redis when `redis_url` is set (feature `redis`),
    /// memory otherwise. Nothing is connected yet.
    ///
    /// # Errors
    ///
    /// [`Error::Config`] when the Redis URL cannot be read, or is set in a build without the
    /// `redis` feature.
    pub fn from_config(client: Client, config: BridgeConfig) -> Result<Self> {
        let Some(url) = config.redis_url.clone() else {
            return Ok(Self::new(client, config));
        };
        #[cfg(feature = "redis")]
        {
            let store = RedisStore::open(url.expose(), config.service.as_str())
                .map_err(|e| Error::Config(format!("BRIDGE_REDIS_URL: {e}")))?;
            Ok(Self::new(client, config).with_store(store))
        }
        #[cfg(not(feature = "redis"))]
        {
            let _ = (url, client);
            Err(Error::Config(
                "BRIDGE_REDIS_URL: this build has no Redis support (cargo feature `redis`)".into(),
            ))
        }
    }

    /// Keeps the state in `store` instead.
    #[must_use]
    pub fn with_store(mut self, store: impl Store) -> Self {
        let inner = Inner::build(
            self.inner.client.clone(),
            self.inner.config.clone(),
            Arc::new(store),
        );
        self.inner = Arc::new(inner);
        self
    }

    /// Also hands each request's log line to `logger` (besides the `tracing` event).
    #[must_use]
    pub fn with_logger(mut self, logger: impl Fn(&str) + Send + Sync + 'static) -> Self {
        self.log = Some(Arc::new(logger));
        self
    }

    /// The routes: `POST /auth0/send-phone-message`, `POST /auth0/log-stream`, `GET /healthz`
    /// (liveness), `GET /readyz` (readiness), `GET /metrics` (Prometheus). Every request is
    /// bounded by `request_timeout` (then 503) and at most `max_concurrency` run at once.
    pub fn router(&self) -> Router {
        let c = &self.inner.config;
        // The Auth0 routes: at most `max_concurrency` at once, and the timeout outermost, so
        // that it bounds the wait for a slot too.
        let auth0 = Router::new()
            .route("/auth0/send-phone-message", post(send::send_phone_message))
            .route("/auth0/log-stream", post(feedback::log_stream))
            .layer(axum::extract::DefaultBodyLimit::max(c.max_body_bytes))
            .layer(tower::limit::GlobalConcurrencyLimitLayer::new(
                c.max_concurrency.max(1),
            ))
            .layer(tower_http::timeout::TimeoutLayer::with_status_code(
                StatusCode::SERVICE_UNAVAILABLE,
                c.request_timeout,
            ));
        // The operator's routes stay outside the limit: a busy bridge still answers probes.
        let ops = Router::new()
            .route("/healthz", get(healthz))
            .route("/readyz", get(health::readyz))
            .route("/metrics", get(health::metrics));
        auth0
            .merge(ops)
            .fallback(not_found)
            .layer(axum::middleware::from_fn_with_state(self.clone(), track))
            .with_state(self.clone())
    }

    /// Logs one request: a `tracing` event with its fields, and the line for `with_logger`.
    fn log(
        &self,
        method: &str,
        route: &'static str,
        status: StatusCode,
        started: Instant,
        detail: &str,
    ) {
        let ms = started.elapsed().as_secs_f64() * 1000.0;
        tracing::info!(
            target: "twilio_verify::bridge",
            method,
            route,
            status = status.as_u16(),
            duration_ms = (ms * 10.0).round() / 10.0,
            detail,
            "request"
        );
        if let Some(log) = &self.log {
            log(&format!(
                "{method} {route} {} {detail} {ms:.1}ms",
                status.as_u16()
            ));
        }
    }
}

impl Inner {
    /// A keyed hash of `value`, as 32 hex digits: what the store holds instead of a phone
    /// number, a log id or a user id. `kind` keeps hashes of different things apart.
    fn hash(&self, kind: &str, value: &str) -> String {
        crate::store::keyed_hash(&self.config.hash_key, kind, value)
    }

    /// Claims `key`, waiting until `deadline` while another delivery holds it.
    async fn claim_or_wait(&self, key: &str, deadline: Instant) -> Waited {
        let mut waiting = None;
        loop {
            match self.store.claim(key, self.config.claim_ttl).await {
                Ok(Claim::Claimed(token)) => return Waited::Claimed(token),
                Ok(Claim::Done(value)) => return Waited::Done(value),
                Ok(Claim::Held) if Instant::now() >= deadline => return Waited::StillHeld,
                Ok(Claim::Held) => {
                    waiting.get_or_insert_with(|| self.metrics.waiting());
                    tokio::time::sleep(Duration::from_millis(20)).await;
                }
                Err(e) => return Waited::StoreDown(e),
            }
        }
    }

    /// How long a Verify call made under a claim may take: well inside the claim's TTL, so that
    /// no other delivery can take the claim while the call may still be running.
    fn call_bound(&self) -> Duration {
        self.config.claim_ttl.mul_f64(0.75)
    }

    /// Makes one call to Twilio: cut short after `bound` (a timeout error then) and counted in
    /// the metrics under `operation`.
    async fn twilio<T>(
        &self,
        operation: &'static str,
        bound: Duration,
        call: impl std::future::Future<Output = Result<T>>,
    ) -> Result<T> {
        let started = Instant::now();
        let result = tokio::time::timeout(bound, call).await.unwrap_or_else(|_| {
            Err(Error::Timeout(crate::error::TransportError::new(
                crate::error::TransportKind::Timeout,
                None,
            )))
        });
        self.metrics.twilio(operation, started, &result);
        result
    }

    /// Raises the operator's alarm for `e`, if it is one (see [`alarm_of`]).
    fn alarm(&self, e: &Error) {
        if let Some((kind, message)) = alarm_of(e) {
            self.alarms.raise(kind, message);
        }
    }

    /// Runs a store write, trying it three times 50 ms apart before giving up: a write that is
    /// lost after Verify acted costs precision, so a passing fault is worth riding out.
    async fn write<'a>(
        &'a self,
        op: impl Fn() -> StoreFuture<'a, ()>,
    ) -> std::result::Result<(), StoreError> {
        let mut last = None;
        for attempt in 0..3 {
            if attempt > 0 {
                tokio::time::sleep(Duration::from_millis(50)).await;
            }
            match op().await {
                Ok(()) => return Ok(()),
                Err(e) => last = Some(e),
            }
        }
        Err(last.unwrap_or_else(|| StoreError::new("write failed")))
    }
}

/// What waiting for a claim came to.
enum Waited {
    Claimed(ClaimToken),
    Done(String),
    StillHeld,
    StoreDown(StoreError),
}

pub(crate) fn json_response(status: StatusCode, body: &serde_json::Value) -> Response {
    (
        status,
        [(header::CONTENT_TYPE, "application/json")],
        body.to_string(),
    )
        .into_response()
}

pub(crate) fn authorization(headers: &HeaderMap) -> Option<&str> {
    headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
}

async fn not_found() -> Response {
    json_response(StatusCode::NOT_FOUND, &json!({"error": "not found"}))
}

/// Marks a response whose request was already logged by its handler.
#[derive(Clone, Copy)]
pub(crate) struct Logged;

/// Counts every request in the metrics, by its route (never the path, which could carry
/// anything), and logs those no handler logged: a timeout's 503, a wrong method's 405, a 404,
/// readiness and metrics scrapes. Liveness probes are counted, not logged.
async fn track(
    State(bridge): State<Bridge>,
    request: axum::extract::Request,
    next: axum::middleware::Next,
) -> Response {
    let started = Instant::now();
    let method = request.method().clone();
    let route = request
        .extensions()
        .get::<axum::extract::MatchedPath>()
        .map_or("unknown", |p| match p.as_str() {
            "/auth0/send-phone-message" => "/auth0/send-phone-message",
            "/auth0/log-stream" => "/auth0/log-stream",
            "/healthz" => "/healthz",
            "/readyz" => "/readyz",
            "/metrics" => "/metrics",
            _ => "unknown",
        });
    let response = next.run(request).await;
    let status = response.status();
    bridge
        .inner
        .metrics
        .request(route, status.as_u16(), started.elapsed());
    // Probes are logged only when they fail: liveness never, readiness and scrapes on an error.
    let quiet =
        route == "/healthz" || (matches!(route, "/readyz" | "/metrics") && status.is_success());
    if response.extensions().get::<Logged>().is_none() && !quiet {
        let detail = if status == StatusCode::SERVICE_UNAVAILABLE && route.starts_with("/auth0") {
            "timeout"
        } else {
            ""
        };
        bridge.log(method.as_str(), route, status, started, detail);
    }
    response
}

/// Liveness: cheap, and not logged per probe.
async fn healthz() -> &'static str {
    "ok"
}

/// Answers one request and logs its line.
pub(crate) struct Reply<'a> {
    bridge: &'a Bridge,
    path: &'static str,
    started: Instant,
}

impl<'a> Reply<'a> {
    pub(crate) fn new(bridge: &'a Bridge, path: &'static str) -> Self {
        Self {
            bridge,
            path,
            started: Instant::now(),
        }
    }

    pub(crate) fn send(
        &self,
        status: StatusCode,
        detail: &str,
        body: serde_json::Value,
    ) -> Response {
        self.bridge
            .log("POST", self.path, status, self.started, detail);
        let mut response = json_response(status, &body);
        response.extensions_mut().insert(Logged);
        response
    }

    /// The checks every Auth0 route makes first: 401 unless `authorized`, then 413 or 400 for
    /// a body that could not be read; otherwise the body.
    pub(crate) fn admit(
        &self,
        authorized: bool,
        body: std::result::Result<Bytes, BytesRejection>,
    ) -> std::result::Result<Bytes, Box<Response>> {
        if !authorized {
            let refusal = json!({"error": "unauthorized"});
            return Err(Box::new(self.send(
                StatusCode::UNAUTHORIZED,
                "unauthorized",
                refusal,
            )));
        }
        body.map_err(|rejection| {
            let (status, what) = body_problem(&rejection);
            Box::new(self.send(status, "bad-body", json!({"error": what})))
        })
    }
}

/// A body that could not be read: over the limit (413) or broken (400).
fn body_problem(rejection: &BytesRejection) -> (StatusCode, &'static str) {
    if rejection.status() == StatusCode::PAYLOAD_TOO_LARGE {
        (
            StatusCode::PAYLOAD_TOO_LARGE,
            "the body is over the size limit",
        )
    } else {
        (StatusCode::BAD_REQUEST, "the body could not be read")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn config_from_lookup_names_what_is_missing() {
        let e = BridgeConfig::from_lookup(|_| None).expect_err("nothing set");
        let shown = e.to_string();
        for name in [
            "TWILIO_VERIFY_SERVICE_SID",
            "AUTH0_LOG_STREAM_TOKEN",
            "BRIDGE_ACTION_SECRET",
        ] {
            assert!(shown.contains(name), "{shown}");
        }
        let c = BridgeConfig::from_lookup(|k| match k {
            "TWILIO_VERIFY_SERVICE_SID" => Some("VAaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa".into()),
            "AUTH0_LOG_STREAM_TOKEN" => Some("Bearer t".into()),
            "BRIDGE_ACTION_SECRET" => Some("s".into()),
            "BRIDGE_MAX_BODY_BYTES" => Some("1024".into()),
            _ => None,
        })
        .expect("config");
        assert_eq!(c.max_body_bytes, 1024);
        assert!(!format!("{c:?}").contains("Bearer t"));
    }

    fn base(k: &str) -> Option<String> {
        match k {
            "TWILIO_VERIFY_SERVICE_SID" => Some("VAaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa".into()),
            "AUTH0_LOG_STREAM_TOKEN" => Some("Bearer t".into()),
            "BRIDGE_ACTION_SECRET" => Some("s".into()),
            _ => None,
        }
    }

    #[test]
    fn config_reads_the_state_settings_and_refuses_bad_ones() {
        let c = BridgeConfig::from_lookup(|k| match k {
            "BRIDGE_CODE_TTL_SECS" => Some("300".into()),
            "BRIDGE_DONE_TTL_SECS" => Some("86400".into()),
            "BRIDGE_CLAIM_TTL_SECS" => Some("20".into()),
            "BRIDGE_CLAIM_WAIT_MS" => Some("1500".into()),
            "BRIDGE_APPROVAL_CONCURRENCY" => Some("16".into()),
            "BRIDGE_DEDUPE_CAPACITY" => Some("1000".into()),
            "BRIDGE_HASH_KEY" => Some("hash-key-1\n".into()),
            _ => base(k),
        })
        .expect("config");
        assert_eq!(c.code_ttl, Duration::from_secs(300));
        assert_eq!(c.done_ttl, Duration::from_secs(86400));
        assert_eq!(c.claim_ttl, Duration::from_secs(20));
        assert_eq!(c.claim_wait, Duration::from_millis(1500));
        assert_eq!(c.approval_concurrency, 16);
        assert_eq!(c.dedupe_capacity, 1000);
        assert_eq!(c.hash_key.expose(), "hash-key-1");
        assert_eq!(c.store_kind(), "memory");
        assert!(!format!("{c:?}").contains("hash-key-1"));

        let defaults = BridgeConfig::from_lookup(base).expect("config");
        assert_eq!(defaults.code_ttl, Duration::from_secs(600));
        assert_eq!(defaults.approval_concurrency, 8);
        assert_eq!(
            defaults.hash_key.expose(),
            "s",
            "derived from the action secret"
        );

        for (name, bad) in [
            ("BRIDGE_CODE_TTL_SECS", "ten"),
            ("BRIDGE_APPROVAL_CONCURRENCY", "0"),
            ("BRIDGE_CLAIM_WAIT_MS", "-5"),
        ] {
            let e =
                BridgeConfig::from_lookup(|k| if k == name { Some(bad.into()) } else { base(k) })
                    .expect_err(name);
            assert!(e.to_string().contains(name), "{e}");
        }
        let redis = BridgeConfig::from_lookup(|k| match k {
            "BRIDGE_REDIS_URL" => Some("redis://:pw-9f1@127.0.0.1:6379/".into()),
            _ => base(k),
        });
        if cfg!(feature = "redis") {
            let c = redis.expect("redis config");
            assert_eq!(c.store_kind(), "redis");
            assert!(!format!("{c:?}").contains("pw-9f1"));
        } else {
            let e = redis.expect_err("no redis in this build");
            assert!(e.to_string().contains("feature `redis`"), "{e}");
        }
    }

    #[test]
    fn hashes_are_keyed_and_kept_apart_by_kind() {
        let client = Client::builder()
            .auth_token("ACaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", "t")
            .build()
            .expect("client");
        let a = Bridge::new(
            client.clone(),
            BridgeConfig::from_lookup(base).expect("config"),
        );
        let mut other = BridgeConfig::from_lookup(base).expect("config");
        other.hash_key = Secret::from("another key".to_owned());
        let b = Bridge::new(client, other);
        let h = a.inner.hash("number", "+14155550134");
        assert_eq!(h.len(), 32);
        assert!(h.bytes().all(|c| c.is_ascii_hexdigit()));
        assert_eq!(h, a.inner.hash("number", "+14155550134"), "stable");
        assert_ne!(h, a.inner.hash("user", "+14155550134"), "kinds differ");
        assert_ne!(h, b.inner.hash("number", "+14155550134"), "keys differ");
        assert!(!h.contains("5550134"));
    }

    #[test]
    fn secrets_lose_a_trailing_newline_and_rotation_tokens_are_read() {
        let c = BridgeConfig::from_lookup(|k| match k {
            "AUTH0_LOG_STREAM_TOKEN" => Some("Bearer t\n".into()),
            "AUTH0_LOG_STREAM_TOKEN_NEXT" => Some("Bearer t2\r\n".into()),
            "BRIDGE_ACTION_SECRET" => Some("s\n".into()),
            "BRIDGE_ACTION_SECRET_NEXT" => Some("s2\n".into()),
            "BRIDGE_METRICS_TOKEN" => Some("m\n".into()),
            "BRIDGE_REQUEST_TIMEOUT_SECS" => Some("12".into()),
            "BRIDGE_MAX_CONCURRENCY" => Some("64".into()),
            _ => base(k),
        })
        .expect("config");
        assert!(c.stream_authorized(Some("Bearer t")));
        assert!(c.stream_authorized(Some("Bearer t2")));
        assert!(!c.stream_authorized(Some("Bearer t\n")));
        assert!(c.action_authorized(Some("Bearer s")));
        assert!(c.action_authorized(Some("Bearer s2")));
        assert!(!c.action_authorized(Some("s")));
        assert!(!c.action_authorized(None));
        assert_eq!(c.metrics_token.as_ref().map(Secret::expose), Some("m"));
        assert_eq!(c.hash_key.expose(), "s");
        assert_eq!(c.request_timeout, Duration::from_secs(12));
        assert_eq!(c.max_concurrency, 64);
    }

    #[test]
    fn unknown_bridge_variables_are_named() {
        let set = [
            "BRIDGE_ADDR",
            "BRIDGE_CLAIM_TTL",
            "PATH",
            "BRIDGE_LIMIT_PER_IP",
            "BRIDGE_REDIS",
        ];
        assert_eq!(unknown_variables(set), ["BRIDGE_CLAIM_TTL", "BRIDGE_REDIS"]);
    }
}
