//! The bridge's delivery guarantees on the memory store, against wiremock playing Verify:
//! approval by SID, enrollments, the matching rules, every loss path of the feedback half, and
//! the idempotent send half. Each test counts the exact Verify calls.
#![cfg(feature = "axum")]

mod common;
#[path = "common/bridge.rs"]
mod harness;

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use common::hits;
use harness::*;
use wiremock::matchers::{body_string, method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

const USER: &str = "auth0|65a1b2c3d4e5f60718293a4b";
const PHONE: &str = "+14155550134";

fn create_answers(sid: &str, created: &str) -> Mock {
    Mock::given(method("POST"))
        .and(path(verifications()))
        .respond_with(
            ResponseTemplate::new(201).set_body_raw(verification(sid, created), "application/json"),
        )
}

async fn bridge(twilio: &MockServer) -> Running {
    serve(&twilio.uri(), config(|_| {}), None).await
}

#[tokio::test]
async fn a_login_is_approved_by_the_sid_its_send_started() {
    let twilio = MockServer::start().await;
    create_answers(&sid('b'), &at(-20))
        .expect(1)
        .mount(&twilio)
        .await;
    approval_of(&sid('b'))
        .respond_with(answer(200, approved(&sid('b'))))
        .expect(1)
        .mount(&twilio)
        .await;
    let bridge = bridge(&twilio).await;
    let (s, body) = bridge
        .action(send_event(
            PHONE,
            "730142",
            "second-factor-authentication",
            USER,
        ))
        .await;
    assert_eq!(
        (s, body["sid"].as_str()),
        (200, Some(sid('b').as_str())),
        "{body}"
    );
    let (s, body) = bridge
        .stream(record(
            "gd_auth_succeed",
            "L1",
            "+1 415-555-0134",
            &at(0),
            USER,
        ))
        .await;
    assert_eq!(s, 200, "{body}");
    assert_eq!(body["approved_by_sid"], 1, "{body}");
    assert_eq!(body["approved_by_phone"], 0, "{body}");
}

#[tokio::test]
async fn an_enrollment_is_approved_by_sid() {
    let twilio = MockServer::start().await;
    create_answers(&sid('e'), &at(-30))
        .expect(1)
        .mount(&twilio)
        .await;
    approval_of(&sid('e'))
        .respond_with(answer(200, approved(&sid('e'))))
        .expect(1)
        .mount(&twilio)
        .await;
    let bridge = bridge(&twilio).await;
    let (s, _) = bridge
        .action(send_event(PHONE, "551209", "enrollment", USER))
        .await;
    assert_eq!(s, 200);
    let (s, body) = bridge
        .stream(record("gd_enrollment_complete", "E1", PHONE, &at(-1), USER))
        .await;
    assert_eq!(s, 200, "{body}");
    assert_eq!(body["targets"], 1, "{body}");
    assert_eq!(body["approved_by_sid"], 1, "{body}");
}

#[tokio::test]
async fn a_verification_created_after_the_event_is_never_approved_by_it() {
    let twilio = MockServer::start().await;
    // The first login's code went out two minutes ago; a later, abandoned login's 10 s ago.
    Mock::given(method("POST"))
        .and(path(verifications()))
        .and(body_string(
            "To=%2B14155550134&Channel=sms&CustomCode=111111",
        ))
        .respond_with(answer(201, verification(&sid('b'), &at(-120))))
        .expect(1)
        .mount(&twilio)
        .await;
    Mock::given(method("POST"))
        .and(path(verifications()))
        .and(body_string(
            "To=%2B14155550134&Channel=sms&CustomCode=222222",
        ))
        .respond_with(answer(201, verification(&sid('c'), &at(-10))))
        .expect(1)
        .mount(&twilio)
        .await;
    approval_of(&sid('b'))
        .respond_with(answer(200, approved(&sid('b'))))
        .expect(1)
        .mount(&twilio)
        .await;
    approval_of(&sid('c'))
        .respond_with(answer(200, approved(&sid('c'))))
        .expect(0)
        .mount(&twilio)
        .await;
    approval_of(PHONE)
        .respond_with(answer(200, approved(&sid('c'))))
        .expect(0)
        .mount(&twilio)
        .await;
    let bridge = bridge(&twilio).await;
    for code in ["111111", "222222"] {
        let (s, _) = bridge
            .action(send_event(
                PHONE,
                code,
                "second-factor-authentication",
                USER,
            ))
            .await;
        assert_eq!(s, 200);
    }
    // The success of the first login arrives late (a redelivery, say).
    let (s, body) = bridge
        .stream(record("gd_auth_succeed", "L2", PHONE, &at(-60), USER))
        .await;
    assert_eq!(s, 200, "{body}");
    assert_eq!(body["approved_by_sid"], 1, "{body}");
}

#[tokio::test]
async fn remembered_sends_that_do_not_fit_settle_the_target_without_a_call() {
    let twilio = MockServer::start().await;
    create_answers(&sid('b'), &at(-20))
        .expect(1)
        .mount(&twilio)
        .await;
    let bridge = bridge(&twilio).await;
    let (s, _) = bridge
        .action(send_event(
            PHONE,
            "730142",
            "second-factor-authentication",
            USER,
        ))
        .await;
    assert_eq!(s, 200);
    // An event from before the send, and one of another user: nothing of theirs is pending.
    let batch = format!(
        "{}\n{}",
        record("gd_auth_succeed", "N1", PHONE, &at(-300), USER),
        record("gd_auth_succeed", "N2", PHONE, &at(0), "auth0|someone-else")
    );
    let (s, body) = bridge.stream(batch).await;
    assert_eq!(s, 200, "{body}");
    assert_eq!(body["no_match"], 2, "{body}");
    assert_eq!(hits(&twilio).await, 1, "only the send reached Verify");
}

#[tokio::test]
async fn a_number_with_nothing_remembered_is_approved_by_phone() {
    let twilio = MockServer::start().await;
    approval_of(PHONE)
        .respond_with(answer(200, approved(&sid('a'))))
        .expect(1)
        .mount(&twilio)
        .await;
    let bridge = bridge(&twilio).await;
    let (s, body) = bridge.stream(success("P1", PHONE)).await;
    assert_eq!(s, 200, "{body}");
    assert_eq!(body["approved_by_phone"], 1, "{body}");
    assert_eq!(body["approved"], 1, "{body}");
}

#[tokio::test]
async fn a_redelivery_during_a_failing_approval_is_not_answered_2xx_for_it() {
    let twilio = MockServer::start().await;
    // The first delivery's approval fails slowly with a retryable 503; then Verify recovers.
    approval_of(PHONE)
        .respond_with(ResponseTemplate::new(503).set_delay(Duration::from_millis(700)))
        .up_to_n_times(1)
        .expect(1)
        .mount(&twilio)
        .await;
    approval_of(PHONE)
        .respond_with(answer(200, approved(&sid('a'))))
        .expect(1)
        .mount(&twilio)
        .await;
    let bridge = Arc::new(bridge(&twilio).await);
    let first = {
        let b = bridge.clone();
        tokio::spawn(async move { b.stream(success("R1", PHONE)).await })
    };
    tokio::time::sleep(Duration::from_millis(150)).await;
    let (s2, body2) = bridge.stream(success("R1", PHONE)).await;
    let (s1, body1) = first.await.expect("first");
    assert_eq!(s1, 503, "{body1}");
    assert_eq!(body1["failed"]["kinds"]["server"], 1, "{body1}");
    assert_eq!(body1["unsettled"][0], "R1", "{body1}");
    // The redelivery waited for the claim, found it released, and approved itself.
    assert_eq!(s2, 200, "{body2}");
    assert_eq!(body2["approved"], 1, "{body2}");
    assert_eq!(body2["already_done"], 0, "{body2}");
}

#[tokio::test]
async fn a_redelivery_during_a_successful_approval_reports_it_done_after_it_is() {
    let twilio = MockServer::start().await;
    approval_of(PHONE)
        .respond_with(answer(200, approved(&sid('a'))).set_delay(Duration::from_millis(600)))
        .expect(1)
        .mount(&twilio)
        .await;
    let bridge = Arc::new(bridge(&twilio).await);
    let started = Instant::now();
    let first = {
        let b = bridge.clone();
        tokio::spawn(async move { b.stream(success("R2", PHONE)).await })
    };
    tokio::time::sleep(Duration::from_millis(100)).await;
    let (s2, body2) = bridge.stream(success("R2", PHONE)).await;
    let waited = started.elapsed();
    let (s1, body1) = first.await.expect("first");
    assert_eq!((s1, body1["approved"].as_u64()), (200, Some(1)), "{body1}");
    assert_eq!(
        (s2, body2["already_done"].as_u64()),
        (200, Some(1)),
        "{body2}"
    );
    assert!(
        waited >= Duration::from_millis(600),
        "answered before the approval: {waited:?}"
    );
}

#[tokio::test]
async fn a_claim_held_past_the_wait_bound_asks_for_redelivery() {
    let twilio = MockServer::start().await;
    approval_of(PHONE)
        .respond_with(answer(200, approved(&sid('a'))).set_delay(Duration::from_millis(1500)))
        .expect(1)
        .mount(&twilio)
        .await;
    let bridge = Arc::new(
        serve(
            &twilio.uri(),
            config(|c| c.claim_wait = Duration::from_millis(200)),
            None,
        )
        .await,
    );
    let first = {
        let b = bridge.clone();
        tokio::spawn(async move { b.stream(success("W1", PHONE)).await })
    };
    tokio::time::sleep(Duration::from_millis(100)).await;
    let (s2, body2) = bridge.stream(success("W1", PHONE)).await;
    assert_eq!(s2, 503, "{body2}");
    assert_eq!(body2["failed"]["kinds"]["claim_wait"], 1, "{body2}");
    let (s1, _) = first.await.expect("first");
    assert_eq!(s1, 200);
    let (s3, body3) = bridge.stream(success("W1", PHONE)).await;
    assert_eq!(
        (s3, body3["already_done"].as_u64()),
        (200, Some(1)),
        "{body3}"
    );
}

#[tokio::test]
async fn credential_and_permission_failures_ask_for_redelivery() {
    let twilio = MockServer::start().await;
    let refused = r#"{"code": 20003, "message": "Authenticate", "more_info": "https://www.twilio.com/docs/errors/20003", "status": 401}"#;
    approval_of("+14155550001")
        .respond_with(answer(401, refused.to_owned()))
        .up_to_n_times(1)
        .expect(1)
        .mount(&twilio)
        .await;
    approval_of("+14155550002")
        .respond_with(answer(
            403,
            r#"{"code": 20403, "message": "Forbidden", "status": 403}"#.into(),
        ))
        .up_to_n_times(1)
        .expect(1)
        .mount(&twilio)
        .await;
    for n in ["+14155550001", "+14155550002"] {
        approval_of(n)
            .respond_with(answer(200, approved(&sid('a'))))
            .expect(1)
            .mount(&twilio)
            .await;
    }
    let bridge = bridge(&twilio).await;
    let batch = format!(
        "{}\n{}",
        success("C1", "+14155550001"),
        success("C2", "+14155550002")
    );
    let (s, body) = bridge.stream(batch.clone()).await;
    assert_eq!(s, 503, "{body}");
    assert_eq!(body["failed"]["kinds"]["auth"], 2, "{body}");
    assert_eq!(body["failed"]["permanent"], 0, "{body}");
    // The token is rotated; Auth0 delivers again and nothing was lost.
    let (s, body) = bridge.stream(batch).await;
    assert_eq!(s, 200, "{body}");
    assert_eq!(body["approved"], 2, "{body}");
}

#[tokio::test]
async fn a_permanent_refusal_is_answered_2xx_and_counted() {
    let twilio = MockServer::start().await;
    approval_of(PHONE)
        .respond_with(answer(
            400,
            r#"{"code": 60200, "message": "Invalid parameter", "status": 400}"#.into(),
        ))
        .expect(1)
        .mount(&twilio)
        .await;
    let bridge = bridge(&twilio).await;
    let (s, body) = bridge.stream(success("X1", PHONE)).await;
    assert_eq!(s, 200, "{body}");
    assert_eq!(body["failed"]["permanent"], 1, "{body}");
    assert_eq!(body["failed"]["kinds"]["refused"], 1, "{body}");
    assert_eq!(body["refused"][0], "X1", "{body}");
    assert!(
        bridge.logs().iter().any(|l| l.contains("refused=X1")),
        "the refused log id is logged: {:?}",
        bridge.logs()
    );
    // A redelivery does not try again, and does not call the refusal an approval either.
    let (s, body) = bridge.stream(success("X1", PHONE)).await;
    assert_eq!(s, 200, "{body}");
    assert_eq!(body["failed"]["permanent"], 1, "{body}");
    assert_eq!(body["already_done"], 0, "{body}");
    assert_eq!(body["approved"], 0, "{body}");
}

#[tokio::test]
async fn a_rate_limited_approval_asks_for_redelivery() {
    let twilio = MockServer::start().await;
    approval_of(PHONE)
        .respond_with(answer(
            429,
            r#"{"code": 20429, "message": "Too Many Requests", "status": 429}"#.into(),
        ))
        .mount(&twilio)
        .await;
    let bridge = bridge(&twilio).await;
    let (s, body) = bridge.stream(success("Q1", PHONE)).await;
    assert_eq!(s, 503, "{body}");
    assert_eq!(body["failed"]["kinds"]["rate_limited"], 1, "{body}");
    // The client's own policy tried three times (a 20429 was never processed), no more.
    assert_eq!(hits(&twilio).await, 3);
}

#[tokio::test]
async fn a_404_without_a_twilio_code_asks_for_redelivery() {
    let twilio = MockServer::start().await;
    approval_of(PHONE)
        .respond_with(ResponseTemplate::new(404).set_body_string("<html>no such route</html>"))
        .expect(1)
        .mount(&twilio)
        .await;
    let bridge = bridge(&twilio).await;
    let (s, body) = bridge.stream(success("F1", PHONE)).await;
    assert_eq!(
        s, 503,
        "a proxy or a wrong base URL is not 'nothing pending': {body}"
    );
    assert_eq!(body["nothing_pending"], 0, "{body}");
}

#[tokio::test]
async fn an_approval_that_outlasts_its_bound_asks_for_redelivery_and_then_settles() {
    let twilio = MockServer::start().await;
    approval_of(PHONE)
        .respond_with(answer(200, approved(&sid('a'))).set_delay(Duration::from_secs(3)))
        .up_to_n_times(1)
        .expect(1)
        .mount(&twilio)
        .await;
    approval_of(PHONE)
        .respond_with(answer(200, approved(&sid('a'))))
        .expect(1)
        .mount(&twilio)
        .await;
    // Claims live 1 s, so a call may take at most 750 ms.
    let bridge = serve(
        &twilio.uri(),
        config(|c| c.claim_ttl = Duration::from_secs(1)),
        None,
    )
    .await;
    let started = Instant::now();
    let (s, body) = bridge.stream(success("T1", PHONE)).await;
    assert!(
        started.elapsed() < Duration::from_secs(2),
        "{:?}",
        started.elapsed()
    );
    assert_eq!(s, 503, "{body}");
    assert_eq!(body["failed"]["kinds"]["timeout"], 1, "{body}");
    let (s, body) = bridge.stream(success("T1", PHONE)).await;
    assert_eq!((s, body["approved"].as_u64()), (200, Some(1)), "{body}");
}

/// A Twilio that reads each request and hangs up without answering; counts the connections.
async fn hanging_up() -> (String, Arc<AtomicUsize>) {
    use tokio::io::AsyncReadExt as _;
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind");
    let url = format!("http://{}", listener.local_addr().expect("addr"));
    let seen = Arc::new(AtomicUsize::new(0));
    let count = seen.clone();
    tokio::spawn(async move {
        while let Ok((mut socket, _)) = listener.accept().await {
            count.fetch_add(1, Ordering::SeqCst);
            let mut buf = [0u8; 4096];
            let _ = socket.read(&mut buf).await;
            drop(socket);
        }
    });
    (url, seen)
}

#[tokio::test]
async fn a_broken_connection_asks_for_redelivery_and_is_not_resent() {
    let (url, seen) = hanging_up().await;
    let bridge = serve(&url, config(|_| {}), None).await;
    let (s, body) = bridge.stream(success("H1", PHONE)).await;
    assert_eq!(s, 503, "{body}");
    assert_eq!(body["failed"]["kinds"]["transport"], 1, "{body}");
    assert_eq!(
        seen.load(Ordering::SeqCst),
        1,
        "a POST that reached Twilio is not resent"
    );
}

#[tokio::test]
async fn a_send_cut_short_by_its_bound_is_never_sent_again() {
    let twilio = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path(verifications()))
        .respond_with(
            answer(201, verification(&sid('b'), &at(-1))).set_delay(Duration::from_secs(3)),
        )
        .mount(&twilio)
        .await;
    let bridge = serve(
        &twilio.uri(),
        config(|c| c.claim_ttl = Duration::from_secs(1)),
        None,
    )
    .await;
    let event = send_event(PHONE, "730142", "second-factor-authentication", USER);
    let (s, body) = bridge.action(event.clone()).await;
    assert_eq!(
        (s, body["outcome"].as_str()),
        (504, Some("unknown")),
        "{body}"
    );
    // Long after the claim's TTL, a repeat is still refused without a call.
    tokio::time::sleep(Duration::from_millis(1200)).await;
    let (s, body) = bridge.action(event).await;
    assert_eq!((s, body["repeat"].as_bool()), (504, Some(true)), "{body}");
    assert_eq!(hits(&twilio).await, 1);
}

