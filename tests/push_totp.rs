//! Verify Push and TOTP: access tokens, entities, factors, challenges and notifications, every
//! operation with its exact wire form.
#![cfg(feature = "client")]

mod common;

use common::*;
use twilio_verify::Timestamp;
use twilio_verify::sid::{AccessTokenSid, ChallengeSid, FactorSid};
use twilio_verify::verify::{
    ChallengeReason, ChallengeStatus, CreateAccessToken, CreateChallenge, CreateEntity,
    CreateFactor, CreateNotification, DeleteEntity, DeleteFactor, FactorStatus, FactorType,
    FetchAccessToken, FetchChallenge, FetchEntity, FetchFactor, ListChallenges, ListEntities,
    ListFactors, ListOrder, NotificationPlatform, TotpAlgorithm, UpdateChallenge, UpdateFactor,
};
use wiremock::ResponseTemplate;
use wiremock::matchers::query_param;

const ID: &str = "ff483d1ff591898a9942916050d2ca3f";
const YF: &str = "YFaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa";
const YC: &str = "YCaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa";
const YK: &str = "YKaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa";

fn yf() -> FactorSid {
    YF.parse().expect("yf")
}

fn yc() -> ChallengeSid {
    YC.parse().expect("yc")
}

fn entity() -> String {
    format!("/v2/Services/{SERVICE_SID}/Entities/{ID}")
}

#[tokio::test]
async fn access_tokens() {
    let (server, client) = setup().await;
    let base = format!("/v2/Services/{SERVICE_SID}/AccessTokens");
    expect_form(
        &base,
        &format!("Identity={ID}&FactorType=push&FactorFriendlyName=Jane%27s+phone&Ttl=120"),
    )
    .respond_with(json(201, "verify/access_token.json"))
    .expect(1)
    .mount(&server)
    .await;
    expect("GET", &format!("{base}/{YK}"))
        .respond_with(json(200, "verify/access_token.json"))
        .expect(1)
        .mount(&server)
        .await;
    let t = CreateAccessToken::new(service(), ID, FactorType::Push)
        .factor_friendly_name("Jane's phone")
        .ttl(120)
        .send(&client)
        .await
        .expect("created");
    assert_eq!(t.ttl, Some(120));
    assert!(
        t.token
            .as_ref()
            .expect("token")
            .expose()
            .contains("fixture-secret-token")
    );
    assert!(!format!("{t:?}").contains("fixture-secret-token"));
    let sid: AccessTokenSid = YK.parse().expect("yk");
    let fetched = FetchAccessToken::new(service(), sid)
        .send(&client)
        .await
        .expect("fetch");
    assert_eq!(fetched.entity_identity.as_deref(), Some(ID));
}

#[tokio::test]
async fn entities() {
    let (server, client) = setup().await;
    let base = format!("/v2/Services/{SERVICE_SID}/Entities");
    expect_form(&base, &format!("Identity={ID}"))
        .respond_with(json(201, "verify/entity.json"))
        .expect(1)
        .mount(&server)
        .await;
    expect("GET", &base)
        .and(query_param("PageSize", "10"))
        .respond_with(json(200, "verify/entities_page.json"))
        .expect(1)
        .mount(&server)
        .await;
    expect("GET", &entity())
        .respond_with(json(200, "verify/entity.json"))
        .expect(1)
        .mount(&server)
        .await;
    expect("DELETE", &entity())
        .respond_with(ResponseTemplate::new(204))
        .expect(1)
        .mount(&server)
        .await;
    let e = CreateEntity::new(service(), ID)
        .send(&client)
        .await
        .expect("created");
    assert_eq!(e.identity.as_deref(), Some(ID));
    assert!(e.links.expect("links").contains_key("factors"));
    let page = ListEntities::new(service())
        .page_size(10)
        .send(&client)
        .await
        .expect("list");
    assert_eq!(page.items.len(), 1);
    FetchEntity::new(service(), ID)
        .send(&client)
        .await
        .expect("fetch");
    DeleteEntity::new(service(), ID)
        .send(&client)
        .await
        .expect("delete");
}

