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

use std::borrow::Cow;
use std::fmt;
use std::time::Duration;

use serde::Deserialize;

use crate::redact;

/// The result type of this crate.
pub type Result<T, E = Error> = std::result::Result<T, E>;

/// Everything that can go wrong when talking to Twilio Verify.
#[derive(Debug)]
#[non_exhaustive]
pub enum Error {
    /// Twilio answered with an error status (4xx or 5xx).
    Api(Box<ApiError>),
    /// The request did not complete: connecting failed, the connection broke, or the body could
    /// not be read.
    Transport(TransportError),
    /// The connect or request timeout elapsed before Twilio answered.
    Timeout(TransportError),
    /// Twilio answered with success, but the body was not the expected JSON.
    Decode(DecodeError),
    /// The request was rejected before anything was sent.
    InvalidInput(InvalidInput),
    /// The client could not be configured (missing credentials, bad base URL, TLS set-up).
    Config(String),
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Api(e) => fmt::Display::fmt(e, f),
            Self::Transport(e) | Self::Timeout(e) => fmt::Display::fmt(e, f),
            Self::Decode(e) => fmt::Display::fmt(e, f),
            Self::InvalidInput(e) => fmt::Display::fmt(e, f),
            Self::Config(m) => write!(f, "configuration error: {m}"),
        }
    }
}

// Each variant is transparent: `Display` is the inner error's, and `source` is the inner
// error's own source, so a chain of errors never says the same thing twice.
impl std::error::Error for Error {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            Self::Transport(e) | Self::Timeout(e) => std::error::Error::source(e),
            Self::Api(_) | Self::Decode(_) | Self::InvalidInput(_) | Self::Config(_) => None,
        }
    }
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
            Self::Api(e) => Some(e.status),
            Self::Decode(e) => Some(e.status),
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
            Self::Api(a) => a.is_rate_limited() || a.status >= 500,
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

impl From<InvalidInput> for Error {
    fn from(e: InvalidInput) -> Self {
        Self::InvalidInput(e)
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
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InvalidInput {
    field: &'static str,
    reason: Cow<'static, str>,
}

impl fmt::Display for InvalidInput {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "invalid `{}`: {}", self.field, self.reason)
    }
}

impl std::error::Error for InvalidInput {}

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

/// Twilio's answer to a request it refused.
///
/// Twilio sends two shapes: the legacy `{code, message, more_info, status, details}` and, on
/// newer endpoints, RFC 9457 problem details (`{type, title, status, code, detail, instance,
/// errors}`). Both land here. A body that is neither (an HTML page from a proxy, an empty body)
/// still gives the HTTP status, with no code.
#[derive(Clone, PartialEq)]
pub struct ApiError {
    status: u16,
    code: Option<u32>,
    message: String,
    more_info: Option<String>,
    details: Option<serde_json::Value>,
    instance: Option<String>,
    retry_after: Option<Duration>,
}

/// The union of both error shapes, each field optional.
#[derive(Deserialize)]
struct ErrorBody {
    #[serde(default, deserialize_with = "lenient_code")]
    code: Option<u32>,
    message: Option<String>,
    more_info: Option<String>,
    details: Option<serde_json::Value>,
    // RFC 9457
    #[serde(rename = "type")]
    kind: Option<String>,
    title: Option<String>,
    detail: Option<String>,
    instance: Option<String>,
    errors: Option<serde_json::Value>,
}

/// A code as a number or a numeric string; anything else is no code.
fn lenient_code<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Option<u32>, D::Error> {
    Ok(crate::de::lenient_string(d)?.and_then(|s| s.trim().parse().ok()))
}

impl ApiError {
    /// Builds the error from an HTTP status and the raw body Twilio sent.
    ///
    /// Never fails: an unreadable body gives an error with the status and no code.
    pub fn from_response(status: u16, body: &[u8]) -> Self {
        let parsed = serde_json::from_slice::<ErrorBody>(body).ok();
        let Some(b) = parsed else {
            return Self::bare(status, body);
        };
        let message = b
            .message
            .or(b.detail)
            .or(b.title)
            .unwrap_or_else(|| reason_phrase(status).to_owned());
        let more_info = b
            .more_info
            .or_else(|| b.kind.filter(|t| t != "about:blank"));
        let details = b.details.or(b.errors);
        Self {
            status,
            code: b.code,
            message,
            more_info,
            details,
            instance: b.instance,
            retry_after: None,
        }
    }

