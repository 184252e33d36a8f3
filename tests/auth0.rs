//! The Auth0 half on fixtures of our own: Action events, log-stream bodies in every format,
//! broken records, a 10,000-record batch, and the feedback plan.

mod common;

use common::fixture;
use twilio_verify::ServiceSid;
use twilio_verify::auth0::{
    AuthenticatorType, BodyFormat, CustomPhoneProviderEvent, HookParams, LogCategory, LogDetails,
    LogStreamToken, LogType, MessageAction, PhoneMessage, Purpose, RecordShape, Scope,
    SendPhoneMessageEvent, SkipReason, parse_log_batch, parse_log_batch_as, plan,
};
use twilio_verify::verify::Channel;

const RECORDS: &[&str] = &[
    "gd_send_sms.json",
    "gd_auth_succeed_sms.json",
    "s_scope_string.json",
    "seccft_scope_array.json",
    "gd_auth_succeed_masked.json",
    "gd_auth_succeed_hashed.json",
    "unknown_type.json",
    "fp_api.json",
    "gd_auth_succeed_totp_api.json",
    "eventbridge_gd_auth_succeed.json",
];

fn records() -> Vec<String> {
    RECORDS
        .iter()
        .map(|n| fixture(&format!("auth0/{n}")).trim().to_owned())
        .collect()
}

fn service() -> ServiceSid {
    "VAaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa".parse().expect("sid")
}

#[test]
fn send_phone_message_event_decodes_and_becomes_a_custom_code_verification() {
    let event: SendPhoneMessageEvent =
        serde_json::from_str(&fixture("auth0/send_phone_message_event.json")).expect("decode");
    assert_eq!(
        event.message_options.action,
        MessageAction::SecondFactorAuthentication
    );
    assert_eq!(event.message_options.code.expose(), "730142");
    let request = event.request.as_ref().expect("request");
    assert_eq!(
        request
            .geoip
            .as_ref()
            .and_then(|g| g.country_code.as_deref()),
        Some("US")
    );
    assert_eq!(
        request.geoip.as_ref().and_then(|g| g.latitude),
        Some(37.8044)
    );
    assert_eq!(
        event.tenant.as_ref().and_then(|t| t.id.as_deref()),
        Some("acme-prod")
    );
    let user = event.user.as_ref().expect("user");
    assert_eq!(
        user.user_id.as_deref(),
        Some("auth0|65a1b2c3d4e5f60718293a4b")
    );
    assert_eq!(user.email_verified, Some(true));
    assert_eq!(user.identities.len(), 1);
    assert_eq!(
        event
            .custom_domain
            .as_ref()
            .and_then(|d| d.domain.as_deref()),
        Some("login.acme.example")
    );
    assert_eq!(
        event
            .transaction
            .as_ref()
            .and_then(|t| t.correlation_id.as_deref()),
        Some("c0ffee00-1234")
    );
    assert!(
        event
            .security_context
            .as_ref()
            .and_then(|s| s.ja4.as_ref())
            .is_some()
    );
    assert_eq!(
        event.secrets.get("TWILIO_AUTH_TOKEN").map(|s| s.expose()),
        Some("fixture-secret-token")
    );

    let message = PhoneMessage::try_from(&event).expect("message");
    assert_eq!(message.recipient.as_str(), "+14155550134");
    assert_eq!(message.channel, Channel::Sms);
    assert_eq!(message.locale, Some("es"));
    assert_eq!(message.purpose, Purpose::Authentication);
    let wire = message.to_verification(service()).to_wire().expect("valid");
    assert_eq!(
        wire.body(),
        Some("To=%2B14155550134&Channel=sms&Locale=es&CustomCode=730142")
    );
}

#[test]
fn secrets_codes_and_numbers_never_leak_from_events() {
    let event: SendPhoneMessageEvent =
        serde_json::from_str(&fixture("auth0/send_phone_message_event.json")).expect("decode");
    let json = serde_json::to_string(&event).expect("encode");
    assert!(!json.contains("fixture-secret-token"), "{json}");
    assert!(!json.contains("\"secrets\""), "{json}");
    let debug = format!("{event:?}");
    for leak in ["fixture-secret-token", "730142", "555 0134", "5550134"] {
        assert!(!debug.contains(leak), "{leak} in {debug}");
    }
    let message = PhoneMessage::try_from(&event).expect("message");
    let debug = format!("{message:?}");
    assert!(
        !debug.contains("730142") && !debug.contains("5550134"),
        "{debug}"
    );
}

