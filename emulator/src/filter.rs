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
//! Nothing here panics or recurses without bound on hostile input: nesting is limited to
//! [`MAX_DEPTH`], and every problem is an error naming it.

use std::cmp::Ordering;

use graph_entity_schema::{Schema, TypeKind, TypeRef};
use serde_json::{Map, Value};

/// The deepest nesting of parentheses and `not` accepted.
pub(crate) const MAX_DEPTH: usize = 64;

/// Why a query option is refused: invalid (Graph's `400`), or valid but not served by the
/// emulator (`501`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum QueryError {
    Invalid(String),
    Unsupported(String),
    /// A `400` with a code of its own, as the directory answers: `Request_UnsupportedQuery`.
    Coded(&'static str, String),
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
    Or(Box<Expr>, Box<Expr>),
    And(Box<Expr>, Box<Expr>),
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
    /// Resolves `text` (`a/b/c`) on the entity type `ty`.
    pub(crate) fn resolve(schema: &Schema, ty: &str, text: &str) -> Result<Self, QueryError> {
        let mut owner = ty.to_owned();
        let names: Vec<String> = text.split('/').map(str::to_owned).collect();
        let mut kind = Kind::Other(String::new());
        for (i, name) in names.iter().enumerate() {
            let Some(property) = schema.property(&owner, name) else {
                if schema.navigation(&owner, name).is_some() {
                    return Err(QueryError::Unsupported(format!(
                        "'{name}' is a navigation property: filtering or ordering by navigation properties is not served by the emulator."
                    )));
                }
                return invalid(format!(
                    "Could not find a property named '{name}' on type '{owner}'."
                ));
            };
            let last = i + 1 == names.len();
            let complex =
                schema.get(&property.ty.name).is_some_and(|t| t.kind == TypeKind::Complex);
            if !last {
                if !complex || property.ty.collection {
                    return invalid(format!(
                        "The property '{name}' of type '{}' has no properties to address with '/'.",
                        property.ty
                    ));
                }
                owner = property.ty.name.clone();
            } else {
                kind = Kind::of(schema, &property.ty);
            }
        }
        Ok(Self { names, kind })
    }

    pub(crate) fn kind(&self) -> &Kind {
        &self.kind
    }

    /// The property's value in `entity`, `None` when absent or null.
    pub(crate) fn get<'v>(&self, entity: &'v Map<String, Value>) -> Option<&'v Value> {
        let (first, rest) = self.names.split_first()?;
        let mut value = entity.get(first)?;
        for name in rest {
            value = value.get(name)?;
        }
        (!value.is_null()).then_some(value)
    }

    /// The value as compared and sorted.
    pub(crate) fn value(&self, entity: &Map<String, Value>) -> Val {
        match self.get(entity) {
            None => Val::Null,
            Some(value) => Val::from_json(&self.kind, value),
        }
    }
}

/// A value, ready to compare.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Val {
    Null,
    Bool(bool),
    Number(f64),
    Str(String),
    Time((i64, u32)),
    /// An enum member and its value.
    Enum(String, i64),
    /// Not comparable.
    Opaque,
}

impl Val {
    fn from_json(kind: &Kind, value: &Value) -> Val {
        match (kind, value) {
            (Kind::Bool, Value::Bool(b)) => Val::Bool(*b),
            (Kind::Number, Value::Number(n)) => n.as_f64().map_or(Val::Opaque, Val::Number),
            (Kind::String | Kind::Date | Kind::Guid, Value::String(s)) => Val::Str(s.clone()),
            (Kind::DateTime, Value::String(s)) => instant(s).map_or(Val::Opaque, Val::Time),
            (Kind::Enum(_, members), Value::String(s)) => {
                let value = members.iter().find(|(m, _)| m == s).map_or(i64::MAX, |(_, v)| *v);
                Val::Enum(s.clone(), value)
            }
            _ => Val::Opaque,
        }
    }

    fn of_literal(literal: &Literal) -> Val {
        match literal {
            Literal::Null => Val::Null,
            Literal::Bool(b) => Val::Bool(*b),
            Literal::Number(n) => Val::Number(*n),
            Literal::Str(s) | Literal::Date(s) | Literal::Guid(s) => Val::Str(s.clone()),
            Literal::DateTime(t) => Val::Time(*t),
            Literal::Enum { member, value } => Val::Enum(member.clone(), *value),
        }
    }

