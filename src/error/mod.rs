//! Errors: what Twilio refused, what the network did, and what was caught before sending.
//!
//! Every fallible call returns [`Error`]. Twilio's own answer is kept whole in [`ApiError`]:
//! the HTTP status, Twilio's numeric code (matchable by name through [`ErrorCode`]), the
//! message, the documentation link and any details.
//!
//! ```
//! use twilio_verify::{Error, ErrorCode};
//!
//! fn explain(err: &Error) -> &'static str {
//!     match err.api_error().and_then(|e| e.code()) {
//!         Some(ErrorCode::MaxSendAttempts) => "too many codes sent; wait ten minutes",
//!         Some(ErrorCode::NotFound) => "no pending verification (approved, expired or never started)",
//!         _ if err.is_invalid_input() => "fix the request; nothing was sent",
//!         _ => "something else went wrong",
//!     }
//! }
//! # let _ = explain;
//! ```

mod api;
mod transport;

pub use api::{ApiError, ErrorCode};
pub use transport::{DecodeError, TransportError, TransportKind};

use std::borrow::Cow;

/// The result type of this crate.
pub type Result<T, E = Error> = std::result::Result<T, E>;

/// Everything that can go wrong when talking to Twilio Verify.
///
/// Each variant but `Config` is transparent: its `Display` is the inner error's, and `source`
/// is the inner error's own source, so a chain of errors never says the same thing twice.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// Twilio answered with an error status (4xx or 5xx).
    #[error(transparent)]
    Api(Box<ApiError>),
    /// The request did not complete: connecting failed, the connection broke, or the body could
    /// not be read.
    #[error(transparent)]
    Transport(TransportError),
    /// The connect or request timeout elapsed before Twilio answered.
    #[error(transparent)]
    Timeout(TransportError),
    /// Twilio answered with success, but the body was not the expected JSON.
    #[error(transparent)]
    Decode(DecodeError),
    /// The request was rejected before anything was sent.
    #[error(transparent)]
    InvalidInput(#[from] InvalidInput),
    /// The client could not be configured (missing credentials, bad base URL, TLS set-up).
    #[error("configuration error: {0}")]
    Config(String),
}

impl Error {
    /// Twilio's error answer, if this is one.
    pub fn api_error(&self) -> Option<&ApiError> {
        match self {
            Self::Api(e) => Some(e),
            _ => None,
        }
    }

    /// The HTTP status Twilio answered with, for API and decode errors.
    pub fn status(&self) -> Option<u16> {
        match self {
            Self::Api(e) => Some(e.status()),
            Self::Decode(e) => Some(e.status()),
            _ => None,
        }
    }

    /// Twilio's error code, if Twilio sent one.
    pub fn code(&self) -> Option<ErrorCode> {
        self.api_error().and_then(ApiError::code)
    }

    /// Whether the request was rejected before anything was sent.
    pub fn is_invalid_input(&self) -> bool {
        matches!(self, Self::InvalidInput(_))
    }

    /// Whether a timeout elapsed.
    pub fn is_timeout(&self) -> bool {
        matches!(self, Self::Timeout(_))
    }

    /// Whether the same call may succeed if it is made again later: the exchange broke or timed
    /// out, Twilio's rate limit answered (429 with code 20429 or none), or Twilio failed (5xx).
    ///
    /// This is the crate's one answer to "may this be tried again?": the client's retries, the
    /// feedback report and the bridge all start from it. It says nothing about whether the
    /// first call reached Twilio: for that, see [`is_unprocessed`](Self::is_unprocessed). A
    /// Verify business limit (60202, 60203, 60212…) is not transient.
    pub fn is_transient(&self) -> bool {
        match self {
            Self::Transport(_) | Self::Timeout(_) => true,
            Self::Api(a) => a.is_rate_limited() || a.status() >= 500,
            Self::Decode(_) | Self::InvalidInput(_) | Self::Config(_) => false,
        }
    }

    /// Whether Twilio certainly did not act on the request: no connection was made, or Twilio's
    /// rate limit refused it (which Twilio documents as not processed). Only such a failure
    /// may be sent again when the request is not idempotent, since a POST that reached Twilio
    /// may have texted the user.
    pub fn is_unprocessed(&self) -> bool {
        match self {
            Self::Transport(t) => t.is_connect(),
            Self::Api(a) => a.is_rate_limited(),
            Self::Timeout(_) | Self::Decode(_) | Self::InvalidInput(_) | Self::Config(_) => false,
        }
    }

