//! The wire form of a Verify call: method, path, query and form body, and the decoding of the
//! answer.
//!
//! Every request type has a `to_wire` method that checks its input and returns a
//! [`WireRequest`]; with the `client` feature, `send` hands that to the crate's HTTP layer. Without
//! it, you can send a [`WireRequest`] with any HTTP stack and turn the answer into a model or an
//! [`Error`] with [`decode_response`]:
//!
//! ```
//! use twilio_verify::ServiceSid;
//! use twilio_verify::verify::{UpdateVerification, Verification};
//! use twilio_verify::wire::decode_response;
//!
//! let service: ServiceSid = "VAaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa".parse()?;
//! let wire = UpdateVerification::approve(&service, "+15017122661").to_wire()?;
//! assert_eq!(wire.method(), "POST");
//! assert_eq!(wire.path(), "/v2/Services/VAaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa/Verifications/+15017122661");
//! assert_eq!(wire.body(), Some("Status=approved"));
//! assert_eq!(wire.url("https://verify.twilio.com"), format!("https://verify.twilio.com{}", wire.path()));
//!
//! // ... send it with Basic auth and `Content-Type: application/x-www-form-urlencoded` ...
//! let (status, body) = (404, br#"{"code": 20404, "message": "not found", "status": 404}"#);
//! let err = decode_response::<Verification>(status, body).unwrap_err();
//! assert!(err.is_not_found());
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

mod form;

pub(crate) use form::{JsonMap, json_text, json_text_each};

use percent_encoding::{AsciiSet, NON_ALPHANUMERIC, utf8_percent_encode};
use serde::de::DeserializeOwned;

use crate::error::{ApiError, DecodeError, Error, Result};

/// Characters escaped in a path segment: everything but RFC 3986 `pchar` (unreserved,
/// sub-delims, `:` and `@`). `+` stays literal, as in `…/Verifications/+15017122661`.
const SEGMENT: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'.')
    .remove(b'_')
    .remove(b'~')
    .remove(b'!')
    .remove(b'$')
    .remove(b'&')
    .remove(b'\'')
    .remove(b'*')
    .remove(b'+')
    .remove(b',')
    .remove(b';')
    .remove(b'=')
    .remove(b':')
    .remove(b'@');

/// The content type of every Verify request body but the Passkeys ones.
pub const FORM_CONTENT_TYPE: &str = "application/x-www-form-urlencoded";

/// The content type of the Passkeys request bodies (`…/Passkeys/*`).
pub const JSON_CONTENT_TYPE: &str = "application/json";

/// Which Twilio host a request goes to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
#[non_exhaustive]
pub enum Host {
    /// Verify (`verify.twilio.com`): every `verify` request.
    #[default]
    Verify,
    /// The REST API (`api.twilio.com`): the `messaging` requests (API v2010).
    Api,
}

/// HTTP methods Verify uses.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Method {
    Get,
    Post,
    Delete,
}

/// One Verify call, checked and ready to send.
///
/// Its `Debug` masks phone numbers in the path and query and shows only the size of the body,
/// which may hold a phone number or a one-time code.
#[derive(Clone, PartialEq, Eq)]
pub struct WireRequest {
    pub(crate) method: Method,
    /// Path from the host, percent-encoded, starting with `/v2/`.
    pub(crate) path: String,
    /// Encoded query string without `?`, empty for none.
    pub(crate) query: String,
    /// Body for POST (form-encoded, or JSON when `json`); `None` for GET and DELETE.
    pub(crate) body: Option<String>,
    /// Whether `body` is JSON rather than a form.
    pub(crate) json: bool,
    /// Twilio's operation id (`CreateVerification`).
    pub(crate) operation: &'static str,
    /// The host it goes to.
    pub(crate) host: Host,
}

impl std::fmt::Debug for WireRequest {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("WireRequest")
            .field("method", &self.method)
            .field("operation", &self.operation)
            .field("path", &crate::redact::scrub(&self.path))
            .field("query", &crate::redact::scrub(&self.query))
            .field(
                "body",
                &self.body.as_ref().map(|b| format!("[{} bytes]", b.len())),
            )
            .finish()
    }
}

