//! Programmable rate limits (`…/RateLimits`) and their buckets (`…/RateLimits/{Sid}/Buckets`).
//!
//! A rate limit names a key (`end_user_ip_address`); its buckets allow `Max` verifications per
//! `Interval` seconds for each value of that key. A verification passes the values with
//! [`CreateVerification::rate_limit`](super::CreateVerification::rate_limit).

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::error::InvalidInput;
use crate::page::{Listed, Paging, list_request};
use crate::request::{Request, request};
use crate::sid::{AccountSid, BucketSid, RateLimitSid, ServiceSid};
use crate::timestamp::Timestamp;
use crate::wire::{Params, Path, WireRequest};

fn rate_limits(service: &ServiceSid) -> Result<Path, InvalidInput> {
    Ok(Path::new("/v2/Services")
        .seg(service.checked()?)
        .lit("RateLimits"))
}

fn buckets(service: &ServiceSid, rate_limit: &RateLimitSid) -> Result<Path, InvalidInput> {
    Ok(rate_limits(service)?
        .seg(rate_limit.checked()?)
        .lit("Buckets"))
}

fn rate_limit(service: &ServiceSid, sid: &RateLimitSid) -> Result<Path, InvalidInput> {
    Ok(rate_limits(service)?.seg(sid.checked()?))
}

fn bucket(
    service: &ServiceSid,
    rate_limit: &RateLimitSid,
    sid: &BucketSid,
) -> Result<Path, InvalidInput> {
    Ok(buckets(service, rate_limit)?.seg(sid.checked()?))
}

fn positive(field: &'static str, v: Option<u32>) -> Result<(), InvalidInput> {
    if v == Some(0) {
        return Err(InvalidInput::new(field, "must be at least 1"));
    }
    Ok(())
}

/// `POST /v2/Services/{ServiceSid}/RateLimits`: creates a rate limit.
///
/// ```no_run
/// # async fn run(client: &twilio_verify::Client, service: &twilio_verify::ServiceSid) -> twilio_verify::Result<()> {
/// use twilio_verify::verify::CreateRateLimit;
///
/// let limit = CreateRateLimit::new(service, "end_user_ip_address")
///     .description("Limits verifications by end-user IP address")
///     .send(client)
///     .await?;
/// println!("{:?}", limit.sid);
/// # Ok(()) }
/// ```
#[derive(Debug, Clone, PartialEq)]
#[must_use = "a request does nothing until `.send(&client).await`"]
pub struct CreateRateLimit {
    service: ServiceSid,
    unique_name: String,
    description: Option<String>,
}

request!(CreateRateLimit -> RateLimit, "CreateRateLimit");

impl CreateRateLimit {
    /// A rate limit named `unique_name` (`UniqueName`, the key verifications pass values for).
    pub fn new(service: impl Into<ServiceSid>, unique_name: impl Into<String>) -> Self {
        Self {
            service: service.into(),
            unique_name: unique_name.into(),
            description: None,
        }
    }

    /// `Description`: what the limit is for.
    pub fn description(mut self, description: impl Into<String>) -> Self {
        self.description = Some(description.into());
        self
    }

    fn wire(&self) -> Result<WireRequest, InvalidInput> {
        if self.unique_name.trim().is_empty() {
            return Err(InvalidInput::new("UniqueName", "must not be empty"));
        }
        let mut form = Params::new();
        form.str("UniqueName", &self.unique_name)
            .opt_str("Description", self.description.as_deref());
        Ok(WireRequest::post(
            Self::OPERATION,
            rate_limits(&self.service)?.finish(),
            form,
        ))
    }
}

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
#[derive(Debug, Clone, PartialEq)]
#[must_use = "a request does nothing until `.send(&client).await`"]
pub struct ListRateLimits {
    service: ServiceSid,
    paging: Paging,
}

request!(ListRateLimits -> crate::Page<RateLimit>, "ListRateLimit");

impl ListRateLimits {
    /// The rate limits of `service`.
    pub fn new(service: impl Into<ServiceSid>) -> Self {
        Self {
            service: service.into(),
            paging: Paging::default(),
        }
    }

    list_request!(RateLimit);

    fn wire(&self) -> Result<WireRequest, InvalidInput> {
        self.paging.check()?;
        let mut q = Params::new();
        self.paging.write(&mut q);
        Ok(WireRequest::get(
            Self::OPERATION,
            rate_limits(&self.service)?.finish(),
            q,
        ))
    }
}

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
#[derive(Debug, Clone, PartialEq)]
#[must_use = "a request does nothing until `.send(&client).await`"]
pub struct FetchRateLimit {
    service: ServiceSid,
    sid: RateLimitSid,
}

