//! Typed SIDs: Twilio's resource identifiers, checked for their prefix and length.
//!
//! Mixing up SIDs is a classic Verify mistake (an Account SID passed where a Service SID belongs
//! gets a 60200 from Twilio). Each kind of SID here is its own type, so the compiler catches it,
//! and parsing one checks the prefix before any request leaves the machine.
//!
//! ```
//! use twilio_verify::ServiceSid;
//!
//! let sid: ServiceSid = "VA0123456789abcdef0123456789abcdef".parse()?;
//! assert_eq!(sid.as_str(), "VA0123456789abcdef0123456789abcdef");
//! assert!("AC0123456789abcdef0123456789abcdef".parse::<ServiceSid>().is_err());
//! # Ok::<(), twilio_verify::InvalidInput>(())
//! ```

use crate::error::InvalidInput;

/// Checks `value` against `prefix` + 32 hex digits.
pub(crate) fn check(prefix: &str, what: &'static str, value: &str) -> Result<(), InvalidInput> {
    let ok = value.len() == 34
        && value.starts_with(prefix)
        && value.as_bytes()[2..].iter().all(u8::is_ascii_hexdigit);
    if ok {
        Ok(())
    } else {
        Err(malformed(prefix, what))
    }
}

#[cold]
#[inline(never)]
fn malformed(prefix: &str, what: &'static str) -> InvalidInput {
    InvalidInput::new(
        what,
        format!("expected `{prefix}` followed by 32 hexadecimal digits"),
    )
}

/// Defines a typed SID: a two-letter prefix and 32 hexadecimal digits.
macro_rules! sid {
    ($(#[$meta:meta])* $name:ident = $prefix:literal) => {
        $(#[$meta])*
        ///
        #[doc = concat!("A valid value is `", $prefix, "` followed by 32 hexadecimal digits. ")]
        /// Parsing (`FromStr`, `TryFrom`) checks that shape; deserializing a response does not,
        /// so a response never fails to decode because of an odd SID.
        #[derive(Clone, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize)]
        #[serde(transparent)]
        pub struct $name(String);

        impl $name {
            /// The two-letter prefix of this kind of SID.
            pub const PREFIX: &'static str = $prefix;

            /// Checks the prefix and length and wraps the value.
            ///
            /// # Errors
            ///
            /// [`InvalidInput`](crate::InvalidInput) when the value is not the prefix followed
            /// by 32 hexadecimal digits.
            pub fn parse(value: impl Into<String>) -> Result<Self, $crate::error::InvalidInput> {
                let value = value.into();
                $crate::sid::check($prefix, stringify!($name), &value)?;
                Ok(Self(value))
            }

            /// Wraps a SID the crate made itself (the fake Verify's), without checking it again.
            #[cfg(feature = "testing")]
            #[allow(dead_code)]
            pub(crate) fn made(value: String) -> Self {
                Self(value)
            }

            /// The SID as text.
            pub fn as_str(&self) -> &str {
                &self.0
            }

            /// Whether the value has the documented shape (prefix plus 32 hex digits).
            ///
            /// Always true for a parsed SID; may be false for one decoded from a response.
            pub fn is_well_formed(&self) -> bool {
                $crate::sid::check($prefix, stringify!($name), &self.0).is_ok()
            }

            /// The SID as text, after checking its shape again (a SID decoded from a response or
            /// a config file was never checked).
            #[allow(dead_code)]
            pub(crate) fn checked(&self) -> Result<&str, $crate::error::InvalidInput> {
                $crate::sid::check($prefix, stringify!($name), &self.0)?;
                Ok(&self.0)
            }
        }

        impl std::str::FromStr for $name {
            type Err = $crate::error::InvalidInput;
            fn from_str(s: &str) -> Result<Self, Self::Err> {
                Self::parse(s)
            }
        }

        impl TryFrom<&str> for $name {
            type Error = $crate::error::InvalidInput;
            fn try_from(s: &str) -> Result<Self, Self::Error> {
                Self::parse(s)
            }
        }

        impl TryFrom<String> for $name {
            type Error = $crate::error::InvalidInput;
            fn try_from(s: String) -> Result<Self, Self::Error> {
                Self::parse(s)
            }
        }

        impl TryFrom<&String> for $name {
            type Error = $crate::error::InvalidInput;
            fn try_from(s: &String) -> Result<Self, Self::Error> {
                Self::parse(s.as_str())
            }
        }

        impl From<&$name> for $name {
            fn from(s: &$name) -> Self {
                s.clone()
            }
        }

        impl AsRef<str> for $name {
            fn as_ref(&self) -> &str {
                &self.0
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(&self.0)
            }
        }

        impl std::fmt::Debug for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.debug_tuple(stringify!($name)).field(&self.0).finish()
            }
        }

        impl PartialEq<str> for $name {
            fn eq(&self, other: &str) -> bool {
                self.0 == other
            }
        }

        impl PartialEq<&str> for $name {
            fn eq(&self, other: &&str) -> bool {
                self.0 == *other
            }
        }

        impl<'de> serde::Deserialize<'de> for $name {
            fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                String::deserialize(d).map(Self)
            }
        }
    };
}

