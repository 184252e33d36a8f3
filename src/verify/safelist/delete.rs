//! `DeleteSafelist`: takes a number off the safe list.

use super::number_path;
use crate::request::operation;

operation! {
    /// `DELETE /v2/SafeList/Numbers/{PhoneNumber}`: removes a number from the safe list.
    ///
    /// ```no_run
    /// # async fn run(client: &twilio_verify::Client) -> twilio_verify::Result<()> {
    /// use twilio_verify::verify::DeleteSafelist;
    ///
    /// DeleteSafelist::new("+15017122661").send(client).await?;
    /// # Ok(()) }
    /// ```
    DeleteSafelist -> (), "DeleteSafelist";
    /// Removes `phone_number` (normalised to E.164).
    pub fn new(phone_number: String);
    delete |r| number_path(&r.phone_number)?;
}
