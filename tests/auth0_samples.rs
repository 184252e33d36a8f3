//! Decodes every real Auth0 sample in `../shared/auth0-samples/` through the entry point that
//! matches it, and checks the fields each one carries.
//!
//! The samples are not part of the crate, so this suite is ignored in a plain `cargo test`.
//! Run it with `cargo test --test auth0_samples -- --ignored` (as `.ci/run` does), with the
//! samples at `../shared/auth0-samples` or at `$AUTH0_SAMPLES_DIR`.

use std::path::PathBuf;

use twilio_verify::auth0::{
    AuthenticatorType, BodyFormat, CustomPhoneProviderEvent, DeliveryMethod, LogDetails, LogEvent,
    LogType, MessageType, NotificationType, PhoneMessage, RecordShape, SendPhoneMessageEvent,
    SkipReason, classify_record, parse_log_batch,
};

fn samples_dir() -> PathBuf {
    let dir = std::env::var_os("AUTH0_SAMPLES_DIR").map_or_else(
        || PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../shared/auth0-samples"),
        PathBuf::from,
    );
    assert!(
        dir.is_dir(),
        "the Auth0 samples folder {} is missing: put ../shared beside the repository or set AUTH0_SAMPLES_DIR",
        dir.display()
    );
    dir
}

fn read(name: &str) -> String {
    let p = samples_dir().join(name);
    std::fs::read_to_string(&p).unwrap_or_else(|e| panic!("{}: {e}", p.display()))
}

/// The single record of a one-record sample body.
fn only_record(name: &str) -> twilio_verify::auth0::LogRecord {
    let batch = parse_log_batch(read(name).as_bytes());
    assert!(batch.is_clean(), "{name}: {:?}", batch.errors);
    assert_eq!(batch.records.len(), 1, "{name}");
    batch.records.into_iter().next().expect("one record")
}

#[test]
#[ignore = "needs ../shared/auth0-samples; run with `cargo test --test auth0_samples -- --ignored`"]
fn every_sample_decodes_through_its_entry_point() {
    let mut names: Vec<String> = std::fs::read_dir(samples_dir())
        .expect("readable folder")
        .filter_map(|e| e.ok()?.file_name().into_string().ok())
        .filter(|n| n.ends_with(".json") || n.ends_with(".jsonl"))
        .collect();
    names.sort();
    assert!(!names.is_empty(), "no samples found");
    for name in &names {
        let body = read(name);
        if name.starts_with("send-phone-message-event") {
            let e: SendPhoneMessageEvent =
                serde_json::from_str(&body).unwrap_or_else(|e| panic!("{name}: {e}"));
            assert!(!e.message_options.recipient.as_str().is_empty(), "{name}");
        } else if name.starts_with("custom-phone-provider-event") {
            let e: CustomPhoneProviderEvent =
                serde_json::from_str(&body).unwrap_or_else(|e| panic!("{name}: {e}"));
            assert!(!e.notification.recipient.as_str().is_empty(), "{name}");
        } else if name.starts_with("send-phone-message-hook") {
            serde_json::from_str::<twilio_verify::auth0::HookParams>(&body)
                .unwrap_or_else(|e| panic!("{name}: {e}"));
        } else {
            // A log sample named `<type>-<n>.json`: every record decodes to that type, or the
            // file is an Auth0 doc snippet of a bare event with no id, which decodes as an event.
            let expected = name.rsplit_once('-').map_or(name.as_str(), |(t, _)| t);
            let expected = expected.trim_end_matches("-batch-jsonlines");
            let batch = parse_log_batch(body.as_bytes());
            if batch.records.is_empty() {
                assert_eq!(batch.errors.len(), 1, "{name}: {:?}", batch.errors);
                assert_eq!(batch.errors[0].reason(), "no `log_id`", "{name}");
                let e: LogEvent =
                    serde_json::from_str(&body).unwrap_or_else(|e| panic!("{name}: {e}"));
                assert_eq!(e.log_type.code(), expected, "{name}");
                continue;
            }
            assert!(batch.is_clean(), "{name}: {:?}", batch.errors);
            for r in &batch.records {
                let e = r.event().unwrap_or_else(|e| panic!("{name}: {e}"));
                assert_eq!(e.log_type.code(), expected, "{name}");
                assert!(!e.log_type.is_unknown() || expected == "token_quota_consumption_warning");
            }
        }
    }
}

#[test]
#[ignore = "needs ../shared/auth0-samples; run with `cargo test --test auth0_samples -- --ignored`"]
fn action_event_skeletons() {
    let e: SendPhoneMessageEvent =
        serde_json::from_str(&read("send-phone-message-event-skeleton-1.json")).expect("decode");
    // The skeleton has the type names as values: they are kept as unknown values.
    assert_eq!(
        e.message_options.message_type,
        MessageType::Unknown("string".into())
    );
    assert_eq!(e.message_options.code.expose(), "string");
    assert_eq!(
        e.request.as_ref().and_then(|r| r.ip.as_deref()),
        Some("string")
    );
    assert_eq!(
        e.tenant.as_ref().and_then(|t| t.id.as_deref()),
        Some("string")
    );
    // And no guess is made about the channel.
    assert!(PhoneMessage::try_from(&e).is_err());

    let c: CustomPhoneProviderEvent =
        serde_json::from_str(&read("custom-phone-provider-event-skeleton-1.json")).expect("decode");
    assert_eq!(
        c.notification.delivery_method,
        DeliveryMethod::Unknown("string".into())
    );
    assert_eq!(
        c.notification.message_type,
        NotificationType::Unknown("string".into())
    );
    assert!(c.notification.code.is_none());
    assert_eq!(
        c.client.as_ref().and_then(|x| x.client_id.as_deref()),
        Some("string")
    );
    assert!(
        PhoneMessage::try_from(&c).is_err(),
        "no code: not a verification"
    );
}

