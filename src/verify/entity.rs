//! Entities (`…/Entities`): your users as Verify Push, TOTP and Passkeys know them, each under
//! an identity of your choosing. Deleting one deletes its factors and challenges.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::error::InvalidInput;
use crate::page::{Listed, Paging, list_request};
use crate::request::{Request, request};
use crate::sid::{AccountSid, EntitySid, ServiceSid};
use crate::timestamp::Timestamp;
use crate::wire::{Params, Path, WireRequest};

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

fn entities(service: &ServiceSid) -> Result<Path, InvalidInput> {
    Ok(Path::new("/v2/Services")
        .seg(service.checked()?)
        .lit("Entities"))
}

/// `/v2/Services/{ServiceSid}/Entities/{Identity}`, checked.
pub(crate) fn entity_path(service: &ServiceSid, identity: &str) -> Result<Path, InvalidInput> {
    check_identity(identity, false)?;
    Ok(entities(service)?.seg(identity))
}

/// `POST …/Entities`: creates an entity. Creating a factor creates its entity too, so this is
/// only needed to reserve an identity ahead of time.
///
/// ```no_run
/// # async fn run(client: &twilio_verify::Client, service: &twilio_verify::ServiceSid) -> twilio_verify::Result<()> {
/// use twilio_verify::verify::CreateEntity;
///
/// let entity = CreateEntity::new(service, "ff483d1ff591898a9942916050d2ca3f")
///     .send(client)
///     .await?;
/// println!("{:?}", entity.sid);
/// # Ok(()) }
/// ```
#[derive(Debug, Clone, PartialEq)]
#[must_use = "a request does nothing until `.send(&client).await`"]
pub struct CreateEntity {
    service: ServiceSid,
    identity: String,
}

request!(CreateEntity -> Entity, "CreateEntity");

impl CreateEntity {
    /// An entity for `identity` (`Identity`: 8 to 64 characters, immutable, not PII, such as
    /// a UUID from your user store).
    pub fn new(service: impl Into<ServiceSid>, identity: impl Into<String>) -> Self {
        Self {
            service: service.into(),
            identity: identity.into(),
        }
    }

    fn wire(&self) -> Result<WireRequest, InvalidInput> {
        check_identity(&self.identity, true)?;
        let mut form = Params::new();
        form.str("Identity", &self.identity);
        Ok(WireRequest::post(
            Self::OPERATION,
            entities(&self.service)?.finish(),
            form,
        ))
    }
}

/// `GET …/Entities`: lists a service's entities.
///
/// ```no_run
/// # async fn run(client: &twilio_verify::Client, service: &twilio_verify::ServiceSid) -> twilio_verify::Result<()> {
/// use twilio_verify::verify::ListEntities;
///
/// let first = ListEntities::new(service).page_size(50).send(client).await?;
/// println!("{} entities on the first page", first.items.len());
/// # Ok(()) }
/// ```
#[derive(Debug, Clone, PartialEq)]
#[must_use = "a request does nothing until `.send(&client).await`"]
pub struct ListEntities {
    service: ServiceSid,
    paging: Paging,
}

request!(ListEntities -> crate::Page<Entity>, "ListEntity");

impl ListEntities {
    /// The entities of `service`.
    pub fn new(service: impl Into<ServiceSid>) -> Self {
        Self {
            service: service.into(),
            paging: Paging::default(),
        }
    }

    list_request!(Entity);

    fn wire(&self) -> Result<WireRequest, InvalidInput> {
        self.paging.check()?;
        let mut q = Params::new();
        self.paging.write(&mut q);
        Ok(WireRequest::get(
            Self::OPERATION,
            entities(&self.service)?.finish(),
            q,
        ))
    }
}

/// `GET …/Entities/{Identity}`: fetches one entity.
///
/// ```no_run
/// # async fn run(client: &twilio_verify::Client, service: &twilio_verify::ServiceSid) -> twilio_verify::Result<()> {
/// use twilio_verify::verify::FetchEntity;
///
/// let entity = FetchEntity::new(service, "ff483d1ff591898a9942916050d2ca3f")
///     .send(client)
///     .await?;
/// println!("{:?}", entity.links);
/// # Ok(()) }
/// ```
#[derive(Debug, Clone, PartialEq)]
#[must_use = "a request does nothing until `.send(&client).await`"]
pub struct FetchEntity {
    service: ServiceSid,
    identity: String,
}

request!(FetchEntity -> Entity, "FetchEntity");

impl FetchEntity {
    /// A fetch of the entity with `identity`.
    pub fn new(service: impl Into<ServiceSid>, identity: impl Into<String>) -> Self {
        Self {
            service: service.into(),
            identity: identity.into(),
        }
    }

    fn wire(&self) -> Result<WireRequest, InvalidInput> {
        Ok(WireRequest::get(
            Self::OPERATION,
            entity_path(&self.service, &self.identity)?.finish(),
            Params::new(),
        ))
    }
}

/// `DELETE …/Entities/{Identity}`: deletes an entity with all its factors and challenges.
///
/// ```no_run
/// # async fn run(client: &twilio_verify::Client, service: &twilio_verify::ServiceSid) -> twilio_verify::Result<()> {
/// use twilio_verify::verify::DeleteEntity;
///
/// DeleteEntity::new(service, "ff483d1ff591898a9942916050d2ca3f").send(client).await?;
/// # Ok(()) }
/// ```
#[derive(Debug, Clone, PartialEq)]
#[must_use = "a request does nothing until `.send(&client).await`"]
pub struct DeleteEntity {
    service: ServiceSid,
    identity: String,
}

request!(DeleteEntity -> (), "DeleteEntity");

impl DeleteEntity {
    /// A deletion of the entity with `identity`.
    pub fn new(service: impl Into<ServiceSid>, identity: impl Into<String>) -> Self {
        Self {
            service: service.into(),
            identity: identity.into(),
        }
    }

    fn wire(&self) -> Result<WireRequest, InvalidInput> {
        Ok(WireRequest::delete(
            Self::OPERATION,
            entity_path(&self.service, &self.identity)?.finish(),
        ))
    }
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
