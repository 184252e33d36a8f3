//! `CreateEntity`: reserves an identity.

use super::{Entity, check_identity, entities};
use crate::request::operation;
use crate::sid::ServiceSid;
use crate::wire::Params;

operation! {
    /// `POST …/Entities`: creates an entity. Creating a factor creates its entity too, so this
    /// is only needed to reserve an identity ahead of time.
    ///
    /// ```no_run
    /// # async fn run(client: &twilio_verify::Client, service: &twilio_verify::ServiceSid) -> twilio_verify::Result<()> {
    /// use twilio_verify::verify::CreateEntity;
    ///
    /// let entity = CreateEntity::new(service, "ff483d1ff591898a9942916050d2ca3f")
    ///     .send(client)
    ///     .await?;
    /// println!("{:?}", entity.sid);
    /// # Ok(()) }
    /// ```
    CreateEntity -> Entity, "CreateEntity";
    /// An entity for `identity` (`Identity`: 8 to 64 characters, immutable, not PII, such as
    /// a UUID from your user store).
    pub fn new(service: ServiceSid, identity: String);
    post |r| {
        check_identity(&r.identity, true)?;
        entities(&r.service)?.finish()
    }, {
        let mut form = Params::new();
        form.str("Identity", &r.identity);
        form
    };
}