/// A Verify that answers every approval after `delay`, counting how many run at once.
async fn slow_verify(delay: Duration) -> (String, Arc<AtomicUsize>, Arc<AtomicUsize>) {
    let (now, peak) = (Arc::new(AtomicUsize::new(0)), Arc::new(AtomicUsize::new(0)));
    let state = (now.clone(), peak.clone());
    let body = approved(&sid('a'));
    let app = axum::Router::new()
        .fallback(
            move |axum::extract::State((now, peak)): axum::extract::State<(
                Arc<AtomicUsize>,
                Arc<AtomicUsize>,
            )>| {
                let body = body.clone();
                async move {
                    let running = now.fetch_add(1, Ordering::SeqCst) + 1;
                    peak.fetch_max(running, Ordering::SeqCst);
                    tokio::time::sleep(delay).await;
                    now.fetch_sub(1, Ordering::SeqCst);
                    (
                        [(axum::http::header::CONTENT_TYPE, "application/json")],
                        body,
                    )
                }
            },
        )
        .with_state(state);
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind");
    let url = format!("http://{}", listener.local_addr().expect("addr"));
    tokio::spawn(async move { axum::serve(listener, app).await.expect("serve") });
    (url, now, peak)
}

#[tokio::test]
async fn a_batch_of_100_targets_is_approved_8_at_a_time() {
    let (url, _, peak) = slow_verify(Duration::from_millis(200)).await;
    let bridge = serve(&url, config(|_| {}), None).await;
    let batch: Vec<String> = (0..100)
        .map(|i| success(&format!("B{i}"), &format!("+1415555{i:04}")))
        .collect();
    let started = Instant::now();
    let (s, body) = bridge.stream(batch.join("\n")).await;
    let took = started.elapsed();
    assert_eq!(s, 200, "{body}");
    assert_eq!(body["approved"], 100, "{body}");
    assert_eq!(peak.load(Ordering::SeqCst), 8, "the concurrency bound");
    // One after another this is 20 s; eight at a time about 2.5 s.
    assert!(took < Duration::from_secs(10), "{took:?}");
}

