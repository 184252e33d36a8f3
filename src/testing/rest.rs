//! The two API v2010 operations of the custom phone provider: messages and calls, recorded.

use serde_json::json;

use super::state::{Answer, State, param};
use super::{PlacedCall, SentMessage};
use crate::sid::{CallSid, MessageSid};

impl State {
    /// Whether `account` is the fake's own account (another answers 404, as on Twilio).
    fn own_account(&self, account: &str) -> bool {
        self.account_sid() == account
    }

    pub(super) fn create_message(&mut self, account: &str, params: &[(String, String)]) -> Answer {
        if !self.own_account(account) {
            return Answer::not_found("Account");
        }
        let Some(to) = param(params, "To") else {
            return Answer::error(400, 21604, "A 'To' phone number is required.");
        };
        let from = param(params, "From");
        let service = param(params, "MessagingServiceSid");
        if from.is_none() && service.is_none() {
            return Answer::error(400, 21603, "A 'From' phone number is required.");
        }
        let body = param(params, "Body");
        let media = params.iter().filter(|(k, _)| k == "MediaUrl").count();
        if body.is_none() && media == 0 && param(params, "ContentSid").is_none() {
            return Answer::error(400, 21602, "Message body is required.");
        }
        let sid = self.new_sid("SM");
        let now = self.now();
        let stamp = self.rest_date();
        let answer = json!({
            "sid": sid,
            "account_sid": self.account_sid(),
            "messaging_service_sid": service,
            "body": body,
            "num_segments": "1",
            "num_media": media.to_string(),
            "direction": "outbound-api",
            "from": from,
            "to": to,
            // With a Messaging Service and no From, Twilio picks the sender later: `accepted`.
            "status": if from.is_none() { "accepted" } else { "queued" },
            "date_created": stamp,
            "date_updated": stamp,
            "date_sent": null,
            "price": null,
            "price_unit": "USD",
            "error_code": null,
            "error_message": null,
            "api_version": "2010-04-01",
            "uri": format!("/2010-04-01/Accounts/{account}/Messages/{sid}.json"),
            "subresource_uris": {
                "media": format!("/2010-04-01/Accounts/{account}/Messages/{sid}/Media.json"),
                "feedback": format!("/2010-04-01/Accounts/{account}/Messages/{sid}/Feedback.json"),
            },
        });
        self.messages.push(SentMessage {
            sid: MessageSid::made(sid),
            to: to.to_owned(),
            from: from.map(str::to_owned),
            messaging_service_sid: service.map(str::to_owned),
            body: body.map(str::to_owned),
            date: now,
        });
        Answer::json(201, answer)
    }

    pub(super) fn create_call(&mut self, account: &str, params: &[(String, String)]) -> Answer {
        if !self.own_account(account) {
            return Answer::not_found("Account");
        }
        let Some(to) = param(params, "To") else {
            return Answer::error(400, 21201, "No 'To' number is specified");
        };
        let Some(from) = param(params, "From") else {
            return Answer::error(400, 21213, "No 'From' number is specified");
        };
        let twiml = param(params, "Twiml");
        let url = param(params, "Url");
        if twiml.is_none() && url.is_none() && param(params, "ApplicationSid").is_none() {
            return Answer::missing("Url, Twiml or ApplicationSid");
        }
        let sid = self.new_sid("CA");
        let now = self.now();
        let stamp = self.rest_date();
        let answer = json!({
            "sid": sid,
            "account_sid": self.account_sid(),
            "parent_call_sid": null,
            "to": to,
            "to_formatted": to,
            "from": from,
            "from_formatted": from,
            "phone_number_sid": null,
            "status": "queued",
            "date_created": stamp,
            "date_updated": stamp,
            "start_time": null,
            "end_time": null,
            "duration": null,
            "price": null,
            "price_unit": "USD",
            "direction": "outbound-api",
            "answered_by": null,
            "api_version": "2010-04-01",
            "forwarded_from": null,
            "group_sid": null,
            "caller_name": null,
            "queue_time": "0",
            "trunk_sid": null,
            "uri": format!("/2010-04-01/Accounts/{account}/Calls/{sid}.json"),
            "subresource_uris": {
                "notifications": format!("/2010-04-01/Accounts/{account}/Calls/{sid}/Notifications.json"),
                "recordings": format!("/2010-04-01/Accounts/{account}/Calls/{sid}/Recordings.json"),
                "events": format!("/2010-04-01/Accounts/{account}/Calls/{sid}/Events.json"),
            },
        });
        self.calls.push(PlacedCall {
            sid: CallSid::made(sid),
            to: to.to_owned(),
            from: from.to_owned(),
            twiml: twiml.map(str::to_owned),
            url: url.map(str::to_owned),
            date: now,
        });
        Answer::json(201, answer)
    }
}
