//! `UpdateMessagingConfiguration`: moves a country to another Messaging Service.

use super::{MessagingConfiguration, configuration};
use crate::request::operation;
use crate::sid::{MessagingServiceSid, ServiceSid};
use crate::wire::Params;

operation! {
    /// `POST …/MessagingConfigurations/{Country}`: routes a country through another Messaging
    /// Service.
    ///
    /// ```no_run
    /// # async fn run(client: &twilio_verify::Client, service: &twilio_verify::ServiceSid, mg: &twilio_verify::sid::MessagingServiceSid) -> twilio_verify::Result<()> {
    /// use twilio_verify::verify::UpdateMessagingConfiguration;
    ///
    /// UpdateMessagingConfiguration::new(service, "CA", mg).send(client).await?;
    /// # Ok(()) }
    /// ```
    UpdateMessagingConfiguration -> MessagingConfiguration, "UpdateMessagingConfiguration";
    /// Routes `country` through `messaging_service` (`MessagingServiceSid`).
    pub fn new(service: ServiceSid, country: String, messaging_service: MessagingServiceSid);
    post |r| configuration(&r.service, &r.country)?.finish(), {
        let mut form = Params::new();
        form.str("MessagingServiceSid", r.messaging_service.checked()?);
        form
    };
}
