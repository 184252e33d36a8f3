//! The feedback half: a log-stream batch in, one approval per code the user typed, by SID.
//!
//! Each target's log id is claimed before its approval starts, so that no delivery, on any
//! replica, approves it while another is at it; a delivery that finds it claimed waits for the
//! outcome. The approval goes to the verification [`select_verification`] picks among those
//! the send half remembered for the number; only when none was remembered does it go by phone
//! number. A settled target is remembered as done, and so is a refusal no retry can change
//! (remembered as that failure, never reported as approved); any other releases its claim, and
//! the batch is answered 503 so that Auth0 delivers it again. Waiting for claims held
//! elsewhere is bounded once per batch, not per target.

use std::collections::{BTreeMap, VecDeque};
use std::sync::{Arc, Mutex, PoisonError};
use std::time::Instant;

use axum::body::Bytes;
use axum::extract::State;
use axum::extract::rejection::BytesRejection;
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use serde::Serialize;
use serde_json::json;

use super::{Bridge, Inner, OtpDelivery, Reply, Waited, authorization};
use crate::auth0::feedback::sort_records;
use crate::auth0::{
    FeedbackOutcome, FeedbackTarget, SentVerification, parse_log_batch, select_verification,
};
use crate::error::Error;
use crate::store::Claim;
use crate::timestamp::Timestamp;
use crate::verify::UpdateVerification;

const PATH: &str = "/auth0/log-stream";

/// What became of one target.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Outcome {
    /// Approved by the SID the send half remembered.
    BySid,
    /// Approved by phone number: nothing was remembered for it.
    ByPhone,
    /// Verify had nothing pending to approve (20404).
    NothingPending,
    /// Verifications were remembered for the number, but none fits the event: nothing to do.
    NoMatch,
    /// Settled by an earlier delivery.
    AlreadyDone,
    /// A failure that may pass: the batch is delivered again.
    Retry(&'static str),
    /// A refusal that retrying cannot change.
    Permanent(&'static str),
}

/// Every kind of failure, as stored and reported.
const KINDS: [&str; 9] = [
    "auth",
    "rate_limited",
    "server",
    "timeout",
    "transport",
    "store",
    "claim_wait",
    "refused",
    "internal",
];

impl Outcome {
    /// The value a finished target is remembered with: what it settled as, or `failed:` and
    /// the kind of a refusal no retry can change.
    fn record(self) -> String {
        match self {
            Self::BySid => "approved_by_sid".into(),
            Self::ByPhone => "approved_by_phone".into(),
            Self::NothingPending => "nothing_pending".into(),
            Self::NoMatch => "no_match".into(),
            Self::AlreadyDone => "already_done".into(),
            Self::Retry(kind) | Self::Permanent(kind) => format!("failed:{kind}"),
        }
    }

    /// The metric labels: the outcome, and for a failure its kind (`none` otherwise).
    fn metric(self) -> (&'static str, &'static str) {
        match self {
            Self::BySid => ("by_sid", "none"),
            Self::ByPhone => ("by_phone", "none"),
            Self::NothingPending => ("nothing_pending", "none"),
            Self::NoMatch => ("no_match", "none"),
            Self::AlreadyDone => ("already_done", "none"),
            Self::Retry(kind) => ("failed_retryable", kind),
            Self::Permanent(kind) => ("failed_permanent", kind),
        }
    }

    /// What a later delivery reports for a target an earlier one finished with `record`:
    /// settled is `already_done`; a permanent refusal stays that refusal.
    fn from_record(record: &str) -> Self {
        match record.strip_prefix("failed:") {
            Some(kind) => Self::Permanent(
                KINDS
                    .iter()
                    .find(|k| **k == kind)
                    .copied()
                    .unwrap_or("refused"),
            ),
            None => Self::AlreadyDone,
        }
    }
}

/// The answer to a log-stream post.
#[derive(Debug, Default, Serialize)]
struct Summary {
    received: usize,
    invalid: usize,
    targets: usize,
    approved: usize,
    approved_by_sid: usize,
    approved_by_phone: usize,
    nothing_pending: usize,
    no_match: usize,
    already_done: usize,
    skipped: BTreeMap<&'static str, usize>,
    failed: Failed,
    /// Log ids of the targets that were not settled (Auth0's ids; no personal data).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    unsettled: Vec<String>,
    /// Log ids of the targets Twilio refused for good (counted in `failed.permanent`).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    refused: Vec<String>,
}

#[derive(Debug, Default, Serialize)]
struct Failed {
    retryable: usize,
    permanent: usize,
    /// Failures by kind: `auth`, `rate_limited`, `server`, `timeout`, `transport`, `store`,
    /// `claim_wait`, `refused`.
    kinds: BTreeMap<&'static str, usize>,
}

impl Summary {
    fn add(&mut self, log_id: &str, outcome: Outcome) {
        match outcome {
            Outcome::BySid => self.approved_by_sid += 1,
            Outcome::ByPhone => self.approved_by_phone += 1,
            Outcome::NothingPending => self.nothing_pending += 1,
            Outcome::NoMatch => self.no_match += 1,
            Outcome::AlreadyDone => self.already_done += 1,
            Outcome::Retry(kind) => {
                self.failed.retryable += 1;
                *self.failed.kinds.entry(kind).or_default() += 1;
                self.unsettled.push(log_id.to_owned());
            }
            Outcome::Permanent(kind) => {
                self.failed.permanent += 1;
                *self.failed.kinds.entry(kind).or_default() += 1;
                self.refused.push(log_id.to_owned());
            }
        }
        self.approved = self.approved_by_sid + self.approved_by_phone;
    }
}

/// The kind of a failed approval, for the summary.
fn failure_kind(e: &Error) -> &'static str {
    match e {
        Error::Timeout(_) => "timeout",
        Error::Transport(_) => "transport",
        Error::Api(a) if a.is_rate_limited() => "rate_limited",
        Error::Api(a) if a.status() >= 500 => "server",
        Error::Api(a) if matches!(a.status(), 401 | 403) || a.code_number() == Some(20003) => {
            "auth"
        }
        _ => "refused",
    }
}

