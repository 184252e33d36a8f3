//! From log events to Verify feedback: which codes the user really typed, and which
//! verification each one approves.
//!
//! A **target** is an event that proves a code Verify delivered was used, for an SMS or voice
//! authenticator whose phone number can be read (`details.authenticator.phone_number` first,
//! then `details.enrollment.phone_number`):
//! - `gd_auth_succeed`: a sign-in with the phone as second factor;
//! - `gd_enrollment_complete`: the user enrolled the phone by typing the code sent to it.
//!
//! Approving it (`Status=approved`) tells Verify the code was used, which is what Fraud Guard
//! learns from. Every other event is skipped with a reason.
//!
//! Which verification to approve: the send half remembers each verification it starts as a
//! [`SentVerification`], and [`select_verification`] picks the one a target proves: created
//! before the event and within the code lifetime, the newest such. Only when nothing was
//! remembered for the number does an approval fall back to the phone number.
//!
//! [`plan`] and [`select_verification`] are pure: no I/O. With the `client` feature,
//! [`approve`] sends approvals by phone number and reports one outcome per target.
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
use std::time::Duration;

use super::log_event::{AuthenticatorType, LogEvent};
use super::log_stream::LogRecord;
use super::log_type::LogType;
use super::phone_message::Purpose;
use crate::phone::{PhoneNumber, Recipient};
use crate::sid::VerificationSid;
use crate::timestamp::Timestamp;
use crate::verify::Channel;

/// The code lifetime Verify applies unless Twilio changed it for the account: 10 minutes.
pub const DEFAULT_CODE_TTL: Duration = Duration::from_secs(600);

/// A code the user typed, to report to Verify: an MFA success or a phone enrollment.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct FeedbackTarget {
    /// The log id of the event (use it to de-duplicate deliveries).
    pub log_id: String,
    /// [`Purpose::Authentication`] for `gd_auth_succeed`, [`Purpose::Enrollment`] for
    /// `gd_enrollment_complete`.
    pub purpose: Purpose,
    /// The phone number, normalised to E.164: the key of the verification to approve.
    pub phone: PhoneNumber,
    /// The authenticator type (SMS, voice, or phone when Auth0 does not say which).
    pub authenticator: AuthenticatorType,
    /// When the code was accepted.
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
    /// Neither an MFA success (`gd_auth_succeed`) nor a phone enrollment
    /// (`gd_enrollment_complete`).
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
    let mut skipped = Vec::new();
    let targets = sort_records(records, |r, reason| {
        skipped.push(Skipped {
            log_id: r.log_id.clone(),
            log_type: r.log_type.clone(),
            reason,
        });
    });
    FeedbackPlan { targets, skipped }
}

/// Sorts records as [`plan`] does, handing each skipped record and its reason to `skip` instead
/// of keeping a copy of its id and type (the bridge only counts them).
pub(crate) fn sort_records(
    records: &[LogRecord],
    mut skip: impl FnMut(&LogRecord, SkipReason),
) -> Vec<FeedbackTarget> {
    let mut targets = Vec::new();
    let mut seen = HashSet::with_capacity(records.len());
    for r in records {
        if !seen.insert(r.log_id.as_str()) {
            skip(r, SkipReason::Duplicate);
            continue;
        }
        match classify_record(r) {
            Ok(t) => targets.push(t),
            Err(reason) => skip(r, reason),
        }
    }
    targets
}

/// The purpose a log type proves, if it is a target type.
fn target_purpose(log_type: &LogType) -> Option<Purpose> {
    match log_type {
        LogType::GdAuthSucceed => Some(Purpose::Authentication),
        LogType::GdEnrollmentComplete => Some(Purpose::Enrollment),
        _ => None,
    }
}

/// Classifies one record. Only `gd_auth_succeed` and `gd_enrollment_complete` records are
/// decoded further.
///
/// # Errors
///
/// The [`SkipReason`] when the record is not a target.
pub fn classify_record(record: &LogRecord) -> Result<FeedbackTarget, SkipReason> {
    if target_purpose(&record.log_type).is_none() {
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
    let Some(purpose) = target_purpose(&event.log_type) else {
        return Err(SkipReason::NotMfaSuccess);
    };
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
        purpose,
        phone,
        authenticator: kind,
        time: event.time(),
        user_id: event.user_id.clone(),
    })
}

/// `Guardian - Second factor authentication succeed (sms)` and `Guardian - Enrollment complete
/// (voice)` name the factor in brackets.
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

