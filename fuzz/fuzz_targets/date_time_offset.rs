//! `DateTimeOffset` parsing: any text is a value or a typed error; a value formats to text that
//! parses to the same value.
#![no_main]

use graph_entity::DateTimeOffset;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    match DateTimeOffset::parse(text) {
        Ok(value) => {
            let written = value.to_string();
            let again = DateTimeOffset::parse(&written).expect("formatted text parses");
            assert_eq!(again, value);
            let _ = value.unix_timestamp_nanos();
        }
        Err(error) => {
            assert!(error.position() <= text.len());
            let _ = error.to_string();
        }
    }
});
