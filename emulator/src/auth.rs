//! Bearer tokens and application permissions: a Graph call needs one of the application
//! permissions Microsoft's permissions reference lists for its path and method
//! ([`graph_entity_schema::permissions`]); a path the reference does not list takes any valid
//! token. The default registration holds [`crate::DEFAULT_ROLES`].

use std::sync::Arc;
use std::time::Instant;

use axum::http::{HeaderMap, StatusCode, header};
use axum::response::Response;
use graph_entity_schema::permissions::{Permissions, Scheme};

use crate::lock::lock;
use crate::respond::{Ids, graph_error};
use crate::routing::Target;
use crate::state::{AppState, Grant};

/// The token check of every Graph route and of `$batch`: Graph's 401 for a missing, unknown or
/// expired bearer token; what the token grants otherwise.
pub(crate) fn authenticate(
    state: &AppState,
    ids: &Ids,
    headers: &HeaderMap,
) -> Result<Arc<Grant>, Response> {
    let unauthorized = |message: &str| {
        graph_error(
            ids,
            StatusCode::UNAUTHORIZED,
            "InvalidAuthenticationToken",
            message.to_owned(),
            &[],
        )
    };
    let Some(token) = bearer(headers) else { return Err(unauthorized("Access token is empty.")) };
    let tokens = lock(&state.tokens);
    let Some((expires_at, grant)) = tokens.get(token) else {
        return Err(unauthorized("Access token validation failure. Invalid audience."));
    };
    if *expires_at <= Instant::now() {
        return Err(unauthorized("Lifetime validation failed, the token is expired."));
    }
    Ok(Arc::clone(grant))
}

/// The bearer token `headers` carry, if any.
fn bearer(headers: &HeaderMap) -> Option<&str> {
    headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "))
        .map(str::trim)
        .filter(|t| !t.is_empty())
}

/// The application whose valid bearer token `headers` carry; `None` without one (the routes
/// then answer `401`).
pub(crate) fn caller(state: &AppState, headers: &HeaderMap) -> Option<String> {
    let token = bearer(headers)?;
    let tokens = lock(&state.tokens);
    let (expires_at, grant) = tokens.get(token)?;
    (*expires_at > Instant::now()).then(|| grant.client_id.clone())
}

/// The permission check of a Graph call (`method` on `target`) for an authenticated caller:
/// one of the permissions the reference lists for the token's scheme (application, or delegated
/// for a work or school account) must be among its grants, else Graph's `403`, naming the least
/// privileged one. Directory objects answer in the directory's
/// words (`Authorization_RequestDenied`), the rest in Intune's and most services' (`Forbidden`).
pub(crate) fn permit(
    ids: &Ids,
    grant: &Grant,
    method: &str,
    target: &Target,
    directory: bool,
) -> Result<(), Response> {
    let scheme = if grant.delegated { Scheme::DelegatedWork } else { Scheme::Application };
    let Some(needed) = needed(method, &target.reference, scheme) else { return Ok(()) };
    if grant.roles.iter().any(|role| needed.iter().any(|n| n.eq_ignore_ascii_case(role))) {
        return Ok(());
    }
    let message = match needed.as_slice() {
        [] => format!(
            "{} permissions cannot perform this operation: Microsoft's permissions reference lists none for {method} {}.",
            if grant.delegated { "Delegated (work or school account)" } else { "Application" },
            target.reference
        ),
        names => format!(
            "Application is not authorized to perform this operation. Application must have one of the following scopes: {}",
            names.join(", ")
        ),
    };
    let (code, message) = if directory {
        (
            "Authorization_RequestDenied",
            format!("Insufficient privileges to complete the operation. {message}"),
        )
    } else {
        ("Forbidden", message)
    };
    Err(graph_error(ids, StatusCode::FORBIDDEN, code, message, &[]))
}

/// The permissions of `scheme` that work for `method` on `reference` (a path in the reference's
/// form), the least privileged first; `None` when the reference does not list it.
pub(crate) fn needed(method: &str, reference: &str, scheme: Scheme) -> Option<Vec<&'static str>> {
    let found = Permissions::get().lookup(method, reference)?;
    let least = found.least(scheme);
    let mut names = found.all(scheme);
    names.sort_by_key(|name| Some(*name) != least);
    Some(names)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn what_works_comes_from_the_reference_with_the_least_privileged_first() {
        let seed = "/deviceAppManagement/mobileAppConfigurations/{id}/userStatuses";
        let create = needed("POST", seed, Scheme::Application).unwrap();
        assert_eq!(create[0], "DeviceManagementApps.ReadWrite.All");
        assert!(!create.contains(&"DeviceManagementApps.Read.All"));
        let read = needed("GET", &format!("{seed}/{{id}}"), Scheme::Application).unwrap();
        assert_eq!(read[0], "DeviceManagementApps.Read.All");
        assert!(read.contains(&"DeviceManagementApps.ReadWrite.All"));
        assert_eq!(needed("POST", "/groups", Scheme::Application).unwrap()[0], "Group.Create");
        let sync =
            needed("POST", "/deviceManagement/managedDevices/{id}/syncDevice", Scheme::Application)
                .unwrap();
        assert_eq!(sync[0], "DeviceManagementManagedDevices.PrivilegedOperations.All");
        // Not listed: unknown, and then any valid token passes.
        assert_eq!(
            needed(
                "POST",
                "/deviceManagement/managedDevices/{id}/noSuchAction",
                Scheme::Application
            ),
            None
        );
    }

    #[test]
    fn the_default_registration_holds_what_the_emulator_is_mostly_used_for() {
        let roles: Vec<String> = crate::DEFAULT_ROLES.iter().map(|r| (*r).to_owned()).collect();
        for (method, path) in [
            ("POST", "/deviceAppManagement/mobileAppConfigurations/{id}/userStatuses"),
            ("POST", "/deviceAppManagement/mobileAppConfigurations/{id}/assign"),
            ("POST", "/deviceManagement/managedDevices/{id}/syncDevice"),
            ("POST", "/deviceManagement/deviceConfigurations"),
            ("POST", "/groups"),
            ("POST", "/users"),
            ("POST", "/users/{id}/todo/lists/{id}/tasks"),
            ("GET", "/users/delta"),
        ] {
            let needed = needed(method, path, Scheme::Application).unwrap();
            assert!(
                roles.iter().any(|r| needed.contains(&r.as_str())),
                "{method} {path}: {needed:?}"
            );
        }
    }
}
