//! Twilio Verify v2 resources: one folder per resource, with its model and one file per operation.
//!
//! Every request is a plain value: build it with its constructor (required parameters) and
//! setters (optional ones), then send it with `.send(&client).await`, or `.send_with(&client,
//! options)` for a timeout or retry policy of its own. Input is checked before anything is sent.
//! Every request implements [`Request`](crate::Request), so code can be generic over them.
//!
//! The usual flow, start → check → feedback:
//!
//! ```no_run
//! # async fn run() -> twilio_verify::Result<()> {
//! use twilio_verify::{Client, ServiceSid};
//! use twilio_verify::verify::{Channel, CreateVerification, CreateVerificationCheck};
//!
//! let client = Client::from_env()?;
//! let service: ServiceSid = "VAxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx".parse()?;
//!
//! let started = CreateVerification::new(&service, "+15017122661", Channel::Sms)
//!     .send(&client)
//!     .await?;
//! println!("sent, status {:?}", started.status);
//!
//! let check = CreateVerificationCheck::new(&service, "+15017122661", "123456")
//!     .send(&client)
//!     .await?;
//! if check.is_approved() {
//!     println!("welcome in");
//! }
//! # Ok(()) }
//! ```
//!
//! TOTP with an authenticator app, enrol then log in (push and passkeys follow the same shape,
//! through [`CreateFactor`] with `FactorType::Push` and the `Passkey` requests):
//!
//! ```no_run
//! # async fn run(client: &twilio_verify::Client, service: &twilio_verify::ServiceSid) -> twilio_verify::Result<()> {
//! use twilio_verify::verify::{
//!     ChallengeStatus, CreateChallenge, CreateFactor, FactorStatus, FactorType, UpdateFactor,
//! };
//!
//! let user = "ff483d1ff591898a9942916050d2ca3f"; // your immutable, non-PII user id
//! let factor = CreateFactor::new(service, user, "Jane's phone", FactorType::Totp)
//!     .send(client)
//!     .await?;
//! // Show `factor.binding["uri"]` once, as a QR code; then the first code verifies the factor.
//! let sid = factor.sid.expect("a new factor has a SID");
//! let verified = UpdateFactor::verify(service, user, &sid, "123456").send(client).await?;
//! assert_eq!(verified.status, Some(FactorStatus::Verified));
//!
//! // At each login, a challenge carrying the current code.
//! let login = CreateChallenge::new(service, user, &sid)
//!     .auth_payload("654321")
//!     .send(client)
//!     .await?;
//! if login.status == Some(ChallengeStatus::Approved) {
//!     println!("welcome in");
//! }
//! # Ok(()) }
//! ```

mod access_token;
mod attempt;
mod bucket;
mod challenge;
mod check;
mod entity;
mod factor;
mod form;
mod locale;
mod messaging_configuration;
mod notification;
mod passkey;
mod rate_limit;
mod safelist;
mod service;

mod target;
mod template;
mod verification;
mod webhook;

pub use access_token::{AccessToken, CreateAccessToken, FetchAccessToken};
pub use attempt::{
    AttemptChannel, ChannelData, ConversionStatus, FetchVerificationAttempt,
    FetchVerificationAttemptsSummary, ListVerificationAttempts, Price, VerificationAttempt,
    VerificationAttemptsSummary,
};
pub use bucket::{Bucket, CreateBucket, DeleteBucket, FetchBucket, ListBuckets, UpdateBucket};
pub use challenge::{
    Challenge, ChallengeReason, ChallengeStatus, CreateChallenge, FetchChallenge, ListChallenges,
    ListOrder, UpdateChallenge,
};
pub use check::{CreateVerificationCheck, SnaAttemptError, VerificationCheck};
pub use entity::{CreateEntity, DeleteEntity, Entity, FetchEntity, ListEntities};
pub use factor::{
    CreateFactor, DeleteFactor, Factor, FactorStatus, FactorType, FetchFactor, ListFactors,
    NewFactor, NotificationPlatform, TotpAlgorithm, UpdateFactor,
};
pub use form::{FetchForm, Form, FormType};
pub use locale::{SUPPORTED_LOCALES, supported_locale};
pub use messaging_configuration::{
    CreateMessagingConfiguration, DeleteMessagingConfiguration, FetchMessagingConfiguration,
    ListMessagingConfigurations, MessagingConfiguration, UpdateMessagingConfiguration,
};
pub use notification::{CreateNotification, Notification};
pub use passkey::{
    ApprovePasskeyChallenge, AssertionResponse, AttestationResponse, CreatePasskeyChallenge,
    CreatePasskeyFactor, Transport, VerifyPasskeyFactor,
};
pub use rate_limit::{
    CreateRateLimit, DeleteRateLimit, FetchRateLimit, ListRateLimits, RateLimit, UpdateRateLimit,
};
pub use safelist::{CreateSafelist, DeleteSafelist, FetchSafelist, SafelistNumber};
pub use service::{
    AuthenticatorAttachment, CreateService, DeleteService, FetchService, ListServices,
    PasskeyRequirement, RelyingParty, Service, ServicePasskeys, ServicePush, ServiceTotp,
    ServiceWhatsapp, UpdateService,
};
pub use target::VerificationTarget;
pub use template::{ListTemplates, Template, Translation};
#[cfg(feature = "auth0")]
pub(crate) use verification::check_code;
pub use verification::{
    Carrier, ChannelConfiguration, CreateVerification, FetchVerification, Lookup, RiskCheck,
    SendCodeAttempt, Sna, UpdateStatus, UpdateVerification, Verification,
};
pub use webhook::{
    CreateWebhook, DeleteWebhook, FetchWebhook, ListWebhooks, UpdateWebhook, Webhook, WebhookEvent,
    WebhookMethod, WebhookStatus, WebhookVersion,
};

