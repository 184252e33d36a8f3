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
use crate::macros::sid;

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
