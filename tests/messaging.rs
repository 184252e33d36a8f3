//! Programmable Messaging and Voice: the exact forms of `CreateMessage` and `CreateCall`, the API
//! host they go to, and nothing sent for bad input or twice for a POST that may have arrived.
#![cfg(feature = "client")]

mod common;

use common::*;
use twilio_verify::messaging::{
    CallStatus, ContentRetention, CreateCall, CreateMessage, MessageDirection, MessageRiskCheck,
    MessageStatus, ScheduleType, Sender, TrafficType,
};
use twilio_verify::sid::MessagingServiceSid;
use twilio_verify::{AccountSid, Client, Timestamp};
use wiremock::{Mock, MockServer, ResponseTemplate};

const MESSAGES: &str = "/2010-04-01/Accounts/ACaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa/Messages.json";
const CALLS: &str = "/2010-04-01/Accounts/ACaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa/Calls.json";

fn account() -> AccountSid {
    ACCOUNT_SID.parse().expect("account")
}

/// A client whose Verify host and API host are two different mock servers: the second one
/// plays `api.twilio.com`.
async fn two_hosts() -> (MockServer, MockServer, Client) {
    let verify = MockServer::start().await;
    let api = MockServer::start().await;
    let client = Client::builder()
        .auth_token(ACCOUNT_SID, AUTH_TOKEN)
        .base_url(verify.uri())
        .api_base_url(api.uri())
        .build()
        .expect("client");
    (verify, api, client)
}

#[tokio::test]
async fn a_text_message_goes_to_the_api_host_with_the_exact_form() {
    let (verify, api, client) = two_hosts().await;
    expect_form(
        MESSAGES,
        "To=%2B15017122661&From=%2B15557654321\
         &Body=Your+password+was+found+in+a+data+breach.+Please+change+it.",
    )
    .respond_with(json(201, "messaging/message.json"))
    .expect(1)
    .mount(&api)
    .await;
    let m = CreateMessage::text(
        account(),
        "+1 (501) 712-2661",
        "+1 555 765 4321",
        "Your password was found in a data breach. Please change it.",
    )
    .send(&client)
    .await
    .expect("sent");
    assert_eq!(
        m.sid.as_ref().map(|s| s.as_str()),
        Some("SMaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa")
    );
    assert_eq!(m.status, Some(MessageStatus::Queued));
    assert_eq!(m.direction, Some(MessageDirection::OutboundApi));
    // RFC 2822 dates decode.
    assert_eq!(m.date_created, Timestamp::parse("2026-12-01T10:00:00Z"));
    assert!(
        !format!("{m:?}").contains("breach"),
        "the body is not in Debug"
    );
    assert_eq!(hits(&verify).await, 0, "nothing went to the Verify host");
}

#[tokio::test]
async fn every_message_parameter_is_sent_with_twilios_names() {
    let (_verify, api, client) = two_hosts().await;
    let mg: MessagingServiceSid = "MGaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa".parse().expect("mg");
    expect_form(
        MESSAGES,
        "To=whatsapp%3A%2B15017122661&MessagingServiceSid=MGaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\
         &Body=hi&MediaUrl=https%3A%2F%2Fexample.com%2Fa.png&MediaUrl=https%3A%2F%2Fexample.com%2Fb.png\
         &ContentSid=HXaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa&ContentVariables=%7B%221%22%3A%22Jane%22%7D\
         &StatusCallback=https%3A%2F%2Fexample.com%2Fstatus&ApplicationSid=APaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\
         &MaxPrice=0.5&ProvideFeedback=true&Attempt=2&ValidityPeriod=600&ForceDelivery=false\
         &ContentRetention=discard&AddressRetention=retain&SmartEncoded=true\
         &PersistentAction=geo%3A37.7%2C-122.4&TrafficType=free&ShortenUrls=false\
         &ScheduleType=fixed&SendAt=2026-12-02T09%3A00%3A00Z&SendAsMms=false&RiskCheck=disable\
         &FallbackFrom=%2B15557654321",
    )
    .respond_with(json(201, "messaging/message.json"))
    .expect(1)
    .mount(&api)
    .await;
    CreateMessage::new(account(), "whatsapp:+15017122661", Sender::from(&mg))
        .body("hi")
        .media_url("https://example.com/a.png")
        .media_url("https://example.com/b.png")
        .content_sid(
            "HXaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
                .parse::<twilio_verify::sid::ContentSid>()
                .expect("hx"),
        )
        .content_variable("1", "Jane")
        .status_callback("https://example.com/status")
        .application_sid(
            "APaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
                .parse::<twilio_verify::sid::ApplicationSid>()
                .expect("ap"),
        )
        .max_price(0.5)
        .provide_feedback(true)
        .attempt(2)
        .validity_period(600)
        .force_delivery(false)
        .content_retention(ContentRetention::Discard)
        .address_retention(twilio_verify::messaging::AddressRetention::Retain)
        .smart_encoded(true)
        .persistent_action("geo:37.7,-122.4")
        .traffic_type(TrafficType::Free)
        .shorten_urls(false)
        .schedule_type(ScheduleType::Fixed)
        .send_at(Timestamp::parse("2026-12-02T09:00:00Z").expect("time"))
        .send_as_mms(false)
        .risk_check(MessageRiskCheck::Disable)
        .fallback_from("+1 555 765 4321")
        .send(&client)
        .await
        .expect("sent");
}

