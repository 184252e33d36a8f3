//! `FetchMessagingConfiguration`: one country's route.

use super::{MessagingConfiguration, configuration};
use crate::request::operation;
use crate::sid::ServiceSid;

operation! {
    /// `GET …/MessagingConfigurations/{Country}`: fetches one country's configuration.
    ///
    /// ```no_run
    /// # async fn run(client: &twilio_verify::Client, service: &twilio_verify::ServiceSid) -> twilio_verify::Result<()> {
    /// use twilio_verify::verify::FetchMessagingConfiguration;
    ///
    /// let c = FetchMessagingConfiguration::new(service, "all").send(client).await?;
    /// println!("{:?}", c.messaging_service_sid);
    /// # Ok(()) }
    /// ```
    FetchMessagingConfiguration -> MessagingConfiguration, "FetchMessagingConfiguration";
    /// A fetch of `country`'s configuration (ISO alpha-2, or `all`).
    pub fn new(service: ServiceSid, country: String);
    get |r| configuration(&r.service, &r.country)?.finish();
}
