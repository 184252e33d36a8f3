//! Lenient deserializers for fields whose JSON type varies in practice.

use std::fmt;
use std::marker::PhantomData;

use serde::de::value::{MapAccessDeserializer, SeqAccessDeserializer};
use serde::de::{IgnoredAny, MapAccess, SeqAccess, Visitor};
use serde::{Deserialize, Deserializer};
use serde_json::Value;

// By hand: no serde_with adapter reads a number or an object into a `String`.
/// A string that may arrive as a JSON string or number; `null` gives `None`. Scalars are read
/// as they stream past; only an array or object (kept as its JSON text) is buffered.
pub(crate) fn lenient_string<'de, D: Deserializer<'de>>(d: D) -> Result<Option<String>, D::Error> {
    struct V;
    impl<'de> Visitor<'de> for V {
        type Value = Option<String>;
        fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            f.write_str("a string or a number")
        }
        fn visit_str<E>(self, v: &str) -> Result<Self::Value, E> {
            Ok(Some(v.to_owned()))
        }
        fn visit_string<E>(self, v: String) -> Result<Self::Value, E> {
            Ok(Some(v))
        }
        fn visit_u64<E>(self, v: u64) -> Result<Self::Value, E> {
            Ok(Some(v.to_string()))
        }
        fn visit_i64<E>(self, v: i64) -> Result<Self::Value, E> {
            Ok(Some(v.to_string()))
        }
        fn visit_f64<E>(self, v: f64) -> Result<Self::Value, E> {
            // Spelled as serde_json spells the number (`1.0`, not `1`).
            Ok(Some(
                serde_json::Number::from_f64(v).map_or_else(|| v.to_string(), |n| n.to_string()),
            ))
        }
        fn visit_bool<E>(self, v: bool) -> Result<Self::Value, E> {
            Ok(Some(v.to_string()))
        }
        fn visit_unit<E>(self) -> Result<Self::Value, E> {
            Ok(None)
        }
        fn visit_none<E>(self) -> Result<Self::Value, E> {
            Ok(None)
        }
        fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
            d.deserialize_any(self)
        }
        fn visit_seq<A: SeqAccess<'de>>(self, seq: A) -> Result<Self::Value, A::Error> {
            Value::deserialize(SeqAccessDeserializer::new(seq)).map(|v| Some(v.to_string()))
        }
        fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<Self::Value, A::Error> {
            Value::deserialize(MapAccessDeserializer::new(map)).map(|v| Some(v.to_string()))
        }
    }
    d.deserialize_any(V)
}

/// A scalar read by `f` from a string, a number or a boolean as it streams past; `null`, and
/// an array or object (skipped), give `None`.
fn lenient_scalar<'de, D, T>(d: D, f: fn(Scalar<'_>) -> Option<T>) -> Result<Option<T>, D::Error>
where
    D: Deserializer<'de>,
{
    struct V<T>(fn(Scalar<'_>) -> Option<T>);
    impl<'de, T> Visitor<'de> for V<T> {
        type Value = Option<T>;
        fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            f.write_str("a JSON value")
        }
        fn visit_str<E>(self, v: &str) -> Result<Self::Value, E> {
            Ok((self.0)(Scalar::Str(v)))
        }
        fn visit_u64<E>(self, v: u64) -> Result<Self::Value, E> {
            Ok((self.0)(Scalar::Num(v as f64)))
        }
        fn visit_i64<E>(self, v: i64) -> Result<Self::Value, E> {
            Ok((self.0)(Scalar::Num(v as f64)))
        }
        fn visit_f64<E>(self, v: f64) -> Result<Self::Value, E> {
            Ok((self.0)(Scalar::Num(v)))
        }
        fn visit_bool<E>(self, v: bool) -> Result<Self::Value, E> {
            Ok((self.0)(Scalar::Bool(v)))
        }
        fn visit_unit<E>(self) -> Result<Self::Value, E> {
            Ok(None)
        }
        fn visit_none<E>(self) -> Result<Self::Value, E> {
            Ok(None)
        }
        fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
            d.deserialize_any(self)
        }
        fn visit_seq<A: SeqAccess<'de>>(self, seq: A) -> Result<Self::Value, A::Error> {
            IgnoredAny::deserialize(SeqAccessDeserializer::new(seq)).map(|_| None)
        }
        fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<Self::Value, A::Error> {
            IgnoredAny::deserialize(MapAccessDeserializer::new(map)).map(|_| None)
        }
    }
    d.deserialize_any(V(f))
}

/// A JSON scalar as [`lenient_scalar`] hands it over.
enum Scalar<'a> {
    Str(&'a str),
    // Read by `lenient_f64`, which only the Auth0 models use.
    #[cfg_attr(not(feature = "auth0"), allow(dead_code))]
    Num(f64),
    Bool(bool),
}

