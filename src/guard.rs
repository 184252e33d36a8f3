//! The send guard: checks every code before it is sent, against SMS pumping (toll fraud).
//!
//! Attackers trigger codes to premium number ranges and share the termination fee. Verify's
//! Fraud Guard acts inside Twilio, for SMS only, after the request; the guard acts before it,
//! with what Twilio does not see: the Auth0 user, the requester's IP and its geolocated
//! country. Every rule is off unless configured. In order:
//!
//! 1. **Number validity and country**, on libphonenumber's numbering-plan data (the
//!    `phonenumber` crate): a number not valid for its country (reserved fictional ranges such
//!    as UK 07700 900xxx included), a country outside the allowed list, or one on the blocked
//!    list is refused. The country is the number's own.
//! 2. **Geo consistency**: the request's geolocated country differs from the number's (refused
//!    with [`GeoMismatch::Block`], only reported with [`GeoMismatch::Allow`]).
//! 3. **Rate limits** per recipient, user, IP, number range (prefix) and country, each `N` per
//!    sliding window, counted in a [`Store`] so that replicas share one limit. A send is counted
//!    only when every rule admits it.
//!
//! The rules and the decision are plain code over a store: no HTTP server is needed.
//!
//! ```
//! # async fn run() -> Result<(), Box<dyn std::error::Error>> {
//! use twilio_verify::PhoneNumber;
//! use twilio_verify::guard::{GuardConfig, SendContext, SendGuard};
//! use twilio_verify::store::MemoryStore;
//!
//! let config = GuardConfig::from_lookup(|k| match k {
//!     "BRIDGE_VALIDATE_NUMBERS" => Some("true".into()),
//!     "BRIDGE_BLOCKED_COUNTRIES" => Some("KP".into()),
//!     "BRIDGE_LIMIT_PER_RECIPIENT" => Some("3/10m".into()),
//!     _ => None,
//! })?;
//! let guard = SendGuard::new(config, "a long random hash key");
//! let store = MemoryStore::new(10_000);
//!
//! let number = PhoneNumber::parse("+14155552671")?;
//! let ctx = SendContext::new(&number).user("auth0|42").ip("198.51.100.7").geo_country("US");
//! for _ in 0..3 {
//!     assert!(guard.check(&store, &ctx).await?.is_ok());
//! }
//! let refused = guard.check(&store, &ctx).await?.expect_err("the fourth in ten minutes");
//! assert_eq!(refused.rule.as_str(), "recipient_limit");
//! assert_eq!(refused.status(), 429);
//!
//! // A fictional UK number is not valid for its country.
//! let fictional = PhoneNumber::parse("+447700900123")?;
//! let refused = guard.check(&store, &SendContext::new(&fictional)).await?.expect_err("fictional");
//! assert_eq!(refused.rule.as_str(), "invalid_number");
//! # Ok(()) }
//! ```

use std::fmt;
use std::str::FromStr;
use std::time::Duration;

use crate::error::{Error, InvalidInput};
use crate::phone::PhoneNumber;
use crate::secret::Secret;
use crate::store::{Admission, AdmitTicket, Store, StoreError, WindowLimit, keyed_hash};

/// The default number of leading digits (after `+`) that make a number range: 6.
pub const DEFAULT_PREFIX_DIGITS: usize = 6;

/// At most `max` sends per sliding `period`: written `5/10m`, `20/1h`, `100/1d` or `30/90s`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RateLimit {
    max: u32,
    period: Duration,
}

impl RateLimit {
    /// A limit of `max` per `period`.
    ///
    /// # Errors
    ///
    /// [`InvalidInput`] when `max` is 0 or `period` is shorter than a second.
    pub fn new(max: u32, period: Duration) -> Result<Self, InvalidInput> {
        if max == 0 {
            return Err(InvalidInput::new("limit", "the count must be at least 1"));
        }
        if period < Duration::from_secs(1) {
            return Err(InvalidInput::new(
                "limit",
                "the period must be at least 1 s",
            ));
        }
        Ok(Self { max, period })
    }

    /// The most sends allowed in one period.
    pub fn max(&self) -> u32 {
        self.max
    }

    /// The length of the sliding window.
    pub fn period(&self) -> Duration {
        self.period
    }
}

impl FromStr for RateLimit {
    type Err = InvalidInput;

    /// Reads `N/PERIOD`, where the period is a number and a unit (`s`, `m`, `h` or `d`).
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let bad =
            || InvalidInput::new("limit", "expected N/PERIOD, such as 5/10m, 20/1h or 100/1d");
        let (max, period) = s.trim().split_once('/').ok_or_else(bad)?;
        let max: u32 = max.trim().parse().map_err(|_| bad())?;
        let period = period.trim();
        let unit = period.chars().last().ok_or_else(bad)?;
        let scale = match unit {
            's' => 1,
            'm' => 60,
            'h' => 3600,
            'd' => 86_400,
            _ => return Err(bad()),
        };
        let n: u64 = period[..period.len() - 1].parse().map_err(|_| bad())?;
        Self::new(
            max,
            Duration::from_secs(n.checked_mul(scale).ok_or_else(bad)?),
        )
    }
}

impl fmt::Display for RateLimit {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let s = self.period.as_secs();
        let (n, unit) = if s.is_multiple_of(86_400) {
            (s / 86_400, 'd')
        } else if s.is_multiple_of(3600) {
            (s / 3600, 'h')
        } else if s.is_multiple_of(60) {
            (s / 60, 'm')
        } else {
            (s, 's')
        };
        write!(f, "{}/{n}{unit}", self.max)
    }
}

