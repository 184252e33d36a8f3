//! What an operator sees of the bridge, in process, against wiremock playing Twilio: the
//! metrics after a scripted sequence, readiness with each failing check, secret rotation, and
//! errors that need an operator logged once a minute, not once per event.
#![cfg(feature = "axum")]

mod common;
#[path = "common/bridge.rs"]
mod harness;

use std::time::Duration;

use std::sync::Arc;

use harness::*;
use serde_json::json;
use wiremock::matchers::{body_string_contains, method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

const PHONE: &str = "+14155552671";

fn created(sid_char: char) -> ResponseTemplate {
    ResponseTemplate::new(201)
        .set_body_raw(verification(&sid(sid_char), &at(-20)), "application/json")
}

async fn scrape(bridge: &Running, token: Option<&str>) -> (u16, String) {
    let mut req = bridge.http.get(format!("{}/metrics", bridge.url));
    if let Some(t) = token {
        req = req.header("authorization", format!("Bearer {t}"));
    }
    let resp = req.send().await.expect("metrics");
    let status = resp.status().as_u16();
    (status, resp.text().await.expect("body"))
}

/// The value of the sample of `name` whose labels include every pair of `labels`.
fn sample(text: &str, name: &str, labels: &[(&str, &str)]) -> Option<f64> {
    text.lines()
        .filter(|l| !l.starts_with('#'))
        .filter(|l| l.starts_with(&format!("{name}{{")) || l.starts_with(&format!("{name} ")))
        .find(|l| {
            labels
                .iter()
                .all(|(k, v)| l.contains(&format!("{k}=\"{v}\"")))
        })
        .and_then(|l| l.rsplit(' ').next()?.parse().ok())
}

/// Every label value in the exposition.
fn label_values(text: &str) -> Vec<String> {
    text.lines()
        .filter(|l| !l.starts_with('#'))
        .filter_map(|l| Some(l.split_once('{')?.1.split_once('}')?.0.to_owned()))
        .flat_map(|labels| {
            labels
                .split("\",")
                .filter_map(|pair| {
                    let (key, value) = pair.split_once("=\"")?;
                    // A histogram's bucket bounds are numbers, not data.
                    (key != "le").then(|| value.trim_end_matches('"').to_owned())
                })
                .collect::<Vec<_>>()
        })
        .collect()
}

#[tokio::test]
async fn metrics_count_a_scripted_sequence_without_personal_data_in_labels() {
    let twilio = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path(verifications()))
        .and(body_string_contains("To=%2B12125550123"))
        .respond_with(ResponseTemplate::new(400).set_body_raw(
            r#"{"code": 60200, "message": "Invalid parameter", "status": 400}"#,
            "application/json",
        ))
        .mount(&twilio)
        .await;
    Mock::given(method("POST"))
        .and(path(verifications()))
        .respond_with(created('b'))
        .mount(&twilio)
        .await;
    Mock::given(method("POST"))
        .and(path(format!("{}/{}", verifications(), sid('b'))))
        .respond_with(
            ResponseTemplate::new(200).set_body_raw(approved(&sid('b')), "application/json"),
        )
        .mount(&twilio)
        .await;
    let guard = twilio_verify::guard::GuardConfig::from_lookup(|k| {
        (k == "BRIDGE_LIMIT_PER_RECIPIENT").then(|| "1/1h".to_owned())
    })
    .expect("guard");
    let bridge = serve(&twilio.uri(), config(|c| c.guard = guard), None).await;
    let user = "auth0|65a1b2c3d4e5f60718293a4b";
    // A send, its repeat, a second code refused by the guard, and one Verify refuses.
    for (phone, code, expected) in [
        (PHONE, "111111", 200),
        (PHONE, "111111", 200),
        (PHONE, "222222", 429),
        ("+12125550123", "333333", 502),
    ] {
        let (s, body) = bridge
            .action(send_event(
                phone,
                code,
                "second-factor-authentication",
                user,
            ))
            .await;
        assert_eq!(s, expected, "{body}");
    }
    // The success of that login (approved by SID) and a TOTP success (skipped).
    let totp = json!({"log_id": "T1", "data": {"type": "gd_auth_succeed",
        "details": {"authenticator": {"type": "totp"}}}});
    let batch = format!(
        "{}\n{totp}",
        record("gd_auth_succeed", "L1", PHONE, &at(0), user)
    );
    let (s, body) = bridge.stream(batch).await;
    assert_eq!(
        (s, body["approved_by_sid"].as_u64()),
        (200, Some(1)),
        "{body}"
    );

    let (status, text) = scrape(&bridge, None).await;
    assert_eq!(status, 200);
    let count = |name, labels: &[(&str, &str)]| sample(&text, name, labels).unwrap_or(0.0);
    let send = |outcome| {
        count(
            "bridge_sends_total",
            &[("channel", "sms"), ("outcome", outcome)],
        )
    };
    assert_eq!(
        (
            send("sent"),
            send("repeat"),
            send("refused"),
            send("verify_error")
        ),
        (1.0, 1.0, 1.0, 1.0),
        "{text}"
    );
    assert_eq!(
        count(
            "bridge_guard_refusals_total",
            &[("rule", "recipient_limit")]
        ),
        1.0
    );
    assert_eq!(
        count("bridge_approvals_total", &[("outcome", "by_sid")]),
        1.0
    );
    assert_eq!(
        count(
            "bridge_skipped_events_total",
            &[("reason", "non_phone_factor")]
        ),
        1.0
    );
    let calls = |operation, status, code| {
        count(
            "bridge_twilio_calls_total",
            &[("operation", operation), ("status", status), ("code", code)],
        )
    };
    assert_eq!(calls("CreateVerification", "2xx", "none"), 1.0, "{text}");
    assert_eq!(calls("CreateVerification", "400", "60200"), 1.0, "{text}");
    assert_eq!(calls("UpdateVerification", "2xx", "none"), 1.0, "{text}");
    assert_eq!(
        count(
            "bridge_twilio_call_duration_seconds_count",
            &[("operation", "CreateVerification")]
        ),
        2.0
    );
    assert_eq!(
        count(
            "bridge_http_requests_total",
            &[("route", "/auth0/send-phone-message"), ("status", "200")]
        ),
        2.0
    );
    assert_eq!(
        count(
            "bridge_http_request_duration_seconds_count",
            &[("route", "/auth0/log-stream")]
        ),
        1.0
    );
    assert_eq!(
        count(
            "bridge_build_info",
            &[("version", env!("CARGO_PKG_VERSION"))]
        ),
        1.0
    );
    assert!(text.contains("bridge_claims_waiting 0"), "{text}");

    let values = label_values(&text);
    assert!(!values.is_empty());
    for v in &values {
        let digits = v.chars().filter(char::is_ascii_digit).count();
        let phone_like = v.starts_with('+') || digits >= 7;
        let sid_like = v.len() == 34 && v.chars().skip(2).all(|c| c.is_ascii_hexdigit());
        assert!(!phone_like && !sid_like, "label value {v}");
        for leak in ["auth0|", "L1", "T1", "111111"] {
            assert_ne!(v, leak);
        }
    }
}

