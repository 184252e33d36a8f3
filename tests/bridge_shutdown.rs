//! Graceful shutdown of the `auth0_bridge` example: SIGTERM while an approval is in flight lets it
//! finish and answer, then the server exits 0. Runs the built example (`cargo test
//! --all-features` builds it first).
#![cfg(all(feature = "axum", unix))]

mod common;

use std::path::PathBuf;
use std::time::{Duration, Instant};

use common::{ACCOUNT_SID, AUTH_TOKEN, SERVICE_SID, fixture};
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

fn binary() -> PathBuf {
    let exe = std::env::current_exe().expect("test binary path");
    let dir = exe.parent().and_then(|d| d.parent()).expect("target dir");
    let bin = dir.join("examples").join("auth0_bridge");
    assert!(
        bin.exists(),
        "{} is missing: run `cargo test --all-features` or `cargo build --example auth0_bridge --features axum`",
        bin.display()
    );
    bin
}

#[tokio::test]
async fn sigterm_finishes_the_approval_in_flight() {
    let twilio = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path(format!(
            "/v2/Services/{SERVICE_SID}/Verifications/+14155550134"
        )))
        .respond_with(
            ResponseTemplate::new(200)
                .set_body_raw(
                    fixture("verify/verification_approved.json"),
                    "application/json",
                )
                .set_delay(Duration::from_millis(1500)),
        )
        .expect(1)
        .mount(&twilio)
        .await;

    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .expect("free port")
        .port();
    let mut child = tokio::process::Command::new(binary())
        .env_clear()
        .env("BRIDGE_ADDR", format!("127.0.0.1:{port}"))
        .env("TWILIO_ACCOUNT_SID", ACCOUNT_SID)
        .env("TWILIO_AUTH_TOKEN", AUTH_TOKEN)
        .env("TWILIO_VERIFY_SERVICE_SID", SERVICE_SID)
        .env("TWILIO_VERIFY_BASE_URL", twilio.uri())
        .env("AUTH0_LOG_STREAM_TOKEN", "Bearer stream")
        .env("BRIDGE_ACTION_SECRET", "action")
        .kill_on_drop(true)
        .spawn()
        .expect("bridge starts");
    let base = format!("http://127.0.0.1:{port}");
    let http = reqwest::Client::new();
    let started = Instant::now();
    while http.get(format!("{base}/healthz")).send().await.is_err() {
        assert!(
            started.elapsed() < Duration::from_secs(10),
            "the bridge never listened"
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }

    let record = r#"{"log_id": "sd1", "data": {"type": "gd_auth_succeed", "details": {"authenticator": {"type": "sms", "phone_number": "+14155550134"}}}}"#;
    let post = tokio::spawn({
        let http = http.clone();
        let url = format!("{base}/auth0/log-stream");
        async move {
            let resp = http
                .post(url)
                .header("authorization", "Bearer stream")
                .body(record)
                .send()
                .await
                .expect("answered");
            let status = resp.status().as_u16();
            (status, resp.text().await.unwrap_or_default())
        }
    });
    // Let the request reach the slow approval, then ask the bridge to stop.
    tokio::time::sleep(Duration::from_millis(500)).await;
    let pid = child.id().expect("pid").to_string();
    let killed = std::process::Command::new("kill")
        .args(["-TERM", &pid])
        .status()
        .expect("kill");
    assert!(killed.success());

    let (status, body) = post.await.expect("request task");
    assert_eq!(status, 200, "{body}");
    assert!(body.contains("\"approved\":1"), "{body}");
    let exit = tokio::time::timeout(Duration::from_secs(10), child.wait())
        .await
        .expect("exits after the request")
        .expect("status");
    assert!(exit.success(), "{exit:?}");
    // A new connection is refused once it has stopped.
    assert!(http.get(format!("{base}/healthz")).send().await.is_err());
}
