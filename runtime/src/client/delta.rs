//! Changes to a collection, read through its `delta` function: the first round gives every
//! entity, each later one (from the [`DeltaLink`] the round before ended with) what was created,
//! changed or removed since. A round is a [`Stream`] of [`Change`]s read a page at a time, so
//! that memory holds one page.

use std::collections::{HashSet, VecDeque};
use std::fmt;
use std::ops::Range;
use std::pin::Pin;
use std::task::{Context, Poll, ready};

use futures_util::Stream;
use futures_util::future::BoxFuture;
use reqwest::Method;
use serde_json::value::RawValue;

use super::Client;
use super::pages::next_page;
use crate::entity::{GraphEntity, PathArgs, Tracked};
use crate::error::{DecodeError, Error};
use crate::query::Query;
use crate::transport::options::{Needs, RequestOptions};
use crate::transport::response::decode;
use crate::wire::from_text;

/// Where a round of changes ended, to read the next round from: the `@odata.deltaLink` of its
/// last page. Store it (it serializes as the link, a string) and give it to
/// [`DeltaOperations::delta_from`] to read what changed since.
///
/// ```
/// use graph_entity_runtime::client::DeltaLink;
///
/// let link = DeltaLink::from("https://graph.microsoft.com/v1.0/users/delta?$deltatoken=abc".to_owned());
/// let stored = serde_json::to_string(&link)?;
/// assert_eq!(serde_json::from_str::<DeltaLink>(&stored)?, link);
/// # Ok::<(), serde_json::Error>(())
/// ```
#[derive(Clone, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
#[serde(transparent)]
pub struct DeltaLink(String);

impl DeltaLink {
    /// The link, as Graph wrote it.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl From<String> for DeltaLink {
    fn from(link: String) -> Self {
        DeltaLink(link)
    }
}

impl From<DeltaLink> for String {
    fn from(link: DeltaLink) -> Self {
        link.0
    }
}

impl fmt::Debug for DeltaLink {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_tuple("DeltaLink").field(&self.0).finish()
    }
}

impl fmt::Display for DeltaLink {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// One change of a round: an entity created or changed (with the declared properties), or one
/// that left the collection.
#[derive(Debug, Clone, PartialEq)]
pub enum Change<E> {
    /// The entity was created or changed since the round before (every entity, in the first
    /// round).
    Changed(E),
    /// The entity left the collection (`@removed`).
    Removed {
        /// Its key.
        id: String,
        /// Why, as Graph says.
        reason: RemovedReason,
    },
}

/// Why an entity left a collection, as `@removed.reason` says.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum RemovedReason {
    /// `changed`: it can come back, as a deleted user or group can be restored for 30 days
    /// (directory objects), or it moved out of what the round reads.
    Changed,
    /// `deleted`: it is gone for good.
    Deleted,
    /// A reason this version does not know, as written.
    Other(String),
}

impl RemovedReason {
    fn from_wire(reason: Option<String>) -> Self {
        match reason.as_deref() {
            Some("changed") => RemovedReason::Changed,
            Some("deleted") => RemovedReason::Deleted,
            _ => RemovedReason::Other(reason.unwrap_or_default()),
        }
    }
}

