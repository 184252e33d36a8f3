//! Access tokens (`…/AccessTokens`): short-lived tokens that let an app enrol a push factor
//! for one entity without holding your Twilio credentials.

mod create;
mod fetch;

pub use create::CreateAccessToken;
pub use fetch::FetchAccessToken;

use serde::{Deserialize, Serialize};

use crate::error::InvalidInput;
use crate::secret::Secret;
use crate::sid::{AccessTokenSid, AccountSid, ServiceSid};
use crate::timestamp::Timestamp;
use crate::verify::FactorType;
use crate::wire::Path;

fn tokens(service: &ServiceSid) -> Result<Path, InvalidInput> {
    Ok(Path::new("/v2/Services")
        .seg(service.checked()?)
        .lit("AccessTokens"))
}

/// An access token (`verify.v2.service.access_token`). `Debug` never shows the token.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct AccessToken {
    /// The token's SID (`YK…`).
    pub sid: Option<AccessTokenSid>,
    /// The account.
    pub account_sid: Option<AccountSid>,
    /// The service.
    pub service_sid: Option<ServiceSid>,
    /// The entity it enrols a factor for.
    pub entity_identity: Option<String>,
    /// The kind of factor.
    pub factor_type: Option<FactorType>,
    /// The name the factor will get.
    pub factor_friendly_name: Option<String>,
    /// The token itself (a JWT).
    pub token: Option<Secret>,
    /// Its URL.
    pub url: Option<String>,
    /// Seconds it is valid.
    pub ttl: Option<i64>,
    /// When it was created.
    pub date_created: Option<Timestamp>,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn va() -> ServiceSid {
        "VAaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa".parse().expect("va")
    }

    #[test]
    fn ttl_and_identity_are_checked() {
        let base = || CreateAccessToken::new(va(), "user-0001", FactorType::Push);
        assert!(base().ttl(59).to_wire().is_err());
        assert!(base().ttl(301).to_wire().is_err());
        assert!(
            CreateAccessToken::new(va(), "u1", FactorType::Push)
                .to_wire()
                .is_err()
        );
        let w = base()
            .factor_friendly_name("Jane's phone")
            .ttl(300)
            .to_wire()
            .expect("ok");
        assert_eq!(
            w.body(),
            Some("Identity=user-0001&FactorType=push&FactorFriendlyName=Jane%27s+phone&Ttl=300")
        );
    }

    #[test]
    fn the_token_is_redacted() {
        let t: AccessToken =
            serde_json::from_str(r#"{"token":"eyJz.secret.jwt","ttl":60}"#).expect("decode");
        assert!(!format!("{t:?}").contains("eyJz"));
        assert_eq!(
            t.token.as_ref().map(Secret::expose),
            Some("eyJz.secret.jwt")
        );
    }
}
