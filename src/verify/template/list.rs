//! `ListTemplates`: the message templates the account may use.

use serde::Serialize;

use super::Template;
use crate::macros::setters;
use crate::page::{Paging, list_request};
use crate::request::operation;
use crate::wire::Path;

operation! {
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
    #[derive(Default)]
    ListTemplates -> crate::Page<Template>, "ListVerificationTemplate";
    /// Every template, Twilio's default page size.
    pub fn new() with { params: Filters, paging: Paging };
    get |r| Path::new("/v2/Templates").finish(), r.paging.query(&r.params)?;
}

/// The filters, in the order they are sent.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
#[serde(rename_all = "PascalCase")]
struct Filters {
    friendly_name: Option<String>,
}

impl ListTemplates {
    setters! {
        /// `FriendlyName`: only templates whose name contains this text.
        friendly_name: into(String);
    }

    list_request!(Template);
}
