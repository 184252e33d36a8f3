//! The fake's state: its account, clock, Services, verifications and records, and the one entry
//! point that turns a request into an answer.

use std::collections::VecDeque;
use std::hash::{BuildHasher, RandomState};
use std::time::{Duration, SystemTime};

use serde_json::Value;

use super::render;
use super::verify::{Service, Verification};
use super::{Fault, PlacedCall, ReceivedRequest, SentCode, SentMessage};
use crate::{AccountSid, ServiceSid, Timestamp};

/// An answer: a status and a JSON body (none for 204).
#[derive(Debug)]
pub(super) struct Answer {
    pub status: u16,
    pub body: Option<Value>,
}

impl Answer {
    pub fn json(status: u16, body: Value) -> Self {
        Self {
            status,
            body: Some(body),
        }
    }

    pub fn empty(status: u16) -> Self {
        Self { status, body: None }
    }

    /// Twilio's error body: code, message, `more_info` link and status.
    pub fn error(status: u16, code: u32, message: impl Into<String>) -> Self {
        Self::json(
            status,
            serde_json::json!({
                "code": code,
                "message": message.into(),
                "more_info": format!("https://www.twilio.com/docs/errors/{code}"),
                "status": status,
            }),
        )
    }

    pub fn not_found(what: &str) -> Self {
        Self::error(
            404,
            20404,
            format!("The requested resource {what} was not found"),
        )
    }

    pub fn missing(name: &str) -> Self {
        Self::error(400, 20001, format!("Missing required parameter {name}"))
    }

    pub fn invalid(name: &str) -> Self {
        Self::error(400, 60200, format!("Invalid parameter: {name}"))
    }
}

/// What the server does with a request.
#[derive(Debug)]
pub(super) enum Outcome {
    /// Answer, after `delay`.
    Answer(Answer, Duration),
    /// Close the connection without an answer.
    Drop,
}

/// A request as the server read it.
pub(super) struct Incoming<'a> {
    pub method: &'a str,
    pub path: &'a str,
    pub authorization: Option<&'a str>,
    pub params: Vec<(String, String)>,
}

/// Looks up a parameter of a request.
pub(super) fn param<'a>(params: &'a [(String, String)], name: &str) -> Option<&'a str> {
    params
        .iter()
        .find(|(k, _)| k == name)
        .map(|(_, v)| v.as_str())
}

/// Random SIDs, codes and credentials, from the standard library's randomly keyed hasher.
struct Random {
    keys: RandomState,
    counter: u64,
}

impl Random {
    fn next(&mut self) -> u64 {
        self.counter += 1;
        self.keys.hash_one(self.counter)
    }

    fn hex32(&mut self) -> String {
        format!("{:016x}{:016x}", self.next(), self.next())
    }
}

pub(super) struct State {
    pub url: String,
    account_sid: AccountSid,
    auth_token: String,
    authorization: String,
    offset: Duration,
    pub code_ttl: Duration,
    random: Random,
    pub services: Vec<Service>,
    pub verifications: Vec<Verification>,
    pub sent_codes: Vec<SentCode>,
    pub messages: Vec<SentMessage>,
    pub calls: Vec<PlacedCall>,
    requests: Vec<ReceivedRequest>,
    faults: VecDeque<Fault>,
}

impl State {
    /// A fake's state with one Service, and that Service's SID.
    pub fn new(
        url: &str,
        code_length: u8,
        custom_code_enabled: bool,
        code_ttl: Duration,
    ) -> (Self, ServiceSid) {
        use base64::Engine as _;
        let mut random = Random {
            keys: RandomState::new(),
            counter: 0,
        };
        let account_sid = AccountSid::made(format!("AC{}", random.hex32()));
        let auth_token = random.hex32();
        let authorization = format!(
            "Basic {}",
            base64::engine::general_purpose::STANDARD
                .encode(format!("{}:{auth_token}", account_sid.as_str()))
        );
        let mut state = Self {
            url: url.to_owned(),
            account_sid,
            auth_token,
            authorization,
            offset: Duration::ZERO,
            code_ttl,
            random,
            services: Vec::new(),
            verifications: Vec::new(),
            sent_codes: Vec::new(),
            messages: Vec::new(),
            calls: Vec::new(),
            requests: Vec::new(),
            faults: VecDeque::new(),
        };
        let mut settings = vec![
            ("FriendlyName".to_owned(), "Fake Verify Service".to_owned()),
            ("CodeLength".to_owned(), code_length.to_string()),
        ];
        if custom_code_enabled {
            settings.push(("CustomCodeEnabled".to_owned(), "true".to_owned()));
        }
        let sid = ServiceSid::made(state.new_sid("VA"));
        let now = state.now();
        state
            .services
            .push(Service::new(sid.clone(), settings, now));
        (state, sid)
    }

    pub fn account_sid(&self) -> &AccountSid {
        &self.account_sid
    }

    pub fn auth_token(&self) -> &str {
        &self.auth_token
    }

