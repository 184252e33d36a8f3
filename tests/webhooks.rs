//! Service webhooks: every operation, with exact wire forms.
#![cfg(feature = "client")]

mod common;

use common::*;
use twilio_verify::sid::WebhookSid;
use twilio_verify::verify::{
    CreateWebhook, DeleteWebhook, FetchWebhook, ListWebhooks, UpdateWebhook, WebhookEvent,
    WebhookMethod, WebhookStatus, WebhookVersion,
};
use wiremock::ResponseTemplate;

const YW: &str = "YWaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa";

fn yw() -> WebhookSid {
    YW.parse().expect("yw")
}

#[tokio::test]
async fn create_list_fetch_update_delete() {
    let (server, client) = setup().await;
    let base = format!("/v2/Services/{SERVICE_SID}/Webhooks");
    expect_form(
        &base,
        "FriendlyName=factor+events&EventTypes=factor.verified&EventTypes=challenge.approved\
         &WebhookUrl=https%3A%2F%2Fhooks.example.com%2Fverify&Version=v2",
    )
    .respond_with(json(201, "verify/webhook.json"))
    .expect(1)
    .mount(&server)
    .await;
    expect("GET", &base)
        .respond_with(json(200, "verify/webhooks_page.json"))
        .expect(1)
        .mount(&server)
        .await;
    expect("GET", &format!("{base}/{YW}"))
        .respond_with(json(200, "verify/webhook.json"))
        .expect(1)
        .mount(&server)
        .await;
    expect_form(&format!("{base}/{YW}"), "EventTypes=%2A&Status=disabled")
        .respond_with(json(200, "verify/webhook.json"))
        .expect(1)
        .mount(&server)
        .await;
    expect("DELETE", &format!("{base}/{YW}"))
        .respond_with(ResponseTemplate::new(204))
        .expect(1)
        .mount(&server)
        .await;

    let hook = CreateWebhook::new(
        service(),
        "factor events",
        [
            WebhookEvent::FactorVerified,
            WebhookEvent::ChallengeApproved,
        ],
        "https://hooks.example.com/verify",
    )
    .version(WebhookVersion::V2)
    .send(&client)
    .await
    .expect("created");
    assert_eq!(hook.sid.as_ref().map(|s| s.as_str()), Some(YW));
    assert_eq!(hook.status, Some(WebhookStatus::Enabled));
    assert_eq!(hook.webhook_method, Some(WebhookMethod::Post));
    let events = hook.event_types.expect("events");
    assert_eq!(events[0], WebhookEvent::FactorVerified);
    assert_eq!(
        events[2],
        WebhookEvent::Unknown("challenge.expired".into()),
        "an event this crate does not know is kept"
    );
    let all = ListWebhooks::new(service())
        .all(&client)
        .await
        .expect("list");
    assert_eq!(all.len(), 1);
    FetchWebhook::new(service(), yw())
        .send(&client)
        .await
        .expect("fetch");
    UpdateWebhook::new(service(), yw())
        .event_types([WebhookEvent::All])
        .status(WebhookStatus::Disabled)
        .send(&client)
        .await
        .expect("update");
    DeleteWebhook::new(service(), yw())
        .send(&client)
        .await
        .expect("delete");
}

#[tokio::test]
async fn bad_input_sends_nothing() {
    let (server, client) = setup().await;
    forbid_calls(&server).await;
    let no_events = CreateWebhook::new(service(), "x", [], "https://h.example");
    assert!(
        no_events
            .send(&client)
            .await
            .expect_err("events")
            .is_invalid_input()
    );
    let ftp = CreateWebhook::new(service(), "x", [WebhookEvent::All], "ftp://h.example");
    assert!(ftp.send(&client).await.expect_err("url").is_invalid_input());
    let odd: WebhookSid = serde_json::from_str("\"YW-from-a-config-file\"").expect("lenient");
    let e = FetchWebhook::new(service(), odd).send(&client).await;
    assert!(e.expect_err("sid").is_invalid_input());
    assert_eq!(hits(&server).await, 0);
}
