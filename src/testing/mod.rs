//! A stateful fake of Twilio Verify v2 for your own tests (feature `testing`).
//!
//! [`FakeVerify`] is an HTTP server on a loopback port that keeps state the way Verify does, so
//! a test of your sign-up or login flow exercises Verify's rules instead of a canned answer:
//!
//! - a code is valid for 10 minutes ([`FakeVerifyBuilder::code_ttl`]), on a clock the test moves
//!   with [`FakeVerify::advance`] instead of sleeping;
//! - a verification is sent at most 5 times (the 6th send answers 429 with 60203), and checked at
//!   most 5 times (then 429 with 60202 until it expires or is canceled);
//! - an approved, canceled or expired verification is gone: 404 with 20404;
//! - `CustomCode` needs a Service with custom codes enabled (else 403 with 60204), and generated
//!   codes have the Service's `code_length`;
//! - every error answers with Twilio's status, code, message and `more_info` link.
//!
//! It plays Services (create, fetch, list, update, delete), Verifications (create by every
//! channel, fetch, approve or cancel by SID or by the `To` value), checks (by SID or `To`), and
//! the two API v2010 operations of the [`messaging`](crate::messaging) module: each message and
//! call is recorded. Any other path answers 404 with 20404 and a message that names it.
//!
//! The test reads what a phone would have received ([`FakeVerify::last_code_to`],
//! [`FakeVerify::sent_codes`], [`FakeVerify::messages`], [`FakeVerify::calls`]), every request
//! the fake received ([`FakeVerify::requests`]), and queues faults ([`FakeVerify::fail_next`]):
//! a 429 with 20429, a 5xx, a slow answer, or a connection dropped before or after the work was
//! done.
//!
//! ```
//! use twilio_verify::testing::FakeVerify;
//! use twilio_verify::verify::{Channel, CreateVerification, CreateVerificationCheck};
//!
//! # #[tokio::main(flavor = "current_thread")]
//! # async fn main() -> twilio_verify::Result<()> {
//! let fake = FakeVerify::start().await;
//! let client = fake.client();
//! let service = fake.service_sid();
//!
//! CreateVerification::new(service, "+14155550134", Channel::Sms)
//!     .send(&client)
//!     .await?;
//! // What the SMS carried.
//! let code = fake.last_code_to("+14155550134").expect("an SMS was sent");
//!
//! let check = CreateVerificationCheck::new(service, "+14155550134", code)
//!     .send(&client)
//!     .await?;
//! assert!(check.is_approved());
//! # Ok(())
//! # }
//! ```

mod render;
mod rest;
mod server;
mod state;
mod verify;

use std::net::SocketAddr;
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};
use std::time::Duration;

use crate::sid::{CallSid, MessageSid};
use crate::{AccountSid, Client, ClientBuilder, ServiceSid, Timestamp, VerificationSid};

use state::State;

/// How long a verification stays valid on Twilio, unless Support changed it.
pub const DEFAULT_CODE_TTL: Duration = Duration::from_secs(600);

/// A fault the fake plays on the next request, in place of (or around) its normal answer.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum Fault {
    /// 429 with Twilio code 20429 (too many concurrent requests); nothing is done.
    TooManyRequests,
    /// This 5xx status with Twilio's error body (code 20000 + status, e.g. 20503); nothing is
    /// done. A status outside 500..=599 is played as 500.
    ServerError(u16),
    /// The normal answer, after this delay; the work is done before the delay, as on a slow
    /// Twilio that already sent the SMS.
    Slow(Duration),
    /// The connection is closed once the request is read, without an answer; nothing is done.
    DropConnection,
    /// The work is done (the SMS "sent"), then the connection is closed without an answer: the
    /// case where a retried POST would text the user twice.
    DropAfterProcessing,
}

/// One request the fake received.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct ReceivedRequest {
    /// `GET`, `POST` or `DELETE`.
    pub method: String,
    /// The path, still percent-encoded as sent.
    pub path: String,
    /// The query and form parameters, decoded, in the order sent.
    pub params: Vec<(String, String)>,
    /// The status answered, or `None` when the connection was dropped.
    pub status: Option<u16>,
}

