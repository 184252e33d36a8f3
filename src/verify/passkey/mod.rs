//! Passkeys (`…/Passkeys/*`): WebAuthn factors. These four endpoints take JSON bodies, not
//! forms. Registration: [`CreatePasskeyFactor`] gives the browser its creation options, and
//! [`VerifyPasskeyFactor`] hands back what `navigator.credentials.create()` returned. Login:
//! [`CreatePasskeyChallenge`] gives the request options, and [`ApprovePasskeyChallenge`] hands
//! back what `navigator.credentials.get()` returned.

mod approve_challenge;
mod create_challenge;
mod create_factor;
mod verify_factor;

pub use approve_challenge::ApprovePasskeyChallenge;
pub use create_challenge::CreatePasskeyChallenge;
pub use create_factor::CreatePasskeyFactor;
pub use verify_factor::VerifyPasskeyFactor;

use serde::{Deserialize, Serialize};

use crate::error::InvalidInput;
use crate::macros::open_enum;
use crate::sid::ServiceSid;
use crate::wire::Path;

use super::AuthenticatorAttachment;

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

pub(crate) fn passkeys(service: &ServiceSid, action: &'static str) -> Result<String, InvalidInput> {
    Ok(Path::new("/v2/Services")
        .seg(service.checked()?)
        .lit("Passkeys")
        .lit(action)
        .finish())
}

pub(crate) fn check_b64url(field: &'static str, value: &str) -> Result<(), InvalidInput> {
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
pub(crate) struct Credential {
    pub(crate) id: Option<String>,
    pub(crate) raw_id: Option<String>,
    pub(crate) attachment: Option<AuthenticatorAttachment>,
    pub(crate) credential_type: Option<String>,
}

#[derive(Serialize)]
pub(crate) struct CredentialBody<'a, R> {
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
    pub(crate) fn body<'a, R>(
        &'a self,
        response: &'a R,
    ) -> Result<CredentialBody<'a, R>, InvalidInput> {
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::verify::PasskeyRequirement;
    use crate::wire::WireRequest;
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
