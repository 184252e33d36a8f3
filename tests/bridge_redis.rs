//! Two bridge replicas sharing one real `redis-server`, against wiremock playing Verify.
//!
//! Each test starts its own `redis-server` on a free loopback port and stops it after. They
//! are ignored in a plain `cargo test` (they need the Debian package `redis-server`);
//! `.ci/run` installs it and runs them with `--ignored`.
#![cfg(feature = "redis")]

mod common;
#[path = "common/bridge.rs"]
mod harness;
#[path = "common/redis.rs"]
mod redis_server;

use std::sync::Arc;
use std::time::{Duration, Instant};

use common::hits;
use harness::ACTION_SECRET;
use harness::*;
use redis_server::Redis;
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer};

const USER: &str = "auth0|65a1b2c3d4e5f60718293a4b";
const PHONE: &str = "+14155550134";

/// Two replicas on one Redis, in front of `twilio`.
async fn replicas(redis: &Redis, twilio: &MockServer) -> (Arc<Running>, Arc<Running>) {
    replicas_with(redis, twilio, |_| {}).await
}

/// Two replicas on one Redis, with `tune` applied to their configuration.
async fn replicas_with(
    redis: &Redis,
    twilio: &MockServer,
    tune: impl Fn(&mut twilio_verify::bridge::BridgeConfig),
) -> (Arc<Running>, Arc<Running>) {
    let a = serve(&twilio.uri(), config(&tune), on(&redis.store())).await;
    let b = serve(&twilio.uri(), config(&tune), on(&redis.store())).await;
    (Arc::new(a), Arc::new(b))
}

#[tokio::test]
#[ignore = "needs redis-server (Debian package); .ci/run installs it and runs this suite"]
async fn a_batch_posted_to_both_replicas_at_once_approves_each_target_once() {
    let redis = Redis::start();
    let twilio = MockServer::start().await;
    let phones: Vec<String> = (0..20).map(|i| format!("+1415555{i:04}")).collect();
    for p in &phones {
        approval_of(p)
            .respond_with(answer(200, approved(&sid('a'))).set_delay(Duration::from_millis(50)))
            .expect(1)
            .mount(&twilio)
            .await;
    }
    let (a, b) = replicas(&redis, &twilio).await;
    let batch: Vec<String> = phones
        .iter()
        .enumerate()
        .map(|(i, p)| success(&format!("T{i}"), p))
        .collect();
    let batch = batch.join("\n");
    let mut tasks = Vec::new();
    for r in [a.clone(), b.clone(), a.clone(), b.clone()] {
        let body = batch.clone();
        tasks.push(tokio::spawn(async move { r.stream(body).await }));
    }
    let (mut approved_total, mut done_total) = (0, 0);
    for t in tasks {
        let (s, body) = t.await.expect("task");
        assert_eq!(s, 200, "{body}");
        approved_total += body["approved"].as_u64().unwrap_or(0);
        done_total += body["already_done"].as_u64().unwrap_or(0);
    }
    assert_eq!(approved_total, 20);
    assert_eq!(done_total, 60);
    assert_eq!(hits(&twilio).await, 20);
}

#[tokio::test]
#[ignore = "needs redis-server (Debian package); .ci/run installs it and runs this suite"]
async fn a_send_handled_by_one_replica_is_approved_by_sid_through_the_other() {
    let redis = Redis::start();
    let twilio = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path(verifications()))
        .respond_with(answer(201, verification(&sid('b'), &at(-20))))
        .expect(1)
        .mount(&twilio)
        .await;
    approval_of(&sid('b'))
        .respond_with(answer(200, approved(&sid('b'))))
        .expect(1)
        .mount(&twilio)
        .await;
    let (a, b) = replicas(&redis, &twilio).await;
    let (s, body) = a
        .action(send_event(PHONE, "730142", "enrollment", USER))
        .await;
    assert_eq!(s, 200, "{body}");
    let (s, body) = b
        .stream(record("gd_enrollment_complete", "E1", PHONE, &at(0), USER))
        .await;
    assert_eq!(s, 200, "{body}");
    assert_eq!(body["approved_by_sid"], 1, "{body}");
}

