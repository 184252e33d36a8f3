//! The one place that sends a request: authentication, headers, timeouts, the body cap, retries,
//! and the mapping of answers to a model or an [`Error`]. It knows nothing about any resource.

use std::time::{Duration, Instant};

use bytes::Bytes;
use reqwest::header::{ACCEPT, AUTHORIZATION, CONTENT_TYPE, HeaderValue, RETRY_AFTER, USER_AGENT};
use serde::de::DeserializeOwned;

use crate::client::Client;
use crate::error::{ApiError, Error, InvalidInput, Result, TransportError, TransportKind};
use crate::page::{Listed, Page};
use crate::wire::{self, Method, WireRequest};

const FORM: HeaderValue = HeaderValue::from_static(wire::FORM_CONTENT_TYPE);
const JSON: HeaderValue = HeaderValue::from_static(wire::JSON_CONTENT_TYPE);

/// A raw answer: status, `Retry-After`, and the body.
struct Answer {
    status: u16,
    retry_after: Option<Duration>,
    body: Bytes,
}

impl Client {
    /// Sends `req` and decodes a 2xx answer into `T`; a request that failed its checks is
    /// returned as an error with nothing sent.
    ///
    /// `req` is the one copy of the request this future holds: every step below borrows it,
    /// which keeps the future small (an `async fn` keeps each by-value argument for its whole
    /// life).
    pub(crate) async fn execute<T: DeserializeOwned>(
        &self,
        mut req: std::result::Result<WireRequest, InvalidInput>,
    ) -> Result<T> {
        let answer = self.round_trip(ready(&mut req)?).await?;
        wire::decode_response(answer.status, &answer.body)
    }

    /// Sends `req` and expects a 2xx answer whose body is ignored (DELETE's 204).
    pub(crate) async fn execute_empty(
        &self,
        mut req: std::result::Result<WireRequest, InvalidInput>,
    ) -> Result<()> {
        self.round_trip(ready(&mut req)?).await.map(drop)
    }

    /// GETs a next-page URL from a list answer, rebased onto this client's base URL.
    pub(crate) async fn fetch_page<T: Listed>(&self, next_page_url: &str) -> Result<Page<T>> {
        let rest = match next_page_url.find("://") {
            Some(i) => {
                let after = &next_page_url[i + 3..];
                after.find('/').map_or("", |j| &after[j..])
            }
            None => next_page_url,
        };
        let (path, query) = rest.split_once('?').unwrap_or((rest, ""));
        let dot_segment = path.split('/').any(|seg| {
            let decoded = percent_encoding::percent_decode_str(seg).decode_utf8_lossy();
            decoded == "." || decoded == ".."
        });
        if !path.starts_with("/v2/") || dot_segment {
            return Err(InvalidInput::new("next_page_url", "not a Verify v2 URL").into());
        }
        let req = WireRequest {
            method: Method::Get,
            path: path.to_owned(),
            query: query.to_owned(),
            body: None,
            json: false,
            operation: "NextPage",
        };
        self.execute(Ok(req)).await
    }

