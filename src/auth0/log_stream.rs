//! The feedback half's input: bodies that an Auth0 Custom Webhook log stream posts.
//!
//! A body holds one or more records in one of the stream's content formats: JSON Lines, a JSON
//! array, or a single JSON object. A record is normally the envelope `{"log_id", "data"}`; a
//! bare log event (the Management API form, with `_id`) and an Amazon EventBridge event (the
//! envelope under `detail`) are accepted as well.
//!
//! Parsing never gives up on the batch: every good record is returned, and every bad one gives
//! a [`RecordError`] with its position. Only what routing needs is read up front (`log_id` and
//! `type`); the typed [`LogEvent`] is decoded on demand with [`LogRecord::event`].
//!
//! ```
//! use twilio_verify::auth0::{BodyFormat, LogType, parse_log_batch};
//!
//! let body = br#"{"log_id": "9001", "data": {"log_id": "9001", "type": "gd_auth_succeed", "date": "2024-01-15T10:30:00.000Z"}}
//! {"log_id": "9002", "data": {"log_id": "9002", "type": "s"}}
//! this line is broken
//! "#;
//! let batch = parse_log_batch(body);
//! assert_eq!(batch.format, BodyFormat::JsonLines);
//! assert_eq!(batch.records.len(), 2);
//! assert_eq!(batch.records[0].log_type, LogType::GdAuthSucceed);
//! assert_eq!(batch.errors.len(), 1);
//! assert_eq!(batch.errors[0].position(), 2);
//! ```

use std::borrow::Cow;
use std::fmt;
use std::marker::PhantomData;

use serde::Deserialize;
use serde_json::value::RawValue;

use super::log_event::LogEvent;
use super::log_type::LogType;

/// The content format of a log-stream body (the stream's "Content Format" setting).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum BodyFormat {
    /// One record per line (`JSONLINES`).
    JsonLines,
    /// A JSON array of records (`JSONARRAY`).
    JsonArray,
    /// A single record (`JSONOBJECT`).
    JsonObject,
}

impl BodyFormat {
    /// The setting's value in Auth0's API (`JSONLINES`, `JSONARRAY`, `JSONOBJECT`).
    pub fn api_name(self) -> &'static str {
        match self {
            Self::JsonLines => "JSONLINES",
            Self::JsonArray => "JSONARRAY",
            Self::JsonObject => "JSONOBJECT",
        }
    }

    /// Guesses the format from the body: `[` starts an array; a single JSON value is an object;
    /// anything else is JSON Lines.
    pub fn detect(body: &[u8]) -> Self {
        let start = skip_ws(body, 0);
        match body.get(start) {
            Some(b'[') => Self::JsonArray,
            Some(b'{') => match value_end(body, start) {
                Some(end) if skip_ws(body, end) == body.len() => Self::JsonObject,
                _ => Self::JsonLines,
            },
            _ => Self::JsonLines,
        }
    }
}

/// How a record was wrapped.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum RecordShape {
    /// The Custom Webhook envelope `{"log_id", "data"}`.
    Envelope,
    /// A bare log event, as the Management API returns it.
    Bare,
    /// An Amazon EventBridge event whose `detail` is the envelope.
    EventBridge,
}

/// One record of a batch: its id and type, and its JSON as received.
#[derive(Clone, PartialEq)]
pub struct LogRecord {
    /// The record's position in the body (0-based, blank lines not counted).
    pub position: usize,
    /// The log id (from the envelope, else `data.log_id`, else `data._id`).
    pub log_id: String,
    /// The log type code.
    pub log_type: LogType,
    /// How the record was wrapped.
    pub shape: RecordShape,
    /// The whole record's JSON text, already checked to be valid JSON. The log event inside it
    /// is found when asked for: most records are only routed, and finding it costs a pass.
    text: Box<str>,
}

/// Where the log event sits in a record: under `data`, or under `detail.data`. It names no
/// key that [`Head`] does not, so it reads every record that `Head` read.
#[derive(Deserialize)]
struct Wrapped<'a> {
    #[serde(borrow, default)]
    data: Option<&'a RawValue>,
    #[serde(borrow, default)]
    detail: Option<&'a RawValue>,
}

