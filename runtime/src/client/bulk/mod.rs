//! Creating, updating and deleting many entities: JSON batching (`$batch`, 20 requests a round
//! trip, [`batch`] has the wire format) or one request each, with bounded concurrency. One result
//! per input, in input order; nothing dropped, nothing sent twice unless it is safe: each item
//! goes through the same retry rule as a single call, with an exchange of its own.

mod batch;

use std::sync::Arc;
use std::time::Duration;

use bytes::Bytes;
use futures_util::stream::{self, StreamExt as _};
use reqwest::Method;

use super::Client;
use crate::entity::{GraphEntity, GraphPatch, InCollection, Throttling};
use crate::error::Error;
use crate::operation::{Decoded, GraphAction, decode_result, decode_whole};
use crate::pace::{Pacer, Rate};
use crate::retry::rule::{Decision, Event, Exchange, Request};
use crate::retry::{RetryPolicy, retry_after};
use crate::transport::client_request_id;
use crate::transport::options::{Needs, RequestOptions};
use crate::transport::response::{parse_error, unreadable, updated, written};
use batch::{Prepared, SubResponse};

/// Graph's limit on requests in one `$batch`.
pub const MAX_BATCH_SIZE: usize = 20;

/// How [`Client::create_many`] sends its requests.
///
/// ```
/// use graph_entity_runtime::client::BulkOptions;
///
/// let batched = BulkOptions::default(); // $batch of 20, 4 batches in flight
/// let single = BulkOptions::default().batching(false).concurrency(16);
/// # let _ = (batched, single);
/// ```
#[derive(Clone)]
pub struct BulkOptions {
    batching: bool,
    batch_size: usize,
    concurrency: usize,
    retry: Option<RetryPolicy>,
    rate: Option<Rate>,
    progress: Option<Arc<dyn Fn(Progress) + Send + Sync>>,
}

/// Where a bulk operation stands, as [`BulkOptions::on_progress`] reports it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub struct Progress {
    /// Items finished, succeeded or failed.
    pub done: usize,
    /// Items in all.
    pub total: usize,
    /// The time the rest should take: at the paced rate when the client paces its writes,
    /// else at the pace so far; `None` before anything finished.
    pub eta: Option<Duration>,
}

impl std::fmt::Debug for BulkOptions {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("BulkOptions")
            .field("batching", &self.batching)
            .field("batch_size", &self.batch_size)
            .field("concurrency", &self.concurrency)
            .field("retry", &self.retry)
            .field("rate", &self.rate)
            .field("progress", &self.progress.is_some())
            .finish()
    }
}

impl Default for BulkOptions {
    /// Batches of 20 through `$batch`, 4 requests in flight.
    fn default() -> Self {
        Self {
            batching: true,
            batch_size: MAX_BATCH_SIZE,
            concurrency: 4,
            retry: None,
            rate: None,
            progress: None,
        }
    }
}

impl BulkOptions {
    /// Whether to group creations into `$batch` requests (default) or send one request each.
    pub fn batching(mut self, batching: bool) -> Self {
        self.batching = batching;
        self
    }

    /// Requests per batch, from 1 to 20 (default 20).
    pub fn batch_size(mut self, size: usize) -> Self {
        self.batch_size = size.clamp(1, MAX_BATCH_SIZE);
        self
    }

    /// Requests (batches, or single creations) in flight at once (default 4, at least 1).
    pub fn concurrency(mut self, concurrency: usize) -> Self {
        self.concurrency = concurrency.max(1);
        self
    }

    /// The retry policy, instead of the client's. Throttled items of a batch are sent again in
    /// a later batch after their own `Retry-After`; the policy bounds how many rounds.
    pub fn retry(mut self, policy: RetryPolicy) -> Self {
        self.retry = Some(policy);
        self
    }

    /// Called as items finish, with the number finished (succeeded or failed) and the total:
    /// to drive a progress bar, and the paced time still to go.
    pub fn on_progress(mut self, progress: impl Fn(Progress) + Send + Sync + 'static) -> Self {
        self.progress = Some(Arc::new(progress));
        self
    }

    /// Paces the client's writes to `requests` in any `per` window, from this call on (Intune
    /// documents 100 in 20 s per app): the client's limiter is shared by every call made
    /// through it, single or bulk. Batches carry no more items than the window allows.
    pub fn rate(mut self, requests: u32, per: Duration) -> Self {
        self.rate = Some(Rate::new(requests, per));
        self
    }
}

