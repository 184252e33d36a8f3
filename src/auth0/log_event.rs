//! The typed view of one Auth0 tenant log event (the `data` of a log-stream record).

use std::fmt;

use serde::de::{SeqAccess, Visitor};
use serde::{Deserialize, Deserializer, Serialize};
use serde_json::Value;

use super::log_type::LogType;
use crate::macros::open_enum;
use crate::phone::Recipient;
use crate::timestamp::Timestamp;

/// One Auth0 tenant log event, with the fields common to all types.
///
/// Shapes vary by type and by age of the tenant, so every field is optional and lenient. Fields
/// this struct does not name stay in the record's raw JSON
/// ([`LogRecord::raw_json`](super::LogRecord::raw_json)).
#[derive(Debug, Clone, PartialEq, Serialize)]
#[non_exhaustive]
pub struct LogEvent {
    /// The log id: a long numeric string, unique per event (use it to de-duplicate).
    pub log_id: Option<String>,
    /// The Management API's id (`_id`), in API output instead of `log_id`.
    pub id: Option<String>,
    /// When it happened, as sent; see [`time`](Self::time).
    pub date: Option<String>,
    /// The log type code.
    #[serde(rename = "type")]
    pub log_type: LogType,
    /// Human text, often empty.
    pub description: Option<String>,
    /// The application's client id.
    pub client_id: Option<String>,
    /// The application's name.
    pub client_name: Option<String>,
    /// The end user's IP address.
    pub ip: Option<String>,
    /// The IP address that actually connected.
    pub client_ip: Option<String>,
    /// The user agent (parsed short form or raw).
    pub user_agent: Option<String>,
    /// The user id.
    pub user_id: Option<String>,
    /// The user name: an e-mail address or a phone number.
    pub user_name: Option<Recipient>,
    /// The connection name.
    pub connection: Option<String>,
    /// The connection id.
    pub connection_id: Option<String>,
    /// The connection strategy (`auth0`, `google-oauth2`…).
    pub strategy: Option<String>,
    /// The strategy type (`database`, `social`, `enterprise`…).
    pub strategy_type: Option<String>,
    /// The tenant or custom domain.
    pub hostname: Option<String>,
    /// The tenant name.
    pub tenant_name: Option<String>,
    /// The environment (`prod-us-1`…).
    pub environment_name: Option<String>,
    /// Whether the client was a mobile device (`is_mobile`, or `isMobile` as real payloads
    /// spell it).
    pub is_mobile: Option<bool>,
    /// Where the request came from.
    pub location_info: Option<LocationInfo>,
    /// The scopes: Auth0 sends a space-separated string or an array.
    pub scope: Option<Scope>,
    /// The audience (token exchanges).
    pub audience: Option<String>,
    /// The organization id.
    pub organization_id: Option<String>,
    /// The organization name.
    pub organization_name: Option<String>,
    /// Type-specific details: typed for MFA (`gd_*`) events, raw JSON otherwise.
    pub details: Option<LogDetails>,
}

/// The wire shape, before `details` is typed by the event type.
#[derive(Deserialize)]
struct Wire {
    log_id: Option<String>,
    #[serde(rename = "_id")]
    id: Option<String>,
    date: Option<String>,
    #[serde(rename = "type")]
    log_type: LogType,
    description: Option<String>,
    client_id: Option<String>,
    client_name: Option<String>,
    ip: Option<String>,
    client_ip: Option<String>,
    user_agent: Option<String>,
    user_id: Option<String>,
    #[serde(default, deserialize_with = "crate::phone::lenient_recipient")]
    user_name: Option<Recipient>,
    connection: Option<String>,
    connection_id: Option<String>,
    strategy: Option<String>,
    strategy_type: Option<String>,
    hostname: Option<String>,
    tenant_name: Option<String>,
    environment_name: Option<String>,
    #[serde(default, deserialize_with = "crate::de::lenient_bool")]
    is_mobile: Option<bool>,
    #[serde(
        rename = "isMobile",
        default,
        deserialize_with = "crate::de::lenient_bool"
    )]
    is_mobile_camel: Option<bool>,
    location_info: Option<LocationInfo>,
    scope: Option<Scope>,
    audience: Option<String>,
    organization_id: Option<String>,
    organization_name: Option<String>,
    details: Option<Value>,
}