/// Where the log event sits in an EventBridge `detail`. It names no key that [`Envelope`] does
/// not, so it reads every `detail` that `Envelope` read.
#[derive(Deserialize)]
struct InDetail<'a> {
    #[serde(borrow, default)]
    data: Option<&'a RawValue>,
}

impl LogRecord {
    /// Decodes the typed event.
    ///
    /// # Errors
    ///
    /// A [`RecordError`] (at this record's position) when a common field has a shape the crate
    /// cannot read.
    pub fn event(&self) -> Result<LogEvent, RecordError> {
        serde_json::from_str(self.raw_json()).map_err(|e| {
            RecordError::new(self.position, Some(self.log_id.clone()), json_reason(&e))
        })
    }

    /// The log event's JSON as received, unknown fields included: the envelope's `data`, the
    /// `detail.data` of an EventBridge event, or the whole record of a bare event. Each call
    /// finds it in the record again: keep the result rather than call it in a loop.
    ///
    /// It holds personal data (user names, IP addresses, phone numbers): do not log it.
    pub fn raw_json(&self) -> &str {
        let wrapped = || serde_json::from_str::<Wrapped<'_>>(&self.text).ok();
        let found = match self.shape {
            RecordShape::Bare => return &self.text,
            RecordShape::Envelope => wrapped().and_then(|w| w.data),
            RecordShape::EventBridge => wrapped()
                .and_then(|w| w.detail)
                .and_then(|d| serde_json::from_str::<InDetail<'_>>(d.get()).ok())
                .and_then(|d| d.data),
        };
        // Parsing kept the record only with an object where its shape says the event is, read
        // by structs that name more keys than these (so refuse more repeats), so it is found.
        found.map_or("", RawValue::get)
    }
}

impl fmt::Debug for LogRecord {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("LogRecord")
            .field("position", &self.position)
            .field("log_id", &self.log_id)
            .field("log_type", &self.log_type)
            .field("shape", &self.shape)
            .finish_non_exhaustive()
    }
}

/// A record that could not be read, and why. The message never quotes the record's content.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("record {position}: {reason}")]
pub struct RecordError {
    position: usize,
    log_id: Option<String>,
    reason: Cow<'static, str>,
}

impl RecordError {
    fn new(position: usize, log_id: Option<String>, reason: impl Into<Cow<'static, str>>) -> Self {
        Self {
            position,
            log_id,
            reason: reason.into(),
        }
    }

    /// The record's position in the body (0-based, blank lines not counted).
    pub fn position(&self) -> usize {
        self.position
    }

    /// The log id, when it could be read.
    pub fn log_id(&self) -> Option<&str> {
        self.log_id.as_deref()
    }

    /// What was wrong.
    pub fn reason(&self) -> &str {
        &self.reason
    }
}

/// The result of parsing a body: the good records and an error for each bad one.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct LogBatch {
    /// The format the body was read as.
    pub format: BodyFormat,
    /// The records that could be read, in body order.
    pub records: Vec<LogRecord>,
    /// The records that could not, in body order; then summaries (empty array elements, a
    /// truncated array, and the count of bad records past [`MAX_LISTED_ERRORS`]).
    pub errors: Vec<RecordError>,
}

impl LogBatch {
    /// Whether every record could be read.
    pub fn is_clean(&self) -> bool {
        self.errors.is_empty()
    }
}

/// Parses a log-stream body, detecting its format.
pub fn parse_log_batch(body: &[u8]) -> LogBatch {
    parse_log_batch_as(body, BodyFormat::detect(body))
}

