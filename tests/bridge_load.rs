//! A bounded loopback load test of the bridge: 200 concurrent log-stream posts of 100 events,
//! with many duplicates across and within posts, against a mock Twilio. Every MFA success is
//! approved exactly once, nothing is lost, and memory stays bounded.
//!
//! Ignored in a plain `cargo test`; run it with `scripts/bridge-load` (which `.ci/run` calls).
#![cfg(feature = "axum")]

mod common;

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::Instant;

use common::{ACCOUNT_SID, AUTH_TOKEN, SERVICE_SID, fixture};
use twilio_verify::Client;
use twilio_verify::auth0::LogStreamToken;
use twilio_verify::bridge::{Bridge, BridgeConfig};

type Counts = Arc<Mutex<HashMap<String, usize>>>;

/// A mock Twilio that only counts approvals per path: it keeps no request bodies, so the
/// process's memory is the bridge's.
async fn counting_twilio() -> (String, Counts) {
    let counts: Counts = Arc::default();
    let body = fixture("verify/verification_approved.json");
    let state = (counts.clone(), body);
    let app = axum::Router::new()
        .fallback(
            |axum::extract::State((counts, body)): axum::extract::State<(Counts, String)>,
             uri: axum::http::Uri| async move {
                *counts
                    .lock()
                    .expect("counts")
                    .entry(uri.path().to_owned())
                    .or_default() += 1;
                (
                    [(axum::http::header::CONTENT_TYPE, "application/json")],
                    body,
                )
            },
        )
        .with_state(state);
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind");
    let url = format!("http://{}", listener.local_addr().expect("addr"));
    tokio::spawn(async move { axum::serve(listener, app).await.expect("serve") });
    (url, counts)
}

const POSTS: usize = 200;
const EVENTS_PER_POST: usize = 100;
const SUCCESSES_PER_POST: usize = 30;
const UNIQUE_SUCCESSES: usize = 1_000;

fn rss_kib() -> u64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("VmRSS:"))
                .and_then(|l| l.split_whitespace().nth(1)?.parse().ok())
        })
        .unwrap_or(0)
}

/// Post `i`'s body: 30 MFA successes drawn from a pool of 1,000 ids (so most repeat, across and
/// within posts) and 70 other events. Round 1 shifts the pool by half: 500 new ids, 500 done.
fn body(i: usize, round: usize) -> String {
    let mut lines = Vec::with_capacity(EVENTS_PER_POST);
    for j in 0..EVENTS_PER_POST {
        if j < SUCCESSES_PER_POST {
            let n = (i * 37 + j * 101) % UNIQUE_SUCCESSES + round * UNIQUE_SUCCESSES / 2;
            lines.push(format!(
                r#"{{"log_id": "mfa-{n}", "data": {{"log_id": "mfa-{n}", "type": "gd_auth_succeed", "date": "2024-01-15T10:30:00.000Z", "details": {{"authenticator": {{"type": "sms", "phone_number": "+1415{n:07}"}}}}}}}}"#
            ));
        } else {
            lines.push(format!(
                r#"{{"log_id": "s-{round}-{i}-{j}", "data": {{"type": "s", "description": "Successful login", "user_id": "auth0|{j}", "ip": "198.51.100.{}"}}}}"#,
                j % 250
            ));
        }
    }
    lines.join("\n")
}

async fn round(url: &str, http: &reqwest::Client, r: usize) -> (u64, u64, std::time::Duration) {
    let started = Instant::now();
    let mut tasks = Vec::with_capacity(POSTS);
    for i in 0..POSTS {
        let (http, url, body) = (http.clone(), url.to_owned(), body(i, r));
        tasks.push(tokio::spawn(async move {
            let resp = http
                .post(format!("{url}/auth0/log-stream"))
                .header("authorization", "Bearer load")
                .body(body)
                .send()
                .await
                .expect("answered");
            assert_eq!(resp.status().as_u16(), 200);
            let text = resp.text().await.expect("summary");
            let v: serde_json::Value = serde_json::from_str(&text).expect("JSON summary");
            (
                v["approved"].as_u64().unwrap_or(0),
                v["received"].as_u64().unwrap_or(0),
            )
        }));
    }
    let (mut approved, mut received) = (0, 0);
    for t in tasks {
        let (a, r) = t.await.expect("task");
        approved += a;
        received += r;
    }
    (approved, received, started.elapsed())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "a load test: run scripts/bridge-load"]
