//! Synthetic Custom Webhook log-stream bodies, shaped like the Auth0 samples: one MFA success in
//! 20 (5%), the rest logins, failed logins and token exchanges. Shared by the ingest and bridge
//! benches; `log_id`s are unique per index.
#![allow(dead_code)]

/// A realistic record: an MFA success every 20th, the rest a mix of logins, failures and token
/// exchanges, shaped like the Auth0 samples.
pub fn record(i: usize) -> String {
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

pub fn body(records: usize, array: bool) -> String {
    let recs: Vec<String> = (0..records).map(record).collect();
    if array {
        format!("[{}]", recs.join(","))
    } else {
        recs.join("\n")
    }
}

/// Whether record `i` is an MFA success.
pub fn is_success(i: usize) -> bool {
    i.is_multiple_of(20)
}
