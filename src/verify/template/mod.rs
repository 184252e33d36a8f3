//! Message templates (`/v2/Templates`): the texts Verify may send, which a verification or a
//! service picks by SID.

mod list;

pub use list::ListTemplates;

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::page::Listed;
use crate::sid::{AccountSid, TemplateSid};

/// A message template (`verify.v2.verification_template`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct Template {
    /// The template's SID (`HJ…`), for `TemplateSid` and `DefaultTemplateSid`.
    pub sid: Option<TemplateSid>,
    /// The account.
    pub account_sid: Option<AccountSid>,
    /// Its name.
    pub friendly_name: Option<String>,
    /// The channels it serves (`sms`, `voice`).
    pub channels: Option<Vec<String>>,
    /// Its text in each locale, by locale.
    #[serde(default, deserialize_with = "crate::de::OrNone::deserialize")]
    pub translations: Option<BTreeMap<String, Translation>>,
}

impl Listed for Template {
    const KEY: &'static str = "templates";
}

/// One locale's text of a template.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct Translation {
    /// Whether this is the template's default locale.
    #[serde(default, deserialize_with = "crate::de::lenient_bool")]
    pub is_default_translation: Option<bool>,
    /// Its approval status (`approved`…).
    #[serde(default, deserialize_with = "crate::de::lenient_string")]
    pub status: Option<String>,
    /// The locale.
    #[serde(default, deserialize_with = "crate::de::lenient_string")]
    pub locale: Option<String>,
    /// The text, with `{{code}}` and `{{friendly_name}}` placeholders.
    #[serde(default, deserialize_with = "crate::de::lenient_string")]
    pub text: Option<String>,
    /// When it was created, as Twilio wrote it.
    #[serde(default, deserialize_with = "crate::de::lenient_string")]
    pub date_created: Option<String>,
    /// When it was last updated, as Twilio wrote it.
    #[serde(default, deserialize_with = "crate::de::lenient_string")]
    pub date_updated: Option<String>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wire_forms() {
        let t = ListTemplates::new()
            .friendly_name("do not share")
            .page_size(5)
            .to_wire()
            .expect("valid");
        assert_eq!(t.path(), "/v2/Templates");
        assert_eq!(t.query(), "FriendlyName=do+not+share&PageSize=5");
    }

    #[test]
    fn templates_decode_translations() {
        let t: Template = serde_json::from_value(serde_json::json!({
            "sid": "HJaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", "channels": ["sms", "voice"],
            "translations": {"en": {"is_default_translation": true, "status": "approved", "locale": "en",
                                    "text": "Your {{friendly_name}} code is {{code}}",
                                    "date_created": "2021-07-29T20:38:28.165602325Z"}}
        }))
        .expect("decode");
        let en = &t.translations.as_ref().expect("translations")["en"];
        assert_eq!(en.is_default_translation, Some(true));
        assert_eq!(t.channels.as_deref().map(<[String]>::len), Some(2));
    }
}
