use std::collections::HashSet;

use expect_test::expect;

use super::*;

fn global() -> Generator<'static> {
    Generator::new(Schema::v1(), None)
}

#[test]
fn the_seed() {
    let source = global()
        .generate(&[Declaration::path(
            "/deviceAppManagement/mobileAppConfigurations/{managedDeviceMobileAppConfigurationId}/userStatuses",
        )])
        .unwrap();
    expect![[r#"
        use graph_entity::{DateTimeOffset, graph_entity, graph_enum};

        /// Contains properties, inherited properties and actions for an MDM mobile app configuration status
        /// for a user.
        ///
        /// Graph's `microsoft.graph.managedDeviceMobileAppConfigurationUserStatus`, created with
        /// `POST /deviceAppManagement/mobileAppConfigurations/{managedDeviceMobileAppConfigurationId}/userStatuses`.
        #[graph_entity(
            path = "/deviceAppManagement/mobileAppConfigurations/{managedDeviceMobileAppConfigurationId}/userStatuses"
        )]
        #[derive(Debug, Clone, Default, PartialEq)]
        pub struct ManagedDeviceMobileAppConfigurationUserStatus {
            /// The key, assigned by the service: `None` when creating.
            #[graph(key)]
            pub id: Option<String>,
            /// Devices count for that user.
            pub devices_count: Option<i32>,
            /// Last modified date time of the policy report.
            pub last_reported_date_time: Option<DateTimeOffset>,
            /// Compliance status of the policy report.
            pub status: Option<ComplianceStatus>,
            /// User name of the DevicePolicyStatus.
            pub user_display_name: Option<String>,
            /// UserPrincipalName.
            pub user_principal_name: Option<String>,
        }

        /// Graph's enum `microsoft.graph.complianceStatus`. A member added to Graph later reads as `Other`,
        /// kept as sent.
        #[graph_enum]
        #[derive(Debug, Clone, PartialEq, Eq, Hash)]
        pub enum ComplianceStatus {
            /// `unknown`
            Unknown,
            /// `notApplicable`
            NotApplicable,
            /// `compliant`
            Compliant,
            /// `remediated`
            Remediated,
            /// `nonCompliant`
            NonCompliant,
            /// `error`
            Error,
            /// `conflict`
            Conflict,
            /// `notAssigned`
            NotAssigned,
            /// A member this code does not know, as Graph sent it.
            #[graph(other)]
            Other(String),
        }
    "#]].assert_eq(&source);
}

fn error(declaration: Declaration) -> String {
    global().generate(&[declaration]).unwrap_err().to_string()
}

#[test]
fn errors_name_the_problem_and_suggest() {
    assert_eq!(
        error(Declaration::type_name("microsoft.graph.usr")),
        "`microsoft.graph.usr` is not an entity type of Microsoft Graph v1.0; did you mean `microsoft.graph.user`?"
    );
    assert_eq!(
        error(Declaration::path("/deviceAppManagement/mobileAppConfiguration")),
        "`/deviceAppManagement/mobileAppConfiguration`: `deviceAppManagement` has no navigation property `mobileAppConfiguration`; did you mean `mobileAppConfigurations`?"
    );
    assert_eq!(
        error(Declaration::path("/users/{userId}")),
        "`/users/{userId}` addresses one `microsoft.graph.user` by its key: give the collection's path"
    );
    let abstract_type = error(Declaration::path("/deviceAppManagement/mobileAppConfigurations"));
    assert!(
        abstract_type.starts_with("`microsoft.graph.managedDeviceMobileAppConfiguration` is abstract: choose the type to declare with `--type`, one of "),
        "{abstract_type}"
    );
    assert!(
        abstract_type.contains("`microsoft.graph.iosMobileAppConfiguration`"),
        "{abstract_type}"
    );
    assert_eq!(
        error(Declaration {
            type_name: Some("microsoft.graph.user".into()),
            ..Declaration::path("/groups")
        }),
        "`microsoft.graph.user` does not derive from `microsoft.graph.group`, the type the path addresses"
    );
    assert_eq!(
        error(Declaration::type_name("user").properties(["displayName", "mial"])),
        "`microsoft.graph.user` has no property `mial`; did you mean `mail`?"
    );
    assert_eq!(
        error(Declaration::type_name("microsoft.graph.inheritablePermission")),
        "no collection, singleton or single-valued navigation in the metadata for global holds `microsoft.graph.inheritablePermission`: there is no path to declare it at"
    );
    assert_eq!(global().generate(&[Declaration::default()]).unwrap_err(), GenError::Nothing);
}

