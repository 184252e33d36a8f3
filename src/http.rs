//! The one place that sends a request: authentication, headers, timeouts, the body cap, retries,
//! and the mapping of answers to a model or an [`Error`]. It knows nothing about any resource.

use std::time::{Duration, Instant};

use bytes::Bytes;
use reqwest::header::{ACCEPT, AUTHORIZATION, CONTENT_TYPE, HeaderValue, RETRY_AFTER, USER_AGENT};
use serde::de::DeserializeOwned;

use crate::error::{ApiError, Error, InvalidInput, Result, TransportError, TransportKind};
use crate::retry::RetryPolicy;
use crate::wire::{self, Method, WireRequest};

const FORM: HeaderValue = HeaderValue::from_static(wire::FORM_CONTENT_TYPE);
const JSON: HeaderValue = HeaderValue::from_static(wire::JSON_CONTENT_TYPE);

/// Settings for one call that override the client's: its timeout and its retry policy.
///
/// ```
/// use std::time::Duration;
/// use twilio_verify::{RequestOptions, RetryPolicy};
///
/// // A login path that would rather fail fast than wait.
/// let opts = RequestOptions::new()
///     .timeout(Duration::from_secs(3))
///     .retry(RetryPolicy::never());
/// # let _ = opts;
/// ```
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
#[must_use]
pub struct RequestOptions {
    pub(crate) timeout: Option<std::time::Duration>,
    pub(crate) retry: Option<crate::RetryPolicy>,
}

impl RequestOptions {
    /// No overrides: the client's own settings.
    pub fn new() -> Self {
        Self::default()
    }

    /// The time this call may take, from sending to the last byte of the answer, for each
    /// attempt.
    pub fn timeout(mut self, timeout: std::time::Duration) -> Self {
        self.timeout = Some(timeout);
        self
    }

    /// The retry policy of this call.
    pub fn retry(mut self, policy: crate::RetryPolicy) -> Self {
        self.retry = Some(policy);
        self
    }
}

/// A raw answer: status, `Retry-After`, and the body.
struct Answer {
    status: u16,
    retry_after: Option<Duration>,
    body: Bytes,
}

/// Where a client's requests go and how they are sent: the pool, the base URL, the headers
/// every request carries, and the limits. Only this module reads its fields.
pub(crate) struct Transport {
    http: reqwest::Client,
    /// The Verify base URL, parsed once: each request clones it and sets only its path and
    /// query, so the scheme and host are never parsed again.
    base_url: url::Url,
    /// The same for the REST API host (the `messaging` requests).
    api_base_url: url::Url,
    authorization: HeaderValue,
    user_agent: HeaderValue,
    limits: Limits,
}

/// The limits a [`Transport`] applies to every request, unless a call overrides them.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Limits {
    pub(crate) timeout: Duration,
    pub(crate) max_response_bytes: usize,
    pub(crate) retry: RetryPolicy,
}

impl Transport {
    pub(crate) fn new(
        http: reqwest::Client,
        base_url: url::Url,
        api_base_url: url::Url,
        authorization: HeaderValue,
        user_agent: HeaderValue,
        limits: Limits,
    ) -> Self {
        Self {
            http,
            base_url,
            api_base_url,
            authorization,
            user_agent,
            limits,
        }
    }

    /// The limits every request gets unless a call overrides them.
    pub(crate) fn limits(&self) -> Limits {
        self.limits
    }

    /// Sends `req` and decodes a 2xx answer into `T`; a request that failed its checks is
    /// returned as an error with nothing sent. A DELETE's answer has no body: `T` is `()`.
    ///
    /// `req` is the one copy of the request this future holds: every step below borrows it,
    /// which keeps the future small (an `async fn` keeps each by-value argument for its whole
    /// life).
    pub(crate) async fn execute<T: DeserializeOwned>(
        &self,
        mut req: std::result::Result<WireRequest, InvalidInput>,
        options: RequestOptions,
    ) -> Result<T> {
        let req = ready(&mut req)?;
        let delete = req.method == Method::Delete;
        let answer = self.round_trip(req, options).await?;
        let body: &[u8] = if delete { b"null" } else { &answer.body };
        wire::decode_response(answer.status, body)
    }

