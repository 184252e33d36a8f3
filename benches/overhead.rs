//! Request overhead: the crate's `create` and `check` against raw reqwest sending the same form
//! body and decoding into `serde_json::Value`, on one loopback axum server answering fixed,
//! spec-shaped JSON. Plain harness; reports requests/s and p50/p99 at concurrency 1 and 32.
//!
//! `cargo bench --bench overhead --features axum` (`OVERHEAD_SECONDS` sets the time per case).

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use base64::Engine as _;
use twilio_verify::verify::{Channel, CreateVerification, CreateVerificationCheck};
use twilio_verify::{Client, RetryPolicy, ServiceSid};

const SERVICE: &str = "VAaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa";
const VERIFICATION: &str = r#"{"sid": "VEaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", "service_sid": "VAaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", "account_sid": "ACaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", "to": "+15017122661", "channel": "sms", "status": "pending", "valid": false, "date_created": "2015-07-30T20:00:00Z", "date_updated": "2015-07-30T20:00:00Z", "lookup": {}, "amount": null, "payee": null, "send_code_attempts": [{"time": "2015-07-30T20:00:00Z", "channel": "SMS", "attempt_sid": "VLaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"}], "sna": null, "url": "https://verify.twilio.com/v2/Services/VAaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa/Verifications/VEaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"}"#;
const CHECK: &str = r#"{"sid": "VEaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", "service_sid": "VAaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", "account_sid": "ACaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", "to": "+15017122661", "channel": "sms", "status": "approved", "valid": true, "amount": null, "payee": null, "sna_attempts_error_codes": [], "date_created": "2015-07-30T20:00:00Z", "date_updated": "2015-07-30T20:00:00Z"}"#;

async fn server() -> String {
    use axum::http::{StatusCode, header};
    const JSON: [(header::HeaderName, &str); 1] = [(header::CONTENT_TYPE, "application/json")];
    let app = axum::Router::new()
        .route(
            "/v2/Services/{sid}/Verifications",
            axum::routing::post(|| async { (StatusCode::CREATED, JSON, VERIFICATION) }),
        )
        .route(
            "/v2/Services/{sid}/VerificationCheck",
            axum::routing::post(|| async { (StatusCode::OK, JSON, CHECK) }),
        );
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind");
    let url = format!("http://{}", listener.local_addr().expect("addr"));
    tokio::spawn(async move { axum::serve(listener, app).await.expect("serve") });
    url
}

/// Runs `call` from `concurrency` tasks for `budget`; returns (requests/s, p50, p99).
async fn drive<F, Fut>(concurrency: usize, budget: Duration, call: F) -> (f64, Duration, Duration)
where
    F: Fn() -> Fut + Send + Sync + 'static,
    Fut: std::future::Future<Output = bool> + Send,
{
    let call = Arc::new(call);
    // Warm the pool.
    for _ in 0..concurrency.max(8) {
        assert!(call().await, "the request must succeed");
    }
    let stop = Arc::new(AtomicBool::new(false));
    let started = Instant::now();
    let mut tasks = Vec::new();
    for _ in 0..concurrency {
        let (call, stop) = (call.clone(), stop.clone());
        tasks.push(tokio::spawn(async move {
            let mut lat = Vec::new();
            while !stop.load(Ordering::Relaxed) {
                let t = Instant::now();
                assert!(call().await);
                lat.push(t.elapsed());
            }
            lat
        }));
    }
    tokio::time::sleep(budget).await;
    stop.store(true, Ordering::Relaxed);
    let mut all = Vec::new();
    for t in tasks {
        all.extend(t.await.expect("task"));
    }
    let elapsed = started.elapsed().as_secs_f64();
    all.sort_unstable();
    let pct = |p: f64| all[((all.len() as f64 * p) as usize).min(all.len() - 1)];
    (all.len() as f64 / elapsed, pct(0.50), pct(0.99))
}

fn main() {
    let seconds: f64 = std::env::var("OVERHEAD_SECONDS")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(3.0);
    let budget = Duration::from_secs_f64(seconds);
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .expect("runtime");
    rt.block_on(async move {
        let url = server().await;
        let account = "ACaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa";
        let token = "bench-token";
        let client = Client::builder()
            .auth_token(account, token)
            .base_url(&url)
            .retry(RetryPolicy::never())
            .build()
            .expect("client");
        let raw = reqwest::Client::builder().build().expect("reqwest");
        let auth = format!(
            "Basic {}",
            base64::engine::general_purpose::STANDARD.encode(format!("{account}:{token}"))
        );
        let service: ServiceSid = SERVICE.parse().expect("sid");
        println!("request overhead ({seconds} s per case, loopback axum server)");
        for (op, path, form) in [
            ("create", "Verifications", "To=%2B15017122661&Channel=sms"),
            ("check", "VerificationCheck", "Code=123456&To=%2B15017122661"),
        ] {
            for concurrency in [1usize, 32] {
                let c = client.clone();
                let s = service.clone();
                let ours = drive(concurrency, budget, move || {
                    let (c, s) = (c.clone(), s.clone());
                    async move {
                        if op == "create" {
                            CreateVerification::new(&s, "+15017122661", Channel::Sms).send(&c).await.is_ok()
                        } else {
                            CreateVerificationCheck::new(&s, "+15017122661", "123456").send(&c).await.is_ok()
                        }
                    }
                })
                .await;
                let (r, a, u) = (raw.clone(), auth.clone(), format!("{url}/v2/Services/{SERVICE}/{path}"));
                let baseline = drive(concurrency, budget, move || {
                    let (r, a, u) = (r.clone(), a.clone(), u.clone());
                    async move {
                        let resp = r
                            .post(u)
                            .header("authorization", a)
                            .header("content-type", "application/x-www-form-urlencoded")
                            .header("accept", "application/json")
                            .body(form)
                            .send()
                            .await;
                        match resp {
                            Ok(resp) => match resp.bytes().await {
                                Ok(b) => serde_json::from_slice::<serde_json::Value>(&b).is_ok(),
                                Err(_) => false,
                            },
                            Err(_) => false,
                        }
                    }
                })
                .await;
                println!(
                    "  {op:<6} c={concurrency:<2}  twilio-verify {:>8.0} req/s p50 {:>6.0} us p99 {:>6.0} us | raw reqwest {:>8.0} req/s p50 {:>6.0} us p99 {:>6.0} us | ratio {:.3}",
                    ours.0,
                    ours.1.as_secs_f64() * 1e6,
                    ours.2.as_secs_f64() * 1e6,
                    baseline.0,
                    baseline.1.as_secs_f64() * 1e6,
                    baseline.2.as_secs_f64() * 1e6,
                    ours.0 / baseline.0
                );
            }
        }
    });
}
