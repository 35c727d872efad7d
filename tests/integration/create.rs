//! `create` over real loopback HTTP against a stub server.

use graph_entity::intune::ManagedDeviceMobileAppConfigurationUserStatus as Status;
use graph_entity::prelude::*;
use graph_entity::{Error, client::RetryPolicy, error::PathError};

use crate::stub::{Reply, Stub};
use crate::{RESPONSE, doc_example, fixture};

const PREFIX: &str = "/v1.0/deviceAppManagement/mobileAppConfigurations/";

#[tokio::test]
async fn create_posts_the_doc_body_and_returns_the_created_entity() {
    let stub = Stub::start(|_| Reply::json(201, fixture(RESPONSE))).await;
    let created = doc_example().create(&stub.client(), "config-1").await.unwrap();
    assert_eq!(created.id.as_deref(), Some("44960944-0944-4496-4409-964444099644"));
    assert_eq!(Status { id: None, ..created }, doc_example());

    let requests = stub.requests();
    assert_eq!(requests.len(), 1);
    let request = &requests[0];
    assert_eq!(request.method, "POST");
    assert_eq!(request.path, format!("{PREFIX}config-1/userStatuses"));
    assert_eq!(request.headers["authorization"], "Bearer test-token");
    assert_eq!(request.headers["accept"], "application/json");
    assert_eq!(request.headers["content-type"], "application/json");
    assert!(request.headers["user-agent"].to_str().unwrap().starts_with("graph-entity/"));
    assert_eq!(request.body, serde_json::to_vec(&doc_example()).unwrap());
}

#[tokio::test]
async fn any_2xx_is_success() {
    let stub = Stub::start(|_| Reply::json(200, fixture(RESPONSE))).await;
    assert!(doc_example().create(&stub.client(), "c").await.is_ok());
}

#[tokio::test]
async fn path_arguments_stay_in_their_segment() {
    let stub = Stub::start(|_| Reply::json(201, fixture(RESPONSE))).await;
    let client = stub.client();
    for (id, encoded) in [
        ("../users", "..%2Fusers"),
        ("a/b?c#d%", "a%2Fb%3Fc%23d%25"),
        ("\u{e9}t\u{e9} \u{1f600}", "%C3%A9t%C3%A9%20%F0%9F%98%80"),
    ] {
        doc_example().create(&client, id).await.unwrap();
        let last = stub.requests().pop().unwrap();
        assert_eq!(last.path, format!("{PREFIX}{encoded}/userStatuses"), "{id}");
    }
}

#[tokio::test]
async fn bad_input_fails_before_any_io() {
    let stub = Stub::start(|_| Reply::json(201, fixture(RESPONSE))).await;
    let client = stub.client();
    let name = "managedDeviceMobileAppConfigurationId";
    let error = doc_example().create(&client, "").await.unwrap_err();
    assert!(
        matches!(error, Error::Path(PathError::Empty { placeholder }) if placeholder == name),
        "{error}"
    );
    let error = doc_example().create(&client, "..").await.unwrap_err();
    assert!(matches!(error, Error::Path(PathError::DotSegment { .. })), "{error}");
    let invalid = Status { user_principal_name: None, ..doc_example() };
    let error = invalid.create(&client, "c").await.unwrap_err();
    assert!(
        matches!(&error, Error::Validation(v) if v.missing().eq(["userPrincipalName"])),
        "{error}"
    );
    assert!(stub.requests().is_empty());
}

#[tokio::test]
async fn graph_errors_carry_their_fields() {
    let body = r#"{"error":{"code":"ResourceNotFound","message":"The configuration does not exist.","innerError":{"date":"2026-11-28T10:00:00","request-id":"rid-body","client-request-id":"cid-body"}}}"#;
    let stub =
        Stub::start(move |_| Reply::json(404, body).header("request-id", "rid-header")).await;
    let error = doc_example().create(&stub.client(), "missing").await.unwrap_err();
    let graph = error.as_graph().expect("a Graph error");
    assert_eq!(graph.status, 404);
    assert_eq!(graph.code, "ResourceNotFound");
    assert_eq!(graph.message, "The configuration does not exist.");
    assert_eq!(graph.request_id.as_deref(), Some("rid-header"));
    assert_eq!(graph.client_request_id.as_deref(), Some("cid-body"));
    assert_eq!(graph.date.as_deref(), Some("2026-11-28T10:00:00"));
    assert_eq!(error.status(), Some(404));
    assert_eq!(
        error.to_string(),
        "Graph error 404 ResourceNotFound: The configuration does not exist. [request-id rid-header]"
    );
}

#[tokio::test]
async fn a_body_that_is_not_a_graph_error_keeps_status_and_snippet() {
    // A read: the error as it came (a 502 to a write is an unknown outcome around it).
    let stub = Stub::start(|_| Reply {
        status: 502,
        headers: vec![("content-type", "text/html".into())],
        body: b"<html><h1>502 Bad Gateway</h1></html>".to_vec(),
        delay: std::time::Duration::ZERO,
    })
    .await;
    let error = stub.client().get::<Status>(&["c"], "x").await.unwrap_err();
    match &error {
        Error::UnexpectedResponse { status, content_type, snippet } => {
            assert_eq!(*status, 502);
            assert_eq!(content_type.as_deref(), Some("text/html"));
            assert!(snippet.contains("502 Bad Gateway"));
        }
        other => panic!("{other:?}"),
    }
}

