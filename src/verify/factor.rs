//! Factors (`…/Entities/{Identity}/Factors`): the push devices, TOTP seeds and passkeys of an
//! entity. A new factor is `unverified` until it is verified once ([`UpdateFactor::verify`] for
//! TOTP, the SDK's signature for push, [`VerifyPasskeyFactor`](super::VerifyPasskeyFactor) for
//! passkeys).

use std::collections::BTreeMap;
use std::fmt;

use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::error::InvalidInput;
use crate::macros::open_enum;
use crate::page::{Listed, Paging, list_request};
use crate::request::{Request, request};
use crate::secret::Secret;
use crate::sid::{AccountSid, EntitySid, FactorSid, ServiceSid};
use crate::timestamp::Timestamp;
use crate::wire::{Params, Path, WireRequest};

use super::entity::{check_identity, entity_path};
use super::{check_range, check_text, string_object};

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

fn factors(service: &ServiceSid, identity: &str) -> Result<Path, InvalidInput> {
    Ok(entity_path(service, identity)?.lit("Factors"))
}

fn factor(service: &ServiceSid, identity: &str, sid: &FactorSid) -> Result<Path, InvalidInput> {
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

/// The TOTP and push settings shared by create and update (`Config.*`).
#[derive(Debug, Clone, Default, PartialEq)]
struct Config {
    notification_platform: Option<NotificationPlatform>,
    notification_token: Option<String>,
    sdk_version: Option<String>,
    time_step: Option<u32>,
    skew: Option<u32>,
    code_length: Option<u32>,
    alg: Option<TotpAlgorithm>,
}

impl Config {
    fn check(&self) -> Result<(), InvalidInput> {
        check_range("Config.TimeStep", self.time_step, 20..=60)?;
        check_range("Config.Skew", self.skew, 0..=2)?;
        check_range("Config.CodeLength", self.code_length, 3..=8)?;
        if let Some(token) = &self.notification_token {
            let n = token.chars().count();
            if !(32..=255).contains(&n) {
                return Err(InvalidInput::new(
                    "Config.NotificationToken",
                    "must be 32 to 255 characters",
                ));
            }
        }
        if let Some(v) = &self.sdk_version {
            check_text("Config.SdkVersion", v, 64)?;
        }
        Ok(())
    }

    fn write(&self, form: &mut Params) {
        form.opt_str(
            "Config.NotificationPlatform",
            self.notification_platform
                .as_ref()
                .map(NotificationPlatform::as_str),
        )
        .opt_str(
            "Config.NotificationToken",
            self.notification_token.as_deref(),
        )
        .opt_str("Config.SdkVersion", self.sdk_version.as_deref())
        .opt_int("Config.TimeStep", self.time_step)
        .opt_int("Config.Skew", self.skew)
        .opt_int("Config.CodeLength", self.code_length)
        .opt_str("Config.Alg", self.alg.as_ref().map(TotpAlgorithm::as_str));
    }
}

/// The `Config.*` setters shared by create and update.
macro_rules! config_setters {
    () => {
        /// `Config.NotificationPlatform` (push): how the device is reached.
        pub fn config_notification_platform(mut self, platform: NotificationPlatform) -> Self {
            self.config.notification_platform = Some(platform);
            self
        }

        /// `Config.NotificationToken` (push): the APN device token or FCM registration token,
        /// 32 to 255 characters.
        pub fn config_notification_token(mut self, token: impl Into<String>) -> Self {
            self.config.notification_token = Some(token.into());
            self
        }

        /// `Config.SdkVersion` (push): the Verify Push SDK version on the device.
        pub fn config_sdk_version(mut self, version: impl Into<String>) -> Self {
            self.config.sdk_version = Some(version.into());
            self
        }

        /// `Config.TimeStep` (TOTP): seconds per code, 20 to 60.
        pub fn config_time_step(mut self, seconds: u32) -> Self {
            self.config.time_step = Some(seconds);
            self
        }

        /// `Config.Skew` (TOTP): time steps accepted either side of now, 0 to 2.
        pub fn config_skew(mut self, steps: u32) -> Self {
            self.config.skew = Some(steps);
            self
        }

        /// `Config.CodeLength` (TOTP): digits per code, 3 to 8.
        pub fn config_code_length(mut self, digits: u32) -> Self {
            self.config.code_length = Some(digits);
            self
        }

        /// `Config.Alg` (TOTP): the hash.
        pub fn config_alg(mut self, alg: TotpAlgorithm) -> Self {
            self.config.alg = Some(alg);
            self
        }
    };
}

/// `POST …/Entities/{Identity}/Factors`: enrols a push device or a TOTP seed (operation
/// `CreateNewFactor`). The entity is created with it if needed.
///
/// Push factors need `Binding.PublicKey`, `Config.AppId`, `Config.NotificationPlatform`,
/// `Config.SdkVersion`, and a notification token unless the platform is `none`; this is
/// checked before anything is sent. For TOTP every setting is optional, and the answer's
/// [`NewFactor::binding`] holds the seed to show the user once (as a QR code of its `uri`).
///
/// ```no_run
/// # async fn run(client: &twilio_verify::Client, service: &twilio_verify::ServiceSid) -> twilio_verify::Result<()> {
/// use twilio_verify::verify::{CreateFactor, FactorType, TotpAlgorithm};
///
/// let factor = CreateFactor::new(service, "ff483d1ff591898a9942916050d2ca3f", "Jane's phone", FactorType::Totp)
///     .config_code_length(6)
///     .config_alg(TotpAlgorithm::Sha1)
///     .send(client)
///     .await?;
/// println!("{:?} {:?}", factor.sid, factor.status);
/// # Ok(()) }
/// ```
#[derive(Debug, Clone, PartialEq)]
#[must_use = "a request does nothing until `.send(&client).await`"]
pub struct CreateFactor {
    service: ServiceSid,
    identity: String,
    friendly_name: String,
    factor_type: FactorType,
    binding_alg: Option<String>,
    binding_public_key: Option<String>,
    binding_secret: Option<Secret>,
    app_id: Option<String>,
    config: Config,
    metadata: BTreeMap<String, String>,
}

request!(CreateFactor -> NewFactor, "CreateNewFactor");

impl CreateFactor {
    /// A factor of `factor_type` named `friendly_name` (`FriendlyName`, up to 64 characters,
    /// no PII; the TOTP account name) for the entity `identity` (8 to 64 characters).
    pub fn new(
        service: impl Into<ServiceSid>,
        identity: impl Into<String>,
        friendly_name: impl Into<String>,
        factor_type: FactorType,
    ) -> Self {
        Self {
            service: service.into(),
            identity: identity.into(),
            friendly_name: friendly_name.into(),
            factor_type,
            binding_alg: None,
            binding_public_key: None,
            binding_secret: None,
            app_id: None,
            config: Config::default(),
            metadata: BTreeMap::new(),
        }
    }

    /// `Binding.Alg` (push): the key's algorithm; Twilio supports `ES256`.
    pub fn binding_alg(mut self, alg: impl Into<String>) -> Self {
        self.binding_alg = Some(alg.into());
        self
    }

    /// `Binding.PublicKey` (push): the device's ECDSA public key, PKIX DER in Base64.
    pub fn binding_public_key(mut self, key: impl Into<String>) -> Self {
        self.binding_public_key = Some(key.into());
        self
    }

    /// `Binding.Secret` (TOTP): a Base32 seed of your own; Twilio generates one otherwise.
    pub fn binding_secret(mut self, secret: impl Into<Secret>) -> Self {
        self.binding_secret = Some(secret.into());
        self
    }

    /// `Config.AppId` (push): the app's store id (`com.example.myapp`), up to 100 characters.
    pub fn config_app_id(mut self, app_id: impl Into<String>) -> Self {
        self.app_id = Some(app_id.into());
        self
    }

    config_setters!();

    /// Adds one entry to `Metadata`, a JSON object of strings about the device (up to 1024
    /// characters in all).
    pub fn metadata(mut self, key: impl Into<String>, value: impl Into<String>) -> Self {
        self.metadata.insert(key.into(), value.into());
        self
    }

    fn check(&self) -> Result<(), InvalidInput> {
        check_identity(&self.identity, true)?;
        check_text("FriendlyName", &self.friendly_name, 64)?;
        self.config.check()?;
        if let Some(id) = &self.app_id {
            check_text("Config.AppId", id, 100)?;
        }
        if let Some(secret) = &self.binding_secret {
            check_base32(secret.expose())?;
        }
        if self.factor_type == FactorType::Push {
            let missing = [
                ("Binding.PublicKey", self.binding_public_key.is_none()),
                ("Config.AppId", self.app_id.is_none()),
                (
                    "Config.NotificationPlatform",
                    self.config.notification_platform.is_none(),
                ),
                ("Config.SdkVersion", self.config.sdk_version.is_none()),
                (
                    "Config.NotificationToken",
                    self.config.notification_token.is_none()
                        && self.config.notification_platform != Some(NotificationPlatform::None),
                ),
            ];
            if let Some((field, _)) = missing.iter().find(|(_, m)| *m) {
                return Err(InvalidInput::new(field, "is required for a push factor"));
            }
        }
        Ok(())
    }

    fn wire(&self) -> Result<WireRequest, InvalidInput> {
        self.check()?;
        let mut form = Params::new();
        form.str("FriendlyName", &self.friendly_name)
            .str("FactorType", self.factor_type.as_str())
            .opt_str("Binding.Alg", self.binding_alg.as_deref())
            .opt_str("Binding.PublicKey", self.binding_public_key.as_deref())
            .opt_str(
                "Binding.Secret",
                self.binding_secret.as_ref().map(Secret::expose),
            )
            .opt_str("Config.AppId", self.app_id.as_deref());
        self.config.write(&mut form);
        if !self.metadata.is_empty() {
            form.str(
                "Metadata",
                &string_object("Metadata", &self.metadata, 1024)?,
            );
        }
        Ok(WireRequest::post(
            Self::OPERATION,
            factors(&self.service, &self.identity)?.finish(),
            form,
        ))
    }
}

/// `GET …/Entities/{Identity}/Factors`: lists an entity's factors.
///
/// ```no_run
/// # async fn run(client: &twilio_verify::Client, service: &twilio_verify::ServiceSid) -> twilio_verify::Result<()> {
/// use twilio_verify::verify::ListFactors;
///
/// for f in ListFactors::new(service, "ff483d1ff591898a9942916050d2ca3f").all(client).await? {
///     println!("{:?} {:?}", f.factor_type, f.status);
/// }
/// # Ok(()) }
/// ```
#[derive(Debug, Clone, PartialEq)]
#[must_use = "a request does nothing until `.send(&client).await`"]
pub struct ListFactors {
    service: ServiceSid,
    identity: String,
    paging: Paging,
}

request!(ListFactors -> crate::Page<Factor>, "ListFactor");

impl ListFactors {
    /// The factors of the entity `identity`.
    pub fn new(service: impl Into<ServiceSid>, identity: impl Into<String>) -> Self {
        Self {
            service: service.into(),
            identity: identity.into(),
            paging: Paging::default(),
        }
    }

    list_request!(Factor);

    fn wire(&self) -> Result<WireRequest, InvalidInput> {
        self.paging.check()?;
        let mut q = Params::new();
        self.paging.write(&mut q);
        Ok(WireRequest::get(
            Self::OPERATION,
            factors(&self.service, &self.identity)?.finish(),
            q,
        ))
    }
}

/// `GET …/Entities/{Identity}/Factors/{Sid}`: fetches one factor.
///
/// ```no_run
/// # async fn run(client: &twilio_verify::Client, service: &twilio_verify::ServiceSid, sid: &twilio_verify::sid::FactorSid) -> twilio_verify::Result<()> {
/// use twilio_verify::verify::FetchFactor;
///
/// let f = FetchFactor::new(service, "ff483d1ff591898a9942916050d2ca3f", sid).send(client).await?;
/// println!("{:?}", f.status);
/// # Ok(()) }
/// ```
#[derive(Debug, Clone, PartialEq)]
#[must_use = "a request does nothing until `.send(&client).await`"]
pub struct FetchFactor {
    service: ServiceSid,
    identity: String,
    sid: FactorSid,
}

request!(FetchFactor -> Factor, "FetchFactor");

impl FetchFactor {
    /// A fetch of factor `sid` (`YF…`) of the entity `identity`.
    pub fn new(
        service: impl Into<ServiceSid>,
        identity: impl Into<String>,
        sid: impl Into<FactorSid>,
    ) -> Self {
        Self {
            service: service.into(),
            identity: identity.into(),
            sid: sid.into(),
        }
    }

    fn wire(&self) -> Result<WireRequest, InvalidInput> {
        Ok(WireRequest::get(
            Self::OPERATION,
            factor(&self.service, &self.identity, &self.sid)?.finish(),
            Params::new(),
        ))
    }
}

/// `POST …/Entities/{Identity}/Factors/{Sid}`: verifies a new factor (with `AuthPayload`), or
/// changes its name or settings.
///
/// ```no_run
/// # async fn run(client: &twilio_verify::Client, service: &twilio_verify::ServiceSid, sid: &twilio_verify::sid::FactorSid) -> twilio_verify::Result<()> {
/// use twilio_verify::verify::{FactorStatus, UpdateFactor};
///
/// // The first code from the user's authenticator app verifies a TOTP factor.
/// let f = UpdateFactor::verify(service, "ff483d1ff591898a9942916050d2ca3f", sid, "123456")
///     .send(client)
///     .await?;
/// assert_eq!(f.status, Some(FactorStatus::Verified));
/// # Ok(()) }
/// ```
#[derive(Debug, Clone, PartialEq)]
#[must_use = "a request does nothing until `.send(&client).await`"]
pub struct UpdateFactor {
    service: ServiceSid,
    identity: String,
    sid: FactorSid,
    auth_payload: Option<Secret>,
    friendly_name: Option<String>,
    config: Config,
}

request!(UpdateFactor -> Factor, "UpdateFactor");

impl UpdateFactor {
    /// An update of factor `sid` that changes nothing yet.
    pub fn new(
        service: impl Into<ServiceSid>,
        identity: impl Into<String>,
        sid: impl Into<FactorSid>,
    ) -> Self {
        Self {
            service: service.into(),
            identity: identity.into(),
            sid: sid.into(),
            auth_payload: None,
            friendly_name: None,
            config: Config::default(),
        }
    }

    /// Verifies factor `sid` with `auth_payload`: for TOTP, the current code.
    pub fn verify(
        service: impl Into<ServiceSid>,
        identity: impl Into<String>,
        sid: impl Into<FactorSid>,
        auth_payload: impl Into<Secret>,
    ) -> Self {
        Self::new(service, identity, sid).auth_payload(auth_payload)
    }

    /// `AuthPayload`: what verifies the factor the first time (a TOTP code).
    pub fn auth_payload(mut self, payload: impl Into<Secret>) -> Self {
        self.auth_payload = Some(payload.into());
        self
    }

    /// `FriendlyName`: a new name, up to 64 characters.
    pub fn friendly_name(mut self, name: impl Into<String>) -> Self {
        self.friendly_name = Some(name.into());
        self
    }

    config_setters!();

    fn wire(&self) -> Result<WireRequest, InvalidInput> {
        if self.auth_payload.as_ref().is_some_and(Secret::is_empty) {
            return Err(InvalidInput::new("AuthPayload", "must not be empty"));
        }
        if let Some(name) = &self.friendly_name {
            check_text("FriendlyName", name, 64)?;
        }
        self.config.check()?;
        let mut form = Params::new();
        form.opt_str(
            "AuthPayload",
            self.auth_payload.as_ref().map(Secret::expose),
        )
        .opt_str("FriendlyName", self.friendly_name.as_deref());
        self.config.write(&mut form);
        Ok(WireRequest::post(
            Self::OPERATION,
            factor(&self.service, &self.identity, &self.sid)?.finish(),
            form,
        ))
    }
}

/// `DELETE …/Entities/{Identity}/Factors/{Sid}`: removes a factor.
///
/// ```no_run
/// # async fn run(client: &twilio_verify::Client, service: &twilio_verify::ServiceSid, sid: &twilio_verify::sid::FactorSid) -> twilio_verify::Result<()> {
/// use twilio_verify::verify::DeleteFactor;
///
/// DeleteFactor::new(service, "ff483d1ff591898a9942916050d2ca3f", sid).send(client).await?;
/// # Ok(()) }
/// ```
#[derive(Debug, Clone, PartialEq)]
#[must_use = "a request does nothing until `.send(&client).await`"]
pub struct DeleteFactor {
    service: ServiceSid,
    identity: String,
    sid: FactorSid,
}

request!(DeleteFactor -> (), "DeleteFactor");

impl DeleteFactor {
    /// A deletion of factor `sid` of the entity `identity`.
    pub fn new(
        service: impl Into<ServiceSid>,
        identity: impl Into<String>,
        sid: impl Into<FactorSid>,
    ) -> Self {
        Self {
            service: service.into(),
            identity: identity.into(),
            sid: sid.into(),
        }
    }

    fn wire(&self) -> Result<WireRequest, InvalidInput> {
        Ok(WireRequest::delete(
            Self::OPERATION,
            factor(&self.service, &self.identity, &self.sid)?.finish(),
        ))
    }
}

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
