//! Verify Services (`/v2/Services`): the container of settings that verifications run under.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::error::InvalidInput;
use crate::macros::open_enum;
use crate::page::{Listed, Paging, list_request};
use crate::request::{Request, request};
use crate::sid::{AccountSid, CredentialSid, MessagingServiceSid, ServiceSid, TemplateSid};
use crate::timestamp::Timestamp;
use crate::wire::{Params, Path, WireRequest};

use super::check_range;

open_enum! {
    /// Which authenticators a passkey may live on.
    pub enum AuthenticatorAttachment {
        /// Built into the device (Touch ID, Windows Hello).
        Platform = "platform",
        /// A roaming authenticator (a security key, a phone).
        CrossPlatform = "cross-platform",
        /// Either.
        Any = "any",
    }
}

open_enum! {
    /// How strongly a passkey setting is asked for (WebAuthn's requirement levels).
    pub enum PasskeyRequirement {
        /// Must be met.
        Required = "required",
        /// Wanted, but not required.
        Preferred = "preferred",
        /// Not wanted.
        Discouraged = "discouraged",
    }
}

/// The settings shared by create and update, all optional on the wire.
#[derive(Debug, Clone, Default, PartialEq)]
struct Settings {
    friendly_name: Option<String>,
    code_length: Option<u8>,
    lookup_enabled: Option<bool>,
    skip_sms_to_landlines: Option<bool>,
    dtmf_input_required: Option<bool>,
    tts_name: Option<String>,
    psd2_enabled: Option<bool>,
    do_not_share_warning_enabled: Option<bool>,
    custom_code_enabled: Option<bool>,
    push_include_date: Option<bool>,
    push_apn_credential_sid: Option<CredentialSid>,
    push_fcm_credential_sid: Option<CredentialSid>,
    totp_issuer: Option<String>,
    totp_time_step: Option<u8>,
    totp_code_length: Option<u8>,
    totp_skew: Option<u8>,
    default_template_sid: Option<TemplateSid>,
    whatsapp_msg_service_sid: Option<MessagingServiceSid>,
    whatsapp_from: Option<String>,
    passkeys_relying_party_id: Option<String>,
    passkeys_relying_party_name: Option<String>,
    passkeys_relying_party_origins: Option<Vec<String>>,
    passkeys_authenticator_attachment: Option<AuthenticatorAttachment>,
    passkeys_discoverable_credentials: Option<PasskeyRequirement>,
    passkeys_user_verification: Option<PasskeyRequirement>,
    verify_event_subscription_enabled: Option<bool>,
}

impl Settings {
    fn check(&self) -> Result<(), InvalidInput> {
        for sid in [&self.push_apn_credential_sid, &self.push_fcm_credential_sid]
            .into_iter()
            .flatten()
        {
            sid.checked()?;
        }
        if let Some(sid) = &self.default_template_sid {
            sid.checked()?;
        }
        if let Some(sid) = &self.whatsapp_msg_service_sid {
            sid.checked()?;
        }
        if let Some(name) = &self.friendly_name {
            let n = name.chars().count();
            if n == 0 || n > 32 {
                return Err(InvalidInput::new(
                    "FriendlyName",
                    "must be 1 to 32 characters",
                ));
            }
        }
        check_range("CodeLength", self.code_length, 4..=10)?;
        check_range("Totp.TimeStep", self.totp_time_step, 20..=60)?;
        check_range("Totp.CodeLength", self.totp_code_length, 3..=8)?;
        check_range("Totp.Skew", self.totp_skew, 0..=2)?;
        let bad_origin = |o: &String| o.is_empty() || o.contains(',');
        if self
            .passkeys_relying_party_origins
            .as_ref()
            .is_some_and(|origins| origins.iter().any(bad_origin))
        {
            return Err(InvalidInput::new(
                "Passkeys.RelyingParty.Origins",
                "each origin must be non-empty and contain no comma",
            ));
        }
        Ok(())
    }

