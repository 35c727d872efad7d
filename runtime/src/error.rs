//! The one error type of the library and its parts.

use std::fmt;

/// Everything that can go wrong when calling Microsoft Graph.
///
/// Each variant says where the problem is: in the entity before any I/O
/// ([`Validation`](Error::Validation), [`Path`](Error::Path)), in the configuration
/// ([`Config`](Error::Config)), on the way ([`Transport`](Error::Transport)), or in the answer
/// ([`Graph`](Error::Graph), [`UnexpectedResponse`](Error::UnexpectedResponse),
/// [`Decode`](Error::Decode)). `Display` is one readable line and never contains a token.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// The entity broke a rule the compiler cannot check; nothing was sent.
    #[error(transparent)]
    Validation(#[from] ValidationError),

    /// A path argument cannot fill its placeholder; nothing was sent.
    #[error(transparent)]
    Path(#[from] PathError),

    /// The entity could not be written as JSON; nothing was sent.
    #[error("cannot encode the request body: {0}")]
    Encode(#[source] serde_json::Error),

    /// The query options are what Graph refuses (such as a filter `in` without values); nothing
    /// was sent.
    #[error("invalid query: {0}")]
    InvalidQuery(String),

    /// The client is misconfigured (bad base URL, token over plain HTTP …); nothing was sent.
    #[error("invalid client configuration: {0}")]
    Config(String),

    /// Microsoft Graph answered with its error format.
    #[error(transparent)]
    Graph(Box<GraphError>),

    /// Microsoft Graph answered `404` in its error format: the entity, or a parent the path
    /// names, does not exist. (Every Graph `404` is this variant, not [`Graph`](Error::Graph).)
    #[error(transparent)]
    NotFound(Box<GraphError>),

    /// A non-success status whose body is not Graph's error format (an HTML page from a proxy,
    /// an empty body …).
    #[error("{}", unexpected(*.status, .content_type.as_deref(), .snippet))]
    UnexpectedResponse {
        /// The HTTP status code.
        status: u16,
        /// The `Content-Type` of the response, when there was one.
        content_type: Option<String>,
        /// The start of the body, lossily decoded: at most [`SNIPPET_LEN`]
        /// bytes of text, plus `…` when cut.
        snippet: String,
    },

    /// A success response whose body does not match the expected type.
    #[error(transparent)]
    Decode(Box<DecodeError>),

    /// A success response larger than the client accepts; the rest was not read.
    #[error("the response body exceeds the limit of {limit} bytes (HTTP {status})")]
    ResponseTooLarge {
        /// The HTTP status code.
        status: u16,
        /// The limit, in bytes.
        limit: usize,
    },

    /// The request could not be sent or its answer not received.
    #[cfg(feature = "client")]
    #[error("transport error: {0}")]
    Transport(#[source] TransportError),

    /// The request may or may not have taken effect: it was sent and no answer came (a timeout,
    /// a dropped connection), or a gateway timed out (`504`) after it may have passed the request
    /// on, or the service redirected a write elsewhere with `303 See Other`. It was not resent,
    /// as a `POST` could then create the entity twice; check the service before creating again
    /// (see [`RequestOptions::idempotent`](crate::client::RequestOptions::idempotent)).
    #[error(
        "the request may or may not have taken effect (attempt {attempts}), so it was not resent: {source}"
    )]
    UnknownOutcome {
        /// Attempts made, the last one included.
        attempts: u32,
        /// What left the outcome unknown: a [`Transport`](Error::Transport) error, a `504`
        /// [`Graph`](Error::Graph) error, a refused `303` [`Redirect`](Error::Redirect) …
        source: Box<Error>,
    },

    /// The service answered a write with success (such as `201 Created`), so **it took
    /// effect**, but the answer could not be read: an empty or truncated body, one that does
    /// not match the entity, or one over the size limit. Do not send the request again: the
    /// entity exists (see [`Error::outcome`]).
    #[error("{}", unreadable_success(*.status, .location.as_deref(), .id.as_deref(), .source))]
    UnreadableSuccess {
        /// The success status, such as `201`.
        status: u16,
        /// The `Location` header of the answer, when there was one: the new entity's URL.
        location: Option<String>,
        /// The new entity's `id`, when it could be found in the body all the same.
        id: Option<String>,
        /// Why the answer could not be read ([`Decode`](Error::Decode),
        /// [`ResponseTooLarge`](Error::ResponseTooLarge) or [`Transport`](Error::Transport)).
        source: Box<Error>,
    },

    /// The client stopped retrying, for the [`reason`](GiveUp) given (the number of retries,
    /// the total delay, or a `Retry-After` longer than the policy waits); the last error is kept.
    #[error("gave up after {attempts} attempt{}: {reason}: {last}", if *.attempts == 1 { "" } else { "s" })]
    RetriesExhausted {
        /// Attempts made, the first one included.
        attempts: u32,
        /// Which limit of the [`RetryPolicy`](crate::client::RetryPolicy) stopped the retries.
        reason: GiveUp,
        /// The error of the last attempt.
        last: Box<Error>,
    },

    /// Some inputs of a bulk creation are invalid; nothing was sent.
    #[error("{} of {total} inputs are invalid, so nothing was sent: {}", invalid.len(), list_invalid(invalid))]
    InvalidInputs {
        /// How many inputs there were.
        total: usize,
        /// Each invalid input's index and its error, in input order.
        invalid: Vec<(usize, Error)>,
    },

    /// The `$batch` request that carried this item failed as a whole (shared by its items).
    #[error("the $batch request carrying this item failed: {0}")]
    Batch(std::sync::Arc<Error>),

    /// A `$batch` answer had no response for this item: it may or may not have taken effect.
    #[error("the $batch response has no answer for this item; it may or may not have taken effect")]
    MissingSubResponse,

    /// A `$batch` answer cannot be matched to this item with certainty (the item's id answered
    /// twice, or under another spelling such as `"+0"` for `"0"`): it may or may not have taken
    /// effect, and it is not resent.
    #[error(
        "the $batch response for this item is ambiguous ({reason}); it may or may not have taken effect"
    )]
    AmbiguousSubResponse {
        /// What was wrong with the answers for this item.
        reason: String,
    },

    /// No token could be had: the token endpoint's error, or a malformed token.
    #[error(transparent)]
    Auth(#[from] AuthError),

    /// A collection page linked to a next page on another origin; it was not followed, as the
    /// token would have gone with the request.
    #[error("not following `@odata.nextLink` to another origin: {link}")]
    UntrustedNextLink {
        /// The link.
        link: String,
    },

    /// The access token holds none of the permissions that work for the request, by Microsoft's
    /// permissions reference: Graph would answer `403 Forbidden`. Nothing was sent. Checked
    /// only where the token says what it grants (its `roles` or `scp` claim) and the reference
    /// lists the request; [`ClientBuilder::check_permissions`](crate::client::ClientBuilder::check_permissions)
    /// turns the check off.
    #[cfg(feature = "client")]
    #[error(transparent)]
    MissingPermission(Box<MissingPermission>),

    /// The entity does not exist in the client's national cloud: the cloud's metadata lacks part
    /// of its declaration. Nothing was sent.
    #[error(
        "{missing} does not exist in Microsoft Graph's metadata for the {cloud} cloud; nothing was sent"
    )]
    NotInCloud {
        /// The client's cloud.
        cloud: crate::NationalCloud,
        /// What that cloud lacks, such as ``path segment `todo` `` or ``property `x` ``.
        missing: &'static str,
    },

    /// The link a round of changes was read from has expired (`410 Gone`, such as
    /// `syncStateNotFound` or `resyncRequired`): Graph no longer knows what changed since.
    /// Start over with a first round ([`DeltaOperations::delta`](crate::client::DeltaOperations::delta)),
    /// which reads every entity again.
    #[error("the delta link has expired, start over with a first round: {0}")]
    DeltaExpired(Box<GraphError>),

    /// A stored delta link given for a collection it is not a round of (a link of `/users` for
    /// groups, say): its changes would not be of the entity's type. Nothing was sent.
    #[error("the delta link `{link}` is not a round of `{template}/delta`; nothing was sent")]
    DeltaLinkMismatch {
        /// The link.
        link: String,
        /// The entity's path template.
        template: &'static str,
    },

    /// Paging through a collection went wrong: an `@odata.nextLink` that repeats a page already
    /// read (which would loop forever), or more pages than the client's
    /// [`max_pages`](crate::client::ClientBuilder::max_pages).
    #[error("paging stopped after {pages} pages: {reason}")]
    Paging {
        /// Pages read before stopping.
        pages: usize,
        /// What was wrong.
        reason: String,
    },

    /// The service answered with a redirect that was not followed: to another origin (the
    /// token would go with it), one that would turn a write into a `GET`, a redirect without
    /// a usable `Location`, or too many of them.
    #[error("not following the redirect (HTTP {status}) to `{location}`: {reason}")]
    Redirect {
        /// The redirect's status, such as `303`.
        status: u16,
        /// Its `Location`, as sent (empty when there was none).
        location: String,
        /// Why it was not followed.
        reason: String,
    },
}

