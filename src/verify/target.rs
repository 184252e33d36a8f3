//! Which verification a fetch, an update or a check is about.

use std::fmt;

use crate::error::InvalidInput;
use crate::phone::{PhoneNumber, check_email};
use crate::redact;
use crate::sid::{ServiceSid, VerificationSid};
use crate::wire::Path;

/// A verification, named by its SID or by the `To` it was sent to.
///
/// Twilio accepts either: `…/Verifications/VE…` or `…/Verifications/+15017122661`. Converting
/// from text picks the form: a well-formed `VE…` SID, an e-mail address (with `@`), or else a
/// phone number, normalised to E.164. Text that is none of these is kept as an error that the
/// request reports when it is sent, before anything leaves the machine. To reject bad text at
/// once instead, use [`parse`](Self::parse) or `str::parse`.
///
/// ```
/// use twilio_verify::verify::VerificationTarget;
///
/// let by_phone = VerificationTarget::from("+1 501-712-2661");
/// assert_eq!(by_phone.check()?, "+15017122661");
/// let by_sid = VerificationTarget::from("VE0123456789abcdef0123456789abcdef");
/// assert!(by_sid.is_sid());
/// assert!(VerificationTarget::from("not a number").check().is_err());
/// # Ok::<(), twilio_verify::InvalidInput>(())
/// ```
#[derive(Clone, PartialEq, Eq)]
pub struct VerificationTarget(Repr);

#[derive(Clone, PartialEq, Eq)]
enum Repr {
    Sid(VerificationSid),
    Phone(PhoneNumber),
    Email(String),
    Invalid(InvalidInput),
}

impl VerificationTarget {
    /// The target as sent: the SID, the E.164 number or the e-mail address.
    ///
    /// # Errors
    ///
    /// The [`InvalidInput`] found when the target was made from text.
    pub fn check(&self) -> Result<&str, InvalidInput> {
        match &self.0 {
            Repr::Sid(s) => Ok(s.as_str()),
            Repr::Phone(p) => Ok(p.as_str()),
            Repr::Email(e) => Ok(e),
            Repr::Invalid(err) => Err(err.clone()),
        }
    }

    /// Reads `text` as a SID, an e-mail address or a phone number, refusing text that is none
    /// of these at once rather than when a request is sent.
    ///
    /// # Errors
    ///
    /// [`InvalidInput`] for text that names no verification.
    pub fn parse(text: &str) -> Result<Self, InvalidInput> {
        let target = Self::from(text);
        target.check()?;
        Ok(target)
    }

    /// The path of this verification under `service`:
    /// `/v2/Services/{ServiceSid}/Verifications/{target}`.
    pub(crate) fn path(&self, service: &ServiceSid) -> Result<String, InvalidInput> {
        Ok(Path::new("/v2/Services")
            .seg(service.checked()?)
            .lit("Verifications")
            .seg(self.check()?)
            .finish())
    }

    /// Whether the target is a verification SID.
    pub fn is_sid(&self) -> bool {
        matches!(self.0, Repr::Sid(_))
    }

    /// The SID, when the target is one.
    pub fn sid(&self) -> Option<&VerificationSid> {
        match &self.0 {
            Repr::Sid(s) => Some(s),
            _ => None,
        }
    }
}

impl From<&str> for VerificationTarget {
    fn from(s: &str) -> Self {
        let t = s.trim();
        if let Ok(sid) = VerificationSid::parse(t) {
            return Self(Repr::Sid(sid));
        }
        if t.contains('@') {
            return Self(match check_email(t, "To") {
                Ok(()) => Repr::Email(t.to_owned()),
                Err(e) => Repr::Invalid(e),
            });
        }
        Self(match PhoneNumber::parse(t) {
            Ok(p) => Repr::Phone(p),
            Err(_) => Repr::Invalid(InvalidInput::new(
                "Sid",
                "expected a verification SID (VE…), an E.164 phone number or an e-mail address",
            )),
        })
    }
}

impl std::str::FromStr for VerificationTarget {
    type Err = InvalidInput;

    fn from_str(text: &str) -> Result<Self, InvalidInput> {
        Self::parse(text)
    }
}

impl From<String> for VerificationTarget {
    fn from(s: String) -> Self {
        Self::from(s.as_str())
    }
}

impl From<&String> for VerificationTarget {
    fn from(s: &String) -> Self {
        Self::from(s.as_str())
    }
}

impl From<VerificationSid> for VerificationTarget {
    fn from(s: VerificationSid) -> Self {
        Self(Repr::Sid(s))
    }
}

impl From<&VerificationSid> for VerificationTarget {
    fn from(s: &VerificationSid) -> Self {
        Self(Repr::Sid(s.clone()))
    }
}

impl From<PhoneNumber> for VerificationTarget {
    fn from(p: PhoneNumber) -> Self {
        Self(Repr::Phone(p))
    }
}

impl From<&PhoneNumber> for VerificationTarget {
    fn from(p: &PhoneNumber) -> Self {
        Self(Repr::Phone(p.clone()))
    }
}

impl fmt::Debug for VerificationTarget {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.0 {
            Repr::Sid(s) => write!(f, "VerificationTarget({s})"),
            Repr::Phone(p) => {
                f.write_str("VerificationTarget(")?;
                redact::write_phone(f, p.as_str())?;
                f.write_str(")")
            }
            Repr::Email(e) => {
                f.write_str("VerificationTarget(")?;
                redact::write_recipient(f, e)?;
                f.write_str(")")
            }
            Repr::Invalid(_) => f.write_str("VerificationTarget(<invalid>)"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn picks_the_form_from_text() {
        assert!(VerificationTarget::from("VEaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa").is_sid());
        assert_eq!(
            VerificationTarget::from(" +1 (501) 712-2661 ").check(),
            Ok("+15017122661")
        );
        assert_eq!(VerificationTarget::from("a@b.co").check(), Ok("a@b.co"));
        assert!(VerificationTarget::from("VE123").check().is_err());
        assert!(VerificationTarget::from("a@b").check().is_err());
    }

    #[test]
    fn parse_refuses_bad_text_at_once() {
        let err = VerificationTarget::parse("not a number").expect_err("invalid");
        assert_eq!(err.field(), "Sid");
        let parsed: VerificationTarget = "+1 501 712 2661".parse().expect("a number");
        assert_eq!(parsed.check(), Ok("+15017122661"));
    }

    #[test]
    fn debug_masks_phone_and_email() {
        let d = format!("{:?}", VerificationTarget::from("+15017122661"));
        assert_eq!(d, "VerificationTarget(+*******2661)");
        let d = format!("{:?}", VerificationTarget::from("jane@example.com"));
        assert_eq!(d, "VerificationTarget(***@example.com)");
    }
}
