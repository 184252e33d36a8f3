//! Conformance with Twilio's own OpenAPI description of Verify v2, served by the Prism mock.
//!
//! Run it with `scripts/conformance`, which finds the spec, installs and starts Prism (static and
//! dynamic), and sets the environment this suite reads:
//!
//! - `CONFORMANCE_SPEC`: the spec file (JSON);
//! - `CONFORMANCE_PRISM_URL`: Prism in static mode (answers with the spec's examples);
//! - `CONFORMANCE_PRISM_DYNAMIC_URL`: Prism in dynamic mode (random schema-valid answers);
//! - `CONFORMANCE_TABLE` (optional): where to write the coverage table (Markdown).
//!
//! Checks, for every implemented operation: (1) requests with only the required parameters and
//! with every parameter are accepted by Prism, and the answers decode; (2) the keys sent equal the
//! spec's parameters; (3) every property of the response schema is a field of the model; (4) 50
//! random dynamic answers decode.

#![cfg(feature = "client")]
#![allow(deprecated)] // every parameter is set, the deprecated ones included

use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write as _;

use serde_json::Value;
use twilio_verify::sid::{CredentialSid, MessagingServiceSid, TemplateSid};
use twilio_verify::verify::{
    AccessToken, ApprovePasskeyChallenge, AssertionResponse, AttestationResponse, Challenge,
    ChallengeStatus, CreateAccessToken, CreateChallenge, CreateEntity, CreateFactor,
    CreateNotification, CreatePasskeyChallenge, CreatePasskeyFactor, CreateWebhook, DeleteEntity,
    DeleteFactor, DeleteWebhook, Entity, Factor, FactorType, FetchAccessToken, FetchChallenge,
    FetchEntity, FetchFactor, FetchWebhook, ListChallenges, ListEntities, ListFactors, ListOrder,
    ListWebhooks, NewFactor, Notification, NotificationPlatform, TotpAlgorithm, Transport,
    UpdateChallenge, UpdateFactor, UpdateWebhook, VerifyPasskeyFactor, Webhook, WebhookEvent,
    WebhookStatus, WebhookVersion,
};
use twilio_verify::verify::{
    AttemptChannel, ConversionStatus, CreateSafelist, DeleteSafelist, FetchSafelist,
    FetchVerificationAttempt, FetchVerificationAttemptsSummary, ListVerificationAttempts,
    SafelistNumber, VerificationAttempt, VerificationAttemptsSummary,
};
use twilio_verify::verify::{
    AuthenticatorAttachment, Channel, ChannelConfiguration, CreateService, CreateVerification,
    CreateVerificationCheck, DeleteService, FetchService, FetchVerification, ListServices,
    PasskeyRequirement, RiskCheck, Service, UpdateService, UpdateVerification, Verification,
    VerificationCheck,
};
use twilio_verify::verify::{
    Bucket, CreateBucket, CreateRateLimit, DeleteBucket, DeleteRateLimit, FetchBucket,
    FetchRateLimit, ListBuckets, ListRateLimits, RateLimit, UpdateBucket, UpdateRateLimit,
};
use twilio_verify::verify::{
    CreateMessagingConfiguration, DeleteMessagingConfiguration, FetchMessagingConfiguration,
    ListMessagingConfigurations, MessagingConfiguration, UpdateMessagingConfiguration,
};
use twilio_verify::verify::{FetchForm, Form, FormType, ListTemplates, Template};
use twilio_verify::wire::WireRequest;
use twilio_verify::{Client, Page, ServiceSid};

const SERVICE: &str = "VAaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa";
const VERIFICATION: &str = "VEaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa";
const PHONE: &str = "+15017122661";
const DYNAMIC_CALLS: usize = 50;

/// The operations this crate implements.
const IMPLEMENTED: &[&str] = &[
    "CreateService",
    "FetchService",
    "ListService",
    "UpdateService",
    "DeleteService",
    "CreateVerification",
    "FetchVerification",
    "UpdateVerification",
    "CreateVerificationCheck",
    "CreateSafelist",
    "FetchSafelist",
    "DeleteSafelist",
    "ListVerificationAttempt",
    "FetchVerificationAttempt",
    "FetchVerificationAttemptsSummary",
    "ListVerificationTemplate",
    "FetchForm",
    "CreateRateLimit",
    "ListRateLimit",
    "FetchRateLimit",
    "UpdateRateLimit",
    "DeleteRateLimit",
    "CreateBucket",
    "ListBucket",
    "FetchBucket",
    "UpdateBucket",
    "DeleteBucket",
    "CreateMessagingConfiguration",
    "ListMessagingConfiguration",
    "FetchMessagingConfiguration",
    "UpdateMessagingConfiguration",
    "DeleteMessagingConfiguration",
    "CreateWebhook",
    "ListWebhook",
    "FetchWebhook",
    "UpdateWebhook",
    "DeleteWebhook",
    "CreateAccessToken",
    "FetchAccessToken",
    "CreateEntity",
    "ListEntity",
    "FetchEntity",
    "DeleteEntity",
    "CreateNewFactor",
    "ListFactor",
    "FetchFactor",
    "UpdateFactor",
    "DeleteFactor",
    "CreateChallenge",
    "ListChallenge",
    "FetchChallenge",
    "UpdateChallenge",
    "CreateNotification",
    "CreateNewFactorPasskey",
    "UpdatePasskeysFactor",
    "CreateChallengePasskeys",
    "UpdateChallengePasskeys",
];

fn service() -> ServiceSid {
    SERVICE.parse().expect("sid")
}

/// Applies the setter of one Create/UpdateService setting; `None` when the crate has none.
macro_rules! service_setting {
    ($req:expr, $key:expr) => {{
        let cr: CredentialSid = "CRaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa".parse().expect("cr");
        let hj: TemplateSid = "HJaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa".parse().expect("hj");
        let mg: MessagingServiceSid = "MGaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa".parse().expect("mg");
        let r = $req;
        match $key {
            "CodeLength" => Some(r.code_length(6)),
            "LookupEnabled" => Some(r.lookup_enabled(true)),
            "SkipSmsToLandlines" => Some(r.skip_sms_to_landlines(false)),
            "DtmfInputRequired" => Some(r.dtmf_input_required(true)),
            "TtsName" => Some(r.tts_name("Acme")),
            "Psd2Enabled" => Some(r.psd2_enabled(false)),
            "DoNotShareWarningEnabled" => Some(r.do_not_share_warning_enabled(true)),
            "CustomCodeEnabled" => Some(r.custom_code_enabled(true)),
            "Push.IncludeDate" => Some(r.push_include_date(false)),
            "Push.ApnCredentialSid" => Some(r.push_apn_credential_sid(&cr)),
            "Push.FcmCredentialSid" => Some(r.push_fcm_credential_sid(&cr)),
            "Totp.Issuer" => Some(r.totp_issuer("Acme")),
            "Totp.TimeStep" => Some(r.totp_time_step(30)),
            "Totp.CodeLength" => Some(r.totp_code_length(6)),
            "Totp.Skew" => Some(r.totp_skew(1)),
            "DefaultTemplateSid" => Some(r.default_template_sid(hj)),
            "Whatsapp.MsgServiceSid" => Some(r.whatsapp_msg_service_sid(mg)),
            "Whatsapp.From" => Some(r.whatsapp_from("whatsapp:+15005550006")),
            "Passkeys.RelyingParty.Id" => Some(r.passkeys_relying_party_id("acme.example")),
            "Passkeys.RelyingParty.Name" => Some(r.passkeys_relying_party_name("Acme")),
            "Passkeys.RelyingParty.Origins" => Some(r.passkeys_relying_party_origins([
                "https://acme.example",
                "https://login.acme.example",
            ])),
            "Passkeys.AuthenticatorAttachment" => {
                Some(r.passkeys_authenticator_attachment(AuthenticatorAttachment::Platform))
            }
            "Passkeys.DiscoverableCredentials" => {
                Some(r.passkeys_discoverable_credentials(PasskeyRequirement::Preferred))
            }
            "Passkeys.UserVerification" => {
                Some(r.passkeys_user_verification(PasskeyRequirement::Required))
            }
            "VerifyEventSubscriptionEnabled" => Some(r.verify_event_subscription_enabled(false)),
            _ => None,
        }
    }};
}

