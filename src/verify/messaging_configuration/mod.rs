//! Messaging configurations (`…/MessagingConfigurations`): which Messaging Service sends a
//! service's SMS to each country (`all` for every country without its own).

mod create;
mod delete;
mod fetch;
mod list;
mod update;

pub use create::CreateMessagingConfiguration;
pub use delete::DeleteMessagingConfiguration;
pub use fetch::FetchMessagingConfiguration;
pub use list::ListMessagingConfigurations;
pub use update::UpdateMessagingConfiguration;

use serde::{Deserialize, Serialize};

use crate::error::InvalidInput;
use crate::page::Listed;
use crate::sid::{AccountSid, MessagingServiceSid, ServiceSid};
use crate::timestamp::Timestamp;
use crate::wire::Path;

fn configurations(service: &ServiceSid) -> Result<Path, InvalidInput> {
    Ok(Path::new("/v2/Services")
        .seg(service.checked()?)
        .lit("MessagingConfigurations"))
}

fn configuration(service: &ServiceSid, code: &str) -> Result<Path, InvalidInput> {
    Ok(configurations(service)?.seg(&country(code)?))
}

/// `US` (upper-cased from any case) or `all`.
fn country(value: &str) -> Result<String, InvalidInput> {
    if value.eq_ignore_ascii_case("all") {
        return Ok("all".to_owned());
    }
    if value.len() == 2 && value.bytes().all(|b| b.is_ascii_alphabetic()) {
        return Ok(value.to_ascii_uppercase());
    }
    Err(InvalidInput::new(
        "Country",
        "expected an ISO 3166-1 alpha-2 code such as `US`, or `all`",
    ))
}

/// A per-country messaging configuration (`verify.v2.service.messaging_configuration`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct MessagingConfiguration {
    /// The account.
    pub account_sid: Option<AccountSid>,
    /// The service.
    pub service_sid: Option<ServiceSid>,
    /// The country (ISO alpha-2) or `all`.
    pub country: Option<String>,
    /// The Messaging Service that sends its SMS.
    pub messaging_service_sid: Option<MessagingServiceSid>,
    /// When it was created.
    pub date_created: Option<Timestamp>,
    /// When it was last updated.
    pub date_updated: Option<Timestamp>,
    /// Its URL.
    pub url: Option<String>,
}

impl Listed for MessagingConfiguration {
    const KEY: &'static str = "messaging_configurations";
}

#[cfg(test)]
mod tests {
    use super::*;

    fn va() -> ServiceSid {
        ServiceSid::parse("VAaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa").expect("va")
    }
    fn mg() -> MessagingServiceSid {
        MessagingServiceSid::parse("MGaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa").expect("mg")
    }

    #[test]
    fn wire_forms_and_countries() {
        let c = CreateMessagingConfiguration::new(va(), "ca", mg())
            .to_wire()
            .expect("valid");
        assert_eq!(
            c.body(),
            Some("Country=CA&MessagingServiceSid=MGaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa")
        );
        let u = UpdateMessagingConfiguration::new(va(), "ALL", mg())
            .to_wire()
            .expect("valid");
        assert!(u.path().ends_with("/MessagingConfigurations/all"));
        let bad = FetchMessagingConfiguration::new(va(), "Canada")
            .to_wire()
            .expect_err("country");
        assert_eq!(bad.field(), "Country");
    }
}
