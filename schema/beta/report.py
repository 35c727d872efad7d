"""What the converter took from each source, where sources disagree, what it dropped and what
it only inferred: collected during the merge, written to `report.md`."""

from __future__ import annotations

from collections import Counter, defaultdict

EXAMPLES = 12  # examples shown per kind
FULL_LIST_LIMIT = 400  # a kind's full list is written (compactly) up to this many entries


class Report:
    def __init__(self):
        self.taken = defaultdict(Counter)  # source → Counter(kind)
        self.conflicts = defaultdict(list)  # kind → [(item, {source: value}, chosen)]
        self.inferred = defaultdict(list)  # kind → [item]
        self.dropped = defaultdict(Counter)  # source → Counter(kind)
        self.dropped_examples = defaultdict(list)  # kind → [item]
        self.warnings = defaultdict(list)  # kind → [item]
        self.absent = defaultdict(Counter)  # cloud → Counter(kind): what its beta document lacks
        self.notes = []  # free text, in order
        self.totals = {}  # name → number, for the summary

    def take(self, source: str, kind: str, n: int = 1) -> None:
        self.taken[source][kind] += n

    def conflict(self, kind: str, item: str, values: dict, chosen: str) -> None:
        entry = (item, values, chosen)
        if entry not in self.conflicts[kind]:  # (an operation is met once per path)
            self.conflicts[kind].append(entry)

    def infer(self, kind: str, item: str) -> None:
        self.inferred[kind].append(item)

    def drop(self, source: str, kind: str, item: str) -> None:
        self.dropped[source][kind] += 1
        self.dropped_examples[kind].append(f"{item} ({source})")

    def absent_from(self, cloud: str, kind: str) -> None:
        self.absent[cloud][kind] += 1

    def warn(self, kind: str, item: str) -> None:
        self.warnings[kind].append(item)

    def render(self, header: str) -> str:
        out = [header, ""]
        out += ["## Result", ""]
        out += [f"- {k}: {v:,}" for k, v in self.totals.items()]
        out += ["", "## Taken from each source", ""]
        out += _table(self.taken)
        out += ["", "## Dropped: in an old document, in no current source", ""]
        out += _table(self.dropped)
        for kind, items in sorted(self.dropped_examples.items()):
            out.append(f"- {kind}, e.g.: " + ", ".join(f"`{i}`" for i in sorted(items)[:8]))
        out += ["", "## Warnings: the current sources disagreeing, and what could not be read", ""]
        for kind, items in sorted(self.warnings.items()):
            out.append(f"- {kind}: {len(items):,}; e.g. "
                       + ", ".join(f"`{i}`" for i in sorted(items)[:EXAMPLES]))
        out += ["", "## Conflicts: the same fact, different values", "",
                "Per kind: how many, then examples (`item`: each source's value → the value "
                "taken). A full list follows where it is short enough.", ""]
        out += ["| kind | count |", "|---|---|"]
        out += [f"| {kind} | {len(items):,} |" for kind, items in sorted(self.conflicts.items())]
        for kind, items in sorted(self.conflicts.items()):
            items = sorted(items, key=lambda e: e[0])
            out += ["", f"### {kind} ({len(items):,})", ""]
            for item, values, chosen in items[:EXAMPLES]:
                out.append(f"- `{item}`: {_values(values)} → **{chosen}**")
            if EXAMPLES < len(items) <= FULL_LIST_LIMIT:
                out += ["", "<details><summary>all</summary>", ""]
                out += [f"{item}: {_values(values)} → {chosen}  " for item, values, chosen in
                        items]
                out += ["", "</details>"]
        out += ["", "## Where it exists (marked `GraphEntity.Clouds`)", "",
                "The global service's availability, unless a cloud's beta document says "
                "otherwise: what China's (2022-10-05) lacks is written as existing in the global "
                "service and US Government only (`clouds.py`).", ""]
        out += _table(self.absent)
        out += ["", "## Inferred (marked `GraphEntity.Inferred`)", ""]
        out += ["| fact | count |", "|---|---|"]
        out += [f"| {kind} | {len(items):,} |" for kind, items in sorted(self.inferred.items())]
        for kind, items in sorted(self.inferred.items()):
            out.append(f"- {kind}, e.g.: "
                       + ", ".join(f"`{i}`" for i in sorted(items)[:EXAMPLES]))
        if self.notes:
            out += ["", "## Notes", ""]
            out += [f"- {n}" for n in self.notes]
        return "\n".join(out) + "\n"


def _values(values: dict) -> str:
    return ", ".join(f"{source} `{value}`" for source, value in values.items())


# The sources, most trusted first (the rows of the tables).
ORDER = ("beta-USNat-2026", "beta-USSec-2026", "v1.0", "beta-China-2022", "beta-global-2021",
         "type mappings", "SDK", "typings")


def _table(counters: dict) -> list:
    kinds = sorted({k for c in counters.values() for k in c})
    if not kinds:
        return ["(none)"]
    out = ["| source | " + " | ".join(kinds) + " |", "|---" * (len(kinds) + 1) + "|"]
    rank = {s: i for i, s in enumerate(ORDER)}
    for source, counter in sorted(counters.items(), key=lambda e: (rank.get(e[0], 99), e[0])):
        out.append(f"| {source} | " + " | ".join(f"{counter[k]:,}" for k in kinds) + " |")
    return out
