//! Conversions between [`Timestamp`] and the date-time types of `time`, `chrono` and `jiff`,
//! each behind the feature of the same name. They keep the instant to the nanosecond and the
//! offset the timestamp was written in. Converting into a [`Timestamp`] fails only outside the
//! years 0 to 9999; converting into jiff's types fails only in the last hours of the year 9999,
//! which jiff keeps free for offsets.
//!
//! ```
//! # #[cfg(feature = "chrono")]
//! # {
//! use chrono::{DateTime, TimeDelta, Utc};
//! use twilio_verify::Timestamp;
//!
//! // Is this verification older than ten minutes?
//! let created = Timestamp::parse("2024-01-15T10:30:00Z").expect("a date");
//! let created: DateTime<Utc> = created.into();
//! let now: DateTime<Utc> = Timestamp::now().into();
//! let stale = now - created > TimeDelta::minutes(10);
//! assert!(stale);
//! # }
//! ```

use crate::timestamp::Timestamp;

/// Why a date-time of another crate is not a [`Timestamp`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("outside the years 0 to 9999, or an offset that is not whole seconds")]
#[non_exhaustive]
pub struct OutOfRange;

#[cfg(feature = "time")]
mod time_crate {
    use super::{OutOfRange, Timestamp};

    impl From<Timestamp> for time::OffsetDateTime {
        fn from(t: Timestamp) -> Self {
            let nanos = i128::from(t.unix()) * 1_000_000_000 + i128::from(t.nanosecond());
            let utc = Self::from_unix_timestamp_nanos(nanos).unwrap_or(Self::UNIX_EPOCH);
            match time::UtcOffset::from_whole_seconds(t.offset_seconds()) {
                Ok(offset) => utc.to_offset(offset),
                Err(_) => utc,
            }
        }
    }

    impl TryFrom<time::OffsetDateTime> for Timestamp {
        type Error = OutOfRange;

        fn try_from(t: time::OffsetDateTime) -> Result<Self, OutOfRange> {
            Timestamp::from_parts_exact(
                t.unix_timestamp(),
                t.nanosecond(),
                t.offset().whole_seconds(),
            )
            .ok_or(OutOfRange)
        }
    }
}

#[cfg(feature = "chrono")]
mod chrono_crate {
    use chrono::{DateTime, FixedOffset, Utc};

    use super::{OutOfRange, Timestamp};

    impl From<Timestamp> for DateTime<Utc> {
        fn from(t: Timestamp) -> Self {
            // Every Timestamp (years 0 to 9999) is in chrono's range.
            DateTime::from_timestamp(t.unix(), t.nanosecond()).unwrap_or_default()
        }
    }

    impl From<Timestamp> for DateTime<FixedOffset> {
        fn from(t: Timestamp) -> Self {
            let utc: DateTime<Utc> = t.into();
            match FixedOffset::east_opt(t.offset_seconds()) {
                Some(offset) => utc.with_timezone(&offset),
                None => utc.fixed_offset(),
            }
        }
    }

    impl TryFrom<DateTime<Utc>> for Timestamp {
        type Error = OutOfRange;

        fn try_from(t: DateTime<Utc>) -> Result<Self, OutOfRange> {
            Timestamp::from_parts_exact(t.timestamp(), t.timestamp_subsec_nanos(), 0)
                .ok_or(OutOfRange)
        }
    }

    impl TryFrom<DateTime<FixedOffset>> for Timestamp {
        type Error = OutOfRange;

        fn try_from(t: DateTime<FixedOffset>) -> Result<Self, OutOfRange> {
            Timestamp::from_parts_exact(
                t.timestamp(),
                t.timestamp_subsec_nanos(),
                t.offset().local_minus_utc(),
            )
            .ok_or(OutOfRange)
        }
    }
}

#[cfg(feature = "jiff")]
mod jiff_crate {
    use super::{OutOfRange, Timestamp};

    /// jiff keeps about a day free at each end of its range for offsets, so the last hours of
    /// the year 9999 have no `jiff::Timestamp`: this conversion is fallible there.
    impl TryFrom<Timestamp> for jiff::Timestamp {
        type Error = OutOfRange;

        fn try_from(t: Timestamp) -> Result<Self, OutOfRange> {
            let nanos = i32::try_from(t.nanosecond()).map_err(|_| OutOfRange)?;
            jiff::Timestamp::new(t.unix(), nanos).map_err(|_| OutOfRange)
        }
    }

    /// At the offset the timestamp was written in; fallible as the conversion to
    /// `jiff::Timestamp` is.
    impl TryFrom<Timestamp> for jiff::Zoned {
        type Error = OutOfRange;

        fn try_from(t: Timestamp) -> Result<Self, OutOfRange> {
            let instant = jiff::Timestamp::try_from(t)?;
            let offset =
                jiff::tz::Offset::from_seconds(t.offset_seconds()).map_err(|_| OutOfRange)?;
            Ok(instant.to_zoned(jiff::tz::TimeZone::fixed(offset)))
        }
    }

    /// jiff's seconds and nanoseconds share a sign (before 1970 both are negative); ours keep
    /// the nanoseconds positive.
    fn parts(t: jiff::Timestamp) -> (i64, u32) {
        let (secs, nanos) = (t.as_second(), t.subsec_nanosecond());
        if nanos < 0 {
            (secs - 1, (nanos + 1_000_000_000).unsigned_abs())
        } else {
            (secs, nanos.unsigned_abs())
        }
    }

    impl TryFrom<jiff::Timestamp> for Timestamp {
        type Error = OutOfRange;

        fn try_from(t: jiff::Timestamp) -> Result<Self, OutOfRange> {
            let (secs, nanos) = parts(t);
            Timestamp::from_parts_exact(secs, nanos, 0).ok_or(OutOfRange)
        }
    }

    impl TryFrom<&jiff::Zoned> for Timestamp {
        type Error = OutOfRange;

        fn try_from(z: &jiff::Zoned) -> Result<Self, OutOfRange> {
            let (secs, nanos) = parts(z.timestamp());
            Timestamp::from_parts_exact(secs, nanos, z.offset().seconds()).ok_or(OutOfRange)
        }
    }
}
