"""Where beta's items exist: the global service's availability, unless a cloud's beta document
says otherwise. Of the national clouds `graph-entity` serves (US Government L4 and L5, China),
only China's beta document is at hand (2022-10-05): an item it lacks is written as existing in
the global service and US Government only (`GraphEntity.Clouds`); the US Government clouds have
no beta document of their own, so theirs is the global service's. (The US national clouds'
documents of 2026, `USNat` and `USSec`, are other clouds'.)
"""

WITHOUT_CHINA = "global us_gov"


def mark(types: dict, roots: dict, operations: list, china, report) -> None:
    """Writes `clouds` on every type, property, navigation property, root and operation that
    China's beta document lacks, and counts them in the report."""
    for name in sorted(types):
        ty = types[name]
        theirs = china.types.get(name)
        if theirs is None:
            ty.clouds = WITHOUT_CHINA
            report.absent_from("China", "type")
            continue
        for own, kind, label in ((ty.props, theirs.props, "property"),
                                 (ty.navs, theirs.navs, "navigation property")):
            for prop_name in sorted(own):
                if prop_name not in kind:
                    own[prop_name].clouds = WITHOUT_CHINA
                    report.absent_from("China", label)
    for name in sorted(roots):
        if name not in china.roots:
            roots[name].clouds = WITHOUT_CHINA
            report.absent_from("China", roots[name].kind.lower())
    known = {(o.name, o.kind) for o in china.operations}
    for op in operations:
        if (op.name, op.kind) not in known:
            op.clouds = WITHOUT_CHINA
            report.absent_from("China", op.kind.lower())
