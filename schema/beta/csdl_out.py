"""Writing the merged model as one CSDL (EDMX 4.0) document in the shape of Microsoft's
`v1.0-Prod.csdl`: a `Schema` per namespace (`Alias="graph"` for `microsoft.graph`), the types,
the actions and functions, the entity container, then the out-of-line annotations (description,
computed, restrictions). Everything is sorted: the same model gives the same bytes."""

from __future__ import annotations

import re

from model import DEFAULT_NAMESPACE, INFERRED

EDM_NS = "http://docs.oasis-open.org/odata/ns/edm"
EDMX_NS = "http://docs.oasis-open.org/odata/ns/edmx"
CONTAINER = f"{DEFAULT_NAMESPACE}.GraphService"
CLOUDS_TARGETS = ("EntityType ComplexType EnumType Property NavigationProperty EntitySet "
                  "Singleton Action Function")
TERM_TARGETS = ("EntityType ComplexType EnumType Property NavigationProperty Parameter "
                "ReturnType")
RESTRICTION_TERMS = (("Deletable", "DeleteRestrictions"), ("Insertable", "InsertRestrictions"),
                     ("Updatable", "UpdateRestrictions"))
INVALID_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f]")
KEPT = ("Precision", "Scale", "Unicode", "MaxLength", "SRID", "DefaultValue")


def attr(value) -> str:
    text = INVALID_XML.sub("", str(value))
    text = (text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
            .replace('"', "&quot;").replace("\n", "&#xA;").replace("\r", "&#xD;")
            .replace("\t", "&#x9;"))
    return f'"{text}"'


def ref(name: str) -> str:
    """`microsoft.graph.user` → `graph.user`, as Microsoft writes it; others in full."""
    namespace, _, short = name.rpartition(".")
    return f"graph.{short}" if namespace == DEFAULT_NAMESPACE else name


def type_text(prop) -> str:
    return f"Collection({ref(prop.type)})" if prop.collection else ref(prop.type)


def inferred(facts: set, indent: str) -> list:
    if not facts:
        return []
    names = " ".join(f for f in INFERRED if f in facts)
    return [f'{indent}<Annotation Term="GraphEntity.Inferred" String={attr(names)} />']


def clouds(where, indent: str) -> list:
    """Where an item exists, when not every cloud (`clouds.py`)."""
    if not where:
        return []
    return [f'{indent}<Annotation Term="GraphEntity.Clouds" String={attr(where)} />']


def element(tag: str, attributes: list, children: list, indent: str) -> list:
    text = indent + f"<{tag}" + "".join(f" {k}={attr(v)}" for k, v in attributes
                                         if v is not None)
    if not children:
        return [text + " />"]
    return [text + ">"] + children + [f"{indent}</{tag}>"]


def write_prop(tag: str, prop, indent: str) -> list:
    attributes = [("Name", prop.name), ("Type", type_text(prop))]
    if prop.nullable is not None:
        attributes.append(("Nullable", "true" if prop.nullable else "false"))
    attributes += [(k, prop.attrs[k]) for k in KEPT if k in prop.attrs]
    if tag == "NavigationProperty" and prop.contains:
        attributes.append(("ContainsTarget", "true"))
    children = inferred(prop.inferred, indent + "  ") + clouds(prop.clouds, indent + "  ")
    if tag == "Parameter" and prop.optional:
        children.append(indent + '  <Annotation Term="Org.OData.Core.V1.OptionalParameter" />')
    return element(tag, attributes, children, indent)


def write_type(ty, indent: str) -> list:
    attributes = [("Name", ty.short)]
    if ty.kind == "EnumType":
        attributes += [("UnderlyingType", ty.underlying),
                       ("IsFlags", "true" if ty.flags else None)]
    else:
        attributes += [("BaseType", ref(ty.base) if ty.base else None),
                       ("Abstract", "true" if ty.abstract else None),
                       ("OpenType", "true" if ty.open else None),
                       ("HasStream", "true" if ty.has_stream else None)]
    inner = indent + "  "
    children = inferred(ty.inferred, inner) + clouds(ty.clouds, inner)
    if ty.key:
        children += [f"{inner}<Key>"] + [f'{inner}  <PropertyRef Name={attr(k)} />'
                                         for k in ty.key] + [f"{inner}</Key>"]
    for name, value in ty.members:
        children.append(f"{inner}<Member Name={attr(name)} Value={attr(value)} />")
    for name in sorted(ty.props):
        children += write_prop("Property", ty.props[name], inner)
    for name in sorted(ty.navs):
        children += write_prop("NavigationProperty", ty.navs[name], inner)
    return element(ty.kind, attributes, children, indent)