#[tokio::test]
async fn a_repeated_send_reaches_verify_once() {
    let twilio = MockServer::start().await;
    create_answers(&sid('b'), &at(-1))
        .expect(2)
        .mount(&twilio)
        .await;
    let bridge = Arc::new(bridge(&twilio).await);
    let event = send_event(PHONE, "730142", "second-factor-authentication", USER);
    // Eight copies at once (an Action retried while the first was still sending).
    let mut tasks = Vec::new();
    for _ in 0..8 {
        let (b, e) = (bridge.clone(), event.clone());
        tasks.push(tokio::spawn(async move { b.action(e).await }));
    }
    let mut repeats = 0;
    for t in tasks {
        let (s, body) = t.await.expect("task");
        assert_eq!(s, 200, "{body}");
        assert_eq!(body["sid"], sid('b').as_str(), "{body}");
        repeats += usize::from(body["repeat"] == true);
    }
    assert_eq!(repeats, 7);
    // Later, the same again: a repeat, still no call.
    let (s, body) = bridge.action(event.clone()).await;
    assert_eq!((s, body["repeat"].as_bool()), (200, Some(true)), "{body}");
    assert_eq!(hits(&twilio).await, 1);
    // A different code to the same number is a new send.
    let (s, body) = bridge
        .action(send_event(
            PHONE,
            "730143",
            "second-factor-authentication",
            USER,
        ))
        .await;
    assert_eq!((s, body["repeat"].as_bool()), (200, Some(false)), "{body}");
    assert_eq!(hits(&twilio).await, 2);
    let logs = bridge.logs().join("\n");
    for leak in ["730142", "5550134"] {
        assert!(!logs.contains(leak), "{leak} in {logs}");
    }
}