impl WireRequest {
    /// The HTTP method: `GET`, `POST` or `DELETE`.
    pub fn method(&self) -> &'static str {
        match self.method {
            Method::Get => "GET",
            Method::Post => "POST",
            Method::Delete => "DELETE",
        }
    }

    /// The path from the host, percent-encoded (`/v2/Services/VA…/Verifications`).
    pub fn path(&self) -> &str {
        &self.path
    }

    /// The encoded query string without `?`; empty when there is none.
    pub fn query(&self) -> &str {
        &self.query
    }

    /// The body of a POST, to be sent with [`content_type`](Self::content_type); `None`
    /// otherwise.
    ///
    /// It may hold a phone number or a one-time code: do not log it.
    pub fn body(&self) -> Option<&str> {
        self.body.as_deref()
    }

    /// The content type of the body: [`FORM_CONTENT_TYPE`] for every POST but the Passkeys
    /// ones, which are [`JSON_CONTENT_TYPE`]; `None` when there is no body.
    pub fn content_type(&self) -> Option<&'static str> {
        match (&self.body, self.json) {
            (None, _) => None,
            (Some(_), false) => Some(FORM_CONTENT_TYPE),
            (Some(_), true) => Some(JSON_CONTENT_TYPE),
        }
    }

    /// The host the call goes to: give [`url`](Self::url) that host's base
    /// (`https://verify.twilio.com` or `https://api.twilio.com`).
    pub fn host(&self) -> Host {
        self.host
    }

    /// Twilio's operation id for this call (`CreateVerification`, `ListService`…).
    pub fn operation(&self) -> &'static str {
        self.operation
    }

    /// The full URL on `base`, the base of [`host`](Self::host) (`https://verify.twilio.com`).
    pub fn url(&self, base: &str) -> String {
        let mut url = String::with_capacity(base.len() + self.path.len() + self.query.len() + 1);
        url.push_str(base.trim_end_matches('/'));
        url.push_str(&self.path);
        if !self.query.is_empty() {
            url.push('?');
            url.push_str(&self.query);
        }
        url
    }
}

/// Turns an answer into a model (2xx) or an [`Error`] (anything else, or a body that does not
/// decode).
///
/// # Errors
///
/// [`Error::Api`] for a non-2xx status, with Twilio's code and message when the body has them;
/// [`Error::Decode`] for a 2xx body that is not the expected JSON.
pub fn decode_response<T: DeserializeOwned>(status: u16, body: &[u8]) -> Result<T> {
    check_status(status, body).map_err(Error::Api)?;
    serde_json::from_slice(body).map_err(|e| Error::Decode(DecodeError::new(status, body, &e)))
}

/// `Ok` for a 2xx status; the API error otherwise.
pub(crate) fn check_status(status: u16, body: &[u8]) -> Result<(), Box<ApiError>> {
    if (200..300).contains(&status) {
        Ok(())
    } else {
        Err(Box::new(ApiError::from_response(status, body)))
    }
}

impl WireRequest {
    pub(crate) fn get(operation: &'static str, path: String, query: Params) -> Self {
        Self {
            method: Method::Get,
            path,
            query: query.finish(),
            body: None,
            json: false,
            operation,
            host: Host::Verify,
        }
    }

    pub(crate) fn post(operation: &'static str, path: String, form: Params) -> Self {
        Self {
            method: Method::Post,
            path,
            query: String::new(),
            body: Some(form.finish()),
            json: false,
            operation,
            host: Host::Verify,
        }
    }

    /// A POST with a JSON body (the Passkeys endpoints).
    pub(crate) fn post_json(
        operation: &'static str,
        path: String,
        body: &impl serde::Serialize,
    ) -> Result<Self, crate::error::InvalidInput> {
        let body = serde_json::to_string(body)
            .map_err(|e| crate::error::InvalidInput::new("body", e.to_string()))?;
        Ok(Self {
            method: Method::Post,
            path,
            query: String::new(),
            body: Some(body),
            json: true,
            operation,
            host: Host::Verify,
        })
    }