    /// How two values compare; `None` when they cannot be (different kinds, opaque).
    pub(crate) fn compare(&self, other: &Val, fold_case: bool) -> Option<Ordering> {
        match (self, other) {
            (Val::Bool(a), Val::Bool(b)) => Some(a.cmp(b)),
            (Val::Number(a), Val::Number(b)) => a.partial_cmp(b),
            (Val::Str(a), Val::Str(b)) if fold_case => {
                Some(a.to_lowercase().cmp(&b.to_lowercase()))
            }
            (Val::Str(a), Val::Str(b)) => Some(a.cmp(b)),
            (Val::Time(a), Val::Time(b)) => Some(a.cmp(b)),
            (Val::Enum(a, x), Val::Enum(b, y)) => {
                Some(if a == b { Ordering::Equal } else { x.cmp(y) })
            }
            _ => None,
        }
    }

    /// A total order for `$orderby`: nulls first, then by value; values that cannot be
    /// compared keep their order.
    pub(crate) fn sort_order(&self, other: &Val, fold_case: bool) -> Ordering {
        match (self, other) {
            (Val::Null, Val::Null) => Ordering::Equal,
            (Val::Null, _) => Ordering::Less,
            (_, Val::Null) => Ordering::Greater,
            _ => self.compare(other, fold_case).unwrap_or(Ordering::Equal),
        }
    }
}

/// The instant of a `DateTimeOffset`: seconds since 1970 (UTC) and nanoseconds.
pub(crate) fn instant(s: &str) -> Option<(i64, u32)> {
    if !crate::validate::is_date_time_offset(s) {
        return None;
    }
    let number = |text: &str| text.parse::<i64>().ok();
    let (date, rest) = s.split_once('T')?;
    let mut parts = date.splitn(3, '-');
    let (year, month, day) =
        (number(parts.next()?)?, number(parts.next()?)?, number(parts.next()?)?);
    let hour = number(rest.get(0..2)?)?;
    let minute = number(rest.get(3..5)?)?;
    let second = number(rest.get(6..8)?)?;
    let mut tail = rest.get(8..)?;
    let mut nanos = 0u32;
    if let Some(fraction) = tail.strip_prefix('.') {
        let digits: String = fraction.chars().take_while(char::is_ascii_digit).collect();
        tail = fraction.get(digits.len()..)?;
        let nine: String = digits.chars().chain(std::iter::repeat('0')).take(9).collect();
        nanos = nine.parse().ok()?;
    }
    let offset = match tail {
        "Z" => 0,
        _ => {
            let sign = if tail.starts_with('-') { -1 } else { 1 };
            sign * (number(tail.get(1..3)?)? * 3600 + number(tail.get(4..6)?)? * 60)
        }
    };
    let days = crate::respond::days_from_civil(year, month, day);
    Some((days * 86_400 + hour * 3600 + minute * 60 + second - offset, nanos))
}

impl Filter {
    /// Parses and checks `text` against the entity type `ty`. String comparisons ignore case
    /// when `fold_case` (as directory objects do).
    pub(crate) fn parse(
        schema: &Schema,
        ty: &str,
        text: &str,
        fold_case: bool,
    ) -> Result<Filter, QueryError> {
        let tokens = lex(text)?;
        let mut parser = Parser { tokens, at: 0, schema, ty, text, advanced: None };
        let expr = parser.or(0)?;
        if let Some(token) = parser.tokens.get(parser.at) {
            return invalid(format!(
                "Syntax error at position {} in '{text}': unexpected '{}'.",
                token.at,
                token.shown()
            ));
        }
        Ok(Filter { expr, fold_case, advanced: parser.advanced })
    }

    /// Whether `entity` passes.
    pub(crate) fn matches(&self, entity: &Map<String, Value>) -> bool {
        self.eval(&self.expr, entity)
    }

    fn eval(&self, expr: &Expr, entity: &Map<String, Value>) -> bool {
        match expr {
            Expr::Or(a, b) => self.eval(a, entity) || self.eval(b, entity),
            Expr::And(a, b) => self.eval(a, entity) && self.eval(b, entity),
            Expr::Not(a) => !self.eval(a, entity),
            Expr::Compare(op, a, b) => {
                let (a, b) = (self.operand(a, entity), self.operand(b, entity));
                compare(*op, &a, &b, self.fold_case)
            }
            Expr::In(a, list) => {
                let a = self.operand(a, entity);
                list.iter().any(|b| compare(Op::Eq, &a, &self.operand(b, entity), self.fold_case))
            }
            Expr::Text(function, a, b) => {
                let (Val::Str(a), Val::Str(b)) = (self.operand(a, entity), self.operand(b, entity))
                else {
                    return false;
                };
                let (a, b) =
                    if self.fold_case { (a.to_lowercase(), b.to_lowercase()) } else { (a, b) };
                match function {
                    TextFn::StartsWith => a.starts_with(&b),
                    TextFn::EndsWith => a.ends_with(&b),
                    TextFn::Contains => a.contains(&b),
                }
            }
            Expr::Truth(a) => self.operand(a, entity) == Val::Bool(true),
        }
    }

