//! Microsoft's documented responses, read into the declarations `graph-entity-gen --all` prints
//! (this crate's library) and written back. Built and run by `gen/check-all.sh` (global only);
//! the corpus is the emulator's (`emulator/tests/docs-examples/v1.0-examples.jsonl`), the
//! reviewed list `gen/check-all/responses.txt`.
//!
//! Each entity of a documented response body (the body, or each item of its `value` when the
//! request addresses a collection) is read into the declaration of its type: the item's
//! `@odata.type`, else the type the request's path addresses in the metadata. Written back it
//! must be the same JSON, key order, instance annotations (`@odata.type`, `@odata.etag`, …) and
//! `null`s (written as absent) aside. Each one that is not is listed in the reviewed list with
//! its category and reason; the run fails on one not listed and on a listed one that agrees
//! now. Bodies that are not an entity (an action's or a function's result, `$ref`, `$count`,
//! a path the metadata does not have) are counted by reason.

use std::collections::BTreeMap;
use std::process::ExitCode;

use graph_entity_check_all::*;
use graph_entity_schema::{Schema, TypeKind};
use serde_json::{Map, Value, json};

/// `read_and_write(graph, value)`: `value` read as the declared entity type `graph` (qualified)
/// and written back; `None` when no declaration has that type.
macro_rules! registry {
    ($($graph:literal => $rust:ident,)*) => {
        fn read_and_write(graph: &str, value: &Value) -> Option<Result<Value, String>> {
            match graph {
                $($graph => Some(read_write::<$rust>(value)),)*
                _ => None,
            }
        }
    };
}
graph_entity_check_all::graph_entities!(registry);

fn read_write<E>(value: &Value) -> Result<Value, String>
where
    E: serde::Serialize + serde::de::DeserializeOwned,
{
    // From the JSON value: a third of the build time of reading each type from bytes with
    // the path tracked. The path of a problem is then found by the value it names.
    let read: E = serde_json::from_value(value.clone()).map_err(|e| {
        let message = e.to_string();
        match path_of(value, &message) {
            Some(path) => format!("reading at `{path}`: {message}"),
            None => format!("reading: {message}"),
        }
    })?;
    serde_json::to_value(&read).map_err(|e| format!("writing: {e}"))
}

/// The JSON path of the first value a reading error names: the quoted string in its message
/// (`invalid Date "Date"`), or an empty object (`invalid type: map`).
fn path_of(value: &Value, message: &str) -> Option<String> {
    fn find(value: &Value, path: &str, wanted: &dyn Fn(&Value) -> bool) -> Option<String> {
        match value {
            Value::Object(object) => {
                object.iter().filter(|(k, _)| !k.contains('@')).find_map(|(k, v)| {
                    let here = if path.is_empty() { k.clone() } else { format!("{path}.{k}") };
                    if wanted(v) { Some(here) } else { find(v, &here, wanted) }
                })
            }
            Value::Array(items) => items.iter().enumerate().find_map(|(i, v)| {
                let here = format!("{path}[{i}]");
                if wanted(v) { Some(here) } else { find(v, &here, wanted) }
            }),
            _ => None,
        }
    }
    if message.starts_with("invalid type: map") {
        return find(value, "", &|v| v.as_object().is_some_and(|o| o.is_empty()));
    }
    let quoted = message.split('"').nth(1)?;
    find(value, "", &|v| v.as_str() == Some(quoted))
}

/// The categories of the reviewed list.
const CATEGORIES: &[&str] =
    &["documentation-older", "documentation-error", "case-differs", "not-declared"];

