//! The emulator's request validation against Microsoft's metadata: any JSON gives a list of
//! problems, never a panic, and a body it accepts has every non-nullable property.
#![no_main]

use graph_emulator::{Schema, Validation, validate};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(body) = serde_json::from_slice::<serde_json::Value>(data) else { return };
    let schema = Schema::v1();
    let status = "managedDeviceMobileAppConfigurationUserStatus";
    let problems = validate(schema, status, &body, Validation::create(&[]));
    if problems.is_empty() {
        for property in ["devicesCount", "status", "lastReportedDateTime"] {
            assert!(body.get(property).is_some_and(|v| !v.is_null()), "{property}");
        }
    }
    let configuration = "managedDeviceMobileAppConfiguration";
    let _ = validate(schema, configuration, &body, Validation::create(&["createdDateTime"]));
});
