//! Services: create, fetch, list (a page and every page), update, delete.
#![cfg(feature = "client")]

mod common;

use common::*;
use twilio_verify::verify::{
    AuthenticatorAttachment, CreateService, DeleteService, FetchService, ListServices,
    PasskeyRequirement, UpdateService,
};
use twilio_verify::{Error, ErrorCode};
use wiremock::ResponseTemplate;
use wiremock::matchers::query_param;

#[tokio::test]
async fn create_sends_the_exact_form_and_decodes_the_service() {
    let (server, client) = setup().await;
    expect_form(
        "/v2/Services",
        "FriendlyName=Acme+Login&CodeLength=6&DtmfInputRequired=true&TtsName=Acme\
         &DoNotShareWarningEnabled=true&CustomCodeEnabled=true&Totp.Issuer=Acme\
         &Passkeys.RelyingParty.Origins=https%3A%2F%2Facme.example%2Chttps%3A%2F%2Flogin.acme.example\
         &Passkeys.AuthenticatorAttachment=platform&Passkeys.UserVerification=preferred",
    )
    .respond_with(json(201, "verify/service.json"))
    .expect(1)
    .mount(&server)
    .await;

    let service = CreateService::new("Acme Login")
        .code_length(6)
        .dtmf_input_required(true)
        .tts_name("Acme")
        .do_not_share_warning_enabled(true)
        .custom_code_enabled(true)
        .totp_issuer("Acme")
        .passkeys_relying_party_origins(["https://acme.example", "https://login.acme.example"])
        .passkeys_authenticator_attachment(AuthenticatorAttachment::Platform)
        .passkeys_user_verification(PasskeyRequirement::Preferred)
        .send(&client)
        .await
        .expect("created");

    assert_eq!(service.sid.as_ref().map(|s| s.as_str()), Some(SERVICE_SID));
    assert_eq!(service.friendly_name.as_deref(), Some("Acme Login"));
    assert_eq!(service.code_length, 6);
    assert_eq!(service.custom_code_enabled, Some(true));
    let totp = service.totp.as_ref().expect("totp");
    assert_eq!(
        (totp.time_step, totp.code_length, totp.skew),
        (Some(30), Some(6), Some(1))
    );
    let passkeys = service.passkeys.as_ref().expect("passkeys");
    let origins = passkeys
        .relying_party
        .as_ref()
        .and_then(|r| r.origins.clone());
    assert_eq!(origins.map(|o| o.len()), Some(2));
    assert_eq!(
        passkeys.user_verification,
        Some(PasskeyRequirement::Preferred)
    );
    // Twilio sends "" for an unset attachment; it is kept, not rejected.
    assert_eq!(
        passkeys
            .authenticator_attachment
            .as_ref()
            .map(|a| a.as_str()),
        Some("")
    );
    assert_eq!(service.links.as_ref().map(|l| l.len()), Some(7));
    assert_eq!(
        service.date_updated.map(|t| t.to_string()).as_deref(),
        Some("2024-03-02T10:00:00Z")
    );
}

#[tokio::test]
async fn fetch_gets_the_service_by_sid() {
    let (server, client) = setup().await;
    expect("GET", &format!("/v2/Services/{SERVICE_SID}"))
        .respond_with(json(200, "verify/service.json"))
        .expect(1)
        .mount(&server)
        .await;
    let service = FetchService::new(service())
        .send(&client)
        .await
        .expect("fetched");
    assert_eq!(service.tts_name.as_deref(), Some("Acme"));
    let wa = service.whatsapp.expect("whatsapp");
    assert_eq!(wa.from.as_deref(), Some("whatsapp:+15005550006"));
}

#[tokio::test]
async fn update_sends_only_what_was_set() {
    let (server, client) = setup().await;
    expect_form(
        &format!("/v2/Services/{SERVICE_SID}"),
        "FriendlyName=Acme+Signup&LookupEnabled=true&SkipSmsToLandlines=true&Psd2Enabled=false",
    )
    .respond_with(json(200, "verify/service_updated.json"))
    .expect(1)
    .mount(&server)
    .await;
    let updated = UpdateService::new(service())
        .friendly_name("Acme Signup")
        .lookup_enabled(true)
        .skip_sms_to_landlines(true)
        .psd2_enabled(false)
        .send(&client)
        .await
        .expect("updated");
    assert_eq!(updated.friendly_name.as_deref(), Some("Acme Signup"));
    assert_eq!(updated.lookup_enabled, Some(true));
    assert_eq!(updated.skip_sms_to_landlines, Some(true));
}

