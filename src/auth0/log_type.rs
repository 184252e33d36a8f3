//! Auth0 tenant log type codes (`data.type` of a log event).
//!
//! Every code Auth0 documents is a variant: the 172 current codes and 35 legacy ones seen in older
//! documentation, translations and private-cloud tenants. Each knows its short name, a
//! description, and the log-stream category (the filter group) it is delivered under. A code
//! the crate does not know is kept in [`LogType::Unknown`].
//!
//! ```
//! use twilio_verify::auth0::{LogCategory, LogType};
//!
//! let t = LogType::from("gd_auth_succeed");
//! assert_eq!(t, LogType::GdAuthSucceed);
//! assert_eq!(t.name(), Some("MFA Auth success"));
//! assert!(t.is_mfa() && t.is_success());
//! // It is not in any named filter group: the stream needs the "other" category.
//! assert_eq!(t.category(), Some(LogCategory::Other));
//! assert_eq!(LogCategory::Other.filter_name(), "other");
//! ```

use std::fmt;

/// The log-stream filter category of a log type ("Filter by Event Category" on a stream).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum LogCategory {
    /// `other`: unclassified events, among them `gd_auth_succeed`, `gd_send_sms` and `mfar`.
    Other,
    /// `actions`.
    Actions,
    /// `system.notification`.
    SystemNotification,
    /// `auth.token_exchange.fail`.
    TokenExchangeFail,
    /// `auth.token_exchange.success`.
    TokenExchangeSuccess,
    /// `user.fail`.
    UserFail,
    /// `user.success`.
    UserSuccess,
    /// `user.notification`.
    UserNotification,
    /// `auth.login.fail`.
    LoginFail,
    /// `auth.login.success`.
    LoginSuccess,
    /// `auth.login.notification`.
    LoginNotification,
    /// `auth.logout.fail`.
    LogoutFail,
    /// `auth.logout.success`.
    LogoutSuccess,
    /// `auth.signup.fail`.
    SignupFail,
    /// `auth.signup.success`.
    SignupSuccess,
    /// `auth.silent_auth.fail`.
    SilentAuthFail,
    /// `auth.silent_auth.success`.
    SilentAuthSuccess,
    /// `management.success`.
    ManagementSuccess,
    /// `management.fail`.
    ManagementFail,
    /// `scim.event`.
    ScimEvent,
}

impl LogCategory {
    /// The category's name in a log stream's `filters` (`auth.login.success`, `other`…).
    pub fn filter_name(self) -> &'static str {
        match self {
            Self::Other => "other",
            Self::Actions => "actions",
            Self::SystemNotification => "system.notification",
            Self::TokenExchangeFail => "auth.token_exchange.fail",
            Self::TokenExchangeSuccess => "auth.token_exchange.success",
            Self::UserFail => "user.fail",
            Self::UserSuccess => "user.success",
            Self::UserNotification => "user.notification",
            Self::LoginFail => "auth.login.fail",
            Self::LoginSuccess => "auth.login.success",
            Self::LoginNotification => "auth.login.notification",
            Self::LogoutFail => "auth.logout.fail",
            Self::LogoutSuccess => "auth.logout.success",
            Self::SignupFail => "auth.signup.fail",
            Self::SignupSuccess => "auth.signup.success",
            Self::SilentAuthFail => "auth.silent_auth.fail",
            Self::SilentAuthSuccess => "auth.silent_auth.success",
            Self::ManagementSuccess => "management.success",
            Self::ManagementFail => "management.fail",
            Self::ScimEvent => "scim.event",
        }
    }
}

impl fmt::Display for LogCategory {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.filter_name())
    }
}

const FAILURE: u8 = 1;
const SUCCESS: u8 = 2;
const MFA: u8 = 4;
const RATE_LIMIT: u8 = 8;
const LEGACY: u8 = 16;

/// What the crate knows about one code.
struct Info {
    name: &'static str,
    description: &'static str,
    category: LogCategory,
    flags: u8,
}

macro_rules! log_types {
    ($( $variant:ident = $code:literal, $name:literal, $desc:literal, $cat:ident, $flags:expr; )+) => {
        /// An Auth0 log type code, with its name, description and stream category.
        ///
        /// Variants are named after the code (`gd_auth_succeed` is `GdAuthSucceed`, `s` is `S`).
        #[derive(Clone, PartialEq, Eq, Hash)]
        #[non_exhaustive]
        pub enum LogType {
            $(
                #[doc = concat!("`", $code, "`: ", $name, ".")]
                $variant,
            )+
            /// A code the crate does not know, kept as received.
            Unknown(String),
        }

        impl LogType {
            /// Every known code, current and legacy.
            pub const ALL: &'static [LogType] = &[$(Self::$variant,)+];

            /// The code as Auth0 writes it (`gd_auth_succeed`).
            pub fn code(&self) -> &str {
                match self {
                    $(Self::$variant => $code,)+
                    Self::Unknown(s) => s,
                }
            }

            fn info(&self) -> Option<&'static Info> {
                match self {
                    $(Self::$variant => Some(&Info {
                        name: $name,
                        description: $desc,
                        category: LogCategory::$cat,
                        flags: $flags,
                    }),)+
                    Self::Unknown(_) => None,
                }
            }

            fn known(code: &str) -> Option<Self> {
                match code {
                    $($code => Some(Self::$variant),)+
                    _ => None,
                }
            }
        }
    };
}