#[tokio::test]
async fn a_voice_notice_is_a_call_reading_escaped_twiml() {
    let (_verify, api, client) = two_hosts().await;
    expect_form(
        CALLS,
        "To=%2B15017122661&From=%2B15557654321\
         &Twiml=%3CResponse%3E%3CSay%3EYour+account+was+blocked+%26amp%3B+locked.%3C%2FSay%3E%3C%2FResponse%3E\
         &TimeLimit=60",
    )
    .respond_with(json(201, "messaging/call.json"))
    .expect(1)
    .mount(&api)
    .await;
    let call = CreateCall::say(
        account(),
        "+15017122661",
        "+15557654321",
        "Your account was blocked & locked.",
    )
    .time_limit(60)
    .send(&client)
    .await
    .expect("placed");
    assert_eq!(
        call.sid.as_ref().map(|s| s.as_str()),
        Some("CAaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa")
    );
    assert_eq!(call.status, Some(CallStatus::Queued));
}

#[tokio::test]
async fn every_call_parameter_is_sent_with_twilios_names() {
    let (_verify, api, client) = two_hosts().await;
    expect_form(
        CALLS,
        "To=%2B15017122661&From=%2B15557654321&Url=https%3A%2F%2Fexample.com%2Ftwiml\
         &Method=GET&FallbackUrl=https%3A%2F%2Fexample.com%2Ffallback&FallbackMethod=POST\
         &StatusCallback=https%3A%2F%2Fexample.com%2Fstatus&StatusCallbackEvent=initiated\
         &StatusCallbackEvent=completed&StatusCallbackMethod=POST&SendDigits=ww1234\
         &Timeout=30&Record=true&RecordingChannels=dual\
         &RecordingStatusCallback=https%3A%2F%2Fexample.com%2Frec&RecordingStatusCallbackMethod=POST\
         &SipAuthUsername=user&SipAuthPassword=pass&MachineDetection=Enable\
         &MachineDetectionTimeout=30&RecordingStatusCallbackEvent=completed&Trim=trim-silence\
         &CallerId=%2B15557654321&MachineDetectionSpeechThreshold=2400\
         &MachineDetectionSpeechEndThreshold=1200&MachineDetectionSilenceTimeout=5000\
         &AsyncAmd=true&AsyncAmdStatusCallback=https%3A%2F%2Fexample.com%2Famd\
         &AsyncAmdStatusCallbackMethod=POST&Byoc=BYaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\
         &CallReason=Security+notice&CallToken=token&RecordingTrack=both&TimeLimit=120\
         &ClientNotificationUrl=https%3A%2F%2Fexample.com%2Fpush",
    )
    .respond_with(json(201, "messaging/call.json"))
    .expect(1)
    .mount(&api)
    .await;
    CreateCall::new(account(), "+15017122661", "+15557654321")
        .url("https://example.com/twiml")
        .method("GET")
        .fallback_url("https://example.com/fallback")
        .fallback_method("POST")
        .status_callback("https://example.com/status")
        .status_callback_event("initiated")
        .status_callback_event("completed")
        .status_callback_method("POST")
        .send_digits("ww1234")
        .timeout(30)
        .record(true)
        .recording_channels("dual")
        .recording_status_callback("https://example.com/rec")
        .recording_status_callback_method("POST")
        .sip_auth_username("user")
        .sip_auth_password("pass")
        .machine_detection("Enable")
        .machine_detection_timeout(30)
        .recording_status_callback_event("completed")
        .trim("trim-silence")
        .caller_id("+15557654321")
        .machine_detection_speech_threshold(2400)
        .machine_detection_speech_end_threshold(1200)
        .machine_detection_silence_timeout(5000)
        .async_amd("true")
        .async_amd_status_callback("https://example.com/amd")
        .async_amd_status_callback_method("POST")
        .byoc("BYaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa")
        .call_reason("Security notice")
        .call_token("token")
        .recording_track("both")
        .time_limit(120)
        .client_notification_url("https://example.com/push")
        .send(&client)
        .await
        .expect("placed");
}

