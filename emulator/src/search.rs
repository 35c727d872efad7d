//! `$search` as Graph takes it: phrases in double quotes, `"property:words"` on directory
//! objects (each word begins a word of the property) or free text on messages, combined with
//! `AND` (which binds first) and `OR`, grouped with parentheses. Within a phrase `\"` is a quote
//! and `\\` a backslash (OData 4.01's escapes), so that a phrase holds any text.
//!
//! Nesting is bounded ([`MAX_DEPTH`]); past it, and for any other syntax error, Graph's `400`.

use graph_entity_schema::Schema;
use serde_json::{Map, Value};

use crate::filter::{Kind, PropertyPath, QueryError};
use crate::special::{DIRECTORY_OBJECT, MESSAGE};

/// The deepest nesting of parentheses.
pub(crate) const MAX_DEPTH: usize = 32;

/// A parsed `$search`.
#[derive(Debug)]
pub(crate) struct Search {
    expr: Expr,
}

#[derive(Debug)]
enum Expr {
    Clause(Clause),
    /// Every one holds.
    All(Vec<Expr>),
    /// Some one holds.
    Any(Vec<Expr>),
}

#[derive(Debug)]
enum Clause {
    /// `"displayName:wa"`: each word of the value begins a word of the property.
    Property(String, Vec<String>),
    /// `"budget"`: some string property contains it (free text).
    Text(String),
}

#[derive(Debug, PartialEq)]
enum Token {
    /// A quoted phrase, its escapes undone.
    Phrase(String),
    /// Unquoted text (free text on messages).
    Word(String),
    And,
    Or,
    Open,
    Close,
}

fn invalid<T>(message: impl Into<String>) -> Result<T, QueryError> {
    Err(QueryError::Invalid(message.into()))
}

impl Search {
    /// Reads `text` for the entity type `ty`.
    pub(crate) fn parse(schema: &Schema, ty: &str, text: &str) -> Result<Search, QueryError> {
        let directory = schema.is_derived_from(ty, DIRECTORY_OBJECT);
        if !directory && !schema.is_derived_from(ty, MESSAGE) {
            return invalid(format!(
                "$search is not supported on collections of '{ty}'; Graph serves it on directory objects and messages."
            ));
        }
        let tokens = lex(text)?;
        let mut parser = Parser { schema, ty, directory, text, tokens: &tokens, at: 0 };
        let expr = parser.any(0)?;
        match parser.tokens.get(parser.at) {
            None => Ok(Search { expr }),
            Some(Token::Close) => {
                invalid(format!("Syntax error in $search '{text}': a ')' has no '('."))
            }
            Some(_) => invalid(format!("Syntax error in $search '{text}': expected AND or OR.")),
        }
    }

    pub(crate) fn matches(&self, entity: &Map<String, Value>) -> bool {
        self.expr.matches(entity)
    }
}

fn lex(text: &str) -> Result<Vec<Token>, QueryError> {
    let mut tokens = Vec::new();
    let mut chars = text.chars().peekable();
    while let Some(&c) = chars.peek() {
        match c {
            ' ' | '\t' => {
                chars.next();
            }
            '(' => {
                chars.next();
                tokens.push(Token::Open);
            }
            ')' => {
                chars.next();
                tokens.push(Token::Close);
            }
            '"' => {
                chars.next();
                let mut phrase = String::new();
                loop {
                    match chars.next() {
                        None => {
                            return invalid(format!(
                                "Syntax error in $search '{text}': a quote is not closed."
                            ));
                        }
                        Some('"') => break,
                        Some('\\') => match chars.next() {
                            Some(escaped @ ('"' | '\\')) => phrase.push(escaped),
                            _ => {
                                return invalid(format!(
                                    "Syntax error in $search '{text}': in a phrase, '\\' escapes only '\"' and '\\'."
                                ));
                            }
                        },
                        Some(c) => phrase.push(c),
                    }
                }
                tokens.push(Token::Phrase(phrase));
            }
            _ => {
                let mut word = String::new();
                while let Some(&c) = chars.peek() {
                    if matches!(c, ' ' | '\t' | '(' | ')' | '"') {
                        break;
                    }
                    word.push(c);
                    chars.next();
                }
                tokens.push(match word.as_str() {
                    "AND" => Token::And,
                    "OR" => Token::Or,
                    _ => Token::Word(word),
                });
            }
        }
    }
    Ok(tokens)
}

struct Parser<'a> {
    schema: &'a Schema,
    ty: &'a str,
    directory: bool,
    text: &'a str,
    tokens: &'a [Token],
    at: usize,
}