    fn write(&self, p: &mut Params) {
        let origins = self
            .passkeys_relying_party_origins
            .as_ref()
            .map(|o| o.join(","));
        p.opt_str("FriendlyName", self.friendly_name.as_deref())
            .opt_int("CodeLength", self.code_length)
            .opt_bool("LookupEnabled", self.lookup_enabled)
            .opt_bool("SkipSmsToLandlines", self.skip_sms_to_landlines)
            .opt_bool("DtmfInputRequired", self.dtmf_input_required)
            .opt_str("TtsName", self.tts_name.as_deref())
            .opt_bool("Psd2Enabled", self.psd2_enabled)
            .opt_bool(
                "DoNotShareWarningEnabled",
                self.do_not_share_warning_enabled,
            )
            .opt_bool("CustomCodeEnabled", self.custom_code_enabled)
            .opt_bool("Push.IncludeDate", self.push_include_date)
            .opt_str(
                "Push.ApnCredentialSid",
                self.push_apn_credential_sid
                    .as_ref()
                    .map(CredentialSid::as_str),
            )
            .opt_str(
                "Push.FcmCredentialSid",
                self.push_fcm_credential_sid
                    .as_ref()
                    .map(CredentialSid::as_str),
            )
            .opt_str("Totp.Issuer", self.totp_issuer.as_deref())
            .opt_int("Totp.TimeStep", self.totp_time_step)
            .opt_int("Totp.CodeLength", self.totp_code_length)
            .opt_int("Totp.Skew", self.totp_skew)
            .opt_str(
                "DefaultTemplateSid",
                self.default_template_sid.as_ref().map(TemplateSid::as_str),
            )
            .opt_str(
                "Whatsapp.MsgServiceSid",
                self.whatsapp_msg_service_sid
                    .as_ref()
                    .map(MessagingServiceSid::as_str),
            )
            .opt_str("Whatsapp.From", self.whatsapp_from.as_deref())
            .opt_str(
                "Passkeys.RelyingParty.Id",
                self.passkeys_relying_party_id.as_deref(),
            )
            .opt_str(
                "Passkeys.RelyingParty.Name",
                self.passkeys_relying_party_name.as_deref(),
            )
            .opt_str("Passkeys.RelyingParty.Origins", origins.as_deref())
            .opt_str(
                "Passkeys.AuthenticatorAttachment",
                self.passkeys_authenticator_attachment
                    .as_ref()
                    .map(AuthenticatorAttachment::as_str),
            )
            .opt_str(
                "Passkeys.DiscoverableCredentials",
                self.passkeys_discoverable_credentials
                    .as_ref()
                    .map(PasskeyRequirement::as_str),
            )
            .opt_str(
                "Passkeys.UserVerification",
                self.passkeys_user_verification
                    .as_ref()
                    .map(PasskeyRequirement::as_str),
            )
            .opt_bool(
                "VerifyEventSubscriptionEnabled",
                self.verify_event_subscription_enabled,
            );
    }
}