#[test]
fn custom_phone_provider_otp_and_no_code_notifications() {
    let otp: CustomPhoneProviderEvent =
        serde_json::from_str(&fixture("auth0/custom_phone_provider_otp.json")).expect("decode");
    assert_eq!(
        otp.organization.as_ref().and_then(|o| o.name.as_deref()),
        Some("acme-uk")
    );
    assert_eq!(
        otp.connection.as_ref().and_then(|c| c.strategy.as_deref()),
        Some("auth0")
    );
    let m = PhoneMessage::try_from(&otp).expect("otp is a verification");
    assert_eq!(m.channel, Channel::Call);
    assert_eq!(m.locale, Some("en-GB"));
    assert_eq!(m.purpose, Purpose::Enrollment);
    assert_eq!(m.recipient.as_str(), "+447700900123");

    let breach: CustomPhoneProviderEvent =
        serde_json::from_str(&fixture("auth0/custom_phone_provider_password_breach.json"))
            .expect("decode");
    assert!(breach.notification.code.is_none());
    let err = PhoneMessage::try_from(&breach).expect_err("not a verification");
    assert!(err.to_string().contains("password_breach"), "{err}");
    assert!(err.to_string().contains("not a verification"), "{err}");
}

#[test]
fn legacy_hook_parameters() {
    let hook: HookParams =
        serde_json::from_str(&fixture("auth0/hook_params.json")).expect("decode");
    let m = PhoneMessage::try_from(&hook).expect("message");
    assert_eq!(m.recipient.as_str(), "+33612345678");
    assert_eq!(m.locale, Some("fr"));
    assert_eq!(m.purpose, Purpose::Enrollment);
    assert_eq!(m.code.expose(), "90817");
}

#[test]
fn json_lines_body() {
    let body = records().join("\n") + "\n";
    let batch = parse_log_batch(body.as_bytes());
    assert_eq!(batch.format, BodyFormat::JsonLines);
    assert!(batch.is_clean(), "{:?}", batch.errors);
    assert_eq!(batch.records.len(), RECORDS.len());
    let types: Vec<&str> = batch.records.iter().map(|r| r.log_type.code()).collect();
    assert_eq!(types[..3], ["gd_send_sms", "gd_auth_succeed", "s"]);
}

#[test]
fn json_array_body() {
    let body = format!("[\n  {}\n]", records().join(",\n  "));
    let batch = parse_log_batch(body.as_bytes());
    assert_eq!(batch.format, BodyFormat::JsonArray);
    assert!(batch.is_clean(), "{:?}", batch.errors);
    assert_eq!(batch.records.len(), RECORDS.len());
    // Given explicitly, the same body reads the same.
    assert_eq!(
        parse_log_batch_as(body.as_bytes(), BodyFormat::JsonArray),
        batch
    );
}

#[test]
fn json_object_bare_and_eventbridge_bodies() {
    let one = parse_log_batch(fixture("auth0/gd_auth_succeed_sms.json").as_bytes());
    assert_eq!(one.format, BodyFormat::JsonObject);
    assert_eq!(one.records[0].shape, RecordShape::Envelope);
    assert_eq!(
        one.records[0].log_id,
        "90020240115103000123456789000000000000001223372036854775807"
    );

    let bare = parse_log_batch(fixture("auth0/fp_api.json").as_bytes());
    assert_eq!(bare.records[0].shape, RecordShape::Bare);
    let event = bare.records[0].event().expect("event");
    assert_eq!(event.is_mobile, Some(true), "isMobile is read");
    assert_eq!(event.log_type.category(), Some(LogCategory::LoginFail));

    let api_only_id = parse_log_batch(fixture("auth0/gd_auth_succeed_totp_api.json").as_bytes());
    assert_eq!(api_only_id.records[0].log_id, "65a5b0f0c0ffee0012345678");

    let eb = parse_log_batch(fixture("auth0/eventbridge_gd_auth_succeed.json").as_bytes());
    assert_eq!(eb.records[0].shape, RecordShape::EventBridge);
    assert_eq!(eb.records[0].log_type, LogType::GdAuthSucceed);
}

