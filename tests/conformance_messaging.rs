//! Conformance of the two Programmable Messaging and Voice operations (`CreateMessage`,
//! `CreateCall`) with Twilio's own OpenAPI description of API v2010, served by the Prism mock.
//!
//! Run it with `scripts/conformance`, which sets:
//!
//! - `CONFORMANCE_API_SPEC`: the API v2010 spec file (JSON);
//! - `CONFORMANCE_API_PRISM_URL`: Prism serving it in static mode (the spec's examples);
//! - `CONFORMANCE_API_PRISM_DYNAMIC_URL`: Prism in dynamic mode (random schema-valid answers);
//! - `CONFORMANCE_API_TABLE` (optional): where to write the coverage section (Markdown).
//!
//! For each operation: (1) the requests with only what is required and with every parameter are
//! accepted by Prism, in static and dynamic mode, and their answers decode; (2) the keys sent,
//! read by a recording server, are exactly the spec's parameters; (3) every property of the
//! response schema is a field of the model; (4) 50 random dynamic answers decode.

#![cfg(feature = "client")]

use std::collections::BTreeSet;
use std::fmt::Write as _;

use serde_json::Value;
use twilio_verify::messaging::{
    AddressRetention, Call, ContentRetention, CreateCall, CreateMessage, Message, MessageRiskCheck,
    ScheduleType, Sender, TrafficType,
};
use twilio_verify::sid::{ApplicationSid, ContentSid, MessagingServiceSid};
use twilio_verify::{AccountSid, Client, Timestamp};
use wiremock::{Mock, MockServer, ResponseTemplate};

const ACCOUNT: &str = "ACaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa";
const TO: &str = "+15017122661";
const FROM: &str = "+15557654321";
const DYNAMIC_CALLS: usize = 50;
const OPERATIONS: [(&str, &str); 2] = [
    (
        "CreateMessage",
        "/2010-04-01/Accounts/{AccountSid}/Messages.json",
    ),
    ("CreateCall", "/2010-04-01/Accounts/{AccountSid}/Calls.json"),
];

fn account() -> AccountSid {
    ACCOUNT.parse().expect("account")
}

/// The message requests: only what is required, and every parameter (two of them, since `From`
/// and `MessagingServiceSid` are the two ways of naming the sender).
fn messages() -> (Vec<CreateMessage>, Vec<CreateMessage>) {
    let full = |sender: Sender| {
        CreateMessage::new(account(), TO, sender)
            .body("Your password was changed.")
            .media_url("https://example.com/a.png")
            .content_sid(
                "HXaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
                    .parse::<ContentSid>()
                    .expect("hx"),
            )
            .content_variable("1", "Jane")
            .status_callback("https://example.com/status")
            .application_sid(
                "APaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
                    .parse::<ApplicationSid>()
                    .expect("ap"),
            )
            .max_price(0.5)
            .provide_feedback(true)
            .attempt(1)
            .validity_period(600)
            .force_delivery(false)
            .content_retention(ContentRetention::Retain)
            .address_retention(AddressRetention::Retain)
            .smart_encoded(true)
            .persistent_action("geo:37.7,-122.4")
            .traffic_type(TrafficType::Free)
            .shorten_urls(false)
            .schedule_type(ScheduleType::Fixed)
            .send_at(Timestamp::parse("2030-01-15T10:30:00Z").expect("time"))
            .send_as_mms(false)
            .risk_check(MessageRiskCheck::Enable)
            .fallback_from(FROM)
    };
    let mg: MessagingServiceSid = "MGaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa".parse().expect("mg");
    (
        vec![CreateMessage::text(
            account(),
            TO,
            FROM,
            "Your password was changed.",
        )],
        vec![full(Sender::from(FROM)), full(Sender::from(mg))],
    )
}

