//! Shared by the emulator's HTTP tests: a bare client that sends what a test says and keeps the
//! answer as text, and readers of Graph's answers.
#![allow(dead_code, unreachable_pub)]

use std::time::Duration;

use graph_emulator::RunningEmulator;
use reqwest::Method;
use serde_json::{Value, json};

pub struct Api {
    pub http: reqwest::Client,
    pub base: String,
    pub token: String,
    /// A delegated token, sent again with a request the first token was refused (`403`).
    pub delegated: Option<String>,
}

#[derive(Debug)]
pub struct Reply {
    pub status: u16,
    pub text: String,
}

impl Reply {
    pub fn json(&self) -> Value {
        serde_json::from_str(&self.text).unwrap_or_else(|e| panic!("{e}: {}", self.text))
    }

    /// Graph's error code, after checking the body is Graph's error.
    pub fn code(&self) -> String {
        let body = self.json();
        assert!(body["error"]["message"].is_string(), "{body}");
        assert!(body["error"]["innerError"]["request-id"].is_string(), "{body}");
        body["error"]["code"].as_str().unwrap().to_owned()
    }

    pub fn message(&self) -> String {
        self.json()["error"]["message"].as_str().unwrap().to_owned()
    }

    /// The id of the entity created.
    pub fn id(&self) -> String {
        assert_eq!(self.status, 201, "{self:?}");
        self.json()["id"].as_str().unwrap().to_owned()
    }
}

impl Api {
    /// With a token of these roles.
    pub fn new(emulator: &RunningEmulator, roles: &[&str]) -> Api {
        Api {
            http: reqwest::Client::new(),
            base: emulator.graph_url("v1.0"),
            token: emulator.issue_token(roles, Duration::from_secs(600)),
            delegated: None,
        }
    }

    /// Also with a delegated token of these scopes, for what the first one is refused.
    pub fn or_delegated(mut self, emulator: &RunningEmulator, scopes: &[&str]) -> Api {
        self.delegated = Some(emulator.issue_delegated_token(scopes, Duration::from_secs(600)));
        self
    }

    pub async fn send(
        &self,
        method: Method,
        path: &str,
        body: Option<Value>,
        headers: &[(&str, &str)],
    ) -> Reply {
        let reply = self.send_with(&self.token, method.clone(), path, body.clone(), headers).await;
        match &self.delegated {
            Some(token) if reply.status == 403 => {
                self.send_with(token, method, path, body, headers).await
            }
            _ => reply,
        }
    }

    async fn send_with(
        &self,
        token: &str,
        method: Method,
        path: &str,
        body: Option<Value>,
        headers: &[(&str, &str)],
    ) -> Reply {
        let mut request =
            self.http.request(method, format!("{}{path}", self.base)).bearer_auth(token);
        for (name, value) in headers {
            request = request.header(*name, *value);
        }
        if let Some(body) = body {
            request = request.header("content-type", "application/json").body(body.to_string());
        }
        let response = request.send().await.unwrap();
        let status = response.status().as_u16();
        Reply { status, text: response.text().await.unwrap() }
    }

    pub async fn get(&self, path: &str) -> Reply {
        self.send(Method::GET, path, None, &[]).await
    }

    pub async fn post(&self, path: &str, body: Value) -> Reply {
        self.send(Method::POST, path, Some(body), &[]).await
    }
}

/// A group as Graph requires it on create.
pub fn group(name: &str) -> Value {
    json!({"displayName": name, "mailEnabled": false, "mailNickname": name, "securityEnabled": true})
}

/// A user as Graph requires it on create.
pub fn user(name: &str) -> Value {
    json!({
        "accountEnabled": true, "displayName": name, "mailNickname": name,
        "userPrincipalName": format!("{name}@contoso.com"),
        "passwordProfile": {"password": "x-1234-Y", "forceChangePasswordNextSignIn": false},
    })
}
