//! The request layer: one trait that every Verify operation implements.
//!
//! A request is a plain value. Its constructor takes the required parameters and its setters
//! the optional ones; [`Request::to_wire`] checks them and spells the HTTP call; and
//! [`Request::send`] hands that call to the client's transport, which is the one place that
//! sends anything. Because every operation goes through the same trait, you can write code that
//! works for any of them:
//!
//! ```no_run
//! # async fn run(client: &twilio_verify::Client, service: &twilio_verify::ServiceSid) -> twilio_verify::Result<()> {
//! use std::time::Duration;
//! use twilio_verify::{Request, RequestOptions};
//! use twilio_verify::verify::{FetchService, FetchVerification};
//!
//! /// Sends any request with a short timeout, logging its operation name.
//! async fn quick<R: Request>(client: &twilio_verify::Client, req: R) -> twilio_verify::Result<R::Output> {
//!     println!("sending {}", R::OPERATION);
//!     req.send_with(client, RequestOptions::new().timeout(Duration::from_secs(2))).await
//! }
//!
//! let service_settings = quick(client, FetchService::new(service)).await?;
//! let pending = quick(client, FetchVerification::new(service, "+15017122661")).await;
//! # let _ = (service_settings, pending); Ok(()) }
//! ```
//!
//! The trait is sealed: the crate's request types are the only implementations, so that a
//! later release may add provided methods without breaking anyone.

use serde::de::DeserializeOwned;

use crate::error::InvalidInput;
use crate::wire::WireRequest;

mod sealed {
    /// Keeps [`Request`](super::Request) implemented by this crate's types only.
    pub trait Sealed {}
}

pub(crate) use sealed::Sealed;

/// One Verify operation, ready to check and send.
///
/// Each request type also has inherent `to_wire`, `send` and `send_with` methods that call
/// these, so the trait only needs importing for generic code.
pub trait Request: Sealed + Send {
    /// What a 2xx answer decodes into: the resource, a page of them for a list, or `()` for a
    /// delete.
    type Output: DeserializeOwned + Send + 'static;

    /// Twilio's operation id (`CreateVerification`, `ListService`…), as in its OpenAPI spec.
    const OPERATION: &'static str;

    /// The wire form of this request (method, path, query, body) after checking every
    /// parameter, for sending it with an HTTP stack of your own;
    /// [`decode_response`](crate::wire::decode_response) turns the answer into
    /// [`Output`](Self::Output).
    ///
    /// # Errors
    ///
    /// [`InvalidInput`] naming the parameter that is malformed; nothing can be sent then.
    fn to_wire(&self) -> Result<WireRequest, InvalidInput>;

    /// Sends the request with the client's timeout and retry policy.
    ///
    /// # Errors
    ///
    /// [`Error::InvalidInput`](crate::Error::InvalidInput) when a parameter is malformed (nothing
    /// is sent); otherwise Twilio's error answer, a transport failure or a timeout, as
    /// described at [`Error`](crate::Error).
    #[cfg(feature = "client")]
    fn send(
        self,
        client: &crate::Client,
    ) -> impl Future<Output = crate::Result<Self::Output>> + Send + '_
    where
        Self: Sized,
    {
        self.send_with(client, crate::RequestOptions::new())
    }

    /// Sends the request with a timeout or retry policy of its own for this one call.
    ///
    /// # Errors
    ///
    /// As for [`send`](Self::send).
    #[cfg(feature = "client")]
    fn send_with(
        self,
        client: &crate::Client,
        options: crate::RequestOptions,
    ) -> impl Future<Output = crate::Result<Self::Output>> + Send + '_
    where
        Self: Sized,
    {
        client.transport().execute(self.to_wire(), options)
    }
}

