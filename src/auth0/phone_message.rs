//! The send half: Auth0 hands over a one-time code and a recipient; Verify delivers it.
//!
//! Three payloads carry the same thing, and all convert into one [`PhoneMessage`]:
//!
//! - [`SendPhoneMessageEvent`]: the `event` of the `send-phone-message` Action trigger;
//! - [`CustomPhoneProviderEvent`]: the `event` of the newer `custom-phone-provider` trigger;
//! - [`HookParams`]: the parameters of the legacy Send Phone Message Hook.
//!
//! A [`PhoneMessage`] becomes a [`CreateVerification`] with `CustomCode` set: Auth0 generated
//! the code and checks it itself; Verify only delivers it (and counts it for Fraud Guard).
//!
//! ```
//! use twilio_verify::ServiceSid;
//! use twilio_verify::auth0::{PhoneMessage, SendPhoneMessageEvent};
//! use twilio_verify::verify::Channel;
//!
//! let event: SendPhoneMessageEvent = serde_json::from_str(r#"{
//!     "message_options": {"action": "second-factor-authentication", "code": "482913",
//!                         "message_type": "voice", "recipient": "+1 501 712 2661",
//!                         "text": "Your code is 482913"},
//!     "request": {"ip": "203.0.113.7", "method": "POST", "language": "fr-CA"},
//!     "tenant": {"id": "acme"}, "user": {}, "secrets": {}
//! }"#)?;
//! let message = PhoneMessage::try_from(&event)?;
//! assert_eq!(message.recipient.as_str(), "+15017122661");
//! assert_eq!(message.channel, Channel::Call);
//! assert_eq!(message.locale, Some("fr"));
//!
//! let service: ServiceSid = "VAaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa".parse()?;
//! let request = message.to_verification(&service);
//! let wire = request.to_wire()?;
//! assert_eq!(wire.body(), Some("To=%2B15017122661&Channel=call&Locale=fr&CustomCode=482913"));
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

use serde::{Deserialize, Serialize};

use super::common::{
    ActionSecrets, Connection, CustomDomain, EventClient, EventRequest, EventUser, Organization,
    SecurityContext, Tenant, Transaction,
};
use crate::error::InvalidInput;
use crate::macros::open_enum;
use crate::phone::{PhoneNumber, Recipient};
use crate::secret::Secret;
use crate::sid::ServiceSid;
use crate::verify::{Channel, CreateVerification, supported_locale};

open_enum! {
    /// Why Auth0 sends the message (`message_options.action`).
    pub enum MessageAction {
        /// The user is enrolling the phone as a factor.
        Enrollment = "enrollment",
        /// The user is signing in with the phone as second factor.
        SecondFactorAuthentication = "second-factor-authentication",
    }
}

open_enum! {
    /// How the message is delivered (`message_options.message_type`).
    pub enum MessageType {
        /// A text message.
        Sms = "sms",
        /// A voice call.
        Voice = "voice",
    }
}

open_enum! {
    /// How a `custom-phone-provider` notification is delivered.
    pub enum DeliveryMethod {
        /// A text message.
        Text = "text",
        /// A voice call.
        Voice = "voice",
    }
}

open_enum! {
    /// What a `custom-phone-provider` notification is for.
    pub enum NotificationType {
        /// A one-time code to sign in.
        OtpVerify = "otp_verify",
        /// A one-time code to enroll the phone.
        OtpEnroll = "otp_enroll",
        /// The account was blocked (no code).
        BlockedAccount = "blocked_account",
        /// The password was changed (no code).
        ChangePassword = "change_password",
        /// The password was found in a breach (no code).
        PasswordBreach = "password_breach",
    }
}

/// What `message_options` of a `send-phone-message` event carries.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct MessageOptions {
    /// Enrollment or second-factor authentication.
    pub action: MessageAction,
    /// The one-time code Auth0 generated (and will check).
    pub code: Secret,
    /// SMS or voice.
    pub message_type: MessageType,
    /// The phone number, as Auth0 has it (not necessarily E.164).
    pub recipient: Recipient,
    /// The rendered message, which contains the code.
    pub text: Secret,
}

