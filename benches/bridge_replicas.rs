//! The feedback half at scale: two bridge replicas sharing one Redis, Auth0's log stream posting
//! to either, with redeliveries mixed in (every tenth batch to both replicas at once, every
//! tenth again to the other replica after the first answered). A mock Verify counts the
//! approvals of each number: a number approved twice is a duplicate, a success never approved
//! a loss; both must be 0.
//!
//! Two runs: approvals (batches of 100 MFA successes, each a new number) for approvals/s, and
//! records (batches of 100 realistic records, one MFA success in 20) for records/s.
//!
//! `cargo bench --bench bridge_replicas --features axum,redis` (`REPLICA_BATCHES` sets the
//! batches per run, default 300; `REPLICA_RUNS=records` runs only the named run, e.g. under a
//! profiler). Needs `redis-server`; without it, it says so and stops.

#[path = "support/records.rs"]
mod records;
#[path = "support/redis.rs"]
mod redis;
#[path = "support/report.rs"]
mod report;

use std::collections::HashMap;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, PoisonError};
use std::time::Instant;

use twilio_verify::bridge::{Bridge, BridgeConfig};
use twilio_verify::{Client, RetryPolicy};

const PER_POST: usize = 100;
const CONCURRENCY: usize = 8;
const APPROVED: &str = r#"{"sid": "VEaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", "service_sid": "VAaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", "account_sid": "ACaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", "to": "+15017122661", "channel": "sms", "status": "approved", "valid": true, "date_created": "2015-07-30T20:00:00Z", "date_updated": "2015-07-30T20:00:00Z", "url": null}"#;

type Counts = Arc<Mutex<HashMap<String, u32>>>;

async fn serve(app: axum::Router) -> String {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind");
    let url = format!("http://{}", listener.local_addr().expect("addr"));
    tokio::spawn(async move { axum::serve(listener, app).await.expect("serve") });
    url
}

/// A mock Verify that counts the approvals of each number (the last path segment).
async fn twilio(counts: Counts) -> String {
    let app = axum::Router::new().fallback(move |uri: axum::http::Uri| {
        let counts = counts.clone();
        async move {
            let target = uri.path().rsplit('/').next().unwrap_or_default().to_owned();
            *counts
                .lock()
                .unwrap_or_else(PoisonError::into_inner)
                .entry(target)
                .or_default() += 1;
            (
                [(axum::http::header::CONTENT_TYPE, "application/json")],
                APPROVED,
            )
        }
    });
    serve(app).await
}

/// An MFA success proving a code sent to a number of its own, `n`.
fn success(n: usize) -> String {
    let id = format!("900202401151030{n:011}0000000000000001223372036854775800");
    format!(
        r#"{{"log_id": "{id}", "data": {{"log_id": "{id}", "date": "{}", "type": "gd_auth_succeed", "description": "Guardian - Second factor authentication succeed (sms)", "user_id": "auth0|bench", "details": {{"authenticator": {{"type": "sms", "phone_number": "+1415{:07}"}}}}}}}}"#,
        twilio_verify::Timestamp::now().to_rfc3339(),
        n
    )
}

/// Batch `b` of a run: all successes, or one success in 20 among realistic records.
fn batch(b: usize, all_successes: bool, offset: usize) -> (String, Vec<String>) {
    let mut lines = Vec::with_capacity(PER_POST);
    let mut numbers = Vec::new();
    for i in 0..PER_POST {
        let n = offset + b * PER_POST + i;
        if all_successes || i % 20 == 0 {
            lines.push(success(n));
            numbers.push(format!("+1415{n:07}"));
        } else {
            // A filler that is never a success (index not a multiple of 20).
            lines.push(records::record(n * 20 + 1 + i % 19));
        }
    }
    (lines.join("\n"), numbers)
}

async fn post(http: &reqwest::Client, url: &str, body: &bytes::Bytes) {
    let resp = http
        .post(format!("{url}/auth0/log-stream"))
        .header("authorization", "Bearer bench")
        // Shared, not copied: the load generator should cost the machine as little as it can.
        .body(body.clone())
        .send()
        .await
        .expect("answered");
    assert_eq!(resp.status().as_u16(), 200, "the bridge settles the batch");
    resp.bytes().await.expect("summary");
}

struct Outcome {
    seconds: f64,
    records: usize,
    targets: usize,
    redeliveries: usize,
}

