//! The bridge's Prometheus metrics. Label values are fixed vocabularies (routes, statuses,
//! outcomes, rules, Twilio error codes): never a phone number, code, log id, user id or SID.

use std::time::{Duration, Instant};

use prometheus_client::encoding::prometheus_text;
use prometheus_client::metrics::counter::Counter;
use prometheus_client::metrics::family::Family;
use prometheus_client::metrics::gauge::Gauge;
use prometheus_client::metrics::histogram::{Histogram, exponential_buckets};
use prometheus_client::registry::Registry;

use crate::error::Error;

/// The `Content-Type` of what [`Metrics::render`] writes.
pub(crate) const CONTENT_TYPE: &str = prometheus_text::CONTENT_TYPE;

type Labels = Vec<(&'static str, String)>;

fn seconds() -> Histogram {
    // 1 ms to about 33 s.
    Histogram::new(exponential_buckets(0.001, 2.0, 16))
}

/// Every metric the bridge keeps.
pub(crate) struct Metrics {
    registry: Registry,
    requests: Family<Labels, Counter>,
    request_seconds: Family<Labels, Histogram, fn() -> Histogram>,
    sends: Family<Labels, Counter>,
    approvals: Family<Labels, Counter>,
    skipped: Family<Labels, Counter>,
    refusals: Family<Labels, Counter>,
    geo_mismatches: Counter,
    twilio_calls: Family<Labels, Counter>,
    twilio_seconds: Family<Labels, Histogram, fn() -> Histogram>,
    store_errors: Family<Labels, Counter>,
    claims_waiting: Gauge<i64, std::sync::atomic::AtomicI64>,
}

impl std::fmt::Debug for Metrics {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Metrics").finish_non_exhaustive()
    }
}

impl Metrics {
    pub(crate) fn new() -> Self {
        let mut registry = Registry::with_prefix("bridge");
        let requests = Family::<Labels, Counter>::default();
        registry.register(
            "http_requests",
            "Requests answered, by route and HTTP status",
            requests.clone(),
        );
        let request_seconds =
            Family::<Labels, Histogram, fn() -> Histogram>::new_with_constructor(seconds);
        registry.register(
            "http_request_duration_seconds",
            "Time to answer a request, by route",
            request_seconds.clone(),
        );
        let sends = Family::<Labels, Counter>::default();
        registry.register(
            "sends",
            "Send requests by channel and outcome (sent, repeat, refused, verify_refused, verify_limit, verify_error, unknown, store_error, in_flight, invalid)",
            sends.clone(),
        );
        let approvals = Family::<Labels, Counter>::default();
        registry.register(
            "approvals",
            "Feedback targets by outcome (by_sid, by_phone, nothing_pending, no_match, already_done, failed) and failure kind",
            approvals.clone(),
        );
        let skipped = Family::<Labels, Counter>::default();
        registry.register(
            "skipped_events",
            "Log events that are not feedback targets, by reason",
            skipped.clone(),
        );
        let refusals = Family::<Labels, Counter>::default();
        registry.register(
            "guard_refusals",
            "Sends the send guard refused, by rule",
            refusals.clone(),
        );
        let geo_mismatches = Counter::default();
        registry.register(
            "guard_geo_mismatches",
            "Sends whose geolocated country differed from the number's",
            geo_mismatches.clone(),
        );
        let twilio_calls = Family::<Labels, Counter>::default();
        registry.register(
            "twilio_calls",
            "Calls to Twilio by operation, HTTP status (or timeout, transport) and Twilio error code",
            twilio_calls.clone(),
        );
        let twilio_seconds =
            Family::<Labels, Histogram, fn() -> Histogram>::new_with_constructor(seconds);
        registry.register(
            "twilio_call_duration_seconds",
            "Time of a call to Twilio, by operation",
            twilio_seconds.clone(),
        );
        let store_errors = Family::<Labels, Counter>::default();
        registry.register(
            "store_errors",
            "State store operations that failed, by operation",
            store_errors.clone(),
        );
        let claims_waiting = Gauge::<i64, std::sync::atomic::AtomicI64>::default();
        registry.register(
            "claims_waiting",
            "Deliveries waiting right now for a claim another delivery holds",
            claims_waiting.clone(),
        );
        let build = Family::<Labels, Gauge<i64, std::sync::atomic::AtomicI64>>::default();
        registry.register(
            "build_info",
            "The crate version the bridge runs (always 1)",
            build.clone(),
        );
        build
            .get_or_create(&vec![("version", env!("CARGO_PKG_VERSION").to_owned())])
            .set(1);
        Self {
            registry,
            requests,
            request_seconds,
            sends,
            approvals,
            skipped,
            refusals,
            geo_mismatches,
            twilio_calls,
            twilio_seconds,
            store_errors,
            claims_waiting,
        }
    }

