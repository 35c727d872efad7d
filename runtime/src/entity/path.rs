//! Path templates, split into literal text and placeholders at compile time.

use percent_encoding::{AsciiSet, NON_ALPHANUMERIC, utf8_percent_encode};

use crate::cloud::ApiVersion;
use crate::error::PathError;

/// Everything but RFC 3986's unreserved characters is escaped, so that an argument always stays
/// inside its own segment: `/`, `?`, `#` and `%` in an id are data, never structure.
const SEGMENT: &AsciiSet = &NON_ALPHANUMERIC.remove(b'-').remove(b'.').remove(b'_').remove(b'~');

/// A path such as `/users/{userId}/events`, parsed and checked by the `#[graph_entity]` macro
/// at compile time: rendering it does no parsing.
///
/// ```
/// use graph_entity_runtime::{entity::PathTemplate, error::PathError};
/// # use graph_entity_runtime::__private::PathPart;
/// # const T: PathTemplate = PathTemplate::__from_parts("/users/{userId}/events", &[
/// #     PathPart::Literal("/users/"), PathPart::Placeholder("userId"), PathPart::Literal("/events")]);
/// // `T` is `<Event as GraphEntity>::PATH` for an entity declared with that path.
/// assert_eq!(T.as_str(), "/users/{userId}/events");
/// assert_eq!(T.placeholders().collect::<Vec<_>>(), ["userId"]);
/// assert_eq!(T.render(&["a/b?c#d%"])?, "/users/a%2Fb%3Fc%23d%25/events");
/// assert_eq!(T.render(&[""]), Err(PathError::Empty { placeholder: "userId" }));
/// # Ok::<(), PathError>(())
/// ```
#[derive(Debug, Clone, Copy)]
pub struct PathTemplate {
    template: &'static str,
    parts: &'static [PathPart],
    version: Option<ApiVersion>,
}

/// One piece of a [`PathTemplate`]. Not public API: generated code builds these.
#[doc(hidden)]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PathPart {
    /// Literal text, already valid in a URL path.
    Literal(&'static str),
    /// A placeholder, by name.
    Placeholder(&'static str),
}

impl PathTemplate {
    /// Not public API: the macro calls this with a template it has checked.
    #[doc(hidden)]
    pub const fn __from_parts(template: &'static str, parts: &'static [PathPart]) -> Self {
        Self { template, parts, version: None }
    }

    /// Not public API: the macro pins a checked declaration to the version it was checked
    /// against.
    #[doc(hidden)]
    #[must_use]
    pub const fn __in(self, version: ApiVersion) -> Self {
        Self { version: Some(version), ..self }
    }

    /// The Graph version this path's requests go to, whatever the client's default: `v1.0`
    /// for a declaration checked against v1.0, `beta` for one declared `beta`; `None` for an
    /// `unchecked` one, which goes where the client's base URL points.
    ///
    /// ```
    /// use graph_entity_runtime::{cloud::ApiVersion, entity::PathTemplate};
    /// # use graph_entity_runtime::__private::PathPart;
    /// # const T: PathTemplate = PathTemplate::__from_parts("/deviceManagement/configurationPolicies",
    /// #     &[PathPart::Literal("/deviceManagement/configurationPolicies")]).__in(ApiVersion::Beta);
    /// // `T` is the `PATH` of a `#[graph_entity(path = "...", beta)]` declaration.
    /// assert_eq!(T.version(), Some(ApiVersion::Beta));
    /// ```
    pub const fn version(&self) -> Option<ApiVersion> {
        self.version
    }

    /// The template as written, such as `/users/{userId}/events`.
    pub const fn as_str(&self) -> &'static str {
        self.template
    }

    /// The placeholder names, in order.
    pub fn placeholders(&self) -> impl Iterator<Item = &'static str> + '_ {
        self.parts.iter().filter_map(|part| match part {
            PathPart::Placeholder(name) => Some(*name),
            PathPart::Literal(_) => None,
        })
    }

    /// Fills the placeholders in order, each argument percent-encoded as data inside its
    /// segment.
    ///
    /// # Errors
    ///
    /// [`PathError`] when the number of arguments is wrong, an argument is empty, or an argument
    /// would make a `.` or `..` segment (which URL parsers remove, changing the endpoint).
    pub fn render(&self, args: &[&str]) -> Result<String, PathError> {
        let capacity = self.template.len() + args.iter().map(|a| a.len() * 3).sum::<usize>();
        let mut out = String::with_capacity(capacity);
        self.render_into(&mut out, args)?;
        Ok(out)
    }

    /// [`render`](Self::render), appended to `out` (such as a service root).
    pub(crate) fn render_into(&self, out: &mut String, args: &[&str]) -> Result<(), PathError> {
        let expected = self.placeholders().count();
        if args.len() != expected {
            return Err(PathError::ArgumentCount {
                template: self.template,
                expected,
                found: args.len(),
            });
        }
        let mut segment = Segment { start: out.len(), placeholder: None };
        let mut args = args.iter();
        for part in self.parts {
            match part {
                PathPart::Literal(text) => match text.find('/') {
                    None => out.push_str(text),
                    Some(first) => {
                        // The segment that held an argument ends at the first `/`; the next
                        // one that may hold one starts after the last.
                        out.push_str(&text[..first]);
                        segment.close(out)?;
                        let last = text.rfind('/').unwrap_or(first);
                        out.push_str(&text[first..=last]);
                        segment = Segment { start: out.len(), placeholder: None };
                        out.push_str(&text[last + 1..]);
                    }
                },
                PathPart::Placeholder(name) => {
                    let arg = args.next().copied().unwrap_or_default();
                    if arg.is_empty() {
                        return Err(PathError::Empty { placeholder: name });
                    }
                    out.extend(utf8_percent_encode(arg, SEGMENT));
                    segment.placeholder = Some(name);
                }
            }
        }
        segment.close(out)
    }
}

