//! `FetchFactor`: one factor, by SID.

use super::{Factor, factor};
use crate::request::operation;
use crate::sid::{FactorSid, ServiceSid};

operation! {
    /// `GET …/Entities/{Identity}/Factors/{Sid}`: fetches one factor.
    ///
    /// ```no_run
    /// # async fn run(client: &twilio_verify::Client, service: &twilio_verify::ServiceSid, sid: &twilio_verify::sid::FactorSid) -> twilio_verify::Result<()> {
    /// use twilio_verify::verify::FetchFactor;
    ///
    /// let f = FetchFactor::new(service, "ff483d1ff591898a9942916050d2ca3f", sid).send(client).await?;
    /// println!("{:?}", f.status);
    /// # Ok(()) }
    /// ```
    FetchFactor -> Factor, "FetchFactor";
    /// A fetch of factor `sid` (`YF…`) of the entity `identity`.
    pub fn new(service: ServiceSid, identity: String, sid: FactorSid);
    get |r| factor(&r.service, &r.identity, &r.sid)?.finish();
}
