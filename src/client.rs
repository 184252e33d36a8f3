//! The Verify client: credentials, host, timeouts and the shared connection pool.

use std::fmt;
use std::sync::Arc;
use std::time::Duration;

use base64::Engine as _;
use reqwest::header::HeaderValue;

use crate::error::{Error, InvalidInput, Result};
use crate::http::{Limits, Transport};
use crate::secret::Secret;
use crate::sid::{AccountSid, ApiKeySid};

/// The default host of Twilio Verify.
pub const DEFAULT_HOST: &str = "verify.twilio.com";
/// The default host of the REST API (the `messaging` requests).
pub const DEFAULT_API_HOST: &str = "api.twilio.com";
/// The default connect timeout.
pub const DEFAULT_CONNECT_TIMEOUT: Duration = Duration::from_secs(10);
/// The default timeout for a whole request, from sending to the last byte of the answer.
pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(30);
/// The default cap on the size of an answer's body.
pub const DEFAULT_MAX_RESPONSE_BYTES: usize = 4 * 1024 * 1024;

/// A Twilio Verify client.
///
/// Cheap to clone: clones share one connection pool and configuration. `Send + Sync`, so one
/// client can serve a whole server. Its `Debug` shows the Account SID and host, never a secret.
///
/// ```no_run
/// # async fn run() -> twilio_verify::Result<()> {
/// use std::time::Duration;
/// use twilio_verify::Client;
///
/// // Account SID and auth token:
/// let client = Client::new("ACxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx", "your_auth_token")?;
///
/// // Or an API key, an edge location and a shorter timeout:
/// let client = Client::builder()
///     .api_key(
///         "ACxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx",
///         "SKxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx",
///         "your_api_secret",
///     )
///     .edge("sydney")
///     .region("au1")
///     .timeout(Duration::from_secs(10))
///     .build()?;
///
/// // Or from TWILIO_* environment variables:
/// let client = Client::from_env()?;
/// # let _ = client; Ok(()) }
/// ```
#[derive(Clone)]
pub struct Client {
    inner: Arc<Inner>,
}

struct Inner {
    transport: Transport,
    /// Scheme, host and optional path prefix, without a trailing slash.
    base: String,
    /// The same for the REST API host.
    api_base: String,
    account_sid: AccountSid,
    api_key: Option<ApiKeySid>,
}

impl Client {
    /// A client authenticated with an Account SID and its auth token, with default settings.
    ///
    /// # Errors
    ///
    /// [`Error::InvalidInput`] when the Account SID is not `AC…`; [`Error::Config`] when the
    /// HTTP stack cannot be set up.
    pub fn new(account_sid: impl AsRef<str>, auth_token: impl Into<String>) -> Result<Self> {
        Self::builder().auth_token(account_sid, auth_token).build()
    }

    /// A builder for every setting.
    pub fn builder() -> ClientBuilder {
        ClientBuilder::default()
    }

    /// A client configured from the environment; see [`ClientBuilder::from_env`].
    ///
    /// # Errors
    ///
    /// As for [`ClientBuilder::from_env`] and [`ClientBuilder::build`].
    pub fn from_env() -> Result<Self> {
        ClientBuilder::from_env()?.build()
    }

    /// The Account SID the client acts for.
    pub fn account_sid(&self) -> &AccountSid {
        &self.inner.account_sid
    }

    /// The base URL requests go to (`https://verify.twilio.com` unless configured otherwise).
    pub fn base_url(&self) -> &str {
        &self.inner.base
    }

    /// The base URL of the REST API host, where the `messaging` requests go
    /// (`https://api.twilio.com` unless configured otherwise).
    pub fn api_base_url(&self) -> &str {
        &self.inner.api_base
    }

    /// The transport every request of this client goes through.
    pub(crate) fn transport(&self) -> &Transport {
        &self.inner.transport
    }
}