impl<'de> Deserialize<'de> for LogEvent {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let w = Wire::deserialize(d)?;
        let details = w.details.filter(|v| !v.is_null()).map(|v| {
            if w.log_type.code().starts_with("gd_") && v.is_object() {
                match serde_json::from_value::<MfaDetails>(v.clone()) {
                    Ok(m) => LogDetails::Mfa(Box::new(m)),
                    Err(_) => LogDetails::Other(v),
                }
            } else {
                LogDetails::Other(v)
            }
        });
        Ok(Self {
            log_id: w.log_id,
            id: w.id,
            date: w.date,
            log_type: w.log_type,
            description: w.description,
            client_id: w.client_id,
            client_name: w.client_name,
            ip: w.ip,
            client_ip: w.client_ip,
            user_agent: w.user_agent,
            user_id: w.user_id,
            user_name: w.user_name,
            connection: w.connection,
            connection_id: w.connection_id,
            strategy: w.strategy,
            strategy_type: w.strategy_type,
            hostname: w.hostname,
            tenant_name: w.tenant_name,
            environment_name: w.environment_name,
            is_mobile: w.is_mobile.or(w.is_mobile_camel),
            location_info: w.location_info,
            scope: w.scope,
            audience: w.audience,
            organization_id: w.organization_id,
            organization_name: w.organization_name,
            details,
        })
    }
}

impl LogEvent {
    /// The time of the event. Accepts RFC 3339 (what Auth0 sends), RFC 2822, and the
    /// `2025-10-03 14:09:32.149000000` form some SIEM exports use (read as UTC).
    pub fn time(&self) -> Option<Timestamp> {
        self.date.as_deref().and_then(parse_log_date)
    }

    /// The MFA details, for a `gd_*` event whose details have the MFA shape.
    pub fn mfa(&self) -> Option<&MfaDetails> {
        match &self.details {
            Some(LogDetails::Mfa(m)) => Some(m),
            _ => None,
        }
    }
}

/// Parses a log `date`, accepting a space for `T` and a missing offset (taken as UTC).
pub(crate) fn parse_log_date(s: &str) -> Option<Timestamp> {
    if let Some(t) = Timestamp::parse(s) {
        return Some(t);
    }
    let s = s.trim();
    let (date, time) = s.split_once([' ', 'T'])?;
    let has_offset =
        time.ends_with('Z') || time.contains('+') || time.get(1..).is_some_and(|t| t.contains('-'));
    let fixed = format!("{date}T{time}{}", if has_offset { "" } else { "Z" });
    Timestamp::parse(&fixed)
}

/// The `details` of a log event.
///
/// `Debug` shows the MFA details (with phone numbers masked) or, for other events, only the
/// top-level keys: raw details may hold personal data.
#[derive(Clone, PartialEq, Serialize)]
#[serde(untagged)]
#[non_exhaustive]
pub enum LogDetails {
    /// The details of a Guardian/MFA (`gd_*`) event.
    Mfa(Box<MfaDetails>),
    /// The details of any other event, as received.
    Other(Value),
}

/// Writes a JSON value as its shape only: the keys of an object, or the type.
fn json_shape(v: &Value) -> String {
    match v {
        Value::Object(m) => format!("{{{}}}", m.keys().cloned().collect::<Vec<_>>().join(", ")),
        Value::Array(a) => format!("[{} items]", a.len()),
        Value::Null => "null".to_owned(),
        _ => "[value]".to_owned(),
    }
}

impl fmt::Debug for LogDetails {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Mfa(m) => f.debug_tuple("Mfa").field(m).finish(),
            Self::Other(v) => write!(f, "Other({})", json_shape(v)),
        }
    }
}

open_enum! {
    /// The kind of MFA authenticator (`details.authenticator.type`).
    pub enum AuthenticatorType {
        /// SMS one-time codes.
        Sms = "sms",
        /// Voice-call one-time codes.
        Voice = "voice",
        /// A phone factor whose delivery is not named.
        Phone = "phone",
        /// Authenticator-app codes.
        Totp = "totp" | "otp",
        /// Guardian push notifications.
        Push = "push" | "push-notification" | "guardian",
        /// E-mail codes.
        Email = "email",
        /// A security key.
        WebauthnRoaming = "webauthn-roaming",
        /// A platform authenticator (Touch ID, Windows Hello).
        WebauthnPlatform = "webauthn-platform",
        /// A recovery code.
        RecoveryCode = "recovery-code",
    }
}

impl AuthenticatorType {
    /// Whether the factor delivers codes to a phone number (SMS, voice, or phone).
    pub fn is_phone(&self) -> bool {
        matches!(self, Self::Sms | Self::Voice | Self::Phone)
    }
}

