//! The tokens of a `$filter`, and of a function's parameters (`name=literal,…`): OData's
//! literals, read once here.

use super::{QueryError, invalid};
use crate::edm::is_guid;

#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Tok {
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
    /// Between a function's parameter and its value.
    Equals,
}

#[derive(Debug)]
pub(crate) struct Token {
    pub(crate) tok: Tok,
    pub(crate) at: usize,
}

impl Token {
    pub(super) fn shown(&self) -> String {
        match &self.tok {
            Tok::Word(w) | Tok::Raw(w) => w.clone(),
            Tok::Str(s) => format!("'{s}'"),
            Tok::Typed(t, s) => format!("{t}'{s}'"),
            Tok::Open => "(".into(),
            Tok::Close => ")".into(),
            Tok::Comma => ",".into(),
            Tok::Colon => ":".into(),
            Tok::Equals => "=".into(),
        }
    }
}

pub(crate) fn lex(text: &str) -> Result<Vec<Token>, QueryError> {
    let chars: Vec<(usize, char)> = text.char_indices().collect();
    let mut tokens = Vec::new();
    let mut i = 0;
    let word_char = |c: char| c.is_alphanumeric() || matches!(c, '_' | '.' | '/' | '-' | '@' | '$');
    let raw_char = |c: char| c.is_ascii_alphanumeric() || matches!(c, '.' | ':' | '+' | '-');
    while let Some(&(at, c)) = chars.get(i) {
        match c {
            c if c.is_whitespace() => i += 1,
            '(' | ')' | ',' | ':' | '=' => {
                let tok = match c {
                    '(' => Tok::Open,
                    ')' => Tok::Close,
                    ':' => Tok::Colon,
                    '=' => Tok::Equals,
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