    /// Sends `req`, retrying what the policy allows; a 2xx answer is returned, anything else
    /// becomes an error.
    async fn round_trip(&self, req: &mut WireRequest, options: RequestOptions) -> Result<Answer> {
        #[cfg(feature = "tracing")]
        {
            use tracing::Instrument as _;
            let span = tracing::info_span!(
                "twilio_verify.request",
                operation = req.operation,
                method = req.method(),
                attempt = tracing::field::Empty,
                status = tracing::field::Empty,
                twilio_code = tracing::field::Empty,
                elapsed_ms = tracing::field::Empty,
            );
            self.attempts(req, options, &span)
                .instrument(span.clone())
                .await
        }
        #[cfg(not(feature = "tracing"))]
        {
            self.attempts(req, options, &()).await
        }
    }

    async fn attempts(
        &self,
        req: &mut WireRequest,
        options: RequestOptions,
        span: &impl Record,
    ) -> Result<Answer> {
        let started = Instant::now();
        let policy = options.retry.unwrap_or(self.limits.retry);
        let limit = options.timeout.unwrap_or(self.limits.timeout);
        let idempotent = matches!(req.method, Method::Get | Method::Delete);
        // The body is shared between attempts, not copied for each.
        let body = req.body.take().map(Bytes::from);
        let mut attempt = 1u32;
        loop {
            let outcome = self.send_once(req, body.as_ref(), limit).await;
            span.finish(attempt, &outcome, started);
            let outcome = outcome.and_then(into_success);
            let pause = match &outcome {
                Err(e) if retryable(idempotent, e) => {
                    policy.pause(attempt, e.api_error().and_then(ApiError::retry_after))
                }
                _ => None,
            };
            let Some(pause) = pause else {
                return outcome;
            };
            tokio::time::sleep(pause).await;
            attempt += 1;
        }
    }

    /// One attempt, sending and reading the whole answer within `limit`: an answer of any
    /// status, or a transport error.
    async fn send_once(
        &self,
        req: &WireRequest,
        body: Option<&Bytes>,
        limit: Duration,
    ) -> Result<Answer> {
        match tokio::time::timeout(limit, self.exchange(req, body)).await {
            Ok(outcome) => outcome,
            Err(_) => Err(timed_out(limit)),
        }
    }

    /// Sends `req` and reads its answer, with no time limit of its own.
    async fn exchange(&self, req: &WireRequest, body: Option<&Bytes>) -> Result<Answer> {
        let method = match req.method {
            Method::Get => reqwest::Method::GET,
            Method::Post => reqwest::Method::POST,
            Method::Delete => reqwest::Method::DELETE,
        };
        let mut builder = self
            .http
            .request(method, self.url(req))
            .header(AUTHORIZATION, self.authorization.clone())
            .header(USER_AGENT, self.user_agent.clone())
            .header(ACCEPT, JSON);
        if let Some(body) = body {
            let kind = if req.json { JSON } else { FORM };
            builder = builder.header(CONTENT_TYPE, kind).body(body.clone());
        }
        let mut resp = builder.send().await.map_err(transport)?;
        let status = resp.status().as_u16();
        // Only an error answer's `Retry-After` is ever read.
        let retry_after = if (200..300).contains(&status) {
            None
        } else {
            retry_after(resp.headers())
        };
        let cap = self.limits.max_response_bytes;
        if resp.content_length().is_some_and(|n| n > cap as u64) {
            return Err(too_big(cap));
        }
        // Most answers arrive in one chunk: keep it as it is. Otherwise gather the chunks, in a
        // future of its own so that the rare path stays out of this one.
        let body = match resp.chunk().await.map_err(transport)? {
            None => Bytes::new(),
            Some(first) if first.len() > cap => return Err(too_big(cap)),
            Some(first) => match resp.chunk().await.map_err(transport)? {
                None => first,
                Some(second) => Box::pin(gather(resp, first, second, cap)).await?,
            },
        };
        Ok(Answer {
            status,
            retry_after,
            body,
        })
    }

