//! The one rule for names between Graph's JSON and Rust: lowerCamelCase properties and members
//! become snake_case fields and PascalCase variants, and back. The `#[graph_entity]` macro reads
//! declarations with it and `graph-entity-gen` writes them with it, so that the two agree.
//!
//! ```
//! use graph_entity_schema::naming::{to_lower_camel_case, to_snake_case};
//!
//! assert_eq!(to_snake_case("lastReportedDateTime"), "last_reported_date_time");
//! assert_eq!(to_lower_camel_case("last_reported_date_time"), "lastReportedDateTime");
//! // Not every name comes back: such a property needs `#[graph(rename = "azureADDeviceId")]`.
//! assert_ne!(to_lower_camel_case(&to_snake_case("azureADDeviceId")), "azureADDeviceId");
//! ```

/// `managedDeviceMobileAppConfigurationId` becomes `managed_device_mobile_app_configuration_id`;
/// `userID` becomes `user_id`.
pub fn to_snake_case(name: &str) -> String {
    let chars: Vec<char> = name.chars().collect();
    let mut out = String::with_capacity(name.len() + 4);
    for (i, &c) in chars.iter().enumerate() {
        if c.is_ascii_uppercase() {
            let prev = i.checked_sub(1).map(|p| chars[p]);
            let next = chars.get(i + 1);
            let boundary = match prev {
                Some(p) if p.is_ascii_lowercase() || p.is_ascii_digit() => true,
                Some(p) if p.is_ascii_uppercase() => next.is_some_and(char::is_ascii_lowercase),
                _ => false,
            };
            if boundary && !out.ends_with('_') {
                out.push('_');
            }
            out.push(c.to_ascii_lowercase());
        } else {
            out.push(c);
        }
    }
    out
}

/// `devices_count` becomes `devicesCount`, as serde's `rename_all = "camelCase"` does.
pub fn to_lower_camel_case(snake: &str) -> String {
    let snake = snake.strip_prefix("r#").unwrap_or(snake);
    let mut out = String::with_capacity(snake.len());
    for (i, word) in snake.split('_').filter(|w| !w.is_empty()).enumerate() {
        let mut chars = word.chars();
        if i > 0 {
            if let Some(first) = chars.next() {
                out.extend(first.to_uppercase());
            }
        }
        out.push_str(chars.as_str());
    }
    out
}

/// `ManagedDeviceMobileAppConfigurationUserStatus` becomes
/// `managedDeviceMobileAppConfigurationUserStatus`; `NotApplicable` becomes `notApplicable`.
pub fn to_lower_first(name: &str) -> String {
    let name = name.strip_prefix("r#").unwrap_or(name);
    let mut chars = name.chars();
    match chars.next() {
        Some(first) => first.to_lowercase().chain(chars).collect(),
        None => String::new(),
    }
}

/// `notApplicable` becomes `NotApplicable`, as enum members become variants.
pub fn to_upper_first(name: &str) -> String {
    let mut chars = name.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn case_conversions() {
        assert_eq!(
            to_snake_case("managedDeviceMobileAppConfigurationId"),
            "managed_device_mobile_app_configuration_id"
        );
        assert_eq!(to_snake_case("userID"), "user_id");
        assert_eq!(to_snake_case("IDsOfThings"), "i_ds_of_things");
        assert_eq!(to_snake_case("config_id"), "config_id");
        assert_eq!(to_snake_case("ipv4Address"), "ipv4_address");
        assert_eq!(to_lower_camel_case("last_reported_date_time"), "lastReportedDateTime");
        assert_eq!(to_lower_camel_case("r#type"), "type");
        assert_eq!(to_lower_camel_case("ipv4_address"), "ipv4Address");
        assert_eq!(to_lower_first("NotApplicable"), "notApplicable");
    }

    #[test]
    fn upper_first() {
        assert_eq!(to_upper_first("notApplicable"), "NotApplicable");
        assert_eq!(to_lower_first(&to_upper_first("iOS")), "iOS");
        assert_eq!(to_upper_first(""), "");
    }
}
