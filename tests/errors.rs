//! How answers that are not success become errors: both Twilio body shapes, HTML, empty bodies,
//! bodies that do not decode, timeouts, refused connections and oversized bodies.
#![cfg(feature = "client")]

mod common;

use std::time::Duration;

use common::*;
use twilio_verify::verify::{Channel, CreateVerification, FetchService};
use twilio_verify::{Client, Error, ErrorCode, TransportKind};
use wiremock::ResponseTemplate;

async fn fetch_with(answer: ResponseTemplate) -> Error {
    fetch_with_hits(answer, 1).await
}

/// Fetches a service from a server that gives `answer`, which must be asked `hits` times.
async fn fetch_with_hits(answer: ResponseTemplate, hits: u64) -> Error {
    let (server, client) = setup().await;
    expect("GET", &format!("/v2/Services/{SERVICE_SID}"))
        .respond_with(answer)
        .expect(hits)
        .mount(&server)
        .await;
    FetchService::new(service())
        .send(&client)
        .await
        .expect_err("an error")
}

#[tokio::test]
async fn legacy_twilio_body() {
    let e = fetch_with(ResponseTemplate::new(400).set_body_raw(
        r#"{"code": 60200, "message": "Invalid parameter", "more_info": "https://www.twilio.com/docs/errors/60200", "status": 400, "details": {"param": "To"}}"#,
        "application/json",
    ))
    .await;
    let api = e.api_error().expect("api");
    assert_eq!(api.status(), 400);
    assert_eq!(api.code(), Some(ErrorCode::InvalidParameter));
    assert_eq!(api.message(), "Invalid parameter");
    assert_eq!(
        api.more_info(),
        Some("https://www.twilio.com/docs/errors/60200")
    );
    assert_eq!(api.details().and_then(|d| d["param"].as_str()), Some("To"));
    assert_eq!(
        e.to_string(),
        "[HTTP 400] 60200: Invalid parameter (https://www.twilio.com/docs/errors/60200)"
    );
}

#[tokio::test]
async fn rfc9457_problem_details() {
    let e = fetch_with(ResponseTemplate::new(403).set_body_raw(
        r#"{"type": "https://www.twilio.com/docs/errors/60204", "title": "Service does not support this feature", "status": 403, "code": 60204, "detail": "Custom code not allowed", "instance": "/v2/Services/VA/Verifications"}"#,
        "application/problem+json",
    ))
    .await;
    let api = e.api_error().expect("api");
    assert_eq!(api.status(), 403);
    assert_eq!(api.code(), Some(ErrorCode::FeatureNotSupported));
    assert_eq!(api.message(), "Custom code not allowed");
    assert_eq!(
        api.more_info(),
        Some("https://www.twilio.com/docs/errors/60204")
    );
    assert_eq!(api.instance(), Some("/v2/Services/VA/Verifications"));
}

#[tokio::test]
async fn html_body_keeps_the_status() {
    // A GET is retried on 502 (three attempts by default) before the error surfaces.
    let e = fetch_with_hits(
        ResponseTemplate::new(502)
            .set_body_raw("<html><h1>502 Bad Gateway</h1></html>", "text/html"),
        3,
    )
    .await;
    assert_eq!(e.status(), Some(502));
    assert_eq!(e.code(), None);
    assert!(e.to_string().contains("Bad Gateway"), "{e}");
}

#[tokio::test]
async fn empty_body_keeps_the_status() {
    let e = fetch_with_hits(ResponseTemplate::new(503), 3).await;
    assert_eq!(e.status(), Some(503));
    assert!(e.to_string().contains("empty body"), "{e}");
}

#[tokio::test]
async fn debug_of_an_api_error_hides_the_number_twilio_quoted() {
    let e = fetch_with(ResponseTemplate::new(400).set_body_raw(
        r#"{"code": 60200, "message": "Invalid parameter `To`: +15017122661", "status": 400}"#,
        "application/json",
    ))
    .await;
    for shown in [format!("{e:?}"), e.to_string()] {
        assert!(!shown.contains("5017122661"), "{shown}");
        assert!(shown.contains("60200"), "{shown}");
    }
    // The raw message stays available to code that asks for it.
    assert!(
        e.api_error()
            .is_some_and(|a| a.message().contains("+15017122661"))
    );
}

#[tokio::test]
async fn a_numeric_string_code_is_still_a_code() {
    let e = fetch_with(ResponseTemplate::new(429).set_body_raw(
        r#"{"code": "60203", "message": "Max send attempts reached", "status": 429}"#,
        "application/json",
    ))
    .await;
    assert_eq!(e.code(), Some(ErrorCode::MaxSendAttempts));
}

