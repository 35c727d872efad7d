"""The service's paths, from the SDK's request builders typed against the merged types: the
entity sets and singletons, the containment of navigation properties that no CSDL source
states, and the insert/update/delete restrictions the builders' methods imply."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Optional

from model import Root
from sdk_paths import operation_name, split

SPECIAL = ("$count", "$ref", "$value")


@dataclass
class Node:
    """A typed path: what it addresses and how it got there."""
    path: str
    type: Optional[str]
    collection: bool
    kind: str  # root, key, navigation, property, cast, operation, special, unknown
    owner: Optional[str] = None  # navigation: the type declaring it
    nav: Optional[str] = None  # navigation: its name
    methods: set = field(default_factory=set)
    result: Optional[tuple] = None  # operation: its result (type, collection), once known


class Types:
    """Lookups over the merged types, inheritance included."""

    def __init__(self, types: dict):
        self.types = types

    def ancestry(self, name: str) -> list:
        out, seen = [], set()
        while name in self.types and name not in seen:
            seen.add(name)
            out.append(self.types[name])
            name = self.types[name].base
        return out

    def member(self, name: str, member: str):
        """(declaring type, Prop, is navigation) of a member of `name` or a base of it."""
        for ty in self.ancestry(name):
            if member in ty.navs:
                return ty.name, ty.navs[member], True
            if member in ty.props:
                return ty.name, ty.props[member], False
        return None

    def derives(self, name: str, base: str) -> bool:
        return any(t.name == base for t in self.ancestry(name))

    def qualified(self, segment: str) -> Optional[str]:
        """`graph.x` / `microsoft.graph.x.y` → a type's name, if it is one."""
        name = "microsoft." + segment if segment.startswith("graph.") else segment
        return self.types.get(name) and name


def type_paths(builders: dict, types: Types, roots: dict, results: dict) -> dict:
    """path → Node, for every builder path, parents before children; `results` has the
    result (type, collection) of the operations known so far, by path, for the paths that
    continue after one (a composable function's, such as a workbook's `range()`)."""
    nodes = {}
    for path in sorted(builders, key=lambda p: (len(split(p)), p)):
        segments = split(path)
        methods = set(builders[path].methods)
        if len(segments) == 1:
            name = operation_name(segments[0])
            root = roots.get(name)
            if root is not None and name != segments[0]:  # `users(userPrincipalName='…')`
                nodes[path] = Node(path, root.type, False, "key", methods=methods)
                continue
            nodes[path] = Node(path, root.type if root else None,
                               bool(root and root.kind == "EntitySet"),
                               "root" if root else "unknown", methods=methods)
            continue
        parent = nodes.get("/".join(segments[:-1]))
        if parent is not None and parent.kind == "operation" and parent.result:
            parent = Node(parent.path, parent.result[0], parent.result[1], "result")
        node = _step(path, segments[-1], parent, types)
        node.methods = methods
        if node.kind == "operation":
            node.result = results.get(path)
        nodes[path] = node
    return nodes


def _step(path: str, segment: str, parent: Optional[Node], types: Types) -> Node:
    if parent is None or parent.type is None or parent.kind in ("operation", "special"):
        return Node(path, None, False, "unknown")
    if segment in SPECIAL:
        return Node(path, parent.type, parent.collection, "special")
    if segment == "{id}":
        if not parent.collection:
            return Node(path, None, False, "unknown")
        return Node(path, parent.type, False, "key")
    if "(" in segment:
        name = operation_name(segment)
        found = types.member(parent.type, name)
        if found is not None and found[2] and not parent.collection:
            # An alternate key: `…/appRoleAssignedResources(appId='{appId}')`.
            return Node(path, found[1].type, False, "key", owner=found[0], nav=name)
        return Node(path, parent.type, parent.collection, "operation")
    cast = types.qualified(segment) if "." in segment else None
    if cast:
        return Node(path, cast, parent.collection, "cast")
    if "." in segment:
        return Node(path, parent.type, parent.collection, "operation")
    found = None if parent.collection else types.member(parent.type, segment)
    if found is None:
        return Node(path, parent.type, parent.collection, "operation")
    owner, prop, is_nav = found
    kind = "navigation" if is_nav else "property"
    return Node(path, prop.type, prop.collection, kind, owner=owner, nav=segment)