/// Reads an item's success: its status, body and `Location`.
type Decoder<T> = fn(u16, &[u8], Option<String>) -> Result<T, Error>;

/// How one kind of bulk operation sends and reads its items.
struct Operation<T> {
    /// The route template: for tracing, and the version its requests go to.
    path: crate::entity::PathTemplate,
    /// What the retry rule needs to know of each item.
    request: Request,
    /// The documented limit of the entities' service: what paces the items.
    throttling: Option<Throttling>,
    /// The permissions that work for each item, checked against the token before any is sent.
    needs: Option<Needs>,
    decode: Decoder<T>,
}

/// An action's result, from one `$batch` item (or a response); a collection must be whole.
fn invoked<A: GraphAction>(
    status: u16,
    body: &[u8],
    location: Option<String>,
) -> Result<A::Output, Error> {
    match decode_result::<A::Output>(A::RESULT, status, body, location.clone())? {
        Decoded::Done(output) => Ok(output),
        Decoded::Page(items, None) => {
            let all = serde_json::to_vec(&items).map_err(Error::Encode)?;
            decode_whole(status, &all, location)
        }
        Decoded::Page(_, Some(_)) => {
            let paging = Error::Paging {
                pages: 1,
                reason: "the result continues on more pages (`@odata.nextLink`), which a `$batch` item cannot follow: invoke this one alone".to_owned(),
            };
            Err(unreadable(status, location, body, paging))
        }
    }
}

/// A deletion: any success.
fn deleted(_: u16, _: &[u8], _: Option<String>) -> Result<(), Error> {
    Ok(())
}

/// What one bulk run sends and how.
struct Run<'a, T> {
    /// The service root of the items' version.
    root: &'a str,
    prepared: &'a [Option<Prepared>],
    operation: &'a Operation<T>,
    options: &'a BulkOptions,
    policy: &'a RetryPolicy,
    reporter: &'a Reporter<'a>,
}

impl<T> Clone for Run<'_, T> {
    fn clone(&self) -> Self {
        *self
    }
}

impl<T> Copy for Run<'_, T> {}

/// Reports progress with an estimate of the time left.
struct Reporter<'a> {
    options: &'a BulkOptions,
    pacer: Option<&'a Pacer>,
    started: tokio::time::Instant,
    total: usize,
}

impl Reporter<'_> {
    fn report(&self, done: usize) {
        let Some(progress) = &self.options.progress else { return };
        let remaining = self.total.saturating_sub(done);
        let eta = self.pacer.and_then(|pacer| pacer.eta(remaining)).or_else(|| {
            (done > 0).then(|| self.started.elapsed().mul_f64(remaining as f64 / done as f64))
        });
        progress(Progress { done, total: self.total, eta });
    }
}

impl Client {
    /// Creates every entity of `items`, each with its path arguments, and returns one result
    /// per input in input order.
    ///
    /// Every input is validated (required properties, path arguments, encoding) before the
    /// first request; if any is invalid nothing is sent and the error lists each invalid input
    /// by index. With batching (the default) creations travel 20 to a `$batch` request; a
    /// throttled (`429`) or unavailable (`503`) item is sent again in a later batch after its
    /// own `Retry-After`, while any other failure is that item's error. An item whose outcome
    /// cannot be known (its batch's answer was lost) is reported so
    /// ([`Error::is_unknown_outcome`]), never resent.
    ///
    /// ```no_run
    /// # use graph_entity_runtime::{Client, client::BulkOptions, entity::InCollection};
    /// # async fn run<E: InCollection>(client: &Client, statuses: Vec<E>, configuration_id: &str) -> Result<(), graph_entity_runtime::Error> {
    /// let results = client.create_many(statuses.into_iter().map(|s| (s, [configuration_id])), &BulkOptions::default()).await?;
    /// let failed = results.iter().filter(|r| r.is_err()).count();
    /// # Ok(()) }
    /// ```
    ///
    /// # Errors
    ///
    /// [`Error::MissingPermission`] (the token cannot make these requests, nothing is sent);
    /// [`Error::InvalidInputs`] when any input is invalid; otherwise `Ok` with each item's own
    /// result.
    pub async fn create_many<E, I, A, S>(
        &self,
        items: I,
        options: &BulkOptions,
    ) -> Result<Vec<Result<E, Error>>, Error>
    where
        E: InCollection,
        I: IntoIterator<Item = (E, A)>,
        A: AsRef<[S]>,
        S: AsRef<str>,
    {
        self.available::<E>()?;
        let prepared = prepare(items.into_iter().map(|(entity, args)| {
            let args: Vec<&str> = args.as_ref().iter().map(AsRef::as_ref).collect();
            entity.validate()?;
            let path = E::PATH.render(&args)?;
            let body = serde_json::to_vec(&crate::entity::Body(&entity)).map_err(Error::Encode)?;
            Ok(Some((Method::POST, path, Some(Bytes::from(body)))))
        }))?;
        let operation = Operation {
            path: E::PATH,
            request: Request::write(false),
            throttling: E::THROTTLING,
            needs: Needs::new("POST", E::PATH.as_str(), E::PERMISSIONS.create),
            decode: written::<E>,
        };
        self.transport().permitted(operation.needs.as_ref()).await?;
        self.run_many(prepared, &operation, options).await
    }