use crate::error::InvalidInput;
use crate::macros::open_enum;

/// Checks free text: not blank, at most `max` characters, no control characters.
pub(crate) fn check_text(field: &'static str, value: &str, max: usize) -> Result<(), InvalidInput> {
    if value.trim().is_empty() {
        return Err(InvalidInput::new(field, "must not be empty"));
    }
    if value.chars().count() > max {
        return Err(InvalidInput::new(
            field,
            format!("must be at most {max} characters"),
        ));
    }
    if value.chars().any(char::is_control) {
        return Err(InvalidInput::new(field, "must not hold control characters"));
    }
    Ok(())
}

/// Checks that a URL is absolute `http` or `https`, with a host and no whitespace.
pub(crate) fn check_url(field: &'static str, value: &str) -> Result<(), InvalidInput> {
    let rest = value
        .strip_prefix("https://")
        .or_else(|| value.strip_prefix("http://"));
    let host = rest.map(|r| r.split(['/', '?', '#']).next().unwrap_or(""));
    match host {
        Some(h) if !h.is_empty() && !value.chars().any(|c| c.is_whitespace() || c.is_control()) => {
            Ok(())
        }
        _ => Err(InvalidInput::new(
            field,
            "expected an absolute `http://` or `https://` URL",
        )),
    }
}

/// Checks an integer setting against its documented range.
pub(crate) fn check_range<N: PartialOrd + std::fmt::Display>(
    field: &'static str,
    value: Option<N>,
    range: std::ops::RangeInclusive<N>,
) -> Result<(), InvalidInput> {
    match value {
        Some(v) if !range.contains(&v) => Err(InvalidInput::new(
            field,
            format!("must be between {} and {}", range.start(), range.end()),
        )),
        _ => Ok(()),
    }
}

/// Checks a JSON object of string values, as Twilio takes `Metadata` and `HiddenDetails`: at
/// most `max` characters as JSON.
pub(crate) fn check_string_object(
    field: &'static str,
    map: Option<&std::collections::BTreeMap<String, String>>,
    max: usize,
) -> Result<(), InvalidInput> {
    let Some(map) = map else { return Ok(()) };
    let text = serde_json::to_string(map).map_err(|e| InvalidInput::new(field, e.to_string()))?;
    if text.chars().count() > max {
        return Err(InvalidInput::new(
            field,
            format!("must be at most {max} characters as JSON"),
        ));
    }
    Ok(())
}

open_enum! {
    /// A delivery channel.
    ///
    /// As a request parameter, `Auto` lets Verify pick (silent network auth where it can, else
    /// SMS). In answers Twilio also spells channels in capitals (`SMS`); both spellings decode
    /// to the same variant.
    pub enum Channel {
        /// A text message.
        Sms = "sms",
        /// A voice call that reads the code.
        Call = "call",
        /// An e-mail (needs an e-mail integration on the service).
        Email = "email",
        /// A WhatsApp message.
        Whatsapp = "whatsapp",
        /// Silent network authentication.
        Sna = "sna",
        /// Let Verify choose (request only).
        Auto = "auto",
        /// An RCS message.
        Rcs = "rcs",
    }
}

impl Channel {
    /// Whether the channel addresses a phone number (everything but e-mail and unknown values).
    pub fn is_phone(&self) -> bool {
        !matches!(self, Self::Email | Self::Unknown(_))
    }
}

open_enum! {
    /// The state of a verification or a verification check.
    pub enum VerificationStatus {
        /// Waiting for the right code.
        Pending = "pending",
        /// The right code was given, or the verification was approved through feedback.
        Approved = "approved",
        /// Canceled through feedback.
        Canceled = "canceled" | "cancelled",
        /// Too many wrong codes.
        MaxAttemptsReached = "max_attempts_reached",
        /// Deleted.
        Deleted = "deleted",
        /// Delivery failed.
        Failed = "failed",
        /// The code expired (ten minutes by default).
        Expired = "expired",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn enums_accept_case_variants_and_keep_unknown_values() {
        assert_eq!(Channel::from("SMS"), Channel::Sms);
        assert_eq!(Channel::from("Email"), Channel::Email);
        let rbm = Channel::from("rbm");
        assert_eq!(rbm, Channel::Unknown("rbm".into()));
        assert_eq!(rbm.as_str(), "rbm");
        assert!(rbm.is_unknown());
        let decoded: Channel = serde_json::from_str("\"WHATSAPP\"").expect("decode");
        assert_eq!(decoded, Channel::Whatsapp);
        assert_eq!(
            serde_json::to_string(&decoded).expect("encode"),
            "\"whatsapp\""
        );
        let future: VerificationStatus = serde_json::from_str("\"on_hold\"").expect("decode");
        assert_eq!(
            serde_json::to_string(&future).expect("encode"),
            "\"on_hold\""
        );
        assert_eq!(
            VerificationStatus::from("cancelled"),
            VerificationStatus::Canceled
        );
        assert_eq!(format!("{:?}", Channel::Sms), "Sms");
    }

    #[test]
    fn display_from_str_and_serde_agree() {
        for s in [
            "sms", "call", "email", "whatsapp", "sna", "auto", "rcs", "x-new",
        ] {
            let c: Channel = s.parse().expect("infallible");
            assert_eq!(c.to_string(), s);
            assert_eq!(serde_json::to_value(&c).expect("encode"), s);
        }
    }
}
