//! The path template parser: `"/a/{fooId}/b"` into literal text and placeholders.
//!
//! Plain `std` code with no dependency on `syn`, so that it can be unit tested as a table and
//! compiled into a fuzz target on its own. It reports every problem it finds, not only the first.

/// A parsed path template.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Template {
    pub(crate) parts: Vec<Part>,
}

/// One piece of a template, in order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Part {
    /// Literal text, already valid in a URL path (it may contain `/`).
    Literal(String),
    /// A `{name}` placeholder; the name is an ASCII identifier.
    Placeholder(String),
}

impl Template {
    /// The placeholder names, in order.
    pub(crate) fn placeholders(&self) -> impl Iterator<Item = &str> {
        self.parts.iter().filter_map(|part| match part {
            Part::Placeholder(name) => Some(name.as_str()),
            Part::Literal(_) => None,
        })
    }
}

/// Parses a path template, returning every problem found in it.
///
/// The rules: the path starts with `/`; it has no query (`?`) or fragment (`#`); no segment is
/// empty, `.` or `..`; literal text uses only characters allowed in a URL path segment (RFC 3986
/// `pchar`, with `%XX` escapes only of characters that need them: `%2e` for `.` would let an
/// argument `.` make a `..` segment once URLs are normalised); each `{placeholder}` is a
/// non-empty ASCII identifier, closed in the segment that opened it, and used once.
pub(crate) fn parse(path: &str) -> Result<Template, Vec<String>> {
    let mut errors = Vec::new();
    if path.is_empty() {
        errors.push("`path` is empty; expected a path such as `/users/{userId}/events`".to_owned());
        return Err(errors);
    }
    if !path.starts_with('/') {
        errors.push(format!("`path` must start with `/`, found `{path}`"));
    }
    if path.contains('?') {
        errors.push(
            "`path` must not contain a query (`?`): the path names the endpoint only".to_owned(),
        );
    }
    if path.contains('#') {
        errors.push("`path` must not contain a fragment (`#`)".to_owned());
    }

    let mut parts = Vec::new();
    let mut literal = String::new();
    let mut seen: Vec<&str> = Vec::new();
    let body = path.strip_prefix('/').unwrap_or(path);
    for (index, segment) in body.split('/').enumerate() {
        if path.starts_with('/') || index > 0 {
            literal.push('/');
        }
        match segment {
            "" if index == 0 && body.is_empty() => {
                errors.push("`path` is only `/`; expected at least one segment".to_owned())
            }
            "" if body.ends_with('/') && index == body.split('/').count() - 1 => {
                errors.push(format!("`path` ends with `/`: remove the trailing slash in `{path}`"))
            }
            "" => errors.push(format!("`path` has an empty segment (`//`) in `{path}`")),
            "." | ".." => errors
                .push(format!("`path` has a `{segment}` segment: dot segments are not allowed")),
            _ => parse_segment(segment, &mut literal, &mut parts, &mut seen, &mut errors),
        }
    }
    if !literal.is_empty() {
        parts.push(Part::Literal(literal));
    }
    if errors.is_empty() { Ok(Template { parts }) } else { Err(errors) }
}

fn parse_segment<'a>(
    segment: &'a str,
    literal: &mut String,
    parts: &mut Vec<Part>,
    seen: &mut Vec<&'a str>,
    errors: &mut Vec<String>,
) {
    let bytes = segment.as_bytes();
    let mut i = 0;
    while i < segment.len() {
        let c = bytes[i];
        match c {
            b'{' => {
                let rest = &segment[i + 1..];
                let close = rest.find('}');
                let open = rest.find('{');
                match close {
                    Some(end) if open.is_none_or(|o| o > end) => {
                        let name = &rest[..end];
                        check_placeholder(name, seen, errors);
                        if !literal.is_empty() {
                            parts.push(Part::Literal(std::mem::take(literal)));
                        }
                        parts.push(Part::Placeholder(name.to_owned()));
                        i += end + 2;
                        continue;
                    }
                    _ => {
                        errors.push(format!(
                            "unbalanced `{{` in segment `{segment}`: a placeholder is closed by `}}` in the same segment, as in `{{userId}}`"
                        ));
                        return;
                    }
                }
            }
            b'}' => {
                errors.push(format!("unbalanced `}}` in segment `{segment}`: no `{{` opens it"));
                return;
            }
            b'%' => {
                let hex = bytes.get(i + 1..i + 3);
                if hex.is_some_and(|h| h.iter().all(u8::is_ascii_hexdigit)) {
                    let escape = &segment[i..i + 3];
                    let decoded = u8::from_str_radix(&escape[1..], 16).unwrap_or(b'%');
                    if is_unreserved(decoded) {
                        // `%2e` reads as `.` once URLs are normalised: with a placeholder next to
                        // it, an argument `.` would make a `..` segment.
                        errors.push(format!(
                            "`{escape}` in segment `{segment}` encodes `{}`, which needs no encoding; write it as is",
                            char::from(decoded)
                        ));
                        return;
                    }
                    literal.push_str(escape);
                    i += 3;
                    continue;
                }
                errors
                    .push(format!("`%` in segment `{segment}` is not followed by two hex digits"));
                return;
            }
            _ if is_pchar(c) => literal.push(char::from(c)),
            // Already reported once for the whole path.
            b'?' | b'#' => return,
            _ => {
                // `segment` is a `&str`, so this is the start of a character (multi-byte
                // characters start with a non-ASCII byte, which `is_pchar` rejects).
                let ch = segment[i..].chars().next().unwrap_or(char::REPLACEMENT_CHARACTER);
                errors.push(format!(
                    "character `{}` is not allowed in path segment `{segment}`; percent-encode it",
                    ch.escape_debug()
                ));
                return;
            }
        }
        i += 1;
    }
}

