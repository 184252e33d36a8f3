//! The `verify` example run end to end against wiremock: exit codes, `--json`, and "nothing
//! sent" on bad input. Needs the example built (`cargo test` builds every example first).
#![cfg(feature = "client")]

mod common;

use std::path::PathBuf;
use std::process::Output;

use common::{
    ACCOUNT_SID, AUTH_TOKEN, SERVICE_SID, VERIFICATION_SID, expect, expect_form, forbid_calls,
    hits, json,
};
use wiremock::{MockServer, ResponseTemplate};

fn binary() -> PathBuf {
    let exe = std::env::current_exe().expect("test binary path");
    let dir = exe.parent().and_then(|d| d.parent()).expect("target dir");
    let bin = dir
        .join("examples")
        .join(format!("verify{}", std::env::consts::EXE_SUFFIX));
    assert!(
        bin.exists(),
        "{} is missing: run `cargo test` (which builds the examples) or `cargo build --example verify`",
        bin.display()
    );
    bin
}

async fn run(server: &MockServer, args: &[&str]) -> Output {
    let mut cmd = tokio::process::Command::new(binary());
    cmd.env_clear()
        .env("TWILIO_ACCOUNT_SID", ACCOUNT_SID)
        .env("TWILIO_AUTH_TOKEN", AUTH_TOKEN)
        .env("TWILIO_VERIFY_SERVICE_SID", SERVICE_SID)
        .env("TWILIO_VERIFY_BASE_URL", server.uri())
        .args(args);
    cmd.output().await.expect("runs")
}

fn code(o: &Output) -> i32 {
    o.status.code().unwrap_or(-1)
}

fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

fn verifications() -> String {
    format!("/v2/Services/{SERVICE_SID}/Verifications")
}

#[tokio::test]
async fn send_prints_a_line_or_json() {
    let server = MockServer::start().await;
    expect_form(
        &verifications(),
        "To=%2B15017122661&Channel=call&Locale=de&CustomCode=4821",
    )
    .respond_with(json(201, "verify/verification_sms.json"))
    .expect(2)
    .mount(&server)
    .await;
    let args = [
        "send",
        "+1 501 712 2661",
        "--channel",
        "call",
        "--custom-code",
        "4821",
        "--locale",
        "de",
    ];
    let o = run(&server, &args).await;
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    assert!(
        stdout(&o).contains(&format!("sent {VERIFICATION_SID}")),
        "{}",
        stdout(&o)
    );
    let mut with_json = args.to_vec();
    with_json.push("--json");
    let o = run(&server, &with_json).await;
    assert_eq!(code(&o), 0);
    let v: serde_json::Value = serde_json::from_str(&stdout(&o)).expect("JSON output");
    assert_eq!(v["sid"], VERIFICATION_SID);
    assert_eq!(v["status"], "pending");
}

#[tokio::test]
async fn check_exits_0_only_when_approved() {
    let server = MockServer::start().await;
    let check = format!("/v2/Services/{SERVICE_SID}/VerificationCheck");
    expect_form(&check, "Code=123456&To=%2B15017122661")
        .respond_with(json(200, "verify/check_approved.json"))
        .expect(1)
        .mount(&server)
        .await;
    expect_form(&check, "Code=000000&To=%2B15017122661")
        .respond_with(json(200, "verify/check_wrong_code.json"))
        .expect(1)
        .mount(&server)
        .await;
    expect_form(
        &check,
        &format!("Code=123456&VerificationSid={VERIFICATION_SID}"),
    )
    .respond_with(json(200, "verify/check_approved.json"))
    .expect(1)
    .mount(&server)
    .await;
    let o = run(&server, &["check", "+15017122661", "123456"]).await;
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    assert_eq!(stdout(&o).trim(), "approved");
    let o = run(&server, &["check", "+15017122661", "000000"]).await;
    assert_eq!(code(&o), 1);
    assert!(stderr(&o).contains("not approved"), "{}", stderr(&o));
    let o = run(&server, &["check", "--sid", VERIFICATION_SID, "123456"]).await;
    assert_eq!(code(&o), 0, "{}", stderr(&o));
}

