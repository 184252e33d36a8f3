//! Notices: what Auth0 asks a phone provider to deliver that is not a one-time code.
//!
//! Verify carries only codes. A `custom-phone-provider` event for `blocked_account`,
//! `change_password` or `password_breach` carries Auth0's rendered text and no code; it becomes a
//! [`PhoneNotice`], delivered as a text message ([`CreateMessage`]) or a call that reads it
//! ([`CreateCall`]). [`PhoneDelivery`] is what an event asks for: a code or a notice, never
//! mixed up, so nothing sends a code through Messaging by accident. The one deliberate way to
//! do so, for a Verify Service without custom codes, is [`PhoneNotice::rendered_otp`].
//!
//! ```
//! use twilio_verify::AccountSid;
//! use twilio_verify::auth0::{CustomPhoneProviderEvent, PhoneDelivery};
//!
//! let event: CustomPhoneProviderEvent = serde_json::from_str(r#"{"notification": {
//!     "message_type": "password_breach", "delivery_method": "text", "recipient": "+1 501 712 2661",
//!     "as_text": "Your password was found in a breach.", "as_voice": "Your password…",
//!     "from": "+15557654321"}}"#)?;
//! let PhoneDelivery::Notice(notice) = PhoneDelivery::try_from(&event)? else {
//!     unreachable!("a breach notice carries no code");
//! };
//! let account: AccountSid = "ACaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa".parse()?;
//! let from = notice.from.clone().unwrap_or_default();
//! let message = notice.to_message(&account, from).expect("a text notice");
//! assert_eq!(
//!     message.to_wire()?.body(),
//!     Some("To=%2B15017122661&From=%2B15557654321&Body=Your+password+was+found+in+a+breach.")
//! );
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

use super::phone_message::{
    CustomPhoneProviderEvent, MessageAction, NotificationType, PhoneMessage, SendPhoneMessageEvent,
    channel_of, channel_of_delivery,
};
use crate::error::InvalidInput;
use crate::messaging::{CreateCall, CreateMessage, Sender};
use crate::phone::PhoneNumber;
use crate::secret::Secret;
use crate::sid::AccountSid;
use crate::verify::Channel;

/// What a `custom-phone-provider` event asks for.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub enum PhoneDelivery {
    /// A one-time code (`otp_verify`, `otp_enroll`): a Verify verification with `CustomCode`.
    Code(PhoneMessage),
    /// A notice with no code (`blocked_account`, `change_password`, `password_breach`): a text
    /// message, or a call that reads it.
    Notice(PhoneNotice),
}

impl TryFrom<&CustomPhoneProviderEvent> for PhoneDelivery {
    type Error = InvalidInput;

    /// # Errors
    ///
    /// [`InvalidInput`] for a recipient that is not a phone number, a bad code, an unknown
    /// delivery method, or an unknown message type that carries no code.
    fn try_from(e: &CustomPhoneProviderEvent) -> Result<Self, Self::Error> {
        let n = &e.notification;
        match &n.message_type {
            NotificationType::BlockedAccount
            | NotificationType::ChangePassword
            | NotificationType::PasswordBreach => PhoneNotice::of(e).map(Self::Notice),
            _ => PhoneMessage::try_from(e).map(Self::Code),
        }
    }
}

/// What a notice says, and how it is delivered.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub enum NoticeContent {
    /// A text message with this text (Auth0's `as_text`).
    Text(Secret),
    /// A call that reads this text aloud (Auth0's `as_voice`).
    Voice(Secret),
}

/// A notice to deliver as Auth0 rendered it. `Debug` never shows the text or the number.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct PhoneNotice {
    /// The recipient in E.164.
    pub recipient: PhoneNumber,
    /// What the notice is for.
    pub kind: NotificationType,
    /// The text, and whether it is sent or read aloud.
    pub content: NoticeContent,
    /// The From number set in Auth0's phone provider, if any (`notification.from`).
    pub from: Option<String>,
}

