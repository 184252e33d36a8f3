//! The custom phone provider, complete: notices delivered as text messages or calls, codes in
//! messaging mode, the sender settings, and idempotency, the guard and the logging rules on
//! every path.
#![cfg(feature = "axum")]

mod common;
#[path = "common/bridge.rs"]
mod harness;

use common::{fixture, forbid_calls, hits};
use harness::{Running, config, serve, success, verifications};
use serde_json::{Value, json};
use twilio_verify::bridge::{BridgeConfig, OtpDelivery};
use wiremock::matchers::{body_string, method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

const MESSAGES: &str = "/2010-04-01/Accounts/ACaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa/Messages.json";
const CALLS: &str = "/2010-04-01/Accounts/ACaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa/Calls.json";
const TEXT: &str = "Your Acme password appeared in a breach. Please reset it.";

fn notice(message_type: &str, method: &str, from: Option<&str>) -> String {
    let mut v = json!({
        "notification": {
            "as_text": TEXT,
            "as_voice": "Your Acme password appeared in a breach.",
            "delivery_method": method,
            "message_type": message_type,
            "recipient": "+44 7700 900123",
            "locale": "en_GB"
        },
        "request": {"ip": "203.0.113.9", "method": "POST"},
        "tenant": {"id": "acme-prod"},
        "user": {"user_id": "auth0|5f7c8ec7c33c6c004bbafe82"},
        "secrets": {}
    });
    if let Some(f) = from {
        v["notification"]["from"] = f.into();
    }
    v.to_string()
}

fn message_sent() -> ResponseTemplate {
    ResponseTemplate::new(201).set_body_raw(fixture("messaging/message.json"), "application/json")
}

fn call_placed() -> ResponseTemplate {
    ResponseTemplate::new(201).set_body_raw(fixture("messaging/call.json"), "application/json")
}

async fn bridge(twilio: &MockServer, tune: impl FnOnce(&mut BridgeConfig)) -> Running {
    serve(&twilio.uri(), config(tune), None).await
}

/// No log line carries the text, the number or the code.
fn assert_clean_logs(b: &Running) {
    for line in b.logs() {
        for secret in ["7700900123", "7700 900123", "breach", "482913"] {
            assert!(!line.contains(secret), "{line}");
        }
    }
}

#[tokio::test]
async fn a_breach_notice_is_a_text_message_sent_once() {
    let twilio = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path(MESSAGES))
        .and(body_string(
            "To=%2B447700900123&From=%2B15557654321\
             &Body=Your+Acme+password+appeared+in+a+breach.+Please+reset+it.",
        ))
        .respond_with(message_sent())
        .expect(1)
        .mount(&twilio)
        .await;
    let b = bridge(&twilio, |c| c.from_number = Some("+1 555 765 4321".into())).await;
    let (s, body) = b.action(notice("password_breach", "text", None)).await;
    assert_eq!(s, 200, "{body}");
    assert_eq!(body["sid"], "SMaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa");
    assert_eq!(body["repeat"], false);
    // Auth0 delivers the same notice again: answered from the first, nothing sent.
    let (s, body) = b.action(notice("password_breach", "text", None)).await;
    assert_eq!(s, 200, "{body}");
    assert_eq!(body["repeat"], true);
    assert_eq!(body["sid"], "SMaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa");
    assert_eq!(hits(&twilio).await, 1);
    assert_clean_logs(&b);
    assert!(
        b.logs().iter().any(|l| l.contains("channel=message")),
        "{:?}",
        b.logs()
    );
}

#[tokio::test]
async fn the_sender_is_the_messaging_service_then_the_from_number_then_auth0s() {
    for (tune, expected) in [
        (
            (
                Some("MGaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"),
                Some("+15557654321"),
            ),
            "MessagingServiceSid=MGaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa",
        ),
        ((None, Some("+15557654321")), "From=%2B15557654321"),
        ((None, None), "From=%2B15550001111"),
    ] {
        let twilio = MockServer::start().await;
        Mock::given(method("POST"))
            .and(path(MESSAGES))
            .and(wiremock::matchers::body_string_contains(expected))
            .respond_with(message_sent())
            .expect(1)
            .mount(&twilio)
            .await;
        let b = bridge(&twilio, |c| {
            c.messaging_service = tune.0.map(|s| s.parse().expect("mg"));
            c.from_number = tune.1.map(str::to_owned);
        })
        .await;
        let (s, body) = b
            .action(notice("change_password", "text", Some("+15550001111")))
            .await;
        assert_eq!(s, 200, "{expected}: {body}");
    }
}

#[tokio::test]
async fn a_voice_notice_is_a_call_from_the_voice_number() {
    let twilio = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path(CALLS))
        .and(body_string(
            "To=%2B447700900123&From=%2B15559990000\
             &Twiml=%3CResponse%3E%3CSay%3EYour+Acme+password+appeared+in+a+breach.%3C%2FSay%3E%3C%2FResponse%3E",
        ))
        .respond_with(call_placed())
        .expect(1)
        .mount(&twilio)
        .await;
    let b = bridge(&twilio, |c| {
        c.messaging_service = Some("MGaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa".parse().expect("mg"));
        c.from_number = Some("+15557654321".into());
        c.voice_from_number = Some("+15559990000".into());
    })
    .await;
    let (s, body) = b.action(notice("blocked_account", "voice", None)).await;
    assert_eq!(s, 200, "{body}");
    assert_eq!(body["sid"], "CAaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa");
    assert_clean_logs(&b);
}

