//! Per-country messaging configurations: every operation, with exact wire forms.
#![cfg(feature = "client")]

mod common;

use common::*;
use twilio_verify::sid::MessagingServiceSid;
use twilio_verify::verify::{
    CreateMessagingConfiguration, DeleteMessagingConfiguration, FetchMessagingConfiguration,
    ListMessagingConfigurations, UpdateMessagingConfiguration,
};
use wiremock::ResponseTemplate;

const MG: &str = "MGaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa";

fn mg() -> MessagingServiceSid {
    MG.parse().expect("mg")
}

#[tokio::test]
async fn create_list_fetch_update_delete() {
    let (server, client) = setup().await;
    let base = format!("/v2/Services/{SERVICE_SID}/MessagingConfigurations");
    expect_form(&base, &format!("Country=CA&MessagingServiceSid={MG}"))
        .respond_with(json(201, "verify/messaging_configuration.json"))
        .expect(1)
        .mount(&server)
        .await;
    expect("GET", &base)
        .respond_with(json(200, "verify/messaging_configurations_page.json"))
        .expect(1)
        .mount(&server)
        .await;
    expect("GET", &format!("{base}/CA"))
        .respond_with(json(200, "verify/messaging_configuration.json"))
        .expect(1)
        .mount(&server)
        .await;
    expect_form(&format!("{base}/all"), &format!("MessagingServiceSid={MG}"))
        .respond_with(json(200, "verify/messaging_configuration.json"))
        .expect(1)
        .mount(&server)
        .await;
    expect("DELETE", &format!("{base}/CA"))
        .respond_with(ResponseTemplate::new(204))
        .expect(1)
        .mount(&server)
        .await;
    let c = CreateMessagingConfiguration::new(service(), "ca", mg())
        .send(&client)
        .await
        .expect("created");
    assert_eq!(c.country.as_deref(), Some("CA"));
    assert_eq!(
        c.messaging_service_sid.as_ref().map(|s| s.as_str()),
        Some(MG)
    );
    let all = ListMessagingConfigurations::new(service())
        .all(&client)
        .await
        .expect("list");
    assert_eq!(all.len(), 1);
    FetchMessagingConfiguration::new(service(), "CA")
        .send(&client)
        .await
        .expect("fetch");
    UpdateMessagingConfiguration::new(service(), "all", mg())
        .send(&client)
        .await
        .expect("update");
    DeleteMessagingConfiguration::new(service(), "CA")
        .send(&client)
        .await
        .expect("delete");
}

#[tokio::test]
async fn a_bad_country_sends_nothing() {
    let (server, client) = setup().await;
    forbid_calls(&server).await;
    let e = CreateMessagingConfiguration::new(service(), "Canada", mg())
        .send(&client)
        .await;
    assert!(e.expect_err("country").is_invalid_input());
    let e = DeleteMessagingConfiguration::new(service(), "../x")
        .send(&client)
        .await;
    assert!(e.expect_err("country").is_invalid_input());
    assert_eq!(hits(&server).await, 0);
}
