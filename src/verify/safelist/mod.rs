//! The Fraud Guard safe list (`/v2/SafeList/Numbers`): numbers that Fraud Guard and geo
//! permissions never block. Account-level, not under a service.

mod create;
mod delete;
mod fetch;

pub use create::CreateSafelist;
pub use delete::DeleteSafelist;
pub use fetch::FetchSafelist;

use serde::{Deserialize, Serialize};

use crate::error::InvalidInput;
use crate::phone::{PhoneNumber, Recipient};
use crate::sid::SafelistSid;
use crate::wire::Path;

/// `/v2/SafeList/Numbers/{PhoneNumber}`, with the number checked and normalised.
fn number_path(phone_number: &str) -> Result<String, InvalidInput> {
    let phone = PhoneNumber::parse_field(phone_number, "PhoneNumber")?;
    Ok(Path::new("/v2/SafeList")
        .lit("Numbers")
        .seg(phone.as_str())
        .finish())
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
