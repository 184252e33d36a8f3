//! From log events to Verify feedback: which MFA successes should approve a verification.
//!
//! A **target** is a `gd_auth_succeed` event for an SMS or voice authenticator whose phone
//! number can be read: `details.authenticator.phone_number` first, then
//! `details.enrollment.phone_number`. Approving it (`Status=approved` on the verification of
//! that number) tells Verify the code it delivered was used, which is what Fraud Guard learns
//! from. Every other event is skipped with a reason.
//!
//! [`plan`] is pure: no I/O. With the `client` feature, [`approve`] sends the approvals and
//! reports one outcome per target.
//!
//! ```
//! use twilio_verify::auth0::{SkipReason, parse_log_batch, plan};
//!
//! let body = br#"[
//!   {"log_id": "1", "data": {"log_id": "1", "type": "gd_auth_succeed", "date": "2024-01-15T10:30:00.000Z",
//!     "details": {"authenticator": {"type": "sms", "phone_number": "+1 501 712 2661"}}}},
//!   {"log_id": "2", "data": {"log_id": "2", "type": "gd_auth_succeed",
//!     "details": {"authenticator": {"type": "totp"}}}},
//!   {"log_id": "3", "data": {"log_id": "3", "type": "s"}}
//! ]"#;
//! let batch = parse_log_batch(body);
//! let plan = plan(&batch.records);
//! assert_eq!(plan.targets.len(), 1);
//! assert_eq!(plan.targets[0].phone.as_str(), "+15017122661");
//! assert_eq!(plan.skipped[0].reason, SkipReason::NonPhoneFactor);
//! assert_eq!(plan.skipped[1].reason, SkipReason::NotMfaSuccess);
//! ```

use std::collections::HashSet;

use super::log_event::{AuthenticatorType, LogEvent};
use super::log_stream::LogRecord;
use super::log_type::LogType;
use crate::phone::{PhoneNumber, Recipient};
use crate::timestamp::Timestamp;
use crate::verify::Channel;

/// An MFA success to report to Verify.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct FeedbackTarget {
    /// The log id of the `gd_auth_succeed` event (use it to de-duplicate deliveries).
    pub log_id: String,
    /// The phone number, normalised to E.164: the key of the verification to approve.
    pub phone: PhoneNumber,
    /// The authenticator type (SMS, voice, or phone when Auth0 does not say which).
    pub authenticator: AuthenticatorType,
    /// When the MFA succeeded.
    pub time: Option<Timestamp>,
    /// The user, for correlation.
    pub user_id: Option<String>,
}

impl FeedbackTarget {
    /// The Verify channel the code most likely went out on.
    pub fn channel(&self) -> Channel {
        match self.authenticator {
            AuthenticatorType::Voice => Channel::Call,
            _ => Channel::Sms,
        }
    }
}

/// Why an event is not a feedback target.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum SkipReason {
    /// Not an MFA success (`gd_auth_succeed`).
    NotMfaSuccess,
    /// An MFA success with a factor that is not a phone (TOTP, push, e-mail, WebAuthn,
    /// recovery code): Verify delivered nothing.
    NonPhoneFactor,
    /// An SMS or voice success without a phone number in the details.
    NoPhone,
    /// The phone number is masked: the stream's PII obfuscation covers `phone_number`.
    MaskedPhone,
    /// The phone number is hashed: the stream's PII obfuscation covers `phone_number`.
    HashedPhone,
    /// The phone number is not E.164 even after normalising (no country code).
    UnusablePhone,
    /// The event's fields could not be read.
    Malformed,
    /// The same log id came earlier in the batch (Auth0 delivers at least once).
    Duplicate,
}

impl SkipReason {
    /// A stable snake_case name (`masked_phone`), for summaries and metrics.
    pub fn as_str(&self) -> &'static str {
        match self {
            Self::NotMfaSuccess => "not_mfa_success",
            Self::NonPhoneFactor => "non_phone_factor",
            Self::NoPhone => "no_phone",
            Self::MaskedPhone => "masked_phone",
            Self::HashedPhone => "hashed_phone",
            Self::UnusablePhone => "unusable_phone",
            Self::Malformed => "malformed",
            Self::Duplicate => "duplicate",
        }
    }
}

