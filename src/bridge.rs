//! The Auth0 bridge: axum handlers for both Auth0 halves, ready to mount in your own app.
//!
//! - `POST /auth0/send-phone-message`: an Action (either phone trigger) forwards its `event`;
//!   the bridge starts the verification with Auth0's code as `CustomCode`.
//! - `POST /auth0/log-stream`: a Custom Webhook log stream posts tenant logs; the bridge
//!   approves the verification behind every MFA success.
//! - `GET /healthz`.
//!
//! ```no_run
//! # async fn run() -> Result<(), Box<dyn std::error::Error>> {
//! use twilio_verify::Client;
//! use twilio_verify::bridge::{Bridge, BridgeConfig};
//!
//! let client = Client::from_env()?;
//! let config = BridgeConfig::from_env()?;
//! let app = Bridge::new(client, config).router();
//! let listener = tokio::net::TcpListener::bind("127.0.0.1:8080").await?;
//! axum::serve(listener, app).await?;
//! # Ok(()) }
//! ```
//!
//! Every request logs one line (method, path, status, counts, time) through the bridge's
//! logger, stderr by default. No phone number, code or token appears in it.

use std::collections::{BTreeMap, HashSet, VecDeque};
use std::fmt;
use std::hash::{BuildHasher as _, RandomState};
use std::sync::{Arc, Mutex, PoisonError};
use std::time::Instant;

use axum::Router;
use axum::body::Bytes;
use axum::extract::State;
use axum::extract::rejection::BytesRejection;
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use serde::Serialize;
use serde_json::json;

use crate::auth0::{
    CustomPhoneProviderEvent, FeedbackOutcome, LogStreamToken, PhoneMessage, SendPhoneMessageEvent,
    approve, parse_log_batch, plan,
};
use crate::error::Error;
use crate::secret::{Secret, constant_time_eq};
use crate::sid::ServiceSid;
use crate::{Client, Result};

/// The default cap on a request body: 5 MiB.
pub const DEFAULT_MAX_BODY_BYTES: usize = 5 * 1024 * 1024;
/// The default number of log ids remembered as done.
pub const DEFAULT_DEDUPE_CAPACITY: usize = 100_000;

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
    /// The largest request body accepted; larger ones get 413.
    pub max_body_bytes: usize,
    /// How many approved log ids to remember, so a redelivered batch is not approved twice.
    pub dedupe_capacity: usize,
}

impl BridgeConfig {
    /// A configuration with the default limits.
    pub fn new(
        service: ServiceSid,
        log_stream_token: LogStreamToken,
        action_secret: impl Into<Secret>,
    ) -> Self {
        Self {
            service,
            log_stream_token,
            action_secret: action_secret.into(),
            max_body_bytes: DEFAULT_MAX_BODY_BYTES,
            dedupe_capacity: DEFAULT_DEDUPE_CAPACITY,
        }
    }

    /// Reads `TWILIO_VERIFY_SERVICE_SID`, `AUTH0_LOG_STREAM_TOKEN`, `BRIDGE_ACTION_SECRET` and
    /// the optional `BRIDGE_MAX_BODY_BYTES`.
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
        let mut config = Self::new(service, LogStreamToken::new(token), secret);
        if let Some(max) = get("BRIDGE_MAX_BODY_BYTES") {
            config.max_body_bytes = max
                .trim()
                .parse()
                .map_err(|_| Error::Config("BRIDGE_MAX_BODY_BYTES: not a number".into()))?;
        }
        Ok(config)
    }
}

type Logger = Arc<dyn Fn(&str) + Send + Sync>;

/// The bridge: shared state behind the router. Cheap to clone.
#[derive(Clone)]
pub struct Bridge {
    inner: Arc<Inner>,
    log: Logger,
}

struct Inner {
    client: Client,
    config: BridgeConfig,
    seen: Mutex<Seen>,
}

impl fmt::Debug for Bridge {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Bridge")
            .field("client", &self.inner.client)
            .field("config", &self.inner.config)
            .finish_non_exhaustive()
    }
}

