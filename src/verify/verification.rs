//! Verifications (`/v2/Services/{ServiceSid}/Verifications`): start one, fetch it, and give
//! feedback (approve or cancel).

use std::fmt;
use std::net::IpAddr;

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use super::target::VerificationTarget;
use super::{Channel, VerificationStatus};
use crate::error::InvalidInput;
use crate::macros::open_enum;
use crate::phone::{PhoneNumber, Recipient, check_email};
use crate::redact;
use crate::secret::Secret;
use crate::sid::{AccountSid, AttemptSid, ServiceSid, TemplateSid, VerificationSid};
use crate::timestamp::Timestamp;
use crate::wire::{Params, Path, WireRequest};

open_enum! {
    /// Whether Fraud Guard and geo permissions apply to this verification (`RiskCheck`).
    pub enum RiskCheck {
        /// Apply them (Twilio's default).
        Enable = "enable",
        /// Skip them for this verification (SMS only).
        Disable = "disable",
    }
}

/// The status a verification update sets: the feedback Twilio's Fraud Guard learns from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum UpdateStatus {
    /// The user proved ownership (for example, your own system checked a custom code).
    Approved,
    /// The verification will not be completed.
    Canceled,
}

impl UpdateStatus {
    /// The value as sent.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Approved => "approved",
            Self::Canceled => "canceled",
        }
    }
}

/// Checks a one-time code: 4 to 10 characters, none of them white space or control characters.
pub(crate) fn check_code(field: &'static str, code: &str) -> Result<(), InvalidInput> {
    if code.is_empty() {
        return Err(InvalidInput::new(field, "must not be empty"));
    }
    let n = code.chars().count();
    if !(4..=10).contains(&n) {
        return Err(InvalidInput::new(field, "must be 4 to 10 characters"));
    }
    if code.chars().any(|c| c.is_whitespace() || c.is_control()) {
        return Err(InvalidInput::new(field, "must not contain white space"));
    }
    Ok(())
}

/// Checks `to` for `channel` and returns it normalised (E.164 for phone channels).
pub(crate) fn check_to(channel: &Channel, to: &str) -> Result<String, InvalidInput> {
    match channel {
        Channel::Email => check_email(to.trim(), "To").map(|()| to.trim().to_owned()),
        Channel::Unknown(_) if to.trim().is_empty() => {
            Err(InvalidInput::new("To", "must not be empty"))
        }
        Channel::Unknown(_) => Ok(to.trim().to_owned()),
        _ => PhoneNumber::parse(to).map(PhoneNumber::into_string),
    }
}

/// The e-mail channel's settings (`ChannelConfiguration`), sent as JSON.
///
/// ```
/// use twilio_verify::verify::ChannelConfiguration;
///
/// let cfg = ChannelConfiguration::new()
///     .from("login@example.com")
///     .from_name("Example")
///     .template_id("d-4f7abxxxxxxxxxxxx")
///     .substitution("username", "Jane");
/// # let _ = cfg;
/// ```
#[derive(Debug, Clone, Default, PartialEq)]
#[must_use]
pub struct ChannelConfiguration(Map<String, Value>);

impl ChannelConfiguration {
    /// An empty configuration.
    pub fn new() -> Self {
        Self::default()
    }

    /// `from`: the sender address.
    pub fn from(self, from: impl Into<String>) -> Self {
        self.field("from", from.into())
    }

    /// `from_name`: the sender name.
    pub fn from_name(self, name: impl Into<String>) -> Self {
        self.field("from_name", name.into())
    }

    /// `template_id`: the e-mail template.
    pub fn template_id(self, id: impl Into<String>) -> Self {
        self.field("template_id", id.into())
    }

    /// Adds one entry to `substitutions`, the template's variables.
    pub fn substitution(mut self, key: impl Into<String>, value: impl Into<Value>) -> Self {
        let subs = self
            .0
            .entry("substitutions")
            .or_insert_with(|| Value::Object(Map::new()));
        if let Value::Object(m) = subs {
            m.insert(key.into(), value.into());
        }
        self
    }