#[tokio::test]
async fn metrics_behind_a_token_refuse_without_it() {
    let twilio = MockServer::start().await;
    let bridge = serve(
        &twilio.uri(),
        config(|c| c.metrics_token = Some("scrape-token".to_owned().into())),
        None,
    )
    .await;
    assert_eq!(scrape(&bridge, None).await.0, 401);
    assert_eq!(scrape(&bridge, Some("wrong")).await.0, 401);
    let (s, text) = scrape(&bridge, Some("scrape-token")).await;
    assert_eq!(s, 200);
    assert!(text.contains("bridge_build_info"));
}

fn service(custom_codes: bool) -> ResponseTemplate {
    ResponseTemplate::new(200).set_body_raw(
        json!({"sid": common::SERVICE_SID, "friendly_name": "Acme", "custom_code_enabled": custom_codes})
            .to_string(),
        "application/json",
    )
}

async fn ready(bridge: &Running) -> (u16, serde_json::Value) {
    let resp = bridge
        .http
        .get(format!("{}/readyz", bridge.url))
        .send()
        .await
        .expect("readyz");
    let s = resp.status().as_u16();
    (
        s,
        serde_json::from_str(&resp.text().await.expect("body")).expect("json"),
    )
}

#[tokio::test]
async fn readyz_names_each_failing_check() {
    let service_path = format!("/v2/Services/{}", common::SERVICE_SID);
    for (answer, failing) in [
        (service(true), None),
        (service(false), Some("custom_codes")),
        (
            ResponseTemplate::new(401).set_body_raw(
                r#"{"code": 20003, "message": "Authenticate", "status": 401}"#,
                "application/json",
            ),
            Some("twilio_credentials"),
        ),
        (
            ResponseTemplate::new(404).set_body_raw(
                r#"{"code": 20404, "message": "not found", "status": 404}"#,
                "application/json",
            ),
            Some("verify_service"),
        ),
        (ResponseTemplate::new(500), Some("twilio_reachable")),
    ] {
        let twilio = MockServer::start().await;
        Mock::given(method("GET"))
            .and(path(&service_path))
            .respond_with(answer)
            .expect(1)
            .mount(&twilio)
            .await;
        let bridge = serve(&twilio.uri(), config(|_| {}), None).await;
        let (s, body) = ready(&bridge).await;
        match failing {
            None => {
                assert_eq!(s, 200, "{body}");
                assert_eq!(body["ready"], true);
            }
            Some(check) => {
                assert_eq!(s, 503, "{check}: {body}");
                assert_eq!(body["failing"], json!([check]), "{body}");
            }
        }
        // A second probe within the cache makes no Twilio call (wiremock checks `expect(1)`).
        assert_eq!(ready(&bridge).await.0, s);
        let text = body.to_string();
        for secret in [common::AUTH_TOKEN, ACTION_SECRET, STREAM_TOKEN] {
            assert!(!text.contains(secret), "{text}");
        }
    }
}

