//! Facts about Microsoft Graph beta, each read by hand from one of the converter's sources (the
//! file and what it says are cited above each check), checked against the reconstructed
//! document `metadata/beta-Prod.csdl` (written by `beta/convert.py`) through the crate's API.
//!
//! Sources cited: `beta-Prod-2021-07-13.csdl`, `beta-Mooncake-2022-10-05.csdl` (Microsoft's old
//! beta CSDLs, in the shared reference folder), `metadata/v1.0-Prod.csdl`, the SDK wheel
//! `msgraph_beta_sdk-1.66.0` (paths under `msgraph_beta/generated/`), the typings
//! `microsoft-graph.d.ts` of `@microsoft/microsoft-graph-types-beta@0.44.0-preview`, and the
//! type mappings `type-mappings-beta-*-types-2026-08-04.json`.

use std::sync::OnceLock;

use graph_entity_schema::{
    Clouds, Inferred, NavigationDef, OperationDef, OperationKind, PropertyDef, Schema, TypeDef,
};

const POLICY: &str = "microsoft.graph.deviceManagementConfigurationPolicy";

/// The document as the crate embeds it (its compact form, written by the build script).
fn beta() -> &'static Schema {
    Schema::beta()
}

fn v1() -> &'static Schema {
    static SCHEMA: OnceLock<Schema> = OnceLock::new();
    SCHEMA.get_or_init(|| {
        Schema::from_csdl(include_str!("../metadata/v1.0-Prod.csdl"), Clouds::GLOBAL)
            .expect("the v1.0 document reads")
    })
}

fn ty(name: &str) -> &'static TypeDef {
    beta().get(name).unwrap_or_else(|| panic!("no type {name}"))
}

fn prop(owner: &str, name: &str) -> &'static PropertyDef {
    beta().property(owner, name).unwrap_or_else(|| panic!("no property {owner}/{name}"))
}

fn nav(owner: &str, name: &str) -> &'static NavigationDef {
    beta().navigation(owner, name).unwrap_or_else(|| panic!("no navigation {owner}/{name}"))
}

fn operation(path: &str) -> &'static OperationDef {
    let resolved = beta().resolve_operation(path).unwrap_or_else(|e| panic!("{path}: {e}"));
    resolved.overloads.first().copied().unwrap_or_else(|| panic!("{path}: no overload"))
}

fn resolves_to(path: &str, ty: &str, collection: bool) {
    let resolved = beta().resolve(path).unwrap_or_else(|e| panic!("{path}: {e}"));
    assert_eq!(resolved.ty, ty, "{path}");
    assert_eq!(resolved.collection, collection, "{path}");
}

// SDK `device_management/configuration_policies/configuration_policies_request_builder.py`:
// template `{+baseurl}/deviceManagement/configurationPolicies{?…}`, a `by_…_id` indexer,
// GET → `DeviceManagementConfigurationPolicyCollectionResponse`; beta-Prod-2021-07-13.csdl:8436
// `<NavigationProperty Name="configurationPolicies"
// Type="Collection(graph.deviceManagementConfigurationPolicy)" ContainsTarget="true" />`.
#[test]
fn configuration_policies_is_a_contained_collection_of_policies() {
    let resolved = beta().resolve("/deviceManagement/configurationPolicies").expect("resolves");
    assert_eq!(resolved.ty, POLICY);
    assert!(resolved.collection);
    assert!(resolved.contained);
}

