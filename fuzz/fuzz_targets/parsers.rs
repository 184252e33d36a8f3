//! Fuzzes every parser that reads outside input: log-stream bodies in each format, the Action
//! events, and the phone number, SID and verification-target parsers. The first byte picks the
//! entry point; the rest is the input. Any panic is a failure.
#![no_main]

use libfuzzer_sys::fuzz_target;
use twilio_verify::auth0::{
    BodyFormat, CustomPhoneProviderEvent, HookParams, PhoneMessage, SendPhoneMessageEvent,
    classify_record, parse_log_batch, parse_log_batch_as, plan,
};
use twilio_verify::verify::VerificationTarget;
use twilio_verify::{PhoneNumber, ServiceSid, VerificationSid};

fuzz_target!(|data: &[u8]| {
    let Some((&selector, input)) = data.split_first() else { return };
    match selector % 4 {
        0 => {
            let format = match selector / 4 % 4 {
                0 => None,
                1 => Some(BodyFormat::JsonLines),
                2 => Some(BodyFormat::JsonArray),
                _ => Some(BodyFormat::JsonObject),
            };
            let batch = match format {
                Some(f) => parse_log_batch_as(input, f),
                None => parse_log_batch(input),
            };
            for r in &batch.records {
                let _ = r.event();
                let _ = classify_record(r);
            }
            let _ = plan(&batch.records);
        }
        1 => {
            if let Ok(e) = serde_json::from_slice::<SendPhoneMessageEvent>(input) {
                if let Ok(m) = PhoneMessage::try_from(&e) {
                    if let Ok(service) = "VAaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa".parse::<ServiceSid>() {
                        let _ = m.to_verification(service).to_wire();
                    }
                }
            }
            if let Ok(e) = serde_json::from_slice::<CustomPhoneProviderEvent>(input) {
                let _ = PhoneMessage::try_from(&e);
            }
            if let Ok(h) = serde_json::from_slice::<HookParams>(input) {
                let _ = PhoneMessage::try_from(&h);
            }
        }
        _ => {
            let text = String::from_utf8_lossy(input);
            let _ = PhoneNumber::parse(&text);
            let _ = ServiceSid::parse(text.as_ref());
            let _ = VerificationSid::parse(text.as_ref());
            let _ = VerificationTarget::from(text.as_ref()).check();
        }
    }
});
