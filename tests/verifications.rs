//! Verifications: create on every channel, fetch by SID and by `To`, and the feedback call.
#![cfg(feature = "client")]

mod common;

use common::*;
use twilio_verify::ErrorCode;
use twilio_verify::verify::{
    Channel, ChannelConfiguration, CreateVerification, FetchVerification, RiskCheck, UpdateStatus,
    UpdateVerification, VerificationStatus,
};
use wiremock::ResponseTemplate;

fn path() -> String {
    format!("/v2/Services/{SERVICE_SID}/Verifications")
}

#[tokio::test]
async fn create_sms_with_a_custom_code_normalises_the_number() {
    let (server, client) = setup().await;
    expect_form(
        &path(),
        "To=%2B15017122661&Channel=sms&Locale=fr&CustomCode=482913",
    )
    .respond_with(json(201, "verify/verification_sms.json"))
    .expect(1)
    .mount(&server)
    .await;
    let v = CreateVerification::new(service(), "+1 (501) 712-2661", Channel::Sms)
        .locale("fr")
        .custom_code("482913")
        .send(&client)
        .await
        .expect("created");
    assert_eq!(v.sid.as_ref().map(|s| s.as_str()), Some(VERIFICATION_SID));
    assert_eq!(v.status, Some(VerificationStatus::Pending));
    assert!(v.is_pending());
    assert_eq!(v.channel, Some(Channel::Sms));
    assert_eq!(v.to.as_ref().map(|t| t.as_str()), Some("+15017122661"));
    let attempts = v.send_code_attempts.expect("attempts");
    // Twilio spells the channel in capitals here.
    assert_eq!(attempts[0].channel, Some(Channel::Sms));
    assert_eq!(v.lookup.and_then(|l| l.carrier), None);
}

#[tokio::test]
async fn create_call_with_send_digits_and_template() {
    let (server, client) = setup().await;
    expect_form(
        &path(),
        "To=%2B15017122661&Channel=call&SendDigits=ww1234&TemplateSid=HJaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\
         &TemplateCustomSubstitutions=%7B%22name%22%3A%22Jane%22%7D",
    )
    .respond_with(json(201, "verify/verification_call.json"))
    .expect(1)
    .mount(&server)
    .await;
    let v = CreateVerification::new(service(), "+15017122661", Channel::Call)
        .send_digits("ww1234")
        .template_sid(
            "HJaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
                .parse::<twilio_verify::sid::TemplateSid>()
                .expect("hj"),
        )
        .template_custom_substitution("name", "Jane")
        .send(&client)
        .await
        .expect("created");
    assert_eq!(v.channel, Some(Channel::Call));
    let attempts = v.send_code_attempts.expect("attempts");
    assert_eq!(
        attempts[0].channel,
        Some(Channel::Call),
        "CALL decodes as call"
    );
}

#[tokio::test]
async fn create_email_sends_channel_configuration_as_json() {
    let (server, client) = setup().await;
    expect_form(
        &path(),
        "To=jane%40acme.example&Channel=email\
         &ChannelConfiguration=%7B%22from%22%3A%22login%40acme.example%22%2C%22substitutions%22%3A%7B%22name%22%3A%22Jane%22%7D%7D",
    )
    .respond_with(json(201, "verify/verification_email.json"))
    .expect(1)
    .mount(&server)
    .await;
    let v = CreateVerification::new(service(), "jane@acme.example", Channel::Email)
        .channel_configuration(
            ChannelConfiguration::new()
                .from("login@acme.example")
                .substitution("name", "Jane"),
        )
        .send(&client)
        .await
        .expect("created");
    assert_eq!(v.channel, Some(Channel::Email));
    assert!(v.to.expect("to").is_email());
}

#[tokio::test]
async fn create_whatsapp_with_rate_limits_and_tags() {
    let (server, client) = setup().await;
    expect_form(
        &path(),
        "To=%2B15017122661&Channel=whatsapp&CustomFriendlyName=Acme\
         &RateLimits=%7B%22end_user_ip%22%3A%22127.0.0.1%22%7D&RiskCheck=enable\
         &Tags=%7B%22flow%22%3A%22signup%22%7D",
    )
    .respond_with(json(201, "verify/verification_whatsapp.json"))
    .expect(1)
    .mount(&server)
    .await;
    let v = CreateVerification::new(service(), "+15017122661", Channel::Whatsapp)
        .custom_friendly_name("Acme")
        .rate_limit("end_user_ip", "127.0.0.1")
        .risk_check(RiskCheck::Enable)
        .tag("flow", "signup")
        .send(&client)
        .await
        .expect("created");
    assert_eq!(v.channel, Some(Channel::Whatsapp));
    assert!(v.is_pending());
}

