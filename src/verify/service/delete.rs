//! `DeleteService`: removes a service.

use super::service_path;
use crate::request::operation;
use crate::sid::ServiceSid;

operation! {
    /// `DELETE /v2/Services/{Sid}`: deletes a service.
    ///
    /// ```no_run
    /// # async fn run(client: &twilio_verify::Client, sid: &twilio_verify::ServiceSid) -> twilio_verify::Result<()> {
    /// use twilio_verify::verify::DeleteService;
    ///
    /// DeleteService::new(sid).send(client).await?;
    /// # Ok(()) }
    /// ```
    DeleteService -> (), "DeleteService";
    /// A deletion of service `sid`.
    pub fn new(sid: ServiceSid);
    delete |r| service_path(&r.sid)?;
}
