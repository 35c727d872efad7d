//! Token outages and odd token responses: failures shared by the single flight, the cached
//! token kept while it is valid, one cache per scope, and no panic or unbounded read.

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use graph_entity::auth::{ClientSecretCredential, TokenCredential};

use crate::stub::{Reply, Stub};

const SCOPE: &str = "https://graph.microsoft.com/.default";

fn credential(stub: &Stub) -> ClientSecretCredential {
    let authority = stub.base_url.trim_end_matches("/v1.0");
    ClientSecretCredential::new(authority, "tenant", "app", "secret").unwrap()
}

fn token(access_token: &str, expires_in: &str) -> Reply {
    Reply::json(
        200,
        &format!(
            r#"{{"token_type":"Bearer","expires_in":{expires_in},"access_token":"{access_token}"}}"#
        ),
    )
}

fn outage() -> Reply {
    Reply::json(503, r#"{"error":"temporarily_unavailable","error_description":"AADSTS90006"}"#)
}

#[tokio::test]
async fn concurrent_callers_share_one_failed_token_request() {
    let stub = Stub::start(|_| outage().after(Duration::from_millis(300))).await;
    let credential = credential(&stub);
    let results =
        futures_util::future::join_all((0..50).map(|_| credential.get_token(SCOPE))).await;
    assert!(results.iter().all(Result::is_err));
    assert_eq!(stub.requests().len(), 1, "one request for all 50 callers");
    let error = results[0].as_ref().unwrap_err();
    assert_eq!(error.code, "temporarily_unavailable");
}

#[tokio::test]
async fn concurrent_callers_share_one_token_however_short_lived() {
    let stub = Stub::start(|_| token("brief", "0").after(Duration::from_millis(300))).await;
    let credential = credential(&stub);
    let results =
        futures_util::future::join_all((0..50).map(|_| credential.get_token(SCOPE))).await;
    assert!(results.iter().all(|r| r.as_ref().is_ok_and(|t| t.secret() == "brief")));
    assert_eq!(stub.requests().len(), 1, "the waiters took the flight's token");
}

#[tokio::test]
async fn an_outage_during_the_refresh_window_keeps_the_valid_token_until_it_expires() {
    // Timed against the token's lifetime: a run that the machine slowed past the moment it
    // checks proves nothing and is run again with a lifetime twice as long.
    for lifetime in [2, 4, 8, 16] {
        if outage_during_the_refresh_window(Duration::from_secs(lifetime)).await {
            return;
        }
    }
    panic!("the machine was too slow to tell at every lifetime");
}

/// `false` when the machine was too slow for this lifetime to tell.
async fn outage_during_the_refresh_window(lifetime: Duration) -> bool {
    let calls = Arc::new(AtomicUsize::new(0));
    let seen = Arc::clone(&calls);
    let expires_in = lifetime.as_secs().to_string();
    // A token renewed after half its lifetime; from then on the endpoint is down.
    let stub = Stub::start(move |_| match seen.fetch_add(1, Ordering::Relaxed) {
        0 => token("first", &expires_in),
        _ => outage(),
    })
    .await;
    let credential = credential(&stub);
    // The token is valid at least until `asked + lifetime`, and due for renewal at the latest
    // at `received + lifetime / 2`.
    let asked = Instant::now();
    let first = credential.get_token(SCOPE).await.unwrap();
    let received = Instant::now();
    tokio::time::sleep_until((received + lifetime * 6 / 10).into()).await;
    assert!(first.needs_refresh());
    let during = credential.get_token(SCOPE);
    let during = during.await;
    // Renewals pause after a failure: calls in a row are not each held up by the outage.
    let mut after = Vec::new();
    for _ in 0..5 {
        after.push(credential.get_token(SCOPE).await);
    }
    if asked.elapsed() >= lifetime {
        return false;
    }
    assert_eq!(during.expect("the valid token serves").secret(), "first");
    assert_eq!(calls.load(Ordering::Relaxed), 2, "a renewal was tried, once");
    assert!(after.iter().all(|t| t.as_ref().is_ok_and(|t| t.secret() == "first")));
    tokio::time::sleep_until((received + lifetime + Duration::from_millis(200)).into()).await;
    let error = credential.get_token(SCOPE).await.unwrap_err();
    assert_eq!(error.status, Some(503), "expired: the outage shows");
    true
}

#[tokio::test]
async fn each_scope_has_its_own_token() {
    let stub = Stub::start(|seen| {
        let form = String::from_utf8_lossy(&seen.body).into_owned();
        let scope = if form.contains("scope=a") { "token-a" } else { "token-b" };
        token(scope, "3600")
    })
    .await;
    let credential = credential(&stub);
    for _ in 0..2 {
        assert_eq!(credential.get_token("a/.default").await.unwrap().secret(), "token-a");
        assert_eq!(credential.get_token("b/.default").await.unwrap().secret(), "token-b");
    }
    assert_eq!(stub.requests().len(), 2, "one request per scope, then the cache");
}

#[tokio::test]
async fn odd_token_responses_give_errors_not_panics() {
    // A lifetime past what `Instant` can hold is taken as a long one.
    let stub = Stub::start(|_| token("forever", "18446744073709551615")).await;
    let credential = credential(&stub);
    let forever = credential.get_token(SCOPE).await.unwrap();
    assert!(!forever.needs_refresh());
    credential.get_token(SCOPE).await.unwrap();
    assert_eq!(stub.requests().len(), 1, "cached");

    // An unreadable lifetime is an error, not a token that expires at once.
    for expires_in in [r#""soon""#, "-1", "null", "true", r#"{"s":1}"#] {
        let stub = Stub::start(move |_| token("t", expires_in)).await;
        let error = credential_error(&stub).await;
        assert!(error.contains("expires_in"), "{expires_in}: {error}");
    }

    // Seconds written as a float are read.
    let stub = Stub::start(|_| token("float", "3599.0")).await;
    assert!(!self::credential(&stub).get_token(SCOPE).await.unwrap().needs_refresh());

    // A token response is read up to 64 KiB, and not past it.
    let wrapper = r#"{"token_type":"Bearer","expires_in":3600,"access_token":""}"#.len();
    let filler = 64 * 1024 - wrapper;
    let stub = Stub::start(move |_| token(&"x".repeat(filler), "3600")).await;
    assert_eq!(self::credential(&stub).get_token(SCOPE).await.unwrap().secret().len(), filler);
    let stub = Stub::start(move |_| token(&"x".repeat(filler + 1), "3600")).await;
    let error = credential_error(&stub).await;
    assert!(error.contains("exceeds 65536 bytes"), "{error}");
}

async fn credential_error(stub: &Stub) -> String {
    credential(stub).get_token(SCOPE).await.unwrap_err().to_string()
}
