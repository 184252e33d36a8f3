//! An in-process mock of Twilio Verify that keeps state like the real service: a verification is
//! pending until it is approved (by a right code or by feedback), canceled, or fails too many
//! checks; after that it is gone and Verify answers 404 with code 20404.
//!
//! It also plays the REST API's Programmable Messaging (`POST …/Messages.json`): each message is
//! kept, so that the demo can show what the user's phone received.
//!
//! Used by the `demo` example.
#![allow(dead_code)]

use std::sync::{Arc, Mutex, PoisonError};

use base64::Engine as _;
use serde_json::{Value, json};
use wiremock::{Mock, MockServer, Request, Respond, ResponseTemplate};

/// One verification the mock knows.
#[derive(Debug, Clone)]
struct Entry {
    sid: String,
    to: String,
    channel: String,
    code: String,
    status: String,
    sends: u32,
    checks: u32,
    created: String,
}

#[derive(Default)]
struct State {
    pending: Vec<Entry>,
    next: u64,
    calls: Vec<String>,
    /// Text messages sent: `(To, Body)`.
    messages: Vec<(String, String)>,
}

/// The mock server.
pub struct MockVerify {
    server: MockServer,
    state: Arc<Mutex<State>>,
}

impl MockVerify {
    /// Starts a mock that accepts `account_sid`:`auth_token` and serves `service_sid`.
    pub async fn start(account_sid: &str, auth_token: &str, service_sid: &str) -> Self {
        let server = MockServer::start().await;
        let state = Arc::new(Mutex::new(State::default()));
        let credentials =
            base64::engine::general_purpose::STANDARD.encode(format!("{account_sid}:{auth_token}"));
        Mock::given(wiremock::matchers::any())
            .respond_with(Verify {
                state: state.clone(),
                authorization: format!("Basic {credentials}"),
                prefix: format!("/v2/Services/{service_sid}/"),
                messages: format!("/2010-04-01/Accounts/{account_sid}/Messages.json"),
            })
            .mount(&server)
            .await;
        Self { server, state }
    }

    /// The base URL to give the client.
    pub fn uri(&self) -> String {
        self.server.uri()
    }

    /// Every call so far, as `METHOD path -> status`.
    pub fn calls(&self) -> Vec<String> {
        self.lock().calls.clone()
    }

    /// The text messages sent to `to`, oldest first (what the user's phone received).
    pub fn texts_to(&self, to: &str) -> Vec<String> {
        self.lock()
            .messages
            .iter()
            .filter(|(t, _)| t == to)
            .map(|(_, body)| body.clone())
            .collect()
    }

    /// How many verifications are pending.
    pub fn pending(&self) -> usize {
        self.lock().pending.len()
    }