/// Builds the request with every parameter the spec lists for it, through the crate's
/// setters; the keys the crate has no setter for are returned beside it.
fn full<R: Clone>(
    mut req: R,
    keys: &BTreeSet<String>,
    by_constructor: &[&str],
    set: impl Fn(R, &str) -> Option<R>,
) -> (R, Vec<String>) {
    let mut missing = Vec::new();
    for k in keys {
        if by_constructor.contains(&k.as_str()) {
            continue;
        }
        match set(req.clone(), k) {
            Some(r) => req = r,
            None => missing.push(k.clone()),
        }
    }
    (req, missing)
}

fn create_service_full(keys: &BTreeSet<String>) -> (CreateService, Vec<String>) {
    full(
        CreateService::new("Acme"),
        keys,
        &["FriendlyName"],
        |r, k| service_setting!(r, k),
    )
}

fn update_service_full(keys: &BTreeSet<String>) -> (UpdateService, Vec<String>) {
    full(UpdateService::new(service()), keys, &[], |r, k| match k {
        "FriendlyName" => Some(r.friendly_name("Acme")),
        _ => service_setting!(r, k),
    })
}

fn create_verification_full(keys: &BTreeSet<String>) -> (CreateVerification, Vec<String>) {
    let hj: TemplateSid = "HJaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa".parse().expect("hj");
    let req = CreateVerification::new(service(), PHONE, Channel::Sms);
    full(req, keys, &["To", "Channel"], |r, k| match k {
        "CustomFriendlyName" => Some(r.custom_friendly_name("Acme")),
        "CustomMessage" => Some(r.custom_message("m")),
        "SendDigits" => Some(r.send_digits("ww1")),
        "Locale" => Some(r.locale("en")),
        "CustomCode" => Some(r.custom_code("123456")),
        "Amount" => Some(r.amount("10.00")),
        "Payee" => Some(r.payee("Acme")),
        "RateLimits" => Some(r.rate_limit("end_user_ip_address", "127.0.0.1")),
        "ChannelConfiguration" => Some(
            r.channel_configuration(
                ChannelConfiguration::new()
                    .from("a@acme.example")
                    .template_id("d-1"),
            ),
        ),
        "AppHash" => Some(r.app_hash("hash")),
        "TemplateSid" => Some(r.template_sid(hj.clone())),
        "TemplateCustomSubstitutions" => Some(r.template_custom_substitution("name", "Jane")),
        "DeviceIp" => Some(r.device_ip("127.0.0.1".parse().expect("ip"))),
        "EnableSnaClientToken" => Some(r.enable_sna_client_token(true)),
        "RiskCheck" => Some(r.risk_check(RiskCheck::Enable)),
        "Tags" => Some(r.tag("flow", "login")),
        _ => None,
    })
}

/// Checks by `To` and by `VerificationSid` (one request cannot carry both).
fn checks_full(keys: &BTreeSet<String>) -> (Vec<CreateVerificationCheck>, Vec<String>) {
    let mut missing = Vec::new();
    let reqs = [PHONE, VERIFICATION].map(|target| {
        let base = if keys.contains("Code") {
            CreateVerificationCheck::new(service(), target, "123456")
        } else {
            CreateVerificationCheck::without_code(service(), target)
        };
        let (r, m) = full(
            base,
            keys,
            &["Code", "To", "VerificationSid"],
            |r, k| match k {
                "Amount" => Some(r.amount("10.00")),
                "Payee" => Some(r.payee("Acme")),
                "SnaClientToken" => Some(r.sna_client_token("tok")),
                _ => None,
            },
        );
        missing = m;
        r
    });
    (reqs.to_vec(), missing)
}

fn list_full(keys: &BTreeSet<String>) -> (ListServices, Vec<String>) {
    full(ListServices::new(), keys, &[], |r, k| match k {
        "PageSize" => Some(r.page_size(20)),
        "Page" => Some(r.page(0)),
        "PageToken" => Some(r.page_token("PT1")),
        _ => None,
    })
}

const ATTEMPT: &str = "VLaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa";

fn when() -> twilio_verify::Timestamp {
    twilio_verify::Timestamp::parse("2022-03-02T21:02:33Z").expect("time")
}

fn attempts_full(keys: &BTreeSet<String>) -> (ListVerificationAttempts, Vec<String>) {
    full(ListVerificationAttempts::new(), keys, &[], |r, k| match k {
        "DateCreatedAfter" => Some(r.date_created_after(when())),
        "DateCreatedBefore" => Some(r.date_created_before(when())),
        "ChannelData.To" => Some(r.channel_data_to(PHONE)),
        "Country" => Some(r.country("CO")),
        "Channel" => Some(r.channel(AttemptChannel::Sms)),
        "VerifyServiceSid" => Some(r.verify_service_sid(service())),
        "VerificationSid" => Some(
            r.verification_sid(
                VERIFICATION
                    .parse::<twilio_verify::VerificationSid>()
                    .expect("ve"),
            ),
        ),
        "Status" => Some(r.status(ConversionStatus::Unconverted)),
        "PageSize" => Some(r.page_size(20)),
        "Page" => Some(r.page(0)),
        "PageToken" => Some(r.page_token("PT1")),
        _ => None,
    })
}

fn summary_full(keys: &BTreeSet<String>) -> (FetchVerificationAttemptsSummary, Vec<String>) {
    full(
        FetchVerificationAttemptsSummary::new(),
        keys,
        &[],
        |r, k| match k {
            "DateCreatedAfter" => Some(r.date_created_after(when())),
            "DateCreatedBefore" => Some(r.date_created_before(when())),
            "Country" => Some(r.country("CO")),
            "Channel" => Some(r.channel(AttemptChannel::Sms)),
            "VerifyServiceSid" => Some(r.verify_service_sid(service())),
            "DestinationPrefix" => Some(r.destination_prefix("+57305")),
            _ => None,
        },
    )
}

fn templates_full(keys: &BTreeSet<String>) -> (ListTemplates, Vec<String>) {
    full(ListTemplates::new(), keys, &[], |r, k| match k {
        "FriendlyName" => Some(r.friendly_name("Base")),
        "PageSize" => Some(r.page_size(20)),
        "Page" => Some(r.page(0)),
        "PageToken" => Some(r.page_token("PT1")),
        _ => None,
    })
}

fn rk() -> twilio_verify::sid::RateLimitSid {
    "RKaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa".parse().expect("rk")
}

fn bl() -> twilio_verify::sid::BucketSid {
    "BLaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa".parse().expect("bl")
}

fn paging_full<R: Clone>(
    req: R,
    keys: &BTreeSet<String>,
    size: fn(R, u32) -> R,
    page: fn(R, u32) -> R,
    token: fn(R, String) -> R,
) -> (R, Vec<String>) {
    full(req, keys, &[], |r, k| match k {
        "PageSize" => Some(size(r, 20)),
        "Page" => Some(page(r, 0)),
        "PageToken" => Some(token(r, "PT1".to_owned())),
        _ => None,
    })
}

fn rate_limit_update_full(keys: &BTreeSet<String>) -> (UpdateRateLimit, Vec<String>) {
    full(
        UpdateRateLimit::new(service(), rk()),
        keys,
        &[],
        |r, k| match k {
            "Description" => Some(r.description("per IP")),
            _ => None,
        },
    )
}

fn rate_limit_create_full(keys: &BTreeSet<String>) -> (CreateRateLimit, Vec<String>) {
    full(
        CreateRateLimit::new(service(), "end_user_ip"),
        keys,
        &["UniqueName"],
        |r, k| match k {
            "Description" => Some(r.description("per IP")),
            _ => None,
        },
    )
}

