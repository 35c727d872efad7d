//! Facts read by hand from `metadata/`, checked against what the reader made of them.
#![allow(clippy::unwrap_used)]

use crate::*;

const SEED: &str = "microsoft.graph.managedDeviceMobileAppConfigurationUserStatus";
const SEED_PATH: &str = "/deviceAppManagement/mobileAppConfigurations/{managedDeviceMobileAppConfigurationId}/userStatuses";

fn count(kind: TypeKind, cloud: Clouds) -> usize {
    Schema::v1().types().iter().filter(|t| t.kind == kind && t.clouds.contains(cloud)).count()
}

#[test]
fn every_type_of_each_cloud_is_read() {
    // The counts of the metadata's README, which it took from the files.
    assert_eq!(count(TypeKind::Entity, Clouds::GLOBAL), 1182);
    assert_eq!(count(TypeKind::Complex, Clouds::GLOBAL), 1779);
    assert_eq!(count(TypeKind::Enum, Clouds::GLOBAL), 861);
    assert_eq!(count(TypeKind::Entity, Clouds::US_GOV), 832);
    assert_eq!(count(TypeKind::Complex, Clouds::US_GOV), 1032);
    assert_eq!(count(TypeKind::Enum, Clouds::US_GOV), 628);
    assert_eq!(count(TypeKind::Entity, Clouds::CHINA), 582);
    assert_eq!(count(TypeKind::Complex, Clouds::CHINA), 709);
    assert_eq!(count(TypeKind::Enum, Clouds::CHINA), 412);
    let roots = |cloud| Schema::v1().roots().iter().filter(|r| r.clouds.contains(cloud)).count();
    assert_eq!((roots(Clouds::GLOBAL), roots(Clouds::US_GOV), roots(Clouds::CHINA)), (72, 66, 55));
}

#[test]
fn the_seed_entity_has_its_five_properties_and_the_key_from_entity() {
    let schema = Schema::v1();
    let seed = schema.get(SEED).unwrap();
    assert_eq!(seed.kind, TypeKind::Entity);
    assert_eq!(seed.base.as_deref(), Some("microsoft.graph.entity"));
    let own: Vec<(&str, &str, bool)> =
        seed.properties.iter().map(|p| (p.name.as_str(), p.ty.name.as_str(), p.nullable)).collect();
    assert_eq!(
        own,
        [
            ("devicesCount", "Edm.Int32", false),
            ("lastReportedDateTime", "Edm.DateTimeOffset", false),
            ("status", "microsoft.graph.complianceStatus", false),
            ("userDisplayName", "Edm.String", true),
            ("userPrincipalName", "Edm.String", true),
        ]
    );
    let id = schema.property(SEED, "id").unwrap();
    assert_eq!((id.ty.name.as_str(), id.nullable), ("Edm.String", false));
    assert_eq!(schema.properties(SEED).first().map(|p| p.name.as_str()), Some("id"));
    assert_eq!(schema.get("microsoft.graph.entity").unwrap().key, ["id"]);
    let status = schema.get("#microsoft.graph.complianceStatus").unwrap();
    assert_eq!(status.kind, TypeKind::Enum);
    assert!(status.members.iter().any(|m| m.name == "notApplicable" && m.value == 1));
    assert!(seed.clouds.contains(Clouds::ALL), "{:?}", seed.clouds);
}

#[test]
fn abstract_types_and_their_derived_types() {
    let schema = Schema::v1();
    let configuration = "microsoft.graph.managedDeviceMobileAppConfiguration";
    assert!(schema.get(configuration).unwrap().is_abstract);
    let concrete: Vec<&str> =
        schema.concrete(configuration).iter().map(|t| t.short_name()).collect();
    assert!(concrete.contains(&"iosMobileAppConfiguration"), "{concrete:?}");
    assert!(!concrete.contains(&"managedDeviceMobileAppConfiguration"));
    assert!(schema.is_derived_from("graph.iosMobileAppConfiguration", configuration));
    assert!(!schema.is_derived_from(configuration, "microsoft.graph.iosMobileAppConfiguration"));
    let settings =
        schema.property("microsoft.graph.iosMobileAppConfiguration", "settings").unwrap();
    assert_eq!(settings.ty.to_string(), "Collection(microsoft.graph.appConfigurationSettingItem)");
}