request!(FetchRateLimit -> RateLimit, "FetchRateLimit");

impl FetchRateLimit {
    /// A fetch of rate limit `sid` (`RK…`).
    pub fn new(service: impl Into<ServiceSid>, sid: impl Into<RateLimitSid>) -> Self {
        Self {
            service: service.into(),
            sid: sid.into(),
        }
    }

    fn wire(&self) -> Result<WireRequest, InvalidInput> {
        let path = rate_limit(&self.service, &self.sid)?.finish();
        Ok(WireRequest::get(Self::OPERATION, path, Params::new()))
    }
}

/// `POST /v2/Services/{ServiceSid}/RateLimits/{Sid}`: changes a rate limit's description.
///
/// ```no_run
/// # async fn run(client: &twilio_verify::Client, service: &twilio_verify::ServiceSid, sid: &twilio_verify::sid::RateLimitSid) -> twilio_verify::Result<()> {
/// use twilio_verify::verify::UpdateRateLimit;
///
/// UpdateRateLimit::new(service, sid).description("Per IP address").send(client).await?;
/// # Ok(()) }
/// ```
#[derive(Debug, Clone, PartialEq)]
#[must_use = "a request does nothing until `.send(&client).await`"]
pub struct UpdateRateLimit {
    service: ServiceSid,
    sid: RateLimitSid,
    description: Option<String>,
}

request!(UpdateRateLimit -> RateLimit, "UpdateRateLimit");

impl UpdateRateLimit {
    /// An update of rate limit `sid` that changes nothing yet.
    pub fn new(service: impl Into<ServiceSid>, sid: impl Into<RateLimitSid>) -> Self {
        Self {
            service: service.into(),
            sid: sid.into(),
            description: None,
        }
    }

    /// `Description`: what the limit is for.
    pub fn description(mut self, description: impl Into<String>) -> Self {
        self.description = Some(description.into());
        self
    }

    fn wire(&self) -> Result<WireRequest, InvalidInput> {
        let mut form = Params::new();
        form.opt_str("Description", self.description.as_deref());
        let path = rate_limit(&self.service, &self.sid)?.finish();
        Ok(WireRequest::post(Self::OPERATION, path, form))
    }
}

/// `DELETE /v2/Services/{ServiceSid}/RateLimits/{Sid}`: deletes a rate limit and its buckets.
///
/// ```no_run
/// # async fn run(client: &twilio_verify::Client, service: &twilio_verify::ServiceSid, sid: &twilio_verify::sid::RateLimitSid) -> twilio_verify::Result<()> {
/// use twilio_verify::verify::DeleteRateLimit;
///
/// DeleteRateLimit::new(service, sid).send(client).await?;
/// # Ok(()) }
/// ```
#[derive(Debug, Clone, PartialEq)]
#[must_use = "a request does nothing until `.send(&client).await`"]
pub struct DeleteRateLimit {
    service: ServiceSid,
    sid: RateLimitSid,
}

request!(DeleteRateLimit -> (), "DeleteRateLimit");

impl DeleteRateLimit {
    /// A deletion of rate limit `sid`.
    pub fn new(service: impl Into<ServiceSid>, sid: impl Into<RateLimitSid>) -> Self {
        Self {
            service: service.into(),
            sid: sid.into(),
        }
    }

    fn wire(&self) -> Result<WireRequest, InvalidInput> {
        let path = rate_limit(&self.service, &self.sid)?.finish();
        Ok(WireRequest::delete(Self::OPERATION, path))
    }
}

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
#[derive(Debug, Clone, PartialEq)]
#[must_use = "a request does nothing until `.send(&client).await`"]
pub struct CreateBucket {
    service: ServiceSid,
    rate_limit: RateLimitSid,
    max: u32,
    interval: u32,
}

request!(CreateBucket -> Bucket, "CreateBucket");

impl CreateBucket {
    /// A bucket of `max` verifications (`Max`) per `interval` seconds (`Interval`).
    pub fn new(
        service: impl Into<ServiceSid>,
        rate_limit: impl Into<RateLimitSid>,
        max: u32,
        interval: u32,
    ) -> Self {
        Self {
            service: service.into(),
            rate_limit: rate_limit.into(),
            max,
            interval,
        }
    }

    fn wire(&self) -> Result<WireRequest, InvalidInput> {
        positive("Max", Some(self.max))?;
        positive("Interval", Some(self.interval))?;
        let mut form = Params::new();
        form.opt_int("Max", Some(self.max))
            .opt_int("Interval", Some(self.interval));
        let path = buckets(&self.service, &self.rate_limit)?.finish();
        Ok(WireRequest::post(Self::OPERATION, path, form))
    }
}

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
#[derive(Debug, Clone, PartialEq)]
#[must_use = "a request does nothing until `.send(&client).await`"]
pub struct ListBuckets {
    service: ServiceSid,
    rate_limit: RateLimitSid,
    paging: Paging,
}

