//! Verification attempts (`/v2/Attempts`): every delivery attempt of the account, whether it
//! converted, what it cost. Account-level, not under a service.

mod fetch;
mod list;
mod summary;

pub use fetch::FetchVerificationAttempt;
pub use list::ListVerificationAttempts;
pub use summary::FetchVerificationAttemptsSummary;

use serde::{Deserialize, Serialize};

use crate::error::InvalidInput;
use crate::macros::open_enum;
use crate::page::Listed;
use crate::phone::Recipient;
use crate::sid::{AccountSid, AttemptSid, ServiceSid, VerificationSid};
use crate::timestamp::Timestamp;

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

/// The filters shared by the list and the summary, in the order they are sent.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
#[serde(rename_all = "PascalCase")]
struct Filters {
    date_created_after: Option<Timestamp>,
    date_created_before: Option<Timestamp>,
    #[serde(serialize_with = "upper_case")]
    country: Option<String>,
    channel: Option<AttemptChannel>,
    verify_service_sid: Option<ServiceSid>,
}

/// A country code as Twilio spells it (`co` is sent as `CO`).
fn upper_case<S: serde::Serializer>(v: &Option<String>, s: S) -> Result<S::Ok, S::Error> {
    match v {
        Some(c) => s.serialize_str(&c.to_ascii_uppercase()),
        None => s.serialize_none(),
    }
}

impl Filters {
    fn check(&self) -> Result<(), InvalidInput> {
        let bad_country = |c: &String| c.len() != 2 || !c.bytes().all(|b| b.is_ascii_alphabetic());
        if self.country.as_ref().is_some_and(bad_country) {
            return Err(InvalidInput::new(
                "Country",
                "expected an ISO 3166-1 alpha-2 code such as `US`",
            ));
        }
        if let Some(s) = &self.verify_service_sid {
            s.checked()?;
        }
        Ok(())
    }
}

/// The filter setters shared by the list and the summary.
macro_rules! filter_setters {
    () => {
        crate::macros::setters! {
            in filters;
            /// `DateCreatedAfter`: attempts created after this time.
            date_created_after: value($crate::Timestamp);
            /// `DateCreatedBefore`: attempts created before this time.
            date_created_before: value($crate::Timestamp);
            /// `Country`: the destination country (ISO 3166-1 alpha-2, `US`).
            country: into(String);
            /// `Channel`: only attempts over this channel.
            channel: value($crate::verify::AttemptChannel);
            /// `VerifyServiceSid`: only attempts of this service.
            verify_service_sid: into($crate::ServiceSid);
        }
    };
}

use filter_setters;

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
    #[serde(default, deserialize_with = "crate::de::OrNone::deserialize")]
    pub price: Option<Price>,
    /// Channel-specific details (destination, delivery status, carrier).
    #[serde(default, deserialize_with = "crate::de::OrNone::deserialize")]
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
