//! Creating, updating and deleting many entities: JSON batching (`$batch`, 20 requests a round trip) or one request
//! each, with bounded concurrency. One result per input, in input order; nothing dropped,
//! nothing sent twice unless it is safe.

use std::collections::HashMap;
use std::sync::Arc;
use std::time::Duration;

use bytes::Bytes;
use futures_util::stream::{self, StreamExt as _};
use reqwest::Method;
use reqwest::header::{HeaderMap, HeaderName, HeaderValue};
use serde::Deserialize;
use serde_json::value::RawValue;

use crate::client::Client;
use crate::entity::{GraphEntity, GraphPatch};
use crate::error::{Error, GiveUp};
use crate::pace::{Pacer, Rate};
use crate::response::{parse_error, unreadable, updated, written};
use crate::retry::{RequestOptions, RetryPolicy, StatusRule, retry_after, status_rule};
use crate::transport::client_request_id;

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

/// One input, ready to send.
struct Prepared {
    method: Method,
    /// The path below the service root, such as `/deviceAppManagement/…/userStatuses`.
    path: String,
    /// The body; `None` for a `DELETE`.
    body: Option<Bytes>,
    /// Stable across rounds, so the service can tell a retry of this item.
    client_request_id: String,
}

/// What became of one item in one round.
enum ItemOutcome<T> {
    Done(Result<T, Error>),
    Retry { after: Option<Duration>, error: Error, maybe_acted: bool },
}

/// Reads an item's success: its status, body and `Location`.
type Decoder<T> = fn(u16, &[u8], Option<String>) -> Result<T, Error>;

/// How one kind of bulk operation sends and reads its items.
struct Operation<T> {
    /// The route template, for tracing.
    template: &'static str,
    /// `PATCH` and `DELETE` are safe to repeat; `POST` is not.
    repeatable: bool,
    /// A `DELETE`: a `404` after an attempt that may have acted means that attempt deleted it.
    gone_is_done: bool,
    decode: Decoder<T>,
}

/// A deletion: any success.
fn deleted(_: u16, _: &[u8], _: Option<String>) -> Result<(), Error> {
    Ok(())
}

/// What one bulk run sends and how.
struct Run<'a, T> {
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
    pacer: &'a Pacer,
    started: tokio::time::Instant,
    total: usize,
}