/// The `event` of the `send-phone-message` Action trigger.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct SendPhoneMessageEvent {
    /// The message to deliver.
    pub message_options: MessageOptions,
    /// The application.
    pub client: Option<EventClient>,
    /// The HTTP request behind the flow.
    pub request: Option<EventRequest>,
    /// The tenant.
    pub tenant: Option<Tenant>,
    /// The user.
    pub user: Option<EventUser>,
    /// The custom domain, if one was used.
    pub custom_domain: Option<CustomDomain>,
    /// The transaction.
    pub transaction: Option<Transaction>,
    /// TLS fingerprints.
    pub security_context: Option<SecurityContext>,
    /// The Action's secrets; never serialized.
    #[serde(default, skip_serializing)]
    pub secrets: ActionSecrets,
}

/// What `notification` of a `custom-phone-provider` event carries.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct Notification {
    /// The rendered text message (it contains the code, if any).
    pub as_text: Secret,
    /// The rendered voice message.
    pub as_voice: Secret,
    /// The one-time code: present only for `otp_verify` and `otp_enroll`.
    pub code: Option<Secret>,
    /// Text or voice.
    pub delivery_method: DeliveryMethod,
    /// The sender number Auth0 would use.
    pub from: Option<String>,
    /// The user's locale (`en_US`).
    pub locale: Option<String>,
    /// What the notification is for.
    pub message_type: NotificationType,
    /// The phone number.
    pub recipient: Recipient,
}

/// The `event` of the `custom-phone-provider` Action trigger.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct CustomPhoneProviderEvent {
    /// The notification to deliver.
    pub notification: Notification,
    /// The application.
    pub client: Option<EventClient>,
    /// The connection.
    pub connection: Option<Connection>,
    /// The organization.
    pub organization: Option<Organization>,
    /// The HTTP request behind the flow.
    pub request: Option<EventRequest>,
    /// The tenant.
    pub tenant: Option<Tenant>,
    /// The user.
    pub user: Option<EventUser>,
    /// The custom domain, if one was used.
    pub custom_domain: Option<CustomDomain>,
    /// The transaction.
    pub transaction: Option<Transaction>,
    /// The Action's secrets; never serialized.
    #[serde(default, skip_serializing)]
    pub secrets: ActionSecrets,
}

/// The parameters of the legacy Send Phone Message Hook: `(recipient, text, context, cb)`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct HookParams {
    /// The phone number.
    pub recipient: Recipient,
    /// The rendered message.
    pub text: Secret,
    /// The context object.
    pub context: HookContext,
}

/// The `context` of the legacy Hook. `Debug` shows only the keys of `client` and `user`.
#[derive(Clone, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct HookContext {
    /// SMS or voice.
    pub message_type: MessageType,
    /// Enrollment or second-factor authentication.
    pub action: MessageAction,
    /// The user's language.
    pub language: Option<String>,
    /// The one-time code.
    pub code: Secret,
    /// The originating IP address.
    pub ip: Option<String>,
    /// The `User-Agent`.
    pub user_agent: Option<String>,
    /// The application (`client_id`, `name`, `client_metadata`).
    pub client: Option<serde_json::Map<String, serde_json::Value>>,
    /// The user (`user_id`, `name`, `email`, `app_metadata`, `user_metadata`).
    pub user: Option<serde_json::Map<String, serde_json::Value>>,
}

impl std::fmt::Debug for HookContext {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let keys = |m: &Option<serde_json::Map<String, serde_json::Value>>| {
            m.as_ref().map(|m| m.keys().cloned().collect::<Vec<_>>())
        };
        f.debug_struct("HookContext")
            .field("message_type", &self.message_type)
            .field("action", &self.action)
            .field("language", &self.language)
            .field("code", &self.code)
            .field("ip", &self.ip)
            .field("user_agent", &self.user_agent)
            .field("client", &keys(&self.client))
            .field("user", &keys(&self.user))
            .finish()
    }
}

/// Why Auth0 sends a code.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Purpose {
    /// Enrolling the phone as a factor.
    Enrollment,
    /// Signing in with it.
    Authentication,
    /// A purpose this crate does not know, as Auth0 named it.
    Other(String),
}

