//! The facade re-exports the runtime's whole public API: its modules and its root names. The
//! `use` below does not compile if the facade misses one of those it lists, and the test fails if
//! the runtime has one it does not list.

#[allow(unused_imports)]
use graph_entity::{
    Base64, Client, Date, DateTimeOffset, Error, ExtraProperties, GraphComplex, GraphEntity,
    GraphEnum, GraphPatch, Guid, NationalCloud, Operations, Query, TimeOfDay, auth, client, cloud,
    entity, error, from_slice, prelude, query, wire,
};

/// The names the `use` above imports.
const LISTED: &[&str] = &[
    "Base64",
    "Client",
    "Date",
    "DateTimeOffset",
    "Error",
    "ExtraProperties",
    "GraphComplex",
    "GraphEntity",
    "GraphEnum",
    "GraphPatch",
    "Guid",
    "NationalCloud",
    "Operations",
    "Query",
    "TimeOfDay",
    "auth",
    "client",
    "cloud",
    "entity",
    "error",
    "from_slice",
    "prelude",
    "query",
    "wire",
];

/// The public modules and root re-exports of `runtime/src/lib.rs`.
fn runtime_public_names() -> Vec<String> {
    let source = include_str!("../../runtime/src/lib.rs");
    let mut names = Vec::new();
    let mut statement = String::new();
    for line in source.lines().map(str::trim) {
        if let Some(module) = line.strip_prefix("pub mod ") {
            names.push(module.trim_end_matches(';').to_owned());
            continue;
        }
        if line.starts_with("pub use ") || !statement.is_empty() {
            statement.push_str(line);
            statement.push(' ');
            if !line.ends_with(';') {
                continue;
            }
            // `pub use path::{A, B};` or `pub use path::A;`: the names after the last `::`.
            let list =
                statement.trim().trim_end_matches(';').rsplit("::").next().unwrap_or_default();
            let list = list.trim_start_matches('{').trim_end_matches('}');
            names.extend(
                list.split(',').map(str::trim).filter(|n| !n.is_empty()).map(str::to_owned),
            );
            statement.clear();
        }
    }
    names.retain(|n| n != "__private");
    names
}

#[test]
fn the_facade_has_every_public_item_of_the_runtime() {
    let names = runtime_public_names();
    assert!(names.len() >= 20, "{names:?}");
    for name in &names {
        assert!(
            LISTED.contains(&name.as_str()),
            "the runtime's `{name}` is not re-exported by name here"
        );
    }
    for name in LISTED {
        assert!(names.iter().any(|n| n == name), "`{name}` is not public in the runtime");
    }
    // And the modules carry what they say.
    let _: Option<auth::ClientSecretCredential> = None;
    let _: Option<client::RetryPolicy> = None;
    let _: Option<cloud::ApiVersion> = None;
    let _: Option<error::GraphError> = None;
    let _: Option<query::Filter<()>> = None;
    let _: Option<wire::WireParseError> = None;
    let _: Option<wire::Duration> = None;
    let _: Option<entity::PathTemplate> = None;
    let _: Option<entity::Availability> = None;
    let _: Option<
        entity::PatchOf<graph_entity::intune::ManagedDeviceMobileAppConfigurationUserStatus>,
    > = None;
}

/// The root names no `std` name: `use graph_entity::*` brings no second `Duration` (`Edm.Duration`
/// is `wire::Duration`), and one path each for what two modules could both hold.
#[test]
fn the_root_shadows_nothing_of_std() {
    for name in ["Duration", "Result", "Option", "AuthError", "PathTemplate", "Availability"] {
        assert!(!LISTED.contains(&name), "`{name}` at the root");
    }
    let auth_module = include_str!("../../runtime/src/auth/mod.rs");
    assert!(!auth_module.contains("AuthError"), "AuthError at two paths");
}
