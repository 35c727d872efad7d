//! Validation of request bodies against Microsoft's metadata, read by `graph-entity-schema`
//! (v1.0's of the three clouds, beta's as reconstructed, or an excerpt of a document).
//!
//! Written independently of the `graph-entity` macros: the emulator checks what the client
//! sends against Microsoft's metadata, not against the client's idea of it.

use graph_entity_schema::{
    Clouds, Inferred, OperationDef, PropertyDef, Schema, TypeDef, TypeKind, TypeRef,
};
use serde_json::{Map, Value};

use crate::edm;

/// One problem found in a request body.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    /// A short code for the kind of problem.
    pub code: &'static str,
    /// The property it concerns, as a JSON path (empty for the whole body).
    pub target: String,
    /// The message, in the style of Graph's OData errors.
    pub message: String,
}

/// What a body is checked as: the body of a create or of an update, against full metadata or an
/// excerpt of it.
///
/// - A create (`POST`, [`Validation::create`]): `@odata.type` may name the type or a type derived
///   from it, and must for an abstract type; the body is then checked against that type. Every
///   property must be declared (unless the type is open), of its type (primitives, enum members,
///   complex values, collections, recursively), and not `null` unless nullable (a collection
///   never is); every non-nullable property but the collections must be present, except the key
///   and the server-assigned ones (computed by the service, such as `createdDateTime`).
/// - An update (`PATCH`, [`Validation::update`]) of an entity of the type as stored: only the
///   properties given, each declared (unless the type is open), of its type, and `null` only if
///   nullable. A computed property may be given (it is checked like the others) and the update
///   ignores it, as OData requires of non-updatable properties (Part 1, 11.4.3 Update an
///   Entity: "the service MUST ignore that value"). `@odata.type` may name the type or one of
///   its base types.
/// - Against an excerpt of a metadata document ([`Validation::in_excerpt`]): a
///   type the excerpt does not have is taken on trust; a derived `@odata.type` of a create that
///   it lacks is checked as its base type, without refusing the properties only the derived type
///   would declare.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Validation<'a> {
    /// The server-assigned properties of a create; `None` for an update.
    create: Option<&'a [&'a str]>,
    excerpt: bool,
}

impl<'a> Validation<'a> {
    /// The body of a create, whose `server_assigned` properties need not be sent.
    pub fn create(server_assigned: &'a [&'a str]) -> Self {
        Self { create: Some(server_assigned), excerpt: false }
    }

    /// The body of an update.
    pub fn update() -> Self {
        Self { create: None, excerpt: false }
    }

    /// Against an excerpt of a metadata document rather than the whole of it.
    pub fn in_excerpt(self) -> Self {
        Self { excerpt: true, ..self }
    }
}

/// Checks a request body for an entity of type `name` (qualified, or without the
/// `microsoft.graph.` namespace) as `validation` says: every problem at once, none for a body
/// that passes.
pub fn validate(
    schema: &Schema,
    name: &str,
    body: &Value,
    validation: Validation<'_>,
) -> Vec<Problem> {
    let checker = Checker { schema, excerpt: validation.excerpt, problems: Vec::new() };
    match validation.create {
        Some(server_assigned) => checker.create(name, body, server_assigned),
        None => checker.update(name, body),
    }
}

/// Checks the body of an action's `POST` against its parameters: an object whose every member
/// is a parameter, of its type (as properties are checked, in depth), `null` only where the
/// parameter is nullable; every parameter neither nullable nor optional is present (a
/// collection too: OData requires the parameters not annotated optional). Every problem at once.
pub fn validate_parameters(
    schema: &Schema,
    operation: &OperationDef,
    body: &Value,
) -> Vec<Problem> {
    let mut checker = Checker { schema, excerpt: false, problems: Vec::new() };
    let empty = Map::new();
    let object = match body {
        Value::Object(object) => object,
        // No body: no parameters given.
        Value::Null => &empty,
        _ => {
            let message = "The request body must be a JSON object of the action's parameters.";
            return vec![problem("InvalidBody", "", message.to_owned())];
        }
    };
    let short = operation.short_name();
    for (name, value) in object {
        if name.contains('@') {
            continue;
        }
        match operation.parameters.iter().find(|p| &p.name == name) {
            Some(parameter) => checker.value(&parameter.as_property(), value, name),
            None => checker.problems.push(problem(
                "InvalidParameter",
                name,
                format!("The parameter '{name}' in the request payload is not a valid parameter for the operation '{short}'."),
            )),
        }
    }
    for parameter in operation.required(Clouds::GLOBAL) {
        if !object.contains_key(&parameter.name) {
            checker.problems.push(problem(
                "MissingParameter",
                &parameter.name,
                format!(
                    "The parameter '{}' of the operation '{short}' is required and was not found in the request payload.",
                    parameter.name
                ),
            ));
        }
    }
    checker.problems
}

