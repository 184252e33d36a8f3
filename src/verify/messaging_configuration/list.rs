//! `ListMessagingConfigurations`: a service's per-country routes, page by page.

use super::{MessagingConfiguration, configurations};
use crate::page::{Paging, list_request};
use crate::request::operation;
use crate::sid::ServiceSid;

operation! {
    /// `GET …/MessagingConfigurations`: lists a service's per-country configurations.
    ///
    /// ```no_run
    /// # async fn run(client: &twilio_verify::Client, service: &twilio_verify::ServiceSid) -> twilio_verify::Result<()> {
    /// use twilio_verify::verify::ListMessagingConfigurations;
    ///
    /// for c in ListMessagingConfigurations::new(service).all(client).await? {
    ///     println!("{:?} -> {:?}", c.country, c.messaging_service_sid);
    /// }
    /// # Ok(()) }
    /// ```
    ListMessagingConfigurations -> crate::Page<MessagingConfiguration>, "ListMessagingConfiguration";
    /// The configurations of `service`.
    pub fn new(service: ServiceSid) with { paging: Paging };
    get |r| configurations(&r.service)?.finish(), r.paging.query(&())?;
}

impl ListMessagingConfigurations {
    list_request!(MessagingConfiguration);
}
