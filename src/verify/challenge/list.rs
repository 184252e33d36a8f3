//! `ListChallenges`: an entity's challenges, filtered, page by page.

use serde::Serialize;

use super::{Challenge, ChallengeStatus, ListOrder, challenges};
use crate::macros::setters;
use crate::page::{Paging, list_request};
use crate::request::operation;
use crate::sid::{FactorSid, ServiceSid};

operation! {
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
    ListChallenges -> crate::Page<Challenge>, "ListChallenge";
    /// The challenges of the entity `identity`.
    pub fn new(service: ServiceSid, identity: String) with { params: Filters, paging: Paging };
    get |r| challenges(&r.service, &r.identity)?.finish(), {
        if let Some(f) = &r.params.factor_sid {
            f.checked()?;
        }
        r.paging.query(&r.params)?
    };
}

/// The filters, in the order they are sent.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
#[serde(rename_all = "PascalCase")]
struct Filters {
    factor_sid: Option<FactorSid>,
    status: Option<ChallengeStatus>,
    order: Option<ListOrder>,
}

impl ListChallenges {
    setters! {
        /// `FactorSid`: only this factor's challenges.
        factor_sid: into(FactorSid);
        /// `Status`: only challenges in this state.
        status: value(ChallengeStatus);
        /// `Order`: by creation date, ascending or descending.
        order: value(ListOrder);
    }

    list_request!(Challenge);
}