/// One code to deliver: what every Auth0 phone payload comes down to.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct PhoneMessage {
    /// The recipient in E.164.
    pub recipient: PhoneNumber,
    /// The code Auth0 generated.
    pub code: Secret,
    /// [`Channel::Sms`] or [`Channel::Call`].
    pub channel: Channel,
    /// The user's language mapped to a locale Verify supports, or `None` to let Verify pick.
    pub locale: Option<&'static str>,
    /// Enrollment or authentication.
    pub purpose: Purpose,
}

impl PhoneMessage {
    /// Builds a message, checking the recipient and the code.
    ///
    /// # Errors
    ///
    /// [`InvalidInput`] when the recipient is not a phone number (after normalising spaces and
    /// dashes) or the code is empty or not 4 to 10 characters.
    pub fn new(
        recipient: &str,
        code: Secret,
        channel: Channel,
        locale_hint: Option<&str>,
        purpose: Purpose,
    ) -> Result<Self, InvalidInput> {
        let recipient = PhoneNumber::parse_field(recipient, "recipient")?;
        crate::verify::check_code("code", code.expose())?;
        Ok(Self {
            recipient,
            code,
            channel,
            locale: locale_hint.and_then(supported_locale),
            purpose,
        })
    }

    /// The create-verification request that delivers this code: `To`, `Channel`,
    /// `CustomCode`, and `Locale` when one was mapped. Add any other setting, then send it.
    ///
    /// The service needs custom codes enabled (`CustomCodeEnabled`), or Twilio answers 60204.
    pub fn to_verification(&self, service: impl Into<ServiceSid>) -> CreateVerification {
        let mut req =
            CreateVerification::new(service, self.recipient.as_str(), self.channel.clone())
                .custom_code(self.code.expose());
        if let Some(locale) = self.locale {
            req = req.locale(locale);
        }
        req
    }
}

/// The channel of a `custom-phone-provider` delivery method: `sms` for text, `call` for voice.
pub(super) fn channel_of_delivery(method: &DeliveryMethod) -> Result<Channel, InvalidInput> {
    match method {
        DeliveryMethod::Text => Ok(Channel::Sms),
        DeliveryMethod::Voice => Ok(Channel::Call),
        DeliveryMethod::Unknown(_) => Err(InvalidInput::new(
            "delivery_method",
            "unknown delivery method: expected `text` or `voice`",
        )),
    }
}

/// The channel of a `send-phone-message` message type: `sms`, or `call` for voice.
pub(super) fn channel_of(message_type: &MessageType) -> Result<Channel, InvalidInput> {
    match message_type {
        MessageType::Sms => Ok(Channel::Sms),
        MessageType::Voice => Ok(Channel::Call),
        MessageType::Unknown(_) => Err(InvalidInput::new(
            "message_type",
            "unknown message type: expected `sms` or `voice`",
        )),
    }
}

fn purpose_of(action: &MessageAction) -> Purpose {
    match action {
        MessageAction::Enrollment => Purpose::Enrollment,
        MessageAction::SecondFactorAuthentication => Purpose::Authentication,
        MessageAction::Unknown(s) => Purpose::Other(s.clone()),
    }
}

impl TryFrom<&SendPhoneMessageEvent> for PhoneMessage {
    type Error = InvalidInput;

    /// # Errors
    ///
    /// [`InvalidInput`] for a recipient that is not a phone number, a bad code, or an unknown
    /// message type (the crate never guesses a channel).
    fn try_from(e: &SendPhoneMessageEvent) -> Result<Self, Self::Error> {
        let o = &e.message_options;
        let hint = e.request.as_ref().and_then(|r| r.language.as_deref());
        Self::new(
            o.recipient.as_str(),
            o.code.clone(),
            channel_of(&o.message_type)?,
            hint,
            purpose_of(&o.action),
        )
    }
}

impl TryFrom<&CustomPhoneProviderEvent> for PhoneMessage {
    type Error = InvalidInput;

