//! Rust names for Graph's: types in PascalCase (namespaced ones prefixed, `SecurityAlert`),
//! properties in snake_case, enum members as variants; with the `rename` a name needs when the
//! macro's rule would not bring it back.

use graph_entity_schema::Schema;
use graph_entity_schema::naming::{
    to_lower_camel_case, to_lower_first, to_snake_case, to_upper_first,
};
use proc_macro2::{Ident, Span};

/// Rust's keywords that can be raw identifiers (`r#type`), in every edition since 2015.
const RAW_KEYWORDS: &[&str] = &[
    "abstract", "as", "async", "await", "become", "box", "break", "const", "continue", "do", "dyn",
    "else", "enum", "extern", "false", "final", "fn", "for", "gen", "if", "impl", "in", "let",
    "loop", "macro", "match", "mod", "move", "mut", "override", "priv", "pub", "ref", "return",
    "static", "struct", "trait", "true", "try", "type", "typeof", "unsafe", "unsized", "use",
    "virtual", "where", "while", "yield",
];

/// Keywords that cannot be raw identifiers.
const RESERVED: &[&str] = &["self", "Self", "super", "crate", "_"];

/// The Rust name of a Graph type: `microsoft.graph.user` is `User`,
/// `microsoft.graph.security.alert` is `SecurityAlert`,
/// `microsoft.graph.partners.billing.operation` is `PartnersBillingOperation`.
///
/// A namespaced type whose name would be a type's of Graph's default namespace
/// (`microsoft.graph.security.action` and `microsoft.graph.securityAction`, both in beta) is
/// `SecurityActionType`: the default namespace's keeps the plain name.
pub(crate) fn type_name(schema: &Schema, qualified: &str) -> String {
    let name = plain_type_name(qualified);
    let namespaced = qualified.strip_prefix("microsoft.graph.").is_none_or(|s| s.contains('.'));
    if namespaced && schema.get(&format!("microsoft.graph.{}", to_lower_first(&name))).is_some() {
        format!("{name}Type")
    } else {
        name
    }
}

/// [`type_name`] without regard to the other types.
fn plain_type_name(qualified: &str) -> String {
    let (namespace, short) = qualified.rsplit_once('.').unwrap_or(("", qualified));
    let mut name: String = namespace
        .strip_prefix("microsoft.graph")
        .unwrap_or(namespace)
        .split('.')
        .filter(|s| !s.is_empty())
        .map(to_upper_first)
        .collect();
    name.push_str(&to_upper_first(short));
    if !is_identifier(&name) || RESERVED.contains(&name.as_str()) {
        // Not in Microsoft's metadata, but a schema read from other CSDL may have it.
        name = format!("Type{}", sanitize(&name));
    }
    name
}

/// The identifier token for a name this module gave: `r#type` is a raw identifier.
pub(crate) fn ident(name: &str) -> Ident {
    match name.strip_prefix("r#") {
        Some(raw) => Ident::new_raw(raw, Span::call_site()),
        None => Ident::new(name, Span::call_site()),
    }
}

/// A field or variant: its identifier as written, and the JSON name when the macro's default
/// would not give it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Named {
    pub(crate) ident: String,
    pub(crate) rename: Option<String>,
}

/// The field for a property: `lastReportedDateTime` is `last_reported_date_time`, `type` is
/// `r#type`, `azureADDeviceId` is `azure_ad_device_id` renamed. `taken` holds the identifiers
/// already used in the struct; a clash gets a suffix.
pub(crate) fn field(json: &str, taken: &[String]) -> Named {
    let mut snake = to_snake_case(json);
    if !is_identifier(&snake) {
        snake = format!("p_{}", sanitize(&snake));
    }
    let mut ident = if RESERVED.contains(&snake.as_str()) {
        format!("{snake}_")
    } else if RAW_KEYWORDS.contains(&snake.as_str()) {
        format!("r#{snake}")
    } else {
        snake
    };
    let base = ident.clone();
    let mut n = 2;
    while taken.iter().any(|t| unraw(t) == unraw(&ident)) {
        ident = format!("{}_{n}", unraw(&base));
        n += 1;
    }
    let rename = (to_lower_camel_case(&ident) != json).then(|| json.to_owned());
    Named { ident, rename }
}

