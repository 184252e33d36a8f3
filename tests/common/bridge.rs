//! Shared set-up for the bridge suites: a bridge served on loopback, its posts, and the Auth0
//! payloads they carry.
#![allow(dead_code)]

use std::sync::{Arc, Mutex};

use std::time::Duration;

use serde_json::{Value, json};
use twilio_verify::Client;
use twilio_verify::auth0::{LogStreamToken, SentVerification};
use twilio_verify::bridge::{
    Bridge, BridgeConfig, Claim, ClaimToken, Store, StoreError, StoreFuture,
};
use twilio_verify::store::{Admission, AdmitTicket, WindowLimit};
use wiremock::matchers::{body_string, method, path};
use wiremock::{Mock, MockBuilder, ResponseTemplate};

use crate::common::{ACCOUNT_SID, AUTH_TOKEN, SERVICE_SID};

pub const ACTION_SECRET: &str = "action-secret-5d1c";
pub const STREAM_TOKEN: &str = "Bearer stream-token-9e2b";

/// A bridge served on a loopback port.
pub struct Running {
    pub url: String,
    pub logs: Arc<Mutex<Vec<String>>>,
    pub http: reqwest::Client,
}

impl Running {
    pub async fn post(
        &self,
        route: &str,
        auth: Option<&str>,
        body: impl Into<String>,
    ) -> (u16, Value) {
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

    pub async fn action(&self, body: impl Into<String>) -> (u16, Value) {
        let auth = format!("Bearer {ACTION_SECRET}");
        self.post("/auth0/send-phone-message", Some(&auth), body)
            .await
    }

    pub async fn stream(&self, body: impl Into<String>) -> (u16, Value) {
        self.post("/auth0/log-stream", Some(STREAM_TOKEN), body)
            .await
    }

    pub fn logs(&self) -> Vec<String> {
        self.logs.lock().expect("logs").clone()
    }
}

/// The configuration every suite starts from; `tune` changes it.
pub fn config(tune: impl FnOnce(&mut BridgeConfig)) -> BridgeConfig {
    let mut config = BridgeConfig::new(
        SERVICE_SID.parse().expect("sid"),
        LogStreamToken::new(STREAM_TOKEN),
        ACTION_SECRET,
    );
    tune(&mut config);
    config
}

/// Serves a bridge on `store` (memory when `None`) in front of the Twilio at `twilio`.
pub async fn serve(
    twilio: &str,
    config: BridgeConfig,
    store: Option<Box<dyn FnOnce(Bridge) -> Bridge>>,
) -> Running {
    let client = Client::builder()
        .auth_token(ACCOUNT_SID, AUTH_TOKEN)
        .base_url(twilio)
        .api_base_url(twilio)
        .timeout(std::time::Duration::from_secs(5))
        .build()
        .expect("client");
    serve_client(client, config, store).await
}

/// Serves a bridge on `store` (memory when `None`) that talks to Twilio through `client`.
pub async fn serve_client(
    client: Client,
    config: BridgeConfig,
    store: Option<Box<dyn FnOnce(Bridge) -> Bridge>>,
) -> Running {
    let logs = Arc::new(Mutex::new(Vec::new()));
    let sink = logs.clone();
    let mut bridge = Bridge::new(client, config)
        .with_logger(move |line| sink.lock().expect("logs").push(line.to_owned()));
    if let Some(with) = store {
        bridge = with(bridge);
    }
    let app = bridge.router();
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

/// `bridge.with_store(store)`, boxed for [`serve`].
pub fn on<S: Store + Clone>(store: &S) -> Option<Box<dyn FnOnce(Bridge) -> Bridge>> {
    let store = store.clone();
    Some(Box::new(move |b: Bridge| b.with_store(store)))
}

pub fn verifications() -> String {
    format!("/v2/Services/{SERVICE_SID}/Verifications")
}

/// RFC 3339 for `offset_secs` from now (negative: in the past).
pub fn at(offset_secs: i64) -> String {
    let t = twilio_verify::Timestamp::now();
    twilio_verify::Timestamp::from_unix(t.unix() + offset_secs)
        .expect("time")
        .to_rfc3339()
}

/// A pending verification as Verify answers it, with its SID and creation time.
pub fn verification(sid: &str, created: &str) -> String {
    json!({
        "sid": sid, "service_sid": SERVICE_SID, "account_sid": ACCOUNT_SID,
        "to": "+14155550134", "channel": "sms", "status": "pending", "valid": false,
        "date_created": created, "date_updated": created, "lookup": {},
        "send_code_attempts": [], "url": null
    })
    .to_string()
}

/// An approved verification as Verify answers the feedback call.
pub fn approved(sid: &str) -> String {
    let mut v: Value = serde_json::from_str(&verification(sid, &at(0))).expect("json");
    v["status"] = json!("approved");
    v["valid"] = json!(true);
    v.to_string()
}

pub fn gone() -> String {
    r#"{"code": 20404, "message": "The requested resource was not found", "status": 404}"#
        .to_owned()
}

/// A SID made of one repeated character: `sid('b')` is `VEbbbb…`.
pub fn sid(c: char) -> String {
    format!("VE{}", c.to_string().repeat(32))
}

/// A `send-phone-message` event: `action` is `second-factor-authentication` or `enrollment`.
pub fn send_event(phone: &str, code: &str, action: &str, user: &str) -> String {
    json!({
        "message_options": {
            "action": action, "code": code, "message_type": "sms",
            "recipient": phone, "text": format!("Your code is {code}")
        },
        "request": {"ip": "198.51.100.23", "method": "POST"},
        "tenant": {"id": "acme"},
        "user": {"user_id": user},
        "secrets": {}
    })
    .to_string()
}

/// One log-stream record of `log_type` (`gd_auth_succeed` or `gd_enrollment_complete`).
pub fn record(log_type: &str, log_id: &str, phone: &str, date: &str, user: &str) -> String {
    let description = if log_type == "gd_enrollment_complete" {
        "Guardian - Enrollment complete (sms)"
    } else {
        "Guardian - Second factor authentication succeed (sms)"
    };
    let mut data = json!({
        "log_id": log_id, "type": log_type, "date": date, "description": description,
        "details": {"authenticator": {"type": "sms", "phone_number": phone}}
    });
    if !user.is_empty() {
        data["user_id"] = json!(user);
    }
    json!({"log_id": log_id, "data": data}).to_string()
}

/// A login success for `phone` now, with no user.
pub fn success(log_id: &str, phone: &str) -> String {
    record("gd_auth_succeed", log_id, phone, &at(0), "")
}

/// A mock of the feedback call on `target` (a SID or a number): `Status=approved`.
pub fn approval_of(target: &str) -> MockBuilder {
    Mock::given(method("POST"))
        .and(path(format!("{}/{target}", verifications())))
        .and(body_string("Status=approved"))
}

/// A JSON answer with `status`.
pub fn answer(status: u16, body: String) -> ResponseTemplate {
    ResponseTemplate::new(status).set_body_raw(body, "application/json")
}

/// A store that is always down.
#[derive(Debug, Clone)]
pub struct Down;

pub fn down<T: Send + 'static>() -> StoreFuture<'static, T> {
    Box::pin(async { Err(StoreError::new("down for the test")) })
}

impl Store for Down {
    fn claim<'a>(&'a self, _: &'a str, _: Duration) -> StoreFuture<'a, Claim> {
        down()
    }
    fn complete<'a>(
        &'a self,
        _: &'a str,
        _: &'a ClaimToken,
        _: &'a str,
        _: Duration,
    ) -> StoreFuture<'a, ()> {
        down()
    }
    fn release<'a>(&'a self, _: &'a str, _: &'a ClaimToken) -> StoreFuture<'a, ()> {
        down()
    }
    fn remember<'a>(
        &'a self,
        _: &'a str,
        _: &'a SentVerification,
        _: Duration,
    ) -> StoreFuture<'a, ()> {
        down()
    }
    fn recall<'a>(&'a self, _: &'a str) -> StoreFuture<'a, Vec<SentVerification>> {
        down()
    }
    fn admit<'a>(&'a self, _: &'a [WindowLimit<'a>]) -> StoreFuture<'a, Admission> {
        down()
    }
    fn refund<'a>(&'a self, _: &'a [WindowLimit<'a>], _: &'a AdmitTicket) -> StoreFuture<'a, ()> {
        down()
    }
    fn ping(&self) -> StoreFuture<'_, ()> {
        down()
    }
}