/// A round of changes: a [`Stream`] of [`Change`]s, each page fetched when the one before is
/// used up, through `@odata.nextLink`; once the stream has ended without an error,
/// [`delta_link`](Self::delta_link) is where the next round starts.
///
/// Paging is guarded as a [`List`](super::List)'s: a link to another origin, a page already
/// read or too many pages end the round with an error. An expired link is
/// [`Error::DeltaExpired`]: start over with [`DeltaOperations::delta`]. After an error the
/// stream ends, without a delta link: read the round again from where it started.
///
/// ```no_run
/// # use graph_entity_runtime::{Client, Error, GraphEntity};
/// # use graph_entity_runtime::client::{Change, DeltaOperations};
/// # use graph_entity_runtime::entity::Tracked;
/// # async fn run<U>(client: &Client) -> Result<(), Error>
/// # where U: Tracked + for<'a> GraphEntity<PathArgs<'a> = ()> + std::fmt::Debug {
/// let mut round = U::delta(client, ());
/// while let Some(change) = round.next().await {
///     match change? {
///         Change::Changed(user) => println!("changed: {user:?}"),
///         Change::Removed { id, reason } => println!("removed: {id} ({reason:?})"),
///         _ => {}
///     }
/// }
/// let link = round.delta_link().expect("the round ended").clone();
/// // Later: what changed since.
/// let changes = U::delta_from(client, &link).collect_all().await?;
/// # Ok(()) }
/// ```
#[must_use = "a stream does nothing until polled"]
pub struct Delta<'c, E> {
    client: &'c Client,
    template: &'static str,
    /// What each page's request needs.
    needs: Option<Needs>,
    /// The next page's URL, or the error that stops the stream after the changes read.
    next: Option<Result<String, Error>>,
    fetch: Option<BoxFuture<'c, Result<DeltaPage, Error>>>,
    /// The current page's body, and where its items not yet taken are in it.
    body: String,
    /// Whether the current page mentions `@removed`.
    removals: bool,
    buffer: VecDeque<Range<usize>>,
    /// The items of the current page taken from the buffer.
    taken: usize,
    seen: HashSet<u64>,
    pages: usize,
    link: Option<DeltaLink>,
    _entity: std::marker::PhantomData<fn() -> E>,
}

// Nothing in a `Delta` is pinned: its page sits in a heap buffer and its fetch is boxed.
impl<E> Unpin for Delta<'_, E> {}

impl<E> fmt::Debug for Delta<'_, E> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Delta")
            .field("template", &self.template)
            .field("pages", &self.pages)
            .field("buffered", &self.buffer.len())
            .field("delta_link", &self.link)
            .finish_non_exhaustive()
    }
}

/// One page of a round: its body, where its items are in it (each decoded when it is taken),
/// and the link that follows.
struct DeltaPage {
    /// The body, checked UTF-8 once: its items are read as text, not validated again.
    body: String,
    items: Vec<Range<usize>>,
    /// Whether `"@removed"` is anywhere in the page: only then is each item probed for it.
    removals: bool,
    next_link: Option<String>,
    delta_link: Option<String>,
}

/// A page as read: its items as they are written in its body.
#[derive(serde::Deserialize)]
struct Written<'a> {
    #[serde(borrow)]
    value: Vec<&'a RawValue>,
    #[serde(rename = "@odata.nextLink")]
    next_link: Option<String>,
    #[serde(rename = "@odata.deltaLink")]
    delta_link: Option<String>,
}

/// A page's shape, to name where a page that cannot be read is wrong.
#[derive(serde::Deserialize)]
#[allow(dead_code)]
struct Shape {
    value: Vec<serde::de::IgnoredAny>,
    #[serde(rename = "@odata.nextLink")]
    next_link: Option<String>,
    #[serde(rename = "@odata.deltaLink")]
    delta_link: Option<String>,
}

impl DeltaPage {
    /// The page in `body`, a success with `status`: one pass that finds the items without
    /// decoding them.
    fn read(status: u16, body: Vec<u8>) -> Result<DeltaPage, Error> {
        // Read again to name where it is wrong.
        let wrong = |body: &[u8]| {
            decode::<Shape>(status, body).err().unwrap_or_else(|| Error::Paging {
                pages: 0,
                reason: "a page of changes could not be read".into(),
            })
        };
        let body = match String::from_utf8(body) {
            Ok(body) => body,
            // Decoded as any JSON value, whose strings are checked: the error says where.
            Err(error) => {
                let body = error.as_bytes();
                return Err(decode::<serde_json::Value>(status, body)
                    .err()
                    .unwrap_or_else(|| wrong(body)));
            }
        };
        let page = match serde_json::from_str::<Written<'_>>(&body) {
            Ok(page) => page,
            Err(_) => return Err(wrong(body.as_bytes())),
        };
        let start = body.as_ptr() as usize;
        let items = page
            .value
            .iter()
            .map(|raw| {
                let at = raw.get().as_ptr() as usize - start;
                at..at + raw.get().len()
            })
            .collect();
        let (next_link, delta_link) = (page.next_link, page.delta_link);
        let removals = body.contains("\"@removed\"");
        Ok(DeltaPage { body, items, removals, next_link, delta_link })
    }
}

