//! The send half: an Auth0 Action hands over a code or a notice; the bridge delivers it, once.
//!
//! A one-time code goes to Verify as a verification with `CustomCode` (or, with
//! `BRIDGE_OTP_DELIVERY=messaging`, as Auth0's rendered text through Programmable Messaging); a
//! notice with no code (a blocked account, a changed or breached password) goes out as a text
//! message, or a call that reads it. Every path shares what follows.
//!
//! A send is keyed by a hash of its number, content and channel. The first delivery claims the
//! key, passes the send guard (which counts it against the rate limits), and calls Verify; a repeat within the code lifetime, on any replica, gets the first
//! verification back without a call, and a repeat that arrives while the first is still
//! calling waits for it. When Verify's answer leaves it unknown whether the code went out (a
//! timeout, a broken connection, a 5xx), the key is kept as `unknown`: a repeat is then told
//! so and sends nothing, because a second send could text the user twice.

use axum::body::Bytes;
use axum::extract::State;
use axum::extract::rejection::BytesRejection;
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use serde_json::json;

use super::{
    Bridge, BridgeConfig, Inner, OtpDelivery, Reply, Waited, authorization, json_response,
};
use crate::auth0::{
    CustomPhoneProviderEvent, PhoneDelivery, PhoneMessage, PhoneNotice, SendPhoneMessageEvent,
    SentVerification,
};
use crate::error::Error;
use crate::guard::{Admitted, Refusal, SendContext};
use crate::messaging::{Call, CreateCall, CreateMessage, Message, Sender};
use crate::phone::PhoneNumber;
use crate::store::{Claim, ClaimToken, StoreError};
use crate::timestamp::Timestamp;
use crate::verify::{CreateVerification, Verification};

const PATH: &str = "/auth0/send-phone-message";
/// The outcome a key is completed with when it is unknown whether Verify sent the code.
const UNKNOWN: &str = "unknown";

/// What an event asks the bridge to deliver.
enum Job {
    /// A one-time code, for Verify.
    Code(PhoneMessage),
    /// A notice, or a code in messaging mode: a text message or a call.
    Notice(PhoneNotice),
}

impl Job {
    /// The channel, as metrics and logs name it: `sms` or `call` through Verify, `message` or
    /// `voice` through Programmable Messaging and Voice.
    fn channel(&self) -> &'static str {
        match self {
            Self::Code(m) if m.channel == crate::verify::Channel::Call => "call",
            Self::Code(_) => "sms",
            Self::Notice(n) if n.is_voice() => "voice",
            Self::Notice(_) => "message",
        }
    }

    fn recipient(&self) -> &PhoneNumber {
        match self {
            Self::Code(m) => &m.recipient,
            Self::Notice(n) => &n.recipient,
        }
    }

    /// What makes two deliveries the same: the number, the code (or the notice's kind and
    /// text), and the channel.
    fn identity(&self) -> String {
        let number = self.recipient().as_str();
        let channel = self.channel();
        match self {
            Self::Code(m) => format!("{number}\0{}\0{channel}", m.code.expose()),
            Self::Notice(n) => format!(
                "{number}\0{}\0{}\0{channel}",
                n.kind.as_str(),
                n.text().expose()
            ),
        }
    }
}

/// A job turned into the one request that delivers it.
enum Outgoing {
    Verification(Box<CreateVerification>),
    Message(Box<CreateMessage>),
    Call(Box<CreateCall>),
}

/// What Twilio answered for it.
enum Delivered {
    Verification(Verification),
    Message(Message),
    Call(Call),
}

impl Delivered {
    /// The SID and status of what was created.
    fn sid_and_status(&self) -> (Option<String>, Option<String>) {
        fn text<T: AsRef<str>>(v: Option<&T>) -> Option<String> {
            v.map(|v| v.as_ref().to_owned())
        }
        match self {
            Self::Verification(v) => (
                text(v.sid.as_ref()),
                v.status.as_ref().map(|s| s.as_str().to_owned()),
            ),
            Self::Message(m) => (
                text(m.sid.as_ref()),
                m.status.as_ref().map(|s| s.as_str().to_owned()),
            ),
            Self::Call(c) => (
                text(c.sid.as_ref()),
                c.status.as_ref().map(|s| s.as_str().to_owned()),
            ),
        }
    }
}

/// The answer to a notice with no sender configured: nothing can be sent.
const NO_TEXT_SENDER: &str = "no sender for a text message: set BRIDGE_MESSAGING_SERVICE_SID or BRIDGE_FROM_NUMBER, or a From number in Auth0's phone provider";
const NO_VOICE_SENDER: &str = "no caller id for a call: set BRIDGE_VOICE_FROM_NUMBER or BRIDGE_FROM_NUMBER, or a From number in Auth0's phone provider";

