//! `UpdateRateLimit`: changes a rate limit's description.

use super::{Description, RateLimit, rate_limit};
use crate::macros::setters;
use crate::request::operation;
use crate::sid::{RateLimitSid, ServiceSid};
use crate::wire::Params;

operation! {
    /// `POST /v2/Services/{ServiceSid}/RateLimits/{Sid}`: changes a rate limit's description.
    ///
    /// ```no_run
    /// # async fn run(client: &twilio_verify::Client, service: &twilio_verify::ServiceSid, sid: &twilio_verify::sid::RateLimitSid) -> twilio_verify::Result<()> {
    /// use twilio_verify::verify::UpdateRateLimit;
    ///
    /// UpdateRateLimit::new(service, sid).description("Per IP address").send(client).await?;
    /// # Ok(()) }
    /// ```
    UpdateRateLimit -> RateLimit, "UpdateRateLimit";
    /// An update of rate limit `sid` that changes nothing yet.
    pub fn new(service: ServiceSid, sid: RateLimitSid) with { params: Description };
    post |r| rate_limit(&r.service, &r.sid)?.finish(), {
        let mut form = Params::new();
        form.fields(&r.params)?;
        form
    };
}

impl UpdateRateLimit {
    setters! {
        /// `Description`: what the limit is for.
        description: into(String);
    }
}