    /// Sets any other key.
    pub fn field(mut self, key: impl Into<String>, value: impl Into<Value>) -> Self {
        self.0.insert(key.into(), value.into());
        self
    }

    /// The configuration as JSON.
    pub fn as_json(&self) -> &Map<String, Value> {
        &self.0
    }
}

/// `POST /v2/Services/{ServiceSid}/Verifications`: starts a verification (sends a code).
///
/// `To` is checked against the channel before sending: an E.164 phone number (normalised from
/// forms such as `+1 (501) 712-2661`) for `sms`, `call`, `whatsapp`, `sna`, `auto` and `rcs`,
/// an e-mail address for `email`.
///
/// Sending twice within the verification's lifetime re-sends the same code and counts against
/// the five-sends limit (error 60203): this request is never retried automatically.
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
#[derive(Clone, PartialEq)]
#[must_use = "a request does nothing until `.send(&client).await`"]
pub struct CreateVerification {
    service: ServiceSid,
    to: String,
    channel: Channel,
    custom_friendly_name: Option<String>,
    custom_message: Option<String>,
    send_digits: Option<String>,
    locale: Option<String>,
    custom_code: Option<Secret>,
    amount: Option<Secret>,
    payee: Option<Secret>,
    rate_limits: Option<Map<String, Value>>,
    channel_configuration: Option<ChannelConfiguration>,
    app_hash: Option<String>,
    template_sid: Option<TemplateSid>,
    template_custom_substitutions: Option<Map<String, Value>>,
    device_ip: Option<IpAddr>,
    enable_sna_client_token: Option<bool>,
    risk_check: Option<RiskCheck>,
    tags: Option<Map<String, Value>>,
}

impl CreateVerification {
    /// A verification of `to` over `channel` under `service`.
    pub fn new(service: impl Into<ServiceSid>, to: impl Into<String>, channel: Channel) -> Self {
        Self {
            service: service.into(),
            to: to.into(),
            channel,
            custom_friendly_name: None,
            custom_message: None,
            send_digits: None,
            locale: None,
            custom_code: None,
            amount: None,
            payee: None,
            rate_limits: None,
            channel_configuration: None,
            app_hash: None,
            template_sid: None,
            template_custom_substitutions: None,
            device_ip: None,
            enable_sna_client_token: None,
            risk_check: None,
            tags: None,
        }
    }

    /// The channel this verification will use.
    pub fn channel(&self) -> &Channel {
        &self.channel
    }

    /// `CustomFriendlyName`: the name shown in the message, in place of the service's.
    pub fn custom_friendly_name(mut self, name: impl Into<String>) -> Self {
        self.custom_friendly_name = Some(name.into());
        self
    }

    /// `CustomMessage`: deprecated by Twilio; use templates.
    #[deprecated(note = "Twilio deprecated CustomMessage; use template_sid")]
    pub fn custom_message(mut self, message: impl Into<String>) -> Self {
        self.custom_message = Some(message.into());
        self
    }

    /// `SendDigits`: digits to dial after a voice call connects (`ww1234`), for extensions.
    pub fn send_digits(mut self, digits: impl Into<String>) -> Self {
        self.send_digits = Some(digits.into());
        self
    }

    /// `Locale`: the message language (`en`, `pt-BR`…). Leave it unset to let Verify pick from
    /// the number's country; an unsupported locale makes Twilio answer 404.
    pub fn locale(mut self, locale: impl Into<String>) -> Self {
        self.locale = Some(locale.into());
        self
    }

    /// `CustomCode`: a code your system generated (4 to 10 characters). The service needs
    /// custom codes enabled, or Twilio answers 60204. Never shown by `Debug`.
    pub fn custom_code(mut self, code: impl Into<String>) -> Self {
        self.custom_code = Some(Secret::new(code.into()));
        self
    }

    /// `Amount`: the PSD2 transaction amount (the service needs PSD2 enabled).
    pub fn amount(mut self, amount: impl Into<String>) -> Self {
        self.amount = Some(Secret::new(amount.into()));
        self
    }

