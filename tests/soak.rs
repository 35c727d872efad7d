//! The fault soak: N creates through bulk and single modes with throttling, 503/504, latency and
//! dropped connections; then the emulator's store and the client's results are compared one by
//! one. Every success is stored exactly once, every failure carries its cause and is not
//! stored, every unknown outcome is reported as such, and nothing else is stored.
//!
//! ```text
//! cargo test --test soak                                     # CI size: 2,000 per mode
//! SOAK_COUNT=100000 cargo test --release --test soak -- --nocapture
//! ```

#![allow(clippy::unwrap_used)]

use std::collections::HashMap;
use std::time::{Duration, Instant};

use graph_emulator::{Emulator, Faults, RetryAfter, RunningEmulator};
use graph_entity::intune::{
    ComplianceStatus, ManagedDeviceMobileAppConfigurationUserStatus as Status,
};
use graph_entity::prelude::*;
use graph_entity::{
    Client, Error,
    client::{BulkOptions, RetryPolicy},
};

#[path = "common/mod.rs"]
mod common;

use common::Configuration;

fn count() -> usize {
    std::env::var("SOAK_COUNT").ok().and_then(|n| n.parse().ok()).unwrap_or(2_000)
}

/// Input `n`, marked by its user principal name.
fn input(n: usize) -> Status {
    Status {
        id: None,
        user_display_name: Some(format!("Soak {n}")),
        devices_count: i32::try_from(n % 1000).unwrap(),
        status: ComplianceStatus::Compliant,
        last_reported_date_time: "2026-11-28T00:00:00Z".parse().unwrap(),
        user_principal_name: Some(format!("soak-{n}@contoso.com")),
    }
}

#[derive(Debug, Default, PartialEq, Eq)]
struct Tally {
    created: usize,
    failed: usize,
    /// Of `failed`: still throttled or unavailable after every retry.
    exhausted: usize,
    unknown: usize,
    unknown_stored: usize,
}

/// Compares results with the store, one by one; panics on any loss or duplicate.
fn account(emulator: &RunningEmulator, parent: &str, results: &[Result<Status, Error>]) -> Tally {
    let mut stored: HashMap<String, Vec<String>> = HashMap::new();
    let statuses = format!("/deviceAppManagement/mobileAppConfigurations/{parent}/userStatuses");
    for entity in emulator.entities(&statuses).unwrap() {
        let marker = entity["userPrincipalName"].as_str().unwrap().to_owned();
        stored.entry(marker).or_default().push(entity["id"].as_str().unwrap().to_owned());
    }
    let mut tally = Tally::default();
    for (n, result) in results.iter().enumerate() {
        let ids = stored.remove(&format!("soak-{n}@contoso.com")).unwrap_or_default();
        match result {
            Ok(created) => {
                assert_eq!(ids.len(), 1, "#{n}: created, so stored exactly once: {ids:?}");
                assert_eq!(created.id.as_ref(), Some(&ids[0]), "#{n}: the id the service gave");
                tally.created += 1;
            }
            Err(error) if error.is_unknown_outcome() => {
                assert!(ids.len() <= 1, "#{n}: unknown outcome, but stored twice: {ids:?}");
                tally.unknown += 1;
                tally.unknown_stored += ids.len();
            }
            Err(error) => {
                assert!(ids.is_empty(), "#{n}: reported failed ({error}) but stored: {ids:?}");
                assert!(!error.to_string().is_empty(), "#{n}: a failure names its cause");
                tally.failed += 1;
                tally.exhausted += usize::from(exhausted(error));
            }
        }
    }
    assert!(stored.is_empty(), "stored without being an input: {stored:?}");
    tally
}

/// Still throttled or unavailable after every retry, itself or the `$batch` that carried it.
fn exhausted(error: &Error) -> bool {
    match error {
        Error::RetriesExhausted { .. } => true,
        Error::Batch(error) => exhausted(error),
        _ => false,
    }
}

fn faults() -> Faults {
    Faults {
        throttle_rate: 0.15,
        retry_after: RetryAfter::Fractional(0.01),
        unavailable_rate: 0.05,
        gateway_timeout_rate: 0.02,
        latency: Duration::from_millis(1),
        drop_after_store_rate: 0.01,
        seed: 2026,
    }
}

