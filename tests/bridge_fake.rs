//! The bridge end to end on the crate's fake Verify: Auth0's code goes out once, Auth0's
//! retries send nothing more, the log stream approves exactly that verification, and a send
//! whose answer was lost after Twilio acted is never sent again.
#![cfg(all(feature = "axum", feature = "testing"))]

mod common;
#[path = "common/bridge.rs"]
mod harness;

use std::time::Duration;

use harness::*;
use twilio_verify::auth0::LogStreamToken;
use twilio_verify::auth0::SentVerification;
use twilio_verify::bridge::{Bridge, BridgeConfig};
use twilio_verify::store::{
    Admission, AdmitTicket, Claim, ClaimToken, MemoryStore, Store, StoreFuture, WindowLimit,
};
use twilio_verify::testing::{FakeVerify, Fault};
use twilio_verify::verify::FetchVerification;

const USER: &str = "auth0|65a1b2c3d4e5f60718293a4b";
const PHONE: &str = "+14155550134";

/// A fake whose Service takes Auth0's codes, and a bridge in front of it.
async fn bridge_on_fake() -> (FakeVerify, Running) {
    bridge_on_fake_with(None).await
}

/// As [`bridge_on_fake`], with the bridge's store set by `store` ([`on`]).
async fn bridge_on_fake_with(
    store: Option<Box<dyn FnOnce(Bridge) -> Bridge>>,
) -> (FakeVerify, Running) {
    let fake = FakeVerify::builder()
        .custom_code_enabled(true)
        .start()
        .await;
    let config = BridgeConfig::new(
        fake.service_sid().clone(),
        LogStreamToken::new(STREAM_TOKEN),
        ACTION_SECRET,
    );
    let client = fake
        .client_builder()
        .timeout(Duration::from_secs(5))
        .build()
        .expect("client");
    let bridge = serve_client(client, config, store).await;
    (fake, bridge)
}

fn approvals(fake: &FakeVerify) -> usize {
    fake.requests()
        .iter()
        .filter(|r| r.param("Status") == Some("approved"))
        .count()
}

#[tokio::test]
async fn a_login_runs_end_to_end_and_auth0s_retries_change_nothing() {
    let (fake, bridge) = bridge_on_fake().await;
    let event = send_event(
        "+1 415 555 0134",
        "730142",
        "second-factor-authentication",
        USER,
    );
    let (s, body) = bridge.action(event.clone()).await;
    assert_eq!(s, 200, "{body}");
    assert_eq!(fake.last_code_to(PHONE).as_deref(), Some("730142"));
    let sid = fake.sent_codes()[0].verification_sid.clone();
    assert_eq!(body["sid"], sid.as_str(), "{body}");

    // Auth0 retries the Action: the phone is not texted again.
    let (s, body) = bridge.action(event).await;
    assert_eq!((s, body["repeat"].as_bool()), (200, Some(true)), "{body}");
    assert_eq!(fake.sent_codes().len(), 1);

    // The user typed the code into Auth0; the log stream reports it.
    let batch = record("gd_auth_succeed", "L1", "+1 415-555-0134", &at(1), USER);
    let (s, body) = bridge.stream(batch.clone()).await;
    assert_eq!(s, 200, "{body}");
    assert_eq!(body["approved_by_sid"], 1, "{body}");
    assert_eq!(fake.pending_verifications(), 0, "approved, so gone");
    let gone = FetchVerification::new(fake.service_sid(), &sid)
        .send(&fake.client())
        .await
        .expect_err("gone");
    assert!(gone.is_not_found());

    // Auth0 redelivers the batch: no second approval reaches Verify.
    let (s, body) = bridge.stream(batch).await;
    assert_eq!(s, 200, "{body}");
    assert_eq!(approvals(&fake), 1);
}

