//! Challenges (`…/Entities/{Identity}/Challenges`): one login approval asked of a factor: a
//! push prompt on a device, or a TOTP code to check. The push notifications sent for them are
//! in [`CreateNotification`](crate::verify::CreateNotification).

mod create;
mod fetch;
mod list;
mod update;

pub use create::CreateChallenge;
pub use fetch::FetchChallenge;
pub use list::ListChallenges;
pub use update::UpdateChallenge;

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::error::InvalidInput;
use crate::macros::open_enum;
use crate::page::Listed;
use crate::sid::{AccountSid, ChallengeSid, EntitySid, FactorSid, ServiceSid};
use crate::timestamp::Timestamp;
use crate::wire::Path;

use super::entity::entity_path;
use super::factor::FactorType;

open_enum! {
    /// Where a challenge stands.
    pub enum ChallengeStatus {
        /// Waiting for the user.
        Pending = "pending",
        /// Not answered in time.
        Expired = "expired",
        /// Approved: the login may go on.
        Approved = "approved",
        /// Denied by the user.
        Denied = "denied",
    }
}

open_enum! {
    /// Why a challenge has its status.
    pub enum ChallengeReason {
        /// No particular reason.
        None = "none",
        /// Approval was not needed.
        NotNeeded = "not_needed",
        /// Approval was not requested.
        NotRequested = "not_requested",
    }
}

open_enum! {
    /// The order of a challenge list, by creation date.
    pub enum ListOrder {
        /// Oldest first.
        Asc = "asc",
        /// Newest first.
        Desc = "desc",
    }
}

fn challenges(service: &ServiceSid, identity: &str) -> Result<Path, InvalidInput> {
    Ok(entity_path(service, identity)?.lit("Challenges"))
}

pub(crate) fn challenge(
    service: &ServiceSid,
    identity: &str,
    sid: &ChallengeSid,
) -> Result<Path, InvalidInput> {
    Ok(challenges(service, identity)?.seg(sid.checked()?))
}

/// A challenge (`verify.v2.service.entity.challenge`; the Passkeys endpoints answer with it
/// too, plus `options`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct Challenge {
    /// The challenge's SID (`YC…`).
    pub sid: Option<ChallengeSid>,
    /// The account.
    pub account_sid: Option<AccountSid>,
    /// The service.
    pub service_sid: Option<ServiceSid>,
    /// The entity.
    pub entity_sid: Option<EntitySid>,
    /// The entity's identity.
    pub identity: Option<String>,
    /// The factor asked.
    pub factor_sid: Option<FactorSid>,
    /// When it was created.
    pub date_created: Option<Timestamp>,
    /// When it was last updated.
    pub date_updated: Option<Timestamp>,
    /// When the user answered.
    pub date_responded: Option<Timestamp>,
    /// When it lapses.
    pub expiration_date: Option<Timestamp>,
    /// Where it stands.
    pub status: Option<ChallengeStatus>,
    /// Why it has its status.
    pub responded_reason: Option<ChallengeReason>,
    /// What the user was shown (`message`, `fields`, `date`).
    pub details: Option<Value>,
    /// The hidden context it was created with.
    pub hidden_details: Option<Value>,
    /// What the device reported when answering.
    pub metadata: Option<Value>,
    /// The kind of factor asked.
    pub factor_type: Option<FactorType>,
    /// Its URL.
    pub url: Option<String>,
    /// URLs of its sub-resources (`notifications`).
    #[serde(default, deserialize_with = "crate::de::lenient_string_map")]
    pub links: Option<BTreeMap<String, String>>,
    /// For passkeys, the WebAuthn request options to hand to `navigator.credentials.get()`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub options: Option<Value>,
}

impl Listed for Challenge {
    const KEY: &'static str = "challenges";
}

#[cfg(test)]
mod tests {
    use super::*;

    const ID: &str = "ff483d1ff591898a9942916050d2ca3f";

    fn va() -> ServiceSid {
        "VAaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa".parse().expect("va")
    }

    fn yf() -> FactorSid {
        "YFaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa".parse().expect("yf")
    }

    #[test]
    fn details_fields_are_repeated_json_objects() {
        let w = CreateChallenge::new(va(), ID, yf())
            .details_message("Log in?")
            .details_field("City", "Lisbon")
            .details_field("App", "Acme & Co")
            .hidden_detail("ip", "203.0.113.7")
            .to_wire()
            .expect("valid");
        let pairs: Vec<(String, String)> =
            form_urlencoded::parse(w.body().expect("form").as_bytes())
                .map(|(k, v)| (k.into_owned(), v.into_owned()))
                .collect();
        let fields: Vec<&str> = pairs
            .iter()
            .filter(|(k, _)| k == "Details.Fields")
            .map(|(_, v)| v.as_str())
            .collect();
        assert_eq!(
            fields,
            [
                r#"{"label":"City","value":"Lisbon"}"#,
                r#"{"label":"App","value":"Acme & Co"}"#
            ]
        );
        assert!(pairs.contains(&("HiddenDetails".into(), r#"{"ip":"203.0.113.7"}"#.into())));
        assert_eq!(pairs[0], ("FactorSid".into(), yf().as_str().into()));
    }

    #[test]
    fn sizes_are_checked_before_sending() {
        let base = || CreateChallenge::new(va(), ID, yf());
        assert!(base().details_message("m".repeat(257)).to_wire().is_err());
        assert!(base().details_field("l".repeat(37), "v").to_wire().is_err());
        let many = (0..21).fold(base(), |r, i| r.details_field(format!("f{i}"), "v"));
        assert!(many.to_wire().is_err());
        assert!(base().auth_payload("12").to_wire().is_err());
        assert!(
            base()
                .hidden_detail("k", "v".repeat(1100))
                .to_wire()
                .is_err()
        );
    }
}
