//! The emulator's bounds, over HTTP: paging past the end, huge `Retry-After` and token
//! lifetimes, body limits above axum's default, `$batch` authorization and redaction, and the
//! binary's command line and environment.
//!
//! Requests are written by hand over a blocking `TcpStream` (on a blocking thread), so that a
//! handler that panics shows up as a connection closed without an answer, and an answer sent
//! before the whole body was read is still seen.
#![allow(clippy::unwrap_used)]

use std::io::{BufRead as _, BufReader, Read as _, Write as _};
use std::net::{SocketAddr, TcpStream};
use std::process::{Child, Command, Stdio};
use std::time::Duration;

use graph_emulator::{Emulator, Faults, RetryAfter, RunningEmulator};
use serde_json::{Value, json};

const WRITE: &str = "DeviceManagementApps.ReadWrite.All";
const CONFIGURATIONS: &str = "/v1.0/deviceAppManagement/mobileAppConfigurations";
const MIB: usize = 1024 * 1024;

/// An answer as read off the wire; status 0 when the connection closed without one.
#[derive(Debug)]
struct Reply {
    status: u16,
    headers: Vec<(String, String)>,
    body: Vec<u8>,
}

impl Reply {
    fn header(&self, name: &str) -> Option<&str> {
        self.headers.iter().find(|(n, _)| n.eq_ignore_ascii_case(name)).map(|(_, v)| v.as_str())
    }

    fn json(&self) -> Value {
        serde_json::from_slice(&self.body)
            .unwrap_or_else(|e| panic!("{e}: {}", String::from_utf8_lossy(&self.body)))
    }

    /// Graph's error code, after checking the body is Graph's JSON error.
    fn graph_error(&self) -> String {
        assert!(
            self.header("content-type").is_some_and(|t| t.starts_with("application/json")),
            "{self:?}"
        );
        let body = self.json();
        let error = &body["error"];
        assert!(error["message"].is_string(), "{body}");
        assert!(error["innerError"]["request-id"].is_string(), "{body}");
        error["code"].as_str().unwrap().to_owned()
    }
}

/// Sends one request on its own connection and reads the answer to the end.
async fn send(
    address: SocketAddr,
    method: &str,
    path: &str,
    headers: &[(&str, &str)],
    body: Vec<u8>,
) -> Reply {
    let mut head = format!(
        "{method} {path} HTTP/1.1\r\nHost: {address}\r\nConnection: close\r\nContent-Length: {}\r\n",
        body.len()
    );
    for (name, value) in headers {
        head.push_str(&format!("{name}: {value}\r\n"));
    }
    head.push_str("\r\n");
    tokio::task::spawn_blocking(move || exchange(address, head, body)).await.unwrap()
}

fn exchange(address: SocketAddr, head: String, body: Vec<u8>) -> Reply {
    let stream = TcpStream::connect(address).unwrap();
    stream.set_read_timeout(Some(Duration::from_secs(60))).unwrap();
    let mut writer = stream.try_clone().unwrap();
    // The server may answer (and close) before it has read the body: write on another thread,
    // and ignore a write that fails because of that.
    let sender = std::thread::spawn(move || {
        let _ = writer.write_all(head.as_bytes()).and_then(|()| writer.write_all(&body));
    });
    let mut received = Vec::new();
    let _ = (&stream).read_to_end(&mut received);
    let _ = sender.join();
    parse(&received)
}

fn parse(received: &[u8]) -> Reply {
    let Some(end) = received.windows(4).position(|w| w == b"\r\n\r\n") else {
        return Reply { status: 0, headers: Vec::new(), body: received.to_vec() };
    };
    let head = String::from_utf8_lossy(&received[..end]);
    let mut lines = head.split("\r\n");
    let status = lines.next().and_then(|l| l.split(' ').nth(1)).unwrap().parse().unwrap();
    let headers: Vec<(String, String)> = lines
        .filter_map(|l| l.split_once(':'))
        .map(|(n, v)| (n.trim().to_lowercase(), v.trim().to_owned()))
        .collect();
    let mut body = received[end + 4..].to_vec();
    if let Some(length) = headers.iter().find(|(n, _)| n == "content-length") {
        body.truncate(length.1.parse().unwrap());
    }
    Reply { status, headers, body }
}

fn bearer(token: &str) -> String {
    format!("Bearer {token}")
}