    /// `Payee`: the PSD2 payee (the service needs PSD2 enabled).
    pub fn payee(mut self, payee: impl Into<String>) -> Self {
        self.payee = Some(Secret::new(payee.into()));
        self
    }

    /// Adds one entry to `RateLimits`: the value for a programmable rate limit, by its unique
    /// name (`"end_user_ip_address"`, `"127.0.0.1"`).
    pub fn rate_limit(mut self, unique_name: impl Into<String>, value: impl Into<Value>) -> Self {
        self.rate_limits
            .get_or_insert_with(Map::new)
            .insert(unique_name.into(), value.into());
        self
    }

    /// `ChannelConfiguration`: settings of the e-mail channel.
    pub fn channel_configuration(mut self, config: ChannelConfiguration) -> Self {
        self.channel_configuration = Some(config);
        self
    }

    /// `AppHash`: the Android SMS Retriever hash appended to the message.
    pub fn app_hash(mut self, hash: impl Into<String>) -> Self {
        self.app_hash = Some(hash.into());
        self
    }

    /// `TemplateSid`: the message template to use instead of the service default.
    pub fn template_sid(mut self, sid: impl Into<TemplateSid>) -> Self {
        self.template_sid = Some(sid.into());
        self
    }

    /// Adds one variable to `TemplateCustomSubstitutions`.
    pub fn template_custom_substitution(
        mut self,
        key: impl Into<String>,
        value: impl Into<Value>,
    ) -> Self {
        self.template_custom_substitutions
            .get_or_insert_with(Map::new)
            .insert(key.into(), value.into());
        self
    }

    /// `DeviceIp`: the end user's IP address; strongly advised with [`Channel::Auto`].
    pub fn device_ip(mut self, ip: IpAddr) -> Self {
        self.device_ip = Some(ip);
        self
    }

    /// `EnableSnaClientToken`: ask for a client token that the SNA check must echo.
    pub fn enable_sna_client_token(mut self, enable: bool) -> Self {
        self.enable_sna_client_token = Some(enable);
        self
    }

    /// `RiskCheck`: turn Fraud Guard and geo permissions off for this one (SMS only).
    pub fn risk_check(mut self, risk_check: RiskCheck) -> Self {
        self.risk_check = Some(risk_check);
        self
    }

    /// Adds one entry to `Tags`: at most 10 tags, keys and values up to 128 characters, no
    /// personal data. Tags show up in Verify's reports.
    pub fn tag(mut self, key: impl Into<String>, value: impl Into<String>) -> Self {
        self.tags
            .get_or_insert_with(Map::new)
            .insert(key.into(), Value::String(value.into()));
        self
    }

