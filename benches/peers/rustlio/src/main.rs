//! The `rustlio` baseline: `send_verification_token` or `check_verification_token` against the
//! bench's loopback server, from CONCURRENCY tasks for SECONDS. Prints one JSON object.
//!
//! rustlio-bench BASE_URL create|check CONCURRENCY SECONDS

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use rustlio::TwilioRestClient;
use rustlio::verify::{VerificationCheckRequestParams, Verify};

const SERVICE: &str = "VAaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa";

async fn call(verify: &Verify, create: bool) -> bool {
    if create {
        verify
            .send_verification_token(SERVICE, "+15017122661", "sms")
            .await
            .is_ok()
    } else {
        let params = VerificationCheckRequestParams {
            to: "+15017122661".to_owned(),
            code: "123456".to_owned(),
            ..Default::default()
        };
        verify.check_verification_token(SERVICE, params).await.is_ok()
    }
}

#[tokio::main(flavor = "multi_thread", worker_threads = 2)]
async fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let base = args[0].trim_end_matches('/').to_owned();
    let create = args[1] == "create";
    let concurrency: usize = args[2].parse().expect("concurrency");
    let seconds: f64 = args[3].parse().expect("seconds");
    let verify = Arc::new(Verify {
        client: TwilioRestClient {
            account_sid: "ACaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa".to_owned(),
            auth_token: "bench-token".to_owned(),
        },
        base_uri: format!("{base}/v2/Services"),
        verify_service_sid: SERVICE.to_owned(),
    });
    for _ in 0..concurrency.max(8) {
        assert!(call(&verify, create).await, "the request must succeed");
    }
    let stop = Arc::new(AtomicBool::new(false));
    let started = Instant::now();
    let mut tasks = Vec::new();
    for _ in 0..concurrency {
        let (verify, stop) = (verify.clone(), stop.clone());
        tasks.push(tokio::spawn(async move {
            let mut lat = Vec::new();
            while !stop.load(Ordering::Relaxed) {
                let t = Instant::now();
                assert!(call(&verify, create).await, "the request must succeed");
                lat.push(t.elapsed());
            }
            lat
        }));
    }
    tokio::time::sleep(Duration::from_secs_f64(seconds)).await;
    stop.store(true, Ordering::Relaxed);
    let mut all = Vec::new();
    for t in tasks {
        all.extend(t.await.expect("task"));
    }
    let elapsed = started.elapsed().as_secs_f64();
    all.sort_unstable();
    let pct = |p: f64| all[((all.len() as f64 * p) as usize).min(all.len() - 1)].as_secs_f64() * 1e6;
    println!(
        "{{\"rps\": {}, \"p50_us\": {}, \"p99_us\": {}, \"requests\": {}}}",
        all.len() as f64 / elapsed,
        pct(0.50),
        pct(0.99),
        all.len()
    );
}
