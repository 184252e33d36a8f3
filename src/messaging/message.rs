//! `CreateMessage`: sends a text (or media) message through Programmable Messaging.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use super::account_path;
use crate::error::InvalidInput;
use crate::macros::{open_enum, setters};
use crate::phone::{PhoneNumber, Recipient};
use crate::request::{Request, request};
use crate::sid::{AccountSid, ApplicationSid, ContentSid, MessageSid, MessagingServiceSid};
use crate::timestamp::Timestamp;
use crate::wire::{Host, Params, WireRequest};

open_enum! {
    /// Where a message stands (`status`).
    pub enum MessageStatus {
        /// Waiting to be sent.
        Queued = "queued",
        /// Being sent.
        Sending = "sending",
        /// Handed to the carrier.
        Sent = "sent",
        /// Could not be sent.
        Failed = "failed",
        /// The carrier confirmed delivery.
        Delivered = "delivered",
        /// The carrier could not deliver it.
        Undelivered = "undelivered",
        /// An inbound message being received.
        Receiving = "receiving",
        /// An inbound message received.
        Received = "received",
        /// Accepted by a Messaging Service, which picks the sender.
        Accepted = "accepted",
        /// Scheduled for later.
        Scheduled = "scheduled",
        /// Read by the recipient (WhatsApp, RCS).
        Read = "read",
        /// Delivered in part.
        PartiallyDelivered = "partially_delivered",
        /// Canceled before it was sent.
        Canceled = "canceled",
    }
}

open_enum! {
    /// Which way a message went (`direction`).
    pub enum MessageDirection {
        /// Received by one of your numbers.
        Inbound = "inbound",
        /// Sent through the API.
        OutboundApi = "outbound-api",
        /// Sent from a call's TwiML.
        OutboundCall = "outbound-call",
        /// A reply to an inbound message.
        OutboundReply = "outbound-reply",
    }
}

open_enum! {
    /// Whether Twilio keeps the message's content (`ContentRetention`).
    pub enum ContentRetention {
        /// Keep it.
        Retain = "retain",
        /// Discard it once sent.
        Discard = "discard",
    }
}

open_enum! {
    /// Whether Twilio keeps the recipient's address (`AddressRetention`).
    pub enum AddressRetention {
        /// Keep it.
        Retain = "retain",
        /// Obfuscate it once sent.
        Obfuscate = "obfuscate",
    }
}

open_enum! {
    /// The kind of traffic (`TrafficType`).
    pub enum TrafficType {
        /// Free traffic.
        Free = "free",
    }
}

open_enum! {
    /// How a message is scheduled (`ScheduleType`).
    pub enum ScheduleType {
        /// At the fixed time given by `SendAt`.
        Fixed = "fixed",
    }
}

open_enum! {
    /// Whether Messaging's SMS pumping protection applies to this message (`RiskCheck`).
    pub enum MessageRiskCheck {
        /// Apply it (Twilio's default).
        Enable = "enable",
        /// Skip it for this message.
        Disable = "disable",
    }
}

/// Who a message comes from: a number or sender id (`From`), or a Messaging Service that picks
/// one of its senders (`MessagingServiceSid`).
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum Sender {
    /// A Twilio phone number (E.164), an alphanumeric sender id, or a channel address such as
    /// `whatsapp:+15017122661`.
    From(String),
    /// A Messaging Service (`MG…`).
    MessagingService(MessagingServiceSid),
}

impl From<MessagingServiceSid> for Sender {
    fn from(sid: MessagingServiceSid) -> Self {
        Self::MessagingService(sid)
    }
}

impl From<&MessagingServiceSid> for Sender {
    fn from(sid: &MessagingServiceSid) -> Self {
        Self::MessagingService(sid.clone())
    }
}

impl From<&str> for Sender {
    fn from(from: &str) -> Self {
        Self::From(from.to_owned())
    }
}

