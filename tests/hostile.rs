//! Hostile input: property tests over the Auth0 parsers and the phone and SID parsers. No input
//! may panic, and memory stays proportional to the input on deep nesting and huge strings.
//!
//! Each property runs `HOSTILE_CASES` cases: 1,000 by default, so that `cargo test` stays quick;
//! `.ci/run` runs this suite again with 10,000.

use proptest::prelude::*;
use serde_json::{Value, json};
use twilio_verify::auth0::{
    BodyFormat, CustomPhoneProviderEvent, HookParams, PhoneMessage, SendPhoneMessageEvent,
    classify_record, parse_log_batch, parse_log_batch_as, plan,
};
use twilio_verify::verify::VerificationTarget;
use twilio_verify::{PhoneNumber, ServiceSid, VerificationSid};

fn cases() -> u32 {
    std::env::var("HOSTILE_CASES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(1_000)
}

fn config() -> ProptestConfig {
    ProptestConfig {
        cases: cases(),
        failure_persistence: None,
        ..ProptestConfig::default()
    }
}

/// Any JSON value, a few levels deep, with the keys the parsers look for mixed in.
fn json_value() -> impl Strategy<Value = Value> {
    let key = prop_oneof![
        Just("log_id".to_owned()),
        Just("data".to_owned()),
        Just("detail".to_owned()),
        Just("type".to_owned()),
        Just("_id".to_owned()),
        Just("details".to_owned()),
        Just("authenticator".to_owned()),
        Just("phone_number".to_owned()),
        Just("message_options".to_owned()),
        Just("notification".to_owned()),
        Just("recipient".to_owned()),
        Just("code".to_owned()),
        Just("scope".to_owned()),
        Just("isMobile".to_owned()),
        "[a-z_]{0,8}",
    ];
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::from),
        any::<i64>().prop_map(Value::from),
        any::<f64>()
            .prop_filter("finite", |f| f.is_finite())
            .prop_map(Value::from),
        any::<String>().prop_map(Value::from),
        Just(json!("gd_auth_succeed")),
        Just(json!("+1 501 712 2661")),
        Just(json!("sms")),
    ];
    leaf.prop_recursive(5, 64, 8, move |inner| {
        prop_oneof![
            proptest::collection::vec(inner.clone(), 0..6).prop_map(Value::Array),
            proptest::collection::btree_map(key.clone(), inner, 0..6)
                .prop_map(|m| Value::Object(m.into_iter().collect())),
        ]
    })
}

/// A record in one of the shapes a stream sends, built around arbitrary content.
fn record() -> impl Strategy<Value = Value> {
    (
        json_value(),
        any::<u8>(),
        "[0-9]{1,20}",
        prop_oneof![
            Just("gd_auth_succeed"),
            Just("s"),
            Just("fp"),
            Just("x_new")
        ],
    )
        .prop_map(|(extra, shape, id, kind)| {
            let data = json!({"log_id": id, "type": kind, "details": extra,
                              "date": "2024-01-15T10:30:00.000Z"});
            match shape % 3 {
                0 => json!({"log_id": id, "data": data}),
                1 => data,
                _ => json!({"detail": {"log_id": id, "data": data}}),
            }
        })
}

fn check_batch(body: &[u8]) {
    for batch in [
        parse_log_batch(body),
        parse_log_batch_as(body, BodyFormat::JsonLines),
        parse_log_batch_as(body, BodyFormat::JsonArray),
        parse_log_batch_as(body, BodyFormat::JsonObject),
    ] {
        for r in &batch.records {
            // Every record kept has its event, an object, where its shape says.
            let raw = r.raw_json();
            let object = raw.starts_with('{')
                && serde_json::from_str::<&serde_json::value::RawValue>(raw).is_ok();
            assert!(object, "{:?}: {raw:?}", r.shape);
            let _ = r.event();
            let _ = classify_record(r);
        }
        let _ = plan(&batch.records);
        let _ = format!("{batch:?}");
    }
}

