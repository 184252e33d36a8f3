//! Timestamps as Twilio and Auth0 send them.
//!
//! Parsed and formatted here rather than with a date crate: the crate needs two fixed formats,
//! and the models-only build stays small (and decoding a verification parses three of these).

use std::cmp::Ordering;
use std::fmt;
use std::hash::{Hash, Hasher};

use serde::{Deserialize, Serialize};

/// Seconds from 0000-01-01T00:00:00Z to the Unix epoch, and to the end of 9999.
const MIN_UNIX: i64 = -62_167_219_200;
const MAX_UNIX: i64 = 253_402_300_799;

/// A point in time from a response.
///
/// Twilio's spec says RFC 2822 in places and ISO 8601 in others, and its examples use RFC 3339
/// (`2015-07-30T20:00:00Z`); both forms are accepted, for years 0 to 9999. It serializes as
/// RFC 3339, in the offset it was given. Two timestamps are equal when they name the same
/// instant, whatever their offsets.
#[derive(Clone, Copy)]
pub struct Timestamp {
    /// Seconds since the Unix epoch (UTC).
    secs: i64,
    /// Nanoseconds within the second.
    nanos: u32,
    /// The offset it was written in, in seconds east of UTC.
    offset: i32,
}

impl PartialEq for Timestamp {
    fn eq(&self, other: &Self) -> bool {
        (self.secs, self.nanos) == (other.secs, other.nanos)
    }
}

impl Eq for Timestamp {}

