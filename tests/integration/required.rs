//! The three required-field rules, one test each.
//!
//! Rule 1 (a non-`Option` field is required) is also enforced by the compiler when the struct is
//! built: see `tests/ui/fail/missing_non_option_field.rs`.

use graph_entity::intune::ManagedDeviceMobileAppConfigurationUserStatus as Status;
use graph_entity::prelude::*;
use graph_entity::{error::Violation, from_slice};
use serde_json::json;

use crate::{REQUEST, doc_example, fixture};

/// Rule 1: a non-`Option` field must be present when reading; all missing ones are named at once.
#[test]
fn non_option_fields_are_required_when_reading_and_all_are_named() {
    let error = from_slice::<Status>(br#"{"id":"x","userDisplayName":"a"}"#).unwrap_err();
    assert_eq!(error.path, "");
    assert_eq!(
        error.message,
        "missing required properties `devicesCount`, `status`, `lastReportedDateTime`"
    );
    let error = from_slice::<Status>(br#"{"devicesCount":1,"status":"error"}"#).unwrap_err();
    assert_eq!(error.message, "missing required property `lastReportedDateTime`");
    // `null` is not absent: it is a wrong type for a non-nullable property.
    let body = fixture(REQUEST).replace("\"devicesCount\": 12", "\"devicesCount\": null");
    let error = from_slice::<Status>(body.as_bytes()).unwrap_err();
    assert_eq!(error.path, "devicesCount");
    assert!(error.message.contains("invalid type: null"), "{error}");
}

/// Rule 2: an `Option` marked `required` must be `Some` when creating, but may be `null` or
/// absent when read.
#[test]
fn required_options_are_checked_when_creating_only() {
    let incomplete = Status { user_display_name: None, user_principal_name: None, ..doc_example() };
    let error = incomplete.validate().unwrap_err();
    assert_eq!(error.missing().collect::<Vec<_>>(), ["userDisplayName", "userPrincipalName"]);
    assert_eq!(
        error.violations,
        [
            Violation::MissingRequired { property: "userDisplayName" },
            Violation::MissingRequired { property: "userPrincipalName" }
        ]
    );
    assert_eq!(
        error.to_string(),
        "invalid #microsoft.graph.managedDeviceMobileAppConfigurationUserStatus: missing required properties `userDisplayName`, `userPrincipalName`"
    );
    assert!(doc_example().validate().is_ok());

    // Reading: absent and `null` are both fine.
    let absent =
        fixture(REQUEST).replace("  \"userDisplayName\": \"User Display Name value\",\n", "");
    assert_eq!(from_slice::<Status>(absent.as_bytes()).unwrap().user_display_name, None);
    let null = fixture(REQUEST).replace("\"User Principal Name value\"", "null");
    assert_eq!(from_slice::<Status>(null.as_bytes()).unwrap().user_principal_name, None);
}

/// Rule 3: the key is server-assigned: omitted when `None`, written when `Some`, never required.
#[test]
fn the_key_is_omitted_when_none() {
    let value = serde_json::to_value(doc_example()).unwrap();
    assert!(value.get("id").is_none());
    let with_id = Status { id: Some("k".into()), ..doc_example() };
    assert_eq!(serde_json::to_value(&with_id).unwrap()["id"], json!("k"));
    assert!(with_id.validate().is_ok());
    let no_id: Status = from_slice(fixture(REQUEST).as_bytes()).unwrap();
    assert_eq!(no_id.id, None);
}

/// `None` is omitted, never written as `null`.
#[test]
fn none_is_never_written_as_null() {
    let sparse = Status { user_display_name: None, user_principal_name: None, ..doc_example() };
    let text = serde_json::to_string(&sparse).unwrap();
    assert!(!text.contains("null"), "{text}");
    assert!(!text.contains("userDisplayName"), "{text}");
}
