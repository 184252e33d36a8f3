//! The public fake Verify (`testing` feature): each of Verify's rules, played through the
//! crate's own client, so the fake receives exactly the wire forms the wiremock suites pin.
#![cfg(feature = "testing")]

use std::time::Duration;

use twilio_verify::messaging::{CreateCall, CreateMessage};
use twilio_verify::testing::{FakeVerify, Fault};
use twilio_verify::verify::{
    Channel, CreateService, CreateVerification, CreateVerificationCheck, DeleteService,
    FetchService, FetchVerification, ListServices, UpdateService, UpdateVerification,
    VerificationStatus,
};
use twilio_verify::{Client, Error, ErrorCode, RetryPolicy, ServiceSid};

const PHONE: &str = "+14155550134";

async fn send(fake: &FakeVerify, client: &Client) -> twilio_verify::Result<()> {
    CreateVerification::new(fake.service_sid(), PHONE, Channel::Sms)
        .send(client)
        .await
        .map(drop)
}

async fn check(fake: &FakeVerify, client: &Client, code: &str) -> twilio_verify::Result<bool> {
    CreateVerificationCheck::new(fake.service_sid(), PHONE, code)
        .send(client)
        .await
        .map(|c| c.is_approved())
}

fn code_of(e: &Error) -> Option<(u16, u32)> {
    Some((e.status()?, e.code()?.number()))
}

/// A code that is not `code` and has its length.
fn wrong(code: &str) -> String {
    code.chars()
        .map(|c| if c == '1' { '2' } else { '1' })
        .collect()
}

#[tokio::test]
async fn sign_up_flow_sends_a_code_the_test_reads_and_the_check_approves() {
    let fake = FakeVerify::start().await;
    let client = fake.client();
    let sent = CreateVerification::new(fake.service_sid(), PHONE, Channel::Sms)
        .send(&client)
        .await
        .expect("sent");
    assert_eq!(sent.status, Some(VerificationStatus::Pending));
    let code = fake.last_code_to(PHONE).expect("the SMS carried a code");
    assert_eq!(code.len(), 6);
    assert!(code.bytes().all(|b| b.is_ascii_digit()));
    let codes = fake.sent_codes();
    assert_eq!(codes.len(), 1);
    assert_eq!(Some(&codes[0].verification_sid), sent.sid.as_ref());
    assert_eq!(codes[0].channel, "sms");

    assert!(check(&fake, &client, &code).await.expect("checked"));
    // Approved means gone: Verify answers 20404 for it from now on.
    let gone = FetchVerification::new(fake.service_sid(), PHONE)
        .send(&client)
        .await
        .expect_err("gone");
    assert_eq!(code_of(&gone), Some((404, 20404)));
    let again = check(&fake, &client, &code).await.expect_err("gone");
    assert_eq!(code_of(&again), Some((404, 20404)));
}

#[tokio::test]
async fn a_code_expires_after_ten_minutes_on_the_fakes_clock() {
    let fake = FakeVerify::start().await;
    let client = fake.client();
    send(&fake, &client).await.expect("sent");
    let code = fake.last_code_to(PHONE).expect("code");
    fake.advance(Duration::from_secs(599));
    FetchVerification::new(fake.service_sid(), PHONE)
        .send(&client)
        .await
        .expect("still pending at 9:59");
    fake.advance(Duration::from_secs(1));
    let e = check(&fake, &client, &code).await.expect_err("expired");
    assert_eq!(code_of(&e), Some((404, 20404)));
    // A new send after expiry starts a new verification with a new SID.
    send(&fake, &client).await.expect("sent again");
    let codes = fake.sent_codes();
    assert_ne!(codes[0].verification_sid, codes[1].verification_sid);
}

#[tokio::test]
async fn code_ttl_is_a_setting_of_the_fake() {
    let fake = FakeVerify::builder()
        .code_ttl(Duration::from_secs(120))
        .start()
        .await;
    let client = fake.client();
    send(&fake, &client).await.expect("sent");
    fake.advance(Duration::from_secs(120));
    let e = FetchVerification::new(fake.service_sid(), PHONE)
        .send(&client)
        .await
        .expect_err("expired after two minutes");
    assert_eq!(code_of(&e), Some((404, 20404)));
}