fn check_placeholder<'a>(name: &'a str, seen: &mut Vec<&'a str>, errors: &mut Vec<String>) {
    if name.is_empty() {
        errors.push("empty placeholder `{}`: name it, as in `{userId}`".to_owned());
        return;
    }
    if !is_identifier(name) {
        errors.push(format!(
            "placeholder `{{{name}}}` is not an identifier: use ASCII letters, digits and `_`, not starting with a digit (e.g. `{{{}}}`)",
            suggest_identifier(name)
        ));
        return;
    }
    if seen.contains(&name) {
        errors.push(format!("duplicate placeholder `{{{name}}}`: each placeholder is used once"));
        return;
    }
    seen.push(name);
}

/// RFC 3986 `unreserved`: never percent-encoded in a normalised URL.
fn is_unreserved(c: u8) -> bool {
    c.is_ascii_alphanumeric() || b"-._~".contains(&c)
}

/// RFC 3986 `pchar` without `%` (handled apart): unreserved, sub-delims, `:` and `@`.
fn is_pchar(c: u8) -> bool {
    c.is_ascii_alphanumeric() || b"-._~!$&'()*+,;=:@".contains(&c)
}

fn is_identifier(name: &str) -> bool {
    let mut chars = name.chars();
    matches!(chars.next(), Some(c) if c.is_ascii_alphabetic() || c == '_')
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '_')
        && name != "_"
}

/// `managedDeviceMobileAppConfiguration-id` suggests `managedDeviceMobileAppConfigurationId`.
fn suggest_identifier(name: &str) -> String {
    let mut out = String::new();
    let mut upper = false;
    for c in name.chars() {
        if c.is_ascii_alphanumeric() || c == '_' {
            if upper {
                out.push(c.to_ascii_uppercase());
            } else {
                out.push(c);
            }
            upper = false;
        } else {
            upper = !out.is_empty();
        }
    }
    if out.is_empty() || out.starts_with(|c: char| c.is_ascii_digit()) {
        out.insert_str(0, "id");
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lit(s: &str) -> Part {
        Part::Literal(s.to_owned())
    }
    fn ph(s: &str) -> Part {
        Part::Placeholder(s.to_owned())
    }

    #[test]
    fn parses_the_seed_path() {
        let t = parse("/deviceAppManagement/mobileAppConfigurations/{managedDeviceMobileAppConfigurationId}/userStatuses").unwrap();
        assert_eq!(
            t.parts,
            vec![
                lit("/deviceAppManagement/mobileAppConfigurations/"),
                ph("managedDeviceMobileAppConfigurationId"),
                lit("/userStatuses"),
            ]
        );
    }

    #[test]
    fn accepts_odata_segments_and_escapes() {
        let t = parse("/reports/getReport(period='{period}')/$value/a%20b").unwrap();
        assert_eq!(
            t.parts,
            vec![lit("/reports/getReport(period='"), ph("period"), lit("')/$value/a%20b")]
        );
        assert_eq!(parse("/$batch").unwrap().parts, vec![lit("/$batch")]);
        assert_eq!(parse("/{a}").unwrap().parts, vec![lit("/"), ph("a")]);
        assert_eq!(parse("/x/{a}{b}").unwrap().parts, vec![lit("/x/"), ph("a"), ph("b")]);
    }

    /// Each bad template, with the one message it must produce (a substring of it).
    #[test]
    fn rejects_bad_templates_with_one_message_each() {
        let table: &[(&str, &str)] = &[
            ("", "`path` is empty"),
            ("users", "must start with `/`"),
            ("/", "only `/`"),
            ("/users?$top=1", "query"),
            ("/users#x", "fragment"),
            ("/users//events", "empty segment"),
            ("/users/", "ends with `/`"),
            ("/users/./x", "`.` segment"),
            ("/users/../x", "`..` segment"),
            ("/users/{}", "empty placeholder"),
            ("/users/{id", "unbalanced `{` in segment `{id`"),
            ("/users/id}", "unbalanced `}`"),
            ("/users/{a{b}}", "unbalanced `{`"),
            ("/users/{user-id}", "placeholder `{user-id}` is not an identifier"),
            ("/users/{1d}", "is not an identifier"),
            ("/users/{_}", "is not an identifier"),
            ("/a/{id}/b/{id}", "duplicate placeholder `{id}`"),
            ("/a b", "character ` ` is not allowed"),
            ("/caf\u{e9}", "character `\u{e9}` is not allowed"),
            ("/a%2", "`%`"),
            ("/a%zz", "`%`"),
            ("/a/{x}%2e", "`%2e` in segment `{x}%2e` encodes `.`"),
            ("/a/%2E%2E", "encodes `.`"),
            ("/a/%41", "encodes `A`"),
            ("/a/%7e", "encodes `~`"),
        ];
        for (path, expected) in table {
            let errors = parse(path).expect_err(path);
            assert_eq!(errors.len(), 1, "{path}: {errors:?}");
            assert!(errors[0].contains(expected), "{path}: {errors:?}");
        }
    }

    #[test]
    fn reports_every_problem_at_once() {
        let errors = parse("users//{}/{a-b}?x").unwrap_err();
        assert_eq!(errors.len(), 5, "{errors:?}");
    }

    #[test]
    fn suggests_an_identifier() {
        let errors = parse("/a/{managedDeviceMobileAppConfiguration-id}").unwrap_err();
        assert!(errors[0].contains("`{managedDeviceMobileAppConfigurationId}`"), "{errors:?}");
    }
}
