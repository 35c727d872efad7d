//! The access tokens the emulator issues, in Microsoft Entra ID's form: a JSON Web Token whose
//! payload carries the application's permissions in its `roles` claim (left out when it has
//! none, as Entra ID does), signed with HMAC-SHA256 under a key of the process. Clients read the
//! claims without verifying them; the emulator itself knows its tokens by their text.

use std::time::{Duration, SystemTime, UNIX_EPOCH};

use aws_lc_rs::hmac;
use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use serde_json::json;

/// The audience of tokens issued without a scope: Microsoft Graph's global service.
pub(crate) const GRAPH_AUDIENCE: &str = "https://graph.microsoft.com";

/// What an issued token says.
pub(crate) struct Claims<'a> {
    pub(crate) tenant: &'a str,
    pub(crate) client_id: &'a str,
    pub(crate) audience: &'a str,
    /// Application permissions (`roles`), or with `delegated` the scopes a user consented to
    /// (`scp`).
    pub(crate) roles: &'a [String],
    pub(crate) delegated: bool,
    pub(crate) ttl: Duration,
}

/// The signing key of this process's tokens.
pub(crate) fn key() -> hmac::Key {
    let mut bytes = [0u8; 32];
    if aws_lc_rs::rand::fill(&mut bytes).is_err() {
        // The system's generator failed: the key only signs the emulator's own tokens.
        bytes.iter_mut().for_each(|b| *b = fastrand::u8(..));
    }
    hmac::Key::new(hmac::HMAC_SHA256, &bytes)
}

/// A new token: header, payload and signature, each base64url without padding.
pub(crate) fn issue(key: &hmac::Key, claims: &Claims<'_>) -> String {
    let now = SystemTime::now().duration_since(UNIX_EPOCH).unwrap_or_default().as_secs();
    let issuer = format!("https://sts.windows.net/{}/", claims.tenant);
    let mut payload = json!({
        "aud": claims.audience,
        "iss": issuer,
        "iat": now,
        "nbf": now,
        "exp": now.saturating_add(claims.ttl.as_secs()),
        "appid": claims.client_id,
        "appidacr": "1",
        "idp": issuer,
        "idtyp": if claims.delegated { "user" } else { "app" },
        // The service principal's object id in Entra ID; the emulator has no directory object
        // for an application, and names it by its client id.
        "oid": claims.client_id,
        "sub": claims.client_id,
        "tid": claims.tenant,
        "uti": uuid::Uuid::new_v4().simple().to_string(),
        "ver": "1.0",
    });
    if claims.delegated {
        payload["scp"] = json!(claims.roles.join(" "));
    } else if !claims.roles.is_empty() {
        payload["roles"] = json!(claims.roles);
    }
    let header = URL_SAFE_NO_PAD.encode(br#"{"typ":"JWT","alg":"HS256"}"#);
    let body = URL_SAFE_NO_PAD.encode(payload.to_string());
    let signed = format!("{header}.{body}");
    let signature = URL_SAFE_NO_PAD.encode(hmac::sign(key, signed.as_bytes()));
    format!("{signed}.{signature}")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn payload(token: &str) -> serde_json::Value {
        let part = token.split('.').nth(1).unwrap_or_default();
        serde_json::from_slice(&URL_SAFE_NO_PAD.decode(part).unwrap_or_default())
            .unwrap_or_default()
    }

    #[test]
    fn a_token_carries_its_roles_as_entra_id_writes_them() {
        let key = key();
        let roles = vec!["DeviceManagementApps.ReadWrite.All".to_owned()];
        let claims = Claims {
            tenant: "contoso",
            client_id: "app",
            audience: GRAPH_AUDIENCE,
            roles: &roles,
            delegated: false,
            ttl: Duration::from_secs(3599),
        };
        let token = issue(&key, &claims);
        assert_eq!(token.split('.').count(), 3);
        let claims_read = payload(&token);
        assert_eq!(claims_read["roles"], json!(["DeviceManagementApps.ReadWrite.All"]));
        assert_eq!(claims_read["idtyp"], "app");
        assert_eq!(claims_read["tid"], "contoso");
        assert_eq!(
            claims_read["exp"].as_u64().unwrap_or_default()
                - claims_read["iat"].as_u64().unwrap_or_default(),
            3599
        );
        // The signature is the key's.
        let (signed, signature) = token.rsplit_once('.').unwrap_or_default();
        let signature = URL_SAFE_NO_PAD.decode(signature).unwrap_or_default();
        assert!(hmac::verify(&key, signed.as_bytes(), &signature).is_ok());
        // Two tokens of the same claims differ; one without roles has no `roles` claim.
        assert_ne!(issue(&key, &claims), token);
        let none = issue(&key, &Claims { roles: &[], ..claims });
        assert!(payload(&none).get("roles").is_none());
        // A delegated token has its scopes, space-separated, in `scp`.
        let scopes = vec!["User.Read".to_owned(), "Tasks.ReadWrite".to_owned()];
        let user = issue(&key, &Claims { roles: &scopes, delegated: true, ..claims });
        assert_eq!(payload(&user)["scp"], "User.Read Tasks.ReadWrite");
        assert!(payload(&user).get("roles").is_none());
    }
}
