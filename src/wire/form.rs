//! The one form encoder: a serde serializer that writes a parameter struct as Twilio's
//! `application/x-www-form-urlencoded` pairs.
//!
//! Twilio's conventions, all decided by the field's type:
//!
//! - the key is the field's serde name (structs use `rename_all = "PascalCase"`);
//! - `None` sends nothing, `bool` sends `true`/`false`, numbers their decimal text;
//! - a sequence sends one pair per item under the same key (`EventTypes=a&EventTypes=b`);
//! - a nested struct sends its fields under dotted keys (`Binding.PublicKey`,
//!   `Details.Fields`);
//! - a JSON-valued parameter is a [`JsonMap`], sent as its JSON text;
//! - at the top level, a tuple of structs sends each struct's fields in turn, so that shared
//!   parameters (filters, say) and an operation's own can be kept apart.
//!
//! Anything else (a bare map, bytes, tuples) is a mistake in the crate, reported as an
//! [`InvalidInput`] rather than sent in some guessed shape.

use std::fmt;

use serde::Serialize;
use serde::ser::{self, Impossible, SerializeSeq, SerializeStruct};
use serde_json::{Map, Value};

use super::Params;
use crate::error::InvalidInput;

/// Appends the fields of `params`, a struct, to `out` in declaration order.
pub(crate) fn encode<T: Serialize + ?Sized>(
    params: &T,
    out: &mut Params,
) -> Result<(), InvalidInput> {
    params
        .serialize(Pairs { out, key: "" })
        .map_err(|e| InvalidInput::new("form", e.0))
}

/// A JSON object sent as one form value holding its JSON text (`Tags`, `RateLimits`…).
///
/// Its `Debug` shows the keys only: the values may be personal data (an IP address).
#[derive(Clone, Default, PartialEq)]
pub(crate) struct JsonMap(pub(crate) Map<String, Value>);

impl JsonMap {
    /// Sets `key` to `value` in `slot`'s map, creating the map on first use.
    pub(crate) fn insert(slot: &mut Option<Self>, key: String, value: Value) {
        slot.get_or_insert_with(Self::default).0.insert(key, value);
    }
}

impl fmt::Debug for JsonMap {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_set().entries(self.0.keys()).finish()
    }
}

impl Serialize for JsonMap {
    fn serialize<S: ser::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        // A map of JSON values always encodes.
        s.serialize_str(&Value::Object(self.0.clone()).to_string())
    }
}

/// Sends an optional value as its JSON text (`#[serde(serialize_with = "json_text")]`), as
/// Twilio takes `HiddenDetails` and `Metadata`.
pub(crate) fn json_text<T: Serialize, S: ser::Serializer>(
    v: &Option<T>,
    s: S,
) -> Result<S::Ok, S::Error> {
    match v {
        Some(v) => s.serialize_str(&serde_json::to_string(v).map_err(ser::Error::custom)?),
        None => s.serialize_none(),
    }
}

/// Sends each item as its JSON text under the same key, as Twilio takes `Details.Fields`.
pub(crate) fn json_text_each<T: Serialize, S: ser::Serializer>(
    v: &[T],
    s: S,
) -> Result<S::Ok, S::Error> {
    use serde::ser::SerializeSeq as _;
    let mut seq = s.serialize_seq(Some(v.len()))?;
    for item in v {
        seq.serialize_element(&serde_json::to_string(item).map_err(ser::Error::custom)?)?;
    }
    seq.end()
}

/// Why a value could not be written as a form pair.
#[derive(Debug, thiserror::Error)]
#[error("{0}")]
pub(crate) struct FormError(String);

impl ser::Error for FormError {
    fn custom<T: fmt::Display>(msg: T) -> Self {
        Self(msg.to_string())
    }
}

fn unsupported(what: &str) -> FormError {
    FormError(format!("a {what} has no form encoding"))
}

/// Writes one value under `key` (the top level has the empty key and must be a struct).
struct Pairs<'a> {
    out: &'a mut Params,
    key: &'a str,
}

impl Pairs<'_> {
    fn text(self, value: &str) -> Result<(), FormError> {
        if self.key.is_empty() {
            return Err(unsupported("bare value"));
        }
        self.out.str(self.key, value);
        Ok(())
    }
}

macro_rules! as_text {
    ($($method:ident: $ty:ty),* $(,)?) => {
        $(fn $method(self, v: $ty) -> Result<(), FormError> {
            self.text(&v.to_string())
        })*
    };
}