impl From<String> for Sender {
    fn from(from: String) -> Self {
        Self::From(from)
    }
}

/// `POST /2010-04-01/Accounts/{AccountSid}/Messages.json`: sends a message.
///
/// `To` is checked and normalised to E.164 unless it names a channel (`whatsapp:+1…`,
/// `messenger:…`); a `From` that looks like a phone number is normalised the same way. The
/// message needs content: a `Body`, a `MediaUrl` or a `ContentSid`. Like every POST, it is
/// never resent once it may have reached Twilio: a retry could text the user twice.
///
/// ```no_run
/// # async fn run(client: &twilio_verify::Client) -> twilio_verify::Result<()> {
/// use twilio_verify::messaging::CreateMessage;
///
/// let sent = CreateMessage::text(
///     client.account_sid(),
///     "+1 501 712 2661",
///     "+15557654321",
///     "Your password was found in a data breach. Please change it.",
/// )
/// .send(client)
/// .await?;
/// println!("{:?} is {:?}", sent.sid, sent.status);
/// # Ok(()) }
/// ```
#[derive(Debug, Clone, PartialEq)]
#[must_use = "a request does nothing until `.send(&client).await`"]
pub struct CreateMessage {
    account: AccountSid,
    to: Recipient,
    sender: Sender,
    params: Optional,
}

/// The optional parameters, in the order they are sent after `To` and the sender.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
#[serde(rename_all = "PascalCase")]
struct Optional {
    body: Option<crate::Secret>,
    media_url: Option<Vec<String>>,
    content_sid: Option<ContentSid>,
    content_variables: Option<crate::wire::JsonMap>,
    status_callback: Option<String>,
    application_sid: Option<ApplicationSid>,
    max_price: Option<f64>,
    provide_feedback: Option<bool>,
    attempt: Option<u32>,
    validity_period: Option<u32>,
    force_delivery: Option<bool>,
    content_retention: Option<ContentRetention>,
    address_retention: Option<AddressRetention>,
    smart_encoded: Option<bool>,
    persistent_action: Option<Vec<String>>,
    traffic_type: Option<TrafficType>,
    shorten_urls: Option<bool>,
    schedule_type: Option<ScheduleType>,
    send_at: Option<Timestamp>,
    send_as_mms: Option<bool>,
    risk_check: Option<MessageRiskCheck>,
    fallback_from: Option<String>,
}

request!(CreateMessage -> Message, "CreateMessage");

impl CreateMessage {
    /// A message to `to` from `sender` (a `From` number or a Messaging Service), under
    /// `account` (usually [`Client::account_sid`](crate::Client::account_sid)). Give it content
    /// with [`body`](Self::body), [`media_url`](Self::media_url) or
    /// [`content_sid`](Self::content_sid).
    pub fn new(
        account: impl Into<AccountSid>,
        to: impl Into<String>,
        sender: impl Into<Sender>,
    ) -> Self {
        Self {
            account: account.into(),
            to: Recipient::new(to),
            sender: sender.into(),
            params: Optional::default(),
        }
    }

    /// A text message: [`new`](Self::new) with `Body`.
    pub fn text(
        account: impl Into<AccountSid>,
        to: impl Into<String>,
        sender: impl Into<Sender>,
        body: impl Into<String>,
    ) -> Self {
        Self::new(account, to, sender).body(body)
    }

