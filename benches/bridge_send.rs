//! The send half's cost: how much the bridge adds to a Verify call on the user's login path.
//!
//! The same mock Verify (loopback, a fixed answer) is called directly through the crate's
//! `Client`, and through the bridge (an Auth0 `send-phone-message` event posted to it), by one
//! sender back to back, and by 200 concurrent senders offering `SEND_RATE` sends/s in all
//! (default 1,000: each sender every 200 ms, as Actions arrive, rather than a closed loop that
//! only measures the queue of a saturated 2-core machine), with the state in memory and on Redis (a local `redis-server`,
//! skipped when it is not installed). The bridge runs as deployed: send guard rules on (per
//! recipient, user, IP and prefix limits), metrics on, every event a new number and code.
//! Reports p50 and p99 of both, and the difference: the latency the bridge adds.
//!
//! `cargo bench --bench bridge_send --features axum,redis` (`SEND_REQUESTS` sets the requests per
//! run, default 4,000).

#[path = "support/redis.rs"]
mod redis;
#[path = "support/report.rs"]
mod report;

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use twilio_verify::bridge::{Bridge, BridgeConfig};
use twilio_verify::verify::{Channel, CreateVerification};
use twilio_verify::{Client, RetryPolicy, ServiceSid};

const PENDING: &str = r#"{"sid": "VEaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", "service_sid": "VAaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", "account_sid": "ACaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", "to": "+15017122661", "channel": "sms", "status": "pending", "valid": false, "lookup": {}, "send_code_attempts": [], "date_created": "2015-07-30T20:00:00Z", "date_updated": "2015-07-30T20:00:00Z", "url": null}"#;

async fn serve(app: axum::Router) -> String {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind");
    let url = format!("http://{}", listener.local_addr().expect("addr"));
    tokio::spawn(async move { axum::serve(listener, app).await.expect("serve") });
    url
}

/// A number of its own for request `n` (+1 415 2xx xxxx, valid for the guard's checks).
fn number(n: usize) -> String {
    format!("+1415{:07}", 2_000_000 + n % 7_000_000)
}

fn event(n: usize) -> String {
    format!(
        r#"{{"message_options": {{"action": "second-factor-authentication", "code": "{:06}", "message_type": "sms", "recipient": "{}", "text": "code"}}, "request": {{"ip": "198.51.100.{}", "method": "POST"}}, "user": {{"user_id": "auth0|bench{n}"}}, "tenant": {{"id": "bench"}}}}"#,
        n % 1_000_000,
        number(n),
        n % 250
    )
}

/// Runs `total` calls of `one` from `concurrency` tasks, each starting a call every `every`
/// (back to back when `None`); returns every call's latency.
async fn run<F, Fut>(
    total: usize,
    concurrency: usize,
    every: Option<Duration>,
    one: F,
) -> Vec<Duration>
where
    F: Fn(usize) -> Fut + Clone + Send + 'static,
    Fut: std::future::Future<Output = ()> + Send,
{
    let next = Arc::new(AtomicUsize::new(0));
    let mut tasks = Vec::new();
    for task in 0..concurrency {
        let (next, one) = (next.clone(), one.clone());
        tasks.push(tokio::spawn(async move {
            let mut ticks = every.map(|period| {
                // Staggered, so that the senders do not all fire at once.
                let start =
                    tokio::time::Instant::now() + period.mul_f64(task as f64 / concurrency as f64);
                let mut i = tokio::time::interval_at(start, period);
                i.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
                i
            });
            let mut lat = Vec::new();
            loop {
                if let Some(t) = ticks.as_mut() {
                    t.tick().await;
                }
                let n = next.fetch_add(1, Ordering::Relaxed);
                if n >= total {
                    break lat;
                }
                let t = Instant::now();
                one(n).await;
                lat.push(t.elapsed());
            }
        }));
    }
    let mut all = Vec::new();
    for t in tasks {
        all.extend(t.await.expect("task"));
    }
    all.sort_unstable();
    all
}

fn pct(lat: &[Duration], p: f64) -> f64 {
    lat[((lat.len() as f64 * p) as usize).min(lat.len() - 1)].as_secs_f64() * 1e3
}