/// The `details` of Guardian/MFA events: which authenticator, which enrollment, what failed.
#[derive(Clone, Default, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct MfaDetails {
    /// The authenticator used.
    #[serde(default, deserialize_with = "crate::de::OrNone::deserialize")]
    pub authenticator: Option<Authenticator>,
    /// The enrollment the authenticator belongs to.
    #[serde(default, deserialize_with = "crate::de::OrNone::deserialize")]
    pub enrollment: Option<Enrollment>,
    /// The device.
    #[serde(default, deserialize_with = "crate::de::lenient_string")]
    pub device_id: Option<String>,
    /// The session.
    #[serde(default, deserialize_with = "crate::de::lenient_string")]
    pub session_id: Option<String>,
    /// Whether this was the first factor.
    #[serde(default, deserialize_with = "crate::de::lenient_bool")]
    pub first_factor: Option<bool>,
    /// Whether "remember this device" was chosen.
    #[serde(default, deserialize_with = "crate::de::lenient_bool")]
    pub remember_browser: Option<bool>,
    /// Why the operation failed (failure events).
    #[serde(default, deserialize_with = "crate::de::OrNone::deserialize")]
    pub failure_details: Option<ErrorDetails>,
    /// What the SMS or voice provider answered (send failures).
    #[serde(default, deserialize_with = "crate::de::OrNone::deserialize")]
    pub provider_error: Option<ErrorDetails>,
    /// The Guardian API request, as logged (codes masked by Auth0).
    pub request: Option<Value>,
    /// The Guardian API response.
    pub response: Option<Value>,
}

impl fmt::Debug for MfaDetails {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("MfaDetails")
            .field("authenticator", &self.authenticator)
            .field("enrollment", &self.enrollment)
            .field("device_id", &self.device_id)
            .field("session_id", &self.session_id)
            .field("first_factor", &self.first_factor)
            .field("remember_browser", &self.remember_browser)
            .field("failure_details", &self.failure_details)
            .field("provider_error", &self.provider_error)
            .field("request", &self.request.as_ref().map(json_shape))
            .field("response", &self.response.as_ref().map(json_shape))
            .finish()
    }
}

/// An MFA authenticator.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct Authenticator {
    /// Its id (`sms|dev_…`, `totp|dev_…`).
    #[serde(default, deserialize_with = "crate::de::lenient_string")]
    pub id: Option<String>,
    /// Its kind.
    #[serde(rename = "type")]
    pub kind: Option<AuthenticatorType>,
    /// The phone number of a phone factor (masked or hashed when the stream obfuscates PII).
    #[serde(default, deserialize_with = "crate::phone::lenient_recipient")]
    pub phone_number: Option<Recipient>,
}

/// An MFA enrollment.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct Enrollment {
    /// Its id.
    #[serde(
        rename = "_id",
        default,
        deserialize_with = "crate::de::lenient_string"
    )]
    pub id: Option<String>,
    /// The tenant.
    pub tenant: Option<String>,
    /// The user.
    pub user_id: Option<String>,
    /// The Guardian app identifier.
    pub identifier: Option<String>,
    /// The device name.
    pub name: Option<String>,
    /// The enrolled phone number.
    #[serde(default, deserialize_with = "crate::phone::lenient_recipient")]
    pub phone_number: Option<Recipient>,
}

/// An error code and message, as Auth0 logs them. `Debug` masks phone numbers in the message.
#[derive(Clone, Default, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct ErrorDetails {
    /// The error code.
    #[serde(
        rename = "errorCode",
        default,
        deserialize_with = "crate::de::lenient_string"
    )]
    pub error_code: Option<String>,
    /// The message.
    #[serde(default, deserialize_with = "crate::de::lenient_string")]
    pub message: Option<String>,
}

impl fmt::Debug for ErrorDetails {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ErrorDetails")
            .field("error_code", &self.error_code)
            .field(
                "message",
                &self.message.as_deref().map(crate::redact::scrub),
            )
            .finish()
    }
}

/// Where a request came from (`location_info`).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct LocationInfo {
    /// ISO 3166-1 alpha-2 country code.
    pub country_code: Option<String>,
    /// ISO 3166-1 alpha-3 country code.
    pub country_code3: Option<String>,
    /// Country name.
    pub country_name: Option<String>,
    /// City.
    pub city_name: Option<String>,
    /// Subdivision code.
    pub subdivision_code: Option<String>,
    /// Subdivision name.
    pub subdivision_name: Option<String>,
    /// Continent code.
    pub continent_code: Option<String>,
    /// Latitude.
    #[serde(default, deserialize_with = "crate::de::lenient_f64")]
    pub latitude: Option<f64>,
    /// Longitude.
    #[serde(default, deserialize_with = "crate::de::lenient_f64")]
    pub longitude: Option<f64>,
    /// IANA time zone.
    pub time_zone: Option<String>,
}