fn bucket_update_full(keys: &BTreeSet<String>) -> (UpdateBucket, Vec<String>) {
    full(
        UpdateBucket::new(service(), rk(), bl()),
        keys,
        &[],
        |r, k| match k {
            "Max" => Some(r.max(5)),
            "Interval" => Some(r.interval(60)),
            _ => None,
        },
    )
}

fn list_rate_limits_full(keys: &BTreeSet<String>) -> (ListRateLimits, Vec<String>) {
    paging_full(
        ListRateLimits::new(service()),
        keys,
        ListRateLimits::page_size,
        ListRateLimits::page,
        |r, t| r.page_token(t),
    )
}

fn list_buckets_full(keys: &BTreeSet<String>) -> (ListBuckets, Vec<String>) {
    paging_full(
        ListBuckets::new(service(), rk()),
        keys,
        ListBuckets::page_size,
        ListBuckets::page,
        |r, t| r.page_token(t),
    )
}

fn mg() -> MessagingServiceSid {
    "MGaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa".parse().expect("mg")
}

fn list_configurations_full(keys: &BTreeSet<String>) -> (ListMessagingConfigurations, Vec<String>) {
    paging_full(
        ListMessagingConfigurations::new(service()),
        keys,
        ListMessagingConfigurations::page_size,
        ListMessagingConfigurations::page,
        |r, t| r.page_token(t),
    )
}

/// Parameters a request carries through its constructor: none may be missing from the spec's
/// list, and none of the spec's may lack one.
fn constructor_only(keys: &BTreeSet<String>, by_constructor: &[&str]) -> Vec<String> {
    keys.iter()
        .filter(|k| !by_constructor.contains(&k.as_str()))
        .cloned()
        .collect()
}

fn attempt_sid() -> twilio_verify::sid::AttemptSid {
    ATTEMPT.parse().expect("vl")
}

/// The requests of `op`: `(required-only variants, every-parameter variants, spec parameters
/// without a setter)`.
fn requests(
    op: &str,
    keys: &BTreeSet<String>,
) -> (Vec<WireRequest>, Vec<WireRequest>, Vec<String>) {
    if let Some(found) = newer_requests(op, keys) {
        return found;
    }
    let w = |r: Result<WireRequest, twilio_verify::InvalidInput>| r.expect("valid request");
    match op {
        "CreateService" => {
            let (f, m) = create_service_full(keys);
            (
                vec![w(CreateService::new("Acme").to_wire())],
                vec![w(f.to_wire())],
                m,
            )
        }
        "FetchService" => {
            let r = w(FetchService::new(service()).to_wire());
            (vec![r.clone()], vec![r], Vec::new())
        }
        "ListService" => {
            let (f, m) = list_full(keys);
            (
                vec![w(ListServices::new().to_wire())],
                vec![w(f.to_wire())],
                m,
            )
        }
        "UpdateService" => {
            let (f, m) = update_service_full(keys);
            (
                vec![w(UpdateService::new(service()).to_wire())],
                vec![w(f.to_wire())],
                m,
            )
        }
        "DeleteService" => {
            let r = w(DeleteService::new(service()).to_wire());
            (vec![r.clone()], vec![r], Vec::new())
        }
        "CreateVerification" => {
            let (f, m) = create_verification_full(keys);
            (
                vec![w(
                    CreateVerification::new(service(), PHONE, Channel::Sms).to_wire()
                )],
                vec![w(f.to_wire())],
                m,
            )
        }
        "FetchVerification" => {
            let v = vec![
                w(FetchVerification::new(service(), VERIFICATION).to_wire()),
                w(FetchVerification::new(service(), PHONE).to_wire()),
            ];
            (v.clone(), v, Vec::new())
        }
        "UpdateVerification" => {
            let missing = keys.iter().filter(|k| *k != "Status").cloned().collect();
            (
                vec![w(UpdateVerification::approve(service(), PHONE).to_wire())],
                vec![
                    w(UpdateVerification::approve(service(), VERIFICATION).to_wire()),
                    w(UpdateVerification::cancel(service(), PHONE).to_wire()),
                ],
                missing,
            )
        }
        "CreateVerificationCheck" => {
            let (f, m) = checks_full(keys);
            (
                vec![w(
                    CreateVerificationCheck::without_code(service(), PHONE).to_wire()
                )],
                f.iter().map(|r| w(r.to_wire())).collect(),
                m,
            )
        }
        "CreateSafelist" => {
            let r = w(CreateSafelist::new(PHONE).to_wire());
            (
                vec![r.clone()],
                vec![r],
                keys.iter()
                    .filter(|k| *k != "PhoneNumber")
                    .cloned()
                    .collect(),
            )
        }
        "FetchSafelist" => {
            let r = w(FetchSafelist::new(PHONE).to_wire());
            (vec![r.clone()], vec![r], Vec::new())
        }
        "DeleteSafelist" => {
            let r = w(DeleteSafelist::new(PHONE).to_wire());
            (vec![r.clone()], vec![r], Vec::new())
        }
        "ListVerificationAttempt" => {
            let (f, m) = attempts_full(keys);
            (
                vec![w(ListVerificationAttempts::new().to_wire())],
                vec![w(f.to_wire())],
                m,
            )
        }
        "FetchVerificationAttempt" => {
            let r = w(FetchVerificationAttempt::new(attempt_sid()).to_wire());
            (vec![r.clone()], vec![r], Vec::new())
        }
        "FetchVerificationAttemptsSummary" => {
            let (f, m) = summary_full(keys);
            (
                vec![w(FetchVerificationAttemptsSummary::new().to_wire())],
                vec![w(f.to_wire())],
                m,
            )
        }
        "ListVerificationTemplate" => {
            let (f, m) = templates_full(keys);
            (
                vec![w(ListTemplates::new().to_wire())],
                vec![w(f.to_wire())],
                m,
            )
        }
        "FetchForm" => {
            let r = w(FetchForm::new(FormType::FormPush).to_wire());
            (vec![r.clone()], vec![r], Vec::new())
        }
        "CreateRateLimit" => {
            let (f, m) = rate_limit_create_full(keys);
            (
                vec![w(CreateRateLimit::new(service(), "end_user_ip").to_wire())],
                vec![w(f.to_wire())],
                m,
            )
        }
        "ListRateLimit" => {
            let (f, m) = list_rate_limits_full(keys);
            (
                vec![w(ListRateLimits::new(service()).to_wire())],
                vec![w(f.to_wire())],
                m,
            )
        }
        "FetchRateLimit" => {
            let r = w(FetchRateLimit::new(service(), rk()).to_wire());
            (vec![r.clone()], vec![r], Vec::new())
        }
        "UpdateRateLimit" => {
            let (f, m) = rate_limit_update_full(keys);
            (
                vec![w(UpdateRateLimit::new(service(), rk()).to_wire())],
                vec![w(f.to_wire())],
                m,
            )
        }
        "DeleteRateLimit" => {
            let r = w(DeleteRateLimit::new(service(), rk()).to_wire());
            (vec![r.clone()], vec![r], Vec::new())
        }
        "CreateBucket" => {
            let r = w(CreateBucket::new(service(), rk(), 5, 60).to_wire());
            let missing = keys
                .iter()
                .filter(|k| *k != "Max" && *k != "Interval")
                .cloned()
                .collect();
            (vec![r.clone()], vec![r], missing)
        }
        "ListBucket" => {
            let (f, m) = list_buckets_full(keys);
            (
                vec![w(ListBuckets::new(service(), rk()).to_wire())],
                vec![w(f.to_wire())],
                m,
            )
        }
        "FetchBucket" => {
            let r = w(FetchBucket::new(service(), rk(), bl()).to_wire());
            (vec![r.clone()], vec![r], Vec::new())
        }
        "UpdateBucket" => {
            let (f, m) = bucket_update_full(keys);
            (
                vec![w(UpdateBucket::new(service(), rk(), bl()).to_wire())],
                vec![w(f.to_wire())],
                m,
            )
        }
        "DeleteBucket" => {
            let r = w(DeleteBucket::new(service(), rk(), bl()).to_wire());
            (vec![r.clone()], vec![r], Vec::new())
        }
        "CreateMessagingConfiguration" => {
            let r = w(CreateMessagingConfiguration::new(service(), "CA", mg()).to_wire());
            (
                vec![r.clone()],
                vec![r],
                constructor_only(keys, &["Country", "MessagingServiceSid"]),
            )
        }
        "ListMessagingConfiguration" => {
            let (f, m) = list_configurations_full(keys);
            (
                vec![w(ListMessagingConfigurations::new(service()).to_wire())],
                vec![w(f.to_wire())],
                m,
            )
        }
        "FetchMessagingConfiguration" => {
            let r = w(FetchMessagingConfiguration::new(service(), "CA").to_wire());
            (vec![r.clone()], vec![r], Vec::new())
        }
        "UpdateMessagingConfiguration" => {
            let r = w(UpdateMessagingConfiguration::new(service(), "CA", mg()).to_wire());
            (
                vec![r.clone()],
                vec![r],
                constructor_only(keys, &["MessagingServiceSid"]),
            )
        }
        "DeleteMessagingConfiguration" => {
            let r = w(DeleteMessagingConfiguration::new(service(), "CA").to_wire());
            (vec![r.clone()], vec![r], Vec::new())
        }
        other => panic!("no requests for {other}"),
    }
}

