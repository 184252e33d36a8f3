//! The bridge handlers, served in-process, against wiremock playing Twilio.
#![cfg(feature = "axum")]

mod common;

use std::sync::{Arc, Mutex};

use common::{ACCOUNT_SID, AUTH_TOKEN, SERVICE_SID, fixture, forbid_calls, hits};
use serde_json::Value;
use twilio_verify::Client;
use twilio_verify::auth0::LogStreamToken;
use twilio_verify::bridge::{Bridge, BridgeConfig};
use wiremock::matchers::{body_string, method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

const ACTION_SECRET: &str = "action-secret-5d1c";
const STREAM_TOKEN: &str = "Bearer stream-token-9e2b";

struct Running {
    url: String,
    logs: Arc<Mutex<Vec<String>>>,
    http: reqwest::Client,
}

impl Running {
    async fn post(&self, route: &str, auth: Option<&str>, body: impl Into<String>) -> (u16, Value) {
        let mut req = self
            .http
            .post(format!("{}{route}", self.url))
            .body(body.into());
        if let Some(a) = auth {
            req = req.header("authorization", a);
        }
        let resp = req.send().await.expect("bridge answers");
        let status = resp.status().as_u16();
        let text = resp.text().await.expect("body");
        (
            status,
            serde_json::from_str(&text).unwrap_or(Value::String(text)),
        )
    }

    async fn action(&self, body: impl Into<String>) -> (u16, Value) {
        let auth = format!("Bearer {ACTION_SECRET}");
        self.post("/auth0/send-phone-message", Some(&auth), body)
            .await
    }

    async fn stream(&self, body: impl Into<String>) -> (u16, Value) {
        self.post("/auth0/log-stream", Some(STREAM_TOKEN), body)
            .await
    }

    fn logs(&self) -> Vec<String> {
        self.logs.lock().expect("logs").clone()
    }
}

async fn start(twilio: &MockServer, max_body: Option<usize>) -> Running {
    let client = Client::builder()
        .auth_token(ACCOUNT_SID, AUTH_TOKEN)
        .base_url(twilio.uri())
        .build()
        .expect("client");
    let mut config = BridgeConfig::new(
        SERVICE_SID.parse().expect("sid"),
        LogStreamToken::new(STREAM_TOKEN),
        ACTION_SECRET,
    );
    if let Some(m) = max_body {
        config.max_body_bytes = m;
    }
    let logs = Arc::new(Mutex::new(Vec::new()));
    let sink = logs.clone();
    let app = Bridge::new(client, config)
        .with_logger(move |line| sink.lock().expect("logs").push(line.to_owned()))
        .router();
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind");
    let url = format!("http://{}", listener.local_addr().expect("addr"));
    tokio::spawn(async move {
        axum::serve(listener, app).await.expect("serve");
    });
    Running {
        url,
        logs,
        http: reqwest::Client::new(),
    }
}

fn verifications() -> String {
    format!("/v2/Services/{SERVICE_SID}/Verifications")
}

fn approval(phone: &str, status: u16, body: String) -> Mock {
    Mock::given(method("POST"))
        .and(path(format!("{}/{phone}", verifications())))
        .and(body_string("Status=approved"))
        .respond_with(ResponseTemplate::new(status).set_body_raw(body, "application/json"))
}

fn approved_body() -> String {
    fixture("verify/verification_approved.json")
}

fn gone_body() -> String {
    r#"{"code": 20404, "message": "The requested resource was not found", "status": 404}"#
        .to_owned()
}

fn success_record(log_id: &str, phone: &str) -> String {
    format!(
        r#"{{"log_id": "{log_id}", "data": {{"log_id": "{log_id}", "type": "gd_auth_succeed", "date": "2024-01-15T10:30:00.000Z", "details": {{"authenticator": {{"type": "sms", "phone_number": "{phone}"}}}}}}}}"#
    )
}

fn other_record(log_id: &str) -> String {
    format!(r#"{{"log_id": "{log_id}", "data": {{"log_id": "{log_id}", "type": "s"}}}}"#)
}

#[tokio::test]
async fn send_phone_message_trigger_starts_a_custom_code_verification() {
    let twilio = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path(verifications()))
        .and(body_string(
            "To=%2B14155550134&Channel=sms&Locale=es&CustomCode=730142",
        ))
        .respond_with(
            ResponseTemplate::new(201)
                .set_body_raw(fixture("verify/verification_sms.json"), "application/json"),
        )
        .expect(1)
        .mount(&twilio)
        .await;
    let bridge = start(&twilio, None).await;
    let (status, body) = bridge
        .action(fixture("auth0/send_phone_message_event.json"))
        .await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["sid"], "VEaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa");
    assert_eq!(body["status"], "pending");
    let logs = bridge.logs().join("\n");
    for leak in ["730142", "5550134", ACTION_SECRET] {
        assert!(!logs.contains(leak), "{leak} in {logs}");
    }
}

