//! The operations besides `create`, as they go on the wire: `get` selects exactly the declared
//! properties, `list` reads one page at a time with the query options, `update` writes only what
//! the patch sets, `delete` deletes once, a `404` is `Error::NotFound`.

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use graph_entity::intune::{
    ComplianceStatus, ManagedDeviceMobileAppConfigurationUserStatus as Status,
};
use graph_entity::prelude::*;
use graph_entity::{
    Client, Error, GraphEntity, GraphPatch,
    client::{RequestOptions, RetryPolicy},
};

use crate::stub::{Reply, Stub};
use crate::{RESPONSE, fixture};

const COLLECTION: &str = "/v1.0/deviceAppManagement/mobileAppConfigurations/c%2F1/userStatuses";
const NOT_FOUND: &str = r#"{"error":{"code":"ResourceNotFound","message":"Resource not found."}}"#;

/// A client that gives up on an answer after a second and retries at once, up to ten times: an
/// answer held back ([`LATE`]) is a lost one. The tests assert what the outcome is, not how many
/// attempts it took: on a loaded machine a prompt answer may come late too, and is lost the same.
fn impatient(stub: &Stub) -> Client {
    Client::builder()
        .base_url(&stub.base_url)
        .bearer_token("t")
        .timeout(Duration::from_secs(1))
        .retry(RetryPolicy::default().base_delay(Duration::from_millis(1)).max_retries(10))
        .build()
        .unwrap()
}

/// Past any [`impatient`] client's patience.
const LATE: Duration = Duration::from_secs(60);

