"""Reading Microsoft's CSDL documents (v1.0 and the beta ones) into the converter's model.

Kept: types with their properties, navigation properties and members, the entity container
(entity sets, singletons, imports), actions and functions, and the annotations the project's
reader understands (`Core.V1.Description`, `Core.V1.Computed`, `Core.V1.OptionalParameter`,
`Capabilities.V1.Insert/Update/DeleteRestrictions`)."""

from __future__ import annotations

import xml.etree.ElementTree as ET

from model import Document, Operation, Prop, Root, Type

EDM = "{http://docs.oasis-open.org/odata/ns/edm}"
CORE = "Org.OData.Core.V1."
CAPABILITIES = "Org.OData.Capabilities.V1."
RESTRICTIONS = {"InsertRestrictions": "Insertable", "UpdateRestrictions": "Updatable",
                "DeleteRestrictions": "Deletable"}
# Attributes written back as they are (beside those the model has fields for).
KEPT_ATTRIBUTES = ("Unicode", "Scale", "Precision", "MaxLength", "SRID", "DefaultValue")


class Names:
    """A document's aliases: `graph.user` → `microsoft.graph.user`."""

    def __init__(self, root: ET.Element):
        self.aliases = {}
        for schema in root.iter(EDM + "Schema"):
            if schema.get("Alias"):
                self.aliases[schema.get("Alias")] = schema.get("Namespace")

    def qualify(self, name: str) -> str:
        if name.startswith("Collection(") and name.endswith(")"):
            return f"Collection({self.qualify(name[11:-1])})"
        head, _, rest = name.partition(".")
        if rest and head in self.aliases:
            return f"{self.aliases[head]}.{rest}"
        return name

    def type_ref(self, written: str) -> tuple:
        q = self.qualify(written)
        if q.startswith("Collection("):
            return q[11:-1], True
        return q, False


def _bool(value):
    return None if value is None else value == "true"


def _prop(node: ET.Element, names: Names, label: str) -> Prop:
    ty, coll = names.type_ref(node.get("Type", ""))
    nullable = node.get("Nullable")
    prop = Prop(name=node.get("Name", ""), type=ty, collection=coll,
                nullable=None if nullable is None else nullable == "true", source=label)
    prop.attrs = {a: node.get(a) for a in KEPT_ATTRIBUTES if node.get(a) is not None}
    if node.tag == EDM + "NavigationProperty":
        prop.contains = node.get("ContainsTarget") == "true"
    for annotation in node.findall(EDM + "Annotation"):
        term = annotation.get("Term", "")
        if term == CORE + "OptionalParameter":
            prop.optional = True
        elif term == CORE + "Description" and annotation.get("String"):
            prop.description = annotation.get("String")
        elif term == CORE + "Computed":
            prop.computed = annotation.get("Bool") != "false"
    return prop


def _type(node: ET.Element, namespace: str, names: Names, label: str) -> Type:
    kind = node.tag[len(EDM):]
    ty = Type(name=f"{namespace}.{node.get('Name')}", kind=kind, source=label,
              base=names.qualify(node.get("BaseType")) if node.get("BaseType") else None,
              abstract=_bool(node.get("Abstract")), open=_bool(node.get("OpenType")),
              has_stream=_bool(node.get("HasStream")), flags=_bool(node.get("IsFlags")),
              underlying=node.get("UnderlyingType"))
    for child in node:
        tag = child.tag[len(EDM):]
        if tag == "Key":
            ty.key = [r.get("Name") for r in child.findall(EDM + "PropertyRef")]
        elif tag == "Property":
            prop = _prop(child, names, label)
            ty.props[prop.name] = prop
        elif tag == "NavigationProperty":
            prop = _prop(child, names, label)
            ty.navs[prop.name] = prop
        elif tag == "Member":
            value = child.get("Value")
            ty.members.append([child.get("Name"), int(value) if value is not None else None])
        elif tag == "Annotation" and child.get("Term") == CORE + "Description":
            ty.description = child.get("String") or None
    if kind == "EnumType":
        # A member without a value has its position's (OData CSDL 4.01, 10.3.2).
        for i, member in enumerate(ty.members):
            if member[1] is None:
                member[1] = i
    return ty


