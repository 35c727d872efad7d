//! Microsoft's documentation as the oracle: every documented write of the v1.0 API reference
//! (`docs-examples/`, see its README) is sent to the emulator as printed, after the entities its
//! path goes through are created, and must get the documented status class: each create (a
//! `POST` its page answers with `201 Created`), update (`PATCH`), replacement (`PUT`) and
//! delete (`DELETE`), and each action (a `POST` to an action of the metadata), which must
//! succeed; a `POST` documented with `200`, `202` or `204` (an action, a reference, an
//! asynchronous create) must succeed too. Each one that does not is listed in `docs-examples/disagreements.txt`
//! with its category and reason; the test fails on a disagreement not listed there, and on a
//! listed one that no longer disagrees. Nothing is skipped in silence.
//!
//! The entities a path goes through (and the one an update or a delete addresses) are created
//! generically: with the collection's own documented creates, the first the emulator accepts
//! (one of the type the request names first), else with a minimal body built from the metadata
//! (the concrete type, every non-nullable property with a plain value).
//!
//! `DOCS_EXAMPLES_PRINT=1 cargo test -p graph-emulator --test docs_examples -- --nocapture`
//! prints every outcome.
#![allow(clippy::unwrap_used)]

mod common;

use std::collections::{BTreeMap, HashMap};
use std::fmt::Write as _;

use common::Api;
use graph_emulator::{Emulator, RunningEmulator};
use graph_entity_schema::Schema;
use graph_entity_schema::{TypeKind, TypeRef};
use serde_json::{Map, Value, json};

const EXAMPLES: &str = include_str!("docs-examples/v1.0-examples.jsonl");
const DISAGREEMENTS: &str = include_str!("docs-examples/disagreements.txt");
const ROOT: &str = "https://graph.microsoft.com/v1.0";

/// One documented example, as the corpus has it.
struct Example {
    page: String,
    example: u64,
    method: String,
    url: String,
    body: Value,
    /// Whether the documented request sends `If-Match` (its value is the page's sample).
    if_match: bool,
    /// The status the page documents.
    status: u64,
    /// An action: a `POST` to an action of the metadata, or one documented with another status
    /// than `201` to a path the metadata does not have.
    action: bool,
}

impl Example {
    fn id(&self) -> String {
        format!("{} {}", self.page, self.example)
    }

    fn intune(&self) -> bool {
        self.page.starts_with("intune-")
    }

    /// What the counts call it: its method, or `action`.
    fn kind(&self) -> &str {
        if self.action { "action" } else { &self.method }
    }
}

/// The documented writes: creates, updates, replacements, deletes and actions.
fn writes() -> Vec<Example> {
    EXAMPLES
        .lines()
        .map(|line| serde_json::from_str::<Value>(line).unwrap())
        .filter(|e| match e["method"].as_str().unwrap() {
            "POST" => [200, 201, 202, 204].contains(&e["status"].as_u64().unwrap_or_default()),
            "PATCH" | "PUT" | "DELETE" => true,
            _ => false,
        })
        .map(|e| Example {
            page: e["page"].as_str().unwrap().to_owned(),
            example: e["example"].as_u64().unwrap(),
            method: e["method"].as_str().unwrap().to_owned(),
            url: e["url"].as_str().unwrap().to_owned(),
            body: body_of(&e["request_body"]),
            if_match: e["request_headers"]
                .as_array()
                .unwrap()
                .iter()
                .any(|h| h.as_str().unwrap().to_ascii_lowercase().starts_with("if-match")),
            status: e["status"].as_u64().unwrap_or_default(),
            action: false,
        })
        .map(|mut example| {
            let schema = Schema::v1();
            let operation = path_of(&example.url)
                .and_then(|path| segments(schema, path))
                .map(|segments| schema.resolve_operation(&template(&segments)).is_ok());
            example.action = example.method == "POST" && operation.unwrap_or(example.status != 201);
            example
        })
        .collect()
}

/// A request's body as the corpus has it; when the page printed the request's headers in the
/// body's block (`Content-type: …`, a blank line, then the JSON, as Intune's action pages do),
/// the JSON after them.
fn body_of(body: &Value) -> Value {
    let Some(text) = body.get("__unparsed__").and_then(Value::as_str) else { return body.clone() };
    let after_headers = text.split_once("\n\n").filter(|(head, _)| {
        head.lines().all(|line| line.split_once(':').is_some_and(|(name, _)| !name.contains(' ')))
    });
    after_headers
        .and_then(|(_, json)| serde_json::from_str(json).ok())
        .unwrap_or_else(|| body.clone())
}