#[test]
fn typed_common_fields_and_both_scope_shapes() {
    let body = records().join("\n");
    let batch = parse_log_batch(body.as_bytes());
    let s = batch.records[2].event().expect("s");
    assert_eq!(s.scope, Some(Scope::Text("openid profile email".into())));
    assert_eq!(
        s.scope.as_ref().map(Scope::items),
        Some(vec!["openid", "profile", "email"])
    );
    assert_eq!(s.is_mobile, Some(true));
    assert_eq!(s.audience.as_deref(), Some("https://api.acme.example"));
    assert_eq!(s.organization_name.as_deref(), Some("acme-uk"));
    assert_eq!(s.tenant_name.as_deref(), Some("acme-prod"));
    assert_eq!(s.environment_name.as_deref(), Some("prod-us-5"));
    let loc = s.location_info.as_ref().expect("location");
    assert_eq!(loc.latitude, Some(37.8044), "a numeric string is read");
    assert_eq!(s.time().map(|t| t.unix()), Some(1_705_314_660));
    assert!(matches!(s.details, Some(LogDetails::Other(_))));

    let m2m = batch.records[3].event().expect("seccft");
    assert_eq!(
        m2m.scope,
        Some(Scope::List(vec![
            "read:orders".into(),
            "write:orders".into()
        ]))
    );

    let mfa = batch.records[1].event().expect("gd_auth_succeed");
    let details = mfa.mfa().expect("typed MFA details");
    let auth = details.authenticator.as_ref().expect("authenticator");
    assert_eq!(auth.kind, Some(AuthenticatorType::Sms));
    assert_eq!(auth.id.as_deref(), Some("sms|dev_Q2w3E4r5T6y7U8i9"));
    assert_eq!(details.remember_browser, Some(true));
    assert_eq!(
        details
            .enrollment
            .as_ref()
            .and_then(|e| e.tenant.as_deref()),
        Some("acme-prod")
    );
}

#[test]
fn unknown_types_and_fields_are_kept() {
    let batch = parse_log_batch(fixture("auth0/unknown_type.json").as_bytes());
    let r = &batch.records[0];
    assert_eq!(
        r.log_type,
        LogType::Unknown("quantum_login_succeeded".into())
    );
    assert!(r.raw_json().contains("brand_new_field"));
    let e = r.event().expect("event");
    assert_eq!(e.log_type.code(), "quantum_login_succeeded");
    let Some(LogDetails::Other(details)) = e.details else {
        panic!("details stay raw");
    };
    assert_eq!(details["qubits"], 8);
}

#[test]
fn a_mixed_batch_with_broken_records_loses_only_those() {
    let good = records();
    let lines = [
        good[0].as_str(),
        "{\"log_id\": \"broken\", \"data\": {\"type\": ",
        good[1].as_str(),
        "not json at all",
        "[1, 2, 3]",
        "{\"log_id\": \"x\", \"data\": {\"description\": \"no type\"}}",
        good[2].as_str(),
    ];
    let batch = parse_log_batch(lines.join("\n").as_bytes());
    assert_eq!(batch.format, BodyFormat::JsonLines);
    let kept: Vec<usize> = batch.records.iter().map(|r| r.position).collect();
    assert_eq!(kept, [0, 2, 6]);
    let failed: Vec<usize> = batch.errors.iter().map(|e| e.position()).collect();
    assert_eq!(failed, [1, 3, 4, 5]);
    assert_eq!(batch.errors[3].log_id(), Some("x"));

    let array = format!("[{}, {{\"log_id\": 1, \"data\": 5}}, {}]", good[0], good[1]);
    let batch = parse_log_batch(array.as_bytes());
    assert_eq!(batch.records.len(), 2);
    assert_eq!(batch.errors.len(), 1);
    assert_eq!(batch.errors[0].position(), 1);
}

#[test]
fn a_batch_of_ten_thousand_records() {
    let template = fixture("auth0/gd_auth_succeed_sms.json");
    let other = fixture("auth0/s_scope_string.json");
    let mut lines = Vec::with_capacity(10_000);
    for i in 0..10_000 {
        let src = if i % 20 == 0 { &template } else { &other };
        // A distinct log id per record.
        let id = format!("9002024{i:08}");
        let rec = src
            .trim()
            .replace(
                "90020240115103000123456789000000000000001223372036854775807",
                &id,
            )
            .replace(
                "90020240115103100000000000000000000000001223372036854775810",
                &id,
            );
        lines.push(rec);
    }
    let body = lines.join("\n");
    let batch = parse_log_batch(body.as_bytes());
    assert!(batch.is_clean());
    assert_eq!(batch.records.len(), 10_000);
    let p = plan(&batch.records);
    assert_eq!(p.targets.len(), 500);
    assert_eq!(p.skipped.len(), 9_500);
    assert!(
        p.skipped
            .iter()
            .all(|s| s.reason == SkipReason::NotMfaSuccess)
    );

    let array = format!("[{}]", lines.join(","));
    assert_eq!(parse_log_batch(array.as_bytes()).records.len(), 10_000);
}

