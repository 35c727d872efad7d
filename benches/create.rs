//! Benchmarks, side by side in one run: `cargo bench --bench create`.
//!
//! 1. Every operation vs a hand-written `reqwest` + `serde_json` program sending the same bytes
//!    and parsing the same response, against a static responder on loopback: `create`, `get` by
//!    key, `update` and `delete` (5,000 each), `list` (100 listings of 1,000 entities in pages
//!    of 100), each sequential and with 16 concurrent tasks: wall time, CPU time and peak
//!    memory. `create` also against the same floor with graph-entity's default per-request
//!    timeout (100 s), and against the plain floor: no `client-request-id`, `SdkVersion` or
//!    `User-Agent`. A listing of 100,000 entities: its peak memory, against a listing of 1,000.
//!    An action, `invoke` of the configuration's `assign` (5,000, both ways), against the same
//!    `POST` written by hand. Delta: 10 rounds of `User::delta` over 10,000 users in pages of
//!    100, against the same pages read by hand, and the peak memory of a round of 100 pages
//!    against a round of one.
//! 2. Serialization + validation of the seed entity vs a plain `#[derive(Serialize)]` struct of
//!    the same shape.
//! 3. Bulk: 10,000 creates through `$batch` vs one request each, against the emulator.
//!
//! Every HTTP measurement runs in a fresh child process (this binary with `--child ...`), so
//! that its peak resident memory (`VmHWM`) and CPU time are its own; variants alternate run by
//! run so that machine noise hits both alike. Medians and ratios are printed as a Markdown
//! table. `BENCH_RUNS` sets the runs per measurement (default 15).

use std::hint::black_box;
use std::process::Command;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Instant;

use graph_entity::intune::{
    AssignMobileAppConfiguration, ComplianceStatus, DeviceAndAppManagementAssignmentTarget,
    GroupAssignmentTarget, ManagedDeviceMobileAppConfigurationAssignment,
    ManagedDeviceMobileAppConfigurationUserStatus as Status,
};
use graph_entity::prelude::*;
use graph_entity::{
    Client,
    client::{BulkOptions, RetryPolicy},
};

#[path = "../tests/common/mod.rs"]
mod common;

const CALLS: usize = 5_000;
const CONCURRENCY: usize = 16;
/// Listings per `list` run, and the entities of each.
const LISTINGS: usize = 100;
const PAGE: usize = 100;
const BULK: usize = 10_000;
const SERIALIZE_ITERATIONS: usize = 1_000_000;
/// What graph-entity sends as `User-Agent` and `SdkVersion`.
const SDK_VERSION: &str = concat!("graph-entity/", env!("CARGO_PKG_VERSION"));
const ID: &str = "44960944-0944-4496-4409-964444099644";
/// What a read of the seed selects: its declared properties.
const SELECT: &str =
    "$select=id,userDisplayName,devicesCount,status,lastReportedDateTime,userPrincipalName";
const COLLECTION: &str = "/deviceAppManagement/mobileAppConfigurations";
/// Rounds of changes per `delta` run, and the pages of each (`delta1`: one page).
const DELTA_ROUNDS: usize = 10;
const DELTA_PAGES: usize = 100;
/// The pages of a round the static responder serves in this process.
static ROUND_PAGES: AtomicUsize = AtomicUsize::new(DELTA_PAGES);
/// What a round selects: the declared properties of `User`.
const USER_SELECT: &str = "$select=id,displayName,userPrincipalName,mail,jobTitle";
const USER: &str = r#"{"id":"87d349ed-44d7-43e1-9a83-5f2406dee5bd","displayName":"Adele Vance","userPrincipalName":"AdeleV@contoso.onmicrosoft.com","mail":"AdeleV@contoso.onmicrosoft.com","jobTitle":"Retail Manager"}"#;