#[tokio::test]
#[ignore = "needs redis-server (Debian package); .ci/run installs it and runs this suite"]
async fn the_same_send_posted_to_both_replicas_at_once_reaches_verify_once() {
    let redis = Redis::start();
    let twilio = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path(verifications()))
        .respond_with(
            answer(201, verification(&sid('b'), &at(-1))).set_delay(Duration::from_millis(200)),
        )
        .expect(1)
        .mount(&twilio)
        .await;
    let (a, b) = replicas(&redis, &twilio).await;
    let event = send_event(PHONE, "730142", "second-factor-authentication", USER);
    let mut tasks = Vec::new();
    for r in [a.clone(), b.clone(), a, b] {
        let e = event.clone();
        tasks.push(tokio::spawn(async move { r.action(e).await }));
    }
    let mut firsts = 0;
    for t in tasks {
        let (s, body) = t.await.expect("task");
        assert_eq!(s, 200, "{body}");
        assert_eq!(body["sid"], sid('b').as_str());
        firsts += usize::from(body["repeat"] == false);
    }
    assert_eq!(firsts, 1);
    assert_eq!(hits(&twilio).await, 1);
}

#[tokio::test]
#[ignore = "needs redis-server (Debian package); .ci/run installs it and runs this suite"]
async fn with_redis_down_the_bridge_answers_503_and_resumes_when_it_returns() {
    let mut redis = Redis::start();
    let twilio = MockServer::start().await;
    approval_of("+14155550001")
        .respond_with(answer(200, approved(&sid('a'))))
        .expect(1)
        .mount(&twilio)
        .await;
    approval_of("+14155550002")
        .respond_with(answer(200, approved(&sid('a'))))
        .expect(1)
        .mount(&twilio)
        .await;
    let (a, b) = replicas(&redis, &twilio).await;
    let first = success("K1", "+14155550001");
    let (s, body) = a.stream(first.clone()).await;
    assert_eq!((s, body["approved"].as_u64()), (200, Some(1)), "{body}");

    redis.kill();
    let second = success("K2", "+14155550002");
    for r in [&a, &b] {
        let (s, body) = r.stream(second.clone()).await;
        assert_eq!(s, 503, "{body}");
        assert_eq!(body["failed"]["kinds"]["store"], 1, "{body}");
        let (s, body) = r
            .action(send_event(
                PHONE,
                "730142",
                "second-factor-authentication",
                USER,
            ))
            .await;
        assert_eq!(s, 503, "{body}");
        let health = r
            .http
            .get(format!("{}/healthz", r.url))
            .send()
            .await
            .expect("healthz");
        assert_eq!(health.status().as_u16(), 200);
    }
    assert_eq!(
        hits(&twilio).await,
        1,
        "nothing reached Verify while Redis was down"
    );

    redis.spawn();
    // The replicas reconnect by themselves; Auth0 keeps delivering until they answer 2xx.
    let deadline = Instant::now() + Duration::from_secs(20);
    let body = loop {
        let (s, body) = b.stream(format!("{first}\n{second}")).await;
        if s == 200 {
            break body;
        }
        assert!(Instant::now() < deadline, "no recovery: {body}");
        tokio::time::sleep(Duration::from_millis(200)).await;
    };
    assert_eq!(body["approved"], 1, "{body}");
    assert_eq!(
        body["already_done"], 1,
        "the approval before the outage was kept: {body}"
    );
    assert_eq!(hits(&twilio).await, 2);
}