/// Posts `batches` batches from `CONCURRENCY` tasks to the two replicas, with redeliveries.
async fn run(replicas: [String; 2], batches: usize, all_successes: bool, offset: usize) -> Outcome {
    let http = reqwest::Client::new();
    let next = Arc::new(AtomicUsize::new(0));
    let redeliveries = Arc::new(AtomicUsize::new(0));
    // Built before the clock starts: the senders only send.
    let bodies: Arc<Vec<(bytes::Bytes, usize)>> = Arc::new(
        (0..batches)
            .map(|b| {
                let (body, numbers) = batch(b, all_successes, offset);
                (bytes::Bytes::from(body), numbers.len())
            })
            .collect(),
    );
    let started = Instant::now();
    let mut tasks = Vec::new();
    for _ in 0..CONCURRENCY {
        let (http, next, replicas, redeliveries, bodies) = (
            http.clone(),
            next.clone(),
            replicas.clone(),
            redeliveries.clone(),
            bodies.clone(),
        );
        tasks.push(tokio::spawn(async move {
            let mut targets = 0;
            loop {
                let b = next.fetch_add(1, Ordering::Relaxed);
                if b >= batches {
                    break targets;
                }
                let (body, n) = &bodies[b];
                targets += n;
                let (first, other) = (&replicas[b % 2], &replicas[(b + 1) % 2]);
                match b % 10 {
                    // Delivered to both replicas at once.
                    0 => {
                        tokio::join!(post(&http, first, body), post(&http, other, body));
                        redeliveries.fetch_add(1, Ordering::Relaxed);
                    }
                    // Delivered again to the other replica once the first answered.
                    5 => {
                        post(&http, first, body).await;
                        post(&http, other, body).await;
                        redeliveries.fetch_add(1, Ordering::Relaxed);
                    }
                    _ => post(&http, first, body).await,
                }
            }
        }));
    }
    let mut targets = 0;
    for t in tasks {
        targets += t.await.expect("task");
    }
    Outcome {
        seconds: started.elapsed().as_secs_f64(),
        records: batches * PER_POST,
        targets,
        redeliveries: redeliveries.load(Ordering::Relaxed),
    }
}

fn main() {
    let batches: usize = std::env::var("REPLICA_BATCHES")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(300);
    let Some(redis) = redis::Redis::start() else {
        println!("bridge replicas: redis-server is not installed; skipped");
        return;
    };
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .expect("runtime");
    rt.block_on(async move {
        let counts: Counts = Arc::default();
        let twilio = twilio(counts.clone()).await;
        let client = Client::builder()
            .auth_token("ACaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", "bench-token")
            .base_url(&twilio)
            .retry(RetryPolicy::never())
            .build()
            .expect("client");
        let lookup = |k: &str| -> Option<String> {
            match k {
                "TWILIO_VERIFY_SERVICE_SID" => Some("VAaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa".into()),
                "AUTH0_LOG_STREAM_TOKEN" => Some("Bearer bench".into()),
                "BRIDGE_ACTION_SECRET" => Some("action-secret".into()),
                "BRIDGE_REDIS_URL" => Some(redis.url.clone()),
                _ => None,
            }
        };
        let mut replicas = Vec::new();
        for _ in 0..2 {
            let config = BridgeConfig::from_lookup(lookup).expect("config");
            let bridge = Bridge::from_config(client.clone(), config)
                .expect("bridge")
                .with_logger(|_| {});
            replicas.push(serve(bridge.router()).await);
        }
        let replicas = [replicas[0].clone(), replicas[1].clone()];
        println!(
            "bridge replicas: two bridges on one Redis, {batches} batches of {PER_POST} per run, {CONCURRENCY} senders"
        );
        let only = std::env::var("REPLICA_RUNS").ok();
        let mut offset = 0;
        for (run_name, all) in [("approvals", true), ("records", false)] {
            if only.as_deref().is_some_and(|o| !o.split(',').any(|r| r == run_name)) {
                continue;
            }
            counts.lock().unwrap_or_else(PoisonError::into_inner).clear();
            let out = run(replicas.clone(), batches, all, offset).await;
            offset += batches * PER_POST;
            // Approvals run on their own task after the answer; every answer here is 200, so
            // each batch was settled before it was answered.
            let map = counts.lock().unwrap_or_else(PoisonError::into_inner).clone();
            let approved = map.len();
            let duplicates: u32 = map.values().map(|c| c.saturating_sub(1)).sum();
            let losses = out.targets.saturating_sub(approved);
            let (approvals_s, records_s) =
                (approved as f64 / out.seconds, out.records as f64 / out.seconds);
            println!(
                "  {run_name:9}: {approvals_s:.0} approvals/s, {records_s:.0} records/s over {:.2} s; {} redelivered batches; duplicates {duplicates}, losses {losses}",
                out.seconds, out.redeliveries
            );
            report::emit(serde_json::json!({
                "bench": "bridge_replicas",
                "run": run_name,
                "batches": batches,
                "records": out.records,
                "targets": out.targets,
                "approvals": approved,
                "redeliveries": out.redeliveries,
                "seconds": out.seconds,
                "approvals_per_s": approvals_s,
                "records_per_s": records_s,
                "duplicates": duplicates,
                "losses": losses,
            }));
        }
    });
}
