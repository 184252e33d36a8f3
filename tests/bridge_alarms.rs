//! Errors that need an operator (a refused credential) are logged at error level once a
//! minute, not once per event; every request is one `tracing` event. Alone in its test binary,
//! so that no other test registers the bridge's log call sites before this subscriber is set.
#![cfg(feature = "axum")]

mod common;
#[path = "common/bridge.rs"]
mod harness;

use std::sync::{Arc, Mutex};

use harness::*;
use wiremock::matchers::method;
use wiremock::{Mock, MockServer, ResponseTemplate};

/// Collects what the `tracing` subscriber writes.
#[derive(Clone, Default)]
struct Captured(Arc<Mutex<Vec<u8>>>);

impl std::io::Write for Captured {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.lock().expect("buffer").extend_from_slice(buf);
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

#[tokio::test]
async fn a_refused_credential_is_logged_at_error_once_not_per_event() {
    let captured = Captured::default();
    let writer = captured.clone();
    let subscriber = tracing_subscriber::fmt()
        .with_writer(move || writer.clone())
        .with_ansi(false)
        .with_max_level(tracing::Level::INFO)
        .finish();
    let _guard = tracing::subscriber::set_default(subscriber);

    let twilio = MockServer::start().await;
    Mock::given(method("POST"))
        .respond_with(ResponseTemplate::new(401).set_body_raw(
            r#"{"code": 20003, "message": "Authenticate", "status": 401}"#,
            "application/json",
        ))
        .mount(&twilio)
        .await;
    let bridge = serve(&twilio.uri(), config(|_| {}), None).await;
    let phone = "+14155552671";
    for i in 0..5 {
        let (s, _) = bridge
            .action(send_event(
                phone,
                &format!("11111{i}"),
                "second-factor-authentication",
                "auth0|u",
            ))
            .await;
        assert_eq!(s, 502);
        let (s, _) = bridge.stream(success(&format!("R{i}"), phone)).await;
        assert_eq!(s, 503);
    }
    let text = String::from_utf8(captured.0.lock().expect("buffer").clone()).expect("utf-8");
    let errors: Vec<_> = text.lines().filter(|l| l.contains("ERROR")).collect();
    assert_eq!(errors.len(), 1, "{text}");
    assert!(errors[0].contains("twilio_credentials"), "{}", errors[0]);
    let requests = text.lines().filter(|l| l.contains("route=")).count();
    assert_eq!(requests, 10, "one event per request: {text}");
    assert!(!text.contains("5552671"), "{text}");

    // A Service without custom codes is its own alarm, once; a Fraud Guard block (403 60410)
    // is routine and raises none.
    captured.0.lock().expect("buffer").clear();
    for (code, status) in [(60204, 403), (60410, 403)] {
        let twilio = MockServer::start().await;
        Mock::given(method("POST"))
            .respond_with(ResponseTemplate::new(status).set_body_raw(
                format!(r#"{{"code": {code}, "message": "refused", "status": {status}}}"#),
                "application/json",
            ))
            .mount(&twilio)
            .await;
        let bridge = serve(&twilio.uri(), config(|_| {}), None).await;
        for i in 0..3 {
            let (s, _) = bridge
                .action(send_event(
                    phone,
                    &format!("22222{i}"),
                    "second-factor-authentication",
                    "auth0|u",
                ))
                .await;
            assert!(s == 502 || s == 403, "{s}");
        }
    }
    let text = String::from_utf8(captured.0.lock().expect("buffer").clone()).expect("utf-8");
    let errors: Vec<_> = text.lines().filter(|l| l.contains("ERROR")).collect();
    assert_eq!(errors.len(), 1, "{text}");
    assert!(errors[0].contains("custom_codes"), "{}", errors[0]);
}
