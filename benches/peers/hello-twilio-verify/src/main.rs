//! Starts one verification with twilio-verify (footprint; never run by the bench).

use twilio_verify::verify::{Channel, CreateVerification};

#[tokio::main]
async fn main() {
    let sent = match (twilio_verify::Client::from_env(), std::env::var("TWILIO_VERIFY_SERVICE_SID")) {
        (Ok(client), Ok(sid)) => match sid.parse::<twilio_verify::ServiceSid>() {
            Ok(sid) => CreateVerification::new(sid, "+15017122661", Channel::Sms)
                .send(&client)
                .await
                .is_ok(),
            Err(_) => false,
        },
        _ => false,
    };
    println!("{sent}");
}