impl ReceivedRequest {
    /// The first value of parameter `name`, if it was sent.
    pub fn param(&self, name: &str) -> Option<&str> {
        self.params
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    }
}

/// One code the fake "sent": what the SMS, call, email or WhatsApp message carried.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct SentCode {
    /// The verification it belongs to.
    pub verification_sid: VerificationSid,
    /// The Service it was sent through.
    pub service_sid: ServiceSid,
    /// The recipient, as sent in `To`.
    pub to: String,
    /// The channel it went by (`sms`, `call`, `email`, `whatsapp`, `sna`).
    pub channel: String,
    /// The code.
    pub code: String,
    /// When it was sent, on the fake's clock.
    pub date: Timestamp,
}

/// One text message created through `POST …/Messages.json`.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct SentMessage {
    /// The message's SID.
    pub sid: MessageSid,
    /// The recipient, as sent in `To`.
    pub to: String,
    /// `From`, if sent.
    pub from: Option<String>,
    /// `MessagingServiceSid`, if sent.
    pub messaging_service_sid: Option<String>,
    /// `Body`, if sent.
    pub body: Option<String>,
    /// When it was created, on the fake's clock.
    pub date: Timestamp,
}

/// One call placed through `POST …/Calls.json`.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct PlacedCall {
    /// The call's SID.
    pub sid: CallSid,
    /// The number called, as sent in `To`.
    pub to: String,
    /// `From`.
    pub from: String,
    /// `Twiml`, if sent: what the call reads out.
    pub twiml: Option<String>,
    /// `Url`, if sent instead.
    pub url: Option<String>,
    /// When it was placed, on the fake's clock.
    pub date: Timestamp,
}

/// Settings of a [`FakeVerify`] and of the Service it starts with.
#[derive(Debug, Clone)]
pub struct FakeVerifyBuilder {
    code_length: u8,
    custom_code_enabled: bool,
    code_ttl: Duration,
}

impl Default for FakeVerifyBuilder {
    fn default() -> Self {
        Self {
            code_length: 6,
            custom_code_enabled: false,
            code_ttl: DEFAULT_CODE_TTL,
        }
    }
}

impl FakeVerifyBuilder {
    /// The length of the codes the first Service generates (4 to 10; 6 by default). Services a
    /// test creates through the API take their own `CodeLength`.
    pub fn code_length(mut self, length: u8) -> Self {
        self.code_length = length.clamp(4, 10);
        self
    }

    /// Whether the first Service accepts `CustomCode` (off by default, as on Twilio, where
    /// Support enables it).
    pub fn custom_code_enabled(mut self, enabled: bool) -> Self {
        self.custom_code_enabled = enabled;
        self
    }

    /// How long a verification stays valid ([`DEFAULT_CODE_TTL`] unless set).
    pub fn code_ttl(mut self, ttl: Duration) -> Self {
        self.code_ttl = ttl;
        self
    }

    /// Starts the fake on a free loopback port.
    ///
    /// # Errors
    ///
    /// The I/O error when no loopback port can be bound.
    pub async fn try_start(self) -> std::io::Result<FakeVerify> {
        let listener = tokio::net::TcpListener::bind(("127.0.0.1", 0)).await?;
        let addr = listener.local_addr()?;
        let url = format!("http://{addr}");
        let (state, service_sid) = State::new(
            &url,
            self.code_length,
            self.custom_code_enabled,
            self.code_ttl,
        );
        let shared = Arc::new(Shared {
            state: Mutex::new(state),
        });
        let task = tokio::spawn(server::serve(listener, shared.clone()));
        Ok(FakeVerify {
            shared,
            addr,
            url,
            service_sid,
            task,
        })
    }

    /// Starts the fake on a free loopback port.
    ///
    /// # Panics
    ///
    /// When no loopback port can be bound, as a test set-up that cannot go on.
    pub async fn start(self) -> FakeVerify {
        match self.try_start().await {
            Ok(fake) => fake,
            Err(e) => panic!("the fake Verify cannot bind a loopback port: {e}"),
        }
    }
}

/// What the server task and the handle share.
pub(crate) struct Shared {
    state: Mutex<State>,
}

