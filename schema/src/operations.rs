//! Actions and functions: those bound to a type (its bases' included), and resolving a path
//! whose last segment invokes one, such as
//! `/deviceAppManagement/mobileAppConfigurations/{id}/assign`.

use crate::model::{Clouds, OperationDef};
use crate::resolve::{PathProblem, Resolved};
use crate::{Schema, suggest};

/// What a path ending in an action or a function invokes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ResolvedOperation<'s> {
    /// What the path before the operation addresses: the binding entity or collection; `None`
    /// for an unbound operation at the root.
    pub binding: Option<Resolved>,
    /// The operations of that name bound there (or imported at the root), the most derived
    /// binding first; more than one only for an overloaded function.
    pub overloads: Vec<&'s OperationDef>,
}

impl ResolvedOperation<'_> {
    /// The clouds whose metadata has every segment of the path before the operation.
    pub fn path_clouds(&self) -> Clouds {
        self.binding.as_ref().map_or(Clouds::ALL, |b| b.clouds)
    }
}

impl Schema {
    /// Every action and function, sorted by qualified name.
    pub fn operations(&self) -> &[OperationDef] {
        &self.model.operations
    }

    /// The `delta` function of a collection of `ty`: bound to a collection of `ty` or one of its
    /// bases, taking no required parameter, and returning a collection of that type, as users',
    /// groups' and applications' do. `None` when the metadata has none there.
    pub fn delta(&self, ty: &str) -> Option<&OperationDef> {
        use crate::model::OperationKind;
        self.bound_operations(ty, true).into_iter().find(|o| {
            o.kind == OperationKind::Function
                && o.short_name() == "delta"
                && o.required(Clouds::GLOBAL).next().is_none()
                && o.returns.as_ref().is_some_and(|r| {
                    r.collection && self.ancestry(ty).any(|base| base.name == r.name)
                })
        })
    }

    /// The actions and functions bound to `ty` or one of its bases, as one entity
    /// (`collection == false`) or as a collection of them; where a type and its base both bind
    /// an operation of a name, the type's comes first.
    pub fn bound_operations(&self, ty: &str, collection: bool) -> Vec<&OperationDef> {
        let mut found = Vec::new();
        for owner in self.ancestry(ty) {
            for &i in self.bound.get(owner.name.as_str()).map_or(&[][..], Vec::as_slice) {
                let operation = &self.model.operations[i];
                if operation.binding.as_ref().is_some_and(|b| b.collection == collection) {
                    found.push(operation);
                }
            }
        }
        found
    }

    /// The unbound actions and functions, by the name of their import at the root.
    pub fn imported_operations(&self) -> impl Iterator<Item = &OperationDef> {
        self.model.operations.iter().filter(|o| o.import.is_some())
    }

    /// Resolves a path whose last segment invokes an action or a function: bound to what the
    /// path before it addresses (an entity or a collection, type casts allowed), or imported at
    /// the root. The segment is the operation's short name in Graph's default namespace
    /// (`assign`) or its qualified name (`microsoft.graph.assign`,
    /// `microsoft.graph.security.runHuntingQuery`).
    ///
    /// # Errors
    ///
    /// A [`PathProblem`] naming the first segment that does not fit, with a suggestion.
    pub fn resolve_operation(&self, path: &str) -> Result<ResolvedOperation<'_>, PathProblem> {
        let trimmed = path.trim_start_matches('/');
        let (before, segment) = match trimmed.rsplit_once('/') {
            Some((before, segment)) => (Some(before), segment),
            None => (None, trimmed),
        };
        let index = trimmed.matches('/').count();
        let problem = |message: String, suggestion: Option<&str>| PathProblem {
            index,
            segment: segment.to_owned(),
            message,
            suggestion: suggestion.map(str::to_owned),
        };
        let Some(before) = before else {
            let overloads: Vec<&OperationDef> =
                self.imported_operations().filter(|o| o.segment() == segment).collect();
            if overloads.is_empty() {
                let names = self.imported_operations().map(OperationDef::segment);
                return Err(problem(
                    format!(
                        "`{segment}` is not an action or function imported at the root of {} (bound ones follow the path of what they are bound to)",
                        self.name()
                    ),
                    suggest(segment, names),
                ));
            }
            return Ok(ResolvedOperation { binding: None, overloads });
        };
        let binding = self.resolve(before)?;
        let candidates = self.bound_operations(&binding.ty, binding.collection);
        let matches = |o: &OperationDef| o.segment() == segment || o.name == segment;
        let overloads: Vec<&OperationDef> =
            candidates.iter().copied().filter(|o| matches(o)).collect();
        if let Some(first) = overloads.first() {
            // The most derived binding only: a type's own operation hides its base's.
            let binding_type = first.binding.clone();
            let overloads = overloads.into_iter().filter(|o| o.binding == binding_type).collect();
            return Ok(ResolvedOperation { binding: Some(binding), overloads });
        }
        let what = if binding.collection { "a collection of `" } else { "`" };
        let short = binding.ty.rsplit('.').next().unwrap_or(&binding.ty);
        let other_side = self.bound_operations(&binding.ty, !binding.collection);
        let derived = || {
            self.derived(&binding.ty).into_iter().find(|t| {
                self.bound_operations(&t.name, binding.collection).iter().any(|o| matches(o))
            })
        };
        let message = if other_side.iter().any(|o| matches(o)) {
            if binding.collection {
                format!(
                    "`{segment}` is bound to one `{short}`, not to the collection `/{before}`: put a key placeholder before it, as in `/{before}/{{id}}/{segment}`"
                )
            } else {
                format!("`{segment}` is bound to the collection of `{short}`, not to one of them")
            }
        } else if let Some(owner) = derived() {
            format!(
                "`{segment}` is bound to the derived type `{}`: cast to it first, as in `/{before}/{}/{segment}`",
                owner.name, owner.name
            )
        } else {
            let mut names: Vec<&str> = candidates.iter().map(|o| o.segment()).collect();
            names.sort_unstable();
            names.dedup();
            let shown: Vec<String> = names.iter().take(12).map(|n| format!("`{n}`")).collect();
            let more = match names.len().saturating_sub(12) {
                0 => String::new(),
                more => format!(" and {more} more"),
            };
            let listed = match names.len() {
                0 => "none is".to_owned(),
                1 => format!("only {} is", shown[0]),
                _ => format!("{}{more} are", shown.join(", ")),
            };
            format!("no action or function `{segment}` is bound to {what}{short}`; {listed}")
        };
        let names = candidates.iter().map(|o| o.segment());
        Err(problem(message, suggest(segment, names)))
    }
}
