#!/usr/bin/env python3
"""Reconstructs today's Microsoft Graph beta metadata (global service) as one CSDL document,
`schema/metadata/beta-Prod.csdl`, from Microsoft's published sources, and writes what it did to
`schema/beta/report.md`. See `schema/beta/README.md` for the inputs, the order of trust and the
`GraphEntity.Inferred` vocabulary.

    python3 schema/beta/convert.py --reference DIR --wheel SDK.whl --typings TYPES.tgz

Python 3.11, standard library only; the SDK is read with `ast`, never imported or run."""

from __future__ import annotations

import sys

sys.dont_write_bytecode = True  # no __pycache__ beside the converter

import argparse  # noqa: E402
import hashlib  # noqa: E402
import json  # noqa: E402
import tarfile  # noqa: E402
import zipfile  # noqa: E402
from pathlib import Path  # noqa: E402
from types import SimpleNamespace  # noqa: E402

import clouds  # noqa: E402
import csdl_in  # noqa: E402
import csdl_out  # noqa: E402
import paths  # noqa: E402
import sdk_models  # noqa: E402
import sdk_paths  # noqa: E402
import typings  # noqa: E402
from merge import TypeMerger  # noqa: E402
from operations import OperationMerger  # noqa: E402
from report import Report  # noqa: E402

HERE = Path(__file__).resolve().parent
SCHEMA = HERE.parent

# Every input, pinned: (label, file name, SHA-256). The CSDLs are listed most trusted first.
CSDLS = (
    ("beta-USNat-2026", "beta-USNat-2026-08-04.csdl",
     "ec7d088d00e439ce0ab9524e459238256ed2e67f070becc21bdc6bbda0c3482b"),
    ("beta-USSec-2026", "beta-USSec-2026-08-04.csdl",
     "161231d8f5e708e9202ba7fd63a4a3ddd554e37002a7e52ad5530e85a16af1a4"),
    ("v1.0", "v1.0-Prod.csdl",
     "a9d32d3611746c96043229a98867be064fb782c801b3405bce00c224ea3f6a03"),
    ("beta-China-2022", "beta-Mooncake-2022-10-05.csdl",
     "1999782ebcdbc6895ba50a21cc11e7bb14edccc56d4306a0008a3daa2c4db098"),
    ("beta-global-2021", "beta-Prod-2021-07-13.csdl",
     "5bb73e8b10d29e74f51ff5348efc76f721213a3cc7d1a8cb9666e1dea817bedb"),
)
CURRENT_BETA = ("beta-USNat-2026", "beta-USSec-2026")
MAPPINGS = (
    ("entity", "type-mappings-beta-entity-types-2026-08-04.json",
     "e09f928d0728042841bc09aef5d5f939665f0670470ed9eaefc403652e516088"),
    ("complex", "type-mappings-beta-complex-types-2026-08-04.json",
     "e1e43335b5abf7c953f5af603010a6655718ab837a246750d2cd4b5b93b16ec2"),
    ("enum", "type-mappings-beta-enum-types-2026-08-04.json",
     "29489c155de22cc6f33a4602e1bc9b325009ef629ce1ca87202da7629f2bbe87"),
)
WHEEL = ("msgraph_beta_sdk-1.66.0-py3-none-any.whl",
         "784506f47bc69bc203d19bf89bf3b425c5f6a27130f55ee3c88d4cf79a4050f8")
TYPINGS = ("microsoft-microsoft-graph-types-beta-0.44.0-preview.tgz",
           "f05a395180c0aa2b8c32b1e9bf5346c2797bf8a70d69531648ba93cd288001b6")
TYPINGS_MEMBER = "package/microsoft-graph.d.ts"


def pinned(path: Path, digest: str) -> bytes:
    """The file's bytes, if its SHA-256 is the pinned one; else the program stops."""
    if not path.is_file():
        sys.exit(f"convert.py: {path} is missing (see schema/beta/README.md for the inputs)")
    data = path.read_bytes()
    actual = hashlib.sha256(data).hexdigest()
    if actual != digest:
        sys.exit(f"convert.py: {path} has SHA-256 {actual}, not the pinned {digest}.\n"
                 "It is not the file this converter was written and checked against. After "
                 "reviewing what changed, pin the new digest in convert.py and check the "
                 "report.")
    return data