/// The entity type `name` (qualified or not) and the body's object, or the one problem that
/// stops the check (an unknown type, a body that is not an object).
fn entity_and_object<'s, 'b>(
    schema: &'s Schema,
    name: &str,
    body: &'b Value,
) -> Result<(&'s TypeDef, &'b Map<String, Value>), Vec<Problem>> {
    let qualified = qualify(name);
    let Some(ty) = schema.get(&qualified).filter(|t| t.kind == TypeKind::Entity) else {
        let message = format!("The type '{qualified}' is not in the model.");
        return Err(vec![problem("UnknownType", "", message)]);
    };
    let Some(object) = body.as_object() else {
        let message = "The request body must be a JSON object.".to_owned();
        return Err(vec![problem("InvalidBody", "", message)]);
    };
    Ok((ty, object))
}

/// `managedDeviceMobileAppConfiguration` → `microsoft.graph.managedDeviceMobileAppConfiguration`.
fn qualify(name: &str) -> String {
    if name.contains('.') { name.to_owned() } else { format!("microsoft.graph.{name}") }
}

/// A walk of a body against the schema, and the problems it found.
struct Checker<'s> {
    schema: &'s Schema,
    excerpt: bool,
    problems: Vec<Problem>,
}

impl<'s> Checker<'s> {
    /// The problems of a create's body.
    fn create(mut self, name: &str, body: &Value, server_assigned: &[&str]) -> Vec<Problem> {
        let schema = self.schema;
        let (declared, object) = match entity_and_object(schema, name, body) {
            Ok(found) => found,
            Err(problems) => return problems,
        };
        let Some((ty, open)) = self.instance_type(declared, object, "") else {
            return self.problems;
        };
        self.object(ty, open, object, "");
        let key: Vec<&str> = schema
            .ancestry(&ty.name)
            .find(|t| !t.key.is_empty())
            .map(|t| t.key.iter().map(String::as_str).collect())
            .unwrap_or_default();
        for property in schema.properties(&ty.name) {
            let assigned = key.contains(&property.name.as_str())
                || server_assigned.contains(&property.name.as_str());
            // A collection left out is empty, never missing.
            let required = !property.nullable && !property.ty.collection;
            if required && !assigned && !object.contains_key(&property.name) {
                self.problems.push(problem(
                    "MissingProperty",
                    &property.name,
                    format!(
                        "The property '{}' is required and was not found in the request.",
                        property.name
                    ),
                ));
            }
        }
        self.problems
    }

    /// The problems of an update's body.
    fn update(mut self, name: &str, body: &Value) -> Vec<Problem> {
        let schema = self.schema;
        // An excerpt takes the types it lacks on trust.
        let (ty, object) = match entity_and_object(schema, name, body) {
            Ok(found) => found,
            Err(problems) if self.excerpt && problems[0].code == "UnknownType" => {
                return Vec::new();
            }
            Err(problems) => return problems,
        };
        match object.get("@odata.type") {
            None => {}
            Some(Value::String(written)) => {
                let named = schema.get(edm::type_name(written));
                let fits = named.is_some_and(|t| schema.is_derived_from(&ty.name, &t.name));
                if !fits {
                    self.problems.push(problem(
                        "InvalidType",
                        "@odata.type",
                        format!(
                            "'{}' is not the type of the entity ('#{}') or one of its base types.",
                            display(&Value::String(written.clone())),
                            ty.name
                        ),
                    ));
                }
            }
            Some(other) => self.problems.push(problem(
                "InvalidType",
                "@odata.type",
                format!("'@odata.type' must be a string, not '{}'.", display(other)),
            )),
        }
        // Computed properties are checked like the others and then ignored by the update
        // (`write::update`): OData's rule, not a refusal.
        self.object(ty, ty.open, object, "");
        self.problems.sort_by(|a, b| a.target.cmp(&b.target));
        self.problems
    }