def keys(nodes: dict, builders: dict, types: Types, report) -> None:
    """An entity type with neither a base nor a key of its own (financials' `account`, Intune's
    `deviceHealthScriptPolicyState`): its key is the one the SDK's paths give for it (a type
    only a singleton has needs none)."""
    given = {}
    for path, node in sorted(nodes.items()):
        if node.kind == "key" and builders[path].key:
            given.setdefault(node.type, builders[path].key)
    for ty in types.types.values():
        if ty.kind != "EntityType" or ty.base or ty.key:
            continue
        key = given.get(ty.name)
        if key and all(k in ty.props for k in key):
            ty.key = list(key)
            report.warn("entity type without a base or a stated key: key from the SDK's paths",
                        f"{ty.name} ({', '.join(key)})")


def read_roots(builders: dict, csdls: list, types: Types, sdk, report) -> dict:
    """The entity sets and singletons: each first segment of a builder path (a set if a key
    follows it or its GET lists a collection), typed by a CSDL source or by the builder's
    results."""
    names = sorted({split(p)[0] for p in builders if "(" not in split(p)[0]})
    roots = {}
    for name in names:
        get = builders[name].methods.get("get") if name in builders else None
        listed = bool(get and get.result and get.result.module
                      and get.result.module.endswith("_collection_response"))
        is_set = f"{name}/{{id}}" in builders or listed
        kind = "EntitySet" if is_set else "Singleton"
        root = None
        for doc in csdls:
            r = doc.roots.get(name)
            if r is not None and r.kind == kind and r.type in types.types:
                root = Root(name, kind, r.type, source=doc.label)
                break
        if root is None:
            ty = _builder_type(builders, name, is_set, sdk)
            if ty is None:
                report.warn("root whose type could not be read (left out)", name)
                continue
            root = Root(name, kind, ty, source="SDK")
        report.take(root.source, "entity set" if is_set else "singleton")
        for doc in csdls:
            r = doc.roots.get(name)
            if r is not None:
                if r.type != root.type or r.kind != root.kind:
                    report.conflict("root", name, {doc.label: f"{r.kind} {r.type}"},
                                    f"{root.kind} {root.type}")
                for key, value in r.restrictions.items():
                    root.restrictions.setdefault(key, value)
                if root.description is None and r.description:
                    root.description = r.description
        roots[name] = root
    return roots


def _builder_type(builders: dict, name: str, is_set: bool, sdk) -> Optional[str]:
    """The type a root's builder sends back: an item's GET, the set's POST, or the singleton's
    GET (a collection response's `value`)."""
    candidates = [(f"{name}/{{id}}", "get"), (name, "post")] if is_set else [(name, "get")]
    for path, method in candidates:
        builder = builders.get(path)
        result = builder.methods[method].result if builder and method in builder.methods else None
        if result is not None and result.module in sdk.names:
            return sdk.names[result.module]
    # A set listed only: its collection response's `value`.
    get = builders[name].methods.get("get") if name in builders else None
    response = sdk.bodies.get(get.result.module) if get and get.result else None
    if response is None and get and get.result:
        response = sdk.classes.get(get.result.module)
    value = next((p for p in response.properties if p.name == "value"), None) if response else None
    return sdk.names.get(value.target) if value else None


def add_me(roots: dict, client_source: str, builders: dict) -> None:
    """`me`: the hand-written client maps `/me` to the users' item builder."""
    if "me" not in roots and "def me(self) -> UserItemRequestBuilder" in client_source:
        users = roots.get("users")
        if users is not None:
            roots["me"] = Root("me", "Singleton", users.type, source="SDK")


