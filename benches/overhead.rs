//! Request overhead: the crate's `create` and `check` against raw reqwest sending the same form
//! body and decoding into `serde_json::Value`, on one loopback axum server answering fixed,
//! spec-shaped JSON, through one shared reqwest connection pool. Plain harness; reports
//! requests/s, p50/p99 and the clients' CPU per request at concurrency 1 and 32.
//!
//! The server has a thread and a single-threaded runtime of its own; the clients share one
//! single-threaded runtime on the main thread, so neither competes with the other for a
//! scheduler and the client's CPU can be read from its thread alone. The crate and raw reqwest
//! run in alternating rounds, and raw reqwest is run against itself the same way as a control.
//!
//! `cargo bench --bench overhead --features axum`. Settings: `OVERHEAD_SECONDS` (time per side
//! and case, 3), `OVERHEAD_ROUNDS` (alternating rounds, 30); for profiling, `OVERHEAD_CASE`
//! (`create:1`, `check:32`…) runs one case, and `OVERHEAD_ONLY=ours|raw` one side alone.
//!
//! The peers run against the same server when their commands are given (scripts/bench installs
//! and builds them): `BENCH_NODE_OVERHEAD`, the script driving the official Node SDK, and
//! `BENCH_RUSTLIO`, the `rustlio` baseline binary. Both endpoints answer 201, the one status all
//! four clients accept (`rustlio` refuses the 200 Twilio's check can answer).

#[path = "support/report.rs"]
mod report;

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use base64::Engine as _;
use twilio_verify::verify::{Channel, CreateVerification, CreateVerificationCheck};
use twilio_verify::{Client, RetryPolicy, ServiceSid};

const SERVICE: &str = "VAaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa";
const VERIFICATION: &str = r#"{"sid": "VEaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", "service_sid": "VAaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", "account_sid": "ACaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", "to": "+15017122661", "channel": "sms", "status": "pending", "valid": false, "date_created": "2015-07-30T20:00:00Z", "date_updated": "2015-07-30T20:00:00Z", "lookup": {}, "amount": null, "payee": null, "send_code_attempts": [{"time": "2015-07-30T20:00:00Z", "channel": "SMS", "attempt_sid": "VLaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"}], "sna": null, "url": "https://verify.twilio.com/v2/Services/VAaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa/Verifications/VEaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"}"#;
const CHECK: &str = r#"{"sid": "VEaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", "service_sid": "VAaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", "account_sid": "ACaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", "to": "+15017122661", "channel": "sms", "status": "approved", "valid": true, "amount": null, "payee": null, "sna_attempts_error_codes": [], "date_created": "2015-07-30T20:00:00Z", "date_updated": "2015-07-30T20:00:00Z"}"#;

/// Starts the loopback server on a thread of its own, with its own single-threaded runtime, so
/// that it never competes with the client under test for a scheduler; returns its base URL.
fn server() -> String {
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        let rt = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .expect("server runtime");
        rt.block_on(async move {
            let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
                .await
                .expect("bind");
            tx.send(format!("http://{}", listener.local_addr().expect("addr")))
                .expect("send url");
            axum::serve(listener, app()).await.expect("serve");
        });
    });
    rx.recv().expect("server url")
}

fn app() -> axum::Router {
    use axum::http::{StatusCode, header};
    const JSON: [(header::HeaderName, &str); 1] = [(header::CONTENT_TYPE, "application/json")];
    axum::Router::new()
        .route(
            "/v2/Services/{sid}/Verifications",
            axum::routing::post(|| async { (StatusCode::CREATED, JSON, VERIFICATION) }),
        )
        .route(
            "/v2/Services/{sid}/VerificationCheck",
            axum::routing::post(|| async { (StatusCode::CREATED, JSON, CHECK) }),
        )
}

/// `(requests/s, p50, p99)` of a peer process driving `op` at `concurrency` against `url`.
async fn peer(
    program: String,
    mut args: Vec<String>,
    url: &str,
    op: &str,
    concurrency: usize,
    seconds: f64,
) -> (f64, Duration, Duration) {
    args.extend([
        url.to_owned(),
        op.to_owned(),
        concurrency.to_string(),
        seconds.to_string(),
    ]);
    let v = tokio::task::spawn_blocking(move || report::run_peer(&program, &args))
        .await
        .expect("peer task")
        .unwrap_or_else(|e| panic!("peer failed: {e}"));
    let us = |k: &str| Duration::from_secs_f64(v[k].as_f64().unwrap_or(0.0) / 1e6);
    (v["rps"].as_f64().unwrap_or(0.0), us("p50_us"), us("p99_us"))
}

fn line(name: &str, (rps, p50, p99): (f64, Duration, Duration)) {
    println!(
        "    {name:<16} {rps:>8.0} req/s  p50 {:>6.0} us  p99 {:>6.0} us",
        p50.as_secs_f64() * 1e6,
        p99.as_secs_f64() * 1e6
    );
}

