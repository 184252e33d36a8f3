//! `ListRateLimits`: a service's rate limits, page by page.

use super::{RateLimit, rate_limits};
use crate::page::{Paging, list_request};
use crate::request::operation;
use crate::sid::ServiceSid;

operation! {
    /// `GET /v2/Services/{ServiceSid}/RateLimits`: lists a service's rate limits.
    ///
    /// ```no_run
    /// # async fn run(client: &twilio_verify::Client, service: &twilio_verify::ServiceSid) -> twilio_verify::Result<()> {
    /// use twilio_verify::verify::ListRateLimits;
    ///
    /// for limit in ListRateLimits::new(service).all(client).await? {
    ///     println!("{:?}: {:?}", limit.unique_name, limit.description);
    /// }
    /// # Ok(()) }
    /// ```
    ListRateLimits -> crate::Page<RateLimit>, "ListRateLimit";
    /// The rate limits of `service`.
    pub fn new(service: ServiceSid) with { paging: Paging };
    get |r| rate_limits(&r.service)?.finish(), r.paging.query(&())?;
}

impl ListRateLimits {
    list_request!(RateLimit);
}