#[tokio::test]
async fn five_sends_resend_the_same_code_and_the_sixth_is_60203() {
    let fake = FakeVerify::start().await;
    let client = fake.client();
    for _ in 0..5 {
        send(&fake, &client).await.expect("sent");
    }
    let codes = fake.sent_codes();
    assert_eq!(codes.len(), 5);
    assert!(codes.iter().all(|c| c.code == codes[0].code));
    assert!(
        codes
            .iter()
            .all(|c| c.verification_sid == codes[0].verification_sid)
    );
    let e = send(&fake, &client).await.expect_err("sixth send");
    assert_eq!(code_of(&e), Some((429, 60203)));
    assert_eq!(e.code(), Some(ErrorCode::MaxSendAttempts));
    assert_eq!(
        fake.sent_codes().len(),
        5,
        "nothing sent for the refused send"
    );
    let v = FetchVerification::new(fake.service_sid(), PHONE)
        .send(&client)
        .await
        .expect("fetched");
    assert_eq!(v.send_code_attempts.map(|a| a.len()), Some(5));
}

#[tokio::test]
async fn five_wrong_checks_are_answered_then_every_check_is_60202() {
    let fake = FakeVerify::start().await;
    let client = fake.client();
    send(&fake, &client).await.expect("sent");
    let code = fake.last_code_to(PHONE).expect("code");
    for _ in 0..5 {
        assert!(
            !check(&fake, &client, &wrong(&code))
                .await
                .expect("answered")
        );
    }
    // Even the right code: the verification is spent until it expires or is canceled.
    let e = check(&fake, &client, &code).await.expect_err("sixth check");
    assert_eq!(code_of(&e), Some((429, 60202)));
    let v = FetchVerification::new(fake.service_sid(), PHONE)
        .send(&client)
        .await
        .expect("fetched");
    assert_eq!(v.status, Some(VerificationStatus::MaxAttemptsReached));
}

#[tokio::test]
async fn the_right_code_on_the_fifth_check_still_approves() {
    let fake = FakeVerify::start().await;
    let client = fake.client();
    send(&fake, &client).await.expect("sent");
    let code = fake.last_code_to(PHONE).expect("code");
    for _ in 0..4 {
        assert!(
            !check(&fake, &client, &wrong(&code))
                .await
                .expect("answered")
        );
    }
    assert!(check(&fake, &client, &code).await.expect("fifth check"));
}

#[tokio::test]
async fn approve_by_sid_and_cancel_by_phone_make_the_verification_gone() {
    let fake = FakeVerify::start().await;
    let client = fake.client();
    let v = CreateVerification::new(fake.service_sid(), PHONE, Channel::Sms)
        .send(&client)
        .await
        .expect("sent");
    let sid = v.sid.expect("sid");
    let approved = UpdateVerification::approve(fake.service_sid(), &sid)
        .send(&client)
        .await
        .expect("approved");
    assert_eq!(approved.status, Some(VerificationStatus::Approved));
    let e = UpdateVerification::approve(fake.service_sid(), &sid)
        .send(&client)
        .await
        .expect_err("approved twice");
    assert_eq!(code_of(&e), Some((404, 20404)));

    send(&fake, &client).await.expect("sent");
    let canceled = UpdateVerification::cancel(fake.service_sid(), PHONE)
        .send(&client)
        .await
        .expect("canceled by phone");
    assert_eq!(canceled.status, Some(VerificationStatus::Canceled));
    let code = fake.last_code_to(PHONE).expect("code");
    let e = check(&fake, &client, &code).await.expect_err("canceled");
    assert_eq!(code_of(&e), Some((404, 20404)));
}

#[tokio::test]
async fn a_custom_code_needs_a_service_that_allows_it() {
    let fake = FakeVerify::start().await;
    let client = fake.client();
    let e = CreateVerification::new(fake.service_sid(), PHONE, Channel::Sms)
        .custom_code("482913")
        .send(&client)
        .await
        .expect_err("custom codes are off");
    assert_eq!(code_of(&e), Some((403, 60204)));
    assert!(fake.sent_codes().is_empty(), "nothing sent");

    UpdateService::new(fake.service_sid().clone())
        .custom_code_enabled(true)
        .send(&client)
        .await
        .expect("enabled");
    CreateVerification::new(fake.service_sid(), PHONE, Channel::Sms)
        .custom_code("482913")
        .send(&client)
        .await
        .expect("sent");
    assert_eq!(fake.last_code_to(PHONE).as_deref(), Some("482913"));
    assert!(check(&fake, &client, "482913").await.expect("checked"));
}

