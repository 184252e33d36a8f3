//! Webhooks of a service (`…/Webhooks`): where Verify posts Push and TOTP events (factor
//! created, verified or deleted; challenge approved or denied).

use serde::{Deserialize, Serialize};

use crate::error::InvalidInput;
use crate::macros::open_enum;
use crate::page::{Listed, Paging, list_request};
use crate::request::{Request, request};
use crate::sid::{AccountSid, ServiceSid, WebhookSid};
use crate::timestamp::Timestamp;
use crate::wire::{Params, Path, WireRequest};

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

/// The settings shared by create and update.
#[derive(Debug, Clone, Default, PartialEq)]
struct Settings {
    friendly_name: Option<String>,
    event_types: Option<Vec<WebhookEvent>>,
    webhook_url: Option<String>,
    status: Option<WebhookStatus>,
    version: Option<WebhookVersion>,
}

impl Settings {
    fn write(&self, form: &mut Params) -> Result<(), InvalidInput> {
        if let Some(name) = &self.friendly_name {
            check_text("FriendlyName", name, 64)?;
            form.str("FriendlyName", name);
        }
        if let Some(events) = &self.event_types {
            if events.is_empty() {
                return Err(InvalidInput::new(
                    "EventTypes",
                    "subscribe to at least one event (`*` for all)",
                ));
            }
            form.repeated("EventTypes", events.iter().map(WebhookEvent::as_str));
        }
        if let Some(url) = &self.webhook_url {
            check_url("WebhookUrl", url)?;
            form.str("WebhookUrl", url);
        }
        form.opt_str("Status", self.status.as_ref().map(WebhookStatus::as_str))
            .opt_str("Version", self.version.as_ref().map(WebhookVersion::as_str));
        Ok(())
    }
}

/// The setters shared by create and update.
macro_rules! webhook_setters {
    () => {
        /// Enables or disables delivery (`Status`).
        pub fn status(mut self, status: WebhookStatus) -> Self {
            self.settings.status = Some(status);
            self
        }

        /// The payload version (`Version`).
        pub fn version(mut self, version: WebhookVersion) -> Self {
            self.settings.version = Some(version);
            self
        }
    };
}

/// `POST …/Webhooks`: subscribes a URL to Push and TOTP events.
///
/// ```no_run
/// # async fn run(client: &twilio_verify::Client, service: &twilio_verify::ServiceSid) -> twilio_verify::Result<()> {
/// use twilio_verify::verify::{CreateWebhook, WebhookEvent};
///
/// let hook = CreateWebhook::new(
///     service,
///     "factor events",
///     [WebhookEvent::FactorVerified, WebhookEvent::FactorDeleted],
///     "https://hooks.example.com/verify",
/// )
/// .send(client)
/// .await?;
/// println!("{:?}", hook.sid);
/// # Ok(()) }
/// ```
#[derive(Debug, Clone, PartialEq)]
#[must_use = "a request does nothing until `.send(&client).await`"]
pub struct CreateWebhook {
    service: ServiceSid,
    settings: Settings,
}

request!(CreateWebhook -> Webhook, "CreateWebhook");

impl CreateWebhook {
    /// A webhook named `friendly_name` (`FriendlyName`, no PII) that posts `event_types`
    /// (`EventTypes`, at least one) to `webhook_url` (`WebhookUrl`, an absolute `http(s)` URL).
    pub fn new(
        service: impl Into<ServiceSid>,
        friendly_name: impl Into<String>,
        event_types: impl IntoIterator<Item = WebhookEvent>,
        webhook_url: impl Into<String>,
    ) -> Self {
        Self {
            service: service.into(),
            settings: Settings {
                friendly_name: Some(friendly_name.into()),
                event_types: Some(event_types.into_iter().collect()),
                webhook_url: Some(webhook_url.into()),
                ..Settings::default()
            },
        }
    }

    webhook_setters!();

    fn wire(&self) -> Result<WireRequest, InvalidInput> {
        let mut form = Params::new();
        self.settings.write(&mut form)?;
        Ok(WireRequest::post(
            Self::OPERATION,
            webhooks(&self.service)?.finish(),
            form,
        ))
    }
}

/// `GET …/Webhooks`: lists a service's webhooks.
///
/// ```no_run
/// # async fn run(client: &twilio_verify::Client, service: &twilio_verify::ServiceSid) -> twilio_verify::Result<()> {
/// use twilio_verify::verify::ListWebhooks;
///
/// for hook in ListWebhooks::new(service).all(client).await? {
///     println!("{:?} {:?}", hook.friendly_name, hook.event_types);
/// }
/// # Ok(()) }
/// ```
#[derive(Debug, Clone, PartialEq)]
#[must_use = "a request does nothing until `.send(&client).await`"]
pub struct ListWebhooks {
    service: ServiceSid,
    paging: Paging,
}

request!(ListWebhooks -> crate::Page<Webhook>, "ListWebhook");

impl ListWebhooks {
    /// The webhooks of `service`.
    pub fn new(service: impl Into<ServiceSid>) -> Self {
        Self {
            service: service.into(),
            paging: Paging::default(),
        }
    }