/// An event that is not a target, and why.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct Skipped {
    /// The event's log id.
    pub log_id: String,
    /// The event's type.
    pub log_type: LogType,
    /// Why it is skipped.
    pub reason: SkipReason,
}

/// The targets and skipped events of a batch.
#[derive(Debug, Clone, Default, PartialEq)]
#[non_exhaustive]
pub struct FeedbackPlan {
    /// The MFA successes to approve, in batch order.
    pub targets: Vec<FeedbackTarget>,
    /// Everything else, in batch order.
    pub skipped: Vec<Skipped>,
}

/// Sorts records into feedback targets and skipped events. A log id seen twice is skipped the
/// second time.
pub fn plan(records: &[LogRecord]) -> FeedbackPlan {
    let mut out = FeedbackPlan::default();
    let mut seen = HashSet::new();
    for r in records {
        let skip = |reason| Skipped {
            log_id: r.log_id.clone(),
            log_type: r.log_type.clone(),
            reason,
        };
        if !seen.insert(r.log_id.as_str()) {
            out.skipped.push(skip(SkipReason::Duplicate));
            continue;
        }
        match classify_record(r) {
            Ok(t) => out.targets.push(t),
            Err(reason) => out.skipped.push(skip(reason)),
        }
    }
    out
}

/// Classifies one record. Only `gd_auth_succeed` records are decoded further.
///
/// # Errors
///
/// The [`SkipReason`] when the record is not a target.
pub fn classify_record(record: &LogRecord) -> Result<FeedbackTarget, SkipReason> {
    if record.log_type != LogType::GdAuthSucceed {
        return Err(SkipReason::NotMfaSuccess);
    }
    let event = record.event().map_err(|_| SkipReason::Malformed)?;
    classify(&record.log_id, &event)
}

/// Classifies one decoded event, under the log id `log_id`.
///
/// # Errors
///
/// The [`SkipReason`] when the event is not a target.
pub fn classify(log_id: &str, event: &LogEvent) -> Result<FeedbackTarget, SkipReason> {
    if event.log_type != LogType::GdAuthSucceed {
        return Err(SkipReason::NotMfaSuccess);
    }
    let mfa = event.mfa();
    let authenticator = mfa.and_then(|m| m.authenticator.as_ref());
    let from_authenticator = authenticator.and_then(|a| a.phone_number.as_ref());
    let from_enrollment = mfa.and_then(|m| m.enrollment.as_ref()?.phone_number.as_ref());
    let has_phone = from_authenticator.or(from_enrollment).is_some();
    let kind = authenticator
        .and_then(|a| a.kind.clone())
        .or_else(|| kind_from_description(event.description.as_deref()));
    let kind = match kind {
        Some(k) if k.is_phone() => k,
        Some(_) => return Err(SkipReason::NonPhoneFactor),
        // No type given: a phone number means a phone factor.
        None if has_phone => AuthenticatorType::Phone,
        None => return Err(SkipReason::NonPhoneFactor),
    };
    // The authenticator's number first; an empty, masked or unusable one falls back to the
    // enrollment's. When neither is usable, the authenticator's reason is reported.
    let first = from_authenticator.map_or(Err(SkipReason::NoPhone), usable_phone);
    let phone = match (first, from_enrollment) {
        (Ok(p), _) => p,
        (Err(reason), Some(alt)) => usable_phone(alt).map_err(|alt_reason| {
            if reason == SkipReason::NoPhone {
                alt_reason
            } else {
                reason
            }
        })?,
        (Err(reason), None) => return Err(reason),
    };
    Ok(FeedbackTarget {
        log_id: log_id.to_owned(),
        phone,
        authenticator: kind,
        time: event.time(),
        user_id: event.user_id.clone(),
    })
}

/// `Guardian - Second factor authentication succeed (sms)` names the factor in brackets.
fn kind_from_description(description: Option<&str>) -> Option<AuthenticatorType> {
    let d = description?.trim_end();
    let inner = d.strip_suffix(')')?;
    let open = inner.rfind('(')?;
    Some(AuthenticatorType::from(&inner[open + 1..]))
}

