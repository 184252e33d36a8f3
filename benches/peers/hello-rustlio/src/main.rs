//! Starts one verification with `rustlio` (footprint baseline; never run by the bench).

use rustlio::TwilioRestClient;
use rustlio::verify::Verify;

#[tokio::main]
async fn main() {
    let sid = std::env::var("TWILIO_VERIFY_SERVICE_SID").unwrap_or_default();
    let verify = Verify {
        client: TwilioRestClient {
            account_sid: std::env::var("TWILIO_ACCOUNT_SID").unwrap_or_default(),
            auth_token: std::env::var("TWILIO_AUTH_TOKEN").unwrap_or_default(),
        },
        base_uri: "https://verify.twilio.com/v2/Services".to_owned(),
        verify_service_sid: sid.clone(),
    };
    let sent = verify.send_verification_token(&sid, "+15017122661", "sms").await;
    println!("{}", sent.is_ok());
}