#[tokio::test]
async fn custom_phone_provider_trigger_starts_a_call() {
    let twilio = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path(verifications()))
        .and(body_string(
            "To=%2B447700900123&Channel=call&Locale=en-GB&CustomCode=551209",
        ))
        .respond_with(
            ResponseTemplate::new(201)
                .set_body_raw(fixture("verify/verification_sms.json"), "application/json"),
        )
        .expect(1)
        .mount(&twilio)
        .await;
    let bridge = start(&twilio, None).await;
    let (status, _) = bridge
        .action(fixture("auth0/custom_phone_provider_otp.json"))
        .await;
    assert_eq!(status, 200);
}

#[tokio::test]
async fn wrong_secrets_and_bad_events_make_no_verify_call() {
    let twilio = MockServer::start().await;
    forbid_calls(&twilio).await;
    let bridge = start(&twilio, None).await;
    let event = fixture("auth0/send_phone_message_event.json");
    let (s, _) = bridge
        .post("/auth0/send-phone-message", None, event.clone())
        .await;
    assert_eq!(s, 401);
    let (s, _) = bridge
        .post(
            "/auth0/send-phone-message",
            Some("Bearer nope"),
            event.clone(),
        )
        .await;
    assert_eq!(s, 401);
    let (s, _) = bridge
        .post(
            "/auth0/send-phone-message",
            Some(ACTION_SECRET),
            event.clone(),
        )
        .await;
    assert_eq!(s, 401, "the secret without `Bearer` is refused");
    let (s, _) = bridge
        .post(
            "/auth0/log-stream",
            Some("Bearer wrong"),
            success_record("1", "+14155550134"),
        )
        .await;
    assert_eq!(s, 401);

    let (s, body) = bridge.action("{not json").await;
    assert_eq!(s, 400, "{body}");
    let no_phone = event.replace("+1 415 555 0134", "call me");
    let (s, body) = bridge.action(no_phone).await;
    assert_eq!(s, 400, "{body}");
    // A notice is delivered now, but with no sender configured nothing can be, and the
    // answer names the settings.
    let (s, body) = bridge
        .action(fixture("auth0/custom_phone_provider_password_breach.json"))
        .await;
    assert_eq!(s, 422, "{body}");
    assert!(body["error"].as_str().is_some_and(
        |e| e.contains("BRIDGE_MESSAGING_SERVICE_SID") && e.contains("BRIDGE_FROM_NUMBER")
    ));
    let (s, _) = bridge.stream("this is not a log body").await;
    assert_eq!(s, 400);
    assert_eq!(hits(&twilio).await, 0);
}

#[tokio::test]
async fn verify_refusing_is_a_502_with_twilio_code() {
    let twilio = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path(verifications()))
        .respond_with(ResponseTemplate::new(400).set_body_raw(
            r#"{"code": 60200, "message": "Invalid parameter", "more_info": "https://www.twilio.com/docs/errors/60200", "status": 400}"#,
            "application/json",
        ))
        .expect(1)
        .mount(&twilio)
        .await;
    let bridge = start(&twilio, None).await;
    let (status, body) = bridge
        .action(fixture("auth0/send_phone_message_event.json"))
        .await;
    assert_eq!(status, 502);
    assert_eq!(body["code"], 60200);
    assert_eq!(body["status"], 400);
}

