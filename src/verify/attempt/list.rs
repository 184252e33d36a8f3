//! `ListVerificationAttempts`: the account's delivery attempts, filtered, page by page.

use serde::Serialize;

use super::{ConversionStatus, Filters, VerificationAttempt, filter_setters};
use crate::macros::setters;
use crate::page::{Paging, list_request};
use crate::phone::PhoneNumber;
use crate::request::operation;
use crate::sid::VerificationSid;
use crate::wire::Path;

operation! {
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
    #[derive(Default)]
    ListVerificationAttempts -> crate::Page<VerificationAttempt>, "ListVerificationAttempt";
    /// All attempts, Twilio's default page size.
    pub fn new() with { filters: Filters, params: Narrowing, paging: Paging };
    get |r| Path::new("/v2/Attempts").finish(), {
        r.filters.check()?;
        let to = match &r.params.channel_data_to {
            Some(t) => Some(PhoneNumber::parse_field(t, "ChannelData.To")?),
            None => None,
        };
        if let Some(sid) = &r.params.verification_sid {
            sid.checked()?;
        }
        let own = Narrowed {
            channel_data_to: to,
            verification_sid: r.params.verification_sid.as_ref(),
            status: r.params.status.as_ref(),
        };
        r.paging.query(&(&r.filters, own))?
    };
}

/// The list's own filters, as set.
#[derive(Debug, Clone, Default, PartialEq)]
struct Narrowing {
    channel_data_to: Option<String>,
    verification_sid: Option<VerificationSid>,
    status: Option<ConversionStatus>,
}

/// The list's own filters, checked, in the order they are sent.
#[derive(Serialize)]
#[serde(rename_all = "PascalCase")]
struct Narrowed<'a> {
    #[serde(rename = "ChannelData.To")]
    channel_data_to: Option<PhoneNumber>,
    verification_sid: Option<&'a VerificationSid>,
    status: Option<&'a ConversionStatus>,
}

impl ListVerificationAttempts {
    filter_setters!();

    setters! {
        /// `ChannelData.To`: only attempts to this phone number (normalised to E.164).
        channel_data_to: into(String);
        /// `VerificationSid`: only attempts of this verification.
        verification_sid: into(VerificationSid);
        /// `Status`: converted or not.
        status: value(ConversionStatus);
    }

    list_request!(VerificationAttempt);
}
