//! Pacing to the service's throttling limit: against the emulator's model of Intune's limits
//! (100 writes in 20 s per app, each `$batch` item counted), run fast, a paced bulk creation
//! meets almost no `429`s, and every input is accounted for exactly once.

use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use graph_emulator::{Emulator, Limits, LimitsRetryAfter, RunningEmulator};
use graph_entity::Client;
use graph_entity::client::{BulkOptions, Pacing, Progress, RetryPolicy};
use graph_entity::intune::ManagedDeviceMobileAppConfigurationUserStatus as Status;
use graph_entity::prelude::*;

use crate::{configuration, doc_example, stored_counts};

use crate::common::{self, WRITE};

/// Retries enough for the limits' refusals, with a short backoff.
fn patient() -> RetryPolicy {
    RetryPolicy::default().max_retries(50).base_delay(Duration::from_millis(20))
}
/// The emulator's windows run this much faster than real time: 20 s last 100 ms.
const SCALE: f64 = 200.0;
/// Intune's 20 s window, in real time at [`SCALE`].
const WINDOW: Duration = Duration::from_millis(100);

async fn setup(retry_after: LimitsRetryAfter) -> (RunningEmulator, Client, String) {
    let emulator = common::emulator(Emulator::builder().page_size(1000)).await;
    let client = common::token_client(&emulator, &[WRITE]).retry(patient()).build().unwrap();
    let parent = configuration(&client).await;
    // The limits from now on, so that the parent's creation does not count.
    emulator.set_limits(Limits::intune().time_scale(SCALE).retry_after(retry_after));
    (emulator, client, parent)
}

fn inputs(parent: &str, count: usize) -> Vec<(Status, [String; 1])> {
    (0..count)
        .map(|n| (Status { devices_count: n as i32, ..doc_example() }, [parent.to_owned()]))
        .collect()
}

#[tokio::test]
async fn a_paced_bulk_creation_stays_under_the_limit_and_loses_nothing() {
    for batching in [true, false] {
        let (emulator, client, parent) = setup(LimitsRetryAfter::Omitted).await;
        let count = 500;
        let etas = Arc::new(Mutex::new(Vec::new()));
        let seen = Arc::clone(&etas);
        let options = BulkOptions::default()
            .batching(batching)
            .rate(100, WINDOW)
            .on_progress(move |p: Progress| seen.lock().unwrap().push(p.eta));
        let started = Instant::now();
        let results = client.create_many(inputs(&parent, count), &options).await.unwrap();
        let elapsed = started.elapsed();
        assert!(
            results.iter().all(Result::is_ok),
            "batching={batching}: {:?}",
            results.iter().find(|r| r.is_err())
        );
        // Every input stored once.
        assert_eq!(stored_counts(&emulator, &parent), (0..count as i64).collect::<Vec<_>>());
        let counts = emulator.throttle_counts();
        // At most 1 % of the items throttled, however loaded the machine.
        assert!(counts.throttled() * 100 <= count as u64, "batching={batching}: {counts:?}");
        // Never faster than the limit allows: 500 writes at 100 a window take four windows at
        // least (the first hundred go at once).
        assert!(elapsed >= WINDOW * 4, "batching={batching}: {elapsed:?}");
        // The progress reports the paced time left.
        let etas = etas.lock().unwrap();
        assert!(etas.iter().any(|eta| eta.is_some_and(|e| e > Duration::ZERO)), "{etas:?}");
        assert_eq!(etas.last().copied().flatten(), Some(Duration::ZERO));
    }
}

#[tokio::test]
async fn single_calls_through_a_pacing_client_are_paced_too() {
    let (emulator, _, parent) = setup(LimitsRetryAfter::Fractional).await;
    let rate = graph_entity::client::Rate::new(100, WINDOW);
    let client = common::token_client(&emulator, &[WRITE]).rate(rate).build().unwrap();
    let started = Instant::now();
    for status in inputs(&parent, 250).into_iter().map(|(s, _)| s) {
        status.create(&client, &parent).await.unwrap();
    }
    assert_eq!(emulator.throttle_counts().throttled(), 0, "{:?}", emulator.throttle_counts());
    assert!(started.elapsed() >= WINDOW * 2, "{:?}", started.elapsed());
    assert_eq!(stored_counts(&emulator, &parent).len(), 250);
}