    /// The type of the instance: `@odata.type` when it names `declared` or a type derived from it,
    /// else `declared`; an abstract type needs a derived `@odata.type`.
    /// The second value says whether undeclared properties are to be accepted (an open type, or a
    /// derived type an excerpt does not have).
    fn instance_type(
        &mut self,
        declared: &'s TypeDef,
        object: &Map<String, Value>,
        path: &str,
    ) -> Option<(&'s TypeDef, bool)> {
        let schema = self.schema;
        let target = join(path, "@odata.type");
        match object.get("@odata.type") {
            None if declared.is_abstract => {
                self.problems.push(problem(
                    "MissingType",
                    &target,
                    format!(
                        "'{}' is abstract: '@odata.type' must name the derived type to create.",
                        declared.name
                    ),
                ));
                None
            }
            None => Some((declared, declared.open)),
            Some(Value::String(written)) => {
                let named = schema.get(edm::type_name(written));
                match named {
                    Some(ty)
                        if schema.is_derived_from(&ty.name, &declared.name) && !ty.is_abstract =>
                    {
                        Some((ty, ty.open))
                    }
                    None if self.excerpt
                        && edm::type_name(written).starts_with("microsoft.graph.") =>
                    {
                        Some((declared, true))
                    }
                    Some(ty)
                        if ty.is_abstract && schema.is_derived_from(&ty.name, &declared.name) =>
                    {
                        self.problems.push(problem(
                            "InvalidType",
                            &target,
                            format!(
                                "'{}' is abstract and cannot be created; name a derived type.",
                                ty.name
                            ),
                        ));
                        None
                    }
                    _ => {
                        self.problems.push(problem(
                            "InvalidType",
                            &target,
                            format!(
                                "A type named '{}' could not be resolved by the model here; expected '#{}' or a type derived from it.",
                                display(&Value::String(written.clone())),
                                declared.name
                            ),
                        ));
                        // Go on with the declared type, to report every problem at once.
                        (!declared.is_abstract).then_some((declared, declared.open))
                    }
                }
            }
            Some(other) => {
                self.problems.push(problem(
                    "InvalidType",
                    &target,
                    format!("'@odata.type' must be a string, not '{}'.", display(other)),
                ));
                (!declared.is_abstract).then_some((declared, declared.open))
            }
        }
    }

    /// Checks every member of `object` against the properties of `ty`.
    fn object(&mut self, ty: &TypeDef, open: bool, object: &Map<String, Value>, path: &str) {
        let schema = self.schema;
        let properties = schema.properties(&ty.name);
        for (name, value) in object {
            if name.contains('@') {
                // Instance annotations (`@odata.type` is checked apart, `…@odata.bind` links).
                continue;
            }
            let target = join(path, name);
            match properties.iter().find(|p| &p.name == name) {
                Some(property) => self.value(property, value, &target),
                // Navigation properties (deep insert) and open types' dynamic properties.
                None if open || schema.navigation(&ty.name, name).is_some() => {}
                None => self.problems.push(problem(
                    "InvalidProperty",
                    &target,
                    format!(
                        "The property '{name}' does not exist on type '{}'. Make sure to only use property names that are defined by the type.",
                        ty.name
                    ),
                )),
            }
        }
    }

    fn value(&mut self, property: &PropertyDef, value: &Value, path: &str) {
        if value.is_null() {
            if !property.nullable {
                let ty = property.ty.to_string();
                self.problems.push(problem(
                    "NullValue",
                    path,
                    format!(
                        "A null value was found for the property named '{}', which has the expected type '{ty}[Nullable=False]'. The expected type '{ty}[Nullable=False]' does not allow null values.",
                        property.name
                    ),
                ));
            }
            return;
        }
        // Where the (beta) metadata only infers an integer's width, any integer Graph could
        // mean is taken.
        let widened;
        let ty = if property.ty.name == "Edm.Int32" && property.inferred.contains(Inferred::WIDTH) {
            widened = TypeRef { name: "Edm.Int64".to_owned(), collection: property.ty.collection };
            &widened
        } else {
            &property.ty
        };
        if ty.collection {
            let Some(items) = value.as_array() else {
                self.problems.push(problem("InvalidValue", path, literal(value, ty)));
                return;
            };
            for (i, item) in items.iter().enumerate() {
                self.element(ty, item, &format!("{path}[{i}]"));
            }
        } else {
            self.element(ty, value, path);
        }
    }

