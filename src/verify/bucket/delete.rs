//! `DeleteBucket`: removes a bucket.

use super::bucket;
use crate::request::operation;
use crate::sid::{BucketSid, RateLimitSid, ServiceSid};

operation! {
    /// `DELETE …/RateLimits/{RateLimitSid}/Buckets/{Sid}`: deletes a bucket.
    ///
    /// ```no_run
    /// # async fn run(client: &twilio_verify::Client, service: &twilio_verify::ServiceSid, limit: &twilio_verify::sid::RateLimitSid, sid: &twilio_verify::sid::BucketSid) -> twilio_verify::Result<()> {
    /// use twilio_verify::verify::DeleteBucket;
    ///
    /// DeleteBucket::new(service, limit, sid).send(client).await?;
    /// # Ok(()) }
    /// ```
    DeleteBucket -> (), "DeleteBucket";
    /// A deletion of bucket `sid`.
    pub fn new(service: ServiceSid, rate_limit: RateLimitSid, sid: BucketSid);
    delete |r| bucket(&r.service, &r.rate_limit, &r.sid)?.finish();
}