/// What to do when the request's geolocated country is not the number's.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
#[non_exhaustive]
pub enum GeoMismatch {
    /// Send anyway, and report the mismatch (the default).
    #[default]
    Allow,
    /// Refuse the send.
    Block,
}

/// A key of Verify's programmable rate limits that the bridge can fill from an Auth0 event.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum VerifyRateKey {
    /// `end_user_ip_address`: the IP the login came from.
    EndUserIpAddress,
    /// `user_id`: the Auth0 user id.
    UserId,
}

impl VerifyRateKey {
    /// The rate limit's unique name on the Verify Service.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::EndUserIpAddress => "end_user_ip_address",
            Self::UserId => "user_id",
        }
    }
}

/// Which rules the guard applies. Everything is off by default.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct GuardConfig {
    /// Refuse a number that is not valid for its country (`BRIDGE_VALIDATE_NUMBERS=true`).
    pub validate_numbers: bool,
    /// If not empty, refuse every other country (`BRIDGE_ALLOWED_COUNTRIES`: ISO alpha-2 codes,
    /// or calling codes such as `+882` for networks without a country).
    pub allowed_countries: Vec<String>,
    /// Refuse these countries (`BRIDGE_BLOCKED_COUNTRIES`, written the same way).
    pub blocked_countries: Vec<String>,
    /// What a geolocation that disagrees with the number does (`BRIDGE_GEO_MISMATCH`).
    pub geo_mismatch: GeoMismatch,
    /// Sends to one number (`BRIDGE_LIMIT_PER_RECIPIENT`).
    pub limit_per_recipient: Option<RateLimit>,
    /// Sends for one Auth0 user (`BRIDGE_LIMIT_PER_USER`).
    pub limit_per_user: Option<RateLimit>,
    /// Sends requested from one IP (`BRIDGE_LIMIT_PER_IP`).
    pub limit_per_ip: Option<RateLimit>,
    /// Sends to one number range (`BRIDGE_LIMIT_PER_PREFIX`).
    pub limit_per_prefix: Option<RateLimit>,
    /// Sends to one country (`BRIDGE_LIMIT_PER_COUNTRY`).
    pub limit_per_country: Option<RateLimit>,
    /// How many digits after `+` make a number range (`BRIDGE_PREFIX_DIGITS`, default 6).
    pub prefix_digits: usize,
    /// Keys of Verify's own rate limits to fill in each request (`BRIDGE_VERIFY_RATE_LIMITS`).
    pub verify_rate_limits: Vec<VerifyRateKey>,
}

impl Default for GuardConfig {
    fn default() -> Self {
        Self {
            validate_numbers: false,
            allowed_countries: Vec::new(),
            blocked_countries: Vec::new(),
            geo_mismatch: GeoMismatch::Allow,
            limit_per_recipient: None,
            limit_per_user: None,
            limit_per_ip: None,
            limit_per_prefix: None,
            limit_per_country: None,
            prefix_digits: DEFAULT_PREFIX_DIGITS,
            verify_rate_limits: Vec::new(),
        }
    }
}

/// The variables [`GuardConfig::from_lookup`] reads.
pub const GUARD_VARIABLES: [&str; 11] = [
    "BRIDGE_VALIDATE_NUMBERS",
    "BRIDGE_ALLOWED_COUNTRIES",
    "BRIDGE_BLOCKED_COUNTRIES",
    "BRIDGE_GEO_MISMATCH",
    "BRIDGE_LIMIT_PER_RECIPIENT",
    "BRIDGE_LIMIT_PER_USER",
    "BRIDGE_LIMIT_PER_IP",
    "BRIDGE_LIMIT_PER_PREFIX",
    "BRIDGE_LIMIT_PER_COUNTRY",
    "BRIDGE_PREFIX_DIGITS",
    "BRIDGE_VERIFY_RATE_LIMITS",
];

/// Reads a list of countries: ISO 3166 alpha-2 codes the numbering plan knows (`GB`, not
/// `UK`), or calling codes written `+882` for networks without a country.
fn countries(name: &str, value: &str) -> Result<Vec<String>, Error> {
    value
        .split(',')
        .map(str::trim)
        .filter(|c| !c.is_empty())
        .map(|c| {
            let upper = c.to_ascii_uppercase();
            let known_region = upper.len() == 2
                && upper.bytes().all(|b| b.is_ascii_uppercase())
                && phonenumber::metadata::DATABASE.by_id(&upper).is_some();
            let calling_code = upper
                .strip_prefix('+')
                .and_then(|d| d.parse::<u16>().ok())
                .is_some_and(|code| phonenumber::metadata::DATABASE.by_code(&code).is_some());
            if known_region || calling_code {
                Ok(upper)
            } else {
                Err(Error::Config(format!(
                    "{name}: `{c}` is neither an ISO 3166 alpha-2 country code of the numbering plan (GB, not UK) nor a calling code such as +882"
                )))
            }
        })
        .collect()
}

impl GuardConfig {
    /// Reads the `BRIDGE_*` guard variables from the environment.
    ///
    /// # Errors
    ///
    /// [`Error::Config`] naming the first malformed variable.
    pub fn from_env() -> Result<Self, Error> {
        Self::from_lookup(|k| std::env::var(k).ok())
    }

