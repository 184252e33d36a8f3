//! Message templates (`/v2/Templates`) and the factor forms (`/v2/Forms/{FormType}`).

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::error::InvalidInput;
use crate::macros::open_enum;
use crate::page::{Listed, Paging, list_request};
use crate::request::{Request, request};
use crate::sid::{AccountSid, TemplateSid};
use crate::wire::{Params, Path, WireRequest};

/// `GET /v2/Templates`: lists the message templates the account may use.
///
/// ```no_run
/// # async fn run(client: &twilio_verify::Client) -> twilio_verify::Result<()> {
/// use twilio_verify::verify::ListTemplates;
///
/// for t in ListTemplates::new().friendly_name("do not share").all(client).await? {
///     println!("{:?} {:?} {:?}", t.sid, t.friendly_name, t.channels);
/// }
/// # Ok(()) }
/// ```
#[derive(Debug, Clone, Default, PartialEq)]
#[must_use = "a request does nothing until `.send(&client).await`"]
pub struct ListTemplates {
    friendly_name: Option<String>,
    paging: Paging,
}

request!(ListTemplates -> crate::Page<Template>, "ListVerificationTemplate");

impl ListTemplates {
    /// Every template, Twilio's default page size.
    pub fn new() -> Self {
        Self::default()
    }

    /// `FriendlyName`: only templates whose name contains this text.
    pub fn friendly_name(mut self, name: impl Into<String>) -> Self {
        self.friendly_name = Some(name.into());
        self
    }

    list_request!(Template);

    fn wire(&self) -> Result<WireRequest, InvalidInput> {
        self.paging.check()?;
        let mut q = Params::new();
        q.opt_str("FriendlyName", self.friendly_name.as_deref());
        self.paging.write(&mut q);
        Ok(WireRequest::get(
            Self::OPERATION,
            Path::new("/v2/Templates").finish(),
            q,
        ))
    }
}

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
    #[serde(default, deserialize_with = "crate::de::lenient_struct")]
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

open_enum! {
    /// The kind of form.
    pub enum FormType {
        /// The parameters of push factors and challenges.
        FormPush = "form-push",
    }
}

/// `GET /v2/Forms/{FormType}`: the JSON Schemas of a factor type's parameters.
///
/// ```no_run
/// # async fn run(client: &twilio_verify::Client) -> twilio_verify::Result<()> {
/// use twilio_verify::verify::{FetchForm, FormType};
///
/// let form = FetchForm::new(FormType::FormPush).send(client).await?;
/// println!("{:?}", form.forms);
/// # Ok(()) }
/// ```
#[derive(Debug, Clone, PartialEq)]
#[must_use = "a request does nothing until `.send(&client).await`"]
pub struct FetchForm {
    form_type: FormType,
}

request!(FetchForm -> Form, "FetchForm");

impl FetchForm {
    /// A fetch of the form `form_type`.
    pub fn new(form_type: FormType) -> Self {
        Self { form_type }
    }

    fn wire(&self) -> Result<WireRequest, InvalidInput> {
        if self.form_type.as_str().is_empty() {
            return Err(InvalidInput::new("FormType", "must not be empty"));
        }
        let path = Path::new("/v2/Forms").seg(self.form_type.as_str()).finish();
        Ok(WireRequest::get(Self::OPERATION, path, Params::new()))
    }
}

/// A form (`verify.v2.form`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct Form {
    /// The kind of form.
    pub form_type: Option<FormType>,
    /// The JSON Schemas, by operation (`create_factor`, `verify_factor`, `create_challenge`).
    pub forms: Option<Value>,
    /// Extra information about the forms.
    pub form_meta: Option<Value>,
    /// The form's URL.
    pub url: Option<String>,
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
        let f = FetchForm::new(FormType::FormPush).to_wire().expect("valid");
        assert_eq!(f.path(), "/v2/Forms/form-push");
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