impl PartialOrd for Timestamp {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for Timestamp {
    fn cmp(&self, other: &Self) -> Ordering {
        (self.secs, self.nanos).cmp(&(other.secs, other.nanos))
    }
}

impl Hash for Timestamp {
    fn hash<H: Hasher>(&self, state: &mut H) {
        (self.secs, self.nanos).hash(state);
    }
}

/// Days from 1970-01-01 to a proleptic Gregorian date (H. Hinnant's `days_from_civil`).
fn days_from_civil(y: i64, m: u32, d: u32) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = (if y >= 0 { y } else { y - 399 }) / 400;
    let yoe = y - era * 400;
    let mp = i64::from((m + 9) % 12);
    let doy = (153 * mp + 2) / 5 + i64::from(d) - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// The date of a day count from 1970-01-01.
fn civil_from_days(z: i64) -> (i64, u32, u32) {
    let z = z + 719_468;
    let era = (if z >= 0 { z } else { z - 146_096 }) / 146_097;
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    (yoe + era * 400 + i64::from(m <= 2), m, d)
}

fn days_in_month(y: i64, m: u32) -> u32 {
    match m {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        _ if (y % 4 == 0 && y % 100 != 0) || y % 400 == 0 => 29,
        _ => 28,
    }
}

/// `n` ASCII digits at the start of `s`, as a number.
fn digits(s: &[u8], n: usize) -> Option<u32> {
    let part = s.get(..n)?;
    part.iter().try_fold(0u32, |acc, b| {
        b.is_ascii_digit().then(|| acc * 10 + u32::from(b - b'0'))
    })
}

/// Builds a timestamp from a wall-clock time and its offset, checking every field.
#[allow(clippy::too_many_arguments)]
fn from_parts(
    y: i64,
    mo: u32,
    d: u32,
    h: u32,
    mi: u32,
    s: u32,
    nanos: u32,
    offset: i32,
) -> Option<Timestamp> {
    if !(0..=9999).contains(&y)
        || !(1..=12).contains(&mo)
        || d == 0
        || d > days_in_month(y, mo)
        || h > 23
        || mi > 59
        || s > 60
        || offset.abs() >= 24 * 3600
    {
        return None;
    }
    // A leap second reads as the last instant of the second before it.
    let (s, nanos) = if s == 60 {
        (59, 999_999_999)
    } else {
        (s, nanos)
    };
    let local = days_from_civil(y, mo, d) * 86_400 + i64::from(h * 3600 + mi * 60 + s);
    let secs = local - i64::from(offset);
    (MIN_UNIX..=MAX_UNIX).contains(&secs).then_some(Timestamp {
        secs,
        nanos,
        offset,
    })
}

/// RFC 3339: `2015-07-30T20:00:00Z`, `2023-11-01T10:15:30.123+02:00`.
fn parse_rfc3339(text: &str) -> Option<Timestamp> {
    let b = text.as_bytes();
    if b.len() < 20 || b[4] != b'-' || b[7] != b'-' || b[13] != b':' || b[16] != b':' {
        return None;
    }
    if !matches!(b[10], b'T' | b't' | b' ') {
        return None;
    }
    let (y, mo, d) = (digits(b, 4)?, digits(&b[5..], 2)?, digits(&b[8..], 2)?);
    let (h, mi, s) = (
        digits(&b[11..], 2)?,
        digits(&b[14..], 2)?,
        digits(&b[17..], 2)?,
    );
    let mut rest = &b[19..];
    let mut nanos = 0u32;
    if let Some(frac) = rest.strip_prefix(b".") {
        let n = frac.iter().take_while(|c| c.is_ascii_digit()).count();
        if n == 0 {
            return None;
        }
        for (i, c) in frac[..n].iter().enumerate().take(9) {
            nanos += u32::from(c - b'0') * 10u32.pow(8 - i as u32);
        }
        rest = &frac[n..];
    }
    let offset = match rest {
        [b'Z' | b'z'] => 0,
        [sign @ (b'+' | b'-'), _, _, b':', _, _] => {
            let (oh, om) = (digits(&rest[1..], 2)?, digits(&rest[4..], 2)?);
            if oh > 23 || om > 59 {
                return None;
            }
            let o = (oh * 3600 + om * 60) as i32;
            if *sign == b'-' { -o } else { o }
        }
        _ => return None,
    };
    from_parts(i64::from(y), mo, d, h, mi, s, nanos, offset)
}

/// RFC 2822: `Thu, 30 Jul 2015 20:00:00 +0000` (the day name and the seconds are optional;
/// `UT`, `GMT` and the North American zone names are read as their offsets).
fn parse_rfc2822(text: &str) -> Option<Timestamp> {
    let mut words = text.split_whitespace().peekable();
    if words.peek()?.ends_with(',') {
        words.next();
    }
    let day: u32 = words.next()?.parse().ok()?;
    const MONTHS: [&str; 12] = [
        "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
    ];
    let month_word = words.next()?;
    let month = MONTHS
        .iter()
        .position(|m| m.eq_ignore_ascii_case(month_word))? as u32
        + 1;
    let year_word = words.next()?;
    if year_word.len() != 4 {
        return None;
    }
    let year: i64 = year_word.parse().ok()?;
    let clock = words.next()?.as_bytes();
    let (h, mi) = (digits(clock, 2)?, digits(clock.get(3..)?, 2)?);
    let s = match clock.len() {
        5 if clock[2] == b':' => 0,
        8 if clock[2] == b':' && clock[5] == b':' => digits(&clock[6..], 2)?,
        _ => return None,
    };
    let zone = words.next()?;
    if words.next().is_some() {
        return None;
    }
    let hours = |h: i32| Some(h * 3600);
    let offset = match zone.to_ascii_uppercase().as_str() {
        "UT" | "GMT" | "Z" => Some(0),
        "EDT" => hours(-4),
        "EST" | "CDT" => hours(-5),
        "CST" | "MDT" => hours(-6),
        "MST" | "PDT" => hours(-7),
        "PST" => hours(-8),
        z => {
            let b = z.as_bytes();
            match b {
                [sign @ (b'+' | b'-'), ..] if b.len() == 5 => {
                    let (oh, om) = (digits(&b[1..], 2)?, digits(&b[3..], 2)?);
                    if om > 59 {
                        return None;
                    }
                    let o = (oh * 3600 + om * 60) as i32;
                    Some(if *sign == b'-' { -o } else { o })
                }
                _ => None,
            }
        }
    }?;
    from_parts(year, month, day, h, mi, s, 0, offset)
}

impl Timestamp {
    /// Parses RFC 3339 (`2015-07-30T20:00:00Z`) or RFC 2822 (`Thu, 30 Jul 2015 20:00:00 +0000`).
    pub fn parse(text: &str) -> Option<Self> {
        parse_rfc3339(text).or_else(|| parse_rfc2822(text))
    }

