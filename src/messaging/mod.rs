//! Programmable Messaging and Voice (Twilio API v2010): the two calls that deliver what Verify
//! cannot carry, free text. [`CreateMessage`] sends a text message; [`CreateCall`] places a call,
//! here typically one that reads a text aloud ([`CreateCall::say`]).
//!
//! Both go to the API host (`api.twilio.com`, or `api.{edge}.{region}.twilio.com`), not to the
//! Verify host, and follow the same rules as every Verify request: the input is checked before
//! anything is sent, and a POST is never resent once it may have reached Twilio.
//!
//! These are for notices (a blocked account, a changed or breached password). A one-time code
//! belongs in Verify ([`CreateVerification`](crate::verify::CreateVerification)), which adds Fraud
//! Guard and the feedback loop; the Auth0 model keeps the two apart
//! (`auth0::PhoneDelivery`, with the `auth0` feature).

mod call;
mod message;

pub use call::{Call, CallStatus, CreateCall};
pub use message::{
    AddressRetention, ContentRetention, CreateMessage, Message, MessageDirection, MessageRiskCheck,
    MessageStatus, ScheduleType, Sender, TrafficType,
};

use crate::error::InvalidInput;
use crate::sid::AccountSid;
use crate::wire::Path;

/// `/2010-04-01/Accounts/{AccountSid}/{resource}`, checked.
fn account_path(account: &AccountSid, resource: &'static str) -> Result<String, InvalidInput> {
    Ok(Path::new("/2010-04-01/Accounts")
        .seg(account.checked()?)
        .lit(resource)
        .finish())
}
