//! `$filter`: a small recursive-descent parser to an expression checked against the schema
//! (property names, operand types, enum members), and its evaluation on stored entities.
//!
//! Served: `eq ne gt ge lt le`, `and or not`, parentheses, `in (…)`, `startswith`, `endswith`,
//! `contains`, `tolower`, `toupper`; literals for strings (`'it''s'`), numbers, booleans,
//! `null`, dates (`2024-01-31`), date-times (`2024-01-31T10:00:00Z`, unquoted as OData writes
//! them), GUIDs and enum members (`'compliant'` or `microsoft.graph.complianceStatus'compliant'`);
//! property paths through complex values (`settings/appConfigKey`). Lambda operators
//! (`any`, `all`) and other functions are refused as not served.
//!
//! Nothing here panics or recurses without bound on hostile input: nesting (parentheses, `not`,
//! `tolower`/`toupper`) is limited to [`MAX_DEPTH`], chains of `and` and `or` are held flat
//! (one node with its terms, however long the chain), so that parsing, evaluating and dropping an
//! expression recurse at most [`MAX_DEPTH`] levels; and an expression has at most
//! [`MAX_OPERANDS`] operands, so that evaluating it on an entity is bounded too. Every problem is
//! an error naming it.
//!
//! The types are here; [`lex`] reads the text into tokens, [`parse`] checks them against the
//! schema into a [`Filter`], and [`eval`] evaluates it on entities (and compares the values
//! `$orderby` sorts by). Each imports from the ones before it, never the other way.

mod eval;
mod lex;
mod parse;

pub(crate) use lex::{Tok, lex};

use graph_entity_schema::{Schema, TypeKind, TypeRef};

/// The deepest nesting of parentheses and `not` accepted.
pub(crate) const MAX_DEPTH: usize = 64;
/// The most operands (properties and literals, `in` lists included) in one expression.
pub(crate) const MAX_OPERANDS: usize = 10_000;

/// Why a query option is refused: invalid (Graph's `400`), or valid but not served by the
/// emulator (`501`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum QueryError {
    Invalid(String),
    Unsupported(String),
    /// A `400` with a code of its own, as the directory answers: `Request_UnsupportedQuery`.
    Coded(&'static str, String),
}

impl QueryError {
    /// Graph's answer to it: the status, the code and the message (`400 BadRequest`, or the
    /// directory's own code; `501 NotImplemented` for what the emulator does not serve).
    pub(crate) fn into_answer(self) -> (u16, &'static str, String) {
        match self {
            QueryError::Invalid(message) => (400, "BadRequest", message),
            QueryError::Unsupported(message) => (501, "NotImplemented", message),
            QueryError::Coded(code, message) => (400, code, message),
        }
    }
}

fn invalid<T>(message: impl Into<String>) -> Result<T, QueryError> {
    Err(QueryError::Invalid(message.into()))
}

/// A parsed, checked `$filter`.
#[derive(Debug)]
pub(crate) struct Filter {
    expr: Expr,
    /// String comparisons ignore case (directory objects).
    fold_case: bool,
    /// Operators Graph serves on directory objects only as advanced queries.
    pub(crate) advanced: Option<&'static str>,
}

#[derive(Debug)]
enum Expr {
    /// `a or b or …`: at least two terms, none of them an `Any` (a chain is one node).
    Any(Vec<Expr>),
    /// `a and b and …`: at least two terms, none of them an `All`.
    All(Vec<Expr>),
    Not(Box<Expr>),
    Compare(Op, Operand, Operand),
    In(Operand, Vec<Operand>),
    Text(TextFn, Operand, Operand),
    /// A boolean operand on its own: `accountEnabled`, `true`.
    Truth(Operand),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Op {
    Eq,
    Ne,
    Gt,
    Ge,
    Lt,
    Le,
}

impl Op {
    fn parse(word: &str) -> Option<Op> {
        Some(match word {
            "eq" => Op::Eq,
            "ne" => Op::Ne,
            "gt" => Op::Gt,
            "ge" => Op::Ge,
            "lt" => Op::Lt,
            "le" => Op::Le,
            _ => return None,
        })
    }

    /// As OData's messages name it.
    fn kind(self) -> &'static str {
        match self {
            Op::Eq => "Equal",
            Op::Ne => "NotEqual",
            Op::Gt => "GreaterThan",
            Op::Ge => "GreaterThanOrEqual",
            Op::Lt => "LessThan",
            Op::Le => "LessThanOrEqual",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum TextFn {
    StartsWith,
    EndsWith,
    Contains,
}

#[derive(Debug, Clone)]
enum Operand {
    Property(PropertyPath),
    Literal(Literal),
    Case { upper: bool, inner: Box<Operand> },
}

#[derive(Debug, Clone)]
enum Literal {
    Null,
    Bool(bool),
    Number(f64),
    Str(String),
    DateTime((i64, u32)),
    Date(String),
    Guid(String),
    Enum { member: String, value: i64 },
}

/// What a value is, for checking operands against each other.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Kind {
    Null,
    Bool,
    Number,
    String,
    DateTime,
    Date,
    Guid,
    /// An enum type, by qualified name, and its members with their values.
    Enum(String, Vec<(String, i64)>),
    /// A typed enum literal, or a string literal turned into the member it names.
    EnumLiteral,
    /// Anything else (complex values, collections, durations …): not comparable here.
    Other(String),
}

impl Kind {
    fn of(schema: &Schema, ty: &TypeRef) -> Kind {
        if ty.collection {
            return Kind::Other(ty.to_string());
        }
        match ty.name.as_str() {
            "Edm.Boolean" => Kind::Bool,
            "Edm.Byte" | "Edm.SByte" | "Edm.Int16" | "Edm.Int32" | "Edm.Int64" | "Edm.Double"
            | "Edm.Single" | "Edm.Decimal" => Kind::Number,
            "Edm.String" => Kind::String,
            "Edm.DateTimeOffset" => Kind::DateTime,
            "Edm.Date" => Kind::Date,
            "Edm.Guid" => Kind::Guid,
            other => match schema.get(other) {
                Some(def) if def.kind == TypeKind::Enum => Kind::Enum(
                    def.name.clone(),
                    def.members.iter().map(|m| (m.name.clone(), m.value)).collect(),
                ),
                _ => Kind::Other(ty.to_string()),
            },
        }
    }

    fn name(&self) -> &str {
        match self {
            Kind::Null => "null",
            Kind::Bool => "Edm.Boolean",
            Kind::Number => "Edm.Number",
            Kind::String => "Edm.String",
            Kind::DateTime => "Edm.DateTimeOffset",
            Kind::Date => "Edm.Date",
            Kind::Guid => "Edm.Guid",
            Kind::EnumLiteral => "enum",
            Kind::Enum(name, _) | Kind::Other(name) => name,
        }
    }
}

/// A property, possibly through complex values: `settings/appConfigKey`.
#[derive(Debug, Clone)]
pub(crate) struct PropertyPath {
    names: Vec<String>,
    kind: Kind,
}

impl PropertyPath {
    pub(crate) fn kind(&self) -> &Kind {
        &self.kind
    }
}
