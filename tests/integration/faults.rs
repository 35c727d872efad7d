//! Throttling, faults and token expiry against the emulator: nothing lost, nothing duplicated,
//! nobody retrying early.

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use graph_emulator::{Emulator, Faults, RetryAfter, RunningEmulator};
use graph_entity::intune::ManagedDeviceMobileAppConfigurationUserStatus as Status;
use graph_entity::prelude::*;
use graph_entity::{
    Client, Error,
    auth::{AccessToken, BoxFuture, TokenCredential},
    client::{RequestOptions, RetryPolicy},
    error::{AuthError, GiveUp, Outcome},
};

use crate::Stored as _;
use crate::{configuration, doc_example, stored_counts};

use crate::common::{self, WRITE};

/// A quick policy for tests: many retries, short backoff.
fn patient() -> RetryPolicy {
    RetryPolicy::default()
        .max_retries(10)
        .base_delay(Duration::from_millis(5))
        .max_delay(Duration::from_secs(3))
}

async fn setup(faults: Faults, policy: RetryPolicy) -> (RunningEmulator, Client, String) {
    let emulator = common::emulator(Emulator::builder().page_size(1000).faults(faults)).await;
    let client = common::secret_client(&emulator).retry(policy).build().unwrap();
    let parent = configuration(&client).await;
    (emulator, client, parent)
}