    /// Reads the guard variables through `lookup`: `BRIDGE_VALIDATE_NUMBERS` (`true`/`false`),
    /// `BRIDGE_ALLOWED_COUNTRIES` and `BRIDGE_BLOCKED_COUNTRIES` (comma-separated ISO 3166
    /// alpha-2 codes), `BRIDGE_GEO_MISMATCH` (`allow`/`block`), `BRIDGE_LIMIT_PER_RECIPIENT`,
    /// `_USER`, `_IP`, `_PREFIX` and `_COUNTRY` (`N/PERIOD`), `BRIDGE_PREFIX_DIGITS`, and
    /// `BRIDGE_VERIFY_RATE_LIMITS` (`end_user_ip_address`, `user_id`).
    ///
    /// # Errors
    ///
    /// [`Error::Config`] naming the first malformed variable.
    pub fn from_lookup(lookup: impl Fn(&str) -> Option<String>) -> Result<Self, Error> {
        let get = |k: &str| lookup(k).filter(|v| !v.trim().is_empty());
        let mut c = Self::default();
        if let Some(v) = get("BRIDGE_VALIDATE_NUMBERS") {
            c.validate_numbers = match v.trim().to_ascii_lowercase().as_str() {
                "true" | "1" | "yes" => true,
                "false" | "0" | "no" => false,
                _ => {
                    return Err(Error::Config(
                        "BRIDGE_VALIDATE_NUMBERS: expected true or false".into(),
                    ));
                }
            };
        }
        if let Some(v) = get("BRIDGE_ALLOWED_COUNTRIES") {
            c.allowed_countries = countries("BRIDGE_ALLOWED_COUNTRIES", &v)?;
        }
        if let Some(v) = get("BRIDGE_BLOCKED_COUNTRIES") {
            c.blocked_countries = countries("BRIDGE_BLOCKED_COUNTRIES", &v)?;
        }
        if let Some(v) = get("BRIDGE_GEO_MISMATCH") {
            c.geo_mismatch = match v.trim().to_ascii_lowercase().as_str() {
                "allow" => GeoMismatch::Allow,
                "block" => GeoMismatch::Block,
                _ => {
                    return Err(Error::Config(
                        "BRIDGE_GEO_MISMATCH: expected allow or block".into(),
                    ));
                }
            };
        }
        let limit = |name: &str| -> Result<Option<RateLimit>, Error> {
            get(name)
                .map(|v| {
                    v.parse::<RateLimit>()
                        .map_err(|e| Error::Config(format!("{name}: {}", e.reason())))
                })
                .transpose()
        };
        c.limit_per_recipient = limit("BRIDGE_LIMIT_PER_RECIPIENT")?;
        c.limit_per_user = limit("BRIDGE_LIMIT_PER_USER")?;
        c.limit_per_ip = limit("BRIDGE_LIMIT_PER_IP")?;
        c.limit_per_prefix = limit("BRIDGE_LIMIT_PER_PREFIX")?;
        c.limit_per_country = limit("BRIDGE_LIMIT_PER_COUNTRY")?;
        if let Some(v) = get("BRIDGE_PREFIX_DIGITS") {
            c.prefix_digits = v
                .trim()
                .parse()
                .ok()
                .filter(|n| (1..=15).contains(n))
                .ok_or_else(|| Error::Config("BRIDGE_PREFIX_DIGITS: expected 1 to 15".into()))?;
        }
        if let Some(v) = get("BRIDGE_VERIFY_RATE_LIMITS") {
            for name in v.split(',').map(str::trim).filter(|n| !n.is_empty()) {
                let key = match name {
                    "end_user_ip_address" => VerifyRateKey::EndUserIpAddress,
                    "user_id" => VerifyRateKey::UserId,
                    other => {
                        return Err(Error::Config(format!(
                            "BRIDGE_VERIFY_RATE_LIMITS: `{other}` is not one the bridge can fill (end_user_ip_address, user_id)"
                        )));
                    }
                };
                if !c.verify_rate_limits.contains(&key) {
                    c.verify_rate_limits.push(key);
                }
            }
        }
        Ok(c)
    }

    /// Whether no rule is configured.
    pub fn is_off(&self) -> bool {
        *self
            == Self {
                prefix_digits: self.prefix_digits,
                ..Self::default()
            }
    }

    /// The rules in force, in one line without secrets, for a start-up log line.
    pub fn describe(&self) -> String {
        if self.is_off() {
            return "guard off".into();
        }
        let mut parts = Vec::new();
        if self.validate_numbers {
            parts.push("valid numbers only".to_owned());
        }
        if !self.allowed_countries.is_empty() {
            parts.push(format!("countries {}", self.allowed_countries.join(",")));
        }
        if !self.blocked_countries.is_empty() {
            parts.push(format!("blocked {}", self.blocked_countries.join(",")));
        }
        if self.geo_mismatch == GeoMismatch::Block {
            parts.push("geo mismatch blocked".to_owned());
        }
        for (name, limit) in [
            ("recipient", self.limit_per_recipient),
            ("user", self.limit_per_user),
            ("ip", self.limit_per_ip),
            ("prefix", self.limit_per_prefix),
            ("country", self.limit_per_country),
        ] {
            if let Some(l) = limit {
                if name == "prefix" {
                    parts.push(format!("prefix({} digits) {l}", self.prefix_digits));
                } else {
                    parts.push(format!("{name} {l}"));
                }
            }
        }
        if !self.verify_rate_limits.is_empty() {
            let keys: Vec<_> = self.verify_rate_limits.iter().map(|k| k.as_str()).collect();
            parts.push(format!("Verify RateLimits {}", keys.join(",")));
        }
        format!("guard: {}", parts.join("; "))
    }
}

