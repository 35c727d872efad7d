//! Creating many entities: JSON batching (`$batch`, 20 requests a round trip) or one request
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
use crate::entity::GraphEntity;
use crate::error::{Error, GiveUp};
use crate::response::{decode, parse_error, unreadable};
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
    progress: Option<Arc<dyn Fn(usize, usize) + Send + Sync>>,
}

impl std::fmt::Debug for BulkOptions {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("BulkOptions")
            .field("batching", &self.batching)
            .field("batch_size", &self.batch_size)
            .field("concurrency", &self.concurrency)
            .field("retry", &self.retry)
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
    /// to drive a progress bar.
    pub fn on_progress(mut self, progress: impl Fn(usize, usize) + Send + Sync + 'static) -> Self {
        self.progress = Some(Arc::new(progress));
        self
    }

    fn report(&self, done: usize, total: usize) {
        if let Some(progress) = &self.progress {
            progress(done, total);
        }
    }
}

/// One input, ready to send.
struct Prepared {
    /// The path below the service root, such as `/deviceAppManagement/…/userStatuses`.
    path: String,
    body: Bytes,
    /// Stable across rounds, so the service can tell a retry of this item.
    client_request_id: String,
}

/// What became of one item in one round.
enum ItemOutcome<E> {
    Done(Result<E, Error>),
    Retry { after: Option<Duration>, error: Error },
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
        let prepared = prepare(items)?;
        let policy = options.retry.clone().unwrap_or_else(|| self.retry_policy().clone());
        if options.batching {
            Ok(self.create_batched(&prepared, options, &policy).await)
        } else {
            let call = RequestOptions::default().retry(policy);
            let results = stream::iter(prepared.iter().enumerate())
                .map(|(index, item)| {
                    let call = &call;
                    async move {
                        let transport = self.transport();
                        let url = transport.url(&item.path);
                        let result = transport
                            .execute(
                                Method::POST,
                                E::TEMPLATE.as_str(),
                                url,
                                Some(item.body.clone()),
                                call,
                            )
                            .await;
                        (index, result.and_then(|answer| answer.decode_written::<E>()))
                    }
                })
                .buffer_unordered(options.concurrency)
                .collect::<Vec<_>>()
                .await;
            Ok(in_order(prepared.len(), results))
        }
    }

    async fn create_batched<E: GraphEntity>(
        &self,
        prepared: &[Prepared],
        options: &BulkOptions,
        policy: &RetryPolicy,
    ) -> Vec<Result<E, Error>> {
        let mut results: Vec<Option<Result<E, Error>>> =
            (0..prepared.len()).map(|_| None).collect();
        let mut pending: Vec<usize> = (0..prepared.len()).collect();
        let mut round: u32 = 0;
        let mut waited = Duration::ZERO;
        let mut done = 0;
        let outer = RequestOptions::default().retry(policy.clone());
        while !pending.is_empty() {
            let chunks: Vec<Vec<usize>> =
                pending.chunks(options.batch_size).map(<[usize]>::to_vec).collect();
            let mut batches = stream::iter(chunks)
                .map(|chunk| self.send_batch(chunk, prepared, &outer))
                .buffer_unordered(options.concurrency);
            let mut retry: Vec<(usize, Error)> = Vec::new();
            let mut after: Option<Duration> = None;
            while let Some(outcomes) = batches.next().await {
                for (index, outcome) in outcomes {
                    match outcome {
                        ItemOutcome::Done(result) => {
                            results[index] = Some(result);
                            done += 1;
                        }
                        ItemOutcome::Retry { after: wait, error } => {
                            after = after.max(wait);
                            retry.push((index, error));
                        }
                    }
                }
                options.report(done, prepared.len());
            }
            if retry.is_empty() {
                break;
            }
            round += 1;
            match policy.wait(round, after, waited) {
                Ok(wait) => {
                    tracing::debug!(
                        round,
                        throttled = retry.len(),
                        wait_ms = wait.as_millis(),
                        "retrying batch items"
                    );
                    tokio::time::sleep(wait).await;
                    waited += wait;
                    pending = retry.into_iter().map(|(index, _)| index).collect();
                    pending.sort_unstable();
                }
                Err(reason) => {
                    options.report(prepared.len(), prepared.len());
                    for (index, error) in retry {
                        let attempts = round;
                        results[index] = Some(Err(match reason {
                            GiveUp::MaxRetries { max_retries: 0 } => error,
                            reason => {
                                Error::RetriesExhausted { attempts, reason, last: Box::new(error) }
                            }
                        }));
                    }
                    break;
                }
            }
        }
        results.into_iter().map(|r| r.unwrap_or(Err(Error::MissingSubResponse))).collect()
    }

    /// Sends one `$batch` of the items `chunk` and sorts out each item's outcome.
    async fn send_batch<E: GraphEntity>(
        &self,
        chunk: Vec<usize>,
        prepared: &[Prepared],
        options: &RequestOptions,
    ) -> Vec<(usize, ItemOutcome<E>)> {
        let body = batch_body(&chunk, prepared);
        let transport = self.transport();
        let url = transport.url("/$batch");
        let all = |error: Error| {
            let error = Arc::new(error);
            chunk
                .iter()
                .map(|&i| (i, ItemOutcome::Done(Err(Error::Batch(Arc::clone(&error))))))
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
        match_responses(&chunk, responses)
    }
}