fn main() -> ExitCode {
    let here = env!("CARGO_MANIFEST_DIR");
    let read = |path: &str| {
        let path = format!("{here}/{path}");
        std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("reading {path}: {e}"))
    };
    let corpus = read("../../emulator/tests/docs-examples/v1.0-examples.jsonl");
    let list = read("responses.txt");
    let listed = match parse_list(&list) {
        Ok(listed) => listed,
        Err(line) => {
            eprintln!(
                "the reviewed list: a line without `<page> <example> <index> <category> <reason>` or with another category: {line}"
            );
            return ExitCode::FAILURE;
        }
    };
    let schema = Schema::v1();
    // (Intune, outcome) → count: "agrees", a category, or why it is not an entity.
    let mut counts: BTreeMap<(bool, String), usize> = BTreeMap::new();
    let (mut unlisted, mut seen) = (Vec::new(), Vec::new());
    for line in corpus.lines() {
        let example: Value = serde_json::from_str(line).expect("the corpus is JSON lines");
        let page = example["page"].as_str().unwrap_or_default();
        let intune = page.starts_with("intune-");
        let entities = match entities(schema, &example) {
            Ok(entities) => entities,
            Err(why) => {
                *counts.entry((intune, format!("not an entity: {why}"))).or_default() += 1;
                continue;
            }
        };
        for (index, graph, item) in entities {
            let id = format!("{page} {} {index}", example["example"]);
            let outcome = match read_and_write(&graph, item) {
                None => Err(undeclared(schema, &graph)),
                Some(outcome) => outcome.and_then(|written| {
                    let (expected, got) = (comparable(item), comparable(&written));
                    if expected == got {
                        Ok(())
                    } else {
                        Err(difference(schema, &graph, item, &expected, &got))
                    }
                }),
            };
            match (outcome, listed.get(id.as_str())) {
                (Ok(()), None) => *counts.entry((intune, "agrees".into())).or_default() += 1,
                (Ok(()), Some(line)) => unlisted.push(format!("listed, but agrees now: {line}")),
                (Err(_), Some(line)) => {
                    let category = line.split(' ').nth(3).unwrap_or_default();
                    *counts.entry((intune, category.into())).or_default() += 1;
                    seen.push(id);
                }
                (Err(why), None) => unlisted.push(format!("{id} {why}")),
            }
        }
    }
    for ((intune, outcome), count) in &counts {
        let area = if *intune { "Intune" } else { "the rest" };
        println!("{area}: {outcome}: {count}");
    }
    let stale: Vec<_> = listed.iter().filter(|(id, _)| !seen.contains(&id.to_string())).collect();
    for (_, line) in &stale {
        unlisted.push(format!("listed, but not among the documented entities: {line}"));
    }
    if unlisted.is_empty() {
        ExitCode::SUCCESS
    } else {
        eprintln!(
            "{} documented entities disagree and are not listed (or listed and agree):",
            unlisted.len()
        );
        for line in &unlisted {
            eprintln!("{line}");
        }
        ExitCode::FAILURE
    }
}

/// The reviewed list: `<page> <example> <index>` → its line.
fn parse_list(list: &str) -> Result<BTreeMap<&str, &str>, &str> {
    let mut listed = BTreeMap::new();
    for line in list.lines().filter(|l| !l.trim().is_empty() && !l.starts_with('#')) {
        let words: Vec<&str> = line.splitn(5, ' ').collect();
        let [page, example, index, category, reason] = words.as_slice() else { return Err(line) };
        if !CATEGORIES.contains(category) || reason.trim().is_empty() {
            return Err(line);
        }
        let end = page.len() + example.len() + index.len() + 2;
        listed.insert(&line[..end], line);
    }
    Ok(listed)
}

