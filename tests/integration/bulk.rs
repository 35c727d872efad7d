//! Bulk creation over `$batch` and one request each: one result per input, in order, nothing
//! lost or duplicated.

use std::time::Duration;

use graph_emulator::{Emulator, Faults, RetryAfter, RunningEmulator};
use graph_entity::intune::ManagedDeviceMobileAppConfigurationUserStatus as Status;
use graph_entity::{
    Client, Error,
    client::{BulkOptions, RetryPolicy},
    error::Outcome,
};
use serde_json::{Value, json};

use crate::stub::{Reply, Stub};
use crate::{configuration, doc_example, stored_counts};

use crate::common::{self, WRITE};

async fn setup(faults: Faults) -> (RunningEmulator, Client, String) {
    let emulator = common::emulator(Emulator::builder().page_size(1000).faults(faults)).await;
    let policy = RetryPolicy::default().max_retries(10).base_delay(Duration::from_millis(5));
    let client = common::token_client(&emulator, &[WRITE]).retry(policy).build().unwrap();
    // Created patiently, so that faults in its way do not matter: they apply to every call.
    let patient = RetryPolicy::default().max_retries(20).base_delay(Duration::from_millis(1));
    let plain = common::token_client(&emulator, &[WRITE]).retry(patient).build().unwrap();
    let parent = configuration(&plain).await;
    (emulator, client, parent)
}

fn statuses(count: i32) -> Vec<Status> {
    (0..count).map(|n| Status { devices_count: n, ..doc_example() }).collect()
}

/// Creates `count` statuses under `parent` with the default bulk options.
async fn create_batched(client: &Client, parent: &str, count: i32) -> Vec<Result<Status, Error>> {
    let items = statuses(count).into_iter().map(|s| (s, [parent]));
    client.create_many(items, &BulkOptions::default()).await.unwrap()
}

#[tokio::test]
async fn batched_creates_come_back_in_input_order_and_are_stored_once() {
    let (emulator, client, parent) = setup(Faults::default()).await;
    let results = create_batched(&client, &parent, 45).await;
    assert_eq!(results.len(), 45);
    for (n, result) in results.iter().enumerate() {
        let created = result.as_ref().unwrap();
        assert_eq!(created.devices_count, i32::try_from(n).unwrap(), "input order");
        assert!(created.id.is_some());
    }
    assert_eq!(stored_counts(&emulator, &parent), (0..45).collect::<Vec<_>>());
    let batches = emulator.requests().into_iter().filter(|r| r.path == "/v1.0/$batch").count();
    assert_eq!(batches, 3, "45 creations in batches of 20");
}

#[tokio::test]
async fn single_requests_mode_with_bounded_concurrency() {
    let (emulator, client, parent) = setup(Faults::default()).await;
    let options = BulkOptions::default().batching(false).concurrency(8);
    let results = client
        .create_many(statuses(30).into_iter().map(|s| (s, vec![parent.clone()])), &options)
        .await
        .unwrap();
    let counts: Vec<i32> = results.iter().map(|r| r.as_ref().unwrap().devices_count).collect();
    assert_eq!(counts, (0..30).collect::<Vec<_>>());
    assert_eq!(stored_counts(&emulator, &parent), (0..30).collect::<Vec<_>>());
    assert!(emulator.requests().iter().all(|r| r.path != "/v1.0/$batch"));
}