impl Shared {
    fn lock(&self) -> MutexGuard<'_, State> {
        self.state.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

/// A stateful fake of Twilio Verify v2 on a loopback port; see the [module docs](self).
///
/// Dropping it stops the server.
pub struct FakeVerify {
    shared: Arc<Shared>,
    addr: SocketAddr,
    url: String,
    service_sid: ServiceSid,
    task: tokio::task::JoinHandle<()>,
}

impl std::fmt::Debug for FakeVerify {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("FakeVerify")
            .field("url", &self.url)
            .field("service_sid", &self.service_sid)
            .finish_non_exhaustive()
    }
}

impl Drop for FakeVerify {
    fn drop(&mut self) {
        self.task.abort();
    }
}

impl FakeVerify {
    /// Starts a fake with the default settings: one Service with 6-digit codes and custom codes
    /// off.
    ///
    /// # Panics
    ///
    /// When no loopback port can be bound.
    pub async fn start() -> Self {
        Self::builder().start().await
    }

    /// Settings for a fake and its first Service.
    pub fn builder() -> FakeVerifyBuilder {
        FakeVerifyBuilder::default()
    }

    /// The base URL, for both [`ClientBuilder::base_url`] and [`ClientBuilder::api_base_url`].
    pub fn url(&self) -> &str {
        &self.url
    }

    /// The loopback address the fake listens on.
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// The Account SID the fake accepts (random for each fake).
    pub fn account_sid(&self) -> AccountSid {
        self.shared.lock().account_sid().clone()
    }

    /// The auth token the fake accepts (random for each fake).
    pub fn auth_token(&self) -> String {
        self.shared.lock().auth_token().to_owned()
    }

    /// The Service the fake starts with.
    pub fn service_sid(&self) -> &ServiceSid {
        &self.service_sid
    }

    /// A client builder with the fake's credentials and both base URLs set, to add a retry
    /// policy or timeouts before [`ClientBuilder::build`].
    pub fn client_builder(&self) -> ClientBuilder {
        let state = self.shared.lock();
        Client::builder()
            .auth_token(state.account_sid(), state.auth_token())
            .base_url(&self.url)
            .api_base_url(&self.url)
    }

    /// A client pointed at the fake, with its credentials and the default settings.
    ///
    /// # Panics
    ///
    /// Never in practice: the fake's URL and credentials are always valid.
    pub fn client(&self) -> Client {
        match self.client_builder().build() {
            Ok(client) => client,
            Err(e) => panic!("a client for the fake Verify: {e}"),
        }
    }

    /// Now, on the fake's clock.
    pub fn now(&self) -> Timestamp {
        self.shared.lock().now()
    }

    /// Moves the fake's clock forward, so that a verification can expire without a sleep.
    pub fn advance(&self, by: Duration) {
        self.shared.lock().advance(by);
    }

    /// Every code sent so far, oldest first, resends included.
    pub fn sent_codes(&self) -> Vec<SentCode> {
        self.shared.lock().sent_codes().to_vec()
    }

    /// The code last sent to `to` (as given in `To`), if any: what the user would type.
    pub fn last_code_to(&self, to: &str) -> Option<String> {
        self.shared
            .lock()
            .sent_codes()
            .iter()
            .rev()
            .find(|sent| sent.to == to)
            .map(|sent| sent.code.clone())
    }

    /// Every text message created so far, oldest first.
    pub fn messages(&self) -> Vec<SentMessage> {
        self.shared.lock().messages().to_vec()
    }

    /// Every call placed so far, oldest first.
    pub fn calls(&self) -> Vec<PlacedCall> {
        self.shared.lock().calls().to_vec()
    }

    /// How many verifications are live: pending, or spent by five wrong checks, and not yet
    /// expired. Approved and canceled ones are gone.
    pub fn pending_verifications(&self) -> usize {
        self.shared.lock().live_verifications()
    }

    /// Every request received so far, oldest first, faults and refusals included.
    pub fn requests(&self) -> Vec<ReceivedRequest> {
        self.shared.lock().requests().to_vec()
    }

    /// Plays `fault` on the next request that has none queued before it: each call queues one
    /// fault for one request, in order.
    pub fn fail_next(&self, fault: Fault) {
        self.shared.lock().queue_fault(fault);
    }
}
