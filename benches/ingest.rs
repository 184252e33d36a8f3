//! Log-stream ingest: the crate's parse plus feedback-target extraction against `serde_json`
//! into `Value` with the same extraction done by hand. Plain harness (no criterion): each case
//! runs for a fixed time budget and reports MB/s and records/s.
//!
//! `cargo bench --bench ingest` (set `INGEST_SECONDS` for a shorter or longer run).

use std::hint::black_box;
use std::time::{Duration, Instant};

use serde_json::Value;
use twilio_verify::auth0::{parse_log_batch, plan};

/// A realistic record: an MFA success every 20th, the rest a mix of logins, failures and token
/// exchanges, shaped like the Auth0 samples.
fn record(i: usize) -> String {
    let id = format!("900202401151030{i:011}0000000000000001223372036854775807");
    match i % 20 {
        0 => format!(
            r#"{{"log_id": "{id}", "data": {{"date": "2024-01-15T10:30:00.123Z", "type": "gd_auth_succeed", "description": "Guardian - Second factor authentication succeed (sms)", "connection": "Username-Password-Authentication", "connection_id": "con_7Yq2", "client_id": "k3Jd9QmZ0aLr7TbX", "client_name": "Acme Web", "ip": "2001:db8::7", "user_agent": "Chrome 120.0.0 / Mac OS X 10.15.7", "details": {{"authenticator": {{"id": "sms|dev_Q2w3E4r5T6y7U8i9", "type": "sms", "phone_number": "+1 415-555-{:04}"}}, "enrollment": {{"_id": "sms|dev_Q2w3E4r5T6y7U8i9", "tenant": "acme-prod", "user_id": "auth0|65a1b2c3d4e5f60718293a4b", "phone_number": "+1415555{:04}"}}, "device_id": "v0:1f2e3d4c-0000-11ef-8000-abcdefabcdef", "session_id": "s_9Zx8", "first_factor": false, "remember_browser": true}}, "user_id": "auth0|65a1b2c3d4e5f60718293a4b", "user_name": "dana@acme.example", "strategy": "auth0", "strategy_type": "database", "hostname": "login.acme.example", "tenant_name": "acme-prod", "environment_name": "prod-us-5", "$event_schema": {{"version": "1.0.0"}}, "log_id": "{id}"}}}}"#,
            i % 10_000,
            i % 10_000
        ),
        1..=12 => format!(
            r#"{{"log_id": "{id}", "data": {{"date": "2024-01-15T10:31:00.000Z", "type": "s", "description": "Successful login", "connection": "Username-Password-Authentication", "connection_id": "con_7Yq2", "client_id": "k3Jd9QmZ0aLr7TbX", "client_name": "Acme Web", "ip": "198.51.100.23", "user_agent": "Chrome 120.0.0 / Mac OS X 10.15.7", "details": {{"prompts": [{{"name": "prompt-authenticate", "completedAt": 1705314660000, "connection": "Username-Password-Authentication", "connection_id": "con_7Yq2", "strategy": "auth0", "identity": "65a1b2c3d4e5f60718293a4b", "stats": {{"loginsCount": 66}}, "elapsedTime": 10824}}, {{"name": "mfa", "flow": "universal-mfa", "provider": "guardian", "performed_amr": ["mfa"]}}], "initiatedAt": 1705314650000, "completedAt": 1705314660000, "elapsedTime": 10824, "session_id": "dKvR03IjVSNLPaVLqVS-FBuX87z0bBoE", "riskAssessment": null, "stats": {{"loginsCount": 66}}}}, "hostname": "login.acme.example", "user_id": "auth0|65a1b2c3d4e5f60718293a4b", "user_name": "dana@acme.example", "strategy": "auth0", "strategy_type": "database", "location_info": {{"country_code": "US", "country_code3": "USA", "country_name": "United States", "city_name": "Oakland", "latitude": 37.8044, "longitude": -122.2712, "time_zone": "America/Los_Angeles", "continent_code": "NA"}}, "security_context": {{"ja3": "a1ffa339ba0853d979d34a96ac9e4b6b", "ja4": "t13d1516h2_8daaf6152771_02713d6af862"}}, "tenant_name": "acme-prod", "environment_name": "prod-us-5", "$event_schema": {{"version": "1.0.0"}}, "log_id": "{id}"}}}}"#
        ),
        13..=16 => format!(
            r#"{{"log_id": "{id}", "data": {{"date": "2024-01-15T10:34:00.500Z", "type": "fp", "description": "Wrong email or password.", "connection": "Username-Password-Authentication", "connection_id": "con_7Yq2", "client_id": "k3Jd9QmZ0aLr7TbX", "client_name": "Acme Web", "ip": "192.0.2.77", "user_agent": "Safari 17.1 / iOS 17.1", "details": {{"error": {{"message": "Wrong email or password."}}}}, "user_id": "auth0|55", "user_name": "lee@acme.example", "strategy": "auth0", "strategy_type": "database", "isMobile": true, "tenant_name": "acme-prod", "log_id": "{id}"}}}}"#
        ),
        _ => format!(
            r#"{{"log_id": "{id}", "data": {{"date": "2024-01-15T10:32:00.000Z", "type": "seccft", "description": "Client Credentials for Access Token", "client_id": "m2mClient01", "client_name": "Acme Worker", "ip": "203.0.113.200", "user_agent": "node-fetch/1.0", "hostname": "acme-prod.us.auth0.com", "user_id": "", "user_name": "", "audience": "https://api.acme.example", "scope": ["read:orders", "write:orders"], "details": {{"actions": {{}}}}, "tenant_name": "acme-prod", "log_id": "{id}"}}}}"#
        ),
    }
}

fn body(records: usize, array: bool) -> String {
    let recs: Vec<String> = (0..records).map(record).collect();
    if array {
        format!("[{}]", recs.join(","))
    } else {
        recs.join("\n")
    }
}

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
            let label = format!(
                "{records} records, {}",
                if array { "JSON array" } else { "JSON Lines" }
            );
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
            println!("  ratio: {:.2}x", ours / baseline);
        }
    }
}