#[tokio::test]
async fn a_resend_with_a_new_custom_code_carries_the_new_code() {
    let fake = FakeVerify::builder()
        .custom_code_enabled(true)
        .start()
        .await;
    let client = fake.client();
    for code in ["111111", "222222"] {
        CreateVerification::new(fake.service_sid(), PHONE, Channel::Sms)
            .custom_code(code)
            .send(&client)
            .await
            .expect("sent");
    }
    let codes = fake.sent_codes();
    assert_eq!(codes[0].verification_sid, codes[1].verification_sid);
    assert!(!check(&fake, &client, "111111").await.expect("answered"));
    assert!(check(&fake, &client, "222222").await.expect("answered"));
}

#[tokio::test]
async fn generated_codes_have_the_services_code_length() {
    let fake = FakeVerify::builder().code_length(8).start().await;
    let client = fake.client();
    send(&fake, &client).await.expect("sent");
    assert_eq!(fake.last_code_to(PHONE).map(|c| c.len()), Some(8));

    let four = CreateService::new("Four digits")
        .code_length(4)
        .send(&client)
        .await
        .expect("created");
    assert_eq!(four.code_length, 4);
    let sid = four.sid.expect("sid");
    CreateVerification::new(&sid, "+14155550199", Channel::Call)
        .send(&client)
        .await
        .expect("sent");
    assert_eq!(fake.last_code_to("+14155550199").map(|c| c.len()), Some(4));
}

#[tokio::test]
async fn services_are_created_fetched_listed_updated_and_deleted() {
    let fake = FakeVerify::start().await;
    let client = fake.client();
    let mut made: Vec<ServiceSid> = Vec::new();
    for name in ["One", "Two"] {
        let s = CreateService::new(name)
            .lookup_enabled(true)
            .send(&client)
            .await
            .expect("created");
        assert_eq!(s.friendly_name.as_deref(), Some(name));
        assert_eq!(s.lookup_enabled, Some(true));
        assert_eq!(s.custom_code_enabled, Some(false));
        made.push(s.sid.expect("sid"));
    }
    let all = ListServices::new()
        .page_size(1)
        .all(&client)
        .await
        .expect("listed");
    let names: Vec<_> = all.iter().filter_map(|s| s.friendly_name.clone()).collect();
    assert_eq!(names, ["Fake Verify Service", "One", "Two"]);

    let updated = UpdateService::new(made[0].clone())
        .friendly_name("Renamed")
        .send(&client)
        .await
        .expect("updated");
    assert_eq!(updated.friendly_name.as_deref(), Some("Renamed"));
    assert_eq!(updated.lookup_enabled, Some(true), "other settings kept");

    DeleteService::new(made[1].clone())
        .send(&client)
        .await
        .expect("deleted");
    let e = FetchService::new(made[1].clone())
        .send(&client)
        .await
        .expect_err("gone");
    assert_eq!(code_of(&e), Some((404, 20404)));
}

#[tokio::test]
async fn a_friendly_name_over_32_characters_is_60200() {
    let fake = FakeVerify::start().await;
    let raw = reqwest::Client::new()
        .post(format!("{}/v2/Services", fake.url()))
        .basic_auth(fake.account_sid().as_str(), Some(fake.auth_token()))
        .header("content-type", "application/x-www-form-urlencoded")
        .body(format!("FriendlyName={}", "x".repeat(33)))
        .send()
        .await
        .expect("answered");
    assert_eq!(raw.status().as_u16(), 400);
    let body: serde_json::Value =
        serde_json::from_str(&raw.text().await.expect("body")).expect("json");
    assert_eq!(body["code"], 60200);
    assert_eq!(body["message"], "Invalid parameter: FriendlyName");
    assert_eq!(
        body["more_info"],
        "https://www.twilio.com/docs/errors/60200"
    );
}

