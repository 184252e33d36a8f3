//! Timestamps as Twilio and Auth0 send them.

use std::fmt;

use serde::{Deserialize, Serialize};
use time::OffsetDateTime;
use time::format_description::well_known::{Rfc2822, Rfc3339};

/// A point in time from a response.
///
/// Twilio's spec says RFC 2822 in places and ISO 8601 in others, and its examples use RFC 3339
/// (`2015-07-30T20:00:00Z`); both forms are accepted. It serializes as RFC 3339.
#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Timestamp(OffsetDateTime);

impl Timestamp {
    /// Parses RFC 3339 (`2015-07-30T20:00:00Z`) or RFC 2822 (`Thu, 30 Jul 2015 20:00:00 +0000`).
    pub fn parse(text: &str) -> Option<Self> {
        OffsetDateTime::parse(text, &Rfc3339)
            .or_else(|_| OffsetDateTime::parse(text, &Rfc2822))
            .ok()
            .map(Self)
    }

    /// Builds a timestamp from seconds since the Unix epoch.
    pub fn from_unix(seconds: i64) -> Option<Self> {
        OffsetDateTime::from_unix_timestamp(seconds).ok().map(Self)
    }

    /// Seconds since the Unix epoch.
    pub fn unix(&self) -> i64 {
        self.0.unix_timestamp()
    }

    /// The underlying [`time::OffsetDateTime`].
    pub fn as_offset_date_time(&self) -> OffsetDateTime {
        self.0
    }

    /// Formats as RFC 3339.
    pub fn to_rfc3339(&self) -> String {
        // Formatting a valid OffsetDateTime as RFC 3339 only fails for years outside 0..=9999,
        // which neither parser accepts.
        self.0
            .format(&Rfc3339)
            .unwrap_or_else(|_| self.0.unix_timestamp().to_string())
    }
}

impl From<OffsetDateTime> for Timestamp {
    fn from(t: OffsetDateTime) -> Self {
        Self(t)
    }
}

impl fmt::Debug for Timestamp {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Timestamp({})", self.to_rfc3339())
    }
}

impl fmt::Display for Timestamp {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.to_rfc3339())
    }
}

impl Serialize for Timestamp {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&self.to_rfc3339())
    }
}

impl<'de> Deserialize<'de> for Timestamp {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl serde::de::Visitor<'_> for V {
            type Value = Timestamp;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("an RFC 3339 or RFC 2822 date-time")
            }
            fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<Timestamp, E> {
                Timestamp::parse(v)
                    .ok_or_else(|| E::custom("not an RFC 3339 or RFC 2822 date-time"))
            }
        }
        d.deserialize_str(V)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accepts_rfc3339_and_rfc2822() {
        let a = Timestamp::parse("2015-07-30T20:00:00Z").expect("3339");
        let b = Timestamp::parse("Thu, 30 Jul 2015 20:00:00 +0000").expect("2822");
        assert_eq!(a, b);
        assert_eq!(a.unix(), 1_438_286_400);
        assert_eq!(a.to_string(), "2015-07-30T20:00:00Z");
        let c = Timestamp::parse("2023-11-01T10:15:30.123+02:00").expect("fraction and offset");
        assert_eq!(c.unix(), 1_698_826_530);
        assert!(Timestamp::parse("yesterday").is_none());
    }

    #[test]
    fn serde_round_trip() {
        let t: Timestamp = serde_json::from_str("\"2015-07-30T20:00:00Z\"").expect("decode");
        assert_eq!(
            serde_json::to_string(&t).expect("encode"),
            "\"2015-07-30T20:00:00Z\""
        );
        assert!(serde_json::from_str::<Timestamp>("\"nope\"").is_err());
    }
}