impl PhoneNotice {
    /// The notice of a `custom-phone-provider` event, whatever its type, as Auth0 rendered it.
    fn of(e: &CustomPhoneProviderEvent) -> Result<Self, InvalidInput> {
        let n = &e.notification;
        let content = match channel_of_delivery(&n.delivery_method)? {
            Channel::Call => NoticeContent::Voice(n.as_voice.clone()),
            _ => NoticeContent::Text(n.as_text.clone()),
        };
        Self::new(
            n.recipient.as_str(),
            n.message_type.clone(),
            content,
            n.from.clone(),
        )
    }

    /// Checks the recipient and the text and builds a notice.
    ///
    /// # Errors
    ///
    /// [`InvalidInput`] for a recipient that is not a phone number, or an empty text.
    pub fn new(
        recipient: &str,
        kind: NotificationType,
        content: NoticeContent,
        from: Option<String>,
    ) -> Result<Self, InvalidInput> {
        let recipient = PhoneNumber::parse_field(recipient, "recipient")?;
        let (NoticeContent::Text(text) | NoticeContent::Voice(text)) = &content;
        if text.expose().trim().is_empty() {
            return Err(InvalidInput::new("as_text", "the notice has no text"));
        }
        let from = from.filter(|f| !f.trim().is_empty());
        Ok(Self {
            recipient,
            kind,
            content,
            from,
        })
    }

    /// A one-time code of a `custom-phone-provider` event delivered as Auth0 rendered it, by
    /// Programmable Messaging or Voice instead of Verify: for a Verify Service that does not
    /// have custom codes enabled yet. This gives up Verify's Fraud Guard and the feedback loop;
    /// prefer [`PhoneDelivery`] and Verify.
    ///
    /// # Errors
    ///
    /// As for [`PhoneDelivery::try_from`]; also when the event carries no code.
    pub fn rendered_otp(e: &CustomPhoneProviderEvent) -> Result<Self, InvalidInput> {
        if e.notification.code.is_none() {
            return Err(InvalidInput::new(
                "code",
                "the notification carries no code",
            ));
        }
        Self::of(e)
    }

    /// The code of a `send-phone-message` event delivered as Auth0 rendered it
    /// (`message_options.text`), as [`rendered_otp`](Self::rendered_otp) does.
    ///
    /// # Errors
    ///
    /// [`InvalidInput`] for a recipient that is not a phone number, an empty text, or an
    /// unknown message type.
    pub fn rendered_send_phone_message(e: &SendPhoneMessageEvent) -> Result<Self, InvalidInput> {
        let o = &e.message_options;
        let text = o.text.clone();
        let content = match channel_of(&o.message_type)? {
            Channel::Call => NoticeContent::Voice(text),
            _ => NoticeContent::Text(text),
        };
        let kind = match &o.action {
            MessageAction::Enrollment => NotificationType::OtpEnroll,
            MessageAction::SecondFactorAuthentication => NotificationType::OtpVerify,
            MessageAction::Unknown(s) => NotificationType::Unknown(s.clone()),
        };
        Self::new(o.recipient.as_str(), kind, content, None)
    }

    /// Whether the notice is read aloud by a call.
    pub fn is_voice(&self) -> bool {
        matches!(self.content, NoticeContent::Voice(_))
    }

    /// The text, whether it is sent or read aloud.
    pub fn text(&self) -> &Secret {
        let (NoticeContent::Text(text) | NoticeContent::Voice(text)) = &self.content;
        text
    }

    /// The message that delivers a text notice (`To`, the sender, `Body`); `None` for a voice
    /// notice.
    pub fn to_message(
        &self,
        account: impl Into<AccountSid>,
        sender: impl Into<Sender>,
    ) -> Option<CreateMessage> {
        match &self.content {
            NoticeContent::Text(text) => Some(CreateMessage::text(
                account,
                self.recipient.as_str(),
                sender,
                text.expose(),
            )),
            NoticeContent::Voice(_) => None,
        }
    }

