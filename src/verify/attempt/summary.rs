//! `FetchVerificationAttemptsSummary`: totals and conversion rate over filtered attempts.

use serde::Serialize;

use super::{Filters, VerificationAttemptsSummary, filter_setters};
use crate::error::InvalidInput;
use crate::macros::setters;
use crate::request::operation;
use crate::wire::{Params, Path};

operation! {
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
    #[derive(Default)]
    FetchVerificationAttemptsSummary -> VerificationAttemptsSummary, "FetchVerificationAttemptsSummary";
    /// A summary over all attempts.
    pub fn new() with { filters: Filters, params: Prefix };
    get |r| Path::new("/v2/Attempts").lit("Summary").finish(), {
        r.filters.check()?;
        if let Some(p) = &r.params.destination_prefix {
            let ok =
                p.len() > 1 && p.starts_with('+') && p[1..].bytes().all(|b| b.is_ascii_digit());
            if !ok {
                return Err(InvalidInput::new(
                    "DestinationPrefix",
                    "expected `+` and digits, such as `+57305`",
                ));
            }
        }
        let mut q = Params::new();
        q.fields(&(&r.filters, &r.params))?;
        q
    };
}

/// The summary's own filter.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
#[serde(rename_all = "PascalCase")]
struct Prefix {
    destination_prefix: Option<String>,
}

impl FetchVerificationAttemptsSummary {
    filter_setters!();

    setters! {
        /// `DestinationPrefix`: only numbers starting with this E.164 prefix (`+57305`).
        destination_prefix: into(String);
    }
}