/// The optional settings setters, shared by [`CreateService`] and [`UpdateService`].
macro_rules! settings_setters {
    () => {
        /// `CodeLength`: the length of generated codes, 4 to 10 (Twilio's default is 6).
        pub fn code_length(mut self, length: u8) -> Self {
            self.settings.code_length = Some(length);
            self
        }

        /// `LookupEnabled`: look up the carrier of each number before sending.
        pub fn lookup_enabled(mut self, enabled: bool) -> Self {
            self.settings.lookup_enabled = Some(enabled);
            self
        }

        /// `SkipSmsToLandlines`: refuse SMS to landlines (needs lookup enabled).
        pub fn skip_sms_to_landlines(mut self, skip: bool) -> Self {
            self.settings.skip_sms_to_landlines = Some(skip);
            self
        }

        /// `DtmfInputRequired`: ask for a key press before a voice code is read out.
        pub fn dtmf_input_required(mut self, required: bool) -> Self {
            self.settings.dtmf_input_required = Some(required);
            self
        }

        /// `TtsName`: the name spoken in voice calls, in place of the friendly name.
        pub fn tts_name(mut self, name: impl Into<String>) -> Self {
            self.settings.tts_name = Some(name.into());
            self
        }

        /// `Psd2Enabled`: enable the PSD2 `Amount` and `Payee` parameters.
        pub fn psd2_enabled(mut self, enabled: bool) -> Self {
            self.settings.psd2_enabled = Some(enabled);
            self
        }

        /// `DoNotShareWarningEnabled`: add a "do not share this code" warning to SMS.
        pub fn do_not_share_warning_enabled(mut self, enabled: bool) -> Self {
            self.settings.do_not_share_warning_enabled = Some(enabled);
            self
        }

        /// `CustomCodeEnabled`: allow `CustomCode` on verifications (needed for the Auth0 flow).
        pub fn custom_code_enabled(mut self, enabled: bool) -> Self {
            self.settings.custom_code_enabled = Some(enabled);
            self
        }

        /// `Push.IncludeDate`: deprecated by Twilio; read `date_created` instead.
        #[deprecated(note = "Twilio deprecated Push.IncludeDate; use the challenge's date_created")]
        pub fn push_include_date(mut self, include: bool) -> Self {
            self.settings.push_include_date = Some(include);
            self
        }

        /// `Push.ApnCredentialSid`: the APN credential for push factors.
        pub fn push_apn_credential_sid(mut self, sid: impl Into<CredentialSid>) -> Self {
            self.settings.push_apn_credential_sid = Some(sid.into());
            self
        }

        /// `Push.FcmCredentialSid`: the FCM credential for push factors.
        pub fn push_fcm_credential_sid(mut self, sid: impl Into<CredentialSid>) -> Self {
            self.settings.push_fcm_credential_sid = Some(sid.into());
            self
        }

        /// `Totp.Issuer`: the issuer shown in authenticator apps.
        pub fn totp_issuer(mut self, issuer: impl Into<String>) -> Self {
            self.settings.totp_issuer = Some(issuer.into());
            self
        }

        /// `Totp.TimeStep`: seconds per TOTP code, 20 to 60.
        pub fn totp_time_step(mut self, seconds: u8) -> Self {
            self.settings.totp_time_step = Some(seconds);
            self
        }

        /// `Totp.CodeLength`: digits per TOTP code, 3 to 8.
        pub fn totp_code_length(mut self, digits: u8) -> Self {
            self.settings.totp_code_length = Some(digits);
            self
        }

        /// `Totp.Skew`: time steps of tolerance either side, 0 to 2.
        pub fn totp_skew(mut self, steps: u8) -> Self {
            self.settings.totp_skew = Some(steps);
            self
        }

        /// `DefaultTemplateSid`: the default message template (SMS only).
        pub fn default_template_sid(mut self, sid: impl Into<TemplateSid>) -> Self {
            self.settings.default_template_sid = Some(sid.into());
            self
        }

        /// `Whatsapp.MsgServiceSid`: the Messaging Service holding the WhatsApp senders.
        pub fn whatsapp_msg_service_sid(mut self, sid: impl Into<MessagingServiceSid>) -> Self {
            self.settings.whatsapp_msg_service_sid = Some(sid.into());
            self
        }

        /// `Whatsapp.From`: the WhatsApp sender (`whatsapp:+15017122661`).
        pub fn whatsapp_from(mut self, from: impl Into<String>) -> Self {
            self.settings.whatsapp_from = Some(from.into());
            self
        }

        /// `Passkeys.RelyingParty.Id`: the WebAuthn relying party id (`example.com`).
        pub fn passkeys_relying_party_id(mut self, id: impl Into<String>) -> Self {
            self.settings.passkeys_relying_party_id = Some(id.into());
            self
        }

        /// `Passkeys.RelyingParty.Name`: the relying party's display name.
        pub fn passkeys_relying_party_name(mut self, name: impl Into<String>) -> Self {
            self.settings.passkeys_relying_party_name = Some(name.into());
            self
        }

        /// `Passkeys.RelyingParty.Origins`: the allowed origins, sent comma-separated.
        pub fn passkeys_relying_party_origins<I, S>(mut self, origins: I) -> Self
        where
            I: IntoIterator<Item = S>,
            S: Into<String>,
        {
            self.settings.passkeys_relying_party_origins =
                Some(origins.into_iter().map(Into::into).collect());
            self
        }

        /// `Passkeys.AuthenticatorAttachment`: which authenticators may hold passkeys.
        pub fn passkeys_authenticator_attachment(mut self, value: AuthenticatorAttachment) -> Self {
            self.settings.passkeys_authenticator_attachment = Some(value);
            self
        }

        /// `Passkeys.DiscoverableCredentials`: whether passkeys must be discoverable.
        pub fn passkeys_discoverable_credentials(mut self, value: PasskeyRequirement) -> Self {
            self.settings.passkeys_discoverable_credentials = Some(value);
            self
        }

        /// `Passkeys.UserVerification`: whether the authenticator must verify the user.
        pub fn passkeys_user_verification(mut self, value: PasskeyRequirement) -> Self {
            self.settings.passkeys_user_verification = Some(value);
            self
        }

        /// `VerifyEventSubscriptionEnabled`: publish Verify events to Event Streams sinks.
        pub fn verify_event_subscription_enabled(mut self, enabled: bool) -> Self {
            self.settings.verify_event_subscription_enabled = Some(enabled);
            self
        }
    };
}

