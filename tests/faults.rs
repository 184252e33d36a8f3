//! The fault matrix: for each way a server can misbehave, the error the caller gets and the exact
//! number of requests the server saw. A POST is never sent twice once it may have reached Twilio.
#![cfg(feature = "client")]

mod common;

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use common::{ACCOUNT_SID, AUTH_TOKEN, SERVICE_SID, json, service};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use twilio_verify::verify::{Channel, CreateVerification, FetchService};
use twilio_verify::{Client, Error, ErrorCode, RetryPolicy, TransportKind};
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

fn client(base: &str) -> Client {
    Client::builder()
        .auth_token(ACCOUNT_SID, AUTH_TOKEN)
        .base_url(base)
        .timeout(Duration::from_millis(300))
        .retry(
            RetryPolicy::new(3)
                .base_delay(Duration::from_millis(5))
                .max_delay(Duration::from_millis(50)),
        )
        .build()
        .expect("client")
}

fn create() -> CreateVerification {
    CreateVerification::new(service(), "+15017122661", Channel::Sms)
}

fn twilio_error(status: u16, code: u32) -> ResponseTemplate {
    ResponseTemplate::new(status).set_body_raw(
        format!(r#"{{"code": {code}, "message": "error {code}", "more_info": "https://www.twilio.com/docs/errors/{code}", "status": {status}}}"#),
        "application/json",
    )
}

/// Mounts `answer` for the create-verification POST and returns what the call gave and how many
/// requests the server saw.
async fn post_against(
    answer: ResponseTemplate,
) -> (
    twilio_verify::Result<twilio_verify::verify::Verification>,
    usize,
) {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path(format!("/v2/Services/{SERVICE_SID}/Verifications")))
        .respond_with(answer)
        .mount(&server)
        .await;
    let result = create().send(&client(&server.uri())).await;
    let seen = server.received_requests().await.map_or(0, |r| r.len());
    (result, seen)
}

/// The same for the fetch-service GET.
async fn get_against(
    answer: ResponseTemplate,
) -> (twilio_verify::Result<twilio_verify::verify::Service>, usize) {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path(format!("/v2/Services/{SERVICE_SID}")))
        .respond_with(answer)
        .mount(&server)
        .await;
    let result = FetchService::new(service())
        .send(&client(&server.uri()))
        .await;
    let seen = server.received_requests().await.map_or(0, |r| r.len());
    (result, seen)
}

fn api_status<T: std::fmt::Debug>(r: &twilio_verify::Result<T>) -> Option<u16> {
    match r {
        Err(Error::Api(a)) => Some(a.status()),
        _ => None,
    }
}

#[tokio::test]
async fn server_errors_a_post_is_sent_once() {
    for status in [500, 502, 503, 504] {
        let (r, seen) = post_against(ResponseTemplate::new(status)).await;
        assert_eq!(api_status(&r), Some(status));
        assert_eq!(seen, 1, "POST {status} must not be resent");
    }
}

#[tokio::test]
async fn server_errors_a_get_retries_502_503_504_only() {
    let (r, seen) = get_against(ResponseTemplate::new(500)).await;
    assert_eq!((api_status(&r), seen), (Some(500), 1));
    for status in [502, 503, 504] {
        let (r, seen) = get_against(ResponseTemplate::new(status)).await;
        assert_eq!(api_status(&r), Some(status));
        assert_eq!(seen, 3, "GET {status}: three attempts");
    }
}

#[tokio::test]
async fn rate_limit_20429_with_retry_after_is_retried_then_succeeds() {
    let server = MockServer::start().await;
    let p = format!("/v2/Services/{SERVICE_SID}/Verifications");
    Mock::given(method("POST"))
        .and(path(p.clone()))
        .respond_with(twilio_error(429, 20429).insert_header("Retry-After", "1"))
        .up_to_n_times(1)
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .and(path(p))
        .respond_with(json(201, "verify/verification_sms.json"))
        .mount(&server)
        .await;
    // The policy's cap is raised so that the one-second Retry-After is waited for.
    let client = Client::builder()
        .auth_token(ACCOUNT_SID, AUTH_TOKEN)
        .base_url(server.uri())
        .retry(
            RetryPolicy::new(3)
                .base_delay(Duration::from_millis(5))
                .max_delay(Duration::from_secs(2)),
        )
        .build()
        .expect("client");
    let started = std::time::Instant::now();
    let v = create()
        .send(&client)
        .await
        .expect("second attempt succeeds");
    assert!(v.is_pending());
    assert!(
        started.elapsed() >= Duration::from_millis(950),
        "Retry-After: 1 was honoured"
    );
    assert_eq!(server.received_requests().await.map_or(0, |r| r.len()), 2);
}

