//! Bearer tokens and application permissions: which roles each area of Graph needs, from
//! Microsoft's permissions reference, for the areas listed in [`TABLE`]; elsewhere reads need
//! any `*.Read.All` or `*.ReadWrite.All` role and writes any `*.ReadWrite.All` role.

use std::time::Instant;

use axum::http::{HeaderMap, StatusCode, header};
use axum::response::Response;

use crate::lock::lock;
use crate::respond::{Ids, graph_error};
use crate::state::AppState;

/// One area: the path shape it starts with (segments without keys), the roles that read it,
/// the roles that write it (which read it too), and whether Graph answers `403` in the
/// directory's words.
pub(crate) struct Area {
    pub(crate) shape: &'static [&'static str],
    pub(crate) read: &'static [&'static str],
    pub(crate) write: &'static [&'static str],
    pub(crate) directory: bool,
}

const fn area(
    shape: &'static [&'static str],
    read: &'static [&'static str],
    write: &'static [&'static str],
    directory: bool,
) -> Area {
    Area { shape, read, write, directory }
}

const APPS: (&[&str], &[&str]) =
    (&["DeviceManagementApps.Read.All"], &["DeviceManagementApps.ReadWrite.All"]);
const CONFIGURATION: (&[&str], &[&str]) =
    (&["DeviceManagementConfiguration.Read.All"], &["DeviceManagementConfiguration.ReadWrite.All"]);
const MANAGED_DEVICES: (&[&str], &[&str]) = (
    &["DeviceManagementManagedDevices.Read.All"],
    &["DeviceManagementManagedDevices.ReadWrite.All"],
);
const RBAC: (&[&str], &[&str]) =
    (&["DeviceManagementRBAC.Read.All"], &["DeviceManagementRBAC.ReadWrite.All"]);
const SERVICE_CONFIG: (&[&str], &[&str]) =
    (&["DeviceManagementServiceConfig.Read.All"], &["DeviceManagementServiceConfig.ReadWrite.All"]);
const USERS: (&[&str], &[&str]) =
    (&["User.Read.All", "Directory.Read.All"], &["User.ReadWrite.All", "Directory.ReadWrite.All"]);
const GROUPS: (&[&str], &[&str]) = (
    &["Group.Read.All", "Directory.Read.All"],
    &["Group.ReadWrite.All", "Directory.ReadWrite.All"],
);
const APPLICATIONS: (&[&str], &[&str]) = (
    &["Application.Read.All", "Directory.Read.All"],
    &["Application.ReadWrite.All", "Directory.ReadWrite.All"],
);
const DEVICES: (&[&str], &[&str]) = (
    &["Device.Read.All", "Directory.Read.All"],
    &["Device.ReadWrite.All", "Directory.ReadWrite.All"],
);
const TASKS: (&[&str], &[&str]) = (&["Tasks.Read.All"], &["Tasks.ReadWrite.All"]);
const MAIL: (&[&str], &[&str]) = (&["Mail.ReadBasic.All", "Mail.Read"], &["Mail.ReadWrite"]);
const CALENDARS: (&[&str], &[&str]) = (&["Calendars.Read"], &["Calendars.ReadWrite"]);
const CONTACTS: (&[&str], &[&str]) = (&["Contacts.Read"], &["Contacts.ReadWrite"]);