    /// The wire form of this request (method, path, query, form body), after checking the
    /// input: for sending it with an HTTP stack of your own. `send` does all of this for you.
    ///
    /// # Errors
    ///
    /// [`InvalidInput`] when a parameter is malformed.
    pub fn to_wire(&self) -> Result<WireRequest, InvalidInput> {
        let to = check_to(&self.channel, &self.to)?;
        if let Some(t) = &self.template_sid {
            t.checked()?;
        }
        if let Some(code) = &self.custom_code {
            check_code("CustomCode", code.expose())?;
        }
        if self.locale.as_deref().is_some_and(|l| {
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
        if let Some(tags) = &self.tags {
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
        let json = |m: &Map<String, Value>| Value::Object(m.clone()).to_string();
        let ip = self.device_ip.map(|ip| ip.to_string());
        let mut form = Params::new();
        form.str("To", &to)
            .str("Channel", self.channel.as_str())
            .opt_str("CustomFriendlyName", self.custom_friendly_name.as_deref())
            .opt_str("CustomMessage", self.custom_message.as_deref())
            .opt_str("SendDigits", self.send_digits.as_deref())
            .opt_str("Locale", self.locale.as_deref())
            .opt_str("CustomCode", self.custom_code.as_ref().map(|c| c.expose()))
            .opt_str("Amount", self.amount.as_ref().map(|c| c.expose()))
            .opt_str("Payee", self.payee.as_ref().map(|c| c.expose()))
            .opt_str("RateLimits", self.rate_limits.as_ref().map(json).as_deref())
            .opt_str(
                "ChannelConfiguration",
                self.channel_configuration
                    .as_ref()
                    .map(|c| json(&c.0))
                    .as_deref(),
            )
            .opt_str("AppHash", self.app_hash.as_deref())
            .opt_str(
                "TemplateSid",
                self.template_sid.as_ref().map(TemplateSid::as_str),
            )
            .opt_str(
                "TemplateCustomSubstitutions",
                self.template_custom_substitutions
                    .as_ref()
                    .map(json)
                    .as_deref(),
            )
            .opt_str("DeviceIp", ip.as_deref())
            .opt_bool("EnableSnaClientToken", self.enable_sna_client_token)
            .opt_str("RiskCheck", self.risk_check.as_ref().map(RiskCheck::as_str))
            .opt_str("Tags", self.tags.as_ref().map(json).as_deref());
        let path = Path::new("/v2/Services")
            .seg(self.service.checked()?)
            .lit("Verifications")
            .finish();
        Ok(WireRequest::post("CreateVerification", path, form))
    }

    /// Sends the request. This is the call that texts, rings or mails the user.
    ///
    /// # Errors
    ///
    /// [`Error::InvalidInput`](crate::Error::InvalidInput) for a `To` that does not fit the
    /// channel, a custom code that is not 4 to 10 characters, or bad tags; nothing is sent.
    /// Otherwise as for any request; Twilio's Verify limits arrive as
    /// [`ErrorCode::MaxSendAttempts`](crate::ErrorCode::MaxSendAttempts) and friends.
    #[cfg(feature = "client")]
    pub fn send(
        self,
        client: &crate::Client,
    ) -> impl Future<Output = crate::Result<Verification>> + Send + '_ {
        client.execute(self.to_wire())
    }
}

impl fmt::Debug for CreateVerification {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        struct To<'a>(&'a str);
        impl fmt::Debug for To<'_> {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                redact::write_recipient(f, self.0)
            }
        }
        f.debug_struct("CreateVerification")
            .field("service", &self.service)
            .field("to", &To(&self.to))
            .field("channel", &self.channel)
            .field("custom_friendly_name", &self.custom_friendly_name)
            .field(
                "send_digits",
                &self.send_digits.as_ref().map(|_| redact::REDACTED),
            )
            .field("locale", &self.locale)
            .field("custom_code", &self.custom_code)
            .field("amount", &self.amount)
            .field("payee", &self.payee)
            .field("rate_limits", &self.rate_limits.as_ref().map(|m| m.len()))
            .field(
                "channel_configuration",
                &self.channel_configuration.is_some(),
            )
            .field("app_hash", &self.app_hash)
            .field("template_sid", &self.template_sid)
            .field("device_ip", &self.device_ip)
            .field("enable_sna_client_token", &self.enable_sna_client_token)
            .field("risk_check", &self.risk_check)
            .field("tags", &self.tags)
            .finish_non_exhaustive()
    }
}

/// `GET /v2/Services/{ServiceSid}/Verifications/{Sid}`: fetches a verification by SID or by the
/// `To` it was sent to.
///
/// Twilio keeps a verification only while it is pending: an approved, canceled or expired one
/// answers 404 (code 20404).
///
/// ```no_run
/// # async fn run(client: &twilio_verify::Client, service: &twilio_verify::ServiceSid) -> twilio_verify::Result<()> {
/// use twilio_verify::verify::FetchVerification;
///
/// match FetchVerification::new(service, "+15017122661").send(client).await {
///     Ok(v) => println!("still {:?}", v.status),
///     Err(e) if e.is_not_found() => println!("nothing pending"),
///     Err(e) => return Err(e),
/// }
/// # Ok(()) }
/// ```
#[derive(Debug, Clone, PartialEq)]
#[must_use = "a request does nothing until `.send(&client).await`"]
pub struct FetchVerification {
    service: ServiceSid,
    target: VerificationTarget,
}

