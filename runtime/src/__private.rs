//! Not public API: helpers for generated code, reached through `graph_entity::__private`.
//! Anything here may change in any release.
//!
//! Generated code stays small by calling these generic functions; each is written and tested
//! once instead of once per entity.
#![allow(missing_docs, missing_debug_implementations)]

use std::fmt;
use std::marker::PhantomData;

use serde::de::{self, DeserializeSeed, MapAccess, Visitor};
use serde::ser::{self, SerializeMap};
use serde_json::{Map, Value};

#[cfg(feature = "client")]
use crate::error::Error;
use crate::error::{ValidationError, Violation, write_list};
use crate::wire::member::GraphEnum;

pub use crate::entity::path::PathPart;

pub use crate::entity::sealed::GeneratedPatch;

const ODATA_TYPE: &str = "@odata.type";

/// `a == b`, in a constant: generated code compares a field type's Graph enum name with the
/// property's.
pub const fn str_eq(a: &str, b: &str) -> bool {
    let (a, b) = (a.as_bytes(), b.as_bytes());
    if a.len() != b.len() {
        return false;
    }
    let mut i = 0;
    while i < a.len() {
        if a[i] != b[i] {
            return false;
        }
        i += 1;
    }
    true
}

/// Whether `names` holds `name`, in a constant.
pub const fn contains_str(names: &[&str], name: &str) -> bool {
    let mut i = 0;
    while i < names.len() {
        if str_eq(names[i], name) {
            return true;
        }
        i += 1;
    }
    false
}

/// The type a `#[graph(extra)]` field must have.
#[diagnostic::on_unimplemented(
    message = "a `#[graph(extra)]` field must be `graph_entity::ExtraProperties` (a `serde_json::Map<String, Value>`), not `{Self}`",
    label = "not `ExtraProperties`"
)]
pub trait ExtraField: Sized {
    fn get(&self) -> &Map<String, Value>;
    fn build(map: Map<String, Value>) -> Self;
}

impl ExtraField for Map<String, Value> {
    fn get(&self) -> &Map<String, Value> {
        self
    }
    fn build(map: Map<String, Value>) -> Self {
        map
    }
}

/// The type the `#[graph(other)]` variant of a `#[graph_enum]` must hold.
#[diagnostic::on_unimplemented(
    message = "the `#[graph(other)]` variant must hold a `String`, not `{Self}`",
    label = "not `String`"
)]
pub trait OtherField: Sized {
    fn get(&self) -> &str;
    fn build(member: String) -> Self;
}

impl OtherField for String {
    fn get(&self) -> &str {
        self
    }
    fn build(member: String) -> Self {
        member
    }
}

/// The type the `#[graph(other)]` variant of a `#[graph_complex]` enum must hold.
#[diagnostic::on_unimplemented(
    message = "the `#[graph(other)]` variant of a `#[graph_complex]` enum must hold a `graph_entity::Json`, not `{Self}`",
    label = "not `Json`"
)]
pub trait OtherValue: Sized {
    fn get(&self) -> &Value;
    fn build(value: Value) -> Self;
}

impl OtherValue for Value {
    fn get(&self) -> &Value {
        self
    }
    fn build(value: Value) -> Self {
        value
    }
}

/// Unbounded function pointers to a field's accessors. Generated code calls `extra::<T>()` or
/// `other::<T>()` at the field type's span everywhere it uses the field, so a wrong type gives
/// one error (rustc merges identical diagnostics) instead of one per use.
#[derive(Clone, Copy)]
pub struct Access<T, U: ?Sized, O> {
    pub get: fn(&T) -> &U,
    pub build: fn(O) -> T,
}

pub fn extra<T: ExtraField>() -> Access<T, Map<String, Value>, Map<String, Value>> {
    Access { get: T::get, build: T::build }
}

pub fn other<T: OtherField>() -> Access<T, str, String> {
    Access { get: T::get, build: T::build }
}

pub fn other_value<T: OtherValue>() -> Access<T, Value, Value> {
    Access { get: T::get, build: T::build }
}