#[tokio::test]
async fn twilio_refusing_is_exit_1_with_code_and_message() {
    let server = MockServer::start().await;
    expect("POST", &verifications())
        .respond_with(ResponseTemplate::new(429).set_body_raw(
            r#"{"code": 60203, "message": "Max send attempts reached", "more_info": "https://www.twilio.com/docs/errors/60203", "status": 429}"#,
            "application/json",
        ))
        .mount(&server)
        .await;
    let o = run(&server, &["send", "+15017122661"]).await;
    assert_eq!(code(&o), 1);
    let err = stderr(&o);
    assert!(
        err.contains("60203") && err.contains("Max send attempts reached"),
        "{err}"
    );
}

#[tokio::test]
async fn approve_cancel_and_fetch() {
    let server = MockServer::start().await;
    expect_form(
        &format!("{}/+15017122661", verifications()),
        "Status=approved",
    )
    .respond_with(json(200, "verify/verification_approved.json"))
    .expect(1)
    .mount(&server)
    .await;
    expect_form(
        &format!("{}/{VERIFICATION_SID}", verifications()),
        "Status=canceled",
    )
    .respond_with(json(200, "verify/verification_canceled.json"))
    .expect(1)
    .mount(&server)
    .await;
    expect("GET", &format!("{}/+15017122661", verifications()))
        .respond_with(ResponseTemplate::new(404).set_body_raw(
            r#"{"code": 20404, "message": "not found", "status": 404}"#,
            "application/json",
        ))
        .expect(1)
        .mount(&server)
        .await;
    let o = run(&server, &["approve", "+1 501 712 2661"]).await;
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    assert!(stdout(&o).contains("approved"));
    let o = run(&server, &["cancel", VERIFICATION_SID]).await;
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    assert!(stdout(&o).contains("canceled"));
    let o = run(&server, &["fetch", "+15017122661"]).await;
    assert_eq!(code(&o), 1);
    assert!(stderr(&o).contains("20404"));
}

#[tokio::test]
async fn services_commands() {
    let server = MockServer::start().await;
    expect("GET", "/v2/Services")
        .respond_with(json(200, "verify/services_page2.json"))
        .expect(1)
        .mount(&server)
        .await;
    expect_form(
        "/v2/Services",
        "FriendlyName=Acme&CodeLength=6&CustomCodeEnabled=true",
    )
    .respond_with(json(201, "verify/service.json"))
    .expect(1)
    .mount(&server)
    .await;
    expect_form(
        &format!("/v2/Services/{SERVICE_SID}"),
        "LookupEnabled=false",
    )
    .respond_with(json(200, "verify/service.json"))
    .expect(1)
    .mount(&server)
    .await;
    expect("DELETE", &format!("/v2/Services/{SERVICE_SID}"))
        .respond_with(ResponseTemplate::new(204))
        .expect(1)
        .mount(&server)
        .await;
    let o = run(&server, &["services", "list", "--json"]).await;
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    let v: serde_json::Value = serde_json::from_str(&stdout(&o)).expect("JSON");
    assert_eq!(v[0]["friendly_name"], "Acme Signup");
    let o = run(
        &server,
        &[
            "services",
            "create",
            "Acme",
            "--code-length",
            "6",
            "--custom-code-enabled",
            "true",
        ],
    )
    .await;
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    let o = run(
        &server,
        &[
            "services",
            "update",
            SERVICE_SID,
            "--lookup-enabled",
            "false",
        ],
    )
    .await;
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    let o = run(&server, &["services", "delete", SERVICE_SID]).await;
    assert_eq!(code(&o), 0, "{}", stderr(&o));
}

#[tokio::test]
async fn bad_input_exits_2_and_sends_nothing() {
    let server = MockServer::start().await;
    forbid_calls(&server).await;
    for args in [
        &["send", "501 712 2661"][..],
        &["send", "+15017122661", "--channel", "pigeon"],
        &["send", "+15017122661", "--custom-code", "12"],
        &["check", "+15017122661", ""],
        &["check", "--sid", "+15017122661", "123456"],
        &["approve", "not a number"],
        &["fetch", "VE123"],
        &["services", "fetch", "AC0123"],
        &["services", "create", "Acme", "--code-length", "11"],
        &[
            "--service",
            "AC0123456789abcdef0123456789abcdef",
            "send",
            "+15017122661",
        ],
        &["frobnicate"],
    ] {
        let o = run(&server, args).await;
        assert_eq!(code(&o), 2, "{args:?}: {}", stderr(&o));
    }
    assert_eq!(hits(&server).await, 0);
}

