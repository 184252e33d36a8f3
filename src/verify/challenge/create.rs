//! `CreateChallenge`: asks a factor to approve a login.

use std::collections::BTreeMap;

use serde::Serialize;

use super::{Challenge, challenges};
use crate::error::InvalidInput;
use crate::macros::setters;
use crate::request::operation;
use crate::secret::Secret;
use crate::sid::{FactorSid, ServiceSid};
use crate::timestamp::Timestamp;
use crate::verify::{check_string_object, check_text};
use crate::wire::{Params, json_text, json_text_each};

operation! {
    /// `POST …/Entities/{Identity}/Challenges`: asks a factor to approve something: a push prompt
    /// with a message and fields, or a TOTP code checked on the spot (`AuthPayload`).
    ///
    /// ```no_run
    /// # async fn run(client: &twilio_verify::Client, service: &twilio_verify::ServiceSid, factor: &twilio_verify::sid::FactorSid) -> twilio_verify::Result<()> {
    /// use twilio_verify::verify::CreateChallenge;
    ///
    /// let c = CreateChallenge::new(service, "ff483d1ff591898a9942916050d2ca3f", factor)
    ///     .details_message("Approve the login to Acme?")
    ///     .details_field("Location", "Lisbon")
    ///     .hidden_detail("ip", "203.0.113.7")
    ///     .send(client)
    ///     .await?;
    /// println!("{:?} {:?}", c.sid, c.status);
    /// # Ok(()) }
    /// ```
    CreateChallenge -> Challenge, "CreateChallenge";
    /// A challenge to factor `factor` (`FactorSid`, `YF…`) of the entity `identity`.
    pub fn new(service: ServiceSid, identity: String, factor: FactorSid) with { params: Optional };
    post |r| challenges(&r.service, &r.identity)?.finish(), {
        r.factor.checked()?;
        r.params.check()?;
        let mut form = Params::new();
        form.str("FactorSid", r.factor.as_str()).fields(&r.params)?;
        form
    };
}

/// The optional parameters, in the order they are sent.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
#[serde(rename_all = "PascalCase")]
struct Optional {
    expiration_date: Option<Timestamp>,
    /// `Details.Message` and `Details.Fields`.
    details: Details,
    #[serde(serialize_with = "json_text")]
    hidden_details: Option<BTreeMap<String, String>>,
    auth_payload: Option<Secret>,
}

/// What a push prompt shows.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
#[serde(rename_all = "PascalCase")]
struct Details {
    message: Option<String>,
    /// One `Details.Fields` pair per field, each a JSON object.
    #[serde(serialize_with = "json_text_each")]
    fields: Vec<Field>,
}

/// One labelled value of a push prompt.
#[derive(Debug, Clone, PartialEq, Serialize)]
struct Field {
    label: String,
    value: String,
}

impl Optional {
    fn check(&self) -> Result<(), InvalidInput> {
        if let Some(m) = &self.details.message {
            check_text("Details.Message", m, 256)?;
        }
        if self.details.fields.len() > 20 {
            return Err(InvalidInput::new("Details.Fields", "at most 20 fields"));
        }
        for f in &self.details.fields {
            check_text("Details.Fields", &f.label, 36)?;
            check_text("Details.Fields", &f.value, 128)?;
        }
        check_string_object("HiddenDetails", self.hidden_details.as_ref(), 1024)?;
        if let Some(code) = &self.auth_payload {
            let n = code.expose().chars().count();
            if !(3..=8).contains(&n) {
                return Err(InvalidInput::new(
                    "AuthPayload",
                    "must be 3 to 8 characters (a TOTP code)",
                ));
            }
        }
        Ok(())
    }
}

impl CreateChallenge {
    setters! {
        /// `ExpirationDate`: when it lapses (default five minutes, at most an hour after
        /// creation).
        expiration_date: value(Timestamp);
        /// `AuthPayload` (TOTP): the code to check at creation, 3 to 8 characters.
        auth_payload: into(Secret);
    }

    /// `Details.Message` (push, required there): what the prompt says, up to 256 characters.
    pub fn details_message(mut self, message: impl Into<String>) -> Self {
        self.params.details.message = Some(message.into());
        self
    }

    /// Adds one of `Details.Fields` (push): a label (up to 36 characters) and value (up to 128)
    /// shown with the prompt; at most 20.
    pub fn details_field(mut self, label: impl Into<String>, value: impl Into<String>) -> Self {
        let field = Field {
            label: label.into(),
            value: value.into(),
        };
        self.params.details.fields.push(field);
        self
    }

    /// Adds one entry to `HiddenDetails`: context kept with the challenge and not shown to the
    /// user (an object of strings, up to 1024 characters as JSON).
    pub fn hidden_detail(mut self, key: impl Into<String>, value: impl Into<String>) -> Self {
        let hidden = self.params.hidden_details.get_or_insert_with(BTreeMap::new);
        hidden.insert(key.into(), value.into());
        self
    }
}