/// A segment of a path: a name of the metadata, or a key (a `{placeholder}` or a sample id).
#[derive(Debug, Clone)]
enum Segment {
    Name(String),
    Key,
}

/// The path of a documented URL (`/deviceAppManagement/mobileApps`), or why it is not one of
/// v1.0.
fn path_of(url: &str) -> Result<&str, String> {
    let path = url.strip_prefix(ROOT).or_else(|| url.starts_with('/').then_some(url));
    let path = path.ok_or_else(|| format!("the URL is not of Graph v1.0: {url}"))?;
    Ok(path.split('?').next().unwrap_or(path))
}

/// The segments of a path, each a name or a key, by resolving it against the metadata: a
/// segment that is not a name where a collection was addressed is its key.
fn segments(schema: &Schema, path: &str) -> Result<Vec<Segment>, String> {
    let mut template = String::new();
    let mut out = Vec::new();
    // A trailing `/` is no segment.
    for segment in path.trim_start_matches('/').split('/').filter(|s| !s.is_empty()) {
        if segment.starts_with('$') {
            // `$ref`, `$entity`: sent as written, the emulator says what it makes of them.
            template = format!("{template}/{segment}");
            out.push(Segment::Name(segment.to_owned()));
            continue;
        }
        let is_placeholder = segment.starts_with('{') && segment.ends_with('}');
        let named = format!("{template}/{segment}");
        // A name of the metadata: a navigation, or an action or function bound there.
        let name = schema.resolve(&named).is_ok() || schema.resolve_operation(&named).is_ok();
        if !is_placeholder && name {
            template = named;
            out.push(Segment::Name(segment.to_owned()));
            continue;
        }
        let collection = schema.resolve(&template).is_ok_and(|r| r.collection);
        if !(is_placeholder || collection) {
            let problem = schema.resolve(&named).unwrap_err();
            return Err(format!("the path does not resolve in the v1.0 metadata: {problem}"));
        }
        template.push_str("/{key}");
        out.push(Segment::Key);
    }
    Ok(out)
}

/// A path's template: its keys as `{key}`.
fn template(segments: &[Segment]) -> String {
    segments.iter().fold(String::new(), |mut out, s| {
        match s {
            Segment::Name(name) => write!(out, "/{name}").unwrap(),
            Segment::Key => out.push_str("/{key}"),
        }
        out
    })
}

/// A plain value of a type, for a minimal body; `None` when there is nothing plain to give.
fn plain(schema: &Schema, ty: &TypeRef, depth: usize) -> Option<Value> {
    if ty.collection {
        return Some(json!([]));
    }
    let value = match ty.name.as_str() {
        "Edm.String" => json!("x"),
        "Edm.Boolean" => json!(false),
        "Edm.Byte" | "Edm.SByte" | "Edm.Int16" | "Edm.Int32" | "Edm.Int64" => json!(0),
        "Edm.Single" | "Edm.Double" | "Edm.Decimal" => json!(0.0),
        "Edm.DateTimeOffset" => json!("2024-01-01T00:00:00Z"),
        "Edm.Date" => json!("2024-01-01"),
        "Edm.TimeOfDay" => json!("00:00:00"),
        "Edm.Duration" => json!("PT0S"),
        "Edm.Guid" => json!("00000000-0000-0000-0000-000000000000"),
        "Edm.Binary" => json!(""),
        name => {
            let def = schema.get(name)?;
            match def.kind {
                TypeKind::Enum => json!(def.members.first()?.name),
                TypeKind::Complex if depth < 4 => minimal(schema, &def.name, depth + 1)?,
                _ => return None,
            }
        }
    };
    Some(value)
}

/// A minimal body of type `ty` (or its first concrete type): every non-nullable property
/// that is not computed or the key.
fn minimal(schema: &Schema, ty: &str, depth: usize) -> Option<Value> {
    let concrete = schema.concrete(ty).into_iter().next()?;
    let mut body = Map::new();
    body.insert("@odata.type".into(), json!(format!("#{}", concrete.name)));
    for property in schema.properties(&concrete.name) {
        if property.nullable || property.computed || property.name == "id" {
            continue;
        }
        body.insert(property.name.clone(), plain(schema, &property.ty, depth)?);
    }
    Some(Value::Object(body))
}

/// Creates what the path goes through and returns the path with real keys.
struct Parents<'a> {
    schema: &'a Schema,
    api: &'a Api,
    /// The documented creates of each collection template, in the corpus' order.
    documented: &'a HashMap<String, Vec<Value>>,
}