#[tokio::test]
async fn rate_limit_without_code_is_retried_and_a_long_retry_after_is_not_waited_for() {
    let (r, seen) = post_against(ResponseTemplate::new(429)).await;
    assert_eq!((api_status(&r), seen), (Some(429), 3));
    let (r, seen) =
        post_against(twilio_error(429, 20429).insert_header("Retry-After", "3600")).await;
    let api = r
        .as_ref()
        .err()
        .and_then(Error::api_error)
        .expect("api error");
    assert_eq!(api.retry_after(), Some(Duration::from_secs(3600)));
    assert_eq!(seen, 1, "an hour is longer than the policy waits");
}

#[tokio::test]
async fn business_limits_60203_and_60212_are_never_retried() {
    for code in [60203, 60212, 60202] {
        let (r, seen) = post_against(twilio_error(429, code)).await;
        assert_eq!(
            r.as_ref()
                .err()
                .and_then(Error::code)
                .map(ErrorCode::number),
            Some(code)
        );
        assert_eq!(seen, 1, "{code} is surfaced after one request");
    }
}

#[tokio::test]
async fn auth_and_not_found_are_not_retried() {
    let (r, seen) = post_against(twilio_error(401, 20003)).await;
    assert_eq!(
        (r.as_ref().err().and_then(Error::code), seen),
        (Some(ErrorCode::AuthenticationFailed), 1)
    );
    let (r, seen) = get_against(twilio_error(404, 20404)).await;
    assert_eq!(
        (r.as_ref().err().and_then(Error::code), seen),
        (Some(ErrorCode::NotFound), 1)
    );
}

#[tokio::test]
async fn a_slow_answer_times_out_a_post_once_and_a_get_three_times() {
    let slow = json(201, "verify/verification_sms.json").set_delay(Duration::from_secs(2));
    let (r, seen) = post_against(slow.clone()).await;
    assert!(matches!(r, Err(Error::Timeout(_))), "{r:?}");
    assert_eq!(
        seen, 1,
        "a timed-out POST may have reached Twilio: never resent"
    );
    let (r, seen) = get_against(slow).await;
    assert!(matches!(r, Err(Error::Timeout(_))), "{r:?}");
    assert_eq!(seen, 3);
}

#[tokio::test]
async fn malformed_json_html_empty_and_rfc9457_bodies() {
    let (r, seen) =
        post_against(ResponseTemplate::new(201).set_body_raw("{\"sid\": ", "application/json"))
            .await;
    assert!(matches!(r, Err(Error::Decode(_))), "{r:?}");
    assert_eq!(seen, 1);
    let (r, seen) =
        post_against(ResponseTemplate::new(201).set_body_raw("not json", "text/plain")).await;
    assert!(matches!(r, Err(Error::Decode(_))), "{r:?}");
    assert_eq!(seen, 1);
    let (r, seen) =
        post_against(ResponseTemplate::new(500).set_body_raw("<html>oops</html>", "text/html"))
            .await;
    assert_eq!(
        (api_status(&r), r.as_ref().err().and_then(Error::code), seen),
        (Some(500), None, 1)
    );
    let (r, seen) = post_against(ResponseTemplate::new(201)).await;
    assert!(
        matches!(r, Err(Error::Decode(_))),
        "an empty 201 body: {r:?}"
    );
    assert_eq!(seen, 1);
    let (r, seen) = post_against(ResponseTemplate::new(400).set_body_raw(
        r#"{"type": "https://www.twilio.com/docs/errors/60200", "title": "Invalid parameter", "status": 400, "code": 60200, "detail": "Invalid parameter: To"}"#,
        "application/problem+json",
    ))
    .await;
    assert_eq!(
        (r.as_ref().err().and_then(Error::code), seen),
        (Some(ErrorCode::InvalidParameter), 1)
    );
}

/// A raw TCP server: counts requests (after reading each one whole) and then misbehaves.
#[derive(Clone, Copy)]
enum Misbehave {
    /// Close the connection without answering.
    Reset,
    /// Announce 500 bytes, send 40, close.
    Truncate,
    /// Stream 50 MiB with chunked encoding (no `Content-Length`).
    Huge,
    /// Send the head and the first bytes of the body, then nothing for ten seconds.
    Stall,
}

