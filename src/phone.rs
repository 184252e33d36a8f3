//! Phone numbers in E.164, and the `To` of a verification (a phone number or an e-mail address).
//!
//! Auth0 and people write numbers with spaces, dashes and brackets (`+1 (501) 712-2661`).
//! [`PhoneNumber::parse`] removes those and then insists on E.164: a `+`, a non-zero first digit,
//! and 7 to 15 digits in all. Anything else is rejected before a request is built.
//!
//! ```
//! use twilio_verify::PhoneNumber;
//!
//! let n = PhoneNumber::parse("+1 (501) 712-2661")?;
//! assert_eq!(n.as_str(), "+15017122661");
//! assert!(PhoneNumber::parse("501 712 2661").is_err()); // no country code
//! # Ok::<(), twilio_verify::InvalidInput>(())
//! ```

use std::fmt;

use serde::{Deserialize, Serialize};

use crate::error::InvalidInput;
use crate::redact;

/// A phone number in E.164 form (`+15017122661`).
///
/// `Debug` masks all but the last four digits; `Display` and [`as_str`](Self::as_str) give the
/// full number.
#[derive(Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(transparent)]
pub struct PhoneNumber(String);

impl PhoneNumber {
    /// Fewest digits accepted (country code included).
    pub const MIN_DIGITS: usize = 7;
    /// Most digits E.164 allows (country code included).
    pub const MAX_DIGITS: usize = 15;

    /// Normalises `input` and checks that it is E.164.
    ///
    /// White space (including non-breaking spaces), `-`, `.`, `(` and `)` are removed. What
    /// remains must be `+` followed by 7 to 15 digits, the first of them not `0`.
    ///
    /// # Errors
    ///
    /// [`InvalidInput`] (field `To`) when the result is not E.164. The error does not repeat
    /// the input.
    pub fn parse(input: &str) -> Result<Self, InvalidInput> {
        Self::parse_field(input, "To")
    }

    pub(crate) fn parse_field(input: &str, field: &'static str) -> Result<Self, InvalidInput> {
        let mut out = String::with_capacity(input.len());
        for c in input.chars() {
            match c {
                '+' if out.is_empty() => out.push('+'),
                '0'..='9' => out.push(c),
                '-' | '.' | '(' | ')' => {}
                c if c.is_whitespace() => {}
                _ => {
                    return Err(InvalidInput::new(
                        field,
                        "not an E.164 phone number: only digits, spaces, `-`, `.`, `(`, `)` and a leading `+` are allowed",
                    ));
                }
            }
        }
        if !out.starts_with('+') {
            return Err(InvalidInput::new(
                field,
                "not an E.164 phone number: it must start with `+` and the country code",
            ));
        }
        let digits = out.len() - 1;
        if !(Self::MIN_DIGITS..=Self::MAX_DIGITS).contains(&digits) {
            return Err(InvalidInput::new(
                field,
                "not an E.164 phone number: expected 7 to 15 digits after `+`",
            ));
        }
        if out.as_bytes()[1] == b'0' {
            return Err(InvalidInput::new(
                field,
                "not an E.164 phone number: a country code never starts with 0",
            ));
        }
        Ok(Self(out))
    }

    /// The number in E.164 form.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The last four digits, the part that is safe to show or log.
    pub fn last_four(&self) -> &str {
        &self.0[self.0.len() - 4..]
    }

    /// Consumes the number, returning the E.164 text.
    pub fn into_string(self) -> String {
        self.0
    }
}

impl fmt::Debug for PhoneNumber {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("PhoneNumber(")?;
        redact::write_phone(f, &self.0)?;
        f.write_str(")")
    }
}

impl fmt::Display for PhoneNumber {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::str::FromStr for PhoneNumber {
    type Err = InvalidInput;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Self::parse(s)
    }
}

impl TryFrom<&str> for PhoneNumber {
    type Error = InvalidInput;
    fn try_from(s: &str) -> Result<Self, Self::Error> {
        Self::parse(s)
    }
}

impl AsRef<str> for PhoneNumber {
    fn as_ref(&self) -> &str {
        &self.0
    }
}

impl From<PhoneNumber> for String {
    fn from(p: PhoneNumber) -> Self {
        p.0
    }
}

