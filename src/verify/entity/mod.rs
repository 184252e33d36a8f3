//! Entities (`…/Entities`): your users as Verify Push, TOTP and Passkeys know them, each under
//! an identity of your choosing. Deleting one deletes its factors and challenges.

mod create;
mod delete;
mod fetch;
mod list;

pub use create::CreateEntity;
pub use delete::DeleteEntity;
pub use fetch::FetchEntity;
pub use list::ListEntities;

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::error::InvalidInput;
use crate::page::Listed;
use crate::sid::{AccountSid, EntitySid, ServiceSid};
use crate::timestamp::Timestamp;
use crate::wire::Path;

/// Checks an entity identity for a path or a form: 1 to 64 characters, with no control
/// characters and no `/` (it names a path segment). `creating` also asks for the 8 characters
/// Twilio requires of a new identity.
pub(crate) fn check_identity(identity: &str, creating: bool) -> Result<(), InvalidInput> {
    let n = identity.chars().count();
    let min = if creating { 8 } else { 1 };
    if n < min || n > 64 {
        return Err(InvalidInput::new(
            "Identity",
            format!("must be {min} to 64 characters (an immutable, non-PII user id)"),
        ));
    }
    if identity.chars().any(|c| c.is_control() || c == '/') {
        return Err(InvalidInput::new(
            "Identity",
            "must not hold `/` or control characters",
        ));
    }
    Ok(())
}

pub(crate) fn entities(service: &ServiceSid) -> Result<Path, InvalidInput> {
    Ok(Path::new("/v2/Services")
        .seg(service.checked()?)
        .lit("Entities"))
}

/// `/v2/Services/{ServiceSid}/Entities/{Identity}`, checked.
pub(crate) fn entity_path(service: &ServiceSid, identity: &str) -> Result<Path, InvalidInput> {
    check_identity(identity, false)?;
    Ok(entities(service)?.seg(identity))
}

/// An entity (`verify.v2.service.entity`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct Entity {
    /// The entity's SID (`YE…`).
    pub sid: Option<EntitySid>,
    /// Your identifier for the user.
    pub identity: Option<String>,
    /// The account.
    pub account_sid: Option<AccountSid>,
    /// The service.
    pub service_sid: Option<ServiceSid>,
    /// When it was created.
    pub date_created: Option<Timestamp>,
    /// When it was last updated.
    pub date_updated: Option<Timestamp>,
    /// Its URL.
    pub url: Option<String>,
    /// URLs of its sub-resources (`factors`, `challenges`).
    #[serde(default, deserialize_with = "crate::de::lenient_string_map")]
    pub links: Option<BTreeMap<String, String>>,
}

impl Listed for Entity {
    const KEY: &'static str = "entities";
}

#[cfg(test)]
mod tests {
    use super::*;

    fn va() -> ServiceSid {
        "VAaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa".parse().expect("va")
    }

    #[test]
    fn identities_are_checked_before_sending() {
        assert!(CreateEntity::new(va(), "short").to_wire().is_err());
        assert!(CreateEntity::new(va(), "x".repeat(65)).to_wire().is_err());
        assert!(FetchEntity::new(va(), "").to_wire().is_err());
        assert!(FetchEntity::new(va(), "a/../b").to_wire().is_err());
        assert!(DeleteEntity::new(va(), "line\nbreak").to_wire().is_err());
        let ok = CreateEntity::new(va(), "user-0001")
            .to_wire()
            .expect("valid");
        assert_eq!(ok.body(), Some("Identity=user-0001"));
        let legacy = FetchEntity::new(va(), "u1")
            .to_wire()
            .expect("short ids can be read");
        assert!(legacy.path().ends_with("/Entities/u1"));
    }
}
