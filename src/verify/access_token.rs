//! Access tokens (`…/AccessTokens`): short-lived tokens that let an app enrol a push factor
//! for one entity without holding your Twilio credentials.

use serde::{Deserialize, Serialize};

use crate::error::InvalidInput;
use crate::request::{Request, request};
use crate::secret::Secret;
use crate::sid::{AccessTokenSid, AccountSid, ServiceSid};
use crate::timestamp::Timestamp;
use crate::wire::{Params, Path, WireRequest};

use super::entity::check_identity;
use super::factor::FactorType;
use super::{check_range, check_text};

fn tokens(service: &ServiceSid) -> Result<Path, InvalidInput> {
    Ok(Path::new("/v2/Services")
        .seg(service.checked()?)
        .lit("AccessTokens"))
}

/// `POST …/AccessTokens`: a token your app hands the Verify Push SDK to enrol a factor.
///
/// ```no_run
/// # async fn run(client: &twilio_verify::Client, service: &twilio_verify::ServiceSid) -> twilio_verify::Result<()> {
/// use twilio_verify::verify::{CreateAccessToken, FactorType};
///
/// let t = CreateAccessToken::new(service, "ff483d1ff591898a9942916050d2ca3f", FactorType::Push)
///     .ttl(120)
///     .send(client)
///     .await?;
/// let jwt = t.token.as_ref().map(|s| s.expose()); // hand this to the app, never log it
/// # let _ = jwt; Ok(()) }
/// ```
#[derive(Debug, Clone, PartialEq)]
#[must_use = "a request does nothing until `.send(&client).await`"]
pub struct CreateAccessToken {
    service: ServiceSid,
    identity: String,
    factor_type: FactorType,
    factor_friendly_name: Option<String>,
    ttl: Option<u32>,
}

request!(CreateAccessToken -> AccessToken, "CreateAccessToken");

impl CreateAccessToken {
    /// A token for the entity `identity` (`Identity`, 8 to 64 characters) to enrol a factor
    /// of `factor_type` (`FactorType`; Twilio issues them for `push`).
    pub fn new(
        service: impl Into<ServiceSid>,
        identity: impl Into<String>,
        factor_type: FactorType,
    ) -> Self {
        Self {
            service: service.into(),
            identity: identity.into(),
            factor_type,
            factor_friendly_name: None,
            ttl: None,
        }
    }

    /// `FactorFriendlyName`: the name the factor will get.
    pub fn factor_friendly_name(mut self, name: impl Into<String>) -> Self {
        self.factor_friendly_name = Some(name.into());
        self
    }

    /// `Ttl`: seconds the token is valid, 60 to 300 (default 60).
    pub fn ttl(mut self, seconds: u32) -> Self {
        self.ttl = Some(seconds);
        self
    }

    fn wire(&self) -> Result<WireRequest, InvalidInput> {
        check_identity(&self.identity, true)?;
        check_range("Ttl", self.ttl, 60..=300)?;
        if let Some(name) = &self.factor_friendly_name {
            check_text("FactorFriendlyName", name, 64)?;
        }
        let mut form = Params::new();
        form.str("Identity", &self.identity)
            .str("FactorType", self.factor_type.as_str())
            .opt_str("FactorFriendlyName", self.factor_friendly_name.as_deref())
            .opt_int("Ttl", self.ttl);
        Ok(WireRequest::post(
            Self::OPERATION,
            tokens(&self.service)?.finish(),
            form,
        ))
    }
}

/// `GET …/AccessTokens/{Sid}`: fetches an access token.
///
/// ```no_run
/// # async fn run(client: &twilio_verify::Client, service: &twilio_verify::ServiceSid, sid: &twilio_verify::sid::AccessTokenSid) -> twilio_verify::Result<()> {
/// use twilio_verify::verify::FetchAccessToken;
///
/// let t = FetchAccessToken::new(service, sid).send(client).await?;
/// println!("{:?} {:?}", t.entity_identity, t.ttl);
/// # Ok(()) }
/// ```
#[derive(Debug, Clone, PartialEq)]
#[must_use = "a request does nothing until `.send(&client).await`"]
pub struct FetchAccessToken {
    service: ServiceSid,
    sid: AccessTokenSid,
}

request!(FetchAccessToken -> AccessToken, "FetchAccessToken");

impl FetchAccessToken {
    /// A fetch of access token `sid` (`YK…`).
    pub fn new(service: impl Into<ServiceSid>, sid: impl Into<AccessTokenSid>) -> Self {
        Self {
            service: service.into(),
            sid: sid.into(),
        }
    }

    fn wire(&self) -> Result<WireRequest, InvalidInput> {
        Ok(WireRequest::get(
            Self::OPERATION,
            tokens(&self.service)?.seg(self.sid.checked()?).finish(),
            Params::new(),
        ))
    }
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
