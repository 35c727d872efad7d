//! Hostile responses: each gives a typed error or the right value, never a panic.

use graph_entity::intune::{
    ComplianceStatus, ManagedDeviceMobileAppConfigurationUserStatus as Status,
};
use graph_entity::prelude::*;
use std::time::Duration;

use graph_entity::{Client, Error, client::RetryPolicy, error::Outcome};

use crate::doc_example;
use crate::stub::{RawStub, Reply, Stub};

/// What a case must produce.
enum Expect {
    /// A created entity passing this check.
    Value(fn(&Status) -> bool),
    /// An error passing this check.
    Error(fn(&Error) -> bool),
    /// The service may or may not have acted ([`Outcome::Unknown`]), for the reason passing this
    /// check.
    Unknown(fn(&Error) -> bool),
    /// A success whose body cannot be read: the entity was created ([`Outcome::Applied`]), and
    /// the reason passes this check.
    Unreadable(fn(&Error) -> bool),
}

fn body(fields: &str) -> String {
    format!(
        r##"{{"@odata.type":"#microsoft.graph.managedDeviceMobileAppConfigurationUserStatus","id":"x",{fields}}}"##
    )
}

const GOOD: &str = r#""devicesCount":12,"status":"notApplicable","lastReportedDateTime":"2017-01-01T00:00:17.7769392-08:00""#;

