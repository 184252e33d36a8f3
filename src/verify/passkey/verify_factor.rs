//! `VerifyPasskeyFactor`: finishes a passkey registration.

use super::{AttestationResponse, Credential, check_b64url, passkeys};
use crate::error::InvalidInput;
use crate::request::{Request, request};
use crate::sid::ServiceSid;
use crate::verify::{AuthenticatorAttachment, Factor};
use crate::wire::WireRequest;

/// `POST …/Passkeys/VerifyFactor`: finishes a passkey registration with what
/// `navigator.credentials.create()` returned (operation `UpdatePasskeysFactor`).
///
/// ```no_run
/// # async fn run(client: &twilio_verify::Client, service: &twilio_verify::ServiceSid) -> twilio_verify::Result<()> {
/// use twilio_verify::verify::{AttestationResponse, AuthenticatorAttachment, Transport, VerifyPasskeyFactor};
///
/// let response = AttestationResponse::new("o2NmbXRk…", "eyJ0eXBlIjoid2ViYXV0aG4uY3JlYXRlIn0")
///     .transport(Transport::Internal);
/// let f = VerifyPasskeyFactor::new(service, response)
///     .id("6ySmhJd6qGUMCthiqszyb4Od4U6TFn0v3DLz-1EZrNQ")
///     .raw_id("6ySmhJd6qGUMCthiqszyb4Od4U6TFn0v3DLz-1EZrNQ")
///     .authenticator_attachment(AuthenticatorAttachment::Platform)
///     .send(client)
///     .await?;
/// println!("{:?}", f.status);
/// # Ok(()) }
/// ```
#[derive(Debug, Clone, PartialEq)]
#[must_use = "a request does nothing until `.send(&client).await`"]
pub struct VerifyPasskeyFactor {
    service: ServiceSid,
    credential: Credential,
    response: AttestationResponse,
}

request!(VerifyPasskeyFactor -> Factor, "UpdatePasskeysFactor");

impl VerifyPasskeyFactor {
    /// A registration answer carrying `response` (`response`).
    pub fn new(service: impl Into<ServiceSid>, response: AttestationResponse) -> Self {
        Self {
            service: service.into(),
            credential: Credential::default(),
            response,
        }
    }

    /// `id`: the credential id, base64url.
    pub fn id(mut self, id: impl Into<String>) -> Self {
        self.credential.id = Some(id.into());
        self
    }

    /// `rawId`: the raw credential id, as the browser encoded it.
    pub fn raw_id(mut self, raw_id: impl Into<String>) -> Self {
        self.credential.raw_id = Some(raw_id.into());
        self
    }

    /// `authenticatorAttachment`: `platform` or `cross-platform`.
    pub fn authenticator_attachment(mut self, attachment: AuthenticatorAttachment) -> Self {
        self.credential.attachment = Some(attachment);
        self
    }

    /// `type`: the credential type; `public-key` (the only one WebAuthn defines) unless set.
    pub fn credential_type(mut self, credential_type: impl Into<String>) -> Self {
        self.credential.credential_type = Some(credential_type.into());
        self
    }

    fn wire(&self) -> Result<WireRequest, InvalidInput> {
        check_b64url(
            "response.attestationObject",
            &self.response.attestation_object,
        )?;
        check_b64url("response.clientDataJSON", &self.response.client_data_json)?;
        let body = self.credential.body(&self.response)?;
        WireRequest::post_json(
            Self::OPERATION,
            passkeys(&self.service, "VerifyFactor")?,
            &body,
        )
    }
}