/// What became of a request that failed: whether the service acted on it.
///
/// A caller deciding whether to send a write again asks [`Error::outcome`]: only
/// [`NotApplied`](Outcome::NotApplied) makes that safe.
///
/// ```
/// use graph_entity_runtime::{Error, error::Outcome};
///
/// fn safe_to_resend(error: &Error) -> bool {
///     error.outcome() == Outcome::NotApplied
/// }
/// # let _ = safe_to_resend;
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Outcome {
    /// The service did not act on the request: it refused it, throttled it, or it was never
    /// sent. Sending it again is safe.
    NotApplied,
    /// The service may or may not have acted: the answer was lost, a gateway timed out, or a
    /// `$batch` item's answer is missing or ambiguous. Check the service before sending again.
    Unknown,
    /// The service acted (it answered with success) but its answer could not be read. Do not
    /// send it again.
    Applied,
}

/// Why the client stopped retrying: which setting of the [`RetryPolicy`](crate::client::RetryPolicy)
/// was reached, so that the caller knows which one to change.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum GiveUp {
    /// Every retry the policy allows was made.
    MaxRetries {
        /// The policy's [`max_retries`](crate::client::RetryPolicy::max_retries).
        max_retries: u32,
    },
    /// The next wait would take the total past the policy's limit.
    MaxTotalDelay {
        /// The wait that was due.
        wait: std::time::Duration,
        /// Waited so far.
        waited: std::time::Duration,
        /// The policy's [`max_total_delay`](crate::client::RetryPolicy::max_total_delay).
        limit: std::time::Duration,
    },
    /// The service asked to wait longer than the policy's longest single wait.
    RetryAfterTooLong {
        /// The wait the service asked for (`Retry-After`).
        asked: std::time::Duration,
        /// The policy's [`max_delay`](crate::client::RetryPolicy::max_delay).
        max_delay: std::time::Duration,
    },
}