/// Creates `count` statuses (`devicesCount` 0..count) with `workers` concurrent tasks; returns
/// each result by index.
async fn create_all(
    client: &Client,
    parent: &str,
    count: usize,
    workers: usize,
) -> Vec<Result<Status, Error>> {
    let next = Arc::new(AtomicUsize::new(0));
    let mut tasks = Vec::new();
    for _ in 0..workers {
        let (client, parent, next) = (client.clone(), parent.to_owned(), Arc::clone(&next));
        tasks.push(tokio::spawn(async move {
            let mut done = Vec::new();
            loop {
                let index = next.fetch_add(1, Ordering::Relaxed);
                if index >= count {
                    return done;
                }
                let status =
                    Status { devices_count: i32::try_from(index).unwrap(), ..doc_example() };
                done.push((index, status.create(&client, &parent).await));
            }
        }));
    }
    let mut results: Vec<Option<Result<Status, Error>>> = (0..count).map(|_| None).collect();
    for task in tasks {
        for (index, result) in task.await.unwrap() {
            results[index] = Some(result);
        }
    }
    results.into_iter().map(|r| r.expect("every input has a result")).collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn five_hundred_creates_under_throttling_and_503s_are_each_stored_once() {
    let faults = Faults {
        throttle_rate: 0.2,
        retry_after: RetryAfter::Fractional(0.02),
        unavailable_rate: 0.1,
        ..Faults::default()
    };
    let (emulator, client, parent) = setup(faults, patient()).await;
    let results = create_all(&client, &parent, 500, 16).await;
    for (index, result) in results.iter().enumerate() {
        let created = result.as_ref().unwrap_or_else(|e| panic!("input {index}: {e}"));
        assert_eq!(created.devices_count, i32::try_from(index).unwrap());
    }
    assert_eq!(
        stored_counts(&emulator, &parent),
        (0..500).collect::<Vec<_>>(),
        "each stored exactly once"
    );
    let counts = emulator.fault_counts();
    assert!(counts.throttled > 50 && counts.unavailable > 20, "faults were injected: {counts:?}");
    assert_eq!(counts.early_retries, 0, "no retry before Retry-After: {counts:?}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_retry_after_form_is_honoured() {
    for retry_after in [
        RetryAfter::Omitted,
        RetryAfter::Seconds(0),
        RetryAfter::Fractional(0.05),
        RetryAfter::HttpDate(0),
    ] {
        let faults = Faults { throttle_rate: 0.3, retry_after, ..Faults::default() };
        let (emulator, client, parent) = setup(faults, patient()).await;
        let results = create_all(&client, &parent, 40, 8).await;
        assert!(results.iter().all(Result::is_ok), "{retry_after:?}");
        assert_eq!(
            stored_counts(&emulator, &parent),
            (0..40).collect::<Vec<_>>(),
            "{retry_after:?}"
        );
        let counts = emulator.fault_counts();
        assert!(counts.throttled > 0, "{retry_after:?}: {counts:?}");
        assert_eq!(counts.early_retries, 0, "{retry_after:?}: {counts:?}");
    }
}

#[tokio::test]
async fn retries_give_up_at_the_bound_and_say_how_many_attempts() {
    let faults = Faults {
        throttle_rate: 1.0,
        retry_after: RetryAfter::Fractional(0.01),
        ..Faults::default()
    };
    let emulator = common::emulator(Emulator::builder().faults(faults)).await;
    let client = |policy| common::token_client(&emulator, &[WRITE]).retry(policy).build().unwrap();

    let error = doc_example().create(&client(patient().max_retries(3)), "c").await.unwrap_err();
    match &error {
        Error::RetriesExhausted { attempts: 4, last, .. } => {
            assert_eq!(
                last.as_graph().map(|g| (g.status, g.code.as_str())),
                Some((429, "TooManyRequests"))
            );
        }
        other => panic!("{other:?}"),
    }
    assert!(
        error.to_string().starts_with(
            "gave up after 4 attempts: the retry policy allows 3 retries (RetryPolicy::max_retries): Graph error 429 TooManyRequests"
        ),
        "{error}"
    );
    assert_eq!(error.status(), Some(429));
    let sent = emulator.requests();
    assert_eq!(sent.len(), 4);
    let ids: Vec<_> =
        sent.iter().map(|r| r.header("client-request-id").unwrap().to_owned()).collect();
    assert!(ids.iter().all(|id| *id == ids[0]), "one client-request-id across attempts: {ids:?}");
    let attempts: Vec<_> = sent.iter().map(|r| r.header("retry-attempt")).collect();
    assert_eq!(attempts, [None, Some("1"), Some("2"), Some("3")]);

    // Off: the first answer is the error.
    let error = doc_example().create(&client(RetryPolicy::none()), "c").await.unwrap_err();
    assert_eq!(error.as_graph().map(|g| g.status), Some(429), "{error:?}");
    assert!(!matches!(error, Error::RetriesExhausted { .. }));
    // A Retry-After longer than the policy accepts is not waited for, and the error says so
    // and names the setting.
    let impatient = patient().max_delay(Duration::from_millis(5));
    let error = doc_example().create(&client(impatient), "c").await.unwrap_err();
    assert_eq!(error.as_graph().map(|g| g.status), Some(429), "{error:?}");
    assert!(
        matches!(
            error,
            Error::RetriesExhausted {
                attempts: 1,
                reason: GiveUp::RetryAfterTooLong { asked, max_delay },
                ..
            } if asked == Duration::from_millis(10) && max_delay == Duration::from_millis(5)
        ),
        "{error:?}"
    );
    let text = error.to_string();
    assert!(
        text.contains("asked to wait 0.01 s (Retry-After)")
            && text.contains("RetryPolicy::max_delay")
            && text.contains("TooManyRequests"),
        "{text}"
    );
    assert_eq!(emulator.fault_counts().early_retries, 0);
}

#[tokio::test]
async fn a_post_whose_answer_was_lost_is_not_resent_unless_idempotent() {
    let faults = Faults { drop_after_store_rate: 1.0, ..Faults::default() };
    let (emulator, client, parent) = setup(faults, patient().max_retries(2)).await;

    let error = doc_example().create(&client, &parent).await.unwrap_err();
    assert!(matches!(error, Error::UnknownOutcome { attempts: 1, .. }), "{error:?}");
    assert!(error.to_string().contains("may or may not have taken effect"), "{error}");
    assert_eq!(emulator.user_statuses(&parent).unwrap().len(), 1, "stored once, not resent");

    // Declared idempotent, it is resent: here each resend creates again, which is why it is
    // not the default.
    let options = RequestOptions::default().idempotent(true);
    let error = client.create_with(&doc_example(), &[&parent], &options).await.unwrap_err();
    assert!(
        matches!(&error, Error::UnknownOutcome { attempts: 3, source } if matches!(**source, Error::RetriesExhausted { attempts: 3, .. })),
        "resent as declared safe, but whether it took effect is not known: {error:?}"
    );
    assert_eq!(emulator.user_statuses(&parent).unwrap().len(), 4);
    assert_eq!(emulator.fault_counts().dropped_after_store, 4);
}

#[tokio::test]
async fn a_504_is_retried_for_reads_but_not_for_a_post() {
    let faults = Faults { gateway_timeout_rate: 1.0, ..Faults::default() };
    let emulator = common::emulator(Emulator::builder().faults(faults)).await;
    let client =
        common::token_client(&emulator, &[WRITE]).retry(patient().max_retries(2)).build().unwrap();
    let error = doc_example().create(&client, "c").await.unwrap_err();
    assert_eq!(error.as_graph().map(|g| g.status), Some(504), "{error:?}");
    assert!(!matches!(error, Error::RetriesExhausted { .. }), "POST + 504: not retried");
    // The gateway may have passed the POST on: the outcome is unknown, not a failure.
    assert!(matches!(error, Error::UnknownOutcome { attempts: 1, .. }), "{error:?}");
    assert!(error.is_unknown_outcome());
    assert_eq!(error.outcome(), Outcome::Unknown);
    assert_eq!(emulator.requests().len(), 1);
    let error = client.list::<Status>(&["c"]).collect_all().await.unwrap_err();
    assert!(matches!(error, Error::RetriesExhausted { attempts: 3, .. }), "{error:?}");
}

/// A credential that hands out an expired token first, then fresh ones on refresh.
#[derive(Debug)]
pub(crate) struct Rotating {
    expired: String,
    fresh: String,
    refreshes: AtomicUsize,
}

impl Rotating {
    pub(crate) fn new(expired: String, fresh: String) -> Self {
        Self { expired, fresh, refreshes: AtomicUsize::new(0) }
    }
}

impl TokenCredential for Rotating {
    fn get_token<'a>(&'a self, _scope: &'a str) -> BoxFuture<'a, Result<AccessToken, AuthError>> {
        Box::pin(async move { AccessToken::new(&self.expired, None) })
    }
    fn refresh<'a>(
        &'a self,
        _scope: &'a str,
        _stale: &'a AccessToken,
    ) -> BoxFuture<'a, Result<Option<AccessToken>, AuthError>> {
        self.refreshes.fetch_add(1, Ordering::Relaxed);
        Box::pin(async move { AccessToken::new(&self.fresh, None).map(Some) })
    }
}