fn user_status(display_name: &str) -> Value {
    json!({
        "@odata.type": "#microsoft.graph.managedDeviceMobileAppConfigurationUserStatus",
        "userDisplayName": display_name, "devicesCount": 1, "status": "compliant",
        "lastReportedDateTime": "2017-01-01T00:00:17Z", "userPrincipalName": "a@contoso.com"
    })
}

/// Creates a configuration; its id.
async fn configuration(address: SocketAddr, token: &str) -> String {
    let body =
        json!({"@odata.type": "#microsoft.graph.iosMobileAppConfiguration", "displayName": "t"});
    let reply = post(address, token, CONFIGURATIONS, body.to_string().into()).await;
    assert_eq!(reply.status, 201, "{reply:?}");
    reply.json()["id"].as_str().unwrap().to_owned()
}

async fn create_status(address: SocketAddr, token: &str, parent: &str, body: Vec<u8>) -> Reply {
    post(address, token, &format!("{CONFIGURATIONS}/{parent}/userStatuses"), body).await
}

/// A `POST` of a JSON body with a bearer token.
async fn post(address: SocketAddr, token: &str, path: &str, body: Vec<u8>) -> Reply {
    let auth = bearer(token);
    let headers = [("Authorization", auth.as_str()), ("Content-Type", "application/json")];
    send(address, "POST", path, &headers, body).await
}

async fn get(address: SocketAddr, token: &str, path: &str) -> Reply {
    let auth = bearer(token);
    send(address, "GET", path, &[("Authorization", auth.as_str())], Vec::new()).await
}

/// The user statuses stored under configuration `parent`.
fn stored(emulator: &RunningEmulator, parent: &str) -> Option<Vec<Value>> {
    emulator
        .entities(&format!("/deviceAppManagement/mobileAppConfigurations/{parent}/userStatuses"))
}

/// Starts `emulator` and creates a configuration in it: the emulator, a token with the write
/// permission, and the configuration's id.
async fn with_configuration(emulator: Emulator) -> (RunningEmulator, String, String) {
    let emulator = emulator.start().await.unwrap();
    let token = write_token(&emulator);
    let parent = configuration(emulator.address(), &token).await;
    (emulator, token, parent)
}

fn write_token(emulator: &RunningEmulator) -> String {
    emulator.issue_token(&[WRITE], Duration::from_secs(600))
}

/// A `$skiptoken` past the end, even `usize::MAX`, is an empty page without a next link; so is
/// any page of an emulator whose page size is `usize::MAX`.
#[tokio::test]
async fn a_skiptoken_past_the_end_gets_an_empty_page() {
    for page_size in [100, usize::MAX] {
        let (emulator, token, parent) =
            with_configuration(Emulator::builder().page_size(page_size)).await;
        let address = emulator.address();
        for name in ["a", "b"] {
            let body = user_status(name).to_string().into();
            assert_eq!(create_status(address, &token, &parent, body).await.status, 201);
        }
        let list = format!("{CONFIGURATIONS}/{parent}/userStatuses");
        for skip in ["2", "3", "18446744073709551615", "1"] {
            let reply = get(address, &token, &format!("{list}?$skiptoken={skip}")).await;
            assert_eq!(reply.status, 200, "{skip} {page_size}: {reply:?}");
            let body = reply.json();
            let expected = usize::from(skip == "1");
            assert_eq!(body["value"].as_array().unwrap().len(), expected, "{body}");
            assert!(body.get("@odata.nextLink").is_none(), "{body}");
        }
        // Not a number: Graph's 400.
        let reply = get(address, &token, &format!("{list}?$skiptoken=-1")).await;
        assert_eq!((reply.status, reply.graph_error().as_str()), (400, "BadRequest"));
    }
}