    /// The URL of `req`: the parsed base with the request's path and query set, which is the
    /// URL [`WireRequest::url`] spells, without parsing the scheme and host again.
    fn url(&self, req: &WireRequest) -> url::Url {
        let base = match req.host {
            wire::Host::Api => &self.api_base_url,
            _ => &self.base_url,
        };
        let mut url = base.clone();
        // The base's own path prefix, if any (`/` alone is none).
        let prefix = base.path().trim_end_matches('/');
        if prefix.is_empty() {
            url.set_path(&req.path);
        } else {
            let mut path = String::with_capacity(prefix.len() + req.path.len());
            path.push_str(prefix);
            path.push_str(&req.path);
            url.set_path(&path);
        }
        url.set_query((!req.query.is_empty()).then_some(req.query.as_str()));
        url
    }
}

/// A 2xx answer as it is; any other status as Twilio's error, with its `Retry-After`.
fn into_success(a: Answer) -> Result<Answer> {
    if (200..300).contains(&a.status) {
        Ok(a)
    } else {
        Err(Error::Api(Box::new(
            ApiError::from_response(a.status, &a.body).with_retry_after(a.retry_after),
        )))
    }
}

/// Whether a failed attempt is sent again. Only a transient failure ([`Error::is_transient`])
/// is, and then only when Twilio certainly did not act on it ([`Error::is_unprocessed`]) or,
/// for an idempotent method, when it timed out or a gateway answered (502, 503, 504). A 500 and
/// a broken answer are not retried even then: they tend to repeat, and the caller decides.
fn retryable(idempotent: bool, e: &Error) -> bool {
    if !e.is_transient() {
        return false;
    }
    e.is_unprocessed()
        || idempotent
            && match e {
                Error::Timeout(_) => true,
                Error::Api(a) => matches!(a.status(), 502..=504),
                _ => false,
            }
}

/// The request of an `execute` call, or the error that stopped it before sending.
fn ready(req: &mut std::result::Result<WireRequest, InvalidInput>) -> Result<&mut WireRequest> {
    req.as_mut().map_err(|e| e.clone().into())
}

/// The rest of an answer that came in more than one chunk, joined, within `cap` bytes.
async fn gather(
    mut resp: reqwest::Response,
    first: Bytes,
    second: Bytes,
    cap: usize,
) -> Result<Bytes> {
    let hint = resp.content_length().map_or(0, |n| n as usize);
    let mut all = Vec::with_capacity(hint.max(first.len() + second.len()));
    let mut next = Some(second);
    all.extend_from_slice(&first);
    while let Some(chunk) = next {
        if all.len() + chunk.len() > cap {
            return Err(too_big(cap));
        }
        all.extend_from_slice(&chunk);
        next = resp.chunk().await.map_err(transport)?;
    }
    Ok(Bytes::from(all))
}

/// The `Retry-After` of an answer, in whole seconds.
#[cold]
fn retry_after(headers: &reqwest::header::HeaderMap) -> Option<Duration> {
    headers
        .get(RETRY_AFTER)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.trim().parse::<u64>().ok())
        .map(Duration::from_secs)
}

/// Where the outcome of a request is recorded: a tracing span, or nothing.
trait Record {
    fn finish(&self, attempt: u32, outcome: &Result<Answer>, started: Instant);
}

impl Record for () {
    fn finish(&self, _: u32, _: &Result<Answer>, _: Instant) {}
}

#[cfg(feature = "tracing")]
impl Record for tracing::Span {
    fn finish(&self, attempt: u32, outcome: &Result<Answer>, started: Instant) {
        self.record("attempt", attempt);
        self.record("elapsed_ms", started.elapsed().as_millis() as u64);
        if let Ok(a) = outcome {
            self.record("status", a.status);
            let code = (!(200..300).contains(&a.status))
                .then(|| ApiError::from_response(a.status, &a.body).code_number())
                .flatten();
            if let Some(code) = code {
                self.record("twilio_code", code);
            }
        }
    }
}

