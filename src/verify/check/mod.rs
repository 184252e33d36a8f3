//! Verification checks (`POST /v2/Services/{ServiceSid}/VerificationCheck`): whether the code a
//! user typed is right.

mod create;

pub use create::CreateVerificationCheck;

use serde::{Deserialize, Serialize};

use super::{Channel, VerificationStatus};
use crate::phone::Recipient;
use crate::secret::Secret;
use crate::sid::{AccountSid, AttemptSid, ServiceSid, VerificationSid};
use crate::timestamp::Timestamp;

/// The result of a verification check (`verify.v2.service.verification_check`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct VerificationCheck {
    /// The verification's SID (`VE…`).
    pub sid: Option<VerificationSid>,
    /// The service it belongs to.
    pub service_sid: Option<ServiceSid>,
    /// The account it belongs to.
    pub account_sid: Option<AccountSid>,
    /// The phone number or e-mail address.
    pub to: Option<Recipient>,
    /// The channel the code went over.
    pub channel: Option<Channel>,
    /// `approved` for a right code; `pending` for a wrong one.
    pub status: Option<VerificationStatus>,
    /// Legacy: whether the code was right. Read `status` instead.
    pub valid: Option<bool>,
    /// The PSD2 amount (sensitive: never shown by `Debug`).
    pub amount: Option<Secret>,
    /// The PSD2 payee (sensitive: never shown by `Debug`).
    pub payee: Option<Secret>,
    /// When the verification was created.
    pub date_created: Option<Timestamp>,
    /// When the verification was last updated.
    pub date_updated: Option<Timestamp>,
    /// Errors of silent network authentication attempts: empty when there were none, `None`
    /// when the last channel was not `sna`.
    #[serde(default, deserialize_with = "crate::de::lenient_objects")]
    pub sna_attempts_error_codes: Option<Vec<SnaAttemptError>>,
}

impl VerificationCheck {
    /// Whether the code was right (`status: approved`).
    pub fn is_approved(&self) -> bool {
        self.status == Some(VerificationStatus::Approved)
    }
}

/// One failed silent network authentication attempt.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct SnaAttemptError {
    /// The attempt's SID (`VL…`).
    pub attempt_sid: Option<AttemptSid>,
    /// Twilio's error code for the attempt.
    pub code: Option<i64>,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn service() -> ServiceSid {
        ServiceSid::parse("VAaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa").expect("sid")
    }

    #[test]
    fn by_to_and_by_sid() {
        let r = CreateVerificationCheck::new(service(), "+1 501 712 2661", "1234")
            .amount("5")
            .payee("Acme")
            .to_wire()
            .expect("valid");
        assert_eq!(
            r.path,
            "/v2/Services/VAaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa/VerificationCheck"
        );
        assert_eq!(
            r.body.as_deref(),
            Some("Code=1234&To=%2B15017122661&Amount=5&Payee=Acme")
        );
        let r =
            CreateVerificationCheck::new(service(), "VEaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", "1234")
                .sna_client_token("tok")
                .to_wire()
                .expect("valid");
        assert_eq!(
            r.body.as_deref(),
            Some("Code=1234&VerificationSid=VEaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa&SnaClientToken=tok")
        );
        let sna = CreateVerificationCheck::without_code(service(), "+15017122661")
            .to_wire()
            .expect("valid");
        assert_eq!(sna.body.as_deref(), Some("To=%2B15017122661"));
    }

    #[test]
    fn rejects_empty_and_odd_codes() {
        for code in ["", "12", "12345678901"] {
            let e = CreateVerificationCheck::new(service(), "+15017122661", code)
                .to_wire()
                .expect_err(code);
            assert_eq!(e.field(), "Code");
        }
    }

    #[test]
    fn debug_hides_code_and_number() {
        let r = CreateVerificationCheck::new(service(), "+15017122661", "918273");
        let shown = format!("{r:?}");
        assert!(
            !shown.contains("918273") && !shown.contains("5017122661"),
            "{shown}"
        );
    }
}