impl fmt::Display for GiveUp {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            GiveUp::MaxRetries { max_retries } => write!(
                f,
                "the retry policy allows {max_retries} retr{} (RetryPolicy::max_retries)",
                if *max_retries == 1 { "y" } else { "ies" }
            ),
            GiveUp::MaxTotalDelay { wait, waited, limit } => write!(
                f,
                "waiting {} more after {} would pass the retry policy's total of {} (RetryPolicy::max_total_delay)",
                seconds(*wait),
                seconds(*waited),
                seconds(*limit)
            ),
            GiveUp::RetryAfterTooLong { asked, max_delay } => write!(
                f,
                "the service asked to wait {} (Retry-After), longer than the retry policy's longest wait of {} (RetryPolicy::max_delay)",
                seconds(*asked),
                seconds(*max_delay)
            ),
        }
    }
}

fn seconds(duration: std::time::Duration) -> String {
    format!("{} s", (duration.as_secs_f64() * 1000.0).round() / 1000.0)
}

fn unreadable_success(
    status: u16,
    location: Option<&str>,
    id: Option<&str>,
    source: &Error,
) -> String {
    let mut text = format!(
        "the service answered HTTP {status}, so the request took effect, but the answer could not be read"
    );
    if let Some(id) = id {
        text.push_str(&format!(" (id `{id}`)"));
    }
    if let Some(location) = location {
        text.push_str(&format!(" (Location `{location}`)"));
    }
    text.push_str(&format!("; do not send it again: {source}"));
    text
}