#[tokio::test]
async fn every_invalid_input_is_reported_with_its_index_before_any_request() {
    let (emulator, client, parent) = setup(Faults::default()).await;
    let before = emulator.requests().len();
    let mut inputs: Vec<(Status, Vec<String>)> =
        statuses(5).into_iter().map(|s| (s, vec![parent.clone()])).collect();
    inputs[1].0.user_display_name = None;
    inputs[3].1 = vec![String::new()];
    let error = client.create_many(inputs, &BulkOptions::default()).await.unwrap_err();
    let Error::InvalidInputs { total, invalid } = &error else { panic!("{error:?}") };
    assert_eq!(*total, 5);
    let indices: Vec<usize> = invalid.iter().map(|(i, _)| *i).collect();
    assert_eq!(indices, [1, 3]);
    assert!(matches!(invalid[0].1, Error::Validation(_)));
    assert!(matches!(invalid[1].1, Error::Path(_)));
    assert!(
        error.to_string().starts_with("2 of 5 inputs are invalid, so nothing was sent: #1: "),
        "{error}"
    );
    assert_eq!(emulator.requests().len(), before, "nothing sent");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn throttled_items_are_retried_after_their_own_retry_after() {
    let faults = Faults {
        throttle_rate: 0.3,
        retry_after: RetryAfter::Fractional(0.02),
        unavailable_rate: 0.05,
        ..Faults::default()
    };
    let (emulator, client, parent) = setup(faults).await;
    let results = create_batched(&client, &parent, 200).await;
    for (n, result) in results.iter().enumerate() {
        assert_eq!(
            result.as_ref().unwrap_or_else(|e| panic!("#{n}: {e}")).devices_count,
            i32::try_from(n).unwrap()
        );
    }
    assert_eq!(
        stored_counts(&emulator, &parent),
        (0..200).collect::<Vec<_>>(),
        "each stored exactly once"
    );
    let counts = emulator.fault_counts();
    assert!(counts.throttled > 40, "{counts:?}");
    assert_eq!(counts.early_retries, 0, "{counts:?}");
}

#[tokio::test]
async fn a_failed_item_carries_its_graph_error_and_the_others_succeed() {
    let (emulator, client, parent) = setup(Faults::default()).await;
    let inputs = statuses(4).into_iter().enumerate().map(|(n, s)| {
        (s, vec![if n == 2 { "no-such-configuration".to_owned() } else { parent.clone() }])
    });
    let results = client.create_many(inputs, &BulkOptions::default()).await.unwrap();
    assert!(results[0].is_ok() && results[1].is_ok() && results[3].is_ok());
    let error = results[2].as_ref().unwrap_err();
    assert_eq!(
        error.as_graph().map(|g| (g.status, g.code.as_str())),
        Some((404, "ResourceNotFound")),
        "{error:?}"
    );
    assert_eq!(stored_counts(&emulator, &parent), [0, 1, 3]);
}

#[tokio::test]
async fn a_batch_whose_answer_is_lost_reports_unknown_outcomes() {
    let faults = Faults { drop_after_store_rate: 1.0, ..Faults::default() };
    let (emulator, client, parent) = setup(faults).await;
    let results = create_batched(&client, &parent, 3).await;
    for result in &results {
        let error = result.as_ref().unwrap_err();
        assert!(error.is_unknown_outcome(), "{error:?}");
    }
    // The first creation was stored, then the connection dropped: nothing was resent.
    assert_eq!(stored_counts(&emulator, &parent), [0]);
}

/// The emulator's `$batch` on its own: limits, ids, `dependsOn` and 424.
#[tokio::test]
async fn the_emulator_batches_as_graph_does() {
    let (emulator, _, parent) = setup(Faults::default()).await;
    let token = emulator.issue_token(&[WRITE], Duration::from_secs(60));
    let http = reqwest::Client::new();
    let url = format!("{}/$batch", emulator.graph_url("v1.0"));
    let post = |body: Value| {
        let request = http
            .post(&url)
            .bearer_auth(&token)
            .header("content-type", "application/json")
            .body(body.to_string());
        async move {
            let response = request.send().await.unwrap();
            let status = response.status().as_u16();
            (status, serde_json::from_slice::<Value>(&response.bytes().await.unwrap()).unwrap())
        }
    };
    let create = |id: &str, count: i32| {
        json!({"id": id, "method": "POST", "url": format!("/deviceAppManagement/mobileAppConfigurations/{parent}/userStatuses"),
               "headers": {"Content-Type": "application/json"},
               "body": serde_json::to_value(Status { devices_count: count, ..doc_example() }).unwrap()})
    };
    let too_many: Vec<Value> = (0..21).map(|n| create(&n.to_string(), n)).collect();
    assert_eq!(post(json!({"requests": too_many})).await.0, 400);
    assert_eq!(post(json!({"requests": [create("1", 1), create("1", 2)]})).await.0, 400);
    assert_eq!(post(json!({"requests": [{"id": "1", "method": "GET", "url": "https://graph.microsoft.com/v1.0/users"}]})).await.0, 400);

    let mut failing = create("2", 2);
    failing["body"]["status"] = json!("bogus");
    let mut dependent = create("3", 3);
    dependent["dependsOn"] = json!(["2"]);
    let mut fine = create("4", 4);
    fine["dependsOn"] = json!(["1"]);
    let (status, body) =
        post(json!({"requests": [create("1", 1), failing, dependent, fine]})).await;
    assert_eq!(status, 200);
    let mut statuses: Vec<(String, u64)> = body["responses"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| (r["id"].as_str().unwrap().to_owned(), r["status"].as_u64().unwrap()))
        .collect();
    statuses.sort();
    assert_eq!(
        statuses,
        [("1".into(), 201), ("2".into(), 400), ("3".into(), 424), ("4".into(), 201)]
    );
    assert_eq!(stored_counts(&emulator, &parent), [1, 4]);
}

/// A `$batch` answer with these `(id, status)` sub-responses, each `201` with the documented
/// entity (or a Graph error); `429`s ask to come back at once.
fn batch_answer(items: &[(&str, u16)]) -> String {
    let entity: Value = serde_json::from_str(crate::RESPONSE).unwrap();
    let responses: Vec<Value> = items
        .iter()
        .map(|&(id, status)| {
            let body = if status < 300 {
                entity.clone()
            } else {
                json!({"error": {"code": "TooManyRequests", "message": "later"}})
            };
            json!({"id": id, "status": status, "headers": {"Retry-After": "0"}, "body": body})
        })
        .collect();
    json!({ "responses": responses }).to_string()
}

/// Sends 3 items in one `$batch` to a stub answering `answer`, and returns each item's result
/// and how many requests the stub received.
async fn batch_against(answer: String) -> (Vec<Result<Status, Error>>, usize) {
    let stub = Stub::start(move |_| Reply::json(200, &answer)).await;
    let client = Client::builder()
        .base_url(&stub.base_url)
        .bearer_token("t")
        .retry(RetryPolicy::default().base_delay(Duration::from_millis(1)))
        .build()
        .unwrap();
    let items = statuses(3).into_iter().map(|s| (s, ["c"]));
    let results = client.create_many(items, &BulkOptions::default()).await.unwrap();
    (results, stub.requests().len())
}

#[tokio::test]
async fn an_item_answered_twice_or_under_another_id_is_unknown_and_never_resent() {
    // Item 0 is throttled once and created once: which one counts? Neither is certain.
    let (results, requests) =
        batch_against(batch_answer(&[("0", 429), ("0", 201), ("1", 201), ("2", 201)])).await;
    assert!(
        matches!(&results[0], Err(Error::AmbiguousSubResponse { reason }) if reason.contains("2 times")),
        "{:?}",
        results[0]
    );
    assert!(results[1].is_ok() && results[2].is_ok());
    assert_eq!(requests, 1, "item 0 was not resent");

    for alias in ["+0", "00", " 0"] {
        let (results, requests) =
            batch_against(batch_answer(&[(alias, 201), ("0", 429), ("1", 201), ("2", 201)])).await;
        let error = results[0].as_ref().unwrap_err();
        assert!(error.is_unknown_outcome(), "{alias}: {error:?}");
        assert!(error.to_string().contains("another spelling"), "{alias}: {error}");
        assert!(results[1].is_ok() && results[2].is_ok(), "{alias}");
        assert_eq!(requests, 1, "{alias}: item 0 was not resent");
    }

    // An id that cannot be placed may be the answer of any item that did not succeed.
    for stray in ["0.0", "-0", "x", "\u{ff10}"] {
        let (results, requests) =
            batch_against(batch_answer(&[("0", 429), (stray, 201), ("1", 201), ("2", 400)])).await;
        for index in [0, 2] {
            let error = results[index].as_ref().unwrap_err();
            assert!(
                matches!(error, Error::AmbiguousSubResponse { reason } if reason.contains("not sent")),
                "{stray} #{index}: {error:?}"
            );
        }
        assert!(results[1].is_ok(), "{stray}: a success is the item's own");
        assert_eq!(requests, 1, "{stray}: item 0 was not resent");
    }

    // An id that was never sent concerns no item; a missing one is unknown.
    let (results, requests) =
        batch_against(batch_answer(&[("7", 201), ("1", 201), ("2", 201)])).await;
    assert!(matches!(results[0], Err(Error::MissingSubResponse)), "{:?}", results[0]);
    assert!(results[1].is_ok() && results[2].is_ok());
    assert_eq!(requests, 1);
}

#[tokio::test]
async fn a_batch_whose_200_answer_cannot_be_read_leaves_every_item_unknown() {
    for answer in ["", "[]", r#"{"responses":"#, r#"{"responses":[{"id":"0"}]}"#] {
        let (results, requests) = batch_against(answer.to_owned()).await;
        for result in &results {
            let error = result.as_ref().unwrap_err();
            assert_eq!(error.outcome(), Outcome::Unknown, "{answer:?}: {error:?}");
        }
        assert_eq!(requests, 1, "{answer:?}: nothing resent");
    }
}

#[tokio::test]
async fn a_sub_request_answered_500_502_or_504_is_an_unknown_outcome() {
    for status in [500, 502, 504] {
        let (results, _) =
            batch_against(batch_answer(&[("0", 201), ("1", 400), ("2", status)])).await;
        let error = results[2].as_ref().unwrap_err();
        assert!(error.is_unknown_outcome(), "{status}: {error:?}");
        assert_eq!(error.status(), Some(status));
        assert_eq!(results[1].as_ref().unwrap_err().outcome(), Outcome::NotApplied);
    }
}

#[tokio::test]
async fn a_401_for_the_whole_batch_refreshes_the_token_and_sends_it_again() {
    let emulator = Emulator::builder().page_size(1000).start().await.unwrap();
    let writer = emulator.issue_token(&[WRITE], Duration::from_secs(3600));
    let parent = configuration(
        &Client::builder()
            .base_url(emulator.graph_url("v1.0"))
            .bearer_token(&writer)
            .build()
            .unwrap(),
    )
    .await;
    // The first token has expired when the batch is sent; the refresh brings a valid one.
    let expired = emulator.issue_token(&[WRITE], Duration::ZERO);
    let credential = crate::faults::Rotating::new(expired, writer);
    let client = Client::builder()
        .base_url(emulator.graph_url("v1.0"))
        .credential(credential)
        .build()
        .unwrap();
    let results = create_batched(&client, &parent, 3).await;
    assert!(results.iter().all(Result::is_ok), "{results:?}");
    assert_eq!(stored_counts(&emulator, &parent), [0, 1, 2]);
    let batches: Vec<_> =
        emulator.requests().into_iter().filter(|r| r.path.ends_with("/$batch")).collect();
    assert_eq!(batches.len(), 2, "refused whole, then sent again with the fresh token");
}