proptest! {
    #![proptest_config(config())]

    #[test]
    fn log_stream_parsers_never_panic_on_bytes(body in proptest::collection::vec(any::<u8>(), 0..512)) {
        check_batch(&body);
    }

    #[test]
    fn log_stream_parsers_read_every_intact_record_in_every_format(
        records in proptest::collection::vec(record(), 1..8),
        cut in any::<prop::sample::Index>(),
    ) {
        let texts: Vec<String> = records.iter().map(Value::to_string).collect();
        let lines = texts.join("\n");
        let array = format!("[{}]", texts.join(","));
        let batch = parse_log_batch(lines.as_bytes());
        prop_assert_eq!(batch.records.len(), records.len());
        // The event's text, as sent, for each of the three shapes.
        for (r, v) in batch.records.iter().zip(&records) {
            let data = if v.get("detail").is_some() {
                &v["detail"]["data"]
            } else if v.get("data").is_some() {
                &v["data"]
            } else {
                v
            };
            prop_assert_eq!(r.raw_json(), data.to_string());
        }
        prop_assert_eq!(parse_log_batch(array.as_bytes()).records.len(), records.len());
        prop_assert_eq!(parse_log_batch_as(texts[0].as_bytes(), BodyFormat::JsonObject).records.len(), 1);
        // Cut anywhere: never a panic, and never more records than were sent.
        for body in [lines.as_bytes(), array.as_bytes()] {
            let at = cut.index(body.len() + 1);
            let batch = parse_log_batch(&body[..at]);
            prop_assert!(batch.records.len() <= records.len());
            check_batch(&body[..at]);
        }
    }

    #[test]
    fn action_events_never_panic(v in json_value(), wrap in any::<u8>()) {
        let candidates = [
            v.clone(),
            json!({"message_options": v.clone()}),
            json!({"notification": v.clone()}),
            json!({"recipient": "+15017122661", "text": "t", "context": v.clone()}),
            json!({"message_options": {"action": "enrollment", "code": v.clone(), "message_type": "sms", "recipient": v.clone(), "text": "t"}}),
        ];
        let v = &candidates[usize::from(wrap) % candidates.len()];
        if let Ok(e) = serde_json::from_value::<SendPhoneMessageEvent>(v.clone()) {
            let service: ServiceSid = "VAaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa".parse().expect("sid");
            let _ = PhoneMessage::try_from(&e).map(|m| m.to_verification(service).to_wire());
            let _ = format!("{e:?}");
        }
        if let Ok(e) = serde_json::from_value::<CustomPhoneProviderEvent>(v.clone()) {
            let _ = PhoneMessage::try_from(&e);
            let _ = format!("{e:?}");
        }
        if let Ok(h) = serde_json::from_value::<HookParams>(v.clone()) {
            let _ = PhoneMessage::try_from(&h);
        }
    }

    #[test]
    fn phone_parser_accepts_exactly_e164(s in any::<String>()) {
        if let Ok(p) = PhoneNumber::parse(&s) {
            let t = p.as_str();
            prop_assert!(t.starts_with('+'));
            prop_assert!((8..=16).contains(&t.len()));
            prop_assert!(t[1..].bytes().all(|b| b.is_ascii_digit()));
            prop_assert!(!t[1..].starts_with('0'));
        }
        let _ = VerificationTarget::from(s.as_str()).check();
    }

    #[test]
    fn phone_parser_normalises_separators(
        digits in "[1-9][0-9]{6,14}",
        seps in proptest::collection::vec(prop_oneof![Just(" "), Just("-"), Just("."), Just("("), Just(")"), Just("\u{a0}")], 16),
    ) {
        let mut written = String::from("+");
        for (i, d) in digits.chars().enumerate() {
            written.push(d);
            written.push_str(seps[i % seps.len()]);
        }
        let p = PhoneNumber::parse(&written).map_err(|e| TestCaseError::fail(e.to_string()))?;
        prop_assert_eq!(p.as_str(), format!("+{digits}"));
    }

    #[test]
    fn sid_parsers_accept_exactly_prefix_and_32_hex(s in any::<String>(), hex in "[0-9a-fA-F]{32}") {
        let ok = ServiceSid::parse(s.as_str()).is_ok();
        let expected = s.len() == 34 && s.starts_with("VA") && s[2..].bytes().all(|b| b.is_ascii_hexdigit());
        prop_assert_eq!(ok, expected);
        let built = format!("VE{hex}");
        prop_assert!(VerificationSid::parse(built.as_str()).is_ok());
        prop_assert!(ServiceSid::parse(built).is_err());
    }

    #[test]
    fn timestamps_never_panic_and_round_trip(
        s in any::<String>(),
        near in "[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}(\\.[0-9]{1,12})?(Z|[+-][0-9]{2}:[0-9]{2})",
        secs in -62_167_219_200i64..=253_402_300_799i64,
    ) {
        let _ = twilio_verify::Timestamp::parse(&s);
        // Text that is nearly RFC 3339: whatever parses prints back as the same instant.
        if let Some(t) = twilio_verify::Timestamp::parse(&near) {
            let again = twilio_verify::Timestamp::parse(&t.to_rfc3339());
            prop_assert_eq!(again, Some(t));
        }
        let t = twilio_verify::Timestamp::from_unix(secs).expect("in range");
        let back = twilio_verify::Timestamp::parse(&t.to_rfc3339()).expect("parses");
        prop_assert_eq!(back.unix(), secs);
    }
}

#[test]
fn deep_nesting_is_refused_not_a_stack_overflow() {
    for depth in [1_000usize, 100_000] {
        let deep = format!("{}{}", "[".repeat(depth), "]".repeat(depth));
        check_batch(deep.as_bytes());
        let in_record = format!(
            r#"{{"log_id": "1", "data": {{"type": "s", "details": {}}}}}"#,
            deep
        );
        let batch = parse_log_batch(in_record.as_bytes());
        assert_eq!(batch.records.len() + batch.errors.len(), 1);
        // Routing may skip over the nesting, but decoding it is refused, not a stack overflow.
        for r in &batch.records {
            assert!(r.raw_json().starts_with(r#"{"type": "s""#), "depth {depth}");
            assert!(r.event().is_err(), "depth {depth} decoded");
        }
        let objects = format!("{}{}", r#"{"a":"#.repeat(depth), "}".repeat(depth));
        check_batch(objects.as_bytes());
        assert!(serde_json::from_str::<SendPhoneMessageEvent>(&objects).is_err());
    }
}

#[test]
fn huge_strings_neither_panic_nor_get_lost() {
    let big = "x".repeat(16 * 1024 * 1024);
    let body = format!(r#"{{"log_id": "1", "data": {{"type": "s", "description": "{big}"}}}}"#);
    let batch = parse_log_batch(body.as_bytes());
    assert_eq!(batch.records.len(), 1);
    let e = batch.records[0].event().expect("event");
    assert_eq!(e.description.map(|d| d.len()), Some(big.len()));
    let phone = format!("+1{}", "5".repeat(10_000_000));
    assert!(PhoneNumber::parse(&phone).is_err());
}
