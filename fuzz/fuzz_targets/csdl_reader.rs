//! The CSDL reader (`graph-entity-schema`): any text is a schema or an error, never a panic;
//! every type of a schema read is found again by its name, and resolving any path through it
//! gives an answer or a problem with a message.
#![no_main]

use graph_entity_schema::{Clouds, Schema};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    // The first line is a path to resolve, the rest the document.
    let (path, xml) = text.split_once('\n').unwrap_or(("/users", text));
    match Schema::from_csdl(xml, Clouds::GLOBAL) {
        Ok(schema) => {
            for ty in schema.types() {
                assert!(schema.get(&ty.name).is_some(), "{} is not found again", ty.name);
                let _ = schema.properties(&ty.name);
                let _ = schema.navigations(&ty.name);
                let _ = schema.ancestry(&ty.name).count();
            }
            if let Err(problem) = schema.resolve(path) {
                assert!(!problem.to_string().is_empty());
            }
        }
        Err(message) => assert!(!message.is_empty()),
    }
});