    fn operand(&self, operand: &Operand, entity: &Map<String, Value>) -> Val {
        match operand {
            Operand::Property(path) => path.value(entity),
            Operand::Literal(literal) => Val::of_literal(literal),
            Operand::Case { upper, inner } => match self.operand(inner, entity) {
                Val::Str(s) if *upper => Val::Str(s.to_uppercase()),
                Val::Str(s) => Val::Str(s.to_lowercase()),
                other => other,
            },
        }
    }
}

fn compare(op: Op, a: &Val, b: &Val, fold_case: bool) -> bool {
    if matches!(a, Val::Null) || matches!(b, Val::Null) {
        let both = matches!(a, Val::Null) && matches!(b, Val::Null);
        return match op {
            Op::Eq => both,
            Op::Ne => !both,
            _ => false,
        };
    }
    let Some(order) = a.compare(b, fold_case) else { return op == Op::Ne };
    match op {
        Op::Eq => order == Ordering::Equal,
        Op::Ne => order != Ordering::Equal,
        Op::Gt => order == Ordering::Greater,
        Op::Ge => order != Ordering::Less,
        Op::Lt => order == Ordering::Less,
        Op::Le => order != Ordering::Greater,
    }
}

#[derive(Debug, Clone, PartialEq)]
enum Tok {
    Word(String),
    Str(String),
    /// A literal starting with a digit or `-`: a number, date, date-time or GUID.
    Raw(String),
    /// `microsoft.graph.complianceStatus'compliant'`.
    Typed(String, String),
    Open,
    Close,
    Comma,
    /// In lambdas, `any(x: …)`, which are not served.
    Colon,
}

#[derive(Debug)]
struct Token {
    tok: Tok,
    at: usize,
}

impl Token {
    fn shown(&self) -> String {
        match &self.tok {
            Tok::Word(w) | Tok::Raw(w) => w.clone(),
            Tok::Str(s) => format!("'{s}'"),
            Tok::Typed(t, s) => format!("{t}'{s}'"),
            Tok::Open => "(".into(),
            Tok::Close => ")".into(),
            Tok::Comma => ",".into(),
            Tok::Colon => ":".into(),
        }
    }
}

fn lex(text: &str) -> Result<Vec<Token>, QueryError> {
    let chars: Vec<(usize, char)> = text.char_indices().collect();
    let mut tokens = Vec::new();
    let mut i = 0;
    let word_char = |c: char| c.is_alphanumeric() || matches!(c, '_' | '.' | '/' | '-' | '@' | '$');
    let raw_char = |c: char| c.is_ascii_alphanumeric() || matches!(c, '.' | ':' | '+' | '-');
    while let Some(&(at, c)) = chars.get(i) {
        match c {
            c if c.is_whitespace() => i += 1,
            '(' | ')' | ',' | ':' => {
                let tok = match c {
                    '(' => Tok::Open,
                    ')' => Tok::Close,
                    ':' => Tok::Colon,
                    _ => Tok::Comma,
                };
                tokens.push(Token { tok, at });
                i += 1;
            }
            '\'' => {
                let (value, next) = string(&chars, i, text)?;
                tokens.push(Token { tok: Tok::Str(value), at });
                i = next;
            }
            c if c.is_ascii_digit()
                || (c == '-' && chars.get(i + 1).is_some_and(|(_, d)| d.is_ascii_digit())) =>
            {
                let start = i;
                i += 1;
                while chars.get(i).is_some_and(|(_, c)| raw_char(*c)) {
                    i += 1;
                }
                let raw: String = chars[start..i].iter().map(|(_, c)| c).collect();
                tokens.push(Token { tok: Tok::Raw(raw), at });
            }
            c if c.is_alphabetic() || c == '_' || c == '@' || c == '$' => {
                let start = i;
                while chars.get(i).is_some_and(|(_, c)| word_char(*c)) {
                    i += 1;
                }
                let word: String = chars[start..i].iter().map(|(_, c)| c).collect();
                if chars.get(i).is_some_and(|(_, c)| *c == '\'') {
                    let (value, next) = string(&chars, i, text)?;
                    tokens.push(Token { tok: Tok::Typed(word, value), at });
                    i = next;
                } else if is_guid(&word) {
                    tokens.push(Token { tok: Tok::Raw(word), at });
                } else {
                    tokens.push(Token { tok: Tok::Word(word), at });
                }
            }
            other => {
                return invalid(format!(
                    "Syntax error: character '{other}' is not valid at position {at} in '{text}'."
                ));
            }
        }
    }
    Ok(tokens)
}