/// The request that delivers `job`, with its sender: for a notice, a Messaging Service, else
/// the bridge's From number, else the one Auth0 sent (calls prefer the voice number).
fn outgoing(
    config: &BridgeConfig,
    account: &crate::AccountSid,
    job: &Job,
) -> Result<Outgoing, &'static str> {
    let notice = match job {
        Job::Code(m) => {
            let request = m.to_verification(&config.service);
            return Ok(Outgoing::Verification(Box::new(request)));
        }
        Job::Notice(n) => n,
    };
    if notice.is_voice() {
        let from = config
            .voice_from_number
            .as_ref()
            .or(config.from_number.as_ref())
            .or(notice.from.as_ref());
        return from
            .and_then(|f| notice.to_call(account, f.as_str()))
            .map(|c| Outgoing::Call(Box::new(c)))
            .ok_or(NO_VOICE_SENDER);
    }
    let sender = match (&config.messaging_service, &config.from_number) {
        (Some(service), _) => Some(Sender::from(service)),
        (None, Some(from)) => Some(Sender::from(from.as_str())),
        (None, None) => notice.from.as_deref().map(Sender::from),
    };
    sender
        .and_then(|s| notice.to_message(account, s))
        .map(|m| Outgoing::Message(Box::new(m)))
        .ok_or(NO_TEXT_SENDER)
}

/// Sends `out`, bounded inside the claim's TTL, so no repeat can take the claim while the call
/// may still reach Twilio; a call cut short has an unknown outcome.
async fn deliver(inner: &Inner, out: Outgoing) -> crate::Result<Delivered> {
    let (client, bound) = (&inner.client, inner.call_bound());
    match out {
        Outgoing::Verification(r) => inner
            .twilio("CreateVerification", bound, (*r).send(client))
            .await
            .map(Delivered::Verification),
        Outgoing::Message(r) => inner
            .twilio("CreateMessage", bound, (*r).send(client))
            .await
            .map(Delivered::Message),
        Outgoing::Call(r) => inner
            .twilio("CreateCall", bound, (*r).send(client))
            .await
            .map(Delivered::Call),
    }
}

/// A job to deliver, and what the event says of who asked for it.
struct Decoded {
    job: Job,
    user_id: Option<String>,
    ip: Option<String>,
    geo_country: Option<String>,
}

pub(super) async fn send_phone_message(
    State(bridge): State<Bridge>,
    headers: HeaderMap,
    body: std::result::Result<Bytes, BytesRejection>,
) -> Response {
    // On its own task: if the request times out or the bridge shuts down mid-call, the send
    // still records its outcome (sent, or unknown), so that a repeat is never sent again.
    let job = tokio::spawn(send(bridge, headers, body));
    match job.await {
        Ok(response) => response,
        Err(_) => json_response(
            StatusCode::INTERNAL_SERVER_ERROR,
            &json!({"error": "the send could not complete", "retry": false}),
        ),
    }
}