    /// The code of the pending verification of `to` (what the user's phone received).
    pub fn code_sent_to(&self, to: &str) -> Option<String> {
        self.lock()
            .pending
            .iter()
            .find(|e| e.to == to)
            .map(|e| e.code.clone())
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, State> {
        self.state.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

struct Verify {
    state: Arc<Mutex<State>>,
    authorization: String,
    prefix: String,
    messages: String,
}

fn error(status: u16, code: u32, message: &str) -> ResponseTemplate {
    ResponseTemplate::new(status).set_body_json(json!({
        "code": code,
        "message": message,
        "more_info": format!("https://www.twilio.com/docs/errors/{code}"),
        "status": status,
    }))
}

fn render(e: &Entry, service: &str) -> Value {
    json!({
        "sid": e.sid,
        "service_sid": service,
        "account_sid": "ACaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa",
        "to": e.to,
        "channel": e.channel,
        "status": e.status,
        "valid": e.status == "approved",
        "lookup": {},
        "amount": null,
        "payee": null,
        "send_code_attempts": (0..e.sends).map(|_| json!({
            "time": "2024-01-15T10:30:00Z", "channel": e.channel.to_uppercase(), "attempt_sid": "VLaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
        })).collect::<Vec<_>>(),
        "date_created": e.created,
        "date_updated": e.created,
        "sna": null,
        "url": format!("https://verify.twilio.com/v2/Services/{service}/Verifications/{}", e.sid),
    })
}

fn render_check(e: &Entry, service: &str) -> Value {
    json!({
        "sid": e.sid,
        "service_sid": service,
        "account_sid": "ACaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa",
        "to": e.to,
        "channel": e.channel,
        "status": e.status,
        "valid": e.status == "approved",
        "amount": null,
        "payee": null,
        "sna_attempts_error_codes": [],
        "date_created": "2024-01-15T10:30:00Z",
        "date_updated": "2024-01-15T10:31:00Z",
    })
}

/// `POST …/Messages.json`: keeps the message and answers as Twilio does, `queued`.
fn message(state: &mut State, body: &[u8]) -> (u16, ResponseTemplate) {
    let form: Vec<(String, String)> = form_urlencoded::parse(body).into_owned().collect();
    let param = |k: &str| {
        form.iter()
            .find(|(key, _)| key == k)
            .map(|(_, v)| v.clone())
    };
    let (Some(to), Some(text)) = (param("To"), param("Body")) else {
        return (
            400,
            error(400, 21604, "A 'To' phone number and a 'Body' are required"),
        );
    };
    if param("From").is_none() && param("MessagingServiceSid").is_none() {
        return (
            400,
            error(
                400,
                21603,
                "A 'From' or 'MessagingServiceSid' parameter is required",
            ),
        );
    }
    state.next += 1;
    let sid = format!("SM{:032x}", state.next);
    state.messages.push((to.clone(), text.clone()));
    let answer = json!({
        "sid": sid, "account_sid": "ACaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", "to": to,
        "from": param("From"), "messaging_service_sid": param("MessagingServiceSid"),
        "body": text, "status": "queued", "direction": "outbound-api", "num_segments": "1",
        "num_media": "0", "api_version": "2010-04-01",
        "date_created": "Tue, 01 Dec 2026 10:00:00 +0000",
        "date_updated": "Tue, 01 Dec 2026 10:00:00 +0000",
    });
    (201, ResponseTemplate::new(201).set_body_json(answer))
}

impl Respond for Verify {
    fn respond(&self, req: &Request) -> ResponseTemplate {
        let mut state = self.state.lock().unwrap_or_else(PoisonError::into_inner);
        let path = req.url.path().to_owned();
        let answer = self.answer(&mut state, req, &path);
        let status = answer.0;
        state
            .calls
            .push(format!("{} {path} -> {status}", req.method));
        answer.1
    }
}

impl Verify {
    fn answer(&self, state: &mut State, req: &Request, path: &str) -> (u16, ResponseTemplate) {
        let authorized = req
            .headers
            .get("authorization")
            .and_then(|v| v.to_str().ok())
            .is_some_and(|v| v == self.authorization);
        if !authorized {
            return (401, error(401, 20003, "Authenticate"));
        }
        if req.method.as_str() == "POST" && path == self.messages {
            return message(state, &req.body);
        }
        let Some(rest) = path.strip_prefix(&self.prefix) else {
            return (
                404,
                error(404, 20404, "The requested resource was not found"),
            );
        };
        let service = self
            .prefix
            .trim_start_matches("/v2/Services/")
            .trim_end_matches('/');
        let form: Vec<(String, String)> = form_urlencoded::parse(&req.body).into_owned().collect();
        let param = |k: &str| {
            form.iter()
                .find(|(key, _)| key == k)
                .map(|(_, v)| v.clone())
        };
        let method = req.method.as_str();
        let find =
            |pending: &[Entry], id: &str| pending.iter().position(|e| e.sid == id || e.to == id);

        match (method, rest) {
            ("POST", "Verifications") => {
                let (Some(to), Some(channel)) = (param("To"), param("Channel")) else {
                    return (400, error(400, 60200, "Invalid parameter"));
                };
                if let Some(i) = find(&state.pending, &to) {
                    let e = &mut state.pending[i];
                    if e.sends >= 5 {
                        return (429, error(429, 60203, "Max send attempts reached"));
                    }
                    e.sends += 1;
                    return (
                        201,
                        ResponseTemplate::new(201).set_body_json(render(e, service)),
                    );
                }
                state.next += 1;
                let e = Entry {
                    sid: format!("VE{:032x}", 0xdead_0000_u64 + state.next),
                    to,
                    channel,
                    code: param("CustomCode")
                        .unwrap_or_else(|| format!("{:06}", 100_000 + state.next)),
                    status: "pending".into(),
                    sends: 1,
                    checks: 0,
                    created: twilio_verify::Timestamp::now().to_rfc3339(),
                };
                let body = render(&e, service);
                state.pending.push(e);
                (201, ResponseTemplate::new(201).set_body_json(body))
            }
            ("POST", "VerificationCheck") => {
                let Some(id) = param("VerificationSid").or_else(|| param("To")) else {
                    return (400, error(400, 60221, "No target verification specified"));
                };
                let Some(i) = find(&state.pending, &id) else {
                    return (
                        404,
                        error(404, 20404, "The requested resource was not found"),
                    );
                };
                let code = param("Code").unwrap_or_default();
                let e = &mut state.pending[i];
                if e.code == code {
                    e.status = "approved".into();
                    let body = render_check(e, service);
                    state.pending.remove(i);
                    return (200, ResponseTemplate::new(200).set_body_json(body));
                }
                e.checks += 1;
                if e.checks >= 5 {
                    state.pending.remove(i);
                    return (429, error(429, 60202, "Max check attempts reached"));
                }
                (
                    200,
                    ResponseTemplate::new(200).set_body_json(render_check(e, service)),
                )
            }
            (m, rest) if rest.starts_with("Verifications/") => {
                let raw = &rest["Verifications/".len()..];
                let id = percent_encoding::percent_decode_str(raw)
                    .decode_utf8_lossy()
                    .into_owned();
                let Some(i) = find(&state.pending, &id) else {
                    return (
                        404,
                        error(404, 20404, "The requested resource was not found"),
                    );
                };
                match m {
                    "GET" => (
                        200,
                        ResponseTemplate::new(200)
                            .set_body_json(render(&state.pending[i], service)),
                    ),
                    "POST" => {
                        let status = match param("Status").as_deref() {
                            Some("approved") => "approved",
                            Some("canceled") => "canceled",
                            _ => return (400, error(400, 60200, "Invalid parameter: Status")),
                        };
                        let mut e = state.pending.remove(i);
                        e.status = status.into();
                        (
                            200,
                            ResponseTemplate::new(200).set_body_json(render(&e, service)),
                        )
                    }
                    _ => (405, error(405, 20004, "Method not allowed")),
                }
            }
            _ => (
                404,
                error(404, 20404, "The requested resource was not found"),
            ),
        }
    }
}
