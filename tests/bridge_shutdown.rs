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

/// The bridge binary started on a free port with `extra` settings, its stderr collected.
struct Server {
    child: tokio::process::Child,
    port: u16,
    lines: std::sync::Arc<std::sync::Mutex<Vec<String>>>,
}

async fn server(twilio: &MockServer, extra: &[(&str, &str)]) -> Server {
    use tokio::io::AsyncBufReadExt as _;
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .expect("free port")
        .port();
    let mut cmd = tokio::process::Command::new(binary());
    cmd.env_clear()
        .env("BRIDGE_ADDR", format!("127.0.0.1:{port}"))
        .env("TWILIO_ACCOUNT_SID", ACCOUNT_SID)
        .env("TWILIO_AUTH_TOKEN", AUTH_TOKEN)
        .env("TWILIO_VERIFY_SERVICE_SID", SERVICE_SID)
        .env("TWILIO_VERIFY_BASE_URL", twilio.uri())
        .env("AUTH0_LOG_STREAM_TOKEN", "Bearer stream")
        .env("BRIDGE_ACTION_SECRET", "action")
        .stderr(std::process::Stdio::piped())
        .kill_on_drop(true);
    for (k, v) in extra {
        cmd.env(k, v);
    }
    let mut child = cmd.spawn().expect("bridge starts");
    let lines = std::sync::Arc::new(std::sync::Mutex::new(Vec::new()));
    let sink = lines.clone();
    let stderr = child.stderr.take().expect("stderr");
    tokio::spawn(async move {
        let mut reader = tokio::io::BufReader::new(stderr).lines();
        while let Ok(Some(line)) = reader.next_line().await {
            sink.lock().expect("lines").push(line);
        }
    });
    Server { child, port, lines }
}

impl Server {
    fn lines(&self) -> Vec<String> {
        self.lines.lock().expect("lines").clone()
    }

    async fn wait_listening(&self, http: &reqwest::Client, scheme: &str) {
        let started = Instant::now();
        let url = format!("{scheme}://localhost:{}/healthz", self.port);
        while http.get(&url).send().await.is_err() {
            assert!(
                started.elapsed() < Duration::from_secs(10),
                "the bridge never listened: {:?}",
                self.lines()
            );
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }

    fn terminate(&self) {
        let pid = self.child.id().expect("pid").to_string();
        let killed = std::process::Command::new("kill")
            .args(["-TERM", &pid])
            .status()
            .expect("kill");
        assert!(killed.success());
    }
}

#[tokio::test]
async fn sigterm_gives_up_on_a_request_past_the_grace_bound() {
    let twilio = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path(format!(
            "/v2/Services/{SERVICE_SID}/Verifications/+14155550134"
        )))
        .respond_with(ResponseTemplate::new(200).set_delay(Duration::from_secs(30)))
        .mount(&twilio)
        .await;
    let mut bridge = server(&twilio, &[("BRIDGE_SHUTDOWN_GRACE_SECS", "1")]).await;
    let http = reqwest::Client::new();
    bridge.wait_listening(&http, "http").await;
    let record = r#"{"log_id": "sd2", "data": {"type": "gd_auth_succeed", "details": {"authenticator": {"type": "sms", "phone_number": "+14155550134"}}}}"#;
    let url = format!("http://localhost:{}/auth0/log-stream", bridge.port);
    let post = tokio::spawn({
        let http = http.clone();
        async move {
            http.post(url)
                .header("authorization", "Bearer stream")
                .body(record)
                .send()
                .await
        }
    });
    tokio::time::sleep(Duration::from_millis(300)).await;
    let asked = Instant::now();
    bridge.terminate();
    let exit = tokio::time::timeout(Duration::from_secs(10), bridge.child.wait())
        .await
        .expect("exits within the bound")
        .expect("status");
    let took = asked.elapsed();
    assert!(exit.success(), "{exit:?}");
    assert!(
        took < Duration::from_secs(4),
        "took {took:?} with a 1 s grace"
    );
    assert!(
        post.await.expect("task").is_err(),
        "the stuck request was cut"
    );
}

/// A self-signed certificate for `localhost`, written to two PEM files.
fn certificate(dir: &std::path::Path) -> (PathBuf, PathBuf, String) {
    let key = rcgen::generate_simple_self_signed(vec!["localhost".to_owned()]).expect("cert");
    let (cert_path, key_path) = (dir.join("cert.pem"), dir.join("key.pem"));
    let pem = key.cert.pem();
    std::fs::write(&cert_path, &pem).expect("cert file");
    std::fs::write(&key_path, key.signing_key.serialize_pem()).expect("key file");
    (cert_path, key_path, pem)
}

