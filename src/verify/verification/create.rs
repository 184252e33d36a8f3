//! `CreateVerification`: starts a verification, which texts, rings or mails the user.

use std::net::IpAddr;

use serde::Serialize;
use serde_json::Value;

use super::{ChannelConfiguration, RiskCheck, Verification, check_code, check_to};
use crate::error::InvalidInput;
use crate::macros::setters;
use crate::phone::Recipient;
use crate::request::{Request, request};
use crate::secret::Secret;
use crate::sid::{ServiceSid, TemplateSid};
use crate::verify::Channel;
use crate::wire::{JsonMap, Params, Path, WireRequest};

/// `POST /v2/Services/{ServiceSid}/Verifications`: starts a verification (sends a code).
///
/// `To` is checked against the channel before sending: an E.164 phone number (normalised from
/// forms such as `+1 (501) 712-2661`) for `sms`, `call`, `whatsapp`, `sna`, `auto` and `rcs`,
/// an e-mail address for `email`. A custom code must be 4 to 10 characters; at most 10 tags.
///
/// Sending twice within the verification's lifetime re-sends the same code and counts against
/// the five-sends limit (error 60203,
/// [`ErrorCode::MaxSendAttempts`](crate::ErrorCode::MaxSendAttempts)): this request is never
/// retried once it may have reached Twilio.
///
/// ```no_run
/// # async fn run(client: &twilio_verify::Client, service: &twilio_verify::ServiceSid) -> twilio_verify::Result<()> {
/// use twilio_verify::verify::{Channel, CreateVerification};
///
/// // A code Auth0 (or your own system) generated, delivered by Verify:
/// let v = CreateVerification::new(service, "+1 501 712 2661", Channel::Sms)
///     .custom_code("482913")
///     .locale("fr")
///     .tag("flow", "login")
///     .send(client)
///     .await?;
/// println!("{:?} is {:?}", v.sid, v.status);
/// # Ok(()) }
/// ```
#[derive(Debug, Clone, PartialEq)]
#[must_use = "a request does nothing until `.send(&client).await`"]
pub struct CreateVerification {
    service: ServiceSid,
    to: Recipient,
    channel: Channel,
    params: Optional,
}

/// The optional parameters, in the order they are sent.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
#[serde(rename_all = "PascalCase")]
struct Optional {
    custom_friendly_name: Option<String>,
    custom_message: Option<String>,
    send_digits: Option<Secret>,
    locale: Option<String>,
    custom_code: Option<Secret>,
    amount: Option<Secret>,
    payee: Option<Secret>,
    rate_limits: Option<JsonMap>,
    channel_configuration: Option<JsonMap>,
    app_hash: Option<String>,
    template_sid: Option<TemplateSid>,
    template_custom_substitutions: Option<JsonMap>,
    device_ip: Option<IpAddr>,
    enable_sna_client_token: Option<bool>,
    risk_check: Option<RiskCheck>,
    tags: Option<JsonMap>,
}

request!(CreateVerification -> Verification, "CreateVerification");

impl CreateVerification {
    /// A verification of `to` over `channel` under `service`.
    pub fn new(service: impl Into<ServiceSid>, to: impl Into<String>, channel: Channel) -> Self {
        Self {
            service: service.into(),
            to: Recipient::new(to),
            channel,
            params: Optional::default(),
        }
    }

    /// The channel this verification will use.
    pub fn channel(&self) -> &Channel {
        &self.channel
    }