/// Whether an item's JSON text has the key `@removed` (or the text, in a string): only then is
/// it read for it.
fn mentions_removed(text: &[u8]) -> bool {
    let mut rest = text;
    while let Some(at) = rest.iter().position(|&b| b == b'@') {
        if at > 0 && rest[at - 1] == b'"' && rest[at + 1..].starts_with(b"removed\"") {
            return true;
        }
        rest = &rest[at + 1..];
    }
    false
}

/// What tells a removal from a change: `@removed`, and the key.
#[derive(serde::Deserialize)]
struct Probe {
    #[serde(rename = "@removed")]
    removed: Option<Removed>,
    id: Option<String>,
}

#[derive(serde::Deserialize)]
struct Removed {
    reason: Option<String>,
}

impl<'c, E: GraphEntity> Delta<'c, E> {
    pub(crate) fn new(client: &'c Client, first: Result<String, Error>) -> Self {
        let seen = first.as_ref().map(|url| HashSet::from([super::pages::hash(url)])).ok();
        Delta {
            client,
            template: E::PATH.as_str(),
            needs: Needs::new("GET", E::PATH.as_str(), E::PERMISSIONS.delta)
                .map(|n| n.suffix("/delta")),
            next: Some(first),
            fetch: None,
            body: String::new(),
            removals: false,
            buffer: VecDeque::new(),
            taken: 0,
            seen: seen.unwrap_or_default(),
            pages: 0,
            link: None,
            _entity: std::marker::PhantomData,
        }
    }

    /// The next change: `None` at the end of the round.
    ///
    /// # Errors
    ///
    /// The error of a page's request or of its response ([`Error::DeltaExpired`] for an
    /// expired link), or of the paging itself.
    pub async fn next(&mut self) -> Option<Result<Change<E>, Error>> {
        std::future::poll_fn(|cx| Pin::new(&mut *self).poll_next(cx)).await
    }

    /// Every change of the round, in memory, and the link to the next round.
    ///
    /// # Errors
    ///
    /// The first error of the stream.
    pub async fn collect_all(mut self) -> Result<(Vec<Change<E>>, DeltaLink), Error> {
        let mut all = Vec::new();
        while let Some(change) = self.next().await {
            all.push(change?);
        }
        match self.link {
            Some(link) => Ok((all, link)),
            None => Err(Error::Paging {
                pages: self.pages,
                reason: "the last page has no `@odata.deltaLink`".into(),
            }),
        }
    }

    /// Where the next round starts: the last page's `@odata.deltaLink`, once the stream has
    /// ended without an error.
    pub fn delta_link(&self) -> Option<&DeltaLink> {
        self.link.as_ref()
    }

    /// The pages read so far.
    pub fn pages(&self) -> usize {
        self.pages
    }

    /// Reads the item at `index` of its page; an error names it by its JSON path
    /// (`value[3].displayName`).
    fn change(index: usize, item: &str, removals: bool) -> Result<Change<E>, Error> {
        let at = |mut error: DecodeError| {
            let inner = std::mem::take(&mut error.path);
            let dot = if inner.is_empty() || inner.starts_with('[') { "" } else { "." };
            error.path = format!("value[{index}]{dot}{inner}");
            error.status = Some(200);
            Error::from(error)
        };
        if removals && mentions_removed(item.as_bytes()) {
            let probe: Probe = from_text(item).map_err(at)?;
            if let Some(removed) = probe.removed {
                return Ok(Change::Removed {
                    id: probe.id.unwrap_or_default(),
                    reason: RemovedReason::from_wire(removed.reason),
                });
            }
        }
        from_text::<E>(item).map(Change::Changed).map_err(at)
    }
}