#[tokio::test]
async fn every_channel_sends_and_records_its_channel() {
    let fake = FakeVerify::start().await;
    let client = fake.client();
    let cases = [
        (Channel::Sms, "+14155550101", "sms"),
        (Channel::Call, "+14155550102", "call"),
        (Channel::Whatsapp, "+14155550103", "whatsapp"),
        (Channel::Email, "user@example.com", "email"),
        (Channel::Sna, "+14155550105", "sna"),
    ];
    for (channel, to, name) in cases {
        let v = CreateVerification::new(fake.service_sid(), to, channel)
            .send(&client)
            .await
            .expect("sent");
        assert_eq!(v.to.as_ref().map(|t| t.as_str()), Some(to));
        let sent = fake.sent_codes();
        assert_eq!(sent.last().map(|s| s.channel.as_str()), Some(name));
        assert_eq!(v.sna.is_some(), name == "sna", "sna carries its URL");
    }
}

#[tokio::test]
async fn a_number_that_is_not_e164_is_60200_for_a_raw_caller() {
    let fake = FakeVerify::start().await;
    let raw = reqwest::Client::new()
        .post(format!(
            "{}/v2/Services/{}/Verifications",
            fake.url(),
            fake.service_sid()
        ))
        .basic_auth(fake.account_sid().as_str(), Some(fake.auth_token()))
        .header("content-type", "application/x-www-form-urlencoded")
        .body("To=4155550134&Channel=sms")
        .send()
        .await
        .expect("answered");
    assert_eq!(raw.status().as_u16(), 400);
    let body: serde_json::Value =
        serde_json::from_str(&raw.text().await.expect("body")).expect("json");
    assert_eq!(body["code"], 60200);
    assert!(fake.sent_codes().is_empty());
}

#[tokio::test]
async fn wrong_credentials_are_401_with_20003() {
    let fake = FakeVerify::start().await;
    let stranger = Client::builder()
        .auth_token(fake.account_sid(), "not-the-token")
        .base_url(fake.url())
        .build()
        .expect("client");
    let e = send(&fake, &stranger).await.expect_err("refused");
    assert_eq!(code_of(&e), Some((401, 20003)));
    assert!(fake.sent_codes().is_empty());
}

#[tokio::test]
async fn every_request_can_be_inspected() {
    let fake = FakeVerify::builder()
        .custom_code_enabled(true)
        .start()
        .await;
    let client = fake.client();
    CreateVerification::new(fake.service_sid(), "+1 (415) 555-0134", Channel::Sms)
        .custom_code("482913")
        .locale("fr")
        .send(&client)
        .await
        .expect("sent");
    let requests = fake.requests();
    assert_eq!(requests.len(), 1);
    let r = &requests[0];
    assert_eq!(r.method, "POST");
    assert_eq!(
        r.path,
        format!("/v2/Services/{}/Verifications", fake.service_sid())
    );
    assert_eq!(r.param("To"), Some(PHONE), "normalised by the client");
    assert_eq!(r.param("Channel"), Some("sms"));
    assert_eq!(r.param("CustomCode"), Some("482913"));
    assert_eq!(r.param("Locale"), Some("fr"));
    assert_eq!(r.status, Some(201));
}

#[tokio::test]
async fn sids_are_random_with_the_right_prefix() {
    let (a, b) = (FakeVerify::start().await, FakeVerify::start().await);
    assert_ne!(a.account_sid(), b.account_sid());
    assert_ne!(a.service_sid(), b.service_sid());
    assert!(a.account_sid().is_well_formed() && a.service_sid().is_well_formed());
    let client = a.client();
    let mut sids = Vec::new();
    for to in ["+14155550101", "+14155550102"] {
        let v = CreateVerification::new(a.service_sid(), to, Channel::Sms)
            .send(&client)
            .await
            .expect("sent");
        let sid = v.sid.expect("sid");
        assert!(sid.is_well_formed(), "{sid}");
        sids.push(sid);
    }
    assert_ne!(sids[0], sids[1]);
}

#[tokio::test]
async fn a_429_fault_is_20429_and_nothing_is_sent() {
    let fake = FakeVerify::start().await;
    let client = fake
        .client_builder()
        .retry(RetryPolicy::never())
        .build()
        .expect("client");
    fake.fail_next(Fault::TooManyRequests);
    let e = send(&fake, &client).await.expect_err("429");
    assert_eq!(code_of(&e), Some((429, 20429)));
    assert!(e.is_unprocessed());
    assert!(fake.sent_codes().is_empty());
    send(&fake, &client)
        .await
        .expect("the next request is served");
}