#[tokio::test]
async fn an_enrollment_then_a_login_approve_each_their_own_verification() {
    let (fake, bridge) = bridge_on_fake().await;
    let (s, _) = bridge
        .action(send_event(PHONE, "551209", "enrollment", USER))
        .await;
    assert_eq!(s, 200);
    let (s, body) = bridge
        .stream(record("gd_enrollment_complete", "E1", PHONE, &at(1), USER))
        .await;
    assert_eq!(
        (s, body["approved_by_sid"].as_i64()),
        (200, Some(1)),
        "{body}"
    );
    let enrollment = fake.sent_codes()[0].verification_sid.clone();

    let (s, _) = bridge
        .action(send_event(
            PHONE,
            "482913",
            "second-factor-authentication",
            USER,
        ))
        .await;
    assert_eq!(s, 200);
    let login = fake.sent_codes()[1].verification_sid.clone();
    assert_ne!(login, enrollment, "a new verification after the approval");
    let (s, body) = bridge
        .stream(record("gd_auth_succeed", "A1", PHONE, &at(2), USER))
        .await;
    assert_eq!(
        (s, body["approved_by_sid"].as_i64()),
        (200, Some(1)),
        "{body}"
    );
    let approved: Vec<_> = fake
        .requests()
        .into_iter()
        .filter(|r| r.param("Status") == Some("approved"))
        .map(|r| r.path)
        .collect();
    assert_eq!(approved.len(), 2);
    assert!(approved[0].ends_with(enrollment.as_str()), "{approved:?}");
    assert!(approved[1].ends_with(login.as_str()), "{approved:?}");
}

#[tokio::test]
async fn a_send_dropped_after_twilio_texted_is_never_sent_again() {
    let (fake, bridge) = bridge_on_fake().await;
    fake.fail_next(Fault::DropAfterProcessing);
    let event = send_event(PHONE, "730142", "second-factor-authentication", USER);
    let (s, body) = bridge.action(event.clone()).await;
    assert_eq!(s, 502, "{body}");
    assert_eq!(body["outcome"], "unknown", "{body}");
    assert_eq!(fake.sent_codes().len(), 1, "Twilio did text the user");
    // Auth0 retries: the bridge cannot know, so it sends nothing rather than a second SMS.
    let (s, body) = bridge.action(event).await;
    assert_eq!((s, body["repeat"].as_bool()), (504, Some(true)), "{body}");
    assert_eq!(fake.sent_codes().len(), 1);
    assert_eq!(fake.requests().len(), 1);
}

#[tokio::test]
async fn a_rate_limited_send_is_retried_and_texts_once() {
    let (fake, bridge) = bridge_on_fake().await;
    fake.fail_next(Fault::TooManyRequests);
    let (s, body) = bridge
        .action(send_event(
            PHONE,
            "730142",
            "second-factor-authentication",
            USER,
        ))
        .await;
    assert_eq!(s, 200, "{body}");
    let statuses: Vec<_> = fake.requests().iter().map(|r| r.status).collect();
    assert_eq!(statuses, [Some(429), Some(201)]);
    assert_eq!(fake.sent_codes().len(), 1);
}

#[tokio::test]
async fn an_approval_after_the_code_expired_on_twilio_counts_as_nothing_pending() {
    let (fake, bridge) = bridge_on_fake().await;
    let (s, _) = bridge
        .action(send_event(
            PHONE,
            "730142",
            "second-factor-authentication",
            USER,
        ))
        .await;
    assert_eq!(s, 200);
    // Verify forgot the verification (its clock passed ten minutes); the event is on time.
    fake.advance(Duration::from_secs(601));
    let (s, body) = bridge
        .stream(record("gd_auth_succeed", "L1", PHONE, &at(1), USER))
        .await;
    assert_eq!(s, 200, "{body}");
    assert_eq!(body["nothing_pending"], 1, "{body}");
    assert_eq!(body["failed"]["retryable"], 0, "{body}");
    assert_eq!(approvals(&fake), 1);
}

/// A memory store that notes, in order, which of its methods the bridge called.
#[derive(Debug, Clone)]
struct Recording {
    inner: std::sync::Arc<MemoryStore>,
    calls: std::sync::Arc<std::sync::Mutex<Vec<&'static str>>>,
}

impl Recording {
    fn new() -> Self {
        Self {
            inner: std::sync::Arc::new(MemoryStore::new(1000)),
            calls: std::sync::Arc::default(),
        }
    }

