//! Tokens and secrets stay where they belong.

use graph_entity::intune::ManagedDeviceMobileAppConfigurationUserStatus as Status;
use graph_entity::prelude::*;
use graph_entity::{
    Client, Error,
    auth::{AccessToken, ClientSecretCredential, StaticToken},
};

use crate::stub::{Reply, Stub};

const TOKEN: &str = "eyJ0eXAiOiJKV1QiLCJhbGciOiJSUzI1NiJ9.secret-token-body";

#[tokio::test]
async fn a_redirect_to_another_origin_is_refused() {
    let elsewhere = Stub::start(|_| Reply::json(200, r#"{"value":[]}"#)).await;
    let target = format!("{}/landing", elsewhere.base_url);
    let origin = Stub::start(move |_| Reply::json(307, "").header("location", &target)).await;
    let client = Client::builder().base_url(&origin.base_url).bearer_token(TOKEN).build().unwrap();
    let error = client.list::<Status>(&["c"]).collect_all().await.unwrap_err();
    assert!(
        matches!(&error, Error::Redirect { status: 307, reason, .. } if reason.contains("another origin")),
        "{error:?}"
    );
    assert!(!error.to_string().contains(TOKEN));
    let error = crate::doc_example().create(&client, "c").await.unwrap_err();
    assert!(matches!(error, Error::Redirect { status: 307, .. }), "{error:?}");
    assert_eq!(origin.requests().len(), 2);
    assert!(elsewhere.requests().is_empty(), "nothing reached the other origin");
}

#[tokio::test]
async fn a_307_within_the_origin_repeats_the_post_with_its_body_and_no_referer() {
    let stub = Stub::start(|seen| {
        if seen.path.ends_with("/moved") {
            Reply::json(201, crate::RESPONSE)
        } else {
            Reply::json(307, "").header("location", "/v1.0/moved")
        }
    })
    .await;
    let created = crate::doc_example().create(&stub.client(), "c").await.unwrap();
    assert_eq!(created.devices_count, 12);
    let requests = stub.requests();
    assert_eq!(requests.len(), 2);
    assert_eq!(requests[1].method, "POST");
    assert_eq!(requests[1].body, requests[0].body);
    assert!(requests.iter().all(|r| r.headers.get("referer").is_none()));
}

#[tokio::test]
async fn redirects_in_a_loop_stop_after_five() {
    let stub = Stub::start(|_| Reply::json(302, "").header("location", "/v1.0/again")).await;
    let error = stub.client().list::<Status>(&["c"]).collect_all().await.unwrap_err();
    assert!(
        matches!(&error, Error::Redirect { status: 302, reason, .. } if reason.contains("more than 5")),
        "{error:?}"
    );
    assert_eq!(stub.requests().len(), 6);
}

#[tokio::test]
async fn a_redirect_within_the_origin_keeps_the_token() {
    let stub = Stub::start(|seen| {
        if seen.path.ends_with("/moved") {
            Reply::json(200, r#"{"value":[]}"#)
        } else {
            Reply::json(308, "").header("location", "/v1.0/moved")
        }
    })
    .await;
    let client = Client::builder().base_url(&stub.base_url).bearer_token(TOKEN).build().unwrap();
    let _: Vec<Status> = client.list(&["c"]).collect_all().await.unwrap();
    let requests = stub.requests();
    assert_eq!(requests.len(), 2);
    assert_eq!(requests[1].headers["authorization"], format!("Bearer {TOKEN}"));
}

#[test]
fn a_token_is_refused_over_plain_http_except_to_loopback() {
    let error = Client::builder()
        .base_url("http://graph.microsoft.com/v1.0")
        .bearer_token(TOKEN)
        .build()
        .unwrap_err();
    assert!(matches!(error, Error::Config(_)), "{error}");
    assert!(!error.to_string().contains(TOKEN));
    assert!(
        Client::builder().base_url("http://127.0.0.1:1/v1.0").bearer_token(TOKEN).build().is_ok()
    );
    assert!(Client::builder().base_url("http://[::1]:1/v1.0").bearer_token(TOKEN).build().is_ok());
}

#[test]
fn secrets_never_show_in_debug_or_display() {
    let secret = "client-secret-value-123";
    let credential =
        ClientSecretCredential::new("https://login.microsoftonline.com", "t", "app", secret)
            .unwrap();
    assert!(!format!("{credential:?}").contains(secret));
    let client = Client::builder().credential(credential).build().unwrap();
    assert!(!format!("{client:?}").contains(secret));
    let token = AccessToken::new(TOKEN, None).unwrap();
    assert!(!format!("{token:?}").contains(TOKEN));
    assert_eq!(token.secret(), TOKEN);
    let static_token = StaticToken::new(TOKEN).unwrap();
    assert!(!format!("{static_token:?}").contains(TOKEN));
    let client = Client::builder().bearer_token(TOKEN).build().unwrap();
    assert!(!format!("{client:?}").contains(TOKEN));
    let bad = AccessToken::new("line\nbreak-secret", None).unwrap_err();
    assert!(
        !bad.to_string().contains("break-secret") && !format!("{bad:?}").contains("break-secret")
    );
}