impl fmt::Debug for Client {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Client")
            .field("account_sid", &self.inner.account_sid)
            .field("api_key", &self.inner.api_key)
            .field("base_url", &self.inner.base)
            .field("api_base_url", &self.inner.api_base)
            .field("timeout", &self.inner.transport.limits().timeout)
            .field("retry", &self.inner.transport.limits().retry)
            .field("credentials", &crate::redact::REDACTED)
            .finish()
    }
}

/// How the client authenticates.
#[derive(Clone)]
enum Auth {
    Token {
        account_sid: String,
        token: Secret,
    },
    ApiKey {
        account_sid: String,
        key_sid: String,
        secret: Secret,
    },
}

/// Builds a [`Client`]. Obtained from [`Client::builder`] or [`ClientBuilder::from_env`].
///
/// Credentials are required; everything else has a default.
#[derive(Clone, Default)]
#[must_use = "a builder does nothing until `.build()`"]
pub struct ClientBuilder {
    auth: Option<Auth>,
    region: Option<String>,
    edge: Option<String>,
    base_url: Option<String>,
    api_base_url: Option<String>,
    connect_timeout: Option<Duration>,
    timeout: Option<Duration>,
    max_response_bytes: Option<usize>,
    retry: Option<crate::RetryPolicy>,
    user_agent_extension: Option<String>,
    http_client: Option<reqwest::Client>,
}

impl ClientBuilder {
    /// Authenticates with the Account SID (`AC…`) and its auth token.
    pub fn auth_token(mut self, account_sid: impl AsRef<str>, token: impl Into<String>) -> Self {
        self.auth = Some(Auth::Token {
            account_sid: account_sid.as_ref().to_owned(),
            token: Secret::new(token.into()),
        });
        self
    }

    /// Authenticates with an API key (`SK…`) and its secret, acting for `account_sid`.
    pub fn api_key(
        mut self,
        account_sid: impl AsRef<str>,
        key_sid: impl AsRef<str>,
        secret: impl Into<String>,
    ) -> Self {
        self.auth = Some(Auth::ApiKey {
            account_sid: account_sid.as_ref().to_owned(),
            key_sid: key_sid.as_ref().to_owned(),
            secret: Secret::new(secret.into()),
        });
        self
    }

    /// Sets the Twilio region (`au1`, `ie1`, `us1`…). See [`edge`](Self::edge) for the host rule.
    pub fn region(mut self, region: impl Into<String>) -> Self {
        self.region = Some(region.into());
        self
    }

    /// Sets the Twilio edge location (`sydney`, `dublin`, `ashburn`…).
    ///
    /// With an edge or a region set, the host becomes `verify.{edge}.{region}.twilio.com`; the
    /// region defaults to `us1` when only an edge is set, and a region alone gives
    /// `verify.{region}.twilio.com`. With neither, the host stays `verify.twilio.com`.
    pub fn edge(mut self, edge: impl Into<String>) -> Self {
        self.edge = Some(edge.into());
        self
    }

    /// Sends every request to this base URL instead (a mock server, a proxy). It wins over
    /// region and edge. A path prefix is kept: `http://127.0.0.1:8080/twilio` sends to
    /// `http://127.0.0.1:8080/twilio/v2/…`.
    pub fn base_url(mut self, url: impl Into<String>) -> Self {
        self.base_url = Some(url.into());
        self
    }

    /// Sends the REST API's requests (the `messaging` module) to this base URL instead (a mock
    /// server, a proxy), as [`base_url`](Self::base_url) does for Verify's.
    pub fn api_base_url(mut self, url: impl Into<String>) -> Self {
        self.api_base_url = Some(url.into());
        self
    }

    /// Sets the connect timeout (default 10 s). It applies to the client this builder creates,
    /// not to one given with [`http_client`](Self::http_client).
    pub fn connect_timeout(mut self, timeout: Duration) -> Self {
        self.connect_timeout = Some(timeout);
        self
    }

