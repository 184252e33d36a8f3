//! Pages of list results.
//!
//! A list call returns one [`Page`]: its items and Twilio's paging metadata. Follow
//! [`Page::next`] for the next page, or use a list request's `all` method to walk every page up
//! to an optional limit.

use std::fmt;
use std::marker::PhantomData;

use serde::de::{DeserializeOwned, MapAccess, Visitor};
use serde::ser::SerializeMap;
use serde::{Deserialize, Deserializer, Serialize};

/// A resource that Twilio lists, with the name of the array that holds it in a list answer.
pub trait Listed: DeserializeOwned + Serialize {
    /// The key of the item array in the list envelope (`services`, `attempts`…).
    const KEY: &'static str;
}

/// Twilio's paging metadata (`meta` in every list answer).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct PageMeta {
    /// The index of this page (client state only).
    #[serde(default)]
    pub page: i64,
    /// The number of items per page.
    #[serde(default)]
    pub page_size: i64,
    /// The URL of the first page.
    #[serde(default)]
    pub first_page_url: Option<String>,
    /// The URL of the previous page, or `None` on the first.
    #[serde(default)]
    pub previous_page_url: Option<String>,
    /// The URL of the next page, or `None` on the last.
    #[serde(default)]
    pub next_page_url: Option<String>,
    /// The URL of this page.
    #[serde(default)]
    pub url: Option<String>,
    /// The name of the item array (`services`…).
    #[serde(default)]
    pub key: Option<String>,
}

/// One page of a list answer.
#[derive(Clone, PartialEq)]
#[non_exhaustive]
pub struct Page<T> {
    /// The items on this page.
    pub items: Vec<T>,
    /// Twilio's paging metadata.
    pub meta: PageMeta,
}

impl<T> Page<T> {
    /// Whether Twilio says there is a page after this one.
    pub fn has_next(&self) -> bool {
        self.meta.next_page_url.is_some()
    }
}

impl<T: fmt::Debug> fmt::Debug for Page<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Page")
            .field("items", &self.items)
            .field("meta", &self.meta)
            .finish()
    }
}

impl<T: Listed> Serialize for Page<T> {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut m = s.serialize_map(Some(2))?;
        m.serialize_entry(T::KEY, &self.items)?;
        m.serialize_entry("meta", &self.meta)?;
        m.end()
    }
}

impl<'de, T: Listed> Deserialize<'de> for Page<T> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V<T>(PhantomData<T>);
        impl<'de, T: Listed> Visitor<'de> for V<T> {
            type Value = Page<T>;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                write!(f, "a list answer with `{}` and `meta`", T::KEY)
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Page<T>, A::Error> {
                let mut items: Option<Vec<T>> = None;
                let mut meta: Option<PageMeta> = None;
                while let Some(key) = map.next_key::<std::borrow::Cow<'de, str>>()? {
                    if key == T::KEY {
                        items = Some(map.next_value::<Option<Vec<T>>>()?.unwrap_or_default());
                    } else if key == "meta" {
                        meta = Some(map.next_value()?);
                    } else {
                        map.next_value::<serde::de::IgnoredAny>()?;
                    }
                }
                Ok(Page {
                    items: items.unwrap_or_default(),
                    meta: meta.unwrap_or_default(),
                })
            }
        }
        d.deserialize_map(V(PhantomData))
    }
}

#[cfg(feature = "client")]
impl<T: Listed> Page<T> {
    /// Fetches the page after this one, or `None` on the last page.
    ///
    /// The next-page URL's path and query are sent to the client's own base URL, so credentials
    /// never go to a host named in a response.
    ///
    /// # Errors
    ///
    /// As for any request: see [`Error`](crate::Error).
    pub async fn next(&self, client: &crate::Client) -> crate::Result<Option<Page<T>>> {
        match &self.meta.next_page_url {
            Some(url) => fetch_page(client, url).await.map(Some),
            None => Ok(None),
        }
    }
}

/// GETs a next-page URL from a list answer: resolved as a link against the client's base URL
/// (which also removes dot segments, `%2e` spellings included), then only its path and query,
/// on the client's own base URL, and only when the path is a Verify v2 path.
#[cfg(feature = "client")]
async fn fetch_page<T: Listed>(
    client: &crate::Client,
    next_page_url: &str,
) -> crate::Result<Page<T>> {
    let not_verify = || crate::InvalidInput::new("next_page_url", "not a Verify v2 URL");
    let next = url::Url::parse(client.base_url())
        .and_then(|base| base.join(next_page_url))
        .map_err(|_| not_verify())?;
    if !next.path().starts_with("/v2/") {
        return Err(not_verify().into());
    }
    let req = crate::wire::WireRequest::next_page(
        next.path().to_owned(),
        next.query().unwrap_or_default().to_owned(),
    );
    client
        .transport()
        .execute(Ok(req), crate::RequestOptions::new())
        .await
}

