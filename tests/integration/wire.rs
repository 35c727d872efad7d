//! Graph's wire format, byte for byte against Microsoft's documentation.

use graph_entity::intune::{
    ComplianceStatus, ManagedDeviceMobileAppConfigurationUserStatus as Status,
};
use graph_entity::prelude::*;
use graph_entity::{ExtraProperties, from_slice, graph_entity};
use serde_json::json;

use crate::{REQUEST, RESPONSE, doc_example, fixture};

#[test]
fn the_doc_example_serializes_to_the_doc_request_body() {
    let pretty = serde_json::to_string_pretty(&doc_example()).unwrap();
    assert_eq!(pretty, fixture(REQUEST));
    // The page's `Content-length: 306` is this body with CRLF line ends.
    assert_eq!(pretty.replace('\n', "\r\n").len(), 306);

    // Compact, as sent on the wire: same keys, same order, `@odata.type` first.
    let compact = serde_json::to_string(&doc_example()).unwrap();
    assert_eq!(
        compact,
        r##"{"@odata.type":"#microsoft.graph.managedDeviceMobileAppConfigurationUserStatus","userDisplayName":"User Display Name value","devicesCount":12,"status":"notApplicable","lastReportedDateTime":"2017-01-01T00:00:17.7769392-08:00","userPrincipalName":"User Principal Name value"}"##
    );
}

#[test]
fn the_doc_response_parses_and_writes_back_byte_for_byte() {
    let parsed: Status = from_slice(fixture(RESPONSE).as_bytes()).unwrap();
    let expected =
        Status { id: Some("44960944-0944-4496-4409-964444099644".into()), ..doc_example() };
    assert_eq!(parsed, expected);
    let pretty = serde_json::to_string_pretty(&parsed).unwrap();
    assert_eq!(pretty, fixture(RESPONSE));
    assert_eq!(pretty.replace('\n', "\r\n").len(), 355);
}

#[test]
fn constants_name_the_path_and_type() {
    assert_eq!(
        Status::PATH.as_str(),
        "/deviceAppManagement/mobileAppConfigurations/{managedDeviceMobileAppConfigurationId}/userStatuses"
    );
    assert_eq!(
        Status::ODATA_TYPE,
        "#microsoft.graph.managedDeviceMobileAppConfigurationUserStatus"
    );
    use graph_entity::GraphEntity;
    assert_eq!(
        <Status as GraphEntity>::PROPERTIES,
        [
            "id",
            "userDisplayName",
            "devicesCount",
            "status",
            "lastReportedDateTime",
            "userPrincipalName"
        ]
    );
    assert_eq!(
        Status::PATH.placeholders().collect::<Vec<_>>(),
        ["managedDeviceMobileAppConfigurationId"]
    );
}

#[test]
fn reading_ignores_control_information_and_unknown_properties() {
    let body = json!({
        "@odata.context": "https://graph.microsoft.com/v1.0/$metadata#deviceAppManagement/mobileAppConfigurations('x')/userStatuses/$entity",
        "@odata.type": "#microsoft.graph.somethingElse",
        "id": "1",
        "devicesCount": 3,
        "status": "compliant",
        "lastReportedDateTime": "2025-11-14T08:55:03.0638909Z",
        "newPropertyFrom2030": {"nested": [1, 2, 3]},
        "userDisplayName": null,
    });
    let parsed: Status = serde_json::from_value(body).unwrap();
    assert_eq!(parsed.devices_count, 3);
    assert_eq!(parsed.status, ComplianceStatus::Compliant);
    assert_eq!(parsed.user_display_name, None);
    assert_eq!(parsed.user_principal_name, None);
    // Written back: `@odata.type` is ours, `None` is omitted, unknowns are gone.
    assert_eq!(
        serde_json::to_value(&parsed).unwrap(),
        json!({
            "@odata.type": "#microsoft.graph.managedDeviceMobileAppConfigurationUserStatus",
            "id": "1",
            "devicesCount": 3,
            "status": "compliant",
            "lastReportedDateTime": "2025-11-14T08:55:03.0638909Z",
        })
    );
}

