"""Reading the types of Microsoft's Kiota-generated beta SDK for Python (`msgraph_beta/generated/
models/`), with Python's `ast` (never imported or run): each class's base, its properties' JSON
names and readers (hence their types), its derived types (`@odata.type` discriminators), the
comments Kiota writes from the metadata's descriptions, and each enum's members in order."""

from __future__ import annotations

import ast
import re
from dataclasses import dataclass, field
from typing import Optional

from model import lower_first

MODELS = "msgraph_beta/generated/models/"

# A reader without an argument: the Edm type, and what of it is inferred.
SCALAR_READERS = {
    "get_str_value": ("Edm.String", ()),
    "get_bool_value": ("Edm.Boolean", ()),
    "get_int_value": ("Edm.Int32", ("Width",)),
    "get_float_value": ("Edm.Double", ("Precision",)),
    "get_uuid_value": ("Edm.Guid", ()),
    "get_date_value": ("Edm.Date", ()),
    "get_datetime_value": ("Edm.DateTimeOffset", ()),
    "get_time_value": ("Edm.TimeOfDay", ()),
    "get_timedelta_value": ("Edm.Duration", ()),
    # Kiota reads `Edm.Binary` and `Edm.Stream` alike: Binary is written, marked `Type`.
    "get_bytes_value": ("Edm.Binary", ("Type",)),
}
# `get_collection_of_primitive_values(T)` and Python annotations: the Edm type of T.
PYTHON_PRIMITIVES = {
    "str": ("Edm.String", ()), "bool": ("Edm.Boolean", ()), "int": ("Edm.Int32", ("Width",)),
    "float": ("Edm.Double", ("Precision",)), "UUID": ("Edm.Guid", ()),
    "bytes": ("Edm.Binary", ()), "datetime.datetime": ("Edm.DateTimeOffset", ()),
    "datetime.date": ("Edm.Date", ()), "datetime.time": ("Edm.TimeOfDay", ()),
    "datetime.timedelta": ("Edm.Duration", ()), "datetime": ("Edm.DateTimeOffset", ()),
    "date": ("Edm.Date", ()), "time": ("Edm.TimeOfDay", ()), "timedelta": ("Edm.Duration", ()),
}
# Kiota's own plumbing, not Graph types.
NOT_TYPES = ("BaseCollectionPaginationCountResponse", "BaseDeltaFunctionResponse")
# Kiota's comment when the metadata has no description: not a description.
PLACEHOLDER = re.compile(r"^(The \w+ property|Instantiates a new \w+.*)$")


@dataclass
class SdkProperty:
    name: str  # JSON name
    reader: str  # get_… method
    target: Optional[str]  # module of the class read (object/enum), or a primitive's name
    python_type: str  # the dataclass annotation, unparsed
    writer: Optional[str] = None  # write_… method in `serialize`
    description: Optional[str] = None
    ambiguous: bool = False  # the class read is one of two of that name (see imports_of)
    target_name: str = ""  # the class's name as written


@dataclass
class SdkClass:
    module: str  # msgraph_beta/generated/models/x/y (no .py)
    name: str  # Python class name
    kind: str  # "model" or "enum"
    bases: list = field(default_factory=list)  # modules of the base classes
    properties: list = field(default_factory=list)  # [SdkProperty]
    members: list = field(default_factory=list)  # enum: [(value, description)]
    derived: dict = field(default_factory=dict)  # "microsoft.graph.x" → module
    description: Optional[str] = None


def imports_of(tree: ast.Module, module: str, ambiguous: Optional[set] = None) -> dict:
    """Every `from .x import Name` of a file (TYPE_CHECKING and in functions): name → module.
    Where Kiota imports two classes of one name (`UserIdentity` of `microsoft.graph` and of
    `microsoft.graph.callRecords`), the one beside the file is taken and the name is added to
    `ambiguous`."""
    folder = module.rsplit("/", 1)[0]
    package = folder.split("/")
    found = {}
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.level:
            base = package[:len(package) - (node.level - 1)]
            target = "/".join(base + (node.module.split(".") if node.module else []))
            for alias in node.names:
                name = alias.asname or alias.name
                if name in found and found[name] != target:
                    if ambiguous is not None:
                        ambiguous.add(name)
                    if found[name].rsplit("/", 1)[0] == folder:
                        continue
                found[name] = target
    return found


def _comment_above(lines: list, lineno: int) -> Optional[str]:
    """The `#` comment lines right above line `lineno` (1-based), joined."""
    out = []
    i = lineno - 2
    while i >= 0 and lines[i].strip().startswith("#"):
        out.insert(0, lines[i].strip()[1:].strip())
        i -= 1
    text = " ".join(out).strip()
    return None if not text or PLACEHOLDER.match(text) else text


def _docstring(node) -> Optional[str]:
    text = ast.get_docstring(node)
    if not text:
        return None
    text = " ".join(text.split())
    return None if PLACEHOLDER.match(text) else text