#[tokio::test]
async fn bad_input_sends_nothing() {
    let (verify, api, client) = two_hosts().await;
    Mock::given(wiremock::matchers::any())
        .respond_with(ResponseTemplate::new(201))
        .mount(&api)
        .await;
    let bad = [
        (
            CreateMessage::text(account(), "5017122661", "+15557654321", "hi")
                .send(&client)
                .await,
            "To",
        ),
        (
            CreateMessage::new(account(), "+15017122661", "+15557654321")
                .send(&client)
                .await,
            "Body",
        ),
        (
            CreateMessage::text(account(), "+15017122661", "+15557654321", "x".repeat(1601))
                .send(&client)
                .await,
            "Body",
        ),
        (
            CreateMessage::text(account(), "+15017122661", "", "hi")
                .send(&client)
                .await,
            "From",
        ),
        (
            CreateMessage::text(account(), "+15017122661", "+15557654321", "hi")
                .validity_period(0)
                .send(&client)
                .await,
            "ValidityPeriod",
        ),
        (
            CreateMessage::text(account(), "+15017122661", "+15557654321", "hi")
                .media_url("not a url")
                .send(&client)
                .await,
            "MediaUrl",
        ),
    ];
    for (result, field) in bad {
        let err = result.expect_err(field);
        assert!(err.is_invalid_input(), "{err}");
        assert_eq!(err.to_string().split('`').nth(1), Some(field), "{err}");
    }
    let calls = [
        (
            CreateCall::new(account(), "+15017122661", "+15557654321")
                .send(&client)
                .await,
            "Twiml",
        ),
        (
            CreateCall::say(account(), "+15017122661", "12", "hello")
                .send(&client)
                .await,
            "From",
        ),
        (
            CreateCall::say(account(), "+15017122661", "+15557654321", "hi")
                .timeout(601)
                .send(&client)
                .await,
            "Timeout",
        ),
        (
            CreateCall::say(account(), "+15017122661", "+15557654321", "x".repeat(4000))
                .send(&client)
                .await,
            "Twiml",
        ),
    ];
    for (result, field) in calls {
        let err = result.expect_err(field);
        assert_eq!(err.to_string().split('`').nth(1), Some(field), "{err}");
    }
    assert_eq!(hits(&api).await, 0, "nothing reached the API host");
    assert_eq!(hits(&verify).await, 0);
}

#[tokio::test]
async fn a_message_that_may_have_arrived_is_never_resent() {
    let (_verify, api, client) = two_hosts().await;
    expect("POST", MESSAGES)
        .respond_with(ResponseTemplate::new(503))
        .expect(1)
        .mount(&api)
        .await;
    let err = CreateMessage::text(account(), "+15017122661", "+15557654321", "hi")
        .send(&client)
        .await
        .expect_err("503");
    assert_eq!(err.status(), Some(503));
    // A 429 with Twilio's 20429 was not processed: that one is retried.
    let (_verify, api, client) = two_hosts().await;
    expect("POST", CALLS)
        .respond_with(ResponseTemplate::new(429).set_body_string(r#"{"code": 20429}"#))
        .up_to_n_times(1)
        .expect(1)
        .mount(&api)
        .await;
    expect("POST", CALLS)
        .respond_with(json(201, "messaging/call.json"))
        .expect(1)
        .mount(&api)
        .await;
    CreateCall::say(account(), "+15017122661", "+15557654321", "hello")
        .send(&client)
        .await
        .expect("placed on the second attempt");
}

#[test]
fn debug_hides_the_text_the_numbers_and_the_secrets() {
    let m = CreateMessage::text(account(), "+15017122661", "+15557654321", "code 482913");
    let c = CreateCall::say(account(), "+15017122661", "+15557654321", "code 482913")
        .sip_auth_password("hunter2");
    for shown in [format!("{m:?}"), format!("{c:?}")] {
        assert!(!shown.contains("482913"), "{shown}");
        assert!(!shown.contains("5017122661"), "{shown}");
        assert!(!shown.contains("hunter2"), "{shown}");
    }
}

#[test]
fn the_wire_form_names_the_api_host() {
    let w = CreateMessage::text(account(), "+15017122661", "+15557654321", "hi")
        .to_wire()
        .expect("valid");
    assert_eq!(w.host(), twilio_verify::wire::Host::Api);
    assert_eq!(w.path(), MESSAGES);
    assert_eq!(w.operation(), "CreateMessage");
    let v = twilio_verify::verify::FetchService::new(service())
        .to_wire()
        .expect("valid");
    assert_eq!(v.host(), twilio_verify::wire::Host::Verify);
}