#[graph_entity(path = "/things", odata_type = "#contoso.thing", unchecked)]
#[derive(Debug, Clone, PartialEq)]
struct Thing {
    #[graph(key)]
    id: Option<String>,
    #[graph(rename = "displayName")]
    name: String,
    r#type: Option<String>,
    #[graph(extra)]
    extra: ExtraProperties,
}

#[test]
fn extra_keeps_what_the_struct_does_not_declare_and_writes_it_back() {
    let body = r##"{"@odata.context":"ctx","@odata.type":"#contoso.thing","displayName":"a","type":"t","zeta":1,"alpha":{"b":[true,null]}}"##;
    let thing: Thing = serde_json::from_str(body).unwrap();
    assert_eq!(thing.name, "a");
    assert_eq!(thing.r#type.as_deref(), Some("t"));
    assert_eq!(thing.extra.len(), 3, "{:?}", thing.extra);
    assert!(!thing.extra.contains_key("@odata.type"));
    assert_eq!(thing.extra["zeta"], json!(1));
    assert_eq!(
        serde_json::to_string(&thing).unwrap(),
        r##"{"@odata.type":"#contoso.thing","displayName":"a","type":"t","@odata.context":"ctx","alpha":{"b":[true,null]},"zeta":1}"##
    );
}

#[test]
fn extra_cannot_shadow_a_declared_property() {
    let mut thing =
        Thing { id: None, name: "a".into(), r#type: None, extra: ExtraProperties::new() };
    thing.extra.insert("displayName".into(), json!("b"));
    thing.extra.insert("@odata.type".into(), json!("#x"));
    let error = thing.validate().unwrap_err();
    assert_eq!(error.violations.len(), 2, "{error}");
    assert!(
        serde_json::to_string(&thing)
            .unwrap_err()
            .to_string()
            .contains("has the name of a declared property")
    );
}

#[test]
fn int32_overflow_names_the_field() {
    for (value, message) in [
        ("2147483648", "integer `2147483648`"),
        ("-2147483649", "integer `-2147483649`"),
        ("1.5", "floating point `1.5`"),
        ("\"12\"", "string \"12\""),
    ] {
        let body =
            fixture(REQUEST).replace("\"devicesCount\": 12", &format!("\"devicesCount\": {value}"));
        let error = from_slice::<Status>(body.as_bytes()).unwrap_err();
        assert_eq!(error.path, "devicesCount", "{error}");
        assert!(error.message.contains(message), "{error}");
        assert_eq!(error.line, 4, "{error}");
        assert!(
            error.to_string().starts_with(
                "cannot decode ManagedDeviceMobileAppConfigurationUserStatus at `devicesCount`: "
            ),
            "{error}"
        );
    }
    let body = fixture(REQUEST).replace("\"devicesCount\": 12", "\"devicesCount\": 2147483647");
    assert_eq!(from_slice::<Status>(body.as_bytes()).unwrap().devices_count, i32::MAX);
}

#[test]
fn a_malformed_date_names_the_field() {
    for (date, reason) in [
        ("2017-13-01T00:00:17Z", "month 13 is out of range"),
        ("2017-01-01T00:00:17", "missing offset"),
        ("yesterday", "4 digits for the year"),
    ] {
        let body = fixture(REQUEST).replace("2017-01-01T00:00:17.7769392-08:00", date);
        let error = from_slice::<Status>(body.as_bytes()).unwrap_err();
        assert_eq!(error.path, "lastReportedDateTime", "{error}");
        assert!(error.message.contains(reason), "{error}");
    }
}

#[test]
fn dates_keep_their_offset_and_precision() {
    for date in
        ["2017-01-01T00:00:17Z", "2017-01-01T00:00:17.5+05:30", "2017-01-01T00:00:17.1234567-00:30"]
    {
        let body = fixture(REQUEST).replace("2017-01-01T00:00:17.7769392-08:00", date);
        let parsed: Status = from_slice(body.as_bytes()).unwrap();
        assert_eq!(serde_json::to_string_pretty(&parsed).unwrap(), body);
    }
    let body = fixture(REQUEST)
        .replace("2017-01-01T00:00:17.7769392-08:00", "2017-01-01T00:00:17.776939212345Z");
    let parsed: Status = from_slice(body.as_bytes()).unwrap();
    assert_eq!(parsed.last_reported_date_time.to_string(), "2017-01-01T00:00:17.7769392Z");
}

#[test]
fn unknown_enum_members_are_kept_and_written_back() {
    let body = fixture(REQUEST).replace("notApplicable", "pendingReboot");
    let parsed: Status = from_slice(body.as_bytes()).unwrap();
    assert_eq!(parsed.status, ComplianceStatus::Other("pendingReboot".into()));
    assert_eq!(parsed.status.as_str(), "pendingReboot");
    assert_eq!(serde_json::to_string_pretty(&parsed).unwrap(), body);
    let members = [
        "unknown",
        "notApplicable",
        "compliant",
        "remediated",
        "nonCompliant",
        "error",
        "conflict",
        "notAssigned",
    ];
    for member in members {
        let status: ComplianceStatus = serde_json::from_str(&format!("\"{member}\"")).unwrap();
        assert!(!matches!(status, ComplianceStatus::Other(_)), "{member}");
        assert_eq!(status.as_str(), member);
    }
    assert_eq!(<ComplianceStatus as graph_entity::GraphEnum>::MEMBERS, members);
    let error = serde_json::from_str::<ComplianceStatus>("3").unwrap_err();
    assert!(error.to_string().contains("a member string such as \"unknown\""), "{error}");
}

#[test]
fn a_repeated_property_is_an_error() {
    let error = from_slice::<Status>(br#"{"devicesCount":1,"devicesCount":2,"status":"error","lastReportedDateTime":"2017-01-01T00:00:00Z"}"#).unwrap_err();
    assert!(error.message.contains("duplicate field `devicesCount`"), "{error}");
    let error = from_slice::<Thing>(br#"{"displayName":"a","x":1,"x":2}"#).unwrap_err();
    assert!(error.message.contains("duplicate property `x`"), "{error}");
}

#[test]
fn not_an_object_is_a_clear_error() {
    for body in [&b"[]"[..], b"\"x\"", b"null", b"", b"{", b"{\"devicesCount\":1} trailing"] {
        let error = from_slice::<Status>(body).unwrap_err();
        assert!(!error.message.is_empty(), "{error}");
    }
    let error = from_slice::<Status>(b"[]").unwrap_err();
    assert!(
        error.message.contains(
            "a JSON object for #microsoft.graph.managedDeviceMobileAppConfigurationUserStatus"
        ),
        "{error}"
    );
}

/// An Android store app: `packageId` is computed by the service (`Core.V1.Computed`).
#[graph_entity(
    path = "/deviceAppManagement/mobileApps",
    odata_type = "#microsoft.graph.androidStoreApp"
)]
#[derive(Debug, Clone, PartialEq)]
struct AndroidStoreApp {
    #[graph(key)]
    id: Option<String>,
    display_name: Option<String>,
    app_store_url: Option<String>,
    package_id: Option<String>,
}

#[tokio::test]
async fn computed_properties_are_read_and_never_sent() {
    let app = AndroidStoreApp {
        id: None,
        display_name: Some("Contoso".into()),
        app_store_url: Some("https://play.google.com/store/apps/details?id=com.contoso".into()),
        package_id: Some("com.contoso".into()),
    };
    // Serialization is the whole wire form: what was read writes back.
    let all = serde_json::to_value(&app).unwrap();
    assert_eq!(all["packageId"], json!("com.contoso"));
    // A request body leaves out what the service computes.
    let stub = crate::stub::Stub::start(|_| {
        crate::stub::Reply::json(201, r##"{"@odata.type":"#microsoft.graph.androidStoreApp","id":"a","packageId":"com.contoso"}"##)
    })
    .await;
    let created = app.create(&stub.client(), ()).await.unwrap();
    let sent: serde_json::Value = serde_json::from_slice(&stub.requests()[0].body).unwrap();
    assert_eq!(
        sent,
        json!({
            "@odata.type": "#microsoft.graph.androidStoreApp",
            "displayName": "Contoso",
            "appStoreUrl": "https://play.google.com/store/apps/details?id=com.contoso",
        }),
        "packageId is the service's to set"
    );
    assert_eq!(created.package_id.as_deref(), Some("com.contoso"), "and it is read");
}

/// `microsoft.graph.bodyType`.
#[graph_entity::graph_enum]
#[derive(Debug, Clone, PartialEq)]
enum BodyType {
    Text,
    Html,
    #[graph(other)]
    Other(String),
}

/// `microsoft.graph.itemBody`, a complex type.
#[graph_entity::graph_complex]
#[derive(Debug, Clone, PartialEq)]
struct ItemBody {
    content: Option<String>,
    content_type: Option<BodyType>,
}

/// `microsoft.graph.dateTimeTimeZone`, a complex type.
#[graph_entity::graph_complex]
#[derive(Debug, Clone, PartialEq)]
struct DateTimeTimeZone {
    date_time: String,
    time_zone: Option<String>,
}

/// A To Do task with complex values.
#[graph_entity(path = "/me/todo/lists/{todoTaskListId}/tasks")]
#[derive(Debug, Clone, PartialEq)]
struct RichTask {
    #[graph(key)]
    id: Option<String>,
    title: Option<String>,
    body: Option<ItemBody>,
    due_date_time: Option<DateTimeTimeZone>,
    categories: Option<Vec<String>>,
}

#[test]
fn complex_values_nest_in_graphs_wire_format() {
    use graph_entity::GraphComplex as _;

    let task = RichTask {
        id: None,
        title: Some("Renew".into()),
        body: Some(ItemBody {
            content: Some("<b>soon</b>".into()),
            content_type: Some(BodyType::Html),
        }),
        due_date_time: Some(DateTimeTimeZone {
            date_time: "2026-12-01T00:00:00".into(),
            time_zone: Some("UTC".into()),
        }),
        categories: Some(vec!["ops".into()]),
    };
    let text = serde_json::to_string(&task).unwrap();
    assert_eq!(
        text,
        r##"{"@odata.type":"#microsoft.graph.todoTask","title":"Renew","body":{"content":"<b>soon</b>","contentType":"html"},"dueDateTime":{"dateTime":"2026-12-01T00:00:00","timeZone":"UTC"},"categories":["ops"]}"##
    );
    let read: RichTask = from_slice(text.as_bytes()).unwrap();
    assert_eq!(read, task);
    // A complex value missing a non-nullable property names it with its JSON path.
    let error = from_slice::<RichTask>(br#"{"dueDateTime":{"timeZone":"UTC"}}"#).unwrap_err();
    assert_eq!(error.path, "dueDateTime");
    assert!(error.message.contains("dateTime"), "{error}");
    assert_eq!(ItemBody::GRAPH_NAME, "microsoft.graph.itemBody");
    assert_eq!(DateTimeTimeZone::BASES, ["microsoft.graph.dateTimeTimeZone"]);
}

mod one_of {
    //! A complex property of a type with derived types, read into a `#[graph_complex]` enum by
    //! its `@odata.type`: Intune's assignment targets, as Microsoft documents them.

    use graph_entity::{Json, from_slice, graph_complex, graph_entity};
    use serde_json::json;

    #[graph_complex(odata_type = "#microsoft.graph.groupAssignmentTarget")]
    #[derive(Debug, Clone, PartialEq, Default)]
    struct GroupAssignmentTarget {
        group_id: Option<String>,
    }

    #[graph_complex(odata_type = "#microsoft.graph.exclusionGroupAssignmentTarget")]
    #[derive(Debug, Clone, PartialEq, Default)]
    struct ExclusionGroupAssignmentTarget {
        group_id: Option<String>,
    }

    #[graph_complex(odata_type = "#microsoft.graph.allDevicesAssignmentTarget")]
    #[derive(Debug, Clone, PartialEq, Default)]
    struct AllDevicesAssignmentTarget {}

    #[graph_complex(name = "deviceAndAppManagementAssignmentTarget")]
    #[derive(Debug, Clone, PartialEq)]
    enum AssignmentTarget {
        Group(GroupAssignmentTarget),
        ExclusionGroup(ExclusionGroupAssignmentTarget),
        AllDevices(AllDevicesAssignmentTarget),
        #[graph(other)]
        Other(Json),
    }

    #[graph_entity(
        path = "/deviceManagement/deviceConfigurations/{deviceConfigurationId}/assignments"
    )]
    #[derive(Debug, Clone, PartialEq, Default)]
    struct Assignment {
        id: Option<String>,
        target: Option<AssignmentTarget>,
    }

    fn read(body: serde_json::Value) -> Assignment {
        from_slice(body.to_string().as_bytes()).unwrap()
    }

    #[test]
    fn each_derived_type_reads_into_its_variant_and_writes_its_type_back() {
        let body = json!({
            "@odata.type": "#microsoft.graph.deviceConfigurationAssignment",
            "id": "a",
            "target": {"@odata.type": "#microsoft.graph.exclusionGroupAssignmentTarget", "groupId": "g"}
        });
        let read = read(body.clone());
        let expected = ExclusionGroupAssignmentTarget { group_id: Some("g".into()) };
        assert_eq!(read.target, Some(AssignmentTarget::ExclusionGroup(expected)));
        assert_eq!(serde_json::to_value(&read).unwrap(), body);
        let all = json!({"@odata.type": "#microsoft.graph.allDevicesAssignmentTarget"});
        let read = self::read(json!({"target": all}));
        assert_eq!(read.target, Some(AssignmentTarget::AllDevices(AllDevicesAssignmentTarget {})));
        assert_eq!(serde_json::to_value(read.target).unwrap(), all);
    }

    #[test]
    fn a_type_the_enum_does_not_name_is_kept_whole() {
        // Microsoft's example (intune-deviceconfig-deviceconfigurationassignment-get.md): a
        // type this enum does not name, then one with no `@odata.type` (the base is abstract).
        for target in [
            json!({"@odata.type": "microsoft.graph.configurationManagerCollectionAssignmentTarget", "collectionId": "Collection Id value"}),
            json!({"groupId": "g", "future": [1, {"x": null}]}),
        ] {
            let read = read(json!({"id": "a", "target": target}));
            assert_eq!(read.target, Some(AssignmentTarget::Other(target.clone())));
            assert_eq!(serde_json::to_value(&read).unwrap()["target"], target);
        }
    }

    #[test]
    fn what_is_not_a_value_of_the_type_is_an_error_with_its_path() {
        let error =
            from_slice::<Assignment>(br#"{"target": ["not", "an", "object"]}"#).unwrap_err();
        let text = error.to_string();
        assert!(text.contains("target"), "{text}");
        assert!(text.contains("deviceAndAppManagementAssignmentTarget"), "{text}");
        let error = from_slice::<Assignment>(br#"{"target": {"@odata.type": 7}}"#).unwrap_err();
        assert!(error.to_string().contains("`@odata.type` must be a type name"), "{error}");
        // A variant's own problem, named.
        let error = from_slice::<Assignment>(
            br##"{"target": {"@odata.type": "#microsoft.graph.groupAssignmentTarget", "groupId": 5}}"##,
        )
        .unwrap_err();
        assert!(
            error.to_string().contains("groupId") || error.to_string().contains("string"),
            "{error}"
        );
    }
}