/// The entities of the example's response body: (index in `value` or 0, qualified type, item).
fn entities<'v>(
    schema: &Schema,
    example: &'v Value,
) -> Result<Vec<(usize, String, &'v Value)>, String> {
    let body = &example["response_body"];
    if !body.is_object() {
        return Err("no JSON object in the body".into());
    }
    let method = example["method"].as_str().unwrap_or_default();
    let url = example["url"].as_str().unwrap_or_default();
    let addressed = addressed(schema, url);
    // Annotations aside, the body's members.
    let members: Vec<&String> =
        body.as_object().map_or(Vec::new(), |o| o.keys().filter(|k| !k.contains('@')).collect());
    let items: Vec<&Value> = match (&addressed, body.get("value")) {
        // A collection's page, or a function's (`delta`) that the path cannot tell from a key.
        (_, Some(Value::Array(items))) if members.len() == 1 => items.iter().collect(),
        // Intune's pages write one entity wrapped in `value`, which Graph does not.
        (Ok((_, false)), Some(wrapped @ Value::Object(_)))
            if members.len() == 1 && method == "GET" =>
        {
            vec![wrapped]
        }
        // A create's answer, or a page the documentation shows as one of its entities.
        (Ok((_, true)), _) => vec![body],
        // A POST to one entity is an action.
        (Ok((_, false)), _) if method == "POST" => return Err("an action's result".into()),
        (Ok((_, false)), _) | (Err(_), _) => vec![body],
    };
    let mut entities = Vec::new();
    for (index, item) in items.into_iter().enumerate() {
        let named = item.get("@odata.type").and_then(Value::as_str);
        let graph = match (named, &addressed) {
            (Some(named), _) => named.trim_start_matches('#').to_owned(),
            (None, Ok((ty, _))) => ty.clone(),
            (None, Err(why)) => return Err(why.clone()),
        };
        if item.is_object() && schema.get(&graph).is_some_and(|t| t.kind == TypeKind::Entity) {
            entities.push((index, graph, item));
        } else if named.is_none() {
            return Err("values that are not entities (a function's or an action's result)".into());
        }
    }
    Ok(entities)
}

/// The entity type a request's URL addresses and whether it is a collection: its path read
/// segment by segment, a segment after a collection that is neither a navigation nor a type
/// cast taken as a key (`users/{id}`, or `users('{id}')`).
fn addressed(schema: &Schema, url: &str) -> Result<(String, bool), String> {
    let path = url.split(['?', '#']).next().unwrap_or_default();
    let path = path.split_once("/v1.0/").map_or(path, |(_, p)| p);
    let mut template = String::new();
    for segment in path.split('/').filter(|s| !s.is_empty()) {
        let (name, key) = match segment.split_once('(') {
            // `users('{id}')`, not `getReport(period='D7')` or `delta()`.
            Some((name, rest)) if rest.len() > 1 && !rest.contains('=') => (name, true),
            Some(_) => return Err("a function".into()),
            None => (segment, false),
        };
        if name.starts_with('$') {
            return Err("`$value`, `$ref`, `$count` or another system segment".into());
        }
        let next = format!("{template}/{name}");
        if schema.resolve(&next).is_ok() {
            template = next;
            if key {
                template.push_str("/{key}");
            }
        } else if !template.is_empty()
            && schema.resolve(&template).is_ok_and(|r| r.collection)
            && !key
        {
            template.push_str("/{key}");
        } else {
            return Err(if template.is_empty() {
                "a path the metadata does not have".to_owned()
            } else {
                "an action, a function or a path the metadata does not have".to_owned()
            });
        }
    }
    let resolved = schema.resolve(&template).map_err(|e| e.to_string())?;
    Ok((resolved.ty, resolved.collection))
}

/// Why no declaration holds the type.
fn undeclared(schema: &Schema, graph: &str) -> String {
    match schema.get(graph) {
        Some(ty) if ty.is_abstract => format!(
            "documentation-error an instance of the abstract `{graph}`: Graph sends one of its derived types"
        ),
        Some(_) => format!(
            "not-declared no collection holds `{graph}` (a singleton or a single-valued navigation): `#[graph_entity]` declares entities at a collection's path, and the generator none of this type"
        ),
        None => format!("documentation-older `{graph}` is not a type of the current metadata"),
    }
}

/// `value` without instance annotations and `null` members, its numbers as `f64`.
fn comparable(value: &Value) -> Value {
    match value {
        Value::Object(object) => Value::Object(
            object
                .iter()
                .filter(|(k, v)| !k.contains('@') && !v.is_null())
                .map(|(k, v)| (k.clone(), comparable(v)))
                .collect::<Map<_, _>>(),
        ),
        Value::Array(items) => Value::Array(items.iter().map(comparable).collect()),
        Value::Number(n) => n.as_f64().map_or_else(|| value.clone(), |f| json!(f)),
        other => other.clone(),
    }
}

