//! The whole Auth0 + Twilio Verify flow on the crate's fake Verify (`twilio_verify::testing`):
//! no credentials, no network.
//!
//! A user enrols a phone, then signs in with it. Each code Auth0 generates goes out through
//! Verify; each code the user typed is reported back by approving exactly its verification,
//! by SID, as the bridge does. Last, Auth0 finds the user's password in a breach: that notice
//! carries no code, so it goes out as a plain text message through Programmable Messaging.
//!
//! ```sh
//! cargo run --example demo
//! ```
//!
//! It exits 0 only if every step did what it said.

use std::time::Duration;

use twilio_verify::auth0::{
    CustomPhoneProviderEvent, DEFAULT_CODE_TTL, FeedbackOutcome, FeedbackTarget, PhoneDelivery,
    PhoneMessage, Purpose, SendPhoneMessageEvent, SentVerification, parse_log_batch, plan,
    select_verification,
};
use twilio_verify::testing::FakeVerify;
use twilio_verify::verify::{
    CreateVerificationCheck, FetchVerification, UpdateVerification, VerificationStatus,
};
use twilio_verify::{Client, ErrorCode, ServiceSid, Timestamp};

const USER: &str = "auth0|65a1b2c3d4e5f60718293a4b";

/// What Auth0's `send-phone-message` Action receives (and forwards): `action` is `enrollment`
/// when the user enrols the phone, `second-factor-authentication` when they sign in with it.
fn action_event(action: &str, code: &str) -> String {
    format!(
        r#"{{
  "message_options": {{
    "action": "{action}",
    "code": "{code}",
    "message_type": "sms",
    "recipient": "+1 415 555 0134",
    "text": "Your Acme code is {code}"
  }},
  "request": {{"ip": "198.51.100.23", "method": "POST", "language": "fr-FR", "geoip": {{}}}},
  "tenant": {{"id": "acme-prod"}},
  "user": {{"user_id": "{USER}"}},
  "secrets": {{}}
}}"#
    )
}

/// Now plus `secs`, as Auth0 writes a log date.
fn log_date(secs: i64) -> String {
    let now = Timestamp::now();
    Timestamp::from_unix(now.unix() + secs).map_or_else(String::new, |t| t.to_rfc3339())
}

/// What Auth0's Custom Webhook log stream posts after the user typed the code into Auth0:
/// the event that proves it (`gd_enrollment_complete` or `gd_auth_succeed`) among others.
fn log_stream_body(proof: &str, description: &str, id: u8) -> String {
    let (sent, proved, login) = (log_date(1), log_date(2), log_date(3));
    format!(
        r#"{{"log_id": "9002024011510295800000000000000000000000122337203685477{id}1", "data": {{"date": "{sent}", "type": "gd_send_sms", "description": "Guardian - Second factor sms sent", "details": {{"authenticator": {{"type": "sms", "phone_number": "+14155550134"}}}}}}}}
{{"log_id": "9002024011510300000000000000000000000000122337203685477{id}2", "data": {{"date": "{proved}", "type": "{proof}", "description": "{description}", "user_id": "{USER}", "details": {{"authenticator": {{"id": "sms|dev_Q2w3", "type": "sms", "phone_number": "+1 415-555-0134"}}}}}}}}
{{"log_id": "9002024011510300100000000000000000000000122337203685477{id}3", "data": {{"date": "{login}", "type": "s", "description": "Successful login"}}}}
"#
    )
}

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