// beta-Mooncake-2022-10-05.csdl:17727 (and beta-Prod-2021-07-13.csdl:25741): `<Action
// Name="assign" IsBound="true">`, binding `graph.deviceManagementConfigurationPolicy`,
// `<Parameter Name="assignments"
// Type="Collection(graph.deviceManagementConfigurationPolicyAssignment)" />`, `<ReturnType
// Type="Collection(graph.deviceManagementConfigurationPolicyAssignment)" />`; the SDK's
// `…/configuration_policies/item/assign/assign_post_request_body.py` reads `assignments` with
// `get_collection_of_object_values(DeviceManagementConfigurationPolicyAssignment)`.
#[test]
fn assign_takes_and_returns_policy_assignments() {
    let assign = operation("/deviceManagement/configurationPolicies/{id}/assign");
    assert_eq!(assign.kind, OperationKind::Action);
    let binding = assign.binding.as_ref().expect("bound");
    assert_eq!(binding.name, POLICY);
    assert!(!binding.collection);
    let names: Vec<&str> = assign.parameters.iter().map(|p| p.name.as_str()).collect();
    assert_eq!(names, ["assignments"]);
    let assignments = &assign.parameters[0];
    assert_eq!(
        assignments.ty.name,
        "microsoft.graph.deviceManagementConfigurationPolicyAssignment"
    );
    assert!(assignments.ty.collection);
    assert!(assignments.inferred.is_empty(), "stated by a CSDL");
    let returns = assign.returns.as_ref().expect("a result");
    assert_eq!(returns.name, "microsoft.graph.deviceManagementConfigurationPolicyAssignment");
    assert!(returns.collection);
    assert!(assign.returns_inferred.is_empty());
}

// beta-Mooncake-2022-10-05.csdl:11508 `<Property Name="settingCount" Type="Edm.Int32"
// Nullable="false" />` in `deviceManagementConfigurationPolicy` (the SDK's `get_int_value` alone
// would not tell Int32 from Int64).
#[test]
fn setting_count_is_a_stated_int32_not_nullable() {
    let count = prop(POLICY, "settingCount");
    assert_eq!(count.ty.name, "Edm.Int32");
    assert!(!count.ty.collection);
    assert!(!count.nullable);
    assert!(count.inferred.is_empty());
}

// beta-Mooncake-2022-10-05.csdl:11505-11507: `<Property Name="name" Type="Edm.String" />`,
// `<Property Name="platforms" Type="graph.deviceManagementConfigurationPlatforms"
// Nullable="false" />`, `<Property Name="roleScopeTagIds" Type="Collection(Edm.String)" />`.
#[test]
fn policy_name_platforms_and_scope_tags() {
    let name = prop(POLICY, "name");
    assert_eq!(name.ty.name, "Edm.String");
    assert!(name.nullable);
    let platforms = prop(POLICY, "platforms");
    assert_eq!(platforms.ty.name, "microsoft.graph.deviceManagementConfigurationPlatforms");
    assert!(!platforms.ty.collection, "a flags enum, one value");
    assert!(!platforms.nullable);
    let tags = prop(POLICY, "roleScopeTagIds");
    assert_eq!(tags.ty.name, "Edm.String");
    assert!(tags.ty.collection);
}

// beta-Mooncake-2022-10-05.csdl:11512 `<NavigationProperty Name="settings"
// Type="Collection(graph.deviceManagementConfigurationSetting)" ContainsTarget="true" />`.
#[test]
fn policy_settings_are_contained() {
    let settings = nav(POLICY, "settings");
    assert_eq!(settings.ty.name, "microsoft.graph.deviceManagementConfigurationSetting");
    assert!(settings.ty.collection);
    assert!(settings.contains_target);
    assert!(settings.inferred.is_empty(), "ContainsTarget is stated, not derived");
    resolves_to(
        "/deviceManagement/configurationPolicies/{id}/settings",
        "microsoft.graph.deviceManagementConfigurationSetting",
        true,
    );
}

// beta-Mooncake-2022-10-05.csdl:1391-1399: `<EnumType Name="deviceManagementConfigurationPlatforms"
// IsFlags="true">`, `<Member Name="macOS" Value="8" />`, `<Member Name="linux" Value="128" />`;
// the SDK's `models/device_management_configuration_platforms.py` adds `androidEnterprise`,
// `aosp`, `visionOS`, `tvOS` after `unknownFutureValue`, values unknown.
#[test]
fn platforms_is_a_flags_enum_with_stated_and_inferred_values() {
    let platforms = ty("microsoft.graph.deviceManagementConfigurationPlatforms");
    assert!(platforms.flags);
    assert!(!platforms.inferred.contains(Inferred::FLAGS), "IsFlags is stated");
    let value = |m: &str| platforms.members.iter().find(|x| x.name == m).map(|x| x.value);
    assert_eq!(value("none"), Some(0));
    assert_eq!(value("macOS"), Some(8));
    assert_eq!(value("linux"), Some(128));
    assert!(value("tvOS").is_some(), "a member the SDK adds");
    assert!(platforms.inferred.contains(Inferred::VALUES), "the new members' values");
}