impl Parents<'_> {
    /// `prefer`: the `@odata.type` the request's body names, for the entity it addresses.
    async fn materialize(
        &self,
        segments: &[Segment],
        prefer: Option<&str>,
    ) -> Result<String, String> {
        let mut path = String::new();
        for (index, segment) in segments.iter().enumerate() {
            match segment {
                Segment::Name(name) => write!(path, "/{name}").unwrap(),
                Segment::Key => {
                    let last = index + 1 == segments.len();
                    let prefer = if last { prefer } else { None };
                    let key = self.create_in(&path, &segments[..index], prefer).await?;
                    write!(path, "/{key}").unwrap();
                }
            }
        }
        Ok(path)
    }

    /// Creates an entity in the collection at `path` (of template `segments`), its key: with
    /// the first of the collection's documented bodies the emulator accepts (those of type
    /// `prefer` first), else a minimal one.
    async fn create_in(
        &self,
        path: &str,
        segments: &[Segment],
        prefer: Option<&str>,
    ) -> Result<String, String> {
        let template = template(segments);
        let mut bodies = match segments.last() {
            Some(Segment::Name(name)) if name == "users" => vec![common::user("parent")],
            Some(Segment::Name(name)) if name == "groups" => vec![common::group("parent")],
            _ => self.documented.get(&template).cloned().unwrap_or_default(),
        };
        let named = |body: &Value| {
            body["@odata.type"].as_str().map(|t| t.trim_start_matches('#').to_owned())
        };
        let ty = self.schema.resolve(&template).map_err(|e| e.to_string())?.ty;
        if let Some(prefer) = prefer.filter(|p| self.schema.is_derived_from(p, &ty)) {
            // The documented bodies of that type, then a minimal one of it, then the others.
            let (mut of_type, others): (Vec<Value>, Vec<Value>) =
                bodies.into_iter().partition(|body| named(body).as_deref() == Some(prefer));
            of_type.extend(minimal(self.schema, prefer, 0));
            of_type.extend(others);
            bodies = of_type;
        }
        bodies.extend(minimal(self.schema, &ty, 0));
        let mut refused = format!("no body to create a `{ty}` with");
        for body in bodies {
            let reply = self.api.post(path, body).await;
            if reply.status == 201 {
                return Ok(reply.json()["id"].as_str().unwrap_or_default().to_owned());
            }
            refused = format!("{} {}", reply.status, first_line(&reply.text));
        }
        Err(format!("the entity at {template} could not be created: {refused}"))
    }
}

/// What an answer says: its Graph error's first detail or message, else its first 300 characters.
fn first_line(text: &str) -> String {
    let said = serde_json::from_str::<Value>(text).ok().and_then(|v| {
        let error = &v["error"];
        let detail = error["details"][0]["message"].as_str();
        detail.or(error["message"].as_str()).map(str::to_owned)
    });
    said.unwrap_or_else(|| text.chars().take(300).collect())
}

/// Sends one documented write; `Ok` when it was answered with a status of the documented class
/// (`201` for a create, any success for the others), else what happened.
async fn run(
    schema: &Schema,
    documented: &HashMap<String, Vec<Value>>,
    example: &Example,
) -> Result<(), String> {
    // An action may take no body (`syncDevice`); the others' bodies must be JSON objects.
    let has_body = example.method != "DELETE" && !(example.action && example.body.is_null());
    if has_body && (example.body.get("__unparsed__").is_some() || !example.body.is_object()) {
        return Err("the documented body is not JSON as printed".into());
    }
    let path = path_of(&example.url)?;
    let segments = segments(schema, path)?;
    let emulator = start().await;
    // Every permission: what this suite checks is the requests, not the grants; a request
    // Microsoft's reference lists for delegated permissions only goes with a user's token.
    let api = Api::new(&emulator, &graph_emulator::application_permissions())
        .or_delegated(&emulator, &delegated_permissions());
    let parents = Parents { schema, api: &api, documented };
    let prefer = example.body["@odata.type"].as_str().map(|t| t.trim_start_matches('#'));
    let path = parents.materialize(&segments, prefer).await?;
    let method = reqwest::Method::from_bytes(example.method.as_bytes()).unwrap();
    let body = has_body.then(|| example.body.clone());
    // The documented `If-Match` carries the page's sample ETag: send the entity's own, as a
    // client that read it first does.
    let etag = if example.if_match {
        let read = api.get(&path).await;
        read.json()["@odata.etag"].as_str().unwrap_or("*").to_owned()
    } else {
        String::new()
    };
    let headers: &[(&str, &str)] = if example.if_match { &[("If-Match", &etag)] } else { &[] };
    let reply = api.send(method, &path, body, headers).await;
    // A create documented `201` must be answered `201`; every other write a success.
    let create = example.method == "POST" && example.status == 201;
    let expected = if create { reply.status == 201 } else { reply.status < 300 };
    if expected && reply.status >= 200 {
        return Ok(());
    }
    Err(format!("{} {}", reply.status, first_line(&reply.text)))
}

