"""The table ``lrplot list`` prints: every scheduler, its torch class, summary and defaults."""

from __future__ import annotations

import json

from lrplot.schedulers.entry import Option
from lrplot.schedulers.registry import SCHEDULERS


def _default(option: Option) -> object:
    value = option.default
    return list(value) if isinstance(value, tuple) else value


def listing_json() -> str:
    """Every registry entry as JSON, for machines."""
    entries = [
        {
            "command": entry.command,
            "torch_class": entry.torch_class,
            "summary": entry.summary,
            "defaults": {
                "lr": entry.lr,
                "momentum": entry.momentum,
                "epochs": entry.epochs,
                "steps_per_epoch": entry.steps_per_epoch,
            },
            "options": [
                {
                    "flag": o.flag,
                    "keyword": o.name,
                    "kind": o.kind,
                    "default": _default(o),
                    "help": o.help,
                }
                for o in entry.options
            ],
            "example": entry.example,
        }
        for entry in SCHEDULERS
    ]
    return json.dumps(entries, indent=2)


def listing_text() -> str:
    """Every registry entry as an aligned plain-text table."""
    rows = [("COMMAND", "TORCH CLASS", "DEFAULTS")]
    for entry in SCHEDULERS:
        shown = ", ".join(f"{o.name}={_short(o.default)}" for o in entry.options[:4])
        more = ", ..." if len(entry.options) > 4 else ""
        rows.append((entry.command, entry.class_name, f"lr={entry.lr:g}, {shown}{more}"))
    widths = [max(len(row[i]) for row in rows) for i in range(2)]
    lines = [f"{r[0]:<{widths[0]}}  {r[1]:<{widths[1]}}  {r[2]}" for r in rows]
    lines.append("")
    lines.append(
        "'lrplot COMMAND --help' shows every option; the torch class name works as a command too."
    )
    lines.append(
        "Any other scheduler by import path: 'lrplot mypkg.sched.MyScheduler --help'; "
        "transformers' schedules: 'lrplot hf --help'."
    )
    return "\n".join(lines)


def _short(value: object) -> str:
    if isinstance(value, tuple):
        return ",".join(map(str, value))
    if isinstance(value, float):
        return f"{value:g}"
    return str(value)
