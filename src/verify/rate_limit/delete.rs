//! `DeleteRateLimit`: removes a rate limit and its buckets.

use super::rate_limit;
use crate::request::operation;
use crate::sid::{RateLimitSid, ServiceSid};

operation! {
    /// `DELETE /v2/Services/{ServiceSid}/RateLimits/{Sid}`: deletes a rate limit and its buckets.
    ///
    /// ```no_run
    /// # async fn run(client: &twilio_verify::Client, service: &twilio_verify::ServiceSid, sid: &twilio_verify::sid::RateLimitSid) -> twilio_verify::Result<()> {
    /// use twilio_verify::verify::DeleteRateLimit;
    ///
    /// DeleteRateLimit::new(service, sid).send(client).await?;
    /// # Ok(()) }
    /// ```
    DeleteRateLimit -> (), "DeleteRateLimit";
    /// A deletion of rate limit `sid`.
    pub fn new(service: ServiceSid, sid: RateLimitSid);
    delete |r| rate_limit(&r.service, &r.sid)?.finish();
}
