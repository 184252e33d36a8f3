//! `CreateRateLimit`: a new key to limit verifications by.

use super::{Description, RateLimit, rate_limits};
use crate::error::InvalidInput;
use crate::macros::setters;
use crate::request::operation;
use crate::sid::ServiceSid;
use crate::wire::Params;

operation! {
    /// `POST /v2/Services/{ServiceSid}/RateLimits`: creates a rate limit.
    ///
    /// ```no_run
    /// # async fn run(client: &twilio_verify::Client, service: &twilio_verify::ServiceSid) -> twilio_verify::Result<()> {
    /// use twilio_verify::verify::CreateRateLimit;
    ///
    /// let limit = CreateRateLimit::new(service, "end_user_ip_address")
    ///     .description("Limits verifications by end-user IP address")
    ///     .send(client)
    ///     .await?;
    /// println!("{:?}", limit.sid);
    /// # Ok(()) }
    /// ```
    CreateRateLimit -> RateLimit, "CreateRateLimit";
    /// A rate limit named `unique_name` (`UniqueName`, the key verifications pass values for).
    pub fn new(service: ServiceSid, unique_name: String) with { params: Description };
    post |r| {
        if r.unique_name.trim().is_empty() {
            return Err(InvalidInput::new("UniqueName", "must not be empty"));
        }
        rate_limits(&r.service)?.finish()
    }, {
        let mut form = Params::new();
        form.str("UniqueName", &r.unique_name).fields(&r.params)?;
        form
    };
}

impl CreateRateLimit {
    setters! {
        /// `Description`: what the limit is for.
        description: into(String);
    }
}
