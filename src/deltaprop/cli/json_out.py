"""The commands' JSON output: standard JSON, which has no NaN or infinity.

Python's ``json`` writes ``NaN`` and ``Infinity`` for non-finite floats unless told not to,
and ``jq``, ``JSON.parse`` and most readers refuse the document. :func:`json_text` writes
every non-finite number as ``null`` instead (as a score that is undefined is written already,
R² of constant targets) and says where, for the command to explain on stderr.
"""

from __future__ import annotations

import json
import math


def finite_only(value, where: str = "") -> tuple[object, list[str]]:
    """``value`` (dicts, lists and tuples of JSON values, at any depth) with each float that is
    not finite replaced by None, and where each was, as ``key.key[index]`` paths."""
    if isinstance(value, float) and not math.isfinite(value):
        return None, [where or "the value"]
    if isinstance(value, dict):
        pairs = [
            (key, finite_only(item, f"{where}.{key}" if where else str(key))) for key, item in value.items()
        ]
        return {key: clean for key, (clean, _) in pairs}, [w for _, (_, found) in pairs for w in found]
    if isinstance(value, (list, tuple)):
        items = [finite_only(item, f"{where}[{k}]") for k, item in enumerate(value)]
        return [clean for clean, _ in items], [w for _, found in items for w in found]
    return value, []


def json_text(document) -> tuple[str, list[str]]:
    """``document`` as indented standard JSON text (no trailing newline), non-finite numbers as
    ``null``; and where they were (:func:`finite_only`), empty when every number is finite."""
    clean, where = finite_only(document)
    return json.dumps(clean, indent=1, allow_nan=False), where