/// What a list request's `all` fetched before a later page failed, and the failure.
///
/// Converts into [`Error`](crate::Error) (dropping the items), so `?` works in a function that
/// returns [`Result`](crate::Result).
#[cfg(feature = "client")]
#[derive(Debug)]
pub struct PartialList<T> {
    items: Vec<T>,
    error: crate::Error,
}

#[cfg(feature = "client")]
impl<T> PartialList<T> {
    /// The items fetched before the failure, in order.
    pub fn items(&self) -> &[T] {
        &self.items
    }

    /// Why the listing stopped.
    pub fn error(&self) -> &crate::Error {
        &self.error
    }

    /// The items and the error.
    pub fn into_parts(self) -> (Vec<T>, crate::Error) {
        (self.items, self.error)
    }
}

// By hand: its `source` is the inner error's own source, which thiserror cannot name.
#[cfg(feature = "client")]
impl<T> fmt::Display for PartialList<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} (after {} items)", self.error, self.items.len())
    }
}

#[cfg(feature = "client")]
impl<T: fmt::Debug> std::error::Error for PartialList<T> {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        std::error::Error::source(&self.error)
    }
}

#[cfg(feature = "client")]
impl<T> From<PartialList<T>> for crate::Error {
    fn from(p: PartialList<T>) -> Self {
        p.error
    }
}

/// Where a walk over the pages of a list stands.
#[cfg(feature = "client")]
enum Walk<'c, R, T> {
    /// The first page is still to be fetched with the request itself.
    Start(R, &'c crate::Client, usize),
    /// Items of a page are being yielded; `next` is the page after it.
    Paging {
        client: &'c crate::Client,
        items: std::vec::IntoIter<T>,
        next: Option<String>,
        visited: std::collections::HashSet<String>,
        left: usize,
    },
    /// The last item, or an error, was yielded.
    Done,
}

/// Every item of a list, page after page, up to `limit`; an error ends the stream after the
/// items before it.
#[cfg(feature = "client")]
pub(crate) fn stream<'c, R, T>(
    req: R,
    client: &'c crate::Client,
    limit: Option<usize>,
) -> impl futures_core::Stream<Item = crate::Result<T>> + Send + 'c
where
    R: crate::Request<Output = Page<T>> + 'c,
    T: Listed + Send + 'c,
{
    let start = Walk::Start(req, client, limit.unwrap_or(usize::MAX));
    futures_util::stream::unfold(start, |walk| async move {
        let (client, mut items, mut next, mut visited, left) = match walk {
            Walk::Done => return None,
            Walk::Start(req, client, left) => match req.send(client).await {
                Ok(page) => (
                    client,
                    page.items.into_iter(),
                    page.meta.next_page_url,
                    Default::default(),
                    left,
                ),
                Err(e) => return Some((Err(e), Walk::Done)),
            },
            Walk::Paging {
                client,
                items,
                next,
                visited,
                left,
            } => (client, items, next, visited, left),
        };
        loop {
            if left == 0 {
                return None;
            }
            if let Some(item) = items.next() {
                let walk = Walk::Paging {
                    client,
                    items,
                    next,
                    visited,
                    left: left - 1,
                };
                return Some((Ok(item), walk));
            }
            match next.take() {
                // A next-page URL seen before would loop forever: stop there.
                Some(url) if visited.insert(url.clone()) => {
                    match fetch_page::<T>(client, &url).await {
                        Ok(page) => {
                            items = page.items.into_iter();
                            next = page.meta.next_page_url;
                        }
                        Err(e) => return Some((Err(e), Walk::Done)),
                    }
                }
                _ => return None,
            }
        }
    })
}

/// Collects a [`stream`]: every item, or the items before the error with the error.
#[cfg(feature = "client")]
pub(crate) async fn all<T>(
    items: impl futures_core::Stream<Item = crate::Result<T>>,
) -> Result<Vec<T>, PartialList<T>> {
    use futures_util::StreamExt as _;
    let mut items = std::pin::pin!(items);
    let mut out = Vec::new();
    while let Some(item) = items.next().await {
        match item {
            Ok(item) => out.push(item),
            Err(error) => return Err(PartialList { items: out, error }),
        }
    }
    Ok(out)
}

/// Paging parameters shared by every list request.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct Paging {
    pub(crate) page_size: Option<u32>,
    pub(crate) page: Option<u32>,
    pub(crate) page_token: Option<String>,
    pub(crate) limit: Option<usize>,
}

impl Paging {
    pub(crate) fn check(&self) -> Result<(), crate::InvalidInput> {
        if self.page_size.is_some_and(|n| !(1..=1000).contains(&n)) {
            return Err(crate::InvalidInput::new(
                "PageSize",
                "must be between 1 and 1000",
            ));
        }
        if self.limit == Some(0) {
            return Err(crate::InvalidInput::new("limit", "must be at least 1"));
        }
        Ok(())
    }

