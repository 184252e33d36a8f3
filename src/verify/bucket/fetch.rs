//! `FetchBucket`: one bucket, by SID.

use super::{Bucket, bucket};
use crate::request::operation;
use crate::sid::{BucketSid, RateLimitSid, ServiceSid};

operation! {
    /// `GET …/RateLimits/{RateLimitSid}/Buckets/{Sid}`: fetches a bucket.
    ///
    /// ```no_run
    /// # async fn run(client: &twilio_verify::Client, service: &twilio_verify::ServiceSid, limit: &twilio_verify::sid::RateLimitSid, sid: &twilio_verify::sid::BucketSid) -> twilio_verify::Result<()> {
    /// use twilio_verify::verify::FetchBucket;
    ///
    /// let b = FetchBucket::new(service, limit, sid).send(client).await?;
    /// println!("{:?} per {:?} s", b.max, b.interval);
    /// # Ok(()) }
    /// ```
    FetchBucket -> Bucket, "FetchBucket";
    /// A fetch of bucket `sid` (`BL…`).
    pub fn new(service: ServiceSid, rate_limit: RateLimitSid, sid: BucketSid);
    get |r| bucket(&r.service, &r.rate_limit, &r.sid)?.finish();
}