/// A quoted string from `chars[start]` (the quote): its value and the index after it.
fn string(
    chars: &[(usize, char)],
    start: usize,
    text: &str,
) -> Result<(String, usize), QueryError> {
    let mut value = String::new();
    let mut i = start + 1;
    loop {
        match chars.get(i) {
            None => {
                return invalid(format!(
                    "Syntax error: the string starting at position {} in '{text}' is not closed.",
                    chars.get(start).map_or(0, |(at, _)| *at)
                ));
            }
            Some((_, '\'')) if chars.get(i + 1).is_some_and(|(_, c)| *c == '\'') => {
                value.push('\'');
                i += 2;
            }
            Some((_, '\'')) => return Ok((value, i + 1)),
            Some((_, c)) => {
                value.push(*c);
                i += 1;
            }
        }
    }
}

fn is_guid(s: &str) -> bool {
    let bytes = s.as_bytes();
    bytes.len() == 36
        && bytes.iter().enumerate().all(|(i, b)| match i {
            8 | 13 | 18 | 23 => *b == b'-',
            _ => b.is_ascii_hexdigit(),
        })
}

struct Parser<'a> {
    tokens: Vec<Token>,
    at: usize,
    schema: &'a Schema,
    ty: &'a str,
    text: &'a str,
    advanced: Option<&'static str>,
}

