//! Twilio's own error answers, and its error codes by name.

use std::fmt;
use std::time::Duration;

use serde::Deserialize;

use crate::redact;

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

// By hand: the code and link are optional and the text is scrubbed, beyond a format string.
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

// By hand with the `Display` above (thiserror's derive needs its own format).
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
