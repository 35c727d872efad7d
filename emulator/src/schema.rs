//! The emulator's own schema, read from Microsoft's CSDL metadata (shipped in `metadata/`), and
//! the validation of request bodies against it.
//!
//! Written independently of the `graph-entity` macros: the emulator checks what the client
//! sends against Microsoft's metadata, not against our own idea of it.

use std::collections::HashMap;

use serde_json::{Map, Value};

const NAMESPACE: &str = "microsoft.graph";

/// The entity and enum types of one API version.
#[derive(Debug, Clone)]
pub struct Schema {
    types: HashMap<String, EntityType>,
    enums: HashMap<String, Vec<String>>,
}

/// An entity type, with its own (not inherited) properties.
#[derive(Debug, Clone)]
pub struct EntityType {
    /// The name without namespace, such as `managedDeviceMobileAppConfigurationUserStatus`.
    pub name: String,
    /// The base type's name, without namespace.
    pub base: Option<String>,
    /// Abstract types need a derived `@odata.type` when created.
    pub is_abstract: bool,
    /// Key property names.
    pub key: Vec<String>,
    /// Structural properties declared on this type.
    pub properties: Vec<Property>,
}

/// A structural property.
#[derive(Debug, Clone)]
pub struct Property {
    /// Its name.
    pub name: String,
    /// Its type.
    pub ty: EdmType,
    /// Whether `null` is allowed (CSDL's default is `true`).
    pub nullable: bool,
}

/// The property types the emulator checks.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum EdmType {
    /// `Edm.String`.
    String,
    /// `Edm.Int32`.
    Int32,
    /// `Edm.Int64`.
    Int64,
    /// `Edm.Boolean`.
    Boolean,
    /// `Edm.Double`.
    Double,
    /// `Edm.Guid`.
    Guid,
    /// `Edm.DateTimeOffset`.
    DateTimeOffset,
    /// An enum type of the schema, by name.
    Enum(String),
    /// `Collection(T)`.
    Collection(Box<EdmType>),
    /// Any other type (complex types are not modelled): accepted as any JSON value.
    Other(String),
}

impl EdmType {
    fn name(&self) -> String {
        match self {
            EdmType::String => "Edm.String".into(),
            EdmType::Int32 => "Edm.Int32".into(),
            EdmType::Int64 => "Edm.Int64".into(),
            EdmType::Boolean => "Edm.Boolean".into(),
            EdmType::Double => "Edm.Double".into(),
            EdmType::Guid => "Edm.Guid".into(),
            EdmType::DateTimeOffset => "Edm.DateTimeOffset".into(),
            EdmType::Enum(name) => format!("{NAMESPACE}.{name}"),
            EdmType::Collection(inner) => format!("Collection({})", inner.name()),
            EdmType::Other(name) => name.clone(),
        }
    }
}

/// One problem found in a request body.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    /// A short code for the kind of problem.
    pub code: &'static str,
    /// The property it concerns (empty for the whole body).
    pub target: String,
    /// The message, in the style of Graph's OData errors.
    pub message: String,
}

impl Schema {
    /// Reads the `EntityType` and `EnumType` elements of the `microsoft.graph` schema.
    ///
    /// # Errors
    ///
    /// A message when the XML does not parse or a type is malformed.
    pub fn parse(xml: &str) -> Result<Self, String> {
        let document = roxmltree::Document::parse(xml).map_err(|e| format!("metadata XML: {e}"))?;
        let mut types = HashMap::new();
        let mut enums = HashMap::new();
        for schema in document.descendants().filter(|n| n.has_tag_name("Schema")) {
            if schema.attribute("Namespace") != Some(NAMESPACE) {
                continue;
            }
            let alias = schema.attribute("Alias").unwrap_or(NAMESPACE);
            for node in schema.children().filter(roxmltree::Node::is_element) {
                let name = node.attribute("Name").unwrap_or_default().to_owned();
                match node.tag_name().name() {
                    "EnumType" => {
                        let members = node
                            .children()
                            .filter(|m| m.has_tag_name("Member"))
                            .filter_map(|m| m.attribute("Name").map(str::to_owned))
                            .collect();
                        enums.insert(name, members);
                    }
                    "EntityType" => {
                        let key = node
                            .children()
                            .filter(|k| k.has_tag_name("Key"))
                            .flat_map(|k| k.children().filter(|r| r.has_tag_name("PropertyRef")))
                            .filter_map(|r| r.attribute("Name").map(str::to_owned))
                            .collect();
                        let properties = node
                            .children()
                            .filter(|p| p.has_tag_name("Property"))
                            .map(|p| {
                                let name = p.attribute("Name").unwrap_or_default().to_owned();
                                let ty = p
                                    .attribute("Type")
                                    .ok_or_else(|| format!("property `{name}` has no type"))?;
                                Ok(Property {
                                    name,
                                    ty: parse_type(ty, alias),
                                    nullable: p.attribute("Nullable") != Some("false"),
                                })
                            })
                            .collect::<Result<_, String>>()?;
                        let base = node
                            .attribute("BaseType")
                            .map(|b| strip_namespace(b, alias).to_owned());
                        let is_abstract = node.attribute("Abstract") == Some("true");
                        types.insert(
                            name.clone(),
                            EntityType { name, base, is_abstract, key, properties },
                        );
                    }
                    _ => {}
                }
            }
        }
        let mut schema = Schema { types, enums };
        // Enum references were parsed before all enums were known.
        let enum_names: Vec<String> = schema.enums.keys().cloned().collect();
        for entity in schema.types.values_mut() {
            for property in &mut entity.properties {
                resolve_enums(&mut property.ty, &enum_names);
            }
        }
        Ok(schema)
    }