    /// Updates many entities: each input is a patch, its path arguments and the entity's key;
    /// one result per input, in input order (`Ok(None)` for `204 No Content`, as Graph mostly
    /// answers). An empty patch is not sent.
    ///
    /// Sent as [`create_many`](Self::create_many) sends, with one difference: an update holds
    /// absolute values, so an item throttled, answered `504` or whose `$batch` answer was lost
    /// is sent again (an item resent after an attempt that may have acted, and not confirmed,
    /// is an unknown outcome).
    ///
    /// # Errors
    ///
    /// [`Error::MissingPermission`] (the token cannot make these requests, nothing is sent);
    /// [`Error::InvalidInputs`] when any input's path arguments or key are invalid; otherwise
    /// `Ok` with each item's own result.
    pub async fn update_many<P, I, A, S>(
        &self,
        items: I,
        options: &BulkOptions,
    ) -> Result<Vec<Result<Option<P::Entity>, Error>>, Error>
    where
        P: GraphPatch,
        P::Entity: InCollection,
        I: IntoIterator<Item = (P, A, S)>,
        A: AsRef<[S]>,
        S: AsRef<str>,
    {
        self.available::<P::Entity>()?;
        let template = <P::Entity as GraphEntity>::PATH;
        let prepared = prepare(items.into_iter().map(|(patch, args, id)| {
            let path = entity_path(template, args.as_ref(), id.as_ref())?;
            if patch.is_empty() {
                return Ok(None);
            }
            let body = serde_json::to_vec(&patch).map_err(Error::Encode)?;
            Ok(Some((Method::PATCH, path, Some(Bytes::from(body)))))
        }))?;
        let operation = Operation {
            path: template,
            request: Request::write(true),
            throttling: <P::Entity as GraphEntity>::THROTTLING,
            needs: Needs::new(
                "PATCH",
                template.as_str(),
                <P::Entity as GraphEntity>::PERMISSIONS.update,
            )
            .map(|n| n.suffix("/{id}")),
            decode: updated::<P::Entity>,
        };
        self.transport().permitted(operation.needs.as_ref()).await?;
        self.run_many(prepared, &operation, options).await
    }

    /// Deletes many entities of type `E`: each input is its path arguments and the entity's
    /// key; one result per input, in input order. Sent and resent as
    /// [`update_many`](Self::update_many); an item resent after an attempt that may have acted
    /// and then answered `404` was deleted by that attempt: `Ok(())`.
    ///
    /// # Errors
    ///
    /// [`Error::MissingPermission`] (the token cannot make these requests, nothing is sent);
    /// [`Error::InvalidInputs`] when any input's path arguments or key are invalid; otherwise
    /// `Ok` with each item's own result ([`Error::NotFound`] for an entity that does not exist).
    pub async fn delete_many<E, I, A, S>(
        &self,
        items: I,
        options: &BulkOptions,
    ) -> Result<Vec<Result<(), Error>>, Error>
    where
        E: InCollection,
        I: IntoIterator<Item = (A, S)>,
        A: AsRef<[S]>,
        S: AsRef<str>,
    {
        self.available::<E>()?;
        let prepared = prepare(items.into_iter().map(|(args, id)| {
            let path = entity_path(E::PATH, args.as_ref(), id.as_ref())?;
            Ok(Some((Method::DELETE, path, None)))
        }))?;
        let operation = Operation {
            path: E::PATH,
            request: Request::DELETE,
            throttling: E::THROTTLING,
            needs: Needs::new("DELETE", E::PATH.as_str(), E::PERMISSIONS.delete)
                .map(|n| n.suffix("/{id}")),
            decode: deleted,
        };
        self.transport().permitted(operation.needs.as_ref()).await?;
        self.run_many(prepared, &operation, options).await
    }