    /// Sets the timeout of a whole request, from sending to the last byte (default 30 s).
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = Some(timeout);
        self
    }

    /// Caps the size of an answer's body (default 4 MiB); a larger body is an error, not an
    /// out-of-memory.
    pub fn max_response_bytes(mut self, bytes: usize) -> Self {
        self.max_response_bytes = Some(bytes);
        self
    }

    /// Sets the retry policy (default [`RetryPolicy::default`](crate::RetryPolicy): three
    /// attempts for what Twilio provably did not process). `RetryPolicy::never()` turns
    /// retries off.
    pub fn retry(mut self, policy: crate::RetryPolicy) -> Self {
        self.retry = Some(policy);
        self
    }

    /// Appends a product token to the user agent (`my-app/1.2`).
    pub fn user_agent_extension(mut self, extension: impl Into<String>) -> Self {
        self.user_agent_extension = Some(extension.into());
        self
    }

    /// Uses the caller's own `reqwest::Client` (a proxy, custom TLS roots, a shared pool).
    ///
    /// Its connect timeout and TLS settings are its own; the request timeout, user agent and
    /// credentials still come from this builder.
    pub fn http_client(mut self, client: reqwest::Client) -> Self {
        self.http_client = Some(client);
        self
    }

    /// A builder filled from environment variables:
    ///
    /// - `TWILIO_ACCOUNT_SID` (required), and either `TWILIO_API_KEY` + `TWILIO_API_SECRET`
    ///   (preferred when both are set) or `TWILIO_AUTH_TOKEN`;
    /// - `TWILIO_REGION`, `TWILIO_EDGE` (optional);
    /// - `TWILIO_VERIFY_BASE_URL` and `TWILIO_API_BASE_URL` (optional; a mock server or proxy
    ///   for Verify and for the REST API).
    ///
    /// Empty variables count as unset.
    ///
    /// # Errors
    ///
    /// [`Error::Config`] naming the variable that is missing.
    pub fn from_env() -> Result<Self> {
        Self::from_lookup(|key| std::env::var(key).ok())
    }

    /// Like [`from_env`](Self::from_env), reading variables through `lookup` (a config system,
    /// or a map in tests).
    ///
    /// # Errors
    ///
    /// [`Error::Config`] naming the variable that is missing.
    pub fn from_lookup(lookup: impl Fn(&str) -> Option<String>) -> Result<Self> {
        let get = |k: &str| lookup(k).filter(|v| !v.trim().is_empty());
        let account_sid = get("TWILIO_ACCOUNT_SID")
            .ok_or_else(|| Error::Config("TWILIO_ACCOUNT_SID is not set".into()))?;
        let mut b = Self::default();
        b = match (
            get("TWILIO_API_KEY"),
            get("TWILIO_API_SECRET"),
            get("TWILIO_AUTH_TOKEN"),
        ) {
            (Some(key), Some(secret), _) => b.api_key(&account_sid, key, secret),
            (Some(_), None, _) => {
                return Err(Error::Config(
                    "TWILIO_API_KEY is set but TWILIO_API_SECRET is not".into(),
                ));
            }
            (None, _, Some(token)) => b.auth_token(&account_sid, token),
            (None, _, None) => {
                return Err(Error::Config(
                    "set TWILIO_AUTH_TOKEN, or TWILIO_API_KEY and TWILIO_API_SECRET".into(),
                ));
            }
        };
        if let Some(r) = get("TWILIO_REGION") {
            b = b.region(r);
        }
        if let Some(e) = get("TWILIO_EDGE") {
            b = b.edge(e);
        }
        if let Some(u) = get("TWILIO_VERIFY_BASE_URL") {
            b = b.base_url(u);
        }
        if let Some(u) = get("TWILIO_API_BASE_URL") {
            b = b.api_base_url(u);
        }
        Ok(b)
    }

    /// The base URL Verify's requests will go to, following the host rule of
    /// [`edge`](Self::edge).
    ///
    /// # Errors
    ///
    /// [`Error::Config`] when the base URL override is not an `http` or `https` URL, or a
    /// region or edge is not a plain DNS label.
    pub fn resolved_base_url(&self) -> Result<String> {
        self.resolve("verify", DEFAULT_HOST, self.base_url.as_deref())
    }

    /// The base URL the REST API's requests (the `messaging` module) will go to: the same rule
    /// with `api` in place of `verify` (`api.{edge}.{region}.twilio.com`).
    ///
    /// # Errors
    ///
    /// As for [`resolved_base_url`](Self::resolved_base_url).
    pub fn resolved_api_base_url(&self) -> Result<String> {
        self.resolve("api", DEFAULT_API_HOST, self.api_base_url.as_deref())
    }

    /// The base URL of `product`'s host (`verify`, `api`), or the override.
    fn resolve(&self, product: &str, default: &str, base_url: Option<&str>) -> Result<String> {
        if let Some(url) = base_url {
            let parsed = url::Url::parse(url)
                .map_err(|e| Error::Config(format!("base URL is not a URL: {e}")))?;
            if !matches!(parsed.scheme(), "http" | "https") || parsed.host().is_none() {
                return Err(Error::Config(
                    "base URL must be http:// or https:// with a host".into(),
                ));
            }
            if !parsed.username().is_empty() || parsed.password().is_some() {
                return Err(Error::Config(
                    "base URL must not carry credentials; use auth_token() or api_key()".into(),
                ));
            }
            if parsed.query().is_some() || parsed.fragment().is_some() {
                return Err(Error::Config(
                    "base URL must not have a query or fragment".into(),
                ));
            }
            return Ok(url.trim_end_matches('/').to_owned());
        }
        let label = |what: &str, v: &str| -> Result<()> {
            let ok = !v.is_empty()
                && v.len() <= 63
                && v.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-')
                && !v.starts_with('-')
                && !v.ends_with('-');
            if ok {
                Ok(())
            } else {
                Err(Error::Config(format!("{what} must be a plain DNS label")))
            }
        };
        let host = match (&self.edge, &self.region) {
            (None, None) => default.to_owned(),
            (Some(edge), region) => {
                let region = region.as_deref().unwrap_or("us1");
                label("edge", edge)?;
                label("region", region)?;
                format!("{product}.{edge}.{region}.twilio.com")
            }
            (None, Some(region)) => {
                label("region", region)?;
                format!("{product}.{region}.twilio.com")
            }
        };
        Ok(format!("https://{host}"))
    }

    /// Builds the client.
    ///
    /// # Errors
    ///
    /// [`Error::Config`] when no credentials were given or the HTTP stack cannot be set up;
    /// [`Error::InvalidInput`] when a SID is malformed or a secret is empty.
    pub fn build(self) -> Result<Client> {
        let base = self.resolved_base_url()?;
        let api_base = self.resolved_api_base_url()?;
        let parse = |url: &str| {
            url::Url::parse(url).map_err(|e| Error::Config(format!("base URL is not a URL: {e}")))
        };
        let (base_url, api_base_url) = (parse(&base)?, parse(&api_base)?);
        let auth = self.auth.as_ref().ok_or_else(|| {
            Error::Config("no credentials: call auth_token() or api_key()".into())
        })?;
        let (account_sid, api_key, user, secret) = match auth {
            Auth::Token { account_sid, token } => (
                AccountSid::parse(account_sid.as_str())?,
                None,
                account_sid.clone(),
                token,
            ),
            Auth::ApiKey {
                account_sid,
                key_sid,
                secret,
            } => {
                let key = ApiKeySid::parse(key_sid.as_str())?;
                (
                    AccountSid::parse(account_sid.as_str())?,
                    Some(key),
                    key_sid.clone(),
                    secret,
                )
            }
        };
        if secret.is_empty() {
            return Err(InvalidInput::new("auth token or API secret", "must not be empty").into());
        }
        let token =
            base64::engine::general_purpose::STANDARD.encode(format!("{user}:{}", secret.expose()));
        let mut authorization = HeaderValue::try_from(format!("Basic {token}"))
            .map_err(|_| Error::Config("credentials are not valid header text".into()))?;
        authorization.set_sensitive(true);

        let mut ua = format!(
            "twilio-verify-rust/{} ({} {}) rust",
            env!("CARGO_PKG_VERSION"),
            std::env::consts::OS,
            std::env::consts::ARCH
        );
        if let Some(ext) = &self.user_agent_extension {
            ua.push(' ');
            ua.push_str(ext);
        }
        let user_agent = HeaderValue::try_from(ua)
            .map_err(|_| Error::Config("user agent extension is not valid header text".into()))?;

        let http = match self.http_client {
            Some(c) => c,
            None => reqwest::Client::builder()
                .connect_timeout(self.connect_timeout.unwrap_or(DEFAULT_CONNECT_TIMEOUT))
                .redirect(reqwest::redirect::Policy::none())
                .build()
                .map_err(|e| {
                    Error::Config(format!("could not set up HTTP: {}", e.without_url()))
                })?,
        };
        let limits = Limits {
            timeout: self.timeout.unwrap_or(DEFAULT_TIMEOUT),
            max_response_bytes: self
                .max_response_bytes
                .unwrap_or(DEFAULT_MAX_RESPONSE_BYTES),
            retry: self.retry.unwrap_or_default(),
        };
        Ok(Client {
            inner: Arc::new(Inner {
                transport: Transport::new(
                    http,
                    base_url,
                    api_base_url,
                    authorization,
                    user_agent,
                    limits,
                ),
                base,
                api_base,
                account_sid,
                api_key,
            }),
        })
    }
}