/// Implements [`Request`] for a type with a private `fn wire(&self) -> Result<WireRequest,
/// InvalidInput>`, and gives it inherent `to_wire`, `send` and `send_with` so that callers need
/// not import the trait.
///
/// `request!(ListServices -> Page<Service>, "ListService")`: the type, what it answers with, and
/// Twilio's operation id.
macro_rules! request {
    ($ty:ident -> $out:ty, $op:literal) => {
        impl $crate::request::Sealed for $ty {}

        impl $crate::request::Request for $ty {
            type Output = $out;
            const OPERATION: &'static str = $op;

            fn to_wire(
                &self,
            ) -> ::std::result::Result<$crate::wire::WireRequest, $crate::error::InvalidInput> {
                self.wire()
            }
        }

        impl $ty {
            /// The wire form of this request, after checking every parameter: see
            /// [`Request::to_wire`](crate::Request::to_wire).
            ///
            /// # Errors
            ///
            /// [`InvalidInput`](crate::InvalidInput) naming the parameter that is malformed.
            pub fn to_wire(
                &self,
            ) -> ::std::result::Result<$crate::wire::WireRequest, $crate::error::InvalidInput> {
                self.wire()
            }

            /// Sends the request: see [`Request::send`](crate::Request::send).
            ///
            /// # Errors
            ///
            /// [`Error::InvalidInput`](crate::Error::InvalidInput) when a parameter is
            /// malformed (nothing is sent); otherwise as for any request.
            #[cfg(feature = "client")]
            pub fn send(
                self,
                client: &$crate::Client,
            ) -> impl Future<Output = $crate::Result<$out>> + Send + '_ {
                $crate::Request::send(self, client)
            }

            /// Sends the request with its own timeout or retry policy: see
            /// [`Request::send_with`](crate::Request::send_with).
            ///
            /// # Errors
            ///
            /// As for [`send`](Self::send).
            #[cfg(feature = "client")]
            pub fn send_with(
                self,
                client: &$crate::Client,
                options: $crate::RequestOptions,
            ) -> impl Future<Output = $crate::Result<$out>> + Send + '_ {
                $crate::Request::send_with(self, client, options)
            }
        }
    };
}

pub(crate) use request;

/// Declares one operation: the request type with its required parameters, its constructor, its
/// [`Request`] implementation, and its wire form.
///
/// ```text
/// operation! {
///     /// docs of the type
///     FetchEntity -> Entity, "FetchEntity";
///     /// docs of `new`
///     pub fn new(service: ServiceSid, identity: String);
///     get |r| entity_path(&r.service, &r.identity)?;
/// }
/// ```
///
/// - `pub fn new(...)` lists the required parameters (a request with a constructor of its own
///   names a private one instead); `new` takes each as `impl Into<T>`, and those
///   after a `;` as they are (numbers, enums). Fields after `with` (the optional parameters, the paging) start from their `Default` and are set by
///   setters.
/// - The last line is the method, then the path from `r` (the request), then for a `get` its
///   query and for a `post` its form, each a [`Params`](crate::wire::Params). Every check of
///   the input happens in these expressions, before anything can be sent.
macro_rules! operation {
    (
        $(#[$meta:meta])*
        $ty:ident -> $out:ty, $op:literal;
        $(#[$new_meta:meta])*
        $vis:vis fn $ctor:ident($($arg:ident: $arg_ty:ty),* $(; $($val:ident: $val_ty:ty),*)?)
            $(with { $($field:ident: $field_ty:ty),* $(,)? })?;
        $method:ident |$r:ident| $path:expr $(, $body:expr)?;
    ) => {
        $(#[$meta])*
        #[derive(Debug, Clone, PartialEq)]
        #[must_use = "a request does nothing until `.send(&client).await`"]
        pub struct $ty {
            $($arg: $arg_ty,)*
            $($($val: $val_ty,)*)?
            $($($field: $field_ty,)*)?
        }

        $crate::request::request!($ty -> $out, $op);

        impl $ty {
            $(#[$new_meta])*
            $vis fn $ctor($($arg: impl Into<$arg_ty>,)* $($($val: $val_ty),*)?) -> Self {
                Self {
                    $($arg: $arg.into(),)*
                    $($($val,)*)?
                    $($($field: Default::default(),)*)?
                }
            }

            fn wire(&self) -> Result<$crate::wire::WireRequest, $crate::error::InvalidInput> {
                let $r = self;
                let path: String = $path;
                let op = <Self as $crate::Request>::OPERATION;
                Ok($crate::request::operation!(@wire $method op path $($body)?))
            }
        }
    };
    (@wire get $op:ident $path:ident) => {
        $crate::wire::WireRequest::get($op, $path, $crate::wire::Params::new())
    };
    (@wire get $op:ident $path:ident $query:expr) => {
        $crate::wire::WireRequest::get($op, $path, $query)
    };
    (@wire post $op:ident $path:ident $form:expr) => {
        $crate::wire::WireRequest::post($op, $path, $form)
    };
    (@wire delete $op:ident $path:ident) => {
        $crate::wire::WireRequest::delete($op, $path)
    };
}

pub(crate) use operation;
