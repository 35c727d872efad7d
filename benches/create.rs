//! Benchmarks, side by side in one run: `cargo bench --bench create`.
//!
//! 1. `create()` vs a hand-written `reqwest` + `serde_json` program sending the same bytes and
//!    parsing the same response, against a static responder (5,000 creates, sequential and with
//!    16 concurrent tasks): wall time and peak memory.
//! 2. Serialization + validation of the seed entity vs a plain `#[derive(Serialize)]` struct of
//!    the same shape.
//! 3. Bulk: 10,000 creates through `$batch` vs one request each, against the emulator.
//!
//! Every HTTP measurement runs in a fresh child process (this binary with `--child ...`), so
//! that its peak resident memory (`VmHWM`) is its own; variants alternate run by run so that
//! machine noise hits both alike. Medians and ratios are printed as a Markdown table.

use std::hint::black_box;
use std::process::Command;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Instant;

use graph_entity::intune::{
    ComplianceStatus, ManagedDeviceMobileAppConfigurationUserStatus as Status,
};
use graph_entity::prelude::*;
use graph_entity::{
    Client,
    client::{BulkOptions, RetryPolicy},
};

#[path = "../tests/common/mod.rs"]
mod common;

/// Runs per measurement (the median is reported).
const RUNS: usize = 15;
const CREATES: usize = 5_000;
const CONCURRENCY: usize = 16;
const BULK: usize = 10_000;
const SERIALIZE_ITERATIONS: usize = 1_000_000;
/// What graph-entity sends as `User-Agent` and `SdkVersion`.
const SDK_VERSION: &str = concat!("graph-entity/", env!("CARGO_PKG_VERSION"));

const RESPONSE: &str = r##"{"@odata.type":"#microsoft.graph.managedDeviceMobileAppConfigurationUserStatus","id":"44960944-0944-4496-4409-964444099644","userDisplayName":"User Display Name value","devicesCount":12,"status":"notApplicable","lastReportedDateTime":"2017-01-01T00:00:17.7769392-08:00","userPrincipalName":"User Principal Name value"}"##;

fn status() -> Status {
    Status {
        id: None,
        user_display_name: Some("User Display Name value".into()),
        devices_count: 12,
        status: ComplianceStatus::NotApplicable,
        last_reported_date_time: "2017-01-01T00:00:17.7769392-08:00".parse().expect("a date"),
        user_principal_name: Some("User Principal Name value".into()),
    }
}

/// The hand-written floor: plain serde derives of the same shape.
mod baseline {
    use serde::{Deserialize, Serialize};

    #[derive(Serialize)]
    #[serde(rename_all = "camelCase")]
    pub(crate) struct Request<'a> {
        #[serde(rename = "@odata.type")]
        pub(crate) odata_type: &'a str,
        pub(crate) user_display_name: &'a str,
        pub(crate) devices_count: i32,
        pub(crate) status: &'a str,
        pub(crate) last_reported_date_time: &'a str,
        pub(crate) user_principal_name: &'a str,
    }

    #[derive(Deserialize)]
    #[serde(rename_all = "camelCase")]
    #[allow(dead_code)]
    pub(crate) struct Response {
        pub(crate) id: Option<String>,
        pub(crate) user_display_name: Option<String>,
        pub(crate) devices_count: i32,
        pub(crate) status: String,
        pub(crate) last_reported_date_time: String,
        pub(crate) user_principal_name: Option<String>,
    }

    pub(crate) const REQUEST: Request<'static> = Request {
        odata_type: "#microsoft.graph.managedDeviceMobileAppConfigurationUserStatus",
        user_display_name: "User Display Name value",
        devices_count: 12,
        status: "notApplicable",
        last_reported_date_time: "2017-01-01T00:00:17.7769392-08:00",
        user_principal_name: "User Principal Name value",
    };
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    if let Some(position) = args.iter().position(|a| a == "--child") {
        child(&args[position + 1..]);
        return;
    }
    if args.iter().any(|a| a == "--list") {
        return;
    }
    parent();
}