/// The variant for an enum member: `notApplicable` is `NotApplicable`.
pub(crate) fn variant(member: &str, taken: &[String]) -> Named {
    // `onprem_external` is `OnpremExternal`, as Rust names variants.
    let mut ident: String =
        member.split('_').filter(|w| !w.is_empty()).map(to_upper_first).collect();
    if !is_identifier(&ident) || RESERVED.contains(&ident.as_str()) {
        ident = format!("Member{}", to_upper_first(&sanitize(member)));
    }
    let base = ident.clone();
    let mut n = 2;
    while taken.contains(&ident) {
        ident = format!("{base}{n}");
        n += 1;
    }
    let rename = (to_lower_first(&ident) != member).then(|| member.to_owned());
    Named { ident, rename }
}

fn unraw(ident: &str) -> &str {
    ident.strip_prefix("r#").unwrap_or(ident)
}

fn is_identifier(name: &str) -> bool {
    let mut chars = name.chars();
    chars.next().is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '_')
        && name != "_"
}

fn sanitize(name: &str) -> String {
    name.chars().map(|c| if c.is_ascii_alphanumeric() { c } else { '_' }).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_namespaced_type_yields_its_name_to_the_default_namespaces() {
        let beta = Schema::beta();
        assert_eq!(type_name(beta, "microsoft.graph.securityAction"), "SecurityAction");
        assert_eq!(type_name(beta, "microsoft.graph.security.action"), "SecurityActionType");
        assert_eq!(type_name(Schema::v1(), "microsoft.graph.security.alert"), "SecurityAlert");
    }

    #[test]
    fn types() {
        assert_eq!(plain_type_name("microsoft.graph.user"), "User");
        assert_eq!(plain_type_name("microsoft.graph.security.alert"), "SecurityAlert");
        assert_eq!(
            plain_type_name("microsoft.graph.partners.billing.operation"),
            "PartnersBillingOperation"
        );
        assert_eq!(plain_type_name("microsoft.graph.self"), "TypeSelf");
        assert_eq!(plain_type_name("2d"), "Type2d");
    }

    #[test]
    fn idents() {
        assert_eq!(ident("r#type").to_string(), "r#type");
        assert_eq!(ident("User").to_string(), "User");
    }

    #[test]
    fn fields() {
        let plain = field("lastReportedDateTime", &[]);
        assert_eq!(plain, Named { ident: "last_reported_date_time".into(), rename: None });
        assert_eq!(field("type", &[]), Named { ident: "r#type".into(), rename: None });
        assert_eq!(field("self", &[]).ident, "self_");
        // `self_` comes back as `self`.
        assert_eq!(field("self", &[]).rename, None);
        let renamed = field("azureADDeviceId", &[]);
        assert_eq!(renamed.ident, "azure_ad_device_id");
        assert_eq!(renamed.rename.as_deref(), Some("azureADDeviceId"));
        let clash = field("isMFARegistered", &["is_mfa_registered".into()]);
        assert_eq!(clash.ident, "is_mfa_registered_2");
        assert_eq!(clash.rename.as_deref(), Some("isMFARegistered"));
        assert_eq!(field("type", &["r#type".into()]).ident, "type_2");
    }

    #[test]
    fn variants() {
        assert_eq!(
            variant("notApplicable", &[]),
            Named { ident: "NotApplicable".into(), rename: None }
        );
        assert_eq!(variant("iOS", &[]).rename, None);
        assert_eq!(variant("Self", &[]).ident, "MemberSelf");
        let digit = variant("2g", &[]);
        assert_eq!(digit, Named { ident: "Member2g".into(), rename: Some("2g".into()) });
        let snake = variant("onprem_external", &[]);
        assert_eq!(
            snake,
            Named { ident: "OnpremExternal".into(), rename: Some("onprem_external".into()) }
        );
        let clash = variant("other", &["Other".into()]);
        assert_eq!(clash, Named { ident: "Other2".into(), rename: Some("other".into()) });
    }
}
