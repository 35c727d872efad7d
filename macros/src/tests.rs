//! Unit tests of the macros: the full list of errors for each kind of misuse, and the expansion
//! of the seed entity as a reviewed snapshot.

use proc_macro2::TokenStream;
use quote::{ToTokens, quote};
use syn::DeriveInput;

use crate::attr::{self, MacroKind};
use crate::ctxt::Ctxt;
use crate::model::{Action, Entity, Enum};

fn errors(kind: MacroKind, args: TokenStream, item: TokenStream) -> Vec<String> {
    let input: DeriveInput = syn::parse2(item).expect("test input parses");
    let mut cx = Ctxt::new();
    let macro_args = attr::parse_macro_args(&mut cx, kind, args);
    match kind {
        MacroKind::Entity => drop(Entity::from_input(
            &mut cx,
            &crate::check::Published(macro_args.version()),
            &macro_args,
            &input,
        )),
        MacroKind::Enum => drop(Enum::from_input(
            &mut cx,
            &crate::check::Published(macro_args.version()),
            &macro_args,
            &input,
        )),
        MacroKind::Complex => drop(Entity::complex_from_input(
            &mut cx,
            &crate::check::Published(macro_args.version()),
            &macro_args,
            &input,
        )),
        MacroKind::Action | MacroKind::Function => drop(Action::from_input(
            &mut cx,
            &crate::check::Published(macro_args.version()),
            kind,
            &macro_args,
            &input,
        )),
    }
    match cx.check() {
        Ok(()) => Vec::new(),
        Err(error) => error.into_iter().map(|e| e.to_string()).collect(),
    }
}