request!(ListBuckets -> crate::Page<Bucket>, "ListBucket");

impl ListBuckets {
    /// The buckets of `rate_limit`.
    pub fn new(service: impl Into<ServiceSid>, rate_limit: impl Into<RateLimitSid>) -> Self {
        Self {
            service: service.into(),
            rate_limit: rate_limit.into(),
            paging: Paging::default(),
        }
    }

    list_request!(Bucket);

    fn wire(&self) -> Result<WireRequest, InvalidInput> {
        self.paging.check()?;
        let mut q = Params::new();
        self.paging.write(&mut q);
        let path = buckets(&self.service, &self.rate_limit)?.finish();
        Ok(WireRequest::get(Self::OPERATION, path, q))
    }
}

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
#[derive(Debug, Clone, PartialEq)]
#[must_use = "a request does nothing until `.send(&client).await`"]
pub struct FetchBucket {
    service: ServiceSid,
    rate_limit: RateLimitSid,
    sid: BucketSid,
}

request!(FetchBucket -> Bucket, "FetchBucket");

impl FetchBucket {
    /// A fetch of bucket `sid` (`BL…`).
    pub fn new(
        service: impl Into<ServiceSid>,
        rate_limit: impl Into<RateLimitSid>,
        sid: impl Into<BucketSid>,
    ) -> Self {
        Self {
            service: service.into(),
            rate_limit: rate_limit.into(),
            sid: sid.into(),
        }
    }

    fn wire(&self) -> Result<WireRequest, InvalidInput> {
        let path = bucket(&self.service, &self.rate_limit, &self.sid)?.finish();
        Ok(WireRequest::get(Self::OPERATION, path, Params::new()))
    }
}

/// `POST …/RateLimits/{RateLimitSid}/Buckets/{Sid}`: changes a bucket's `Max` or `Interval`.
///
/// ```no_run
/// # async fn run(client: &twilio_verify::Client, service: &twilio_verify::ServiceSid, limit: &twilio_verify::sid::RateLimitSid, sid: &twilio_verify::sid::BucketSid) -> twilio_verify::Result<()> {
/// use twilio_verify::verify::UpdateBucket;
///
/// UpdateBucket::new(service, limit, sid).max(10).send(client).await?;
/// # Ok(()) }
/// ```
#[derive(Debug, Clone, PartialEq)]
#[must_use = "a request does nothing until `.send(&client).await`"]
pub struct UpdateBucket {
    service: ServiceSid,
    rate_limit: RateLimitSid,
    sid: BucketSid,
    max: Option<u32>,
    interval: Option<u32>,
}

request!(UpdateBucket -> Bucket, "UpdateBucket");

impl UpdateBucket {
    /// An update of bucket `sid` that changes nothing yet.
    pub fn new(
        service: impl Into<ServiceSid>,
        rate_limit: impl Into<RateLimitSid>,
        sid: impl Into<BucketSid>,
    ) -> Self {
        Self {
            service: service.into(),
            rate_limit: rate_limit.into(),
            sid: sid.into(),
            max: None,
            interval: None,
        }
    }

    /// `Max`: verifications allowed per interval.
    pub fn max(mut self, max: u32) -> Self {
        self.max = Some(max);
        self
    }

    /// `Interval`: the window, in seconds.
    pub fn interval(mut self, seconds: u32) -> Self {
        self.interval = Some(seconds);
        self
    }

    fn wire(&self) -> Result<WireRequest, InvalidInput> {
        positive("Max", self.max)?;
        positive("Interval", self.interval)?;
        let mut form = Params::new();
        form.opt_int("Max", self.max)
            .opt_int("Interval", self.interval);
        let path = bucket(&self.service, &self.rate_limit, &self.sid)?.finish();
        Ok(WireRequest::post(Self::OPERATION, path, form))
    }
}

/// `DELETE …/RateLimits/{RateLimitSid}/Buckets/{Sid}`: deletes a bucket.
///
/// ```no_run
/// # async fn run(client: &twilio_verify::Client, service: &twilio_verify::ServiceSid, limit: &twilio_verify::sid::RateLimitSid, sid: &twilio_verify::sid::BucketSid) -> twilio_verify::Result<()> {
/// use twilio_verify::verify::DeleteBucket;
///
/// DeleteBucket::new(service, limit, sid).send(client).await?;
/// # Ok(()) }
/// ```
#[derive(Debug, Clone, PartialEq)]
#[must_use = "a request does nothing until `.send(&client).await`"]
pub struct DeleteBucket {
    service: ServiceSid,
    rate_limit: RateLimitSid,
    sid: BucketSid,
}