/// The call requests: only what is required (with inline TwiML), and every parameter.
fn calls() -> (Vec<CreateCall>, Vec<CreateCall>) {
    let full = CreateCall::say(account(), TO, FROM, "Your account was blocked.")
        .url("https://example.com/twiml")
        .application_sid(
            "APaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
                .parse::<ApplicationSid>()
                .expect("ap"),
        )
        .method("POST")
        .fallback_url("https://example.com/fallback")
        .fallback_method("GET")
        .status_callback("https://example.com/status")
        .status_callback_event("initiated")
        .status_callback_event("completed")
        .status_callback_method("POST")
        .send_digits("ww1234")
        .timeout(30)
        .record(false)
        .recording_channels("mono")
        .recording_status_callback("https://example.com/rec")
        .recording_status_callback_method("POST")
        .sip_auth_username("user")
        .sip_auth_password("pass")
        .machine_detection("Enable")
        .machine_detection_timeout(30)
        .recording_status_callback_event("completed")
        .trim("trim-silence")
        .caller_id(FROM)
        .machine_detection_speech_threshold(2400)
        .machine_detection_speech_end_threshold(1200)
        .machine_detection_silence_timeout(5000)
        .async_amd("false")
        .async_amd_status_callback("https://example.com/amd")
        .async_amd_status_callback_method("POST")
        .byoc("BYaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa")
        .call_reason("Security notice")
        .call_token("token")
        .recording_track("both")
        .time_limit(120)
        .client_notification_url("https://example.com/push");
    (
        vec![CreateCall::say(
            account(),
            TO,
            FROM,
            "Your account was blocked.",
        )],
        vec![full],
    )
}

/// Sends the requests of `op` to `client` and returns each answer's model, re-serialized.
async fn send(op: &str, client: &Client, full: bool) -> Vec<Result<Value, String>> {
    fn model<T: serde::Serialize>(r: twilio_verify::Result<T>) -> Result<Value, String> {
        r.map_err(|e| format!("{e:?}"))
            .and_then(|m| serde_json::to_value(m).map_err(|e| e.to_string()))
    }
    let mut out = Vec::new();
    match op {
        "CreateMessage" => {
            let (required, every) = messages();
            for r in if full { every } else { required } {
                out.push(model::<Message>(r.send(client).await));
            }
        }
        _ => {
            let (required, every) = calls();
            for r in if full { every } else { required } {
                out.push(model::<Call>(r.send(client).await));
            }
        }
    }
    out
}

fn resolve<'a>(spec: &'a Value, schema: &'a Value) -> &'a Value {
    match schema["$ref"].as_str() {
        Some(r) => {
            let name = r.rsplit('/').next().unwrap_or_default();
            &spec["components"]["schemas"][name]
        }
        None => schema,
    }
}

/// The form parameters and the response properties of `path`'s POST.
fn spec_of(spec: &Value, path: &str) -> (BTreeSet<String>, BTreeSet<String>) {
    let op = &spec["paths"][path]["post"];
    let form = resolve(
        spec,
        &op["requestBody"]["content"]["application/x-www-form-urlencoded"]["schema"],
    );
    let params = form["properties"]
        .as_object()
        .into_iter()
        .flatten()
        .map(|(k, _)| k.clone())
        .collect();
    let answer = resolve(
        spec,
        &op["responses"]["201"]["content"]["application/json"]["schema"],
    );
    let fields = answer["properties"]
        .as_object()
        .into_iter()
        .flatten()
        .map(|(k, _)| k.clone())
        .collect();
    (params, fields)
}

fn client(verify: &str, api: &str) -> Client {
    Client::builder()
        .auth_token(ACCOUNT, "conformance-token")
        .base_url(verify)
        .api_base_url(api)
        .build()
        .expect("client")
}