#[tokio::test]
async fn the_default_client_retries_a_429_and_the_fake_sees_both_attempts() {
    let fake = FakeVerify::start().await;
    let client = fake.client();
    fake.fail_next(Fault::TooManyRequests);
    send(&fake, &client)
        .await
        .expect("sent on the second attempt");
    let statuses: Vec<_> = fake.requests().iter().map(|r| r.status).collect();
    assert_eq!(statuses, [Some(429), Some(201)]);
    assert_eq!(fake.sent_codes().len(), 1);
}

#[tokio::test]
async fn a_5xx_fault_keeps_its_status_and_a_post_is_not_resent() {
    let fake = FakeVerify::start().await;
    let client = fake.client();
    fake.fail_next(Fault::ServerError(503));
    let e = send(&fake, &client).await.expect_err("503");
    assert_eq!(code_of(&e), Some((503, 20503)));
    assert_eq!(
        fake.requests().len(),
        1,
        "a POST that may have arrived is sent once"
    );
}

#[tokio::test]
async fn a_slow_answer_times_the_client_out_after_the_code_was_sent() {
    let fake = FakeVerify::start().await;
    let client = fake
        .client_builder()
        .timeout(Duration::from_millis(100))
        .build()
        .expect("client");
    fake.fail_next(Fault::Slow(Duration::from_secs(2)));
    let e = send(&fake, &client).await.expect_err("timed out");
    assert!(e.is_timeout(), "{e:?}");
    assert_eq!(fake.sent_codes().len(), 1, "Twilio was slow, not idle");
    assert_eq!(fake.requests().len(), 1, "not resent");
}

#[tokio::test]
async fn a_dropped_connection_is_a_transport_error_and_nothing_is_sent() {
    let fake = FakeVerify::start().await;
    let client = fake.client();
    fake.fail_next(Fault::DropConnection);
    let e = send(&fake, &client).await.expect_err("dropped");
    assert!(e.status().is_none(), "no answer at all: {e:?}");
    assert!(fake.sent_codes().is_empty());
    assert_eq!(fake.requests()[0].status, None);
}

#[tokio::test]
async fn a_drop_after_the_send_texts_once_and_the_client_does_not_resend() {
    let fake = FakeVerify::start().await;
    let client = fake.client();
    fake.fail_next(Fault::DropAfterProcessing);
    let e = send(&fake, &client).await.expect_err("dropped");
    assert!(!e.is_unprocessed(), "it may have been processed: {e:?}");
    assert_eq!(fake.sent_codes().len(), 1);
    assert_eq!(fake.requests().len(), 1);
}

#[tokio::test]
async fn messages_and_calls_are_recorded() {
    let fake = FakeVerify::start().await;
    let client = fake.client();
    let m = CreateMessage::text(
        fake.account_sid(),
        PHONE,
        "+15557654321",
        "Your password was found in a breach.",
    )
    .send(&client)
    .await
    .expect("sent");
    let c = CreateCall::say(fake.account_sid(), PHONE, "+15557654321", "Hello & bye")
        .send(&client)
        .await
        .expect("placed");
    let messages = fake.messages();
    assert_eq!(messages.len(), 1);
    assert_eq!(Some(&messages[0].sid), m.sid.as_ref());
    assert_eq!(messages[0].to, PHONE);
    assert_eq!(
        messages[0].body.as_deref(),
        Some("Your password was found in a breach.")
    );
    let calls = fake.calls();
    assert_eq!(Some(&calls[0].sid), c.sid.as_ref());
    assert_eq!(
        calls[0].twiml.as_deref(),
        Some("<Response><Say>Hello &amp; bye</Say></Response>")
    );
    assert!(fake.sent_codes().is_empty(), "no Verify code went out");
}

#[tokio::test]
async fn a_path_the_fake_does_not_play_is_named_in_a_20404() {
    let fake = FakeVerify::start().await;
    let raw = reqwest::Client::new()
        .get(format!("{}/v2/Attempts", fake.url()))
        .basic_auth(fake.account_sid().as_str(), Some(fake.auth_token()))
        .send()
        .await
        .expect("answered");
    assert_eq!(raw.status().as_u16(), 404);
    let body: serde_json::Value =
        serde_json::from_str(&raw.text().await.expect("body")).expect("json");
    assert_eq!(body["code"], 20404);
    assert!(
        body["message"]
            .as_str()
            .is_some_and(|m| m.contains("GET /v2/Attempts")),
        "{body}"
    );
}
