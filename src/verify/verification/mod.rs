//! Verifications (`/v2/Services/{ServiceSid}/Verifications`): start one ([`CreateVerification`]),
//! fetch it ([`FetchVerification`]), and give feedback ([`UpdateVerification`]: approve or
//! cancel). This file holds the model and the checks the requests share; each operation has a
//! file of its own.

mod create;
mod fetch;
mod update;

pub use create::CreateVerification;
pub use fetch::FetchVerification;
pub use update::UpdateVerification;

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use super::{Channel, VerificationStatus};
use crate::error::InvalidInput;
use crate::macros::open_enum;
use crate::phone::{PhoneNumber, Recipient, check_email};
use crate::secret::Secret;
use crate::sid::{AccountSid, AttemptSid, ServiceSid, VerificationSid};
use crate::timestamp::Timestamp;

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
    use crate::sid::TemplateSid;

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
