//! Messaging configurations (`…/MessagingConfigurations`): which Messaging Service sends a
//! service's SMS to each country (`all` for every country without its own).

use serde::{Deserialize, Serialize};

use crate::error::InvalidInput;
use crate::page::{Listed, Paging, list_request};
use crate::request::{Request, request};
use crate::sid::{AccountSid, MessagingServiceSid, ServiceSid};
use crate::timestamp::Timestamp;
use crate::wire::{Params, Path, WireRequest};

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

/// `POST …/MessagingConfigurations`: sends a country's SMS through a Messaging Service.
///
/// ```no_run
/// # async fn run(client: &twilio_verify::Client, service: &twilio_verify::ServiceSid, mg: &twilio_verify::sid::MessagingServiceSid) -> twilio_verify::Result<()> {
/// use twilio_verify::verify::CreateMessagingConfiguration;
///
/// CreateMessagingConfiguration::new(service, "CA", mg).send(client).await?;
/// # Ok(()) }
/// ```
#[derive(Debug, Clone, PartialEq)]
#[must_use = "a request does nothing until `.send(&client).await`"]
pub struct CreateMessagingConfiguration {
    service: ServiceSid,
    country: String,
    messaging_service: MessagingServiceSid,
}

request!(CreateMessagingConfiguration -> MessagingConfiguration, "CreateMessagingConfiguration");

impl CreateMessagingConfiguration {
    /// Routes `country` (`Country`: ISO alpha-2, or `all`) through `messaging_service`
    /// (`MessagingServiceSid`).
    pub fn new(
        service: impl Into<ServiceSid>,
        country: impl Into<String>,
        messaging_service: impl Into<MessagingServiceSid>,
    ) -> Self {
        Self {
            service: service.into(),
            country: country.into(),
            messaging_service: messaging_service.into(),
        }
    }

    fn wire(&self) -> Result<WireRequest, InvalidInput> {
        let mut form = Params::new();
        form.str("Country", &country(&self.country)?)
            .str("MessagingServiceSid", self.messaging_service.checked()?);
        let path = configurations(&self.service)?.finish();
        Ok(WireRequest::post(Self::OPERATION, path, form))
    }
}

/// `GET …/MessagingConfigurations`: lists a service's per-country configurations.
///
/// ```no_run
/// # async fn run(client: &twilio_verify::Client, service: &twilio_verify::ServiceSid) -> twilio_verify::Result<()> {
/// use twilio_verify::verify::ListMessagingConfigurations;
///
/// for c in ListMessagingConfigurations::new(service).all(client).await? {
///     println!("{:?} -> {:?}", c.country, c.messaging_service_sid);
/// }
/// # Ok(()) }
/// ```
#[derive(Debug, Clone, PartialEq)]
#[must_use = "a request does nothing until `.send(&client).await`"]
pub struct ListMessagingConfigurations {
    service: ServiceSid,
    paging: Paging,
}

request!(ListMessagingConfigurations -> crate::Page<MessagingConfiguration>, "ListMessagingConfiguration");

impl ListMessagingConfigurations {
    /// The configurations of `service`.
    pub fn new(service: impl Into<ServiceSid>) -> Self {
        Self {
            service: service.into(),
            paging: Paging::default(),
        }
    }

    list_request!(MessagingConfiguration);

    fn wire(&self) -> Result<WireRequest, InvalidInput> {
        self.paging.check()?;
        let mut q = Params::new();
        self.paging.write(&mut q);
        let path = configurations(&self.service)?.finish();
        Ok(WireRequest::get(Self::OPERATION, path, q))
    }
}