    list_request!(Webhook);

    fn wire(&self) -> Result<WireRequest, InvalidInput> {
        self.paging.check()?;
        let mut q = Params::new();
        self.paging.write(&mut q);
        Ok(WireRequest::get(
            Self::OPERATION,
            webhooks(&self.service)?.finish(),
            q,
        ))
    }
}

/// `GET …/Webhooks/{Sid}`: fetches one webhook.
///
/// ```no_run
/// # async fn run(client: &twilio_verify::Client, service: &twilio_verify::ServiceSid, sid: &twilio_verify::sid::WebhookSid) -> twilio_verify::Result<()> {
/// use twilio_verify::verify::FetchWebhook;
///
/// let hook = FetchWebhook::new(service, sid).send(client).await?;
/// println!("{:?}", hook.status);
/// # Ok(()) }
/// ```
#[derive(Debug, Clone, PartialEq)]
#[must_use = "a request does nothing until `.send(&client).await`"]
pub struct FetchWebhook {
    service: ServiceSid,
    sid: WebhookSid,
}

request!(FetchWebhook -> Webhook, "FetchWebhook");

impl FetchWebhook {
    /// A fetch of webhook `sid` (`YW…`).
    pub fn new(service: impl Into<ServiceSid>, sid: impl Into<WebhookSid>) -> Self {
        Self {
            service: service.into(),
            sid: sid.into(),
        }
    }

    fn wire(&self) -> Result<WireRequest, InvalidInput> {
        Ok(WireRequest::get(
            Self::OPERATION,
            webhook(&self.service, &self.sid)?.finish(),
            Params::new(),
        ))
    }
}

/// `POST …/Webhooks/{Sid}`: changes a webhook; only what you set is sent.
///
/// ```no_run
/// # async fn run(client: &twilio_verify::Client, service: &twilio_verify::ServiceSid, sid: &twilio_verify::sid::WebhookSid) -> twilio_verify::Result<()> {
/// use twilio_verify::verify::{UpdateWebhook, WebhookEvent, WebhookStatus};
///
/// UpdateWebhook::new(service, sid)
///     .event_types([WebhookEvent::All])
///     .status(WebhookStatus::Disabled)
///     .send(client)
///     .await?;
/// # Ok(()) }
/// ```
#[derive(Debug, Clone, PartialEq)]
#[must_use = "a request does nothing until `.send(&client).await`"]
pub struct UpdateWebhook {
    service: ServiceSid,
    sid: WebhookSid,
    settings: Settings,
}

request!(UpdateWebhook -> Webhook, "UpdateWebhook");

impl UpdateWebhook {
    /// An update of webhook `sid` that changes nothing yet.
    pub fn new(service: impl Into<ServiceSid>, sid: impl Into<WebhookSid>) -> Self {
        Self {
            service: service.into(),
            sid: sid.into(),
            settings: Settings::default(),
        }
    }

    /// A new name (`FriendlyName`, no PII).
    pub fn friendly_name(mut self, name: impl Into<String>) -> Self {
        self.settings.friendly_name = Some(name.into());
        self
    }

    /// A new event list (`EventTypes`, at least one); it replaces the old one.
    pub fn event_types(mut self, events: impl IntoIterator<Item = WebhookEvent>) -> Self {
        self.settings.event_types = Some(events.into_iter().collect());
        self
    }

    /// A new URL (`WebhookUrl`, an absolute `http(s)` URL).
    pub fn webhook_url(mut self, url: impl Into<String>) -> Self {
        self.settings.webhook_url = Some(url.into());
        self
    }

    webhook_setters!();

    fn wire(&self) -> Result<WireRequest, InvalidInput> {
        let mut form = Params::new();
        self.settings.write(&mut form)?;
        Ok(WireRequest::post(
            Self::OPERATION,
            webhook(&self.service, &self.sid)?.finish(),
            form,
        ))
    }
}

/// `DELETE …/Webhooks/{Sid}`: removes a webhook.
///
/// ```no_run
/// # async fn run(client: &twilio_verify::Client, service: &twilio_verify::ServiceSid, sid: &twilio_verify::sid::WebhookSid) -> twilio_verify::Result<()> {
/// use twilio_verify::verify::DeleteWebhook;
///
/// DeleteWebhook::new(service, sid).send(client).await?;
/// # Ok(()) }
/// ```
#[derive(Debug, Clone, PartialEq)]
#[must_use = "a request does nothing until `.send(&client).await`"]
pub struct DeleteWebhook {
    service: ServiceSid,
    sid: WebhookSid,
}

request!(DeleteWebhook -> (), "DeleteWebhook");

impl DeleteWebhook {
    /// A deletion of webhook `sid`.
    pub fn new(service: impl Into<ServiceSid>, sid: impl Into<WebhookSid>) -> Self {
        Self {
            service: service.into(),
            sid: sid.into(),
        }
    }

    fn wire(&self) -> Result<WireRequest, InvalidInput> {
        Ok(WireRequest::delete(
            Self::OPERATION,
            webhook(&self.service, &self.sid)?.finish(),
        ))
    }
}

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