#[tokio::test]
async fn a_send_whose_outcome_is_unknown_is_never_sent_again() {
    let twilio = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path(verifications()))
        .respond_with(ResponseTemplate::new(500))
        .expect(1)
        .mount(&twilio)
        .await;
    let bridge = bridge(&twilio).await;
    let event = send_event(PHONE, "730142", "second-factor-authentication", USER);
    let (s, body) = bridge.action(event.clone()).await;
    assert_eq!(s, 502, "{body}");
    assert_eq!(body["outcome"], "unknown", "{body}");
    assert_eq!(body["retry"], false, "{body}");
    let (s, body) = bridge.action(event).await;
    assert_eq!(s, 504, "{body}");
    assert_eq!(body["repeat"], true, "{body}");
    assert_eq!(hits(&twilio).await, 1, "the repeat sent nothing");
}

#[tokio::test]
async fn a_definite_refusal_can_be_sent_again() {
    let twilio = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path(verifications()))
        .respond_with(answer(
            401,
            r#"{"code": 20003, "message": "Authenticate", "status": 401}"#.into(),
        ))
        .up_to_n_times(1)
        .expect(1)
        .mount(&twilio)
        .await;
    create_answers(&sid('b'), &at(-1))
        .expect(1)
        .mount(&twilio)
        .await;
    let bridge = bridge(&twilio).await;
    let event = send_event(PHONE, "730142", "second-factor-authentication", USER);
    let (s, body) = bridge.action(event.clone()).await;
    assert_eq!((s, body["retry"].as_bool()), (502, Some(true)), "{body}");
    let (s, body) = bridge.action(event).await;
    assert_eq!((s, body["repeat"].as_bool()), (200, Some(false)), "{body}");
}

#[tokio::test]
async fn a_store_that_is_down_gets_503_and_no_verify_call() {
    let twilio = MockServer::start().await;
    let bridge = serve(&twilio.uri(), config(|_| {}), on(&Down)).await;
    let (s, body) = bridge
        .action(send_event(
            PHONE,
            "730142",
            "second-factor-authentication",
            USER,
        ))
        .await;
    assert_eq!((s, body["retry"].as_bool()), (503, Some(true)), "{body}");
    let (s, body) = bridge.stream(success("D1", PHONE)).await;
    assert_eq!(s, 503, "{body}");
    assert_eq!(body["failed"]["kinds"]["store"], 1, "{body}");
    let health = bridge
        .http
        .get(format!("{}/healthz", bridge.url))
        .send()
        .await
        .expect("healthz");
    assert_eq!(health.status().as_u16(), 200);
    assert_eq!(hits(&twilio).await, 0);
}