impl FetchVerification {
    /// A fetch of the verification `target` (a `VE…` SID, a phone number or an e-mail address).
    pub fn new(service: impl Into<ServiceSid>, target: impl Into<VerificationTarget>) -> Self {
        Self {
            service: service.into(),
            target: target.into(),
        }
    }

    /// The wire form of this request (method, path, query, form body), after checking the
    /// input: for sending it with an HTTP stack of your own. `send` does all of this for you.
    ///
    /// # Errors
    ///
    /// [`InvalidInput`] when a parameter is malformed.
    pub fn to_wire(&self) -> Result<WireRequest, InvalidInput> {
        let path = Path::new("/v2/Services")
            .seg(self.service.checked()?)
            .lit("Verifications")
            .seg(self.target.check()?)
            .finish();
        Ok(WireRequest::get("FetchVerification", path, Params::new()))
    }

    /// Sends the request.
    ///
    /// # Errors
    ///
    /// [`Error::InvalidInput`](crate::Error::InvalidInput) for a malformed target; otherwise as
    /// for any request.
    #[cfg(feature = "client")]
    pub fn send(
        self,
        client: &crate::Client,
    ) -> impl Future<Output = crate::Result<Verification>> + Send + '_ {
        client.execute(self.to_wire())
    }
}

/// `POST /v2/Services/{ServiceSid}/Verifications/{Sid}`: the feedback call. It approves or
/// cancels a pending verification, by SID or by the `To` it was sent to.
///
/// Approving tells Verify the user proved ownership, which is what feeds Fraud Guard's
/// conversion data when your own system (Auth0, say) checked the code. Canceling ends a
/// verification that will not be completed.
///
/// ```no_run
/// # async fn run(client: &twilio_verify::Client, service: &twilio_verify::ServiceSid) -> twilio_verify::Result<()> {
/// use twilio_verify::verify::UpdateVerification;
///
/// let v = UpdateVerification::approve(service, "+15017122661").send(client).await?;
/// assert_eq!(v.status, Some(twilio_verify::verify::VerificationStatus::Approved));
/// # Ok(()) }
/// ```
#[derive(Debug, Clone, PartialEq)]
#[must_use = "a request does nothing until `.send(&client).await`"]
pub struct UpdateVerification {
    service: ServiceSid,
    target: VerificationTarget,
    status: UpdateStatus,
}

impl UpdateVerification {
    /// Sets `target`'s status to `status`.
    pub fn new(
        service: impl Into<ServiceSid>,
        target: impl Into<VerificationTarget>,
        status: UpdateStatus,
    ) -> Self {
        Self {
            service: service.into(),
            target: target.into(),
            status,
        }
    }

    /// Approves `target` (`Status=approved`).
    pub fn approve(service: impl Into<ServiceSid>, target: impl Into<VerificationTarget>) -> Self {
        Self::new(service, target, UpdateStatus::Approved)
    }

    /// Cancels `target` (`Status=canceled`).
    pub fn cancel(service: impl Into<ServiceSid>, target: impl Into<VerificationTarget>) -> Self {
        Self::new(service, target, UpdateStatus::Canceled)
    }

    /// The wire form of this request (method, path, query, form body), after checking the
    /// input: for sending it with an HTTP stack of your own. `send` does all of this for you.
    ///
    /// # Errors
    ///
    /// [`InvalidInput`] when a parameter is malformed.
    pub fn to_wire(&self) -> Result<WireRequest, InvalidInput> {
        let path = Path::new("/v2/Services")
            .seg(self.service.checked()?)
            .lit("Verifications")
            .seg(self.target.check()?)
            .finish();
        let mut form = Params::new();
        form.str("Status", self.status.as_str());
        Ok(WireRequest::post("UpdateVerification", path, form))
    }