/// One measurement in this process; prints `seconds peak_kib`.
fn child(args: &[String]) {
    let (variant, mode) = (args[0].as_str(), args[1].as_str());
    if mode == "serialize" {
        // For instruction counts under `valgrind --tool=callgrind`.
        println!("{} {}", serialize_ns(variant == "ours"), peak_kib());
        return;
    }
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .expect("a runtime");
    let seconds = runtime.block_on(async {
        match mode {
            "bulk" => bulk(variant).await,
            _ => {
                let base = static_responder();
                let concurrency = if mode == "concurrent" { CONCURRENCY } else { 1 };
                creates(variant, &base, concurrency).await
            }
        }
    });
    println!("{seconds} {}", peak_kib());
}

/// A static responder on its own thread: every request gets the same 201.
fn static_responder() -> String {
    let (sender, receiver) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        let runtime =
            tokio::runtime::Builder::new_current_thread().enable_all().build().expect("a runtime");
        runtime.block_on(async move {
            let app = axum::Router::new().fallback(|| async {
                (axum::http::StatusCode::CREATED, [("content-type", "application/json")], RESPONSE)
            });
            let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.expect("a port");
            sender.send(listener.local_addr().expect("an address")).expect("the parent waits");
            axum::serve(listener, app).await.expect("serving");
        });
    });
    format!("http://{}/v1.0", receiver.recv().expect("an address"))
}

async fn creates(variant: &str, base: &str, concurrency: usize) -> f64 {
    let next = Arc::new(AtomicUsize::new(0));
    let started = Instant::now();
    let mut tasks = Vec::new();
    for _ in 0..concurrency {
        let next = Arc::clone(&next);
        let (variant, base) = (variant.to_owned(), base.to_owned());
        tasks.push(tokio::spawn(async move {
            if variant == "ours" {
                let client = Client::builder()
                    .base_url(&base)
                    .bearer_token("token")
                    .build()
                    .expect("a client");
                let entity = status();
                while next.fetch_add(1, Ordering::Relaxed) < CREATES {
                    black_box(entity.create(&client, "configuration").await.expect("created"));
                }
            } else {
                // `baseline` sends the same bytes as graph-entity; `plain` is the least a
                // hand-written client sends: no `client-request-id`, `SdkVersion` or
                // `User-Agent`.
                let same_bytes = variant == "baseline";
                let mut http = reqwest::Client::builder();
                if same_bytes {
                    http = http.user_agent(SDK_VERSION);
                }
                let http = http.build().expect("a client");
                let url = format!(
                    "{base}/deviceAppManagement/mobileAppConfigurations/configuration/userStatuses"
                );
                while next.fetch_add(1, Ordering::Relaxed) < CREATES {
                    let body = serde_json::to_vec(&baseline::REQUEST).expect("encoded");
                    // The same bytes on the wire as graph-entity sends: the same headers, a fresh
                    // client-request-id per request, as Microsoft recommends.
                    let mut request = http
                        .post(&url)
                        .header("authorization", "Bearer token")
                        .header("accept", "application/json");
                    if same_bytes {
                        request = request
                            .header("client-request-id", uuid::Uuid::new_v4().to_string())
                            .header("sdkversion", SDK_VERSION);
                    }
                    let response = request
                        .header("content-type", "application/json")
                        .body(body)
                        .send()
                        .await
                        .expect("sent");
                    assert!(response.status().is_success());
                    let bytes = response.bytes().await.expect("a body");
                    black_box(
                        serde_json::from_slice::<baseline::Response>(&bytes).expect("decoded"),
                    );
                }
            }
        }));
    }
    for task in tasks {
        task.await.expect("a task");
    }
    started.elapsed().as_secs_f64()
}

async fn bulk(variant: &str) -> f64 {
    let emulator = common::emulator(graph_emulator::Emulator::builder()).await;
    let client = common::token_client(&emulator, &[common::WRITE])
        .retry(RetryPolicy::none())
        .build()
        .expect("a client");
    let parent = common::configuration(&client).await;
    let options = match variant {
        "batched" => BulkOptions::default().concurrency(4),
        _ => BulkOptions::default().batching(false).concurrency(CONCURRENCY),
    };
    let items = (0..BULK).map(|_| (status(), [parent.as_str()]));
    let started = Instant::now();
    let results = client.create_many(items, &options).await.expect("valid inputs");
    let seconds = started.elapsed().as_secs_f64();
    assert!(results.iter().all(Result::is_ok));
    let statuses = format!("/deviceAppManagement/mobileAppConfigurations/{parent}/userStatuses");
    assert_eq!(emulator.entities(&statuses).map(|s| s.len()), Some(BULK));
    seconds
}