async fn every_target_is_approved_exactly_once_under_concurrent_duplicates() {
    let (twilio, counts) = counting_twilio().await;
    let client = Client::builder()
        .auth_token(ACCOUNT_SID, AUTH_TOKEN)
        .base_url(twilio)
        .build()
        .expect("client");
    let config = BridgeConfig::new(
        SERVICE_SID.parse().expect("sid"),
        LogStreamToken::new("Bearer load"),
        "action",
    );
    let app = Bridge::new(client, config).with_logger(|_| {}).router();
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind");
    let url = format!("http://{}", listener.local_addr().expect("addr"));
    tokio::spawn(async move { axum::serve(listener, app).await.expect("serve") });
    let http = reqwest::Client::new();

    let rss_start = rss_kib();
    let (approved_1, received_1, t1) = round(&url, &http, 0).await;
    let rss_1 = rss_kib();
    // The same traffic again: all duplicates of what is done.
    let (approved_2, received_2, t2) = round(&url, &http, 0).await;
    let rss_2 = rss_kib();
    // New traffic that mixes new and done ids.
    let (approved_3, received_3, t3) = round(&url, &http, 1).await;
    let rss_3 = rss_kib();

    let per_phone = counts.lock().expect("counts").clone();
    let distinct = per_phone.len();
    let total: usize = per_phone.values().sum();
    let twice: Vec<_> = per_phone.iter().filter(|(_, n)| **n > 1).collect();

    let events = (POSTS * EVENTS_PER_POST) as u64;
    println!("bridge load test ({POSTS} concurrent posts x {EVENTS_PER_POST} events per round):");
    for (name, approved, received, t, rss) in [
        ("round 1 (new)", approved_1, received_1, t1, rss_1),
        ("round 2 (all repeats)", approved_2, received_2, t2, rss_2),
        ("round 3 (mixed)", approved_3, received_3, t3, rss_3),
    ] {
        println!(
            "  {name:<22} received {received:>6}  approved {approved:>5}  {:>7.0} posts/s  {:>8.0} events/s  RSS {rss} KiB",
            POSTS as f64 / t.as_secs_f64(),
            received as f64 / t.as_secs_f64(),
        );
    }
    println!(
        "  RSS start {rss_start} KiB; approvals sent to Twilio {total}; distinct numbers {distinct}"
    );

    assert_eq!(
        (received_1, received_2, received_3),
        (events, events, events),
        "nothing lost"
    );
    assert!(twice.is_empty(), "approved more than once: {twice:?}");
    assert_eq!(total as u64, approved_1 + approved_2 + approved_3);
    assert_eq!(approved_2, 0, "a redelivery approves nothing");
    assert_eq!(distinct, total);
    // Every success id that appeared was approved.
    let mut seen = std::collections::HashSet::new();
    for r in [0, 1] {
        for i in 0..POSTS {
            for j in 0..SUCCESSES_PER_POST {
                seen.insert((i * 37 + j * 101) % UNIQUE_SUCCESSES + r * UNIQUE_SUCCESSES / 2);
            }
        }
    }
    assert_eq!(
        distinct,
        seen.len(),
        "every distinct MFA success approved once"
    );
    // Bounded: repeating the same traffic adds no memory beyond allocator noise.
    assert!(
        rss_2 < rss_1 + 16 * 1024,
        "RSS grew from {rss_1} to {rss_2} KiB on repeats"
    );
}