/// The users a round reads.
#[graph_entity::graph_entity(path = "/users")]
#[derive(Debug)]
struct User {
    #[graph(key)]
    id: Option<String>,
    display_name: Option<String>,
    user_principal_name: Option<String>,
    mail: Option<String>,
    job_title: Option<String>,
}

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

    /// The update the benchmark sends: the same bytes as `Status::patch().devices_count(13)`.
    #[derive(Serialize)]
    #[serde(rename_all = "camelCase")]
    pub(crate) struct Patch<'a> {
        #[serde(rename = "@odata.type")]
        pub(crate) odata_type: &'a str,
        pub(crate) devices_count: i32,
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

    /// The `assign` the benchmark sends: the same bytes as `AssignMobileAppConfiguration`.
    pub(crate) const ASSIGN: &str = r##"{"assignments":[{"@odata.type":"#microsoft.graph.managedDeviceMobileAppConfigurationAssignment","target":{"@odata.type":"#microsoft.graph.groupAssignmentTarget","groupId":"b8f2ab5a-1c6b-4e4c-8fc8-d5d3f5c8ef01"}}]}"##;

    #[derive(Serialize)]
    pub(crate) struct Assign<'a> {
        pub(crate) assignments: [Assignment<'a>; 1],
    }

    #[derive(Serialize)]
    pub(crate) struct Assignment<'a> {
        #[serde(rename = "@odata.type")]
        pub(crate) odata_type: &'a str,
        pub(crate) target: Target<'a>,
    }

    #[derive(Serialize)]
    #[serde(rename_all = "camelCase")]
    pub(crate) struct Target<'a> {
        #[serde(rename = "@odata.type")]
        pub(crate) odata_type: &'a str,
        pub(crate) group_id: &'a str,
    }

    #[derive(Deserialize)]
    pub(crate) struct Page {
        pub(crate) value: Vec<Response>,
        #[serde(rename = "@odata.nextLink")]
        pub(crate) next_link: Option<String>,
    }

    /// A user of a round of changes, as a hand-written program reads it.
    #[derive(Deserialize)]
    #[serde(rename_all = "camelCase")]
    #[allow(dead_code)]
    pub(crate) struct User {
        pub(crate) id: String,
        pub(crate) display_name: Option<String>,
        pub(crate) user_principal_name: Option<String>,
        pub(crate) mail: Option<String>,
        pub(crate) job_title: Option<String>,
        #[serde(rename = "@removed")]
        pub(crate) removed: Option<serde::de::IgnoredAny>,
    }

    #[derive(Deserialize)]
    pub(crate) struct DeltaPage {
        pub(crate) value: Vec<User>,
        #[serde(rename = "@odata.nextLink")]
        pub(crate) next_link: Option<String>,
        #[serde(rename = "@odata.deltaLink")]
        pub(crate) delta_link: Option<String>,
    }

    pub(crate) const ODATA_TYPE: &str =
        "#microsoft.graph.managedDeviceMobileAppConfigurationUserStatus";

    pub(crate) const REQUEST: Request<'static> = Request {
        odata_type: ODATA_TYPE,
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

/// One measurement in this process; prints `seconds cpu_seconds peak_kib`.
fn child(args: &[String]) {
    let (variant, mode) = (args[0].as_str(), args[1].as_str());
    if mode == "serialize" {
        // For instruction counts under `valgrind --tool=callgrind`.
        println!("{} 0 {}", serialize_ns(variant == "ours"), peak_kib());
        return;
    }
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .expect("a runtime");
    let seconds = runtime.block_on(async {
        if mode == "bulk" {
            return bulk(variant).await;
        }
        let base = static_responder();
        // `create`, `create16`, `list100k` …: the operation, and 16 tasks for the `16` suffix.
        let (operation, concurrency) = match mode.strip_suffix("16") {
            Some(operation) => (operation, CONCURRENCY),
            None => (mode, 1),
        };
        if operation == "delta1" {
            ROUND_PAGES.store(1, Ordering::Relaxed);
        }
        let calls = match operation {
            "list" => LISTINGS,
            "delta" | "delta1" => DELTA_ROUNDS,
            "list100k" | "list1k" => 1,
            _ => CALLS,
        };
        run(variant, operation, &base, calls, concurrency).await
    });
    println!("{seconds} {} {}", cpu_seconds(), peak_kib());
}

