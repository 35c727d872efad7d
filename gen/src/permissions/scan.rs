//! Reading a program's sources for what it declares (`#[graph_entity]`, `#[graph_action]`,
//! `#[graph_function]`) and which operations it calls on them: from the syntax alone, with the
//! types of local variables followed where a `let` or a parameter names them.

use std::collections::HashMap;
use std::fs;
use std::path::{Path, PathBuf};

use graph_entity_schema::permissions::Operation;
use proc_macro2::{TokenStream, TokenTree};
use syn::visit::{self, Visit};
use syn::{Expr, Pat, Type};

/// What a declaration is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Kind {
    Entity,
    Action,
    Function,
}

/// A declaration found in the sources.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Declaration {
    /// The struct's name.
    pub(crate) name: String,
    pub(crate) kind: Kind,
    /// Its `path = "..."`; `None` for an `unchecked` declaration (nothing known of it).
    pub(crate) path: Option<String>,
    /// Its `odata_type = "#..."`, without the `#`, when it names one.
    pub(crate) odata_type: Option<String>,
    /// It says `beta`: its path is beta's.
    pub(crate) beta: bool,
    /// Where it is: `file:line`.
    pub(crate) at: String,
}

/// A call of an operation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Use {
    /// The declaration's name, when the syntax tells it.
    pub(crate) ty: Option<String>,
    pub(crate) operation: Operation,
    /// The call as written, shortened: `status.create(…)`.
    pub(crate) call: String,
    /// Where it is: `file:line`.
    pub(crate) at: String,
}

/// What the sources hold.
#[derive(Debug, Default)]
pub(crate) struct Sources {
    pub(crate) declarations: Vec<Declaration>,
    pub(crate) uses: Vec<Use>,
    /// Files that could not be read or parsed, with why.
    pub(crate) unreadable: Vec<(PathBuf, String)>,
    /// How many files were read.
    pub(crate) files: usize,
}

/// The Rust files of `path`: itself if a file; for a crate's directory (with a `Cargo.toml`)
/// those under `src/` and `examples/`; for another directory every one under it. `target/` and
/// hidden directories are skipped.
pub(crate) fn files(path: &Path) -> Vec<PathBuf> {
    let mut found = Vec::new();
    if path.is_file() {
        found.push(path.to_owned());
    } else if path.join("Cargo.toml").is_file() {
        for part in ["src", "examples"] {
            walk(&path.join(part), &mut found);
        }
    } else {
        walk(path, &mut found);
    }
    found.sort();
    found
}

fn walk(dir: &Path, found: &mut Vec<PathBuf>) {
    let Ok(entries) = fs::read_dir(dir) else { return };
    for entry in entries.flatten() {
        let path = entry.path();
        let name = entry.file_name();
        let name = name.to_string_lossy();
        if path.is_dir() {
            if !name.starts_with('.') && name != "target" {
                walk(&path, found);
            }
        } else if name.ends_with(".rs") {
            found.push(path);
        }
    }
}

/// Reads every file of `paths` (see [`files`]).
pub(crate) fn scan(paths: &[PathBuf]) -> Sources {
    let mut sources = Sources::default();
    for file in paths.iter().flat_map(|p| files(p)) {
        let text = match fs::read_to_string(&file) {
            Ok(text) => text,
            Err(error) => {
                sources.unreadable.push((file, error.to_string()));
                continue;
            }
        };
        match syn::parse_file(&text) {
            Ok(parsed) => {
                let mut reader = Reader::new(&file, &mut sources);
                reader.visit_file(&parsed);
                sources.files += 1;
            }
            Err(error) => {
                let line = error.span().start().line;
                sources.unreadable.push((file, format!("line {line}: {error}")));
            }
        }
    }
    sources
}

/// The operation a method or associated function of that name performs.
fn operation(name: &str) -> Option<Operation> {
    Some(match name {
        "create" | "create_with" | "create_many" => Operation::Create,
        "get" | "get_with" | "get_single" | "get_single_with" => Operation::Get,
        "list" | "list_with" | "count" => Operation::List,
        "update" | "update_with" | "update_many" | "update_single" | "update_single_with" => {
            Operation::Update
        }
        "delete" | "delete_with" | "delete_many" => Operation::Delete,
        "delta" | "delta_from" => Operation::Delta,
        "invoke" | "invoke_with" | "invoke_many" => Operation::Invoke,
        "call" | "call_with" => Operation::Call,
        _ => return None,
    })
}

/// Walks one file.
struct Reader<'s> {
    file: String,
    sources: &'s mut Sources,
    /// `use … as Alias`: the alias's original name.
    aliases: HashMap<String, String>,
    /// The types of local variables and parameters of the function being read (its closures
    /// included), by name: the last `let` or parameter naming one wins.
    locals: HashMap<String, String>,
}