    /// The same request, sent to `host`.
    pub(crate) fn on(mut self, host: Host) -> Self {
        self.host = host;
        self
    }

    /// The GET of a next-page URL's path and query.
    #[cfg(feature = "client")]
    pub(crate) fn next_page(path: String, query: String) -> Self {
        Self {
            method: Method::Get,
            path,
            query,
            body: None,
            json: false,
            operation: "NextPage",
            host: Host::Verify,
        }
    }

    pub(crate) fn delete(operation: &'static str, path: String) -> Self {
        Self {
            method: Method::Delete,
            path,
            query: String::new(),
            body: None,
            json: false,
            operation,
            host: Host::Verify,
        }
    }
}

/// Builds a path from literal parts and values; values are percent-encoded as segments.
pub(crate) struct Path(String);

impl Path {
    pub(crate) fn new(base: &'static str) -> Self {
        // Room for the longest Verify path (three SIDs and an identity) without growing.
        let mut path = String::with_capacity(160);
        path.push_str(base);
        Self(path)
    }

    /// Appends `/` and a literal segment.
    pub(crate) fn lit(mut self, segment: &'static str) -> Self {
        self.0.push('/');
        self.0.push_str(segment);
        self
    }

    /// Appends `/` and an encoded value.
    pub(crate) fn seg(mut self, value: &str) -> Self {
        self.0.push('/');
        self.0.extend(utf8_percent_encode(value, SEGMENT));
        self
    }

    pub(crate) fn finish(self) -> String {
        self.0
    }
}

/// Form or query parameters in `application/x-www-form-urlencoded`, in insertion order.
pub(crate) struct Params(form_urlencoded::Serializer<'static, String>);

impl Params {
    pub(crate) fn new() -> Self {
        Self(form_urlencoded::Serializer::new(String::with_capacity(128)))
    }

    // Not inlined: one copy serves every parameter of every request.
    #[inline(never)]
    pub(crate) fn str(&mut self, key: &str, value: &str) -> &mut Self {
        self.0.append_pair(key, value);
        self
    }

    // Not inlined: one copy serves every parameter of every request.
    #[inline(never)]
    pub(crate) fn opt_str(&mut self, key: &str, value: Option<&str>) -> &mut Self {
        if let Some(v) = value {
            self.0.append_pair(key, v);
        }
        self
    }

    /// Appends every field of a parameter struct, through the one form encoder.
    pub(crate) fn fields<T: serde::Serialize>(
        &mut self,
        params: &T,
    ) -> Result<&mut Self, crate::error::InvalidInput> {
        form::encode(params, self)?;
        Ok(self)
    }

    /// The encoded text. `*`, which the form serializer leaves bare, is escaped too: OpenAPI's
    /// default form encoding (`allowReserved: false`) wants every reserved character escaped,
    /// and Twilio decodes either spelling.
    pub(crate) fn finish(mut self) -> String {
        let text = self.0.finish();
        if text.contains('*') {
            text.replace('*', "%2A")
        } else {
            text
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn path_keeps_plus_and_at_but_escapes_the_rest() {
        let p = Path::new("/v2/Services")
            .seg("VA1")
            .lit("Verifications")
            .seg("+15017122661")
            .finish();
        assert_eq!(p, "/v2/Services/VA1/Verifications/+15017122661");
        let e = Path::new("/v2").seg("a b/c?d#e@x.com").finish();
        assert_eq!(e, "/v2/a%20b%2Fc%3Fd%23e@x.com");
    }

    #[test]
    fn params_escape_values_and_skip_missing_ones() {
        let mut p = Params::new();
        p.str("To", "+1 5*")
            .opt_str("Psd2Enabled", None)
            .str("CodeLength", "6");
        assert_eq!(p.finish(), "To=%2B1+5%2A&CodeLength=6");
    }
}
