//! `ListWebhooks`: a service's webhooks, page by page.

use super::{Webhook, webhooks};
use crate::page::{Paging, list_request};
use crate::request::operation;
use crate::sid::ServiceSid;

operation! {
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
    ListWebhooks -> crate::Page<Webhook>, "ListWebhook";
    /// The webhooks of `service`.
    pub fn new(service: ServiceSid) with { paging: Paging };
    get |r| webhooks(&r.service)?.finish(), r.paging.query(&())?;
}

impl ListWebhooks {
    list_request!(Webhook);
}