#[tokio::test]
async fn safelist_and_attempts_commands() {
    let server = MockServer::start().await;
    expect_form("/v2/SafeList/Numbers", "PhoneNumber=%2B15017122661")
        .respond_with(json(201, "verify/safelist.json"))
        .expect(1)
        .mount(&server)
        .await;
    expect("GET", "/v2/SafeList/Numbers/+15017122661")
        .respond_with(ResponseTemplate::new(404).set_body_raw(
            r#"{"code": 20404, "message": "not found", "status": 404}"#,
            "application/json",
        ))
        .expect(1)
        .mount(&server)
        .await;
    expect("GET", "/v2/Attempts")
        .respond_with(json(200, "verify/attempts_page.json"))
        .expect(1)
        .mount(&server)
        .await;
    expect("GET", "/v2/Attempts/Summary")
        .respond_with(json(200, "verify/attempts_summary.json"))
        .expect(1)
        .mount(&server)
        .await;
    let o = run(&server, &["safelist", "add", "+1 501 712 2661"]).await;
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    let o = run(&server, &["safelist", "get", "+15017122661"]).await;
    assert_eq!(code(&o), 1, "not listed is exit 1");
    let o = run(
        &server,
        &[
            "attempts",
            "list",
            "--channel",
            "sms",
            "--status",
            "unconverted",
            "--country",
            "CO",
            "--json",
        ],
    )
    .await;
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    let v: serde_json::Value = serde_json::from_str(&stdout(&o)).expect("JSON");
    assert_eq!(v[0]["conversion_status"], "unconverted");
    let sent = server.received_requests().await.expect("recorded");
    let list = sent
        .iter()
        .find(|r| r.url.path() == "/v2/Attempts")
        .expect("list sent");
    assert_eq!(
        list.url.query(),
        Some("Country=CO&Channel=sms&Status=unconverted&PageSize=50")
    );
    let o = run(&server, &["attempts", "summary"]).await;
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    assert!(
        stdout(&o).contains("40 attempts, 31 converted"),
        "{}",
        stdout(&o)
    );
    for bad in [
        &["safelist", "add", "5017122661"][..],
        &["attempts", "list", "--status", "maybe"],
        &["attempts", "list", "--after", "yesterday"],
    ] {
        assert_eq!(code(&run(&server, bad).await), 2, "{bad:?}");
    }
}

#[tokio::test]
async fn rate_limits_commands() {
    let server = MockServer::start().await;
    let limits = format!("/v2/Services/{SERVICE_SID}/RateLimits");
    let rk = "RKaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa";
    expect_form(&limits, "UniqueName=end_user_ip_address")
        .respond_with(json(201, "verify/rate_limit.json"))
        .expect(1)
        .mount(&server)
        .await;
    expect_form(&format!("{limits}/{rk}/Buckets"), "Max=5&Interval=60")
        .respond_with(json(201, "verify/bucket.json"))
        .expect(1)
        .mount(&server)
        .await;
    expect("GET", &limits)
        .respond_with(json(200, "verify/rate_limits_page.json"))
        .expect(1)
        .mount(&server)
        .await;
    expect("GET", &format!("{limits}/{rk}/Buckets"))
        .respond_with(json(200, "verify/buckets_page.json"))
        .expect(1)
        .mount(&server)
        .await;
    let o = run(
        &server,
        &[
            "rate-limits",
            "create",
            "end_user_ip_address",
            "--max",
            "5",
            "--interval",
            "60",
        ],
    )
    .await;
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    let o = run(&server, &["rate-limits", "list"]).await;
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    assert!(
        stdout(&o).contains("end_user_ip_address  5/60s"),
        "{}",
        stdout(&o)
    );
    for bad in [
        &["rate-limits", "create", "x", "--max", "5"][..],
        &["rate-limits", "delete", "VA0"],
        &[
            "rate-limits",
            "create",
            "x",
            "--max",
            "0",
            "--interval",
            "1",
        ],
    ] {
        assert_eq!(code(&run(&server, bad).await), 2, "{bad:?}");
    }
}