#[tokio::test]
#[ignore = "needs redis-server (Debian package); .ci/run installs it and runs this suite"]
async fn every_key_has_a_ttl_and_no_key_or_value_holds_personal_data() {
    let redis = Redis::start();
    let twilio = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path(verifications()))
        .respond_with(answer(201, verification(&sid('b'), &at(-20))))
        .mount(&twilio)
        .await;
    approval_of(&sid('b'))
        .respond_with(answer(200, approved(&sid('b'))))
        .mount(&twilio)
        .await;
    let (a, _) = replicas(&redis, &twilio).await;
    let (s, body) = a
        .action(send_event(
            PHONE,
            "730142",
            "second-factor-authentication",
            USER,
        ))
        .await;
    assert_eq!(s, 200, "{body}");
    let (s, body) = a
        .stream(record("gd_auth_succeed", "L1", PHONE, &at(0), USER))
        .await;
    assert_eq!(
        (s, body["approved_by_sid"].as_u64()),
        (200, Some(1)),
        "{body}"
    );

    let client = redis::Client::open(redis.url()).expect("client");
    let mut c = client
        .get_multiplexed_async_connection()
        .await
        .expect("connect");
    let keys: Vec<String> = redis::cmd("KEYS")
        .arg("*")
        .query_async(&mut c)
        .await
        .expect("keys");
    assert_eq!(
        keys.len(),
        3,
        "a send key, a number's records, a log id: {keys:?}"
    );
    let mut values = Vec::new();
    for k in &keys {
        assert!(
            k.starts_with(&format!("twilio-verify:bridge:{}:", common::SERVICE_SID)),
            "{k}"
        );
        let ttl: i64 = redis::cmd("PTTL")
            .arg(k)
            .query_async(&mut c)
            .await
            .expect("ttl");
        assert!(ttl > 0, "{k} has no TTL");
        let kind: String = redis::cmd("TYPE")
            .arg(k)
            .query_async(&mut c)
            .await
            .expect("type");
        let text: Vec<String> = match kind.as_str() {
            "string" => vec![
                redis::cmd("GET")
                    .arg(k)
                    .query_async(&mut c)
                    .await
                    .expect("get"),
            ],
            "zset" => redis::cmd("ZRANGE")
                .arg(k)
                .arg(0)
                .arg(-1)
                .query_async(&mut c)
                .await
                .expect("zrange"),
            other => panic!("{k} is a {other}"),
        };
        values.extend(text);
    }
    assert!(
        values.iter().any(|v| v.contains(&sid('b'))),
        "the SID is kept: {values:?}"
    );
    for leak in ["5550134", "730142", USER, "L1"] {
        for item in keys.iter().chain(&values) {
            assert!(!item.contains(leak), "{leak} in {item}");
        }
    }
}

/// The Redis key of a log id's claim, as the bridge derives it with the default hash key
/// (the action secret).
fn log_key(log_id: &str) -> String {
    use hmac::{KeyInit, Mac};
    let mut mac = <hmac::Hmac<sha2::Sha256> as KeyInit>::new_from_slice(ACTION_SECRET.as_bytes())
        .expect("key");
    mac.update(b"log\0");
    mac.update(log_id.as_bytes());
    let digest = mac.finalize().into_bytes();
    let hex: String = digest[..16].iter().map(|b| format!("{b:02x}")).collect();
    format!("twilio-verify:bridge:{}:k:{hex}", common::SERVICE_SID)
}

#[tokio::test]
#[ignore = "needs redis-server (Debian package); .ci/run installs it and runs this suite"]
async fn a_claim_whose_holder_died_expires_and_the_redelivery_approves() {
    let redis = Redis::start();
    let twilio = MockServer::start().await;
    approval_of(PHONE)
        .respond_with(answer(200, approved(&sid('a'))))
        .expect(1)
        .mount(&twilio)
        .await;
    let (a, _) = replicas(&redis, &twilio).await;
    // A replica claimed the id for 1.5 s and died before finishing.
    let client = redis::Client::open(redis.url()).expect("client");
    let mut c = client
        .get_multiplexed_async_connection()
        .await
        .expect("connect");
    let _: () = redis::cmd("SET")
        .arg(log_key("Z1"))
        .arg("c:dead-replica")
        .arg("PX")
        .arg(1500)
        .query_async(&mut c)
        .await
        .expect("set");
    let started = Instant::now();
    let (s, body) = a.stream(success("Z1", PHONE)).await;
    assert_eq!(s, 200, "{body}");
    assert_eq!(body["approved"], 1, "{body}");
    assert!(
        started.elapsed() >= Duration::from_millis(1400),
        "it waited for the claim"
    );
}

