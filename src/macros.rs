//! Crate-private macros: open enums, and the setters of optional parameters.

use std::fmt;
use std::marker::PhantomData;

/// Deserializes any string-like value through `From<&str>`, without allocating for known values.
pub(crate) struct StrVisitor<T>(pub(crate) PhantomData<T>);

impl<T: for<'a> From<&'a str> + From<String>> serde::de::Visitor<'_> for StrVisitor<T> {
    type Value = T;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a string")
    }

    fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<T, E> {
        Ok(T::from(v))
    }

    fn visit_string<E: serde::de::Error>(self, v: String) -> Result<T, E> {
        Ok(T::from(v))
    }
}

/// Defines an open enum: known values as variants, anything else kept in `Unknown(String)`.
///
/// Matching is ASCII case-insensitive, so `SMS` and `sms` are the same variant; the canonical
/// spelling (the first literal) is what gets serialized.
macro_rules! open_enum {
    (
        $(#[$meta:meta])*
        pub enum $name:ident {
            $(
                $(#[$vmeta:meta])*
                $variant:ident = $wire:literal $(| $alias:literal)*
            ),+ $(,)?
        }
    ) => {
        $(#[$meta])*
        #[derive(Clone, PartialEq, Eq, Hash)]
        #[non_exhaustive]
        pub enum $name {
            $(
                $(#[$vmeta])*
                $variant,
            )+
            /// A value this version of the crate does not know. The text is kept as received.
            ///
            /// Matching on it is not forward compatible: a later release may give the value a
            /// variant of its own.
            Unknown(String),
        }

        impl $name {
            /// The value as it appears on the wire.
            pub fn as_str(&self) -> &str {
                match self {
                    $(Self::$variant => $wire,)+
                    Self::Unknown(s) => s.as_str(),
                }
            }

            /// Whether this is a value the crate does not know.
            pub fn is_unknown(&self) -> bool {
                matches!(self, Self::Unknown(_))
            }

            fn known(s: &str) -> Option<Self> {
                $(
                    if s.eq_ignore_ascii_case($wire) $(|| s.eq_ignore_ascii_case($alias))* {
                        return Some(Self::$variant);
                    }
                )+
                None
            }
        }

        impl From<&str> for $name {
            fn from(s: &str) -> Self {
                Self::known(s).unwrap_or_else(|| Self::Unknown(s.to_owned()))
            }
        }

        impl From<String> for $name {
            fn from(s: String) -> Self {
                Self::known(&s).unwrap_or(Self::Unknown(s))
            }
        }

        impl std::str::FromStr for $name {
            type Err = std::convert::Infallible;
            fn from_str(s: &str) -> Result<Self, Self::Err> {
                Ok(Self::from(s))
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl std::fmt::Debug for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                match self {
                    $(Self::$variant => f.write_str(stringify!($variant)),)+
                    Self::Unknown(s) => f.debug_tuple("Unknown").field(s).finish(),
                }
            }
        }

        impl serde::Serialize for $name {
            fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                s.serialize_str(self.as_str())
            }
        }

        impl<'de> serde::Deserialize<'de> for $name {
            fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                d.deserialize_str($crate::macros::StrVisitor(std::marker::PhantomData))
            }
        }
    };
}

pub(crate) use open_enum;

/// Setters of a request's optional parameters, each storing into the request's private
/// `params` struct (or the struct named by a leading `in field;`), whose field has the setter's
/// name. One line per parameter:
///
/// - `name: into(T)` takes `impl Into<T>`;
/// - `name: value(T)` takes a `T` as it is;
/// - `name: secret()` takes `impl Into<String>` and keeps it as a [`Secret`](crate::Secret),
///   never shown by `Debug`.
macro_rules! setters {
    (in $field:ident; $($(#[$m:meta])* $name:ident: $kind:ident($($ty:ty)?);)*) => {
        $($crate::macros::setters!(@one $field $(#[$m])* $name $kind $($ty)?);)*
    };
    ($($(#[$m:meta])* $name:ident: $kind:ident($($ty:ty)?);)*) => {
        $($crate::macros::setters!(@one params $(#[$m])* $name $kind $($ty)?);)*
    };
    (@one $field:ident $(#[$m:meta])* $name:ident into $ty:ty) => {
        $(#[$m])*
        pub fn $name(mut self, value: impl Into<$ty>) -> Self {
            self.$field.$name = Some(value.into());
            self
        }
    };
    (@one $field:ident $(#[$m:meta])* $name:ident value $ty:ty) => {
        $(#[$m])*
        pub fn $name(mut self, value: $ty) -> Self {
            self.$field.$name = Some(value);
            self
        }
    };
    (@one $field:ident $(#[$m:meta])* $name:ident secret) => {
        $(#[$m])*
        pub fn $name(mut self, value: impl Into<String>) -> Self {
            self.$field.$name = Some($crate::Secret::new(value.into()));
            self
        }
    };
}

pub(crate) use setters;