#[test]
fn a_type_no_collection_holds_is_declared_at_its_single_path() {
    let source = global()
        .generate(&[Declaration::type_name("deviceManagement").properties(["intuneAccountId"])])
        .unwrap();
    expect![[r#"
        use graph_entity::{Guid, graph_entity};

        /// Graph's `microsoft.graph.deviceManagement`, one entity: read with `GET /deviceManagement`,
        /// updated with `PATCH`. Only some of its properties are declared.
        #[graph_entity(path = "/deviceManagement")]
        #[derive(Debug, Clone, Default, PartialEq)]
        pub struct DeviceManagement {
            /// The key, assigned by the service: `None` when creating.
            #[graph(key)]
            pub id: Option<String>,
            /// Intune Account Id for given tenant
            pub intune_account_id: Option<Guid>,
        }
    "#]].assert_eq(&source);
}

#[test]
fn a_minimal_struct_has_the_key_and_the_properties_asked_for() {
    let source = global()
        .generate(&[Declaration::type_name("user").properties(["mail", "displayName", "mail"])])
        .unwrap();
    expect![[r#"
        use graph_entity::graph_entity;

        /// Graph's `microsoft.graph.user`, created with `POST /users`. Only some of its properties are
        /// declared.
        #[graph_entity(path = "/users")]
        #[derive(Debug, Clone, Default, PartialEq)]
        pub struct User {
            /// The key, assigned by the service: `None` when creating.
            #[graph(key)]
            pub id: Option<String>,
            pub mail: Option<String>,
            pub display_name: Option<String>,
        }
    "#]].assert_eq(&source);
}

#[test]
fn a_cloud_keeps_to_its_metadata_and_says_so() {
    let china = Generator::new(Schema::v1(), Some(Cloud::China));
    let todo = china.generate(&[Declaration::type_name("todoTask")]).unwrap_err();
    assert_eq!(
        todo.to_string(),
        "no collection, singleton or single-valued navigation in the metadata for china holds `microsoft.graph.todoTask`: there is no path to declare it at"
    );
    let path = Declaration::path("/users/{userId}/todo/lists/{todoTaskListId}/tasks");
    assert_eq!(
        china.generate(&[path]).unwrap_err().to_string(),
        "path segment `todo` does not exist in the metadata for china"
    );
    let status = china
        .generate(&[Declaration::type_name(
            "microsoft.graph.managedDeviceMobileAppConfigurationUserStatus",
        )])
        .unwrap();
    assert!(status.contains("    clouds(china)\n)]"), "{status}");
}

#[test]
fn every_type_is_printed_once_in_the_order_first_needed() {
    let source = global()
        .generate(&[
            Declaration::type_name("managedDeviceMobileAppConfigurationUserStatus"),
            Declaration::type_name("managedDeviceMobileAppConfigurationDeviceStatus"),
            Declaration::type_name("managedDeviceMobileAppConfigurationUserStatus"),
        ])
        .unwrap();
    assert_eq!(
        source.matches("pub struct ManagedDeviceMobileAppConfigurationUserStatus ").count(),
        1
    );
    assert_eq!(source.matches("pub enum ComplianceStatus ").count(), 1);
    let user = source.find("UserStatus {").unwrap();
    let device = source.find("DeviceStatus {").unwrap();
    let status = source.find("pub enum ComplianceStatus").unwrap();
    assert!(user < device && device < status);
}

#[test]
fn all_declares_what_has_a_collection_and_says_why_not_for_the_rest() {
    let all = global().all();
    let entity_types = Schema::v1()
        .types()
        .iter()
        .filter(|t| t.kind == TypeKind::Entity && t.clouds.contains(Clouds::GLOBAL));
    assert_eq!(all.declared.len() + all.skipped.len(), entity_types.count());
    assert!(all.declared.len() > 800, "{}", all.declared.len());
    for (ty, why) in &all.skipped {
        assert!(matches!(why, GenError::Abstract { .. } | GenError::NoPath { .. }), "{ty}: {why}");
    }
    // Every type's Rust name is its own.
    let names: Vec<&str> = all
        .source
        .lines()
        .filter_map(|l| l.strip_prefix("pub struct ").or(l.strip_prefix("pub enum ")))
        .collect();
    let unique: HashSet<&&str> = names.iter().collect();
    assert_eq!(unique.len(), names.len());
}

#[test]
fn an_entity_types_actions_and_functions() {
    let (source, skipped) = global().actions("microsoft.graph.managedDevice").unwrap();
    assert!(
        source.contains("#[graph_action(path = \"/deviceManagement/managedDevices/{managedDeviceId}/syncDevice\")]\n#[derive(Debug, Clone, PartialEq)]\npub struct ManagedDeviceSyncDevice {}"),
        "{source}"
    );
    assert!(source.contains("pub struct ManagedDeviceWipe {"), "{source}");
    assert!(source.contains("    pub keep_user_data: Option<bool>,"), "{source}");
    assert!(skipped.is_empty(), "{skipped:?}");

    // `assign` of an abstract configuration takes entities: they are declared too.
    let (source, _) = global().actions("microsoft.graph.iosMobileAppConfiguration").unwrap();
    assert!(source.contains("pub struct ManagedDeviceMobileAppConfigurationAssign {"), "{source}");
    assert!(
        source.contains("pub assignments: Vec<ManagedDeviceMobileAppConfigurationAssignment>,"),
        "{source}"
    );
    assert!(
        source.contains("pub struct ManagedDeviceMobileAppConfigurationAssignment {"),
        "{source}"
    );

    // A function with a result, its parameters renamed where the metadata capitalizes them.
    let (source, _) = global().actions("microsoft.graph.user").unwrap();
    assert!(
        source.contains(
            "#[graph_function(path = \"/users/{userId}/reminderView\", returns = Vec<Reminder>)]"
        ),
        "{source}"
    );
    assert!(
        source
            .contains("    #[graph(rename = \"StartDateTime\")]\n    pub start_date_time: String,"),
        "{source}"
    );
    assert!(source.contains("pub struct UserCollectionDelta {"), "{source}");
}

#[test]
fn all_declares_every_operation_it_can_and_says_why_not_for_the_others() {
    let all = global().all();
    let names: HashSet<&str> = all.operations.iter().map(String::as_str).collect();
    assert_eq!(names.len(), all.operations.len(), "each struct name once");
    assert!(names.contains("ManagedDeviceMobileAppConfigurationAssign"));
    // Every operation is either declared or listed with its reason.
    let global_operations =
        Schema::v1().operations().iter().filter(|o| o.clouds.contains(Clouds::GLOBAL)).count();
    assert_eq!(all.operations.len() + all.skipped_operations.len(), global_operations);
    assert!(all.skipped_operations.iter().all(|(_, why)| !why.is_empty()));
}