fn config(redis: Option<&str>) -> BridgeConfig {
    let lookup = |k: &str| -> Option<String> {
        match k {
            "TWILIO_VERIFY_SERVICE_SID" => Some("VAaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa".into()),
            "AUTH0_LOG_STREAM_TOKEN" => Some("Bearer bench".into()),
            "BRIDGE_ACTION_SECRET" => Some("action-secret".into()),
            "BRIDGE_LIMIT_PER_RECIPIENT" => Some("5/10m".into()),
            "BRIDGE_LIMIT_PER_USER" => Some("10/1h".into()),
            "BRIDGE_LIMIT_PER_IP" => Some("1000000/1h".into()),
            "BRIDGE_LIMIT_PER_PREFIX" => Some("1000000/1h".into()),
            "BRIDGE_REDIS_URL" => redis.map(str::to_owned),
            _ => None,
        }
    };
    BridgeConfig::from_lookup(lookup).expect("config")
}

fn main() {
    let total: usize = std::env::var("SEND_REQUESTS")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(4_000);
    let rate: f64 = std::env::var("SEND_RATE")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(1_000.0);
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .expect("runtime");
    let redis = redis::Redis::start();
    if redis.is_none() {
        println!("bridge send half: redis-server is not installed; the Redis rows are skipped");
    }
    rt.block_on(async move {
        let twilio = serve(axum::Router::new().fallback(|| async {
            (
                axum::http::StatusCode::CREATED,
                [(axum::http::header::CONTENT_TYPE, "application/json")],
                PENDING,
            )
        }))
        .await;
        let client = Client::builder()
            .auth_token("ACaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", "bench-token")
            .base_url(&twilio)
            .retry(RetryPolicy::never())
            .build()
            .expect("client");
        let service: ServiceSid = "VAaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa".parse().expect("sid");
        let http = reqwest::Client::new();
        let mut stores = vec![("memory", None)];
        if let Some(r) = &redis {
            stores.push(("redis", Some(r.url.clone())));
        }
        println!("bridge send half: {total} sends per run, mock Verify on loopback");
        for (store, url) in stores {
            let bridge = Bridge::from_config(client.clone(), config(url.as_deref()))
                .expect("bridge")
                .with_logger(|_| {});
            let bridge_url = serve(bridge.router()).await;
            // Warm both paths (connections, the store's scripts).
            for n in 0..50 {
                direct(&client, &service, n).await;
                through(&http, &bridge_url, 10_000_000 + n).await;
            }
            for concurrency in [1, 200] {
                let offset = if store == "memory" { 0 } else { 3_000_000 } + concurrency * 10_000;
                let every = (concurrency > 1)
                    .then(|| Duration::from_secs_f64(concurrency as f64 / rate));
                let (c, s) = (client.clone(), service.clone());
                let d = run(total, concurrency, every, move |n| {
                    let (c, s) = (c.clone(), s.clone());
                    async move { direct(&c, &s, n).await }
                })
                .await;
                let (h, u) = (http.clone(), bridge_url.clone());
                let b = run(total, concurrency, every, move |n| {
                    let (h, u) = (h.clone(), u.clone());
                    async move { through(&h, &u, offset + n).await }
                })
                .await;
                let (dp50, dp99, bp50, bp99) = (pct(&d, 0.5), pct(&d, 0.99), pct(&b, 0.5), pct(&b, 0.99));
                println!(
                    "  {store:6} x{concurrency:<3}: direct p50 {dp50:.3} ms p99 {dp99:.3} ms; bridge p50 {bp50:.3} ms p99 {bp99:.3} ms; added p50 {:.3} ms p99 {:.3} ms",
                    bp50 - dp50,
                    bp99 - dp99
                );
                report::emit(serde_json::json!({
                    "bench": "bridge_send",
                    "store": store,
                    "concurrency": concurrency,
                    "requests": total,
                    "offered_per_s": (concurrency > 1).then_some(rate),
                    "direct_p50_ms": dp50,
                    "direct_p99_ms": dp99,
                    "bridge_p50_ms": bp50,
                    "bridge_p99_ms": bp99,
                    "added_p50_ms": bp50 - dp50,
                    "added_p99_ms": bp99 - dp99,
                }));
            }
        }
    });
}

async fn direct(client: &Client, service: &ServiceSid, n: usize) {
    CreateVerification::new(service, number(n), Channel::Sms)
        .custom_code(format!("{:06}", n % 1_000_000))
        .send(client)
        .await
        .expect("direct call answered");
}

async fn through(http: &reqwest::Client, url: &str, n: usize) {
    let resp = http
        .post(format!("{url}/auth0/send-phone-message"))
        .header("authorization", "Bearer action-secret")
        .body(event(n))
        .send()
        .await
        .expect("bridge answers");
    assert_eq!(resp.status().as_u16(), 200, "the bridge delivers send {n}");
    resp.bytes().await.expect("body");
}
