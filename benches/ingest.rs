//! Log-stream ingest: the crate's parse plus feedback-target extraction against `serde_json`
//! into `Value` with the same extraction done by hand. Plain harness (no criterion): each case
//! runs for a fixed time budget and reports MB/s and records/s.
//!
//! `cargo bench --bench ingest` (set `INGEST_SECONDS` for a shorter or longer run).

use std::hint::black_box;
use std::time::{Duration, Instant};

use serde_json::Value;
use twilio_verify::auth0::{parse_log_batch, plan};

#[path = "support/records.rs"]
mod records;
#[path = "support/report.rs"]
mod report;

use records::body;

/// The baseline: `serde_json::Value`, then the same extraction by hand.
fn by_hand(body: &[u8], array: bool) -> Vec<(String, String)> {
    let values: Vec<Value> = if array {
        serde_json::from_slice(body).unwrap_or_default()
    } else {
        body.split(|&b| b == b'\n')
            .filter(|l| !l.is_empty())
            .filter_map(|l| serde_json::from_slice(l).ok())
            .collect()
    };
    let mut out = Vec::new();
    for v in &values {
        let data = &v["data"];
        if data["type"] != "gd_auth_succeed" {
            continue;
        }
        let details = &data["details"];
        let kind = details["authenticator"]["type"].as_str().unwrap_or("");
        if kind != "sms" && kind != "voice" {
            continue;
        }
        let phone = details["authenticator"]["phone_number"]
            .as_str()
            .or_else(|| details["enrollment"]["phone_number"].as_str());
        if let (Some(id), Some(phone)) = (v["log_id"].as_str(), phone) {
            let e164: String = phone
                .chars()
                .filter(|c| *c == '+' || c.is_ascii_digit())
                .collect();
            out.push((id.to_owned(), e164));
        }
    }
    out
}

fn measure(
    name: &str,
    bytes: usize,
    records: usize,
    budget: Duration,
    mut f: impl FnMut() -> usize,
) -> f64 {
    // Warm up, and check the work is real.
    let targets = f();
    let started = Instant::now();
    let mut runs = 0u32;
    while started.elapsed() < budget || runs < 3 {
        black_box(f());
        runs += 1;
    }
    let per_run = started.elapsed().as_secs_f64() / f64::from(runs);
    let mbps = bytes as f64 / per_run / 1e6;
    println!(
        "  {name:<34} {:>8.1} MB/s {:>10.0} records/s  ({runs} runs, {targets} targets)",
        mbps,
        records as f64 / per_run
    );
    mbps
}

/// Node's `JSON.parse` with the same extraction, on the same body (written to a file), when
/// `BENCH_NODE_INGEST` names the script (`benches/peers/node/ingest.js`).
fn node(body: &str, array: bool, records: usize, seconds: f64) -> Option<f64> {
    let script = std::env::var("BENCH_NODE_INGEST").ok()?;
    let dir = std::env::temp_dir().join(format!("twilio-verify-ingest-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    let file = dir.join("body");
    std::fs::write(&file, body).expect("write body");
    let args = [
        script,
        file.display().to_string(),
        if array { "array" } else { "lines" }.to_owned(),
        seconds.to_string(),
    ];
    let result = report::run_peer("node", &args);
    let _ = std::fs::remove_dir_all(&dir);
    match result {
        Ok(v) => {
            let mbps = v["mb_per_s"].as_f64().unwrap_or(0.0);
            println!(
                "  {:<34} {:>8.1} MB/s {:>10.0} records/s  ({} runs, {} targets)",
                "node JSON.parse + by hand",
                mbps,
                v["records_per_s"].as_f64().unwrap_or(0.0),
                v["runs"],
                v["targets"]
            );
            assert_eq!(
                v["targets"].as_u64(),
                Some((0..records).filter(|i| records::is_success(*i)).count() as u64),
                "node found a different number of targets"
            );
            Some(mbps)
        }
        Err(e) => panic!("node baseline: {e}"),
    }
}

fn main() {
    let seconds: f64 = std::env::var("INGEST_SECONDS")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(2.0);
    let budget = Duration::from_secs_f64(seconds);
    println!("log-stream ingest: parse + feedback targets ({seconds} s per case)");
    for records in [100, 10_000] {
        for array in [false, true] {
            let body = body(records, array);
            let bytes = body.len();
            let format = if array { "JSON array" } else { "JSON Lines" };
            let label = format!("{records} records, {format}");
            println!("{label} ({:.2} MB):", bytes as f64 / 1e6);
            let ours = measure("twilio-verify parse + plan", bytes, records, budget, || {
                let batch = parse_log_batch(body.as_bytes());
                plan(&batch.records).targets.len()
            });
            let baseline = measure(
                "serde_json::Value + by hand",
                bytes,
                records,
                budget,
                || by_hand(body.as_bytes(), array).len(),
            );
            let node = node(&body, array, records, seconds);
            println!("  ratio to serde_json::Value: {:.2}x", ours / baseline);
            if let Some(n) = node {
                println!("  ratio to node JSON.parse:   {:.2}x", ours / n);
            }
            report::emit(serde_json::json!({
                "bench": "ingest",
                "records": records,
                "format": format,
                "bytes": bytes,
                "ours_mb_s": ours,
                "value_mb_s": baseline,
                "node_mb_s": node,
            }));
        }
    }
}