impl fmt::Debug for ClientBuilder {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let (account_sid, key) = match &self.auth {
            Some(Auth::Token { account_sid, .. }) => (Some(account_sid.as_str()), None),
            Some(Auth::ApiKey {
                account_sid,
                key_sid,
                ..
            }) => (Some(account_sid.as_str()), Some(key_sid.as_str())),
            None => (None, None),
        };
        f.debug_struct("ClientBuilder")
            .field("account_sid", &account_sid)
            .field("api_key", &key)
            .field("secret", &crate::redact::REDACTED)
            .field("region", &self.region)
            .field("edge", &self.edge)
            .field("base_url", &self.base_url)
            .field("api_base_url", &self.api_base_url)
            .field("connect_timeout", &self.connect_timeout)
            .field("timeout", &self.timeout)
            .finish_non_exhaustive()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const AC: &str = "AC0123456789abcdef0123456789abcdef";
    const SK: &str = "SK0123456789abcdef0123456789abcdef";

    fn host(b: ClientBuilder) -> String {
        b.resolved_base_url().expect("resolves")
    }

    #[test]
    fn host_rule_follows_twilio() {
        assert_eq!(host(Client::builder()), "https://verify.twilio.com");
        assert_eq!(
            host(Client::builder().edge("sydney").region("au1")),
            "https://verify.sydney.au1.twilio.com"
        );
        assert_eq!(
            host(Client::builder().edge("sydney")),
            "https://verify.sydney.us1.twilio.com"
        );
        assert_eq!(
            host(Client::builder().region("ie1")),
            "https://verify.ie1.twilio.com"
        );
        assert_eq!(
            host(
                Client::builder()
                    .edge("sydney")
                    .base_url("http://127.0.0.1:9/")
            ),
            "http://127.0.0.1:9"
        );
        assert!(
            Client::builder()
                .edge("evil.com/x")
                .resolved_base_url()
                .is_err()
        );
        let api = |b: ClientBuilder| b.resolved_api_base_url().expect("resolves");
        assert_eq!(api(Client::builder()), "https://api.twilio.com");
        assert_eq!(
            api(Client::builder().edge("sydney").region("au1")),
            "https://api.sydney.au1.twilio.com"
        );
        assert_eq!(
            api(Client::builder().region("ie1")),
            "https://api.ie1.twilio.com"
        );
        assert_eq!(
            api(Client::builder()
                .base_url("http://127.0.0.1:9")
                .api_base_url("http://127.0.0.1:10/")),
            "http://127.0.0.1:10"
        );
        assert!(
            Client::builder()
                .base_url("ftp://x")
                .resolved_base_url()
                .is_err()
        );
    }

