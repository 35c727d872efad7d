//! Proxies: loopback is always reached directly; real hosts go through the configured or the
//! environment's proxy, tunnelled, so the proxy never sees a token or a secret.

use graph_emulator::Emulator;
use graph_entity::prelude::*;
use graph_entity::{
    Client,
    auth::{ClientSecretCredential, TokenCredential},
    client::RetryPolicy,
};

use crate::stub::RawStub;
use crate::{configuration, doc_example};

const TOKEN: &str = "eyJ0eXAiOiJKV1QiLCJhbGciOiJSUzI1NiJ9.proxy-test-token";
const SECRET: &str = "proxy-test-client-secret";
/// A proxy that refuses every tunnel.
const REFUSE: &[u8] = b"HTTP/1.1 403 Forbidden\r\nContent-Length: 0\r\nConnection: close\r\n\r\n";
const CHILD: &str = "GRAPH_ENTITY_PROXY_TEST_CHILD";

/// Creates a user status against a fresh emulator, with `proxy` set on the client and on its
/// credential when given.
async fn create_on_loopback(proxy: Option<&str>) {
    let emulator = crate::common::emulator(Emulator::builder()).await;
    let (id, secret) = emulator.default_client();
    let mut credential =
        ClientSecretCredential::new(emulator.root_url(), emulator.tenant(), id, secret).unwrap();
    let mut builder = Client::builder().base_url(emulator.graph_url("v1.0"));
    if let Some(proxy) = proxy {
        credential = credential.proxy(proxy).unwrap();
        builder = builder.proxy(proxy);
    }
    let client = builder.credential(credential).build().unwrap();
    let parent = configuration(&client).await;
    doc_example().create(&client, &parent).await.unwrap();
}

/// Sends a create to Graph and a token request to Microsoft's login host, both of which must
/// go to the proxy (which refuses them): nothing leaves this machine.
async fn call_real_hosts(proxy: Option<&str>) {
    let mut builder = Client::builder().bearer_token(TOKEN).retry(RetryPolicy::none());
    let mut credential =
        ClientSecretCredential::new("https://login.microsoftonline.com", "contoso", "app", SECRET)
            .unwrap();
    if let Some(proxy) = proxy {
        builder = builder.proxy(proxy);
        credential = credential.proxy(proxy).unwrap();
    }
    let error = doc_example().create(&builder.build().unwrap(), "c").await.unwrap_err();
    assert!(!error.to_string().contains(TOKEN));
    credential.get_token("https://graph.microsoft.com/.default").await.unwrap_err();
}

/// Checks what the proxy saw: one tunnel to each real host, nothing else, no secret.
fn assert_tunnelled(proxy: &RawStub) {
    let mut seen = proxy.requests();
    seen.sort();
    assert_eq!(seen.len(), 2, "{seen:?}");
    assert!(seen[0].starts_with("CONNECT graph.microsoft.com:443 "), "{seen:?}");
    assert!(seen[1].starts_with("CONNECT login.microsoftonline.com:443 "), "{seen:?}");
    for request in &seen {
        assert!(!request.contains(TOKEN) && !request.contains(SECRET), "{request}");
        assert!(!request.contains("127.0.0.1"), "loopback went to the proxy: {request}");
    }
}

#[tokio::test]
async fn a_configured_proxy_carries_real_hosts_and_never_loopback() {
    let proxy = RawStub::start(REFUSE).await;
    create_on_loopback(Some(&proxy.url)).await;
    assert!(proxy.requests().is_empty(), "{:?}", proxy.requests());
    call_real_hosts(Some(&proxy.url)).await;
    assert_tunnelled(&proxy);
}

#[test]
fn a_proxy_url_that_is_not_http_is_refused() {
    let error =
        Client::builder().bearer_token(TOKEN).proxy("socks5://127.0.0.1:1080").build().unwrap_err();
    assert!(error.to_string().contains("proxy"), "{error}");
    let error = ClientSecretCredential::new("https://login.microsoftonline.com", "t", "a", "s")
        .unwrap()
        .proxy("ftp://user:hunter2@proxy")
        .unwrap_err();
    assert!(!error.to_string().contains("hunter2"), "{error}");
}

/// Runs [`environment_child`] in a new process with `HTTP_PROXY`, `HTTPS_PROXY` and
/// `ALL_PROXY` set (a test cannot set its own environment safely), then checks what the proxy
/// saw.
#[tokio::test]
async fn the_environment_proxy_carries_real_hosts_and_never_loopback() {
    let proxy = RawStub::start(REFUSE).await;
    let mut child = tokio::process::Command::new(std::env::current_exe().unwrap());
    child
        .args(["--exact", "proxy::environment_child", "--ignored", "--test-threads=1"])
        .env(CHILD, "1")
        .env_remove("NO_PROXY")
        .env_remove("no_proxy");
    for name in ["HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY", "http_proxy", "https_proxy"] {
        child.env(name, &proxy.url);
    }
    let output = child.output().await.unwrap();
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(
        output.status.success() && stdout.contains("1 passed"),
        "{stdout}\n{}",
        String::from_utf8_lossy(&output.stderr)
    );
    assert_tunnelled(&proxy);
}

#[tokio::test]
#[ignore = "run in a child process by the_environment_proxy_carries_real_hosts_and_never_loopback"]
async fn environment_child() {
    if std::env::var_os(CHILD).is_none() {
        eprintln!("environment_child: run by its parent test only, with the proxy variables set");
        return;
    }
    create_on_loopback(None).await;
    call_real_hosts(None).await;
}
