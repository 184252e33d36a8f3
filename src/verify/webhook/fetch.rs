//! `FetchWebhook`: one webhook, by SID.

use super::{Webhook, webhook};
use crate::request::operation;
use crate::sid::{ServiceSid, WebhookSid};

operation! {
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
    FetchWebhook -> Webhook, "FetchWebhook";
    /// A fetch of webhook `sid` (`YW…`).
    pub fn new(service: ServiceSid, sid: WebhookSid);
    get |r| webhook(&r.service, &r.sid)?.finish();
}