/// `POST /v2/Services`: creates a Verify Service.
///
/// ```no_run
/// # async fn run(client: &twilio_verify::Client) -> twilio_verify::Result<()> {
/// use twilio_verify::verify::CreateService;
///
/// let service = CreateService::new("My App")
///     .code_length(6)
///     .custom_code_enabled(true)
///     .send(client)
///     .await?;
/// println!("created {:?}", service.sid);
/// # Ok(()) }
/// ```
#[derive(Debug, Clone, PartialEq)]
#[must_use = "a request does nothing until `.send(&client).await`"]
pub struct CreateService {
    settings: Settings,
}

request!(CreateService -> Service, "CreateService");

impl CreateService {
    /// A new service named `friendly_name` (`FriendlyName`, 1 to 32 characters, shown in
    /// messages; no personal data).
    pub fn new(friendly_name: impl Into<String>) -> Self {
        Self {
            settings: Settings {
                friendly_name: Some(friendly_name.into()),
                ..Settings::default()
            },
        }
    }

    settings_setters!();

    fn wire(&self) -> Result<WireRequest, InvalidInput> {
        self.settings.check()?;
        let mut form = Params::new();
        self.settings.write(&mut form);
        Ok(WireRequest::post(
            Self::OPERATION,
            Path::new("/v2/Services").finish(),
            form,
        ))
    }
}

/// `POST /v2/Services/{Sid}`: changes settings of a service. Only the settings given are sent.
///
/// ```no_run
/// # async fn run(client: &twilio_verify::Client, sid: &twilio_verify::ServiceSid) -> twilio_verify::Result<()> {
/// use twilio_verify::verify::UpdateService;
///
/// let service = UpdateService::new(sid).lookup_enabled(true).send(client).await?;
/// assert_eq!(service.lookup_enabled, Some(true));
/// # Ok(()) }
/// ```
#[derive(Debug, Clone, PartialEq)]
#[must_use = "a request does nothing until `.send(&client).await`"]
pub struct UpdateService {
    sid: ServiceSid,
    settings: Settings,
}

request!(UpdateService -> Service, "UpdateService");

impl UpdateService {
    /// An update of service `sid` that changes nothing yet.
    pub fn new(sid: impl Into<ServiceSid>) -> Self {
        Self {
            sid: sid.into(),
            settings: Settings::default(),
        }
    }

    /// `FriendlyName`: renames the service (1 to 32 characters).
    pub fn friendly_name(mut self, name: impl Into<String>) -> Self {
        self.settings.friendly_name = Some(name.into());
        self
    }

    settings_setters!();

    fn wire(&self) -> Result<WireRequest, InvalidInput> {
        self.settings.check()?;
        let mut form = Params::new();
        self.settings.write(&mut form);
        let path = Path::new("/v2/Services").seg(self.sid.checked()?).finish();
        Ok(WireRequest::post(Self::OPERATION, path, form))
    }
}

/// `GET /v2/Services/{Sid}`: fetches one service.
///
/// ```no_run
/// # async fn run(client: &twilio_verify::Client, sid: &twilio_verify::ServiceSid) -> twilio_verify::Result<()> {
/// use twilio_verify::verify::FetchService;
///
/// let service = FetchService::new(sid).send(client).await?;
/// println!("{:?} uses {}-digit codes", service.friendly_name, service.code_length);
/// # Ok(()) }
/// ```
#[derive(Debug, Clone, PartialEq)]
#[must_use = "a request does nothing until `.send(&client).await`"]
pub struct FetchService {
    sid: ServiceSid,
}

request!(FetchService -> Service, "FetchService");

impl FetchService {
    /// A fetch of service `sid`.
    pub fn new(sid: impl Into<ServiceSid>) -> Self {
        Self { sid: sid.into() }
    }

    fn wire(&self) -> Result<WireRequest, InvalidInput> {
        let path = Path::new("/v2/Services").seg(self.sid.checked()?).finish();
        Ok(WireRequest::get(Self::OPERATION, path, Params::new()))
    }
}

/// `DELETE /v2/Services/{Sid}`: deletes a service.
///
/// ```no_run
/// # async fn run(client: &twilio_verify::Client, sid: &twilio_verify::ServiceSid) -> twilio_verify::Result<()> {
/// use twilio_verify::verify::DeleteService;
///
/// DeleteService::new(sid).send(client).await?;
/// # Ok(()) }
/// ```
#[derive(Debug, Clone, PartialEq)]
#[must_use = "a request does nothing until `.send(&client).await`"]
pub struct DeleteService {
    sid: ServiceSid,
}