/// `GET …/MessagingConfigurations/{Country}`: fetches one country's configuration.
///
/// ```no_run
/// # async fn run(client: &twilio_verify::Client, service: &twilio_verify::ServiceSid) -> twilio_verify::Result<()> {
/// use twilio_verify::verify::FetchMessagingConfiguration;
///
/// let c = FetchMessagingConfiguration::new(service, "all").send(client).await?;
/// println!("{:?}", c.messaging_service_sid);
/// # Ok(()) }
/// ```
#[derive(Debug, Clone, PartialEq)]
#[must_use = "a request does nothing until `.send(&client).await`"]
pub struct FetchMessagingConfiguration {
    service: ServiceSid,
    country: String,
}

request!(FetchMessagingConfiguration -> MessagingConfiguration, "FetchMessagingConfiguration");

impl FetchMessagingConfiguration {
    /// A fetch of `country`'s configuration (ISO alpha-2, or `all`).
    pub fn new(service: impl Into<ServiceSid>, country: impl Into<String>) -> Self {
        Self {
            service: service.into(),
            country: country.into(),
        }
    }

    fn wire(&self) -> Result<WireRequest, InvalidInput> {
        let path = configuration(&self.service, &self.country)?.finish();
        Ok(WireRequest::get(Self::OPERATION, path, Params::new()))
    }
}

/// `POST …/MessagingConfigurations/{Country}`: routes a country through another Messaging
/// Service.
///
/// ```no_run
/// # async fn run(client: &twilio_verify::Client, service: &twilio_verify::ServiceSid, mg: &twilio_verify::sid::MessagingServiceSid) -> twilio_verify::Result<()> {
/// use twilio_verify::verify::UpdateMessagingConfiguration;
///
/// UpdateMessagingConfiguration::new(service, "CA", mg).send(client).await?;
/// # Ok(()) }
/// ```
#[derive(Debug, Clone, PartialEq)]
#[must_use = "a request does nothing until `.send(&client).await`"]
pub struct UpdateMessagingConfiguration {
    service: ServiceSid,
    country: String,
    messaging_service: MessagingServiceSid,
}

request!(UpdateMessagingConfiguration -> MessagingConfiguration, "UpdateMessagingConfiguration");

impl UpdateMessagingConfiguration {
    /// Routes `country` through `messaging_service` (`MessagingServiceSid`).
    pub fn new(
        service: impl Into<ServiceSid>,
        country: impl Into<String>,
        messaging_service: impl Into<MessagingServiceSid>,
    ) -> Self {
        Self {
            service: service.into(),
            country: country.into(),
            messaging_service: messaging_service.into(),
        }
    }

    fn wire(&self) -> Result<WireRequest, InvalidInput> {
        let mut form = Params::new();
        form.str("MessagingServiceSid", self.messaging_service.checked()?);
        let path = configuration(&self.service, &self.country)?.finish();
        Ok(WireRequest::post(Self::OPERATION, path, form))
    }
}

/// `DELETE …/MessagingConfigurations/{Country}`: removes a country's configuration.
///
/// ```no_run
/// # async fn run(client: &twilio_verify::Client, service: &twilio_verify::ServiceSid) -> twilio_verify::Result<()> {
/// use twilio_verify::verify::DeleteMessagingConfiguration;
///
/// DeleteMessagingConfiguration::new(service, "CA").send(client).await?;
/// # Ok(()) }
/// ```
#[derive(Debug, Clone, PartialEq)]
#[must_use = "a request does nothing until `.send(&client).await`"]
pub struct DeleteMessagingConfiguration {
    service: ServiceSid,
    country: String,
}

request!(DeleteMessagingConfiguration -> (), "DeleteMessagingConfiguration");

impl DeleteMessagingConfiguration {
    /// A deletion of `country`'s configuration.
    pub fn new(service: impl Into<ServiceSid>, country: impl Into<String>) -> Self {
        Self {
            service: service.into(),
            country: country.into(),
        }
    }

    fn wire(&self) -> Result<WireRequest, InvalidInput> {
        let path = configuration(&self.service, &self.country)?.finish();
        Ok(WireRequest::delete(Self::OPERATION, path))
    }
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