/// Parses a log-stream body in the given format.
///
/// JSON Lines: each non-blank line is a record. JSON array: each element is a record; a broken
/// element is reported and the elements after it are still read. JSON object: the body is one
/// record (a bare log event and an EventBridge event are accepted too).
pub fn parse_log_batch_as(body: &[u8], format: BodyFormat) -> LogBatch {
    let mut batch = LogBatch {
        format,
        records: Vec::new(),
        errors: Vec::new(),
    };
    let mut unlisted = 0usize;
    let mut first_unlisted = 0usize;
    let mut push = |position: usize, item: &[u8]| match parse_record(position, item) {
        Ok(r) => batch.records.push(r),
        // Past the cap only a count is kept, so a body of garbage cannot cost memory per line.
        Err(_) if batch.errors.len() >= MAX_LISTED_ERRORS => {
            if unlisted == 0 {
                first_unlisted = position;
            }
            unlisted += 1;
        }
        Err(e) => batch.errors.push(e),
    };
    match format {
        BodyFormat::JsonLines => {
            let mut start = 0;
            let ends = memchr::memchr_iter(b'\n', body).chain(std::iter::once(body.len()));
            let lines = ends
                .map(|end| {
                    let line = &body[start..end];
                    start = end + 1;
                    trim(line)
                })
                .filter(|l| !l.is_empty());
            for (i, line) in lines.enumerate() {
                push(i, line);
            }
        }
        BodyFormat::JsonObject => {
            let item = trim(body);
            if !item.is_empty() {
                push(0, item);
            }
        }
        BodyFormat::JsonArray => {
            // A well-formed array is split by serde_json in one fast pass; only a broken one
            // takes the byte-by-byte walk below, which can report each bad element.
            if let Ok(items) = serde_json::from_slice::<Vec<&RawValue>>(body) {
                for (i, item) in items.iter().enumerate() {
                    push(i, item.get().as_bytes());
                }
            } else {
                let start = skip_ws(body, 0);
                if body.get(start) != Some(&b'[') {
                    batch
                        .errors
                        .push(RecordError::new(0, None, "the body is not a JSON array"));
                    return batch;
                }
                let (items, closed, empty) = split_array(body, start + 1);
                let count = items.len();
                for (i, item) in items.into_iter().enumerate() {
                    push(i, item);
                }
                if empty > 0 {
                    batch.errors.push(RecordError::new(
                        0,
                        None,
                        format!("{empty} empty array elements (`,,`): not JSON"),
                    ));
                }
                if !closed {
                    batch.errors.push(RecordError::new(
                        count,
                        None,
                        "the array is not closed: the body is truncated",
                    ));
                }
            }
        }
    }
    if unlisted > 0 {
        batch.errors.push(RecordError::new(
            first_unlisted,
            None,
            format!("{unlisted} more bad records from here on, not listed one by one"),
        ));
    }
    batch
}

/// The most bad records a batch lists one by one.
pub const MAX_LISTED_ERRORS: usize = 1_000;

/// A struct read only from a JSON object: serde's derive also reads a struct from an array, by
/// position, and no log event or envelope is an array.
struct Object<T>(T);

impl<'de, T: Deserialize<'de>> Deserialize<'de> for Object<T> {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V<T>(PhantomData<T>);
        impl<'de, T: Deserialize<'de>> serde::de::Visitor<'de> for V<T> {
            type Value = T;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a JSON object")
            }
            fn visit_map<A: serde::de::MapAccess<'de>>(self, map: A) -> Result<T, A::Error> {
                T::deserialize(serde::de::value::MapAccessDeserializer::new(map))
            }
        }
        d.deserialize_map(V(PhantomData)).map(Object)
    }
}

/// Reads an optional string without copying it unless it has escapes (serde's own `Cow`
/// impl, which an `Option` around it falls back to, always copies).
type Borrowed = serde_with::As<Option<serde_with::BorrowCow>>;

/// The keys routing needs, read in one pass over the record: every other value is checked to
/// be JSON and skipped without being built.
#[derive(Deserialize)]
struct Head<'a> {
    #[serde(borrow, default, with = "Borrowed")]
    log_id: Option<Cow<'a, str>>,
    #[serde(rename = "_id", borrow, default, with = "Borrowed")]
    id: Option<Cow<'a, str>>,
    #[serde(rename = "type", borrow, default, with = "Borrowed")]
    kind: Option<Cow<'a, str>>,
    /// The envelope's log event.
    #[serde(borrow, default)]
    data: Option<Object<Event<'a>>>,
    /// An EventBridge event's envelope, read further only when there is no `data` (the shape
    /// is rare, and a `detail` beside `data` is not an envelope).
    #[serde(borrow, default)]
    detail: Option<&'a RawValue>,
}