    /// # Errors
    ///
    /// [`InvalidInput`] for a notification that carries no code (`blocked_account`,
    /// `change_password`, `password_breach`: these are not verifications), an unknown delivery
    /// method, a recipient that is not a phone number, or a bad code.
    fn try_from(e: &CustomPhoneProviderEvent) -> Result<Self, Self::Error> {
        let n = &e.notification;
        let purpose = match &n.message_type {
            NotificationType::OtpVerify => Purpose::Authentication,
            NotificationType::OtpEnroll => Purpose::Enrollment,
            NotificationType::Unknown(s) if n.code.is_some() => Purpose::Other(s.clone()),
            other => {
                return Err(InvalidInput::new(
                    "message_type",
                    format!(
                        "a `{}` notification carries no code and is not a verification; deliver it another way",
                        other.as_str()
                    ),
                ));
            }
        };
        let code = n
            .code
            .clone()
            .ok_or_else(|| InvalidInput::new("code", "the notification carries no code"))?;
        let channel = channel_of_delivery(&n.delivery_method)?;
        Self::new(
            n.recipient.as_str(),
            code,
            channel,
            n.locale.as_deref(),
            purpose,
        )
    }
}

impl TryFrom<&HookParams> for PhoneMessage {
    type Error = InvalidInput;

    /// # Errors
    ///
    /// As for the `send-phone-message` event.
    fn try_from(h: &HookParams) -> Result<Self, Self::Error> {
        let c = &h.context;
        Self::new(
            h.recipient.as_str(),
            c.code.clone(),
            channel_of(&c.message_type)?,
            c.language.as_deref(),
            purpose_of(&c.action),
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn custom(message_type: &str, code: Option<&str>) -> CustomPhoneProviderEvent {
        let mut v = serde_json::json!({
            "notification": {
                "as_text": "text", "as_voice": "voice", "delivery_method": "text",
                "message_type": message_type, "recipient": "+15017122661", "locale": "pt_BR"
            },
            "tenant": {"id": "acme"}, "secrets": {"TWILIO_AUTH_TOKEN": "tok"}
        });
        if let Some(c) = code {
            v["notification"]["code"] = c.into();
        }
        serde_json::from_value(v).expect("decode")
    }

    #[test]
    fn custom_phone_provider_otp_becomes_a_message() {
        let m = PhoneMessage::try_from(&custom("otp_enroll", Some("123456"))).expect("otp");
        assert_eq!(m.purpose, Purpose::Enrollment);
        assert_eq!(m.channel, Channel::Sms);
        assert_eq!(m.locale, Some("pt-BR"));
    }

    #[test]
    fn notifications_without_code_are_refused_clearly() {
        for t in ["blocked_account", "change_password", "password_breach"] {
            let e = PhoneMessage::try_from(&custom(t, None)).expect_err(t);
            assert_eq!(e.field(), "message_type");
            assert!(e.reason().contains(t), "{e}");
            assert!(e.reason().contains("not a verification"));
        }
        // An unknown type without a code is refused too; with a code it is kept.
        assert!(PhoneMessage::try_from(&custom("otp_new", None)).is_err());
        let m = PhoneMessage::try_from(&custom("otp_new", Some("1234"))).expect("kept");
        assert_eq!(m.purpose, Purpose::Other("otp_new".into()));
    }

    #[test]
    fn secrets_are_never_serialized_or_printed() {
        let e = custom("otp_verify", Some("123456"));
        assert_eq!(e.secrets.names().collect::<Vec<_>>(), ["TWILIO_AUTH_TOKEN"]);
        let json = serde_json::to_string(&e).expect("encode");
        assert!(!json.contains("secrets") && !json.contains("tok"), "{json}");
        let debug = format!("{e:?}");
        assert!(
            !debug.contains("\"tok\"") && !debug.contains("123456"),
            "{debug}"
        );
        assert!(!debug.contains("5017122661"), "{debug}");
    }

    #[test]
    fn unknown_values_are_kept() {
        let v = serde_json::json!({
            "message_options": {"action": "step-up", "code": "123456", "message_type": "rcs",
                                "recipient": "+15017122661", "text": "t"}
        });
        let e: SendPhoneMessageEvent = serde_json::from_value(v).expect("decode");
        assert_eq!(
            e.message_options.action,
            MessageAction::Unknown("step-up".into())
        );
        assert_eq!(
            e.message_options.message_type,
            MessageType::Unknown("rcs".into())
        );
        let err = PhoneMessage::try_from(&e).expect_err("no channel guess");
        assert_eq!(err.field(), "message_type");
    }
}