/// A verification the send half started, remembered so that the event proving its code was
/// used approves exactly it, by SID.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct SentVerification {
    /// The verification's SID.
    pub sid: VerificationSid,
    /// When Verify created it (its `date_created`, else when the send was answered).
    pub created: Timestamp,
    /// The Auth0 user the code was for, when the event named one. It is only compared for
    /// equality with the target's `user_id`, so a store may keep a keyed hash of the id as
    /// long as the target's id is hashed the same way before comparing.
    pub user: Option<String>,
    /// Enrollment or authentication.
    pub purpose: Purpose,
}

impl SentVerification {
    /// A record of the verification `sid`, created at `created`, for `purpose`.
    pub fn new(sid: VerificationSid, created: Timestamp, purpose: Purpose) -> Self {
        Self {
            sid,
            created,
            user: None,
            purpose,
        }
    }

    /// The same record, naming the user the code was for.
    #[must_use]
    pub fn with_user(mut self, user: impl Into<String>) -> Self {
        self.user = Some(user.into());
        self
    }
}

/// Picks the verification whose code `target` proves was used, among those remembered for its
/// number, or `None` when none fits.
///
/// A verification fits when it was created at or before the event, less than `code_ttl` before
/// it (a code is not accepted after its lifetime), and its purpose and user do not contradict
/// the event's (an unknown purpose or a missing user contradicts nothing). Of those that fit,
/// the newest wins: the user typed the last code they received. A verification created after
/// the event never fits: it belongs to a later flow. `now` stands in for a target without a
/// time.
///
/// ```
/// use std::time::Duration;
/// use twilio_verify::Timestamp;
/// use twilio_verify::auth0::{Purpose, SentVerification, classify, select_verification, LogEvent};
///
/// let event: LogEvent = serde_json::from_str(r#"{"type": "gd_auth_succeed",
///     "date": "2024-01-15T10:30:00Z",
///     "details": {"authenticator": {"type": "sms", "phone_number": "+15017122661"}}}"#)?;
/// let target = classify("90020240115", &event).expect("a target");
/// let at = |s| Timestamp::parse(s).expect("time");
/// let sent = [
///     SentVerification::new("VE00000000000000000000000000000001".parse()?, at("2024-01-15T10:29:40Z"), Purpose::Authentication),
///     // A later login's code, sent after this success: never approved by it.
///     SentVerification::new("VE00000000000000000000000000000002".parse()?, at("2024-01-15T10:31:00Z"), Purpose::Authentication),
/// ];
/// let chosen = select_verification(&target, &sent, Duration::from_secs(600), at("2024-01-15T10:35:00Z"));
/// assert_eq!(chosen.map(|s| s.sid.as_str()), Some("VE00000000000000000000000000000001"));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn select_verification<'a>(
    target: &FeedbackTarget,
    sent: &'a [SentVerification],
    code_ttl: Duration,
    now: Timestamp,
) -> Option<&'a SentVerification> {
    let event = target.time.as_ref().unwrap_or(&now).unix_millis();
    let ttl = i64::try_from(code_ttl.as_millis()).unwrap_or(i64::MAX);
    sent.iter()
        .filter(|s| {
            let created = s.created.unix_millis();
            created <= event && event.saturating_sub(created) < ttl
        })
        .filter(|s| purposes_agree(&s.purpose, &target.purpose))
        .filter(|s| match (&s.user, &target.user_id) {
            (Some(a), Some(b)) => a == b,
            _ => true,
        })
        .max_by_key(|s| s.created.unix_millis())
}

fn purposes_agree(a: &Purpose, b: &Purpose) -> bool {
    matches!(a, Purpose::Other(_)) || matches!(b, Purpose::Other(_)) || a == b
}