/// A static responder on its own thread: `201` and the documentation's entity to a `POST`, the
/// entity to a `GET` by key, `204` to a `PATCH` and a `DELETE`, and pages of 100 entities to a
/// `GET` of a collection. The configuration's id is `p` and the number of pages (`p10`).
fn static_responder() -> String {
    let (sender, receiver) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        let runtime =
            tokio::runtime::Builder::new_current_thread().enable_all().build().expect("a runtime");
        runtime.block_on(async move {
            let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.expect("a port");
            let address = listener.local_addr().expect("an address");
            sender.send(address).expect("the parent waits");
            let entities = vec![RESPONSE; PAGE].join(",");
            let users = vec![USER; PAGE].join(",");
            let app = axum::Router::new().fallback(
                move |method: axum::http::Method, uri: axum::http::Uri| {
                    let page = match uri.path().ends_with("/users/delta") {
                        true => answer_round(&address, &uri, &users),
                        false => answer_page(&address, &method, &uri, &entities),
                    };
                    async move { page }
                },
            );
            axum::serve(listener, app).await.expect("serving");
        });
    });
    format!("http://{}/v1.0", receiver.recv().expect("an address"))
}

fn answer_page(
    address: &std::net::SocketAddr,
    method: &axum::http::Method,
    uri: &axum::http::Uri,
    entities: &str,
) -> (axum::http::StatusCode, [(&'static str, &'static str); 1], String) {
    use axum::http::{Method, StatusCode};
    let json = [("content-type", "application/json")];
    let path = uri.path();
    match *method {
        Method::POST => (StatusCode::CREATED, json, RESPONSE.to_owned()),
        Method::PATCH | Method::DELETE => (StatusCode::NO_CONTENT, json, String::new()),
        _ if path.ends_with("/userStatuses") => {
            let pages: usize = path
                .split('/')
                .find_map(|s| s.strip_prefix('p').and_then(|n| n.parse().ok()))
                .unwrap_or(1);
            let page: usize = uri
                .query()
                .and_then(|q| q.split('&').find_map(|o| o.strip_prefix("$skiptoken=")))
                .and_then(|n| n.parse().ok())
                .unwrap_or(0);
            let next = if page + 1 < pages {
                format!(r#","@odata.nextLink":"http://{address}{path}?$skiptoken={}""#, page + 1)
            } else {
                String::new()
            };
            (StatusCode::OK, json, format!(r#"{{"value":[{entities}]{next}}}"#))
        }
        _ => (StatusCode::OK, json, RESPONSE.to_owned()),
    }
}

/// A page of a round of changes to users: [`ROUND_PAGES`] pages of 100, the last with a delta
/// link.
fn answer_round(
    address: &std::net::SocketAddr,
    uri: &axum::http::Uri,
    users: &str,
) -> (axum::http::StatusCode, [(&'static str, &'static str); 1], String) {
    let page: usize = uri
        .query()
        .and_then(|q| q.split('&').find_map(|o| o.strip_prefix("$skiptoken=")))
        .and_then(|n| n.parse().ok())
        .unwrap_or(0);
    let link = if page + 1 < ROUND_PAGES.load(Ordering::Relaxed) {
        format!(r#""@odata.nextLink":"http://{address}/v1.0/users/delta?$skiptoken={}""#, page + 1)
    } else {
        format!(r#""@odata.deltaLink":"http://{address}/v1.0/users/delta?$deltatoken=d""#)
    };
    let json = [("content-type", "application/json")];
    (axum::http::StatusCode::OK, json, format!(r#"{{{link},"value":[{users}]}}"#))
}

/// The bearer token every variant sends: shaped as Microsoft Entra ID's app-only access tokens
/// for Graph (1,658 bytes; the header, claims and a 256-byte RS256 signature), with the roles
/// the benchmarked requests need, so that graph-entity reads its claims and checks each request
/// against them before sending, as it does with a real token. The responder ignores it.
macro_rules! token {
    () => {
        "eyJ0eXAiOiJKV1QiLCJhbGciOiJSUzI1NiIsIng1dCI6ImJlbmNoLWtleS10aHVtYnByaW50Iiwia2lkIjoiYmVuY2gta2V5LXRodW1icHJpbnQifQ.eyJhdWQiOiJodHRwczovL2dyYXBoLm1pY3Jvc29mdC5jb20iLCJpc3MiOiJodHRwczovL3N0cy53aW5kb3dzLm5ldC8wMDAwMDAwMC0wMDAwLTAwMDAtMDAwMC0wMDAwMDAwYmU3YzQvIiwiaWF0IjoxNzk2MDAwMDAwLCJuYmYiOjE3OTYwMDAwMDAsImV4cCI6MTc5NjAwMzU5OSwiYWlvIjoiazJCZ1lGang4YjVNM3VxemVYek4xdzBuN25rQSIsImFwcF9kaXNwbGF5bmFtZSI6ImdyYXBoLWVudGl0eSBiZW5jaCIsImFwcGlkIjoiMDAwMDAwMDAtMDAwMC0wMDAwLTAwMDAtMDAwMDAwMDBlMDAxIiwiYXBwaWRhY3IiOiIxIiwiaWRwIjoiaHR0cHM6Ly9zdHMud2luZG93cy5uZXQvMDAwMDAwMDAtMDAwMC0wMDAwLTAwMDAtMDAwMDAwMGJlN2M0LyIsImlkdHlwIjoiYXBwIiwib2lkIjoiMDAwMDAwMDAtMDAwMC0wMDAwLTAwMDAtMDAwMDAwMDBlMDAyIiwicmgiOiIwLkFBQUEiLCJyb2xlcyI6WyJEZXZpY2VNYW5hZ2VtZW50QXBwcy5SZWFkV3JpdGUuQWxsIiwiRGV2aWNlTWFuYWdlbWVudENvbmZpZ3VyYXRpb24uUmVhZFdyaXRlLkFsbCIsIkRldmljZU1hbmFnZW1lbnRNYW5hZ2VkRGV2aWNlcy5Qcml2aWxlZ2VkT3BlcmF0aW9ucy5BbGwiLCJEZXZpY2VNYW5hZ2VtZW50TWFuYWdlZERldmljZXMuUmVhZFdyaXRlLkFsbCIsIkdyb3VwLlJlYWQuQWxsIiwiVXNlci5SZWFkLkFsbCJdLCJzdWIiOiIwMDAwMDAwMC0wMDAwLTAwMDAtMDAwMC0wMDAwMDAwMGUwMDIiLCJ0ZW5hbnRfcmVnaW9uX3Njb3BlIjoiRVUiLCJ0aWQiOiIwMDAwMDAwMC0wMDAwLTAwMDAtMDAwMC0wMDAwMDAwYmU3YzQiLCJ1dGkiOiJSYjBuWjNlM2MwdTZ2MWE5YmVuY2gwIiwidmVyIjoiMS4wIiwid2lkcyI6WyIwOTk3YTFkMC0wZDFkLTRhY2ItYjQwOC1kNWNhNzMxMjFlOTAiXSwieG1zX3RjZHQiOjE2MDAwMDAwMDB9.CzBVep_E6Q4zWH2ix-wRNluApcrvFDleg6jN8hc8YYar0PUaP2SJrtP4HUJnjLHW-yBFao-02f4jSG2St9wBJktwlbrfBClOc5i94gcsUXabwOUKL1R5nsPoDTJXfKHG6xA1Wn-kye4TOF2Cp8zxFjtgharP9Bk-Y4it0vccQWaLsNX6H0RpjrPY_SJHbJG22wAlSm-Uud4DKE1yl7zhBitQdZq_5AkuU3idwucMMVZ7oMXqDzRZfqPI7RI3XIGmy_AVOl-Eqc7zGD1ih6zR9htAZYqv1PkeQ2iNstf8IUZrkLXa_yRJbpO43QInTHGWu-AFKk90mb7jCC1Sd5zB5g"
    };
}
const TOKEN: &str = token!();
const AUTHORIZATION: &str = concat!("Bearer ", token!());

/// `calls` of `operation` from `concurrency` tasks.
async fn run(variant: &str, operation: &str, base: &str, calls: usize, concurrency: usize) -> f64 {
    let next = Arc::new(AtomicUsize::new(0));
    let started = Instant::now();
    let mut tasks = Vec::new();
    for _ in 0..concurrency {
        let next = Arc::clone(&next);
        let (variant, operation, base) =
            (variant.to_owned(), operation.to_owned(), base.to_owned());
        tasks.push(tokio::spawn(async move {
            if variant == "ours" || variant == "unchecked" {
                // `unchecked`: graph-entity without the check of the token's permissions.
                let builder = Client::builder().check_permissions(variant == "ours");
                let client = builder.base_url(&base).bearer_token(TOKEN).build();
                let client = client.expect("a client");
                while next.fetch_add(1, Ordering::Relaxed) < calls {
                    ours(&client, &operation).await;
                }
            } else {
                let floor = Floor::new(&base, &variant);
                while next.fetch_add(1, Ordering::Relaxed) < calls {
                    floor.call(&operation).await;
                }
            }
        }));
    }
    for task in tasks {
        task.await.expect("a task");
    }
    started.elapsed().as_secs_f64()
}

/// The configuration's `assign` to one group.
fn assign() -> AssignMobileAppConfiguration {
    let target = GroupAssignmentTarget { group_id: Some(GROUP.into()) };
    AssignMobileAppConfiguration {
        assignments: vec![ManagedDeviceMobileAppConfigurationAssignment {
            id: None,
            target: Some(DeviceAndAppManagementAssignmentTarget::Group(target)),
        }],
    }
}

const GROUP: &str = "b8f2ab5a-1c6b-4e4c-8fc8-d5d3f5c8ef01";

/// One call of `operation` through graph-entity.
async fn ours(client: &Client, operation: &str) {
    match operation {
        "create" => drop(black_box(status().create(client, "c").await.expect("created"))),
        "get" => drop(black_box(Status::get(client, "c", ID).await.expect("read"))),
        "update" => {
            let patch = Status::patch().devices_count(13);
            black_box(Status::update(client, "c", ID, &patch).await.expect("updated"));
        }
        "delete" => Status::delete(client, "c", ID).await.expect("deleted"),
        "invoke" => assign().invoke(client, "c").await.expect("assigned"),
        "delta" | "delta1" => {
            let mut round = User::delta(client, ());
            while let Some(change) = round.next().await {
                drop(black_box(change.expect("a change")));
            }
            black_box(round.delta_link().expect("the round's end"));
        }
        listing => {
            let pages = match listing {
                "list100k" => "p1000",
                _ => "p10",
            };
            let mut statuses = Status::list(client, pages);
            while let Some(status) = statuses.next().await {
                drop(black_box(status.expect("listed")));
            }
        }
    }
}

/// The hand-written floor: reqwest and serde_json, the same exchanges.
struct Floor {
    http: reqwest::Client,
    base: String,
    /// Sends what graph-entity sends (`baseline`, `timeout`), or the least a hand-written call
    /// sends (`plain`: no `client-request-id`, `SdkVersion` or `User-Agent`).
    same_bytes: bool,
}

impl Floor {
    /// `baseline`: the same bytes; `timeout`: the same bytes and graph-entity's default
    /// per-request timeout (100 s, a timer armed and cancelled per request); `plain`: neither.
    fn new(base: &str, variant: &str) -> Self {
        let mut http = reqwest::Client::builder();
        let same_bytes = variant != "plain";
        if same_bytes {
            http = http.user_agent(SDK_VERSION);
        }
        if variant == "timeout" {
            http = http.timeout(std::time::Duration::from_secs(100));
        }
        Floor { http: http.build().expect("a client"), base: base.to_owned(), same_bytes }
    }

    fn request(&self, method: reqwest::Method, url: &str) -> reqwest::RequestBuilder {
        let request = self
            .http
            .request(method, url)
            .header("authorization", AUTHORIZATION)
            .header("accept", "application/json");
        if !self.same_bytes {
            return request;
        }
        // A fresh client-request-id per request, as Microsoft recommends, made as cheaply as
        // graph-entity makes it: from a thread-local generator (`Uuid::new_v4` would cost the
        // floor a system call per request, which graph-entity does not pay).
        let id = uuid::Builder::from_random_bytes(fastrand::u128(..).to_le_bytes()).into_uuid();
        request.header("client-request-id", id.to_string()).header("sdkversion", SDK_VERSION)
    }

    /// A write with a JSON body, its success checked.
    async fn send_json(
        &self,
        method: reqwest::Method,
        url: &str,
        body: Vec<u8>,
    ) -> reqwest::Response {
        let request = self.request(method, url).header("content-type", "application/json");
        let response = request.body(body).send().await.expect("sent");
        assert!(response.status().is_success());
        response
    }

    async fn call(&self, operation: &str) {
        use reqwest::Method;
        let statuses = format!("{}{COLLECTION}/c/userStatuses", self.base);
        match operation {
            "create" => {
                let body = serde_json::to_vec(&baseline::REQUEST).expect("encoded");
                let response = self.send_json(Method::POST, &statuses, body).await;
                let bytes = response.bytes().await.expect("a body");
                black_box(serde_json::from_slice::<baseline::Response>(&bytes).expect("decoded"));
            }
            "get" => {
                let url = format!("{statuses}/{ID}?{SELECT}");
                let response = self.request(Method::GET, &url).send().await.expect("sent");
                assert!(response.status().is_success());
                let bytes = response.bytes().await.expect("a body");
                black_box(serde_json::from_slice::<baseline::Response>(&bytes).expect("decoded"));
            }
            "update" => {
                let patch = baseline::Patch { odata_type: baseline::ODATA_TYPE, devices_count: 13 };
                let body = serde_json::to_vec(&patch).expect("encoded");
                let url = format!("{statuses}/{ID}");
                let response = self.send_json(Method::PATCH, &url, body).await;
                black_box(response.bytes().await.expect("a body"));
            }
            "invoke" => {
                let assign = baseline::Assign {
                    assignments: [baseline::Assignment {
                        odata_type: "#microsoft.graph.managedDeviceMobileAppConfigurationAssignment",
                        target: baseline::Target {
                            odata_type: "#microsoft.graph.groupAssignmentTarget",
                            group_id: GROUP,
                        },
                    }],
                };
                let body = serde_json::to_vec(&assign).expect("encoded");
                debug_assert_eq!(body, baseline::ASSIGN.as_bytes());
                let url = format!("{}{COLLECTION}/c/assign", self.base);
                let response = self.send_json(Method::POST, &url, body).await;
                black_box(response.bytes().await.expect("a body"));
            }
            "delta" | "delta1" => {
                let mut url = Some(format!("{}/users/delta?{USER_SELECT}", self.base));
                let mut end = None;
                while let Some(next) = url.take() {
                    let response = self.request(Method::GET, &next).send().await.expect("sent");
                    assert!(response.status().is_success());
                    let bytes = response.bytes().await.expect("a body");
                    let page: baseline::DeltaPage =
                        serde_json::from_slice(&bytes).expect("decoded");
                    for user in page.value {
                        drop(black_box(user));
                    }
                    (url, end) = (page.next_link, page.delta_link);
                }
                black_box(end.expect("the round's end"));
            }
            "delete" => {
                let url = format!("{statuses}/{ID}");
                let response = self.request(Method::DELETE, &url).send().await.expect("sent");
                assert!(response.status().is_success());
                black_box(response.bytes().await.expect("a body"));
            }
            listing => {
                let pages = if listing == "list100k" { "p1000" } else { "p10" };
                let mut url =
                    Some(format!("{}{COLLECTION}/{pages}/userStatuses?{SELECT}", self.base));
                while let Some(next) = url.take() {
                    let response = self.request(Method::GET, &next).send().await.expect("sent");
                    assert!(response.status().is_success());
                    let bytes = response.bytes().await.expect("a body");
                    let page: baseline::Page = serde_json::from_slice(&bytes).expect("decoded");
                    for status in page.value {
                        drop(black_box(status));
                    }
                    url = page.next_link;
                }
            }
        }
    }
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
    let path = format!("{COLLECTION}/{parent}/userStatuses");
    assert_eq!(emulator.entities(&path).map(|s| s.len()), Some(BULK));
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

/// CPU time of this process so far (user and system, all threads), in seconds: Linux's
/// `/proc/self/stat`, in clock ticks (100 a second), or 0 where unknown.
fn cpu_seconds() -> f64 {
    let Ok(stat) = std::fs::read_to_string("/proc/self/stat") else { return 0.0 };
    // The fields after the command name, which is in parentheses.
    let fields: Vec<&str> = stat
        .rsplit_once(')')
        .map(|(_, rest)| rest.split_whitespace().collect())
        .unwrap_or_default();
    let ticks = |i: usize| fields.get(i).and_then(|f| f.parse::<f64>().ok()).unwrap_or(0.0);
    (ticks(11) + ticks(12)) / 100.0
}

/// Seconds, CPU seconds and peak KiB of one child run.
fn run_child(variant: &str, mode: &str) -> [f64; 3] {
    let exe = std::env::current_exe().expect("this benchmark");
    let output = Command::new(exe).args(["--child", variant, mode]).output().expect("a child run");
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    let text = String::from_utf8_lossy(&output.stdout);
    let mut fields = text.split_whitespace().map(|f| f.parse::<f64>().expect("a number"));
    [0; 3].map(|_| fields.next().expect("three figures"))
}

fn median(values: &mut [f64]) -> f64 {
    values.sort_by(f64::total_cmp);
    values[values.len() / 2]
}

fn runs() -> usize {
    std::env::var("BENCH_RUNS").ok().and_then(|n| n.parse().ok()).unwrap_or(15).max(1)
}

/// Alternates `a` and `b` for `runs` runs each; medians of (seconds, CPU seconds, peak MiB).
fn compare(a: &str, b: &str, mode: &str, runs: usize) -> [[f64; 3]; 2] {
    compare_runs([(a, mode), (b, mode)], runs)
}

/// Alternates two (variant, mode) runs for `runs` runs each; medians of (seconds, CPU seconds,
/// peak MiB).
fn compare_runs(sides: [(&str, &str); 2], runs: usize) -> [[f64; 3]; 2] {
    let mut samples: [[Vec<f64>; 3]; 2] = Default::default();
    for run in 0..runs {
        let order = if run % 2 == 0 { [0, 1] } else { [1, 0] };
        for which in order {
            let (variant, mode) = sides[which];
            let figures = run_child(variant, mode);
            for (k, value) in figures.into_iter().enumerate() {
                samples[which][k].push(if k == 2 { value / 1024.0 } else { value });
            }
        }
    }
    samples.map(|figures| figures.map(|mut values| median(&mut values)))
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

/// One table row per figure of a comparison.
fn rows(label: &str, floor: &str, [ours, theirs]: [[f64; 3]; 2]) {
    let names = ["wall time", "CPU time", "peak memory"];
    for (k, name) in names.iter().enumerate() {
        let unit = if k == 2 { "MiB" } else { "s" };
        let (a, b) = (ours[k], theirs[k]);
        let ratio = if b > 0.0 { format!("{:.3}", a / b) } else { "—".into() };
        println!("| {label}: {name} | {a:.3} {unit} | {b:.3} {unit} ({floor}) | {ratio} |");
    }
}

fn parent() {
    // Both sides of the action send the same bytes.
    assert_eq!(serde_json::to_string(&assign()).expect("encoded"), baseline::ASSIGN);
    let runs = runs();
    println!(
        "Each HTTP figure: median of {runs} runs, each in a fresh process; variants alternate.\n"
    );
    println!("| benchmark | graph-entity | floor | ratio |");
    println!("|---|---|---|---|");
    for (mode, label) in
        [("create", "5,000 creates, sequential"), ("create16", "5,000 creates, 16 tasks")]
    {
        rows(label, "same bytes", compare("ours", "baseline", mode, runs));
        rows(label, "same bytes, 100 s timeout", compare("ours", "timeout", mode, runs));
        rows(label, "plain", compare("ours", "plain", mode, runs));
    }
    for (mode, label) in [
        ("get", "5,000 gets by key, sequential"),
        ("get16", "5,000 gets by key, 16 tasks"),
        ("list", "100 lists of 1,000 (pages of 100), sequential"),
        ("list16", "100 lists of 1,000 (pages of 100), 16 tasks"),
        ("update", "5,000 updates, sequential"),
        ("update16", "5,000 updates, 16 tasks"),
        ("delete", "5,000 deletes, sequential"),
        ("delete16", "5,000 deletes, 16 tasks"),
        ("invoke", "5,000 invokes of an action (assign), sequential"),
        ("invoke16", "5,000 invokes of an action (assign), 16 tasks"),
        ("delta", "10 delta rounds of 10,000 users (pages of 100)"),
    ] {
        rows(label, "same bytes", compare("ours", "baseline", mode, runs));
    }
    // Memory holds one page of a round: 100 pages take what one does.
    let [hundred, one] = compare_runs([("ours", "delta"), ("ours", "delta1")], runs);
    println!(
        "| a delta round of 100 pages: peak memory | {:.3} MiB | {:.3} MiB (a round of one page) | {:.3} |",
        hundred[2],
        one[2],
        hundred[2] / one[2]
    );
    let few = runs.div_ceil(3);
    for (mode, label) in
        [("list1k", "a list of 1,000 entities"), ("list100k", "a list of 100,000 entities")]
    {
        rows(label, "same bytes", compare("ours", "baseline", mode, few));
    }
    let mut ours = Vec::new();
    let mut plain = Vec::new();
    for _ in 0..runs {
        ours.push(serialize_ns(true));
        plain.push(serialize_ns(false));
    }
    let (ours, plain) = (median(&mut ours), median(&mut plain));
    println!(
        "| serialize + validate the seed entity | {ours:.1} ns | {plain:.1} ns (plain derive, no validation) | {:.3} |",
        ours / plain
    );
    let [[batched_s, _, batched_mib], [single_s, _, single_mib]] =
        compare("batched", "single", "bulk", runs);
    println!(
        "| 10,000 creates against the emulator | $batch: {batched_s:.3} s ({:.0}/s), {batched_mib:.1} MiB | one each (16 in flight): {single_s:.3} s ({:.0}/s), {single_mib:.1} MiB | {:.3} |",
        BULK as f64 / batched_s,
        BULK as f64 / single_s,
        batched_s / single_s
    );
}
