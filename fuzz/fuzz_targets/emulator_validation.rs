//! The emulator's request validation against the CSDL: any JSON gives a list of problems, never
//! a panic, and a body it accepts has every non-nullable property.
#![no_main]

use std::sync::OnceLock;

use graph_emulator::Schema;
use libfuzzer_sys::fuzz_target;

fn schema() -> &'static Schema {
    static SCHEMA: OnceLock<Schema> = OnceLock::new();
    SCHEMA.get_or_init(|| {
        Schema::parse(include_str!("../../emulator/metadata/v1.0.xml")).expect("the metadata")
    })
}

fuzz_target!(|data: &[u8]| {
    let Ok(body) = serde_json::from_slice::<serde_json::Value>(data) else { return };
    let problems =
        schema().validate_create("managedDeviceMobileAppConfigurationUserStatus", &body, &[]);
    if problems.is_empty() {
        for property in ["devicesCount", "status", "lastReportedDateTime"] {
            assert!(body.get(property).is_some_and(|v| !v.is_null()), "{property}");
        }
    }
    let _ = schema().validate_create(
        "managedDeviceMobileAppConfiguration",
        &body,
        &["createdDateTime"],
    );
});
