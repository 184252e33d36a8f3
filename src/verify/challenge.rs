//! Challenges (`…/Entities/{Identity}/Challenges`): one login approval asked of a factor: a
//! push prompt on a device, or a TOTP code to check. Also the push notifications sent for them.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::error::InvalidInput;
use crate::macros::open_enum;
use crate::page::{Listed, Paging, list_request};
use crate::request::{Request, request};
use crate::secret::Secret;
use crate::sid::{AccountSid, ChallengeSid, EntitySid, FactorSid, NotificationSid, ServiceSid};
use crate::timestamp::Timestamp;
use crate::wire::{Params, Path, WireRequest};

use super::entity::entity_path;
use super::factor::FactorType;
use super::{check_range, check_text, string_object};

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

fn challenge(
    service: &ServiceSid,
    identity: &str,
    sid: &ChallengeSid,
) -> Result<Path, InvalidInput> {
    Ok(challenges(service, identity)?.seg(sid.checked()?))
}

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
#[derive(Debug, Clone, PartialEq)]
#[must_use = "a request does nothing until `.send(&client).await`"]
pub struct CreateChallenge {
    service: ServiceSid,
    identity: String,
    factor: FactorSid,
    expiration_date: Option<Timestamp>,
    message: Option<String>,
    fields: Vec<(String, String)>,
    hidden: BTreeMap<String, String>,
    auth_payload: Option<Secret>,
}

request!(CreateChallenge -> Challenge, "CreateChallenge");

impl CreateChallenge {
    /// A challenge to factor `factor` (`FactorSid`, `YF…`) of the entity `identity`.
    pub fn new(
        service: impl Into<ServiceSid>,
        identity: impl Into<String>,
        factor: impl Into<FactorSid>,
    ) -> Self {
        Self {
            service: service.into(),
            identity: identity.into(),
            factor: factor.into(),
            expiration_date: None,
            message: None,
            fields: Vec::new(),
            hidden: BTreeMap::new(),
            auth_payload: None,
        }
    }

    /// `ExpirationDate`: when it lapses (default five minutes, at most an hour after creation).
    pub fn expiration_date(mut self, when: Timestamp) -> Self {
        self.expiration_date = Some(when);
        self
    }

    /// `Details.Message` (push, required there): what the prompt says, up to 256 characters.
    pub fn details_message(mut self, message: impl Into<String>) -> Self {
        self.message = Some(message.into());
        self
    }

    /// Adds one of `Details.Fields` (push): a label (up to 36 characters) and value (up to 128)
    /// shown with the prompt; at most 20.
    pub fn details_field(mut self, label: impl Into<String>, value: impl Into<String>) -> Self {
        self.fields.push((label.into(), value.into()));
        self
    }

    /// Adds one entry to `HiddenDetails`: context kept with the challenge and not shown to the
    /// user (an object of strings, up to 1024 characters as JSON).
    pub fn hidden_detail(mut self, key: impl Into<String>, value: impl Into<String>) -> Self {
        self.hidden.insert(key.into(), value.into());
        self
    }

    /// `AuthPayload` (TOTP): the code to check at creation, 3 to 8 characters.
    pub fn auth_payload(mut self, code: impl Into<Secret>) -> Self {
        self.auth_payload = Some(code.into());
        self
    }

    fn wire(&self) -> Result<WireRequest, InvalidInput> {
        let mut form = Params::new();
        form.str("FactorSid", self.factor.checked()?).opt_str(
            "ExpirationDate",
            self.expiration_date.map(|t| t.to_rfc3339()).as_deref(),
        );
        if let Some(m) = &self.message {
            check_text("Details.Message", m, 256)?;
            form.str("Details.Message", m);
        }
        if self.fields.len() > 20 {
            return Err(InvalidInput::new("Details.Fields", "at most 20 fields"));
        }
        for (label, value) in &self.fields {
            check_text("Details.Fields", label, 36)?;
            check_text("Details.Fields", value, 128)?;
            let field = serde_json::json!({ "label": label, "value": value });
            form.str("Details.Fields", &field.to_string());
        }
        if !self.hidden.is_empty() {
            form.str(
                "HiddenDetails",
                &string_object("HiddenDetails", &self.hidden, 1024)?,
            );
        }
        if let Some(code) = &self.auth_payload {
            let n = code.expose().chars().count();
            if !(3..=8).contains(&n) {
                return Err(InvalidInput::new(
                    "AuthPayload",
                    "must be 3 to 8 characters (a TOTP code)",
                ));
            }
            form.str("AuthPayload", code.expose());
        }
        Ok(WireRequest::post(
            Self::OPERATION,
            challenges(&self.service, &self.identity)?.finish(),
            form,
        ))
    }
}

