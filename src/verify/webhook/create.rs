//! `CreateWebhook`: subscribes a URL to a service's Push and TOTP events.

use super::{Settings, Webhook, WebhookEvent, webhook_setters, webhooks};
use crate::error::InvalidInput;
use crate::request::{Request, request};
use crate::sid::ServiceSid;
use crate::wire::WireRequest;

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
    params: Settings,
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
            params: Settings {
                friendly_name: Some(friendly_name.into()),
                event_types: Some(event_types.into_iter().collect()),
                webhook_url: Some(webhook_url.into()),
                ..Settings::default()
            },
        }
    }

    webhook_setters!();

    fn wire(&self) -> Result<WireRequest, InvalidInput> {
        let form = self.params.form()?;
        let path = webhooks(&self.service)?.finish();
        Ok(WireRequest::post(Self::OPERATION, path, form))
    }
}
