//! `UpdateBucket`: changes a bucket's window.

use super::{Bucket, Window, bucket, positive};
use crate::macros::setters;
use crate::request::operation;
use crate::sid::{BucketSid, RateLimitSid, ServiceSid};
use crate::wire::Params;

operation! {
    /// `POST …/RateLimits/{RateLimitSid}/Buckets/{Sid}`: changes a bucket's `Max` or `Interval`.
    ///
    /// ```no_run
    /// # async fn run(client: &twilio_verify::Client, service: &twilio_verify::ServiceSid, limit: &twilio_verify::sid::RateLimitSid, sid: &twilio_verify::sid::BucketSid) -> twilio_verify::Result<()> {
    /// use twilio_verify::verify::UpdateBucket;
    ///
    /// UpdateBucket::new(service, limit, sid).max(10).send(client).await?;
    /// # Ok(()) }
    /// ```
    UpdateBucket -> Bucket, "UpdateBucket";
    /// An update of bucket `sid` that changes nothing yet.
    pub fn new(service: ServiceSid, rate_limit: RateLimitSid, sid: BucketSid) with { params: Window };
    post |r| {
        positive("Max", r.params.max)?;
        positive("Interval", r.params.interval)?;
        bucket(&r.service, &r.rate_limit, &r.sid)?.finish()
    }, {
        let mut form = Params::new();
        form.fields(&r.params)?;
        form
    };
}

impl UpdateBucket {
    setters! {
        /// `Max`: verifications allowed per interval.
        max: value(u32);
        /// `Interval`: the window, in seconds.
        interval: value(u32);
    }
}