#[test]
fn containment_singletons_and_computed_properties() {
    let schema = Schema::v1();
    let user_statuses = schema
        .navigation("microsoft.graph.managedDeviceMobileAppConfiguration", "userStatuses")
        .unwrap();
    assert!(user_statuses.contains_target && user_statuses.ty.collection);
    assert_eq!(user_statuses.ty.name, SEED);
    let root = schema.root("deviceAppManagement").unwrap();
    assert_eq!(
        (root.kind, root.ty.as_str()),
        (RootKind::Singleton, "microsoft.graph.deviceAppManagement")
    );
    assert_eq!(schema.root("users").unwrap().kind, RootKind::EntitySet);
    assert!(schema.property("microsoft.graph.androidStoreApp", "packageId").unwrap().computed);
    assert!(!schema.property(SEED, "devicesCount").unwrap().computed);
    let described = schema.property("microsoft.graph.androidStoreApp", "packageId").unwrap();
    assert!(described.description.as_deref().unwrap().contains("read-only"));
    // `admin/people` may not be inserted, updated or deleted.
    let people = schema.navigation("microsoft.graph.admin", "people").unwrap();
    assert_eq!(
        people.restrictions,
        Restrictions { insertable: false, updatable: false, deletable: false }
    );
}

#[test]
fn clouds_say_where_each_item_exists() {
    let schema = Schema::v1();
    let todo = schema.get("microsoft.graph.todoTask").unwrap();
    assert_eq!(todo.clouds, Clouds::GLOBAL.union(Clouds::US_GOV));
    let resolved = schema.resolve("/me/todo/lists/{id}/tasks").unwrap();
    assert!(!resolved.clouds.contains(Clouds::CHINA), "{:?}", resolved.clouds);
    assert!(resolved.clouds.contains(Clouds::GLOBAL));
    assert_eq!(schema.resolve(SEED_PATH).unwrap().clouds, Clouds::ALL);
    // Aliases are resolved per document (`self.` in the security namespace).
    assert!(schema.get("microsoft.graph.security.alert").is_some());
}

#[test]
fn paths_resolve_segment_by_segment() {
    let schema = Schema::v1();
    let seed = schema.resolve(SEED_PATH).unwrap();
    assert_eq!((seed.ty.as_str(), seed.collection, seed.contained), (SEED, true, true));
    let one = schema.resolve(&format!("{SEED_PATH}/{{id}}")).unwrap();
    assert!(!one.collection);
    let cast = schema
        .resolve("/deviceAppManagement/mobileAppConfigurations/microsoft.graph.iosMobileAppConfiguration")
        .unwrap();
    assert_eq!(
        (cast.ty.as_str(), cast.collection),
        ("microsoft.graph.iosMobileAppConfiguration", true)
    );
    assert_eq!(schema.resolve("/me").unwrap().ty, "microsoft.graph.user");
    assert!(schema.resolve("/users/{userId}/events").unwrap().collection);
}

#[test]
fn a_path_that_does_not_resolve_names_the_segment_and_suggests() {
    let schema = Schema::v1();
    let problem = schema.resolve("/deviceAppManagment/mobileAppConfigurations").unwrap_err();
    assert_eq!((problem.index, problem.suggestion.as_deref()), (0, Some("deviceAppManagement")));
    let problem = schema.resolve("/users/{id}/evnts").unwrap_err();
    assert_eq!((problem.index, problem.suggestion.as_deref()), (2, Some("events")));
    assert!(problem.to_string().ends_with("did you mean `events`?"), "{problem}");
    let problem = schema.resolve("/users/events").unwrap_err();
    assert!(problem.message.contains("key placeholder"), "{problem}");
    let problem = schema.resolve("/me/{id}").unwrap_err();
    assert!(problem.message.contains("single `user`"), "{problem}");
    let problem = schema.resolve("/users/{id}/displayName").unwrap_err();
    assert!(problem.message.contains("is a property"), "{problem}");
    let problem = schema.resolve("/users/microsoft.graph.group").unwrap_err();
    assert!(problem.message.contains("does not derive"), "{problem}");
    let problem = schema.resolve("/directoryObjects/{id}/memberOf").unwrap_err();
    assert!(problem.message.contains("cast to it first"), "{problem}");
}