/// Reads a phone number from the logs, telling masked and hashed values apart from numbers
/// that are merely written with spaces.
fn usable_phone(value: &Recipient) -> Result<PhoneNumber, SkipReason> {
    let s = value.as_str().trim();
    if s.is_empty() {
        return Err(SkipReason::NoPhone);
    }
    if s.contains(['*', '•', '#']) || s.contains("xxx") || s.contains("XXX") {
        return Err(SkipReason::MaskedPhone);
    }
    let hexish = s.bytes().all(|b| b.is_ascii_hexdigit());
    if hexish && s.bytes().any(|b| b.is_ascii_alphabetic()) {
        return Err(SkipReason::HashedPhone);
    }
    PhoneNumber::parse(s).map_err(|_| SkipReason::UnusablePhone)
}

#[cfg(feature = "client")]
pub use approve::{FeedbackOutcome, FeedbackReport, approve};

#[cfg(feature = "client")]
mod approve {
    use super::FeedbackTarget;
    use crate::error::Error;
    use crate::sid::ServiceSid;
    use crate::verify::{UpdateVerification, Verification};

    /// What happened to one approval.
    #[derive(Debug)]
    #[non_exhaustive]
    pub enum FeedbackOutcome {
        /// Verify approved the pending verification.
        Approved(Box<Verification>),
        /// Nothing was pending for the number (Twilio code 20404): already approved, expired,
        /// or never started through Verify. A 404 without that code (a proxy, a wrong base
        /// URL) is a permanent failure instead.
        NothingPending,
        /// A failure that may pass: a network error, a timeout, 429 or 5xx. Approving again
        /// later is safe; it sends nothing to the user.
        RetryableFailure(Error),
        /// A failure that will not pass by retrying (bad credentials, a 4xx, a bad input).
        PermanentFailure(Error),
    }

    impl FeedbackOutcome {
        fn of(result: crate::Result<Verification>) -> Self {
            match result {
                Ok(v) => Self::Approved(Box::new(v)),
                Err(e) if e.code() == Some(crate::ErrorCode::NotFound) => Self::NothingPending,
                Err(e) => {
                    let retryable = match &e {
                        Error::Transport(_) | Error::Timeout(_) => true,
                        Error::Api(a) => a.is_rate_limited() || a.status() >= 500,
                        _ => false,
                    };
                    if retryable {
                        Self::RetryableFailure(e)
                    } else {
                        Self::PermanentFailure(e)
                    }
                }
            }
        }
    }

    /// One outcome per target, in target order.
    #[derive(Debug, Default)]
    #[non_exhaustive]
    pub struct FeedbackReport {
        /// Each target with what happened to it.
        pub outcomes: Vec<(FeedbackTarget, FeedbackOutcome)>,
    }

    impl FeedbackReport {
        /// How many verifications were approved.
        pub fn approved(&self) -> usize {
            self.count(|o| matches!(o, FeedbackOutcome::Approved(_)))
        }

        /// How many targets had nothing pending.
        pub fn nothing_pending(&self) -> usize {
            self.count(|o| matches!(o, FeedbackOutcome::NothingPending))
        }

        /// How many failed in a way that may pass.
        pub fn retryable(&self) -> usize {
            self.count(|o| matches!(o, FeedbackOutcome::RetryableFailure(_)))
        }

        /// How many failed for good.
        pub fn permanent(&self) -> usize {
            self.count(|o| matches!(o, FeedbackOutcome::PermanentFailure(_)))
        }

        fn count(&self, f: impl Fn(&FeedbackOutcome) -> bool) -> usize {
            self.outcomes.iter().filter(|(_, o)| f(o)).count()
        }
    }

