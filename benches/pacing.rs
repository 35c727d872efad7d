//! Bulk at the service's own limit: `cargo bench --bench pacing` (`PACING_COUNT` changes the
//! 10,000 creates).
//!
//! The emulator models Intune's documented limits (100 writes in 20 s per app, each `$batch`
//! item counted, `429`s without `Retry-After` as Intune often sends them) at time scale 100: a
//! 20 s window lasts 200 ms, so 10,000 creates take at least 20 s whatever the client. Side by
//! side in one run: paced (`BulkOptions::rate`) and unpaced (today's default, and what the
//! official SDKs' retry handlers do: send, back off on `429`), through `$batch` and one request
//! each; then a paced run whose limit the emulator halves half-way. Twice: with a fractional
//! `Retry-After` (as Graph documents) and a patient retry policy, and without `Retry-After` (as
//! Intune often answers) and the default policy. Each run reports wall time ÷ the theoretical
//! minimum, the `429`s, the writes sent, and the accounting: what succeeded is stored exactly
//! once (the bench fails otherwise), what failed is reported.

use std::sync::Arc;
use std::time::{Duration, Instant};

use graph_emulator::{Emulator, Limits, LimitsRetryAfter, RunningEmulator};
use graph_entity::intune::{
    ComplianceStatus, ManagedDeviceMobileAppConfigurationUserStatus as Status,
};
use graph_entity::{
    Client,
    client::{BulkOptions, Progress, RetryPolicy},
};

#[path = "../tests/common/mod.rs"]
mod common;

/// The emulator's windows run this much faster than real time.
const SCALE: f64 = 100.0;
/// Intune's write limit per app: 100 in 20 s.
const LIMIT: u32 = 100;
/// The 20 s window, in real time at [`SCALE`].
const WINDOW: Duration = Duration::from_millis(200);

/// How a run is set up.
#[derive(Clone, Copy)]
struct Setup {
    /// What the emulator's `429`s say.
    retry_after: LimitsRetryAfter,
    /// The client's retry policy: patient (every input gets through, so that runs compare in
    /// time and `429`s), or the default (3 retries, as the official SDKs).
    patient: bool,
}

fn limits(setup: Setup) -> Limits {
    Limits::intune().time_scale(SCALE).retry_after(setup.retry_after)
}

struct Run {
    name: &'static str,
    minimum: Duration,
    wall: Duration,
    throttled: u64,
    sent: u64,
    succeeded: usize,
    stored: usize,
    duplicates: usize,
}

async fn setup(setup: Setup) -> (Arc<RunningEmulator>, Client, String) {
    let emulator = common::emulator(Emulator::builder().page_size(1000)).await;
    // Patient: every input gets through unpaced too, so that runs compare in time and 429s.
    let policy = if setup.patient {
        RetryPolicy::default().max_retries(10_000).max_total_delay(Duration::from_secs(3600))
    } else {
        RetryPolicy::default()
    };
    let client =
        common::token_client(&emulator, &[common::WRITE]).retry(policy).build().expect("a client");
    let parent = common::configuration(&client).await;
    emulator.set_limits(limits(setup));
    (Arc::new(emulator), client, parent)
}

async fn run(
    name: &'static str,
    conditions: Setup,
    count: usize,
    (batching, paced, halve): (bool, bool, bool),
) -> Run {
    let (emulator, client, parent) = setup(conditions).await;
    let mut options = BulkOptions::default().batching(batching);
    if paced {
        options = options.rate(LIMIT, WINDOW);
    }
    if halve {
        let emulator = Arc::clone(&emulator);
        let half = count / 2;
        options = options.on_progress(move |p: Progress| {
            if p.done >= half && emulator.limits().app_writes.is_some_and(|w| w.requests == LIMIT) {
                emulator.set_limits(limits(conditions).scaled(0.5));
            }
        });
    }
    let items = (0..count).map(|n| {
        let status = Status {
            devices_count: i32::try_from(n).unwrap_or(i32::MAX),
            status: ComplianceStatus::Compliant,
            ..status()
        };
        (status, [parent.clone()])
    });
    let started = Instant::now();
    let results = client.create_many(items, &options).await.expect("valid inputs");
    let wall = started.elapsed();
    let counts = emulator.throttle_counts();
    let statuses = format!("/deviceAppManagement/mobileAppConfigurations/{parent}/userStatuses");
    let stored = emulator.entities(&statuses).unwrap_or_default();
    let mut seen: Vec<i64> = stored.iter().filter_map(|s| s["devicesCount"].as_i64()).collect();
    seen.sort_unstable();
    let total = seen.len();
    seen.dedup();
    let windows = |items: usize, limit: u32| WINDOW.mul_f64(items as f64 / f64::from(limit));
    let minimum = if halve {
        windows(count / 2, LIMIT) + windows(count - count / 2, LIMIT / 2)
    } else {
        windows(count, LIMIT)
    };
    Run {
        name,
        minimum,
        wall,
        throttled: counts.throttled(),
        sent: counts.accepted_writes + counts.throttled(),
        succeeded: results.iter().filter(|r| r.is_ok()).count(),
        stored: seen.len(),
        duplicates: total - seen.len(),
    }
}

