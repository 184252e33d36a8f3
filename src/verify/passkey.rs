//! Passkeys (`…/Passkeys/*`): WebAuthn factors. These four endpoints take JSON bodies, not
//! forms. Registration: [`CreatePasskeyFactor`] gives the browser its creation options, and
//! [`VerifyPasskeyFactor`] hands back what `navigator.credentials.create()` returned. Login:
//! [`CreatePasskeyChallenge`] gives the request options, and [`ApprovePasskeyChallenge`] hands
//! back what `navigator.credentials.get()` returned.

use serde::{Deserialize, Serialize};

use crate::error::InvalidInput;
use crate::macros::open_enum;
use crate::request::{Request, request};
use crate::sid::{FactorSid, ServiceSid};
use crate::wire::{Path, WireRequest};

// The models are named by `send` and by the docs' links.
#[cfg_attr(not(feature = "client"), allow(unused_imports))]
use super::challenge::Challenge;
use super::entity::check_identity;
#[cfg_attr(not(feature = "client"), allow(unused_imports))]
use super::factor::{Factor, NewFactor};
use super::{AuthenticatorAttachment, PasskeyRequirement, check_text, check_url};

open_enum! {
    /// How an authenticator can be reached (WebAuthn `AuthenticatorTransport`).
    pub enum Transport {
        /// USB.
        Usb = "usb",
        /// NFC.
        Nfc = "nfc",
        /// Bluetooth Low Energy.
        Ble = "ble",
        /// A smart card.
        SmartCard = "smart-card",
        /// Built into the client device.
        Internal = "internal",
        /// A phone reached over a hybrid (caBLE) link.
        Hybrid = "hybrid",
    }
}

fn passkeys(service: &ServiceSid, action: &'static str) -> Result<String, InvalidInput> {
    Ok(Path::new("/v2/Services")
        .seg(service.checked()?)
        .lit("Passkeys")
        .lit(action)
        .finish())
}

fn check_b64url(field: &'static str, value: &str) -> Result<(), InvalidInput> {
    let ok = !value.is_empty()
        && value
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'=' | b'+' | b'/'));
    if ok {
        Ok(())
    } else {
        Err(InvalidInput::new(field, "expected base64url text"))
    }
}

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

/// The `response` of a registration credential (WebAuthn `AuthenticatorAttestationResponse`,
/// as `PublicKeyCredential.toJSON()` gives it).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct AttestationResponse {
    /// `attestationObject`, base64url.
    #[serde(rename = "attestationObject")]
    pub attestation_object: String,
    /// `clientDataJSON`, base64url.
    #[serde(rename = "clientDataJSON")]
    pub client_data_json: String,
    /// `transports`: how the authenticator can be reached.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub transports: Vec<Transport>,
}

impl AttestationResponse {
    /// A response with its attestation object and client data (both base64url).
    pub fn new(attestation_object: impl Into<String>, client_data_json: impl Into<String>) -> Self {
        Self {
            attestation_object: attestation_object.into(),
            client_data_json: client_data_json.into(),
            transports: Vec::new(),
        }
    }

    /// Adds a transport.
    pub fn transport(mut self, transport: Transport) -> Self {
        self.transports.push(transport);
        self
    }
}

/// The `response` of a login credential (WebAuthn `AuthenticatorAssertionResponse`, as
/// `PublicKeyCredential.toJSON()` gives it).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct AssertionResponse {
    /// `authenticatorData`, base64url.
    #[serde(rename = "authenticatorData")]
    pub authenticator_data: String,
    /// `clientDataJSON`, base64url.
    #[serde(rename = "clientDataJSON")]
    pub client_data_json: String,
    /// `signature`, base64url.
    pub signature: String,
    /// `userHandle`, base64url: present for discoverable credentials.
    #[serde(
        rename = "userHandle",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub user_handle: Option<String>,
}

impl AssertionResponse {
    /// A response with its authenticator data, client data and signature (all base64url).
    pub fn new(
        authenticator_data: impl Into<String>,
        client_data_json: impl Into<String>,
        signature: impl Into<String>,
    ) -> Self {
        Self {
            authenticator_data: authenticator_data.into(),
            client_data_json: client_data_json.into(),
            signature: signature.into(),
            user_handle: None,
        }
    }

    /// The `userHandle`.
    pub fn user_handle(mut self, handle: impl Into<String>) -> Self {
        self.user_handle = Some(handle.into());
        self
    }
}

/// The credential fields shared by both passkey answers.
#[derive(Debug, Clone, PartialEq, Default)]
struct Credential {
    id: Option<String>,
    raw_id: Option<String>,
    attachment: Option<AuthenticatorAttachment>,
    credential_type: Option<String>,
}