    /// Sends the request.
    ///
    /// # Errors
    ///
    /// [`Error::InvalidInput`](crate::Error::InvalidInput) for a malformed target; a
    /// verification that is no longer pending answers 404 (code 20404,
    /// [`Error::is_not_found`](crate::Error::is_not_found)).
    #[cfg(feature = "client")]
    pub fn send(
        self,
        client: &crate::Client,
    ) -> impl Future<Output = crate::Result<Verification>> + Send + '_ {
        client.execute(self.to_wire())
    }
}

/// A verification (`verify.v2.service.verification`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct Verification {
    /// The verification SID (`VE…`).
    pub sid: Option<VerificationSid>,
    /// The service it belongs to.
    pub service_sid: Option<ServiceSid>,
    /// The account it belongs to.
    pub account_sid: Option<AccountSid>,
    /// The phone number or e-mail address the code went to.
    pub to: Option<Recipient>,
    /// The channel used (for a request with `auto`, the one Verify picked).
    pub channel: Option<Channel>,
    /// The state: pending, approved, canceled, max attempts reached, expired…
    pub status: Option<VerificationStatus>,
    /// Legacy: whether the code was approved. Read `status` instead.
    pub valid: Option<bool>,
    /// Carrier information, when lookup is enabled.
    pub lookup: Option<Lookup>,
    /// The PSD2 amount (sensitive: never shown by `Debug`).
    pub amount: Option<Secret>,
    /// The PSD2 payee (sensitive: never shown by `Debug`).
    pub payee: Option<Secret>,
    /// Every delivery attempt so far.
    #[serde(default, deserialize_with = "crate::de::lenient_objects")]
    pub send_code_attempts: Option<Vec<SendCodeAttempt>>,
    /// When the verification was created.
    pub date_created: Option<Timestamp>,
    /// When the verification was last updated.
    pub date_updated: Option<Timestamp>,
    /// Silent network authentication details, for the `sna` channel.
    pub sna: Option<Sna>,
    /// The verification's URL.
    pub url: Option<String>,
}

impl Verification {
    /// Whether the status is `pending`.
    pub fn is_pending(&self) -> bool {
        self.status == Some(VerificationStatus::Pending)
    }

    /// Whether the status is `approved`.
    pub fn is_approved(&self) -> bool {
        self.status == Some(VerificationStatus::Approved)
    }
}

/// Carrier lookup result of a verification.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct Lookup {
    /// The carrier of the number.
    pub carrier: Option<Carrier>,
}

/// A phone number's carrier.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct Carrier {
    /// Mobile country code.
    #[serde(default, deserialize_with = "crate::de::lenient_string")]
    pub mobile_country_code: Option<String>,
    /// Mobile network code.
    #[serde(default, deserialize_with = "crate::de::lenient_string")]
    pub mobile_network_code: Option<String>,
    /// The carrier's name.
    pub name: Option<String>,
    /// The line type (`mobile`, `landline`, `voip`).
    #[serde(rename = "type")]
    pub line_type: Option<String>,
    /// The lookup error, if any.
    pub error_code: Option<Value>,
}

/// One delivery attempt of a verification.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct SendCodeAttempt {
    /// When the attempt was made.
    pub time: Option<Timestamp>,
    /// The channel used (Twilio sends it in capitals here, `SMS`).
    pub channel: Option<Channel>,
    /// The attempt's SID (`VL…`).
    pub attempt_sid: Option<AttemptSid>,
}