/// Sends `op`'s requests through the crate and returns each answer's model, re-serialized.
async fn send(
    op: &str,
    client: &Client,
    full: bool,
    keys: &BTreeSet<String>,
) -> Vec<Result<Value, String>> {
    fn model<T: serde::Serialize>(r: twilio_verify::Result<T>) -> Result<Value, String> {
        r.map_err(|e| format!("{e:?}"))
            .and_then(|m| serde_json::to_value(m).map_err(|e| e.to_string()))
    }
    if let Some(found) = newer_send(op, client, full, keys).await {
        return found;
    }
    let mut out = Vec::new();
    match op {
        "CreateService" => {
            let r = if full {
                create_service_full(keys).0
            } else {
                CreateService::new("Acme")
            };
            out.push(model(r.send(client).await));
        }
        "FetchService" => out.push(model(FetchService::new(service()).send(client).await)),
        "ListService" => {
            let r = if full {
                list_full(keys).0
            } else {
                ListServices::new()
            };
            out.push(model(r.send(client).await));
        }
        "UpdateService" => {
            let r = if full {
                update_service_full(keys).0
            } else {
                UpdateService::new(service())
            };
            out.push(model(r.send(client).await));
        }
        "DeleteService" => {
            let r = DeleteService::new(service()).send(client).await;
            out.push(r.map_err(|e| format!("{e:?}")).map(|()| Value::Null));
        }
        "CreateVerification" => {
            let r = if full {
                create_verification_full(keys).0
            } else {
                CreateVerification::new(service(), PHONE, Channel::Sms)
            };
            out.push(model(r.send(client).await));
        }
        "FetchVerification" => {
            for target in [VERIFICATION, PHONE] {
                out.push(model(
                    FetchVerification::new(service(), target).send(client).await,
                ));
            }
        }
        "UpdateVerification" => {
            let reqs = if full {
                vec![
                    UpdateVerification::approve(service(), VERIFICATION),
                    UpdateVerification::cancel(service(), PHONE),
                ]
            } else {
                vec![UpdateVerification::approve(service(), PHONE)]
            };
            for r in reqs {
                out.push(model(r.send(client).await));
            }
        }
        "CreateVerificationCheck" => {
            let reqs = if full {
                checks_full(keys).0
            } else {
                vec![CreateVerificationCheck::without_code(service(), PHONE)]
            };
            for r in reqs {
                out.push(model(r.send(client).await));
            }
        }
        "CreateSafelist" => out.push(model(CreateSafelist::new(PHONE).send(client).await)),
        "FetchSafelist" => out.push(model(FetchSafelist::new(PHONE).send(client).await)),
        "DeleteSafelist" => {
            let r = DeleteSafelist::new(PHONE).send(client).await;
            out.push(r.map_err(|e| format!("{e:?}")).map(|()| Value::Null));
        }
        "ListVerificationAttempt" => {
            let r = if full {
                attempts_full(keys).0
            } else {
                ListVerificationAttempts::new()
            };
            out.push(model(r.send(client).await));
        }
        "FetchVerificationAttempt" => {
            out.push(model(
                FetchVerificationAttempt::new(attempt_sid())
                    .send(client)
                    .await,
            ));
        }
        "FetchVerificationAttemptsSummary" => {
            let r = if full {
                summary_full(keys).0
            } else {
                FetchVerificationAttemptsSummary::new()
            };
            out.push(model(r.send(client).await));
        }
        "ListVerificationTemplate" => {
            let r = if full {
                templates_full(keys).0
            } else {
                ListTemplates::new()
            };
            out.push(model(r.send(client).await));
        }
        "FetchForm" => out.push(model(FetchForm::new(FormType::FormPush).send(client).await)),
        "CreateRateLimit" => {
            let r = if full {
                rate_limit_create_full(keys).0
            } else {
                CreateRateLimit::new(service(), "end_user_ip")
            };
            out.push(model(r.send(client).await));
        }
        "ListRateLimit" => {
            let r = if full {
                list_rate_limits_full(keys).0
            } else {
                ListRateLimits::new(service())
            };
            out.push(model(r.send(client).await));
        }
        "FetchRateLimit" => out.push(model(
            FetchRateLimit::new(service(), rk()).send(client).await,
        )),
        "UpdateRateLimit" => {
            let r = if full {
                rate_limit_update_full(keys).0
            } else {
                UpdateRateLimit::new(service(), rk())
            };
            out.push(model(r.send(client).await));
        }
        "DeleteRateLimit" => {
            let r = DeleteRateLimit::new(service(), rk()).send(client).await;
            out.push(r.map_err(|e| format!("{e:?}")).map(|()| Value::Null));
        }
        "CreateBucket" => out.push(model(
            CreateBucket::new(service(), rk(), 5, 60).send(client).await,
        )),
        "ListBucket" => {
            let r = if full {
                list_buckets_full(keys).0
            } else {
                ListBuckets::new(service(), rk())
            };
            out.push(model(r.send(client).await));
        }
        "FetchBucket" => out.push(model(
            FetchBucket::new(service(), rk(), bl()).send(client).await,
        )),
        "UpdateBucket" => {
            let r = if full {
                bucket_update_full(keys).0
            } else {
                UpdateBucket::new(service(), rk(), bl())
            };
            out.push(model(r.send(client).await));
        }
        "DeleteBucket" => {
            let r = DeleteBucket::new(service(), rk(), bl()).send(client).await;
            out.push(r.map_err(|e| format!("{e:?}")).map(|()| Value::Null));
        }
        "CreateMessagingConfiguration" => {
            out.push(model(
                CreateMessagingConfiguration::new(service(), "CA", mg())
                    .send(client)
                    .await,
            ));
        }
        "ListMessagingConfiguration" => {
            let r = if full {
                list_configurations_full(keys).0
            } else {
                ListMessagingConfigurations::new(service())
            };
            out.push(model(r.send(client).await));
        }
        "FetchMessagingConfiguration" => {
            out.push(model(
                FetchMessagingConfiguration::new(service(), "CA")
                    .send(client)
                    .await,
            ));
        }
        "UpdateMessagingConfiguration" => {
            out.push(model(
                UpdateMessagingConfiguration::new(service(), "CA", mg())
                    .send(client)
                    .await,
            ));
        }
        "DeleteMessagingConfiguration" => {
            let r = DeleteMessagingConfiguration::new(service(), "CA")
                .send(client)
                .await;
            out.push(r.map_err(|e| format!("{e:?}")).map(|()| Value::Null));
        }
        other => panic!("cannot send {other}"),
    }
    out
}

