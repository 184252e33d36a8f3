//! The Fraud Guard safe list (`/v2/SafeList/Numbers`): numbers that Fraud Guard and geo
//! permissions never block. Account-level, not under a service.

use serde::{Deserialize, Serialize};

use crate::error::InvalidInput;
use crate::phone::{PhoneNumber, Recipient};
use crate::request::{Request, request};
use crate::sid::SafelistSid;
use crate::wire::{Params, Path, WireRequest};

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
#[derive(Debug, Clone, PartialEq)]
#[must_use = "a request does nothing until `.send(&client).await`"]
pub struct CreateSafelist {
    phone_number: String,
}

request!(CreateSafelist -> SafelistNumber, "CreateSafelist");

impl CreateSafelist {
    /// Adds `phone_number` (`PhoneNumber`; normalised to E.164).
    pub fn new(phone_number: impl Into<String>) -> Self {
        Self {
            phone_number: phone_number.into(),
        }
    }

    fn wire(&self) -> Result<WireRequest, InvalidInput> {
        let phone = PhoneNumber::parse_field(&self.phone_number, "PhoneNumber")?;
        let mut form = Params::new();
        form.str("PhoneNumber", phone.as_str());
        let path = Path::new("/v2/SafeList").lit("Numbers").finish();
        Ok(WireRequest::post(Self::OPERATION, path, form))
    }
}

/// `GET /v2/SafeList/Numbers/{PhoneNumber}`: whether a number is on the safe list (404 if not).
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
#[derive(Debug, Clone, PartialEq)]
#[must_use = "a request does nothing until `.send(&client).await`"]
pub struct FetchSafelist {
    phone_number: String,
}

request!(FetchSafelist -> SafelistNumber, "FetchSafelist");

impl FetchSafelist {
    /// Looks up `phone_number` (normalised to E.164).
    pub fn new(phone_number: impl Into<String>) -> Self {
        Self {
            phone_number: phone_number.into(),
        }
    }

    fn wire(&self) -> Result<WireRequest, InvalidInput> {
        let phone = PhoneNumber::parse_field(&self.phone_number, "PhoneNumber")?;
        let path = Path::new("/v2/SafeList")
            .lit("Numbers")
            .seg(phone.as_str())
            .finish();
        Ok(WireRequest::get(Self::OPERATION, path, Params::new()))
    }
}

/// `DELETE /v2/SafeList/Numbers/{PhoneNumber}`: removes a number from the safe list.
///
/// ```no_run
/// # async fn run(client: &twilio_verify::Client) -> twilio_verify::Result<()> {
/// use twilio_verify::verify::DeleteSafelist;
///
/// DeleteSafelist::new("+15017122661").send(client).await?;
/// # Ok(()) }
/// ```
#[derive(Debug, Clone, PartialEq)]
#[must_use = "a request does nothing until `.send(&client).await`"]
pub struct DeleteSafelist {
    phone_number: String,
}

request!(DeleteSafelist -> (), "DeleteSafelist");

impl DeleteSafelist {
    /// Removes `phone_number` (normalised to E.164).
    pub fn new(phone_number: impl Into<String>) -> Self {
        Self {
            phone_number: phone_number.into(),
        }
    }

    fn wire(&self) -> Result<WireRequest, InvalidInput> {
        let phone = PhoneNumber::parse_field(&self.phone_number, "PhoneNumber")?;
        let path = Path::new("/v2/SafeList")
            .lit("Numbers")
            .seg(phone.as_str())
            .finish();
        Ok(WireRequest::delete(Self::OPERATION, path))
    }
}

/// A safe-listed number (`verify.v2.safelist`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct SafelistNumber {
    /// The entry's SID (`GN…`).
    pub sid: Option<SafelistSid>,
    /// The number.
    pub phone_number: Option<Recipient>,
    /// The entry's URL.
    pub url: Option<String>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wire_forms() {
        let add = CreateSafelist::new("+1 501 712 2661")
            .to_wire()
            .expect("valid");
        assert_eq!(add.path(), "/v2/SafeList/Numbers");
        assert_eq!(add.body(), Some("PhoneNumber=%2B15017122661"));
        let get = FetchSafelist::new("+15017122661").to_wire().expect("valid");
        assert_eq!(get.path(), "/v2/SafeList/Numbers/+15017122661");
        let del = DeleteSafelist::new("+15017122661")
            .to_wire()
            .expect("valid");
        assert_eq!(del.method(), "DELETE");
        let bad = CreateSafelist::new("5017122661")
            .to_wire()
            .expect_err("no +");
        assert_eq!(bad.field(), "PhoneNumber");
    }
}