request!(DeleteBucket -> (), "DeleteBucket");

impl DeleteBucket {
    /// A deletion of bucket `sid`.
    pub fn new(
        service: impl Into<ServiceSid>,
        rate_limit: impl Into<RateLimitSid>,
        sid: impl Into<BucketSid>,
    ) -> Self {
        Self {
            service: service.into(),
            rate_limit: rate_limit.into(),
            sid: sid.into(),
        }
    }

    fn wire(&self) -> Result<WireRequest, InvalidInput> {
        let path = bucket(&self.service, &self.rate_limit, &self.sid)?.finish();
        Ok(WireRequest::delete(Self::OPERATION, path))
    }
}

/// A rate limit (`verify.v2.service.rate_limit`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct RateLimit {
    /// The rate limit's SID (`RK…`).
    pub sid: Option<RateLimitSid>,
    /// The service.
    pub service_sid: Option<ServiceSid>,
    /// The account.
    pub account_sid: Option<AccountSid>,
    /// The key verifications pass values for.
    pub unique_name: Option<String>,
    /// What it is for.
    pub description: Option<String>,
    /// When it was created.
    pub date_created: Option<Timestamp>,
    /// When it was last updated.
    pub date_updated: Option<Timestamp>,
    /// Its URL.
    pub url: Option<String>,
    /// URLs of its sub-resources (`buckets`).
    #[serde(default, deserialize_with = "crate::de::lenient_string_map")]
    pub links: Option<BTreeMap<String, String>>,
}

impl Listed for RateLimit {
    const KEY: &'static str = "rate_limits";
}

/// A bucket of a rate limit (`verify.v2.service.rate_limit.bucket`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct Bucket {
    /// The bucket's SID (`BL…`).
    pub sid: Option<BucketSid>,
    /// The rate limit it belongs to.
    pub rate_limit_sid: Option<RateLimitSid>,
    /// The service.
    pub service_sid: Option<ServiceSid>,
    /// The account.
    pub account_sid: Option<AccountSid>,
    /// Verifications allowed per interval.
    pub max: Option<i64>,
    /// The window, in seconds.
    pub interval: Option<i64>,
    /// When it was created.
    pub date_created: Option<Timestamp>,
    /// When it was last updated.
    pub date_updated: Option<Timestamp>,
    /// Its URL.
    pub url: Option<String>,
}

impl Listed for Bucket {
    const KEY: &'static str = "buckets";
}

#[cfg(test)]
mod tests {
    use super::*;

    fn va() -> ServiceSid {
        ServiceSid::parse("VAaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa").expect("va")
    }
    fn rk() -> RateLimitSid {
        RateLimitSid::parse("RKaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa").expect("rk")
    }
    fn bl() -> BucketSid {
        BucketSid::parse("BLaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa").expect("bl")
    }

    #[test]
    fn wire_forms() {
        let c = CreateRateLimit::new(va(), "end_user_ip")
            .description("per IP")
            .to_wire()
            .expect("valid");
        assert_eq!(
            c.path(),
            "/v2/Services/VAaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa/RateLimits"
        );
        assert_eq!(c.body(), Some("UniqueName=end_user_ip&Description=per+IP"));
        let b = CreateBucket::new(va(), rk(), 5, 60)
            .to_wire()
            .expect("valid");
        assert_eq!(
            b.path(),
            "/v2/Services/VAaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa/RateLimits/RKaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa/Buckets"
        );
        assert_eq!(b.body(), Some("Max=5&Interval=60"));
        let u = UpdateBucket::new(va(), rk(), bl())
            .interval(30)
            .to_wire()
            .expect("valid");
        assert!(
            u.path()
                .ends_with("/Buckets/BLaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa")
        );
        assert_eq!(u.body(), Some("Interval=30"));
    }

    #[test]
    fn bad_input_is_refused() {
        assert_eq!(
            CreateRateLimit::new(va(), " ")
                .to_wire()
                .expect_err("empty")
                .field(),
            "UniqueName"
        );
        assert_eq!(
            CreateBucket::new(va(), rk(), 0, 60)
                .to_wire()
                .expect_err("max")
                .field(),
            "Max"
        );
        assert_eq!(
            UpdateBucket::new(va(), rk(), bl())
                .interval(0)
                .to_wire()
                .expect_err("interval")
                .field(),
            "Interval"
        );
    }
}