impl Parser<'_> {
    fn peek(&self) -> Option<&Tok> {
        self.tokens.get(self.at).map(|t| &t.tok)
    }

    fn peek_word(&self, word: &str) -> bool {
        matches!(self.peek(), Some(Tok::Word(w)) if w == word)
    }

    fn position(&self) -> usize {
        self.tokens.get(self.at).map_or(self.text.len(), |t| t.at)
    }

    fn expected<T>(&self, what: &str) -> Result<T, QueryError> {
        let found =
            self.tokens.get(self.at).map_or("the end".to_owned(), |t| format!("'{}'", t.shown()));
        invalid(format!(
            "Syntax error at position {} in '{}': expected {what}, found {found}.",
            self.position(),
            self.text
        ))
    }

    fn eat(&mut self, tok: &Tok) -> bool {
        if self.peek() == Some(tok) {
            self.at += 1;
            true
        } else {
            false
        }
    }

    fn deeper(depth: usize) -> Result<usize, QueryError> {
        if depth >= MAX_DEPTH {
            return invalid(format!("The query is nested deeper than {MAX_DEPTH} levels."));
        }
        Ok(depth + 1)
    }

    fn or(&mut self, depth: usize) -> Result<Expr, QueryError> {
        let depth = Self::deeper(depth)?;
        let mut left = self.and(depth)?;
        while self.peek_word("or") {
            self.at += 1;
            let right = self.and(depth)?;
            left = Expr::Or(Box::new(left), Box::new(right));
        }
        Ok(left)
    }

    fn and(&mut self, depth: usize) -> Result<Expr, QueryError> {
        let mut left = self.unary(depth)?;
        while self.peek_word("and") {
            self.at += 1;
            let right = self.unary(depth)?;
            left = Expr::And(Box::new(left), Box::new(right));
        }
        Ok(left)
    }

    fn unary(&mut self, depth: usize) -> Result<Expr, QueryError> {
        if self.peek_word("not") {
            self.at += 1;
            self.advanced.get_or_insert("not");
            let inner = self.unary(Self::deeper(depth)?)?;
            return Ok(Expr::Not(Box::new(inner)));
        }
        if self.eat(&Tok::Open) {
            let inner = self.or(depth)?;
            if !self.eat(&Tok::Close) {
                return self.expected("')'");
            }
            return Ok(inner);
        }
        self.comparison(depth)
    }

    fn comparison(&mut self, depth: usize) -> Result<Expr, QueryError> {
        if let Some(Tok::Word(word)) = self.peek() {
            let function = match word.to_ascii_lowercase().as_str() {
                "startswith" => Some(TextFn::StartsWith),
                "endswith" => Some(TextFn::EndsWith),
                "contains" => Some(TextFn::Contains),
                _ => None,
            };
            if let Some(function) = function
                .filter(|_| self.tokens.get(self.at + 1).is_some_and(|t| t.tok == Tok::Open))
            {
                if function == TextFn::EndsWith {
                    self.advanced.get_or_insert("endsWith");
                }
                self.at += 2;
                let a = self.operand(depth)?;
                if !self.eat(&Tok::Comma) {
                    return self.expected("','");
                }
                let b = self.operand(depth)?;
                if !self.eat(&Tok::Close) {
                    return self.expected("')'");
                }
                for operand in [&a, &b] {
                    let kind = self.kind(operand);
                    if !matches!(kind, Kind::String | Kind::Null) {
                        return invalid(format!(
                            "The function '{}' takes strings, not '{}'.",
                            function_name(function),
                            kind.name()
                        ));
                    }
                }
                let result = Expr::Text(function, a, b);
                // `startswith(a, 'b') eq true` is the same test.
                if let (Some(Tok::Word(w)), Some(Tok::Word(v))) =
                    (self.peek(), self.tokens.get(self.at + 1).map(|t| &t.tok))
                    && (w == "eq" || w == "ne")
                    && (v == "true" || v == "false")
                {
                    let negate = (w == "ne") == (v == "true");
                    self.at += 2;
                    return Ok(if negate { Expr::Not(Box::new(result)) } else { result });
                }
                return Ok(result);
            }
        }
        let mut left = self.operand(depth)?;
        if let Some(Tok::Word(word)) = self.peek() {
            if let Some(op) = Op::parse(word) {
                self.at += 1;
                if op == Op::Ne {
                    self.advanced.get_or_insert("ne");
                }
                let mut right = self.operand(depth)?;
                self.check_pair(op, &mut left, &mut right)?;
                return Ok(Expr::Compare(op, left, right));
            }
            if word == "in" {
                self.at += 1;
                if !self.eat(&Tok::Open) {
                    return self.expected("'(' after 'in'");
                }
                let mut list = Vec::new();
                loop {
                    let mut item = self.operand(depth)?;
                    if !matches!(item, Operand::Literal(_)) {
                        return invalid("The list after 'in' holds literals only.");
                    }
                    self.check_pair(Op::Eq, &mut left, &mut item)?;
                    list.push(item);
                    if self.eat(&Tok::Close) {
                        break;
                    }
                    if !self.eat(&Tok::Comma) {
                        return self.expected("',' or ')'");
                    }
                }
                return Ok(Expr::In(left, list));
            }
            if ["has", "add", "sub", "mul", "div", "mod"].contains(&word.as_str()) {
                return Err(QueryError::Unsupported(format!(
                    "The operator '{word}' is not served by the emulator."
                )));
            }
        }
        match self.kind(&left) {
            Kind::Bool => Ok(Expr::Truth(left)),
            kind => invalid(format!(
                "The $filter expression must evaluate to a single boolean value; '{}' is '{}'.",
                describe(&left),
                kind.name()
            )),
        }
    }

    fn operand(&mut self, depth: usize) -> Result<Operand, QueryError> {
        let Some(token) = self.tokens.get(self.at) else { return self.expected("an operand") };
        let operand = match &token.tok {
            Tok::Str(s) => Operand::Literal(Literal::Str(s.clone())),
            Tok::Raw(raw) => Operand::Literal(raw_literal(raw, self.text)?),
            Tok::Typed(ty, value) => {
                let name = ty.strip_prefix("graph.").map(|r| format!("microsoft.graph.{r}"));
                let kind = self
                    .schema
                    .get(name.as_deref().unwrap_or(ty))
                    .filter(|t| t.kind == TypeKind::Enum)
                    .map(|t| {
                        Kind::of(self.schema, &TypeRef { name: t.name.clone(), collection: false })
                    });
                let Some(Kind::Enum(_, members)) = kind else {
                    return invalid(format!("'{ty}' is not an enum type of the model."));
                };
                let Some((member, value)) = members.iter().find(|(m, _)| m == value) else {
                    return invalid(format!(
                        "The string '{value}' is not a valid enumeration type constant of '{ty}'."
                    ));
                };
                Operand::Literal(Literal::Enum { member: member.clone(), value: *value })
            }
            Tok::Word(word) => {
                let word = word.clone();
                let call = self.tokens.get(self.at + 1).is_some_and(|t| t.tok == Tok::Open);
                match word.as_str() {
                    "null" => Operand::Literal(Literal::Null),
                    "true" => Operand::Literal(Literal::Bool(true)),
                    "false" => Operand::Literal(Literal::Bool(false)),
                    "tolower" | "toupper" if call => {
                        self.at += 2;
                        let inner = self.operand(Self::deeper(depth)?)?;
                        if !self.eat(&Tok::Close) {
                            return self.expected("')'");
                        }
                        if !matches!(self.kind(&inner), Kind::String) {
                            return invalid(format!("The function '{word}' takes a string."));
                        }
                        return Ok(Operand::Case {
                            upper: word == "toupper",
                            inner: Box::new(inner),
                        });
                    }
                    _ if call => {
                        let lambda = word.ends_with("/any") || word.ends_with("/all");
                        return Err(QueryError::Unsupported(if lambda {
                            format!(
                                "The lambda operator in '{word}(…)' is not served by the emulator."
                            )
                        } else {
                            format!("The function '{word}' is not served by the emulator.")
                        }));
                    }
                    _ => Operand::Property(PropertyPath::resolve(self.schema, self.ty, &word)?),
                }
            }
            Tok::Open | Tok::Close | Tok::Comma | Tok::Colon => {
                return self.expected("an operand");
            }
        };
        self.at += 1;
        Ok(operand)
    }

    fn kind(&self, operand: &Operand) -> Kind {
        match operand {
            Operand::Property(path) => path.kind.clone(),
            Operand::Case { .. } => Kind::String,
            Operand::Literal(literal) => match literal {
                Literal::Null => Kind::Null,
                Literal::Bool(_) => Kind::Bool,
                Literal::Number(_) => Kind::Number,
                Literal::Str(_) => Kind::String,
                Literal::DateTime(_) => Kind::DateTime,
                Literal::Date(_) => Kind::Date,
                Literal::Guid(_) => Kind::Guid,
                Literal::Enum { .. } => Kind::EnumLiteral,
            },
        }
    }

    /// Checks that two operands compare, turning a string literal into the enum member it
    /// names when the other side is an enum.
    fn check_pair(&self, op: Op, a: &mut Operand, b: &mut Operand) -> Result<(), QueryError> {
        let (ka, kb) = (self.kind(a), self.kind(b));
        for (kind, other) in [(&ka, &mut *b), (&kb, &mut *a)] {
            if let (Kind::Enum(name, members), Operand::Literal(literal)) = (kind, other) {
                match literal {
                    Literal::Str(s) => {
                        let Some((member, value)) = members.iter().find(|(m, _)| m == s) else {
                            return invalid(format!(
                                "The string '{s}' is not a valid enumeration type constant of '{name}'."
                            ));
                        };
                        *literal = Literal::Enum { member: member.clone(), value: *value };
                    }
                    Literal::Enum { member, .. } if !members.iter().any(|(m, _)| m == member) => {
                        return invalid(format!("'{member}' is not a member of '{name}'."));
                    }
                    _ => {}
                }
            }
        }
        let (ka, kb) = (self.kind(a), self.kind(b));
        let fits = match (&ka, &kb) {
            (Kind::Null, _) | (_, Kind::Null) => true,
            (Kind::Other(_), _) | (_, Kind::Other(_)) => false,
            (Kind::Enum(..), Kind::EnumLiteral) | (Kind::EnumLiteral, Kind::Enum(..)) => true,
            (Kind::Guid, Kind::String) | (Kind::String, Kind::Guid) => true,
            (x, y) => x == y,
        };
        if !fits {
            return invalid(format!(
                "A binary operator with incompatible types was detected. Found operand types '{}' and '{}' for operator kind '{}'.",
                ka.name(),
                kb.name(),
                op.kind()
            ));
        }
        Ok(())
    }
}