#[tokio::test]
async fn delete_accepts_204_with_no_body() {
    let (server, client) = setup().await;
    expect("DELETE", &format!("/v2/Services/{SERVICE_SID}"))
        .respond_with(ResponseTemplate::new(204))
        .expect(1)
        .mount(&server)
        .await;
    DeleteService::new(service())
        .send(&client)
        .await
        .expect("deleted");
}

#[tokio::test]
async fn delete_of_a_missing_service_is_not_found() {
    let (server, client) = setup().await;
    expect("DELETE", &format!("/v2/Services/{SERVICE_SID}"))
        .respond_with(ResponseTemplate::new(404).set_body_raw(
            r#"{"code": 20404, "message": "The requested resource /Services/VA… was not found", "more_info": "https://www.twilio.com/docs/errors/20404", "status": 404}"#,
            "application/json",
        ))
        .mount(&server)
        .await;
    let err = DeleteService::new(service())
        .send(&client)
        .await
        .expect_err("404");
    assert!(err.is_not_found());
    assert_eq!(err.code(), Some(ErrorCode::NotFound));
}

#[tokio::test]
async fn list_one_page_sends_paging_parameters() {
    let (server, client) = setup().await;
    expect("GET", "/v2/Services")
        .and(query_param("PageSize", "1"))
        .and(query_param("Page", "0"))
        .respond_with(json(200, "verify/services_page1.json"))
        .expect(1)
        .mount(&server)
        .await;
    let page = ListServices::new()
        .page_size(1)
        .page(0)
        .send(&client)
        .await
        .expect("page");
    assert_eq!(page.items.len(), 1);
    assert!(page.has_next());
    let sent = server.received_requests().await.expect("recorded");
    assert_eq!(
        sent[0].url.query(),
        Some("PageSize=1&Page=0"),
        "exactly the paging parameters"
    );
    assert_eq!(page.meta.key.as_deref(), Some("services"));
}

#[tokio::test]
async fn list_all_follows_next_page_urls_on_the_configured_host() {
    let (server, client) = setup().await;
    // The next-page URL names verify.twilio.com; the client must send it to its own base URL.
    expect("GET", "/v2/Services")
        .and(query_param("PageToken", "PTbbbb"))
        .respond_with(json(200, "verify/services_page2.json"))
        .expect(1)
        .mount(&server)
        .await;
    expect("GET", "/v2/Services")
        .and(query_param("PageSize", "1"))
        .respond_with(json(200, "verify/services_page1.json"))
        .expect(1)
        .mount(&server)
        .await;
    let all = ListServices::new()
        .page_size(1)
        .all(&client)
        .await
        .expect("all");
    let names: Vec<_> = all
        .iter()
        .filter_map(|s| s.friendly_name.as_deref())
        .collect();
    assert_eq!(names, ["Acme Login", "Acme Signup"]);
}

#[tokio::test]
async fn list_all_stops_at_the_limit() {
    let (server, client) = setup().await;
    expect("GET", "/v2/Services")
        .and(query_param("PageSize", "1"))
        .respond_with(json(200, "verify/services_page1.json"))
        .expect(1)
        .mount(&server)
        .await;
    // With limit 1 and no page size, the page size becomes 1 and the second page is never asked for.
    let all = ListServices::new()
        .limit(1)
        .all(&client)
        .await
        .expect("all");
    assert_eq!(all.len(), 1);
    assert_eq!(hits(&server).await, 1);
}

#[tokio::test]
async fn invalid_settings_send_nothing() {
    let (server, client) = setup().await;
    forbid_calls(&server).await;
    let e = CreateService::new("x")
        .code_length(11)
        .send(&client)
        .await
        .expect_err("range");
    assert!(matches!(&e, Error::InvalidInput(i) if i.field() == "CodeLength"));
    let e = ListServices::new()
        .page_size(0)
        .send(&client)
        .await
        .expect_err("page size");
    assert!(e.is_invalid_input());
    assert_eq!(hits(&server).await, 0);
}
