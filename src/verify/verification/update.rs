//! `UpdateVerification`: the feedback call, approving or cancelling a verification.

use super::{UpdateStatus, Verification};
use crate::error::InvalidInput;
use crate::request::{Request, request};
use crate::sid::ServiceSid;
use crate::verify::VerificationTarget;
use crate::wire::{Params, WireRequest};

/// `POST /v2/Services/{ServiceSid}/Verifications/{Sid}`: the feedback call. It approves or
/// cancels a pending verification, by SID or by the `To` it was sent to.
///
/// Approving tells Verify the user proved ownership, which is what feeds Fraud Guard's
/// conversion data when your own system (Auth0, say) checked the code. Canceling ends a
/// verification that will not be completed. A verification that is no longer pending answers
/// 404 (code 20404, [`Error::is_not_found`](crate::Error::is_not_found)).
///
/// ```no_run
/// # async fn run(client: &twilio_verify::Client, service: &twilio_verify::ServiceSid) -> twilio_verify::Result<()> {
/// use twilio_verify::verify::UpdateVerification;
///
/// let v = UpdateVerification::approve(service, "+15017122661").send(client).await?;
/// assert_eq!(v.status, Some(twilio_verify::verify::VerificationStatus::Approved));
/// # Ok(()) }
/// ```
#[derive(Debug, Clone, PartialEq)]
#[must_use = "a request does nothing until `.send(&client).await`"]
pub struct UpdateVerification {
    service: ServiceSid,
    target: VerificationTarget,
    status: UpdateStatus,
}

request!(UpdateVerification -> Verification, "UpdateVerification");

impl UpdateVerification {
    /// Sets `target`'s status to `status`.
    pub fn new(
        service: impl Into<ServiceSid>,
        target: impl Into<VerificationTarget>,
        status: UpdateStatus,
    ) -> Self {
        Self {
            service: service.into(),
            target: target.into(),
            status,
        }
    }

    /// Approves `target` (`Status=approved`).
    pub fn approve(service: impl Into<ServiceSid>, target: impl Into<VerificationTarget>) -> Self {
        Self::new(service, target, UpdateStatus::Approved)
    }

    /// Cancels `target` (`Status=canceled`).
    pub fn cancel(service: impl Into<ServiceSid>, target: impl Into<VerificationTarget>) -> Self {
        Self::new(service, target, UpdateStatus::Canceled)
    }

    fn wire(&self) -> Result<WireRequest, InvalidInput> {
        let path = self.target.path(&self.service)?;
        let mut form = Params::new();
        form.str("Status", self.status.as_str());
        Ok(WireRequest::post(Self::OPERATION, path, form))
    }
}
