//! `DeleteEntity`: removes an entity with everything under it.

use super::entity_path;
use crate::request::operation;
use crate::sid::ServiceSid;

operation! {
    /// `DELETE …/Entities/{Identity}`: deletes an entity with all its factors and challenges.
    ///
    /// ```no_run
    /// # async fn run(client: &twilio_verify::Client, service: &twilio_verify::ServiceSid) -> twilio_verify::Result<()> {
    /// use twilio_verify::verify::DeleteEntity;
    ///
    /// DeleteEntity::new(service, "ff483d1ff591898a9942916050d2ca3f").send(client).await?;
    /// # Ok(()) }
    /// ```
    DeleteEntity -> (), "DeleteEntity";
    /// A deletion of the entity with `identity`.
    pub fn new(service: ServiceSid, identity: String);
    delete |r| entity_path(&r.service, &r.identity)?.finish();
}
