//! `ApprovePasskeyChallenge`: finishes a passkey login.

use super::{AssertionResponse, Credential, check_b64url, passkeys};
use crate::error::InvalidInput;
use crate::request::{Request, request};
use crate::sid::ServiceSid;
use crate::verify::{AuthenticatorAttachment, Challenge};
use crate::wire::WireRequest;

/// `POST …/Passkeys/ApproveChallenge`: finishes a passkey login with what
/// `navigator.credentials.get()` returned (operation `UpdateChallengePasskeys`). The answer's
/// status says whether the login is approved.
///
/// ```no_run
/// # async fn run(client: &twilio_verify::Client, service: &twilio_verify::ServiceSid) -> twilio_verify::Result<()> {
/// use twilio_verify::verify::{
///     ApprovePasskeyChallenge, AssertionResponse, AuthenticatorAttachment, ChallengeStatus,
/// };
///
/// let response = AssertionResponse::new("o3mm9u6vuaVeN4wRgDTid", "eyJ0eXBlIjoid2ViYXV0aG4uZ2V0In0", "MEYCIQDDs662")
///     .user_handle("WUU0ZmQzYWFmNGU0NT");
/// let c = ApprovePasskeyChallenge::new(
///     service,
///     "6ySmhJd6qGUMCthiqszyb4Od4U6TFn0v3DLz-1EZrNQ",
///     "6ySmhJd6qGUMCthiqszyb4Od4U6TFn0v3DLz-1EZrNQ",
///     AuthenticatorAttachment::Platform,
///     response,
/// )
/// .send(client)
/// .await?;
/// if c.status == Some(ChallengeStatus::Approved) { /* log the user in */ }
/// # Ok(()) }
/// ```
#[derive(Debug, Clone, PartialEq)]
#[must_use = "a request does nothing until `.send(&client).await`"]
pub struct ApprovePasskeyChallenge {
    service: ServiceSid,
    credential: Credential,
    response: AssertionResponse,
}

request!(ApprovePasskeyChallenge -> Challenge, "UpdateChallengePasskeys");

impl ApprovePasskeyChallenge {
    /// A login answer: the credential's `id` and `rawId`, its `authenticatorAttachment`, and
    /// its `response`.
    pub fn new(
        service: impl Into<ServiceSid>,
        id: impl Into<String>,
        raw_id: impl Into<String>,
        attachment: AuthenticatorAttachment,
        response: AssertionResponse,
    ) -> Self {
        Self {
            service: service.into(),
            credential: Credential {
                id: Some(id.into()),
                raw_id: Some(raw_id.into()),
                attachment: Some(attachment),
                credential_type: None,
            },
            response,
        }
    }

    /// `type`: the credential type; `public-key` (the only one WebAuthn defines) unless set.
    pub fn credential_type(mut self, credential_type: impl Into<String>) -> Self {
        self.credential.credential_type = Some(credential_type.into());
        self
    }

    fn wire(&self) -> Result<WireRequest, InvalidInput> {
        let r = &self.response;
        check_b64url("response.authenticatorData", &r.authenticator_data)?;
        check_b64url("response.clientDataJSON", &r.client_data_json)?;
        check_b64url("response.signature", &r.signature)?;
        if let Some(h) = &r.user_handle {
            check_b64url("response.userHandle", h)?;
        }
        let body = self.credential.body(r)?;
        WireRequest::post_json(
            Self::OPERATION,
            passkeys(&self.service, "ApproveChallenge")?,
            &body,
        )
    }
}