include!("log_type_table.rs");

impl LogType {
    /// Auth0's short name for the code (`MFA Auth success`); `None` for an unknown code.
    pub fn name(&self) -> Option<&'static str> {
        self.info().map(|i| i.name)
    }

    /// What the event means; `None` for an unknown code.
    pub fn description(&self) -> Option<&'static str> {
        self.info().map(|i| i.description)
    }

    /// The log-stream category the event is delivered under; `None` for an unknown code.
    /// Codes Auth0 lists under no category are unclassified: [`LogCategory::Other`].
    pub fn category(&self) -> Option<LogCategory> {
        self.info().map(|i| i.category)
    }

    fn flag(&self, flag: u8) -> bool {
        self.info().is_some_and(|i| i.flags & flag != 0)
    }

    /// Whether this is a multi-factor (Guardian, `gd_*`, or `mfar`) event.
    pub fn is_mfa(&self) -> bool {
        self.flag(MFA) || self.code().starts_with("gd_")
    }

    /// Whether the event reports something that succeeded.
    pub fn is_success(&self) -> bool {
        self.flag(SUCCESS)
    }

    /// Whether the event reports a failure (including blocks and rate limits).
    pub fn is_failure(&self) -> bool {
        self.flag(FAILURE)
    }

    /// Whether the event is about a rate limit or quota (`limit_*`, `api_limit*`,
    /// `gd_otp_rate_limit_exceed`…).
    pub fn is_rate_limit(&self) -> bool {
        self.flag(RATE_LIMIT) || self.code().starts_with("limit_")
    }

    /// Whether the code appears only in older documentation, translations or private-cloud
    /// tenants, not in Auth0's current table.
    pub fn is_legacy(&self) -> bool {
        self.flag(LEGACY)
    }

    /// Whether this is a code the crate does not know.
    pub fn is_unknown(&self) -> bool {
        matches!(self, Self::Unknown(_))
    }
}

impl From<&str> for LogType {
    fn from(code: &str) -> Self {
        Self::known(code).unwrap_or_else(|| Self::Unknown(code.to_owned()))
    }
}

impl From<String> for LogType {
    fn from(code: String) -> Self {
        Self::known(&code).unwrap_or(Self::Unknown(code))
    }
}

impl std::str::FromStr for LogType {
    type Err = std::convert::Infallible;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Ok(Self::from(s))
    }
}

impl fmt::Display for LogType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code())
    }
}

impl fmt::Debug for LogType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Unknown(s) => f.debug_tuple("Unknown").field(s).finish(),
            known => write!(f, "LogType({})", known.code()),
        }
    }
}

impl serde::Serialize for LogType {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.code())
    }
}

impl<'de> serde::Deserialize<'de> for LogType {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_str(crate::macros::StrVisitor(std::marker::PhantomData))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn table_has_every_code_once() {
        assert_eq!(LogType::ALL.len(), 207);
        assert_eq!(LogType::ALL.iter().filter(|t| t.is_legacy()).count(), 35);
        let mut codes: Vec<&str> = LogType::ALL.iter().map(LogType::code).collect();
        codes.sort_unstable();
        codes.dedup();
        assert_eq!(codes.len(), 207);
    }

    #[test]
    fn every_code_round_trips() {
        for t in LogType::ALL {
            assert_eq!(&LogType::from(t.code()), t);
            let json = serde_json::to_string(t).expect("encode");
            assert_eq!(&serde_json::from_str::<LogType>(&json).expect("decode"), t);
            assert!(t.name().is_some_and(|n| !n.is_empty()), "{t:?}");
            assert!(t.category().is_some());
        }
    }

    #[test]
    fn predicates() {
        assert!(LogType::GdAuthSucceed.is_mfa());
        assert!(LogType::GdAuthFailed.is_failure());
        assert!(!LogType::GdAuthFailed.is_success());
        assert!(LogType::S.is_success() && !LogType::S.is_mfa());
        assert_eq!(LogType::S.category(), Some(LogCategory::LoginSuccess));
        assert!(LogType::LimitWc.is_rate_limit());
        assert!(LogType::GdOtpRateLimitExceed.is_rate_limit());
        assert_eq!(LogType::GdSendSms.category(), Some(LogCategory::Other));
        assert_eq!(
            LogType::GdEnrollmentComplete.category(),
            Some(LogCategory::UserNotification)
        );
    }

    #[test]
    fn unknown_codes_are_kept() {
        let t = LogType::from("gd_quantum_factor");
        assert_eq!(t.code(), "gd_quantum_factor");
        assert!(t.is_unknown() && t.is_mfa());
        assert_eq!(t.name(), None);
        assert_eq!(
            serde_json::to_string(&t).expect("encode"),
            "\"gd_quantum_factor\""
        );
    }
}