    /// Invokes many actions of type `A`: each input is the action (its parameters) and its
    /// path arguments; one result per input, in input order (`()` for an action without a
    /// result).
    ///
    /// Sent as [`create_many`](Self::create_many) sends, paced as the path's service's writes
    /// (a device action as Intune devices'): an item throttled or unavailable is sent again
    /// later; one whose `$batch` answer was lost, or answered `504`, is sent again only for an
    /// action declared idempotent ([`GraphAction::IDEMPOTENT`]), else it is an unknown outcome.
    /// A result that is a collection continuing on more pages cannot be followed from inside a
    /// `$batch`: that item is [`Error::UnreadableSuccess`] (the action took effect), never a
    /// truncated collection.
    ///
    /// ```no_run
    /// # use graph_entity_runtime::{Client, client::BulkOptions, operation::GraphAction};
    /// # async fn run<A>(client: &Client, action: A, devices: &[&str]) -> Result<(), graph_entity_runtime::Error>
    /// # where A: GraphAction + Clone {
    /// let items = devices.iter().map(|id| (action.clone(), [*id]));
    /// for (id, result) in devices.iter().zip(client.invoke_many(items, &BulkOptions::default()).await?) {
    ///     if let Err(error) = result {
    ///         eprintln!("{id}: {error}");
    ///     }
    /// }
    /// # Ok(()) }
    /// ```
    ///
    /// # Errors
    ///
    /// [`Error::MissingPermission`] (the token cannot make these requests, nothing is sent);
    /// [`Error::NotInCloud`]; [`Error::InvalidInputs`] when any input's path arguments or
    /// parameters are invalid; otherwise `Ok` with each item's own result.
    pub async fn invoke_many<A, I, P, S>(
        &self,
        items: I,
        options: &BulkOptions,
    ) -> Result<Vec<Result<A::Output, Error>>, Error>
    where
        A: GraphAction,
        I: IntoIterator<Item = (A, P)>,
        P: AsRef<[S]>,
        S: AsRef<str>,
    {
        self.available_in(A::AVAILABILITY)?;
        let prepared = prepare(items.into_iter().map(|(action, args)| {
            let args: Vec<&str> = args.as_ref().iter().map(AsRef::as_ref).collect();
            let path = A::PATH.render(&args)?;
            let body = serde_json::to_vec(&action).map_err(Error::Encode)?;
            Ok(Some((Method::POST, path, Some(Bytes::from(body)))))
        }))?;
        let operation = Operation {
            path: A::PATH,
            request: Request::write(A::IDEMPOTENT),
            throttling: A::THROTTLING,
            needs: Needs::new("POST", A::PATH.as_str(), A::PERMISSIONS),
            decode: invoked::<A>,
        };
        self.transport().permitted(operation.needs.as_ref()).await?;
        self.run_many(prepared, &operation, options).await
    }

    /// Sends prepared items (`None`: nothing to send, done at once) and returns one result each;
    /// [`Error::Config`] before sending any when the client cannot reach their version.
    async fn run_many<T: Send>(
        &self,
        prepared: Vec<Option<Prepared>>,
        operation: &Operation<T>,
        options: &BulkOptions,
    ) -> Result<Vec<Result<T, Error>>, Error> {
        let root = self.transport().root_of(operation.path.version())?;
        let total = prepared.len();
        let mut results: Vec<Option<Result<T, Error>>> = prepared
            .iter()
            .map(|item| item.is_none().then(|| (operation.decode)(204, b"", None)))
            .collect();
        let policy = options.retry.clone().unwrap_or_else(|| self.retry_policy().clone());
        let pacers = &self.transport().pacers;
        let pacer = match options.rate {
            Some(rate) => Some(pacers.pace(operation.throttling, rate)),
            None => pacers.get(operation.throttling),
        };
        let reporter = Reporter {
            options,
            pacer: pacer.as_deref(),
            started: tokio::time::Instant::now(),
            total,
        };
        let pending: Vec<usize> = (0..total).filter(|&i| prepared[i].is_some()).collect();
        if options.batching {
            let run = Run {
                root,
                prepared: &prepared,
                operation,
                options,
                policy: &policy,
                reporter: &reporter,
            };
            self.run_batched(&run, pending, &mut results).await;
        } else {
            let call = RequestOptions {
                throttling: operation.throttling,
                needs: operation.needs,
                ..RequestOptions::default().retry(policy)
            };
            let mut done = total - pending.len();
            let mut answers = stream::iter(pending)
                .map(|index| {
                    let call = &call;
                    let item = prepared[index].as_ref();
                    async move {
                        let Some(item) = item else {
                            return (index, Err(Error::MissingSubResponse));
                        };
                        let transport = self.transport();
                        let url = format!("{root}{}", item.path);
                        let result = transport
                            .execute(
                                item.method.clone(),
                                operation.path.as_str(),
                                url,
                                item.body.clone(),
                                call,
                            )
                            .await
                            .and_then(|answer| {
                                (operation.decode)(answer.status, &answer.body, answer.location)
                            });
                        (index, result)
                    }
                })
                .buffer_unordered(options.concurrency);
            while let Some((index, result)) = answers.next().await {
                results[index] = Some(result);
                done += 1;
                reporter.report(done);
            }
        }
        Ok(results.into_iter().map(|r| r.unwrap_or(Err(Error::MissingSubResponse))).collect())
    }