/// The routing keys of a log event.
#[derive(Deserialize)]
struct Event<'a> {
    #[serde(borrow, default, with = "Borrowed")]
    log_id: Option<Cow<'a, str>>,
    #[serde(rename = "_id", borrow, default, with = "Borrowed")]
    id: Option<Cow<'a, str>>,
    #[serde(rename = "type", borrow, default, with = "Borrowed")]
    kind: Option<Cow<'a, str>>,
}

/// The envelope inside an EventBridge event.
#[derive(Deserialize)]
struct Envelope<'a> {
    #[serde(borrow, default, with = "Borrowed")]
    log_id: Option<Cow<'a, str>>,
    #[serde(borrow, default)]
    data: Option<Object<Event<'a>>>,
}

fn json_reason(e: &serde_json::Error) -> String {
    use serde_json::error::Category;
    let what = match e.classify() {
        Category::Syntax => "malformed JSON",
        Category::Eof => "truncated JSON",
        Category::Data => "JSON of an unexpected shape",
        Category::Io => "unreadable input",
    };
    format!("{what} at column {}", e.column())
}

fn parse_record(position: usize, item: &[u8]) -> Result<LogRecord, RecordError> {
    let fail = |reason: Cow<'static, str>| RecordError::new(position, None, reason);
    if item.first() != Some(&b'{') {
        return Err(fail("not a JSON object".into()));
    }
    // Checked as text first: the parse below skips over strings it does not keep.
    let text = std::str::from_utf8(item).map_err(|e| {
        fail(
            format!(
                "malformed JSON (not UTF-8) at column {}",
                e.valid_up_to() + 1
            )
            .into(),
        )
    })?;
    let outer: Head<'_> = serde_json::from_str(text).map_err(|e| fail(json_reason(&e).into()))?;

    let (shape, envelope_id, event) = if let Some(Object(event)) = outer.data {
        (RecordShape::Envelope, outer.log_id, event)
    } else if let Some(detail) = outer.detail {
        let Object(detail): Object<Envelope<'_>> =
            serde_json::from_str(detail.get()).map_err(|e| fail(json_reason(&e).into()))?;
        let Some(Object(event)) = detail.data else {
            return Err(fail("an EventBridge `detail` without `data`".into()));
        };
        (RecordShape::EventBridge, detail.log_id, event)
    } else if outer.kind.is_some() {
        let event = Event {
            log_id: outer.log_id.clone(),
            id: outer.id,
            kind: outer.kind,
        };
        (RecordShape::Bare, outer.log_id, event)
    } else {
        return Err(fail(
            "neither a log-stream envelope (`log_id` and `data`) nor a log event (`type`)".into(),
        ));
    };

    let log_id = envelope_id
        .or(event.log_id)
        .or(event.id)
        .filter(|id| !id.is_empty())
        .map(Cow::into_owned);
    let Some(log_id) = log_id else {
        return Err(fail("no `log_id`".into()));
    };
    let Some(kind) = event.kind else {
        return Err(RecordError::new(position, Some(log_id), "no `type`"));
    };
    Ok(LogRecord {
        position,
        log_type: LogType::from(kind.as_ref()),
        log_id,
        shape,
        text: text.into(),
    })
}

fn trim(s: &[u8]) -> &[u8] {
    let start = s
        .iter()
        .position(|b| !b.is_ascii_whitespace())
        .unwrap_or(s.len());
    let end = s
        .iter()
        .rposition(|b| !b.is_ascii_whitespace())
        .map_or(start, |e| e + 1);
    &s[start..end.max(start)]
}

fn skip_ws(body: &[u8], mut i: usize) -> usize {
    while body.get(i).is_some_and(u8::is_ascii_whitespace) {
        i += 1;
    }
    i
}

/// Tells structure from string content in JSON text, one byte at a time, so that brackets and
/// commas inside strings are not taken for structure.
#[derive(Default)]
struct Structure {
    in_string: bool,
    escaped: bool,
}

impl Structure {
    /// Feeds one byte; gives it back when it is structural (outside every string).
    fn structural(&mut self, b: u8) -> Option<u8> {
        if self.in_string {
            if self.escaped {
                self.escaped = false;
            } else if b == b'\\' {
                self.escaped = true;
            } else if b == b'"' {
                self.in_string = false;
            }
            return None;
        }
        if b == b'"' {
            self.in_string = true;
            return None;
        }
        Some(b)
    }
}

