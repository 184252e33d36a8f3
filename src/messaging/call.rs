//! `CreateCall`: places a call, which reads a text aloud or runs your TwiML.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use super::account_path;
use super::message::address;
use crate::error::InvalidInput;
use crate::macros::{open_enum, setters};
use crate::phone::Recipient;
use crate::request::{Request, request};
use crate::sid::{AccountSid, ApplicationSid, CallSid};
use crate::timestamp::Timestamp;
use crate::wire::{Host, Params, WireRequest};

open_enum! {
    /// Where a call stands (`status`).
    pub enum CallStatus {
        /// Waiting to be dialled.
        Queued = "queued",
        /// Ringing.
        Ringing = "ringing",
        /// Answered and going on.
        InProgress = "in-progress",
        /// Ended after it was answered.
        Completed = "completed",
        /// The line was busy.
        Busy = "busy",
        /// Could not be placed.
        Failed = "failed",
        /// Nobody answered.
        NoAnswer = "no-answer",
        /// Canceled before it was answered.
        Canceled = "canceled",
    }
}

/// `POST /2010-04-01/Accounts/{AccountSid}/Calls.json`: places a call.
///
/// The call needs instructions: inline `Twiml` ([`say`](Self::say) writes the TwiML that reads a
/// text aloud, escaped), a `Url` that serves TwiML, or an `ApplicationSid`. `To` and `From` are
/// normalised to E.164 when they are phone numbers. Like every POST, it is never resent once it
/// may have reached Twilio: a retry could ring the user twice.
///
/// ```no_run
/// # async fn run(client: &twilio_verify::Client) -> twilio_verify::Result<()> {
/// use twilio_verify::messaging::CreateCall;
///
/// let call = CreateCall::say(
///     client.account_sid(),
///     "+1 501 712 2661",
///     "+15557654321",
///     "Your account was blocked after too many attempts.",
/// )
/// .time_limit(60)
/// .send(client)
/// .await?;
/// println!("{:?} is {:?}", call.sid, call.status);
/// # Ok(()) }
/// ```
#[derive(Debug, Clone, PartialEq)]
#[must_use = "a request does nothing until `.send(&client).await`"]
pub struct CreateCall {
    account: AccountSid,
    to: Recipient,
    from: Recipient,
    params: Optional,
}

/// The optional parameters, in the order they are sent after `To` and `From`.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
#[serde(rename_all = "PascalCase")]
struct Optional {
    twiml: Option<crate::Secret>,
    url: Option<String>,
    application_sid: Option<ApplicationSid>,
    method: Option<String>,
    fallback_url: Option<String>,
    fallback_method: Option<String>,
    status_callback: Option<String>,
    status_callback_event: Option<Vec<String>>,
    status_callback_method: Option<String>,
    send_digits: Option<crate::Secret>,
    timeout: Option<u32>,
    record: Option<bool>,
    recording_channels: Option<String>,
    recording_status_callback: Option<String>,
    recording_status_callback_method: Option<String>,
    sip_auth_username: Option<String>,
    sip_auth_password: Option<crate::Secret>,
    machine_detection: Option<String>,
    machine_detection_timeout: Option<u32>,
    recording_status_callback_event: Option<Vec<String>>,
    trim: Option<String>,
    caller_id: Option<String>,
    machine_detection_speech_threshold: Option<u32>,
    machine_detection_speech_end_threshold: Option<u32>,
    machine_detection_silence_timeout: Option<u32>,
    async_amd: Option<String>,
    async_amd_status_callback: Option<String>,
    async_amd_status_callback_method: Option<String>,
    byoc: Option<String>,
    call_reason: Option<String>,
    call_token: Option<crate::Secret>,
    recording_track: Option<String>,
    time_limit: Option<u32>,
    client_notification_url: Option<String>,
}

request!(CreateCall -> Call, "CreateCall");

impl CreateCall {
    /// A call to `to` from `from` (a Twilio number or verified caller id) under `account`.
    /// Give it instructions with [`twiml`](Self::twiml), [`url`](Self::url) or
    /// [`application_sid`](Self::application_sid).
    pub fn new(
        account: impl Into<AccountSid>,
        to: impl Into<String>,
        from: impl Into<String>,
    ) -> Self {
        Self {
            account: account.into(),
            to: Recipient::new(to),
            from: Recipient::new(from),
            params: Optional::default(),
        }
    }

    /// A call that reads `text` aloud once answered: `Twiml` of one `<Say>`, with the text
    /// escaped for XML.
    pub fn say(
        account: impl Into<AccountSid>,
        to: impl Into<String>,
        from: impl Into<String>,
        text: impl AsRef<str>,
    ) -> Self {
        let twiml = format!("<Response><Say>{}</Say></Response>", escape(text.as_ref()));
        Self::new(account, to, from).twiml(twiml)
    }