#[cfg(feature = "redis")]
#[path = "common/redis.rs"]
mod redis_server;

#[cfg(feature = "redis")]
use twilio_verify::guard::GuardConfig;

/// Two bridges in front of `twilio`, sharing `redis`, with the send guard `guard`: their URLs.
#[cfg(feature = "redis")]
async fn replicas(redis: &redis_server::Redis, twilio: &str, guard: GuardConfig) -> Vec<String> {
    let mut urls = Vec::new();
    for _ in 0..2 {
        let client = Client::builder()
            .auth_token(ACCOUNT_SID, AUTH_TOKEN)
            .base_url(twilio)
            .build()
            .expect("client");
        let mut config = BridgeConfig::new(
            SERVICE_SID.parse().expect("sid"),
            LogStreamToken::new("Bearer load"),
            "action",
        );
        config.guard = guard.clone();
        let app = Bridge::new(client, config)
            .with_store(redis.store())
            .with_logger(|_| {})
            .router();
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
            .await
            .expect("bind");
        urls.push(format!("http://{}", listener.local_addr().expect("addr")));
        tokio::spawn(async move { axum::serve(listener, app).await.expect("serve") });
    }
    urls
}

/// Posts `body` to `url` until it is answered 200, as Auth0 redelivers a batch answered 503.
/// Returns the summaries of every answer.
#[cfg(feature = "redis")]
async fn deliver(http: &reqwest::Client, url: &str, body: String) -> Vec<serde_json::Value> {
    let mut answers = Vec::new();
    for _ in 0..50 {
        let resp = http
            .post(format!("{url}/auth0/log-stream"))
            .header("authorization", "Bearer load")
            .body(body.clone())
            .send()
            .await
            .expect("answered");
        let status = resp.status().as_u16();
        let v: serde_json::Value =
            serde_json::from_str(&resp.text().await.expect("body")).expect("JSON summary");
        answers.push(v);
        if status == 200 {
            return answers;
        }
        assert_eq!(status, 503, "only 200 or 503: {:?}", answers.last());
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    panic!("never settled: {:?}", answers.last());
}

#[cfg(feature = "redis")]
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "a load test on redis-server: run scripts/bridge-load"]
async fn two_replicas_on_redis_send_each_code_once_and_approve_every_target_once() {
    let redis = redis_server::Redis::start();
    let (twilio, counts) = counting_twilio().await;
    let urls = replicas(&redis, &twilio, GuardConfig::default()).await;
    let http = reqwest::Client::new();

    // The send half: 500 distinct codes, each event posted twice to both replicas at once (an
    // Action retried while the first was still sending). Verify must see each code once.
    const SENDS: usize = 500;
    let mut tasks = Vec::new();
    for n in 0..SENDS {
        let event = serde_json::json!({
            "message_options": {"action": "second-factor-authentication", "code": format!("{:06}", 100_000 + n),
                "message_type": "sms", "recipient": format!("+1650{n:07}"), "text": "t"},
            "user": {"user_id": format!("auth0|{n}")}
        })
        .to_string();
        for url in urls.iter().chain(&urls) {
            let (http, url, event) = (http.clone(), url.clone(), event.clone());
            tasks.push(tokio::spawn(async move {
                let resp = http
                    .post(format!("{url}/auth0/send-phone-message"))
                    .header("authorization", "Bearer action")
                    .body(event)
                    .send()
                    .await
                    .expect("answered");
                assert_eq!(resp.status().as_u16(), 200);
                let v: serde_json::Value =
                    serde_json::from_str(&resp.text().await.expect("body")).expect("JSON");
                v["repeat"] == false
            }));
        }
    }
    let mut firsts = 0;
    for t in tasks {
        firsts += usize::from(t.await.expect("task"));
    }
    let creates = counts
        .lock()
        .expect("counts")
        .get(&format!("/v2/Services/{SERVICE_SID}/Verifications"))
        .copied()
        .unwrap_or(0);
    println!(
        "two replicas on Redis, send half: {} posts of {SENDS} distinct codes, {creates} reached Verify, {firsts} answered as first sends",
        4 * SENDS
    );
    assert_eq!(creates, SENDS, "each code reached Verify exactly once");
    assert_eq!(firsts, SENDS);
    counts.lock().expect("counts").clear();

    let started = Instant::now();
    // Every post goes to both replicas at once (a redelivery racing the first delivery), and
    // the three rounds repeat and mix ids as in the single-instance test.
    let mut answers = Vec::new();
    for r in [0, 0, 1] {
        let mut tasks = Vec::new();
        for i in 0..POSTS {
            for url in &urls {
                let (http, url, body) = (http.clone(), url.clone(), body(i, r));
                tasks.push(tokio::spawn(
                    async move { deliver(&http, &url, body).await },
                ));
            }
        }
        for t in tasks {
            answers.extend(t.await.expect("task"));
        }
    }
    let took = started.elapsed();
    let per_phone = counts.lock().expect("counts").clone();
    let approvals: usize = per_phone.values().sum();
    let duplicates: usize = per_phone.values().map(|n| n.saturating_sub(1)).sum();
    let mut expected = std::collections::HashSet::new();
    for r in [0, 1] {
        for i in 0..POSTS {
            for j in 0..SUCCESSES_PER_POST {
                expected.insert(format!(
                    "+1415{:07}",
                    (i * 37 + j * 101) % UNIQUE_SUCCESSES + r * UNIQUE_SUCCESSES / 2
                ));
            }
        }
    }
    let losses = expected
        .iter()
        .filter(|p| {
            !per_phone
                .keys()
                .any(|k| k.ends_with(&format!("/Verifications/{p}")))
        })
        .count();
    let redeliveries = answers.len() - 3 * 2 * POSTS;
    let reported: u64 = answers
        .iter()
        .map(|v| v["approved"].as_u64().unwrap_or(0))
        .sum();
    println!(
        "two replicas on Redis: {} posts ({redeliveries} redeliveries after 503), {approvals} approvals of {} distinct targets, duplicates {duplicates}, losses {losses}, {:.0} posts/s",
        answers.len(),
        expected.len(),
        answers.len() as f64 / took.as_secs_f64()
    );
    assert_eq!(duplicates, 0, "approved more than once");
    assert_eq!(losses, 0, "a target was never approved");
    assert_eq!(approvals, expected.len());
    assert_eq!(
        reported as usize, approvals,
        "the summaries count each approval once"
    );
}