// beta-Prod-2021-07-13.csdl:19314 `<ComplexType Name="deviceManagementConfigurationSettingInstance"
// Abstract="true">`, :19343 `<ComplexType Name="deviceManagementConfigurationChoiceSettingInstance"
// BaseType="graph.deviceManagementConfigurationSettingInstance">`.
#[test]
fn setting_instance_is_an_abstract_base() {
    let base = "microsoft.graph.deviceManagementConfigurationSettingInstance";
    assert!(ty(base).is_abstract);
    assert!(ty(base).inferred.is_empty());
    let derived: Vec<&str> = beta().derived(base).iter().map(|t| t.name.as_str()).collect();
    assert!(
        derived.contains(&"microsoft.graph.deviceManagementConfigurationChoiceSettingInstance")
    );
    assert!(beta().concrete(base).iter().all(|t| t.name != base));
}

// v1.0-Prod.csdl:16804 `<EntityType Name="mobileApp" BaseType="graph.entity" Abstract="true">`,
// :20096 `<EntityType Name="win32LobApp" BaseType="graph.mobileLobApp">` (the same in
// beta-Prod-2021-07-13.csdl:14661 and :15451).
#[test]
fn mobile_app_is_abstract_and_win32_lob_app_concrete() {
    let app = "microsoft.graph.mobileApp";
    assert!(ty(app).is_abstract);
    assert!(beta().is_derived_from("microsoft.graph.win32LobApp", app));
    let concrete: Vec<&str> = beta().concrete(app).iter().map(|t| t.name.as_str()).collect();
    assert!(concrete.contains(&"microsoft.graph.win32LobApp"));
    assert!(!concrete.contains(&app));
}

// Typings `microsoft-graph.d.ts:18523` `export interface DeviceHealthScriptPolicyState {`:
// `detectionState?: RunState;` (not nullable), `deviceName?: NullableOption<string>;`
// (nullable); no CSDL declares the type (Intune's remediations are beta only, and not in the
// 2021/2022 documents), the SDK's `models/device_health_script_policy_state.py` has it.
#[test]
fn a_beta_only_intune_type_has_the_typings_nullability() {
    let state = "microsoft.graph.deviceHealthScriptPolicyState";
    let detection = prop(state, "detectionState");
    assert_eq!(detection.ty.name, "microsoft.graph.runState");
    assert!(!detection.nullable);
    assert!(!detection.inferred.contains(Inferred::NULLABLE), "the typings state it");
    let device = prop(state, "deviceName");
    assert!(device.nullable);
    // Only whether the service computes it is unknown (no CSDL declares the type).
    assert_eq!(device.inferred, Inferred::COMPUTED);
    assert!(ty(state).inferred.contains(Inferred::ABSTRACT), "no CSDL says");
}

// The SDK addresses that type at `…/deviceHealthScriptStates/id='{id}',policyId='{policyId}',
// deviceId='{deviceId}'` (`users/item/managed_devices/item/device_health_script_states/…`): its
// key has three properties.
#[test]
fn a_composite_key_comes_from_the_sdk_paths() {
    assert_eq!(
        ty("microsoft.graph.deviceHealthScriptPolicyState").key,
        ["id", "policyId", "deviceId"]
    );
}