async fn raw_server(how: Misbehave) -> (String, Arc<AtomicUsize>) {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind");
    let addr = listener.local_addr().expect("addr");
    let seen = Arc::new(AtomicUsize::new(0));
    let count = seen.clone();
    tokio::spawn(async move {
        loop {
            let Ok((mut sock, _)) = listener.accept().await else {
                return;
            };
            let count = count.clone();
            tokio::spawn(async move {
                let mut buf = Vec::new();
                let mut chunk = [0u8; 4096];
                // Read the head, then the body by Content-Length.
                let body_start = loop {
                    let Ok(n) = sock.read(&mut chunk).await else {
                        return;
                    };
                    if n == 0 {
                        return;
                    }
                    buf.extend_from_slice(&chunk[..n]);
                    if let Some(i) = buf.windows(4).position(|w| w == b"\r\n\r\n") {
                        break i + 4;
                    }
                };
                let head = String::from_utf8_lossy(&buf[..body_start]).to_ascii_lowercase();
                let length: usize = head
                    .lines()
                    .find_map(|l| {
                        l.strip_prefix("content-length:")
                            .map(|v| v.trim().parse().unwrap_or(0))
                    })
                    .unwrap_or(0);
                while buf.len() < body_start + length {
                    let Ok(n) = sock.read(&mut chunk).await else {
                        return;
                    };
                    if n == 0 {
                        return;
                    }
                    buf.extend_from_slice(&chunk[..n]);
                }
                count.fetch_add(1, Ordering::SeqCst);
                match how {
                    Misbehave::Reset => drop(sock),
                    Misbehave::Truncate => {
                        let _ = sock
                            .write_all(b"HTTP/1.1 201 Created\r\nContent-Type: application/json\r\nContent-Length: 500\r\n\r\n{\"sid\": \"VEaaaaaaaaaaaaaaaaaaaaaaaaaa")
                            .await;
                        drop(sock);
                    }
                    Misbehave::Stall => {
                        let _ = sock
                            .write_all(b"HTTP/1.1 201 Created\r\nContent-Type: application/json\r\nContent-Length: 500\r\n\r\n{\"sid\": ")
                            .await;
                        tokio::time::sleep(Duration::from_secs(10)).await;
                    }
                    Misbehave::Huge => {
                        let _ = sock
                            .write_all(b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n")
                            .await;
                        let block = vec![b' '; 64 * 1024];
                        let header = format!("{:x}\r\n", block.len());
                        for _ in 0..800 {
                            if sock.write_all(header.as_bytes()).await.is_err()
                                || sock.write_all(&block).await.is_err()
                                || sock.write_all(b"\r\n").await.is_err()
                            {
                                return;
                            }
                        }
                        let _ = sock.write_all(b"0\r\n\r\n").await;
                    }
                }
            });
        }
    });
    (format!("http://{addr}"), seen)
}

#[tokio::test]
async fn a_connection_reset_after_the_request_was_read_is_not_retried_for_a_post() {
    let (url, seen) = raw_server(Misbehave::Reset).await;
    let r = create().send(&client(&url)).await;
    assert!(
        matches!(&r, Err(Error::Transport(t)) if t.kind() != TransportKind::Connect),
        "{r:?}"
    );
    assert_eq!(
        seen.load(Ordering::SeqCst),
        1,
        "the POST reached the server once and only once"
    );
}

#[tokio::test]
async fn a_truncated_body_is_a_transport_error() {
    let (url, seen) = raw_server(Misbehave::Truncate).await;
    let r = create().send(&client(&url)).await;
    assert!(
        matches!(&r, Err(Error::Transport(t)) if t.kind() == TransportKind::Body),
        "{r:?}"
    );
    assert_eq!(seen.load(Ordering::SeqCst), 1);
}

#[tokio::test]
async fn an_answer_that_stalls_mid_body_times_out_and_is_not_resent() {
    // The timeout covers the whole answer, not only its head.
    let (url, seen) = raw_server(Misbehave::Stall).await;
    let started = std::time::Instant::now();
    let r = create().send(&client(&url)).await;
    assert!(matches!(&r, Err(Error::Timeout(_))), "{r:?}");
    assert!(
        started.elapsed() < Duration::from_secs(5),
        "gave up after {:?}, not at the 300 ms timeout",
        started.elapsed()
    );
    assert_eq!(seen.load(Ordering::SeqCst), 1, "a POST is never resent");
}

#[tokio::test]
async fn a_50_mib_streamed_body_is_capped() {
    let (url, seen) = raw_server(Misbehave::Huge).await;
    let client = Client::builder()
        .auth_token(ACCOUNT_SID, AUTH_TOKEN)
        .base_url(url)
        .timeout(Duration::from_secs(20))
        .build()
        .expect("client");
    let r = FetchService::new(service()).send(&client).await;
    assert!(
        matches!(&r, Err(Error::Transport(t)) if t.kind() == TransportKind::Body),
        "{r:?}"
    );
    assert_eq!(
        seen.load(Ordering::SeqCst),
        1,
        "a capped body is not retried"
    );
}

/// That a connect failure is retried is proven where the decision is made (`http.rs`, unit
/// test `only_what_twilio_did_not_process_is_retried`); a refused port gives no request to count.
#[tokio::test]
async fn a_refused_connection_is_a_connect_error_within_the_policys_bound() {
    let port = {
        let l = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
        l.local_addr().expect("addr").port()
    };
    let started = std::time::Instant::now();
    let r = create()
        .send(&client(&format!("http://127.0.0.1:{port}")))
        .await;
    assert!(
        matches!(&r, Err(Error::Transport(t)) if t.is_connect()),
        "{r:?}"
    );
    assert!(
        started.elapsed() < Duration::from_secs(2),
        "bounded by the policy"
    );
}
