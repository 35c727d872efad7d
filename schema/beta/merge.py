"""Merging the types: which exist today (the SDK ∪ the type mappings), and each fact of each
from the most trusted source that has it (the CSDL documents, most trusted first as
`convert.CSDLS` lists them, then the SDK and the typings), marking what no source states
(`GraphEntity.Inferred`)."""

from __future__ import annotations

from model import Prop, Type

KINDS = {"entity": "EntityType", "complex": "ComplexType", "enum": "EnumType"}


def primitive(name: str) -> bool:
    return name.startswith("Edm.")


# Kiota's readers lose widths and precisions: an SDK type agrees with any of these.
COMPATIBLE = {
    "Edm.Int32": {"Edm.Int64", "Edm.Int16", "Edm.Byte", "Edm.SByte", "Edm.Int32"},
    "Edm.Double": {"Edm.Single", "Edm.Decimal", "Edm.Double"},
    "Edm.Binary": {"Edm.Stream", "Edm.Binary"},
    "Edm.String": {"Edm.String", "Edm.Untyped"},
}


def agrees(sdk_type: str, csdl_type: str) -> bool:
    return csdl_type in COMPATIBLE.get(sdk_type, {sdk_type})


class TypeMerger:
    def __init__(self, csdls, current, mappings, sdk_types, sdk_flags, ts_ifaces, ts_enums,
                 report):
        self.csdls = csdls  # [Document], most trusted first
        self.current = current  # the labels of the current beta CSDLs
        self.mappings = mappings  # kind → {namespace: {name: …}}
        self.sdk = sdk_types
        self.sdk_flags = sdk_flags
        self.ts = ts_ifaces
        self.ts_enums = ts_enums
        self.report = report
        self.kinds = {}  # the current types: name → kind
        self.mapped = {}  # name → (properties, navigation properties) or members

    # -- which types exist ------------------------------------------------------------------

    def current_types(self) -> dict:
        for kind, by_namespace in self.mappings.items():
            for namespace, types in by_namespace.items():
                for short, content in types.items():
                    name = f"{namespace}.{short}"
                    self.kinds[name] = KINDS[kind]
                    self.mapped[name] = content
        for name, ty in self.sdk.items():
            if name not in self.kinds:
                self.report.warn("type in the SDK, not in the type mappings", name)
                self.kinds[name] = ty.kind
            elif (self.kinds[name], ty.kind) == ("ComplexType", "EntityType"):
                # The SDK's class derives from `Entity` (it has the key `id`): a complex type
                # cannot derive from an entity type, so the type mappings' kind gives way.
                self.report.warn("type kind: complex in the type mappings, an entity in the SDK "
                                 "(entity kept)", name)
                self.kinds[name] = ty.kind
            elif self.kinds[name] != ty.kind and (self.kinds[name], ty.kind) != (
                    "EntityType", "ComplexType"):
                # (an entity type without `entity` as its base, such as a singleton's `admin` or
                # `policyDeletableItem`, has no `Entity` base class in the SDK: not a conflict)
                self.report.warn("type kind: type mappings vs SDK", f"{name} "
                                 f"({self.kinds[name]} / {ty.kind})")
        for name in self.kinds:
            if name not in self.sdk:
                self.report.warn("type in the type mappings, not in the SDK", name)
        for doc in self.csdls:
            for name in doc.types:
                if name not in self.kinds:
                    self.report.drop(doc.label, "type", name)
        return self.kinds

    # -- one type ---------------------------------------------------------------------------

    def merge(self) -> dict:
        self.current_types()
        out = {}
        for name in sorted(self.kinds):
            kind = self.kinds[name]
            decls = []
            for doc in self.csdls:
                ty = doc.types.get(name)
                if ty is None:
                    continue
                if ty.kind != kind:
                    self.report.conflict("type kind", name, {doc.label: ty.kind}, kind)
                    continue
                decls.append(ty)
            if kind == "EnumType":
                out[name] = self.enum(name, decls)
            else:
                out[name] = self.structured(name, kind, decls)
        return out

    def _first(self, item: str, kind: str, candidates: list, same=None):
        """The first (source, value) of candidates whose value is not None; a conflict is
        recorded where the others with a value differ."""
        present = [(s, v) for s, v in candidates if v is not None]
        if not present:
            return None, None
        same = same or (lambda a, b: a == b)
        chosen = present[0]
        if any(not same(chosen[1], v) for _, v in present[1:]):
            values = {}
            for s, v in present:
                values.setdefault(s, v)
            self.report.conflict(kind, item, values, chosen[1])
        return chosen

    def structured(self, name: str, kind: str, decls: list) -> Type:
        sdk = self.sdk.get(name)
        ts = self.ts.get(name)
        ty = Type(name=name, kind=kind)
        # The base decides which properties a type inherits, and the properties are the current
        # sources' (each lists a type's own, under its current base): the current beta CSDLs,
        # the SDK and the typings come before v1.0 and the old beta CSDLs. A base that no longer
        # exists is stale.
        fresh = [(d.source, d.base or "") for d in decls if not d.base or d.base in self.kinds]
        candidates = [c for c in fresh if c[0] in self.current]
        if sdk is not None:
            candidates.append(("SDK", sdk.base or ""))
        if ts is not None and (not ts.base or ts.base in self.kinds):
            candidates.append(("typings", ts.base or ""))
        candidates += [c for c in fresh if c[0] not in self.current]
        source, base = self._first(name, "base type", candidates)
        ty.base = base or None
        if source:
            self.report.take(source, "base type")
        if decls:
            first = decls[0]
            ty.abstract, ty.open, ty.has_stream = first.abstract, first.open, first.has_stream
            ty.key = list(first.key)
            ty.source = first.source
        else:
            ty.inferred.add("Abstract")
            self.report.infer("Abstract", name)
            ty.source = "SDK" if sdk is not None else "type mappings"
        ty.description = self._description(decls, sdk)
        self.report.take(ty.source, f"{kind[:-4].lower()} type")
        self.members(ty, decls, sdk, ts)
        for doc_type in decls:
            for member in list(doc_type.props) + list(doc_type.navs):
                if member not in ty.props and member not in ty.navs:
                    self.report.drop(doc_type.source, "property", f"{name}/{member}")
        return ty

    def _description(self, declared: list, sdk):
        """The first CSDL declaration's description, else the SDK's comment (Kiota writes the
        metadata's description there)."""
        for d in declared:
            if d.description:
                self.report.take(d.source, "description")
                return d.description
        if sdk is not None and sdk.description:
            self.report.take("SDK", "description")
            return sdk.description
        return None

    # -- properties -------------------------------------------------------------------------

    def members(self, ty: Type, decls: list, sdk, ts) -> None:
        mapped = self.mapped.get(ty.name) or {}
        mapped_props = set(mapped.get("properties", ()))
        mapped_navs = set(mapped.get("navigationProperties", ()))
        sdk_props = set(sdk.props) if sdk is not None else set()
        if ty.name in self.mapped and sdk is not None:
            for n in sorted(sdk_props - mapped_props - mapped_navs):
                self.report.warn("property in the SDK, not in the type mappings", f"{ty.name}/{n}")
            for n in sorted((mapped_props | mapped_navs) - sdk_props):
                self.report.warn("property in the type mappings, not in the SDK", f"{ty.name}/{n}")
        for prop_name in sorted(sdk_props | mapped_props | mapped_navs):
            nav = self._is_navigation(prop_name, mapped_props, mapped_navs, decls, sdk)
            prop = self.property(ty.name, prop_name, nav, decls, sdk, ts)
            if prop is None:
                continue
            (ty.navs if nav else ty.props)[prop_name] = prop

    def _is_navigation(self, name, mapped_props, mapped_navs, decls, sdk) -> bool:
        if name in mapped_navs:
            return True
        if name in mapped_props:
            return False
        for d in decls:
            if name in d.navs:
                return True
            if name in d.props:
                return False
        target = sdk.props[name].type
        return self.kinds.get(target) == "EntityType"

    def property(self, owner: str, name: str, nav: bool, decls: list, sdk, ts):
        item = f"{owner}/{name}"
        valid = []
        for d in decls:
            declared = (d.navs if nav else d.props).get(name)
            other = (d.props if nav else d.navs).get(name)
            if declared is None:
                if other is not None:
                    self.report.conflict("structural vs navigation", item,
                                         {d.source: "navigation" if not nav else "structural"},
                                         "navigation" if nav else "structural")
                continue
            if not primitive(declared.type) and declared.type not in self.kinds:
                self.report.conflict("type no longer exists", item,
                                     {d.source: declared.type_text()}, "(next source)")
                continue
            valid.append(declared)
        sdk_prop = sdk.props.get(name) if sdk is not None else None
        ts_prop = ts.properties.get(name) if ts is not None else None
        if valid:
            prop = self._from_csdl(item, valid, sdk_prop, ts_prop)
        elif sdk_prop is not None and sdk_prop.type:
            prop = self._from_sdk(item, sdk_prop, ts_prop, nav)
        else:
            prop = self._from_typings(item, ts_prop, nav)
        if prop is None:
            self.report.warn("property with no type in any source (left out)", item)
            return None
        prop.description = self._description(valid, sdk_prop)
        computed = next((p.computed for p in valid if p.computed is not None), None)
        prop.computed = computed
        if not valid and not nav:
            # No CSDL declares it: whether the service computes it is not known (written not
            # computed, CSDL's default).
            prop.inferred.add("Computed")
            self.report.infer("Computed", item)
        if nav:
            for key in ("Insertable", "Updatable", "Deletable"):
                value = next((p.restrictions[key] for p in valid if key in p.restrictions), None)
                if value is not None:
                    prop.restrictions[key] = value
        return prop

    def _from_csdl(self, item: str, valid: list, sdk_prop, ts_prop) -> Prop:
        first = valid[0]
        prop = Prop(name=first.name, type=first.type, collection=first.collection,
                    nullable=first.nullable, attrs=dict(first.attrs), contains=first.contains,
                    source=first.source)
        self.report.take(first.source, "navigation property" if first.contains is not None
                         else "property")
        types = [(p.source, p.type_text()) for p in valid]
        if sdk_prop is not None and sdk_prop.type and "Type" not in sdk_prop.inferred:
            types.append(("SDK", sdk_prop.type_text()))
        self._first(item, "property type", types, same=_same_type)
        nullables = [(p.source, p.nullable is not False) for p in valid
                     if p.contains is None]
        if ts_prop is not None and first.contains is None and not first.collection:
            nullables.append(("typings", ts_prop[0]))
        self._first(item, "nullable", nullables)
        if first.contains is not None:
            self._first(item, "containment", [(p.source, p.contains) for p in valid])
        return prop

    def _from_sdk(self, item: str, sdk_prop: Prop, ts_prop, nav: bool) -> Prop:
        prop = Prop(name=sdk_prop.name, type=sdk_prop.type, collection=sdk_prop.collection,
                    inferred=set(sdk_prop.inferred), source="SDK")
        self.report.take("SDK", "navigation property" if nav else "property")
        for fact in sorted(prop.inferred):
            self.report.infer(fact, item)
        if nav:
            prop.contains = None  # derived from the paths, later
        elif ts_prop is not None:
            prop.nullable = None if ts_prop[0] else False
            self.report.take("typings", "nullability")
            if ts_prop[1] != prop.collection:
                self.report.conflict("collection", item, {"SDK": prop.collection,
                                                          "typings": ts_prop[1]}, prop.collection)
        else:
            prop.inferred.add("Nullable")
            self.report.infer("Nullable", item)
        return prop

    def _from_typings(self, item: str, ts_prop, nav: bool):
        """A property only the type mappings list: the typings' TypeScript type is all there
        is (marked `Type`), else nothing."""
        if ts_prop is None:
            return None
        nullable, collection, ts_type = ts_prop
        element = ts_type[:-2] if ts_type.endswith("[]") else ts_type
        edm = {"string": "Edm.String", "boolean": "Edm.Boolean", "number": "Edm.Int32",
               "any": "microsoft.graph.Json"}.get(element)
        if edm is None:
            edm = self._ts_type(element)
        if edm is None:
            return None
        prop = Prop(name=item.rsplit("/", 1)[1], type=edm, collection=collection,
                    nullable=None if nullable or nav else False, inferred={"Type"},
                    source="typings")
        self.report.take("typings", "navigation property" if nav else "property")
        self.report.infer("Type", item)
        return prop

    def _ts_type(self, element: str):
        """A typings type name (`DeviceManagementScript`, `Security.Alert`) → a current type."""
        from typings import _qualify_ts
        wanted = _qualify_ts(element, "microsoft.graph").lower()
        for name in self.kinds:
            if name.lower() == wanted:
                return name
        return None

    # -- enums ------------------------------------------------------------------------------

    def enum(self, name: str, decls: list) -> Type:
        sdk = self.sdk.get(name)
        ty = Type(name=name, kind="EnumType")
        mapped = list(self.mapped.get(name) or [])
        order = [m for m, _ in sdk.members] if sdk is not None else []
        if sdk is not None and name in self.mapped:
            for m in sorted(set(order) - set(mapped)):
                self.report.warn("enum member in the SDK, not in the type mappings",
                                 f"{name}/{m}")
            for m in sorted(set(mapped) - set(order)):
                self.report.warn("enum member in the type mappings, not in the SDK",
                                 f"{name}/{m}")
        if not order:
            typed = self.ts_enums.get(name) or []
            order = [m for m in typed if m in mapped]
        declared_order = [m for d in decls for m, _ in d.members]
        for m in sorted(set(mapped) - set(order), key=lambda m: (
                declared_order.index(m) if m in declared_order else len(declared_order), m)):
            order.append(m)
        if decls:
            first = decls[0]
            ty.flags, ty.underlying, ty.source = first.flags, first.underlying, first.source
            self._first(name, "flags", [(d.source, bool(d.flags)) for d in decls]
                        + ([("SDK", True)] if name in self.sdk_flags else []))
            # Microsoft's order, members added since (the SDK's order) after their neighbours.
            known = [m for m, _ in first.members if m in order]
            order = _interleave(known, order)
        else:
            ty.flags = name in self.sdk_flags
            ty.inferred.add("Flags")
            self.report.infer("Flags", name)
            ty.source = "SDK" if sdk is not None else "type mappings"
        self.report.take(ty.source, "enum type")
        ty.description = self._description(decls, sdk)
        values = {}
        for m in order:
            candidates = [(d.source, dict(d.members).get(m)) for d in decls]
            source, value = self._first(f"{name}/{m}", "enum member value", candidates)
            if value is not None:
                values[m] = value
                self.report.take(source, "enum member")
        ty.members = _assign_values(order, values, bool(ty.flags))
        if len(values) < len(order):
            ty.inferred.add("Values")
            self.report.infer("Values", name)
        for d in decls:
            for m, _ in d.members:
                if m not in order:
                    self.report.drop(d.source, "enum member", f"{name}/{m}")
        return ty