    /// The call that reads a voice notice aloud (`To`, `From`, `Twiml` of one `<Say>`); `None`
    /// for a text notice.
    pub fn to_call(
        &self,
        account: impl Into<AccountSid>,
        from: impl Into<String>,
    ) -> Option<CreateCall> {
        match &self.content {
            NoticeContent::Voice(text) => Some(CreateCall::say(
                account,
                self.recipient.as_str(),
                from,
                text.expose(),
            )),
            NoticeContent::Text(_) => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::auth0::DeliveryMethod;

    fn event(message_type: &str, method: &str, code: Option<&str>) -> CustomPhoneProviderEvent {
        let mut v = serde_json::json!({"notification": {
            "message_type": message_type, "delivery_method": method,
            "recipient": "+1 501 712 2661", "as_text": "text of it", "as_voice": "voice of it",
            "from": "+15557654321"
        }});
        if let Some(c) = code {
            v["notification"]["code"] = c.into();
        }
        serde_json::from_value(v).expect("decode")
    }

    fn account() -> AccountSid {
        "ACaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa".parse().expect("ac")
    }

    #[test]
    fn each_of_the_five_types_becomes_what_it_asks_for() {
        for t in ["otp_verify", "otp_enroll"] {
            let d = PhoneDelivery::try_from(&event(t, "voice", Some("482913"))).expect(t);
            let PhoneDelivery::Code(m) = d else {
                panic!("{t} is a code")
            };
            assert_eq!(m.channel, Channel::Call);
        }
        for t in ["blocked_account", "change_password", "password_breach"] {
            let text = PhoneDelivery::try_from(&event(t, "text", None)).expect(t);
            let PhoneDelivery::Notice(n) = text else {
                panic!("{t} is a notice")
            };
            assert_eq!(n.kind.as_str(), t);
            assert_eq!(n.text().expose(), "text of it");
            assert!(n.to_call(account(), "+15557654321").is_none());
            let m = n.to_message(account(), "+15557654321").expect("a message");
            assert!(
                m.to_wire()
                    .expect("valid")
                    .body()
                    .expect("form")
                    .contains("Body=text+of+it")
            );

            let voice = PhoneDelivery::try_from(&event(t, "voice", None)).expect(t);
            let PhoneDelivery::Notice(n) = voice else {
                panic!("{t} is a notice")
            };
            assert!(n.is_voice());
            assert!(n.to_message(account(), "+15557654321").is_none());
            let c = n.to_call(account(), "+15557654321").expect("a call");
            let body = c.to_wire().expect("valid").body().map(str::to_owned);
            assert!(body.expect("form").contains("voice+of+it"));
        }
    }

    #[test]
    fn a_code_never_becomes_a_notice_unless_asked() {
        let otp = event("otp_verify", "text", Some("482913"));
        assert!(matches!(
            PhoneDelivery::try_from(&otp),
            Ok(PhoneDelivery::Code(_))
        ));
        let rendered = PhoneNotice::rendered_otp(&otp).expect("deliberately");
        assert_eq!(rendered.kind, NotificationType::OtpVerify);
        assert!(PhoneNotice::rendered_otp(&event("password_breach", "text", None)).is_err());
        // An unknown type without a code is neither.
        assert!(PhoneDelivery::try_from(&event("mystery", "text", None)).is_err());
    }

    #[test]
    fn a_send_phone_message_event_renders_its_text() {
        let e: SendPhoneMessageEvent = serde_json::from_value(serde_json::json!({
            "message_options": {"action": "enrollment", "code": "482913", "message_type": "voice",
                                "recipient": "+15017122661", "text": "Your code is 482913"}
        }))
        .expect("decode");
        let n = PhoneNotice::rendered_send_phone_message(&e).expect("rendered");
        assert!(n.is_voice());
        assert_eq!(n.kind, NotificationType::OtpEnroll);
        assert!(!format!("{n:?}").contains("482913"));
        assert!(!format!("{n:?}").contains("5017122661"));
    }

    #[test]
    fn bad_notices_are_refused() {
        let mut e = event("password_breach", "pigeon", None);
        assert_eq!(
            PhoneDelivery::try_from(&e).expect_err("method").field(),
            "delivery_method"
        );
        e.notification.delivery_method = DeliveryMethod::Text;
        e.notification.as_text = Secret::new(" ".to_owned());
        assert_eq!(
            PhoneDelivery::try_from(&e).expect_err("empty").field(),
            "as_text"
        );
    }
}