request!(DeleteService -> (), "DeleteService");

impl DeleteService {
    /// A deletion of service `sid`.
    pub fn new(sid: impl Into<ServiceSid>) -> Self {
        Self { sid: sid.into() }
    }

    fn wire(&self) -> Result<WireRequest, InvalidInput> {
        let path = Path::new("/v2/Services").seg(self.sid.checked()?).finish();
        Ok(WireRequest::delete(Self::OPERATION, path))
    }
}

/// `GET /v2/Services`: lists the account's services, a page at a time.
///
/// ```no_run
/// # async fn run(client: &twilio_verify::Client) -> twilio_verify::Result<()> {
/// use twilio_verify::verify::ListServices;
///
/// // One page:
/// let page = ListServices::new().page_size(20).send(client).await?;
/// // Every service, up to 100:
/// let all = ListServices::new().limit(100).all(client).await?;
/// println!("{} on the first page, {} in all", page.items.len(), all.len());
/// # Ok(()) }
/// ```
#[derive(Debug, Clone, Default, PartialEq)]
#[must_use = "a request does nothing until `.send(&client).await`"]
pub struct ListServices {
    paging: Paging,
}

request!(ListServices -> crate::Page<Service>, "ListService");

impl ListServices {
    /// A list request with Twilio's default page size (50).
    pub fn new() -> Self {
        Self::default()
    }

    list_request!(Service);

    fn wire(&self) -> Result<WireRequest, InvalidInput> {
        self.paging.check()?;
        let mut q = Params::new();
        self.paging.write(&mut q);
        Ok(WireRequest::get(
            Self::OPERATION,
            Path::new("/v2/Services").finish(),
            q,
        ))
    }
}

/// A Verify Service (`verify.v2.service`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct Service {
    /// The service SID (`VA…`).
    pub sid: Option<ServiceSid>,
    /// The account that owns the service.
    pub account_sid: Option<AccountSid>,
    /// The name shown in messages.
    pub friendly_name: Option<String>,
    /// The length of generated codes.
    #[serde(default)]
    pub code_length: i64,
    /// Whether carrier lookup runs on each verification.
    pub lookup_enabled: Option<bool>,
    /// Whether the PSD2 parameters are enabled.
    pub psd2_enabled: Option<bool>,
    /// Whether SMS to landlines is refused.
    pub skip_sms_to_landlines: Option<bool>,
    /// Whether voice calls wait for a key press.
    pub dtmf_input_required: Option<bool>,
    /// The name spoken in voice calls.
    pub tts_name: Option<String>,
    /// Whether SMS carry a "do not share" warning.
    pub do_not_share_warning_enabled: Option<bool>,
    /// Whether custom codes are allowed.
    pub custom_code_enabled: Option<bool>,
    /// Push factor settings.
    pub push: Option<ServicePush>,
    /// TOTP factor settings.
    pub totp: Option<ServiceTotp>,
    /// The default message template.
    pub default_template_sid: Option<TemplateSid>,
    /// WhatsApp settings.
    pub whatsapp: Option<ServiceWhatsapp>,
    /// Passkeys settings.
    pub passkeys: Option<ServicePasskeys>,
    /// Whether Verify events go to Event Streams.
    pub verify_event_subscription_enabled: Option<bool>,
    /// When the service was created.
    pub date_created: Option<Timestamp>,
    /// When the service was last updated.
    pub date_updated: Option<Timestamp>,
    /// The service's URL.
    pub url: Option<String>,
    /// URLs of the service's sub-resources, by name (`verifications`, `rate_limits`…).
    #[serde(default, deserialize_with = "crate::de::lenient_string_map")]
    pub links: Option<BTreeMap<String, String>>,
}

impl Listed for Service {
    const KEY: &'static str = "services";
}

/// Push settings of a service.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct ServicePush {
    /// Deprecated by Twilio.
    pub include_date: Option<bool>,
    /// The APN credential.
    pub apn_credential_sid: Option<CredentialSid>,
    /// The FCM credential.
    pub fcm_credential_sid: Option<CredentialSid>,
}

/// TOTP settings of a service.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct ServiceTotp {
    /// The issuer shown in authenticator apps.
    pub issuer: Option<String>,
    /// Seconds per code.
    pub time_step: Option<i64>,
    /// Digits per code.
    pub code_length: Option<i64>,
    /// Time steps of tolerance.
    pub skew: Option<i64>,
}

