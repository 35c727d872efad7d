"""Reading Microsoft's TypeScript typings for Graph beta (`microsoft-graph.d.ts`): each
interface's base type and, for each property, whether it is nullable
(`prop?: NullableOption<T>`) or not (`prop?: T`), and each enum's members in order. The typings
are generated from the CSDL: `NullableOption` stands for the absence of `Nullable="false"`."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Optional

from model import lower_first

NAMESPACE = re.compile(r"^export namespace ([\w.]+) \{")
INTERFACE = re.compile(r"^\s*(?:export )?interface (\w+)(?: extends ([\w.]+))? \{(\})?")
PROPERTY = re.compile(r"^\s+[\"']?([\w@.\-]+)[\"']?(\?)?: (.+);$")
ALIAS = re.compile(r"^\s*(?:export )?type (\w+) =(.*)$")


@dataclass
class TsInterface:
    name: str  # qualified OData name (resolved by the caller's `known`)
    base: Optional[str]  # TypeScript name as written, qualified with its namespace
    properties: dict = field(default_factory=dict)  # name → (nullable, collection, ts type)


def _namespace(ts: str) -> str:
    """`DeviceManagementNamespace` → `microsoft.graph.deviceManagement`; `Partners.Billing` →
    `microsoft.graph.partners.billing`."""
    parts = [lower_first(p[:-len("Namespace")] if p.endswith("Namespace") else p)
             for p in ts.split(".")]
    return ".".join(["microsoft.graph"] + parts)


def read(text: str):
    """(interfaces: qualified name → TsInterface, enums: qualified name → [members]), names
    as the typings spell them with the first letter lowered (see `resolve`)."""
    interfaces, enums = {}, {}
    namespace = "microsoft.graph"
    current = None
    alias = None  # (name, collected text) of a type alias spanning lines
    for line in text.splitlines():
        if alias is not None:
            alias[1] += line
            if line.rstrip().endswith(";"):
                enums[alias[0]] = re.findall(r'"([^"]*)"', alias[1])
                alias = None
            continue
        if line.startswith("}"):
            namespace, current = "microsoft.graph", None
            continue
        match = NAMESPACE.match(line)
        if match:
            namespace = _namespace(match.group(1))
            continue
        match = INTERFACE.match(line)
        if match:
            name = f"{namespace}.{lower_first(match.group(1))}"
            base = match.group(2)
            if base:
                base = _qualify_ts(base, namespace)
            interfaces[name] = TsInterface(name=name, base=base)
            current = None if match.group(3) else interfaces[name]
            continue
        match = ALIAS.match(line)
        if match and current is None:
            name = f"{namespace}.{lower_first(match.group(1))}"
            if match.group(2).rstrip().endswith(";"):
                enums[name] = re.findall(r'"([^"]*)"', match.group(2))
            else:
                alias = [name, match.group(2)]
            continue
        if current is not None:
            if line.strip() == "}":
                current = None
                continue
            match = PROPERTY.match(line)
            if match:
                ts_type = match.group(3)
                nullable = ts_type.startswith("NullableOption<")
                if nullable:
                    ts_type = ts_type[len("NullableOption<"):-1]
                collection = ts_type.endswith("[]")
                current.properties[match.group(1)] = (nullable, collection, ts_type)
    return interfaces, enums


def _qualify_ts(name: str, namespace: str) -> str:
    """A base type as written: `Entity`, `microsoftgraphbeta.Entity`, `Security.Alert`."""
    if name.startswith("microsoftgraphbeta."):
        return "microsoft.graph." + lower_first(name.split(".", 1)[1])
    if "." in name:
        head, short = name.rsplit(".", 1)
        return f"{_namespace(head)}.{lower_first(short)}"
    return f"{namespace}.{lower_first(name)}"


def resolve(name: str, known: dict) -> str:
    """The qualified name the sources spell alike ignoring case, or `name`."""
    namespace, short = name.rsplit(".", 1)
    return f"{namespace}.{known.get((namespace, short.lower()), short)}"
