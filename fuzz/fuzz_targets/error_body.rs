//! Graph error-body parsing: any body gives a Graph error or an unexpected-response error with
//! a bounded snippet, and both display.
#![no_main]

use graph_entity::Error;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let error = graph_entity_runtime::__private::parse_error_body(400, data);
    match &error {
        Error::Graph(graph) => assert_eq!(graph.status, 400),
        Error::UnexpectedResponse { snippet, .. } => {
            assert!(snippet.len() <= graph_entity::error::SNIPPET_LEN + 3)
        }
        other => panic!("unexpected {other:?}"),
    }
    let _ = error.to_string();
});
