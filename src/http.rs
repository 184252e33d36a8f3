//! The one place that sends a request: authentication, headers, timeouts, the body cap, and the
//! mapping of answers to a model or an [`Error`]. It knows nothing about any resource.

use std::time::Duration;

use reqwest::header::{ACCEPT, AUTHORIZATION, CONTENT_TYPE, HeaderValue, RETRY_AFTER, USER_AGENT};
use serde::de::DeserializeOwned;

use crate::client::Client;
use crate::error::{Error, InvalidInput, Result, TransportError, TransportKind};
use crate::page::{Listed, Page};
use crate::wire::{self, Method, WireRequest};

const FORM: HeaderValue = HeaderValue::from_static(wire::FORM_CONTENT_TYPE);
const JSON: HeaderValue = HeaderValue::from_static("application/json");

/// A raw answer: status, `Retry-After`, and the body.
struct Answer {
    status: u16,
    retry_after: Option<Duration>,
    body: Vec<u8>,
}

impl Client {
    /// Sends `req` and decodes a 2xx answer into `T`.
    pub(crate) async fn execute<T: DeserializeOwned>(&self, req: WireRequest) -> Result<T> {
        let answer = self.round_trip(req).await?;
        decode(answer)
    }

    /// Sends `req` and expects a 2xx answer whose body is ignored (DELETE's 204).
    pub(crate) async fn execute_empty(&self, req: WireRequest) -> Result<()> {
        let answer = self.round_trip(req).await?;
        check_status(answer).map(drop)
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
        let (path_part, _) = rest.split_once('?').unwrap_or((rest, ""));
        let dot_segment = path_part.split('/').any(|seg| {
            let decoded = percent_encoding::percent_decode_str(seg).decode_utf8_lossy();
            decoded == "." || decoded == ".."
        });
        if !rest.starts_with("/v2/") || dot_segment {
            return Err(InvalidInput::new("next_page_url", "not a Verify v2 URL").into());
        }
        let (path, query) = rest.split_once('?').unwrap_or((rest, ""));
        let req = WireRequest {
            method: Method::Get,
            path: path.to_owned(),
            query: query.to_owned(),
            body: None,
            operation: "NextPage",
        };
        self.execute(req).await
    }

    async fn round_trip(&self, req: WireRequest) -> Result<Answer> {
        let inner = &*self.inner;
        let url = req.url(&inner.base);
        let method = match req.method {
            Method::Get => reqwest::Method::GET,
            Method::Post => reqwest::Method::POST,
            Method::Delete => reqwest::Method::DELETE,
        };
        let mut builder = inner
            .http
            .request(method, url)
            .timeout(inner.timeout)
            .header(AUTHORIZATION, inner.authorization.clone())
            .header(USER_AGENT, inner.user_agent.clone())
            .header(ACCEPT, JSON);
        if let Some(body) = req.body {
            builder = builder.header(CONTENT_TYPE, FORM).body(body);
        }
        let mut resp = builder.send().await.map_err(transport)?;
        let status = resp.status().as_u16();
        let retry_after = resp
            .headers()
            .get(RETRY_AFTER)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.trim().parse::<u64>().ok())
            .map(Duration::from_secs);
        let cap = inner.max_response_bytes;
        if resp.content_length().is_some_and(|n| n > cap as u64) {
            return Err(too_big(cap));
        }
        let mut body = Vec::with_capacity(resp.content_length().map_or(0, |n| n as usize));
        while let Some(chunk) = resp.chunk().await.map_err(transport)? {
            if body.len() + chunk.len() > cap {
                return Err(too_big(cap));
            }
            body.extend_from_slice(&chunk);
        }
        Ok(Answer {
            status,
            retry_after,
            body,
        })
    }
}

fn too_big(cap: usize) -> Error {
    Error::Transport(TransportError::new(
        TransportKind::Body,
        Some(format!("the answer is larger than the {cap}-byte cap").into()),
    ))
}

fn transport(e: reqwest::Error) -> Error {
    let kind = if e.is_timeout() {
        TransportKind::Timeout
    } else if e.is_connect() {
        TransportKind::Connect
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

fn check_status(answer: Answer) -> Result<Answer> {
    match wire::check_status(answer.status, &answer.body) {
        Ok(()) => Ok(answer),
        Err(e) => Err(Error::Api(Box::new(e.with_retry_after(answer.retry_after)))),
    }
}

fn decode<T: DeserializeOwned>(answer: Answer) -> Result<T> {
    let answer = check_status(answer)?;
    wire::decode_response(answer.status, &answer.body)
}