#[tokio::test]
async fn factors_enrol_verify_and_go() {
    let (server, client) = setup().await;
    let base = format!("{}/Factors", entity());
    expect_form(
        &base,
        "FriendlyName=Jane&FactorType=totp&Config.CodeLength=6&Config.Alg=sha1&Metadata=%7B%22os%22%3A%22Android%22%7D",
    )
    .respond_with(json(201, "verify/factor_new_totp.json"))
    .expect(1)
    .mount(&server)
    .await;
    expect("GET", &base)
        .respond_with(json(200, "verify/factors_page.json"))
        .expect(1)
        .mount(&server)
        .await;
    expect("GET", &format!("{base}/{YF}"))
        .respond_with(json(200, "verify/factor.json"))
        .expect(1)
        .mount(&server)
        .await;
    expect_form(&format!("{base}/{YF}"), "AuthPayload=482913")
        .respond_with(json(200, "verify/factor.json"))
        .expect(1)
        .mount(&server)
        .await;
    expect("DELETE", &format!("{base}/{YF}"))
        .respond_with(ResponseTemplate::new(204))
        .expect(1)
        .mount(&server)
        .await;

    let new = CreateFactor::new(service(), ID, "Jane", FactorType::Totp)
        .config_code_length(6)
        .config_alg(TotpAlgorithm::Sha1)
        .metadata("os", "Android")
        .send(&client)
        .await
        .expect("created");
    assert_eq!(new.status, Some(FactorStatus::Unverified));
    let binding = new.binding.as_ref().expect("binding");
    assert!(
        binding["uri"]
            .as_str()
            .expect("uri")
            .starts_with("otpauth://totp/")
    );
    assert!(
        !format!("{new:?}").contains("GEZDGNBVGY3TQOJQ"),
        "the seed is not printed"
    );
    assert_eq!(
        ListFactors::new(service(), ID)
            .all(&client)
            .await
            .expect("list")
            .len(),
        1
    );
    FetchFactor::new(service(), ID, yf())
        .send(&client)
        .await
        .expect("fetch");
    let verified = UpdateFactor::verify(service(), ID, yf(), "482913")
        .send(&client)
        .await
        .expect("verified");
    assert_eq!(verified.status, Some(FactorStatus::Verified));
    assert_eq!(verified.config.expect("config")["time_step"], 30);
    DeleteFactor::new(service(), ID, yf())
        .send(&client)
        .await
        .expect("delete");
}

#[tokio::test]
async fn a_push_factor_sends_binding_and_config() {
    let (server, client) = setup().await;
    let token = "f".repeat(64);
    expect_form(
        &format!("{}/Factors", entity()),
        &format!(
            "FriendlyName=Pixel&FactorType=push&Binding.Alg=ES256&Binding.PublicKey=MFkw%2BEwY%3D\
             &Config.AppId=com.example.app&Config.NotificationPlatform=fcm\
             &Config.NotificationToken={token}&Config.SdkVersion=2.1.0"
        ),
    )
    .respond_with(json(201, "verify/factor_new_totp.json"))
    .expect(1)
    .mount(&server)
    .await;
    CreateFactor::new(service(), ID, "Pixel", FactorType::Push)
        .binding_alg("ES256")
        .binding_public_key("MFkw+EwY=")
        .config_app_id("com.example.app")
        .config_notification_platform(NotificationPlatform::Fcm)
        .config_notification_token(token.clone())
        .config_sdk_version("2.1.0")
        .send(&client)
        .await
        .expect("created");
}

