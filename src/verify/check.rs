//! Verification checks (`POST /v2/Services/{ServiceSid}/VerificationCheck`).

use std::fmt;

use serde::{Deserialize, Serialize};

use super::target::VerificationTarget;
use super::verification::check_code;
use super::{Channel, VerificationStatus};
use crate::error::InvalidInput;
use crate::phone::Recipient;
use crate::request::{Request, request};
use crate::secret::Secret;
use crate::sid::{AccountSid, AttemptSid, ServiceSid, VerificationSid};
use crate::timestamp::Timestamp;
use crate::wire::{Params, Path, WireRequest};

/// `POST /v2/Services/{ServiceSid}/VerificationCheck`: checks a code the user entered.
///
/// The verification is named by the `To` it was sent to or by its `VE…` SID. A wrong code is
/// **not** an error: Twilio answers `status: pending, valid: false`, and
/// [`VerificationCheck::is_approved`] is false. Twilio answers 200 or 201; both are success.
///
/// ```no_run
/// # async fn run(client: &twilio_verify::Client, service: &twilio_verify::ServiceSid) -> twilio_verify::Result<()> {
/// use twilio_verify::verify::CreateVerificationCheck;
///
/// let check = CreateVerificationCheck::new(service, "+15017122661", "482913")
///     .send(client)
///     .await?;
/// if check.is_approved() {
///     println!("approved");
/// } else {
///     println!("wrong code, try again");
/// }
/// # Ok(()) }
/// ```
#[derive(Clone, PartialEq)]
#[must_use = "a request does nothing until `.send(&client).await`"]
pub struct CreateVerificationCheck {
    service: ServiceSid,
    target: VerificationTarget,
    code: Option<Secret>,
    amount: Option<Secret>,
    payee: Option<Secret>,
    sna_client_token: Option<Secret>,
}

request!(CreateVerificationCheck -> VerificationCheck, "CreateVerificationCheck");

impl CreateVerificationCheck {
    /// A check of `code` (4 to 10 characters) against the verification `target`: a `VE…` SID
    /// (sent as `VerificationSid`) or the phone number or e-mail address (sent as `To`).
    pub fn new(
        service: impl Into<ServiceSid>,
        target: impl Into<VerificationTarget>,
        code: impl Into<String>,
    ) -> Self {
        Self {
            code: Some(Secret::new(code.into())),
            ..Self::without_code(service, target)
        }
    }

    /// A check with no code, as silent network authentication does (`To` only).
    pub fn without_code(
        service: impl Into<ServiceSid>,
        target: impl Into<VerificationTarget>,
    ) -> Self {
        Self {
            service: service.into(),
            target: target.into(),
            code: None,
            amount: None,
            payee: None,
            sna_client_token: None,
        }
    }

    /// `Amount`: the PSD2 amount; must match the one the verification was started with.
    pub fn amount(mut self, amount: impl Into<String>) -> Self {
        self.amount = Some(Secret::new(amount.into()));
        self
    }

    /// `Payee`: the PSD2 payee; must match the one the verification was started with.
    pub fn payee(mut self, payee: impl Into<String>) -> Self {
        self.payee = Some(Secret::new(payee.into()));
        self
    }

    /// `SnaClientToken`: the token issued when the verification asked for one.
    pub fn sna_client_token(mut self, token: impl Into<String>) -> Self {
        self.sna_client_token = Some(Secret::new(token.into()));
        self
    }

    fn wire(&self) -> Result<WireRequest, InvalidInput> {
        let target = self.target.check()?;
        if let Some(code) = &self.code {
            check_code("Code", code.expose())?;
        }
        let (to, sid) = if self.target.is_sid() {
            (None, Some(target))
        } else {
            (Some(target), None)
        };
        let mut form = Params::new();
        form.opt_str("Code", text(self.code.as_ref()))
            .opt_str("To", to)
            .opt_str("VerificationSid", sid)
            .opt_str("Amount", text(self.amount.as_ref()))
            .opt_str("Payee", text(self.payee.as_ref()))
            .opt_str("SnaClientToken", text(self.sna_client_token.as_ref()));
        let path = Path::new("/v2/Services")
            .seg(self.service.checked()?)
            .lit("VerificationCheck")
            .finish();
        Ok(WireRequest::post(Self::OPERATION, path, form))
    }
}

fn text(s: Option<&Secret>) -> Option<&str> {
    s.map(|v| v.expose())
}

impl fmt::Debug for CreateVerificationCheck {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("CreateVerificationCheck")
            .field("service", &self.service)
            .field("target", &self.target)
            .field("code", &self.code)
            .field("amount", &self.amount)
            .field("payee", &self.payee)
            .field("sna_client_token", &self.sna_client_token)
            .finish()
    }
}

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