    /// Approves the verification of each target's phone number under `service`, one after
    /// another. One failure never stops the others.
    ///
    /// ```no_run
    /// # async fn run(client: &twilio_verify::Client, service: &twilio_verify::ServiceSid, body: &[u8]) {
    /// use twilio_verify::auth0::{approve, parse_log_batch, plan};
    ///
    /// let batch = parse_log_batch(body);
    /// let report = approve(client, service, plan(&batch.records).targets).await;
    /// println!("{} approved, {} with nothing pending", report.approved(), report.nothing_pending());
    /// # }
    /// ```
    pub async fn approve(
        client: &crate::Client,
        service: &ServiceSid,
        targets: Vec<FeedbackTarget>,
    ) -> FeedbackReport {
        let mut report = FeedbackReport::default();
        for target in targets {
            let result = UpdateVerification::approve(service, &target.phone)
                .send(client)
                .await;
            report.outcomes.push((target, FeedbackOutcome::of(result)));
        }
        report
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::auth0::parse_log_batch;

    fn succeed(details: serde_json::Value) -> LogEvent {
        serde_json::from_value(serde_json::json!({
            "type": "gd_auth_succeed", "details": details,
            "description": "Guardian - Second factor authentication succeed (sms)"
        }))
        .expect("decode")
    }

    #[test]
    fn authenticator_phone_first_then_enrollment() {
        let t = classify(
            "1",
            &succeed(serde_json::json!({
                "authenticator": {"type": "voice", "phone_number": "+44 20 7946 0958"},
                "enrollment": {"phone_number": "+15017122661"}
            })),
        )
        .expect("target");
        assert_eq!(t.phone.as_str(), "+442079460958");
        assert_eq!(t.channel(), Channel::Call);
        let t = classify(
            "2",
            &succeed(serde_json::json!({
                "authenticator": {"type": "sms"},
                "enrollment": {"phone_number": "+15017122661"}
            })),
        )
        .expect("target");
        assert_eq!(t.phone.as_str(), "+15017122661");
    }

    #[test]
    fn an_unusable_authenticator_number_falls_back_to_the_enrollment() {
        for bad in ["", "+1*******2661"] {
            let t = classify(
                "3",
                &succeed(serde_json::json!({
                    "authenticator": {"type": "sms", "phone_number": bad},
                    "enrollment": {"phone_number": "+15017122661"}
                })),
            )
            .expect("target");
            assert_eq!(t.phone.as_str(), "+15017122661");
        }
        let both_masked = classify(
            "4",
            &succeed(serde_json::json!({
                "authenticator": {"type": "sms", "phone_number": "+1*******2661"},
                "enrollment": {"phone_number": "+1*******2661"}
            })),
        );
        assert_eq!(both_masked.expect_err("masked"), SkipReason::MaskedPhone);
    }

    #[test]
    fn reasons() {
        let r = |d: serde_json::Value| classify("x", &succeed(d)).expect_err("skipped");
        assert_eq!(
            r(serde_json::json!({"authenticator": {"type": "totp"}})),
            SkipReason::NonPhoneFactor
        );
        assert_eq!(
            r(serde_json::json!({"authenticator": {"type": "push-notification"}})),
            SkipReason::NonPhoneFactor
        );
        assert_eq!(
            r(serde_json::json!({"authenticator": {"type": "sms"}})),
            SkipReason::NoPhone
        );
        assert_eq!(
            r(
                serde_json::json!({"authenticator": {"type": "sms", "phone_number": "+1*******2661"}})
            ),
            SkipReason::MaskedPhone
        );
        assert_eq!(
            r(
                serde_json::json!({"authenticator": {"type": "sms", "phone_number": "9f86d081884c7d65"}})
            ),
            SkipReason::HashedPhone
        );
        assert_eq!(
            r(serde_json::json!({"authenticator": {"type": "sms", "phone_number": 5017122661u64}})),
            SkipReason::UnusablePhone
        );
    }

    #[test]
    fn factor_from_description_when_the_type_is_missing() {
        let e: LogEvent = serde_json::from_value(serde_json::json!({
            "type": "gd_auth_succeed",
            "description": "Guardian - Second factor authentication succeed (totp)",
            "details": {"enrollment": {"phone_number": "+15017122661"}}
        }))
        .expect("decode");
        assert_eq!(
            classify("x", &e).expect_err("totp"),
            SkipReason::NonPhoneFactor
        );
    }

    #[test]
    fn duplicates_in_a_batch_are_skipped() {
        let rec = r#"{"log_id": "9", "data": {"type": "gd_auth_succeed", "details": {"authenticator": {"type": "sms", "phone_number": "+15017122661"}}}}"#;
        let batch = parse_log_batch(format!("{rec}\n{rec}\n").as_bytes());
        let p = plan(&batch.records);
        assert_eq!(p.targets.len(), 1);
        assert_eq!(p.skipped[0].reason, SkipReason::Duplicate);
    }
}