    fn note<'a, T>(&self, name: &'static str, f: StoreFuture<'a, T>) -> StoreFuture<'a, T> {
        self.calls.lock().expect("calls").push(name);
        f
    }

    fn calls(&self) -> Vec<&'static str> {
        self.calls.lock().expect("calls").clone()
    }
}

impl Store for Recording {
    fn claim<'a>(&'a self, key: &'a str, ttl: Duration) -> StoreFuture<'a, Claim> {
        self.note("claim", self.inner.claim(key, ttl))
    }
    fn complete<'a>(
        &'a self,
        key: &'a str,
        token: &'a ClaimToken,
        value: &'a str,
        keep: Duration,
    ) -> StoreFuture<'a, ()> {
        self.note("complete", self.inner.complete(key, token, value, keep))
    }
    fn release<'a>(&'a self, key: &'a str, token: &'a ClaimToken) -> StoreFuture<'a, ()> {
        self.note("release", self.inner.release(key, token))
    }
    fn remember<'a>(
        &'a self,
        number: &'a str,
        sent: &'a SentVerification,
        keep: Duration,
    ) -> StoreFuture<'a, ()> {
        self.note("remember", self.inner.remember(number, sent, keep))
    }
    fn recall<'a>(&'a self, number: &'a str) -> StoreFuture<'a, Vec<SentVerification>> {
        self.note("recall", self.inner.recall(number))
    }
    fn admit<'a>(&'a self, limits: &'a [WindowLimit<'a>]) -> StoreFuture<'a, Admission> {
        self.note("admit", self.inner.admit(limits))
    }
    fn refund<'a>(
        &'a self,
        limits: &'a [WindowLimit<'a>],
        ticket: &'a AdmitTicket,
    ) -> StoreFuture<'a, ()> {
        self.note("refund", self.inner.refund(limits, ticket))
    }
    fn ping(&self) -> StoreFuture<'_, ()> {
        self.note("ping", self.inner.ping())
    }
    fn claim_admit<'a>(
        &'a self,
        key: &'a str,
        ttl: Duration,
        limits: &'a [WindowLimit<'a>],
    ) -> StoreFuture<'a, (Claim, Option<Admission>)> {
        self.note("claim_admit", self.inner.claim_admit(key, ttl, limits))
    }
    fn claim_recall<'a>(
        &'a self,
        key: &'a str,
        ttl: Duration,
        number: &'a str,
    ) -> StoreFuture<'a, (Claim, Vec<SentVerification>)> {
        self.note("claim_recall", self.inner.claim_recall(key, ttl, number))
    }
    fn complete_remember<'a>(
        &'a self,
        key: &'a str,
        token: &'a ClaimToken,
        value: &'a str,
        keep: Duration,
        number: &'a str,
        sent: &'a SentVerification,
        sent_keep: Duration,
    ) -> StoreFuture<'a, ()> {
        let f = self
            .inner
            .complete_remember(key, token, value, keep, number, sent, sent_keep);
        self.note("complete_remember", f)
    }
}

#[tokio::test]
async fn the_bridge_hands_its_store_the_joined_calls_that_save_round_trips() {
    let store = Recording::new();
    let (_fake, bridge) = bridge_on_fake_with(on(&store)).await;
    let event = send_event(PHONE, "730142", "second-factor-authentication", USER);
    assert_eq!(bridge.action(event).await.0, 200);
    let batch = record("gd_auth_succeed", "L1", PHONE, &at(1), USER);
    let (s, body) = bridge.stream(batch).await;
    assert_eq!(
        (s, body["approved_by_sid"].as_u64()),
        (200, Some(1)),
        "{body}"
    );

    // The send: claimed and counted in one call, then settled and remembered in one; the
    // approval: claimed with the number's sends in one call, then settled. The bridge's own
    // wrapper (its store-error metrics) must hand these on as they are, not split them.
    assert_eq!(
        store.calls(),
        [
            "claim_admit",
            "complete_remember",
            "claim_recall",
            "complete"
        ]
    );
}