// v1.0-Prod.csdl (schema/metadata/README.md quotes it):
// `managedDeviceMobileAppConfigurationUserStatus`
// with `devicesCount` Edm.Int32 not null, `lastReportedDateTime` Edm.DateTimeOffset not null,
// `status` graph.complianceStatus not null, `userDisplayName` and `userPrincipalName`
// Edm.String; beta-Prod-2021-07-13.csdl:15201-15206 declares the same five.
#[test]
fn the_seed_entity_is_unchanged_from_v1() {
    let seed = "microsoft.graph.managedDeviceMobileAppConfigurationUserStatus";
    let beta_seed = ty(seed);
    let v1_seed = v1().get(seed).expect("in v1.0");
    assert_eq!(beta_seed.base, v1_seed.base);
    assert_eq!(beta_seed.properties.len(), 5);
    for (b, v) in beta_seed.properties.iter().zip(&v1_seed.properties) {
        assert_eq!((&b.name, &b.ty, b.nullable), (&v.name, &v.ty, v.nullable));
        assert!(b.inferred.is_empty(), "{}", b.name);
    }
    assert!(beta_seed.inferred.is_empty());
}

// v1.0-Prod.csdl: `managedDevice` declares 55 properties; the type mappings
// (`type-mappings-beta-entity-types-2026-08-04.json`) and the SDK's `models/managed_device.py`
// list many more in beta (`managementFeatures`, `chassisType`, `joinType` …).
#[test]
fn managed_device_has_more_properties_in_beta() {
    let device = "microsoft.graph.managedDevice";
    assert_eq!(v1().get(device).expect("in v1.0").properties.len(), 55);
    assert!(ty(device).properties.len() > 70, "{}", ty(device).properties.len());
    assert_eq!(prop(device, "chassisType").ty.name, "microsoft.graph.chassisType");
}

// v1.0-Prod.csdl:16605 `<Property Name="totalStorageSpaceInBytes" Type="Edm.Int64"
// Nullable="false" />`; the SDK reads it with `get_int_value` (`models/managed_device.py:433`),
// which would only give Int32 with WIDTH.
#[test]
fn a_v1_property_keeps_its_v1_type() {
    let space = prop("microsoft.graph.managedDevice", "totalStorageSpaceInBytes");
    assert_eq!(space.ty.name, "Edm.Int64");
    assert!(!space.nullable);
    assert!(space.inferred.is_empty());
}

// beta-Prod-2021-07-13.csdl:8463-8464 `<NavigationProperty Name="deviceHealthScripts"
// Type="Collection(graph.deviceHealthScript)" ContainsTarget="true" />`, `deviceManagementScripts`
// `Collection(graph.deviceManagementScript)`; the SDK has
// `device_management/device_health_scripts/`
// (GET, POST; item GET, PATCH, DELETE) and `device_management/device_management_scripts/`.
#[test]
fn scripts_and_remediations_resolve() {
    resolves_to(
        "/deviceManagement/deviceHealthScripts",
        "microsoft.graph.deviceHealthScript",
        true,
    );
    resolves_to(
        "/deviceManagement/deviceManagementScripts/{id}",
        "microsoft.graph.deviceManagementScript",
        false,
    );
    let scripts = beta().resolve("/deviceManagement/deviceHealthScripts").expect("resolves");
    assert!(scripts.restrictions.insertable && scripts.restrictions.deletable);
}

// beta-Prod-2021-07-13.csdl:8416 `<NavigationProperty Name="assignmentFilters"
// Type="Collection(graph.deviceAndAppManagementAssignmentFilter)" ContainsTarget="true" />`.
#[test]
fn assignment_filters_resolve() {
    resolves_to(
        "/deviceManagement/assignmentFilters",
        "microsoft.graph.deviceAndAppManagementAssignmentFilter",
        true,
    );
}

// beta-Prod-2021-07-13.csdl:8503 `<NavigationProperty Name="windowsAutopilotDeploymentProfiles"
// Type="Collection(graph.windowsAutopilotDeploymentProfile)" ContainsTarget="true" />`, :8525
// `<NavigationProperty Name="roleScopeTags" Type="Collection(graph.roleScopeTag)"
// ContainsTarget="true" />` (on `deviceManagement`).
#[test]
fn autopilot_profiles_and_scope_tags_resolve() {
    resolves_to(
        "/deviceManagement/windowsAutopilotDeploymentProfiles",
        "microsoft.graph.windowsAutopilotDeploymentProfile",
        true,
    );
    resolves_to("/deviceManagement/roleScopeTags/{id}", "microsoft.graph.roleScopeTag", false);
}