#[cold]
fn timed_out(limit: Duration) -> Error {
    Error::Timeout(TransportError::new(
        TransportKind::Timeout,
        Some(format!("no complete answer within {} ms", limit.as_millis()).into()),
    ))
}

#[cold]
fn too_big(cap: usize) -> Error {
    Error::Transport(TransportError::new(
        TransportKind::Body,
        Some(format!("the answer is larger than the {cap}-byte cap").into()),
    ))
}

#[cold]
fn transport(e: reqwest::Error) -> Error {
    // A connect timeout is a connect failure: nothing was sent, so it may be retried.
    let kind = if e.is_connect() {
        TransportKind::Connect
    } else if e.is_timeout() {
        TransportKind::Timeout
    } else if e.is_body() || e.is_decode() {
        TransportKind::Body
    } else {
        TransportKind::Request
    };
    let err = TransportError::new(kind, Some(Box::new(e.without_url())));
    if kind == TransportKind::Timeout {
        Error::Timeout(err)
    } else {
        Error::Transport(err)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Client;

    #[test]
    fn the_url_from_the_parsed_base_is_the_url_the_request_spells() {
        let mut query = crate::wire::Params::new();
        query.str("PageSize", "20").str("Status", "a b/c");
        let requests = [
            WireRequest::get("List", "/v2/Services".into(), query),
            WireRequest::get(
                "Fetch",
                "/v2/Services/VA1/Entities/a%20b%2F%3F%23".into(),
                crate::wire::Params::new(),
            ),
        ];
        for base in [
            "http://127.0.0.1:9",
            "http://127.0.0.1:9/",
            "https://proxy.example.com/twilio",
            "https://proxy.example.com/a/b/",
        ] {
            let client = Client::builder()
                .auth_token("ACaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", "token")
                .base_url(base)
                .build()
                .expect("client");
            for req in &requests {
                let fast = client.transport().url(req);
                let spelled = url::Url::parse(&req.url(client.base_url())).expect("url");
                assert_eq!(fast, spelled, "{base} {}", req.path);
            }
        }
    }

    fn answer(status: u16, body: &str) -> Error {
        let a = Answer {
            status,
            retry_after: None,
            body: Bytes::copy_from_slice(body.as_bytes()),
        };
        into_success(a)
            .err()
            .unwrap_or_else(|| Error::Config("2xx".into()))
    }

    fn transport(kind: TransportKind) -> Error {
        let e = TransportError::new(kind, None);
        if kind == TransportKind::Timeout {
            Error::Timeout(e)
        } else {
            Error::Transport(e)
        }
    }

    #[test]
    fn a_post_is_retried_only_when_twilio_did_not_act_on_it() {
        for idempotent in [false, true] {
            // Never processed: retried whatever the method.
            assert!(retryable(idempotent, &transport(TransportKind::Connect)));
            assert!(retryable(idempotent, &answer(429, r#"{"code": 20429}"#)));
            assert!(retryable(idempotent, &answer(429, "")));
            // Business limits and refusals: never.
            for code in [60202, 60203, 60212] {
                let body = format!(r#"{{"code": {code}}}"#);
                assert!(!retryable(idempotent, &answer(429, &body)), "{code}");
            }
            for status in [400, 401, 404] {
                assert!(!retryable(idempotent, &answer(status, "")), "{status}");
            }
        }
        // May have reached Twilio: only idempotent requests go again.
        for status in [502, 503, 504] {
            assert!(!retryable(false, &answer(status, "")), "{status}");
            assert!(retryable(true, &answer(status, "")), "{status}");
        }
        assert!(!retryable(false, &transport(TransportKind::Timeout)));
        assert!(retryable(true, &transport(TransportKind::Timeout)));
        // Transient, but apt to repeat: left to the caller.
        for idempotent in [false, true] {
            assert!(!retryable(idempotent, &answer(500, "")));
            assert!(!retryable(idempotent, &transport(TransportKind::Request)));
            assert!(!retryable(idempotent, &transport(TransportKind::Body)));
        }
    }
}