#[test]
fn the_compact_form_round_trips_and_refuses_damage_without_panicking() {
    let model = compact::decode(V1).unwrap();
    assert_eq!(compact::encode(&model), V1);
    for cut in (0..V1.len()).step_by(V1.len() / 97 + 1) {
        assert!(compact::decode(&V1[..cut]).is_err(), "cut at {cut}");
    }
    let mut flipped = V1.to_vec();
    for i in (5..flipped.len()).step_by(flipped.len() / 211 + 1) {
        flipped[i] ^= 0xff;
        let _ = compact::decode(&flipped);
        flipped[i] ^= 0xff;
    }
}

#[test]
fn a_csdl_excerpt_reads_with_the_same_reader() {
    let xml = r#"<?xml version="1.0" encoding="utf-8"?>
<edmx:Edmx Version="4.0" xmlns:edmx="http://docs.oasis-open.org/odata/ns/edmx"><edmx:DataServices>
<Schema Namespace="microsoft.graph" Alias="graph" xmlns="http://docs.oasis-open.org/odata/ns/edm">
  <EntityType Name="entity" Abstract="true"><Key><PropertyRef Name="id"/></Key><Property Name="id" Type="Edm.String" Nullable="false"/></EntityType>
  <EntityType Name="thing" BaseType="graph.entity"><Property Name="tags" Type="Collection(Edm.String)"/></EntityType>
  <EntityContainer Name="GraphService"><EntitySet Name="things" EntityType="microsoft.graph.thing"/></EntityContainer>
  <Annotations Target="microsoft.graph.thing/tags"><Annotation Term="Org.OData.Core.V1.Computed" Bool="true"/></Annotations>
  <Annotations Target="microsoft.graph.GraphService/things"><Annotation Term="Org.OData.Capabilities.V1.InsertRestrictions"><Record><PropertyValue Property="Insertable" Bool="false"/></Record></Annotation></Annotations>
</Schema></edmx:DataServices></edmx:Edmx>"#;
    let schema = Schema::from_csdl(xml, Clouds::GLOBAL).unwrap();
    let tags = schema.property("graph.thing", "tags").unwrap();
    assert!(tags.computed && tags.ty.collection);
    assert!(!schema.resolve("/things").unwrap().restrictions.insertable);
    assert!(Schema::from_csdl("<nope", Clouds::GLOBAL).is_err());
    assert!(Schema::from_csdl("<a/>", Clouds::GLOBAL).is_err());
}

#[test]
fn suggestions_are_close_or_absent() {
    assert_eq!(suggest("devicescount", ["devicesCount", "status"]), Some("devicesCount"));
    assert_eq!(suggest("x", ["id", "ab"]), None);
    assert_eq!(suggest("stauts", ["status", "statuses"]), Some("status"));
    assert_eq!(suggest("", ["a"]), None);
}

/// A small deterministic generator (xorshift), so the property test needs no dependency.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
}