    fn bare(status: u16, body: &[u8]) -> Self {
        let what = if body.iter().all(u8::is_ascii_whitespace) {
            "empty body".to_owned()
        } else {
            format!("non-JSON body of {} bytes", body.len())
        };
        Self {
            status,
            code: None,
            message: format!("{} ({what})", reason_phrase(status)),
            more_info: None,
            details: None,
            instance: None,
            retry_after: None,
        }
    }

    #[cfg_attr(not(feature = "client"), allow(dead_code))]
    pub(crate) fn with_retry_after(mut self, retry_after: Option<Duration>) -> Self {
        self.retry_after = retry_after;
        self
    }

    /// The HTTP status code.
    pub fn status(&self) -> u16 {
        self.status
    }

    /// Twilio's error code, matchable by name for the well-known ones.
    pub fn code(&self) -> Option<ErrorCode> {
        self.code.map(ErrorCode::from)
    }

    /// Twilio's error code as a number.
    pub fn code_number(&self) -> Option<u32> {
        self.code
    }

    /// Twilio's message, exactly as sent. It may quote the phone number or e-mail address the
    /// request was about; the `Display` of this error masks those.
    pub fn message(&self) -> &str {
        &self.message
    }

    /// The link to Twilio's page for this error code (or the RFC 9457 `type`).
    pub fn more_info(&self) -> Option<&str> {
        self.more_info.as_deref()
    }

    /// Extra details Twilio sent (legacy `details` or RFC 9457 `errors`).
    pub fn details(&self) -> Option<&serde_json::Value> {
        self.details.as_ref()
    }

    /// The RFC 9457 `instance`, when Twilio sent one.
    pub fn instance(&self) -> Option<&str> {
        self.instance.as_deref()
    }

    /// How long Twilio asked the client to wait (`Retry-After`), when it said.
    pub fn retry_after(&self) -> Option<Duration> {
        self.retry_after
    }

    /// Whether this is a 404: the resource is gone or never existed.
    pub fn is_not_found(&self) -> bool {
        self.status == 404 || self.code == Some(20404)
    }

    /// Whether this is Twilio's account-level rate limit (HTTP 429 with code 20429 or no code),
    /// which Twilio documents as not processed and safe to retry after a pause.
    ///
    /// The Verify business limits 60202, 60203 and 60212 are also HTTP 429 but are *not* this:
    /// retrying them cannot succeed and may count against the user.
    pub fn is_rate_limited(&self) -> bool {
        self.status == 429 && matches!(self.code, None | Some(20429))
    }
}

impl fmt::Display for ApiError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "[HTTP {}]", self.status)?;
        if let Some(code) = self.code {
            write!(f, " {code}")?;
        }
        write!(f, ": {}", redact::scrub(&self.message))?;
        if let Some(link) = &self.more_info {
            write!(f, " ({})", redact::scrub(link))?;
        }
        Ok(())
    }
}

impl std::error::Error for ApiError {}

impl fmt::Debug for ApiError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ApiError")
            .field("status", &self.status)
            .field("code", &self.code)
            .field("message", &redact::scrub(&self.message))
            .field("more_info", &self.more_info.as_deref().map(redact::scrub))
            .field("details", &self.details.as_ref().map(|_| "[present]"))
            .field("instance", &self.instance.as_deref().map(redact::scrub))
            .field("retry_after", &self.retry_after)
            .finish()
    }
}