impl Reporter<'_> {
    fn report(&self, done: usize) {
        let Some(progress) = &self.options.progress else { return };
        let remaining = self.total.saturating_sub(done);
        let eta = self.pacer.eta(remaining).or_else(|| {
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
    /// # use graph_entity_runtime::{Client, GraphEntity, client::BulkOptions};
    /// # async fn run<E: GraphEntity>(client: &Client, statuses: Vec<E>, configuration_id: &str) -> Result<(), graph_entity_runtime::Error> {
    /// let results = client.create_many(statuses.into_iter().map(|s| (s, [configuration_id])), &BulkOptions::default()).await?;
    /// let failed = results.iter().filter(|r| r.is_err()).count();
    /// # Ok(()) }
    /// ```
    ///
    /// # Errors
    ///
    /// [`Error::InvalidInputs`] when any input is invalid; otherwise `Ok` with each item's own
    /// result.
    pub async fn create_many<E, I, A, S>(
        &self,
        items: I,
        options: &BulkOptions,
    ) -> Result<Vec<Result<E, Error>>, Error>
    where
        E: GraphEntity,
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
            template: E::PATH.as_str(),
            repeatable: false,
            gone_is_done: false,
            decode: written::<E>,
        };
        Ok(self.run_many(prepared, &operation, options).await)
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
    /// [`Error::InvalidInputs`] when any input's path arguments or key are invalid; otherwise
    /// `Ok` with each item's own result.
    pub async fn update_many<P, I, A, S>(
        &self,
        items: I,
        options: &BulkOptions,
    ) -> Result<Vec<Result<Option<P::Entity>, Error>>, Error>
    where
        P: GraphPatch,
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
            template: template.as_str(),
            repeatable: true,
            gone_is_done: false,
            decode: updated::<P::Entity>,
        };
        Ok(self.run_many(prepared, &operation, options).await)
    }

    /// Deletes many entities of type `E`: each input is its path arguments and the entity's
    /// key; one result per input, in input order. Sent and resent as
    /// [`update_many`](Self::update_many); an item resent after an attempt that may have acted
    /// and then answered `404` was deleted by that attempt: `Ok(())`.
    ///
    /// # Errors
    ///
    /// [`Error::InvalidInputs`] when any input's path arguments or key are invalid; otherwise
    /// `Ok` with each item's own result ([`Error::NotFound`] for an entity that does not exist).
    pub async fn delete_many<E, I, A, S>(
        &self,
        items: I,
        options: &BulkOptions,
    ) -> Result<Vec<Result<(), Error>>, Error>
    where
        E: GraphEntity,
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
            template: E::PATH.as_str(),
            repeatable: true,
            gone_is_done: true,
            decode: deleted,
        };
        Ok(self.run_many(prepared, &operation, options).await)
    }

    /// Sends prepared items (`None`: nothing to send, done at once) and returns one result each.
    async fn run_many<T: Send>(
        &self,
        prepared: Vec<Option<Prepared>>,
        operation: &Operation<T>,
        options: &BulkOptions,
    ) -> Vec<Result<T, Error>> {
        let total = prepared.len();
        let mut results: Vec<Option<Result<T, Error>>> = prepared
            .iter()
            .map(|item| item.is_none().then(|| (operation.decode)(204, b"", None)))
            .collect();
        let policy = options.retry.clone().unwrap_or_else(|| self.retry_policy().clone());
        if let Some(rate) = options.rate {
            self.pacer().set_rate(rate);
        }
        let reporter =
            Reporter { options, pacer: self.pacer(), started: tokio::time::Instant::now(), total };
        let pending: Vec<usize> = (0..total).filter(|&i| prepared[i].is_some()).collect();
        if options.batching {
            let run = Run {
                prepared: &prepared,
                operation,
                options,
                policy: &policy,
                reporter: &reporter,
            };
            self.run_batched(&run, pending, &mut results).await;
        } else {
            let call = RequestOptions::default().retry(policy);
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
                        let url = transport.url(&item.path);
                        let result = transport
                            .execute(
                                item.method.clone(),
                                operation.template,
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
        results.into_iter().map(|r| r.unwrap_or(Err(Error::MissingSubResponse))).collect()
    }

    async fn run_batched<T: Send>(
        &self,
        run: &Run<'_, T>,
        mut pending: Vec<usize>,
        results: &mut [Option<Result<T, Error>>],
    ) {
        let Run { prepared, operation, options, policy, reporter } = *run;
        let total = prepared.len();
        let mut round: u32 = 0;
        let mut waited = Duration::ZERO;
        let mut done = total - pending.len();
        // Items whose earlier attempt may have acted (a `504`), by index.
        let mut maybe_acted = vec![false; total];
        // A batch of repeatable items is itself safe to resend when its answer is lost.
        let outer =
            RequestOptions::default().retry(policy.clone()).idempotent(operation.repeatable);
        while !pending.is_empty() {
            // No more items in one batch than the pacer lets through in a window.
            let size = match self.pacer().limit() {
                Some(limit) => options.batch_size.min(limit as usize).max(1),
                None => options.batch_size,
            };
            let chunks: Vec<Vec<usize>> = pending.chunks(size).map(<[usize]>::to_vec).collect();
            let maybe_acted_now = &maybe_acted;
            let mut batches = stream::iter(chunks)
                .map(|chunk| self.send_batch(chunk, prepared, operation, maybe_acted_now, &outer))
                .buffer_unordered(options.concurrency);
            let mut retry: Vec<(usize, Error, bool)> = Vec::new();
            let mut after: Option<Duration> = None;
            while let Some(outcomes) = batches.next().await {
                let mut throttled: Option<Option<Duration>> = None;
                let mut refused = 0u32;
                for (index, outcome) in outcomes {
                    match outcome {
                        ItemOutcome::Done(result) => {
                            results[index] = Some(result);
                            done += 1;
                        }
                        ItemOutcome::Retry { after: wait, error, maybe_acted } => {
                            after = after.max(wait);
                            if error.status() == Some(429) {
                                throttled = Some(throttled.flatten().max(wait));
                                refused += 1;
                            }
                            retry.push((index, error, maybe_acted));
                        }
                    }
                }
                // Once per batch: its throttled items are one signal, not many.
                if let Some(wait) = throttled {
                    self.pacer().throttled(wait, refused);
                }
                reporter.report(done);
            }
            drop(batches);
            if retry.is_empty() {
                break;
            }
            round += 1;
            match policy.wait(round, after, waited) {
                Ok(wait) => {
                    // Paced, the pacer holds the items back as long as the service needs (its
                    // `Retry-After`, or the window): no backoff on top.
                    let wait = if self.pacer().limit().is_some() { Duration::ZERO } else { wait };
                    tracing::debug!(
                        round,
                        throttled = retry.len(),
                        wait_ms = wait.as_millis(),
                        "retrying batch items"
                    );
                    tokio::time::sleep(wait).await;
                    waited += wait;
                    pending = retry
                        .into_iter()
                        .map(|(index, _, acted)| {
                            maybe_acted[index] |= acted;
                            index
                        })
                        .collect();
                    pending.sort_unstable();
                }
                Err(reason) => {
                    reporter.report(total);
                    for (index, error, acted) in retry {
                        let attempts = round;
                        let error = match reason {
                            GiveUp::MaxRetries { max_retries: 0 } => error,
                            reason => {
                                Error::RetriesExhausted { attempts, reason, last: Box::new(error) }
                            }
                        };
                        results[index] = Some(Err(if acted || maybe_acted[index] {
                            Error::UnknownOutcome { attempts, source: Box::new(error) }
                        } else {
                            error
                        }));
                    }
                    break;
                }
            }
        }
    }

    /// Sends one `$batch` of the items `chunk` and sorts out each item's outcome.
    async fn send_batch<T>(
        &self,
        chunk: Vec<usize>,
        prepared: &[Option<Prepared>],
        operation: &Operation<T>,
        maybe_acted: &[bool],
        options: &RequestOptions,
    ) -> Vec<(usize, ItemOutcome<T>)> {
        let body = batch_body(&chunk, prepared);
        // The batch counts each of its items against the throttling limit.
        let options = &RequestOptions {
            permits: Some(u32::try_from(chunk.len()).unwrap_or(u32::MAX)),
            ..options.clone()
        };
        let transport = self.transport();
        let url = transport.url("/$batch");
        let all = |error: Error| {
            let error = Arc::new(error);
            chunk
                .iter()
                .map(|&i| {
                    let failed = Error::Batch(Arc::clone(&error));
                    // An item an earlier round may have applied stays unknown.
                    let failed = if maybe_acted[i] {
                        Error::UnknownOutcome { attempts: 2, source: Box::new(failed) }
                    } else {
                        failed
                    };
                    (i, ItemOutcome::Done(Err(failed)))
                })
                .collect()
        };
        let answer =
            match transport.execute(Method::POST, "/$batch", url, Some(body), options).await {
                Ok(answer) => answer,
                Err(error) => return all(error),
            };
        let responses = match serde_json::from_slice::<BatchResponse<'_>>(&answer.body) {
            Ok(parsed) => parsed.responses,
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
        match_responses(&chunk, responses, |index, response| {
            sub_outcome(response, operation, resent || maybe_acted[index])
        })
    }
}

/// `{path}/{id}`, the id percent-encoded as one segment.
fn entity_path<S: AsRef<str>>(
    template: crate::path::PathTemplate,
    args: &[S],
    id: &str,
) -> Result<String, Error> {
    let args: Vec<&str> = args.iter().map(AsRef::as_ref).collect();
    let mut path = template.render(&args)?;
    crate::path::push_segment(&mut path, "id", id)?;
    Ok(path)
}

/// Each item's answer, by its id: the exact decimal index it was sent with. An item answered
/// twice, or under another spelling of its id (`"+0"`, `"00"`), is ambiguous; an item not
/// answered is missing; both may or may not have taken effect, and neither is resent.
fn match_responses<'a, T>(
    chunk: &[usize],
    responses: Vec<SubResponse<'a>>,
    outcome_of: impl Fn(usize, SubResponse<'a>) -> ItemOutcome<T>,
) -> Vec<(usize, ItemOutcome<T>)> {
    let mut by_index: HashMap<usize, Vec<SubResponse<'_>>> = HashMap::with_capacity(chunk.len());
    let mut aliased: HashMap<usize, String> = HashMap::new();
    // An answer that cannot be placed could belong to any item that did not succeed.
    let mut stray: Option<String> = None;
    for response in responses {
        // Read leniently (`" +00"` is 0), so that another spelling of an id is caught.
        let loose = response.id.trim().trim_start_matches('+').parse::<usize>().ok();
        let index = loose.filter(|index| chunk.contains(index));
        match index {
            Some(index) if response.id == index.to_string() => {
                by_index.entry(index).or_default().push(response);
            }
            Some(index) => {
                aliased.insert(index, response.id);
            }
            None => {
                tracing::warn!(id = %response.id, "a $batch response names an id that was not sent");
                stray.get_or_insert(response.id);
            }
        }
    }
    chunk
        .iter()
        .map(|&index| {
            let answers = by_index.remove(&index).unwrap_or_default();
            let ambiguous =
                |reason: String| ItemOutcome::Done(Err(Error::AmbiguousSubResponse { reason }));
            let outcome = if let Some(alias) = aliased.remove(&index) {
                ambiguous(format!("an answer has the id `{alias}`, another spelling of `{index}`"))
            } else if answers.len() > 1 {
                ambiguous(format!("the id `{index}` is answered {} times", answers.len()))
            } else {
                match answers.into_iter().next() {
                    None => ItemOutcome::Done(Err(Error::MissingSubResponse)),
                    Some(response) => match (outcome_of(index, response), &stray) {
                        // A success is this item's own: one request creates once.
                        (ok @ ItemOutcome::Done(Ok(_)), _) | (ok, None) => ok,
                        (_, Some(id)) => ambiguous(format!(
                            "the batch also answered an id that was not sent, `{id}`, which may be this item's"
                        )),
                    },
                }
            };
            (index, outcome)
        })
        .collect()
}

fn sub_outcome<T>(
    response: SubResponse<'_>,
    operation: &Operation<T>,
    maybe_acted: bool,
) -> ItemOutcome<T> {
    let body = response.body.map_or(&b""[..], |raw| raw.get().as_bytes());
    if (200..300).contains(&response.status) {
        // The item took effect, whatever its body says.
        let location =
            response.headers.iter().find(|(name, _)| name.eq_ignore_ascii_case("location"));
        let location = location.and_then(|(_, value)| value.as_str()).map(str::to_owned);
        return ItemOutcome::Done((operation.decode)(response.status, body, location));
    }
    let mut headers = HeaderMap::new();
    for (name, value) in &response.headers {
        let value = value.as_str().map_or_else(|| value.to_string(), str::to_owned);
        if let (Ok(name), Ok(value)) =
            (HeaderName::try_from(name.as_str()), HeaderValue::try_from(value))
        {
            headers.insert(name, value);
        }
    }
    let error = parse_error(response.status, &headers, body);
    // A resent deletion that finds nothing: the earlier attempt deleted it.
    if response.status == 404 && maybe_acted && operation.gone_is_done {
        return ItemOutcome::Done((operation.decode)(204, b"", None));
    }
    match status_rule(response.status, true, operation.repeatable) {
        // The service may have acted before failing, or before its gateway timed out.
        StatusRule::UnknownOutcome => {
            ItemOutcome::Done(Err(Error::UnknownOutcome { attempts: 1, source: Box::new(error) }))
        }
        StatusRule::Retry => ItemOutcome::Retry {
            after: retry_after(&headers),
            maybe_acted: crate::retry::may_have_acted(response.status),
            error,
        },
        // Refused after an attempt that may have acted: that attempt may have done it.
        StatusRule::Fail if maybe_acted => {
            ItemOutcome::Done(Err(Error::UnknownOutcome { attempts: 2, source: Box::new(error) }))
        }
        StatusRule::Fail => ItemOutcome::Done(Err(error)),
    }
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

/// `{"requests": [...]}` for the items `chunk`, each with its index as id; the entity bodies
/// are embedded as they were encoded, not encoded again.
fn batch_body(chunk: &[usize], prepared: &[Option<Prepared>]) -> Bytes {
    let items: Vec<(usize, &Prepared)> =
        chunk.iter().filter_map(|&i| prepared[i].as_ref().map(|item| (i, item))).collect();
    let size: usize = items
        .iter()
        .map(|(_, item)| item.body.as_ref().map_or(0, Bytes::len) + item.path.len() + 160)
        .sum();
    let mut out = Vec::with_capacity(size + 16);
    out.extend_from_slice(br#"{"requests":["#);
    for (n, (index, item)) in items.into_iter().enumerate() {
        if n > 0 {
            out.push(b',');
        }
        out.extend_from_slice(br#"{"id":""#);
        out.extend_from_slice(index.to_string().as_bytes());
        out.extend_from_slice(br#"","method":""#);
        out.extend_from_slice(item.method.as_str().as_bytes());
        out.extend_from_slice(br#"","url":"#);
        // Paths are percent-encoded ASCII; serde_json writes them as a JSON string.
        out.extend_from_slice(serde_json::to_string(&item.path).unwrap_or_default().as_bytes());
        out.extend_from_slice(br#","headers":{"#);
        if item.body.is_some() {
            out.extend_from_slice(br#""Content-Type":"application/json","#);
        }
        out.extend_from_slice(br#""client-request-id":""#);
        out.extend_from_slice(item.client_request_id.as_bytes());
        out.extend_from_slice(br#""}"#);
        if let Some(body) = &item.body {
            out.extend_from_slice(br#","body":"#);
            out.extend_from_slice(body);
        }
        out.push(b'}');
    }
    out.extend_from_slice(b"]}");
    Bytes::from(out)
}

#[derive(Deserialize)]
struct BatchResponse<'a> {
    #[serde(borrow)]
    responses: Vec<SubResponse<'a>>,
}

#[derive(Deserialize)]
struct SubResponse<'a> {
    id: String,
    status: u16,
    #[serde(default)]
    headers: serde_json::Map<String, serde_json::Value>,
    #[serde(borrow, default)]
    body: Option<&'a RawValue>,
}