    #[test]
    fn debug_never_shows_secrets() {
        let c = Client::new(AC, "tok-SECRET-123").expect("client");
        let shown = format!("{c:?}");
        assert!(!shown.contains("tok-SECRET-123"), "{shown}");
        assert!(shown.contains(AC));
        let b = Client::builder().api_key(AC, SK, "sec-SECRET-456");
        assert!(!format!("{b:?}").contains("sec-SECRET-456"));
        let c = b.build().expect("client");
        let shown = format!("{c:?}");
        assert!(
            !shown.contains("sec-SECRET-456") && shown.contains(SK),
            "{shown}"
        );
    }

    #[test]
    fn rejects_bad_credentials() {
        let e = Client::new("VA0123456789abcdef0123456789abcdef", "t").expect_err("not AC");
        assert!(e.is_invalid_input());
        let e = Client::builder()
            .api_key(AC, AC, "s")
            .build()
            .expect_err("not SK");
        assert!(e.is_invalid_input());
        assert!(Client::new(AC, "").is_err());
        assert!(matches!(Client::builder().build(), Err(Error::Config(_))));
    }

    #[test]
    fn from_lookup_reads_the_documented_variables() {
        let vars = |pairs: &'static [(&'static str, &'static str)]| {
            move |k: &str| {
                pairs
                    .iter()
                    .find(|(n, _)| *n == k)
                    .map(|(_, v)| (*v).to_owned())
            }
        };
        let b = ClientBuilder::from_lookup(vars(&[
            ("TWILIO_ACCOUNT_SID", AC),
            ("TWILIO_AUTH_TOKEN", "t"),
            ("TWILIO_API_KEY", SK),
            ("TWILIO_API_SECRET", "s"),
            ("TWILIO_EDGE", "dublin"),
            ("TWILIO_REGION", "ie1"),
        ]))
        .expect("builder");
        assert_eq!(host(b.clone()), "https://verify.dublin.ie1.twilio.com");
        let c = b.build().expect("client");
        assert_eq!(c.inner.api_key.as_ref().map(ApiKeySid::as_str), Some(SK));

        let b = ClientBuilder::from_lookup(vars(&[
            ("TWILIO_ACCOUNT_SID", AC),
            ("TWILIO_AUTH_TOKEN", "t"),
            ("TWILIO_VERIFY_BASE_URL", "http://127.0.0.1:4010"),
            ("TWILIO_API_BASE_URL", "http://127.0.0.1:4011"),
        ]))
        .expect("builder");
        assert_eq!(
            b.resolved_api_base_url().expect("api"),
            "http://127.0.0.1:4011"
        );
        assert_eq!(host(b), "http://127.0.0.1:4010");

        let e =
            ClientBuilder::from_lookup(vars(&[("TWILIO_ACCOUNT_SID", AC)])).expect_err("no secret");
        assert!(e.to_string().contains("TWILIO_AUTH_TOKEN"));
        let e = ClientBuilder::from_lookup(vars(&[])).expect_err("no sid");
        assert!(e.to_string().contains("TWILIO_ACCOUNT_SID"));
    }

    #[test]
    fn client_is_send_sync_and_clone() {
        fn assert_traits<T: Send + Sync + Clone + 'static>() {}
        assert_traits::<Client>();
    }
}
