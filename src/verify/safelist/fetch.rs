//! `FetchSafelist`: whether a number is on the safe list.

use super::{SafelistNumber, number_path};
use crate::request::operation;

operation! {
    /// `GET /v2/SafeList/Numbers/{PhoneNumber}`: whether a number is on the safe list (404 if
    /// not).
    ///
    /// ```no_run
    /// # async fn run(client: &twilio_verify::Client) -> twilio_verify::Result<()> {
    /// use twilio_verify::verify::FetchSafelist;
    ///
    /// match FetchSafelist::new("+15017122661").send(client).await {
    ///     Ok(_) => println!("on the safe list"),
    ///     Err(e) if e.is_not_found() => println!("not on the safe list"),
    ///     Err(e) => return Err(e),
    /// }
    /// # Ok(()) }
    /// ```
    FetchSafelist -> SafelistNumber, "FetchSafelist";
    /// Looks up `phone_number` (normalised to E.164).
    pub fn new(phone_number: String);
    get |r| number_path(&r.phone_number)?;
}
