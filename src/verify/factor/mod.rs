//! Factors (`…/Entities/{Identity}/Factors`): the push devices, TOTP seeds and passkeys of an
//! entity. A new factor is `unverified` until it is verified once ([`UpdateFactor::verify`] for
//! TOTP, the SDK's signature for push, [`VerifyPasskeyFactor`](super::VerifyPasskeyFactor) for
//! passkeys).

mod create;
mod delete;
mod fetch;
mod list;
mod update;

pub use create::CreateFactor;
pub use delete::DeleteFactor;
pub use fetch::FetchFactor;
pub use list::ListFactors;
pub use update::UpdateFactor;

use std::fmt;

use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::error::InvalidInput;
use crate::macros::open_enum;
use crate::page::Listed;
use crate::sid::{AccountSid, EntitySid, FactorSid, ServiceSid};
use crate::timestamp::Timestamp;
use crate::wire::Path;

use super::entity::entity_path;
use super::{check_range, check_text};

open_enum! {
    /// The kind of a factor.
    pub enum FactorType {
        /// A device running the Verify Push SDK.
        Push = "push",
        /// A time-based one-time password (an authenticator app).
        Totp = "totp",
        /// A WebAuthn passkey.
        Passkeys = "passkeys",
    }
}

open_enum! {
    /// Whether a factor has been verified.
    pub enum FactorStatus {
        /// Created, not yet verified: challenges cannot use it.
        Unverified = "unverified",
        /// Verified.
        Verified = "verified",
    }
}

open_enum! {
    /// The push transport of a device.
    pub enum NotificationPlatform {
        /// Apple Push Notification service.
        Apn = "apn",
        /// Firebase Cloud Messaging.
        Fcm = "fcm",
        /// No push; the app polls for challenges.
        None = "none",
    }
}

open_enum! {
    /// The hash of a TOTP factor.
    pub enum TotpAlgorithm {
        /// HMAC-SHA-1 (what most authenticator apps use).
        Sha1 = "sha1",
        /// HMAC-SHA-256.
        Sha256 = "sha256",
        /// HMAC-SHA-512.
        Sha512 = "sha512",
    }
}

pub(crate) fn factors(service: &ServiceSid, identity: &str) -> Result<Path, InvalidInput> {
    Ok(entity_path(service, identity)?.lit("Factors"))
}

pub(crate) fn factor(
    service: &ServiceSid,
    identity: &str,
    sid: &FactorSid,
) -> Result<Path, InvalidInput> {
    Ok(factors(service, identity)?.seg(sid.checked()?))
}

/// Checks a Base32 secret (RFC 4648 alphabet, any case, optional `=` padding).
fn check_base32(value: &str) -> Result<(), InvalidInput> {
    let body = value.trim_end_matches('=');
    let ok = !body.is_empty()
        && body
            .bytes()
            .all(|b| b.is_ascii_alphabetic() || (b'2'..=b'7').contains(&b));
    if ok {
        Ok(())
    } else {
        Err(InvalidInput::new(
            "Binding.Secret",
            "expected Base32 text (A-Z and 2-7)",
        ))
    }
}

/// The `Config.*` settings shared by create and update, in the order they are sent.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
struct Config {
    #[serde(rename = "Config.NotificationPlatform")]
    config_notification_platform: Option<NotificationPlatform>,
    #[serde(rename = "Config.NotificationToken")]
    config_notification_token: Option<String>,
    #[serde(rename = "Config.SdkVersion")]
    config_sdk_version: Option<String>,
    #[serde(rename = "Config.TimeStep")]
    config_time_step: Option<u32>,
    #[serde(rename = "Config.Skew")]
    config_skew: Option<u32>,
    #[serde(rename = "Config.CodeLength")]
    config_code_length: Option<u32>,
    #[serde(rename = "Config.Alg")]
    config_alg: Option<TotpAlgorithm>,
}