impl<'a> ser::Serializer for Pairs<'a> {
    type Ok = ();
    type Error = FormError;
    type SerializeSeq = Repeated<'a>;
    type SerializeTuple = Repeated<'a>;
    type SerializeTupleStruct = Impossible<(), FormError>;
    type SerializeTupleVariant = Impossible<(), FormError>;
    type SerializeMap = Impossible<(), FormError>;
    type SerializeStruct = Fields<'a>;
    type SerializeStructVariant = Impossible<(), FormError>;

    as_text! {
        serialize_i8: i8, serialize_i16: i16, serialize_i32: i32, serialize_i64: i64,
        serialize_u8: u8, serialize_u16: u16, serialize_u32: u32, serialize_u64: u64,
        serialize_f32: f32, serialize_f64: f64, serialize_char: char,
    }

    fn serialize_bool(self, v: bool) -> Result<(), FormError> {
        self.text(if v { "true" } else { "false" })
    }

    fn serialize_str(self, v: &str) -> Result<(), FormError> {
        self.text(v)
    }

    fn serialize_bytes(self, _: &[u8]) -> Result<(), FormError> {
        Err(unsupported("byte string"))
    }

    fn serialize_none(self) -> Result<(), FormError> {
        Ok(())
    }

    fn serialize_some<T: Serialize + ?Sized>(self, v: &T) -> Result<(), FormError> {
        v.serialize(self)
    }

    fn serialize_unit(self) -> Result<(), FormError> {
        Ok(())
    }

    fn serialize_unit_struct(self, _: &'static str) -> Result<(), FormError> {
        Ok(())
    }

    fn serialize_unit_variant(
        self,
        _: &'static str,
        _: u32,
        variant: &'static str,
    ) -> Result<(), FormError> {
        self.text(variant)
    }

    fn serialize_newtype_struct<T: Serialize + ?Sized>(
        self,
        _: &'static str,
        v: &T,
    ) -> Result<(), FormError> {
        v.serialize(self)
    }

    fn serialize_newtype_variant<T: Serialize + ?Sized>(
        self,
        _: &'static str,
        _: u32,
        _: &'static str,
        _: &T,
    ) -> Result<(), FormError> {
        Err(unsupported("data-carrying enum"))
    }

    fn serialize_seq(self, _: Option<usize>) -> Result<Repeated<'a>, FormError> {
        if self.key.is_empty() {
            return Err(unsupported("bare sequence"));
        }
        Ok(Repeated {
            out: self.out,
            key: self.key,
        })
    }

    fn serialize_tuple(self, _: usize) -> Result<Repeated<'a>, FormError> {
        if !self.key.is_empty() {
            return Err(unsupported("tuple as a value"));
        }
        // Each element is a struct written at the top level, in turn.
        Ok(Repeated {
            out: self.out,
            key: self.key,
        })
    }

    fn serialize_tuple_struct(
        self,
        _: &'static str,
        _: usize,
    ) -> Result<Self::SerializeTupleStruct, FormError> {
        Err(unsupported("tuple struct"))
    }

    fn serialize_tuple_variant(
        self,
        _: &'static str,
        _: u32,
        _: &'static str,
        _: usize,
    ) -> Result<Self::SerializeTupleVariant, FormError> {
        Err(unsupported("tuple variant"))
    }

    fn serialize_map(self, _: Option<usize>) -> Result<Self::SerializeMap, FormError> {
        Err(unsupported("map (send JSON maps as `JsonMap`)"))
    }

    fn serialize_struct(self, _: &'static str, _: usize) -> Result<Fields<'a>, FormError> {
        Ok(Fields {
            out: self.out,
            prefix: self.key,
        })
    }

    fn serialize_struct_variant(
        self,
        _: &'static str,
        _: u32,
        _: &'static str,
        _: usize,
    ) -> Result<Self::SerializeStructVariant, FormError> {
        Err(unsupported("struct variant"))
    }
}

/// A sequence: one pair per item, all under the same key.
struct Repeated<'a> {
    out: &'a mut Params,
    key: &'a str,
}

impl SerializeSeq for Repeated<'_> {
    type Ok = ();
    type Error = FormError;

    fn serialize_element<T: Serialize + ?Sized>(&mut self, v: &T) -> Result<(), FormError> {
        v.serialize(Pairs {
            out: self.out,
            key: self.key,
        })
    }

    fn end(self) -> Result<(), FormError> {
        Ok(())
    }
}