#[test]
fn random_paths_and_names_never_panic_and_errors_point_inside_the_path() {
    let schema = Schema::v1();
    // Real names (so that walks go deep), near misses, and junk.
    let mut words: Vec<String> = schema.roots().iter().map(|r| r.name.clone()).collect();
    words.extend(
        schema.types().iter().take(400).flat_map(|t| t.navigation.iter().map(|n| n.name.clone())),
    );
    words.extend(schema.types().iter().step_by(7).map(|t| t.name.clone()));
    words.extend(
        [
            "{id}",
            "{}",
            "",
            ".",
            "..",
            "$value",
            "microsoft.graph.",
            "\u{e9}\u{1f600}",
            "a/b",
            "graph.user",
            "#",
        ]
        .map(str::to_owned),
    );
    let mut rng = Rng(0x9e37_79b9_7f4a_7c15);
    let mut resolved = 0;
    for round in 0..3_000 {
        let count = 1 + rng.below(6);
        let mut segments: Vec<String> =
            (0..count).map(|_| words[rng.below(words.len())].clone()).collect();
        if rng.below(4) == 0 {
            // A near miss: one character changed.
            let i = rng.below(segments.len());
            let mut chars: Vec<char> = segments[i].chars().collect();
            if !chars.is_empty() {
                let at = rng.below(chars.len());
                chars[at] = char::from(b'a' + (rng.below(26) as u8));
            }
            segments[i] = chars.into_iter().collect();
        }
        let path = format!("/{}", segments.join("/"));
        match schema.resolve(&path) {
            Ok(ok) => {
                resolved += 1;
                assert!(schema.get(&ok.ty).is_some(), "{path}: {}", ok.ty);
            }
            Err(problem) => {
                let parts: Vec<&str> = path.trim_start_matches('/').split('/').collect();
                assert!(problem.index < parts.len(), "{path}: {problem:?}");
                assert_eq!(parts[problem.index], problem.segment, "{path}");
                assert!(!problem.message.is_empty());
            }
        }
        let name = &segments[0];
        let _ = (schema.get(name), schema.root(name), schema.property(name, name));
        if round % 100 == 0 {
            // The slow lookups, now and then.
            let _ = (schema.derived(name).len(), schema.concrete(name).len());
            let _ = suggest(name, words.iter().map(String::as_str));
        }
    }
    assert!(resolved > 20, "the walk reached real paths: {resolved}");
}

#[test]
fn a_property_declared_again_is_listed_once_and_exists_where_the_base_has_it() {
    let schema = Schema::v1();
    // `attendee` declares `type` again over `attendeeBase`'s.
    let attendee = schema.properties("microsoft.graph.attendee");
    assert_eq!(attendee.iter().filter(|p| p.name == "type").count(), 1);
    assert_eq!(
        attendee.iter().find(|p| p.name == "type").unwrap().ty.name,
        "microsoft.graph.attendeeType"
    );
    // The US Government metadata declares it on `place`, the global one on `room` too.
    let wheelchair = schema.property("microsoft.graph.room", "isWheelChairAccessible").unwrap();
    let on_place = schema.property("microsoft.graph.place", "isWheelChairAccessible").unwrap();
    assert!(
        wheelchair.clouds.contains(on_place.clouds),
        "{:?} {:?}",
        wheelchair.clouds,
        on_place.clouds
    );
}

fn op_summary(operation: &OperationDef) -> Vec<(&str, String, bool, bool)> {
    let p = operation.parameters.iter();
    p.map(|p| (p.name.as_str(), p.ty.to_string(), p.nullable, p.optional)).collect()
}

#[test]
fn every_action_and_function_of_the_global_metadata_is_read() {
    // `grep -c '<Action ' v1.0-Prod.csdl` and `grep -c '<Function '`: every one is bound.
    let global = |kind| {
        let operations = Schema::v1().operations().iter();
        operations.filter(|o| o.kind == kind && o.clouds.contains(Clouds::GLOBAL)).count()
    };
    assert_eq!((global(OperationKind::Action), global(OperationKind::Function)), (857, 326));
    assert!(Schema::v1().operations().iter().all(|o| o.binding.is_some()));
    assert_eq!(Schema::v1().imported_operations().count(), 0);
}

