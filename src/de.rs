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
