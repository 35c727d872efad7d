"""Reading the SDK's request builders (every folder of `msgraph_beta/generated/` but `models/`),
with `ast`: each builder's URL template (the path it addresses), the HTTP methods it offers with
their bodies and results, and for a function its parameters (in the template, typed by the
builder's constructor). Action bodies (`*_post_request_body.py`) and wrapped results
(`*_post_response.py`, `*_get_response.py`) are read as models (`sdk_models.read_class`)."""

from __future__ import annotations

import ast
import re
from dataclasses import dataclass, field
from typing import Optional

from sdk_models import imports_of, read_class

GENERATED = "msgraph_beta/generated/"
METHODS = ("get", "post", "patch", "put", "delete")
KEY = re.compile(r"^\{[^}]*%2D[^}]*\}$")  # `{deviceManagementConfigurationPolicy%2Did}`


@dataclass
class Result:
    """What a method sends back: a model (`module`), a primitive (`primitive`: `bytes`, `str`,
    `int` … or an enum's module), or nothing; `collection` for a list."""
    module: Optional[str] = None
    primitive: Optional[str] = None
    collection: bool = False


@dataclass
class Method:
    body: Optional[str] = None  # module of the body's class
    body_collection: bool = False
    result: Optional[Result] = None


@dataclass
class Builder:
    module: str
    path: str  # the template's path, `{…%2Did}` keys written `{id}`
    key: list = field(default_factory=list)  # the last segment's key properties, if a key
    methods: dict = field(default_factory=dict)  # "get" … → Method
    parameters: dict = field(default_factory=dict)  # function: URL name → Python annotation

    @property
    def segments(self) -> list:
        return split(self.path)


def split(path: str) -> list:
    """Path segments; a function's parameters stay in their segment (`f(a='{a}')`)."""
    out, depth, current = [], 0, ""
    for ch in path.strip("/"):
        if ch == "/" and depth == 0:
            out.append(current)
            current = ""
            continue
        depth += ch == "("
        depth -= ch == ")"
        current += ch
    if current:
        out.append(current)
    return out


def _path(template: str) -> str:
    path = template.replace("{+baseurl}", "")
    # The query: `{?%24top,…}`, or `?startDateTime={startDateTime}{&…}` (a function's query
    # options, such as a calendar view's delta).
    path = re.split(r"\{\?|\?|\{&", path, maxsplit=1)[0]
    return "/".join("{id}" if KEY.match(s) or "=" in s and "(" not in s else s
                    for s in split(path))


def _key(template: str) -> list:
    """The key properties a path's last segment gives: `{deviceManagementScript%2Did}` → `id`
    (Kiota writes `{type-key}`), `id='{id}',policyId='{policyId}'` → `id`, `policyId`."""
    path = re.split(r"\{\?|\?|\{&", template.replace("{+baseurl}", ""), maxsplit=1)[0]
    last = split(path)[-1] if split(path) else ""
    if KEY.match(last):
        return [last[1:-1].split("%2D", 1)[1]]
    if "=" in last and "(" not in last:
        return [part.split("=", 1)[0] for part in last.split(",")]
    return []


def _result(call: ast.Call, imports: dict) -> Optional[Result]:
    """From `return await self.request_adapter.send_…(request_info, X, …)`."""
    kind = call.func.attr if isinstance(call.func, ast.Attribute) else ""
    if kind == "send_no_response_content_async" or len(call.args) < 2:
        return None
    arg = call.args[1]
    collection = "collection" in kind
    if isinstance(arg, ast.Constant):  # send_primitive_async(…, "bytes") or an enum's name
        name = arg.value
        lowered = {k.lower(): v for k, v in imports.items()}
        if name.lower() in lowered and name not in ("str", "int", "float", "bool", "bytes"):
            return Result(primitive=lowered[name.lower()], collection=collection)
        return Result(primitive=name, collection=collection)
    name = ast.unparse(arg)
    return Result(module=imports.get(name), primitive=None if name in imports else name,
                  collection=collection)


