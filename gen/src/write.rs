//! The printed form: items laid out as rustfmt lays them out (`max_width = 100`), doc comments
//! wrapped and escaped so that rustdoc reads the metadata's prose as prose.

/// rustfmt's default line width.
const WIDTH: usize = 100;

/// An attribute: `#[name]` or `#[name(arg, arg)]`.
#[derive(Debug, Clone)]
pub(crate) struct Attr {
    pub(crate) name: &'static str,
    pub(crate) args: Vec<String>,
}

impl Attr {
    pub(crate) fn new(name: &'static str, args: Vec<String>) -> Attr {
        Attr { name, args }
    }
}

/// A field or a variant.
#[derive(Debug, Clone)]
pub(crate) struct Member {
    pub(crate) doc: String,
    pub(crate) attrs: Vec<Attr>,
    /// `pub name` or `Variant`.
    pub(crate) text: String,
    /// A field's type.
    pub(crate) ty: Option<String>,
}

/// A struct or an enum.
#[derive(Debug, Clone)]
pub(crate) struct Item {
    pub(crate) doc: String,
    pub(crate) attrs: Vec<Attr>,
    /// `pub struct Name` or `pub enum Name`.
    pub(crate) head: String,
    pub(crate) members: Vec<Member>,
}

/// Prints the `use` line and the items, a blank line between each.
pub(crate) fn file(imports: &[&str], items: &[Item]) -> String {
    let mut out = String::new();
    let mut imports = imports.to_vec();
    // rustfmt's order (style edition 2024): `Base64` before `graph_entity`.
    imports.sort_unstable();
    let one_line = match imports.as_slice() {
        [one] => format!("use graph_entity::{one};"),
        _ => format!("use graph_entity::{{{}}};", imports.join(", ")),
    };
    if one_line.len() <= WIDTH {
        out.push_str(&one_line);
        out.push('\n');
    } else {
        out.push_str("use graph_entity::{\n");
        fill(&mut out, 4, &imports, ",");
        out.push_str("};\n");
    }
    for item in items {
        out.push('\n');
        doc(&mut out, 0, &item.doc);
        for attr in &item.attrs {
            attribute(&mut out, 0, attr);
        }
        out.push_str(&item.head);
        if item.members.is_empty() {
            out.push_str(" {}\n");
            continue;
        }
        out.push_str(" {\n");
        for member in &item.members {
            doc(&mut out, 4, &member.doc);
            for attr in &member.attrs {
                attribute(&mut out, 4, attr);
            }
            let line = match &member.ty {
                Some(ty) => format!("    {}: {ty},", member.text),
                None => format!("    {},", member.text),
            };
            match &member.ty {
                // Too long: rustfmt puts the type on a line of its own.
                Some(ty) if line.len() > WIDTH => {
                    out.push_str(&format!("    {}:\n        {ty},\n", member.text));
                }
                _ => {
                    out.push_str(&line);
                    out.push('\n');
                }
            }
        }
        out.push_str("}\n");
    }
    out
}

/// Lines of `items` at `indent`, as many per line as fit, each followed by `sep`.
fn fill(out: &mut String, indent: usize, items: &[&str], sep: &str) {
    let mut line = String::new();
    for item in items {
        let piece = format!("{item}{sep}");
        if !line.is_empty() && indent + line.len() + 1 + piece.len() > WIDTH {
            out.push_str(&" ".repeat(indent));
            out.push_str(&line);
            out.push('\n');
            line.clear();
        }
        if !line.is_empty() {
            line.push(' ');
        }
        line.push_str(&piece);
    }
    if !line.is_empty() {
        out.push_str(&" ".repeat(indent));
        out.push_str(&line);
        out.push('\n');
    }
}

/// `#[name(args)]` on one line when it fits, else one argument per line.
fn attribute(out: &mut String, indent: usize, attr: &Attr) {
    let pad = " ".repeat(indent);
    if attr.args.is_empty() {
        out.push_str(&format!("{pad}#[{}]\n", attr.name));
        return;
    }
    let one_line = format!("{pad}#[{}({})]", attr.name, attr.args.join(", "));
    if one_line.len() <= WIDTH {
        out.push_str(&one_line);
        out.push('\n');
        return;
    }
    out.push_str(&format!("{pad}#[{}(\n", attr.name));
    for (i, arg) in attr.args.iter().enumerate() {
        let comma = if i + 1 < attr.args.len() { "," } else { "" };
        out.push_str(&format!("{pad}    {arg}{comma}\n"));
    }
    out.push_str(&format!("{pad})]\n"));
}

/// Doc comment lines for `text`: paragraphs (split at blank lines) wrapped to the width.
fn doc(out: &mut String, indent: usize, text: &str) {
    let pad = " ".repeat(indent);
    let width = WIDTH.saturating_sub(indent + 4).max(40);
    for (i, paragraph) in text.split("\n\n").filter(|p| !p.trim().is_empty()).enumerate() {
        if i > 0 {
            out.push_str(&format!("{pad}///\n"));
        }
        for line in wrap(paragraph, width) {
            out.push_str(&format!("{pad}/// {line}\n"));
        }
    }
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
    let first = line.chars().next();
    let ordered = {
        let digits = line.chars().take_while(char::is_ascii_digit).count();
        digits > 0 && matches!(line[digits..].chars().next(), Some('.' | ')'))
    };
    if matches!(first, Some('-' | '+' | '#' | '=' | '>' | '~' | '_')) {
        format!("\\{line}")
    } else if ordered {
        let digits = line.chars().take_while(char::is_ascii_digit).count();
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
    fn long_attributes_go_one_argument_per_line() {
        let mut out = String::new();
        attribute(&mut out, 0, &Attr::new("graph_entity", vec!["path = \"/users\"".into()]));
        assert_eq!(out, "#[graph_entity(path = \"/users\")]\n");
        let long = format!("path = \"/{}\"", "a".repeat(100));
        let mut out = String::new();
        attribute(&mut out, 0, &Attr::new("graph_entity", vec![long.clone(), "x".into()]));
        assert_eq!(out, format!("#[graph_entity(\n    {long},\n    x\n)]\n"));
    }
}