/// Decodes an example answer of `op` into its model and re-serializes it.
fn decode_example(op: &str, example: &Value) -> Result<Value, String> {
    fn round<T: serde::de::DeserializeOwned + serde::Serialize>(
        v: &Value,
    ) -> Result<Value, String> {
        let m: T = serde_json::from_value(v.clone()).map_err(|e| e.to_string())?;
        serde_json::to_value(m).map_err(|e| e.to_string())
    }
    match op {
        "CreateService" | "FetchService" | "UpdateService" => round::<Service>(example),
        "ListService" => round::<Page<Service>>(example),
        "CreateVerification" | "FetchVerification" | "UpdateVerification" => {
            round::<Verification>(example)
        }
        "CreateVerificationCheck" => round::<VerificationCheck>(example),
        "CreateSafelist" | "FetchSafelist" => round::<SafelistNumber>(example),
        "ListVerificationAttempt" => round::<Page<VerificationAttempt>>(example),
        "FetchVerificationAttempt" => round::<VerificationAttempt>(example),
        "FetchVerificationAttemptsSummary" => round::<VerificationAttemptsSummary>(example),
        "ListVerificationTemplate" => round::<Page<Template>>(example),
        "FetchForm" => round::<Form>(example),
        "CreateRateLimit" | "FetchRateLimit" | "UpdateRateLimit" => round::<RateLimit>(example),
        "ListRateLimit" => round::<Page<RateLimit>>(example),
        "CreateBucket" | "FetchBucket" | "UpdateBucket" => round::<Bucket>(example),
        "ListBucket" => round::<Page<Bucket>>(example),
        "CreateMessagingConfiguration"
        | "FetchMessagingConfiguration"
        | "UpdateMessagingConfiguration" => round::<MessagingConfiguration>(example),
        "ListMessagingConfiguration" => round::<Page<MessagingConfiguration>>(example),
        "CreateWebhook" | "FetchWebhook" | "UpdateWebhook" => round::<Webhook>(example),
        "ListWebhook" => round::<Page<Webhook>>(example),
        "CreateAccessToken" | "FetchAccessToken" => round::<AccessToken>(example),
        "CreateEntity" | "FetchEntity" => round::<Entity>(example),
        "ListEntity" => round::<Page<Entity>>(example),
        "CreateNewFactor" | "CreateNewFactorPasskey" => round::<NewFactor>(example),
        "FetchFactor" | "UpdateFactor" | "UpdatePasskeysFactor" => round::<Factor>(example),
        "ListFactor" => round::<Page<Factor>>(example),
        "CreateChallenge"
        | "FetchChallenge"
        | "UpdateChallenge"
        | "CreateChallengePasskeys"
        | "UpdateChallengePasskeys" => round::<Challenge>(example),
        "ListChallenge" => round::<Page<Challenge>>(example),
        "CreateNotification" => round::<Notification>(example),
        other => Err(format!("no model for {other}")),
    }
}

// ---- The Push, TOTP, webhook and Passkeys operations ------------------------------------------
//
// Each builder returns the requests of an operation (with only what is required, or with every
// parameter the spec lists) and the spec parameters it found no setter for. One builder feeds
// both the wire checks and the sends, through `Op`.

const IDENTITY: &str = "ff483d1ff591898a9942916050d2ca3f";

/// A request the suite can turn into its wire form and send.
trait Op: Sized {
    fn wire(&self) -> WireRequest;
    async fn go(self, client: &Client) -> Result<Value, String>;
}

macro_rules! op {
    ($($t:ty),+ $(,)?) => {
        $(impl Op for $t {
            fn wire(&self) -> WireRequest {
                self.to_wire().expect("valid request")
            }
            async fn go(self, client: &Client) -> Result<Value, String> {
                self.send(client)
                    .await
                    .map_err(|e| format!("{e:?}"))
                    .and_then(|m| serde_json::to_value(m).map_err(|e| e.to_string()))
            }
        })+
    };
}

op!(
    CreateWebhook,
    ListWebhooks,
    FetchWebhook,
    UpdateWebhook,
    DeleteWebhook,
    CreateAccessToken,
    FetchAccessToken,
    CreateEntity,
    ListEntities,
    FetchEntity,
    DeleteEntity,
    CreateFactor,
    ListFactors,
    FetchFactor,
    UpdateFactor,
    DeleteFactor,
    CreateChallenge,
    ListChallenges,
    FetchChallenge,
    UpdateChallenge,
    CreateNotification,
    CreatePasskeyFactor,
    VerifyPasskeyFactor,
    CreatePasskeyChallenge,
    ApprovePasskeyChallenge,
);

type Built<R> = (Vec<R>, Vec<String>);

/// The required-only request, or the every-parameter one built with `set`.
fn one<R: Clone>(
    base: R,
    keys: &BTreeSet<String>,
    full_set: bool,
    by_constructor: &[&str],
    set: impl Fn(R, &str) -> Option<R>,
) -> Built<R> {
    if full_set {
        let (r, m) = full(base, keys, by_constructor, set);
        (vec![r], m)
    } else {
        (vec![base], Vec::new())
    }
}

/// A request without parameters of its own.
fn bare<R>(r: R, keys: &BTreeSet<String>) -> Built<R> {
    (vec![r], keys.iter().cloned().collect())
}

fn yw() -> twilio_verify::sid::WebhookSid {
    "YWaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa".parse().expect("yw")
}
fn yf() -> twilio_verify::sid::FactorSid {
    "YFaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa".parse().expect("yf")
}
fn yc() -> twilio_verify::sid::ChallengeSid {
    "YCaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa".parse().expect("yc")
}

fn paged<R: Clone>(
    r: R,
    keys: &BTreeSet<String>,
    full_set: bool,
    size: fn(R, u32) -> R,
    page: fn(R, u32) -> R,
    token: fn(R, String) -> R,
) -> Built<R> {
    if full_set {
        let (r, m) = paging_full(r, keys, size, page, token);
        (vec![r], m)
    } else {
        (vec![r], Vec::new())
    }
}

fn create_webhook(keys: &BTreeSet<String>, f: bool) -> Built<CreateWebhook> {
    let base = CreateWebhook::new(
        service(),
        "factor events",
        [
            WebhookEvent::FactorVerified,
            WebhookEvent::ChallengeApproved,
        ],
        "https://hooks.example.com/verify",
    );
    let by = ["FriendlyName", "EventTypes", "WebhookUrl"];
    one(base, keys, f, &by, |r, k| match k {
        "Status" => Some(r.status(WebhookStatus::Enabled)),
        "Version" => Some(r.version(WebhookVersion::V2)),
        _ => None,
    })
}

fn update_webhook(keys: &BTreeSet<String>, f: bool) -> Built<UpdateWebhook> {
    one(
        UpdateWebhook::new(service(), yw()),
        keys,
        f,
        &[],
        |r, k| match k {
            "FriendlyName" => Some(r.friendly_name("renamed")),
            "EventTypes" => Some(r.event_types([WebhookEvent::FactorDeleted, WebhookEvent::All])),
            "WebhookUrl" => Some(r.webhook_url("https://hooks.example.com/v2")),
            "Status" => Some(r.status(WebhookStatus::Disabled)),
            "Version" => Some(r.version(WebhookVersion::V1)),
            _ => None,
        },
    )
}

fn create_access_token(keys: &BTreeSet<String>, f: bool) -> Built<CreateAccessToken> {
    let base = CreateAccessToken::new(service(), IDENTITY, FactorType::Push);
    one(base, keys, f, &["Identity", "FactorType"], |r, k| match k {
        "FactorFriendlyName" => Some(r.factor_friendly_name("Jane's phone")),
        "Ttl" => Some(r.ttl(120)),
        _ => None,
    })
}

