//! `POST /{tenant}/oauth2/v2.0/token`: client credentials (a secret, or a certificate-signed
//! client assertion), answered in Microsoft Entra ID's formats.

use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, Uri, header};
use axum::response::{IntoResponse, Response};
use serde_json::json;

use crate::edm::utc_now_without_offset;
use crate::state::Shared;

const JWT_BEARER: &str = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer";

#[derive(Default)]
struct TokenForm {
    grant_type: Option<String>,
    client_id: Option<String>,
    client_secret: Option<String>,
    client_assertion_type: Option<String>,
    client_assertion: Option<String>,
    scope: Option<String>,
}

/// `POST /{tenant}/oauth2/v2.0/token`, client credentials, with Microsoft Entra ID's error format.
pub(crate) async fn token(
    State(state): State<Shared>,
    Path(tenant): Path<String>,
    uri: Uri,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let aad_error = |status: StatusCode, error: &str, code: u32, description: &str| {
        let body = json!({
            "error": error,
            "error_description": format!("AADSTS{code}: {description}"),
            "error_codes": [code],
            "timestamp": format!("{}Z", utc_now_without_offset()),
            "trace_id": uuid::Uuid::new_v4().to_string(),
            "correlation_id": uuid::Uuid::new_v4().to_string(),
        });
        let mut response = (status, body.to_string()).into_response();
        response.headers_mut().insert(
            header::CONTENT_TYPE,
            HeaderValue::from_static("application/json; charset=utf-8"),
        );
        response
    };
    let form = parse_token_form(&body);
    if tenant != state.settings.tenant {
        return aad_error(
            StatusCode::BAD_REQUEST,
            "invalid_tenant",
            90_002,
            &format!("Tenant '{tenant}' not found."),
        );
    }
    if form.grant_type.as_deref() != Some("client_credentials") {
        return aad_error(
            StatusCode::BAD_REQUEST,
            "unsupported_grant_type",
            70_003,
            "The app requested an unsupported grant type; the emulator supports 'client_credentials'.",
        );
    }
    let client_id = form.client_id.unwrap_or_default();
    let Some(client) = state.settings.clients.iter().find(|c| c.client_id == client_id) else {
        return aad_error(
            StatusCode::BAD_REQUEST,
            "unauthorized_client",
            700_016,
            &format!(
                "Application with identifier '{client_id}' was not found in the directory '{tenant}'."
            ),
        );
    };
    // The token endpoint's URL as the client addressed it.
    let root = crate::respond::origin(&uri, &headers, &state.root);
    let audience = format!("{root}/{tenant}/oauth2/v2.0/token");
    let proof = match (&form.client_secret, &form.client_assertion) {
        (Some(secret), _) if client.client_secret.as_deref() == Some(secret.as_str()) => Ok(()),
        (Some(_), _) => Err((
            7_000_215,
            format!("Invalid client secret provided. Ensure the secret being sent in the request is the client secret value, not the client secret ID, for a secret added to app '{client_id}'."),
        )),
        (None, Some(assertion)) => {
            if form.client_assertion_type.as_deref() != Some(JWT_BEARER) {
                Err((700_027, format!("client_assertion_type must be '{JWT_BEARER}'.")))
            } else {
                crate::assertion::verify(assertion, client, &audience)
            }
        }
        (None, None) => Err((
            7_000_218,
            "The request body must contain the following parameter: 'client_assertion' or 'client_secret'.".to_owned(),
        )),
    };
    if let Err((code, description)) = proof {
        return aad_error(StatusCode::UNAUTHORIZED, "invalid_client", code, &description);
    }
    let scope = form.scope.unwrap_or_default();
    if !scope.ends_with("/.default") {
        return aad_error(
            StatusCode::BAD_REQUEST,
            "invalid_scope",
            1_002_012,
            &format!(
                "The provided value for scope '{scope}' is not valid. Client credential flows must have a scope value with /.default suffixed to the resource identifier."
            ),
        );
    }
    let ttl = state.settings.token_ttl;
    // The token's audience: the resource whose `/.default` scope was asked for.
    let audience = scope.strip_suffix("/.default").unwrap_or(&scope);
    let token = state.issue_token_to(audience, &client.client_id, (&client.roles, false), ttl);
    let seconds = ttl.as_secs();
    let mut response = (
        StatusCode::OK,
        json!({
            "token_type": "Bearer",
            "expires_in": seconds,
            "ext_expires_in": seconds,
            "access_token": token,
        })
        .to_string(),
    )
        .into_response();
    response
        .headers_mut()
        .insert(header::CONTENT_TYPE, HeaderValue::from_static("application/json; charset=utf-8"));
    response
}

/// Reads the keys the token endpoint uses from an `application/x-www-form-urlencoded` body.
fn parse_token_form(body: &Bytes) -> TokenForm {
    let mut form = TokenForm::default();
    for (key, value) in url::form_urlencoded::parse(body) {
        let slot = match key.as_ref() {
            "grant_type" => &mut form.grant_type,
            "client_id" => &mut form.client_id,
            "client_secret" => &mut form.client_secret,
            "client_assertion_type" => &mut form.client_assertion_type,
            "client_assertion" => &mut form.client_assertion,
            "scope" => &mut form.scope,
            _ => continue,
        };
        *slot = Some(value.into_owned());
    }
    form
}
