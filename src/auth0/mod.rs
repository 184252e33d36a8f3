//! Typed models of the two Auth0 integration points that put Twilio Verify behind Auth0 MFA.
//!
//! - **Send half** ([`phone_message`](self#send-half)): an Auth0 Action on the
//!   `send-phone-message` trigger (or the newer `custom-phone-provider` trigger) hands over the
//!   recipient and the code Auth0 generated. [`PhoneMessage`] turns either event into a
//!   [`CreateVerification`](crate::verify::CreateVerification) with `CustomCode`. A
//!   `custom-phone-provider` event may also be a notice with no code (a blocked account, a
//!   changed or breached password): [`PhoneDelivery`] tells the two apart, and a
//!   [`PhoneNotice`] becomes a text message or a call (the [`messaging`](crate::messaging)
//!   module).
//! - **Feedback half** ([`log_stream`](self#feedback-half)): a Custom Webhook log stream posts
//!   batches of tenant logs. [`parse_log_batch`] reads them, and [`plan`] picks the MFA
//!   successes whose verification should be approved; with the `client` feature, [`approve`]
//!   sends those approvals.
//!
//! This module needs the `auth0` feature (on with `guard` and `axum`). Everything here but
//! [`approve`] works without `client`, that is with `default-features = false, features =
//! ["auth0"]`.
//!
//! # Send half
//!
//! See [`PhoneMessage`], [`PhoneDelivery`], [`PhoneNotice`], and the event types
//! [`SendPhoneMessageEvent`], [`CustomPhoneProviderEvent`] and [`HookParams`].
//!
//! # Feedback half
//!
//! See [`parse_log_batch`], [`LogRecord`], [`LogEvent`], [`LogType`] and [`plan`].

mod common;
pub(crate) mod feedback;
mod log_event;
mod log_stream;
mod log_type;
mod notice;
mod phone_message;
mod token;

pub use common::{
    ActionSecrets, Connection, CustomDomain, EventClient, EventRequest, EventUser, GeoIp,
    Organization, SecurityContext, Tenant, Transaction,
};
pub use feedback::{
    DEFAULT_CODE_TTL, FeedbackPlan, FeedbackTarget, SentVerification, SkipReason, Skipped,
    classify, classify_record, plan, select_verification,
};
#[cfg(feature = "client")]
pub use feedback::{FeedbackOutcome, FeedbackReport, approve, may_pass_later};
pub use log_event::{
    Authenticator, AuthenticatorType, Enrollment, ErrorDetails, LocationInfo, LogDetails, LogEvent,
    MfaDetails, Scope,
};
pub use log_stream::{
    BodyFormat, LogBatch, LogRecord, MAX_LISTED_ERRORS, RecordError, RecordShape, parse_log_batch,
    parse_log_batch_as,
};
pub use log_type::{LogCategory, LogType};
pub use notice::{NoticeContent, PhoneDelivery, PhoneNotice};
pub use phone_message::{
    CustomPhoneProviderEvent, DeliveryMethod, HookContext, HookParams, MessageAction,
    MessageOptions, MessageType, Notification, NotificationType, PhoneMessage, Purpose,
    SendPhoneMessageEvent,
};
pub use token::LogStreamToken;
