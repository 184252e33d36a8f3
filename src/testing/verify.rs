//! Verify's rules: Services, verifications and checks.

use super::SentCode;
use super::render;
use super::state::{Answer, State, param};
use crate::{ServiceSid, Timestamp, VerificationSid};

/// At most this many sends of one verification; the next answers 60203.
const MAX_SENDS: usize = 5;
/// At most this many checks of one verification; the next answers 60202.
const MAX_CHECKS: u32 = 5;

/// The Service parameters that are booleans.
const BOOLEANS: [&str; 8] = [
    "LookupEnabled",
    "SkipSmsToLandlines",
    "DtmfInputRequired",
    "Psd2Enabled",
    "DoNotShareWarningEnabled",
    "CustomCodeEnabled",
    "Push.IncludeDate",
    "VerifyEventSubscriptionEnabled",
];

/// A Service: its SID and the settings it was created or updated with.
pub(super) struct Service {
    pub sid: ServiceSid,
    pub settings: Vec<(String, String)>,
    pub created: Timestamp,
    pub updated: Timestamp,
}

impl Service {
    pub fn new(sid: ServiceSid, settings: Vec<(String, String)>, now: Timestamp) -> Self {
        Self {
            sid,
            settings,
            created: now,
            updated: now,
        }
    }

    pub fn setting(&self, name: &str) -> Option<&str> {
        param(&self.settings, name)
    }

    pub fn flag(&self, name: &str) -> bool {
        self.setting(name) == Some("true")
    }

    pub fn code_length(&self) -> u32 {
        self.setting("CodeLength")
            .and_then(|v| v.parse().ok())
            .unwrap_or(6)
    }

    fn apply(&mut self, params: &[(String, String)], now: Timestamp) {
        for (key, value) in params {
            match self.settings.iter_mut().find(|(k, _)| k == key) {
                Some(slot) => slot.1.clone_from(value),
                None => self.settings.push((key.clone(), value.clone())),
            }
        }
        self.updated = now;
    }
}

/// Where a verification stands while it lives.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Standing {
    Pending,
    /// Five wrong checks: every further check answers 60202.
    MaxAttempts,
}

/// One live verification (approved, canceled and expired ones are gone).
pub(super) struct Verification {
    pub sid: VerificationSid,
    pub service: ServiceSid,
    pub to: String,
    pub channel: String,
    pub code: String,
    pub standing: Standing,
    /// `(attempt SID, channel, time)` of each send.
    pub sends: Vec<(String, String, Timestamp)>,
    pub checks: u32,
    pub amount: Option<String>,
    pub payee: Option<String>,
    pub created: Timestamp,
    pub updated: Timestamp,
}

/// Checks the Service parameters of a create or update.
fn check_settings(params: &[(String, String)]) -> Result<(), Answer> {
    if param(params, "FriendlyName")
        .is_some_and(|name| name.is_empty() || name.chars().count() > 32)
    {
        return Err(Answer::invalid("FriendlyName"));
    }
    if param(params, "CodeLength").is_some_and(|v| !matches!(v.parse::<u32>(), Ok(4..=10))) {
        return Err(Answer::invalid("CodeLength"));
    }
    for name in BOOLEANS {
        if param(params, name).is_some_and(|v| v != "true" && v != "false") {
            return Err(Answer::invalid(name));
        }
    }
    Ok(())
}

/// Whether `to` suits `channel`: an e-mail address for `email`, else an E.164 number.
fn valid_recipient(channel: &str, to: &str) -> bool {
    if channel == "email" {
        let mut parts = to.split('@');
        return matches!((parts.next(), parts.next(), parts.next()), (Some(a), Some(d), None)
            if !a.is_empty() && d.contains('.') && !to.contains(char::is_whitespace));
    }
    to.strip_prefix('+').is_some_and(|digits| {
        (8..=15).contains(&digits.len())
            && !digits.starts_with('0')
            && digits.bytes().all(|b| b.is_ascii_digit())
    })
}

impl State {
    fn service(&self, sid: &str) -> Option<usize> {
        self.services.iter().position(|s| s.sid == sid)
    }

    /// The live verification of `service` whose SID or `To` is `id`.
    fn verification(&self, service: &str, id: &str) -> Option<usize> {
        self.verifications
            .iter()
            .position(|v| v.service == service && (v.sid == id || v.to == id))
    }

    pub(super) fn list_services(&self, params: &[(String, String)]) -> Answer {
        let size = param(params, "PageSize")
            .and_then(|v| v.parse::<usize>().ok())
            .unwrap_or(50)
            .clamp(1, 1000);
        let page = param(params, "Page")
            .and_then(|v| v.parse::<usize>().ok())
            .unwrap_or(0);
        let items: Vec<_> = self
            .services
            .iter()
            .skip(page.saturating_mul(size))
            .take(size)
            .map(|s| render::service(self, s))
            .collect();
        let more = self.services.len() > (page + 1).saturating_mul(size);
        Answer::json(
            200,
            render::page(
                &self.url,
                "services",
                "/v2/Services",
                page,
                size,
                more,
                items,
            ),
        )
    }

    pub(super) fn create_service(&mut self, params: &[(String, String)]) -> Answer {
        if param(params, "FriendlyName").is_none() {
            return Answer::missing("FriendlyName");
        }
        if let Err(refused) = check_settings(params) {
            return refused;
        }
        let sid = ServiceSid::made(self.new_sid("VA"));
        let service = Service::new(sid, params.to_vec(), self.now());
        let body = render::service(self, &service);
        self.services.push(service);
        Answer::json(201, body)
    }

    pub(super) fn fetch_service(&self, sid: &str) -> Answer {
        match self.service(sid) {
            Some(i) => Answer::json(200, render::service(self, &self.services[i])),
            None => Answer::not_found("Service"),
        }
    }