#[tokio::test]
async fn hostile_responses_give_typed_errors_or_the_right_value() {
    let huge = format!("{{\"pad\":\"{}\"}}", "x".repeat(64 * 1024));
    let with_date = |date: &str| body(&GOOD.replace("2017-01-01T00:00:17.7769392-08:00", date));
    let cases: Vec<(&str, Reply, Expect)> = vec![
        (
            "an HTML error page",
            Reply {
                status: 502,
                headers: vec![("content-type", "text/html".into())],
                body: b"<html><body><h1>502 Bad Gateway</h1></body></html>".to_vec(),
                delay: Duration::ZERO,
            },
            Expect::Unknown(
                |e| matches!(e, Error::UnexpectedResponse { status: 502, snippet, .. } if snippet.contains("Bad Gateway")),
            ),
        ),
        (
            "an HTML page with 200",
            Reply {
                status: 200,
                headers: vec![("content-type", "text/html".into())],
                body: b"<html>hello</html>".to_vec(),
                delay: Duration::ZERO,
            },
            Expect::Unreadable(|e| matches!(e, Error::Decode(d) if d.status == Some(200))),
        ),
        (
            "truncated JSON",
            Reply::json(201, &body(GOOD)[..60]),
            Expect::Unreadable(|e| matches!(e, Error::Decode(d) if d.message.contains("EOF"))),
        ),
        (
            "an empty 201",
            Reply::json(201, ""),
            Expect::Unreadable(|e| matches!(e, Error::Decode(_))),
        ),
        (
            "a JSON array with 201",
            Reply::json(201, "[]"),
            Expect::Unreadable(|e| matches!(e, Error::Decode(d) if d.path.is_empty())),
        ),
        (
            "a 201 with the wrong types",
            Reply::json(
                201,
                &body(r#""devicesCount":"12","status":7,"lastReportedDateTime":true"#),
            ),
            Expect::Unreadable(|e| matches!(e, Error::Decode(d) if d.path == "devicesCount")),
        ),
        (
            "a huge body",
            Reply::json(201, &huge),
            Expect::Unreadable(|e| matches!(e, Error::ResponseTooLarge { limit: 16384, .. })),
        ),
        (
            "a 200 where 201 was expected",
            Reply::json(200, &body(GOOD)),
            Expect::Value(|s| s.devices_count == 12),
        ),
        (
            "an unknown enum value",
            Reply::json(201, &body(&GOOD.replace("notApplicable", "quarantined"))),
            Expect::Value(|s| s.status == ComplianceStatus::Other("quarantined".into())),
        ),
        (
            "null in a non-nullable property",
            Reply::json(201, &body(&GOOD.replace("12", "null"))),
            Expect::Unreadable(|e| matches!(e, Error::Decode(d) if d.path == "devicesCount")),
        ),
        (
            "a missing non-nullable property",
            Reply::json(201, &body(r#""devicesCount":1"#)),
            Expect::Unreadable(
                |e| matches!(e, Error::Decode(d) if d.message.contains("`status`, `lastReportedDateTime`")),
            ),
        ),
        (
            "a date with Z",
            Reply::json(201, &with_date("2017-01-01T00:00:17Z")),
            Expect::Value(|s| s.last_reported_date_time.to_string() == "2017-01-01T00:00:17Z"),
        ),
        (
            "a date with an offset",
            Reply::json(201, &with_date("2017-01-01T00:00:17+05:30")),
            Expect::Value(|s| s.last_reported_date_time.offset_minutes() == 330),
        ),
        (
            "a date with 0 fractional digits",
            Reply::json(201, &with_date("2017-01-01T00:00:17-08:00")),
            Expect::Value(|s| s.last_reported_date_time.nanosecond() == 0),
        ),
        (
            "a date with 12 fractional digits",
            Reply::json(201, &with_date("2017-01-01T00:00:17.123456789012Z")),
            Expect::Value(|s| s.last_reported_date_time.nanosecond() == 123_456_700),
        ),
        (
            "a date with 13 fractional digits",
            Reply::json(201, &with_date("2017-01-01T00:00:17.1234567890123Z")),
            Expect::Unreadable(
                |e| matches!(e, Error::Decode(d) if d.path == "lastReportedDateTime"),
            ),
        ),
        (
            "a date without offset",
            Reply::json(201, &with_date("2017-01-01T00:00:17")),
            Expect::Unreadable(
                |e| matches!(e, Error::Decode(d) if d.path == "lastReportedDateTime"),
            ),
        ),
        (
            // An unknown property is skipped whatever its depth, without recursing.
            "a deeply nested unknown property",
            Reply::json(
                201,
                &body(&format!("{GOOD},\"x\":{}{}", "[".repeat(7000), "]".repeat(7000))),
            ),
            Expect::Value(|s| s.devices_count == 12),
        ),
        (
            // A declared property nested too deep for serde_json's recursion limit.
            "a deeply nested declared property",
            Reply::json(
                201,
                &body(&GOOD.replace("12", &format!("{}12{}", "[".repeat(200), "]".repeat(200)))),
            ),
            Expect::Unreadable(|e| matches!(e, Error::Decode(d) if d.path == "devicesCount")),
        ),
        (
            "a duplicated property",
            Reply::json(201, &body(&format!("{GOOD},\"devicesCount\":13"))),
            Expect::Unreadable(
                |e| matches!(e, Error::Decode(d) if d.message.contains("duplicate")),
            ),
        ),
        (
            "invalid UTF-8",
            Reply {
                status: 201,
                headers: vec![],
                body: b"{\"id\":\"\xff\xfe\"}".to_vec(),
                delay: Duration::ZERO,
            },
            Expect::Unreadable(|e| matches!(e, Error::Decode(_))),
        ),
        (
            "a Graph error body with a 2XX",
            Reply::json(201, r#"{"error":{"code":"x","message":"y"}}"#),
            Expect::Unreadable(|e| matches!(e, Error::Decode(_))),
        ),
        (
            "a Graph error without message",
            Reply::json(400, r#"{"error":{"code":"BadRequest"}}"#),
            Expect::Error(
                |e| matches!(e.as_graph(), Some(g) if g.code == "BadRequest" && g.message.is_empty()),
            ),
        ),
        (
            "an error body that is JSON but not Graph's",
            Reply::json(500, r#"{"message":"boom"}"#),
            Expect::Unknown(|e| matches!(e, Error::UnexpectedResponse { status: 500, .. })),
        ),
        (
            "a 3xx without Location",
            Reply::json(302, ""),
            Expect::Unknown(
                |e| matches!(e, Error::Redirect { status: 302, reason, .. } if reason.contains("Location")),
            ),
        ),
        (
            "a 302 turning the POST into a GET",
            Reply::json(302, "").header("location", "/v1.0/elsewhere"),
            Expect::Unknown(
                |e| matches!(e, Error::Redirect { status: 302, reason, .. } if reason.contains("GET")),
            ),
        ),
        (
            "a 303 See Other to the POST",
            Reply::json(303, "").header("location", "/v1.0/elsewhere"),
            Expect::Unknown(|e| matches!(e, Error::Redirect { status: 303, .. })),
        ),
        (
            "a 429 whose body is not whole JSON",
            Reply::json(429, r#"{"error":{"code":"TooMa"#).header("retry-after", "7"),
            Expect::Error(|e| {
                matches!(e, Error::UnexpectedResponse { status: 429, .. })
                    && e.outcome() == Outcome::NotApplied
            }),
        ),
    ];
    for (name, reply, expect) in cases {
        let stub = Stub::start(move |_| reply.clone()).await;
        let client = Client::builder()
            .base_url(&stub.base_url)
            .bearer_token("t")
            .max_response_bytes(16 * 1024)
            .retry(RetryPolicy::none())
            .build()
            .unwrap();
        let result = doc_example().create(&client, "c").await;
        let requests = stub.requests();
        assert_eq!(requests.len(), 1, "{name}: one request, no redirect followed, no retry");
        assert!(requests[0].headers.get("referer").is_none(), "{name}");
        match (&result, &expect) {
            (Ok(status), Expect::Value(check)) => assert!(check(status), "{name}: {status:?}"),
            (Err(error), Expect::Error(check)) => {
                assert!(check(error), "{name}: {error:?}");
                assert!(!error.to_string().is_empty());
            }
            (Err(error @ Error::UnknownOutcome { source, .. }), Expect::Unknown(check)) => {
                assert!(check(source), "{name}: {source:?}");
                assert_eq!(error.outcome(), Outcome::Unknown, "{name}");
                assert!(error.to_string().contains("may or may not"), "{name}: {error}");
            }
            (Err(error @ Error::UnreadableSuccess { source, .. }), Expect::Unreadable(check)) => {
                assert!(check(source), "{name}: {source:?}");
                assert_eq!(error.outcome(), Outcome::Applied, "{name}");
                assert!(!error.is_unknown_outcome(), "{name}");
                assert!(error.to_string().contains("took effect"), "{name}: {error}");
            }
            _ => panic!("{name}: unexpected {result:?}"),
        }
    }
}

#[tokio::test]
async fn a_created_entity_whose_answer_cannot_be_read_says_so_with_its_id_and_location() {
    let location = "https://graph.microsoft.com/v1.0/deviceAppManagement/mobileAppConfigurations('c')/userStatuses('x')";
    let stub = Stub::start(move |_| {
        Reply::json(201, &body(r#""devicesCount":"12""#)).header("location", location)
    })
    .await;
    let error = doc_example().create(&stub.client(), "c").await.unwrap_err();
    let Error::UnreadableSuccess { status: 201, location: Some(at), id: Some(id), source } = &error
    else {
        panic!("{error:?}")
    };
    assert_eq!((at.as_str(), id.as_str()), (location, "x"));
    assert!(matches!(&**source, Error::Decode(d) if d.path == "devicesCount"), "{source:?}");
    assert_eq!(error.outcome(), Outcome::Applied);
    assert_eq!(error.status(), Some(201));
    let text = error.to_string();
    assert!(text.contains("took effect") && text.contains("id `x`"), "{text}");
}

#[tokio::test]
async fn a_throttled_answer_whose_body_is_cut_is_still_retried_after_its_retry_after() {
    const CUT: &[u8] = b"HTTP/1.1 429 Too Many Requests\r\nRetry-After: 0.01\r\nContent-Type: application/json\r\nContent-Length: 200\r\n\r\n{\"error\":{\"code\":\"TooMany";
    let stub = RawStub::start(CUT).await;
    let client = Client::builder()
        .base_url(format!("{}/v1.0", stub.url))
        .bearer_token("t")
        .retry(RetryPolicy::default().max_retries(2))
        .build()
        .unwrap();
    let error = doc_example().create(&client, "c").await.unwrap_err();
    match &error {
        Error::RetriesExhausted { attempts: 3, last, .. } => {
            assert!(matches!(**last, Error::UnexpectedResponse { status: 429, .. }), "{last:?}");
        }
        other => panic!("{other:?}"),
    }
    assert_eq!(error.outcome(), Outcome::NotApplied, "the status arrived: nothing was created");
    assert_eq!(stub.requests().len(), 3);
}
