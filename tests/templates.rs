//! Message templates and factor forms.
#![cfg(feature = "client")]

mod common;

use common::*;
use twilio_verify::verify::{FetchForm, FormType, ListTemplates};

#[tokio::test]
async fn list_templates_by_name() {
    let (server, client) = setup().await;
    expect("GET", "/v2/Templates")
        .respond_with(json(200, "verify/templates_page.json"))
        .expect(1)
        .mount(&server)
        .await;
    let all = ListTemplates::new()
        .friendly_name("do-not-share")
        .limit(10)
        .all(&client)
        .await
        .expect("templates");
    let sent = server.received_requests().await.expect("recorded");
    assert_eq!(
        sent[0].url.query(),
        Some("FriendlyName=do-not-share&PageSize=10")
    );
    assert_eq!(all.len(), 1);
    let t = &all[0];
    assert_eq!(
        t.sid.as_ref().map(|s| s.as_str()),
        Some("HJaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa")
    );
    let translations = t.translations.as_ref().expect("translations");
    assert_eq!(translations.len(), 2);
    assert_eq!(translations["es"].locale.as_deref(), Some("es"));
}

#[tokio::test]
async fn fetch_the_push_form() {
    let (server, client) = setup().await;
    expect("GET", "/v2/Forms/form-push")
        .respond_with(json(200, "verify/form_push.json"))
        .expect(1)
        .mount(&server)
        .await;
    let form = FetchForm::new(FormType::FormPush)
        .send(&client)
        .await
        .expect("form");
    assert_eq!(form.form_type, Some(FormType::FormPush));
    assert!(
        form.forms
            .as_ref()
            .is_some_and(|f| f["create_factor"].is_object())
    );
}

#[tokio::test]
async fn a_bad_page_size_sends_nothing() {
    let (server, client) = setup().await;
    forbid_calls(&server).await;
    let e = ListTemplates::new()
        .page_size(0)
        .send(&client)
        .await
        .expect_err("page size");
    assert!(e.is_invalid_input());
    assert_eq!(hits(&server).await, 0);
}
