//! `FetchAccessToken`: one access token, by SID.

use super::{AccessToken, tokens};
use crate::request::operation;
use crate::sid::{AccessTokenSid, ServiceSid};

operation! {
    /// `GET …/AccessTokens/{Sid}`: fetches an access token.
    ///
    /// ```no_run
    /// # async fn run(client: &twilio_verify::Client, service: &twilio_verify::ServiceSid, sid: &twilio_verify::sid::AccessTokenSid) -> twilio_verify::Result<()> {
    /// use twilio_verify::verify::FetchAccessToken;
    ///
    /// let t = FetchAccessToken::new(service, sid).send(client).await?;
    /// println!("{:?} {:?}", t.entity_identity, t.ttl);
    /// # Ok(()) }
    /// ```
    FetchAccessToken -> AccessToken, "FetchAccessToken";
    /// A fetch of access token `sid` (`YK…`).
    pub fn new(service: ServiceSid, sid: AccessTokenSid);
    get |r| tokens(&r.service)?.seg(r.sid.checked()?).finish();
}