/// Every delegated permission (work or school account) of Microsoft's reference.
fn delegated_permissions() -> Vec<&'static str> {
    use graph_entity_schema::permissions::{Permissions, Scheme};
    Permissions::get().names(Scheme::DelegatedWork)
}

async fn start() -> RunningEmulator {
    Emulator::builder().start().await.unwrap()
}

/// A listed disagreement: its category and reason.
struct Listed {
    category: String,
    reason: String,
}

/// `page example category reason…` lines; `#` starts a comment.
fn listed() -> BTreeMap<String, Listed> {
    let mut out = BTreeMap::new();
    for line in DISAGREEMENTS.lines().map(str::trim) {
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        let mut words = line.splitn(4, ' ');
        let (page, example, category, reason) =
            (words.next(), words.next(), words.next(), words.next());
        let (Some(page), Some(example), Some(category), Some(reason)) =
            (page, example, category, reason)
        else {
            panic!("a disagreement needs a page, an example, a category and a reason: {line}");
        };
        assert!(CATEGORIES.contains(&category), "unknown category `{category}`: {line}");
        let entry = Listed { category: category.to_owned(), reason: reason.trim().to_owned() };
        assert!(!entry.reason.is_empty(), "a disagreement needs a reason: {line}");
        let previous = out.insert(format!("{page} {example}"), entry);
        assert!(previous.is_none(), "listed twice: {line}");
    }
    out
}

/// The reasons a documented create may be refused, each a reviewer can check.
const CATEGORIES: &[&str] = &[
    // The documentation (2021) is older than the metadata: a property or type removed or
    // renamed since.
    "documentation-older",
    // The documented request is wrong by the metadata of its own time or is mispaired (a
    // property of another type, a value of the wrong type, a response paired with another
    // request).
    "documentation-error",
    // A name of the metadata written in another case (`HTML` for `html`): OData's names are
    // case-sensitive, the emulator holds to the metadata's; that Graph's services accept the
    // other case, no published source states.
    "case-differs",
    // A `/me` request: it needs a delegated (user) token, which the emulator does not issue.
    "delegated-only",
    // What the emulator does not serve yet, with the issue that will.
    "not-served",
];

#[tokio::test]
async fn every_documented_write_is_accepted_or_listed() {
    let schema = Schema::v1();
    let examples = writes();
    let mut documented: HashMap<String, Vec<Value>> = HashMap::new();
    for example in examples.iter().filter(|e| e.method == "POST") {
        let Ok(path) = path_of(&example.url) else { continue };
        let Ok(segments) = segments(schema, path) else { continue };
        if example.body.is_object() && example.body.get("__unparsed__").is_none() {
            documented.entry(template(&segments)).or_default().push(example.body.clone());
        }
    }
    let listed = listed();
    let print = std::env::var_os("DOCS_EXAMPLES_PRINT").is_some();
    let mut unlisted = Vec::new();
    let mut stale = Vec::new();
    // (Intune, method, category) → count; category "accepted" for the ones answered as documented.
    let mut counts: BTreeMap<(bool, &str, &str), usize> = BTreeMap::new();
    for example in &examples {
        let outcome = run(schema, &documented, example).await;
        let id = example.id();
        if print {
            println!("{id}: {outcome:?}");
        }
        match (&outcome, listed.get(&id)) {
            (Ok(()), None) => {
                *counts.entry((example.intune(), example.kind(), "accepted")).or_default() += 1;
            }
            (Ok(()), Some(_)) => stale.push(id),
            (Err(_), Some(entry)) => {
                *counts.entry((example.intune(), example.kind(), &entry.category)).or_default() +=
                    1;
            }
            (Err(why), None) => unlisted.push(format!("{id} unreviewed {why}")),
        }
    }
    let unknown: Vec<&String> =
        listed.keys().filter(|id| !examples.iter().any(|e| &e.id() == *id)).collect();
    println!("documented writes: {}", examples.len());
    for ((intune, method, category), count) in &counts {
        let area = if *intune { "Intune" } else { "the rest" };
        println!("{area:8} {method:6} {category:19} {count:4}");
    }
    assert!(unknown.is_empty(), "listed but not a documented write: {unknown:?}");
    assert!(
        unlisted.is_empty(),
        "{} documented writes refused and not listed in docs-examples/disagreements.txt:\n{}",
        unlisted.len(),
        unlisted.join("\n")
    );
    assert!(stale.is_empty(), "listed as disagreeing but accepted now: {stale:?}");
}
