//! `CreatePasskeyFactor`: starts a passkey registration.

use serde::Serialize;

use super::passkeys;
use crate::error::InvalidInput;
use crate::request::{Request, request};
use crate::sid::ServiceSid;
use crate::verify::entity::check_identity;
use crate::verify::{
    AuthenticatorAttachment, NewFactor, PasskeyRequirement, check_text, check_url,
};
use crate::wire::WireRequest;

#[derive(Serialize)]
struct RelyingPartyBody<'a> {
    #[serde(skip_serializing_if = "Option::is_none")]
    id: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    name: Option<&'a str>,
    #[serde(skip_serializing_if = "<[String]>::is_empty")]
    origins: &'a [String],
}

#[derive(Serialize)]
struct FactorConfigBody<'a> {
    #[serde(skip_serializing_if = "Option::is_none")]
    relying_party: Option<RelyingPartyBody<'a>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    authenticator_attachment: Option<&'a AuthenticatorAttachment>,
    #[serde(skip_serializing_if = "Option::is_none")]
    discoverable_credentials: Option<&'a PasskeyRequirement>,
    #[serde(skip_serializing_if = "Option::is_none")]
    user_verification: Option<&'a PasskeyRequirement>,
}

#[derive(Serialize)]
struct CreateFactorBody<'a> {
    friendly_name: &'a str,
    identity: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    config: Option<FactorConfigBody<'a>>,
}

/// `POST …/Passkeys/Factors`: starts a passkey registration (operation
/// `CreateNewFactorPasskey`). The answer's [`NewFactor::options`] are the
/// `PublicKeyCredentialCreationOptions` for the browser. Settings left unset fall back to the
/// service's passkey settings.
///
/// ```no_run
/// # async fn run(client: &twilio_verify::Client, service: &twilio_verify::ServiceSid) -> twilio_verify::Result<()> {
/// use twilio_verify::verify::{AuthenticatorAttachment, CreatePasskeyFactor};
///
/// let f = CreatePasskeyFactor::new(service, "ff483d1ff591898a9942916050d2ca3f", "Jane's laptop")
///     .relying_party_id("example.com")
///     .relying_party_name("Example")
///     .relying_party_origins(["https://example.com"])
///     .authenticator_attachment(AuthenticatorAttachment::Platform)
///     .send(client)
///     .await?;
/// let creation_options = f.options; // hand these to navigator.credentials.create()
/// # let _ = creation_options; Ok(()) }
/// ```
#[derive(Debug, Clone, PartialEq)]
#[must_use = "a request does nothing until `.send(&client).await`"]
pub struct CreatePasskeyFactor {
    service: ServiceSid,
    identity: String,
    friendly_name: String,
    rp_id: Option<String>,
    rp_name: Option<String>,
    rp_origins: Vec<String>,
    attachment: Option<AuthenticatorAttachment>,
    discoverable: Option<PasskeyRequirement>,
    user_verification: Option<PasskeyRequirement>,
}

request!(CreatePasskeyFactor -> NewFactor, "CreateNewFactorPasskey");

impl CreatePasskeyFactor {
    /// A passkey named `friendly_name` (`friendly_name`) for the entity `identity`
    /// (`identity`, 8 to 64 characters).
    pub fn new(
        service: impl Into<ServiceSid>,
        identity: impl Into<String>,
        friendly_name: impl Into<String>,
    ) -> Self {
        Self {
            service: service.into(),
            identity: identity.into(),
            friendly_name: friendly_name.into(),
            rp_id: None,
            rp_name: None,
            rp_origins: Vec::new(),
            attachment: None,
            discoverable: None,
            user_verification: None,
        }
    }

    /// `config.relying_party.id`: the relying party's domain (`example.com`).
    pub fn relying_party_id(mut self, id: impl Into<String>) -> Self {
        self.rp_id = Some(id.into());
        self
    }

    /// `config.relying_party.name`: the name users see.
    pub fn relying_party_name(mut self, name: impl Into<String>) -> Self {
        self.rp_name = Some(name.into());
        self
    }

    /// `config.relying_party.origins`: the origins allowed to use the passkey.
    pub fn relying_party_origins<S: Into<String>>(
        mut self,
        origins: impl IntoIterator<Item = S>,
    ) -> Self {
        self.rp_origins = origins.into_iter().map(Into::into).collect();
        self
    }

    /// `config.authenticator_attachment`: platform, cross-platform or any.
    pub fn authenticator_attachment(mut self, attachment: AuthenticatorAttachment) -> Self {
        self.attachment = Some(attachment);
        self
    }

    /// `config.discoverable_credentials`: whether a discoverable (resident) key is wanted.
    pub fn discoverable_credentials(mut self, requirement: PasskeyRequirement) -> Self {
        self.discoverable = Some(requirement);
        self
    }

    /// `config.user_verification`: whether the authenticator must verify the user.
    pub fn user_verification(mut self, requirement: PasskeyRequirement) -> Self {
        self.user_verification = Some(requirement);
        self
    }

    fn wire(&self) -> Result<WireRequest, InvalidInput> {
        check_identity(&self.identity, true)?;
        check_text("friendly_name", &self.friendly_name, 64)?;
        for o in &self.rp_origins {
            check_url("config.relying_party.origins", o)?;
        }
        let rp = (self.rp_id.is_some() || self.rp_name.is_some() || !self.rp_origins.is_empty())
            .then(|| RelyingPartyBody {
                id: self.rp_id.as_deref(),
                name: self.rp_name.as_deref(),
                origins: &self.rp_origins,
            });
        let any = rp.is_some()
            || self.attachment.is_some()
            || self.discoverable.is_some()
            || self.user_verification.is_some();
        let config = any.then_some(FactorConfigBody {
            relying_party: rp,
            authenticator_attachment: self.attachment.as_ref(),
            discoverable_credentials: self.discoverable.as_ref(),
            user_verification: self.user_verification.as_ref(),
        });
        let body = CreateFactorBody {
            friendly_name: &self.friendly_name,
            identity: &self.identity,
            config,
        };
        WireRequest::post_json(Self::OPERATION, passkeys(&self.service, "Factors")?, &body)
    }
}