/// The rule behind a refusal.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Rule {
    /// The number is not valid for its country.
    InvalidNumber,
    /// The number's country is not allowed, or is blocked.
    Country,
    /// The request's geolocated country is not the number's.
    GeoMismatch,
    /// Too many sends to this number.
    RecipientLimit,
    /// Too many sends for this user.
    UserLimit,
    /// Too many sends requested from this IP.
    IpLimit,
    /// Too many sends to this number range.
    PrefixLimit,
    /// Too many sends to this country.
    CountryLimit,
}

impl Rule {
    /// A stable snake_case name (`prefix_limit`), for answers, logs and metrics.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::InvalidNumber => "invalid_number",
            Self::Country => "country",
            Self::GeoMismatch => "geo_mismatch",
            Self::RecipientLimit => "recipient_limit",
            Self::UserLimit => "user_limit",
            Self::IpLimit => "ip_limit",
            Self::PrefixLimit => "prefix_limit",
            Self::CountryLimit => "country_limit",
        }
    }

    /// Whether this is a rate limit (a refusal that passes with time).
    pub fn is_rate_limit(self) -> bool {
        matches!(
            self,
            Self::RecipientLimit
                | Self::UserLimit
                | Self::IpLimit
                | Self::PrefixLimit
                | Self::CountryLimit
        )
    }
}

impl fmt::Display for Rule {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A send the guard refused. It never holds the number.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct Refusal {
    /// Which rule refused.
    pub rule: Rule,
    /// For a rate limit, when the oldest send in the window leaves it.
    pub retry_after: Option<Duration>,
}

impl Refusal {
    /// The HTTP status that fits: 429 for a rate limit, 403 for a policy rule.
    pub fn status(&self) -> u16 {
        if self.rule.is_rate_limit() { 429 } else { 403 }
    }

    /// A sentence for the answer, without personal data.
    pub fn message(&self) -> &'static str {
        match self.rule {
            Rule::InvalidNumber => "the number is not valid for its country",
            Rule::Country => "codes are not sent to this country",
            Rule::GeoMismatch => "the request comes from another country than the number",
            Rule::RecipientLimit => "too many codes sent to this number; try again later",
            Rule::UserLimit => "too many codes sent for this user; try again later",
            Rule::IpLimit => "too many codes requested from this address; try again later",
            Rule::PrefixLimit => "too many codes sent to this number range; try again later",
            Rule::CountryLimit => "too many codes sent to this country; try again later",
        }
    }
}

/// What the guard knows of one send.
#[derive(Debug, Clone, Copy)]
#[non_exhaustive]
pub struct SendContext<'a> {
    /// The recipient.
    pub recipient: &'a PhoneNumber,
    /// The Auth0 user, when the event names one.
    pub user_id: Option<&'a str>,
    /// The IP the login came from (`request.ip`).
    pub ip: Option<&'a str>,
    /// The login's geolocated country (`request.geoip.countryCode`).
    pub geo_country: Option<&'a str>,
}

impl<'a> SendContext<'a> {
    /// A send to `recipient`, with nothing else known.
    pub fn new(recipient: &'a PhoneNumber) -> Self {
        Self {
            recipient,
            user_id: None,
            ip: None,
            geo_country: None,
        }
    }

    /// The Auth0 user.
    #[must_use]
    pub fn user(mut self, user_id: &'a str) -> Self {
        self.user_id = Some(user_id);
        self
    }

    /// The requester's IP.
    #[must_use]
    pub fn ip(mut self, ip: &'a str) -> Self {
        self.ip = Some(ip);
        self
    }

    /// The requester's geolocated country (ISO alpha-2).
    #[must_use]
    pub fn geo_country(mut self, country: &'a str) -> Self {
        self.geo_country = Some(country);
        self
    }
}

/// A send the guard admitted, with what it learned.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct Admitted {
    /// The number's country (ISO alpha-2), when the numbering plan names one.
    pub country: Option<String>,
    /// The number's calling code, when the numbering plan was consulted.
    pub calling_code: Option<u16>,
    /// Whether the geolocated country differed from the number's (reported, not refused).
    pub geo_mismatch: bool,
    /// The event counted against the rate limits, if any: hand it to [`SendGuard::refund`]
    /// when the send provably never went out.
    pub ticket: Option<AdmitTicket>,
}

/// A send that passed the policy, and the rate-limit counters it must still be admitted by.
pub(crate) struct Planned {
    admitted: Admitted,
    keys: Vec<(Rule, String, RateLimit)>,
}

impl Planned {
    /// The counters, for [`Store::admit`] or [`Store::claim_admit`].
    pub(crate) fn limits(&self) -> Vec<WindowLimit<'_>> {
        window_limits(&self.keys)
    }

    /// The verdict once the store answered (`None`: no counter to check).
    pub(crate) fn settle(self, admission: Option<Admission>) -> Result<Admitted, Refusal> {
        match admission {
            None => Ok(self.admitted),
            Some(Admission::Admitted(ticket)) => Ok(Admitted {
                ticket: Some(ticket),
                ..self.admitted
            }),
            Some(Admission::Refused { limit, retry_after }) => Err(Refusal {
                rule: self.keys.get(limit).map_or(Rule::RecipientLimit, |k| k.0),
                retry_after: Some(retry_after),
            }),
        }
    }
}

