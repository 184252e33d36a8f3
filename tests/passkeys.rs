//! Passkeys: the four JSON-bodied endpoints, with exact bodies and content type.
#![cfg(feature = "client")]

mod common;

use common::*;
use serde_json::json;
use twilio_verify::verify::{
    ApprovePasskeyChallenge, AssertionResponse, AttestationResponse, AuthenticatorAttachment,
    ChallengeStatus, CreatePasskeyChallenge, CreatePasskeyFactor, FactorStatus, FactorType,
    PasskeyRequirement, Transport, VerifyPasskeyFactor,
};
use wiremock::ResponseTemplate;
use wiremock::matchers::{body_json, header};

const ID: &str = "ff483d1ff591898a9942916050d2ca3f";
const CRED: &str = "6ySmhJd6qGUMCthiqszyb4Od4U6TFn0v3DLz-1EZrNQ";

fn passkeys(action: &str) -> String {
    format!("/v2/Services/{SERVICE_SID}/Passkeys/{action}")
}

#[tokio::test]
async fn registration_and_login() {
    let (server, client) = setup().await;
    let json_type = || header("content-type", "application/json");
    expect("POST", &passkeys("Factors"))
        .and(json_type())
        .and(body_json(json!({
            "friendly_name": "Jane's laptop",
            "identity": ID,
            "config": {
                "relying_party": {"id": "example.com", "name": "Example", "origins": ["https://example.com"]},
                "authenticator_attachment": "platform",
                "discoverable_credentials": "preferred",
                "user_verification": "required"
            }
        })))
        .respond_with(json(201, "verify/passkey_factor.json"))
        .expect(1)
        .mount(&server)
        .await;
    expect("POST", &passkeys("VerifyFactor"))
        .and(json_type())
        .and(body_json(json!({
            "id": CRED, "rawId": CRED, "authenticatorAttachment": "platform", "type": "public-key",
            "response": {"attestationObject": "o2NmbXRk", "clientDataJSON": "eyJ0eXBlIn0", "transports": ["internal", "hybrid"]}
        })))
        .respond_with(json(200, "verify/factor.json"))
        .expect(1)
        .mount(&server)
        .await;
    expect("POST", &passkeys("Challenges"))
        .and(json_type())
        .and(body_json(json!({"identity": ID})))
        .respond_with(json(201, "verify/passkey_challenge.json"))
        .expect(1)
        .mount(&server)
        .await;
    expect("POST", &passkeys("ApproveChallenge"))
        .and(json_type())
        .and(body_json(json!({
            "id": CRED, "rawId": CRED, "authenticatorAttachment": "cross-platform", "type": "public-key",
            "response": {"authenticatorData": "o3mm9u6v", "clientDataJSON": "eyJ0eXBlIn0", "signature": "MEYCIQDD", "userHandle": "WUU0ZmQz"}
        })))
        .respond_with(json(200, "verify/passkey_challenge_approved.json"))
        .expect(1)
        .mount(&server)
        .await;

    let f = CreatePasskeyFactor::new(service(), ID, "Jane's laptop")
        .relying_party_id("example.com")
        .relying_party_name("Example")
        .relying_party_origins(["https://example.com"])
        .authenticator_attachment(AuthenticatorAttachment::Platform)
        .discoverable_credentials(PasskeyRequirement::Preferred)
        .user_verification(PasskeyRequirement::Required)
        .send(&client)
        .await
        .expect("created");
    assert_eq!(f.factor_type, Some(FactorType::Passkeys));
    assert_eq!(
        f.options.expect("options")["publicKey"]["rp"]["id"],
        "example.com"
    );

    let response = AttestationResponse::new("o2NmbXRk", "eyJ0eXBlIn0")
        .transport(Transport::Internal)
        .transport(Transport::Hybrid);
    let verified = VerifyPasskeyFactor::new(service(), response)
        .id(CRED)
        .raw_id(CRED)
        .authenticator_attachment(AuthenticatorAttachment::Platform)
        .send(&client)
        .await
        .expect("verified");
    assert_eq!(verified.status, Some(FactorStatus::Verified));

    let c = CreatePasskeyChallenge::new(service())
        .identity(ID)
        .send(&client)
        .await
        .expect("challenge");
    assert_eq!(c.status, Some(ChallengeStatus::Pending));
    assert_eq!(
        c.options.expect("options")["publicKey"]["rpId"],
        "example.com"
    );
    assert_eq!(
        c.entity_sid.as_ref().map(|s| s.is_well_formed()),
        Some(false),
        "an empty SID decodes"
    );

    let assertion =
        AssertionResponse::new("o3mm9u6v", "eyJ0eXBlIn0", "MEYCIQDD").user_handle("WUU0ZmQz");
    let approved = ApprovePasskeyChallenge::new(
        service(),
        CRED,
        CRED,
        AuthenticatorAttachment::CrossPlatform,
        assertion,
    )
    .send(&client)
    .await
    .expect("approved");
    assert_eq!(approved.status, Some(ChallengeStatus::Approved));
}

#[tokio::test]
async fn bad_input_sends_nothing() {
    let (server, client) = setup().await;
    forbid_calls(&server).await;
    let origin =
        CreatePasskeyFactor::new(service(), ID, "laptop").relying_party_origins(["example.com"]);
    assert!(
        origin
            .send(&client)
            .await
            .expect_err("origin")
            .is_invalid_input()
    );
    let empty = VerifyPasskeyFactor::new(service(), AttestationResponse::new("", "eyJ0"));
    assert!(
        empty
            .send(&client)
            .await
            .expect_err("attestation")
            .is_invalid_input()
    );
    assert_eq!(hits(&server).await, 0);
}

#[tokio::test]
async fn a_passkey_post_that_fails_is_not_resent() {
    let (server, client) = setup().await;
    expect("POST", &passkeys("ApproveChallenge"))
        .respond_with(ResponseTemplate::new(503))
        .expect(1)
        .mount(&server)
        .await;
    let r = ApprovePasskeyChallenge::new(
        service(),
        CRED,
        CRED,
        AuthenticatorAttachment::Platform,
        AssertionResponse::new("AAAA", "BBBB", "CCCC"),
    )
    .send(&client)
    .await;
    assert_eq!(r.expect_err("503").status(), Some(503));
}