    /// The metrics in Prometheus's text format.
    pub(crate) fn render(&self) -> String {
        let mut out = String::new();
        if prometheus_text::encode(&mut out, &self.registry).is_err() {
            out.clear();
        }
        out
    }

    pub(crate) fn request(&self, route: &str, status: u16, took: Duration) {
        self.requests
            .get_or_create(&vec![
                ("route", route.to_owned()),
                ("status", status.to_string()),
            ])
            .inc();
        self.request_seconds
            .get_or_create(&vec![("route", route.to_owned())])
            .observe(took.as_secs_f64());
    }

    pub(crate) fn send(&self, channel: &str, outcome: &'static str) {
        self.sends
            .get_or_create(&vec![
                ("channel", channel.to_owned()),
                ("outcome", outcome.to_owned()),
            ])
            .inc();
    }

    pub(crate) fn approval(&self, outcome: &'static str, kind: &'static str) {
        self.approvals
            .get_or_create(&vec![
                ("outcome", outcome.to_owned()),
                ("kind", kind.to_owned()),
            ])
            .inc();
    }

    pub(crate) fn skipped(&self, reason: &'static str, n: usize) {
        self.skipped
            .get_or_create(&vec![("reason", reason.to_owned())])
            .inc_by(n as u64);
    }

    pub(crate) fn refusal(&self, rule: &'static str) {
        self.refusals
            .get_or_create(&vec![("rule", rule.to_owned())])
            .inc();
    }

    pub(crate) fn geo_mismatch(&self) {
        self.geo_mismatches.inc();
    }

    /// Records one call to Twilio that started at `started` and ended in `result`.
    pub(crate) fn twilio<T>(
        &self,
        operation: &'static str,
        started: Instant,
        result: &Result<T, Error>,
    ) {
        let (status, code) = match result {
            Ok(_) => ("2xx".to_owned(), "none".to_owned()),
            Err(Error::Api(a)) => (
                a.status().to_string(),
                a.code_number()
                    .map_or_else(|| "none".to_owned(), |c| c.to_string()),
            ),
            Err(Error::Decode(d)) => (d.status().to_string(), "decode".to_owned()),
            Err(Error::Timeout(_)) => ("timeout".to_owned(), "none".to_owned()),
            Err(Error::Transport(_)) => ("transport".to_owned(), "none".to_owned()),
            Err(_) => ("invalid".to_owned(), "none".to_owned()),
        };
        self.twilio_calls
            .get_or_create(&vec![
                ("operation", operation.to_owned()),
                ("status", status),
                ("code", code),
            ])
            .inc();
        self.twilio_seconds
            .get_or_create(&vec![("operation", operation.to_owned())])
            .observe(started.elapsed().as_secs_f64());
    }

    pub(crate) fn store_error(&self, operation: &'static str) {
        self.store_errors
            .get_or_create(&vec![("operation", operation.to_owned())])
            .inc();
    }

    /// Counts a delivery waiting for a claim until the guard is dropped.
    pub(crate) fn waiting(&self) -> Waiting<'_> {
        self.claims_waiting.inc();
        Waiting(&self.claims_waiting)
    }
}

/// A delivery waiting for a claim; counted while it lives.
pub(crate) struct Waiting<'a>(&'a Gauge<i64, std::sync::atomic::AtomicI64>);

impl Drop for Waiting<'_> {
    fn drop(&mut self) {
        self.0.dec();
    }
}

/// A store that counts its failed operations in the metrics.
pub(crate) struct Metered {
    pub(crate) inner: std::sync::Arc<dyn crate::store::Store>,
    pub(crate) metrics: std::sync::Arc<Metrics>,
}

impl std::fmt::Debug for Metered {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        std::fmt::Debug::fmt(&self.inner, f)
    }
}

use crate::auth0::SentVerification;
use crate::store::{
    Admission, AdmitTicket, Claim, ClaimToken, Store, StoreFuture, WindowLimit, forward_store,
};

impl Metered {
    /// The store being measured.
    fn inner(&self) -> &dyn Store {
        &*self.inner
    }

    /// `f`, counting a failure of `operation` in the store-error metric.
    fn count<'a, T: Send + 'a>(
        &'a self,
        operation: &'static str,
        f: StoreFuture<'a, T>,
    ) -> StoreFuture<'a, T> {
        Box::pin(async move {
            let result = f.await;
            if result.is_err() {
                self.metrics.store_error(operation);
            }
            result
        })
    }
}

impl Store for Metered {
    forward_store!(Metered::inner, Metered::count);
}