impl<'de> Deserialize<'de> for PhoneNumber {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = <std::borrow::Cow<'de, str>>::deserialize(d)?;
        Self::parse(&s).map_err(serde::de::Error::custom)
    }
}

/// The `To` of a verification as Twilio reports it: a phone number or an e-mail address.
///
/// Kept as received. `Debug` masks it (last four digits of a number, only the domain of an
/// e-mail address); `Display` and [`as_str`](Self::as_str) give it whole.
#[derive(Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(transparent)]
pub struct Recipient(String);

impl Recipient {
    /// Wraps a value without checking it.
    pub fn new(value: impl Into<String>) -> Self {
        Self(value.into())
    }

    /// The value as text.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// Whether this looks like an e-mail address rather than a phone number.
    pub fn is_email(&self) -> bool {
        self.0.contains('@')
    }

    /// The value as an E.164 phone number, if it is one.
    pub fn phone(&self) -> Option<PhoneNumber> {
        PhoneNumber::parse(&self.0).ok()
    }
}

/// A phone number or e-mail address that may arrive as a string or a number.
pub(crate) fn lenient_recipient<'de, D: serde::Deserializer<'de>>(
    d: D,
) -> Result<Option<Recipient>, D::Error> {
    Ok(crate::de::lenient_string(d)?.map(Recipient::new))
}

impl fmt::Debug for Recipient {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Recipient(")?;
        redact::write_recipient(f, &self.0)?;
        f.write_str(")")
    }
}

impl fmt::Display for Recipient {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl From<PhoneNumber> for Recipient {
    fn from(p: PhoneNumber) -> Self {
        Self(p.0)
    }
}

impl PartialEq<str> for Recipient {
    fn eq(&self, other: &str) -> bool {
        self.0 == other
    }
}

impl PartialEq<&str> for Recipient {
    fn eq(&self, other: &&str) -> bool {
        self.0 == *other
    }
}

/// Checks that `value` looks like an e-mail address: one `@` with text on both sides and a dot
/// in the domain, and no white space.
pub(crate) fn check_email(value: &str, field: &'static str) -> Result<(), InvalidInput> {
    let ok = match value.split_once('@') {
        Some((local, domain)) => {
            !local.is_empty()
                && !domain.contains('@')
                && domain.contains('.')
                && !domain.starts_with('.')
                && !domain.ends_with('.')
                && !value.chars().any(char::is_whitespace)
        }
        None => false,
    };
    if ok {
        Ok(())
    } else {
        Err(InvalidInput::new(
            field,
            "not an e-mail address (expected local@domain)",
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn normalises_what_auth0_and_people_send() {
        for input in [
            "+15017122661",
            "+1 501 712 2661",
            "+1 (501) 712-2661",
            "+1.501.712.2661",
            " +1\u{a0}501\t7122661 ",
        ] {
            assert_eq!(
                PhoneNumber::parse(input).expect(input).as_str(),
                "+15017122661"
            );
        }
    }

    #[test]
    fn rejects_what_is_not_e164() {
        for input in [
            "",
            "+",
            "5017122661",
            "0015017122661",
            "+0 501 712 2661",
            "+1 501 712 2661 ext 3",
            "+1234",
            "+1234567890123456",
            "1+5017122661",
            "+1-50a-712-2661",
            "+1+5017122661",
        ] {
            let err = PhoneNumber::parse(input).expect_err(input);
            assert_eq!(err.field(), "To");
        }
    }

    #[test]
    fn debug_masks_but_display_does_not() {
        let n = PhoneNumber::parse("+15017122661").expect("valid");
        assert_eq!(format!("{n:?}"), "PhoneNumber(+*******2661)");
        assert_eq!(n.to_string(), "+15017122661");
        assert_eq!(n.last_four(), "2661");
        let r = Recipient::new("jane@example.com");
        assert_eq!(format!("{r:?}"), "Recipient(***@example.com)");
        assert!(r.is_email());
        assert_eq!(
            format!("{:?}", Recipient::from(n)),
            "Recipient(+*******2661)"
        );
    }

    #[test]
    fn email_check() {
        assert!(check_email("a@b.co", "To").is_ok());
        for bad in ["", "a", "@b.co", "a@b", "a@@b.co", "a b@c.co", "a@.co"] {
            assert!(check_email(bad, "To").is_err(), "{bad}");
        }
    }
}