pub(super) async fn log_stream(
    State(bridge): State<Bridge>,
    headers: HeaderMap,
    body: std::result::Result<Bytes, BytesRejection>,
) -> Response {
    let reply = Reply::new(&bridge, PATH);

    let authorized = bridge
        .inner
        .config
        .stream_authorized(authorization(&headers));
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
    let mut targets = sort_records(&batch.records, |_, reason| {
        *summary.skipped.entry(reason.as_str()).or_default() += 1;
    });
    if bridge.inner.config.otp_delivery == OtpDelivery::Messaging && !targets.is_empty() {
        // Codes went out as plain texts: no verification was started, so none is approved.
        let n = targets.len();
        *summary.skipped.entry("otp_delivery_messaging").or_default() += n;
        targets.clear();
    }
    for (reason, n) in &summary.skipped {
        bridge.inner.metrics.skipped(reason, *n);
    }
    summary.targets = targets.len();

    // The approvals run on their own task: if Auth0 gives up and the connection drops, they
    // still finish and settle or release their claims.
    let inner = bridge.inner.clone();
    let job = tokio::spawn(approve_all(inner, targets));
    let Ok(outcomes) = job.await else {
        return reply.send(
            StatusCode::INTERNAL_SERVER_ERROR,
            "approval-task-failed",
            json!({"error": "the approvals could not complete"}),
        );
    };
    for (log_id, outcome) in &outcomes {
        summary.add(log_id, *outcome);
        let (label, kind) = outcome.metric();
        bridge.inner.metrics.approval(label, kind);
    }

    // Ask Auth0 to deliver again when an approval may pass later.
    let status = if summary.failed.retryable > 0 {
        StatusCode::SERVICE_UNAVAILABLE
    } else {
        StatusCode::OK
    };
    let kinds = summary
        .failed
        .kinds
        .iter()
        .map(|(k, n)| format!("{k}:{n}"))
        .collect::<Vec<_>>()
        .join(",");
    let detail = format!(
        "received={} invalid={} targets={} by_sid={} by_phone={} nothing_pending={} no_match={} already_done={} retryable={} permanent={}{}{}{}",
        summary.received,
        summary.invalid,
        summary.targets,
        summary.approved_by_sid,
        summary.approved_by_phone,
        summary.nothing_pending,
        summary.no_match,
        summary.already_done,
        summary.failed.retryable,
        summary.failed.permanent,
        if kinds.is_empty() {
            String::new()
        } else {
            format!(" kinds={kinds}")
        },
        if summary.unsettled.is_empty() {
            String::new()
        } else {
            format!(" unsettled={}", summary.unsettled.join(","))
        },
        if summary.refused.is_empty() {
            String::new()
        } else {
            format!(" refused={}", summary.refused.join(","))
        },
    );
    let body = serde_json::to_value(&summary).unwrap_or_else(|_| json!({}));
    reply.send(status, &detail, body)
}