/// What the numbering plan says of a number.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct NumberInfo {
    /// The country (ISO alpha-2) the number belongs to, or for a number in no region's ranges,
    /// the one region of its calling code. `None` for non-geographic numbers (`+800`, `+882`
    /// and the like), and for a number in no region's ranges under a shared code (`+1`, `+44`):
    /// the guard never guesses between countries.
    pub country: Option<String>,
    /// The country calling code (`1`, `44`, `882`), when the number has a known one.
    pub calling_code: Option<u16>,
    /// Whether the number is valid for its country (or its non-geographic network).
    pub valid: bool,
}

/// Looks a number up in libphonenumber's numbering-plan data.
pub fn number_info(number: &PhoneNumber) -> NumberInfo {
    let Ok(parsed) = phonenumber::parse(None, number.as_str()) else {
        return NumberInfo {
            country: None,
            calling_code: None,
            valid: false,
        };
    };
    let code = parsed.code().value();
    let country = parsed
        .country()
        .id()
        .map(|id| id.as_ref().to_owned())
        .or_else(|| {
            // In no region's ranges: the calling code still names the country when exactly one
            // region uses it (+33 is France); shared codes (+1, +44, +7) are not guessed.
            let regions = phonenumber::metadata::DATABASE.by_code(&code)?;
            match regions.as_slice() {
                [only] => Some(only.id().to_owned()),
                _ => None,
            }
        })
        // Non-geographic networks are listed under the pseudo-region `001`.
        .filter(|c| c.len() == 2 && c.bytes().all(|b| b.is_ascii_uppercase()));
    NumberInfo {
        country,
        calling_code: Some(code).filter(|c| *c > 0),
        valid: parsed.is_valid(),
    }
}

fn window_limits(keys: &[(Rule, String, RateLimit)]) -> Vec<WindowLimit<'_>> {
    keys.iter()
        .map(|(_, key, l)| WindowLimit {
            key,
            max: l.max(),
            window: l.period(),
        })
        .collect()
}

/// The send guard: a [`GuardConfig`] and the key of the hashes that name numbers, users and IPs
/// in the store.
#[derive(Clone)]
pub struct SendGuard {
    config: GuardConfig,
    hash_key: Secret,
}

impl fmt::Debug for SendGuard {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("SendGuard")
            .field("config", &self.config)
            .finish_non_exhaustive()
    }
}

impl SendGuard {
    /// A guard applying `config`; `hash_key` keys the hashes its counters are stored under
    /// (replicas must share it).
    pub fn new(config: GuardConfig, hash_key: impl Into<Secret>) -> Self {
        Self {
            config,
            hash_key: hash_key.into(),
        }
    }

    /// The rules in force.
    pub fn config(&self) -> &GuardConfig {
        &self.config
    }

    /// The rules that need no store: number validity, countries, geo consistency.
    ///
    /// # Errors
    ///
    /// The [`Refusal`] of the first rule that refuses.
    pub fn check_policy(&self, ctx: &SendContext<'_>) -> Result<Admitted, Refusal> {
        let c = &self.config;
        let needs_plan = c.validate_numbers
            || !c.allowed_countries.is_empty()
            || !c.blocked_countries.is_empty()
            || ctx.geo_country.is_some()
            || c.limit_per_country.is_some();
        let info = if needs_plan {
            number_info(ctx.recipient)
        } else {
            NumberInfo {
                country: None,
                calling_code: None,
                valid: true,
            }
        };
        let refuse = |rule| Refusal {
            rule,
            retry_after: None,
        };
        if c.validate_numbers && !info.valid {
            return Err(refuse(Rule::InvalidNumber));
        }
        let country = info.country.as_deref();
        let code = info.calling_code.map(|c| format!("+{c}"));
        // A list names a number by its country, or by its calling code.
        let listed = |list: &[String]| {
            list.iter()
                .any(|e| Some(e.as_str()) == country || Some(e) == code.as_ref())
        };
        if !c.allowed_countries.is_empty() && !listed(&c.allowed_countries) {
            return Err(refuse(Rule::Country));
        }
        if listed(&c.blocked_countries) {
            return Err(refuse(Rule::Country));
        }
        // A number with no country (a non-geographic network) never matches a geolocation.
        let geo_mismatch = match ctx.geo_country.map(str::trim) {
            Some(geo) if !geo.is_empty() => !country.is_some_and(|k| geo.eq_ignore_ascii_case(k)),
            _ => false,
        };
        if geo_mismatch && c.geo_mismatch == GeoMismatch::Block {
            return Err(refuse(Rule::GeoMismatch));
        }
        Ok(Admitted {
            country: info.country,
            calling_code: info.calling_code,
            geo_mismatch,
            ticket: None,
        })
    }

    /// Every rule: the policy first, then the rate limits, counted in `store`. A send is
    /// counted against every limit only when every rule admits it, so a refused send uses up
    /// nothing.
    ///
    /// # Errors
    ///
    /// [`StoreError`] when the store cannot be reached: send nothing then.
    pub async fn check(
        &self,
        store: &dyn Store,
        ctx: &SendContext<'_>,
    ) -> Result<Result<Admitted, Refusal>, StoreError> {
        let planned = match self.plan(ctx) {
            Ok(p) => p,
            Err(refusal) => return Ok(Err(refusal)),
        };
        let admission = if planned.keys.is_empty() {
            None
        } else {
            Some(store.admit(&planned.limits()).await?)
        };
        Ok(planned.settle(admission))
    }

    /// The policy, and the counters the send must then be admitted by: the first half of
    /// [`check`](Self::check), for a caller that counts in the same store call as its claim.
    pub(crate) fn plan(&self, ctx: &SendContext<'_>) -> Result<Planned, Refusal> {
        let admitted = self.check_policy(ctx)?;
        let keys = self.limits_for(ctx, &admitted);
        Ok(Planned { admitted, keys })
    }