/// An SMS-pumping attack against two replicas sharing Redis, with the README's recommended
/// limits (and no number or country rule, to show what the limits alone do): 1,000 sends aimed
/// at three number ranges, from rotating IPs and fresh users, mixed with 200 real users on
/// random numbers, five to a shared (NAT) address, each asking for two codes. The prefix limit
/// bounds what reaches Verify; no real user is refused.
#[cfg(feature = "redis")]
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "a load test on redis-server: run scripts/bridge-load"]
async fn pumping_is_bounded_by_the_prefix_limit_and_real_users_pass() {
    const PREFIXES: [&str; 3] = ["371200", "882351", "252610"];
    const ATTACK: usize = 1_000;
    const USERS: usize = 200;
    const PREFIX_LIMIT: usize = 20;
    let redis = redis_server::Redis::start();
    let (twilio, counts) = counting_twilio().await;
    let guard = GuardConfig::from_lookup(|k| match k {
        "BRIDGE_LIMIT_PER_PREFIX" => Some(format!("{PREFIX_LIMIT}/1h")),
        "BRIDGE_PREFIX_DIGITS" => Some("6".into()),
        "BRIDGE_LIMIT_PER_RECIPIENT" => Some("5/10m".into()),
        "BRIDGE_LIMIT_PER_USER" => Some("10/1h".into()),
        "BRIDGE_LIMIT_PER_IP" => Some("30/1h".into()),
        _ => None,
    })
    .expect("guard");
    let urls = replicas(&redis, &twilio, guard).await;
    // (is_attack, event), shuffled with a fixed LCG so every run is the same.
    let mut sends = Vec::new();
    let mut seed: u64 = 0x2545_f491_4f6c_dd1d;
    let mut next = || {
        seed = seed.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1);
        seed >> 33
    };
    for i in 0..ATTACK {
        let number = format!("+{}{:06}", PREFIXES[i % PREFIXES.len()], next() % 1_000_000);
        // Rotating addresses (the documentation prefix: these are strings in the event, never
        // contacted).
        let ip = format!("2001:db8::{:x}:{:x}", next() % 65_536, next() % 65_536);
        sends.push((
            true,
            number,
            format!("auth0|bot{i}"),
            ip,
            format!("{:06}", next() % 1_000_000),
        ));
    }
    for u in 0..USERS {
        // Each real user has a number in a range of their own, and asks twice.
        let number = format!("+1{}55{:05}", 201 + u, u);
        for k in 0..2 {
            sends.push((
                false,
                number.clone(),
                format!("auth0|user{u}"),
                format!("198.51.100.{}", u % 250),
                format!("{:06}", 400_000 + u * 2 + k),
            ));
        }
    }
    for i in (1..sends.len()).rev() {
        let j = usize::try_from(next()).unwrap_or(0) % (i + 1);
        sends.swap(i, j);
    }
    let http = reqwest::Client::new();
    let started = Instant::now();
    let (mut attack_sent, mut legit_sent, mut legit_refused) = (0usize, 0usize, 0usize);
    for (n, chunk) in sends.chunks(50).enumerate() {
        let mut tasks = Vec::new();
        for (k, (attack, number, user, ip, code)) in chunk.iter().cloned().enumerate() {
            let url = urls[(n + k) % 2].clone();
            let http = http.clone();
            tasks.push(tokio::spawn(async move {
                let event = serde_json::json!({
                    "message_options": {"action": "second-factor-authentication", "code": code,
                        "message_type": "sms", "recipient": number, "text": "t"},
                    "request": {"ip": ip},
                    "user": {"user_id": user}
                });
                let resp = http
                    .post(format!("{url}/auth0/send-phone-message"))
                    .header("authorization", "Bearer action")
                    .body(event.to_string())
                    .send()
                    .await
                    .expect("answered");
                let status = resp.status().as_u16();
                assert!(status == 200 || status == 429, "{status}");
                (attack, status == 200)
            }));
        }
        for t in tasks {
            match t.await.expect("task") {
                (true, true) => attack_sent += 1,
                (false, true) => legit_sent += 1,
                (false, false) => legit_refused += 1,
                (true, false) => {}
            }
        }
    }
    let creates = counts
        .lock()
        .expect("counts")
        .get(&format!("/v2/Services/{SERVICE_SID}/Verifications"))
        .copied()
        .unwrap_or(0);
    println!(
        "pumping simulation, two replicas on Redis: {ATTACK} attack sends to {} ranges reached Verify {attack_sent} times (bound {}); {} real sends, {legit_sent} delivered, {legit_refused} refused; {creates} Verify calls in all, {:.1} s",
        PREFIXES.len(),
        PREFIXES.len() * PREFIX_LIMIT,
        2 * USERS,
        started.elapsed().as_secs_f64()
    );
    assert!(
        attack_sent <= PREFIXES.len() * PREFIX_LIMIT,
        "{attack_sent}"
    );
    assert_eq!(
        attack_sent,
        PREFIXES.len() * PREFIX_LIMIT,
        "each range used up its limit"
    );
    assert_eq!(
        legit_refused, 0,
        "no real user within their limits was refused"
    );
    assert_eq!(legit_sent, 2 * USERS);
    assert_eq!(creates, attack_sent + legit_sent);
}