    async fn run_batched<T: Send>(
        &self,
        run: &Run<'_, T>,
        mut pending: Vec<usize>,
        results: &mut [Option<Result<T, Error>>],
    ) {
        let Run { root, prepared, operation, options, policy, reporter } = *run;
        let pacer = reporter.pacer;
        let total = prepared.len();
        let mut done = total - pending.len();
        // Each item's history, as the retry rule keeps it for a single call.
        let mut exchanges = vec![Exchange::new(operation.request); total];
        // A batch of repeatable items is itself safe to resend when its answer is lost.
        let outer = RequestOptions {
            throttling: operation.throttling,
            needs: operation.needs,
            ..RequestOptions::default()
                .retry(policy.clone())
                .idempotent(operation.request.repeatable)
        };
        while !pending.is_empty() {
            // No more items in one batch than the pacer lets through in a window.
            let size = match pacer.and_then(Pacer::limit) {
                Some(limit) => options.batch_size.min(limit as usize).max(1),
                None => options.batch_size,
            };
            let chunks: Vec<Vec<usize>> = pending.chunks(size).map(<[usize]>::to_vec).collect();
            let mut batches = stream::iter(chunks)
                .map(|chunk| self.send_batch(root, chunk, prepared, &outer))
                .buffer_unordered(options.concurrency);
            let mut again: Vec<usize> = Vec::new();
            let mut wait = Duration::ZERO;
            while let Some(answers) = batches.next().await {
                let mut throttled: Option<Option<Duration>> = None;
                let mut refused = 0u32;
                for (index, answer) in answers {
                    let exchange = &mut exchanges[index];
                    let result = match answer {
                        Answered::Item { status, body, location, retry_after, error, resent } => {
                            if resent {
                                exchange.mark_uncertain();
                            }
                            if status == 429 {
                                throttled = Some(throttled.flatten().max(retry_after));
                                refused += 1;
                            }
                            let event = match error {
                                None => Event::Succeeded,
                                Some(_) => {
                                    Event::Refused { status, retry_after, expired_token: false }
                                }
                            };
                            match (exchange.decide(event, policy), error) {
                                (Decision::Resend { after }, _) => {
                                    wait = wait.max(after);
                                    again.push(index);
                                    continue;
                                }
                                (Decision::Gone, _) => (operation.decode)(204, b"", None),
                                (Decision::GiveUp(verdict), Some(error)) => {
                                    Err(verdict.apply(error))
                                }
                                // A success is `Done`; an item has no token of its own to
                                // refresh, so a refusal is the error.
                                (_, None) => (operation.decode)(status, &body, location),
                                (_, Some(error)) => Err(error),
                            }
                        }
                        // Missing or ambiguous in the batch's answer: it may or may not have
                        // taken effect.
                        Answered::Unplaced(error) => Err(error),
                        // The batch failed as a whole: the item as the batch left it.
                        Answered::BatchFailed(error) => {
                            Err(exchange.abandon().apply(Error::Batch(error)))
                        }
                    };
                    results[index] = Some(result);
                    done += 1;
                }
                // Once per batch: its throttled items are one signal, not many, and pause the
                // pacer no longer than a call waits.
                if let (Some(after), Some(pacer)) = (throttled, pacer) {
                    pacer.throttled(after.map(|d| d.min(policy.max_delay_value())), refused);
                }
                reporter.report(done);
            }
            drop(batches);
            if again.is_empty() {
                break;
            }
            // Paced, the pacer holds the items back as long as the service needs (its
            // `Retry-After`, or the window): no backoff on top.
            let wait = if pacer.and_then(Pacer::limit).is_some() { Duration::ZERO } else { wait };
            tracing::debug!(
                throttled = again.len(),
                wait_ms = wait.as_millis(),
                "retrying batch items"
            );
            tokio::time::sleep(wait).await;
            again.sort_unstable();
            pending = again;
        }
    }