#[tokio::test]
async fn the_pacer_follows_a_limit_that_halves() {
    let (emulator, client, parent) = setup(LimitsRetryAfter::Omitted).await;
    let emulator = Arc::new(emulator);
    let halved = Arc::clone(&emulator);
    let options = BulkOptions::default().rate(100, WINDOW).on_progress(move |p: Progress| {
        if p.done >= 300 && halved.limits().app_writes.is_some_and(|w| w.requests == 100) {
            halved.set_limits(
                Limits::intune()
                    .time_scale(SCALE)
                    .retry_after(LimitsRetryAfter::Omitted)
                    .scaled(0.5),
            );
        }
    });
    let results = client.create_many(inputs(&parent, 800), &options).await.unwrap();
    assert!(results.iter().all(Result::is_ok), "{:?}", results.iter().find(|r| r.is_err()));
    assert_eq!(stored_counts(&emulator, &parent).len(), 800);
    // The batches in flight when the limit halved, and a few while it learns: not a storm
    // (at most eight batches' worth of items, whatever the count).
    let counts = emulator.throttle_counts();
    assert!(counts.throttled() <= 160, "{counts:?}");
}

#[tokio::test]
async fn clients_of_one_application_share_its_limiter_and_another_application_has_its_own() {
    let other = graph_emulator::Registration {
        client_id: "other-app".into(),
        client_secret: Some("other-secret".into()),
        certificate: None,
        roles: vec![WRITE.into()],
    };
    let emulator = Emulator::builder().client(other).start().await.unwrap();
    let (id, secret) = emulator.default_client();
    let client_of = |id: &str, secret: &str, rate: Option<graph_entity::client::Rate>| {
        let credential = graph_entity::auth::ClientSecretCredential::new(
            emulator.root_url(),
            emulator.tenant(),
            id,
            secret,
        )
        .unwrap();
        let builder = Client::builder().base_url(emulator.graph_url("v1.0")).credential(credential);
        match rate {
            Some(rate) => builder.rate(rate),
            None => builder,
        }
        .build()
        .unwrap()
    };
    // One write a minute for this application: the first client's creation takes it.
    let first =
        client_of(id, secret, Some(graph_entity::client::Rate::new(1, Duration::from_secs(60))));
    let parent = configuration(&first).await;
    // A second client of the same application, built without a rate, shares the limiter.
    let second = client_of(id, secret, None);
    let waited =
        tokio::time::timeout(Duration::from_millis(300), doc_example().create(&second, &parent))
            .await;
    assert!(waited.is_err(), "the second client's write went before the window had room");
    // Another application has a limiter of its own.
    let other = client_of("other-app", "other-secret", None);
    tokio::time::timeout(Duration::from_secs(5), doc_example().create(&other, &parent))
        .await
        .expect("another application is not held back")
        .unwrap();
}