    /// The entity type with this name (without namespace).
    pub fn entity_type(&self, name: &str) -> Option<&EntityType> {
        self.types.get(name)
    }

    /// The members of an enum type.
    pub fn enum_members(&self, name: &str) -> Option<&[String]> {
        self.enums.get(name).map(Vec::as_slice)
    }

    /// Every property of a type, inherited ones first.
    pub fn properties(&self, name: &str) -> Vec<&Property> {
        let mut chain = Vec::new();
        let mut current = self.types.get(name);
        while let Some(entity) = current {
            chain.push(entity);
            current = entity.base.as_deref().and_then(|b| self.types.get(b));
            if chain.len() > 32 {
                break;
            }
        }
        chain.iter().rev().flat_map(|e| e.properties.iter()).collect()
    }

    /// The key property names of a type (inherited).
    pub fn key(&self, name: &str) -> Vec<String> {
        let mut current = self.types.get(name);
        while let Some(entity) = current {
            if !entity.key.is_empty() {
                return entity.key.clone();
            }
            current = entity.base.as_deref().and_then(|b| self.types.get(b));
        }
        Vec::new()
    }

    /// Checks the body of a create (`POST`) request for an entity of type `name`: every problem
    /// at once. Key properties and `server_assigned` ones (computed by the service, such as
    /// `createdDateTime`) may be absent; every other non-nullable property must be present and
    /// not `null`.
    pub fn validate_create(
        &self,
        name: &str,
        body: &Value,
        server_assigned: &[&str],
    ) -> Vec<Problem> {
        let mut problems = Vec::new();
        let Some(entity) = self.types.get(name) else {
            problems.push(problem(
                "UnknownType",
                "",
                format!("The type '{NAMESPACE}.{name}' is not in the model."),
            ));
            return problems;
        };
        let Some(object) = body.as_object() else {
            problems.push(problem(
                "InvalidBody",
                "",
                "The request body must be a JSON object.".into(),
            ));
            return problems;
        };
        let properties = self.properties(name);
        let key = self.key(name);
        self.check_odata_type(entity, object, &mut problems);
        for (property_name, value) in object {
            if property_name.starts_with('@') || property_name.contains('@') {
                // Instance annotations (`@odata.type` was checked above).
                continue;
            }
            match properties.iter().find(|p| &p.name == property_name) {
                Some(property) => self.check_value(property, value, &mut problems),
                // An abstract type is created through a derived type whose properties this
                // excerpt of the metadata does not list.
                None if entity.is_abstract => {}
                None => problems.push(problem(
                    "InvalidProperty",
                    property_name,
                    format!(
                        "The property '{property_name}' does not exist on type '{NAMESPACE}.{name}'. Make sure to only use property names that are defined by the type."
                    ),
                )),
            }
        }
        for property in properties {
            let assigned =
                key.contains(&property.name) || server_assigned.contains(&property.name.as_str());
            if !property.nullable && !assigned && !object.contains_key(&property.name) {
                problems.push(problem(
                    "MissingProperty",
                    &property.name,
                    format!(
                        "The property '{}' is required and was not found in the request.",
                        property.name
                    ),
                ));
            }
        }
        problems
    }

    fn check_odata_type(
        &self,
        entity: &EntityType,
        object: &Map<String, Value>,
        problems: &mut Vec<Problem>,
    ) {
        let own = format!("#{NAMESPACE}.{}", entity.name);
        match object.get("@odata.type") {
            None if entity.is_abstract => problems.push(problem(
                "MissingType",
                "@odata.type",
                format!("'{NAMESPACE}.{}' is abstract: '@odata.type' must name the derived type to create.", entity.name),
            )),
            None => {}
            Some(Value::String(ty)) if *ty == own && !entity.is_abstract => {}
            Some(Value::String(ty)) if entity.is_abstract && ty.starts_with(&format!("#{NAMESPACE}.")) && *ty != own => {}
            Some(other) => problems.push(problem(
                "InvalidType",
                "@odata.type",
                format!("A type named '{}' could not be resolved by the model here; expected '{own}'.", display(other)),
            )),
        }
    }

