//! Starts one verification with reqwest's defaults and serde (footprint baseline; never run by
//! the bench).

#[derive(serde::Deserialize)]
struct Verification {
    sid: Option<String>,
    status: Option<String>,
}

#[tokio::main]
async fn main() {
    let sid = std::env::var("TWILIO_VERIFY_SERVICE_SID").unwrap_or_default();
    let account = std::env::var("TWILIO_ACCOUNT_SID").unwrap_or_default();
    let token = std::env::var("TWILIO_AUTH_TOKEN").unwrap_or_default();
    let sent = reqwest::Client::new()
        .post(format!("https://verify.twilio.com/v2/Services/{sid}/Verifications"))
        .basic_auth(account, Some(token))
        .header("content-type", "application/x-www-form-urlencoded")
        .body("To=%2B15017122661&Channel=sms")
        .send()
        .await;
    let ok = match sent {
        Ok(r) => match r.bytes().await {
            Ok(b) => serde_json::from_slice::<Verification>(&b)
                .is_ok_and(|v| v.sid.is_some() && v.status.is_some()),
            Err(_) => false,
        },
        Err(_) => false,
    };
    println!("{ok}");
}
