//! Doc comments from the metadata's descriptions: escaped so that rustdoc reads the prose as
//! prose, and wrapped into lines, each a `#[doc]` attribute (printed as `///`).

use proc_macro2::TokenStream;
use quote::quote;

/// The width doc comment lines are wrapped to, counting the indentation and `/// ` (the
/// workspace's `max_width`).
const WIDTH: usize = 100;

/// `#[doc]` attributes for `text` at `indent`: a line each, paragraphs (split at blank lines)
/// wrapped to the width, an empty line between them.
pub(crate) fn attrs(text: &str, indent: usize) -> TokenStream {
    let width = WIDTH.saturating_sub(indent + 4).max(40);
    let mut lines = Vec::new();
    for (i, paragraph) in text.split("\n\n").filter(|p| !p.trim().is_empty()).enumerate() {
        if i > 0 {
            lines.push(String::new());
        }
        lines.extend(wrap(paragraph, width).into_iter().map(|line| format!(" {line}")));
    }
    quote!(#(#[doc = #lines])*)
}

/// Greedy word wrap; a word longer than the width has a line of its own.
fn wrap(text: &str, width: usize) -> Vec<String> {
    let mut lines = Vec::new();
    let mut line = String::new();
    for word in words(text) {
        let word = word.as_str();
        if !line.is_empty() && line.chars().count() + 1 + word.chars().count() > width {
            lines.push(std::mem::take(&mut line));
        }
        if !line.is_empty() {
            line.push(' ');
        }
        line.push_str(word);
    }
    if !line.is_empty() {
        lines.push(line);
    }
    lines.into_iter().map(|l| escape_line_start(&l)).collect()
}

/// The words of `text`, a code span between backticks kept as one.
fn words(text: &str) -> Vec<String> {
    let mut words: Vec<String> = Vec::new();
    let mut open = false;
    for word in text.split_whitespace() {
        match words.last_mut() {
            Some(last) if open => {
                last.push(' ');
                last.push_str(word);
            }
            _ => words.push(word.to_owned()),
        }
        if word.matches('`').count() % 2 == 1 {
            open = !open;
        }
    }
    words
}

/// Prose from the metadata, escaped so that rustdoc neither links (`[...]`), nor reads HTML
/// (`<...>`), nor emphasises (`*`), nor warns of bare URLs (they are put in `<...>`).
/// Code spans between backticks are kept as written.
pub(crate) fn prose(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 8);
    for (i, word) in text.split_whitespace().enumerate() {
        if i > 0 {
            out.push(' ');
        }
        if let Some(start) = word.find("http://").or_else(|| word.find("https://")) {
            let (before, url) = word.split_at(start);
            let end = url.trim_end_matches(['.', ',', ';', ':', ')', '\'', '"']).len();
            let (url, after) = url.split_at(end);
            out.push_str(&escape(before));
            out.push('<');
            out.push_str(&url.replace('>', "%3E"));
            out.push('>');
            out.push_str(&escape(after));
        } else {
            out.push_str(&escape(word));
        }
    }
    // A code span left open would swallow the rest: drop the odd backtick's meaning.
    if out.matches('`').count() % 2 == 1 {
        out = out.replace('`', "\\`");
    }
    out
}

fn escape(word: &str) -> String {
    let mut out = String::with_capacity(word.len());
    for c in word.chars() {
        if matches!(c, '[' | ']' | '<' | '>' | '*' | '\\' | '|') {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

/// A line that would open a Markdown block (a list, heading, quote, rule or table) starts with
/// a backslash instead.
fn escape_line_start(line: &str) -> String {
    let digits = line.chars().take_while(char::is_ascii_digit).count();
    if matches!(line.chars().next(), Some('-' | '+' | '#' | '=' | '>' | '~' | '_')) {
        format!("\\{line}")
    } else if digits > 0 && matches!(line[digits..].chars().next(), Some('.' | ')')) {
        format!("{}\\{}", &line[..digits], &line[digits..])
    } else {
        line.to_owned()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn prose_is_escaped() {
        assert_eq!(
            prose("Supports $filter [eq]. See https://learn.microsoft.com/graph. <br> *x*"),
            "Supports $filter \\[eq\\]. See <https://learn.microsoft.com/graph>. \\<br\\> \\*x\\*"
        );
        assert_eq!(prose("a `b` c"), "a `b` c");
        assert_eq!(prose("a `b c"), "a \\`b c");
    }

    #[test]
    fn code_spans_are_not_wrapped() {
        assert_eq!(wrap("a `POST /users` b", 3), ["a", "`POST /users`", "b"]);
    }

    #[test]
    fn lines_never_open_a_block() {
        assert_eq!(wrap("a - b", 1), ["a", "\\-", "b"]);
        assert_eq!(wrap("x 1. y", 1), ["x", "1\\.", "y"]);
    }

    #[test]
    fn paragraphs_are_lines_apart() {
        let attrs = attrs("one\n\ntwo", 0).to_string();
        assert_eq!(attrs, quote!(#[doc = " one"] #[doc = ""] #[doc = " two"]).to_string());
    }
}