#[tokio::test]
async fn challenges_and_notifications() {
    let (server, client) = setup().await;
    let base = format!("{}/Challenges", entity());
    expect_form(
        &base,
        &format!(
            "FactorSid={YF}&ExpirationDate=2026-03-01T10%3A05%3A00Z&Details.Message=Log+in+to+Acme%3F\
             &Details.Fields=%7B%22label%22%3A%22City%22%2C%22value%22%3A%22Lisbon%22%7D\
             &HiddenDetails=%7B%22ip%22%3A%22203.0.113.7%22%7D"
        ),
    )
    .respond_with(json(201, "verify/challenge.json"))
    .expect(1)
    .mount(&server)
    .await;
    expect("GET", &base)
        .and(query_param("FactorSid", YF))
        .and(query_param("Status", "pending"))
        .and(query_param("Order", "desc"))
        .respond_with(json(200, "verify/challenges_page.json"))
        .expect(1)
        .mount(&server)
        .await;
    expect("GET", &format!("{base}/{YC}"))
        .respond_with(json(200, "verify/challenge_approved.json"))
        .expect(1)
        .mount(&server)
        .await;
    expect_form(
        &format!("{base}/{YC}"),
        "AuthPayload=482913&Metadata=%7B%22os%22%3A%22iOS%22%7D",
    )
    .respond_with(json(200, "verify/challenge_approved.json"))
    .expect(1)
    .mount(&server)
    .await;
    expect_form(&format!("{base}/{YC}/Notifications"), "Ttl=120")
        .respond_with(json(201, "verify/notification.json"))
        .expect(1)
        .mount(&server)
        .await;

    let expires = Timestamp::parse("2026-03-01T10:05:00Z").expect("time");
    let c = CreateChallenge::new(service(), ID, yf())
        .expiration_date(expires)
        .details_message("Log in to Acme?")
        .details_field("City", "Lisbon")
        .hidden_detail("ip", "203.0.113.7")
        .send(&client)
        .await
        .expect("created");
    assert_eq!(c.status, Some(ChallengeStatus::Pending));
    assert_eq!(c.responded_reason, Some(ChallengeReason::None));
    assert_eq!(c.details.expect("details")["fields"][0]["value"], "Lisbon");
    let pending = ListChallenges::new(service(), ID)
        .factor_sid(yf())
        .status(ChallengeStatus::Pending)
        .order(ListOrder::Desc)
        .send(&client)
        .await
        .expect("list");
    assert_eq!(pending.items.len(), 1);
    let fetched = FetchChallenge::new(service(), ID, yc())
        .send(&client)
        .await
        .expect("fetch");
    assert_eq!(fetched.status, Some(ChallengeStatus::Approved));
    assert!(fetched.date_responded.is_some());
    UpdateChallenge::new(service(), ID, yc())
        .auth_payload("482913")
        .metadata("os", "iOS")
        .send(&client)
        .await
        .expect("update");
    let n = CreateNotification::new(service(), ID, yc())
        .ttl(120)
        .send(&client)
        .await
        .expect("notified");
    assert_eq!(n.priority.as_deref(), Some("high"));
    assert_eq!(n.ttl, Some(120));
}

#[tokio::test]
async fn bad_input_sends_nothing() {
    let (server, client) = setup().await;
    forbid_calls(&server).await;
    let short = CreateEntity::new(service(), "u1").send(&client).await;
    assert!(short.expect_err("identity").is_invalid_input());
    let slash = FetchFactor::new(service(), "../Services", yf())
        .send(&client)
        .await;
    assert!(slash.expect_err("identity").is_invalid_input());
    let push = CreateFactor::new(service(), ID, "Pixel", FactorType::Push)
        .send(&client)
        .await;
    assert!(push.expect_err("push needs a key").is_invalid_input());
    let ttl = CreateAccessToken::new(service(), ID, FactorType::Push)
        .ttl(30)
        .send(&client)
        .await;
    assert!(ttl.expect_err("ttl").is_invalid_input());
    let code = CreateChallenge::new(service(), ID, yf())
        .auth_payload("1")
        .send(&client)
        .await;
    assert!(code.expect_err("payload").is_invalid_input());
    assert_eq!(hits(&server).await, 0);
}
