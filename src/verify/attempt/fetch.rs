//! `FetchVerificationAttempt`: one delivery attempt, by SID.

use super::VerificationAttempt;
use crate::request::operation;
use crate::sid::AttemptSid;
use crate::wire::Path;

operation! {
    /// `GET /v2/Attempts/{Sid}`: fetches one attempt.
    ///
    /// ```no_run
    /// # async fn run(client: &twilio_verify::Client) -> twilio_verify::Result<()> {
    /// use twilio_verify::verify::FetchVerificationAttempt;
    ///
    /// use twilio_verify::sid::AttemptSid;
    ///
    /// let sid: AttemptSid = "VLaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa".parse()?;
    /// let attempt = FetchVerificationAttempt::new(sid).send(client).await?;
    /// println!("{:?} cost {:?}", attempt.conversion_status, attempt.price);
    /// # Ok(()) }
    /// ```
    FetchVerificationAttempt -> VerificationAttempt, "FetchVerificationAttempt";
    /// A fetch of attempt `sid` (`VL…`).
    pub fn new(sid: AttemptSid);
    get |r| Path::new("/v2/Attempts").seg(r.sid.checked()?).finish();
}