def write_operation(op, indent: str) -> list:
    attributes = [("Name", op.short), ("IsBound", "true" if op.binding else None),
                  ("EntitySetPath", op.entity_set_path),
                  ("IsComposable", "true" if op.kind == "Function" and op.composable else None)]
    inner = indent + "  "
    children = clouds(op.clouds, inner)
    for prop in ([op.binding] if op.binding else []) + op.params:
        children += write_prop("Parameter", prop, inner)
    if op.returns is not None:
        r = op.returns
        attributes_r = [("Type", type_text(r))]
        if r.nullable is not None:
            attributes_r.append(("Nullable", "true" if r.nullable else "false"))
        attributes_r += [(k, r.attrs[k]) for k in KEPT if k in r.attrs]
        children += element("ReturnType", attributes_r, inferred(r.inferred, inner + "  "),
                            inner)
    return element(op.kind, attributes, children, indent)


def write_container(roots: dict, operations: list, indent: str) -> list:
    inner = indent + "  "
    children = []
    for name in sorted(roots):
        root = roots[name]
        kind = "EntityType" if root.kind == "EntitySet" else "Type"
        children += element(root.kind, [("Name", name), (kind, root.type)],
                            clouds(root.clouds, inner + "  "), inner)
    for op in operations:
        if op.binding is None and op.import_name:
            tag = "ActionImport" if op.kind == "Action" else "FunctionImport"
            children.append(f"{inner}<{tag} Name={attr(op.import_name)} "
                            f"{op.kind}={attr(op.name)} />")
    return element("EntityContainer", [("Name", "GraphService")], children, indent)


def annotations(types: dict, roots: dict, indent: str) -> list:
    """Out-of-line `Annotations`, sorted by target."""
    targets = {}
    for ty in types.values():
        if ty.description:
            targets.setdefault(ty.name, []).append(_description(ty.description))
        for prop in list(ty.props.values()) + list(ty.navs.values()):
            items = []
            if prop.description:
                items.append(_description(prop.description))
            if prop.computed:
                items.append(['<Annotation Term="Org.OData.Core.V1.Computed" Bool="true" />'])
            items += _restrictions(prop.restrictions)
            if items:
                targets.setdefault(f"{ty.name}/{prop.name}", []).extend(items)
    for name, root in roots.items():
        items = ([_description(root.description)] if root.description else [])
        items += _restrictions(root.restrictions)
        if items:
            targets.setdefault(f"{CONTAINER}/{name}", []).extend(items)
    out = []
    for target in sorted(targets):
        out.append(f"{indent}<Annotations Target={attr(target)}>")
        for lines in targets[target]:
            out += [indent + "  " + line for line in lines]
        out.append(f"{indent}</Annotations>")
    return out


def _description(text: str) -> list:
    return [f'<Annotation Term="Org.OData.Core.V1.Description" String={attr(text)} />']


def _restrictions(restrictions: dict) -> list:
    """Only what forbids (`false`): the default allows, as Microsoft's documents leave it."""
    out = []
    for key, term in RESTRICTION_TERMS:
        if restrictions.get(key) is False:
            out.append([f'<Annotation Term="Org.OData.Capabilities.V1.{term}">',
                        "  <Record>",
                        f'    <PropertyValue Property="{key}" Bool="false" />',
                        "  </Record>",
                        "</Annotation>"])
    return out


def write(types: dict, roots: dict, operations: list, comment: str) -> str:
    namespaces = sorted({t.namespace for t in types.values()} | {o.namespace for o in operations},
                        key=lambda n: (n != DEFAULT_NAMESPACE, n))
    lines = ['<?xml version="1.0" encoding="utf-8"?>', "<!--"]
    lines += [("  " + line).rstrip() for line in comment.replace("--", "-").splitlines()]
    lines += ["-->", f'<edmx:Edmx Version="4.0" xmlns:edmx="{EDMX_NS}">', "  <edmx:DataServices>"]
    indent = "      "
    for namespace in namespaces:
        alias = ' Alias="graph"' if namespace == DEFAULT_NAMESPACE else ""
        lines.append(f'    <Schema Namespace="{namespace}"{alias} xmlns="{EDM_NS}">')
        own = [t for t in types.values() if t.namespace == namespace]
        for kind in ("EnumType", "EntityType", "ComplexType"):
            for ty in sorted((t for t in own if t.kind == kind), key=lambda t: t.name):
                lines += write_type(ty, indent)
        for op in operations:
            if op.namespace == namespace:
                lines += write_operation(op, indent)
        if namespace == DEFAULT_NAMESPACE:
            lines += write_container(roots, operations, indent)
            lines += annotations(types, roots, indent)
        lines.append("    </Schema>")
    lines.append(f'    <Schema Namespace="GraphEntity" xmlns="{EDM_NS}">')
    lines.append(f'      <Term Name="Inferred" Type="Edm.String" AppliesTo="{TERM_TARGETS}" />')
    lines.append(f'      <Term Name="Clouds" Type="Edm.String" AppliesTo="{CLOUDS_TARGETS}" />')
    lines.append("    </Schema>")
    lines += ["  </edmx:DataServices>", "</edmx:Edmx>"]
    return "\n".join(lines) + "\n"
