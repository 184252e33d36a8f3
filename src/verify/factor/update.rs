//! `UpdateFactor`: verifies a new factor, renames it or changes its settings.

use serde::Serialize;

use super::{Config, Factor, config_setters, factor};
use crate::error::InvalidInput;
use crate::macros::setters;
use crate::request::operation;
use crate::secret::Secret;
use crate::sid::{FactorSid, ServiceSid};
use crate::verify::check_text;
use crate::wire::Params;

operation! {
    /// `POST …/Entities/{Identity}/Factors/{Sid}`: verifies a new factor (with `AuthPayload`), or
    /// changes its name or settings.
    ///
    /// ```no_run
    /// # async fn run(client: &twilio_verify::Client, service: &twilio_verify::ServiceSid, sid: &twilio_verify::sid::FactorSid) -> twilio_verify::Result<()> {
    /// use twilio_verify::verify::{FactorStatus, UpdateFactor};
    ///
    /// // The first code from the user's authenticator app verifies a TOTP factor.
    /// let f = UpdateFactor::verify(service, "ff483d1ff591898a9942916050d2ca3f", sid, "123456")
    ///     .send(client)
    ///     .await?;
    /// assert_eq!(f.status, Some(FactorStatus::Verified));
    /// # Ok(()) }
    /// ```
    UpdateFactor -> Factor, "UpdateFactor";
    /// An update of factor `sid` that changes nothing yet.
    pub fn new(service: ServiceSid, identity: String, sid: FactorSid)
        with { params: Change, config: Config };
    post |r| {
        if r.params.auth_payload.as_ref().is_some_and(Secret::is_empty) {
            return Err(InvalidInput::new("AuthPayload", "must not be empty"));
        }
        if let Some(name) = &r.params.friendly_name {
            check_text("FriendlyName", name, 64)?;
        }
        r.config.check()?;
        factor(&r.service, &r.identity, &r.sid)?.finish()
    }, {
        let mut form = Params::new();
        form.fields(&(&r.params, &r.config))?;
        form
    };
}

/// What changes besides `Config.*`, in the order it is sent.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
#[serde(rename_all = "PascalCase")]
struct Change {
    auth_payload: Option<Secret>,
    friendly_name: Option<String>,
}

impl UpdateFactor {
    /// Verifies factor `sid` with `auth_payload`: for TOTP, the current code.
    pub fn verify(
        service: impl Into<ServiceSid>,
        identity: impl Into<String>,
        sid: impl Into<FactorSid>,
        auth_payload: impl Into<Secret>,
    ) -> Self {
        Self::new(service, identity, sid).auth_payload(auth_payload)
    }

    setters! {
        /// `AuthPayload`: what verifies the factor the first time (a TOTP code).
        auth_payload: into(Secret);
        /// `FriendlyName`: a new name, up to 64 characters.
        friendly_name: into(String);
    }

    config_setters!();
}
