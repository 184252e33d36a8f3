//! `CreateFactor`: enrols a push device, a TOTP seed or a passkey for an entity.

use std::collections::BTreeMap;

use serde::Serialize;

use super::{
    Config, FactorType, NewFactor, NotificationPlatform, check_base32, config_setters, factors,
};
use crate::error::InvalidInput;
use crate::macros::setters;
use crate::request::{Request, request};
use crate::secret::Secret;
use crate::sid::ServiceSid;
use crate::verify::entity::check_identity;
use crate::verify::{check_string_object, check_text};
use crate::wire::{Params, WireRequest, json_text};

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
    params: Binding,
    config: Config,
    extra: Metadata,
}

/// The binding and the app, sent after `FriendlyName` and `FactorType`.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
struct Binding {
    #[serde(rename = "Binding.Alg")]
    binding_alg: Option<String>,
    #[serde(rename = "Binding.PublicKey")]
    binding_public_key: Option<String>,
    #[serde(rename = "Binding.Secret")]
    binding_secret: Option<Secret>,
    #[serde(rename = "Config.AppId")]
    config_app_id: Option<String>,
}

/// What the device says about itself, sent last.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
#[serde(rename_all = "PascalCase")]
struct Metadata {
    #[serde(serialize_with = "json_text")]
    metadata: Option<BTreeMap<String, String>>,
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
            params: Binding::default(),
            config: Config::default(),
            extra: Metadata::default(),
        }
    }

    setters! {
        /// `Binding.Alg` (push): the key's algorithm; Twilio supports `ES256`.
        binding_alg: into(String);
        /// `Binding.PublicKey` (push): the device's ECDSA public key, PKIX DER in Base64.
        binding_public_key: into(String);
        /// `Binding.Secret` (TOTP): a Base32 seed of your own; Twilio generates one otherwise.
        binding_secret: into(Secret);
        /// `Config.AppId` (push): the app's store id (`com.example.myapp`), up to 100
        /// characters.
        config_app_id: into(String);
    }

    config_setters!();

    /// Adds one entry to `Metadata`, a JSON object of strings about the device (up to 1024
    /// characters in all).
    pub fn metadata(mut self, key: impl Into<String>, value: impl Into<String>) -> Self {
        let metadata = self.extra.metadata.get_or_insert_with(BTreeMap::new);
        metadata.insert(key.into(), value.into());
        self
    }

    fn check(&self) -> Result<(), InvalidInput> {
        check_identity(&self.identity, true)?;
        check_text("FriendlyName", &self.friendly_name, 64)?;
        self.config.check()?;
        let p = &self.params;
        if let Some(id) = &p.config_app_id {
            check_text("Config.AppId", id, 100)?;
        }
        if let Some(secret) = &p.binding_secret {
            check_base32(secret.expose())?;
        }
        if self.factor_type == FactorType::Push {
            let platform = &self.config.config_notification_platform;
            let missing = [
                ("Binding.PublicKey", p.binding_public_key.is_none()),
                ("Config.AppId", p.config_app_id.is_none()),
                ("Config.NotificationPlatform", platform.is_none()),
                (
                    "Config.SdkVersion",
                    self.config.config_sdk_version.is_none(),
                ),
                (
                    "Config.NotificationToken",
                    self.config.config_notification_token.is_none()
                        && *platform != Some(NotificationPlatform::None),
                ),
            ];
            if let Some((field, _)) = missing.iter().find(|(_, m)| *m) {
                return Err(InvalidInput::new(field, "is required for a push factor"));
            }
        }
        check_string_object("Metadata", self.extra.metadata.as_ref(), 1024)
    }

    fn wire(&self) -> Result<WireRequest, InvalidInput> {
        self.check()?;
        let mut form = Params::new();
        form.str("FriendlyName", &self.friendly_name)
            .str("FactorType", self.factor_type.as_str())
            .fields(&(&self.params, &self.config, &self.extra))?;
        let path = factors(&self.service, &self.identity)?.finish();
        Ok(WireRequest::post(Self::OPERATION, path, form))
    }
}