    /// Takes a send back from every rate limit it was counted against: for a send that
    /// provably never went out (Verify refused it, or it could not be made), so that a retry
    /// is not refused for it.
    ///
    /// # Errors
    ///
    /// [`StoreError`] when the store cannot be reached.
    pub async fn refund(
        &self,
        store: &dyn Store,
        ctx: &SendContext<'_>,
        admitted: &Admitted,
    ) -> Result<(), StoreError> {
        let Some(ticket) = &admitted.ticket else {
            return Ok(());
        };
        let keys = self.limits_for(ctx, admitted);
        store.refund(&window_limits(&keys), ticket).await
    }

    /// The counters a send is checked against: the rule, the store key, the limit.
    fn limits_for(
        &self,
        ctx: &SendContext<'_>,
        admitted: &Admitted,
    ) -> Vec<(Rule, String, RateLimit)> {
        let c = &self.config;
        let hash = |kind: &str, value: &str| keyed_hash(&self.hash_key, kind, value);
        let digits = ctx.recipient.as_str().trim_start_matches('+');
        let prefix: String = digits.chars().take(c.prefix_digits).collect();
        let mut keys: Vec<(Rule, String, RateLimit)> = Vec::new();
        let mut add = |rule, limit: Option<RateLimit>, key: Option<String>| {
            if let (Some(limit), Some(key)) = (limit, key) {
                keys.push((rule, key, limit));
            }
        };
        add(
            Rule::RecipientLimit,
            c.limit_per_recipient,
            Some(format!("rl:to:{}", hash("number", ctx.recipient.as_str()))),
        );
        add(
            Rule::UserLimit,
            c.limit_per_user,
            ctx.user_id.map(|u| format!("rl:user:{}", hash("user", u))),
        );
        add(
            Rule::IpLimit,
            c.limit_per_ip,
            ctx.ip.map(|ip| format!("rl:ip:{}", hash("ip", ip.trim()))),
        );
        add(
            Rule::PrefixLimit,
            c.limit_per_prefix,
            Some(format!("rl:prefix:{}", hash("prefix", &prefix))),
        );
        add(
            Rule::CountryLimit,
            c.limit_per_country,
            // A number without a country (a non-geographic network such as +882) is counted
            // under its calling code.
            Some(match (&admitted.country, admitted.calling_code) {
                (Some(country), _) => format!("rl:country:{country}"),
                (None, Some(code)) => format!("rl:country:+{code}"),
                (None, None) => "rl:country:unknown".to_owned(),
            }),
        );
        keys
    }

    /// The `RateLimits` entries for Verify's programmable rate limits, for the keys configured
    /// and known for this send (`end_user_ip_address` from the IP, `user_id` from the user).
    pub fn verify_rate_limits(&self, ctx: &SendContext<'_>) -> Vec<(&'static str, String)> {
        self.config
            .verify_rate_limits
            .iter()
            .filter_map(|k| {
                let value = match k {
                    VerifyRateKey::EndUserIpAddress => ctx.ip?,
                    VerifyRateKey::UserId => ctx.user_id?,
                };
                Some((k.as_str(), value.trim().to_owned()))
            })
            .filter(|(_, v)| !v.is_empty())
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::MemoryStore;

    fn number(s: &str) -> PhoneNumber {
        PhoneNumber::parse(s).expect("E.164")
    }

    fn guard(vars: &[(&str, &str)]) -> SendGuard {
        let config = GuardConfig::from_lookup(|k| {
            vars.iter()
                .find(|(name, _)| *name == k)
                .map(|(_, v)| (*v).to_owned())
        })
        .expect("config");
        SendGuard::new(config, "test key")
    }

    fn block<T>(f: impl std::future::Future<Output = T>) -> T {
        tokio::runtime::Builder::new_current_thread()
            .enable_time()
            .build()
            .expect("runtime")
            .block_on(f)
    }

    fn rule(r: Result<Admitted, Refusal>) -> Option<&'static str> {
        r.err().map(|refusal| refusal.rule.as_str())
    }

    #[test]
    fn rate_limits_read_and_print_in_every_unit() {
        for (text, max, secs, shown) in [
            ("5/10m", 5, 600, "5/10m"),
            ("20/1h", 20, 3600, "20/1h"),
            ("100/1d", 100, 86_400, "100/1d"),
            (" 3 / 90s ", 3, 90, "3/90s"),
            ("2/120m", 2, 7200, "2/2h"),
        ] {
            let l: RateLimit = text.parse().expect(text);
            assert_eq!((l.max(), l.period().as_secs()), (max, secs), "{text}");
            assert_eq!(l.to_string(), shown);
        }
        for bad in ["5", "0/1m", "5/0s", "5/10", "5/10w", "x/1m", "5/m", "-1/1m"] {
            assert!(bad.parse::<RateLimit>().is_err(), "{bad}");
        }
    }