#[tokio::test]
async fn create_sna_and_auto_decode_carrier_and_sna_url() {
    let (server, client) = setup().await;
    expect_form(
        &path(),
        "To=%2B15017122661&Channel=auto&AppHash=h4sh&DeviceIp=2001%3Adb8%3A%3A1&EnableSnaClientToken=true",
    )
    .respond_with(json(201, "verify/verification_sna.json"))
    .expect(1)
    .mount(&server)
    .await;
    let v = CreateVerification::new(service(), "+15017122661", Channel::Auto)
        .app_hash("h4sh")
        .device_ip("2001:db8::1".parse().expect("ip"))
        .enable_sna_client_token(true)
        .send(&client)
        .await
        .expect("created");
    // Verify reports the channel it picked.
    assert_eq!(v.channel, Some(Channel::Sna));
    assert!(v.sna.and_then(|s| s.url).is_some());
    let carrier = v.lookup.and_then(|l| l.carrier).expect("carrier");
    // A number where a string is expected is accepted.
    assert_eq!(carrier.mobile_network_code.as_deref(), Some("180"));
    // RFC 2822 dates decode too.
    assert_eq!(v.date_created.map(|t| t.unix()), Some(1_709_285_400));
}

#[tokio::test]
async fn create_psd2_sends_amount_and_payee() {
    let (server, client) = setup().await;
    expect_form(
        &path(),
        "To=%2B15017122661&Channel=sms&Amount=%E2%82%AC39.99&Payee=Acme+Corp",
    )
    .respond_with(json(201, "verify/verification_psd2.json"))
    .expect(1)
    .mount(&server)
    .await;
    let v = CreateVerification::new(service(), "+15017122661", Channel::Sms)
        .amount("€39.99")
        .payee("Acme Corp")
        .send(&client)
        .await
        .expect("created");
    assert_eq!(v.amount.as_ref().map(|a| a.expose()), Some("€39.99"));
    assert_eq!(v.payee.as_ref().map(|p| p.expose()), Some("Acme Corp"));
    let shown = format!("{v:?}");
    assert!(
        !shown.contains("39.99") && !shown.contains("Acme Corp"),
        "{shown}"
    );
}

#[tokio::test]
async fn fetch_by_sid_and_by_phone_number() {
    let (server, client) = setup().await;
    expect("GET", &format!("{}/{VERIFICATION_SID}", path()))
        .respond_with(json(200, "verify/verification_sms.json"))
        .expect(1)
        .mount(&server)
        .await;
    expect("GET", &format!("{}/+15017122661", path()))
        .respond_with(json(200, "verify/verification_sms.json"))
        .expect(1)
        .mount(&server)
        .await;
    let sid: twilio_verify::VerificationSid = VERIFICATION_SID.parse().expect("sid");
    let a = FetchVerification::new(service(), &sid)
        .send(&client)
        .await
        .expect("by sid");
    let b = FetchVerification::new(service(), "+1 501 712 2661")
        .send(&client)
        .await
        .expect("by phone");
    assert_eq!(a, b);
}

#[tokio::test]
async fn approve_by_phone_number_is_the_feedback_call() {
    let (server, client) = setup().await;
    expect_form(&format!("{}/+15017122661", path()), "Status=approved")
        .respond_with(json(200, "verify/verification_approved.json"))
        .expect(1)
        .mount(&server)
        .await;
    let v = UpdateVerification::approve(service(), "+15017122661")
        .send(&client)
        .await
        .expect("approved");
    assert!(v.is_approved());
    assert_eq!(v.valid, Some(true));
}

#[tokio::test]
async fn cancel_by_sid() {
    let (server, client) = setup().await;
    expect_form(&format!("{}/{VERIFICATION_SID}", path()), "Status=canceled")
        .respond_with(json(200, "verify/verification_canceled.json"))
        .expect(1)
        .mount(&server)
        .await;
    let v = UpdateVerification::new(service(), VERIFICATION_SID, UpdateStatus::Canceled)
        .send(&client)
        .await
        .expect("canceled");
    assert_eq!(v.status, Some(VerificationStatus::Canceled));
}