#[tokio::test]
async fn an_expired_token_is_refreshed_once_and_the_call_retried() {
    let (emulator, client, parent) = setup(Faults::default(), patient()).await;
    drop(client);
    let expired = emulator.issue_token(&[WRITE], Duration::ZERO);
    let fresh = emulator.issue_token(&[WRITE], Duration::from_secs(60));
    let credential =
        Arc::new(Rotating { expired: expired.clone(), fresh, refreshes: AtomicUsize::new(0) });
    let client = Client::builder()
        .base_url(emulator.graph_url("v1.0"))
        .credential(Shared(Arc::clone(&credential)))
        .build()
        .unwrap();
    doc_example().create(&client, &parent).await.unwrap();
    assert_eq!(credential.refreshes.load(Ordering::Relaxed), 1);
    assert_eq!(emulator.user_statuses(&parent).unwrap().len(), 1);

    // A refresh that does not help is not repeated.
    let stuck = Arc::new(Rotating {
        expired: expired.clone(),
        fresh: expired,
        refreshes: AtomicUsize::new(0),
    });
    let client = Client::builder()
        .base_url(emulator.graph_url("v1.0"))
        .credential(Shared(Arc::clone(&stuck)))
        .build()
        .unwrap();
    let error = doc_example().create(&client, &parent).await.unwrap_err();
    assert_eq!(error.as_graph().map(|g| g.status), Some(401), "{error:?}");
    assert_eq!(stuck.refreshes.load(Ordering::Relaxed), 1);
}

