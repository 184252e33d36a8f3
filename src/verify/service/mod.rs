//! Verify Services (`/v2/Services`): the container of settings that verifications run under.

mod create;
mod delete;
mod fetch;
mod list;
mod update;

pub use create::CreateService;
pub use delete::DeleteService;
pub use fetch::FetchService;
pub use list::ListServices;
pub use update::UpdateService;

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::error::InvalidInput;
use crate::macros::open_enum;
use crate::page::Listed;
use crate::sid::{AccountSid, CredentialSid, MessagingServiceSid, ServiceSid, TemplateSid};
use crate::timestamp::Timestamp;
use crate::wire::Path;

use super::check_range;

/// `/v2/Services/{Sid}`, checked.
fn service_path(sid: &ServiceSid) -> Result<String, InvalidInput> {
    Ok(Path::new("/v2/Services").seg(sid.checked()?).finish())
}

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

/// The settings shared by create and update, all optional, in the order they are sent.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
#[serde(rename_all = "PascalCase")]
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
    #[serde(rename = "Push.IncludeDate")]
    push_include_date: Option<bool>,
    #[serde(rename = "Push.ApnCredentialSid")]
    push_apn_credential_sid: Option<CredentialSid>,
    #[serde(rename = "Push.FcmCredentialSid")]
    push_fcm_credential_sid: Option<CredentialSid>,
    #[serde(rename = "Totp.Issuer")]
    totp_issuer: Option<String>,
    #[serde(rename = "Totp.TimeStep")]
    totp_time_step: Option<u8>,
    #[serde(rename = "Totp.CodeLength")]
    totp_code_length: Option<u8>,
    #[serde(rename = "Totp.Skew")]
    totp_skew: Option<u8>,
    default_template_sid: Option<TemplateSid>,
    #[serde(rename = "Whatsapp.MsgServiceSid")]
    whatsapp_msg_service_sid: Option<MessagingServiceSid>,
    #[serde(rename = "Whatsapp.From")]
    whatsapp_from: Option<String>,
    #[serde(rename = "Passkeys.RelyingParty.Id")]
    passkeys_relying_party_id: Option<String>,
    #[serde(rename = "Passkeys.RelyingParty.Name")]
    passkeys_relying_party_name: Option<String>,
    /// Sent as one comma-separated value, as Twilio takes it.
    #[serde(
        rename = "Passkeys.RelyingParty.Origins",
        serialize_with = "comma_separated"
    )]
    passkeys_relying_party_origins: Option<Vec<String>>,
    #[serde(rename = "Passkeys.AuthenticatorAttachment")]
    passkeys_authenticator_attachment: Option<AuthenticatorAttachment>,
    #[serde(rename = "Passkeys.DiscoverableCredentials")]
    passkeys_discoverable_credentials: Option<PasskeyRequirement>,
    #[serde(rename = "Passkeys.UserVerification")]
    passkeys_user_verification: Option<PasskeyRequirement>,
    verify_event_subscription_enabled: Option<bool>,
}

/// A list sent as one value, its items joined by commas.
fn comma_separated<S: serde::Serializer>(v: &Option<Vec<String>>, s: S) -> Result<S::Ok, S::Error> {
    match v {
        Some(items) => s.serialize_str(&items.join(",")),
        None => s.serialize_none(),
    }
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
}

/// The optional settings setters, shared by [`CreateService`] and [`UpdateService`].
macro_rules! settings_setters {
    () => {
        crate::macros::setters! {
            /// `CodeLength`: the length of generated codes, 4 to 10 (Twilio's default is 6).
            code_length: value(u8);
            /// `LookupEnabled`: look up the carrier of each number before sending.
            lookup_enabled: value(bool);
            /// `SkipSmsToLandlines`: refuse SMS to landlines (needs lookup enabled).
            skip_sms_to_landlines: value(bool);
            /// `DtmfInputRequired`: ask for a key press before a voice code is read out.
            dtmf_input_required: value(bool);
            /// `TtsName`: the name spoken in voice calls, in place of the friendly name.
            tts_name: into(String);
            /// `Psd2Enabled`: enable the PSD2 `Amount` and `Payee` parameters.
            psd2_enabled: value(bool);
            /// `DoNotShareWarningEnabled`: add a "do not share this code" warning to SMS.
            do_not_share_warning_enabled: value(bool);
            /// `CustomCodeEnabled`: allow `CustomCode` on verifications (needed for the Auth0
            /// flow).
            custom_code_enabled: value(bool);
            /// `Push.IncludeDate`: deprecated by Twilio; read `date_created` instead.
            #[deprecated(note = "Twilio deprecated Push.IncludeDate; use the challenge's date_created")]
            push_include_date: value(bool);
            /// `Push.ApnCredentialSid`: the APN credential for push factors.
            push_apn_credential_sid: into($crate::sid::CredentialSid);
            /// `Push.FcmCredentialSid`: the FCM credential for push factors.
            push_fcm_credential_sid: into($crate::sid::CredentialSid);
            /// `Totp.Issuer`: the issuer shown in authenticator apps.
            totp_issuer: into(String);
            /// `Totp.TimeStep`: seconds per TOTP code, 20 to 60.
            totp_time_step: value(u8);
            /// `Totp.CodeLength`: digits per TOTP code, 3 to 8.
            totp_code_length: value(u8);
            /// `Totp.Skew`: time steps of tolerance either side, 0 to 2.
            totp_skew: value(u8);
            /// `DefaultTemplateSid`: the default message template (SMS only).
            default_template_sid: into($crate::sid::TemplateSid);
            /// `Whatsapp.MsgServiceSid`: the Messaging Service holding the WhatsApp senders.
            whatsapp_msg_service_sid: into($crate::sid::MessagingServiceSid);
            /// `Whatsapp.From`: the WhatsApp sender (`whatsapp:+15017122661`).
            whatsapp_from: into(String);
            /// `Passkeys.RelyingParty.Id`: the WebAuthn relying party id (`example.com`).
            passkeys_relying_party_id: into(String);
            /// `Passkeys.RelyingParty.Name`: the relying party's display name.
            passkeys_relying_party_name: into(String);
            /// `Passkeys.AuthenticatorAttachment`: which authenticators may hold passkeys.
            passkeys_authenticator_attachment: value($crate::verify::AuthenticatorAttachment);
            /// `Passkeys.DiscoverableCredentials`: whether passkeys must be discoverable.
            passkeys_discoverable_credentials: value($crate::verify::PasskeyRequirement);
            /// `Passkeys.UserVerification`: whether the authenticator must verify the user.
            passkeys_user_verification: value($crate::verify::PasskeyRequirement);
            /// `VerifyEventSubscriptionEnabled`: publish Verify events to Event Streams sinks.
            verify_event_subscription_enabled: value(bool);
        }

        /// `Passkeys.RelyingParty.Origins`: the allowed origins, sent comma-separated.
        pub fn passkeys_relying_party_origins<I, S>(mut self, origins: I) -> Self
        where
            I: IntoIterator<Item = S>,
            S: Into<String>,
        {
            self.params.passkeys_relying_party_origins =
                Some(origins.into_iter().map(Into::into).collect());
            self
        }
    };
}

use settings_setters;

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
