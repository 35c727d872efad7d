//! The attribute keys the macros understand, in one place.

pub(crate) const PATH: &str = "path";
pub(crate) const ODATA_TYPE: &str = "odata_type";
pub(crate) const CRATE: &str = "crate";
pub(crate) const UNCHECKED: &str = "unchecked";
pub(crate) const CLOUDS: &str = "clouds";
pub(crate) const BETA: &str = "beta";
/// The arguments of `#[graph_entity(...)]`, as listed in error messages.
pub(crate) const ENTITY_ARGS: &str = "`path`, `odata_type`, `clouds`, `beta`, `crate`, `unchecked`";
pub(crate) const NAME: &str = "name";
/// The arguments of `#[graph_enum(...)]`.
pub(crate) const ENUM_ARGS: &str = "`name`, `beta`, `crate`, `unchecked`";
pub(crate) const RETURNS: &str = "returns";
pub(crate) const IDEMPOTENT: &str = "idempotent";
/// The arguments of `#[graph_action(...)]`.
pub(crate) const ACTION_ARGS: &str = "`path`, `returns`, `idempotent`, `clouds`, `beta`, `crate`";
/// The arguments of `#[graph_function(...)]`.
pub(crate) const FUNCTION_ARGS: &str = "`path`, `returns`, `clouds`, `beta`, `crate`";
/// The arguments of `#[graph_complex(...)]`.
pub(crate) const COMPLEX_ARGS: &str = "`name`, `odata_type`, `beta`, `crate`, `unchecked`";

/// The field and variant attribute, `#[graph(...)]`.
pub(crate) const GRAPH: &str = "graph";
pub(crate) const RENAME: &str = "rename";
pub(crate) const REQUIRED: &str = "required";
pub(crate) const KEY: &str = "key";
pub(crate) const EXTRA: &str = "extra";
pub(crate) const ETAG: &str = "etag";
pub(crate) const OTHER: &str = "other";
/// The keys of `#[graph(...)]` on a field.
pub(crate) const FIELD_KEYS: &str = "`rename`, `required`, `key`, `extra`, `etag`";
/// The keys of `#[graph(...)]` on an enum variant.
pub(crate) const VARIANT_KEYS: &str = "`rename`, `other`";

/// The control property that names the type on the wire.
pub(crate) const ODATA_TYPE_PROPERTY: &str = "@odata.type";
/// The control property with the entity's version, for `If-Match`.
pub(crate) const ODATA_ETAG_PROPERTY: &str = "@odata.etag";