def read_inputs(args) -> SimpleNamespace:
    reference = Path(args.reference)
    csdls = []
    for label, name, digest in CSDLS:
        path = SCHEMA / "metadata" / name if label == "v1.0" else reference / name
        csdls.append(csdl_in.read(pinned(path, digest), label))
    mappings = {kind: json.loads(pinned(reference / name, digest))
                for kind, name, digest in MAPPINGS}
    wheel_path = Path(args.wheel)
    pinned(wheel_path, WHEEL[1])
    with zipfile.ZipFile(wheel_path) as wheel:
        files = {n: wheel.read(n).decode("utf-8") for n in wheel.namelist()
                 if n.startswith("msgraph_beta/") and n.endswith(".py")}
    typings_path = Path(args.typings)
    pinned(typings_path, TYPINGS[1])
    with tarfile.open(typings_path, "r:gz") as archive:
        member = archive.extractfile(TYPINGS_MEMBER)
        ts_text = member.read().decode("utf-8")
    return SimpleNamespace(csdls=csdls, mappings=mappings, files=files, ts_text=ts_text)


def known_names(mappings: dict, csdls: list) -> dict:
    """(namespace, lower-case short name) → the name as the sources spell it."""
    known = {}
    for doc in reversed(csdls):
        for name in doc.types:
            namespace, short = name.rsplit(".", 1)
            known[(namespace, short.lower())] = short
    for by_namespace in mappings.values():
        for namespace, types in by_namespace.items():
            for short in types:
                known[(namespace, short.lower())] = short
    return known


def read_typings(text: str, known: dict):
    interfaces, enums = typings.read(text)
    out_i, out_e = {}, {}
    for name, interface in interfaces.items():
        resolved = typings.resolve(name, known)
        interface.name = resolved
        if interface.base:
            interface.base = typings.resolve(interface.base, known)
        out_i[resolved] = interface
    for name, members in enums.items():
        out_e[typings.resolve(name, known)] = members
    return out_i, out_e


def dangling(types: dict, roots: dict, operations: list, report: Report) -> None:
    """Every type a property, root or operation names must be in the document."""
    def check(name, where):
        if not name.startswith("Edm.") and name not in types:
            report.warn("reference to a type not in the document", f"{where} → {name}")
    for ty in types.values():
        if ty.base:
            check(ty.base, ty.name)
        for prop in list(ty.props.values()) + list(ty.navs.values()):
            check(prop.type, f"{ty.name}/{prop.name}")
    for root in roots.values():
        check(root.type, root.name)
    for op in operations:
        for prop in ([op.binding] if op.binding else []) + op.params + (
                [op.returns] if op.returns else []):
            check(prop.type, op.name)


def notes(types: dict, operations: list, report: Report) -> None:
    """What no source gives and is written as CSDL's default, unmarked (outside the
    vocabulary), for the report."""
    unstated = sum("Abstract" in t.inferred for t in types.values())
    sdk_functions = sum(o.kind == "Function" and o.source == "SDK" for o in operations)
    sdk_parameters = sum(len(o.params) for o in operations if o.source == "SDK")
    report.notes += [
        f"`OpenType` and `HasStream` come from the CSDLs only: the {unstated:,} types no CSDL "
        "declares are written neither open nor with a stream (not marked: outside the "
        "vocabulary; an open type's extra properties are still accepted on read).",
        f"`IsComposable`: the {sdk_functions:,} functions only the SDK has are written not "
        "composable.",
        f"`Core.V1.OptionalParameter` and `Core.V1.Computed` come from the CSDLs only: the "
        f"{sdk_parameters:,} parameters only the SDK gives are never optional, and a property "
        "only the SDK has is never computed.",
        "A function parameter the URL template quotes (`f(p='{p}')`) and the SDK types `str` is "
        "written `Edm.String`: it may be an enum in Microsoft's metadata (not marked).",
        "Not carried over: `NavigationPropertyBinding`, operation and enum-member descriptions, "
        "and Capabilities annotations other than insert/update/delete restrictions.",
        "The SDK for Python maps `/me` to `/users/{id}` (hand-written in "
        "`graph_service_client.py`): `me` is written as a singleton of the users' type. Paths "
        "Microsoft's SDK leaves out are not typed; an operation only they reach is dropped "
        "(counted above).",
        "Restrictions are written only where they forbid (`false`), as Microsoft does; where no "
        "CSDL states one, the SDK's methods decide: POST on the collection (insert), PATCH or "
        "PUT on an item (update), DELETE on an item (delete).",
    ]


def totals(types: dict, roots: dict, operations: list) -> dict:
    kinds = [t.kind for t in types.values()]
    return {
        "entity types": kinds.count("EntityType"),
        "complex types": kinds.count("ComplexType"),
        "enum types": kinds.count("EnumType"),
        "properties": sum(len(t.props) for t in types.values()),
        "navigation properties": sum(len(t.navs) for t in types.values()),
        "enum members": sum(len(t.members) for t in types.values()),
        "entity sets": sum(r.kind == "EntitySet" for r in roots.values()),
        "singletons": sum(r.kind == "Singleton" for r in roots.values()),
        "actions": sum(o.kind == "Action" for o in operations),
        "functions": sum(o.kind == "Function" for o in operations),
    }