fn list_invalid(invalid: &[(usize, Error)]) -> String {
    let mut text: Vec<String> =
        invalid.iter().take(10).map(|(index, error)| format!("#{index}: {error}")).collect();
    if invalid.len() > 10 {
        text.push(format!("and {} more", invalid.len() - 10));
    }
    text.join("; ")
}

fn unexpected(status: u16, content_type: Option<&str>, snippet: &str) -> String {
    let content_type = content_type.unwrap_or("no content type");
    if snippet.is_empty() {
        format!("HTTP {status} with an empty body ({content_type})")
    } else {
        format!("HTTP {status} with a body that is not a Graph error ({content_type}): {snippet:?}")
    }
}

impl Error {
    /// The HTTP status of the response, when there was one.
    pub fn status(&self) -> Option<u16> {
        match self {
            Error::RetriesExhausted { last, .. } | Error::UnknownOutcome { source: last, .. } => {
                last.status()
            }
            Error::Batch(error) => error.status(),
            Error::UnreadableSuccess { status, .. } | Error::Redirect { status, .. } => {
                Some(*status)
            }
            Error::Graph(e) | Error::NotFound(e) | Error::DeltaExpired(e) => Some(e.status),
            Error::UnexpectedResponse { status, .. } | Error::ResponseTooLarge { status, .. } => {
                Some(*status)
            }
            Error::Decode(e) => e.status,
            _ => None,
        }
    }

    /// Whether the service acted on the request: decides whether sending a write again is safe
    /// (only for [`Outcome::NotApplied`]).
    ///
    /// ```
    /// use graph_entity_runtime::{Error, error::Outcome};
    ///
    /// assert_eq!(Error::MissingSubResponse.outcome(), Outcome::Unknown);
    /// assert_eq!(Error::Config("x".into()).outcome(), Outcome::NotApplied);
    /// ```
    pub fn outcome(&self) -> Outcome {
        match self {
            Error::UnknownOutcome { .. }
            | Error::MissingSubResponse
            | Error::AmbiguousSubResponse { .. } => Outcome::Unknown,
            Error::UnreadableSuccess { .. } => Outcome::Applied,
            Error::RetriesExhausted { last, .. } => last.outcome(),
            // The `$batch` envelope took effect, or may have: each of its items may or may not
            // have.
            Error::Batch(error) => match error.outcome() {
                Outcome::NotApplied => Outcome::NotApplied,
                Outcome::Unknown | Outcome::Applied => Outcome::Unknown,
            },
            _ => Outcome::NotApplied,
        }
    }

    /// Whether the service said the entity, or a parent in its path, does not exist (`404`).
    pub fn is_not_found(&self) -> bool {
        match self {
            Error::NotFound(_) => true,
            Error::RetriesExhausted { last, .. } => last.is_not_found(),
            Error::Batch(error) => error.is_not_found(),
            _ => false,
        }
    }

    /// Whether the request may or may not have taken effect ([`Outcome::Unknown`]): check the
    /// service before creating again.
    pub fn is_unknown_outcome(&self) -> bool {
        self.outcome() == Outcome::Unknown
    }

    /// The Graph error, when the service answered with one.
    pub fn as_graph(&self) -> Option<&GraphError> {
        match self {
            Error::Graph(e) | Error::NotFound(e) | Error::DeltaExpired(e) => Some(e),
            Error::RetriesExhausted { last, .. } | Error::UnknownOutcome { source: last, .. } => {
                last.as_graph()
            }
            Error::Batch(error) => error.as_graph(),
            _ => None,
        }
    }
}

impl From<GraphError> for Error {
    /// [`Error::NotFound`] for a `404`, [`Error::Graph`] otherwise.
    fn from(error: GraphError) -> Self {
        if error.status == 404 {
            Error::NotFound(Box::new(error))
        } else {
            Error::Graph(Box::new(error))
        }
    }
}