#[tokio::test]
#[ignore = "needs Twilio's API v2010 spec and the Prism mock: run `scripts/conformance`"]
async fn messaging_conformance_against_prism() {
    let spec_path = std::env::var("CONFORMANCE_API_SPEC")
        .expect("CONFORMANCE_API_SPEC: run scripts/conformance");
    let static_url = std::env::var("CONFORMANCE_API_PRISM_URL")
        .expect("CONFORMANCE_API_PRISM_URL: run scripts/conformance");
    let dynamic_url = std::env::var("CONFORMANCE_API_PRISM_DYNAMIC_URL")
        .expect("CONFORMANCE_API_PRISM_DYNAMIC_URL: run scripts/conformance");
    let spec: Value =
        serde_json::from_str(&std::fs::read_to_string(&spec_path).expect("spec readable"))
            .expect("spec is JSON");
    // Nothing may reach the Verify host: a server that fails every request plays it.
    let verify = MockServer::start().await;
    Mock::given(wiremock::matchers::any())
        .respond_with(ResponseTemplate::new(500))
        .expect(0)
        .mount(&verify)
        .await;
    let prism = client(&verify.uri(), &static_url);
    let prism_dynamic = client(&verify.uri(), &dynamic_url);
    let mut failures = Vec::new();
    let mut table = String::from(
        "\n## Programmable Messaging and Voice (API v2010)\n\n\
         The two operations the custom phone provider needs, against `twilio_api_v2010.json` \
         (same source and commit). Same columns as above.\n\n\
         | Operation | Parameters | Fields |\n| --- | --- | --- |\n",
    );

    for (op, path) in OPERATIONS {
        let (params, fields) = spec_of(&spec, path);
        if params.is_empty() || fields.is_empty() {
            failures.push(format!("{op}: not in this spec"));
            continue;
        }
        // (2) The keys sent, read by a recording server.
        let recorder = MockServer::start().await;
        Mock::given(wiremock::matchers::any())
            .respond_with(ResponseTemplate::new(201).set_body_json(serde_json::json!({})))
            .mount(&recorder)
            .await;
        let recording = client(&verify.uri(), &recorder.uri());
        let _ = send(op, &recording, true).await;
        let mut sent = BTreeSet::new();
        for req in recorder.received_requests().await.unwrap_or_default() {
            sent.extend(form_urlencoded::parse(&req.body).map(|(k, _)| k.into_owned()));
        }
        for k in params.difference(&sent) {
            failures.push(format!("{op}: spec parameter {k} is never sent"));
        }
        for k in sent.difference(&params) {
            failures.push(format!("{op}: sends {k}, which the spec does not have"));
        }
        // (1) Prism accepts both shapes, statically and dynamically.
        let mut model_keys = BTreeSet::new();
        for (mode, c) in [("static", &prism), ("dynamic", &prism_dynamic)] {
            for full in [false, true] {
                for (i, answer) in send(op, c, full).await.into_iter().enumerate() {
                    match answer {
                        Ok(v) => model_keys
                            .extend(v.as_object().into_iter().flatten().map(|(k, _)| k.clone())),
                        Err(e) => failures.push(format!(
                            "{op} ({mode}, {} #{i}): {e}",
                            if full {
                                "every parameter"
                            } else {
                                "required only"
                            }
                        )),
                    }
                }
            }
        }
        // (3) Every response property is a field of the model.
        for k in fields.difference(&model_keys) {
            failures.push(format!("{op}: response property {k} is not a model field"));
        }
        // (4) Random schema-valid answers decode.
        for i in 0..DYNAMIC_CALLS {
            if let Some(Err(e)) = send(op, &prism_dynamic, false).await.into_iter().next() {
                failures.push(format!("{op}: dynamic answer {i} does not decode: {e}"));
            }
        }
        let sent_of_spec = params.intersection(&sent).count();
        let fields_kept = fields.intersection(&model_keys).count();
        let _ = writeln!(
            table,
            "| `{op}` | {sent_of_spec}/{} | {fields_kept}/{} |",
            params.len(),
            fields.len()
        );
        println!(
            "{op}: {sent_of_spec}/{} parameters, {fields_kept}/{} fields",
            params.len(),
            fields.len()
        );
    }
    if let Ok(path) = std::env::var("CONFORMANCE_API_TABLE") {
        std::fs::write(path, &table).expect("table written");
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