#[test]
fn feedback_plan_over_the_fixtures() {
    let body = records().join("\n");
    let batch = parse_log_batch(body.as_bytes());
    let p = plan(&batch.records);
    let phones: Vec<&str> = p.targets.iter().map(|t| t.phone.as_str()).collect();
    assert_eq!(phones, ["+14155550134", "+33612345678"]);
    assert_eq!(p.targets[1].channel(), Channel::Call);
    assert_eq!(p.targets[0].time.map(|t| t.unix()), Some(1_705_314_600));
    let reasons: Vec<(&str, &SkipReason)> = p
        .skipped
        .iter()
        .map(|s| (s.log_type.code(), &s.reason))
        .collect();
    assert_eq!(
        reasons,
        [
            ("gd_send_sms", &SkipReason::NotMfaSuccess),
            ("s", &SkipReason::NotMfaSuccess),
            ("seccft", &SkipReason::NotMfaSuccess),
            ("gd_auth_succeed", &SkipReason::MaskedPhone),
            ("gd_auth_succeed", &SkipReason::HashedPhone),
            ("quantum_login_succeeded", &SkipReason::NotMfaSuccess),
            ("fp", &SkipReason::NotMfaSuccess),
            ("gd_auth_succeed", &SkipReason::NonPhoneFactor),
        ]
    );
}

#[test]
fn log_stream_token_checks_the_header() {
    let token = LogStreamToken::new("Bearer 2f9c4e7a-stream");
    assert!(token.verify(Some("Bearer 2f9c4e7a-stream")));
    assert!(!token.verify(Some("bearer 2f9c4e7a-stream")));
    assert!(!token.verify(Some("Bearer 2f9c4e7a-strea")));
    assert!(!token.verify(None));
    assert!(!format!("{token:?}").contains("2f9c4e7a"));
    assert!(!LogStreamToken::new("").verify(Some("")));
}

#[test]
fn every_log_type_code_round_trips() {
    assert_eq!(LogType::ALL.len(), 207);
    for t in LogType::ALL {
        let decoded: LogType = serde_json::from_value(serde_json::json!(t.code())).expect("decode");
        assert_eq!(&decoded, t);
        assert_eq!(serde_json::to_value(&decoded).expect("encode"), t.code());
        assert!(t.description().is_some());
    }
}

#[cfg(feature = "client")]
mod approvals {
    use super::*;
    use twilio_verify::auth0::{FeedbackOutcome, approve};
    use wiremock::matchers::{body_string, method, path};
    use wiremock::{Mock, MockServer, ResponseTemplate};

    #[tokio::test]
    async fn one_outcome_per_target_and_failures_do_not_stop_the_others() {
        let server = MockServer::start().await;
        let client = twilio_verify::Client::builder()
            .auth_token(common::ACCOUNT_SID, common::AUTH_TOKEN)
            .base_url(server.uri())
            .build()
            .expect("client");
        let base = "/v2/Services/VAaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa/Verifications";
        let answer = |phone: &str, status: u16, body: &str| {
            Mock::given(method("POST"))
                .and(path(format!("{base}/{phone}")))
                .and(body_string("Status=approved"))
                .respond_with(
                    ResponseTemplate::new(status).set_body_raw(body.to_owned(), "application/json"),
                )
                .expect(1)
        };
        answer(
            "+14155550001",
            200,
            &fixture("verify/verification_approved.json"),
        )
        .mount(&server)
        .await;
        answer(
            "+14155550002",
            404,
            r#"{"code": 20404, "message": "not found", "status": 404}"#,
        )
        .mount(&server)
        .await;
        answer("+14155550003", 503, "").mount(&server).await;
        answer(
            "+14155550004",
            400,
            r#"{"code": 60200, "message": "Invalid parameter", "status": 400}"#,
        )
        .mount(&server)
        .await;
        // A refused credential passes once the token is rotated: retryable, not permanent.
        answer(
            "+14155550005",
            401,
            r#"{"code": 20003, "message": "Authenticate", "status": 401}"#,
        )
        .mount(&server)
        .await;

        let lines: Vec<String> = (1..=5)
            .map(|i| {
                format!(
                    r#"{{"log_id": "{i}", "data": {{"type": "gd_auth_succeed", "details": {{"authenticator": {{"type": "sms", "phone_number": "+1415555000{i}"}}}}}}}}"#
                )
            })
            .collect();
        let batch = parse_log_batch(lines.join("\n").as_bytes());
        let targets = plan(&batch.records).targets;
        assert_eq!(targets.len(), 5);
        let report = approve(&client, &service(), targets).await;
        assert_eq!(report.outcomes.len(), 5);
        assert!(matches!(report.outcomes[0].1, FeedbackOutcome::Approved(_)));
        assert!(matches!(
            report.outcomes[1].1,
            FeedbackOutcome::NothingPending
        ));
        assert!(matches!(
            report.outcomes[2].1,
            FeedbackOutcome::RetryableFailure(_)
        ));
        assert!(matches!(
            report.outcomes[3].1,
            FeedbackOutcome::PermanentFailure(_)
        ));
        assert!(matches!(
            report.outcomes[4].1,
            FeedbackOutcome::RetryableFailure(_)
        ));
        assert_eq!(
            (
                report.approved(),
                report.nothing_pending(),
                report.retryable(),
                report.permanent()
            ),
            (1, 1, 2, 1)
        );
    }
}
