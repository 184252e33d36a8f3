//! Masking of personal data in everything the crate formats.
//!
//! The rule: a phone number never appears in full (at most its last four digits), an e-mail
//! address shows only its domain, and secrets and one-time codes never appear at all.

use std::fmt;

/// The text written in place of a secret.
pub(crate) const REDACTED: &str = "[redacted]";

/// Writes `value` with all but its last four digits masked (`+*******2661`).
///
/// Non-digit characters other than a leading `+` are dropped, so the output has a fixed shape
/// whatever formatting the input had.
pub(crate) fn write_phone(f: &mut fmt::Formatter<'_>, value: &str) -> fmt::Result {
    let digits = value.bytes().filter(u8::is_ascii_digit).count();
    if value.starts_with('+') {
        f.write_str("+")?;
    }
    let keep = digits.min(4);
    for _ in 0..digits - keep {
        f.write_str("*")?;
    }
    let tail: String = value
        .chars()
        .filter(char::is_ascii_digit)
        .skip(digits - keep)
        .collect();
    f.write_str(&tail)
}

/// Writes a phone number or e-mail address masked: see [`write_phone`]; an e-mail keeps its
/// domain only (`***@example.com`).
pub(crate) fn write_recipient(f: &mut fmt::Formatter<'_>, value: &str) -> fmt::Result {
    match value.rsplit_once('@') {
        Some((_, domain)) => write!(f, "***@{domain}"),
        None if value.bytes().any(|b| b.is_ascii_digit()) => write_phone(f, value),
        None => f.write_str(REDACTED),
    }
}

/// Returns `text` with every run of seven or more digits (optionally with `+`, spaces, dashes,
/// dots or parentheses between them) masked down to its last four digits, and the local part of
/// every e-mail address hidden.
///
/// Used for server-provided messages, which may quote the number a request was about.
pub(crate) fn scrub(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let chars: Vec<char> = text.chars().collect();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        if c == '+' || c.is_ascii_digit() || c == '(' {
            // Find the extent of a phone-like run.
            let mut j = i;
            let mut digits = 0;
            while j < chars.len() {
                let d = chars[j];
                if d.is_ascii_digit() {
                    digits += 1;
                } else if !(matches!(d, ' ' | '-' | '.' | '(' | ')') || (d == '+' && j == i)) {
                    break;
                }
                j += 1;
            }
            // Do not swallow trailing separators.
            while j > i && !chars[j - 1].is_ascii_digit() {
                j -= 1;
            }
            if digits >= 7 {
                let run: String = chars[i..j].iter().collect();
                out.push_str(&Masked(&run).to_string());
                i = j;
                continue;
            }
            if j > i {
                out.extend(&chars[i..j]);
                i = j;
                continue;
            }
        }
        if c == '@' {
            // Hide the local part already written.
            let start = out
                .rfind(|ch: char| {
                    ch.is_whitespace() || matches!(ch, '<' | '(' | '"' | '\'' | ':' | ',')
                })
                .map_or(0, |p| p + 1);
            if start < out.len() {
                out.truncate(start);
                out.push_str("***");
            }
        }
        out.push(c);
        i += 1;
    }
    out
}

/// Displays a phone number masked down to its last four digits.
pub(crate) struct Masked<'a>(pub(crate) &'a str);

impl fmt::Display for Masked<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write_phone(f, self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn phone_keeps_last_four_digits() {
        assert_eq!(Masked("+15017122661").to_string(), "+*******2661");
        assert_eq!(Masked("123").to_string(), "123");
    }

    #[test]
    fn scrub_masks_numbers_and_emails_but_not_error_codes() {
        let s = scrub("Invalid parameter `To`: +1 501-712-2661 (code 60200)");
        assert_eq!(s, "Invalid parameter `To`: +*******2661 (code 60200)");
        let e = scrub("mail to jane.doe@example.com failed");
        assert_eq!(e, "mail to ***@example.com failed");
        assert_eq!(
            scrub("Max send attempts reached"),
            "Max send attempts reached"
        );
    }
}
