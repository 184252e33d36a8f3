//! Factor forms (`/v2/Forms/{FormType}`): the JSON Schemas of a factor type's parameters.

use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::error::InvalidInput;
use crate::macros::open_enum;
use crate::request::operation;
use crate::wire::Path;

open_enum! {
    /// The kind of form.
    pub enum FormType {
        /// The parameters of push factors and challenges.
        FormPush = "form-push",
    }
}

operation! {
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
    FetchForm -> Form, "FetchForm";
    /// A fetch of the form `form_type`.
    pub fn new(; form_type: FormType);
    get |r| {
        if r.form_type.as_str().is_empty() {
            return Err(InvalidInput::new("FormType", "must not be empty"));
        }
        Path::new("/v2/Forms").seg(r.form_type.as_str()).finish()
    };
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
    fn the_form_type_is_the_last_segment() {
        let f = FetchForm::new(FormType::FormPush).to_wire().expect("valid");
        assert_eq!(f.path(), "/v2/Forms/form-push");
        let empty = FetchForm::new(FormType::from("")).to_wire();
        assert_eq!(empty.expect_err("empty").field(), "FormType");
    }
}
