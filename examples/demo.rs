//! The whole Auth0 + Twilio Verify flow on an in-process mock: no credentials, no network.
//!
//! ```sh
//! cargo run --example demo
//! ```
//!
//! It exits 0 only if every step did what it said.

#[path = "support/mock_verify.rs"]
mod mock_verify;

use mock_verify::MockVerify;
use twilio_verify::auth0::{
    FeedbackOutcome, PhoneMessage, SendPhoneMessageEvent, approve, parse_log_batch, plan,
};
use twilio_verify::verify::{CreateVerificationCheck, FetchVerification, VerificationStatus};
use twilio_verify::{Client, ErrorCode, ServiceSid};

const ACCOUNT_SID: &str = "ACaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa";
const AUTH_TOKEN: &str = "demo-auth-token";
const SERVICE_SID: &str = "VAaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa";

/// What Auth0's `send-phone-message` Action receives (and forwards) when a user signs in.
const ACTION_EVENT: &str = r#"{
  "message_options": {
    "action": "second-factor-authentication",
    "code": "482913",
    "message_type": "sms",
    "recipient": "+1 415 555 0134",
    "text": "Your Acme code is 482913"
  },
  "request": {"ip": "198.51.100.23", "method": "POST", "language": "fr-FR", "geoip": {}},
  "tenant": {"id": "acme-prod"},
  "user": {"user_id": "auth0|65a1b2c3d4e5f60718293a4b"},
  "secrets": {}
}"#;

/// What Auth0's Custom Webhook log stream posts after the user typed the right code into Auth0.
const LOG_STREAM_BODY: &str = r#"{"log_id": "90020240115102958000000000000000000000001223372036854775801", "data": {"date": "2024-01-15T10:29:58.000Z", "type": "gd_send_sms", "description": "Guardian - Second factor sms sent", "details": {"authenticator": {"type": "sms", "phone_number": "+14155550134"}}}}
{"log_id": "90020240115103000000000000000000000000001223372036854775802", "data": {"date": "2024-01-15T10:30:00.000Z", "type": "gd_auth_succeed", "description": "Guardian - Second factor authentication succeed (sms)", "user_id": "auth0|65a1b2c3d4e5f60718293a4b", "details": {"authenticator": {"id": "sms|dev_Q2w3", "type": "sms", "phone_number": "+1 415-555-0134"}}}}
{"log_id": "90020240115103001000000000000000000000001223372036854775803", "data": {"date": "2024-01-15T10:30:01.000Z", "type": "s", "description": "Successful login"}}
"#;

/// A step that did not do what it said.
struct Failed(String);

impl<E: std::fmt::Display> From<E> for Failed {
    fn from(e: E) -> Self {
        Self(e.to_string())
    }
}

fn expect(ok: bool, what: &str) -> Result<(), Failed> {
    if ok {
        Ok(())
    } else {
        Err(Failed(what.to_owned()))
    }
}

/// Prints the Verify calls made since `seen`, and returns the new count.
fn show_calls(mock: &MockVerify, seen: usize) -> usize {
    let calls = mock.calls();
    for c in &calls[seen..] {
        println!("     Verify call: {c}");
    }
    calls.len()
}

#[tokio::main]
async fn main() {
    match run().await {
        Ok(()) => {
            println!("\nAll steps did what they said.");
        }
        Err(Failed(why)) => {
            eprintln!("\nDEMO FAILED: {why}");
            std::process::exit(1);
        }
    }
}