def _operation(node: ET.Element, namespace: str, names: Names, label: str) -> Operation:
    op = Operation(name=f"{namespace}.{node.get('Name')}", kind=node.tag[len(EDM):],
                   composable=_bool(node.get("IsComposable")),
                   entity_set_path=node.get("EntitySetPath"), source=label)
    bound = node.get("IsBound") == "true"
    for child in node:
        tag = child.tag[len(EDM):]
        if tag == "Parameter":
            prop = _prop(child, names, label)
            if bound and op.binding is None:
                op.binding = prop
            else:
                op.params.append(prop)
        elif tag == "ReturnType":
            ty, coll = names.type_ref(child.get("Type", ""))
            nullable = child.get("Nullable")
            op.returns = Prop(name="", type=ty, collection=coll, source=label,
                              nullable=None if nullable is None else nullable == "true")
            op.returns.attrs = {a: child.get(a) for a in KEPT_ATTRIBUTES
                                if child.get(a) is not None}
    return op


def _restriction(annotation: ET.Element, term: str):
    """`Insertable` … of a restrictions record: `True`/`False`, or `None` if it does not say."""
    wanted = RESTRICTIONS[term]
    for value in annotation.iter(EDM + "PropertyValue"):
        if value.get("Property") == wanted and value.get("Bool") in ("true", "false"):
            return value.get("Bool") == "true"
    return None


def read(data: bytes, label: str) -> Document:
    """Reads one CSDL document; `label` names it in the report."""
    root = ET.fromstring(data)
    names = Names(root)
    doc = Document(label=label)
    annotations = []
    containers = set()
    imports = {}  # operation → the name of its import
    for schema in root.iter(EDM + "Schema"):
        namespace = schema.get("Namespace")
        doc.namespaces[namespace] = schema.get("Alias")
        for node in schema:
            tag = node.tag[len(EDM):]
            if tag in ("EntityType", "ComplexType", "EnumType"):
                ty = _type(node, namespace, names, label)
                doc.types[ty.name] = ty
            elif tag in ("Action", "Function"):
                doc.operations.append(_operation(node, namespace, names, label))
            elif tag == "EntityContainer":
                containers.add(f"{namespace}.{node.get('Name')}")
                _container(node, doc, names, label, imports)
            elif tag == "Annotations":
                annotations.append((names.qualify(node.get("Target", "")), node))
    for op in doc.operations:
        if op.binding is None and op.name in imports:
            op.import_name = imports[op.name]
    for target, node in annotations:
        _apply(doc, target, node, containers)
    return doc


def _container(node: ET.Element, doc: Document, names: Names, label: str,
               imports: dict) -> None:
    for child in node:
        tag = child.tag[len(EDM):]
        if tag == "EntitySet":
            doc.roots[child.get("Name")] = Root(child.get("Name"), tag,
                                                names.qualify(child.get("EntityType")),
                                                source=label)
        elif tag == "Singleton":
            doc.roots[child.get("Name")] = Root(child.get("Name"), tag,
                                                names.qualify(child.get("Type")), source=label)
        elif tag in ("ActionImport", "FunctionImport"):
            operation = child.get("Action") or child.get("Function")
            imports[names.qualify(operation)] = child.get("Name")


def _apply(doc: Document, target: str, node: ET.Element, containers: set) -> None:
    """An out-of-line `Annotations` element: on a type, a member of one, or a root."""
    owner, _, member = target.partition("/")
    for annotation in node.findall(EDM + "Annotation"):
        term = annotation.get("Term", "")
        short = term[len(CORE):] if term.startswith(CORE) else (
            term[len(CAPABILITIES):] if term.startswith(CAPABILITIES) else None)
        if short not in ("Description", "Computed") and short not in RESTRICTIONS:
            continue
        if owner in containers:
            item = doc.roots.get(member)
        elif owner in doc.types:
            ty = doc.types[owner]
            item = ty if not member else ty.props.get(member) or ty.navs.get(member)
        else:
            item = None
        if item is None:
            continue
        if short == "Description":
            if annotation.get("String"):
                item.description = annotation.get("String")
        elif short == "Computed":
            if isinstance(item, Prop):
                item.computed = annotation.get("Bool") != "false"
        elif isinstance(item, (Root, Prop)):
            value = _restriction(annotation, short)
            if value is not None:
                item.restrictions[RESTRICTIONS[short]] = value