#[tokio::test]
async fn approving_a_verification_that_is_gone_is_20404() {
    let (server, client) = setup().await;
    expect("POST", &format!("{}/+15017122661", path()))
        .respond_with(ResponseTemplate::new(404).set_body_raw(
            r#"{"code": 20404, "message": "The requested resource was not found", "more_info": "https://www.twilio.com/docs/errors/20404", "status": 404}"#,
            "application/json",
        ))
        .expect(1)
        .mount(&server)
        .await;
    let e = UpdateVerification::approve(service(), "+15017122661")
        .send(&client)
        .await
        .expect_err("gone");
    assert_eq!(e.code(), Some(ErrorCode::NotFound));
    assert!(e.is_not_found());
}

#[tokio::test]
async fn the_spec_429_keeps_code_message_link_and_retry_after() {
    let (server, client) = setup().await;
    expect("POST", &path())
        .respond_with(
            ResponseTemplate::new(429)
                .insert_header("Retry-After", "7")
                .set_body_raw(
                    r#"{"code": 20429, "message": "Too many requests", "more_info": "https://www.twilio.com/docs/errors/20429", "status": 429}"#,
                    "application/json",
                ),
        )
        .expect(1)
        .mount(&server)
        .await;
    let e = CreateVerification::new(service(), "+15017122661", Channel::Sms)
        .send(&client)
        .await
        .expect_err("429");
    let api = e.api_error().expect("api error");
    assert_eq!(api.status(), 429);
    assert_eq!(api.code(), Some(ErrorCode::TooManyRequests));
    assert_eq!(api.message(), "Too many requests");
    assert_eq!(
        api.more_info(),
        Some("https://www.twilio.com/docs/errors/20429")
    );
    assert_eq!(api.retry_after(), Some(std::time::Duration::from_secs(7)));
    assert!(api.is_rate_limited());
}

#[tokio::test]
async fn invalid_input_sends_nothing() {
    let (server, client) = setup().await;
    forbid_calls(&server).await;
    let cases = [
        CreateVerification::new(service(), "501 712 2661", Channel::Sms),
        CreateVerification::new(service(), "+15017122661", Channel::Email),
        CreateVerification::new(service(), "+15017122661", Channel::Sms).custom_code("123"),
        CreateVerification::new(service(), "+15017122661", Channel::Sms).custom_code(""),
        CreateVerification::new(service(), "+15017122661", Channel::Sms).custom_code("12345678901"),
    ];
    for req in cases {
        let e = req.send(&client).await.expect_err("invalid");
        assert!(e.is_invalid_input(), "{e}");
    }
    let e = UpdateVerification::approve(service(), "call me maybe")
        .send(&client)
        .await;
    assert!(e.expect_err("bad target").is_invalid_input());
    let e = FetchVerification::new(service(), "VE123")
        .send(&client)
        .await;
    assert!(e.expect_err("bad sid").is_invalid_input());
    assert_eq!(hits(&server).await, 0);
}

#[tokio::test]
async fn a_future_answer_with_unknown_fields_and_values_still_decodes() {
    let (server, client) = setup().await;
    expect(
        "GET",
        &format!("{}/VEdddddddddddddddddddddddddddddddd", path()),
    )
    .respond_with(json(200, "verify/verification_future.json"))
    .mount(&server)
    .await;
    let v = FetchVerification::new(service(), "VEdddddddddddddddddddddddddddddddd")
        .send(&client)
        .await
        .expect("decodes");
    assert_eq!(v.channel, Some(Channel::Unknown("carrier_pigeon".into())));
    assert_eq!(
        v.status,
        Some(VerificationStatus::Unknown("awaiting_consent".into()))
    );
    let attempt = &v.send_code_attempts.as_ref().expect("attempts")[0];
    assert_eq!(attempt.channel.as_ref().map(|c| c.as_str()), Some("RBM"));
    let carrier = v
        .lookup
        .as_ref()
        .and_then(|l| l.carrier.as_ref())
        .expect("carrier");
    assert_eq!(carrier.line_type.as_deref(), Some("satellite"));
    // Unknown values round-trip unchanged.
    let back = serde_json::to_value(&v).expect("encode");
    assert_eq!(back["status"], "awaiting_consent");
    assert_eq!(back["channel"], "carrier_pigeon");
}
