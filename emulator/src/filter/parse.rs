//! Parsing a `$filter` into an expression checked against the schema.

use graph_entity_schema::{Schema, TypeKind, TypeRef};

use crate::edm;

use super::lex::{Tok, Token, lex};
use super::{
    Expr, Filter, Kind, Literal, MAX_DEPTH, MAX_OPERANDS, Op, Operand, PropertyPath, QueryError,
    TextFn, invalid,
};

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
        let mut parser = Parser { tokens, at: 0, schema, ty, text, advanced: None, operands: 0 };
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
}

struct Parser<'a> {
    tokens: Vec<Token>,
    at: usize,
    schema: &'a Schema,
    ty: &'a str,
    text: &'a str,
    advanced: Option<&'static str>,
    /// Operands read so far, at most [`MAX_OPERANDS`].
    operands: usize,
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

    /// `a or b or …`, held as one node however long the chain.
    fn or(&mut self, depth: usize) -> Result<Expr, QueryError> {
        let depth = Self::deeper(depth)?;
        let terms = self.terms("or", depth, Self::and)?;
        Ok(chain(terms, Expr::Any, |e| match e {
            Expr::Any(terms) => Ok(terms),
            other => Err(other),
        }))
    }

    /// `a and b and …`, held as one node however long the chain.
    fn and(&mut self, depth: usize) -> Result<Expr, QueryError> {
        let terms = self.terms("and", depth, Self::unary)?;
        Ok(chain(terms, Expr::All, |e| match e {
            Expr::All(terms) => Ok(terms),
            other => Err(other),
        }))
    }

    /// The terms `term` reads, joined by the word `joint`: one at least.
    fn terms(
        &mut self,
        joint: &str,
        depth: usize,
        term: fn(&mut Self, usize) -> Result<Expr, QueryError>,
    ) -> Result<Vec<Expr>, QueryError> {
        let mut terms = vec![term(self, depth)?];
        while self.peek_word(joint) {
            self.at += 1;
            terms.push(term(self, depth)?);
        }
        Ok(terms)
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
        self.operands += 1;
        if self.operands > MAX_OPERANDS {
            return invalid(format!(
                "The $filter is too complex: it may have at most {MAX_OPERANDS} operands (properties and literals)."
            ));
        }
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
            Tok::Open | Tok::Close | Tok::Comma | Tok::Colon | Tok::Equals => {
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

/// One term as it is, or the chain `wrap` makes of several, with the terms of a chain of the
/// same kind (a parenthesized `(a or b) or c`) taken into it (`open` gives them back).
fn chain(
    mut terms: Vec<Expr>,
    wrap: fn(Vec<Expr>) -> Expr,
    open: fn(Expr) -> Result<Vec<Expr>, Expr>,
) -> Expr {
    if terms.len() == 1
        && let Some(term) = terms.pop()
    {
        return term;
    }
    let mut flat = Vec::with_capacity(terms.len());
    for term in terms {
        match open(term) {
            Ok(inner) => flat.extend(inner),
            Err(term) => flat.push(term),
        }
    }
    wrap(flat)
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
    if let Some(time) = edm::instant(raw) {
        return Ok(Literal::DateTime(time));
    }
    if edm::is_guid(raw) {
        return Ok(Literal::Guid(raw.to_owned()));
    }
    if edm::date(raw).is_some() {
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

    const STATUS: &str = "microsoft.graph.managedDeviceMobileAppConfigurationUserStatus";

    fn parse(ty: &str, text: &str) -> Result<Filter, QueryError> {
        Filter::parse(Schema::v1(), ty, text, false)
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
        // Up to the parenthesis that closes the first, every prefix is unbalanced: an error.
        let closing = text.find(")) and").expect("the group's end") + 1;
        for end in 1..=text.len() {
            if let Some(prefix) = text.get(..end) {
                let parsed = parse(STATUS, prefix);
                if end <= closing {
                    assert!(parsed.is_err(), "{prefix}");
                }
            }
        }
        let mut rng = fastrand::Rng::with_seed(7);
        let alphabet: Vec<char> =
            "()', eqandornot'-0123456789.:TZ/abcé\u{0}\u{1f600}in".chars().collect();
        for _ in 0..5_000 {
            let len = rng.usize(0..40);
            let noise: String = (0..len).map(|_| alphabet[rng.usize(..alphabet.len())]).collect();
            for text in [noise.clone(), format!("userDisplayName eq {noise}")] {
                if let Err(QueryError::Invalid(why) | QueryError::Unsupported(why)) =
                    parse(STATUS, &text)
                {
                    assert!(!why.is_empty(), "{text}: an error says why");
                }
            }
        }
    }

    #[test]
    fn chains_are_flat_and_operands_bounded() {
        let chain = |text: &str| match parse(STATUS, text).unwrap().expr {
            Expr::Any(terms) | Expr::All(terms) => terms.len(),
            _ => 1,
        };
        assert_eq!(chain("devicesCount eq 1"), 1);
        assert_eq!(chain("devicesCount eq 1 or devicesCount eq 2 or devicesCount eq 3"), 3);
        assert_eq!(chain("(devicesCount eq 1 or devicesCount eq 2) or devicesCount eq 3"), 3);
        assert_eq!(chain("devicesCount eq 1 and (devicesCount eq 2 or devicesCount eq 3)"), 2);
        let most = format!("devicesCount in ({})", vec!["1"; MAX_OPERANDS - 1].join(","));
        assert!(parse(STATUS, &most).is_ok());
        let more = format!("devicesCount in ({})", vec!["1"; MAX_OPERANDS].join(","));
        let Err(QueryError::Invalid(message)) = parse(STATUS, &more) else { panic!() };
        assert!(message.contains("at most 10000 operands"), "{message}");
    }
}
