//! `ListBuckets`: a rate limit's buckets, page by page.

use super::{Bucket, buckets};
use crate::page::{Paging, list_request};
use crate::request::operation;
use crate::sid::{RateLimitSid, ServiceSid};

operation! {
    /// `GET …/RateLimits/{RateLimitSid}/Buckets`: lists a rate limit's buckets.
    ///
    /// ```no_run
    /// # async fn run(client: &twilio_verify::Client, service: &twilio_verify::ServiceSid, limit: &twilio_verify::sid::RateLimitSid) -> twilio_verify::Result<()> {
    /// use twilio_verify::verify::ListBuckets;
    ///
    /// for b in ListBuckets::new(service, limit).all(client).await? {
    ///     println!("{:?} per {:?} s", b.max, b.interval);
    /// }
    /// # Ok(()) }
    /// ```
    ListBuckets -> crate::Page<Bucket>, "ListBucket";
    /// The buckets of `rate_limit`.
    pub fn new(service: ServiceSid, rate_limit: RateLimitSid) with { paging: Paging };
    get |r| buckets(&r.service, &r.rate_limit)?.finish(), r.paging.query(&())?;
}

impl ListBuckets {
    list_request!(Bucket);
}