    setters! {
        /// `Body`: the text, up to 1,600 characters. Never shown by `Debug`: it may hold a code
        /// or personal data.
        body: secret();
        /// `ContentSid`: a Content Template (`HX…`) to send instead of a body.
        content_sid: into(ContentSid);
        /// `StatusCallback`: the URL Twilio posts the message's status changes to.
        status_callback: into(String);
        /// `ApplicationSid`: a TwiML Application (`AP…`) whose status callback URL to use.
        application_sid: into(ApplicationSid);
        /// `MaxPrice`: obsolete in Twilio's spec (no effect since 2024-06-03); kept for
        /// completeness.
        max_price: value(f64);
        /// `ProvideFeedback`: track delivery confirmation through the Message Feedback API.
        provide_feedback: value(bool);
        /// `Attempt`: the number of attempts made so far to send this message, this one
        /// included, whatever the provider.
        attempt: value(u32);
        /// `ValidityPeriod`: seconds the message may wait in Twilio's queue, 1 to 36000.
        validity_period: value(u32);
        /// `ForceDelivery`: reserved by Twilio.
        force_delivery: value(bool);
        /// `ContentRetention`: whether Twilio keeps the content.
        content_retention: value(ContentRetention);
        /// `AddressRetention`: whether Twilio keeps the recipient's address.
        address_retention: value(AddressRetention);
        /// `SmartEncoded`: replace Unicode characters that have a GSM-7 equivalent.
        smart_encoded: value(bool);
        /// `TrafficType`: the kind of traffic.
        traffic_type: value(TrafficType);
        /// `ShortenUrls`: shorten the links in the body (needs a Messaging Service with link
        /// shortening).
        shorten_urls: value(bool);
        /// `ScheduleType`: schedule the message (with `SendAt` and a Messaging Service).
        schedule_type: value(ScheduleType);
        /// `SendAt`: when a scheduled message is sent.
        send_at: value(Timestamp);
        /// `SendAsMms`: send as MMS even without media.
        send_as_mms: value(bool);
        /// `RiskCheck`: turn SMS pumping protection off for this message.
        risk_check: value(MessageRiskCheck);
        /// `FallbackFrom`: the sender to use when the first channel fails (RCS to SMS).
        fallback_from: into(String);
    }

    /// Adds a `MediaUrl`: a public URL of an image or file to send with the message (up to 10).
    pub fn media_url(mut self, url: impl Into<String>) -> Self {
        self.params
            .media_url
            .get_or_insert_with(Vec::new)
            .push(url.into());
        self
    }

    /// Adds a `PersistentAction`: a rich action for channels other than SMS and MMS.
    pub fn persistent_action(mut self, action: impl Into<String>) -> Self {
        let actions = self.params.persistent_action.get_or_insert_with(Vec::new);
        actions.push(action.into());
        self
    }

    /// Adds one of `ContentVariables`, the values of a Content Template's variables.
    pub fn content_variable(mut self, key: impl Into<String>, value: impl Into<String>) -> Self {
        let slot = &mut self.params.content_variables;
        crate::wire::JsonMap::insert(slot, key.into(), value.into().into());
        self
    }

    fn wire(&self) -> Result<WireRequest, InvalidInput> {
        let to = address("To", self.to.as_str())?;
        let p = &self.params;
        if p.body.is_none() && p.media_url.is_none() && p.content_sid.is_none() {
            return Err(InvalidInput::new(
                "Body",
                "a message needs a Body, a MediaUrl or a ContentSid",
            ));
        }
        if let Some(body) = &p.body {
            let n = body.expose().chars().count();
            if n == 0 || n > 1600 {
                return Err(InvalidInput::new("Body", "must be 1 to 1600 characters"));
            }
        }
        if p.media_url.as_ref().is_some_and(|m| m.len() > 10) {
            return Err(InvalidInput::new("MediaUrl", "at most 10 media URLs"));
        }
        for url in p.media_url.iter().flatten() {
            crate::verify::check_url("MediaUrl", url)?;
        }
        if let Some(url) = &p.status_callback {
            crate::verify::check_url("StatusCallback", url)?;
        }
        if p.validity_period
            .is_some_and(|v| !(1..=36_000).contains(&v))
        {
            return Err(InvalidInput::new(
                "ValidityPeriod",
                "must be between 1 and 36000",
            ));
        }
        if let Some(sid) = &p.content_sid {
            sid.checked()?;
        }
        if let Some(sid) = &p.application_sid {
            sid.checked()?;
        }
        let mut form = Params::new();
        form.str("To", &to);
        match &self.sender {
            Sender::From(from) => form.str("From", &address("From", from)?),
            Sender::MessagingService(sid) => form.str("MessagingServiceSid", sid.checked()?),
        };
        match &p.fallback_from {
            // Normalised like `From`, in a copy: the request itself stays as it was given.
            Some(fallback) => {
                let fallback_from = Some(address("FallbackFrom", fallback)?);
                form.fields(&Optional {
                    fallback_from,
                    ..p.clone()
                })?
            }
            None => form.fields(p)?,
        };
        let path = account_path(&self.account, "Messages.json")?;
        Ok(WireRequest::post(Self::OPERATION, path, form).on(Host::Api))
    }
}

