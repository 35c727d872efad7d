//! Microsoft Graph's throttling limits for Intune, per service: each service's name, its four
//! limits (writes and any request, per tenant and per application per tenant, in a window of
//! 20 seconds) and the entity types they apply to, with lookups by type and by path.
//!
//! ```
//! use graph_entity_schema::{Schema, throttling};
//!
//! let status = "microsoft.graph.managedDeviceMobileAppConfigurationUserStatus";
//! let service = throttling::service_of(status).unwrap();
//! assert_eq!(service.name, "Intune applications");
//! assert_eq!((service.writes.per_app_per_tenant, service.writes.per_tenant), (100, 200));
//! assert_eq!((service.any.per_app_per_tenant, service.any.per_tenant), (1000, 2000));
//! assert_eq!(service.window.as_secs(), 20);
//!
//! let devices = throttling::service_of_path(Schema::v1(), "/deviceManagement/managedDevices/{id}");
//! assert_eq!(devices.map(|s| s.name), Some("Intune devices"));
//! ```
//!
//! Microsoft applies each service's limits to the requests for the resources it lists, per
//! tenant (all applications together) and per application per tenant, for writes (`POST`,
//! `PUT`, `PATCH`, `DELETE`) and for any request (writes included); a request past any of them
//! is answered `429`. The numbers are the page's, which says they are subject to change.
//!
//! # What the lookups answer
//!
//! - [`service_of`]: the service that lists a type, by its qualified name exactly.
//! - [`service_for`]: the service of a type or, when it is not listed, of its nearest base type
//!   that is (a type derived from `microsoft.graph.mobileApp` is the applications service's).
//! - [`service_of_path`]: the service of what a path (with `{id}` placeholders, as
//!   [`Schema::resolve`] takes it) addresses or, when its type belongs to none, of the nearest
//!   entity above it on the path that does: `/deviceManagement/…` is at least the device
//!   configuration service's, which lists `deviceManagement`.
//!
//! The page lists the same resources under "Intune device enrollment" and "Intune enrollment";
//! a type listed twice belongs to the first service in the page's order ([`SERVICES`]). The page
//! lists resources of v1.0 and beta alike: many of the types are beta's only (they are kept as
//! listed, and simply never met in v1.0); one is written with a stray comma on the page
//! (`iosLobAppProvisioningConfigurationPolicySetItem,`), kept here without it.
//!
//! # Source
//!
//! "Microsoft Graph service-specific throttling limits",
//! <https://learn.microsoft.com/en-us/graph/throttling-limits>, section "Intune service
//! limits" (page dated 2025-01-14; its source is `concepts/throttling-limits.md` of
//! github.com/microsoftgraph/microsoft-graph-docs, which includes one file per Intune service),
//! read from a stored copy of the page. The applications and devices services were checked
//! against those include files in github.com/microsoftgraph/microsoft-graph-docs-contrib,
//! `includes/throttling-intune-applications.md` and `includes/throttling-intune-devices.md` at
//! commit `0713c450496046d1f357f9afae7a914ac6ab4277`: the same limits and the same resources.

mod intune;

use std::collections::HashMap;
use std::sync::OnceLock;
use std::time::Duration;

use crate::Schema;

pub use intune::SERVICES;

/// An Intune service: its limits and the entity types they apply to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub struct Service {
    /// The service, as the page names it without "service limits": `Intune devices`.
    pub name: &'static str,
    /// The limits on writes: `POST`, `PUT`, `PATCH` and `DELETE`.
    pub writes: Limit,
    /// The limits on any request, writes included.
    pub any: Limit,
    /// The window the limits count requests in: 20 seconds for every Intune service.
    pub window: Duration,
    /// The entity types the limits apply to, qualified (`microsoft.graph.managedDevice`), in the
    /// page's order.
    pub types: &'static [&'static str],
}

/// How many requests a window admits, per tenant and per application per tenant.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub struct Limit {
    /// For all applications of a tenant together.
    pub per_tenant: u32,
    /// For one application in one tenant.
    pub per_app_per_tenant: u32,
}

/// The window of every Intune service.
const TWENTY_SECONDS: Duration = Duration::from_secs(20);

/// The service that lists the entity type `ty`: its qualified name (`microsoft.graph.x`),
/// also written `#microsoft.graph.x`, `graph.x` or `x`. `None` for a type no service lists (a
/// derived type whose base is listed included: see [`service_for`]).
pub fn service_of(ty: &str) -> Option<&'static Service> {
    static BY_TYPE: OnceLock<HashMap<&'static str, &'static Service>> = OnceLock::new();
    let by_type = BY_TYPE.get_or_init(|| {
        let mut by_type = HashMap::new();
        for service in SERVICES {
            for ty in service.types {
                // The first service in the page's order keeps a type listed twice.
                by_type.entry(*ty).or_insert(service);
            }
        }
        by_type
    });
    let ty = ty.strip_prefix('#').unwrap_or(ty);
    match ty.strip_prefix("microsoft.graph.") {
        Some(_) => by_type.get(ty),
        None => {
            let short = ty.strip_prefix("graph.").unwrap_or(ty);
            by_type.get(format!("microsoft.graph.{short}").as_str())
        }
    }
    .copied()
}

/// The service of the entity type `ty` or, when no service lists it, of its nearest base type
/// that one does.
pub fn service_for(schema: &Schema, ty: &str) -> Option<&'static Service> {
    service_of(ty).or_else(|| schema.ancestry(ty).find_map(|t| service_of(&t.name)))
}