/// `Retry-After` values beyond a day are answered as a day, not with a panic.
#[tokio::test]
async fn huge_retry_after_values_are_clamped_to_a_day() {
    let day = 86_400;
    for retry_after in [
        RetryAfter::Seconds(u64::MAX),
        RetryAfter::Fractional(1e300),
        RetryAfter::Fractional(f64::INFINITY),
        RetryAfter::Fractional(f64::NAN),
        RetryAfter::Fractional(-1.0),
        RetryAfter::HttpDate(u64::MAX),
    ] {
        let faults = Faults { throttle_rate: 1.0, retry_after, ..Faults::default() };
        let emulator = Emulator::builder().faults(faults).start().await.unwrap();
        let (address, token) = (emulator.address(), write_token(&emulator));
        let headers = [("Authorization", bearer(&token)), ("client-request-id", "c".into())];
        let headers: Vec<(&str, &str)> = headers.iter().map(|(n, v)| (*n, v.as_str())).collect();
        for attempt in 0..2 {
            let reply = send(address, "GET", CONFIGURATIONS, &headers, Vec::new()).await;
            assert_eq!(reply.status, 429, "{retry_after:?} {attempt}: {reply:?}");
            assert_eq!(reply.graph_error(), "TooManyRequests");
            let value = reply.header("retry-after").unwrap();
            match retry_after {
                RetryAfter::HttpDate(_) if attempt == 0 => {
                    let at = httpdate::parse_http_date(value).unwrap();
                    let ahead = at.duration_since(std::time::SystemTime::now()).unwrap();
                    assert!(ahead <= Duration::from_secs(day + 1), "{value}");
                    assert!(ahead >= Duration::from_secs(day - 60), "{value}");
                }
                _ => {
                    let seconds: f64 = value.parse().unwrap();
                    // A date is rounded up to the next whole second.
                    let most = day + u64::from(matches!(retry_after, RetryAfter::HttpDate(_)));
                    assert!((0.0..=most as f64).contains(&seconds), "{retry_after:?}: {value}");
                    assert_eq!(seconds == 0.0, no_wait(retry_after), "{retry_after:?}: {value}");
                }
            }
        }
        let counts = emulator.fault_counts();
        let early = u64::from(!no_wait(retry_after));
        assert_eq!(counts.early_retries, early, "{retry_after:?} {counts:?}");
    }
}

/// Whether a mode is answered as no wait at all: NaN and negative fractions.
fn no_wait(retry_after: RetryAfter) -> bool {
    matches!(retry_after, RetryAfter::Fractional(f) if f.is_nan() || f <= 0.0)
}

/// A token lifetime beyond ten years is clamped, in the builder and in `issue_token`.
#[tokio::test]
async fn a_huge_token_ttl_is_clamped() {
    let ten_years = 10 * 365 * 86_400;
    let emulator = Emulator::builder().token_ttl(Duration::MAX).start().await.unwrap();
    let address = emulator.address();
    let (client_id, secret) = emulator.default_client();
    let form = format!(
        "grant_type=client_credentials&client_id={client_id}&client_secret={secret}&scope=https%3A%2F%2Fgraph.microsoft.com%2F.default"
    );
    let path = format!("/{}/oauth2/v2.0/token", emulator.tenant());
    let headers = [("Content-Type", "application/x-www-form-urlencoded")];
    let reply = send(address, "POST", &path, &headers, form.into()).await;
    assert_eq!(reply.status, 200, "{reply:?}");
    let body = reply.json();
    assert_eq!(body["expires_in"], json!(ten_years), "{body}");
    let token = body["access_token"].as_str().unwrap().to_owned();
    assert_eq!(get(address, &token, CONFIGURATIONS).await.status, 200);

    let issued = emulator.issue_token(&[WRITE], Duration::MAX);
    assert_eq!(get(address, &issued, CONFIGURATIONS).await.status, 200);
}

/// One body limit, the configured one, even above axum's default of 2 MiB, always answered
/// with Graph's JSON `413`.
#[tokio::test]
async fn bodies_past_two_mib_are_held_to_the_configured_limit() {
    let (emulator, token, parent) =
        with_configuration(Emulator::builder().max_body_bytes(4 * MIB)).await;
    let address = emulator.address();
    let big = user_status(&"x".repeat(3 * MIB)).to_string().into_bytes();
    let reply = create_status(address, &token, &parent, big).await;
    let start = String::from_utf8_lossy(&reply.body[..reply.body.len().min(200)]).into_owned();
    assert_eq!(reply.status, 201, "{start}");
    assert_eq!(stored(&emulator, &parent).unwrap().len(), 1);

    let too_big = user_status(&"x".repeat(5 * MIB)).to_string().into_bytes();
    let reply = create_status(address, &token, &parent, too_big).await;
    assert_eq!((reply.status, reply.graph_error().as_str()), (413, "RequestEntityTooLarge"));
    assert_eq!(stored(&emulator, &parent).unwrap().len(), 1);
}