#[test]
fn intune_actions_have_their_parameters_and_results() {
    let schema = Schema::v1();
    let path = "/deviceAppManagement/mobileAppConfigurations/{id}/assign";
    let resolved = schema.resolve_operation(path).unwrap();
    let [assign] = resolved.overloads.as_slice() else { panic!("{resolved:?}") };
    assert_eq!(assign.name, "microsoft.graph.assign");
    assert_eq!(
        (assign.kind, assign.segment(), assign.returns.as_ref()),
        (OperationKind::Action, "assign", None)
    );
    let binding = assign.binding.as_ref().unwrap();
    assert_eq!(binding.to_string(), "microsoft.graph.managedDeviceMobileAppConfiguration");
    let assignments = "Collection(microsoft.graph.managedDeviceMobileAppConfigurationAssignment)";
    assert_eq!(op_summary(assign), [("assignments", assignments.to_owned(), false, false)]);
    assert_eq!(assign.required(Clouds::GLOBAL).count(), 1, "a collection is never null");
    assert!(assign.clouds.contains(Clouds::ALL));
    // Through a type cast: bound to the base, so to the derived type too.
    let cast = "/deviceAppManagement/mobileAppConfigurations/{id}/microsoft.graph.iosMobileAppConfiguration/assign";
    assert_eq!(schema.resolve_operation(cast).unwrap().overloads, [*assign]);
    // And by its qualified name.
    let qualified = "/deviceAppManagement/mobileAppConfigurations/{id}/microsoft.graph.assign";
    assert_eq!(schema.resolve_operation(qualified).unwrap().overloads, [*assign]);

    let sync =
        schema.resolve_operation("/deviceManagement/managedDevices/{id}/syncDevice").unwrap();
    assert!(sync.overloads[0].parameters.is_empty() && sync.overloads[0].returns.is_none());
    let wipe = schema.resolve_operation("/deviceManagement/managedDevices/{id}/wipe").unwrap();
    let names: Vec<&str> = wipe.overloads[0].parameters.iter().map(|p| p.name.as_str()).collect();
    assert_eq!(
        names,
        ["keepEnrollmentData", "keepUserData", "macOsUnlockCode", "persistEsimDataPlan"]
    );
    assert_eq!(wipe.overloads[0].required(Clouds::ALL).count(), 0, "all four are nullable");

    let report = schema.resolve_operation("/deviceManagement/reports/getCachedReport").unwrap();
    let report = report.overloads[0];
    assert_eq!(report.returns.as_ref().map(ToString::to_string).as_deref(), Some("Edm.Stream"));
    let select = report.parameters.iter().find(|p| p.name == "select").unwrap();
    assert_eq!((select.ty.to_string().as_str(), select.optional), ("Collection(Edm.String)", true));
}

#[test]
fn functions_their_overloads_and_composability() {
    let schema = Schema::v1();
    let delta = schema.resolve_operation("/users/delta").unwrap();
    let [delta] = delta.overloads.as_slice() else { panic!() };
    assert_eq!(delta.kind, OperationKind::Function);
    assert_eq!(delta.returns.as_ref().unwrap().to_string(), "Collection(microsoft.graph.user)");
    assert!(delta.binding.as_ref().unwrap().collection);
    let reminders = schema.resolve_operation("/users/{id}/reminderView").unwrap();
    assert_eq!(
        op_summary(reminders.overloads[0]),
        [
            ("StartDateTime", "Edm.String".to_owned(), false, false),
            ("EndDateTime", "Edm.String".to_owned(), true, false)
        ]
    );
    // Overloaded: by `period` or by `date`.
    let email = schema.resolve_operation("/reports/getEmailActivityUserDetail").unwrap();
    let mut overloads: Vec<String> =
        email.overloads.iter().map(|o| o.parameters[0].name.clone()).collect();
    overloads.sort();
    assert_eq!(overloads, ["date", "period"]);
    let composable = schema.resolve_operation("/chats/getAllMessages").unwrap();
    assert!(composable.overloads[0].composable);
    assert!(!email.overloads[0].composable);
}

#[test]
fn an_operation_that_does_not_fit_names_the_reason() {
    let schema = Schema::v1();
    let err = |path: &str| schema.resolve_operation(path).unwrap_err();
    let typo = err("/deviceAppManagement/mobileAppConfigurations/{id}/asign");
    assert_eq!((typo.index, typo.suggestion.as_deref()), (3, Some("assign")));
    let collection = err("/deviceAppManagement/mobileAppConfigurations/assign");
    assert!(collection.message.contains("put a key placeholder"), "{collection}");
    let derived = err("/deviceAppManagement/mobileApps/{id}/commitContent");
    assert!(derived.message.contains("no action or function"), "{derived}");
    let before = err("/deviceAppManagement/mobileApp/{id}/assign");
    assert_eq!((before.index, before.suggestion.as_deref()), (1, Some("mobileApps")));
    let root = err("/assign");
    assert!(root.message.contains("imported at the root"), "{root}");
}