/// WhatsApp settings of a service.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct ServiceWhatsapp {
    /// The Messaging Service holding the senders.
    pub msg_service_sid: Option<MessagingServiceSid>,
    /// The WhatsApp sender.
    pub from: Option<String>,
}

/// Passkeys settings of a service.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct ServicePasskeys {
    /// The WebAuthn relying party.
    pub relying_party: Option<RelyingParty>,
    /// Which authenticators may hold passkeys (Twilio may send an empty string for unset).
    pub authenticator_attachment: Option<AuthenticatorAttachment>,
    /// Whether passkeys must be discoverable.
    pub discoverable_credentials: Option<PasskeyRequirement>,
    /// Whether the authenticator must verify the user.
    pub user_verification: Option<PasskeyRequirement>,
}

/// A WebAuthn relying party.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct RelyingParty {
    /// The relying party id (`example.com`).
    pub id: Option<String>,
    /// The display name.
    pub name: Option<String>,
    /// The allowed origins.
    pub origins: Option<Vec<String>>,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sid() -> ServiceSid {
        ServiceSid::parse("VAaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa").expect("sid")
    }

    #[test]
    #[allow(deprecated)]
    fn create_sends_every_setting_with_exact_names() {
        let cr = CredentialSid::parse("CRaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa").expect("cr");
        let req = CreateService::new("My App")
            .code_length(6)
            .lookup_enabled(true)
            .skip_sms_to_landlines(false)
            .dtmf_input_required(true)
            .tts_name("App")
            .psd2_enabled(false)
            .do_not_share_warning_enabled(true)
            .custom_code_enabled(true)
            .push_include_date(false)
            .push_apn_credential_sid(&cr)
            .push_fcm_credential_sid(&cr)
            .totp_issuer("Issuer")
            .totp_time_step(30)
            .totp_code_length(6)
            .totp_skew(1)
            .default_template_sid(
                TemplateSid::parse("HJaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa").expect("hj"),
            )
            .whatsapp_msg_service_sid(
                MessagingServiceSid::parse("MGaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa").expect("mg"),
            )
            .whatsapp_from("whatsapp:+15017122661")
            .passkeys_relying_party_id("example.com")
            .passkeys_relying_party_name("Example")
            .passkeys_relying_party_origins(["https://example.com", "https://login.example.com"])
            .passkeys_authenticator_attachment(AuthenticatorAttachment::CrossPlatform)
            .passkeys_discoverable_credentials(PasskeyRequirement::Preferred)
            .passkeys_user_verification(PasskeyRequirement::Required)
            .verify_event_subscription_enabled(false)
            .to_wire()
            .expect("valid");
        assert_eq!(req.path, "/v2/Services");
        let body = req.body.expect("form");
        let keys: Vec<&str> = body
            .split('&')
            .map(|kv| kv.split('=').next().unwrap_or(""))
            .collect();
        assert_eq!(keys.len(), 26, "{body}");
        assert!(body.starts_with("FriendlyName=My+App&CodeLength=6&LookupEnabled=true&"));
        assert!(body.contains("Passkeys.RelyingParty.Origins=https%3A%2F%2Fexample.com%2Chttps%3A%2F%2Flogin.example.com"));
        assert!(body.contains("Passkeys.AuthenticatorAttachment=cross-platform"));
    }

    #[test]
    fn out_of_range_settings_are_rejected() {
        assert_eq!(
            CreateService::new("x")
                .code_length(3)
                .to_wire()
                .expect_err("3")
                .field(),
            "CodeLength"
        );
        assert_eq!(
            CreateService::new("").to_wire().expect_err("empty").field(),
            "FriendlyName"
        );
        assert_eq!(
            CreateService::new("a".repeat(33))
                .to_wire()
                .expect_err("long")
                .field(),
            "FriendlyName"
        );
        assert_eq!(
            UpdateService::new(sid())
                .totp_skew(3)
                .to_wire()
                .expect_err("skew")
                .field(),
            "Totp.Skew"
        );
        assert_eq!(
            UpdateService::new(sid())
                .totp_time_step(61)
                .to_wire()
                .expect_err("step")
                .field(),
            "Totp.TimeStep"
        );
    }

    #[test]
    fn update_with_nothing_set_sends_an_empty_form() {
        let req = UpdateService::new(sid()).to_wire().expect("valid");
        assert_eq!(req.body.as_deref(), Some(""));
        assert_eq!(req.path, "/v2/Services/VAaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa");
    }
}
