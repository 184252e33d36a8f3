//! `ListEntities`: the entities of a service, page by page.

use super::{Entity, entities};
use crate::page::{Paging, list_request};
use crate::request::operation;
use crate::sid::ServiceSid;

operation! {
    /// `GET …/Entities`: lists a service's entities.
    ///
    /// ```no_run
    /// # async fn run(client: &twilio_verify::Client, service: &twilio_verify::ServiceSid) -> twilio_verify::Result<()> {
    /// use twilio_verify::verify::ListEntities;
    ///
    /// let first = ListEntities::new(service).page_size(50).send(client).await?;
    /// println!("{} entities on the first page", first.items.len());
    /// # Ok(()) }
    /// ```
    ListEntities -> crate::Page<Entity>, "ListEntity";
    /// The entities of `service`.
    pub fn new(service: ServiceSid) with { paging: Paging };
    get |r| entities(&r.service)?.finish(), r.paging.query(&())?;
}

impl ListEntities {
    list_request!(Entity);
}