/// `GET …/Entities/{Identity}/Challenges`: lists an entity's challenges, optionally by factor
/// and status.
///
/// ```no_run
/// # async fn run(client: &twilio_verify::Client, service: &twilio_verify::ServiceSid) -> twilio_verify::Result<()> {
/// use twilio_verify::verify::{ChallengeStatus, ListChallenges, ListOrder};
///
/// let pending = ListChallenges::new(service, "ff483d1ff591898a9942916050d2ca3f")
///     .status(ChallengeStatus::Pending)
///     .order(ListOrder::Desc)
///     .send(client)
///     .await?;
/// println!("{} pending", pending.items.len());
/// # Ok(()) }
/// ```
#[derive(Debug, Clone, PartialEq)]
#[must_use = "a request does nothing until `.send(&client).await`"]
pub struct ListChallenges {
    service: ServiceSid,
    identity: String,
    factor: Option<FactorSid>,
    status: Option<ChallengeStatus>,
    order: Option<ListOrder>,
    paging: Paging,
}

request!(ListChallenges -> crate::Page<Challenge>, "ListChallenge");

impl ListChallenges {
    /// The challenges of the entity `identity`.
    pub fn new(service: impl Into<ServiceSid>, identity: impl Into<String>) -> Self {
        Self {
            service: service.into(),
            identity: identity.into(),
            factor: None,
            status: None,
            order: None,
            paging: Paging::default(),
        }
    }

    /// `FactorSid`: only this factor's challenges.
    pub fn factor_sid(mut self, factor: impl Into<FactorSid>) -> Self {
        self.factor = Some(factor.into());
        self
    }

    /// `Status`: only challenges in this state.
    pub fn status(mut self, status: ChallengeStatus) -> Self {
        self.status = Some(status);
        self
    }

    /// `Order`: by creation date, ascending or descending.
    pub fn order(mut self, order: ListOrder) -> Self {
        self.order = Some(order);
        self
    }

    list_request!(Challenge);

    fn wire(&self) -> Result<WireRequest, InvalidInput> {
        self.paging.check()?;
        let mut q = Params::new();
        q.opt_str(
            "FactorSid",
            self.factor.as_ref().map(|f| f.checked()).transpose()?,
        )
        .opt_str("Status", self.status.as_ref().map(ChallengeStatus::as_str))
        .opt_str("Order", self.order.as_ref().map(ListOrder::as_str));
        self.paging.write(&mut q);
        Ok(WireRequest::get(
            Self::OPERATION,
            challenges(&self.service, &self.identity)?.finish(),
            q,
        ))
    }
}

/// `GET …/Entities/{Identity}/Challenges/{Sid}`: fetches one challenge, to see whether the
/// user approved it.
///
/// ```no_run
/// # async fn run(client: &twilio_verify::Client, service: &twilio_verify::ServiceSid, sid: &twilio_verify::sid::ChallengeSid) -> twilio_verify::Result<()> {
/// use twilio_verify::verify::{ChallengeStatus, FetchChallenge};
///
/// let c = FetchChallenge::new(service, "ff483d1ff591898a9942916050d2ca3f", sid).send(client).await?;
/// if c.status == Some(ChallengeStatus::Approved) { /* log the user in */ }
/// # Ok(()) }
/// ```
#[derive(Debug, Clone, PartialEq)]
#[must_use = "a request does nothing until `.send(&client).await`"]
pub struct FetchChallenge {
    service: ServiceSid,
    identity: String,
    sid: ChallengeSid,
}

request!(FetchChallenge -> Challenge, "FetchChallenge");

impl FetchChallenge {
    /// A fetch of challenge `sid` (`YC…`) of the entity `identity`.
    pub fn new(
        service: impl Into<ServiceSid>,
        identity: impl Into<String>,
        sid: impl Into<ChallengeSid>,
    ) -> Self {
        Self {
            service: service.into(),
            identity: identity.into(),
            sid: sid.into(),
        }
    }

    fn wire(&self) -> Result<WireRequest, InvalidInput> {
        Ok(WireRequest::get(
            Self::OPERATION,
            challenge(&self.service, &self.identity, &self.sid)?.finish(),
            Params::new(),
        ))
    }
}

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
#[derive(Debug, Clone, PartialEq)]
#[must_use = "a request does nothing until `.send(&client).await`"]
pub struct UpdateChallenge {
    service: ServiceSid,
    identity: String,
    sid: ChallengeSid,
    auth_payload: Option<Secret>,
    metadata: BTreeMap<String, String>,
}

request!(UpdateChallenge -> Challenge, "UpdateChallenge");