/// A `#[graph_complex]` enum's value as read: its `@odata.type` (without `#`), if it names one,
/// and the object, the annotation kept.
pub fn read_one_of<'de, D: de::Deserializer<'de>>(
    deserializer: D,
    expecting: &'static str,
) -> Result<(Option<String>, Value), D::Error> {
    struct ObjectVisitor(&'static str);
    impl<'de> Visitor<'de> for ObjectVisitor {
        type Value = Map<String, Value>;
        fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            f.write_str(self.0)
        }
        fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<Self::Value, A::Error> {
            de::Deserialize::deserialize(de::value::MapAccessDeserializer::new(map))
        }
    }
    let object = deserializer.deserialize_map(ObjectVisitor(expecting))?;
    let named = match object.get(ODATA_TYPE) {
        None => None,
        Some(Value::String(name)) => Some(name.strip_prefix('#').unwrap_or(name).to_owned()),
        Some(other) => {
            return Err(de::Error::custom(format_args!(
                "`@odata.type` must be a type name, not {other}"
            )));
        }
    };
    Ok((named, Value::Object(object)))
}

/// One variant's value, from the object [`read_one_of`] read.
pub fn one_of<T: de::DeserializeOwned, E: de::Error>(object: Value) -> Result<T, E> {
    T::deserialize(object).map_err(E::custom)
}

/// Collects the violations of one `validate()` call; allocates only when there is one.
#[derive(Debug)]
pub struct Validator {
    entity: &'static str,
    violations: Vec<Violation>,
}

impl Validator {
    pub fn new(entity: &'static str) -> Self {
        Self { entity, violations: Vec::new() }
    }

    pub fn require(&mut self, property: &'static str, present: bool) {
        if !present {
            self.violations.push(Violation::MissingRequired { property });
        }
    }

    pub fn extra(&mut self, extra: &Map<String, Value>, declared: &[&str]) {
        for key in extra.keys() {
            if key == ODATA_TYPE || declared.contains(&key.as_str()) {
                self.violations.push(Violation::ExtraShadowsProperty { property: key.clone() });
            }
        }
    }

    pub fn finish(self) -> Result<(), ValidationError> {
        if self.violations.is_empty() {
            Ok(())
        } else {
            Err(ValidationError { entity: self.entity, violations: self.violations })
        }
    }
}

/// Writes the `#[graph(extra)]` properties after the declared ones; refuses a key that would
/// repeat a declared property.
pub fn serialize_extra<S: ser::Serializer>(
    map: &mut S::SerializeMap,
    extra: &Map<String, Value>,
    declared: &[&str],
) -> Result<(), S::Error> {
    for (key, value) in extra {
        if key == ODATA_TYPE || declared.contains(&key.as_str()) {
            return Err(ser::Error::custom(format_args!(
                "extra property `{key}` has the name of a declared property"
            )));
        }
        map.serialize_entry(key, value)?;
    }
    Ok(())
}

/// A JSON property name, classified against the entity's declared properties.
#[derive(Debug)]
pub enum Property {
    /// The declared property at this index of `GraphEntity::PROPERTIES`.
    Declared(usize),
    /// An unknown property, kept for the `#[graph(extra)]` map.
    Unknown(String),
    /// `@odata.type`, or an unknown property of an entity without an extra map.
    Ignored,
}

/// The index of a declared property by its JSON name: the generated `Deserialize` implements
/// it as a `match`, which the compiler turns into comparisons by length and bytes.
pub trait PropertyIndex {
    fn property_index(name: &str) -> Option<usize>;
}

/// Reads a property name without allocating unless it must be kept.
pub struct PropertySeed<P> {
    keep_unknown: bool,
    marker: PhantomData<fn() -> P>,
}

impl<P> Clone for PropertySeed<P> {
    fn clone(&self) -> Self {
        *self
    }
}

impl<P> Copy for PropertySeed<P> {}

impl<P: PropertyIndex> PropertySeed<P> {
    pub fn new(keep_unknown: bool) -> Self {
        Self { keep_unknown, marker: PhantomData }
    }

    #[inline]
    fn classify(self, name: &str) -> Option<Property> {
        if let Some(index) = P::property_index(name) {
            Some(Property::Declared(index))
        } else if !self.keep_unknown || name == ODATA_TYPE {
            Some(Property::Ignored)
        } else {
            None
        }
    }
}