def _reader(call: ast.Call, imports: dict):
    """(`get_…`, the module or primitive it reads) of `n.get_…(X)`."""
    reader = call.func.attr if isinstance(call.func, ast.Attribute) else ""
    if not call.args:
        return reader, None
    arg = ast.unparse(call.args[0])
    return reader, imports.get(arg, arg)


def read_class(source: str, module: str) -> Optional[SdkClass]:
    tree = ast.parse(source)
    ambiguous = set()
    imports = imports_of(tree, module, ambiguous)
    lines = source.splitlines()
    for node in tree.body:
        if not isinstance(node, ast.ClassDef):
            continue
        base_names = [ast.unparse(b) for b in node.bases]
        if "Enum" in base_names:
            return _read_enum(node, module, lines)
        cls = SdkClass(module=module, name=node.name, kind="model",
                       description=_docstring(node))
        cls.bases = [imports[b] for b in base_names if b in imports]
        imports.setdefault(node.name, module)  # a property of the class's own type
        _read_body(node, cls, imports, lines)
        for prop in cls.properties:
            prop.ambiguous = prop.target_name in ambiguous
        return cls
    return None


def _read_enum(node: ast.ClassDef, module: str, lines: list) -> SdkClass:
    cls = SdkClass(module=module, name=node.name, kind="enum", description=_docstring(node))
    for item in node.body:
        if isinstance(item, ast.Assign):
            value = item.value
            if isinstance(value, ast.Tuple) and value.elts:
                value = value.elts[0]
            if isinstance(value, ast.Constant) and isinstance(value.value, str):
                cls.members.append((value.value, _comment_above(lines, item.lineno)))
    return cls


def _read_body(node: ast.ClassDef, cls: SdkClass, imports: dict, lines: list) -> None:
    annotations = {}  # python attribute → (annotation, description)
    for item in node.body:
        if isinstance(item, ast.AnnAssign) and isinstance(item.target, ast.Name):
            annotations[item.target.id] = (ast.unparse(item.annotation),
                                           _comment_above(lines, item.lineno))
    for item in node.body:
        if not isinstance(item, ast.FunctionDef):
            continue
        if item.name == "get_field_deserializers":
            for sub in ast.walk(item):
                if isinstance(sub, ast.Dict):
                    for key, value in zip(sub.keys, sub.values):
                        prop = _deserializer(key, value, imports, annotations)
                        if prop:
                            cls.properties.append(prop)
        elif item.name == "create_from_discriminator_value":
            _discriminators(item, cls, imports)
    writers = {}
    for item in node.body:
        if isinstance(item, ast.FunctionDef) and item.name == "serialize":
            for sub in ast.walk(item):
                if (isinstance(sub, ast.Call) and isinstance(sub.func, ast.Attribute)
                        and sub.func.attr.startswith("write_") and sub.args
                        and isinstance(sub.args[0], ast.Constant)):
                    writers[sub.args[0].value] = sub.func.attr
    for prop in cls.properties:
        prop.writer = writers.get(prop.name)


def _deserializer(key, value, imports: dict, annotations: dict) -> Optional[SdkProperty]:
    if not (isinstance(key, ast.Constant) and isinstance(value, ast.Lambda)):
        return None
    call = value.body
    if not (isinstance(call, ast.Call) and len(call.args) == 3
            and isinstance(call.args[2], ast.Call)):
        return None
    attribute = call.args[1].value if isinstance(call.args[1], ast.Constant) else ""
    reader, target = _reader(call.args[2], imports)
    annotation, description = annotations.get(attribute, ("", None))
    arg = ast.unparse(call.args[2].args[0]) if call.args[2].args else ""
    return SdkProperty(name=key.value, reader=reader, target=target, python_type=annotation,
                       description=description, target_name=arg)


def _discriminators(func: ast.FunctionDef, cls: SdkClass, imports: dict) -> None:
    """`if mapping_value … == "#microsoft.graph.x".casefold(): from .x import X; return X()`."""
    for node in ast.walk(func):
        if not isinstance(node, ast.If):
            continue
        strings = [c.value for c in ast.walk(node.test)
                   if isinstance(c, ast.Constant) and isinstance(c.value, str)
                   and c.value.startswith("#")]
        if not strings:
            continue
        # Kiota may import two classes of one name in a branch (`callRecords.userIdentity` and
        # `userIdentity`): the module is the one whose path spells the discriminator.
        local = []
        package = cls.module.rsplit("/", 1)[0].split("/")
        for statement in node.body:
            if isinstance(statement, ast.ImportFrom) and statement.level:
                base = package[:len(package) - (statement.level - 1)]
                local.append("/".join(base + statement.module.split(".")))
        name = strings[0][1:]
        wanted = "/".join(_snake(p) for p in name.split(".")[2:])
        match = [m for m in local if m.endswith("/models/" + wanted)]
        if match or local:
            cls.derived[name] = (match or local)[-1]


