"""Actions and functions: those the SDK addresses (a builder whose last segment invokes one),
each taken from the most trusted CSDL source that declares it for that binding, else
reconstructed from the SDK: the binding from the path it hangs off, the parameters from the
action's body class or the function's URL template, the result from the method's."""

from __future__ import annotations

from model import Operation, Prop
from sdk_models import PYTHON_PRIMITIVES, property_type
from sdk_paths import function_parameters, operation_name, split

# A primitive result (`send_primitive_async(…, "bytes")`) → Edm type, inferred facts.
RESULT_PRIMITIVES = dict(PYTHON_PRIMITIVES, bytes=("Edm.Stream", ()))
UNTYPED = ("microsoft.graph.Json", "Edm.Untyped")


class OperationMerger:
    def __init__(self, csdls, types, nodes, builders, sdk, report):
        self.csdls = csdls
        self.types = types  # paths.Types
        self.nodes = nodes
        self.builders = builders
        self.sdk = sdk  # .names, .bodies (module → SdkClass of bodies and responses)
        self.report = report

    def merge(self) -> list:
        occurrences = {}  # (name, kind) → [(binding type, collection, path)]
        for path, node in sorted(self.nodes.items()):
            if node.kind != "operation":
                continue
            segment = split(path)[-1]
            name = operation_name(segment)
            name = name if "." in name else f"microsoft.graph.{name}"
            if name.startswith("graph."):
                name = "microsoft." + name
            kind = "Function" if "(" in segment else "Action"
            parent = self.nodes["/".join(split(path)[:-1])]
            binding = (parent.type, parent.collection)
            if parent.kind == "operation":  # bound to a composable function's result
                if parent.result is None:
                    continue
                binding = parent.result
            occurrences.setdefault((name, kind), []).append((*binding, path))
        out = {}
        self.results = {}  # path → (result type, collection): where a path continues after one
        for (name, kind), places in sorted(occurrences.items()):
            for op, paths in self._operations(name, kind, places):
                out.setdefault(op.key(), op)
                for path in paths:
                    if op.returns is not None:
                        self.results[path] = (op.returns.type, op.returns.collection)
        return [out[k] for k in sorted(out, key=_sort_key)]

    def account(self, operations: list) -> None:
        """The report's counts, once the paths are final."""
        for op in operations:
            item = f"{op.name}({op.binding.type_text() if op.binding else ''})"
            self.report.take(op.source, op.kind.lower())
            for p in op.params:  # (a CSDL action may have parameters the SDK added)
                for fact in sorted(p.inferred):
                    self.report.infer(fact, f"{item}/{p.name}")
            if op.returns is not None:
                for fact in sorted(op.returns.inferred):
                    self.report.infer(fact, f"{item} result")
        kept = {(o.name, o.kind, o.binding.type if o.binding else None) for o in operations}
        for doc in self.csdls:
            for op in doc.operations:
                if (op.name, op.kind, op.binding.type if op.binding else None) not in kept:
                    self.report.drop(doc.label, op.kind.lower(), f"{op.name}"
                                     f"({op.binding.type_text() if op.binding else ''})")

    def _operations(self, name: str, kind: str, places: list) -> list:
        """[(operation, the paths invoking it)]."""
        found, missing = [], []
        for binding, collection, path in places:
            params = {p for p, _ in function_parameters(split(path)[-1])}
            op = self._from_csdl(name, kind, binding, collection, params)
            if op is not None:
                found.append((self._reconcile(op, path), [path]))
            else:
                missing.append((binding, collection, path))
        for binding, collection, path in list(missing):
            if kind == "Action" and "get" in self.builders[path].methods:
                # Read and posted to: a navigation property the types do not have, not an action.
                self.report.warn("SDK path neither a known navigation nor an operation", path)
                missing.remove((binding, collection, path))
        # An SDK-only operation bound where a base type of another place's binding is bound:
        # the base binding serves both.
        bindings = {(b, c) for b, c, _ in missing}
        for binding, collection, path in missing:
            # The most basic type the operation is met on, of this binding's ancestry.
            bases = [t.name for t in self.types.ancestry(binding)
                     if (t.name, collection) in bindings]
            base = bases[-1] if bases else binding
            found.append((self._from_sdk(name, kind, base, collection, path), [path]))
        return found

    def _from_csdl(self, name, kind, binding, collection, params):
        for doc in self.csdls:
            candidates = [o for o in doc.operations if o.name == name and o.kind == kind
                          and o.binding is not None and o.binding.collection == collection
                          and self.types.derives(binding, o.binding.type)]
            if kind == "Function":
                exact = [o for o in candidates if {p.name for p in o.params} == params]
                candidates = exact or candidates
            if not candidates:
                continue
            # The most derived binding (the nearest in the path's ancestry).
            order = [t.name for t in self.types.ancestry(binding)]
            op = min(candidates, key=lambda o: order.index(o.binding.type))
            if not self._current(op):
                self.report.conflict("operation refers to a type that no longer exists",
                                     f"{name}({op.binding.type_text()})",
                                     {doc.label: _signature(op)}, "(next source)")
                continue
            return op
        return None

    def _reconcile(self, op, path: str):
        """A CSDL action's parameters are today's (the SDK's body): one the body no longer has
        is dropped, one it has more is added from the SDK; a result the SDK reads otherwise is
        reported."""
        builder = self.builders[path]
        item = f"{op.name}({op.binding.type_text()})"
        method = builder.methods.get("post" if op.kind == "Action" else "get")
        if method is None:
            return op
        if method.result is not None and op.returns is not None:
            sdk_result = self._result(method.result, item)
            if sdk_result is not None and not _same(sdk_result, op.returns):
                self.report.conflict("operation result", item,
                                     {op.source: op.returns.type_text(),
                                      "SDK": sdk_result.type_text()}, op.returns.type_text())
        if op.kind != "Action" or method.body is None or method.body not in self.sdk.bodies:
            return op
        body = self._body_parameters(method.body, item)
        # Kiota leaves out a parameter of the untyped `graph.Json` (a workbook function's
        # `number`): not a difference.
        names = [p.name for p in body] + [p.name for p in op.params if p.type in UNTYPED]
        if sorted(names) == sorted(p.name for p in op.params):
            return op
        declared = {p.name for p in op.params}
        kept = [p.name for p in op.params if p.name in names]
        added = [n for n in names if n not in declared]
        self.report.conflict("operation parameters (today's: the SDK's)", item,
                             {op.source: ", ".join(p.name for p in op.params),
                              "SDK": ", ".join(n for n in names if n not in UNTYPED)},
                             ", ".join(kept + added))
        copy = Operation(name=op.name, kind=op.kind, binding=op.binding, composable=op.composable,
                         entity_set_path=op.entity_set_path, import_name=op.import_name,
                         returns=op.returns, source=op.source)
        copy.params = [p for p in op.params if p.name in names]
        copy.params += [p for p in body if p.name not in {q.name for q in op.params}]
        return copy

    def _current(self, op) -> bool:
        refs = [op.binding] + op.params + ([op.returns] if op.returns else [])
        return all(r.type.startswith("Edm.") or r.type in self.types.types for r in refs)

    # -- from the SDK -----------------------------------------------------------------------

    def _from_sdk(self, name, kind, binding, collection, path) -> Operation:
        builder = self.builders[path]
        op = Operation(name=name, kind=kind, source="SDK",
                       binding=Prop(name="bindingParameter", type=binding,
                                    collection=collection))
        item = f"{name}({op.binding.type_text()})"
        method = builder.methods.get("post" if kind == "Action" else "get")
        if kind == "Action" and method is not None and method.body is not None:
            op.params = self._body_parameters(method.body, item)
        elif kind == "Function":
            op.params = self._url_parameters(builder, split(path)[-1], item)
            op.composable = False
        if method is not None and method.result is not None:
            op.returns = self._result(method.result, item)
            if op.returns is not None and not op.returns.collection:
                # Kiota reads every result as optional: whether it may be `null` is unknown.
                op.returns.inferred.add("Nullable")
        return op

    def _body_parameters(self, module: str, item: str) -> list:
        cls = self.sdk.bodies.get(module)
        if cls is None:
            # A body that is a Graph type itself (an entity posted whole): not an action's.
            self.report.warn("action body not a request-body class", f"{item}: {module}")
            return []
        params = []
        for prop in cls.properties:
            element, collection, inferred, _ = property_type(prop, self.sdk.names)
            if element is None:
                element, inferred = "microsoft.graph.Json", {"Type"}  # any JSON
            if prop.ambiguous:
                inferred.add("Type")
            params.append(Prop(name=prop.name, type=element, collection=collection,
                               inferred=inferred | {"Nullable"}, source="SDK"))
        return params

    def _url_parameters(self, builder, segment: str, item: str) -> list:
        params = []
        for name, quoted in function_parameters(segment):
            value = segment.split(f"{name}=", 1)[1].split(",", 1)[0].strip("')")
            annotation = builder.parameters.get(name) or builder.parameters.get(value, "")
            python = annotation.replace("Optional[", "").rstrip("]")
            element, inferred = PYTHON_PRIMITIVES.get(python, ("Edm.String", ("Type",)))
            inferred = set(inferred) | {"Nullable"}
            if element == "Edm.String" and not quoted:
                inferred.add("Type")  # unquoted in the URL: not a string, of a type unknown
            params.append(Prop(name=name, type=element, inferred=inferred, source="SDK"))
        return params

    def _result(self, result, item: str):
        if result.module is not None:
            cls = self.sdk.bodies.get(result.module)
            if cls is not None:  # `…PostResponse` / `…GetResponse`: its `value`
                value = next((p for p in cls.properties if p.name == "value"), None)
                if value is None:
                    return None
                element, collection, inferred, _ = property_type(value, self.sdk.names)
                if element is None:
                    return None
                return Prop(name="", type=element, collection=collection, inferred=inferred)
            name = self.sdk.names.get(result.module)
            if name is None:
                self.report.warn("result type not read", f"{item}: {result.module}")
                return None
            return Prop(name="", type=name, collection=result.collection)
        primitive = result.primitive
        if primitive in self.sdk.names:  # an enum, read as a primitive
            return Prop(name="", type=self.sdk.names[primitive], collection=result.collection)
        element, inferred = RESULT_PRIMITIVES.get(primitive, (None, ()))
        if element is None:
            self.report.warn("result type not read", f"{item}: {primitive}")
            return None
        return Prop(name="", type=element, collection=result.collection, inferred=set(inferred))


def _same(a: Prop, b: Prop) -> bool:
    """Result types agree, allowing for what Kiota loses (widths, precisions, streams)."""
    from merge import agrees
    return a.collection == b.collection and (a.type == b.type or agrees(a.type, b.type)
                                             or agrees(b.type, a.type))


def _signature(op) -> str:
    params = ", ".join(p.type_text() for p in op.params)
    returns = f" → {op.returns.type_text()}" if op.returns else ""
    return f"({params}){returns}"


def _sort_key(key: tuple):
    name, kind, binding, params = key
    return (name, kind, binding or ("", False), params)