/// The default limit is 1 MiB, answered with Graph's JSON `413`.
#[tokio::test]
async fn the_default_limit_is_one_mib() {
    let (emulator, token, parent) = with_configuration(Emulator::builder()).await;
    let address = emulator.address();
    let too_big = user_status(&"x".repeat(3 * MIB / 2)).to_string().into_bytes();
    let reply = create_status(address, &token, &parent, too_big).await;
    assert_eq!((reply.status, reply.graph_error().as_str()), (413, "RequestEntityTooLarge"));
    assert_eq!(stored(&emulator, &parent).unwrap().len(), 0);
}

fn batch_of_one(parent: &str, authorization: Option<(&str, &str)>) -> Vec<u8> {
    let mut headers = json!({"Content-Type": "application/json"});
    if let Some((name, value)) = authorization {
        headers[name] = json!(value);
    }
    json!({"requests": [{
        "id": "1", "method": "POST",
        "url": format!("/deviceAppManagement/mobileAppConfigurations/{parent}/userStatuses"),
        "headers": headers, "body": user_status("batched"),
    }]})
    .to_string()
    .into_bytes()
}

/// A sub-request's `Authorization` header (any case) is redacted in the recorded `$batch` body.
#[tokio::test]
async fn batch_sub_request_tokens_are_redacted_in_the_log() {
    let (emulator, outer, parent) = with_configuration(Emulator::builder()).await;
    let address = emulator.address();
    for name in ["Authorization", "authorization", "AUTHORIZATION"] {
        let inner = write_token(&emulator);
        let body = batch_of_one(&parent, Some((name, &bearer(&inner))));
        let reply = post(address, &outer, "/v1.0/$batch", body).await;
        assert_eq!(reply.status, 200, "{reply:?}");
        assert_eq!(reply.json()["responses"][0]["status"], json!(201), "{reply:?}");
        let log = log_text(&emulator);
        for token in [&inner, &outer] {
            assert!(!log.contains(token.as_str()), "{name}: the log holds a token: {log}");
        }
        let recorded =
            emulator.requests().into_iter().rev().find(|r| r.path == "/v1.0/$batch").unwrap();
        let recorded: Value = serde_json::from_slice(&recorded.body).unwrap();
        assert_eq!(recorded["requests"][0]["headers"][name], json!("Bearer <redacted>"));
        assert_eq!(recorded["requests"][0]["body"], user_status("batched"), "the rest is kept");
    }
    // A body that is not JSON but names an authorization header is not kept.
    let broken = format!("{{\"requests\": [{{\"headers\": {{\"Authorization\": \"{outer}\"");
    let reply = post(address, &outer, "/v1.0/$batch", broken.into()).await;
    assert_eq!(reply.status, 400);
    assert!(!log_text(&emulator).contains(&outer));
}

/// Everything the request log holds, as text.
fn log_text(emulator: &RunningEmulator) -> String {
    emulator
        .requests()
        .iter()
        .map(|r| {
            format!(
                "{} {} {:?} {}\n",
                r.method,
                r.path,
                r.headers,
                String::from_utf8_lossy(&r.body)
            )
        })
        .collect()
}

/// The `$batch` request itself needs a valid token: Graph's `401` otherwise, before any item
/// runs.
#[tokio::test]
async fn a_batch_needs_a_valid_token() {
    let (emulator, token, parent) = with_configuration(Emulator::builder()).await;
    let address = emulator.address();
    let expired = emulator.issue_token(&[WRITE], Duration::ZERO);
    // The items carry a valid token of their own: the outer one is what is checked.
    let inner = bearer(&token);
    let body = batch_of_one(&parent, Some(("Authorization", &inner)));
    let cases = [
        (None, "empty"),
        (Some("Bearer not-a-token".to_owned()), "validation failure"),
        (Some(bearer(&expired)), "expired"),
        (Some("Basic dXNlcjpwYXNz".to_owned()), "empty"),
    ];
    for (authorization, message) in cases {
        let mut headers = vec![("Content-Type", "application/json")];
        if let Some(authorization) = &authorization {
            headers.push(("Authorization", authorization.as_str()));
        }
        let reply = send(address, "POST", "/v1.0/$batch", &headers, body.clone()).await;
        assert_eq!(reply.status, 401, "{authorization:?}: {reply:?}");
        assert_eq!(reply.graph_error(), "InvalidAuthenticationToken");
        let text = reply.json()["error"]["message"].as_str().unwrap().to_owned();
        assert!(text.contains(message), "{text}");
    }
    assert_eq!(stored(&emulator, &parent).unwrap().len(), 0, "no item ran");
    // A malformed batch with no token is a 401 too: authentication comes first.
    let reply = send(address, "POST", "/v1.0/$batch", &[], b"{}".to_vec()).await;
    assert_eq!(reply.status, 401, "{reply:?}");

    let reply = post(address, &token, "/v1.0/$batch", batch_of_one(&parent, None)).await;
    assert_eq!(reply.status, 200, "{reply:?}");
    assert_eq!(reply.json()["responses"][0]["status"], json!(201), "{reply:?}");
    assert_eq!(stored(&emulator, &parent).unwrap().len(), 1);
}