async fn send(
    bridge: Bridge,
    headers: HeaderMap,
    body: std::result::Result<Bytes, BytesRejection>,
) -> Response {
    let reply = Reply::new(&bridge, PATH);
    let inner = &bridge.inner;

    let authorized = inner.config.action_authorized(authorization(&headers));
    let body = match reply.admit(authorized, body) {
        Ok(b) => b,
        Err(refused) => return *refused,
    };
    let Decoded {
        job,
        user_id,
        ip,
        geo_country,
    } = match decode(&body, inner.config.otp_delivery) {
        Ok(m) => m,
        Err(reason) => {
            inner.metrics.send("unknown", "invalid");
            return reply.send(
                StatusCode::BAD_REQUEST,
                "invalid-event",
                json!({"error": reason, "retry": false}),
            );
        }
    };
    let channel = job.channel();
    let count = |outcome| inner.metrics.send(channel, outcome);
    let mut out = match outgoing(&inner.config, inner.client.account_sid(), &job) {
        Ok(out) => out,
        Err(reason) => {
            count("no_sender");
            return reply.send(
                StatusCode::UNPROCESSABLE_ENTITY,
                &format!("channel={channel} no-sender"),
                json!({"error": reason, "retry": false}),
            );
        }
    };
    let key = inner.hash("send", &job.identity());
    let mut ctx = SendContext::new(job.recipient());
    ctx.user_id = user_id.as_deref();
    ctx.ip = ip.as_deref();
    ctx.geo_country = geo_country.as_deref();
    let (token, admitted) = match gate(inner, &key, &ctx).await {
        Gate::Go(token, admitted) => (token, admitted),
        Gate::Repeat(value) => {
            count("repeat");
            return repeat(&reply, channel, &value);
        }
        Gate::Refused(refusal) => {
            count("refused");
            inner.metrics.refusal(refusal.rule.as_str());
            return refused(&reply, channel, &refusal);
        }
        Gate::StillHeld => {
            count("in_flight");
            return reply.send(
                StatusCode::SERVICE_UNAVAILABLE,
                &format!("channel={channel} in-flight-elsewhere"),
                json!({"error": "the same message is being delivered by another request; try again", "retry": true}),
            );
        }
        Gate::StoreDown(e) => {
            count("store_error");
            return reply.send(
                StatusCode::SERVICE_UNAVAILABLE,
                &format!("channel={channel} store-error"),
                json!({"error": e.to_string(), "retry": true}),
            );
        }
    };
    let geo = if admitted.geo_mismatch {
        inner.metrics.geo_mismatch();
        " geo-mismatch"
    } else {
        ""
    };
    if let Outgoing::Verification(request) = out {
        let mut request = *request;
        for (name, value) in inner.guard.verify_rate_limits(&ctx) {
            request = request.rate_limit(name, value);
        }
        out = Outgoing::Verification(Box::new(request));
    }
    let product = match &out {
        Outgoing::Verification(_) => "Twilio Verify",
        Outgoing::Message(_) => "Twilio Programmable Messaging",
        Outgoing::Call(_) => "Twilio Programmable Voice",
    };
    match deliver(inner, out).await {
        Ok(delivered) => {
            count("sent");
            let (sid, status) = delivered.sid_and_status();
            let mut note = String::new();
            let outcome = format!(
                "ok\t{}\t{}",
                sid.as_deref().unwrap_or(""),
                status.as_deref().unwrap_or("")
            );
            let ttl = inner.config.code_ttl;
            let remember = match (&delivered, &job) {
                (Delivered::Verification(v), Job::Code(message)) => v.sid.clone().map(|sid| {
                    let created = v.date_created.unwrap_or_else(Timestamp::now);
                    let mut sent = SentVerification::new(sid, created, message.purpose.clone());
                    if let Some(user) = &user_id {
                        sent = sent.with_user(inner.hash("user", user));
                    }
                    (inner.hash("number", message.recipient.as_str()), sent)
                }),
                _ => None,
            };
            let written = match &remember {
                Some((number, sent)) => {
                    let keep = inner.config.done_ttl.max(inner.config.code_ttl);
                    inner
                        .write(|| {
                            inner
                                .store
                                .complete_remember(&key, &token, &outcome, ttl, number, sent, keep)
                        })
                        .await
                }
                None => {
                    inner
                        .write(|| inner.store.complete(&key, &token, &outcome, ttl))
                        .await
                }
            };
            if written.is_err() {
                // The claim expires after its TTL, and a repeat after that sends again; the
                // event proving this code will be approved by phone or not at all.
                note.push_str(if remember.is_some() {
                    " store-error=complete,remember"
                } else {
                    " store-error=complete"
                });
            }
            reply.send(
                StatusCode::OK,
                &format!(
                    "channel={channel} sid={}{geo}{note}",
                    sid.as_deref().unwrap_or("-")
                ),
                json!({"sid": sid, "status": status, "repeat": false}),
            )
        }
        Err(e) => {
            inner.alarm(&e);
            let unknown = may_have_sent(&e);
            let ttl = inner.config.code_ttl;
            let kept = if unknown {
                inner
                    .write(|| inner.store.complete(&key, &token, UNKNOWN, ttl))
                    .await
            } else {
                // Nothing went out: the send is taken back from the rate limits, so that a
                // retry after an outage is not refused for it.
                let _ = inner
                    .guard
                    .refund(inner.store.as_ref(), &ctx, &admitted)
                    .await;
                inner.store.release(&key, &token).await
            };
            let (status, mut body) = upstream_error(&e, product);
            count(if unknown {
                "unknown"
            } else if body["outcome"] == "verify_limit" {
                "verify_limit"
            } else if status == StatusCode::FORBIDDEN {
                "verify_refused"
            } else {
                "verify_error"
            });
            body["retry"] = json!(!unknown && worth_retrying(&e));
            if unknown {
                body["outcome"] = json!("unknown");
            }
            let note = if kept.is_err() { " store-error" } else { "" };
            reply.send(
                status,
                &format!("channel={channel} verify-error={}{geo}{note}", body["code"]),
                body,
            )
        }
    }
}