impl Parser<'_> {
    /// `all (OR all)*`.
    fn any(&mut self, depth: usize) -> Result<Expr, QueryError> {
        let mut alternatives = vec![self.all(depth)?];
        while self.tokens.get(self.at) == Some(&Token::Or) {
            self.at += 1;
            alternatives.push(self.all(depth)?);
        }
        Ok(if alternatives.len() == 1 { alternatives.remove(0) } else { Expr::Any(alternatives) })
    }

    /// `primary (AND primary)*`.
    fn all(&mut self, depth: usize) -> Result<Expr, QueryError> {
        let mut every = vec![self.primary(depth)?];
        while self.tokens.get(self.at) == Some(&Token::And) {
            self.at += 1;
            every.push(self.primary(depth)?);
        }
        Ok(if every.len() == 1 { every.remove(0) } else { Expr::All(every) })
    }

    fn primary(&mut self, depth: usize) -> Result<Expr, QueryError> {
        let text = self.text;
        let token = self.tokens.get(self.at);
        self.at += 1;
        match token {
            Some(Token::Open) => {
                if depth >= MAX_DEPTH {
                    return invalid(format!(
                        "The $search '{text}' is nested deeper than {MAX_DEPTH} levels."
                    ));
                }
                let inner = self.any(depth + 1)?;
                match self.tokens.get(self.at) {
                    Some(Token::Close) => {
                        self.at += 1;
                        Ok(inner)
                    }
                    _ => invalid(format!("Syntax error in $search '{text}': a '(' is not closed.")),
                }
            }
            Some(Token::Phrase(phrase)) => self.clause(phrase).map(Expr::Clause),
            Some(Token::Word(word)) if !self.directory => {
                Ok(Expr::Clause(Clause::Text(word.to_lowercase())))
            }
            Some(Token::Word(_)) => invalid(format!(
                "Syntax error in $search '{text}': directory searches are written \"property:value\", in double quotes."
            )),
            _ => invalid(format!("Syntax error in $search '{text}': a clause is missing.")),
        }
    }

    fn clause(&self, phrase: &str) -> Result<Clause, QueryError> {
        match phrase.split_once(':') {
            Some((property, value)) => {
                let path = PropertyPath::resolve(self.schema, self.ty, property)?;
                if *path.kind() != Kind::String {
                    return invalid(format!(
                        "The property '{property}' cannot be searched: it is not a string."
                    ));
                }
                Ok(Clause::Property(property.to_owned(), words(value)))
            }
            None if self.directory => invalid(format!(
                "Syntax error in $search '{}': expected \"property:value\".",
                self.text
            )),
            None => Ok(Clause::Text(phrase.to_lowercase())),
        }
    }
}

impl Expr {
    fn matches(&self, entity: &Map<String, Value>) -> bool {
        match self {
            Expr::Clause(clause) => clause.matches(entity),
            Expr::All(every) => every.iter().all(|e| e.matches(entity)),
            Expr::Any(alternatives) => alternatives.iter().any(|e| e.matches(entity)),
        }
    }
}

/// Lowercase words, split at anything not alphanumeric.
fn words(text: &str) -> Vec<String> {
    text.split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(str::to_lowercase)
        .collect()
}

impl Clause {
    fn matches(&self, entity: &Map<String, Value>) -> bool {
        match self {
            Clause::Property(name, wanted) => {
                let Some(Value::String(value)) = entity.get(name) else { return false };
                let have = words(value);
                wanted.iter().all(|w| have.iter().any(|h| h.starts_with(w.as_str())))
            }
            Clause::Text(text) => entity.values().any(|v| contains_text(v, text, 0)),
        }
    }
}

fn contains_text(value: &Value, text: &str, depth: usize) -> bool {
    match value {
        Value::String(s) => s.to_lowercase().contains(text),
        Value::Object(o) if depth < 4 => o.values().any(|v| contains_text(v, text, depth + 1)),
        Value::Array(a) if depth < 4 => a.iter().any(|v| contains_text(v, text, depth + 1)),
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    const USER: &str = "microsoft.graph.user";

    fn user(name: &str, mail: &str) -> Map<String, Value> {
        let Value::Object(map) = json!({"displayName": name, "mail": mail}) else { unreachable!() };
        map
    }

    fn search(text: &str) -> Result<Search, QueryError> {
        Search::parse(Schema::v1(), USER, text)
    }

    #[test]
    fn and_binds_first_and_parentheses_group() {
        let ada = user("Ada Lovelace", "ada@x");
        let zed = user("Zed", "zed@x");
        let s = search(r#""displayName:ada" OR "mail:zed" AND "displayName:nobody""#).unwrap();
        assert!(s.matches(&ada) && !s.matches(&zed));
        let s = search(r#"("displayName:ada" OR "mail:zed") AND "mail:x""#).unwrap();
        assert!(s.matches(&ada) && s.matches(&zed));
    }

    /// What the client writes for words holding a quote: one phrase, the quote data.
    #[test]
    fn escapes_keep_a_phrase_whole() {
        let quoted = user(r#"Say "hi" \ bye"#, "q@x");
        let s = search(r#""displayName:say \"hi\" \\ bye""#).unwrap();
        assert!(s.matches(&quoted));
        // An injected clause stays inside the phrase: it matches no one else.
        let s = search(r#""displayName:x\" OR \"mail:y""#).unwrap();
        assert!(!s.matches(&user("Yann", "y@x")));
    }

    #[test]
    fn syntax_errors_and_depth_are_refused() {
        for bad in [
            r#""displayName:a"#,
            r#"("displayName:a""#,
            r#""displayName:a")"#,
            r#""displayName:a" "mail:b""#,
            r#""displayName:a" AND"#,
            r#""displayName:\x""#,
            "ada",
        ] {
            assert!(search(bad).is_err(), "{bad}");
        }
        let deep =
            format!("{}\"displayName:a\"{}", "(".repeat(MAX_DEPTH + 1), ")".repeat(MAX_DEPTH + 1));
        assert!(search(&deep).is_err());
        let fine = format!("{}\"displayName:a\"{}", "(".repeat(MAX_DEPTH), ")".repeat(MAX_DEPTH));
        assert!(search(&fine).is_ok());
    }
}