/// Silent network authentication details.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct Sna {
    /// The URL the device must open over its mobile data connection.
    pub url: Option<String>,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn service() -> ServiceSid {
        ServiceSid::parse("VAaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa").expect("sid")
    }

    #[test]
    #[allow(deprecated)]
    fn create_sends_every_parameter() {
        let req = CreateVerification::new(service(), "+1 (501) 712-2661", Channel::Sms)
            .custom_friendly_name("Shop")
            .custom_message("m")
            .send_digits("ww1")
            .locale("pt-BR")
            .custom_code("123456")
            .amount("10 EUR")
            .payee("Acme")
            .rate_limit("end_user_ip", "127.0.0.1")
            .channel_configuration(ChannelConfiguration::new().from("a@b.co"))
            .app_hash("hash")
            .template_sid(TemplateSid::parse("HJaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa").expect("hj"))
            .template_custom_substitution("name", "Jane")
            .device_ip("127.0.0.1".parse().expect("ip"))
            .enable_sna_client_token(true)
            .risk_check(RiskCheck::Disable)
            .tag("flow", "login")
            .to_wire()
            .expect("valid");
        assert_eq!(
            req.path,
            "/v2/Services/VAaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa/Verifications"
        );
        let pairs: Vec<(String, String)> =
            form_urlencoded::parse(req.body.expect("form").as_bytes())
                .into_owned()
                .collect();
        let get = |k: &str| {
            pairs
                .iter()
                .find(|(key, _)| key == k)
                .map(|(_, v)| v.as_str())
        };
        assert_eq!(pairs.len(), 18);
        assert_eq!(get("To"), Some("+15017122661"));
        assert_eq!(get("Channel"), Some("sms"));
        assert_eq!(get("CustomCode"), Some("123456"));
        assert_eq!(get("RateLimits"), Some(r#"{"end_user_ip":"127.0.0.1"}"#));
        assert_eq!(get("ChannelConfiguration"), Some(r#"{"from":"a@b.co"}"#));
        assert_eq!(
            get("TemplateCustomSubstitutions"),
            Some(r#"{"name":"Jane"}"#)
        );
        assert_eq!(get("Tags"), Some(r#"{"flow":"login"}"#));
        assert_eq!(get("EnableSnaClientToken"), Some("true"));
        assert_eq!(get("RiskCheck"), Some("disable"));
        assert_eq!(get("DeviceIp"), Some("127.0.0.1"));
    }

    #[test]
    fn invalid_input_is_caught() {
        let bad_to = CreateVerification::new(service(), "5017122661", Channel::Sms);
        assert_eq!(bad_to.to_wire().expect_err("no +").field(), "To");
        let bad_email = CreateVerification::new(service(), "+15017122661", Channel::Email);
        assert_eq!(bad_email.to_wire().expect_err("not email").field(), "To");
        for code in ["", "123", "12345678901", "12 34"] {
            let r =
                CreateVerification::new(service(), "+15017122661", Channel::Sms).custom_code(code);
            assert_eq!(r.to_wire().expect_err(code).field(), "CustomCode");
        }
        let mut many = CreateVerification::new(service(), "+15017122661", Channel::Sms);
        for i in 0..11 {
            many = many.tag(format!("k{i}"), "v");
        }
        assert_eq!(many.to_wire().expect_err("11 tags").field(), "Tags");
        assert!(
            CreateVerification::new(service(), "a@b.co", Channel::Email)
                .to_wire()
                .is_ok()
        );
    }

    #[test]
    fn debug_hides_the_code_and_the_number() {
        let r =
            CreateVerification::new(service(), "+15017122661", Channel::Sms).custom_code("918273");
        let shown = format!("{r:?}");
        assert!(!shown.contains("918273"), "{shown}");
        assert!(!shown.contains("5017122661"), "{shown}");
        assert!(shown.contains("2661"));
    }

    #[test]
    fn feedback_by_phone_and_by_sid() {
        let by_phone = UpdateVerification::approve(service(), "+1 501 712 2661")
            .to_wire()
            .expect("valid");
        assert_eq!(
            by_phone.path,
            "/v2/Services/VAaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa/Verifications/+15017122661"
        );
        assert_eq!(by_phone.body.as_deref(), Some("Status=approved"));
        let by_sid = UpdateVerification::cancel(service(), "VEaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa")
            .to_wire()
            .expect("valid");
        assert!(
            by_sid
                .path
                .ends_with("/Verifications/VEaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa")
        );
        assert_eq!(by_sid.body.as_deref(), Some("Status=canceled"));
        assert!(
            UpdateVerification::approve(service(), "nonsense")
                .to_wire()
                .is_err()
        );
    }
}
