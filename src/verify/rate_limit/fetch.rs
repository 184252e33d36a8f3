//! `FetchRateLimit`: one rate limit, by SID.

use super::{RateLimit, rate_limit};
use crate::request::operation;
use crate::sid::{RateLimitSid, ServiceSid};

operation! {
    /// `GET /v2/Services/{ServiceSid}/RateLimits/{Sid}`: fetches a rate limit.
    ///
    /// ```no_run
    /// # async fn run(client: &twilio_verify::Client, service: &twilio_verify::ServiceSid, sid: &twilio_verify::sid::RateLimitSid) -> twilio_verify::Result<()> {
    /// use twilio_verify::verify::FetchRateLimit;
    ///
    /// let limit = FetchRateLimit::new(service, sid).send(client).await?;
    /// println!("{:?}", limit.links);
    /// # Ok(()) }
    /// ```
    FetchRateLimit -> RateLimit, "FetchRateLimit";
    /// A fetch of rate limit `sid` (`RK…`).
    pub fn new(service: ServiceSid, sid: RateLimitSid);
    get |r| rate_limit(&r.service, &r.sid)?.finish();
}