fn create_factor(keys: &BTreeSet<String>, f: bool) -> Built<CreateFactor> {
    if !f {
        let totp = CreateFactor::new(service(), IDENTITY, "Jane", FactorType::Totp);
        return (vec![totp], Vec::new());
    }
    let base = CreateFactor::new(service(), IDENTITY, "Jane's phone", FactorType::Push);
    one(
        base,
        keys,
        f,
        &["FriendlyName", "FactorType"],
        |r, k| match k {
            "Binding.Alg" => Some(r.binding_alg("ES256")),
            "Binding.PublicKey" => {
                Some(r.binding_public_key("MFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAE"))
            }
            "Binding.Secret" => Some(r.binding_secret("JBSWY3DPEHPK3PXP")),
            "Config.AppId" => Some(r.config_app_id("com.example.app")),
            "Config.NotificationPlatform" => {
                Some(r.config_notification_platform(NotificationPlatform::Fcm))
            }
            "Config.NotificationToken" => Some(r.config_notification_token("t".repeat(40))),
            "Config.SdkVersion" => Some(r.config_sdk_version("1.2.0")),
            "Config.TimeStep" => Some(r.config_time_step(30)),
            "Config.Skew" => Some(r.config_skew(1)),
            "Config.CodeLength" => Some(r.config_code_length(6)),
            "Config.Alg" => Some(r.config_alg(TotpAlgorithm::Sha256)),
            "Metadata" => Some(r.metadata("os", "Android")),
            _ => None,
        },
    )
}

fn update_factor(keys: &BTreeSet<String>, f: bool) -> Built<UpdateFactor> {
    let base = UpdateFactor::new(service(), IDENTITY, yf());
    one(base, keys, f, &[], |r, k| match k {
        "AuthPayload" => Some(r.auth_payload("123456")),
        "FriendlyName" => Some(r.friendly_name("renamed")),
        "Config.NotificationToken" => Some(r.config_notification_token("t".repeat(40))),
        "Config.SdkVersion" => Some(r.config_sdk_version("1.2.0")),
        "Config.TimeStep" => Some(r.config_time_step(30)),
        "Config.Skew" => Some(r.config_skew(1)),
        "Config.CodeLength" => Some(r.config_code_length(6)),
        "Config.Alg" => Some(r.config_alg(TotpAlgorithm::Sha1)),
        "Config.NotificationPlatform" => {
            Some(r.config_notification_platform(NotificationPlatform::Apn))
        }
        _ => None,
    })
}

fn create_challenge(keys: &BTreeSet<String>, f: bool) -> Built<CreateChallenge> {
    let base = CreateChallenge::new(service(), IDENTITY, yf());
    one(base, keys, f, &["FactorSid"], |r, k| match k {
        "ExpirationDate" => Some(r.expiration_date(when())),
        "Details.Message" => Some(r.details_message("Log in to Acme?")),
        "Details.Fields" => Some(
            r.details_field("City", "Lisbon")
                .details_field("App", "Web"),
        ),
        "HiddenDetails" => Some(r.hidden_detail("ip", "203.0.113.7")),
        "AuthPayload" => Some(r.auth_payload("123456")),
        _ => None,
    })
}

fn list_challenges(keys: &BTreeSet<String>, f: bool) -> Built<ListChallenges> {
    one(
        ListChallenges::new(service(), IDENTITY),
        keys,
        f,
        &[],
        |r, k| match k {
            "FactorSid" => Some(r.factor_sid(yf())),
            "Status" => Some(r.status(ChallengeStatus::Pending)),
            "Order" => Some(r.order(ListOrder::Desc)),
            "PageSize" => Some(r.page_size(20)),
            "Page" => Some(r.page(0)),
            "PageToken" => Some(r.page_token("PT1")),
            _ => None,
        },
    )
}

fn update_challenge(keys: &BTreeSet<String>, f: bool) -> Built<UpdateChallenge> {
    one(
        UpdateChallenge::new(service(), IDENTITY, yc()),
        keys,
        f,
        &[],
        |r, k| match k {
            "AuthPayload" => Some(r.auth_payload("123456")),
            "Metadata" => Some(r.metadata("os", "iOS")),
            _ => None,
        },
    )
}

fn create_notification(keys: &BTreeSet<String>, f: bool) -> Built<CreateNotification> {
    let base = CreateNotification::new(service(), IDENTITY, yc());
    one(base, keys, f, &[], |r, k| match k {
        "Ttl" => Some(r.ttl(120)),
        _ => None,
    })
}

fn create_passkey_factor(keys: &BTreeSet<String>, f: bool) -> Built<CreatePasskeyFactor> {
    let base = CreatePasskeyFactor::new(service(), IDENTITY, "Jane's laptop");
    one(
        base,
        keys,
        f,
        &["friendly_name", "identity"],
        |r, k| match k {
            "config" => Some(
                r.relying_party_id("example.com")
                    .relying_party_name("Example")
                    .relying_party_origins(["https://example.com"])
                    .authenticator_attachment(AuthenticatorAttachment::Platform)
                    .discoverable_credentials(PasskeyRequirement::Preferred)
                    .user_verification(PasskeyRequirement::Preferred),
            ),
            _ => None,
        },
    )
}

const CREDENTIAL_ID: &str = "6ySmhJd6qGUMCthiqszyb4Od4U6TFn0v3DLz-1EZrNQ";

fn verify_passkey_factor(keys: &BTreeSet<String>, f: bool) -> Built<VerifyPasskeyFactor> {
    let response =
        AttestationResponse::new("o2NmbXRkbm9uZQ", "eyJ0eXBlIjoid2ViYXV0aG4uY3JlYXRlIn0")
            .transport(Transport::Internal);
    let base = VerifyPasskeyFactor::new(service(), response);
    one(base, keys, f, &["response"], |r, k| match k {
        "id" => Some(r.id(CREDENTIAL_ID)),
        "rawId" => Some(r.raw_id(CREDENTIAL_ID)),
        "authenticatorAttachment" => {
            Some(r.authenticator_attachment(AuthenticatorAttachment::Platform))
        }
        "type" => Some(r.credential_type("public-key")),
        _ => None,
    })
}

fn create_passkey_challenge(keys: &BTreeSet<String>, f: bool) -> Built<CreatePasskeyChallenge> {
    one(
        CreatePasskeyChallenge::new(service()),
        keys,
        f,
        &[],
        |r, k| match k {
            "identity" => Some(r.identity(IDENTITY)),
            "factor_sid" => Some(r.factor_sid(yf())),
            _ => None,
        },
    )
}

fn approve_passkey_challenge(keys: &BTreeSet<String>, f: bool) -> Built<ApprovePasskeyChallenge> {
    let response = AssertionResponse::new(
        "o3mm9u6vuaVeN4wRgDTid",
        "eyJ0eXBlIjoid2ViYXV0aG4uZ2V0In0",
        "MEYCIQDDs662",
    )
    .user_handle("WUU0ZmQzYWFmNGU0NT");
    let base = ApprovePasskeyChallenge::new(
        service(),
        CREDENTIAL_ID,
        CREDENTIAL_ID,
        AuthenticatorAttachment::Platform,
        response,
    );
    let by = ["id", "rawId", "authenticatorAttachment", "response"];
    one(base, keys, f, &by, |r, k| match k {
        "type" => Some(r.credential_type("public-key")),
        _ => None,
    })
}