// v1.0-Prod.csdl:27493
// `<Singleton Name="deviceManagement" Type="microsoft.graph.deviceManagement" />`;
// the SDK's root client has `device_management` without an indexer.
#[test]
fn device_management_is_a_singleton() {
    let root = beta().root("deviceManagement").expect("a root");
    assert_eq!(root.kind, graph_entity_schema::RootKind::Singleton);
    assert_eq!(root.ty, "microsoft.graph.deviceManagement");
}

// The SDK's `application_templates/application_templates_request_builder.py` has GET only, and
// its item builder GET only: the set is read-only (no CSDL annotates it).
#[test]
fn application_templates_are_read_only_by_the_sdk_methods() {
    let root = beta().root("applicationTemplates").expect("a root");
    assert!(!root.restrictions.insertable);
    assert!(!root.restrictions.updatable);
    assert!(!root.restrictions.deletable);
}

// Typings `microsoft-graph.d.ts:19334` `disableEntraGroupPolicyAssignment?: boolean;` (not
// nullable) in `DeviceManagementConfigurationPolicy`; the SDK reads it with `get_bool_value`; no
// CSDL has it (beta-Mooncake-2022-10-05.csdl:11499-11513 does not list it).
#[test]
fn a_typings_nullability_is_not_inferred() {
    let disable = prop(POLICY, "disableEntraGroupPolicyAssignment");
    assert_eq!(disable.ty.name, "Edm.Boolean");
    assert!(!disable.nullable);
    // Its nullability is stated; no CSDL says whether the service computes it.
    assert_eq!(disable.inferred, Inferred::COMPUTED);
}

// The SDK's `models/device_management_priority_meta_data.py:41` reads `priority` with
// `get_int_value()`; the typings (`microsoft-graph.d.ts:54844`) say `priority?: number;`; no CSDL
// has the type: Int32 is written, its width inferred, its nullability stated (not null).
#[test]
fn an_sdk_only_integer_has_an_inferred_width() {
    let priority = prop("microsoft.graph.deviceManagementPriorityMetaData", "priority");
    assert_eq!(priority.ty.name, "Edm.Int32");
    assert!(priority.inferred.contains(Inferred::WIDTH));
    assert!(!priority.inferred.contains(Inferred::NULLABLE));
    assert!(!priority.nullable);
    assert!(
        ty("microsoft.graph.deviceManagementPriorityMetaData")
            .inferred
            .contains(Inferred::ABSTRACT)
    );
}

// v1.0-Prod.csdl: `managedDeviceMobileAppConfigurationUserStatus/devicesCount` is declared
// `Edm.Int32` (stated, so nothing inferred although the SDK reads it with `get_int_value`).
#[test]
fn a_v1_declared_property_has_nothing_inferred() {
    let count =
        prop("microsoft.graph.managedDeviceMobileAppConfigurationUserStatus", "devicesCount");
    assert_eq!(count.ty.name, "Edm.Int32");
    assert!(count.inferred.is_empty());
}

// The SDK's `models/assignment_filter_evaluation_mode.py`: `class
// AssignmentFilterEvaluationMode(str, Enum)` with `checkinTimeEvaluation`, `inventoryEvaluation`,
// `mixedEvaluation`, `disabled`, `unknownFutureValue`; no CSDL has the enum: its values are
// written in order (0 …) and marked, and so is its flags-ness.
#[test]
fn an_sdk_only_enum_has_inferred_values() {
    let mode = ty("microsoft.graph.assignmentFilterEvaluationMode");
    let members: Vec<(&str, i64)> =
        mode.members.iter().map(|m| (m.name.as_str(), m.value)).collect();
    assert_eq!(members[0], ("checkinTimeEvaluation", 0));
    assert_eq!(members[4], ("unknownFutureValue", 4));
    assert!(mode.inferred.contains(Inferred::VALUES));
    assert!(mode.inferred.contains(Inferred::FLAGS));
    assert!(!mode.flags);
}

