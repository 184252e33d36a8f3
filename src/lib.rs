#![doc = include_str!("../README.md")]
#![cfg_attr(docsrs, feature(doc_cfg))]

mod macros;

#[cfg(feature = "auth0")]
#[cfg_attr(docsrs, doc(cfg(feature = "auth0")))]
pub mod auth0;
mod de;
pub mod error;
pub mod messaging;
mod page;
pub mod phone;
mod redact;
mod request;
mod secret;
pub mod sid;
mod timestamp;
pub mod verify;
#[cfg(feature = "webhook")]
#[cfg_attr(docsrs, doc(cfg(feature = "webhook")))]
pub mod webhook;
pub mod wire;

#[cfg(feature = "axum")]
#[cfg_attr(docsrs, doc(cfg(feature = "axum")))]
pub mod bridge;
#[cfg(feature = "client")]
mod client;
#[cfg(feature = "guard")]
#[cfg_attr(docsrs, doc(cfg(feature = "guard")))]
pub mod guard;
#[cfg(feature = "client")]
mod http;
#[cfg(any(feature = "time", feature = "chrono", feature = "jiff"))]
#[cfg_attr(
    docsrs,
    doc(cfg(any(feature = "time", feature = "chrono", feature = "jiff")))
)]
pub mod interop;
#[cfg(feature = "client")]
mod retry;
#[cfg(feature = "guard")]
#[cfg_attr(docsrs, doc(cfg(feature = "guard")))]
pub mod store;
#[cfg(feature = "testing")]
#[cfg_attr(docsrs, doc(cfg(feature = "testing")))]
pub mod testing;

#[cfg(feature = "client")]
#[cfg_attr(docsrs, doc(cfg(feature = "client")))]
pub use client::{
    Client, ClientBuilder, DEFAULT_API_HOST, DEFAULT_CONNECT_TIMEOUT, DEFAULT_HOST,
    DEFAULT_MAX_RESPONSE_BYTES, DEFAULT_TIMEOUT,
};
pub use error::{
    ApiError, DecodeError, Error, ErrorCode, InvalidInput, Result, TransportError, TransportKind,
};
#[cfg(feature = "client")]
#[cfg_attr(docsrs, doc(cfg(feature = "client")))]
pub use http::RequestOptions;
#[cfg(feature = "client")]
#[cfg_attr(docsrs, doc(cfg(feature = "client")))]
pub use page::PartialList;
pub use page::{Listed, Page, PageMeta};
pub use phone::{PhoneNumber, Recipient};
pub use request::Request;
#[cfg(feature = "client")]
#[cfg_attr(docsrs, doc(cfg(feature = "client")))]
pub use retry::RetryPolicy;
pub use secret::Secret;
pub use sid::{AccountSid, ApiKeySid, ServiceSid, VerificationSid};
pub use timestamp::Timestamp;
