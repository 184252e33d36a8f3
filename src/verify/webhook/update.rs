//! `UpdateWebhook`: changes a webhook's name, events, URL, status or version.

use super::{Settings, Webhook, WebhookEvent, webhook, webhook_setters};
use crate::macros::setters;
use crate::request::operation;
use crate::sid::{ServiceSid, WebhookSid};

operation! {
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
    UpdateWebhook -> Webhook, "UpdateWebhook";
    /// An update of webhook `sid` that changes nothing yet.
    pub fn new(service: ServiceSid, sid: WebhookSid) with { params: Settings };
    post |r| webhook(&r.service, &r.sid)?.finish(), r.params.form()?;
}

impl UpdateWebhook {
    setters! {
        /// A new name (`FriendlyName`, no PII).
        friendly_name: into(String);
        /// A new URL (`WebhookUrl`, an absolute `http(s)` URL).
        webhook_url: into(String);
    }

    /// A new event list (`EventTypes`, at least one); it replaces the old one.
    pub fn event_types(mut self, events: impl IntoIterator<Item = WebhookEvent>) -> Self {
        self.params.event_types = Some(events.into_iter().collect());
        self
    }

    webhook_setters!();
}