impl Config {
    fn check(&self) -> Result<(), InvalidInput> {
        check_range("Config.TimeStep", self.config_time_step, 20..=60)?;
        check_range("Config.Skew", self.config_skew, 0..=2)?;
        check_range("Config.CodeLength", self.config_code_length, 3..=8)?;
        if let Some(token) = &self.config_notification_token {
            let n = token.chars().count();
            if !(32..=255).contains(&n) {
                return Err(InvalidInput::new(
                    "Config.NotificationToken",
                    "must be 32 to 255 characters",
                ));
            }
        }
        if let Some(v) = &self.config_sdk_version {
            check_text("Config.SdkVersion", v, 64)?;
        }
        Ok(())
    }
}

/// The `Config.*` setters shared by create and update.
macro_rules! config_setters {
    () => {
        crate::macros::setters! {
            in config;
            /// `Config.NotificationPlatform` (push): how the device is reached.
            config_notification_platform: value($crate::verify::NotificationPlatform);
            /// `Config.NotificationToken` (push): the APN device token or FCM registration
            /// token, 32 to 255 characters.
            config_notification_token: into(String);
            /// `Config.SdkVersion` (push): the Verify Push SDK version on the device.
            config_sdk_version: into(String);
            /// `Config.TimeStep` (TOTP): seconds per code, 20 to 60.
            config_time_step: value(u32);
            /// `Config.Skew` (TOTP): time steps accepted either side of now, 0 to 2.
            config_skew: value(u32);
            /// `Config.CodeLength` (TOTP): digits per code, 3 to 8.
            config_code_length: value(u32);
            /// `Config.Alg` (TOTP): the hash.
            config_alg: value($crate::verify::TotpAlgorithm);
        }
    };
}

use config_setters;

/// A factor (`verify.v2.service.entity.factor`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct Factor {
    /// The factor's SID (`YF…`).
    pub sid: Option<FactorSid>,
    /// The account.
    pub account_sid: Option<AccountSid>,
    /// The service.
    pub service_sid: Option<ServiceSid>,
    /// The entity.
    pub entity_sid: Option<EntitySid>,
    /// The entity's identity.
    pub identity: Option<String>,
    /// When it was created.
    pub date_created: Option<Timestamp>,
    /// When it was last updated.
    pub date_updated: Option<Timestamp>,
    /// Its name.
    pub friendly_name: Option<String>,
    /// Whether it is verified.
    pub status: Option<FactorStatus>,
    /// Its kind.
    pub factor_type: Option<FactorType>,
    /// Its settings, which depend on the kind (`sdk_version`, `app_id`, `code_length`…).
    pub config: Option<Value>,
    /// What the device reported about itself (an object of strings).
    pub metadata: Option<Value>,
    /// Its URL.
    pub url: Option<String>,
}

impl Listed for Factor {
    const KEY: &'static str = "factors";
}

/// A factor just created (`verify.v2.service.entity.new_factor`): a [`Factor`] plus its
/// `binding` and `options`.
///
/// For TOTP the binding holds the seed (`secret`, and a `uri` that carries it too), which is
/// never shown again: `Debug` does not print it.
#[derive(Clone, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct NewFactor {
    /// The factor's SID (`YF…`).
    pub sid: Option<FactorSid>,
    /// The account.
    pub account_sid: Option<AccountSid>,
    /// The service.
    pub service_sid: Option<ServiceSid>,
    /// The entity.
    pub entity_sid: Option<EntitySid>,
    /// The entity's identity.
    pub identity: Option<String>,
    /// The secret part: for TOTP `secret`, `uri` (`otpauth://…`) and the rest of the seed's
    /// settings; for push, nothing. Handle it as a secret.
    pub binding: Option<Value>,
    /// For passkeys, the WebAuthn creation options to hand to `navigator.credentials.create()`.
    pub options: Option<Value>,
    /// When it was created.
    pub date_created: Option<Timestamp>,
    /// When it was last updated.
    pub date_updated: Option<Timestamp>,
    /// Its name.
    pub friendly_name: Option<String>,
    /// `unverified` until verified once.
    pub status: Option<FactorStatus>,
    /// Its kind.
    pub factor_type: Option<FactorType>,
    /// Its settings.
    pub config: Option<Value>,
    /// What the device reported about itself.
    pub metadata: Option<Value>,
    /// Its URL.
    pub url: Option<String>,
}

