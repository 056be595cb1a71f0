"""lrplot's performance targets (DESIGN.md section 7), each against a reference in the same run."""

from __future__ import annotations

import argparse
import dataclasses
import datetime
import importlib.metadata
import os
import platform
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path

from measure import CommandFailed
from targets import HEAVY, HEAVY_RUNS, LONG, METRICS, SIM_REPEATS, Context, Metric, Row

COLUMNS = (
    "id",
    "what",
    "value: median (min–max)",
    "reference: median (min–max)",
    "ratio",
    "target",
    "result",
)


def lrplot_executable() -> tuple[str, ...]:
    """The console script next to this interpreter, as users run it; else python -m lrplot."""
    script = Path(sys.executable).parent / ("lrplot.exe" if os.name == "nt" else "lrplot")
    return (str(script),) if script.is_file() else (sys.executable, "-m", "lrplot")


def plan(only: set[str] | None, quick: bool) -> list[tuple[Metric, str | None]]:
    """The metrics to run, each with a reason to skip it (or None)."""
    chosen = [m for m in METRICS if only is None or any(metric_named(t, m.name) for t in only)]
    slow = (HEAVY, *LONG)
    return [
        (m, "SKIP (--quick)" if quick and m.name in slow and only is None else None) for m in chosen
    ]


def metric_named(token: str, metric: str) -> bool:
    """Whether an --only token names a metric: P5 and P5a name P5, P1 does not name P10."""
    return (token.startswith(metric) and token[len(metric) :].isalpha()) or token == metric


def measure_all(
    ctx: Context, metrics: list[tuple[Metric, str | None]]
) -> tuple[list[Row], list[str]]:
    """Rows of every metric; a failed command gives an ERROR row and an error text."""
    rows: list[Row] = []
    errors: list[str] = []
    start = time.perf_counter()
    for metric, skip in metrics:
        if skip:
            rows.append(Row(metric.name, metric.what, "", "", "", "", skip))
            continue

        def progress(message: str, name: str = metric.name) -> None:
            print(f"[{time.perf_counter() - start:6.1f} s] {name} {message}", file=sys.stderr)

        try:
            rows += metric.measure(dataclasses.replace(ctx, progress=progress))
        except (CommandFailed, OSError, subprocess.SubprocessError, ValueError, KeyError) as error:
            errors.append(f"{metric.name}: {error}")
            print(f"{metric.name}: ERROR: {error}", file=sys.stderr)
            rows.append(Row(metric.name, metric.what, "", "", "", "", "ERROR (see stderr)"))
    return rows, errors


def table(rows: Sequence[Row]) -> str:
    """A padded Markdown table (readable in a terminal, pasteable into the README)."""
    cells = [
        COLUMNS,
        *((r.id, r.what, r.value, r.reference, r.ratio, r.target, r.result) for r in rows),
    ]
    widths = [max(len(row[i]) for row in cells) for i in range(len(COLUMNS))]
    lines = [
        "| " + " | ".join(c.ljust(w) for c, w in zip(row, widths, strict=True)) + " |"
        for row in cells
    ]
    lines.insert(1, "|" + "|".join("-" * (w + 2) for w in widths) + "|")
    return "\n".join(lines)


def header(ctx: Context) -> str:
    """When, where, with what versions and how many runs."""
    versions = "; ".join(
        f"{name} {_version(name)}" for name in ("torch", "matplotlib", "numpy", "typer")
    )
    now = datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
    return "\n".join(
        [
            f"lrplot benchmarks, {now}",
            f"machine: {platform.system()} {platform.machine()}, {os.cpu_count()} CPUs ({_cpu()})",
            f"python -VV: Python {' '.join(sys.version.split())}",
            f"versions: {versions}",
            f"lrplot command: {' '.join(_shown(part) for part in ctx.lrplot)}",
            f"runs: 1 warm-up then {ctx.runs} timed runs per side, interleaved; P5b/P5c "
            f"{min(ctx.runs, HEAVY_RUNS)} runs; P5a {SIM_REPEATS} in-process repeats",
            f"load average at the start (1, 5, 15 min): {_load()}",
        ]
    )


def _version(distribution: str) -> str:
    try:
        return importlib.metadata.version(distribution)
    except importlib.metadata.PackageNotFoundError:
        return "not installed"


def _cpu() -> str:
    try:
        lines = Path("/proc/cpuinfo").read_text().splitlines()
    except OSError:
        return platform.processor() or "unknown CPU"
    models = [line.split(":", 1)[1].strip() for line in lines if line.startswith("model name")]
    return models[0] if models else "unknown CPU"


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    """The command line; --only names are checked against the metrics."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, help="timed runs per side (default 7; --quick: 3)")
    parser.add_argument("--only", help="comma-separated metric ids, e.g. P1,P3")
    parser.add_argument(
        "--quick", action="store_true", help="3 runs, skip P5, P9, P11, P12 (smoke check)"
    )
    parser.add_argument("--timeout", type=float, default=300.0, help="seconds per command")
    args = parser.parse_args(argv)
    args.runs = args.runs if args.runs is not None else (3 if args.quick else 7)
    if args.runs < 1:
        parser.error(f"--runs {args.runs}: must be at least 1 (targets want 5 or more)")
    if args.only is not None:
        args.only = {token.strip().upper() for token in args.only.split(",") if token.strip()}
        names = [m.name for m in METRICS]
        unknown = sorted(t for t in args.only if not any(metric_named(t, n) for n in names))
        if unknown or not args.only:
            parser.error(
                f"--only {','.join(unknown)}: not a metric id; use some of {','.join(names)}"
            )
    return args


def main(argv: Sequence[str] | None = None) -> int:
    """Measure, print the header and the table; 0 when every measured target passes."""
    args = parse_args(argv)
    started = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="lrplot-benchmarks-") as folder:
        set_child_environment(Path(folder))
        ctx = Context(args.runs, Path(folder), args.timeout, lrplot_executable(), print)
        print(header(ctx), flush=True)
        rows, errors = measure_all(ctx, plan(args.only, args.quick))
    failed = [r for r in rows if r.result.startswith(("FAIL", "ERROR"))]
    print()
    print(table(rows))
    took = time.perf_counter() - started
    print(f"\n{len(failed)} of {len(rows)} rows failed or errored; the run took {took:.0f} s")
    print(f"load average at the end: {_load()}")
    for error in errors:
        print(f"\n{error}", file=sys.stderr)
    return 1 if failed else 0


def set_child_environment(folder: Path) -> None:
    """The environment every measured command inherits.

    Bytecode is cached (in the temporary folder, so nothing is written elsewhere) even where
    PYTHONDONTWRITEBYTECODE is set, as in a user's install; the warm-up runs fill the cache.
    pyplot in the naive script would otherwise probe for a GUI backend; lrplot uses Agg.
    """
    os.environ.pop("PYTHONDONTWRITEBYTECODE", None)
    os.environ["PYTHONPYCACHEPREFIX"] = str(folder / "pycache")
    os.environ["MPLBACKEND"] = "Agg"


def _load() -> str:
    try:
        return ", ".join(f"{load:.2f}" for load in os.getloadavg())
    except OSError:
        return "unknown"


def _shown(part: str) -> str:
    """A path inside the repository relative to it (the table goes into a committed file)."""
    path = Path(part)
    root = Path(__file__).resolve().parent.parent
    return str(path.relative_to(root)) if path.is_absolute() and path.is_relative_to(root) else part


if __name__ == "__main__":
    sys.exit(main())