/// A recipient or sender: a channel address (`whatsapp:+1…`) or an alphanumeric sender id as
/// it is, anything that looks like a phone number normalised to E.164.
pub(crate) fn address(field: &'static str, value: &str) -> Result<String, InvalidInput> {
    let v = value.trim();
    if v.is_empty() {
        return Err(InvalidInput::new(field, "must not be empty"));
    }
    if v.contains(':') || v.chars().any(|c| c.is_ascii_alphabetic()) {
        if v.chars().any(|c| c.is_control() || c.is_whitespace()) {
            return Err(InvalidInput::new(field, "must not hold white space"));
        }
        return Ok(v.to_owned());
    }
    PhoneNumber::parse_field(v, field).map(PhoneNumber::into_string)
}

/// A message (`api.v2010.account.message`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct Message {
    /// The message's SID (`SM…`, or `MM…` for MMS).
    pub sid: Option<MessageSid>,
    /// The account that sent it.
    pub account_sid: Option<AccountSid>,
    /// The Messaging Service that sent it, if any.
    pub messaging_service_sid: Option<MessagingServiceSid>,
    /// The text (sensitive: never shown by `Debug`).
    pub body: Option<crate::Secret>,
    /// How many segments the text took.
    #[serde(default, deserialize_with = "crate::de::lenient_string")]
    pub num_segments: Option<String>,
    /// How many media files it carries.
    #[serde(default, deserialize_with = "crate::de::lenient_string")]
    pub num_media: Option<String>,
    /// Which way it went.
    pub direction: Option<MessageDirection>,
    /// The sender.
    #[serde(default, deserialize_with = "crate::phone::lenient_recipient")]
    pub from: Option<Recipient>,
    /// The recipient.
    #[serde(default, deserialize_with = "crate::phone::lenient_recipient")]
    pub to: Option<Recipient>,
    /// Where it stands.
    pub status: Option<MessageStatus>,
    /// When it was created.
    #[serde(default, deserialize_with = "crate::de::OrNone::deserialize")]
    pub date_created: Option<Timestamp>,
    /// When it was last updated.
    #[serde(default, deserialize_with = "crate::de::OrNone::deserialize")]
    pub date_updated: Option<Timestamp>,
    /// When it was sent.
    #[serde(default, deserialize_with = "crate::de::OrNone::deserialize")]
    pub date_sent: Option<Timestamp>,
    /// What it cost, as Twilio writes it (`"-0.00750"`); known once sent.
    #[serde(default, deserialize_with = "crate::de::lenient_string")]
    pub price: Option<String>,
    /// The currency of the price (`USD`).
    pub price_unit: Option<String>,
    /// Twilio's error code when it failed.
    pub error_code: Option<i64>,
    /// Twilio's error message when it failed.
    pub error_message: Option<String>,
    /// The API version (`2010-04-01`).
    pub api_version: Option<String>,
    /// The message's URI, relative to the API host.
    pub uri: Option<String>,
    /// URIs of its sub-resources (`media`, `feedback`), by name.
    #[serde(default, deserialize_with = "crate::de::lenient_string_map")]
    pub subresource_uris: Option<BTreeMap<String, String>>,
}