#[tokio::test]
async fn a_created_entity_of_the_wrong_shape_is_an_unreadable_success_with_the_body() {
    let wrong = fixture(RESPONSE).replace("\"devicesCount\": 12", "\"devicesCount\": \"twelve\"");
    let stub = Stub::start(move |_| Reply::json(201, &wrong)).await;
    let error = doc_example().create(&stub.client(), "c").await.unwrap_err();
    let Error::UnreadableSuccess { status: 201, id, source, .. } = &error else {
        panic!("{error:?}")
    };
    assert_eq!(id.as_deref(), Some("44960944-0944-4496-4409-964444099644"));
    let Error::Decode(decode) = &**source else { panic!("{source:?}") };
    assert_eq!(decode.path, "devicesCount");
    assert_eq!(decode.status, Some(201));
    assert!(String::from_utf8_lossy(&decode.body).contains("twelve"));

    let stub = Stub::start(|_| Reply::json(201, "")).await;
    let error = doc_example().create(&stub.client(), "c").await.unwrap_err();
    assert!(
        matches!(&error, Error::UnreadableSuccess { id: None, source, .. } if matches!(&**source, Error::Decode(d) if d.message.contains("EOF"))),
        "{error}"
    );
}

#[tokio::test]
async fn an_oversized_body_is_refused_not_buffered() {
    let big = format!("{{\"pad\":\"{}\"}}", "x".repeat(4096));
    let stub = Stub::start(move |_| Reply::json(201, &big)).await;
    let client = graph_entity::Client::builder()
        .base_url(&stub.base_url)
        .bearer_token("t")
        .max_response_bytes(1024)
        .build()
        .unwrap();
    let error = doc_example().create(&client, "c").await.unwrap_err();
    assert!(
        matches!(&error, Error::UnreadableSuccess { status: 201, source, .. } if matches!(**source, Error::ResponseTooLarge { status: 201, limit: 1024 })),
        "{error}"
    );
    // A read is refused the same way, and nothing took effect.
    let error = client.get::<Status>(&["c"], "x").await.unwrap_err();
    assert!(matches!(error, Error::ResponseTooLarge { status: 201, limit: 1024 }), "{error}");
}

#[tokio::test]
async fn a_closed_port_is_a_transport_error_retried_as_nothing_was_sent() {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let address = listener.local_addr().unwrap();
    drop(listener);
    let client = |policy| {
        graph_entity::Client::builder()
            .base_url(format!("http://{address}/v1.0"))
            .bearer_token("secret-token")
            .retry(policy)
            .build()
            .unwrap()
    };
    let error = doc_example().create(&client(RetryPolicy::none()), "c").await.unwrap_err();
    assert!(matches!(&error, Error::Transport(t) if t.is_connect()), "{error:?}");
    // Connecting failed, so even a POST is safe to try again.
    let quick =
        RetryPolicy::default().max_retries(2).base_delay(std::time::Duration::from_millis(1));
    let exhausted = doc_example().create(&client(quick), "c").await.unwrap_err();
    assert!(
        matches!(&exhausted, Error::RetriesExhausted { attempts: 3, last, .. } if matches!(**last, Error::Transport(_))),
        "{exhausted:?}"
    );
    assert!(
        !error.to_string().contains("secret-token")
            && !format!("{error:?}").contains("secret-token")
    );
}

/// A To Do task: in the global and US Government metadata, not in China's.
#[graph_entity::graph_entity(path = "/me/todo/lists/{todoTaskListId}/tasks")]
#[derive(Debug)]
struct Task {
    #[graph(key)]
    id: Option<String>,
    title: Option<String>,
}

#[tokio::test]
async fn an_entity_the_clients_cloud_lacks_fails_before_anything_is_sent() {
    use graph_entity::{GraphEntity as _, NationalCloud};

    let china = graph_entity::Client::builder()
        .cloud(NationalCloud::China)
        .bearer_token("t")
        .build()
        .unwrap();
    assert_eq!(china.cloud(), Some(NationalCloud::China));
    let task = Task { id: None, title: Some("Renew the certificate".into()) };
    // No network: the check comes first (a request would fail to resolve the host here).
    let error = task.create(&china, "list").await.unwrap_err();
    match &error {
        Error::NotInCloud { cloud: NationalCloud::China, missing } => {
            assert_eq!(*missing, "path segment `todo`");
        }
        other => panic!("{other:?}"),
    }
    assert!(error.to_string().contains("nothing was sent"), "{error}");
    assert_eq!(Task::AVAILABILITY.check(NationalCloud::UsGovL5Dod), Ok(()));
    // A custom service root (an emulator) is not a cloud: nothing to check.
    let stub = Stub::start(|_| Reply::json(201, r#"{"id":"1","title":"x"}"#)).await;
    assert_eq!(stub.client().cloud(), None);
    task.create(&stub.client(), "list").await.unwrap();
}
