//! The token endpoint's protocol (OAuth 2.0 client credentials, as Microsoft Entra ID speaks
//! it): the request's form with the client's proof, and the answer read into a token or an
//! error, within bounds.

use std::time::{Duration, Instant};

use reqwest::Url;
use serde::Deserialize;

use super::assertion::CertificateKey;
use super::token::AccessToken;
use crate::error::AuthError;
use crate::http::{BodyError, Proxy, read_body};

/// How a client proves who it is.
pub(super) enum Proof {
    Secret(String),
    Certificate(Box<CertificateKey>),
}

/// The largest token response read.
const MAX_TOKEN_RESPONSE_BYTES: usize = 64 * 1024;
/// The longest token lifetime believed: a year. A larger `expires_in` is taken as this.
const MAX_LIFETIME: Duration = Duration::from_secs(366 * 24 * 3600);

/// What a token request needs: the endpoint, the client and its proof, and the HTTP client.
pub(super) struct Endpoint<'a> {
    pub(super) http: &'a reqwest::Client,
    pub(super) token_url: &'a Url,
    pub(super) client_id: &'a str,
    pub(super) proof: &'a Proof,
}

impl Endpoint<'_> {
    /// The token request's form: the client, the scope and its proof.
    fn form(&self, scope: &str) -> Result<String, AuthError> {
        let mut form = url::form_urlencoded::Serializer::new(String::new());
        form.append_pair("client_id", self.client_id)
            .append_pair("scope", scope)
            .append_pair("grant_type", "client_credentials");
        match &self.proof {
            Proof::Secret(secret) => {
                form.append_pair("client_secret", secret);
            }
            Proof::Certificate(key) => {
                let assertion = key.assertion(self.token_url.as_str(), self.client_id)?;
                form.append_pair(
                    "client_assertion_type",
                    "urn:ietf:params:oauth:client-assertion-type:jwt-bearer",
                )
                .append_pair("client_assertion", &assertion);
            }
        }
        Ok(form.finish())
    }

    pub(super) async fn request(&self, scope: &str) -> Result<AccessToken, AuthError> {
        let form = self.form(scope)?;
        let sent = Instant::now();
        let response = self
            .http
            .post(self.token_url.clone())
            .header(reqwest::header::CONTENT_TYPE, "application/x-www-form-urlencoded")
            .header(reqwest::header::ACCEPT, "application/json")
            .body(form)
            .send()
            .await
            .map_err(|e| {
                AuthError::new(
                    None,
                    "request_failed",
                    format!("the token request failed: {}", e.without_url()),
                )
            })?;
        let status = response.status().as_u16();
        let body = read_bounded(response, status).await?;
        parse_token_response(status, &body, sent)
    }
}

/// The token endpoint's answer (`status`, `body`), to a request sent at `sent`: the token, or
/// the endpoint's error (`invalid_client` …), or why the answer cannot be read. Never panics,
/// whatever the body.
pub(crate) fn parse_token_response(
    status: u16,
    body: &[u8],
    sent: Instant,
) -> Result<AccessToken, AuthError> {
    if !(200..300).contains(&status) {
        return Err(match serde_json::from_slice::<AadError>(body) {
            // The endpoint's words, kept bounded: an error must not carry an unbounded body.
            Ok(error) => AuthError::new(
                Some(status),
                crate::error::snippet(error.error.as_bytes()),
                crate::error::snippet(error.error_description.unwrap_or_default().as_bytes()),
            ),
            Err(_) => AuthError::new(
                Some(status),
                "unexpected_response",
                format!(
                    "the token endpoint answered HTTP {status} with {}",
                    crate::error::snippet(body)
                ),
            ),
        });
    }
    let token: TokenResponse = serde_json::from_slice(body).map_err(|e| {
        AuthError::new(
            Some(status),
            "unexpected_response",
            format!("the token response does not parse: {e}"),
        )
    })?;
    if !token.token_type.eq_ignore_ascii_case("bearer") {
        return Err(AuthError::new(
            Some(status),
            "unexpected_response",
            format!("unsupported token type `{}`", token.token_type),
        ));
    }
    let Some(lifetime) = token.lifetime() else {
        return Err(AuthError::new(
            Some(status),
            "unexpected_response",
            "the token response's `expires_in` is not a number of seconds",
        ));
    };
    let lifetime = Duration::from_secs(lifetime).min(MAX_LIFETIME);
    AccessToken::new(&token.access_token, sent.checked_add(lifetime))
}