def read_all(files: dict) -> dict:
    """Every class of `models/`: module → SdkClass."""
    classes = {}
    for path in sorted(files):
        if not path.startswith(MODELS) or path.endswith("__init__.py"):
            continue
        if path.startswith(MODELS + "o_data_errors/"):
            continue
        module = path[:-3]
        cls = read_class(files[path], module)
        if cls is not None:
            classes[module] = cls
    return classes


def is_plumbing(classes: dict, module: str) -> bool:
    """A collection response or another of Kiota's own wrappers, not a Graph type."""
    seen = set()
    while module in classes and module not in seen:
        seen.add(module)
        cls = classes[module]
        if cls.name in NOT_TYPES or cls.name.endswith("CollectionResponse"):
            return True
        module = cls.bases[0] if cls.bases else None
    return False


def odata_names(classes: dict, known: dict, namespaces: list) -> dict:
    """module → qualified OData name: from a discriminator string where one names it, else the
    known name (type mappings, CSDLs) of that namespace spelt alike ignoring case, else the
    class name with its first letter lowered (Kiota's class names are the OData names with the
    first letter raised, and `_` added after a Python keyword or builtin)."""
    folders = {}
    for namespace in namespaces:
        parts = namespace.split(".")[2:]
        folders["/".join(_snake(p) for p in parts)] = namespace
    by_discriminator = {}
    for cls in classes.values():
        for name, module in cls.derived.items():
            by_discriminator.setdefault(module, name)
    names = {}
    for module, cls in classes.items():
        if module in by_discriminator:
            names[module] = by_discriminator[module]
            continue
        folder = module[len(MODELS):].rsplit("/", 1)
        namespace = folders.get(folder[0], None) if len(folder) == 2 else "microsoft.graph"
        if namespace is None:
            namespace = "microsoft.graph." + ".".join(lower_first(p) for p in folder[0].split("/"))
        short = cls.name.rstrip("_")
        exact = known.get((namespace, short.lower()))
        names[module] = f"{namespace}.{exact or lower_first(short)}"
    return names


def property_type(prop: SdkProperty, names: dict):
    """(element type, collection, inferred facts, read as flags) of an SDK property; the type is
    `None` where the reader's class is not a Graph type."""
    if prop.reader in SCALAR_READERS:
        ty, inferred = SCALAR_READERS[prop.reader]
        return ty, False, set(inferred), False
    if prop.reader == "get_collection_of_primitive_values":
        ty, inferred = PYTHON_PRIMITIVES.get(prop.target, (None, ()))
        return ty, True, set(inferred), False
    target = names.get(prop.target)
    if prop.reader == "get_collection_of_enum_values":
        # Kiota reads a flags enum's value (`"a,b"`) as a collection and writes it as one value.
        flags = prop.writer == "write_enum_value" or "list[" not in prop.python_type
        return target, not flags, set(), flags
    if prop.reader in ("get_enum_value", "get_object_value"):
        return target, False, set(), False
    if prop.reader == "get_collection_of_object_values":
        return target, True, set(), False
    return None, False, set(), False


def entity_modules(classes: dict) -> set:
    """The modules of `Entity` and every class deriving from it."""
    root = MODELS + "entity"
    out = set()
    for module in classes:
        seen, current = set(), module
        while current in classes and current not in seen:
            seen.add(current)
            if current == root:
                out.add(module)
                break
            bases = classes[current].bases
            current = bases[0] if bases else None
    return out


def to_types(classes: dict, names: dict):
    """(qualified name → model.Type, flags enums): every Graph type of the SDK, its properties
    (navigation ones among them, told apart later) typed by their readers, each marked with
    what its reader leaves open (`Width`, `Precision`)."""
    from model import Prop, Type
    entities = entity_modules(classes)
    types, flags = {}, set()
    for module, cls in sorted(classes.items()):
        if is_plumbing(classes, module):
            continue
        name = names[module]
        if cls.kind == "enum":
            ty = Type(name=name, kind="EnumType", source="SDK", description=cls.description)
            ty.members = [[value, None] for value, _ in cls.members]
            types[name] = ty
            continue
        kind = "EntityType" if module in entities else "ComplexType"
        ty = Type(name=name, kind=kind, source="SDK", description=cls.description)
        if cls.bases and cls.bases[0] in names:
            ty.base = names[cls.bases[0]]
        for prop in cls.properties:
            if prop.name == "@odata.type":
                continue
            element, collection, inferred, as_flags = property_type(prop, names)
            if prop.ambiguous:
                inferred.add("Type")
            if as_flags:
                flags.add(element)
            ty.props[prop.name] = Prop(name=prop.name, type=element or "", collection=collection,
                                       inferred=inferred, description=prop.description,
                                       source="SDK")
        types[name] = ty
    return types, flags


def _snake(name: str) -> str:
    return re.sub(r"(?<=[a-z0-9])([A-Z])", r"_\1", name).lower()