    /// Whether Twilio answered 404 (code 20404 or none): the resource is gone or never existed.
    ///
    /// For a verification this means approved, canceled, expired or never started: Twilio
    /// deletes a verification once it leaves the pending state.
    pub fn is_not_found(&self) -> bool {
        self.api_error().is_some_and(ApiError::is_not_found)
    }
}

impl From<ApiError> for Error {
    fn from(e: ApiError) -> Self {
        Self::Api(Box::new(e))
    }
}

/// Input that was rejected before any request was sent: which parameter, and why.
///
/// The message never repeats the rejected value, since it may be a phone number or a code.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("invalid `{field}`: {reason}")]
pub struct InvalidInput {
    field: &'static str,
    reason: Cow<'static, str>,
}

impl InvalidInput {
    pub(crate) fn new(field: &'static str, reason: impl Into<Cow<'static, str>>) -> Self {
        Self {
            field,
            reason: reason.into(),
        }
    }

    /// The parameter or type that was rejected, as Twilio names it (`To`, `CustomCode`,
    /// `ServiceSid`…).
    pub fn field(&self) -> &'static str {
        self.field
    }

    /// Why it was rejected.
    pub fn reason(&self) -> &str {
        &self.reason
    }
}

#[cfg(test)]
mod tests {
    use super::transport::excerpt;
    use super::*;

    #[test]
    fn legacy_body() {
        let e = ApiError::from_response(
            429,
            br#"{"code": 60203, "message": "Max send attempts reached", "more_info": "https://www.twilio.com/docs/errors/60203", "status": 429}"#,
        );
        assert_eq!(e.status(), 429);
        assert_eq!(e.code(), Some(ErrorCode::MaxSendAttempts));
        assert_eq!(e.code_number(), Some(60203));
        assert!(!e.is_rate_limited());
        assert_eq!(
            e.to_string(),
            "[HTTP 429] 60203: Max send attempts reached (https://www.twilio.com/docs/errors/60203)"
        );
    }

    #[test]
    fn rfc9457_body() {
        let e = ApiError::from_response(
            400,
            br#"{"type": "https://www.twilio.com/docs/errors/60200", "title": "Invalid parameter", "status": 400, "code": 60200, "detail": "Invalid parameter: To", "instance": "/v2/x", "errors": [{"detail": "must be E.164", "pointer": "/To"}]}"#,
        );
        assert_eq!(e.code(), Some(ErrorCode::InvalidParameter));
        assert_eq!(e.message(), "Invalid parameter: To");
        assert_eq!(
            e.more_info(),
            Some("https://www.twilio.com/docs/errors/60200")
        );
        assert_eq!(e.instance(), Some("/v2/x"));
        assert!(e.details().is_some_and(serde_json::Value::is_array));
    }

    #[test]
    fn html_and_empty_bodies_keep_the_status() {
        let e = ApiError::from_response(502, b"<html><body>Bad gateway</body></html>");
        assert_eq!(e.status(), 502);
        assert_eq!(e.code(), None);
        assert!(e.message().contains("Bad Gateway"));
        let e = ApiError::from_response(503, b"");
        assert!(e.message().contains("empty body"));
    }

    #[test]
    fn display_masks_phone_numbers_in_twilio_messages() {
        let e = ApiError::from_response(
            400,
            br#"{"code": 60200, "message": "Invalid parameter `To`: +15017122661", "status": 400}"#,
        );
        let shown = e.to_string();
        assert!(!shown.contains("5017122661"), "{shown}");
        assert!(shown.contains("2661"));
    }

    #[test]
    fn unknown_codes_are_kept() {
        assert_eq!(ErrorCode::from(61234), ErrorCode::Other(61234));
        assert_eq!(ErrorCode::from(61234).number(), 61234);
        assert_eq!(ErrorCode::from(20404), ErrorCode::NotFound);
        assert_eq!(ErrorCode::NotFound, 20404);
    }

    #[test]
    fn excerpt_hides_values_but_keeps_keys() {
        let x = excerpt(br#"{"to": "+15017122661", "code_length": "x", "n": 1234567}"#);
        assert_eq!(x, r#"{"to": "…", "code_length": "…", "n": #}"#);
    }
}
