//! Validation of Twilio's `X-Twilio-Signature` on requests Twilio sends you (Verify webhooks,
//! status callbacks). Needs the `webhook` feature; it works with or without `client`.
//!
//! Twilio signs each request with your auth token: HMAC-SHA1 over the full URL it called, then,
//! for a form-encoded body, every parameter name followed by its value, names sorted; base64.
//! A JSON body is not part of the signature: Twilio adds `bodySHA256=<hex SHA-256 of the body>`
//! to the URL instead, and the signature covers that URL.
//!
//! Proxies often add or drop the default port, so the URL is tried as given, with the default
//! port, and without it. Every comparison is in constant time.
//!
//! ```
//! use twilio_verify::webhook::RequestValidator;
//!
//! let validator = RequestValidator::new("12345");
//! let url = "https://mycompany.com/myapp.php?foo=1&bar=2";
//! let params = [
//!     ("CallSid", "CA1234567890ABCDE"),
//!     ("Caller", "+12349013030"),
//!     ("Digits", "1234"),
//!     ("From", "+12349013030"),
//!     ("To", "+18005551212"),
//! ];
//! assert!(validator.validate_form(url, params, "0/KCTR6DLpKmkAf8muzZqo1nDgQ="));
//! assert!(!validator.validate_form(url, params, "bm90IHRoZSBzaWduYXR1cmU="));
//! ```

use std::fmt;

use base64::Engine as _;
use hmac::{Hmac, KeyInit, Mac};
use sha1::Sha1;
use sha2::{Digest, Sha256};

use crate::secret::{Secret, constant_time_eq};

/// Checks `X-Twilio-Signature` with the account's auth token (or the API key secret that
/// signs for it). `Debug` never shows the token.
#[derive(Clone)]
pub struct RequestValidator {
    token: Secret,
}

impl fmt::Debug for RequestValidator {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("RequestValidator([redacted])")
    }
}

impl RequestValidator {
    /// A validator for signatures made with `auth_token`.
    pub fn new(auth_token: impl Into<Secret>) -> Self {
        Self {
            token: auth_token.into(),
        }
    }

    /// The signature Twilio would send for `url` and form `params` (base64).
    pub fn signature<'a>(
        &self,
        url: &str,
        params: impl IntoIterator<Item = (&'a str, &'a str)>,
    ) -> String {
        let data = signed_text(url, params);
        base64::engine::general_purpose::STANDARD.encode(self.mac(&data))
    }

    /// Whether `signature` is right for a form-encoded request to `url` with `params` (the
    /// decoded body parameters; a name may repeat).
    pub fn validate_form<'a>(
        &self,
        url: &str,
        params: impl IntoIterator<Item = (&'a str, &'a str)>,
        signature: &str,
    ) -> bool {
        let params: Vec<(&str, &str)> = params.into_iter().collect();
        let Ok(given) = base64::engine::general_purpose::STANDARD.decode(signature.trim()) else {
            return false;
        };
        let mut ok = false;
        for candidate in url_variants(url) {
            let expected = self.mac(&signed_text(&candidate, params.iter().copied()));
            // No early exit: every variant is compared.
            ok |= constant_time_eq(&expected, &given);
        }
        ok
    }

    /// Whether `signature` is right for a request with a JSON `body` to `url`, whose query
    /// carries `bodySHA256`: the signature must cover the URL, and the hash must match the body.
    pub fn validate_json(&self, url: &str, body: &[u8], signature: &str) -> bool {
        let Some(claimed) = query_param(url, "bodySHA256") else {
            return false;
        };
        let actual = hex(&Sha256::digest(body));
        let body_ok = constant_time_eq(actual.as_bytes(), claimed.to_ascii_lowercase().as_bytes());
        let url_ok = self.validate_form(url, std::iter::empty(), signature);
        body_ok & url_ok
    }

    fn mac(&self, data: &str) -> Vec<u8> {
        // HMAC accepts keys of any length, so this never fails.
        let mut mac = <Hmac<Sha1> as KeyInit>::new_from_slice(self.token.expose().as_bytes())
            .unwrap_or_else(|_| unreachable!("HMAC takes keys of any length"));
        mac.update(data.as_bytes());
        mac.finalize().into_bytes().to_vec()
    }
}

/// The URL, then for each name in code-point order each of its distinct values, sorted.
fn signed_text<'a>(url: &str, params: impl IntoIterator<Item = (&'a str, &'a str)>) -> String {
    let mut pairs: Vec<(&str, &str)> = params.into_iter().collect();
    pairs.sort_unstable();
    pairs.dedup();
    let mut out = String::from(url);
    for (k, v) in pairs {
        out.push_str(k);
        out.push_str(v);
    }
    out
}

/// The URL as given, with the scheme's default port, and without it.
fn url_variants(url: &str) -> Vec<String> {
    let mut out = vec![url.to_owned()];
    let Some((scheme, rest)) = url.split_once("://") else {
        return out;
    };
    let default = match scheme.to_ascii_lowercase().as_str() {
        "https" => "443",
        "http" => "80",
        _ => return out,
    };
    let end = rest.find(['/', '?', '#']).unwrap_or(rest.len());
    let (authority, tail) = rest.split_at(end);
    let (userinfo, hostport) = match authority.rsplit_once('@') {
        Some((u, h)) => (format!("{u}@"), h),
        None => (String::new(), authority),
    };
    // A port follows the last `:` unless it sits inside an IPv6 literal.
    let (host, port) = match hostport.rsplit_once(':') {
        Some((h, p)) if !p.contains(']') && p.bytes().all(|b| b.is_ascii_digit()) => (h, Some(p)),
        _ => (hostport, None),
    };
    match port {
        Some(p) if p == default => out.push(format!("{scheme}://{userinfo}{host}{tail}")),
        Some(_) => {}
        None => out.push(format!("{scheme}://{userinfo}{host}:{default}{tail}")),
    }
    out
}

