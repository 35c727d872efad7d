//! The documented throttling limits over loopback HTTP: Intune's windows per app and per tenant,
//! writes and any request, each `$batch` request counted on its own, `Retry-After` in each mode,
//! the time scale, sliding windows, limits changed while running, and the counts.
//!
//! Timing: the tests at time scale 100 (a 20 s window in 200 ms) need their requests to fit in a
//! window. A run that did not (a loaded machine) proves nothing either way, so it is run again,
//! at a smaller scale after a few tries; every other test runs at time scale 1 (20 s windows)
//! and asserts no upper bound on elapsed time.
#![allow(clippy::unwrap_used)]

use std::time::{Duration, Instant};

use graph_emulator::{
    DEFAULT_CLIENT_ID, Emulator, Limits, LimitsRetryAfter, RunningEmulator, ThrottleCounts, Window,
};
use reqwest::Method;
use serde_json::{Value, json};

const WRITE: &str = "DeviceManagementApps.ReadWrite.All";
const CONFIGURATIONS: &str = "/deviceAppManagement/mobileAppConfigurations";
const TWENTY_SECONDS: Duration = Duration::from_secs(20);

#[derive(Debug)]
struct Reply {
    status: u16,
    retry_after: Option<String>,
    body: Value,
}

impl Reply {
    /// Graph's error code, after checking the body is Graph's error.
    fn code(&self) -> &str {
        assert!(self.body["error"]["innerError"]["request-id"].is_string(), "{self:?}");
        self.body["error"]["code"].as_str().unwrap()
    }

    /// Checks this is the limits' `429` and returns its `Retry-After`.
    fn throttled(&self) -> Option<&str> {
        assert_eq!(self.status, 429, "{self:?}");
        assert_eq!(self.code(), "TooManyRequests");
        self.retry_after.as_deref()
    }
}

struct Api {
    http: reqwest::Client,
    base: String,
    token: String,
}

impl Api {
    /// Calls as application `client_id`.
    fn new(emulator: &RunningEmulator, client_id: &str) -> Api {
        Api {
            http: reqwest::Client::new(),
            base: emulator.graph_url("v1.0"),
            token: emulator.issue_token_for(client_id, &[WRITE], Duration::from_secs(600)),
        }
    }

    async fn send(&self, method: Method, path: &str, body: Option<Value>) -> Reply {
        let mut request =
            self.http.request(method, format!("{}{path}", self.base)).bearer_auth(&self.token);
        if let Some(body) = body {
            request = request.header("content-type", "application/json").body(body.to_string());
        }
        let response = request.send().await.unwrap();
        let status = response.status().as_u16();
        let retry_after =
            response.headers().get("retry-after").map(|v| v.to_str().unwrap().to_owned());
        let text = response.text().await.unwrap();
        let body = serde_json::from_str(&text).unwrap_or(Value::Null);
        Reply { status, retry_after, body }
    }

    /// A write: creates a configuration.
    async fn create(&self) -> Reply {
        self.send(Method::POST, CONFIGURATIONS, Some(configuration())).await
    }

    /// A read: the first configuration.
    async fn read(&self) -> Reply {
        self.send(Method::GET, &format!("{CONFIGURATIONS}?$top=1"), None).await
    }

    /// `n` writes, each of which must succeed.
    async fn create_all(&self, n: usize) {
        for i in 0..n {
            let reply = self.create().await;
            assert_eq!(reply.status, 201, "write {i}: {reply:?}");
        }
    }

    /// `n` reads, each of which must succeed.
    async fn read_all(&self, n: usize) {
        for i in 0..n {
            let reply = self.read().await;
            assert_eq!(reply.status, 200, "read {i}: {reply:?}");
        }
    }

    /// A `$batch` of these requests: the outer status must be 200; the sub-responses.
    async fn batch(&self, requests: Vec<Value>) -> Vec<Value> {
        let reply = self.send(Method::POST, "/$batch", Some(json!({ "requests": requests }))).await;
        assert_eq!(reply.status, 200, "{reply:?}");
        reply.body["responses"].as_array().unwrap().clone()
    }
}

fn configuration() -> Value {
    json!({"@odata.type": "#microsoft.graph.iosMobileAppConfiguration", "displayName": "c"})
}

fn batch_create(id: usize) -> Value {
    json!({
        "id": id.to_string(), "method": "POST", "url": CONFIGURATIONS,
        "headers": {"Content-Type": "application/json"}, "body": configuration(),
    })
}