/// Runs `$body` with `$build` bound to the builder of `$op`, or evaluates `$other` when `$op`
/// is not one of these operations.
macro_rules! each_newer_op {
    ($op:expr, $build:ident => $body:expr, else $other:expr) => {
        match $op {
            "CreateWebhook" => {
                let $build = create_webhook;
                $body
            }
            "ListWebhook" => {
                let $build = |k: &BTreeSet<String>, f| {
                    paged(
                        ListWebhooks::new(service()),
                        k,
                        f,
                        ListWebhooks::page_size,
                        ListWebhooks::page,
                        |r, t| r.page_token(t),
                    )
                };
                $body
            }
            "FetchWebhook" => {
                let $build = |k: &BTreeSet<String>, _| bare(FetchWebhook::new(service(), yw()), k);
                $body
            }
            "UpdateWebhook" => {
                let $build = update_webhook;
                $body
            }
            "DeleteWebhook" => {
                let $build = |k: &BTreeSet<String>, _| bare(DeleteWebhook::new(service(), yw()), k);
                $body
            }
            "CreateAccessToken" => {
                let $build = create_access_token;
                $body
            }
            "FetchAccessToken" => {
                let $build = |k: &BTreeSet<String>, _| {
                    bare(
                        FetchAccessToken::new(
                            service(),
                            "YKaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
                                .parse::<twilio_verify::sid::AccessTokenSid>()
                                .expect("yk"),
                        ),
                        k,
                    )
                };
                $body
            }
            "CreateEntity" => {
                let $build = |k: &BTreeSet<String>, _| {
                    (
                        vec![CreateEntity::new(service(), IDENTITY)],
                        constructor_only(k, &["Identity"]),
                    )
                };
                $body
            }
            "ListEntity" => {
                let $build = |k: &BTreeSet<String>, f| {
                    paged(
                        ListEntities::new(service()),
                        k,
                        f,
                        ListEntities::page_size,
                        ListEntities::page,
                        |r, t| r.page_token(t),
                    )
                };
                $body
            }
            "FetchEntity" => {
                let $build =
                    |k: &BTreeSet<String>, _| bare(FetchEntity::new(service(), IDENTITY), k);
                $body
            }
            "DeleteEntity" => {
                let $build =
                    |k: &BTreeSet<String>, _| bare(DeleteEntity::new(service(), IDENTITY), k);
                $body
            }
            "CreateNewFactor" => {
                let $build = create_factor;
                $body
            }
            "ListFactor" => {
                let $build = |k: &BTreeSet<String>, f| {
                    paged(
                        ListFactors::new(service(), IDENTITY),
                        k,
                        f,
                        ListFactors::page_size,
                        ListFactors::page,
                        |r, t| r.page_token(t),
                    )
                };
                $body
            }
            "FetchFactor" => {
                let $build =
                    |k: &BTreeSet<String>, _| bare(FetchFactor::new(service(), IDENTITY, yf()), k);
                $body
            }
            "UpdateFactor" => {
                let $build = update_factor;
                $body
            }
            "DeleteFactor" => {
                let $build =
                    |k: &BTreeSet<String>, _| bare(DeleteFactor::new(service(), IDENTITY, yf()), k);
                $body
            }
            "CreateChallenge" => {
                let $build = create_challenge;
                $body
            }
            "ListChallenge" => {
                let $build = list_challenges;
                $body
            }
            "FetchChallenge" => {
                let $build = |k: &BTreeSet<String>, _| {
                    bare(FetchChallenge::new(service(), IDENTITY, yc()), k)
                };
                $body
            }
            "UpdateChallenge" => {
                let $build = update_challenge;
                $body
            }
            "CreateNotification" => {
                let $build = create_notification;
                $body
            }
            "CreateNewFactorPasskey" => {
                let $build = create_passkey_factor;
                $body
            }
            "UpdatePasskeysFactor" => {
                let $build = verify_passkey_factor;
                $body
            }
            "CreateChallengePasskeys" => {
                let $build = create_passkey_challenge;
                $body
            }
            "UpdateChallengePasskeys" => {
                let $build = approve_passkey_challenge;
                $body
            }
            _ => $other,
        }
    };
}

fn newer_requests(
    op: &str,
    keys: &BTreeSet<String>,
) -> Option<(Vec<WireRequest>, Vec<WireRequest>, Vec<String>)> {
    each_newer_op!(op, build => {
        let (required, _) = build(keys, false);
        let (every, missing) = build(keys, true);
        Some((
            required.iter().map(Op::wire).collect(),
            every.iter().map(Op::wire).collect(),
            missing,
        ))
    }, else None)
}

async fn newer_send(
    op: &str,
    client: &Client,
    full: bool,
    keys: &BTreeSet<String>,
) -> Option<Vec<Result<Value, String>>> {
    each_newer_op!(op, build => {
        let mut out = Vec::new();
        for r in build(keys, full).0 {
            out.push(r.go(client).await);
        }
        Some(out)
    }, else None)
}

/// What the spec says about one operation.
struct SpecOp {
    id: String,
    method: String,
    path: String,
    params: BTreeSet<String>,
    /// Properties of the success schema (for a list, of the item schema plus `meta`).
    fields: BTreeSet<String>,
    /// For a list: the item array's key.
    list_key: Option<String>,
    /// Success examples: (status, example).
    examples: Vec<(String, Value)>,
}

fn resolve<'a>(spec: &'a Value, schema: &'a Value) -> &'a Value {
    match schema.get("$ref").and_then(Value::as_str) {
        Some(r) => {
            let name = r.rsplit('/').next().unwrap_or_default();
            &spec["components"]["schemas"][name]
        }
        None => schema,
    }
}

fn spec_ops(spec: &Value) -> Vec<SpecOp> {
    let mut ops = Vec::new();
    let Some(paths) = spec["paths"].as_object() else {
        return ops;
    };
    for (path, item) in paths {
        let Some(item) = item.as_object() else {
            continue;
        };
        for (method, op) in item {
            if !["get", "post", "delete"].contains(&method.as_str()) {
                continue;
            }
            let mut params = BTreeSet::new();
            for p in op["parameters"].as_array().into_iter().flatten() {
                if p["in"] == "query" {
                    params.insert(p["name"].as_str().unwrap_or_default().to_owned());
                }
            }
            if let Some(content) = op["requestBody"]["content"].as_object() {
                for c in content.values() {
                    let schema = resolve(spec, &c["schema"]);
                    for k in schema["properties"]
                        .as_object()
                        .into_iter()
                        .flatten()
                        .map(|(k, _)| k)
                    {
                        params.insert(k.clone());
                    }
                }
            }
            let mut fields = BTreeSet::new();
            let mut list_key = None;
            let mut examples = Vec::new();
            for (status, resp) in op["responses"].as_object().into_iter().flatten() {
                if !status.starts_with('2') {
                    continue;
                }
                let Some(json) = resp["content"].get("application/json") else {
                    continue;
                };
                let schema = resolve(spec, &json["schema"]);
                let props = schema["properties"].as_object();
                if let Some(props) = props {
                    let array = props
                        .iter()
                        .find(|(_, v)| v["type"] == "array" && v["items"].get("$ref").is_some());
                    if let (Some((key, arr)), true) = (array, props.contains_key("meta")) {
                        list_key = Some(key.clone());
                        let item = resolve(spec, &arr["items"]);
                        fields.extend(
                            item["properties"]
                                .as_object()
                                .into_iter()
                                .flatten()
                                .map(|(k, _)| k.clone()),
                        );
                    } else {
                        fields.extend(props.keys().cloned());
                    }
                }
                for ex in json["examples"]
                    .as_object()
                    .into_iter()
                    .flatten()
                    .map(|(_, e)| &e["value"])
                {
                    examples.push((status.clone(), ex.clone()));
                }
            }
            ops.push(SpecOp {
                id: op["operationId"].as_str().unwrap_or_default().to_owned(),
                method: method.to_uppercase(),
                path: path.clone(),
                params,
                fields,
                list_key,
                examples,
            });
        }
    }
    ops.sort_by(|a, b| a.path.cmp(&b.path).then(a.method.cmp(&b.method)));
    ops
}

/// The keys of a model (for a page: of its first item, or of an empty item when there is none).
fn model_keys(op: &SpecOp, model: &Value) -> BTreeSet<String> {
    let obj = match &op.list_key {
        Some(k) => model[k.as_str()].get(0).cloned().unwrap_or(Value::Null),
        None => model.clone(),
    };
    obj.as_object()
        .map(|m| m.keys().cloned().collect())
        .unwrap_or_default()
}

fn keys_sent(req: &wiremock::Request) -> Vec<String> {
    let json = req
        .headers
        .get("content-type")
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("application/json"));
    if json {
        let body: Value = serde_json::from_slice(&req.body).unwrap_or(Value::Null);
        return body
            .as_object()
            .map(|m| m.keys().cloned().collect())
            .unwrap_or_default();
    }
    let text = if req.method.as_str() == "GET" {
        req.url.query().unwrap_or("").as_bytes().to_vec()
    } else {
        req.body.clone()
    };
    form_urlencoded::parse(&text)
        .map(|(k, _)| k.into_owned())
        .collect()
}

