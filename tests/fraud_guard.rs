//! Fraud Guard's operator tools: the safe list and verification attempts (list, fetch, summary).
#![cfg(feature = "client")]

mod common;

use common::*;
use twilio_verify::Timestamp;
use twilio_verify::verify::{
    AttemptChannel, ConversionStatus, CreateSafelist, DeleteSafelist, FetchSafelist,
    FetchVerificationAttempt, FetchVerificationAttemptsSummary, ListVerificationAttempts,
};
use wiremock::ResponseTemplate;

#[tokio::test]
async fn safelist_add_fetch_remove() {
    let (server, client) = setup().await;
    expect_form("/v2/SafeList/Numbers", "PhoneNumber=%2B15017122661")
        .respond_with(json(201, "verify/safelist.json"))
        .expect(1)
        .mount(&server)
        .await;
    expect("GET", "/v2/SafeList/Numbers/+15017122661")
        .respond_with(json(200, "verify/safelist.json"))
        .expect(1)
        .mount(&server)
        .await;
    expect("DELETE", "/v2/SafeList/Numbers/+15017122661")
        .respond_with(ResponseTemplate::new(204))
        .expect(1)
        .mount(&server)
        .await;
    let added = CreateSafelist::new("+1 (501) 712-2661")
        .send(&client)
        .await
        .expect("added");
    assert_eq!(
        added.sid.as_ref().map(|s| s.as_str()),
        Some("GNaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa")
    );
    let got = FetchSafelist::new("+15017122661")
        .send(&client)
        .await
        .expect("fetched");
    assert_eq!(
        got.phone_number.as_ref().map(|p| p.as_str()),
        Some("+15017122661")
    );
    DeleteSafelist::new("+15017122661")
        .send(&client)
        .await
        .expect("removed");
}

#[tokio::test]
async fn list_attempts_with_every_filter() {
    let (server, client) = setup().await;
    expect("GET", "/v2/Attempts")
        .respond_with(json(200, "verify/attempts_page.json"))
        .expect(1)
        .mount(&server)
        .await;
    let t = Timestamp::parse("2024-03-01T00:00:00Z").expect("time");
    let page = ListVerificationAttempts::new()
        .date_created_after(t)
        .channel(AttemptChannel::Sms)
        .status(ConversionStatus::Unconverted)
        .country("CO")
        .verify_service_sid(service())
        .page_size(50)
        .send(&client)
        .await
        .expect("page");
    let sent = server.received_requests().await.expect("recorded");
    assert_eq!(
        sent[0].url.query(),
        Some(
            "DateCreatedAfter=2024-03-01T00%3A00%3A00Z&Country=CO&Channel=sms\
             &VerifyServiceSid=VAaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa&Status=unconverted&PageSize=50"
        )
    );
    let a = &page.items[0];
    assert_eq!(a.conversion_status, Some(ConversionStatus::Unconverted));
    assert_eq!(a.channel, Some(AttemptChannel::Sms));
    let data = a.channel_data.as_ref().expect("channel data");
    assert_eq!(data.error_code.as_deref(), Some("30008"));
    assert_eq!(data.to.as_ref().map(|t| t.as_str()), Some("+573003003030"));
}

#[tokio::test]
async fn fetch_one_attempt_and_the_summary() {
    let (server, client) = setup().await;
    expect("GET", "/v2/Attempts/VLaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa")
        .respond_with(json(200, "verify/attempt.json"))
        .expect(1)
        .mount(&server)
        .await;
    expect("GET", "/v2/Attempts/Summary")
        .respond_with(json(200, "verify/attempts_summary.json"))
        .expect(1)
        .mount(&server)
        .await;
    let sid = "VLaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
        .parse::<twilio_verify::sid::AttemptSid>()
        .expect("sid");
    let a = FetchVerificationAttempt::new(sid)
        .send(&client)
        .await
        .expect("attempt");
    assert_eq!(
        a.price.as_ref().and_then(|p| p.value.as_deref()),
        Some("0.0079")
    );
    let s = FetchVerificationAttemptsSummary::new()
        .destination_prefix("+57")
        .send(&client)
        .await
        .expect("summary");
    assert_eq!(
        (s.total_attempts, s.total_converted, s.total_unconverted),
        (40, 31, 9)
    );
    assert_eq!(s.conversion_rate_percentage.as_deref(), Some("77.5"));
    let sent = server.received_requests().await.expect("recorded");
    assert_eq!(sent[1].url.query(), Some("DestinationPrefix=%2B57"));
}

#[tokio::test]
async fn bad_filters_and_numbers_send_nothing() {
    let (server, client) = setup().await;
    forbid_calls(&server).await;
    assert!(
        CreateSafelist::new("5017122661")
            .send(&client)
            .await
            .expect_err("no +")
            .is_invalid_input()
    );
    assert!(
        FetchSafelist::new("call me")
            .send(&client)
            .await
            .expect_err("bad")
            .is_invalid_input()
    );
    let e = ListVerificationAttempts::new()
        .country("Colombia")
        .send(&client)
        .await;
    assert!(e.expect_err("country").is_invalid_input());
    let e = ListVerificationAttempts::new()
        .channel_data_to("300 300")
        .send(&client)
        .await;
    assert!(e.expect_err("to").is_invalid_input());
    let e = FetchVerificationAttemptsSummary::new()
        .destination_prefix("57")
        .send(&client)
        .await;
    assert!(e.expect_err("prefix").is_invalid_input());
    assert_eq!(hits(&server).await, 0);
}