    /// The query of a list: `filters` (a parameter struct, `()` for none) and then the paging
    /// parameters, after checking the paging.
    pub(crate) fn query<F: Serialize>(
        &self,
        filters: &F,
    ) -> Result<crate::wire::Params, crate::InvalidInput> {
        self.check()?;
        let mut q = crate::wire::Params::new();
        q.fields(&(filters, self.params()))?;
        Ok(q)
    }

    /// `PageSize`, `Page` and `PageToken`. With only a limit set, the page size is the limit
    /// (at most 1000), as Twilio's own SDKs do.
    fn params(&self) -> PagingParams<'_> {
        let size = self.page_size.or_else(|| {
            self.limit
                .map(|l| u32::try_from(l.min(1000)).unwrap_or(1000))
        });
        PagingParams {
            page_size: size,
            page: self.page,
            page_token: self.page_token.as_deref(),
        }
    }
}

/// The paging parameters as sent, after a list's filters.
#[derive(Serialize)]
#[serde(rename_all = "PascalCase")]
struct PagingParams<'a> {
    page_size: Option<u32>,
    page: Option<u32>,
    page_token: Option<&'a str>,
}

/// The paging setters, `all` (every page up to the limit) and `stream` (every item) of a list
/// request with a `paging: Paging` field whose items are `$item`; `send` (one page) comes from
/// [`request!`](crate::request::request).
macro_rules! list_request {
    ($item:ty) => {
        /// `PageSize`: items per page, 1 to 1000.
        pub fn page_size(mut self, size: u32) -> Self {
            self.paging.page_size = Some(size);
            self
        }

        /// `Page`: the page index (client state only; Twilio pages by token).
        pub fn page(mut self, index: u32) -> Self {
            self.paging.page = Some(index);
            self
        }

        /// `PageToken`: the token of the page to fetch, from a previous answer's URLs.
        pub fn page_token(mut self, token: impl Into<String>) -> Self {
            self.paging.page_token = Some(token.into());
            self
        }

        /// The most items [`all`](Self::all) collects. Not sent; with no page size set, the
        /// page size becomes the limit (at most 1000).
        pub fn limit(mut self, limit: usize) -> Self {
            self.paging.limit = Some(limit);
            self
        }

        /// Fetches pages until the last one or until [`limit`](Self::limit) items are
        /// collected.
        ///
        /// # Errors
        ///
        /// When a page fails, a [`PartialList`](crate::PartialList) with the items fetched
        /// before it and the error; it converts into [`Error`](crate::Error) with `?`.
        #[cfg(feature = "client")]
        pub async fn all(
            self,
            client: &crate::Client,
        ) -> Result<Vec<$item>, crate::PartialList<$item>> {
            crate::page::all(self.stream(client)).await
        }

        /// Every item, page after page, up to [`limit`](Self::limit), as a
        /// [`Stream`](futures_core::Stream). A failed page ends the stream with its error, after
        /// the items before it.
        #[cfg(feature = "client")]
        pub fn stream(
            self,
            client: &crate::Client,
        ) -> impl futures_core::Stream<Item = crate::Result<$item>> + Send + '_ {
            let limit = self.paging.limit;
            crate::page::stream(self, client, limit)
        }
    };
}

pub(crate) use list_request;

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Debug, PartialEq, Serialize, Deserialize)]
    struct Thing {
        n: u32,
    }
    impl Listed for Thing {
        const KEY: &'static str = "things";
    }

    #[test]
    fn decodes_items_by_key_whatever_the_order() {
        let p: Page<Thing> = serde_json::from_str(
            r#"{"meta": {"page": 1, "page_size": 2, "key": "things", "next_page_url": "https://x/v2/T?Page=2", "previous_page_url": null, "first_page_url": "u", "url": "u"}, "things": [{"n": 1}, {"n": 2}], "extra": 3}"#,
        )
        .expect("decode");
        assert_eq!(p.items, vec![Thing { n: 1 }, Thing { n: 2 }]);
        assert!(p.has_next());
        let back = serde_json::to_value(&p).expect("encode");
        assert_eq!(back["things"][1]["n"], 2);
        assert_eq!(back["meta"]["page"], 1);
    }

    #[test]
    fn limit_sets_the_page_size() {
        let paging = Paging {
            limit: Some(20),
            ..Paging::default()
        };
        let q = paging.query(&()).expect("valid");
        assert_eq!(q.finish(), "PageSize=20");
        let bad = Paging {
            page_size: Some(1001),
            ..Paging::default()
        };
        assert_eq!(bad.check().expect_err("too big").field(), "PageSize");
    }
}