/// The index just past the JSON value starting at `start`, by bracket depth outside strings;
/// `None` if the body ends first.
fn value_end(body: &[u8], start: usize) -> Option<usize> {
    let mut text = Structure::default();
    let mut depth = 0usize;
    for (i, &b) in body.iter().enumerate().skip(start) {
        match text.structural(b) {
            Some(b'{' | b'[') => depth += 1,
            Some(b'}' | b']') => {
                depth = depth.saturating_sub(1);
                if depth == 0 {
                    return Some(i + 1);
                }
            }
            _ => {}
        }
    }
    None
}

/// Splits the elements of an array whose `[` is just before `from`, at top-level commas.
/// Returns the trimmed non-empty elements, whether the closing `]` was found, and how many
/// elements were empty.
fn split_array(body: &[u8], from: usize) -> (Vec<&[u8]>, bool, usize) {
    let mut items = Vec::new();
    let mut empty = 0usize;
    let mut text = Structure::default();
    let mut depth = 0usize;
    let mut start = from;
    for (i, &b) in body.iter().enumerate().skip(from) {
        match text.structural(b) {
            Some(b'{' | b'[') => depth += 1,
            Some(b']') if depth == 0 => {
                let last = trim(&body[start..i]);
                if !last.is_empty() {
                    items.push(last);
                } else if !items.is_empty() || empty > 0 {
                    empty += 1; // a trailing comma
                }
                return (items, true, empty);
            }
            Some(b'}' | b']') => depth = depth.saturating_sub(1),
            Some(b',') if depth == 0 => {
                let item = trim(&body[start..i]);
                if item.is_empty() {
                    empty += 1;
                } else {
                    items.push(item);
                }
                start = i + 1;
            }
            _ => {}
        }
    }
    let last = trim(&body[start..]);
    if !last.is_empty() {
        items.push(last);
    }
    (items, false, empty)
}

#[cfg(test)]
mod tests {
    use super::*;

    const ENV: &str = r#"{"log_id": "1", "data": {"log_id": "1", "type": "s", "date": "2024-01-15T10:30:00.000Z"}}"#;

    #[test]
    fn detects_formats() {
        assert_eq!(
            BodyFormat::detect(format!("[{ENV}]").as_bytes()),
            BodyFormat::JsonArray
        );
        assert_eq!(
            BodyFormat::detect(format!("  {ENV}\n").as_bytes()),
            BodyFormat::JsonObject
        );
        assert_eq!(
            BodyFormat::detect(format!("{ENV}\n{ENV}").as_bytes()),
            BodyFormat::JsonLines
        );
        assert_eq!(BodyFormat::detect(b""), BodyFormat::JsonLines);
    }

