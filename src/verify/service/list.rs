//! `ListServices`: the account's services, page by page.

use super::Service;
use crate::page::{Paging, list_request};
use crate::request::operation;
use crate::wire::Path;

operation! {
    /// `GET /v2/Services`: lists the account's services, a page at a time.
    ///
    /// ```no_run
    /// # async fn run(client: &twilio_verify::Client) -> twilio_verify::Result<()> {
    /// use twilio_verify::verify::ListServices;
    ///
    /// // One page:
    /// let page = ListServices::new().page_size(20).send(client).await?;
    /// // Every service, up to 100:
    /// let all = ListServices::new().limit(100).all(client).await?;
    /// println!("{} on the first page, {} in all", page.items.len(), all.len());
    /// # Ok(()) }
    /// ```
    #[derive(Default)]
    ListServices -> crate::Page<Service>, "ListService";
    /// A list request with Twilio's default page size (50).
    pub fn new() with { paging: Paging };
    get |r| Path::new("/v2/Services").finish(), r.paging.query(&())?;
}

impl ListServices {
    list_request!(Service);
}