    fn check_value(&self, property: &Property, value: &Value, problems: &mut Vec<Problem>) {
        if value.is_null() {
            if !property.nullable {
                let ty = property.ty.name();
                problems.push(problem(
                    "NullValue",
                    &property.name,
                    format!(
                        "A null value was found for the property named '{}', which has the expected type '{ty}[Nullable=False]'. The expected type '{ty}[Nullable=False]' does not allow null values.",
                        property.name
                    ),
                ));
            }
            return;
        }
        if let Some(message) = self.type_mismatch(&property.ty, value) {
            problems.push(problem(
                "InvalidValue",
                &property.name,
                format!("Property '{}': {message}", property.name),
            ));
        }
    }

    /// Why `value` is not of type `ty`, if it is not.
    fn type_mismatch(&self, ty: &EdmType, value: &Value) -> Option<String> {
        let literal = || {
            format!(
                "Cannot convert the literal '{}' to the expected type '{}'.",
                display(value),
                ty.name()
            )
        };
        let ok = match ty {
            EdmType::String => value.is_string(),
            EdmType::Boolean => value.is_boolean(),
            EdmType::Int32 => value.as_i64().is_some_and(|n| i32::try_from(n).is_ok()),
            EdmType::Int64 => {
                value.is_i64() || value.as_u64().is_some_and(|n| i64::try_from(n).is_ok())
            }
            EdmType::Double => {
                value.is_number() || matches!(value.as_str(), Some("NaN" | "INF" | "-INF"))
            }
            EdmType::Guid => value.as_str().is_some_and(is_guid),
            EdmType::DateTimeOffset => value.as_str().is_some_and(is_date_time_offset),
            EdmType::Enum(name) => {
                let members = self.enum_members(name).unwrap_or_default();
                return match value.as_str() {
                    Some(s) if members.iter().any(|m| m == s) => None,
                    Some(s) => Some(format!(
                        "The value '{s}' is not a member of the enum type '{NAMESPACE}.{name}'; its members are {}.",
                        members.join(", ")
                    )),
                    None => Some(literal()),
                };
            }
            EdmType::Collection(inner) => {
                let Some(items) = value.as_array() else { return Some(literal()) };
                return items.iter().enumerate().find_map(|(i, item)| {
                    self.type_mismatch(inner, item).map(|m| format!("item {i}: {m}"))
                });
            }
            EdmType::Other(_) => true,
        };
        (!ok).then(literal)
    }
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

fn strip_namespace<'a>(name: &'a str, alias: &str) -> &'a str {
    name.strip_prefix(&format!("{NAMESPACE}."))
        .or_else(|| name.strip_prefix(&format!("{alias}.")))
        .unwrap_or(name)
}

fn parse_type(ty: &str, alias: &str) -> EdmType {
    if let Some(inner) = ty.strip_prefix("Collection(").and_then(|t| t.strip_suffix(')')) {
        return EdmType::Collection(Box::new(parse_type(inner, alias)));
    }
    match ty {
        "Edm.String" => EdmType::String,
        "Edm.Int32" => EdmType::Int32,
        "Edm.Int64" => EdmType::Int64,
        "Edm.Boolean" => EdmType::Boolean,
        "Edm.Double" => EdmType::Double,
        "Edm.Guid" => EdmType::Guid,
        "Edm.DateTimeOffset" => EdmType::DateTimeOffset,
        other => EdmType::Other(strip_namespace(other, alias).to_owned()),
    }
}

fn resolve_enums(ty: &mut EdmType, enums: &[String]) {
    match ty {
        EdmType::Other(name) if enums.contains(name) => *ty = EdmType::Enum(name.clone()),
        EdmType::Collection(inner) => resolve_enums(inner, enums),
        _ => {}
    }
}

fn is_guid(s: &str) -> bool {
    let bytes = s.as_bytes();
    bytes.len() == 36
        && bytes.iter().enumerate().all(|(i, b)| match i {
            8 | 13 | 18 | 23 => *b == b'-',
            _ => b.is_ascii_hexdigit(),
        })
}

