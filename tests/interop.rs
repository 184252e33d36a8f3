//! Date-time interop: `Timestamp` to and from `time`, `chrono` and `jiff`, losslessly, with
//! offsets and sub-second precision, as property tests.
#![cfg(all(feature = "time", feature = "chrono", feature = "jiff"))]

use proptest::prelude::*;
use twilio_verify::Timestamp;

/// Seconds from 0000-01-01T00:00:00Z and to 9999-12-31T23:59:59Z.
const MIN: i64 = -62_167_219_200;
const MAX: i64 = 253_402_300_799;
/// jiff's last second: it keeps a day free at the end of its range for offsets.
const JIFF_MAX: i64 = 253_402_207_200;

fn fields(t: &Timestamp) -> (i64, u32, i32) {
    (t.unix(), t.nanosecond(), t.offset_seconds())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2_000))]

    #[test]
    fn every_crate_round_trips_the_instant_and_the_offset(
        secs in MIN..=MAX,
        nanos in 0u32..1_000_000_000,
        offset in -86_399i32..=86_399,
    ) {
        let utc = time::OffsetDateTime::from_unix_timestamp_nanos(
            i128::from(secs) * 1_000_000_000 + i128::from(nanos),
        )
        .expect("in time's range");
        let odt = utc.to_offset(time::UtcOffset::from_whole_seconds(offset).expect("offset"));
        // time -> Timestamp -> time
        let t = Timestamp::try_from(odt).expect("in range");
        prop_assert_eq!(fields(&t), (secs, nanos, offset));
        let back: time::OffsetDateTime = t.into();
        prop_assert_eq!(back, odt);
        prop_assert_eq!(back.offset(), odt.offset());

        // chrono, with its offset and in UTC
        let fixed: chrono::DateTime<chrono::FixedOffset> = t.into();
        prop_assert_eq!(fixed.offset().local_minus_utc(), offset);
        prop_assert_eq!(fields(&Timestamp::try_from(fixed).expect("in range")), (secs, nanos, offset));
        let in_utc: chrono::DateTime<chrono::Utc> = t.into();
        prop_assert_eq!(in_utc.timestamp(), secs);
        prop_assert_eq!(fields(&Timestamp::try_from(in_utc).expect("in range")), (secs, nanos, 0));

        // jiff, zoned at its offset and as a bare instant, up to its own last second
        if secs > JIFF_MAX {
            prop_assert!(jiff::Timestamp::try_from(t).is_err());
            return Ok(());
        }
        let zoned = jiff::Zoned::try_from(t).expect("in jiff's range");
        prop_assert_eq!(zoned.offset().seconds(), offset);
        prop_assert_eq!(fields(&Timestamp::try_from(&zoned).expect("in range")), (secs, nanos, offset));
        let instant = jiff::Timestamp::try_from(t).expect("in jiff's range");
        prop_assert_eq!(instant.as_nanosecond(), i128::from(secs) * 1_000_000_000 + i128::from(nanos));
        prop_assert_eq!(fields(&Timestamp::try_from(instant).expect("in range")), (secs, nanos, 0));
    }
}

#[test]
fn outside_years_0_to_9999_is_refused_not_wrapped() {
    let late = chrono::DateTime::from_timestamp(MAX + 1, 0).expect("chrono");
    assert!(Timestamp::try_from(late).is_err());
    let early = time::OffsetDateTime::from_unix_timestamp(MIN - 1).expect("time");
    assert!(Timestamp::try_from(early).is_err());
    let too_early = jiff::Timestamp::new(MIN - 1, 0).expect("jiff");
    assert!(Timestamp::try_from(too_early).is_err());
    let last = Timestamp::parse("9999-12-31T23:59:59Z").expect("year 9999");
    assert!(
        jiff::Timestamp::try_from(last).is_err(),
        "past jiff's range"
    );
}

#[test]
fn a_parsed_twilio_date_converts_to_the_same_instant() {
    let t = Timestamp::parse("Tue, 01 Dec 2026 10:00:00 +0530").expect("RFC 2822");
    let c: chrono::DateTime<chrono::FixedOffset> = t.into();
    assert_eq!(c.offset().local_minus_utc(), 5 * 3600 + 1800);
    assert_eq!(c.timestamp(), t.unix());
    assert_eq!(t.to_rfc3339(), "2026-12-01T10:00:00+05:30");
    let j = jiff::Zoned::try_from(t).expect("in range");
    assert_eq!(j.timestamp().as_second(), t.unix());
    let o: time::OffsetDateTime = t.into();
    assert_eq!(o.unix_timestamp(), t.unix());
    assert_eq!(o.offset().whole_seconds(), 5 * 3600 + 1800);
}