/// OAuth scopes, in whichever shape Auth0 sent them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Scope {
    /// A space-separated string (`"read:logs read:users"`).
    Text(String),
    /// An array (`["openid", "profile"]`).
    List(Vec<String>),
}

impl Scope {
    /// The individual scopes, whichever the shape.
    pub fn items(&self) -> Vec<&str> {
        match self {
            Self::Text(s) => s.split_whitespace().collect(),
            Self::List(v) => v.iter().map(String::as_str).collect(),
        }
    }

    /// Whether `scope` is among them.
    pub fn contains(&self, scope: &str) -> bool {
        self.items().contains(&scope)
    }
}

impl Serialize for Scope {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match self {
            Self::Text(t) => s.serialize_str(t),
            Self::List(v) => v.serialize(s),
        }
    }
}

impl<'de> Deserialize<'de> for Scope {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = Scope;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a scope string or an array of scopes")
            }
            fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<Scope, E> {
                Ok(Scope::Text(v.to_owned()))
            }
            fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Scope, A::Error> {
                let mut out = Vec::new();
                while let Some(item) = seq.next_element::<String>()? {
                    out.push(item);
                }
                Ok(Scope::List(out))
            }
        }
        d.deserialize_any(V)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn both_scope_shapes_decode() {
        let a: Scope = serde_json::from_str("\"read:logs read:users\"").expect("string");
        let b: Scope = serde_json::from_str("[\"openid\", \"profile\"]").expect("array");
        assert_eq!(a.items(), ["read:logs", "read:users"]);
        assert!(b.contains("profile"));
        assert_eq!(
            serde_json::to_string(&b).expect("encode"),
            "[\"openid\",\"profile\"]"
        );
    }

    #[test]
    fn log_dates_in_every_shape_seen() {
        let t = |s: &str| parse_log_date(s).map(|t| t.to_string());
        assert_eq!(
            t("2024-01-15T10:30:00.000Z").as_deref(),
            Some("2024-01-15T10:30:00Z")
        );
        assert_eq!(
            t("2025-10-03 14:09:32.149000000").as_deref(),
            Some("2025-10-03T14:09:32.149Z")
        );
        assert_eq!(
            t("2025-10-03T14:09:32").as_deref(),
            Some("2025-10-03T14:09:32Z")
        );
        assert_eq!(t("not a date"), None);
    }

    #[test]
    fn odd_fields_do_not_cost_the_record() {
        let e: LogEvent = serde_json::from_value(serde_json::json!({
            "type": "gd_auth_succeed", "is_mobile": true, "isMobile": true,
            "details": {
                "device_id": 42, "session_id": {"x": 1},
                "failure_details": {"message": {"nested": true}},
                "enrollment": "not an object",
                "authenticator": {"type": "sms", "phone_number": "+15017122661"}
            }
        }))
        .expect("decode");
        assert_eq!(e.is_mobile, Some(true));
        let m = e.mfa().expect("still typed");
        assert_eq!(m.device_id.as_deref(), Some("42"));
        assert!(m.enrollment.is_none());
        assert!(
            m.authenticator
                .as_ref()
                .and_then(|a| a.phone_number.as_ref())
                .is_some()
        );
    }

    #[test]
    fn mfa_details_are_typed_and_others_stay_raw() {
        let e: LogEvent = serde_json::from_value(serde_json::json!({
            "type": "gd_auth_succeed", "isMobile": "false",
            "details": {"authenticator": {"id": "sms|dev_1", "type": "sms", "phone_number": "+15017122661"}}
        }))
        .expect("decode");
        let a = e
            .mfa()
            .and_then(|m| m.authenticator.as_ref())
            .expect("authenticator");
        assert_eq!(a.kind, Some(AuthenticatorType::Sms));
        assert_eq!(e.is_mobile, Some(false));
        let other: LogEvent = serde_json::from_value(serde_json::json!({
            "type": "fp", "details": {"error": {"message": "Wrong email or password."}}
        }))
        .expect("decode");
        assert!(matches!(other.details, Some(LogDetails::Other(_))));
    }
}
