//! Programmable rate limits (`…/RateLimits`): the keys a service limits verifications by.
//!
//! A rate limit names a key (`end_user_ip_address`); its buckets
//! ([`crate::verify::CreateBucket`]…) allow `Max` verifications per `Interval` seconds for each
//! value of that key. A verification passes the values with
//! [`CreateVerification::rate_limit`](crate::verify::CreateVerification::rate_limit).

mod create;
mod delete;
mod fetch;
mod list;
mod update;

pub use create::CreateRateLimit;
pub use delete::DeleteRateLimit;
pub use fetch::FetchRateLimit;
pub use list::ListRateLimits;
pub use update::UpdateRateLimit;

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::error::InvalidInput;
use crate::page::Listed;
use crate::sid::{AccountSid, RateLimitSid, ServiceSid};
use crate::timestamp::Timestamp;
use crate::wire::Path;

pub(crate) fn rate_limits(service: &ServiceSid) -> Result<Path, InvalidInput> {
    Ok(Path::new("/v2/Services")
        .seg(service.checked()?)
        .lit("RateLimits"))
}

pub(crate) fn rate_limit(service: &ServiceSid, sid: &RateLimitSid) -> Result<Path, InvalidInput> {
    Ok(rate_limits(service)?.seg(sid.checked()?))
}

/// The optional parameter of create and update, as sent.
#[derive(Debug, Clone, Default, PartialEq, serde::Serialize)]
#[serde(rename_all = "PascalCase")]
struct Description {
    description: Option<String>,
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

#[cfg(test)]
mod tests {
    use super::*;

    fn va() -> ServiceSid {
        ServiceSid::parse("VAaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa").expect("va")
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
    }
}