pub(super) fn http_client(token_url: &Url, proxy: &Proxy) -> Result<reqwest::Client, AuthError> {
    crate::http::builder(token_url, proxy).timeout(Duration::from_secs(30)).build().map_err(|e| {
        AuthError::new(
            None,
            "invalid_configuration",
            format!("cannot build the HTTP client: {}", e.without_url()),
        )
    })
}

/// The token endpoint's answer, up to [`MAX_TOKEN_RESPONSE_BYTES`].
async fn read_bounded(response: reqwest::Response, status: u16) -> Result<Vec<u8>, AuthError> {
    read_body(response, MAX_TOKEN_RESPONSE_BYTES, true).await.map_err(|error| {
        let message = match error {
            BodyError::TooLarge => {
                format!("the token response exceeds {MAX_TOKEN_RESPONSE_BYTES} bytes")
            }
            BodyError::Read(e) => format!("reading the token response failed: {}", e.without_url()),
        };
        AuthError::new(Some(status), "request_failed", message)
    })
}

#[derive(Deserialize)]
struct TokenResponse {
    token_type: String,
    /// A number in v2.0 responses, a string in some older ones: read either way.
    #[serde(default)]
    expires_in: serde_json::Value,
    access_token: String,
}

impl TokenResponse {
    /// `expires_in` in whole seconds, when it is one.
    fn lifetime(&self) -> Option<u64> {
        match &self.expires_in {
            // `3599.0` too: seconds written as a float (the cast saturates; the lifetime is capped
            // later).
            serde_json::Value::Number(n) => n
                .as_u64()
                .or_else(|| n.as_f64().filter(|s| s.is_finite() && *s >= 0.0).map(|s| s as u64)),
            serde_json::Value::String(text) => text.trim().parse().ok(),
            _ => None,
        }
    }
}

#[derive(Deserialize)]
struct AadError {
    error: String,
    error_description: Option<String>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_a_token_or_says_why_not() {
        let now = Instant::now();
        let body = br#"{"token_type":"Bearer","expires_in":3599,"access_token":"eyJ0"}"#;
        let token = parse_token_response(200, body, now).unwrap();
        assert_eq!(token.expires_at(), now.checked_add(Duration::from_secs(3599)));
        let body = br#"{"token_type":"Bearer","expires_in":"3599","access_token":"eyJ0"}"#;
        assert!(parse_token_response(200, body, now).is_ok(), "seconds as a string");
        for (status, body, code) in [
            (
                200,
                &br#"{"token_type":"mac","expires_in":1,"access_token":"x"}"#[..],
                "unexpected_response",
            ),
            (
                200,
                br#"{"token_type":"Bearer","expires_in":-1,"access_token":"x"}"#,
                "unexpected_response",
            ),
            (200, b"not json", "unexpected_response"),
            (
                400,
                br#"{"error":"invalid_client","error_description":"AADSTS7000215"}"#,
                "invalid_client",
            ),
            (500, b"<html>down</html>", "unexpected_response"),
        ] {
            let error = parse_token_response(status, body, now).unwrap_err();
            assert_eq!(error.code, code, "{error}");
            assert_eq!(error.status, Some(status));
        }
    }

    /// An error must not carry an unbounded body: the endpoint's code and description are cut
    /// like any other snippet.
    #[test]
    fn an_error_is_bounded_whatever_the_body() {
        let long = "x".repeat(100_000);
        let body = format!(r#"{{"error":"{long}","error_description":"{long}"}}"#);
        let error = parse_token_response(400, body.as_bytes(), Instant::now()).unwrap_err();
        assert!(
            error.to_string().len() < 2 * crate::error::SNIPPET_LEN + 100,
            "{}",
            error.to_string().len()
        );
    }
}
