//! Verification attempts (`/v2/Attempts`): every delivery attempt of the account, whether it
//! converted, what it cost. Account-level, not under a service.

use serde::{Deserialize, Serialize};

use crate::error::InvalidInput;
use crate::macros::open_enum;
use crate::page::{Listed, Paging, list_request};
use crate::phone::{PhoneNumber, Recipient};
use crate::request::{Request, request};
use crate::sid::{AccountSid, AttemptSid, ServiceSid, VerificationSid};
use crate::timestamp::Timestamp;
use crate::wire::{Params, Path, WireRequest};

open_enum! {
    /// The channel of an attempt.
    pub enum AttemptChannel {
        /// SMS.
        Sms = "sms",
        /// Voice call.
        Call = "call",
        /// E-mail.
        Email = "email",
        /// WhatsApp.
        Whatsapp = "whatsapp",
        /// RCS business messaging.
        Rbm = "rbm",
    }
}

open_enum! {
    /// Whether an attempt led to an approved verification.
    pub enum ConversionStatus {
        /// The verification was approved.
        Converted = "converted",
        /// It was not (yet).
        Unconverted = "unconverted",
    }
}

/// Filters shared by the attempts list and summary.
#[derive(Debug, Clone, Default, PartialEq)]
struct Filters {
    date_created_after: Option<Timestamp>,
    date_created_before: Option<Timestamp>,
    country: Option<String>,
    channel: Option<AttemptChannel>,
    verify_service_sid: Option<ServiceSid>,
}

impl Filters {
    fn write(&self, q: &mut Params) -> Result<(), InvalidInput> {
        let bad_country = |c: &String| c.len() != 2 || !c.bytes().all(|b| b.is_ascii_alphabetic());
        if self.country.as_ref().is_some_and(bad_country) {
            return Err(InvalidInput::new(
                "Country",
                "expected an ISO 3166-1 alpha-2 code such as `US`",
            ));
        }
        let after = self.date_created_after.map(|t| t.to_rfc3339());
        let before = self.date_created_before.map(|t| t.to_rfc3339());
        let service = match &self.verify_service_sid {
            Some(s) => Some(s.checked()?),
            None => None,
        };
        q.opt_str("DateCreatedAfter", after.as_deref())
            .opt_str("DateCreatedBefore", before.as_deref())
            .opt_str(
                "Country",
                self.country
                    .as_ref()
                    .map(|c| c.to_ascii_uppercase())
                    .as_deref(),
            )
            .opt_str("Channel", self.channel.as_ref().map(AttemptChannel::as_str))
            .opt_str("VerifyServiceSid", service);
        Ok(())
    }
}

/// The filter setters shared by [`ListVerificationAttempts`] and
/// [`FetchVerificationAttemptsSummary`].
macro_rules! filter_setters {
    () => {
        /// `DateCreatedAfter`: attempts created after this time.
        pub fn date_created_after(mut self, time: Timestamp) -> Self {
            self.filters.date_created_after = Some(time);
            self
        }

        /// `DateCreatedBefore`: attempts created before this time.
        pub fn date_created_before(mut self, time: Timestamp) -> Self {
            self.filters.date_created_before = Some(time);
            self
        }

        /// `Country`: the destination country (ISO 3166-1 alpha-2, `US`).
        pub fn country(mut self, country: impl Into<String>) -> Self {
            self.filters.country = Some(country.into());
            self
        }

        /// `Channel`: only attempts over this channel.
        pub fn channel(mut self, channel: AttemptChannel) -> Self {
            self.filters.channel = Some(channel);
            self
        }

        /// `VerifyServiceSid`: only attempts of this service.
        pub fn verify_service_sid(mut self, sid: impl Into<ServiceSid>) -> Self {
            self.filters.verify_service_sid = Some(sid.into());
            self
        }
    };
}