#[test]
fn a_parameter_the_clouds_spell_differently_is_required_where_it_is_spelt_so() {
    let schema = Schema::v1();
    let find = schema.resolve_operation("/users/{id}/findMeetingTimes").unwrap().overloads[0];
    let required = |clouds| find.required(clouds).map(|p| p.name.as_str()).collect::<Vec<_>>();
    assert_eq!(required(Clouds::GLOBAL), ["attendees"]);
    let elsewhere: Vec<&str> =
        find.parameters.iter().filter(|p| p.name == "Attendees").map(|p| p.name.as_str()).collect();
    assert_eq!(elsewhere, ["Attendees"], "{:?}", find.parameters);
}

#[test]
fn the_collections_with_a_delta_function() {
    let schema = Schema::v1();
    for ty in ["user", "group", "application", "servicePrincipal", "contact", "todoTaskList"] {
        let delta = schema.delta(&format!("microsoft.graph.{ty}"));
        assert!(delta.is_some_and(|d| d.short_name() == "delta"), "{ty}");
    }
    // Intune's collections have none.
    for ty in
        ["managedDeviceMobileAppConfigurationUserStatus", "managedDevice", "mobileAppCategory"]
    {
        assert!(schema.delta(&format!("microsoft.graph.{ty}")).is_none(), "{ty}");
    }
}

mod permissions {
    use crate::permissions::{Permissions, Scheme};

    /// The least privileged permission for application and delegated (work) access.
    fn least(method: &str, path: &str) -> (Option<&'static str>, Option<&'static str>) {
        let found = Permissions::get().lookup(method, path).unwrap_or_else(|| panic!("{path}"));
        (found.least(Scheme::Application), found.least(Scheme::DelegatedWork))
    }

    #[test]
    fn the_seed_is_created_and_read_with_intune_apps_permissions() {
        let seed = "/deviceAppManagement/mobileAppConfigurations/{managedDeviceMobileAppConfigurationId}/userStatuses";
        let write = Some("DeviceManagementApps.ReadWrite.All");
        assert_eq!(least("POST", seed), (write, write));
        let read = Some("DeviceManagementApps.Read.All");
        assert_eq!(least("GET", &format!("{seed}/{{id}}")), (read, read));
        let all = Permissions::get().lookup("POST", seed).unwrap().all(Scheme::Application);
        assert!(all.contains(&"DeviceManagementApps.ReadWrite.All"), "{all:?}");
        assert!(!all.contains(&"DeviceManagementApps.Read.All"), "{all:?}");
    }

    #[test]
    fn directory_and_to_do_facts_read_by_hand() {
        // A group's create: its own application permission, a write one delegated.
        assert_eq!(least("POST", "/groups"), (Some("Group.Create"), Some("Group.ReadWrite.All")));
        assert_eq!(
            least("POST", "/users"),
            (Some("User.ReadWrite.All"), Some("User.ReadWrite.All"))
        );
        // A To Do task: application and delegated permissions of their own.
        assert_eq!(
            least("POST", "/users/{userId}/todo/lists/{todoTaskListId}/tasks"),
            (Some("Tasks.ReadWrite.All"), Some("Tasks.ReadWrite"))
        );
        let personal = Permissions::get()
            .lookup("POST", "/users/{id}/todo/lists/{id}/tasks")
            .unwrap()
            .least(Scheme::DelegatedPersonal);
        assert_eq!(personal, Some("Tasks.ReadWrite"));
    }

    #[test]
    fn a_device_action_needs_the_privileged_operations_permission() {
        let sync = "/deviceManagement/managedDevices/{managedDeviceId}/syncDevice";
        let privileged = Some("DeviceManagementManagedDevices.PrivilegedOperations.All");
        assert_eq!(least("POST", sync), (privileged, privileged));
        // Methods and paths are matched as the reference writes them, whatever the case.
        assert!(
            Permissions::get()
                .lookup("post", "/DEVICEMANAGEMENT/managedDevices/{x}/syncdevice")
                .is_some()
        );
    }