    pub(super) fn update_service(&mut self, sid: &str, params: &[(String, String)]) -> Answer {
        let Some(i) = self.service(sid) else {
            return Answer::not_found("Service");
        };
        if let Err(refused) = check_settings(params) {
            return refused;
        }
        let now = self.now();
        self.services[i].apply(params, now);
        Answer::json(200, render::service(self, &self.services[i]))
    }

    pub(super) fn delete_service(&mut self, sid: &str) -> Answer {
        let Some(i) = self.service(sid) else {
            return Answer::not_found("Service");
        };
        self.services.remove(i);
        self.verifications.retain(|v| v.service != sid);
        Answer::empty(204)
    }

    pub(super) fn create_verification(
        &mut self,
        service: &str,
        params: &[(String, String)],
    ) -> Answer {
        let Some(s) = self.service(service) else {
            return Answer::not_found("Service");
        };
        let (Some(to), Some(channel)) = (param(params, "To"), param(params, "Channel")) else {
            let name = if param(params, "To").is_none() {
                "To"
            } else {
                "Channel"
            };
            return Answer::missing(name);
        };
        let channel = match channel {
            "sms" | "call" | "email" | "whatsapp" | "sna" => channel,
            "auto" => "sms",
            _ => return Answer::invalid("Channel"),
        };
        if !valid_recipient(channel, to) {
            return Answer::invalid("To");
        }
        let custom = param(params, "CustomCode");
        if let Some(code) = custom {
            if !self.services[s].flag("CustomCodeEnabled") {
                return Answer::error(403, 60204, "Service does not support this feature");
            }
            let length = code.chars().count();
            if !(4..=10).contains(&length) || !code.chars().all(char::is_alphanumeric) {
                return Answer::invalid("CustomCode");
            }
        }
        let psd2 = ["Amount", "Payee"]
            .iter()
            .any(|k| param(params, k).is_some());
        if psd2 && !self.services[s].flag("Psd2Enabled") {
            return Answer::error(403, 60204, "Service does not support this feature");
        }
        let now = self.now();
        let attempt = self.new_sid("VL");
        let i = match self.verification(service, to) {
            Some(i) => {
                if self.verifications[i].sends.len() >= MAX_SENDS {
                    return Answer::error(429, 60203, "Max send attempts reached");
                }
                i
            }
            None => {
                let code = self.new_code(self.services[s].code_length());
                let sid = VerificationSid::made(self.new_sid("VE"));
                self.verifications.push(Verification {
                    sid,
                    service: self.services[s].sid.clone(),
                    to: to.to_owned(),
                    channel: channel.to_owned(),
                    code,
                    standing: Standing::Pending,
                    sends: Vec::new(),
                    checks: 0,
                    amount: param(params, "Amount").map(str::to_owned),
                    payee: param(params, "Payee").map(str::to_owned),
                    created: now,
                    updated: now,
                });
                self.verifications.len() - 1
            }
        };
        let v = &mut self.verifications[i];
        // A resend carries the same code, unless a new custom code replaces it.
        if let Some(code) = custom {
            v.code = code.to_owned();
        }
        channel.clone_into(&mut v.channel);
        v.sends.push((attempt, channel.to_owned(), now));
        v.updated = now;
        let sent = SentCode {
            verification_sid: v.sid.clone(),
            service_sid: v.service.clone(),
            to: v.to.clone(),
            channel: v.channel.clone(),
            code: v.code.clone(),
            date: now,
        };
        self.sent_codes.push(sent);
        Answer::json(
            201,
            render::verification(self, &self.verifications[i], None),
        )
    }

    pub(super) fn fetch_verification(&self, service: &str, id: &str) -> Answer {
        match self.verification(service, id) {
            Some(i) => Answer::json(
                200,
                render::verification(self, &self.verifications[i], None),
            ),
            None => Answer::not_found("Verification"),
        }
    }

    pub(super) fn update_verification(
        &mut self,
        service: &str,
        id: &str,
        params: &[(String, String)],
    ) -> Answer {
        let status = match param(params, "Status") {
            None => return Answer::missing("Status"),
            Some(s @ ("approved" | "canceled")) => s,
            Some(_) => return Answer::invalid("Status"),
        };
        let Some(i) = self.verification(service, id) else {
            return Answer::not_found("Verification");
        };
        let mut v = self.verifications.remove(i);
        v.updated = self.now();
        Answer::json(200, render::verification(self, &v, Some(status)))
    }

    pub(super) fn check(&mut self, service: &str, params: &[(String, String)]) -> Answer {
        if self.service(service).is_none() {
            return Answer::not_found("Service");
        }
        let Some(id) = param(params, "VerificationSid").or_else(|| param(params, "To")) else {
            return Answer::error(400, 60221, "No target verification specified");
        };
        let Some(i) = self.verification(service, id) else {
            return Answer::not_found("VerificationCheck");
        };
        if self.verifications[i].standing == Standing::MaxAttempts {
            return Answer::error(429, 60202, "Max check attempts reached");
        }
        let now = self.now();
        let v = &mut self.verifications[i];
        v.updated = now;
        let right = param(params, "Code") == Some(v.code.as_str())
            && param(params, "Amount") == v.amount.as_deref()
            && param(params, "Payee") == v.payee.as_deref();
        if right {
            let v = self.verifications.remove(i);
            return Answer::json(200, render::check(self, &v, "approved"));
        }
        v.checks += 1;
        if v.checks >= MAX_CHECKS {
            v.standing = Standing::MaxAttempts;
        }
        Answer::json(200, render::check(self, &self.verifications[i], "pending"))
    }
}