impl ser::SerializeTuple for Repeated<'_> {
    type Ok = ();
    type Error = FormError;

    fn serialize_element<T: Serialize + ?Sized>(&mut self, v: &T) -> Result<(), FormError> {
        SerializeSeq::serialize_element(self, v)
    }

    fn end(self) -> Result<(), FormError> {
        Ok(())
    }
}

/// A struct: each field under its own name, dotted after the struct's key when nested.
struct Fields<'a> {
    out: &'a mut Params,
    prefix: &'a str,
}

impl SerializeStruct for Fields<'_> {
    type Ok = ();
    type Error = FormError;

    fn serialize_field<T: Serialize + ?Sized>(
        &mut self,
        name: &'static str,
        v: &T,
    ) -> Result<(), FormError> {
        let dotted;
        let key = if self.prefix.is_empty() {
            name
        } else {
            dotted = format!("{}.{name}", self.prefix);
            &dotted
        };
        v.serialize(Pairs { out: self.out, key })
    }

    fn end(self) -> Result<(), FormError> {
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Serialize)]
    #[serde(rename_all = "PascalCase")]
    struct Binding {
        public_key: Option<String>,
        alg: Option<String>,
    }

    #[derive(Serialize)]
    #[serde(rename_all = "PascalCase")]
    struct Example {
        friendly_name: Option<String>,
        skipped: Option<u32>,
        lookup_enabled: Option<bool>,
        code_length: Option<u8>,
        event_types: Option<Vec<String>>,
        binding: Binding,
        tags: Option<JsonMap>,
        #[serde(rename = "Totp.Skew")]
        totp_skew: Option<u8>,
    }

    #[test]
    fn every_convention_is_spelled_as_twilio_reads_it() {
        let mut tags = None;
        JsonMap::insert(&mut tags, "flow".into(), "login".into());
        let params = Example {
            friendly_name: Some("My App*".into()),
            skipped: None,
            lookup_enabled: Some(false),
            code_length: Some(6),
            event_types: Some(vec!["a.b".into(), "c".into()]),
            binding: Binding {
                public_key: Some("k+/=".into()),
                alg: None,
            },
            tags,
            totp_skew: Some(1),
        };
        let mut out = Params::new();
        encode(&params, &mut out).expect("encodes");
        assert_eq!(
            out.finish(),
            "FriendlyName=My+App%2A&LookupEnabled=false&CodeLength=6&EventTypes=a.b&EventTypes=c\
             &Binding.PublicKey=k%2B%2F%3D&Tags=%7B%22flow%22%3A%22login%22%7D&Totp.Skew=1"
        );
    }

    #[test]
    fn shapes_without_a_form_spelling_are_refused() {
        let mut out = Params::new();
        let map: std::collections::BTreeMap<String, u8> = [("a".to_owned(), 1)].into();
        #[derive(Serialize)]
        struct WithMap {
            m: std::collections::BTreeMap<String, u8>,
        }
        let e = encode(&WithMap { m: map }, &mut out).expect_err("a map");
        assert_eq!(e.field(), "form");
        assert!(encode(&"bare", &mut out).is_err());
        #[derive(Serialize)]
        struct WithTuple {
            t: (u8, u8),
        }
        assert!(encode(&WithTuple { t: (1, 2) }, &mut out).is_err());
    }

    #[test]
    fn a_tuple_of_structs_sends_each_in_turn() {
        #[derive(Serialize)]
        #[serde(rename_all = "PascalCase")]
        struct A {
            first: Option<u8>,
        }
        #[derive(Serialize)]
        #[serde(rename_all = "PascalCase")]
        struct B {
            second: bool,
        }
        let mut out = Params::new();
        encode(&(A { first: Some(1) }, B { second: true }), &mut out).expect("encodes");
        assert_eq!(out.finish(), "First=1&Second=true");
    }

    #[test]
    fn debug_of_a_json_map_shows_keys_only() {
        let mut slot = None;
        JsonMap::insert(&mut slot, "end_user_ip".into(), "10.0.0.1".into());
        let shown = format!("{slot:?}");
        assert!(
            shown.contains("end_user_ip") && !shown.contains("10.0.0.1"),
            "{shown}"
        );
    }
}