#[test]
#[ignore = "needs ../shared/auth0-samples; run with `cargo test --test auth0_samples -- --ignored`"]
fn mfa_samples() {
    // The Management API form of a TOTP success: `_id` for the id, a non-phone factor.
    let r = only_record("gd_auth_succeed-1.json");
    assert_eq!(r.shape, RecordShape::Bare);
    assert_eq!(r.log_id, "5ef3bb0922b43d004844af00");
    assert_eq!(r.log_type, LogType::GdAuthSucceed);
    let e = r.event().expect("event");
    let auth = e
        .mfa()
        .and_then(|m| m.authenticator.as_ref())
        .expect("authenticator");
    assert_eq!(auth.kind, Some(AuthenticatorType::Totp));
    assert_eq!(auth.id.as_deref(), Some("totp|dev_3KQv6yQ06pLoksIe"));
    assert_eq!(
        e.mfa().and_then(|m| m.device_id.as_deref()),
        Some("v0:45e50ea0-b65b-11ea-9dd7-27e2c7f14291")
    );
    assert_eq!(
        e.time().map(|t| t.to_string()).as_deref(),
        Some("2020-06-24T20:43:53.758Z")
    );
    assert_eq!(classify_record(&r), Err(SkipReason::NonPhoneFactor));

    // Panther's synthetic enrollments: the phone is a bare integer, the date has no `T`.
    for (name, desc_suffix) in [
        ("gd_enrollment_complete-1.json", "(sms)"),
        ("gd_enrollment_complete-2.json", "(voice)"),
    ] {
        let r = only_record(name);
        assert_eq!(r.shape, RecordShape::Envelope);
        assert_eq!(r.log_type, LogType::GdEnrollmentComplete);
        let e = r.event().expect("event");
        assert!(
            e.description
                .as_deref()
                .is_some_and(|d| d.ends_with(desc_suffix)),
            "{name}"
        );
        assert!(e.time().is_some(), "{name}: Panther date");
        let phone = e
            .mfa()
            .and_then(|m| m.authenticator.as_ref())
            .and_then(|a| a.phone_number.as_ref())
            .expect("phone");
        assert!(phone.as_str().bytes().all(|b| b.is_ascii_digit()), "{name}");
        // An enrollment is a feedback target, but this sample's number has no country code.
        assert_eq!(classify_record(&r), Err(SkipReason::UnusablePhone));
    }

    let r = only_record("gd_send_pn-1.json");
    assert_eq!(r.log_type, LogType::GdSendPn);
    let e = r.event().expect("event");
    assert!(e.mfa().and_then(|m| m.request.as_ref()).is_some());
    assert_eq!(
        e.user_id.as_deref(),
        Some("google-oauth2|105261262156475850461")
    );
}

#[test]
#[ignore = "needs ../shared/auth0-samples; run with `cargo test --test auth0_samples -- --ignored`"]
fn other_log_samples() {
    let r = only_record("fp-1.json");
    assert_eq!(r.shape, RecordShape::Bare);
    let e = r.event().expect("event");
    assert_eq!(e.is_mobile, Some(false));
    assert_eq!(e.strategy_type.as_deref(), Some("database"));
    assert_eq!(
        e.user_name.as_ref().map(|u| u.as_str()),
        Some("test@test.com")
    );
    assert!(e.log_type.is_failure());

    let e = only_record("s-3.json").event().expect("event");
    assert_eq!(e.tenant_name.as_deref(), Some("nova-prod02"));
    assert_eq!(e.environment_name.as_deref(), Some("env-region-4"));
    let loc = e.location_info.as_ref().expect("location_info");
    assert_eq!(loc.country_code.as_deref(), Some("US"));
    assert_eq!(loc.latitude, Some(32.6713));
    assert!(matches!(e.details, Some(LogDetails::Other(_))));

    let e = only_record("limit_wc-1.json").event().expect("event");
    assert!(e.log_type.is_rate_limit());
    assert_eq!(e.hostname.as_deref(), Some("auth.clientdomain.com"));
    assert!(e.time().is_some(), "Panther date");

    let e = only_record("pwd_leak-1.json").event().expect("event");
    assert_eq!(e.log_type, LogType::PwdLeak);
    assert_eq!(e.connection_id.as_deref(), Some("con_BvGURiLLdngYaT0D"));

    let r = only_record("token_quota_consumption_warning-1.json");
    assert_eq!(r.log_type, LogType::TokenQuotaConsumptionWarning);
    let e = r.event().expect("event");
    assert_eq!(e.is_mobile, Some(false));
    assert_eq!(e.tenant_name.as_deref(), Some("lozano"));

    let r = only_record("sapi-3.json");
    assert_eq!(r.log_type, LogType::Sapi);
    assert_eq!(
        r.event()
            .expect("event")
            .client_id
            .as_deref()
            .map(str::is_empty),
        Some(false)
    );

    // Auth0 doc snippets of bare events: s-2 has `_id`, s-1 has no id at all.
    let e: LogEvent = serde_json::from_str(&read("s-1.json")).expect("event");
    assert_eq!(e.client_ip, None);
    assert_eq!(e.client_name.as_deref(), Some("jwt.io"));
    let r = only_record("s-2.json");
    assert_eq!(r.log_type, LogType::S);
    assert_eq!(
        parse_log_batch(read("s-2.json").as_bytes()).format,
        BodyFormat::JsonObject
    );
}
