//! OData literal rendering: whatever a string holds, a `$filter` comparison and a `$search`
//! phrase keep it as data. Decoding the query string gives back the clause with the value
//! quoted, and undoing the quoting gives back the value: no input ends the literal or the phrase.
#![no_main]

use graph_entity::query::{Field, Search};
use graph_entity::Query;
use libfuzzer_sys::fuzz_target;

struct Task;

fn decode(text: &str) -> String {
    percent_encoding::percent_decode_str(text).decode_utf8().expect("UTF-8 in, UTF-8 out").into_owned()
}

fuzz_target!(|data: &[u8]| {
    let Ok(value) = std::str::from_utf8(data) else { return };
    let title: Field<Task, String> = Field::__new("title");

    // `$filter=title eq '...'`, the quote doubled inside.
    let query = Query::new().filter(title.eq(value));
    let string = query.to_query_string();
    let filter = decode(string.strip_prefix("$filter=").expect("one option"));
    assert!(!string.contains('&') && !string.contains('#'), "{string}");
    let literal = filter.strip_prefix("title eq '").and_then(|f| f.strip_suffix('\'')).expect(&filter);
    assert_eq!(literal.replace("''", "'"), value);
    assert!(!literal.replace("''", "").contains('\''), "a lone quote ends the literal: {literal}");

    // `$search="title:..."`, `"` and `\` escaped inside.
    let search: Search<Task> = title.search(value);
    let string = Query::new().search(search).to_query_string();
    let phrase = decode(string.strip_prefix("$search=").expect("one option"));
    assert!(!string.contains('&') && !string.contains('#'), "{string}");
    let inner = phrase.strip_prefix("\"title:").and_then(|p| p.strip_suffix('"')).expect(&phrase);
    let mut unescaped = String::new();
    let mut chars = inner.chars();
    while let Some(c) = chars.next() {
        match c {
            '\\' => unescaped.push(chars.next().expect("an escape escapes something")),
            '"' => panic!("an unescaped quote ends the phrase: {inner}"),
            c => unescaped.push(c),
        }
    }
    assert_eq!(unescaped, value);

    // Numbers of any bits are literals OData reads: finite, `NaN`, `INF` or `-INF`.
    if data.len() >= 8 {
        let bits = u64::from_le_bytes(data[..8].try_into().expect("eight bytes"));
        let x: Field<Task, f64> = Field::__new("x");
        let rendered = x.eq(f64::from_bits(bits)).to_string();
        let number = rendered.strip_prefix("x eq ").expect(&rendered);
        assert!(
            matches!(number, "NaN" | "INF" | "-INF") || number.parse::<f64>().is_ok(),
            "{number}"
        );
    }
});
