//! The bridge end to end: Custom Webhook posts of 100 realistic records (5% MFA successes, every
//! `log_id` new) against the bridge, with a mock Twilio answering the approvals, all on loopback
//! in this process. Reports batches/s, p50/p99 per post, and memory: RSS after 10,000 records and
//! after 100,000 (flat if the bridge holds nothing per record beyond its bounded de-duplication
//! window), and the process's peak RSS.
//!
//! `cargo bench --bench bridge --features axum` (`BRIDGE_RECORDS` sets the total, default
//! 100,000; the first RSS reading is taken at a tenth of it).

#[path = "support/records.rs"]
mod records;
#[path = "support/report.rs"]
mod report;

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use twilio_verify::auth0::LogStreamToken;
use twilio_verify::bridge::{Bridge, BridgeConfig};
use twilio_verify::{Client, RetryPolicy};

const PER_POST: usize = 100;
const CONCURRENCY: usize = 8;
const APPROVED: &str = r#"{"sid": "VEaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", "service_sid": "VAaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", "account_sid": "ACaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", "to": "+15017122661", "channel": "sms", "status": "approved", "valid": true, "date_created": "2015-07-30T20:00:00Z", "date_updated": "2015-07-30T20:00:00Z", "url": "https://verify.twilio.com/v2/Services/VAaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa/Verifications/VEaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"}"#;

/// `VmRSS` and `VmHWM` (peak) of this process, in KiB.
fn memory_kib() -> (u64, u64) {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    let field = |name: &str| {
        status
            .lines()
            .find(|l| l.starts_with(name))
            .and_then(|l| l.split_whitespace().nth(1)?.parse().ok())
            .unwrap_or(0)
    };
    (field("VmRSS:"), field("VmHWM:"))
}

/// A mock Twilio that counts approvals and keeps nothing else.
async fn twilio(approvals: Arc<AtomicUsize>) -> String {
    let app = axum::Router::new().fallback(move || {
        let approvals = approvals.clone();
        async move {
            approvals.fetch_add(1, Ordering::Relaxed);
            (
                [(axum::http::header::CONTENT_TYPE, "application/json")],
                APPROVED,
            )
        }
    });
    serve(app).await
}

async fn serve(app: axum::Router) -> String {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind");
    let url = format!("http://{}", listener.local_addr().expect("addr"));
    tokio::spawn(async move { axum::serve(listener, app).await.expect("serve") });
    url
}

/// Post `n`'s body: records `n * 100 ..`, as JSON Lines.
fn post_body(n: usize) -> String {
    let mut lines = Vec::with_capacity(PER_POST);
    for i in n * PER_POST..(n + 1) * PER_POST {
        lines.push(records::record(i));
    }
    lines.join("\n")
}

/// Sends posts `from..to` from `CONCURRENCY` tasks; returns every post's latency.
async fn phase(http: &reqwest::Client, url: &str, from: usize, to: usize) -> Vec<Duration> {
    let next = Arc::new(AtomicUsize::new(from));
    let mut tasks = Vec::new();
    for _ in 0..CONCURRENCY {
        let (http, url, next) = (http.clone(), url.to_owned(), next.clone());
        tasks.push(tokio::spawn(async move {
            let mut lat = Vec::new();
            loop {
                let n = next.fetch_add(1, Ordering::Relaxed);
                if n >= to {
                    break lat;
                }
                let body = post_body(n);
                let t = Instant::now();
                let resp = http
                    .post(format!("{url}/auth0/log-stream"))
                    .header("authorization", "Bearer bench")
                    .body(body)
                    .send()
                    .await
                    .expect("answered");
                assert_eq!(resp.status().as_u16(), 200, "the bridge takes the batch");
                resp.bytes().await.expect("summary");
                lat.push(t.elapsed());
            }
        }));
    }
    let mut all = Vec::new();
    for t in tasks {
        all.extend(t.await.expect("task"));
    }
    all
}

fn main() {
    let total: usize = std::env::var("BRIDGE_RECORDS")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(100_000);
    let posts = total / PER_POST;
    let first = (posts / 10).max(1);
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .expect("runtime");
    rt.block_on(async move {
        let approvals = Arc::new(AtomicUsize::new(0));
        let twilio = twilio(approvals.clone()).await;
        let client = Client::builder()
            .auth_token("ACaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", "bench-token")
            .base_url(twilio)
            .retry(RetryPolicy::never())
            .build()
            .expect("client");
        let config = BridgeConfig::new(
            "VAaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa".parse().expect("sid"),
            LogStreamToken::new("Bearer bench"),
            "action-secret",
        );
        let url = serve(Bridge::new(client, config).with_logger(|_| {}).router()).await;
        let http = reqwest::Client::new();

        let started = Instant::now();
        let mut lat = phase(&http, &url, 0, first).await;
        let (rss_first, _) = memory_kib();
        lat.extend(phase(&http, &url, first, posts).await);
        let elapsed = started.elapsed().as_secs_f64();
        let (rss_last, peak) = memory_kib();
        lat.sort_unstable();
        let pct = |p: f64| lat[((lat.len() as f64 * p) as usize).min(lat.len() - 1)];
        // Approvals run on their own task after the answer: wait for the last ones.
        let expected = (0..posts * PER_POST).filter(|i| records::is_success(*i)).count();
        for _ in 0..200 {
            if approvals.load(Ordering::Relaxed) >= expected {
                break;
            }
            tokio::time::sleep(Duration::from_millis(10)).await;
        }
        let approved = approvals.load(Ordering::Relaxed);
        assert_eq!(approved, expected, "every MFA success approved once");
        let (rps, p50, p99) = (
            posts as f64 / elapsed,
            pct(0.50).as_secs_f64() * 1e3,
            pct(0.99).as_secs_f64() * 1e3,
        );
        println!(
            "bridge end to end: {posts} posts of {PER_POST} records at concurrency {CONCURRENCY}"
        );
        println!(
            "  {rps:.0} batches/s ({:.0} records/s), p50 {p50:.2} ms, p99 {p99:.2} ms, {approved} approvals",
            rps * PER_POST as f64
        );
        println!(
            "  RSS after {} records {rss_first} KiB, after {} records {rss_last} KiB (x{:.2}); peak {peak} KiB",
            first * PER_POST,
            posts * PER_POST,
            rss_last as f64 / rss_first as f64
        );
        report::emit(serde_json::json!({
            "bench": "bridge",
            "posts": posts,
            "records": posts * PER_POST,
            "concurrency": CONCURRENCY,
            "batches_per_s": rps,
            "p50_ms": p50,
            "p99_ms": p99,
            "approvals": approved,
            "rss_first_kib": rss_first,
            "rss_first_records": first * PER_POST,
            "rss_last_kib": rss_last,
            "peak_kib": peak,
        }));
    });
}
