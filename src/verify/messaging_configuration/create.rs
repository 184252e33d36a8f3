//! `CreateMessagingConfiguration`: routes a country's SMS through a Messaging Service.

use super::{MessagingConfiguration, configurations, country};
use crate::request::operation;
use crate::sid::{MessagingServiceSid, ServiceSid};
use crate::wire::Params;

operation! {
    /// `POST …/MessagingConfigurations`: sends a country's SMS through a Messaging Service.
    ///
    /// ```no_run
    /// # async fn run(client: &twilio_verify::Client, service: &twilio_verify::ServiceSid, mg: &twilio_verify::sid::MessagingServiceSid) -> twilio_verify::Result<()> {
    /// use twilio_verify::verify::CreateMessagingConfiguration;
    ///
    /// CreateMessagingConfiguration::new(service, "CA", mg).send(client).await?;
    /// # Ok(()) }
    /// ```
    CreateMessagingConfiguration -> MessagingConfiguration, "CreateMessagingConfiguration";
    /// Routes `country` (`Country`: ISO alpha-2, or `all`) through `messaging_service`
    /// (`MessagingServiceSid`).
    pub fn new(service: ServiceSid, country: String, messaging_service: MessagingServiceSid);
    post |r| configurations(&r.service)?.finish(), {
        let mut form = Params::new();
        form.str("Country", &country(&r.country)?)
            .str("MessagingServiceSid", r.messaging_service.checked()?);
        form
    };
}