/// `GET /v2/Attempts`: lists verification attempts, newest first, with filters.
///
/// ```no_run
/// # async fn run(client: &twilio_verify::Client) -> twilio_verify::Result<()> {
/// use twilio_verify::verify::{AttemptChannel, ConversionStatus, ListVerificationAttempts};
///
/// let unconverted = ListVerificationAttempts::new()
///     .channel(AttemptChannel::Sms)
///     .status(ConversionStatus::Unconverted)
///     .country("US")
///     .limit(200)
///     .all(client)
///     .await?;
/// println!("{} SMS attempts did not convert", unconverted.len());
/// # Ok(()) }
/// ```
#[derive(Debug, Clone, Default, PartialEq)]
#[must_use = "a request does nothing until `.send(&client).await`"]
pub struct ListVerificationAttempts {
    filters: Filters,
    channel_data_to: Option<String>,
    verification_sid: Option<VerificationSid>,
    status: Option<ConversionStatus>,
    paging: Paging,
}

request!(ListVerificationAttempts -> crate::Page<VerificationAttempt>, "ListVerificationAttempt");

impl ListVerificationAttempts {
    /// All attempts, Twilio's default page size.
    pub fn new() -> Self {
        Self::default()
    }

    filter_setters!();

    /// `ChannelData.To`: only attempts to this phone number (normalised to E.164).
    pub fn channel_data_to(mut self, to: impl Into<String>) -> Self {
        self.channel_data_to = Some(to.into());
        self
    }

    /// `VerificationSid`: only attempts of this verification.
    pub fn verification_sid(mut self, sid: impl Into<VerificationSid>) -> Self {
        self.verification_sid = Some(sid.into());
        self
    }

    /// `Status`: converted or not.
    pub fn status(mut self, status: ConversionStatus) -> Self {
        self.status = Some(status);
        self
    }

    list_request!(VerificationAttempt);

    fn wire(&self) -> Result<WireRequest, InvalidInput> {
        self.paging.check()?;
        let mut q = Params::new();
        self.filters.write(&mut q)?;
        let to = match &self.channel_data_to {
            Some(t) => Some(PhoneNumber::parse_field(t, "ChannelData.To")?),
            None => None,
        };
        let verification = match &self.verification_sid {
            Some(s) => Some(s.checked()?),
            None => None,
        };
        q.opt_str("ChannelData.To", to.as_ref().map(PhoneNumber::as_str))
            .opt_str("VerificationSid", verification)
            .opt_str("Status", self.status.as_ref().map(ConversionStatus::as_str));
        self.paging.write(&mut q);
        Ok(WireRequest::get(
            Self::OPERATION,
            Path::new("/v2/Attempts").finish(),
            q,
        ))
    }
}

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
#[derive(Debug, Clone, PartialEq)]
#[must_use = "a request does nothing until `.send(&client).await`"]
pub struct FetchVerificationAttempt {
    sid: AttemptSid,
}

request!(FetchVerificationAttempt -> VerificationAttempt, "FetchVerificationAttempt");

impl FetchVerificationAttempt {
    /// A fetch of attempt `sid` (`VL…`).
    pub fn new(sid: impl Into<AttemptSid>) -> Self {
        Self { sid: sid.into() }
    }

    fn wire(&self) -> Result<WireRequest, InvalidInput> {
        let path = Path::new("/v2/Attempts").seg(self.sid.checked()?).finish();
        Ok(WireRequest::get(Self::OPERATION, path, Params::new()))
    }
}

/// `GET /v2/Attempts/Summary`: totals and conversion rate over the filtered attempts.
///
/// ```no_run
/// # async fn run(client: &twilio_verify::Client) -> twilio_verify::Result<()> {
/// use twilio_verify::verify::FetchVerificationAttemptsSummary;
///
/// let s = FetchVerificationAttemptsSummary::new().country("CO").send(client).await?;
/// println!("{} of {} converted", s.total_converted, s.total_attempts);
/// # Ok(()) }
/// ```
#[derive(Debug, Clone, Default, PartialEq)]
#[must_use = "a request does nothing until `.send(&client).await`"]
pub struct FetchVerificationAttemptsSummary {
    filters: Filters,
    destination_prefix: Option<String>,
}

