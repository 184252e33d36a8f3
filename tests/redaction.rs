//! Formats every public type that can hold a secret, a one-time code or a phone number, and
//! scans the text for them. Phone numbers may show their last four digits, never more.

mod common;

use common::fixture;
use twilio_verify::auth0::{
    CustomPhoneProviderEvent, HookParams, LogStreamToken, PhoneMessage, SendPhoneMessageEvent,
    parse_log_batch, plan,
};
use twilio_verify::verify::{
    Channel, CreateVerification, CreateVerificationCheck, FetchVerification, UpdateVerification,
    Verification, VerificationCheck, VerificationTarget,
};
use twilio_verify::wire::decode_response;
use twilio_verify::{ApiError, Error, PhoneNumber, Recipient, Secret, ServiceSid};

const AUTH_TOKEN: &str = "tok-7f3a9c1e5b";
const API_SECRET: &str = "sec-2d8e4f6a0c";
const STREAM_TOKEN: &str = "Bearer stream-4b1d9e";
const CODE: &str = "918273";
/// Digits of the numbers used below, without their last four.
const PHONE_HEADS: &[&str] = &["1501712", "1415555", "4477009", "3361234"];

fn assert_clean(what: &str, text: &str) {
    for secret in [
        AUTH_TOKEN,
        API_SECRET,
        STREAM_TOKEN,
        "stream-4b1d9e",
        CODE,
        "730142",
        "551209",
        "90817",
        "fixture-secret-token",
    ] {
        assert!(!text.contains(secret), "{what} shows `{secret}`: {text}");
    }
    let digits: String = text.chars().filter(char::is_ascii_digit).collect();
    for head in PHONE_HEADS {
        // A phone number written with separators still leaks if its digits run together.
        let compact: String = text
            .chars()
            .filter(|c| !matches!(c, ' ' | '-' | '(' | ')' | '.'))
            .collect();
        assert!(
            !compact.contains(head),
            "{what} shows a phone number: {text}"
        );
        let _ = &digits;
    }
}

fn service() -> ServiceSid {
    "VAaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa".parse().expect("sid")
}

#[cfg(feature = "client")]
#[test]
fn client_and_builder() {
    let c = twilio_verify::Client::new("ACaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", AUTH_TOKEN)
        .expect("client");
    assert_clean("Client", &format!("{c:?}"));
    let b = twilio_verify::Client::builder().api_key(
        "ACaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa",
        "SKaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa",
        API_SECRET,
    );
    assert_clean("ClientBuilder", &format!("{b:?}"));
    assert_clean(
        "Client (API key)",
        &format!("{:?}", b.build().expect("client")),
    );
}

#[test]
fn requests_and_their_wire_form() {
    let create =
        CreateVerification::new(service(), "+1 501 712 2661", Channel::Sms).custom_code(CODE);
    assert_clean("CreateVerification", &format!("{create:?}"));
    assert_clean(
        "WireRequest",
        &format!("{:?}", create.to_wire().expect("valid")),
    );
    let check =
        CreateVerificationCheck::new(service(), "+15017122661", CODE).sna_client_token(AUTH_TOKEN);
    assert_clean("CreateVerificationCheck", &format!("{check:?}"));
    let approve = UpdateVerification::approve(service(), "+15017122661");
    assert_clean("UpdateVerification", &format!("{approve:?}"));
    assert_clean(
        "UpdateVerification wire",
        &format!("{:?}", approve.to_wire().expect("valid")),
    );
    assert_clean(
        "FetchVerification",
        &format!("{:?}", FetchVerification::new(service(), "+15017122661")),
    );
    assert_clean(
        "VerificationTarget",
        &format!("{:?}", VerificationTarget::from("+15017122661")),
    );
    assert_clean(
        "PhoneNumber",
        &format!("{:?}", PhoneNumber::parse("+15017122661").expect("phone")),
    );
    assert_clean(
        "Recipient",
        &format!("{:?}", Recipient::new("+15017122661")),
    );
    assert_clean("Secret", &format!("{:?}", Secret::new(CODE)));
}

#[test]
fn models() {
    let v: Verification =
        serde_json::from_str(&fixture("verify/verification_psd2.json")).expect("decode");
    assert_clean("Verification", &format!("{v:?}"));
    let c: VerificationCheck =
        serde_json::from_str(&fixture("verify/check_approved.json")).expect("decode");
    assert_clean("VerificationCheck", &format!("{c:?}"));
}

#[test]
fn errors_debug_display_and_excerpts() {
    let api = ApiError::from_response(
        400,
        br#"{"code": 60200, "message": "Invalid parameter `To`: +1 (501) 712-2661", "status": 400}"#,
    );
    assert_clean("ApiError Debug", &format!("{api:?}"));
    assert_clean("ApiError Display", &api.to_string());
    let e: Error = api.into();
    assert_clean("Error::Api Debug", &format!("{e:?}"));
    assert_clean("Error::Api Display", &e.to_string());
    let problem = ApiError::from_response(
        404,
        br#"{"type": "https://www.twilio.com/docs/errors/20404?to=+15017122661", "title": "Not Found", "status": 404, "code": 20404, "instance": "/v2/Services/VAaa/Verifications/+15017122661"}"#,
    );
    assert_clean("ApiError (RFC 9457) Debug", &format!("{problem:?}"));
    assert_clean("ApiError (RFC 9457) Display", &problem.to_string());
    let decode = decode_response::<Verification>(
        200,
        br#"{"sid": 5, "to": "+15017122661", "code": "918273"}"#,
    )
    .expect_err("decode error");
    assert_clean("Error::Decode Debug", &format!("{decode:?}"));
    assert_clean("Error::Decode Display", &decode.to_string());
    let invalid = CreateVerification::new(service(), "15017122661", Channel::Sms)
        .custom_code(CODE)
        .to_wire()
        .expect_err("invalid");
    assert_clean("InvalidInput", &format!("{invalid:?} {invalid}"));
}