    setters! {
        /// `CustomFriendlyName`: the name shown in the message, in place of the service's.
        custom_friendly_name: into(String);
        /// `CustomMessage`: deprecated by Twilio; use templates.
        #[deprecated(note = "Twilio deprecated CustomMessage; use template_sid")]
        custom_message: into(String);
        /// `SendDigits`: digits to dial after a voice call connects (`ww1234`), for extensions.
        /// Never shown by `Debug`.
        send_digits: secret();
        /// `Locale`: the message language (`en`, `pt-BR`…). Leave it unset to let Verify pick
        /// from the number's country; an unsupported locale makes Twilio answer 404.
        locale: into(String);
        /// `CustomCode`: a code your system generated (4 to 10 characters). The service needs
        /// custom codes enabled, or Twilio answers 60204. Never shown by `Debug`.
        custom_code: secret();
        /// `Amount`: the PSD2 transaction amount (the service needs PSD2 enabled).
        amount: secret();
        /// `Payee`: the PSD2 payee (the service needs PSD2 enabled).
        payee: secret();
        /// `AppHash`: the Android SMS Retriever hash appended to the message.
        app_hash: into(String);
        /// `TemplateSid`: the message template to use instead of the service default.
        template_sid: into(TemplateSid);
        /// `DeviceIp`: the end user's IP address; strongly advised with [`Channel::Auto`].
        device_ip: value(IpAddr);
        /// `EnableSnaClientToken`: ask for a client token that the SNA check must echo.
        enable_sna_client_token: value(bool);
        /// `RiskCheck`: turn Fraud Guard and geo permissions off for this one (SMS only).
        risk_check: value(RiskCheck);
    }

    /// Adds one entry to `RateLimits`: the value for a programmable rate limit, by its unique
    /// name (`"end_user_ip_address"`, `"127.0.0.1"`).
    pub fn rate_limit(mut self, unique_name: impl Into<String>, value: impl Into<Value>) -> Self {
        JsonMap::insert(
            &mut self.params.rate_limits,
            unique_name.into(),
            value.into(),
        );
        self
    }

    /// `ChannelConfiguration`: settings of the e-mail channel.
    pub fn channel_configuration(mut self, config: ChannelConfiguration) -> Self {
        self.params.channel_configuration = Some(JsonMap(config.0));
        self
    }

    /// Adds one variable to `TemplateCustomSubstitutions`.
    pub fn template_custom_substitution(
        mut self,
        key: impl Into<String>,
        value: impl Into<Value>,
    ) -> Self {
        let slot = &mut self.params.template_custom_substitutions;
        JsonMap::insert(slot, key.into(), value.into());
        self
    }

    /// Adds one entry to `Tags`: at most 10 tags, keys and values up to 128 characters, no
    /// personal data. Tags show up in Verify's reports.
    pub fn tag(mut self, key: impl Into<String>, value: impl Into<String>) -> Self {
        JsonMap::insert(
            &mut self.params.tags,
            key.into(),
            Value::String(value.into()),
        );
        self
    }

    fn wire(&self) -> Result<WireRequest, InvalidInput> {
        let to = check_to(&self.channel, self.to.as_str())?;
        let p = &self.params;
        if let Some(t) = &p.template_sid {
            t.checked()?;
        }
        if let Some(code) = &p.custom_code {
            check_code("CustomCode", code.expose())?;
        }
        if p.locale.as_deref().is_some_and(|l| {
            l.is_empty()
                || !l
                    .bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
        }) {
            return Err(InvalidInput::new(
                "Locale",
                "expected a language tag such as `en` or `pt-BR`",
            ));
        }
        if let Some(JsonMap(tags)) = &p.tags {
            if tags.len() > 10 {
                return Err(InvalidInput::new("Tags", "at most 10 tags"));
            }
            let too_long = |s: &str| s.chars().count() > 128;
            if tags
                .iter()
                .any(|(k, v)| too_long(k) || v.as_str().is_some_and(too_long))
            {
                return Err(InvalidInput::new(
                    "Tags",
                    "keys and values are at most 128 characters",
                ));
            }
        }
        let mut form = Params::new();
        form.str("To", &to)
            .str("Channel", self.channel.as_str())
            .fields(p)?;
        let path = Path::new("/v2/Services")
            .seg(self.service.checked()?)
            .lit("Verifications")
            .finish();
        Ok(WireRequest::post(Self::OPERATION, path, form))
    }
}
