//! A collection read page by page: a [`Stream`] of entities that fetches the next page through
//! `@odata.nextLink` only when the current one is used up, so that memory holds one page.

use std::collections::{HashSet, VecDeque};
use std::pin::Pin;
use std::task::{Context, Poll, ready};

use futures_util::Stream;
use futures_util::future::BoxFuture;
use reqwest::{Method, Url};

use super::Client;
use crate::entity::GraphEntity;
use crate::error::Error;
use crate::transport::options::RequestOptions;

/// One page of a collection.
#[derive(serde::Deserialize)]
#[serde(bound = "E: serde::de::DeserializeOwned")]
struct Page<E> {
    value: Vec<E>,
    #[serde(rename = "@odata.nextLink")]
    next_link: Option<String>,
    #[serde(rename = "@odata.count")]
    count: Option<u64>,
}

/// The entities of a collection, as a [`Stream`]: each page is fetched when the one before is
/// used up, through `@odata.nextLink`.
///
/// A next link to another origin than the client's service root is not followed (the token
/// would go with it): that is [`Error::UntrustedNextLink`]. A next link that repeats a page
/// already read, or more pages than `ClientBuilder::max_pages`, end the stream with
/// [`Error::Paging`] rather than loop forever. After an error the stream ends.
///
/// ```no_run
/// # use graph_entity_runtime::{Client, Error, GraphEntity};
/// # async fn run<E: GraphEntity + std::fmt::Debug>(client: &Client) -> Result<(), Error> {
/// let mut entities = client.list::<E>(&["4b2a9c1e"]);
/// while let Some(entity) = entities.next().await {
///     println!("{:?}", entity?);
/// }
/// # Ok(()) }
/// ```
#[must_use = "a stream does nothing until polled"]
pub struct List<'c, E> {
    client: &'c Client,
    template: &'static str,
    options: RequestOptions,
    /// The next page's URL, or the error that stops the stream after the items read.
    next: Option<Result<String, Error>>,
    fetch: Option<BoxFuture<'c, Result<Page<E>, Error>>>,
    buffer: VecDeque<E>,
    /// Links already followed, by hash: bounded by the page cap.
    seen: HashSet<u64>,
    pages: usize,
    count: Option<u64>,
    /// Entities still to yield under `$top`: the stream ends there, whatever the pages say.
    remaining: Option<u64>,
}

// Nothing in a `List` is pinned: its entities sit in a heap buffer and its page future is boxed.
impl<E> Unpin for List<'_, E> {}

impl<E> std::fmt::Debug for List<'_, E> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("List")
            .field("template", &self.template)
            .field("pages", &self.pages)
            .field("buffered", &self.buffer.len())
            .finish_non_exhaustive()
    }
}

impl<'c, E: GraphEntity> List<'c, E> {
    /// The stream from `first`, the first page's URL (or the error to yield at once).
    pub(crate) fn new(
        client: &'c Client,
        first: Result<String, Error>,
        options: RequestOptions,
        top: Option<u64>,
    ) -> Self {
        let seen = first.as_ref().map(|url| HashSet::from([hash(url)])).unwrap_or_default();
        List {
            client,
            template: E::PATH.as_str(),
            options,
            next: Some(first),
            fetch: None,
            buffer: VecDeque::new(),
            seen,
            pages: 0,
            count: None,
            remaining: top,
        }
    }

    /// The next entity: `None` at the end of the collection.
    ///
    /// # Errors
    ///
    /// The error of a page's request or of its response, or of the paging itself.
    pub async fn next(&mut self) -> Option<Result<E, Error>> {
        std::future::poll_fn(|cx| Pin::new(&mut *self).poll_next(cx)).await
    }

    /// Every entity of the collection, in memory.
    ///
    /// # Errors
    ///
    /// The first error of the stream.
    pub async fn collect_all(mut self) -> Result<Vec<E>, Error> {
        let mut all = Vec::new();
        while let Some(entity) = self.next().await {
            all.push(entity?);
        }
        Ok(all)
    }

    /// `@odata.count`, once the first page is read, when the query asked for it
    /// (`Query::count(true)`).
    pub fn count(&self) -> Option<u64> {
        self.count
    }

    /// The pages read so far.
    pub fn pages(&self) -> usize {
        self.pages
    }

    /// Checks a next link and makes it the next page.
    fn follow(&mut self, link: String) {
        self.next = Some(next_page(self.client, link, self.pages, &mut self.seen));
    }
}

/// The URL of the page `link` names, after `pages` pages were read: a link to another origin
/// than the client's, past [`ClientBuilder::max_pages`](super::ClientBuilder::max_pages), or to
/// a page already read (`seen` holds their hashes) is refused. For collections and the
/// collections actions and functions return alike.
pub(super) fn next_page(
    client: &Client,
    link: String,
    pages: usize,
    seen: &mut HashSet<u64>,
) -> Result<String, Error> {
    let trusted = Url::parse(&link).is_ok_and(|u| u.origin() == client.transport().origin);
    let max_pages = client.max_pages();
    if !trusted {
        Err(Error::UntrustedNextLink { link })
    } else if pages >= max_pages {
        Err(Error::Paging {
            pages,
            reason: format!(
                "the collection has more than {max_pages} pages (ClientBuilder::max_pages)"
            ),
        })
    } else if !seen.insert(hash(&link)) {
        Err(Error::Paging {
            pages,
            reason: format!("`@odata.nextLink` repeats a page already read: {link}"),
        })
    } else {
        Ok(link)
    }
}

impl<E: GraphEntity> Stream for List<'_, E> {
    type Item = Result<E, Error>;

    fn poll_next(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        let this = self.get_mut();
        loop {
            if this.remaining == Some(0) {
                // `$top` reached: Graph may still link to more (it reads `$top` as a page size).
                this.buffer.clear();
                this.next = None;
                this.fetch = None;
                return Poll::Ready(None);
            }
            if let Some(entity) = this.buffer.pop_front() {
                if let Some(remaining) = &mut this.remaining {
                    *remaining -= 1;
                }
                return Poll::Ready(Some(Ok(entity)));
            }
            if let Some(fetch) = &mut this.fetch {
                let page = ready!(fetch.as_mut().poll(cx));
                this.fetch = None;
                this.pages += 1;
                match page {
                    Ok(page) => {
                        this.count = this.count.or(page.count);
                        this.buffer = page.value.into();
                        if let Some(link) = page.next_link {
                            this.follow(link);
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
                    let (client, template) = (this.client, this.template);
                    let options = this.options.clone();
                    this.fetch = Some(Box::pin(async move {
                        let transport = client.transport();
                        transport
                            .execute(Method::GET, template, url, None, &options)
                            .await?
                            .decode()
                    }));
                }
            }
        }
    }
}

/// A link's hash, to recognise it again without keeping it.
pub(super) fn hash(link: &str) -> u64 {
    use std::hash::{BuildHasher as _, BuildHasherDefault};
    BuildHasherDefault::<std::collections::hash_map::DefaultHasher>::default().hash_one(link)
}
