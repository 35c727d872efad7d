//! The token endpoint's answer: any status and body give a token or a typed error, never a
//! panic, and the error's text is bounded whatever the body.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let (status, body) = match data.split_first() {
        Some((first, rest)) => (if first % 2 == 0 { 200 } else { 400 + u16::from(*first) }, rest),
        None => (200, data),
    };
    if let Err(error) = graph_entity_runtime::__private::parse_token_response(status, body) {
        assert!(error.to_string().len() < 4096, "{} bytes", error.to_string().len());
    }
});
