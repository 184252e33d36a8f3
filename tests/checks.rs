//! Verification checks: by `To` and by `VerificationSid`, 200 and 201, right and wrong codes.
#![cfg(feature = "client")]

mod common;

use common::*;
use twilio_verify::ErrorCode;
use twilio_verify::verify::{Channel, CreateVerificationCheck, VerificationStatus};
use wiremock::ResponseTemplate;

fn path() -> String {
    format!("/v2/Services/{SERVICE_SID}/VerificationCheck")
}

#[tokio::test]
async fn check_by_to_with_201() {
    let (server, client) = setup().await;
    expect_form(&path(), "Code=482913&To=%2B15017122661")
        .respond_with(json(201, "verify/check_approved.json"))
        .expect(1)
        .mount(&server)
        .await;
    let c = CreateVerificationCheck::new(service(), "+1 501 712 2661", "482913")
        .send(&client)
        .await
        .expect("checked");
    assert!(c.is_approved());
    assert_eq!(c.valid, Some(true));
    assert_eq!(c.channel, Some(Channel::Sms));
    assert_eq!(c.sna_attempts_error_codes, Some(vec![]));
}

#[tokio::test]
async fn check_by_verification_sid_with_200_and_psd2() {
    let (server, client) = setup().await;
    expect_form(
        &path(),
        &format!("Code=482913&VerificationSid={VERIFICATION_SID}&Amount=39.99&Payee=Acme"),
    )
    .respond_with(json(200, "verify/check_approved.json"))
    .expect(1)
    .mount(&server)
    .await;
    let c = CreateVerificationCheck::new(service(), VERIFICATION_SID, "482913")
        .amount("39.99")
        .payee("Acme")
        .send(&client)
        .await
        .expect("checked");
    assert!(c.is_approved());
}

#[tokio::test]
async fn a_wrong_code_is_a_result_not_an_error() {
    let (server, client) = setup().await;
    expect_form(&path(), "Code=000000&To=%2B15017122661")
        .respond_with(json(200, "verify/check_wrong_code.json"))
        .expect(1)
        .mount(&server)
        .await;
    let c = CreateVerificationCheck::new(service(), "+15017122661", "000000")
        .send(&client)
        .await
        .expect("a result");
    assert!(!c.is_approved());
    assert_eq!(c.status, Some(VerificationStatus::Pending));
    assert_eq!(c.valid, Some(false));
}

#[tokio::test]
async fn sna_check_sends_to_and_token_only() {
    let (server, client) = setup().await;
    expect_form(&path(), "To=%2B15017122661&SnaClientToken=tok-123")
        .respond_with(json(201, "verify/check_sna.json"))
        .expect(1)
        .mount(&server)
        .await;
    let c = CreateVerificationCheck::without_code(service(), "+15017122661")
        .sna_client_token("tok-123")
        .send(&client)
        .await
        .expect("checked");
    let errors = c.sna_attempts_error_codes.expect("errors");
    assert_eq!(errors[0].code, Some(60001));
}

#[tokio::test]
async fn too_many_wrong_codes_is_60202() {
    let (server, client) = setup().await;
    expect("POST", &path())
        .respond_with(ResponseTemplate::new(429).set_body_raw(
            r#"{"code": 60202, "message": "Max check attempts reached", "more_info": "https://www.twilio.com/docs/errors/60202", "status": 429}"#,
            "application/json",
        ))
        .expect(1)
        .mount(&server)
        .await;
    let e = CreateVerificationCheck::new(service(), "+15017122661", "000000")
        .send(&client)
        .await
        .expect_err("60202");
    assert_eq!(e.code(), Some(ErrorCode::MaxCheckAttempts));
    assert!(!e.api_error().expect("api").is_rate_limited());
}

#[tokio::test]
async fn empty_and_malformed_codes_send_nothing() {
    let (server, client) = setup().await;
    forbid_calls(&server).await;
    for code in ["", "12", "12345678901", "12 456"] {
        let e = CreateVerificationCheck::new(service(), "+15017122661", code)
            .send(&client)
            .await
            .expect_err(code);
        assert!(e.is_invalid_input(), "{code}: {e}");
    }
    let e = CreateVerificationCheck::new(service(), "15017122661", "1234")
        .send(&client)
        .await
        .expect_err("no +");
    assert!(e.is_invalid_input());
    assert_eq!(hits(&server).await, 0);
}