request!(FetchVerificationAttemptsSummary -> VerificationAttemptsSummary, "FetchVerificationAttemptsSummary");

impl FetchVerificationAttemptsSummary {
    /// A summary over all attempts.
    pub fn new() -> Self {
        Self::default()
    }

    filter_setters!();

    /// `DestinationPrefix`: only numbers starting with this E.164 prefix (`+57305`).
    pub fn destination_prefix(mut self, prefix: impl Into<String>) -> Self {
        self.destination_prefix = Some(prefix.into());
        self
    }

    fn wire(&self) -> Result<WireRequest, InvalidInput> {
        let mut q = Params::new();
        self.filters.write(&mut q)?;
        if let Some(p) = &self.destination_prefix {
            let ok =
                p.len() > 1 && p.starts_with('+') && p[1..].bytes().all(|b| b.is_ascii_digit());
            if !ok {
                return Err(InvalidInput::new(
                    "DestinationPrefix",
                    "expected `+` and digits, such as `+57305`",
                ));
            }
        }
        q.opt_str("DestinationPrefix", self.destination_prefix.as_deref());
        let path = Path::new("/v2/Attempts").lit("Summary").finish();
        Ok(WireRequest::get(Self::OPERATION, path, q))
    }
}

/// One delivery attempt (`verify.v2.verification_attempt`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct VerificationAttempt {
    /// The attempt's SID (`VL…`).
    pub sid: Option<AttemptSid>,
    /// The account.
    pub account_sid: Option<AccountSid>,
    /// The service.
    pub service_sid: Option<ServiceSid>,
    /// The verification it belongs to.
    pub verification_sid: Option<VerificationSid>,
    /// When it was made.
    pub date_created: Option<Timestamp>,
    /// When it was last updated.
    pub date_updated: Option<Timestamp>,
    /// Whether it converted.
    pub conversion_status: Option<ConversionStatus>,
    /// The channel.
    pub channel: Option<AttemptChannel>,
    /// What it cost.
    #[serde(default, deserialize_with = "crate::de::lenient_struct")]
    pub price: Option<Price>,
    /// Channel-specific details (destination, delivery status, carrier).
    #[serde(default, deserialize_with = "crate::de::lenient_struct")]
    pub channel_data: Option<ChannelData>,
    /// The attempt's URL.
    pub url: Option<String>,
}

impl Listed for VerificationAttempt {
    const KEY: &'static str = "attempts";
}

/// The price of an attempt.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct Price {
    /// The amount, as Twilio writes it (`"0.005"`).
    #[serde(default, deserialize_with = "crate::de::lenient_string")]
    pub value: Option<String>,
    /// The currency (`usd`).
    #[serde(default, deserialize_with = "crate::de::lenient_string")]
    pub currency: Option<String>,
}

/// Channel-specific details of an attempt. Values keep the text Twilio sent.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct ChannelData {
    /// The verification.
    #[serde(default, deserialize_with = "crate::de::lenient_string")]
    pub verification_sid: Option<String>,
    /// The destination.
    #[serde(default, deserialize_with = "crate::phone::lenient_recipient")]
    pub to: Option<Recipient>,
    /// The attempt's status (`confirmed`, `unconfirmed`, `expired`).
    #[serde(default, deserialize_with = "crate::de::lenient_string")]
    pub status: Option<String>,
    /// The message's delivery status (`delivered`, `undelivered`…).
    #[serde(default, deserialize_with = "crate::de::lenient_string")]
    pub message_status: Option<String>,
    /// The delivery error code, if any (`"30008"`).
    #[serde(default, deserialize_with = "crate::de::lenient_string")]
    pub error_code: Option<String>,
    /// The destination country.
    #[serde(default, deserialize_with = "crate::de::lenient_string")]
    pub country: Option<String>,
    /// The code length.
    #[serde(default, deserialize_with = "crate::de::lenient_string")]
    pub code_length: Option<String>,
    /// The message locale.
    #[serde(default, deserialize_with = "crate::de::lenient_string")]
    pub locale: Option<String>,
    /// Mobile country code.
    #[serde(default, deserialize_with = "crate::de::lenient_string")]
    pub mcc: Option<String>,
    /// Mobile network code.
    #[serde(default, deserialize_with = "crate::de::lenient_string")]
    pub mnc: Option<String>,
    /// The carrier.
    #[serde(default, deserialize_with = "crate::de::lenient_string")]
    pub carrier: Option<String>,
}

