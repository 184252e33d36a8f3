//! Buckets of a rate limit (`…/RateLimits/{RateLimitSid}/Buckets`): at most `Max`
//! verifications per `Interval` seconds for each value of the rate limit's key.

mod create;
mod delete;
mod fetch;
mod list;
mod update;

pub use create::CreateBucket;
pub use delete::DeleteBucket;
pub use fetch::FetchBucket;
pub use list::ListBuckets;
pub use update::UpdateBucket;

use serde::{Deserialize, Serialize};

use crate::error::InvalidInput;
use crate::page::Listed;
use crate::sid::{AccountSid, BucketSid, RateLimitSid, ServiceSid};
use crate::timestamp::Timestamp;
use crate::verify::rate_limit::rate_limit;
use crate::wire::Path;

fn buckets(service: &ServiceSid, rate_limit_sid: &RateLimitSid) -> Result<Path, InvalidInput> {
    Ok(rate_limit(service, rate_limit_sid)?.lit("Buckets"))
}

fn bucket(
    service: &ServiceSid,
    rate_limit_sid: &RateLimitSid,
    sid: &BucketSid,
) -> Result<Path, InvalidInput> {
    Ok(buckets(service, rate_limit_sid)?.seg(sid.checked()?))
}

/// `Max` and `Interval`, as sent.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
#[serde(rename_all = "PascalCase")]
struct Window {
    max: Option<u32>,
    interval: Option<u32>,
}

fn positive(field: &'static str, v: Option<u32>) -> Result<(), InvalidInput> {
    if v == Some(0) {
        return Err(InvalidInput::new(field, "must be at least 1"));
    }
    Ok(())
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