async fn run() -> Result<(), Failed> {
    println!(
        "twilio-verify demo: Auth0 MFA through Twilio Verify, on an in-process mock of Verify.\n"
    );
    let mock = MockVerify::start(ACCOUNT_SID, AUTH_TOKEN, SERVICE_SID).await;
    let client = Client::builder()
        .auth_token(ACCOUNT_SID, AUTH_TOKEN)
        .base_url(mock.uri())
        .build()?;
    let service: ServiceSid = SERVICE_SID.parse()?;
    println!("Mock Verify at {} (service {service})\n", mock.uri());
    let mut calls = 0;

    println!("1. Auth0 asks the send-phone-message Action to deliver a code.");
    let event: SendPhoneMessageEvent = serde_json::from_str(ACTION_EVENT)?;
    let message = PhoneMessage::try_from(&event)?;
    println!(
        "   Auth0 generated the code; recipient {:?} normalised to {}, channel {}, locale {}.",
        event.message_options.recipient.as_str(),
        message.recipient,
        message.channel,
        message.locale.unwrap_or("(automatic)")
    );
    let started = message.to_verification(&service).send(&client).await?;
    calls = show_calls(&mock, calls);
    println!(
        "   Verify delivers Auth0's code as CustomCode: verification {} is {}.",
        started.sid.as_ref().map_or("?", |s| s.as_str()),
        started.status.as_ref().map_or("?", |s| s.as_str())
    );
    expect(
        started.is_pending(),
        "the new verification should be pending",
    )?;
    expect(
        mock.code_sent_to("+14155550134").as_deref() == Some("482913"),
        "the phone should have received Auth0's code",
    )?;

    println!("\n2. The user mistypes the code; a check follows.");
    let check = CreateVerificationCheck::new(&service, &message.recipient, "482931")
        .send(&client)
        .await?;
    calls = show_calls(&mock, calls);
    println!(
        "   Wrong code: status {}, valid {:?}. A result, not an error; the verification stays pending.",
        check.status.as_ref().map_or("?", |s| s.as_str()),
        check.valid
    );
    expect(!check.is_approved(), "a wrong code must not be approved")?;
    expect(
        check.status == Some(VerificationStatus::Pending),
        "still pending",
    )?;

    println!("\n3. The user types the right code into Auth0, which checks it itself.");
    println!("   Auth0's log stream then posts a batch with the MFA success.");
    let batch = parse_log_batch(LOG_STREAM_BODY.as_bytes());
    let feedback = plan(&batch.records);
    println!(
        "   {} records ({:?}); {} feedback target; skipped: {}.",
        batch.records.len(),
        batch.format,
        feedback.targets.len(),
        feedback
            .skipped
            .iter()
            .map(|s| format!("{} ({})", s.log_type, s.reason.as_str()))
            .collect::<Vec<_>>()
            .join(", ")
    );
    expect(
        batch.is_clean() && feedback.targets.len() == 1,
        "one MFA success to report",
    )?;
    let report = approve(&client, &service, feedback.targets.clone()).await;
    calls = show_calls(&mock, calls);
    let approved = match &report.outcomes[..] {
        [(_, FeedbackOutcome::Approved(v))] => v.clone(),
        other => {
            return Err(Failed(format!(
                "the feedback call should approve, got {other:?}"
            )));
        }
    };
    println!(
        "   Feedback: verification {} is now {} (this is what feeds Fraud Guard).",
        approved.sid.as_ref().map_or("?", |s| s.as_str()),
        approved.status.as_ref().map_or("?", |s| s.as_str())
    );
    expect(approved.is_approved(), "the feedback call should approve")?;

    println!("\n4. Verify keeps no finished verification: fetching it again answers 20404.");
    let gone = FetchVerification::new(&service, &message.recipient)
        .send(&client)
        .await;
    calls = show_calls(&mock, calls);
    match gone {
        Err(e) if e.code() == Some(ErrorCode::NotFound) => println!("   Gone: {e}"),
        other => return Err(Failed(format!("expected 20404, got {other:?}"))),
    }

    println!("\n5. Auth0 delivers at least once: the same batch arrives again.");
    let again = approve(
        &client,
        &service,
        plan(&parse_log_batch(LOG_STREAM_BODY.as_bytes()).records).targets,
    )
    .await;
    show_calls(&mock, calls);
    println!(
        "   approved {}, nothing pending {}: a repeat is harmless.",
        again.approved(),
        again.nothing_pending()
    );
    expect(
        again.nothing_pending() == 1 && again.approved() == 0,
        "a redelivery finds nothing pending",
    )?;
    expect(mock.pending() == 0, "nothing is left pending")?;
    Ok(())
}