/// The binary, killed when the test ends.
struct Binary(Child);

impl Drop for Binary {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

fn binary() -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_graph-emulator"));
    // Nothing from the environment the tests run in.
    for (name, _) in std::env::vars_os() {
        if name.to_string_lossy().starts_with("GRAPH_EMULATOR_") {
            command.env_remove(name);
        }
    }
    command
}

/// `GRAPH_EMULATOR_*` variables configure the binary like its options.
#[tokio::test]
async fn the_binary_takes_its_options_from_the_environment() {
    let mut child = binary()
        .env("GRAPH_EMULATOR_HOST", "127.0.0.1")
        .env("GRAPH_EMULATOR_PORT", "0")
        .env("GRAPH_EMULATOR_PAGE_SIZE", "1")
        .env("GRAPH_EMULATOR_TENANT", "from-env")
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let stdout = child.stdout.take().unwrap();
    let binary = Binary(child);
    let banner = tokio::task::spawn_blocking(move || {
        let mut lines = BufReader::new(stdout).lines();
        let mut banner = Vec::new();
        while let Some(Ok(line)) = lines.next() {
            let last = line.starts_with("Press Ctrl-C");
            banner.push(line);
            if last {
                break;
            }
        }
        banner
    })
    .await
    .unwrap();
    let listening = banner[0].strip_prefix("graph-emulator listening on http://").unwrap();
    let address: SocketAddr = listening.parse().unwrap();
    assert!(banner.iter().any(|l| l.contains("/from-env/oauth2/v2.0/token")), "{banner:?}");

    let form = format!(
        "grant_type=client_credentials&client_id={}&client_secret={}&scope=x%2F.default",
        graph_emulator::DEFAULT_CLIENT_ID,
        graph_emulator::DEFAULT_CLIENT_SECRET
    );
    let headers = [("Content-Type", "application/x-www-form-urlencoded")];
    let reply = send(address, "POST", "/from-env/oauth2/v2.0/token", &headers, form.into()).await;
    assert_eq!(reply.status, 200, "{reply:?}");
    let token = reply.json()["access_token"].as_str().unwrap().to_owned();
    let parent = configuration(address, &token).await;
    for name in ["a", "b"] {
        let body = user_status(name).to_string().into();
        assert_eq!(create_status(address, &token, &parent, body).await.status, 201);
    }
    let page = get(address, &token, &format!("{CONFIGURATIONS}/{parent}/userStatuses")).await;
    let page = page.json();
    assert_eq!(page["value"].as_array().unwrap().len(), 1, "pages of 1: {page}");
    assert!(page["@odata.nextLink"].is_string(), "{page}");
    drop(binary);
}