/// The permissions table, most specific shapes first.
pub(crate) const TABLE: &[Area] = &[
    area(&["deviceManagement", "deviceConfigurations"], CONFIGURATION.0, CONFIGURATION.1, false),
    area(
        &["deviceManagement", "deviceCompliancePolicies"],
        CONFIGURATION.0,
        CONFIGURATION.1,
        false,
    ),
    area(
        &["deviceManagement", "deviceConfigurationDeviceStateSummaries"],
        CONFIGURATION.0,
        CONFIGURATION.1,
        false,
    ),
    area(
        &["deviceManagement", "deviceCompliancePolicyDeviceStateSummary"],
        CONFIGURATION.0,
        CONFIGURATION.1,
        false,
    ),
    area(
        &["deviceManagement", "deviceCompliancePolicySettingStateSummaries"],
        CONFIGURATION.0,
        CONFIGURATION.1,
        false,
    ),
    area(&["deviceManagement", "managedDevices"], MANAGED_DEVICES.0, MANAGED_DEVICES.1, false),
    area(&["deviceManagement", "detectedApps"], MANAGED_DEVICES.0, MANAGED_DEVICES.1, false),
    area(
        &["deviceManagement", "windowsMalwareInformation"],
        MANAGED_DEVICES.0,
        MANAGED_DEVICES.1,
        false,
    ),
    area(&["deviceManagement", "roleDefinitions"], RBAC.0, RBAC.1, false),
    area(&["deviceManagement", "roleAssignments"], RBAC.0, RBAC.1, false),
    area(&["deviceManagement", "resourceOperations"], RBAC.0, RBAC.1, false),
    area(&["deviceManagement"], SERVICE_CONFIG.0, SERVICE_CONFIG.1, false),
    area(&["deviceAppManagement"], APPS.0, APPS.1, false),
    area(&["users", "todo"], TASKS.0, TASKS.1, false),
    area(&["users", "messages"], MAIL.0, MAIL.1, false),
    area(&["users", "mailFolders"], MAIL.0, MAIL.1, false),
    area(&["users", "events"], CALENDARS.0, CALENDARS.1, false),
    area(&["users", "calendar"], CALENDARS.0, CALENDARS.1, false),
    area(&["users", "calendars"], CALENDARS.0, CALENDARS.1, false),
    area(&["users", "calendarGroups"], CALENDARS.0, CALENDARS.1, false),
    area(&["users", "contacts"], CONTACTS.0, CONTACTS.1, false),
    area(&["users", "contactFolders"], CONTACTS.0, CONTACTS.1, false),
    area(&["users", "managedDevices"], MANAGED_DEVICES.0, MANAGED_DEVICES.1, false),
    area(&["users"], USERS.0, USERS.1, true),
    area(&["groups"], GROUPS.0, GROUPS.1, true),
    area(&["applications"], APPLICATIONS.0, APPLICATIONS.1, true),
    area(&["servicePrincipals"], APPLICATIONS.0, APPLICATIONS.1, true),
    area(&["devices"], DEVICES.0, DEVICES.1, true),
];

/// The area of a path shape, if the table has it.
pub(crate) fn area_of(shape: &[String]) -> Option<&'static Area> {
    TABLE.iter().find(|a| {
        a.shape.len() <= shape.len() && a.shape.iter().zip(shape).all(|(a, b)| *a == b.as_str())
    })
}

/// Every role the table writes with, each once: what the default registration holds.
pub(crate) fn every_write_role() -> Vec<String> {
    let mut roles: Vec<String> =
        TABLE.iter().flat_map(|a| a.write.iter().map(|r| (*r).to_owned())).collect();
    roles.sort();
    roles.dedup();
    roles
}

/// The token check of every Graph route and of `$batch`: Graph's 401 for a missing, unknown or
/// expired bearer token; the token's roles otherwise.
pub(crate) fn authenticate(
    state: &AppState,
    ids: &Ids,
    headers: &HeaderMap,
) -> Result<Vec<String>, Response> {
    let unauthorized = |message: &str| {
        graph_error(
            ids,
            StatusCode::UNAUTHORIZED,
            "InvalidAuthenticationToken",
            message.to_owned(),
            &[],
        )
    };
    let token = headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "))
        .map(str::trim)
        .filter(|t| !t.is_empty());
    let Some(token) = token else { return Err(unauthorized("Access token is empty.")) };
    let tokens = lock(&state.tokens);
    let Some((expires_at, grant)) = tokens.get(token) else {
        return Err(unauthorized("Access token validation failure. Invalid audience."));
    };
    if *expires_at <= Instant::now() {
        return Err(unauthorized("Lifetime validation failed, the token is expired."));
    }
    Ok(grant.roles.clone())
}

/// The application whose valid bearer token `headers` carry; `None` without one (the routes
/// then answer `401`).
pub(crate) fn caller(state: &AppState, headers: &HeaderMap) -> Option<String> {
    let token = headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "))
        .map(str::trim)?;
    let tokens = lock(&state.tokens);
    let (expires_at, grant) = tokens.get(token)?;
    (*expires_at > Instant::now()).then(|| grant.client_id.clone())
}