impl fmt::Debug for NewFactor {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("NewFactor")
            .field("sid", &self.sid)
            .field("account_sid", &self.account_sid)
            .field("service_sid", &self.service_sid)
            .field("entity_sid", &self.entity_sid)
            .field("identity", &self.identity)
            .field("binding", &self.binding.as_ref().map(|_| "[redacted]"))
            .field("options", &self.options)
            .field("date_created", &self.date_created)
            .field("date_updated", &self.date_updated)
            .field("friendly_name", &self.friendly_name)
            .field("status", &self.status)
            .field("factor_type", &self.factor_type)
            .field("config", &self.config)
            .field("metadata", &self.metadata)
            .field("url", &self.url)
            .finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn va() -> ServiceSid {
        "VAaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa".parse().expect("va")
    }

    const ID: &str = "ff483d1ff591898a9942916050d2ca3f";

    fn push() -> CreateFactor {
        CreateFactor::new(va(), ID, "Jane's phone", FactorType::Push)
            .binding_alg("ES256")
            .binding_public_key("MFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAE")
            .config_app_id("com.example.app")
            .config_notification_platform(NotificationPlatform::Fcm)
            .config_notification_token("t".repeat(40))
            .config_sdk_version("1.0.0")
    }

    #[test]
    fn a_push_factor_needs_its_binding_and_config() {
        assert!(push().to_wire().is_ok());
        let bare = CreateFactor::new(va(), ID, "phone", FactorType::Push);
        assert_eq!(
            bare.to_wire().expect_err("push").field(),
            "Binding.PublicKey"
        );
        let no_token = CreateFactor::new(va(), ID, "phone", FactorType::Push)
            .binding_public_key("k")
            .config_app_id("com.example.app")
            .config_notification_platform(NotificationPlatform::Apn)
            .config_sdk_version("1.0.0");
        assert_eq!(
            no_token.clone().to_wire().expect_err("token").field(),
            "Config.NotificationToken"
        );
        let polling = no_token.config_notification_platform(NotificationPlatform::None);
        assert!(polling.to_wire().is_ok(), "`none` needs no token");
    }

    #[test]
    fn totp_settings_are_range_checked_and_metadata_is_json() {
        let base = || CreateFactor::new(va(), ID, "app", FactorType::Totp);
        assert!(base().config_time_step(19).to_wire().is_err());
        assert!(base().config_skew(3).to_wire().is_err());
        assert!(base().config_code_length(9).to_wire().is_err());
        assert!(base().binding_secret("not base32!").to_wire().is_err());
        let w = base()
            .binding_secret("JBSWY3DPEHPK3PXP")
            .config_time_step(30)
            .metadata("os", "Android")
            .to_wire()
            .expect("valid");
        let body = w.body().expect("form");
        assert!(
            body.starts_with("FriendlyName=app&FactorType=totp&Binding.Secret=JBSWY3DPEHPK3PXP&")
        );
        assert!(body.ends_with("&Config.TimeStep=30&Metadata=%7B%22os%22%3A%22Android%22%7D"));
    }

    #[test]
    fn verify_sends_the_payload_and_redacts_it() {
        let sid: FactorSid = "YFaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa".parse().expect("yf");
        let u = UpdateFactor::verify(va(), ID, &sid, "918273");
        assert_eq!(
            u.to_wire().expect("valid").body(),
            Some("AuthPayload=918273")
        );
        assert!(!format!("{u:?}").contains("918273"));
        assert!(UpdateFactor::verify(va(), ID, sid, "").to_wire().is_err());
    }

    #[test]
    fn a_new_factor_never_prints_its_seed() {
        let f: NewFactor = serde_json::from_str(
            r#"{"sid":"YFaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa","binding":{"secret":"GEZDGNBVGY3TQOJQ","uri":"otpauth://totp/x?secret=GEZDGNBVGY3TQOJQ"}}"#,
        )
        .expect("decode");
        assert!(!format!("{f:?}").contains("GEZDGNBVGY3TQOJQ"));
        assert_eq!(f.binding.expect("binding")["secret"], "GEZDGNBVGY3TQOJQ");
    }
}