/// Totals over attempts (`verify.v2.verification_attempts_summary`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct VerificationAttemptsSummary {
    /// Attempts in all.
    #[serde(default)]
    pub total_attempts: i64,
    /// Attempts that converted.
    #[serde(default)]
    pub total_converted: i64,
    /// Attempts that did not.
    #[serde(default)]
    pub total_unconverted: i64,
    /// The conversion rate in percent, as Twilio writes it (`"81.818181818"`).
    #[serde(default, deserialize_with = "crate::de::lenient_string")]
    pub conversion_rate_percentage: Option<String>,
    /// The summary's URL.
    pub url: Option<String>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn list_sends_every_filter() {
        let t = Timestamp::parse("2024-01-15T10:30:00Z").expect("time");
        let req = ListVerificationAttempts::new()
            .date_created_after(t)
            .date_created_before(t)
            .channel_data_to("+1 501 712 2661")
            .country("co")
            .channel(AttemptChannel::Sms)
            .verify_service_sid(
                ServiceSid::parse("VAaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa").expect("va"),
            )
            .verification_sid(
                VerificationSid::parse("VEaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa").expect("ve"),
            )
            .status(ConversionStatus::Unconverted)
            .page_size(20)
            .to_wire()
            .expect("valid");
        assert_eq!(req.path(), "/v2/Attempts");
        assert_eq!(
            req.query(),
            "DateCreatedAfter=2024-01-15T10%3A30%3A00Z&DateCreatedBefore=2024-01-15T10%3A30%3A00Z\
             &Country=CO&Channel=sms&VerifyServiceSid=VAaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\
             &ChannelData.To=%2B15017122661&VerificationSid=VEaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\
             &Status=unconverted&PageSize=20"
        );
        assert_eq!(
            ListVerificationAttempts::new()
                .country("Colombia")
                .to_wire()
                .expect_err("country")
                .field(),
            "Country"
        );
    }

    #[test]
    fn summary_routes_before_the_sid() {
        let s = FetchVerificationAttemptsSummary::new()
            .destination_prefix("+57305")
            .to_wire()
            .expect("valid");
        assert_eq!(s.path(), "/v2/Attempts/Summary");
        assert_eq!(s.query(), "DestinationPrefix=%2B57305");
        assert!(
            FetchVerificationAttemptsSummary::new()
                .destination_prefix("57")
                .to_wire()
                .is_err()
        );
    }

    #[test]
    fn channel_data_hides_the_number_in_debug() {
        let a: VerificationAttempt = serde_json::from_value(serde_json::json!({
            "sid": "VLaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", "conversion_status": "unconverted", "channel": "sms",
            "price": {"value": "0.005", "currency": "usd"},
            "channel_data": {"to": "+573003003030", "error_code": "30008", "code_length": 6, "status": "unconfirmed"}
        }))
        .expect("decode");
        assert_eq!(
            a.price.as_ref().and_then(|p| p.value.as_deref()),
            Some("0.005")
        );
        let cd = a.channel_data.as_ref().expect("channel data");
        assert_eq!(cd.code_length.as_deref(), Some("6"));
        assert!(!format!("{a:?}").contains("573003003030"));
    }
}