COMMENT = """Microsoft Graph beta, global service: a RECONSTRUCTION, not a document Microsoft
published. Written by graph-entity's converter (schema/beta/convert.py) from Microsoft's own
sources, most trusted first: the beta CSDLs of two US national clouds (2026-08-04), the v1.0
global CSDL (2026-08-20), the China beta CSDL (2022-10-05), the global beta CSDL (2021-07-13),
the beta type mappings (2026-08-04), the Kiota beta SDK for Python msgraph-beta-sdk 1.66.0
(2026-10-23) and the typings @microsoft/microsoft-graph-types-beta 0.44.0-preview (2025-09).
A fact no Microsoft CSDL states is marked inline with GraphEntity.Inferred (vocabulary:
schema/beta/README.md); what came from where, conflicts and inferences: schema/beta/report.md."""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--reference", required=True,
                        help="the folder with the beta CSDLs and type mappings")
    parser.add_argument("--wheel", required=True, help=WHEEL[0])
    parser.add_argument("--typings", required=True, help=TYPINGS[0])
    parser.add_argument("--out", default=str(SCHEMA / "metadata" / "beta-Prod.csdl"))
    parser.add_argument("--report", default=str(HERE / "report.md"))
    args = parser.parse_args()

    inputs = read_inputs(args)
    report = Report()
    csdls = inputs.csdls
    known = known_names(inputs.mappings, csdls)
    namespaces = sorted({ns for m in inputs.mappings.values() for ns in m}
                        | {ns for d in csdls for ns in d.namespaces})
    classes = sdk_models.read_all(inputs.files)
    names = sdk_models.odata_names(classes, known, namespaces)
    sdk_types, sdk_flags = sdk_models.to_types(classes, names)
    builders, bodies = sdk_paths.read_all(inputs.files)
    ts_interfaces, ts_enums = read_typings(inputs.ts_text, known)

    types = TypeMerger(csdls, set(CURRENT_BETA), inputs.mappings, sdk_types, sdk_flags,
                       ts_interfaces, ts_enums, report).merge()
    lookup = paths.Types(types)
    sdk = SimpleNamespace(names=names, bodies=bodies, classes=classes)
    roots = paths.read_roots(builders, csdls, lookup, sdk, report)
    paths.add_me(roots, inputs.files.get("msgraph_beta/graph_service_client.py", ""), builders)
    # Twice: the paths continuing after an operation's result are typed once it is known.
    results = {}
    for attempt in range(2):
        nodes = paths.type_paths(builders, lookup, roots, results)
        merger = OperationMerger(csdls, lookup, nodes, builders, sdk,
                                 report if attempt else Report())
        operations = merger.merge()
        results = merger.results
    merger.account(operations)
    paths.keys(nodes, builders, lookup, report)
    paths.containment(nodes, roots, lookup, report)
    paths.restrictions_from_methods(nodes, roots, lookup, report)
    unknown = sorted(p for p, n in nodes.items() if n.kind == "unknown")
    for path in unknown:
        report.warn("SDK path that could not be typed", path)
    china = next(d for d in csdls if d.label == "beta-China-2022")
    clouds.mark(types, roots, operations, china, report)
    dangling(types, roots, operations, report)
    notes(types, operations, report)

    document = csdl_out.write(types, roots, operations, COMMENT)
    Path(args.out).unlink(missing_ok=True)  # (a read-only copy may stand there)
    Path(args.out).write_text(document, encoding="utf-8")
    report.totals = totals(types, roots, operations)
    report.totals["document size (bytes)"] = len(document.encode("utf-8"))
    Path(args.report).write_text(report.render(REPORT_HEADER), encoding="utf-8")
    print(f"wrote {args.out} ({len(document.encode('utf-8')):,} bytes) and {args.report}")


REPORT_HEADER = """# Microsoft Graph beta, reconstructed: the converter's report

Written by `convert.py` (do not edit by hand) with `schema/metadata/beta-Prod.csdl`. Sources
(labels used below): `beta-USNat-2026`, `beta-USSec-2026` (US national clouds' beta CSDLs,
2026-08-04), `v1.0` (global v1.0 CSDL), `beta-China-2022` (2022-10-05), `beta-global-2021`
(2021-07-13), `type mappings` (2026-08-04), `SDK` (msgraph-beta-sdk 1.66.0, 2026-10-23),
`typings` (@microsoft/microsoft-graph-types-beta 0.44.0-preview). The order of trust and the
inference vocabulary are in `README.md`."""


if __name__ == "__main__":
    main()