impl From<DecodeError> for Error {
    fn from(error: DecodeError) -> Self {
        Error::Decode(Box::new(error))
    }
}

/// An error in Microsoft Graph's format:
/// `{"error": {"code", "message", "details", "innerError": {"request-id", "date", …}}}`.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct GraphError {
    /// The HTTP status code.
    pub status: u16,
    /// Graph's error code, such as `ResourceNotFound`: branch on this, not on the message.
    pub code: String,
    /// The developer message (not localized).
    pub message: String,
    /// The target of the error, when Graph names one.
    pub target: Option<String>,
    /// Nested details, in order.
    pub details: Vec<ErrorDetail>,
    /// The `request-id` header, or `innerError.request-id`: quote it to Microsoft support.
    pub request_id: Option<String>,
    /// The `client-request-id` header, or `innerError.client-request-id`.
    pub client_request_id: Option<String>,
    /// `innerError.date` (Graph writes it without an offset), or the `Date` header.
    pub date: Option<String>,
    /// How long the service asked to wait before retrying (`Retry-After`), when it did.
    pub retry_after: Option<std::time::Duration>,
}

impl fmt::Display for GraphError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Graph error {} {}: {}", self.status, self.code, self.message)?;
        if let Some(target) = &self.target {
            write!(f, " (target `{target}`)")?;
        }
        for detail in &self.details {
            write!(f, "; {}: {}", detail.code, detail.message)?;
        }
        if let Some(id) = &self.request_id {
            write!(f, " [request-id {id}]")?;
        }
        Ok(())
    }
}

impl std::error::Error for GraphError {}

/// One entry of a Graph error's `details`.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct ErrorDetail {
    /// The detail's code.
    pub code: String,
    /// The detail's message.
    pub message: String,
    /// The detail's target, when present.
    pub target: Option<String>,
}

/// The body of a success response does not match the expected type.
///
/// It keeps the body and names the JSON path of the problem, such as `devicesCount` or
/// `value[3].status`.
#[derive(Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct DecodeError {
    /// The Rust type that was expected.
    pub type_name: &'static str,
    /// The JSON path where decoding failed; empty for the document itself.
    pub path: String,
    /// What is wrong, without the position.
    pub message: String,
    /// Line of the problem in the body (1-based; 0 when unknown).
    pub line: usize,
    /// Column of the problem in the body (1-based; 0 when unknown).
    pub column: usize,
    /// The HTTP status, when the body came from a response.
    pub status: Option<u16>,
    /// The whole body.
    pub body: Vec<u8>,
}

impl fmt::Display for DecodeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "cannot decode {}", short_type_name(self.type_name))?;
        if !self.path.is_empty() {
            write!(f, " at `{}`", self.path)?;
        }
        write!(f, ": {}", self.message)?;
        if self.line > 0 {
            write!(f, " (line {}, column {})", self.line, self.column)?;
        }
        Ok(())
    }
}

impl fmt::Debug for DecodeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("DecodeError")
            .field("type_name", &self.type_name)
            .field("path", &self.path)
            .field("message", &self.message)
            .field("line", &self.line)
            .field("column", &self.column)
            .field("status", &self.status)
            .field("body", &snippet(&self.body))
            .finish()
    }
}

impl std::error::Error for DecodeError {}

fn short_type_name(name: &str) -> &str {
    // `graph_entity::intune::Foo` -> `Foo`, but keep generics readable.
    match name.find('<') {
        Some(_) => name,
        None => name.rsplit("::").next().unwrap_or(name),
    }
}

/// The most bytes of a body kept in error messages.
pub const SNIPPET_LEN: usize = 1024;

/// The start of a body, lossily decoded: at most [`SNIPPET_LEN`] bytes of text, cut at a
/// character boundary, plus `…` when cut. (Invalid bytes decode to three-byte U+FFFD, so the
/// bound applies to the text, not to the bytes read.)
pub(crate) fn snippet(body: &[u8]) -> String {
    let text = String::from_utf8_lossy(&body[..body.len().min(SNIPPET_LEN)]);
    let mut out = String::with_capacity(SNIPPET_LEN + 3);
    for c in text.chars() {
        if out.len() + c.len_utf8() > SNIPPET_LEN {
            break;
        }
        out.push(c);
    }
    if out.len() < text.len() || body.len() > SNIPPET_LEN {
        out.push('…');
    }
    out
}