sid! {
    /// The SID of a Twilio account (`AC…`).
    AccountSid = "AC"
}
sid! {
    /// The SID of an API key (`SK…`), used with its secret in place of the auth token.
    ApiKeySid = "SK"
}
sid! {
    /// The SID of a Verify Service (`VA…`).
    ServiceSid = "VA"
}
sid! {
    /// The SID of a verification (`VE…`). Verification checks carry the same SID.
    VerificationSid = "VE"
}
sid! {
    /// The SID of one delivery attempt of a verification (`VL…`).
    AttemptSid = "VL"
}
sid! {
    /// The SID of a message template (`HJ…`).
    TemplateSid = "HJ"
}
sid! {
    /// The SID of a Messaging Service (`MG…`), used for WhatsApp senders and per-country SMS.
    MessagingServiceSid = "MG"
}
sid! {
    /// The SID of a message (`SM…`). An MMS has `MM…`: it decodes from an answer all the same,
    /// though it does not parse as this type.
    MessageSid = "SM"
}
sid! {
    /// The SID of a call (`CA…`).
    CallSid = "CA"
}
sid! {
    /// The SID of a TwiML Application (`AP…`).
    ApplicationSid = "AP"
}
sid! {
    /// The SID of a Content Template (`HX…`).
    ContentSid = "HX"
}
sid! {
    /// The SID of a programmable rate limit (`RK…`).
    RateLimitSid = "RK"
}
sid! {
    /// The SID of a rate-limit bucket (`BL…`).
    BucketSid = "BL"
}
sid! {
    /// The SID of a safe-list entry (`GN…`).
    SafelistSid = "GN"
}
sid! {
    /// The SID of a Verify webhook (`YW…`).
    WebhookSid = "YW"
}
sid! {
    /// The SID of a factor-enrolment access token (`YK…`).
    AccessTokenSid = "YK"
}
sid! {
    /// The SID of an entity (`YE…`): one of your users, as Verify Push, TOTP and Passkeys know it.
    EntitySid = "YE"
}
sid! {
    /// The SID of a factor (`YF…`): a push device, a TOTP seed or a passkey of an entity.
    FactorSid = "YF"
}
sid! {
    /// The SID of a challenge (`YC…`) to a factor.
    ChallengeSid = "YC"
}
sid! {
    /// The SID of a push notification (`NT…`) sent for a challenge.
    NotificationSid = "NT"
}
sid! {
    /// The SID of a push credential (`CR…`): an APN or FCM credential.
    CredentialSid = "CR"
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_well_formed_sids() {
        let s = ServiceSid::parse("VAaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa").expect("valid");
        assert_eq!(s.as_str(), "VAaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa");
        assert!(s.is_well_formed());
        assert!(
            "VE0123456789ABCDEF0123456789abcdef"
                .parse::<VerificationSid>()
                .is_ok()
        );
    }

    #[test]
    fn rejects_wrong_prefix_length_and_digits() {
        let wrong_prefix = "AC0123456789abcdef0123456789abcdef".parse::<ServiceSid>();
        let err = wrong_prefix.expect_err("AC is not a service SID");
        assert_eq!(err.field(), "ServiceSid");
        assert!(err.to_string().contains("`VA`"));
        assert!("VA0123".parse::<ServiceSid>().is_err());
        assert!(
            "VA0123456789abcdef0123456789abcdef0"
                .parse::<ServiceSid>()
                .is_err()
        );
        assert!(
            "VA0123456789abcdef0123456789abcdeg"
                .parse::<ServiceSid>()
                .is_err()
        );
        assert!(
            "va0123456789abcdef0123456789abcdef"
                .parse::<ServiceSid>()
                .is_err()
        );
        assert!("".parse::<ServiceSid>().is_err());
    }

    #[test]
    fn deserializing_never_fails_on_odd_values() {
        let s: ServiceSid = serde_json::from_str("\"not-a-sid\"").expect("lenient");
        assert!(!s.is_well_formed());
        assert_eq!(serde_json::to_string(&s).expect("ser"), "\"not-a-sid\"");
    }
}