    #[test]
    fn array_with_a_broken_element_keeps_the_rest() {
        let body = format!(r#"[{ENV}, {{"log_id": "2", "data": }}, {ENV}, 7, "x", {{"a": "]"}}]"#);
        let b = parse_log_batch(body.as_bytes());
        assert_eq!(b.format, BodyFormat::JsonArray);
        assert_eq!(
            b.records.iter().map(|r| r.position).collect::<Vec<_>>(),
            [0, 2]
        );
        let positions: Vec<usize> = b.errors.iter().map(RecordError::position).collect();
        assert_eq!(positions, [1, 3, 4, 5]);
    }

    #[test]
    fn garbage_costs_a_bounded_number_of_errors() {
        let commas = format!("[{}]", ",".repeat(1_000_000));
        let b = parse_log_batch(commas.as_bytes());
        assert_eq!((b.records.len(), b.errors.len()), (0, 1), "{:?}", b.errors);
        let lines = "x\n".repeat(50_000);
        let b = parse_log_batch(lines.as_bytes());
        assert_eq!(b.errors.len(), MAX_LISTED_ERRORS + 1);
        assert!(
            b.errors[MAX_LISTED_ERRORS].reason().contains("49000 more"),
            "{:?}",
            b.errors.last()
        );
    }

    #[test]
    fn truncated_array_reports_the_cut() {
        let body = format!("[{ENV}, {ENV}, {{\"log_id\": \"3\", \"da");
        let b = parse_log_batch(body.as_bytes());
        assert_eq!(b.records.len(), 2);
        assert_eq!(b.errors.len(), 2, "{:?}", b.errors);
        assert_eq!(b.errors[0].position(), 2, "the cut element itself");
        assert!(
            b.errors[1].reason().contains("not closed"),
            "{:?}",
            b.errors[1]
        );
    }

    #[test]
    fn shapes() {
        let bare = r#"{"_id": "77", "type": "fp", "isMobile": false}"#;
        let b = parse_log_batch(bare.as_bytes());
        assert_eq!(b.records[0].shape, RecordShape::Bare);
        assert_eq!(b.records[0].log_id, "77");
        let eb = format!(r#"{{"version": "0", "detail-type": "Auth0 log", "detail": {ENV}}}"#);
        let b = parse_log_batch(eb.as_bytes());
        assert_eq!(b.records[0].shape, RecordShape::EventBridge);
        assert_eq!(b.records[0].log_type, LogType::S);
        let both = r#"{"detail": "not an envelope", "log_id": "1", "data": {"type": "s"}}"#;
        let b = parse_log_batch(both.as_bytes());
        assert_eq!(b.records[0].shape, RecordShape::Envelope, "{:?}", b.errors);
        assert_eq!(b.records[0].raw_json(), r#"{"type": "s"}"#);
        assert_eq!(
            parse_log_batch(eb.as_bytes()).records[0].raw_json(),
            r#"{"log_id": "1", "type": "s", "date": "2024-01-15T10:30:00.000Z"}"#
        );
        let neither = parse_log_batch(br#"{"hello": "world"}"#);
        assert!(neither.errors[0].reason().contains("neither"));
        let no_type = parse_log_batch(br#"{"log_id": "5", "data": {"log_id": "5"}}"#);
        assert_eq!(no_type.errors[0].log_id(), Some("5"));
    }

    #[test]
    fn records_are_checked_whole_and_their_event_found_in_every_shape() {
        // Not UTF-8 beside `data`: the record is kept as text, so it is bad as a whole.
        let b =
            parse_log_batch(b"{\"log_id\": \"1\", \"x\": \"\xff\", \"data\": {\"type\": \"s\"}}");
        assert!(b.records.is_empty());
        assert!(b.errors[0].reason().contains("not UTF-8"), "{:?}", b.errors);
        // serde reads a struct from an array by position; no event or envelope is an array.
        for bad in [
            r#"{"log_id": "1", "data": ["1", null, "s"]}"#,
            r#"{"detail": ["1", {"type": "s"}]}"#,
            r#"{"detail": {"log_id": "1", "data": ["1", null, "s"]}}"#,
        ] {
            let b = parse_log_batch(bad.as_bytes());
            assert_eq!((b.records.len(), b.errors.len()), (0, 1), "{bad}");
        }
        // Keys routing does not read may repeat in `detail`; the event is still found.
        let b = parse_log_batch(
            br#"{"detail": {"log_id": "1", "data": {"type": "s"}, "detail": 1, "detail": 2}}"#,
        );
        assert_eq!(b.records[0].raw_json(), r#"{"type": "s"}"#);
        let bare = r#"{"_id": "77", "type": "fp", "data": null}"#;
        assert_eq!(parse_log_batch(bare.as_bytes()).records[0].raw_json(), bare);
    }

    #[test]
    fn routing_keys_are_borrowed_unless_escaped() {
        let head: Head<'_> =
            serde_json::from_str(r#"{"log_id": "1", "data": {"_id": "2", "type": "s\u0041"}}"#)
                .expect("head");
        assert!(matches!(head.log_id, Some(Cow::Borrowed("1"))));
        let Object(event) = head.data.expect("data");
        assert!(matches!(event.id, Some(Cow::Borrowed("2"))));
        assert!(matches!(event.kind, Some(Cow::Owned(ref k)) if k == "sA"));
    }

    #[test]
    fn errors_do_not_quote_content() {
        let b = parse_log_batch(b"{\"log_id\": \"+15017122661\", \"data\": [}");
        let shown = b.errors[0].to_string();
        assert!(!shown.contains("5017122661"), "{shown}");
    }
}
