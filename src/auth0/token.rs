//! The shared secret a Custom Webhook log stream sends in `Authorization`.

use std::fmt;

use crate::secret::constant_time_eq;

/// The exact `Authorization` value a log stream is configured to send ("Authorization Token").
///
/// Auth0 sends the configured text verbatim (add `Bearer ` yourself if you want it), with no
/// signature. [`verify`](Self::verify) compares in constant time. `Debug` never shows it.
///
/// ```
/// use twilio_verify::auth0::LogStreamToken;
///
/// let token = LogStreamToken::new("Bearer s3cr3t-stream-token");
/// assert!(token.verify(Some("Bearer s3cr3t-stream-token")));
/// assert!(!token.verify(Some("Bearer guess")));
/// assert!(!token.verify(None));
/// assert_eq!(format!("{token:?}"), "LogStreamToken([redacted])");
/// ```
#[derive(Clone)]
pub struct LogStreamToken(String);

impl LogStreamToken {
    /// The token, exactly as configured on the stream. An empty token matches nothing.
    pub fn new(value: impl Into<String>) -> Self {
        Self(value.into())
    }

    /// Whether `authorization` (the request's `Authorization` header, if any) is the token.
    /// An empty configured token matches nothing.
    pub fn verify(&self, authorization: Option<&str>) -> bool {
        match authorization {
            Some(given) if !self.0.is_empty() => {
                constant_time_eq(self.0.as_bytes(), given.as_bytes())
            }
            _ => false,
        }
    }
}

impl fmt::Debug for LogStreamToken {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("LogStreamToken([redacted])")
    }
}