#[derive(Debug)]
struct Shared(Arc<Rotating>);

impl TokenCredential for Shared {
    fn get_token<'a>(&'a self, scope: &'a str) -> BoxFuture<'a, Result<AccessToken, AuthError>> {
        self.0.get_token(scope)
    }
    fn refresh<'a>(
        &'a self,
        scope: &'a str,
        stale: &'a AccessToken,
    ) -> BoxFuture<'a, Result<Option<AccessToken>, AuthError>> {
        self.0.refresh(scope, stale)
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn many_calls_finding_the_token_stale_cause_one_refresh() {
    // Timed against the token's lifetime: a run that the machine slowed past the moment it
    // checks proves nothing and is run again with a lifetime twice as long.
    for lifetime in [6, 12, 24, 48] {
        if stale_token_refreshed_once(Duration::from_secs(lifetime)).await {
            return;
        }
    }
    panic!("the machine was too slow to tell at every lifetime");
}

/// `false` when the machine was too slow for this lifetime to tell.
async fn stale_token_refreshed_once(lifetime: Duration) -> bool {
    // The credential renews a token after half its lifetime.
    let half = lifetime / 2;
    let emulator = common::emulator(Emulator::builder().token_ttl(lifetime)).await;
    let client = common::secret_client(&emulator).build().unwrap();
    let asked = Instant::now();
    let parent = configuration(&client).await;
    let issued_by = Instant::now();
    let token_requests =
        || emulator.requests().iter().filter(|r| r.path.ends_with("/token")).count();
    assert_eq!(token_requests(), 1);

    // 64 calls while the token is fresh share it.
    let results = create_all(&client, &parent, 64, 64).await;
    if asked.elapsed() >= half {
        return false;
    }
    assert!(results.iter().all(Result::is_ok));
    assert_eq!(token_requests(), 1, "a fresh token is shared");

    // 64 calls that find it stale send one refresh, whose token stays fresh through them.
    tokio::time::sleep_until((issued_by + half + Duration::from_millis(100)).into()).await;
    let stale_from = Instant::now();
    let results = create_all(&client, &parent, 64, 64).await;
    if stale_from.elapsed() >= half {
        return false;
    }
    assert!(results.iter().all(Result::is_ok));
    assert_eq!(token_requests(), 2, "64 calls found it stale; one refresh went out");
    assert_eq!(emulator.user_statuses(&parent).unwrap().len(), 128);
    true
}

#[tokio::test]
async fn a_timeout_after_sending_is_an_unknown_outcome_for_a_post_and_retried_for_a_get() {
    let faults = Faults { latency: Duration::from_millis(400), ..Faults::default() };
    let emulator = common::emulator(Emulator::builder().faults(faults)).await;
    let client = common::token_client(&emulator, &[WRITE])
        .timeout(Duration::from_millis(100))
        .retry(patient().max_retries(2))
        .build()
        .unwrap();
    let error = doc_example().create(&client, "c").await.unwrap_err();
    match &error {
        Error::UnknownOutcome { attempts: 1, source } => {
            assert!(matches!(&**source, Error::Transport(t) if t.is_timeout()), "{error:?}");
        }
        other => panic!("{other:?}"),
    }
    let error = client.list::<Status>(&["c"]).collect_all().await.unwrap_err();
    match &error {
        Error::RetriesExhausted { attempts: 3, last, .. } => {
            assert!(matches!(&**last, Error::Transport(t) if t.is_timeout()), "{last:?}");
        }
        other => panic!("{other:?}"),
    }
}
