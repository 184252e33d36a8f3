//! `CreateSafelist`: puts a number on the safe list.

use super::SafelistNumber;
use crate::phone::PhoneNumber;
use crate::request::operation;
use crate::wire::{Params, Path};

operation! {
    /// `POST /v2/SafeList/Numbers`: adds a number to the safe list.
    ///
    /// ```no_run
    /// # async fn run(client: &twilio_verify::Client) -> twilio_verify::Result<()> {
    /// use twilio_verify::verify::CreateSafelist;
    ///
    /// let entry = CreateSafelist::new("+1 501 712 2661").send(client).await?;
    /// println!("safe-listed as {:?}", entry.sid);
    /// # Ok(()) }
    /// ```
    CreateSafelist -> SafelistNumber, "CreateSafelist";
    /// Adds `phone_number` (`PhoneNumber`; normalised to E.164).
    pub fn new(phone_number: String);
    post |r| Path::new("/v2/SafeList").lit("Numbers").finish(), {
        let phone = PhoneNumber::parse_field(&r.phone_number, "PhoneNumber")?;
        let mut form = Params::new();
        form.str("PhoneNumber", phone.as_str());
        form
    };
}