#[derive(Serialize)]
struct CredentialBody<'a, R> {
    #[serde(skip_serializing_if = "Option::is_none")]
    id: Option<&'a str>,
    #[serde(rename = "rawId", skip_serializing_if = "Option::is_none")]
    raw_id: Option<&'a str>,
    #[serde(
        rename = "authenticatorAttachment",
        skip_serializing_if = "Option::is_none"
    )]
    attachment: Option<&'a AuthenticatorAttachment>,
    #[serde(rename = "type")]
    credential_type: &'a str,
    response: &'a R,
}

impl Credential {
    fn body<'a, R>(&'a self, response: &'a R) -> Result<CredentialBody<'a, R>, InvalidInput> {
        if let Some(id) = &self.id {
            check_b64url("id", id)?;
        }
        if let Some(raw) = &self.raw_id {
            check_b64url("rawId", raw)?;
        }
        Ok(CredentialBody {
            id: self.id.as_deref(),
            raw_id: self.raw_id.as_deref(),
            attachment: self.attachment.as_ref(),
            credential_type: self.credential_type.as_deref().unwrap_or("public-key"),
            response,
        })
    }
}

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

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::{Value, json};

    fn va() -> ServiceSid {
        "VAaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa".parse().expect("va")
    }

    fn body(w: &WireRequest) -> Value {
        assert_eq!(w.content_type(), Some(crate::wire::JSON_CONTENT_TYPE));
        serde_json::from_str(w.body().expect("body")).expect("json")
    }

    #[test]
    fn registration_bodies_are_json() {
        let w = CreatePasskeyFactor::new(va(), "user-0001", "laptop")
            .to_wire()
            .expect("ok");
        assert_eq!(
            body(&w),
            json!({"friendly_name": "laptop", "identity": "user-0001"})
        );
        let w = CreatePasskeyFactor::new(va(), "user-0001", "laptop")
            .relying_party_id("example.com")
            .relying_party_origins(["https://example.com"])
            .user_verification(PasskeyRequirement::Required)
            .to_wire()
            .expect("ok");
        assert_eq!(
            body(&w)["config"],
            json!({"relying_party": {"id": "example.com", "origins": ["https://example.com"]}, "user_verification": "required"})
        );
        let v = VerifyPasskeyFactor::new(
            va(),
            AttestationResponse::new("o2Nm", "eyJ0").transport(Transport::Hybrid),
        )
        .to_wire()
        .expect("ok");
        assert_eq!(
            body(&v),
            json!({"type": "public-key", "response": {"attestationObject": "o2Nm", "clientDataJSON": "eyJ0", "transports": ["hybrid"]}})
        );
    }

    #[test]
    fn login_bodies_are_json_and_checked() {
        let w = CreatePasskeyChallenge::new(va()).to_wire().expect("ok");
        assert_eq!(body(&w), json!({}));
        let a = ApprovePasskeyChallenge::new(
            va(),
            "abc_-",
            "abc_-",
            AuthenticatorAttachment::CrossPlatform,
            AssertionResponse::new("AAAA", "BBBB", "CCCC").user_handle("DDDD"),
        );
        assert_eq!(
            body(&a.to_wire().expect("ok")),
            json!({"id": "abc_-", "rawId": "abc_-", "authenticatorAttachment": "cross-platform", "type": "public-key",
                   "response": {"authenticatorData": "AAAA", "clientDataJSON": "BBBB", "signature": "CCCC", "userHandle": "DDDD"}})
        );
        let bad = ApprovePasskeyChallenge::new(
            va(),
            "not base64!",
            "x",
            AuthenticatorAttachment::Platform,
            AssertionResponse::new("AAAA", "BBBB", "CCCC"),
        );
        assert_eq!(bad.to_wire().expect_err("id").field(), "id");
        let empty_sig = VerifyPasskeyFactor::new(va(), AttestationResponse::new("", "x"));
        assert!(empty_sig.to_wire().is_err());
    }

    #[test]
    fn browser_json_decodes_into_the_responses() {
        let r: AssertionResponse = serde_json::from_str(
            r#"{"authenticatorData":"a","clientDataJSON":"c","signature":"s","userHandle":null}"#,
        )
        .expect("decode");
        assert_eq!(r.user_handle, None);
        let a: AttestationResponse = serde_json::from_str(
            r#"{"attestationObject":"o","clientDataJSON":"c","transports":["internal","future"]}"#,
        )
        .expect("decode");
        assert_eq!(a.transports[1], Transport::Unknown("future".into()));
    }
}
