//! `FetchEntity`: one entity, by identity.

use super::{Entity, entity_path};
use crate::request::operation;
use crate::sid::ServiceSid;

operation! {
    /// `GET …/Entities/{Identity}`: fetches one entity.
    ///
    /// ```no_run
    /// # async fn run(client: &twilio_verify::Client, service: &twilio_verify::ServiceSid) -> twilio_verify::Result<()> {
    /// use twilio_verify::verify::FetchEntity;
    ///
    /// let entity = FetchEntity::new(service, "ff483d1ff591898a9942916050d2ca3f")
    ///     .send(client)
    ///     .await?;
    /// println!("{:?}", entity.links);
    /// # Ok(()) }
    /// ```
    FetchEntity -> Entity, "FetchEntity";
    /// A fetch of the entity with `identity`.
    pub fn new(service: ServiceSid, identity: String);
    get |r| entity_path(&r.service, &r.identity)?.finish();
}
