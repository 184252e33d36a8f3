//! `FetchVerification`: reads a pending verification.

use super::Verification;
use crate::error::InvalidInput;
use crate::request::{Request, request};
use crate::sid::ServiceSid;
use crate::verify::VerificationTarget;
use crate::wire::{Params, WireRequest};

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

request!(FetchVerification -> Verification, "FetchVerification");

impl FetchVerification {
    /// A fetch of the verification `target` (a `VE…` SID, a phone number or an e-mail address).
    pub fn new(service: impl Into<ServiceSid>, target: impl Into<VerificationTarget>) -> Self {
        Self {
            service: service.into(),
            target: target.into(),
        }
    }

    fn wire(&self) -> Result<WireRequest, InvalidInput> {
        let path = self.target.path(&self.service)?;
        Ok(WireRequest::get(Self::OPERATION, path, Params::new()))
    }
}