/// The errors of a declaration not checked against the metadata: for the attribute rules.
fn entity_errors(args: TokenStream, item: TokenStream) -> Vec<String> {
    let args = if args.is_empty() { quote!(unchecked) } else { quote!(#args, unchecked) };
    errors(MacroKind::Entity, args, item)
}

/// The errors of a declaration checked against Microsoft's metadata.
fn checked_errors(args: TokenStream, item: TokenStream) -> Vec<String> {
    errors(MacroKind::Entity, args, item)
}

const SEED_PATH: &str = "/deviceAppManagement/mobileAppConfigurations/{managedDeviceMobileAppConfigurationId}/userStatuses";

#[test]
fn a_declaration_graph_agrees_with_has_no_errors_and_takes_its_type_from_the_path() {
    let item = quote!(
        struct AnyName {
            #[graph(key)]
            id: Option<String>,
            #[graph(required)]
            user_display_name: Option<String>,
            devices_count: i32,
            status: ComplianceStatus,
            last_reported_date_time: DateTimeOffset,
            #[graph(extra)]
            rest: Map,
        }
    );
    assert_eq!(checked_errors(quote!(path = #SEED_PATH), item.clone()), Vec::<String>::new());
    let input: DeriveInput = syn::parse2(item).unwrap();
    let args =
        attr::parse_macro_args(&mut Ctxt::new(), MacroKind::Entity, quote!(path = #SEED_PATH));
    let entity = Entity::from_input(&mut Ctxt::new(), &crate::check::V1, &args, &input).unwrap();
    assert_eq!(entity.odata_type, "#microsoft.graph.managedDeviceMobileAppConfigurationUserStatus");
}

#[test]
fn checks_against_the_metadata_report_every_problem_at_once() {
    let item = quote!(
        struct S {
            user_dispaly_name: Option<String>,
            user_principal_name: String,
            devices_count: i64,
            status: String,
            last_reported_date_time: Option<String>,
            colour: i32,
        }
    );
    let errors = checked_errors(quote!(path = #SEED_PATH), item);
    let expected = [
        "did you mean `user_display_name`?",
        "`userPrincipalName` is nullable",
        "`devicesCount` is `Edm.Int32`: declare it as `i32`",
        "a `#[graph_enum]` type for `microsoft.graph.complianceStatus`",
        "`lastReportedDateTime` is `Edm.DateTimeOffset`: declare it as `DateTimeOffset`",
        "has no property `colour`; its properties are",
    ];
    assert_eq!(errors.len(), expected.len(), "{errors:#?}");
    for (error, expected) in errors.iter().zip(expected) {
        assert!(error.contains(expected), "expected {expected:?} in {error:?}");
    }
}

#[test]
fn edm_types_without_a_rust_primitive_take_the_wire_types() {
    let args = quote!(
        path = "/deviceAppManagement/mobileAppConfigurations",
        odata_type = "#microsoft.graph.iosMobileAppConfiguration"
    );
    let good = quote!(
        struct S {
            display_name: String,
            encoded_setting_xml: Option<Base64>,
        }
    );
    assert_eq!(checked_errors(args.clone(), good), Vec::<String>::new());
    let text = quote!(
        struct S {
            display_name: String,
            encoded_setting_xml: Option<String>,
        }
    );
    assert_one(
        &checked_errors(args, text),
        "`encodedSettingXml` is `Edm.Binary`: declare it as `Base64`",
    );
}

#[test]
fn graphs_json_type_is_any_json_value() {
    // `microsoft.graph.Json`, a complex type without properties: a JSON value holds it.
    let args = quote!(
        path = "/deviceAppManagement/managedAppStatuses",
        odata_type = "#microsoft.graph.managedAppStatusRaw"
    );
    for rust in [quote!(Json), quote!(serde_json::Value)] {
        let good = quote!(struct S { content: Option<#rust> });
        assert_eq!(checked_errors(args.clone(), good), Vec::<String>::new(), "{rust}");
    }
    assert_one(
        &checked_errors(
            args,
            quote!(
                struct S {
                    content: Option<String>,
                }
            ),
        ),
        "`content` is `microsoft.graph.Json`: declare it as `Json`",
    );
}

#[test]
fn enums_are_checked_against_graph() {
    let checked = |args: TokenStream, item| errors(MacroKind::Enum, args, item);
    let compliance = quote!(
        enum ComplianceStatus {
            Unknown,
            NotApplicable,
            #[graph(other)]
            Other(String),
        }
    );
    assert_eq!(checked(quote!(), compliance.clone()), Vec::<String>::new());
    let renamed = quote!(
        enum ComplianceStatuz {
            Compliant,
            #[graph(other)]
            Other(String),
        }
    );
    assert_eq!(checked(quote!(name = "complianceStatus"), renamed.clone()), Vec::<String>::new());
    assert_one(&checked(quote!(), renamed), "did you mean `complianceStatus`?");
    let wrong_member = quote!(
        enum ComplianceStatus {
            NotAplicable,
            Quarantined,
            #[graph(other)]
            Other(String),
        }
    );
    let errors = checked(quote!(), wrong_member);
    assert_eq!(errors.len(), 2, "{errors:#?}");
    assert!(errors[0].contains("did you mean `notApplicable`?"), "{errors:#?}");
    assert!(errors[1].contains("its members are `unknown`, `notApplicable`"), "{errors:#?}");
}

#[test]
fn clouds_are_known_and_can_be_required() {
    let item = quote!(
        struct Task {
            title: Option<String>,
        }
    );
    let input: DeriveInput = syn::parse2(item.clone()).unwrap();
    let path = quote!(path = "/me/todo/lists/{todoTaskListId}/tasks");
    let args = attr::parse_macro_args(&mut Ctxt::new(), MacroKind::Entity, path.clone());
    let entity = Entity::from_input(&mut Ctxt::new(), &crate::check::V1, &args, &input).unwrap();
    assert_eq!(entity.availability, Some((0b011, vec![(0b100, "path segment `todo`".to_owned())])));
    assert_eq!(
        checked_errors(quote!(#path, clouds(global, us_gov)), item.clone()),
        Vec::<String>::new()
    );
    assert_one(
        &checked_errors(quote!(#path, clouds(global, china)), item.clone()),
        "path segment `todo` does not exist in Microsoft Graph's metadata for `china`",
    );
    assert_one(&checked_errors(quote!(#path, clouds(mars)), item.clone()), "unknown cloud");
    assert_one(
        &checked_errors(quote!(#path, clouds(global), unchecked), item),
        "`unchecked` turns off",
    );
}

#[test]
fn a_computed_property_cannot_be_required() {
    let args = quote!(
        path = "/deviceAppManagement/mobileApps",
        odata_type = "#microsoft.graph.androidStoreApp"
    );
    let item = quote!(
        struct S {
            #[graph(required)]
            package_id: Option<String>,
        }
    );
    assert_one(&checked_errors(args, item), "`packageId` is computed by the service");
}

#[test]
fn review_cases_single_values_wire_types_renames_and_enum_names() {
    // A list for a single enum value, a wire type for a complex collection.
    let item = quote!(
        struct S {
            status: Option<Vec<ComplianceStatus>>,
        }
    );
    assert_one(&checked_errors(quote!(path = #SEED_PATH), item), "declare it as a `#[graph_enum]`");
    let ios = quote!(
        path = "/deviceAppManagement/mobileAppConfigurations",
        odata_type = "#microsoft.graph.iosMobileAppConfiguration"
    );
    let item = quote!(
        struct S {
            settings: Option<Vec<Date>>,
        }
    );
    assert_one(&checked_errors(ios, item), "a `Vec` of a `#[graph_complex]` struct for");
    // A JSON name snake_case cannot spell is suggested with `rename`.
    let item = quote!(
        struct S {
            azure_ad_device_id: Option<String>,
        }
    );
    assert_one(
        &checked_errors(quote!(path = "/deviceManagement/managedDevices"), item),
        "`#[graph(rename = \"azureADDeviceId\")]`",
    );
    // The field errors still show when `odata_type` is wrong.
    let item = quote!(
        struct S {
            user_dispaly_name: Option<String>,
        }
    );
    let errors =
        checked_errors(quote!(path = #SEED_PATH, odata_type = "#microsoft.graph.user"), item);
    assert_eq!(errors.len(), 2, "{errors:#?}");
    // An enum named with the `graph.` alias is known by its qualified name.
    let input: DeriveInput = syn::parse2(quote!(
        enum Status {
            Compliant,
            #[graph(other)]
            Other(String),
        }
    ))
    .unwrap();
    let args = attr::parse_macro_args(
        &mut Ctxt::new(),
        MacroKind::Enum,
        quote!(name = "graph.complianceStatus"),
    );
    let mut cx = Ctxt::new();
    let model = Enum::from_input(&mut cx, &crate::check::V1, &args, &input).unwrap();
    assert!(cx.check().is_ok());
    assert_eq!(model.graph_name, "microsoft.graph.complianceStatus");
}

#[test]
fn complex_types_are_checked() {
    let complex = |args: TokenStream, item| errors(MacroKind::Complex, args, item);
    let body = quote!(
        struct ItemBody {
            content: Option<String>,
            content_type: Option<BodyType>,
        }
    );
    assert_eq!(complex(quote!(), body.clone()), Vec::<String>::new());
    assert_eq!(complex(quote!(name = "graph.itemBody"), body.clone()), Vec::<String>::new());
    assert_one(&complex(quote!(name = "itemBodies"), body.clone()), "did you mean `itemBody`?");
    assert_one(
        &complex(quote!(name = "itemBody", odata_type = "#microsoft.graph.itemBody"), body),
        "give `name` or `odata_type`, not both",
    );
    let nullable = quote!(
        struct DateTimeTimeZone {
            date_time: String,
            time_zone: String,
        }
    );
    assert_one(&complex(quote!(), nullable), "`timeZone` is nullable");
    assert_eq!(
        complex(
            quote!(unchecked),
            quote!(
                struct Anything {
                    x: i32,
                }
            )
        ),
        Vec::<String>::new()
    );
}

#[test]
fn paths_and_types_are_checked() {
    let item = quote!(
        struct S {
            id: Option<String>,
        }
    );
    for (args, expected) in [
        (quote!(path = "/usres"), "did you mean `users`?"),
        (
            quote!(path = "/users/{userId}"),
            "`path` names one `user` by its key: declare the collection's path, `/users`",
        ),
        (
            quote!(path = "/deviceAppManagement/mobileAppConfigurations"),
            "`#microsoft.graph.iosMobileAppConfiguration`",
        ),
        (
            quote!(
                path = "/deviceAppManagement/mobileAppConfigurations",
                odata_type = "#microsoft.graph.user"
            ),
            "does not derive from `microsoft.graph.managedDeviceMobileAppConfiguration`",
        ),
        (quote!(path = "/users/{id}/evnts"), "did you mean `events`?"),
    ] {
        assert_one(&checked_errors(args, item.clone()), expected);
    }
    // `unchecked` checks nothing against the metadata.
    assert_eq!(checked_errors(quote!(path = "/usres", unchecked), item), Vec::<String>::new());
}

#[track_caller]
fn assert_one(errors: &[String], expected: &str) {
    assert_eq!(errors.len(), 1, "{errors:#?}");
    assert!(errors[0].contains(expected), "expected {expected:?} in {errors:#?}");
}

fn simple() -> TokenStream {
    quote!(
        struct S {
            a: i32,
        }
    )
}

#[test]
fn a_correct_entity_has_no_errors() {
    let args = quote!(path = "/a/{aId}/b", odata_type = "#x.y", crate = ::my::graph_entity);
    let item = quote!(
        struct S {
            #[graph(key)]
            id: Option<String>,
            #[graph(required)]
            name: Option<String>,
            #[graph(rename = "other")]
            b: i32,
            #[graph(extra)]
            extra: Map,
        }
    );
    assert_eq!(entity_errors(args, item), Vec::<String>::new());
}

#[test]
fn macro_argument_errors() {
    let table: Vec<(TokenStream, &str)> = vec![
        (quote!(), "missing `path` argument"),
        (quote!(path = 42), "`path` must be a string literal"),
        (quote!(path = some::constant), "`path` must be a string literal"),
        (quote!(path), "`path` takes a string value"),
        (quote!(path = "/a", path = "/b"), "duplicate `path` argument"),
        (
            quote!(path = "/a", pth = "/b"),
            "unknown `graph_entity` argument `pth`; expected one of `path`, `odata_type`, `clouds`, `beta`, `crate`, `unchecked`",
        ),
        (
            quote!(path = "/a", odata_type = "microsoft.graph.x"),
            "`odata_type` must be `#` followed by",
        ),
        (quote!(path = "/a", crate = relative::path), "`crate` must be an absolute path"),
        (quote!(path = "/a", crate = "not a path"), "`crate` must be an absolute path"),
    ];
    for (args, expected) in table {
        assert_one(&entity_errors(args.clone(), simple()), expected);
    }
    // `crate` accepts a path or a string, absolute or `crate`.
    for ok in [quote!(crate = crate), quote!(crate = "::x::y"), quote!(crate = ::x)] {
        assert_eq!(entity_errors(quote!(path = "/a", #ok), simple()), Vec::<String>::new());
    }
}

#[test]
fn path_template_errors_name_the_segment() {
    let table = [
        ("users", "must start with `/`"),
        ("/users?$top=1", "query"),
        ("/users#x", "fragment"),
        ("/a//b", "empty segment"),
        ("/a/{b", "unbalanced `{` in segment `{b`"),
        ("/a/b}", "unbalanced `}` in segment `b}`"),
        ("/a/{}", "empty placeholder"),
        ("/a/{x}/b/{x}", "duplicate placeholder `{x}`"),
        ("/a/{x-id}", "placeholder `{x-id}` is not an identifier"),
    ];
    for (path, expected) in table {
        assert_one(&entity_errors(quote!(path = #path), simple()), expected);
    }
    // Placeholders are positions in `PathArgs`, not argument names: any identifier will do.
    for path in ["/a/{client}/b", "/a/{fooId}/{foo_id}", "/a/{self}/{query}/{options}"] {
        assert_eq!(entity_errors(quote!(path = #path), simple()), Vec::<String>::new(), "{path}");
    }
    // `PathArgs` is a tuple of at most twelve.
    let twelve: String = (0..12).map(|i| format!("/s{i}/{{p{i}}}")).collect();
    assert_eq!(entity_errors(quote!(path = #twelve), simple()), Vec::<String>::new());
    let thirteen = format!("{twelve}/s/{{p12}}");
    assert_one(
        &entity_errors(quote!(path = #thirteen), simple()),
        "the path has 13 placeholders; at most 12 are supported",
    );
}

#[test]
fn field_attribute_errors() {
    let table: Vec<(TokenStream, &str)> = vec![
        (
            quote!(
                struct S {
                    #[graph(requird)]
                    a: Option<i32>,
                }
            ),
            "unknown `graph` field attribute `requird`; expected one of `rename`, `required`, `key`, `extra`",
        ),
        (
            quote!(
                struct S {
                    #[graph(required)]
                    a: i32,
                }
            ),
            "`required` applies to `Option<_>` fields",
        ),
        (
            quote!(
                struct S {
                    #[graph(required = true)]
                    a: Option<i32>,
                }
            ),
            "`required` takes no value",
        ),
        (
            quote!(
                struct S {
                    #[graph(required, required)]
                    a: Option<i32>,
                }
            ),
            "duplicate `required` attribute",
        ),
        (
            quote!(
                struct S {
                    #[graph(key)]
                    a: Option<String>,
                    #[graph(key)]
                    b: Option<String>,
                }
            ),
            "more than one `#[graph(key)]` field: `a` is already the key",
        ),
        (
            quote!(
                struct S {
                    #[graph(key)]
                    a: String,
                }
            ),
            "must be an `Option`",
        ),
        (
            quote!(
                struct S {
                    #[graph(key, required)]
                    a: Option<String>,
                }
            ),
            "cannot be `required`",
        ),
        (
            quote!(
                struct S {
                    a_b: i32,
                    #[graph(rename = "aB")]
                    c: i32,
                }
            ),
            "two fields have the JSON name `aB`: `a_b` and `c`",
        ),
        (
            quote!(
                struct S {
                    #[graph(rename = "")]
                    a: i32,
                }
            ),
            "`rename` must not be empty",
        ),
        (
            quote!(
                struct S {
                    #[graph(rename = "@odata.type")]
                    a: String,
                }
            ),
            "`@odata.type` is written by the macro",
        ),
        (
            quote!(
                struct S {
                    #[graph(extra, required)]
                    a: Map,
                }
            ),
            "`extra` cannot be combined with `required`",
        ),
        (
            quote!(
                struct S {
                    #[graph(extra)]
                    a: Map,
                    #[graph(extra)]
                    b: Map,
                }
            ),
            "more than one `#[graph(extra)]` field",
        ),
        (
            quote!(
                struct S {
                    #[graph]
                    a: i32,
                }
            ),
            "expected attribute arguments in parentheses",
        ),
    ];
    for (item, expected) in table {
        assert_one(&entity_errors(quote!(path = "/a"), item), expected);
    }
}

#[test]
fn shape_errors() {
    let table: Vec<(TokenStream, &str)> = vec![
        (
            quote!(
                enum E {
                    A,
                }
            ),
            "for a Graph enum type use `#[graph_enum]`",
        ),
        (quote!(union U { a: u32 }), "not unions"),
        (
            quote!(
                struct T(i32);
            ),
            "not a tuple struct",
        ),
        (
            quote!(
                struct U;
            ),
            "not a unit struct",
        ),
        (
            quote!(
                struct G<T> {
                    a: T,
                }
            ),
            "generic entities are not supported",
        ),
    ];
    for (item, expected) in table {
        assert_one(&entity_errors(quote!(path = "/a"), item), expected);
    }
}

#[test]
fn every_error_is_reported_at_once() {
    let errors = entity_errors(
        quote!(path = "users/{}", pth = 1),
        quote!(
            struct S {
                #[graph(required)]
                a: i32,
                #[graph(bogus)]
                b: Option<i32>,
                c_d: i32,
                #[graph(rename = "cD")]
                e: i32,
            }
        ),
    );
    assert_eq!(errors.len(), 6, "{errors:#?}");
}

#[test]
fn enum_errors() {
    let enum_errors = |item| errors(MacroKind::Enum, quote!(unchecked), item);
    assert_eq!(
        enum_errors(quote!(
            enum E {
                A,
                B,
                #[graph(other)]
                Other(String),
            }
        )),
        Vec::<String>::new()
    );
    let table: Vec<(TokenStream, &str)> = vec![
        (
            quote!(
                enum E {
                    A,
                }
            ),
            "needs a catch-all variant",
        ),
        (
            quote!(
                enum E {
                    A(i32),
                    #[graph(other)]
                    O(String),
                }
            ),
            "Graph enum members are unit variants; `A` has fields",
        ),
        (
            quote!(
                enum E {
                    #[graph(other)]
                    O,
                    #[graph(other)]
                    P(String),
                }
            ),
            "must hold the unknown member string",
        ),
        (
            quote!(
                enum E {
                    #[graph(other)]
                    O(String),
                    #[graph(other)]
                    P(String),
                }
            ),
            "more than one `#[graph(other)]` variant",
        ),
        (
            quote!(
                enum E {
                    A,
                    #[graph(rename = "a")]
                    B,
                    #[graph(other)]
                    O(String),
                }
            ),
            "two variants have the member name `a`: `A` and `B`",
        ),
        (
            quote!(
                enum E {
                    #[graph(rename = "x", other)]
                    O(String),
                }
            ),
            "cannot be renamed",
        ),
        (
            quote!(
                enum E {
                    #[graph(key)]
                    A,
                    #[graph(other)]
                    O(String),
                }
            ),
            "unknown `graph` variant attribute `key`; expected one of `rename`, `other`",
        ),
        (
            quote!(
                struct S {
                    a: i32,
                }
            ),
            "for a Graph entity use `#[graph_entity]`",
        ),
    ];
    for (item, expected) in table {
        assert_one(&enum_errors(item), expected);
    }
    let with_path = errors(
        MacroKind::Enum,
        quote!(path = "/a", unchecked),
        quote!(
            enum E {
                #[graph(other)]
                O(String),
            }
        ),
    );
    assert_one(
        &with_path,
        "unknown `graph_enum` argument `path`; expected one of `name`, `beta`, `crate`, `unchecked`",
    );
}

#[test]
fn errors_still_emit_the_item_without_helper_attributes() {
    let output = crate::expand(
        MacroKind::Entity,
        quote!(),
        quote!(
            struct S {
                #[graph(required)]
                a: i32,
            }
        ),
    )
    .to_string();
    assert!(output.contains("struct S"), "{output}");
    assert!(output.contains("compile_error"), "{output}");
    assert!(!output.contains("# [graph"), "{output}");
    // Bad input of any shape never panics: it is a compile error.
    for item in [
        quote!(
            fn f() {}
        ),
        quote!(),
        quote!(struct),
        quote!(
            enum E<'a> {
                A(&'a str),
            }
        ),
    ] {
        let entity = crate::expand(MacroKind::Entity, quote!(path = "/a"), item.clone());
        assert!(entity.to_string().contains("compile_error"), "{entity}");
        let graph_enum = crate::expand(MacroKind::Enum, quote!(), item);
        assert!(graph_enum.to_string().contains("compile_error"), "{graph_enum}");
    }
}

/// The expansion of the seed entity in `src/intune/user_status.rs`, kept as a reviewed snapshot
/// in `macros/tests/snapshots/`. Update with `UPDATE_EXPECT=1 cargo test -p graph-entity-macros`
/// and review the diff: a change here is a change of what users' code compiles to.
#[test]
fn seed_expansion_snapshot() {
    let source_path = concat!(env!("CARGO_MANIFEST_DIR"), "/../src/intune/user_status.rs");
    let source = std::fs::read_to_string(source_path).expect("the seed source");
    let file: syn::File = syn::parse_file(&source).expect("the seed parses");
    let mut expanded = TokenStream::new();
    for item in file.items {
        match item {
            syn::Item::Struct(mut item) => {
                let args = take_attribute(&mut item.attrs, "graph_entity");
                expanded.extend(crate::expand(MacroKind::Entity, args, item.to_token_stream()));
            }
            syn::Item::Enum(mut item) => {
                let args = take_attribute(&mut item.attrs, "graph_enum");
                expanded.extend(crate::expand(MacroKind::Enum, args, item.to_token_stream()));
            }
            _ => {}
        }
    }
    let file: syn::File = syn::parse2(expanded).expect("the expansion parses as a file");
    let pretty = prettyplease::unparse(&file);
    expect_test::expect_file!["../tests/snapshots/user_status.expanded.rs"].assert_eq(&pretty);
}

/// Removes the macro attribute `name` and returns its arguments, as the compiler does.
fn take_attribute(attrs: &mut Vec<syn::Attribute>, name: &str) -> TokenStream {
    let position = attrs.iter().position(|a| a.path().is_ident(name)).expect("the macro attribute");
    let attr = attrs.remove(position);
    attr.meta.require_list().expect("arguments").tokens.clone()
}

/// The errors of an action declaration.
fn action_errors(args: TokenStream, item: TokenStream) -> Vec<String> {
    errors(MacroKind::Action, args, item)
}

#[test]
fn actions_with_their_parameters_and_results_check() {
    let ok = [
        (
            quote!(path = "/deviceManagement/managedDevices/{id}/syncDevice"),
            quote!(
                struct S {}
            ),
        ),
        (
            quote!(path = "/deviceManagement/managedDevices/{id}/wipe"),
            quote!(
                struct W {
                    keep_user_data: Option<bool>,
                    mac_os_unlock_code: Option<String>,
                }
            ),
        ),
        (
            quote!(path = "/users/{id}/getMemberGroups", returns = Vec<String>, idempotent),
            quote!(
                struct G {
                    security_enabled_only: Option<bool>,
                }
            ),
        ),
        (
            quote!(
                path = "/deviceAppManagement/mobileAppConfigurations/{id}/microsoft.graph.iosMobileAppConfiguration/microsoft.graph.assign"
            ),
            quote!(
                struct A {
                    assignments: Vec<Assignment>,
                }
            ),
        ),
    ];
    for (args, item) in ok {
        assert_eq!(action_errors(args.clone(), item), Vec::<String>::new(), "{args}");
    }
}

#[test]
fn action_errors_name_what_the_metadata_says() {
    let errors = action_errors(
        quote!(path = "/deviceManagement/managedDevices/{id}/wipe", returns = String),
        quote!(
            struct W {
                keep_user_data: bool,
                keep_enrolment_data: Option<bool>,
                reason: Option<String>,
            }
        ),
    );
    assert_eq!(
        errors,
        [
            "`keepUserData` of `wipe` may be left out (it is nullable): declare the field as an `Option`",
            "`wipe` has no parameter `keepEnrolmentData`; did you mean `keep_enrollment_data`?",
            "`wipe` has no parameter `reason`; its parameters are `keep_enrollment_data`, `keep_user_data`, `mac_os_unlock_code`, `persist_esim_data_plan`",
            "`wipe` has no result (Graph answers `204 No Content`): remove `returns`",
        ]
    );
    let errors = action_errors(
        quote!(path = "/deviceAppManagement/mobileAppConfigurations/{id}/assign"),
        quote!(
            struct A {}
        ),
    );
    assert_eq!(
        errors,
        [
            "`assign` requires the parameter `assignments` (`Collection(microsoft.graph.managedDeviceMobileAppConfigurationAssignment)`): add the field `assignments: Vec<ManagedDeviceMobileAppConfigurationAssignment>`"
        ]
    );
    let errors = action_errors(
        quote!(path = "/users/{id}/getMemberGroups"),
        quote!(
            struct G {}
        ),
    );
    assert_eq!(
        errors,
        [
            "`getMemberGroups` returns `Collection(Edm.String)`: declare its Rust type with `returns = Vec<String>`"
        ]
    );
    let errors = action_errors(
        quote!(path = "/users/delta"),
        quote!(
            struct D {}
        ),
    );
    assert_eq!(
        errors,
        [
            "`delta` is a function (invoked with `GET`, it changes nothing), not an action: declare it with `#[graph_function]`"
        ]
    );
    let errors = action_errors(
        quote!(path = "/users/{id}/getMemberGroups", unchecked),
        quote!(
            struct G {}
        ),
    );
    assert!(errors[0].starts_with("unknown `graph_action` argument `unchecked`"), "{errors:?}");
}

#[test]
fn functions_pick_their_overload_and_name_parameters_as_the_metadata_does() {
    let function = |args: TokenStream, item: TokenStream| errors(MacroKind::Function, args, item);
    // `getEmailActivityUserDetail` is overloaded, by `period` or by `date`; both return a
    // stream, read as a `ByteStream` and as nothing else, whichever overload the fields name.
    for item in [
        quote!(
            struct P {
                period: String,
            }
        ),
        quote!(
            struct D {
                date: Date,
            }
        ),
    ] {
        let path = "/reports/getEmailActivityUserDetail";
        let errors = function(quote!(path = #path, returns = Vec<u8>), item.clone());
        assert_eq!(
            errors,
            [
                "`getEmailActivityUserDetail` returns a stream (`Edm.Stream`): declare `returns = graph_entity::client::ByteStream`, whose bytes are read as they arrive"
            ]
        );
        let errors =
            function(quote!(path = #path, returns = graph_entity::client::ByteStream), item);
        assert!(errors.is_empty(), "{errors:?}");
    }
    let errors = function(
        quote!(path = "/users/{id}/reminderView", returns = Vec<Reminder>),
        quote!(
            struct R {
                start_date_time: String,
            }
        ),
    );
    assert_eq!(
        errors,
        [
            "`reminderView` has no parameter `startDateTime`; did you mean `StartDateTime`? Name it with `#[graph(rename = \"StartDateTime\")]`",
            "`reminderView` requires the parameter `StartDateTime` (`Edm.String`): add the field `#[graph(rename = \"StartDateTime\")] start_date_time: String`",
        ]
    );
    let errors = function(
        quote!(path = "/deviceManagement/managedDevices/{id}/syncDevice"),
        quote!(
            struct S {}
        ),
    );
    assert_eq!(
        errors,
        [
            "`syncDevice` is an action (invoked with `POST`), not a function: declare it with `#[graph_action]`"
        ]
    );
    let errors = function(
        quote!(
            path = "/deviceManagement/verifyWindowsEnrollmentAutoDiscovery",
            returns = bool,
            idempotent
        ),
        quote!(
            struct V {
                domain_name: Option<String>,
            }
        ),
    );
    assert!(errors[0].starts_with("unknown `graph_function` argument `idempotent`"), "{errors:?}");
}

/// A crate without `beta` declarations never decodes beta's metadata: checked in a process of
/// its own (the other tests decode it), by running this test binary again for this test alone.
#[test]
fn correct_v1_declarations_never_decode_beta() {
    const ALONE: &str = "GRAPH_ENTITY_MACROS_ALONE";
    if std::env::var_os(ALONE).is_none() {
        let name = "tests::correct_v1_declarations_never_decode_beta";
        let status = std::process::Command::new(std::env::current_exe().unwrap())
            .args(["--exact", name, "--test-threads=1"])
            .env(ALONE, "1")
            .status()
            .unwrap();
        assert!(status.success(), "the test failed in its own process");
        return;
    }
    let seed = quote! {
        pub struct Status {
            #[graph(key)]
            id: Option<String>,
            user_display_name: Option<String>,
            devices_count: i32,
        }
    };
    // Each expands without an error.
    let clean = |kind, args, item| {
        let out = crate::expand(kind, args, item).to_string();
        assert!(!out.contains("compile_error"), "{out}");
    };
    let path = quote!(path = "/deviceAppManagement/mobileAppConfigurations/{id}/userStatuses");
    clean(MacroKind::Entity, path, seed);
    let sync = quote! { pub struct Sync {} };
    clean(
        MacroKind::Action,
        quote!(path = "/deviceManagement/managedDevices/{id}/syncDevice"),
        sync,
    );
    let status = quote! {
        pub enum ComplianceStatus {
            Unknown,
            NotApplicable,
            #[graph(other)]
            Other(String),
        }
    };
    clean(MacroKind::Enum, quote!(), status);
    assert!(!graph_entity_schema::Schema::beta_decoded());
    // A `beta` declaration does.
    let policy = quote! { pub struct Policy { #[graph(key)] id: Option<String> } };
    clean(
        MacroKind::Entity,
        quote!(path = "/deviceManagement/configurationPolicies", beta),
        policy,
    );
    assert!(graph_entity_schema::Schema::beta_decoded());
}