    setters! {
        /// `Twiml`: the instructions themselves, at most 4,000 characters. Never shown by
        /// `Debug`: it may hold what is read to the user.
        twiml: secret();
        /// `Url`: a URL that serves the call's TwiML.
        url: into(String);
        /// `ApplicationSid`: a TwiML Application (`AP…`) that handles the call.
        application_sid: into(ApplicationSid);
        /// `Method`: how `Url` is requested, `GET` or `POST` (the default).
        method: into(String);
        /// `FallbackUrl`: the URL requested when `Url` fails.
        fallback_url: into(String);
        /// `FallbackMethod`: how `FallbackUrl` is requested.
        fallback_method: into(String);
        /// `StatusCallback`: the URL Twilio posts the call's progress to.
        status_callback: into(String);
        /// `StatusCallbackMethod`: how `StatusCallback` is requested.
        status_callback_method: into(String);
        /// `SendDigits`: keys to press once the call connects (`ww1234#`). Never shown by
        /// `Debug`.
        send_digits: secret();
        /// `Timeout`: seconds to let the phone ring, up to 600 (default 60).
        timeout: value(u32);
        /// `Record`: record the call.
        record: value(bool);
        /// `RecordingChannels`: `mono` or `dual`.
        recording_channels: into(String);
        /// `RecordingStatusCallback`: the URL Twilio posts recording events to.
        recording_status_callback: into(String);
        /// `RecordingStatusCallbackMethod`: how `RecordingStatusCallback` is requested.
        recording_status_callback_method: into(String);
        /// `SipAuthUsername`: the user name for a SIP `To`.
        sip_auth_username: into(String);
        /// `SipAuthPassword`: the password for a SIP `To`. Never shown by `Debug`.
        sip_auth_password: secret();
        /// `MachineDetection`: `Enable` or `DetectMessageEnd`.
        machine_detection: into(String);
        /// `MachineDetectionTimeout`: seconds to decide, 3 to 59 (default 30).
        machine_detection_timeout: value(u32);
        /// `Trim`: `trim-silence` or `do-not-trim` the recording.
        trim: into(String);
        /// `CallerId`: the caller id shown for a SIP or Client call.
        caller_id: into(String);
        /// `MachineDetectionSpeechThreshold`: milliseconds of speech that mean a machine.
        machine_detection_speech_threshold: value(u32);
        /// `MachineDetectionSpeechEndThreshold`: milliseconds of silence that end speech.
        machine_detection_speech_end_threshold: value(u32);
        /// `MachineDetectionSilenceTimeout`: milliseconds of initial silence before giving up.
        machine_detection_silence_timeout: value(u32);
        /// `AsyncAmd`: `true` to detect machines in the background.
        async_amd: into(String);
        /// `AsyncAmdStatusCallback`: the URL Twilio posts the detection result to.
        async_amd_status_callback: into(String);
        /// `AsyncAmdStatusCallbackMethod`: how `AsyncAmdStatusCallback` is requested.
        async_amd_status_callback_method: into(String);
        /// `Byoc`: a Bring Your Own Carrier trunk (`BY…`) to route the call through.
        byoc: into(String);
        /// `CallReason`: why the call is made, shown by some branded-calling products.
        call_reason: into(String);
        /// `CallToken`: the token of an inbound PSTN call whose parameters this call forwards.
        /// Never shown by `Debug`.
        call_token: secret();
        /// `RecordingTrack`: `inbound`, `outbound` or `both`.
        recording_track: into(String);
        /// `TimeLimit`: the longest the call may last, in seconds.
        time_limit: value(u32);
        /// `ClientNotificationUrl`: the URL of a Voice SDK client's push notification.
        client_notification_url: into(String);
    }

    /// Adds a `StatusCallbackEvent`: `initiated`, `ringing`, `answered` or `completed`.
    pub fn status_callback_event(mut self, event: impl Into<String>) -> Self {
        let events = self
            .params
            .status_callback_event
            .get_or_insert_with(Vec::new);
        events.push(event.into());
        self
    }

    /// Adds a `RecordingStatusCallbackEvent`: `in-progress`, `completed` or `absent`.
    pub fn recording_status_callback_event(mut self, event: impl Into<String>) -> Self {
        let events = &mut self.params.recording_status_callback_event;
        events.get_or_insert_with(Vec::new).push(event.into());
        self
    }