    /// Sends `req`, retrying what the policy allows; a 2xx answer is returned, anything else
    /// becomes an error.
    async fn round_trip(&self, req: &mut WireRequest) -> Result<Answer> {
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
            self.attempts(req, &span).instrument(span.clone()).await
        }
        #[cfg(not(feature = "tracing"))]
        {
            self.attempts(req, &()).await
        }
    }

    async fn attempts(&self, req: &mut WireRequest, span: &impl Record) -> Result<Answer> {
        let started = Instant::now();
        let policy = self.inner.retry;
        let idempotent = matches!(req.method, Method::Get | Method::Delete);
        // The body is shared between attempts, not copied for each.
        let body = req.body.take().map(Bytes::from);
        let mut attempt = 1u32;
        loop {
            let outcome = self.send_once(req, body.as_ref()).await;
            let (retry, retry_after) = retryable(idempotent, &outcome);
            let pause = if retry {
                policy.pause(attempt, retry_after)
            } else {
                None
            };
            let Some(pause) = pause else {
                span.finish(attempt, &outcome, started);
                return match outcome {
                    Ok(a) if (200..300).contains(&a.status) => Ok(a),
                    Ok(a) => Err(Error::Api(Box::new(
                        ApiError::from_response(a.status, &a.body).with_retry_after(a.retry_after),
                    ))),
                    Err(e) => Err(e),
                };
            };
            tokio::time::sleep(pause).await;
            attempt += 1;
        }
    }

    /// One attempt, sending and reading the whole answer within the client's timeout: an
    /// answer of any status, or a transport error.
    async fn send_once(&self, req: &WireRequest, body: Option<&Bytes>) -> Result<Answer> {
        let limit = self.inner.timeout;
        match tokio::time::timeout(limit, self.exchange(req, body)).await {
            Ok(outcome) => outcome,
            Err(_) => Err(timed_out(limit)),
        }
    }

    /// Sends `req` and reads its answer, with no time limit of its own.
    async fn exchange(&self, req: &WireRequest, body: Option<&Bytes>) -> Result<Answer> {
        let inner = &*self.inner;
        let method = match req.method {
            Method::Get => reqwest::Method::GET,
            Method::Post => reqwest::Method::POST,
            Method::Delete => reqwest::Method::DELETE,
        };
        let mut builder = inner
            .http
            .request(method, inner.url(req))
            .header(AUTHORIZATION, inner.authorization.clone())
            .header(USER_AGENT, inner.user_agent.clone())
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
        let cap = inner.max_response_bytes;
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

impl crate::client::Inner {
    /// The URL of `req`: the parsed base with the request's path and query set, which is the
    /// URL [`WireRequest::url`] spells, without parsing the scheme and host again.
    fn url(&self, req: &WireRequest) -> reqwest::Url {
        let mut url = self.base_url.clone();
        // The base's own path prefix, if any (`/` alone is none).
        let prefix = self.base_url.path().trim_end_matches('/');
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

/// Whether an attempt's outcome may be retried, and the `Retry-After` Twilio asked for. Only
/// what Twilio provably did not process: 429 with code 20429 or none; a connection never made;
/// and, for idempotent methods, 502/503/504 and timeouts.
fn retryable(idempotent: bool, outcome: &Result<Answer>) -> (bool, Option<Duration>) {
    match outcome {
        Ok(a) if (200..300).contains(&a.status) => (false, None),
        Ok(a) if a.status == 429 => {
            let code = ApiError::from_response(a.status, &a.body).code_number();
            (matches!(code, None | Some(20429)), a.retry_after)
        }
        Ok(a) => (idempotent && matches!(a.status, 502..=504), a.retry_after),
        Err(Error::Transport(t)) => (t.is_connect(), None),
        Err(Error::Timeout(_)) => (idempotent, None),
        Err(_) => (false, None),
    }
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
                let fast = client.inner.url(req);
                let spelled = reqwest::Url::parse(&req.url(client.base_url())).expect("url");
                assert_eq!(fast, spelled, "{base} {}", req.path);
            }
        }
    }

    fn answer(status: u16, body: &str) -> Result<Answer> {
        Ok(Answer {
            status,
            retry_after: None,
            body: Bytes::copy_from_slice(body.as_bytes()),
        })
    }

    fn transport(kind: TransportKind) -> Result<Answer> {
        let e = TransportError::new(kind, None);
        Err(if kind == TransportKind::Timeout {
            Error::Timeout(e)
        } else {
            Error::Transport(e)
        })
    }

    #[test]
    fn only_what_twilio_did_not_process_is_retried() {
        for idempotent in [false, true] {
            // Never processed: retried whatever the method.
            assert!(retryable(idempotent, &transport(TransportKind::Connect)).0);
            assert!(retryable(idempotent, &answer(429, r#"{"code": 20429}"#)).0);
            assert!(retryable(idempotent, &answer(429, "")).0);
            // Business limits and plain failures: never.
            for code in [60202, 60203, 60212] {
                let body = format!(r#"{{"code": {code}}}"#);
                assert!(!retryable(idempotent, &answer(429, &body)).0, "{code}");
            }
            for status in [200, 201, 400, 401, 404, 500] {
                assert!(!retryable(idempotent, &answer(status, "")).0, "{status}");
            }
            assert!(!retryable(idempotent, &transport(TransportKind::Request)).0);
            assert!(!retryable(idempotent, &transport(TransportKind::Body)).0);
        }
        // May have reached Twilio: only idempotent requests go again.
        for status in [502, 503, 504] {
            assert!(!retryable(false, &answer(status, "")).0);
            assert!(retryable(true, &answer(status, "")).0);
        }
        assert!(!retryable(false, &transport(TransportKind::Timeout)).0);
        assert!(retryable(true, &transport(TransportKind::Timeout)).0);
    }
}