    #[test]
    fn config_reads_every_rule_and_names_the_bad_variable() {
        let g = guard(&[
            ("BRIDGE_VALIDATE_NUMBERS", "true"),
            ("BRIDGE_ALLOWED_COUNTRIES", "us, ca,GB"),
            ("BRIDGE_BLOCKED_COUNTRIES", "kp"),
            ("BRIDGE_GEO_MISMATCH", "block"),
            ("BRIDGE_LIMIT_PER_RECIPIENT", "5/10m"),
            ("BRIDGE_LIMIT_PER_USER", "10/1h"),
            ("BRIDGE_LIMIT_PER_IP", "20/1h"),
            ("BRIDGE_LIMIT_PER_PREFIX", "50/1h"),
            ("BRIDGE_LIMIT_PER_COUNTRY", "1000/1d"),
            ("BRIDGE_PREFIX_DIGITS", "7"),
            ("BRIDGE_VERIFY_RATE_LIMITS", "end_user_ip_address,user_id"),
        ]);
        let c = g.config();
        assert!(c.validate_numbers);
        assert_eq!(c.allowed_countries, ["US", "CA", "GB"]);
        assert_eq!(c.blocked_countries, ["KP"]);
        assert_eq!(c.geo_mismatch, GeoMismatch::Block);
        assert_eq!(c.prefix_digits, 7);
        assert_eq!(c.verify_rate_limits.len(), 2);
        assert!(!c.is_off());
        let line = c.describe();
        for part in [
            "valid numbers only",
            "countries US,CA,GB",
            "blocked KP",
            "prefix(7 digits) 50/1h",
            "country 1000/1d",
        ] {
            assert!(line.contains(part), "{part} in {line}");
        }
        assert!(GuardConfig::default().is_off());
        assert_eq!(GuardConfig::default().describe(), "guard off");

        for (name, value) in [
            ("BRIDGE_VALIDATE_NUMBERS", "maybe"),
            ("BRIDGE_ALLOWED_COUNTRIES", "USA"),
            ("BRIDGE_ALLOWED_COUNTRIES", "UK"),
            ("BRIDGE_BLOCKED_COUNTRIES", "1"),
            ("BRIDGE_BLOCKED_COUNTRIES", "+999"),
            ("BRIDGE_GEO_MISMATCH", "warn"),
            ("BRIDGE_LIMIT_PER_IP", "lots"),
            ("BRIDGE_PREFIX_DIGITS", "0"),
            ("BRIDGE_VERIFY_RATE_LIMITS", "phone_number"),
        ] {
            let e = GuardConfig::from_lookup(|k| (k == name).then(|| value.to_owned()))
                .expect_err(name);
            assert!(e.to_string().contains(name), "{e}");
        }
    }

    #[test]
    fn the_numbering_plan_knows_valid_numbers_and_their_countries() {
        let info = |n: &str| number_info(&number(n));
        assert_eq!(info("+14155552671").country.as_deref(), Some("US"));
        assert_eq!(
            info("+16045550123").country.as_deref(),
            Some("CA"),
            "+1 is shared"
        );
        assert_eq!(info("+33612345678").country.as_deref(), Some("FR"));
        assert!(info("+14155552671").valid);
        // They look like E.164 but are not valid for their country.
        for n in ["+447700900123", "+15550100123", "+49151234"] {
            assert!(!info(n).valid, "{n}");
        }
        // The fictional range is in no region's ranges, and +44 is shared (GB, GG, JE, IM).
        assert_eq!(info("+447700900123").country, None);
        assert_eq!(
            info("+33100000000").country.as_deref(),
            Some("FR"),
            "+33 is France's alone"
        );
        // A non-geographic network has a calling code and no country.
        let satellite = info("+882351234567");
        assert_eq!(
            (satellite.country, satellite.calling_code),
            (None, Some(882))
        );
    }

    #[test]
    fn number_validity_and_country_rules() {
        let g = guard(&[("BRIDGE_VALIDATE_NUMBERS", "true")]);
        let check = |g: &SendGuard, n: &str| rule(g.check_policy(&SendContext::new(&number(n))));
        assert_eq!(check(&g, "+447700900123"), Some("invalid_number"));
        assert_eq!(check(&g, "+14155552671"), None);
        // Without the rule, the fictional range passes.
        assert_eq!(check(&guard(&[]), "+447700900123"), None);

        let allowed = guard(&[("BRIDGE_ALLOWED_COUNTRIES", "US,GB")]);
        assert_eq!(check(&allowed, "+14155552671"), None);
        assert_eq!(
            check(&allowed, "+16045550123"),
            Some("country"),
            "Canada shares +1"
        );
        assert_eq!(
            check(&allowed, "+882351234567"),
            Some("country"),
            "no country at all"
        );
        let blocked = guard(&[("BRIDGE_BLOCKED_COUNTRIES", "FR,+882")]);
        assert_eq!(check(&blocked, "+33612345678"), Some("country"));
        assert_eq!(
            check(&blocked, "+882351234567"),
            Some("country"),
            "by calling code"
        );
        assert_eq!(check(&blocked, "+14155552671"), None);
        // An unassigned +1 area code is not taken for the US.
        assert_eq!(
            check(
                &guard(&[("BRIDGE_ALLOWED_COUNTRIES", "US")]),
                "+15550100123"
            ),
            Some("country")
        );
    }

    #[test]
    fn a_geo_mismatch_is_refused_or_reported() {
        let n = number("+14155552671");
        let from = |g: &'static str| SendContext::new(&n).geo_country(g);
        let block = guard(&[("BRIDGE_GEO_MISMATCH", "block")]);
        assert_eq!(rule(block.check_policy(&from("NG"))), Some("geo_mismatch"));
        assert_eq!(
            rule(block.check_policy(&from("us"))),
            None,
            "case does not matter"
        );
        assert_eq!(
            rule(block.check_policy(&SendContext::new(&n))),
            None,
            "no geoip"
        );
        let allow = guard(&[]);
        let admitted = allow.check_policy(&from("NG")).expect("allowed");
        assert!(admitted.geo_mismatch);
        assert_eq!(admitted.country.as_deref(), Some("US"));
    }