#[tokio::test]
async fn unknown_codes_are_kept_by_number() {
    let e = fetch_with(ResponseTemplate::new(400).set_body_raw(
        r#"{"code": 69999, "message": "Something new", "status": 400}"#,
        "application/json",
    ))
    .await;
    assert_eq!(e.code(), Some(ErrorCode::Other(69999)));
    assert_eq!(e.api_error().and_then(|a| a.code_number()), Some(69999));
}

#[tokio::test]
async fn a_success_body_that_does_not_decode_is_a_decode_error_without_values() {
    let e = fetch_with(ResponseTemplate::new(200).set_body_raw(
        r#"{"sid": "VAaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", "friendly_name": "+15017122661", "code_length": "six""#,
        "application/json",
    ))
    .await;
    let Error::Decode(d) = &e else {
        panic!("expected a decode error, got {e:?}");
    };
    assert_eq!(d.status(), 200);
    let shown = e.to_string();
    assert!(!shown.contains("5017122661"), "{shown}");
    assert!(shown.contains("code_length"), "{shown}");
}

#[tokio::test]
async fn a_slow_answer_is_a_timeout() {
    let server = wiremock::MockServer::start().await;
    let client = Client::builder()
        .auth_token(ACCOUNT_SID, AUTH_TOKEN)
        .base_url(server.uri())
        .timeout(Duration::from_millis(200))
        .build()
        .expect("client");
    expect("GET", &format!("/v2/Services/{SERVICE_SID}"))
        .respond_with(json(200, "verify/service.json").set_delay(Duration::from_secs(3)))
        .mount(&server)
        .await;
    let e = FetchService::new(service())
        .send(&client)
        .await
        .expect_err("timeout");
    assert!(e.is_timeout(), "{e:?}");
}

#[tokio::test]
async fn a_refused_connection_is_a_connect_error() {
    // Bind a port, then free it, so nothing listens there.
    let port = {
        let l = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
        l.local_addr().expect("addr").port()
    };
    let client = Client::builder()
        .auth_token(ACCOUNT_SID, AUTH_TOKEN)
        .base_url(format!("http://127.0.0.1:{port}"))
        .build()
        .expect("client");
    let e = CreateVerification::new(service(), "+15017122661", Channel::Sms)
        .send(&client)
        .await
        .expect_err("refused");
    match &e {
        Error::Transport(t) => assert_eq!(t.kind(), TransportKind::Connect),
        other => panic!("expected a transport error, got {other:?}"),
    }
    // The phone number is in the URL path; it must not leak through the error text.
    let chain = format!("{e} {:?}", std::error::Error::source(&e));
    assert!(!chain.contains("5017122661"), "{chain}");
}

#[tokio::test]
async fn a_body_over_the_cap_is_an_error_not_an_allocation() {
    let server = wiremock::MockServer::start().await;
    let client = Client::builder()
        .auth_token(ACCOUNT_SID, AUTH_TOKEN)
        .base_url(server.uri())
        .max_response_bytes(1024)
        .build()
        .expect("client");
    expect("GET", &format!("/v2/Services/{SERVICE_SID}"))
        .respond_with(
            ResponseTemplate::new(200).set_body_raw(vec![b' '; 64 * 1024], "application/json"),
        )
        .mount(&server)
        .await;
    let e = FetchService::new(service())
        .send(&client)
        .await
        .expect_err("too big");
    match &e {
        Error::Transport(t) => assert_eq!(t.kind(), TransportKind::Body),
        other => panic!("expected a body error, got {other:?}"),
    }
}

#[tokio::test]
async fn api_key_auth_sends_the_key_as_username() {
    let server = wiremock::MockServer::start().await;
    let key = "SKaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa";
    let client = Client::builder()
        .api_key(ACCOUNT_SID, key, "key-secret")
        .base_url(server.uri())
        .build()
        .expect("client");
    wiremock::Mock::given(wiremock::matchers::basic_auth(key, "key-secret"))
        .and(wiremock::matchers::header_regex(
            "user-agent",
            r"^twilio-verify-rust/\d+\.\d+\.\d+ \(\w+ \w+\) rust$",
        ))
        .respond_with(json(200, "verify/service.json"))
        .expect(1)
        .mount(&server)
        .await;
    FetchService::new(service())
        .send(&client)
        .await
        .expect("authenticated");
}