    /// Checks one value of the element type of `ty` (collections were taken apart).
    fn element(&mut self, ty: &TypeRef, value: &Value, path: &str) {
        let schema = self.schema;
        let mismatch = || problem("InvalidValue", path, literal(value, ty));
        if ty.is_primitive() {
            if !primitive_fits(&ty.name, value) {
                self.problems.push(mismatch());
            }
            return;
        }
        let Some(def) = schema.get(&ty.name) else { return };
        // A complex type without properties that stands for any JSON (a workbook range's
        // `values` are arrays of arrays).
        if def.name == graph_entity_schema::ANY_JSON {
            return;
        }
        match def.kind {
            TypeKind::Enum => {
                let Some(text) = value.as_str() else { return self.problems.push(mismatch()) };
                // A flags enum takes a comma-separated list of members.
                let names: Vec<&str> =
                    if def.flags { text.split(',').map(str::trim).collect() } else { vec![text] };
                if let Some(unknown) =
                    names.iter().find(|n| !def.members.iter().any(|m| m.name == **n))
                {
                    let members: Vec<&str> = def.members.iter().map(|m| m.name.as_str()).collect();
                    self.problems.push(problem(
                        "InvalidValue",
                        path,
                        format!(
                            "The value '{}' is not a member of the enum type '{}'; its members are {}.",
                            display(&Value::String((*unknown).to_owned())),
                            def.name,
                            members.join(", ")
                        ),
                    ));
                }
            }
            TypeKind::Complex | TypeKind::Entity => {
                let Some(object) = value.as_object() else { return self.problems.push(mismatch()) };
                if let Some((instance, open)) = self.instance_type(def, object, path) {
                    self.object(instance, open, object, path);
                }
            }
        }
    }
}

/// Whether `value` is a literal of the primitive type `name`, as Graph's JSON writes it.
fn primitive_fits(name: &str, value: &Value) -> bool {
    let int_in = |min: i64, max: i64| value.as_i64().is_some_and(|n| (min..=max).contains(&n));
    let text = value.as_str();
    match name {
        "Edm.String" => value.is_string(),
        "Edm.Boolean" => value.is_boolean(),
        "Edm.Byte" => int_in(0, 255),
        "Edm.SByte" => int_in(-128, 127),
        "Edm.Int16" => int_in(i64::from(i16::MIN), i64::from(i16::MAX)),
        "Edm.Int32" => int_in(i64::from(i32::MIN), i64::from(i32::MAX)),
        "Edm.Int64" => value.is_i64() || value.as_u64().is_some_and(|n| i64::try_from(n).is_ok()),
        "Edm.Double" | "Edm.Single" | "Edm.Decimal" => {
            value.is_number() || matches!(text, Some("NaN" | "INF" | "-INF"))
        }
        "Edm.Guid" => text.is_some_and(edm::is_guid),
        "Edm.DateTimeOffset" => text.is_some_and(edm::is_date_time_offset),
        "Edm.Date" => text.and_then(edm::date).is_some(),
        "Edm.TimeOfDay" => text.and_then(edm::time_of_day).is_some(),
        "Edm.Duration" => text.is_some_and(|s| s.trim_start_matches('-').starts_with('P')),
        "Edm.Binary" => text
            .is_some_and(|s| s.bytes().all(|b| b.is_ascii_alphanumeric() || b"+/=-_".contains(&b))),
        // `Edm.Stream`, `Edm.Untyped`, geography …: any JSON.
        _ => true,
    }
}

fn literal(value: &Value, ty: &TypeRef) -> String {
    format!("Cannot convert the literal '{}' to the expected type '{ty}'.", display(value))
}

fn join(path: &str, name: &str) -> String {
    if path.is_empty() { name.to_owned() } else { format!("{path}.{name}") }
}