fn reason_phrase(status: u16) -> &'static str {
    match status {
        400 => "Bad Request",
        401 => "Unauthorized",
        403 => "Forbidden",
        404 => "Not Found",
        405 => "Method Not Allowed",
        409 => "Conflict",
        413 => "Payload Too Large",
        422 => "Unprocessable Entity",
        429 => "Too Many Requests",
        500 => "Internal Server Error",
        502 => "Bad Gateway",
        503 => "Service Unavailable",
        504 => "Gateway Timeout",
        s if s / 100 == 4 => "Client Error",
        s if s / 100 == 5 => "Server Error",
        _ => "Unexpected Status",
    }
}

macro_rules! error_codes {
    ($( $(#[$meta:meta])* $name:ident = $code:literal, $desc:literal; )+) => {
        /// Twilio error codes that matter to Verify, by name.
        ///
        /// Twilio's codes are open-ended; those without a name here arrive as [`ErrorCode::Other`].
        /// Compare with `==` or match on the variants; use [`ErrorCode::number`] for the number.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        #[non_exhaustive]
        pub enum ErrorCode {
            $(
                $(#[$meta])*
                #[doc = concat!("`", stringify!($code), "`: ", $desc)]
                $name,
            )+
            /// Any other code.
            Other(u32),
        }

        impl ErrorCode {
            /// The numeric code.
            pub fn number(self) -> u32 {
                match self {
                    $(Self::$name => $code,)+
                    Self::Other(n) => n,
                }
            }

            /// A short description of a well-known code.
            pub fn description(self) -> Option<&'static str> {
                match self {
                    $(Self::$name => Some($desc),)+
                    Self::Other(_) => None,
                }
            }
        }

        impl From<u32> for ErrorCode {
            fn from(n: u32) -> Self {
                match n {
                    $($code => Self::$name,)+
                    other => Self::Other(other),
                }
            }
        }
    };
}

error_codes! {
    MissingParameter = 20001, "a required parameter is missing";
    AuthenticationFailed = 20003, "authentication failed (wrong SID, token or key, or a key for another region)";
    NotFound = 20404, "not found (for a verification: approved, canceled, expired or never started)";
    TooManyRequests = 20429, "too many concurrent requests for the account; not processed, safe to retry later";
    InvalidPhoneNumber = 60006, "the phone number is well formed but not reachable";
    InvalidParameter = 60200, "invalid parameter; the message names it";
    MaxCheckAttempts = 60202, "max check attempts reached; wait for expiry or cancel";
    MaxSendAttempts = 60203, "max send attempts reached; do not retry";
    FeatureNotSupported = 60204, "the service does not support this feature (enable custom codes on the service)";
    SmsToLandline = 60205, "SMS is not supported by a landline number; use the call channel";
    TooManyConcurrentRequests = 60212, "too many concurrent requests for this phone number; do not retry";
    NoTargetVerification = 60221, "neither To nor VerificationSid given";
    ChannelDisabled = 60223, "the delivery channel is disabled on the service";
    CreationBlocked = 60238, "verification creation blocked by Twilio";
    FraudGuardBlocked = 60410, "delivery blocked by Fraud Guard";
    GeoPermissionsBlocked = 60605, "delivery blocked by geo permissions";
}

impl fmt::Display for ErrorCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.number())
    }
}

impl PartialEq<u32> for ErrorCode {
    fn eq(&self, other: &u32) -> bool {
        self.number() == *other
    }
}

/// A failure below HTTP: connecting, sending, or reading the answer.
///
/// The underlying error is reachable through [`std::error::Error::source`]; its text never
/// includes the request URL, which can carry a phone number.
#[derive(Debug)]
pub struct TransportError {
    kind: TransportKind,
    source: Option<Box<dyn std::error::Error + Send + Sync>>,
}

/// What kind of transport failure happened.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum TransportKind {
    /// No connection could be made.
    Connect,
    /// The connect or request timeout elapsed.
    Timeout,
    /// The request could not be sent, or the connection broke before an answer came.
    Request,
    /// The answer's body could not be read (a broken connection, or a body over the size cap).
    Body,
}

impl TransportError {
    #[cfg_attr(not(feature = "client"), allow(dead_code))]
    pub(crate) fn new(
        kind: TransportKind,
        source: Option<Box<dyn std::error::Error + Send + Sync>>,
    ) -> Self {
        Self { kind, source }
    }

