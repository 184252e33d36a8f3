//! `UpdateChallenge`: answers a challenge (a TOTP code, or a push SDK's signed payload).

use std::collections::BTreeMap;

use serde::Serialize;

use super::{Challenge, challenge};
use crate::error::InvalidInput;
use crate::macros::setters;
use crate::request::operation;
use crate::secret::Secret;
use crate::sid::{ChallengeSid, ServiceSid};
use crate::verify::check_string_object;
use crate::wire::{Params, json_text};

operation! {
    /// `POST …/Entities/{Identity}/Challenges/{Sid}`: answers a challenge (a TOTP code, or the
    /// device's signed payload) and attaches device metadata.
    ///
    /// ```no_run
    /// # async fn run(client: &twilio_verify::Client, service: &twilio_verify::ServiceSid, sid: &twilio_verify::sid::ChallengeSid) -> twilio_verify::Result<()> {
    /// use twilio_verify::verify::UpdateChallenge;
    ///
    /// let c = UpdateChallenge::new(service, "ff483d1ff591898a9942916050d2ca3f", sid)
    ///     .auth_payload("123456")
    ///     .send(client)
    ///     .await?;
    /// println!("{:?}", c.status);
    /// # Ok(()) }
    /// ```
    UpdateChallenge -> Challenge, "UpdateChallenge";
    /// An update of challenge `sid` that sends nothing yet.
    pub fn new(service: ServiceSid, identity: String, sid: ChallengeSid) with { params: Answer };
    post |r| {
        if r.params.auth_payload.as_ref().is_some_and(Secret::is_empty) {
            return Err(InvalidInput::new("AuthPayload", "must not be empty"));
        }
        check_string_object("Metadata", r.params.metadata.as_ref(), 1024)?;
        challenge(&r.service, &r.identity, &r.sid)?.finish()
    }, {
        let mut form = Params::new();
        form.fields(&r.params)?;
        form
    };
}

/// The answer, in the order it is sent.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
#[serde(rename_all = "PascalCase")]
struct Answer {
    auth_payload: Option<Secret>,
    #[serde(serialize_with = "json_text")]
    metadata: Option<BTreeMap<String, String>>,
}

impl UpdateChallenge {
    setters! {
        /// `AuthPayload`: the TOTP code (3 to 8 characters), or the push SDK's signed payload.
        auth_payload: into(Secret);
    }

    /// Adds one entry to `Metadata`: device information, an object of strings (up to 1024
    /// characters as JSON).
    pub fn metadata(mut self, key: impl Into<String>, value: impl Into<String>) -> Self {
        let metadata = self.params.metadata.get_or_insert_with(BTreeMap::new);
        metadata.insert(key.into(), value.into());
        self
    }
}