    fn wire(&self) -> Result<WireRequest, InvalidInput> {
        let to = address("To", self.to.as_str())?;
        let from = address("From", self.from.as_str())?;
        let p = &self.params;
        if p.twiml.is_none() && p.url.is_none() && p.application_sid.is_none() {
            return Err(InvalidInput::new(
                "Twiml",
                "a call needs Twiml, a Url or an ApplicationSid",
            ));
        }
        if let Some(twiml) = &p.twiml {
            let n = twiml.expose().chars().count();
            if n == 0 || n > 4000 {
                return Err(InvalidInput::new("Twiml", "must be 1 to 4000 characters"));
            }
        }
        if let Some(url) = &p.url {
            crate::verify::check_url("Url", url)?;
        }
        if let Some(url) = &p.status_callback {
            crate::verify::check_url("StatusCallback", url)?;
        }
        if p.timeout.is_some_and(|t| t > 600) {
            return Err(InvalidInput::new("Timeout", "must be at most 600 seconds"));
        }
        if let Some(sid) = &p.application_sid {
            sid.checked()?;
        }
        let mut form = Params::new();
        form.str("To", &to).str("From", &from).fields(p)?;
        let path = account_path(&self.account, "Calls.json")?;
        Ok(WireRequest::post(Self::OPERATION, path, form).on(Host::Api))
    }
}

/// `text` with XML's five special characters escaped, for a TwiML element.
fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            c => out.push(c),
        }
    }
    out
}

/// A call (`api.v2010.account.call`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct Call {
    /// The call's SID (`CA…`).
    pub sid: Option<CallSid>,
    /// The account that placed it.
    pub account_sid: Option<AccountSid>,
    /// The call that created this one, if any.
    pub parent_call_sid: Option<CallSid>,
    /// The callee.
    #[serde(default, deserialize_with = "crate::phone::lenient_recipient")]
    pub to: Option<Recipient>,
    /// The callee as Twilio formats it for people.
    #[serde(default, deserialize_with = "crate::phone::lenient_recipient")]
    pub to_formatted: Option<Recipient>,
    /// The caller.
    #[serde(default, deserialize_with = "crate::phone::lenient_recipient")]
    pub from: Option<Recipient>,
    /// The caller as Twilio formats it for people.
    #[serde(default, deserialize_with = "crate::phone::lenient_recipient")]
    pub from_formatted: Option<Recipient>,
    /// The SID of the Twilio number that placed it.
    pub phone_number_sid: Option<String>,
    /// Where it stands.
    pub status: Option<CallStatus>,
    /// When it was created.
    #[serde(default, deserialize_with = "crate::de::OrNone::deserialize")]
    pub date_created: Option<Timestamp>,
    /// When it was last updated.
    #[serde(default, deserialize_with = "crate::de::OrNone::deserialize")]
    pub date_updated: Option<Timestamp>,
    /// When it was answered.
    #[serde(default, deserialize_with = "crate::de::OrNone::deserialize")]
    pub start_time: Option<Timestamp>,
    /// When it ended.
    #[serde(default, deserialize_with = "crate::de::OrNone::deserialize")]
    pub end_time: Option<Timestamp>,
    /// How long it lasted, in seconds, as Twilio writes it.
    #[serde(default, deserialize_with = "crate::de::lenient_string")]
    pub duration: Option<String>,
    /// What it cost, as Twilio writes it; known once it ended.
    #[serde(default, deserialize_with = "crate::de::lenient_string")]
    pub price: Option<String>,
    /// The currency of the price (`USD`).
    pub price_unit: Option<String>,
    /// `inbound`, `outbound-api` or `outbound-dial`.
    pub direction: Option<String>,
    /// Who answered, with machine detection on (`human`, `machine_start`…).
    pub answered_by: Option<String>,
    /// The API version (`2010-04-01`).
    pub api_version: Option<String>,
    /// The number that forwarded the call, when the carrier says.
    #[serde(default, deserialize_with = "crate::phone::lenient_recipient")]
    pub forwarded_from: Option<Recipient>,
    /// The group the call belongs to.
    pub group_sid: Option<String>,
    /// The caller's name, with caller-name lookup on (personal data: never shown by `Debug`).
    pub caller_name: Option<crate::Secret>,
    /// Milliseconds the call waited in the queue.
    #[serde(default, deserialize_with = "crate::de::lenient_string")]
    pub queue_time: Option<String>,
    /// The SIP trunk it used.
    pub trunk_sid: Option<String>,
    /// The call's URI, relative to the API host.
    pub uri: Option<String>,
    /// URIs of its sub-resources (`recordings`, `events`…), by name.
    #[serde(default, deserialize_with = "crate::de::lenient_string_map")]
    pub subresource_uris: Option<BTreeMap<String, String>>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn say_escapes_the_text() {
        let ac: AccountSid = "ACaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa".parse().expect("ac");
        let w = CreateCall::say(&ac, "+15017122661", "+15557654321", "a <b> & 'c'")
            .to_wire()
            .expect("valid");
        let pairs: Vec<(String, String)> =
            form_urlencoded::parse(w.body().expect("form").as_bytes())
                .into_owned()
                .collect();
        assert_eq!(
            pairs[2],
            (
                "Twiml".into(),
                "<Response><Say>a &lt;b&gt; &amp; &apos;c&apos;</Say></Response>".into()
            )
        );
    }
}