    /// What kind of failure this is.
    pub fn kind(&self) -> TransportKind {
        self.kind
    }

    /// Whether connecting failed; such a request never reached Twilio.
    pub fn is_connect(&self) -> bool {
        self.kind == TransportKind::Connect
    }
}

impl fmt::Display for TransportError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self.kind {
            TransportKind::Connect => "could not connect to Twilio",
            TransportKind::Timeout => "no answer from Twilio in time",
            TransportKind::Request => "the request failed before an answer came",
            TransportKind::Body => "the answer could not be read",
        })
    }
}

impl std::error::Error for TransportError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        self.source
            .as_deref()
            .map(|e| e as &(dyn std::error::Error + 'static))
    }
}

/// A success answer whose body did not decode into the expected model.
///
/// It keeps the position of the problem and a short excerpt of the body in which every string
/// value and every long digit run is masked, so it is safe to log.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DecodeError {
    status: u16,
    line: usize,
    column: usize,
    category: &'static str,
    excerpt: String,
}

impl DecodeError {
    pub(crate) fn new(status: u16, body: &[u8], err: &serde_json::Error) -> Self {
        let category = match err.classify() {
            serde_json::error::Category::Io => "I/O error",
            serde_json::error::Category::Syntax => "malformed JSON",
            serde_json::error::Category::Data => "JSON of an unexpected shape",
            serde_json::error::Category::Eof => "truncated JSON",
        };
        Self {
            status,
            line: err.line(),
            column: err.column(),
            category,
            excerpt: excerpt(body),
        }
    }

    /// The HTTP status of the answer.
    pub fn status(&self) -> u16 {
        self.status
    }

    /// The line (1-based) at which decoding failed.
    pub fn line(&self) -> usize {
        self.line
    }

    /// The column (1-based) at which decoding failed.
    pub fn column(&self) -> usize {
        self.column
    }

    /// A masked excerpt of the start of the body: keys and structure, no values.
    pub fn excerpt(&self) -> &str {
        &self.excerpt
    }
}

impl fmt::Display for DecodeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "could not decode the answer (HTTP {}): {} at line {} column {}; body starts `{}`",
            self.status, self.category, self.line, self.column, self.excerpt
        )
    }
}

impl std::error::Error for DecodeError {}

/// The first 160 characters of `body` with string values replaced by `"…"` and digit runs of five
/// or more replaced by `#`. Object keys are kept: they say which field was wrong.
fn excerpt(body: &[u8]) -> String {
    const MAX: usize = 160;
    let text = String::from_utf8_lossy(&body[..body.len().min(4 * MAX)]);
    let mut out = String::new();
    let mut chars = text.chars().peekable();
    let mut digits = String::new();
    let flush = |digits: &mut String, out: &mut String| {
        if digits.len() >= 5 {
            out.push('#');
        } else {
            out.push_str(digits);
        }
        digits.clear();
    };
    while let Some(c) = chars.next() {
        if out.chars().count() >= MAX {
            out.push('…');
            return out;
        }
        if c.is_ascii_digit() {
            digits.push(c);
            continue;
        }
        flush(&mut digits, &mut out);
        if c == '"' {
            let mut s = String::new();
            let mut escaped = false;
            for d in chars.by_ref() {
                if escaped {
                    escaped = false;
                } else if d == '\\' {
                    escaped = true;
                } else if d == '"' {
                    break;
                }
                s.push(d);
            }
            // A key is followed (after optional spaces) by a colon.
            while chars.peek().is_some_and(|c| c.is_whitespace()) {
                chars.next();
            }
            let is_key = chars.peek() == Some(&':');
            let safe_key = is_key
                && s.len() <= 40
                && s.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_');
            if safe_key {
                out.push('"');
                out.push_str(&s);
                out.push('"');
            } else {
                out.push_str("\"…\"");
            }
        } else if c.is_control() {
            out.push(' ');
        } else {
            out.push(c);
        }
    }
    flush(&mut digits, &mut out);
    out
}

#[cfg(test)]
mod tests {
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