#[tokio::test]
#[ignore = "needs redis-server (Debian package); .ci/run installs it and runs this suite"]
async fn redis_killed_during_a_batch_approves_nothing_twice_and_resumes() {
    let mut redis = Redis::start();
    let twilio = MockServer::start().await;
    let phones: Vec<String> = (0..6).map(|i| format!("+1415555{i:04}")).collect();
    for p in &phones {
        // Verify approves a verification once; after that it is gone (20404).
        approval_of(p)
            .respond_with(answer(200, approved(&sid('a'))).set_delay(Duration::from_millis(300)))
            .up_to_n_times(1)
            .mount(&twilio)
            .await;
        approval_of(p)
            .respond_with(answer(404, gone()))
            .mount(&twilio)
            .await;
    }
    // Claims of a replica that lost Redis mid-approval expire after 3 s.
    let (a, b) = replicas_with(&redis, &twilio, |c| c.claim_ttl = Duration::from_secs(3)).await;
    let batch: Vec<String> = phones
        .iter()
        .enumerate()
        .map(|(i, p)| success(&format!("M{i}"), p))
        .collect();
    let batch = batch.join("\n");
    let during = {
        let (a, body) = (a.clone(), batch.clone());
        tokio::spawn(async move { a.stream(body).await })
    };
    // Kill Redis while the approvals of the batch are in flight.
    tokio::time::sleep(Duration::from_millis(150)).await;
    redis.kill();
    let (s, body) = during.await.expect("task");
    assert!(s == 200 || s == 503, "{s} {body}");
    let mut approved = body["approved"].as_u64().unwrap_or(0);
    let (s, body) = b.stream(batch.clone()).await;
    assert_eq!(s, 503, "Redis is down: {body}");
    assert_eq!(body["approved"], 0, "{body}");

    redis.spawn();
    let deadline = Instant::now() + Duration::from_secs(20);
    loop {
        let (s, body) = b.stream(batch.clone()).await;
        approved += body["approved"].as_u64().unwrap_or(0);
        if s == 200 {
            break;
        }
        assert!(Instant::now() < deadline, "no recovery: {body}");
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    assert_eq!(approved, 6, "every target reported approved exactly once");
    let requests = twilio.received_requests().await.unwrap_or_default();
    for p in &phones {
        let calls = requests
            .iter()
            .filter(|r| r.url.path().ends_with(p.as_str()))
            .count();
        assert!(calls >= 1, "{p} was approved");
    }
    // The other replica settles too once its connection is remade (its first command after
    // the outage may fail: Auth0 simply delivers again), and reports nothing approved twice.
    let deadline = Instant::now() + Duration::from_secs(20);
    loop {
        let (s, body) = a.stream(batch.clone()).await;
        assert_eq!(body["approved"], 0, "{body}");
        if s == 200 {
            assert_eq!(body["already_done"], 6, "{body}");
            break;
        }
        assert!(Instant::now() < deadline, "no recovery: {body}");
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
}

#[tokio::test]
#[ignore = "needs redis-server (Debian package); .ci/run installs it and runs this suite"]
async fn two_replicas_enforce_one_recipient_limit_together() {
    let redis = Redis::start();
    let twilio = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path(verifications()))
        .respond_with(answer(201, verification(&sid('b'), &at(-1))))
        .mount(&twilio)
        .await;
    let limit = twilio_verify::guard::GuardConfig::from_lookup(|k| {
        (k == "BRIDGE_LIMIT_PER_RECIPIENT").then(|| "5/10m".to_owned())
    })
    .expect("guard");
    let (a, b) = replicas_with(&redis, &twilio, |c| c.guard = limit.clone()).await;
    // 20 different codes to one number, posted at once, half to each replica.
    let mut tasks = Vec::new();
    for i in 0..20 {
        let r = if i % 2 == 0 { a.clone() } else { b.clone() };
        let e = send_event(
            PHONE,
            &format!("{:06}", 300_000 + i),
            "second-factor-authentication",
            USER,
        );
        tasks.push(tokio::spawn(async move { r.action(e).await }));
    }
    let (mut sent, mut limited) = (0, 0);
    for t in tasks {
        let (s, body) = t.await.expect("task");
        match s {
            200 => sent += 1,
            429 => {
                assert_eq!(body["rule"], "recipient_limit", "{body}");
                limited += 1;
            }
            other => panic!("{other}: {body}"),
        }
    }
    assert_eq!((sent, limited), (5, 15));
    assert_eq!(hits(&twilio).await, 5);
}

#[tokio::test]
#[ignore = "needs redis-server (Debian package); .ci/run installs it and runs this suite"]
async fn on_redis_a_refusal_counts_nothing_names_its_rule_and_the_window_slides() {
    let redis = Redis::start();
    let twilio = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path(verifications()))
        .respond_with(answer(201, verification(&sid('b'), &at(-1))))
        .mount(&twilio)
        .await;
    let guard = twilio_verify::guard::GuardConfig::from_lookup(|k| match k {
        "BRIDGE_LIMIT_PER_RECIPIENT" => Some("1/2s".into()),
        "BRIDGE_LIMIT_PER_PREFIX" => Some("2/1h".into()),
        "BRIDGE_PREFIX_DIGITS" => Some("8".into()),
        _ => None,
    })
    .expect("guard");
    let (a, b) = replicas_with(&redis, &twilio, |c| c.guard = guard.clone()).await;
    let send = |r: &Arc<Running>, phone: &'static str, code: &'static str| {
        let r = r.clone();
        async move {
            let (s, body) = r
                .action(send_event(
                    phone,
                    code,
                    "second-factor-authentication",
                    USER,
                ))
                .await;
            (s, body["rule"].as_str().map(str::to_owned))
        }
    };
    assert_eq!(send(&a, "+14155552601", "100001").await, (200, None));
    // A second code to the same number within 2 s: refused by the recipient limit...
    assert_eq!(
        send(&b, "+14155552601", "100002").await,
        (429, Some("recipient_limit".to_owned()))
    );
    // ...and not counted against the range: a second number in it still gets through.
    assert_eq!(send(&b, "+14155552602", "100003").await, (200, None));
    // The range is now full: the second key's rule is named.
    assert_eq!(
        send(&a, "+14155552603", "100004").await,
        (429, Some("prefix_limit".to_owned()))
    );
    // After the 2 s window the number's slot is free again: the refusal now names the range,
    // the second limit, which is only reached once the first has room.
    tokio::time::sleep(Duration::from_millis(2100)).await;
    assert_eq!(
        send(&a, "+14155552601", "100005").await,
        (429, Some("prefix_limit".to_owned()))
    );
    assert_eq!(send(&a, "+12125550123", "100006").await, (200, None));
    assert_eq!(hits(&twilio).await, 3);
}