/// Graph's OpenAPI pattern for `Edm.DateTimeOffset`,
/// `^[0-9]{4,}-(0[1-9]|1[012])-(0[1-9]|[12][0-9]|3[01])T([01][0-9]|2[0-3]):[0-5][0-9]:[0-5][0-9]([.][0-9]{1,12})?(Z|[+-][0-9][0-9]:[0-9][0-9])$`,
/// plus the calendar (no 30 February), as the service's parser rejects those.
pub fn is_date_time_offset(s: &str) -> bool {
    let b = s.as_bytes();
    let digits = |from: usize, n: usize| {
        b.get(from..from + n).is_some_and(|d| d.iter().all(u8::is_ascii_digit))
    };
    let number = |from: usize, n: usize| -> u32 {
        b[from..from + n].iter().fold(0, |acc, d| acc * 10 + u32::from(d - b'0'))
    };
    let year_len = b.iter().take_while(|c| c.is_ascii_digit()).count();
    if !(4..=9).contains(&year_len) {
        return false;
    }
    let y = year_len;
    let shape = b.get(y) == Some(&b'-')
        && digits(y + 1, 2)
        && b.get(y + 3) == Some(&b'-')
        && digits(y + 4, 2)
        && b.get(y + 6) == Some(&b'T')
        && digits(y + 7, 2)
        && b.get(y + 9) == Some(&b':')
        && digits(y + 10, 2)
        && b.get(y + 12) == Some(&b':')
        && digits(y + 13, 2);
    if !shape {
        return false;
    }
    let (year, month, day) = (number(0, y), number(y + 1, 2), number(y + 4, 2));
    let (hour, minute, second) = (number(y + 7, 2), number(y + 10, 2), number(y + 13, 2));
    let leap = year % 4 == 0 && (year % 100 != 0 || year % 400 == 0);
    let month_days = [31, if leap { 29 } else { 28 }, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];
    if !(1..=12).contains(&month) || day == 0 || day > month_days[(month - 1) as usize] {
        return false;
    }
    if hour > 23 || minute > 59 || second > 59 {
        return false;
    }
    let mut at = y + 15;
    if b.get(at) == Some(&b'.') {
        let fraction = b[at + 1..].iter().take_while(|c| c.is_ascii_digit()).count();
        if !(1..=12).contains(&fraction) {
            return false;
        }
        at += 1 + fraction;
    }
    match b.get(at) {
        Some(b'Z') => at + 1 == b.len(),
        Some(b'+' | b'-') => {
            at + 6 == b.len() && digits(at + 1, 2) && b[at + 3] == b':' && digits(at + 4, 2)
        }
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn v1() -> Schema {
        Schema::parse(include_str!("../metadata/v1.0.xml")).unwrap()
    }

    const STATUS: &str = "managedDeviceMobileAppConfigurationUserStatus";

    #[test]
    fn reads_the_user_status_from_the_metadata() {
        let schema = v1();
        let names: Vec<_> =
            schema.properties(STATUS).iter().map(|p| (p.name.as_str(), p.nullable)).collect();
        assert_eq!(
            names,
            [
                ("id", false),
                ("devicesCount", false),
                ("lastReportedDateTime", false),
                ("status", false),
                ("userDisplayName", true),
                ("userPrincipalName", true)
            ]
        );
        assert_eq!(schema.key(STATUS), ["id"]);
        assert_eq!(schema.enum_members("complianceStatus").unwrap().len(), 8);
        assert!(schema.entity_type("managedDeviceMobileAppConfiguration").unwrap().is_abstract);
        let beta = Schema::parse(include_str!("../metadata/beta.xml")).unwrap();
        assert_eq!(beta.properties(STATUS).len(), 6);
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
        assert_eq!(v1().validate_create(STATUS, &body, &[]), []);
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
        let problems = v1().validate_create(STATUS, &body, &[]);
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
        let nulls = v1().validate_create(
            STATUS,
            &json!({"devicesCount": null, "status": "error", "lastReportedDateTime": "2017-01-01T00:00:00Z"}),
            &[],
        );
        assert_eq!(nulls.len(), 1);
        assert!(nulls[0].message.contains("Nullable=False"));
        assert_eq!(v1().validate_create(STATUS, &json!([1]), &[])[0].code, "InvalidBody");
    }

    #[test]
    fn date_time_offset_pattern() {
        for ok in [
            "2017-01-01T00:00:17.7769392-08:00",
            "2017-01-01T00:00:17Z",
            "2024-02-29T23:59:59.123456789012+14:00",
            "12017-01-01T00:00:00Z",
        ] {
            assert!(is_date_time_offset(ok), "{ok}");
        }
        for bad in [
            "2017-01-01T00:00:17",
            "2017-13-01T00:00:17Z",
            "2017-02-29T00:00:17Z",
            "2017-01-01T24:00:00Z",
            "2017-01-01T00:00:17.Z",
            "2017-01-01T00:00:17.1234567890123Z",
            "2017-01-01t00:00:17Z",
            "2017-01-01T00:00:17+0800",
            "17-01-01T00:00:17Z",
            "",
        ] {
            assert!(!is_date_time_offset(bad), "{bad}");
        }
    }
}
