//! `CreateAccessToken`: a token that lets an app enrol a push factor.

use serde::Serialize;

use super::{AccessToken, tokens};
use crate::macros::setters;
use crate::request::operation;
use crate::sid::ServiceSid;
use crate::verify::FactorType;
use crate::verify::entity::check_identity;
use crate::verify::{check_range, check_text};
use crate::wire::Params;

operation! {
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
    CreateAccessToken -> AccessToken, "CreateAccessToken";
    /// A token for the entity `identity` (`Identity`, 8 to 64 characters) to enrol a factor
    /// of `factor_type` (`FactorType`; Twilio issues them for `push`).
    pub fn new(service: ServiceSid, identity: String; factor_type: FactorType) with { params: Optional };
    post |r| {
        check_identity(&r.identity, true)?;
        check_range("Ttl", r.params.ttl, 60..=300)?;
        if let Some(name) = &r.params.factor_friendly_name {
            check_text("FactorFriendlyName", name, 64)?;
        }
        tokens(&r.service)?.finish()
    }, {
        let mut form = Params::new();
        form.str("Identity", &r.identity)
            .str("FactorType", r.factor_type.as_str())
            .fields(&r.params)?;
        form
    };
}

/// The optional parameters, in the order they are sent.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
#[serde(rename_all = "PascalCase")]
struct Optional {
    factor_friendly_name: Option<String>,
    ttl: Option<u32>,
}

impl CreateAccessToken {
    setters! {
        /// `FactorFriendlyName`: the name the factor will get.
        factor_friendly_name: into(String);
        /// `Ttl`: seconds the token is valid, 60 to 300 (default 60).
        ttl: value(u32);
    }
}