    /// Builds a timestamp (in UTC) from seconds since the Unix epoch; `None` outside the years 0
    /// to 9999.
    pub fn from_unix(seconds: i64) -> Option<Self> {
        (MIN_UNIX..=MAX_UNIX).contains(&seconds).then_some(Self {
            secs: seconds,
            nanos: 0,
            offset: 0,
        })
    }

    /// The current time, in UTC, from the system clock.
    pub fn now() -> Self {
        let since = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .unwrap_or_default();
        Self {
            secs: i64::try_from(since.as_secs()).unwrap_or(MAX_UNIX),
            nanos: since.subsec_nanos(),
            offset: 0,
        }
    }

    /// Builds a timestamp (in UTC) from milliseconds since the Unix epoch; `None` outside the
    /// years 0 to 9999.
    ///
    /// ```
    /// let t = twilio_verify::Timestamp::from_unix_millis(1_705_314_598_250).expect("in range");
    /// assert_eq!(t.to_rfc3339(), "2024-01-15T10:29:58.25Z");
    /// ```
    pub fn from_unix_millis(millis: i64) -> Option<Self> {
        let mut t = Self::from_unix(millis.div_euclid(1000))?;
        t.nanos = u32::try_from(millis.rem_euclid(1000)).unwrap_or(0) * 1_000_000;
        Some(t)
    }

    /// Milliseconds since the Unix epoch.
    #[cfg(feature = "auth0")]
    pub(crate) fn unix_millis(&self) -> i64 {
        self.secs
            .saturating_mul(1000)
            .saturating_add(i64::from(self.nanos / 1_000_000))
    }

    /// A timestamp of `secs` seconds and `nanos` nanoseconds since the Unix epoch, written at
    /// `offset` seconds east of UTC; `None` outside the years 0 to 9999, for `nanos` of a whole
    /// second or more, or an offset of a day or more.
    #[cfg_attr(
        not(any(feature = "time", feature = "chrono", feature = "jiff")),
        allow(dead_code)
    )]
    pub(crate) fn from_parts_exact(secs: i64, nanos: u32, offset: i32) -> Option<Self> {
        let ok = (MIN_UNIX..=MAX_UNIX).contains(&secs)
            && nanos < 1_000_000_000
            && offset.unsigned_abs() < 86_400;
        ok.then_some(Self {
            secs,
            nanos,
            offset,
        })
    }

    /// Seconds since the Unix epoch.
    pub fn unix(&self) -> i64 {
        self.secs
    }

    /// Nanoseconds within the second.
    pub fn nanosecond(&self) -> u32 {
        self.nanos
    }

    /// The offset from UTC it was written in, in seconds (east positive).
    pub fn offset_seconds(&self) -> i32 {
        self.offset
    }

    /// Formats as RFC 3339, in the offset it was written in (`Z` for UTC), with fractional
    /// seconds only when there are any.
    pub fn to_rfc3339(&self) -> String {
        let local = self.secs + i64::from(self.offset);
        let (y, mo, d) = civil_from_days(local.div_euclid(86_400));
        let t = local.rem_euclid(86_400);
        let mut out = format!(
            "{y:04}-{mo:02}-{d:02}T{:02}:{:02}:{:02}",
            t / 3600,
            t % 3600 / 60,
            t % 60
        );
        if self.nanos != 0 {
            let frac = format!("{:09}", self.nanos);
            out.push('.');
            out.push_str(frac.trim_end_matches('0'));
        }
        if self.offset == 0 {
            out.push('Z');
        } else {
            let sign = if self.offset < 0 { '-' } else { '+' };
            let o = self.offset.unsigned_abs();
            out.push_str(&format!("{sign}{:02}:{:02}", o / 3600, o % 3600 / 60));
        }
        out
    }
}

