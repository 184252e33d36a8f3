//! With the `tracing` feature, each request opens one span with the operation, method, status,
//! Twilio code, attempt and elapsed time, and no phone number, code or token.
#![cfg(feature = "tracing")]

mod common;

use std::sync::{Arc, Mutex};

use common::{expect, service, setup};
use tracing::field::{Field, Visit};
use tracing::span::{Attributes, Id, Record};
use tracing::{Event, Metadata, Subscriber};
use twilio_verify::verify::{Channel, CreateVerification};
use wiremock::ResponseTemplate;

/// Collects every span field as `name=value`.
#[derive(Clone, Default)]
struct Collect(Arc<Mutex<Vec<String>>>);

struct Fields<'a>(&'a mut Vec<String>);

impl Visit for Fields<'_> {
    fn record_debug(&mut self, field: &Field, value: &dyn std::fmt::Debug) {
        self.0.push(format!("{}={value:?}", field.name()));
    }
}

impl Subscriber for Collect {
    fn enabled(&self, _: &Metadata<'_>) -> bool {
        true
    }
    fn new_span(&self, span: &Attributes<'_>) -> Id {
        let mut out = self.0.lock().expect("lock");
        out.push(format!("span={}", span.metadata().name()));
        span.record(&mut Fields(&mut out));
        Id::from_u64(1)
    }
    fn record(&self, _: &Id, values: &Record<'_>) {
        values.record(&mut Fields(&mut self.0.lock().expect("lock")));
    }
    fn record_follows_from(&self, _: &Id, _: &Id) {}
    fn event(&self, _: &Event<'_>) {}
    fn enter(&self, _: &Id) {}
    fn exit(&self, _: &Id) {}
}

#[tokio::test]
async fn one_span_per_request_without_personal_data() {
    let collect = Collect::default();
    let _guard = tracing::subscriber::set_default(collect.clone());
    let (server, client) = setup().await;
    let path = format!("/v2/Services/{}/Verifications", common::SERVICE_SID);
    expect("POST", &path)
        .respond_with(
            ResponseTemplate::new(429)
                .set_body_raw(r#"{"code": 60203, "message": "Max send attempts reached for +15017122661", "status": 429}"#, "application/json"),
        )
        .mount(&server)
        .await;
    let _ = CreateVerification::new(service(), "+15017122661", Channel::Sms)
        .custom_code("918273")
        .send(&client)
        .await;
    let fields = collect.0.lock().expect("lock").clone();
    let text = fields.join(" ");
    assert_eq!(
        fields.iter().filter(|f| f.starts_with("span=")).count(),
        1,
        "{text}"
    );
    for expected in [
        "span=twilio_verify.request",
        "operation=\"CreateVerification\"",
        "method=\"POST\"",
        "status=429",
        "twilio_code=60203",
        "attempt=1",
        "elapsed_ms=",
    ] {
        assert!(text.contains(expected), "{expected} missing from {text}");
    }
    for leak in ["5017122661", "918273", common::AUTH_TOKEN] {
        assert!(!text.contains(leak), "{leak} in {text}");
    }
}
