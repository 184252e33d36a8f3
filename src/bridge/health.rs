//! Readiness and metrics: `GET /readyz` and `GET /metrics`.

use std::time::{Duration, Instant};

use axum::extract::State;
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde_json::json;

use super::{Bridge, authorization, json_response};
use crate::error::Error;
use crate::verify::FetchService;

/// The last readiness answer and when it was made. The lock is held across a check, so probes
/// arriving together when the answer expires make one round of checks, not one each.
#[derive(Default)]
pub(super) struct ReadyCache(tokio::sync::Mutex<Option<(Instant, Readiness)>>);

/// How long the Twilio check may take: well inside a typical probe timeout.
const TWILIO_CHECK_BOUND: Duration = Duration::from_secs(2);

/// The outcome of every check, by name: `ok`, or why it failed (no secrets).
#[derive(Debug, Clone)]
pub(super) struct Readiness {
    checks: Vec<(&'static str, String)>,
}

impl Readiness {
    /// The checks that failed. A check that could not run because an earlier one failed (the
    /// Service cannot be looked at with refused credentials) is `unknown`, not failing: the
    /// answer names the cause.
    fn failing(&self) -> Vec<&'static str> {
        self.checks
            .iter()
            .filter(|(_, v)| v != "ok" && v != "unknown")
            .map(|(k, _)| *k)
            .collect()
    }
}

/// Runs every check: Twilio accepts the credentials, the Verify Service exists and allows
/// custom codes, and the store answers.
async fn check(bridge: &Bridge) -> Readiness {
    let inner = &bridge.inner;
    let mut checks = Vec::new();
    let service = inner
        .twilio(
            "FetchService",
            TWILIO_CHECK_BOUND,
            FetchService::new(&inner.config.service).send(&inner.client),
        )
        .await;
    let unknown = || "unknown".to_owned();
    let ok = || "ok".to_owned();
    // Each check names its own cause; one that could not run for an earlier one's failure is
    // `unknown`.
    let (reachable, credentials, exists, custom) = match &service {
        Ok(s) if s.custom_code_enabled == Some(true) => (ok(), ok(), ok(), ok()),
        Ok(_) => (
            ok(),
            ok(),
            ok(),
            "the Verify Service does not allow custom codes (CustomCodeEnabled)".to_owned(),
        ),
        Err(e) => {
            let api = e.api_error();
            let status = api.map(crate::ApiError::status);
            let code = api.and_then(crate::ApiError::code_number);
            if status == Some(401)
                || code == Some(20003)
                || (status == Some(403) && code != Some(60204))
            {
                (
                    ok(),
                    format!("Twilio refused the credentials ({})", describe(e)),
                    unknown(),
                    unknown(),
                )
            } else if status == Some(404) {
                (
                    ok(),
                    ok(),
                    format!("no such Verify Service ({})", describe(e)),
                    unknown(),
                )
            } else {
                (
                    format!(
                        "Twilio did not answer usefully within {} s ({})",
                        TWILIO_CHECK_BOUND.as_secs(),
                        describe(e)
                    ),
                    unknown(),
                    unknown(),
                    unknown(),
                )
            }
        }
    };
    checks.push(("twilio_reachable", reachable));
    checks.push(("twilio_credentials", credentials));
    checks.push(("verify_service", exists));
    checks.push(("custom_codes", custom));
    let store = match inner.store.ping().await {
        Ok(()) => "ok".into(),
        Err(e) => e.to_string(),
    };
    checks.push(("store", store));
    Readiness { checks }
}

/// A short, secret-free description of a Twilio error.
fn describe(e: &Error) -> String {
    match e.api_error() {
        Some(a) => match a.code_number() {
            Some(code) => format!("HTTP {}, Twilio {code}", a.status()),
            None => format!("HTTP {}", a.status()),
        },
        None => match e {
            Error::Timeout(_) => "timeout".into(),
            Error::Transport(_) => "unreachable".into(),
            _ => "unexpected answer".into(),
        },
    }
}

/// `GET /readyz`: 200 when every check passes, 503 naming the failing ones. Answers are reused
/// for `ready_cache`, so probes do not turn into a stream of Twilio calls.
pub(super) async fn readyz(State(bridge): State<Bridge>) -> Response {
    let started = Instant::now();
    let ttl = bridge.inner.config.ready_cache;
    let readiness = {
        let mut cache = bridge.inner.ready.0.lock().await;
        match cache.as_ref().filter(|(at, _)| at.elapsed() < ttl) {
            Some((_, r)) => r.clone(),
            None => {
                let r = check(&bridge).await;
                *cache = Some((Instant::now(), r.clone()));
                r
            }
        }
    };
    let failing = readiness.failing();
    let checks: serde_json::Map<String, serde_json::Value> = readiness
        .checks
        .iter()
        .map(|(k, v)| ((*k).to_owned(), json!(v)))
        .collect();
    let status = if failing.is_empty() {
        StatusCode::OK
    } else {
        StatusCode::SERVICE_UNAVAILABLE
    };
    if !failing.is_empty() {
        bridge.log(
            "GET",
            "/readyz",
            status,
            started,
            &format!("failing={}", failing.join(",")),
        );
    }
    let mut response = json_response(
        status,
        &json!({"ready": failing.is_empty(), "failing": failing, "checks": checks}),
    );
    response.extensions_mut().insert(super::Logged);
    response
}

/// `GET /metrics`: the Prometheus text format, behind `BRIDGE_METRICS_TOKEN` when it is set.
pub(super) async fn metrics(State(bridge): State<Bridge>, headers: HeaderMap) -> Response {
    if let Some(token) = &bridge.inner.config.metrics_token {
        let expected = format!("Bearer {}", token.expose());
        let given = authorization(&headers).unwrap_or("");
        if token.is_empty()
            || !crate::secret::constant_time_eq(expected.as_bytes(), given.as_bytes())
        {
            return json_response(StatusCode::UNAUTHORIZED, &json!({"error": "unauthorized"}));
        }
    }
    (
        StatusCode::OK,
        [(header::CONTENT_TYPE, super::metrics::CONTENT_TYPE)],
        bridge.inner.metrics.render(),
    )
        .into_response()
}
