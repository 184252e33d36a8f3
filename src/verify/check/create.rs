//! `CreateVerificationCheck`: checks the code a user typed.

use serde::Serialize;

use super::VerificationCheck;
use crate::error::InvalidInput;
use crate::macros::setters;
use crate::request::{Request, request};
use crate::secret::Secret;
use crate::sid::ServiceSid;
use crate::verify::VerificationTarget;
use crate::verify::verification::check_code;
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
#[derive(Debug, Clone, PartialEq)]
#[must_use = "a request does nothing until `.send(&client).await`"]
pub struct CreateVerificationCheck {
    service: ServiceSid,
    target: VerificationTarget,
    code: Option<Secret>,
    params: Optional,
}

/// The optional parameters after `Code`, `To` and `VerificationSid`, in the order they are
/// sent; all sensitive, so never shown by `Debug`.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
#[serde(rename_all = "PascalCase")]
struct Optional {
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
            params: Optional::default(),
        }
    }

    setters! {
        /// `Amount`: the PSD2 amount; must match the one the verification was started with.
        amount: secret();
        /// `Payee`: the PSD2 payee; must match the one the verification was started with.
        payee: secret();
        /// `SnaClientToken`: the token issued when the verification asked for one.
        sna_client_token: secret();
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
        form.opt_str("Code", self.code.as_ref().map(Secret::expose))
            .opt_str("To", to)
            .opt_str("VerificationSid", sid)
            .fields(&self.params)?;
        let path = Path::new("/v2/Services")
            .seg(self.service.checked()?)
            .lit("VerificationCheck")
            .finish();
        Ok(WireRequest::post(Self::OPERATION, path, form))
    }
}
