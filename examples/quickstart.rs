//! Send a code and check it, against the real Twilio Verify.
//!
//! ```sh
//! export TWILIO_ACCOUNT_SID=AC… TWILIO_AUTH_TOKEN=… TWILIO_VERIFY_SERVICE_SID=VA…
//! cargo run --example quickstart -- "+1 501 712 2661"
//! ```
//!
//! It texts the number, reads the code from standard input, and checks it.

use std::io::BufRead;

use twilio_verify::verify::{Channel, CreateVerification, CreateVerificationCheck};
use twilio_verify::{Client, ServiceSid};

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let to = std::env::args()
        .nth(1)
        .ok_or("usage: quickstart <phone number in E.164>")?;
    let service: ServiceSid = std::env::var("TWILIO_VERIFY_SERVICE_SID")
        .map_err(|_| "TWILIO_VERIFY_SERVICE_SID is not set")?
        .parse()?;
    let client = Client::from_env()?;

    let started = CreateVerification::new(&service, &to, Channel::Sms)
        .send(&client)
        .await?;
    println!("code sent; status {:?}", started.status);

    println!("enter the code:");
    let mut code = String::new();
    std::io::stdin().lock().read_line(&mut code)?;

    let check = CreateVerificationCheck::new(&service, &to, code.trim())
        .send(&client)
        .await?;
    if check.is_approved() {
        println!("approved");
    } else {
        println!("not approved (status {:?})", check.status);
    }
    Ok(())
}
