//! The send guard in the bridge, on the memory store, against wiremock playing Verify: each
//! rule refuses with its status and name and makes no Verify call; a repeat is not counted;
//! Verify's own refusals come back as their own outcome.
#![cfg(feature = "axum")]

mod common;
#[path = "common/bridge.rs"]
mod harness;

use common::hits;
use harness::*;
use serde_json::json;
use wiremock::matchers::{body_string, method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

const PHONE: &str = "+14155552671";

/// A `send-phone-message` event with the request's IP and geolocated country.
fn event(phone: &str, code: &str, user: &str, ip: &str, geo: &str) -> String {
    json!({
        "message_options": {
            "action": "second-factor-authentication", "code": code, "message_type": "sms",
            "recipient": phone, "text": format!("Your code is {code}")
        },
        "request": {"ip": ip, "method": "POST", "geoip": {"countryCode": geo}},
        "user": {"user_id": user},
        "secrets": {}
    })
    .to_string()
}

fn plain(phone: &str, code: &str) -> String {
    event(phone, code, "auth0|u1", "198.51.100.23", "US")
}

async fn verify_answers_201(twilio: &MockServer) {
    Mock::given(method("POST"))
        .and(path(verifications()))
        .respond_with(
            ResponseTemplate::new(201)
                .set_body_raw(verification(&sid('b'), &at(-1)), "application/json"),
        )
        .mount(twilio)
        .await;
}

async fn guarded(twilio: &MockServer, vars: &[(&str, &str)]) -> Running {
    let guard = twilio_verify::guard::GuardConfig::from_lookup(|k| {
        vars.iter()
            .find(|(name, _)| *name == k)
            .map(|(_, v)| (*v).to_owned())
    })
    .expect("guard config");
    serve(&twilio.uri(), config(|c| c.guard = guard), None).await
}

#[tokio::test]
async fn each_policy_rule_refuses_with_403_its_name_and_no_verify_call() {
    for (vars, body, rule) in [
        (
            vec![("BRIDGE_VALIDATE_NUMBERS", "true")],
            plain("+44 7700 900123", "111111"),
            "invalid_number",
        ),
        (
            vec![("BRIDGE_ALLOWED_COUNTRIES", "US,GB")],
            event(
                "+33 6 12 34 56 78",
                "111111",
                "auth0|u1",
                "198.51.100.23",
                "FR",
            ),
            "country",
        ),
        (
            vec![("BRIDGE_BLOCKED_COUNTRIES", "CA")],
            plain("+1 604 555 0123", "111111"),
            "country",
        ),
        (
            vec![("BRIDGE_GEO_MISMATCH", "block")],
            event(PHONE, "111111", "auth0|u1", "198.51.100.23", "NG"),
            "geo_mismatch",
        ),
    ] {
        let twilio = MockServer::start().await;
        let bridge = guarded(&twilio, &vars).await;
        let (s, answer) = bridge.action(body).await;
        assert_eq!(s, 403, "{rule}: {answer}");
        assert_eq!(answer["rule"], rule, "{answer}");
        assert_eq!(answer["retry"], false, "{answer}");
        assert_eq!(hits(&twilio).await, 0, "{rule}: nothing reached Verify");
        let text = format!("{answer}\n{}", bridge.logs().join("\n"));
        for leak in ["7700", "612345678", "5550123", "5552671", "111111"] {
            assert!(!text.contains(leak), "{leak} in {text}");
        }
        assert!(text.contains(&format!("rule={rule}")), "{text}");
    }
}

#[tokio::test]
async fn each_rate_limit_refuses_with_429_and_retry_after() {
    // Two sends that share the limited key: the second is refused, and only one reached Verify.
    for (var, second, rule) in [
        (
            "BRIDGE_LIMIT_PER_RECIPIENT",
            plain(PHONE, "222222"),
            "recipient_limit",
        ),
        (
            "BRIDGE_LIMIT_PER_USER",
            event("+12125550123", "222222", "auth0|u1", "203.0.113.1", "US"),
            "user_limit",
        ),
        (
            "BRIDGE_LIMIT_PER_IP",
            event("+12125550123", "222222", "auth0|u2", "198.51.100.23", "US"),
            "ip_limit",
        ),
        (
            "BRIDGE_LIMIT_PER_PREFIX",
            event("+14155559999", "222222", "auth0|u2", "203.0.113.1", "US"),
            "prefix_limit",
        ),
        (
            "BRIDGE_LIMIT_PER_COUNTRY",
            event("+12125550123", "222222", "auth0|u2", "203.0.113.1", "US"),
            "country_limit",
        ),
    ] {
        let twilio = MockServer::start().await;
        verify_answers_201(&twilio).await;
        let bridge = guarded(&twilio, &[(var, "1/1h")]).await;
        let (s, first) = bridge.action(plain(PHONE, "111111")).await;
        assert_eq!(s, 200, "{var}: {first}");
        let resp = bridge
            .http
            .post(format!("{}/auth0/send-phone-message", bridge.url))
            .header("authorization", format!("Bearer {ACTION_SECRET}"))
            .body(second)
            .send()
            .await
            .expect("answer");
        assert_eq!(resp.status().as_u16(), 429, "{var}");
        let after: u64 = resp
            .headers()
            .get("retry-after")
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.parse().ok())
            .expect("Retry-After");
        assert!((3500..=3600).contains(&after), "{after}");
        let text = resp.text().await.expect("body");
        let body: serde_json::Value = serde_json::from_str(&text).expect("json");
        assert_eq!(body["rule"], rule, "{body}");
        assert_eq!(body["retry_after"].as_u64(), Some(after), "{body}");
        let seen = format!("{text}\n{}", bridge.logs().join("\n"));
        for leak in ["5552671", "5550123", "5559999", "222222"] {
            assert!(!seen.contains(leak), "{leak} in {seen}");
        }
        assert_eq!(
            hits(&twilio).await,
            1,
            "{var}: the refused send made no call"
        );
    }
}