fn problem(code: &'static str, target: &str, message: String) -> Problem {
    Problem { code, target: target.to_owned(), message }
}

/// A JSON value as a literal in a message, bounded in length.
fn display(value: &Value) -> String {
    let text = match value {
        Value::String(s) => s.clone(),
        other => other.to_string(),
    };
    if text.chars().count() > 64 {
        format!("{}…", text.chars().take(64).collect::<String>())
    } else {
        text
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use graph_entity_schema::Clouds;
    use serde_json::json;

    fn v1() -> &'static Schema {
        Schema::v1()
    }

    fn check(body: &Value) -> Vec<Problem> {
        validate(v1(), STATUS, body, Validation::create(&[]))
    }

    const STATUS: &str = "managedDeviceMobileAppConfigurationUserStatus";

    #[test]
    fn the_beta_excerpt_reads_with_the_same_reader() {
        let beta = Schema::from_csdl(include_str!("../metadata/beta.xml"), Clouds::GLOBAL).unwrap();
        assert_eq!(beta.properties(&qualify(STATUS)).len(), 6);
    }

    #[test]
    fn graphs_json_type_takes_any_json() {
        // `microsoft.graph.Json`: a complex type without properties that stands for any JSON
        // value (a workbook table row's `values` are arrays of arrays).
        for values in [json!([[1, "a"], [2, null]]), json!({"any": {"thing": 1}}), json!(7)] {
            let body = json!({ "values": values });
            assert_eq!(validate(v1(), "workbookTableRow", &body, Validation::update()), []);
        }
        let problems =
            validate(v1(), "workbookTableRow", &json!({"index": "x"}), Validation::update());
        assert_eq!(problems.len(), 1, "other properties are still checked");
    }

    #[test]
    fn accepts_the_documented_body() {
        let body = json!({
            "@odata.type": "#microsoft.graph.managedDeviceMobileAppConfigurationUserStatus",
            "userDisplayName": "User Display Name value",
            "devicesCount": 12,
            "status": "notApplicable",
            "lastReportedDateTime": "2017-01-01T00:00:17.7769392-08:00",
            "userPrincipalName": "User Principal Name value"
        });
        assert_eq!(check(&body), []);
    }

    #[test]
    fn reports_every_problem() {
        let body = json!({
            "@odata.type": "#microsoft.graph.somethingElse",
            "devicesCount": 2_147_483_648_i64,
            "status": "pendingReboot",
            "userDisplayName": 5,
            "bogus": true,
        });
        let problems = check(&body);
        let codes: Vec<_> = problems.iter().map(|p| (p.code, p.target.as_str())).collect();
        assert_eq!(
            codes,
            [
                ("InvalidType", "@odata.type"),
                ("InvalidProperty", "bogus"),
                ("InvalidValue", "devicesCount"),
                ("InvalidValue", "status"),
                ("InvalidValue", "userDisplayName"),
                ("MissingProperty", "lastReportedDateTime"),
            ],
            "{problems:#?}"
        );
        let nulls = check(
            &json!({"devicesCount": null, "status": "error", "lastReportedDateTime": "2017-01-01T00:00:00Z"}),
        );
        assert_eq!(nulls.len(), 1);
        assert!(nulls[0].message.contains("Nullable=False"));
        assert_eq!(check(&json!([1]))[0].code, "InvalidBody");
    }

    #[test]
    fn derived_types_complex_values_and_collections_are_checked_in_depth() {
        let configuration = "managedDeviceMobileAppConfiguration";
        let computed = ["createdDateTime", "lastModifiedDateTime", "version"];
        let ios = json!({
            "@odata.type": "#microsoft.graph.iosMobileAppConfiguration",
            "displayName": "x",
            "targetedMobileApps": ["a", "b"],
            "settings": [{"appConfigKey": "k", "appConfigKeyType": "stringType", "appConfigKeyValue": "v"}],
        });
        assert_eq!(validate(v1(), configuration, &ios, Validation::create(&computed)), []);
        let bad = json!({
            "@odata.type": "#microsoft.graph.iosMobileAppConfiguration",
            "displayName": "x",
            "targetedMobileApps": ["a", 2],
            "settings": [{"appConfigKey": "k", "appConfigKeyType": "nope", "colour": 1}],
        });
        let problems = validate(v1(), configuration, &bad, Validation::create(&computed));
        let targets: Vec<(&str, &str)> =
            problems.iter().map(|p| (p.code, p.target.as_str())).collect();
        assert_eq!(
            targets,
            [
                ("InvalidValue", "settings[0].appConfigKeyType"),
                ("InvalidProperty", "settings[0].colour"),
                ("InvalidValue", "targetedMobileApps[1]"),
            ],
            "{problems:#?}"
        );
        // The abstract type itself, or a type outside its family, cannot be created.
        for (odata_type, code) in [
            (None, "MissingType"),
            (Some("#microsoft.graph.managedDeviceMobileAppConfiguration"), "InvalidType"),
            (Some("#microsoft.graph.user"), "InvalidType"),
        ] {
            let mut body = json!({"displayName": "x"});
            if let Some(ty) = odata_type {
                body["@odata.type"] = json!(ty);
            }
            let problems = validate(v1(), configuration, &body, Validation::create(&computed));
            assert_eq!(
                problems.first().map(|p| p.code),
                Some(code),
                "{odata_type:?}: {problems:#?}"
            );
        }
    }

    #[test]
    fn an_excerpt_takes_derived_types_it_lacks_on_trust_and_the_full_metadata_does_not() {
        let beta = Schema::from_csdl(include_str!("../metadata/beta.xml"), Clouds::GLOBAL).unwrap();
        let body = json!({
            "@odata.type": "#microsoft.graph.iosMobileAppConfiguration",
            "displayName": "x",
            "settings": [],
        });
        let computed = ["createdDateTime", "lastModifiedDateTime", "version"];
        let configuration = "managedDeviceMobileAppConfiguration";
        assert_eq!(
            validate(&beta, configuration, &body, Validation::create(&computed).in_excerpt()),
            []
        );
        assert_eq!(
            validate(&beta, configuration, &body, Validation::create(&computed))[0].code,
            "InvalidType"
        );
        let made_up =
            json!({"@odata.type": "#microsoft.graph.madeUpConfiguration", "displayName": "x"});
        assert_eq!(
            validate(v1(), configuration, &made_up, Validation::create(&computed))[0].code,
            "InvalidType"
        );
        // Base properties are still checked against the excerpt.
        let wrong =
            json!({"@odata.type": "#microsoft.graph.iosMobileAppConfiguration", "displayName": 1});
        let problems =
            validate(&beta, configuration, &wrong, Validation::create(&computed).in_excerpt());
        assert_eq!(problems.iter().map(|p| p.target.as_str()).collect::<Vec<_>>(), ["displayName"]);
    }

    #[test]
    fn updates_check_only_what_is_given() {
        assert_eq!(validate(v1(), STATUS, &json!({"devicesCount": 3}), Validation::update()), []);
        assert_eq!(
            validate(v1(), STATUS, &json!({}), Validation::update()),
            [],
            "nothing required"
        );
        let problems = validate(
            v1(),
            STATUS,
            &json!({"devicesCount": null, "status": "nope", "colour": 1}),
            Validation::update(),
        );
        let targets: Vec<&str> = problems.iter().map(|p| p.target.as_str()).collect();
        assert_eq!(targets, ["colour", "devicesCount", "status"], "{problems:#?}");
        // A base type may be named; another type may not.
        let ios = "microsoft.graph.iosMobileAppConfiguration";
        let base = json!({"@odata.type": "#microsoft.graph.managedDeviceMobileAppConfiguration"});
        assert_eq!(validate(v1(), ios, &base, Validation::update()), []);
        let other = json!({"@odata.type": "#microsoft.graph.user"});
        assert_eq!(validate(v1(), ios, &other, Validation::update())[0].code, "InvalidType");
        // Computed properties are the service's: checked, not refused (the update ignores them).
        let app = "microsoft.graph.androidStoreApp";
        let given = json!({"packageId": "x", "displayName": "y"});
        assert_eq!(validate(v1(), app, &given, Validation::update()), []);
        let wrong = json!({"packageId": 5});
        assert_eq!(validate(v1(), app, &wrong, Validation::update())[0].code, "InvalidValue");
    }
}