/// Each item's answer, by its id: the exact decimal index it was sent with. An item answered
/// twice, or under another spelling of its id (`"+0"`, `"00"`), is ambiguous; an item not
/// answered is missing; both may or may not have taken effect, and neither is resent.
fn match_responses<E: GraphEntity>(
    chunk: &[usize],
    responses: Vec<SubResponse<'_>>,
) -> Vec<(usize, ItemOutcome<E>)> {
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
                    Some(response) => match (sub_outcome(response), &stray) {
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

fn sub_outcome<E: GraphEntity>(response: SubResponse<'_>) -> ItemOutcome<E> {
    let body = response.body.map_or(&b""[..], |raw| raw.get().as_bytes());
    if (200..300).contains(&response.status) {
        // The item's `POST` took effect, whatever its body says.
        let location =
            response.headers.iter().find(|(name, _)| name.eq_ignore_ascii_case("location"));
        let location = location.and_then(|(_, value)| value.as_str()).map(str::to_owned);
        return ItemOutcome::Done(
            decode(response.status, body)
                .map_err(|error| unreadable(response.status, location, body, error)),
        );
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
    // Each item is a `POST`, not safe to repeat.
    match status_rule(response.status, false) {
        // The service may have acted before failing, or before its gateway timed out.
        StatusRule::UnknownOutcome => {
            ItemOutcome::Done(Err(Error::UnknownOutcome { attempts: 1, source: Box::new(error) }))
        }
        StatusRule::Retry => ItemOutcome::Retry { after: retry_after(&headers), error },
        StatusRule::Fail => ItemOutcome::Done(Err(error)),
    }
}

/// Validates and encodes every input; every invalid one is reported with its index.
fn prepare<E, I, A, S>(items: I) -> Result<Vec<Prepared>, Error>
where
    E: GraphEntity,
    I: IntoIterator<Item = (E, A)>,
    A: AsRef<[S]>,
    S: AsRef<str>,
{
    let mut prepared = Vec::new();
    let mut invalid = Vec::new();
    let mut total = 0;
    for (index, (entity, args)) in items.into_iter().enumerate() {
        total += 1;
        let args: Vec<&str> = args.as_ref().iter().map(AsRef::as_ref).collect();
        let checked = entity
            .validate()
            .map_err(Error::from)
            .and_then(|()| E::TEMPLATE.render(&args).map_err(Error::from))
            .and_then(|path| {
                serde_json::to_vec(&crate::entity::Body(&entity))
                    .map(|body| (path, body))
                    .map_err(Error::Encode)
            });
        match checked {
            Ok((path, body)) => prepared.push(Prepared {
                path,
                body: Bytes::from(body),
                client_request_id: client_request_id().to_str().unwrap_or_default().to_owned(),
            }),
            Err(error) => invalid.push((index, error)),
        }
    }
    if invalid.is_empty() { Ok(prepared) } else { Err(Error::InvalidInputs { total, invalid }) }
}

/// `{"requests": [...]}` for the items `chunk`, each with its index as id; the entity bodies
/// are embedded as they were encoded, not encoded again.
fn batch_body(chunk: &[usize], prepared: &[Prepared]) -> Bytes {
    let size: usize =
        chunk.iter().map(|&i| prepared[i].body.len() + prepared[i].path.len() + 160).sum();
    let mut out = Vec::with_capacity(size + 16);
    out.extend_from_slice(br#"{"requests":["#);
    for (n, &index) in chunk.iter().enumerate() {
        let item = &prepared[index];
        if n > 0 {
            out.push(b',');
        }
        out.extend_from_slice(br#"{"id":""#);
        out.extend_from_slice(index.to_string().as_bytes());
        out.extend_from_slice(br#"","method":"POST","url":"#);
        // Paths are percent-encoded ASCII; serde_json writes them as a JSON string.
        out.extend_from_slice(serde_json::to_string(&item.path).unwrap_or_default().as_bytes());
        out.extend_from_slice(
            br#","headers":{"Content-Type":"application/json","client-request-id":""#,
        );
        out.extend_from_slice(item.client_request_id.as_bytes());
        out.extend_from_slice(br#""},"body":"#);
        out.extend_from_slice(&item.body);
        out.push(b'}');
    }
    out.extend_from_slice(b"]}");
    Bytes::from(out)
}

/// Results back in input order.
fn in_order<E>(count: usize, results: Vec<(usize, Result<E, Error>)>) -> Vec<Result<E, Error>> {
    let mut ordered: Vec<Option<Result<E, Error>>> = (0..count).map(|_| None).collect();
    for (index, result) in results {
        ordered[index] = Some(result);
    }
    ordered.into_iter().map(|r| r.unwrap_or(Err(Error::MissingSubResponse))).collect()
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