def restrictions_from_methods(nodes: dict, roots: dict, types: Types, report) -> None:
    """Insertable/updatable/deletable where no CSDL source says: from the methods the SDK
    offers on the root or contained navigation property (its collection for POST, an item or
    the single entity for PATCH/PUT and DELETE)."""
    for name, root in roots.items():
        # `me` is the users' item (see add_me).
        where = "users/{id}" if name == "me" and name not in nodes else name
        if where in nodes:
            _restrict(root.restrictions, nodes, [where], root.kind == "EntitySet", report)
    by_nav = {}
    for node in nodes.values():
        if node.kind == "navigation":
            by_nav.setdefault((node.owner, node.nav), []).append(node.path)
    for (owner, nav_name), paths in sorted(by_nav.items()):
        nav = types.types[owner].navs.get(nav_name)
        if nav is None or not nav.contains:
            continue
        _restrict(nav.restrictions, nodes, paths, nav.collection, report)


def _restrict(restrictions: dict, nodes: dict, paths: list, collection: bool, report) -> None:
    offered = set()
    for path in paths:
        if collection:
            offered |= {"post"} & nodes[path].methods
            item_node = nodes.get(path + "/{id}")
            offered |= (item_node.methods if item_node else set()) & {"patch", "put", "delete"}
        else:
            offered |= nodes[path].methods & {"patch", "put", "delete"}
    wanted = {"Insertable": "post" in offered, "Updatable": bool(offered & {"patch", "put"}),
              "Deletable": "delete" in offered}
    if not collection:
        wanted.pop("Insertable")
    for key, value in wanted.items():
        if key not in restrictions:
            restrictions[key] = value
            report.take("SDK", "restriction")
            if not value:
                report.take("SDK", "restriction (false)")


def containment(nodes: dict, roots: dict, types: Types, report) -> None:
    """ContainsTarget for navigation properties no CSDL source states, from how the SDK
    addresses them (its paths follow Microsoft's OpenAPI conversion, which writes a `$ref` for a
    link and the write methods only for contained targets): not contained where there is a
    `$ref`; contained where the targets are created, updated or deleted there (POST on the
    collection, PATCH/PUT/DELETE on `…/nav/{nav-id}` or on a single `…/nav`), or where they are
    addressed only under this parent (no entity set and no other containing navigation holds
    their type). Marked `Containment`."""
    evidence = {}
    for node in nodes.values():
        if node.kind != "navigation":
            continue
        e = evidence.setdefault((node.owner, node.nav), {"ref": False, "writes": False})
        e["ref"] |= any(f"{node.path}/{x}" in nodes for x in ("$ref", "{id}/$ref"))
        item = nodes.get(f"{node.path}/{{id}}") if node.collection else node
        e["writes"] |= ("post" in node.methods and node.collection) or bool(
            item is not None and item.methods & {"patch", "put", "delete"})
    # Where targets live: entity sets, and the navigations that contain theirs.
    homes = {(r.type, ("root", r.name)) for r in roots.values() if r.kind == "EntitySet"}
    for ty in types.types.values():
        for nav in ty.navs.values():
            e = evidence.get((ty.name, nav.name))
            if nav.contains or (nav.contains is None and e and e["writes"] and not e["ref"]):
                homes.add((nav.type, (ty.name, nav.name)))
    checked = agreed = 0
    for ty in types.types.values():
        for nav in ty.navs.values():
            e = evidence.get((ty.name, nav.name))
            elsewhere = any(where != (ty.name, nav.name)
                            and (types.derives(nav.type, home) or types.derives(home, nav.type))
                            for home, where in homes)
            derived = not elsewhere if e is None else (
                not e["ref"] and (e["writes"] or not elsewhere))
            if nav.contains is not None:
                # The rule, checked where a CSDL states the answer.
                if e is not None:
                    checked += 1
                    agreed += derived == nav.contains
                continue
            nav.contains = derived
            nav.inferred.add("Containment")
            report.infer("Containment", f"{ty.name}/{nav.name}" + ("" if e else " (no path)"))
    report.notes.append(
        f"The containment rule, applied to the {checked:,} navigation properties a CSDL states "
        f"and the SDK addresses, gives the CSDL's answer for {agreed:,} "
        f"({100 * agreed / max(checked, 1):.1f} %; some CSDL answers are the 2021 or 2022 "
        "documents', possibly outdated).")