#[tokio::test]
async fn a_repeat_answered_without_a_call_does_not_count() {
    let twilio = MockServer::start().await;
    verify_answers_201(&twilio).await;
    let bridge = guarded(&twilio, &[("BRIDGE_LIMIT_PER_RECIPIENT", "1/1h")]).await;
    let (s, _) = bridge.action(plain(PHONE, "111111")).await;
    assert_eq!(s, 200);
    for _ in 0..3 {
        let (s, body) = bridge.action(plain(PHONE, "111111")).await;
        assert_eq!((s, body["repeat"].as_bool()), (200, Some(true)), "{body}");
    }
    let (s, body) = bridge.action(plain(PHONE, "222222")).await;
    assert_eq!((s, body["rule"].as_str()), (429, Some("recipient_limit")));
    assert_eq!(hits(&twilio).await, 1);
}

#[tokio::test]
async fn a_geo_mismatch_allowed_by_default_is_sent_and_logged() {
    let twilio = MockServer::start().await;
    verify_answers_201(&twilio).await;
    let bridge = guarded(&twilio, &[]).await;
    let (s, _) = bridge
        .action(event(PHONE, "111111", "auth0|u1", "198.51.100.23", "NG"))
        .await;
    assert_eq!(s, 200);
    assert!(bridge.logs().join("\n").contains("geo-mismatch"));
}

#[tokio::test]
async fn verify_rate_limits_are_passed_in_the_request() {
    let twilio = MockServer::start().await;
    // RateLimits is one JSON object, form-encoded: {"user_id":…,"end_user_ip_address":…}.
    let rate_limits = serde_json::to_string(&json!({
        "user_id": "auth0|u1", "end_user_ip_address": "198.51.100.23"
    }))
    .expect("json");
    let form: String = form_urlencoded::Serializer::new(String::new())
        .append_pair("To", PHONE)
        .append_pair("Channel", "sms")
        .append_pair("CustomCode", "111111")
        .append_pair("RateLimits", &rate_limits)
        .finish();
    Mock::given(method("POST"))
        .and(path(verifications()))
        .and(body_string(form.replace('*', "%2A")))
        .respond_with(
            ResponseTemplate::new(201)
                .set_body_raw(verification(&sid('b'), &at(-1)), "application/json"),
        )
        .expect(1)
        .mount(&twilio)
        .await;
    let bridge = guarded(
        &twilio,
        &[("BRIDGE_VERIFY_RATE_LIMITS", "user_id,end_user_ip_address")],
    )
    .await;
    let (s, body) = bridge.action(plain(PHONE, "111111")).await;
    assert_eq!(s, 200, "{body}");
}

