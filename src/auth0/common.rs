//! Objects shared by the Auth0 Action events: client, request, tenant, user and friends.

use std::collections::BTreeMap;
use std::fmt;

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use crate::phone::Recipient;
use crate::secret::Secret;

/// The application the user is signing in to (`event.client`).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct EventClient {
    /// The client id.
    pub client_id: Option<String>,
    /// The application's name.
    pub name: Option<String>,
    /// The application's metadata.
    #[serde(default)]
    pub metadata: Map<String, Value>,
}

/// The HTTP request behind the transaction (`event.request`).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct EventRequest {
    /// Where the request came from, by IP geolocation.
    pub geoip: Option<GeoIp>,
    /// The hostname used for the flow.
    pub hostname: Option<String>,
    /// The originating IP address.
    pub ip: Option<String>,
    /// The language the browser asked for: the only locale hint of `send-phone-message`.
    pub language: Option<String>,
    /// The HTTP method.
    pub method: Option<String>,
    /// The `User-Agent` of the transaction.
    pub user_agent: Option<String>,
}

/// IP geolocation of a request.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct GeoIp {
    /// City.
    pub city_name: Option<String>,
    /// Continent code.
    pub continent_code: Option<String>,
    /// ISO 3166-1 alpha-2 country code.
    pub country_code: Option<String>,
    /// ISO 3166-1 alpha-3 country code.
    pub country_code3: Option<String>,
    /// Country name.
    pub country_name: Option<String>,
    /// Subdivision (state, region) code.
    pub subdivision_code: Option<String>,
    /// Subdivision name.
    pub subdivision_name: Option<String>,
    /// IANA time zone.
    pub time_zone: Option<String>,
    /// Latitude.
    #[serde(default, deserialize_with = "crate::de::lenient_f64")]
    pub latitude: Option<f64>,
    /// Longitude.
    #[serde(default, deserialize_with = "crate::de::lenient_f64")]
    pub longitude: Option<f64>,
}

/// The Auth0 tenant (`event.tenant`).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct Tenant {
    /// The tenant name.
    pub id: Option<String>,
    /// Display name (custom-phone-provider only).
    pub friendly_name: Option<String>,
    /// Home page (custom-phone-provider only).
    pub home_url: Option<String>,
    /// Logo (custom-phone-provider only).
    pub logo_url: Option<String>,
    /// Support e-mail (custom-phone-provider only).
    pub support_email: Option<String>,
    /// Support page (custom-phone-provider only).
    pub support_url: Option<String>,
}

/// The custom domain used for the flow (`event.custom_domain`).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct CustomDomain {
    /// The domain.
    pub domain: Option<String>,
    /// Its metadata.
    #[serde(default)]
    pub domain_metadata: Map<String, Value>,
}

/// The transaction (`event.transaction`).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct Transaction {
    /// The correlation id of the flow.
    pub correlation_id: Option<String>,
}

/// TLS fingerprints of the client (`event.security_context`).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct SecurityContext {
    /// JA3 fingerprint.
    pub ja3: Option<String>,
    /// JA4 fingerprint.
    pub ja4: Option<String>,
}

/// The connection the user signed in with (`event.connection`, custom-phone-provider only).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct Connection {
    /// The connection id.
    pub id: Option<String>,
    /// The connection name.
    pub name: Option<String>,
    /// The strategy (`auth0`, `google-oauth2`…).
    pub strategy: Option<String>,
    /// Its metadata.
    #[serde(default)]
    pub metadata: Map<String, Value>,
}

/// The organization of the flow (`event.organization`, custom-phone-provider only).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct Organization {
    /// The organization id.
    pub id: Option<String>,
    /// Its display name.
    pub display_name: Option<String>,
    /// Its name.
    pub name: Option<String>,
    /// Its metadata.
    #[serde(default)]
    pub metadata: Map<String, Value>,
}

/// The user (`event.user`). Auth0 documents it as a dictionary; the known keys are fields.
///
/// `Debug` masks the e-mail address and phone number and shows only the keys of the metadata.
#[derive(Clone, Default, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct EventUser {
    /// The user id (`auth0|…`).
    pub user_id: Option<String>,
    /// E-mail address.
    #[serde(default, deserialize_with = "crate::phone::lenient_recipient")]
    pub email: Option<Recipient>,
    /// Whether the e-mail address is verified.
    #[serde(default, deserialize_with = "crate::de::lenient_bool")]
    pub email_verified: Option<bool>,
    /// Phone number.
    #[serde(default, deserialize_with = "crate::phone::lenient_recipient")]
    pub phone_number: Option<Recipient>,
    /// Whether the phone number is verified.
    #[serde(default, deserialize_with = "crate::de::lenient_bool")]
    pub phone_verified: Option<bool>,
    /// Full name.
    pub name: Option<String>,
    /// Given name.
    pub given_name: Option<String>,
    /// Family name.
    pub family_name: Option<String>,
    /// Nickname.
    pub nickname: Option<String>,
    /// Username.
    pub username: Option<String>,
    /// Picture URL.
    pub picture: Option<String>,
    /// When the user was created.
    pub created_at: Option<String>,
    /// When the user was last updated.
    pub updated_at: Option<String>,
    /// When the password was last reset.
    pub last_password_reset: Option<String>,
    /// Linked identities.
    #[serde(default)]
    pub identities: Vec<Value>,
    /// Application metadata.
    #[serde(default)]
    pub app_metadata: Map<String, Value>,
    /// User metadata.
    #[serde(default)]
    pub user_metadata: Map<String, Value>,
}

impl fmt::Debug for EventUser {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let keys = |m: &Map<String, Value>| m.keys().cloned().collect::<Vec<_>>();
        f.debug_struct("EventUser")
            .field("user_id", &self.user_id)
            .field("email", &self.email)
            .field("email_verified", &self.email_verified)
            .field("phone_number", &self.phone_number)
            .field("phone_verified", &self.phone_verified)
            .field("created_at", &self.created_at)
            .field("identities", &self.identities.len())
            .field("app_metadata", &keys(&self.app_metadata))
            .field("user_metadata", &keys(&self.user_metadata))
            .finish_non_exhaustive()
    }
}

/// The Action's secrets (`event.secrets`): never serialized, and `Debug` shows only the names.
#[derive(Clone, Default, PartialEq, Eq, Deserialize)]
pub struct ActionSecrets(BTreeMap<String, Secret>);

impl ActionSecrets {
    /// The secret named `name`.
    pub fn get(&self, name: &str) -> Option<&Secret> {
        self.0.get(name)
    }

    /// The names of the secrets.
    pub fn names(&self) -> impl Iterator<Item = &str> {
        self.0.keys().map(String::as_str)
    }
}

impl fmt::Debug for ActionSecrets {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_set().entries(self.names()).finish()
    }
}