fn json((rps, p50, p99): (f64, Duration, Duration)) -> serde_json::Value {
    serde_json::json!({
        "rps": rps,
        "p50_us": p50.as_secs_f64() * 1e6,
        "p99_us": p99.as_secs_f64() * 1e6,
    })
}

/// Latencies and wall time of one or more runs.
#[derive(Default)]
struct Samples {
    lat: Vec<Duration>,
    secs: f64,
    /// CPU time the client thread spent, in nanoseconds (Linux; 0 elsewhere).
    cpu_ns: u64,
}

impl Samples {
    fn add(&mut self, other: Samples) {
        self.lat.extend(other.lat);
        self.secs += other.secs;
        self.cpu_ns += other.cpu_ns;
    }

    /// Client CPU per request, in nanoseconds.
    fn cpu_per_request(&self) -> f64 {
        self.cpu_ns as f64 / self.lat.len().max(1) as f64
    }

    /// `(requests/s, p50, p99)`.
    fn summary(mut self) -> (f64, Duration, Duration) {
        self.lat.sort_unstable();
        let all = &self.lat;
        let pct = |p: f64| all[((all.len() as f64 * p) as usize).min(all.len() - 1)];
        (all.len() as f64 / self.secs, pct(0.50), pct(0.99))
    }
}

/// Runs `call` from `concurrency` tasks for `budget`.
async fn drive<F, Fut>(concurrency: usize, budget: Duration, call: Arc<F>) -> Samples
where
    F: Fn() -> Fut + Send + Sync + 'static,
    Fut: std::future::Future<Output = bool> + Send,
{
    // Warm the pool.
    for _ in 0..concurrency.max(8) {
        assert!(call().await, "the request must succeed");
    }
    let stop = Arc::new(AtomicBool::new(false));
    let started = Instant::now();
    let cpu = thread_cpu_ns();
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
    let mut lat = Vec::new();
    for t in tasks {
        lat.extend(t.await.expect("task"));
    }
    Samples {
        lat,
        secs: started.elapsed().as_secs_f64(),
        cpu_ns: thread_cpu_ns() - cpu,
    }
}

/// Nanoseconds this thread has run on a CPU (`/proc/thread-self/schedstat`; 0 where that is
/// missing). The clients run on one single-threaded runtime, so this is their CPU alone.
fn thread_cpu_ns() -> u64 {
    std::fs::read_to_string("/proc/thread-self/schedstat")
        .ok()
        .and_then(|s| s.split_whitespace().next()?.parse().ok())
        .unwrap_or(0)
}

/// Runs `a` and `b` in alternating slices (`OVERHEAD_ROUNDS` of each, 30 unless set; the order
/// swapped every round), so that drift in the machine's speed hits both alike. Returns both
/// sides' samples and the median of the per-round throughput ratios `a / b`.
async fn interleaved<A, AF, B, BF>(
    concurrency: usize,
    budget: Duration,
    a: Arc<A>,
    b: Arc<B>,
) -> (Samples, Samples, f64)
where
    A: Fn() -> AF + Send + Sync + 'static,
    AF: std::future::Future<Output = bool> + Send,
    B: Fn() -> BF + Send + Sync + 'static,
    BF: std::future::Future<Output = bool> + Send,
{
    let rounds: u32 = std::env::var("OVERHEAD_ROUNDS")
        .ok()
        .and_then(|r| r.parse().ok())
        .unwrap_or(30)
        .max(2);
    let slice = budget / rounds;
    let (mut sa, mut sb) = (Samples::default(), Samples::default());
    let mut ratios = Vec::new();
    for round in 0..rounds {
        let (ra, rb) = if round % 2 == 0 {
            let ra = drive(concurrency, slice, a.clone()).await;
            (ra, drive(concurrency, slice, b.clone()).await)
        } else {
            let rb = drive(concurrency, slice, b.clone()).await;
            (drive(concurrency, slice, a.clone()).await, rb)
        };
        ratios.push((ra.lat.len() as f64 / ra.secs) / (rb.lat.len() as f64 / rb.secs));
        sa.add(ra);
        sb.add(rb);
    }
    ratios.sort_by(f64::total_cmp);
    let median = (ratios[ratios.len() / 2 - 1] + ratios[ratios.len() / 2]) / 2.0;
    (sa, sb, median)
}

/// Nanoseconds per call of `f`, over about 0.3 s.
fn per_call(mut f: impl FnMut() -> usize) -> f64 {
    let started = Instant::now();
    let mut n = 0u64;
    let mut sink = 0usize;
    while started.elapsed() < Duration::from_millis(300) {
        for _ in 0..1000 {
            sink = sink.wrapping_add(f());
        }
        n += 1000;
    }
    std::hint::black_box(sink);
    started.elapsed().as_secs_f64() * 1e9 / n as f64
}