#[tokio::test]
async fn with_no_sender_nothing_is_sent_and_the_answer_names_the_settings() {
    let twilio = MockServer::start().await;
    forbid_calls(&twilio).await;
    // A Messaging Service sends texts, not calls: a voice notice still has no caller id.
    let b = bridge(&twilio, |c| {
        c.messaging_service = Some("MGaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa".parse().expect("mg"))
    })
    .await;
    let (s, body) = b.action(notice("blocked_account", "voice", None)).await;
    assert_eq!(s, 422, "{body}");
    let error = body["error"].as_str().unwrap_or("");
    assert!(error.contains("BRIDGE_VOICE_FROM_NUMBER") && error.contains("BRIDGE_FROM_NUMBER"));
    assert_eq!(body["retry"], false);
    let b = bridge(&twilio, |_| {}).await;
    let (s, body) = b.action(notice("password_breach", "text", None)).await;
    assert_eq!(s, 422, "{body}");
    assert!(
        body["error"]
            .as_str()
            .is_some_and(|e| e.contains("BRIDGE_MESSAGING_SERVICE_SID"))
    );
}

#[tokio::test]
async fn in_messaging_mode_codes_go_out_as_auth0_rendered_them() {
    let twilio = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path(MESSAGES))
        .and(body_string(
            "To=%2B14155550134&From=%2B15557654321&Body=Your+Acme+code+is+482913",
        ))
        .respond_with(message_sent())
        .expect(1)
        .mount(&twilio)
        .await;
    Mock::given(method("POST"))
        .and(path(verifications()))
        .respond_with(ResponseTemplate::new(500))
        .expect(0)
        .mount(&twilio)
        .await;
    let b = bridge(&twilio, |c| {
        c.otp_delivery = OtpDelivery::Messaging;
        c.from_number = Some("+15557654321".into());
    })
    .await;
    let otp = json!({
        "notification": {
            "as_text": "Your Acme code is 482913", "as_voice": "Your code is 4 8 2 9 1 3",
            "code": "482913", "delivery_method": "text", "message_type": "otp_verify",
            "recipient": "+1 415 555 0134"
        }
    });
    let (s, body) = b.action(otp.to_string()).await;
    assert_eq!(s, 200, "{body}");
    assert_eq!(body["sid"], "SMaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa");
    assert_clean_logs(&b);

    // The send-phone-message trigger too: its rendered text, as a call for voice.
    let twilio = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path(CALLS))
        .and(wiremock::matchers::body_string_contains("Twiml="))
        .respond_with(call_placed())
        .expect(1)
        .mount(&twilio)
        .await;
    let b = bridge(&twilio, |c| {
        c.otp_delivery = OtpDelivery::Messaging;
        c.from_number = Some("+15557654321".into());
    })
    .await;
    let mut event: Value =
        serde_json::from_str(&fixture("auth0/send_phone_message_event.json")).expect("fixture");
    event["message_options"]["message_type"] = "voice".into();
    let (s, body) = b.action(event.to_string()).await;
    assert_eq!(s, 200, "{body}");
    assert_eq!(body["sid"], "CAaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa");
}

#[tokio::test]
async fn the_send_guard_counts_notices_too() {
    let twilio = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path(MESSAGES))
        .respond_with(message_sent())
        .expect(1)
        .mount(&twilio)
        .await;
    let b = bridge(&twilio, |c| {
        c.from_number = Some("+15557654321".into());
        c.guard.limit_per_recipient = Some("1/1h".parse().expect("limit"));
    })
    .await;
    let (s, body) = b.action(notice("password_breach", "text", None)).await;
    assert_eq!(s, 200, "{body}");
    // Another notice to the same number: a different message, over the recipient's limit.
    let (s, body) = b.action(notice("change_password", "text", None)).await;
    assert_eq!(s, 429, "{body}");
    assert_eq!(body["rule"], "recipient_limit");
    assert_eq!(hits(&twilio).await, 1);
}

#[tokio::test]
async fn a_notice_twilio_refused_is_its_own_outcome_naming_the_product() {
    let twilio = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path(MESSAGES))
        .respond_with(ResponseTemplate::new(400).set_body_raw(
            r#"{"code": 21610, "message": "Attempt to send to unsubscribed recipient", "status": 400}"#,
            "application/json",
        ))
        .expect(1)
        .mount(&twilio)
        .await;
    let b = bridge(&twilio, |c| c.from_number = Some("+15557654321".into())).await;
    let (s, body) = b.action(notice("password_breach", "text", None)).await;
    assert_eq!(s, 403, "{body}");
    assert_eq!(body["outcome"], "opted_out");
    assert_eq!(body["code"], 21610);
    assert!(
        body["error"]
            .as_str()
            .is_some_and(|e| e.contains("Programmable Messaging"))
    );
    assert_eq!(body["retry"], false);
}

#[tokio::test]
async fn in_messaging_mode_the_feedback_half_approves_nothing() {
    let twilio = MockServer::start().await;
    forbid_calls(&twilio).await;
    let b = bridge(&twilio, |c| c.otp_delivery = OtpDelivery::Messaging).await;
    let (s, body) = b
        .stream(success("90020240115103000000001", "+14155550134"))
        .await;
    assert_eq!(s, 200, "{body}");
    assert_eq!(body["skipped"]["otp_delivery_messaging"], 1, "{body}");
    assert_eq!(body["targets"], 0, "{body}");
}