fn batch_read(id: usize) -> Value {
    json!({"id": id.to_string(), "method": "GET", "url": format!("{CONFIGURATIONS}?$top=1")})
}

async fn start(limits: Limits) -> RunningEmulator {
    Emulator::builder().limits(limits).start().await.unwrap()
}

fn counts(throttled: u64, batch_items: u64, writes: u64, requests: u64) -> ThrottleCounts {
    ThrottleCounts {
        throttled_requests: throttled,
        throttled_batch_items: batch_items,
        accepted_writes: writes,
        accepted_requests: requests,
    }
}

/// The time scales the timed tests try, in order: 100 while the machine keeps up, then slower.
const SCALES: [f64; 6] = [100.0, 100.0, 100.0, 20.0, 5.0, 1.0];

/// Checks a `Retry-After` for a window of `window` (real time) whose oldest arrival came at
/// most `elapsed` ago: the wait is at most the window and at least what is left of it.
fn check_retry_after(
    mode: LimitsRetryAfter,
    value: Option<&str>,
    window: Duration,
    elapsed: Duration,
) {
    let left = window.saturating_sub(elapsed).as_secs_f64();
    match mode {
        LimitsRetryAfter::Omitted => assert_eq!(value, None),
        LimitsRetryAfter::Seconds => {
            let value = value.unwrap();
            let seconds: u64 = value.parse().unwrap_or_else(|_| panic!("whole seconds: {value}"));
            // Rounded up: at least 1, at most the window rounded up.
            assert!(seconds >= 1 && seconds as f64 >= left.ceil(), "{value} for {window:?}");
            assert!(seconds as f64 <= window.as_secs_f64().ceil(), "{value} for {window:?}");
        }
        LimitsRetryAfter::Fractional => {
            let value = value.unwrap();
            let (whole, decimals) = value.split_once('.').unwrap();
            assert!(whole.parse::<u64>().is_ok(), "{value}");
            assert!(decimals.len() == 3 && decimals.parse::<u64>().is_ok(), "{value}");
            let seconds: f64 = value.parse().unwrap();
            assert!(seconds > 0.0 && seconds <= window.as_secs_f64() + 0.0005, "{value}");
            assert!(seconds >= left - 0.001, "{value}, {left} left of {window:?}");
        }
    }
}

/// At time scale 100 with Intune's limits: 100 writes in a window pass, the 101st is `429` with
/// the right `Retry-After` in each mode, and is not counted.
#[tokio::test]
async fn the_hundred_and_first_write_in_a_window_is_throttled() {
    for mode in [LimitsRetryAfter::Seconds, LimitsRetryAfter::Fractional, LimitsRetryAfter::Omitted]
    {
        let mut conclusive = false;
        for scale in SCALES {
            let emulator = start(Limits::intune().time_scale(scale).retry_after(mode)).await;
            let window =
                Limits::intune().time_scale(scale).real_period(Window::new(100, TWENTY_SECONDS));
            let api = Api::new(&emulator, DEFAULT_CLIENT_ID);
            let started = Instant::now();
            api.create_all(100).await;
            let reply = api.create().await;
            let elapsed = started.elapsed();
            if elapsed >= window {
                // The first writes may have left the window: this run proves nothing.
                eprintln!("{mode}: 101 writes took {elapsed:?}, more than a window of {window:?}");
                continue;
            }
            check_retry_after(mode, reply.throttled(), window, elapsed);
            assert_eq!(emulator.throttle_counts(), counts(1, 0, 100, 100), "{mode}");
            assert_eq!(emulator.entities(CONFIGURATIONS).unwrap().len(), 100, "nothing stored");
            conclusive = true;
            break;
        }
        assert!(conclusive, "{mode}: too slow for every time scale");
    }
}

/// Waiting the `Retry-After` is enough; and the window slides: after a window and a little,
/// there is room again.
#[tokio::test]
async fn the_window_slides() {
    let mut conclusive = false;
    for scale in SCALES {
        let limits = Limits::intune().time_scale(scale).retry_after(LimitsRetryAfter::Fractional);
        let window = limits.real_period(Window::new(100, TWENTY_SECONDS));
        let emulator = start(limits).await;
        let api = Api::new(&emulator, DEFAULT_CLIENT_ID);
        let started = Instant::now();
        api.create_all(100).await;
        let reply = api.create().await;
        if started.elapsed() >= window {
            continue;
        }
        let wait: f64 = reply.throttled().unwrap().parse().unwrap();
        // Once the oldest write has left the window, a write fits again.
        tokio::time::sleep(Duration::from_secs_f64(wait)).await;
        let reply = api.create().await;
        assert_eq!(reply.status, 201, "after Retry-After {wait}: {reply:?}");
        // A whole window (and a little) later, the window is empty.
        tokio::time::sleep(window + window / 2).await;
        api.create_all(100).await;
        conclusive = true;
        break;
    }
    assert!(conclusive, "too slow for every time scale");
}