/// Found by the attack review: one `429` with `Retry-After: 86400` made that call give up, but
/// paused the pacer every writer of the application shares for a day.
#[tokio::test]
async fn a_long_retry_after_does_not_stall_the_next_writer() {
    use std::sync::atomic::{AtomicUsize, Ordering};

    use crate::stub::{Reply, Stub};

    let calls = Arc::new(AtomicUsize::new(0));
    let seen = Arc::clone(&calls);
    let stub = Stub::start(move |_| match seen.fetch_add(1, Ordering::SeqCst) {
        0 => Reply::json(429, r#"{"error":{"code":"TooManyRequests","message":"later"}}"#)
            .header("retry-after", "86400"),
        _ => Reply::json(201, crate::RESPONSE),
    })
    .await;
    let client = Client::builder()
        .base_url(&stub.base_url)
        .bearer_token("t")
        .rate(graph_entity::client::Rate::new(100, Duration::from_secs(1)))
        .retry(RetryPolicy::default().max_delay(Duration::from_millis(200)))
        .build()
        .unwrap();
    let first = doc_example().create(&client, "c").await.unwrap_err();
    assert!(first.to_string().contains("RetryPolicy::max_delay"), "{first}");
    // The next write waits no longer than the first would have (its `max_delay`), not a day.
    let next = tokio::time::timeout(Duration::from_secs(60), doc_example().create(&client, "c"))
        .await
        .expect("the next write is not held back for a day");
    next.unwrap();
}

/// Found by the attack review: a `429` to a `GET` set the write limit to 1, from which it took
/// hours to climb back. Reads have a budget of their own.
#[tokio::test]
async fn a_throttled_read_leaves_the_write_limit() {
    use crate::stub::{Reply, Stub};

    let stub = Stub::start(|seen| match seen.method.as_str() {
        "GET" => Reply::json(429, r#"{"error":{"code":"TooManyRequests","message":"later"}}"#),
        _ => Reply::json(201, crate::RESPONSE),
    })
    .await;
    // Five writes in any ten seconds: five go at once, unless the limit fell.
    let client = Client::builder()
        .base_url(&stub.base_url)
        .bearer_token("t")
        .rate(graph_entity::client::Rate::new(5, Duration::from_secs(10)))
        .retry(RetryPolicy::none())
        .build()
        .unwrap();
    let read = Status::get(&client, "c", "s").await.unwrap_err();
    assert_eq!(read.status(), Some(429));
    // Had the limit fallen to one a window, the five would take forty seconds at least.
    let writes = async {
        for _ in 0..5 {
            doc_example().create(&client, "c").await.unwrap();
        }
    };
    tokio::time::timeout(Duration::from_secs(30), writes)
        .await
        .expect("the writes were paced as if the read's 429 were theirs");
}

/// An entity of the Intune devices service (200 writes in 20 s per app and tenant, where the
/// applications service of user statuses allows 100).
#[graph_entity(path = "/deviceManagement/detectedApps")]
#[derive(Debug, Clone)]
pub(crate) struct DetectedApp {
    #[graph(key)]
    pub(crate) id: Option<String>,
    pub(crate) display_name: Option<String>,
    pub(crate) device_count: i32,
    pub(crate) size_in_byte: i64,
    pub(crate) platform: DetectedAppPlatformType,
}

#[graph_enum]
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum DetectedAppPlatformType {
    Unknown,
    Windows,
    #[graph(other)]
    Other(String),
}

/// Intune's limits are per service, and the path decides the budget: with documented pacing,
/// the writes of each service are paced apart at its own limit, and neither meets `429`s.
#[tokio::test]
async fn each_service_is_paced_at_its_own_documented_limit() {
    let (emulator, _, parent) = setup(LimitsRetryAfter::Omitted).await;
    let client =
        common::token_client(&emulator, &[WRITE, "DeviceManagementManagedDevices.ReadWrite.All"])
            .pacing(Pacing::documented().time_scale(SCALE))
            .retry(patient())
            .build()
            .unwrap();
    assert_eq!(Status::THROTTLING.map(|t| t.writes()), Some(100));
    assert_eq!(DetectedApp::THROTTLING.map(|t| t.writes()), Some(200));
    let first_eta = |etas: &Mutex<Vec<Option<Duration>>>| etas.lock().unwrap()[0].unwrap();
    let (status_etas, app_etas) =
        (Arc::new(Mutex::new(Vec::new())), Arc::new(Mutex::new(Vec::new())));
    let count = 300;
    let progress = |etas: &Arc<Mutex<Vec<Option<Duration>>>>| {
        let seen = Arc::clone(etas);
        BulkOptions::default().on_progress(move |p: Progress| seen.lock().unwrap().push(p.eta))
    };
    let (status_options, app_options) = (progress(&status_etas), progress(&app_etas));
    let apps = (0..count).map(|n| {
        let app = DetectedApp {
            id: None,
            display_name: Some(format!("App {n}")),
            device_count: n as i32,
            size_in_byte: 1,
            platform: DetectedAppPlatformType::Windows,
        };
        (app, [""; 0])
    });
    let statuses = client.create_many(inputs(&parent, count), &status_options);
    let apps = client.create_many(apps, &app_options);
    let (statuses, apps) = tokio::join!(statuses, apps);
    let (statuses, apps) = (statuses.unwrap(), apps.unwrap());
    assert!(statuses.iter().all(Result::is_ok), "{:?}", statuses.iter().find(|r| r.is_err()));
    assert!(apps.iter().all(Result::is_ok), "{:?}", apps.iter().find(|r| r.is_err()));
    assert_eq!(stored_counts(&emulator, &parent).len(), count);
    // Each pacer went at its service's own limit: the devices job was paced at 200, not at
    // the applications service's 100.
    let (status_eta, app_eta) = (first_eta(&status_etas), first_eta(&app_etas));
    assert!(app_eta < status_eta.mul_f64(0.75), "devices {app_eta:?}, applications {status_eta:?}");
    let counts = emulator.throttle_counts();
    let refused = counts.throttled_requests + counts.throttled_batch_items;
    assert!(refused <= (2 * count / 100) as u64, "{counts:?}");
}
