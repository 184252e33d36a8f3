//! The JSON bodies the fake answers with, in the shape of Twilio's spec: every field of each
//! resource, with `null` where Twilio has nothing to say.

use serde_json::{Value, json};

use super::state::State;
use super::verify::{Service, Verification};
use crate::Timestamp;

/// The RFC 2822 date the REST API (API v2010) writes.
pub(super) fn rest_date(at: &Timestamp) -> String {
    (*at).to_rfc2822()
}

fn date(at: &Timestamp) -> String {
    at.to_rfc3339()
}

/// One page of a list, with Twilio's `meta`.
pub(super) fn page(
    base: &str,
    key: &str,
    path: &str,
    page: usize,
    size: usize,
    more: bool,
    items: Vec<Value>,
) -> Value {
    let url = |p: usize| format!("{base}{path}?PageSize={size}&Page={p}");
    let mut body = json!({
        "meta": {
            "page": page,
            "page_size": size,
            "first_page_url": url(0),
            "previous_page_url": page.checked_sub(1).map(url),
            "next_page_url": more.then(|| url(page + 1)),
            "url": url(page),
            "key": key,
        }
    });
    body[key] = Value::Array(items);
    body
}

pub(super) fn service(state: &State, s: &Service) -> Value {
    let text = |name: &str| s.setting(name).map(str::to_owned);
    let flag = |name: &str, default: bool| s.setting(name).map_or(default, |v| v == "true");
    let int = |name: &str, default: i64| {
        s.setting(name)
            .and_then(|v| v.parse::<i64>().ok())
            .unwrap_or(default)
    };
    let origins: Option<Vec<&str>> = s
        .setting("Passkeys.RelyingParty.Origins")
        .map(|v| v.split(',').map(str::trim).collect());
    let url = format!("{}/v2/Services/{}", state.url, s.sid);
    let links: serde_json::Map<String, Value> = [
        ("verification_checks", "VerificationCheck"),
        ("verifications", "Verifications"),
        ("rate_limits", "RateLimits"),
        ("messaging_configurations", "MessagingConfigurations"),
        ("entities", "Entities"),
        ("webhooks", "Webhooks"),
        ("access_tokens", "AccessTokens"),
    ]
    .into_iter()
    .map(|(k, p)| (k.to_owned(), Value::String(format!("{url}/{p}"))))
    .collect();
    json!({
        "sid": s.sid,
        "account_sid": state.account_sid(),
        "friendly_name": text("FriendlyName"),
        "code_length": s.code_length(),
        "lookup_enabled": flag("LookupEnabled", false),
        "psd2_enabled": flag("Psd2Enabled", false),
        "skip_sms_to_landlines": flag("SkipSmsToLandlines", false),
        "dtmf_input_required": flag("DtmfInputRequired", true),
        "tts_name": text("TtsName"),
        "do_not_share_warning_enabled": flag("DoNotShareWarningEnabled", false),
        "custom_code_enabled": flag("CustomCodeEnabled", false),
        "push": {
            "include_date": flag("Push.IncludeDate", false),
            "apn_credential_sid": text("Push.ApnCredentialSid"),
            "fcm_credential_sid": text("Push.FcmCredentialSid"),
        },
        "totp": {
            "issuer": text("Totp.Issuer").or_else(|| text("FriendlyName")),
            "time_step": int("Totp.TimeStep", 30),
            "code_length": int("Totp.CodeLength", 6),
            "skew": int("Totp.Skew", 1),
        },
        "default_template_sid": text("DefaultTemplateSid"),
        "whatsapp": {
            "msg_service_sid": text("Whatsapp.MsgServiceSid"),
            "from": text("Whatsapp.From"),
        },
        "passkeys": {
            "relying_party": {
                "id": text("Passkeys.RelyingParty.Id"),
                "name": text("Passkeys.RelyingParty.Name"),
                "origins": origins,
            },
            "authenticator_attachment": text("Passkeys.AuthenticatorAttachment"),
            "discoverable_credentials": text("Passkeys.DiscoverableCredentials"),
            "user_verification": text("Passkeys.UserVerification"),
        },
        "verify_event_subscription_enabled": flag("VerifyEventSubscriptionEnabled", false),
        "date_created": date(&s.created),
        "date_updated": date(&s.updated),
        "url": url,
        "links": links,
    })
}

/// A verification; `status` overrides its standing (for an approval or cancellation).
pub(super) fn verification(state: &State, v: &Verification, status: Option<&str>) -> Value {
    let status = status.unwrap_or(match v.standing {
        super::verify::Standing::Pending => "pending",
        super::verify::Standing::MaxAttempts => "max_attempts_reached",
    });
    let attempts: Vec<Value> = v
        .sends
        .iter()
        .map(|(sid, channel, at)| {
            json!({"time": date(at), "channel": channel.to_uppercase(), "attempt_sid": sid})
        })
        .collect();
    let sna = (v.channel == "sna").then(|| json!({"url": format!("{}/sna/{}", state.url, v.sid)}));
    json!({
        "sid": v.sid,
        "service_sid": v.service,
        "account_sid": state.account_sid(),
        "to": v.to,
        "channel": v.channel,
        "status": status,
        "valid": status == "approved",
        "lookup": {},
        "amount": v.amount,
        "payee": v.payee,
        "send_code_attempts": attempts,
        "date_created": date(&v.created),
        "date_updated": date(&v.updated),
        "sna": sna,
        "url": format!("{}/v2/Services/{}/Verifications/{}", state.url, v.service, v.sid),
    })
}

/// The answer of a check.
pub(super) fn check(state: &State, v: &Verification, status: &str) -> Value {
    json!({
        "sid": v.sid,
        "service_sid": v.service,
        "account_sid": state.account_sid(),
        "to": v.to,
        "channel": v.channel,
        "status": status,
        "valid": status == "approved",
        "amount": v.amount,
        "payee": v.payee,
        "date_created": date(&v.created),
        "date_updated": date(&v.updated),
        "sna_attempts_error_codes": if v.channel == "sna" { json!([]) } else { Value::Null },
    })
}
