//! `FetchChallenge`: one challenge, by SID.

use super::{Challenge, challenge};
use crate::request::operation;
use crate::sid::{ChallengeSid, ServiceSid};

operation! {
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
    FetchChallenge -> Challenge, "FetchChallenge";
    /// A fetch of challenge `sid` (`YC…`) of the entity `identity`.
    pub fn new(service: ServiceSid, identity: String, sid: ChallengeSid);
    get |r| challenge(&r.service, &r.identity, &r.sid)?.finish();
}