impl UpdateChallenge {
    /// An update of challenge `sid` that sends nothing yet.
    pub fn new(
        service: impl Into<ServiceSid>,
        identity: impl Into<String>,
        sid: impl Into<ChallengeSid>,
    ) -> Self {
        Self {
            service: service.into(),
            identity: identity.into(),
            sid: sid.into(),
            auth_payload: None,
            metadata: BTreeMap::new(),
        }
    }

    /// `AuthPayload`: the TOTP code (3 to 8 characters), or the push SDK's signed payload.
    pub fn auth_payload(mut self, payload: impl Into<Secret>) -> Self {
        self.auth_payload = Some(payload.into());
        self
    }

    /// Adds one entry to `Metadata`: device information, an object of strings (up to 1024
    /// characters as JSON).
    pub fn metadata(mut self, key: impl Into<String>, value: impl Into<String>) -> Self {
        self.metadata.insert(key.into(), value.into());
        self
    }

    fn wire(&self) -> Result<WireRequest, InvalidInput> {
        if self.auth_payload.as_ref().is_some_and(Secret::is_empty) {
            return Err(InvalidInput::new("AuthPayload", "must not be empty"));
        }
        let mut form = Params::new();
        form.opt_str(
            "AuthPayload",
            self.auth_payload.as_ref().map(Secret::expose),
        );
        if !self.metadata.is_empty() {
            form.str(
                "Metadata",
                &string_object("Metadata", &self.metadata, 1024)?,
            );
        }
        Ok(WireRequest::post(
            Self::OPERATION,
            challenge(&self.service, &self.identity, &self.sid)?.finish(),
            form,
        ))
    }
}

/// `POST …/Challenges/{ChallengeSid}/Notifications`: pushes a pending challenge to the device
/// again.
///
/// ```no_run
/// # async fn run(client: &twilio_verify::Client, service: &twilio_verify::ServiceSid, sid: &twilio_verify::sid::ChallengeSid) -> twilio_verify::Result<()> {
/// use twilio_verify::verify::CreateNotification;
///
/// let n = CreateNotification::new(service, "ff483d1ff591898a9942916050d2ca3f", sid)
///     .ttl(120)
///     .send(client)
///     .await?;
/// println!("{:?}", n.priority);
/// # Ok(()) }
/// ```
#[derive(Debug, Clone, PartialEq)]
#[must_use = "a request does nothing until `.send(&client).await`"]
pub struct CreateNotification {
    service: ServiceSid,
    identity: String,
    challenge: ChallengeSid,
    ttl: Option<u32>,
}

request!(CreateNotification -> Notification, "CreateNotification");

impl CreateNotification {
    /// A new notification for challenge `challenge` of the entity `identity`.
    pub fn new(
        service: impl Into<ServiceSid>,
        identity: impl Into<String>,
        challenge: impl Into<ChallengeSid>,
    ) -> Self {
        Self {
            service: service.into(),
            identity: identity.into(),
            challenge: challenge.into(),
            ttl: None,
        }
    }

    /// `Ttl`: seconds delivery is attempted for, 0 to 300 (default 300).
    pub fn ttl(mut self, seconds: u32) -> Self {
        self.ttl = Some(seconds);
        self
    }

    fn wire(&self) -> Result<WireRequest, InvalidInput> {
        check_range("Ttl", self.ttl, 0..=300)?;
        let mut form = Params::new();
        form.opt_int("Ttl", self.ttl);
        let path = challenge(&self.service, &self.identity, &self.challenge)?.lit("Notifications");
        Ok(WireRequest::post(Self::OPERATION, path.finish(), form))
    }
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

/// A push notification sent for a challenge (`verify.v2.service.entity.challenge.notification`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct Notification {
    /// The notification's SID (`NT…`).
    pub sid: Option<NotificationSid>,
    /// The account.
    pub account_sid: Option<AccountSid>,
    /// The service.
    pub service_sid: Option<ServiceSid>,
    /// The entity.
    pub entity_sid: Option<EntitySid>,
    /// The entity's identity.
    pub identity: Option<String>,
    /// The challenge it was sent for.
    pub challenge_sid: Option<ChallengeSid>,
    /// The delivery priority (`high`).
    pub priority: Option<String>,
    /// Seconds delivery was attempted for.
    pub ttl: Option<i64>,
    /// When it was created.
    pub date_created: Option<Timestamp>,
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
        let sid: ChallengeSid = "YCaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa".parse().expect("yc");
        assert!(
            CreateNotification::new(va(), ID, &sid)
                .ttl(301)
                .to_wire()
                .is_err()
        );
        assert_eq!(
            CreateNotification::new(va(), ID, sid)
                .ttl(0)
                .to_wire()
                .expect("ok")
                .body(),
            Some("Ttl=0")
        );
    }
}