// By hand: `PickFirst<(_, DisplayFromStr)>` buffers each value and does not trim the string.
/// A number that may arrive as a JSON number or a numeric string; anything else gives `None`.
#[cfg(feature = "auth0")]
pub(crate) fn lenient_f64<'de, D: Deserializer<'de>>(d: D) -> Result<Option<f64>, D::Error> {
    lenient_scalar(d, |s| match s {
        Scalar::Num(n) => Some(n),
        Scalar::Str(s) => s.trim().parse().ok(),
        Scalar::Bool(_) => None,
    })
}

// By hand: `PickFirst<(_, DisplayFromStr)>` buffers each value and is case-sensitive.
/// A boolean that may arrive as `true`/`false` or as the strings `"true"`/`"false"`; anything
/// else gives `None`.
pub(crate) fn lenient_bool<'de, D: Deserializer<'de>>(d: D) -> Result<Option<bool>, D::Error> {
    lenient_scalar(d, |s| match s {
        Scalar::Bool(b) => Some(b),
        Scalar::Str(s) if s.eq_ignore_ascii_case("true") => Some(true),
        Scalar::Str(s) if s.eq_ignore_ascii_case("false") => Some(false),
        _ => None,
    })
}

// By hand: no serde_with adapter keeps a non-string value as its JSON text.
/// A map of strings (Twilio's `links`); a value that is not a string is kept as its JSON text.
pub(crate) fn lenient_string_map<'de, D: Deserializer<'de>>(
    d: D,
) -> Result<Option<std::collections::BTreeMap<String, String>>, D::Error> {
    Ok(match Option::<Value>::deserialize(d)? {
        Some(Value::Object(m)) => Some(
            m.into_iter()
                .map(|(k, v)| match v {
                    Value::String(s) => (k, s),
                    other => (k, other.to_string()),
                })
                .collect(),
        ),
        _ => None,
    })
}

/// The `Visitor` methods for `null` and every JSON scalar, each giving `$value`.
macro_rules! scalars_give {
    ($value:expr) => {
        fn visit_none<E>(self) -> Result<Self::Value, E> {
            Ok($value)
        }
        fn visit_unit<E>(self) -> Result<Self::Value, E> {
            Ok($value)
        }
        fn visit_bool<E>(self, _: bool) -> Result<Self::Value, E> {
            Ok($value)
        }
        fn visit_i64<E>(self, _: i64) -> Result<Self::Value, E> {
            Ok($value)
        }
        fn visit_u64<E>(self, _: u64) -> Result<Self::Value, E> {
            Ok($value)
        }
        fn visit_f64<E>(self, _: f64) -> Result<Self::Value, E> {
            Ok($value)
        }
        fn visit_str<E>(self, _: &str) -> Result<Self::Value, E> {
            Ok($value)
        }
    };
}

// By hand: `DefaultOnError<Vec<DefaultOnError>>` buffers the whole list before reading it.
/// A list whose items should be objects of type `T`, read as they stream past. An item of
/// another JSON type, which only a schema fuzzer sends (the spec leaves the items untyped),
/// becomes `T::default()` rather than failing the whole answer; an object item is read as `T`.
/// Anything but an array gives `None`.
pub(crate) fn lenient_objects<'de, D, T>(d: D) -> Result<Option<Vec<T>>, D::Error>
where
    D: Deserializer<'de>,
    T: Deserialize<'de> + Default,
{
    struct List<T>(PhantomData<T>);
    impl<'de, T: Deserialize<'de> + Default> Visitor<'de> for List<T> {
        type Value = Option<Vec<T>>;
        fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            f.write_str("a list of objects")
        }
        fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
            let mut items = Vec::with_capacity(seq.size_hint().unwrap_or(0).min(64));
            while let Some(ObjectOrDefault(item)) = seq.next_element()? {
                items.push(item);
            }
            Ok(Some(items))
        }
        fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
            d.deserialize_any(self)
        }
        fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<Self::Value, A::Error> {
            IgnoredAny::deserialize(MapAccessDeserializer::new(map)).map(|_| None)
        }
        scalars_give!(None);
    }
    d.deserialize_any(List(PhantomData))
}

/// One item of [`lenient_objects`]: an object read as `T`, or `T::default()` for anything else.
struct ObjectOrDefault<T>(T);

impl<'de, T: Deserialize<'de> + Default> Deserialize<'de> for ObjectOrDefault<T> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V<T>(PhantomData<T>);
        impl<'de, T: Deserialize<'de> + Default> Visitor<'de> for V<T> {
            type Value = T;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("an object")
            }
            fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<T, A::Error> {
                T::deserialize(MapAccessDeserializer::new(map))
            }
            fn visit_seq<A: SeqAccess<'de>>(self, seq: A) -> Result<T, A::Error> {
                IgnoredAny::deserialize(SeqAccessDeserializer::new(seq)).map(|_| T::default())
            }
            fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<T, D::Error> {
                d.deserialize_any(self)
            }
            scalars_give!(T::default());
        }
        d.deserialize_any(V(PhantomData)).map(ObjectOrDefault)
    }
}

/// A nested object (or a date) that is read if it has the expected shape and dropped (`None`)
/// otherwise, so that one odd field does not cost the whole record (serde_with's
/// `DefaultOnError`).
pub(crate) type OrNone = serde_with::As<serde_with::DefaultOnError>;