// The SDK's `device_management/configuration_policies/item/reorder/reorder_post_request_body.py:35`
// reads `priority` with `get_int_value()`; `reorder_request_builder.py` POSTs it and sends back
// nothing; no CSDL declares `reorder` for a policy.
#[test]
fn an_sdk_only_action_has_inferred_parameter_facts() {
    let reorder = operation("/deviceManagement/configurationPolicies/{id}/reorder");
    assert_eq!(reorder.kind, OperationKind::Action);
    let priority = reorder.parameters.iter().find(|p| p.name == "priority").expect("priority");
    assert_eq!(priority.ty.name, "Edm.Int32");
    assert!(priority.inferred.contains(Inferred::WIDTH));
    assert!(priority.inferred.contains(Inferred::NULLABLE));
    assert!(reorder.returns.is_none());
}

// The SDK's `…/configuration_policies/item/retrieve_latest_upgrade_default_baseline_policy/
// retrieve_latest_upgrade_default_baseline_policy_request_builder.py`: template
// `…/{deviceManagementConfigurationPolicy%2Did}/retrieveLatestUpgradeDefaultBaselinePolicy()`,
// GET → `DeviceManagementConfigurationPolicy`.
#[test]
fn an_sdk_only_function_returns_a_policy() {
    let function = operation(
        "/deviceManagement/configurationPolicies/{id}/retrieveLatestUpgradeDefaultBaselinePolicy",
    );
    assert_eq!(function.kind, OperationKind::Function);
    assert!(function.parameters.is_empty());
    assert_eq!(function.returns.as_ref().map(|r| r.name.as_str()), Some(POLICY));
    assert!(!function.composable, "unknown, written false");
}

// The SDK's `device_management/configuration_policies/item/settings/settings_request_builder.py`
// (GET, POST) under a policy; the type mappings list `settings` among
// `deviceManagementConfigurationPolicy`'s navigation properties.
#[test]
fn a_policy_setting_resolves_by_key() {
    resolves_to(
        "/deviceManagement/configurationPolicies/{id}/settings/{id}",
        "microsoft.graph.deviceManagementConfigurationSetting",
        false,
    );
}

// Where beta exists: `beta-Mooncake-2022-10-05.csdl` (China's beta document) declares
// `deviceManagementConfigurationPolicy` and the singleton `deviceManagement`, but has no
// `deviceManagementCleanupRule`-like `managedDeviceCleanupRule` type nor a
// `managedDeviceCleanupRules` navigation (grep finds neither); no US Government beta document
// exists, so the US Government clouds have what the global service has.
#[test]
fn what_chinas_beta_document_lacks_is_absent_from_china_only() {
    assert_eq!(ty(POLICY).clouds, Clouds::ALL);
    assert_eq!(beta().root("deviceManagement").unwrap().clouds, Clouds::ALL);
    let rule = ty("microsoft.graph.managedDeviceCleanupRule");
    assert_eq!(rule.clouds, Clouds::GLOBAL.union(Clouds::US_GOV));
    let rules = nav("microsoft.graph.deviceManagement", "managedDeviceCleanupRules");
    assert!(!rules.clouds.contains(Clouds::CHINA) && rules.clouds.contains(Clouds::US_GOV));
}

// The converter's vocabulary (`beta/model.py` `INFERRED`) and the reader's (`Inferred`) are
// the same: a name the reader did not know would lose its mark silently.
#[test]
fn every_inferred_name_the_document_writes_is_one_the_reader_knows() {
    let document = include_str!("../metadata/beta-Prod.csdl");
    let marker = r#"Term="GraphEntity.Inferred" String=""#;
    let mut seen = std::collections::BTreeSet::new();
    for (at, _) in document.match_indices(marker) {
        let rest = &document[at + marker.len()..];
        let names = &rest[..rest.find('"').unwrap()];
        for name in names.split_whitespace() {
            seen.insert(name);
        }
    }
    for name in &seen {
        assert!(!Inferred::from_names(name).is_empty(), "`{name}` is not a name `Inferred` reads");
    }
    assert_eq!(seen.len(), 9, "{seen:?}");
}
