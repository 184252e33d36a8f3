//! `CreateService`: a new Verify Service.

use super::{Service, Settings, settings_setters};
use crate::request::operation;
use crate::wire::{Params, Path};

operation! {
    /// `POST /v2/Services`: creates a Verify Service.
    ///
    /// ```no_run
    /// # async fn run(client: &twilio_verify::Client) -> twilio_verify::Result<()> {
    /// use twilio_verify::verify::CreateService;
    ///
    /// let service = CreateService::new("My App")
    ///     .code_length(6)
    ///     .custom_code_enabled(true)
    ///     .send(client)
    ///     .await?;
    /// println!("created {:?}", service.sid);
    /// # Ok(()) }
    /// ```
    CreateService -> Service, "CreateService";
    /// A service with no settings yet, for [`new`](Self::new) to fill.
    fn empty() with { params: Settings };
    post |r| {
        r.params.check()?;
        Path::new("/v2/Services").finish()
    }, {
        let mut form = Params::new();
        form.fields(&r.params)?;
        form
    };
}

impl CreateService {
    /// A new service named `friendly_name` (`FriendlyName`, 1 to 32 characters, shown in
    /// messages; no personal data).
    pub fn new(friendly_name: impl Into<String>) -> Self {
        let mut created = Self::empty();
        created.params.friendly_name = Some(friendly_name.into());
        created
    }

    settings_setters!();
}