/// A collection whose every page holds two statuses and links to one more (`extra` is put
/// before `value`), and the count of pages served.
async fn endless_pages(extra: &'static str) -> (Stub, Arc<AtomicUsize>) {
    let served = Arc::new(AtomicUsize::new(0));
    let count = Arc::clone(&served);
    let stub = Stub::start(move |seen| {
        let n = count.fetch_add(1, Ordering::SeqCst);
        let host = seen.headers["host"].to_str().unwrap().to_owned();
        let item = fixture(RESPONSE);
        let next = format!("http://{host}{COLLECTION}?$skiptoken={}", n + 1);
        Reply::json(
            200,
            &format!(r#"{{{extra}"value":[{item},{item}],"@odata.nextLink":"{next}"}}"#),
        )
    })
    .await;
    (stub, served)
}

#[tokio::test]
async fn get_selects_exactly_the_declared_properties() {
    let stub = Stub::start(|_| Reply::json(200, fixture(RESPONSE))).await;
    let read = Status::get(&stub.client(), "c/1", "s 1").await.unwrap();
    assert_eq!(read.devices_count, 12);
    let seen = stub.requests().pop().unwrap();
    assert_eq!(seen.method, "GET");
    assert_eq!(
        seen.path,
        format!(
            "{COLLECTION}/s%201?$select=id,userDisplayName,devicesCount,status,lastReportedDateTime,userPrincipalName"
        )
    );
    assert_eq!(
        Status::PROPERTIES.join(","),
        "id,userDisplayName,devicesCount,status,lastReportedDateTime,userPrincipalName"
    );
    assert_eq!(<Status as GraphEntity>::KEY, Some("id"));
    // Another selection, when asked.
    let fields = Status::fields();
    let query = Status::query().select(fields.devices_count).select(fields.status);
    Status::get_with(&stub.client(), "c/1", "s1", &query).await.unwrap();
    let seen = stub.requests().pop().unwrap();
    assert!(seen.path.ends_with("/s1?$select=devicesCount,status"), "{}", seen.path);
}

#[tokio::test]
async fn list_sends_the_query_and_reads_a_page_at_a_time() {
    let (stub, served) = endless_pages(r#""@odata.count":5,"#).await;
    let client = stub.client();
    let f = Status::fields();
    let query = Status::query()
        .filter(f.status.eq(ComplianceStatus::Compliant) & f.devices_count.gt(2))
        .order_by(f.user_display_name.desc())
        .top(5)
        .count(true);
    let mut list = Status::list_with(&client, "c/1", &query);
    let first = list.next().await.unwrap().unwrap();
    assert_eq!(first.status, ComplianceStatus::NotApplicable);
    // One page read, one entity still buffered: nothing more was fetched.
    assert_eq!(served.load(Ordering::SeqCst), 1);
    assert_eq!(list.count(), Some(5));
    let _second = list.next().await.unwrap().unwrap();
    assert_eq!(served.load(Ordering::SeqCst), 1);
    let _third = list.next().await.unwrap().unwrap();
    assert_eq!(served.load(Ordering::SeqCst), 2);
    let seen = stub.requests();
    assert_eq!(
        seen[0].path,
        format!(
            "{COLLECTION}?$select=id,userDisplayName,devicesCount,status,lastReportedDateTime,userPrincipalName&$filter=status%20eq%20%27compliant%27%20and%20devicesCount%20gt%202&$orderby=userDisplayName%20desc&$top=5&$count=true"
        )
    );
    assert_eq!(seen[0].headers["consistencylevel"], "eventual");
    // The next page is the link as given.
    assert_eq!(seen[1].path, format!("{COLLECTION}?$skiptoken=1"));
    assert_eq!(seen[1].headers["consistencylevel"], "eventual");
}

#[tokio::test]
async fn count_reads_the_number() {
    let stub = Stub::start(|_| Reply::json(200, "\u{feff}42")).await;
    let f = Status::fields();
    let query = Status::query().filter(f.devices_count.ge(1)).top(3);
    assert_eq!(Status::count(&stub.client(), "c", &query).await.unwrap(), 42);
    let seen = stub.requests().pop().unwrap();
    assert!(
        seen.path.ends_with("/c/userStatuses/$count?$filter=devicesCount%20ge%201"),
        "{}",
        seen.path
    );
    assert_eq!(seen.headers["consistencylevel"], "eventual");
    let stub = Stub::start(|_| Reply::json(200, "many")).await;
    let error = Status::count(&stub.client(), "c", &Status::query()).await.unwrap_err();
    assert!(matches!(error, Error::UnexpectedResponse { status: 200, .. }), "{error:?}");
}

#[tokio::test]
async fn update_writes_only_what_the_patch_sets() {
    let stub = Stub::start(|_| Reply::json(204, "")).await;
    let patch = Status::patch()
        .devices_count(3)
        .user_display_name(None)
        .status(ComplianceStatus::Compliant);
    assert!(!patch.is_empty());
    assert_eq!(format!("{patch:?}"), r#"{"userDisplayName", "devicesCount", "status"}"#);
    let updated = Status::update(&stub.client(), "c/1", "s1", &patch).await.unwrap();
    assert!(updated.is_none());
    let seen = stub.requests().pop().unwrap();
    assert_eq!(seen.method, "PATCH");
    assert_eq!(seen.path, format!("{COLLECTION}/s1"));
    assert_eq!(
        std::str::from_utf8(&seen.body).unwrap(),
        r##"{"@odata.type":"#microsoft.graph.managedDeviceMobileAppConfigurationUserStatus","userDisplayName":null,"devicesCount":3,"status":"compliant"}"##
    );
    assert!(seen.headers.get("if-match").is_none());
    // A `200` with the entity is decoded; `If-Match` goes with the options.
    let stub = Stub::start(|_| Reply::json(200, fixture(RESPONSE))).await;
    let options = RequestOptions::default().if_match("W/\"etag-1\"");
    let updated = Status::update_with(&stub.client(), "c", "s1", &patch, &options).await.unwrap();
    assert_eq!(updated.unwrap().status, ComplianceStatus::NotApplicable);
    assert_eq!(stub.requests()[0].headers["if-match"], "W/\"etag-1\"");
}

#[tokio::test]
async fn an_empty_patch_or_a_broken_etag_sends_nothing() {
    let stub = Stub::start(|_| Reply::json(204, "")).await;
    let empty = Status::patch();
    assert!(empty.is_empty());
    assert!(Status::update(&stub.client(), "c", "s1", &empty).await.unwrap().is_none());
    let options = RequestOptions::default().if_match("W/\"a\"\r\nX-Injected: 1");
    let patch = Status::patch().devices_count(1);
    let error = Status::update_with(&stub.client(), "c", "s1", &patch, &options).await.unwrap_err();
    assert!(matches!(error, Error::Config(_)), "{error:?}");
    assert!(stub.requests().is_empty());
}

#[tokio::test]
async fn delete_and_a_typed_not_found() {
    let stub = Stub::start(|seen| {
        if seen.path.contains("/gone") { Reply::json(404, NOT_FOUND) } else { Reply::json(204, "") }
    })
    .await;
    let client = stub.client();
    Status::delete(&client, "c/1", "s1").await.unwrap();
    let seen = stub.requests().pop().unwrap();
    assert_eq!(
        (seen.method.as_str(), seen.path.as_str()),
        ("DELETE", &*format!("{COLLECTION}/s1"))
    );
    let error = Status::delete(&client, "c/1", "gone").await.unwrap_err();
    assert!(
        matches!(&error, Error::NotFound(graph) if graph.code == "ResourceNotFound"),
        "{error:?}"
    );
    assert!(error.is_not_found());
    assert_eq!(error.status(), Some(404));
    let error = Status::get(&client, "c/1", "gone").await.unwrap_err();
    assert!(error.is_not_found(), "{error:?}");
    // An id can never change the endpoint.
    Status::delete(&client, "c", "../../x").await.unwrap();
    assert!(stub.requests().pop().unwrap().path.ends_with("/c/userStatuses/..%2F..%2Fx"));
}

#[tokio::test]
async fn a_delete_resent_after_a_lost_answer_that_finds_nothing_succeeded() {
    let attempts = Arc::new(AtomicUsize::new(0));
    let counter = Arc::clone(&attempts);
    // The first answer comes too late (the client gives up on it: it may have deleted), the
    // second says the entity is gone: the first deleted it.
    let stub = Stub::start(move |_| match counter.fetch_add(1, Ordering::SeqCst) {
        0 => Reply::json(204, "").after(LATE),
        _ => Reply::json(404, NOT_FOUND),
    })
    .await;
    let client = impatient(&stub);
    Status::delete(&client, "c", "s1").await.unwrap();
    assert!(attempts.load(Ordering::SeqCst) >= 2);
    // Without the lost attempt, a `404` is not found.
    let error = Status::delete(&client, "c", "s1").await.unwrap_err();
    assert!(error.is_not_found(), "{error:?}");
}

#[tokio::test]
async fn a_patch_resent_after_a_lost_answer_is_retried() {
    let attempts = Arc::new(AtomicUsize::new(0));
    let counter = Arc::clone(&attempts);
    let stub = Stub::start(move |_| match counter.fetch_add(1, Ordering::SeqCst) {
        0 => Reply::json(204, "").after(LATE),
        _ => Reply::json(204, ""),
    })
    .await;
    let client = impatient(&stub);
    let patch = Status::patch().devices_count(7);
    assert!(Status::update(&client, "c", "s1", &patch).await.unwrap().is_none());
    let seen = stub.requests();
    assert!(seen.len() >= 2, "{}", seen.len());
    assert!(seen.iter().all(|r| r.body == seen[0].body), "the same body each time");
}

/// A `$batch` endpoint that answers each item by `answer(method, url)`: status and body.
async fn batch_stub(answer: fn(&str, &str) -> (u16, &'static str)) -> Stub {
    Stub::start(move |seen| {
        let request: serde_json::Value = serde_json::from_slice(&seen.body).unwrap();
        let responses: Vec<serde_json::Value> = request["requests"]
            .as_array()
            .unwrap()
            .iter()
            .map(|item| {
                let (status, body) =
                    answer(item["method"].as_str().unwrap(), item["url"].as_str().unwrap());
                let body: serde_json::Value = if body.is_empty() {
                    serde_json::Value::Null
                } else {
                    serde_json::from_str(body).unwrap()
                };
                serde_json::json!({"id": item["id"], "status": status, "headers": {}, "body": body})
            })
            .collect();
        Reply::json(200, &serde_json::json!({ "responses": responses }).to_string())
    })
    .await
}

#[tokio::test]
async fn update_many_and_delete_many_travel_in_batches_with_one_result_each() {
    use graph_entity::client::BulkOptions;
    let stub = batch_stub(|method, url| match (method, url.rsplit('/').next().unwrap()) {
        (_, "gone") => (404, NOT_FOUND),
        ("PATCH", "full") => (200, include_str!("../fixtures/create-response.json")),
        _ => (204, ""),
    })
    .await;
    let client = stub.client();
    let patch = || Status::patch().devices_count(2);
    let updates = vec![
        (patch(), ["c/1"], "s1"),
        (Status::patch(), ["c/1"], "empty"),
        (patch(), ["c/1"], "gone"),
        (patch(), ["c/1"], "full"),
    ];
    let results = client.update_many(updates, &BulkOptions::default()).await.unwrap();
    assert!(matches!(results[0], Ok(None)), "{:?}", results[0]);
    assert!(matches!(results[1], Ok(None)), "{:?}", results[1]);
    assert!(results[2].as_ref().unwrap_err().is_not_found(), "{:?}", results[2]);
    assert_eq!(results[3].as_ref().unwrap().as_ref().unwrap().devices_count, 12);
    let sent: serde_json::Value = serde_json::from_slice(&stub.requests()[0].body).unwrap();
    let items = sent["requests"].as_array().unwrap();
    // The empty patch was not sent.
    assert_eq!(items.len(), 3);
    assert_eq!(items[0]["method"], "PATCH");
    assert_eq!(
        items[0]["url"],
        "/deviceAppManagement/mobileAppConfigurations/c%2F1/userStatuses/s1"
    );
    assert_eq!(
        items[0]["body"],
        serde_json::json!({"@odata.type": "#microsoft.graph.managedDeviceMobileAppConfigurationUserStatus", "devicesCount": 2})
    );

    let deletes = vec![(["c"], "s1"), (["c"], "gone"), (["c"], "s2")];
    let results =
        client.delete_many::<Status, _, _, _>(deletes, &BulkOptions::default()).await.unwrap();
    assert!(results[0].is_ok() && results[2].is_ok());
    assert!(results[1].as_ref().unwrap_err().is_not_found());
    let sent: serde_json::Value = serde_json::from_slice(&stub.requests()[1].body).unwrap();
    let first = &sent["requests"][0];
    assert_eq!((first["method"].as_str(), first.get("body")), (Some("DELETE"), None));
    // Invalid keys stop the call before any I/O, each named by index.
    let error = client
        .delete_many::<Status, _, _, _>(
            vec![(["c"], ".."), (["c"], "ok"), (["c"], "")],
            &BulkOptions::default(),
        )
        .await
        .unwrap_err();
    assert!(
        matches!(&error, Error::InvalidInputs { total: 3, invalid } if invalid.len() == 2),
        "{error:?}"
    );
    assert_eq!(stub.requests().len(), 2);
}

#[graph_entity::graph_entity(path = "/planner/tasks")]
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct PlannerTask {
    #[graph(key)]
    pub(crate) id: Option<String>,
    /// `@odata.etag`: Planner refuses an update without it.
    #[graph(etag)]
    pub(crate) etag: Option<String>,
    pub(crate) title: Option<String>,
}

#[tokio::test]
async fn an_etag_is_read_and_guards_the_update() {
    let stub = Stub::start(|seen| match seen.method.as_str() {
        "GET" => {
            Reply::json(200, r#"{"@odata.etag":"W/\"JzEtVGFzayAgQEBA\"","id":"t1","title":"Plan"}"#)
        }
        _ => Reply::json(204, ""),
    })
    .await;
    let client = stub.client();
    let task = PlannerTask::get(&client, (), "t1").await.unwrap();
    assert_eq!(task.etag.as_deref(), Some("W/\"JzEtVGFzayAgQEBA\""));
    assert_eq!(GraphEntity::etag(&task), task.etag.as_deref());
    // Never selected, never written in a body, kept when the entity is written back in full.
    assert!(
        stub.requests()[0].path.ends_with("/t1?$select=id,title"),
        "{}",
        stub.requests()[0].path
    );
    assert_eq!(PlannerTask::PROPERTIES, ["id", "title"]);
    assert_eq!(
        serde_json::to_string(&task).unwrap(),
        r##"{"@odata.type":"#microsoft.graph.plannerTask","id":"t1","@odata.etag":"W/\"JzEtVGFzayAgQEBA\"","title":"Plan"}"##
    );
    let options = RequestOptions::default().if_match_of(&task);
    let patch = PlannerTask::patch().title("Plan B".into());
    PlannerTask::update_with(&client, (), "t1", &patch, &options).await.unwrap();
    let sent = stub.requests().pop().unwrap();
    assert_eq!(sent.headers["if-match"], "W/\"JzEtVGFzayAgQEBA\"");
    assert_eq!(
        std::str::from_utf8(&sent.body).unwrap(),
        r##"{"@odata.type":"#microsoft.graph.plannerTask","title":"Plan B"}"##
    );
    // Without an etag read, no `If-Match`.
    let fresh = PlannerTask { id: None, etag: None, title: None };
    PlannerTask::delete_with(&client, (), "t1", &RequestOptions::default().if_match_of(&fresh))
        .await
        .unwrap();
    assert!(stub.requests().pop().unwrap().headers.get("if-match").is_none());
}

#[tokio::test]
async fn a_write_refused_after_an_attempt_that_may_have_acted_is_an_unknown_outcome() {
    let attempts = Arc::new(AtomicUsize::new(0));
    let counter = Arc::clone(&attempts);
    // The first PATCH is applied but its answer comes too late; the resend meets the etag the
    // first one changed.
    let stub = Stub::start(move |_| match counter.fetch_add(1, Ordering::SeqCst) {
        0 => Reply::json(204, "").after(LATE),
        _ => Reply::json(
            412,
            r#"{"error":{"code":"PreconditionFailed","message":"The etag changed."}}"#,
        ),
    })
    .await;
    let client = impatient(&stub);
    let options = RequestOptions::default().if_match("W/\"1\"");
    let error =
        Status::update_with(&client, "c", "s1", &Status::patch().devices_count(1), &options)
            .await
            .unwrap_err();
    assert!(error.is_unknown_outcome(), "{error:?}");
    assert_eq!(error.status(), Some(412));
    // A 500 to a write, even one safe to repeat, may have acted: unknown, not resent.
    let stub =
        Stub::start(|_| Reply::json(500, r#"{"error":{"code":"generalException","message":"x"}}"#))
            .await;
    let error = Status::delete(&stub.client(), "c", "s1").await.unwrap_err();
    assert!(error.is_unknown_outcome(), "{error:?}");
    assert_eq!(stub.requests().len(), 1);
    // A read answered 500 is the error as it came.
    let error = Status::get(&stub.client(), "c", "s1").await.unwrap_err();
    assert!(!error.is_unknown_outcome() && error.status() == Some(500), "{error:?}");
}

#[tokio::test]
async fn top_caps_the_stream_whatever_the_pages_say() {
    let (stub, served) = endless_pages("").await;
    let client = stub.client();
    let three =
        Status::list_with(&client, "c/1", &Status::query().top(3)).collect_all().await.unwrap();
    assert_eq!(three.len(), 3);
    assert_eq!(served.load(Ordering::SeqCst), 2, "no page fetched past the third entity");
}