impl<'s> Reader<'s> {
    fn new(file: &Path, sources: &'s mut Sources) -> Self {
        Reader {
            file: file.display().to_string(),
            sources,
            aliases: HashMap::new(),
            locals: HashMap::new(),
        }
    }

    fn at(&self, span: proc_macro2::Span) -> String {
        format!("{}:{}", self.file, span.start().line)
    }

    /// A type's name as declared: its last segment, through `use … as`.
    fn resolve(&self, name: &str) -> String {
        self.aliases.get(name).cloned().unwrap_or_else(|| name.to_owned())
    }

    /// The declaration's name a type names (`T`, `&T`, `module::T`), if a plain path.
    fn type_name(&self, ty: &Type) -> Option<String> {
        match ty {
            Type::Reference(reference) => self.type_name(&reference.elem),
            Type::Paren(paren) => self.type_name(&paren.elem),
            Type::Path(path) if path.qself.is_none() => {
                path.path.segments.last().map(|s| self.resolve(&s.ident.to_string()))
            }
            _ => None,
        }
    }

    /// The type an expression evidently has: a struct literal's, a variable's known type, a
    /// `Type::function(…)` call's type (a constructor, as the `T::` says), through `&`.
    fn expr_type(&self, expr: &Expr) -> Option<String> {
        match expr {
            Expr::Reference(reference) => self.expr_type(&reference.expr),
            Expr::Paren(paren) => self.expr_type(&paren.expr),
            Expr::Struct(literal) => {
                literal.path.segments.last().map(|s| self.resolve(&s.ident.to_string()))
            }
            Expr::Path(path) if path.path.segments.len() == 1 => {
                let name = path.path.segments.first()?.ident.to_string();
                self.locals.get(&name).cloned()
            }
            _ => None,
        }
    }

    fn record(&mut self, ty: Option<String>, operation: Operation, call: String, at: String) {
        self.sources.uses.push(Use { ty, operation, call, at });
    }

    fn declaration(&mut self, item: &syn::ItemStruct) {
        for attribute in &item.attrs {
            let Some(last) = attribute.path().segments.last() else { continue };
            let kind = match last.ident.to_string().as_str() {
                "graph_entity" => Kind::Entity,
                "graph_action" => Kind::Action,
                "graph_function" => Kind::Function,
                _ => continue,
            };
            let tokens = match &attribute.meta {
                syn::Meta::List(list) => list.tokens.clone(),
                _ => TokenStream::new(),
            };
            let Arguments { path, odata_type, unchecked, beta } = arguments(tokens);
            self.sources.declarations.push(Declaration {
                name: item.ident.to_string(),
                kind,
                path: path.filter(|_| !unchecked),
                odata_type: odata_type.map(|t| t.trim_start_matches('#').to_owned()),
                beta,
                at: self.at(item.ident.span()),
            });
        }
    }
}

/// What the permissions depend on in a declaration's arguments.
#[derive(Default)]
struct Arguments {
    path: Option<String>,
    odata_type: Option<String>,
    unchecked: bool,
    beta: bool,
}

/// The `path = "..."` and `odata_type = "..."` of a declaration's arguments, and whether it
/// says `unchecked` or `beta`.
fn arguments(tokens: TokenStream) -> Arguments {
    let tokens: Vec<TokenTree> = tokens.into_iter().collect();
    let mut found = Arguments::default();
    for (i, token) in tokens.iter().enumerate() {
        let TokenTree::Ident(ident) = token else { continue };
        let next_is_eq =
            matches!(tokens.get(i + 1), Some(TokenTree::Punct(p)) if p.as_char() == '=');
        let after_comma =
            i == 0 || matches!(tokens.get(i - 1), Some(TokenTree::Punct(p)) if p.as_char() == ',');
        if !after_comma {
            continue;
        }
        if ident == "unchecked" && !next_is_eq {
            found.unchecked = true;
        }
        if ident == "beta" && !next_is_eq {
            found.beta = true;
        }
        let slot = match ident.to_string().as_str() {
            "path" => &mut found.path,
            "odata_type" => &mut found.odata_type,
            _ => continue,
        };
        if let (true, Some(TokenTree::Literal(literal))) = (next_is_eq, tokens.get(i + 2)) {
            let text = literal.to_string();
            *slot = text.strip_prefix('"').and_then(|t| t.strip_suffix('"')).map(str::to_owned);
        }
    }
    found
}

/// A call as the report shows it: `status.create(…)`, `Status::get(…)`.
fn shown(callee: &dyn quote::ToTokens, method: Option<&syn::Ident>) -> String {
    let callee: String = callee.to_token_stream().to_string().split_whitespace().collect();
    let callee = match callee.char_indices().nth(40) {
        Some((at, _)) => format!("{}…", &callee[..at]),
        None => callee,
    };
    match method {
        Some(method) => format!("{callee}.{method}(…)"),
        None => format!("{callee}(…)"),
    }
}