/// The answer to a send the guard refused: 403 for a policy rule, 429 with `Retry-After` for a
/// rate limit, naming the rule and never the number.
/// What the claim on a send and the guard's rate limits came to.
enum Gate {
    Go(ClaimToken, Admitted),
    Repeat(String),
    Refused(Refusal),
    StillHeld,
    StoreDown(StoreError),
}

/// Claims the send and counts it against the guard's rate limits in one store call (one round
/// trip on Redis). A key another request holds is waited for, then counted; a send the policy
/// refuses is still answered as a repeat when it was already delivered.
async fn gate(inner: &Inner, key: &str, ctx: &SendContext<'_>) -> Gate {
    let deadline = std::time::Instant::now() + inner.config.claim_wait;
    if let Ok(planned) = inner.guard.plan(ctx) {
        let first = {
            let limits = planned.limits();
            inner
                .store
                .claim_admit(key, inner.config.claim_ttl, &limits)
                .await
        };
        match first {
            Ok((Claim::Claimed(token), admission)) => {
                return match planned.settle(admission) {
                    Ok(admitted) => Gate::Go(token, admitted),
                    Err(refusal) => Gate::Refused(refusal),
                };
            }
            Ok((Claim::Done(value), _)) => return Gate::Repeat(value),
            Ok((Claim::Held, _)) => {}
            Err(e) => return Gate::StoreDown(e),
        }
    }
    let token = match inner.claim_or_wait(key, deadline).await {
        Waited::Claimed(token) => token,
        Waited::Done(value) => return Gate::Repeat(value),
        Waited::StillHeld => return Gate::StillHeld,
        Waited::StoreDown(e) => return Gate::StoreDown(e),
    };
    match inner.guard.check(inner.store.as_ref(), ctx).await {
        Ok(Ok(admitted)) => Gate::Go(token, admitted),
        Ok(Err(refusal)) => {
            let _ = inner.store.release(key, &token).await;
            Gate::Refused(refusal)
        }
        Err(e) => {
            let _ = inner.store.release(key, &token).await;
            Gate::StoreDown(e)
        }
    }
}

fn refused(reply: &Reply<'_>, channel: &str, refusal: &Refusal) -> Response {
    let status = StatusCode::from_u16(refusal.status()).unwrap_or(StatusCode::FORBIDDEN);
    let after = refusal.retry_after.map(whole_seconds);
    let mut body = json!({
        "error": refusal.message(),
        "rule": refusal.rule.as_str(),
        "retry": false,
    });
    if let Some(secs) = after {
        body["retry_after"] = json!(secs);
    }
    let detail = format!("channel={channel} refused rule={}", refusal.rule);
    let mut response = reply.send(status, &detail, body);
    if let Some(secs) = after {
        response
            .headers_mut()
            .insert(axum::http::header::RETRY_AFTER, secs.into());
    }
    response
}

/// A wait in whole seconds, rounded up, at least 1: what `Retry-After` can say.
fn whole_seconds(d: std::time::Duration) -> u64 {
    (d.as_secs() + u64::from(d.subsec_nanos() > 0)).max(1)
}

/// The answer to a repeat of a send that is done: the first verification, or that its outcome
/// is unknown.
fn repeat(reply: &Reply<'_>, channel: &str, value: &str) -> Response {
    let mut parts = value.split('\t');
    if parts.next() == Some("ok") {
        let sid = parts.next().filter(|s| !s.is_empty());
        let status = parts.next().filter(|s| !s.is_empty());
        return reply.send(
            StatusCode::OK,
            &format!("channel={channel} sid={} repeat", sid.unwrap_or("-")),
            json!({"sid": sid, "status": status, "repeat": true}),
        );
    }
    reply.send(
        StatusCode::GATEWAY_TIMEOUT,
        &format!("channel={channel} repeat-of-unknown"),
        json!({
            "error": "an earlier delivery of this code may have gone out; it is not sent again",
            "outcome": "unknown",
            "repeat": true,
            "retry": false,
        }),
    )
}

/// Whether Verify may have created the verification although the call failed: anything that
/// may have reached Twilio without a definite refusal.
fn may_have_sent(e: &Error) -> bool {
    match e {
        Error::Transport(t) => !t.is_connect(),
        Error::Timeout(_) | Error::Decode(_) => true,
        Error::Api(a) => a.status() >= 500,
        _ => false,
    }
}

/// Whether a definite refusal may pass if Auth0 tries again in a few minutes.
fn worth_retrying(e: &Error) -> bool {
    e.is_unprocessed()
        || e.api_error().is_some_and(|a| {
            verify_refusal(a.code_number()).is_none() && matches!(a.status(), 401 | 403)
        })
}

