//! The macro's path-template parser, as a plain function: any text is a template or a list of
//! messages; a template's parts put back together give the text again.
#![no_main]
#![allow(dead_code)]

use libfuzzer_sys::fuzz_target;

#[path = "../../macros/src/template.rs"]
mod template;

use graph_entity_schema::naming;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    match template::parse(text) {
        Ok(parsed) => {
            let mut rebuilt = String::new();
            for part in &parsed.parts {
                match part {
                    template::Part::Literal(literal) => rebuilt.push_str(literal),
                    template::Part::Placeholder(name) => {
                        rebuilt.push('{');
                        rebuilt.push_str(name);
                        rebuilt.push('}');
                    }
                }
            }
            assert_eq!(rebuilt, text);
            for name in parsed.placeholders() {
                let snake = naming::to_snake_case(name);
                assert!(!snake.is_empty());
            }
        }
        Err(messages) => assert!(!messages.is_empty()),
    }
    let _ = naming::to_lower_camel_case(text);
    let _ = naming::to_lower_first(text);
});