impl<'ast> Visit<'ast> for Reader<'_> {
    fn visit_item_use(&mut self, item: &'ast syn::ItemUse) {
        fn renames(tree: &syn::UseTree, out: &mut HashMap<String, String>) {
            match tree {
                syn::UseTree::Path(path) => renames(&path.tree, out),
                syn::UseTree::Rename(rename) => {
                    out.insert(rename.rename.to_string(), rename.ident.to_string());
                }
                syn::UseTree::Group(group) => group.items.iter().for_each(|t| renames(t, out)),
                _ => {}
            }
        }
        renames(&item.tree, &mut self.aliases);
    }

    fn visit_item_type(&mut self, item: &'ast syn::ItemType) {
        // `type Status = ManagedDeviceMobileAppConfigurationUserStatus;`
        if let Some(original) = self.type_name(&item.ty) {
            self.aliases.insert(item.ident.to_string(), original);
        }
        visit::visit_item_type(self, item);
    }

    fn visit_item_struct(&mut self, item: &'ast syn::ItemStruct) {
        self.declaration(item);
        visit::visit_item_struct(self, item);
    }

    fn visit_item_fn(&mut self, item: &'ast syn::ItemFn) {
        let outer = std::mem::take(&mut self.locals);
        visit::visit_item_fn(self, item);
        self.locals = outer;
    }

    fn visit_impl_item_fn(&mut self, item: &'ast syn::ImplItemFn) {
        let outer = std::mem::take(&mut self.locals);
        visit::visit_impl_item_fn(self, item);
        self.locals = outer;
    }

    fn visit_fn_arg(&mut self, arg: &'ast syn::FnArg) {
        if let syn::FnArg::Typed(typed) = arg {
            if let (Pat::Ident(name), Some(ty)) = (&*typed.pat, self.type_name(&typed.ty)) {
                self.locals.insert(name.ident.to_string(), ty);
            }
        }
        visit::visit_fn_arg(self, arg);
    }

    fn visit_local(&mut self, local: &'ast syn::Local) {
        visit::visit_local(self, local);
        let (name, declared) = match &local.pat {
            Pat::Ident(name) => (name.ident.to_string(), None),
            Pat::Type(typed) => match &*typed.pat {
                Pat::Ident(name) => (name.ident.to_string(), self.type_name(&typed.ty)),
                _ => return,
            },
            _ => return,
        };
        let inferred = local.init.as_ref().and_then(|init| self.expr_type(&init.expr));
        match declared.or(inferred) {
            Some(ty) => self.locals.insert(name, ty),
            None => self.locals.remove(&name),
        };
    }

    fn visit_expr_call(&mut self, call: &'ast syn::ExprCall) {
        visit::visit_expr_call(self, call);
        // `Type::operation(…)`: exactly the declaration's.
        let Expr::Path(function) = &*call.func else { return };
        let segments: Vec<String> =
            function.path.segments.iter().map(|s| s.ident.to_string()).collect();
        let [.., ty, name] = segments.as_slice() else { return };
        let Some(operation) = operation(name) else { return };
        if !ty.starts_with(|c: char| c.is_ascii_uppercase()) || ty == "Client" {
            return;
        }
        let at = self.at(function
            .path
            .segments
            .last()
            .map_or_else(proc_macro2::Span::call_site, |s| s.ident.span()));
        let ty = self.resolve(ty);
        self.record(Some(ty), operation, shown(&call.func, None), at);
    }

    fn visit_expr_method_call(&mut self, call: &'ast syn::ExprMethodCall) {
        visit::visit_expr_method_call(self, call);
        let Some(operation) = operation(&call.method.to_string()) else { return };
        let at = self.at(call.method.span());
        // `client.get::<Type>(…)`: the turbofish says.
        let turbofish =
            call.turbofish.as_ref().and_then(|t| t.args.first()).and_then(|a| match a {
                syn::GenericArgument::Type(ty) => self.type_name(ty),
                _ => None,
            });
        // `value.create(client, …)`, or `client.create(&value, …)`.
        let value = |expr: &Expr| self.expr_type(expr).filter(|ty| ty != "Client");
        let ty = turbofish
            .or_else(|| value(&call.receiver))
            .or_else(|| call.args.first().and_then(value));
        // A `.get(…)` or `.list(…)` of anything else (a map, a vector) is no operation of ours;
        // the report drops those whose type is no declaration. A `.create(…)`, `.invoke(…)`,
        // `.call(…)`, a bulk call or any operation called on a `Client` whose type is unknown
        // is reported.
        let on_client = self.expr_type(&call.receiver).as_deref() == Some("Client");
        let ours = on_client
            || matches!(operation, Operation::Create | Operation::Invoke | Operation::Call)
            || call.method.to_string().ends_with("_many");
        if ty.is_some() || ours {
            self.record(ty, operation, shown(&call.receiver, Some(&call.method)), at);
        }
    }
}