/// Whether `roles` may read (or, with `write`, write) where `shape` leads.
pub(crate) fn allowed(roles: &[String], shape: &[String], write: bool) -> bool {
    match area_of(shape) {
        Some(area) => roles.iter().any(|role| {
            area.write.contains(&role.as_str()) || (!write && area.read.contains(&role.as_str()))
        }),
        None => roles.iter().any(|role| {
            role.ends_with(".ReadWrite.All") || (!write && role.ends_with(".Read.All"))
        }),
    }
}

/// The permission check of a Graph call for an authenticated caller's roles, with Graph's 403.
pub(crate) fn permit(
    ids: &Ids,
    roles: &[String],
    shape: &[String],
    write: bool,
) -> Result<(), Response> {
    if allowed(roles, shape, write) {
        return Ok(());
    }
    let area = area_of(shape);
    if area.is_some_and(|a| a.directory) {
        return Err(graph_error(
            ids,
            StatusCode::FORBIDDEN,
            "Authorization_RequestDenied",
            "Insufficient privileges to complete the operation.".into(),
            &[],
        ));
    }
    let needed = match area {
        Some(area) if write => area.write.join(", "),
        Some(area) => area.read.iter().chain(area.write).copied().collect::<Vec<_>>().join(", "),
        None if write => "any *.ReadWrite.All application permission".to_owned(),
        None => "any *.Read.All or *.ReadWrite.All application permission".to_owned(),
    };
    Err(graph_error(
        ids,
        StatusCode::FORBIDDEN,
        "Forbidden",
        format!(
            "Application is not authorized to perform this operation. Application must have one of the following scopes: {needed}"
        ),
        &[],
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn shape(path: &str) -> Vec<String> {
        path.split('/').map(str::to_owned).collect()
    }

    fn roles(names: &[&str]) -> Vec<String> {
        names.iter().map(|r| (*r).to_owned()).collect()
    }

    #[test]
    fn the_table_decides_by_the_most_specific_area() {
        let cases = [
            (
                "deviceAppManagement/mobileAppConfigurations/userStatuses",
                "DeviceManagementApps.ReadWrite.All",
                true,
                true,
            ),
            (
                "deviceAppManagement/mobileAppConfigurations",
                "DeviceManagementApps.Read.All",
                false,
                true,
            ),
            (
                "deviceAppManagement/mobileAppConfigurations",
                "DeviceManagementApps.Read.All",
                true,
                false,
            ),
            ("deviceAppManagement", "User.ReadWrite.All", false, false),
            (
                "deviceManagement/managedDevices",
                "DeviceManagementManagedDevices.Read.All",
                false,
                true,
            ),
            (
                "deviceManagement/managedDevices",
                "DeviceManagementConfiguration.ReadWrite.All",
                false,
                false,
            ),
            (
                "deviceManagement/deviceConfigurations",
                "DeviceManagementConfiguration.ReadWrite.All",
                true,
                true,
            ),
            ("deviceManagement", "DeviceManagementServiceConfig.Read.All", false, true),
            ("users", "User.Read.All", false, true),
            ("users", "User.Read.All", true, false),
            ("users", "Directory.ReadWrite.All", true, true),
            ("users/todo/lists/tasks", "Tasks.ReadWrite.All", true, true),
            ("users/todo/lists/tasks", "User.ReadWrite.All", true, false),
            ("groups", "Group.ReadWrite.All", true, true),
            ("groups", "User.ReadWrite.All", false, false),
            ("applications", "Application.Read.All", false, true),
            // Elsewhere: any .ReadWrite.All writes, any .Read.All reads.
            ("sites", "Sites.Read.All", false, true),
            ("sites", "Sites.Read.All", true, false),
            ("sites", "Anything.ReadWrite.All", true, true),
            ("sites", "Mail.Read", false, false),
        ];
        for (path, role, write, expected) in cases {
            assert_eq!(
                allowed(&roles(&[role]), &shape(path), write),
                expected,
                "{path} {role} {write}"
            );
        }
    }

    #[test]
    fn the_default_registration_writes_every_area() {
        let all = every_write_role();
        for area in TABLE {
            assert!(allowed(
                &all,
                &area.shape.iter().map(|s| (*s).to_owned()).collect::<Vec<_>>(),
                true
            ));
        }
        assert!(all.contains(&"DeviceManagementApps.ReadWrite.All".to_owned()));
    }
}
