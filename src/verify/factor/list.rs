//! `ListFactors`: an entity's factors, page by page.

use super::{Factor, factors};
use crate::page::{Paging, list_request};
use crate::request::operation;
use crate::sid::ServiceSid;

operation! {
    /// `GET …/Entities/{Identity}/Factors`: lists an entity's factors.
    ///
    /// ```no_run
    /// # async fn run(client: &twilio_verify::Client, service: &twilio_verify::ServiceSid) -> twilio_verify::Result<()> {
    /// use twilio_verify::verify::ListFactors;
    ///
    /// for f in ListFactors::new(service, "ff483d1ff591898a9942916050d2ca3f").all(client).await? {
    ///     println!("{:?} {:?}", f.factor_type, f.status);
    /// }
    /// # Ok(()) }
    /// ```
    ListFactors -> crate::Page<Factor>, "ListFactor";
    /// The factors of the entity `identity`.
    pub fn new(service: ServiceSid, identity: String) with { paging: Paging };
    get |r| factors(&r.service, &r.identity)?.finish(), r.paging.query(&())?;
}

impl ListFactors {
    list_request!(Factor);
}