/// An entity breaks rules the compiler cannot check. Lists every problem at once.
///
/// ```
/// # use graph_entity_runtime::error::{ValidationError, Violation};
/// # fn f(error: ValidationError) {
/// for violation in &error.violations {
///     match violation {
///         Violation::MissingRequired { property } => eprintln!("set `{property}`"),
///         other => eprintln!("{other}"),
///     }
/// }
/// # }
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct ValidationError {
    /// The `@odata.type` of the entity, such as `#microsoft.graph.user`.
    pub entity: &'static str,
    /// Every problem found, in field order.
    pub violations: Vec<Violation>,
}

impl ValidationError {
    /// The JSON names of the required properties that are missing.
    pub fn missing(&self) -> impl Iterator<Item = &'static str> + '_ {
        self.violations.iter().filter_map(|v| match v {
            Violation::MissingRequired { property } => Some(*property),
            _ => None,
        })
    }
}

impl fmt::Display for ValidationError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "invalid {}: ", self.entity)?;
        let missing: Vec<_> = self.missing().collect();
        let mut first = true;
        if !missing.is_empty() {
            let noun = if missing.len() == 1 { "property" } else { "properties" };
            write!(f, "missing required {noun} ")?;
            write_list(f, &missing)?;
            first = false;
        }
        for violation in &self.violations {
            if !matches!(violation, Violation::MissingRequired { .. }) {
                if !first {
                    f.write_str("; ")?;
                }
                write!(f, "{violation}")?;
                first = false;
            }
        }
        Ok(())
    }
}

impl std::error::Error for ValidationError {}

/// One problem found by `validate()`.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum Violation {
    /// A `#[graph(required)]` property is `None`.
    MissingRequired {
        /// Its JSON name.
        property: &'static str,
    },
    /// The `#[graph(extra)]` map has a key that a declared field (or `@odata.type`) writes:
    /// sending both would repeat the key.
    ExtraShadowsProperty {
        /// The key.
        property: String,
    },
}

impl fmt::Display for Violation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Violation::MissingRequired { property } => {
                write!(f, "missing required property `{property}`")
            }
            Violation::ExtraShadowsProperty { property } => write!(
                f,
                "extra property `{property}` has the name of a declared property; set the field instead"
            ),
        }
    }
}

pub(crate) fn write_list(f: &mut impl fmt::Write, names: &[&str]) -> fmt::Result {
    for (i, name) in names.iter().enumerate() {
        if i > 0 {
            f.write_str(", ")?;
        }
        write!(f, "`{name}`")?;
    }
    Ok(())
}

/// A path argument cannot fill its placeholder.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum PathError {
    /// The argument is empty: the path would lose a segment.
    #[error("the argument for path placeholder `{{{placeholder}}}` is empty")]
    Empty {
        /// The placeholder's name.
        placeholder: &'static str,
    },
    /// The argument makes its segment `.` or `..`, which URL parsers remove.
    #[error(
        "the argument for path placeholder `{{{placeholder}}}` makes a `.` or `..` segment, which would change the endpoint"
    )]
    DotSegment {
        /// The placeholder's name.
        placeholder: &'static str,
    },
    /// The number of arguments differs from the number of placeholders.
    #[error("path `{template}` has {expected} placeholder(s) but {found} argument(s) were given")]
    ArgumentCount {
        /// The path template.
        template: &'static str,
        /// Placeholders in the template.
        expected: usize,
        /// Arguments given.
        found: usize,
    },
}

/// Authentication failed: the token endpoint's error (`invalid_client`, `invalid_scope` …) with
/// its description, or why no token could be had. Never contains a secret.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("authentication failed: {code}: {description}")]
#[non_exhaustive]
pub struct AuthError {
    /// The HTTP status of the token endpoint's answer, when there was one.
    pub status: Option<u16>,
    /// The OAuth error code, such as `invalid_client`.
    pub code: String,
    /// The description, such as `AADSTS7000215: Invalid client secret provided …`.
    pub description: String,
}