/// The service of what `path` addresses (a path of `schema`, with `{id}` placeholders after
/// collections, as [`Schema::resolve`] takes it), by its type as [`service_for`] finds it; when
/// its type belongs to no service, that of the nearest entity above it on the path that does.
/// `None` for a path that does not resolve or that no service covers (`/users/{id}`).
pub fn service_of_path(schema: &Schema, path: &str) -> Option<&'static Service> {
    let segments: Vec<&str> = path.trim_start_matches('/').split('/').collect();
    (1..=segments.len()).rev().find_map(|end| {
        let resolved = schema.resolve(&segments[..end].join("/")).ok()?;
        service_for(schema, &resolved.ty)
    })
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]

    use std::collections::HashSet;

    use super::*;

    #[test]
    fn the_limits_are_the_pages() {
        assert_eq!(SERVICES.len(), 28);
        let devices = SERVICES.iter().find(|s| s.name == "Intune devices").unwrap();
        assert_eq!(devices.writes, Limit { per_tenant: 400, per_app_per_tenant: 200 });
        assert_eq!(devices.any, Limit { per_tenant: 4000, per_app_per_tenant: 2000 });
        for service in SERVICES.iter().filter(|s| s.name != "Intune devices") {
            assert_eq!(service.writes, Limit { per_tenant: 200, per_app_per_tenant: 100 });
            assert_eq!(service.any, Limit { per_tenant: 2000, per_app_per_tenant: 1000 });
        }
        for service in SERVICES {
            assert_eq!(service.window, Duration::from_secs(20), "{}", service.name);
            assert!(service.name.starts_with("Intune "), "{}", service.name);
            assert!(!service.types.is_empty(), "{}", service.name);
            for ty in service.types {
                let short = ty.strip_prefix("microsoft.graph.").unwrap();
                assert!(short.chars().all(char::is_alphanumeric), "{ty}");
            }
        }
        let count: usize = SERVICES.iter().map(|s| s.types.len()).sum();
        assert_eq!(count, 513, "as transcribed");
    }

    #[test]
    fn a_type_listed_twice_is_the_first_services() {
        let mut seen = HashSet::new();
        let twice: Vec<&str> = SERVICES
            .iter()
            .flat_map(|s| s.types.iter())
            .filter(|t| !seen.insert(**t))
            .copied()
            .collect();
        let device_enrollment = SERVICES.iter().find(|s| s.name == "Intune device enrollment");
        let enrollment = SERVICES.iter().find(|s| s.name == "Intune enrollment");
        assert_eq!(twice, enrollment.unwrap().types, "only the enrollment list is repeated");
        assert_eq!(device_enrollment.unwrap().types, enrollment.unwrap().types);
        let owner = service_of("microsoft.graph.deviceAppManagement").unwrap();
        assert_eq!(owner.name, "Intune device enrollment");
    }

    #[test]
    fn types_are_found_by_any_spelling_of_their_name() {
        for name in [
            "microsoft.graph.managedDeviceMobileAppConfigurationUserStatus",
            "#microsoft.graph.managedDeviceMobileAppConfigurationUserStatus",
            "graph.managedDeviceMobileAppConfigurationUserStatus",
            "managedDeviceMobileAppConfigurationUserStatus",
        ] {
            assert_eq!(service_of(name).map(|s| s.name), Some("Intune applications"), "{name}");
        }
        assert_eq!(
            service_of("microsoft.graph.managedDevice").map(|s| s.name),
            Some("Intune devices")
        );
        for none in ["microsoft.graph.user", "", "microsoft.graph.", "#", "x.managedDevice"] {
            assert_eq!(service_of(none), None, "{none}");
        }
    }

    #[test]
    fn derived_types_take_their_base_types_service() {
        let schema = Schema::v1();
        let unlisted: Vec<&str> = schema
            .derived("microsoft.graph.mobileApp")
            .into_iter()
            .map(|t| t.name.as_str())
            .filter(|name| service_of(name).is_none())
            .collect();
        assert!(!unlisted.is_empty(), "v1.0 has app types the page does not list");
        for name in unlisted {
            assert_eq!(service_for(schema, name).map(|s| s.name), Some("Intune applications"));
        }
        assert_eq!(service_for(schema, "microsoft.graph.user"), None);
    }

    #[test]
    fn paths_take_their_types_service_or_the_nearest_above() {
        let schema = Schema::v1();
        for (path, service) in [
            (
                "/deviceAppManagement/mobileAppConfigurations/{id}/userStatuses",
                Some("Intune applications"),
            ),
            ("/deviceAppManagement/mobileApps/{id}", Some("Intune applications")),
            ("/deviceManagement/managedDevices", Some("Intune devices")),
            ("/users/{id}/managedDevices/{id}", Some("Intune devices")),
            ("/deviceManagement/deviceConfigurations", Some("Intune device configuration")),
            ("/deviceManagement", Some("Intune device configuration")),
            ("/deviceAppManagement", Some("Intune device enrollment")),
            ("/deviceManagement/roleDefinitions/{id}", Some("Intune rbac")),
            ("/users/{id}", None),
            ("/groups", None),
            ("/nope", None),
        ] {
            assert_eq!(service_of_path(schema, path).map(|s| s.name), service, "{path}");
        }
        // Everything under Intune's two singletons belongs to some service.
        for root in ["deviceManagement", "deviceAppManagement"] {
            let ty = &schema.root(root).unwrap().ty;
            for navigation in schema.navigations(ty) {
                let path = format!("/{root}/{}", navigation.name);
                assert!(service_of_path(schema, &path).is_some(), "{path}");
            }
        }
    }
}
