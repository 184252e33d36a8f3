//! `UpdateService`: changes some settings of a service.

use super::{Service, Settings, service_path, settings_setters};
use crate::macros::setters;
use crate::request::operation;
use crate::sid::ServiceSid;
use crate::wire::Params;

operation! {
    /// `POST /v2/Services/{Sid}`: changes settings of a service. Only the settings given are sent.
    ///
    /// ```no_run
    /// # async fn run(client: &twilio_verify::Client, sid: &twilio_verify::ServiceSid) -> twilio_verify::Result<()> {
    /// use twilio_verify::verify::UpdateService;
    ///
    /// let service = UpdateService::new(sid).lookup_enabled(true).send(client).await?;
    /// assert_eq!(service.lookup_enabled, Some(true));
    /// # Ok(()) }
    /// ```
    UpdateService -> Service, "UpdateService";
    /// An update of service `sid` that changes nothing yet.
    pub fn new(sid: ServiceSid) with { params: Settings };
    post |r| {
        r.params.check()?;
        service_path(&r.sid)?
    }, {
        let mut form = Params::new();
        form.fields(&r.params)?;
        form
    };
}

impl UpdateService {
    setters! {
        /// `FriendlyName`: renames the service (1 to 32 characters).
        friendly_name: into(String);
    }

    settings_setters!();
}