impl<E: GraphEntity> Stream for Delta<'_, E> {
    type Item = Result<Change<E>, Error>;

    fn poll_next(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        let this = self.get_mut();
        loop {
            if let Some(item) = this.buffer.pop_front() {
                let index = this.taken;
                this.taken += 1;
                let text = this.body.get(item).unwrap_or_default();
                return Poll::Ready(Some(Self::change(index, text, this.removals)));
            }
            if let Some(fetch) = &mut this.fetch {
                let page = ready!(fetch.as_mut().poll(cx));
                this.fetch = None;
                this.pages += 1;
                match page {
                    Ok(page) => {
                        this.buffer = page.items.into();
                        this.body = page.body;
                        this.removals = page.removals;
                        this.taken = 0;
                        match (page.next_link, page.delta_link) {
                            (Some(link), _) => {
                                this.next =
                                    Some(next_page(this.client, link, this.pages, &mut this.seen));
                            }
                            (None, Some(link)) => this.link = Some(DeltaLink(link)),
                            (None, None) => {
                                this.next = Some(Err(Error::Paging {
                                    pages: this.pages,
                                    reason: "a page of changes has neither `@odata.nextLink` nor `@odata.deltaLink`".into(),
                                }));
                            }
                        }
                    }
                    Err(error) => return Poll::Ready(Some(Err(error))),
                }
                continue;
            }
            match this.next.take() {
                None => return Poll::Ready(None),
                Some(Err(error)) => return Poll::Ready(Some(Err(error))),
                Some(Ok(url)) => {
                    let (client, template, needs) = (this.client, this.template, this.needs);
                    this.fetch = Some(Box::pin(async move {
                        let options = RequestOptions { needs, ..RequestOptions::default() };
                        let answer = client
                            .transport()
                            .execute(Method::GET, template, url, None, &options)
                            .await
                            .map_err(expired)?;
                        DeltaPage::read(answer.status, answer.body)
                    }));
                }
            }
        }
    }
}

/// `410 Gone` on a round's page: its token expired (`syncStateNotFound`, `resyncRequired`).
fn expired(error: Error) -> Error {
    match error {
        Error::Graph(graph) if graph.status == 410 => Error::DeltaExpired(graph),
        other => other,
    }
}

/// Reading a collection's changes, for every entity whose collection has Graph's `delta`
/// function ([`Tracked`]): users, groups, applications, service principals, contacts …
///
/// Implemented for every such entity; bring it into scope with `use graph_entity::prelude::*`.
///
/// ```no_run
/// use graph_entity_runtime::{Client, Error, GraphEntity};
/// use graph_entity_runtime::client::{DeltaLink, DeltaOperations};
/// use graph_entity_runtime::entity::Tracked;
///
/// /// Reads what changed since `stored` (everything, the first time); the link to store.
/// async fn sync<U>(client: &Client, stored: Option<DeltaLink>) -> Result<DeltaLink, Error>
/// where
///     U: Tracked + for<'a> GraphEntity<PathArgs<'a> = ()>,
/// {
///     let round = match &stored {
///         Some(link) => U::delta_from(client, link),
///         None => U::delta(client, ()),
///     };
///     let (changes, link) = match round.collect_all().await {
///         Err(Error::DeltaExpired(_)) => U::delta(client, ()).collect_all().await?,
///         other => other?,
///     };
///     println!("{} changes", changes.len());
///     Ok(link)
/// }
/// ```
pub trait DeltaOperations: Tracked {
    /// The first round: every entity of the collection, selecting the declared properties
    /// (`GET {path}/delta?$select=…`), ending with the link to the next round.
    fn delta<'c>(client: &'c Client, args: Self::PathArgs<'_>) -> Delta<'c, Self> {
        client.delta::<Self>(args.segments().as_ref())
    }

    /// The round after the one that ended with `link`: what was created, changed or removed
    /// since.
    fn delta_from<'c>(client: &'c Client, link: &DeltaLink) -> Delta<'c, Self> {
        client.delta_from::<Self>(link)
    }
}

impl<E: Tracked> DeltaOperations for E {}

impl Client {
    /// The first round of changes of the collection at `E::PATH` filled with `path_args`:
    /// every entity, selecting the declared properties. See [`Delta`].
    ///
    /// A path error is the stream's first and only item.
    pub fn delta<E: Tracked>(&self, path_args: &[&str]) -> Delta<'_, E> {
        Delta::new(self, self.collection_url::<E>(path_args, "/delta", &Query::new()))
    }

    /// The round of changes after the one that ended with `link`. A link to another origin than
    /// the client's is not followed ([`Error::UntrustedNextLink`]): the token would go with it;
    /// nor is one that is not a round of `E`'s collection ([`Error::DeltaLinkMismatch`]).
    pub fn delta_from<E: Tracked>(&self, link: &DeltaLink) -> Delta<'_, E> {
        let mut seen = HashSet::new();
        let template = E::PATH.as_str();
        let first = self.available::<E>().and_then(|()| {
            let base = self.transport().root_of(E::PATH.version())?;
            if !is_round_of(base, template, &link.0) {
                let link = link.0.clone();
                return Err(Error::DeltaLinkMismatch { link, template });
            }
            next_page(self, link.0.clone(), 0, &mut seen)
        });
        Delta::new(self, first)
    }
}