/// Decodes the `event` of either phone trigger and turns it into the job it asks for: a code
/// for Verify, or, for a notice (or any code in messaging mode), Auth0's rendered text.
fn decode(body: &[u8], otp: OtpDelivery) -> std::result::Result<Decoded, String> {
    let value: serde_json::Value =
        serde_json::from_slice(body).map_err(|_| "the body is not JSON".to_owned())?;
    let (job, user, request) = if value.get("message_options").is_some() {
        let event: SendPhoneMessageEvent = serde_json::from_value(value)
            .map_err(|_| "not a send-phone-message event".to_owned())?;
        let job = match otp {
            OtpDelivery::Messaging => {
                PhoneNotice::rendered_send_phone_message(&event).map(Job::Notice)
            }
            _ => PhoneMessage::try_from(&event).map(Job::Code),
        };
        (job, event.user, event.request)
    } else if value.get("notification").is_some() {
        let event: CustomPhoneProviderEvent = serde_json::from_value(value)
            .map_err(|_| "not a custom-phone-provider event".to_owned())?;
        let job = match PhoneDelivery::try_from(&event) {
            Ok(PhoneDelivery::Code(_)) if otp == OtpDelivery::Messaging => {
                PhoneNotice::rendered_otp(&event).map(Job::Notice)
            }
            Ok(PhoneDelivery::Code(m)) => Ok(Job::Code(m)),
            Ok(PhoneDelivery::Notice(n)) => Ok(Job::Notice(n)),
            Err(e) => Err(e),
        };
        (job, event.user, event.request)
    } else {
        return Err(
            "expected the event of the send-phone-message or custom-phone-provider trigger".into(),
        );
    };
    let ip = request.as_ref().and_then(|r| r.ip.clone());
    let geo_country = request.and_then(|r| r.geoip).and_then(|g| g.country_code);
    Ok(Decoded {
        job: job.map_err(|e| e.to_string())?,
        user_id: user.and_then(|u| u.user_id),
        ip,
        geo_country,
    })
}

/// Twilio's own refusals of a recipient, each its own outcome: a policy decision, not an
/// outage. Verify's, and Messaging's and Voice's for the same reasons.
fn verify_refusal(code: Option<u32>) -> Option<&'static str> {
    match code? {
        60410 => Some("fraud_guard"),
        60605 | 21408 | 13227 => Some("geo_permission"),
        60205 | 21614 => Some("landline"),
        21610 => Some("opted_out"),
        _ => None,
    }
}

/// Verify's business limits (a 429 other than Twilio's own 20429: 60203 max sends, 60212
/// concurrent requests, a programmable rate limit of the Service): a decision, not an outage.
fn verify_limit(e: &Error) -> bool {
    e.api_error()
        .is_some_and(|a| a.status() == 429 && !a.is_rate_limited())
}

/// 403 naming the outcome when Verify refused the recipient (Fraud Guard 60410, geo
/// permissions 60605, a landline 60205); 429 for a limit of Verify's (60203, 60212, a
/// programmable rate limit); 502 with Twilio's code and message for any other refusal; 504 on a
/// timeout.
fn upstream_error(e: &Error, product: &str) -> (StatusCode, serde_json::Value) {
    match e {
        // Twilio's message is left out of these: it may quote the number.
        Error::Api(api) if verify_refusal(api.code_number()).is_some() => (
            StatusCode::FORBIDDEN,
            json!({
                "error": format!("{product} refused to deliver to this number"),
                "outcome": verify_refusal(api.code_number()),
                "status": api.status(),
                "code": api.code_number(),
                "more_info": api.more_info(),
            }),
        ),
        Error::Api(api) if verify_limit(e) => (
            StatusCode::TOO_MANY_REQUESTS,
            json!({
                "error": format!("a limit of {product} refused the send"),
                "outcome": "verify_limit",
                "status": api.status(),
                "code": api.code_number(),
                "more_info": api.more_info(),
            }),
        ),
        Error::Api(api) => (
            StatusCode::BAD_GATEWAY,
            json!({
                "error": format!("{product} refused the request"),
                "status": api.status(),
                "code": api.code_number(),
                "message": crate::redact::scrub(api.message()),
                "more_info": api.more_info(),
            }),
        ),
        Error::Timeout(_) => (
            StatusCode::GATEWAY_TIMEOUT,
            json!({"error": format!("{product} did not answer in time"), "code": null}),
        ),
        other => (
            StatusCode::BAD_GATEWAY,
            json!({"error": other.to_string(), "code": null}),
        ),
    }
}