#[tokio::test]
async fn a_limit_of_verify_is_a_429_with_its_code_not_an_outage() {
    let twilio = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path(verifications()))
        .respond_with(ResponseTemplate::new(429).set_body_raw(
            r#"{"code": 60203, "message": "Max send attempts reached", "more_info": "https://www.twilio.com/docs/errors/60203", "status": 429}"#,
            "application/json",
        ))
        .expect(1)
        .mount(&twilio)
        .await;
    let bridge = start(&twilio, None).await;
    let (status, body) = bridge
        .action(fixture("auth0/send_phone_message_event.json"))
        .await;
    assert_eq!(status, 429, "{body}");
    assert_eq!(body["outcome"], "verify_limit");
    assert_eq!(body["code"], 60203);
    assert_eq!(body["retry"], false);
}

#[tokio::test]
async fn log_stream_in_all_three_formats() {
    let twilio = MockServer::start().await;
    for n in 1..=4 {
        approval(&format!("+1415555000{n}"), 200, approved_body())
            .expect(1)
            .mount(&twilio)
            .await;
    }
    let bridge = start(&twilio, None).await;
    let lines = format!(
        "{}\n{}\n{}\n",
        success_record("a1", "+14155550001"),
        other_record("a2"),
        success_record("a3", "+14155550002")
    );
    let (s, body) = bridge.stream(lines).await;
    assert_eq!(s, 200, "{body}");
    assert_eq!(body["received"], 3);
    assert_eq!(body["approved"], 2);
    assert_eq!(body["skipped"]["not_mfa_success"], 1);

    let array = format!(
        "[{}, {}]",
        success_record("b1", "+14155550003"),
        other_record("b2")
    );
    let (s, body) = bridge.stream(array).await;
    assert_eq!((s, body["approved"].clone()), (200, Value::from(1)));

    let (s, body) = bridge.stream(success_record("c1", "+14155550004")).await;
    assert_eq!((s, body["approved"].clone()), (200, Value::from(1)));
}

#[tokio::test]
async fn a_body_over_the_limit_is_413() {
    let twilio = MockServer::start().await;
    forbid_calls(&twilio).await;
    let bridge = start(&twilio, Some(1024)).await;
    let big = format!("{}\n", other_record("x")).repeat(100);
    let (s, _) = bridge.stream(big.clone()).await;
    assert_eq!(s, 413);
    let (s, _) = bridge.action(big).await;
    assert_eq!(s, 413);
    assert_eq!(hits(&twilio).await, 0);
}

#[tokio::test]
async fn a_redelivered_batch_is_approved_once() {
    let twilio = MockServer::start().await;
    approval("+14155550001", 200, approved_body())
        .expect(1)
        .mount(&twilio)
        .await;
    let bridge = start(&twilio, None).await;
    let batch = format!(
        "{}\n{}",
        success_record("d1", "+14155550001"),
        success_record("d1", "+14155550001")
    );
    let (s, body) = bridge.stream(batch.clone()).await;
    assert_eq!(s, 200);
    assert_eq!(body["approved"], 1);
    assert_eq!(body["skipped"]["duplicate"], 1, "{body}");
    let (s, body) = bridge.stream(batch).await;
    assert_eq!(s, 200);
    assert_eq!(body["approved"], 0);
    assert_eq!(body["already_done"], 1, "{body}");
}

#[tokio::test]
async fn nothing_pending_is_counted_not_failed() {
    let twilio = MockServer::start().await;
    approval("+14155550001", 404, gone_body())
        .expect(1)
        .mount(&twilio)
        .await;
    let bridge = start(&twilio, None).await;
    let (s, body) = bridge.stream(success_record("e1", "+14155550001")).await;
    assert_eq!(s, 200);
    assert_eq!(body["nothing_pending"], 1);
    assert_eq!(body["failed"]["retryable"], 0);
}

