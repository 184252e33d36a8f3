//! `DeleteMessagingConfiguration`: removes a country's route.

use super::configuration;
use crate::request::operation;
use crate::sid::ServiceSid;

operation! {
    /// `DELETE …/MessagingConfigurations/{Country}`: removes a country's configuration.
    ///
    /// ```no_run
    /// # async fn run(client: &twilio_verify::Client, service: &twilio_verify::ServiceSid) -> twilio_verify::Result<()> {
    /// use twilio_verify::verify::DeleteMessagingConfiguration;
    ///
    /// DeleteMessagingConfiguration::new(service, "CA").send(client).await?;
    /// # Ok(()) }
    /// ```
    DeleteMessagingConfiguration -> (), "DeleteMessagingConfiguration";
    /// A deletion of `country`'s configuration.
    pub fn new(service: ServiceSid, country: String);
    delete |r| configuration(&r.service, &r.country)?.finish();
}