    #[test]
    fn each_rate_limit_counts_only_its_own_key() {
        let store = MemoryStore::new(1000);
        let g = guard(&[
            ("BRIDGE_LIMIT_PER_RECIPIENT", "2/1h"),
            ("BRIDGE_LIMIT_PER_USER", "3/1h"),
            ("BRIDGE_LIMIT_PER_IP", "4/1h"),
        ]);
        let numbers: Vec<PhoneNumber> =
            (0..6).map(|i| number(&format!("+1415555267{i}"))).collect();
        let check = |ctx: SendContext<'_>| block(g.check(&store, &ctx)).expect("store");
        // One number: the third send is refused, with a Retry-After.
        for _ in 0..2 {
            assert!(check(SendContext::new(&numbers[0])).is_ok());
        }
        let refused = check(SendContext::new(&numbers[0])).expect_err("third");
        assert_eq!(
            (refused.rule, refused.status()),
            (Rule::RecipientLimit, 429)
        );
        assert!(
            refused
                .retry_after
                .is_some_and(|d| d <= Duration::from_secs(3600))
        );
        // One user across numbers: the fourth is refused by the user limit.
        for n in &numbers[1..4] {
            assert!(check(SendContext::new(n).user("auth0|u")).is_ok());
        }
        assert_eq!(
            rule(check(SendContext::new(&numbers[4]).user("auth0|u"))),
            Some("user_limit")
        );
        // That refusal used up nothing: the number still has both of its two sends.
        for _ in 0..2 {
            assert!(check(SendContext::new(&numbers[4]).user("auth0|v")).is_ok());
        }
        assert_eq!(
            rule(check(SendContext::new(&numbers[4]).user("auth0|w"))),
            Some("recipient_limit")
        );
        // One IP across fresh numbers: four sends, then refused by the IP limit.
        let fresh: Vec<PhoneNumber> = (0..5).map(|i| number(&format!("+1212555012{i}"))).collect();
        for n in &fresh[..4] {
            assert!(check(SendContext::new(n).ip("203.0.113.9")).is_ok());
        }
        assert_eq!(
            rule(check(SendContext::new(&fresh[4]).ip("203.0.113.9"))),
            Some("ip_limit")
        );
        // The same number without an IP on the event: the IP limit does not apply.
        assert!(check(SendContext::new(&fresh[4])).is_ok());
    }

    #[test]
    fn prefix_and_country_limits_catch_a_pumping_range() {
        let store = MemoryStore::new(1000);
        let g = guard(&[
            ("BRIDGE_LIMIT_PER_PREFIX", "3/1h"),
            ("BRIDGE_PREFIX_DIGITS", "8"),
            ("BRIDGE_LIMIT_PER_COUNTRY", "5/1h"),
        ]);
        let check = |n: &str| block(g.check(&store, &SendContext::new(&number(n)))).expect("store");
        // Sequential numbers in one range: three pass, the rest are refused by the prefix.
        let range: Vec<_> = (0..6)
            .map(|i| check(&format!("+4420794609{i:02}")))
            .collect();
        assert_eq!(range.iter().filter(|r| r.is_ok()).count(), 3);
        assert_eq!(rule(range[5].clone()), Some("prefix_limit"));
        // Two more UK numbers in other ranges fill the country's five; the sixth is refused.
        assert!(check("+442071234567").is_ok());
        assert!(check("+442087654321").is_ok());
        assert_eq!(rule(check("+442033334444")), Some("country_limit"));
        // Another country is counted apart.
        assert!(check("+33612345678").is_ok());
    }

    #[test]
    fn a_limit_slides_and_a_refund_gives_the_slot_back() {
        let store = MemoryStore::new(100);
        let g = guard(&[("BRIDGE_LIMIT_PER_RECIPIENT", "2/2s")]);
        let n = number("+14155552671");
        let ctx = SendContext::new(&n);
        let check = || block(g.check(&store, &ctx)).expect("store");
        assert!(check().is_ok(), "t=0");
        std::thread::sleep(Duration::from_secs(1));
        let second = check().expect("t=1");
        let refused = check().expect_err("full");
        assert!(
            refused
                .retry_after
                .is_some_and(|d| d <= Duration::from_secs(1))
        );
        // The second send never went out: refunded, its slot is free at once.
        block(g.refund(&store, &ctx, &second)).expect("store");
        assert!(check().is_ok(), "the refunded slot");
        assert!(check().is_err());
        // Once the first send's two seconds are over (and before the others'), exactly one slot
        // frees: no burst at the window's edge.
        std::thread::sleep(Duration::from_millis(1100));
        assert!(check().is_ok(), "t=2.1");
        assert!(check().is_err());
    }

    #[test]
    fn verify_rate_limits_are_filled_from_the_event() {
        let n = number("+14155552671");
        let g = guard(&[("BRIDGE_VERIFY_RATE_LIMITS", "user_id,end_user_ip_address")]);
        let ctx = SendContext::new(&n).user("auth0|42").ip("198.51.100.7");
        assert_eq!(
            g.verify_rate_limits(&ctx),
            [
                ("user_id", "auth0|42".to_owned()),
                ("end_user_ip_address", "198.51.100.7".to_owned())
            ]
        );
        assert!(g.verify_rate_limits(&SendContext::new(&n)).is_empty());
        assert!(guard(&[]).verify_rate_limits(&ctx).is_empty());
    }
}