/// The arguments that fill a path's placeholders, in order: `()` when it has none, `&str` for
/// one, a tuple `(&str, &str, …)` for more (up to 12). Each entity says which in
/// [`GraphEntity::PathArgs`](crate::GraphEntity::PathArgs), so that the compiler checks how
/// many arguments an operation gets.
///
/// ```
/// use graph_entity_runtime::entity::PathArgs;
///
/// assert_eq!(().segments().as_ref(), [] as [&str; 0]);
/// assert_eq!("4b2a9c1e".segments().as_ref(), ["4b2a9c1e"]);
/// assert_eq!(("adele@contoso.com", "AAMkAGI2").segments().as_ref(), ["adele@contoso.com", "AAMkAGI2"]);
/// ```
pub trait PathArgs<'a>: Copy + Send + Sync + sealed::Sealed {
    /// The arguments as an array.
    type Segments: AsRef<[&'a str]> + Send + Sync;

    /// The arguments, in order.
    fn segments(self) -> Self::Segments;
}

mod sealed {
    pub trait Sealed {}
}

impl sealed::Sealed for () {}

impl<'a> PathArgs<'a> for () {
    type Segments = [&'a str; 0];

    fn segments(self) -> [&'a str; 0] {
        []
    }
}

impl sealed::Sealed for &str {}

impl<'a> PathArgs<'a> for &'a str {
    type Segments = [&'a str; 1];

    fn segments(self) -> [&'a str; 1] {
        [self]
    }
}

/// `PathArgs` for the tuples of `&str`, two to twelve.
macro_rules! tuple_args {
    ($($n:literal: ($($name:ident),+);)+) => {$(
        impl sealed::Sealed for ($(tuple_args!(@str $name),)+) {}

        impl<'a> PathArgs<'a> for ($(tuple_args!(@a $name),)+) {
            type Segments = [&'a str; $n];

            fn segments(self) -> [&'a str; $n] {
                let ($($name,)+) = self;
                [$($name),+]
            }
        }
    )+};
    (@str $name:ident) => { &str };
    (@a $name:ident) => { &'a str };
}

tuple_args! {
    2: (a, b);
    3: (a, b, c);
    4: (a, b, c, d);
    5: (a, b, c, d, e);
    6: (a, b, c, d, e, f);
    7: (a, b, c, d, e, f, g);
    8: (a, b, c, d, e, f, g, h);
    9: (a, b, c, d, e, f, g, h, i);
    10: (a, b, c, d, e, f, g, h, i, j);
    11: (a, b, c, d, e, f, g, h, i, j, k);
    12: (a, b, c, d, e, f, g, h, i, j, k, l);
}

/// Appends `/` and `arg` as one more percent-encoded segment, such as an entity's key.
#[cfg(feature = "client")]
pub(crate) fn push_segment(
    path: &mut String,
    name: &'static str,
    arg: &str,
) -> Result<(), PathError> {
    if arg.is_empty() {
        return Err(PathError::Empty { placeholder: name });
    }
    if arg == "." || arg == ".." {
        return Err(PathError::DotSegment { placeholder: name });
    }
    path.push('/');
    path.extend(utf8_percent_encode(arg, SEGMENT));
    Ok(())
}

struct Segment {
    start: usize,
    placeholder: Option<&'static str>,
}

impl Segment {
    /// Refuses a segment with a placeholder that reads as `.` or `..` once URL normalisation
    /// decodes it (`%2e` is `.`): it would change the endpoint.
    fn close(&self, out: &str) -> Result<(), PathError> {
        let Some(placeholder) = self.placeholder else { return Ok(()) };
        let text = &out[self.start..];
        // `..` written at its longest is `%2e%2e`: a longer segment is neither.
        if text.len() > 6 {
            return Ok(());
        }
        let segment = percent_encoding::percent_decode_str(text);
        match &*segment.decode_utf8_lossy() {
            "." | ".." => Err(PathError::DotSegment { placeholder }),
            _ => Ok(()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const SEED: PathTemplate = PathTemplate::__from_parts(
        "/deviceAppManagement/mobileAppConfigurations/{managedDeviceMobileAppConfigurationId}/userStatuses",
        &[
            PathPart::Literal("/deviceAppManagement/mobileAppConfigurations/"),
            PathPart::Placeholder("managedDeviceMobileAppConfigurationId"),
            PathPart::Literal("/userStatuses"),
        ],
    );

    fn seed(arg: &str) -> Result<String, PathError> {
        SEED.render(&[arg])
    }

    #[test]
    fn every_argument_stays_in_its_segment() {
        let prefix = "/deviceAppManagement/mobileAppConfigurations/";
        for (arg, encoded) in [
            ("1f4c", "1f4c"),
            ("../users", "..%2Fusers"),
            ("a/b?c#d%", "a%2Fb%3Fc%23d%25"),
            ("caf\u{e9} \u{1f600}", "caf%C3%A9%20%F0%9F%98%80"),
            ("%2e%2e", "%252e%252e"),
            ("x'y", "x%27y"),
            ("...", "..."),
            ("-._~", "-._~"),
        ] {
            assert_eq!(seed(arg).unwrap(), format!("{prefix}{encoded}/userStatuses"), "{arg}");
        }
    }

    #[test]
    fn refuses_empty_and_dot_segments() {
        let name = "managedDeviceMobileAppConfigurationId";
        assert_eq!(seed(""), Err(PathError::Empty { placeholder: name }));
        assert_eq!(seed("."), Err(PathError::DotSegment { placeholder: name }));
        assert_eq!(seed(".."), Err(PathError::DotSegment { placeholder: name }));
        const TWO: PathTemplate = PathTemplate::__from_parts(
            "/a/{x}{y}",
            &[PathPart::Literal("/a/"), PathPart::Placeholder("x"), PathPart::Placeholder("y")],
        );
        assert_eq!(TWO.render(&[".", "."]), Err(PathError::DotSegment { placeholder: "y" }));
        assert_eq!(TWO.render(&[".", "x"]).unwrap(), "/a/.x");
        // The macro refuses `%2e` in a literal; a template built by hand is checked all the same.
        const ENCODED_DOT: PathTemplate = PathTemplate::__from_parts(
            "/a/{x}%2e",
            &[PathPart::Literal("/a/"), PathPart::Placeholder("x"), PathPart::Literal("%2e")],
        );
        assert_eq!(ENCODED_DOT.render(&["."]), Err(PathError::DotSegment { placeholder: "x" }));
        assert_eq!(ENCODED_DOT.render(&["%"]).unwrap(), "/a/%25%2e");
    }

    #[test]
    fn checks_the_argument_count() {
        assert!(matches!(
            SEED.render(&[]),
            Err(PathError::ArgumentCount { expected: 1, found: 0, .. })
        ));
        assert!(matches!(
            SEED.render(&["a", "b"]),
            Err(PathError::ArgumentCount { expected: 1, found: 2, .. })
        ));
    }
}