fn query_param<'a>(url: &'a str, name: &str) -> Option<std::borrow::Cow<'a, str>> {
    let query = url.split_once('?')?.1;
    let query = query.split('#').next().unwrap_or("");
    form_urlencoded::parse(query.as_bytes())
        .find(|(k, _)| k == name)
        .map(|(_, v)| v)
}

fn hex(bytes: &[u8]) -> String {
    const DIGITS: &[u8; 16] = b"0123456789abcdef";
    let mut s = String::with_capacity(bytes.len() * 2);
    for b in bytes {
        s.push(char::from(DIGITS[usize::from(b >> 4)]));
        s.push(char::from(DIGITS[usize::from(b & 15)]));
    }
    s
}

// The vectors below were computed independently of this code, with Python's standard library:
//
//     import hmac, hashlib, base64
//     def sig(token, url, params):          # params: {name: [values]}
//         data = url + "".join(k + v for k in sorted(params) for v in sorted(set(params[k])))
//         return base64.b64encode(hmac.new(token, data.encode(), hashlib.sha1).digest()).decode()
//
// and, for the JSON body, hashlib.sha256(body).hexdigest().
#[cfg(test)]
mod tests {
    use super::*;

    const DOCS_URL: &str = "https://mycompany.com/myapp.php?foo=1&bar=2";
    const DOCS_PARAMS: [(&str, &str); 5] = [
        ("To", "+18005551212"),
        ("CallSid", "CA1234567890ABCDE"),
        ("Digits", "1234"),
        ("From", "+12349013030"),
        ("Caller", "+12349013030"),
    ];

    fn v() -> RequestValidator {
        RequestValidator::new("12345")
    }

    #[test]
    fn form_signature_with_a_query_string_in_any_parameter_order() {
        assert_eq!(
            v().signature(DOCS_URL, DOCS_PARAMS),
            "0/KCTR6DLpKmkAf8muzZqo1nDgQ="
        );
        assert!(v().validate_form(DOCS_URL, DOCS_PARAMS, "0/KCTR6DLpKmkAf8muzZqo1nDgQ="));
        let mut tampered = DOCS_PARAMS;
        tampered[2] = ("Digits", "1235");
        assert!(!v().validate_form(DOCS_URL, tampered, "0/KCTR6DLpKmkAf8muzZqo1nDgQ="));
        assert!(!RequestValidator::new("54321").validate_form(
            DOCS_URL,
            DOCS_PARAMS,
            "0/KCTR6DLpKmkAf8muzZqo1nDgQ="
        ));
        assert!(!v().validate_form(DOCS_URL, DOCS_PARAMS, "not base64!"));
    }

    #[test]
    fn default_port_added_or_removed() {
        // Signed with :443, received without it.
        assert!(v().validate_form(DOCS_URL, DOCS_PARAMS, "EpDEmp1PyjDYp77YxYU3GILBWzE="));
        // Signed without the port, received with it.
        let with_port = "https://mycompany.com:443/myapp.php?foo=1&bar=2";
        assert!(v().validate_form(with_port, DOCS_PARAMS, "0/KCTR6DLpKmkAf8muzZqo1nDgQ="));
        // Another port is not a default port: no variant matches.
        let other = "https://mycompany.com:8443/myapp.php?foo=1&bar=2";
        assert!(!v().validate_form(other, DOCS_PARAMS, "0/KCTR6DLpKmkAf8muzZqo1nDgQ="));
    }

    #[test]
    fn repeated_keys_use_their_distinct_values_sorted() {
        let params = [
            ("EventTypes", "factor.created"),
            ("Status", "enabled"),
            ("EventTypes", "challenge.approved"),
            ("EventTypes", "factor.created"),
        ];
        let url = "https://example.com/hooks/verify";
        assert_eq!(v().signature(url, params), "QNfX+X9qWPXhG79qhS+EPzXtIi0=");
        assert!(v().validate_form(url, params, "QNfX+X9qWPXhG79qhS+EPzXtIi0="));
    }

    #[test]
    fn json_body_with_body_sha256() {
        let body = br#"{"event":"verification.approved","sid":"VEaaaa"}"#;
        let hash = "d00c229fee95c0e08773e6f9411c35abeeda7f0082613df2c573c6baa7d8e5e2";
        let url = format!("https://example.com/hooks/json?bodySHA256={hash}");
        assert!(v().validate_json(&url, body, "FJhkxmsm/r23aH5lsYuO7EhfblQ="));
        assert!(!v().validate_json(
            &url,
            b"{\"event\":\"tampered\"}",
            "FJhkxmsm/r23aH5lsYuO7EhfblQ="
        ));
        assert!(!v().validate_json(
            "https://example.com/hooks/json",
            body,
            "FJhkxmsm/r23aH5lsYuO7EhfblQ="
        ));
        let port = format!("https://example.com:8443/hooks/json?bodySHA256={hash}");
        assert!(v().validate_json(&port, body, "hV5yL297X9/jU0a6/qqUTslwAzY="));
    }

    #[test]
    fn variants_keep_userinfo_and_leave_ipv6_alone() {
        assert_eq!(
            url_variants("https://u:p@example.com/x"),
            ["https://u:p@example.com/x", "https://u:p@example.com:443/x"]
        );
        assert_eq!(
            url_variants("http://[::1]:80/x"),
            ["http://[::1]:80/x", "http://[::1]/x"]
        );
        assert_eq!(
            url_variants("http://[::1]/x"),
            ["http://[::1]/x", "http://[::1]:80/x"]
        );
        assert!(!format!("{:?}", v()).contains("12345"));
    }
}