/// The client-side CPU of one call, without the network: building the wire form, and decoding
/// the answer typed (the crate) or into `Value` (the raw baseline).
fn cpu_breakdown() {
    use twilio_verify::verify::Verification;
    let service: ServiceSid = SERVICE.parse().expect("sid");
    let wire = per_call(|| {
        CreateVerification::new(&service, "+15017122661", Channel::Sms)
            .to_wire()
            .map_or(0, |w| w.path().len())
    });
    let typed = per_call(|| {
        serde_json::from_str::<Verification>(VERIFICATION)
            .map_or(0, |v| v.url.map_or(0, |u| u.len()))
    });
    let value = per_call(|| {
        serde_json::from_str::<serde_json::Value>(VERIFICATION)
            .map_or(0, |v| v.as_object().map_or(0, |m| m.len()))
    });
    println!(
        "client CPU per create, no network: to_wire {wire:.0} ns; decode typed {typed:.0} ns; decode into Value {value:.0} ns"
    );
    report::emit(serde_json::json!({
        "bench": "overhead_cpu",
        "to_wire_ns": wire,
        "decode_typed_ns": typed,
        "decode_value_ns": value,
    }));
}

fn main() {
    if std::env::var_os("OVERHEAD_ONLY").is_none() {
        cpu_breakdown();
    }
    let seconds: f64 = std::env::var("OVERHEAD_SECONDS")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(3.0);
    let budget = Duration::from_secs_f64(seconds);
    // The server has one core's thread; the clients under test share one single-threaded
    // runtime on the other. Both sides of every comparison run in the same set-up.
    let url = server();
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("runtime");
    rt.block_on(async move {
        let account = "ACaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa";
        let token = "bench-token";
        // One connection pool for both: the crate is handed the very reqwest client the raw
        // baseline uses, so the comparison is of everything but the pool.
        let raw = reqwest::Client::builder().build().expect("reqwest");
        let client = Client::builder()
            .auth_token(account, token)
            .base_url(&url)
            .retry(RetryPolicy::never())
            .http_client(raw.clone())
            .build()
            .expect("client");
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
                if std::env::var("OVERHEAD_CASE").is_ok_and(|c| c != format!("{op}:{concurrency}")) {
                    continue;
                }
                let c = client.clone();
                let s = service.clone();
                let ours_call = Arc::new(move || {
                    let (c, s) = (c.clone(), s.clone());
                    async move {
                        if op == "create" {
                            CreateVerification::new(&s, "+15017122661", Channel::Sms).send(&c).await.is_ok()
                        } else {
                            CreateVerificationCheck::new(&s, "+15017122661", "123456").send(&c).await.is_ok()
                        }
                    }
                });
                let (r, a, u) = (raw.clone(), auth.clone(), format!("{url}/v2/Services/{SERVICE}/{path}"));
                let raw_call = Arc::new(move || {
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
                });
                if let Ok(only) = std::env::var("OVERHEAD_ONLY") {
                    // Profiling aid: one side alone, for `perf stat` / `perf record`.
                    let s = if only == "ours" {
                        drive(concurrency, budget, ours_call).await
                    } else {
                        drive(concurrency, budget, raw_call).await
                    };
                    println!("  {op} c={concurrency} {only}: {} requests", s.lat.len());
                    continue;
                }
                let (ours, baseline, median) =
                    interleaved(concurrency, budget, ours_call, raw_call.clone()).await;
                // The control: raw reqwest against itself, the same way. How far its median
                // strays from 1 is how finely this machine can resolve the ratio above.
                let (_, _, control) =
                    interleaved(concurrency, budget, raw_call.clone(), raw_call).await;
                let (ours_cpu, raw_cpu) = (ours.cpu_per_request(), baseline.cpu_per_request());
                let (ours, baseline) = (ours.summary(), baseline.summary());
                let node = match std::env::var("BENCH_NODE_OVERHEAD") {
                    Ok(script) => Some(
                        peer("node".into(), vec![script], &url, op, concurrency, seconds).await,
                    ),
                    Err(_) => None,
                };
                let rustlio = match std::env::var("BENCH_RUSTLIO") {
                    Ok(bin) => Some(peer(bin, Vec::new(), &url, op, concurrency, seconds).await),
                    Err(_) => None,
                };
                println!("  {op} at concurrency {concurrency}:");
                line("twilio-verify", ours);
                line("raw reqwest", baseline);
                if let Some(n) = node {
                    line("twilio-node", n);
                }
                if let Some(r) = rustlio {
                    line("rustlio", r);
                }
                println!(
                    "    ratio to raw reqwest {:.3} overall, {median:.3} median of the alternating rounds; raw against itself {control:.3}",
                    ours.0 / baseline.0
                );
                println!(
                    "    client CPU per request: twilio-verify {:.1} us, raw reqwest {:.1} us",
                    ours_cpu / 1e3,
                    raw_cpu / 1e3
                );
                report::emit(serde_json::json!({
                    "bench": "overhead",
                    "op": op,
                    "concurrency": concurrency,
                    "ours": json(ours),
                    "reqwest": json(baseline),
                    "ratio_median": median,
                    "control_median": control,
                    "cpu_ns_per_request": {"ours": ours_cpu, "reqwest": raw_cpu},
                    "node": node.map(json),
                    "rustlio": rustlio.map(json),
                }));
            }
        }
    });
}