/// Prints the Twilio calls made since `seen`, and returns the new count.
fn show_calls(fake: &FakeVerify, seen: usize) -> usize {
    let calls = fake.requests();
    for c in &calls[seen..] {
        let status = c.status.map_or("dropped".to_owned(), |s| s.to_string());
        println!("     Twilio call: {} {} -> {status}", c.method, c.path);
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

/// Sends the code of an Action event through Verify, and remembers the verification as the
/// bridge does, so that its approval goes by SID.
async fn send(
    client: &Client,
    service: &ServiceSid,
    fake: &FakeVerify,
    event: &str,
    sent: &mut Vec<SentVerification>,
) -> Result<PhoneMessage, Failed> {
    let event: SendPhoneMessageEvent = serde_json::from_str(event)?;
    let message = PhoneMessage::try_from(&event)?;
    println!(
        "   Auth0 generated the code; recipient {:?} normalised to {}, channel {}, purpose {:?}.",
        event.message_options.recipient.as_str(),
        message.recipient,
        message.channel,
        message.purpose
    );
    let started = message.to_verification(service).send(client).await?;
    let sid = started
        .sid
        .clone()
        .ok_or_else(|| Failed("Verify answered without a SID".into()))?;
    println!(
        "   Verify delivers Auth0's code as CustomCode: verification {sid} is {}.",
        started.status.as_ref().map_or("?", |s| s.as_str())
    );
    expect(
        started.is_pending(),
        "the new verification should be pending",
    )?;
    expect(
        fake.last_code_to("+14155550134").as_deref() == Some(message.code.expose()),
        "the phone should have received Auth0's code",
    )?;
    let created = started.date_created.unwrap_or_else(Timestamp::now);
    sent.push(SentVerification::new(sid, created, message.purpose.clone()).with_user(USER));
    Ok(message)
}

/// Reads a log-stream batch, and approves by SID the verification its one target proves.
async fn approve_by_sid(
    client: &Client,
    service: &ServiceSid,
    body: &str,
    sent: &[SentVerification],
) -> Result<(FeedbackTarget, FeedbackOutcome), Failed> {
    let batch = parse_log_batch(body.as_bytes());
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
    let [target] = &feedback.targets[..] else {
        return Err(Failed("one code to report".into()));
    };
    // The verification created before the event, within the code lifetime, the newest such.
    let chosen = select_verification(target, sent, DEFAULT_CODE_TTL, Timestamp::now())
        .ok_or_else(|| Failed("a remembered verification should fit the event".into()))?;
    println!(
        "   The event proves verification {} (created {}, purpose {:?}).",
        chosen.sid, chosen.created, chosen.purpose
    );
    let result = UpdateVerification::approve(service, &chosen.sid)
        .send(client)
        .await;
    Ok((target.clone(), FeedbackOutcome::of(result)))
}

async fn run() -> Result<(), Failed> {
    println!("twilio-verify demo: Auth0 MFA through Twilio Verify, on the crate's fake Verify.\n");
    // Auth0 generates the codes, so the Service must accept custom codes.
    let fake = FakeVerify::builder()
        .custom_code_enabled(true)
        .start()
        .await;
    let client = fake.client();
    let service = fake.service_sid().clone();
    println!("Fake Verify at {} (service {service})\n", fake.url());
    let mut calls = 0;
    let mut sent = Vec::new();

    println!("1. A user enrols their phone: Auth0 asks the Action to deliver a code.");
    let enrol = send(
        &client,
        &service,
        &fake,
        &action_event("enrollment", "551209"),
        &mut sent,
    )
    .await?;
    calls = show_calls(&fake, calls);
    expect(enrol.purpose == Purpose::Enrollment, "an enrollment code")?;

    println!("\n2. They type it into Auth0, which checks it and logs the enrollment.");
    let body = log_stream_body(
        "gd_enrollment_complete",
        "Guardian - Enrollment complete (sms)",
        1,
    );
    let (target, outcome) = approve_by_sid(&client, &service, &body, &sent).await?;
    calls = show_calls(&fake, calls);
    let FeedbackOutcome::Approved(v) = &outcome else {
        return Err(Failed(format!(
            "the enrollment should be approved, got {outcome:?}"
        )));
    };
    println!(
        "   Feedback: {:?} for log {}; verification {} is now {} (this is what feeds Fraud Guard).",
        target.purpose,
        target.log_id,
        v.sid.as_ref().map_or("?", |s| s.as_str()),
        v.status.as_ref().map_or("?", |s| s.as_str())
    );
    expect(v.is_approved(), "the enrollment's verification is approved")?;

    // Later codes are created later than the enrollment's.
    tokio::time::sleep(Duration::from_millis(1100)).await;
    println!("\n3. Later, the user signs in: a new code goes out.");
    let login = send(
        &client,
        &service,
        &fake,
        &action_event("second-factor-authentication", "482913"),
        &mut sent,
    )
    .await?;
    calls = show_calls(&fake, calls);

    println!("\n4. The user mistypes the code; a check follows.");
    let check = CreateVerificationCheck::new(&service, &login.recipient, "482931")
        .send(&client)
        .await?;
    calls = show_calls(&fake, calls);
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

    println!(
        "\n5. The user types the right code into Auth0; the log stream posts the MFA success."
    );
    let body = log_stream_body(
        "gd_auth_succeed",
        "Guardian - Second factor authentication succeed (sms)",
        2,
    );
    let (_, outcome) = approve_by_sid(&client, &service, &body, &sent).await?;
    calls = show_calls(&fake, calls);
    let FeedbackOutcome::Approved(v) = &outcome else {
        return Err(Failed(format!(
            "the login should be approved, got {outcome:?}"
        )));
    };
    expect(
        v.sid.as_ref() == sent.last().map(|s| &s.sid),
        "the login's own verification is approved, not the enrollment's",
    )?;
    println!(
        "   Feedback: verification {} is now {}.",
        v.sid.as_ref().map_or("?", |s| s.as_str()),
        v.status.as_ref().map_or("?", |s| s.as_str())
    );

    println!("\n6. Verify keeps no finished verification: fetching it again answers 20404.");
    let gone = FetchVerification::new(&service, &login.recipient)
        .send(&client)
        .await;
    calls = show_calls(&fake, calls);
    match gone {
        Err(e) if e.code() == Some(ErrorCode::NotFound) => println!("   Gone: {e}"),
        other => return Err(Failed(format!("expected 20404, got {other:?}"))),
    }

    println!("\n7. Auth0 delivers at least once: the same batch arrives again.");
    let (_, again) = approve_by_sid(&client, &service, &body, &sent).await?;
    calls = show_calls(&fake, calls);
    println!("   {again:?}: a repeat is harmless.");
    expect(
        matches!(again, FeedbackOutcome::NothingPending),
        "a redelivery finds nothing pending",
    )?;
    expect(fake.pending_verifications() == 0, "nothing is left pending")?;

    println!(
        "\n8. Auth0 finds the user's password in a breach: the custom phone provider gets a notice."
    );
    let event: CustomPhoneProviderEvent = serde_json::from_str(BREACH_EVENT)?;
    let PhoneDelivery::Notice(notice) = PhoneDelivery::try_from(&event)? else {
        return Err(Failed("a breach notice carries no code".into()));
    };
    let from = notice.from.clone().unwrap_or_default();
    let Some(message) = notice.to_message(client.account_sid(), from) else {
        return Err(Failed("a text notice becomes a text message".into()));
    };
    let sent_message = message.send(&client).await?;
    show_calls(&fake, calls);
    println!(
        "   {:?} is a notice, not a code: sent as text message {} ({}).",
        notice.kind,
        sent_message.sid.as_ref().map_or("?", |s| s.as_str()),
        sent_message.status.as_ref().map_or("?", |s| s.as_str())
    );
    let texts: Vec<String> = fake
        .messages()
        .into_iter()
        .filter(|m| m.to == "+14155550134")
        .filter_map(|m| m.body)
        .collect();
    expect(
        texts.len() == 1 && texts[0].contains("breach"),
        "the user's phone received the breach notice",
    )?;
    expect(
        fake.pending_verifications() == 0,
        "no verification was started for a notice",
    )?;
    Ok(())
}

/// What Auth0's `custom-phone-provider` Action receives for a breached password: Auth0's rendered
/// text, no code, and the From number set in its phone provider.
const BREACH_EVENT: &str = r#"{
  "notification": {
    "message_type": "password_breach", "delivery_method": "text",
    "recipient": "+1 415 555 0134", "from": "+15557654321",
    "as_text": "Acme: your password appeared in a data breach. Please change it.",
    "as_voice": "Acme: your password appeared in a data breach."
  },
  "tenant": {"id": "acme-prod"}, "secrets": {}
}"#;
