//! Push notifications of a challenge (`…/Challenges/{ChallengeSid}/Notifications`): sending a
//! challenge's push prompt again.

use serde::{Deserialize, Serialize};

use crate::macros::setters;
use crate::request::operation;
use crate::sid::{AccountSid, ChallengeSid, EntitySid, NotificationSid, ServiceSid};
use crate::timestamp::Timestamp;
use crate::verify::challenge::challenge;
use crate::verify::check_range;
use crate::wire::Params;

operation! {
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
    CreateNotification -> Notification, "CreateNotification";
    /// A new notification for challenge `challenge` of the entity `identity`.
    pub fn new(service: ServiceSid, identity: String, challenge: ChallengeSid) with { params: Delivery };
    post |r| {
        check_range("Ttl", r.params.ttl, 0..=300)?;
        challenge(&r.service, &r.identity, &r.challenge)?.lit("Notifications").finish()
    }, {
        let mut form = Params::new();
        form.fields(&r.params)?;
        form
    };
}

/// How long delivery is tried, as sent.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
#[serde(rename_all = "PascalCase")]
struct Delivery {
    ttl: Option<u32>,
}

impl CreateNotification {
    setters! {
        /// `Ttl`: seconds delivery is attempted for, 0 to 300 (default 300).
        ttl: value(u32);
    }
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

    #[test]
    fn the_ttl_is_checked_and_zero_is_sent() {
        let va: ServiceSid = "VAaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa".parse().expect("va");
        let sid: ChallengeSid = "YCaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa".parse().expect("yc");
        let id = "ff483d1ff591898a9942916050d2ca3f";
        assert!(
            CreateNotification::new(&va, id, &sid)
                .ttl(301)
                .to_wire()
                .is_err()
        );
        assert_eq!(
            CreateNotification::new(va, id, sid)
                .ttl(0)
                .to_wire()
                .expect("ok")
                .body(),
            Some("Ttl=0")
        );
    }
}
