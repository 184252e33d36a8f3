//! Failures below HTTP, and success answers that did not decode.

/// A failure below HTTP: connecting, sending, or reading the answer.
///
/// The underlying error is reachable through [`std::error::Error::source`]; its text never
/// includes the request URL, which can carry a phone number.
#[derive(Debug, thiserror::Error)]
#[error("{}", .kind.message())]
pub struct TransportError {
    kind: TransportKind,
    source: Option<Box<dyn std::error::Error + Send + Sync>>,
}

/// What kind of transport failure happened.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum TransportKind {
    /// No connection could be made.
    Connect,
    /// The connect or request timeout elapsed.
    Timeout,
    /// The request could not be sent, or the connection broke before an answer came.
    Request,
    /// The answer's body could not be read (a broken connection, or a body over the size cap).
    Body,
}

impl TransportError {
    #[cfg_attr(not(feature = "client"), allow(dead_code))]
    pub(crate) fn new(
        kind: TransportKind,
        source: Option<Box<dyn std::error::Error + Send + Sync>>,
    ) -> Self {
        Self { kind, source }
    }

    /// What kind of failure this is.
    pub fn kind(&self) -> TransportKind {
        self.kind
    }

    /// Whether connecting failed; such a request never reached Twilio.
    pub fn is_connect(&self) -> bool {
        self.kind == TransportKind::Connect
    }
}

impl TransportKind {
    /// What the error says for this kind.
    fn message(self) -> &'static str {
        match self {
            Self::Connect => "could not connect to Twilio",
            Self::Timeout => "no answer from Twilio in time",
            Self::Request => "the request failed before an answer came",
            Self::Body => "the answer could not be read",
        }
    }
}

/// A success answer whose body did not decode into the expected model.
///
/// It keeps the position of the problem and a short excerpt of the body in which every string
/// value and every long digit run is masked, so it is safe to log.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error(
    "could not decode the answer (HTTP {status}): {category} at line {line} column {column}; \
     body starts `{excerpt}`"
)]
pub struct DecodeError {
    status: u16,
    line: usize,
    column: usize,
    category: &'static str,
    excerpt: String,
}

impl DecodeError {
    pub(crate) fn new(status: u16, body: &[u8], err: &serde_json::Error) -> Self {
        let category = match err.classify() {
            serde_json::error::Category::Io => "I/O error",
            serde_json::error::Category::Syntax => "malformed JSON",
            serde_json::error::Category::Data => "JSON of an unexpected shape",
            serde_json::error::Category::Eof => "truncated JSON",
        };
        Self {
            status,
            line: err.line(),
            column: err.column(),
            category,
            excerpt: excerpt(body),
        }
    }

    /// The HTTP status of the answer.
    pub fn status(&self) -> u16 {
        self.status
    }

    /// The line (1-based) at which decoding failed.
    pub fn line(&self) -> usize {
        self.line
    }

    /// The column (1-based) at which decoding failed.
    pub fn column(&self) -> usize {
        self.column
    }

    /// A masked excerpt of the start of the body: keys and structure, no values.
    pub fn excerpt(&self) -> &str {
        &self.excerpt
    }
}

/// The first 160 characters of `body` with string values replaced by `"…"` and digit runs of five
/// or more replaced by `#`. Object keys are kept: they say which field was wrong.
pub(super) fn excerpt(body: &[u8]) -> String {
    const MAX: usize = 160;
    let text = String::from_utf8_lossy(&body[..body.len().min(4 * MAX)]);
    let mut out = String::new();
    let mut chars = text.chars().peekable();
    let mut digits = String::new();
    let flush = |digits: &mut String, out: &mut String| {
        if digits.len() >= 5 {
            out.push('#');
        } else {
            out.push_str(digits);
        }
        digits.clear();
    };
    while let Some(c) = chars.next() {
        if out.chars().count() >= MAX {
            out.push('…');
            return out;
        }
        if c.is_ascii_digit() {
            digits.push(c);
            continue;
        }
        flush(&mut digits, &mut out);
        if c == '"' {
            let mut s = String::new();
            let mut escaped = false;
            for d in chars.by_ref() {
                if escaped {
                    escaped = false;
                } else if d == '\\' {
                    escaped = true;
                } else if d == '"' {
                    break;
                }
                s.push(d);
            }
            // A key is followed (after optional spaces) by a colon.
            while chars.peek().is_some_and(|c| c.is_whitespace()) {
                chars.next();
            }
            let is_key = chars.peek() == Some(&':');
            let safe_key = is_key
                && s.len() <= 40
                && s.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_');
            if safe_key {
                out.push('"');
                out.push_str(&s);
                out.push('"');
            } else {
                out.push_str("\"…\"");
            }
        } else if c.is_control() {
            out.push(' ');
        } else {
            out.push(c);
        }
    }
    flush(&mut digits, &mut out);
    out
}