/// The per-tenant window holds every application's requests.
#[tokio::test]
async fn the_tenant_window_holds_every_app() {
    let emulator = start(Limits::intune()).await;
    let (a, b, c) = (
        Api::new(&emulator, DEFAULT_CLIENT_ID),
        Api::new(&emulator, "00000000-0000-0000-0000-00000000e002"),
        Api::new(&emulator, "00000000-0000-0000-0000-00000000e003"),
    );
    let started = Instant::now();
    a.create_all(100).await;
    check_retry_after(
        LimitsRetryAfter::Seconds,
        a.create().await.throttled(),
        TWENTY_SECONDS,
        started.elapsed(),
    );
    // B has a window of its own, but the tenant's fills with it.
    b.create_all(100).await;
    b.create().await.throttled();
    let reply = c.create().await;
    check_retry_after(
        LimitsRetryAfter::Seconds,
        reply.throttled(),
        TWENTY_SECONDS,
        started.elapsed(),
    );
    // Reads have their own windows.
    c.read_all(5).await;
    assert_eq!(emulator.throttle_counts(), counts(3, 0, 200, 205));
}

/// Each request of a `$batch` counts on its own, and those beyond the limit get their own `429`
/// while the others succeed; the outer `$batch` request counts in no window.
#[tokio::test]
async fn each_batch_request_counts_on_its_own() {
    let limits = Limits::intune().retry_after(LimitsRetryAfter::Fractional);
    let emulator = start(limits).await;
    let api = Api::new(&emulator, DEFAULT_CLIENT_ID);
    let started = Instant::now();
    for _ in 0..4 {
        let responses = api.batch((0..20).map(batch_create).collect()).await;
        assert!(responses.iter().all(|r| r["status"] == 201), "{responses:?}");
    }
    assert_eq!(emulator.throttle_counts(), counts(0, 0, 80, 80), "a batch of 20 counts 20");
    api.create_all(10).await;
    let responses = api.batch((0..20).map(batch_create).collect()).await;
    let elapsed = started.elapsed();
    let (created, throttled): (Vec<&Value>, Vec<&Value>) =
        responses.iter().partition(|r| r["status"] == 201);
    assert_eq!((created.len(), throttled.len()), (10, 10), "{responses:?}");
    for response in throttled {
        assert_eq!(response["status"], 429, "{response}");
        assert_eq!(response["body"]["error"]["code"], "TooManyRequests", "{response}");
        let retry_after = response["headers"]["retry-after"].as_str();
        check_retry_after(LimitsRetryAfter::Fractional, retry_after, TWENTY_SECONDS, elapsed);
    }
    // Requests run in order: the first ten fitted.
    let mut ids: Vec<usize> =
        created.iter().map(|r| r["id"].as_str().unwrap().parse().unwrap()).collect();
    ids.sort_unstable();
    assert_eq!(ids, (0..10).collect::<Vec<_>>());
    api.create().await.throttled();
    assert_eq!(emulator.throttle_counts(), counts(1, 10, 100, 100));
    assert_eq!(emulator.entities(CONFIGURATIONS).unwrap().len(), 100);

    // A batch of 20 reads fills a window of 20 requests: the outer request did not count.
    let limits = Limits { app_requests: Some(Window::new(20, TWENTY_SECONDS)), ..Limits::none() };
    let emulator = start(limits).await;
    let api = Api::new(&emulator, DEFAULT_CLIENT_ID);
    let responses = api.batch((0..20).map(batch_read).collect()).await;
    assert!(responses.iter().all(|r| r["status"] == 200), "{responses:?}");
    api.read().await.throttled();
    // Refused, and so is every request of the next batch; the batch itself is still 200.
    let responses = api.batch((0..3).map(batch_read).collect()).await;
    assert!(responses.iter().all(|r| r["status"] == 429), "{responses:?}");
    assert_eq!(emulator.throttle_counts(), counts(1, 3, 0, 20));
}