impl AuthError {
    /// An error with this status, code and description.
    pub fn new(
        status: Option<u16>,
        code: impl Into<String>,
        description: impl Into<String>,
    ) -> Self {
        Self { status, code: code.into(), description: description.into() }
    }
}

/// A request the access token cannot make: what it needs by Microsoft's permissions reference
/// and what the token holds ([`Error::MissingPermission`]).
///
/// Only with the `client` feature.
#[cfg(feature = "client")]
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct MissingPermission {
    /// The request's method, such as `POST`.
    pub method: &'static str,
    /// The request's path template, such as
    /// `/deviceAppManagement/mobileAppConfigurations/{id}/userStatuses`.
    pub path: String,
    /// The least privileged permission that works for the token's scheme (application or
    /// delegated), when the reference names one.
    pub least: Option<&'static str>,
    /// Every permission that works for the token's scheme (never empty: a request the
    /// reference lists no permission of the scheme for is not refused).
    pub works: &'static [&'static str],
    /// The permissions the token holds (its `roles`, or its `scp` for a delegated token).
    pub held: Vec<String>,
    /// Whether the token is app-only (holds application permissions) rather than delegated.
    pub application: bool,
}

#[cfg(feature = "client")]
impl std::error::Error for MissingPermission {}

#[cfg(feature = "client")]
impl fmt::Display for MissingPermission {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        /// The most names of the token's shown.
        const SHOWN: usize = 8;
        let scheme = if self.application { "application" } else { "delegated" };
        write!(f, "{} {} needs ", self.method, self.path)?;
        match (self.least, self.works.len()) {
            (Some(least), 1) => write!(f, "the {scheme} permission {least}")?,
            (Some(least), n) => write!(
                f,
                "the {scheme} permission {least} (the least privileged of the {n} that work: {})",
                self.works.join(", ")
            )?,
            (None, _) => write!(f, "one of the {scheme} permissions {}", self.works.join(", "))?,
        }
        let held = &self.held;
        if held.is_empty() {
            f.write_str("; the token holds none")?;
        } else {
            let shown: Vec<&str> = held.iter().take(SHOWN).map(String::as_str).collect();
            write!(f, "; the token holds {}", shown.join(", "))?;
            if held.len() > SHOWN {
                write!(f, " and {} more", held.len() - SHOWN)?;
            }
        }
        f.write_str("; nothing was sent")
    }
}

/// The request could not be sent, or its answer not received.
///
/// Only with the `client` feature.
///
/// Wraps the HTTP client's error without exposing its type, so that the HTTP stack can evolve
/// without breaking this API. The URL in the message holds no secret: tokens travel in headers.
#[cfg(feature = "client")]
#[derive(Debug, thiserror::Error)]
#[error("{inner}")]
pub struct TransportError {
    #[source]
    inner: reqwest::Error,
}

#[cfg(feature = "client")]
impl TransportError {
    pub(crate) fn new(inner: reqwest::Error) -> Self {
        Self { inner }
    }

    /// The request timed out.
    pub fn is_timeout(&self) -> bool {
        self.inner.is_timeout()
    }

    /// The connection could not be made.
    pub fn is_connect(&self) -> bool {
        self.inner.is_connect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Found by the `error_body` fuzz target: invalid bytes decode to three-byte U+FFFD, so a
    /// snippet cut by bytes read could be three times the bound.
    #[test]
    fn a_snippet_is_bounded_whatever_the_bytes() {
        for body in [
            vec![0xff; 5000],
            vec![b'x'; 5000],
            "\u{1f600}".repeat(1000).into_bytes(),
            vec![0xff; 10],
        ] {
            let text = snippet(&body);
            assert!(text.len() <= SNIPPET_LEN + '…'.len_utf8(), "{}", text.len());
        }
        assert_eq!(snippet(b"short"), "short");
        assert!(snippet(&[b'a'; 2000]).ends_with('…'));
    }
}
