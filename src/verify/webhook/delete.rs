//! `DeleteWebhook`: removes a webhook.

use super::webhook;
use crate::request::operation;
use crate::sid::{ServiceSid, WebhookSid};

operation! {
    /// `DELETE …/Webhooks/{Sid}`: removes a webhook.
    ///
    /// ```no_run
    /// # async fn run(client: &twilio_verify::Client, service: &twilio_verify::ServiceSid, sid: &twilio_verify::sid::WebhookSid) -> twilio_verify::Result<()> {
    /// use twilio_verify::verify::DeleteWebhook;
    ///
    /// DeleteWebhook::new(service, sid).send(client).await?;
    /// # Ok(()) }
    /// ```
    DeleteWebhook -> (), "DeleteWebhook";
    /// A deletion of webhook `sid`.
    pub fn new(service: ServiceSid, sid: WebhookSid);
    delete |r| webhook(&r.service, &r.sid)?.finish();
}