impl<'de, P: PropertyIndex> DeserializeSeed<'de> for PropertySeed<P> {
    type Value = Property;

    fn deserialize<D: de::Deserializer<'de>>(self, deserializer: D) -> Result<Property, D::Error> {
        deserializer.deserialize_identifier(self)
    }
}

impl<P: PropertyIndex> Visitor<'_> for PropertySeed<P> {
    type Value = Property;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a property name")
    }

    fn visit_str<E: de::Error>(self, name: &str) -> Result<Property, E> {
        Ok(self.classify(name).unwrap_or_else(|| Property::Unknown(name.to_owned())))
    }

    fn visit_string<E: de::Error>(self, name: String) -> Result<Property, E> {
        Ok(self.classify(&name).unwrap_or(Property::Unknown(name)))
    }
}

/// Reads the value of a declared property into its slot; a repeated property is an error.
#[inline]
pub fn next_value<'de, A, T>(
    map: &mut A,
    slot: &mut Option<T>,
    name: &'static str,
) -> Result<(), A::Error>
where
    A: MapAccess<'de>,
    T: de::Deserialize<'de>,
{
    if slot.is_some() {
        return Err(de::Error::duplicate_field(name));
    }
    *slot = Some(map.next_value()?);
    Ok(())
}

/// Reads the value of an unknown property into the extra map; a repeated property is an error.
pub fn next_extra<'de, A: MapAccess<'de>>(
    map: &mut A,
    extra: &mut Map<String, Value>,
    name: String,
) -> Result<(), A::Error> {
    if extra.contains_key(&name) {
        return Err(de::Error::custom(format_args!("duplicate property `{name}`")));
    }
    let value = map.next_value()?;
    extra.insert(name, value);
    Ok(())
}

/// The error for an object that lacks required properties: names all of them, unlike serde's
/// derive, which stops at the first.
#[cold]
pub fn missing_properties<E: de::Error>(fields: &[(bool, &str)]) -> E {
    let missing: Vec<&str> = fields.iter().filter(|(m, _)| *m).map(|(_, n)| *n).collect();
    let noun = if missing.len() == 1 { "property" } else { "properties" };
    let mut list = String::new();
    // Writing to a String cannot fail.
    let _ = write_list(&mut list, &missing);
    E::custom(format_args!("missing required {noun} {list}"))
}

/// Deserializes a `#[graph_enum]`: a known member, or the catch-all with the string as read.
pub fn deserialize_enum<'de, D: de::Deserializer<'de>, E: GraphEnum>(
    deserializer: D,
) -> Result<E, D::Error> {
    deserializer.deserialize_str(EnumVisitor(PhantomData))
}

struct EnumVisitor<E>(PhantomData<E>);

impl<E: GraphEnum> Visitor<'_> for EnumVisitor<E> {
    type Value = E;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a member string such as ")?;
        match E::MEMBERS.first() {
            Some(first) => write!(f, "\"{first}\""),
            None => f.write_str("\"value\""),
        }
    }

    fn visit_str<Er: de::Error>(self, member: &str) -> Result<E, Er> {
        Ok(E::from_member(member).unwrap_or_else(|| E::from_unknown(member.to_owned())))
    }

    fn visit_string<Er: de::Error>(self, member: String) -> Result<E, Er> {
        match E::from_member(&member) {
            Some(known) => Ok(known),
            None => Ok(E::from_unknown(member)),
        }
    }
}

/// Graph's error-body parsing on its own, for the fuzz target.
#[cfg(feature = "client")]
pub fn parse_error_body(status: u16, body: &[u8]) -> Error {
    crate::transport::response::parse_error(status, &reqwest::header::HeaderMap::new(), body)
}

/// The token endpoint's answer read on its own, for the fuzz target.
#[cfg(feature = "client")]
pub fn parse_token_response(status: u16, body: &[u8]) -> Result<(), crate::error::AuthError> {
    crate::auth::parse_token_response(status, body, std::time::Instant::now()).map(drop)
}
