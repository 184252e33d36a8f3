//! `FetchService`: one service's settings.

use super::{Service, service_path};
use crate::request::operation;
use crate::sid::ServiceSid;

operation! {
    /// `GET /v2/Services/{Sid}`: fetches one service.
    ///
    /// ```no_run
    /// # async fn run(client: &twilio_verify::Client, sid: &twilio_verify::ServiceSid) -> twilio_verify::Result<()> {
    /// use twilio_verify::verify::FetchService;
    ///
    /// let service = FetchService::new(sid).send(client).await?;
    /// println!("{:?} uses {}-digit codes", service.friendly_name, service.code_length);
    /// # Ok(()) }
    /// ```
    FetchService -> Service, "FetchService";
    /// A fetch of service `sid`.
    pub fn new(sid: ServiceSid);
    get |r| service_path(&r.sid)?;
}