def _same_type(a: str, b: str) -> bool:
    """Type texts agree, allowing for what Kiota's readers lose (widths, precisions)."""
    ca, cb = a.startswith("Collection("), b.startswith("Collection(")
    if ca != cb:
        return False
    ea, eb = (a[11:-1] if ca else a), (b[11:-1] if cb else b)
    return ea == eb or agrees(ea, eb) or agrees(eb, ea)


def _interleave(known: list, current: list) -> list:
    """`known` in its order, each member of `current` not in it placed after the member that
    precedes it in `current`."""
    out = list(known)
    for i, m in enumerate(current):
        if m in out:
            continue
        before = next((current[j] for j in range(i - 1, -1, -1) if current[j] in out), None)
        out.insert(out.index(before) + 1 if before is not None else len(out), m)
    return out


SENTINEL = 1 << 30


def _assign_values(order: list, known: dict, flags: bool) -> list:
    """Members with their values: the known ones as stated; the others, in order, the next value
    after the previous member's that no member has (for flags, the next power of two; a first
    member `none` is 0)."""
    used = set(known.values())
    out, previous = [], None
    for m in order:
        if m in known:
            value = known[m]
        elif flags:
            if previous is None and m == "none":
                value = 0
            else:
                # After a sentinel (`unknownFutureValue` = 2^30 in some), from the members below.
                floor = max((v for _, v in out if v < SENTINEL), default=0)
                value = 1
                while value <= floor or value in used:
                    value *= 2
        else:
            value = 0 if previous is None else previous + 1
            while value in used:
                value += 1
        used.add(value)
        out.append([m, value])
        previous = value
    return out