def read_builder(source: str, module: str) -> Optional[Builder]:
    tree = ast.parse(source)
    imports = imports_of(tree, module)
    for node in tree.body:
        if not isinstance(node, ast.ClassDef):
            continue
        builder = None
        for item in node.body:
            if isinstance(item, ast.FunctionDef) and item.name == "__init__":
                builder = _init(item, module)
        if builder is None:
            return None
        for item in node.body:
            if isinstance(item, ast.AsyncFunctionDef) and item.name in METHODS:
                builder.methods[item.name] = _method(item, imports)
            elif isinstance(item, ast.ClassDef) and item.name.endswith("GetQueryParameters"):
                # A function's parameter given as an alias (`f(p=@p)`) is a query option here.
                for name, annotation in _query_parameters(item).items():
                    builder.parameters.setdefault("@" + name, annotation)
        return builder
    return None


def _query_parameters(cls: ast.ClassDef) -> dict:
    """URL name → Python annotation of a `…GetQueryParameters` class's fields."""
    annotations = {item.target.id: ast.unparse(item.annotation) for item in cls.body
                   if isinstance(item, ast.AnnAssign) and isinstance(item.target, ast.Name)}
    out = {}
    for node in ast.walk(cls):
        if (isinstance(node, ast.If) and isinstance(node.test, ast.Compare)
                and isinstance(node.test.comparators[0], ast.Constant)
                and node.body and isinstance(node.body[0], ast.Return)
                and isinstance(node.body[0].value, ast.Constant)):
            python, url = node.test.comparators[0].value, node.body[0].value.value
            if python in annotations and not url.startswith("%24"):
                out[url] = annotations[python]
    return out


def _init(func: ast.FunctionDef, module: str) -> Optional[Builder]:
    template = None
    annotations = {a.arg: ast.unparse(a.annotation) for a in func.args.args if a.annotation}
    parameters = {}
    for node in ast.walk(func):
        if (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)
                and node.func.attr == "__init__" and len(node.args) >= 2
                and isinstance(node.args[1], ast.Constant)):
            template = node.args[1].value
        if (isinstance(node, ast.Assign) and isinstance(node.targets[0], ast.Subscript)
                and isinstance(node.value, ast.Name)):
            key = node.targets[0].slice
            if isinstance(key, ast.Constant) and node.value.id in annotations:
                parameters[key.value] = annotations[node.value.id]
    if template is None:
        return None
    return Builder(module=module, path=_path(template), parameters=parameters,
                   key=_key(template))


def _method(func: ast.AsyncFunctionDef, imports: dict) -> Method:
    method = Method()
    for arg in func.args.args:
        if arg.arg == "body" and arg.annotation is not None:
            text = ast.unparse(arg.annotation)
            inner = re.sub(r"^list\[(.*)\]$", r"\1", text)
            method.body = imports.get(inner, inner)
            method.body_collection = inner != text
    for node in ast.walk(func):
        if (isinstance(node, ast.Return) and isinstance(node.value, ast.Await)
                and isinstance(node.value.value, ast.Call)):
            method.result = _result(node.value.value, imports)
    return method


def read_all(files: dict):
    """(builders: path → Builder, classes: module → SdkClass of bodies and wrapped results)."""
    builders, classes = {}, {}
    for name in sorted(files):
        if not name.startswith(GENERATED) or name.startswith(GENERATED + "models/"):
            continue
        module = name[:-3]
        if name.endswith("_request_builder.py"):
            builder = read_builder(files[name], module)
            if builder is not None:
                # Two builders of one path (Kiota's `…_with_…` overloads): keep the first.
                builders.setdefault(builder.path, builder)
        elif name.endswith(("_request_body.py", "_response.py")):
            cls = read_class(files[name], module)
            if cls is not None:
                classes[module] = cls
    return builders, classes


def function_parameters(segment: str) -> list:
    """`f(a='{a}',b={b})` → [("a", True), ("b", False)]: each name and whether quoted."""
    inside = segment[segment.index("(") + 1:-1] if "(" in segment else ""
    out = []
    for part in filter(None, inside.split(",")):
        name, _, value = part.partition("=")
        out.append((name.strip(), value.strip().startswith("'")))
    return out


def operation_name(segment: str) -> str:
    return segment.split("(", 1)[0]