#[tokio::test]
async fn verify_refusing_the_recipient_is_its_own_outcome() {
    for (code, status, outcome) in [
        (60410, 403, "fraud_guard"),
        (60605, 403, "geo_permission"),
        (60205, 400, "landline"),
    ] {
        let message = format!("Delivery to +14155552671 refused ({code})");
        let twilio = MockServer::start().await;
        Mock::given(method("POST"))
            .and(path(verifications()))
            .respond_with(ResponseTemplate::new(status).set_body_raw(
                format!(r#"{{"code": {code}, "message": "{message}", "status": {status}}}"#),
                "application/json",
            ))
            .expect(1)
            .mount(&twilio)
            .await;
        let bridge = guarded(&twilio, &[]).await;
        let (s, body) = bridge.action(plain(PHONE, "111111")).await;
        assert_eq!(s, 403, "{code}: {body}");
        assert_eq!(body["outcome"], outcome, "{body}");
        assert_eq!(body["code"], code, "{body}");
        assert_eq!(body["retry"], false, "{body}");
        assert!(
            !body.to_string().contains("2671"),
            "Twilio's message quoted the number: {body}"
        );
    }
}

#[tokio::test]
async fn a_send_verify_never_made_is_taken_back_from_the_limits() {
    let twilio = MockServer::start().await;
    // Twilio refuses the credentials once (nothing is sent), then accepts.
    Mock::given(method("POST"))
        .and(path(verifications()))
        .respond_with(ResponseTemplate::new(401).set_body_raw(
            r#"{"code": 20003, "message": "Authenticate", "status": 401}"#,
            "application/json",
        ))
        .up_to_n_times(1)
        .expect(1)
        .mount(&twilio)
        .await;
    verify_answers_201(&twilio).await;
    let bridge = guarded(&twilio, &[("BRIDGE_LIMIT_PER_RECIPIENT", "1/1h")]).await;
    let (s, body) = bridge.action(plain(PHONE, "111111")).await;
    assert_eq!((s, body["retry"].as_bool()), (502, Some(true)), "{body}");
    // Auth0 retries: the failed attempt did not use up the number's one send.
    let (s, body) = bridge.action(plain(PHONE, "111111")).await;
    assert_eq!((s, body["repeat"].as_bool()), (200, Some(false)), "{body}");
    let (s, body) = bridge.action(plain(PHONE, "222222")).await;
    assert_eq!(
        (s, body["rule"].as_str()),
        (429, Some("recipient_limit")),
        "{body}"
    );
    assert_eq!(hits(&twilio).await, 2);
}

#[tokio::test]
async fn a_send_that_may_have_gone_out_stays_counted() {
    let twilio = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path(verifications()))
        .respond_with(ResponseTemplate::new(500))
        .up_to_n_times(1)
        .mount(&twilio)
        .await;
    verify_answers_201(&twilio).await;
    let bridge = guarded(&twilio, &[("BRIDGE_LIMIT_PER_RECIPIENT", "1/1h")]).await;
    let (s, body) = bridge.action(plain(PHONE, "111111")).await;
    assert_eq!(
        (s, body["outcome"].as_str()),
        (502, Some("unknown")),
        "{body}"
    );
    let (s, body) = bridge.action(plain(PHONE, "222222")).await;
    assert_eq!(
        (s, body["rule"].as_str()),
        (429, Some("recipient_limit")),
        "{body}"
    );
    assert_eq!(hits(&twilio).await, 1);
}
