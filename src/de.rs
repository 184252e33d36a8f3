//! Lenient deserializers for fields whose JSON type varies in practice.

use serde::{Deserialize, Deserializer};
use serde_json::Value;

/// A string that may arrive as a JSON string or number; `null` gives `None`.
pub(crate) fn lenient_string<'de, D: Deserializer<'de>>(d: D) -> Result<Option<String>, D::Error> {
    Ok(match Option::<Value>::deserialize(d)? {
        None | Some(Value::Null) => None,
        Some(Value::String(s)) => Some(s),
        Some(Value::Number(n)) => Some(n.to_string()),
        Some(Value::Bool(b)) => Some(b.to_string()),
        Some(other) => Some(other.to_string()),
    })
}

/// A number that may arrive as a JSON number or a numeric string; anything else gives `None`.
pub(crate) fn lenient_f64<'de, D: Deserializer<'de>>(d: D) -> Result<Option<f64>, D::Error> {
    Ok(match Option::<Value>::deserialize(d)? {
        Some(Value::Number(n)) => n.as_f64(),
        Some(Value::String(s)) => s.trim().parse().ok(),
        _ => None,
    })
}

/// A boolean that may arrive as `true`/`false` or as the strings `"true"`/`"false"`; anything
/// else gives `None`.
pub(crate) fn lenient_bool<'de, D: Deserializer<'de>>(d: D) -> Result<Option<bool>, D::Error> {
    Ok(match Option::<Value>::deserialize(d)? {
        Some(Value::Bool(b)) => Some(b),
        Some(Value::String(s)) if s.eq_ignore_ascii_case("true") => Some(true),
        Some(Value::String(s)) if s.eq_ignore_ascii_case("false") => Some(false),
        _ => None,
    })
}

/// A phone number or e-mail address that may arrive as a string or a number.
pub(crate) fn lenient_recipient<'de, D: Deserializer<'de>>(
    d: D,
) -> Result<Option<crate::phone::Recipient>, D::Error> {
    Ok(lenient_string(d)?.map(crate::phone::Recipient::new))
}

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

/// A list whose items should be objects of type `T`. Items of another JSON type, which only a
/// schema fuzzer sends (the spec leaves the items untyped), become `T::default()` rather than
/// failing the whole answer.
pub(crate) fn lenient_objects<'de, D, T>(d: D) -> Result<Option<Vec<T>>, D::Error>
where
    D: Deserializer<'de>,
    T: serde::de::DeserializeOwned + Default,
{
    Ok(match Option::<Value>::deserialize(d)? {
        Some(Value::Array(items)) => Some(
            items
                .into_iter()
                .map(|v| {
                    if v.is_object() {
                        serde_json::from_value(v).unwrap_or_default()
                    } else {
                        T::default()
                    }
                })
                .collect(),
        ),
        _ => None,
    })
}

/// A nested object that is read if it has the expected shape and dropped (`None`) otherwise,
/// so that one odd field does not cost the whole record.
pub(crate) fn lenient_struct<'de, D, T>(d: D) -> Result<Option<T>, D::Error>
where
    D: Deserializer<'de>,
    T: serde::de::DeserializeOwned,
{
    Ok(Option::<Value>::deserialize(d)?.and_then(|v| serde_json::from_value(v).ok()))
}

#[cfg(test)]
mod tests {
    #[derive(serde::Deserialize)]
    struct T {
        #[serde(default, deserialize_with = "super::lenient_string")]
        v: Option<String>,
    }

    #[test]
    fn accepts_strings_numbers_and_null() {
        let p = |s: &str| serde_json::from_str::<T>(s).expect("decode").v;
        assert_eq!(p(r#"{"v": "310"}"#).as_deref(), Some("310"));
        assert_eq!(p(r#"{"v": 310}"#).as_deref(), Some("310"));
        assert_eq!(p(r#"{"v": null}"#), None);
        assert_eq!(p(r#"{}"#), None);
    }
}
