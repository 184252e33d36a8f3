//! `DeleteFactor`: removes a factor.

use super::factor;
use crate::request::operation;
use crate::sid::{FactorSid, ServiceSid};

operation! {
    /// `DELETE …/Entities/{Identity}/Factors/{Sid}`: removes a factor.
    ///
    /// ```no_run
    /// # async fn run(client: &twilio_verify::Client, service: &twilio_verify::ServiceSid, sid: &twilio_verify::sid::FactorSid) -> twilio_verify::Result<()> {
    /// use twilio_verify::verify::DeleteFactor;
    ///
    /// DeleteFactor::new(service, "ff483d1ff591898a9942916050d2ca3f", sid).send(client).await?;
    /// # Ok(()) }
    /// ```
    DeleteFactor -> (), "DeleteFactor";
    /// A deletion of factor `sid` of the entity `identity`.
    pub fn new(service: ServiceSid, identity: String, sid: FactorSid);
    delete |r| factor(&r.service, &r.identity, &r.sid)?.finish();
}
