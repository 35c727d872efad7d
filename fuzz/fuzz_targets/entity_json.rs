//! The seed entity's generated deserializer: any bytes give a value or a typed error, and a
//! value read writes back to JSON that reads as the same value.
#![no_main]

use graph_entity::from_slice;
use graph_entity::intune::ManagedDeviceMobileAppConfigurationUserStatus as Status;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    match from_slice::<Status>(data) {
        Ok(status) => {
            let written = serde_json::to_vec(&status).expect("a read value writes");
            let again: Status = from_slice(&written).expect("what was written reads");
            assert_eq!(again, status);
        }
        Err(error) => {
            let _ = error.to_string();
        }
    }
});