#[cfg(test)]
mod tests {
    #[derive(serde::Deserialize)]
    struct T {
        #[serde(default, deserialize_with = "super::lenient_string")]
        v: Option<String>,
        #[serde(default, deserialize_with = "super::lenient_f64")]
        n: Option<f64>,
        #[serde(default, deserialize_with = "super::lenient_bool")]
        b: Option<bool>,
        #[serde(default)]
        after: Option<u8>,
    }

    /// Decodes `s` from text and through `serde_json::Value`; both must agree.
    fn both(s: &str) -> (Option<String>, Option<f64>, Option<bool>, Option<u8>) {
        let t = serde_json::from_str::<T>(s).expect("decode");
        let value: serde_json::Value = serde_json::from_str(s).expect("json");
        let u = serde_json::from_value::<T>(value).expect("decode from Value");
        assert_eq!((&t.v, t.n, t.b, t.after), (&u.v, u.n, u.b, u.after), "{s}");
        (t.v, t.n, t.b, t.after)
    }

    #[derive(Debug, Default, PartialEq, serde::Deserialize)]
    struct Item {
        a: Option<u8>,
    }

    #[derive(serde::Deserialize)]
    struct L {
        #[serde(default, deserialize_with = "super::lenient_objects")]
        items: Option<Vec<Item>>,
        #[serde(default)]
        after: Option<u8>,
    }

    /// `items` and `after` of `s`, decoded from text and through `Value`, which must agree.
    fn list(s: &str) -> (Option<Vec<Item>>, Option<u8>) {
        let t = serde_json::from_str::<L>(s).expect("decode");
        let value: serde_json::Value = serde_json::from_str(s).expect("json");
        let u = serde_json::from_value::<L>(value).expect("decode from Value");
        assert_eq!((&t.items, t.after), (&u.items, u.after), "{s}");
        (t.items, t.after)
    }

    #[test]
    fn object_items_are_read_and_other_items_become_the_default() {
        let one = |a| Item { a: Some(a) };
        assert_eq!(
            list(
                r#"{"items": [{"a": 1, "extra": [1]}, "x", 3, null, [{"a": 9}], {"a": 2}], "after": 5}"#
            ),
            (
                Some(vec![
                    one(1),
                    Item::default(),
                    Item::default(),
                    Item::default(),
                    Item::default(),
                    one(2)
                ]),
                Some(5)
            )
        );
        assert_eq!(list(r#"{"items": []}"#), (Some(vec![]), None));
    }

    #[test]
    fn anything_but_a_list_of_objects_gives_none() {
        assert_eq!(list(r#"{"items": null, "after": 1}"#), (None, Some(1)));
        assert_eq!(list(r#"{"items": {"a": 1}, "after": 1}"#), (None, Some(1)));
        assert_eq!(list(r#"{"items": "[]", "after": 1}"#), (None, Some(1)));
        assert_eq!(list(r#"{"after": 1}"#), (None, Some(1)));
    }

    #[test]
    fn strings_come_from_strings_numbers_and_null() {
        let v = |s: &str| both(s).0;
        assert_eq!(v(r#"{"v": "310"}"#).as_deref(), Some("310"));
        assert_eq!(v(r#"{"v": 310}"#).as_deref(), Some("310"));
        assert_eq!(v(r#"{"v": -4}"#).as_deref(), Some("-4"));
        assert_eq!(v(r#"{"v": 1.0}"#).as_deref(), Some("1.0"));
        assert_eq!(v(r#"{"v": true}"#).as_deref(), Some("true"));
        assert_eq!(v(r#"{"v": null}"#), None);
        assert_eq!(v(r#"{}"#), None);
    }

    #[test]
    fn an_array_or_object_string_is_its_json_text() {
        assert_eq!(
            both(r#"{"v": [1, "a"], "after": 7}"#),
            (Some(r#"[1,"a"]"#.into()), None, None, Some(7))
        );
        assert_eq!(
            both(r#"{"v": {"k": null}, "after": 7}"#).0.as_deref(),
            Some(r#"{"k":null}"#)
        );
    }

    #[test]
    fn numbers_and_booleans_take_their_string_forms_and_skip_the_rest() {
        assert_eq!(
            both(r#"{"n": 2.5, "b": true}"#),
            (None, Some(2.5), Some(true), None)
        );
        assert_eq!(
            both(r#"{"n": " 7 ", "b": "FALSE"}"#),
            (None, Some(7.0), Some(false), None)
        );
        assert_eq!(
            both(r#"{"n": -3, "b": "yes"}"#),
            (None, Some(-3.0), None, None)
        );
        // A nested value is skipped whole, and the fields after it are still read.
        assert_eq!(
            both(r#"{"n": {"x": [1, 2]}, "b": [true], "after": 9}"#),
            (None, None, None, Some(9))
        );
        assert_eq!(both(r#"{"n": null, "b": null}"#), (None, None, None, None));
    }
}