#[tokio::test]
async fn readyz_fails_on_a_store_that_is_down_and_counts_its_errors() {
    let twilio = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(service(true))
        .mount(&twilio)
        .await;
    let bridge = serve(&twilio.uri(), config(|_| {}), on(&Down)).await;
    let (s, body) = ready(&bridge).await;
    assert_eq!(s, 503, "{body}");
    assert_eq!(body["failing"], json!(["store"]), "{body}");
    let (_, text) = scrape(&bridge, None).await;
    assert_eq!(
        sample(&text, "bridge_store_errors_total", &[("operation", "ping")]),
        Some(1.0)
    );
}

#[tokio::test]
async fn both_tokens_work_while_rotating() {
    let twilio = MockServer::start().await;
    Mock::given(method("POST"))
        .respond_with(created('b'))
        .mount(&twilio)
        .await;
    let bridge = serve(
        &twilio.uri(),
        config(|c| {
            c.action_secret_next = Some("next-action-secret".to_owned().into());
            c.log_stream_token_next = Some(twilio_verify::auth0::LogStreamToken::new(
                "Bearer next-stream",
            ));
        }),
        None,
    )
    .await;
    let event = send_event(PHONE, "111111", "second-factor-authentication", "auth0|u");
    for (auth, expected) in [
        (format!("Bearer {ACTION_SECRET}"), 200),
        ("Bearer next-action-secret".to_owned(), 200),
        ("Bearer other".to_owned(), 401),
    ] {
        let (s, _) = bridge
            .post("/auth0/send-phone-message", Some(&auth), event.clone())
            .await;
        assert_eq!(s, expected, "{auth}");
    }
    let skip = r#"{"log_id": "s1", "data": {"type": "s"}}"#;
    for (auth, expected) in [
        (STREAM_TOKEN, 200),
        ("Bearer next-stream", 200),
        ("Bearer stale", 401),
    ] {
        let (s, _) = bridge.post("/auth0/log-stream", Some(auth), skip).await;
        assert_eq!(s, expected, "{auth}");
    }
}

#[tokio::test]
async fn a_send_cut_short_by_the_request_timeout_still_records_its_outcome() {
    let twilio = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path(verifications()))
        .respond_with(created('b').set_delay(Duration::from_secs(2)))
        .expect(1)
        .mount(&twilio)
        .await;
    let bridge = serve(
        &twilio.uri(),
        config(|c| c.request_timeout = Duration::from_millis(500)),
        None,
    )
    .await;
    let event = send_event(PHONE, "111111", "second-factor-authentication", "auth0|u");
    let (s, _) = bridge.action(event.clone()).await;
    assert_eq!(s, 503, "the request timeout answered");
    // The send went on in the background and recorded its verification: Auth0's retry gets it
    // back without a second call.
    tokio::time::sleep(Duration::from_millis(2000)).await;
    let (s, body) = bridge.action(event).await;
    assert_eq!((s, body["repeat"].as_bool()), (200, Some(true)), "{body}");
    let (_, text) = scrape(&bridge, None).await;
    assert_eq!(
        sample(
            &text,
            "bridge_http_requests_total",
            &[("route", "/auth0/send-phone-message"), ("status", "503")]
        ),
        Some(1.0),
        "the timeout is counted: {text}"
    );
}

#[tokio::test]
async fn probes_are_answered_while_every_auth0_slot_is_busy() {
    let twilio = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path(verifications()))
        .respond_with(created('b').set_delay(Duration::from_millis(1500)))
        .mount(&twilio)
        .await;
    let bridge = Arc::new(serve(&twilio.uri(), config(|c| c.max_concurrency = 1), None).await);
    let busy = {
        let b = bridge.clone();
        tokio::spawn(async move {
            b.action(send_event(
                PHONE,
                "111111",
                "second-factor-authentication",
                "auth0|u",
            ))
            .await
        })
    };
    tokio::time::sleep(Duration::from_millis(200)).await;
    // The one slot is taken: a second send waits, but liveness answers at once.
    let second = {
        let b = bridge.clone();
        tokio::spawn(async move {
            let started = std::time::Instant::now();
            let r = b
                .action(send_event(
                    PHONE,
                    "222222",
                    "second-factor-authentication",
                    "auth0|u",
                ))
                .await;
            (r, started.elapsed())
        })
    };
    let started = std::time::Instant::now();
    let health = bridge
        .http
        .get(format!("{}/healthz", bridge.url))
        .send()
        .await
        .expect("healthz");
    assert_eq!(health.status().as_u16(), 200);
    assert!(
        started.elapsed() < Duration::from_millis(500),
        "{:?}",
        started.elapsed()
    );
    assert_eq!(busy.await.expect("task").0, 200);
    let ((s, _), waited) = second.await.expect("task");
    assert_eq!(s, 200);
    assert!(
        waited >= Duration::from_millis(1000),
        "it waited for the slot: {waited:?}"
    );
}