/// Reads count in the "any request" windows only; writes count in both.
#[tokio::test]
async fn reads_count_only_in_the_request_windows() {
    let limits =
        Limits { app_requests: Some(Window::new(150, TWENTY_SECONDS)), ..Limits::intune() };
    let emulator = start(limits).await;
    let api = Api::new(&emulator, DEFAULT_CLIENT_ID);
    api.read_all(40).await;
    // The reads took no room in the write window.
    api.create_all(100).await;
    api.create().await.throttled();
    // The writes took room in the request window: 40 + 100 + 10 = 150.
    api.read_all(10).await;
    api.read().await.throttled();
    assert_eq!(emulator.throttle_counts(), counts(2, 0, 100, 150));
}

/// `scale_limits` and `set_limits` apply to the next request.
#[tokio::test]
async fn limits_change_while_running() {
    let emulator = start(Limits::intune()).await;
    let api = Api::new(&emulator, DEFAULT_CLIENT_ID);
    api.create_all(50).await;
    emulator.scale_limits(0.5);
    assert_eq!(emulator.limits().app_writes, Some(Window::new(50, TWENTY_SECONDS)));
    assert_eq!(emulator.limits().tenant_requests, Some(Window::new(1000, TWENTY_SECONDS)));
    api.create().await.throttled();
    emulator.set_limits(Limits::intune());
    api.create_all(50).await;
    api.create().await.throttled();
    emulator.set_limits(Limits::none());
    api.create_all(5).await;
    assert_eq!(emulator.throttle_counts(), counts(2, 0, 105, 105));
}

/// Neither the token endpoint nor calls without a valid token count.
#[tokio::test]
async fn tokens_and_unauthenticated_calls_do_not_count() {
    let limits = Limits { tenant_requests: Some(Window::new(1, TWENTY_SECONDS)), ..Limits::none() };
    let emulator = start(limits).await;
    let http = reqwest::Client::new();
    let (client_id, secret) = emulator.default_client();
    let form = format!(
        "grant_type=client_credentials&client_id={client_id}&client_secret={secret}&scope=https%3A%2F%2Fgraph.microsoft.com%2F.default"
    );
    let url = format!("{}/{}/oauth2/v2.0/token", emulator.root_url(), emulator.tenant());
    let mut token = String::new();
    for _ in 0..3 {
        let response = http
            .post(&url)
            .header("content-type", "application/x-www-form-urlencoded")
            .body(form.clone())
            .send()
            .await
            .unwrap();
        assert_eq!(response.status().as_u16(), 200);
        let body: Value = serde_json::from_str(&response.text().await.unwrap()).unwrap();
        token = body["access_token"].as_str().unwrap().to_owned();
    }
    let unauthenticated = http.get(format!("{}{CONFIGURATIONS}", emulator.graph_url("v1.0")));
    for _ in 0..3 {
        let status = unauthenticated.try_clone().unwrap().send().await.unwrap().status();
        assert_eq!(status.as_u16(), 401);
    }
    let api = Api { http, base: emulator.graph_url("v1.0"), token };
    api.read_all(1).await;
    api.read().await.throttled();
    assert_eq!(emulator.throttle_counts(), counts(1, 0, 0, 1));
}

/// Intune's services have windows of their own (Microsoft's throttling-limits page): a full
/// window of the applications service (user statuses, configurations) leaves the devices
/// service's room, which allows twice as many requests, and a path of no Intune service is not
/// limited.
#[tokio::test]
async fn each_intune_service_has_its_own_windows() {
    // A hundredth of the documented numbers: applications 10 reads per app, devices 20.
    let emulator = start(Limits::intune().scaled(0.01)).await;
    let mut api = Api::new(&emulator, DEFAULT_CLIENT_ID);
    let roles = [WRITE, "DeviceManagementManagedDevices.Read.All", "Group.Read.All"];
    api.token = emulator.issue_token(&roles, Duration::from_secs(600));
    api.read_all(10).await;
    api.read().await.throttled();
    let devices = "/deviceManagement/managedDevices?$top=1";
    for n in 0..20 {
        let reply = api.send(Method::GET, devices, None).await;
        assert_eq!(reply.status, 200, "read {n} of the devices service: {reply:?}");
    }
    api.send(Method::GET, devices, None).await.throttled();
    for n in 0..50 {
        let reply = api.send(Method::GET, "/groups", None).await;
        assert_eq!(reply.status, 200, "read {n} of no Intune service: {reply:?}");
    }
    assert_eq!(emulator.throttle_counts(), counts(2, 0, 0, 80));
}