fn status() -> Status {
    Status {
        id: None,
        user_display_name: Some("User Display Name value".into()),
        devices_count: 0,
        status: ComplianceStatus::NotApplicable,
        last_reported_date_time: "2017-01-01T00:00:17.7769392-08:00".parse().expect("a date"),
        user_principal_name: Some("User Principal Name value".into()),
    }
}

#[tokio::main]
async fn main() {
    let count: usize =
        std::env::var("PACING_COUNT").ok().and_then(|v| v.parse().ok()).unwrap_or(10_000);
    println!(
        "{count} creates under Intune's limits ({LIMIT} writes / 20 s per app) at time scale {SCALE}: a window lasts {} ms\n",
        WINDOW.as_millis()
    );
    let documented = Setup { retry_after: LimitsRetryAfter::Fractional, patient: true };
    println!(
        "## `429` with a fractional `Retry-After`, as Graph documents; a patient retry policy\n"
    );
    table(
        count,
        &[
            run("$batch, paced", documented, count, (true, true, false)).await,
            run("$batch, unpaced", documented, count, (true, false, false)).await,
            run("one request each, paced", documented, count, (false, true, false)).await,
            run("one request each, unpaced", documented, count, (false, false, false)).await,
            run("$batch, paced, limit halved half-way", documented, count, (true, true, true))
                .await,
        ],
    );
    let intune = Setup { retry_after: LimitsRetryAfter::Omitted, patient: false };
    println!(
        "\n## `429` without `Retry-After`, as Intune often answers; the default retry policy\n"
    );
    table(
        count,
        &[
            run("$batch, paced", intune, count, (true, true, false)).await,
            run("$batch, unpaced", intune, count, (true, false, false)).await,
            run("$batch, paced, limit halved half-way", intune, count, (true, true, true)).await,
        ],
    );
}

fn table(count: usize, runs: &[Run]) {
    println!(
        "| run | wall | minimum | wall ÷ minimum | 429s | writes sent | 429s ÷ sent | failed | stored | duplicated |"
    );
    println!("|---|---|---|---|---|---|---|---|---|---|");
    for r in runs {
        println!(
            "| {} | {:.1} s | {:.1} s | {:.3} | {} | {} | {:.2} % | {} | {} | {} |",
            r.name,
            r.wall.as_secs_f64(),
            r.minimum.as_secs_f64(),
            r.wall.as_secs_f64() / r.minimum.as_secs_f64(),
            r.throttled,
            r.sent,
            100.0 * r.throttled as f64 / r.sent.max(1) as f64,
            count - r.succeeded.min(count),
            r.stored,
            r.duplicates,
        );
        // The accounting: what succeeded is stored, once; what failed is not.
        assert_eq!(
            r.stored, r.succeeded,
            "{}: stored {} of {} reported created",
            r.name, r.stored, r.succeeded
        );
        assert_eq!(r.duplicates, 0, "{}", r.name);
        // The claim of BENCHMARKS §6: paced at the service's own limit, it is never refused.
        if r.name.ends_with(", paced") {
            assert_eq!(r.throttled, 0, "{}: paced, yet refused {} times", r.name, r.throttled);
        }
    }
}