/// Whether `link` is a round of the collection at `template` under the service root `base`:
/// `{base}{template, each placeholder one segment}/delta`, then its query. A link to another
/// origin passes here, to be refused as untrusted; one to the same origin under another root
/// (another Graph version's) does not.
fn is_round_of(base: &str, template: &str, link: &str) -> bool {
    let Some(rest) = link.strip_prefix(base) else {
        let origin = |url: &str| url::Url::parse(url).ok().map(|u| u.origin());
        let theirs = origin(link);
        return theirs.is_none() || theirs != origin(base);
    };
    let path = rest.split(['?', '#']).next().unwrap_or_default();
    let mut segments = path.trim_start_matches('/').split('/');
    let fits = template.trim_start_matches('/').split('/').all(|part| {
        segments.next().is_some_and(|segment| {
            !segment.is_empty() && (part.starts_with('{') || segment == part)
        })
    });
    let function = ["delta", "delta()", "microsoft.graph.delta", "microsoft.graph.delta()"];
    fits && segments.next().is_some_and(|last| function.contains(&last))
        && segments.next().is_none()
}

#[cfg(test)]
mod tests {
    use super::{DeltaPage, is_round_of};
    use crate::Error;

    #[test]
    fn a_page_is_checked_once_and_probed_for_removals_only_when_it_mentions_them() {
        let page =
            br#"{"value":[{"id":"a","displayName":"\u00e9"},{"id":"b"}],"@odata.nextLink":"n"}"#;
        let read = DeltaPage::read(200, page.to_vec()).unwrap();
        assert_eq!(read.items.len(), 2);
        assert!(!read.removals);
        assert_eq!(&read.body[read.items[1].clone()], r#"{"id":"b"}"#);
        let removed =
            br#"{"value":[{"id":"b","@removed":{"reason":"deleted"}}],"@odata.deltaLink":"d"}"#;
        assert!(DeltaPage::read(200, removed.to_vec()).unwrap().removals);
        // Bytes that are not UTF-8 are a decoding error, not a panic.
        let mut invalid = br#"{"value":[{"id":""#.to_vec();
        invalid.extend([0xff, 0xfe]);
        invalid.extend(br#""}]}"#);
        let error = DeltaPage::read(200, invalid).err().unwrap();
        assert!(matches!(error, Error::Decode(_)), "{error:?}");
    }

    #[test]
    fn a_link_is_a_round_of_the_collection_it_names() {
        let base = "https://graph.microsoft.com/v1.0";
        let round =
            |link: &str, template: &str| is_round_of(base, template, &format!("{base}{link}"));
        assert!(round("/users/delta?$deltatoken=x", "/users"));
        assert!(round("/users/delta()?$deltatoken=x", "/users"));
        assert!(round("/users/u%201/todo/lists/delta?$skiptoken=y", "/users/{userId}/todo/lists"));
        assert!(!round("/groups/delta?$deltatoken=x", "/users"));
        assert!(!round("/users?$deltatoken=x", "/users"));
        assert!(!round("/users/delta/more", "/users"));
        assert!(!round("/users//todo/lists/delta", "/users/{userId}/todo/lists"));
        assert!(!round("/users/u/todo/tasks/delta", "/users/{userId}/todo/lists"));
        // Another origin is for the origin check to refuse.
        assert!(is_round_of(base, "/users", "https://example.net/v1.0/groups/delta"));
        // Another version's round is not this collection's: a v1.0 declaration never follows
        // a link to beta, nor a beta one a link to v1.0.
        assert!(!is_round_of(base, "/users", "https://graph.microsoft.com/beta/users/delta?x=1"));
        let beta = "https://graph.microsoft.com/beta";
        assert!(!is_round_of(beta, "/users", &format!("{base}/users/delta?x=1")));
    }
}