#[cfg(feature = "client")]
pub use approve::{FeedbackOutcome, FeedbackReport, approve, may_pass_later};

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
        /// URL) is a retryable failure instead: fixing the configuration cures it.
        NothingPending,
        /// A failure that may pass: a network error, a timeout, a rate limit (429 with 20429 or
        /// no code), 5xx, a credential or permission refusal (401, 403, Twilio 20003: a
        /// rotated auth token passes once the new one is set), or a 404 without a Twilio code.
        /// Approving again later is safe; it sends nothing to the user.
        RetryableFailure(Error),
        /// A failure that will not pass by retrying (a 4xx other than those, a bad input).
        PermanentFailure(Error),
    }

    impl FeedbackOutcome {
        /// Sorts the answer to an approval into an outcome.
        pub fn of(result: crate::Result<Verification>) -> Self {
            match result {
                Ok(v) => Self::Approved(Box::new(v)),
                Err(e) if e.code() == Some(crate::ErrorCode::NotFound) => Self::NothingPending,
                Err(e) if may_pass_later(&e) => Self::RetryableFailure(e),
                Err(e) => Self::PermanentFailure(e),
            }
        }

        /// Whether the target is settled: approved, or nothing to approve. A permanent failure
        /// is not settled, but retrying cannot change it.
        pub fn is_settled(&self) -> bool {
            matches!(self, Self::Approved(_) | Self::NothingPending)
        }
    }

    /// Whether an approval that failed with `e` may pass if tried again later: a transient
    /// failure ([`Error::is_transient`]), and also a credential or permission refusal (the
    /// credentials may be fixed or rotated) and a 404 without a Twilio code (a proxy or a wrong
    /// base URL, not Twilio saying the verification is gone).
    pub fn may_pass_later(e: &Error) -> bool {
        e.is_transient()
            || e.api_error().is_some_and(|a| {
                matches!(a.status(), 401 | 403)
                    || a.code_number() == Some(20003)
                    || (a.status() == 404 && a.code_number().is_none())
            })
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
    /// This approves whatever is pending for the number when the call arrives. To approve the
    /// exact verification a target proves, remember what you send as [`SentVerification`]s
    /// and approve the SID [`select_verification`] picks; the bridge does that for you.
    ///
    /// [`SentVerification`]: super::SentVerification
    /// [`select_verification`]: super::select_verification
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

    fn enrolled(authenticator: serde_json::Value, description: &str) -> LogEvent {
        serde_json::from_value(serde_json::json!({
            "type": "gd_enrollment_complete", "description": description,
            "date": "2025-10-03 14:09:32.149000000", "user_id": "auth0|u1",
            "details": {"authenticator": authenticator}
        }))
        .expect("decode")
    }

    #[test]
    fn a_phone_enrollment_is_a_target_for_sms_and_voice() {
        let t = classify(
            "e1",
            &enrolled(
                serde_json::json!({"phone_number": "+15017122661"}),
                "Guardian - Enrollment complete (voice)",
            ),
        )
        .expect("voice enrollment");
        assert_eq!(t.purpose, Purpose::Enrollment);
        assert_eq!(t.authenticator, AuthenticatorType::Voice);
        assert_eq!(t.channel(), Channel::Call);
        assert_eq!(t.user_id.as_deref(), Some("auth0|u1"));
        assert_eq!(
            t.time.map(|t| t.to_rfc3339()).as_deref(),
            Some("2025-10-03T14:09:32.149Z")
        );
        let t = classify(
            "e2",
            &enrolled(
                serde_json::json!({"type": "sms", "phone_number": "+15017122661"}),
                "Guardian - Enrollment complete",
            ),
        )
        .expect("the authenticator type wins over the description");
        assert_eq!(t.authenticator, AuthenticatorType::Sms);
        let login = classify(
            "x",
            &succeed(serde_json::json!({"authenticator": {"type": "sms", "phone_number": "+15017122661"}})),
        )
        .expect("login");
        assert_eq!(login.purpose, Purpose::Authentication);
    }

    #[test]
    fn enrollments_keep_every_skip_reason() {
        let push = enrolled(
            serde_json::json!({"type": "guardian"}),
            "Guardian - Enrollment complete",
        );
        assert_eq!(
            classify("p", &push).expect_err("push"),
            SkipReason::NonPhoneFactor
        );
        // The real sample: a number without its country code.
        let sample = enrolled(
            serde_json::json!({"phone_number": 1234567891u64}),
            "Guardian - Enrollment complete (sms)",
        );
        assert_eq!(
            classify("s", &sample).expect_err("no +"),
            SkipReason::UnusablePhone
        );
        let masked = enrolled(
            serde_json::json!({"phone_number": "+1*******2661"}),
            "Guardian - Enrollment complete (sms)",
        );
        assert_eq!(
            classify("m", &masked).expect_err("masked"),
            SkipReason::MaskedPhone
        );
        let start: LogEvent = serde_json::from_value(serde_json::json!({
            "type": "gd_start_enroll",
            "details": {"authenticator": {"type": "sms", "phone_number": "+15017122661"}}
        }))
        .expect("decode");
        assert_eq!(
            classify("g", &start).expect_err("not a target"),
            SkipReason::NotMfaSuccess
        );
    }

    fn at(s: &str) -> Timestamp {
        Timestamp::parse(s).expect("time")
    }

    fn sent(n: u8, created: &str, purpose: Purpose) -> SentVerification {
        let sid = format!("VE{:032}", n);
        SentVerification::new(sid.parse().expect("sid"), at(created), purpose)
    }

    fn login_at(time: &str) -> FeedbackTarget {
        let mut t = classify(
            "l",
            &succeed(serde_json::json!({"authenticator": {"type": "sms", "phone_number": "+15017122661"}})),
        )
        .expect("target");
        t.time = Some(at(time));
        t
    }

    fn chosen(target: &FeedbackTarget, records: &[SentVerification]) -> Option<u8> {
        let now = at("2030-01-01T00:00:00Z");
        select_verification(target, records, DEFAULT_CODE_TTL, now)
            .map(|s| s.sid.as_str()[2..].parse().expect("number"))
    }

    #[test]
    fn the_newest_verification_created_before_the_event_within_the_ttl_is_chosen() {
        let auth = Purpose::Authentication;
        let records = [
            sent(1, "2024-01-15T10:19:00Z", auth.clone()), // 11 min before: expired
            sent(2, "2024-01-15T10:25:00Z", auth.clone()),
            sent(3, "2024-01-15T10:29:30Z", auth.clone()), // the newest before the event
            sent(4, "2024-01-15T10:31:00Z", auth.clone()), // a later login's code
        ];
        assert_eq!(chosen(&login_at("2024-01-15T10:30:00Z"), &records), Some(3));
        // A late event still goes to what was current when it happened, never to record 4.
        assert_eq!(chosen(&login_at("2024-01-15T10:30:59Z"), &records), Some(3));
        // Only verifications newer than the event: none fits.
        assert_eq!(chosen(&login_at("2024-01-15T10:18:00Z"), &records), None);
        // Everything older than the code lifetime: none fits.
        assert_eq!(chosen(&login_at("2024-01-15T10:45:00Z"), &records), None);
        // Exactly at the lifetime's edge no longer fits; just inside does.
        let edge = [sent(5, "2024-01-15T10:20:00Z", auth.clone())];
        assert_eq!(chosen(&login_at("2024-01-15T10:30:00Z"), &edge), None);
        assert_eq!(
            chosen(&login_at("2024-01-15T10:29:59.999Z"), &edge),
            Some(5)
        );
        // Created in the same instant as the event fits.
        assert_eq!(chosen(&login_at("2024-01-15T10:20:00Z"), &edge), Some(5));
        assert_eq!(chosen(&login_at("2024-01-15T10:30:00Z"), &[]), None);
    }

    #[test]
    fn purpose_and_user_must_not_contradict_the_event() {
        let records = [
            sent(1, "2024-01-15T10:29:00Z", Purpose::Authentication),
            sent(2, "2024-01-15T10:29:30Z", Purpose::Enrollment),
        ];
        let login = login_at("2024-01-15T10:30:00Z");
        assert_eq!(
            chosen(&login, &records),
            Some(1),
            "an enrollment code is not a login's"
        );
        let mut enrol = login.clone();
        enrol.purpose = Purpose::Enrollment;
        assert_eq!(chosen(&enrol, &records), Some(2));
        let other = [sent(
            3,
            "2024-01-15T10:29:00Z",
            Purpose::Other("step-up".into()),
        )];
        assert_eq!(
            chosen(&login, &other),
            Some(3),
            "an unknown purpose contradicts nothing"
        );

        let mine = [sent(6, "2024-01-15T10:29:00Z", Purpose::Authentication).with_user("auth0|a")];
        let mut as_user = login.clone();
        as_user.user_id = Some("auth0|a".into());
        assert_eq!(chosen(&as_user, &mine), Some(6));
        as_user.user_id = Some("auth0|b".into());
        assert_eq!(chosen(&as_user, &mine), None, "another user's code");
        as_user.user_id = None;
        assert_eq!(
            chosen(&as_user, &mine),
            Some(6),
            "no user on the event contradicts nothing"
        );
    }

    #[test]
    fn a_target_without_a_time_is_matched_at_now() {
        let mut t = login_at("2024-01-15T10:30:00Z");
        t.time = None;
        let records = [
            sent(1, "2024-01-15T10:29:00Z", Purpose::Authentication),
            sent(2, "2024-01-15T10:33:00Z", Purpose::Authentication),
        ];
        let now = at("2024-01-15T10:32:00Z");
        let pick = select_verification(&t, &records, DEFAULT_CODE_TTL, now);
        assert_eq!(pick.map(|s| s.sid.as_str().ends_with('1')), Some(true));
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