fn function_name(function: TextFn) -> &'static str {
    match function {
        TextFn::StartsWith => "startswith",
        TextFn::EndsWith => "endswith",
        TextFn::Contains => "contains",
    }
}

fn describe(operand: &Operand) -> String {
    match operand {
        Operand::Property(path) => path.names.join("/"),
        Operand::Literal(literal) => format!("{literal:?}"),
        Operand::Case { inner, .. } => describe(inner),
    }
}

/// A literal that starts with a digit or `-`, or a GUID: what it is by its shape.
fn raw_literal(raw: &str, text: &str) -> Result<Literal, QueryError> {
    if let Some(time) = instant(raw) {
        return Ok(Literal::DateTime(time));
    }
    if is_guid(raw) {
        return Ok(Literal::Guid(raw.to_owned()));
    }
    if raw.len() == 10 && crate::validate::is_date_time_offset(&format!("{raw}T00:00:00Z")) {
        return Ok(Literal::Date(raw.to_owned()));
    }
    let number = raw.trim_end_matches(['L', 'l', 'M', 'm', 'D', 'd', 'F', 'f']);
    match number.parse::<f64>() {
        Ok(n)
            if n.is_finite()
                && number.bytes().all(|b| b.is_ascii_digit() || b"+-.eE".contains(&b)) =>
        {
            Ok(Literal::Number(n))
        }
        _ => invalid(format!("Syntax error: '{raw}' in '{text}' is not a valid literal.")),
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]

    use super::*;
    use serde_json::json;

    const STATUS: &str = "microsoft.graph.managedDeviceMobileAppConfigurationUserStatus";
    const TASK: &str = "microsoft.graph.todoTask";

    fn parse(ty: &str, text: &str) -> Result<Filter, QueryError> {
        Filter::parse(Schema::v1(), ty, text, false)
    }

    fn status(name: &str, count: i64, status: &str, at: &str) -> Map<String, Value> {
        json!({
            "id": name, "userDisplayName": name, "devicesCount": count, "status": status,
            "lastReportedDateTime": at, "userPrincipalName": null,
        })
        .as_object()
        .unwrap()
        .clone()
    }

    fn matching(text: &str) -> Vec<String> {
        let filter = parse(STATUS, text).unwrap_or_else(|e| panic!("{text}: {e:?}"));
        let entities = [
            status("ada", 1, "compliant", "2024-01-01T00:00:00Z"),
            status("bob", 5, "error", "2024-06-01T12:00:00.5+02:00"),
            status("Cy", 12, "notApplicable", "2025-01-01T00:00:00Z"),
        ];
        entities
            .iter()
            .filter(|e| filter.matches(e))
            .map(|e| e["id"].as_str().unwrap().to_owned())
            .collect()
    }

    #[test]
    fn every_operator() {
        let cases: &[(&str, &[&str])] = &[
            ("devicesCount eq 5", &["bob"]),
            ("devicesCount ne 5", &["ada", "Cy"]),
            ("devicesCount gt 1", &["bob", "Cy"]),
            ("devicesCount ge 5", &["bob", "Cy"]),
            ("devicesCount lt 5", &["ada"]),
            ("devicesCount le 5", &["ada", "bob"]),
            ("devicesCount gt -1 and devicesCount lt 12", &["ada", "bob"]),
            ("devicesCount eq 1 or devicesCount eq 12", &["ada", "Cy"]),
            ("not (devicesCount eq 1)", &["bob", "Cy"]),
            ("not devicesCount eq 1 and userDisplayName ne 'Cy'", &["bob"]),
            ("(devicesCount eq 1 or devicesCount eq 5) and status eq 'error'", &["bob"]),
            ("startswith(userDisplayName, 'a')", &["ada"]),
            ("endswith(userDisplayName, 'b')", &["bob"]),
            ("contains(userDisplayName, 'o')", &["bob"]),
            ("startswith(userDisplayName,'A')", &[]),
            ("startswith(tolower(userDisplayName), 'c')", &["Cy"]),
            ("startswith(userDisplayName, 'b') eq false", &["ada", "Cy"]),
            ("userDisplayName in ('ada', 'Cy', 'zed')", &["ada", "Cy"]),
            ("devicesCount in (1, 12)", &["ada", "Cy"]),
            ("status eq 'compliant'", &["ada"]),
            ("status eq microsoft.graph.complianceStatus'error'", &["bob"]),
            ("status in ('error', 'notApplicable')", &["bob", "Cy"]),
            ("lastReportedDateTime gt 2024-06-01T09:00:00Z", &["bob", "Cy"]),
            ("lastReportedDateTime lt 2024-06-01T10:00:00.6Z", &["ada", "bob"]),
            ("lastReportedDateTime eq 2024-06-01T10:00:00.5Z", &["bob"]),
            ("userPrincipalName eq null", &["ada", "bob", "Cy"]),
            ("userPrincipalName ne null", &[]),
            ("id eq 'ada' or id eq 'it''s'", &["ada"]),
        ];
        for (text, expected) in cases {
            assert_eq!(matching(text), *expected, "{text}");
        }
    }

    #[test]
    fn booleans_and_case_folding() {
        let task =
            json!({"id": "t", "title": "Buy Milk", "isReminderOn": true, "importance": "high"});
        let task = task.as_object().unwrap();
        for (text, fold, expected) in [
            ("isReminderOn", false, true),
            ("isReminderOn eq false", false, false),
            ("not isReminderOn", false, false),
            ("title eq 'buy milk'", false, false),
            ("title eq 'buy milk'", true, true),
            ("startswith(title, 'BUY')", true, true),
            ("importance gt 'normal'", false, true),
            ("importance lt 'normal'", false, false),
        ] {
            let filter = Filter::parse(Schema::v1(), TASK, text, fold).unwrap();
            assert_eq!(filter.matches(task), expected, "{text}");
        }
    }

    #[test]
    fn invalid_filters_name_the_problem() {
        let cases = [
            ("colour eq 'red'", "Could not find a property named 'colour'"),
            ("devicesCount eq '5'", "incompatible types"),
            ("userDisplayName gt 5", "incompatible types"),
            ("status eq 'pending'", "not a valid enumeration type constant"),
            ("lastReportedDateTime gt '2024-01-01T00:00:00Z'", "incompatible types"),
            ("devicesCount eq", "expected an operand"),
            ("devicesCount eq 5 and", "expected an operand"),
            ("(devicesCount eq 5", "expected ')'"),
            ("devicesCount eq 5)", "unexpected ')'"),
            ("userDisplayName eq 'abc", "not closed"),
            ("devicesCount eq 5 # 1", "character '#' is not valid"),
            ("devicesCount", "single boolean value"),
            ("startswith(devicesCount, 'a')", "takes strings"),
            ("devicesCount eq 12abc", "not a valid literal"),
            ("userDisplayName in 'a'", "'(' after 'in'"),
            ("status eq microsoft.graph.nope'x'", "not an enum type"),
            ("", "expected an operand"),
        ];
        for (text, message) in cases {
            match parse(STATUS, text) {
                Err(QueryError::Invalid(m)) => assert!(m.contains(message), "{text}: {m}"),
                other => panic!("{text}: {other:?}"),
            }
        }
        for text in [
            "assignedLicenses/any(x: x eq 1)",
            "length(userDisplayName) eq 1",
            "devicesCount add 1 eq 2",
        ] {
            assert!(matches!(parse(STATUS, text), Err(QueryError::Unsupported(_))), "{text}");
        }
    }

    #[test]
    fn advanced_operators_are_noted() {
        for (text, advanced) in [
            ("devicesCount eq 1", None),
            ("devicesCount ne 1", Some("ne")),
            ("not (devicesCount eq 1)", Some("not")),
            ("endswith(userDisplayName, 'a')", Some("endsWith")),
        ] {
            assert_eq!(parse(STATUS, text).unwrap().advanced, advanced, "{text}");
        }
    }

    #[test]
    fn hostile_input_is_an_error_not_a_panic() {
        let deep = format!("{}devicesCount eq 1{}", "(".repeat(10_000), ")".repeat(10_000));
        assert!(parse(STATUS, &deep).is_err());
        let nots = format!("{}devicesCount eq 1", "not ".repeat(10_000));
        assert!(parse(STATUS, &nots).is_err());
        let long_or = vec!["devicesCount eq 1"; 2_000].join(" or ");
        assert!(parse(STATUS, &long_or).is_ok());
        // Every prefix of a valid filter, and odd characters, at any position.
        let text = "(startswith(userDisplayName, 'a''b') or status in ('error', 'compliant')) and not lastReportedDateTime gt 2024-01-01T00:00:00.123+05:30";
        assert!(parse(STATUS, text).is_ok());
        for end in 0..=text.len() {
            if let Some(prefix) = text.get(..end) {
                let _ = parse(STATUS, prefix);
            }
        }
        let mut rng = fastrand::Rng::with_seed(7);
        let alphabet: Vec<char> =
            "()', eqandornot'-0123456789.:TZ/abcé\u{0}\u{1f600}in".chars().collect();
        for _ in 0..5_000 {
            let len = rng.usize(0..40);
            let noise: String = (0..len).map(|_| alphabet[rng.usize(..alphabet.len())]).collect();
            let _ = parse(STATUS, &noise);
            let _ = parse(STATUS, &format!("userDisplayName eq {noise}"));
        }
    }

    #[test]
    fn instants_compare_across_offsets() {
        assert_eq!(instant("1970-01-01T00:00:00Z"), Some((0, 0)));
        assert_eq!(instant("1970-01-01T01:00:00+01:00"), Some((0, 0)));
        assert_eq!(
            instant("2017-01-01T00:00:17.7769392-08:00"),
            Some((1_483_257_617, 776_939_200))
        );
        assert_eq!(instant("2017-01-01"), None);
    }
}
