//! Resolving a path such as `/deviceAppManagement/mobileAppConfigurations/{id}/userStatuses`
//! to what it addresses, segment by segment, with the reason and a suggestion when a segment
//! does not fit.

use std::fmt;

use crate::model::{Clouds, Restrictions, RootKind};
use crate::{Schema, suggest};

/// What a path addresses.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Resolved {
    /// The entity type's qualified name, such as `microsoft.graph.user`.
    pub ty: String,
    /// Whether the path addresses a collection (an entity set, a collection-valued navigation)
    /// rather than one entity.
    pub collection: bool,
    /// Whether the last navigation contains its targets (they are created through it).
    pub contained: bool,
    /// The clouds whose metadata has every segment (and the types they lead through).
    pub clouds: Clouds,
    /// What the metadata allows on the last segment.
    pub restrictions: Restrictions,
    /// Each segment as written, with the clouds whose metadata has it (and the type it leads
    /// to); a key placeholder exists everywhere.
    pub segments: Vec<(String, Clouds)>,
}

/// Why a path does not resolve: the segment, what is wrong, and a likely correction.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PathProblem {
    /// The 0-based index of the segment, `/` not counted.
    pub index: usize,
    /// The segment as written.
    pub segment: String,
    /// What is wrong, in a sentence.
    pub message: String,
    /// A segment that would fit, when one is close.
    pub suggestion: Option<String>,
}

impl fmt::Display for PathProblem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)?;
        if let Some(suggestion) = &self.suggestion {
            write!(f, "; did you mean `{suggestion}`?")?;
        }
        Ok(())
    }
}

impl std::error::Error for PathProblem {}

impl Schema {
    /// Resolves a path of entity sets, singletons, navigation properties, `{key}` placeholders
    /// after collections, and type-cast segments (`microsoft.graph.iosMobileAppConfiguration`).
    ///
    /// # Errors
    ///
    /// A [`PathProblem`] naming the first segment that does not fit, with a suggestion.
    pub fn resolve(&self, path: &str) -> Result<Resolved, PathProblem> {
        let mut segments = path.trim_start_matches('/').split('/').enumerate();
        let (_, first) = segments.next().unwrap_or((0, ""));
        let problem =
            |index: usize, segment: &str, message: String, suggestion: Option<&str>| PathProblem {
                index,
                segment: segment.to_owned(),
                message,
                suggestion: suggestion.map(str::to_owned),
            };
        let Some(root) = self.root(first) else {
            let names = self.roots().iter().map(|r| r.name.as_str());
            return Err(problem(
                0,
                first,
                format!("`{first}` is not an entity set or singleton of {}", self.name()),
                suggest(first, names),
            ));
        };
        let root_type = self.get(&root.ty).map_or(Clouds::ALL, |t| t.clouds);
        let root_clouds = root.clouds.intersection(root_type);
        let mut at = Resolved {
            ty: root.ty.clone(),
            collection: root.kind == RootKind::EntitySet,
            contained: false,
            clouds: root_clouds,
            restrictions: root.restrictions,
            segments: vec![(first.to_owned(), root_clouds)],
        };
        let mut previous = first;
        for (index, segment) in segments {
            if segment.starts_with('{') && segment.ends_with('}') {
                if !at.collection {
                    return Err(problem(
                        index,
                        segment,
                        format!(
                            "a key placeholder follows a collection, but `{previous}` is a single `{}`",
                            short(&at.ty)
                        ),
                        None,
                    ));
                }
                at.collection = false;
                at.segments.push((segment.to_owned(), Clouds::ALL));
            } else if segment.contains('.') {
                let Some(cast) = self.get(segment) else {
                    let derived = self.derived(&at.ty);
                    let names = derived.iter().map(|t| t.name.as_str());
                    return Err(problem(
                        index,
                        segment,
                        format!("`{segment}` is not a type of {}", self.name()),
                        suggest(segment, names),
                    ));
                };
                if !self.is_derived_from(&cast.name, &at.ty) {
                    return Err(problem(
                        index,
                        segment,
                        format!("the type cast `{segment}` does not derive from `{}`", at.ty),
                        None,
                    ));
                }
                at.ty = cast.name.clone();
                at.clouds = at.clouds.intersection(cast.clouds);
                at.segments.push((segment.to_owned(), cast.clouds));
            } else {
                if at.collection {
                    return Err(problem(
                        index,
                        segment,
                        format!(
                            "`{segment}` follows the collection `{previous}`: put a key placeholder between them, as in `{previous}/{{id}}/{segment}`"
                        ),
                        None,
                    ));
                }
                let Some(navigation) = self.navigation(&at.ty, segment) else {
                    let navigations = self.navigations(&at.ty);
                    let names = navigations.iter().map(|n| n.name.as_str());
                    let message = if self.property(&at.ty, segment).is_some() {
                        format!(
                            "`{segment}` is a property of `{}`, not a navigation property",
                            short(&at.ty)
                        )
                    } else if let Some(owner) = self
                        .derived(&at.ty)
                        .into_iter()
                        .find(|t| t.navigation.iter().any(|n| n.name == segment))
                    {
                        format!(
                            "`{segment}` is a navigation property of the derived type `{}`: cast to it first, as in `{previous}/{}/{segment}`",
                            owner.name, owner.name
                        )
                    } else {
                        format!("`{}` has no navigation property `{segment}`", short(&at.ty))
                    };
                    return Err(problem(index, segment, message, suggest(segment, names)));
                };
                let target = self.get(&navigation.ty.name).map_or(Clouds::ALL, |t| t.clouds);
                let own = navigation.clouds.intersection(target);
                at.segments.push((segment.to_owned(), own));
                at = Resolved {
                    ty: navigation.ty.name.clone(),
                    collection: navigation.ty.collection,
                    contained: navigation.contains_target,
                    clouds: at.clouds.intersection(own),
                    restrictions: navigation.restrictions,
                    segments: at.segments,
                };
            }
            previous = segment;
        }
        Ok(at)
    }
}

fn short(name: &str) -> &str {
    name.rsplit('.').next().unwrap_or(name)
}