#[tokio::test]
async fn a_twilio_503_asks_for_redelivery_and_the_retry_approves_only_what_is_left() {
    let twilio = MockServer::start().await;
    approval("+14155550001", 200, approved_body())
        .expect(1)
        .mount(&twilio)
        .await;
    // The second number fails once with 503, then succeeds.
    approval("+14155550002", 503, String::new())
        .up_to_n_times(1)
        .expect(1)
        .mount(&twilio)
        .await;
    approval("+14155550002", 200, approved_body())
        .expect(1)
        .mount(&twilio)
        .await;
    let bridge = start(&twilio, None).await;
    let batch = format!(
        "{}\n{}",
        success_record("f1", "+14155550001"),
        success_record("f2", "+14155550002")
    );
    let (s, body) = bridge.stream(batch.clone()).await;
    assert_eq!(s, 503, "{body}");
    assert_eq!(body["approved"], 1);
    assert_eq!(body["failed"]["retryable"], 1);
    let (s, body) = bridge.stream(batch).await;
    assert_eq!(s, 200, "{body}");
    assert_eq!(body["approved"], 1);
    assert_eq!(body["already_done"], 1);
    // wiremock checks on drop that each number was approved exactly as expected.
}

#[tokio::test]
async fn concurrent_deliveries_of_one_batch_approve_once() {
    let twilio = MockServer::start().await;
    approval("+14155550001", 200, approved_body())
        .expect(1)
        .mount(&twilio)
        .await;
    let bridge = Arc::new(start(&twilio, None).await);
    let batch = success_record("g1", "+14155550001");
    let mut tasks = Vec::new();
    for _ in 0..8 {
        let (b, body) = (bridge.clone(), batch.clone());
        tasks.push(tokio::spawn(async move { b.stream(body).await }));
    }
    let mut approved = 0;
    for t in tasks {
        let (s, body) = t.await.expect("task");
        assert_eq!(s, 200);
        approved += body["approved"].as_u64().unwrap_or(0);
    }
    assert_eq!(approved, 1);
}

#[tokio::test]
async fn healthz_and_logs_without_personal_data() {
    let twilio = MockServer::start().await;
    approval("+14155550134", 200, approved_body())
        .mount(&twilio)
        .await;
    let bridge = start(&twilio, None).await;
    let resp = bridge
        .http
        .get(format!("{}/healthz", bridge.url))
        .send()
        .await
        .expect("healthz");
    assert_eq!(resp.status().as_u16(), 200);
    let (s, _) = bridge.stream(success_record("h1", "+14155550134")).await;
    assert_eq!(s, 200);
    let (s, _) = bridge
        .post("/auth0/log-stream", Some("Bearer wrong-token-abc"), "x")
        .await;
    assert_eq!(s, 401);
    let logs = bridge.logs();
    // One line per Auth0 request; liveness probes are not logged.
    assert_eq!(logs.len(), 2, "one line per request: {logs:?}");
    assert!(!logs.iter().any(|l| l.contains("healthz")), "{logs:?}");
    let text = logs.join("\n");
    for leak in ["5550134", STREAM_TOKEN, "wrong-token-abc"] {
        assert!(!text.contains(leak), "{leak} in {text}");
    }
}

#[tokio::test]
async fn a_claim_is_released_when_auth0_hangs_up() {
    let twilio = MockServer::start().await;
    // The first approval fails slowly with a retryable 503; the next one succeeds.
    Mock::given(method("POST"))
        .and(path(format!("{}/+14155550001", verifications())))
        .respond_with(ResponseTemplate::new(503).set_delay(std::time::Duration::from_millis(600)))
        .up_to_n_times(1)
        .expect(1)
        .mount(&twilio)
        .await;
    approval("+14155550001", 200, approved_body())
        .expect(1)
        .mount(&twilio)
        .await;
    let bridge = start(&twilio, None).await;
    let batch = success_record("i1", "+14155550001");
    // Auth0 gives up before the approval finishes.
    let impatient = reqwest::Client::builder()
        .timeout(std::time::Duration::from_millis(150))
        .build()
        .expect("client");
    let gone = impatient
        .post(format!("{}/auth0/log-stream", bridge.url))
        .header("authorization", STREAM_TOKEN)
        .body(batch.clone())
        .send()
        .await;
    assert!(gone.is_err(), "the first delivery timed out");
    tokio::time::sleep(std::time::Duration::from_millis(900)).await;
    // The abandoned approval still finished and released its claim, so the redelivery approves.
    let (s, body) = bridge.stream(batch).await;
    assert_eq!(s, 200, "{body}");
    assert_eq!(body["approved"], 1, "{body}");
    assert_eq!(body["already_done"], 0, "{body}");
}