#[cfg(feature = "testing")]
impl Timestamp {
    /// The RFC 2822 form the REST API (API v2010) writes, in UTC: `Tue, 01 Dec 2026 10:00:00 +0000`.
    pub(crate) fn to_rfc2822(self) -> String {
        const DAYS: [&str; 7] = ["Thu", "Fri", "Sat", "Sun", "Mon", "Tue", "Wed"];
        const MONTHS: [&str; 12] = [
            "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
        ];
        let days = self.secs.div_euclid(86_400);
        let (y, mo, d) = civil_from_days(days);
        let t = self.secs.rem_euclid(86_400);
        let weekday = DAYS[days.rem_euclid(7) as usize];
        let month = MONTHS[(mo as usize).saturating_sub(1) % 12];
        format!(
            "{weekday}, {d:02} {month} {y:04} {:02}:{:02}:{:02} +0000",
            t / 3600,
            t % 3600 / 60,
            t % 60
        )
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

    #[test]
    fn calendar_arithmetic_matches_known_instants() {
        for (text, unix) in [
            ("1970-01-01T00:00:00Z", 0),
            ("2000-02-29T12:00:00Z", 951_825_600),
            ("1969-12-31T23:59:59Z", -1),
            ("0000-01-01T00:00:00Z", -62_167_219_200),
            ("9999-12-31T23:59:59Z", 253_402_300_799),
            ("2024-03-10T02:30:00-05:00", 1_710_055_800),
            ("Mon, 4 Mar 2024 09:05 GMT", 1_709_543_100),
            ("4 Mar 2024 04:05:00 EST", 1_709_543_100),
        ] {
            let t = Timestamp::parse(text).unwrap_or_else(|| panic!("{text}"));
            assert_eq!(t.unix(), unix, "{text}");
            let back = Timestamp::parse(&t.to_rfc3339()).expect("round trip");
            assert_eq!(back, t, "{text}");
        }
        // Every day from 1900 to 2100 survives the round trip through the day count.
        for day in days_from_civil(1900, 1, 1)..days_from_civil(2100, 12, 31) {
            let (y, m, d) = civil_from_days(day);
            assert_eq!(days_from_civil(y, m, d), day);
            assert!(d >= 1 && d <= days_in_month(y, m));
        }
    }

    #[test]
    fn offsets_and_fractions_are_kept_for_display_but_not_equality() {
        let t = Timestamp::parse("2023-11-01T10:15:30.120+02:00").expect("parse");
        assert_eq!(t.to_rfc3339(), "2023-11-01T10:15:30.12+02:00");
        assert_eq!(t.nanosecond(), 120_000_000);
        assert_eq!(t.offset_seconds(), 7200);
        let utc = Timestamp::parse("2023-11-01T08:15:30.12Z").expect("parse");
        assert_eq!(t, utc);
        assert_eq!(
            Timestamp::from_unix(0).map(|t| t.to_string()).as_deref(),
            Some("1970-01-01T00:00:00Z")
        );
    }

    #[test]
    fn impossible_dates_and_garbage_are_refused() {
        for bad in [
            "2023-02-29T00:00:00Z",
            "2023-13-01T00:00:00Z",
            "2023-01-01T24:00:00Z",
            "2023-01-01T00:00:00",
            "2023-01-01T00:00:00+2:00",
            "2023-01-01T00:00:00.Z",
            "10000-01-01T00:00:00Z",
            "-001-01-01T00:00:00Z",
            "Thu, 30 Foo 2015 20:00:00 +0000",
            "Thu, 30 Jul 15 20:00:00 +0000",
            "Thu, 30 Jul 2015 20:00:00 +0000 extra",
            "２０２３-01-01T00:00:00Z",
            "",
        ] {
            assert!(Timestamp::parse(bad).is_none(), "{bad}");
        }
        assert!(Timestamp::from_unix(253_402_300_800).is_none());
        let leap = Timestamp::parse("2016-12-31T23:59:60Z").expect("leap second");
        assert_eq!(leap.unix(), 1_483_228_799);
    }
}
