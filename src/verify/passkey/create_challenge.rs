//! `CreatePasskeyChallenge`: starts a passkey login.

use serde::Serialize;

use super::passkeys;
use crate::error::InvalidInput;
use crate::request::{Request, request};
use crate::sid::FactorSid;
use crate::sid::ServiceSid;
use crate::verify::Challenge;
use crate::verify::entity::check_identity;
use crate::wire::WireRequest;

#[derive(Serialize)]
struct CreateChallengeBody<'a> {
    #[serde(skip_serializing_if = "Option::is_none")]
    identity: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    factor_sid: Option<&'a str>,
}

/// `POST …/Passkeys/Challenges`: starts a passkey login (operation `CreateChallengePasskeys`).
/// With no identity it is a discoverable-credential (username-less) login. The answer's
/// [`Challenge::options`] are the `PublicKeyCredentialRequestOptions` for the browser.
///
/// ```no_run
/// # async fn run(client: &twilio_verify::Client, service: &twilio_verify::ServiceSid) -> twilio_verify::Result<()> {
/// use twilio_verify::verify::CreatePasskeyChallenge;
///
/// let c = CreatePasskeyChallenge::new(service)
///     .identity("ff483d1ff591898a9942916050d2ca3f")
///     .send(client)
///     .await?;
/// let request_options = c.options; // hand these to navigator.credentials.get()
/// # let _ = request_options; Ok(()) }
/// ```
#[derive(Debug, Clone, PartialEq)]
#[must_use = "a request does nothing until `.send(&client).await`"]
pub struct CreatePasskeyChallenge {
    service: ServiceSid,
    identity: Option<String>,
    factor: Option<FactorSid>,
}

request!(CreatePasskeyChallenge -> Challenge, "CreateChallengePasskeys");

impl CreatePasskeyChallenge {
    /// A login challenge for any passkey of the service.
    pub fn new(service: impl Into<ServiceSid>) -> Self {
        Self {
            service: service.into(),
            identity: None,
            factor: None,
        }
    }

    /// `identity`: only this entity's passkeys.
    pub fn identity(mut self, identity: impl Into<String>) -> Self {
        self.identity = Some(identity.into());
        self
    }

    /// `factor_sid`: only this passkey.
    pub fn factor_sid(mut self, factor: impl Into<FactorSid>) -> Self {
        self.factor = Some(factor.into());
        self
    }

    fn wire(&self) -> Result<WireRequest, InvalidInput> {
        if let Some(id) = &self.identity {
            check_identity(id, false)?;
        }
        let body = CreateChallengeBody {
            identity: self.identity.as_deref(),
            factor_sid: self.factor.as_ref().map(|f| f.checked()).transpose()?,
        };
        WireRequest::post_json(
            Self::OPERATION,
            passkeys(&self.service, "Challenges")?,
            &body,
        )
    }
}
