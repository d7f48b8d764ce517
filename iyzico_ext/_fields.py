"""Reading a field of a JSON body by the dotted path the operation table uses.

`data.referenceCode` is `body["data"]["referenceCode"]`; a segment ending in `[]` stands for every element
of a list (`installmentDetails[].price`). A missing step yields nothing: `value_at` gives `None`,
`values_at` an empty list, so a caller decides what absence means.
"""

from __future__ import annotations

from collections.abc import Mapping

__all__ = ["value_at", "values_at"]


def values_at(body: object, path: str) -> list[object]:
    """Every value the path reaches (one for a plain path; one per list element below each `[]`)."""
    found: list[object] = [body]
    for segment in path.split("."):
        each = segment.endswith("[]")
        name = segment[:-2] if each else segment
        step: list[object] = []
        for node in found:
            child = node.get(name) if isinstance(node, Mapping) else None
            if each:
                step.extend(child if isinstance(child, list) else ())
            elif child is not None:
                step.append(child)
        found = step
    return found


def value_at(body: object, path: str) -> object | None:
    """The value of a path without `[]`, or `None` when any step is missing."""
    found = values_at(body, path)
    return found[0] if found else None