/// Runs the same claim-and-admit sequence on `store`, and returns what each step answered, in
/// a form that does not depend on tokens or tickets.
async fn claim_admit_script(store: &dyn twilio_verify::bridge::Store) -> Vec<String> {
    use twilio_verify::bridge::Claim;
    use twilio_verify::store::{Admission, WindowLimit};
    let ttl = Duration::from_secs(30);
    let one = [WindowLimit {
        key: "w-one",
        max: 1,
        window: Duration::from_secs(60),
    }];
    let show = |r: &(Claim, Option<Admission>)| match r {
        (Claim::Claimed(_), None) => "claimed".to_owned(),
        (Claim::Claimed(_), Some(Admission::Admitted(_))) => "claimed+admitted".to_owned(),
        (Claim::Claimed(_), Some(Admission::Refused { limit, .. })) => format!("refused {limit}"),
        (Claim::Held, _) => "held".to_owned(),
        (Claim::Done(v), _) => format!("done {v}"),
    };
    let mut seen = Vec::new();
    let first = store.claim_admit("k1", ttl, &one).await.expect("store");
    seen.push(show(&first));
    seen.push(show(
        &store.claim_admit("k1", ttl, &one).await.expect("store"),
    ));
    // The window is full: refused, and the key is left free.
    let refused = store.claim_admit("k2", ttl, &one).await.expect("store");
    seen.push(show(&refused));
    seen.push(show(
        &store.claim_admit("k2", ttl, &[]).await.expect("store"),
    ));
    if let (Claim::Claimed(token), _) = &first {
        let sent = twilio_verify::auth0::SentVerification::new(
            sid('c').parse().expect("sid"),
            twilio_verify::Timestamp::now(),
            twilio_verify::auth0::Purpose::Authentication,
        );
        store
            .complete_remember("k1", token, "ok", ttl, "n1", &sent, ttl)
            .await
            .expect("store");
        let recalled = store.recall("n1").await.expect("store");
        seen.push(format!("remembered {}", recalled.len()));
    }
    seen.push(show(
        &store.claim_admit("k1", ttl, &one).await.expect("store"),
    ));
    // Claiming with the number's records: only a won claim reads them.
    for key in ["k3", "k3", "k1"] {
        let (claim, sent) = store.claim_recall(key, ttl, "n1").await.expect("store");
        seen.push(format!("{} with {}", show(&(claim, None)), sent.len()));
    }
    seen
}

#[tokio::test]
#[ignore = "needs redis-server (Debian package); .ci/run installs it and runs this suite"]
async fn redis_claims_and_admits_in_one_call_exactly_as_the_two_call_version() {
    let redis = Redis::start();
    let on_redis = claim_admit_script(&redis.store()).await;
    let in_memory = claim_admit_script(&twilio_verify::bridge::MemoryStore::new(100)).await;
    assert_eq!(on_redis, in_memory);
    assert_eq!(
        on_redis,
        [
            "claimed+admitted",
            "held",
            "refused 0",
            "claimed",
            "remembered 1",
            "done ok",
            "claimed with 1",
            "held with 0",
            "done ok with 0"
        ]
    );
}