#[tokio::test]
async fn https_with_a_certificate_made_in_the_test() {
    let dir = std::env::temp_dir().join(format!("tv-bridge-tls-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("dir");
    let (cert, key, pem) = certificate(&dir);
    let twilio = MockServer::start().await;
    let bridge = server(
        &twilio,
        &[
            ("BRIDGE_TLS_CERT", cert.to_str().expect("path")),
            ("BRIDGE_TLS_KEY", key.to_str().expect("path")),
        ],
    )
    .await;
    let https = reqwest::Client::builder()
        .add_root_certificate(reqwest::Certificate::from_pem(pem.as_bytes()).expect("pem"))
        .build()
        .expect("client");
    bridge.wait_listening(&https, "https").await;
    let resp = https
        .get(format!("https://localhost:{}/healthz", bridge.port))
        .send()
        .await
        .expect("https");
    assert_eq!(resp.status().as_u16(), 200);
    assert_eq!(resp.text().await.expect("body"), "ok");
    // An Auth0 route over HTTPS.
    let resp = https
        .post(format!(
            "https://localhost:{}/auth0/log-stream",
            bridge.port
        ))
        .header("authorization", "Bearer stream")
        .body(r#"{"log_id": "s1", "data": {"type": "s"}}"#)
        .send()
        .await
        .expect("https post");
    assert_eq!(resp.status().as_u16(), 200);
    // Plain HTTP on the TLS port gets no HTTP answer at all.
    let plain = reqwest::Client::new()
        .get(format!("http://localhost:{}/healthz", bridge.port))
        .send()
        .await;
    assert!(plain.is_err(), "{plain:?}");
    let start = bridge.lines().join("\n");
    assert!(start.contains("https"), "{start}");
    let _ = std::fs::remove_dir_all(&dir);
}

#[tokio::test]
async fn json_logs_parse_line_by_line_and_an_unknown_setting_is_reported() {
    let twilio = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path(format!(
            "/v2/Services/{SERVICE_SID}/Verifications/+14155550134"
        )))
        .respond_with(ResponseTemplate::new(200).set_body_raw(
            fixture("verify/verification_approved.json"),
            "application/json",
        ))
        .mount(&twilio)
        .await;
    let mut bridge = server(
        &twilio,
        &[("BRIDGE_LOG_FORMAT", "json"), ("BRIDGE_CLAIM_TTL", "30")],
    )
    .await;
    let http = reqwest::Client::new();
    bridge.wait_listening(&http, "http").await;
    let record = r#"{"log_id": "j1", "data": {"type": "gd_auth_succeed", "details": {"authenticator": {"type": "sms", "phone_number": "+14155550134"}}}}"#;
    let resp = http
        .post(format!("http://localhost:{}/auth0/log-stream", bridge.port))
        .header("authorization", "Bearer stream")
        .body(record)
        .send()
        .await
        .expect("answer");
    assert_eq!(resp.status().as_u16(), 200);
    bridge.terminate();
    let _ = tokio::time::timeout(Duration::from_secs(10), bridge.child.wait()).await;
    let lines = bridge.lines();
    let events: Vec<serde_json::Value> = lines
        .iter()
        .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("not JSON ({e}): {l}")))
        .collect();
    let unknown = events
        .iter()
        .find(|e| e["variable"] == "BRIDGE_CLAIM_TTL")
        .expect("the typo is reported");
    assert_eq!(unknown["level"], "WARN");
    let start = events
        .iter()
        .find(|e| e["message"] == "listening")
        .expect("start line");
    assert_eq!(start["store"], "memory");
    assert_eq!(start["guard"], "guard off");
    let request = events
        .iter()
        .find(|e| e["route"] == "/auth0/log-stream")
        .expect("request event");
    assert_eq!(request["status"], 200);
    assert!(request["duration_ms"].is_number());
    assert!(
        request["detail"]
            .as_str()
            .is_some_and(|d| d.contains("by_phone=1"))
    );
    let all = lines.join("\n");
    for leak in ["5550134", "Bearer stream", AUTH_TOKEN] {
        assert!(!all.contains(leak), "{leak} in the logs");
    }
}

#[test]
fn help_lists_every_setting_and_hides_secret_values() {
    let out = std::process::Command::new(binary())
        .arg("--help")
        .env("BRIDGE_ACTION_SECRET", "very-secret-value")
        .output()
        .expect("help");
    let text = String::from_utf8_lossy(&out.stdout);
    let twilio = [
        "TWILIO_ACCOUNT_SID",
        "TWILIO_AUTH_TOKEN",
        "TWILIO_API_KEY",
        "TWILIO_API_SECRET",
        "TWILIO_REGION",
        "TWILIO_EDGE",
        "TWILIO_VERIFY_BASE_URL",
    ];
    for name in twilio_verify::bridge::KNOWN_VARIABLES.iter().chain(&twilio) {
        assert!(text.contains(name), "{name} missing from --help");
    }
    // Secrets are not flags.
    assert!(!text.contains("--bridge-action-secret"), "{text}");
    assert!(!text.contains("very-secret-value"), "{text}");
}