/// Peak resident memory of this process, in KiB (`VmHWM`), or 0 where unknown.
fn peak_kib() -> u64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| s.lines().find(|l| l.starts_with("VmHWM:")).map(str::to_owned))
        .and_then(|l| l.split_whitespace().nth(1).and_then(|n| n.parse().ok()))
        .unwrap_or(0)
}

fn run_child(variant: &str, mode: &str) -> (f64, u64) {
    let exe = std::env::current_exe().expect("this benchmark");
    let output = Command::new(exe).args(["--child", variant, mode]).output().expect("a child run");
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    let text = String::from_utf8_lossy(&output.stdout);
    let mut fields = text.split_whitespace();
    let seconds = fields.next().and_then(|s| s.parse().ok()).expect("seconds");
    let peak = fields.next().and_then(|s| s.parse().ok()).expect("peak");
    (seconds, peak)
}

fn median(values: &mut [f64]) -> f64 {
    values.sort_by(f64::total_cmp);
    values[values.len() / 2]
}

/// Alternates `a` and `b` for `RUNS` runs each; medians of (seconds, peak MiB).
fn compare(a: &str, b: &str, mode: &str) -> [(f64, f64); 2] {
    let mut samples = [(Vec::new(), Vec::new()), (Vec::new(), Vec::new())];
    for run in 0..RUNS {
        let order = if run % 2 == 0 { [0, 1] } else { [1, 0] };
        for which in order {
            let (seconds, peak) = run_child([a, b][which], mode);
            samples[which].0.push(seconds);
            samples[which].1.push(peak as f64 / 1024.0);
        }
    }
    samples.map(|(mut seconds, mut peaks)| (median(&mut seconds), median(&mut peaks)))
}

fn serialize_ns(ours: bool) -> f64 {
    let entity = status();
    let mut buffer = Vec::with_capacity(512);
    let started = Instant::now();
    for _ in 0..SERIALIZE_ITERATIONS {
        buffer.clear();
        if ours {
            black_box(&entity).validate().expect("valid");
            serde_json::to_writer(&mut buffer, black_box(&entity)).expect("encoded");
        } else {
            serde_json::to_writer(&mut buffer, black_box(&baseline::REQUEST)).expect("encoded");
        }
        black_box(&buffer);
    }
    started.elapsed().as_nanos() as f64 / SERIALIZE_ITERATIONS as f64
}

fn parent() {
    println!(
        "Each HTTP figure: median of {RUNS} runs, each in a fresh process; variants alternate.\n"
    );
    println!("| benchmark | graph-entity | baseline | ratio |");
    println!("|---|---|---|---|");
    for (mode, label) in
        [("sequential", "5,000 creates, sequential"), ("concurrent", "5,000 creates, 16 tasks")]
    {
        let [(ours_s, ours_mib), (base_s, base_mib)] = compare("ours", "baseline", mode);
        println!("| {label}: wall time | {ours_s:.3} s | {base_s:.3} s | {:.3} |", ours_s / base_s);
        println!(
            "| {label}: peak memory | {ours_mib:.1} MiB | {base_mib:.1} MiB | {:.3} |",
            ours_mib / base_mib
        );
    }
    let mut ours = Vec::new();
    let mut plain = Vec::new();
    for _ in 0..RUNS {
        ours.push(serialize_ns(true));
        plain.push(serialize_ns(false));
    }
    let (ours, plain) = (median(&mut ours), median(&mut plain));
    println!(
        "| serialize + validate the seed entity | {ours:.1} ns | {plain:.1} ns (plain derive, no validation) | {:.3} |",
        ours / plain
    );
    let [(batched_s, batched_mib), (single_s, single_mib)] = compare("batched", "single", "bulk");
    println!(
        "| 10,000 creates against the emulator | $batch: {batched_s:.3} s ({:.0}/s), {batched_mib:.1} MiB | one each (16 in flight): {single_s:.3} s ({:.0}/s), {single_mib:.1} MiB | {:.3} |",
        BULK as f64 / batched_s,
        BULK as f64 / single_s,
        batched_s / single_s
    );
}
