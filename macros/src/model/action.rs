//! The checked model of a `#[graph_action]` declaration: a struct whose fields are the action's
//! parameters, at a path that ends in the action's segment.

use syn::{DeriveInput, Ident, LitStr, Type};

use super::{
    Complex, Entity, Metadata, Needs, check_fields, check_generics, crate_path, named_fields,
    path_template,
};
use crate::attr::{MacroArgs, MacroKind};
use crate::ctxt::Ctxt;

/// A checked `#[graph_action]` struct.
pub(crate) struct Action<'a> {
    /// The parameters, as the fields of a value written without `@odata.type`: the struct's
    /// wire format is that of a complex value.
    pub(crate) params: Entity<'a>,
    /// The action's qualified name, such as `microsoft.graph.assign`.
    pub(crate) name: String,
    /// `returns = ...`: the result's Rust type.
    pub(crate) returns: Option<Type>,
    /// Where the result is in the answer.
    pub(crate) result: ResultKind,
    /// For a composable function returning entities: their Rust type, which query options on
    /// the result name.
    pub(crate) composable: Option<&'a Type>,
    /// Compile-time comparisons of a user type with the Graph type it must hold: the result's
    /// and each entity-typed parameter's.
    pub(crate) type_checks: Vec<TypeCheck<'a>>,
    /// Invoking it twice does what invoking it once does.
    pub(crate) idempotent: bool,
    /// A function (`GET`, parameters in the URL), not an action.
    pub(crate) function: bool,
    /// For a function, how each declared parameter is written in the URL.
    pub(crate) writes: Vec<ParameterWrite<'a>>,
}

/// How a function's parameter is written in its URL.
pub(crate) struct ParameterWrite<'a> {
    pub(crate) field: &'a Ident,
    /// The parameter's name.
    pub(crate) name: String,
    /// An OData literal (a primitive or enum value), or a parameter alias with the value as
    /// JSON (a complex, entity or collection value).
    pub(crate) literal: bool,
    /// The field is an `Option`: `None` writes `null`, or nothing where the parameter is
    /// optional.
    pub(crate) option: bool,
    pub(crate) optional: bool,
}

/// Where an action's result is in the answer (the runtime's `ResultShape`).
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub(crate) enum ResultKind {
    None,
    Entity,
    Value,
    Collection,
    Stream,
}

/// A user type that must be a declaration of a Graph type: compared in a constant at the type's
/// span, as the macro cannot see the type's declaration.
pub(crate) struct TypeCheck<'a> {
    /// The Rust (element) type.
    pub(crate) ty: &'a Type,
    /// What holds it, for the message: ``parameter `assignments` `` or `the result`.
    pub(crate) what: String,
    /// The Graph type it must be a declaration of.
    pub(crate) expected: Expected,
}

/// The trait and the names a [`TypeCheck`] compares.
pub(crate) enum Expected {
    /// A `#[graph_enum]` of this enum.
    Enum(String),
    /// A `#[graph_complex]` of this type or one derived from it.
    Complex(String),
    /// A `#[graph_entity]` whose `@odata.type` is one of these (the type and its derived
    /// types).
    Entity(String, Vec<String>),
}

/// What checking an action against the metadata found.
pub(crate) struct CheckedAction<'a> {
    pub(crate) name: String,
    /// For a composable function returning entities: their Rust type, which query options name.
    pub(crate) composable: Option<&'a Type>,
    pub(crate) result: ResultKind,
    pub(crate) enum_fields: Vec<(&'a Type, &'a Ident, String)>,
    pub(crate) complex_fields: Vec<(&'a Type, &'a Ident, String)>,
    pub(crate) type_checks: Vec<TypeCheck<'a>>,
    pub(crate) availability: (u8, Vec<(u8, String)>),
    pub(crate) throttling: Option<(&'static str, u32, u64)>,
    /// The permissions of its request.
    pub(crate) permissions: Needs,
    /// For a function, how each parameter is written.
    pub(crate) writes: Vec<ParameterWrite<'a>>,
    /// What of the parameters and the result the (beta) metadata only infers, for the docs.
    pub(crate) inferred: Vec<String>,
}

impl<'a> Action<'a> {
    pub(crate) fn from_input(
        cx: &mut Ctxt,
        metadata: &impl Metadata,
        kind: MacroKind,
        args: &'a MacroArgs,
        input: &'a DeriveInput,
    ) -> Option<Self> {
        let function = kind == MacroKind::Function;
        let (what, macro_name) =
            if function { ("functions", "graph_function") } else { ("actions", "graph_action") };
        check_generics(cx, input, what);
        let fields = named_fields(cx, input, macro_name);
        let fields = fields.map(|fields| check_fields(cx, fields, false));
        if let Some(fields) = &fields {
            for field in fields {
                if field.extra {
                    cx.error_spanned_by(field.ident, "an action or function takes the parameters the metadata declares, and no others: `#[graph(extra)]` does not apply");
                }
                if field.required_on_create {
                    cx.error_spanned_by(field.ident, "a parameter the action requires is declared without `Option`: `#[graph(required)]` does not apply");
                }
            }
        }
        let missing = if function {
            "missing `path` argument: `#[graph_function(path = \"/users/{userId}/reminderView\")]`"
        } else {
            "missing `path` argument: `#[graph_action(path = \"/deviceManagement/managedDevices/{managedDeviceId}/syncDevice\")]`"
        };
        let template = path_template(cx, args, missing);
        let checked = match (&args.path, &template, &fields) {
            (Some(path), Some(_), Some(fields)) => metadata.action(
                cx,
                function,
                path,
                args.returns.as_ref(),
                &args.clouds,
                input,
                fields,
            ),
            _ => None,
        }?;
        let path: &LitStr = args.path.as_ref()?;
        let params = Entity {
            input,
            krate: crate_path(args),
            path: Some(path.clone()),
            template: Some(template?),
            odata_type: format!("the parameters of `{}`", checked.name),
            fields: fields?,
            enum_fields: checked.enum_fields,
            complex_fields: checked.complex_fields,
            availability: Some(checked.availability),
            // Written as a complex value without `@odata.type`.
            complex: Some(Complex { bases: Vec::new(), write_type: false }),
            directory_object: false,
            delta: false,
            cast: None,
            navigations: Vec::new(),
            throttling: checked.throttling,
            permissions: vec![checked.permissions],
            single: false,
            version: super::version_of(args),
            inferred: checked.inferred,
        };
        Some(Action {
            params,
            name: checked.name,
            returns: args.returns.clone(),
            result: checked.result,
            composable: checked.composable,
            type_checks: checked.type_checks,
            idempotent: args.idempotent.is_some(),
            function,
            writes: checked.writes,
        })
    }
}