#[test]
fn auth0_payloads() {
    let e: SendPhoneMessageEvent =
        serde_json::from_str(&fixture("auth0/send_phone_message_event.json")).expect("event");
    assert_clean("SendPhoneMessageEvent", &format!("{e:?}"));
    assert_clean(
        "PhoneMessage",
        &format!("{:?}", PhoneMessage::try_from(&e).expect("message")),
    );
    let c: CustomPhoneProviderEvent =
        serde_json::from_str(&fixture("auth0/custom_phone_provider_otp.json")).expect("event");
    assert_clean("CustomPhoneProviderEvent", &format!("{c:?}"));
    let h: HookParams = serde_json::from_str(&fixture("auth0/hook_params.json")).expect("hook");
    assert_clean("HookParams", &format!("{h:?}"));
    assert_clean(
        "LogStreamToken",
        &format!("{:?}", LogStreamToken::new(STREAM_TOKEN)),
    );
    #[cfg(feature = "webhook")]
    assert_clean(
        "RequestValidator",
        &format!(
            "{:?}",
            twilio_verify::webhook::RequestValidator::new(AUTH_TOKEN)
        ),
    );
}

#[test]
fn log_events_and_feedback() {
    let body = [
        fixture("auth0/gd_auth_succeed_sms.json"),
        fixture("auth0/s_scope_string.json"),
        fixture("auth0/eventbridge_gd_auth_succeed.json"),
        // Raw details that quote a phone number.
        r#"{"log_id": "z1", "data": {"type": "fcpn", "details": {"new_phone": "+15017122661", "provider_error": {"message": "bad +15017122661"}}}}"#.to_owned(),
        r#"{"log_id": "z2", "data": {"type": "gd_send_sms_failure", "details": {"provider_error": {"errorCode": "21211", "message": "Invalid To +15017122661"}}}}"#.to_owned(),
    ]
    .map(|s| s.trim().to_owned())
    .join("\n");
    let batch = parse_log_batch(body.as_bytes());
    assert!(batch.is_clean(), "{:?}", batch.errors);
    assert_clean("LogBatch", &format!("{batch:?}"));
    for r in &batch.records {
        assert_clean("LogEvent", &format!("{:?}", r.event().expect("event")));
    }
    let p = plan(&batch.records);
    assert_eq!(p.targets.len(), 2);
    assert_clean("FeedbackPlan", &format!("{p:?}"));
}

#[cfg(feature = "axum")]
#[test]
fn bridge_config() {
    let c = twilio_verify::bridge::BridgeConfig::new(
        service(),
        LogStreamToken::new(STREAM_TOKEN),
        API_SECRET,
    );
    assert_clean("BridgeConfig", &format!("{c:?}"));
    let client = twilio_verify::Client::new("ACaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", AUTH_TOKEN)
        .expect("client");
    assert_clean(
        "Bridge",
        &format!("{:?}", twilio_verify::bridge::Bridge::new(client, c)),
    );
}

#[test]
fn push_totp_and_passkey_secrets_are_redacted() {
    use twilio_verify::verify::{
        AccessToken, CreateChallenge, CreateFactor, FactorType, NewFactor, UpdateChallenge,
        UpdateFactor,
    };
    const ID: &str = "ff483d1ff591898a9942916050d2ca3f";
    let yf: twilio_verify::sid::FactorSid =
        "YFaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa".parse().expect("yf");
    let yc: twilio_verify::sid::ChallengeSid =
        "YCaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa".parse().expect("yc");
    let token: AccessToken =
        serde_json::from_str(&fixture("verify/access_token.json")).expect("token");
    assert_clean("AccessToken", &format!("{token:?}"));
    let seed = "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ";
    let new: NewFactor =
        serde_json::from_str(&fixture("verify/factor_new_totp.json")).expect("factor");
    let text = format!("{new:?}");
    assert!(!text.contains(seed), "NewFactor shows its seed: {text}");
    let create = CreateFactor::new(service(), ID, "app", FactorType::Totp).binding_secret(seed);
    let text = format!("{create:?} {:?}", create.to_wire().expect("valid"));
    assert!(!text.contains(seed), "CreateFactor shows its seed: {text}");
    for text in [
        format!(
            "{:?}",
            UpdateFactor::verify(service(), ID, yf.clone(), CODE)
        ),
        format!(
            "{:?}",
            CreateChallenge::new(service(), ID, yf).auth_payload(CODE)
        ),
        format!(
            "{:?}",
            UpdateChallenge::new(service(), ID, yc).auth_payload(CODE)
        ),
    ] {
        assert_clean("a TOTP code", &text);
    }
}
