//! The facade's public names: what `src/lib.rs` exports (its own items, its re-exports, and
//! through `pub use graph_entity_runtime::*` every public root name of the runtime's
//! `lib.rs`), both files read with `syn`. The `use` below does not compile if the facade misses
//! a name it lists, and the test fails if the facade exports one it does not list.

use std::collections::BTreeSet;

#[allow(unused_imports)]
use graph_entity::{
    Base64, Call, Client, Date, DateTimeOffset, Error, ExtraProperties, GraphAction, GraphComplex,
    GraphEntity, GraphEnum, GraphFunction, GraphPatch, Guid, Invoke, Json, NationalCloud,
    Operations, Query, TimeOfDay, auth, client, cloud, entity, error, from_slice, graph_action,
    graph_complex, graph_entity, graph_enum, graph_function, intune, operation, prelude, query,
    wire,
};

/// The names the `use` above imports.
const LISTED: &[&str] = &[
    "Base64",
    "Call",
    "Client",
    "Date",
    "DateTimeOffset",
    "Error",
    "ExtraProperties",
    "GraphAction",
    "GraphComplex",
    "GraphFunction",
    "GraphEntity",
    "GraphEnum",
    "GraphPatch",
    "Guid",
    "Invoke",
    "Json",
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
    "graph_action",
    "graph_complex",
    "graph_entity",
    "graph_enum",
    "graph_function",
    "intune",
    "operation",
    "prelude",
    "query",
    "wire",
];

/// The public names at the root of a crate's `lib.rs`, `#[doc(hidden)]` ones aside, each with
/// the path it comes from when it is a re-export; a glob (`pub use krate::*`) as `*`.
fn public_names(source: &str) -> Vec<(String, String)> {
    fn hidden(attrs: &[syn::Attribute]) -> bool {
        attrs.iter().any(|a| {
            a.path().is_ident("doc")
                && a.meta.require_list().is_ok_and(|l| l.tokens.to_string() == "hidden")
        })
    }
    fn uses(tree: &syn::UseTree, prefix: String, out: &mut Vec<(String, String)>) {
        match tree {
            syn::UseTree::Path(p) => uses(&p.tree, format!("{prefix}{}::", p.ident), out),
            syn::UseTree::Name(n) => {
                out.push((n.ident.to_string(), format!("{prefix}{}", n.ident)))
            }
            syn::UseTree::Rename(r) => {
                out.push((r.rename.to_string(), format!("{prefix}{}", r.ident)))
            }
            syn::UseTree::Glob(_) => out.push(("*".into(), prefix)),
            syn::UseTree::Group(g) => g.items.iter().for_each(|t| uses(t, prefix.clone(), out)),
        }
    }
    let file = syn::parse_file(source).expect("lib.rs parses");
    let mut out = Vec::new();
    for item in &file.items {
        let public = |vis: &syn::Visibility| matches!(vis, syn::Visibility::Public(_));
        let (name, vis, attrs) = match item {
            syn::Item::Use(u) if public(&u.vis) && !hidden(&u.attrs) => {
                uses(&u.tree, String::new(), &mut out);
                continue;
            }
            syn::Item::Mod(m) => (&m.ident, &m.vis, &m.attrs),
            syn::Item::Struct(s) => (&s.ident, &s.vis, &s.attrs),
            syn::Item::Enum(e) => (&e.ident, &e.vis, &e.attrs),
            syn::Item::Trait(t) => (&t.ident, &t.vis, &t.attrs),
            syn::Item::Type(t) => (&t.ident, &t.vis, &t.attrs),
            syn::Item::Fn(f) => (&f.sig.ident, &f.vis, &f.attrs),
            syn::Item::Const(c) => (&c.ident, &c.vis, &c.attrs),
            syn::Item::Static(s) => (&s.ident, &s.vis, &s.attrs),
            _ => continue,
        };
        if public(vis) && !hidden(attrs) {
            out.push((name.to_string(), String::new()));
        }
    }
    out
}

/// What the facade exports: its own names, and the runtime's through its glob re-export.
fn facade_exports() -> BTreeSet<String> {
    let facade = public_names(include_str!("../../src/lib.rs"));
    let runtime = public_names(include_str!("../../runtime/src/lib.rs"));
    let mut names = BTreeSet::new();
    for (name, from) in &facade {
        if name == "*" {
            assert_eq!(from, "graph_entity_runtime::", "a glob of another crate: {from}");
            names.extend(runtime.iter().map(|(n, _)| n.clone()).filter(|n| n != "*"));
        } else {
            names.insert(name.clone());
        }
    }
    names
}

#[test]
fn the_facade_exports_what_is_listed_and_nothing_else() {
    let exports = facade_exports();
    let listed: BTreeSet<String> = LISTED.iter().map(|n| (*n).to_owned()).collect();
    let unlisted: Vec<_> = exports.difference(&listed).collect();
    assert!(unlisted.is_empty(), "exported by the facade, not listed here: {unlisted:?}");
    let missing: Vec<_> = listed.difference(&exports).collect();
    assert!(missing.is_empty(), "listed here, not found exported: {missing:?}");
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

#[test]
fn the_reader_sees_through_groups_renames_and_hidden_items() {
    let names = public_names(
        "pub mod a; mod b; #[doc(hidden)] pub mod c; pub use x::{Y, z::W as V}; pub use k::*; \
         #[doc(hidden)] pub use h::H; pub(crate) use p::P; pub fn f() {} pub struct S;",
    );
    let names: Vec<&str> = names.iter().map(|(n, _)| n.as_str()).collect();
    assert_eq!(names, ["a", "Y", "V", "*", "f", "S"]);
}

/// The root names no `std` name: `use graph_entity::*` brings no second `Duration` (`Edm.Duration`
/// is `wire::Duration`), and one path each for what two modules could both hold.
#[test]
fn the_root_shadows_nothing_of_std() {
    let exports = facade_exports();
    for name in ["Duration", "Result", "Option", "AuthError", "PathTemplate", "Availability"] {
        assert!(!exports.contains(name), "`{name}` at the root");
    }
    let auth = public_names(include_str!("../../runtime/src/auth/mod.rs"));
    assert!(!auth.iter().any(|(n, _)| n == "AuthError"), "AuthError at two paths");
}