/// The first member that differs, by its JSON path, with a likely category.
fn difference(schema: &Schema, graph: &str, item: &Value, expected: &Value, got: &Value) -> String {
    fn walk(path: &str, expected: &Value, got: &Value) -> Option<String> {
        match (expected, got) {
            (Value::Object(e), Value::Object(g)) => {
                for (k, v) in e {
                    match g.get(k) {
                        None => return Some(format!("{path}/{k}: not written back")),
                        Some(w) => {
                            if let Some(d) = walk(&format!("{path}/{k}"), v, w) {
                                return Some(d);
                            }
                        }
                    }
                }
                g.keys()
                    .find(|k| !e.contains_key(*k))
                    .map(|k| format!("{path}/{k}: written, not read"))
            }
            (Value::Array(e), Value::Array(g)) if e.len() == g.len() => e
                .iter()
                .zip(g)
                .enumerate()
                .find_map(|(i, (a, b))| walk(&format!("{path}/{i}"), a, b)),
            _ if expected == got => None,
            _ => Some(format!("{path}: {expected} read, {got} written")),
        }
    }
    if item.get("__unparsed__").is_some() {
        return "documentation-error the body is not JSON as printed (elided with `...`, or commented)".into();
    }
    let found = walk("", expected, got).unwrap_or_default();
    // A member the declaration does not hold: a navigation, a stream, or a name the type (at
    // that depth, by the value's `@odata.type` where it names one) does not have.
    if let Some(path) = found.strip_suffix(": not written back") {
        let segments: Vec<&str> = path.split('/').filter(|s| !s.is_empty()).collect();
        if let Some((name, owner)) = segments.split_last().and_then(|(name, parents)| {
            owner_at(schema, graph, item, parents).map(|owner| (*name, owner))
        }) {
            if segments.len() == 1 && schema.navigation(&owner, name).is_some() {
                return format!(
                    "not-declared the response holds the navigation `{name}` (expanded), which is not part of an entity's own JSON"
                );
            }
            match schema.property(&owner, name) {
                Some(p) if p.ty.name == "Edm.Stream" => {
                    return format!(
                        "not-declared `{name}` is a stream (`Edm.Stream`), read and written with requests of its own, not part of the JSON"
                    );
                }
                Some(_) => {}
                None => {
                    let other_case = schema
                        .properties(&owner)
                        .into_iter()
                        .find(|p| p.name.eq_ignore_ascii_case(name));
                    return match other_case {
                        Some(p) => format!(
                            "case-differs `{}` in another case than the metadata's `{}`: OData's names are case-sensitive, and whether Graph's services write the other case no published source states",
                            &path[1..],
                            p.name
                        ),
                        None => format!(
                            "documentation-older `{}` is not a property of `{owner}` in the current metadata",
                            &path[1..]
                        ),
                    };
                }
            }
        }
    }
    format!("? {graph} {found}")
}

/// The type holding the member at `parents` (JSON names and indices) below a `graph` value.
fn owner_at(schema: &Schema, graph: &str, value: &Value, parents: &[&str]) -> Option<String> {
    let mut ty = graph.to_owned();
    let mut value = value;
    for segment in parents {
        if let Ok(index) = segment.parse::<usize>() {
            value = value.get(index)?;
            continue;
        }
        value = value.get(*segment)?;
        ty = schema.property(&ty, segment)?.ty.name.clone();
        // A derived value names its type.
        let item = if value.is_array() { value.get(0) } else { Some(value) };
        if let Some(named) = item.and_then(|v| v.get("@odata.type")).and_then(Value::as_str) {
            ty = named.trim_start_matches('#').to_owned();
        }
    }
    // The last parent's own derived type, when the value names it.
    Some(ty)
}