/// Out-of-range values, as options or variables, are refused as clap refuses: exit code 2, the
/// bound named.
#[test]
fn the_binary_refuses_out_of_range_values() {
    type Case<'a> = (&'a [&'a str], &'a [(&'a str, &'a str)], &'a str);
    let cases: [Case<'_>; 6] = [
        (&["--retry-after", "86401"], &[], "at most 86400 seconds"),
        (&["--retry-after", "date:99999999999"], &[], "at most 86400 seconds"),
        (&[], &[("GRAPH_EMULATOR_RETRY_AFTER", "1e300")], "at most 86400 seconds"),
        (&["--page-size", "0"], &[], "--page-size"),
        (&[], &[("GRAPH_EMULATOR_THROTTLE_RATE", "1.5")], "--throttle-rate"),
        (&["--token-ttl", "18446744073709551615"], &[], "--token-ttl"),
    ];
    for (args, vars, expected) in cases {
        let mut command = binary();
        command.args(["--port", "0"]).args(args).envs(vars.iter().copied());
        let (code, stdout, stderr) = run_to_end(command);
        assert_eq!(code, Some(2), "{args:?} {vars:?}: {stderr}");
        assert!(stderr.contains(expected), "{args:?} {vars:?}: {stderr}");
        assert!(stdout.is_empty(), "it did not start: {stdout}");
    }
}

/// Runs the binary to its end, or for 30 seconds before killing it: its exit code, stdout and
/// stderr.
fn run_to_end(mut command: Command) -> (Option<i32>, String, String) {
    let mut child = command.stdout(Stdio::piped()).stderr(Stdio::piped()).spawn().unwrap();
    let read = |mut pipe: Box<dyn std::io::Read + Send>| {
        std::thread::spawn(move || {
            let mut text = String::new();
            let _ = pipe.read_to_string(&mut text);
            text
        })
    };
    let stdout = read(Box::new(child.stdout.take().unwrap()));
    let stderr = read(Box::new(child.stderr.take().unwrap()));
    let mut binary = Binary(child);
    let started = std::time::Instant::now();
    let code = loop {
        if let Some(status) = binary.0.try_wait().unwrap() {
            break status.code();
        }
        if started.elapsed() > Duration::from_secs(30) {
            break None;
        }
        std::thread::sleep(Duration::from_millis(20));
    };
    drop(binary);
    (code, stdout.join().unwrap(), stderr.join().unwrap())
}

/// `--help` describes every option with its variable.
#[test]
fn help_names_every_environment_variable() {
    let mut command = binary();
    command.arg("--help");
    let (code, help, _) = run_to_end(command);
    assert_eq!(code, Some(0), "{help}");
    for option in [
        "port",
        "host",
        "page-size",
        "token-ttl",
        "max-body-bytes",
        "max-entities",
        "tenant",
        "throttle-rate",
        "retry-after",
        "unavailable-rate",
        "gateway-timeout-rate",
        "latency-ms",
        "drop-after-store-rate",
        "seed",
    ] {
        let variable = format!("GRAPH_EMULATOR_{}", option.replace('-', "_").to_uppercase());
        assert!(help.contains(&format!("--{option}")), "{option}: {help}");
        assert!(help.contains(&format!("[env: {variable}")), "{variable}: {help}");
    }
}

/// A `$filter` of thousands of `or` (or `and`) terms is evaluated, not the end of the process (a
/// 3,000-term one once overflowed the stack and aborted it); one past the bound on its size is
/// Graph's `400` naming the problem.
#[tokio::test]
async fn long_filters_are_evaluated_or_refused_never_fatal() {
    let emulator = Emulator::builder().start().await.unwrap();
    let address = emulator.address();
    let token = emulator.issue_token(&["Application.ReadWrite.All"], Duration::from_secs(600));
    let body = json!({"displayName": "a"}).to_string().into();
    assert_eq!(post(address, &token, "/v1.0/applications", body).await.status, 201);
    for operator in ["or", "and"] {
        let filter = vec!["true"; 3_000].join(&format!("%20{operator}%20"));
        let reply = get(address, &token, &format!("/v1.0/applications?$filter={filter}")).await;
        assert_eq!(reply.status, 200, "{operator}: {reply:?}");
        assert_eq!(reply.json()["value"].as_array().map(Vec::len), Some(1), "{operator}");
    }
    // 10,001 operands (hyper answers 414 to a URI past 64 KiB: an `in` list packs them tighter).
    let filter = format!("displayName%20in%20({})", vec!["'a'"; 10_000].join(","));
    let reply = get(address, &token, &format!("/v1.0/applications?$filter={filter}")).await;
    assert_eq!((reply.status, reply.graph_error().as_str()), (400, "BadRequest"), "{reply:?}");
    let message = reply.json()["error"]["message"].as_str().unwrap().to_owned();
    assert!(message.contains("at most 10000 operands"), "{message}");
}

/// Creates `count` user statuses of about `bytes` bytes each under `parent`; their ids.
async fn large_statuses(
    address: SocketAddr,
    token: &str,
    parent: &str,
    count: usize,
    bytes: usize,
) -> Vec<String> {
    let mut ids = Vec::new();
    for n in 0..count {
        let body = user_status(&format!("{n:03}{}", "x".repeat(bytes)));
        let reply = create_status(address, token, parent, body.to_string().into()).await;
        assert_eq!(reply.status, 201, "{reply:?}");
        ids.push(reply.json()["id"].as_str().unwrap().to_owned());
    }
    ids
}

/// What one request may build is bounded: a page ends before its answer would pass
/// `max_response_bytes` (its next link goes on from there), a `$batch`'s answers share one such
/// budget, and an answer that cannot fit is Graph's `400` naming the limit.
#[tokio::test]
async fn answers_are_bounded_per_request_and_per_batch() {
    let budget = 256 * 1024;
    let (emulator, token, parent) =
        with_configuration(Emulator::builder().max_response_bytes(budget)).await;
    let address = emulator.address();
    large_statuses(address, &token, &parent, 30, 20 * 1024).await;
    let list = format!("{CONFIGURATIONS}/{parent}/userStatuses");
    // Pages within the budget, and every entity once when the links are followed.
    let mut seen = Vec::new();
    let mut next = Some(format!("http://{address}{list}"));
    while let Some(link) = next.take() {
        let path = link.strip_prefix(&format!("http://{address}")).unwrap().to_owned();
        let reply = get(address, &token, &path).await;
        assert_eq!(reply.status, 200, "{reply:?}");
        assert!(reply.body.len() <= budget, "{} bytes", reply.body.len());
        let page = reply.json();
        seen.extend(page["value"].as_array().unwrap().iter().map(|v| v["id"].clone()));
        next = page["@odata.nextLink"].as_str().map(str::to_owned);
    }
    assert_eq!(seen.len(), 30);
    // A `$batch` of 20 such reads: one budget for all of its answers.
    let requests: Vec<Value> = (0..20)
        .map(|n| json!({"id": n.to_string(), "method": "GET", "url": list.replace("/v1.0", "")}))
        .collect();
    let body = json!({ "requests": requests }).to_string().into();
    let reply = post(address, &token, "/v1.0/$batch", body).await;
    assert_eq!(reply.status, 200, "{reply:?}");
    assert!(reply.body.len() <= budget, "{} bytes", reply.body.len());
    let answers = reply.json()["responses"].as_array().unwrap().clone();
    assert_eq!(answers.len(), 20);
    assert!(answers.iter().any(|a| a["status"] == 200), "some fit");
    let refused: Vec<&Value> = answers.iter().filter(|a| a["status"] == 400).collect();
    assert!(!refused.is_empty(), "not all fit");
    for answer in refused {
        let message = answer["body"]["error"]["message"].as_str().unwrap();
        assert!(message.contains(&format!("{budget} bytes")), "{message}");
    }
    // An entity whose answer alone passes the budget, read or listed: refused, not cut.
    let large = large_statuses(address, &token, &parent, 1, 300 * 1024).await;
    for path in [format!("{list}/{}", large[0]), format!("{list}?$filter=id%20eq%20'{}'", large[0])]
    {
        let reply = get(address, &token, &path).await;
        assert_eq!((reply.status, reply.graph_error().as_str()), (400, "BadRequest"), "{reply:?}");
        let message = reply.json()["error"]["message"].as_str().unwrap().to_owned();
        assert!(message.contains(&format!("limit of {budget} bytes")), "{message}");
    }
}

/// An expanded collection holds at most 20 entities and no next link, as Graph documents
/// (learn.microsoft.com/graph/query-parameters, "expand").
#[tokio::test]
async fn expanded_collections_hold_at_most_twenty() {
    let (emulator, token, parent) = with_configuration(Emulator::builder()).await;
    let address = emulator.address();
    large_statuses(address, &token, &parent, 25, 10).await;
    let reply =
        get(address, &token, &format!("{CONFIGURATIONS}/{parent}?$expand=userStatuses")).await;
    assert_eq!(reply.status, 200, "{reply:?}");
    let body = reply.json();
    assert_eq!(body["userStatuses"].as_array().map(Vec::len), Some(20), "{body}");
    assert!(body.get("userStatuses@odata.nextLink").is_none());
    let reply = get(address, &token, &format!("{CONFIGURATIONS}?$expand=userStatuses")).await;
    let listed = reply.json()["value"][0]["userStatuses"].as_array().map(Vec::len);
    assert_eq!(listed, Some(20));
}
