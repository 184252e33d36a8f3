//! `CreateBucket`: a new window for a rate limit.

use super::{Bucket, Window, buckets, positive};
use crate::request::operation;
use crate::sid::{RateLimitSid, ServiceSid};
use crate::wire::Params;

operation! {
    /// `POST …/RateLimits/{RateLimitSid}/Buckets`: adds a bucket: at most `Max` verifications per
    /// `Interval` seconds for each value of the rate limit's key.
    ///
    /// ```no_run
    /// # async fn run(client: &twilio_verify::Client, service: &twilio_verify::ServiceSid, limit: &twilio_verify::sid::RateLimitSid) -> twilio_verify::Result<()> {
    /// use twilio_verify::verify::CreateBucket;
    ///
    /// // Five verifications per IP address per minute.
    /// let bucket = CreateBucket::new(service, limit, 5, 60).send(client).await?;
    /// println!("{:?}", bucket.sid);
    /// # Ok(()) }
    /// ```
    CreateBucket -> Bucket, "CreateBucket";
    /// A bucket of `max` verifications (`Max`) per `interval` seconds (`Interval`).
    pub fn new(service: ServiceSid, rate_limit: RateLimitSid; max: u32, interval: u32);
    post |r| {
        positive("Max", Some(r.max))?;
        positive("Interval", Some(r.interval))?;
        buckets(&r.service, &r.rate_limit)?.finish()
    }, {
        let window = Window { max: Some(r.max), interval: Some(r.interval) };
        let mut form = Params::new();
        form.fields(&window)?;
        form
    };
}