fn client(url: &str) -> Client {
    Client::builder()
        .auth_token("ACaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", "conformance-token")
        .base_url(url)
        .build()
        .expect("client")
}

#[derive(Default)]
struct Row {
    params: Option<(usize, usize)>,
    fields: Option<(usize, usize)>,
}

#[tokio::test]
#[ignore = "needs Twilio's spec and the Prism mock: run `scripts/conformance`"]
async fn conformance_against_prism() {
    let spec_path =
        std::env::var("CONFORMANCE_SPEC").expect("CONFORMANCE_SPEC: run scripts/conformance");
    let static_url = std::env::var("CONFORMANCE_PRISM_URL")
        .expect("CONFORMANCE_PRISM_URL: run scripts/conformance");
    let dynamic_url = std::env::var("CONFORMANCE_PRISM_DYNAMIC_URL")
        .expect("CONFORMANCE_PRISM_DYNAMIC_URL: run scripts/conformance");
    let spec: Value =
        serde_json::from_str(&std::fs::read_to_string(&spec_path).expect("spec readable"))
            .expect("spec is JSON");
    let ops = spec_ops(&spec);
    let mut failures: Vec<String> = Vec::new();
    let mut rows: BTreeMap<String, Row> = BTreeMap::new();
    let prism = client(&static_url);
    let prism_dynamic = client(&dynamic_url);

    for id in IMPLEMENTED {
        let Some(op) = ops.iter().find(|o| o.id == *id) else {
            failures.push(format!("{id}: not in this spec"));
            continue;
        };
        let mut row = Row::default();
        let (required, full, no_setter) = requests(id, &op.params);
        for k in &no_setter {
            failures.push(format!("{id}: spec parameter `{k}` has no setter"));
        }

        // The wire form matches the spec's method and path template.
        for r in required.iter().chain(&full) {
            let template = op.path.split('/').collect::<Vec<_>>();
            let actual = r.path().split('/').collect::<Vec<_>>();
            let same = r.method() == op.method
                && template.len() == actual.len()
                && template
                    .iter()
                    .zip(&actual)
                    .all(|(t, a)| t.starts_with('{') || t == a);
            if !same {
                failures.push(format!(
                    "{id}: {} {} does not fit {} {}",
                    r.method(),
                    r.path(),
                    op.method,
                    op.path
                ));
            }
        }

        // 1. Request validity against Prism (static): any 422 or decode failure fails.
        for full in [false, true] {
            for (i, result) in send(id, &prism, full, &op.params)
                .await
                .into_iter()
                .enumerate()
            {
                if let Err(e) = result {
                    failures.push(format!(
                        "{id} ({} #{i}) against Prism: {e}",
                        if full {
                            "every parameter"
                        } else {
                            "required only"
                        }
                    ));
                }
            }
        }

        // 2. Parameter completeness, through a recording server.
        let recorder = wiremock::MockServer::start().await;
        let answer = op
            .examples
            .first()
            .map(|(s, v)| (s.parse::<u16>().unwrap_or(200), v.clone()));
        let template = match &answer {
            Some((status, body)) => wiremock::ResponseTemplate::new(*status).set_body_json(body),
            None => wiremock::ResponseTemplate::new(204),
        };
        wiremock::Mock::given(wiremock::matchers::any())
            .respond_with(template)
            .mount(&recorder)
            .await;
        for result in send(id, &client(&recorder.uri()), true, &op.params).await {
            if let Err(e) = result {
                failures.push(format!("{id} against the recording server: {e}"));
            }
        }
        let mut sent = BTreeSet::new();
        for req in recorder.received_requests().await.unwrap_or_default() {
            for k in keys_sent(&req) {
                if !op.params.contains(&k) {
                    failures.push(format!("{id}: sends `{k}`, which the spec does not know"));
                }
                sent.insert(k);
            }
        }
        for missing in op.params.difference(&sent) {
            failures.push(format!(
                "{id}: spec parameter `{missing}` has no setter (never sent)"
            ));
        }
        row.params = Some((op.params.intersection(&sent).count(), op.params.len()));

        // 3. Field completeness: every example decodes, and re-serializes with every property.
        let mut covered: Option<BTreeSet<String>> = None;
        for (status, ex) in &op.examples {
            match decode_example(id, ex) {
                Ok(model) => {
                    let keys = model_keys(op, &model);
                    if op.list_key.is_some() && keys.is_empty() {
                        continue; // an empty page says nothing about the item's fields
                    }
                    for missing in op.fields.difference(&keys) {
                        failures.push(format!("{id} ({status} example): response property `{missing}` is not a model field"));
                    }
                    let c = covered.get_or_insert_with(|| keys.clone());
                    c.retain(|k| keys.contains(k));
                }
                Err(e) => failures.push(format!("{id} ({status} example) does not decode: {e}")),
            }
        }
        row.fields = if op.fields.is_empty() {
            None
        } else {
            Some((
                covered.map_or(0, |c| op.fields.intersection(&c).count()),
                op.fields.len(),
            ))
        };

        // 4. Robustness: random schema-valid answers from Prism (dynamic) decode.
        for call in 0..DYNAMIC_CALLS {
            for (i, result) in send(id, &prism_dynamic, call % 2 == 1, &op.params)
                .await
                .into_iter()
                .enumerate()
            {
                match result {
                    Ok(model) if op.list_key.is_none() && !op.fields.is_empty() => {
                        for missing in op.fields.difference(&model_keys(op, &model)) {
                            failures.push(format!(
                                "{id} (random answer): `{missing}` lost on re-serialization"
                            ));
                        }
                    }
                    Ok(_) => {}
                    Err(e) => failures.push(format!(
                        "{id} (random answer {call}.{i}) does not decode: {e}"
                    )),
                }
            }
        }
        rows.insert((*id).to_owned(), row);
    }

    // The coverage table over every operation of the spec.
    let mut table = String::new();
    let _ = writeln!(
        table,
        "# Conformance with Twilio's Verify v2 OpenAPI description\n"
    );
    let _ = writeln!(
        table,
        "Generated by `scripts/conformance` (spec `{}`, `info.version` {}). Parameters: spec parameters the crate sends, \
         checked through a recording server. Fields: response properties that survive decoding and re-serializing every \
         spec example and {DYNAMIC_CALLS} random Prism answers.\n",
        std::path::Path::new(&spec_path)
            .file_name()
            .and_then(|n| n.to_str())
            .unwrap_or("?"),
        spec["info"]["version"].as_str().unwrap_or("?")
    );
    let implemented = ops.iter().filter(|o| rows.contains_key(&o.id)).count();
    let _ = writeln!(
        table,
        "{implemented} of {} operations implemented.\n",
        ops.len()
    );
    let _ = writeln!(
        table,
        "| Operation | Method and path | Implemented | Parameters | Fields |"
    );
    let _ = writeln!(table, "| --- | --- | --- | --- | --- |");
    let cell = |c: Option<(usize, usize)>, has: bool| match (c, has) {
        (Some((n, m)), _) if m > 0 => format!("{n}/{m} ({}%)", n * 100 / m),
        (_, true) => "none in spec".to_owned(),
        _ => "—".to_owned(),
    };
    for op in &ops {
        let row = rows.get(&op.id);
        let _ = writeln!(
            table,
            "| `{}` | `{} {}` | {} | {} | {} |",
            op.id,
            op.method,
            op.path,
            if row.is_some() { "yes" } else { "no" },
            cell(row.and_then(|r| r.params), row.is_some()),
            cell(row.and_then(|r| r.fields), row.is_some()),
        );
    }
    println!("\n{table}");
    if let Ok(out) = std::env::var("CONFORMANCE_TABLE") {
        std::fs::write(&out, &table).expect("write the table");
    }
    assert!(
        failures.is_empty(),
        "{} conformance failures:\n{}",
        failures.len(),
        failures.join("\n")
    );
}