async fn setup() -> (RunningEmulator, Client, String) {
    let emulator = common::emulator(Emulator::builder().faults(faults())).await;
    let policy = RetryPolicy::default().max_retries(6).base_delay(Duration::from_millis(2));
    let client = common::token_client(&emulator, &[common::WRITE]).retry(policy).build().unwrap();
    // The parent is created patiently: it is not what the soak is about.
    let mut parent = None;
    while parent.is_none() {
        parent = Configuration { id: None, display_name: "soak".into() }
            .create(&client, ())
            .await
            .ok()
            .and_then(|c| c.id);
    }
    (emulator, client, parent.unwrap())
}

/// `batch`: items per request (1 for single requests).
async fn soak(options: BulkOptions, batch: usize, label: &str) {
    let (emulator, client, parent) = setup().await;
    // Faults met while creating the parent are not the soak's.
    let before = emulator.fault_counts();
    let n = count();
    let started = Instant::now();
    let results =
        client.create_many((0..n).map(|i| (input(i), [parent.as_str()])), &options).await.unwrap();
    let seconds = started.elapsed().as_secs_f64();
    assert_eq!(results.len(), n);
    let tally = account(&emulator, &parent, &results);
    let faults = emulator.fault_counts();
    println!("{label}: {n} inputs in {seconds:.2} s: {tally:?}; injected {faults:?}");
    assert_eq!(tally.created + tally.failed + tally.unknown, n);
    assert_eq!(faults.early_retries, 0, "no retry before Retry-After");
    // Every item not created is explained: a dropped connection or a 504 leaves its request's
    // items unknown (never resent: the gateway may have passed a POST on), and a few items stay
    // throttled or unavailable through every retry; nothing else fails.
    let dropped = usize::try_from(faults.dropped_after_store - before.dropped_after_store).unwrap();
    let timeouts = usize::try_from(faults.gateway_timeouts - before.gateway_timeouts).unwrap();
    assert!(tally.unknown <= (dropped + timeouts) * batch, "{tally:?} {faults:?}");
    assert!(tally.unknown_stored <= dropped * batch, "{tally:?} {faults:?}");
    assert_eq!(tally.failed, tally.exhausted, "{tally:?} {faults:?}");
    if batch == 1 {
        assert_eq!(tally.unknown, dropped + timeouts, "one unknown per dropped answer or 504");
        assert_eq!(tally.unknown_stored, dropped, "a dropped answer was stored; a 504 was not");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn soak_batched() {
    soak(BulkOptions::default(), 20, "batched").await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn soak_single_requests() {
    soak(BulkOptions::default().batching(false).concurrency(16), 1, "single").await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_service_stopping_mid_way_loses_nothing_silently() {
    let (mut emulator, client, parent) = setup().await;
    // Enough inputs that a quarter of them is more than are ever in flight.
    let n = count().max(200);
    // Few retries: once the service is gone, waiting longer only slows the test.
    let quick = RetryPolicy::default().max_retries(1).base_delay(Duration::from_millis(1));
    let options = BulkOptions::default().batching(false).concurrency(8).retry(quick);
    let items = (0..n).map(|i| (input(i), [parent.clone()]));
    let run = client.create_many(items, &options);
    tokio::pin!(run);
    // Let a quarter of the requests arrive (counted by the service, not timed: however loaded
    // the machine), then stop the service under the client's feet.
    let quarter = (n / 4).min(5_000);
    let arrived = async {
        while emulator.requests().len() < quarter {
            tokio::time::sleep(Duration::from_millis(10)).await;
        }
    };
    let finished = tokio::select! {
        results = &mut run => Some(results),
        () = arrived => None,
    };
    let results = match finished {
        Some(results) => results,
        None => {
            emulator.stop().await;
            run.await
        }
    }
    .unwrap();
    let tally = account(&emulator, &parent, &results);
    println!("stopped mid-way: {n} inputs: {tally:?}");
    assert_eq!(tally.created + tally.failed + tally.unknown, n);
    assert!(tally.failed > 0, "the stop was felt: {tally:?}");
}
