"""The converter's own model of a CSDL document: what every source is read into, and what the
merge writes. Names are qualified (`microsoft.graph.user`), type references split into the
element type and whether it is a collection; `nullable` is `False` (written `Nullable="false"`),
`True` (written) or `None` (not written: CSDL's default, nullable)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Optional

DEFAULT_NAMESPACE = "microsoft.graph"

# The fixed vocabulary of `GraphEntity.Inferred` (see README.md), in the order it is written.
INFERRED = ("Abstract", "Computed", "Containment", "Flags", "Nullable", "Precision", "Type",
            "Values", "Width")


class Qualified:
    """A qualified name's parts (`microsoft.graph.user`: `microsoft.graph`, `user`)."""

    name: str

    @property
    def namespace(self) -> str:
        return self.name.rsplit(".", 1)[0]

    @property
    def short(self) -> str:
        return self.name.rsplit(".", 1)[1]


@dataclass
class Prop:
    """A structural or navigation property, or an operation's parameter or return type."""
    name: str
    type: str
    collection: bool = False
    nullable: Optional[bool] = None
    attrs: dict = field(default_factory=dict)  # other XML attributes (Unicode, Scale …)
    description: Optional[str] = None
    computed: Optional[bool] = None
    contains: Optional[bool] = None  # navigation only: ContainsTarget
    restrictions: dict = field(default_factory=dict)  # navigation: Insertable … → bool
    optional: bool = False  # parameter only: Core.V1.OptionalParameter
    inferred: set = field(default_factory=set)
    clouds: Optional[str] = None  # where it exists, when not every cloud (`GraphEntity.Clouds`)
    source: str = ""

    def type_text(self) -> str:
        return f"Collection({self.type})" if self.collection else self.type


@dataclass
class Type(Qualified):
    """An entity, complex or enum type."""
    name: str  # qualified
    kind: str  # "EntityType", "ComplexType" or "EnumType"
    base: Optional[str] = None
    abstract: Optional[bool] = None
    open: Optional[bool] = None
    has_stream: Optional[bool] = None
    flags: Optional[bool] = None
    underlying: Optional[str] = None
    key: list = field(default_factory=list)
    props: dict = field(default_factory=dict)  # name → Prop
    navs: dict = field(default_factory=dict)  # name → Prop
    members: list = field(default_factory=list)  # [name, value or None]
    description: Optional[str] = None
    inferred: set = field(default_factory=set)
    clouds: Optional[str] = None  # where it exists, when not every cloud (`GraphEntity.Clouds`)
    source: str = ""


@dataclass
class Root:
    """An entity set or singleton."""
    name: str
    kind: str  # "EntitySet" or "Singleton"
    type: str
    restrictions: dict = field(default_factory=dict)
    description: Optional[str] = None
    clouds: Optional[str] = None  # where it exists, when not every cloud (`GraphEntity.Clouds`)
    source: str = ""


@dataclass
class Operation(Qualified):
    """An action or function; `binding` is the binding parameter (a Prop) of a bound one."""
    name: str  # qualified
    kind: str  # "Action" or "Function"
    binding: Optional[Prop] = None
    params: list = field(default_factory=list)  # [Prop]
    returns: Optional[Prop] = None
    composable: Optional[bool] = None
    entity_set_path: Optional[str] = None
    import_name: Optional[str] = None  # ActionImport / FunctionImport at the root
    clouds: Optional[str] = None  # where it exists, when not every cloud (`GraphEntity.Clouds`)
    source: str = ""


    def key(self) -> tuple:
        """Identity: name, kind, binding type and collection; a function's parameter names."""
        binding = (self.binding.type, self.binding.collection) if self.binding else None
        names = tuple(sorted(p.name for p in self.params)) if self.kind == "Function" else ()
        return (self.name, self.kind, binding, names)


@dataclass
class Document:
    """One source read into the model (or the merged result)."""
    label: str
    types: dict = field(default_factory=dict)  # qualified name → Type
    roots: dict = field(default_factory=dict)  # name → Root
    operations: list = field(default_factory=list)  # [Operation]
    namespaces: dict = field(default_factory=dict)  # namespace → alias or None


def lower_first(name: str) -> str:
    return name[:1].lower() + name[1:]