impl Bridge {
    /// A bridge that sends through `client` with `config`, logging to stderr.
    pub fn new(client: Client, config: BridgeConfig) -> Self {
        let capacity = config.dedupe_capacity;
        Self {
            inner: Arc::new(Inner {
                client,
                config,
                seen: Mutex::new(Seen::new(capacity)),
            }),
            log: Arc::new(|line| eprintln!("{line}")),
        }
    }

    /// Sends the one-line-per-request log to `logger` instead of stderr.
    #[must_use]
    pub fn with_logger(mut self, logger: impl Fn(&str) + Send + Sync + 'static) -> Self {
        self.log = Arc::new(logger);
        self
    }

    /// The routes: `POST /auth0/send-phone-message`, `POST /auth0/log-stream`, `GET /healthz`.
    pub fn router(&self) -> Router {
        Router::new()
            .route("/auth0/send-phone-message", post(send_phone_message))
            .route("/auth0/log-stream", post(log_stream))
            .route("/healthz", get(healthz))
            .fallback(not_found)
            .layer(axum::extract::DefaultBodyLimit::max(
                self.inner.config.max_body_bytes,
            ))
            .with_state(self.clone())
    }

    fn log(&self, path: &str, status: StatusCode, started: Instant, detail: &str) {
        let ms = started.elapsed().as_secs_f64() * 1000.0;
        (self.log)(&format!(
            "POST {path} {} {detail} {ms:.1}ms",
            status.as_u16()
        ));
    }
}

/// Remembers log ids that are done (approved, nothing pending, or refused for good) and those
/// being approved right now, so neither a redelivery nor a concurrent batch approves twice.
///
/// An id is kept as a 64-bit keyed hash (SipHash with this process's random key), so a full
/// window of 100,000 ids costs about 2 MB however long Auth0's ids are. Two ids that collide
/// (odds near 10^-9 for a full window) would cost one skipped approval, never a second one.
struct Seen {
    done: HashSet<u64>,
    order: VecDeque<u64>,
    in_flight: HashSet<u64>,
    capacity: usize,
    keys: RandomState,
}

impl Seen {
    fn new(capacity: usize) -> Self {
        Self {
            done: HashSet::new(),
            order: VecDeque::new(),
            in_flight: HashSet::new(),
            capacity: capacity.max(1),
            keys: RandomState::new(),
        }
    }

    fn key(&self, id: &str) -> u64 {
        self.keys.hash_one(id)
    }

    /// Claims `id` for approval; false if it is done or being approved.
    fn claim(&mut self, id: &str) -> bool {
        let k = self.key(id);
        if self.done.contains(&k) || self.in_flight.contains(&k) {
            return false;
        }
        self.in_flight.insert(k);
        true
    }

    /// Releases a claim; a final outcome is remembered, a retryable one is not.
    fn finish(&mut self, id: &str, is_final: bool) {
        let k = self.key(id);
        self.in_flight.remove(&k);
        if is_final && self.done.insert(k) {
            self.order.push_back(k);
            while self.order.len() > self.capacity {
                if let Some(old) = self.order.pop_front() {
                    self.done.remove(&old);
                }
            }
        }
    }
}

fn json_response(status: StatusCode, body: &serde_json::Value) -> Response {
    (
        status,
        [(header::CONTENT_TYPE, "application/json")],
        body.to_string(),
    )
        .into_response()
}

fn authorization(headers: &HeaderMap) -> Option<&str> {
    headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
}

async fn not_found(
    State(bridge): State<Bridge>,
    method: axum::http::Method,
    uri: axum::http::Uri,
) -> Response {
    // The path is logged without its query, which could carry anything.
    (bridge.log)(&format!("{method} {} 404", uri.path()));
    json_response(StatusCode::NOT_FOUND, &json!({"error": "not found"}))
}

async fn healthz(State(bridge): State<Bridge>) -> &'static str {
    (bridge.log)("GET /healthz 200");
    "ok"
}

/// Answers one request and logs its line.
struct Reply<'a> {
    bridge: &'a Bridge,
    path: &'static str,
    started: Instant,
}

