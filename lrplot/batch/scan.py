"""``lrplot resume``: every resume point of a schedule, by both methods, as a table or JSON."""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

from lrplot.spec.build import RUN_KEYS, build_spec


def resume_scan(
    command: str,
    options: Mapping[str, object],
    common: Mapping[str, Any],
    notes: list[str] | None = None,
) -> str:
    """The text ``lrplot resume COMMAND`` prints: a table, or JSON with ``as_json``; the
    scheduler's own warnings go to ``notes``."""
    from lrplot.simulation import resume

    settings: dict[str, Any] = {key: common.get(key) for key in RUN_KEYS}
    spec = build_spec(command, options, **settings)
    found = resume.scan(spec, notes)
    name = spec.scheduler.class_name
    if common.get("as_json"):
        document = {
            "scheduler": name,
            "epochs": spec.epochs,
            "diverging": {by: [k for k, _ in points] for by, points in found.items()},
        }
        return json.dumps(document)
    lines = [f"{name}, {spec.epochs} epochs: resume epochs whose tail leaves the uninterrupted run"]
    rows = [("method", "resume epoch", "first differing epoch", "largest rel. error")]
    for by, points in found.items():
        rows += [(by, str(k), f"{d.epoch:g}", f"{d.largest:.3g}") for k, d in points]
    widths = [max(len(row[i]) for row in rows) for i in range(4)]
    if len(rows) > 1:
        for row in rows:
            lines.append("  ".join(c.ljust(w) for c, w in zip(row, widths, strict=True)).rstrip())
    for by in ("state-dict", "last-epoch"):
        if by not in found:
            owner = " by torch" if spec.scheduler.source == "torch" else ""
            lines.append(f"{by}: not offered{owner} for {name}")
        elif not found[by]:
            lines.append(f"{by}: every resume epoch gives the uninterrupted run")
    return "\n".join(lines)
