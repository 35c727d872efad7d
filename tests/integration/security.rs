//! Tokens and secrets stay where they belong.

use graph_entity::intune::ManagedDeviceMobileAppConfigurationUserStatus as Status;
use graph_entity::{AccessToken, Client, ClientSecretCredential, Error, StaticToken};

use crate::stub::{Reply, Stub};

const TOKEN: &str = "eyJ0eXAiOiJKV1QiLCJhbGciOiJSUzI1NiJ9.secret-token-body";

#[tokio::test]
async fn a_redirect_to_another_origin_does_not_carry_the_token() {
    let elsewhere = Stub::start(|_| Reply::json(200, r#"{"value":[]}"#)).await;
    let target = format!("{}/landing", elsewhere.base_url);
    let origin = Stub::start(move |_| Reply::json(307, "").header("location", &target)).await;
    let client = Client::builder().base_url(&origin.base_url).bearer_token(TOKEN).build().unwrap();
    let listed: Vec<Status> = client.list(&["c"]).await.unwrap();
    assert!(listed.is_empty());
    assert_eq!(origin.requests()[0].headers["authorization"], format!("Bearer {TOKEN}"));
    let landed = &elsewhere.requests()[0];
    assert!(landed.headers.get("authorization").is_none(), "{:?}", landed.headers);
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
    let _: Vec<Status> = client.list(&["c"]).await.unwrap();
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