impl<'a> Reply<'a> {
    fn new(bridge: &'a Bridge, path: &'static str) -> Self {
        Self {
            bridge,
            path,
            started: Instant::now(),
        }
    }

    fn send(&self, status: StatusCode, detail: &str, body: serde_json::Value) -> Response {
        self.bridge.log(self.path, status, self.started, detail);
        json_response(status, &body)
    }

    /// The checks every Auth0 route makes first: 401 unless `authorized`, then 413 or 400 for
    /// a body that could not be read; otherwise the body.
    fn admit(
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

async fn send_phone_message(
    State(bridge): State<Bridge>,
    headers: HeaderMap,
    body: std::result::Result<Bytes, BytesRejection>,
) -> Response {
    const PATH: &str = "/auth0/send-phone-message";
    let reply = Reply::new(&bridge, PATH);

    let expected = format!("Bearer {}", bridge.inner.config.action_secret.expose());
    let given = authorization(&headers).unwrap_or("");
    let authorized = !bridge.inner.config.action_secret.is_empty()
        && constant_time_eq(expected.as_bytes(), given.as_bytes());
    let body = match reply.admit(authorized, body) {
        Ok(b) => b,
        Err(refused) => return *refused,
    };
    let message = match phone_message(&body) {
        Ok(m) => m,
        Err(reason) => {
            return reply.send(
                StatusCode::BAD_REQUEST,
                "invalid-event",
                json!({"error": reason}),
            );
        }
    };
    let channel = message.channel.as_str().to_owned();
    let request = message.to_verification(&bridge.inner.config.service);
    match request.send(&bridge.inner.client).await {
        Ok(v) => {
            let sid = v.sid.as_ref().map(|s| s.as_str().to_owned());
            let status = v.status.as_ref().map(|s| s.as_str().to_owned());
            reply.send(
                StatusCode::OK,
                &format!("channel={channel} sid={}", sid.as_deref().unwrap_or("-")),
                json!({"sid": sid, "status": status}),
            )
        }
        Err(e) => {
            let (status, body) = upstream_error(&e);
            reply.send(
                status,
                &format!("channel={channel} verify-error={}", body["code"]),
                body,
            )
        }
    }
}

/// Decodes the `event` of either phone trigger and turns it into a message.
fn phone_message(body: &[u8]) -> std::result::Result<PhoneMessage, String> {
    let value: serde_json::Value =
        serde_json::from_slice(body).map_err(|_| "the body is not JSON".to_owned())?;
    let message = if value.get("message_options").is_some() {
        let event: SendPhoneMessageEvent = serde_json::from_value(value)
            .map_err(|_| "not a send-phone-message event".to_owned())?;
        PhoneMessage::try_from(&event)
    } else if value.get("notification").is_some() {
        let event: CustomPhoneProviderEvent = serde_json::from_value(value)
            .map_err(|_| "not a custom-phone-provider event".to_owned())?;
        PhoneMessage::try_from(&event)
    } else {
        return Err(
            "expected the event of the send-phone-message or custom-phone-provider trigger".into(),
        );
    };
    message.map_err(|e| e.to_string())
}

/// 502 with Twilio's code and message when Verify refused; 504 on a timeout.
fn upstream_error(e: &Error) -> (StatusCode, serde_json::Value) {
    match e {
        Error::Api(api) => (
            StatusCode::BAD_GATEWAY,
            json!({
                "error": "Twilio Verify refused the request",
                "status": api.status(),
                "code": api.code_number(),
                "message": crate::redact::scrub(api.message()),
                "more_info": api.more_info(),
            }),
        ),
        Error::Timeout(_) => (
            StatusCode::GATEWAY_TIMEOUT,
            json!({"error": "Twilio Verify did not answer in time", "code": null}),
        ),
        other => (
            StatusCode::BAD_GATEWAY,
            json!({"error": other.to_string(), "code": null}),
        ),
    }
}

/// The answer to a log-stream post.
#[derive(Debug, Default, Serialize)]
struct Summary {
    received: usize,
    invalid: usize,
    approved: usize,
    nothing_pending: usize,
    already_done: usize,
    skipped: BTreeMap<&'static str, usize>,
    failed: Failed,
}

#[derive(Debug, Default, Serialize)]
struct Failed {
    retryable: usize,
    permanent: usize,
}

async fn log_stream(
    State(bridge): State<Bridge>,
    headers: HeaderMap,
    body: std::result::Result<Bytes, BytesRejection>,
) -> Response {
    const PATH: &str = "/auth0/log-stream";
    let reply = Reply::new(&bridge, PATH);

    let authorized = bridge
        .inner
        .config
        .log_stream_token
        .verify(authorization(&headers));
    let body = match reply.admit(authorized, body) {
        Ok(b) => b,
        Err(refused) => return *refused,
    };
    let batch = parse_log_batch(&body);
    if batch.records.is_empty() && !batch.errors.is_empty() {
        return reply.send(
            StatusCode::BAD_REQUEST,
            &format!("unparseable invalid={}", batch.errors.len()),
            json!({"error": "no record could be read", "invalid": batch.errors.len()}),
        );
    }

    let mut summary = Summary {
        received: batch.records.len() + batch.errors.len(),
        invalid: batch.errors.len(),
        ..Summary::default()
    };
    let feedback = plan(&batch.records);
    for s in &feedback.skipped {
        *summary.skipped.entry(s.reason.as_str()).or_default() += 1;
    }
    let targets: Vec<_> = {
        let mut seen = bridge
            .inner
            .seen
            .lock()
            .unwrap_or_else(PoisonError::into_inner);
        feedback
            .targets
            .into_iter()
            .filter(|t| {
                let fresh = seen.claim(&t.log_id);
                if !fresh {
                    summary.already_done += 1;
                }
                fresh
            })
            .collect()
    };
    // The approvals run on their own task: if Auth0 gives up and the connection drops, they
    // still finish and release their claims, so no log id is left claimed for ever.
    let inner = bridge.inner.clone();
    let job = tokio::spawn(async move {
        let report = approve(&inner.client, &inner.config.service, targets).await;
        let mut seen = inner.seen.lock().unwrap_or_else(PoisonError::into_inner);
        for (target, outcome) in &report.outcomes {
            let is_final = !matches!(outcome, FeedbackOutcome::RetryableFailure(_));
            seen.finish(&target.log_id, is_final);
        }
        report
    });
    let Ok(report) = job.await else {
        return reply.send(
            StatusCode::INTERNAL_SERVER_ERROR,
            "approval-task-failed",
            json!({"error": "the approvals could not complete"}),
        );
    };
    summary.approved = report.approved();
    summary.nothing_pending = report.nothing_pending();
    summary.failed.retryable = report.retryable();
    summary.failed.permanent = report.permanent();

    // Ask Auth0 to deliver again when an approval may pass later.
    let status = if summary.failed.retryable > 0 {
        StatusCode::SERVICE_UNAVAILABLE
    } else {
        StatusCode::OK
    };
    let detail = format!(
        "received={} invalid={} approved={} nothing_pending={} already_done={} retryable={} permanent={}",
        summary.received,
        summary.invalid,
        summary.approved,
        summary.nothing_pending,
        summary.already_done,
        summary.failed.retryable,
        summary.failed.permanent
    );
    let body = serde_json::to_value(&summary).unwrap_or_else(|_| json!({}));
    reply.send(status, &detail, body)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn seen_is_bounded_and_releases_retryable_claims() {
        let mut s = Seen::new(2);
        assert!(s.claim("a"));
        assert!(!s.claim("a"), "in flight");
        s.finish("a", false);
        assert!(s.claim("a"), "a retryable failure can be tried again");
        s.finish("a", true);
        assert!(!s.claim("a"), "done");
        for id in ["b", "c"] {
            assert!(s.claim(id));
            s.finish(id, true);
        }
        assert_eq!(s.done.len(), 2);
        assert!(s.claim("a"), "the oldest id was forgotten");
    }

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
}