    #[test]
    fn a_path_or_method_the_reference_lacks_is_unknown() {
        let permissions = Permissions::get();
        assert!(
            permissions
                .lookup("POST", "/deviceManagement/managedDevices/{id}/noSuchAction")
                .is_none()
        );
        assert!(
            permissions.lookup("PUT", "/deviceManagement/managedDevices/{id}/syncDevice").is_none()
        );
        assert!(permissions.len() > 10_000, "{}", permissions.len());
    }

    #[test]
    fn a_cast_is_looked_up_as_sent_then_before_the_key_then_without_it() {
        let permissions = Permissions::get();
        // Listed with its cast, as the reference writes it.
        let listed = "/deviceManagement/deviceConfigurations/{id}/microsoft.graph.iosScepCertificateProfile/rootCertificate/deviceStatuses/{id}";
        assert!(permissions.lookup("GET", listed).is_some());
        // The reference writes some casts before the key; the client sends them after it.
        let agent = "/servicePrincipals/{id}/microsoft.graph.agentIdentity";
        let found = permissions.lookup("GET", agent).unwrap().all(Scheme::Application);
        assert!(found.contains(&"AgentIdentity.Read.All"), "{found:?}");
        // Not listed with this cast: the path without it decides.
        let cast = "/deviceAppManagement/mobileApps/{id}/microsoft.graph.win32LobApp/assignments";
        let plain = "/deviceAppManagement/mobileApps/{id}/assignments";
        let (with, without) =
            (permissions.lookup("GET", cast).unwrap(), permissions.lookup("GET", plain).unwrap());
        assert_eq!(with.all(Scheme::Application), without.all(Scheme::Application));
        // A segment that names no entity type is no cast: an unknown qualified action stays
        // unknown rather than taking its parent's permissions.
        assert!(
            permissions.lookup("POST", "/deviceManagement/microsoft.graph.noSuchAction").is_none()
        );
    }

    #[test]
    fn a_read_permission_listed_brings_its_read_write_one() {
        let permissions = Permissions::get();
        // The reference lists `User.Read.All` for `getMemberGroups`, not `User.ReadWrite.All`.
        let groups = permissions.lookup("POST", "/users/{id}/getMemberGroups").unwrap();
        let all = groups.all(Scheme::Application);
        assert!(all.contains(&"User.Read.All") && all.contains(&"User.ReadWrite.All"), "{all:?}");
        // Never the other way: a write needs a write permission.
        let create = permissions.lookup("POST", "/deviceAppManagement/mobileAppConfigurations");
        let all = create.unwrap().all(Scheme::Application);
        assert!(!all.contains(&"DeviceManagementApps.Read.All"), "{all:?}");
        // `ReadBasic` is not `Read`.
        assert_eq!(permissions.read_write_of("User.ReadBasic.All", Scheme::Application), None);
        assert_eq!(
            permissions.read_write_of("Mail.Read", Scheme::DelegatedWork),
            Some("Mail.ReadWrite")
        );
    }

    #[test]
    fn every_permission_of_a_scheme_is_named_once() {
        let names = Permissions::get().names(Scheme::Application);
        assert!(names.contains(&"DeviceManagementApps.ReadWrite.All"));
        assert!(names.contains(&"Group.Create"));
        // Delegated-only permissions are not application ones.
        assert!(!names.contains(&"User.Read"), "User.Read is delegated only");
        assert!(names.windows(2).all(|w| w[0] < w[1]));
        assert!(names.len() > 500, "{}", names.len());
    }
}

/// `Schema::get` and `Schema::root` search the decoded lists by binary search: the compact forms
/// must hold them strictly sorted, as the build script writes them.
#[test]
fn the_compact_forms_hold_types_and_roots_sorted() {
    for schema in [Schema::v1(), Schema::beta()] {
        let types: Vec<&str> = schema.types().iter().map(|t| t.name.as_str()).collect();
        assert!(types.windows(2).all(|w| w[0] < w[1]), "{}", schema.name());
        let roots: Vec<&str> = schema.roots().iter().map(|r| r.name.as_str()).collect();
        assert!(roots.windows(2).all(|w| w[0] < w[1]), "{}", schema.name());
        assert!(
            schema.types().iter().all(|t| schema.get(&t.name).is_some_and(|f| f.name == t.name))
        );
    }
}