/// Settles every target, `approval_concurrency` at a time; one outcome per target, in order.
async fn approve_all(inner: Arc<Inner>, targets: Vec<FeedbackTarget>) -> Vec<(String, Outcome)> {
    let ids: Vec<String> = targets.iter().map(|t| t.log_id.clone()).collect();
    // One bound on waiting for claims held elsewhere, for the whole batch.
    let deadline = Instant::now() + inner.config.claim_wait;
    let queue = Arc::new(Mutex::new(
        targets.into_iter().enumerate().collect::<VecDeque<_>>(),
    ));
    let workers = inner.config.approval_concurrency.clamp(1, ids.len().max(1));
    let mut handles = Vec::with_capacity(workers);
    for _ in 0..workers {
        let (inner, queue) = (inner.clone(), queue.clone());
        handles.push(tokio::spawn(async move {
            let mut done = Vec::new();
            loop {
                let next = queue
                    .lock()
                    .unwrap_or_else(PoisonError::into_inner)
                    .pop_front();
                let Some((i, target)) = next else { break };
                done.push((i, settle(&inner, &target, deadline).await));
            }
            done
        }));
    }
    let mut outcomes: Vec<Option<Outcome>> = vec![None; ids.len()];
    for handle in handles {
        if let Ok(done) = handle.await {
            for (i, outcome) in done {
                outcomes[i] = Some(outcome);
            }
        }
    }
    // A worker that panicked leaves its targets unsettled: they are retried, never dropped.
    ids.into_iter()
        .zip(outcomes)
        .map(|(id, o)| (id, o.unwrap_or(Outcome::Retry("internal"))))
        .collect()
}

/// Claims one target's log id, approves it, and settles or releases the claim.
async fn settle(inner: &Inner, target: &FeedbackTarget, deadline: Instant) -> Outcome {
    let key = inner.hash("log", &target.log_id);
    let number = inner.hash("number", target.phone.as_str());
    // The claim and the number's remembered sends in one store call (one round trip on
    // Redis); a claim held elsewhere is waited for, and the sends read after.
    let first = inner
        .store
        .claim_recall(&key, inner.config.claim_ttl, &number)
        .await;
    let (token, sent) = match first {
        Ok((Claim::Claimed(token), sent)) => (token, Some(sent)),
        Ok((Claim::Done(record), _)) => return Outcome::from_record(&record),
        Ok((Claim::Held, _)) => match inner.claim_or_wait(&key, deadline).await {
            Waited::Claimed(token) => (token, None),
            Waited::Done(record) => return Outcome::from_record(&record),
            Waited::StillHeld => return Outcome::Retry("claim_wait"),
            Waited::StoreDown(_) => return Outcome::Retry("store"),
        },
        Err(_) => return Outcome::Retry("store"),
    };
    let outcome = approve(inner, target, &number, sent).await;
    // The approval itself is what matters. A record that could not be written only means a
    // redelivery tries again, and Verify answers an approved verification with 20404.
    let _ = match outcome {
        Outcome::Retry(_) => inner.store.release(&key, &token).await,
        _ => {
            let record = outcome.record();
            let keep = inner.config.done_ttl;
            inner
                .write(|| inner.store.complete(&key, &token, &record, keep))
                .await
        }
    };
    outcome
}

/// Approves the verification `target` proves: by SID when one was remembered for its number
/// (`sent`, or read from the store when `None`), by phone number when none was.
async fn approve(
    inner: &Inner,
    target: &FeedbackTarget,
    number: &str,
    sent: Option<Vec<SentVerification>>,
) -> Outcome {
    let sent = match sent {
        Some(sent) => sent,
        None => match inner.store.recall(number).await {
            Ok(sent) => sent,
            Err(_) => return Outcome::Retry("store"),
        },
    };
    let service = &inner.config.service;
    let (request, by_sid) = if sent.is_empty() {
        (UpdateVerification::approve(service, &target.phone), false)
    } else {
        let mut hashed = target.clone();
        hashed.user_id = target.user_id.as_ref().map(|u| inner.hash("user", u));
        match select_verification(&hashed, &sent, inner.config.code_ttl, Timestamp::now()) {
            Some(s) => (UpdateVerification::approve(service, &s.sid), true),
            None => return Outcome::NoMatch,
        }
    };
    // Past the bound the claim could expire under a call still running: it is given up as a
    // timeout instead, which asks for redelivery.
    let result = inner
        .twilio(
            "UpdateVerification",
            inner.call_bound(),
            request.send(&inner.client),
        )
        .await;
    if let Err(e) = &result {
        inner.alarm(e);
    }
    if let Err(Error::Decode(d)) = &result
        && (200..300).contains(&d.status())
    {
        // Verify said yes with a body that could not be read: the approval happened.
        return if by_sid {
            Outcome::BySid
        } else {
            Outcome::ByPhone
        };
    }
    match FeedbackOutcome::of(result) {
        FeedbackOutcome::Approved(_) if by_sid => Outcome::BySid,
        FeedbackOutcome::Approved(_) => Outcome::ByPhone,
        FeedbackOutcome::NothingPending => Outcome::NothingPending,
        FeedbackOutcome::RetryableFailure(e) => Outcome::Retry(failure_kind(&e)),
        FeedbackOutcome::PermanentFailure(e) => Outcome::Permanent(failure_kind(&e)),
    }
}