    pub fn now(&self) -> Timestamp {
        let at = SystemTime::now() + self.offset;
        let since = at
            .duration_since(SystemTime::UNIX_EPOCH)
            .unwrap_or_default();
        Timestamp::from_unix(i64::try_from(since.as_secs()).unwrap_or(i64::MAX))
            .unwrap_or_else(Timestamp::now)
    }

    pub fn advance(&mut self, by: Duration) {
        self.offset += by;
    }

    pub fn new_sid(&mut self, prefix: &str) -> String {
        format!("{prefix}{}", self.random.hex32())
    }

    /// A code of `length` digits (leading zeros kept).
    pub fn new_code(&mut self, length: u32) -> String {
        let length = length.clamp(4, 10);
        let n = self.random.next() % 10u64.pow(length);
        format!("{n:0width$}", width = length as usize)
    }

    pub fn sent_codes(&self) -> &[SentCode] {
        &self.sent_codes
    }

    pub fn messages(&self) -> &[SentMessage] {
        &self.messages
    }

    pub fn calls(&self) -> &[PlacedCall] {
        &self.calls
    }

    pub fn live_verifications(&mut self) -> usize {
        self.expire();
        self.verifications.len()
    }

    pub fn requests(&self) -> &[ReceivedRequest] {
        &self.requests
    }

    pub fn queue_fault(&mut self, fault: Fault) {
        self.faults.push_back(fault);
    }

    /// Turns one request into what the server does, and records it.
    pub fn handle(&mut self, req: Incoming<'_>) -> Outcome {
        let fault = self.faults.pop_front();
        let outcome = match fault {
            Some(Fault::TooManyRequests) => Outcome::Answer(
                Answer::error(429, 20429, "Too Many Requests"),
                Duration::ZERO,
            ),
            Some(Fault::ServerError(status)) => {
                let status = if (500..=599).contains(&status) {
                    status
                } else {
                    500
                };
                Outcome::Answer(
                    Answer::error(status, 20000 + u32::from(status), "Server Error"),
                    Duration::ZERO,
                )
            }
            Some(Fault::DropConnection) => Outcome::Drop,
            Some(Fault::Slow(delay)) => Outcome::Answer(self.answer(&req), delay),
            Some(Fault::DropAfterProcessing) => {
                self.answer(&req);
                Outcome::Drop
            }
            None => Outcome::Answer(self.answer(&req), Duration::ZERO),
        };
        self.requests.push(ReceivedRequest {
            method: req.method.to_owned(),
            path: req.path.to_owned(),
            params: req.params,
            status: match &outcome {
                Outcome::Answer(answer, _) => Some(answer.status),
                Outcome::Drop => None,
            },
        });
        outcome
    }

    fn answer(&mut self, req: &Incoming<'_>) -> Answer {
        if req.authorization != Some(self.authorization.as_str()) {
            return Answer::error(401, 20003, "Authenticate");
        }
        self.expire();
        let segments: Vec<String> = req
            .path
            .trim_start_matches('/')
            .split('/')
            .map(|s| {
                percent_encoding::percent_decode_str(s)
                    .decode_utf8_lossy()
                    .into_owned()
            })
            .collect();
        let segments: Vec<&str> = segments.iter().map(String::as_str).collect();
        let params = &req.params;
        match (req.method, segments.as_slice()) {
            ("GET", ["v2", "Services"]) => self.list_services(params),
            ("POST", ["v2", "Services"]) => self.create_service(params),
            ("GET", ["v2", "Services", sid]) => self.fetch_service(sid),
            ("POST", ["v2", "Services", sid]) => self.update_service(sid, params),
            ("DELETE", ["v2", "Services", sid]) => self.delete_service(sid),
            ("POST", ["v2", "Services", sid, "Verifications"]) => {
                self.create_verification(sid, params)
            }
            ("GET", ["v2", "Services", sid, "Verifications", id]) => {
                self.fetch_verification(sid, id)
            }
            ("POST", ["v2", "Services", sid, "Verifications", id]) => {
                self.update_verification(sid, id, params)
            }
            ("POST", ["v2", "Services", sid, "VerificationCheck"]) => self.check(sid, params),
            ("POST", ["2010-04-01", "Accounts", account, "Messages.json"]) => {
                self.create_message(account, params)
            }
            ("POST", ["2010-04-01", "Accounts", account, "Calls.json"]) => {
                self.create_call(account, params)
            }
            (method, _) => Answer::error(
                404,
                20404,
                format!(
                    "The requested resource {method} {} is not played by the fake Verify",
                    req.path
                ),
            ),
        }
    }

    /// Forgets the verifications whose code has expired.
    fn expire(&mut self) {
        let now = self.now().unix();
        let ttl = i64::try_from(self.code_ttl.as_secs()).unwrap_or(i64::MAX);
        self.verifications
            .retain(|v| v.created.unix().saturating_add(ttl) > now);
    }

    /// The answer of a REST date on the fake's clock.
    pub fn rest_date(&self) -> String {
        render::rest_date(&self.now())
    }
}
