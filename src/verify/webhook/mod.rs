//! Webhooks of a service (`…/Webhooks`): where Verify posts Push and TOTP events (factor
//! created, verified or deleted; challenge approved or denied).

mod create;
mod delete;
mod fetch;
mod list;
mod update;

pub use create::CreateWebhook;
pub use delete::DeleteWebhook;
pub use fetch::FetchWebhook;
pub use list::ListWebhooks;
pub use update::UpdateWebhook;

use serde::{Deserialize, Serialize};

use crate::error::InvalidInput;
use crate::macros::open_enum;
use crate::page::Listed;
use crate::sid::{AccountSid, ServiceSid, WebhookSid};
use crate::timestamp::Timestamp;
use crate::wire::{Params, Path};

use super::{check_text, check_url};

open_enum! {
    /// An event a webhook subscribes to.
    pub enum WebhookEvent {
        /// Every event.
        All = "*",
        /// A factor was created.
        FactorCreated = "factor.created",
        /// A factor was verified.
        FactorVerified = "factor.verified",
        /// A factor was deleted.
        FactorDeleted = "factor.deleted",
        /// A challenge was approved.
        ChallengeApproved = "challenge.approved",
        /// A challenge was denied.
        ChallengeDenied = "challenge.denied",
    }
}

open_enum! {
    /// Whether a webhook is delivered.
    pub enum WebhookStatus {
        /// Events are posted.
        Enabled = "enabled",
        /// Events are not posted.
        Disabled = "disabled",
    }
}

open_enum! {
    /// The payload version of a webhook.
    pub enum WebhookVersion {
        /// The first payload format.
        V1 = "v1",
        /// The second payload format (the default for new webhooks).
        V2 = "v2",
    }
}

open_enum! {
    /// The HTTP method a webhook is called with.
    pub enum WebhookMethod {
        /// `GET`.
        Get = "GET",
        /// `POST`.
        Post = "POST",
    }
}

fn webhooks(service: &ServiceSid) -> Result<Path, InvalidInput> {
    Ok(Path::new("/v2/Services")
        .seg(service.checked()?)
        .lit("Webhooks"))
}

fn webhook(service: &ServiceSid, sid: &WebhookSid) -> Result<Path, InvalidInput> {
    Ok(webhooks(service)?.seg(sid.checked()?))
}

/// The settings shared by create and update, in the order they are sent.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
#[serde(rename_all = "PascalCase")]
struct Settings {
    friendly_name: Option<String>,
    event_types: Option<Vec<WebhookEvent>>,
    webhook_url: Option<String>,
    status: Option<WebhookStatus>,
    version: Option<WebhookVersion>,
}

impl Settings {
    fn check(&self) -> Result<(), InvalidInput> {
        if let Some(name) = &self.friendly_name {
            check_text("FriendlyName", name, 64)?;
        }
        if self.event_types.as_ref().is_some_and(Vec::is_empty) {
            return Err(InvalidInput::new(
                "EventTypes",
                "subscribe to at least one event (`*` for all)",
            ));
        }
        if let Some(url) = &self.webhook_url {
            check_url("WebhookUrl", url)?;
        }
        Ok(())
    }

    /// The form of these settings, after checking them.
    fn form(&self) -> Result<Params, InvalidInput> {
        self.check()?;
        let mut form = Params::new();
        form.fields(self)?;
        Ok(form)
    }
}

/// The setters shared by create and update.
macro_rules! webhook_setters {
    () => {
        crate::macros::setters! {
            /// Enables or disables delivery (`Status`).
            status: value($crate::verify::WebhookStatus);
            /// The payload version (`Version`).
            version: value($crate::verify::WebhookVersion);
        }
    };
}

use webhook_setters;

/// A webhook (`verify.v2.service.webhook`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct Webhook {
    /// The webhook's SID (`YW…`).
    pub sid: Option<WebhookSid>,
    /// The service.
    pub service_sid: Option<ServiceSid>,
    /// The account.
    pub account_sid: Option<AccountSid>,
    /// Its name.
    pub friendly_name: Option<String>,
    /// The events it is subscribed to.
    pub event_types: Option<Vec<WebhookEvent>>,
    /// Whether it is delivered.
    pub status: Option<WebhookStatus>,
    /// Its payload version.
    pub version: Option<WebhookVersion>,
    /// Where events are sent.
    pub webhook_url: Option<String>,
    /// The method events are sent with.
    pub webhook_method: Option<WebhookMethod>,
    /// When it was created.
    pub date_created: Option<Timestamp>,
    /// When it was last updated.
    pub date_updated: Option<Timestamp>,
    /// Its URL.
    pub url: Option<String>,
}

impl Listed for Webhook {
    const KEY: &'static str = "webhooks";
}

#[cfg(test)]
mod tests {
    use super::*;

    fn va() -> ServiceSid {
        "VAaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa".parse().expect("va")
    }

    fn yw() -> WebhookSid {
        "YWaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa".parse().expect("yw")
    }

    #[test]
    fn event_types_are_repeated_keys_in_order() {
        let w = CreateWebhook::new(
            va(),
            "hooks",
            [WebhookEvent::FactorCreated, WebhookEvent::All],
            "https://h.example/x?a=1",
        )
        .status(WebhookStatus::Enabled)
        .version(WebhookVersion::V2)
        .to_wire()
        .expect("valid");
        assert_eq!(
            w.body(),
            Some(
                "FriendlyName=hooks&EventTypes=factor.created&EventTypes=%2A\
                 &WebhookUrl=https%3A%2F%2Fh.example%2Fx%3Fa%3D1&Status=enabled&Version=v2"
            )
        );
    }

    #[test]
    fn an_empty_update_sends_an_empty_form() {
        let w = UpdateWebhook::new(va(), yw()).to_wire().expect("valid");
        assert_eq!(w.body(), Some(""));
        assert_eq!(
            w.path(),
            "/v2/Services/VAaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa/Webhooks/YWaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
        );
    }

    #[test]
    fn bad_input_is_refused() {
        let no_events = CreateWebhook::new(va(), "n", [], "https://h.example");
        assert_eq!(
            no_events.to_wire().expect_err("events").field(),
            "EventTypes"
        );
        let relative = CreateWebhook::new(va(), "n", [WebhookEvent::All], "/hook");
        assert_eq!(relative.to_wire().expect_err("url").field(), "WebhookUrl");
        let unnamed = CreateWebhook::new(va(), " ", [WebhookEvent::All], "https://h.example");
        assert_eq!(unnamed.to_wire().expect_err("name").field(), "FriendlyName");
        let update = UpdateWebhook::new(va(), yw()).event_types([]);
        assert!(update.to_wire().is_err());
    }
}
