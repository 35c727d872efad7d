//! What an access token says it grants: the `roles` (application permissions) or `scp`
//! (delegated permissions) claim of a JSON Web Token, read without verifying it (verifying is
//! the service's job), and whether that holds one of the permissions a request needs.

use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use serde::Deserialize;

use crate::entity::RequestPermissions;

/// The permissions an access token carries, as Microsoft Entra ID writes them into its claims.
///
/// Read from the token's payload, not verified: it tells the client what the service will see,
/// so that a request the token cannot make fails before any I/O
/// ([`Error::MissingPermission`](crate::Error::MissingPermission)). An opaque token (not a
/// JSON Web Token, as a personal Microsoft account's) or one without either claim grants
/// nothing the client can know: [`AccessToken::granted`](super::AccessToken::granted) is then
/// `None` and nothing is checked.
///
/// ```
/// use graph_entity_runtime::auth::Granted;
/// use graph_entity_runtime::entity::RequestPermissions;
///
/// let token = Granted::Application(vec!["DeviceManagementApps.ReadWrite.All".to_owned()]);
/// let create = RequestPermissions::__new(
///     Some("DeviceManagementApps.ReadWrite.All"),
///     Some("DeviceManagementApps.ReadWrite.All"),
///     &["DeviceManagementApps.ReadWrite.All"],
///     &["DeviceManagementApps.ReadWrite.All"],
/// );
/// assert!(token.holds_one_of(&create));
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Granted {
    /// An app-only token (client credentials): its application permissions, the `roles` claim.
    Application(Vec<String>),
    /// A token delegated by a signed-in user: its scopes, the `scp` claim.
    Delegated(Vec<String>),
}

impl Granted {
    /// Reads what `token` grants: `None` for a token that is not a JSON Web Token, whose
    /// payload does not decode, or that has neither a `roles` nor an `scp` claim.
    pub fn of_token(token: &str) -> Option<Granted> {
        let mut parts = token.split('.');
        let (_, payload, _) = (parts.next()?, parts.next()?, parts.next()?);
        if parts.next().is_some() {
            return None;
        }
        // Entra ID writes base64url without padding; tolerate padding all the same.
        let bytes = URL_SAFE_NO_PAD.decode(payload.trim_end_matches('=')).ok()?;
        let claims: Claims = serde_json::from_slice(&bytes).ok()?;
        // A delegated token may carry `roles` too (the user's app roles): `scp` decides.
        match (claims.scp, claims.roles) {
            (Some(scp), _) => Some(Granted::Delegated(
                scp.split(' ').filter(|s| !s.is_empty()).map(str::to_owned).collect(),
            )),
            (None, Some(roles)) => Some(Granted::Application(roles)),
            (None, None) => None,
        }
    }

    /// The permission names the token holds.
    pub fn names(&self) -> &[String] {
        match self {
            Granted::Application(names) | Granted::Delegated(names) => names,
        }
    }

    /// Whether the token is app-only (holds application permissions).
    pub fn is_application(&self) -> bool {
        matches!(self, Granted::Application(_))
    }

    /// The permissions of `permissions` that work for the token's scheme: its application
    /// permissions, or its delegated ones (work or school account).
    pub fn that_work(&self, permissions: &RequestPermissions) -> &'static [&'static str] {
        match self {
            Granted::Application(_) => permissions.all_application,
            Granted::Delegated(_) => permissions.all_delegated,
        }
    }

    /// The least privileged permission of `permissions` for the token's scheme.
    pub fn least(&self, permissions: &RequestPermissions) -> Option<&'static str> {
        match self {
            Granted::Application(_) => permissions.application,
            Granted::Delegated(_) => permissions.delegated,
        }
    }

    /// Whether the token holds one of the permissions that work for a request, by name (ASCII
    /// case aside). `true` when Microsoft's reference lists no permission of the token's scheme
    /// for the request (it does not list the request, or lists it for the other scheme only):
    /// what is not known is never refused.
    pub fn holds_one_of(&self, permissions: &RequestPermissions) -> bool {
        let works = self.that_work(permissions);
        let names = self.names();
        works.is_empty()
            || works.iter().any(|needed| names.iter().any(|held| held.eq_ignore_ascii_case(needed)))
    }
}

/// The claims the client reads.
#[derive(Deserialize)]
struct Claims {
    #[serde(default)]
    roles: Option<Vec<String>>,
    #[serde(default)]
    scp: Option<String>,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn jwt(payload: &str) -> String {
        format!("eyJhbGciOiJub25lIn0.{}.c2ln", URL_SAFE_NO_PAD.encode(payload))
    }

    const CREATE: RequestPermissions = RequestPermissions::__new(
        Some("DeviceManagementApps.ReadWrite.All"),
        Some("DeviceManagementApps.ReadWrite.All"),
        &["DeviceManagementApps.ReadWrite.All"],
        &["DeviceManagementApps.ReadWrite.All"],
    );

    #[test]
    fn roles_make_an_application_token_and_scp_a_delegated_one() {
        let app = jwt(
            r#"{"aud":"https://graph.microsoft.com","roles":["User.Read.All","Group.Create"]}"#,
        );
        assert_eq!(
            Granted::of_token(&app),
            Some(Granted::Application(vec!["User.Read.All".into(), "Group.Create".into()]))
        );
        let delegated = jwt(r#"{"scp":"openid  User.Read Tasks.ReadWrite","roles":["Admin"]}"#);
        assert_eq!(
            Granted::of_token(&delegated),
            Some(Granted::Delegated(vec![
                "openid".into(),
                "User.Read".into(),
                "Tasks.ReadWrite".into()
            ]))
        );
    }

    #[test]
    fn opaque_tokens_and_tokens_without_the_claims_grant_nothing_known() {
        for token in [
            "EwBwA8l6BAAU-opaque-token",
            "a.b",
            "a.b.c.d",
            "eyJhbGciOiJub25lIn0.%%%%.c2ln",
            &jwt("not json"),
            &jwt(r#"{"aud":"x"}"#),
            &jwt(r#"{"roles":"not a list"}"#),
            "",
        ] {
            assert_eq!(Granted::of_token(token), None, "{token}");
        }
        // Padding is tolerated.
        let padded = format!("h.{}==.s", URL_SAFE_NO_PAD.encode(r#"{"roles":["A"]}"#));
        assert!(Granted::of_token(&padded).is_some());
    }

    #[test]
    fn a_token_holds_a_request_when_it_has_one_permission_that_works() {
        let holds = |names: &[&str]| {
            Granted::Application(names.iter().map(|n| (*n).to_owned()).collect())
                .holds_one_of(&CREATE)
        };
        assert!(holds(&["DeviceManagementApps.ReadWrite.All"]));
        assert!(holds(&["devicemanagementapps.readwrite.all"]));
        assert!(!holds(&["DeviceManagementApps.Read.All"]));
        assert!(!holds(&[]));
        // Delegated tokens are checked against the delegated permissions.
        let delegated = Granted::Delegated(vec!["DeviceManagementApps.ReadWrite.All".into()]);
        assert!(delegated.holds_one_of(&CREATE));
        let only_app =
            RequestPermissions::__new(Some("Group.Create"), None, &["Group.Create"], &[]);
        // Listed for the other scheme only: not known for this one, never refused.
        assert!(delegated.holds_one_of(&only_app));
        assert!(!Granted::Application(vec![]).holds_one_of(&only_app));
        // A request the reference does not list is never refused.
        assert!(Granted::Application(vec![]).holds_one_of(&RequestPermissions::UNKNOWN));
    }
}
