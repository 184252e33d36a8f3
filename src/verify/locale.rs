//! Mapping language hints to a locale Verify supports.
//!
//! Verify answers 404 to an unsupported `Locale`, and the verification is not sent, so a hint
//! from a browser or from Auth0 (`en-US`, `fr_CA`, `pt-br`) must never be passed through as is.
//! [`supported_locale`] maps it to a tag Verify's default template supports, or gives `None`,
//! in which case leave `Locale` unset and Verify picks the language from the phone number.

/// Locales of Verify's default template that this crate maps to (a conservative subset of
/// Twilio's list; when in doubt a hint maps to nothing, which is always safe).
pub const SUPPORTED_LOCALES: &[&str] = &[
    "af", "ar", "ca", "cs", "da", "de", "el", "en", "en-GB", "es", "et", "fi", "fr", "he", "hi",
    "hr", "hu", "id", "it", "ja", "kn", "ko", "lt", "mr", "ms", "nb", "nl", "pl", "pt", "pt-BR",
    "ro", "ru", "sk", "sv", "te", "th", "tl", "tr", "vi", "zh", "zh-CN", "zh-HK",
];

/// Maps a language hint to a supported Verify locale.
///
/// Accepts BCP 47 tags in any case, with `-` or `_` (`en-us`, `fr_CA`), and the first entry of
/// an `Accept-Language` list (`de-CH,de;q=0.9`). A supported region is kept (`en-GB`,
/// `pt-BR`); otherwise the base language is used (`fr-CA` gives `fr`). Retired codes are
/// updated (`iw` gives `he`, `in` gives `id`, `no` gives `nb`, `fil` gives `tl`).
///
/// ```
/// use twilio_verify::verify::supported_locale;
///
/// assert_eq!(supported_locale("en_GB"), Some("en-GB"));
/// assert_eq!(supported_locale("fr-CA"), Some("fr"));
/// assert_eq!(supported_locale("pt-br"), Some("pt-BR"));
/// assert_eq!(supported_locale("de-CH,de;q=0.9"), Some("de"));
/// assert_eq!(supported_locale("xx-YY"), None);
/// ```
pub fn supported_locale(hint: &str) -> Option<&'static str> {
    let first = hint.split([',', ';']).next()?.trim();
    let mut parts = first.split(['-', '_']);
    let lang = parts.next()?.to_ascii_lowercase();
    if lang.is_empty() || lang.len() > 3 || !lang.bytes().all(|b| b.is_ascii_alphabetic()) {
        return None;
    }
    let lang = match lang.as_str() {
        "iw" => "he",
        "in" => "id",
        "no" | "nn" => "nb",
        "fil" => "tl",
        other => other,
    };
    let find = |tag: &str| {
        SUPPORTED_LOCALES
            .iter()
            .copied()
            .find(|s| s.eq_ignore_ascii_case(tag))
    };
    let regional = parts
        .next()
        .filter(|r| r.len() == 2)
        .and_then(|region| find(&format!("{lang}-{region}")));
    regional.or_else(|| find(lang))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn maps_hints() {
        assert_eq!(supported_locale("en"), Some("en"));
        assert_eq!(supported_locale("en-US"), Some("en"));
        assert_eq!(supported_locale("EN-gb"), Some("en-GB"));
        assert_eq!(supported_locale("zh_HK"), Some("zh-HK"));
        assert_eq!(supported_locale("zh-TW"), Some("zh"));
        assert_eq!(supported_locale("es-419"), Some("es"));
        assert_eq!(supported_locale("iw-IL"), Some("he"));
        assert_eq!(supported_locale("no"), Some("nb"));
        assert_eq!(supported_locale(""), None);
        assert_eq!(supported_locale("klingon"), None);
        assert_eq!(supported_locale("*"), None);
        assert_eq!(supported_locale("1234"), None);
        assert!(
            SUPPORTED_LOCALES
                .iter()
                .all(|l| supported_locale(l) == Some(*l))
        );
    }
}