    /// Sends one `$batch` of the items `chunk` and finds each item's answer.
    async fn send_batch(
        &self,
        root: &str,
        chunk: Vec<usize>,
        prepared: &[Option<Prepared>],
        options: &RequestOptions,
    ) -> Vec<(usize, Answered)> {
        let body = batch::body(&chunk, prepared);
        // The batch counts each of its items against the throttling limit.
        let options = &RequestOptions {
            permits: Some(u32::try_from(chunk.len()).unwrap_or(u32::MAX)),
            ..options.clone()
        };
        let transport = self.transport();
        let all = |error: Error| {
            let error = Arc::new(error);
            chunk.iter().map(|&i| (i, Answered::BatchFailed(Arc::clone(&error)))).collect()
        };
        // A `$batch`'s items are relative to its own version's root.
        let url = format!("{root}/$batch");
        let answer =
            match transport.execute(Method::POST, "/$batch", url, Some(body), options).await {
                Ok(answer) => answer,
                Err(error) => return all(error),
            };
        let responses = match batch::parse(&answer.body) {
            Ok(responses) => responses,
            // The batch was received and acted on, item by item: each may or may not have
            // taken effect.
            Err(error) => {
                let message = error.to_string();
                let decode = Error::from(crate::error::DecodeError {
                    type_name: "$batch response",
                    path: String::new(),
                    message,
                    line: error.line(),
                    column: error.column(),
                    status: Some(answer.status),
                    body: answer.body.clone(),
                });
                return all(unreadable(answer.status, answer.location, &answer.body, decode));
            }
        };
        let resent = answer.resent;
        batch::match_responses(&chunk, responses)
            .into_iter()
            .map(|(index, answer)| {
                let answered = match answer {
                    Ok(response) => Answered::item(response, resent),
                    Err(error) => Answered::Unplaced(error),
                };
                (index, answered)
            })
            .collect()
    }
}

/// What a `$batch` said of one of its items.
enum Answered {
    /// The item's own answer: its status, body and `Location`, its `Retry-After`, the error when
    /// it is not a success, and whether the batch was resent after an attempt that may have
    /// acted (then so may this item's).
    Item {
        status: u16,
        body: Vec<u8>,
        location: Option<String>,
        retry_after: Option<Duration>,
        error: Option<Error>,
        resent: bool,
    },
    /// Missing or ambiguous in the batch's answer.
    Unplaced(Error),
    /// The batch failed as a whole.
    BatchFailed(Arc<Error>),
}

impl Answered {
    fn item(response: SubResponse<'_>, resent: bool) -> Answered {
        let SubResponse { status, ref headers, body } = response;
        let error = (!(200..300).contains(&status)).then(|| parse_error(status, headers, body));
        Answered::Item {
            status,
            body: body.to_vec(),
            location: response.location(),
            retry_after: retry_after(headers),
            error,
            resent,
        }
    }
}

/// `{path}/{id}`, the id percent-encoded as one segment.
fn entity_path<S: AsRef<str>>(
    template: crate::entity::PathTemplate,
    args: &[S],
    id: &str,
) -> Result<String, Error> {
    let args: Vec<&str> = args.iter().map(AsRef::as_ref).collect();
    let mut path = template.render(&args)?;
    crate::entity::path::push_segment(&mut path, "id", id)?;
    Ok(path)
}

/// Validates and encodes every input (`None`: nothing to send); every invalid one is reported
/// with its index.
fn prepare(
    items: impl Iterator<Item = Result<Option<(Method, String, Option<Bytes>)>, Error>>,
) -> Result<Vec<Option<Prepared>>, Error> {
    let mut prepared = Vec::new();
    let mut invalid = Vec::new();
    let mut total = 0;
    for (index, item) in items.enumerate() {
        total += 1;
        match item {
            Ok(item) => prepared.push(item.map(|(method, path, body)| Prepared {
                method,
                path,
                body,
                client_request_id: client_request_id().to_str().unwrap_or_default().to_owned(),
            })),
            Err(error) => invalid.push((index, error)),
        }
    }
    if invalid.is_empty() { Ok(prepared) } else { Err(Error::InvalidInputs { total, invalid }) }
}
